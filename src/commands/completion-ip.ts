// Tab completion for ip and bridge (iproute2): global options, objects and
// their verbs (abbreviations resolved as iproute2's matches() does: `ip a s`
// is `ip address show`), the keywords after a verb and their values:
// interfaces of the right namespace (-n NAME, ip netns exec NAME), named
// namespaces, link types, route tables, scopes, neighbour states...
import type { CompletionContext } from './types';
import { bridgeNames, completeSpec, firstMatch, ifNames, localPrefixes, neighAddrs, netnsByName, netnsNames, ON_OFF, type CompCtx, type Gen, type Spec } from './completion-util';

// ---------------------------------------------------------------- global options

/** ip's options in the order ip.c tries them (an abbreviation takes the first match); true: takes a value. */
const IP_OPT_ORDER: [string, boolean][] = [
  ['-loops', true], ['-family', true], ['-human', false], ['-human-readable', false], ['-iec', false], ['-stats', false], ['-statistics', false],
  ['-details', false], ['-resolve', false], ['-oneline', false], ['-timestamp', false], ['-tshort', false], ['-Version', false], ['-force', false],
  ['-batch', true], ['-brief', false], ['-json', false], ['-pretty', false], ['-rcvbuf', true], ['-color', false], ['-help', false], ['-netns', true],
  ['-Numeric', false], ['-all', false],
];

const IP_OPTIONS = [
  '-4', '-6', '-0', '-B', '-M', '-V', '-Version', '-s', '-stats', '-statistics', '-d', '-details', '-r', '-resolve', '-h', '-human', '-human-readable', '-iec',
  '-f', '-family', '-o', '-oneline', '-t', '-timestamp', '-ts', '-tshort', '-b', '-batch', '-br', '-brief', '-j', '-json', '-p', '-pretty', '-rc', '-rcvbuf',
  '-n', '-netns', '-N', '-Numeric', '-a', '-all', '-c', '-color', '-force', '-l', '-loops', '-echo', '-help',
];

const FAMILIES = ['inet', 'inet6', 'link', 'bridge', 'mpls'];

/** The option a word stands for (`-n` is -netns, `-br` -brief), or null. */
function globalOpt(word: string, order: [string, boolean][]): [string, boolean] | null {
  const w = word.startsWith('--') ? word.slice(1) : word;
  const key = w.includes('=') ? w.slice(0, w.indexOf('=')) : w;
  if (key.length < 2) return null;
  return order.find(([n]) => n.startsWith(key)) ?? null;
}

interface Parsed {
  c: CompCtx;
  /** index of the object word in words, or words.length when none yet */
  objAt: number;
  /** candidates when the word being completed is a global option's value */
  value: string[] | null;
  /** the global options given (full names) */
  opts: string[];
}

/** Walk the global options: the namespace of -n NAME, and what a value slot accepts. */
function parseGlobals(ctx: CompletionContext, order: [string, boolean][], values: (opt: string, c: CompCtx) => string[]): Parsed {
  const { words, sys } = ctx;
  const c: CompCtx = { sys, ns: sys.ns };
  const opts: string[] = [];
  let i = 1;
  while (i < words.length) {
    const w = words[i]!;
    if (w === '--') {
      i++;
      break;
    }
    if (!w.startsWith('-')) break;
    const opt = globalOpt(w, order);
    if (opt) opts.push(opt[0]);
    if (opt && opt[1]) {
      if (i + 1 >= words.length) return { c, objAt: words.length, value: values(opt[0], c), opts };
      if (opt[0] === '-netns') c.ns = netnsByName(sys, words[i + 1]!) ?? c.ns;
      i += 2;
    } else i++;
  }
  return { c, objAt: i, value: null, opts };
}

// ---------------------------------------------------------------- values

const ifs: Gen = ifNames;
const nss: Gen = netnsNames;
const LINK_TYPES = ['bridge', 'dummy', 'veth'];
const SCOPES = ['global', 'site', 'link', 'host', 'nowhere'];
const ADDR_SCOPES = ['global', 'link', 'host'];
const PROTOS = ['kernel', 'boot', 'static', 'dhcp', 'ra', 'redirect', 'bgp', 'ospf', 'babel', 'bird', 'zebra'];
const ROUTE_TYPES = ['unicast', 'local', 'broadcast', 'multicast', 'throw', 'unreachable', 'prohibit', 'blackhole', 'nat'];
const NUD = ['permanent', 'noarp', 'stale', 'reachable', 'none', 'incomplete', 'delay', 'probe', 'failed'];

