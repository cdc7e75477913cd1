// netstat (net-tools 2.10): sockets (-t -u -w -x -l -a -n -p -e -o -W),
// the routing table (-r, printed by route.ts) and the interface table (-i,
// ifconfig.ts). Like the real tool it reads what /proc/net/{tcp,tcp6,udp,
// udp6,raw,raw6,unix} list: IPv4 sockets in tcp/udp, IPv6 ones (dual-stack
// included, with their v4-mapped peers) in tcp6/udp6.
import type { CmdResult, NetCommand, Sys } from '../types';
import { ordered } from '../types';
import { AFLIST_ROUTE, FLAG_CACHE, FLAG_EXT, FLAG_FIB, FLAG_NUM, FLAG_NUM_HOST, FLAG_NUM_PORT, FLAG_NUM_USER, FLAG_VERBOSE, NETTOOLS_FEATURES, AFTRANS_LONGOPTS, aftransOpt, getoptLong, hostByAddr, netByAddr, netToolsServiceName, type LongOpt } from './lib';
import { canonAddr, liveSockets, procInode, unmapV4 } from '../../sim/sockets';
import type { Socket } from '../../sim/types';
import { printRouteTable } from './route';
import { printInterfaceTable } from './ifconfig';
import { procNetFiles } from '../procnet';
import { completeNetstat } from '../completion-nettools';

const VERSION = 'net-tools 2.10\nFred Baumgarten, Alan Cox, Bernd Eckenfels, Phil Blundell, Tuan Hoang, Brian Micek and others\n+NEW_ADDRT +RTF_IRTT +RTF_REJECT +FW_MASQUERADE +I18N +SELINUX\n' + NETTOOLS_FEATURES;

const USAGE = `usage: netstat [-vWeenNcCF] [<Af>] -r         netstat {-V|--version|-h|--help}
       netstat [-vWnNcaeol] [<Socket> ...]
       netstat { [-vWeenNac] -i | [-cnNe] -M | -s [-6tuw] }

        -r, --route              display routing table
        -i, --interfaces         display interface table
        -g, --groups             display multicast group memberships
        -s, --statistics         display networking statistics (like SNMP)
        -M, --masquerade         display masqueraded connections

        -v, --verbose            be verbose
        -W, --wide               don't truncate IP addresses
        -n, --numeric            don't resolve names
        --numeric-hosts          don't resolve host names
        --numeric-ports          don't resolve port names
        --numeric-users          don't resolve user names
        -N, --symbolic           resolve hardware names
        -e, --extend             display other/more information
        -p, --programs           display PID/Program name for sockets
        -o, --timers             display timers
        -c, --continuous         continuous listing

        -l, --listening          display listening server sockets
        -a, --all                display all sockets (default: connected)
        -F, --fib                display Forwarding Information Base (default)
        -C, --cache              display routing cache instead of FIB
        -Z, --context            display SELinux security context for sockets

  <Socket>={-t|--tcp} {-u|--udp} {-U|--udplite} {-S|--sctp} {-w|--raw}
           {-x|--unix} --ax25 --ipx --netrom
  <AF>=Use '-6|-4' or '-A <af>' or '--<af>'; default: inet
  List of possible address families (which support routing):
`;

const LONGOPTS: LongOpt[] = [
  ...AFTRANS_LONGOPTS,
  { name: 'version', hasArg: 0, val: 'V' },
  { name: 'interfaces', hasArg: 0, val: 'i' },
  { name: 'help', hasArg: 0, val: 'h' },
  { name: 'route', hasArg: 0, val: 'r' },
  { name: 'masquerade', hasArg: 0, val: 'M' },
  { name: 'protocol', hasArg: 1, val: 'A' },
  { name: 'tcp', hasArg: 0, val: 't' },
  { name: 'sctp', hasArg: 0, val: 'S' },
  { name: 'udp', hasArg: 0, val: 'u' },
  { name: 'udplite', hasArg: 0, val: 'U' },
  { name: 'raw', hasArg: 0, val: 'w' },
  { name: 'unix', hasArg: 0, val: 'x' },
  { name: 'l2cap', hasArg: 0, val: '2' },
  { name: 'rfcomm', hasArg: 0, val: 'f' },
  { name: 'listening', hasArg: 0, val: 'l' },
  { name: 'all', hasArg: 0, val: 'a' },
  { name: 'timers', hasArg: 0, val: 'o' },
  { name: 'continuous', hasArg: 0, val: 'c' },
  { name: 'extend', hasArg: 0, val: 'e' },
  { name: 'programs', hasArg: 0, val: 'p' },
  { name: 'verbose', hasArg: 0, val: 'v' },
  { name: 'statistics', hasArg: 0, val: 's' },
  { name: 'wide', hasArg: 0, val: 'W' },
  { name: 'numeric', hasArg: 0, val: 'n' },
  { name: 'numeric-hosts', hasArg: 0, val: '!' },
  { name: 'numeric-ports', hasArg: 0, val: '@' },
  { name: 'numeric-users', hasArg: 0, val: '#' },
  { name: 'symbolic', hasArg: 0, val: 'N' },
  { name: 'cache', hasArg: 0, val: 'C' },
  { name: 'fib', hasArg: 0, val: 'F' },
  { name: 'groups', hasArg: 0, val: 'g' },
  { name: 'context', hasArg: 0, val: 'Z' },
];

