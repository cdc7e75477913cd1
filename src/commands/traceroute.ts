// Modern traceroute for Linux 2.1.2: UDP probes to port 33434+n (default),
// ICMP echo (-I) or TCP SYN (-T), TTL 1.. max_hops, nqueries probes per
// hop, answers through the packet engine (time exceeded from routers, port
// unreachable / echo reply / SYN-ACK / RST from the destination, !N !H !P !X
// for unreachables), `*` for silence, names unless -n.
import { table } from '../sim/own';
import { Engine, ICMP_DEST_UNREACH, ICMP_ECHO, ICMP_TIME_EXCEEDED, makePacket, routeFor, type SockEvent } from '../sim/packet';
import { TCP_ACK, TCP_RST, TCP_SYN } from '../sim/conntrack';
import { ICMP6_DEST_UNREACH, ICMP6_ECHO_REQUEST, ICMP6_TIME_EXCEED } from '../sim/packet-model';
import { canonicalIp, isIPv6 } from '../sim/ip';
import { inetAton, resolveHost, resolverCtx, reverseLookup } from '../sim/resolver';
import { allocEphemeralPort, isLocalAddress } from '../sim/sockets';
import { findLink } from '../sim/netdev';
import { TRACEROUTE_USAGE } from './net-usage';
import type { CmdIO, CmdResult, NetCommand, Sys } from './types';
import { completeTraceroute } from './completion-clients';

interface Probe {
  ttl: number;
  seq: number;
  port: number;
  sent: number;
  recv: number | null;
  from: string | null;
  err: string;
  final: boolean;
  done: boolean;
}

class Fail extends Error {
  constructor(
    public code: number,
    public text: string,
  ) {
    super(text);
  }
}

/** traceroute's IPv6 marks for a Destination Unreachable code (port unreachable ends the trace unmarked). */
function unreach6Mark(code: number): string {
  const m: Record<number, string> = { 0: '!N', 1: '!X', 2: '!S', 3: '!H', 4: '' };
  return m[code] ?? `!<${code}>`;
}

function unreachMark(code: number): string {
  switch (code) {
    case 0:
    case 6:
    case 8:
    case 11:
      return '!N';
    case 1:
    case 7:
    case 12:
      return '!H';
    case 9:
    case 10:
    case 13:
      return '!X';
    case 3:
      return '';
    case 2:
      return '!P';
    case 4:
      return '!F-0';
    case 5:
      return '!S';
    case 14:
      return '!V';
    case 15:
      return '!C';
    default:
      return `!<${code}>`;
  }
}

/** set_wait_specs(): "MAX[,HERE[,NEAR]]" (HERE and NEAR 0 unless given); a negative one is fatal. */
function parseWait(v: string, opt: string, argc: number): number {
  const m = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?:,([-+]?(?:\d+\.?\d*|\.\d+)))?(?:,([-+]?(?:\d+\.?\d*|\.\d+)))?$/.exec(v);
  if (!m) throw new Fail(2, `Cannot handle \`${opt}' option with arg \`${v}' (argc ${argc})\n`);
  const [max, here, near] = [Number(m[1]), Number(m[2] ?? '0'), Number(m[3] ?? '0')];
  if (max < 0 || here < 0 || near < 0) throw new Fail(2, `bad wait specifications \`${max},${here},${near}' used\n`);
  return max;
}

function parseNum(s: string, opt: string, argc: number): number {
  if (!/^-?\d+$/.test(s)) throw new Fail(2, `Cannot handle \`${opt}' option with arg \`${s}' (argc ${argc})\n`);
  return Number(s);
}

type Method = 'udp' | 'icmp' | 'tcp' | 'udpport';

interface TraceOpts {
  numeric: boolean;
  maxHops: number;
  firstHop: number;
  nqueries: number;
  waitMax: number;
  method: Method;
  port: number | null;
  device: string | null;
  source: string | null;
  positional: string[];
  /** -4 / -6 (0: the address's family; a name resolves to IPv4) */
  family: 0 | 4 | 6;
}