/** Route tables: the named ones and the numbered tables the namespace holds. */
function tables(c: CompCtx): string[] {
  const ns = c.sys.world.state.namespaces[c.ns];
  const nums = (ns?.fibTables ?? []).map((t) => t.slice(t.indexOf(':') + 1)).filter((t) => !['253', '254', '255'].includes(t));
  return ['local', 'main', 'default', ...new Set(nums)];
}

/** IPv4/IPv6 route destinations of the main table as `ip route` prints them. */
function routeDsts(c: CompCtx): string[] {
  const ns = c.sys.world.state.namespaces[c.ns];
  const out = new Set<string>(['default']);
  for (const r of ns?.routes ?? []) {
    if (r.table !== 254) continue;
    if (r.dstLen === 0) continue;
    out.add(r.dstLen === (r.family === 4 ? 32 : 128) ? r.dst : `${r.dst}/${r.dstLen}`);
  }
  return [...out];
}

// ---------------------------------------------------------------- objects and verbs

interface ObjDef {
  /** verbs in the order the object's code tries them (aliases included: `lst`, `chg`) */
  order: string[];
  /** verbs offered */
  verbs: string[];
  /** alias -> verb */
  alias?: Record<string, string>;
  /** the grammar after a verb */
  spec?: (verb: string, args: string[], c: CompCtx) => Spec | string[] | null;
}

const linkSpec = (verb: string, args: string[]): Spec | string[] | null => {
  const types = () => LINK_TYPES;
  switch (verb) {
    case 'add': {
      const spec: Spec = {
        args: {
          link: ifs, name: null, type: types, txqueuelen: null, address: null, broadcast: null, mtu: null, index: null,
          numtxqueues: null, numrxqueues: null, netns: nss, group: null,
        },
        alias: { txqlen: 'txqueuelen', qlen: 'txqueuelen', brd: 'broadcast' },
      };
      const type = args[args.indexOf('type') + 1];
      if (args.includes('type') && type === 'veth') spec.args!.peer = () => ['name'];
      if (args.includes('type') && type === 'bridge') {
        Object.assign(spec.args!, { stp_state: () => ['0', '1'], vlan_filtering: () => ['0', '1'], forward_delay: null, hello_time: null, max_age: null, ageing_time: null, priority: null });
      }
      return spec;
    }
    case 'set':
      return {
        pos: ifs,
        posKeys: ['dev', 'group'],
        posFirst: true,
        args: {
          dev: ifs, group: null, arp: () => ON_OFF, multicast: () => ON_OFF, allmulticast: () => ON_OFF, promisc: () => ON_OFF, trailers: () => ON_OFF,
          dynamic: () => ON_OFF, carrier: () => ON_OFF, protodown: () => ON_OFF, txqueuelen: null, name: null, address: null, broadcast: null, mtu: null,
          netns: nss, 'link-netns': nss, 'link-netnsid': null, alias: null, master: ifs, vrf: null, type: types,
          addrgenmode: () => ['eui64', 'none', 'stable_secret', 'random'], gso_max_size: null, gso_max_segs: null, gro_max_size: null,
        },
        flags: ['up', 'down', 'nomaster'],
        alias: { txqlen: 'txqueuelen', qlen: 'txqueuelen', brd: 'broadcast' },
        exclusive: [['up', 'down'], ['master', 'nomaster']],
      };
    case 'delete':
      return { pos: ifs, posKeys: ['dev', 'group'], posFirst: true, args: { dev: ifs, group: null, type: types } };
    case 'show':
      return { pos: ifs, posKeys: ['dev', 'group'], args: { dev: ifs, group: null, master: ifs, vrf: null, type: types }, flags: ['up', 'nomaster'] };
    case 'xstats':
      return { args: { type: types } };
    case 'afstats':
      return { args: { dev: ifs } };
    case 'property':
      return args.length === 0 ? ['add', 'del'] : { args: { dev: ifs, altname: null } };
    case 'help':
      return args.length === 0 ? LINK_TYPES : [];
  }
  return null;
};