const TCP_STATE: Record<string, string> = {
  ESTABLISHED: 'ESTABLISHED',
  SYN_SENT: 'SYN_SENT',
  SYN_RECV: 'SYN_RECV',
  FIN_WAIT1: 'FIN_WAIT1',
  FIN_WAIT2: 'FIN_WAIT2',
  TIME_WAIT: 'TIME_WAIT',
  CLOSE: 'CLOSE',
  CLOSE_WAIT: 'CLOSE_WAIT',
  LAST_ACK: 'LAST_ACK',
  LISTEN: 'LISTEN',
  CLOSING: 'CLOSING',
};

/**
 * An address as netstat prints it: numeric with -n, else through the
 * resolver (INET_rresolve with the netmask 255.255.255.0 netstat passes: a
 * socket address with host bits is a host, one ending in .0 a network).
 */
function inetName(sys: Sys, addr: string, numericHost: boolean): string {
  if (numericHost) return addr;
  if (addr === '0.0.0.0') return addr; // 0.0.0.0 with a /24 mask: printed as is
  const last = Number(addr.split('.')[3]);
  if (last !== 0) return hostByAddr(sys, addr) ?? addr;
  return netByAddr(sys, addr) ?? addr;
}

function inet6Name(sys: Sys, addr: string, numericHost: boolean): string {
  // INET6_rresolve then fix_v4_address (drops the ::ffff: of a v4-mapped address)
  let name: string;
  const v4 = unmapV4(addr);
  if (numericHost) name = addr;
  else if (addr === '::') name = '[::]';
  else name = hostByAddr(sys, v4 ?? addr) ?? addr;
  if (v4 !== null && name === addr) return v4;
  return name;
}

/** addr_do_one(): "addr:port", cut to 22 characters unless -W (the port kept whole when short). */
function addrPort(sys: Sys, s: Socket, which: 'local' | 'remote', proto: string, flagNot: number, wide: boolean): string {
  const addr = which === 'local' ? s.localAddr : s.remoteAddr;
  const port = which === 'local' ? s.localPort : s.remotePort;
  const v6 = s.family !== 4;
  const saddr = v6 ? inet6Name(sys, addr, (flagNot & FLAG_NUM_HOST) !== 0) : inetName(sys, addr, (flagNot & FLAG_NUM_HOST) !== 0);
  let sport: string;
  if (port === 0) sport = '*';
  else if (flagNot & FLAG_NUM_PORT) sport = String(port);
  else sport = netToolsServiceName(sys, port, proto) ?? String(port);
  const shortLen = 22;
  if (!wide && saddr.length + sport.length > shortLen) {
    const portLen = Math.min(sport.length, shortLen - 4);
    const addrLen = shortLen - portLen;
    return saddr.slice(0, addrLen) + ':' + sport.slice(0, portLen);
  }
  return `${saddr}:${sport}`;
}

interface Flags {
  all: number;
  lst: number;
  exp: number;
  prg: number;
  not: number;
  opt: number;
  wide: number;
  tcp: number;
  udp: number;
  udplite: number;
  raw: number;
  sctp: number;
  inet: number;
  inet6: number;
  unx: number;
  other: string | null;
}

function progName(sys: Sys, s: Socket): string {
  if (s.pid === null || s.fd === null || s.state === 'TIME_WAIT') return '-';
  const p = sys.world.host(sys.host).processes.find((x) => x.pid === s.pid);
  if (!p) return '-';
  const a0 = p.argv[0] ?? p.comm;
  const base = a0.startsWith('/') ? a0.slice(a0.lastIndexOf('/') + 1) : a0;
  return `${p.pid}/${base}`.slice(0, 19);
}

