// IPv6 neighbour discovery (RFC 4861) and ICMPv6 errors (RFC 4443) for the
// packet engine, as net/ipv6/ndisc.c and icmp.c behave (facts read from the
// kernel; the code is this project's):
//
// - a next hop without a usable entry gets Neighbour Solicitations to its
//   solicited-node group (33:33:ff:..), one a second (retrans_time), three in
//   all (mcast_solicit), then the entry is FAILED and each queued packet gets
//   an ICMPv6 "address unreachable" (ndisc_error_report);
// - the solicitation's source is the queued packet's source when it is an
//   address of the outgoing device, else the device's link-local address
//   (ndisc_solicit: a forwarded packet's source is someone else's);
// - a solicitation for one of our addresses (not tentative) is answered with a
//   Neighbour Advertisement (solicited, override, and the router flag when
//   the interface forwards: net.ipv6.conf.IF.forwarding); its sender is
//   learnt as STALE first (ndisc_recv_ns), and sending the advertisement back
//   to it makes that entry DELAY (the answer goes through the neighbour entry);
// - an advertisement confirms the entry (REACHABLE) and sets or clears its
//   router flag (ndisc_recv_na);
// - a solicitation from the unspecified address (DAD) for an address we hold
//   is answered to all-nodes (ff02::1).
import type { Address, Link, Netns } from './types';
import type { World } from './world';
import { blankPacket, headerOf, isV6, ICMP6_ECHO_REPLY, ICMP6_ECHO_REQUEST, ICMP6_PKT_TOOBIG, type Packet } from './packet-model';
import { icmpErrorSource } from './packet-nf';
import { isLocalAddress } from './sockets';
import { sysctlValue } from './proc-sys';
import { solicitedNodeMac } from './ip';
import { neighEvaluate, neighFind, neighLearn, neighStartResolve } from './neighbour';

/** A Neighbour Solicitation or Advertisement, as carried by a frame. */
export interface NdMsg {
  op: 'ns' | 'na';
  /** IPv6 source and destination of the message */
  src: string;
  dst: string;
  /** the address asked about / advertised */
  target: string;
  /** the sender's link-layer address option (NS: source, NA: target) */
  lladdr: string | null;
  /** NA flags */
  router?: boolean;
  solicited?: boolean;
}

/** The link-local address of a device (not tentative), or null. */
export function linkLocalOf(world: World, ns: Netns, ifindex: number): string | null {
  const a = ns.addrs.find((x) => x.family === 6 && x.ifindex === ifindex && x.scope === 'link' && !pending(world, x));
  return a ? a.local : null;
}

/** Still tentative: DAD running, or failed. */
function pending(world: World, a: Address): boolean {
  return !!a.dadFailed || (a.tentativeUntil != null && a.tentativeUntil > world.now());
}

/** An address of this device that is usable (assigned, not tentative). */
function usableOn(world: World, ns: Netns, ifindex: number, addr: string): boolean {
  return ns.addrs.some((a) => a.family === 6 && a.ifindex === ifindex && a.local === addr && !pending(world, a));
}

/** The source of a solicitation for a packet leaving `link` (ndisc_solicit). */
export function nsSource(world: World, ns: Netns, link: Link, queuedSrc: string | null): string | null {
  if (queuedSrc && usableOn(world, ns, link.ifindex, queuedSrc)) return queuedSrc;
  return linkLocalOf(world, ns, link.ifindex) ?? queuedSrc;
}

/** The frame of a solicitation for `target` sent on `link` from `src`. */
export function nsFrame(link: Link, src: string, target: string): { src: string; dst: string; nd: NdMsg } {
  return { src: link.mac, dst: solicitedNodeMac(target), nd: { op: 'ns', src, dst: solicitedGroup(target), target, lladdr: link.mac } };
}

