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
// registerUdpService() / registerTcpService() ('dns' and 'http', wired with
// the kernel's other late-bound hooks in boot.ts).
import { isKernelError, STRERROR, type Errno } from './errors';
import {
  sameTuple,
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_RST,
  TCP_SYN,
  type CtDir,
  type CtTuple,
} from './conntrack';
import { routeGet, type RouteResult } from './fib';
import { allocEphemeralPort, closeSocket } from './sockets';
import type { ConntrackEntry, NsId, Process, Socket } from './types';
import type { World } from './world';
import { answerQuery, messageSize, type DnsMessage, type ForwardFailure } from './dns';
import type { DnsTransport } from './resolver';

import {
  type Packet,
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_TIME_EXCEEDED,
  ICMP_NET_UNREACH,
  ICMP_PORT_UNREACH,
  ICMP_NET_ANO,
  blankPacket,
  ipHdrLen,
  registerUdpService,
  registerTcpService,
  type TraceEvent,
  type TcpClientInfo,
} from './packet-model';
import { Engine } from './engine';
export {
  type L4Proto,
  type Packet,
  PMTU_EXPIRES_MS,
  learnedPmtu,
  ICMP_ECHOREPLY,
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_TIME_EXCEEDED,
  ICMP_NET_UNREACH,
  ICMP_HOST_UNREACH,
  ICMP_PROT_UNREACH,
  ICMP_PORT_UNREACH,
  ICMP_FRAG_NEEDED,
  ICMP_NET_ANO,
  ICMP_HOST_ANO,
  ICMP_PKT_FILTERED,
  copyPacket,
  type UdpRequest,
  type UdpReply,
  type UdpService,
  type TcpRequest,
  type TcpService,
  registerUdpService,
  registerTcpService,
  registerTcpCloseHook,
  type TraceEvent,
  type SockEvent,
  type TcpClientInfo,
} from './packet-model';
export { Engine } from './engine';

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
  const pkt = makePacket({ src: o.src ?? '', dst: o.dst, proto: 'udp', sport, dport: o.dport, len: ipHdrLen({ dst: o.dst }) + 8 + o.len, data: o.data, ttl: o.ttl ?? 64 });
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

