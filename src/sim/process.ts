// Processes of a host: pid, kernel `comm` (at most 15 characters, as the
// kernel's TASK_COMM_LEN cuts it), argv, the network namespace they run in,
// and the sockets they hold (sockets.ts). PIDs are allocated per host,
// deterministically (host.nextPid, counting up).
//
// `spawnDaemon` implements the fidelity corpus's `@daemon NAME [-n NETNS]
// SPEC...` setup line (see the fidelity corpus README, ../shared/fidelity/README.md).
import { own } from './own';
import { KernelError } from './errors';
import { closeProcessSockets, connectLocal, isIPv4, isIPv6, listenTcp, bindUdp } from './sockets';
import type { HostId, NsId, Process, ProcessRole } from './types';
import type { World } from './world';

/** TASK_COMM_LEN - 1 */
export const COMM_MAX = 15;

/** The kernel `comm` of a program: the base name of the executed file, cut to 15 characters. */
export function commOf(argv0: string): string {
  const base = argv0.slice(argv0.lastIndexOf('/') + 1);
  return base.slice(0, COMM_MAX);
}

export interface SpawnOptions {
  /** kernel comm (default: from argv[0]) */
  comm?: string;
  role?: ProcessRole | null;
  /** descriptors open at start besides sockets (default stdio 0, 1, 2) */
  heldFds?: number[];
  /** parent pid (default: 1) */
  ppid?: number;
}

/** Start a process on a host, in network namespace `nsId`. */
export function spawnProcess(world: World, hostId: HostId, nsId: NsId, argv: string[], opts: SpawnOptions = {}): Process {
  const host = world.host(hostId);
  const ns = world.ns(nsId);
  if (ns.host !== hostId) throw new KernelError('EINVAL');
  if (argv.length === 0 || argv[0] === '') throw new KernelError('EINVAL');
  const heldFds = [...(opts.heldFds ?? [0, 1, 2])].sort((a, b) => a - b);
  const p: Process = {
    pid: host.nextPid++,
    comm: (opts.comm ?? commOf(argv[0]!)).slice(0, COMM_MAX),
    argv: [...argv],
    ns: nsId,
    nextFd: heldFds.length ? heldFds[heldFds.length - 1]! + 1 : 0,
    heldFds,
    role: opts.role ?? null,
    started: world.now(),
    ...(opts.ppid !== undefined ? { ppid: opts.ppid } : {}),
  };
  host.processes.push(p);
  return p;
}

export function findProcess(world: World, hostId: HostId, pid: number): Process | null {
  return world.host(hostId).processes.find((p) => p.pid === pid) ?? null;
}

/** Processes of a host, by pid. */
export function listProcesses(world: World, hostId: HostId): Process[] {
  return [...world.host(hostId).processes].sort((a, b) => a.pid - b.pid);
}

/** The process exits: its sockets close (connections go through the TCP close), it leaves the table. */
export function killProcess(world: World, hostId: HostId, pid: number): void {
  const host = world.host(hostId);
  if (!host.processes.some((p) => p.pid === pid)) throw new KernelError('ESRCH');
  closeProcessSockets(world, hostId, pid);
  host.processes = host.processes.filter((p) => p.pid !== pid);
}

// ---------------------------------------------------------------- @daemon

export type DaemonSpec =
  | { kind: 'listen'; proto: 'tcp' | 'udp'; family: 4 | 6 | 46; addr: string; port: number }
  | { kind: 'conn'; src: string; sport: number; dst: string; dport: number };

/**
 * Parse one SPEC of `@daemon`: `tcp:ADDR:PORT`, `tcp6:[ADDR]:PORT`,
 * `tcp46:[::]:PORT` (and the same for udp), `conn:SRC:SPORT-DST:DPORT`.
 * Throws EINVAL on anything else.
 */
