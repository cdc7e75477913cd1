// Tab completion for `ip` and `bridge`: options, objects, verbs, keywords,
// interface names (in the namespace the command would run in) and netns names.
import { registerCompleter, type CompletionContext } from '../../shell/completion';

const IP_OPTIONS = ['-4', '-6', '-0', '-a', '-all', '-br', '-brief', '-c', '-color', '-d', '-details', '-h', '-human', '-j', '-json', '-n', '-netns', '-o', '-oneline', '-p', '-pretty', '-r', '-resolve', '-s', '-stats', '-statistics', '-V', '-Version', '-f', '-family'];
const IP_OBJECTS = ['address', 'help', 'link', 'neighbour', 'neighbor', 'netns', 'route', 'rule', 'maddress', 'monitor', 'nexthop', 'ntable', 'tunnel', 'tuntap', 'xfrm'];

const VERBS: Record<string, string[]> = {
  link: ['add', 'delete', 'set', 'show', 'list', 'help'],
  address: ['add', 'change', 'replace', 'delete', 'show', 'list', 'flush', 'help'],
  route: ['add', 'append', 'change', 'delete', 'flush', 'get', 'list', 'prepend', 'replace', 'show', 'help'],
  rule: ['add', 'delete', 'flush', 'list', 'show', 'help'],
  neighbour: ['add', 'change', 'delete', 'flush', 'replace', 'show', 'list', 'help'],
  netns: ['add', 'attach', 'delete', 'exec', 'identify', 'list', 'list-id', 'monitor', 'pids', 'set', 'help'],
};

const KEYWORDS: Record<string, string[]> = {
  link: ['dev', 'up', 'down', 'name', 'type', 'peer', 'master', 'nomaster', 'netns', 'mtu', 'address', 'txqueuelen', 'alias', 'veth', 'bridge', 'dummy'],
  address: ['dev', 'brd', 'broadcast', 'scope', 'label', 'local', 'peer', 'to', 'up', 'global', 'link', 'host', 'primary', 'secondary', 'dynamic', 'permanent', 'valid_lft', 'preferred_lft', 'noprefixroute'],
  route: ['default', 'via', 'dev', 'src', 'metric', 'table', 'proto', 'scope', 'type', 'onlink', 'from', 'to', 'root', 'match', 'exact', 'fibmatch', 'oif', 'iif', 'blackhole', 'unreachable', 'prohibit', 'local', 'main', 'all', 'kernel', 'static', 'boot', 'link', 'host', 'global'],
  rule: ['from', 'to', 'table', 'lookup', 'priority', 'pref', 'fwmark', 'iif', 'oif', 'not', 'blackhole', 'unreachable', 'prohibit'],
  neighbour: ['dev', 'lladdr', 'nud', 'permanent', 'reachable', 'stale', 'noarp', 'all', 'to', 'proxy', 'router'],
};

function objectOf(word: string): string | null {
  for (const o of ['address', 'route', 'rule', 'neighbour', 'link', 'netns']) if (o.startsWith(word)) return o;
  if ('neighbor'.startsWith(word)) return 'neighbour';
  return null;
}

function linkNames(ctx: CompletionContext): string[] {
  const ns = ctx.sys.world.state.namespaces[ctx.sys.ns];
  return ns ? ns.links.map((l) => l.name) : [];
}

function netnsNames(ctx: CompletionContext): string[] {
  const h = ctx.sys.world.state.hosts[ctx.sys.host];
  return h ? Object.keys(h.netns) : [];
}

/** The namespace `-n NAME` designates (completion then lists its interfaces). */
function withNetnsOption(ctx: CompletionContext, words: string[]): CompletionContext {
  const i = words.findIndex((w) => w === '-n' || w === '-netns' || w === '--netns');
  if (i < 0 || !words[i + 1]) return ctx;
  const id = ctx.sys.world.state.hosts[ctx.sys.host]?.netns[words[i + 1]!];
  return id ? { ...ctx, sys: { ...ctx.sys, ns: id } } : ctx;
}

export function completeIp(ctxIn: CompletionContext): string[] {
  const words = ctxIn.words;
  const ctx = withNetnsOption(ctxIn, words);
  const prev = words[words.length - 1] ?? '';
  if (prev === '-n' || prev === '-netns') return netnsNames(ctx);
  if (prev === '-f' || prev === '-family') return ['inet', 'inet6', 'link', 'bridge', 'mpls'];
  // skip global options (and -n's argument)
  let i = 1;
  while (i < words.length && words[i]!.startsWith('-')) i += words[i] === '-n' || words[i] === '-netns' || words[i] === '-f' || words[i] === '-family' ? 2 : 1;
  if (i >= words.length) return ctx.current.startsWith('-') ? IP_OPTIONS : IP_OBJECTS;
  const obj = objectOf(words[i]!);
  if (!obj) return [];
  const rest = words.slice(i + 1);
  if (rest.length === 0) return VERBS[obj] ?? [];
  if (obj === 'netns') {
    const verb = rest[0]!;
    if (rest.length === 1 && ['exec', 'delete', 'del', 'pids', 'set', 'identify'].some((v) => v.startsWith(verb) && verb.length > 0)) return netnsNames(ctx);
    return [];
  }
  if (['dev', 'master', 'oif', 'iif', 'name'].includes(prev) && prev !== 'name') return linkNames(ctx);
  if (prev === 'netns') return netnsNames(ctx);
  if (prev === 'type') return obj === 'link' ? ['veth', 'bridge', 'dummy', 'bridge_slave'] : ['unicast', 'local', 'broadcast', 'blackhole', 'unreachable', 'prohibit', 'throw'];
  if (prev === 'table') return ['local', 'main', 'default', 'all'];
  if (prev === 'scope') return ['global', 'link', 'host', 'site'];
  if (prev === 'proto' || prev === 'protocol') return ['kernel', 'boot', 'static', 'dhcp'];
  if (prev === 'nud') return ['permanent', 'reachable', 'stale', 'noarp', 'delay', 'probe', 'failed', 'incomplete', 'none', 'all'];
  return [...(KEYWORDS[obj] ?? []), ...(obj === 'link' || obj === 'address' ? linkNames(ctx) : [])];
}

export function completeBridge(ctxIn: CompletionContext): string[] {
  const words = ctxIn.words;
  const ctx = withNetnsOption(ctxIn, words);
  const prev = words[words.length - 1] ?? '';
  if (prev === '-n' || prev === '-netns') return netnsNames(ctx);
  let i = 1;
  while (i < words.length && words[i]!.startsWith('-')) i += words[i] === '-n' || words[i] === '-netns' ? 2 : 1;
  if (i >= words.length) return ctx.current.startsWith('-') ? ['-s', '-d', '-j', '-p', '-n', '-c', '-V', '-o'] : ['link', 'fdb', 'mdb', 'vlan', 'monitor', 'help'];
  const obj = words[i]!;
  const rest = words.slice(i + 1);
  if (rest.length === 0) return 'fdb'.startsWith(obj) ? ['show', 'add', 'append', 'del', 'replace', 'help'] : ['show', 'set', 'help'];
  if (prev === 'dev' || prev === 'br' || prev === 'brport') return linkNames(ctx);
  return ['dev', 'br', 'brport', 'master', 'self', 'permanent', 'static', 'dynamic'];
}

registerCompleter('ip', completeIp);
registerCompleter('bridge', completeBridge);