/** The verbs that write one entry (`ip address`/`ip neigh` add, change, replace, delete). */
const EDIT_VERBS = new Set(['add', 'change', 'replace', 'delete']);

const addrSpec = (verb: string): Spec | null => {
  if (EDIT_VERBS.has(verb)) {
    return {
      pos: verb === 'delete' ? localPrefixes : undefined,
      args: {
        dev: ifs, local: null, peer: null, broadcast: null, anycast: null, label: null, scope: () => ADDR_SCOPES, metric: null,
        valid_lft: () => ['forever'], preferred_lft: () => ['forever'],
      },
      flags: ['home', 'nodad', 'mngtmpaddr', 'noprefixroute', 'autojoin'],
      alias: { brd: 'broadcast', priority: 'metric', preference: 'metric' },
    };
  }
  switch (verb) {
    case 'show':
    case 'flush':
    case 'save':
      return {
        pos: ifs,
        posKeys: ['dev'],
        args: { dev: ifs, scope: () => ADDR_SCOPES, to: null, label: null, master: ifs, type: () => LINK_TYPES, vrf: null },
        flags: ['up', 'nomaster', 'dynamic', 'permanent', 'tentative', '-tentative', 'deprecated', '-deprecated', 'dadfailed', '-dadfailed', 'temporary', 'primary', 'secondary'],
      };
  }
  return null;
};

const routeSpec = (verb: string): Spec | null => {
  switch (verb) {
    case 'add':
    case 'change':
    case 'replace':
    case 'prepend':
    case 'append':
    case 'test':
    case 'delete':
      return {
        pos: verb === 'add' ? () => ['default'] : routeDsts,
        args: {
          via: null, dev: ifs, src: null, metric: null, table: tables, proto: () => PROTOS, scope: () => SCOPES, mtu: null, advmss: null,
          weight: null, realms: null, tos: null, hoplimit: null, initcwnd: null, initrwnd: null, window: null, nhid: null, pref: () => ['low', 'medium', 'high'],
          expires: null, type: () => ROUTE_TYPES,
        },
        flags: ['onlink', 'pervasive', 'nexthop'],
        alias: { oif: 'dev', priority: 'metric', preference: 'metric', protocol: 'proto', dsfield: 'tos' },
      };
    case 'show':
    case 'flush':
    case 'save':
      return {
        pos: routeDsts,
        args: {
          table: (c) => [...tables(c), 'all'], vrf: null, proto: () => PROTOS, scope: () => SCOPES, type: () => ROUTE_TYPES, dev: ifs, iif: ifs,
          via: null, src: null, from: null, to: null, root: null, match: null, exact: null, tos: null,
        },
        flags: ['cache', 'cloned'],
        alias: { oif: 'dev', protocol: 'proto', dsfield: 'tos', cached: 'cache' },
      };
    case 'get':
      return {
        args: { from: null, iif: ifs, oif: ifs, dev: ifs, mark: null, tos: null, vrf: null, uid: null, ipproto: null, sport: null, dport: null },
        flags: ['connected', 'fibmatch', 'notify'],
        alias: { dsfield: 'tos' },
      };
  }
  return null;
};

const ruleSpec = (verb: string): Spec | null => {
  if (verb === 'restore') return null;
  if (verb === 'flush' || verb === 'save') return { args: { protocol: null } };
  const free = ['from', 'to', 'tos', 'fwmark', 'uidrange', 'ipproto', 'sport', 'dport', 'priority', 'protocol', 'suppress_prefixlength', 'suppress_ifgroup', 'realms', 'nat', 'goto'];
  const args: Record<string, Gen | null> = Object.fromEntries(free.map((k) => [k, null]));
  Object.assign(args, { iif: ifs, oif: ifs, table: tables });
  return {
    args,
    flags: ['not', 'l3mdev', 'unreachable', 'prohibit', 'blackhole', 'nop'],
    alias: { pref: 'priority', preference: 'priority', order: 'priority', lookup: 'table', dsfield: 'tos' },
  };
};

