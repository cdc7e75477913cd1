// The packet engine's data model: IPv4 packets, ICMP constants, the
// per-packet context, client socket events, and the registry of what server
// processes answer (registerUdpService / registerTcpService).
import {
  type CtDir,
} from './conntrack';
import type { ConntrackEntry, Netns, NsId, Process, ProcessRole, Socket } from './types';
import type { World } from './world';


// ---------------------------------------------------------------- packets

export type L4Proto = 'icmp' | 'tcp' | 'udp';

export interface Packet {
  src: string;
  dst: string;
  proto: L4Proto;
  ttl: number;
  /** IP total length (what counters add) */
  len: number;
  mark: number;
  /** TCP/UDP ports; an ICMP echo's id in both */
  sport: number;
  dport: number;
  icmpType: number;
  icmpCode: number;
  icmpSeq: number;
  tcpFlags: number;
  /** ICMP errors: the offending packet's header */
  inner: Packet | null;
  /** application payload (DNS message, HTTP request/response), plain data */
  data: unknown;
  /** engine-internal flow id (a TCP connection's packets share it) */
  flow: number;
  /** IP_DF: a router whose next link is too small answers "frag needed" instead of fragmenting */
  df?: boolean;
  /** ICMP "frag needed": the next-hop MTU */
  nextHopMtu?: number;
  /** sent as fragments of at most this many bytes (IP output split it for a smaller MTU; the wire sees fragments) */
  fragSize?: number;
  /** IP option record route (ping -R): the addresses written so far, at most 9 (40 option bytes) */
  rr?: string[];
}

/** Record an address in a packet's record-route option while there is room. */
export function recordRoute(pkt: Packet, addr: string | null | undefined): void {
  if (pkt.rr && addr && pkt.rr.length < 9) pkt.rr.push(addr);
}

/** How long a learned path MTU lasts (net.ipv4.route.mtu_expires, 600 s). */
export const PMTU_EXPIRES_MS = 600_000;

/** The path MTU learned for dst in a namespace (an unexpired "frag needed"), or null. */
export function learnedPmtu(world: World, nsId: NsId, dst: string): number | null {
  const e = world.ns(nsId).pmtu?.find((x) => x.dst === dst && x.expires > world.now());
  return e ? e.mtu : null;
}

export const ICMP_ECHOREPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;
export const ICMP_NET_UNREACH = 0;
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PROT_UNREACH = 2;
export const ICMP_PORT_UNREACH = 3;
export const ICMP_FRAG_NEEDED = 4;
export const ICMP_NET_ANO = 9;
export const ICMP_HOST_ANO = 10;
export const ICMP_PKT_FILTERED = 13;

// ICMPv6 (RFC 4443): the engine's IPv6 packets carry proto 'icmp' with these types and codes
export const ICMP6_DEST_UNREACH = 1;
export const ICMP6_PKT_TOOBIG = 2;
export const ICMP6_TIME_EXCEED = 3;
export const ICMP6_ECHO_REQUEST = 128;
export const ICMP6_ECHO_REPLY = 129;
export const ICMP6_NOROUTE = 0;
export const ICMP6_ADM_PROHIBITED = 1;
export const ICMP6_NOT_NEIGHBOUR = 2;
export const ICMP6_ADDR_UNREACH = 3;
export const ICMP6_PORT_UNREACH = 4;
export const ICMP6_POLICY_FAIL = 5;
export const ICMP6_REJECT_ROUTE = 6;

/** An IPv6 packet (its addresses are IPv6 ones). */
export function isV6(p: Pick<Packet, 'dst'>): boolean {
  return p.dst.includes(':');
}

/** The IP header's length: 20 (IPv4, no options) or 40 (IPv6). */
export function ipHdrLen(p: Pick<Packet, 'dst'>): number {
  return isV6(p) ? 40 : 20;
}

/** An echo request of either family. */
export function isEchoRequest(p: Packet): boolean {
  return p.proto === 'icmp' && p.icmpType === (isV6(p) ? ICMP6_ECHO_REQUEST : ICMP_ECHO);
}

/** An echo reply of either family. */
export function isEchoReply(p: Packet): boolean {
  return p.proto === 'icmp' && p.icmpType === (isV6(p) ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY);
}

export const PROTO_NUM: Record<L4Proto, number> = { icmp: 1, tcp: 6, udp: 17 };

