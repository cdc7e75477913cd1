// iptables-restore and ip6tables-restore v1.8.9 (nf_tables): the format
// iptables-save writes, read line by line. "*table" starts a table (which,
// without --noflush, is deleted first), ":CHAIN POLICY [p:b]" sets a policy
// or declares a user chain, every other line is an iptables command line
// parsed as iptables parses it, and COMMIT sends the table's operations to
// the kernel as one transaction. Errors name the line they occurred at, in
// the real tool's words.
import { STRERROR, isKernelError } from '../../sim/errors';
import { NfBatchError, findChain, getTable, isBuiltinChain, isBuiltinTable, listChains, nfCommit, type NfOp, type NfTableName } from '../../sim/netfilter';
import type { CmdIO, CmdResult, NetCommand, Sys } from '../types';
import { scanCli } from './cli';
import { IPV4, IPV6, type XtFamily } from './family';
import { nameDb } from './names';
import { CMD, parseCommandLine } from './parse';
import { echoRule } from './print';
import { batchOp, changeOf, kernelRules, nftStrerror } from './run';
import { IPT_VERSION, PARAMETER_PROBLEM, RESOURCE_PROBLEM, XtError } from './xtables';

const LONG: Record<string, string> = {
  counters: 'c', verbose: 'v', version: 'V', test: 't', help: 'h', noflush: 'n', modprobe: 'M', table: 'T', ipv4: '4', ipv6: '6', wait: 'w', 'wait-interval': 'W',
};

/** One operation of a table's batch, with what its errors are reported as. */
interface Pending {
  op: NfOp;
  line: number;
  /** nft_strerror()'s name of the operation */
  name: string;
  /** the batch message a kernel refusal names (RULE_APPEND ...) */
  batch: string;
}

/** Stop: what was printed so far, then the error. */
class RestoreStop {
  constructor(
    readonly stderr: string,
    readonly status: number,
  ) {}
}

/** add_param_to_argv(): words split at blanks, double quotes group, a backslash escapes inside them. */
function splitWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let has = false;
  let quoted = false;
  let escaped = false;
  for (const ch of line) {
    if (quoted) {
      if (escaped) (word += ch), (escaped = false);
      else if (ch === '\\') escaped = true;
      else if (ch === '"') quoted = false;
      else word += ch;
      continue;
    }
    if (ch === '"') (quoted = true), (has = true);
    else if (ch === ' ' || ch === '\t') {
      if (has) words.push(word);
      word = '';
      has = false;
    } else (word += ch), (has = true);
  }
  if (has) words.push(word);
  return words;
}

interface Options {
  noflush: boolean;
  counters: boolean;
  verbose: boolean;
  test: boolean;
  only: string | null;
}

/** The reader's state through one input. */
class Restorer {
  readonly prog: string;
  out = '';
  table: NfTableName | null = null;
  skip = false;
  flushed = false;
  pending: Pending[] = [];
  declared = new Set<string>();
  jumps: string[] = [];

  constructor(
    readonly sys: Sys,
    readonly fam: XtFamily,
    readonly o: Options,
  ) {
    this.prog = `${fam.prog}-restore`;
  }

  private fail(msg: string): never {
    throw new RestoreStop(`${this.prog}: ${msg}\n`, 1);
  }

  line(text: string, n: number): void {
    if (text.trim() === '') return;
    if (text.startsWith('#')) {
      if (this.o.verbose) this.out += `${text}\n`;
      return;
    }
    if (this.table === null) {
      if (!text.startsWith('*')) this.fail(`line ${n} failed`);
      return this.startTable(text.slice(1).trim(), n);
    }
    if (text.trim() === 'COMMIT') return this.commit(n);
    if (text.startsWith(':')) return this.chainLine(text, n);
    this.ruleLine(text, n);
  }

