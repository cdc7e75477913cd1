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
  for (const other of Object.values(world.state.namespaces)) delete other.nsids[id];
  for (const [n, v] of Object.entries(host.netns)) if (v === id) delete host.netns[n];
  delete world.state.namespaces[id];
}

/** The id `from` has given `to` (`ip netns list` "(id: N)", `link-netnsid N`), or null. */
export function nsidOf(world: World, from: NsId, to: NsId): number | null {
  const v = world.ns(from).nsids[to];
  return v == null ? null : v;
}

/** peernet2id_alloc: the id of `to` in `from`, allocating the lowest free one. */
export function nsidAlloc(world: World, from: NsId, to: NsId): number {
  const ns = world.ns(from);
  const have = ns.nsids[to];
  if (have != null) return have;
  // the lowest id not in use (ids of a namespace that sees a thousand others: no hashing)
  const ids = Object.values(ns.nsids);
  const used = new Uint8Array(ids.length + 1);
  for (const v of ids) if (v >= 0 && v <= ids.length) used[v] = 1;
  let i = 0;
  while (used[i]) i++;
  ns.nsids[to] = i;
  return i;
}

/** `ip netns set NAME ID` run in `from`. Throws EEXIST (id or namespace already has one). */
export function nsidSet(world: World, from: NsId, to: NsId, id: number | null): number {
  const ns = world.ns(from);
  if (ns.nsids[to] != null) throw new KernelError('EEXIST');
  if (id == null) return nsidAlloc(world, from, to);
  if (id < 0) throw new KernelError('EINVAL');
  if (Object.values(ns.nsids).includes(id)) throw new KernelError('EEXIST');
  ns.nsids[to] = id;
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
