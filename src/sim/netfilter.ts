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
// nothing.
import { KernelError } from './errors';
import { v4Mask, v4ToInt } from './ip';
import type { Chain, Netfilter, Netns, NfTable, Rule } from './types';
import type { World } from './world';

export type NfTableName = 'raw' | 'mangle' | 'filter' | 'security' | 'nat';
export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

/** Hook numbers (NF_INET_*): the order iptables lists built-in chains in. */
export const HOOKS: Hook[] = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

/** Built-in chains of each table, in hook order. */
export const TABLE_CHAINS: Record<NfTableName, Hook[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

/** The order iptables-nft keeps its tables in (iptables-save prints existing tables in this order). */
export const TABLE_ORDER: NfTableName[] = ['mangle', 'security', 'raw', 'filter', 'nat'];

/** Targets that are extensions or verdicts rather than chains. */
export const TARGETS = ['ACCEPT', 'DROP', 'RETURN', 'QUEUE', 'REJECT', 'LOG', 'MASQUERADE', 'SNAT', 'DNAT', 'REDIRECT', 'MARK', 'NOTRACK', 'CT'] as const;
const TARGET_SET = new Set<string>(TARGETS);

export function isTargetExtension(name: string): boolean {
  return TARGET_SET.has(name);
}

export function isBuiltinTable(name: string): name is NfTableName {
  return Object.prototype.hasOwnProperty.call(TABLE_CHAINS, name);
}

export function isBuiltinChain(table: NfTableName, chain: string): chain is Hook {
  return (TABLE_CHAINS[table] as string[]).includes(chain);
}

function nf(ns: Netns): Netfilter {
  return ns.netfilter;
}

function emptyChain(name: string, builtin: boolean): Chain {
  return { name, builtin, policy: builtin ? 'ACCEPT' : null, rules: [], packets: 0, bytes: 0 };
}

/** The table if it exists in the kernel (a writing command created it). */
export function getTable(ns: Netns, table: NfTableName): NfTable | null {
  return nf(ns).tables[table] ?? null;
}

/**
 * Create the table if missing (iptables-nft's nft_xt_builtin_table_init);
 * built-in chains are created one by one as commands need them.
 */
export function ensureTable(ns: Netns, table: NfTableName): NfTable {
  let t = nf(ns).tables[table];
  if (!t) {
    t = { name: table, chains: [], initialised: false };
    nf(ns).tables[table] = t;
  }
  return t;
}

/** Create a built-in chain if missing (nft_xt_builtin_init for one chain), keeping hook order. */
function ensureBuiltinChain(ns: Netns, table: NfTableName, chain: Hook): Chain {
  const t = ensureTable(ns, table);
  let c = t.chains.find((x) => x.name === chain);
  if (!c) {
    c = emptyChain(chain, true);
    const order = TABLE_CHAINS[table];
    const at = t.chains.findIndex((x) => !x.builtin || order.indexOf(x.name as Hook) > order.indexOf(chain));
    if (at < 0) t.chains.push(c);
    else t.chains.splice(at, 0, c);
    t.initialised = order.every((h) => t.chains.some((x) => x.name === h));
  }
  return c;
}

/** Tables that exist, in iptables-nft order. */
export function existingTables(ns: Netns): NfTableName[] {
  return TABLE_ORDER.filter((t) => nf(ns).tables[t]);
}

/**
 * The chains of a table as iptables lists them: built-in chains in hook
 * order (missing ones faked, policy ACCEPT), then user chains by name.
 */
export function listChains(ns: Netns, table: NfTableName): Chain[] {
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
export function tableIncompatible(ns: Netns, table: NfTableName): boolean {
  return (getTable(ns, table)?.chains ?? []).some(renamedBase);
}

/** A chain as listing sees it (built-ins of a missing table included), or null. */
export function findChain(ns: Netns, table: NfTableName, chain: string): Chain | null {
  return listChains(ns, table).find((c) => c.name === chain) ?? null;
}

/** Number of rules (in the table) that jump or go to `chain`. */
export function chainReferences(ns: Netns, table: NfTableName, chain: string): number {
  const t = getTable(ns, table);
  if (!t) return 0;
  let n = 0;
  for (const c of t.chains) for (const r of c.rules) if (r.target === chain) n++;
  return n;
}

function writableChain(ns: Netns, table: NfTableName, chain: string): Chain {
  const exists = getTable(ns, table)?.chains.find((c) => c.name === chain);
  if (exists) return exists;
  if (isBuiltinChain(table, chain)) return ensureBuiltinChain(ns, table, chain);
  throw new KernelError('ENOENT');
}

/** A chain that exists in the kernel (a built-in chain no command created yet does not). */
function kernelChain(ns: Netns, table: NfTableName, chain: string): Chain | null {
  return getTable(ns, table)?.chains.find((c) => c.name === chain) ?? null;
}

function chainExists(ns: Netns, table: NfTableName, chain: string): boolean {
  return isBuiltinChain(table, chain) || !!getTable(ns, table)?.chains.some((c) => c.name === chain);
}

/** Would a rule in `from` jumping to `to` close a loop (`to` reaches `from`)? */
function createsLoop(ns: Netns, table: NfTableName, from: string, to: string): boolean {
  const t = getTable(ns, table);
  if (!t) return from === to;
  const seen = new Set<string>();
  const stack = [to];
  while (stack.length) {
    const c = stack.pop()!;
    if (c === from) return true;
    if (seen.has(c)) continue;
    seen.add(c);
    const ch = t.chains.find((x) => x.name === c);
    if (!ch) continue;
    for (const r of ch.rules) if (r.target && !isTargetExtension(r.target)) stack.push(r.target);
  }
  return false;
}

function checkRuleTarget(ns: Netns, table: NfTableName, chain: string, rule: Rule): void {
  const tg = rule.target;
  if (!tg || isTargetExtension(tg)) return;
  if (isBuiltinChain(table, tg) || !chainExists(ns, table, tg)) throw new KernelError('ENOENT');
  if (createsLoop(ns, table, chain, tg)) throw new KernelError('ELOOP');
}

function cloneRule(rule: Rule): Rule {
  return JSON.parse(JSON.stringify(rule)) as Rule;
}

/** -A */
export function appendRule(ns: Netns, table: NfTableName, chain: string, rule: Rule): void {
  if (!chainExists(ns, table, chain)) throw new KernelError('ENOENT');
  checkRuleTarget(ns, table, chain, rule);
  writableChain(ns, table, chain).rules.push(cloneRule(rule));
}

/** -I chain num (1-based; iptables allows one past the end). */
export function insertRule(ns: Netns, table: NfTableName, chain: string, num: number, rule: Rule): void {
  if (!chainExists(ns, table, chain)) throw new KernelError('ENOENT');
  const len = getTable(ns, table)?.chains.find((c) => c.name === chain)?.rules.length ?? 0;
  if (num < 1 || num > len + 1) throw new KernelError('E2BIG');
  checkRuleTarget(ns, table, chain, rule);
  writableChain(ns, table, chain).rules.splice(num - 1, 0, cloneRule(rule));
}

/** -R chain num */
export function replaceRule(ns: Netns, table: NfTableName, chain: string, num: number, rule: Rule): void {
  const c = kernelChain(ns, table, chain);
  if (!c) throw new KernelError('ENOENT');
  if (num < 1 || num > c.rules.length) throw new KernelError('E2BIG');
  checkRuleTarget(ns, table, chain, rule);
  c.rules[num - 1] = cloneRule(rule);
}

/** -D chain num */
export function deleteRuleNum(ns: Netns, table: NfTableName, chain: string, num: number): Rule {
  const c = kernelChain(ns, table, chain);
  if (!c) throw new KernelError('ENOENT');
  if (num < 1 || num > c.rules.length) throw new KernelError('E2BIG');
  return c.rules.splice(num - 1, 1)[0]!;
}

function sameRecord(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {}).filter((k) => !k.startsWith('_'));
  const kb = Object.keys(b ?? {}).filter((k) => !k.startsWith('_'));
  if (ka.length !== kb.length) return false;
  return ka.every((k) => (a ?? {})[k] === (b ?? {})[k]);
}

function sameFlags(a: Record<string, boolean> | undefined, b: Record<string, boolean> | undefined): boolean {
  const ka = Object.keys(a ?? {}).filter((k) => a![k]);
  const kb = Object.keys(b ?? {}).filter((k) => b![k]);
  return ka.length === kb.length && ka.every((k) => !!(b ?? {})[k]);
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
export function deleteRuleSpec(ns: Netns, table: NfTableName, chain: string, rule: Rule): void {
  const c = getTable(ns, table)?.chains.find((x) => x.name === chain);
  if (!c) throw new KernelError('ENOENT');
  const i = c.rules.findIndex((r) => sameRule(r, rule));
  if (i < 0) throw new KernelError('ENOENT');
  c.rules.splice(i, 1);
}

/** -C chain rule-spec */
export function checkRule(ns: Netns, table: NfTableName, chain: string, rule: Rule): boolean {
  if (!chainExists(ns, table, chain)) throw new KernelError('ENOENT');
  const c = getTable(ns, table)?.chains.find((x) => x.name === chain);
  return !!c && c.rules.some((r) => sameRule(r, rule));
}

/** -F [chain] */
export function flushRules(ns: Netns, table: NfTableName, chain: string | null): void {
  if (chain === null) {
    const t = getTable(ns, table);
    if (t) for (const c of t.chains) c.rules = [];
    return;
  }
  if (!chainExists(ns, table, chain)) throw new KernelError('ENOENT');
  writableChain(ns, table, chain).rules = [];
}

/** -Z [chain [num]] */
export function zeroCounters(ns: Netns, table: NfTableName, chain: string | null, num: number | null = null): void {
  const t = getTable(ns, table);
  if (chain === null) {
    if (t) for (const c of t.chains) zeroChain(c);
    return;
  }
  const c = t?.chains.find((x) => x.name === chain);
  if (!c) throw new KernelError('ENOENT');
  if (num !== null) {
    // iptables-nft zeroes a rule number the chain does not have without complaint
    const r = c.rules[num - 1];
    if (!r) return;
    r.packets = 0;
    r.bytes = 0;
    return;
  }
  zeroChain(c);
}

function zeroChain(c: Chain): void {
  // nft: zeroing sends the base chain counters (0, 0), which gives it counters from now on
  if (c.builtin) c.policyCounters = true;
  c.packets = 0;
  c.bytes = 0;
  for (const r of c.rules) {
    r.packets = 0;
    r.bytes = 0;
  }
}

/** -N chain */
export function newChain(ns: Netns, table: NfTableName, chain: string): void {
  if (chainExists(ns, table, chain)) throw new KernelError('EEXIST');
  ensureTable(ns, table).chains.push(emptyChain(chain, false));
}

/**
 * -X [chain]: a user chain that still has rules or is still jumped to is
 * busy (EBUSY, extack = the chain); an empty built-in chain with policy
 * ACCEPT may be deleted (it reappears, faked, in listings), one with rules is
 * busy in the kernel (extack = the chain), one with policy DROP is refused
 * by iptables before (EBUSY, no extack). Without a
 * chain, every user chain goes (all or nothing).
 */
export function deleteChain(ns: Netns, table: NfTableName, chain: string | null): void {
  const t = getTable(ns, table);
  if (chain !== null) {
    const c = t?.chains.find((x) => x.name === chain);
    if (!c) throw new KernelError('ENOENT');
    if (c.builtin) {
      // iptables-nft (nft_may_delete_chain, with a cache of chains only)
      // refuses a base chain whose policy is not ACCEPT itself (EBUSY, no
      // extack); else it asks the kernel, which refuses a chain that still
      // has rules (NLM_F_NONREC: EBUSY, reported with the chain's name); an
      // empty one goes (listings fake it back)
      if (c.policy !== 'ACCEPT') throw new KernelError('EBUSY');
      if (c.rules.length) throw new KernelError('EBUSY', chain);
      t!.chains = t!.chains.filter((x) => x !== c);
      return;
    }
    if (c.rules.length || chainReferences(ns, table, chain) > 0) throw new KernelError('EBUSY', chain);
    t!.chains = t!.chains.filter((x) => x !== c);
    return;
  }
  if (!t) return;
  const users = t.chains.filter((c) => !c.builtin);
  const doomed = new Set(users.map((c) => c.name));
  for (const c of [...users].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const referencedFromOutside = t.chains.some((o) => !doomed.has(o.name) && o.rules.some((r) => r.target === c.name));
    if (c.rules.length || referencedFromOutside) throw new KernelError('EBUSY', c.name);
  }
  t.chains = t.chains.filter((c) => c.builtin);
}

/** -E old new */
export function renameChain(ns: Netns, table: NfTableName, oldName: string, newName: string): void {
  if (chainExists(ns, table, newName)) throw new KernelError('EEXIST');
  const t = getTable(ns, table);
  const c = t?.chains.find((x) => x.name === oldName);
  if (!c) throw new KernelError('ENOENT');
  // iptables-nft renames a base chain too (the kernel keeps its hook); the table is then "incompatible"
  if (c.builtin) c.hook ??= c.name;
  c.name = newName;
  for (const o of t!.chains) for (const r of o.rules) if (r.target === oldName) r.target = newName;
}

/** -P chain policy */
export function setPolicy(ns: Netns, table: NfTableName, chain: string, policy: string): void {
  if (policy !== 'ACCEPT' && policy !== 'DROP') throw new KernelError('EINVAL');
  if (!isBuiltinChain(table, chain)) throw new KernelError('ENOENT');
  const c = writableChain(ns, table, chain);
  c.policy = policy;
  // iptables-nft sets the policy with the chain counters (0, 0): counting starts afresh
  c.policyCounters = true;
  c.packets = 0;
  c.bytes = 0;
}

/** The policy of a base chain applies to a packet: nft counts it when the chain has counters. */
function policyVerdict(base: Chain, p: NfPacket): NfVerdict {
  if (base.policyCounters) {
    base.packets += 1;
    base.bytes += p.len;
  }
  return base.policy === 'DROP' ? { verdict: 'DROP' } : { verdict: 'ACCEPT' };
}

// ---------------------------------------------------------------- evaluation

/** What the rules see of a packet at a hook. */
export interface NfPacket {
  src: string;
  dst: string;
  /** IP protocol number (1 icmp, 6 tcp, 17 udp) */
  proto: number;
  sport: number;
  dport: number;
  icmpType: number;
  icmpCode: number;
  /** TCP flags bits (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32) */
  tcpFlags: number;
  /** IP total length: what byte counters add */
  len: number;
  mark: number;
  /** interface names, null where the hook has none */
  inIface: string | null;
  outIface: string | null;
  /** conntrack state of the packet: NEW, ESTABLISHED, RELATED, INVALID or UNTRACKED */
  ctstate: string;
  /** the connection has been source / destination NATed */
  ctSnat: boolean;
  ctDnat: boolean;
  fragment: boolean;
  /** the source MAC of the frame the packet came in (-m mac); null for locally generated packets */
  srcMac?: string | null;
  /** set by NOTRACK / CT --notrack in the raw table: conntrack leaves the packet alone (ctstate UNTRACKED) */
  notrack?: boolean;
}

/** Address classification for -m addrtype (RTN_* names). */
export type AddrTypeFn = (addr: string, iface: string | null) => string;

export type NfVerdict =
  | { verdict: 'ACCEPT' }
  | { verdict: 'DROP' }
  | { verdict: 'REJECT'; with: string }
  | { verdict: 'NAT'; target: 'SNAT' | 'DNAT' | 'MASQUERADE' | 'REDIRECT'; options: Record<string, string> };

export interface NfEvalContext {
  world: World;
  /** -m addrtype: the route type of an address in the namespace */
  addrType: AddrTypeFn;
  /** LOG target: a kernel log line was written */
  log?: (prefix: string, level: string, pkt: NfPacket) => void;
  /** per-rule trace for the topology view */
  trace?: (table: NfTableName, chain: string, ruleNum: number | null, target: string) => void;
}


/** Does `addr` fall in "a.b.c.d/len" (or a bare address, /32; a dotted mask is allowed too)? */
export function inCidr(addr: string, cidr: string): boolean {
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(addr)) return false;
  const [net, m] = cidr.split('/');
  let mask = 0xffffffff;
  if (m !== undefined) mask = m.includes('.') ? v4ToInt(m) : v4Mask(Number(m));
  return ((v4ToInt(addr) & mask) >>> 0) === ((v4ToInt(net!) & mask) >>> 0);
}

function ifaceMatches(pattern: string, name: string | null): boolean {
  if (name === null) return false;
  if (pattern.endsWith('+')) return name.startsWith(pattern.slice(0, -1));
  return name === pattern;
}

function portIn(port: number, spec: string): boolean {
  const [a, b] = spec.split(':');
  const lo = Number(a);
  const hi = b === undefined ? lo : Number(b);
  return port >= lo && port <= hi;
}

const PROTO_NUM: Record<string, number> = { all: 0, tcp: 6, udp: 17, icmp: 1, sctp: 132, udplite: 136, 'ipv6-icmp': 58, icmpv6: 58, esp: 50, ah: 51, 'mobility-header': 135, 'ipv6-mh': 135, mh: 135, gre: 47, ipip: 4 };

export function protoNumber(p: string | null): number {
  if (p === null) return 0;
  if (/^\d+$/.test(p)) return Number(p);
  return PROTO_NUM[p] ?? -1;
}

const TCP_FLAG_BITS: Record<string, number> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ALL: 63, NONE: 0 };

