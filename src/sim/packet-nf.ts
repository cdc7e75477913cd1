// The packet engine's netfilter and conntrack glue: the view iptables rules
// match on, -m addrtype, nf_conntrack_in/confirm, and NAT rewriting of a
// packet for its connection (nf_nat_packet).
import { isKernelError } from './errors';
import {
  ctConfirm,
  ctEnabled,
  ctLookup,
  ctLookupTranslated,
  ctNatStatus,
  ctNew,
  ctSeen,
  ctSeenReply,
  ctTarget,
  invertTuple,
  type CtProto,
  type CtTuple,
} from './conntrack';
import { isMulticastIp } from './ip';
import { type NfPacket } from './netfilter';
import { routeGet } from './fib';
import { isLocalAddress } from './sockets';
import type { Netns } from './types';
import type { World } from './world';

import { ICMP6_ADDR_UNREACH, ICMP6_ADM_PROHIBITED, ICMP6_DEST_UNREACH, ICMP6_ECHO_REPLY, ICMP6_ECHO_REQUEST, ICMP6_NOROUTE, ICMP6_PKT_TOOBIG, ICMP6_POLICY_FAIL, ICMP6_PORT_UNREACH, ICMP6_REJECT_ROUTE, ICMP6_TIME_EXCEED, isV6 } from './packet-model';
import { ICMP_DEST_UNREACH, ICMP_ECHO, ICMP_ECHOREPLY, ICMP_HOST_ANO, ICMP_HOST_UNREACH, ICMP_NET_ANO, ICMP_NET_UNREACH, ICMP_PKT_FILTERED, ICMP_PORT_UNREACH, ICMP_PROT_UNREACH, ICMP_TIME_EXCEEDED, PROTO_NUM, blankPacket, headerOf, type Packet, type PktCtx } from './packet-model';

export function nfView(pkt: Packet, ctx: PktCtx, inIface: string | null, outIface: string | null): NfPacket {
  let ctstate = 'NEW';
  if (ctx.untracked) ctstate = 'UNTRACKED';
  else if (ctx.related) ctstate = 'RELATED';
  else if (!ctx.ct) ctstate = 'INVALID';
  else if (ctx.dir === 'reply' || ctSeenReply(ctx.ct)) ctstate = 'ESTABLISHED';
  const nat = ctx.ct ? ctNatStatus(ctx.ct) : { snat: false, dnat: false };
  return {
    src: pkt.src,
    dst: pkt.dst,
    proto: pkt.proto === 'icmp' && isV6(pkt) ? 58 : PROTO_NUM[pkt.proto],
    sport: pkt.proto === 'icmp' ? 0 : pkt.sport,
    dport: pkt.proto === 'icmp' ? 0 : pkt.dport,
    icmpType: pkt.icmpType,
    icmpCode: pkt.icmpCode,
    tcpFlags: pkt.tcpFlags,
    len: pkt.len,
    mark: pkt.mark,
    inIface,
    outIface,
    ctstate,
    ctSnat: nat.snat,
    ctDnat: nat.dnat,
    fragment: false,
    srcMac: ctx.srcMac ?? null,
  };
}

/** -m addrtype: the route type of an address as seen from the namespace. */
export function addrTypeOf(world: World, ns: Netns): (addr: string) => string {
  return (addr: string): string => {
    if (addr === '255.255.255.255') return 'BROADCAST';
    if (isMulticastIp(addr, 4)) return 'MULTICAST';
    if (isLocalAddress(ns, addr)) return 'LOCAL';
    for (const r of ns.routes) if (r.family === 4 && r.table === 255 && r.type === 'broadcast' && r.dst === addr) return 'BROADCAST';
    try {
      const rt = routeGet(world, ns.id, addr);
      if (rt.type === 'unicast') return 'UNICAST';
      return rt.type.toUpperCase();
    } catch (e) {
      if (isKernelError(e)) {
        if (e.errno === 'EINVAL') return 'BLACKHOLE';
        if (e.errno === 'EHOSTUNREACH') return 'UNREACHABLE';
        if (e.errno === 'EACCES') return 'PROHIBIT';
      }
      return 'UNICAST';
    }
  };
}

