// Setup lines (the fidelity corpus's `@` lines, and scenario setup): state
// that exists before the learner starts typing. Output is discarded.
// The shell's own directives are below; a tool declares those it owns
// (`spawn` by dnsmasq, `httpd` by curl) as its NetCommand's setupDirectives.
import type { Session } from './session';
import type { NetCommand, SetupDirective } from '../commands/types';
import { netCommands } from '../commands/index';
import { daemonFromArgs } from '../sim/process';
import { addNic } from '../sim/netdev';

export type { SetupDirective } from '../commands/types';

/** Split a setup line into words (single and double quotes, backslash escapes; printf-style escapes are left to the commands). */
export function splitWords(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
      continue;
    }
    if (c === ' ' || c === '\t') {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === '"' || c === "'") quote = c;
    else if (c === '\\' && i + 1 < line.length) cur += line[++i];
    else cur += c;
  }
  if (inWord) out.push(cur);
  return out;
}

/** The directives of the shell itself (state a capture harness sets up directly). */
const SHELL_DIRECTIVES: Record<string, SetupDirective> = {
  'sleep': (s, args) => {
    const secs = Number(args[0] ?? '0');
    if (Number.isFinite(secs) && secs > 0) s.world.advance(Math.round(secs * 1000));
  },

  'hostname': (s, args) => {
    if (args[0]) s.world.setHostname(s.host, args[0]);
  },

  /** `@sysctl-set KEY VALUE`: set a sysctl of the host's root namespace directly (the capture harness's own settings). */
  'sysctl-set': (s, _args, rest) => {
    const m = /^(\S+)\s+(.*)$/.exec(rest);
    if (!m) return;
    s.world.ns(s.world.host(s.host).rootNs).sysctl[m[1]!] = m[2]!;
  },

  /** `@daemon NAME [-n NETNS] SPEC...`: a process holding listening sockets and connections (see the corpus README). */
  'daemon': (s, args) => {
    daemonFromArgs(s.world, s.host, args);
  },

  /** `@nic IFNAME SEGMENT`: a physical NIC in the host's root namespace, plugged into a switch or cable of the world. */
  'nic': (s, args) => {
    const [name, segment] = args;
    if (!name) return;
    addNic(s.world, s.world.host(s.host).rootNs, name, segment ?? null);
  },
};

/** Every directive, by name: the shell's own, then each tool's. */
export function directiveTable(commands: NetCommand[]): Map<string, SetupDirective> {
  const out = new Map(Object.entries(SHELL_DIRECTIVES));
  for (const c of commands) for (const [name, fn] of Object.entries(c.setupDirectives ?? {})) out.set(name, fn);
  return out;
}

const directives = directiveTable(netCommands);

/** Run one setup line; a plain command's result is returned (directives return nothing and throw on failure). */
export async function runSetupLine(session: Session, line: string): Promise<{ output: string; exitCode: number } | void> {
  const trimmed = line.trim();
  if (!trimmed) return;
  const m = /^(\S+)\s*(.*)$/.exec(trimmed)!;
  const d = directives.get(m[1]!);
  if (d) {
    await d(session, splitWords(m[2]!), m[2]!);
    return;
  }
  return session.run(trimmed, { fresh: true, noHistory: true });
}
