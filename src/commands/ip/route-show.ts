// ip route list/show/flush (ip/iproute.c iproute_list_flush_or_save, print_route): the
// RTM_NEWROUTE view of a route, the dump filter and its selectors, the printer.
import { networkOf, scopeNum } from '../../sim/ip';
import { linkByIndex } from '../../sim/netdev';
import {
  fibTableExists,
  routeFlush,
  routeLinkDown,
  routesOf,
  RT_TABLE_MAIN,
  nexthopFlags,
} from '../../sim/fib';
import type { AddrFamily, Netns, Route, RouteType } from '../../sim/types';
import { ROUTE_USAGE } from './help';
import {
  Args,
  die,
  getPrefix,
  invarg,
  ipFamily,
  matches,
  parseUnsigned,
  protoA2n,
  protoN2a,
  protoNum,
  RTN_TYPES,
  scopeSelector,
  devIndex,
  scopeN2a,
  tableA2n,
  tableN2a,
  type InetPrefix,
  type IpCtx,
  flushReport,
} from './utils';


export function usage(ctx: IpCtx): never {
  die(ctx, ROUTE_USAGE, 255);
}

/** A route as the kernel reports it in an RTM_NEWROUTE message. */
export interface RtMsg {
  family: AddrFamily;
  type: RouteType;
  dst: string | null;
  dstLen: number;
  src: string | null;
  srcLen: number;
  table: number;
  protocol: number;
  scope: number;
  gateway: string | null;
  oif: number | null;
  prefsrc: string | null;
  /** RTA_PRIORITY when present */
  metric: number | null;
  onlink: boolean;
  linkdown: boolean;
  cloned: boolean;
  /** RTCF_* names for `cache <...>` */
  cacheFlags: string[];
  uid: number | null;
  pref: string | null;
  iif: number | null;
  mtu: number | null;
  /** RTA_MARK (route get with a mark) */
  mark?: number;
  /** RTA_FLOW */
  realms?: number;
  /** RTA_CACHEINFO rta_expires in seconds (a cached route with a learned path MTU) */
  expires?: number;
  /** RTA_MULTIPATH */
  nexthops?: Array<{ gateway: string | null; oif: number; weight: number; flags: string[]; realms?: number }>;
}

export function msgOf(ctx: IpCtx, ns: Netns, r: Route): RtMsg {
  return {
    family: r.family,
    type: r.type,
    dst: r.dstLen === 0 && (r.dst === '0.0.0.0' || r.dst === '::') ? null : r.dst,
    dstLen: r.dstLen,
    src: null,
    srcLen: 0,
    table: r.table,
    protocol: protoNum(r.protocol),
    scope: scopeNum(r.scope),
    gateway: r.gateway,
    oif: r.oif,
    prefsrc: r.prefsrc,
    metric: r.family === 6 ? r.metric : r.metric ? r.metric : null,
    onlink: r.onlink,
    linkdown: routeLinkDown(ctx.sys.world, ns, r),
    cloned: false,
    cacheFlags: [],
    uid: null,
    pref: r.family === 6 ? 'medium' : null,
    iif: null,
    mtu: r.mtu,
    realms: r.realms,
    ...(r.nexthops
      ? {
          gateway: null,
          oif: null,
          onlink: false,
          nexthops: r.nexthops.map((h) => ({ gateway: h.gateway, oif: h.oif, weight: h.weight, flags: nexthopFlags(ctx.sys.world, ns, r, h), realms: h.realms })),
        }
      : {}),
  };
}

export interface RouteFilter {
  tb: number;
  cloned: boolean;
  protocol: number;
  protocolmask: number;
  scope: number;
  scopemask: number;
  typemask: number;
  tos: number;
  tosmask: number;
  oif: number;
  oifmask: number;
  iif: number;
  iifmask: number;
  metric: number;
  metricmask: number;
  rvia: InetPrefix | null;
  rprefsrc: InetPrefix | null;
  rdst: InetPrefix | null;
  mdst: InetPrefix | null;
  rsrc: InetPrefix | null;
  msrc: InetPrefix | null;
}

export function emptyFilter(): RouteFilter {
  return {
    tb: 0,
    cloned: false,
    protocol: 0,
    protocolmask: 0,
    scope: 0,
    scopemask: 0,
    typemask: 0,
    tos: 0,
    tosmask: 0,
    oif: 0,
    oifmask: 0,
    iif: 0,
    iifmask: 0,
    metric: 0,
    metricmask: 0,
    rvia: null,
    rprefsrc: null,
    rdst: null,
    mdst: null,
    rsrc: null,
    msrc: null,
  };
}

