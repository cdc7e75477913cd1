// The text of /proc/net files, generated from the simulated kernel exactly
// as Linux 6.x formats them: route, arp, tcp, tcp6, udp, udp6, dev. The
// virtual filesystem serves them; route/netstat/arp/ifconfig use the row
// helpers (the same data, already parsed).
import type { World } from '../sim/world';
import type { Link, Neighbour, NsId, Route, Socket } from '../sim/types';
import { fibTableExists, routesOf, RT_TABLE_LOCAL, RT_TABLE_MAIN } from '../sim/fib';
import { neighList } from '../sim/neighbour';
import { liveSockets, procInode, unmapV4 } from '../sim/sockets';
import { v4MaskText, v4ToInt } from '../sim/ip';
import type { ProcProvider, Sys } from './types';

/** RTF_* route flags (<linux/route.h>). */
export const RTF = { UP: 0x1, GATEWAY: 0x2, HOST: 0x4, REINSTATE: 0x8, DYNAMIC: 0x10, MODIFIED: 0x20, MTU: 0x40, WINDOW: 0x80, IRTT: 0x100, REJECT: 0x200 } as const;

export interface ProcRouteRow {
  iface: string;
  /** network byte order addresses as dotted quads */
  dst: string;
  gateway: string;
  mask: string;
  flags: number;
  refcnt: number;
  use: number;
  metric: number;
  mtu: number;
  window: number;
  irtt: number;
  route: Route;
}


/** %08X of a __be32 on a little-endian machine: the octets reversed. */
export function hexLE(addr: string): string {
  const p = addr.split('.').map(Number);
  return p
    .reverse()
    .map((x) => x.toString(16).toUpperCase().padStart(2, '0'))
    .join('');
}

/**
 * The rows of /proc/net/route: the main table (IPv4), in trie order, minus
 * broadcast and multicast routes; null when the main table does not exist
 * (a namespace whose FIB was never used: the file is then empty, not even a
 * header).
 */
export function procNetRouteRows(world: World, nsId: NsId): ProcRouteRow[] | null {
  const ns = world.ns(nsId);
  // the main table appears with its first route, or with the local table (the kernel creates main as
  // the local table's alias while no policy rule has been added): only a never-used FIB has none
  if (!fibTableExists(ns, 4, RT_TABLE_MAIN) && !fibTableExists(ns, 4, RT_TABLE_LOCAL)) return null;
  const rows: ProcRouteRow[] = [];
  for (const r of routesOf(ns, 4)) {
    if (r.table !== RT_TABLE_MAIN) continue;
    if (r.type === 'broadcast' || r.type === 'multicast') continue;
    let flags = r.type === 'unreachable' || r.type === 'prohibit' ? RTF.REJECT : 0;
    const gw = r.gateway && r.family === 4 ? r.gateway : null;
    if (gw) flags |= RTF.GATEWAY;
    if (r.dstLen === 32) flags |= RTF.HOST;
    flags |= RTF.UP;
    const link = r.oif !== null && r.type !== 'blackhole' && r.type !== 'unreachable' && r.type !== 'prohibit' && r.type !== 'throw' ? ns.links.find((l) => l.ifindex === r.oif) : undefined;
    rows.push({
      iface: link ? link.name : '*',
      dst: r.dst,
      gateway: gw ?? '0.0.0.0',
      mask: v4MaskText(r.dstLen),
      flags,
      refcnt: 0,
      use: 0,
      metric: r.metric,
      mtu: 0,
      window: 0,
      irtt: 0,
      route: r,
    });
  }
  return rows;
}

/** seq_file lines padded to 127 characters, as fib_route_seq_show does. */
export function procNetRoute(world: World, nsId: NsId): string {
  const rows = procNetRouteRows(world, nsId);
  if (rows === null) return '';
  const pad = (s: string) => s.padEnd(127) + '\n';
  let out = pad('Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT');
  for (const r of rows) {
    out += pad(`${r.iface}\t${hexLE(r.dst)}\t${hexLE(r.gateway)}\t${r.flags.toString(16).toUpperCase().padStart(4, '0')}\t${r.refcnt}\t${r.use}\t${r.metric}\t${hexLE(r.mask)}\t${r.mtu}\t${r.window}\t${r.irtt}`);
  }
  return out;
}

// ---------------------------------------------------------------- arp

/** ATF_* flags of /proc/net/arp. */
export const ATF = { COM: 0x02, PERM: 0x04, PUBL: 0x08, USETRAILERS: 0x10, NETMASK: 0x20, DONTPUB: 0x40 } as const;

