// OpenBSD netcat (Debian patchlevel 1.219-1): TCP (and UDP with -u)
// connects through the packet engine, port scans with -z, -v reports,
// -w timeouts, stdin sent on the connection and the answer printed, and
// -l listening (a listener owned by an nc process, until Ctrl-C).
import { tcpConnect, udpExchange, type TcpConnectResult } from '../sim/packet';
import { inetAton, resolveHost } from '../sim/resolver';
import { canonV6, isV6 } from '../sim/dns';
import { STRERROR, type Errno } from '../sim/errors';
import { closeSocket, listenTcp, bindUdp, isLocalAddress } from '../sim/sockets';
import { spawnProcess, killProcess } from '../sim/process';
import { icmpErrno } from '../sim/packet';
import { parseServices, etcServices } from '../sim/etc-defaults';
import { NC_USAGE } from './net-usage';
import type { CmdIO, CmdResult, NetCommand, Sys } from './types';
import { ordered } from './types';
import { completeNc } from './completion-clients';

const OPTS = '46bCDdFhI:i:klM:m:NnO:P:p:q:rSs:T:tUuV:vW:w:X:x:Zz';

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

async function run(args: string[], io: CmdIO, sys: Sys): Promise<CmdResult> {
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
      if (OPTS[k + 1] === ':') {
        let v: string;
        if (j + 1 < a.length) v = a.slice(j + 1);
        else if (i + 1 < args.length) v = args[++i]!;
        else throw new Out(1, `nc: option requires an argument -- '${c}'\n${usageShort()}`);
        vals[c] = v;
        j = a.length;
      } else flags.add(c);
    }
  }
  if (flags.has('h')) return { stdout: '', stderr: NC_USAGE, exitCode: 0 };
  const verbose = flags.has('v');
  const udp = flags.has('u');
  const numeric = flags.has('n');
  const zero = flags.has('z');
  let timeoutMs = 0;
  if (vals.w !== undefined) {
    if (!/^\d+$/.test(vals.w)) throw new Out(1, `nc: timeout ${vals.w}: invalid\n`);
    timeoutMs = Number(vals.w) * 1000;
  }
  const services = parseServices(sys.readFile('/etc/services') ?? etcServices);
  const world = sys.world;
  const host = world.host(sys.host);

  if (flags.has('l')) {
    // listen mode: [-s addr] [-p port] or positional port
    const portSpec = vals.p ?? pos[pos.length - 1];
    if (!portSpec) throw new Out(1, usageShort());
    const port = Number(buildPorts(portSpec, services, udp)[0]);
    const addr = vals.s ?? (pos.length >= 2 ? pos[0]! : flags.has('6') ? '::' : '0.0.0.0');
    const proc = spawnProcess(world, sys.host, sys.ns, ['nc', ...args]);
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

  if (pos.length < 2) {
    if (pos.length === 0) throw new Out(1, usageShort());
    throw new Out(1, 'nc: missing port number\n');
  }
  const target = pos[0]!;
  const portList = pos.slice(1).flatMap((p) => buildPorts(p, services, udp));
  // getaddrinfo(AF_UNSPEC, or -4/-6): every address, tried in order until one connects (remote_connect())
  const family: 0 | 4 | 6 = flags.has('4') ? 4 : flags.has('6') ? 6 : 0;
  const gaiFail = (msg: string): never => {
    throw new Out(1, `nc: getaddrinfo for host "${target}" port ${portList[0]}: ${msg}\n`);
  };
  let dsts: string[];
  const v4 = inetAton(target);
  if (v4 !== null && /^[0-9.]+$/.test(target)) {
    if (family === 6) gaiFail('Address family for hostname not supported');
    dsts = [v4];
  } else if (isV6(target)) {
    if (family === 4) gaiFail('Address family for hostname not supported');
    dsts = [canonV6(target)];
  } else {
    if (numeric) gaiFail('Name or service not known');
    const r = resolveHost(sys, target, family);
    if (!r.ok) gaiFail(r.message);
    const addrs = r.ok ? r.addrs.filter((a) => family === 0 || a.family === family).map((a) => a.addr) : [];
    if (!addrs.length) gaiFail('Address family for hostname not supported');
    dsts = addrs;
  }
  let dst = dsts[0]!;
  // bind(2) of -s before connecting: an address the namespace does not have
  if (vals.s !== undefined && vals.s !== '0.0.0.0' && !isLocalAddress(world.ns(sys.ns), vals.s)) throw new Out(1, 'nc: bind failed: Cannot assign requested address\n');
  // messages name the host as typed, with its address when a name was looked up
  const hostTextOf = (d: string): string => (!numeric && target !== d ? `${target} (${d})` : target);
  // stdout and stderr in the order written (-v: 'Connection to ... succeeded!' before the reply)
  const chunks: Array<[1 | 2, string]> = [];
  const err = (t: string) => chunks.push([2, t]);
  const out = (t: string) => chunks.push([1, t]);
  let ret = 1;
  const proc = spawnProcess(world, sys.host, sys.ns, ['nc', ...args]);
  try {
    for (const port of portList) {
      const proto = udp ? 'udp' : 'tcp';
      if (udp) {
        // a UDP "connection" always succeeds; -z probes with a few bytes
        const payload = io.stdin !== '' ? io.stdin : zero ? 'XXXX' : '';
        if (zero) {
          // udptest(): a few one-byte writes; the ICMP port unreachable of a closed port makes the next write
          // fail (ECONNREFUSED), and the port counts as closed, silently
          const r = udpExchange(world, sys.ns, { dst, dport: Number(port), data: payload, len: payload.length, timeoutMs: 50 });
          if (r.kind === 'refused' || r.kind === 'unreachable' || r.kind === 'error') continue;
          ret = 0;
          if (verbose) err(success(target, dst, port, proto, services, numeric));
          continue;
        }
        ret = 0;
        if (verbose) err(success(target, dst, port, proto, services, numeric));
        if (payload) {
          const r = udpExchange(world, sys.ns, { dst, dport: Number(port), data: payload, len: payload.length, timeoutMs: timeoutMs || 1000 });
          if (r.kind === 'reply' && !zero) out(typeof r.data === 'string' ? r.data : '');
        }
        continue;
      }
      let c: TcpConnectResult | null = null;
      for (const d of dsts) {
        dst = d;
        const hostText = hostTextOf(d);
        const attempt: TcpConnectResult = tcpConnect(world, sys.ns, proc.pid, d, Number(port), timeoutMs || 130_000, vals.s ? { src: vals.s } : {});
        if (attempt.kind === 'connected') {
          c = attempt;
          break;
        }
        if (verbose) {
          if (attempt.kind === 'timeout') err(`nc: connect to ${hostText} port ${port} (${proto}) timed out: Operation now in progress\n`);
          else {
            const errno: Errno = attempt.kind === 'refused' ? 'ECONNREFUSED' : attempt.kind === 'error' ? attempt.errno : icmpErrnoOf(attempt.type, attempt.code);
            err(`nc: connect to ${hostText} port ${port} (${proto}) failed: ${STRERROR[errno]}\n`);
          }
        }
      }
      if (!c || c.kind !== 'connected') continue;
      ret = 0;
      if (verbose) err(success(target, dst, port, proto, services, numeric));
      if (!zero && io.stdin !== '') {
        const r = c.request(io.stdin, io.stdin.length, timeoutMs || 5000);
        if (r.kind === 'response') out(typeof r.data === 'string' ? r.data : httpText(r.data));
      }
      c.close();
    }
  } finally {
    killProcess(world, sys.host, proc.pid);
  }
  return ordered(chunks, ret);
}

function icmpErrnoOf(type: number, code: number): Errno {
  return icmpErrno(type, code);
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