const VERSION_TEXT = 'Modern traceroute for Linux, version 2.1.2\nCopyright (c) 2016  Dmitry Butskoy,   License: GPL v2 or any later\n';
/** short options that take a value */
const TAKES = new Set(['f', 'g', 'i', 'm', 'N', 'p', 't', 'l', 'w', 'q', 's', 'z', 'M', 'O', 'P']);
/** long options with a value that change nothing here */
const LONG_VALUED_NOOP = ['sim-queries', 'sendwait', 'fwmark', 'sport', 'gateway', 'tos', 'flowlabel', 'module', 'options'];
const LONG_FLAG_NOOP = ['debug', 'dont-fragment', 'extensions', 'as-path-lookups', 'mtu', 'back', 'dccp'];

/** The option a value sets, by its short letter (the long options map onto these). */
function setValue(o: TraceOpts, c: string, v: string, opt: string, argc: number): void {
  switch (c) {
    case 'm':
      o.maxHops = parseNum(v, opt, argc);
      break;
    case 'f':
      o.firstHop = parseNum(v, opt, argc);
      break;
    case 'q':
      o.nqueries = parseNum(v, opt, argc);
      break;
    case 'w':
      o.waitMax = parseWait(v, opt, argc);
      break;
    case 'p':
      o.port = parseNum(v, opt, argc);
      break;
    case 'i':
      o.device = v;
      break;
    case 's':
      o.source = v;
      break;
  }
}

const LONG_VALUED: Record<string, string> = table({ 'max-hops': 'm', first: 'f', queries: 'q', wait: 'w', port: 'p', interface: 'i', source: 's' });
const LONG_METHOD: Record<string, Method> = table({ icmp: 'icmp', tcp: 'tcp', udp: 'udpport' });
const SHORT_METHOD: Record<string, Method> = { I: 'icmp', T: 'tcp', U: 'udpport' };

/** One --option; a result when it ends the command (--help, --version). */
function longOption(o: TraceOpts, args: string[], i: number, argc: number): { result?: CmdResult; used: number } {
  const a = args[i]!;
  const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
  let used = 0;
  const val = (): string => {
    if (inline !== undefined) return inline;
    if (i + 1 < args.length) {
      used = 1;
      return args[i + 1]!;
    }
    throw new Fail(2, `Option \`${a}' (argc ${argc}) requires an argument: \`--${name}=${name}'\n`);
  };
  if (name === 'help') return { result: { stdout: TRACEROUTE_USAGE, stderr: '', exitCode: 0 }, used };
  if (name === 'version') return { result: { stdout: VERSION_TEXT, stderr: '', exitCode: 0 }, used };
  if (LONG_METHOD[name]) o.method = LONG_METHOD[name]!;
  else if (LONG_VALUED[name]) setValue(o, LONG_VALUED[name]!, val(), a, argc);
  else if (LONG_VALUED_NOOP.includes(name)) {
    if (inline === undefined) val();
  } else if (!LONG_FLAG_NOOP.includes(name)) throw new Fail(2, `Bad option \`${a}' (argc ${argc})\n`);
  return { used };
}

/** A cluster of short options (-nI, -m5, -w 2); a result when it ends the command (-V). */
function shortOptions(o: TraceOpts, args: string[], i: number, argc: number): { result?: CmdResult; used: number } {
  const a = args[i]!;
  for (let j = 1; j < a.length; j++) {
    const c = a[j]!;
    if (TAKES.has(c)) {
      let used = 0;
      let v: string;
      if (j + 1 < a.length) v = a.slice(j + 1);
      else if (i + 1 < args.length) {
        v = args[i + 1]!;
        used = 1;
      } else throw new Fail(2, `Option \`-${c}' (argc ${argc}) requires an argument: \`-${c} ${c === 'm' ? 'max_ttl' : 'value'}'\n`);
      setValue(o, c, v, `-${c}`, argc);
      return { used };
    }
    if (c === 'n') o.numeric = true;
    else if (SHORT_METHOD[c]) o.method = SHORT_METHOD[c]!;
    else if (c === 'V') return { result: { stdout: VERSION_TEXT, stderr: '', exitCode: 0 }, used: 0 };
    else if (c === '6') o.family = 6;
    else if (c === '4') o.family = 4;
    else if (!'dFreAD'.includes(c)) throw new Fail(2, `Bad option \`-${c}' (argc ${argc})\n`);
  }
  return { used: 0 };
}

