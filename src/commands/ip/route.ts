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
  devIndex,
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
  if (dev) oif = devIndex(ctx, ns, dev);
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
  if (type !== 'unicast') return {};
  const now = ctx.sys.world.now();
  const e = ns.pmtu?.find((x) => x.dst === dst && x.expires > now);
  return e ? { mtu: e.mtu, expires: Math.floor((e.expires - now) / 1000) } : {};
}

function hasCustomRules(ns: Netns): boolean {
  const d = defaultRules();
  if (ns.rules.length !== d.length) return true;
  return ns.rules.some((r, i) => r.priority !== d[i]!.priority || r.table !== d[i]!.table || r.family !== d[i]!.family || r.src || r.dst || r.iif || r.oif || r.fwmark != null || r.action !== 'lookup');
}

/** What `ip route get` asks (iproute_get()'s argument loop). */
interface GetRequest {
  family: 0 | 4 | 6;
  from: InetPrefix | null;
  idev: string | null;
  odev: string | null;
  mark: number;
  fibmatch: boolean;
  uid: number | null;
  flow: { tos?: number; ipproto?: number; sport?: number; dport?: number };
  dst: InetPrefix | null;
  connected: boolean;
}

const IPPROTO_NAMES: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, 'ipv6-icmp': 58, sctp: 132 };

/** One keyword of `ip route get` with its value; false when the word is not a keyword (a destination). */
function routeGetKeyword(ctx: IpCtx, q: GetRequest, arg: string, a: Args): boolean {
  if (arg === 'tos' || matches(arg, 'dsfield')) {
    const v = a.next(ctx);
    const t = parseUnsigned(v, 16, 255);
    if (t == null) invarg(ctx, 'TOS value is invalid\n', v);
    q.flow.tos = t;
  } else if (matches(arg, 'from')) {
    const v = a.next(ctx);
    if (matches(v, 'help')) usage(ctx);
    q.from = getPrefix(ctx, v, q.family);
    if (!q.family) q.family = q.from.family;
  } else if (matches(arg, 'iif')) q.idev = a.next(ctx);
  else if (matches(arg, 'mark')) {
    const v = a.next(ctx);
    const n = parseUnsigned(v, 0);
    if (n == null) invarg(ctx, 'invalid mark value', v);
    q.mark = n;
  } else if (matches(arg, 'oif') || arg === 'dev') q.odev = a.next(ctx);
  else if (matches(arg, 'notify')) {
    // flag only
  } else if (matches(arg, 'connected')) q.connected = true;
  else if (matches(arg, 'vrf')) invarg(ctx, 'Invalid VRF\n', a.next(ctx));
  else if (matches(arg, 'uid')) {
    const v = a.next(ctx);
    const n = parseUnsigned(v, 0);
    if (n == null) invarg(ctx, 'invalid UID\n', v);
    q.uid = n;
  } else if (matches(arg, 'fibmatch')) q.fibmatch = true;
  else if (arg === 'as') {
    let v = a.next(ctx);
    if (v === 'to') v = a.next(ctx);
    getAddr(ctx, v, q.family);
  } else if (matches(arg, 'sport') || matches(arg, 'dport')) {
    const which = matches(arg, 'sport') ? 'sport' : 'dport';
    const v = a.next(ctx);
    const n = parseUnsigned(v, 0, 65535);
    if (n == null) invarg(ctx, `invalid ${which}\n`, v);
    q.flow[which] = n;
  } else if (matches(arg, 'ipproto')) {
    const v = a.next(ctx);
    const n = IPPROTO_NAMES[v] ?? parseUnsigned(v, 0, 255);
    if (n == null) invarg(ctx, 'Invalid "ipproto" value\n', v);
    q.flow.ipproto = n;
  } else return false;
  return true;
}

function parseRouteGet(ctx: IpCtx, argv: string[]): GetRequest {
  const q: GetRequest = { family: ipFamily(ctx.opts), from: null, idev: null, odev: null, mark: 0, fibmatch: false, uid: null, flow: {}, dst: null, connected: false };
  const a = new Args(argv);
  for (; a.more(); a.adv()) {
    const arg = a.cur;
    if (routeGetKeyword(ctx, q, arg, a)) continue;
    const v = arg === 'to' ? a.next(ctx) : arg;
    if (matches(v, 'help')) usage(ctx);
    const dst = getPrefix(ctx, v, q.family);
    q.dst = dst;
    if (!q.family) q.family = dst.family;
    const hl = dst.family === 4 ? 32 : 128;
    if (dst.bitlen !== hl) ctx.p.error(`Warning: /${dst.bitlen} as prefix is invalid, only /${hl} (or none) is supported.\n`);
  }
  return q;
}

