// Interface addresses (IPv4 and IPv6), their kernel routes, and IPv6
// autoconfiguration (link-local EUI-64, ::1 on lo, DAD on the clock).
import { sysctlDev } from './if-sysctl';
import { KernelError } from './errors';
import { canonicalIp, linkLocalFromMac, networkOf, prefixContains, scopeNum, solicitedNodeGroup, solicitedNodeMac } from './ip';
import { neighNoarp } from './neighbour';
import type { AddrFamily, Address, Link, Netns, NsId } from './types';
import type { World } from './world';
import { linkByIndex, linkCarrier } from './netdev';
import { noteV6 } from './l2-dir';
import {
  addIPv4AddrRoutes,
  addIPv6AddrRoutes,
  addIPv6DeviceRoutes,
  delIPv4AddrRoutes,
  delIPv6AddrRoutes,
  syncDownLinkRoutes,
} from './fib';

/** Duplicate address detection: an address is `tentative` for DAD_MIN_MS plus a random share of DAD_RAND_MS. */
export const DAD_MIN_MS = 1000;
export const DAD_RAND_MS = 150;

export interface AddrSpec {
  /** canonical address text; family is deduced */
  local: string;
  prefixlen: number;
  broadcast?: string | null;
  peer?: string | null;
  scope?: Address['scope'];
  /** IPv4 label, defaults to the device name */
  label?: string | null;
  noprefixroute?: boolean;
  /** IPv6: skip DAD */
  nodad?: boolean;
  validLft?: number | null;
  preferredLft?: number | null;
}

/** Addresses of one link in the kernel's order: IPv4 list, then IPv6 list. */
export function addressesOf(ns: Netns, ifindex: number, family?: AddrFamily): Address[] {
  const v4: Address[] = [];
  const v6: Address[] = [];
  for (const a of ns.addrs) {
    if (a.ifindex !== ifindex) continue;
    if (a.family === 4) v4.push(a);
    else v6.push(a);
  }
  if (family === 4) return v4;
  if (family === 6) return v6;
  return v4.concat(v6);
}

/** Is the (IPv6) address still running DAD at the world's current time? */
export function isTentative(world: World, a: Address): boolean {
  return !!a.dadFailed || (a.tentativeUntil != null && a.tentativeUntil > world.now());
}

/** IFA_F_DADFAILED: the detection that found another holder has ended (it ends when DAD would have). */
export function isDadFailed(world: World, a: Address): boolean {
  return !!a.dadFailed && !(a.tentativeUntil != null && a.tentativeUntil > world.now());
}

/**
 * Who else holds an address on a link (the packet engine knows the
 * topology; boot.ts installs it): DAD's Neighbour Solicitation for `addr`
 * sent on (ns, link) is answered.
 */
export type DadProbe = (world: World, ns: Netns, link: Link, addr: string) => boolean;
let dadProbe: DadProbe | null = null;

export function setDadProbe(fn: DadProbe | null): void {
  dadProbe = fn;
}

/** Clear expired tentative marks (lazy DAD completion). Cheap; call before printing. */
export function settleAddresses(world: World, ns: Netns): void {
  const now = world.now();
  for (const a of ns.addrs) if (a.tentativeUntil != null && a.tentativeUntil <= now) a.tentativeUntil = null;
}

/** Latest DAD deadline in the world (null when nothing is tentative): the replay harness waits until then. */
export function dadDeadline(world: World): number | null {
  let d: number | null = null;
  const now = world.now();
  for (const ns of Object.values(world.state.namespaces))
    for (const a of ns.addrs) if (a.tentativeUntil != null && a.tentativeUntil > now && (d == null || a.tentativeUntil > d)) d = a.tentativeUntil;
  return d;
}

function ipv4Scope(s: Address['scope']): number {
  return scopeNum(s);
}

function ipv6Disabled(ns: Netns, link: Link): boolean {
  return ns.sysctl[`net.ipv6.conf.${sysctlDev(link.name)}.disable_ipv6`] === '1' || ns.sysctl['net.ipv6.conf.all.disable_ipv6'] === '1';
}

/**
 * Add an address to a link (`ip addr add`).
 * Throws ENODEV (no such link), EINVAL (bad prefix length / IPv6 disabled? no: EACCES),
 * EEXIST "ipv4: Address already assigned." / plain EEXIST for IPv6,
 * EINVAL "ipv4: Invalid scope value." (same subnet, other scope).
 * replace=true updates an existing address instead of failing.
 */
