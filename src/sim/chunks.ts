// Code loaded on first use (just-bash's commands in the browser engine, the
// Kubernetes layer, kubectl, the full-screen editors): every such load goes
// through `loadChunk`, so that the engine can tell the learner when one is slow
// (a one-line "loading…" after SLOW_CHUNK_MS, src/shell/worker.ts). No
// dependency: any layer may load a chunk through it.
export const SLOW_CHUNK_MS = 150;

type SlowListener = (name: string, done: Promise<unknown>) => void;
let slowListener: SlowListener | null = null;

/** Hear about chunk loads that take longer than SLOW_CHUNK_MS (one listener: the worker's). */
export function onSlowChunk(fn: SlowListener | null): void {
  slowListener = fn;
}

/** Load a chunk, reporting it if it is slow. */
export function loadChunk<T>(name: string, load: () => Promise<T>): Promise<T> {
  const p = load();
  let settled = false;
  const timer = setTimeout(() => {
    if (!settled) slowListener?.(name, p);
  }, SLOW_CHUNK_MS);
  const clear = () => {
    settled = true;
    clearTimeout(timer);
  };
  p.then(clear, clear);
  return p;
}

/** loadChunk once: the same promise for every later call (a failed load is tried again on the next) */
export function chunkOnce<T>(name: string, load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null;
  return () =>
    (p ??= loadChunk(name, load).catch((e: unknown) => {
      p = null;
      throw e;
    }));
}

// just-bash's command loaders in the engine's build call this (scripts/vite-engine.mjs)
(globalThis as { __netlabChunk?: typeof loadChunk }).__netlabChunk = loadChunk;
