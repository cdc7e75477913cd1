// The runner: a parsed command line carried out. Rule changes go to the
// kernel as one transaction (nfCommit); the kernel's refusals come back as
// errno values, printed as iptables-nft prints them: "iptables: MSG." for
// what its own cache finds (nft_strerror), "RULE_APPEND failed (...)" for
// what the kernel refuses in the batch. Listings print from read-only views.
import { STRERROR, isKernelError, type KernelError } from '../../sim/errors';
import { NfBatchError, checkRule, findChain, isBuiltinTable, listChains, nfCommit, tableIncompatible, type NfOp, type NfTableName } from '../../sim/netfilter';
import type { Netns, Rule } from '../../sim/types';
import type { CmdIO, CmdResult, NetCommand, Sys } from '../types';
import { helpText } from './help';
import { nameDb, type NameDb } from './names';
import { CMD, OPT, parseCommandLine, type ParsedCmd } from './parse';
import { FMT, echoRule, listEntries } from './print';
import { listRules } from './save';
import { IPT_VERSION, OTHER_PROBLEM, PARAMETER_PROBLEM, RESOURCE_PROBLEM, VERSION_PROBLEM, XtError, xtError } from './xtables';
import { completeIptables } from './complete';
import { IPV4, IPV6, type XtFamily } from './family';

/** nft_strerror() of an operation. */
export function nftStrerror(op: string, errno: string): string {
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

/** nft_chain_zero_counters() with -v: one line per chain zeroed. */
function zeroingLines(ns: Netns, table: NfTableName, chain: string | null, fam: XtFamily): string {
  const names = chain === null ? listChains(ns, table, fam.family).map((c) => c.name) : [chain];
  return names.map((n) => `Zeroing chain \`${n}'\n`).join('');
}

function opFail(fam: XtFamily, op: string, errno: string): CmdResult {
  const msg = nftStrerror(op, errno);
  return { stdout: '', stderr: `${fam.prog}: ${msg}.${errno === 'EINVAL' ? " Run `dmesg' for more information." : ''}\n`, exitCode: 1 };
}

/** Rules a command line stands for: one per source x destination. */
function expandRules(p: ParsedCmd): Rule[] {
  const any = p.fam.any;
  const srcs = p.sources.length ? p.sources : [any];
  const dsts = p.dests.length ? p.dests : [any];
  const out: Rule[] = [];
  for (const s of srcs)
    for (const d of dsts) {
      const r: Rule = structuredClone(p.rule);
      r.source = s === any && !r.sourceInvert ? null : s;
      r.destination = d === any && !r.destinationInvert ? null : d;
      out.push(r);
    }
  return out;
}

/** The rules of the command line as the kernel gets them (options starting with '_' are the parser's own notes). */
export function kernelRules(p: ParsedCmd): Rule[] {
  return expandRules(p).map((r) => ({ ...r, matches: r.matches.map((m) => ({ ...m, options: Object.fromEntries(Object.entries(m.options).filter(([k]) => !k.startsWith('_'))) })) }));
}

/** The batch message a refused rule was sent in. */
export function batchOp(p: ParsedCmd, e: NfBatchError): string {
  if (e.object === 'chain') return 'CHAIN_DEL';
  return p.command === CMD.INSERT ? 'RULE_INSERT' : p.command === CMD.REPLACE ? 'RULE_REPLACE' : 'RULE_APPEND';
}

/** A kernel error as iptables prints it after the operation `op` (nft_strerror's name for it). */
function kernelFailure(p: ParsedCmd, op: string, e: KernelError): CmdResult {
  if (e instanceof NfBatchError) {
    const what = e.object === 'chain' ? `chain ${e.chain}` : `rule in chain ${e.chain}`;
    return { stdout: '', stderr: `${p.fam.prog} v${IPT_VERSION}:  ${batchOp(p, e)} failed (${STRERROR[e.errno]}): ${what}\n`, exitCode: RESOURCE_PROBLEM };
  }
  return opFail(p.fam, op, e.errno);
}

/** The operations a rule or chain command asks of the kernel, and nft_strerror's name for them. */
export function changeOf(p: ParsedCmd): { op: string; ops: NfOp[] } | null {
  const chain = p.chain!;
  switch (p.command) {
    case CMD.APPEND:
      return { op: 'rule_append', ops: kernelRules(p).map((rule) => ({ op: 'append', chain, rule })) };
    case CMD.INSERT:
      return { op: 'rule_insert', ops: kernelRules(p).map((rule, i) => ({ op: 'insert', chain, num: p.rulenum + i, rule })) };
    case CMD.REPLACE:
      return { op: 'rule_replace', ops: [{ op: 'replace', chain, num: p.rulenum, rule: kernelRules(p)[0]! }] };
    case CMD.DELETE:
      return { op: 'rule_delete', ops: kernelRules(p).map((rule) => ({ op: 'delete', chain, rule })) };
    case CMD.DELETE_NUM:
      return { op: 'rule_delete_num', ops: [{ op: 'deleteNum', chain, num: p.rulenum }] };
    case CMD.FLUSH:
      return { op: 'rule_flush', ops: [{ op: 'flush', chain: p.chain }] };
    case CMD.ZERO:
      return { op: 'chain_zero', ops: [{ op: 'zero', chain: p.chain }] };
    case CMD.ZERO_NUM:
      return { op: 'rule_zero', ops: [{ op: 'zero', chain: p.chain, num: p.rulenum }] };
    case CMD.NEW_CHAIN:
      return { op: 'chain_user_add', ops: [{ op: 'newChain', chain }] };
    case CMD.DELETE_CHAIN:
      return { op: 'chain_del', ops: [{ op: 'deleteChain', chain: p.chain }] };
    case CMD.RENAME_CHAIN:
      return { op: 'chain_user_rename', ops: [{ op: 'renameChain', chain, to: p.newname! }] };
    case CMD.SET_POLICY:
      return { op: 'chain_set', ops: [{ op: 'policy', chain, policy: p.policy! }] };
    default:
      return null;
  }
}

/** Run `fn` against the kernel: null when it went through, else the failure as iptables prints it. */
function kernelCall(p: ParsedCmd, op: string, fn: () => void): CmdResult | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (isKernelError(e)) return kernelFailure(p, op, e);
    throw e;
  }
}