function parseOptions(args: string[]): TraceOpts | CmdResult {
  const o: TraceOpts = { numeric: false, maxHops: 30, firstHop: 1, nqueries: 3, waitMax: 5, method: 'udp', port: null, device: null, source: null, positional: [], family: 0 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-') || a === '-') {
      o.positional.push(a);
      continue;
    }
    const r = a.startsWith('--') ? longOption(o, args, i, i + 1) : shortOptions(o, args, i, i + 1);
    if (r.result) return r.result;
    i += r.used;
  }
  return o;
}

/** The destination's address: a dotted quad, or the first IPv4 address of the name. */
function resolveTarget(sys: Sys, target: string, args: string[], family: 0 | 4 | 6): string {
  const fail = (msg: string): never => {
    throw new Fail(2, `${target}: ${msg}\nCannot handle "host" cmdline arg \`${target}' on position 1 (argc ${args.indexOf(target) + 1})\n`);
  };
  const dst = family !== 6 ? inetAton(target) : null;
  if (dst !== null) return dst;
  if (isIPv6(target)) {
    if (family === 4) fail('Address family for hostname not supported');
    return canonicalIp(target) ?? target;
  }
  const want = family === 6 ? 6 : 4;
  const r = resolveHost(sys, target, want);
  if (!r.ok || !r.addrs.some((a) => a.family === want)) fail(r.ok ? 'Address family for hostname not supported' : r.message);
  return (r as Extract<typeof r, { ok: true }>).addrs.find((a) => a.family === want)!.addr;
}

/** do_it(): the probes, their answers through the packet engine, and the hop lines. */
class Trace {
  private readonly probes: Probe[] = [];
  private readonly eng: Engine;
  private readonly sport: number;
  private readonly icmpId: number;
  private readonly basePort: number;
  private seq = 0;
  private readonly v6: boolean;
  out: string;

  constructor(
    private readonly sys: Sys,
    private readonly o: TraceOpts,
    private readonly dst: string,
    private readonly src: string,
    private readonly oif: number | null,
    private readonly packetLen: number,
    header: string,
  ) {
    const world = sys.world;
    const ns = world.ns(sys.ns);
    this.v6 = dst.includes(':');
    this.out = header;
    this.eng = new Engine(world);
    this.sport = allocEphemeralPort(world, sys.ns, 'odd', (p) => !ns.sockets.some((s) => s.localPort === p));
    this.icmpId = 1 + Math.floor(world.random() * 65534);
    const m = o.method;
    this.basePort = o.port ?? (m === 'udp' ? 33434 : m === 'tcp' ? 80 : m === 'udpport' ? 53 : 1);
    const onEvent = (ev: SockEvent): void => this.onEvent(ev);
    if (m === 'icmp') this.eng.openIcmp(sys.ns, this.icmpId, onEvent);
    else if (m === 'tcp') this.eng.openTcp(sys.ns, this.sport, onEvent);
    else this.eng.openUdp(sys.ns, this.sport, onEvent);
  }

  /** the probe an answer belongs to, and what it says */
  private onEvent(ev: SockEvent): void {
    const { probes, dst, o } = this;
    let p: Probe | undefined;
    let from: string | null = null;
    let err = '';
    let final = false;
    if (ev.kind === 'icmp-error') {
      const inner = ev.inner;
      if (inner.dst !== dst) return;
      if (o.method === 'icmp') p = probes.find((x) => x.seq === inner.icmpSeq && !x.done);
      else p = probes.find((x) => x.port === inner.dport && !x.done && (o.method === 'udp' || x.seq === Number((inner.data as { probe?: number } | null)?.probe ?? x.seq)));
      from = ev.from;
      if (this.v6) {
        if (ev.type === ICMP6_DEST_UNREACH) {
          err = unreach6Mark(ev.code);
          final = true;
        } else if (ev.type !== ICMP6_TIME_EXCEED || ev.code !== 0) {
          err = `!<${ev.type}-${ev.code}>`;
          final = true;
        }
      } else if (ev.type === ICMP_DEST_UNREACH) {
        err = unreachMark(ev.code);
        final = true;
      } else if (ev.type !== ICMP_TIME_EXCEEDED || ev.code !== 0) {
        err = `!<${ev.type}-${ev.code}>`;
        final = true;
      }
    } else if (ev.kind === 'echo-reply') {
      p = probes.find((x) => x.seq === ev.seq && !x.done);
      from = ev.from;
      final = true;
    } else if (ev.kind === 'tcp') {
      const pk = ev.pkt;
      if (pk.src !== dst) return;
      p = probes.find((x) => !x.done && x.seq === (pk.data as { probe?: number } | null)?.probe) ?? probes.find((x) => !x.done);
      if (!(pk.tcpFlags & TCP_RST || (pk.tcpFlags & TCP_SYN && pk.tcpFlags & TCP_ACK))) return;
      from = pk.src;
      final = true;
    } else if (ev.kind === 'udp') {
      p = probes.find((x) => !x.done);
      from = ev.from;
      final = true;
    } else return;
    if (!p) return;
    Object.assign(p, { recv: ev.t, from, final, done: true }, err ? { err } : {});
  }

