// conntrack-tools 1.4.7 (Debian 12) `conntrack`: list, count, delete and
// flush the namespace's connection tracking table (src/sim/conntrack.ts),
// with conntrack's own filters, messages and exit codes; -U sets the mark of
// the entries the filters select. Event mode (-E) waits for the kernel's
// events forever on a real host; here it is refused with a message, as are
// -G and -I (one entry by its full tuple).
import { ctAssured, ctDelete, ctFlush, ctSeenReply, ctSetMark, ctUse, ctTable, ctTimeoutSecs } from '../sim/conntrack';
import { inetAton } from '../sim/resolver';
import type { ConntrackEntry } from '../sim/types';
import type { World } from '../sim/world';
import type { CmdResult, NetCommand, Sys } from './types';
import { ordered } from './types';

const PROG = 'conntrack v1.4.7 (conntrack-tools)';

export const CONNTRACK_USAGE = `Command line interface for the connection tracking system. Version 1.4.7
Usage: conntrack [commands] [options]

Commands:
  -L [table] [options]\t\tList conntrack or expectation table
  -G [table] parameters\t\tGet conntrack or expectation
  -D [table] parameters\t\tDelete conntrack or expectation
  -I [table] parameters\t\tCreate a conntrack or expectation
  -U [table] parameters\t\tUpdate a conntrack
  -E [table] [options]\t\tShow events
  -F [table]\t\t\tFlush table
  -C [table]\t\t\tShow counter
  -S\t\t\t\tShow statistics

Tables: conntrack, expect, dying, unconfirmed

Conntrack parameters and options:
  -n, --src-nat ip\t\t\tsource NAT ip
  -g, --dst-nat ip\t\t\tdestination NAT ip
  -j, --any-nat ip\t\t\tsource or destination NAT ip
  -m, --mark mark\t\t\tSet mark
  -c, --secmark secmark\t\t\tSet selinux secmark
  -e, --event-mask eventmask\t\tEvent mask, eg. NEW,DESTROY
  -z, --zero \t\t\t\tZero counters while listing
  -o, --output type[,...]\t\tOutput format, eg. xml
  -l, --label label[,...]\t\tconntrack labels

Expectation parameters and options:
  --tuple-src ip\tSource address in expect tuple
  --tuple-dst ip\tDestination address in expect tuple

Updating parameters and options:
  --label-add label\tAdd label
  --label-del label\tDelete label

Common parameters and options:
  -s, --src, --orig-src ip\t\tSource address from original direction
  -d, --dst, --orig-dst ip\t\tDestination address from original direction
  -r, --reply-src ip\t\tSource addres from reply direction
  -q, --reply-dst ip\t\tDestination address from reply direction
  -p, --protonum proto\t\tLayer 4 Protocol, eg. 'tcp'
  -f, --family proto\t\tLayer 3 Protocol, eg. 'ipv6'
  -t, --timeout timeout\t\tSet timeout
  -u, --status status\t\tSet status, eg. ASSURED
  -w, --zone value\t\tSet conntrack zone
  --orig-zone value\t\tSet zone for original direction
  --reply-zone value\t\tSet zone for reply direction
  -b, --buffer-size\t\tNetlink socket buffer size
  --mask-src ip\t\t\tSource mask address
  --mask-dst ip\t\t\tDestination mask address

`;