export function blankPacket(p: Partial<Packet> & Pick<Packet, 'src' | 'dst' | 'proto' | 'len'>): Packet {
  return {
    ttl: 64,
    mark: 0,
    sport: 0,
    dport: 0,
    icmpType: 0,
    icmpCode: 0,
    icmpSeq: 0,
    tcpFlags: 0,
    inner: null,
    data: null,
    flow: 0,
    ...p,
  };
}

export function copyPacket(p: Packet): Packet {
  return { ...p, inner: p.inner ? { ...p.inner, inner: null, data: null } : null };
}

export function headerOf(p: Packet): Packet {
  return { ...p, inner: null, data: null };
}

// ---------------------------------------------------------------- services

/** A UDP datagram, or a TCP request on an established connection, delivered to a server socket. */
export interface ServiceRequest {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  data: unknown;
  len: number;
}

export interface UdpReply {
  data: unknown;
  /** payload length in bytes (IP length = 28 + len) */
  len: number;
}

/** A server process answers a datagram (or stays silent: null). */
export type UdpService = (world: World, nsId: NsId, proc: Process, sock: Socket, req: UdpRequest) => UdpReply | null;

export type UdpRequest = ServiceRequest;
/** A TCP server process answers a request on an established connection. */
export type TcpRequest = ServiceRequest;
export type TcpService = (world: World, nsId: NsId, proc: Process, sock: Socket, req: TcpRequest) => UdpReply | null;

export const udpServices = new Map<string, UdpService>();
export const tcpServices = new Map<string, TcpService>();

/** dns.ts: register('dns', handler) - processes with role {kind:'dns'} answer through it. */
export function registerUdpService(role: string, fn: UdpService): void {
  udpServices.set(role, fn);
}

export function registerTcpService(role: string, fn: TcpService): void {
  tcpServices.set(role, fn);
}

/** What a service's program does once the peer has closed and its side of the connection is closed too (e.g. `nc -l` exits). */
export type TcpCloseHook = (world: World, nsId: NsId, proc: Process, sock: Socket) => void;
export const tcpCloseHooks = new Map<string, TcpCloseHook>();

export function registerTcpCloseHook(role: string, fn: TcpCloseHook): void {
  tcpCloseHooks.set(role, fn);
}

/** The service a process's requests go to: its role's kind, or `app:<name>` for an 'app' role. */
export function serviceKey(role: ProcessRole): string {
  return role.kind === 'app' ? `app:${role.app}` : role.kind;
}

export function processOf(world: World, ns: Netns, sock: Socket): Process | null {
  if (sock.pid === null) return null;
  return world.state.hosts[ns.host]?.processes.find((p) => p.pid === sock.pid) ?? null;
}

// ---------------------------------------------------------------- trace

export interface TraceEvent {
  t: number;
  ns: NsId;
  /** tx / rx on an interface, or a decision */
  kind: 'tx' | 'rx' | 'drop' | 'forward' | 'deliver' | 'nat' | 'icmp' | 'arp';
  ifname?: string;
  detail: string;
  pkt?: { src: string; dst: string; proto: L4Proto; sport: number; dport: number; ttl: number };
}

// ---------------------------------------------------------------- client sockets

export type SockEvent =
  | { kind: 'echo-reply'; t: number; from: string; ttl: number; seq: number; len: number; rr?: string[] }
  | { kind: 'icmp-error'; t: number; from: string; type: number; code: number; inner: Packet; ttl: number; mtu?: number }
  | { kind: 'udp'; t: number; from: string; sport: number; data: unknown; len: number }
  | { kind: 'tcp'; t: number; pkt: Packet };

export type Handler = (ev: SockEvent) => void;

export interface Ev {
  t: number;
  seq: number;
  run: () => void;
}

export interface PendingNeigh {
  pkts: { pkt: Packet; orig: Packet; ct: ConntrackEntry | null }[];
  probes: number;
}

/** Per-namespace processing context of one packet (conntrack, as it arrived). */
export interface PktCtx {
  ct: ConntrackEntry | null;
  dir: CtDir;
  isNew: boolean;
  related: boolean;
  /** the header as the packet entered this namespace (ICMP errors quote it) */
  orig: Packet;
  inIface: string | null;
  /** the source MAC of the frame it came in (-m mac) */
  srcMac?: string | null;
  /** untracked by NOTRACK in the raw table */
  untracked?: boolean;
}

export interface TcpClientInfo {
  ns: NsId;
  pid: number | null;
  local: string;
  lport: number;
  remote: string;
  rport: number;
  sock: Socket | null;
}
