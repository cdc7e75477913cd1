// iptables v1.8.9 (nf_tables): the command line exactly as xtables-nft-multi
// parses it (getopt_long with demand-loaded protocol matches), the listing
// (-L with -n/-v/-x/--line-numbers), the rule dump (-S, shared with
// iptables-save) and every message and exit code of the real tool.
//
// The rules themselves live in the kernel (src/sim/netfilter.ts); this
// module only translates between the command line / text and `Rule`.
import { KernelError, isKernelError, STRERROR } from '../sim/errors';
import {
  TABLE_CHAINS,
  appendRule,
  chainReferences,
  checkRule,
  deleteChain,
  deleteRuleNum,
  deleteRuleSpec,
  findChain,
  flushRules,
  insertRule,
  isBuiltinChain,
  isBuiltinTable,
  isTargetExtension,
  listChains,
  newChain,
  renameChain,
  tableIncompatible,
  replaceRule,
  setPolicy,
  zeroCounters,
  type NfTableName,
} from '../sim/netfilter';
import { etcProtocols, etcServices, parseServices } from '../sim/etc-defaults';
import type { Chain, Netns, Rule, RuleMatch } from '../sim/types';
import type { CmdIO, CmdResult, NetCommand, Sys } from './types';
import { lookupAddrName, lookupHostAddrs } from './iptables-names';

export const IPT_VERSION = '1.8.9 (nf_tables)';

// exit statuses of libxtables
const OTHER_PROBLEM = 1;
const PARAMETER_PROBLEM = 2;
const VERSION_PROBLEM = 3;
const RESOURCE_PROBLEM = 4;

class XtError extends Error {
  constructor(
    public status: number,
    public text: string,
  ) {
    super(text);
  }
}

/** xtables_error(): "iptables v1.8.9 (nf_tables): MSG" plus the hint lines of its status. */
function xtError(status: number, msg: string, prog = 'iptables'): never {
  let text = `${prog} v${IPT_VERSION}: ${msg}\n`;
  if (status === PARAMETER_PROBLEM) text += `Try \`${prog} -h' or '${prog} --help' for more information.\n`;
  else if (status === VERSION_PROBLEM) text += `Perhaps ${prog} or your kernel needs to be upgraded.\n`;
  throw new XtError(status, text);
}

// ---------------------------------------------------------------- name databases

export interface NameDb {
  /** getservbyport(port, proto) */
  service(port: number, proto: string): string | null;
  /** getservbyname(name, proto) */
  port(name: string, proto: string | null): number | null;
  /** getprotobynumber */
  protoName(n: number): string | null;
  /** getprotobyname */
  protoNumber(name: string): number | null;
}

export function nameDb(sys: Sys): NameDb {
  const services = parseServices(sys.readFile('/etc/services') ?? etcServices);
  const protoText = sys.readFile('/etc/protocols') ?? etcProtocols;
  const protos: { name: string; num: number; aliases: string[] }[] = [];
  for (const raw of protoText.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [name, num, ...aliases] = line.split(/\s+/);
    if (name && num && /^\d+$/.test(num)) protos.push({ name, num: Number(num), aliases });
  }
  return {
    service: (port, proto) => services.find((s) => s.port === port && s.proto === proto)?.name ?? null,
    port: (name, proto) => {
      const e = services.find((s) => (proto === null || s.proto === proto) && (s.name === name || s.aliases.includes(name)));
      return e ? e.port : null;
    },
    protoName: (n) => protos.find((p) => p.num === n)?.name ?? null,
    protoNumber: (name) => protos.find((p) => p.name === name || p.aliases.includes(name))?.num ?? null,
  };
}

/** xtables_chain_protos: names iptables knows without /etc/protocols. */
const CHAIN_PROTOS: [string, number][] = [
  ['tcp', 6],
  ['sctp', 132],
  ['udp', 17],
  ['udplite', 136],
  ['icmp', 1],
  ['ipv6-icmp', 58],
  ['icmpv6', 58],
  ['esp', 50],
  ['ah', 51],
  ['mobility-header', 135],
  ['ipv6-mh', 135],
  ['mh', 135],
  ['all', 0],
];

function chainProtoName(n: number): string | null {
  return CHAIN_PROTOS.find(([, v]) => v === n)?.[0] ?? null;
}

/** proto_to_name(proto, nolookup) */
function protoToName(db: NameDb, n: number, nolookup: boolean): string | null {
  const c = chainProtoName(n);
  if (c) return c;
  if (n && !nolookup) return db.protoName(n);
  return null;
}

/** The protocol number a rule stores (null = any). */
function ruleProtoNum(r: Rule): number {
  if (r.protocol === null) return 0;
  if (/^\d+$/.test(r.protocol)) return Number(r.protocol);
  return CHAIN_PROTOS.find(([n]) => n === r.protocol)?.[1] ?? 0;
}

/** xtables_strtoui with base 0 (decimal, 0x hex, 0 octal). */
function strtoui(s: string, min: number, max: number): number | null {
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) v = parseInt(s.slice(2), 16);
  else if (/^0[0-7]*$/.test(s)) v = parseInt(s, 8);
  else if (/^[1-9]\d*$/.test(s)) v = parseInt(s, 10);
  else return null;
  return v >= min && v <= max ? v : null;
}

// ---------------------------------------------------------------- getopt_long

interface OptDef {
  name: string;
  hasArg: 0 | 1 | 2;
  /** global option char, or an extension option key */
  val: string;
  ext: LoadedExt | null;
}

const ORIGINAL_OPTS: OptDef[] = (
  [
    ['append', 1, 'A'],
    ['delete', 1, 'D'],
    ['check', 1, 'C'],
    ['insert', 1, 'I'],
    ['replace', 1, 'R'],
    ['list', 2, 'L'],
    ['list-rules', 2, 'S'],
    ['flush', 2, 'F'],
    ['zero', 2, 'Z'],
    ['new-chain', 1, 'N'],
    ['delete-chain', 2, 'X'],
    ['rename-chain', 1, 'E'],
    ['policy', 1, 'P'],
    ['source', 1, 's'],
    ['destination', 1, 'd'],
    ['src', 1, 's'],
    ['dst', 1, 'd'],
    ['protocol', 1, 'p'],
    ['in-interface', 1, 'i'],
    ['jump', 1, 'j'],
    ['table', 1, 't'],
    ['match', 1, 'm'],
    ['numeric', 0, 'n'],
    ['out-interface', 1, 'o'],
    ['verbose', 0, 'v'],
    ['wait', 2, 'w'],
    ['wait-interval', 2, 'W'],
    ['exact', 0, 'x'],
    ['fragments', 0, 'f'],
    ['version', 0, 'V'],
    ['help', 2, 'h'],
    ['line-numbers', 0, '0'],
    ['modprobe', 1, 'M'],
    ['set-counters', 1, 'c'],
    ['goto', 1, 'g'],
    ['ipv4', 0, '4'],
    ['ipv6', 0, '6'],
  ] as [string, 0 | 1 | 2, string][]
).map(([name, hasArg, val]) => ({ name, hasArg, val, ext: null }));

const OPTSTRING = '-:A:C:D:E:F::I:L::M:N:P:VX::Z::c:d:i:j:o:p:s:t:R:S::W::46bfg:h::m:nvw::x';

function shortSpec(c: string): 0 | 1 | 2 | null {
  const i = OPTSTRING.indexOf(c, 2);
  if (c === ':' || c === '-' || i < 0) return null;
  if (OPTSTRING[i + 1] === ':') return OPTSTRING[i + 2] === ':' ? 2 : 1;
  return 0;
}

interface GetoptResult {
  /** option char, extension key, 1 for a non-option, '?' unknown, ':' missing argument */
  c: string | 1;
  def: OptDef | null;
  optarg: string | null;
}

class Getopt {
  optind = 1;
  private nextchar = '';
  constructor(
    public argv: string[],
    public opts: () => OptDef[],
  ) {}

  next(): GetoptResult | null {
    const argv = this.argv;
    if (this.nextchar === '') {
      if (this.optind >= argv.length) return null;
      const arg = argv[this.optind]!;
      if (arg === '--') {
        this.optind++;
        // remaining arguments are non-options
        if (this.optind >= argv.length) return null;
        return { c: 1, def: null, optarg: argv[this.optind++]! };
      }
      if (!arg.startsWith('-') || arg === '-') {
        this.optind++;
        return { c: 1, def: null, optarg: arg };
      }
      if (arg.startsWith('--')) {
        this.optind++;
        const body = arg.slice(2);
        const eq = body.indexOf('=');
        const name = eq < 0 ? body : body.slice(0, eq);
        const inline = eq < 0 ? null : body.slice(eq + 1);
        const all = this.opts();
        let def = all.find((o) => o.name === name) ?? null;
        if (!def) {
          const cands = all.filter((o) => o.name.startsWith(name));
          const distinct = cands.filter((o, i) => cands.findIndex((p) => p.val === o.val && p.ext === o.ext && p.hasArg === o.hasArg) === i);
          if (distinct.length === 1) def = distinct[0]!;
          else return { c: '?', def: null, optarg: null };
        }
        if (def.hasArg === 0) {
          if (inline !== null) return { c: '?', def: null, optarg: null };
          return { c: def.val, def, optarg: null };
        }
        if (def.hasArg === 2) return { c: def.val, def, optarg: inline };
        if (inline !== null) return { c: def.val, def, optarg: inline };
        if (this.optind < argv.length) return { c: def.val, def, optarg: argv[this.optind++]! };
        return { c: ':', def, optarg: null };
      }
      this.nextchar = arg.slice(1);
    }
    const c = this.nextchar[0]!;
    this.nextchar = this.nextchar.slice(1);
    const spec = shortSpec(c);
    const endOfCluster = (): void => {
      if (this.nextchar === '') this.optind++;
    };
    if (spec === null) {
      endOfCluster();
      return { c: '?', def: null, optarg: null };
    }
    const def = ORIGINAL_OPTS.find((o) => o.val === c) ?? { name: c, hasArg: spec, val: c, ext: null };
    if (spec === 0) {
      endOfCluster();
      return { c, def, optarg: null };
    }
    if (this.nextchar !== '') {
      const optarg = this.nextchar;
      this.nextchar = '';
      this.optind++;
      return { c, def, optarg };
    }
    this.optind++;
    if (spec === 2) return { c, def, optarg: null };
    if (this.optind < argv.length) return { c, def, optarg: argv[this.optind++]! };
    return { c: ':', def, optarg: null };
  }
}

// ---------------------------------------------------------------- extensions

interface ExtOpt {
  name: string;
  hasArg: 0 | 1;
  /** the key the option is stored under (synonyms share one) */
  key: string;
  invert?: boolean;
  mand?: boolean;
  multi?: boolean;
}

interface ParseEnv {
  db: NameDb;
  rule: Rule;
  argv: string[];
  getopt: Getopt;
  /** warnings an extension prints while parsing (stderr, the command goes on) */
  warnings: string[];
}

interface PrintEnv {
  db: NameDb;
  numeric: boolean;
}

interface ExtDef {
  name: string;
  kind: 'match' | 'target';
  opts: ExtOpt[];
  help?: string;
  parse(env: ParseEnv, x: RuleMatch, opt: ExtOpt, arg: string | null, invert: boolean): void;
  final?(env: ParseEnv, x: RuleMatch, seen: Set<string>): void;
  print(env: PrintEnv, x: RuleMatch, rule: Rule): string;
  save(x: RuleMatch, rule: Rule, db: NameDb): string;
}

interface LoadedExt {
  def: ExtDef;
  data: RuleMatch;
  seen: Set<string>;
}

function onceCheck(ext: ExtDef, opt: ExtOpt, l: LoadedExt, invert: boolean, arg: string | null): void {
  if (!opt.multi && l.seen.has(opt.key)) xtError(PARAMETER_PROBLEM, `${ext.name}: option "--${opt.name}" can only be used once.\n`);
  if (invert && !opt.invert) xtError(PARAMETER_PROBLEM, `${ext.name}: option "--${opt.name}" cannot be inverted.\n`);
  if (opt.hasArg && arg === null) xtError(PARAMETER_PROBLEM, `${ext.name}: option "--${opt.name}" requires an argument.\n`);
}

function parsePort(db: NameDb, s: string, proto: string): number {
  const n = strtoui(s, 0, 65535);
  if (n !== null) return n;
  const p = db.port(s, proto);
  if (p !== null) return p;
  xtError(PARAMETER_PROBLEM, `invalid port/service \`${s}' specified`);
}

function parsePortRange(db: NameDb, s: string, proto: string): string {
  const i = s.indexOf(':');
  if (i < 0) return String(parsePort(db, s, proto));
  const a = s.slice(0, i);
  const b = s.slice(i + 1);
  const lo = a ? parsePort(db, a, proto) : 0;
  const hi = b ? parsePort(db, b, proto) : 65535;
  if (lo > hi) xtError(PARAMETER_PROBLEM, 'invalid portrange (min > max)');
  return lo === hi ? String(lo) : `${lo}:${hi}`;
}

function portName(env: PrintEnv, port: number, proto: string | null): string {
  if (env.numeric || !proto) return String(port);
  return env.db.service(port, proto) ?? String(port);
}

function printPorts(env: PrintEnv, label: string, spec: string | undefined, invert: boolean, proto: string): string {
  if (spec === undefined) return '';
  const inv = invert ? '!' : '';
  const [a, b] = spec.split(':');
  if (b === undefined) return ` ${label}:${inv}${portName(env, Number(a), proto)}`;
  return ` ${label}s:${inv}${portName(env, Number(a), proto)}:${portName(env, Number(b), proto)}`;
}

const TCP_FLAGS: [string, number][] = [
  ['FIN', 0x01],
  ['SYN', 0x02],
  ['RST', 0x04],
  ['PSH', 0x08],
  ['ACK', 0x10],
  ['URG', 0x20],
  ['ALL', 0x3f],
  ['NONE', 0],
];

function parseTcpFlags(s: string): number {
  let m = 0;
  for (const f of s.split(',')) {
    if (f === '') continue;
    const e = TCP_FLAGS.find(([n]) => n.toLowerCase() === f.toLowerCase());
    if (!e) xtError(PARAMETER_PROBLEM, `Unknown TCP flag \`${f}'`);
    m |= e[1];
  }
  return m;
}

function tcpFlagNames(bits: number): string {
  const out: string[] = [];
  let f = bits;
  while (f) {
    const e = TCP_FLAGS.find(([, v]) => (f & v) !== 0)!;
    out.push(e[0]);
    f &= ~e[1];
  }
  return out.length ? out.join(',') : 'NONE';
}

