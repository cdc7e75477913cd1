// What the layer-2 walks over a bridge's every port (l2.ts: a new device's DAD solicitation and its announcement,
// which the bridges learn from) need to know without visiting every port's namespace: which IPv6 addresses
// anyone holds (a DAD solicitation for an address nobody holds is answered by no one: only the holders of an
// address join its solicited-node group, and only they answer), and which namespaces hold a bridge (a flood that
// leaves a port by its veth reaches another bridge, which learns and floods on, only in such a namespace; a
// device outside any bridge ends the walk).
//
// Derived, never saved. Built on a world's first walk from the table as it is (a namespace still in its saved
// form is read in that form: its links keep `kind`, its addresses `family` and `local`; nothing is expanded or
// marked), then kept by the kernel functions that add an IPv6 address (addr.ts addAddress) or a bridge (netdev.ts
// linkAdd). Both sets only grow: an address or a namespace listed may be gone since, one not listed is certainly
// not there, which is all the walks ask (invariants.ts checks that every address and bridge is listed).
import type { NsId } from './types';
import type { World } from './world';

interface L2Dir {
  /** every IPv6 address a namespace of the world holds or has held */
  v6: Set<string>;
  /** every namespace that holds or has held a bridge */
  bridged: Set<NsId>;
}

const dirs = new WeakMap<World, L2Dir>();

type Saved = { links?: unknown; addrs?: unknown };

function build(world: World): L2Dir {
  const dir: L2Dir = { v6: new Set(), bridged: new Set() };
  const raw = world.table.raw as Record<string, Saved>;
  for (const id of Object.keys(raw)) {
    const ns = raw[id];
    if (!ns) continue;
    if (Array.isArray(ns.links)) for (const l of ns.links as { kind?: unknown }[]) if (l?.kind === 'bridge') dir.bridged.add(id);
    if (Array.isArray(ns.addrs)) for (const a of ns.addrs as { family?: unknown; local?: unknown }[]) if (a?.family === 6 && typeof a.local === 'string') dir.v6.add(a.local);
  }
  dirs.set(world, dir);
  return dir;
}

function dirOf(world: World): L2Dir {
  return dirs.get(world) ?? build(world);
}

/** Could a namespace of the world hold this IPv6 address (canonical text)? false: certainly none does. */
export function mayHoldV6(world: World, addr: string): boolean {
  return dirOf(world).v6.has(addr);
}

/** The namespaces that could hold a bridge (one not listed certainly does not: none of its devices has a master). */
export function bridgedNamespaces(world: World): ReadonlySet<NsId> {
  return dirOf(world).bridged;
}

/** addAddress: an IPv6 address was added (nothing to do before the first walk built the directory). */
export function noteV6(world: World, addr: string): void {
  dirs.get(world)?.v6.add(addr);
}

/** linkAdd: a bridge was created in the namespace. */
export function noteBridge(world: World, nsId: NsId): void {
  dirs.get(world)?.bridged.add(nsId);
}

/** For invariants.ts: once built, the directory lists every IPv6 address and every namespace with a bridge. */
export function l2DirMisses(world: World): string[] {
  const dir = dirs.get(world);
  if (!dir) return [];
  const out: string[] = [];
  for (const id of Object.keys(world.table.raw)) {
    const ns = world.table.peek(id);
    if (!ns) continue;
    if (ns.links.some((l) => l.kind === 'bridge') && !dir.bridged.has(id)) out.push(`${id}: a bridge the layer-2 directory does not list`);
    for (const a of ns.addrs) if (a.family === 6 && !dir.v6.has(a.local)) out.push(`${id}: IPv6 address ${a.local} the layer-2 directory does not list`);
  }
  return out;
}
