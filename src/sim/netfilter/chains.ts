// Netfilter (the iptables view of nf_tables): tables, chains, rules, policies
// and counters of a namespace, and the evaluation of a hook's chains for a
// packet.
//
// State lives in Netns.netfilter (types.ts). A table exists once a writing
// command touched it (iptables-nft creates the table and the built-in chain
// it needs; we create all built-ins of the table at once, which no listing
// can tell apart because iptables fakes the missing ones). Reading commands
// never create anything: `listChains()` returns the built-in chains of a
// missing table as they would be listed (policy ACCEPT, no rules).
//
// Rules are kept in the shape of types.ts `Rule`. Match options are stored
// canonicalised by the iptables command (see the match table below), e.g.
//   { name: 'tcp', options: { dport: '22' } }            ports "N" or "N:M"
//   { name: 'udp', options: { sport: '1000:2000' } }
//   { name: 'icmp', options: { type: '8', code: '0:255' } } (type 'any' = 255)
//   { name: 'conntrack', options: { ctstate: 'RELATED,ESTABLISHED' } }
//   { name: 'state', options: { state: 'NEW' } }
//   { name: 'comment', options: { comment: 'text' } }
//   { name: 'multiport', options: { dports: '80,443,8000:8080' } } (or sports / ports)
//   { name: 'addrtype', options: { 'dst-type': 'LOCAL' , 'limit-iface-in': '' } }
//   { name: 'statistic', options: { mode: 'random', probability: '0.50000000000' } }
//   { name: 'statistic', options: { mode: 'nth', every: '3', packet: '0' } }
//   { name: 'mark', options: { mark: '0x4000/0x4000' } }
//   { name: 'iprange', options: { 'src-range': '10.0.0.1-10.0.0.50' } } (or 'dst-range')
//   { name: 'limit', options: { rate: '5', unit: '60', burst: '5' } } (nft's limit: rate per unit seconds;
//        the token bucket lives in '_tokens'/'_last', ns of the simulated clock)
//   { name: 'mac', options: { 'mac-source': '02:00:00:00:00:01' } }
// and inversions in `invert` (same keys). Targets: ACCEPT DROP RETURN
// REJECT(reject-with) LOG(log-prefix, log-level) MASQUERADE(to-ports)
// SNAT(to-source) DNAT(to-destination) REDIRECT(to-ports) MARK(xmark
// "0xV/0xM"), NOTRACK, CT(notrack, helper), or a user chain (jump, or goto
// when `goto`).
//
// Every operation either completes or throws a KernelError and changes
// nothing; each records how to undo itself in a Journal, so that a
// transaction (transaction.ts) of several can be rolled back whole. Commands
// never call these directly: they build an NfChange and commit it.
import { KernelError } from '../errors';
import type { Chain, Netns, NfTable, Rule } from '../types';
import { checkEntry, fitsHook, hookBound, NfBatchError } from './checkentry';
import { chainNamed, forgetChain, forgetIndex, hooksReaching, jumpOf, jumpTooDeep, noteChain, noteRules, rulesBelow } from './jumps';
import { isBuiltinChain, TABLE_CHAINS, TABLE_ORDER, type Hook, type NfTableName } from './tables';

/** How to undo the changes made so far, oldest first (a transaction runs them backwards). */
export type Journal = (() => void)[];

/** A rule that matches everything and has no target, with `fields` set (what a command line builds on). */
export function newRule(fields: Partial<Rule> = {}): Rule {
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
    ...fields,
  };
}

/** What the operations below work on: one address family's tables of a namespace (iptables' or ip6tables'). */
export interface NfScope {
  tables: Record<string, NfTable>;
}

/** The family of a rule set: 4 (iptables) or 6 (ip6tables). */
export type NfFamily = 4 | 6;

const NO_TABLES: Readonly<Record<string, NfTable>> = Object.freeze({});

