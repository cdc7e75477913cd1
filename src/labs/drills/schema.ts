// A drill is data: this module is its contract.
//
// Each drill lives in its own file under ./defs and exports a `DrillDef`.
// The metadata (id, title, domain, difficulty, time budget, weight, scenario)
// is plain data; the parts that depend on the attempt's parameters (task
// text, requirements, hints, reference solution, plausible wrong attempts)
// are functions of the parameters. ./validate.ts checks both with zod; the
// drill pages call it in their frontmatter, so a malformed drill fails
// `astro build`, and the unit tests call it too. (This module stays free of
// zod: the pages' client code imports it.)
import type { World } from '../../sim/world';
import type { HostId } from '../../sim/types';
import { Rand } from './rand';
import type { CompetencyId } from '../curriculum';
import type { GradingContext, ProbeFrom, ProbeResult, Verdict } from '../checks';

export const DOMAINS = {
  namespaces: 'Network namespaces',
  routing: 'Routing and forwarding',
  nat: 'NAT and iptables',
  dns: 'Name resolution',
  troubleshooting: 'Troubleshooting',
  cluster: 'Cluster architecture: find and answer',
  services: 'Services and endpoints',
  'k8s-dns': 'CoreDNS and service discovery',
  policy: 'NetworkPolicy',
  ingress: 'Ingress and the Gateway API',
} as const;
export type DomainId = keyof typeof DOMAINS;
export const DOMAIN_IDS = Object.keys(DOMAINS) as DomainId[];

// The CKA competencies a drill practises: the one list is src/labs/curriculum.ts (the curriculum map reads it).
export { COMPETENCY_IDS, type CompetencyId } from '../curriculum';

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export type ParamValue = string | number | boolean | string[];
export type Params = Record<string, ParamValue>;

/** What a requirement check returns: true when met, otherwise the reason, naming what is wrong ("veth-red is not up"). */
export type CheckResult = Verdict;
export type { ProbeResult, ProbeFrom };

/**
 * What a checker sees (src/labs/checks.ts GradingContext): copies of the
 * learner's end state and of the attempt's start state, the drill's own host,
 * and `probe`, which runs a command line in a fresh shell (no learner
 * functions, aliases, variables or ssh logins) on a copy of the end state, on
 * the drill's host or the host/namespace/pod it names. A check has no way to
 * run anything in the learner's shell.
 */
export type CheckContext = GradingContext;

export interface Requirement {
  /** stable id, unique within the drill (used by tests and result records) */
  id: string;
  /** what is required, with the parameters filled in ("blue has a default route via 10.1.2.1") */
  text: string;
  check(ctx: CheckContext): CheckResult | Promise<CheckResult>;
}

/**
 * A shell line run before the learner starts, on the drill's host unless
 * `host` is given. A line starting with `@` is a setup directive of the
 * fidelity corpus (`@daemon NAME SPEC...`, `@spawn ...`, `@sleep N`).
 */
export type SetupStep = string | { host: HostId; line: string };

/** A plausible mistake: these lines, run on the drill's host from the start, must fail requirement `fails`. */
export interface WrongAttempt {
  name: string;
  lines: string[];
  /** the id of a requirement that must fail */
  fails: string;
  /** a text the failure message must contain (the named culprit: "veth-blue") */
  mentions?: string;
}

/** Another correct solution, in another style (net-tools, `ip netns exec`, a user chain, `/proc` writes, an ssh login left open, ...). */
export interface Alternative {
  name: string;
  /** lines typed from the start, as the learner would (they may `ssh` elsewhere and stay there) */
  lines: string[];
  /** the host the terminal starts on (default: the drill's) */
  host?: HostId;
}

