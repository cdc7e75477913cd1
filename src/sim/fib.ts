// Routing tables (FIB) of a namespace: add/del/replace/change, longest
// prefix match through the policy rules, source address selection, and the
// routes the kernel itself creates for addresses (proto kernel).
import { KernelError } from './errors';
import {
  compareIp,
  intToV4,
  networkOf,
  prefixContains,
  scopeNum,
  v4Mask,
  v4ToInt,
  v6Mask,
  v6ToBig,
} from './ip';
import type { AddrFamily, Address, Link, Netns, NsId, Route, RouteNexthop, RouteType } from './types';
import type { World } from './world';
import { linkByIndex, linkCarrier } from './netdev';
import { ruleMatches, sortedRules } from './rule';
import { hasRoute, indexedPush, kernelKey, replaceRoute, routeIndex, routesEdited } from './route-index';

export const RT_TABLE_DEFAULT = 253, RT_TABLE_MAIN = 254, RT_TABLE_LOCAL = 255;

/** Numeric scope of a route/address scope name (RT_SCOPE_*). */
export interface RouteSpec {
  family: AddrFamily;
  /** default 254 (main) */
  table?: number;
  /** default 'unicast' */
  type?: RouteType;
  /** network address (host bits must be clear, else EINVAL) */
  dst: string;
  dstLen: number;
  gateway?: string | null;
  /** output device ifindex */
  oif?: number | null;
  prefsrc?: string | null;
  /** default 0 (IPv4) / 1024 (IPv6) */
  metric?: number;
  /** default 'boot' (what iproute2 sends) */
  protocol?: string | number;
  /** default derived as iproute2 does: host for local, link for device routes, global otherwise */
  scope?: Route['scope'];
  onlink?: boolean;
  mtu?: number | null;
  /** multipath (RTA_MULTIPATH) hops; `gateway`/`oif` above are then RTA_GATEWAY/RTA_OIF, which must agree with the first hop */
  nexthops?: NexthopSpec[];
  /** RTA_FLOW (IPv4 keeps it) */
  realms?: number;
}

/** One hop of a multipath route as asked (`nexthop via A dev D weight W onlink`). */
export interface NexthopSpec {
  gateway?: string | null;
  oif?: number | null;
  /** 1..256, default 1 */
  weight?: number;
  onlink?: boolean;
  realms?: number;
}

export type RouteAddMode = 'add' | 'replace' | 'change' | 'append' | 'prepend';

function tableKey(family: AddrFamily, table: number): string {
  return `${family}:${table}`;
}

/** Does the FIB table exist (IPv4 tables appear on first insert; IPv6 main and local always exist)? */
export function fibTableExists(ns: Netns, family: AddrFamily, table: number): boolean {
  if (family === 6 && (table === RT_TABLE_MAIN || table === RT_TABLE_LOCAL)) return true;
  return ns.fibTables.includes(tableKey(family, table));
}

function ensureTable(ns: Netns, family: AddrFamily, table: number): void {
  const k = tableKey(family, table);
  if (!ns.fibTables.includes(k)) ns.fibTables.push(k);
}

function defaultScope(type: RouteType, gateway: string | null | undefined, oif: number | null | undefined): Route['scope'] {
  if (type === 'local') return 'host';
  if (type === 'broadcast' || type === 'multicast' || type === 'anycast') return 'link';
  if (type === 'unicast' && !gateway && oif != null) return 'link';
  return 'global';
}

function hostBitsSet(family: AddrFamily, dst: string, len: number): boolean {
  if (family === 4) return ((v4ToInt(dst) & ~v4Mask(len)) >>> 0) !== 0;
  return (v6ToBig(dst) & ~v6Mask(len) & ((1n << 128n) - 1n)) !== 0n;
}

/**
 * Order in which the kernel dumps routes: IPv4 tables by id modulo 256,
 * then by destination, longer prefix first, lower metric first, insertion.
 */
export function compareRoutes(a: Route, b: Route): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.table !== b.table) return (a.table & 255) - (b.table & 255);
  if (a.family === 4) {
    const c = compareIp(a.dst, b.dst, 4);
    if (c !== 0) return c;
    if (a.dstLen !== b.dstLen) return b.dstLen - a.dstLen;
  } else {
    // fib6 tree walk: a prefix containing another comes after it
    const m = v6Mask(Math.min(a.dstLen, b.dstLen));
    const x = v6ToBig(a.dst);
    const y = v6ToBig(b.dst);
    if ((x & m) === (y & m) && a.dstLen !== b.dstLen) return b.dstLen - a.dstLen;
    if (x !== y) return x < y ? -1 : 1;
  }
  if (a.metric !== b.metric) return a.metric - b.metric;
  return a.seq - b.seq;
}

/** Routes of a namespace in the kernel's dump order. */
export function routesOf(ns: Netns, family?: AddrFamily): Route[] {
  const r = family ? ns.routes.filter((x) => x.family === family) : ns.routes.slice();
  return r.sort(compareRoutes);
}

function sameKey(r: Route, family: AddrFamily, table: number, dst: string, dstLen: number): boolean {
  return r.family === family && r.table === table && r.dstLen === dstLen && r.dst === dst;
}

