// Browser stand-ins for the Node built-ins that just-bash's ES-module build
// imports (its Node-only parts: OverlayFs/ReadWriteFs, sqlite3, python3,
// js-exec, the network's DNS check, the defence-in-depth box). The engine
// worker bundles that build (so that each command is a chunk loaded on first
// use) with `__BROWSER__` set, which leaves those parts out of the command
// list and off the code paths that run; these stubs only satisfy the imports.
// Anything that still reaches one fails with a clear message.
const unavailable = (what: string) => (): never => {
  throw new Error(`${what} is not available in the browser terminal`);
};

// node:module: every chunk starts with `const require = createRequire(import.meta.url)`
export function createRequire(): (id: string) => never {
  return (id: string) => unavailable(`require(${id})`)();
}
export const builtinModules: string[] = [];
export const isBuiltin = (): boolean => false;
export const Module = null;

// node:crypto
export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

// node:dns
export const lookup = unavailable('DNS lookup');

// node:url
export function fileURLToPath(u: string | URL): string {
  return new URL(String(u)).pathname;
}

// node:path (only reached by the real-filesystem classes)
export const sep = '/';
export const join = (...parts: string[]): string => parts.join('/').replace(/\/+/g, '/');
export const dirname = (p: string): string => p.replace(/\/[^/]*$/, '') || '/';

// node:fs, node:fs/promises
export const existsSync = (): boolean => false;
export const open = unavailable('the real file system');

// node:worker_threads
export class Worker {
  constructor() {
    unavailable('a worker thread')();
  }
}

// node:async_hooks
export class AsyncLocalStorage<T> {
  getStore(): T | undefined {
    return undefined;
  }
  run<R>(_store: T, fn: () => R): R {
    return fn();
  }
}

export default {};