export function typeNum(t: RouteType): number {
  return RTN_TYPES.indexOf(t);
}

export function hostLen(f: AddrFamily): number {
  return f === 4 ? 32 : 128;
}

/** inet_addr_match(a, b, bits): 0 when the first `bits` bits agree (both canonical, same family). */
export function addrMatch(a: string, b: string, bits: number, family: AddrFamily): boolean {
  if (bits <= 0) return true;
  return networkOf(a, Math.min(bits, hostLen(family)), family) === networkOf(b, Math.min(bits, hostLen(family)), family);
}

export function zero(f: AddrFamily): string {
  return f === 4 ? '0.0.0.0' : '::';
}

/** filter_nlmsg */
export function filterMsg(ctx: IpCtx, m: RtMsg, f: RouteFilter): boolean {
  const pf = ipFamily(ctx.opts);
  if (pf && m.family !== pf) return false;
  if (f.cloned !== m.cloned) return false;
  if (f.tb > 0 && f.tb !== m.table) return false;
  if ((f.protocol ^ m.protocol) & f.protocolmask) return false;
  if ((f.scope ^ m.scope) & f.scopemask) return false;
  if (f.typemask && !(f.typemask & (1 << typeNum(m.type)))) return false;
  if (f.rdst) {
    if (m.family !== f.rdst.family || f.rdst.bitlen > m.dstLen) return false;
  }
  if (f.mdst) {
    if (m.family !== f.mdst.family || (f.mdst.bitlen >= 0 && f.mdst.bitlen < m.dstLen)) return false;
  }
  if (f.rvia && f.rvia.family !== m.family) return false;
  if (f.rprefsrc && f.rprefsrc.family !== m.family) return false;
  const dst = m.dst ?? zero(m.family);
  if (f.rdst && !addrMatch(dst, f.rdst.addr, f.rdst.bitlen, m.family)) return false;
  if (f.mdst && !addrMatch(dst, f.mdst.addr, m.dstLen, m.family)) return false;
  if (f.rvia && !addrMatch(m.gateway ?? zero(m.family), f.rvia.addr, f.rvia.bitlen, m.family)) return false;
  if (f.rprefsrc && !addrMatch(m.prefsrc ?? zero(m.family), f.rprefsrc.addr, f.rprefsrc.bitlen, m.family)) return false;
  if (f.iifmask && ((m.iif ?? 0) ^ f.iif) & f.iifmask) return false;
  if (f.oifmask && ((m.oif ?? 0) ^ f.oif) & f.oifmask) return false;
  if (f.metricmask && ((m.metric ?? 0) ^ f.metric) & f.metricmask) return false;
  return true;
}

export function familyColor(f: AddrFamily) {
  return f === 4 ? ('inet' as const) : ('inet6' as const);
}