/** Find the connected route used to reach a gateway (scope link or host), for nexthop validation. */
function gatewayLookup(world: World, ns: Netns, family: AddrFamily, gw: string, oif: number | null, table: number): Route | null {
  const tryTable = (t: number): Route | null => {
    let best: Route | null = null;
    for (const r of ns.routes) {
      if (r.family !== family || r.table !== t) continue;
      // IPv4: a route of scope link or host; IPv6 (scopes are not kept): a route without gateway
      if (family === 4 ? scopeNum(r.scope) < 253 : r.gateway != null || (r.type !== 'unicast' && r.type !== 'local')) continue;
      if (oif != null && r.oif !== oif) continue;
      if (!prefixHas(r, gw)) continue;
      if (!best || r.dstLen > best.dstLen || (r.dstLen === best.dstLen && r.metric < best.metric)) best = r;
    }
    return best;
  };
  if (table !== RT_TABLE_MAIN && fibTableExists(ns, family, table)) {
    const r = tryTable(table);
    if (r) return r;
  }
  for (const rule of sortedRules(ns, family)) {
    if (rule.action !== 'lookup') continue;
    if (!ruleMatches(rule, { dst: gw, src: null, iif: null, oif: null, mark: 0 })) continue;
    const r = tryTable(rule.table);
    if (r) return r;
  }
  void world;
  return null;
}

function prefixHas(r: Route, addr: string): boolean {
  return prefixContains(r.dst, r.dstLen, addr, r.family);
}

/**
 * fib_check_nh / ip6_validate_gw: check one nexthop (gateway reachable through a
 * connected route, device up...) and return its output device.
 */
function checkNexthop(world: World, ns: Netns, family: AddrFamily, table: number, scopeN: number, gateway: string | null, oif: number | null, onlink: boolean): number | null {
  if (family === 6) {
    if (oif != null && !linkByIndex(ns, oif)!.adminUp) throw new KernelError('ENETDOWN', 'Nexthop device is not up.');
    if (gateway && !onlink && !gateway.startsWith('fe80')) {
      const via = gatewayLookup(world, ns, family, gateway, oif, table);
      if (!via) throw new KernelError('EHOSTUNREACH', 'Nexthop has invalid gateway.');
      if (oif == null) oif = via.oif;
    } else if (gateway && oif == null) throw new KernelError('ENODEV', 'Nexthop has invalid gateway or device mismatch.');
    if (!gateway && oif == null) throw new KernelError('ENODEV');
  } else if (scopeN === 254) {
    // host scope (local addresses): no reachability checks, the device may be down
    if (gateway) throw new KernelError('EINVAL', 'Route with host scope can not have a gateway.');
    if (oif == null) throw new KernelError('ENODEV');
  } else if (gateway) {
    if (onlink) {
      if (scopeN >= 253) throw new KernelError('EINVAL', 'Nexthop has invalid scope.');
      if (oif == null) throw new KernelError('ENODEV', 'Nexthop device required for onlink.');
      if (!linkByIndex(ns, oif)!.adminUp) throw new KernelError('ENETDOWN', 'Nexthop device is not up.');
    } else {
      const via = gatewayLookup(world, ns, family, gateway, oif, table);
      if (!via) throw new KernelError('ENETUNREACH', 'Nexthop has invalid gateway.');
      if (via.type !== 'unicast' && via.type !== 'local') throw new KernelError('EINVAL', 'Nexthop has invalid gateway.');
      if (oif == null) oif = via.oif;
      const l = oif != null ? linkByIndex(ns, oif) : undefined;
      if (!l) throw new KernelError('EINVAL', 'No egress device for nexthop gateway.');
      if (!l.adminUp) throw new KernelError('ENETDOWN');
    }
  } else {
    if (onlink) throw new KernelError('EINVAL', 'Invalid flags for nexthop - PERVASIVE and ONLINK can not be set.');
    if (oif == null) throw new KernelError('ENODEV');
    if (!linkByIndex(ns, oif)!.adminUp) throw new KernelError('ENETDOWN', 'Device for nexthop is not up.');
  }
  return oif;
}

// fib_get_nhs / rtm_to_fib6_multipath_config: a multipath route's hops, each checked as fib_check_nh does; the route's
// nexthop fields mirror the first hop; a single hop makes an ordinary route (fib_nhs == 1, its realm the route's).
function multipathHops(world: World, ns: Netns, spec: RouteSpec, table: number, scopeN: number, oif: number | null, gateway: string | null) {
  const family = spec.family;
  const asked = spec.nexthops!;
  for (const h of asked) {
    if (h.oif != null && !linkByIndex(ns, h.oif)) throw new KernelError('ENODEV');
    if (h.weight != null && (h.weight < 1 || h.weight > 256)) throw new KernelError('EINVAL');
  }
  // RTA_OIF / RTA_GATEWAY given with RTA_MULTIPATH must be those of the first hop
  if (family === 4) {
    const first = asked[0]!;
    if (oif != null && (first.oif ?? null) !== oif) throw new KernelError('EINVAL', 'Nexthop device index does not match RTA_OIF.');
    if (gateway && (first.gateway ?? null) !== gateway) throw new KernelError('EINVAL', 'Nexthop gateway does not match RTA_GATEWAY or RTA_VIA.');
  }
  // IPv6 wants a gateway on every hop
  if (family === 6 && asked.some((h) => !h.gateway)) throw new KernelError('EINVAL', 'Device only routes can not be added for IPv6 using the multipath API.');
  // fib_check_nh for each hop, in order; IPv6 builds each hop as a route of its own and reports the bare errno
  const check = (h: NexthopSpec): number => {
    try {
      return checkNexthop(world, ns, family, table, scopeN, h.gateway ?? null, h.oif ?? null, !!h.onlink)!;
    } catch (e) {
      if (family === 6 && e instanceof KernelError) throw new KernelError(e.errno);
      throw e;
    }
  };
  const hops = asked.map((h) => {
    const hop: RouteNexthop = { gateway: h.gateway ?? null, oif: check(h), weight: h.weight ?? 1, onlink: !!h.onlink };
    if (family === 4 && h.realms) hop.realms = h.realms;
    return hop;
  });
  const [first, single] = [hops[0]!, hops.length === 1];
  return { hops: single ? null : hops, oif: first.oif as number | null, gateway: first.gateway, onlink: first.onlink, realms: single ? first.realms : undefined };
}