/** How long connect() holds a socket while its first SYN goes out (errors back within it are what the SYN's own transmission caused). */
const LOCK_HELD_MS = 1;

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
  // lengths are IPv4's; an IPv6 header is 20 bytes longer
  const extra = ipHdrLen({ dst }) - 20;
  const send = (flags: number, len: number, data: unknown = null): Errno | null =>
    eng.ipLocalOut(ns, makePacket({ src: local, dst, proto: 'tcp', sport: lport, dport, tcpFlags: flags, len: len + extra, data, flow }), {});
  eng.openTcp(nsId, lport, (ev) => {
    if (ev.kind === 'icmp-error') {
      // connect() still holds the socket while its first SYN is on its way: an ICMPv6 error that comes back at
      // once (a REJECT or a router's unreachable route on the path) finds it owned by the user and is dropped
      // (tcp_v6_err: LockDroppedIcmps); the SYN retransmitted at 1 s meets the error again and is refused
      // (captures: two SYNs counted by the REJECT rule, connect() refused after 1 s; IPv4's error counts)
      if (extra && ev.t - start < LOCK_HELD_MS) return;
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
    if (state === 'est' && p.len > 52 + extra && !response) {
      response = { kind: 'response', data: p.data, len: p.len - 52 - extra, rtt: ev.t - reqStart };
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
        // the ACK of the peer's FIN is on its way: let it arrive (routers' conntrack goes LAST_ACK -> TIME_WAIT)
        const ackBy = world.now() + 1;
        eng.runWhile(ackBy, () => (eng.nextEventTime() ?? Infinity) <= ackBy);
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


// ---------------------------------------------------------------- DNS over the engine

/**
 * Queries forwarded and not yet answered, world-wide: a server that
 * forwards to itself (directly or through others) nests one exchange per
 * hop. Past dnsmasq's dns-forward-max (150) no server takes one more: the
 * query is dropped (dnsmasq logs "Maximum number of concurrent DNS queries
 * reached (max: 150)"), every server of the loop waits in vain, and the
 * client times out, as fixture 83 shows on real Linux. (CoreDNS's loop
 * plugin refuses such a configuration when it starts: dns.ts startCoreDns.)
 */
export const DNS_FORWARD_MAX = 150;
let dnsForwardDepth = 0;

/**
 * A forwarding server's query to its upstream: one UDP exchange from a fresh port. An ICMP error other
 * than port unreachable (host or network unreachable) is not fatal to a UDP socket: the reader waits on
 * to its timeout. `failed` hears how an exchange without a reply ended, and from which address and port.
 */
function forwardOver(world: World, nsId: NsId, upstream: string, q: DnsMessage, timeoutMs: number, failed?: (f: ForwardFailure) => void): DnsMessage | null {
  const ns = world.ns(nsId);
  const sport = allocEphemeralPort(world, nsId, 'odd', (p) => !ns.sockets.some((s) => s.proto === 'udp' && s.localPort === p));
  const rt = routeFor(world, nsId, upstream);
  const local = typeof rt === 'string' ? '' : (rt.prefsrc ?? '');
  const start = world.now();
  const r = udpExchange(world, nsId, { dst: upstream, dport: 53, sport, data: q, len: messageSize(q), timeoutMs });
  if (r.kind === 'reply') return r.data as DnsMessage;
  if (r.kind === 'unreachable' && world.now() < start + timeoutMs) world.advance(start + timeoutMs - world.now());
  if (r.kind === 'error') failed?.({ kind: 'error', local, sport, text: STRERROR[r.errno].toLowerCase() });
  else failed?.({ kind: r.kind === 'refused' ? 'refused' : 'timeout', local, sport });
  return null;
}

export function dnsAnswer(world: World, nsId: NsId, proc: Process, dst: string, data: unknown): { data: unknown; len: number } | null {
  const cfg = proc.role && proc.role.kind === 'dns' ? proc.role.config : null;
  if (!cfg) return null;
  const listen = (cfg as { listen?: string[] }).listen;
  if (listen?.length && !listen.includes(dst) && !(dst.startsWith('127.') && listen.some((a) => a.startsWith('127.')))) return null;
  const q = data as DnsMessage;
  if (!q || typeof q !== 'object' || !Array.isArray(q.question)) return null;
  const reply = answerQuery(world, proc, q, (upstream, uq, fo) => {
    if (dnsForwardDepth >= DNS_FORWARD_MAX) return null;
    dnsForwardDepth++;
    try {
      return forwardOver(world, nsId, upstream, uq, fo?.timeoutMs ?? 5000, fo?.failed);
    } finally {
      dnsForwardDepth--;
    }
  }, dst);
  if (!reply) return null;
  return { data: reply, len: messageSize(reply, cfg.flavour !== 'dnsmasq') };
}

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
        return c.kind === 'unreachable' ? { kind: 'error', errno: icmpErrno(c.type, c.code, c.from.includes(':')) } : { kind: 'timeout' };
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
        return { kind: 'error', errno: r.from.includes(':') ? icmpErrno(1, r.code, true) : icmpErrno(ICMP_DEST_UNREACH, r.code) };
      case 'error':
        return { kind: 'error', errno: r.errno };
      default:
        return { kind: 'timeout' };
    }
  },
};

/** The errno an ICMP error gives a connected socket (icmp_err_convert). */
export function icmpErrno(type: number, code: number, v6 = false): Errno {
  // icmpv6_err_convert: no route ENETUNREACH, prohibited/policy/reject route EACCES, port ECONNREFUSED, else EHOSTUNREACH
  if (v6) return type !== 1 ? 'EHOSTUNREACH' : code === 0 ? 'ENETUNREACH' : code === 1 || code === 5 || code === 6 ? 'EACCES' : code === 4 ? 'ECONNREFUSED' : 'EHOSTUNREACH';
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
