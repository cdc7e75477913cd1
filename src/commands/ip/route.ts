// ip route (ip/iproute.c): list/show with selectors, flush, add/del/change/
// replace/append/prepend, get (with fibmatch), help.
import { KernelError } from '../../sim/errors';
import { compareIp } from '../../sim/ip';
import { findLink } from '../../sim/netdev';
import {
  fibTableLookup,
  routeAdd,
  routeDel,
  routeGet,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  type NexthopSpec,
  type RouteSpec,
} from '../../sim/fib';
import { defaultRules } from '../../sim/rule';
import { ipv4ForwardingOn } from '../../sim/proc-sys';
import type { AddrFamily, Netns, Route, RouteType } from '../../sim/types';
import {
  Args,
  die,
  duparg2,
  getAddr,
  getPrefix,
  invarg,
  ipFamily,
  matches,
  nodev,
  parseUnsigned,
  protoA2n,
  protoN2a,
  protoNum,
  RTN_TYPES,
  rtnlErrorText,
  scopeA2n,
  tableA2n,
  type InetPrefix,
  type IpCtx,
} from './utils';

import {
  usage,
  type RtMsg,
  msgOf,
  emptyFilter,
  printRoute,
  readFamily,
  parseType,
  iprouteList,
} from './route-show';

/** What `ip route add|del|...` was asked for, before devices and nexthops are resolved. */
interface ModifyReq {
  family: 0 | 4 | 6;
  table: number;
  type: RouteType | null;
  protocol: number | null;
  scope: number | null;
  typeOk: boolean;
  tableOk: boolean;
  gw: InetPrefix | null;
  dst: InetPrefix | null;
  prefsrc: string | null;
  metric: number | null;
  onlink: boolean;
  dev: string | null;
  mtu: number | null;
  nhArgs: string[] | null;
  realms: number;
}

/** iproute_modify's argument loop. */
/** Options the model accepts and checks but does not keep (TOS, expiry, TCP metrics, preference, encap, TTL propagation); false when `arg` is none of them. */
function checkUnkeptArg(ctx: IpCtx, a: Args, arg: string): boolean {
  if (arg === 'tos' || matches(arg, 'dsfield')) {
    const v = a.next(ctx);
    if (parseUnsigned(v, 16, 255) == null) invarg(ctx, '"tos" value is invalid\n', v);
  } else if (arg === 'expires') {
    const v = a.next(ctx);
    if (parseUnsigned(v, 0) == null) invarg(ctx, '"expires" value is invalid\n', v);
  } else if (['hoplimit', 'advmss', 'rtt', 'rto_min', 'rttvar'].includes(arg) || ['reordering', 'window', 'cwnd', 'initcwnd', 'initrwnd', 'ssthresh', 'quickack', 'congctl', 'features', 'fastopen_no_cookie'].some((k) => matches(arg, k))) {
    if (a.next(ctx) === 'lock') a.next(ctx);
  } else if (matches(arg, 'pref') && !matches(arg, 'priority')) {
    // `p` and `pr` are priority's (it is tested first in iproute_modify)
    const v = a.next(ctx);
    if (!['low', 'medium', 'high'].includes(v) && parseUnsigned(v, 0, 255) == null) invarg(ctx, '"pref" value is invalid\n', v);
  } else if (arg === 'encap') {
    die(ctx, 'Error: encapsulation is not supported here.\n', 1);
  } else if (arg === 'ttl-propagate') {
    const v = a.next(ctx);
    if (!matches(v, 'enabled') && !matches(v, 'disabled')) invarg(ctx, '"ttl-propagate" value is invalid\n', v);
  } else return false;
  return true;
}