export function tcpFlagMask(list: string): number {
  let m = 0;
  for (const f of list.split(',')) m |= TCP_FLAG_BITS[f.toUpperCase()] ?? 0;
  return m;
}

function matchOne(ctx: NfEvalContext, name: string, o: Record<string, string>, inv: Record<string, boolean>, p: NfPacket): boolean {
  const x = (key: string, v: boolean): boolean => (inv[key] ? !v : v);
  switch (name) {
    case 'tcp':
    case 'udp': {
      const want = name === 'tcp' ? 6 : 17;
      if (p.proto !== want || p.fragment) return false;
      if (o.sport !== undefined && !x('sport', portIn(p.sport, o.sport))) return false;
      if (o.dport !== undefined && !x('dport', portIn(p.dport, o.dport))) return false;
      if (name === 'tcp' && o['tcp-flags'] !== undefined) {
        const [mask, comp] = o['tcp-flags'].split(' ');
        if (!x('tcp-flags', (p.tcpFlags & tcpFlagMask(mask!)) === tcpFlagMask(comp!))) return false;
      }
      return true;
    }
    case 'icmp': {
      if (p.proto !== 1 || p.fragment) return false;
      const type = Number(o.type ?? '255');
      if (type === 255) return x('type', true);
      const [cl, ch] = (o.code ?? '0:255').split(':').map(Number);
      const hit = p.icmpType === type && p.icmpCode >= cl! && p.icmpCode <= (ch ?? cl!);
      return x('type', hit);
    }
    case 'comment':
      return true;
    case 'conntrack':
    case 'state': {
      const states = (o.ctstate ?? o.state ?? '').split(',');
      const hit = states.some((s) => s === p.ctstate || (s === 'SNAT' && p.ctSnat) || (s === 'DNAT' && p.ctDnat));
      return x(o.ctstate !== undefined ? 'ctstate' : 'state', hit);
    }
    case 'multiport': {
      const key = o.dports !== undefined ? 'dports' : o.sports !== undefined ? 'sports' : 'ports';
      if (p.proto !== 6 && p.proto !== 17 && p.proto !== 132) return false;
      const specs = (o[key] ?? '').split(',');
      const test = (port: number): boolean => specs.some((s) => portIn(port, s));
      const hit = key === 'dports' ? test(p.dport) : key === 'sports' ? test(p.sport) : test(p.sport) || test(p.dport);
      return x(key, hit);
    }
    case 'addrtype': {
      if (o['src-type'] !== undefined) {
        const t = ctx.addrType(p.src, o['limit-iface-in'] !== undefined ? p.inIface : o['limit-iface-out'] !== undefined ? p.outIface : null);
        if (!x('src-type', o['src-type'].split(',').includes(t))) return false;
      }
      if (o['dst-type'] !== undefined) {
        const t = ctx.addrType(p.dst, o['limit-iface-in'] !== undefined ? p.inIface : o['limit-iface-out'] !== undefined ? p.outIface : null);
        if (!x('dst-type', o['dst-type'].split(',').includes(t))) return false;
      }
      return true;
    }
    case 'statistic': {
      if (o.mode === 'nth') {
        // xt_statistic: libxt_statistic stores every-1 and starts the counter
        // at (every-1) - packet; each packet moves it on (wrapping after
        // every-1) and the match hits when it wraps to 0, so with --packet 0
        // the first packet matches (then every n-th after it)
        const every = Number(o.every ?? '1');
        const count = Number(o._count ?? String(every - 1 - Number(o.packet ?? '0')));
        const next = count >= every - 1 ? 0 : count + 1;
        o._count = String(next);
        return x('mode', next === 0);
      }
      const prob = Number(o.probability ?? '1');
      const r = ctx.world.random();
      return x('mode', r < prob);
    }
    case 'iprange': {
      const inRange = (addr: string, range: string): boolean => {
        const [lo, hi] = range.split('-');
        const a = v4ToInt(addr);
        return a >= v4ToInt(lo!) && a <= v4ToInt(hi ?? lo!);
      };
      if (o['src-range'] !== undefined && !x('src-range', inRange(p.src, o['src-range']))) return false;
      if (o['dst-range'] !== undefined && !x('dst-range', inRange(p.dst, o['dst-range']))) return false;
      return true;
    }
    case 'limit': {
      // nft_limit (packets): a bucket of `burst` packets' worth of time,
      // refilled with the time that passes; each packet costs unit/rate
      const now = BigInt(Math.round(ctx.world.now() * 1e6));
      const cost = (BigInt(Number(o.unit ?? '3600')) * 1_000_000_000n) / BigInt(Math.max(1, Number(o.rate ?? '3')));
      const max = cost * BigInt(Number(o.burst ?? '5'));
      let tokens = o._tokens !== undefined ? BigInt(o._tokens) + (now - BigInt(o._last ?? String(now))) : max;
      if (tokens > max) tokens = max;
      o._last = String(now);
      if (tokens >= cost) {
        o._tokens = String(tokens - cost);
        return true;
      }
      o._tokens = String(tokens);
      return false;
    }
    case 'mac':
      return x('mac-source', p.srcMac != null && p.srcMac.toLowerCase() === o['mac-source']);
    case 'mark': {
      const [v, m] = (o.mark ?? '0').split('/');
      const val = Number(v) >>> 0;
      const mask = m === undefined ? 0xffffffff : Number(m) >>> 0;
      return x('mark', ((p.mark & mask) >>> 0) === val);
    }
    default:
      return false;
  }
}