export function parseDaemonSpec(spec: string): DaemonSpec {
  let m = /^(tcp|udp)(6|46)?:\[?([^\]]*?)\]?:(\d+)$/.exec(spec);
  if (m) {
    const proto = m[1] as 'tcp' | 'udp';
    const family: 4 | 6 | 46 = m[2] === '6' ? 6 : m[2] === '46' ? 46 : 4;
    const addr = m[3]!;
    const port = Number(m[4]);
    if (port > 65535) throw new KernelError('EINVAL');
    if (family === 4 ? !isIPv4(addr) : !isIPv6(addr)) throw new KernelError('EINVAL');
    return { kind: 'listen', proto, family, addr, port };
  }
  m = /^conn:([\d.]+):(\d+)-([\d.]+):(\d+)$/.exec(spec);
  if (m) {
    const [src, sport, dst, dport] = [m[1]!, Number(m[2]), m[3]!, Number(m[4])];
    if (!isIPv4(src) || !isIPv4(dst) || sport > 65535 || dport > 65535 || dport === 0) throw new KernelError('EINVAL');
    return { kind: 'conn', src, sport, dst, dport };
  }
  throw new KernelError('EINVAL');
}

/** Delivery of a `conn:` whose destination is not local to the daemon's namespace (default: setRemoteConnect's). */
export type RemoteConnect = (world: World, nsId: NsId, pid: number, src: string, sport: number, dst: string, dport: number) => void;

let defaultRemote: RemoteConnect | null = null;

/**
 * Install how a `conn:` to another namespace or host is made (the packet
 * engine's tcpConnect; wired by boot.ts). Kept as a hook so that
 * the kernel's process table does not import the packet engine (which
 * imports the resolver, which imports this module).
 */
export function setRemoteConnect(fn: RemoteConnect | null): void {
  defaultRemote = fn;
}

/** The descriptors a `@daemon` process starts with: stdio, plus 10 (/dev/null) and 251 (a pipe) that the capture harness's bash leaves open in it. */
export const DAEMON_HELD_FDS = [0, 1, 2, 10, 251];

/**
 * `@daemon NAME [-n NETNS] SPEC...`: one process whose comm is NAME cut to
 * 15 characters and whose argv[0] is NAME's program path; it holds the
 * sockets of SPECs with descriptors in order (its lowest free ones), and it
 * accepts every connection to its listeners and keeps it open (the accepted
 * socket takes its next free descriptor). Setup is atomic: if a spec fails
 * (bad spec EINVAL, EADDRINUSE, EADDRNOTAVAIL, ECONNREFUSED...), the process
 * and its sockets are gone and the KernelError is thrown.
 */
export function spawnDaemon(world: World, hostId: HostId, nsId: NsId, name: string, specs: string[], remote?: RemoteConnect): Process {
  if (!name || name.includes('/')) throw new KernelError('EINVAL');
  const parsed = specs.map(parseDaemonSpec);
  const p = spawnProcess(world, hostId, nsId, [`/usr/local/bin/${name}`, ...specs], { comm: name, role: { kind: 'daemon' }, heldFds: DAEMON_HELD_FDS });
  try {
    for (const s of parsed) {
      if (s.kind === 'listen') {
        if (s.proto === 'tcp') listenTcp(world, nsId, p.pid, s.addr, s.port, s.family, 4096);
        else bindUdp(world, nsId, p.pid, s.addr, s.port, s.family);
      } else {
        try {
          connectLocal(world, nsId, p.pid, s.src, s.sport, s.dst, s.dport);
        } catch (e) {
          const via = remote ?? defaultRemote;
          if (!(e instanceof KernelError && e.errno === 'ETIMEDOUT') || !via) throw e;
          via(world, nsId, p.pid, s.src, s.sport, s.dst, s.dport);
        }
      }
    }
  } catch (e) {
    killProcess(world, hostId, p.pid);
    throw e;
  }
  return p;
}

/** The words after `@daemon`: `NAME [-n NETNS] SPEC...`, NETNS being a named namespace of the host. */
export function daemonFromArgs(world: World, hostId: HostId, args: string[], remote?: RemoteConnect): Process {
  const [name, ...rest] = args;
  if (!name) throw new KernelError('EINVAL');
  let nsId = world.host(hostId).rootNs;
  let specs = rest;
  if (rest[0] === '-n') {
    const nsName = rest[1];
    const id = nsName === undefined ? undefined : own(world.host(hostId).netns, nsName);
    if (id === undefined) throw new KernelError('ENOENT');
    nsId = id;
    specs = rest.slice(2);
  }
  return spawnDaemon(world, hostId, nsId, name, specs, remote);
}
