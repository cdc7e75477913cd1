// The packet engine: IPv4 packets (ICMP echo and errors, UDP, TCP) through
// namespaces, links, bridges and segments, as the kernel moves them.
//
//   local output:  route lookup -> raw/mangle/nat(new)/filter OUTPUT ->
//                  mangle/nat(new) POSTROUTING -> conntrack confirm ->
//                  neighbour (ARP) -> device
//   reception:     raw/mangle/nat(new) PREROUTING -> route input ->
//                  local:   mangle/filter/nat(new) INPUT -> confirm -> socket
//                  forward: (ip_forward) TTL -> mangle/filter FORWARD ->
//                           mangle/nat(new) POSTROUTING -> confirm -> neighbour
//   bridged IPv4 frames traverse PREROUTING/FORWARD/POSTROUTING of the
//   bridge's namespace (br_netfilter, net.bridge.bridge-nf-call-iptables).
//
// Time runs on the world's clock: an Engine keeps an event queue (frame
// arrivals after a wire latency, ARP retransmissions and failures, client
// timers); run(until) processes events in time order and moves the clock.
// Latencies are small, plausible and drawn from the world's seeded
// generator, so everything is deterministic for a seed.
//
// Clients (ping, traceroute, nc, curl, the DNS resolver) use the helpers at
// the end: an Engine with sockets registered for the run (ICMP echo ids,
// UDP and TCP ports), or the one-shot udpExchange() / tcpExchange().
// Servers: TCP listeners and UDP sockets are sockets.ts's; what a server
// process answers comes from the service handlers registered with
// registerUdpService() / registerTcpService() (dns.ts registers 'dns',
// http.ts 'http').
import { isKernelError, type Errno } from './errors';
import {
  ctBindDnat,
  ctBindSnat,
  ctConfirm,
  ctLookup,
  ctNatStatus,
  ctNew,
  ctSeen,
  ctSeenReply,
  ctTarget,
  invertTuple,
  sameTuple,
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_RST,
  TCP_SYN,
  type CtDir,
  type CtProto,
  type CtTuple,
} from './conntrack';
import { BROADCAST_MAC, l2Announce, l2Neighbours, linkRx, linkXmit, type Frame, type L2Sink } from './l2';
import { onAddrconfUp } from './addr';
import { isMulticastIp, prefixContains } from './ip';
import { fdbLookup, linkByIndex } from './netdev';
import { neighConfirm, neighFind, neighLearn, neighLookup, neighStartResolve, setNeighResponder } from './neighbour';
import { runTableHook, type Hook, type NfPacket, type NfTableName } from './netfilter';
import { routeGet, selectSource, type RouteResult } from './fib';
import { allocEphemeralPort, closeSocket, establish, findListener, isLocalAddress } from './sockets';
import { ipv4ForwardingOn, sysctlValue } from './proc-sys';
import type { ConntrackEntry, Link, Netns, NsId, Process, ProcessRole, Socket } from './types';
import type { World } from './world';
import { answerQuery, messageSize, type DnsMessage } from './dns';
import { setDnsTransport, type DnsTransport } from './resolver';

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
  /** IP option record route (ping -R): the addresses written so far, at most 9 (40 option bytes) */
  rr?: string[];
}