export interface ProcArpRow {
  ip: string;
  hwType: number;
  flags: number;
  hw: string;
  mask: string;
  dev: string;
  neigh: Neighbour;
}

/** ARPHRD_* of a link. */
export function arphrd(link: Link): number {
  return link.kind === 'loopback' ? 772 : 1;
}

/** Rows of /proc/net/arp: IPv4 neighbours except NOARP ones, flags from the NUD state. */
export function procNetArpRows(world: World, nsId: NsId): ProcArpRow[] {
  const ns = world.ns(nsId);
  const rows: ProcArpRow[] = [];
  for (const n of neighList(world, nsId)) {
    if (n.family !== 4 || n.state === 'NOARP') continue;
    const link = ns.links.find((l) => l.ifindex === n.ifindex);
    if (!link) continue;
    let flags = 0;
    if (n.state === 'PERMANENT') flags = ATF.PERM | ATF.COM;
    else if (n.state === 'REACHABLE' || n.state === 'STALE' || n.state === 'DELAY' || n.state === 'PROBE') flags = ATF.COM;
    rows.push({ ip: n.dst, hwType: arphrd(link), flags, hw: n.lladdr ?? '00:00:00:00:00:00', mask: '*', dev: link.name, neigh: n });
  }
  return rows;
}

export function procNetArp(world: World, nsId: NsId): string {
  let out = 'IP address       HW type     Flags       HW address            Mask     Device\n';
  for (const r of procNetArpRows(world, nsId)) {
    out += `${r.ip.padEnd(16)} 0x${r.hwType.toString(16).padEnd(10)}0x${r.flags.toString(16).padEnd(10)}${r.hw.padEnd(17)}     *        ${r.dev}\n`;
  }
  return out;
}

// ---------------------------------------------------------------- tcp, udp

const TCP_ST: Record<string, number> = { ESTABLISHED: 1, SYN_SENT: 2, SYN_RECV: 3, FIN_WAIT1: 4, FIN_WAIT2: 5, TIME_WAIT: 6, CLOSE: 7, UNCONN: 7, CLOSE_WAIT: 8, LAST_ACK: 9, LISTEN: 10, CLOSING: 11 };

function hex6(addr: string): string {
  // four __be32 words, each printed %08X on a little-endian machine
  const v4 = /^\d+\.\d+\.\d+\.\d+$/.test(addr) ? addr : null;
  const bytes: number[] = [];
  if (v4) {
    bytes.push(...v4.split('.').map(Number));
  } else {
    let s = addr;
    const mapped = unmapV4(addr);
    if (mapped !== null) s = '::ffff:' + mapped;
    const [head, tail] = s.includes('::') ? s.split('::') : [s, ''];
    const parse = (p: string): number[] => (p === '' ? [] : p.split(':').flatMap((w) => (w.includes('.') ? (() => {
      const q = w.split('.').map(Number);
      return [(q[0]! << 8) | q[1]!, (q[2]! << 8) | q[3]!];
    })() : [parseInt(w, 16)])));
    const h = parse(head!);
    const t = parse(tail ?? '');
    const words = [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
    for (const w of words) bytes.push(w >> 8, w & 255);
  }
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) out += [bytes[i + 3], bytes[i + 2], bytes[i + 1], bytes[i]].map((b) => b!.toString(16).toUpperCase().padStart(2, '0')).join('');
  return out;
}