/** ff02::1:ffXX:XXXX of an address. */
export function solicitedGroup(addr: string): string {
  const mac = solicitedNodeMac(addr).split(':');
  return `ff02::1:ff${mac[3]}:${mac[4]}${mac[5]}`.replace(/:0+([0-9a-f])/g, ':$1');
}

/** Does this namespace answer a solicitation for `target` received on `link`? */
export function answersNs(world: World, ns: Netns, link: Link, target: string): boolean {
  return usableOn(world, ns, link.ifindex, target) || (isLocalAddress(ns, target) && ns.addrs.some((a) => a.family === 6 && a.local === target && !pending(world, a)));
}

/** The router flag a namespace puts in its advertisements on `link`. */
export function isRouterOn(world: World, ns: Netns, link: Link): boolean {
  return sysctlValue(world, ns.id, `net.ipv6.conf.${link.name}.forwarding`) === '1';
}

/** net.ipv6.conf.all.forwarding: IPv6 packets are forwarded (ip6_forward). */
export function ipv6ForwardingOn(world: World, ns: Netns): boolean {
  return sysctlValue(world, ns.id, 'net.ipv6.conf.all.forwarding') === '1';
}

/** The hop limit of packets this namespace sends (net.ipv6.conf.all.hop_limit). */
export function hopLimit(world: World, ns: Netns): number {
  return Number(sysctlValue(world, ns.id, 'net.ipv6.conf.all.hop_limit') ?? '64') || 64;
}

/**
 * icmp6_send(): the ICMPv6 error about `offending` back to its source, or
 * null when none is sent: never about an ICMPv6 error (only echo messages
 * get one), never to an unspecified or multicast source, and about a
 * multicast destination only for Packet Too Big. The source is the
 * offending packet's destination when that is ours, else the address the
 * route back to the sender selects; the error quotes as much of the
 * offending packet as fits in the minimum MTU (1280 bytes).
 */
export function icmp6ErrorPacket(world: World, ns: Netns, offending: Packet, type: number, code: number, hop: number, mtu?: number): Packet | null {
  if (offending.proto === 'icmp' && offending.icmpType !== ICMP6_ECHO_REQUEST && offending.icmpType !== ICMP6_ECHO_REPLY) return null;
  const dst = offending.src;
  if (!dst || dst === '::' || dst.startsWith('ff')) return null;
  if (offending.dst.startsWith('ff') && type !== ICMP6_PKT_TOOBIG) return null;
  const src = icmpErrorSource(world, ns, offending);
  if (!src) return null;
  return blankPacket({
    src,
    dst,
    proto: 'icmp',
    len: Math.min(40 + 8 + offending.len, 1280),
    icmpType: type,
    icmpCode: code,
    inner: headerOf(offending),
    ttl: hop,
    ...(mtu !== undefined ? { nextHopMtu: mtu } : {}),
  });
}

/** The IPv6 minimum MTU: a Packet Too Big below it is raised to it (rt6_do_update_pmtu). */
export const IPV6_MIN_MTU = 1280;

export { isV6 };

/**
 * A unicast probe (an entry gone from DELAY to PROBE, `at`) reached the
 * holder: no packet waits for it, so the solicitation came from the prober's
 * link-local address (ndisc_solicit); the holder learns that address (STALE)
 * and answers through the new entry (DELAY), as ndisc_recv_ns does. An entry
 * already REACHABLE at the same address stays so.
 */
export function ndProbeSeen(world: World, ns: Netns, link: Link, peerNs: Netns, peerLink: Link, at: number): void {
  const src = linkLocalOf(world, ns, link.ifindex);
  if (!src || !peerLink.adminUp) return;
  const prev = neighFind(peerNs, peerLink.ifindex, src);
  const before = prev ? neighEvaluate(world, peerNs, prev).state : null;
  const n = neighLearn(world, peerNs.id, peerLink.ifindex, src, link.mac);
  neighStartResolve(world, peerNs.id, peerLink.ifindex, src);
  if (n.state !== before) n.updated = Math.min(n.updated, at);
}