/** fib_table_insert / fib6_add: the route into the namespace's table as the mode asks (add, append, prepend, change, replace). */
function insertRoute(ns: Netns, route: Route, mode: RouteAddMode): Route {
  const { family, table, dst, dstLen, metric } = route;
  const sameIdx = ns.routes.findIndex((r) => sameKey(r, family, table, dst, dstLen) && r.metric === metric);
  if (mode === 'add' || mode === 'append' || mode === 'prepend') {
    if (sameIdx >= 0) {
      // `ip route add` asks for an exclusive create (NLM_F_EXCL): any route with this prefix and metric is in the way.
      if (mode === 'add') throw new KernelError('EEXIST');
      // IPv6 (fib6_add_rt2node): gateway routes with the same prefix, metric and table become ECMP siblings,
      // listed as one multipath route; a hop already there is refused
      const old = ns.routes[sameIdx]!;
      const ecmp = (r: Route) => r.type === 'unicast' && !!r.gateway && r.protocol !== 'kernel' && r.protocol !== 'ra';
      if (family === 6 && ecmp(route) && ecmp(old)) {
        const oldHops = old.nexthops ?? [{ gateway: old.gateway, oif: old.oif!, weight: 1, onlink: old.onlink }];
        const newHops = route.nexthops ?? [{ gateway: route.gateway, oif: route.oif!, weight: 1, onlink: route.onlink }];
        if (newHops.some((h) => oldHops.some((o) => o.gateway === h.gateway && o.oif === h.oif))) throw new KernelError('EEXIST');
        old.nexthops = [...oldHops, ...newHops];
        routesEdited(ns);
        return old;
      }
      // Without it (net-tools' ioctl prepends, `ip route append`), the kernel refuses only an identical route
      // (fib_table_insert's duplicate check); a different nexthop or type goes before (prepend) or after (append)
      // the routes already there.
      const same = ns.routes.filter((r) => sameKey(r, family, table, dst, dstLen) && r.metric === metric);
      if (same.some((r) => r.type === route.type && r.gateway === route.gateway && r.oif === route.oif && scopeNum(r.scope) === scopeNum(route.scope) && sameHops(r, route))) {
        throw new KernelError('EEXIST');
      }
      if (mode === 'prepend') route.seq = Math.min(...same.map((r) => r.seq)) - 1 / (same.length + 1);
    }
    ensureTable(ns, family, table);
    ns.routes.push(route);
    return route;
  }
  if (mode === 'change') {
    if (sameIdx < 0) throw new KernelError('ENOENT');
    route.seq = ns.routes[sameIdx]!.seq;
    replaceRoute(ns, sameIdx, route);
    return route;
  }
  // replace
  ensureTable(ns, family, table);
  if (sameIdx >= 0) {
    route.seq = ns.routes[sameIdx]!.seq;
    replaceRoute(ns, sameIdx, route);
  } else ns.routes.push(route);
  return route;
}


/**
 * Add (or replace/change/append/prepend) a route.
 * Throws: EINVAL "Invalid prefix for given prefix length" (host bits set),
 * ENODEV (oif missing), ENETDOWN "Nexthop device is not up",
 * ENETUNREACH/EINVAL "Nexthop has invalid gateway", EINVAL "Nexthop device required for onlink",
 * EEXIST (same table/prefix/metric exists, mode add), ENOENT (change/replace... change with no such route).
 */