function parseModifyArgs(ctx: IpCtx, argv: string[], del: boolean): ModifyReq {
  const r: ModifyReq = {
    family: ipFamily(ctx.opts),
    table: RT_TABLE_MAIN,
    type: del ? null : 'unicast',
    protocol: del ? null : 3,
    scope: null,
    typeOk: false,
    tableOk: false,
    gw: null,
    dst: null,
    prefsrc: null,
    metric: null,
    onlink: false,
    dev: null,
    mtu: null,
    nhArgs: null,
    realms: 0,
  };
  const a = new Args(argv);
  for (; a.more(); a.adv()) {
    const arg = a.cur;
    if (checkUnkeptArg(ctx, a, arg)) continue;
    if (arg === 'src') {
      const x = getAddr(ctx, a.next(ctx), r.family);
      if (!r.family) r.family = x.family;
      r.prefsrc = x.addr;
    } else if (arg === 'as') {
      let v = a.next(ctx);
      if (v === 'to') v = a.next(ctx);
      getAddr(ctx, v, r.family);
    } else if (arg === 'via') {
      if (r.gw) invarg(ctx, 'use nexthop syntax to specify multiple via\n', arg);
      let v = a.next(ctx);
      let fam = readFamily(v);
      if (fam === 0) fam = r.family;
      else v = a.next(ctx);
      const x = getAddr(ctx, v, fam === -1 ? 0 : fam);
      if (!r.family) r.family = x.family;
      r.gw = x;
    } else if (arg === 'from') {
      const x = getPrefix(ctx, a.next(ctx), r.family);
      if (!r.family) r.family = x.family;
    } else if (matches(arg, 'metric') || matches(arg, 'priority') || arg === 'preference') {
      const v = a.next(ctx);
      const n = parseUnsigned(v, 0);
      if (n == null) invarg(ctx, '"metric" value is invalid\n', v);
      r.metric = n;
    } else if (arg === 'scope') {
      const v = a.next(ctx);
      const s = scopeA2n(v);
      if (s == null) invarg(ctx, 'invalid "scope" value\n', v);
      r.scope = s;
    } else if (arg === 'mtu') {
      let v = a.next(ctx);
      if (v === 'lock') v = a.next(ctx);
      const n = parseUnsigned(v, 0);
      if (n == null) invarg(ctx, '"mtu" value is invalid\n', v);
      r.mtu = n;
    } else if (matches(arg, 'realms')) {
      const v = a.next(ctx);
      const n = parseRealms(v);
      if (n == null) invarg(ctx, '"realm" value is invalid\n', v);
      r.realms = n;
    } else if (arg === 'onlink') {
      r.onlink = true;
    } else if (arg === 'nexthop') {
      // everything from here on is nexthops (parse_nexthops runs after the device lookup)
      r.nhArgs = argv.slice(a.i);
      break;
    } else if (arg === 'nhid') {
      const v = a.next(ctx);
      if (parseUnsigned(v, 0) == null) invarg(ctx, '"id" value is invalid\n', v);
      die(ctx, 'Error: Nexthop id does not exist.\n', 2);
    } else if (matches(arg, 'protocol')) {
      const v = a.next(ctx);
      const pn = protoA2n(v);
      if (pn == null) invarg(ctx, '"protocol" value is invalid\n', v);
      r.protocol = pn;
    } else if (matches(arg, 'table')) {
      const v = a.next(ctx);
      const t = tableA2n(v);
      if (t == null) invarg(ctx, '"table" value is invalid\n', v);
      r.table = t;
      r.tableOk = true;
    } else if (matches(arg, 'vrf')) {
      invarg(ctx, 'Invalid VRF\n', a.next(ctx));
    } else if (arg === 'dev' || arg === 'oif') {
      r.dev = a.next(ctx);
    } else {
      let v = arg;
      if (v === 'to') v = a.next(ctx);
      if ((v[0]! < '0' || v[0]! > '9') && parseType(v) && RTN_TYPES.includes(v)) {
        r.type = parseType(v)!;
        r.typeOk = true;
        v = a.next(ctx);
      }
      if (matches(v, 'help')) usage(ctx);
      if (r.dst) duparg2(ctx, 'to', v);
      r.dst = getPrefix(ctx, v, r.family);
      if (!r.family) r.family = r.dst.family;
    }
  }
  return r;
}

