// A namespace's bridge ports by bridge, and their MACs: an index derived from ns.links, never saved (netdev.ts
// keeps it: a device joining, leaving or changing its MAC). Split from netdev.ts.
import type { Link, Netns } from './types';

/** Ports of a bridge, in ifindex order (read only: the namespace's port index keeps the list). */
export function bridgePorts(ns: Netns, bridgeIfindex: number): readonly Link[] {
  return portIndex(ns).ports.get(bridgeIfindex) ?? [];
}

/** Is `mac` the address of one of the bridge's ports? */
export function isPortMac(ns: Netns, bridgeIfindex: number, mac: string): boolean {
  return portIndex(ns).macs.get(bridgeIfindex)?.has(mac) ?? false;
}

/**
 * A namespace's bridge ports by bridge (in ifindex order) and their MACs: a bridge may have a thousand ports, read
 * by every flood, FDB lookup and carrier check. Derived, never saved: valid while ns.links is the same array with
 * the same length as when it was built or last kept; a device that joins a bridge is added (portJoined), one that
 * leaves or changes its MAC drops it (portsChanged); a device added or removed outside any bridge only keeps the
 * length (portlessChange).
 */
interface PortIndex {
  links: Link[];
  len: number;
  ports: Map<number, Link[]>;
  macs: Map<number, Set<string>>;
}
const portIndexes = new WeakMap<Netns, PortIndex>();

function portIndex(ns: Netns): PortIndex {
  let idx = portIndexes.get(ns);
  if (!idx || idx.links !== ns.links || idx.len !== ns.links.length) {
    idx = { links: ns.links, len: ns.links.length, ports: new Map(), macs: new Map() };
    for (const l of ns.links) {
      if (l.master == null) continue;
      const list = idx.ports.get(l.master);
      if (list) list.push(l);
      else idx.ports.set(l.master, [l]);
      const macs = idx.macs.get(l.master);
      if (macs) macs.add(l.mac);
      else idx.macs.set(l.master, new Set([l.mac]));
    }
    portIndexes.set(ns, idx);
  }
  return idx;
}

export function portsChanged(ns: Netns): void {
  portIndexes.delete(ns);
}

/** a device outside any bridge entered or left ns.links */
export function portlessChange(ns: Netns, link: Link): void {
  const idx = portIndexes.get(ns);
  if (!idx) return;
  if (link.master != null || idx.links !== ns.links) portIndexes.delete(ns);
  else idx.len = ns.links.length;
}

/** `link` (in ns.links) joined bridge `master` */
export function portJoined(ns: Netns, link: Link, master: number): void {
  const idx = portIndexes.get(ns);
  if (!idx) return;
  if (idx.links !== ns.links || idx.len !== ns.links.length) {
    portIndexes.delete(ns);
    return;
  }
  const list = idx.ports.get(master);
  if (!list) {
    idx.ports.set(master, [link]);
    idx.macs.set(master, new Set([link.mac]));
    return;
  }
  let i = list.length;
  while (i > 0 && list[i - 1]!.ifindex > link.ifindex) i--;
  list.splice(i, 0, link);
  idx.macs.get(master)!.add(link.mac);
}
