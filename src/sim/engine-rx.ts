// Receive paths of the packet engine kept out of engine.ts: IPv6 neighbour
// discovery messages (ndisc.ts has the rules), ICMPv6 input, and TCP input
// (the server side of connections). Each takes the Engine whose run it is.
import { isKernelError } from './errors';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from './conntrack';
import { linkXmit, type Frame } from './l2';
import { neighConfirm, neighLearn, neighStartResolve } from './neighbour';
import { selectSource } from './fib';
import { closeSocket, establish, findListener } from './sockets';
import { sysctlValue } from './proc-sys';
import { isMulticastIp } from './ip';
import { ctHold } from './conntrack';
import type { Link, Netns } from './types';
import type { Engine } from './engine';
import { answersNs, hopLimit, isRouterOn, IPV6_MIN_MTU } from './ndisc';
import {
  type Packet, type PktCtx, type SockEvent, PMTU_EXPIRES_MS, blankPacket, ipHdrLen, processOf, serviceKey, tcpCloseHooks, tcpServices,
  ICMP6_ECHO_REQUEST, ICMP6_ECHO_REPLY, ICMP6_PKT_TOOBIG,
} from './packet-model';

/** ndisc_rcv: a Neighbour Solicitation (answered when the target is ours) or Advertisement (ndisc.ts). */
export function ndRcv(e: Engine, ns: Netns, link: Link, frame: Frame): void {
  const m = frame.nd!;
  if (m.op === 'ns') {
    if (!answersNs(e.world, ns, link, m.target)) return;
    const dad = m.src === '::';
    if (!dad && m.lladdr) {
      neighLearn(e.world, ns.id, link.ifindex, m.src, m.lladdr);
      // the advertisement leaves through the solicitor's entry: a fresh STALE one turns DELAY
      neighStartResolve(e.world, ns.id, link.ifindex, m.src);
    }
    const na: Frame = {
      src: link.mac,
      dst: dad ? '33:33:00:00:00:01' : (m.lladdr ?? frame.src),
      nd: { op: 'na', src: m.target, dst: dad ? 'ff02::1' : m.src, target: m.target, lladdr: link.mac, router: isRouterOn(e.world, ns, link), solicited: !dad },
    };
    e.after(e.stackDelay(), () => linkXmit(e, ns, link, na));
    return;
  }
  const mac = m.lladdr ?? frame.src;
  // ndisc_recv_na: an advertisement for one of our own addresses (even a tentative one) is not learnt
  if (ns.addrs.some((a) => a.family === 6 && a.local === m.target)) return;
  if (!neighConfirm(e.world, ns.id, link.ifindex, m.target, mac, m.router ?? false)) return;
  const key = `${ns.id}|${link.ifindex}|${m.target}`;
  const p = e.pending.get(key);
  if (!p) return;
  e.pending.delete(key);
  for (const q of p.pkts) ctHold(q.ct, 0), linkXmit(e, ns, link, { src: link.mac, dst: mac, ip: q.pkt });
}


/** icmpv6_rcv: echo requests answered, replies and errors to the sockets, Packet Too Big learnt. */
export function icmp6Rcv(e: Engine, ns: Netns, link: Link, pkt: Packet): void {
  const now = e.now();
  if (pkt.icmpType === ICMP6_ECHO_REQUEST) {
    if (sysctlValue(e.world, ns.id, 'net.ipv6.icmp.echo_ignore_all') === '1') return;
    const mcast = pkt.dst.startsWith('ff');
    if (mcast && sysctlValue(e.world, ns.id, 'net.ipv6.icmp.echo_ignore_multicast') === '1') return;
    const src = mcast ? selectSource(ns, 6, link.ifindex, pkt.src) : pkt.dst;
    if (!src) return;
    const reply = blankPacket({ src, dst: pkt.src, proto: 'icmp', len: pkt.len, icmpType: ICMP6_ECHO_REPLY, sport: pkt.sport, dport: pkt.dport, icmpSeq: pkt.icmpSeq, ttl: hopLimit(e.world, ns), flow: pkt.flow });
    e.after(e.stackDelay(), () => e.ipLocalOut(ns, reply, {}));
    return;
  }
  if (pkt.icmpType === ICMP6_ECHO_REPLY) {
    e.icmpSocks.get(`${ns.id}|${pkt.sport}`)?.({ kind: 'echo-reply', t: now, from: pkt.src, ttl: pkt.ttl, seq: pkt.icmpSeq, len: pkt.len - 40 });
    return;
  }
  if (!pkt.inner) return;
  const inner = pkt.inner;
  if (pkt.icmpType === ICMP6_PKT_TOOBIG && pkt.nextHopMtu) {
    // rt6_do_update_pmtu: an exception for the destination, never below 1280, expiring after mtu_expires
    const list = (ns.pmtu ??= []);
    const mtu = Math.max(IPV6_MIN_MTU, pkt.nextHopMtu);
    const old = list.find((x) => x.dst === inner.dst);
    if (old) Object.assign(old, { mtu, expires: now + PMTU_EXPIRES_MS });
    else list.push({ dst: inner.dst, mtu, expires: now + PMTU_EXPIRES_MS });
  }
  const ev: SockEvent = { kind: 'icmp-error', t: now, from: pkt.src, type: pkt.icmpType, code: pkt.icmpCode, inner, ttl: pkt.ttl, ...(pkt.nextHopMtu !== undefined ? { mtu: pkt.nextHopMtu } : {}) };
  if (inner.proto === 'icmp') e.icmpSocks.get(`${ns.id}|${inner.sport}`)?.(ev);
  else if (inner.proto === 'udp') e.udpSocks.get(`${ns.id}|${inner.sport}`)?.(ev);
  else e.tcpSocks.get(`${ns.id}|${inner.sport}`)?.(ev);
}


