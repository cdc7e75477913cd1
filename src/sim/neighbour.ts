// Neighbour tables (ARP / NDISC): entries and their NUD states over the
// simulated clock. States are evaluated lazily: an entry stores the time of
// its last state change and is moved forward (REACHABLE -> STALE,
// DELAY -> PROBE -> REACHABLE or FAILED, INCOMPLETE -> FAILED) whenever it is read.
import { KernelError } from './errors';
import type { AddrFamily, Neighbour, NeighState, Netns, NsId } from './types';
import type { World } from './world';

/** base_reachable_time: REACHABLE lasts this long without confirmation. */
export const REACHABLE_MS = 30_000;
/** delay_first_probe_time */
export const DELAY_MS = 5_000;
/** retrans_time */
export const RETRANS_MS = 1_000;
/** ucast_solicit / mcast_solicit */
export const UCAST_PROBES = 3;
export const MCAST_PROBES = 3;

/**
 * Who answers an ARP/NS probe for `dst` sent on link `ifindex` of `nsId`
 * (the packet engine installs this; it knows the topology). Returns the
 * answering MAC or null.
 */
export type NeighResponder = (world: World, nsId: NsId, ifindex: number, dst: string, at: number) => string | null;

let responder: NeighResponder | null = null;

/** Install the packet engine's probe responder (used when DELAY turns into PROBE). */
export function setNeighResponder(fn: NeighResponder | null): void {
  responder = fn;
}

export function neighFind(ns: Netns, ifindex: number, dst: string): Neighbour | undefined {
  const n = neighIndex(ns).first.get(`${ifindex} ${dst}`);
  return n && n.ifindex === ifindex && n.dst === dst ? n : undefined;
}

/**
 * A namespace's entries by device and destination (the first in table order) and how many each device has: a
 * bridge host holds thousands (three groups for each port). Derived, never saved: valid while ns.neigh is the same
 * array with the same length as when it was built or create() added to it (neighDel's splice drops it; an entry's
 * device and destination never change).
 */
interface NeighIndex {
  neigh: Neighbour[];
  len: number;
  first: Map<string, Neighbour>;
  perIf: Map<number, number>;
}
const neighIndexes = new WeakMap<Netns, NeighIndex>();

function neighIndex(ns: Netns): NeighIndex {
  let idx = neighIndexes.get(ns);
  if (!idx || idx.neigh !== ns.neigh || idx.len !== ns.neigh.length) {
    idx = { neigh: ns.neigh, len: 0, first: new Map(), perIf: new Map() };
    for (const n of ns.neigh) indexed(idx, n);
    neighIndexes.set(ns, idx);
  }
  return idx;
}

function indexed(idx: NeighIndex, n: Neighbour): void {
  const k = `${n.ifindex} ${n.dst}`;
  if (!idx.first.has(k)) idx.first.set(k, n);
  idx.perIf.set(n.ifindex, (idx.perIf.get(n.ifindex) ?? 0) + 1);
  idx.len++;
}

/** Move an entry's state forward to the world's current time. */
/** base_reachable_time_ms of the entry's device (net.ipv4/ipv6.neigh.IF.*; 30 s by default). */
function reachableMs(ns: Netns, n: Neighbour): number {
  const dev = ns.links.find((l) => l.ifindex === n.ifindex)?.name;
  const v = dev ? ns.sysctl[`net.ipv${n.family}.neigh.${dev}.base_reachable_time_ms`] : undefined;
  const ms = v !== undefined ? Number(v) : NaN;
  return Number.isFinite(ms) && ms > 0 ? ms : REACHABLE_MS;
}

export function neighEvaluate(world: World, ns: Netns, n: Neighbour): Neighbour {
  const now = world.now();
  for (let guard = 0; guard < 16; guard++) {
    switch (n.state) {
      case 'REACHABLE': {
        const t = n.updated + reachableMs(ns, n);
        if (now < t) return n;
        n.state = 'STALE';
        n.updated = t;
        continue;
      }
      case 'DELAY': {
        const t = n.updated + DELAY_MS;
        if (now < t) return n;
        n.state = 'PROBE';
        n.updated = t;
        n.probes = 0;
        const mac = responder ? responder(world, ns.id, n.ifindex, n.dst, t) : null;
        if (mac) {
          n.state = 'REACHABLE';
          n.lladdr = mac;
        }
        continue;
      }
      case 'PROBE': {
        const t = n.updated + UCAST_PROBES * RETRANS_MS;
        if (now < t) return n;
        n.state = 'FAILED';
        n.updated = t;
        n.probes = UCAST_PROBES;
        continue;
      }
      case 'INCOMPLETE': {
        const t = n.updated + MCAST_PROBES * RETRANS_MS;
        if (now < t) return n;
        n.state = 'FAILED';
        n.updated = t;
        n.probes = MCAST_PROBES;
        continue;
      }
      default:
        return n;
    }
  }
  return n;
}