export function addAddress(world: World, nsId: NsId, ifindex: number, spec: AddrSpec, replace = false): Address {
  const ns = world.ns(nsId);
  const link = linkByIndex(ns, ifindex);
  if (!link) throw new KernelError('ENODEV');
  const local = canonicalIp(spec.local);
  if (!local) throw new KernelError('EINVAL');
  const family: AddrFamily = local.includes(':') ? 6 : 4;
  const max = family === 4 ? 32 : 128;
  if (!Number.isInteger(spec.prefixlen) || spec.prefixlen < 0 || spec.prefixlen > max) throw new KernelError('EINVAL');
  if (family === 6 && ipv6Disabled(ns, link)) throw new KernelError('EACCES', 'IPv6 is disabled on this device');
  const existing = ns.addrs.find((a) => a.family === family && a.ifindex === ifindex && a.local === local && a.prefixlen === spec.prefixlen);
  if (existing) {
    if (!replace) throw new KernelError('EEXIST', family === 4 ? 'ipv4: Address already assigned.' : null);
    if (spec.broadcast !== undefined) existing.broadcast = spec.broadcast;
    if (spec.label !== undefined && family === 4) existing.label = spec.label ?? link.name;
    if (spec.validLft !== undefined) existing.validLft = spec.validLft;
    if (spec.preferredLft !== undefined) existing.preferredLft = spec.preferredLft;
    return existing;
  }
  const scope = spec.scope ?? (family === 6 && local.startsWith('fe80') ? 'link' : family === 4 && local.startsWith('127.') ? 'host' : 'global');
  const a: Address = {
    family,
    ifindex,
    local,
    prefixlen: spec.prefixlen,
    broadcast: family === 4 ? spec.broadcast ?? null : null,
    peer: spec.peer ?? null,
    scope,
    label: family === 4 ? spec.label ?? link.name : null,
    tentativeUntil: null,
    permanent: true,
    validLft: spec.validLft ?? null,
    preferredLft: spec.preferredLft ?? null,
    seq: world.nextSerial(),
    secondary: false,
    noprefixroute: !!spec.noprefixroute,
  };
  if (family === 4) insertIPv4(ns, a);
  else {
    if (spec.nodad && link.kind !== 'loopback') a.nodad = true;
    // accept_dad=0: no detection, the address is usable at once
    const dad = !spec.nodad && link.kind !== 'loopback' && ns.sysctl[`net.ipv6.conf.${link.name}.accept_dad`] !== '0';
    if (dad) a.tentativeUntil = dadEnd(world, ns, link);
    // addrconf_dad_failure: another holder answers the solicitation: the address stays tentative, flagged
    // dadfailed, without its local route
    if (dad && link.adminUp && dadProbe?.(world, ns, link, local)) a.dadFailed = true;
    insertIPv6(ns, a);
    noteV6(world, local);
  }
  if (family === 4) addIPv4AddrRoutes(world, ns, link, a);
  else if (link.adminUp) {
    addIPv6AddrRoutes(world, ns, link, a);
    if (a.dadFailed) ns.routes = ns.routes.filter((r) => !(r.family === 6 && r.table === 255 && r.type === 'local' && r.dst === local && r.oif === link.ifindex));
  }
  return a;
}

function dadEnd(world: World, ns: Netns, link: Link): number {
  void ns;
  void link;
  return world.now() + DAD_MIN_MS + Math.floor(world.random() * DAD_RAND_MS);
}

/** inet_insert_ifa: secondaries at the end, a primary after the last primary of equal or wider scope. */
function insertIPv4(ns: Netns, a: Address): void {
  let lastPrimary = -1;
  let firstOfDev = -1;
  let lastOfDev = -1;
  for (let i = 0; i < ns.addrs.length; i++) {
    const x = ns.addrs[i]!;
    if (x.family !== 4 || x.ifindex !== a.ifindex) continue;
    if (firstOfDev < 0) firstOfDev = i;
    lastOfDev = i;
    if (!x.secondary && ipv4Scope(a.scope) <= ipv4Scope(x.scope)) lastPrimary = i;
    if (x.prefixlen === a.prefixlen && prefixContains(x.local, x.prefixlen, a.local, 4)) {
      if (ipv4Scope(x.scope) !== ipv4Scope(a.scope)) throw new KernelError('EINVAL', 'ipv4: Invalid scope value.');
      a.secondary = true;
    }
  }
  if (a.secondary) ns.addrs.splice(lastOfDev + 1, 0, a);
  else if (lastPrimary >= 0) ns.addrs.splice(lastPrimary + 1, 0, a);
  else if (firstOfDev >= 0) ns.addrs.splice(firstOfDev, 0, a);
  else ns.addrs.push(a);
}