/**
 * A namespace's tables of one family. IPv6 tables exist once ip6tables wrote
 * (`Netfilter.tables6`); a reader of a namespace without them sees no table,
 * and only a writer (`forWrite`) creates the record.
 */
export function nfScope(ns: Netns, family: NfFamily = 4, forWrite = false): NfScope {
  if (family === 4) return ns.netfilter;
  if (forWrite) return { tables: (ns.netfilter.tables6 ??= {}) };
  return { tables: ns.netfilter.tables6 ?? (NO_TABLES as Record<string, NfTable>) };
}

/** A namespace stands for its iptables (IPv4) tables. */
type NfOwner = NfScope | Netns;

function nf(ns: NfOwner): NfScope {
  return 'netfilter' in ns ? ns.netfilter : ns;
}

function emptyChain(name: string, builtin: boolean): Chain {
  return { name, builtin, policy: builtin ? 'ACCEPT' : null, rules: [], packets: 0, bytes: 0 };
}

/** The table if it exists in the kernel (a writing command created it). */
export function getTable(ns: NfOwner, table: NfTableName): NfTable | null {
  return nf(ns).tables[table] ?? null;
}

/**
 * Create the table if missing (iptables-nft's nft_xt_builtin_table_init);
 * built-in chains are created one by one as commands need them.
 */
export function ensureTable(ns: NfOwner, table: NfTableName, j: Journal = []): NfTable {
  let t = nf(ns).tables[table];
  if (!t) {
    t = { name: table, chains: [], initialised: false };
    nf(ns).tables[table] = t;
    j.push(() => void delete nf(ns).tables[table]);
  }
  return t;
}

/** Create a built-in chain if missing (nft_xt_builtin_init for one chain), keeping hook order. */
function ensureBuiltinChain(ns: NfOwner, table: NfTableName, chain: Hook, j: Journal): Chain {
  const t = ensureTable(ns, table, j);
  let c = chainNamed(t, chain);
  if (!c) {
    c = emptyChain(chain, true);
    noteChain(t, c);
    const created = c;
    const wasInitialised = t.initialised;
    j.push(() => {
      t.chains.splice(t.chains.indexOf(created), 1);
      t.initialised = wasInitialised;
    });
    const order = TABLE_CHAINS[table];
    const at = t.chains.findIndex((x) => !x.builtin || order.indexOf(x.name as Hook) > order.indexOf(chain));
    if (at < 0) t.chains.push(c);
    else t.chains.splice(at, 0, c);
    t.initialised = order.every((h) => t.chains.some((x) => x.name === h));
  }
  return c;
}

/** Tables that exist, in iptables-nft order. */
export function existingTables(ns: NfOwner): NfTableName[] {
  return TABLE_ORDER.filter((t) => nf(ns).tables[t]);
}

/**
 * The chains of a table as iptables lists them: built-in chains in hook
 * order (missing ones faked, policy ACCEPT), then user chains by name.
 */
export function listChains(ns: NfOwner, table: NfTableName): Chain[] {
  const t = getTable(ns, table);
  const builtins = TABLE_CHAINS[table].map((name) => t?.chains.find((c) => c.name === name && c.builtin && !renamedBase(c)) ?? emptyChain(name, true));
  const user = (t?.chains ?? []).filter((c) => !c.builtin).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...builtins, ...user];
}

/** A base chain that -E gave another name: iptables cannot list it. */
function renamedBase(c: Chain): boolean {
  return c.builtin && c.hook !== undefined && c.hook !== c.name;
}

/** nft_is_table_compatible() fails: some base chain has a name iptables does not know (renamed with -E). */
export function tableIncompatible(ns: NfOwner, table: NfTableName): boolean {
  return (getTable(ns, table)?.chains ?? []).some(renamedBase);
}

/** A chain as listing sees it (built-ins of a missing table included), or null. */
export function findChain(ns: NfOwner, table: NfTableName, chain: string): Chain | null {
  return listChains(ns, table).find((c) => c.name === chain) ?? null;
}

