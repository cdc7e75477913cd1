// TCP and UDP sockets of a network namespace: what `ss` and `netstat` list,
// and what the packet engine delivers to.
//
// The model follows Linux:
// - a socket is bound to (address, port) in one namespace; an IPv6 socket is
//   either IPv6-only (`family: 6`) or dual-stack (`family: 46`, IPV6_V6ONLY=0:
//   it also takes IPv4 traffic, whose addresses it then sees as v4-mapped
//   `::ffff:a.b.c.d`);
// - bind() fails with EADDRINUSE when a socket of the same protocol already
//   holds the port on an overlapping address, and with EADDRNOTAVAIL when the
//   address is not local;
// - a listener accepts connections: every connection is a pair of ESTABLISHED
//   sockets, the client's and the server's (owned by the listener's process,
//   with the process's lowest free file descriptor);
// - close() walks the TCP state machine far enough for what tools show
//   (FIN_WAIT2 / CLOSE_WAIT, LAST_ACK, TIME_WAIT), with timers evaluated lazily
//   against the simulated clock;
// - ephemeral ports come from net.ipv4.ip_local_port_range, drawn from the
//   world's seeded generator (connect() prefers even ports, bind(0) odd ones,
//   as Linux 6.x does).
import ipaddr from 'ipaddr.js';
import { KernelError } from './errors';
import { canonicalIp, inetNtop6, isInet4, prefixContains } from './ip';
import type { HostId, Netns, NsId, Process, Socket, SockProto } from './types';
import type { World } from './world';

/** How long an orphaned FIN_WAIT2 and a TIME_WAIT socket live (tcp_fin_timeout, TCP_TIMEWAIT_LEN): 60 s. */
export const TCP_FIN_TIMEOUT_MS = 60_000;
export const TCP_TIMEWAIT_MS = 60_000;

// ---------------------------------------------------------------- addresses

/** Is `s` a dotted-quad IPv4 address (exactly four decimal parts)? */
export const isIPv4 = isInet4;

/** An IPv6 address without a zone id. */
export function isIPv6(s: string): boolean {
  return !s.includes('%') && ipaddr.IPv6.isValid(s);
}

export { inetNtop6 };

/** Canonical text of an address (IPv4 dotted quad, IPv6 as inet_ntop prints it); throws EINVAL if not an address. */
export function canonAddr(s: string): string {
  if (!isIPv4(s) && !isIPv6(s)) throw new KernelError('EINVAL');
  return canonicalIp(s)!;
}

/** `::ffff:a.b.c.d` -> `a.b.c.d`, anything else -> null. */
export function unmapV4(addr: string): string | null {
  if (!isIPv6(addr)) return null;
  const a = ipaddr.IPv6.parse(addr);
  return a.isIPv4MappedAddress() ? a.toIPv4Address().toString() : null;
}

export function mapV4(addr: string): string {
  return `::ffff:${addr}`;
}

function isAnyAddr(addr: string): boolean {
  return addr === '0.0.0.0' || addr === '::';
}


/**
 * Is `addr` local to the namespace (RTN_LOCAL: what bind() and TCP delivery
 * accept)? True for the local routes of table local when the kernel core has
 * created them, and otherwise for the addresses of links that are up (a
 * /8 on lo makes the whole 127.0.0.0/8 local, as its local route does).
 */
export function isLocalAddress(ns: Netns, addr: string): boolean {
  const v4 = isIPv4(addr) ? addr : unmapV4(addr);
  const upLinks = new Set(ns.links.filter((l) => l.adminUp).map((l) => l.ifindex));
  if (v4 !== null) {
    for (const r of ns.routes) {
      if (r.family === 4 && r.table === 255 && r.type === 'local' && prefixContains(r.dst, r.dstLen, v4, 4)) return true;
    }
    for (const a of ns.addrs) {
      if (a.family !== 4 || !upLinks.has(a.ifindex)) continue;
      if (a.local === v4) return true;
      const link = ns.links.find((l) => l.ifindex === a.ifindex);
      if (link?.kind === 'loopback' && prefixContains(a.local, a.prefixlen, v4, 4)) return true;
    }
    return false;
  }
  if (!isIPv6(addr)) return false;
  const c = canonAddr(addr);
  for (const r of ns.routes) {
    if (r.family === 6 && r.table === 255 && r.type === 'local' && r.dstLen === 128 && canonAddr(r.dst) === c) return true;
  }
  return ns.addrs.some((a) => a.family === 6 && upLinks.has(a.ifindex) && canonAddr(a.local) === c && a.tentativeUntil === null && !a.dadFailed);
}