/** print_route */
export function printRoute(ctx: IpCtx, ns: Netns, m: RtMsg, f: RouteFilter): void {
  const p = ctx.p;
  const details = ctx.opts.details > 0;
  p.openObject(null);
  if ((m.type !== 'unicast' || details) && (!f.typemask || f.typemask & (1 << typeNum(m.type)))) p.string('any', 'type', '%s ', m.type);
  let dstText: string;
  let color: ReturnType<typeof familyColor> | null = null;
  if (m.dst != null) {
    color = familyColor(m.family);
    dstText = m.dstLen !== hostLen(m.family) ? `${m.dst}/${m.dstLen}` : m.dst;
  } else if (m.dstLen) dstText = `0/${m.dstLen} `;
  else dstText = 'default';
  p.string('any', 'dst', '%s ', dstText, color);
  if (m.src != null) {
    p.string('any', 'from', 'from %s ', m.srcLen !== hostLen(m.family) ? `${m.src}/${m.srcLen}` : m.src, familyColor(m.family));
  }
  const hl = hostLen(m.family);
  if (m.gateway && (!f.rvia || f.rvia.bitlen !== hl)) {
    if (p.isJson()) p.string('json', 'gateway', null, m.gateway);
    else {
      p.text('via ');
      p.string('fp', null, '%s ', m.gateway, familyColor(m.family));
    }
  }
  if (m.oif != null && f.oifmask !== -1) printIfidx(ctx, ns, m.oif, 'dev');
  if (m.table && (m.table !== RT_TABLE_MAIN || details) && !f.tb) p.string('any', 'table', 'table %s ', tableN2a(m.table, ctx.opts.numeric));
  if (!m.cloned) {
    if ((m.protocol !== 3 || details) && f.protocolmask !== -1) p.string('any', 'protocol', 'proto %s ', protoN2a(m.protocol, ctx.opts.numeric));
    if ((m.scope !== 0 || details) && f.scopemask !== -1) p.string('any', 'scope', 'scope %s ', scopeN2a(m.scope, ctx.opts.numeric));
  }
  if (m.prefsrc && (!f.rprefsrc || f.rprefsrc.bitlen !== hl)) {
    if (p.isJson()) p.string('json', 'prefsrc', null, m.prefsrc);
    else {
      p.text('src ');
      p.string('fp', null, '%s ', m.prefsrc, familyColor(m.family));
    }
  }
  if (m.metric != null && f.metricmask !== -1) p.uint('any', 'metric', 'metric %u ', m.metric);
  p.openArray('json', p.isJson() ? 'flags' : '');
  if (m.onlink) p.string('any', null, '%s ', 'onlink');
  if (m.linkdown) p.string('any', null, '%s ', 'linkdown');
  p.closeArray('json', null);
  if (m.mark) {
    if (p.isJson()) p.uint('json', 'mark', null, m.mark);
    else if (m.mark >= 16) p.text(`mark 0x${m.mark.toString(16)} `);
    else p.text(`mark ${m.mark} `);
  }
  if (m.realms) printFlow(ctx, m.realms);
  if (m.uid != null) p.uint('any', 'uid', 'uid %u ', m.uid);
  if (m.family === 4 && m.cloned) {
    if (p.isJson()) {
      p.openArray('json', 'cache');
      for (const c of m.cacheFlags) p.string('json', null, null, c);
      p.closeArray('json', null);
    } else {
      p.text(`${p.SL}    cache `);
      if (m.cacheFlags.length) p.text('<' + m.cacheFlags.join(',') + '> ');
    }
  }
  // print_rta_cacheinfo
  if (m.expires) p.int('any', 'expires', 'expires %dsec ', m.expires);
  if (m.mtu != null) {
    if (p.isJson()) {
      p.openObject('metrics');
      p.uint('json', 'mtu', null, m.mtu);
      p.closeObject();
    } else p.text(`mtu ${m.mtu} `);
  }
  if (m.iif != null && f.iifmask !== -1) printIfidx(ctx, ns, m.iif, 'iif');
  if (m.pref) p.string('any', 'pref', 'pref %s', m.pref);
  if (m.nexthops) {
    // print_rta_multipath
    p.openArray('json', 'nexthops');
    for (const h of m.nexthops) {
      p.openObject(null);
      if (!p.isJson()) p.text(`${p.SL}\tnexthop `);
      if (h.gateway) {
        if (p.isJson()) p.string('json', 'gateway', null, h.gateway);
        else {
          p.text('via ');
          p.string('fp', null, '%s ', h.gateway, familyColor(m.family));
        }
      }
      if (h.realms) printFlow(ctx, h.realms);
      p.string('any', 'dev', 'dev %s ', linkByIndex(ns, h.oif)?.name ?? `if${h.oif}`);
      p.int('any', 'weight', 'weight %d ', h.weight);
      p.openArray('json', p.isJson() ? 'flags' : '');
      for (const fl of h.flags) p.string('any', null, '%s ', fl);
      p.closeArray('json', null);
      p.closeObject();
    }
    p.closeArray('json', null);
  }
  p.string('fp', null, '\n', null);
  p.closeObject();
}

export function printIfidx(ctx: IpCtx, ns: Netns, idx: number, prefix: string): void {
  const p = ctx.p;
  const name = linkByIndex(ns, idx)?.name ?? `if${idx}`;
  if (p.isJson()) p.string('json', prefix, null, name);
  else {
    p.text(`${prefix} `);
    p.string('fp', null, '%s ', name, 'ifname');
  }
}

export function readFamily(s: string): 0 | 4 | 6 | -1 {
  if (s === 'inet') return 4;
  if (s === 'inet6') return 6;
  if (s === 'link' || s === 'bridge' || s === 'mpls') return -1;
  return 0;
}

export function parseType(arg: string): RouteType | null {
  const i = RTN_TYPES.indexOf(arg);
  if (i >= 0) return RTN_TYPES[i] as RouteType;
  const n = parseUnsigned(arg, 0, 255);
  if (n != null && n < RTN_TYPES.length) return RTN_TYPES[n] as RouteType;
  return null;
}

