// ss (iproute2 6.1): socket listing from the simulated kernel's sockets.
//
// The output is produced the way ss does it: every field is written as a
// token into a buffer, column widths come from the widest token of each
// column (the header included, the very last token excluded: ss measures a
// field when it moves past it), and, on a terminal, the free space up to the
// screen width is spread over the columns of each line; piped, columns are
// just as wide as their content (`isatty()` false: compact output).
import { table } from '../sim/own';
import { own } from '../sim/own';
import type { CmdResult, NetCommand, Sys } from './types';
import { getoptLong, hostByAddr, interleave, serviceName } from './net-tools/lib';
import { isEphemeralPort, liveSockets, procInode } from '../sim/sockets';
import type { Socket } from '../sim/types';
import { completeSs } from './completion-nettools';
import { Col, newColumns, Buffer, render } from './ss-columns';
import { parseFilter, evalExpr } from './ss-filter';
import { SsExit, USAGE, LONGOPTS } from './ss-usage';

// ---------------------------------------------------------------- states, tables, filters

const SS = { UNKNOWN: 0, ESTABLISHED: 1, SYN_SENT: 2, SYN_RECV: 3, FIN_WAIT1: 4, FIN_WAIT2: 5, TIME_WAIT: 6, CLOSE: 7, CLOSE_WAIT: 8, LAST_ACK: 9, LISTEN: 10, CLOSING: 11 } as const;
const SS_MAX = 12;
const SS_ALL = (1 << SS_MAX) - 1;
const SS_CONN = SS_ALL & ~((1 << SS.LISTEN) | (1 << SS.CLOSE) | (1 << SS.TIME_WAIT) | (1 << SS.SYN_RECV));
const STATE_NAME = ['UNKNOWN', 'ESTAB', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'UNCONN', 'CLOSE-WAIT', 'LAST-ACK', 'LISTEN', 'CLOSING'];
const STATE_NAMEL = ['UNKNOWN', 'established', 'syn-sent', 'syn-recv', 'fin-wait-1', 'fin-wait-2', 'time-wait', 'unconnected', 'close-wait', 'last-ack', 'listening', 'closing'];

function ssState(s: Socket): number {
  switch (s.state) {
    case 'ESTABLISHED':
      return SS.ESTABLISHED;
    case 'SYN_SENT':
      return SS.SYN_SENT;
    case 'SYN_RECV':
      return SS.SYN_RECV;
    case 'FIN_WAIT1':
      return SS.FIN_WAIT1;
    case 'FIN_WAIT2':
      return SS.FIN_WAIT2;
    case 'TIME_WAIT':
      return SS.TIME_WAIT;
    case 'CLOSE_WAIT':
      return SS.CLOSE_WAIT;
    case 'LAST_ACK':
      return SS.LAST_ACK;
    case 'LISTEN':
      return SS.LISTEN;
    case 'CLOSING':
      return SS.CLOSING;
    default:
      return SS.CLOSE;
  }
}

const DB = { TCP: 0, MPTCP: 1, DCCP: 2, UDP: 3, RAW: 4, UNIX_DG: 5, UNIX_ST: 6, UNIX_SQ: 7, PACKET_DG: 8, PACKET_R: 9, NETLINK: 10, SCTP: 11, VSOCK_ST: 12, VSOCK_DG: 13, TIPC: 14, XDP: 15 } as const;
const MAX_DB = 16;
const AF = { UNIX: 1, INET: 2, INET6: 10, NETLINK: 16, PACKET: 17, TIPC: 30, VSOCK: 40, XDP: 44 } as const;
const fam = (af: number): bigint => 1n << BigInt(af);
const INET_FAMS = fam(AF.INET) | fam(AF.INET6);
const TIPC_SS_CONN = (1 << SS.ESTABLISHED) | (1 << SS.LISTEN) | (1 << SS.CLOSE);

