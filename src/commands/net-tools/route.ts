// route (net-tools 2.10): show the IPv4 routing table from /proc/net/route
// (route, route -n, -e, -ee, -C) and change it through the SIOCADDRT /
// SIOCDELRT ioctls (add/del with -net/-host, netmask, gw, dev, metric,
// reject, mss/window/irtt), with the kernel's ioctl semantics.
import type { CmdResult, NetCommand, Sys } from '../types';
import { ordered } from '../types';
import { AFLIST_ROUTE, FLAG_CACHE, FLAG_EXT, FLAG_FIB, FLAG_NUM, FLAG_NUM_HOST, FLAG_SYM, FLAG_VERBOSE, NETTOOLS_FEATURES, AFTRANS_LONGOPTS, aftransOpt, getoptLong, hostByAddr, interleave, netByAddr, inetResolve, type LongOpt } from './lib';
import { canonicalIp, intToV4, networkOf, v4Mask, v4ToInt } from '../../sim/ip';
import { procNetRouteRows, RTF } from '../procnet';
import { KernelError, STRERROR } from '../../sim/errors';
import { isLocalAddress } from '../../sim/sockets';
import { routeAdd, routeDel, routesOf } from '../../sim/fib';
import type { RouteSpec, RouteSelector } from '../../sim/fib';
import { completeRoute } from '../completion-nettools';

const E_OPTERR = 3;
const E_LOOKUP = 6;
const E_SOCK = 7;

// ---------------------------------------------------------------- showing


/**
 * INET_rresolve(): `numeric` bits as net-tools uses them: 0x0fff numeric,
 * 0x8000 "default" for 0.0.0.0/0, 0x4000 host rather than network.
 */
function rresolve(sys: Sys, addr: string, numeric: number, netmask: string): string {
  if (numeric & 0x0fff) return addr;
  const ad = v4ToInt(addr);
  const mask = v4ToInt(netmask);
  if (ad === 0) {
    if (mask === 0) return numeric & 0x8000 ? 'default' : '*';
    return '0.0.0.0';
  }
  const host = (ad & ~mask) >>> 0 !== 0 || (numeric & 0x4000) !== 0;
  const name = host ? hostByAddr(sys, addr) : netByAddr(sys, addr);
  return name ?? addr;
}

/** rprint_fib(): the table in one of the three layouts (ext 1: Metric Ref Use, 2: MSS Window irtt, 3: both). */
function rprintFib(sys: Sys, ext: number, numeric: number): CmdResult {
  let out = 'Kernel IP routing table\n';
  if (ext === 1) out += 'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n';
  if (ext === 2) out += 'Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n';
  if (ext >= 3) out += 'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    MSS   Window irtt\n';
  const rows = procNetRouteRows(sys.world, sys.ns);
  if (rows === null) return { stdout: out, stderr: '', exitCode: 1 };
  for (const r of rows) {
    if (!(r.flags & RTF.UP)) continue;
    const net = rresolve(sys, r.dst, numeric | 0x8000 | (r.flags & RTF.HOST ? 0x4000 : 0), r.mask).slice(0, 15);
    const gw = rresolve(sys, r.gateway, numeric | 0x4000, '255.255.255.0').slice(0, 15);
    const mask = r.mask.slice(0, 15);
    let flags = '';
    if (r.flags & RTF.UP) flags += 'U';
    if (r.flags & RTF.GATEWAY) flags += 'G';
    if (r.flags & RTF.REJECT) flags = '!';
    if (r.flags & RTF.HOST) flags += 'H';
    if (r.flags & RTF.REINSTATE) flags += 'R';
    if (r.flags & RTF.DYNAMIC) flags += 'D';
    if (r.flags & RTF.MODIFIED) flags += 'M';
    const reject = (r.flags & RTF.REJECT) !== 0;
    const p15 = (s: string) => s.padEnd(15);
    if (ext === 1) {
      out += reject
        ? `${p15(net)} -               ${p15(mask)} ${flags.padEnd(5)} ${String(r.metric).padEnd(6)} -  ${String(r.use).padStart(7)} -\n`
        : `${p15(net)} ${p15(gw)} ${p15(mask)} ${flags.padEnd(5)} ${String(r.metric).padEnd(6)} ${String(r.refcnt).padEnd(2)} ${String(r.use).padStart(7)} ${r.iface}\n`;
    }
    if (ext === 2) {
      out += reject
        ? `${p15(net)} -               ${p15(mask)} ${flags.padEnd(5)}     - -          - -\n`
        : `${p15(net)} ${p15(gw)} ${p15(mask)} ${flags.padEnd(5)} ${String(r.mtu).padStart(5)} ${String(r.window).padEnd(5)} ${String(r.irtt).padStart(6)} ${r.iface}\n`;
    }
    if (ext >= 3) {
      out += reject
        ? `${p15(net)} -               ${p15(mask)} ${flags.padEnd(5)} ${String(r.metric).padEnd(6)} -  ${String(r.use).padStart(7)} -        -     -      -\n`
        : `${p15(net)} ${p15(gw)} ${p15(mask)} ${flags.padEnd(5)} ${String(r.metric).padEnd(6)} ${String(r.refcnt).padEnd(3)} ${String(r.use).padStart(6)} ${r.iface.slice(0, 6).padEnd(6)}   ${String(r.mtu).padEnd(5)} ${String(r.window).padEnd(6)} ${r.irtt}\n`;
    }
  }
  return { stdout: out, stderr: '', exitCode: 0 };
}