/** Number of rules (in the table) that jump or go to `chain`. */
export function chainReferences(ns: NfOwner, table: NfTableName, chain: string): number {
  const t = getTable(ns, table);
  if (!t) return 0;
  let n = 0;
  for (const c of t.chains) for (const r of c.rules) if (r.target === chain) n++;
  return n;
}

function writableChain(ns: NfOwner, table: NfTableName, chain: string, j: Journal): Chain {
  const t = getTable(ns, table);
  const exists = t ? chainNamed(t, chain) : undefined;
  if (exists) return exists;
  if (isBuiltinChain(table, chain)) return ensureBuiltinChain(ns, table, chain, j);
  throw new KernelError('ENOENT');
}

/** A chain that exists in the kernel (a built-in chain no command created yet does not). */
function kernelChain(ns: NfOwner, table: NfTableName, chain: string): Chain | null {
  const t = getTable(ns, table);
  return (t && chainNamed(t, chain)) ?? null;
}

function chainExists(ns: NfOwner, table: NfTableName, chain: string): boolean {
  if (isBuiltinChain(table, chain)) return true;
  const t = getTable(ns, table);
  return !!t && chainNamed(t, chain) !== undefined;
}

/**
 * What the kernel checks of a rule that goes into `chain` (the chain itself
 * exists): its jump (nft_verdict_init: a base chain is EOPNOTSUPP, a chain
 * the kernel lacks ENOENT; then the table's validation: too deep, or a loop,
 * EMLINK), then checkentry: of the rule where it goes, and of every rule it
 * brings under a hook (the rule itself in a user chain base chains reach,
 * the rules below a chain it jumps to) for the hooks that reach them.
 * A jump to a user chain iptables does not know was refused before.
 */
function validateRule(ns: NfOwner, table: NfTableName, chain: string, rule: Rule): void {
  const t = getTable(ns, table);
  const jump = jumpOf(rule);
  const base = isBuiltinChain(table, chain);
  if (jump !== null) {
    if (isBuiltinChain(table, jump)) throw new NfBatchError(kernelChain(ns, table, jump) || jump === chain ? 'EOPNOTSUPP' : 'ENOENT', 'rule', chain);
    if (!chainExists(ns, table, jump)) throw new KernelError('ENOENT');
    if (t && jumpTooDeep(t, base, chain, jump)) throw new NfBatchError('EMLINK', 'rule', chain);
  }
  checkEntry(table, chain, rule);
  if (!t || (jump === null && (base || !hookBound(rule)))) return;
  const hooks = base ? [chain] : hooksReaching(t, chain);
  if (!hooks.length) return;
  const under = jump === null ? [rule] : [rule, ...rulesBelow(t, jump)];
  if (under.some((r) => hooks.some((h) => !fitsHook(h, r)))) throw new NfBatchError('EINVAL', 'rule', chain);
}

/** A copy of plain data as a JSON round trip makes it (undefined members left out), without the text. */
function plainCopy(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return typeof v === 'number' && !Number.isFinite(v) ? null : v;
  if (Array.isArray(v)) return v.map((x) => (x === undefined || typeof x === 'function' ? null : plainCopy(x)));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined && typeof x !== 'function') out[k] = plainCopy(x);
  }
  return out;
}

function cloneRule(rule: Rule): Rule {
  return plainCopy(rule) as Rule;
}

/** -A */
export function appendRule(ns: NfOwner, table: NfTableName, chain: string, rule: Rule, j: Journal = []): void {
  if (!chainExists(ns, table, chain)) throw new KernelError('ENOENT');
  validateRule(ns, table, chain, rule);
  const c = writableChain(ns, table, chain, j);
  const rules = c.rules;
  const r = cloneRule(rule);
  rules.push(r);
  noteRules(getTable(ns, table)!, c, [r], 1);
  j.push(() => void rules.pop());
}