/** All entries of a namespace, evaluated at the current time, in table order. */
export function neighList(world: World, nsId: NsId): Neighbour[] {
  const ns = world.ns(nsId);
  // a probe elsewhere (DELAY -> PROBE) may have taught this namespace an entry (ndisc.ts ndProbeSeen): settle
  // the other namespaces' delayed entries first
  for (const other of Object.values(world.state.namespaces)) {
    if (other !== ns) for (const n of other.neigh) if (n.state === 'DELAY' && n.family === 6) neighEvaluate(world, other, n);
  }
  for (const n of ns.neigh) neighEvaluate(world, ns, n);
  return ns.neigh;
}

/** The entry for dst on a link, evaluated (null when none). */
export function neighLookup(world: World, nsId: NsId, ifindex: number, dst: string): Neighbour | null {
  const ns = world.ns(nsId);
  const n = neighFind(ns, ifindex, dst);
  return n ? neighEvaluate(world, ns, n) : null;
}

function create(world: World, ns: Netns, ifindex: number, dst: string, state: NeighState, lladdr: string | null): Neighbour {
  const n: Neighbour = {
    family: (dst.includes(':') ? 6 : 4) as AddrFamily,
    ifindex,
    dst,
    lladdr,
    state,
    router: false,
    updated: world.now(),
    used: world.now(),
    probes: 0,
  };
  const idx = neighIndex(ns);
  ns.neigh.push(n);
  indexed(idx, n);
  return n;
}

/**
 * The sender needs dst's MAC: returns the entry after the kernel's
 * neigh_event_send: a new or FAILED entry becomes INCOMPLETE (probing starts),
 * STALE becomes DELAY. A usable MAC is in `lladdr` when the state is
 * REACHABLE, DELAY, PROBE, STALE or PERMANENT.
 */
export function neighStartResolve(world: World, nsId: NsId, ifindex: number, dst: string): Neighbour {
  const ns = world.ns(nsId);
  let n = neighFind(ns, ifindex, dst);
  if (n) neighEvaluate(world, ns, n);
  if (!n) n = create(world, ns, ifindex, dst, 'INCOMPLETE', null);
  else if (n.state === 'FAILED') {
    n.state = 'INCOMPLETE';
    n.lladdr = null;
    n.updated = world.now();
    n.probes = 0;
  } else if (n.state === 'STALE') {
    n.state = 'DELAY';
    n.updated = world.now();
  }
  n.used = world.now();
  return n;
}

/** A reply (ARP reply / NA) confirmed dst at `mac`: the entry becomes REACHABLE. Returns false when there is no entry to update. */
export function neighConfirm(world: World, nsId: NsId, ifindex: number, dst: string, mac: string, router?: boolean): boolean {
  const ns = world.ns(nsId);
  const n = neighFind(ns, ifindex, dst);
  if (!n) return false;
  // ndisc_recv_na: an advertisement's router flag sets or clears the entry's
  if (router !== undefined) n.router = router;
  if (n.state === 'PERMANENT' || n.state === 'NOARP') return true;
  n.state = 'REACHABLE';
  n.lladdr = mac;
  n.updated = world.now();
  n.probes = 0;
  return true;
}

/** An ARP request (or NS) from dst at `mac` was received: create a STALE entry or update a changed MAC. */
export function neighLearn(world: World, nsId: NsId, ifindex: number, dst: string, mac: string): Neighbour {
  const ns = world.ns(nsId);
  const n = neighFind(ns, ifindex, dst);
  if (!n) return create(world, ns, ifindex, dst, 'STALE', mac);
  neighEvaluate(world, ns, n);
  if (n.state === 'PERMANENT' || n.state === 'NOARP') return n;
  if (n.state === 'INCOMPLETE' || n.state === 'FAILED' || n.lladdr !== mac) {
    n.state = 'STALE';
    n.lladdr = mac;
    n.updated = world.now();
  }
  return n;
}