function ruleMatches(ctx: NfEvalContext, r: Rule, p: NfPacket): boolean {
  if (r.protocol !== null) {
    const n = protoNumber(r.protocol);
    if (n !== 0) {
      const hit = p.proto === n;
      if (r.protocolInvert ? hit : !hit) return false;
    }
  }
  if (r.source !== null) {
    const hit = inCidr(p.src, r.source);
    if (r.sourceInvert ? hit : !hit) return false;
  }
  if (r.destination !== null) {
    const hit = inCidr(p.dst, r.destination);
    if (r.destinationInvert ? hit : !hit) return false;
  }
  if (r.inIface !== null) {
    const hit = ifaceMatches(r.inIface, p.inIface);
    if (r.inIfaceInvert ? hit : !hit) return false;
  }
  if (r.outIface !== null) {
    const hit = ifaceMatches(r.outIface, p.outIface);
    if (r.outIfaceInvert ? hit : !hit) return false;
  }
  if (r.fragment !== null) {
    const hit = p.fragment;
    if (r.fragment ? !hit : hit) return false;
  }
  for (const m of r.matches) if (!matchOne(ctx, m.name, m.options, m.invert ?? {}, p)) return false;
  return true;
}

/** Apply a MARK target's "0xV/0xM" (xset: mark = (mark & ~M) ^ V). */
function applyMark(p: NfPacket, xmark: string): void {
  const [v, m] = xmark.split('/');
  const val = Number(v) >>> 0;
  const mask = m === undefined ? 0xffffffff : Number(m) >>> 0;
  p.mark = (((p.mark & ~mask) >>> 0) ^ val) >>> 0;
}