const DEFAULT_DBS: { states: number; families: bigint }[] = [];
for (const [db, states, families] of [
  [DB.TCP, SS_CONN, INET_FAMS],
  [DB.MPTCP, SS_CONN, INET_FAMS],
  [DB.DCCP, SS_CONN, INET_FAMS],
  [DB.UDP, 1 << SS.ESTABLISHED, INET_FAMS],
  [DB.RAW, 1 << SS.ESTABLISHED, INET_FAMS],
  [DB.UNIX_DG, 1 << SS.CLOSE, fam(AF.UNIX)],
  [DB.UNIX_ST, SS_CONN, fam(AF.UNIX)],
  [DB.UNIX_SQ, SS_CONN, fam(AF.UNIX)],
  [DB.PACKET_DG, 1 << SS.CLOSE, fam(AF.PACKET)],
  [DB.PACKET_R, 1 << SS.CLOSE, fam(AF.PACKET)],
  [DB.NETLINK, 1 << SS.CLOSE, fam(AF.NETLINK)],
  [DB.SCTP, SS_CONN, INET_FAMS],
  [DB.VSOCK_ST, SS_CONN, fam(AF.VSOCK)],
  [DB.VSOCK_DG, SS_CONN, fam(AF.VSOCK)],
  [DB.TIPC, TIPC_SS_CONN, fam(AF.TIPC)],
  [DB.XDP, 1 << SS.CLOSE, fam(AF.XDP)],
] as [number, number, bigint][]) DEFAULT_DBS[db] = { states, families };

const INET_L4_DBM = (1 << DB.TCP) | (1 << DB.MPTCP) | (1 << DB.UDP) | (1 << DB.DCCP) | (1 << DB.SCTP);
const INET_DBM = INET_L4_DBM | (1 << DB.RAW);
const UNIX_DBM = (1 << DB.UNIX_DG) | (1 << DB.UNIX_ST) | (1 << DB.UNIX_SQ);
const PACKET_DBM = (1 << DB.PACKET_DG) | (1 << DB.PACKET_R);
const VSOCK_DBM = (1 << DB.VSOCK_ST) | (1 << DB.VSOCK_DG);
const DEFAULT_AFS: Record<number, { dbs: number; states: number }> = {
  [AF.INET]: { dbs: INET_DBM, states: SS_CONN },
  [AF.INET6]: { dbs: INET_DBM, states: SS_CONN },
  [AF.UNIX]: { dbs: UNIX_DBM, states: SS_CONN },
  [AF.PACKET]: { dbs: PACKET_DBM, states: 1 << SS.CLOSE },
  [AF.NETLINK]: { dbs: 1 << DB.NETLINK, states: 1 << SS.CLOSE },
  [AF.VSOCK]: { dbs: VSOCK_DBM, states: SS_CONN },
  [AF.TIPC]: { dbs: 1 << DB.TIPC, states: TIPC_SS_CONN },
  [AF.XDP]: { dbs: 1 << DB.XDP, states: 1 << SS.CLOSE },
};

// a null-prototype table: `-A constructor` is an unknown table id, not Object.prototype's member
const DB_NAMES: Record<string, number[]> = table({
  all: [DB.UDP, DB.DCCP, DB.TCP, DB.MPTCP, DB.RAW, DB.UNIX_ST, DB.UNIX_DG, DB.UNIX_SQ, DB.PACKET_R, DB.PACKET_DG, DB.NETLINK, DB.SCTP, DB.VSOCK_ST, DB.VSOCK_DG, DB.XDP],
  inet: [DB.UDP, DB.DCCP, DB.TCP, DB.MPTCP, DB.SCTP, DB.RAW],
  udp: [DB.UDP],
  dccp: [DB.DCCP],
  tcp: [DB.TCP],
  mptcp: [DB.MPTCP],
  sctp: [DB.SCTP],
  raw: [DB.RAW],
  unix: [DB.UNIX_ST, DB.UNIX_DG, DB.UNIX_SQ],
  unix_stream: [DB.UNIX_ST],
  u_str: [DB.UNIX_ST],
  unix_dgram: [DB.UNIX_DG],
  u_dgr: [DB.UNIX_DG],
  unix_seqpacket: [DB.UNIX_SQ],
  u_seq: [DB.UNIX_SQ],
  packet: [DB.PACKET_R, DB.PACKET_DG],
  packet_raw: [DB.PACKET_R],
  p_raw: [DB.PACKET_R],
  packet_dgram: [DB.PACKET_DG],
  p_dgr: [DB.PACKET_DG],
  netlink: [DB.NETLINK],
  tipc: [DB.TIPC],
  vsock: [DB.VSOCK_ST, DB.VSOCK_DG],
  vsock_stream: [DB.VSOCK_ST],
  v_str: [DB.VSOCK_ST],
  vsock_dgram: [DB.VSOCK_DG],
  v_dgr: [DB.VSOCK_DG],
  xdp: [DB.XDP],
});

