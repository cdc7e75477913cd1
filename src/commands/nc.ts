// OpenBSD netcat (Debian patchlevel 1.219-1): TCP (and UDP with -u)
// connects through the packet engine, port scans with -z, -v reports,
// -w timeouts, stdin sent on the connection and the answer printed, and
// -l listening (a listener owned by an nc process, until Ctrl-C).
import { tcpConnect, udpExchange, type TcpConnectResult } from '../sim/packet';
import { inetAton, resolveHost } from '../sim/resolver';
import { canonV6, isV6 } from '../sim/dns';
import { STRERROR, type Errno } from '../sim/errors';
import { closeSocket, listenTcp, bindUdp, isLocalAddress, liveSockets } from '../sim/sockets';
import { spawnProcess, killProcess } from '../sim/process';
import { icmpErrno } from '../sim/packet';
import { parseServices, etcServices } from '../sim/etc-defaults';
import { NC_USAGE } from './net-usage';
import type { CmdIO, CmdResult, NetCommand, Sys } from './types';
import { ordered } from './types';
import { completeNc } from './completion-clients';

const OPTS = '46bCDdFhI:i:klM:m:NnO:P:p:q:rSs:T:tUuV:vW:w:X:x:Zz';
/** with -N, how long the reply to what was sent is waited for before the FIN goes (the simulated LAN answers in microseconds) */
const SHUTDOWN_WAIT_MS = 50;

class Out extends Error {
  constructor(
    public code: number,
    public stderr: string,
    public stdout = '',
  ) {
    super(stderr);
  }
}

function usageShort(): string {
  return 'usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]\n';
}

/** Expand "80", "20-25", "http" into a port list (netcat's build_ports). */
function buildPorts(spec: string, services: ReturnType<typeof parseServices>, udp: boolean): string[] {
  const m = /^(\d+)-(\d+)$/.exec(spec);
  if (m) {
    let lo = Number(m[1]);
    let hi = Number(m[2]);
    if (lo < 1 || lo > 65535 || hi < 1 || hi > 65535) throw new Out(1, `nc: port range not valid\n`);
    if (lo > hi) [lo, hi] = [hi, lo];
    const out: string[] = [];
    for (let p = lo; p <= hi; p++) out.push(String(p));
    return out;
  }
  // strtoport(): strtonum(1, 65535) ("port number too small/too large: P"), else a service name of
  // /etc/services; Debian's netcat reports an unknown name as "port number invalid: NAME"
  if (/^\d+$/.test(spec)) {
    const n = Number(spec);
    if (n < 1) throw new Out(1, `nc: port number too small: ${spec}\n`);
    if (n > 65535) throw new Out(1, `nc: port number too large: ${spec}\n`);
    return [String(n)];
  }
  const e = services.find((s) => s.proto === (udp ? 'udp' : 'tcp') && (s.name === spec || s.aliases.includes(spec)));
  if (!e) throw new Out(1, `nc: port number invalid: ${spec}\n`);
  return [String(e.port)];
}

/** getopt over OPTS: the flags, the option values and the operands. */
function ncOptions(args: string[]): { flags: Set<string>; vals: Record<string, string>; pos: string[] } {
  const flags = new Set<string>();
  const vals: Record<string, string> = {};
  const pos: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      pos.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      pos.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      const k = OPTS.indexOf(c);
      if (k < 0) throw new Out(1, `nc: invalid option -- '${c}'\n${usageShort()}`);
      if (OPTS[k + 1] !== ':') {
        flags.add(c);
        continue;
      }
      if (j + 1 < a.length) vals[c] = a.slice(j + 1);
      else if (i + 1 < args.length) vals[c] = args[++i]!;
      else throw new Out(1, `nc: option requires an argument -- '${c}'\n${usageShort()}`);
      break;
    }
  }
  return { flags, vals, pos };
}

type NcOpts = ReturnType<typeof ncOptions>;

/** -l: listen on [-s addr] [-p port] (or the last operand) until Ctrl-C, or in the background without a terminal */
async function ncListen(o: NcOpts, args: string[], services: ReturnType<typeof parseServices>, io: CmdIO, sys: Sys): Promise<CmdResult> {
  const { flags, vals, pos } = o;
  const world = sys.world;
  const udp = flags.has('u');
  const verbose = flags.has('v');
  const portSpec = vals.p ?? pos[pos.length - 1];
  if (!portSpec) throw new Out(1, usageShort());
  const port = Number(buildPorts(portSpec, services, udp)[0]);
  const addr = vals.s ?? (pos.length >= 2 ? pos[0]! : flags.has('6') ? '::' : '0.0.0.0');
  // it reads one connection (every one with -k) and answers nothing (the kernel's 'app:nc' service, src/sim/boot.ts)
  const proc = spawnProcess(world, sys.host, sys.ns, ['nc', ...args], { role: { kind: 'app', app: 'nc', data: { keep: flags.has('k') } } });
  try {
    if (udp) bindUdp(world, sys.ns, proc.pid, addr, port);
    else listenTcp(world, sys.ns, proc.pid, addr, port, addr.includes(':') ? 46 : 4, 1);
  } catch (e) {
    killProcess(world, sys.host, proc.pid);
    const errno = (e as { errno?: Errno }).errno ?? 'EINVAL';
    throw new Out(1, `nc: ${STRERROR[errno]}\n`);
  }
  if (verbose) io.progress?.(`Listening on ${addr} ${port}\n`);
  if (io.signal) {
    await new Promise<void>((resolve) => {
      if (io.signal!.aborted) resolve();
      io.signal!.addEventListener('abort', () => resolve());
    });
    for (const s of [...world.ns(sys.ns).sockets]) if (s.pid === proc.pid) closeSocket(world, sys.ns, s.id);
    killProcess(world, sys.host, proc.pid);
    return { stdout: '', stderr: verbose && !io.progress ? `Listening on ${addr} ${port}\n` : '', exitCode: 130 };
  }
  // no terminal to stop it: it stays in the background, like `nc -l ... &`
  return { stdout: '', stderr: verbose ? `Listening on ${addr} ${port}\n` : '', exitCode: 0 };
}