// ---------------------------------------------------------------- lookup

/** The namespace's sockets, after expiring the ones whose timers ran out (TIME_WAIT, orphaned FIN_WAIT2). */
export function liveSockets(world: World, nsId: NsId): Socket[] {
  const ns = world.ns(nsId);
  const now = world.now();
  if (ns.sockets.some((s) => s.expires !== undefined && s.expires !== null && s.expires <= now)) {
    ns.sockets = ns.sockets.filter((s) => s.expires === undefined || s.expires === null || s.expires > now);
  }
  return ns.sockets;
}

export function findSocket(world: World, nsId: NsId, id: number): Socket | null {
  return liveSockets(world, nsId).find((s) => s.id === id) ?? null;
}

/** Can socket `s` (bound to its local address) receive traffic for `addr` (IPv4 or IPv6 text)? Returns a score, 0 = no. */
function bindScore(s: Socket, addr: string): number {
  const v4 = isIPv4(addr);
  if (v4) {
    if (s.family === 4) return s.localAddr === addr ? 4 : s.localAddr === '0.0.0.0' ? 3 : 0;
    if (s.family === 46) {
      if (s.localAddr === '::') return 1;
      return unmapV4(s.localAddr) === addr ? 2 : 0;
    }
    return 0;
  }
  if (s.family === 4) return 0;
  const mapped = unmapV4(addr);
  if (mapped !== null) return s.family === 46 ? bindScore({ ...s }, mapped) : 0;
  const c = canonAddr(addr);
  return s.localAddr === c ? 4 : s.localAddr === '::' ? 3 : 0;
}

/**
 * The socket that takes a new TCP connection (LISTEN) or a UDP datagram
 * (bound, UNCONN) for `addr`:`port` in the namespace, as the kernel's
 * lookup scores them: an exact address beats a wildcard, an IPv4 socket
 * beats a dual-stack one for IPv4 traffic. Null if none.
 */
export function findListener(world: World, nsId: NsId, proto: SockProto, addr: string, port: number): Socket | null {
  let best: Socket | null = null;
  let bestScore = 0;
  for (const s of liveSockets(world, nsId)) {
    if (s.proto !== proto || s.localPort !== port) continue;
    if (proto === 'tcp' && s.state !== 'LISTEN') continue;
    if (proto === 'udp' && s.state !== 'UNCONN' && s.state !== 'ESTABLISHED') continue;
    const score = bindScore(s, addr);
    if (score > bestScore) {
      best = s;
      bestScore = score;
    }
  }
  return best;
}

/** The ESTABLISHED (or closing) TCP socket of a 4-tuple as the namespace sees it, for segments of an existing connection. */
export function findConnection(world: World, nsId: NsId, local: string, lport: number, remote: string, rport: number): Socket | null {
  const cands = [local, remote].map((a) => (isIPv4(a) ? [a, mapV4(a)] : [canonAddr(a)]));
  for (const s of liveSockets(world, nsId)) {
    if (s.proto !== 'tcp' || s.state === 'LISTEN' || s.localPort !== lport || s.remotePort !== rport) continue;
    if (cands[0]!.includes(s.localAddr) && cands[1]!.includes(s.remoteAddr)) return s;
  }
  return null;
}

// ---------------------------------------------------------------- processes' file descriptors

function nsOf(world: World, nsId: NsId): Netns {
  return world.ns(nsId);
}