  private startTable(name: string, n: number): void {
    if (!isBuiltinTable(name)) throw new RestoreStop(new XtError(PARAMETER_PROBLEM, `${this.prog}: line ${n} table name '${name}' invalid`).render(this.prog, n), PARAMETER_PROBLEM);
    this.table = name;
    this.skip = this.o.only !== null && this.o.only !== name;
    this.flushed = !this.o.noflush;
    if (this.skip || !this.flushed) return;
    const ns = this.sys.world.ns(this.sys.ns);
    if (this.o.verbose && getTable(ns, name, this.fam.family)) {
      const chains = listChains(ns, name, this.fam.family);
      for (const c of chains) this.out += `Flushing chain \`${c.name}'\n`;
      for (const c of chains) if (!c.builtin) this.out += `Deleting chain \`${c.name}'\n`;
    }
    this.pending.push({ op: { op: 'deleteTable' }, line: n, name: 'table_flush', batch: 'TABLE_DEL' });
  }

  /** ":CHAIN POLICY [packets:bytes]": a base chain's policy, or a user chain (made, or emptied when it exists). */
  private chainLine(text: string, n: number): void {
    const [name = '', policy = '-', ctr = ''] = text.slice(1).trim().split(/\s+/);
    const table = this.table!;
    if (isBuiltinChain(table, name)) {
      const m = /^\[(\d+):(\d+)\]$/.exec(ctr);
      const counters: [number, number] | undefined = m && this.o.counters ? [Number(m[1]), Number(m[2])] : undefined;
      if (policy !== '-') this.pending.push({ op: { op: 'policy', chain: name, policy, ...(counters ? { counters } : {}) }, line: n, name: 'chain_set', batch: 'CHAIN_UPDATE' });
      return;
    }
    const exists = !this.flushed && findChain(this.sys.world.ns(this.sys.ns), table, name, this.fam.family) !== null;
    if (exists) this.pending.push({ op: { op: 'flush', chain: name }, line: n, name: 'rule_flush', batch: 'RULE_DELETE' });
    else if (!this.declared.has(name)) this.pending.push({ op: { op: 'newChain', chain: name }, line: n, name: 'chain_user_add', batch: 'CHAIN_ADD' });
    this.declared.add(name);
  }

  private ruleLine(text: string, n: number): void {
    let words = splitWords(text);
    const counters = /^\[(\d+):(\d+)\]$/.exec(words[0] ?? '');
    if (counters) words = words.slice(1);
    // a line for the other family is ignored (-4 in ip6tables-restore, -6 in iptables-restore)
    const other = this.fam.family === 6 ? ['-4', '--ipv4'] : ['-6', '--ipv6'];
    if (words.some((w) => other.includes(w))) return;
    if (counters && this.o.counters) words.push('-c', counters[1]!, counters[2]!);
    let p;
    try {
      p = parseCommandLine(this.sys, ['-t', this.table!, ...words], this.fam);
    } catch (e) {
      if (e instanceof XtError) throw new RestoreStop(e.render(this.prog, n), e.status);
      throw e;
    }
    const change = changeOf(p);
    if (!change || this.skip) return;
    const batch = p.command === CMD.INSERT ? 'RULE_INSERT' : p.command === CMD.REPLACE ? 'RULE_REPLACE' : p.command & (CMD.DELETE | CMD.DELETE_NUM) ? 'RULE_DELETE' : 'RULE_APPEND';
    for (const op of change.ops) this.pending.push({ op, line: n, name: change.op, batch: op.op === 'deleteChain' ? batchOp(p, new NfBatchError('EBUSY', 'chain', '')) : batch });
    if (p.jumpChain !== null && p.command & (CMD.APPEND | CMD.INSERT | CMD.REPLACE)) this.jumps.push(p.jumpChain);
    if (this.o.verbose && p.command & (CMD.APPEND | CMD.INSERT | CMD.DELETE)) this.out += kernelRules(p).map((r) => echoRule(nameDb(this.sys), r, this.fam)).join('');
  }