const ORPHAN_STATES = new Set(['FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'LAST_ACK', 'CLOSING']);

function inetRow(sl: string, s: Socket, v6: boolean): string {
  const a = (addr: string, port: number) => `${v6 ? hex6(addr) : hexLE(addr)}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const st = (TCP_ST[s.state] ?? 7).toString(16).toUpperCase().padStart(2, '0');
  const rq = s.state === 'LISTEN' ? 0 : s.recvQ;
  const tq = s.state === 'LISTEN' ? 0 : s.sendQ;
  const q = `${tq.toString(16).toUpperCase().padStart(8, '0')}:${rq.toString(16).toUpperCase().padStart(8, '0')}`;
  const tr = s.state === 'TIME_WAIT' ? '03:00001770' : ORPHAN_STATES.has(s.state) ? '01:00000014' : '00:00000000';
  const ref = s.proto === 'udp' ? 2 : s.state === 'LISTEN' ? 1 : ORPHAN_STATES.has(s.state) ? 2 : v6 ? 1 : 2;
  return `${sl}: ${a(s.localAddr, s.localPort)} ${a(s.remoteAddr, s.remotePort)} ${st} ${q} ${tr} 00000000 ${'0'.padStart(5)} ${'0'.padStart(8)} ${procInode(s)} ${ref} 0000000000000000`;
}

/** udp_hashfn(): the hash slot /proc/net/udp numbers its lines with (port + a per-namespace mix). */
function udpSlot(nsId: NsId, port: number): number {
  let h = 0;
  for (const c of nsId) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return (port + (h % 16384)) & 16383;
}

function procNetInet(world: World, nsId: NsId, proto: 'tcp' | 'udp', v6: boolean): string {
  const socks = liveSockets(world, nsId).filter((s) => s.proto === proto && (v6 ? s.family !== 4 : s.family === 4) && !(proto === 'tcp' && s.state === 'CLOSE'));
  const listen = socks.filter((s) => s.state === 'LISTEN' || s.state === 'UNCONN');
  const ordered = [...listen, ...socks.filter((s) => !listen.includes(s))];
  let out: string;
  if (proto === 'tcp') {
    out = v6
      ? '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n'
      : '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'.padEnd(149) + '\n';
    ordered.forEach((s, i) => {
      const row = inetRow(String(i).padStart(4), s, v6) + (s.state === 'LISTEN' ? ' 100 0 0 10 0' : ' 20 0 0 10 -1');
      out += (v6 ? row : row.padEnd(149)) + '\n';
    });
  } else {
    out = v6
      ? '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n'
      : '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops'.padEnd(127) + '\n';
    for (const s of [...ordered].sort((a, b) => udpSlot(nsId, a.localPort) - udpSlot(nsId, b.localPort))) {
      const row = inetRow(String(udpSlot(nsId, s.localPort)).padStart(5), s, v6) + ' 0';
      out += (v6 ? row : row.padEnd(127)) + '\n';
    }
  }
  return out;
}

export const procNetTcp = (world: World, nsId: NsId): string => procNetInet(world, nsId, 'tcp', false);
export const procNetTcp6 = (world: World, nsId: NsId): string => procNetInet(world, nsId, 'tcp', true);
export const procNetUdp = (world: World, nsId: NsId): string => procNetInet(world, nsId, 'udp', false);
export const procNetUdp6 = (world: World, nsId: NsId): string => procNetInet(world, nsId, 'udp', true);

// ---------------------------------------------------------------- dev

/** /proc/net/dev: per-interface counters, in ifindex order. */
export function procNetDev(world: World, nsId: NsId): string {
  const ns = world.ns(nsId);
  let out = 'Inter-|   Receive                                                |  Transmit\n' + ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
  for (const l of [...ns.links].sort((a, b) => a.ifindex - b.ifindex)) {
    const s = l.stats;
    const c = (n: number, w: number) => String(n).padStart(w);
    out += `${l.name.padStart(6)}: ${c(s.rxBytes, 7)} ${c(s.rxPackets, 7)} ${c(s.rxErrors, 4)} ${c(s.rxDropped, 4)} ${c(0, 4)} ${c(0, 5)} ${c(0, 10)} ${c(s.multicast, 9)} ${c(s.txBytes, 8)} ${c(s.txPackets, 7)} ${c(s.txErrors, 4)} ${c(s.txDropped, 4)} ${c(0, 4)} ${c(0, 5)} ${c(0, 7)} ${c(0, 10)}\n`;
  }
  return out;
}

export { v4ToInt };

/** A provider serving a fixed set of files from functions. */
export function fileTable(files: Record<string, (sys: Sys) => string>): ProcProvider {
  return {
    read: (sys, path) => (files[path] ? files[path]!(sys) : null),
    list: (_sys, path) => {
      const pre = path + '/';
      const names = new Set<string>();
      for (const k of Object.keys(files)) if (k.startsWith(pre)) names.add(k.slice(pre.length).split('/')[0]!);
      return names.size ? [...names] : null;
    },
  };
}

/** /proc/net/*: the namespace's tables as the kernel formats them (net-tools reads them; netstat declares them). */
export const procNetFiles: ProcProvider = fileTable({
  '/proc/net/route': (sys) => procNetRoute(sys.world, sys.ns),
  '/proc/net/arp': (sys) => procNetArp(sys.world, sys.ns),
  '/proc/net/tcp': (sys) => procNetTcp(sys.world, sys.ns),
  '/proc/net/tcp6': (sys) => procNetTcp6(sys.world, sys.ns),
  '/proc/net/udp': (sys) => procNetUdp(sys.world, sys.ns),
  '/proc/net/udp6': (sys) => procNetUdp6(sys.world, sys.ns),
  '/proc/net/dev': (sys) => procNetDev(sys.world, sys.ns),
});