/** rprint_cache(): the kernel has had no IPv4 routing cache since 3.6; /proc/net/rt_cache only has its header line. */
function rprintCache(ext: number): CmdResult {
  let out = 'Kernel IP routing cache\n';
  if (ext === 1) out += 'Source          Destination     Gateway         Flags Metric Ref    Use Iface\n';
  if (ext === 2) out += 'Source          Destination     Gateway         Flags   MSS Window  irtt Iface\n';
  if (ext >= 3) out += 'Source          Destination     Gateway         Flags Metric Ref    Use Iface    MSS   Window irtt  HH  Arp\n';
  return { stdout: out, stderr: '', exitCode: 0 };
}

/** INET6_rresolve() + fix_v4_address(): numeric, or "[::]", or the /etc/hosts name. */
function inet6Name(sys: Sys, addr: string, numeric: boolean): string {
  if (numeric) return addr;
  if (addr === '::') return '[::]';
  return hostByAddr(sys, addr) ?? addr;
}

/**
 * rprint_fib6(): /proc/net/ipv6_route, i.e. the IPv6 main then local table
 * in tree-walk order, each ending with the kernel's null entry (`!n`, metric
 * -1, on lo) when it has no default route.
 */
function rprintFib6(sys: Sys, numeric: boolean): string {
  const ns = sys.world.ns(sys.ns);
  let out = 'Kernel IPv6 routing table\nDestination                    Next Hop                   Flag Met Ref  Use If\n';
  const lo = ns.links.find((l) => l.kind === 'loopback')?.name ?? 'lo';
  const row = (dst: string, len: number, gw: string, flags: string, metric: number, ref: number, dev: string) =>
    `${`${inet6Name(sys, dst, numeric)}/${len}`.padEnd(30)} ${inet6Name(sys, gw, numeric).padEnd(26)} ${flags.padEnd(4)} ${String(metric).padEnd(3)} ${String(ref).padEnd(1)} ${String(0).padStart(6)} ${dev}\n`;
  for (const table of [254, 255]) {
    const routes = routesOf(ns, 6).filter((r) => r.table === table);
    for (const r of routes) {
      const reject = r.type === 'unreachable' || r.type === 'prohibit' || r.type === 'blackhole';
      let flags = reject ? '' : 'U';
      if (reject) flags += '!';
      if (r.gateway) flags += 'G';
      if (r.type === 'local' || r.type === 'anycast' || reject) flags += 'n';
      const ref = r.type === 'local' ? 2 : r.type === 'multicast' || r.dst.startsWith('ff00') ? 3 : 1;
      // the siblings of a multipath route are routes of their own in /proc/net/ipv6_route
      for (const h of r.nexthops ?? [{ gateway: r.gateway, oif: r.oif }]) {
        const dev = h.oif !== null && !reject ? (ns.links.find((l) => l.ifindex === h.oif)?.name ?? lo) : lo;
        out += row(r.dst, r.dstLen, h.gateway ?? '::', flags, r.metric, ref, dev);
      }
    }
    if (!routes.some((r) => r.dstLen === 0)) out += row('::', 0, '::', '!n', -1, 1, lo);
  }
  return out;
}