function tcpUdp(name: 'tcp' | 'udp'): ExtDef {
  const opts: ExtOpt[] = [
    { name: 'source-port', hasArg: 1, key: 'sport', invert: true },
    { name: 'sport', hasArg: 1, key: 'sport', invert: true },
    { name: 'destination-port', hasArg: 1, key: 'dport', invert: true },
    { name: 'dport', hasArg: 1, key: 'dport', invert: true },
  ];
  if (name === 'tcp')
    opts.push(
      { name: 'syn', hasArg: 0, key: 'tcp-flags', invert: true },
      { name: 'tcp-flags', hasArg: 1, key: 'tcp-flags', invert: true },
      { name: 'tcp-option', hasArg: 1, key: 'tcp-option', invert: true },
    );
  return {
    name,
    kind: 'match',
    opts,
    help:
      name === 'tcp'
        ? 'tcp match options:\n[!] --tcp-flags mask comp\tmatch when TCP flags & mask == comp\n\t\t\t\t(Flags: SYN ACK FIN RST URG PSH ALL NONE)\n[!] --syn\t\t\tmatch when only SYN flag set\n\t\t\t\t(equivalent to --tcp-flags SYN,RST,ACK,FIN SYN)\n[!] --source-port port[:port]\n --sport ...\n\t\t\t\tmatch source port(s)\n[!] --destination-port port[:port]\n --dport ...\n\t\t\t\tmatch destination port(s)\n[!] --tcp-option number        match if TCP option set\n'
        : 'udp match options:\n[!] --source-port port[:port]\n --sport ...\n\t\t\t\tmatch source port(s)\n[!] --destination-port port[:port]\n --dport ...\n\t\t\t\tmatch destination port(s)\n',
    parse(env, x, opt, arg, invert) {
      const inv = (x.invert ??= {});
      if (opt.key === 'sport' || opt.key === 'dport') {
        if (x.options[opt.key] !== undefined) xtError(PARAMETER_PROBLEM, `Only one \`--${opt.key === 'sport' ? 'source' : 'destination'}-port' allowed`);
        x.options[opt.key] = parsePortRange(env.db, arg!, name);
      } else if (opt.key === 'tcp-flags') {
        if (x.options['tcp-flags'] !== undefined) xtError(PARAMETER_PROBLEM, "Only one of `--syn' or `--tcp-flags'  allowed");
        let mask: number;
        let comp: number;
        if (opt.name === 'syn') {
          mask = parseTcpFlags('SYN,RST,ACK,FIN');
          comp = parseTcpFlags('SYN');
        } else {
          const next = env.argv[env.getopt.optind];
          if (next === undefined || next.startsWith('-') || next.startsWith('!')) xtError(PARAMETER_PROBLEM, '--tcp-flags requires two args.');
          mask = parseTcpFlags(arg!);
          comp = parseTcpFlags(next);
          env.getopt.optind++;
        }
        x.options['tcp-flags'] = `${tcpFlagNames(mask)} ${tcpFlagNames(comp)}`;
      } else if (opt.key === 'tcp-option') {
        if (x.options['tcp-option'] !== undefined) xtError(PARAMETER_PROBLEM, "Only one `--tcp-option' allowed");
        const n = strtoui(arg!, 1, 255);
        if (n === null) xtError(PARAMETER_PROBLEM, `Bad TCP option "${arg}"`);
        x.options['tcp-option'] = String(n);
      }
      if (invert) inv[opt.key] = true;
    },
    print(env, x) {
      const o = x.options;
      const inv = x.invert ?? {};
      let s = ` ${name}`;
      s += printPorts(env, 'spt', o.sport, !!inv.sport, name);
      s += printPorts(env, 'dpt', o.dport, !!inv.dport, name);
      if (o['tcp-option'] !== undefined) s += ` option=${inv['tcp-option'] ? '!' : ''}${o['tcp-option']}`;
      if (o['tcp-flags'] !== undefined) {
        const [m, c] = o['tcp-flags'].split(' ');
        s += ` flags:${inv['tcp-flags'] ? '!' : ''}`;
        if (env.numeric) s += `0x${hex2(parseTcpFlags(m!))}/0x${hex2(parseTcpFlags(c!))}`;
        else s += `${m}/${c}`;
      }
      return s;
    },
    save(x) {
      const o = x.options;
      const inv = x.invert ?? {};
      let s = '';
      if (o.sport !== undefined) s += `${inv.sport ? ' !' : ''} --sport ${o.sport}`;
      if (o.dport !== undefined) s += `${inv.dport ? ' !' : ''} --dport ${o.dport}`;
      if (o['tcp-option'] !== undefined) s += `${inv['tcp-option'] ? ' !' : ''} --tcp-option ${o['tcp-option']}`;
      if (o['tcp-flags'] !== undefined) s += `${inv['tcp-flags'] ? ' !' : ''} --tcp-flags ${o['tcp-flags']}`;
      return s;
    },
  };
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

const ICMP_CODES: [string, number, number, number][] = [
  ['any', 0xff, 0, 0xff],
  ['echo-reply', 0, 0, 0xff],
  ['pong', 0, 0, 0xff],
  ['destination-unreachable', 3, 0, 0xff],
  ['network-unreachable', 3, 0, 0],
  ['host-unreachable', 3, 1, 1],
  ['protocol-unreachable', 3, 2, 2],
  ['port-unreachable', 3, 3, 3],
  ['fragmentation-needed', 3, 4, 4],
  ['source-route-failed', 3, 5, 5],
  ['network-unknown', 3, 6, 6],
  ['host-unknown', 3, 7, 7],
  ['network-prohibited', 3, 9, 9],
  ['host-prohibited', 3, 10, 10],
  ['TOS-network-unreachable', 3, 11, 11],
  ['TOS-host-unreachable', 3, 12, 12],
  ['communication-prohibited', 3, 13, 13],
  ['host-precedence-violation', 3, 14, 14],
  ['precedence-cutoff', 3, 15, 15],
  ['source-quench', 4, 0, 0xff],
  ['redirect', 5, 0, 0xff],
  ['network-redirect', 5, 0, 0],
  ['host-redirect', 5, 1, 1],
  ['TOS-network-redirect', 5, 2, 2],
  ['TOS-host-redirect', 5, 3, 3],
  ['echo-request', 8, 0, 0xff],
  ['ping', 8, 0, 0xff],
  ['router-advertisement', 9, 0, 0xff],
  ['router-solicitation', 10, 0, 0xff],
  ['time-exceeded', 11, 0, 0xff],
  ['ttl-exceeded', 11, 0, 0xff],
  ['ttl-zero-during-transit', 11, 0, 0],
  ['ttl-zero-during-reassembly', 11, 1, 1],
  ['parameter-problem', 12, 0, 0xff],
  ['ip-header-bad', 12, 0, 0],
  ['required-option-missing', 12, 1, 1],
  ['timestamp-request', 13, 0, 0xff],
  ['timestamp-reply', 14, 0, 0xff],
  ['address-mask-request', 17, 0, 0xff],
  ['address-mask-reply', 18, 0, 0xff],
];

function parseRange255(s: string): { lo: number; hi: number; rest: string } | null {
  const m = /^(0[xX][0-9a-fA-F]+|\d+)(?::(0[xX][0-9a-fA-F]+|\d+))?(.*)$/.exec(s);
  if (!m) return null;
  const lo = strtoui(m[1]!, 0, 255);
  const hi = m[2] !== undefined ? strtoui(m[2], 0, 255) : lo;
  if (lo === null || hi === null) return null;
  return { lo, hi, rest: m[3]! };
}

const icmpExt: ExtDef = {
  name: 'icmp',
  kind: 'match',
  opts: [{ name: 'icmp-type', hasArg: 1, key: 'type', invert: true, mand: true }],
  help: 'icmp match options:\n[!] --icmp-type typename\tmatch icmp type\n[!] --icmp-type type[/code]\t(or numeric type or type/code)\n',
  parse(_env, x, opt, arg, invert) {
    const s = arg!;
    let match = -1;
    for (let i = 0; i < ICMP_CODES.length; i++) {
      if (!ICMP_CODES[i]![0].toLowerCase().startsWith(s.toLowerCase())) continue;
      if (match >= 0) xtError(PARAMETER_PROBLEM, `Ambiguous ICMP type \`${s}': \`${ICMP_CODES[match]![0]}' or \`${ICMP_CODES[i]![0]}'?`);
      match = i;
    }
    let type: number;
    let lo: number;
    let hi: number;
    if (match >= 0) {
      [, type, lo, hi] = ICMP_CODES[match]!;
    } else {
      const r = parseRange255(s);
      if (!r) xtError(PARAMETER_PROBLEM, `Unknown ICMP type \`${s}'`);
      if (r.lo !== r.hi) xtError(PARAMETER_PROBLEM, 'ICMP type range not supported');
      type = r.lo;
      lo = 0;
      hi = 255;
      if (r.rest.startsWith('/')) {
        const c = parseRange255(r.rest.slice(1));
        if (!c) xtError(PARAMETER_PROBLEM, `Unknown ICMP code \`${s}'`);
        if (c.rest) xtError(PARAMETER_PROBLEM, `unknown character ${c.rest[0]}`);
        lo = c.lo;
        hi = c.hi;
      } else if (r.rest) xtError(PARAMETER_PROBLEM, `unknown character ${r.rest[0]}`);
    }
    x.options.type = String(type);
    x.options.code = lo === hi ? String(lo) : `${lo}:${hi}`;
    if (invert) (x.invert ??= {}).type = true;
    void opt;
  },
  print(env, x) {
    const type = Number(x.options.type ?? '255');
    const [lo, hi] = codeRange(x.options.code);
    const inv = !!x.invert?.type;
    if (!env.numeric) {
      const e = ICMP_CODES.find(([, t, a, b]) => t === type && a === lo && b === hi);
      if (e) return ` icmp ${inv ? '!' : ''}${e[0]}`;
    }
    let s = ' icmp';
    if (inv) s += ' !';
    s += `type ${type}`;
    if (lo === hi) s += ` code ${lo}`;
    else if (lo !== 0 || hi !== 255) s += ` codes ${lo}-${hi}`;
    return s;
  },
  save(x) {
    const type = Number(x.options.type ?? '255');
    const [lo, hi] = codeRange(x.options.code);
    let s = x.invert?.type ? ' !' : '';
    if (type === 255) return `${s} --icmp-type any`;
    s += ` --icmp-type ${type}`;
    if (lo !== 0 || hi !== 255) s += `/${lo}`;
    return s;
  },
};

function codeRange(code: string | undefined): [number, number] {
  if (code === undefined) return [0, 255];
  const [a, b] = code.split(':');
  return [Number(a), b === undefined ? Number(a) : Number(b)];
}

const commentExt: ExtDef = {
  name: 'comment',
  kind: 'match',
  opts: [{ name: 'comment', hasArg: 1, key: 'comment', mand: true }],
  help: 'comment match options:\n--comment COMMENT             Attach a comment to a rule\n',
  parse(_env, x, _opt, arg) {
    if (arg!.length > 255) xtError(PARAMETER_PROBLEM, 'comment: Argument must have a maximum length of 255 characters\n');
    x.options.comment = arg!;
  },
  print(_env, x) {
    return ` /* ${x.options.comment ?? ''} */`;
  },
  save(x) {
    return ` --comment${saveString(x.options.comment ?? '')}`;
  },
};

/** xtables_save_string(): bare if only [A-Za-z0-9_-], else double-quoted with \" \\ \' escaped. */
export function saveString(v: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(v)) return ` ${v}`;
  return ` "${v.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

const CT_STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];

function parseStates(arg: string, ext: 'ctstate' | 'state'): string {
  const names = ext === 'ctstate' ? CT_STATES : CT_STATES.slice(0, 5);
  const bad = (s: string): never => xtError(PARAMETER_PROBLEM, `Bad ${ext} "${s}"`);
  const set = new Set<string>();
  let rest = arg;
  for (;;) {
    const comma = rest.indexOf(',');
    const part = comma < 0 ? rest : rest.slice(0, comma);
    if (comma >= 0 && part === '') bad(rest);
    if (comma < 0 && part === '') {
      if (ext === 'state') xtError(PARAMETER_PROBLEM, '"--state" requires a list of states with no spaces, e.g. ESTABLISHED,RELATED');
      bad(rest);
    }
    // strncasecmp(state, NAME, len): a prefix of the name matches
    const hit = names.find((n) => n.toLowerCase().startsWith(part.toLowerCase())) ?? bad(rest);
    set.add(hit);
    if (comma < 0) break;
    rest = rest.slice(comma + 1);
  }
  return CT_STATES.filter((s) => set.has(s)).join(',');
}

const conntrackExt: ExtDef = {
  name: 'conntrack',
  kind: 'match',
  opts: [
    { name: 'ctstate', hasArg: 1, key: 'ctstate', invert: true },
    { name: 'ctproto', hasArg: 1, key: 'ctproto', invert: true },
    { name: 'ctorigsrc', hasArg: 1, key: 'ctorigsrc', invert: true },
    { name: 'ctorigdst', hasArg: 1, key: 'ctorigdst', invert: true },
    { name: 'ctreplsrc', hasArg: 1, key: 'ctreplsrc', invert: true },
    { name: 'ctrepldst', hasArg: 1, key: 'ctrepldst', invert: true },
    { name: 'ctstatus', hasArg: 1, key: 'ctstatus', invert: true },
    { name: 'ctdir', hasArg: 1, key: 'ctdir' },
  ],
  help: 'conntrack match options:\n[!] --ctstate {INVALID|ESTABLISHED|NEW|RELATED|UNTRACKED|SNAT|DNAT}[,...]\n                               State(s) to match\n',
  parse(env, x, opt, arg, invert) {
    const a = arg!;
    switch (opt.key) {
      case 'ctstate':
        x.options.ctstate = parseStates(a, 'ctstate');
        break;
      case 'ctproto': {
        const n = strtoui(a, 0, 255) ?? CHAIN_PROTOS.find(([p]) => p === a.toLowerCase())?.[1] ?? env.db.protoNumber(a.toLowerCase());
        if (n === null || n === undefined) xtError(PARAMETER_PROBLEM, `unknown protocol "${a}" specified`);
        x.options.ctproto = String(n);
        break;
      }
      case 'ctstatus': {
        const st = ['NONE', 'EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'];
        const got = new Set<string>();
        for (const p of a.split(',')) {
          const hit = st.find((s) => s.toLowerCase().startsWith(p.toLowerCase()) && p !== '');
          if (!hit) xtError(PARAMETER_PROBLEM, `Bad ctstatus "${p}"`);
          got.add(hit);
        }
        x.options.ctstatus = st.filter((s) => got.has(s)).join(',');
        break;
      }
      case 'ctdir': {
        const u = a.toUpperCase();
        if (u !== 'ORIGINAL' && u !== 'REPLY') xtError(PARAMETER_PROBLEM, `Unknown --ctdir value "${a}"`);
        x.options.ctdir = u;
        break;
      }
      default:
        x.options[opt.key] = normaliseCidr(a);
    }
    if (invert) (x.invert ??= {})[opt.key] = true;
  },
  final(_env, _x, seen) {
    if (seen.size === 0) xtError(PARAMETER_PROBLEM, 'You must specify one or more options');
  },
  print(_env, x) {
    return conntrackDump(x, '');
  },
  save(x) {
    return conntrackDump(x, '--');
  },
};

function conntrackDump(x: RuleMatch, prefix: string): string {
  const o = x.options;
  const inv = x.invert ?? {};
  const bang = (k: string): string => (inv[k] ? ' !' : '');
  let s = '';
  if (o.ctstate !== undefined) s += `${bang('ctstate')} ${prefix}ctstate ${o.ctstate}`;
  if (o.ctproto !== undefined) s += `${bang('ctproto')} ${prefix}ctproto ${o.ctproto}`;
  for (const k of ['ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst']) if (o[k] !== undefined) s += `${bang(k)} ${prefix}${k} ${o[k]!.replace(/\/32$/, '')}`;
  if (o.ctstatus !== undefined) s += `${bang('ctstatus')} ${prefix}ctstatus ${o.ctstatus}`;
  if (o.ctdir !== undefined) s += ` ${prefix}ctdir ${o.ctdir}`;
  return s;
}

const stateExt: ExtDef = {
  name: 'state',
  kind: 'match',
  opts: [{ name: 'state', hasArg: 1, key: 'state', invert: true, mand: true }],
  help: 'state match options:\n [!] --state [INVALID|ESTABLISHED|NEW|RELATED|UNTRACKED][,...]\n\t\t\t\tState(s) to match\n',
  parse(_env, x, _opt, arg, invert) {
    x.options.state = parseStates(arg!, 'state');
    if (invert) (x.invert ??= {}).state = true;
  },
  print(_env, x) {
    return `${x.invert?.state ? ' !' : ''} state ${x.options.state}`;
  },
  save(x) {
    return `${x.invert?.state ? ' !' : ''} --state ${x.options.state}`;
  },
};

const multiportExt: ExtDef = {
  name: 'multiport',
  kind: 'match',
  opts: [
    { name: 'source-ports', hasArg: 1, key: 'sports', invert: true },
    { name: 'sports', hasArg: 1, key: 'sports', invert: true },
    { name: 'destination-ports', hasArg: 1, key: 'dports', invert: true },
    { name: 'dports', hasArg: 1, key: 'dports', invert: true },
    { name: 'ports', hasArg: 1, key: 'ports', invert: true },
  ],
  help: 'multiport match options:\n[!] --source-ports port[,port:port,port...]\n --sports ...\n\t\t\t\tmatch source port(s)\n[!] --destination-ports port[,port:port,port...]\n --dports ...\n\t\t\t\tmatch destination port(s)\n[!] --ports port[,port:port,port]\n\t\t\t\tmatch both source and destination port(s)\n',
  parse(env, x, opt, arg, invert) {
    const r = env.rule;
    const pnum = ruleProtoNum(r);
    if (r.protocolInvert) xtError(PARAMETER_PROBLEM, 'multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP');
    const pname = [6, 17, 136, 132, 33].includes(pnum) ? (chainProtoName(pnum) ?? 'dccp') : null;
    if (!pname) {
      if (!pnum) xtError(PARAMETER_PROBLEM, "multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
      xtError(PARAMETER_PROBLEM, 'multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP');
    }
    const out: string[] = [];
    let slots = 0;
    const parts = arg!.split(',');
    for (const part of parts) {
      if (slots >= 15) xtError(PARAMETER_PROBLEM, 'too many ports specified');
      const c = part.indexOf(':');
      if (c >= 0) {
        if (slots === 14) xtError(PARAMETER_PROBLEM, 'too many ports specified');
        const lo = parsePort(env.db, part.slice(0, c), pname);
        const hi = parsePort(env.db, part.slice(c + 1), pname);
        if (lo >= hi) xtError(PARAMETER_PROBLEM, 'invalid portrange specified');
        out.push(`${lo}:${hi}`);
        slots += 2;
      } else {
        out.push(String(parsePort(env.db, part, pname)));
        slots += 1;
      }
    }
    delete x.options.sports;
    delete x.options.dports;
    delete x.options.ports;
    x.options[opt.key] = out.join(',');
    if (invert) x.invert = { [opt.key]: true };
    else x.invert = {};
  },
  final(_env, _x, seen) {
    if (seen.size === 0) xtError(PARAMETER_PROBLEM, 'multiport expection an option');
  },
  print(env, x, rule) {
    const key = x.options.sports !== undefined ? 'sports' : x.options.dports !== undefined ? 'dports' : 'ports';
    const proto = protoToName(env.db, ruleProtoNum(rule), false);
    let s = ` multiport ${key} `;
    if (x.invert?.[key]) s += ' !';
    s += (x.options[key] ?? '')
      .split(',')
      .map((p) =>
        p
          .split(':')
          .map((n) => portName(env, Number(n), proto))
          .join(':'),
      )
      .join(',');
    return s;
  },
  save(x) {
    const key = x.options.sports !== undefined ? 'sports' : x.options.dports !== undefined ? 'dports' : 'ports';
    return `${x.invert?.[key] ? ' !' : ''} --${key} ${x.options[key] ?? ''}`;
  },
};

const RTN_NAMES = ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'];

const addrtypeExt: ExtDef = {
  name: 'addrtype',
  kind: 'match',
  opts: [
    { name: 'src-type', hasArg: 1, key: 'src-type', invert: true },
    { name: 'dst-type', hasArg: 1, key: 'dst-type', invert: true },
    { name: 'limit-iface-in', hasArg: 0, key: 'limit-iface-in' },
    { name: 'limit-iface-out', hasArg: 0, key: 'limit-iface-out' },
  ],
  parse(_env, x, opt, arg, invert) {
    if (opt.key === 'src-type' || opt.key === 'dst-type') {
      const set = new Set<string>();
      for (const t of arg!.split(',')) {
        const hit = RTN_NAMES.find((n) => n.toLowerCase() === t.toLowerCase());
        if (!hit) xtError(PARAMETER_PROBLEM, `addrtype: bad type "${t}"`);
        set.add(hit);
      }
      x.options[opt.key] = RTN_NAMES.filter((n) => set.has(n)).join(',');
      if (invert) (x.invert ??= {})[opt.key] = true;
    } else {
      if (x.options['limit-iface-in'] !== undefined || x.options['limit-iface-out'] !== undefined) xtError(PARAMETER_PROBLEM, 'addrtype: you can\'t specify both --limit-iface-in and --limit-iface-out');
      x.options[opt.key] = '';
    }
  },
  final(_env, x) {
    if (x.options['src-type'] === undefined && x.options['dst-type'] === undefined) xtError(PARAMETER_PROBLEM, 'addrtype: you must specify --src-type or --dst-type');
  },
  print(_env, x) {
    const o = x.options;
    let s = ' ADDRTYPE match';
    if (o['src-type'] !== undefined) s += ` src-type ${x.invert?.['src-type'] ? '!' : ''}${o['src-type']}`;
    if (o['dst-type'] !== undefined) s += ` dst-type ${x.invert?.['dst-type'] ? '!' : ''}${o['dst-type']}`;
    if (o['limit-iface-in'] !== undefined) s += ' limit-in';
    if (o['limit-iface-out'] !== undefined) s += ' limit-out';
    return s;
  },
  save(x) {
    const o = x.options;
    let s = '';
    if (o['src-type'] !== undefined) s += `${x.invert?.['src-type'] ? ' !' : ''} --src-type ${o['src-type']}`;
    if (o['dst-type'] !== undefined) s += `${x.invert?.['dst-type'] ? ' !' : ''} --dst-type ${o['dst-type']}`;
    if (o['limit-iface-in'] !== undefined) s += ' --limit-iface-in';
    if (o['limit-iface-out'] !== undefined) s += ' --limit-iface-out';
    return s;
  },
};

const statisticExt: ExtDef = {
  name: 'statistic',
  kind: 'match',
  opts: [
    { name: 'mode', hasArg: 1, key: 'mode', invert: true },
    { name: 'probability', hasArg: 1, key: 'probability' },
    { name: 'every', hasArg: 1, key: 'every' },
    { name: 'packet', hasArg: 1, key: 'packet' },
  ],
  parse(_env, x, opt, arg, invert) {
    const a = arg!;
    if (invert) (x.invert ??= {}).mode = true;
    switch (opt.key) {
      case 'mode':
        if (a !== 'random' && a !== 'nth') xtError(PARAMETER_PROBLEM, `Bad mode "${a}"`);
        x.options.mode = a;
        break;
      case 'probability': {
        const v = Number(a);
        if (a.trim() === '' || !Number.isFinite(v) || v < 0 || v > 1) xtError(PARAMETER_PROBLEM, `statistic: bad value for option "--probability", or out of range (0-1).\n`);
        const stored = Math.round(0x80000000 * v) / 0x80000000;
        x.options.probability = stored.toFixed(11);
        break;
      }
      case 'every': {
        const n = strtoui(a, 1, 0xffffffff);
        if (n === null) xtError(PARAMETER_PROBLEM, `statistic: bad value for option "--every", or out of range (1-4294967295).\n`);
        x.options.every = String(n);
        break;
      }
      case 'packet': {
        const n = strtoui(a, 0, 0xffffffff);
        if (n === null) xtError(PARAMETER_PROBLEM, `statistic: bad value for option "--packet", or out of range (0-4294967295).\n`);
        x.options.packet = String(n);
        break;
      }
    }
  },
  final(_env, x) {
    const o = x.options;
    if (o.mode === undefined) xtError(PARAMETER_PROBLEM, 'statistic: option "--mode" must be specified\n');
    if (o.mode === 'random') {
      if (o.probability === undefined) xtError(PARAMETER_PROBLEM, '--probability must be specified when using random mode');
      if (o.every !== undefined || o.packet !== undefined) xtError(PARAMETER_PROBLEM, '--every and --packet can only be used with nth mode');
    } else {
      if (o.every === undefined) xtError(PARAMETER_PROBLEM, '--every must be specified when using nth mode');
      if (o.probability !== undefined) xtError(PARAMETER_PROBLEM, '--probability can only be used in random mode');
      o.packet ??= '0';
      if (Number(o.packet) > Number(o.every) - 1) xtError(PARAMETER_PROBLEM, 'the --packet p must be 0 <= p <= n-1');
    }
  },
  print(_env, x) {
    return ` statistic${statisticDump(x, '')}`;
  },
  save(x) {
    return statisticDump(x, '--');
  },
};

function statisticDump(x: RuleMatch, prefix: string): string {
  const o = x.options;
  const inv = x.invert?.mode ? ' !' : '';
  if (o.mode === 'nth') {
    let s = ` ${prefix}mode nth${inv} ${prefix}every ${o.every}`;
    if ((o.packet !== undefined && o.packet !== '0') || prefix) s += ` ${prefix}packet ${o.packet ?? '0'}`;
    return s;
  }
  return ` ${prefix}mode random${inv} ${prefix}probability ${o.probability}`;
}

function parseMarkMask(a: string): [number, number] {
  const [v, m] = a.split('/');
  const val = strtoui(v!, 0, 0xffffffff);
  const mask = m === undefined ? 0xffffffff : strtoui(m, 0, 0xffffffff);
  if (val === null || mask === null) xtError(PARAMETER_PROBLEM, `mark: bad value for option "--mark", or out of range (0-4294967295).\n`);
  return [val, mask];
}

function markMaskText(val: number, mask: number): string {
  return mask === 0xffffffff ? `0x${val.toString(16)}` : `0x${val.toString(16)}/0x${mask.toString(16)}`;
}

const markExt: ExtDef = {
  name: 'mark',
  kind: 'match',
  opts: [{ name: 'mark', hasArg: 1, key: 'mark', invert: true, mand: true }],
  parse(_env, x, _opt, arg, invert) {
    const [v, m] = parseMarkMask(arg!);
    x.options.mark = `0x${v.toString(16)}/0x${m.toString(16)}`;
    if (invert) (x.invert ??= {}).mark = true;
  },
  print(_env, x) {
    const [v, m] = (x.options.mark ?? '0x0/0xffffffff').split('/').map((n) => Number(n) >>> 0);
    return ` mark match${x.invert?.mark ? ' !' : ''} ${markMaskText(v!, m!)}`;
  },
  save(x) {
    const [v, m] = (x.options.mark ?? '0x0/0xffffffff').split('/').map((n) => Number(n) >>> 0);
    return `${x.invert?.mark ? ' !' : ''} --mark ${markMaskText(v!, m!)}`;
  },
};

/** xtables_numeric_to_ipaddr() of an iprange end, or the BAD_VALUE error. */
function iprangeAddr(spec: string, optname: string): string {
  const a = numericToIp(spec, false);
  if (a === null) xtError(PARAMETER_PROBLEM, `iprange: Bad value for "${optname}" option: "${spec}"`);
  return a;
}

const iprangeExt: ExtDef = {
  name: 'iprange',
  kind: 'match',
  opts: [
    { name: 'src-range', hasArg: 1, key: 'src-range', invert: true },
    { name: 'dst-range', hasArg: 1, key: 'dst-range', invert: true },
  ],
  help: 'iprange match options:\n[!] --src-range ip[-ip]    Match source IP in the specified range\n[!] --dst-range ip[-ip]    Match destination IP in the specified range\n',
  parse(env, x, opt, arg, invert) {
    const a = arg!;
    const dash = a.indexOf('-');
    const from = dash < 0 ? a : a.slice(0, dash);
    const to = dash < 0 ? a : a.slice(dash + 1);
    const lo = iprangeAddr(from, `--${opt.name}`);
    const hi = iprangeAddr(to, `--${opt.name}`);
    // a reversed range is accepted with a warning (it never matches)
    if (dash >= 0 && v4int(lo) > v4int(hi)) env.warnings.push(`xt_iprange: range ${from}-${to} is reversed and will never match\n`);
    x.options[opt.key] = `${lo}-${hi}`;
    if (invert) (x.invert ??= {})[opt.key] = true;
  },
  final(_env, x) {
    if (x.options['src-range'] === undefined && x.options['dst-range'] === undefined) xtError(PARAMETER_PROBLEM, "iprange match: You must specify `--src-range' or `--dst-range'");
  },
  print(_env, x) {
    let s = '';
    if (x.options['src-range'] !== undefined) s += ` source IP range${x.invert?.['src-range'] ? ' !' : ''} ${x.options['src-range']}`;
    if (x.options['dst-range'] !== undefined) s += ` destination IP range${x.invert?.['dst-range'] ? ' !' : ''} ${x.options['dst-range']}`;
    return s;
  },
  save(x) {
    let s = '';
    if (x.options['src-range'] !== undefined) s += `${x.invert?.['src-range'] ? ' !' : ''} --src-range ${x.options['src-range']}`;
    if (x.options['dst-range'] !== undefined) s += `${x.invert?.['dst-range'] ? ' !' : ''} --dst-range ${x.options['dst-range']}`;
    return s;
  },
};

