// Dynamic files computed from the simulated kernel: /proc/sys/**, /proc/net/*,
// /run/netns/*. The tools declare them by path prefix (NetCommand.procFiles:
// /proc/sys by sysctl, /proc/net by netstat); the virtual filesystem
// (simfs.ts) asks them before the host's stored files.
import type { NetCommand, ProcProvider, Sys } from '../commands/types';
import { netCommands } from '../commands/index';

export type { ProcProvider } from '../commands/types';

/** The providers the tools declare (procFiles), longest prefix first. */
export function procTable(commands: NetCommand[]): { prefix: string; provider: ProcProvider }[] {
  const byPrefix = new Map<string, ProcProvider>();
  for (const c of commands) for (const [prefix, provider] of Object.entries(c.procFiles ?? {})) byPrefix.set(prefix, provider);
  return [...byPrefix].map(([prefix, provider]) => ({ prefix, provider })).sort((a, b) => b.prefix.length - a.prefix.length);
}

const providers = procTable(netCommands);

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