/** route_info(): print the routing table of each address family (`inet` by default). */
export function printRouteTable(sys: Sys, afnames: string[], options: number): CmdResult {
  let stdout = '';
  let stderr = '';
  for (const af of afnames) {
    if (af === 'inet') {
      const ext = options & FLAG_EXT;
      const numeric = options & (FLAG_NUM_HOST | FLAG_SYM);
      if (options & FLAG_FIB) {
        const r = rprintFib(sys, ext, numeric);
        stdout += r.stdout;
        if (r.exitCode) return { stdout, stderr, exitCode: r.exitCode };
      }
      if (options & FLAG_CACHE) stdout += rprintCache(ext).stdout;
      continue;
    }
    if (af === 'inet6') {
      stdout += rprintFib6(sys, (options & (FLAG_NUM_HOST | FLAG_SYM)) !== 0);
      continue;
    }
    stderr += `No routing for address family \`${af}'.\n`;
    return { stdout, stderr, exitCode: E_OPTERR };
  }
  return { stdout, stderr, exitCode: 0 };
}

// ---------------------------------------------------------------- changing

const INET_USAGE = `Usage: inet_route [-vF] del {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [gw Gw] [metric M]
                              [netmask N] [mss Mss] [window W] [irtt I]
                              [mod] [dyn] [reinstate] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [metric M] reject
       inet_route [-FC] flush      NOT supported
`;

class RouteExit {
  constructor(public res: CmdResult) {}
}

const inetUsage = (rc: number, pre = ''): never => {
  throw new RouteExit(rc ? { stdout: '', stderr: pre + INET_USAGE, exitCode: rc } : { stdout: INET_USAGE, stderr: pre, exitCode: 0 });
};

/** INET_getnetmask(): "/prefix" (strtoul base 0) turned into a mask, with the C shift's wrap-around at 32. */
function prefixMask(s: string): number | null {
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) v = parseInt(s.slice(2), 16);
  else if (/^0[0-7]*$/.test(s)) v = parseInt(s, 8) || 0;
  else if (/^[1-9][0-9]*$/.test(s)) v = parseInt(s, 10);
  else return null;
  const sh = v % 32; // x86 masks the shift count
  return ~(0xffffffff >>> sh) >>> 0;
}


function maskLen(mask: number): number {
  let n = 0;
  while (n < 32 && mask & (0x80000000 >>> n)) n++;
  return n;
}

function sioc(action: 'add' | 'del', e: unknown): never {
  if (e instanceof KernelError) throw new RouteExit({ stdout: '', stderr: `${action === 'add' ? 'SIOCADDRT' : 'SIOCDELRT'}: ${STRERROR[e.errno]}\n`, exitCode: E_SOCK });
  throw e;
}

/** What INET_setroute() reads from the command line. */
interface InetRoute {
  dst: string;
  flags: number;
  metric: number;
  gateway: string | null;
  dev: string | null;
  genmask: number | null;
  netmaskText: string;
}