export function routeAdd(world: World, nsId: NsId, spec: RouteSpec, mode: RouteAddMode = 'add'): Route {
  const ns = world.ns(nsId);
  const family = spec.family;
  const table = spec.table ?? RT_TABLE_MAIN;
  const type: RouteType = spec.type ?? 'unicast';
  const dst = spec.dst;
  const dstLen = spec.dstLen;
  if (family === 4 ? dstLen < 0 || dstLen > 32 : dstLen < 0 || dstLen > 128) throw new KernelError('EINVAL');
  if (hostBitsSet(family, dst, dstLen)) throw new KernelError('EINVAL', 'Invalid prefix for given prefix length.');
  let oif = spec.oif ?? null;
  let gateway = spec.gateway ?? null;
  let onlink = !!spec.onlink;
  if (oif != null) {
    const l = linkByIndex(ns, oif);
    if (!l) throw new KernelError('ENODEV');
  }
  const needsNexthop = type === 'unicast' || type === 'local' || type === 'broadcast' || type === 'multicast' || type === 'anycast';
  const multipath = !!spec.nexthops?.length;
  const scopeN = scopeNum(spec.scope ?? (multipath ? 'global' : defaultScope(type, gateway, oif)));
  // fib_create_info: a type's narrowest scope (fib_props) must not be wider than the route's; nat and
  // xresolve (no longer supported) need scope nowhere
  if (family === 4) {
    const t = type as string;
    const minScope = t === 'local' ? 254 : t === 'broadcast' || t === 'anycast' ? 253 : t === 'nat' || t === 'xresolve' ? 255 : 0;
    if (minScope > scopeN) throw new KernelError('EINVAL', 'Invalid scope.');
  }
  let hops: RouteNexthop[] | null = null;
  if (!needsNexthop) {
    // blackhole, unreachable, prohibit, throw: no nexthop at all
    if (gateway || oif != null || multipath) throw new KernelError('EINVAL', 'Gateway, device and multipath can not be specified for this route type.');
    if (family === 6 && type !== 'throw') oif = loIndex(ns); // ip6_route_info_create: an IPv6 reject route is on lo
  } else if (family === 4 && scopeN > 254) {
    throw new KernelError('EINVAL', 'Invalid scope.');
  } else if (multipath) {
    const m = multipathHops(world, ns, spec, table, scopeN, oif, gateway);
    ({ hops, oif, gateway, onlink } = m);
    if (m.realms) spec = { ...spec, realms: m.realms };
  } else {
    oif = checkNexthop(world, ns, family, table, scopeN, gateway, oif, onlink);
  }
  if (spec.prefsrc && !validPrefsrc(ns, family, spec.prefsrc, type, dst, table)) {
    throw new KernelError('EINVAL', family === 4 ? 'Invalid prefsrc address.' : 'Invalid source address.');
  }
  const metric = spec.metric ?? (family === 6 ? 1024 : 0);
  const route: Route = {
    family,
    table,
    type,
    dst,
    dstLen,
    gateway: needsNexthop ? gateway : null,
    oif: needsNexthop || (family === 6 && type !== 'throw') ? oif : null,
    prefsrc: spec.prefsrc ?? null,
    metric,
    protocol: spec.protocol ?? 'boot',
    scope: spec.scope ?? (multipath ? 'global' : defaultScope(type, gateway, oif)),
    onlink,
    mtu: spec.mtu ?? null,
    seq: world.nextSerial(),
  };
  if (hops) route.nexthops = hops;
  if (family === 4 && spec.realms) route.realms = spec.realms;
  return insertRoute(ns, route, mode);
}

function sameHops(a: Route, b: Route): boolean {
  const x = a.nexthops ?? [];
  const y = b.nexthops ?? [];
  return x.length === y.length && x.every((h, i) => h.gateway === y[i]!.gateway && h.oif === y[i]!.oif && h.weight === y[i]!.weight);
}

export interface RouteSelector {
  family: AddrFamily;
  /** default main */
  table?: number;
  dst: string;
  dstLen: number;
  type?: RouteType | null;
  scope?: Route['scope'] | null;
  prefsrc?: string | null;
  protocol?: string | number | null;
  gateway?: string | null;
  oif?: number | null;
  metric?: number | null;
  /** `nexthop ...` hops given to a delete: each must match the route's hop at the same place */
  nexthops?: NexthopSpec[] | null;
}

/** Does a route match a delete selector (kernel semantics: unset fields are wildcards)? */
export function routeMatchesSelector(r: Route, sel: RouteSelector): boolean {
  const table = sel.table ?? RT_TABLE_MAIN;
  if (!sameKey(r, sel.family, table, sel.dst, sel.dstLen)) return false;
  if (sel.type && r.type !== sel.type) return false;
  if (sel.scope != null && scopeNum(r.scope) !== scopeNum(sel.scope)) return false;
  if (sel.prefsrc && r.prefsrc !== sel.prefsrc) return false;
  if (sel.protocol != null && String(r.protocol) !== String(sel.protocol)) return false;
  if (sel.gateway && r.gateway !== sel.gateway) return false;
  if (sel.oif != null && r.oif !== sel.oif) return false;
  if (sel.metric != null && r.metric !== sel.metric) return false;
  if (sel.nexthops?.length) {
    // fib_nh_match with RTA_MULTIPATH: hop by hop, in order
    const hops = r.nexthops ?? [{ gateway: r.gateway, oif: r.oif ?? 0, weight: 1, onlink: r.onlink }];
    if (hops.length !== sel.nexthops.length) return false;
    for (let i = 0; i < hops.length; i++) {
      const h = sel.nexthops[i]!;
      if (h.oif != null && h.oif !== hops[i]!.oif) return false;
      if (h.gateway && h.gateway !== hops[i]!.gateway) return false;
      if ((h.weight ?? 1) !== hops[i]!.weight) return false;
    }
  }
  return true;
}

/** fib_valid_prefsrc: a preferred source must be one of the namespace's local addresses. */
function validPrefsrc(ns: Netns, family: AddrFamily, prefsrc: string, type: RouteType, dst: string, table: number): boolean {
  if (family === 6) return ns.addrs.some((a) => a.family === 6 && a.local === prefsrc);
  if (type === 'local' && dst === prefsrc) return true;
  const isLocal = (t: number) => {
    const r = fibTableLookup(ns, 4, t, prefsrc);
    return !!r && r.type === 'local';
  };
  const t = table === RT_TABLE_MAIN ? RT_TABLE_LOCAL : table;
  return isLocal(t) || (t !== RT_TABLE_LOCAL && isLocal(RT_TABLE_LOCAL));
}