function iprouteModify(ctx: IpCtx, cmd: 'add' | 'del' | 'change' | 'replace' | 'append' | 'prepend' | 'test', argv: string[]): number {
  const world = ctx.sys.world;
  const ns = world.ns(ctx.ns);
  const del = cmd === 'del';
  const r = parseModifyArgs(ctx, argv, del);
  let { family, table, scope } = r;
  const { type, protocol, typeOk, tableOk, gw, dst, prefsrc, metric, onlink, dev, mtu, nhArgs, realms } = r;
  if (!dst) usage(ctx);
  let oif: number | null = null;
  if (dev) {
    const l = findLink(ns, dev);
    if (!l) nodev(ctx, dev);
    oif = l.ifindex;
  }
  let nexthops: NexthopSpec[] | null = null;
  if (nhArgs) {
    const r = parseNexthops(ctx, ns, nhArgs, family);
    nexthops = r.hops;
    if (!family) family = r.family;
  }
  if (!family) family = 4;
  if (!tableOk && (type === 'local' || type === 'broadcast' || type === 'anycast')) table = RT_TABLE_LOCAL;
  if (scope == null && !del) {
    if (family === 6) scope = 0;
    else if (type === 'local') scope = 254;
    else if (type === 'broadcast' || type === 'multicast' || type === 'anycast') scope = 253;
    else if (type === 'unicast') scope = gw || nexthops ? 0 : 253;
    else scope = 0;
  }
  const scopeName = (n: number | null) => (n == null ? null : n === 0 ? 'global' : n === 253 ? 'link' : n === 254 ? 'host' : n === 200 ? 'site' : n === 255 ? 'nowhere' : n);
  const dstAddr = dst.isDefault ? (family === 6 ? '::' : '0.0.0.0') : dst.addr;
  const dstLen = dst.bitlen < 0 ? (family === 6 ? 128 : 32) : dst.bitlen;
  if (gw && gw.family !== family) die(ctx, 'Error: Invalid gateway address family.\n', 2);
  try {
    if (del) {
      routeDel(world, ctx.ns, {
        family,
        table,
        dst: dstAddr,
        dstLen,
        type: typeOk ? type : null,
        scope: scope == null ? null : (scopeName(scope) as Route['scope']),
        prefsrc,
        protocol: protocol == null ? null : protoN2a(protocol),
        gateway: gw ? gw.addr : null,
        oif,
        metric: metric ?? (family === 6 ? null : null),
        nexthops,
      });
      return 0;
    }
    const spec: RouteSpec = {
      family,
      table,
      type: type ?? 'unicast',
      dst: dstAddr,
      dstLen,
      gateway: gw ? gw.addr : null,
      oif,
      prefsrc,
      metric: metric ?? undefined,
      protocol: protocol == null ? 'boot' : RT_PROTO_NAME(protocol),
      scope: scopeName(scope) as Route['scope'],
      onlink,
      mtu,
    };
    if (nexthops) spec.nexthops = nexthops;
    if (realms) spec.realms = realms;
    if (cmd === 'test') return 0;
    routeAdd(world, ctx.ns, spec, cmd === 'add' ? 'add' : cmd === 'change' ? 'change' : cmd === 'replace' ? 'replace' : cmd === 'append' ? 'append' : 'prepend');
    return 0;
  } catch (e) {
    if (e instanceof KernelError) die(ctx, rtnlErrorText(e), 2);
    throw e;
  }
}

/** get_rt_realms_or_raw: a raw u32, or FROM/TO (or TO) with realm names or numbers */
function parseRealms(arg: string): number | null {
  const raw = parseUnsigned(arg, 0);
  if (raw != null) return raw;
  const one = (x: string) => (x === 'cosmos' ? 0 : parseUnsigned(x, 0, 0xffff));
  const slash = arg.indexOf('/');
  if (slash < 0) return one(arg);
  const from = one(arg.slice(0, slash));
  const to = one(arg.slice(slash + 1));
  if (from == null || to == null) return null;
  return ((from << 16) | to) >>> 0;
}

