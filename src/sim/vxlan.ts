// VXLAN devices (drivers/net/vxlan): an Ethernet device whose frames travel
// inside UDP datagrams between VTEPs. What flannel's vxlan backend builds on
// each node (flannel.1: VNI 1, UDP 8472, no learning, one FDB entry and one
// permanent neighbour per other node).
//
// - xmit: the inner frame's destination MAC is looked up in the device's FDB
//   (an exact entry, else the 00:00:00:00:00:00 default entries); without a
//   destination the frame is dropped (tx dropped). Each destination gets an
//   outer UDP packet (src: `local`, or routing's choice; dport: `dstport`; TTL
//   auto = the namespace's default TTL), sent through the namespace's IP
//   output (OUTPUT, POSTROUTING, routing, the underlay's counters).
// - rcv: an outer UDP datagram to a local address on a vxlan port reaches the
//   device of that port and VNI, which receives the inner frame as any NIC
//   would (learning its source when `learning` is on).
// - the device counts the inner IP packet (no Ethernet header) both ways;
//   while up, the kernel holds a UDP socket on 0.0.0.0:dstport (netstat shows
//   it without a process).
// The packet engine calls `vxlanXmit` from linkXmit (l2.ts) and `vxlanRcv`
// from its UDP input; link.ts calls `vxlanSocketSync` when a device goes up
// or down.
import { KernelError } from './errors';
import { bindUdp, closeSocket } from './sockets';
import { traceOn, traceStep, tracePkt } from './trace';
import type { Link, Netns, NsId, VxlanFdbEntry, VxlanInfo } from './types';
import type { World } from './world';
import type { Frame, L2Sink } from './l2';

/** Outer headers: IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14. */
export const VXLAN_OVERHEAD = 50;
export const ZERO_MAC = '00:00:00:00:00:00';

/** The payload of an outer VXLAN datagram (plain data, as the engine's packets carry). */
export interface VxlanPayload {
  vxlan: { vni: number; frame: unknown };
}

export function isVxlanPayload(x: unknown): x is VxlanPayload {
  return !!x && typeof x === 'object' && 'vxlan' in x && typeof (x as VxlanPayload).vxlan?.vni === 'number';
}

export function newVxlanInfo(o: Partial<VxlanInfo> & { id: number }): VxlanInfo {
  return { id: o.id, local: o.local ?? null, dev: o.dev ?? null, dstport: o.dstport ?? 8472, learning: o.learning ?? true, ttl: o.ttl ?? null, ageing: o.ageing ?? 300, fdb: [] };
}

function vxlanOf(world: World, nsId: NsId, ifindex: number): { ns: Netns; link: Link; info: VxlanInfo } {
  const ns = world.ns(nsId);
  const link = ns.links.find((l) => l.ifindex === ifindex);
  if (!link) throw new KernelError('ENODEV');
  if (link.kind !== 'vxlan' || !link.vxlan) throw new KernelError('EOPNOTSUPP');
  return { ns, link, info: link.vxlan };
}

/**
 * `bridge fdb add|append|replace MAC dev VXLAN dst IP [self] [permanent]`:
 * add fails with EEXIST when the MAC has an entry; append adds another
 * destination for the MAC (duplicates: EEXIST); replace sets the MAC's only
 * destination. Throws ENODEV, EOPNOTSUPP (not a vxlan device).
 */
export function vxlanFdbAdd(world: World, nsId: NsId, ifindex: number, e: { mac: string; dst: string; state?: VxlanFdbEntry['state'] }, mode: 'add' | 'append' | 'replace'): void {
  const { info } = vxlanOf(world, nsId, ifindex);
  const mac = e.mac.toLowerCase();
  const same = info.fdb.filter((x) => x.mac === mac);
  const entry: VxlanFdbEntry = { mac, dst: e.dst, state: e.state ?? 'permanent', updated: world.now() };
  if (mode === 'add' && same.length) throw new KernelError('EEXIST');
  if (mode === 'append' && same.some((x) => x.dst === e.dst)) throw new KernelError('EEXIST');
  if (mode === 'replace') info.fdb = info.fdb.filter((x) => x.mac !== mac);
  info.fdb.push(entry);
}

/** `bridge fdb del MAC dev VXLAN [dst IP]`. Throws ENOENT. */
export function vxlanFdbDel(world: World, nsId: NsId, ifindex: number, mac: string, dst: string | null): void {
  const { info } = vxlanOf(world, nsId, ifindex);
  const m = mac.toLowerCase();
  const keep = info.fdb.filter((x) => !(x.mac === m && (dst === null || x.dst === dst)));
  if (keep.length === info.fdb.length) throw new KernelError('ENOENT');
  info.fdb = keep;
}

