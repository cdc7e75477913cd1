// ip route (ip/iproute.c): list/show with selectors, flush, add/del/change/
// replace/append/prepend, get (with fibmatch), help.
import { KernelError } from '../../sim/errors';
import { compareIp, networkOf, scopeNum } from '../../sim/ip';
import { findLink, linkByIndex } from '../../sim/netdev';
import {
  fibTableExists,
  fibTableLookup,
  routeAdd,
  routeDel,
  routeFlush,
  routeGet,
  routeLinkDown,
  routesOf,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  nexthopFlags,
  type NexthopSpec,
  type RouteSpec,
} from '../../sim/fib';
import { defaultRules } from '../../sim/rule';
import { ipv4ForwardingOn } from '../../sim/proc-sys';
import type { AddrFamily, Netns, Route, RouteType } from '../../sim/types';
import { ROUTE_USAGE } from './help';
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
  scopeN2a,
  tableA2n,
  tableN2a,
  type InetPrefix,
  type IpCtx,
} from './utils';

function usage(ctx: IpCtx): never {
  die(ctx, ROUTE_USAGE, 255);
}

/** A route as the kernel reports it in an RTM_NEWROUTE message. */
interface RtMsg {
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

function msgOf(ctx: IpCtx, ns: Netns, r: Route): RtMsg {
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

interface RouteFilter {
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

function emptyFilter(): RouteFilter {
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

function typeNum(t: RouteType): number {
  return RTN_TYPES.indexOf(t);
}

function hostLen(f: AddrFamily): number {
  return f === 4 ? 32 : 128;
}

/** inet_addr_match(a, b, bits): 0 when the first `bits` bits agree (both canonical, same family). */
function addrMatch(a: string, b: string, bits: number, family: AddrFamily): boolean {
  if (bits <= 0) return true;
  return networkOf(a, Math.min(bits, hostLen(family)), family) === networkOf(b, Math.min(bits, hostLen(family)), family);
}

function zero(f: AddrFamily): string {
  return f === 4 ? '0.0.0.0' : '::';
}

/** filter_nlmsg */
function filterMsg(ctx: IpCtx, m: RtMsg, f: RouteFilter): boolean {
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

function familyColor(f: AddrFamily) {
  return f === 4 ? ('inet' as const) : ('inet6' as const);
}

/** print_route */
function printRoute(ctx: IpCtx, ns: Netns, m: RtMsg, f: RouteFilter): void {
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

function printIfidx(ctx: IpCtx, ns: Netns, idx: number, prefix: string): void {
  const p = ctx.p;
  const name = linkByIndex(ns, idx)?.name ?? `if${idx}`;
  if (p.isJson()) p.string('json', prefix, null, name);
  else {
    p.text(`${prefix} `);
    p.string('fp', null, '%s ', name, 'ifname');
  }
}

function readFamily(s: string): 0 | 4 | 6 | -1 {
  if (s === 'inet') return 4;
  if (s === 'inet6') return 6;
  if (s === 'link' || s === 'bridge' || s === 'mpls') return -1;
  return 0;
}

function parseType(arg: string): RouteType | null {
  const i = RTN_TYPES.indexOf(arg);
  if (i >= 0) return RTN_TYPES[i] as RouteType;
  const n = parseUnsigned(arg, 0, 255);
  if (n != null && n < RTN_TYPES.length) return RTN_TYPES[n] as RouteType;
  return null;
}

function iprouteList(ctx: IpCtx, argv: string[], action: 'list' | 'flush'): number {
  const world = ctx.sys.world;
  const ns = world.ns(ctx.ns);
  let dumpFamily: 0 | 4 | 6 = ipFamily(ctx.opts);
  const f = emptyFilter();
  f.tb = RT_TABLE_MAIN;
  if (action === 'flush' && !argv.length) die(ctx, '"ip route flush" requires arguments.\n', 1);
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
      const v = a.next(ctx);
      f.scopemask = -1;
      const s = scopeA2n(v);
      if (s == null) {
        if (v !== 'all') invarg(ctx, 'invalid "scope"\n', v);
        f.scope = 255;
        f.scopemask = 0;
      } else f.scope = s;
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
    const l = findLink(ns, id);
    if (!l) nodev(ctx, id);
    f.iif = l.ifindex;
    f.iifmask = -1;
  }
  if (od) {
    const l = findLink(ns, od);
    if (!l) nodev(ctx, od);
    f.oif = l.ifindex;
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
  if (action === 'flush') {
    if (f.cloned) {
      // iproute_flush: the IPv4 routing cache is flushed through /proc/sys/net/ipv4/route/flush
      if (dumpFamily !== 6 && ctx.opts.stats) ctx.p.text('*** IPv4 routing cache is flushed.\n');
      if (dumpFamily === 4) return 0;
    }
    let round = 0;
    for (;;) {
      const list = candidates();
      if (!list.length) {
        if (ctx.opts.stats) {
          if (round === 0) ctx.p.text('Nothing to flush.\n');
          else ctx.p.text(`*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
        }
        return 0;
      }
      round++;
      const victims = new Set(list.map(({ r }) => r));
      routeFlush(ctx.sys.world, ctx.ns, (r) => victims.has(r));
      if (ctx.opts.stats) ctx.p.text(`\n*** Round ${round}, deleting ${list.length} entries ***\n`);
    }
  }
  ctx.p.newJsonObj();
  for (const { m } of candidates()) printRoute(ctx, ns, m, f);
  ctx.p.deleteJsonObj();
  return 0;
}

function iprouteModify(ctx: IpCtx, cmd: 'add' | 'del' | 'change' | 'replace' | 'append' | 'prepend' | 'test', argv: string[]): number {
  const world = ctx.sys.world;
  const ns = world.ns(ctx.ns);
  const del = cmd === 'del';
  let family: 0 | 4 | 6 = ipFamily(ctx.opts);
  let table = RT_TABLE_MAIN;
  let type: RouteType | null = del ? null : 'unicast';
  let protocol: number | null = del ? null : 3;
  let scope: number | null = null;
  let typeOk = false;
  let tableOk = false;
  let gw: InetPrefix | null = null;
  let dst: InetPrefix | null = null;
  let prefsrc: string | null = null;
  let metric: number | null = null;
  let onlink = false;
  let dev: string | null = null;
  let mtu: number | null = null;
  let nhArgs: string[] | null = null;
  let realms = 0;
  const a = new Args(argv);
  for (; a.more(); a.adv()) {
    const arg = a.cur;
    if (arg === 'src') {
      const x = getAddr(ctx, a.next(ctx), family);
      if (!family) family = x.family;
      prefsrc = x.addr;
    } else if (arg === 'as') {
      let v = a.next(ctx);
      if (v === 'to') v = a.next(ctx);
      getAddr(ctx, v, family);
    } else if (arg === 'via') {
      if (gw) invarg(ctx, 'use nexthop syntax to specify multiple via\n', arg);
      let v = a.next(ctx);
      let fam = readFamily(v);
      if (fam === 0) fam = family;
      else v = a.next(ctx);
      const x = getAddr(ctx, v, fam === -1 ? 0 : fam);
      if (!family) family = x.family;
      gw = x;
    } else if (arg === 'from') {
      const x = getPrefix(ctx, a.next(ctx), family);
      if (!family) family = x.family;
    } else if (arg === 'tos' || matches(arg, 'dsfield')) {
      const v = a.next(ctx);
      if (parseUnsigned(v, 16, 255) == null) invarg(ctx, '"tos" value is invalid\n', v);
    } else if (arg === 'expires') {
      const v = a.next(ctx);
      if (parseUnsigned(v, 0) == null) invarg(ctx, '"expires" value is invalid\n', v);
    } else if (matches(arg, 'metric') || matches(arg, 'priority') || arg === 'preference') {
      const v = a.next(ctx);
      const n = parseUnsigned(v, 0);
      if (n == null) invarg(ctx, '"metric" value is invalid\n', v);
      metric = n;
    } else if (arg === 'scope') {
      const v = a.next(ctx);
      const s = scopeA2n(v);
      if (s == null) invarg(ctx, 'invalid "scope" value\n', v);
      scope = s;
    } else if (arg === 'mtu') {
      let v = a.next(ctx);
      if (v === 'lock') v = a.next(ctx);
      const n = parseUnsigned(v, 0);
      if (n == null) invarg(ctx, '"mtu" value is invalid\n', v);
      mtu = n;
    } else if (['hoplimit', 'advmss', 'rtt', 'rto_min', 'rttvar'].includes(arg) || matches(arg, 'reordering') || matches(arg, 'window') || matches(arg, 'cwnd') || matches(arg, 'initcwnd') || matches(arg, 'initrwnd') || matches(arg, 'ssthresh') || matches(arg, 'quickack') || matches(arg, 'congctl') || matches(arg, 'features') || matches(arg, 'fastopen_no_cookie')) {
      let v = a.next(ctx);
      if (v === 'lock') v = a.next(ctx);
    } else if (matches(arg, 'realms')) {
      const v = a.next(ctx);
      const r = parseRealms(v);
      if (r == null) invarg(ctx, '"realm" value is invalid\n', v);
      realms = r;
    } else if (arg === 'onlink') {
      onlink = true;
    } else if (arg === 'nexthop') {
      // everything from here on is nexthops (parse_nexthops runs after the device lookup)
      nhArgs = argv.slice(a.i);
      break;
    } else if (arg === 'nhid') {
      const v = a.next(ctx);
      if (parseUnsigned(v, 0) == null) invarg(ctx, '"id" value is invalid\n', v);
      die(ctx, 'Error: Nexthop id does not exist.\n', 2);
    } else if (matches(arg, 'protocol')) {
      const v = a.next(ctx);
      const pn = protoA2n(v);
      if (pn == null) invarg(ctx, '"protocol" value is invalid\n', v);
      protocol = pn;
    } else if (matches(arg, 'table')) {
      const v = a.next(ctx);
      const t = tableA2n(v);
      if (t == null) invarg(ctx, '"table" value is invalid\n', v);
      table = t;
      tableOk = true;
    } else if (matches(arg, 'vrf')) {
      invarg(ctx, 'Invalid VRF\n', a.next(ctx));
    } else if (arg === 'dev' || arg === 'oif') {
      dev = a.next(ctx);
    } else if (matches(arg, 'pref')) {
      const v = a.next(ctx);
      if (!['low', 'medium', 'high'].includes(v) && parseUnsigned(v, 0, 255) == null) invarg(ctx, '"pref" value is invalid\n', v);
    } else if (arg === 'encap') {
      die(ctx, 'Error: encapsulation is not supported here.\n', 1);
    } else if (arg === 'ttl-propagate') {
      const v = a.next(ctx);
      if (!matches(v, 'enabled') && !matches(v, 'disabled')) invarg(ctx, '"ttl-propagate" value is invalid\n', v);
    } else {
      let v = arg;
      if (v === 'to') v = a.next(ctx);
      if ((v[0]! < '0' || v[0]! > '9') && parseType(v) && RTN_TYPES.includes(v)) {
        type = parseType(v)!;
        typeOk = true;
        v = a.next(ctx);
      }
      if (matches(v, 'help')) usage(ctx);
      if (dst) duparg2(ctx, 'to', v);
      dst = getPrefix(ctx, v, family);
      if (!family) family = dst.family;
    }
  }
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

/** /etc/iproute2/rt_realms: only 0 has a name */
function realmN2a(n: number, numeric: boolean): string {
  return n === 0 && !numeric ? 'cosmos' : String(n);
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

/** print_rta_flow */
function printFlow(ctx: IpCtx, realms: number): void {
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
