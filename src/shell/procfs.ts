// Dynamic files computed from the simulated kernel: /proc/sys/**, /proc/net/*,
// /run/netns/*. Providers are registered by path prefix; the virtual
// filesystem (simfs.ts) asks them before the host's stored files.
import type { Sys } from '../commands/types';

export interface ProcProvider {
  /** Text of the file at `path`, or null if no such file. */
  read(sys: Sys, path: string): string | null;
  /** Write to the file (e.g. `echo 1 > /proc/sys/net/ipv4/ip_forward`). Throws a KernelError on failure. */
  write?(sys: Sys, path: string, content: string): void;
  /** Entries of the directory at `path` (names), or null if it is not a directory of this provider. */
  list(sys: Sys, path: string): string[] | null;
  /** Type and mode of `path`, or null if there is no such file; optional (without it: a file if read() answers, a directory if list() does). */
  stat?(sys: Sys, path: string): { type: 'file' | 'dir'; mode: number } | null;
}

const providers: { prefix: string; provider: ProcProvider }[] = [];

/** Register a provider for every path equal to or below `prefix` (e.g. "/proc/sys"). Longest prefix wins. */
export function registerProc(prefix: string, provider: ProcProvider): void {
  const i = providers.findIndex((p) => p.prefix === prefix);
  if (i >= 0) providers.splice(i, 1);
  providers.push({ prefix, provider });
  providers.sort((a, b) => b.prefix.length - a.prefix.length);
}

export function procProviderFor(path: string): ProcProvider | null {
  for (const p of providers) {
    if (path === p.prefix || path.startsWith(p.prefix + '/')) return p.provider;
  }
  return null;
}

/** Prefixes of registered providers that lie directly below `dir` (so `ls /proc` shows `sys`, `net`). */
export function procChildren(dir: string): string[] {
  const pre = dir === '/' ? '/' : dir + '/';
  const out = new Set<string>();
  for (const p of providers) {
    if (p.prefix.startsWith(pre)) {
      const name = p.prefix.slice(pre.length).split('/')[0];
      if (name) out.add(name);
    }
  }
  return [...out];
}

/** A provider serving a fixed set of files from functions. */
export function fileTable(files: Record<string, (sys: Sys) => string>): ProcProvider {
  return {
    read: (sys, path) => (files[path] ? files[path]!(sys) : null),
    list: (_sys, path) => {
      const pre = path + '/';
      const names = new Set<string>();
      for (const k of Object.keys(files)) if (k.startsWith(pre)) names.add(k.slice(pre.length).split('/')[0]!);
      return names.size ? [...names] : null;
    },
  };
}