const PROTO_NUMS: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, udplite: 136, sctp: 132, dccp: 33, gre: 47, icmpv6: 58 };
const TCP_STATES = ['NONE', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE', 'LISTEN', 'SYN_SENT2'];
const STATUS_NAMES = ['EXPECTED', 'ASSURED', 'SEEN_REPLY', 'FIXED_TIMEOUT', 'UNSET'];
const TABLES = ['conntrack', 'expect', 'dying', 'unconfirmed'];

/** The commands, by short letter; long names map onto them. */
const COMMANDS: Record<string, string> = { L: 'L', G: 'G', D: 'D', I: 'I', U: 'U', E: 'E', F: 'F', C: 'C', S: 'S', h: 'h', V: 'V' };
const LONG_COMMANDS: Record<string, string> = {
  '--dump': 'L', '--list': 'L', '--get': 'G', '--delete': 'D', '--create': 'I', '--update': 'U', '--event': 'E',
  '--flush': 'F', '--count': 'C', '--stats': 'S', '--help': 'h', '--version': 'V',
};
/** Options with a value: short letter -> canonical key. */
const VALUED: Record<string, string> = { s: 'src', d: 'dst', r: 'reply-src', q: 'reply-dst', p: 'proto', f: 'family', t: 'timeout', u: 'status', m: 'mark', o: 'output', w: 'zone', c: 'secmark', e: 'event-mask', l: 'label', b: 'buffer-size' };
const LONG_VALUED: Record<string, string> = {
  '--src': 'src', '--orig-src': 'src', '--dst': 'dst', '--orig-dst': 'dst', '--reply-src': 'reply-src', '--reply-dst': 'reply-dst',
  '--protonum': 'proto', '--family': 'family', '--timeout': 'timeout', '--status': 'status', '--mark': 'mark', '--output': 'output',
  '--zone': 'zone', '--orig-zone': 'orig-zone', '--reply-zone': 'reply-zone', '--secmark': 'secmark', '--event-mask': 'event-mask',
  '--label': 'label', '--buffer-size': 'buffer-size', '--mask-src': 'mask-src', '--mask-dst': 'mask-dst', '--tuple-src': 'tuple-src',
  '--tuple-dst': 'tuple-dst', '--label-add': 'label-add', '--label-del': 'label-del',
};
/** NAT filters: the address is optional. */
const NAT_OPTS: Record<string, string> = { n: 'src-nat', g: 'dst-nat', j: 'any-nat', '--src-nat': 'src-nat', '--dst-nat': 'dst-nat', '--any-nat': 'any-nat' };
/** Options that only exist once -p names their protocol. */
const PROTO_OPTS: Record<string, { protos: string[]; key: string }> = {
  '--sport': { protos: ['tcp', 'udp', 'udplite', 'sctp', 'dccp'], key: 'sport' },
  '--orig-port-src': { protos: ['tcp', 'udp', 'udplite', 'sctp', 'dccp'], key: 'sport' },
  '--dport': { protos: ['tcp', 'udp', 'udplite', 'sctp', 'dccp'], key: 'dport' },
  '--orig-port-dst': { protos: ['tcp', 'udp', 'udplite', 'sctp', 'dccp'], key: 'dport' },
  '--reply-port-src': { protos: ['tcp', 'udp', 'udplite', 'sctp', 'dccp'], key: 'reply-sport' },
  '--reply-port-dst': { protos: ['tcp', 'udp', 'udplite', 'sctp', 'dccp'], key: 'reply-dport' },
  '--state': { protos: ['tcp', 'sctp', 'dccp'], key: 'state' },
  '--icmp-type': { protos: ['icmp'], key: 'icmp-type' },
  '--icmp-code': { protos: ['icmp'], key: 'icmp-code' },
  '--icmp-id': { protos: ['icmp'], key: 'icmp-id' },
};

class Fail extends Error {
  constructor(public text: string, public code = 2) {
    super(text);
  }
}

/** conntrack's exit_error(PARAMETER_PROBLEM, ...): the message and the hint. */
function paramProblem(msg: string): Fail {
  return new Fail(`${PROG}: ${msg}\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`);
}

interface Parsed {
  command: string | null;
  table: string;
  opts: Map<string, string>;
  nat: Map<string, string | null>;
}

function setCommand(p: Parsed, c: string): void {
  if (p.command !== null) throw paramProblem('Invalid commands combination');
  p.command = c;
}

/** Split "-Lexpect" / "--opt=value" and walk argv as conntrack's getopt_long loop does. */
function parse(args: string[]): Parsed {
  const p: Parsed = { command: null, table: 'conntrack', opts: new Map(), nat: new Map() };
  const takesTable = (c: string): boolean => 'LGDIUEFC'.includes(c);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = (): string | undefined => args[i + 1];
    let name = a;
    let inline: string | undefined;
    if (a.startsWith('--') && a.includes('=')) {
      name = a.slice(0, a.indexOf('='));
      inline = a.slice(a.indexOf('=') + 1);
    } else if (/^-[A-Za-z]./.test(a)) {
      name = a.slice(0, 2);
      inline = a.slice(2);
    }
    const short = /^-[A-Za-z]$/.test(name) ? name[1]! : null;
    const cmd = short !== null ? COMMANDS[short] : LONG_COMMANDS[name];
    if (cmd) {
      setCommand(p, cmd);
      if (takesTable(cmd)) {
        let t = inline;
        if (t === undefined && next() !== undefined && !next()!.startsWith('-')) t = args[++i];
        if (t !== undefined) {
          if (!TABLES.includes(t)) throw paramProblem(`unknown type \`${t}'`);
          p.table = t;
        }
      }
      continue;
    }
    const natKey = short !== null ? NAT_OPTS[short] : NAT_OPTS[name];
    if (natKey) {
      let v: string | null = inline ?? null;
      if (v === null && next() !== undefined && !next()!.startsWith('-')) v = args[++i]!;
      p.nat.set(natKey, v);
      continue;
    }
    const key = short !== null ? VALUED[short] : LONG_VALUED[name] ?? PROTO_OPTS[name]?.key;
    if (key === undefined || (PROTO_OPTS[name] && !PROTO_OPTS[name]!.protos.includes(p.opts.get('proto') ?? ''))) {
      if (short === 'z') continue;
      throw paramProblem(`unknown option \`${name}'`);
    }
    let v = inline;
    if (v === undefined) {
      if (next() === undefined) throw paramProblem(`option \`${name}' requires an argument`);
      v = args[++i]!;
    }
    if (key === 'proto' && !(v in PROTO_NUMS)) throw paramProblem(`\`${v}' unsupported protocol`);
    if (key === 'family' && v !== 'ipv4' && v !== 'ipv6') throw paramProblem(`\`${v}' unsupported protocol`);
    if (key === 'state' && !TCP_STATES.includes(v)) throw paramProblem(`unknown TCP state \`${v}'`);
    if (key === 'status' && v.split(',').some((x) => !STATUS_NAMES.includes(x))) throw paramProblem(`Bad parameter \`${v}'`);
    p.opts.set(key, v);
  }
  return p;
}

