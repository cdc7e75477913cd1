// Writing Felix's filter chains into a node's kernel through src/sim's
// netfilter transactions: missing chains created first, the jumps in the
// built-in chains ensured (cali-FORWARD/INPUT/OUTPUT first, the accept-mark
// rule last in FORWARD), then one transaction that rewrites only the chains
// whose rules changed (counters of unchanged chains keep counting, as with
// Felix's incremental updates) and deletes the cali- chains no longer used.
import type { World } from '../../sim/world';
import type { NsId, Rule } from '../../sim/types';
import { checkRule, findChain, nfCommit, type NfOp } from '../../sim/netfilter';
import { calicoFilterChains, calicoHooks, type LocalEndpoint } from './chains';
import type { PolicyPod, PolicyWorld } from '../policy/evaluate';

const ruleKey = (r: Rule) => JSON.stringify({ ...r, packets: 0, bytes: 0 });

export function calicoSync(world: World, nsId: NsId, local: LocalEndpoint[], pods: PolicyPod[], w: PolicyWorld): void {
  const ns = world.ns(nsId);
  const want = calicoFilterChains(local, pods, w);
  const missing = want.chains.filter((c) => !findChain(ns, 'filter', c));
  if (missing.length) nfCommit(world, nsId, { table: 'filter', ops: missing.map((chain) => ({ op: 'newChain', chain }) as NfOp) });
  for (const h of calicoHooks()) {
    if (checkRule(ns, 'filter', h.chain, h.rule)) continue;
    nfCommit(world, nsId, { table: 'filter', ops: [h.position === 'first' ? { op: 'insert', chain: h.chain, num: 1, rule: h.rule } : { op: 'append', chain: h.chain, rule: h.rule }] });
  }
  const byChain = new Map<string, Rule[]>(want.chains.map((c) => [c, []]));
  for (const r of want.rules) byChain.get(r.chain)!.push(r.rule);
  const ops: NfOp[] = [];
  for (const [chain, rules] of byChain) {
    const cur = findChain(ns, 'filter', chain)!;
    const same = cur.rules.length === rules.length && cur.rules.every((r, i) => ruleKey(r as Rule) === ruleKey(rules[i]!));
    if (same) continue;
    ops.push({ op: 'flush', chain });
    for (const rule of rules) ops.push({ op: 'append', chain, rule });
  }
  const table = ns.netfilter.tables.filter;
  const stale = (table?.chains ?? []).filter((c) => !c.builtin && c.name.startsWith('cali-') && !byChain.has(c.name)).map((c) => c.name);
  for (const c of stale) ops.push({ op: 'flush', chain: c });
  for (const c of stale) ops.push({ op: 'deleteChain', chain: c });
  if (ops.length) nfCommit(world, nsId, { table: 'filter', ops });
}