function finish(sys: Sys, f: Flags, s: Socket, timers: string): string {
  let out = '';
  if (f.exp > 1) {
    out += ` ${(f.not & FLAG_NUM_USER ? '0' : 'root').padEnd(10)} `;
    out += String(procInode(s)).padEnd(10);
  }
  if (f.prg) out += ' ' + progName(sys, s).padEnd(20);
  if (f.opt) out += ` ${timers}`;
  return out + '\n';
}

function tcpLines(sys: Sys, f: Flags, socks: Socket[], family: 4 | 6): string {
  let out = '';
  const prot = family === 4 ? 'tcp' : 'tcp6';
  for (const s of socks) {
    if (s.proto !== 'tcp' || (family === 4) !== (s.family === 4) || s.state === 'CLOSE') continue;
    const listening = s.remotePort === 0;
    if (!f.all && ((f.lst && !listening) || (!f.lst && listening))) continue;
    const local = addrPort(sys, s, 'local', 'tcp', f.not, f.wide > 0);
    const rem = addrPort(sys, s, 'remote', 'tcp', f.not, f.wide > 0);
    const rxq = s.state === 'LISTEN' ? 0 : s.recvQ;
    const txq = s.state === 'LISTEN' ? 0 : s.sendQ;
    const timer = s.state === 'TIME_WAIT' ? 'timewait (0.00/0/0)' : 'off (0.00/0/0)';
    out += `${prot.padEnd(4)}  ${String(rxq).padStart(6)} ${String(txq).padStart(6)} ${local.padEnd(23)} ${rem.padEnd(23)} ${(TCP_STATE[s.state] ?? '').padEnd(11)}`;
    out += finish(sys, f, s, timer);
  }
  return out;
}

function udpLines(sys: Sys, f: Flags, socks: Socket[], family: 4 | 6): string {
  let out = '';
  const prot = family === 4 ? 'udp' : 'udp6';
  for (const s of socks) {
    if (s.proto !== 'udp' || (family === 4) !== (s.family === 4)) continue;
    const notnull = s.remoteAddr !== '0.0.0.0' && s.remoteAddr !== '::';
    if (!(f.all || (notnull && !f.lst) || (!notnull && f.lst))) continue;
    const local = addrPort(sys, s, 'local', 'udp', f.not, f.wide > 0);
    const rem = addrPort(sys, s, 'remote', 'udp', f.not, f.wide > 0);
    const st = s.state === 'ESTABLISHED' ? 'ESTABLISHED' : '';
    out += `${prot.padEnd(5)} ${String(s.recvQ).padStart(6)} ${String(s.sendQ).padStart(6)} ${local.padEnd(23)} ${rem.padEnd(23)} ${st.padEnd(11)}`;
    out += finish(sys, f, s, 'off (0.00/0/0)');
  }
  return out;
}

/**
 * The multicast groups of /proc/net/igmp and /proc/net/igmp6: devices in
 * registration order; IPv4: 224.0.0.1 on every device that is up (and
 * 224.0.0.106 on a bridge); IPv6 on every device: the solicited-node group
 * of each address (newest first), ff02::6a on an up bridge, ff02::1, ff01::1.
 */
function groupLines(sys: Sys, v4: boolean, v6: boolean, numeric: boolean): string {
  const ns = sys.world.ns(sys.ns);
  const links = [...ns.links].sort((a, b) => a.created - b.created);
  const row = (dev: string, group: string) => `${dev.padEnd(15)} ${'1'.padEnd(6)} ${group}\n`;
  let out = '';
  if (v4) {
    for (const l of links) {
      if (!l.adminUp) continue;
      out += row(l.name, inetName(sys, '224.0.0.1', numeric));
      if (l.kind === 'bridge') out += row(l.name, inetName(sys, '224.0.0.106', numeric));
    }
  }
  if (v6) {
    for (const l of links) {
      if (!l.ipv6) continue;
      const groups: string[] = [];
      const addrs = ns.addrs.filter((a) => a.family === 6 && a.ifindex === l.ifindex && a.local !== '::1').sort((a, b) => b.seq - a.seq);
      for (const a of addrs) {
        const g = solicitedNode(a.local);
        if (!groups.includes(g)) groups.push(g);
      }
      if (l.kind === 'bridge' && l.adminUp) groups.push('ff02::6a');
      groups.push('ff02::1', 'ff01::1');
      for (const g of groups) out += row(l.name, inet6Name(sys, g, numeric));
    }
  }
  return out;
}