/** XT_LIMIT_SCALE and the unit multipliers of libxt_limit / add_nft_limit (day, hour, min, sec). */
const LIMIT_SCALE = 10000;
const LIMIT_MULT = [LIMIT_SCALE * 24 * 60 * 60, LIMIT_SCALE * 60 * 60, LIMIT_SCALE * 60, LIMIT_SCALE];
const LIMIT_UNIT_NAMES = ['day', 'hour', 'min', 'sec'];

/** The unit index print_rate() / add_nft_limit() pick for an average (the largest that divides it evenly enough). */
function limitUnitIndex(avg: number): number {
  let i = 1;
  for (; i < LIMIT_MULT.length; i++) if (avg > LIMIT_MULT[i]! || Math.floor(LIMIT_MULT[i]! / avg) < LIMIT_MULT[i]! % avg) break;
  return i - 1;
}

/** glibc atoi(): leading blanks, a sign, digits; int overflow wraps as strtol's long is truncated. */
function atoi(s: string): number {
  const m = /^[\t\n\v\f\r ]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  let n = BigInt(m[1]!);
  const LMAX = 2n ** 63n - 1n;
  if (n > LMAX) n = LMAX;
  if (n < -LMAX - 1n) n = -LMAX - 1n;
  return Number(BigInt.asIntN(32, n));
}