function hostProcess(world: World, hostId: HostId, pid: number): Process {
  const p = world.host(hostId).processes.find((x) => x.pid === pid);
  if (!p) throw new KernelError('ESRCH');
  return p;
}

/** File descriptors a process holds through sockets, in every namespace of its host. */
export function socketFds(world: World, hostId: HostId, pid: number): number[] {
  const out: number[] = [];
  for (const ns of Object.values(world.state.namespaces)) {
    if (ns.host !== hostId) continue;
    for (const s of ns.sockets) if (s.pid === pid && s.fd !== null) out.push(s.fd);
  }
  return out;
}

/** The lowest free file descriptor of a process (POSIX: open(), socket() and accept() return the lowest free one). */
export function allocFd(world: World, hostId: HostId, pid: number): number {
  const p = hostProcess(world, hostId, pid);
  const used = new Set<number>([...(p.heldFds ?? [0, 1, 2]), ...socketFds(world, hostId, pid)]);
  let fd = 0;
  while (used.has(fd)) fd++;
  if (fd >= p.nextFd) p.nextFd = fd + 1;
  return fd;
}

// ---------------------------------------------------------------- creating sockets

/** What a new socket starts with unless its creator says otherwise: empty queues, no service, no peer, no timer. */
type FreshFields = 'backlog' | 'recvQ' | 'sendQ' | 'service' | 'peer' | 'expires' | 'reuseAddr';

function newSocket(world: World, fields: Omit<Socket, 'id' | 'seq' | FreshFields> & Partial<Pick<Socket, FreshFields>>): Socket {
  return {
    id: world.state.nextSocketId++,
    seq: world.nextSerial(),
    ...fields,
    backlog: fields.backlog ?? 0,
    recvQ: fields.recvQ ?? 0,
    sendQ: fields.sendQ ?? 0,
    service: fields.service ?? null,
    peer: fields.peer ?? null,
    expires: fields.expires ?? null,
    reuseAddr: fields.reuseAddr ?? false,
  };
}

function familyOfAddr(addr: string): 4 | 6 {
  if (isIPv4(addr)) return 4;
  if (isIPv6(addr)) return 6;
  throw new KernelError('EINVAL');
}

/** Two bound sockets of one protocol conflict on a port when their addresses overlap (wildcards and dual-stack included). */
function overlaps(a: { family: 4 | 6 | 46; localAddr: string }, b: { family: 4 | 6 | 46; localAddr: string }): boolean {
  const v4of = (s: { family: 4 | 6 | 46; localAddr: string }): string | null | 'none' => {
    if (s.family === 4) return s.localAddr;
    if (s.family === 46) return s.localAddr === '::' ? '0.0.0.0' : (unmapV4(s.localAddr) ?? 'none');
    return 'none';
  };
  const v6of = (s: { family: 4 | 6 | 46; localAddr: string }): string | 'none' => {
    if (s.family === 4) return 'none';
    return unmapV4(s.localAddr) !== null ? 'none' : s.localAddr;
  };
  const a4 = v4of(a);
  const b4 = v4of(b);
  if (a4 !== 'none' && b4 !== 'none' && a4 !== null && b4 !== null) {
    if (a4 === b4 || a4 === '0.0.0.0' || b4 === '0.0.0.0') return true;
  }
  const a6 = v6of(a);
  const b6 = v6of(b);
  if (a6 !== 'none' && b6 !== 'none') {
    if (a6 === b6 || a6 === '::' || b6 === '::') return true;
  }
  return false;
}

function portRange(ns: Netns): [number, number] {
  const r = (ns.sysctl['net.ipv4.ip_local_port_range'] ?? '32768\t60999').trim().split(/\s+/).map(Number);
  const lo = Number.isInteger(r[0]) ? r[0]! : 32768;
  const hi = Number.isInteger(r[1]) ? r[1]! : 60999;
  return lo <= hi ? [lo, hi] : [32768, 60999];
}

/** Is `port` in the namespace's ephemeral range (ss does not name those ports)? */
export function isEphemeralPort(world: World, nsId: NsId, port: number): boolean {
  const [lo, hi] = portRange(nsOf(world, nsId));
  return port >= lo && port <= hi;
}