/** getaddrinfo(AF_UNSPEC, or -4/-6): every address, tried in order until one connects (remote_connect()) */
function ncAddresses(sys: Sys, target: string, family: 0 | 4 | 6, numeric: boolean, firstPort: string | undefined): string[] {
  const gaiFail = (msg: string): never => {
    throw new Out(1, `nc: getaddrinfo for host "${target}" port ${firstPort}: ${msg}\n`);
  };
  const v4 = inetAton(target);
  if (v4 !== null && /^[0-9.]+$/.test(target)) {
    if (family === 6) gaiFail('Address family for hostname not supported');
    return [v4];
  }
  if (isV6(target)) {
    if (family === 4) gaiFail('Address family for hostname not supported');
    return [canonV6(target)];
  }
  if (numeric) gaiFail('Name or service not known');
  const r = resolveHost(sys, target, family);
  if (!r.ok) return gaiFail(r.message);
  const addrs = r.addrs.filter((a) => family === 0 || a.family === family).map((a) => a.addr);
  if (!addrs.length) gaiFail('Address family for hostname not supported');
  return addrs;
}

/** The client: each port in turn, each address until one connects; stdin sent, the reply printed. */
class NcClient {
  /** stdout and stderr in the order written (-v: 'Connection to ... succeeded!' before the reply) */
  readonly chunks: Array<[1 | 2, string]> = [];
  ret = 1;
  private readonly verbose: boolean;
  private readonly numeric: boolean;
  private readonly zero: boolean;

  constructor(
    private readonly o: NcOpts,
    private readonly sys: Sys,
    private readonly io: CmdIO,
    private readonly target: string,
    private readonly dsts: string[],
    private readonly services: ReturnType<typeof parseServices>,
    private readonly timeoutMs: number,
  ) {
    this.verbose = o.flags.has('v');
    this.numeric = o.flags.has('n');
    this.zero = o.flags.has('z');
  }

  private err(t: string): void {
    this.chunks.push([2, t]);
  }

  /** -p: the client's source port (bound before connecting), else an ephemeral one */
  private sport(): { sport?: number } {
    const p = this.o.vals.p;
    return p !== undefined && /^\d+$/.test(p) ? { sport: Number(p) } : {};
  }

  private succeeded(dst: string, port: string, proto: string): void {
    this.ret = 0;
    if (this.verbose) this.err(success(this.target, dst, port, proto, this.services, this.numeric));
  }

  /** a UDP "connection" always succeeds; -z probes with a few bytes */
  udp(port: string): void {
    const dst = this.dsts[0]!;
    const world = this.sys.world;
    const stdin = this.io.stdin;
    const payload = stdin !== '' ? stdin : this.zero ? 'XXXX' : '';
    if (this.zero) {
      // Debian's nc probes a UDP port (udptest()) only with -v; without it the scan sends nothing and
      // reports success (a capture: no conntrack entry, exit 0).
      if (!this.verbose) return this.succeeded(dst, port, 'udp');
      // udptest(): a few one-byte writes; the ICMP port unreachable of a closed port makes the next write
      // fail (ECONNREFUSED), and the port counts as closed, silently
      const r = udpExchange(world, this.sys.ns, { dst, dport: Number(port), data: payload, len: payload.length, timeoutMs: 50, ...this.sport() });
      if (r.kind === 'refused' || r.kind === 'unreachable' || r.kind === 'error') return;
      return this.succeeded(dst, port, 'udp');
    }
    this.succeeded(dst, port, 'udp');
    if (!payload) return;
    const r = udpExchange(world, this.sys.ns, { dst, dport: Number(port), data: payload, len: payload.length, timeoutMs: this.timeoutMs || 1000, ...this.sport() });
    if (r.kind === 'reply') this.chunks.push([1, typeof r.data === 'string' ? r.data : '']);
  }

