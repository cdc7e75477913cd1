// The only place a page starts the engine worker (./engine-worker.ts): one
// script URL for every terminal and grader, so the browser downloads and
// compiles the engine once. A worker can be started ahead of need
// (`prewarm`, when the pointer enters a terminal or it gets the focus): the
// next `engineWorker()` takes it, already loaded.
import type { FromEngine, ToEngine } from './protocol';

export interface EngineWorker {
  postMessage(msg: ToEngine): void;
  terminate(): void;
  onmessage: ((ev: MessageEvent<FromEngine>) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
}

let spare: EngineWorker | null = null;

function create(name: string): EngineWorker {
  return new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name }) as unknown as EngineWorker;
}

/** A new engine worker (the prewarmed one if there is one). */
export function engineWorker(name = 'netlab-engine'): EngineWorker {
  const w = spare ?? create(name);
  spare = null;
  return w;
}

/** Start loading a worker now, for the next `engineWorker()`. */
export function prewarm(): void {
  spare ??= create('netlab-engine');
}