const neighSpec = (verb: string): Spec | null => {
  const neigh: Gen = (c) => neighAddrs(c);
  if (EDIT_VERBS.has(verb)) {
    return {
      pos: verb === 'add' ? undefined : neigh,
      args: { lladdr: null, nud: () => NUD, dev: ifs, proxy: null, protocol: null, to: null },
      flags: ['router', 'use', 'managed', 'extern_learn'],
    };
  }
  switch (verb) {
    case 'show':
    case 'flush':
      return { pos: neigh, args: { to: null, dev: ifs, nud: () => [...NUD, 'all'], vrf: null }, flags: ['proxy', 'nomaster', 'unused'] };
    case 'get':
      return { pos: neigh, args: { dev: ifs }, flags: ['proxy'] };
  }
  return null;
};

const netnsSpec = (verb: string, args: string[], c: CompCtx): string[] | null => {
  switch (verb) {
    case 'delete':
    case 'exec':
    case 'pids':
    case 'identify':
      return args.length === 0 ? netnsNames(c) : [];
    case 'set':
      return args.length === 0 ? netnsNames(c) : args.length === 1 ? ['auto'] : [];
    case 'list-id':
      return args.length % 2 === 0 ? ['target-nsid', 'nsid'] : null;
  }
  return null;
};

const devOnly = (): Spec => ({ args: { dev: ifs } });