/** One option word of INET_setroute(); how many words it used, or an herror() result. */
function routeWord(sys: Sys, r: InetRoute, a: string, next: string | undefined, more: boolean): number | CmdResult {
  switch (a) {
    case 'metric':
      if (next === undefined || !/^[0-9]/.test(next)) inetUsage(E_OPTERR);
      r.metric = parseInt(next!, 10) + 1;
      return 2;
    case 'netmask': {
      if (next === undefined || (r.genmask !== null && r.genmask !== 0)) inetUsage(E_OPTERR);
      r.netmaskText = next!;
      const m = inetResolve(sys, next!, false);
      if ('error' in m) return { stdout: '', stderr: m.error, exitCode: E_LOOKUP };
      r.genmask = v4ToInt(m.addr);
      return 2;
    }
    case 'gw':
    case 'gateway': {
      if (next === undefined || r.flags & RTF.GATEWAY) inetUsage(E_OPTERR);
      const g = inetResolve(sys, next!, true);
      if ('error' in g) return { stdout: '', stderr: g.error, exitCode: E_LOOKUP };
      if (g.isNet) inetUsage(E_OPTERR, `route: ${next}: cannot use a NETWORK as gateway!\n`);
      r.gateway = g.addr;
      r.flags |= RTF.GATEWAY;
      return 2;
    }
    case 'mss':
    case 'mtu':
    case 'window': {
      if (next === undefined) inetUsage(E_OPTERR);
      const v = parseInt(next!, 10) || 0;
      if (a !== 'window' && (v < 64 || v > 65536)) inetUsage(E_OPTERR, 'route: Invalid MSS/MTU.\n');
      if (a === 'window' && v < 128) inetUsage(E_OPTERR, 'route: Invalid window.\n');
      return 2;
    }
    case 'irtt':
      if (next === undefined) inetUsage(E_OPTERR);
      return 2;
    case 'reject':
      r.flags |= RTF.REJECT;
      return 1;
    case 'mod':
    case 'dyn':
    case 'reinstate':
      return 1;
    case 'device':
    case 'dev':
      if (r.dev !== null || next === undefined) inetUsage(E_OPTERR);
      r.dev = next!;
      return 2;
  }
  // a bare word is the device, and must be the last one
  if (r.dev !== null || more) inetUsage(E_OPTERR);
  r.dev = a;
  return 1;
}

/** INET_setroute()'s parse: `[-net|-host] target[/prefix] [options]`, with its checks of the netmask. */
function parseInetRoute(sys: Sys, argsIn: string[]): InetRoute | CmdResult {
  let args = argsIn;
  const xflag = args[0] === '-net' ? 1 : args[0] === '-host' ? 2 : 0;
  if (xflag) args = args.slice(1);
  if (args.length === 0) inetUsage(E_OPTERR);
  let target = args[0]!;
  args = args.slice(1);
  let genmask: number | null = null;
  const slash = target.indexOf('/');
  if (slash >= 0) {
    const m = prefixMask(target.slice(slash + 1));
    if (m === null) inetUsage(E_OPTERR);
    genmask = m;
    target = target.slice(0, slash);
  }
  const res = inetResolve(sys, target, xflag === 2);
  if ('error' in res) return { stdout: '', stderr: res.error, exitCode: E_LOOKUP };
  const isnet = xflag === 1 ? true : xflag === 2 ? false : res.isNet;
  const r: InetRoute = { dst: res.addr, flags: isnet ? RTF.UP : RTF.UP | RTF.HOST, metric: 0, gateway: null, dev: null, genmask, netmaskText: 'default' };
  while (args.length) {
    const used = routeWord(sys, r, args[0]!, args[1], args.length > 1);
    if (typeof used !== 'number') return used;
    args = args.slice(used);
  }
  if (r.flags & RTF.REJECT && r.dev === null) r.dev = 'lo';
  if (r.genmask !== null && r.genmask !== 0) {
    const inv = ~r.genmask >>> 0;
    if (r.flags & RTF.HOST && inv !== 0xffffffff) inetUsage(E_OPTERR, `route: netmask ${inv.toString(16).padStart(8, '0')} doesn't make sense with host route\n`);
    if ((inv & (inv + 1)) >>> 0 !== 0) inetUsage(E_OPTERR, `route: bogus netmask ${r.netmaskText}\n`);
    if ((v4ToInt(r.dst) & ~r.genmask) >>> 0 !== 0) inetUsage(E_OPTERR, "route: netmask doesn't match route address\n");
  }
  return r;
}

