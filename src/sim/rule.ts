// Policy routing rules (ip rule): per namespace and family, ordered by priority.
import { KernelError } from './errors';
import { prefixContains } from './ip';
import type { AddrFamily, FibRule, Netns, NsId } from './types';
import type { World } from './world';

/** The rules a fresh namespace has: 0 local, 32766 main, 32767 default (IPv4); 0 local, 32766 main (IPv6). */
export function defaultRules(): FibRule[] {
  const r = (family: AddrFamily, priority: number, table: number): FibRule => ({
    family,
    priority,
    action: 'lookup',
    table,
    src: null,
    srcLen: 0,
    dst: null,
    dstLen: 0,
    iif: null,
    oif: null,
    fwmark: null,
    fwmask: null,
    tos: 0,
    invert: false,
    protocol: 'kernel',
  });
  return [r(4, 0, 255), r(4, 32766, 254), r(4, 32767, 253), r(6, 0, 255), r(6, 32766, 254)];
}

/** Rules of one family in evaluation order (priority, then insertion). */
export function sortedRules(ns: Netns, family: AddrFamily): FibRule[] {
  return ns.rules.filter((r) => r.family === family).sort((a, b) => a.priority - b.priority);
}

function inPrefix(addr: string, net: string, len: number): boolean {
  const v6 = addr.includes(':');
  return v6 === net.includes(':') && prefixContains(net, len, addr, v6 ? 6 : 4);
}

export interface RuleKey {
  dst: string;
  /** the flow's TOS, IP protocol, ports and uid when known (a rule selecting on them needs them) */
  tos?: number;
  ipproto?: number;
  sport?: number;
  dport?: number;
  uid?: number;
  /** null: the flow has no source yet (then `from PREFIX` rules other than /0 do not match) */
  src: string | null;
  iif: string | null;
  oif: string | null;
  mark: number;
}

export function ruleMatches(rule: FibRule, k: RuleKey): boolean {
  let m = true;
  if (rule.src && rule.srcLen > 0) m = m && k.src != null && inPrefix(k.src, rule.src, rule.srcLen);
  if (rule.dst && rule.dstLen > 0) m = m && inPrefix(k.dst, rule.dst, rule.dstLen);
  if (rule.iif) m = m && k.iif === rule.iif;
  if (rule.oif) m = m && k.oif === rule.oif;
  if (rule.fwmark != null) m = m && ((k.mark & (rule.fwmask ?? 0xffffffff)) >>> 0) === rule.fwmark;
  if (rule.tos) m = m && (k.tos ?? 0) === rule.tos;
  if (rule.ipproto != null) m = m && k.ipproto === rule.ipproto;
  if (rule.sport) m = m && k.sport != null && k.sport >= rule.sport[0] && k.sport <= rule.sport[1];
  if (rule.dport) m = m && k.dport != null && k.dport >= rule.dport[0] && k.dport <= rule.dport[1];
  // the simulated users run as root
  if (rule.uidRange) m = m && (k.uid ?? 0) >= rule.uidRange[0] && (k.uid ?? 0) <= rule.uidRange[1];
  return rule.invert ? !m : m;
}

export type RuleSpec = Partial<Omit<FibRule, 'family'>> & { family: AddrFamily };

function sameRule(a: FibRule, b: FibRule): boolean {
  return (
    a.family === b.family &&
    a.priority === b.priority &&
    a.action === b.action &&
    a.table === b.table &&
    a.src === b.src &&
    a.srcLen === b.srcLen &&
    a.dst === b.dst &&
    a.dstLen === b.dstLen &&
    a.iif === b.iif &&
    a.oif === b.oif &&
    a.fwmark === b.fwmark &&
    a.tos === b.tos &&
    a.invert === b.invert &&
    a.gotoTarget === b.gotoTarget &&
    a.ipproto === b.ipproto &&
    a.suppressPrefixlen === b.suppressPrefixlen &&
    String(a.uidRange) === String(b.uidRange) &&
    String(a.sport) === String(b.sport) &&
    String(a.dport) === String(b.dport)
  );
}

/**
 * Add a rule. Without a priority the kernel picks one below the second
 * rule's priority (32765 first). Throws EEXIST for an identical rule.
 */