/** Delete the first route matching the selector. Throws ESRCH when none matches. */
export function routeDel(world: World, nsId: NsId, sel: RouteSelector): Route {
  const ns = world.ns(nsId);
  const sorted = routesOf(ns, sel.family);
  if (sel.family === 6 && (sel.gateway || sel.oif != null) && !sel.nexthops?.length) {
    // IPv6 keeps the hops of a multipath route as sibling routes: a gateway or device deletes the matching one
    for (const x of sorted) {
      if (!x.nexthops || !routeMatchesSelector(x, { ...sel, gateway: null, oif: null })) continue;
      const i = x.nexthops.findIndex((h) => (!sel.gateway || h.gateway === sel.gateway) && (sel.oif == null || h.oif === sel.oif));
      if (i < 0) continue;
      const left = x.nexthops.filter((_, j) => j !== i);
      const first = left[0]!;
      const nr: Route = { ...x, gateway: first.gateway, oif: first.oif, onlink: first.onlink };
      if (left.length > 1) nr.nexthops = left;
      else delete nr.nexthops;
      replaceRoute(ns, ns.routes.indexOf(x), nr);
      return x;
    }
  }
  const r = sorted.find((x) => routeMatchesSelector(x, sel));
  if (!r) throw new KernelError('ESRCH');
  ns.routes.splice(ns.routes.indexOf(r), 1);
  return r;
}

/** Delete every route the predicate selects; returns how many. */
export function routeFlush(world: World, nsId: NsId, pred: (r: Route) => boolean): number {
  const ns = world.ns(nsId);
  const before = ns.routes.length;
  ns.routes = ns.routes.filter((r) => !pred(r));
  return before - ns.routes.length;
}

// ------------------------------------------------------------------ lookup

export interface LookupOpts {
  /** source address the caller asks for (`ip route get ... from`), or bound */
  src?: string | null;
  /** output interface restriction (`oif`, SO_BINDTODEVICE, ping -I) */
  oif?: number | null;
  /** input interface (forwarding decision): ifindex */
  iif?: number | null;
  mark?: number;
  /** flow details policy rules can select on (`ip route get ... tos/ipproto/sport/dport/uid`) */
  tos?: number;
  ipproto?: number;
  sport?: number;
  dport?: number;
  uid?: number;
}

export interface RouteResult {
  family: AddrFamily;
  type: RouteType;
  table: number;
  /** the FIB entry that matched (null when the kernel assumed an on-link destination for an explicit oif) */
  route: Route | null;
  /** output device: lo for local destinations */
  oif: number;
  /** next hop when not directly connected */
  gateway: string | null;
  /** source address the kernel selects (null when none is available) */
  prefsrc: string | null;
  dst: string;
}

/** Longest-prefix match in one table. */
export function fibTableLookup(ns: Netns, family: AddrFamily, table: number, dst: string, oif: number | null = null): Route | null {
  let best: Route | null = null;
  const dnum = family === 4 ? v4ToInt(dst) : 0;
  const dbig = family === 6 ? v6ToBig(dst) : 0n;
  for (const r of ns.routes) {
    if (r.family !== family || r.table !== table) continue;
    if (best && r.dstLen < best.dstLen) continue;
    if (family === 4) {
      const m = v4Mask(r.dstLen);
      if (((dnum & m) >>> 0) !== v4ToInt(r.dst)) continue;
    } else {
      if ((dbig & v6Mask(r.dstLen)) !== v6ToBig(r.dst)) continue;
    }
    if (oif != null && r.oif != null && r.type !== 'local' && r.type !== 'broadcast') {
      if (r.nexthops ? !r.nexthops.some((h) => h.oif === oif) : r.oif !== oif) continue;
    }
    if (!best || r.dstLen > best.dstLen || r.metric < best.metric || (r.metric === best.metric && r.seq < best.seq && r.dstLen === best.dstLen))
      best = r;
  }
  return best;
}

/**
 * The kernel's route lookup (`ip route get`, and every packet the engine
 * sends or forwards): policy rules, then longest prefix match.
 * Throws ENETUNREACH (no route), EINVAL (blackhole), EHOSTUNREACH
 * (unreachable), EACCES (prohibit).
 */