const V6_SCOPE_RANK: Record<string, number> = { host: 1, link: 2, site: 5, global: 14 };

/** ipv6_link_dev_addr: the list is kept by scope, wider first; a new address goes before others of its scope. */
function insertIPv6(ns: Netns, a: Address): void {
  const rank = V6_SCOPE_RANK[String(a.scope)] ?? 14;
  let lastOfDev = -1;
  for (let i = 0; i < ns.addrs.length; i++) {
    const x = ns.addrs[i]!;
    if (x.family !== 6 || x.ifindex !== a.ifindex) continue;
    lastOfDev = i;
    if (rank >= (V6_SCOPE_RANK[String(x.scope)] ?? 14)) {
      ns.addrs.splice(i, 0, a);
      return;
    }
  }
  if (lastOfDev >= 0) ns.addrs.splice(lastOfDev + 1, 0, a);
  else ns.addrs.push(a);
}

export interface AddrMatch {
  local: string;
  /** null: any prefix length (wildcard deletion) */
  prefixlen: number | null;
  /** IPv4 peer / label filters */
  label?: string | null;
}

/**
 * Delete an address (`ip addr del`). Deleting an IPv4 primary also deletes
 * its secondaries unless promote_secondaries is set.
 * Throws ENODEV, EADDRNOTAVAIL "ipv4: Address not found." (IPv6: plain EADDRNOTAVAIL).
 */
export function delAddress(world: World, nsId: NsId, ifindex: number, m: AddrMatch): Address {
  const ns = world.ns(nsId);
  const link = linkByIndex(ns, ifindex);
  if (!link) throw new KernelError('ENODEV');
  const local = canonicalIp(m.local);
  const family: AddrFamily = (local ?? m.local).includes(':') ? 6 : 4;
  const a = ns.addrs.find(
    (x) =>
      x.family === family &&
      x.ifindex === ifindex &&
      x.local === local &&
      (m.prefixlen == null || x.prefixlen === m.prefixlen) &&
      (m.label == null || x.label === m.label),
  );
  if (!a) throw new KernelError('EADDRNOTAVAIL', family === 4 ? 'ipv4: Address not found.' : null);
  removeAddress(world, ns, link, a);
  return a;
}

/** Remove one address object with its routes (and, for an IPv4 primary, its secondaries or a promotion). */
export function removeAddress(world: World, ns: Netns, link: Link, a: Address): void {
  const idx = ns.addrs.indexOf(a);
  if (idx < 0) return;
  ns.addrs.splice(idx, 1);
  if (a.family === 6) {
    delIPv6AddrRoutes(world, ns, link, a);
    return;
  }
  delIPv4AddrRoutes(world, ns, link, a);
  if (a.secondary) return;
  const secs = ns.addrs.filter((x) => x.family === 4 && x.ifindex === a.ifindex && x.secondary && x.prefixlen === a.prefixlen && prefixContains(a.local, a.prefixlen, x.local, 4));
  if (!secs.length) return;
  const promote =
    ns.sysctl[`net.ipv4.conf.${sysctlDev(link.name)}.promote_secondaries`] === '1' || ns.sysctl['net.ipv4.conf.all.promote_secondaries'] === '1';
  if (promote) {
    const p = secs[0]!;
    // the promoted address leaves the secondary tail and becomes a primary
    ns.addrs.splice(ns.addrs.indexOf(p), 1);
    p.secondary = false;
    insertIPv4(ns, p);
    // routes of the remaining secondaries now use the new primary as source
    for (const s of secs) delIPv4AddrRoutes(world, ns, link, s);
    addIPv4AddrRoutes(world, ns, link, p);
    for (const s of secs.slice(1)) addIPv4AddrRoutes(world, ns, link, s);
  } else {
    for (const s of secs) {
      ns.addrs.splice(ns.addrs.indexOf(s), 1);
      delIPv4AddrRoutes(world, ns, link, s);
    }
  }
}

