// Tab completion for net-tools (route, netstat, arp, ifconfig) and ss:
// their options, keywords, interface names, address families, socket states
// and the addresses of the neighbour table.
import type { CompletionContext } from './types';
import { compCtx, hostsFileNames, ifNames, neighAddrs, netnsNames, NETMASKS } from './completion-util';

const AFS = ['inet', 'inet6', 'unix', 'ax25', 'netrom', 'rose', 'ipx', 'ddp', 'appletalk', 'x25', 'bluetooth'];

// ---------------------------------------------------------------- route

const ROUTE_OPTIONS = ['-n', '-N', '-e', '-ee', '-v', '-F', '-C', '-A', '-4', '-6', '-h', '-V', '--numeric', '--symbolic', '--extend', '--verbose', '--fib', '--cache', '--inet', '--inet6', '--help', '--version'];
const ROUTE_KEYWORDS = ['-net', '-host', 'default', 'netmask', 'gw', 'dev', 'metric', 'mss', 'window', 'irtt', 'reject', 'mod', 'dyn', 'reinstate'];

export function completeRoute(ctx: CompletionContext): string[] {
  const { words, current } = ctx;
  const prev = words[words.length - 1]!;
  if (prev === '-A') return AFS;
  if (prev === 'dev') return ifNames(compCtx(ctx));
  if (prev === 'netmask') return NETMASKS;
  if (['gw', 'metric', 'mss', 'window', 'irtt', '-net', '-host'].includes(prev)) return [];
  const verb = words.slice(1).find((w) => w === 'add' || w === 'del' || w === 'flush');
  if (!verb) return current.startsWith('-') ? ROUTE_OPTIONS : ['add', 'del', 'flush'];
  if (verb === 'flush') return [];
  return ROUTE_KEYWORDS;
}

// ---------------------------------------------------------------- netstat

const NETSTAT_SHORT = ['-r', '-i', '-g', '-s', '-M', '-v', '-W', '-n', '-N', '-e', '-p', '-o', '-c', '-l', '-a', '-F', '-C', '-Z', '-t', '-u', '-U', '-S', '-w', '-x', '-4', '-6', '-A', '-V', '-h'];
const NETSTAT_LONG = [
  '--route', '--interfaces', '--groups', '--statistics', '--masquerade', '--verbose', '--wide', '--numeric', '--numeric-hosts', '--numeric-ports',
  '--numeric-users', '--symbolic', '--extend', '--programs', '--timers', '--continuous', '--listening', '--all', '--fib', '--cache', '--context',
  '--tcp', '--udp', '--udplite', '--sctp', '--raw', '--unix', '--protocol', '--inet', '--inet6', '--ax25', '--ipx', '--netrom', '--version', '--help',
];

export function completeNetstat(ctx: CompletionContext): string[] {
  const prev = ctx.words[ctx.words.length - 1]!;
  if (prev === '-A' || prev === '--protocol') return AFS;
  if (ctx.current.startsWith('--')) return NETSTAT_LONG;
  return [...NETSTAT_SHORT, ...NETSTAT_LONG];
}

// ---------------------------------------------------------------- ss

const SS_SHORT = ['-h', '-V', '-H', '-O', '-n', '-r', '-a', '-l', '-o', '-e', '-m', '-p', '-T', '-i', '-s', '-E', '-Z', '-z', '-N', '-b', '-K', '-4', '-6', '-0', '-t', '-M', '-S', '-u', '-d', '-w', '-x', '-f', '-A', '-D', '-F'];
const SS_LONG = [
  '--help', '--version', '--no-header', '--oneline', '--numeric', '--resolve', '--all', '--listening', '--options', '--extended', '--memory', '--processes',
  '--threads', '--info', '--tos', '--cgroup', '--tipcinfo', '--summary', '--events', '--context', '--contexts', '--net', '--bpf', '--kill', '--ipv4',
  '--ipv6', '--packet', '--tcp', '--mptcp', '--sctp', '--udp', '--dccp', '--raw', '--unix', '--tipc', '--vsock', '--xdp', '--inet-sockopt', '--family',
  '--query', '--socket', '--diag', '--filter',
];
const SS_STATES = ['all', 'connected', 'synchronized', 'bucket', 'big', 'established', 'syn-sent', 'syn-recv', 'fin-wait-1', 'fin-wait-2', 'time-wait', 'closed', 'close-wait', 'last-ack', 'listening', 'closing'];
const SS_FAMILIES = ['unix', 'inet', 'inet6', 'link', 'netlink', 'vsock', 'tipc', 'xdp', 'mptcp'];
const SS_QUERIES = ['all', 'inet', 'tcp', 'mptcp', 'udp', 'raw', 'unix', 'packet', 'netlink', 'unix_dgram', 'unix_stream', 'unix_seqpacket', 'packet_raw', 'packet_dgram', 'dccp', 'sctp', 'tipc', 'vsock_stream', 'vsock_dgram', 'xdp'];
const SS_FILTER = ['state', 'exclude', 'dst', 'src', 'dport', 'sport', 'dev', 'and', 'or', 'not'];

