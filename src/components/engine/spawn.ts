// The only place a page starts the engine worker (./engine-worker.ts): one
// script URL for every terminal and grader, so the browser downloads and
// compiles the engine once. A worker can be started ahead of need
// (`prewarm`, when the pointer enters a terminal or it gets the focus): the
// next `engineWorker()` takes it, already loaded. This module is part of the
// reading page's script (src/components/terminal/boot.ts): a terminal's worker
// and its scenario's starting state start loading at once, without waiting
// for the terminal's own chunks.
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

const prebuilt = new Map<string, Promise<string | null>>();

/**
 * A scenario's starting state built ahead of time (`/netlab-data/scenarios/NAME.json`, written by the build), as
 * text for the worker's init (src/shell/worker-protocol.ts): fetched by the page while the worker loads its code,
 * once per scenario. null: the scenario has none (the worker builds it) or the fetch failed (asked again next time).
 */
export function prebuiltState(scenario: string): Promise<string | null> {
  let p = prebuilt.get(scenario);
  if (!p) {
    const url = `${import.meta.env.BASE_URL.replace(/\/?$/, '/')}netlab-data/scenarios/${encodeURIComponent(scenario)}.json`;
    p = fetch(url).then(
      (res) => (res.ok ? res.text() : null),
      () => null,
    );
    prebuilt.set(scenario, p);
    void p.then((text) => {
      if (text === null) prebuilt.delete(scenario);
    });
  }
  return p;
}