/**
 * Rewrite a packet for its connection's NAT at a dst-manip point
 * (PREROUTING/OUTPUT) or a src-manip point (POSTROUTING/INPUT), as
 * nf_nat_packet does: original-direction packets get the DNAT at dst-manip
 * and the SNAT at src-manip; reply-direction packets the reverse. An ICMP
 * error about the connection has its outer header and the quoted packet
 * translated together.
 */
export function applyCtNat(pkt: Packet, ctx: PktCtx, manip: 'src' | 'dst'): void {
  const e = ctx.ct;
  if (!e) return;
  const nat = ctNatStatus(e);
  const applies = manip === 'dst' ? (ctx.dir === 'orig' ? nat.dnat : nat.snat) : ctx.dir === 'orig' ? nat.snat : nat.dnat;
  if (!applies) return;
  const target = ctTarget(e, ctx.dir);
  if (ctx.related && pkt.inner) {
    const inner = { ...pkt.inner };
    if (manip === 'dst') {
      pkt.dst = target.dst;
      inner.src = target.dst;
      if (inner.proto === 'icmp') inner.sport = inner.dport = target.dport;
      else inner.sport = target.dport;
    } else {
      pkt.src = target.src;
      inner.dst = target.src;
      if (inner.proto !== 'icmp') inner.dport = target.sport;
    }
    pkt.inner = inner;
    return;
  }
  if (manip === 'dst') {
    pkt.dst = target.dst;
    if (pkt.proto === 'icmp') pkt.sport = pkt.dport = target.dport;
    else pkt.dport = target.dport;
  } else {
    pkt.src = target.src;
    if (pkt.proto === 'icmp') pkt.sport = pkt.dport = target.sport;
    else pkt.sport = target.sport;
  }
}

export function tupleOf(p: Packet): CtTuple {
  return { proto: p.proto as CtProto, src: p.src, dst: p.dst, sport: p.sport, dport: p.dport };
}

export function isIcmpError(p: Packet): boolean {
  if (p.proto !== 'icmp' || p.inner === null) return false;
  if (isV6(p)) return p.icmpType === ICMP6_DEST_UNREACH || p.icmpType === ICMP6_TIME_EXCEED || p.icmpType === ICMP6_PKT_TOOBIG;
  return p.icmpType === ICMP_DEST_UNREACH || p.icmpType === ICMP_TIME_EXCEEDED;
}

/** nf_conntrack_in: find or create the packet's connection. */
export function ctIn(world: World, ns: Netns, pkt: Packet, inIface: string | null): PktCtx | null {
  const orig = headerOf(pkt);
  const v6 = isV6(pkt);
  if (!ctEnabled(ns, v6 ? 6 : 4)) return { ct: null, dir: 'orig', isNew: false, related: false, orig, inIface };
  const [echo, echoReply] = v6 ? [ICMP6_ECHO_REQUEST, ICMP6_ECHO_REPLY] : [ICMP_ECHO, ICMP_ECHOREPLY];
  if (isIcmpError(pkt)) {
    const inner = pkt.inner!;
    const it = invertTuple(tupleOf(inner));
    const hit = ctLookup(world, ns, it);
    if (hit) return { ct: hit.entry, dir: hit.dir, isNew: false, related: true, orig, inIface };
    return { ct: null, dir: 'orig', isNew: false, related: false, orig, inIface };
  }
  if (pkt.proto === 'icmp' && pkt.icmpType !== echo && pkt.icmpType !== echoReply) return { ct: null, dir: 'orig', isNew: false, related: false, orig, inIface };
  const t = tupleOf(pkt);
  const only = pkt.proto !== 'icmp' ? undefined : pkt.icmpType === echo ? 'orig' : 'reply';
  if (inIface === 'lo') {
    // looped back: the skb still carries the connection it was given on output (already
    // translated by NAT, already counted), so it is not looked up or seen again
    const own = ctLookup(world, ns, t, only) ?? ctLookupTranslated(world, ns, t, only);
    if (own) return { ct: own.entry, dir: own.dir, isNew: false, related: false, orig, inIface };
  }
  const hit = ctLookup(world, ns, t, only);
  if (hit) {
    ctSeen(world, hit.entry, hit.dir, pkt.tcpFlags);
    return { ct: hit.entry, dir: hit.dir, isNew: false, related: false, orig, inIface };
  }
  if (pkt.proto === 'icmp' && pkt.icmpType === echoReply) return { ct: null, dir: 'orig', isNew: false, related: false, orig, inIface };
  return { ct: ctNew(world, ns, t), dir: 'orig', isNew: true, related: false, orig, inIface };
}