// ---------------------------------------------------------------- printing

/** An entry of an IPv6 connection. */
const isV6Entry = (e: ConntrackEntry): boolean => e.orig.src.includes(':');

/** The layer 4 protocol's name as conntrack prints it (an IPv6 entry's ICMP is ICMPv6). */
function protoName(e: ConntrackEntry): string {
  return e.protocol === 'icmp' && isV6Entry(e) ? 'icmpv6' : e.protocol;
}

function l4(e: ConntrackEntry, t: ConntrackEntry['orig'], dir: 'orig' | 'reply'): string {
  if (e.protocol === 'icmp') {
    const [req, rep] = isV6Entry(e) ? [128, 129] : [8, 0];
    return `type=${dir === 'orig' ? req : rep} code=0 id=${t.sport} `;
  }
  return `sport=${t.sport} dport=${t.dport} `;
}

/** libnetfilter_conntrack's default text of one entry (-o extended adds the layer 3, -o id the id). */
export function formatEntry(world: World, e: ConntrackEntry, out: { extended: boolean; id: boolean }): string {
  let s = out.extended ? (isV6Entry(e) ? 'ipv6     10 ' : 'ipv4     2 ') : '';
  const proto = protoName(e);
  s += `${proto.padEnd(8)} ${PROTO_NUMS[proto]} ${ctTimeoutSecs(world, e)} `;
  if (e.protocol === 'tcp') s += `${e.state} `;
  s += `src=${e.orig.src} dst=${e.orig.dst} ${l4(e, e.orig, 'orig')}`;
  if (!ctSeenReply(e)) s += '[UNREPLIED] ';
  s += `src=${e.reply.src} dst=${e.reply.dst} ${l4(e, e.reply, 'reply')}`;
  if (ctAssured(e)) s += '[ASSURED] ';
  s += `mark=${e.mark} use=${ctUse(world, e)}`;
  if (out.id) s += ` id=${e.id}`;
  return s;
}

// ---------------------------------------------------------------- filters

function parseMark(v: string): { value: number; mask: number } | null {
  const [a, b] = v.split('/');
  const num = (x: string): number => (/^0x[0-9a-f]+$/i.test(x) ? parseInt(x, 16) : /^\d+$/.test(x) ? Number(x) : NaN);
  const value = num(a!);
  const mask = b === undefined ? 0xffffffff : num(b);
  if (Number.isNaN(value) || Number.isNaN(mask)) return null;
  return { value, mask };
}