interface Filter {
  dbs: number;
  states: number;
  families: bigint;
}


function scanState(name: string): number {
  const s = name.toLowerCase();
  if (s === 'close' || s === 'closed') return 1 << SS.CLOSE;
  if (s === 'syn-rcv') return 1 << SS.SYN_RECV;
  if (s === 'established') return 1 << SS.ESTABLISHED;
  if (s === 'all') return SS_ALL;
  if (s === 'connected') return SS_ALL & ~((1 << SS.CLOSE) | (1 << SS.LISTEN));
  if (s === 'synchronized') return SS_ALL & ~((1 << SS.CLOSE) | (1 << SS.LISTEN) | (1 << SS.SYN_SENT));
  if (s === 'bucket') return (1 << SS.SYN_RECV) | (1 << SS.TIME_WAIT);
  if (s === 'big') return SS_ALL & ~((1 << SS.SYN_RECV) | (1 << SS.TIME_WAIT));
  for (let i = 0; i < SS_MAX; i++) if (s === STATE_NAMEL[i]!.toLowerCase()) return 1 << i;
  throw new SsExit({ stdout: '', stderr: `ss: wrong state name: ${name}\n`, exitCode: 255 });
}

// ---------------------------------------------------------------- the command

interface Opts {
  numeric: boolean;
  resolve: boolean;
  processes: boolean;
  header: boolean;
  extended: boolean;
  options: boolean;
  preferredFamily: number;
}

/** Sockets of the namespace as inet_diag dumps one protocol: IPv4 first, then IPv6 (all listeners, then the rest, by creation). */
function dumpOrder(socks: Socket[], proto: 'tcp' | 'udp', family: 4 | 6): Socket[] {
  const mine = socks.filter((s) => s.proto === proto && (family === 4 ? s.family === 4 : s.family !== 4));
  const isListen = (s: Socket) => s.state === 'LISTEN' || s.state === 'UNCONN';
  return [...mine.filter(isListen), ...mine.filter((s) => !isListen(s))];
}