function parseNexthops(ctx: IpCtx, ns: Netns, argv: string[], family0: 0 | 4 | 6): { hops: NexthopSpec[]; family: 0 | 4 | 6 } {
  let family = family0;
  const hops: NexthopSpec[] = [];
  const a = new Args(argv);
  while (a.more()) {
    const word: string = a.cur;
    if (word !== 'nexthop') die(ctx, `Error: "nexthop" or end of line is expected instead of "${a.cur}"\n`, 255);
    if (a.left <= 1) die(ctx, 'Error: unexpected end of line after "nexthop"\n', 255);
    const hop: NexthopSpec = {};
    for (a.adv(); a.more(); a.adv()) {
      const arg: string = a.cur;
      if (arg === 'via') {
        let v = a.next(ctx);
        let fam = readFamily(v);
        if (fam === 0) fam = family;
        else v = a.next(ctx);
        const x = getAddr(ctx, v, fam === -1 ? 0 : fam);
        if (!family) family = x.family;
        if (x.family !== family) die(ctx, 'Error: Invalid gateway address family.\n', 2);
        hop.gateway = x.addr;
      } else if (arg === 'dev') {
        const v = a.next(ctx);
        const l = findLink(ns, v);
        if (!l) die(ctx, `Cannot find device "${v}"\nError: cannot parse nexthop\n`, 255);
        hop.oif = l.ifindex;
      } else if (arg === 'weight') {
        const v = a.next(ctx);
        const w = parseUnsigned(v, 0);
        if (w == null || w === 0 || w > 256) invarg(ctx, '"weight" is invalid\n', v);
        hop.weight = w;
      } else if (arg === 'onlink') {
        hop.onlink = true;
      } else if (matches(arg, 'realms')) {
        const v = a.next(ctx);
        const r = parseRealms(v);
        if (r == null) invarg(ctx, '"realm" value is invalid\n', v);
        hop.realms = r;
      } else if (arg === 'encap') {
        die(ctx, 'Error: encapsulation is not supported here.\n', 1);
      } else if (arg === 'as') {
        let v = a.next(ctx);
        if (v === 'to') v = a.next(ctx);
        getAddr(ctx, v, family);
      } else break;
    }
    hops.push(hop);
  }
  return { hops, family };
}

/** The sim stores well-known protocols by name, others by number. */
function RT_PROTO_NAME(n: number): string | number {
  const known: Record<number, string> = { 2: 'kernel', 3: 'boot', 4: 'static', 16: 'dhcp', 9: 'ra' };
  return known[n] ?? n;
}

/** The learned path MTU toward dst (Netns.pmtu, kept by the packet engine) as route get reports it. */
function pmtuInfo(ctx: IpCtx, ns: Netns, family: AddrFamily, type: RouteType, dst: string): { mtu?: number; expires?: number } {
  if (family !== 4 || type !== 'unicast') return {};
  const now = ctx.sys.world.now();
  const e = ns.pmtu?.find((x) => x.dst === dst && x.expires > now);
  return e ? { mtu: e.mtu, expires: Math.floor((e.expires - now) / 1000) } : {};
}

function hasCustomRules(ns: Netns): boolean {
  const d = defaultRules();
  if (ns.rules.length !== d.length) return true;
  return ns.rules.some((r, i) => r.priority !== d[i]!.priority || r.table !== d[i]!.table || r.family !== d[i]!.family || r.src || r.dst || r.iif || r.oif || r.fwmark != null || r.action !== 'lookup');
}