/** INET_setroute(): parse `[-net|-host] target [options]` and ask the kernel (rtentry_to_fib_config()). */
function setRoute(sys: Sys, action: 'add' | 'del', argsIn: string[]): CmdResult {
  const r = parseInetRoute(sys, argsIn);
  if (!('dst' in r)) return r;
  const ns = sys.world.ns(sys.ns);
  let plen = 32;
  if (!(r.flags & RTF.HOST)) {
    const mask = r.genmask ?? 0;
    const inv = ~mask >>> 0;
    // bad_mask(): non-contiguous, or host bits set in the destination
    if ((v4ToInt(r.dst) & inv) >>> 0 !== 0 || ((inv & (inv + 1)) >>> 0) !== 0) sioc(action, new KernelError('EINVAL'));
    plen = maskLen(mask);
  }
  const dstNet = intToV4(plen === 0 ? 0 : (v4ToInt(r.dst) & v4Mask(plen)) >>> 0);
  let oif: number | null = null;
  if (r.dev !== null) {
    const name = r.dev.includes(':') ? r.dev.slice(0, r.dev.indexOf(':')) : r.dev;
    const l = ns.links.find((x) => x.name === name.slice(0, 15));
    if (!l) sioc(action, new KernelError('ENODEV'));
    oif = l!.ifindex;
  }
  const priority = r.metric ? r.metric - 1 : 0;
  const ok: CmdResult = { stdout: '', stderr: '', exitCode: 0 };
  if (r.flags & RTF.REJECT) {
    try {
      if (action === 'del') routeDel(sys.world, sys.ns, { family: 4, dst: dstNet, dstLen: plen, type: 'unreachable', metric: priority || null });
      else routeAdd(sys.world, sys.ns, { family: 4, dst: dstNet, dstLen: plen, type: 'unreachable', scope: 'host', metric: priority, protocol: 'boot' }, 'prepend');
    } catch (e) {
      sioc(action, e);
    }
    return ok;
  }
  const gw = r.gateway !== null && r.gateway !== '0.0.0.0' ? r.gateway : null;
  const gwUnicast = gw !== null && !isLocalAddress(ns, gw) && !gw.startsWith('255.');
  const scope: 'global' | 'link' | null = gw !== null && r.flags & RTF.GATEWAY && gwUnicast ? 'global' : null;
  try {
    if (action === 'del') {
      const sel: RouteSelector = { family: 4, dst: dstNet, dstLen: plen, type: 'unicast', scope, gateway: gw, oif, metric: priority || null };
      routeDel(sys.world, sys.ns, sel);
      return ok;
    }
    if (r.flags & RTF.GATEWAY && gw === null) throw new KernelError('EINVAL');
    const spec: RouteSpec = { family: 4, dst: dstNet, dstLen: plen, type: 'unicast', gateway: gw, oif, metric: priority, protocol: 'boot', scope: scope ?? 'link' };
    routeAdd(sys.world, sys.ns, spec, 'prepend');
  } catch (e) {
    sioc(action, e);
  }
  return ok;
}

const INET6_USAGE = `Usage: inet6_route [-vF] del Target
       inet6_route [-vF] add Target [gw Gw] [metric M] [[dev] If]
       inet6_route [-FC] flush      NOT supported
`;