/** libxt_limit parse_rate(): "N[/second|/minute|/hour|/day]" (any prefix of the unit) -> avg, or null. */
function parseLimitRate(rate: string): number | null {
  const slash = rate.indexOf('/');
  let mult = 1;
  if (slash >= 0) {
    const u = rate.slice(slash + 1).toLowerCase();
    if (u.length === 0) return null;
    const hit = (w: string): boolean => u.length <= w.length && w.startsWith(u);
    if (hit('second')) mult = 1;
    else if (hit('minute')) mult = 60;
    else if (hit('hour')) mult = 3600;
    else if (hit('day')) mult = 86400;
    else return null;
  }
  const r = atoi(rate) >>> 0;
  if (!r) return null;
  const avg = Math.floor((LIMIT_SCALE * mult) / r);
  if (avg === 0) xtError(PARAMETER_PROBLEM, `Rate too fast "${rate}"`);
  return avg;
}

/** iptables-nft keeps a limit as nft's rate per unit (add_nft_limit), listed back as an average (nft_parse_limit). */
function limitToNft(avg: number): { rate: number; unit: number } {
  const i = limitUnitIndex(avg);
  return { rate: Math.floor(LIMIT_MULT[i]! / avg), unit: LIMIT_MULT[i]! / LIMIT_SCALE };
}

function limitRateText(o: Record<string, string>): string {
  const avg = Math.floor((LIMIT_SCALE * Number(o.unit ?? '3600')) / Number(o.rate ?? '3'));
  const i = limitUnitIndex(avg);
  return `${Math.floor(LIMIT_MULT[i]! / avg)}/${LIMIT_UNIT_NAMES[i]}`;
}

const limitExt: ExtDef = {
  name: 'limit',
  kind: 'match',
  opts: [
    { name: 'limit', hasArg: 1, key: 'limit' },
    { name: 'limit-burst', hasArg: 1, key: 'burst' },
  ],
  help: 'limit match options:\n--limit avg\t\t\tmax average match rate: default 3/hour\n                                [Packets per second unless followed by \n                                /sec /minute /hour /day postfixes]\n--limit-burst number\t\tnumber to match in a burst, default 5\n',
  parse(_env, x, opt, arg) {
    if (opt.key === 'limit') {
      const avg = parseLimitRate(arg!);
      if (avg === null) xtError(PARAMETER_PROBLEM, `bad rate "${arg}"'`);
      const { rate, unit } = limitToNft(avg);
      x.options.rate = String(rate);
      x.options.unit = String(unit);
    } else {
      const n = strtoui(arg!, 0, 10000);
      if (n === null) xtError(PARAMETER_PROBLEM, `limit: bad value for option "--limit-burst", or out of range (0-10000).\n`);
      // nft_limit_init(): a packet limit with burst 0 gets the default 5
      x.options.burst = String(n || 5);
    }
  },
  final(_env, x) {
    // limit_init(): 3/hour, burst 5
    const def = limitToNft(Math.floor((LIMIT_SCALE * 3600) / 3));
    x.options = { rate: x.options.rate ?? String(def.rate), unit: x.options.unit ?? String(def.unit), burst: x.options.burst ?? '5' };
  },
  print(_env, x) {
    return ` limit: avg ${limitRateText(x.options)} burst ${x.options.burst ?? '5'}`;
  },
  save(x) {
    return ` --limit ${limitRateText(x.options)}${x.options.burst !== undefined && x.options.burst !== '5' ? ` --limit-burst ${x.options.burst}` : ''}`;
  },
};

/** xtopt_parse_ethermac(): six hex bytes of at most two digits, ':' separated. */
function parseEtherMac(a: string): string {
  const parts = a.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[\t\n\v\f\r ]*[+-]?(0[xX])?[0-9a-fA-F]{1,2}$/.test(p) || p.length > 2)) xtError(PARAMETER_PROBLEM, 'Invalid MAC address specified.');
  return parts.map((p) => (parseInt(p, 16) & 0xff).toString(16).padStart(2, '0')).join(':');
}

const macExt: ExtDef = {
  name: 'mac',
  kind: 'match',
  opts: [{ name: 'mac-source', hasArg: 1, key: 'mac-source', invert: true, mand: true }],
  help: 'mac match options:\n[!] --mac-source XX:XX:XX:XX:XX:XX\n\t\t\t\tMatch source MAC address\n',
  parse(_env, x, _opt, arg, invert) {
    x.options['mac-source'] = parseEtherMac(arg!);
    if (invert) (x.invert ??= {})['mac-source'] = true;
  },
  print(_env, x) {
    return ` MAC ${x.invert?.['mac-source'] ? '! ' : ''}${x.options['mac-source'] ?? ''}`;
  },
  save(x) {
    return `${x.invert?.['mac-source'] ? ' !' : ''} --mac-source ${x.options['mac-source'] ?? ''}`;
  },
};

// ---------------------------------------------------------------- targets

const REJECT_TABLE: [string, string, string][] = [
  ['icmp-net-unreachable', 'net-unreach', 'ICMP network unreachable'],
  ['icmp-host-unreachable', 'host-unreach', 'ICMP host unreachable'],
  ['icmp-proto-unreachable', 'proto-unreach', 'ICMP protocol unreachable'],
  ['icmp-port-unreachable', 'port-unreach', 'ICMP port unreachable (default)'],
  ['icmp-net-prohibited', 'net-prohib', 'ICMP network prohibited'],
  ['icmp-host-prohibited', 'host-prohib', 'ICMP host prohibited'],
  ['tcp-reset', 'tcp-rst', 'TCP RST packet'],
  ['icmp-admin-prohibited', 'admin-prohib', 'ICMP administratively prohibited (*)'],
];

const rejectExt: ExtDef = {
  name: 'REJECT',
  kind: 'target',
  opts: [{ name: 'reject-with', hasArg: 1, key: 'reject-with' }],
  help:
    'REJECT target options:\n--reject-with type              drop input packet and send back\n                                a reply packet according to type:\nValid reject types:\n' +
    REJECT_TABLE.map(([n, a, d]) => `    ${n.padEnd(25)}\t${d}\n    ${a.padEnd(25)}\talias\n`).join('') +
    '\n(*) See man page or read the INCOMPATIBILITES file for compatibility issues.\n',
  parse(env, x, _opt, arg) {
    const a = arg!;
    const hit = REJECT_TABLE.find(([n, al]) => n.toLowerCase().startsWith(a.toLowerCase()) || al.toLowerCase().startsWith(a.toLowerCase()));
    if (!hit) {
      if ('echo-reply'.startsWith(a.toLowerCase()) || 'echoreply'.startsWith(a.toLowerCase())) throw new XtError(PARAMETER_PROBLEM, '--reject-with echo-reply no longer supported\n' + errText(PARAMETER_PROBLEM, `unknown reject type "${a}"`));
      xtError(PARAMETER_PROBLEM, `unknown reject type "${a}"`);
    }
    if (hit[0] === 'tcp-reset' && ruleProtoNum(env.rule) !== 6) {
      // the kernel refuses it at commit time; iptables-nft reports it then
      x.options._needsTcp = '1';
    }
    x.options['reject-with'] = hit[0];
  },
  final(_env, x) {
    x.options['reject-with'] ??= 'icmp-port-unreachable';
  },
  print(_env, x) {
    return ` reject-with ${x.options['reject-with'] ?? 'icmp-port-unreachable'}`;
  },
  save(x) {
    return ` --reject-with ${x.options['reject-with'] ?? 'icmp-port-unreachable'}`;
  },
};

function errText(status: number, msg: string): string {
  try {
    xtError(status, msg);
  } catch (e) {
    return (e as XtError).text;
  }
}

/** The names --log-level takes (libxtables xtopt_parse_sysloglevel, an exact match). */
const LOG_LEVELS: [string, number][] = [
  ['alert', 1],
  ['crit', 2],
  ['debug', 7],
  ['emerg', 0],
  ['error', 3],
  ['info', 6],
  ['notice', 5],
  ['panic', 0],
  ['warning', 4],
];

/** glibc <syslog.h> prioritynames, first name of each level (what LOG_print shows). */
const SYSLOG_PRIORITY_NAMES = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];

const logExt: ExtDef = {
  name: 'LOG',
  kind: 'target',
  opts: [
    { name: 'log-level', hasArg: 1, key: 'log-level' },
    { name: 'log-prefix', hasArg: 1, key: 'log-prefix' },
    { name: 'log-tcp-sequence', hasArg: 0, key: 'log-tcp-sequence' },
    { name: 'log-tcp-options', hasArg: 0, key: 'log-tcp-options' },
    { name: 'log-ip-options', hasArg: 0, key: 'log-ip-options' },
    { name: 'log-uid', hasArg: 0, key: 'log-uid' },
    { name: 'log-macdecode', hasArg: 0, key: 'log-macdecode' },
  ],
  help: 'LOG target options:\n --log-level level\t\tLevel of logging (numeric or see syslog.conf)\n --log-prefix prefix\t\tPrefix log messages with this prefix.\n --log-tcp-sequence\t\tLog TCP sequence numbers.\n --log-tcp-options\t\tLog TCP options.\n --log-ip-options\t\tLog IP options.\n --log-uid\t\tLog UID owning the local socket.\n --log-macdecode\t\tDecode MAC addresses and protocol.\n',
  parse(_env, x, opt, arg) {
    switch (opt.key) {
      case 'log-level': {
        const a = arg!;
        const n = strtoui(a, 0, 7);
        const lv = n !== null ? n : (LOG_LEVELS.find(([name]) => name === a)?.[1] ?? null);
        if (lv === null) xtError(PARAMETER_PROBLEM, `log level "${a}" unknown\n`);
        x.options['log-level'] = String(lv);
        break;
      }
      case 'log-prefix':
        if (arg!.includes('\n')) xtError(PARAMETER_PROBLEM, 'Newlines not allowed in --log-prefix');
        if (arg!.length > 29) xtError(PARAMETER_PROBLEM, 'LOG: Argument must have a maximum length of 29 characters\n');
        x.options['log-prefix'] = arg!;
        break;
      default:
        x.options[opt.key] = '';
    }
  },
  print(env, x) {
    const o = x.options;
    const level = Number(o['log-level'] ?? '4');
    let s = ' LOG';
    if (env.numeric) {
      let flags = 0;
      ['log-tcp-sequence', 'log-tcp-options', 'log-ip-options', 'log-uid', '', 'log-macdecode'].forEach((k, i) => {
        if (k && o[k] !== undefined) flags |= 1 << i;
      });
      s += ` flags ${flags} level ${level}`;
    } else {
      // priority2name(): the first of glibc's prioritynames with that value
      const name = SYSLOG_PRIORITY_NAMES[level];
      s += name ? ` level ${name}` : ` UNKNOWN level ${level}`;
      if (o['log-tcp-sequence'] !== undefined) s += ' tcp-sequence';
      if (o['log-tcp-options'] !== undefined) s += ' tcp-options';
      if (o['log-ip-options'] !== undefined) s += ' ip-options';
      if (o['log-uid'] !== undefined) s += ' uid';
      if (o['log-macdecode'] !== undefined) s += ' macdecode';
    }
    if (o['log-prefix']) s += ` prefix "${o['log-prefix']}"`;
    return s;
  },
  save(x) {
    const o = x.options;
    let s = '';
    if (o['log-prefix']) s += ` --log-prefix${saveString(o['log-prefix'])}`;
    if (o['log-level'] !== undefined && o['log-level'] !== '4') s += ` --log-level ${o['log-level']}`;
    if (o['log-tcp-sequence'] !== undefined) s += ' --log-tcp-sequence';
    if (o['log-tcp-options'] !== undefined) s += ' --log-tcp-options';
    if (o['log-ip-options'] !== undefined) s += ' --log-ip-options';
    if (o['log-uid'] !== undefined) s += ' --log-uid';
    if (o['log-macdecode'] !== undefined) s += ' --log-macdecode';
    return s;
  },
};

/** NAT target ranges: "[ip[-ip]][:port[-port]]", stored canonical. */
function parseNatPorts(db: NameDb, arg: string, portok: boolean): string {
  if (!portok) xtError(PARAMETER_PROBLEM, 'Need TCP, UDP, SCTP or DCCP with port specification');
  const m = /^([^-:/]*)(.*)$/.exec(arg)!;
  let port = strtoui(m[1]!, 0, 65535);
  let rest = m[2]!;
  if (port === null) {
    const p = db.port(arg, null);
    if (p === null) xtError(PARAMETER_PROBLEM, `Port \`${arg}' not valid`);
    port = p;
    rest = '';
  }
  if (rest === '') return String(port);
  if (rest.startsWith(':')) xtError(PARAMETER_PROBLEM, 'Invalid port:port syntax - use dash');
  if (!rest.startsWith('-')) xtError(PARAMETER_PROBLEM, `Garbage after port value: \`${rest}'`);
  const m2 = /^(\d+)(.*)$/.exec(rest.slice(1));
  const max = m2 ? strtoui(m2[1]!, 0, 65535) : null;
  if (!m2 || max === null) xtError(PARAMETER_PROBLEM, `Port \`${rest.slice(1)}' not valid`);
  if (max < port) xtError(PARAMETER_PROBLEM, `Port range \`${rest.slice(1)}' funky`);
  if (m2[2]) xtError(PARAMETER_PROBLEM, `Garbage after port range: \`${m2[2]}'`);
  return port === max ? String(port) : `${port}-${max}`;
}

function isDotted(s: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(s) && s.split('.').every((p) => Number(p) <= 255);
}

function parseNatTo(db: NameDb, arg: string, portok: boolean): string {
  if (arg.includes('[')) xtError(PARAMETER_PROBLEM, 'Invalid address format');
  let colon = arg.indexOf(':');
  if (colon >= 0 && arg.indexOf(':', colon + 1) >= 0) colon = -1;
  let ports = '';
  let ipPart = arg;
  if (colon >= 0) {
    ports = parseNatPorts(db, arg.slice(colon + 1), portok);
    if (colon === 0) return `:${ports}`;
    ipPart = arg.slice(0, colon);
  }
  const dash = ipPart.indexOf('-');
  const a = dash >= 0 ? ipPart.slice(0, dash) : ipPart;
  if (!isDotted(a)) xtError(PARAMETER_PROBLEM, `Bad IP address "${a}"`);
  let ips = canonV4(a);
  if (dash >= 0) {
    const b = ipPart.slice(dash + 1);
    if (!isDotted(b)) xtError(PARAMETER_PROBLEM, `Bad IP address "${b}"`);
    if (canonV4(b) !== ips) ips += `-${canonV4(b)}`;
  }
  return ports ? `${ips}:${ports}` : ips;
}

function canonV4(s: string): string {
  return s
    .split('.')
    .map((p) => String(Number(p)))
    .join('.');
}

function natPortOk(rule: Rule): boolean {
  return [6, 17, 132, 33, 1].includes(ruleProtoNum(rule));
}

