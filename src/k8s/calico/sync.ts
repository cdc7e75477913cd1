// Writing Felix's filter chains into a node's kernel through src/sim's
// netfilter transactions: missing chains created first, the jumps in the
// built-in chains ensured (cali-FORWARD/INPUT/OUTPUT first, the accept-mark
// rule last in FORWARD), then one transaction that replaces, in each chain,
// only the rules between the unchanged start and end (rules are compared by
// their cali: ids; counters of the rules kept keep counting, as with Felix's
// incremental updates) and deletes the cali- chains no longer used.
import type { World } from '../../sim/world';
import type { NsId, Rule } from '../../sim/types';
import { checkRule, nfCommit, type NfOp } from '../../sim/netfilter';
import { calicoFilterChains, calicoHooks, type LocalEndpoint } from './chains';
import type { PolicyPod, PolicyWorld } from '../policy/evaluate';

/** A rule's identity: its `cali:<id>` comment, which chains.ts derives from the rule's place and content (as Felix does). */
const ruleId = (r: { matches: readonly { name: string; options: Readonly<Record<string, string>> }[] }) => (r.matches[0]?.name === 'comment' ? r.matches[0].options.comment : undefined);

export function calicoSync(world: World, nsId: NsId, local: LocalEndpoint[], pods: PolicyPod[], w: PolicyWorld, podsKey: string | null = null): void {
  const ns = world.ns(nsId);
  const want = calicoFilterChains(local, pods, w, podsKey);
  const have = new Map((ns.netfilter.tables.filter?.chains ?? []).filter((c) => !c.builtin).map((c) => [c.name, c]));
  const missing = want.chains.filter((c) => !have.has(c));
  if (missing.length) nfCommit(world, nsId, { table: 'filter', ops: missing.map((chain) => ({ op: 'newChain', chain }) as NfOp) });
  for (const h of calicoHooks()) {
    if (checkRule(ns, 'filter', h.chain, h.rule)) continue;
    nfCommit(world, nsId, { table: 'filter', ops: [h.position === 'first' ? { op: 'insert', chain: h.chain, num: 1, rule: h.rule } : { op: 'append', chain: h.chain, rule: h.rule }] });
  }
  const byChain = new Map<string, Rule[]>(want.chains.map((c) => [c, []]));
  for (const r of want.rules) byChain.get(r.chain)!.push(r.rule);
  const ops: NfOp[] = [];
  for (const [chain, rules] of byChain) {
    const cur = have.get(chain)?.rules ?? [];
    // keep the rules both have at the start and at the end; replace what is between
    let p = 0;
    while (p < cur.length && p < rules.length && ruleId(cur[p]!) === ruleId(rules[p]!)) p++;
    if (p === cur.length && p === rules.length) continue;
    let s = 0;
    while (s < cur.length - p && s < rules.length - p && ruleId(cur[cur.length - 1 - s]!) === ruleId(rules[rules.length - 1 - s]!)) s++;
    const drop = cur.length - p - s;
    if (drop === cur.length && drop > 0) ops.push({ op: 'flush', chain });
    else for (let i = 0; i < drop; i++) ops.push({ op: 'deleteNum', chain, num: p + 1 });
    for (let i = p; i < rules.length - s; i++) ops.push(s === 0 ? { op: 'append', chain, rule: rules[i]! } : { op: 'insert', chain, num: i + 1, rule: rules[i]! });
  }
  const table = ns.netfilter.tables.filter;
  const stale = (table?.chains ?? []).filter((c) => !c.builtin && c.name.startsWith('cali-') && !byChain.has(c.name)).map((c) => c.name);
  for (const c of stale) ops.push({ op: 'flush', chain: c });
  for (const c of stale) ops.push({ op: 'deleteChain', chain: c });
  if (ops.length) nfCommit(world, nsId, { table: 'filter', ops });
}