/** -I chain num (1-based; iptables allows one past the end). */
export function insertRule(ns: NfOwner, table: NfTableName, chain: string, num: number, rule: Rule, j: Journal = []): void {
  if (!chainExists(ns, table, chain)) throw new KernelError('ENOENT');
  const len = kernelChain(ns, table, chain)?.rules.length ?? 0;
  if (num < 1 || num > len + 1) throw new KernelError('E2BIG');
  validateRule(ns, table, chain, rule);
  const c = writableChain(ns, table, chain, j);
  const rules = c.rules;
  const r = cloneRule(rule);
  rules.splice(num - 1, 0, r);
  noteRules(getTable(ns, table)!, c, [r], 1);
  j.push(() => void rules.splice(num - 1, 1));
}

/** -R chain num */
export function replaceRule(ns: NfOwner, table: NfTableName, chain: string, num: number, rule: Rule, j: Journal = []): void {
  const c = kernelChain(ns, table, chain);
  if (!c) throw new KernelError('ENOENT');
  if (num < 1 || num > c.rules.length) throw new KernelError('E2BIG');
  validateRule(ns, table, chain, rule);
  const old = c.rules[num - 1]!;
  const r = cloneRule(rule);
  c.rules[num - 1] = r;
  noteRules(getTable(ns, table)!, c, [old], -1);
  noteRules(getTable(ns, table)!, c, [r], 1);
  j.push(() => void (c.rules[num - 1] = old));
}

/** -D chain num */
export function deleteRuleNum(ns: NfOwner, table: NfTableName, chain: string, num: number, j: Journal = []): void {
  const c = kernelChain(ns, table, chain);
  if (!c) throw new KernelError('ENOENT');
  if (num < 1 || num > c.rules.length) throw new KernelError('E2BIG');
  const [old] = c.rules.splice(num - 1, 1);
  noteRules(getTable(ns, table)!, c, [old!], -1);
  j.push(() => void c.rules.splice(num - 1, 0, old!));
}

function sameRecord(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const ka = Object.keys(a ?? {}).filter((k) => !k.startsWith('_'));
  const kb = Object.keys(b ?? {}).filter((k) => !k.startsWith('_'));
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b ?? {}, k) && (a ?? {})[k] === (b ?? {})[k]);
}

function sameFlags(a: Readonly<Record<string, boolean>> | undefined, b: Readonly<Record<string, boolean>> | undefined): boolean {
  const ka = Object.keys(a ?? {}).filter((k) => a![k]);
  const kb = Object.keys(b ?? {}).filter((k) => b![k]);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b ?? {}, k) && !!(b ?? {})[k]);
}

/** Do two rules specify the same thing (counters aside)? What -D/-C compare. */
export function sameRule(a: Rule, b: Rule): boolean {
  return (
    (a.protocol ?? null) === (b.protocol ?? null) &&
    a.protocolInvert === b.protocolInvert &&
    (a.source ?? null) === (b.source ?? null) &&
    a.sourceInvert === b.sourceInvert &&
    (a.destination ?? null) === (b.destination ?? null) &&
    a.destinationInvert === b.destinationInvert &&
    (a.inIface ?? null) === (b.inIface ?? null) &&
    a.inIfaceInvert === b.inIfaceInvert &&
    (a.outIface ?? null) === (b.outIface ?? null) &&
    a.outIfaceInvert === b.outIfaceInvert &&
    (a.fragment ?? null) === (b.fragment ?? null) &&
    (a.target ?? null) === (b.target ?? null) &&
    a.goto === b.goto &&
    sameRecord(a.targetOptions, b.targetOptions) &&
    a.matches.length === b.matches.length &&
    a.matches.every((m, i) => {
      const n = b.matches[i]!;
      return m.name === n.name && sameRecord(m.options, n.options) && sameFlags(m.invert, n.invert);
    })
  );
}

