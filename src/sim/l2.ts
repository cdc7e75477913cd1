// Frame delivery (layer 2): loopback, veth pairs, Linux bridges with FDB
// learning and flooding, and the world's segments (a switch that learns, or
// a cable) between hosts' NICs. Interface counters (Link.stats) count every
// frame sent and received, as the drivers do: loopback counts the IP packet
// (eth_type_trans pulled the header), the others the whole Ethernet frame.
//
// The packet engine (packet.ts) drives this through the `L2Sink` it
// implements: arrivals are scheduled as events after a wire latency, and
// frames that reach a namespace's IP/ARP layer are handed back to it.
import { bridgePorts, fdbLearn, fdbLookup, linkByIndex, peekRef, resolveRef, vethPeer } from './netdev';
import type { Link, Netns, NsId } from './types';
import type { World } from './world';
import type { Packet } from './packet';
import type { NdMsg } from './ndisc';
import { sysctlValue } from './proc-sys';
import { bridgedNamespaces } from './l2-dir';
import { vxlanXmit } from './vxlan';
import { traceOn, traceStep, tracePkt } from './trace';

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';

export interface ArpMsg {
  /** 1 request, 2 reply */
  op: 1 | 2;
  sha: string;
  spa: string;
  tha: string;
  tpa: string;
}

export interface Frame {
  src: string;
  dst: string;
  arp?: ArpMsg;
  ip?: Packet;
  /** IPv6 neighbour discovery (ndisc.ts): a solicitation or an advertisement */
  nd?: NdMsg;
  /** frames sent by IPv6 autoconfiguration (DAD, MLD): only the FDBs learn from them */
  announce?: boolean;
}

export interface L2Sink {
  world: World;
  /** the frame arrives on (ns, ifindex) after `delay` ms */
  schedule(nsId: NsId, ifindex: number, frame: Frame, delay: number): void;
  /** a frame reached a namespace's IP/ARP layer on `link` */
  /** `physIn`: the bridge port a frame for the bridge itself came in by (br_netfilter's physindev) */
  l3Input(ns: Netns, link: Link, frame: Frame, physIn?: Link): void;
  /**
   * br_netfilter: a bridged IPv4 frame goes from `inPort` out of `outPorts`
   * through PREROUTING, FORWARD and POSTROUTING of the bridge's namespace;
   * returns the ports it may leave by (possibly rewritten by NAT in place).
   */
  bridgeForward(ns: Netns, br: Link, inPort: Link, outPorts: Link[], frame: Frame): Link[];
  /** latency of one wire hop (ms) */
  hopDelay(): number;
  /** a link refused a frame as it was sent (dev_queue_xmit's error, for the sender's sendmsg) */
  xmitError?(errno: 'ENOBUFS'): void;
  /** an encapsulating device (vxlan) sends an outer UDP datagram through the namespace's IP output */
  tunnelOut(ns: Netns, o: { src: string; dst: string; sport: number; dport: number; len: number; ttl: number | null; data: unknown }): void;
}

export function isMulticastMac(mac: string): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

export function frameLength(link: Link, frame: Frame): number {
  const l3 = frame.ip ? frame.ip.len : frame.arp ? 28 : frame.nd ? 72 : 0;
  // loopback and vxlan count the IP packet (no Ethernet header)
  return link.kind === 'loopback' || link.kind === 'vxlan' ? l3 : l3 + 14;
}

function countTx(link: Link, frame: Frame): void {
  link.stats.txPackets++;
  link.stats.txBytes += frameLength(link, frame);
}

function countRx(link: Link, frame: Frame): void {
  link.stats.rxPackets++;
  link.stats.rxBytes += frameLength(link, frame);
  if (isMulticastMac(frame.dst) && frame.dst !== BROADCAST_MAC && link.kind !== 'loopback') link.stats.multicast++;
}

/**
 * dev_queue_xmit: send a frame out of a link. Returns false when the frame
 * could not leave (link down: counted as a TX drop).
 */
export function linkXmit(sink: L2Sink, ns: Netns, link: Link, frame: Frame): boolean {
  const world = sink.world;
  if (!link.adminUp) {
    link.stats.txDropped++;
    return false;
  }
  switch (link.kind) {
    case 'loopback':
      countTx(link, frame);
      // loopback_xmit: the same skb is received at once (rx and tx share the counters)
      countRx(link, frame);
      sink.schedule(ns.id, link.ifindex, { ...frame }, sink.hopDelay() / 4);
      return true;
    case 'veth': {
      const peer = vethPeer(world, link);
      if (!peer || !peer.link.adminUp) {
        link.stats.txDropped++;
        return false;
      }
      // veth_forward_skb -> is_skb_forwardable: a frame longer than the peer's MTU is dropped
      if (frame.ip && (frame.ip.fragSize ?? frame.ip.len) > peer.link.mtu) {
        link.stats.txDropped++;
        sink.xmitError?.('ENOBUFS');
        return false;
      }
      countTx(link, frame);
      sink.schedule(peer.ns.id, peer.link.ifindex, frame, sink.hopDelay());
      return true;
    }
    case 'bridge': {
      countTx(link, frame);
      bridgeOut(sink, ns, link, null, frame, false);
      return true;
    }
    case 'ether': {
      countTx(link, frame);
      segmentOut(sink, ns, link, frame);
      return true;
    }
    case 'vxlan':
      return vxlanXmit(sink, ns, link, frame);
    default:
      countTx(link, frame);
      return true;
  }
}