const ok = (stdout = ''): CmdResult => ({ stdout, stderr: '', exitCode: 0 });

/** A command that changes the rule set: one transaction; -v echoes the rules (also when the kernel refused them). */
function runChange(sys: Sys, p: ParsedCmd, table: NfTableName, change: { op: string; ops: NfOp[] }): CmdResult {
  const ns = sys.world.ns(sys.ns);
  const family = p.fam.family;
  if (p.jumpChain !== null && p.command & (CMD.APPEND | CMD.INSERT | CMD.REPLACE | CMD.DELETE) && !findChain(ns, table, p.jumpChain, family)) xtError(PARAMETER_PROBLEM, `Chain '${p.jumpChain}' does not exist`);
  const res = kernelCall(p, change.op, () => nfCommit(sys.world, sys.ns, { table, ops: change.ops, family })) ?? ok();
  if (res.exitCode === 0 && p.command === CMD.ZERO && p.options & OPT.VERBOSE) return ok(zeroingLines(ns, table, p.chain, p.fam));
  const echoes = p.command & (CMD.APPEND | CMD.INSERT | CMD.DELETE);
  if (!echoes || !(p.options & OPT.VERBOSE) || (res.exitCode !== 0 && res.exitCode !== RESOURCE_PROBLEM)) return res;
  const db = nameDb(sys);
  return { ...res, stdout: kernelRules(p).map((r) => echoRule(db, r, p.fam)).join('') + res.stdout };
}

/** -C: a query, nothing changes. */
function runCheck(sys: Sys, p: ParsedCmd, table: NfTableName): CmdResult {
  const ns = sys.world.ns(sys.ns);
  const family = p.fam.family;
  if (p.jumpChain !== null && !findChain(ns, table, p.jumpChain, family)) xtError(PARAMETER_PROBLEM, `Chain '${p.jumpChain}' does not exist`);
  let found = true;
  const res = kernelCall(p, 'rule_check', () => {
    for (const r of kernelRules(p)) if (!checkRule(ns, table, p.chain!, r, family)) found = false;
  });
  if (res) return res;
  return found ? ok() : opFail(p.fam, 'rule_check', 'ENOENT');
}

