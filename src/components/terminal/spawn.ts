// Lazy chunk: starts the shell worker (which loads just-bash and the
// simulator) as soon as the learner activates a terminal, in parallel with
// xterm's chunk.
import { ShellClient, type WorkerLike } from './client';
import { load } from './store';

export function spawn(key: string, scenario: string, host?: string, columns = 80): { client: ShellClient; started: Promise<void> } {
  const client = new ShellClient({
    scenario,
    host,
    columns,
    createWorker: () =>
      new Worker(new URL('./worker-entry.ts', import.meta.url), { type: 'module', name: 'netlab-shell' }) as unknown as WorkerLike,
  });
  const saved = load(key, scenario, host);
  const started = client.start(saved?.snapshot ?? null, saved?.undo ?? []);
  started.catch(() => {});
  return { client, started };
}
