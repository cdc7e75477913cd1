// A tool whose code is a chunk loaded on first use (kubectl, crictl, journalctl: they bring the Kubernetes
// layer). The shell registers it as any other NetCommand; its first run (or Tab completion, through
// `prepare`) loads the real command, and every later call goes straight to it.
import type { Completer, NetCommand } from './types';

export interface LazyCommand extends NetCommand {
  /** load the real command (once), and what its completion needs (its own `prepare`: ip's completer) */
  prepare(): Promise<NetCommand>;
}

export function lazyCommand(name: string, load: () => Promise<NetCommand>): LazyCommand {
  let real: NetCommand | null = null;
  let pending: Promise<NetCommand> | null = null;
  const loadReal = (): Promise<NetCommand> => {
    if (real) return Promise.resolve(real);
    pending ??= load().then(
      (c) => (real = c),
      (e: unknown) => {
        pending = null;
        throw e;
      },
    );
    return pending;
  };
  const prepare = async (): Promise<NetCommand> => {
    const c = await loadReal();
    await c.prepare?.();
    return c;
  };
  return {
    name,
    prepare,
    run: async (args, io, sys) => (real ?? (await loadReal())).run(args, io, sys),
    // completion is synchronous: the session awaits prepare() before it asks (src/shell/session.ts complete)
    complete: (ctx) => real?.complete?.(ctx) ?? [],
  };
}

/**
 * A tool's Tab completion as a chunk of its own (`ip`'s: its objects, verbs and options are a big table): the
 * session awaits `prepare` before it asks, so `complete` answers once the completer is there.
 */
export function lazyCompleter(load: () => Promise<Completer>): Required<Pick<NetCommand, 'prepare' | 'complete'>> {
  let real: Completer | null = null;
  let pending: Promise<Completer> | null = null;
  return {
    prepare: () =>
      real
        ? Promise.resolve(real)
        : (pending ??= load().then(
            (c) => (real = c),
            (e: unknown) => {
              pending = null;
              throw e;
            },
          )),
    complete: (ctx) => real?.(ctx) ?? [],
  };
}
