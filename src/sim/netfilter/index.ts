// Netfilter, the kernel side of iptables-nft: tables, chains, rules,
// policies and counters of a namespace (chains.ts), the checkentry rules
// (checkentry.ts), the transaction API commands change them through
// (transaction.ts), and the evaluation of a hook for a packet (eval.ts).
//
// Commands read the rule set through the queries below, typed read-only
// (ChainView, RuleView), and change it only with nfCommit().
import type { Chain, Netns, NfTable, Rule, RuleMatch } from '../types';
import * as chains from './chains';
import type { NfTableName } from './tables';
import { nfScope, type NfFamily } from './chains';

export { nfScope, type NfFamily, type NfScope } from './chains';

export { HOOKS, TABLE_CHAINS, TABLE_ORDER, TARGETS, isBuiltinChain, isBuiltinTable, isTargetExtension, type Hook, type NfTableName } from './tables';
export { NfBatchError, checkEntry } from './checkentry';
export { nfCommit, type NfChange, type NfOp } from './transaction';
export { runTableHook, protoNumber, tcpFlagMask, type AddrTypeFn, type NfEvalContext, type NfPacket, type NfVerdict } from './eval';

type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

export type RuleView = DeepReadonly<Rule>;
export type MatchView = DeepReadonly<RuleMatch>;
export type ChainView = DeepReadonly<Chain>;
export type TableView = DeepReadonly<NfTable>;

/** The table if it exists in the kernel (a writing command created it). `family` 6: ip6tables' tables (the same below). */
export const getTable = (ns: Netns, table: NfTableName, family: NfFamily = 4): TableView | null => chains.getTable(nfScope(ns, family), table);
/** Tables that exist, in iptables-nft order. */
export const existingTables = (ns: Netns, family: NfFamily = 4): NfTableName[] => chains.existingTables(nfScope(ns, family));
/** The chains of a table as iptables lists them: built-ins in hook order (missing ones faked), then user chains by name. */
export const listChains = (ns: Netns, table: NfTableName, family: NfFamily = 4): ChainView[] => chains.listChains(nfScope(ns, family), table);
/** A chain as listing sees it (built-ins of a missing table included), or null. */
export const findChain = (ns: Netns, table: NfTableName, chain: string, family: NfFamily = 4): ChainView | null => chains.findChain(nfScope(ns, family), table, chain);
/** Number of rules (in the table) that jump or go to `chain`. */
export const chainReferences = (ns: Netns, table: NfTableName, chain: string, family: NfFamily = 4): number => chains.chainReferences(nfScope(ns, family), table, chain);
/** A base chain was renamed with -E: iptables cannot list the table. */
export const tableIncompatible = (ns: Netns, table: NfTableName, family: NfFamily = 4): boolean => chains.tableIncompatible(nfScope(ns, family), table);
/** -C: is there a rule like this one in the chain? ENOENT when the chain does not exist. */
export const checkRule = (ns: Netns, table: NfTableName, chain: string, rule: Rule, family: NfFamily = 4): boolean => chains.checkRule(nfScope(ns, family), table, chain, rule);
/** A rule that matches everything and has no target, with the fields given. */
export const newRule: (fields?: Partial<Rule>) => Rule = chains.newRule;
/** Do two rules specify the same thing (counters aside)? */
export const sameRule: (a: Rule, b: Rule) => boolean = chains.sameRule;