export function completeSs(ctx: CompletionContext): string[] {
  const prev = ctx.words[ctx.words.length - 1]!;
  if (prev === 'state' || prev === 'exclude') return SS_STATES;
  if (prev === '-f' || prev === '--family') return SS_FAMILIES;
  if (prev === '-A' || prev === '--query' || prev === '--socket') return SS_QUERIES;
  if (prev === '-N' || prev === '--net') return netnsNames(compCtx(ctx));
  if (prev === 'dev') return ifNames(compCtx(ctx));
  if (['dst', 'src', 'dport', 'sport', '-D', '--diag', '-F', '--filter'].includes(prev)) return [];
  if (ctx.current.startsWith('--')) return SS_LONG;
  if (ctx.current.startsWith('-')) return [...SS_SHORT, ...SS_LONG];
  return SS_FILTER;
}

// ---------------------------------------------------------------- arp

const ARP_OPTIONS = ['-n', '-a', '-e', '-s', '-d', '-i', '-v', '-f', '-D', '-H', '-t', '-V', '-h', '--numeric', '--all', '--set', '--delete', '--device', '--verbose', '--file', '--use-device', '--hw-type', '--protocol', '--version', '--help'];

export function completeArp(ctx: CompletionContext): string[] {
  const c = compCtx(ctx);
  const { words, current } = ctx;
  const prev = words[words.length - 1]!;
  if (prev === '-i' || prev === '--device' || prev === 'dev') return ifNames(c);
  if (prev === '-H' || prev === '-t' || prev === '--hw-type') return ['ether', 'arcnet', 'pronet', 'ax25', 'netrom', 'rose', 'tr', 'ash', 'infiniband', 'eui64'];
  if (prev === '-p' || prev === '--protocol') return ['inet'];
  if (prev === '-d' || prev === '--delete') return neighAddrs(c, 4);
  if (prev === '-f' || prev === '--file' || prev === 'netmask') return prev === 'netmask' ? NETMASKS : [];
  if (current.startsWith('-')) return ARP_OPTIONS;
  // arp -s HOST MAC [temp] [pub] [netmask NM] [dev IF]
  const set = words.findIndex((w) => w === '-s' || w === '--set' || w === '-Ds');
  if (set > 0) {
    const after = words.length - set - 1;
    if (after === 0) return [...neighAddrs(c, 4), ...hostsFileNames(ctx.sys)];
    if (after === 1) return [];
    return ['temp', 'pub', 'netmask', 'dev'];
  }
  return neighAddrs(c, 4);
}

// ---------------------------------------------------------------- ifconfig

const IFCONFIG_KEYWORDS = [
  'up', 'down', 'netmask', 'broadcast', '-broadcast', 'mtu', 'txqueuelen', 'hw', 'add', 'del', 'name', 'arp', '-arp', 'promisc', '-promisc',
  'allmulti', '-allmulti', 'multicast', 'pointopoint', '-pointopoint', 'dstaddr', 'metric', 'inet', 'inet6', 'dynamic', '-dynamic', 'trailers', '-trailers',
];

export function completeIfconfig(ctx: CompletionContext): string[] {
  const c = compCtx(ctx);
  const { words, current } = ctx;
  const prev = words[words.length - 1]!;
  if (prev === 'netmask') return NETMASKS;
  if (prev === 'hw') return ['ether'];
  if (['broadcast', 'mtu', 'txqueuelen', 'add', 'del', 'name', 'pointopoint', 'dstaddr', 'metric', 'ether'].includes(prev)) return [];
  const args = words.slice(1).filter((w) => !/^-[avs]+$/.test(w));
  if (args.length === 0) return current.startsWith('-') ? ['-a', '-s', '-v'] : ifNames(c);
  return IFCONFIG_KEYWORDS;
}
