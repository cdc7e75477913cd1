// The packet engine proper (see packet.ts for the pipeline and the client helpers).
import { isKernelError, type Errno } from './errors';
import {
  ctBindDnat, ctBindSnat, ctHold,
  TCP_ACK,
  TCP_RST,
  TCP_SYN,
} from './conntrack';
import { BROADCAST_MAC, l2Neighbours, linkRx, linkXmit, type Frame, type L2Sink } from './l2';
import { isMulticastIp, multicastMac, prefixContains } from './ip';
import { fdbLookup, linkByIndex } from './netdev';
import { neighConfirm, neighFind, neighLearn, neighNoarp, neighStartResolve } from './neighbour';
import { runTableHook, type Hook, type NfTableName } from './netfilter';
import { routeGet, selectSource, type RouteResult } from './fib';
import { findListener, isLocalAddress } from './sockets';
import { ipv4ForwardingOn, sysctlValue } from './proc-sys';
import type { ConntrackEntry, Link, Netns, NsId, Socket } from './types';
import type { World } from './world';
import { isVxlanPayload, vxlanDeviceFor, vxlanLearn } from './vxlan';
import { icmpRateAllow } from './icmp-ratelimit';
import { userspaceArpAnswers } from './arp-responder';
import { ctStateOf, routeText, traceOn, tracePkt, traceStep, type TraceKind, type TraceStep } from './trace';
import {
  type Packet, recordRoute, PMTU_EXPIRES_MS, learnedPmtu, blankPacket, udpServices, processOf, serviceKey,
  ICMP_ECHOREPLY, ICMP_DEST_UNREACH, ICMP_ECHO, ICMP_TIME_EXCEEDED, ICMP_NET_UNREACH, ICMP_HOST_UNREACH, ICMP_PORT_UNREACH, ICMP_FRAG_NEEDED, ICMP_PKT_FILTERED,
  type TraceEvent, type SockEvent, type Handler, type Ev, type PendingNeigh, type PktCtx, type TcpClientInfo,
  isV6, ipHdrLen, ICMP6_DEST_UNREACH, ICMP6_TIME_EXCEED, ICMP6_PKT_TOOBIG, ICMP6_NOROUTE, ICMP6_ADM_PROHIBITED, ICMP6_ADDR_UNREACH, ICMP6_PORT_UNREACH,
} from './packet-model';
import { ndProbeSeen, hopLimit, icmp6ErrorPacket, ipv6ForwardingOn, nsFrame, nsSource, IPV6_MIN_MTU } from './ndisc';
import { icmp6Rcv, ndRcv, tcpRcv } from './engine-rx';
import { REJECT_CODES, REJECT6_CODES, icmpErrorPacket, addrTypeOf, applyCtNat, ctDone, ctIn, nfView, parseNatRange } from './packet-nf';

let flowSeq = 1;

const MAX_EVENTS = 200_000;

export class Engine implements L2Sink {
  world: World;
  private q: Ev[] = [];
  private seq = 0;
  private handled = 0;
  /** @internal */ pending = new Map<string, PendingNeigh>();
  /** @internal */ icmpSocks = new Map<string, Handler>();
  /** @internal */ udpSocks = new Map<string, Handler>();
  /** @internal */ tcpSocks = new Map<string, Handler>();
  /** @internal */ tcpServer = new Map<number, { ns: NsId; listenerId: number; client: TcpClientInfo | null; sock: Socket | null; lastAck?: boolean }>();
  /** @internal */ flows = new Map<number, TcpClientInfo>();
  private lastArrival = new Map<string, number>();
  trace: TraceEvent[] | null;
  private xmitErr: Errno | null = null;

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