/** What the NAT options of conntrack's filter_nat() ask for. */
function natFilter(p: Parsed, e: ConntrackEntry): boolean {
  if (!p.nat.size) return true;
  // libnetfilter_conntrack's "is SNAT/SPAT/DNAT/DPAT" tests need the NAT-done status bits, then
  // compare the reply tuple with the original; for ICMP the "ports" compared are the id against
  // the type and code, which always differ: an ICMP entry counts as NATed both ways
  const done = e.natDone === true;
  const icmp = e.protocol === 'icmp';
  const snat = done && (e.reply.dst !== e.orig.src || icmp || e.reply.dport !== e.orig.sport);
  const dnat = done && (e.reply.src !== e.orig.dst || icmp || e.reply.sport !== e.orig.dport);
  const has = (kind: 'src' | 'dst', ip: string | null): boolean => {
    if (kind === 'src') return snat && (ip === null || e.reply.dst === ip);
    return dnat && (ip === null || e.reply.src === ip);
  };
  const any = p.nat.get('any-nat');
  if (any !== undefined) return has('src', any) || has('dst', any);
  const s = p.nat.get('src-nat');
  const d = p.nat.get('dst-nat');
  if (s !== undefined && d !== undefined) return has('src', s) && has('dst', d);
  if (s !== undefined) return has('src', s);
  return has('dst', d ?? null);
}

function addrOpt(p: Parsed, key: string): string | null | undefined {
  const v = p.opts.get(key);
  if (v === undefined) return undefined;
  return inetAton(v);
}

function entryMatches(p: Parsed, e: ConntrackEntry): boolean {
  const o = p.opts;
  if (o.has('family') && o.get('family') !== (isV6Entry(e) ? 'ipv6' : 'ipv4')) return false;
  if (o.has('proto') && o.get('proto') !== protoName(e)) return false;
  const addr: Array<[string, string]> = [['src', e.orig.src], ['dst', e.orig.dst], ['reply-src', e.reply.src], ['reply-dst', e.reply.dst]];
  for (const [k, have] of addr) {
    const want = addrOpt(p, k);
    if (want !== undefined && want !== have) return false;
  }
  const ports: Array<[string, number]> = [['sport', e.orig.sport], ['dport', e.orig.dport], ['reply-sport', e.reply.sport], ['reply-dport', e.reply.dport], ['icmp-id', e.orig.sport]];
  for (const [k, have] of ports) if (o.has(k) && Number(o.get(k)) !== have) return false;
  if (o.has('icmp-type') && Number(o.get('icmp-type')) !== (isV6Entry(e) ? 128 : 8)) return false;
  if (o.has('icmp-code') && Number(o.get('icmp-code')) !== 0) return false;
  if (o.has('state') && (e.protocol !== 'tcp' || e.state !== o.get('state'))) return false;
  if (o.has('mark') && p.command !== 'U') {
    const m = parseMark(o.get('mark')!);
    if (m && (e.mark & m.mask) !== (m.value & m.mask)) return false;
  }
  if (o.has('status')) {
    for (const st of o.get('status')!.split(',')) {
      if (st === 'ASSURED' && !ctAssured(e)) return false;
      if (st === 'SEEN_REPLY' && !ctSeenReply(e)) return false;
      if (st === 'EXPECTED' || st === 'FIXED_TIMEOUT') return false;
    }
  }
  return natFilter(p, e);
}

// ---------------------------------------------------------------- commands

function outputFormat(p: Parsed): { extended: boolean; id: boolean } {
  const kinds = (p.opts.get('output') ?? '').split(',').filter(Boolean);
  for (const k of kinds) {
    if (k === 'xml' || k === 'timestamp' || k === 'ktimestamp' || k === 'labels' || k === 'userspace') {
      throw new Fail(`${PROG}: output format \`${k}' is not available in this simulator (use -o extended or -o id)\n`, 1);
    }
    if (k !== 'extended' && k !== 'id') throw paramProblem(`Bad parameter \`${p.opts.get('output')}'`);
  }
  return { extended: kinds.includes('extended'), id: kinds.includes('id') };
}

function statsLines(): string {
  let s = '';
  for (let cpu = 0; cpu < 2; cpu++) s += `cpu=${String(cpu).padEnd(4)}\tfound=0 invalid=0 insert=0 insert_failed=0 drop=0 early_drop=0 error=0 search_restart=0 clash_resolve=0 chaintoolong=0 \n`;
  return s;
}

