// Lazy chunk: starts the shell in an engine worker (src/components/engine:
// just-bash, the simulator and the tools) as soon as the learner activates a terminal, in parallel with
// xterm's chunk. The worker itself and the scenario's prebuilt state were started by the page's script
// (boot.ts, through src/components/engine/spawn.ts) before this chunk arrived.
import { ShellClient, type WorkerLike } from './client';
import { load } from './store';
import { engineWorker, prebuiltState } from '../engine/spawn';

export function spawn(key: string, scenario: string, host?: string, columns = 80): { client: ShellClient; started: Promise<void> } {
  const client = new ShellClient({
    scenario,
    host,
    columns,
    createWorker: () => engineWorker('netlab-shell') as WorkerLike,
    prebuilt: () => prebuiltState(scenario),
  });
  const saved = load(key, scenario, host);
  const started = client.start(saved?.snapshot ?? null, saved?.undo ?? []);
  started.catch(() => {});
  return { client, started };
}