function iprouteGet(ctx: IpCtx, argv: string[]): number {
  const world = ctx.sys.world;
  const ns = world.ns(ctx.ns);
  let family: 0 | 4 | 6 = ipFamily(ctx.opts);
  let from: InetPrefix | null = null;
  let idev: string | null = null;
  let odev: string | null = null;
  let mark = 0;
  let fibmatch = false;
  let uid: number | null = null;
  const flow: { tos?: number; ipproto?: number; sport?: number; dport?: number } = {};
  let dst: InetPrefix | null = null;
  let connected = false;
  const a = new Args(argv);
  for (; a.more(); a.adv()) {
    const arg = a.cur;
    if (arg === 'tos' || matches(arg, 'dsfield')) {
      const v = a.next(ctx);
      const t = parseUnsigned(v, 16, 255);
      if (t == null) invarg(ctx, 'TOS value is invalid\n', v);
      flow.tos = t;
    } else if (matches(arg, 'from')) {
      const v = a.next(ctx);
      if (matches(v, 'help')) usage(ctx);
      from = getPrefix(ctx, v, family);
      if (!family) family = from.family;
    } else if (matches(arg, 'iif')) {
      idev = a.next(ctx);
    } else if (matches(arg, 'mark')) {
      const v = a.next(ctx);
      const n = parseUnsigned(v, 0);
      if (n == null) invarg(ctx, 'invalid mark value', v);
      mark = n;
    } else if (matches(arg, 'oif') || arg === 'dev') {
      odev = a.next(ctx);
    } else if (matches(arg, 'notify')) {
      // flag only
    } else if (matches(arg, 'connected')) {
      connected = true;
    } else if (matches(arg, 'vrf')) {
      invarg(ctx, 'Invalid VRF\n', a.next(ctx));
    } else if (matches(arg, 'uid')) {
      const v = a.next(ctx);
      const n = parseUnsigned(v, 0);
      if (n == null) invarg(ctx, 'invalid UID\n', v);
      uid = n;
    } else if (matches(arg, 'fibmatch')) {
      fibmatch = true;
    } else if (arg === 'as') {
      let v = a.next(ctx);
      if (v === 'to') v = a.next(ctx);
      getAddr(ctx, v, family);
    } else if (matches(arg, 'sport') || matches(arg, 'dport')) {
      const v = a.next(ctx);
      const n = parseUnsigned(v, 0, 65535);
      if (n == null) invarg(ctx, `invalid ${matches(arg, 'sport') ? 'sport' : 'dport'}\n`, v);
      flow[matches(arg, 'sport') ? 'sport' : 'dport'] = n;
    } else if (matches(arg, 'ipproto')) {
      const v = a.next(ctx);
      const named: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, 'ipv6-icmp': 58, sctp: 132 };
      const n = named[v] ?? parseUnsigned(v, 0, 255);
      if (n == null) invarg(ctx, 'Invalid "ipproto" value\n', v);
      flow.ipproto = n;
    } else {
      let v = arg;
      if (v === 'to') v = a.next(ctx);
      if (matches(v, 'help')) usage(ctx);
      dst = getPrefix(ctx, v, family);
      if (!family) family = dst.family;
      const hl = dst.family === 4 ? 32 : 128;
      if (dst.bitlen !== hl) ctx.p.error(`Warning: /${dst.bitlen} as prefix is invalid, only /${hl} (or none) is supported.\n`);
    }
  }
  if (!dst) die(ctx, 'need at least a destination address\n', 1);
  let iif: number | null = null;
  let oif: number | null = null;
  if (idev) {
    const l = findLink(ns, idev);
    if (!l) nodev(ctx, idev);
    iif = l.ifindex;
  }
  if (odev) {
    const l = findLink(ns, odev);
    if (!l) nodev(ctx, odev);
    oif = l.ifindex;
  }
  if (!family) family = 4;
  const dstAddr = dst.isDefault ? (family === 6 ? '::' : '0.0.0.0') : dst.addr;
  let res;
  try {
    res = routeGet(world, ctx.ns, dstAddr, { src: from ? from.addr : null, oif, iif, mark, ...flow, uid: uid ?? 0 });
    // ip_route_input_slow: a destination that is not ours needs forwarding on the input device
    if (iif != null && family === 4 && res.type !== 'local' && res.type !== 'broadcast' && !ipv4ForwardingOn(world, ctx.ns, findLink(ns, idev!)!.name)) {
      throw new KernelError('EHOSTUNREACH');
    }
  } catch (e) {
    if (e instanceof KernelError) die(ctx, rtnlErrorText(e), 2);
    throw e;
  }
  const p = ctx.p;
  p.newJsonObj();
  const f = emptyFilter();
  if (fibmatch) {
    if (res.route) {
      const m = msgOf(ctx, ns, res.route);
      if (m.family === 6 && m.nexthops) {
        // IPv6 answers with the sibling the flow took, then the others after it in the siblings' ring
        const i = m.nexthops.findIndex((h) => h.oif === res.oif && h.gateway === res.gateway);
        if (i > 0) m.nexthops = [...m.nexthops.slice(i), ...m.nexthops.slice(0, i)];
      }
      printRoute(ctx, ns, m, f);
    }
    p.deleteJsonObj();
    return 0;
  }
  const custom = hasCustomRules(ns);
  const table = !custom && res.table === RT_TABLE_LOCAL ? RT_TABLE_MAIN : res.table;
  const cache: string[] = [];
  if (res.type === 'local') cache.push('local');
  if (res.type === 'broadcast') cache.push('local', 'brd');
  const m: RtMsg = {
    family: res.family,
    type: res.type,
    dst: dstAddr,
    dstLen: family === 6 ? 128 : 32,
    src: from ? from.addr : null,
    srcLen: from ? (family === 6 ? 128 : 32) : 0,
    table: family === 4 ? table : res.table,
    protocol: 0,
    scope: 0,
    gateway: res.gateway,
    oif: res.oif,
    prefsrc: from ? null : res.prefsrc,
    metric: family === 6 ? res.route?.metric ?? 0 : null,
    onlink: false,
    linkdown: false,
    cloned: family === 4,
    cacheFlags: cache,
    // only IPv4 answers carry RTA_UID
    uid: family === 4 ? uid ?? 0 : null,
    pref: family === 6 ? 'medium' : null,
    iif,
    mtu: null,
    // only IPv4 answers echo RTA_MARK
    mark: family === 4 ? mark : 0,
    // a nexthop exception (learned path MTU) shows its expiry and MTU
    ...pmtuInfo(ctx, ns, family, res.type, dstAddr),
    // and the realm of the nexthop taken (dst.tclassid)
    realms: family === 4 ? (res.route?.nexthops?.find((h) => h.oif === res.oif && h.gateway === res.gateway)?.realms ?? res.route?.realms) : undefined,
  };
  if (family === 6) {
    m.src = from ? from.addr : '::';
    m.srcLen = 128;
    m.protocol = protoNum(res.route?.protocol ?? 'kernel');
  }
  printRoute(ctx, ns, m, f);
  if (connected && !from) {
    // iproute_get: print the answer, then ask again from its preferred source (without its gateway and,
    // unless given, its device) and print that answer too
    if (!res.prefsrc) {
      p.deleteJsonObj();
      die(ctx, 'Failed to connect the route\n', 255);
    }
    let again;
    try {
      again = routeGet(world, ctx.ns, dstAddr, { src: res.prefsrc, oif, mark, ...flow, uid: uid ?? 0 });
    } catch (e) {
      p.deleteJsonObj();
      if (e instanceof KernelError) die(ctx, rtnlErrorText(e), 2);
      throw e;
    }
    printRoute(ctx, ns, { ...m, gateway: again.gateway, oif: again.oif, prefsrc: again.prefsrc }, f);
  }
  p.deleteJsonObj();
  return 0;
}