/** ff02::1:ffXX:XXXX of an IPv6 address (its last 24 bits). */
function solicitedNode(addr: string): string {
  const full = canonAddr(addr);
  const words = expand6(full);
  const w6 = words[6]! & 0xff;
  const w7 = words[7]!;
  return canonAddr(`ff02::1:ff${w6.toString(16).padStart(2, '0')}:${w7.toString(16)}`);
}

function expand6(a: string): number[] {
  const [h, t] = a.includes('::') ? a.split('::') : [a, ''];
  const parse = (p: string) => (p === '' ? [] : p.split(':').map((x) => parseInt(x, 16)));
  const hs = parse(h!);
  const ts = parse(t ?? '');
  return [...hs, ...new Array(8 - hs.length - ts.length).fill(0), ...ts];
}

/**
 * netstat -s: the SNMP counters of /proc/net/snmp (and snmp6, netstat) in
 * net-tools' wording. The simulated kernel keeps no per-protocol MIB
 * counters: they read as a namespace that has not exchanged packets, except
 * Forwarding (net.ipv4.ip_forward) and CurrEstab (the connections open now).
 */
function statistics(sys: Sys, v6: boolean, raw: boolean, tcp: boolean, udp: boolean, all: boolean): string {
  const ns = sys.world.ns(sys.ns);
  const showAll = all || !(raw || tcp || udp);
  const estab = liveSockets(sys.world, sys.ns).filter((s) => s.proto === 'tcp' && (s.state === 'ESTABLISHED' || s.state === 'CLOSE_WAIT')).length;
  const tcpSec =
    'Tcp:\n    0 active connection openings\n    0 passive connection openings\n    0 failed connection attempts\n    0 connection resets received\n' +
    `    ${estab} connections established\n    0 segments received\n    0 segments sent out\n    0 segments retransmitted\n    0 bad segments received\n    0 resets sent\n`;
  let out = '';
  if (v6) {
    if (showAll || raw) {
      out += 'Ip6:\n    0 total packets received\n    0 incoming packets discarded\n    0 incoming packets delivered\n    0 forwarded\n    0 requests sent out\n';
      out += 'Icmp6:\n    0 ICMP messages received\n    0 input ICMP message failed\n    0 ICMP messages sent\n    ICMP input histogram:\n        ICMP output histogram:\n';
    }
    if (showAll || udp) out += 'Udp6:\n    0 packets received\n    0 packets to unknown port received\n    0 packet receive errors\n    0 packets sent\n';
    out += 'UdpLite6:\n';
    if (showAll || tcp) out += tcpSec;
    return out;
  }
  const fwd = (ns.sysctl['net.ipv4.ip_forward'] ?? '0').trim() === '1' ? 1 : 2;
  if (showAll || raw) {
    out += `Ip:\n    Forwarding: ${fwd}\n    0 total packets received\n    0 forwarded\n    0 incoming packets discarded\n    0 incoming packets delivered\n    0 requests sent out\n`;
    out += 'Icmp:\n    0 ICMP messages received\n    0 input ICMP message failed\n    ICMP input histogram:\n    0 ICMP messages sent\n    0 ICMP messages failed\n    ICMP output histogram:\n';
  }
  if (showAll || tcp) out += tcpSec;
  if (showAll || udp) out += 'Udp:\n    0 packets received\n    0 packets to unknown port received\n    0 packet receive errors\n    0 packets sent\n    0 receive buffer errors\n    0 send buffer errors\n';
  out += 'UdpLite:\n';
  if (showAll || tcp) out += 'TcpExt:\n    0 packet headers predicted\n';
  out += 'IpExt:\nMPTcpExt:\n';
  return out;
}

/** What netstat's options ask for: the socket flags, the other modes, the families named. */
interface NetstatQuery {
  f: Flags;
  int: number;
  rou: number;
  mas: number;
  sta: number;
  igmp: number;
  cf: number;
  ver: number;
  afnames: string[];
  stderr: string;
}

