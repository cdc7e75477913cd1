// Network devices: loopback, ether (host NICs on world segments), veth
// pairs, bridges and dummies. Admin state, carrier and operational state as
// Linux derives them; create, delete, rename, move, enslave; the side
// effects on addresses, routes, neighbours and per-interface sysctls.
import { KernelError } from './errors';
import { addrconfDown, addrconfUp, loopbackIPv4 } from './addr';
import { isMulticastMac } from './ip';
import { neighFlushLink } from './neighbour';
import { nsidAlloc } from './netns';
import { addIPv4AddrRoutes, flushLinkRoutes, syncDownLinkRoutes } from './fib';
import { interfaceSysctls, sysctlDev } from './if-sysctl';
import { addIfSysctls, removeIfSysctls, renameIfSysctls } from './sysctl-table';
import type { BridgeInfo, Link, LinkKind, LinkRef, Netns, NsId, Segment, VxlanInfo } from './types';
import { noteBridge } from './l2-dir';
import { bridgePorts, portJoined, portlessChange, portsChanged } from './bridge-ports';
export { bridgePorts, isPortMac } from './bridge-ports';
import { newVxlanInfo, VXLAN_OVERHEAD, vxlanSocketSync } from './vxlan';
import type { World } from './world';

/** IFF_* flag bits, as in <linux/if.h>. */
export const IFF = {
  UP: 0x1,
  BROADCAST: 0x2,
  DEBUG: 0x4,
  LOOPBACK: 0x8,
  POINTOPOINT: 0x10,
  NOTRAILERS: 0x20,
  RUNNING: 0x40,
  NOARP: 0x80,
  PROMISC: 0x100,
  ALLMULTI: 0x200,
  MASTER: 0x400,
  SLAVE: 0x800,
  MULTICAST: 0x1000,
  PORTSEL: 0x2000,
  AUTOMEDIA: 0x4000,
  DYNAMIC: 0x8000,
  LOWER_UP: 0x10000,
  DORMANT: 0x20000,
  ECHO: 0x40000,
} as const;

export type OperState = 'UP' | 'DOWN' | 'UNKNOWN' | 'LOWERLAYERDOWN' | 'DORMANT' | 'NOTPRESENT' | 'TESTING';

/** Bridge port STP states (BR_STATE_*). */
export const BR_STATE = { DISABLED: 0, LISTENING: 1, LEARNING: 2, FORWARDING: 3, BLOCKING: 4 } as const;
export const BR_STATE_NAMES = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'];

/** Bridge FDB ageing: learned entries expire after this many ms (ageing_time 300 s). */
export const FDB_AGEING_MS = 300_000;

// ------------------------------------------------------------------ lookup

export function findLink(ns: Netns, name: string): Link | undefined {
  return ns.links.find((l) => l.name === name);
}

