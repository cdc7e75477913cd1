// The drill grader, run in the engine worker (src/components/engine/engine-worker.ts,
// a chunk loaded on the first drill request): a headless shell Session for drills
// (see ./grader-protocol.ts). Requests are handled one at a time, in order.
import { Session, type SessionSnapshot } from '../../shell/session';
import { drillById } from '../../labs/drills/index';
import { contextFor, grade, startAttempt } from '../../labs/drills/runner';
import { drillView, instantiate, type DrillInstance, type ExamContext } from '../../labs/drills/schema';
import type { FromGrader, ToGrader } from './grader-protocol';

const instances = new Map<string, DrillInstance>();
/** the starting state of each attempt (drill:seed), for the constraints that compare the end with the start */
const starts = new Map<string, SessionSnapshot>();

async function startOf(drill: string, seed: number, exam?: ExamContext): Promise<SessionSnapshot> {
  const key = `${drill}:${seed}:${exam ? JSON.stringify(exam) : ''}`;
  let s = starts.get(key);
  if (!s) {
    const def = drillById(drill);
    if (!def) throw new Error(`unknown drill ${drill}`);
    s = (await startAttempt<SessionSnapshot>(Session, def, seed, exam)).start;
    starts.set(key, s);
  }
  return s;
}

function instance(drill: string, seed: number): DrillInstance {
  const key = `${drill}:${seed}`;
  let d = instances.get(key);
  if (!d) {
    const def = drillById(drill);
    if (!def) throw new Error(`unknown drill ${drill}`);
    d = instantiate(def, seed);
    instances.set(key, d);
  }
  return d;
}

export async function handle(msg: ToGrader): Promise<FromGrader> {
  try {
    if (msg.t === 'view') {
      const def = drillById(msg.drill);
      if (!def) throw new Error(`unknown drill ${msg.drill}`);
      return { t: 'viewed', id: msg.id, view: drillView(msg.exam ? instantiate(def, msg.seed, msg.exam) : instance(msg.drill, msg.seed)) };
    }
    if (msg.t === 'start') {
      return { t: 'started', id: msg.id, start: await startOf(msg.drill, msg.seed, msg.exam) };
    }
    // graded on copies, in fresh sessions (src/labs/probe.ts): never in the learner's shell
    const g = await grade(instance(msg.drill, msg.seed), contextFor<SessionSnapshot>(Session, msg.snapshot, await startOf(msg.drill, msg.seed, msg.exam)));
    return { t: 'graded', id: msg.id, grade: g };
  } catch (e) {
    return { t: 'error', id: msg.id, message: e instanceof Error ? e.message : String(e) };
  }
}
