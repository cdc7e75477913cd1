// do_parse() of iptables (xshared.c): the command line, read with getopt_long
// as the real parser reads it (extensions loaded on the way, the protocol's
// match loaded on demand), into a ParsedCmd: the command, its chain and
// numbers, and the rule it stands for. Every message and exit status is the
// real tool's; nothing here touches the kernel.
import { newRule } from '../../sim/netfilter';
import type { Rule } from '../../sim/types';
import type { Sys } from '../types';
import { parseAddresses } from './addr';
import { IPV4, type XtFamily } from './family';
import { onceCheck, type LoadedExt, type ParseEnv } from './extension';
import { matchDef, targetDef } from './extensions/index';
import { Getopt, ORIGINAL_OPTS, type GetoptResult, type OptDef } from './getopt';
import { CHAIN_PROTOS, chainProtoName, nameDb, protoToName, ruleProtoNum, type NameDb } from './names';
import { PARAMETER_PROBLEM, XtError, strtoui, xtError } from './xtables';

export const CMD = {
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
export const OPT = { NUMERIC: 1, SOURCE: 2, DESTINATION: 4, PROTOCOL: 8, JUMP: 16, VERBOSE: 32, EXPANDED: 64, VIANAMEIN: 128, VIANAMEOUT: 256, LINENUMBERS: 512, COUNTERS: 1024, FRAGMENT: 2048 } as const;
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
  /** iptables or ip6tables */
  fam: XtFamily;
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

/** The options whose value do_parse() takes from argv[optind - 1] (see ruleOption). */
const WHOLE_WORD = new Set(['p', 's', 'd', 'j', 'i', 'o']);

/** The parser's state while it reads one command line. */
class CommandParser {
  readonly db: NameDb;
  readonly argv: string[];
  readonly p: ParsedCmd;
  readonly g: Getopt;
  readonly env: ParseEnv;
  readonly loaded: LoadedExt[] = [];
  target: LoadedExt | null = null;
  protocol: string | null = null;
  protoUsed = false;
  invert = false;
  shost: string | null = null;
  dhost: string | null = null;

  constructor(
    readonly sys: Sys,
    args: string[],
    readonly fam: XtFamily,
  ) {
    this.db = nameDb(sys);
    this.argv = [fam.prog, ...args];
    this.p = {
      fam,
      command: CMD.NONE,
      table: 'filter',
      chain: null,
      rulenum: 0,
      newname: null,
      policy: null,
      options: 0,
      verbose: 0,
      rule: newRule(),
      sources: [],
      dests: [],
      jumpChain: null,
      help: null,
      version: false,
      warnings: [],
    };
    this.g = new Getopt(this.argv, () => this.optionTable());
    this.env = { db: this.db, family: fam.family, rule: this.p.rule, argv: this.argv, getopt: this.g, warnings: this.p.warnings };
  }

  /** The global options plus those of every extension loaded so far. */
  private optionTable(): OptDef[] {
    const out = [...ORIGINAL_OPTS];
    for (const l of [...this.loaded, ...(this.target ? [this.target] : [])]) for (const o of l.def.opts) out.push({ name: o.name, hasArg: o.hasArg, val: `${l.def.kind}:${l.def.name}:${o.name}`, ext: l });
    return out;
  }

  private addCommand(newcmd: number, others: number): void {
    const p = this.p;
    if (this.invert) xtError(PARAMETER_PROBLEM, "unexpected '!' flag");
    if (p.command & ~others) xtError(PARAMETER_PROBLEM, `Cannot use -${cmd2char(newcmd)} with -${cmd2char(p.command & ~others)}`);
    p.command |= newcmd;
  }

  private setOption(o: number): void {
    if (this.p.options & o) xtError(PARAMETER_PROBLEM, `multiple -${opt2char(o)} flags not allowed`);
    this.p.options |= o;
    if (this.invert && !INVERTIBLE.has(o as never)) xtError(PARAMETER_PROBLEM, `cannot have ! before -${opt2char(o)}`);
  }

  private loadMatch(name: string): LoadedExt {
    const def = matchDef(name, this.fam.family);
    if (!def) xtError(PARAMETER_PROBLEM, `Couldn't load match \`${name}':No such file or directory\n`);
    const l: LoadedExt = { def, data: { name: def.name, options: {} }, seen: new Set() };
    this.loaded.push(l);
    return l;
  }

  /** The next word when it is an argument rather than an option (-L [chain [rulenum]] and friends). */
  private optionalArg(): string | null {
    const { argv, g } = this;
    return hasArg(argv, g.optind) ? argv[g.optind++]! : null;
  }

  /** Reads the whole command line; returns early for -h and -V. */
  parse(): ParsedCmd {
    for (;;) {
      const r = this.g.next();
      if (!r) break;
      if (r.c === 1) {
        this.nonOption(r.optarg!);
        continue;
      }
      if (r.c !== ':' && r.def?.ext) {
        this.extensionOption(r.def.ext, r.c as string, r.optarg);
        continue;
      }
      if (this.commandOption(r.c as string, r.optarg)) {
        this.invert = false;
        continue;
      }
      const done = this.ruleOption(r);
      if (done === 'return') return this.p;
      if (done === 'rerun') continue;
      this.invert = false;
    }
    this.finish();
    return this.p;
  }

  private nonOption(arg: string): void {
    if (arg === '!') {
      if (this.invert) xtError(PARAMETER_PROBLEM, 'multiple consecutive ! not allowed');
      this.invert = true;
      return;
    }
    throw new XtError(PARAMETER_PROBLEM, null, `Bad argument \`${arg}'\n`);
  }

  private extensionOption(l: LoadedExt, c: string, optarg: string | null): void {
    const opt = l.def.opts.find((o) => `${l.def.kind}:${l.def.name}:${o.name}` === c)!;
    onceCheck(l.def, opt, l, this.invert);
    l.def.parse(this.env, l.data, opt, optarg ?? '', this.invert);
    l.seen.add(opt.key);
    this.invert = false;
  }

  /** The commands (-A -C -D -R -I -L -S -F -Z -N -X -E -P); false for any other option. */
  private commandOption(c: string, optarg: string | null): boolean {
    const p = this.p;
    switch (c) {
      case 'A':
      case 'C':
        this.addCommand(c === 'A' ? CMD.APPEND : CMD.CHECK, CMD.NONE);
        p.chain = optarg;
        return true;
      case 'D':
        this.addCommand(CMD.DELETE, CMD.NONE);
        p.chain = optarg;
        if (hasArg(this.argv, this.g.optind)) {
          p.rulenum = parseRulenum(this.optionalArg()!);
          p.command = CMD.DELETE_NUM;
        }
        return true;
      case 'R':
        this.addCommand(CMD.REPLACE, CMD.NONE);
        p.chain = optarg;
        p.rulenum = parseRulenum(this.optionalArg() ?? xtError(PARAMETER_PROBLEM, '-R requires a rule number'));
        return true;
      case 'I': {
        this.addCommand(CMD.INSERT, CMD.NONE);
        p.chain = optarg;
        const n = this.optionalArg();
        p.rulenum = n === null ? 1 : parseRulenum(n);
        return true;
      }
      case 'L':
      case 'S':
        this.addCommand(c === 'L' ? CMD.LIST : CMD.LIST_RULES, CMD.ZERO | CMD.ZERO_NUM);
        this.chainAndNumber(optarg, true);
        return true;
      case 'F':
        this.addCommand(CMD.FLUSH, CMD.NONE);
        this.chainAndNumber(optarg, false);
        return true;
      case 'Z':
        this.addCommand(CMD.ZERO, CMD.LIST | CMD.LIST_RULES);
        if (this.chainAndNumber(optarg, true)) p.command = (p.command & ~CMD.ZERO) | CMD.ZERO_NUM;
        return true;
      case 'N':
        this.newChainOption(optarg!);
        return true;
      case 'X':
        this.addCommand(CMD.DELETE_CHAIN, CMD.NONE);
        this.chainAndNumber(optarg, false);
        return true;
      case 'E':
        this.addCommand(CMD.RENAME_CHAIN, CMD.NONE);
        p.chain = optarg;
        p.newname = this.optionalArg() ?? xtError(PARAMETER_PROBLEM, '-E requires old-chain-name and new-chain-name');
        return true;
      case 'P':
        this.addCommand(CMD.SET_POLICY, CMD.NONE);
        p.chain = optarg;
        p.policy = this.optionalArg() ?? xtError(PARAMETER_PROBLEM, '-P requires a chain and a policy');
        return true;
      default:
        return false;
    }
  }

  /** "[chain [rulenum]]" after -L/-S/-Z (or "[chain]" after -F/-X); true when a rule number was given. */
  private chainAndNumber(optarg: string | null, withNumber: boolean): boolean {
    const p = this.p;
    if (optarg) p.chain = optarg;
    else {
      const chain = this.optionalArg();
      if (chain !== null) p.chain = chain;
    }
    if (!withNumber) return false;
    const n = this.optionalArg();
    if (n === null) return false;
    p.rulenum = parseRulenum(n);
    return true;
  }

  private newChainOption(name: string): void {
    if (name.startsWith('-') || name.startsWith('!')) xtError(PARAMETER_PROBLEM, `chain name not allowed to start with \`${name[0]}'`);
    if (targetDef(name, this.fam.family) && name !== '') xtError(PARAMETER_PROBLEM, 'chain name may not clash with target name');
    if (/\s/.test(name)) xtError(PARAMETER_PROBLEM, `Invalid chain name \`${name}'`);
    this.addCommand(CMD.NEW_CHAIN, CMD.NONE);
    this.p.chain = name;
  }

  /** Every other option; 'return' ends the parse (-h, -V), 'rerun' reads the same word again. */
  private ruleOption(r: GetoptResult): 'return' | 'rerun' | void {
    const { p } = this;
    const rule = p.rule;
    // -p -s -d -j -i -o read argv[optind - 1], not optarg: the value when
    // it is a word of its own, the whole word when it is stuck to the
    // option (-s1.2.3.4, --source=1.2.3.4, -sd are looked up as written)
    const optarg = typeof r.c === 'string' && WHOLE_WORD.has(r.c) ? (this.argv[this.g.optind - 1] ?? null) : r.optarg;
    switch (r.c) {
      case 'h':
        this.helpOption();
        return 'return';
      case 'V':
        p.version = true;
        return 'return';
      case 'p':
        this.protocolOption(optarg!);
        return;
      case 's':
      case 'd':
        this.setOption(r.c === 's' ? OPT.SOURCE : OPT.DESTINATION);
        if (r.c === 's') {
          rule.sourceInvert = this.invert;
          this.shost = optarg!;
        } else {
          rule.destinationInvert = this.invert;
          this.dhost = optarg!;
        }
        return;
      case 'g':
        this.setOption(OPT.JUMP);
        if (!optarg || optarg.length < 1) xtError(PARAMETER_PROBLEM, 'Invalid target name (too short)');
        rule.goto = true;
        rule.target = optarg;
        return;
      case 'j':
        this.jumpOption(optarg!);
        return;
      case 'i':
      case 'o':
        this.interfaceOption(r.c, optarg!);
        return;
      case 'f':
        if (this.fam.family === 6) xtError(PARAMETER_PROBLEM, "`-f' is not supported in IPv6, use -m frag instead");
        this.setOption(OPT.FRAGMENT);
        rule.fragment = !this.invert;
        return;
      case 'v':
        if (!p.verbose) this.setOption(OPT.VERBOSE);
        p.verbose++;
        return;
      case 'm':
        if (this.invert) xtError(PARAMETER_PROBLEM, 'unexpected ! flag before --match');
        if (!this.loaded.some((l) => l.def === matchDef(optarg!, this.fam.family))) this.loadMatch(optarg!);
        return;
      case 'n':
        this.setOption(OPT.NUMERIC);
        return;
      case 't':
        if (this.invert) xtError(PARAMETER_PROBLEM, 'unexpected ! flag before --table');
        p.table = optarg!;
        return;
      case 'x':
        this.setOption(OPT.EXPANDED);
        return;
      case 'w':
      case 'W':
      case 'M':
        return;
      case '4':
      case '6':
        // the other family's option: an error (only -restore ignores such a line)
        if (r.c !== String(this.fam.family)) throw new XtError(PARAMETER_PROBLEM, null);
        return;
      case '0':
        this.setOption(OPT.LINENUMBERS);
        return;
      case 'c':
        this.countersOption(optarg!);
        return;
      default:
        return this.commandDefault(r);
    }
  }

  private helpOption(): void {
    const { db, protocol } = this;
    if (this.loaded.length === 0 && protocol) {
      const name = matchDef(protocol, this.fam.family) ? protocol : protoToName(db, parseProtocol(db, protocol), false);
      if (name && matchDef(name, this.fam.family)) this.loadMatch(name);
    }
    this.p.help = [...(this.target ? [this.target] : []), ...this.loaded];
  }

  private protocolOption(arg: string): void {
    const rule = this.p.rule;
    this.setOption(OPT.PROTOCOL);
    const s = arg.toLowerCase();
    this.protocol = s;
    const n = parseProtocol(this.db, s);
    if (n === 0 && this.invert) xtError(PARAMETER_PROBLEM, 'rule would never match protocol');
    rule.protocol = n === 0 ? null : (chainProtoName(n) ?? String(n));
    if (CHAIN_PROTOS.some(([name]) => name === s) && n !== 0) rule.protocol = s === 'ipv6-icmp' || s === 'icmpv6' ? s : chainProtoName(n)!;
    rule.protocolInvert = this.invert;
  }

  private jumpOption(name: string): void {
    this.setOption(OPT.JUMP);
    if (name.length < 1) xtError(PARAMETER_PROBLEM, 'Invalid target name (too short)');
    if (name.length >= 29) xtError(PARAMETER_PROBLEM, `Invalid target name \`${name}' (28 chars max)`);
    if (/\s/.test(name)) xtError(PARAMETER_PROBLEM, `Invalid target name \`${name}'`);
    this.p.rule.target = name;
    const def = targetDef(name, this.fam.family);
    if (def) this.target = { def, data: { name, options: {} }, seen: new Set() };
  }

  private interfaceOption(c: 'i' | 'o', arg: string): void {
    const rule = this.p.rule;
    if (arg === '') xtError(PARAMETER_PROBLEM, 'Empty interface is likely to be undesired');
    this.setOption(c === 'i' ? OPT.VIANAMEIN : OPT.VIANAMEOUT);
    if (c === 'i') {
      rule.inIface = parseIface(arg);
      rule.inIfaceInvert = this.invert;
    } else {
      rule.outIface = parseIface(arg);
      rule.outIfaceInvert = this.invert;
    }
  }

  /** -c PKTS BYTES (or -c PKTS,BYTES) */
  private countersOption(pc: string): void {
    const rule = this.p.rule;
    this.setOption(OPT.COUNTERS);
    const bc = pc.includes(',') ? pc.slice(pc.indexOf(',') + 1) : (this.optionalArg() ?? xtError(PARAMETER_PROBLEM, '-c requires packet and byte counter'));
    const pn = /^\d+/.exec(pc);
    const bn = /^\d+/.exec(bc);
    if (!pn) xtError(PARAMETER_PROBLEM, '-c packet counter not numeric');
    if (!bn) xtError(PARAMETER_PROBLEM, '-c byte counter not numeric');
    rule.packets = Number(pn[0]);
    rule.bytes = Number(bn[0]);
  }

  /**
   * command_default(): an option nothing loaded knows, or one missing its
   * value. The protocol's match may take it (-p tcp --dport 22 loads "tcp"
   * and reads the word again); else the error getopt reported.
   */
  private commandDefault(r: GetoptResult): 'rerun' {
    const { argv, g } = this;
    const lastArg = argv[g.optind - 1] ?? '';
    const pm = this.protocol !== null && !this.protoUsed ? protoMatchName(this.db, this.protocol, this.fam) : null;
    if (pm && !this.loaded.some((l) => l.def.name === pm)) {
      this.loadMatch(pm);
      this.protoUsed = true;
      g.optind -= 1;
      return 'rerun';
    }
    if (r.c === ':') xtError(PARAMETER_PROBLEM, `option "${lastArg}" requires an argument`);
    if (r.c === '?') xtError(PARAMETER_PROBLEM, `unknown option "${lastArg}"`);
    xtError(PARAMETER_PROBLEM, `Unknown arg "${r.optarg ?? '(null)'}"`);
  }

  /** After the last word: the extensions' final checks, then the generic ones (and ipv4_post_parse). */
  private finish(): void {
    const { p, argv, g } = this;
    const rule = p.rule;
    if (p.table === 'nat' && (p.policy === 'DROP' || rule.target === 'DROP')) xtError(PARAMETER_PROBLEM, '\nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n');
    for (const l of [...this.loaded, ...(this.target ? [this.target] : [])]) {
      for (const o of l.def.opts) if (o.mand && !l.seen.has(o.key)) xtError(PARAMETER_PROBLEM, `${l.def.name}: option "--${o.name}" must be specified\n`);
      l.def.final?.(this.env, l.data, l.seen);
    }
    // the tcp and udp matches need their protocol (an inverted -p passes)
    for (const l of this.loaded) {
      const want = l.def.name === 'tcp' ? 6 : l.def.name === 'udp' ? 17 : null;
      if (want !== null && !rule.protocolInvert && ruleProtoNum(rule) !== want) xtError(PARAMETER_PROBLEM, `${l.def.name.toUpperCase()} match requires '-p ${l.def.name}'`);
    }
    if (g.optind < argv.length) xtError(PARAMETER_PROBLEM, 'unknown arguments found on commandline');
    if (!p.command) xtError(PARAMETER_PROBLEM, 'no command specified');
    if (this.invert) xtError(PARAMETER_PROBLEM, 'nothing appropriate following !');
    this.addresses();
    genericOptCheck(p.command, p.options);
    if (p.chain !== null && p.chain.length >= 29) xtError(PARAMETER_PROBLEM, `chain name \`${p.chain}' too long (must be under 29 chars)`);
    if (p.command & (CMD.APPEND | CMD.DELETE | CMD.DELETE_NUM | CMD.CHECK | CMD.INSERT | CMD.REPLACE)) {
      if ((p.chain === 'PREROUTING' || p.chain === 'INPUT') && p.options & OPT.VIANAMEOUT) xtError(PARAMETER_PROBLEM, `Can't use -o with ${p.chain}\n`);
      if ((p.chain === 'POSTROUTING' || p.chain === 'OUTPUT') && p.options & OPT.VIANAMEIN) xtError(PARAMETER_PROBLEM, `Can't use -i with ${p.chain}\n`);
    }
    rule.matches = this.loaded.map((l) => l.data);
    if (this.target) rule.targetOptions = Object.fromEntries(Object.entries(this.target.data.options).filter(([k]) => !k.startsWith('_')));
    if (rule.target !== null && !targetDef(rule.target, this.fam.family)) p.jumpChain = rule.target;
  }

  /** ipv4_post_parse(): -s/-d default to anywhere for rule commands, then expand to address lists. */
  private addresses(): void {
    const { p } = this;
    const rule = p.rule;
    const ruleCmds = CMD.REPLACE | CMD.INSERT | CMD.DELETE | CMD.APPEND | CMD.CHECK;
    if (p.command & ruleCmds) {
      if (!(p.options & OPT.DESTINATION)) this.dhost = this.fam.any;
      if (!(p.options & OPT.SOURCE)) this.shost = this.fam.any;
    }
    if (this.shost !== null) p.sources = parseAddresses(this.sys, this.shost, this.fam.family);
    if (this.dhost !== null) p.dests = parseAddresses(this.sys, this.dhost, this.fam.family);
    if ((p.sources.length > 1 || p.dests.length > 1) && (rule.sourceInvert || rule.destinationInvert)) xtError(PARAMETER_PROBLEM, '! not allowed with multiple source or destination IP addresses');
    if (p.command === CMD.REPLACE && (p.sources.length !== 1 || p.dests.length !== 1)) xtError(PARAMETER_PROBLEM, 'Replacement rule does not specify a unique address');
  }
}

/** do_parse(): the whole command line, with every check the real parser makes. */
export function parseCommandLine(sys: Sys, args: string[], fam: XtFamily = IPV4): ParsedCmd {
  return new CommandParser(sys, args, fam).parse();
}

/** The protocol match implicitly loadable for `-p NAME` (find_proto). */
function protoMatchName(db: NameDb, protocol: string, fam: XtFamily): string | null {
  const n = strtoui(protocol, 0, 255);
  const name = n !== null ? protoToName(db, n, false) : protocol;
  const def = name ? matchDef(name, fam.family) : null;
  return def && ['tcp', 'udp', 'icmp', 'icmp6'].includes(def.name) ? def.name : null;
}