/** Record an address in a packet's record-route option while there is room. */
function recordRoute(pkt: Packet, addr: string | null | undefined): void {
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

const PROTO_NUM: Record<L4Proto, number> = { icmp: 1, tcp: 6, udp: 17 };

function blankPacket(p: Partial<Packet> & Pick<Packet, 'src' | 'dst' | 'proto' | 'len'>): Packet {
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

function copyPacket(p: Packet): Packet {
  return { ...p, inner: p.inner ? { ...p.inner, inner: null, data: null } : null };
}

function headerOf(p: Packet): Packet {
  return { ...p, inner: null, data: null };
}

// ---------------------------------------------------------------- services

/** A UDP datagram delivered to a server socket. */
export interface UdpRequest {
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

/** A TCP server process answers a request on an established connection. */
export interface TcpRequest {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  data: unknown;
  len: number;
}
export type TcpService = (world: World, nsId: NsId, proc: Process, sock: Socket, req: TcpRequest) => UdpReply | null;

const udpServices = new Map<string, UdpService>();
const tcpServices = new Map<string, TcpService>();

/** dns.ts: register('dns', handler) - processes with role {kind:'dns'} answer through it. */
export function registerUdpService(role: string, fn: UdpService): void {
  udpServices.set(role, fn);
}

export function registerTcpService(role: string, fn: TcpService): void {
  tcpServices.set(role, fn);
}

/** The service a process's requests go to: its role's kind, or `app:<name>` for an 'app' role. */
function serviceKey(role: ProcessRole): string {
  return role.kind === 'app' ? `app:${role.app}` : role.kind;
}

function processOf(world: World, ns: Netns, sock: Socket): Process | null {
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

type Handler = (ev: SockEvent) => void;

interface Ev {
  t: number;
  seq: number;
  run: () => void;
}

interface PendingNeigh {
  pkts: { pkt: Packet; orig: Packet }[];
  probes: number;
}

/** Per-namespace processing context of one packet (conntrack, as it arrived). */
interface PktCtx {
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

let flowSeq = 1;

const MAX_EVENTS = 200_000;

export class Engine implements L2Sink {
  world: World;
  private q: Ev[] = [];
  private seq = 0;
  private handled = 0;
  private pending = new Map<string, PendingNeigh>();
  private icmpSocks = new Map<string, Handler>();
  private udpSocks = new Map<string, Handler>();
  private tcpSocks = new Map<string, Handler>();
  private tcpServer = new Map<number, { ns: NsId; listenerId: number; client: TcpClientInfo | null; sock: Socket | null }>();
  private flows = new Map<number, TcpClientInfo>();
  private lastArrival = new Map<string, number>();
  trace: TraceEvent[] | null;

  constructor(world: World, opts: { trace?: boolean } = {}) {
    this.world = world;
    this.trace = opts.trace ? [] : null;
  }

  // ------------------------------------------------------------ time

  now(): number {
    return this.world.now();
  }

  at(t: number, run: () => void): void {
    const ev = { t, seq: this.seq++, run };
    // insertion keeping (t, seq) order; queues stay short
    let i = this.q.length;
    while (i > 0 && (this.q[i - 1]!.t > t || (this.q[i - 1]!.t === t && this.q[i - 1]!.seq > ev.seq))) i--;
    this.q.splice(i, 0, ev);
  }

  after(delay: number, run: () => void): void {
    this.at(this.now() + delay, run);
  }

  /** Process events up to `until` (inclusive), moving the clock; the clock ends at `until`. */
  run(until: number): void {
    while (this.q.length && this.q[0]!.t <= until) {
      const ev = this.q.shift()!;
      if (ev.t > this.world.state.clock) this.world.state.clock = ev.t;
      if (++this.handled > MAX_EVENTS) {
        this.q = [];
        break;
      }
      ev.run();
    }
    if (until > this.world.state.clock) this.world.state.clock = until;
  }

  /** Process events until `stop()` says so or `until` is reached; the clock stops at the last event handled when stopped early. */
  runWhile(until: number, keepGoing: () => boolean): void {
    while (keepGoing() && this.q.length && this.q[0]!.t <= until) {
      const ev = this.q.shift()!;
      if (ev.t > this.world.state.clock) this.world.state.clock = ev.t;
      if (++this.handled > MAX_EVENTS) {
        this.q = [];
        break;
      }
      ev.run();
    }
    if (keepGoing() && until > this.world.state.clock) this.world.state.clock = until;
  }

  idle(): boolean {
    return this.q.length === 0;
  }

  nextEventTime(): number | null {
    return this.q.length ? this.q[0]!.t : null;
  }

  /** Wire latency of one hop: 8 to 30 microseconds. */
  hopDelay(): number {
    return 0.008 + this.world.random() * 0.022;
  }

  /** Stack processing in a namespace: 3 to 12 microseconds. */
  private stackDelay(): number {
    return 0.003 + this.world.random() * 0.009;
  }

  private log(ns: Netns, kind: TraceEvent['kind'], detail: string, pkt?: Packet, ifname?: string): void {
    if (!this.trace) return;
    this.trace.push({
      t: this.now(),
      ns: ns.id,
      kind,
      detail,
      ...(ifname ? { ifname } : {}),
      ...(pkt ? { pkt: { src: pkt.src, dst: pkt.dst, proto: pkt.proto, sport: pkt.sport, dport: pkt.dport, ttl: pkt.ttl } } : {}),
    });
  }

  // ------------------------------------------------------------ sockets of the run

  openIcmp(nsId: NsId, id: number, h: Handler): void {
    this.icmpSocks.set(`${nsId}|${id}`, h);
  }

  openUdp(nsId: NsId, port: number, h: Handler): void {
    this.udpSocks.set(`${nsId}|${port}`, h);
  }

  closeUdp(nsId: NsId, port: number): void {
    this.udpSocks.delete(`${nsId}|${port}`);
  }

  openTcp(nsId: NsId, lport: number, h: Handler): void {
    this.tcpSocks.set(`${nsId}|${lport}`, h);
  }

  closeTcp(nsId: NsId, lport: number): void {
    this.tcpSocks.delete(`${nsId}|${lport}`);
  }

  // ------------------------------------------------------------ L2 sink

  schedule(nsId: NsId, ifindex: number, frame: Frame, delay: number): void {
    // a link delivers in order: a frame never overtakes an earlier one
    const key = `${nsId}|${ifindex}`;
    const t = Math.max(this.now() + delay, (this.lastArrival.get(key) ?? 0) + 0.0005);
    this.lastArrival.set(key, t);
    this.at(t, () => {
      const ns = this.world.state.namespaces[nsId];
      if (!ns) return;
      const link = linkByIndex(ns, ifindex);
      if (!link) return;
      if (frame.ip) this.log(ns, 'rx', `rx ${link.name}`, frame.ip, link.name);
      linkRx(this, ns, link, frame);
    });
  }

  l3Input(ns: Netns, link: Link, frame: Frame, physIn?: Link): void {
    if (frame.dst !== BROADCAST_MAC && frame.dst !== link.mac && link.kind !== 'loopback') {
      // not for us (PACKET_OTHERHOST)
      if (!(parseInt(frame.dst.slice(0, 2), 16) & 1)) return;
    }
    if (frame.arp) {
      this.arpRcv(ns, link, frame);
      return;
    }
    if (frame.ip) this.ipRcv(ns, link, frame.ip, frame.src, physIn ?? null);
  }

  bridgeForward(ns: Netns, br: Link, inPort: Link, outPorts: Link[], frame: Frame): Link[] {
    const pkt = frame.ip!;
    const ctx = this.ctIn(ns, pkt, br.name);
    if (!ctx) return [];
    ctx.srcMac = frame.src;
    if (!this.hookChain(ns, 'PREROUTING', ['raw', 'mangle'], pkt, ctx, br.name, null)) return [];
    if (ctx.isNew && !this.natHook(ns, 'PREROUTING', pkt, ctx, br.name, null, inPort)) return [];
    this.applyCtNat(pkt, ctx, 'dst');
    const out: Link[] = [];
    for (const p of outPorts) {
      const v = this.hookVerdict(ns, 'FORWARD', ['mangle', 'filter', 'security'], pkt, ctx, br.name, br.name);
      if (v !== 'ACCEPT') continue;
      if (!this.hookChain(ns, 'POSTROUTING', ['mangle'], pkt, ctx, br.name, br.name)) continue;
      if (ctx.isNew && !this.natHook(ns, 'POSTROUTING', pkt, ctx, br.name, br.name, p)) continue;
      this.applyCtNat(pkt, ctx, 'src');
      out.push(p);
    }
    if (out.length) this.ctDone(ns, pkt, ctx);
    return out;
  }

  // ------------------------------------------------------------ netfilter glue

  private view(pkt: Packet, ctx: PktCtx, inIface: string | null, outIface: string | null): NfPacket {
    let ctstate = 'NEW';
    if (ctx.untracked) ctstate = 'UNTRACKED';
    else if (ctx.related) ctstate = 'RELATED';
    else if (!ctx.ct) ctstate = 'INVALID';
    else if (ctx.dir === 'reply' || ctSeenReply(ctx.ct)) ctstate = 'ESTABLISHED';
    const nat = ctx.ct ? ctNatStatus(ctx.ct) : { snat: false, dnat: false };
    return {
      src: pkt.src,
      dst: pkt.dst,
      proto: PROTO_NUM[pkt.proto],
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

  private addrType(ns: Netns) {
    return (addr: string): string => {
      if (addr === '255.255.255.255') return 'BROADCAST';
      if (isMulticastIp(addr, 4)) return 'MULTICAST';
      if (isLocalAddress(ns, addr)) return 'LOCAL';
      for (const r of ns.routes) if (r.family === 4 && r.table === 255 && r.type === 'broadcast' && r.dst === addr) return 'BROADCAST';
      try {
        const rt = routeGet(this.world, ns.id, addr);
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

  /** Run tables of a hook; returns the verdict (NAT verdicts do not occur outside the nat table). */
  private hookVerdict(ns: Netns, hook: Hook, tables: NfTableName[], pkt: Packet, ctx: PktCtx, inIface: string | null, outIface: string | null): 'ACCEPT' | 'DROP' | string {
    for (const t of tables) {
      if (!ns.netfilter.tables[t]) continue;
      const v = this.view(pkt, ctx, inIface, outIface);
      const res = runTableHook({ world: this.world, addrType: this.addrType(ns) }, ns, t, hook, v);
      pkt.mark = v.mark;
      if (v.notrack && !ctx.untracked) {
        // NOTRACK: no connection for this packet (an unconfirmed new one is dropped, NAT is skipped)
        ctx.untracked = true;
        ctx.ct = null;
        ctx.isNew = false;
        ctx.related = false;
      }
      if (res.verdict === 'DROP') {
        this.log(ns, 'drop', `${t} ${hook} DROP`, pkt);
        return 'DROP';
      }
      if (res.verdict === 'REJECT') {
        this.log(ns, 'drop', `${t} ${hook} REJECT ${res.with}`, pkt);
        return `REJECT:${res.with}`;
      }
    }
    return 'ACCEPT';
  }

  /** Same, for hooks where REJECT answers and the packet goes no further; false when dropped. */
  private hookChain(ns: Netns, hook: Hook, tables: NfTableName[], pkt: Packet, ctx: PktCtx, inIface: string | null, outIface: string | null): boolean {
    const v = this.hookVerdict(ns, hook, tables, pkt, ctx, inIface, outIface);
    if (v === 'ACCEPT') return true;
    if (v.startsWith('REJECT:')) this.reject(ns, pkt, ctx, v.slice(7));
    return false;
  }

  /** The nat table of a hook for a connection's first packet: sets up the binding. False when the packet is dropped. */
  private natHook(ns: Netns, hook: Hook, pkt: Packet, ctx: PktCtx, inIface: string | null, outIface: string | null, outLink: Link | null): boolean {
    if (!ctx.ct || !ctx.isNew || !ns.netfilter.tables.nat) return true;
    const v = this.view(pkt, ctx, inIface, outIface);
    const res = runTableHook({ world: this.world, addrType: this.addrType(ns) }, ns, 'nat', hook, v);
    pkt.mark = v.mark;
    if (res.verdict === 'DROP') return false;
    if (res.verdict !== 'NAT') return true;
    const e = ctx.ct;
    const o = res.options;
    const parseRange = (s: string | undefined): { addr: string | null; ports: [number, number] | null } => {
      if (!s) return { addr: null, ports: null };
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
    };
    const random = o['random-fully'] !== undefined || o.random !== undefined;
    switch (res.target) {
      case 'DNAT': {
        const r = parseRange(o['to-destination']);
        ctBindDnat(e, r.addr ?? e.orig.dst, r.ports && pkt.proto !== 'icmp' ? r.ports[0] : null);
        this.log(ns, 'nat', `DNAT to ${r.addr ?? e.orig.dst}`, pkt);
        break;
      }
      case 'REDIRECT': {
        const r = o['to-ports'] ? parseRange(`:${o['to-ports']}`) : { ports: null };
        let addr = '127.0.0.1';
        if (hook === 'PREROUTING' && inIface) {
          const link = ns.links.find((l) => l.name === inIface);
          const a = link ? ns.addrs.find((x) => x.family === 4 && x.ifindex === link.ifindex && !x.secondary) : undefined;
          if (!a) return false;
          addr = a.local;
        }
        ctBindDnat(e, addr, r.ports && pkt.proto !== 'icmp' ? r.ports[0] : null);
        break;
      }
      case 'SNAT': {
        const r = parseRange(o['to-source']);
        ctBindSnat(this.world, ns, e, r.addr ?? e.orig.src, r.ports, random);
        this.log(ns, 'nat', `SNAT to ${r.addr}`, pkt);
        break;
      }
      case 'MASQUERADE': {
        if (!outLink) return false;
        const src = selectSource(ns, 4, outLink.ifindex, pkt.dst, 253);
        if (!src) return false;
        const r = o['to-ports'] ? parseRange(`:${o['to-ports']}`) : { ports: null };
        ctBindSnat(this.world, ns, e, src, r.ports, random);
        this.log(ns, 'nat', `MASQUERADE to ${src}`, pkt);
        break;
      }
    }
    return true;
  }

  /**
   * Rewrite a packet for its connection's NAT at a dst-manip point
   * (PREROUTING/OUTPUT) or a src-manip point (POSTROUTING/INPUT), as
   * nf_nat_packet does: original-direction packets get the DNAT at dst-manip
   * and the SNAT at src-manip; reply-direction packets the reverse. An ICMP
   * error about the connection has its outer header and the quoted packet
   * translated together.
   */
  private applyCtNat(pkt: Packet, ctx: PktCtx, manip: 'src' | 'dst'): void {
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

  private tupleOf(p: Packet): CtTuple {
    return { proto: p.proto as CtProto, src: p.src, dst: p.dst, sport: p.sport, dport: p.dport };
  }

  private isIcmpError(p: Packet): boolean {
    return p.proto === 'icmp' && (p.icmpType === ICMP_DEST_UNREACH || p.icmpType === ICMP_TIME_EXCEEDED) && p.inner !== null;
  }

  /** nf_conntrack_in: find or create the packet's connection. */
  private ctIn(ns: Netns, pkt: Packet, inIface: string | null): PktCtx | null {
    const orig = headerOf(pkt);
    if (this.isIcmpError(pkt)) {
      const inner = pkt.inner!;
      const it = invertTuple(this.tupleOf(inner));
      const hit = ctLookup(this.world, ns, it);
      if (hit) return { ct: hit.entry, dir: hit.dir, isNew: false, related: true, orig, inIface };
      return { ct: null, dir: 'orig', isNew: false, related: false, orig, inIface };
    }
    if (pkt.proto === 'icmp' && pkt.icmpType !== ICMP_ECHO && pkt.icmpType !== ICMP_ECHOREPLY) return { ct: null, dir: 'orig', isNew: false, related: false, orig, inIface };
    const t = this.tupleOf(pkt);
    const hit = ctLookup(this.world, ns, t);
    if (hit) {
      ctSeen(this.world, hit.entry, hit.dir, pkt.tcpFlags);
      return { ct: hit.entry, dir: hit.dir, isNew: false, related: false, orig, inIface };
    }
    if (pkt.proto === 'icmp' && pkt.icmpType === ICMP_ECHOREPLY) return { ct: null, dir: 'orig', isNew: false, related: false, orig, inIface };
    return { ct: ctNew(this.world, ns, t), dir: 'orig', isNew: true, related: false, orig, inIface };
  }

  private ctDone(ns: Netns, _pkt: Packet, ctx: PktCtx): void {
    if (ctx.ct && ctx.isNew) {
      ctConfirm(this.world, ns, ctx.ct);
      ctx.isNew = false;
    }
  }

  // ------------------------------------------------------------ ICMP errors

  /** icmp_send(): an error about `offending` (as it entered this namespace) back to its source. */
  private icmpError(ns: Netns, offending: Packet, type: number, code: number, nextHopMtu?: number): void {
    if (offending.proto === 'icmp' && offending.icmpType !== ICMP_ECHO && offending.icmpType !== ICMP_ECHOREPLY) return;
    const dst = offending.src;
    if (!dst || dst === '0.0.0.0') return;
    let src: string | null = null;
    if (isLocalAddress(ns, offending.dst)) src = offending.dst;
    else {
      try {
        src = routeGet(this.world, ns.id, dst).prefsrc;
      } catch {
        src = null;
      }
    }
    if (!src) return;
    const inner = headerOf(offending);
    const err = blankPacket({
      src,
      dst,
      proto: 'icmp',
      len: 28 + Math.min(offending.len, 548),
      icmpType: type,
      icmpCode: code,
      inner,
      ttl: this.defaultTtl(ns),
      ...(nextHopMtu !== undefined ? { nextHopMtu } : {}),
    });
    this.log(ns, 'icmp', `ICMP type ${type} code ${code} to ${dst}`, err);
    this.ipLocalOut(ns, err, {});
  }

  private reject(ns: Netns, pkt: Packet, ctx: PktCtx, how: string): void {
    if (how === 'tcp-reset') {
      if (pkt.proto !== 'tcp' || pkt.tcpFlags & TCP_RST) return;
      const rst = blankPacket({ src: ctx.orig.dst, dst: ctx.orig.src, proto: 'tcp', len: 40, sport: ctx.orig.dport, dport: ctx.orig.sport, tcpFlags: TCP_RST | TCP_ACK, flow: pkt.flow, ttl: this.defaultTtl(ns) });
      this.ipLocalOut(ns, rst, {});
      return;
    }
    const codes: Record<string, number> = {
      'icmp-net-unreachable': ICMP_NET_UNREACH,
      'icmp-host-unreachable': ICMP_HOST_UNREACH,
      'icmp-proto-unreachable': ICMP_PROT_UNREACH,
      'icmp-port-unreachable': ICMP_PORT_UNREACH,
      'icmp-net-prohibited': ICMP_NET_ANO,
      'icmp-host-prohibited': ICMP_HOST_ANO,
      'icmp-admin-prohibited': ICMP_PKT_FILTERED,
    };
    this.icmpError(ns, ctx.orig, ICMP_DEST_UNREACH, codes[how] ?? ICMP_PORT_UNREACH);
  }

  private defaultTtl(ns: Netns): number {
    return Number(sysctlValue(this.world, ns.id, 'net.ipv4.ip_default_ttl') ?? '64') || 64;
  }

  // ------------------------------------------------------------ output

  /**
   * ip_local_out for a packet a process of the namespace sends. Returns an
   * errno when the send fails at once (no route, a route that rejects, an
   * OUTPUT rule that drops: EPERM), else null.
   */
  ipLocalOut(ns: Netns, pkt: Packet, opts: { oif?: number | null; rt?: RouteResult }): Errno | null {
    let rt = opts.rt;
    if (!rt) {
      try {
        rt = routeGet(this.world, ns.id, pkt.dst, { oif: opts.oif ?? null, src: pkt.src || null, mark: pkt.mark });
      } catch (e) {
        if (isKernelError(e)) return e.errno;
        throw e;
      }
    }
    if (!pkt.src) {
      if (!rt.prefsrc) return 'EADDRNOTAVAIL';
      pkt.src = rt.prefsrc;
    }
    // ip_options_build(): the sender records its source address
    recordRoute(pkt, pkt.src);
    const ctx = this.ctIn(ns, pkt, null);
    if (!ctx) return null;
    const outLink = linkByIndex(ns, rt.oif) ?? null;
    const outName = outLink?.name ?? null;
    const markBefore = pkt.mark;
    if (!this.hookChain(ns, 'OUTPUT', ['raw', 'mangle'], pkt, ctx, null, outName)) return 'EPERM';
    const before = pkt.dst;
    if (!this.natHook(ns, 'OUTPUT', pkt, ctx, null, outName, outLink)) return 'EPERM';
    this.applyCtNat(pkt, ctx, 'dst');
    // ip_route_me_harder(): a new destination (DNAT) or a new mark (mangle MARK, for fwmark rules) routes again;
    // the source address stays
    if (pkt.dst !== before || pkt.mark !== markBefore) {
      try {
        rt = routeGet(this.world, ns.id, pkt.dst, { mark: pkt.mark });
      } catch (e) {
        if (isKernelError(e)) return e.errno;
        throw e;
      }
    }
    const oLink = linkByIndex(ns, rt.oif) ?? null;
    const v = this.hookVerdict(ns, 'OUTPUT', ['filter', 'security'], pkt, ctx, null, oLink?.name ?? null);
    if (v !== 'ACCEPT') {
      if (v.startsWith('REJECT:')) this.reject(ns, pkt, ctx, v.slice(7));
      return 'EPERM';
    }
    this.postRouting(ns, pkt, ctx, rt, oLink);
    return null;
  }

  private postRouting(ns: Netns, pkt: Packet, ctx: PktCtx, rt: RouteResult, outLink: Link | null): void {
    const outName = outLink?.name ?? null;
    if (!this.hookChain(ns, 'POSTROUTING', ['mangle'], pkt, ctx, ctx.inIface, outName)) return;
    if (!this.natHook(ns, 'POSTROUTING', pkt, ctx, ctx.inIface, outName, outLink)) return;
    this.applyCtNat(pkt, ctx, 'src');
    this.ctDone(ns, pkt, ctx);
    if (!outLink) return;
    if (rt.type === 'broadcast' && outLink.kind !== 'loopback') {
      // a directed broadcast: every host of the link gets the frame, no ARP;
      // ip_mc_output loops a copy back to this host (dev_loopback_xmit), as
      // if it had come in on the same device
      this.log(ns, 'tx', `tx ${outLink.name}`, pkt, outLink.name);
      const copy: Packet = { ...pkt };
      linkXmit(this, ns, outLink, { src: outLink.mac, dst: BROADCAST_MAC, ip: pkt });
      if (outLink.adminUp) {
        const nsId = ns.id;
        const ifindex = outLink.ifindex;
        this.after(this.stackDelay(), () => {
          const n = this.world.state.namespaces[nsId];
          const l = n ? linkByIndex(n, ifindex) : undefined;
          if (n && l) this.ipRcv(n, l, copy, l.mac);
        });
      }
      return;
    }
    const nexthop = rt.type === 'local' ? pkt.dst : (rt.gateway ?? pkt.dst);
    this.neighOutput(ns, outLink, nexthop, pkt, ctx.orig);
  }

  /** neigh_output: send to the next hop's MAC, resolving it first (ARP) when needed. */
  private neighOutput(ns: Netns, link: Link, nexthop: string, pkt: Packet, orig: Packet): void {
    this.log(ns, 'tx', `tx ${link.name}`, pkt, link.name);
    if (link.kind === 'loopback') {
      linkXmit(this, ns, link, { src: link.mac, dst: link.mac, ip: pkt });
      return;
    }
    if (!link.adminUp) {
      link.stats.txDropped++;
      return;
    }
    if (nexthop === '255.255.255.255' || isLocalAddress(ns, nexthop)) {
      // to ourselves through a device: the kernel loops it back
      const lo = ns.links.find((l) => l.kind === 'loopback');
      if (lo) linkXmit(this, ns, lo, { src: lo.mac, dst: lo.mac, ip: pkt });
      return;
    }
    const n = neighStartResolve(this.world, ns.id, link.ifindex, nexthop);
    if (n.lladdr && n.state !== 'INCOMPLETE' && n.state !== 'FAILED') {
      linkXmit(this, ns, link, { src: link.mac, dst: n.lladdr, ip: pkt });
      return;
    }
    const key = `${ns.id}|${link.ifindex}|${nexthop}`;
    let p = this.pending.get(key);
    if (!p) {
      p = { pkts: [], probes: 0 };
      this.pending.set(key, p);
      this.arpProbe(ns.id, link.ifindex, nexthop);
    }
    // arp_queue: unres_qlen_bytes (212992) worth of packets
    if (p.pkts.length < 100) p.pkts.push({ pkt, orig });
  }

  private arpProbe(nsId: NsId, ifindex: number, ip: string): void {
    const key = `${nsId}|${ifindex}|${ip}`;
    const p = this.pending.get(key);
    const ns = this.world.state.namespaces[nsId];
    if (!p || !ns) return;
    const link = linkByIndex(ns, ifindex);
    if (!link) {
      this.pending.delete(key);
      return;
    }
    if (p.probes >= 3) {
      // resolution failed: neigh_invalidate -> arp_error_report for every queued packet
      this.pending.delete(key);
      this.log(ns, 'arp', `ARP for ${ip} failed`);
      for (const q of p.pkts) this.icmpError(ns, q.orig, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH);
      return;
    }
    p.probes++;
    const src = selectSource(ns, 4, ifindex, ip) ?? '0.0.0.0';
    this.log(ns, 'arp', `who-has ${ip} tell ${src}`, undefined, link.name);
    linkXmit(this, ns, link, { src: link.mac, dst: BROADCAST_MAC, arp: { op: 1, sha: link.mac, spa: src, tha: '00:00:00:00:00:00', tpa: ip } });
    this.after(1000, () => this.arpProbe(nsId, ifindex, ip));
  }

  private arpRcv(ns: Netns, link: Link, frame: Frame): void {
    const a = frame.arp!;
    if (a.op === 1) {
      if (a.tpa === a.spa || !isLocalAddress(ns, a.tpa)) return;
      // arp_ignore=0: any local address is answered, with this link's MAC
      if (a.spa !== '0.0.0.0') neighLearn(this.world, ns.id, link.ifindex, a.spa, a.sha);
      const reply: Frame = { src: link.mac, dst: a.sha, arp: { op: 2, sha: link.mac, spa: a.tpa, tha: a.sha, tpa: a.spa } };
      this.after(this.stackDelay(), () => linkXmit(this, ns, link, reply));
      return;
    }
    if (!neighConfirm(this.world, ns.id, link.ifindex, a.spa, a.sha)) return;
    const key = `${ns.id}|${link.ifindex}|${a.spa}`;
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    for (const q of p.pkts) linkXmit(this, ns, link, { src: link.mac, dst: a.sha, ip: q.pkt });
  }

  // ------------------------------------------------------------ input

  private ipRcv(ns: Netns, link: Link, pkt: Packet, srcMac: string | null = null, physIn: Link | null = null): void {
    const ctx = this.ctIn(ns, pkt, link.name);
    if (!ctx) return;
    ctx.srcMac = srcMac;
    if (!this.hookChain(ns, 'PREROUTING', ['raw', 'mangle'], pkt, ctx, link.name, null)) return;
    if (!this.natHook(ns, 'PREROUTING', pkt, ctx, link.name, null, null)) return;
    const dstBefore = pkt.dst;
    this.applyCtNat(pkt, ctx, 'dst');
    let rt: RouteResult;
    try {
      rt = routeGet(this.world, ns.id, pkt.dst, { iif: link.ifindex, mark: pkt.mark });
    } catch (e) {
      if (!isKernelError(e)) throw e;
      if (!ipv4ForwardingOn(this.world, ns.id, link.name) || e.errno === 'EINVAL') return;
      const code = e.errno === 'EHOSTUNREACH' ? ICMP_HOST_UNREACH : e.errno === 'EACCES' ? ICMP_PKT_FILTERED : ICMP_NET_UNREACH;
      this.icmpError(ns, ctx.orig, ICMP_DEST_UNREACH, code);
      return;
    }
    // ip_route_input: local and broadcast destinations are delivered here
    if (rt.type === 'local' || rt.type === 'broadcast' || pkt.dst === '255.255.255.255') {
      this.localDeliver(ns, link, pkt, ctx);
      return;
    }
    if (!ipv4ForwardingOn(this.world, ns.id, link.name)) {
      this.log(ns, 'drop', 'forwarding disabled', pkt);
      return;
    }
    if (physIn && pkt.dst !== dstBefore && this.bridgedDnatToIngress(ns, link, physIn, rt, pkt)) return;
    // br_nf_pre_routing_finish(): a frame that came in by a bridge, whose destination NAT (a DNAT, or the
    // reverse of a MASQUERADE) now leads out of the same bridge, is bridged on (bridged_dnat), not routed:
    // its TTL is not decremented.
    const bridged = !!physIn && pkt.dst !== dstBefore && link.kind === 'bridge' && rt.oif === link.ifindex && sysctlValue(this.world, ns.id, 'net.bridge.bridge-nf-call-iptables') === '1';
    this.forward(ns, link, pkt, ctx, rt, bridged);
  }

  /**
   * br_netfilter (br_nf_pre_routing_finish): a frame that came in by a bridge
   * port and was DNATed to a destination behind the same bridge is bridged,
   * not routed (bridged_dnat), to the port of the neighbour's MAC. When that
   * is the port it came in by, the bridge does not send it back (no hairpin
   * mode): the packet is lost before POSTROUTING and its conntrack entry is
   * never confirmed (a pod reaching itself through its own service).
   */
  private bridgedDnatToIngress(ns: Netns, br: Link, physIn: Link, rt: RouteResult, pkt: Packet): boolean {
    if (br.kind !== 'bridge' || rt.oif !== br.ifindex) return false;
    if (sysctlValue(this.world, ns.id, 'net.bridge.bridge-nf-call-iptables') !== '1') return false;
    const hop = rt.gateway ?? pkt.dst;
    const n = neighFind(ns, br.ifindex, hop);
    if (!n?.lladdr) return false;
    if (fdbLookup(this.world, ns, br, n.lladdr) !== physIn.ifindex) return false;
    this.log(ns, 'drop', `bridged DNAT back to ingress port ${physIn.name} (hairpin off)`, pkt);
    return true;
  }

  private forward(ns: Netns, inLink: Link, pkt: Packet, ctx: PktCtx, rt: RouteResult, bridged = false): void {
    if (!bridged && pkt.ttl <= 1) {
      this.icmpError(ns, ctx.orig, ICMP_TIME_EXCEEDED, 0);
      return;
    }
    const outLink = linkByIndex(ns, rt.oif) ?? null;
    // ip_forward(): too big for the next link with DF set: "frag needed" with its MTU, before the FORWARD hook
    if (pkt.df && outLink && pkt.len > outLink.mtu) {
      this.icmpError(ns, ctx.orig, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, outLink.mtu);
      return;
    }
    const v = this.hookVerdict(ns, 'FORWARD', ['mangle', 'filter', 'security'], pkt, ctx, inLink.name, outLink?.name ?? null);
    if (v !== 'ACCEPT') {
      if (v.startsWith('REJECT:')) this.reject(ns, pkt, ctx, v.slice(7));
      return;
    }
    if (!bridged) {
      pkt.ttl -= 1;
      // ip_forward_options(): a router records the source address of its outgoing route
      recordRoute(pkt, rt.prefsrc);
    }
    this.log(ns, 'forward', `forward ${inLink.name} -> ${outLink?.name ?? '?'}`, pkt);
    this.postRouting(ns, pkt, ctx, rt, outLink);
  }

  private localDeliver(ns: Netns, link: Link, pkt: Packet, ctx: PktCtx): void {
    // ip_options_compile() on receipt: the receiving host records the address the packet came to
    recordRoute(pkt, pkt.dst);
    if (!this.hookChain(ns, 'INPUT', ['mangle', 'filter', 'security'], pkt, ctx, link.name, null)) return;
    if (!this.natHook(ns, 'INPUT', pkt, ctx, link.name, null, null)) return;
    this.applyCtNat(pkt, ctx, 'src');
    this.ctDone(ns, pkt, ctx);
    this.log(ns, 'deliver', `deliver ${pkt.proto}`, pkt);
    switch (pkt.proto) {
      case 'icmp':
        this.icmpRcv(ns, link, pkt, ctx);
        return;
      case 'udp':
        this.udpRcv(ns, pkt, ctx);
        return;
      case 'tcp':
        this.tcpRcv(ns, pkt, ctx);
        return;
    }
  }

  private icmpRcv(ns: Netns, link: Link, pkt: Packet, ctx: PktCtx): void {
    const now = this.now();
    if (pkt.icmpType === ICMP_ECHO) {
      if (sysctlValue(this.world, ns.id, 'net.ipv4.icmp_echo_ignore_all') === '1') return;
      // icmp_echo(): an echo to a broadcast or multicast address is ignored
      // unless icmp_echo_ignore_broadcasts is 0; the answer then comes from
      // this host's address on the link (fib_compute_spec_dst)
      const bcast = this.isBroadcastDst(ns, pkt.dst) || isMulticastIp(pkt.dst, 4);
      if (bcast && sysctlValue(this.world, ns.id, 'net.ipv4.icmp_echo_ignore_broadcasts') !== '0') return;
      let src = pkt.dst;
      if (bcast) {
        const mine = ns.addrs.filter((a) => a.family === 4 && a.ifindex === link.ifindex && !a.secondary);
        const same = mine.find((a) => prefixContains(a.local, a.prefixlen, pkt.src, 4)) ?? mine[0];
        if (!same) return;
        src = same.local;
      }
      const reply = blankPacket({
        src,
        dst: pkt.src,
        proto: 'icmp',
        len: pkt.len,
        icmpType: ICMP_ECHOREPLY,
        sport: pkt.sport,
        dport: pkt.dport,
        icmpSeq: pkt.icmpSeq,
        ttl: this.defaultTtl(ns),
        flow: pkt.flow,
        // ip_options_echo(): the reply carries the route recorded so far
        ...(pkt.rr ? { rr: [...pkt.rr] } : {}),
      });
      this.after(this.stackDelay(), () => this.ipLocalOut(ns, reply, {}));
      return;
    }
    if (pkt.icmpType === ICMP_ECHOREPLY) {
      const h = this.icmpSocks.get(`${ns.id}|${pkt.sport}`);
      h?.({ kind: 'echo-reply', t: now, from: pkt.src, ttl: pkt.ttl, seq: pkt.icmpSeq, len: pkt.len - 20 - (pkt.rr ? 40 : 0), ...(pkt.rr ? { rr: [...pkt.rr] } : {}) });
      return;
    }
    if (!pkt.inner) return;
    const inner = pkt.inner;
    const ev: SockEvent = { kind: 'icmp-error', t: now, from: pkt.src, type: pkt.icmpType, code: pkt.icmpCode, inner, ttl: pkt.ttl, ...(pkt.nextHopMtu !== undefined ? { mtu: pkt.nextHopMtu } : {}) };
    if (pkt.icmpType === ICMP_DEST_UNREACH && pkt.icmpCode === ICMP_FRAG_NEEDED && pkt.nextHopMtu && pkt.nextHopMtu >= 552) {
      // ipv4_update_pmtu(): a nexthop exception for the destination, expiring after mtu_expires
      const list = (ns.pmtu ??= []);
      const old = list.find((x) => x.dst === inner.dst);
      const expires = now + PMTU_EXPIRES_MS;
      if (old) Object.assign(old, { mtu: pkt.nextHopMtu, expires });
      else list.push({ dst: inner.dst, mtu: pkt.nextHopMtu, expires });
    }
    if (inner.proto === 'icmp') this.icmpSocks.get(`${ns.id}|${inner.sport}`)?.(ev);
    else if (inner.proto === 'udp') this.udpSocks.get(`${ns.id}|${inner.sport}`)?.(ev);
    else this.tcpSocks.get(`${ns.id}|${inner.sport}`)?.(ev);
    void ctx;
  }

  private udpRcv(ns: Netns, pkt: Packet, ctx: PktCtx): void {
    const h = this.udpSocks.get(`${ns.id}|${pkt.dport}`);
    if (h) {
      h({ kind: 'udp', t: this.now(), from: pkt.src, sport: pkt.sport, data: pkt.data, len: pkt.len - 28 });
      return;
    }
    const sock = findListener(this.world, ns.id, 'udp', pkt.dst, pkt.dport);
    if (!sock) {
      // no port unreachable for a broadcast or multicast
      if (!this.isBroadcastDst(ns, pkt.dst) && !isMulticastIp(pkt.dst, 4)) this.icmpError(ns, ctx.orig, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH);
      return;
    }
    const proc = processOf(this.world, ns, sock);
    const svc = proc?.role ? udpServices.get(serviceKey(proc.role)) : undefined;
    if (!proc || !svc) return;
    const reply = svc(this.world, ns.id, proc, sock, { src: pkt.src, sport: pkt.sport, dst: pkt.dst, dport: pkt.dport, data: pkt.data, len: pkt.len - 28 });
    if (!reply) return;
    const out = blankPacket({ src: pkt.dst, dst: pkt.src, proto: 'udp', sport: pkt.dport, dport: pkt.sport, len: 28 + reply.len, data: reply.data, ttl: this.defaultTtl(ns) });
    this.after(this.stackDelay() * 4, () => this.ipLocalOut(ns, out, {}));
  }

  // ------------------------------------------------------------ TCP

  /** 255.255.255.255 or a broadcast address of the namespace (a broadcast route of the local table). */
  private isBroadcastDst(ns: Netns, addr: string): boolean {
    if (addr === '255.255.255.255') return true;
    return ns.routes.some((r) => r.family === 4 && r.table === 255 && r.type === 'broadcast' && r.dst === addr);
  }

  private tcpRcv(ns: Netns, pkt: Packet, ctx: PktCtx): void {
    // tcp_v4_rcv: only packets for this host (PACKET_HOST) to a unicast address
    if (this.isBroadcastDst(ns, pkt.dst) || isMulticastIp(pkt.dst, 4)) return;
    const h = this.tcpSocks.get(`${ns.id}|${pkt.dport}`);
    if (h && !(pkt.tcpFlags & TCP_SYN && !(pkt.tcpFlags & TCP_ACK))) {
      h({ kind: 'tcp', t: this.now(), pkt });
      return;
    }
    const reply = (flags: number, len: number, data: unknown = null): Packet =>
      blankPacket({ src: pkt.dst, dst: pkt.src, proto: 'tcp', sport: pkt.dport, dport: pkt.sport, tcpFlags: flags, len, data, flow: pkt.flow, ttl: this.defaultTtl(ns) });
    const server = this.tcpServer.get(pkt.flow);
    if (pkt.tcpFlags & TCP_SYN && !(pkt.tcpFlags & TCP_ACK)) {
      const listener = findListener(this.world, ns.id, 'tcp', pkt.dst, pkt.dport);
      if (!listener) {
        this.after(this.stackDelay(), () => this.ipLocalOut(ns, reply(TCP_RST | TCP_ACK, 40), {}));
        return;
      }
      this.tcpServer.set(pkt.flow, { ns: ns.id, listenerId: listener.id, client: this.flows.get(pkt.flow) ?? null, sock: null });
      this.after(this.stackDelay(), () => this.ipLocalOut(ns, reply(TCP_SYN | TCP_ACK, 60), {}));
      return;
    }
    if (!server || server.ns !== ns.id) {
      if (!(pkt.tcpFlags & TCP_RST)) this.after(this.stackDelay(), () => this.ipLocalOut(ns, reply(TCP_RST, 40), {}));
      return;
    }
    if (pkt.tcpFlags & TCP_RST) {
      this.tcpServer.delete(pkt.flow);
      return;
    }
    if (!server.sock && pkt.tcpFlags & TCP_ACK) {
      // the handshake's last ACK: the connection is accepted
      const c = server.client;
      try {
        if (c) {
          const pair = establish(
            this.world,
            { ns: c.ns, pid: c.pid, localAddr: c.local, localPort: c.lport, remoteAddr: c.remote, remotePort: c.rport },
            { ns: ns.id, listenerId: server.listenerId, localAddr: pkt.dst, localPort: pkt.dport, remoteAddr: pkt.src, remotePort: pkt.sport },
          );
          server.sock = pair.server;
          c.sock = pair.client;
        }
      } catch (e) {
        if (!isKernelError(e)) throw e;
        this.after(this.stackDelay(), () => this.ipLocalOut(ns, reply(TCP_RST, 40), {}));
        this.tcpServer.delete(pkt.flow);
        return;
      }
    }
    const dataLen = pkt.len - 52;
    if (dataLen > 0 && server.sock) {
      const proc = processOf(this.world, ns, server.sock);
      const svc = proc?.role ? tcpServices.get(serviceKey(proc.role)) : undefined;
      const ack = reply(TCP_ACK, 52);
      this.after(this.stackDelay(), () => this.ipLocalOut(ns, ack, {}));
      if (proc && svc) {
        const res = svc(this.world, ns.id, proc, server.sock, { src: pkt.src, sport: pkt.sport, dst: pkt.dst, dport: pkt.dport, data: pkt.data, len: dataLen });
        if (res) {
          const out = reply(TCP_ACK | TCP_PSH, 52 + res.len, res.data);
          this.after(this.stackDelay() * 4, () => this.ipLocalOut(ns, out, {}));
        }
      }
    }
    if (pkt.tcpFlags & TCP_FIN) {
      const sock = server.sock;
      const owner = sock ? processOf(this.world, ns, sock) : null;
      if (sock && owner && !(owner.role && tcpServices.has(serviceKey(owner.role)))) {
        // a plain daemon keeps the connection open: the FIN is acknowledged, the socket waits in CLOSE_WAIT
        // (and the client's in FIN_WAIT2): no FIN comes back
        sock.state = 'CLOSE_WAIT';
        this.after(this.stackDelay(), () => this.ipLocalOut(ns, reply(TCP_ACK, 52), {}));
        this.tcpServer.delete(pkt.flow);
        return;
      }
      // the peer closed: acknowledge and close our side too
      this.after(this.stackDelay(), () => {
        if (sock) {
          try {
            closeSocket(this.world, ns.id, sock.id);
          } catch (e) {
            if (!isKernelError(e)) throw e;
          }
        }
        this.ipLocalOut(ns, reply(TCP_FIN | TCP_ACK, 52), {});
      });
      this.tcpServer.delete(pkt.flow);
    }
  }

  /** Register a client connection so that the server side can create both sockets when the handshake completes. */
  registerFlow(info: TcpClientInfo): number {
    const flow = flowSeq++;
    this.flows.set(flow, info);
    return flow;
  }

  // ------------------------------------------------------------ neighbour probes without traffic

  /** Who answers an ARP probe for `ip` on (ns, ifindex): the MAC, or null. */
  probe(nsId: NsId, ifindex: number, ip: string): string | null {
    const ns = this.world.state.namespaces[nsId];
    const link = ns ? linkByIndex(ns, ifindex) : undefined;
    if (!ns || !link || !link.adminUp) return null;
    for (const o of l2Neighbours(this.world, ns, link)) if (isLocalAddress(o.ns, ip)) return o.link.mac;
    return null;
  }
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

// links coming up announce their MAC (IPv6 DAD/MLD frames): bridges learn it
onAddrconfUp((world, ns, link) => l2Announce(world, ns, link));

// the neighbour subsystem's PROBE state asks the topology who answers
setNeighResponder((world, nsId, ifindex, dst) => new Engine(world).probe(nsId, ifindex, dst));

// ---------------------------------------------------------------- client helpers

/** A new packet from a process in `ns` (source chosen by routing when empty). */
export function makePacket(p: Partial<Packet> & Pick<Packet, 'dst' | 'proto' | 'len'>): Packet {
  return blankPacket({ src: '', ...p });
}

/** The route a process's packet to `dst` would take (errors as KernelError errnos). */
export function routeFor(world: World, nsId: NsId, dst: string, oif: number | null = null): RouteResult | Errno {
  try {
    return routeGet(world, nsId, dst, { oif });
  } catch (e) {
    if (isKernelError(e)) return e.errno;
    throw e;
  }
}

export interface UdpExchangeOptions {
  dst: string;
  dport: number;
  data: unknown;
  /** payload length in bytes */
  len: number;
  src?: string;
  sport?: number;
  /** how long to wait for the answer (ms) */
  timeoutMs: number;
  ttl?: number;
}

export type UdpExchangeResult =
  | { kind: 'reply'; from: string; sport: number; data: unknown; len: number; rtt: number }
  | { kind: 'refused'; from: string; rtt: number }
  | { kind: 'unreachable'; from: string; code: number; rtt: number }
  | { kind: 'timeout' }
  | { kind: 'error'; errno: Errno };

/**
 * Send one UDP datagram from a process in `nsId` and wait for the answer
 * (a datagram back to the source port, or an ICMP error), up to the
 * timeout. The world's clock advances to the answer (or the timeout).
 * What the DNS resolver and dig use for each query.
 */
export function udpExchange(world: World, nsId: NsId, o: UdpExchangeOptions): UdpExchangeResult {
  const eng = new Engine(world);
  const ns = world.ns(nsId);
  const sport = o.sport ?? allocEphemeralPort(world, nsId, 'odd', (p) => !ns.sockets.some((s) => s.proto === 'udp' && s.localPort === p));
  const start = world.now();
  let result: UdpExchangeResult | null = null;
  eng.openUdp(nsId, sport, (ev) => {
    if (result) return;
    if (ev.kind === 'udp') result = { kind: 'reply', from: ev.from, sport: ev.sport, data: ev.data, len: ev.len, rtt: ev.t - start };
    else if (ev.kind === 'icmp-error') {
      if (ev.type === ICMP_DEST_UNREACH && ev.code === ICMP_PORT_UNREACH) result = { kind: 'refused', from: ev.from, rtt: ev.t - start };
      else result = { kind: 'unreachable', from: ev.from, code: ev.code, rtt: ev.t - start };
    }
  });
  const pkt = makePacket({ src: o.src ?? '', dst: o.dst, proto: 'udp', sport, dport: o.dport, len: 28 + o.len, data: o.data, ttl: o.ttl ?? 64 });
  const err = eng.ipLocalOut(ns, pkt, {});
  if (err) return { kind: 'error', errno: err };
  eng.runWhile(start + o.timeoutMs, () => result === null);
  return result ?? { kind: 'timeout' };
}

export type TcpConnectResult =
  | { kind: 'connected'; rtt: number; local: string; lport: number; client: Socket | null; close: () => void; request: (data: unknown, len: number, timeoutMs: number) => TcpRequestResult }
  | { kind: 'refused'; rtt: number }
  | { kind: 'unreachable'; from: string; type: number; code: number; rtt: number }
  | { kind: 'timeout' }
  | { kind: 'error'; errno: Errno };

export type TcpRequestResult = { kind: 'response'; data: unknown; len: number; rtt: number } | { kind: 'timeout' } | { kind: 'reset' };

/**
 * connect() from a process (pid) in `nsId` to dst:dport: the SYN
 * (retransmitted at 1 s, 3 s, 7 s...) until a SYN-ACK, an RST or an ICMP
 * error comes back, or `timeoutMs` passes. On success both ends' sockets
 * exist (sockets.ts) and `request()` / `close()` carry on the connection.
 */
export function tcpConnect(world: World, nsId: NsId, pid: number | null, dst: string, dport: number, timeoutMs: number, opts: { src?: string; sport?: number } = {}): TcpConnectResult {
  const eng = new Engine(world);
  const ns = world.ns(nsId);
  const rt = routeFor(world, nsId, dst);
  if (typeof rt === 'string') return { kind: 'error', errno: rt };
  const local = opts.src ?? rt.prefsrc ?? '';
  if (!local) return { kind: 'error', errno: 'EADDRNOTAVAIL' };
  const lport = opts.sport ?? allocEphemeralPort(world, nsId, 'even', (p) => !ns.sockets.some((s) => s.proto === 'tcp' && s.localPort === p));
  const info: TcpClientInfo = { ns: nsId, pid, local, lport, remote: dst, rport: dport, sock: null };
  const flow = eng.registerFlow(info);
  const start = world.now();
  let state = 'syn' as 'syn' | 'est' | 'refused' | 'unreach' | 'closed';
  const st = (): typeof state => state;
  let unreach: { from: string; type: number; code: number; t: number } | null = null;
  let rtt = 0;
  let response: TcpRequestResult | null = null;
  let reqStart = 0;
  const send = (flags: number, len: number, data: unknown = null): Errno | null =>
    eng.ipLocalOut(ns, makePacket({ src: local, dst, proto: 'tcp', sport: lport, dport, tcpFlags: flags, len, data, flow }), {});
  eng.openTcp(nsId, lport, (ev) => {
    if (ev.kind === 'icmp-error') {
      if (state === 'syn') {
        unreach = { from: ev.from, type: ev.type, code: ev.code, t: ev.t };
        state = 'unreach';
      }
      return;
    }
    if (ev.kind !== 'tcp') return;
    const p = ev.pkt;
    if (p.tcpFlags & TCP_RST) {
      if (state === 'syn') {
        state = 'refused';
        rtt = ev.t - start;
      } else {
        state = 'closed';
        if (!response) response = { kind: 'reset' };
      }
      return;
    }
    if (state === 'syn' && p.tcpFlags & TCP_SYN && p.tcpFlags & TCP_ACK) {
      state = 'est';
      rtt = ev.t - start;
      send(TCP_ACK, 52);
      return;
    }
    if (state === 'est' && p.len > 52 && !response) {
      response = { kind: 'response', data: p.data, len: p.len - 52, rtt: ev.t - reqStart };
      send(TCP_ACK, 52);
    }
    if (p.tcpFlags & TCP_FIN && state !== 'closed') {
      state = 'closed';
      send(TCP_ACK, 52);
    }
  });
  const err = send(TCP_SYN, 60);
  if (err) return { kind: 'error', errno: err };
  // SYN retransmissions: 1 s, then doubling
  let rto = 1000;
  let next = start + rto;
  const deadline = start + timeoutMs;
  while (state === 'syn') {
    const until = Math.min(next, deadline);
    eng.runWhile(until, () => state === 'syn');
    if (state !== 'syn' || world.now() >= deadline) break;
    send(TCP_SYN, 60);
    rto *= 2;
    next = world.now() + rto;
  }
  if (st() === 'refused') return { kind: 'refused', rtt };
  if (st() === 'unreach' && unreach) {
    const u = unreach as { from: string; type: number; code: number; t: number };
    return { kind: 'unreachable', from: u.from, type: u.type, code: u.code, rtt: u.t - start };
  }
  if (st() !== 'est') return { kind: 'timeout' };
  // let the handshake's ACK reach the server (the clock moves only as far as the
  // events go: a handshake on a LAN takes microseconds, `host -T` prints "in 0 ms")
  const ackBy = world.now() + 1;
  eng.runWhile(ackBy, () => (eng.nextEventTime() ?? Infinity) <= ackBy);
  return {
    kind: 'connected',
    rtt,
    local,
    lport,
    client: info.sock,
    request: (data, len, t) => {
      response = null;
      reqStart = world.now();
      send(TCP_ACK | TCP_PSH, 52 + len, data);
      eng.runWhile(reqStart + t, () => response === null);
      return response ?? { kind: 'timeout' };
    },
    close: () => {
      if (info.sock) {
        try {
          closeSocket(world, nsId, info.sock.id);
        } catch (e) {
          if (!isKernelError(e)) throw e;
        }
      }
      if (state === 'est') {
        send(TCP_FIN | TCP_ACK, 52);
        eng.runWhile(world.now() + 200, () => state !== 'closed');
      }
      eng.closeTcp(nsId, lport);
    },
  };
}

/** Is this tuple the one an entry expects? (exported for tests) */
export function tupleMatches(t: CtTuple, e: ConntrackEntry): CtDir | null {
  if (sameTuple(t, e.orig, e.protocol)) return 'orig';
  if (sameTuple(t, e.reply, e.protocol)) return 'reply';
  return null;
}

export { copyPacket };

// ---------------------------------------------------------------- DNS over the engine

function dnsAnswer(world: World, nsId: NsId, proc: Process, dst: string, data: unknown): { data: unknown; len: number } | null {
  const cfg = proc.role && proc.role.kind === 'dns' ? proc.role.config : null;
  if (!cfg) return null;
  const listen = (cfg as { listen?: string[] }).listen;
  if (listen?.length && !listen.includes(dst) && !(dst.startsWith('127.') && listen.some((a) => a.startsWith('127.')))) return null;
  const q = data as DnsMessage;
  if (!q || typeof q !== 'object' || !Array.isArray(q.question)) return null;
  const reply = answerQuery(world, proc, q, (upstream, uq) => {
    const r = udpExchange(world, nsId, { dst: upstream, dport: 53, data: uq, len: messageSize(uq), timeoutMs: 5000 });
    return r.kind === 'reply' ? (r.data as DnsMessage) : null;
  });
  if (!reply) return null;
  return { data: reply, len: messageSize(reply, cfg.flavour !== 'dnsmasq') };
}

registerUdpService('dns', (world, nsId, proc, _sock, req) => dnsAnswer(world, nsId, proc, req.dst, req.data));
registerTcpService('dns', (world, nsId, proc, _sock, req) => dnsAnswer(world, nsId, proc, req.dst, req.data));

/**
 * The resolver's transport: each query is a UDP datagram (or a TCP
 * exchange) through the engine, so routes, ARP, netfilter and counters all
 * apply. The resolver advances the clock itself by the outcome, so the
 * clock is set back to the start once the exchange has run.
 */
export const engineDnsTransport: DnsTransport = {
  send(world, fromNs, server, port, query, o) {
    const start = world.now();
    const rewind = (): number => {
      const spent = world.now() - start;
      world.state.clock = start;
      return spent;
    };
    const len = messageSize(query);
    if (o.tcp) {
      const c = tcpConnect(world, fromNs, null, server, port, o.timeoutMs);
      if (c.kind === 'error') {
        rewind();
        return { kind: 'error', errno: c.errno };
      }
      if (c.kind === 'refused') {
        rewind();
        return { kind: 'refused' };
      }
      if (c.kind !== 'connected') {
        rewind();
        return c.kind === 'unreachable' ? { kind: 'error', errno: icmpErrno(c.type, c.code) } : { kind: 'timeout' };
      }
      const r = c.request(query, len + 2, Math.max(1, start + o.timeoutMs - world.now()));
      c.close();
      const spent = rewind();
      if (r.kind === 'response') return { kind: 'reply', msg: r.data as DnsMessage, rttMs: spent };
      return { kind: 'timeout' };
    }
    const r = udpExchange(world, fromNs, { dst: server, dport: port, data: query, len, timeoutMs: o.timeoutMs });
    const spent = rewind();
    switch (r.kind) {
      case 'reply':
        return { kind: 'reply', msg: r.data as DnsMessage, rttMs: spent };
      case 'refused':
        return { kind: 'refused' };
      case 'unreachable':
        return { kind: 'error', errno: icmpErrno(ICMP_DEST_UNREACH, r.code) };
      case 'error':
        return { kind: 'error', errno: r.errno };
      default:
        return { kind: 'timeout' };
    }
  },
};

/** The errno an ICMP error gives a connected socket (icmp_err_convert). */
export function icmpErrno(type: number, code: number): Errno {
  if (type === ICMP_TIME_EXCEEDED) return 'EHOSTUNREACH';
  if (type !== ICMP_DEST_UNREACH) return 'EHOSTUNREACH';
  // net/ipv4/icmp.c icmp_err_convert[]: the "prohibited" codes are
  // ENETUNREACH (net, 9) and EHOSTUNREACH (host 10, filtered 13), never EACCES
  // (that is a local prohibit route). Codes whose errno the model lacks
  // (ENOPROTOOPT, EMSGSIZE, EHOSTDOWN, ENONET) fall back to EHOSTUNREACH.
  switch (code) {
    case ICMP_NET_UNREACH:
    case 6: // ICMP_NET_UNKNOWN
    case ICMP_NET_ANO:
    case 11: // ICMP_NET_UNR_TOS
      return 'ENETUNREACH';
    case ICMP_PORT_UNREACH:
      return 'ECONNREFUSED';
    case 5: // ICMP_SR_FAILED
      return 'EOPNOTSUPP';
    default:
      return 'EHOSTUNREACH';
  }
}

setDnsTransport(engineDnsTransport);

/**
 * One ICMP echo from `nsId` to `dst`, waiting up to `timeoutMs`: the RTT
 * (ms) or null. For benchmarks, checkers and the topology view (the trace
 * of the exchange is returned when asked for).
 */
export function pingOnce(world: World, nsId: NsId, dst: string, timeoutMs = 1000, opts: { trace?: boolean } = {}): { rtt: number | null; trace: TraceEvent[] } {
  const eng = new Engine(world, { trace: opts.trace ?? false });
  const id = 1 + Math.floor(world.random() * 65534);
  const start = world.now();
  let rtt: number | null = null;
  eng.openIcmp(nsId, id, (ev) => {
    if (ev.kind === 'echo-reply' && rtt === null) rtt = ev.t - start;
  });
  const err = eng.ipLocalOut(world.ns(nsId), makePacket({ dst, proto: 'icmp', len: 84, icmpType: ICMP_ECHO, sport: id, dport: id, icmpSeq: 1 }), {});
  if (!err) eng.runWhile(start + timeoutMs, () => rtt === null);
  return { rtt, trace: eng.trace ?? [] };
}