/** INET6_setroute(): `route -A inet6 add|del Target[/len] [gw Gw] [metric M] [[dev] If]` through the IPv6 ioctls. */
function setRoute6(sys: Sys, action: 'add' | 'del', args: string[]): CmdResult {
  const usage6 = (): CmdResult => ({ stdout: '', stderr: INET6_USAGE, exitCode: E_OPTERR });
  if (args.length === 0) return usage6();
  let target = args[0]!;
  let plen = 128;
  let dst = '::';
  if (target === 'default') plen = 0;
  else {
    const slash = target.indexOf('/');
    if (slash >= 0) {
      plen = parseInt(target.slice(slash + 1), 10) || 0;
      if (plen < 0 || plen > 128) return usage6();
      target = target.slice(0, slash);
    }
    const c = canonIp6(target);
    if (c === null) return { stdout: '', stderr: `${target}: Unknown host\n`, exitCode: 1 };
    dst = c;
  }
  let metric = 1;
  let gw: string | null = null;
  let dev: string | null = null;
  let rest = args.slice(1);
  while (rest.length) {
    const w = rest[0]!;
    if (w === 'metric') {
      if (rest[1] === undefined || !/^[0-9]/.test(rest[1])) return usage6();
      metric = parseInt(rest[1], 10);
      rest = rest.slice(2);
      continue;
    }
    if (w === 'gw' || w === 'gateway') {
      if (rest[1] === undefined || gw !== null) return usage6();
      const c = canonIp6(rest[1]);
      if (c === null) return { stdout: '', stderr: `${rest[1]}: Unknown host\n`, exitCode: E_LOOKUP };
      gw = c;
      rest = rest.slice(2);
      continue;
    }
    if (w === 'mod' || w === 'dyn') {
      rest = rest.slice(1);
      continue;
    }
    if (w === 'device' || w === 'dev') {
      if (rest[1] === undefined) return usage6();
      rest = rest.slice(1);
    } else if (rest[1] !== undefined) return usage6();
    dev = rest[0]!;
    rest = rest.slice(1);
  }
  const ns = sys.world.ns(sys.ns);
  let oif: number | null = null;
  if (dev !== null) {
    const l = ns.links.find((x) => x.name === dev);
    if (!l) return { stdout: '', stderr: 'SIOGIFINDEX: No such device\n', exitCode: E_SOCK };
    oif = l.ifindex;
  }
  const net = networkOf(dst, plen, 6);
  const fail = (e: unknown): CmdResult => {
    if (!(e instanceof KernelError)) throw e;
    const errno = e.errno === 'ENETUNREACH' ? 'EHOSTUNREACH' : e.errno;
    return { stdout: '', stderr: `${action === 'add' ? 'SIOCADDRT' : 'SIOCDELRT'}: ${STRERROR[errno]}\n`, exitCode: E_SOCK };
  };
  try {
    if (action === 'del') routeDel(sys.world, sys.ns, { family: 6, dst: net, dstLen: plen, gateway: gw, oif, metric });
    else routeAdd(sys.world, sys.ns, { family: 6, dst: net, dstLen: plen, gateway: gw, oif, metric, protocol: 'boot' }, 'append');
  } catch (e) {
    return fail(e);
  }
  return { stdout: '', stderr: '', exitCode: 0 };
}

function canonIp6(s: string): string | null {
  return s.includes(':') ? canonicalIp(s) : null;
}

// ---------------------------------------------------------------- the command

const USAGE = `Usage: route [-nNvee] [-FC] [<AF>]           List kernel routing tables
       route [-v] [-FC] {add|del|flush} ...  Modify routing table for AF.

       route {-h|--help} [<AF>]              Detailed usage syntax for specified AF.
       route {-V|--version}                  Display version/author and exit.

        -v, --verbose            be verbose
        -n, --numeric            don't resolve names
        -e, --extend             display other/more information
        -F, --fib                display Forwarding Information Base (default)
        -C, --cache              display routing cache instead of FIB

  <AF>=Use -4, -6, '-A <af>' or '--<af>'; default: inet
  List of possible address families (which support routing):
`;

const VERSION = 'net-tools 2.10\n+NEW_ADDRT +RTF_IRTT +RTF_REJECT +I18N +SELINUX\n' + NETTOOLS_FEATURES;

const LONGOPTS: LongOpt[] = [
  ...AFTRANS_LONGOPTS,
  { name: 'extend', hasArg: 0, val: 'e' },
  { name: 'verbose', hasArg: 0, val: 'v' },
  { name: 'version', hasArg: 0, val: 'V' },
  { name: 'numeric', hasArg: 0, val: 'n' },
  { name: 'symbolic', hasArg: 0, val: 'N' },
  { name: 'protocol', hasArg: 1, val: 'A' },
  { name: 'cache', hasArg: 0, val: 'C' },
  { name: 'fib', hasArg: 0, val: 'F' },
  { name: 'help', hasArg: 0, val: 'h' },
];

