// The extensions iptables can load, by name: matches (-m NAME, or the
// protocol's own with -p) and targets (-j NAME). Maps, so that a user's name
// (`-m toString`, `-j __proto__`) is only ever a name.
import type { ExtDef } from '../extension';
import { addrtypeExt } from './addrtype';
import { commentExt } from './comment';
import { conntrackExt, stateExt } from './conntrack';
import { ctTarget, notrackTarget } from './CT';
import { dnatTarget } from './DNAT';
import { icmpExt } from './icmp';
import { iprangeExt } from './iprange';
import { limitExt } from './limit';
import { logExt } from './LOG';
import { macExt } from './mac';
import { markExt, markTarget } from './mark';
import { masqueradeTarget } from './MASQUERADE';
import { multiportExt } from './multiport';
import { redirectTarget } from './REDIRECT';
import { rejectExt } from './REJECT';
import { snatTarget } from './SNAT';
import { standardTarget } from './standard';
import { statisticExt } from './statistic';
import { tcpExt } from './tcp';
import { udpExt } from './udp';

export { standardTarget };

const byName = (exts: ExtDef[]): ReadonlyMap<string, ExtDef> => new Map(exts.map((e) => [e.name, e]));

const MATCHES = byName([tcpExt, udpExt, icmpExt, commentExt, conntrackExt, stateExt, multiportExt, addrtypeExt, statisticExt, markExt, iprangeExt, limitExt, macExt]);

const TARGETS = byName([rejectExt, logExt, snatTarget, dnatTarget, masqueradeTarget, redirectTarget, markTarget, notrackTarget, ctTarget]);

/** The verdicts the standard target stands for ('' = no -j). */
const STANDARD = new Set(['ACCEPT', 'DROP', 'RETURN', 'QUEUE', '']);

/** The match extension called `name`, or null (xtables_find_match). */
export function matchDef(name: string): ExtDef | null {
  return MATCHES.get(name) ?? null;
}

/** The target extension called `name` (the standard target for a verdict), or null: then it names a chain. */
export function targetDef(name: string): ExtDef | null {
  if (STANDARD.has(name)) return standardTarget;
  return TARGETS.get(name) ?? null;
}

/** Every loadable extension: the matches, then the targets (for help, completion and tests). */
export function allExtensions(): ExtDef[] {
  return [...MATCHES.values(), ...TARGETS.values()];
}