/** -L / -S (with -Z: list, then zero). */
function runList(sys: Sys, p: ParsedCmd, table: NfTableName): CmdResult {
  const ns = sys.world.ns(sys.ns);
  const db = nameDb(sys);
  const chain = p.chain;
  const family = p.fam.family;
  if (chain !== null && !findChain(ns, table, chain, family)) xtError(OTHER_PROBLEM, `chain \`${chain}' in table \`${table}' is incompatible, use 'nft' tool.`);
  let out = p.command & CMD.LIST ? listEntries(sys, db, ns, table, chain, p.rulenum, listFormat(p), p.fam) : listRules(db, ns, table, chain, p.rulenum, !!(p.options & OPT.VERBOSE), p.fam);
  // nft_rule_list()/nft_rule_list_save(): a table with a renamed base chain is listed with this warning first
  if (chain === null && tableIncompatible(ns, table, family)) out = `# Table \`${table}' contains incompatible base-chains, use 'nft' tool to list them.\n` + out;
  if (p.command & (CMD.ZERO | CMD.ZERO_NUM)) {
    const num = p.command & CMD.ZERO_NUM ? p.rulenum : null;
    const res = kernelCall(p, 'chain_zero', () => nfCommit(sys.world, sys.ns, { table, ops: [{ op: 'zero', chain, num }], family }));
    if (res) return { ...res, stdout: out };
    if (p.command & CMD.ZERO && p.options & OPT.VERBOSE) out += zeroingLines(ns, table, chain, p.fam);
  }
  return ok(out);
}

/** The -L format flags of the command line's options. */
function listFormat(p: ParsedCmd): number {
  let format = FMT.OPTIONS;
  if (!(p.options & OPT.VERBOSE)) format |= FMT.NOCOUNTS;
  else format |= FMT.VIA;
  if (p.options & OPT.NUMERIC) format |= FMT.NUMERIC;
  if (!(p.options & OPT.EXPANDED)) format |= FMT.KILOMEGAGIGA;
  if (p.options & OPT.LINENUMBERS) format |= FMT.LINENUMBERS;
  return format;
}

function runParsed(sys: Sys, p: ParsedCmd): CmdResult {
  if (p.version) return { stdout: `${p.fam.prog} v${IPT_VERSION}\n`, stderr: '', exitCode: 0 };
  if (p.help) return { stdout: helpText(p.help, p.fam), stderr: '', exitCode: 0 };
  if (!isBuiltinTable(p.table)) xtError(VERSION_PROBLEM, `table '${p.table}' does not exist`);
  const table = p.table;
  if (p.command === CMD.CHECK) return runCheck(sys, p, table);
  const change = changeOf(p);
  if (change) return runChange(sys, p, table, change);
  if (p.command & (CMD.LIST | CMD.LIST_RULES)) return runList(sys, p, table);
  xtError(PARAMETER_PROBLEM, 'no command specified');
}

function run(sys: Sys, args: string[], fam: XtFamily): CmdResult {
  const p = parseCommandLine(sys, args, fam);
  const res = runParsed(sys, p);
  return p.warnings.length ? { ...res, stderr: p.warnings.join('') + res.stderr } : res;
}

/** The command of one family: iptables or ip6tables. */
function xtablesCommand(fam: XtFamily, completes: string[]): NetCommand {
  return {
    name: fam.prog,
    complete: completeIptables,
    completes,
    async run(args: string[], _io: CmdIO, sys: Sys): Promise<CmdResult> {
      try {
        return run(sys, args, fam);
      } catch (e) {
        if (e instanceof XtError) return { stdout: '', stderr: e.render(fam.prog), exitCode: e.status };
        if (isKernelError(e)) return opFail(fam, '', e.errno);
        throw e;
      }
    },
  };
}

export const iptables: NetCommand = xtablesCommand(IPV4, ['iptables-legacy', 'iptables-nft']);
export const ip6tables: NetCommand = xtablesCommand(IPV6, ['ip6tables-legacy', 'ip6tables-nft']);