  private sendProbe(n: number): void {
    const { o, dst, src, sport, icmpId, packetLen } = this;
    const world = this.sys.world;
    const ttl = o.firstHop + Math.floor(n / o.nqueries);
    const seq = ++this.seq;
    const probePort = o.method === 'udp' ? this.basePort + (seq - 1) : this.basePort;
    const p: Probe = { ttl, seq, port: probePort, sent: world.now(), recv: null, from: null, err: '', final: false, done: false };
    this.probes.push(p);
    const hdr = this.v6 ? 48 : 28;
    const dataLen = Math.max(0, packetLen - hdr);
    const pkt =
      o.method === 'icmp'
        ? makePacket({ src, dst, proto: 'icmp', len: packetLen, icmpType: this.v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO, sport: icmpId, dport: icmpId, icmpSeq: seq, ttl })
        : o.method === 'tcp'
          ? makePacket({ src, dst, proto: 'tcp', len: packetLen, sport, dport: probePort, tcpFlags: TCP_SYN, ttl, data: { probe: seq } })
          : makePacket({ src, dst, proto: 'udp', len: hdr + dataLen, sport, dport: probePort, ttl, data: { probe: seq } });
    const err = this.eng.ipLocalOut(world.ns(this.sys.ns), pkt, { oif: this.oif });
    if (err) {
      p.done = true;
      p.err = '';
    }
    // probes leave a few microseconds apart
    this.eng.run(world.now() + 0.002);
  }

  private name(a: string): string {
    if (this.o.numeric) return a;
    return `${reverseLookup(resolverCtx(this.sys), a) ?? a} (${a})`;
  }

  private printHop(hop: Probe[]): void {
    this.out += `\n${String(hop[0]!.ttl).padStart(2, ' ')} `;
    let prevFrom: string | null = null;
    for (const p of hop) {
      if (!p.from) this.out += ' *';
      else {
        if (p.from !== prevFrom) this.out += ` ${this.name(p.from)}`;
        prevFrom = p.from;
        this.out += `  ${(p.recv! - p.sent).toFixed(3)} ms`;
        if (p.err) this.out += ` ${p.err}`;
      }
    }
  }

  /** poll(): wait for an answer (or the next expiry) unless the next hop is complete, then read what came in meanwhile */
  private wait(printed: number): void {
    const { probes, o } = this;
    const pending = probes.slice(printed).filter((p) => !p.done);
    const hop = probes.slice(printed, printed + o.nqueries);
    const ready = hop.length === o.nqueries && hop.every((p) => p.done);
    if (!pending.length || ready) return;
    const nextExpiry = Math.min(...pending.map((p) => p.sent + o.waitMax * 1000));
    const isDone = (): number => probes.filter((p) => p.done).length;
    const before = isDone();
    this.eng.runWhile(nextExpiry, () => isDone() === before);
    // on a LAN the other answers follow within microseconds
    this.eng.run(Math.min(this.sys.world.now() + 1, nextExpiry));
  }