/** The device's FDB as the kernel dumps it (learned entries age out after `ageing` seconds). */
export function vxlanFdbEntries(world: World, link: Link): VxlanFdbEntry[] {
  const info = link.vxlan;
  if (!info) return [];
  const now = world.now();
  info.fdb = info.fdb.filter((e) => e.state === 'permanent' || e.state === 'noarp' || now - e.updated < info.ageing * 1000);
  return info.fdb;
}

/** Where a frame to `mac` goes: its own entries, else the default (all-zeros) ones. */
export function vxlanDestinations(world: World, link: Link, mac: string): string[] {
  const fdb = vxlanFdbEntries(world, link);
  const own = fdb.filter((e) => e.mac === mac.toLowerCase());
  return (own.length ? own : fdb.filter((e) => e.mac === ZERO_MAC)).map((e) => e.dst);
}

/** udp_flow_src_port: a source port from the inner flow's hash, in the local port range. */
export function vxlanSourcePort(key: string, range: [number, number] = [32768, 60999]): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619) >>> 0;
  return range[0] + (h % (range[1] - range[0] + 1));
}

/** The vxlan device of a namespace that takes a datagram to `dport` with `vni` (up, same port and VNI). */
export function vxlanDeviceFor(ns: Netns, dport: number, vni: number): Link | null {
  return ns.links.find((l) => l.kind === 'vxlan' && l.adminUp && l.vxlan?.dstport === dport && l.vxlan.id === vni) ?? null;
}

/** Learn the inner source MAC of a received frame (learning devices only). */
export function vxlanLearn(world: World, link: Link, mac: string, from: string): void {
  const info = link.vxlan;
  if (!info || !info.learning || (parseInt(mac.slice(0, 2), 16) & 1) === 1) return;
  const e = info.fdb.find((x) => x.mac === mac);
  if (e) {
    if (e.state === 'permanent' || e.state === 'noarp') return;
    e.dst = from;
    e.updated = world.now();
    e.state = 'reachable';
    return;
  }
  info.fdb.push({ mac, dst: from, state: 'reachable', updated: world.now() });
}

/**
 * The kernel's UDP socket of the vxlan ports in use: 0.0.0.0:PORT while at
 * least one device of that port is up. Called when a device goes up or down.
 */
export function vxlanSocketSync(world: World, ns: Netns): void {
  const want = new Set(ns.links.filter((l) => l.kind === 'vxlan' && l.adminUp && l.vxlan).map((l) => l.vxlan!.dstport));
  for (const s of [...ns.sockets]) {
    if (s.proto === 'udp' && s.pid === null && s.service === 'vxlan' && !want.has(s.localPort)) closeSocket(world, ns.id, s.id);
  }
  for (const port of want) {
    if (ns.sockets.some((s) => s.proto === 'udp' && s.service === 'vxlan' && s.localPort === port)) continue;
    const s = bindUdp(world, ns.id, null, '0.0.0.0', port, 4);
    s.service = 'vxlan';
  }
}

/**
 * vxlan_xmit: encapsulate a frame for each of its FDB destinations and hand
 * the outer packets to the namespace's IP output. False (tx dropped) when the
 * FDB has no destination for it.
 */
export function vxlanXmit(sink: L2Sink, ns: Netns, link: Link, frame: Frame): boolean {
  const world = sink.world;
  const info = link.vxlan;
  const dsts = info ? vxlanDestinations(world, link, frame.dst) : [];
  if (!info || dsts.length === 0) {
    link.stats.txDropped++;
    return false;
  }
  const inner = frame.ip ? frame.ip.len : frame.arp ? 28 : 0;
  link.stats.txPackets++;
  link.stats.txBytes += inner;
  const ip = frame.ip;
  const sport = vxlanSourcePort(ip ? `${ip.src}>${ip.dst}/${ip.proto}/${ip.sport}/${ip.dport}` : `${frame.src}>${frame.dst}`);
  for (const dst of dsts) {
    if (traceOn() && ip) traceStep({ t: world.now(), ns: ns.id, kind: 'vxlan', detail: `encap VNI ${info.id} ${info.local ?? ''} -> ${dst} udp ${info.dstport}`, ifname: link.name, pkt: tracePkt(ip), vxlan: { dev: link.name, vni: info.id, outerSrc: info.local ?? '', outerDst: dst, dir: 'encap' } });
    sink.tunnelOut(ns, {
      src: info.local ?? '',
      dst,
      sport,
      dport: info.dstport,
      len: inner + VXLAN_OVERHEAD,
      ttl: info.ttl,
      data: { vxlan: { vni: info.id, frame: structuredClone(frame) } } satisfies VxlanPayload,
    });
  }
  return true;
}
