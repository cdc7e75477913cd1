// ping from iputils 20221126: options (with iputils' strtol/strtod
// checks), name resolution (AF_UNSPEC, results of the other family skipped
// under -4/-6, the next address tried when one has no route), the IPv4 probe
// loop over the packet engine on the simulated clock, replies (duplicates
// included) and ICMP errors as they arrive, names through getnameinfo(), the
// statistics and the exit statuses; IPv6 pings of the namespace's own
// addresses.
//
// A ping without -c runs until Ctrl-C (io.signal), printing through
// io.progress as it goes, one probe per interval of simulated time (and of
// real time when a terminal watches); without a signal to stop it, it stops
// after MAX_UNBOUNDED probes.
import { Engine, ICMP_DEST_UNREACH, ICMP_ECHO, ICMP_TIME_EXCEEDED, learnedPmtu, makePacket, routeFor, type SockEvent } from '../sim/packet';
import { ICMP6_DEST_UNREACH, ICMP6_ECHO_REQUEST, ICMP6_PKT_TOOBIG, ICMP6_TIME_EXCEED } from '../sim/packet-model';
import { canonicalIp, isIPv6 } from '../sim/ip';
import { GAI_STRERROR, getnameinfo, inetAton, resolveHost, resolverCtx } from '../sim/resolver';
import { STRERROR, type Errno } from '../sim/errors';
import { findLink, linkByIndex } from '../sim/netdev';
import { sysctlValue } from '../sim/proc-sys';
import type { CmdIO, CmdResult, NetCommand, Sys } from './types';
import { ordered } from './types';
import { completePing } from './completion-clients';
import { Exit, MAX_UNBOUNDED, MAX_WITH_SIGNAL, die, parseArgs, strtod, type Opts } from './ping-args';


function connectMessage(errno: Errno): string {
  return `connect: ${STRERROR[errno]}`;
}

/** ping6's pr_icmph(): an ICMPv6 error's text. */
function icmp6Text(type: number, code: number, mtu = 0): string {
  if (type === ICMP6_DEST_UNREACH) {
    const t: Record<number, string> = { 0: 'No route', 1: 'Administratively prohibited', 2: 'Beyond scope of source address', 3: 'Address unreachable', 4: 'Port unreachable' };
    return `Destination unreachable: ${t[code] ?? `Unknown code ${code}`}`;
  }
  if (type === ICMP6_PKT_TOOBIG) return `Packet too big: mtu=${mtu}`;
  if (type === ICMP6_TIME_EXCEED) return `Time exceeded: ${code === 0 ? 'Hop limit' : code === 1 ? 'Defragmentation failure' : `code ${code}`}`;
  return `Unknown icmp type: ${type}`;
}

function icmpText(type: number, code: number, mtu = 0): string {
  if (type === ICMP_DEST_UNREACH && code === 4) return `Frag needed and DF set (mtu = ${mtu})`;
  if (type === ICMP_DEST_UNREACH) {
    const t: Record<number, string> = {
      0: 'Destination Net Unreachable',
      1: 'Destination Host Unreachable',
      2: 'Destination Protocol Unreachable',
      3: 'Destination Port Unreachable',
      4: 'Frag needed and DF set (mtu = 0)',
      5: 'Source Route Failed',
      6: 'Destination Net Unknown',
      7: 'Destination Host Unknown',
      8: 'Source Host Isolated',
      9: 'Destination Net Prohibited',
      10: 'Destination Host Prohibited',
      11: 'Destination Net Unreachable for Type of Service',
      12: 'Destination Host Unreachable for Type of Service',
      13: 'Packet filtered',
      14: 'Precedence Violation',
      15: 'Precedence Cutoff',
    };
    return t[code] ?? `Dest Unreachable, Bad Code: ${code}`;
  }
  if (type === ICMP_TIME_EXCEEDED) return code === 0 ? 'Time to live exceeded' : code === 1 ? 'Frag reassembly time exceeded' : `Time exceeded, Bad Code: ${code}`;
  return `Bad ICMP type: ${type}`;
}