/** iproute_flush: delete what the filter selects, in rounds until nothing is left (-s reports each round). */
function flushRoutes(ctx: IpCtx, dumpFamily: 0 | 4 | 6, cloned: boolean, candidates: () => Array<{ r: Route; m: RtMsg }>): number {
  if (cloned) {
    // iproute_flush: the IPv4 routing cache is flushed through /proc/sys/net/ipv4/route/flush
    if (dumpFamily !== 6 && ctx.opts.stats) ctx.p.text('*** IPv4 routing cache is flushed.\n');
    if (dumpFamily === 4) return 0;
  }
  let round = 0;
  for (;;) {
    const list = candidates();
    if (!list.length) {
      flushReport(ctx, round);
      return 0;
    }
    round++;
    const victims = new Set(list.map(({ r }) => r));
    routeFlush(ctx.sys.world, ctx.ns, (r) => victims.has(r));
    if (ctx.opts.stats) ctx.p.text(`\n*** Round ${round}, deleting ${list.length} entries ***\n`);
  }
}

/** The selectors of `ip route list|flush` into the filter (dev and iif names come back unresolved). */
function parseListArgs(ctx: IpCtx, argv: string[], f: RouteFilter, dumpFamily: 0 | 4 | 6): { od: string | null; id: string | null } {
  let od: string | null = null;
  let id: string | null = null;
  const a = new Args(argv);
  for (; a.more(); a.adv()) {
    const arg = a.cur;
    if (matches(arg, 'table')) {
      const v = a.next(ctx);
      const t = tableA2n(v);
      if (t == null) {
        if (v === 'all') f.tb = 0;
        else if (v === 'cache') f.cloned = true;
        else if (v === 'help') usage(ctx);
        else invarg(ctx, 'table id value is invalid\n', v);
      } else f.tb = t;
    } else if (matches(arg, 'vrf')) {
      invarg(ctx, 'Invalid VRF\n', a.next(ctx));
    } else if (matches(arg, 'cached') || matches(arg, 'cloned')) {
      f.cloned = true;
    } else if (arg === 'tos' || matches(arg, 'dsfield')) {
      const v = a.next(ctx);
      const t = parseUnsigned(v, 16, 255);
      if (t == null) invarg(ctx, 'TOS value is invalid\n', v);
      f.tos = t;
      f.tosmask = -1;
    } else if (matches(arg, 'protocol')) {
      const v = a.next(ctx);
      f.protocolmask = -1;
      const pn = protoA2n(v);
      if (pn == null) {
        if (v !== 'all') invarg(ctx, 'invalid "protocol"\n', v);
        f.protocol = 0;
        f.protocolmask = 0;
      } else f.protocol = pn;
    } else if (matches(arg, 'scope')) {
      Object.assign(f, scopeSelector(ctx, a.next(ctx)));
    } else if (matches(arg, 'type')) {
      const v = a.next(ctx);
      const t = parseType(v);
      if (!t) invarg(ctx, 'node type value is invalid\n', v);
      f.typemask = 1 << typeNum(t);
    } else if (arg === 'dev' || arg === 'oif') {
      od = a.next(ctx);
    } else if (arg === 'iif') {
      id = a.next(ctx);
    } else if (arg === 'mark') {
      const v = a.next(ctx);
      if (parseUnsigned(v, 0) == null) invarg(ctx, 'invalid mark value', v);
    } else if (matches(arg, 'metric') || matches(arg, 'priority') || arg === 'preference') {
      const v = a.next(ctx);
      const n = parseUnsigned(v, 0);
      if (n == null) invarg(ctx, '"metric" value is invalid\n', v);
      f.metric = n;
      f.metricmask = -1;
    } else if (arg === 'via') {
      let v = a.next(ctx);
      let fam = readFamily(v);
      if (fam === 0) fam = dumpFamily;
      else v = a.next(ctx);
      f.rvia = getPrefix(ctx, v, fam === -1 ? 0 : fam);
    } else if (arg === 'src') {
      f.rprefsrc = getPrefix(ctx, a.next(ctx), dumpFamily);
    } else if (matches(arg, 'realms')) {
      a.next(ctx);
    } else if (matches(arg, 'from')) {
      let v = a.next(ctx);
      if (matches(v, 'root')) f.rsrc = getPrefix(ctx, a.next(ctx), dumpFamily);
      else if (matches(v, 'match')) f.msrc = getPrefix(ctx, a.next(ctx), dumpFamily);
      else {
        if (matches(v, 'exact')) v = a.next(ctx);
        f.msrc = getPrefix(ctx, v, dumpFamily);
        f.rsrc = f.msrc;
      }
    } else {
      let v = arg;
      if (matches(v, 'to')) v = a.next(ctx);
      if (matches(v, 'root')) f.rdst = getPrefix(ctx, a.next(ctx), dumpFamily);
      else if (matches(v, 'match')) f.mdst = getPrefix(ctx, a.next(ctx), dumpFamily);
      else {
        if (matches(v, 'exact')) v = a.next(ctx);
        f.mdst = getPrefix(ctx, v, dumpFamily);
        f.rdst = f.mdst;
      }
    }
  }
  return { od, id };
}