export function routeGet(world: World, nsId: NsId, dst: string, opts: LookupOpts = {}): RouteResult {
  const ns = world.ns(nsId);
  for (const a of ns.addrs) if (a.tentativeUntil != null && a.tentativeUntil <= world.now()) a.tentativeUntil = null; // DAD ended: usable
  const family: AddrFamily = dst.includes(':') ? 6 : 4;
  const oif = opts.oif ?? null;
  if (opts.src && opts.iif == null && family === 4) {
    // an output route from a given source: the source must be one of ours (__ip_dev_find: an
    // address of a device, or anything the local table makes local, such as 127.0.0.53)
    const s = v4ToInt(opts.src);
    if (s >>> 28 === 0xe || s === 0xffffffff || s === 0) throw new KernelError('EINVAL');
    const own = ns.addrs.some((a) => a.family === 4 && a.local === opts.src) || fibTableLookup(ns, 4, RT_TABLE_LOCAL, opts.src)?.type === 'local';
    if (!own) throw new KernelError('ENETUNREACH');
  }
  const oifName = oif != null ? linkByIndex(ns, oif)?.name ?? null : null;
  const iifName = opts.iif != null ? linkByIndex(ns, opts.iif)?.name ?? null : null;
  let gotoPrio: number | null = null;
  for (const rule of sortedRules(ns, family)) {
    if (gotoPrio != null && rule.priority < gotoPrio) continue;
    gotoPrio = null;
    const key = { dst, src: opts.src ?? null, iif: iifName, oif: oifName, mark: opts.mark ?? 0, tos: opts.tos, ipproto: opts.ipproto, sport: opts.sport, dport: opts.dport, uid: opts.uid };
    if (!ruleMatches(rule, key)) continue;
    if (rule.action === 'goto') {
      // the jump needs a rule with exactly that priority (else the goto is unresolved and does nothing)
      if (rule.gotoTarget != null && ns.rules.some((x) => x.family === family && x.priority === rule.gotoTarget)) gotoPrio = rule.gotoTarget;
      continue;
    }
    if (rule.action === 'nop') continue;
    // fib4_rule_action: an action without a handler (nat) fails like blackhole
    if (rule.action === 'blackhole' || rule.action === 'nat') throw new KernelError('EINVAL');
    // fib4_rule_action: FR_ACT_UNREACHABLE is -ENETUNREACH (a route of type unreachable is -EHOSTUNREACH)
    if (rule.action === 'unreachable') throw new KernelError('ENETUNREACH');
    if (rule.action === 'prohibit') throw new KernelError('EACCES');
    if (rule.action !== 'lookup') continue;
    const r = fibTableLookup(ns, family, rule.table, dst, oif);
    if (!r) continue;
    switch (r.type) {
      case 'throw':
        continue;
      case 'blackhole':
        throw new KernelError('EINVAL');
      case 'unreachable':
        throw new KernelError('EHOSTUNREACH');
      case 'prohibit':
        throw new KernelError('EACCES');
    }
    // fib4_rule_suppress (successful lookups only): a prefix no longer than suppress_prefixlength is ignored
    if (rule.suppressPrefixlen != null && r.dstLen <= rule.suppressPrefixlen) continue;
    return resultOf(world, ns, r, dst, opts);
  }
  if (oif != null) {
    // an explicit output device with no route: the kernel assumes the destination is on-link
    const prefsrc = opts.src ?? selectSource(ns, family, oif, dst, 253);
    return { family, type: 'unicast', table: RT_TABLE_MAIN, route: null, oif, gateway: null, prefsrc, dst };
  }
  throw new KernelError('ENETUNREACH');
}

function loIndex(ns: Netns): number {
  return ns.links.find((l) => l.kind === 'loopback')?.ifindex ?? 1;
}

function resultOf(world: World, ns: Netns, r: Route, dst: string, opts: LookupOpts): RouteResult {
  void world;
  const family = r.family;
  if (r.type === 'local') {
    return { family, type: 'local', table: r.table, route: r, oif: loIndex(ns), gateway: null, prefsrc: opts.src ?? r.prefsrc ?? dst, dst };
  }
  const hop = r.nexthops ? selectHop(ns, r.nexthops, dst, opts) : null;
  const oif = hop ? hop.oif : r.oif ?? loIndex(ns);
  const gateway = hop ? hop.gateway : r.gateway;
  let prefsrc = r.prefsrc;
  if (!prefsrc) prefsrc = selectSource(ns, family, oif, gateway ?? dst, gateway ? 253 : 254);
  return { family, type: r.type, table: r.table, route: r, oif, gateway, prefsrc: opts.src ?? prefsrc, dst };
}

/**
 * fib_select_multipath: the hop a flow takes. The kernel hashes the flow's
 * addresses (with a per-boot random seed) and picks the hop whose share of
 * the total weight holds the hash; here the hash is a fixed function of the
 * addresses, so a given flow always takes the same hop. Dead hops (device
 * down) are skipped; an output-device restriction picks the first hop on it.
 */
export function selectHop(ns: Netns, hops: RouteNexthop[], dst: string, opts: { src?: string | null; oif?: number | null } = {}): RouteNexthop {
  if (opts.oif != null) {
    const h = hops.find((x) => x.oif === opts.oif);
    if (h) return h;
  }
  const alive = hops.filter((h) => linkByIndex(ns, h.oif)?.adminUp);
  const pool = alive.length ? alive : hops;
  const total = pool.reduce((n, h) => n + h.weight, 0);
  let x = flowHash(`${opts.src ?? ''}>${dst}`) % total;
  for (const h of pool) {
    if (x < h.weight) return h;
    x -= h.weight;
  }
  return pool[0]!;
}

/** FNV-1a over the flow key (32 bits). */
function flowHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * inet_select_addr: a primary address of the device (one whose subnet holds
 * `toward` first), with scope not wider than `scope`; else any address of
 * the namespace with global scope. Null when the namespace has none.
 */