function natTarget(name: 'SNAT' | 'DNAT' | 'MASQUERADE' | 'REDIRECT'): ExtDef {
  const toKey = name === 'SNAT' ? 'to-source' : name === 'DNAT' ? 'to-destination' : 'to-ports';
  const opts: ExtOpt[] = [{ name: toKey, hasArg: 1, key: toKey, mand: name === 'SNAT' || name === 'DNAT' }, { name: 'random', hasArg: 0, key: 'random' }];
  if (name !== 'DNAT' && name !== 'REDIRECT') opts.push({ name: 'random-fully', hasArg: 0, key: 'random-fully' });
  if (name === 'SNAT' || name === 'DNAT') opts.push({ name: 'persistent', hasArg: 0, key: 'persistent' });
  const helps: Record<string, string> = {
    SNAT: 'SNAT target options:\n --to-source [<ipaddr>[-<ipaddr>]][:port[-port]]\n\t\t\t\tAddress to map source to.\n[--random] [--random-fully] [--persistent]\n',
    DNAT: 'DNAT target options:\n --to-destination [<ipaddr>[-<ipaddr>]][:port[-port[/port]]]\n\t\t\t\tAddress to map destination to.\n[--random] [--persistent]\n',
    MASQUERADE: 'MASQUERADE target options:\n --to-ports <port>[-<port>]\n\t\t\t\tPort (range) to map to.\n --random\n\t\t\t\tRandomize source port.\n --random-fully\n\t\t\t\tFully randomize source port.\n',
    REDIRECT: 'REDIRECT target options:\n --to-ports <port>[-<port>]\n\t\t\t\tPort (range) to map to.\n [--random]\n',
  };
  return {
    name,
    kind: 'target',
    opts,
    help: helps[name],
    parse(env, x, opt, arg) {
      if (opt.key === toKey) {
        x.options[toKey] = name === 'SNAT' || name === 'DNAT' ? parseNatTo(env.db, arg!, natPortOk(env.rule)) : parseNatPorts(env.db, arg!, natPortOk(env.rule));
      } else x.options[opt.key] = '';
    },
    print(_env, x) {
      const o = x.options;
      let s = '';
      const range = o[toKey];
      if (range !== undefined) {
        if (name === 'MASQUERADE') s += ` masq ports: ${range}`;
        else if (name === 'REDIRECT') s += ` redir ports ${range}`;
        else s += ` to:${range}`;
      }
      if (o.random !== undefined) s += ' random';
      if (o['random-fully'] !== undefined) s += ' random-fully';
      if (o.persistent !== undefined) s += ' persistent';
      return s;
    },
    save(x) {
      const o = x.options;
      let s = '';
      if (o[toKey] !== undefined) s += ` --${toKey} ${o[toKey]}`;
      if (o.random !== undefined) s += ' --random';
      if (o['random-fully'] !== undefined) s += ' --random-fully';
      if (o.persistent !== undefined) s += ' --persistent';
      return s;
    },
  };
}

/** The MARK option a target entry was given first (they all store as --set-xmark). */
const markFirstOption = new WeakMap<object, string>();

const markTarget: ExtDef = {
  name: 'MARK',
  kind: 'target',
  opts: [
    { name: 'set-xmark', hasArg: 1, key: 'set-xmark' },
    { name: 'set-mark', hasArg: 1, key: 'set-mark' },
    { name: 'and-mark', hasArg: 1, key: 'and-mark' },
    { name: 'or-mark', hasArg: 1, key: 'or-mark' },
    { name: 'xor-mark', hasArg: 1, key: 'xor-mark' },
  ],
  help: 'MARK target options:\n  --set-xmark value[/mask]  Clear bits in mask and XOR value into nfmark\n  --set-mark value[/mask]   Clear bits in mask and OR value into nfmark\n  --and-mark bits           Binary AND the nfmark with bits\n  --or-mark bits            Binary OR the nfmark with bits\n  --xor-mark bits           Binary XOR the nfmark with bits\n',
  parse(_env, x, opt, arg) {
    // every MARK option excludes the others (F_ANY): the message names the one given first
    const first = markFirstOption.get(x);
    if (x.options['set-xmark'] !== undefined) xtError(PARAMETER_PROBLEM, `MARK: option "--${opt.name}" cannot be used together with "--${first ?? 'set-xmark'}".\n`);
    markFirstOption.set(x, opt.name);
    const num = (s: string): number => {
      const v = strtoui(s, 0, 0xffffffff);
      if (v === null) xtError(PARAMETER_PROBLEM, `MARK: bad value for option "--${opt.name}", or out of range (0-4294967295).\n`);
      return v;
    };
    let mark: number;
    let mask: number;
    switch (opt.key) {
      case 'set-xmark':
      case 'set-mark': {
        const [v, m] = arg!.split('/');
        const val = num(v!);
        const msk = m === undefined ? 0xffffffff : num(m);
        mark = val;
        mask = opt.key === 'set-mark' ? (val | msk) >>> 0 : msk;
        break;
      }
      case 'and-mark':
        mark = 0;
        mask = ~num(arg!) >>> 0;
        break;
      case 'or-mark':
        mark = mask = num(arg!);
        break;
      default:
        mark = num(arg!);
        mask = 0;
    }
    x.options['set-xmark'] = `0x${mark.toString(16)}/0x${mask.toString(16)}`;
  },
  final(_env, x) {
    if (x.options['set-xmark'] === undefined) xtError(PARAMETER_PROBLEM, 'MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required');
  },
  print(_env, x) {
    const [mark, mask] = (x.options['set-xmark'] ?? '0x0/0x0').split('/').map((n) => Number(n) >>> 0) as [number, number];
    if (mark === 0) return ` MARK and 0x${(~mask >>> 0).toString(16)}`;
    if (mark === mask) return ` MARK or 0x${mark.toString(16)}`;
    if (mask === 0) return ` MARK xor 0x${mark.toString(16)}`;
    if (mask === 0xffffffff) return ` MARK set 0x${mark.toString(16)}`;
    return ` MARK xset 0x${mark.toString(16)}/0x${mask.toString(16)}`;
  },
  save(x) {
    return ` --set-xmark ${x.options['set-xmark'] ?? '0x0/0x0'}`;
  },
};

/** NOTRACK: libxt_CT's alias (CT revision 2 with XT_CT_NOTRACK_ALIAS): listed as target CT, saved as -j NOTRACK. */
const notrackTarget: ExtDef = {
  name: 'NOTRACK',
  kind: 'target',
  opts: [],
  parse() {},
  print: () => ' NOTRACK',
  save: () => '',
};

const ctTarget: ExtDef = {
  name: 'CT',
  kind: 'target',
  opts: [
    { name: 'notrack', hasArg: 0, key: 'notrack' },
    { name: 'helper', hasArg: 1, key: 'helper' },
  ],
  help: 'CT target options:\n --notrack\t\t\tDon\'t track connection\n --helper name\t\t\tUse conntrack helper \'name\' for connection\n --timeout name \t\tUse timeout policy \'name\' for connection\n --ctevents event[,event...]\tGenerate specified conntrack events for connection\n --expevents event[,event...]\tGenerate specified expectation events for connection\n --zone {ID|mark}\t\tAssign/Lookup connection in zone ID/packet nfmark\n --zone-orig {ID|mark}\t\tSame as \'zone\' option, but only applies to ORIGINAL direction\n --zone-reply {ID|mark} \tSame as \'zone\' option, but only applies to REPLY direction\n',
  parse(_env, x, opt, arg) {
    x.options[opt.key] = opt.key === 'helper' ? arg! : '';
  },
  print(_env, x) {
    let s = ' CT';
    if (x.options.notrack !== undefined) s += ' notrack';
    if (x.options.helper) s += ` helper ${x.options.helper}`;
    return s;
  },
  save(x) {
    let s = '';
    if (x.options.notrack !== undefined) s += ' --notrack';
    if (x.options.helper) s += ` --helper ${x.options.helper}`;
    return s;
  },
};

const standardTarget: ExtDef = {
  name: 'standard',
  kind: 'target',
  opts: [],
  help: 'standard match options:\n(If target is DROP, ACCEPT, RETURN or nothing)\n',
  parse() {},
  print: () => '',
  save: () => '',
};

const MATCHES: Record<string, ExtDef> = {
  tcp: tcpUdp('tcp'),
  udp: tcpUdp('udp'),
  icmp: icmpExt,
  comment: commentExt,
  conntrack: conntrackExt,
  state: stateExt,
  multiport: multiportExt,
  addrtype: addrtypeExt,
  statistic: statisticExt,
  mark: markExt,
  iprange: iprangeExt,
  limit: limitExt,
  mac: macExt,
};

const TARGET_EXTS: Record<string, ExtDef> = {
  REJECT: rejectExt,
  LOG: logExt,
  SNAT: natTarget('SNAT'),
  DNAT: natTarget('DNAT'),
  MASQUERADE: natTarget('MASQUERADE'),
  REDIRECT: natTarget('REDIRECT'),
  MARK: markTarget,
  NOTRACK: notrackTarget,
  CT: ctTarget,
};

function targetDef(name: string): ExtDef | null {
  if (name === 'ACCEPT' || name === 'DROP' || name === 'RETURN' || name === 'QUEUE' || name === '') return standardTarget;
  return TARGET_EXTS[name] ?? null;
}

// ---------------------------------------------------------------- parsing

const CMD = {
  NONE: 0,
  INSERT: 1 << 0,
  DELETE: 1 << 1,
  DELETE_NUM: 1 << 2,
  REPLACE: 1 << 3,
  APPEND: 1 << 4,
  LIST: 1 << 5,
  FLUSH: 1 << 6,
  ZERO: 1 << 7,
  NEW_CHAIN: 1 << 8,
  DELETE_CHAIN: 1 << 9,
  SET_POLICY: 1 << 10,
  RENAME_CHAIN: 1 << 11,
  LIST_RULES: 1 << 12,
  ZERO_NUM: 1 << 13,
  CHECK: 1 << 14,
} as const;

const CMD_CHARS = ['I', 'D', 'D', 'R', 'A', 'L', 'F', 'Z', 'N', 'X', 'P', 'E', 'S', 'Z', 'C'];

function cmd2char(cmd: number): string {
  let i = 0;
  for (let o = cmd; o > 1; o >>= 1) i++;
  return CMD_CHARS[i] ?? '?';
}

// option bits in optflags order: n s d p j v x i o --line c f
const OPT = { NUMERIC: 1, SOURCE: 2, DESTINATION: 4, PROTOCOL: 8, JUMP: 16, VERBOSE: 32, EXPANDED: 64, VIANAMEIN: 128, VIANAMEOUT: 256, LINENUMBERS: 512, COUNTERS: 1024, FRAGMENT: 2048 } as const;
const OPTFLAGS = ['n', 's', 'd', 'p', 'j', 'v', 'x', 'i', 'o', '0', 'c', 'f'];
const INVERTIBLE = new Set([OPT.SOURCE, OPT.DESTINATION, OPT.PROTOCOL, OPT.VIANAMEIN, OPT.VIANAMEOUT, OPT.FRAGMENT]);

function opt2char(o: number): string {
  let i = 0;
  for (let x = o; x > 1; x >>= 1) i++;
  return OPTFLAGS[i]!;
}

// commands_v_options: rows INSERT DELETE DELETE_NUM REPLACE APPEND LIST FLUSH ZERO NEW_CHAIN DEL_CHAIN SET_POLICY RENAME LIST_RULES ZERO_NUM CHECK
const CMD_V_OPTS = [
  'x     x  x  ',
  'x     x  xx ',
  'xxxxx xxxxxx',
  'x     x  x  ',
  'x     x  x  ',
  ' xxxx  xx xx',
  'xxxxx xxxxxx',
  'xxxxx xxxxxx',
  'xxxxx xxxxxx',
  'xxxxx xxxxxx',
  'xxxxx xxxx x',
  'xxxxx xxxxxx',
  'xxxxx xxxxxx',
  'xxxxx xxxxxx',
  'x     x  xx ',
];

function genericOptCheck(command: number, options: number): void {
  for (let i = 0; i < OPTFLAGS.length; i++) {
    let legal = 0;
    for (let j = 0; j < CMD_V_OPTS.length; j++) {
      if (!(command & (1 << j))) continue;
      if (options & (1 << i)) {
        if (CMD_V_OPTS[j]![i] !== 'x') legal = 1;
        else if (legal === 0) legal = -1;
      }
    }
    if (legal === -1) xtError(PARAMETER_PROBLEM, `Illegal option \`-${OPTFLAGS[i]}' with this command`);
  }
}

export interface ParsedCmd {
  command: number;
  table: string;
  chain: string | null;
  rulenum: number;
  newname: string | null;
  policy: string | null;
  options: number;
  verbose: number;
  rule: Rule;
  /** the addresses -s / -d expanded to (several for a name with several addresses, or a list) */
  sources: string[];
  dests: string[];
  /** a jump to a chain (not a target extension) */
  jumpChain: string | null;
  help: LoadedExt[] | null;
  version: boolean;
  /** warnings printed while parsing (xt_iprange: range ... is reversed) */
  warnings: string[];
}

function emptyRule(): Rule {
  return {
    protocol: null,
    protocolInvert: false,
    source: null,
    sourceInvert: false,
    destination: null,
    destinationInvert: false,
    inIface: null,
    inIfaceInvert: false,
    outIface: null,
    outIfaceInvert: false,
    fragment: null,
    matches: [],
    target: null,
    targetOptions: {},
    goto: false,
    packets: 0,
    bytes: 0,
  };
}

function hasArg(argv: string[], optind: number): boolean {
  return optind < argv.length && !argv[optind]!.startsWith('-') && !argv[optind]!.startsWith('!');
}

function parseRulenum(s: string): number {
  const n = strtoui(s, 1, 0x7fffffff);
  if (n === null) xtError(PARAMETER_PROBLEM, `Invalid rule number \`${s}'`);
  return n;
}

function parseProtocol(db: NameDb, s: string): number {
  const n = strtoui(s, 0, 255);
  if (n !== null) return n;
  const c = CHAIN_PROTOS.find(([p]) => p === s);
  if (c) return c[1];
  const p = db.protoNumber(s);
  if (p !== null) return p;
  xtError(PARAMETER_PROBLEM, `unknown protocol "${s}" specified`);
}

function parseIface(s: string): string {
  if (s.length + 1 > 16) xtError(PARAMETER_PROBLEM, `interface name \`${s}' must be shorter than IFNAMSIZ (15)`);
  return s;
}

/** Canonical "a.b.c.d/len" of an address/mask text, masked (what -s/-d store). */
function normaliseCidr(s: string): string {
  const [a, m] = s.split('/');
  let len = 32;
  if (m !== undefined) len = Number(m);
  const ip = canonV4(a!);
  const masked = intToV4((v4int(ip) & lenMask(len)) >>> 0);
  return `${masked}/${len}`;
}

function v4int(a: string): number {
  const p = a.split('.').map(Number);
  return ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
}

function intToV4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

function lenMask(len: number): number {
  return len <= 0 ? 0 : len >= 32 ? 0xffffffff : (0xffffffff << (32 - len)) >>> 0;
}

