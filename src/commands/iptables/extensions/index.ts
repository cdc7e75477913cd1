// The extensions iptables can load, by name: matches (-m NAME, or the
// protocol's own with -p) and targets (-j NAME). Maps, so that a user's name
// (`-m toString`, `-j __proto__`) is only ever a name.
import type { NfFamily } from '../../../sim/netfilter';
import type { ExtDef } from '../extension';
import { addrtypeExt } from './addrtype';
import { commentExt } from './comment';
import { conntrackExt, stateExt } from './conntrack';
import { ctTarget, notrackTarget } from './CT';
import { dnatTarget } from './DNAT';
import { icmp6Ext, icmpExt } from './icmp';
import { iprangeExt } from './iprange';
import { limitExt } from './limit';
import { logExt } from './LOG';
import { macExt } from './mac';
import { markExt, markTarget } from './mark';
import { masqueradeTarget } from './MASQUERADE';
import { multiportExt } from './multiport';
import { redirectTarget } from './REDIRECT';
import { reject6Ext, rejectExt } from './REJECT';
import { snatTarget } from './SNAT';
import { standardTarget } from './standard';
import { statisticExt } from './statistic';
import { tcpExt } from './tcp';
import { udpExt } from './udp';

export { standardTarget };

const byName = (exts: ExtDef[]): ReadonlyMap<string, ExtDef> => new Map(exts.map((e) => [e.name, e]));

const SHARED_MATCHES = [tcpExt, udpExt, commentExt, conntrackExt, stateExt, multiportExt, addrtypeExt, statisticExt, markExt, iprangeExt, limitExt, macExt];
const SHARED_TARGETS = [logExt, snatTarget, dnatTarget, masqueradeTarget, redirectTarget, markTarget, notrackTarget, ctTarget];

/** Each family's loadable extensions: the family-neutral libxt_* ones, and its own libipt_* or libip6t_* ones. */
const MATCHES: Record<NfFamily, ReadonlyMap<string, ExtDef>> = { 4: byName([icmpExt, ...SHARED_MATCHES]), 6: byName([icmp6Ext, ...SHARED_MATCHES]) };
const TARGETS: Record<NfFamily, ReadonlyMap<string, ExtDef>> = { 4: byName([rejectExt, ...SHARED_TARGETS]), 6: byName([reject6Ext, ...SHARED_TARGETS]) };

/** The verdicts the standard target stands for ('' = no -j). */
const STANDARD = new Set(['ACCEPT', 'DROP', 'RETURN', 'QUEUE', '']);

/** The match extension called `name` for the family, or null (xtables_find_match; ip6tables loads "icmp6" under its protocol's names too). */
export function matchDef(name: string, family: NfFamily = 4): ExtDef | null {
  if (family === 6 && (name === 'icmpv6' || name === 'ipv6-icmp')) name = 'icmp6';
  return MATCHES[family].get(name) ?? null;
}

/** The target extension called `name` (the standard target for a verdict), or null: then it names a chain. */
export function targetDef(name: string, family: NfFamily = 4): ExtDef | null {
  if (STANDARD.has(name)) return standardTarget;
  return TARGETS[family].get(name) ?? null;
}

/** Every loadable extension of a family: the matches, then the targets (for help, completion and tests). */
export function allExtensions(family: NfFamily = 4): ExtDef[] {
  return [...MATCHES[family].values(), ...TARGETS[family].values()];
}
