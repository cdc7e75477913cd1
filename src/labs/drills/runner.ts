// Running drills: build an attempt's starting state, grade a state, and
// verify a drill (reference passes, untouched start fails, wrong attempts
// fail the named requirement).
//
// The runner does not import the shell: it takes a `SessionFactory` (the
// lead's src/shell/session.ts `Session` satisfies it), so the same code runs
// in node (tests, `npm run drills`) and in the page (the Session chunk is
// loaded lazily there).
import { World } from '../../sim/world';
import type { HostId } from '../../sim/types';
import type { CheckContext, DrillDef, DrillInstance, ExamContext, ProbeResult, SetupStep } from './schema';
import { instantiate } from './schema';
import type { ScenarioDef } from '../../shell/scenario-builder';
import { getScenario } from '../scenarios/index';

/** The part of the session snapshot the runner relies on (src/shell/session.ts SessionSnapshot). */
export interface SnapshotLike {
  host: string;
  world: string;
  history: string[];
  cwd?: string;
}

export interface SessionLike<S extends SnapshotLike = SnapshotLike> {
  world: World;
  run(line: string, opts?: { noHistory?: boolean }): Promise<ProbeResult>;
  /** a corpus-style setup directive (`daemon ...`, `spawn ...`, `sleep 2`), without its `@` */
  setup(line: string): Promise<unknown>;
  snapshot(): S;
}

export interface SessionFactory<S extends SnapshotLike = SnapshotLike> {
  create(opts: { scenario: ScenarioDef; host?: string; seed?: number }): Promise<SessionLike<S>>;
  restore(snap: S): Promise<SessionLike<S>>;
}

export class DrillSetupError extends Error {}

/** Move a session to another host of the same world (the world travels in the snapshot). */
async function onHost<S extends SnapshotLike>(f: SessionFactory<S>, s: SessionLike<S>, host: HostId): Promise<SessionLike<S>> {
  const snap = s.snapshot();
  if (snap.host === host) return s;
  return f.restore({ ...snap, host, cwd: '/root', history: [] });
}

/**
 * Apply setup steps to a session that is on `home`; every setup line must
 * succeed (a failing one is a bug in the drill). Returns a session on `home`.
 */
export async function applySetup<S extends SnapshotLike>(
  f: SessionFactory<S>,
  s: SessionLike<S>,
  home: HostId,
  steps: SetupStep[],
  where = 'setup',
): Promise<SessionLike<S>> {
  for (const step of steps) {
    const host = typeof step === 'string' ? home : step.host;
    const line = typeof step === 'string' ? step : step.line;
    s = await onHost(f, s, host);
    if (line.startsWith('@')) {
      await s.setup(line.slice(1));
      continue;
    }
    const r = await s.run(line, { noHistory: true });
    if (r.exitCode !== 0) throw new DrillSetupError(`${where} line failed on ${host} (exit ${r.exitCode}): ${line}\n${r.output}`);
  }
  return onHost(f, s, home);
}

export interface Attempt<S extends SnapshotLike = SnapshotLike> {
  drill: DrillInstance;
  /** the starting state: setup applied, history empty; Reset restores it */
  start: S;
}

/** Build the starting state of an attempt (scenario + the drill's setup lines, out of the learner's history). */
export async function startAttempt<S extends SnapshotLike>(f: SessionFactory<S>, def: DrillDef, seed: number, exam?: ExamContext): Promise<Attempt<S>> {
  const drill = instantiate(def, seed, exam);
  let s = await f.create({ scenario: getScenario(def.scenario), ...(def.host ? { host: def.host } : {}), seed });
  const home = s.snapshot().host;
  s = await applySetup(f, s, home, drill.setup);
  drill.prepare?.(s.world);
  const snap = s.snapshot();
  return { drill, start: { ...snap, history: [] } };
}

export interface RequirementResult {
  id: string;
  text: string;
  pass: boolean;
  /** why it failed, naming the culprit; null when it passed */
  message: string | null;
}

export interface Grade {
  pass: boolean;
  results: RequirementResult[];
}

/** A check context over a session snapshot: probes run in throwaway sessions restored from it. */
export function contextFor<S extends SnapshotLike>(f: SessionFactory<S>, snap: S): CheckContext {
  let world: World | null = null;
  return {
    get world() {
      return (world ??= World.restore(snap.world));
    },
    host: snap.host,
    async probe(line, opts) {
      const s = await f.restore({ ...snap, host: opts?.host ?? snap.host, history: [] });
      return s.run(line);
    },
  };
}

/** Grade a state against the drill's requirements (each checked independently; a throwing check fails with its error). */
export async function grade(drill: DrillInstance, ctx: CheckContext): Promise<Grade> {
  const results: RequirementResult[] = [];
  for (const req of drill.requirements) {
    let r: true | string;
    try {
      r = await req.check(ctx);
    } catch (e) {
      r = `could not be checked: ${e instanceof Error ? e.message : String(e)}`;
    }
    results.push({ id: req.id, text: req.text, pass: r === true, message: r === true ? null : r });
  }
  return { pass: results.every((r) => r.pass), results };
}

/** Run lines as the learner would, from the attempt's start; returns the resulting snapshot. */
export async function play<S extends SnapshotLike>(f: SessionFactory<S>, start: S, lines: string[]): Promise<S> {
  const s = await f.restore(start);
  for (const line of lines) await s.run(line);
  return s.snapshot();
}

export interface VerifyFailure {
  drill: string;
  seed: number;
  problem: string;
}

/**
 * Verify one drill for one seed: the reference solution passes (every line
 * exits 0), the untouched start fails, and each wrong attempt fails its
 * named requirement (mentioning the culprit when the drill says which).
 */
export async function verifyDrill<S extends SnapshotLike>(f: SessionFactory<S>, def: DrillDef, seed: number): Promise<VerifyFailure[]> {
  const problems: VerifyFailure[] = [];
  const bad = (problem: string) => problems.push({ drill: def.id, seed, problem });
  let attempt: Attempt<S>;
  try {
    attempt = await startAttempt(f, def, seed);
  } catch (e) {
    bad(e instanceof Error ? e.message : String(e));
    return problems;
  }
  const { drill, start } = attempt;
  const untouched = await grade(drill, contextFor(f, start));
  if (untouched.pass) bad('the untouched start already passes');

  const s = await f.restore(start);
  for (const line of drill.solution) {
    const r = await s.run(line);
    if (r.exitCode !== 0) bad(`reference line exits ${r.exitCode}: ${line}\n${r.output}`);
  }
  const solved = await grade(drill, contextFor(f, s.snapshot()));
  for (const r of solved.results) if (!r.pass) bad(`reference solution fails "${r.text}": ${r.message}`);

  for (const alt of drill.alternatives) {
    const end = await play(f, alt.host ? { ...start, host: alt.host } : start, alt.lines);
    const g = await grade(drill, contextFor(f, { ...end, host: start.host }));
    for (const r of g.results) if (!r.pass) bad(`alternative "${alt.name}" fails "${r.text}": ${r.message}`);
  }

  for (const w of drill.wrong) {
    const end = await play(f, start, w.lines);
    const g = await grade(drill, contextFor(f, end));
    const r = g.results.find((x) => x.id === w.fails);
    if (!r) bad(`wrong attempt "${w.name}": no requirement ${w.fails}`);
    else if (r.pass) bad(`wrong attempt "${w.name}" passes requirement ${w.fails}`);
    else if (w.mentions && !r.message?.includes(w.mentions)) bad(`wrong attempt "${w.name}": "${r.message}" does not mention ${w.mentions}`);
  }
  return problems;
}