/**
 * Pick a free ephemeral port in net.ipv4.ip_local_port_range, starting at a
 * point drawn from the world's generator. `prefer`: 'even' for connect()
 * (Linux 6.x inet_hash_connect), 'odd' for bind(0) (inet_csk_find_open_port).
 * `free(port)` says whether a port is usable. Throws EADDRNOTAVAIL (connect)
 * / EADDRINUSE (bind) when the range is exhausted.
 */
export function allocEphemeralPort(world: World, nsId: NsId, prefer: 'even' | 'odd', free: (port: number) => boolean): number {
  const [lo, hi] = portRange(nsOf(world, nsId));
  const n = hi - lo + 1;
  const start = lo + Math.floor(world.random() * n);
  const wantParity = prefer === 'even' ? 0 : 1;
  for (const parity of [wantParity, 1 - wantParity]) {
    for (let i = 0; i < n; i++) {
      const p = lo + ((start - lo + i) % n);
      if (p % 2 === parity && free(p)) return p;
    }
  }
  throw new KernelError(prefer === 'even' ? 'EADDRNOTAVAIL' : 'EADDRINUSE');
}

export interface BindOptions {
  proto: 'tcp' | 'udp';
  /** 4, 6 (IPV6_V6ONLY) or 46 (dual-stack IPv6 socket) */
  family: 4 | 6 | 46;
  addr: string;
  /** 0 = pick an ephemeral port */
  port: number;
  pid: number | null;
  /** SO_REUSEADDR: a TCP port held only by non-listening sockets may be reused */
  reuseAddr?: boolean;
  /** IP_FREEBIND / ip_nonlocal_bind: skip the local-address check */
  freeBind?: boolean;
}

function checkBindAddr(ns: Netns, family: 4 | 6 | 46, addr: string, freeBind: boolean): string {
  const fam = familyOfAddr(addr);
  if (family === 4 && fam !== 4) throw new KernelError('EAFNOSUPPORT');
  if (family !== 4 && fam !== 6) throw new KernelError('EINVAL');
  const c = canonAddr(addr);
  if (isAnyAddr(c) || freeBind) return c;
  if (family === 6 && unmapV4(c) !== null) throw new KernelError('EINVAL');
  if (!isLocalAddress(ns, c)) throw new KernelError('EADDRNOTAVAIL');
  return c;
}

function portFree(ns: Netns, proto: 'tcp' | 'udp', family: 4 | 6 | 46, addr: string, port: number, reuseAddr: boolean): boolean {
  for (const s of ns.sockets) {
    if (s.proto !== proto || s.localPort !== port) continue;
    if (s.state === 'TIME_WAIT' && reuseAddr) continue;
    if (proto === 'tcp' && reuseAddr && s.state !== 'LISTEN' && s.reuseAddr) continue;
    if (overlaps({ family, localAddr: addr }, s)) return false;
  }
  return true;
}

/** bind(): a new socket bound to addr:port (UNCONN for UDP, CLOSE for TCP until listen()/connect()). */
export function bindSocket(world: World, nsId: NsId, o: BindOptions): Socket {
  const ns = liveSocketsNs(world, nsId);
  const addr = checkBindAddr(ns, o.family, o.addr, o.freeBind ?? false);
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new KernelError('EINVAL');
  const reuse = o.reuseAddr ?? false;
  let port = o.port;
  if (port === 0) {
    port = allocEphemeralPort(world, nsId, 'odd', (p) => portFree(ns, o.proto, o.family, addr, p, reuse));
  } else if (!portFree(ns, o.proto, o.family, addr, port, reuse)) {
    throw new KernelError('EADDRINUSE');
  }
  const host = ns.host;
  const fd = o.pid === null ? null : allocFd(world, host, o.pid);
  const s = newSocket(world, {
    proto: o.proto,
    family: o.family,
    localAddr: addr,
    localPort: port,
    remoteAddr: o.family === 4 ? '0.0.0.0' : '::',
    remotePort: 0,
    state: o.proto === 'udp' ? 'UNCONN' : 'CLOSE',
    pid: o.pid,
    fd,
    reuseAddr: reuse,
  });
  ns.sockets.push(s);
  return s;
}

