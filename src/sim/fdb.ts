// A bridge's forwarding database: what `bridge fdb` lists, learning a source MAC on a port, and where a frame
// for a MAC leaves (netdev.ts re-exports these). Learned entries are indexed by MAC (a bridge may have a
// thousand ports and as many learned addresses): the index is derived, never saved.
import { isMulticastMac } from './ip';
import { bridgePorts, FDB_AGEING_MS, isPortMac } from './netdev';
import type { FdbEntry, Link, Netns } from './types';
import type { World } from './world';

/** Forwarding database of a bridge as `bridge fdb` knows it: learned entries (not expired) plus each port's own MAC (permanent). */
export function fdbEntries(world: World, ns: Netns, br: Link): FdbEntry[] {
  if (!br.bridge) return [];
  const now = world.now();
  const out: FdbEntry[] = [];
  for (const p of bridgePorts(ns, br.ifindex)) {
    out.push({ mac: p.mac, port: p.ifindex, permanent: true, updated: 0 });
    for (const e of br.bridge.fdb) if (e.port === p.ifindex && !e.permanent && now - e.updated < FDB_AGEING_MS && e.mac !== p.mac) out.push(e);
  }
  if (!bridgePorts(ns, br.ifindex).some((p) => p.mac === br.mac) && br.mac !== '00:00:00:00:00:00') {
    out.push({ mac: br.mac, port: br.ifindex, permanent: true, updated: 0 });
  }
  return out;
}

/**
 * A bridge's FDB entries by MAC, in table order (an entry's MAC never changes). Derived, never saved: valid while
 * the table is the same array with the same length as when it was built or fdbLearn added to it.
 */
const fdbIndexes = new WeakMap<FdbEntry[], { len: number; byMac: Map<string, FdbEntry[]> }>();

function fdbByMac(fdb: FdbEntry[], mac: string): FdbEntry[] {
  let idx = fdbIndexes.get(fdb);
  if (!idx || idx.len !== fdb.length) {
    idx = { len: fdb.length, byMac: new Map() };
    for (const e of fdb) {
      const l = idx.byMac.get(e.mac);
      if (l) l.push(e);
      else idx.byMac.set(e.mac, [e]);
    }
    fdbIndexes.set(fdb, idx);
  }
  return idx.byMac.get(mac) ?? [];
}

/** Learn (or refresh) a source MAC on a bridge port. */
export function fdbLearn(world: World, ns: Netns, br: Link, port: number, mac: string): void {
  if (!br.bridge || isMulticastMac(mac)) return;
  if (br.mac === mac || isPortMac(ns, br.ifindex, mac)) return;
  const fdb = br.bridge.fdb;
  const same = fdbByMac(fdb, mac);
  const e = same.find((x) => !x.permanent);
  if (e) {
    e.port = port;
    e.updated = world.now();
    return;
  }
  const n: FdbEntry = { mac, port, permanent: false, updated: world.now() };
  fdb.push(n);
  const idx = fdbIndexes.get(fdb)!;
  idx.len = fdb.length;
  if (same.length) same.push(n);
  else idx.byMac.set(mac, [n]);
}

/** Where a bridge sends a frame for `mac`: a port ifindex, the bridge itself (local), or null (flood). */
export function fdbLookup(world: World, ns: Netns, br: Link, mac: string): number | null {
  if (!br.bridge) return null;
  if (br.mac === mac || isPortMac(ns, br.ifindex, mac)) return br.ifindex;
  const now = world.now();
  const e = fdbByMac(br.bridge.fdb, mac).find((x) => x.permanent || now - x.updated < FDB_AGEING_MS);
  return e ? e.port : null;
}