export function ctDone(world: World, ns: Netns, _pkt: Packet, ctx: PktCtx): void {
  if (ctx.ct && ctx.isNew) {
    ctConfirm(world, ns, ctx.ct);
    ctx.isNew = false;
  }
}

/** A NAT target's range option: `ADDR[-ADDR][:PORT[-PORT]]` (only the first address is used). */
export function parseNatRange(s: string | undefined): { addr: string | null; ports: [number, number] | null } {
  if (!s) return { addr: null, ports: null };
  if (s.startsWith('[')) {
    // an IPv6 range with ports: "[ADDR[-ADDR]]:PORT[-PORT]"
    const end = s.indexOf(']');
    const r = parseNatRange(s.slice(end + 1));
    return { addr: s.slice(1, end).split('-')[0]!, ports: r.ports };
  }
  // more than one colon: an IPv6 address (range) without ports
  if (s.indexOf(':') !== s.lastIndexOf(':')) return { addr: s.split('-')[0]!, ports: null };
  let addr: string | null = s;
  let ports: [number, number] | null = null;
  const colon = s.indexOf(':');
  if (colon >= 0) {
    addr = colon === 0 ? null : s.slice(0, colon);
    const [a, b] = s.slice(colon + 1).split('-');
    ports = [Number(a), Number(b ?? a)];
  }
  if (addr && addr.includes('-')) addr = addr.split('-')[0]!;
  return { addr, ports };
}

/** REJECT --reject-with: the ICMP destination-unreachable code of each kind. */
export const REJECT_CODES: Record<string, number> = {
  'icmp-net-unreachable': ICMP_NET_UNREACH,
  'icmp-host-unreachable': ICMP_HOST_UNREACH,
  'icmp-proto-unreachable': ICMP_PROT_UNREACH,
  'icmp-port-unreachable': ICMP_PORT_UNREACH,
  'icmp-net-prohibited': ICMP_NET_ANO,
  'icmp-host-prohibited': ICMP_HOST_ANO,
  'icmp-admin-prohibited': ICMP_PKT_FILTERED,
};

/** ip6t_REJECT --reject-with: the ICMPv6 destination-unreachable code of each kind. */
export const REJECT6_CODES: Record<string, number> = {
  'icmp6-no-route': ICMP6_NOROUTE,
  'icmp6-adm-prohibited': ICMP6_ADM_PROHIBITED,
  'icmp6-addr-unreachable': ICMP6_ADDR_UNREACH,
  'icmp6-port-unreachable': ICMP6_PORT_UNREACH,
  'icmp6-policy-fail': ICMP6_POLICY_FAIL,
  'icmp6-reject-route': ICMP6_REJECT_ROUTE,
};

/**
 * The source of an ICMP or ICMPv6 error about `offending` (icmp_send / icmp6_send): the address the packet was
 * for when it is ours, else the source the route back to its sender would use; null when there is no route back.
 */
export function icmpErrorSource(world: World, ns: Netns, offending: Packet): string | null {
  if (isLocalAddress(ns, offending.dst)) return offending.dst;
  try {
    return routeGet(world, ns.id, offending.src).prefsrc ?? null;
  } catch {
    return null;
  }
}

/**
 * icmp_send(): the error about `offending` (as it entered the namespace) back
 * to its source, or null when none is sent (an error about an ICMP error, no
 * source to answer, no route back).
 */
export function icmpErrorPacket(world: World, ns: Netns, offending: Packet, type: number, code: number, ttl: number, nextHopMtu?: number): Packet | null {
  if (offending.proto === 'icmp' && offending.icmpType !== ICMP_ECHO && offending.icmpType !== ICMP_ECHOREPLY) return null;
  const dst = offending.src;
  if (!dst || dst === '0.0.0.0') return null;
  const src = icmpErrorSource(world, ns, offending);
  if (!src) return null;
  return blankPacket({
    src,
    dst,
    proto: 'icmp',
    len: 28 + Math.min(offending.len, 548),
    icmpType: type,
    icmpCode: code,
    inner: headerOf(offending),
    ttl,
    ...(nextHopMtu !== undefined ? { nextHopMtu } : {}),
  });
}
