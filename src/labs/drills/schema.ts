// A drill is data: this module is its contract.
//
// Each drill lives in its own file under ./defs and exports a `DrillDef`.
// The metadata (id, title, domain, difficulty, time budget, weight, scenario)
// is plain data checked by a zod schema; the parts that depend on the
// attempt's parameters (task text, requirements, hints, reference solution,
// plausible wrong attempts) are functions of the parameters, and their
// results are checked by a second schema once instantiated. `validateDrill`
// runs both; the registry (./index.ts) calls it when it is imported, so a
// malformed drill fails `astro build` (the catalogue page imports the
// registry) as well as the unit tests.
import { z } from 'zod';
import type { World } from '../../sim/world';
import type { HostId } from '../../sim/types';
import { Rand } from './rand';

export const DOMAINS = {
  namespaces: 'Network namespaces',
  routing: 'Routing and forwarding',
  nat: 'NAT and iptables',
  dns: 'Name resolution',
  troubleshooting: 'Troubleshooting',
  cluster: 'Cluster node: find and answer',
} as const;
export type DomainId = keyof typeof DOMAINS;
export const DOMAIN_IDS = Object.keys(DOMAINS) as DomainId[];

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export type ParamValue = string | number | boolean | string[];
export type Params = Record<string, ParamValue>;

/** What a requirement check returns: true when met, otherwise the reason, naming what is wrong ("veth-red is not up"). */
export type CheckResult = true | string;

export interface ProbeResult {
  output: string;
  exitCode: number;
}

/** What a checker sees. */
export interface CheckContext {
  /** the simulated world as the learner left it (read it, never change it) */
  world: World;
  /** the host the learner's terminal is attached to */
  host: HostId;
  /**
   * Run one command line (e.g. `ip netns exec red ping -c 1 -W 1 10.0.0.3`)
   * in a throwaway copy of the world, on `host` (default: the learner's), and
   * return its output and exit code. The learner's world is not changed.
   */
  probe(line: string, opts?: { host?: HostId }): Promise<ProbeResult>;
}

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
  /** starting scenario (src/sim/scenarios.ts) */
  scenario: string;
  /** the host the learner's terminal is on (default: the scenario's first host) */
  host?: HostId;
  params(r: Rand): P;
  /** shell lines that finish or break the starting state (not shown to the learner, not in history) */
  setup?(p: P): SetupStep[];
  /** the task, with the parameters filled in; `code` spans and "- " list items are rendered */
  task(p: P): string;
  requirements(p: P): Requirement[];
  /** escalating hints, vaguest first */
  hints(p: P): string[];
  /** the reference solution: shell lines run in order on the drill's host */
  solution(p: P): string[];
  /** at least one plausible wrong attempt */
  wrong(p: P): WrongAttempt[];
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
  hints: string[];
  solution: string[];
  wrong: WrongAttempt[];
}

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const drillMetaSchema = z.object({
  id: z.string().regex(ID, 'drill ids are lower-case words joined by hyphens'),
  title: z.string().min(3).max(80),
  domain: z.enum(DOMAIN_IDS as [DomainId, ...DomainId[]]),
  difficulty: z.enum(DIFFICULTIES),
  minutes: z.number().int().min(1).max(60),
  weight: z.number().int().min(1).max(20),
  summary: z.string().min(10).max(200),
  scenario: z.string().regex(ID),
  host: z.string().min(1).optional(),
  params: z.function(),
  setup: z.function().optional(),
  task: z.function(),
  requirements: z.function(),
  hints: z.function(),
  solution: z.function(),
  wrong: z.function(),
});

const line = z.string().min(1).refine((s) => !s.includes('\n'), 'a shell line has no newline');

export const drillInstanceSchema = z
  .object({
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])),
    task: z.string().min(20),
    setup: z.array(z.union([line, z.object({ host: z.string().min(1), line })])),
    requirements: z
      .array(z.object({ id: z.string().regex(ID), text: z.string().min(5), check: z.function() }))
      .min(1),
    hints: z.array(z.string().min(5)).min(1),
    solution: z.array(line).min(1),
    wrong: z
      .array(z.object({ name: z.string().min(3), lines: z.array(line), fails: z.string(), mentions: z.string().optional() }))
      .min(1),
  })
  .superRefine((d, ctx) => {
    const ids = d.requirements.map((r) => r.id);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup) ctx.addIssue({ code: 'custom', message: `duplicate requirement id ${dup}` });
    for (const w of d.wrong) {
      if (!ids.includes(w.fails)) ctx.addIssue({ code: 'custom', message: `wrong attempt "${w.name}" names unknown requirement ${w.fails}` });
    }
    const unfilled = /\$\{|undefined|NaN|\[object /;
    for (const text of [d.task, ...d.hints, ...d.solution, ...d.requirements.map((r) => r.text)]) {
      if (unfilled.test(text)) ctx.addIssue({ code: 'custom', message: `unfilled parameter in: ${text.slice(0, 80)}` });
    }
  });

/** Instantiate a drill for a seed: its parameters and every text, list and check that depends on them. */
export function instantiate(def: DrillDef, seed: number): DrillInstance {
  const params = def.params(new Rand(seed, def.id));
  return {
    def,
    seed,
    params,
    host: def.host,
    task: def.task(params),
    requirements: def.requirements(params),
    setup: def.setup?.(params) ?? [],
    hints: def.hints(params),
    solution: def.solution(params),
    wrong: def.wrong(params),
  };
}

export class DrillValidationError extends Error {}

/** Check a drill's metadata and, for a few seeds, its instantiated parts. Throws a DrillValidationError naming the drill. */
export function validateDrill(def: DrillDef, seeds: number[] = [1, 2, 3]): void {
  const meta = drillMetaSchema.safeParse(def);
  if (!meta.success) throw new DrillValidationError(`drill ${def.id ?? '?'}: ${z.prettifyError(meta.error)}`);
  for (const seed of seeds) {
    const inst = drillInstanceSchema.safeParse(instantiate(def, seed));
    if (!inst.success) throw new DrillValidationError(`drill ${def.id} (seed ${seed}): ${z.prettifyError(inst.error)}`);
  }
}

/** Check a whole catalogue: each drill valid, ids unique. */
export function validateCatalogue(defs: DrillDef[]): void {
  const seen = new Set<string>();
  for (const d of defs) {
    validateDrill(d);
    if (seen.has(d.id)) throw new DrillValidationError(`duplicate drill id ${d.id}`);
    seen.add(d.id);
  }
}

/** Helper so that drill files get their parameter type inferred. */
export function defineDrill<P extends Params>(def: DrillDef<P>): DrillDef {
  return def as unknown as DrillDef;
}