function printInet(buf: Buffer, sys: Sys, o: Opts, s: Socket, netid: string): void {
  const st = ssState(s);
  buf.set(Col.NETID);
  buf.out(netid);
  buf.set(Col.STATE);
  buf.out(STATE_NAME[st]!);
  let rq = s.recvQ;
  let wq = s.sendQ;
  if (s.state === 'LISTEN') {
    rq = 0;
    wq = s.backlog;
  } else if (s.state === 'TIME_WAIT' || s.proto === 'udp') {
    rq = 0;
    wq = 0;
  }
  buf.set(Col.RECVQ);
  buf.out(String(rq).padEnd(6));
  buf.set(Col.SENDQ);
  buf.out(String(wq).padEnd(6));
  buf.set(Col.ADDR);
  const v6only = s.family === 6;
  const addr = (a: string): string => {
    if (s.family === 4) return (o.resolve ? hostByAddr(sys, a) : null) ?? a;
    if (!v6only && a === '::') return '*';
    const name = o.resolve ? hostByAddr(sys, a) : null;
    const t = name ?? a;
    return t.includes(':') ? `[${t}]` : t;
  };
  const port = (p: number): string => {
    if (p === 0) return '*';
    if (o.numeric) return String(p);
    if (isEphemeralPort(sys.world, sys.ns, p)) return String(p);
    return serviceName(sys, p, s.proto) ?? String(p);
  };
  buf.out(addr(s.localAddr) + (s.boundDev ? `%${s.boundDev}` : '') + ':');
  buf.next();
  buf.out(port(s.localPort));
  buf.next();
  buf.out(addr(s.remoteAddr) + ':');
  buf.next();
  buf.out(port(s.remotePort));
  buf.next();
  if (o.processes && s.pid !== null && s.fd !== null) {
    const p = sys.world.host(sys.host).processes.find((x) => x.pid === s.pid);
    if (p) buf.out(` users:(("${p.comm}",pid=${p.pid},fd=${s.fd}))`);
  }
  if (o.extended) {
    buf.out(` ino:${procInode(s)} sk:${(0x1000 + s.id).toString(16)}`);
    if (s.proto === 'tcp' && s.family !== 4 && s.state === 'LISTEN') buf.out(` v6only:${v6only ? 1 : 0}`);
    if (s.proto === 'tcp' && s.state !== 'LISTEN' && s.state !== 'TIME_WAIT') buf.out(' <->');
  }
}

const FAMILY_NAMES: Record<string, number> = table({ inet: AF.INET, inet6: AF.INET6, link: AF.PACKET, unix: AF.UNIX, netlink: AF.NETLINK, tipc: AF.TIPC, vsock: AF.VSOCK, xdp: AF.XDP });
/** options accepted without effect here (memory, internal info, BPF, events, kill...) */
const NOOP_OPTS = ['m', 'i', 'b', 'E', 'T', 'O', 'K', 'tos', 'cgroup', 'tipcinfo', 'inet-sockopt'];
const DB_OPTS: Record<string, number> = table({ d: DB.DCCP, t: DB.TCP, S: DB.SCTP, u: DB.UDP, w: DB.RAW, M: DB.MPTCP });
const AF_OPTS: Record<string, number> = table({ x: AF.UNIX, vsock: AF.VSOCK, tipc: AF.TIPC, xdp: AF.XDP, '4': AF.INET, '6': AF.INET6, '0': AF.PACKET });

/** ss.c main()'s getopt loop: the socket tables, families and states asked for, and the output options. */
class SsQuery {
  readonly f: Filter = { dbs: 0, states: 0, families: 0n };
  readonly o: Opts = { numeric: false, resolve: false, processes: false, header: true, extended: false, options: false, preferredFamily: 0 };
  doDefault = true;
  stateFilter = 0;
  summary = false;
  netnsName: string | null = null;
  private sawQuery = false;

  private dbSet(db: number, enable: boolean): void {
    if (enable) {
      this.f.states |= DEFAULT_DBS[db]!.states;
      this.f.dbs |= 1 << db;
    } else this.f.dbs &= ~(1 << db);
    this.doDefault = false;
  }

  dbParse(name: string): boolean {
    const en = !name.startsWith('!');
    const list = DB_NAMES[en ? name : name.slice(1)];
    if (!list) return false;
    for (const d of list) this.dbSet(d, en);
    return true;
  }

  private afSet(af: number): void {
    this.f.states |= DEFAULT_AFS[af]!.states;
    this.f.families |= fam(af);
    this.doDefault = false;
    this.o.preferredFamily = af;
  }