export interface DrillDef<P extends Params = Params> {
  id: string;
  title: string;
  domain: DomainId;
  difficulty: Difficulty;
  /** time budget in minutes */
  minutes: number;
  /** weight in an exam (the CKA weighs tasks 2-13%) */
  weight: number;
  /** one line for the catalogue, without parameters */
  summary: string;
  /** starting scenario (src/labs/scenarios/index.ts) */
  scenario: string;
  /** the CKA competencies this drill practises (the curriculum map lists it under them) */
  competencies?: CompetencyId[];
  /** the host the learner's terminal is on (default: the scenario's first host) */
  host?: HostId;
  params(r: Rand): P;
  /** shell lines that finish or break the starting state (not shown to the learner, not in history) */
  setup?(p: P): SetupStep[];
  /**
   * State changes no command can make (e.g. more open connections of a
   * running daemon), applied to the world after the setup lines through the
   * kernel's own functions.
   */
  prepare?(world: World, p: P): void;
  /** the task, with the parameters filled in; `code` spans and "- " list items are rendered */
  task(p: P): string;
  requirements(p: P): Requirement[];
  /** escalating hints, vaguest first */
  hints(p: P): string[];
  /** the reference solution: shell lines run in order on the drill's host */
  solution(p: P): string[];
  /** at least two near misses: plausible wrong attempts, each failing a named requirement */
  wrong(p: P): WrongAttempt[];
  /** at least three other correct solutions of different styles: each must pass (`npm run drills -- --verify`) */
  alternatives(p: P): Alternative[];
}

/** A drill instantiated for one seed. */
export interface DrillInstance {
  def: DrillDef;
  seed: number;
  params: Params;
  host: HostId | undefined;
  task: string;
  requirements: Requirement[];
  setup: SetupStep[];
  prepare: ((world: World) => void) | null;
  hints: string[];
  solution: string[];
  wrong: WrongAttempt[];
  alternatives: Alternative[];
}

/**
 * A task of an exam works on its own cluster context, as the CKA's tasks do:
 * the kubeconfig of every cluster task holds all the exam's contexts, and the
 * task names the one to switch to.
 */
export interface ExamContext {
  context: string;
  contexts: string[];
}

/** The kubeconfig lines that add an exam's contexts (all on the scenario's one cluster and admin user). */
export function contextSetup(contexts: string[]): string[] {
  return contexts.map((c) => `kubectl config set-context ${c} --cluster=kubernetes --user=kubernetes-admin`);
}

/** Instantiate a drill for a seed: its parameters and every text, list and check that depends on them. */
export function instantiate(def: DrillDef, seed: number, exam?: ExamContext): DrillInstance {
  const inst = instantiateAlone(def, seed);
  if (!exam || !def.scenario.startsWith('k8s-')) return inst;
  return {
    ...inst,
    task: `Use the context \`${exam.context}\` for this task: \`kubectl config use-context ${exam.context}\`\n${inst.task}`,
    setup: [...contextSetup(exam.contexts), ...inst.setup],
    solution: [`kubectl config use-context ${exam.context}`, ...inst.solution],
  };
}

function instantiateAlone(def: DrillDef, seed: number): DrillInstance {
  const params = def.params(new Rand(seed, def.id));
  return {
    def,
    seed,
    params,
    host: def.host,
    task: def.task(params),
    requirements: def.requirements(params),
    setup: def.setup?.(params) ?? [],
    prepare: def.prepare ? (w: World) => def.prepare!(w, params) : null,
    hints: def.hints(params),
    solution: def.solution(params),
    wrong: def.wrong(params),
    alternatives: def.alternatives(params),
  };
}

/** What a drill page shows of an instance (plain JSON): the engine worker instantiates, the page only renders. */
export interface DrillView {
  def: Pick<DrillDef, 'id' | 'title' | 'domain' | 'difficulty' | 'minutes' | 'weight' | 'summary' | 'scenario' | 'host'>;
  seed: number;
  task: string;
  requirements: { id: string; text: string }[];
  hints: string[];
  solution: string[];
}

/** The page's view of an instance: its texts, without the checks and setup (which stay with the grader). */
export function drillView(inst: DrillInstance): DrillView {
  const { id, title, domain, difficulty, minutes, weight, summary, scenario, host } = inst.def;
  return {
    def: { id, title, domain, difficulty, minutes, weight, summary, scenario, ...(host !== undefined ? { host } : {}) },
    seed: inst.seed,
    task: inst.task,
    requirements: inst.requirements.map((r) => ({ id: r.id, text: r.text })),
    hints: inst.hints,
    solution: inst.solution,
  };
}

/** Helper so that drill files get their parameter type inferred. */
export function defineDrill<P extends Params>(def: DrillDef<P>): DrillDef {
  return def as unknown as DrillDef;
}