  tcp(port: string, pid: number): void {
    const world = this.sys.world;
    const src = this.o.vals.s;
    let c: TcpConnectResult | null = null;
    let dst = this.dsts[0]!;
    for (const d of this.dsts) {
      dst = d;
      // messages name the host as typed, with its address when a name was looked up
      const hostText = !this.numeric && this.target !== d ? `${this.target} (${d})` : this.target;
      const attempt: TcpConnectResult = tcpConnect(world, this.sys.ns, pid, d, Number(port), this.timeoutMs || 130_000, { ...(src ? { src } : {}), ...this.sport() });
      if (attempt.kind === 'connected') {
        c = attempt;
        break;
      }
      if (!this.verbose) continue;
      if (attempt.kind === 'timeout') this.err(`nc: connect to ${hostText} port ${port} (tcp) timed out: Operation now in progress\n`);
      else {
        const errno: Errno = attempt.kind === 'refused' ? 'ECONNREFUSED' : attempt.kind === 'error' ? attempt.errno : icmpErrno(attempt.type, attempt.code, attempt.from.includes(':'));
        this.err(`nc: connect to ${hostText} port ${port} (tcp) failed: ${STRERROR[errno]}\n`);
      }
    }
    if (!c || c.kind !== 'connected') return;
    this.succeeded(dst, port, 'tcp');
    const stdin = this.io.stdin;
    if (!this.zero && stdin !== '') {
      // -N: the write side shuts at the end of stdin, so a server that waits for the end answers (or closes) at once
      const r = c.request(stdin, stdin.length, this.o.flags.has('N') ? SHUTDOWN_WAIT_MS : this.timeoutMs || 5000);
      if (r.kind === 'response') this.chunks.push([1, typeof r.data === 'string' ? r.data : httpText(r.data)]);
    }
    c.close();
  }
}

async function run(args: string[], io: CmdIO, sys: Sys): Promise<CmdResult> {
  const o = ncOptions(args);
  const { flags, vals, pos } = o;
  if (flags.has('h')) return { stdout: '', stderr: NC_USAGE, exitCode: 0 };
  const udp = flags.has('u');
  let timeoutMs = 0;
  if (vals.w !== undefined) {
    if (!/^\d+$/.test(vals.w)) throw new Out(1, `nc: timeout ${vals.w}: invalid\n`);
    timeoutMs = Number(vals.w) * 1000;
  }
  const services = parseServices(sys.readFile('/etc/services') ?? etcServices);
  const world = sys.world;
  if (flags.has('l')) return ncListen(o, args, services, io, sys);
  if (pos.length < 2) {
    if (pos.length === 0) throw new Out(1, usageShort());
    throw new Out(1, 'nc: missing port number\n');
  }
  const target = pos[0]!;
  const portList = pos.slice(1).flatMap((p) => buildPorts(p, services, udp));
  const family: 0 | 4 | 6 = flags.has('4') ? 4 : flags.has('6') ? 6 : 0;
  const dsts = ncAddresses(sys, target, family, flags.has('n'), portList[0]);
  // bind(2) of -s before connecting: an address the namespace does not have
  if (vals.s !== undefined && vals.s !== '0.0.0.0' && !isLocalAddress(world.ns(sys.ns), vals.s)) throw new Out(1, 'nc: bind failed: Cannot assign requested address\n');
  // bind(2) of -p without SO_REUSEADDR: a TCP socket still holding the port (a FIN-WAIT-2 or TIME-WAIT one too) refuses it
  const lport = vals.p !== undefined && /^\d+$/.test(vals.p) ? Number(vals.p) : null;
  if (!udp && lport !== null && liveSockets(world, sys.ns).some((x) => x.proto === 'tcp' && x.localPort === lport)) throw new Out(1, 'nc: bind failed: Address already in use\n');
  const client = new NcClient(o, sys, io, target, dsts, services, timeoutMs);
  const proc = spawnProcess(world, sys.host, sys.ns, ['nc', ...args]);
  try {
    for (const port of portList) {
      if (udp) client.udp(port);
      else client.tcp(port, proc.pid);
    }
  } finally {
    killProcess(world, sys.host, proc.pid);
  }
  return ordered(client.chunks, client.ret);
}


/** An HTTP response object (from http.ts) as the bytes on the wire. */
function httpText(data: unknown): string {
  const d = data as { wire?: string } | null;
  return d && typeof d.wire === 'string' ? d.wire : '';
}

function success(host: string, ip: string, port: string, proto: string, services: ReturnType<typeof parseServices>, numeric: boolean): string {
  const sv = numeric ? null : services.find((s) => s.port === Number(port) && s.proto === proto);
  let s = `Connection to ${host}`;
  if (!numeric && host !== ip) s += ` (${ip})`;
  return `${s} ${port} port [${proto}/${sv ? sv.name : '*'}] succeeded!\n`;
}

export const nc: NetCommand = {
  name: 'nc',
  complete: completeNc,
  async run(args: string[], io: CmdIO, sys: Sys): Promise<CmdResult> {
    try {
      return await run(args, io, sys);
    } catch (e) {
      if (e instanceof Out) return { stdout: e.stdout, stderr: e.stderr, exitCode: e.code };
      throw e;
    }
  },
};