  /** One option; a result when it ends the command. */
  option(opt: string, a: string): CmdResult | null {
    const o = this.o;
    if (NOOP_OPTS.includes(opt)) return null;
    if (DB_OPTS[opt] !== undefined) this.dbSet(DB_OPTS[opt]!, true);
    else if (AF_OPTS[opt] !== undefined) this.afSet(AF_OPTS[opt]!);
    else
      switch (opt) {
        case 'n':
          o.numeric = true;
          break;
        case 'r':
          o.resolve = true;
          break;
        case 'o':
          o.options = true;
          break;
        case 'e':
          o.options = true;
          o.extended = true;
          break;
        case 'p':
          o.processes = true;
          break;
        case 'a':
          this.stateFilter = SS_ALL;
          break;
        case 'l':
          this.stateFilter = (1 << SS.LISTEN) | (1 << SS.CLOSE);
          break;
        case 'f':
          if (a === 'help') return { stdout: '', stderr: 'SOCKET_TYPE := { inet | inet6 | link | unix | netlink | vsock | tipc | xdp }\n', exitCode: 255 };
          if (FAMILY_NAMES[a] === undefined) return { stdout: '', stderr: `ss: "${a}" is invalid family\n${USAGE}`, exitCode: 255 };
          this.afSet(FAMILY_NAMES[a]!);
          break;
        case 'A':
          return this.query(a);
        case 's':
          this.summary = true;
          break;
        case 'D':
        case 'F':
          return { stdout: '', stderr: `fopen filter file: No such file or directory\n`, exitCode: 255 };
        case 'v':
        case 'V':
          return { stdout: 'ss utility, iproute2-6.1.0\n', stderr: '', exitCode: 0 };
        case 'z':
        case 'Z':
          return { stdout: '', stderr: 'ss: SELinux is not enabled.\n', exitCode: 1 };
        case 'N':
          this.netnsName = a;
          break;
        case 'H':
          o.header = false;
          break;
        case 'h':
          return { stdout: USAGE, stderr: '', exitCode: 0 };
      }
    return null;
  }

  /** -A QUERY: the first one clears the tables and defaults the states to the connected ones */
  private query(a: string): CmdResult | null {
    if (!this.sawQuery) {
      this.f.dbs = 0;
      this.stateFilter = this.stateFilter || SS_CONN;
      this.sawQuery = true;
      this.doDefault = false;
    }
    for (const q of a.split(',')) {
      if (!this.dbParse(q)) return { stdout: '', stderr: `ss: "${q}" is illegal socket table id\n${USAGE}`, exitCode: 255 };
    }
    return null;
  }

  /** `state X` / `exclude X` words before the filter expression; the rest of the words */
  stateWords(words: string[]): string[] {
    let rest = words;
    let sawStates = false;
    while (rest.length > 0 && (rest[0] === 'state' || rest[0] === 'exclude' || rest[0] === 'excl')) {
      if (rest.length < 2) throw new SsExit({ stdout: '', stderr: 'Command line is not complete. Try option "help"\n', exitCode: 255 });
      if (rest[0] === 'state') {
        if (!sawStates) this.stateFilter = 0;
        this.stateFilter |= scanState(rest[1]!);
      } else {
        if (!sawStates) this.stateFilter = SS_ALL;
        this.stateFilter &= ~scanState(rest[1]!);
      }
      sawStates = true;
      rest = rest.slice(2);
    }
    return rest;
  }

  /** the defaults, then filter_merge_defaults(); the message when nothing is left to show */
  merge(): string | null {
    const f = this.f;
    if (this.doDefault) {
      this.stateFilter = this.stateFilter || SS_CONN;
      this.dbParse('all');
    }
    if (this.stateFilter) f.states = this.stateFilter;
    for (let db = 0; db < MAX_DB; db++) {
      if (!(f.dbs & (1 << db))) continue;
      if (!(DEFAULT_DBS[db]!.families & f.families)) f.families |= DEFAULT_DBS[db]!.families;
    }
    for (const af of Object.keys(DEFAULT_AFS).map(Number)) {
      if (!(f.families & fam(af))) continue;
      if (!(DEFAULT_AFS[af]!.dbs & f.dbs)) f.dbs |= DEFAULT_AFS[af]!.dbs;
    }
    if (f.dbs === 0) return 'ss: no socket tables to show with such filter.\n';
    if (f.families === 0n) return 'ss: no families to show with such filter.\n';
    if (f.states === 0) return 'ss: no socket states to show with such filter.\n';
    return null;
  }
}