export function doIproute(ctx: IpCtx, argv: string[]): number {
  if (argv.length < 1) return iprouteList(ctx, [], 'list');
  const c = argv[0]!;
  const rest = argv.slice(1);
  if (matches(c, 'add')) return iprouteModify(ctx, 'add', rest);
  if (matches(c, 'change') || c === 'chg') return iprouteModify(ctx, 'change', rest);
  if (matches(c, 'replace')) return iprouteModify(ctx, 'replace', rest);
  if (matches(c, 'prepend')) return iprouteModify(ctx, 'prepend', rest);
  if (matches(c, 'append')) return iprouteModify(ctx, 'append', rest);
  if (matches(c, 'test')) return iprouteModify(ctx, 'test', rest);
  if (matches(c, 'delete')) return iprouteModify(ctx, 'del', rest);
  if (matches(c, 'list') || matches(c, 'show') || matches(c, 'lst')) return iprouteList(ctx, rest, 'list');
  if (matches(c, 'get')) return iprouteGet(ctx, rest);
  if (matches(c, 'flush')) return iprouteList(ctx, rest, 'flush');
  if (matches(c, 'help')) usage(ctx);
  die(ctx, `Command "${c}" is unknown, try "ip route help".\n`, 255);
}

void compareIp;
void fibTableLookup;