/** -D chain rule-spec: deletes the first matching rule. */
export function deleteRuleSpec(ns: NfOwner, table: NfTableName, chain: string, rule: Rule, j: Journal = []): void {
  const c = kernelChain(ns, table, chain);
  if (!c) throw new KernelError('ENOENT');
  const i = c.rules.findIndex((r) => sameRule(r, rule));
  if (i < 0) throw new KernelError('ENOENT');
  const [old] = c.rules.splice(i, 1);
  noteRules(getTable(ns, table)!, c, [old!], -1);
  j.push(() => void c.rules.splice(i, 0, old!));
}

/** -C chain rule-spec: is there such a rule? (A query: changes nothing.) */
export function checkRule(ns: NfOwner, table: NfTableName, chain: string, rule: Rule): boolean {
  if (!chainExists(ns, table, chain)) throw new KernelError('ENOENT');
  const c = kernelChain(ns, table, chain);
  return !!c && c.rules.some((r) => sameRule(r, rule));
}

function emptyRules(t: NfTable | null, c: Chain, j: Journal): void {
  const old = c.rules;
  if (t) noteRules(t, c, old, -1);
  c.rules = [];
  j.push(() => void (c.rules = old));
}

/** -F [chain] */
export function flushRules(ns: NfOwner, table: NfTableName, chain: string | null, j: Journal = []): void {
  if (chain === null) {
    const t = getTable(ns, table);
    for (const c of t?.chains ?? []) emptyRules(t, c, j);
    return;
  }
  if (!chainExists(ns, table, chain)) throw new KernelError('ENOENT');
  const c = writableChain(ns, table, chain, j);
  emptyRules(getTable(ns, table), c, j);
}

/** Set counters to zero, remembering them. */
function zeroCountersOf(items: { packets: number; bytes: number }[], j: Journal): void {
  const old = items.map((x) => [x.packets, x.bytes] as const);
  for (const x of items) {
    x.packets = 0;
    x.bytes = 0;
  }
  j.push(() => items.forEach((x, i) => ([x.packets, x.bytes] = old[i]!)));
}

/** -Z [chain [num]] */
export function zeroCounters(ns: NfOwner, table: NfTableName, chain: string | null, num: number | null = null, j: Journal = []): void {
  const t = getTable(ns, table);
  if (chain === null) {
    for (const c of t?.chains ?? []) zeroChain(c, j);
    return;
  }
  const c = t?.chains.find((x) => x.name === chain);
  if (!c) throw new KernelError('ENOENT');
  if (num !== null) {
    // iptables-nft zeroes a rule number the chain does not have without complaint
    const r = c.rules[num - 1];
    if (r) zeroCountersOf([r], j);
    return;
  }
  zeroChain(c, j);
}

function zeroChain(c: Chain, j: Journal): void {
  // nft: zeroing sends the base chain counters (0, 0), which gives it counters from now on
  if (c.builtin && !c.policyCounters) {
    c.policyCounters = true;
    j.push(() => void delete c.policyCounters);
  }
  zeroCountersOf([c, ...c.rules], j);
}

/** -N chain */
export function newChain(ns: NfOwner, table: NfTableName, chain: string, j: Journal = []): void {
  if (chainExists(ns, table, chain)) throw new KernelError('EEXIST');
  const t = ensureTable(ns, table, j);
  const chains = t.chains;
  const c = emptyChain(chain, false);
  chains.push(c);
  noteChain(t, c);
  j.push(() => void chains.splice(chains.indexOf(c), 1));
}

function setChains(t: NfTable, chains: Chain[], j: Journal, gone?: Chain): void {
  // one empty chain nothing jumps to: only its name leaves the jump index
  if (gone && !gone.rules.length) forgetChain(t, gone);
  else forgetIndex(t);
  const old = t.chains;
  t.chains = chains;
  j.push(() => void (t.chains = old));
}