/** iputils prints times from integer microseconds. */
function fmtTrip(us: number): string {
  if (us >= 100000 - 50) return `${Math.floor((us + 500) / 1000)}`;
  if (us >= 10000 - 5) return `${Math.floor((us + 50) / 1000)}.${Math.floor(((us + 50) % 1000) / 100)}`;
  if (us >= 1000) return `${Math.floor((us + 5) / 1000)}.${String(Math.floor(((us + 5) % 1000) / 10)).padStart(2, '0')}`;
  return `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')}`;
}

function ms3(us: number): string {
  return `${Math.trunc(us / 1000)}.${String(Math.trunc(us % 1000)).padStart(3, '0')}`;
}

function llsqrt(a: number): number {
  let prev = Number.MAX_SAFE_INTEGER;
  let x = a;
  if (x > 0) {
    while (x < prev) {
      prev = x;
      x = Math.floor((x + Math.floor(a / x)) / 2);
    }
  }
  return x;
}

async function sleepReal(ms: number, signal: AbortSignal | null): Promise<void> {
  if (ms <= 0) return;
  await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

async function run(args: string[], io: CmdIO, sys: Sys): Promise<CmdResult> {
  const warn: string[] = [];
  const { o, target } = parseArgs(args, warn);
  if (target === null) die(1, 'usage error: Destination address required');

  // iputils resolves the target with AF_UNSPEC (and AI_CANONNAME, which
  // glibc puts on the first result only) and skips the results of the other
  // family under -4/-6; an address whose connect() finds no route gives way
  // to the next result
  if (o.verbose) {
    // main(): the two sockets (ICMP datagram sockets where net.ipv4.ping_group_range admits root's group 0,
    // raw sockets otherwise), with error()'s own newline after the format's
    const range = (sysctlValue(sys.world, sys.ns, 'net.ipv4.ping_group_range') ?? '1 0').split(/\s+/).map(Number);
    const type = range[0]! <= 0 && 0 <= range[1]! ? 'SOCK_DGRAM' : 'SOCK_RAW';
    const fam = o.family === 4 ? 'AF_INET' : o.family === 6 ? 'AF_INET6' : 'AF_UNSPEC';
    warn.unshift(`ping: sock4.fd: 3 (socktype: ${type}), sock6.fd: 4 (socktype: ${type}), hints.ai_family: ${fam}\n\n`);
  }
  // an IPv6 address with a zone (fe80::1%eth0) is taken as it is (getaddrinfo with AI_NUMERICHOST)
  const pct = target.indexOf('%');
  const zoned = pct > 0 && isIPv6(target.slice(0, pct)) ? canonicalIp(target.slice(0, pct)) : null;
  const r = zoned !== null ? { ok: true as const, addrs: [{ family: 6 as const, addr: zoned }], canonname: '' } : resolveHost(sys, target, 0);
  if (!r.ok) die(2, `${target}: ${r.message}`);
  for (let i = 0; i < r.addrs.length; i++) {
    const ai = r.addrs[i]!;
    const hasNext = i + 1 < r.addrs.length;
    if (o.family !== 0 && ai.family !== o.family) {
      if (!hasNext) die(2, `${target}: ${GAI_STRERROR.EAI_ADDRFAMILY}`);
      continue;
    }
    const res = ai.family === 6 ? await pingV6(o, target, ai.addr, hasNext, warn, io, sys) : await ping4(o, target, ai.addr, i === 0 ? r.canonname : '', hasNext, warn, io, sys);
    if (res) return res;
  }
  // not reached: the last result always answers
  die(2, `${target}: ${GAI_STRERROR.EAI_NONAME}`);
}

/** ping4_run(): null when connect() finds no route and another address is left to try. */
/** What ping4_run() settles before its header: the destination, the route, the source, the early warnings. */
interface PingSetup {
  /** IPv6 (ICMPv6 echo, hop limit, ping6's texts) */
  v6?: boolean;
  /** a link-local destination's interface: replies from link-local addresses are printed with it */
  scope?: string | null;
  /** the destination as the header shows it (IPv6: with the zone typed) */
  shown?: string;
  dst: string;
  hostname: string;
  numeric: boolean;
  oif: number | null;
  rt: Exclude<ReturnType<typeof routeFor>, string>;
  source: string;
  early: string;
}

function ping4Setup(o: Opts, target: string, resolved: string, canonname: string, hasNext: boolean, warn: string[], sys: Sys): PingSetup | null {
  const world = sys.world;
  const ns = world.ns(sys.ns);
  // the destination: a dotted target is used as typed and never named
  const typed = inetAton(target);
  const dst = typed ?? resolved;
  const hostname = typed !== null ? target : canonname;
  const numeric = o.numeric || typed !== null;
  // the device / source
  let oif: number | null = null;
  if (o.device !== null) {
    const l = findLink(ns, o.device);
    if (!l) die(2, `SO_BINDTODEVICE ${o.device}: No such device`);
    oif = l.ifindex;
  }
  const rt = routeFor(world, sys.ns, dst, oif);
  const noBroadcast = 'Do you want to ping broadcast? Then -b. If not, check your local firewall rules';
  if (typeof rt === 'string') {
    // connect() of the probe socket: EACCES (a prohibit route) is taken for a broadcast address
    if (rt === 'EACCES') {
      if (!o.broadcast) die(2, noBroadcast);
      throw new Exit(2, `${warn.join('')}WARNING: pinging broadcast address\nping: ${connectMessage(rt)}\n`);
    }
    if ((rt === 'EHOSTUNREACH' || rt === 'ENETUNREACH') && hasNext) return null;
    die(2, connectMessage(rt));
  }
  // connect() to a broadcast address needs SO_BROADCAST (ping -b), else EACCES
  const isBroadcast = rt.type === 'broadcast' || dst === '255.255.255.255';
  if (isBroadcast && !o.broadcast) die(2, noBroadcast);
  const source = o.source ?? rt.prefsrc ?? '';
  if (o.source !== null && !ns.addrs.some((a) => a.family === 4 && a.local === o.source)) die(2, `bind: ${STRERROR.EADDRNOTAVAIL}`);
  // what ping4_run() says before its header: the broadcast warning, then sock_setbufs()'s
  let early = warn.join('') + (isBroadcast ? 'WARNING: pinging broadcast address\n' : '');
  // SO_RCVBUF asked for `preload` packets' worth (at least 64 KiB); the kernel caps it at rmem_max and doubles it
  const per = o.datalen + 8 + Math.floor((o.datalen + 8 + 511) / 512) * (20 + 16 + 64 + 160);
  const want = per * o.preload;
  const rmemMax = Number(sysctlValue(world, sys.ns, 'net.core.rmem_max') ?? '212992') || 212992;
  if (Math.min(Math.max(want, 65536), rmemMax) * 2 < want) early += 'ping: WARNING: probably, rcvbuf is not enough to hold preload\n';
  // setsockopt(IP_TTL) refuses 0 (IP_MULTICAST_TTL, set first, takes it)
  if (o.ttl === 0) throw new Exit(2, `${early}ping: cannot set unicast time-to-live: ${STRERROR.EINVAL}\n`);
  return { dst, hostname, numeric, oif, rt, source, early, v6: false };
}

/** ping_common.c's main loop state over one ICMP socket: probes, replies, statistics. */
class Pinger {
  /** stdout and stderr in the order written (the broadcast warning comes before PING, sendmsg errors between replies) */
  readonly chunks: Array<[1 | 2, string]> = [];
  private readonly eng: Engine;
  private readonly id: number;
  readonly start: number;
  private readonly sent = new Map<number, number>();
  private readonly received = new Set<number>();
  ntransmitted = 0;
  nreceived = 0;
  nerrors = 0;
  private nrepeats = 0;
  private acked = 0;
  private pipesize = -1;
  private tmin = Number.MAX_SAFE_INTEGER;
  tmax = 0;
  private ewma = 0;
  private tsum = 0;
  private tsum2 = 0;
  curTime: number;
  private lastRoute = '';
  private lastAddr: string | null = null;
  private lastText = '';
  /** -b or a multicast destination: several answers per probe are expected (no "(DUP!)") */
  private readonly multicast: boolean;

  constructor(
    private readonly o: Opts,
    private readonly p: PingSetup,
    private readonly io: CmdIO,
    private readonly sys: Sys,
  ) {
    const world = sys.world;
    this.eng = new Engine(world);
    this.id = 1 + Math.floor(world.random() * 65534);
    this.start = this.curTime = world.now();
    this.multicast = o.broadcast || isMulticast(p.dst);
    this.eng.openIcmp(sys.ns, this.id, (ev: SockEvent) => this.onEvent(ev));
  }

  emit(s: string): void {
    if (this.io.progress) this.io.progress(s);
    else this.chunks.push([1, s]);
  }

  emitErr(s: string): void {
    if (s === '') return;
    if (this.io.progress) this.io.progress(s);
    else this.chunks.push([2, s]);
  }

  /**
   * pr_addr(): "name (address)" when getnameinfo() gave a name (or its numeric fallback for an address
   * without one), the bare address when the lookup could not complete (EAI_AGAIN); the last answer is
   * kept for a run of replies from one host
   */
  private pr(addr: string): string {
    // ping6: a link-local address is printed with the interface it came in by
    if (this.p.v6 && addr.startsWith('fe80') && this.p.scope) addr = `${addr}%${this.p.scope}`;
    if (this.p.numeric) return addr;
    if (addr === this.lastAddr) return this.lastText;
    this.lastAddr = addr;
    this.lastText = prAddr(this.sys, addr);
    return this.lastText;
  }

  private acknowledge(seq: number): void {
    const diff = this.ntransmitted - seq;
    if (diff >= 0) {
      if (diff + 1 > this.pipesize) this.pipesize = diff + 1;
      if (seq > this.acked) this.acked = seq;
    }
  }

  private onEvent(ev: SockEvent): void {
    if (ev.kind === 'echo-reply') this.onReply(ev);
    else if (ev.kind === 'icmp-error') {
      const inner = ev.inner;
      if (inner.proto !== 'icmp' || inner.icmpType !== (this.p.v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO) || inner.dst !== this.p.dst) return;
      this.acknowledge(inner.icmpSeq);
      this.nerrors++;
      if (this.o.quiet) return;
      if (this.o.flood) this.emit('\bE');
      else this.emit(`From ${this.pr(ev.from)} icmp_seq=${inner.icmpSeq} ${this.p.v6 ? icmp6Text(ev.type, ev.code, ev.mtu ?? 0) : icmpText(ev.type, ev.code, ev.mtu ?? 0)}\n`);
    }
  }

  private onReply(ev: Extract<SockEvent, { kind: 'echo-reply' }>): void {
    const o = this.o;
    const t0 = this.sent.get(ev.seq);
    if (t0 === undefined) return;
    const trip = Math.max(0, Math.round((ev.t - t0) * 1000));
    this.acknowledge(ev.seq);
    // gather_statistics(): a second reply to a sequence number is a duplicate (a broadcast answered by
    // several hosts); its time counts
    const dup = this.received.has(ev.seq);
    if (dup) this.nrepeats++;
    else {
      this.received.add(ev.seq);
      this.nreceived++;
    }
    if (o.datalen >= 16) {
      this.tsum += trip;
      this.tsum2 += trip * trip;
      if (trip < this.tmin) this.tmin = trip;
      if (trip > this.tmax) this.tmax = trip;
    }
    // the moving average of the round trip (8 times it, in microseconds) that -f and -i 0 report as "ewma"
    this.ewma = this.ewma ? this.ewma + trip - Math.trunc(this.ewma / 8) : trip * 8;
    // a flood: each answer takes back its probe's dot
    if (o.flood) {
      if (!o.quiet) this.emit('\b \b');
      return;
    }
    let line = `${ev.len} bytes from ${this.pr(ev.from)}: icmp_seq=${ev.seq} ttl=${ev.ttl}${o.datalen >= 16 ? ` time=${fmtTrip(trip)} ms` : ''}`;
    if (dup && !this.multicast) line += ' (DUP!)';
    if (!o.broadcast && !this.multicast && ev.from !== this.p.dst) line += ' (DIFFERENT ADDRESS!)';
    if (ev.rr && ev.rr.length) {
      // pr_options(): the recorded route, or "(same route)" when it did not change
      const key = ev.rr.join(',');
      line += key === this.lastRoute ? '\t(same route)' : `\nRR: \t${ev.rr.map((a) => this.pr(a)).join('\n\t')}\n`;
      this.lastRoute = key;
    }
    if (!o.quiet) this.emit(`${line}\n`);
  }

  private pathMtu(): number {
    const world = this.sys.world;
    const { rt, dst } = this.p;
    const dev = (rt.oif !== null ? linkByIndex(world.ns(this.sys.ns), rt.oif)?.mtu : undefined) ?? 1500;
    const learned = learnedPmtu(world, this.sys.ns, dst);
    // a route's mtu metric caps the device's
    const path = Math.min(dev, rt.route?.mtu ?? dev);
    return learned !== null ? Math.min(learned, path) : path;
  }

  private transmit(pkt: ReturnType<typeof makePacket>): void {
    const err = this.eng.ipLocalOut(this.sys.world.ns(this.sys.ns), pkt, { oif: this.p.oif });
    // an ICMPv6 socket does not hear of a packet netfilter dropped on the way out (icmpv6_push_pending_frames
    // ignores ip6_push_pending_frames' result): only the error a REJECT sends back reaches it
    if (err === 'EPERM' && this.p.dst.includes(':')) return;
    if (err) {
      this.emitErr(`ping: sendmsg: ${STRERROR[err]}\n`);
      // pinger(): ENOBUFS (a device that refused the packet) is a transmit retried, then given up: no error counted
      if (err !== 'ENOBUFS') this.nerrors++;
    }
  }

  /** pinger(): one probe */
  send(defTtl: number): void {
    const { o, p } = this;
    const world = this.sys.world;
    const seq = this.ntransmitted + 1;
    // -O reports the previous probe still unanswered
    if (o.outstanding && this.ntransmitted > 0 && !this.received.has(this.ntransmitted) && !o.quiet) this.emit(`no answer yet for icmp_seq=${this.ntransmitted}\n`);
    const pkt = makePacket({ src: p.v6 ? (this.o.source ?? '') : p.source, dst: p.dst, proto: 'icmp', len: (p.v6 ? 48 : 28) + o.datalen + (o.recordRoute ? 40 : 0), icmpType: p.v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO, sport: this.id, dport: this.id, icmpSeq: seq, ttl: o.ttl ?? defTtl, mark: o.mark, ...(o.recordRoute ? { rr: [] } : {}) });
    this.curTime = world.now();
    this.sent.set(seq, this.curTime);
    this.ntransmitted++;
    if (o.flood && !o.quiet) this.emit('.');
    if (o.datalen + 8 > 0xffff) {
      // ping_common_sendmsg(): an ICMP message over 64 KiB is EMSGSIZE with nothing on the error queue;
      // iputils then "pretends it sent" quietly
    } else if (o.datalen + 28 > 0xffff) {
      // ip_append_data(): an IP packet over 64 KiB is EMSGSIZE with a local error queued (the path MTU
      // in ee_info), which ping reports
      const mtu = (p.rt.oif !== null ? linkByIndex(world.ns(this.sys.ns), p.rt.oif)?.mtu : undefined) ?? 1500;
      if (!o.quiet) {
        this.emitErr(`ping: local error: message too long, mtu${p.v6 ? ': ' : '='}${mtu}\n`);
        this.nerrors++;
      }
    } else if (o.pmtudisc !== 'dont' && pkt.len > this.pathMtu()) {
      // the learned path MTU (or the device's): IP_PMTUDISC_DO refuses locally (EMSGSIZE, the MTU in the
      // error queue), WANT fragments without DF
      if (o.pmtudisc === 'do') {
        if (!o.quiet) this.emitErr(`ping: local error: message too long, mtu${p.v6 ? ': ' : '='}${this.pathMtu()}\n`);
        this.nerrors++;
      } else this.transmit(pkt);
    } else {
      // DF on whatever fits the path (DO and WANT): a smaller link further on answers "frag needed"
      if (o.pmtudisc !== 'dont') pkt.df = true;
      this.transmit(pkt);
    }
  }

  /** main_loop(): probes at the interval until the count, the deadline, the linger time or Ctrl-C */
  async loop(): Promise<void> {
    const { o, io } = this;
    const world = this.sys.world;
    const bounded = o.count > 0;
    const limit = bounded ? o.count : io.signal ? MAX_WITH_SIGNAL : MAX_UNBOUNDED;
    const aborted = (): boolean => !!io.signal?.aborted;
    const deadlineAt = o.deadline ? this.start + o.deadline * 1000 : Infinity;
    const defTtl = Number(sysctlValue(world, this.sys.ns, this.p.v6 ? 'net.ipv6.conf.all.hop_limit' : 'net.ipv4.ip_default_ttl') ?? '64') || 64;
    let exitAt = Infinity;
    const done = (): boolean =>
      aborted() || (bounded && this.nreceived + this.nerrors >= o.count) || (o.deadline > 0 && this.nerrors > 0) || world.now() >= exitAt || world.now() >= deadlineAt;
    const maysend = (): boolean => (o.deadline > 0 ? !(bounded && this.nreceived >= o.count) && this.ntransmitted < MAX_WITH_SIGNAL : this.ntransmitted < limit);
    let nextSend = this.start;
    // no interval (-i 0, or a flood without -i): the next probe when the last one is answered, or after
    // MININTERVAL (10 ms)
    const flood0 = o.interval === 0;
    // a bound on the loop's steps (a send, a wait for the next event), never reached by a working run
    const steps = 4 * Math.max(limit, MAX_WITH_SIGNAL) + 1000;
    for (let guard = 0; guard < steps; guard++) {
      if (done()) break;
      if (flood0 && this.acked >= this.ntransmitted) nextSend = Math.min(nextSend, world.now());
      if (maysend() && world.now() >= nextSend) {
        this.send(defTtl);
        // the first `preload` probes go out at once; then the interval, which drifts by a few
        // milliseconds per probe, as timers do
        nextSend = this.ntransmitted < o.preload ? this.curTime : flood0 ? this.curTime + 10 : this.curTime + o.interval + Math.floor(world.random() * 12);
        if (!maysend() && !o.deadline) exitAt = this.curTime + (this.nreceived ? Math.max((2 * this.tmax) / 1000, o.interval) : o.linger);
        continue;
      }
      const until = Math.min(maysend() ? nextSend : Infinity, exitAt, deadlineAt);
      if (until === Infinity) break;
      this.eng.runWhile(until, () => !done() && !(flood0 && this.acked >= this.ntransmitted));
      // a terminal watches: let real time pass too, so that Ctrl-C can stop us
      if (io.progress && io.signal && !done()) await sleepReal(Math.min(1000, until - this.start > 0 ? o.interval : 0), io.signal);
    }
  }

  /** finish(): the statistics block */
  statistics(): string {
    const o = this.o;
    const { ntransmitted, nreceived, nrepeats, nerrors } = this;
    const elapsed = this.curTime - this.start;
    let s = `\n--- ${this.p.hostname} ping statistics ---\n`;
    s += `${ntransmitted} packets transmitted, ${nreceived} received`;
    if (nrepeats) s += `, +${nrepeats} duplicates`;
    if (nerrors) s += `, +${nerrors} errors`;
    if (ntransmitted) {
      const loss = ((ntransmitted - nreceived) * 100) / ntransmitted;
      s += `, ${fmtG(loss)}% packet loss, time ${Math.floor(elapsed + 0.5)}ms`;
    }
    s += '\n';
    let comma = '';
    if (nreceived && o.datalen >= 16) {
      const total = nreceived + nrepeats;
      const { tsum, tsum2 } = this;
      const tmavg = Math.floor(tsum / total);
      const tmvar = tsum < 2147483647 ? Math.floor((tsum2 - Math.floor((tsum * tsum) / total)) / total) : Math.floor(tsum2 / total) - tmavg * tmavg;
      s += `rtt min/avg/max/mdev = ${ms3(this.tmin)}/${ms3(tmavg)}/${ms3(this.tmax)}/${ms3(llsqrt(tmvar))} ms`;
      comma = ', ';
    }
    if (this.pipesize > 1) s += `${comma}pipe ${this.pipesize}`;
    // finish(): the mean gap between probes and the moving average, for a flood or a zero interval
    if (nreceived && (!o.interval || o.flood) && ntransmitted > 1) {
      const ipg = Math.trunc(Math.round(elapsed * 1000) / (ntransmitted - 1));
      s += `${comma || (this.pipesize > 1 ? ', ' : '')}ipg/ewma ${Math.trunc(ipg / 1000)}.${String(ipg % 1000).padStart(3, '0')}/${Math.trunc(this.ewma / 8000)}.${String(Math.trunc(this.ewma / 8) % 1000).padStart(3, '0')} ms`;
    }
    return s + '\n';
  }
}

async function ping4(o: Opts, target: string, resolved: string, canonname: string, hasNext: boolean, warn: string[], io: CmdIO, sys: Sys): Promise<CmdResult | null> {
  const p = ping4Setup(o, target, resolved, canonname, hasNext, warn, sys);
  if (!p) return null;
  const pinger = new Pinger(o, p, io, sys);
  // fill() prints the pattern while the options are parsed, before the sockets are described
  if (o.pattern !== null) pinger.emit(`PATTERN: 0x${o.pattern}\n`);
  pinger.emitErr(p.early);
  if (o.verbose) pinger.emit(`ai->ai_family: AF_INET, ai->ai_canonname: '${canonname}'\n`);
  let header = `PING ${p.hostname} (${p.dst}) `;
  if (o.device !== null || o.source !== null) header += `from ${p.source} ${o.device ?? ''}: `;
  header += `${o.datalen}(${o.datalen + 28 + (o.recordRoute ? 40 : 0)}) bytes of data.\n`;
  pinger.emit(header);
  // setup(), after the header: the interval times the preload must fit an int
  if (o.interval >= Math.trunc(2147483647 / o.preload)) {
    pinger.emitErr(`ping: illegal preload and/or interval: ${o.interval}\n`);
    return ordered(pinger.chunks, 2);
  }
  await pinger.loop();
  pinger.emit(pinger.statistics());
  const code = !pinger.nreceived || (o.deadline && pinger.nreceived < o.count) ? 1 : 0;
  return ordered(pinger.chunks, code);
}

/**
 * ping6_run(): the setup of an IPv6 ping over the packet engine. The target
 * may carry a zone (`fe80::1%eth0`, its interface); -I with a device leaves
 * the source unbound (iputils warns that the kernel may pick it on another
 * device, and prints `from ::`).
 */
function ping6Setup(o: Opts, target: string, resolved: string, hasNext: boolean, warn: string[], sys: Sys): PingSetup | null {
  const world = sys.world;
  const ns = world.ns(sys.ns);
  const pct = target.indexOf('%');
  const zone = pct >= 0 && isIPv6(target.slice(0, pct)) ? target.slice(pct + 1) : null;
  const dst = zone !== null ? (canonicalIp(target.slice(0, pct)) ?? resolved) : resolved;
  const numeric = o.numeric || target.includes(':');
  let oif: number | null = null;
  let early = warn.join('');
  if (o.device !== null) {
    const l = findLink(ns, o.device);
    if (!l) die(2, `SO_BINDTODEVICE ${o.device}: No such device`);
    oif = l.ifindex;
    early += `ping: Warning: source address might be selected on device other than: ${o.device}\n`;
  }
  if (zone !== null) {
    const l = findLink(ns, zone);
    if (!l) die(2, `${target}: ${GAI_STRERROR.EAI_NONAME}`);
    oif = l.ifindex;
  }
  const rt = routeFor(world, sys.ns, dst, oif);
  if (typeof rt === 'string') {
    if ((rt === 'EHOSTUNREACH' || rt === 'ENETUNREACH') && hasNext) return null;
    die(2, connectMessage(rt));
  }
  if (o.source !== null && !ns.addrs.some((a) => a.family === 6 && a.local === o.source)) die(2, `bind icmp socket: ${STRERROR.EADDRNOTAVAIL}`);
  if (o.source !== null && ns.addrs.some((a) => a.family === 6 && a.local === o.source && (a.dadFailed || (a.tentativeUntil != null && a.tentativeUntil > world.now())))) die(2, `bind icmp socket: ${STRERROR.EADDRNOTAVAIL}`);
  const source = o.source ?? '::';
  const scope = dst.startsWith('fe80') ? (linkByIndex(ns, rt.oif)?.name ?? null) : null;
  return { dst, hostname: target, numeric, oif, rt, source, early, v6: true, scope, shown: zone !== null ? `${dst}%${zone}` : dst };
}

async function pingV6(o: Opts, target: string, resolved: string, hasNext: boolean, warn: string[], io: CmdIO, sys: Sys): Promise<CmdResult | null> {
  const p = ping6Setup(o, target, resolved, hasNext, warn, sys);
  if (!p) return null;
  const pinger = new Pinger(o, p, io, sys);
  if (o.pattern !== null) pinger.emit(`PATTERN: 0x${o.pattern}\n`);
  pinger.emitErr(p.early);
  // ping6_run(): the header names the target as typed, then its address (with the zone it was given)
  let header = `PING ${p.hostname}(${p.numeric ? p.shown : prAddr(sys, p.dst)}) `;
  if (o.device !== null || o.source !== null) header += `from ${p.source} ${o.device ?? ''}: `;
  header += `${o.datalen} data bytes\n`;
  pinger.emit(header);
  await pinger.loop();
  pinger.emit(pinger.statistics());
  const code = !pinger.nreceived || (o.deadline && pinger.nreceived < o.count) ? 1 : 0;
  return ordered(pinger.chunks, code);
}

function isMulticast(addr: string): boolean {
  const first = Number(addr.split('.')[0]);
  return first >= 224 && first <= 239;
}

/** iputils pr_addr() of an address (not -n). */
function prAddr(sys: Sys, addr: string): string {
  const r = getnameinfo(resolverCtx(sys), addr);
  return r.ok ? `${r.name} (${addr})` : addr;
}

/** printf("%g") of a percentage. */
function fmtG(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const p = Number(v.toPrecision(6));
  return String(p);
}

export const ping: NetCommand = {
  name: 'ping',
  complete: completePing,
  async run(args: string[], io: CmdIO, sys: Sys): Promise<CmdResult> {
    try {
      return await run(args, io, sys);
    } catch (e) {
      if (e instanceof Exit) return { stdout: e.stdout, stderr: e.stderr, exitCode: e.code };
      throw e;
    }
  },
};

/** iputils installs ping6 as a link to ping: called so, it pings over IPv6 only (as -6). */
export const ping6: NetCommand = {
  name: 'ping6',
  complete: completePing,
  run(args: string[], io: CmdIO, sys: Sys): Promise<CmdResult> {
    return ping.run(['-6', ...args], io, sys);
  },
};