/** A frame arrives on a link (the scheduled event). */
export function linkRx(sink: L2Sink, ns: Netns, link: Link, frame: Frame): void {
  if (!link.adminUp) return;
  if (link.kind !== 'loopback') countRx(link, frame);
  if (link.master !== null) {
    const br = linkByIndex(ns, link.master);
    if (br && br.kind === 'bridge') {
      bridgeInput(sink, ns, br, link, frame);
      return;
    }
  }
  if (frame.announce) return;
  sink.l3Input(ns, link, frame);
}

function portForwarding(ns: Netns, br: Link, port: Link, world: World): boolean {
  void ns;
  void world;
  return br.adminUp && port.adminUp && port.portState === 3;
}

/** br_handle_frame: learning, then local delivery, forwarding or flooding. */
function bridgeInput(sink: L2Sink, ns: Netns, br: Link, port: Link, frame: Frame): void {
  const world = sink.world;
  if (!portForwarding(ns, br, port, world)) return;
  fdbLearn(world, ns, br, port.ifindex, frame.src);
  if (frame.announce) {
    bridgeOut(sink, ns, br, port, frame, true);
    return;
  }
  if (isMulticastMac(frame.dst)) {
    bridgeOut(sink, ns, br, port, frame, true);
    countRx(br, frame);
    sink.l3Input(ns, br, frame);
    return;
  }
  const to = fdbLookup(world, ns, br, frame.dst);
  if (to === br.ifindex) {
    if (traceOn() && frame.ip) fdbStep(sink, ns, br, frame, br.name);
    countRx(br, frame);
    sink.l3Input(ns, br, frame, port);
    return;
  }
  if (to === port.ifindex) return;
  bridgeOut(sink, ns, br, port, frame, true);
}

/** Out of a bridge: to the port the FDB knows, or flooded to every forwarding port but the ingress one. */
function bridgeOut(sink: L2Sink, ns: Netns, br: Link, ingress: Link | null, frame: Frame, bridged: boolean): void {
  const world = sink.world;
  let out: Link[] | null = null;
  if (!isMulticastMac(frame.dst)) {
    // a known unicast destination leaves by its port only (no need to look at the others)
    const to = fdbLookup(world, ns, br, frame.dst);
    if (to !== null && to !== br.ifindex) {
      const p = linkByIndex(ns, to);
      out = p && p !== ingress && p.master === br.ifindex && portForwarding(ns, br, p, world) ? [p] : [];
    }
  }
  if (traceOn() && frame.ip) fdbStep(sink, ns, br, frame, out ? (out[0]?.name ?? '') : null);
  out ??= bridgePorts(ns, br.ifindex).filter((p) => p !== ingress && portForwarding(ns, br, p, world));
  if (bridged && ingress && frame.ip && !frame.announce && sysctlValue(world, ns.id, 'net.bridge.bridge-nf-call-iptables') === '1') {
    out = sink.bridgeForward(ns, br, ingress, out, frame);
  }
  for (const p of out) linkXmit(sink, ns, p, out.length > 1 ? cloneFrame(frame) : frame);
}

/** The trace's record of a bridge's decision: out of one port, flooded (null), to itself (its own name), or nowhere (''). */
function fdbStep(sink: L2Sink, ns: Netns, br: Link, frame: Frame, out: string | null): void {
  const what = out === null ? 'unknown: flood' : out === br.name ? 'local: up the stack' : out === '' ? 'no forwarding port' : `port ${out}`;
  traceStep({ t: sink.world.now(), ns: ns.id, kind: 'fdb', detail: `${br.name}: FDB ${frame.dst} -> ${what}`, ifname: br.name, pkt: tracePkt(frame.ip!), fdb: { bridge: br.name, out, mac: frame.dst } });
}

function cloneFrame(f: Frame): Frame {
  return JSON.parse(JSON.stringify(f)) as Frame;
}