/** Flush addresses of a link (all, or those the predicate selects); returns how many went. */
export function flushAddresses(world: World, nsId: NsId, ifindex: number, pred: (a: Address) => boolean = () => true): number {
  const ns = world.ns(nsId);
  const link = linkByIndex(ns, ifindex);
  if (!link) throw new KernelError('ENODEV');
  let n = 0;
  // secondaries first so that deleting a primary does not take them implicitly
  for (;;) {
    const list = addressesOf(ns, ifindex).filter(pred);
    if (!list.length) break;
    const a = list.find((x) => x.secondary) ?? list[0]!;
    removeAddress(world, ns, link, a);
    n++;
  }
  return n;
}

// ------------------------------------------------------------------ IPv6 autoconfiguration

/**
 * addrconf: when a link is up with carrier and IPv6 is enabled on it,
 * create its link-local address and device routes (lo: ::1/128). Idempotent.
 */
export function addrconfUp(world: World, ns: Netns, link: Link): void {
  if (link.addrconf || !link.adminUp || ipv6Disabled(ns, link)) return;
  if (link.kind === 'loopback') {
    link.addrconf = true;
    if (!ns.addrs.some((a) => a.ifindex === link.ifindex && a.local === '::1')) {
      addAddress(world, ns.id, link.ifindex, { local: '::1', prefixlen: 128, scope: 'host', nodad: true });
    }
    return;
  }
  if (!linkCarrier(world, ns, link)) return;
  link.addrconf = true;
  addIPv6DeviceRoutes(world, ns, link);
  const ll = linkLocalFromMac(link.mac);
  // (one pass over the addresses: a bridge host holds one for each of a thousand ports)
  let hasLl = false;
  for (const a of ns.addrs) {
    if (a.ifindex !== link.ifindex) continue;
    if (a.family === 6) addIPv6AddrRoutes(world, ns, link, a);
    if (a.local === ll) hasLl = true;
  }
  if (!hasLl) {
    addAddress(world, ns.id, link.ifindex, { local: ll, prefixlen: 64, scope: 'link' });
  }
  // the groups autoconfiguration sends to get NOARP entries: MLDv2 reports (ff02::16), the link-local
  // address's DAD solicitation (its solicited-node group), router solicitations (ff02::2) unless forwarding
  neighNoarp(world, ns.id, link.ifindex, 'ff02::16', '33:33:00:00:00:16');
  neighNoarp(world, ns.id, link.ifindex, solicitedNodeGroup(ll), solicitedNodeMac(ll));
  if (ns.sysctl[`net.ipv6.conf.${link.name}.forwarding`] !== '1') neighNoarp(world, ns.id, link.ifindex, 'ff02::2', '33:33:00:00:00:02');
  addrconfHook?.(world, ns, link);
}

/** The packet engine (l2.ts) sends the frames IPv6 autoconfiguration emits (DAD, MLD): bridges on the way learn the MAC. */
let addrconfHook: ((world: World, ns: Netns, link: Link) => void) | null = null;
export function onAddrconfUp(fn: ((world: World, ns: Netns, link: Link) => void) | null): void {
  addrconfHook = fn;
}

/** addrconf_ifdown: drop every IPv6 address and IPv6 route of the link. */
export function addrconfDown(world: World, ns: Netns, link: Link): void {
  void world;
  link.addrconf = false;
  ns.addrs = ns.addrs.filter((a) => !(a.family === 6 && a.ifindex === link.ifindex));
  syncDownLinkRoutes(ns, link.ifindex, 6, false);
}

/** `ip addr` for the IPv4 loopback: lo up gets 127.0.0.1/8 scope host (inetdev NETDEV_UP). */
export function loopbackIPv4(world: World, ns: Netns, link: Link): void {
  if (ns.addrs.some((a) => a.family === 4 && a.ifindex === link.ifindex && a.local === '127.0.0.1' && a.prefixlen === 8)) return;
  const a = addAddress(world, ns.id, link.ifindex, { local: '127.0.0.1', prefixlen: 8, scope: 'host' });
  void a;
}

/** The prefix (network) an address belongs to, as text "net/len". */
export function addressPrefix(a: Address): string {
  return `${networkOf(a.local, a.prefixlen, a.family)}/${a.prefixlen}`;
}