/** The rows of every table asked for, in ss's dump order; stderr for a table that failed to dump. */
function dumpTables(buf: Buffer, nsSys: Sys, q: SsQuery, expr: ReturnType<typeof parseFilter>): string {
  const { f, o } = q;
  const socks = liveSockets(nsSys.world, nsSys.ns);
  const famOk = (s: Socket): boolean => (s.family === 4 ? (f.families & fam(AF.INET)) !== 0n : (f.families & fam(AF.INET6)) !== 0n);
  const show = (proto: 'tcp' | 'udp', netid: string) => {
    const fams: (4 | 6)[] = o.preferredFamily === AF.INET6 ? [6] : o.preferredFamily === AF.INET ? [4] : [4, 6];
    for (const family of fams) {
      for (const s of dumpOrder(socks, proto, family)) {
        if (proto === 'tcp' && s.state === 'CLOSE') continue;
        if (!famOk(s)) continue;
        if (!(f.states & (1 << ssState(s)))) continue;
        if (expr && !evalExpr(expr, s)) continue;
        printInet(buf, nsSys, o, s, netid);
      }
    }
  };
  const inetFams = (f.families & INET_FAMS) !== 0n;
  if (f.dbs & (1 << DB.NETLINK)) showNetlink(buf, nsSys, f);
  if (inetFams && f.dbs & (1 << DB.UDP)) show('udp', 'udp');
  if (inetFams && f.dbs & (1 << DB.TCP)) show('tcp', 'tcp');
  return inetFams && f.dbs & (1 << DB.DCCP) ? 'RTNETLINK answers: Invalid argument\n' : '';
}

function runSs(args: string[], sys: Sys): CmdResult {
  const g = getoptLong('ss', args, 'dhaletuwxnro460spTbEf:mMiA:D:F:vVzZN:KHSO', LONGOPTS);
  const q = new SsQuery();
  for (const ev of g.events) {
    if (ev.kind === 'error') return { stdout: '', stderr: ev.message + USAGE, exitCode: 255 };
    const r = q.option(ev.opt, ev.arg ?? '');
    if (r) return r;
  }
  const netns = sys.world.host(sys.host).netns;
  if (q.netnsName !== null && own(netns, q.netnsName) === undefined) {
    return { stdout: '', stderr: `Cannot open network namespace "${q.netnsName}": No such file or directory\n`, exitCode: 1 };
  }
  const nsId = q.netnsName !== null ? own(netns, q.netnsName)! : sys.ns;
  const nsSys: Sys = nsId === sys.ns ? sys : { ...sys, ns: nsId };
  let out = '';
  if (q.summary) {
    out += summaryText(nsSys);
    if (q.doDefault && g.operands.length === 0) return { stdout: out, stderr: '', exitCode: 0 };
  }
  try {
    const rest = q.stateWords(g.operands);
    const none = q.merge();
    if (none) return { stdout: out, stderr: none, exitCode: 0 };
    const expr = parseFilter(nsSys, rest);
    const cols = newColumns();
    if (!(q.f.dbs & (q.f.dbs - 1))) cols[Col.NETID]!.disabled = true;
    if (!(q.f.states & (q.f.states - 1))) cols[Col.STATE]!.disabled = true;
    const buf = new Buffer(cols);
    if (q.o.header) buf.header();
    const stderr = dumpTables(buf, nsSys, q, expr);
    out += render(buf, sys.tty ? sys.columns : null);
    // ss prints its rows at the end (render()); a table that failed to dump has already said so on stderr
    return interleave(sys, [[2, stderr], [1, out]], 0);
  } catch (e) {
    if (e instanceof SsExit) return { ...e.res, stdout: out + e.res.stdout };
    throw e;
  }
}

