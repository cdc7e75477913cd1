// The shell's Web Worker (started by spawn.ts and the drill terminal): wires
// src/shell/worker.ts's message handler to the worker global, with the
// course's scenarios (src/labs/scenarios) and the loader of their starting
// states prebuilt at build time (src/pages/netlab-data/scenarios/[scenario].json.ts).
import { BROWSER_LIMITS, createHandler, type InitialLoader } from '../../shell/worker';
import type { SessionSnapshot } from '../../shell/session';
import type { FromWorker, ToWorker } from '../../shell/worker-protocol';
import { getScenario } from '../../labs/scenarios/index';
import { workerScope } from '../worker-scope';

const scope = workerScope<ToWorker, FromWorker>();
if (scope) {
  const prebuilt: InitialLoader = async (scenario) => {
    const url = new URL(`${import.meta.env.BASE_URL.replace(/\/?$/, '/')}netlab-data/scenarios/${encodeURIComponent(scenario)}.json`, location.origin);
    const res = await fetch(url);
    return res.ok ? ((await res.json()) as SessionSnapshot) : null;
  };
  const handler = createHandler({ postMessage: (m) => scope.post(m) }, { define: getScenario, prebuilt }, BROWSER_LIMITS);
  scope.listen((msg) => void handler(msg));
}