function runRoute(argsIn: string[], sys: Sys): CmdResult {
  // "getopts and -net wont work :-/": route hides -net and -host from getopt
  const args = argsIn.map((a) => (a === '-net' || a === '-host' ? '#' + a.slice(1) : a));
  const g = getoptLong('route', args, 'A:eCFhnN64Vv?', LONGOPTS);
  let optN = 0;
  let optV = 0;
  let optE = 1;
  let optFc = 0;
  let optH = 0;
  let stderr = '';
  const afnames: string[] = [];
  const aftrans = (arg: string): boolean => {
    const bad = aftransOpt(arg, (name) => afnames.push(name));
    if (bad !== null) stderr += bad;
    return bad === null;
  };
  for (const ev of g.events) {
    if (ev.kind === 'error') {
      stderr += ev.message;
      optH++;
      break;
    }
    const o = ev.opt;
    if (o.startsWith('af:')) {
      if (!aftrans(o.slice(3))) return { stdout: '', stderr, exitCode: 1 };
      continue;
    }
    switch (o) {
      case 'n':
        optN |= FLAG_NUM;
        break;
      case 'N':
        optN |= FLAG_SYM;
        break;
      case 'v':
        optV |= FLAG_VERBOSE;
        break;
      case 'e':
        optE++;
        break;
      case 'C':
        optFc |= FLAG_CACHE;
        break;
      case 'F':
        optFc |= FLAG_FIB;
        break;
      case 'A':
        if (!aftrans(ev.arg ?? '')) return { stdout: '', stderr, exitCode: 1 };
        break;
      case '6':
        aftrans('inet6');
        break;
      case '4':
        aftrans('inet');
        break;
      case 'V':
        return { stdout: VERSION, stderr, exitCode: 0 };
      case 'h':
      case '?':
        optH++;
        break;
    }
  }
  const operands = g.operands.map((a) => (a === '#net' || a === '#host' ? '-' + a.slice(1) : a));
  let options = (optE & FLAG_EXT) | optN | optFc | optV;
  if (!optFc) options |= FLAG_FIB;
  if (optH) {
    if (afnames.length === 0) return interleave(sys, [[2, stderr], [1, USAGE], [2, AFLIST_ROUTE]], 0);
    if (afnames[0] === 'inet') return interleave(sys, [[2, stderr], [1, INET_USAGE]], 0);
    if (afnames[0] === 'inet6') return interleave(sys, [[2, stderr], [1, INET6_USAGE]], 0);
    return { stdout: '', stderr: stderr + `No routing for address family \`${afnames[0]}'.\n`, exitCode: E_OPTERR };
  }
  const afs = afnames.length ? afnames : ['inet'];
  if (operands.length === 0) {
    const r = printRouteTable(sys, afs, options);
    return ordered([[2, stderr], [1, r.stdout], [2, r.stderr]], r.exitCode);
  }
  const verb = operands[0]!;
  let action: 'add' | 'del' | 'flush';
  if (verb === 'add') action = 'add';
  else if (verb === 'del' || verb === 'delete') action = 'del';
  else if (verb === 'flush') action = 'flush';
  else return { stdout: '', stderr: stderr + USAGE + AFLIST_ROUTE, exitCode: E_OPTERR };
  if (afs[0] === 'inet6') {
    if (action === 'flush') return { stdout: '', stderr: stderr + "Flushing `inet6' routing table not supported\n" + INET6_USAGE, exitCode: E_OPTERR };
    const r = setRoute6(sys, action, operands.slice(1));
    return { ...r, stderr: stderr + r.stderr };
  }
  if (afs[0] !== 'inet') {
    return { stdout: '', stderr: stderr + `Address family \`${afs[0]}' not supported.\n`, exitCode: E_OPTERR };
  }
  try {
    if (action === 'flush') inetUsage(E_OPTERR, "Flushing `inet' routing table not supported\n");
    if (options & FLAG_CACHE) inetUsage(E_OPTERR, "Modifying `inet' routing cache not supported\n");
    const rest = operands.slice(1);
    if (rest.length === 0) inetUsage(0);
    const r = setRoute(sys, action as 'add' | 'del', rest);
    return { ...r, stderr: stderr + r.stderr };
  } catch (e) {
    if (e instanceof RouteExit) return { ...e.res, stderr: stderr + e.res.stderr };
    throw e;
  }
}

export const route: NetCommand = {
  name: 'route',
  complete: completeRoute,
  async run(args, _io, sys) {
    return runRoute(args, sys);
  },
};