/**
 * -X [chain]: a user chain that still has rules or is still jumped to is
 * busy (EBUSY from the kernel); an empty built-in chain with policy ACCEPT
 * may be deleted (it reappears, faked, in listings), one with rules is busy
 * in the kernel, one with policy DROP is refused by iptables before (plain
 * EBUSY). Without a chain, every user chain goes (all or nothing).
 */
export function deleteChain(ns: NfOwner, table: NfTableName, chain: string | null, j: Journal = []): void {
  const t = getTable(ns, table);
  if (chain !== null) {
    const c = t?.chains.find((x) => x.name === chain);
    if (!c) throw new KernelError('ENOENT');
    if (c.builtin) {
      // iptables-nft (nft_may_delete_chain, with a cache of chains only)
      // refuses a base chain whose policy is not ACCEPT itself; else it asks
      // the kernel, which refuses a chain that still has rules
      // (NLM_F_NONREC); an empty one goes (listings fake it back)
      if (c.policy !== 'ACCEPT') throw new KernelError('EBUSY');
      if (c.rules.length) throw new NfBatchError('EBUSY', 'chain', chain);
    } else if (c.rules.length || chainReferences(ns, table, chain) > 0) throw new NfBatchError('EBUSY', 'chain', chain);
    setChains(t!, t!.chains.filter((x) => x !== c), j, c);
    return;
  }
  if (!t) return;
  const users = t.chains.filter((c) => !c.builtin);
  const doomed = new Set(users.map((c) => c.name));
  for (const c of [...users].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const referencedFromOutside = t.chains.some((o) => !doomed.has(o.name) && o.rules.some((r) => r.target === c.name));
    if (c.rules.length || referencedFromOutside) throw new NfBatchError('EBUSY', 'chain', c.name);
  }
  setChains(t, t.chains.filter((c) => c.builtin), j);
}

/** -E old new */
export function renameChain(ns: NfOwner, table: NfTableName, oldName: string, newName: string, j: Journal = []): void {
  if (chainExists(ns, table, newName)) throw new KernelError('EEXIST');
  const t = getTable(ns, table);
  const c = t?.chains.find((x) => x.name === oldName);
  if (!c) throw new KernelError('ENOENT');
  forgetIndex(t!);
  const oldHook = c.hook;
  // iptables-nft renames a base chain too (the kernel keeps its hook); the table is then "incompatible"
  if (c.builtin) c.hook ??= c.name;
  c.name = newName;
  const jumps = t!.chains.flatMap((o) => o.rules.filter((r) => r.target === oldName));
  for (const r of jumps) r.target = newName;
  j.push(() => {
    c.name = oldName;
    if (oldHook === undefined) delete c.hook;
    else c.hook = oldHook;
    for (const r of jumps) r.target = oldName;
  });
}

/** iptables-restore without --noflush: the table goes, chains, rules, policies and counters (it is made again as used). */
export function deleteTable(ns: NfOwner, table: NfTableName, j: Journal = []): void {
  const tables = nf(ns).tables;
  const t = tables[table];
  if (!t) return;
  forgetIndex(t);
  delete tables[table];
  j.push(() => void (tables[table] = t));
}

/** -P chain policy (iptables-restore --counters: with the chain's counters) */
export function setPolicy(ns: NfOwner, table: NfTableName, chain: string, policy: string, j: Journal = [], counters: [number, number] = [0, 0]): void {
  if (policy !== 'ACCEPT' && policy !== 'DROP') throw new KernelError('EINVAL');
  if (!isBuiltinChain(table, chain)) throw new KernelError('ENOENT');
  const c = writableChain(ns, table, chain, j);
  const old = { policy: c.policy, policyCounters: c.policyCounters, packets: c.packets, bytes: c.bytes };
  c.policy = policy;
  // iptables-nft sets the policy with the chain counters (0, 0): counting starts afresh
  c.policyCounters = true;
  [c.packets, c.bytes] = counters;
  j.push(() => {
    Object.assign(c, old);
    if (old.policyCounters === undefined) delete c.policyCounters;
  });
}
