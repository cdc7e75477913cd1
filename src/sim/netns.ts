// Named network namespaces of a host (`ip netns`) and netns ids (NETNSA_NSID).
import { KernelError } from './errors';
import type { HostId, Netns, NsId } from './types';
import type { World } from './world';
import { linkByIndex, linkDestroyAny, linkSetNetns } from './netdev';
import { own, setOwn } from './own';

/** The NsId of a named namespace of a host, or null. */
export function netnsByName(world: World, host: HostId, name: string): NsId | null {
  return own(world.host(host).netns, name) ?? null;
}

/** Names of a host's namespaces as `ip netns list` reads /run/netns: newest first. */
export function netnsList(world: World, host: HostId): string[] {
  const h = world.host(host);
  return Object.keys(h.netns).sort((a, b) => world.ns(h.netns[b]!).created - world.ns(h.netns[a]!).created);
}

/** `ip netns add NAME`: a new namespace with only lo (down). Throws EEXIST. */
export function netnsAdd(world: World, host: HostId, name: string): Netns {
  const h = world.host(host);
  if (own(h.netns, name)) throw new KernelError('EEXIST');
  const ns = world.newNamespace(host, name);
  setOwn(h.netns, name, ns.id);
  return ns;
}

/**
 * `ip netns del NAME`. Without processes inside, the namespace dies: its
 * physical links return to the host's root namespace, veths (and their
 * peers) and bridges are destroyed, ids pointing at it vanish. With
 * processes still inside, only the name goes (as unmounting /run/netns/NAME).
 * Throws ENOENT.
 */
export function netnsDel(world: World, host: HostId, name: string): void {
  const h = world.host(host);
  const id = own(h.netns, name);
  if (!id) throw new KernelError('ENOENT');
  delete h.netns[name];
  const ns = world.ns(id);
  ns.name = null;
  if (h.processes.some((p) => p.ns === id)) return;
  netnsDestroy(world, id);
}

/** Tear a namespace down (no processes may remain in it). */
export function netnsDestroy(world: World, id: NsId): void {
  const ns = world.ns(id);
  const host = world.host(ns.host);
  if (id === host.rootNs) throw new KernelError('EBUSY');
  for (const link of ns.links.slice()) {
    if (!linkByIndex(ns, link.ifindex)) continue;
    if (link.kind === 'ether') {
      const home = link.homeNs && world.state.namespaces[link.homeNs] ? link.homeNs : host.rootNs;
      try {
        linkSetNetns(world, id, link.ifindex, home);
        continue;
      } catch {
        // name taken at home: the kernel renames to dev%d; we fall back to destroying
      }
    }
    if (link.kind === 'loopback') continue;
    linkDestroyAny(world, ns, link);
  }
  for (const other of Object.values(world.state.namespaces)) nsidForget(other.nsids, id);
  for (const [n, v] of Object.entries(host.netns)) if (v === id) delete host.netns[n];
  delete world.state.namespaces[id];
}

/** The id `from` has given `to` (`ip netns list` "(id: N)", `link-netnsid N`), or null. */
export function nsidOf(world: World, from: NsId, to: NsId): number | null {
  const v = world.ns(from).nsids[to];
  return v == null ? null : v;
}

/**
 * The ids a namespace has given others, and the lowest one that may be free (a namespace that sees a thousand
 * others allocates as many: no scan of them each time). Derived, never saved: kept by nsidAlloc, nsidSet and
 * netnsDel, the only writers of `nsids`; a namespace object made again (a restore, an expansion) starts over.
 */
const nsidIndexes = new WeakMap<Record<NsId, number>, { used: Set<number>; low: number }>();

function nsidIndex(nsids: Record<NsId, number>): { used: Set<number>; low: number } {
  let idx = nsidIndexes.get(nsids);
  if (!idx) {
    idx = { used: new Set(Object.values(nsids)), low: 0 };
    nsidIndexes.set(nsids, idx);
  }
  return idx;
}

function nsidForget(nsids: Record<NsId, number>, to: NsId): void {
  const v = nsids[to];
  if (v == null) return;
  delete nsids[to];
  const idx = nsidIndexes.get(nsids);
  if (!idx) return;
  // another namespace may hold the same id only in a table made by hand: then the index starts over
  if (Object.values(nsids).includes(v)) nsidIndexes.delete(nsids);
  else {
    idx.used.delete(v);
    if (v < idx.low) idx.low = v;
  }
}

/** peernet2id_alloc: the id of `to` in `from`, allocating the lowest free one. */
export function nsidAlloc(world: World, from: NsId, to: NsId): number {
  const ns = world.ns(from);
  const have = ns.nsids[to];
  if (have != null) return have;
  const idx = nsidIndex(ns.nsids);
  let i = idx.low;
  while (idx.used.has(i)) i++;
  ns.nsids[to] = i;
  idx.used.add(i);
  idx.low = i + 1;
  return i;
}

/** `ip netns set NAME ID` run in `from`. Throws EEXIST (id or namespace already has one). */
export function nsidSet(world: World, from: NsId, to: NsId, id: number | null): number {
  const ns = world.ns(from);
  if (ns.nsids[to] != null) throw new KernelError('EEXIST');
  if (id == null) return nsidAlloc(world, from, to);
  if (id < 0) throw new KernelError('EINVAL');
  const idx = nsidIndex(ns.nsids);
  if (idx.used.has(id)) throw new KernelError('EEXIST');
  ns.nsids[to] = id;
  idx.used.add(id);
  return id;
}

/** The namespace an id designates, seen from `from`. */
export function nsByNsid(world: World, from: NsId, id: number): NsId | null {
  for (const [k, v] of Object.entries(world.ns(from).nsids)) if (v === id) return k;
  return null;
}

/** The name of a namespace (null for a root namespace or an unnamed one). */
export function netnsName(world: World, id: NsId): string | null {
  return world.state.namespaces[id]?.name ?? null;
}
