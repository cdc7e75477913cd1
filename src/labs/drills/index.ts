// The drill catalogue: one file per drill under ./defs, listed here.
// ./validate.ts checks it (the drill pages call it at build time).
import type { DrillDef, DomainId } from './schema';
import { DOMAIN_IDS } from './schema';
import netnsVethPair from './defs/netns-veth-pair';
import netnsBridgeFour from './defs/netns-bridge-four';
import netnsGatewayRoute from './defs/netns-gateway-route';
import routerForwarding from './defs/router-forwarding';
import masqueradeSubnet from './defs/masquerade-subnet';
import dnatPortForward from './defs/dnat-port-forward';
import fixNetnsLan from './defs/fix-netns-lan';
import hostsEntry from './defs/hosts-entry';

export const drills: DrillDef[] = [
  netnsVethPair,
  netnsBridgeFour,
  netnsGatewayRoute,
  routerForwarding,
  masqueradeSubnet,
  dnatPortForward,
  fixNetnsLan,
  hostsEntry,
];

export function drillById(id: string): DrillDef | null {
  return drills.find((d) => d.id === id) ?? null;
}

/** Drills grouped by domain, in the domains' order. */
export function drillsByDomain(): { domain: DomainId; drills: DrillDef[] }[] {
  return DOMAIN_IDS.map((domain) => ({ domain, drills: drills.filter((d) => d.domain === domain) })).filter((g) => g.drills.length > 0);
}