/** Options that only count or set a flag of the query. */
const NETSTAT_COUNTS: Record<string, (q: NetstatQuery) => void> = {
  M: (q) => void q.mas++,
  a: (q) => void q.f.all++,
  l: (q) => void q.f.lst++,
  g: (q) => void q.igmp++,
  e: (q) => void q.f.exp++,
  p: (q) => void q.f.prg++,
  i: (q) => void q.int++,
  W: (q) => void q.f.wide++,
  n: (q) => void (q.f.not |= FLAG_NUM),
  '!': (q) => void (q.f.not |= FLAG_NUM_HOST),
  '@': (q) => void (q.f.not |= FLAG_NUM_PORT),
  '#': (q) => void (q.f.not |= FLAG_NUM_USER),
  C: (q) => void (q.cf |= FLAG_CACHE),
  F: (q) => void (q.cf |= FLAG_FIB),
  o: (q) => void q.f.opt++,
  v: (q) => void (q.ver |= FLAG_VERBOSE),
  r: (q) => void q.rou++,
  t: (q) => void q.f.tcp++,
  S: (q) => void q.f.sctp++,
  u: (q) => void q.f.udp++,
  U: (q) => void q.f.udplite++,
  w: (q) => void q.f.raw++,
  s: (q) => void q.sta++,
};

/** netstat.c main()'s getopt loop; a result when an option ends the command. */
function netstatOptions(args: string[]): NetstatQuery | CmdResult {
  const g = getoptLong('netstat', args, 'A:CFMacdeghilnNoprsStuUvVWw2fx64?Z', LONGOPTS);
  const f: Flags = { all: 0, lst: 0, exp: 1, prg: 0, not: 0, opt: 0, wide: 0, tcp: 0, udp: 0, udplite: 0, raw: 0, sctp: 0, inet: 0, inet6: 0, unx: 0, other: null };
  const q: NetstatQuery = { f, int: 0, rou: 0, mas: 0, sta: 0, igmp: 0, cf: 0, ver: 0, afnames: [], stderr: '' };
  const aftrans = (arg: string): boolean => {
    const bad = aftransOpt(arg, (name) => {
      if (name === 'inet') f.inet++;
      else if (name === 'inet6') f.inet6++;
      else if (name === 'unix') f.unx++;
      else f.other = name;
      q.afnames.push(name);
    });
    if (bad !== null) q.stderr += bad;
    return bad === null;
  };
  const usageErr = (): CmdResult => ({ stdout: '', stderr: q.stderr + USAGE + AFLIST_ROUTE, exitCode: 3 });
  const AF_OPT: Record<string, string> = { '6': 'inet6', '4': 'inet', x: 'unix' };
  for (const ev of g.events) {
    if (ev.kind === 'error') {
      q.stderr += ev.message;
      return usageErr();
    }
    const o = ev.opt;
    if (o.startsWith('af:') || o === 'A') {
      if (!aftrans(o === 'A' ? (ev.arg ?? '') : o.slice(3))) return { stdout: '', stderr: q.stderr, exitCode: 1 };
    } else if (NETSTAT_COUNTS[o]) NETSTAT_COUNTS[o]!(q);
    else if (AF_OPT[o]) aftrans(AF_OPT[o]!);
    else if (o === 'V') return { stdout: VERSION, stderr: q.stderr, exitCode: 0 };
    else if (o === 'Z') return { stdout: '', stderr: q.stderr + 'SELinux is not enabled on this machine.\n', exitCode: 1 };
    else if (o === '?') return usageErr();
    else if (o === 'h') return ordered([[2, q.stderr], [1, USAGE], [2, AFLIST_ROUTE]], 0);
  }
  if (q.int + q.rou + q.mas + q.sta > 1) return usageErr();
  return q;
}