const OBJECTS: Record<string, ObjDef> = {
  address: {
    order: ['add', 'change', 'chg', 'replace', 'delete', 'list', 'show', 'lst', 'flush', 'save', 'showdump', 'restore', 'help'],
    verbs: ['add', 'change', 'replace', 'delete', 'show', 'list', 'flush', 'save', 'restore', 'showdump', 'help'],
    alias: { chg: 'change', list: 'show', lst: 'show' },
    spec: addrSpec,
  },
  addrlabel: { order: ['list', 'add', 'delete', 'flush', 'help'], verbs: ['add', 'delete', 'list', 'flush', 'help'], spec: () => ({ args: { dev: ifs, prefix: null, label: null } }) },
  maddress: { order: ['add', 'delete', 'list', 'show', 'lst', 'help'], verbs: ['add', 'delete', 'show', 'list', 'help'], alias: { list: 'show', lst: 'show' }, spec: () => ({ pos: ifs, posKeys: ['dev'], args: { dev: ifs } }) },
  route: {
    order: ['add', 'change', 'chg', 'replace', 'prepend', 'append', 'test', 'delete', 'list', 'show', 'lst', 'get', 'flush', 'save', 'restore', 'showdump', 'help'],
    verbs: ['add', 'change', 'replace', 'prepend', 'append', 'test', 'delete', 'show', 'list', 'flush', 'get', 'save', 'restore', 'showdump', 'help'],
    alias: { chg: 'change', list: 'show', lst: 'show' },
    spec: routeSpec,
  },
  rule: {
    order: ['add', 'delete', 'list', 'lst', 'show', 'flush', 'save', 'restore', 'help'],
    verbs: ['add', 'delete', 'list', 'show', 'flush', 'save', 'restore', 'help'],
    alias: { list: 'show', lst: 'show' },
    spec: ruleSpec,
  },
  neighbour: {
    order: ['add', 'change', 'chg', 'replace', 'delete', 'show', 'lst', 'list', 'flush', 'get', 'help'],
    verbs: ['add', 'delete', 'change', 'replace', 'show', 'list', 'flush', 'get', 'help'],
    alias: { chg: 'change', list: 'show', lst: 'show' },
    spec: neighSpec,
  },
  ntable: { order: ['change', 'show', 'list', 'help'], verbs: ['change', 'show', 'help'], spec: () => ({ args: { dev: ifs, name: null } }) },
  link: {
    order: ['add', 'set', 'change', 'replace', 'delete', 'show', 'lst', 'list', 'xstats', 'afstats', 'property', 'help'],
    verbs: ['add', 'delete', 'set', 'change', 'replace', 'show', 'list', 'xstats', 'afstats', 'property', 'help'],
    alias: { change: 'set', lst: 'show', list: 'show', replace: 'add' },
    spec: linkSpec,
  },
  l2tp: { order: ['add', 'delete', 'show', 'help'], verbs: ['add', 'delete', 'show', 'help'] },
  fou: { order: ['add', 'delete', 'show', 'help'], verbs: ['add', 'delete', 'show', 'help'] },
  ila: { order: ['add', 'delete', 'list', 'help'], verbs: ['add', 'delete', 'list', 'help'] },
  macsec: { order: ['add', 'set', 'delete', 'show', 'offload', 'help'], verbs: ['add', 'set', 'delete', 'show', 'offload', 'help'], spec: devOnly },
  tunnel: { order: ['add', 'change', 'delete', 'show', 'list', 'lst', 'prl', '6rd', 'help'], verbs: ['add', 'change', 'delete', 'show', 'prl', '6rd', 'help'], spec: devOnly },
  tuntap: { order: ['add', 'delete', 'show', 'list', 'lst', 'help'], verbs: ['add', 'delete', 'show', 'list', 'help'], spec: () => ({ args: { dev: ifs, mode: () => ['tun', 'tap'], user: null, group: null } }) },
  token: { order: ['list', 'lst', 'show', 'set', 'get', 'help'], verbs: ['set', 'get', 'list', 'help'], spec: devOnly },
  tcp_metrics: { order: ['help', 'flush', 'delete', 'show', 'list', 'lst'], verbs: ['show', 'flush', 'delete', 'help'] },
  monitor: {
    order: ['all', 'link', 'address', 'route', 'mroute', 'neigh', 'netconf', 'nexthop', 'nsid', 'prefix', 'rule', 'stats', 'help'],
    verbs: ['all', 'link', 'address', 'route', 'mroute', 'neigh', 'netconf', 'nexthop', 'nsid', 'prefix', 'rule', 'stats', 'label', 'all-nsid', 'dev', 'help'],
  },
  xfrm: { order: ['state', 'policy', 'monitor'], verbs: ['state', 'policy', 'monitor'] },
  mroute: { order: ['show', 'list', 'lst', 'help'], verbs: ['show', 'help'], spec: () => ({ args: { iif: ifs, table: tables, vrf: null } }) },
  mrule: { order: ['add', 'delete', 'list', 'lst', 'show', 'flush', 'save', 'restore', 'help'], verbs: ['add', 'delete', 'list', 'show', 'flush', 'save', 'restore', 'help'], spec: ruleSpec },
  netns: {
    order: ['list', 'show', 'lst', 'list-id', 'help', 'add', 'set', 'delete', 'identify', 'pids', 'exec', 'monitor', 'attach'],
    verbs: ['list', 'add', 'attach', 'set', 'delete', 'identify', 'pids', 'exec', 'monitor', 'list-id', 'help'],
    alias: { show: 'list', lst: 'list' },
    spec: netnsSpec,
  },
  netconf: { order: ['show', 'list', 'lst', 'help'], verbs: ['show', 'help'], spec: () => ({ args: { dev: ifs } }) },
  vrf: { order: ['show', 'list', 'lst', 'exec', 'identify', 'pids', 'help'], verbs: ['show', 'exec', 'identify', 'pids', 'help'] },
  sr: { order: ['hmac', 'tunsrc', 'help'], verbs: ['hmac', 'tunsrc', 'help'] },
  nexthop: {
    order: ['add', 'replace', 'delete', 'show', 'list', 'lst', 'flush', 'get', 'bucket', 'help'],
    verbs: ['add', 'replace', 'delete', 'show', 'list', 'flush', 'get', 'bucket', 'help'],
    spec: () => ({ args: { id: null, via: null, dev: ifs, group: null, encap: null, fdb: null }, flags: ['blackhole', 'onlink'] }),
  },
  mptcp: { order: ['endpoint', 'limits', 'monitor', 'help'], verbs: ['endpoint', 'limits', 'monitor', 'help'] },
  ioam: { order: ['namespace', 'schema', 'monitor', 'help'], verbs: ['namespace', 'schema', 'monitor', 'help'] },
  stats: { order: ['show', 'set', 'help'], verbs: ['show', 'set', 'help'], spec: devOnly },
  help: { order: [], verbs: [] },
};