  private commit(n: number): void {
    const table = this.table!;
    const pending = this.pending;
    this.table = null;
    this.pending = [];
    const jumps = this.jumps;
    this.jumps = [];
    const declared = this.declared;
    this.declared = new Set();
    if (this.skip || this.o.test) return;
    const ns = this.sys.world.ns(this.sys.ns);
    for (const j of jumps) {
      const known = declared.has(j) || (!this.flushed && findChain(ns, table, j, this.fam.family) !== null);
      if (!known) throw new RestoreStop(new XtError(PARAMETER_PROBLEM, `Chain '${j}' does not exist`).render(this.prog, n), PARAMETER_PROBLEM);
    }
    try {
      nfCommit(this.sys.world, this.sys.ns, { table, ops: pending.map((x) => x.op), family: this.fam.family });
    } catch (e) {
      if (!isKernelError(e)) throw e;
      const at = pending[e.opIndex ?? 0]!;
      if (e instanceof NfBatchError) {
        const what = e.object === 'chain' ? `chain ${e.chain}` : `rule in chain ${e.chain}`;
        throw new RestoreStop(`${this.prog} v${IPT_VERSION}: \nline ${at.line}: ${at.batch} failed (${STRERROR[e.errno]}): ${what}\n`, RESOURCE_PROBLEM);
      }
      this.fail(`line ${at.line} failed: ${nftStrerror(at.name, e.errno)}.`);
    }
  }

  /** After the last line: a table left open. */
  end(lines: number): void {
    if (this.table !== null) this.fail(`COMMIT expected at line ${lines + 1}`);
  }
}

const USAGE = (prog: string): string =>
  `Usage: ${prog} [-c] [-v] [-V] [-t] [-h] [-n] [-T table] [-M command] [-4] [-6] [file]\n` +
  ['[ --counters ]', '[ --verbose ]', '[ --version]', '[ --test ]', '[ --help ]', '[ --noflush ]', '[ --table=<TABLE> ]', '[ --modprobe=<command> ]', '[ --ipv4 ]', '[ --ipv6 ]'].map((l) => `\t   ${l}\n`).join('');

function run(fam: XtFamily, args: string[], io: CmdIO, sys: Sys): CmdResult {
  const prog = `${fam.prog}-restore`;
  const o: Options = { noflush: false, counters: false, verbose: false, test: false, only: null };
  const usage = (text: string): CmdResult => ({ stdout: '', stderr: `${text}Try \`${prog} -h' for more information.\n`, exitCode: 1 });
  let file: string | null = null;
  for (const item of scanCli(prog, args, LONG, 'MT')) {
    if (item.kind === 'error') return usage(item.text);
    if (item.kind === 'word') {
      if (file !== null) return { stdout: '', stderr: 'Unknown arguments found on commandline\n', exitCode: 1 };
      file = item.word;
      continue;
    }
    const { c, arg } = item;
    if (c === 'h') return { stdout: USAGE(prog), stderr: '', exitCode: 0 };
    if (c === 'V') return { stdout: `${prog} v${IPT_VERSION}\n`, stderr: '', exitCode: 0 };
    if (c === 'n') o.noflush = true;
    else if (c === 'c') o.counters = true;
    else if (c === 'v') o.verbose = true;
    else if (c === 't') o.test = true;
    else if (c === 'T') o.only = arg;
    else if (!'M46wW'.includes(c)) return usage(`${prog}: invalid option -- '${c}'\n`);
  }
  let input = io.stdin;
  if (file !== null) {
    const text = sys.readFile(file.startsWith('/') ? file : `${io.cwd.replace(/\/$/, '')}/${file}`);
    if (text === null) return { stdout: '', stderr: `Can't open ${file}: No such file or directory\n`, exitCode: 1 };
    input = text;
  }
  const r = new Restorer(sys, fam, o);
  const lines = input.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  try {
    lines.forEach((l, i) => r.line(l, i + 1));
    r.end(lines.length);
  } catch (e) {
    if (e instanceof RestoreStop) return { stdout: r.out, stderr: e.stderr, exitCode: e.status };
    throw e;
  }
  return { stdout: r.out, stderr: '', exitCode: 0 };
}

function restoreCommand(fam: XtFamily): NetCommand {
  return {
    name: `${fam.prog}-restore`,
    async run(args: string[], io: CmdIO, sys: Sys): Promise<CmdResult> {
      return run(fam, args, io, sys);
    },
  };
}

export const iptablesRestore: NetCommand = restoreCommand(IPV4);
export const ip6tablesRestore: NetCommand = restoreCommand(IPV6);