/** The sockets part: Internet connections (TCP, SCTP, UDP), group memberships, UNIX sockets. */
function socketSections(sys: Sys, q: NetstatQuery, noprot: boolean, flagArg: number): CmdResult {
  const { f } = q;
  let out = '';
  let rc = 0;
  // stderr keeps its place among the sections (the SCTP message comes between TCP and UDP)
  const chunks: Array<[1 | 2, string]> = [[2, q.stderr]];
  const warn = (s: string) => {
    chunks.push([1, out], [2, s]);
    out = '';
  };
  const socks = liveSockets(sys.world, sys.ns);
  const which = f.all ? '(servers and established)' : f.lst ? '(only servers)' : '(w/o servers)';
  if (!flagArg || f.tcp || f.sctp || f.udp || f.udplite || f.raw) {
    out += `Active Internet connections ${which}\nProto Recv-Q Send-Q Local Address           Foreign Address         State      `;
    if (f.exp > 1) out += ' User       Inode     ';
    if (f.prg) out += ' ' + 'PID/Program name'.padEnd(20);
    if (f.opt) out += ' Timer';
    out += '\n';
  }
  if (!flagArg || f.tcp) {
    if (!flagArg || f.inet) out += tcpLines(sys, f, socks, 4);
    if (!flagArg || f.inet6) out += tcpLines(sys, f, socks, 6);
  }
  if (!flagArg || f.sctp) {
    // no SCTP in the simulated kernel: /proc/net/sctp/* are missing
    if (!noprot && (flagArg || q.ver)) warn("netstat: no support for `AF INET (sctp)' on this system.\n");
    if (!noprot && flagArg) rc = 1;
  }
  if (!flagArg || f.udp) {
    if (!flagArg || f.inet) out += udpLines(sys, f, socks, 4);
    if (!flagArg || f.inet6) out += udpLines(sys, f, socks, 6);
  }
  if (q.igmp) {
    out += 'IPv6/IPv4 Group Memberships\nInterface       RefCnt Group\n--------------- ------ ---------------------\n';
    out += groupLines(sys, !flagArg || f.inet > 0, !flagArg || f.inet6 > 0, (f.not & FLAG_NUM_HOST) !== 0);
  }
  if (!flagArg || f.unx) {
    out += `Active UNIX domain sockets ${which}\nProto RefCnt Flags       Type       State         I-Node  `;
    if (f.prg) out += ' ' + 'PID/Program name'.padEnd(20);
    out += ' Path\n';
  }
  if (flagArg && f.other) {
    const names: Record<string, string> = { ax25: 'AF AX25', ipx: 'AF IPX', netrom: 'AF NETROM', rose: 'AF ROSE', x25: 'AF X25', ddp: 'AF APPLETALK', ec: 'AF ECONET', ash: 'AF ASH', bluetooth: 'AF BLUETOOTH' };
    warn(`netstat: no support for \`${names[f.other] ?? f.other}' on this system.\n`);
    rc = 1;
  }
  chunks.push([1, out]);
  return ordered(chunks, rc);
}

function runNetstat(args: string[], sys: Sys): CmdResult {
  const q = netstatOptions(args);
  if (!('afnames' in q)) return q;
  const { f, stderr, afnames } = q;
  let noprot = false;
  if ((f.inet || f.inet6 || q.sta) && !(f.tcp || f.sctp || f.udp || f.udplite || f.raw)) {
    noprot = true;
    f.tcp = f.sctp = f.udp = f.udplite = f.raw = 1;
  }
  if ((f.tcp || f.sctp || f.udp || f.udplite || f.raw || q.igmp) && !(f.inet || f.inet6)) f.inet = f.inet6 = 1;
  const flagArg = f.tcp + f.sctp + f.udplite + f.udp + f.raw + f.unx + q.igmp + (f.other ? 1 : 0);
  if (q.mas) return { stdout: '', stderr: stderr + "netstat: no support for `ip_masquerade' on this system.\n", exitCode: 1 };
  if (q.sta) {
    const af = afnames.length ? afnames[0]! : 'inet';
    if (af !== 'inet' && af !== 'inet6') return ordered([[2, stderr], [1, `netstat: No statistics support for specified address family: ${af}\n`]], 1);
    return ordered([[2, stderr], [1, statistics(sys, af === 'inet6', !!f.raw, !!f.tcp, !!f.udp, noprot)]], 0);
  }
  if (q.rou) {
    // netstat.c swaps 1 and 2 of flag_exp before it calls route's printer
    const exp = f.exp === 2 ? 1 : f.exp === 1 ? 2 : f.exp;
    let options = (exp & FLAG_EXT) | f.not | q.cf | q.ver;
    if (!q.cf) options |= FLAG_FIB;
    const r = printRouteTable(sys, afnames.length ? afnames : ['inet'], options);
    return ordered([[2, stderr], [1, r.stdout], [2, r.stderr]], r.exitCode);
  }
  if (q.int) {
    const r = printInterfaceTable(sys, f.exp, f.all > 0, (q.ver & FLAG_VERBOSE) !== 0);
    return ordered([[2, stderr], [1, r.stdout], [2, r.stderr]], r.exitCode);
  }
  return socketSections(sys, q, noprot, flagArg);
}

export const netstat: NetCommand = {
  name: 'netstat',
  complete: completeNetstat,
  procFiles: { '/proc/net': procNetFiles },
  async run(args, _io, sys) {
    return runNetstat(args, sys);
  },
};