/** __numeric_to_ipaddr: dotted, with autocompletion of short network addresses ("10" -> 10.0.0.0, "10.1" -> 10.1.0.0). */
function numericToIp(s: string, isMask: boolean): string | null {
  const parts = s.split('.');
  if (parts.length > 4) return null;
  if (parts.length < 4 && isMask) return null;
  const bytes: number[] = [];
  for (const p of parts) {
    const v = strtoui(p, 0, 255);
    if (v === null) return null;
    bytes.push(v);
  }
  while (bytes.length < 4) bytes.push(0);
  return bytes.join('.');
}

function parseIpMask(m: string | undefined): number {
  if (m === undefined) return 32;
  const dotted = numericToIp(m, true);
  if (dotted !== null) {
    const v = v4int(dotted);
    for (let len = 32; len >= 0; len--) if (lenMask(len) === v) return len;
    return -v - 1; // non-contiguous mask, kept as a negative marker
  }
  const bits = strtoui(m, 0, 32);
  if (bits === null) xtError(PARAMETER_PROBLEM, `invalid mask \`${m}' specified`);
  return bits;
}

/** xtables_ipparse_multiple: "host[/mask][,host[/mask]...]" -> canonical CIDRs. */
function parseAddresses(sys: Sys, spec: string): string[] {
  const out: string[] = [];
  for (const raw of spec.split(',')) {
    const item = raw.replace(/^\s+/, '');
    const slash = item.lastIndexOf('/');
    const host = slash >= 0 ? item.slice(0, slash) : item;
    const len = parseIpMask(slash >= 0 ? item.slice(slash + 1) : undefined);
    const maskLen = len < 0 ? 32 : len;
    const name = maskLen === 0 && len >= 0 ? '0.0.0.0' : host;
    let addrs: string[];
    const num = numericToIp(name, false);
    if (num !== null) addrs = [num];
    else {
      const net = networkByName(sys, name);
      if (net !== null) addrs = [net];
      else {
        const h = lookupHostAddrs(sys, name);
        if (!h.length) xtError(PARAMETER_PROBLEM, `host/network \`${name}' not found`);
        addrs = h;
      }
    }
    for (const a of addrs) out.push(`${intToV4((v4int(a) & lenMask(maskLen)) >>> 0)}/${maskLen}`);
  }
  return out;
}

function networkByName(sys: Sys, name: string): string | null {
  const text = sys.readFile('/etc/networks') ?? '';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [n, addr, ...aliases] = line.split(/\s+/);
    if ((n === name || aliases.includes(name)) && addr) return numericToIp(addr, false);
  }
  return null;
}

/** do_parse(): the whole command line, with every check the real parser makes. */
export function parseCommandLine(sys: Sys, args: string[]): ParsedCmd {
  const db = nameDb(sys);
  const argv = ['iptables', ...args];
  const loaded: LoadedExt[] = [];
  let target: LoadedExt | null = null;
  const p: ParsedCmd = {
    command: CMD.NONE,
    table: 'filter',
    chain: null,
    rulenum: 0,
    newname: null,
    policy: null,
    options: 0,
    verbose: 0,
    rule: emptyRule(),
    sources: [],
    dests: [],
    jumpChain: null,
    help: null,
    version: false,
    warnings: [],
  };
  let protocol: string | null = null;
  let protoUsed = false;
  let invert = false;
  let shost: string | null = null;
  let dhost: string | null = null;
  const rule = p.rule;
  const extOpts = (): OptDef[] => {
    const out = [...ORIGINAL_OPTS];
    for (const l of [...loaded, ...(target ? [target] : [])]) for (const o of l.def.opts) out.push({ name: o.name, hasArg: o.hasArg, val: `${l.def.kind}:${l.def.name}:${o.name}`, ext: l });
    return out;
  };
  const g = new Getopt(argv, extOpts);
  const env: ParseEnv = { db, rule, argv, getopt: g, warnings: p.warnings };

  const addCommand = (newcmd: number, others: number): void => {
    if (invert) xtError(PARAMETER_PROBLEM, "unexpected '!' flag");
    if (p.command & ~others) xtError(PARAMETER_PROBLEM, `Cannot use -${cmd2char(newcmd)} with -${cmd2char(p.command & ~others)}`);
    p.command |= newcmd;
  };
  const setOption = (o: number): void => {
    if (p.options & o) xtError(PARAMETER_PROBLEM, `multiple -${opt2char(o)} flags not allowed`);
    p.options |= o;
    if (invert && !INVERTIBLE.has(o as never)) xtError(PARAMETER_PROBLEM, `cannot have ! before -${opt2char(o)}`);
  };
  const loadMatch = (name: string): LoadedExt => {
    const def = MATCHES[name];
    if (!def) xtError(PARAMETER_PROBLEM, `Couldn't load match \`${name}':No such file or directory\n`);
    const l: LoadedExt = { def, data: { name, options: {} }, seen: new Set() };
    loaded.push(l);
    return l;
  };

  for (;;) {
    const r = g.next();
    if (!r) break;
    const { c, optarg } = r;
    const lastArg = argv[g.optind - 1] ?? '';
    if (c === 1) {
      if (optarg === '!') {
        if (invert) xtError(PARAMETER_PROBLEM, 'multiple consecutive ! not allowed');
        invert = true;
        continue;
      }
      throw new XtError(PARAMETER_PROBLEM, `Bad argument \`${optarg}'\nTry \`iptables -h' or 'iptables --help' for more information.\n`);
    }
    if (r.def?.ext) {
      const l = r.def.ext;
      const opt = l.def.opts.find((o) => `${l.def.kind}:${l.def.name}:${o.name}` === c)!;
      if (c === ':' || (opt.hasArg && optarg === null)) xtError(PARAMETER_PROBLEM, `${l.def.name}: option "--${opt.name}" requires an argument.\n`);
      onceCheck(l.def, opt, l, invert, optarg);
      l.def.parse(env, l.data, opt, optarg, invert);
      l.seen.add(opt.key);
      invert = false;
      continue;
    }
    switch (c) {
      case 'A':
        addCommand(CMD.APPEND, CMD.NONE);
        p.chain = optarg;
        break;
      case 'C':
        addCommand(CMD.CHECK, CMD.NONE);
        p.chain = optarg;
        break;
      case 'D':
        addCommand(CMD.DELETE, CMD.NONE);
        p.chain = optarg;
        if (hasArg(argv, g.optind)) {
          p.rulenum = parseRulenum(argv[g.optind++]!);
          p.command = CMD.DELETE_NUM;
        }
        break;
      case 'R':
        addCommand(CMD.REPLACE, CMD.NONE);
        p.chain = optarg;
        if (hasArg(argv, g.optind)) p.rulenum = parseRulenum(argv[g.optind++]!);
        else xtError(PARAMETER_PROBLEM, '-R requires a rule number');
        break;
      case 'I':
        addCommand(CMD.INSERT, CMD.NONE);
        p.chain = optarg;
        if (hasArg(argv, g.optind)) p.rulenum = parseRulenum(argv[g.optind++]!);
        else p.rulenum = 1;
        break;
      case 'L':
        addCommand(CMD.LIST, CMD.ZERO | CMD.ZERO_NUM);
        if (optarg) p.chain = optarg;
        else if (hasArg(argv, g.optind)) p.chain = argv[g.optind++]!;
        if (hasArg(argv, g.optind)) p.rulenum = parseRulenum(argv[g.optind++]!);
        break;
      case 'S':
        addCommand(CMD.LIST_RULES, CMD.ZERO | CMD.ZERO_NUM);
        if (optarg) p.chain = optarg;
        else if (hasArg(argv, g.optind)) p.chain = argv[g.optind++]!;
        if (hasArg(argv, g.optind)) p.rulenum = parseRulenum(argv[g.optind++]!);
        break;
      case 'F':
        addCommand(CMD.FLUSH, CMD.NONE);
        if (optarg) p.chain = optarg;
        else if (hasArg(argv, g.optind)) p.chain = argv[g.optind++]!;
        break;
      case 'Z':
        addCommand(CMD.ZERO, CMD.LIST | CMD.LIST_RULES);
        if (optarg) p.chain = optarg;
        else if (hasArg(argv, g.optind)) p.chain = argv[g.optind++]!;
        if (hasArg(argv, g.optind)) {
          p.rulenum = parseRulenum(argv[g.optind++]!);
          p.command = (p.command & ~CMD.ZERO) | CMD.ZERO_NUM;
        }
        break;
      case 'N': {
        const name = optarg!;
        if (name.startsWith('-') || name.startsWith('!')) xtError(PARAMETER_PROBLEM, `chain name not allowed to start with \`${name[0]}'`);
        if (targetDef(name) && name !== '') xtError(PARAMETER_PROBLEM, 'chain name may not clash with target name');
        if (/\s/.test(name)) xtError(PARAMETER_PROBLEM, `Invalid chain name \`${name}'`);
        addCommand(CMD.NEW_CHAIN, CMD.NONE);
        p.chain = name;
        break;
      }
      case 'X':
        addCommand(CMD.DELETE_CHAIN, CMD.NONE);
        if (optarg) p.chain = optarg;
        else if (hasArg(argv, g.optind)) p.chain = argv[g.optind++]!;
        break;
      case 'E':
        addCommand(CMD.RENAME_CHAIN, CMD.NONE);
        p.chain = optarg;
        if (hasArg(argv, g.optind)) p.newname = argv[g.optind++]!;
        else xtError(PARAMETER_PROBLEM, '-E requires old-chain-name and new-chain-name');
        break;
      case 'P':
        addCommand(CMD.SET_POLICY, CMD.NONE);
        p.chain = optarg;
        if (hasArg(argv, g.optind)) p.policy = argv[g.optind++]!;
        else xtError(PARAMETER_PROBLEM, '-P requires a chain and a policy');
        break;
      case 'h': {
        if (loaded.length === 0 && protocol) {
          const name = MATCHES[protocol] ? protocol : protoToName(db, parseProtocol(db, protocol), false);
          if (name && MATCHES[name]) loadMatch(name);
        }
        p.help = [...(target ? [target] : []), ...loaded];
        return p;
      }
      case 'p': {
        setOption(OPT.PROTOCOL);
        const s = optarg!.toLowerCase();
        protocol = s;
        const n = parseProtocol(db, s);
        if (n === 0 && invert) xtError(PARAMETER_PROBLEM, 'rule would never match protocol');
        rule.protocol = n === 0 ? null : (chainProtoName(n) ?? String(n));
        if (CHAIN_PROTOS.some(([name]) => name === s) && n !== 0) rule.protocol = s === 'ipv6-icmp' || s === 'icmpv6' ? s : chainProtoName(n)!;
        if (n === 0) rule.protocol = null;
        rule.protocolInvert = invert;
        break;
      }
      case 's':
        setOption(OPT.SOURCE);
        rule.sourceInvert = invert;
        shost = optarg!;
        break;
      case 'd':
        setOption(OPT.DESTINATION);
        rule.destinationInvert = invert;
        dhost = optarg!;
        break;
      case 'g':
        setOption(OPT.JUMP);
        if (!optarg || optarg.length < 1) xtError(PARAMETER_PROBLEM, 'Invalid target name (too short)');
        rule.goto = true;
        rule.target = optarg;
        break;
      case 'j': {
        setOption(OPT.JUMP);
        const name = optarg!;
        if (name.length < 1) xtError(PARAMETER_PROBLEM, 'Invalid target name (too short)');
        if (name.length >= 29) xtError(PARAMETER_PROBLEM, `Invalid target name \`${name}' (28 chars max)`);
        if (/\s/.test(name)) xtError(PARAMETER_PROBLEM, `Invalid target name \`${name}'`);
        rule.target = name;
        const def = targetDef(name);
        if (def) target = { def, data: { name, options: {} }, seen: new Set() };
        break;
      }
      case 'i':
        if (optarg === '') xtError(PARAMETER_PROBLEM, 'Empty interface is likely to be undesired');
        setOption(OPT.VIANAMEIN);
        rule.inIface = parseIface(optarg!);
        rule.inIfaceInvert = invert;
        break;
      case 'o':
        if (optarg === '') xtError(PARAMETER_PROBLEM, 'Empty interface is likely to be undesired');
        setOption(OPT.VIANAMEOUT);
        rule.outIface = parseIface(optarg!);
        rule.outIfaceInvert = invert;
        break;
      case 'f':
        setOption(OPT.FRAGMENT);
        rule.fragment = !invert;
        break;
      case 'v':
        if (!p.verbose) setOption(OPT.VERBOSE);
        p.verbose++;
        break;
      case 'm': {
        if (invert) xtError(PARAMETER_PROBLEM, 'unexpected ! flag before --match');
        const name = optarg!;
        const existing = loaded.find((l) => l.def.name === name);
        if (!existing) loadMatch(name);
        break;
      }
      case 'n':
        setOption(OPT.NUMERIC);
        break;
      case 't':
        if (invert) xtError(PARAMETER_PROBLEM, 'unexpected ! flag before --table');
        p.table = optarg!;
        break;
      case 'x':
        setOption(OPT.EXPANDED);
        break;
      case 'V':
        p.version = true;
        return p;
      case 'w':
      case 'W':
      case 'M':
      case '4':
        break;
      case '6':
        throw new XtError(PARAMETER_PROBLEM, "Try `iptables -h' or 'iptables --help' for more information.\n");
      case '0':
        setOption(OPT.LINENUMBERS);
        break;
      case 'c': {
        setOption(OPT.COUNTERS);
        const pc = optarg!;
        let bc: string | null = pc.includes(',') ? pc.slice(pc.indexOf(',') + 1) : null;
        if (bc === null && hasArg(argv, g.optind)) bc = argv[g.optind++]!;
        if (bc === null) xtError(PARAMETER_PROBLEM, '-c requires packet and byte counter');
        const pn = /^\d+/.exec(pc);
        const bn = /^\d+/.exec(bc);
        if (!pn) xtError(PARAMETER_PROBLEM, '-c packet counter not numeric');
        if (!bn) xtError(PARAMETER_PROBLEM, '-c byte counter not numeric');
        rule.packets = Number(pn[0]);
        rule.bytes = Number(bn[0]);
        break;
      }
      default: {
        // command_default(): an option no loaded extension knows; maybe the
        // protocol's match takes it (-p tcp --dport 22 loads "tcp")
        const pm = protocol !== null && !protoUsed ? protoMatchName(db, protocol) : null;
        if (pm && !loaded.some((l) => l.def.name === pm)) {
          loadMatch(pm);
          protoUsed = true;
          // rerun getopt on the same argument
          g.optind = g.optind - (c === ':' && r.def?.hasArg === 1 ? 1 : 1);
          continue;
        }
        if (c === ':') xtError(PARAMETER_PROBLEM, `option "${lastArg}" requires an argument`);
        if (c === '?') xtError(PARAMETER_PROBLEM, `unknown option "${lastArg}"`);
        xtError(PARAMETER_PROBLEM, `Unknown arg "${optarg ?? '(null)'}"`);
      }
    }
    invert = false;
  }

  if (p.table === 'nat' && (p.policy === 'DROP' || rule.target === 'DROP')) xtError(PARAMETER_PROBLEM, '\nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n');

  for (const l of loaded) {
    for (const o of l.def.opts) if (o.mand && !l.seen.has(o.key)) xtError(PARAMETER_PROBLEM, `${l.def.name}: option "--${o.name}" must be specified\n`);
    l.def.final?.(env, l.data, l.seen);
  }
  if (target) {
    for (const o of target.def.opts) if (o.mand && !target.seen.has(o.key)) xtError(PARAMETER_PROBLEM, `${target.def.name}: option "--${o.name}" must be specified\n`);
    target.def.final?.(env, target.data, target.seen);
  }

  if (g.optind < argv.length) xtError(PARAMETER_PROBLEM, 'unknown arguments found on commandline');
  if (!p.command) xtError(PARAMETER_PROBLEM, 'no command specified');
  if (invert) xtError(PARAMETER_PROBLEM, 'nothing appropriate following !');

  // ipv4_post_parse
  const ruleCmds = CMD.REPLACE | CMD.INSERT | CMD.DELETE | CMD.APPEND | CMD.CHECK;
  if (p.command & ruleCmds) {
    if (!(p.options & OPT.DESTINATION)) dhost = '0.0.0.0/0';
    if (!(p.options & OPT.SOURCE)) shost = '0.0.0.0/0';
  }
  if (shost !== null) p.sources = parseAddresses(sys, shost);
  if (dhost !== null) p.dests = parseAddresses(sys, dhost);
  if ((p.sources.length > 1 || p.dests.length > 1) && (rule.sourceInvert || rule.destinationInvert)) xtError(PARAMETER_PROBLEM, '! not allowed with multiple source or destination IP addresses');
  if (p.command === CMD.REPLACE && (p.sources.length !== 1 || p.dests.length !== 1)) xtError(PARAMETER_PROBLEM, 'Replacement rule does not specify a unique address');

  genericOptCheck(p.command, p.options);

  if (p.chain !== null && p.chain.length >= 29) xtError(PARAMETER_PROBLEM, `chain name \`${p.chain}' too long (must be under 29 chars)`);

  if (p.command & (CMD.APPEND | CMD.DELETE | CMD.DELETE_NUM | CMD.CHECK | CMD.INSERT | CMD.REPLACE)) {
    if ((p.chain === 'PREROUTING' || p.chain === 'INPUT') && p.options & OPT.VIANAMEOUT) xtError(PARAMETER_PROBLEM, `Can't use -o with ${p.chain}\n`);
    if ((p.chain === 'POSTROUTING' || p.chain === 'OUTPUT') && p.options & OPT.VIANAMEIN) xtError(PARAMETER_PROBLEM, `Can't use -i with ${p.chain}\n`);
  }

  rule.matches = loaded.map((l) => l.data);
  if (target) rule.targetOptions = Object.fromEntries(Object.entries(target.data.options).filter(([k]) => !k.startsWith('_')));
  if (rule.target !== null && !targetDef(rule.target)) p.jumpChain = rule.target;
  return p;
}