/** Out of a NIC into its segment: a switch learns and forwards or floods, a cable carries to its other end. */
function segmentOut(sink: L2Sink, ns: Netns, link: Link, frame: Frame): void {
  const world = sink.world;
  const seg = link.segment ? world.state.segments[link.segment] : undefined;
  if (!seg) return;
  const self = seg.ports.findIndex((r) => r.ns === ns.id && r.ifindex === link.ifindex);
  let targets = seg.ports.map((_, i) => i).filter((i) => i !== self);
  if (seg.kind === 'switch') {
    const now = world.now();
    if (!isMulticastMac(frame.src)) {
      const e = seg.fdb.find((x) => x.mac === frame.src);
      if (e) {
        e.port = self;
        e.updated = now;
      } else seg.fdb.push({ mac: frame.src, port: self, updated: now });
    }
    if (!isMulticastMac(frame.dst)) {
      const e = seg.fdb.find((x) => x.mac === frame.dst && now - x.updated < 300_000);
      if (e) targets = e.port === self ? [] : [e.port];
    }
  }
  for (const i of targets) {
    const r = resolveRef(world, seg.ports[i]!);
    if (!r || !r.link.adminUp) continue;
    sink.schedule(r.ns.id, r.link.ifindex, targets.length > 1 ? cloneFrame(frame) : frame, sink.hopDelay());
  }
}

/**
 * Every link reachable at layer 2 from (ns, link), for ARP probes answered without traffic (neighbour PROBE) and
 * DAD. Read only: the namespaces on the way are read without being marked (ns-table.ts peek), so a caller that
 * changes one reaches it through the table first.
 */
export function l2Neighbours(world: World, ns: Netns, link: Link): { ns: Netns; link: Link }[] {
  const out: { ns: Netns; link: Link }[] = [];
  const seen = new Set<Link>();
  const peer = (l: Link) => (l.kind === 'veth' ? peekRef(world, l.peer) : undefined);
  const visitOut = (n: Netns, l: Link): void => {
    // frames leaving l arrive at...
    if (l.kind === 'veth') {
      const p = peer(l);
      if (p && p.link.adminUp) visitIn(p.ns, p.link);
    } else if (l.kind === 'bridge') {
      for (const p of bridgePorts(n, l.ifindex)) if (p.adminUp) visitOut(n, p);
    } else if (l.kind === 'ether' && l.segment) {
      const seg = world.state.segments[l.segment];
      for (const r of seg?.ports ?? []) {
        const o = peekRef(world, r);
        if (o && o.link !== l && o.link.adminUp) visitIn(o.ns, o.link);
      }
    }
  };
  const visitIn = (n: Netns, l: Link): void => {
    if (seen.has(l)) return;
    seen.add(l);
    if (l.master !== null) {
      const br = linkByIndex(n, l.master);
      if (br && br.adminUp) {
        if (!seen.has(br)) {
          seen.add(br);
          out.push({ ns: n, link: br });
        }
        for (const p of bridgePorts(n, br.ifindex)) if (p !== l && p.adminUp && !seen.has(p)) {
          seen.add(p);
          visitOut(n, p);
        }
      }
      return;
    }
    out.push({ ns: n, link: l });
  };
  seen.add(link);
  visitOut(ns, link);
  return out;
}

/**
 * The frames a link sends when IPv6 comes up on it (DAD neighbour
 * solicitation, MLD reports): multicast from the link's MAC, so every
 * bridge and switch on the way learns where that MAC lives, and floods
 * them on. Walked synchronously (no packet reaches an IP layer).
 */
export function l2Announce(world: World, ns: Netns, link: Link): void {
  if (link.kind === 'loopback' || link.kind === 'bridge' || !link.adminUp) return;
  const mac = link.mac;
  const seen = new Set<Link>();
  const bridged = bridgedNamespaces(world);
  // the namespaces on the way are read without being marked (ns-table.ts peek); a bridge's, which learns, is reached
  const arrive = (n: Netns, l: Link): void => {
    // (a device outside any bridge ends the walk: checked before the visited set, which a bridge of a thousand ports would fill)
    if (!l.adminUp || l.master === null) return;
    if (seen.has(l)) return;
    seen.add(l);
    const br = linkByIndex(n, l.master);
    if (!br || br.kind !== 'bridge' || !br.adminUp) return;
    void world.ns(n.id);
    fdbLearn(world, n, br, l.ifindex, mac);
    for (const p of bridgePorts(n, br.ifindex)) if (p !== l && p.adminUp) leave(n, p);
  };
  const leave = (n: Netns, l: Link): void => {
    if (l.kind === 'veth') {
      // the other end is a bridge port only in a namespace that holds a bridge (l2-dir.ts): elsewhere the frame
      // reaches a device outside any bridge, which ends the walk, and its namespace need not be read
      if (!l.peer || !bridged.has(l.peer.ns)) return;
      const p = peekRef(world, l.peer);
      if (p) arrive(p.ns, p.link);
    } else if (l.kind === 'ether' && l.segment) {
      const seg = world.state.segments[l.segment];
      if (!seg) return;
      const self = seg.ports.findIndex((r) => r.ns === n.id && r.ifindex === l.ifindex);
      if (seg.kind === 'switch') {
        const e = seg.fdb.find((x) => x.mac === mac);
        if (e) {
          e.port = self;
          e.updated = world.now();
        } else seg.fdb.push({ mac, port: self, updated: world.now() });
      }
      for (const r of seg.ports) {
        const o = peekRef(world, r);
        if (o && o.link !== l) arrive(o.ns, o.link);
      }
    }
  };
  leave(ns, link);
}