  /** Process events until `stop()` says so or `until` is reached; the clock stops at the last event handled when stopped early. MAX_EVENTS a call, not an engine (ping -c 70000 calls once a probe). */
  runWhile(until: number, keepGoing: () => boolean): void {
    for (let n = 0; keepGoing() && this.q.length && this.q[0]!.t <= until; ) {
      const ev = this.q.shift()!;
      if (ev.t > this.world.state.clock) this.world.state.clock = ev.t;
      if (++n > MAX_EVENTS) {
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
  /** @internal */
  stackDelay(): number {
    return 0.003 + this.world.random() * 0.009;
  }

  /** @internal */
  log(ns: Netns, kind: TraceKind, detail: string, pkt?: Packet, ifname?: string, extra?: Partial<TraceStep>): void {
    if (!this.trace && !traceOn()) return;
    const step: TraceStep = { t: this.now(), ns: ns.id, kind, detail, ...(ifname ? { ifname } : {}), ...(pkt ? { pkt: tracePkt(pkt) } : {}), ...extra };
    if (this.trace && kind !== 'send' && kind !== 'route' && kind !== 'vxlan') this.trace.push(step as TraceEvent);
    traceStep(step);
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

  tunnelOut(ns: Netns, o: { src: string; dst: string; sport: number; dport: number; len: number; ttl: number | null; data: unknown }): void {
    const outer = blankPacket({ src: o.src, dst: o.dst, proto: 'udp', sport: o.sport, dport: o.dport, len: o.len, data: o.data, ttl: o.ttl ?? this.defaultTtl(ns) });
    this.ipLocalOut(ns, outer, {});
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
    if (frame.nd) {
      ndRcv(this, ns, link, frame);
      return;
    }
    if (frame.ip) this.ipRcv(ns, link, frame.ip, frame.src, physIn ?? null);
  }

  xmitError(errno: Errno): void {
    this.xmitErr = errno;
  }

  bridgeForward(ns: Netns, br: Link, inPort: Link, outPorts: Link[], frame: Frame): Link[] {
    const pkt = frame.ip!;
    const ctx = ctIn(this.world, ns, pkt, br.name);
    if (!ctx) return [];
    ctx.srcMac = frame.src;
    if (!this.hookChain(ns, 'PREROUTING', ['raw', 'mangle'], pkt, ctx, br.name, null)) return [];
    if (ctx.isNew && !this.natHook(ns, 'PREROUTING', pkt, ctx, br.name, null, inPort)) return [];
    applyCtNat(pkt, ctx, 'dst');
    const out: Link[] = [];
    for (const p of outPorts) {
      const v = this.hookVerdict(ns, 'FORWARD', ['mangle', 'filter', 'security'], pkt, ctx, br.name, br.name);
      if (v !== 'ACCEPT') continue;
      if (!this.hookChain(ns, 'POSTROUTING', ['mangle'], pkt, ctx, br.name, br.name)) continue;
      if (ctx.isNew && !this.natHook(ns, 'POSTROUTING', pkt, ctx, br.name, br.name, p)) continue;
      applyCtNat(pkt, ctx, 'src');
      out.push(p);
    }
    if (out.length) ctDone(this.world, ns, pkt, ctx);
    return out;
  }

  // ------------------------------------------------------------ netfilter glue

  /** Run tables of a hook; returns the verdict (NAT verdicts do not occur outside the nat table). */
  private hookVerdict(ns: Netns, hook: Hook, tables: NfTableName[], pkt: Packet, ctx: PktCtx, inIface: string | null, outIface: string | null): 'ACCEPT' | 'DROP' | string {
    // iptables' tables see IPv4 packets, ip6tables' IPv6 ones
    const family = isV6(pkt) ? 6 : 4;
    const own = family === 6 ? ns.netfilter.tables6 : ns.netfilter.tables;
    if (!own) return 'ACCEPT';
    for (const t of tables) {
      if (!own[t]) continue;
      const v = nfView(pkt, ctx, inIface, outIface);
      const res = runTableHook({ world: this.world, addrType: addrTypeOf(this.world, ns) }, ns, t, hook, v, family);
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
    const family = isV6(pkt) ? 6 : 4;
    if (!ctx.ct || !ctx.isNew || !(family === 6 ? ns.netfilter.tables6 : ns.netfilter.tables)?.nat) return true;
    const v = nfView(pkt, ctx, inIface, outIface);
    const res = runTableHook({ world: this.world, addrType: addrTypeOf(this.world, ns) }, ns, 'nat', hook, v, family);
    pkt.mark = v.mark;
    if (res.verdict === 'DROP') return false;
    if (res.verdict !== 'NAT') return true;
    const e = ctx.ct;
    const o = res.options;
    const random = o['random-fully'] !== undefined || o.random !== undefined;
    switch (res.target) {
      case 'DNAT': {
        const r = parseNatRange(o['to-destination']);
        ctBindDnat(e, r.addr ?? e.orig.dst, r.ports && pkt.proto !== 'icmp' ? r.ports[0] : null);
        this.log(ns, 'nat', `DNAT to ${r.addr ?? e.orig.dst}`, pkt);
        break;
      }
      case 'REDIRECT': {
        const r = o['to-ports'] ? parseNatRange(`:${o['to-ports']}`) : { ports: null };
        // nf_nat_redirect: the loopback address for local packets, else the first address of the device they came in on
        let addr = family === 6 ? '::1' : '127.0.0.1';
        if (hook === 'PREROUTING' && inIface) {
          const link = ns.links.find((l) => l.name === inIface);
          const a = link ? ns.addrs.find((x) => x.family === family && x.ifindex === link.ifindex && !x.secondary) : undefined;
          if (!a) return false;
          addr = a.local;
        }
        ctBindDnat(e, addr, r.ports && pkt.proto !== 'icmp' ? r.ports[0] : null);
        break;
      }
      case 'SNAT': {
        const r = parseNatRange(o['to-source']);
        ctBindSnat(this.world, ns, e, r.addr ?? e.orig.src, r.ports, random);
        this.log(ns, 'nat', `SNAT to ${r.addr}`, pkt);
        break;
      }
      case 'MASQUERADE': {
        if (!outLink) return false;
        const src = selectSource(ns, family, outLink.ifindex, pkt.dst, 253);
        if (!src) return false;
        const r = o['to-ports'] ? parseNatRange(`:${o['to-ports']}`) : { ports: null };
        ctBindSnat(this.world, ns, e, src, r.ports, random);
        this.log(ns, 'nat', `MASQUERADE to ${src}`, pkt);
        break;
      }
    }
    return true;
  }

  // ------------------------------------------------------------ ICMP errors

  /** icmp_send(): an error about `offending` (as it entered this namespace) back to its source. */
  private icmpError(ns: Netns, offending: Packet, type: number, code: number, nextHopMtu?: number): void {
    const v6 = isV6(offending);
    const err = v6 ? icmp6ErrorPacket(this.world, ns, offending, type, code, hopLimit(this.world, ns), nextHopMtu) : icmpErrorPacket(this.world, ns, offending, type, code, this.defaultTtl(ns), nextHopMtu);
    if (!err || (!v6 && !icmpRateAllow(this.world, ns, err.dst, type))) return;
    this.log(ns, 'icmp', `ICMP type ${type} code ${code} to ${err.dst}`, err);
    this.ipLocalOut(ns, err, {});
  }

  private reject(ns: Netns, pkt: Packet, ctx: PktCtx, how: string): void {
    if (how === 'tcp-reset') {
      if (pkt.proto !== 'tcp' || pkt.tcpFlags & TCP_RST) return;
      const rst = blankPacket({ src: ctx.orig.dst, dst: ctx.orig.src, proto: 'tcp', len: 20 + ipHdrLen(pkt), sport: ctx.orig.dport, dport: ctx.orig.sport, tcpFlags: TCP_RST | TCP_ACK, flow: pkt.flow, ttl: this.defaultTtl(ns, isV6(pkt)) });
      this.ipLocalOut(ns, rst, {});
      return;
    }
    if (isV6(pkt)) this.icmpError(ns, ctx.orig, ICMP6_DEST_UNREACH, REJECT6_CODES[how] ?? ICMP6_PORT_UNREACH);
    else this.icmpError(ns, ctx.orig, ICMP_DEST_UNREACH, REJECT_CODES[how] ?? ICMP_PORT_UNREACH);
  }

  /** @internal */
  defaultTtl(ns: Netns, v6 = false): number {
    if (v6) return hopLimit(this.world, ns);
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
    const ctx = ctIn(this.world, ns, pkt, null);
    if (!ctx) return null;
    const outLink = linkByIndex(ns, rt.oif) ?? null;
    if (traceOn()) this.log(ns, 'send', routeText(ns, rt), pkt, outLink?.name, { origin: (ctx.isNew && !isVxlanPayload(pkt.data)) || (pkt.proto === 'icmp' && pkt.icmpType === ICMP_ECHO) || (pkt.proto === 'tcp' && (pkt.tcpFlags & (TCP_SYN | TCP_ACK)) === TCP_SYN), ct: ctStateOf(ctx) });
    const outName = outLink?.name ?? null;
    const markBefore = pkt.mark;
    if (!this.hookChain(ns, 'OUTPUT', ['raw', 'mangle'], pkt, ctx, null, outName)) return 'EPERM';
    const before = pkt.dst;
    if (!this.natHook(ns, 'OUTPUT', pkt, ctx, null, outName, outLink)) return 'EPERM';
    applyCtNat(pkt, ctx, 'dst');
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
    // a frame the first link refuses at once (a veth peer with a smaller MTU) fails sendmsg: ENOBUFS
    this.xmitErr = null;
    this.postRouting(ns, pkt, ctx, rt, oLink);
    return this.xmitErr;
  }

  private postRouting(ns: Netns, pkt: Packet, ctx: PktCtx, rt: RouteResult, outLink: Link | null): void {
    const outName = outLink?.name ?? null;
    if (!this.hookChain(ns, 'POSTROUTING', ['mangle'], pkt, ctx, ctx.inIface, outName)) return;
    if (!this.natHook(ns, 'POSTROUTING', pkt, ctx, ctx.inIface, outName, outLink)) return;
    applyCtNat(pkt, ctx, 'src');
    ctDone(this.world, ns, pkt, ctx);
    if (!outLink) return;
    if (rt.type === 'broadcast' && outLink.kind !== 'loopback') {
      // a directed broadcast: every host of the link gets the frame, no ARP;
      // ip_mc_output loops a copy back to this host (dev_loopback_xmit), as
      // if it had come in on the same device
      this.log(ns, 'tx', `tx ${outLink.name}`, pkt, outLink.name);
      if (pkt.dst !== '255.255.255.255') neighNoarp(this.world, ns.id, outLink.ifindex, pkt.dst, BROADCAST_MAC);
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
    // ip_fragment: a packet over the route's MTU (device, mtu metric, learned path MTU for our own) leaves in pieces
    const pmtu = ctx.inIface === null ? learnedPmtu(this.world, ns.id, pkt.dst) : null;
    const mtu = Math.min(outLink.mtu, rt.route?.mtu ?? outLink.mtu, pmtu ?? outLink.mtu);
    if (pkt.len > mtu) pkt.fragSize = Math.min(pkt.fragSize ?? pkt.len, mtu);
    this.neighOutput(ns, outLink, nexthop, pkt, ctx.orig, ctx.ct);
  }

  /** neigh_output: send to the next hop's MAC, resolving it first (ARP) when needed. */
  private neighOutput(ns: Netns, link: Link, nexthop: string, pkt: Packet, orig: Packet, ct: ConntrackEntry | null = null): void {
    this.log(ns, 'tx', `tx ${link.name}`, pkt, link.name);
    if (link.kind === 'loopback') {
      if (!isV6(pkt)) neighNoarp(this.world, ns.id, link.ifindex, '0.0.0.0', '00:00:00:00:00:00');
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
      if (lo && !isV6(pkt)) neighNoarp(this.world, ns.id, lo.ifindex, '0.0.0.0', '00:00:00:00:00:00');
      if (lo) linkXmit(this, ns, lo, { src: lo.mac, dst: lo.mac, ip: pkt });
      return;
    }
    if (isMulticastIp(nexthop, isV6(pkt) ? 6 : 4)) {
      // a group's MAC is computed, not resolved: a NOARP entry (arp_mc_map / ndisc_mc_map)
      const mac = multicastMac(nexthop);
      neighNoarp(this.world, ns.id, link.ifindex, nexthop, mac);
      linkXmit(this, ns, link, { src: link.mac, dst: mac, ip: pkt });
      return;
    }
    const n = neighStartResolve(this.world, ns.id, link.ifindex, nexthop);
    if (n.lladdr && n.state !== 'INCOMPLETE' && n.state !== 'FAILED') {
      linkXmit(this, ns, link, { src: link.mac, dst: n.lladdr, ip: pkt });
      return;
    }
    const key = `${ns.id}|${link.ifindex}|${nexthop}`;
    let p = this.pending.get(key);
    const first = !p;
    if (!p) {
      p = { pkts: [], probes: 0 };
      this.pending.set(key, p);
    }
    // arp_queue: unres_qlen_bytes (212992) worth of packets; a queued packet holds its connection (use=2)
    if (p.pkts.length < 100) p.pkts.push({ pkt, orig, ct: ctHold(ct, this.now() + (3 - p.probes) * 1000) });
    // the first probe goes out with the packet queued (an IPv6 solicitation takes its source from it)
    if (first) this.arpProbe(ns.id, link.ifindex, nexthop);
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
    const v6 = ip.includes(':');
    if (p.probes >= 3) {
      // resolution failed: neigh_invalidate -> arp_error_report / ndisc_error_report for every queued packet
      this.pending.delete(key);
      this.log(ns, 'arp', `${v6 ? 'neighbour discovery' : 'ARP'} for ${ip} failed`);
      for (const q of p.pkts) ctHold(q.ct, 0), v6 ? this.icmpError(ns, q.orig, ICMP6_DEST_UNREACH, ICMP6_ADDR_UNREACH) : this.icmpError(ns, q.orig, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH);
      return;
    }
    p.probes++;
    if (v6) {
      // ndisc_solicit: a Neighbour Solicitation to the target's solicited-node group
      const src = nsSource(this.world, ns, link, p.pkts[0]?.pkt.src ?? null);
      if (src) {
        this.log(ns, 'arp', `neighbor solicitation: who has ${ip} (from ${src})`, undefined, link.name);
        linkXmit(this, ns, link, nsFrame(link, src, ip));
      }
      this.after(1000, () => this.arpProbe(nsId, ifindex, ip));
      return;
    }
    const src = selectSource(ns, 4, ifindex, ip) ?? '0.0.0.0';
    this.log(ns, 'arp', `who-has ${ip} tell ${src}`, undefined, link.name);
    linkXmit(this, ns, link, { src: link.mac, dst: BROADCAST_MAC, arp: { op: 1, sha: link.mac, spa: src, tha: '00:00:00:00:00:00', tpa: ip } });
    this.after(1000, () => this.arpProbe(nsId, ifindex, ip));
  }

  private arpRcv(ns: Netns, link: Link, frame: Frame): void {
    const a = frame.arp!;
    if (a.op === 1) {
      if (a.tpa === a.spa || (!isLocalAddress(ns, a.tpa) && !userspaceArpAnswers(this.world, ns, link, a.tpa))) return;
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
    for (const q of p.pkts) ctHold(q.ct, 0), linkXmit(this, ns, link, { src: link.mac, dst: a.sha, ip: q.pkt });
  }

  // ------------------------------------------------------------ input

  private ipRcv(ns: Netns, link: Link, pkt: Packet, srcMac: string | null = null, physIn: Link | null = null): void {
    const ctx = ctIn(this.world, ns, pkt, link.name);
    if (!ctx) return;
    ctx.srcMac = srcMac;
    if (!this.hookChain(ns, 'PREROUTING', ['raw', 'mangle'], pkt, ctx, link.name, null)) return;
    if (!this.natHook(ns, 'PREROUTING', pkt, ctx, link.name, null, null)) return;
    const dstBefore = pkt.dst;
    applyCtNat(pkt, ctx, 'dst');
    let rt: RouteResult;
    try {
      rt = routeGet(this.world, ns.id, pkt.dst, { iif: link.ifindex, mark: pkt.mark });
    } catch (e) {
      if (!isKernelError(e)) throw e;
      if (traceOn()) this.log(ns, 'drop', `no route to ${pkt.dst} (${e.errno})`, pkt, link.name);
      // ip6_pkt_drop: no route (or an unreachable route) and a prohibit route answer whether or not the host forwards
      if (isV6(pkt)) {
        if (e.errno !== 'EINVAL') this.icmpError(ns, ctx.orig, ICMP6_DEST_UNREACH, e.errno === 'EACCES' ? ICMP6_ADM_PROHIBITED : ICMP6_NOROUTE);
        return;
      }
      if (!ipv4ForwardingOn(this.world, ns.id, link.name) || e.errno === 'EINVAL') return;
      const code = e.errno === 'EHOSTUNREACH' ? ICMP_HOST_UNREACH : e.errno === 'EACCES' ? ICMP_PKT_FILTERED : ICMP_NET_UNREACH;
      this.icmpError(ns, ctx.orig, ICMP_DEST_UNREACH, code);
      return;
    }
    if (traceOn()) this.log(ns, 'route', routeText(ns, rt), pkt, link.name, { ct: ctStateOf(ctx), ...(pkt.dst !== dstBefore && !ctx.isNew ? { detail: `${routeText(ns, rt)} (conntrack: destination ${dstBefore} -> ${pkt.dst})` } : {}) });
    // ip_route_input: local and broadcast destinations are delivered here
    if (rt.type === 'local' || rt.type === 'broadcast' || pkt.dst === '255.255.255.255' || (rt.type === 'multicast' && isV6(pkt))) {
      this.localDeliver(ns, link, pkt, ctx);
      return;
    }
    if (isV6(pkt) ? !ipv6ForwardingOn(this.world, ns) : !ipv4ForwardingOn(this.world, ns.id, link.name)) {
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
    const v6 = isV6(pkt);
    if (!bridged && pkt.ttl <= 1) {
      this.icmpError(ns, ctx.orig, v6 ? ICMP6_TIME_EXCEED : ICMP_TIME_EXCEEDED, 0);
      return;
    }
    const outLink = linkByIndex(ns, rt.oif) ?? null;
    // ip6_forward(): a router never fragments IPv6: too big for the next link is "packet too big" with its MTU
    const mtu6 = outLink ? Math.max(IPV6_MIN_MTU, Math.min(outLink.mtu, rt.route?.mtu ?? outLink.mtu)) : 0;
    if (v6 && outLink && (pkt.fragSize ?? pkt.len) > mtu6) {
      this.icmpError(ns, ctx.orig, ICMP6_PKT_TOOBIG, 0, mtu6);
      return;
    }
    // ip_forward(): too big for the next link with DF set: "frag needed" with its MTU, before the FORWARD hook
    if (pkt.df && outLink && pkt.len > Math.min(outLink.mtu, rt.route?.mtu ?? outLink.mtu)) {
      this.icmpError(ns, ctx.orig, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, Math.min(outLink.mtu, rt.route?.mtu ?? outLink.mtu));
      return;
    }
    const v = this.hookVerdict(ns, 'FORWARD', ['mangle', 'filter', 'security'], pkt, ctx, inLink.name, outLink?.name ?? null);
    if (v !== 'ACCEPT') {
      if (v.startsWith('REJECT:')) this.reject(ns, pkt, ctx, v.slice(7));
      return;
    }
    if (!bridged) {
      pkt.ttl -= 1;
      if (v6) {
        this.log(ns, 'forward', `forward ${inLink.name} -> ${outLink?.name ?? '?'}`, pkt);
        this.postRouting(ns, pkt, ctx, rt, outLink);
        return;
      }
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
    applyCtNat(pkt, ctx, 'src');
    ctDone(this.world, ns, pkt, ctx);
    this.log(ns, 'deliver', `deliver ${pkt.proto}`, pkt);
    switch (pkt.proto) {
      case 'icmp':
        this.icmpRcv(ns, link, pkt, ctx);
        return;
      case 'udp':
        this.udpRcv(ns, pkt, ctx);
        return;
      case 'tcp':
        tcpRcv(this, ns, pkt, ctx);
        return;
    }
  }

  private icmpRcv(ns: Netns, link: Link, pkt: Packet, ctx: PktCtx): void {
    if (isV6(pkt)) {
      icmp6Rcv(this, ns, link, pkt);
      return;
    }
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
    if (isVxlanPayload(pkt.data)) {
      // vxlan_rcv: the device of that port and VNI receives the inner frame
      const dev = vxlanDeviceFor(ns, pkt.dport, pkt.data.vxlan.vni);
      if (dev) {
        const frame = pkt.data.vxlan.frame as Frame;
        vxlanLearn(this.world, dev, frame.src, pkt.src);
        if (traceOn()) this.log(ns, 'vxlan', `decap VNI ${pkt.data.vxlan.vni} from ${pkt.src} -> ${dev.name}`, pkt, dev.name, { vxlan: { dev: dev.name, vni: pkt.data.vxlan.vni, outerSrc: pkt.src, outerDst: pkt.dst, dir: 'decap' } });
        this.schedule(ns.id, dev.ifindex, frame, this.stackDelay());
        return;
      }
    }
    const h = this.udpSocks.get(`${ns.id}|${pkt.dport}`);
    if (h) {
      h({ kind: 'udp', t: this.now(), from: pkt.src, sport: pkt.sport, data: pkt.data, len: pkt.len - ipHdrLen(pkt) - 8 });
      return;
    }
    const sock = findListener(this.world, ns.id, 'udp', pkt.dst, pkt.dport);
    if (!sock) {
      // no port unreachable for a broadcast or multicast
      if (isV6(pkt)) {
        if (!pkt.dst.startsWith('ff')) this.icmpError(ns, ctx.orig, ICMP6_DEST_UNREACH, ICMP6_PORT_UNREACH);
      } else if (!this.isBroadcastDst(ns, pkt.dst) && !isMulticastIp(pkt.dst, 4)) this.icmpError(ns, ctx.orig, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH);
      return;
    }
    const proc = processOf(this.world, ns, sock);
    const svc = proc?.role ? udpServices.get(serviceKey(proc.role)) : undefined;
    if (!proc || !svc) return;
    const hdr = ipHdrLen(pkt) + 8;
    const reply = svc(this.world, ns.id, proc, sock, { src: pkt.src, sport: pkt.sport, dst: pkt.dst, dport: pkt.dport, data: pkt.data, len: pkt.len - hdr });
    if (!reply) return;
    const out = blankPacket({ src: pkt.dst, dst: pkt.src, proto: 'udp', sport: pkt.dport, dport: pkt.sport, len: hdr + reply.len, data: reply.data, ttl: this.defaultTtl(ns, isV6(pkt)) });
    this.after(this.stackDelay() * 4, () => this.ipLocalOut(ns, out, {}));
  }

  // ------------------------------------------------------------ TCP

  /** 255.255.255.255 or a broadcast address of the namespace (a broadcast route of the local table). */
  /** @internal */
  isBroadcastDst(ns: Netns, addr: string): boolean {
    if (addr === '255.255.255.255') return true;
    return ns.routes.some((r) => r.family === 4 && r.table === 255 && r.type === 'broadcast' && r.dst === addr);
  }

  /** Register a client connection so that the server side can create both sockets when the handshake completes. */
  registerFlow(info: TcpClientInfo): number {
    const flow = flowSeq++;
    this.flows.set(flow, info);
    return flow;
  }

  // ------------------------------------------------------------ neighbour probes without traffic

  /** Who answers an ARP probe for `ip` on (ns, ifindex): the MAC, or null. */
  probe(nsId: NsId, ifindex: number, ip: string, at?: number): string | null {
    const ns = this.world.state.namespaces[nsId];
    const link = ns ? linkByIndex(ns, ifindex) : undefined;
    if (!ns || !link || !link.adminUp) return null;
    for (const o of l2Neighbours(this.world, ns, link)) {
      if (!isLocalAddress(o.ns, ip) && !userspaceArpAnswers(this.world, o.ns, o.link, ip)) continue;
      // (l2Neighbours reads without marking: the holder that learns is reached through the table)
      if (at !== undefined && ip.includes(':')) ndProbeSeen(this.world, ns, link, this.world.ns(o.ns.id), o.link, at);
      return o.link.mac;
    }
    return null;
  }
}