function liveSocketsNs(world: World, nsId: NsId): Netns {
  liveSockets(world, nsId);
  return world.ns(nsId);
}

/** A bound UDP socket (`port` 0 = ephemeral, odd ports first). */
export function bindUdp(world: World, nsId: NsId, pid: number | null, addr: string, port: number, family: 4 | 6 | 46 = isIPv4(addr) ? 4 : 46): Socket {
  return bindSocket(world, nsId, { proto: 'udp', family, addr, port, pid, reuseAddr: true });
}

/** listen(): the socket becomes a listener; the backlog is capped by net.core.somaxconn. */
export function listenSocket(world: World, nsId: NsId, id: number, backlog: number): Socket {
  const ns = liveSocketsNs(world, nsId);
  const s = ns.sockets.find((x) => x.id === id);
  if (!s) throw new KernelError('EBADF');
  if (s.proto !== 'tcp') throw new KernelError('EOPNOTSUPP');
  if (s.state !== 'CLOSE' && s.state !== 'LISTEN') throw new KernelError('EINVAL');
  for (const o of ns.sockets) {
    if (o !== s && o.proto === 'tcp' && o.state === 'LISTEN' && o.localPort === s.localPort && overlaps(o, s)) throw new KernelError('EADDRINUSE');
  }
  const somax = Number((ns.sysctl['net.core.somaxconn'] ?? '4096').trim());
  s.backlog = Math.max(0, Math.min(backlog, Number.isFinite(somax) ? somax : 4096));
  s.state = 'LISTEN';
  return s;
}

/** socket()+bind()+listen() in one step: a TCP listener on addr:port (backlog 4096 by default, as the corpus's daemons). */
export function listenTcp(world: World, nsId: NsId, pid: number | null, addr: string, port: number, family: 4 | 6 | 46 = isIPv4(addr) ? 4 : 46, backlog = 4096): Socket {
  const s = bindSocket(world, nsId, { proto: 'tcp', family, addr, port, pid, reuseAddr: true });
  try {
    return listenSocket(world, nsId, s.id, backlog);
  } catch (e) {
    removeSocket(world, nsId, s.id);
    throw e;
  }
}

function removeSocket(world: World, nsId: NsId, id: number): void {
  const ns = world.ns(nsId);
  ns.sockets = ns.sockets.filter((s) => s.id !== id);
}

// ---------------------------------------------------------------- connections

export interface ConnectEnd {
  ns: NsId;
  /** the addresses as this end sees them (after NAT, for the server) */
  localAddr: string;
  localPort: number;
  remoteAddr: string;
  remotePort: number;
}

/**
 * Create an ESTABLISHED connection: the client's socket (owned by
 * `clientPid`, next free fd) and the server's accepted socket (owned by the
 * listener's process, next free fd, same family as the listener: a
 * dual-stack listener's accepted IPv4 connections are IPv6 sockets with
 * v4-mapped addresses). The packet engine calls this once the SYN reached
 * `listener` (it passes both ends' views of the 4-tuple, so NAT is its
 * business); `client.localPort` 0 allocates an ephemeral port.
 */
