// Structural invariants of a world; the property tests check them after every operation.
import { sysctlDev } from './if-sysctl';
import { bridgePorts, isPortMac, linkByIndex, resolveRef } from './netdev';
import { neighFind } from './neighbour';
import { l2DirMisses } from './l2-dir';
import type { World } from './world';

/** Every violated invariant, as text (empty when the world is consistent). */
export function checkInvariants(world: World): string[] {
  const errs: string[] = [];
  const st = world.state;
  for (const [id, ns] of Object.entries(st.namespaces)) {
    if (ns.id !== id) errs.push(`${id}: id mismatch`);
    if (!st.hosts[ns.host]) errs.push(`${id}: missing host ${ns.host}`);
    const names = new Set<string>();
    const devs = new Set<string>();
    const idx = new Set<number>();
    let prev = 0;
    for (const l of ns.links) {
      if (names.has(l.name)) errs.push(`${id}: duplicate name ${l.name}`);
      if (idx.has(l.ifindex)) errs.push(`${id}: duplicate ifindex ${l.ifindex}`);
      if (l.ifindex <= prev) errs.push(`${id}: links not sorted at ${l.ifindex}`);
      prev = l.ifindex;
      names.add(l.name);
      devs.add(sysctlDev(l.name));
      idx.add(l.ifindex);
      if (l.kind === 'veth') {
        const p = resolveRef(world, l.peer);
        if (!p) errs.push(`${id}: veth ${l.name} has no peer`);
        else if (!p.link.peer || p.link.peer.ns !== id || p.link.peer.ifindex !== l.ifindex) errs.push(`${id}: veth ${l.name} peer does not point back`);
      }
      if (l.master != null) {
        const m = linkByIndex(ns, l.master);
        if (!m) errs.push(`${id}: ${l.name} has a missing master ${l.master}`);
        else if (m.kind !== 'bridge') errs.push(`${id}: ${l.name} master is not a bridge`);
      }
      if (l.kind === 'bridge' && !l.bridge) errs.push(`${id}: bridge ${l.name} without bridge info`);
      if (!ns.sysctl[`net.ipv4.conf.${sysctlDev(l.name)}.forwarding`]) errs.push(`${id}: ${l.name} has no per-interface sysctls`);
    }
    if (!ns.links.some((l) => l.kind === 'loopback')) errs.push(`${id}: no loopback`);
    // the derived indexes (netdev.ts ports, neighbour.ts entries) say what a scan says
    for (const br of ns.links) {
      if (br.kind !== 'bridge') continue;
      const scan = ns.links.filter((l) => l.master === br.ifindex);
      const ports = bridgePorts(ns, br.ifindex);
      if (scan.length !== ports.length || scan.some((l, i) => ports[i] !== l)) errs.push(`${id}: the port index of ${br.name} differs from its ports`);
      for (const l of scan) if (!isPortMac(ns, br.ifindex, l.mac)) errs.push(`${id}: the port index of ${br.name} lacks ${l.mac}`);
    }
    for (const n of ns.neigh) if (neighFind(ns, n.ifindex, n.dst) !== ns.neigh.find((x) => x.ifindex === n.ifindex && x.dst === n.dst)) errs.push(`${id}: the neighbour index differs for ${n.dst}`);
    // linkByIndex searches the list by halves
    for (let i = 1; i < ns.links.length; i++) if (ns.links[i - 1]!.ifindex >= ns.links[i]!.ifindex) errs.push(`${id}: links not in ifindex order at ${ns.links[i]!.name}`);
    for (const a of ns.addrs) if (!idx.has(a.ifindex)) errs.push(`${id}: address ${a.local} on missing link ${a.ifindex}`);
    for (const r of ns.routes) if (r.oif != null && !idx.has(r.oif)) errs.push(`${id}: route ${r.dst}/${r.dstLen} via missing link ${r.oif}`);
    for (const r of ns.routes) {
      if (!r.nexthops) continue;
      if (r.nexthops.length < 2) errs.push(`${id}: multipath route ${r.dst}/${r.dstLen} with ${r.nexthops.length} hop`);
      for (const h of r.nexthops) if (!idx.has(h.oif)) errs.push(`${id}: route ${r.dst}/${r.dstLen} hop via missing link ${h.oif}`);
      const f = r.nexthops[0];
      if (f && (f.oif !== r.oif || f.gateway !== r.gateway)) errs.push(`${id}: multipath route ${r.dst}/${r.dstLen} does not mirror its first hop`);
    }
    for (const n of ns.neigh) if (!idx.has(n.ifindex)) errs.push(`${id}: neighbour ${n.dst} on missing link ${n.ifindex}`);
    for (const k of Object.keys(ns.nsids)) if (!st.namespaces[k]) errs.push(`${id}: nsid for missing namespace ${k}`);
    const ids = Object.values(ns.nsids);
    if (new Set(ids).size !== ids.length) errs.push(`${id}: duplicate nsid`);
    for (const k of Object.keys(ns.sysctl)) {
      const m = /^net\.ipv[46]\.(?:conf|neigh)\.([^.]+)\./.exec(k);
      if (m && m[1] !== 'all' && m[1] !== 'default' && !devs.has(m[1]!)) errs.push(`${id}: sysctl ${k} for a missing link`);
    }
  }
  for (const h of Object.values(st.hosts)) {
    if (!st.namespaces[h.rootNs]) errs.push(`host ${h.id}: missing root namespace`);
    for (const [n, v] of Object.entries(h.netns)) if (!st.namespaces[v]) errs.push(`host ${h.id}: netns ${n} points nowhere`);
  }
  for (const seg of Object.values(st.segments)) {
    for (const r of seg.ports) {
      const o = resolveRef(world, r);
      if (!o) errs.push(`segment ${seg.id}: port ${r.ns}/${r.ifindex} missing`);
      else if (o.link.segment !== seg.id) errs.push(`segment ${seg.id}: port ${o.link.name} does not point back`);
    }
  }
  errs.push(...l2DirMisses(world));
  return errs;
}
