// Netfilter transactions: a command describes the change it wants (an
// NfChange: operations on one table, in order, as iptables-nft sends one
// batch per command) and the kernel commits it whole or not at all. Each
// operation validates as the kernel does (chain and rule lookups, jumps,
// checkentry) and journals its undo; the first error rolls back what the
// earlier ones did and is thrown (a KernelError, or an NfBatchError for what
// the kernel refused in the batch). Nothing is copied up front, so a change
// costs what its operations cost, whatever the size of the rule set.
import { KernelError } from '../errors';
import type { Rule } from '../types';
import type { NsId } from '../types';
import type { World } from '../world';
import { nfScope, type NfFamily, type NfScope } from './chains';
import { appendRule, deleteChain, deleteTable, deleteRuleNum, deleteRuleSpec, flushRules, insertRule, newChain, renameChain, replaceRule, setPolicy, zeroCounters, type Journal } from './chains';
import type { NfTableName } from './tables';
import { forgetIndex, withJumpIndex } from './jumps';

export type NfOp =
  | { op: 'append'; chain: string; rule: Rule }
  | { op: 'insert'; chain: string; num: number; rule: Rule }
  | { op: 'replace'; chain: string; num: number; rule: Rule }
  | { op: 'delete'; chain: string; rule: Rule }
  | { op: 'deleteNum'; chain: string; num: number }
  | { op: 'flush'; chain: string | null }
  | { op: 'zero'; chain: string | null; num?: number | null }
  | { op: 'newChain'; chain: string }
  | { op: 'deleteChain'; chain: string | null }
  | { op: 'renameChain'; chain: string; to: string }
  | { op: 'policy'; chain: string; policy: string; counters?: [number, number] }
  | { op: 'deleteTable' };

export interface NfChange {
  table: NfTableName;
  ops: NfOp[];
  /** 6: ip6tables' tables (default 4, iptables') */
  family?: NfFamily;
}

function apply(ns: NfScope, table: NfTableName, o: NfOp, j: Journal): void {
  switch (o.op) {
    case 'append':
      return appendRule(ns, table, o.chain, o.rule, j);
    case 'insert':
      return insertRule(ns, table, o.chain, o.num, o.rule, j);
    case 'replace':
      return replaceRule(ns, table, o.chain, o.num, o.rule, j);
    case 'delete':
      return deleteRuleSpec(ns, table, o.chain, o.rule, j);
    case 'deleteNum':
      return deleteRuleNum(ns, table, o.chain, o.num, j);
    case 'flush':
      return flushRules(ns, table, o.chain, j);
    case 'zero':
      return zeroCounters(ns, table, o.chain, o.num ?? null, j);
    case 'newChain':
      return newChain(ns, table, o.chain, j);
    case 'deleteChain':
      return deleteChain(ns, table, o.chain, j);
    case 'renameChain':
      return renameChain(ns, table, o.chain, o.to, j);
    case 'policy':
      return setPolicy(ns, table, o.chain, o.policy, j, o.counters);
    case 'deleteTable':
      return deleteTable(ns, table, j);
  }
}

/** Commit a change: every operation, or (on the first error, which is thrown) none. The error's `opIndex` says which operation failed. */
export function nfCommit(world: World, nsId: NsId, change: NfChange): void {
  const j: Journal = [];
  const scope = nfScope(world.ns(nsId), change.family ?? 4, true);
  withJumpIndex(() => {
    try {
      change.ops.forEach((o, i) => {
        try {
          apply(scope, change.table, o, j);
        } catch (e) {
          if (e instanceof KernelError) e.opIndex = i;
          throw e;
        }
      });
    } catch (e) {
      for (let i = j.length - 1; i >= 0; i--) j[i]!();
      const t = scope.tables[change.table];
      if (t) forgetIndex(t);
      throw e;
    }
  });
}