/**
 * A NOARP entry the kernel makes by itself for a next hop that needs no
 * resolution (arp_constructor / ndisc_constructor): a multicast group (its
 * mapped MAC), a subnet broadcast (ff:ff:ff:ff:ff:ff), loopback traffic
 * (`0.0.0.0 dev lo`). Created once; later uses only touch it.
 */
export function neighNoarp(world: World, nsId: NsId, ifindex: number, dst: string, mac: string): void {
  const ns = world.ns(nsId);
  const n = neighFind(ns, ifindex, dst);
  if (n) n.used = world.now();
  else create(world, ns, ifindex, dst, 'NOARP', mac);
}

export interface NeighSpec {
  ifindex: number;
  dst: string;
  lladdr?: string | null;
  /** default PERMANENT */
  state?: NeighState;
  router?: boolean;
}

/**
 * `ip neigh add|replace|change`. Throws ENODEV, EEXIST (add, exists),
 * ENOENT (change, missing), EINVAL "No link layer address given.",
 * EINVAL "Invalid link address." (shorter than the device's 6 bytes).
 */
export function neighAdd(world: World, nsId: NsId, spec: NeighSpec, mode: 'add' | 'replace' | 'change' = 'add'): Neighbour {
  const ns = world.ns(nsId);
  if (!ns.links.some((l) => l.ifindex === spec.ifindex)) throw new KernelError('ENODEV');
  const state = spec.state ?? 'PERMANENT';
  const existing = neighFind(ns, spec.ifindex, spec.dst);
  if (existing && mode === 'add') throw new KernelError('EEXIST');
  if (!existing && mode === 'change') throw new KernelError('ENOENT');
  if (spec.lladdr != null && spec.lladdr.split(':').length < 6) throw new KernelError('EINVAL', 'Invalid link address.');
  // a longer address is cut to the device's 6 bytes
  const given = spec.lladdr != null ? spec.lladdr.split(':').slice(0, 6).join(':') : null;
  const lladdr = given ?? existing?.lladdr ?? null;
  // __neigh_update: a NUD_VALID state (NOARP included) needs an address, given or already known
  if (!lladdr && (state === 'PERMANENT' || state === 'NOARP' || state === 'REACHABLE' || state === 'STALE' || state === 'DELAY' || state === 'PROBE'))
    throw new KernelError('EINVAL', 'No link layer address given.');
  const n = existing ?? create(world, ns, spec.ifindex, spec.dst, state, lladdr);
  n.state = state;
  n.lladdr = state === 'INCOMPLETE' || state === 'FAILED' || state === 'NOARP' ? given : lladdr;
  n.router = spec.router ?? n.router;
  n.updated = world.now();
  return n;
}

/** `ip neigh del`. Throws ENOENT when there is no such entry. */
export function neighDel(world: World, nsId: NsId, ifindex: number, dst: string): Neighbour {
  const ns = world.ns(nsId);
  const n = neighFind(ns, ifindex, dst);
  if (!n) throw new KernelError('ENOENT');
  ns.neigh.splice(ns.neigh.indexOf(n), 1);
  neighIndexes.delete(ns);
  return n;
}

/** Remove entries of a namespace the predicate selects (evaluated first); returns how many. */
export function neighFlush(world: World, nsId: NsId, pred: (n: Neighbour) => boolean): number {
  const ns = world.ns(nsId);
  const before = ns.neigh.length;
  ns.neigh = ns.neigh.filter((n) => !pred(neighEvaluate(world, ns, n)));
  return before - ns.neigh.length;
}

/** Entries of a link go when it goes down (all) or loses carrier (all but PERMANENT). */
export function neighFlushLink(ns: Netns, ifindex: number, includePermanent: boolean): void {
  const keep = (n: Neighbour) => n.ifindex !== ifindex || (!includePermanent && (n.state === 'PERMANENT' || n.state === 'NOARP'));
  // (a bridge host holds thousands of entries: a new array only when one goes; none to look at for a device without any)
  if (!neighIndex(ns).perIf.get(ifindex) || ns.neigh.every(keep)) return;
  ns.neigh = ns.neigh.filter(keep);
}
