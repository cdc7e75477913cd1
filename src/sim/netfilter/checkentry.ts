// x_tables checkentry, as the kernel runs it when a rule is committed: the
// tables and hooks a target or match may sit in (nft_target_validate /
// xt_check_target: hook mask and table), and the REJECT target's own check.
// A rule that fails is refused with EINVAL, and the whole batch with it.
import { KernelError, type Errno } from '../errors';
import type { Rule } from '../types';
import { isBuiltinChain, protoNumber, type Hook, type NfTableName } from './tables';

/**
 * An error the kernel reports for one message of an nf_tables batch (the
 * rule or chain it was about). iptables-nft prints these as
 * "RULE_APPEND failed (Invalid argument): rule in chain INPUT"; errors its
 * own cache finds first (no such chain, index too big) are plain KernelErrors.
 */
export class NfBatchError extends KernelError {
  constructor(
    errno: Errno,
    /** what the failing message was about */
    readonly object: 'rule' | 'chain',
    /** the chain the rule goes into, or the chain being deleted */
    readonly chain: string,
  ) {
    super(errno);
  }
}

/** The table and hooks each target may be used in (the targets' xt_target.table / .hooks). */
const TARGET_PLACES: ReadonlyMap<string, { table: NfTableName; hooks: readonly Hook[] }> = new Map([
  ['MASQUERADE', { table: 'nat', hooks: ['POSTROUTING'] }],
  ['SNAT', { table: 'nat', hooks: ['POSTROUTING', 'INPUT'] }],
  ['DNAT', { table: 'nat', hooks: ['PREROUTING', 'OUTPUT'] }],
  ['REDIRECT', { table: 'nat', hooks: ['PREROUTING', 'OUTPUT'] }],
  ['REJECT', { table: 'filter', hooks: ['INPUT', 'FORWARD', 'OUTPUT'] }],
  ['NOTRACK', { table: 'raw', hooks: ['PREROUTING', 'OUTPUT'] }],
  ['CT', { table: 'raw', hooks: ['PREROUTING', 'OUTPUT'] }],
]);

/** Matches the kernel accepts only in a rule of their protocol. */
const MATCH_PROTO: Readonly<Record<string, number>> = { icmp: 1, icmp6: 58 };

/** xt_mac: only where a frame came in. */
const MAC_HOOKS: readonly string[] = ['PREROUTING', 'INPUT', 'FORWARD'];

/**
 * checkentry of a rule going into `chain`: EINVAL (as NfBatchError) when a
 * target or match may not sit there. In a user chain only the table is
 * checked here; its hooks, those of the base chains that reach it, are
 * checked with fitsHook() (chains.ts).
 */
export function checkEntry(table: NfTableName, chain: string, rule: Rule): void {
  const builtin = isBuiltinChain(table, chain);
  const place = rule.target !== null ? TARGET_PLACES.get(rule.target) : undefined;
  let bad = false;
  if (place && (table !== place.table || (builtin && !place.hooks.includes(chain)))) bad = true;
  if (builtin && rule.matches.some((m) => m.name === 'mac') && !MAC_HOOKS.includes(chain)) bad = true;
  // REJECT --reject-with tcp-reset: only for a rule that matches TCP (reject_tg_check)
  if (rule.target === 'REJECT' && rule.targetOptions['reject-with'] === 'tcp-reset' && (!isTcp(rule.protocol) || rule.protocolInvert)) bad = true;
  // a match bound to a protocol (xt_match.proto: icmp, icmp6) needs the rule to match that protocol
  for (const m of rule.matches) {
    const proto = MATCH_PROTO[m.name];
    if (proto !== undefined && (protoNumber(rule.protocol) !== proto || rule.protocolInvert)) bad = true;
  }
  if (bad) throw new NfBatchError('EINVAL', 'rule', chain);
}

/** Does the rule hold a target or match only some hooks may run? */
export function hookBound(rule: Rule): boolean {
  return (rule.target !== null && TARGET_PLACES.has(rule.target)) || rule.matches.some((m) => m.name === 'mac');
}

/** May the rule run under `hook` (the hook masks of its target and matches)? */
export function fitsHook(hook: string, rule: Rule): boolean {
  const place = rule.target !== null ? TARGET_PLACES.get(rule.target) : undefined;
  if (place && !(place.hooks as readonly string[]).includes(hook)) return false;
  return !(rule.matches.some((m) => m.name === 'mac') && !MAC_HOOKS.includes(hook));
}

function isTcp(protocol: string | null): boolean {
  return protocol === 'tcp' || protocol === '6';
}