/** The RTM_NEWROUTE answer the kernel sends for a lookup (inet_rtm_getroute / inet6_rtm_getroute). */
function routeGetAnswer(ctx: IpCtx, ns: Netns, q: GetRequest, res: ReturnType<typeof routeGet>, dstAddr: string, iif: number | null): RtMsg {
  const family = q.family || 4;
  const from = q.from;
  const table = !hasCustomRules(ns) && res.table === RT_TABLE_LOCAL ? RT_TABLE_MAIN : res.table;
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
    metric: family === 6 ? (res.route?.metric ?? 0) : null,
    onlink: false,
    linkdown: false,
    cloned: family === 4,
    cacheFlags: cache,
    // only IPv4 answers carry RTA_UID
    uid: family === 4 ? (q.uid ?? 0) : null,
    pref: family === 6 ? 'medium' : null,
    iif,
    // the route's own mtu metric travels with the cached answer
    mtu: family === 4 ? (res.route?.mtu ?? null) : null,
    // only IPv4 answers echo RTA_MARK
    mark: family === 4 ? q.mark : 0,
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
  return m;
}

/** fibmatch: the route that matched, as `ip route show` prints it */
function printFibMatch(ctx: IpCtx, ns: Netns, res: ReturnType<typeof routeGet>): void {
  if (!res.route) return;
  const m = msgOf(ctx, ns, res.route);
  if (m.family === 6 && m.nexthops) {
    // IPv6 answers with the sibling the flow took, then the others after it in the siblings' ring
    const i = m.nexthops.findIndex((h) => h.oif === res.oif && h.gateway === res.gateway);
    if (i > 0) m.nexthops = [...m.nexthops.slice(i), ...m.nexthops.slice(0, i)];
  }
  printRoute(ctx, ns, m, emptyFilter());
}

function linkIndex(ctx: IpCtx, ns: Netns, dev: string | null): number | null {
  if (!dev) return null;
  const l = findLink(ns, dev);
  if (!l) nodev(ctx, dev);
  return l.ifindex;
}

/** An input route's source the kernel refuses before any lookup (0.0.0.0/8, multicast, 255.255.255.255). */
function martianSource(src: string): boolean {
  const first = Number(src.split('.')[0]);
  return first === 0 || (first >= 224 && first <= 239) || src === '255.255.255.255';
}

function iprouteGet(ctx: IpCtx, argv: string[]): number {
  const world = ctx.sys.world;
  const ns = world.ns(ctx.ns);
  const q = parseRouteGet(ctx, argv);
  const dst = q.dst;
  if (!dst) die(ctx, 'need at least a destination address\n', 1);
  const iif = linkIndex(ctx, ns, q.idev);
  const oif = linkIndex(ctx, ns, q.odev);
  if (!q.family) q.family = 4;
  const family = q.family;
  const dstAddr = dst.isDefault ? (family === 6 ? '::' : '0.0.0.0') : dst.addr;
  const ask = { oif, mark: q.mark, ...q.flow, uid: q.uid ?? 0 };
  let res;
  try {
    // ip_route_input_slow: a martian source (none given is 0.0.0.0, multicast, limited broadcast) fails first
    if (iif != null && family === 4 && dstAddr !== '255.255.255.255' && martianSource(q.from ? q.from.addr : '0.0.0.0')) throw new KernelError('EINVAL');
    res = routeGet(world, ctx.ns, dstAddr, { ...ask, src: q.from ? q.from.addr : null, iif });
    // ip_route_input_slow: a destination that is not ours needs forwarding on the input device
    if (iif != null && family === 4 && res.type !== 'local' && res.type !== 'broadcast' && !ipv4ForwardingOn(world, ctx.ns, findLink(ns, q.idev!)!.name)) {
      throw new KernelError('EHOSTUNREACH');
    }
  } catch (e) {
    if (e instanceof KernelError) die(ctx, rtnlErrorText(e), 2);
    throw e;
  }
  const p = ctx.p;
  p.newJsonObj();
  if (q.fibmatch) {
    printFibMatch(ctx, ns, res);
    p.deleteJsonObj();
    return 0;
  }
  const m = routeGetAnswer(ctx, ns, q, res, dstAddr, iif);
  const f = emptyFilter();
  printRoute(ctx, ns, m, f);
  if (q.connected && !q.from) {
    // iproute_get: print the answer, then ask again from its preferred source (without its gateway and,
    // unless given, its device) and print that answer too
    if (!res.prefsrc) {
      p.deleteJsonObj();
      die(ctx, 'Failed to connect the route\n', 255);
    }
    let again;
    try {
      again = routeGet(world, ctx.ns, dstAddr, { ...ask, src: res.prefsrc });
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