/** The objects in ip.c's order (first match wins) and the object each stands for. */
const OBJ_ORDER: [string, string][] = [
  ['address', 'address'], ['addrlabel', 'addrlabel'], ['maddress', 'maddress'], ['route', 'route'], ['rule', 'rule'], ['neighbor', 'neighbour'],
  ['neighbour', 'neighbour'], ['ntable', 'ntable'], ['ntbl', 'ntable'], ['link', 'link'], ['l2tp', 'l2tp'], ['fou', 'fou'], ['ila', 'ila'],
  ['macsec', 'macsec'], ['tunnel', 'tunnel'], ['tunl', 'tunnel'], ['tuntap', 'tuntap'], ['tap', 'tuntap'], ['token', 'token'],
  ['tcpmetrics', 'tcp_metrics'], ['tcp_metrics', 'tcp_metrics'], ['monitor', 'monitor'], ['xfrm', 'xfrm'], ['mroute', 'mroute'], ['mrule', 'mrule'],
  ['netns', 'netns'], ['netconf', 'netconf'], ['vrf', 'vrf'], ['sr', 'sr'], ['nexthop', 'nexthop'], ['mptcp', 'mptcp'], ['ioam', 'ioam'],
  ['help', 'help'], ['stats', 'stats'],
];

const IP_OBJECTS = [
  'link', 'address', 'addrlabel', 'route', 'rule', 'neighbour', 'ntable', 'tunnel', 'tuntap', 'maddress', 'mroute', 'mrule', 'monitor', 'xfrm', 'netns',
  'l2tp', 'fou', 'macsec', 'tcp_metrics', 'token', 'netconf', 'ila', 'vrf', 'sr', 'nexthop', 'mptcp', 'ioam', 'stats', 'help',
];

function resolveObject(word: string): string | null {
  const m = OBJ_ORDER.find(([n]) => n.startsWith(word));
  return m ? m[1] : null;
}

function resolveVerb(def: ObjDef, word: string): string {
  const v = firstMatch(word, def.order) ?? word;
  return def.alias?.[v] ?? v;
}

/** Values or keywords for the word after `args` in `obj verb args...`. */
function completeAfterVerb(def: ObjDef, verb: string, args: string[], c: CompCtx): string[] {
  const s = def.spec?.(verb, args, c);
  if (Array.isArray(s)) return s;
  if (s) return completeSpec(s, args, c);
  // an object without a grammar: still offer devices and namespaces where they belong
  const prev = args[args.length - 1];
  if (prev === 'dev' || prev === 'master' || prev === 'iif' || prev === 'oif') return ifNames(c);
  if (prev === 'netns' || prev === 'link-netns') return netnsNames(c);
  return [];
}

export function completeIp(ctx: CompletionContext): string[] {
  const p = parseGlobals(ctx, IP_OPT_ORDER, (opt, c) => (opt === '-netns' ? netnsNames(c) : opt === '-family' ? FAMILIES : []));
  if (p.value) return p.value;
  const { words, current } = ctx;
  if (p.objAt >= words.length) return current.startsWith('-') ? IP_OPTIONS : IP_OBJECTS;
  const obj = resolveObject(words[p.objAt]!);
  if (!obj) return [];
  const def = OBJECTS[obj]!;
  const rest = words.slice(p.objAt + 1);
  if (rest.length === 0) return def.verbs;
  // `ip -all netns exec CMD` / `ip netns exec NS CMD`: the command's own words are not ip's
  const verb = resolveVerb(def, rest[0]!);
  if (obj === 'netns' && (verb === 'exec' || verb === 'delete') && (rest.length >= 2 || p.opts.includes('-all'))) return [];
  return completeAfterVerb(def, verb, rest.slice(1), p.c);
}

// ---------------------------------------------------------------- bridge

const BRIDGE_OPT_ORDER: [string, boolean][] = [
  ['-help', false], ['-Version', false], ['-stats', false], ['-statistics', false], ['-details', false], ['-oneline', false], ['-timestamp', false],
  ['-family', true], ['-netns', true], ['-color', false], ['-compressvlans', false], ['-force', false], ['-json', false], ['-pretty', false], ['-batch', true],
];

const BRIDGE_OPTIONS = ['-4', '-6', '-V', '-Version', '-s', '-stats', '-statistics', '-d', '-details', '-o', '-oneline', '-t', '-timestamp', '-f', '-family', '-n', '-netns', '-c', '-color', '-compressvlans', '-force', '-j', '-json', '-p', '-pretty', '-b', '-batch', '-h', '-help'];

const PORT_STATES = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'];