export function tcpRcv(e: Engine, ns: Netns, pkt: Packet, ctx: PktCtx): void {
  // tcp_v4_rcv: only packets for this host (PACKET_HOST) to a unicast address
  if (e.isBroadcastDst(ns, pkt.dst) || isMulticastIp(pkt.dst, 4)) return;
  const h = e.tcpSocks.get(`${ns.id}|${pkt.dport}`);
  if (h && !(pkt.tcpFlags & TCP_SYN && !(pkt.tcpFlags & TCP_ACK))) {
    h({ kind: 'tcp', t: e.now(), pkt });
    return;
  }
  // lengths below are IPv4's; an IPv6 header is 20 bytes longer
  const extra = ipHdrLen(pkt) - 20;
  const reply = (flags: number, len: number, data: unknown = null): Packet =>
    blankPacket({ src: pkt.dst, dst: pkt.src, proto: 'tcp', sport: pkt.dport, dport: pkt.sport, tcpFlags: flags, len: len + extra, data, flow: pkt.flow, ttl: e.defaultTtl(ns, extra > 0) });
  const server = e.tcpServer.get(pkt.flow);
  if (pkt.tcpFlags & TCP_SYN && !(pkt.tcpFlags & TCP_ACK)) {
    const listener = findListener(e.world, ns.id, 'tcp', pkt.dst, pkt.dport);
    if (!listener) {
      e.after(e.stackDelay(), () => e.ipLocalOut(ns, reply(TCP_RST | TCP_ACK, 40), {}));
      return;
    }
    e.tcpServer.set(pkt.flow, { ns: ns.id, listenerId: listener.id, client: e.flows.get(pkt.flow) ?? null, sock: null });
    e.after(e.stackDelay(), () => e.ipLocalOut(ns, reply(TCP_SYN | TCP_ACK, 60), {}));
    return;
  }
  if (!server || server.ns !== ns.id) {
    if (!(pkt.tcpFlags & TCP_RST)) e.after(e.stackDelay(), () => e.ipLocalOut(ns, reply(TCP_RST, 40), {}));
    return;
  }
  if (pkt.tcpFlags & TCP_RST) {
    e.tcpServer.delete(pkt.flow);
    return;
  }
  if (server.lastAck) {
    // LAST_ACK: the peer's ACK of our FIN ends the connection
    e.tcpServer.delete(pkt.flow);
    return;
  }
  if (!server.sock && pkt.tcpFlags & TCP_ACK) {
    // the handshake's last ACK: the connection is accepted
    const c = server.client;
    try {
      if (c) {
        const pair = establish(
          e.world,
          { ns: c.ns, pid: c.pid, localAddr: c.local, localPort: c.lport, remoteAddr: c.remote, remotePort: c.rport },
          { ns: ns.id, listenerId: server.listenerId, localAddr: pkt.dst, localPort: pkt.dport, remoteAddr: pkt.src, remotePort: pkt.sport },
        );
        server.sock = pair.server;
        c.sock = pair.client;
      }
    } catch (err) {
      if (!isKernelError(err)) throw err;
      e.after(e.stackDelay(), () => e.ipLocalOut(ns, reply(TCP_RST, 40), {}));
      e.tcpServer.delete(pkt.flow);
      return;
    }
  }
  const dataLen = pkt.len - 52 - extra;
  if (dataLen > 0 && server.sock) {
    const proc = processOf(e.world, ns, server.sock);
    const svc = proc?.role ? tcpServices.get(serviceKey(proc.role)) : undefined;
    const ack = reply(TCP_ACK, 52);
    e.after(e.stackDelay(), () => e.ipLocalOut(ns, ack, {}));
    if (proc && svc) {
      const res = svc(e.world, ns.id, proc, server.sock, { src: pkt.src, sport: pkt.sport, dst: pkt.dst, dport: pkt.dport, data: pkt.data, len: dataLen });
      if (res) {
        const out = reply(TCP_ACK | TCP_PSH, 52 + res.len, res.data);
        e.after(e.stackDelay() * 4, () => e.ipLocalOut(ns, out, {}));
      }
    }
  }
  if (pkt.tcpFlags & TCP_FIN) {
    const sock = server.sock;
    const owner = sock ? processOf(e.world, ns, sock) : null;
    if (sock && owner && !(owner.role && tcpServices.has(serviceKey(owner.role)))) {
      // a plain daemon keeps the connection open: the FIN is acknowledged, the socket waits in CLOSE_WAIT
      // (and the client's in FIN_WAIT2): no FIN comes back
      // the FIN takes a sequence number the daemon never reads: Recv-Q counts it (rcv_nxt - copied_seq)
      if (sock.state !== 'CLOSE_WAIT') sock.recvQ += 1;
      sock.state = 'CLOSE_WAIT';
      e.after(e.stackDelay(), () => e.ipLocalOut(ns, reply(TCP_ACK, 52), {}));
      e.tcpServer.delete(pkt.flow);
      return;
    }
    // the peer closed: acknowledge and close our side too
    e.after(e.stackDelay(), () => {
      if (sock) {
        try {
          closeSocket(e.world, ns.id, sock.id);
        } catch (e) {
          if (!isKernelError(e)) throw e;
        }
      }
      e.ipLocalOut(ns, reply(TCP_FIN | TCP_ACK, 52), {});
      if (sock && owner?.role) tcpCloseHooks.get(serviceKey(owner.role))?.(e.world, ns.id, owner, sock);
    });
    server.lastAck = true;
  }
}