export function establish(world: World, client: ConnectEnd & { pid: number | null }, server: ConnectEnd & { listenerId: number }): { client: Socket; server: Socket } {
  const cns = liveSocketsNs(world, client.ns);
  const sns = liveSocketsNs(world, server.ns);
  const listener = sns.sockets.find((s) => s.id === server.listenerId);
  if (!listener || listener.state !== 'LISTEN') throw new KernelError('ECONNREFUSED');
  const cfam: 4 | 6 = familyOfAddr(client.localAddr);
  const caddr = canonAddr(client.localAddr);
  const craddr = canonAddr(client.remoteAddr);
  let cport = client.localPort;
  if (cport === 0) {
    cport = allocEphemeralPort(world, client.ns, 'even', (p) => {
      if (!portFree(cns, 'tcp', cfam, caddr, p, true)) return false;
      return !cns.sockets.some((s) => s.proto === 'tcp' && s.localPort === p && s.remotePort === client.remotePort && s.remoteAddr === craddr);
    });
  }
  const clientSock = newSocket(world, {
    proto: 'tcp',
    family: cfam,
    localAddr: caddr,
    localPort: cport,
    remoteAddr: craddr,
    remotePort: client.remotePort,
    state: 'ESTABLISHED',
    pid: client.pid,
    fd: client.pid === null ? null : allocFd(world, cns.host, client.pid),
  });
  cns.sockets.push(clientSock);
  const s4 = isIPv4(server.localAddr);
  const sfam: 4 | 6 = listener.family === 4 ? 4 : 6;
  const view = (a: string): string => (sfam === 6 && isIPv4(a) ? mapV4(a) : canonAddr(a));
  if (listener.family === 4 && !s4) throw new KernelError('ECONNREFUSED');
  const serverSock = newSocket(world, {
    proto: 'tcp',
    family: sfam,
    localAddr: view(server.localAddr),
    localPort: server.localPort,
    remoteAddr: view(server.remoteAddr),
    remotePort: server.remotePort === 0 ? cport : server.remotePort,
    state: 'ESTABLISHED',
    pid: listener.pid,
    fd: listener.pid === null ? null : allocFd(world, sns.host, listener.pid),
    service: listener.service,
    peer: { ns: client.ns, id: clientSock.id },
  });
  sns.sockets.push(serverSock);
  clientSock.peer = { ns: server.ns, id: serverSock.id };
  return { client: clientSock, server: serverSock };
}

/**
 * connect() to a listener of the same namespace (loopback or an own
 * address): what the corpus's `conn:SRC:SPORT-DST:DPORT` does when the
 * destination is local. `sport` 0 = ephemeral. Throws ECONNREFUSED when
 * nothing listens there, EADDRNOTAVAIL when `src` is not local, EADDRINUSE
 * when the source port is taken.
 */
export function connectLocal(world: World, nsId: NsId, pid: number | null, src: string | null, sport: number, dst: string, dport: number): { client: Socket; server: Socket } {
  const ns = liveSocketsNs(world, nsId);
  const dstC = canonAddr(dst);
  const fam = familyOfAddr(dstC);
  let srcC = src === null ? null : canonAddr(src);
  if (srcC !== null && !isAnyAddr(srcC) && !isLocalAddress(ns, srcC)) throw new KernelError('EADDRNOTAVAIL');
  if (srcC !== null && familyOfAddr(srcC) !== fam) throw new KernelError('EAFNOSUPPORT');
  if (!isLocalAddress(ns, dstC)) throw new KernelError('ETIMEDOUT');
  if (srcC === null || isAnyAddr(srcC)) srcC = dstC; // a local destination is reached from itself
  if (sport !== 0 && !portFree(ns, 'tcp', fam, srcC, sport, true)) {
    // with SO_REUSEADDR a port held by connections (not a listener) may be shared if the 4-tuple differs
    const clash = ns.sockets.some((s) => s.proto === 'tcp' && s.localPort === sport && (s.state === 'LISTEN' || (s.remoteAddr === dstC && s.remotePort === dport)));
    if (clash) throw new KernelError('EADDRINUSE');
  }
  const listener = findListener(world, nsId, 'tcp', dstC, dport);
  if (!listener) throw new KernelError('ECONNREFUSED');
  return establish(world, { ns: nsId, pid, localAddr: srcC, localPort: sport, remoteAddr: dstC, remotePort: dport }, { ns: nsId, listenerId: listener.id, localAddr: dstC, localPort: dport, remoteAddr: srcC, remotePort: sport });
}