export function ruleAdd(world: World, nsId: NsId, spec: RuleSpec): FibRule {
  const ns = world.ns(nsId);
  let priority = spec.priority;
  if (priority == null) {
    // fib_default_rule_pref: one less than the second rule's priority, when that is not 0
    const list = sortedRules(ns, spec.family);
    priority = list.length >= 2 && list[1]!.priority ? list[1]!.priority - 1 : 0;
  }
  const rule: FibRule = {
    family: spec.family,
    priority,
    action: spec.action ?? 'lookup',
    table: spec.table ?? (spec.action && spec.action !== 'lookup' ? 0 : 254),
    src: spec.src ?? null,
    srcLen: spec.srcLen ?? 0,
    dst: spec.dst ?? null,
    dstLen: spec.dstLen ?? 0,
    iif: spec.iif ?? null,
    oif: spec.oif ?? null,
    fwmark: spec.fwmark ?? null,
    fwmask: spec.fwmask ?? null,
    tos: spec.tos ?? 0,
    invert: spec.invert ?? false,
    protocol: spec.protocol ?? 0,
  };
  for (const k of ['gotoTarget', 'uidRange', 'ipproto', 'sport', 'dport', 'suppressPrefixlen'] as const) {
    if (spec[k] != null) (rule as unknown as Record<string, unknown>)[k] = spec[k];
  }
  if (rule.action === 'goto') {
    if (rule.gotoTarget == null) throw new KernelError('EINVAL', 'Missing goto target for action goto');
    if (rule.gotoTarget <= rule.priority) throw new KernelError('EINVAL', 'Backward goto not supported');
  }
  // fib4_rule_configure: only the TOS bits (IPTOS_TOS_MASK 0x1e) may be set
  if (spec.family === 4 && rule.tos & ~0x1e) throw new KernelError('EINVAL', 'Invalid tos');
  if (rule.action === 'lookup' && rule.table === 0 && spec.family === 6) throw new KernelError('EINVAL', 'Invalid table');
  if (rule.action === 'lookup' && rule.table === 0 && spec.family === 4) {
    // fib4_rule_configure: no table given (0) takes the first unused table id, which now exists
    // (ns.fibTables keys are `${family}:${id}`, see fib.ts)
    let id = 1;
    while (ns.fibTables.includes(`4:${id}`)) id++;
    rule.table = id;
    ns.fibTables.push(`4:${id}`);
  }
  if (ns.rules.some((r) => sameRule(r, rule))) throw new KernelError('EEXIST');
  // rules with the same priority: the new one goes after the existing ones
  ns.rules.push(rule);
  return rule;
}

/** Delete the first rule matching every given field. Throws ENOENT when none. */
export function ruleDel(world: World, nsId: NsId, spec: RuleSpec): FibRule {
  const ns = world.ns(nsId);
  const match = sortedRules(ns, spec.family).find(
    (r) =>
      (spec.priority == null || r.priority === spec.priority) &&
      (spec.table == null || r.table === spec.table) &&
      (spec.action == null || r.action === spec.action) &&
      (spec.src === undefined || (r.src === spec.src && r.srcLen === (spec.srcLen ?? r.srcLen))) &&
      (spec.dst === undefined || (r.dst === spec.dst && r.dstLen === (spec.dstLen ?? r.dstLen))) &&
      (spec.iif === undefined || r.iif === spec.iif) &&
      (spec.oif === undefined || r.oif === spec.oif) &&
      (spec.fwmark === undefined || r.fwmark === spec.fwmark) &&
      (spec.invert === undefined || r.invert === spec.invert) &&
      // rule_find / fib4_rule_compare: the other selectors given must be equal too
      (!spec.tos || r.tos === spec.tos) &&
      (spec.ipproto == null || r.ipproto === spec.ipproto) &&
      (spec.sport == null || String(r.sport) === String(spec.sport)) &&
      (spec.dport == null || String(r.dport) === String(spec.dport)) &&
      (spec.uidRange == null || String(r.uidRange) === String(spec.uidRange)) &&
      (spec.suppressPrefixlen == null || r.suppressPrefixlen === spec.suppressPrefixlen),
  );
  if (!match) throw new KernelError('ENOENT');
  ns.rules.splice(ns.rules.indexOf(match), 1);
  return match;
}

/** Delete every rule `pred` selects (`ip rule flush`: the caller spares priority 0, as fib_nl_delrule refuses it) → count. */
export function ruleFlush(world: World, nsId: NsId, pred: (r: FibRule) => boolean): number {
  const ns = world.ns(nsId);
  const before = ns.rules.length;
  ns.rules = ns.rules.filter((r) => !pred(r));
  return before - ns.rules.length;
}