export function selectSource(ns: Netns, family: AddrFamily, oif: number, toward: string | null, scope = 254): string | null {
  let first: string | null = null;
  for (const a of ns.addrs) {
    if (a.family !== family || a.ifindex !== oif || a.secondary) continue;
    if (family === 6 && (a.tentativeUntil != null || a.dadFailed)) continue;
    if (scopeNum(a.scope) > scope) continue;
    if (family === 6 && toward && !toward.startsWith('fe80') && a.scope === 'link') continue;
    if (toward && prefixHasAddr(a, toward)) return a.local;
    if (!first) first = a.local;
  }
  if (first) return first;
  for (const a of ns.addrs) {
    if (a.family !== family || a.secondary) continue;
    if (scopeNum(a.scope) >= 253) continue;
    return a.local;
  }
  return null;
}

function prefixHasAddr(a: Address, addr: string): boolean {
  return prefixContains(a.local, a.prefixlen, addr, a.family);
}

// ------------------------------------------------------------------ kernel routes for addresses

function kernelRoute(world: World, ns: Netns, r: Omit<Route, 'seq' | 'protocol' | 'onlink' | 'mtu' | 'gateway'> & { gateway?: null }): void {
  const key = kernelKey(r);
  if (hasRoute(ns, key)) return;
  // a same-key route of another kind (e.g. a static one) keeps its place: the kernel's fib_magic uses NLM_F_APPEND
  ensureTable(ns, r.family, r.table);
  indexedPush(ns, key, { ...r, gateway: null, protocol: 'kernel', onlink: false, mtu: null, seq: world.nextSerial() });
}

/** fib_add_ifaddr: local, broadcast and prefix routes of an IPv4 address (the local route even when the link is down). */
export function addIPv4AddrRoutes(world: World, ns: Netns, link: Link, a: Address): void {
  const prim = a.secondary
    ? ns.addrs.find((p) => p.family === 4 && p.ifindex === a.ifindex && !p.secondary && p.prefixlen === a.prefixlen && prefixHasAddr(p, a.local)) ?? a
    : a;
  kernelRoute(world, ns, { family: 4, table: RT_TABLE_LOCAL, type: 'local', dst: a.local, dstLen: 32, oif: link.ifindex, prefsrc: prim.local, metric: 0, scope: 'host' });
  if (!link.adminUp) return;
  if (a.broadcast && a.broadcast !== '255.255.255.255') {
    kernelRoute(world, ns, { family: 4, table: RT_TABLE_LOCAL, type: 'broadcast', dst: a.broadcast, dstLen: 32, oif: link.ifindex, prefsrc: prim.local, metric: 0, scope: 'link' });
  }
  const prefix = networkOf(a.local, a.prefixlen, 4);
  if (prefix !== '0.0.0.0' && !a.secondary && (prefix !== a.local || a.prefixlen < 32)) {
    if (!a.noprefixroute) {
      const loop = link.kind === 'loopback';
      kernelRoute(world, ns, {
        family: 4,
        table: loop ? RT_TABLE_LOCAL : RT_TABLE_MAIN,
        type: loop ? 'local' : 'unicast',
        dst: prefix,
        dstLen: a.prefixlen,
        oif: link.ifindex,
        prefsrc: prim.local,
        metric: 0,
        scope: loop ? 'host' : 'link',
      });
    }
    if (a.prefixlen < 31) {
      const brd = intToV4((v4ToInt(prefix) | ~v4Mask(a.prefixlen)) >>> 0);
      kernelRoute(world, ns, { family: 4, table: RT_TABLE_LOCAL, type: 'broadcast', dst: brd, dstLen: 32, oif: link.ifindex, prefsrc: prim.local, metric: 0, scope: 'link' });
    }
  }
}

/** fib_del_ifaddr (simplified): drop the routes an IPv4 address brought that no remaining address still needs. */
export function delIPv4AddrRoutes(world: World, ns: Netns, link: Link, a: Address): void {
  void world;
  const others = ns.addrs.filter((x) => x.family === 4 && x !== a);
  const sameDev = others.filter((x) => x.ifindex === link.ifindex);
  const isKernel = (r: Route) => r.protocol === 'kernel' && r.family === 4 && r.oif === link.ifindex;
  const drop = (pred: (r: Route) => boolean) => {
    ns.routes = ns.routes.filter((r) => !(isKernel(r) && pred(r)));
  };
  if (!sameDev.some((x) => x.local === a.local)) drop((r) => r.type === 'local' && r.dst === a.local && r.dstLen === 32);
  const prefix = networkOf(a.local, a.prefixlen, 4);
  if (!a.secondary) {
    drop((r) => r.table !== RT_TABLE_LOCAL || r.type !== 'broadcast' ? r.dst === prefix && r.dstLen === a.prefixlen && r.prefsrc === a.local : false);
  }
  const brds = new Set<string>();
  for (const x of sameDev) {
    if (x.broadcast) brds.add(x.broadcast);
    if (x.prefixlen < 31) brds.add(intToV4((v4ToInt(networkOf(x.local, x.prefixlen, 4)) | ~v4Mask(x.prefixlen)) >>> 0));
  }
  drop((r) => r.type === 'broadcast' && !brds.has(r.dst) && (r.dst === a.broadcast || (a.prefixlen < 31 && r.dst === intToV4((v4ToInt(prefix) | ~v4Mask(a.prefixlen)) >>> 0))));
}