/**
 * close(): the socket leaves its process. A listener or UDP socket simply
 * goes away; a connection walks the TCP close: the first side to close
 * waits in FIN_WAIT2 (orphaned, 60 s) while its peer sits in CLOSE_WAIT;
 * the second side's close ends the connection and leaves the first in
 * TIME_WAIT (60 s).
 */
export function closeSocket(world: World, nsId: NsId, id: number): void {
  const ns = liveSocketsNs(world, nsId);
  const s = ns.sockets.find((x) => x.id === id);
  if (!s) throw new KernelError('EBADF');
  const now = world.now();
  if (s.proto !== 'tcp' || s.state === 'LISTEN' || s.state === 'CLOSE' || s.state === 'SYN_SENT') {
    removeSocket(world, nsId, id);
    return;
  }
  const peer = s.peer ? (world.state.namespaces[s.peer.ns]?.sockets.find((x) => x.id === s.peer!.id) ?? null) : null;
  s.pid = null;
  s.fd = null;
  if (s.state === 'ESTABLISHED' || s.state === 'SYN_RECV') {
    if (peer && (peer.state === 'ESTABLISHED' || peer.state === 'SYN_RECV')) {
      s.state = 'FIN_WAIT2';
      s.expires = now + TCP_FIN_TIMEOUT_MS;
      // until its process reads the end of the stream, the FIN's sequence number counts in Recv-Q
      peer.recvQ += 1;
      peer.state = 'CLOSE_WAIT';
      return;
    }
    removeSocket(world, nsId, id);
    return;
  }
  if (s.state === 'CLOSE_WAIT') {
    // LAST_ACK is acknowledged at once on a simulated wire
    removeSocket(world, nsId, id);
    if (peer && (peer.state === 'FIN_WAIT2' || peer.state === 'FIN_WAIT1')) {
      peer.state = 'TIME_WAIT';
      peer.expires = now + TCP_TIMEWAIT_MS;
    }
    return;
  }
  removeSocket(world, nsId, id);
}

/** Close every socket a process holds (the process exits). */
export function closeProcessSockets(world: World, hostId: HostId, pid: number): void {
  for (const ns of Object.values(world.state.namespaces)) {
    if (ns.host !== hostId) continue;
    for (const s of [...ns.sockets]) if (s.pid === pid) closeSocket(world, ns.id, s.id);
  }
}

/** A connection reset (RST): both ends vanish. */
export function resetConnection(world: World, nsId: NsId, id: number): void {
  const ns = world.ns(nsId);
  const s = ns.sockets.find((x) => x.id === id);
  if (!s) return;
  if (s.peer) {
    const pns = world.state.namespaces[s.peer.ns];
    if (pns) pns.sockets = pns.sockets.filter((x) => x.id !== s.peer!.id);
  }
  removeSocket(world, nsId, id);
}

/** All sockets of a namespace in the order the kernel's tables list them: listeners first (listening hash), then the rest (established hash), each by creation. */
export function socketsInKernelOrder(world: World, nsId: NsId, proto: SockProto): Socket[] {
  const all = liveSockets(world, nsId).filter((s) => s.proto === proto);
  const listen = all.filter((s) => s.state === 'LISTEN' || s.state === 'UNCONN' || s.state === 'CLOSE');
  const rest = all.filter((s) => !listen.includes(s));
  return [...listen, ...rest].sort((a, b) => {
    const la = listen.includes(a) ? 0 : 1;
    const lb = listen.includes(b) ? 0 : 1;
    return la - lb || a.seq - b.seq;
  });
}

// ---------------------------------------------------------------- inodes

/** The inode number of a socket (what /proc/PID/fd/N links to). */
export function socketInode(s: Socket): number {
  return 20000 + s.id * 7;
}

const ORPHAN_STATES = new Set<Socket['state']>(['FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'LAST_ACK', 'CLOSING']);

/** The inode /proc/net/* shows: 0 once the socket left its process (orphaned, TIME_WAIT). */
export function procInode(s: Socket): number {
  return s.pid === null && ORPHAN_STATES.has(s.state) ? 0 : socketInode(s);
}