export function linkByIndex(ns: Netns, ifindex: number): Link | undefined {
  // links are kept sorted by ifindex (insertLink; checkInvariants checks it): a namespace may hold thousands
  const links = ns.links;
  let lo = 0;
  let hi = links.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const l = links[mid]!;
    if (l.ifindex === ifindex) return l;
    if (l.ifindex < ifindex) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** The link named `name` in namespace nsId. Throws ENODEV. */
export function getLink(world: World, nsId: NsId, name: string): Link {
  const l = findLink(world.ns(nsId), name);
  if (!l) throw new KernelError('ENODEV');
  return l;
}

/** The link at ifindex in nsId. Throws ENODEV. */
export function getLinkByIndex(world: World, nsId: NsId, ifindex: number): Link {
  const l = linkByIndex(world.ns(nsId), ifindex);
  if (!l) throw new KernelError('ENODEV');
  return l;
}

/** Resolve a LinkRef to its namespace and link (undefined when gone). */
export function resolveRef(world: World, ref: LinkRef | null): { ns: Netns; link: Link } | undefined {
  if (!ref) return undefined;
  const ns = world.state.namespaces[ref.ns];
  if (!ns) return undefined;
  const link = linkByIndex(ns, ref.ifindex);
  return link ? { ns, link } : undefined;
}

/** resolveRef for reading only (the namespace is not marked as reached: ns-table.ts peek). */
export function peekRef(world: World, ref: LinkRef | null): { ns: Netns; link: Link } | undefined {
  if (!ref) return undefined;
  const ns = world.table.peek(ref.ns);
  if (!ns) return undefined;
  const link = linkByIndex(ns, ref.ifindex);
  return link ? { ns, link } : undefined;
}

/** The other end of a veth. */
export function vethPeer(world: World, link: Link): { ns: Netns; link: Link } | undefined {
  return link.kind === 'veth' ? resolveRef(world, link.peer) : undefined;
}

// ------------------------------------------------------------------ derived state

/** netif_carrier_ok(): does the link have carrier? (false when admin down) */
export function linkCarrier(world: World, ns: Netns, link: Link): boolean {
  if (!link.adminUp) return false;
  switch (link.kind) {
    case 'loopback':
    case 'dummy':
    case 'vxlan':
      return true;
    case 'veth': {
      const p = vethPeer(world, link);
      return !!p && p.link.adminUp;
    }
    case 'bridge': {
      if (!link.bridge?.everHadPorts) return true;
      return bridgePorts(ns, link.ifindex).some((p) => p.adminUp && linkCarrier(world, ns, p));
    }
    case 'ether': {
      if (!link.segment) return false;
      const seg = world.state.segments[link.segment];
      if (!seg) return false;
      if (seg.kind === 'switch') return true;
      return seg.ports.some((r) => {
        if (r.ns === ns.id && r.ifindex === link.ifindex) return false;
        const o = resolveRef(world, r);
        return !!o && o.link.adminUp;
      });
    }
  }
  return false;
}

/** IF_OPER_* as `ip link` prints it after `state`. */
export function linkOperState(world: World, ns: Netns, link: Link): OperState {
  if (!link.adminUp) return 'DOWN';
  if (link.kind === 'loopback' || link.kind === 'dummy' || link.kind === 'vxlan') return 'UNKNOWN';
  if (linkCarrier(world, ns, link)) return link.kind === 'bridge' && !link.bridge?.everHadPorts ? 'UNKNOWN' : 'UP';
  return link.kind === 'veth' ? (link.operNoCarrier ?? 'LOWERLAYERDOWN') : 'DOWN';
}

/**
 * default_operstate() of a veth that just lost carrier: the device with its
 * iflink (the peer's ifindex) looked up in its own namespace; missing or up
 * (operstate UP/UNKNOWN) gives DOWN, else LOWERLAYERDOWN.
 */
function vethOperNoCarrier(world: World, ns: Netns, link: Link): 'DOWN' | 'LOWERLAYERDOWN' {
  const peer = vethPeer(world, link);
  const lower = peer ? linkByIndex(ns, peer.link.ifindex) : undefined;
  if (!lower) return 'DOWN';
  const unknown = lower.kind === 'loopback' || lower.kind === 'dummy' || lower.kind === 'vxlan';
  return lower.adminUp && (unknown || linkCarrier(world, ns, lower)) ? 'DOWN' : 'LOWERLAYERDOWN';
}

/**
 * linkwatch after a change to a veth pair: an end whose carrier went off has
 * its operstate computed then, and keeps it while it stays without carrier
 * (its own up/down or the peer moving away change nothing); `ends` holds the
 * carrier of both ends before the change.
 */
function vethLinkwatch(world: World, ends: Array<{ ns: Netns; link: Link; carrier: boolean }>): void {
  for (const e of ends) if (e.carrier && !linkCarrier(world, e.ns, e.link)) e.link.operNoCarrier = vethOperNoCarrier(world, e.ns, e.link);
}

function vethEnds(world: World, ns: Netns, link: Link): Array<{ ns: Netns; link: Link; carrier: boolean }> {
  const ends = [{ ns, link }];
  const peer = vethPeer(world, link);
  if (peer) ends.push(peer);
  return ends.map((e) => ({ ...e, carrier: linkCarrier(world, e.ns, e.link) }));
}

/** dev_get_flags(): the IFF_* bits userspace sees. */
export function linkIfFlags(world: World, ns: Netns, link: Link): number {
  let f = 0;
  switch (link.kind) {
    case 'loopback':
      f = IFF.LOOPBACK;
      break;
    case 'dummy':
      f = IFF.BROADCAST | IFF.NOARP;
      break;
    default:
      f = IFF.BROADCAST | IFF.MULTICAST;
  }
  const u = link.userFlags;
  if (u) {
    if (u.noarp) f |= IFF.NOARP;
    if (u.promisc) f |= IFF.PROMISC;
    if (u.allmulti) f |= IFF.ALLMULTI;
    if (u.nomulticast) f &= ~IFF.MULTICAST;
  }
  if (link.adminUp) {
    f |= IFF.UP;
    if (linkCarrier(world, ns, link)) f |= IFF.RUNNING | IFF.LOWER_UP;
  }
  return f;
}

/** `ip link set DEV arp|promisc|allmulticast|multicast on|off`. Throws ENODEV. */
export function linkSetFlag(world: World, nsId: NsId, ifindex: number, flag: 'arp' | 'promisc' | 'allmulticast' | 'multicast', on: boolean): void {
  const link = getLinkByIndex(world, nsId, ifindex);
  const u = (link.userFlags ??= {});
  if (flag === 'arp') u.noarp = !on;
  else if (flag === 'promisc') u.promisc = on;
  else if (flag === 'allmulticast') u.allmulti = on;
  else u.nomulticast = !on;
  if (!u.noarp && !u.promisc && !u.allmulti && !u.nomulticast) delete link.userFlags;
}

/** Bridge port state (BR_STATE_*): forwarding when bridge and port are up with carrier (STP off). */
export function portState(world: World, ns: Netns, port: Link): number {
  if (port.master == null) return BR_STATE.DISABLED;
  const br = linkByIndex(ns, port.master);
  if (!br || !br.adminUp) return BR_STATE.DISABLED;
  return port.adminUp && linkCarrier(world, ns, port) ? BR_STATE.FORWARDING : BR_STATE.DISABLED;
}

/** STP path cost the kernel gives a port from its speed (veth: 10 Gb/s -> 2). */
export function portCost(link: Link): number {
  if (link.kind === 'veth') return 2;
  if (link.kind === 'ether') return 4;
  return 100;
}

/** Link speed in Mb/s as ethtool reports it (null: unknown). */
export function linkSpeed(link: Link): number | null {
  if (link.kind === 'veth') return 10000;
  if (link.kind === 'ether') return 1000;
  return null;
}

// ------------------------------------------------------------------ creation

function emptyStats(): Link['stats'] {
  return { rxPackets: 0, rxBytes: 0, rxErrors: 0, rxDropped: 0, txPackets: 0, txBytes: 0, txErrors: 0, txDropped: 0, multicast: 0 };
}

function newBridgeInfo(): BridgeInfo {
  return {
    fdb: [],
    stpState: 0,
    forwardDelay: 1500,
    helloTime: 200,
    maxAge: 2000,
    ageingTime: 30000,
    priority: 32768,
    vlanFiltering: false,
    macFixed: false,
    everHadPorts: false,
    mtuFixed: false,
  };
}

/** A loopback link object (ifindex 1 of every namespace). */
export function makeLoopback(world: World, ifindex: number): Link {
  return makeLink(world, ifindex, 'lo', 'loopback', '00:00:00:00:00:00');
}

function makeLink(world: World, ifindex: number, name: string, kind: LinkKind, mac: string): Link {
  return {
    ifindex,
    name,
    kind,
    mtu: kind === 'loopback' ? 65536 : 1500,
    mac,
    broadcast: kind === 'loopback' ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff',
    adminUp: false,
    qdisc: 'noop',
    qlen: 1000,
    group: 'default',
    master: null,
    alias: null,
    peer: null,
    segment: null,
    bridge: kind === 'bridge' ? newBridgeInfo() : null,
    portState: 0,
    stats: emptyStats(),
    upSince: null,
    homeNs: null,
    ipv6: true,
    addrconf: false,
    created: world.nextSerial(),
  };
}

/** Allocate an ifindex in a namespace: the next one after the last allocated, skipping those in use. */
export function allocIfindex(ns: Netns): number {
  let i = Math.max(1, ns.nextIfindex);
  while (linkByIndex(ns, i)) i++;
  ns.nextIfindex = i + 1;
  return i;
}

function insertLink(ns: Netns, link: Link): void {
  let i = ns.links.length;
  while (i > 0 && ns.links[i - 1]!.ifindex > link.ifindex) i--;
  ns.links.splice(i, 0, link);
  portlessChange(ns, link);
  addIfSysctls(ns, link);
}

/** dev_valid_name(): 1..15 bytes, not "." or "..", no '/', ':' or whitespace. */
export function validIfName(name: string): boolean {
  if (!name || name.length >= 16 || name === '.' || name === '..') return false;
  return !/[/:\s]/.test(name);
}

function pickName(ns: Netns, pattern: string): string {
  for (let i = 0; ; i++) {
    const n = pattern.replace('%d', String(i));
    if (!findLink(ns, n)) return n;
  }
}

export interface LinkAddSpec {
  kind: 'veth' | 'bridge' | 'dummy' | 'vxlan';
  /** vxlan: IFLA_VXLAN_* (VNI required); the MTU defaults to the lower device's minus 50 (1450 without one) */
  vxlan?: Partial<VxlanInfo> & { id: number };
  /** null: the kernel picks kind%d (veth0, bridge0, dummy0) */
  name: string | null;
  mtu?: number;
  mac?: string;
  txqlen?: number;
  /** veth: the peer's name (null: veth%d) and namespace (default: the same) */
  peerName?: string | null;
  peerNs?: NsId;
  peerMac?: string;
  peerMtu?: number;
}

/**
 * Create a link (`ip link add`). For a veth pair the peer is registered
 * first, so it gets the lower ifindex. Returns the named link.
 * Throws EEXIST (name taken), EINVAL (bad name, bad MTU), EADDRNOTAVAIL (multicast MAC).
 */
export function linkAdd(world: World, nsId: NsId, spec: LinkAddSpec): Link {
  const ns = world.ns(nsId);
  const kindPattern = spec.kind === 'bridge' ? 'bridge%d' : `${spec.kind}%d`;
  if (spec.name != null && !validIfName(spec.name)) throw new KernelError('EINVAL');
  if (spec.name != null && findLink(ns, spec.name)) throw new KernelError('EEXIST');
  if (spec.mac && isMulticastMac(spec.mac)) throw new KernelError('EADDRNOTAVAIL');
  if (spec.mtu != null) checkMtu(spec.kind, spec.mtu);
  if (spec.kind !== 'veth') {
    const link = makeLink(world, 0, spec.name ?? pickName(ns, kindPattern), spec.kind, spec.mac ?? world.randomMac());
    if (spec.mtu != null) link.mtu = spec.mtu;
    if (spec.txqlen != null) link.qlen = spec.txqlen;
    if (spec.kind === 'bridge' && spec.mac) link.bridge!.macFixed = true;
    if (spec.kind === 'bridge' && spec.mtu != null) link.bridge!.mtuFixed = true;
    if (spec.kind === 'vxlan') {
      const info = newVxlanInfo(spec.vxlan ?? { id: 0 });
      const lower = info.dev != null ? linkByIndex(ns, info.dev) : undefined;
      if (info.dev != null && !lower) throw new KernelError('ENODEV');
      link.vxlan = info;
      if (spec.mtu == null) link.mtu = (lower?.mtu ?? 1500) - VXLAN_OVERHEAD;
    }
    link.ifindex = allocIfindex(ns);
    insertLink(ns, link);
    if (link.kind === 'bridge') noteBridge(world, ns.id);
    return link;
  }
  const pns = world.ns(spec.peerNs ?? nsId);
  if (spec.peerName != null && !validIfName(spec.peerName)) throw new KernelError('EINVAL');
  if (spec.peerMac && isMulticastMac(spec.peerMac)) throw new KernelError('EADDRNOTAVAIL');
  if (spec.peerMtu != null) checkMtu('veth', spec.peerMtu);
  const peerName = spec.peerName ?? pickName(pns, 'veth%d');
  if (findLink(pns, peerName)) throw new KernelError('EEXIST');
  if (pns === ns && spec.name != null && spec.name === peerName) throw new KernelError('EEXIST');
  const peer = makeLink(world, 0, peerName, 'veth', spec.peerMac ?? world.randomMac());
  if (spec.peerMtu != null) peer.mtu = spec.peerMtu;
  else if (spec.mtu != null) peer.mtu = spec.mtu;
  peer.ifindex = allocIfindex(pns);
  insertLink(pns, peer);
  const link = makeLink(world, 0, spec.name ?? pickName(ns, 'veth%d'), 'veth', spec.mac ?? world.randomMac());
  if (spec.mtu != null) link.mtu = spec.mtu;
  if (spec.txqlen != null) link.qlen = spec.txqlen;
  link.ifindex = allocIfindex(ns);
  insertLink(ns, link);
  link.peer = { ns: pns.id, ifindex: peer.ifindex };
  peer.peer = { ns: ns.id, ifindex: link.ifindex };
  if (pns !== ns) {
    nsidAlloc(world, pns.id, ns.id);
    nsidAlloc(world, ns.id, pns.id);
  }
  return link;
}

/** Create a world segment (a switch or a cable) that ether links plug into. Throws EEXIST. */
export function segmentAdd(world: World, id: string, kind: Segment['kind']): Segment {
  if (world.state.segments[id]) throw new KernelError('EEXIST');
  const seg: Segment = { id, kind, ports: [], fdb: [] };
  world.state.segments[id] = seg;
  return seg;
}

/**
 * A physical NIC (kind ether) in a namespace, plugged into a segment
 * (null: unplugged, no carrier). Throws EEXIST (name), ENOENT (segment), EBUSY (cable full).
 */
export function addNic(world: World, nsId: NsId, name: string, segmentId: string | null, mac?: string): Link {
  const ns = world.ns(nsId);
  if (!validIfName(name)) throw new KernelError('EINVAL');
  if (findLink(ns, name)) throw new KernelError('EEXIST');
  let seg: Segment | undefined;
  if (segmentId != null) {
    seg = world.state.segments[segmentId];
    if (!seg) throw new KernelError('ENOENT');
    if (seg.kind === 'cable' && seg.ports.length >= 2) throw new KernelError('EBUSY');
  }
  const link = makeLink(world, 0, name, 'ether', mac ?? world.randomMac());
  link.ifindex = allocIfindex(ns);
  link.segment = segmentId;
  link.homeNs = world.state.hosts[ns.host]?.rootNs ?? ns.id;
  insertLink(ns, link);
  if (seg) seg.ports.push({ ns: ns.id, ifindex: link.ifindex });
  return link;
}

function segmentRef(world: World, link: Link, oldNs: NsId, oldIndex: number, newNs: NsId | null, newIndex: number): void {
  if (!link.segment) return;
  const seg = world.state.segments[link.segment];
  if (!seg) return;
  const i = seg.ports.findIndex((r) => r.ns === oldNs && r.ifindex === oldIndex);
  if (i < 0) return;
  if (newNs == null) seg.ports.splice(i, 1);
  else seg.ports[i] = { ns: newNs, ifindex: newIndex };
}

// ------------------------------------------------------------------ state changes

/** After a change, run what the kernel's notifier chains would: IPv6 autoconf on links that gained carrier, bridge MAC/MTU. */
function settle(world: World, touched: Array<{ ns: Netns; link: Link }>): void {
  const seen = new Set<Link>();
  // a bridge reached from one of its ports only re-evaluates itself; a bridge that changed
  // itself (up/down) changes the state of every port
  const visit = (ns: Netns, link: Link | undefined, viaPort = false) => {
    if (!link || seen.has(link)) return;
    seen.add(link);
    if (link.adminUp && !link.addrconf) addrconfUp(world, ns, link);
    link.portState = portState(world, ns, link);
    if (link.master != null) visit(ns, linkByIndex(ns, link.master), true);
    if (link.kind === 'bridge' && !viaPort) for (const p of bridgePorts(ns, link.ifindex)) if (!seen.has(p)) {
      seen.add(p);
      p.portState = portState(world, ns, p);
    }
    const peer = vethPeer(world, link);
    if (peer) visit(peer.ns, peer.link);
    // the other end of a cable gains or loses carrier with this one
    if (link.kind === 'ether' && link.segment) {
      const seg = world.state.segments[link.segment];
      if (seg?.kind === 'cable') {
        for (const r of seg.ports) {
          const o = resolveRef(world, r);
          if (o && o.link !== link) visit(o.ns, o.link);
        }
      }
    }
  };
  for (const t of touched) visit(t.ns, t.link);
}

/** Recompute a bridge's MAC (lowest port MAC; 00:00:00:00:00:00 with no ports) and MTU (smallest port MTU) unless set by the user. */
export function bridgeRecalc(ns: Netns, br: Link): void {
  if (br.kind !== 'bridge' || !br.bridge) return;
  if (!br.bridge.everHadPorts || (br.bridge.macFixed && br.bridge.mtuFixed)) return;
  // the lowest port MAC and the smallest port MTU (one pass: a bridge may have a thousand ports)
  let mac: string | null = null;
  let mtu = Infinity;
  for (const p of bridgePorts(ns, br.ifindex)) {
    if (mac === null || p.mac < mac) mac = p.mac;
    if (p.mtu < mtu) mtu = p.mtu;
  }
  if (!br.bridge.macFixed) br.mac = mac ?? '00:00:00:00:00:00';
  if (!br.bridge.mtuFixed) br.mtu = mac === null ? 1500 : mtu;
}

function goDown(world: World, ns: Netns, link: Link): void {
  link.adminUp = false;
  link.upSince = null;
  // fib_sync_down_dev(NETDEV_DOWN) kills the nexthops through the device except those of scope host:
  // the local routes of its IPv4 addresses stay (the addresses remain reachable locally)
  syncDownLinkRoutes(ns, link.ifindex, null, true);
  addrconfDown(world, ns, link);
  neighFlushLink(ns, link.ifindex, true);
  if (link.master != null) flushFdbPort(ns, link.master, link.ifindex);
  if (link.kind === 'bridge' && link.bridge) link.bridge.fdb = [];
}

function goUp(world: World, ns: Netns, link: Link): void {
  link.adminUp = true;
  link.upSince = world.now();
  if (link.qdisc === 'noop') link.qdisc = link.kind === 'ether' ? 'fq_codel' : 'noqueue';
  if (link.kind === 'loopback') loopbackIPv4(world, ns, link);
  for (const a of ns.addrs) if (a.family === 4 && a.ifindex === link.ifindex && !a.secondary) addIPv4AddrRoutes(world, ns, link, a);
  for (const a of ns.addrs) if (a.family === 4 && a.ifindex === link.ifindex && a.secondary) addIPv4AddrRoutes(world, ns, link, a);
}

/** `ip link set DEV up|down`. Idempotent. Throws ENODEV. */
export function linkSetUp(world: World, nsId: NsId, ifindex: number, up: boolean): void {
  const ns = world.ns(nsId);
  const link = linkByIndex(ns, ifindex);
  if (!link) throw new KernelError('ENODEV');
  if (link.adminUp === up) return;
  const ends = link.kind === 'veth' ? vethEnds(world, ns, link) : [];
  if (up) goUp(world, ns, link);
  else goDown(world, ns, link);
  vethLinkwatch(world, ends);
  if (link.kind === 'vxlan') vxlanSocketSync(world, ns);
  // a veth peer losing carrier keeps its addresses; its neighbours go (neigh_carrier_down)
  const peer = vethPeer(world, link);
  if (peer && !up) neighFlushLink(peer.ns, peer.link.ifindex, false);
  settle(world, [{ ns, link }]);
}

function flushFdbPort(ns: Netns, brIndex: number, port: number): void {
  const br = linkByIndex(ns, brIndex);
  if (br?.bridge) br.bridge.fdb = br.bridge.fdb.filter((e) => e.port !== port || e.permanent);
}

function detach(world: World, ns: Netns, port: Link): void {
  if (port.master == null) return;
  const br = linkByIndex(ns, port.master);
  port.master = null;
  portsChanged(ns);
  port.portState = 0;
  if (br?.bridge) {
    br.bridge.fdb = br.bridge.fdb.filter((e) => e.port !== port.ifindex);
    bridgeRecalc(ns, br);
    settle(world, [{ ns, link: br }]);
  }
}

/**
 * `ip link set DEV master BR` (null: nomaster).
 * Throws ENODEV, EOPNOTSUPP (master is not a bridge), ELOOP "Can not enslave a bridge to a bridge",
 * EINVAL "Can not enslave loopback device", EBUSY (the device is itself a master with ports).
 */
export function linkSetMaster(world: World, nsId: NsId, ifindex: number, master: number | null): void {
  const ns = world.ns(nsId);
  const link = linkByIndex(ns, ifindex);
  if (!link) throw new KernelError('ENODEV');
  if (master == null) {
    if (link.master == null) return;
    detach(world, ns, link);
    settle(world, [{ ns, link }]);
    return;
  }
  const br = linkByIndex(ns, master);
  if (!br) throw new KernelError('ENODEV');
  if (link.master === master) return;
  if (br.kind !== 'bridge') throw new KernelError('EOPNOTSUPP');
  if (br === link) throw new KernelError('ELOOP', 'Can not enslave a bridge to a bridge.');
  if (link.kind === 'loopback') throw new KernelError('EINVAL', 'Can not enslave loopback device.');
  if (link.kind === 'bridge') throw new KernelError('ELOOP', 'Can not enslave a bridge to a bridge.');
  if (link.master != null) detach(world, ns, link);
  link.master = master;
  portJoined(ns, link, master);
  br.bridge!.everHadPorts = true;
  bridgeRecalc(ns, br);
  settle(world, [{ ns, link }, { ns, link: br }]);
}

/**
 * `ip link set DEV netns NS`: the link goes down, loses its addresses,
 * routes, neighbours and master; keeps its ifindex when free in the target.
 * Throws ENODEV, EINVAL (lo and bridges are netns-local), EEXIST (name taken in the target).
 */
export function linkSetNetns(world: World, nsId: NsId, ifindex: number, target: NsId): Link {
  const ns = world.ns(nsId);
  const tns = world.ns(target);
  const link = linkByIndex(ns, ifindex);
  if (!link) throw new KernelError('ENODEV');
  if (tns === ns) return link;
  if (link.kind === 'loopback' || link.kind === 'bridge') throw new KernelError('EINVAL');
  if (findLink(tns, link.name)) throw new KernelError('EEXIST');
  if (link.master != null) detach(world, ns, link);
  const ends = link.kind === 'veth' ? vethEnds(world, ns, link) : [];
  unlist(world, ns, link);
  const oldIndex = link.ifindex;
  if (linkByIndex(tns, link.ifindex)) link.ifindex = allocIfindex(tns);
  link.qdisc = 'noop';
  link.addrconf = false;
  insertLink(tns, link);
  segmentRef(world, link, ns.id, oldIndex, tns.id, link.ifindex);
  // the RTM_DELLINK sent in the old namespace names the target: it gets an id there
  nsidAlloc(world, ns.id, tns.id);
  if (link.kind === 'veth' && link.peer) {
    const p = resolveRef(world, link.peer);
    if (p) {
      p.link.peer = { ns: tns.id, ifindex: link.ifindex };
      // the RTM_NEWLINK in the target carries link-netnsid of the peer's namespace
      if (p.ns !== tns) nsidAlloc(world, tns.id, p.ns.id);
      neighFlushLink(p.ns, p.link.ifindex, false);
      settle(world, [{ ns: p.ns, link: p.link }]);
    }
  }
  settle(world, [{ ns: tns, link }]);
  // linkwatch runs after the move: the peer looks for the moved end's index in its own namespace
  vethLinkwatch(world, ends);
  return link;
}

/** Remove a link object and everything that refers to it (not the veth peer). */
function destroy(world: World, ns: Netns, link: Link): void {
  if (link.kind === 'bridge') for (const p of bridgePorts(ns, link.ifindex)) detach(world, ns, p);
  if (link.master != null) detach(world, ns, link);
  unlist(world, ns, link);
  segmentRef(world, link, ns.id, link.ifindex, null, 0);
}

/** A device leaves a namespace (moved or destroyed): closed, then its addresses, every remaining route and
 * neighbour, its place in the list and its conf/neigh sysctls go */
function unlist(world: World, ns: Netns, link: Link): void {
  if (link.adminUp) goDown(world, ns, link);
  ns.addrs = ns.addrs.filter((a) => a.ifindex !== link.ifindex);
  flushLinkRoutes(ns, link.ifindex);
  neighFlushLink(ns, link.ifindex, true);
  ns.links.splice(ns.links.indexOf(link), 1);
  portlessChange(ns, link);
  removeIfSysctls(ns, link.name);
}

/**
 * `ip link del DEV`. Deleting one end of a veth deletes both.
 * Throws ENODEV, EOPNOTSUPP (lo and physical NICs cannot be deleted).
 */
export function linkDel(world: World, nsId: NsId, ifindex: number): void {
  const ns = world.ns(nsId);
  const link = linkByIndex(ns, ifindex);
  if (!link) throw new KernelError('ENODEV');
  if (link.kind === 'loopback' || link.kind === 'ether') throw new KernelError('EOPNOTSUPP');
  const peer = vethPeer(world, link);
  destroy(world, ns, link);
  if (peer) destroy(world, peer.ns, peer.link);
  if (link.kind === 'vxlan') vxlanSocketSync(world, ns);
}

/** Internal: destroy a link whatever its kind (namespace teardown). */
export function linkDestroyAny(world: World, ns: Netns, link: Link): void {
  const peer = vethPeer(world, link);
  destroy(world, ns, link);
  if (peer) destroy(world, peer.ns, peer.link);
}

/** `ip link set DEV name NEW`. Throws ENODEV, EINVAL (invalid name), EEXIST (taken). */
export function linkRename(world: World, nsId: NsId, ifindex: number, name: string): void {
  const ns = world.ns(nsId);
  const link = linkByIndex(ns, ifindex);
  if (!link) throw new KernelError('ENODEV');
  if (link.name === name) return;
  if (!validIfName(name)) throw new KernelError('EINVAL');
  if (findLink(ns, name)) throw new KernelError('EEXIST');
  const old = link.name;
  link.name = name;
  renameIfSysctls(ns, old, name);
  for (const a of ns.addrs) {
    if (a.ifindex !== ifindex || a.family !== 4 || !a.label) continue;
    if (a.label === old) a.label = name;
    else if (a.label.startsWith(`${old}:`)) a.label = name + a.label.slice(old.length);
  }
}

function mtuRange(kind: LinkKind): [number, number] {
  switch (kind) {
    case 'loopback':
      return [0, 0x7fffffff];
    case 'dummy':
      return [0, 0x7fffffff];
    default:
      return [68, 65535];
  }
}

function checkMtu(kind: LinkKind, mtu: number): void {
  const [min, max] = mtuRange(kind);
  if (mtu < min) throw new KernelError('EINVAL', 'mtu less than device minimum.');
  if (mtu > max) throw new KernelError('EINVAL', 'mtu greater than device maximum.');
}

/** `ip link set DEV mtu N`. Throws ENODEV, EINVAL "mtu less than device minimum." / "mtu greater than device maximum.". */
export function linkSetMtu(world: World, nsId: NsId, ifindex: number, mtu: number): void {
  const ns = world.ns(nsId);
  const link = linkByIndex(ns, ifindex);
  if (!link) throw new KernelError('ENODEV');
  checkMtu(link.kind, mtu);
  const old = link.mtu;
  link.mtu = mtu;
  // IPv6 needs 1280: below it the device loses IPv6, back above it autoconf runs again
  if (mtu < 1280 && link.kind !== 'loopback') addrconfDown(world, ns, link);
  else if (old < 1280 && mtu >= 1280) settle(world, [{ ns, link }]);
  if (link.kind === 'bridge' && link.bridge) link.bridge.mtuFixed = true;
  if (link.kind !== 'loopback') ns.sysctl[`net.ipv6.conf.${sysctlDev(link.name)}.mtu`] = String(mtu);
  if (link.master != null) {
    const br = linkByIndex(ns, link.master);
    if (br) bridgeRecalc(ns, br);
  }
}

/** `ip link set DEV address MAC`. Throws ENODEV, EADDRNOTAVAIL (multicast), EOPNOTSUPP (lo). */
export function linkSetMac(world: World, nsId: NsId, ifindex: number, mac: string): void {
  const ns = world.ns(nsId);
  const link = linkByIndex(ns, ifindex);
  if (!link) throw new KernelError('ENODEV');
  if (link.kind === 'loopback') throw new KernelError('EOPNOTSUPP');
  const m = mac.toLowerCase();
  if (isMulticastMac(m)) throw new KernelError('EADDRNOTAVAIL');
  link.mac = m;
  portsChanged(ns);
  if (link.kind === 'bridge' && link.bridge) link.bridge.macFixed = true;
  if (link.master != null) {
    const br = linkByIndex(ns, link.master);
    if (br) bridgeRecalc(ns, br);
  }
}

/** `ip link set DEV txqueuelen N`. */
export function linkSetTxqlen(world: World, nsId: NsId, ifindex: number, qlen: number): void {
  const link = getLinkByIndex(world, nsId, ifindex);
  if (qlen < 0) throw new KernelError('EINVAL');
  link.qlen = qlen;
}

/** `ip link set DEV alias TEXT` (empty: remove). */
export function linkSetAlias(world: World, nsId: NsId, ifindex: number, alias: string): void {
  const link = getLinkByIndex(world, nsId, ifindex);
  link.alias = alias === '' ? null : alias;
}

/** IFLA_BRPORT_* on a bridge port (br_setport): cost 1..65535, priority 0..63, else ERANGE and nothing changes. EOPNOTSUPP when the link is no port. */
export function linkSetBrport(world: World, nsId: NsId, ifindex: number, spec: { cost: number | null; priority: number | null; flags: Record<string, boolean> }): void {
  const link = getLinkByIndex(world, nsId, ifindex);
  if (link.master == null) throw new KernelError('EOPNOTSUPP');
  if ((spec.cost !== null && (spec.cost < 1 || spec.cost > 65535)) || (spec.priority !== null && spec.priority > 63)) throw new KernelError('ERANGE');
  if (spec.cost === null && spec.priority === null && !Object.keys(spec.flags).length) return;
  const bp = (link.brport ??= {});
  if (spec.cost !== null) bp.cost = spec.cost;
  if (spec.priority !== null) bp.priority = spec.priority;
  if (Object.keys(spec.flags).length) bp.flags = { ...(bp.flags ?? {}), ...spec.flags };
}

// ------------------------------------------------------------------ bridge FDB (fdb.ts)

export { fdbEntries, fdbLearn, fdbLookup } from './fdb';
