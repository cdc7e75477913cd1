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
import type { CheckContext, DrillDef, DrillInstance, ExamContext, SetupStep } from './schema';
import { FAKE_LINES } from '../checks';
import { freshProbe, type SessionFactory, type SessionLike, type SnapshotLike } from '../probe';
import { instantiate } from './schema';
import { getScenario } from '../scenarios/index';

export type { SessionFactory, SessionLike, SnapshotLike };

export class DrillSetupError extends Error {}

/**
 * Move a session that is on `from` to another host of the same world (the world travels in the snapshot). The
 * caller says where the session is: a snapshot only to read its host cost a whole save of the world per setup line.
 */
async function onHost<S extends SnapshotLike>(f: SessionFactory<S>, s: SessionLike<S>, from: HostId, host: HostId): Promise<SessionLike<S>> {
  if (from === host) return s;
  return f.restore({ ...s.snapshot(), host, cwd: '/root', history: [] });
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
  let at = home;
  for (const step of steps) {
    const host = typeof step === 'string' ? home : step.host;
    const line = typeof step === 'string' ? step : step.line;
    s = await onHost(f, s, at, host);
    at = host;
    if (line.startsWith('@')) {
      await s.setup(line.slice(1));
      continue;
    }
    const r = await s.run(line, { noHistory: true });
    if (r.exitCode !== 0) throw new DrillSetupError(`${where} line failed on ${host} (exit ${r.exitCode}): ${line}\n${r.output}`);
  }
  return onHost(f, s, at, home);
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

/**
 * The context a drill's checks see for the end state `snap` of an attempt
 * that began at `start`: copies of both worlds, the drill's own host, and
 * probes that run in fresh sessions restored from a bare copy of `snap`
 * (src/labs/probe.ts). Nothing reaches the learner's shell.
 */
export function contextFor<S extends SnapshotLike>(f: SessionFactory<S>, snap: S, start: S): CheckContext {
  let world: World | null = null;
  let startWorld: World | null = null;
  return {
    get world() {
      return (world ??= World.restore(snap.world));
    },
    get start() {
      return (startWorld ??= World.restore(start.world));
    },
    // the drill's own host: the attempt's home, whatever host an open `ssh` is on
    host: start.host,
    probe: freshProbe(f, snap, start.host),
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

export { FAKE_LINES };

/** Which parts `verifyDrill` runs: the reference, untouched start, alternatives and wrong attempts always; fakes and the open-ssh check on request. */
export interface VerifyOptions {
  fakes?: boolean;
  /** the reference solution followed by `ssh OTHER` (another host of the scenario) left open must still pass */
  loggedInElsewhere?: boolean;
}

function failing(g: Grade): string {
  return g.results.filter((r) => !r.pass).map((r) => `"${r.text}": ${r.message}`).join('; ');
}

/**
 * Verify one drill for one seed: the reference solution passes (every line
 * exits 0), the untouched start fails, and each wrong attempt (near miss)
 * fails its named requirement (mentioning the culprit when the drill says
 * which), and every alternative solution passes. With options: the faking
 * attempt fails, and the reference solution passes when the learner's
 * terminal is left logged into another host.
 */
export async function verifyDrill<S extends SnapshotLike>(f: SessionFactory<S>, def: DrillDef, seed: number, opts: VerifyOptions = {}): Promise<VerifyFailure[]> {
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
  const untouched = await grade(drill, contextFor(f, start, start));
  if (untouched.pass) bad('the untouched start already passes');

  const s = await f.restore(start);
  for (const line of drill.solution) {
    const r = await s.run(line);
    if (r.exitCode !== 0) bad(`reference line exits ${r.exitCode}: ${line}\n${r.output}`);
  }
  const solvedSnap = s.snapshot();
  const solved = await grade(drill, contextFor(f, solvedSnap, start));
  for (const r of solved.results) if (!r.pass) bad(`reference solution fails "${r.text}": ${r.message}`);

  // every alternative solution passes (typed from the start, on its own host if it names one)
  for (const alt of drill.alternatives) {
    const end = await play(f, alt.host ? { ...start, host: alt.host } : start, alt.lines);
    const g = await grade(drill, contextFor(f, { ...end, host: start.host }, start));
    if (!g.pass) bad(`alternative "${alt.name}" fails ${failing(g)}`);
  }

  for (const w of drill.wrong) {
    const end = await play(f, start, w.lines);
    const g = await grade(drill, contextFor(f, end, start));
    const r = g.results.find((x) => x.id === w.fails);
    if (!r) bad(`wrong attempt "${w.name}": no requirement ${w.fails}`);
    else if (r.pass) bad(`wrong attempt "${w.name}" passes requirement ${w.fails}`);
    else if (w.mentions && !r.message?.includes(w.mentions)) bad(`wrong attempt "${w.name}": "${r.message}" does not mention ${w.mentions}`);
  }

  if (opts.fakes) {
    const end = await play(f, start, [...FAKE_LINES]);
    const g = await grade(drill, contextFor(f, end, start));
    if (g.pass) bad('the faking attempt (functions and aliases for ip, ping, curl, kubectl, ...) passes');
  }
  if (opts.loggedInElsewhere) {
    const hosts = Object.keys(World.restore(start.world).state.hosts);
    const other = hosts.find((h) => h !== start.host);
    if (other) {
      const end = await play(f, solvedSnap, [`ssh ${other}`]);
      const g = await grade(drill, contextFor(f, end, start));
      if (!g.pass) bad(`the reference solution, then \`ssh ${other}\` left open, fails ${failing(g)}`);
    }
  }
  return problems;
}