const MAX_DEPTH = 64;

/**
 * Run one table's chain of a hook for a packet: rules in order, jumps and
 * gotos into user chains, RETURN, and the built-in chain's policy. Counts
 * packets and bytes on every rule that matched (a jump counts where it
 * jumps from). Non-terminating targets (LOG, MARK) apply and go on. A
 * table that does not exist lets everything through (no hook registered).
 */
export function runTableHook(ctx: NfEvalContext, ns: Netns, table: NfTableName, hook: Hook, p: NfPacket): NfVerdict {
  const t = getTable(ns, table);
  if (!t) return { verdict: 'ACCEPT' };
  const base = t.chains.find((c) => c.builtin && (c.hook ?? c.name) === hook);
  if (!base) return { verdict: 'ACCEPT' };
  // a call stack of [chain, next rule index]
  const stack: { chain: Chain; i: number }[] = [{ chain: base, i: 0 }];
  while (stack.length) {
    const frame = stack[stack.length - 1]!;
    if (frame.i >= frame.chain.rules.length) {
      stack.pop();
      if (stack.length === 0) {
        ctx.trace?.(table, base.name, null, base.policy ?? 'ACCEPT');
        return policyVerdict(base, p);
      }
      continue;
    }
    const idx = frame.i++;
    const r = frame.chain.rules[idx]!;
    if (!ruleMatches(ctx, r, p)) continue;
    r.packets += 1;
    r.bytes += p.len;
    const tg = r.target;
    if (tg !== null) ctx.trace?.(table, frame.chain.name, idx + 1, tg);
    switch (tg) {
      case null:
        continue;
      case 'ACCEPT':
        return { verdict: 'ACCEPT' };
      case 'DROP':
        return { verdict: 'DROP' };
      case 'QUEUE':
        return { verdict: 'DROP' };
      case 'REJECT':
        return { verdict: 'REJECT', with: r.targetOptions['reject-with'] ?? 'icmp-port-unreachable' };
      case 'RETURN':
        stack.pop();
        if (stack.length === 0) {
          ctx.trace?.(table, base.name, null, base.policy ?? 'ACCEPT');
          return policyVerdict(base, p);
        }
        continue;
      case 'LOG':
        ctx.log?.(r.targetOptions['log-prefix'] ?? '', r.targetOptions['log-level'] ?? '4', p);
        continue;
      case 'MARK':
        applyMark(p, r.targetOptions['set-xmark'] ?? '0x0/0x0');
        continue;
      case 'NOTRACK':
      case 'CT':
        // the raw table's conntrack template: NOTRACK (and CT --notrack) untracks the packet
        if (tg === 'NOTRACK' || r.targetOptions.notrack !== undefined) {
          p.notrack = true;
          p.ctstate = 'UNTRACKED';
        }
        continue;
      case 'SNAT':
      case 'DNAT':
      case 'MASQUERADE':
      case 'REDIRECT':
        return { verdict: 'NAT', target: tg, options: { ...r.targetOptions } };
      default: {
        const target = t.chains.find((c) => c.name === tg && !c.builtin);
        if (!target) continue;
        if (stack.length >= MAX_DEPTH) return { verdict: 'DROP' };
        // -g replaces the current frame: the chain's end returns to our caller
        // (to the policy when we were the base chain)
        if (r.goto) stack.pop();
        stack.push({ chain: target, i: 0 });
      }
    }
  }
  return { verdict: 'ACCEPT' };
}
