// The engine's Web Worker: the one worker script of the site (one URL, cached
// once). A terminal's shell session, the quiz's command checks and the drill
// graders all run here, each loading only its own part: the shell core is in
// this entry; the quiz and drill graders (their banks and drill definitions)
// are chunks loaded on their first request. Started only through ./spawn.ts.
import { BROWSER_LIMITS, createHandler, type InitialLoader } from '../../shell/worker';
import type { SessionSnapshot } from '../../shell/session';
import { workerScope } from '../worker-scope';
import type { FromEngine, ToEngine } from './protocol';

const scope = workerScope<ToEngine, FromEngine>();
if (scope) {
  const prebuilt: InitialLoader = async (scenario) => {
    const url = new URL(`${import.meta.env.BASE_URL.replace(/\/?$/, '/')}netlab-data/scenarios/${encodeURIComponent(scenario)}.json`, location.origin);
    const res = await fetch(url);
    return res.ok ? ((await res.json()) as SessionSnapshot) : null;
  };
  // the course's scenario definitions (and the cluster ones' kube-proxy rules) are a chunk: a terminal starts from
  // its scenario's prebuilt state, and only a scenario without one is built here
  const define = async (name: string) => (await import('../../labs/scenarios/index')).getScenario(name);
  const shell = createHandler({ postMessage: (m) => scope.post(m) }, { define, prebuilt }, BROWSER_LIMITS);
  // grading requests: one at a time, in order (a check never overlaps another on this engine)
  let grading: Promise<void> = Promise.resolve();
  scope.listen((msg) => {
    if (msg.t === 'quiz') {
      const req = msg.req;
      grading = grading.then(async () => {
        const { handle } = await import('../quiz/grader.worker');
        scope.post({ t: 'quiz', res: await handle(req) });
      });
      return;
    }
    if (msg.t === 'drill') {
      const req = msg.req;
      grading = grading.then(async () => {
        const { handle } = await import('../drill/grader-worker');
        scope.post({ t: 'drill', res: await handle(req) });
      });
      return;
    }
    void shell(msg);
  });
}