/** The kernel's own netlink sockets of a namespace (and ss's sock_diag socket), as `ss -A netlink` lists them. */
function showNetlink(buf: Buffer, sys: Sys, f: Filter): void {
  if (!(f.states & (1 << SS.CLOSE))) return;
  const pid = sys.world.host(sys.host).nextPid;
  const rows: [string, string, number][] = [
    ['rtnl', 'kernel', 0],
    ['tcpdiag', `ss/${pid}`, 4352],
    ['tcpdiag', 'kernel', 832],
    ['xfrm', 'kernel', 0],
    ['audit', 'kernel', 0],
    ['fiblookup', 'kernel', 0],
    ['nft', 'kernel', 0],
    ['uevent', 'kernel', 0],
    ['genl', 'kernel', 0],
  ];
  for (const [proto, who, rq] of rows) {
    buf.set(Col.NETID);
    buf.out('nl');
    buf.set(Col.STATE);
    buf.out('UNCONN');
    buf.set(Col.RECVQ);
    buf.out(String(rq).padEnd(6));
    buf.set(Col.SENDQ);
    buf.out('0'.padEnd(6));
    buf.set(Col.ADDR);
    buf.out(`${proto}:`);
    buf.next();
    buf.out(who);
    buf.next();
    buf.out('*');
    buf.next();
    buf.next();
  }
}

function summaryText(sys: Sys): string {
  const socks = liveSockets(sys.world, sys.ns);
  const tcp = socks.filter((s) => s.proto === 'tcp' && s.state !== 'CLOSE');
  const tcp4 = tcp.filter((s) => s.family === 4 && s.state !== 'TIME_WAIT').length;
  const tcp6 = tcp.filter((s) => s.family !== 4 && s.state !== 'TIME_WAIT').length;
  const tw = tcp.filter((s) => s.state === 'TIME_WAIT').length;
  const orphans = tcp.filter((s) => s.pid === null && s.state !== 'TIME_WAIT' && s.state !== 'LISTEN').length;
  const estab = tcp.filter((s) => s.state === 'ESTABLISHED' || s.state === 'CLOSE_WAIT').length;
  const udp4 = socks.filter((s) => s.proto === 'udp' && s.family === 4).length;
  const udp6 = socks.filter((s) => s.proto === 'udp' && s.family !== 4).length;
  const closedSocks = socks.filter((s) => s.proto === 'tcp' && s.state === 'CLOSE').length;
  // /proc/net/sockstat: `sockets: used` counts the namespace's user sockets, ss's own among them;
  // TCP `alloc` is a machine-wide counter (full sockets, not TIME_WAIT ones): 2 on a fresh capture host
  const total = tcp4 + tcp6 + udp4 + udp6 + closedSocks + 1;
  const alloc = tcp4 + tcp6 + closedSocks + 2;
  const p = (n: number) => String(n).padEnd(9);
  return (
    `Total: ${total}\n` +
    // ss.c print_summary: closed = tcp_total - (tcp4_hashed + tcp6_hashed - tcp_tws)
    `TCP:   ${alloc + tw} (estab ${estab}, closed ${alloc - (tcp4 + tcp6 - tw)}, orphaned ${orphans}, timewait ${tw})\n\n` +
    'Transport Total     IP        IPv6\n' +
    `RAW\t  ${p(0)} ${p(0)} ${p(0)}\n` +
    `UDP\t  ${p(udp4 + udp6)} ${p(udp4)} ${p(udp6)}\n` +
    `TCP\t  ${p(tcp4 + tcp6)} ${p(tcp4)} ${p(tcp6)}\n` +
    `INET\t  ${p(tcp4 + tcp6 + udp4 + udp6)} ${p(tcp4 + udp4)} ${p(tcp6 + udp6)}\n` +
    `FRAG\t  ${p(0)} ${p(0)} ${p(0)}\n\n`
  );
}

export const ss: NetCommand = {
  name: 'ss',
  complete: completeSs,
  async run(args, _io, sys) {
    try {
      return runSs(args, sys);
    } catch (e) {
      if (e instanceof SsExit) return e.res;
      throw e;
    }
  },
};