export function iprouteList(ctx: IpCtx, argv: string[], action: 'list' | 'flush'): number {
  const world = ctx.sys.world;
  const ns = world.ns(ctx.ns);
  let dumpFamily: 0 | 4 | 6 = ipFamily(ctx.opts);
  const f = emptyFilter();
  f.tb = RT_TABLE_MAIN;
  if (action === 'flush' && !argv.length) die(ctx, '"ip route flush" requires arguments.\n', 1);
  const { od, id } = parseListArgs(ctx, argv, f, dumpFamily);
  if (dumpFamily === 0 && f.tb) dumpFamily = 4;
  // "default"/"all" prefixes parsed without a family do not pin one (filter_nlmsg: family 0): "default" still
  // limits the prefix length (PREFIXLEN_SPECIFIED), "all"/"any" select nothing at all
  if (!ipFamily(ctx.opts)) {
    for (const k of ['rdst', 'mdst'] as const) {
      const x = f[k];
      if (x && x.isDefault && !x.prefixSpecified) f[k] = null;
    }
  }
  if (id) {
    f.iif = devIndex(ctx, ns, id);
    f.iifmask = -1;
  }
  if (od) {
    f.oif = devIndex(ctx, ns, od);
    f.oifmask = -1;
  }
  const families: AddrFamily[] = dumpFamily === 4 ? [4] : dumpFamily === 6 ? [6] : [4, 6];
  // a dump of one table fails when that table does not exist (the main table is forgiven)
  if (f.tb && f.tb !== RT_TABLE_MAIN && !f.cloned) {
    for (const fam of families) {
      if (!fibTableExists(ns, fam, f.tb)) {
        if (action === 'flush') die(ctx, `Error: ipv${fam === 4 ? '4' : '6'}: FIB table does not exist.\nFlush terminated\n`, 2);
        die(ctx, `Error: ipv${fam === 4 ? '4' : '6'}: FIB table does not exist.\nDump terminated\n`, 2);
      }
    }
  }
  const candidates = (): Array<{ r: Route; m: RtMsg }> => {
    if (f.cloned) return [];
    const out: Array<{ r: Route; m: RtMsg }> = [];
    for (const fam of families) {
      for (const r of routesOf(ns, fam)) {
        if (f.tb && r.table !== f.tb) continue;
        if (f.oif && r.oif !== f.oif) continue;
        if (f.protocolmask === -1 && action === 'flush' && protoNum(r.protocol) !== f.protocol) continue;
        const m = msgOf(ctx, ns, r);
        if (!filterMsg(ctx, m, f)) continue;
        out.push({ r, m });
      }
    }
    return out;
  };
  if (action === 'flush') return flushRoutes(ctx, dumpFamily, f.cloned, candidates);
  ctx.p.newJsonObj();
  for (const { m } of candidates()) printRoute(ctx, ns, m, f);
  ctx.p.deleteJsonObj();
  return 0;
}

/** /etc/iproute2/rt_realms: only 0 has a name */
export function realmN2a(n: number, numeric: boolean): string {
  return n === 0 && !numeric ? 'cosmos' : String(n);
}


/** print_rta_flow */
export function printFlow(ctx: IpCtx, realms: number): void {
  const p = ctx.p;
  const from = realms >>> 16;
  const to = realms & 0xffff;
  if (p.isJson()) {
    p.openObject('flow');
    if (from) p.string('json', 'from', null, realmN2a(from, ctx.opts.numeric));
    p.string('json', 'to', null, realmN2a(to, ctx.opts.numeric));
    p.closeObject();
  } else {
    p.text(`realm${from ? 's' : ''} `);
    if (from) p.text(`${realmN2a(from, ctx.opts.numeric)}/`);
    p.text(`${realmN2a(to, ctx.opts.numeric)} `);
  }
}

/** parse_nexthops / parse_one_nh: `nexthop [via [FAMILY] ADDR] [dev NAME] [weight W] [onlink] [realms R]` ... */