  /**
   * Up to 16 probes in flight at once (-N), in hop order; hops are printed in order as their probes are
   * answered or expire, and the first hop with a final answer ends the trace (later probes already sent
   * still reach their targets: counters and conntrack see them).
   */
  run(): string {
    const { probes, o } = this;
    const simProbes = 16;
    let end = (o.maxHops - o.firstHop + 1) * o.nqueries;
    let printed = 0;
    for (let guard = 0; printed < end && guard < 100_000; guard++) {
      let inflight = probes.slice(printed).filter((p) => !p.done).length;
      while (probes.length < end && inflight < simProbes) {
        this.sendProbe(probes.length);
        inflight++;
      }
      this.wait(printed);
      const now = this.sys.world.now();
      for (const p of probes) if (!p.done && now >= p.sent + o.waitMax * 1000) p.done = true;
      for (let n = printed; n < probes.length && n < end; n++) {
        if (probes[n]!.done && probes[n]!.final) {
          end = (Math.floor(n / o.nqueries) + 1) * o.nqueries;
          break;
        }
      }
      while (printed < end && probes.length >= printed + o.nqueries && probes.slice(printed, printed + o.nqueries).every((p) => p.done)) {
        this.printHop(probes.slice(printed, printed + o.nqueries));
        printed += o.nqueries;
      }
    }
    return this.out + '\n';
  }
}

async function run(args: string[], _io: CmdIO, sys: Sys): Promise<CmdResult> {
  const o = parseOptions(args);
  if (!('positional' in o)) return o;
  if (o.positional.length === 0) return { stdout: TRACEROUTE_USAGE, stderr: '', exitCode: 0 };
  const target = o.positional[0]!;
  if (o.maxHops > 255) throw new Fail(2, 'max hops cannot be more than 255\n');
  if (o.firstHop < 1 || o.firstHop > o.maxHops) throw new Fail(2, 'first hop out of range\n');
  if (o.nqueries < 1 || o.nqueries > 10) throw new Fail(2, 'no more than 10 probes per hop\n');
  const world = sys.world;
  const ns = world.ns(sys.ns);
  const dst = resolveTarget(sys, target, args, o.family);
  const lenArg = o.positional[1];
  if (lenArg !== undefined && !/^-?\d+$/.test(lenArg)) {
    throw new Fail(2, `Cannot handle "packetlen" cmdline arg \`${lenArg}' on position 2 (argc ${args.lastIndexOf(lenArg) + 1})\n`);
  }
  const packetLen = lenArg !== undefined ? Number(lenArg) : dst.includes(':') ? 80 : 60;
  if (packetLen > 65000) throw new Fail(2, `too big packetlen ${packetLen} specified\n`);
  const header = `traceroute to ${target} (${dst}), ${o.maxHops} hops max, ${packetLen} byte packets`;
  // the probe socket is set up after the header is printed: SO_BINDTODEVICE, then bind() of -s
  let oif: number | null = null;
  if (o.device !== null) {
    const l = findLink(ns, o.device);
    if (!l) return { stdout: header + '\n', stderr: 'setsockopt SO_BINDTODEVICE: No such device\n', exitCode: 1 };
    oif = l.ifindex;
  }
  if (o.source !== null && o.source !== '0.0.0.0' && o.source !== '::' && !isLocalAddress(ns, o.source)) return { stdout: header + '\n', stderr: 'bind: Cannot assign requested address\n', exitCode: 1 };
  const rt = routeFor(world, sys.ns, dst, oif);
  if (typeof rt === 'string') {
    const msg = rt === 'ENETUNREACH' ? 'Network is unreachable' : rt === 'EHOSTUNREACH' ? 'No route to host' : rt === 'EACCES' ? 'Permission denied' : 'Invalid argument';
    return { stdout: header + '\n', stderr: `send: ${msg}\n`, exitCode: 1 };
  }
  const stdout = new Trace(sys, o, dst, o.source ?? rt.prefsrc ?? '', oif, packetLen, header).run();
  return { stdout, stderr: '', exitCode: 0 };
}

export const traceroute: NetCommand = {
  name: 'traceroute',
  complete: completeTraceroute,
  async run(args: string[], io: CmdIO, sys: Sys): Promise<CmdResult> {
    try {
      return await run(args, io, sys);
    } catch (e) {
      if (e instanceof Fail) return { stdout: '', stderr: e.text, exitCode: e.code };
      throw e;
    }
  },
};
