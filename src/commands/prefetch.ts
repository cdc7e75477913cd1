// What the engine loads just after the shell is ready instead of before it (issue 17: a terminal's first use).
//
// - The networking tools lessons type first (ip, ping, ss, iptables, dig, curl...) are chunks, like the rarer
//   ones, but fetched in the background as soon as the shell is ready (`prefetchAfterStart`), so that a command
//   typed a moment later finds its code there; one typed sooner waits for its own chunk (a one-line
//   "loading NAME…" after 150 ms, src/sim/chunks.ts).
// - Code any command line may need synchronously (just-bash's regular-expression engine: globs, `case`,
//   `${x#pattern}`) is listed by the engine's build (scripts/vite-engine.mjs) in `globalThis.__netlabDeferred`;
//   `beforeLine()` is what a line waits for before it runs (nothing once it is loaded, nothing in Node, where
//   just-bash is one file).
import { loadChunk } from '../sim/chunks';

const later: (() => Promise<unknown>)[] = [];

/** Load this (a tool's chunk) in the background once the shell is ready. */
export function prefetchAfterStart(load: () => Promise<unknown>): void {
  later.push(load);
}

type Deferred = [name: string, load: () => Promise<unknown>];

let needed: Promise<void> | null = null;
let loaded = false;

/** What a command line waits for before it runs: null when there is nothing left to load. */
export function beforeLine(): Promise<void> | null {
  if (loaded) return null;
  const deferred = (globalThis as { __netlabDeferred?: Deferred[] }).__netlabDeferred ?? [];
  if (!deferred.length) {
    loaded = true;
    return null;
  }
  needed ??= Promise.all(deferred.map(([name, load]) => loadChunk(name, load))).then(
    () => {
      loaded = true;
    },
    (e: unknown) => {
      needed = null;
      throw e;
    },
  );
  return needed;
}

/** The shell is ready: load everything deferred, in the background (a failed load is tried again when needed). */
export function prefetchAll(): void {
  void beforeLine()?.catch(() => {});
  for (const load of later.splice(0)) void load().catch(() => {});
}
