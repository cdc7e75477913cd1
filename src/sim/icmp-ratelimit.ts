// icmpv4_xrlim_allow: ICMP errors of the types in net.ipv4.icmp_ratemask
// (destination unreachable, source quench, time exceeded, parameter problem)
// sent to one destination share a token bucket (inet_peer_xrlim_allow): one
// message per net.ipv4.icmp_ratelimit ms, bursts of 6 (XRLIM_BURST_FACTOR);
// none is limited toward a local destination. State: Netns.icmpPeers.
import { routeGet } from './fib';
import { linkByIndex } from './netdev';
import { sysctlValue } from './proc-sys';
import type { Netns } from './types';
import type { World } from './world';

export function icmpRateAllow(world: World, ns: Netns, dst: string, type: number): boolean {
  const mask = Number(sysctlValue(world, ns.id, 'net.ipv4.icmp_ratemask') ?? '6168');
  if (!(mask & (1 << type))) return true;
  const timeout = Number(sysctlValue(world, ns.id, 'net.ipv4.icmp_ratelimit') ?? '1000');
  if (timeout <= 0) return true;
  try {
    const rt = routeGet(world, ns.id, dst);
    if (rt.type === 'local' || linkByIndex(ns, rt.oif ?? -1)?.kind === 'loopback') return true;
  } catch {
    return true;
  }
  const now = world.now();
  const peers = (ns.icmpPeers ??= {});
  // a peer whose bucket is full again is the same as a new one
  for (const [k, p] of Object.entries(peers)) if (now - p.last >= 6 * timeout) delete peers[k];
  const p = peers[dst] ?? { tokens: 0, last: now - 60_000 };
  let token = Math.min(p.tokens + (now - p.last), 6 * timeout);
  const ok = token >= timeout;
  if (ok) token -= timeout;
  peers[dst] = { tokens: token, last: now };
  return ok;
}