/**
 * The entries (printf to stdout) and the summary (stderr, unbuffered): on a
 * terminal stdout is line-buffered and the entries come first; into a pipe or
 * a file it is flushed at exit, after the summary.
 */
function listing(sys: Sys, stdout: string, summary: string, code: number): CmdResult {
  return ordered(sys.tty ? [[1, stdout], [2, summary]] : [[2, summary], [1, stdout]], code);
}

function run(args: string[], sys: Sys): CmdResult {
  if (!args.length) return { stdout: CONNTRACK_USAGE, stderr: '', exitCode: 0 };
  const p = parse(args);
  const world = sys.world;
  // starting the program and its netlink dump take a few milliseconds, more than the kernel's
  // timer tick (4 ms at HZ=250): an entry refreshed just before shows one second less than its timeout
  world.advance(5 + Math.floor(world.random() * 5));
  const ns = world.ns(sys.ns);
  const expect = p.table === 'expect';
  const ctEntries = (): ConntrackEntry[] => (p.table === 'conntrack' ? ctTable(world, ns) : []);
  switch (p.command) {
    case 'h':
      return { stdout: CONNTRACK_USAGE, stderr: '', exitCode: 0 };
    case 'V':
      return { stdout: `${PROG}\n`, stderr: '', exitCode: 0 };
    case 'C':
      return { stdout: `${ctEntries().length}\n`, stderr: '', exitCode: 0 };
    case 'S':
      return { stdout: statsLines(), stderr: '', exitCode: 0 };
    case 'F':
      if (p.table === 'conntrack') ctFlush(world, ns);
      return { stdout: '', stderr: `${PROG}: ${expect ? 'expectation' : 'connection tracking'} table has been emptied.\n`, exitCode: 0 };
    case 'E':
      throw new Fail(`${PROG}: event mode (-E) waits for the kernel's events and is not available in this simulator; list the table with -L\n`, 1);
    case 'U': {
      // update: the filters select, -m sets the mark
      const out = outputFormat(p);
      const mark = p.opts.has('mark') ? parseMark(p.opts.get('mark')!) : null;
      const rows = ctEntries().filter((e) => entryMatches(p, e));
      // ctnetlink_change_status: the update carries the entry's status, and NAT bits cannot be
      // changed, so an entry NAT has seen fails (a capture: "Operation not supported")
      if (rows.some((e) => e.natDone)) throw new Fail(`Operation failed: Operation not supported\n${PROG}: Operation failed: Operation not supported\n`, 1);
      for (const e of rows) if (mark) ctSetMark(e, mark.value, mark.mask);
      const stdout = rows.map((e) => `${formatEntry(world, e, out)}\n`).join('');
      return listing(sys, stdout, `${PROG}: ${rows.length} flow entries have been updated.\n`, rows.length ? 0 : 1);
    }
    case 'G':
    case 'I':
      if (!p.opts.has('proto')) throw paramProblem("You need to supply the `--protonum' option for this command");
      throw new Fail(`${PROG}: -${p.command} (getting or creating one entry by its tuple) is not available in this simulator; use -L with filters\n`, 1);
    case 'D': {
      const out = outputFormat(p);
      const gone = ctDelete(world, ns, (e) => entryMatches(p, e));
      const stdout = gone.map((e) => `${formatEntry(world, e, out)}\n`).join('');
      return listing(sys, stdout, `${PROG}: ${gone.length} flow entries have been deleted.\n`, gone.length ? 0 : 1);
    }
    default: {
      // -L, and any options without a command
      const out = outputFormat(p);
      if (expect) return { stdout: '', stderr: `${PROG}: 0 expectations have been shown.\n`, exitCode: 0 };
      const rows = ctEntries().filter((e) => entryMatches(p, e));
      const stdout = rows.map((e) => `${formatEntry(world, e, out)}\n`).join('');
      return listing(sys, stdout, `${PROG}: ${rows.length} flow entries have been shown.\n`, 0);
    }
  }
}

export const conntrack: NetCommand = {
  name: 'conntrack',
  async run(args: string[], _io, sys: Sys): Promise<CmdResult> {
    try {
      return run(args, sys);
    } catch (e) {
      if (e instanceof Fail) return { stdout: '', stderr: e.text, exitCode: e.code };
      throw e;
    }
  },
};
