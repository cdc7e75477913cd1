// Userspace ARP responders: programs that answer ARP requests for addresses
// the kernel does not hold (MetalLB's speaker in layer-2 mode answers for a
// LoadBalancer IP from a raw packet socket on the node's interface). The
// kernel asks the registered responders when an ARP request for a
// non-local address arrives on a link; a responder that claims it makes the
// namespace reply with that link's MAC, as the speaker's raw reply does.
// Responders read world state only (deterministic); registered by the
// layer that owns the program (src/k8s/metallb).
import type { Link, Netns } from './types';
import type { World } from './world';

export type ArpResponder = (world: World, ns: Netns, link: Link, ip: string) => boolean;

const responders: ArpResponder[] = [];

export function registerArpResponder(fn: ArpResponder): void {
  if (!responders.includes(fn)) responders.push(fn);
}

/** Does a userspace program on (ns, link) answer ARP for `ip`? */
export function userspaceArpAnswers(world: World, ns: Netns, link: Link, ip: string): boolean {
  for (const r of responders) if (r(world, ns, link, ip)) return true;
  return false;
}
