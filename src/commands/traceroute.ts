// Modern traceroute for Linux 2.1.2: UDP probes to port 33434+n (default),
// ICMP echo (-I) or TCP SYN (-T), TTL 1.. max_hops, nqueries probes per
// hop, answers through the packet engine (time exceeded from routers, port
// unreachable / echo reply / SYN-ACK / RST from the destination, !N !H !P !X
// for unreachables), `*` for silence, names unless -n.
import { Engine, ICMP_DEST_UNREACH, ICMP_ECHO, ICMP_TIME_EXCEEDED, makePacket, routeFor, type SockEvent } from '../sim/packet';
import { TCP_ACK, TCP_RST, TCP_SYN } from '../sim/conntrack';
import { inetAton, resolveHost, resolverCtx, reverseLookup } from '../sim/resolver';
import { allocEphemeralPort, isLocalAddress } from '../sim/sockets';
import { findLink } from '../sim/netdev';
import { sysctlValue } from '../sim/proc-sys';
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

async function run(args: string[], io: CmdIO, sys: Sys): Promise<CmdResult> {
  void io;
  let numeric = false;
  let maxHops = 30;
  let firstHop = 1;
  let nqueries = 3;
  let waitMax = 5;
  let method: 'udp' | 'icmp' | 'tcp' | 'udpport' = 'udp';
  let port: number | null = null;
  let device: string | null = null;
  let source: string | null = null;
  const positional: string[] = [];
  const takes = new Set(['f', 'g', 'i', 'm', 'N', 'p', 't', 'l', 'w', 'q', 's', 'z', 'M', 'O', 'P']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const argc = i + 1;
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
      const val = (): string => {
        if (inline !== undefined) return inline;
        if (i + 1 < args.length) return args[++i]!;
        throw new Fail(2, `Option \`${a}' (argc ${argc}) requires an argument: \`--${name}=${name}'\n`);
      };
      switch (name) {
        case 'help':
          return { stdout: TRACEROUTE_USAGE, stderr: '', exitCode: 0 };
        case 'version':
          return { stdout: 'Modern traceroute for Linux, version 2.1.2\nCopyright (c) 2016  Dmitry Butskoy,   License: GPL v2 or any later\n', stderr: '', exitCode: 0 };
        case 'icmp':
          method = 'icmp';
          break;
        case 'tcp':
          method = 'tcp';
          break;
        case 'udp':
          method = 'udpport';
          break;
        case 'max-hops':
          maxHops = parseNum(val(), a, argc);
          break;
        case 'first':
          firstHop = parseNum(val(), a, argc);
          break;
        case 'queries':
          nqueries = parseNum(val(), a, argc);
          break;
        case 'wait':
          waitMax = parseWait(val(), a, argc);
          break;
        case 'port':
          port = parseNum(val(), a, argc);
          break;
        case 'interface':
          device = val();
          break;
        case 'source':
          source = val();
          break;
        default:
          if (['sim-queries', 'sendwait', 'fwmark', 'sport', 'gateway', 'tos', 'flowlabel', 'module', 'options'].includes(name)) {
            if (inline === undefined && name !== 'mtu' && name !== 'back') val();
            break;
          }
          if (['debug', 'dont-fragment', 'extensions', 'as-path-lookups', 'mtu', 'back', 'dccp'].includes(name)) break;
          throw new Fail(2, `Bad option \`${a}' (argc ${argc})\n`);
      }
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      positional.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (takes.has(c)) {
        let v: string;
        if (j + 1 < a.length) v = a.slice(j + 1);
        else if (i + 1 < args.length) v = args[++i]!;
        else throw new Fail(2, `Option \`-${c}' (argc ${argc}) requires an argument: \`-${c} ${c === 'm' ? 'max_ttl' : 'value'}'\n`);
        j = a.length;
        switch (c) {
          case 'm':
            maxHops = parseNum(v, `-${c}`, argc);
            break;
          case 'f':
            firstHop = parseNum(v, `-${c}`, argc);
            break;
          case 'q':
            nqueries = parseNum(v, `-${c}`, argc);
            break;
          case 'w':
            waitMax = parseWait(v, `-${c}`, argc);
            break;
          case 'p':
            port = parseNum(v, `-${c}`, argc);
            break;
          case 'i':
            device = v;
            break;
          case 's':
            source = v;
            break;
          default:
            break;
        }
        continue;
      }
      switch (c) {
        case 'n':
          numeric = true;
          break;
        case 'I':
          method = 'icmp';
          break;
        case 'T':
          method = 'tcp';
          break;
        case 'U':
          method = 'udpport';
          break;
        case 'V':
          return { stdout: 'Modern traceroute for Linux, version 2.1.2\nCopyright (c) 2016  Dmitry Butskoy,   License: GPL v2 or any later\n', stderr: '', exitCode: 0 };
        case '4':
        case 'd':
        case 'F':
        case 'r':
        case 'e':
        case 'A':
        case 'D':
          break;
        case '6':
          throw new Fail(2, 'traceroute: IPv6 is not available on this simulated host\n');
        default:
          throw new Fail(2, `Bad option \`-${c}' (argc ${argc})\n`);
      }
    }
  }
  if (positional.length === 0) return { stdout: TRACEROUTE_USAGE, stderr: '', exitCode: 0 };
  const target = positional[0]!;
  if (maxHops > 255) throw new Fail(2, 'max hops cannot be more than 255\n');
  if (firstHop < 1 || firstHop > maxHops) throw new Fail(2, 'first hop out of range\n');
  if (nqueries < 1 || nqueries > 10) throw new Fail(2, 'no more than 10 probes per hop\n');

  const world = sys.world;
  const ns = world.ns(sys.ns);
  let dst = inetAton(target);
  if (dst === null) {
    const r = resolveHost(sys, target, 4);
    if (!r.ok || !r.addrs.some((a) => a.family === 4)) {
      const msg = r.ok ? 'Address family for hostname not supported' : r.message;
      throw new Fail(2, `${target}: ${msg}\nCannot handle "host" cmdline arg \`${target}' on position 1 (argc ${args.indexOf(target) + 1})\n`);
    }
    dst = r.addrs.find((a) => a.family === 4)!.addr;
  }
  const packetLen = positional[1] !== undefined ? Number(positional[1]) : 60;
  if (packetLen > 65000) throw new Fail(2, `too big packetlen ${packetLen} specified\n`);
  let out = `traceroute to ${target} (${dst}), ${maxHops} hops max, ${packetLen} byte packets`;
  // the probe socket is set up after the header is printed: SO_BINDTODEVICE, then bind() of -s
  let oif: number | null = null;
  if (device !== null) {
    const l = findLink(ns, device);
    if (!l) return { stdout: out + '\n', stderr: 'setsockopt SO_BINDTODEVICE: No such device\n', exitCode: 1 };
    oif = l.ifindex;
  }
  if (source !== null && source !== '0.0.0.0' && !isLocalAddress(ns, source)) return { stdout: out + '\n', stderr: 'bind: Cannot assign requested address\n', exitCode: 1 };
  const rt = routeFor(world, sys.ns, dst, oif);
  if (typeof rt === 'string') {
    const msg = rt === 'ENETUNREACH' ? 'Network is unreachable' : rt === 'EHOSTUNREACH' ? 'No route to host' : rt === 'EACCES' ? 'Permission denied' : 'Invalid argument';
    return { stdout: out + '\n', stderr: `send: ${msg}\n`, exitCode: 1 };
  }
  const src = source ?? rt.prefsrc ?? '';

  const eng = new Engine(world);
  const probes: Probe[] = [];
  const sport = allocEphemeralPort(world, sys.ns, 'odd', (p) => !ns.sockets.some((s) => s.localPort === p));
  const icmpId = 1 + Math.floor(world.random() * 65534);
  const basePort = port ?? (method === 'udp' ? 33434 : method === 'tcp' ? 80 : method === 'udpport' ? 53 : 1);
  const onEvent = (ev: SockEvent): void => {
    let p: Probe | undefined;
    if (ev.kind === 'icmp-error') {
      const inner = ev.inner;
      if (inner.dst !== dst) return;
      if (method === 'icmp') p = probes.find((x) => x.seq === inner.icmpSeq && !x.done);
      else p = probes.find((x) => x.port === inner.dport && !x.done && (method === 'udp' || x.seq === Number((inner.data as { probe?: number } | null)?.probe ?? x.seq)));
      if (!p) return;
      p.recv = ev.t;
      p.from = ev.from;
      if (ev.type === ICMP_DEST_UNREACH) {
        p.err = unreachMark(ev.code);
        p.final = true;
      } else if (ev.type !== ICMP_TIME_EXCEEDED || ev.code !== 0) {
        p.err = `!<${ev.type}-${ev.code}>`;
        p.final = true;
      }
      p.done = true;
    } else if (ev.kind === 'echo-reply') {
      p = probes.find((x) => x.seq === ev.seq && !x.done);
      if (!p) return;
      p.recv = ev.t;
      p.from = ev.from;
      p.final = true;
      p.done = true;
    } else if (ev.kind === 'tcp') {
      const pk = ev.pkt;
      if (pk.src !== dst) return;
      p = probes.find((x) => !x.done && x.seq === (pk.data as { probe?: number } | null)?.probe) ?? probes.find((x) => !x.done);
      if (!p) return;
      if (pk.tcpFlags & TCP_RST || (pk.tcpFlags & TCP_SYN && pk.tcpFlags & TCP_ACK)) {
        p.recv = ev.t;
        p.from = pk.src;
        p.final = true;
        p.done = true;
      }
    } else if (ev.kind === 'udp') {
      p = probes.find((x) => !x.done);
      if (!p) return;
      p.recv = ev.t;
      p.from = ev.from;
      p.final = true;
      p.done = true;
    }
  };
  if (method === 'icmp') eng.openIcmp(sys.ns, icmpId, onEvent);
  else if (method === 'tcp') eng.openTcp(sys.ns, sport, onEvent);
  else eng.openUdp(sys.ns, sport, onEvent);

  const name = (a: string): string => {
    if (numeric) return a;
    return `${reverseLookup(resolverCtx(sys), a) ?? a} (${a})`;
  };
  const dataLen = Math.max(0, packetLen - 28);
  // do_it(): up to `simProbes` probes in flight at once (-N, 16), in hop order; hops are printed in order
  // as their probes are answered or expire, and the first hop with a final answer ends the trace (later
  // probes already sent still reach their targets: counters and conntrack see them)
  const simProbes = 16;
  let seq = 0;
  let end = (maxHops - firstHop + 1) * nqueries;
  let printed = 0;
  const sendProbe = (n: number): void => {
    const ttl = firstHop + Math.floor(n / nqueries);
    seq++;
    const probePort = method === 'udp' ? basePort + (seq - 1) : basePort;
    const p: Probe = { ttl, seq, port: probePort, sent: world.now(), recv: null, from: null, err: '', final: false, done: false };
    probes.push(p);
    const pkt =
      method === 'icmp'
        ? makePacket({ src, dst, proto: 'icmp', len: packetLen, icmpType: ICMP_ECHO, sport: icmpId, dport: icmpId, icmpSeq: seq, ttl })
        : method === 'tcp'
          ? makePacket({ src, dst, proto: 'tcp', len: packetLen, sport, dport: probePort, tcpFlags: TCP_SYN, ttl, data: { probe: seq } })
          : makePacket({ src, dst, proto: 'udp', len: 28 + dataLen, sport, dport: probePort, ttl, data: { probe: seq } });
    const err = eng.ipLocalOut(ns, pkt, { oif });
    if (err) {
      p.done = true;
      p.err = '';
    }
    // probes leave a few microseconds apart
    eng.run(world.now() + 0.002);
  };
  const printHop = (hop: Probe[]): void => {
    out += `\n${String(hop[0]!.ttl).padStart(2, ' ')} `;
    let prevFrom: string | null = null;
    for (const p of hop) {
      if (!p.from) out += ' *';
      else {
        if (p.from !== prevFrom) out += ` ${name(p.from)}`;
        prevFrom = p.from;
        out += `  ${(p.recv! - p.sent).toFixed(3)} ms`;
        if (p.err) out += ` ${p.err}`;
      }
    }
  };
  const isDone = (): number => probes.filter((p) => p.done).length;
  for (let guard = 0; printed < end && guard < 100_000; guard++) {
    // keep the window full
    let inflight = probes.slice(printed).filter((p) => !p.done).length;
    while (probes.length < end && inflight < simProbes) {
      sendProbe(probes.length);
      inflight++;
    }
    // poll(): wait for an answer (or the next expiry) unless one is already there, then read everything
    // that came in meanwhile (on a LAN the other answers follow within microseconds)
    const pending = probes.slice(printed).filter((p) => !p.done);
    const ready = probes.slice(printed, printed + nqueries).length === nqueries && probes.slice(printed, printed + nqueries).every((p) => p.done);
    if (pending.length && !ready) {
      const nextExpiry = Math.min(...pending.map((p) => p.sent + waitMax * 1000));
      const before = isDone();
      eng.runWhile(nextExpiry, () => isDone() === before);
      eng.run(Math.min(world.now() + 1, nextExpiry));
    }
    // expire what waited long enough
    const now = world.now();
    for (const p of probes) if (!p.done && now >= p.sent + waitMax * 1000) p.done = true;
    // a final answer ends the trace at its hop
    for (let n = printed; n < probes.length && n < end; n++) {
      if (probes[n]!.done && probes[n]!.final) {
        end = (Math.floor(n / nqueries) + 1) * nqueries;
        break;
      }
    }
    // print every complete hop from the first unprinted one
    while (printed < end && probes.length >= printed + nqueries && probes.slice(printed, printed + nqueries).every((p) => p.done)) {
      printHop(probes.slice(printed, printed + nqueries));
      printed += nqueries;
    }
  }
  out += '\n';
  void sysctlValue;
  return { stdout: out, stderr: '', exitCode: 0 };
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
