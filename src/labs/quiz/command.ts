// Grading a command question: run the learner's lines, one by one as if typed
// at the prompt, in a fresh session of the question's scenario, then ask the
// question's predicate about a copy of the resulting world and the outputs.
// The predicate's probes run in fresh sessions on copies of that world, with
// none of the learner's functions, aliases or variables and on the
// question's own host (src/labs/probe.ts): an expected value is computed
// from the world, never from what the learner's shell printed.
import { Session, type SessionSnapshot } from '../../shell/session';
import { World } from '../../sim/world';
import { freshProbe } from '../probe';
import type { CheckContext, CheckResult, CommandQuestion, CommandRun } from './types';
import { getScenario } from '../scenarios/index';

export interface CommandGrade {
  correct: boolean;
  /** the predicate's hint when wrong, or its message when right */
  feedback: string | null;
  /** what the learner's lines printed, for the small terminal under the question */
  runs: CommandRun[];
}

/** Split what the learner typed into command lines: blank lines and comments are dropped. */
export function commandLines(input: string | string[]): string[] {
  const raw = Array.isArray(input) ? input.flatMap((l) => l.split('\n')) : input.split('\n');
  return raw.map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}

/** The most lines a learner's answer may have (a quiz answer, not a script). */
export const MAX_LINES = 60;

/**
 * Each question's starting state, built once per scenario and host: every Check starts from a restored copy of
 * it, as from a fresh build (a cluster scenario's build is several times its restore).
 */
const starts = new Map<string, Promise<SessionSnapshot>>();

function startOf(q: CommandQuestion): Promise<SessionSnapshot> {
  const key = `${q.scenario}\n${q.host ?? ''}`;
  let p = starts.get(key);
  if (!p) {
    p = Session.create({ scenario: getScenario(q.scenario), ...(q.host ? { host: q.host } : {}) }).then((s) => s.snapshot());
    // a build that failed is tried again at the next Check
    p.catch(() => starts.delete(key));
    starts.set(key, p);
  }
  return p;
}

export async function runCommandCheck(q: CommandQuestion, input: string | string[]): Promise<CommandGrade> {
  const lines = commandLines(input);
  if (lines.length === 0) return { correct: false, feedback: 'Type at least one command.', runs: [] };
  if (lines.length > MAX_LINES) return { correct: false, feedback: `That is more than ${MAX_LINES} lines: a few commands are enough.`, runs: [] };
  const start = await startOf(q);
  const session = await Session.restore(start);
  const runs: CommandRun[] = [];
  for (const line of lines) {
    const r = await session.run(line);
    runs.push({ line, output: r.output, exitCode: r.exitCode });
  }
  const end = session.snapshot();
  const probe = freshProbe(Session, end, end.host);
  const ctx: CheckContext = {
    world: World.restore(end.world),
    start: World.restore(start.world),
    host: end.host,
    runs,
    probe: async (line, from) => ({ line, ...(await probe(line, from)) }),
  };
  let result: CheckResult;
  try {
    result = await q.check(ctx);
  } catch (e) {
    // A predicate that throws is a bug in the bank, not the learner's fault: say so plainly.
    const msg = e instanceof Error ? e.message : String(e);
    return { correct: false, feedback: `The grader could not check this answer (${msg}).`, runs };
  }
  return result.ok ? { correct: true, feedback: result.message ?? null, runs } : { correct: false, feedback: result.hint, runs };
}
