// The grader's Web Worker: a headless shell Session for drills (see
// ./grader-protocol.ts). Requests are handled one at a time, in order.
import { Session, type SessionSnapshot } from '../../shell/session';
import { drillById } from '../../labs/drills/index';
import { contextFor, grade, startAttempt } from '../../labs/drills/runner';
import { instantiate, type DrillInstance } from '../../labs/drills/schema';
import type { FromGrader, ToGrader } from './grader-protocol';
import { workerScope } from '../worker-scope';

const instances = new Map<string, DrillInstance>();

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
    if (msg.t === 'start') {
      const def = drillById(msg.drill);
      if (!def) throw new Error(`unknown drill ${msg.drill}`);
      const a = await startAttempt<SessionSnapshot>(Session, def, msg.seed, msg.exam);
      return { t: 'started', id: msg.id, start: a.start };
    }
    const g = await grade(instance(msg.drill, msg.seed), contextFor<SessionSnapshot>(Session, msg.snapshot));
    return { t: 'graded', id: msg.id, grade: g };
  } catch (e) {
    return { t: 'error', id: msg.id, message: e instanceof Error ? e.message : String(e) };
  }
}

const scope = workerScope<ToGrader, FromGrader>();
if (scope) {
  let queue: Promise<void> = Promise.resolve();
  scope.listen((msg) => {
    queue = queue.then(async () => scope.post(await handle(msg)));
  });
}