const BRIDGE_OBJECTS: Record<string, ObjDef> = {
  link: {
    order: ['set', 'change', 'show', 'lst', 'list', 'help'],
    verbs: ['set', 'show', 'help'],
    alias: { change: 'set', lst: 'show', list: 'show' },
    spec: (verb) => {
      if (verb === 'show') return { args: { dev: ifs, master: (c) => bridgeNames(c) } };
      if (verb !== 'set') return null;
      const onoff = ['guard', 'hairpin', 'fastleave', 'root_block', 'learning', 'learning_sync', 'flood', 'mcast_flood', 'bcast_flood', 'mcast_to_unicast', 'neigh_suppress', 'vlan_tunnel', 'isolated', 'locked', 'mab'];
      const args: Record<string, Gen | null> = Object.fromEntries(onoff.map((k) => [k, () => ON_OFF]));
      Object.assign(args, { dev: ifs, cost: null, priority: null, state: () => PORT_STATES, backup_port: ifs, hwmode: () => ['vepa', 'veb'] });
      return { args, flags: ['nobackup_port', 'self', 'master'] };
    },
  },
  fdb: {
    order: ['add', 'append', 'replace', 'delete', 'show', 'lst', 'list', 'flush', 'get', 'help'],
    verbs: ['add', 'append', 'replace', 'delete', 'show', 'flush', 'get', 'help'],
    alias: { lst: 'show', list: 'show' },
    spec: (verb): Spec => {
      if (verb === 'show' || verb === 'flush') return { args: { br: (c) => bridgeNames(c), brport: ifs, dev: ifs, vlan: null, state: () => ['permanent', 'static', 'dynamic'] }, flags: ['dynamic', 'self', 'master'] };
      return { args: { dev: ifs, dst: null, vlan: null, port: null, vni: null, via: null, src_vni: null, nhid: null, br: (c) => bridgeNames(c) }, flags: ['local', 'permanent', 'static', 'dynamic', 'self', 'master', 'router', 'use', 'extern_learn', 'sticky'] };
    },
  },
  mdb: {
    order: ['add', 'delete', 'replace', 'show', 'lst', 'list', 'flush', 'get', 'help'],
    verbs: ['add', 'delete', 'replace', 'show', 'flush', 'get', 'help'],
    spec: () => ({ args: { dev: ifs, port: ifs, grp: null, src: null, vid: null }, flags: ['permanent', 'temp'] }),
  },
  vlan: {
    order: ['add', 'delete', 'set', 'show', 'lst', 'list', 'tunnelshow', 'global', 'help'],
    verbs: ['add', 'delete', 'set', 'show', 'tunnelshow', 'global', 'help'],
    spec: () => ({ args: { dev: ifs, vid: null, tunnel_info: null, state: () => PORT_STATES }, flags: ['pvid', 'untagged', 'self', 'master'] }),
  },
  vni: { order: ['add', 'delete', 'show', 'help'], verbs: ['add', 'delete', 'show', 'help'], spec: devOnly },
  monitor: { order: ['link', 'fdb', 'mdb', 'vlan', 'all', 'help'], verbs: ['link', 'fdb', 'mdb', 'vlan', 'all', 'help'] },
  help: { order: [], verbs: [] },
};

const BRIDGE_OBJ_ORDER = ['link', 'fdb', 'mdb', 'vlan', 'vni', 'monitor', 'help'];

export function completeBridge(ctx: CompletionContext): string[] {
  const p = parseGlobals(ctx, BRIDGE_OPT_ORDER, (opt, c) => (opt === '-netns' ? netnsNames(c) : opt === '-family' ? ['inet', 'inet6'] : []));
  if (p.value) return p.value;
  const { words, current } = ctx;
  if (p.objAt >= words.length) return current.startsWith('-') ? BRIDGE_OPTIONS : ['link', 'fdb', 'mdb', 'vlan', 'monitor', 'help'];
  const obj = firstMatch(words[p.objAt]!, BRIDGE_OBJ_ORDER);
  if (!obj) return [];
  const def = BRIDGE_OBJECTS[obj]!;
  const rest = words.slice(p.objAt + 1);
  if (rest.length === 0) return def.verbs;
  return completeAfterVerb(def, resolveVerb(def, rest[0]!), rest.slice(1), p.c);
}