/** The protocol match implicitly loadable for `-p NAME` (find_proto). */
function protoMatchName(db: NameDb, protocol: string): string | null {
  const n = strtoui(protocol, 0, 255);
  const name = n !== null ? protoToName(db, n, false) : protocol;
  return name && MATCHES[name] && ['tcp', 'udp', 'icmp'].includes(name) ? name : null;
}

// ---------------------------------------------------------------- printing

const FMT = {
  NUMERIC: 0x0001,
  NOCOUNTS: 0x0002,
  KILOMEGAGIGA: 0x0004,
  OPTIONS: 0x0008,
  NOTABLE: 0x0010,
  NOTARGET: 0x0020,
  VIA: 0x0040,
  NONEWLINE: 0x0080,
  LINENUMBERS: 0x0100,
};

function padEnd(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function padStart(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

function printNum(n: number, format: number): string {
  if (!(format & FMT.KILOMEGAGIGA)) return `${padStart(String(n), 8)} `;
  if (n <= 99999) return `${padStart(String(n), 5)} `;
  let v = Math.floor((n + 500) / 1000);
  if (v <= 9999) return `${padStart(String(v), 4)}K `;
  v = Math.floor((v + 500) / 1000);
  if (v <= 9999) return `${padStart(String(v), 4)}M `;
  v = Math.floor((v + 500) / 1000);
  if (v <= 9999) return `${padStart(String(v), 4)}G `;
  v = Math.floor((v + 500) / 1000);
  return `${padStart(String(v), 4)}T `;
}

function printHeader(format: number, chain: Chain, refs: number): string {
  let s = `Chain ${chain.name}`;
  if (chain.builtin) {
    s += ` (policy ${chain.policy ?? 'ACCEPT'}`;
    // iptables-nft: a base chain has counters (policy hits) only after -Z or -P; else 0
    if (!(format & FMT.NOCOUNTS)) s += ` ${printNum(chain.packets, format | FMT.NOTABLE).trimStart()}packets, ${printNum(chain.bytes, format | FMT.NOTABLE).trimStart()}bytes`;
    s += ')\n';
  } else s += ` (${refs} references)\n`;
  if (format & FMT.LINENUMBERS) s += 'num  ';
  if (!(format & FMT.NOCOUNTS)) s += format & FMT.KILOMEGAGIGA ? ' pkts bytes ' : `${padStart('pkts', 8)} ${padStart('bytes', 10)} `;
  s += 'target    ';
  s += ' prot ';
  s += 'opt';
  if (format & FMT.VIA) s += ' in     out    ';
  s += ` ${padEnd('source', 19)} `;
  s += ` ${padEnd('destination', 19)} `;
  return `${s}\n`;
}

export interface AddrNamer {
  (addr: string): string;
}

function addrToString(cidr: string | null, format: number, namer: AddrNamer): string {
  const c = cidr ?? '0.0.0.0/0';
  const [a, lenText] = c.split('/');
  const len = Number(lenText ?? '32');
  if (len === 0 && !(format & FMT.NUMERIC)) return 'anywhere';
  const name = format & FMT.NUMERIC ? a! : namer(a!);
  return len === 32 ? name : `${name}/${len}`;
}

function ruleTargetName(r: Rule): string {
  // NOTRACK is CT under an alias: the listing's target column names the real target
  if (r.target === 'NOTRACK') return 'CT';
  return r.target ?? '';
}

function printMatchesAndTarget(env: PrintEnv, r: Rule): string {
  let s = '';
  for (const m of r.matches) {
    const def = MATCHES[m.name];
    if (def) s += def.print(env, m, r);
  }
  const tdef = r.target !== null ? targetDef(r.target) : null;
  if (tdef && tdef !== standardTarget) s += tdef.print(env, { name: r.target!, options: r.targetOptions }, r);
  return s;
}

/** One rule as -L prints it (or, with NOTABLE, as `-v -A` echoes it). */
export function printRule(db: NameDb, r: Rule, num: number, format: number, namer: AddrNamer): string {
  const nt = (format & FMT.NOTABLE) !== 0;
  let s = '';
  if (format & FMT.LINENUMBERS) s += nt ? `${num} ` : padEnd(String(num), 4) + ' ';
  if (!(format & FMT.NOCOUNTS)) s += printNum(r.packets, format) + printNum(r.bytes, format);
  s += nt ? `${ruleTargetName(r)} ` : padEnd(ruleTargetName(r), 9) + ' ';
  s += r.protocolInvert ? '!' : ' ';
  const pnum = ruleProtoNum(r);
  const pname = protoToName(db, pnum, !!(format & FMT.NUMERIC));
  if ((format & (FMT.NUMERIC | FMT.NOTABLE)) === FMT.NUMERIC || !pname) s += nt ? `${pnum} ` : padEnd(String(pnum), 4) + ' ';
  else s += nt ? `${pname} ` : padEnd(pname, 4) + ' ';
  // print_fragment
  if (nt) s += 'opt ';
  s += (r.fragment === false ? '!' : '-') + (r.fragment !== null ? 'f' : '-') + ' ';
  if (format & FMT.VIA) {
    const any = format & FMT.NUMERIC ? '*' : 'any';
    const inName = (r.inIfaceInvert ? '!' : '') + (r.inIface ?? any);
    const outName = (r.outIfaceInvert ? '!' : '') + (r.outIface ?? any);
    s += nt ? `in ${inName} out ${outName} ` : ` ${padEnd(inName, 6)} ${padEnd(outName, 6)} `;
  }
  s += r.sourceInvert ? '!' : ' ';
  s += nt ? `${addrToString(r.source, format, namer)} ` : padEnd(addrToString(r.source, format, namer), 19) + ' ';
  s += r.destinationInvert ? '!' : ' ';
  s += nt ? `-> ${addrToString(r.destination, format, namer)}` : padEnd(addrToString(r.destination, format, namer), 19) + ' ';
  if (nt) s += '  ';
  if (r.goto) s += '[goto] ';
  s += printMatchesAndTarget({ db, numeric: !!(format & FMT.NUMERIC) }, r);
  return `${s}\n`;
}

/** FMT_PRINT_RULE: how -v echoes a rule it adds, inserts, deletes or checks. */
function echoRule(db: NameDb, r: Rule): string {
  return printRule(db, r, 0, FMT.NOCOUNTS | FMT.OPTIONS | FMT.VIA | FMT.NUMERIC | FMT.NOTABLE, (a) => a);
}

function maskToStr(len: number): string {
  return String(len);
}

/** One rule as -S / iptables-save print it (without the "-A CHAIN" prefix). */
export function saveRule(db: NameDb, r: Rule): string {
  let s = '';
  const saveAddr = (letter: string, cidr: string | null, inv: boolean): void => {
    if (cidr === null && !inv) return;
    const c = cidr ?? '0.0.0.0/0';
    const [a, len] = c.split('/');
    if (len === '0' && !inv && a === '0.0.0.0') return;
    s += `${inv ? ' !' : ''} -${letter} ${a}/${maskToStr(Number(len ?? '32'))}`;
  };
  saveAddr('s', r.source, r.sourceInvert);
  saveAddr('d', r.destination, r.destinationInvert);
  if (r.inIface !== null) s += `${r.inIfaceInvert ? ' !' : ''} -i ${r.inIface}`;
  if (r.outIface !== null) s += `${r.outIfaceInvert ? ' !' : ''} -o ${r.outIface}`;
  const pnum = ruleProtoNum(r);
  if (pnum > 0) {
    const pname = protoToName(db, pnum, false);
    s += `${r.protocolInvert ? ' !' : ''} -p ${pname ?? pnum}`;
  }
  if (r.fragment !== null) s += `${r.fragment ? '' : ' !'} -f`;
  for (const m of r.matches) {
    const def = MATCHES[m.name];
    s += ` -m ${m.name}`;
    if (def) s += def.save(m, r, db);
  }
  if (r.target !== null) {
    const tdef = targetDef(r.target);
    if (tdef) {
      s += ` -j ${r.target}`;
      if (tdef !== standardTarget) s += tdef.save({ name: r.target, options: r.targetOptions }, r, db);
    } else s += ` -${r.goto ? 'g' : 'j'} ${r.target}`;
  }
  return s;
}

function saveRuleWithCounters(db: NameDb, r: Rule, withCounters: boolean): string {
  const body = saveRule(db, r);
  if (!withCounters) return body;
  // -c goes before the target
  const jm = / -[jg] \S+.*$/.exec(body);
  const ctr = ` -c ${r.packets} ${r.bytes}`;
  return jm ? body.slice(0, jm.index) + ctr + body.slice(jm.index) : body + ctr;
}

/** nft_chain_zero_counters() with -v: one line per chain zeroed. */
function zeroingLines(ns: Netns, table: NfTableName, chain: string | null): string {
  const names = chain === null ? listChains(ns, table).map((c) => c.name) : [chain];
  return names.map((n) => `Zeroing chain \`${n}'\n`).join('');
}

/** The -S listing of a table or a chain. */
export function listRules(db: NameDb, ns: Netns, table: NfTableName, chain: string | null, rulenum: number, counters: boolean): string {
  const chains = chain === null ? listChains(ns, table) : listChains(ns, table).filter((c) => c.name === chain);
  let out = '';
  if (!rulenum) {
    for (const c of chains) {
      if (!c.builtin) out += `-N ${c.name}\n`;
      else out += `-P ${c.name} ${c.policy ?? 'ACCEPT'}${counters ? ` -c ${c.packets} ${c.bytes}` : ''}\n`;
    }
  }
  for (const c of chains) {
    c.rules.forEach((r, i) => {
      if (rulenum && i + 1 !== rulenum) return;
      out += `-A ${c.name}${saveRuleWithCounters(db, r, counters)}\n`;
    });
  }
  return out;
}

/** The body of iptables-save for one table (between "*table" and "COMMIT"). */
export function saveTable(db: NameDb, ns: Netns, table: NfTableName, counters: boolean): string {
  let out = '';
  const chains = listChains(ns, table);
  for (const c of chains) out += `:${c.name} ${c.builtin ? (c.policy ?? 'ACCEPT') : '-'} [${c.builtin ? c.packets : 0}:${c.builtin ? c.bytes : 0}]\n`;
  for (const c of chains) for (const r of c.rules) out += `${counters ? `[${r.packets}:${r.bytes}] ` : ''}-A ${c.name}${saveRule(db, r)}\n`;
  return out;
}

function listEntries(sys: Sys, db: NameDb, ns: Netns, table: NfTableName, chain: string | null, rulenum: number, format: number): string {
  const namer: AddrNamer = (a) => lookupAddrName(sys, a) ?? a;
  const chains = chain === null ? listChains(ns, table) : listChains(ns, table).filter((c) => c.name === chain);
  let out = '';
  let found = false;
  for (const c of chains) {
    if (rulenum) {
      const r = c.rules[rulenum - 1];
      if (r) out += printRule(db, r, rulenum, format, namer);
      continue;
    }
    if (found) out += '\n';
    found = true;
    out += printHeader(format, c, chainReferences(ns, table, c.name));
    c.rules.forEach((r, i) => {
      out += printRule(db, r, i + 1, format, namer);
    });
  }
  return out;
}

// ---------------------------------------------------------------- help

function helpText(loaded: LoadedExt[]): string {
  const P = 'iptables';
  let s = `${P} v${IPT_VERSION}\n\n`;
  s += `Usage: ${P} -[ACD] chain rule-specification [options]\n`;
  s += `       ${P} -I chain [rulenum] rule-specification [options]\n`;
  s += `       ${P} -R chain rulenum rule-specification [options]\n`;
  s += `       ${P} -D chain rulenum [options]\n`;
  s += `       ${P} -[LS] [chain [rulenum]] [options]\n`;
  s += `       ${P} -[FZ] [chain] [options]\n`;
  s += `       ${P} -[NX] chain\n`;
  s += `       ${P} -E old-chain-name new-chain-name\n`;
  s += `       ${P} -P chain target [options]\n`;
  s += `       ${P} -h (print this help information)\n\n`;
  s +=
    'Commands:\n' +
    'Either long or short options are allowed.\n' +
    '  --append  -A chain\t\tAppend to chain\n' +
    '  --check   -C chain\t\tCheck for the existence of a rule\n' +
    '  --delete  -D chain\t\tDelete matching rule from chain\n' +
    '  --delete  -D chain rulenum\n' +
    '\t\t\t\tDelete rule rulenum (1 = first) from chain\n' +
    '  --insert  -I chain [rulenum]\n' +
    '\t\t\t\tInsert in chain as rulenum (default 1=first)\n' +
    '  --replace -R chain rulenum\n' +
    '\t\t\t\tReplace rule rulenum (1 = first) in chain\n' +
    '  --list    -L [chain [rulenum]]\n' +
    '\t\t\t\tList the rules in a chain or all chains\n' +
    '  --list-rules -S [chain [rulenum]]\n' +
    '\t\t\t\tPrint the rules in a chain or all chains\n' +
    '  --flush   -F [chain]\t\tDelete all rules in  chain or all chains\n' +
    '  --zero    -Z [chain [rulenum]]\n' +
    '\t\t\t\tZero counters in chain or all chains\n' +
    '  --new     -N chain\t\tCreate a new user-defined chain\n' +
    '  --delete-chain\n' +
    '            -X [chain]\t\tDelete a user-defined chain\n' +
    '  --policy  -P chain target\n' +
    '\t\t\t\tChange policy on chain to target\n' +
    '  --rename-chain\n' +
    '            -E old-chain new-chain\n' +
    '\t\t\t\tChange chain name, (moving any references)\n' +
    '\n' +
    'Options:\n' +
    '    --ipv4\t-4\t\tNothing (line is ignored by ip6tables-restore)\n' +
    '    --ipv6\t-6\t\tError (line is ignored by iptables-restore)\n' +
    "[!] --protocol\t-p proto\tprotocol: by number or name, eg. `tcp'\n" +
    '[!] --source\t-s address[/mask][...]\n' +
    '\t\t\t\tsource specification\n' +
    '[!] --destination -d address[/mask][...]\n' +
    '\t\t\t\tdestination specification\n' +
    '[!] --in-interface -i input name[+]\n' +
    '\t\t\t\tnetwork interface name ([+] for wildcard)\n' +
    ' --jump\t-j target\n' +
    '\t\t\t\ttarget for rule (may load target extension)\n' +
    '  --goto      -g chain\n' +
    '\t\t\t       jump to chain with no return\n' +
    '  --match\t-m match\n' +
    '\t\t\t\textended match (may load extension)\n' +
    '  --numeric\t-n\t\tnumeric output of addresses and ports\n' +
    '[!] --out-interface -o output name[+]\n' +
    '\t\t\t\tnetwork interface name ([+] for wildcard)\n' +
    "  --table\t-t table\ttable to manipulate (default: `filter')\n" +
    '  --verbose\t-v\t\tverbose mode\n' +
    '  --wait\t-w [seconds]\tmaximum wait to acquire xtables lock before give up\n' +
    '  --line-numbers\t\tprint line numbers when listing\n' +
    '  --exact\t-x\t\texpand numbers (display exact values)\n' +
    '[!] --fragment\t-f\t\tmatch second or further fragments only\n' +
    '  --modprobe=<command>\t\ttry to insert modules using this command\n' +
    '  --set-counters -c PKTS BYTES\tset the counter during insert/append\n' +
    '[!] --version\t-V\t\tprint package version.\n';
  for (const l of loaded) {
    s += '\n';
    s += l.def.help ?? `${l.def.name} does not take any options\n`;
  }
  return s;
}

// ---------------------------------------------------------------- execution

/** nft_strerror() of an operation. */
function nftStrerror(op: string, errno: string): string {
  const table: [string | null, string, string][] = [
    ['chain_del', 'ENOTEMPTY', 'Chain is not empty'],
    ['chain_del', 'EBUSY', 'Directory not empty'],
    ['chain_user_add', 'EEXIST', 'Chain already exists'],
    ['chain_user_rename', 'EEXIST', 'File exists'],
    ['rule_insert', 'E2BIG', 'Index of insertion too big'],
    ['rule_check', 'ENOENT', 'Bad rule (does a matching rule exist in that chain?)'],
    ['rule_replace', 'E2BIG', 'Index of replacement too big'],
    ['rule_delete_num', 'E2BIG', 'Index of deletion too big'],
    ['rule_delete', 'ENOENT', 'Bad rule (does a matching rule exist in that chain?)'],
    ['chain_set', 'ENOENT', 'Bad built-in chain name'],
    ['chain_set', 'EINVAL', 'Bad policy name'],
    ['chain_set', 'ENXIO', 'Bad table name'],
    [null, 'ELOOP', 'Loop found in table'],
    [null, 'EPERM', 'Permission denied (you must be root)'],
    [null, 'ENOMEM', 'Memory allocation problem'],
    [null, 'ENOENT', 'No chain/target/match by that name'],
  ];
  for (const [fn, e, msg] of table) if ((fn === null || fn === op) && e === errno) return msg;
  return STRERROR[errno as keyof typeof STRERROR] ?? errno;
}

function opFail(op: string, errno: string): CmdResult {
  const msg = nftStrerror(op, errno);
  return { stdout: '', stderr: `iptables: ${msg}.${errno === 'EINVAL' ? " Run `dmesg' for more information." : ''}\n`, exitCode: 1 };
}

/** Rules a command line stands for: one per source x destination. */
function expandRules(p: ParsedCmd): Rule[] {
  const srcs = p.sources.length ? p.sources : ['0.0.0.0/0'];
  const dsts = p.dests.length ? p.dests : ['0.0.0.0/0'];
  const out: Rule[] = [];
  for (const s of srcs)
    for (const d of dsts) {
      const r: Rule = JSON.parse(JSON.stringify(p.rule)) as Rule;
      r.source = s === '0.0.0.0/0' && !r.sourceInvert ? null : s;
      r.destination = d === '0.0.0.0/0' && !r.destinationInvert ? null : d;
      out.push(r);
    }
  return out;
}

function run(sys: Sys, args: string[]): CmdResult {
  const p = parseCommandLine(sys, args);
  const res = runParsed(sys, p);
  return p.warnings.length ? { ...res, stderr: p.warnings.join('') + res.stderr } : res;
}

function runParsed(sys: Sys, p: ParsedCmd): CmdResult {
  if (p.version) return { stdout: `iptables v${IPT_VERSION}\n`, stderr: '', exitCode: 0 };
  if (p.help) return { stdout: helpText(p.help), stderr: '', exitCode: 0 };
  if (!isBuiltinTable(p.table)) xtError(VERSION_PROBLEM, `table '${p.table}' does not exist`);
  const table = p.table;
  const ns = sys.world.ns(sys.ns);
  const db = nameDb(sys);
  const chain = p.chain;
  const ok = (stdout = ''): CmdResult => ({ stdout, stderr: '', exitCode: 0 });
  const assertJump = (): void => {
    if (p.jumpChain !== null && !findChain(ns, table, p.jumpChain)) xtError(PARAMETER_PROBLEM, `Chain '${p.jumpChain}' does not exist`);
  };
  const kernel = (op: string, fn: () => void): CmdResult | null => {
    try {
      fn();
      return null;
    } catch (e) {
      if (isKernelError(e)) {
        if (e.errno === 'EBUSY' && op === 'chain_del' && e.extack) return { stdout: '', stderr: `iptables v${IPT_VERSION}:  CHAIN_DEL failed (Device or resource busy): chain ${e.extack}\n`, exitCode: RESOURCE_PROBLEM };
        if (e.errno === 'ELOOP') return { stdout: '', stderr: `iptables v${IPT_VERSION}:  RULE_APPEND failed (Too many levels of symbolic links): rule in chain ${chain}\n`, exitCode: RESOURCE_PROBLEM };
        return opFail(op, e.errno);
      }
      throw e;
    }
  };
  // every change is all-or-nothing: work on a copy of the namespace's netfilter state
  const transact = (op: string, fn: () => void): CmdResult => {
    const saved = JSON.stringify(ns.netfilter);
    const res = kernel(op, fn);
    if (res) ns.netfilter = JSON.parse(saved) as typeof ns.netfilter;
    return res ?? ok();
  };
  // what the kernel's x_tables checkentry refuses (EINVAL at commit time)
  const targetInvalid = (): CmdResult | null => {
    const tg = p.rule.target;
    if (!(p.command & (CMD.APPEND | CMD.INSERT | CMD.REPLACE)) || chain === null) return null;
    const builtin = isBuiltinChain(table, chain);
    const hooks: Record<string, { table: string; chains: string[] }> = {
      MASQUERADE: { table: 'nat', chains: ['POSTROUTING'] },
      SNAT: { table: 'nat', chains: ['POSTROUTING', 'INPUT'] },
      DNAT: { table: 'nat', chains: ['PREROUTING', 'OUTPUT'] },
      REDIRECT: { table: 'nat', chains: ['PREROUTING', 'OUTPUT'] },
      REJECT: { table: 'filter', chains: ['INPUT', 'FORWARD', 'OUTPUT'] },
      NOTRACK: { table: 'raw', chains: ['PREROUTING', 'OUTPUT'] },
      CT: { table: 'raw', chains: ['PREROUTING', 'OUTPUT'] },
    };
    const h = tg ? hooks[tg] : undefined;
    let bad = false;
    if (h && (table !== h.table || (builtin && !h.chains.includes(chain)))) bad = true;
    // xt_mac: only where a frame came in (PREROUTING, INPUT, FORWARD)
    if (builtin && p.rule.matches.some((m) => m.name === 'mac') && !['PREROUTING', 'INPUT', 'FORWARD'].includes(chain)) bad = true;
    if (tg === 'REJECT' && p.rule.targetOptions['reject-with'] === 'tcp-reset' && (ruleProtoNum(p.rule) !== 6 || p.rule.protocolInvert)) bad = true;
    if (!bad) return null;
    const op = p.command === CMD.INSERT ? 'RULE_INSERT' : p.command === CMD.REPLACE ? 'RULE_REPLACE' : 'RULE_APPEND';
    return { stdout: '', stderr: `iptables v${IPT_VERSION}:  ${op} failed (Invalid argument): rule in chain ${chain}\n`, exitCode: RESOURCE_PROBLEM };
  };
  const jumpToBase = (): CmdResult | null => {
    if (p.jumpChain !== null && isBuiltinChain(table, p.jumpChain) && findChain(ns, table, p.jumpChain))
      return { stdout: '', stderr: `iptables v${IPT_VERSION}:  RULE_${p.command === CMD.INSERT ? 'INSERT' : p.command === CMD.REPLACE ? 'REPLACE' : 'APPEND'} failed (Operation not supported): rule in chain ${chain}\n`, exitCode: RESOURCE_PROBLEM };
    return null;
  };
  const withEcho = (res: CmdResult): CmdResult => {
    if (!(p.options & OPT.VERBOSE) || (res.exitCode !== 0 && res.exitCode !== RESOURCE_PROBLEM)) return res;
    const echo = rules().map((r) => echoRule(db, r)).join('');
    return { ...res, stdout: echo + res.stdout };
  };
  const rules = (): Rule[] => expandRules(p).map((r) => ({ ...r, matches: r.matches.map((m) => ({ ...m, options: Object.fromEntries(Object.entries(m.options).filter(([k]) => !k.startsWith('_'))) })) }));

  switch (p.command) {
    case CMD.APPEND:
      assertJump();
      return withEcho(
        jumpToBase() ??
          targetInvalid() ??
          transact('rule_append', () => {
            for (const r of rules()) appendRule(ns, table, chain!, r);
          }),
      );
    case CMD.INSERT:
      assertJump();
      return withEcho(
        jumpToBase() ??
          targetInvalid() ??
          transact('rule_insert', () => {
            const rs = rules();
            rs.forEach((r, i) => insertRule(ns, table, chain!, p.rulenum + i, r));
          }),
      );
    case CMD.REPLACE:
      assertJump();
      return (
        jumpToBase() ??
        targetInvalid() ??
        transact('rule_replace', () => {
          replaceRule(ns, table, chain!, p.rulenum, rules()[0]!);
        })
      );
    case CMD.DELETE:
      assertJump();
      return withEcho(
        transact('rule_delete', () => {
          for (const r of rules()) deleteRuleSpec(ns, table, chain!, r);
        }),
      );
    case CMD.DELETE_NUM:
      return transact('rule_delete_num', () => {
        deleteRuleNum(ns, table, chain!, p.rulenum);
      });
    case CMD.CHECK: {
      assertJump();
      let found = true;
      const res = kernel('rule_check', () => {
        for (const r of rules()) if (!checkRule(ns, table, chain!, r)) found = false;
      });
      if (res) return res;
      return found ? ok() : opFail('rule_check', 'ENOENT');
    }
    case CMD.FLUSH:
      return transact('rule_flush', () => flushRules(ns, table, chain));
    case CMD.ZERO: {
      const res = transact('chain_zero', () => zeroCounters(ns, table, chain));
      return res.exitCode === 0 && p.options & OPT.VERBOSE ? ok(zeroingLines(ns, table, chain)) : res;
    }
    case CMD.ZERO_NUM:
      return transact('rule_zero', () => zeroCounters(ns, table, chain, p.rulenum));
    case CMD.NEW_CHAIN:
      return transact('chain_user_add', () => newChain(ns, table, chain!));
    case CMD.DELETE_CHAIN:
      return transact('chain_del', () => deleteChain(ns, table, chain));
    case CMD.RENAME_CHAIN:
      return transact('chain_user_rename', () => renameChain(ns, table, chain!, p.newname!));
    case CMD.SET_POLICY:
      return transact('chain_set', () => setPolicy(ns, table, chain!, p.policy!));
    default:
      break;
  }
  if (p.command & (CMD.LIST | CMD.LIST_RULES)) {
    if (chain !== null && !findChain(ns, table, chain)) xtError(OTHER_PROBLEM, `chain \`${chain}' in table \`${table}' is incompatible, use 'nft' tool.`);
    let out: string;
    if (p.command & CMD.LIST) {
      let format = FMT.OPTIONS;
      if (!(p.options & OPT.VERBOSE)) format |= FMT.NOCOUNTS;
      else format |= FMT.VIA;
      if (p.options & OPT.NUMERIC) format |= FMT.NUMERIC;
      if (!(p.options & OPT.EXPANDED)) format |= FMT.KILOMEGAGIGA;
      if (p.options & OPT.LINENUMBERS) format |= FMT.LINENUMBERS;
      out = listEntries(sys, db, ns, table, chain, p.rulenum, format);
    } else out = listRules(db, ns, table, chain, p.rulenum, !!(p.options & OPT.VERBOSE));
    // nft_rule_list()/nft_rule_list_save(): a table with a renamed base chain is listed with this warning first
    if (chain === null && tableIncompatible(ns, table)) out = `# Table \`${table}' contains incompatible base-chains, use 'nft' tool to list them.\n` + out;
    if (p.command & (CMD.ZERO | CMD.ZERO_NUM)) {
      const res = kernel('chain_zero', () => zeroCounters(ns, table, chain, p.command & CMD.ZERO_NUM ? p.rulenum : null));
      if (res) return { ...res, stdout: out };
      if (p.command & CMD.ZERO && p.options & OPT.VERBOSE) out += zeroingLines(ns, table, chain);
    }
    return ok(out);
  }
  xtError(PARAMETER_PROBLEM, 'no command specified');
}

export const iptables: NetCommand = {
  name: 'iptables',
  async run(args: string[], _io: CmdIO, sys: Sys): Promise<CmdResult> {
    try {
      return run(sys, args);
    } catch (e) {
      if (e instanceof XtError) return { stdout: '', stderr: e.text, exitCode: e.status };
      if (isKernelError(e)) return opFail('', e.errno);
      throw e;
    }
  },
};

export { XtError, TABLE_CHAINS, KernelError };