/** IPv6 routes of an address: the local route (table local, metric 0) and the prefix route (metric 256) when plen < 128. */
export function addIPv6AddrRoutes(world: World, ns: Netns, link: Link, a: Address): void {
  kernelRoute(world, ns, { family: 6, table: RT_TABLE_LOCAL, type: 'local', dst: a.local, dstLen: 128, oif: link.kind === 'loopback' ? link.ifindex : link.ifindex, prefsrc: null, metric: 0, scope: 'global' });
  if (a.prefixlen < 128 && !a.noprefixroute && a.scope !== 'link') {
    kernelRoute(world, ns, { family: 6, table: RT_TABLE_MAIN, type: 'unicast', dst: networkOf(a.local, a.prefixlen, 6), dstLen: a.prefixlen, oif: link.ifindex, prefsrc: null, metric: 256, scope: 'global' });
  }
}

export function delIPv6AddrRoutes(world: World, ns: Netns, link: Link, a: Address): void {
  void world;
  ns.routes = ns.routes.filter(
    (r) =>
      !(
        r.family === 6 &&
        r.protocol === 'kernel' &&
        r.oif === link.ifindex &&
        ((r.type === 'local' && r.dst === a.local) ||
          (a.scope !== 'link' && r.table === RT_TABLE_MAIN && r.dst === networkOf(a.local, a.prefixlen, 6) && r.dstLen === a.prefixlen &&
            !ns.addrs.some((o) => o !== a && o.family === 6 && o.ifindex === link.ifindex && o.prefixlen === a.prefixlen && networkOf(o.local, o.prefixlen, 6) === r.dst)))
      ),
  );
}

/** The per-device IPv6 routes addrconf creates when a link comes up: fe80::/64 (main) and multicast ff00::/8 (local). */
export function addIPv6DeviceRoutes(world: World, ns: Netns, link: Link): void {
  if (link.kind === 'loopback') return;
  kernelRoute(world, ns, { family: 6, table: RT_TABLE_MAIN, type: 'unicast', dst: 'fe80::', dstLen: 64, oif: link.ifindex, prefsrc: null, metric: 256, scope: 'global' });
  kernelRoute(world, ns, { family: 6, table: RT_TABLE_LOCAL, type: 'multicast', dst: 'ff00::', dstLen: 8, oif: link.ifindex, prefsrc: null, metric: 256, scope: 'global' });
}

/** Remove every route whose output device is this link (link down, gone, moved). */
export function flushLinkRoutes(ns: Netns, ifindex: number, family?: AddrFamily): void {
  // NETDEV_UNREGISTER: a multipath route with any hop through the device goes as a whole
  if (!routeIndex(ns).oifs.get(ifindex)) return; // (a device that carries no route: nothing to scan)
  ns.routes = ns.routes.filter((r) => !((r.oif === ifindex || !!r.nexthops?.some((h) => h.oif === ifindex)) && (!family || r.family === family)));
}

/**
 * Link down (fib_sync_down_dev NETDEV_DOWN, rt6_sync_down_dev): which routes
 * through the device survive. Ordinary routes on it go (except IPv4 host-scope
 * ones, when `keepHost`). An IPv4 multipath route stays while one of its hops
 * is on a device still up (the others print `dead linkdown`); IPv6 keeps each
 * hop as its own sibling route, so the hops through the device go and one
 * remaining hop makes an ordinary route again.
 */
export function syncDownLinkRoutes(ns: Netns, ifindex: number, family: AddrFamily | null, keepHost: boolean): void {
  const out: Route[] = [];
  for (const r of ns.routes) {
    if (family && r.family !== family) {
      out.push(r);
      continue;
    }
    if (r.nexthops) {
      if (!r.nexthops.some((h) => h.oif === ifindex)) {
        out.push(r);
        continue;
      }
      if (r.family === 4) {
        if (r.nexthops.some((h) => h.oif !== ifindex && linkByIndex(ns, h.oif)?.adminUp)) out.push(r);
        continue;
      }
      const left = r.nexthops.filter((h) => h.oif !== ifindex);
      if (!left.length) continue;
      const first = left[0]!;
      const nr: Route = { ...r, gateway: first.gateway, oif: first.oif, onlink: first.onlink };
      if (left.length > 1) nr.nexthops = left;
      else delete nr.nexthops;
      out.push(nr);
      continue;
    }
    if (r.oif !== ifindex || (keepHost && r.family === 4 && r.scope === 'host')) out.push(r);
  }
  ns.routes = out;
}

/** The flags iproute2 prints after a hop of a multipath route (RTNH_F_DEAD, ONLINK, LINKDOWN). */
export function nexthopFlags(world: World, ns: Netns, r: Route, h: RouteNexthop): string[] {
  const l = linkByIndex(ns, h.oif);
  const flags: string[] = [];
  const down = !l || !l.adminUp;
  const noCarrier = down || !linkCarrier(world, ns, l);
  if (down && r.family === 4) flags.push('dead');
  if (h.onlink) flags.push('onlink');
  if (noCarrier) flags.push('linkdown');
  return flags;
}

/** Is the route's nexthop device without carrier (iproute2 prints `linkdown`)? */
export function routeLinkDown(world: World, ns: Netns, r: Route): boolean {
  if (r.oif == null || r.type !== 'unicast' || r.nexthops) return false;
  const l = linkByIndex(ns, r.oif);
  return !!l && l.adminUp && !linkCarrier(world, ns, l);
}
