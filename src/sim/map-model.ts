// The network map's model: the World as a graph a learner can look at.
//
// Boxes (nodes): each host's root namespace, every other network namespace
// (a pod's when a cluster's pod has that address), every bridge (a switch
// inside its namespace), every segment joining hosts' NICs, and a
// cluster's Services. Lines (links): veth pairs (a bridge port's end
// attaches to its bridge), a bridge's own interface to its namespace, NICs
// to their segment, VXLAN overlays between the namespaces whose tunnel
// devices point at each other, Services to the pods they select.
//
// Ids are built from what stays put across commands (namespace ids, link
// names), so a layout can keep boxes where they were. Plain JSON: the
// worker sends it to the page as it is.
import type { World } from './world';
import type { Link, Netns, NsId, Route } from './types';
import { addressesOf } from './addr';
import { linkByIndex, linkOperState, vethPeer } from './netdev';
import { vxlanFdbEntries } from './vxlan';
import { cluster, endpointsOf } from './k8s';
import type { TraceStep } from './trace';

export type MapNodeKind = 'host' | 'netns' | 'pod' | 'bridge' | 'segment' | 'service';

export interface MapIface {
  id: string;
  name: string;
  kind: string;
  /** `ip link`'s state: UP, DOWN, UNKNOWN, LOWERLAYERDOWN; NO-CARRIER when up without carrier */
  state: string;
  addrs: string[];
}

export interface MapNode {
  id: string;
  kind: MapNodeKind;
  label: string;
  /** what the box belongs to: the host (its hostname), a k8s node name, or the namespace of a bridge */
  group: string;
  ifaces: MapIface[];
  /** netfilter rules worth seeing at a glance: "nat: 2 MASQUERADE" */
  badges: string[];
  /** the main table, as `ip route` prints it (shown on demand) */
  routes: string[];
  /** greyed: a bridge that is down, a namespace whose interfaces are all down */
  down: boolean;
  /** a pod's: the NetworkPolicies that select it (drawn as a shield) */
  policies: string[];
}

/** A cluster's node: the boxes of its host (root namespace, bridges, pods, other namespaces), drawn as one frame. */
export interface MapGroup {
  id: string;
  label: string;
  members: string[];
}

export type MapLinkKind = 'veth' | 'bridge-local' | 'segment' | 'vxlan' | 'endpoint';

export interface MapLink {
  id: string;
  kind: MapLinkKind;
  from: string;
  to: string;
  /** interface names at each end (empty for a Service's endpoint) */
  fromIf: string;
  toIf: string;
  label: string;
  down: boolean;
  /** the interface ids at its ends (for following a trace) */
  ifs: string[];
}

/**
 * What the map shows of a cluster, handed in by the layer that reads the
 * API (src/commands/netlab/cluster-view.ts): pods by their IP, Services with
 * the IPs of their endpoints, NetworkPolicies with the pods they select.
 */
export interface MapClusterView {
  /** the cluster's Nodes by name: the hosts framed (not the lab's other hosts, such as its KVM host) */
  nodes: string[];
  pods: { name: string; namespace: string; node: string; ip: string; policies: string[] }[];
  services: { name: string; namespace: string; type: string; clusterIP: string; ports: string; endpoints: string[] }[];
}

export interface MapModel {
  nodes: MapNode[];
  links: MapLink[];
  /** on a cluster: one per node, in the order of the hosts */
  groups: MapGroup[];
}

export const nsNodeId = (ns: NsId): string => `ns:${ns}`;
export const bridgeNodeId = (ns: NsId, name: string): string => `br:${ns}/${name}`;
export const ifaceId = (ns: NsId, name: string): string => `if:${ns}/${name}`;

function ifaceState(world: World, ns: Netns, l: Link): string {
  const s = linkOperState(world, ns, l);
  return l.adminUp && s !== 'UP' && s !== 'UNKNOWN' ? 'NO-CARRIER' : s;
}

function routeLine(ns: Netns, r: Route): string {
  const dst = r.dstLen === 0 ? 'default' : r.dstLen === 32 ? r.dst : `${r.dst}/${r.dstLen}`;
  const parts = [r.type === 'unicast' ? dst : `${r.type} ${dst}`];
  if (r.gateway) parts.push(`via ${r.gateway}`);
  if (r.oif !== null) parts.push(`dev ${linkByIndex(ns, r.oif)?.name ?? '?'}`);
  if (r.onlink) parts.push('onlink');
  return parts.join(' ');
}

function badgesOf(ns: Netns): string[] {
  const out: string[] = [];
  for (const table of ['nat', 'filter'] as const) {
    const t = ns.netfilter.tables[table];
    if (!t) continue;
    const counts = new Map<string, number>();
    const wanted = table === 'nat' ? ['DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT'] : ['DROP', 'REJECT'];
    for (const c of t.chains) {
      for (const r of c.rules) if (r.target && wanted.includes(r.target)) counts.set(r.target, (counts.get(r.target) ?? 0) + 1);
      if (c.builtin && c.policy === 'DROP') counts.set(`${c.name} policy DROP`, 1);
    }
    if (counts.size) out.push(`${table}: ${[...counts].map(([k, n]) => (k.includes('policy') ? k : `${n} ${k}`)).join(', ')}`);
  }
  return out;
}

/** Is the loopback worth drawing: something went through it. */
function loUsed(l: Link): boolean {
  return l.kind === 'loopback' && l.adminUp && l.stats.txPackets > 0;
}

export function buildMapModel(world: World, view: MapClusterView | null = null): MapModel {
  const st = world.state;
  const c = view ? null : cluster(world);
  const podByIp = new Map<string, { name: string; node: string; policies: string[] }>();
  for (const p of c?.pods ?? []) if (!p.hostNetwork && p.ip) podByIp.set(p.ip, { name: p.name, node: p.node, policies: [] });
  for (const p of view?.pods ?? []) if (p.ip) podByIp.set(p.ip, p);
  const nodes: MapNode[] = [];
  const links: MapLink[] = [];
  const seen = new Set<string>();
  const ownerOfIp = new Map<string, NsId>();
  const nsIds = Object.keys(st.namespaces).sort((a, b) => st.namespaces[a]!.created - st.namespaces[b]!.created || (a < b ? -1 : 1));
  // the namespace a veth end, a bridge port or a NIC attaches to in the drawing
  const endOf = (ns: Netns, l: Link): string => {
    const m = l.master !== null ? linkByIndex(ns, l.master) : undefined;
    return m && m.kind === 'bridge' ? bridgeNodeId(ns.id, m.name) : nsNodeId(ns.id);
  };
  for (const id of nsIds) {
    const ns = st.namespaces[id]!;
    const host = st.hosts[ns.host];
    const hostname = host?.hostname ?? ns.host;
    const ifaces: MapIface[] = [];
    let pod: { name: string; node: string; policies: string[] } | null = null;
    for (const l of ns.links) {
      const addrs = addressesOf(ns, l.ifindex).filter((a) => a.scope !== 'link').map((a) => `${a.local}/${a.prefixlen}`);
      for (const a of addressesOf(ns, l.ifindex, 4)) ownerOfIp.set(a.local, ns.id);
      if (!pod && ns.name !== null) for (const a of addressesOf(ns, l.ifindex, 4)) pod ??= podByIp.get(a.local) ?? null;
      if (l.kind === 'loopback' && !loUsed(l)) continue;
      // a bridge's port is drawn on the bridge's box
      if (l.master !== null && linkByIndex(ns, l.master)?.kind === 'bridge') continue;
      ifaces.push({ id: ifaceId(ns.id, l.name), name: l.name, kind: l.kind, state: ifaceState(world, ns, l), addrs });
    }
    const root = host?.rootNs === ns.id;
    const kind: MapNodeKind = root ? 'host' : pod ? 'pod' : 'netns';
    const label = root ? hostname : pod ? pod.name : (ns.name ?? `netns ${ns.id}`);
    nodes.push({
      id: nsNodeId(ns.id),
      kind,
      label,
      group: hostname,
      ifaces,
      badges: badgesOf(ns),
      routes: ns.routes.filter((r) => r.table === 254 && r.family === 4).map((r) => routeLine(ns, r)),
      down: ifaces.length > 0 && ifaces.every((i) => i.state === 'DOWN'),
      policies: pod?.policies ?? [],
    });
    for (const l of ns.links) {
      if (l.kind !== 'bridge') continue;
      const bid = bridgeNodeId(ns.id, l.name);
      const ports = ns.links.filter((p) => p.master === l.ifindex);
      nodes.push({
        id: bid,
        kind: 'bridge',
        label: l.name,
        group: hostname,
        ifaces: ports.map((p) => ({ id: ifaceId(ns.id, p.name), name: p.name, kind: p.kind, state: ifaceState(world, ns, p), addrs: [] })),
        badges: [],
        routes: [],
        down: !l.adminUp,
        policies: [],
      });
      links.push({ id: `local:${ns.id}/${l.name}`, kind: 'bridge-local', from: nsNodeId(ns.id), to: bid, fromIf: l.name, toIf: '', label: l.name, down: !l.adminUp, ifs: [ifaceId(ns.id, l.name)] });
    }
  }
  for (const id of nsIds) {
    const ns = st.namespaces[id]!;
    for (const l of ns.links) {
      if (l.kind === 'veth') {
        const p = vethPeer(world, l);
        if (!p) continue;
        const a = ifaceId(ns.id, l.name);
        const b = ifaceId(p.ns.id, p.link.name);
        const key = a < b ? `${a}|${b}` : `${b}|${a}`;
        if (seen.has(key)) continue;
        seen.add(key);
        // drawn from the namespace's end to the bridge port's
        const [x, y] = l.master !== null && p.link.master === null ? [{ ns: p.ns, link: p.link, id: b }, { ns, link: l, id: a }] : [{ ns, link: l, id: a }, { ns: p.ns, link: p.link, id: b }];
        links.push({ id: `veth:${key}`, kind: 'veth', from: endOf(x.ns, x.link), to: endOf(y.ns, y.link), fromIf: x.link.name, toIf: y.link.name, label: `${x.link.name} — ${y.link.name}`, down: !(l.adminUp && p.link.adminUp), ifs: [x.id, y.id] });
      } else if (l.kind === 'ether' && l.segment) {
        links.push({ id: `nic:${ns.id}/${l.name}`, kind: 'segment', from: endOf(ns, l), to: `seg:${l.segment}`, fromIf: l.name, toIf: '', label: l.name, down: !l.adminUp, ifs: [ifaceId(ns.id, l.name)] });
      }
    }
  }
  for (const seg of Object.values(st.segments)) {
    nodes.push({ id: `seg:${seg.id}`, kind: 'segment', label: seg.id, group: '', ifaces: [], badges: [], routes: [], down: false, policies: [] });
  }
  // VXLAN overlays: a tunnel device whose forwarding entries lead to another namespace's address
  for (const id of nsIds) {
    const ns = st.namespaces[id]!;
    for (const l of ns.links) {
      if (l.kind !== 'vxlan') continue;
      for (const e of vxlanFdbEntries(world, l)) {
        const other = ownerOfIp.get(e.dst);
        if (!other || other === ns.id) continue;
        const peerDev = st.namespaces[other]!.links.find((x) => x.kind === 'vxlan' && x.vxlan?.id === l.vxlan?.id);
        const a = nsNodeId(ns.id);
        const b = nsNodeId(other);
        const key = a < b ? `${a}|${b}` : `${b}|${a}`;
        if (seen.has(`vx:${key}`)) continue;
        seen.add(`vx:${key}`);
        const [from, to, fromIf, toIf] = a < b ? [a, b, l.name, peerDev?.name ?? ''] : [b, a, peerDev?.name ?? '', l.name];
        links.push({ id: `vxlan:${key}`, kind: 'vxlan', from, to, fromIf, toIf, label: `${l.name} VNI ${l.vxlan?.id ?? ''}`, down: !l.adminUp, ifs: [ifaceId(ns.id, l.name), ...(peerDev ? [ifaceId(other, peerDev.name)] : [])] });
      }
    }
  }
  const services: MapClusterView['services'] = view?.services ?? (c ? c.services.map((svc) => ({ name: svc.name, namespace: svc.namespace, type: svc.type, clusterIP: svc.clusterIP, ports: svc.ports.map((p) => `${p.port}/${p.protocol}`).join(','), endpoints: endpointsOf(c, svc).filter((p) => !p.hostNetwork).map((p) => p.ip) })) : []);
  addServices(nodes, links, services, ownerOfIp);
  // a cluster's nodes: each host's boxes framed together (the namespace lab's single host is not framed)
  const clusterNodes = view ? view.nodes : c ? c.nodes.map((n) => n.name) : null;
  return { nodes, links, groups: clusterNodes ? nodeGroups(world, nodes, new Set(clusterNodes)) : [] };
}

/** Each Node's boxes (its root namespace, bridges, pods and other namespaces), for a cluster's node frames. */
function nodeGroups(world: World, nodes: MapNode[], clusterNodes: Set<string>): MapGroup[] {
  const groups: MapGroup[] = [];
  for (const h of Object.values(world.state.hosts)) {
    if (!world.state.namespaces[h.rootNs] || !clusterNodes.has(h.hostname)) continue;
    const members = nodes.filter((n) => n.group === h.hostname && n.kind !== 'service' && n.kind !== 'segment').map((n) => n.id);
    if (members.length) groups.push({ id: `node:${h.hostname}`, label: h.hostname, members });
  }
  return groups;
}

/** Services as virtual boxes, linked to the namespaces holding their endpoints' addresses. */
function addServices(nodes: MapNode[], links: MapLink[], services: MapClusterView['services'], ownerOfIp: Map<string, NsId>): void {
  for (const svc of services) {
    const sid = `svc:${svc.namespace}/${svc.name}`;
    const ports = svc.ports;
    nodes.push({ id: sid, kind: 'service', label: svc.name, group: 'services', ifaces: [{ id: `${sid}/ip`, name: svc.type, kind: 'service', state: 'UP', addrs: [`${svc.clusterIP}${ports ? ` ${ports}` : ''}`] }], badges: [], routes: [], down: false, policies: [] });
    for (const ip of svc.endpoints) {
      const owner = ownerOfIp.get(ip);
      if (!owner) continue;
      links.push({ id: `ep:${sid}>${owner}`, kind: 'endpoint', from: sid, to: nsNodeId(owner), fromIf: '', toIf: '', label: ip, down: false, ifs: [] });
    }
  }
}

/**
 * The boxes and lines a trace went through, in order: for each step, the
 * elements it highlights (a namespace, a bridge, the cable an interface
 * belongs to).
 */
export function tracePath(model: MapModel, steps: TraceStep[]): string[][] {
  const byIf = new Map<string, MapLink>();
  for (const l of model.links) for (const i of l.ifs) byIf.set(i, l);
  const portOf = new Map<string, string>();
  for (const n of model.nodes) if (n.kind === 'bridge') for (const i of n.ifaces) portOf.set(i.id, n.id);
  // a Service's virtual IP (its box shows "10.96.0.10 53/UDP,53/TCP")
  const svcByIp = new Map<string, MapNode>();
  for (const n of model.nodes) if (n.kind === 'service') for (const a of n.ifaces[0]?.addrs ?? []) svcByIp.set(a.split(' ')[0]!, n);
  return steps.map((s) => {
    const nsNode = nsNodeId(s.ns);
    const iface = s.ifname ? ifaceId(s.ns, s.ifname) : null;
    const link = iface ? byIf.get(iface) : undefined;
    switch (s.kind) {
      case 'fdb': {
        const br = bridgeNodeId(s.ns, s.fdb?.bridge ?? s.ifname ?? '');
        const out = s.fdb?.out;
        if (out && out === s.fdb?.bridge) return [br, `local:${s.ns}/${out}`, nsNode];
        const l = out ? byIf.get(ifaceId(s.ns, out)) : undefined;
        return l ? [br, l.id] : [br];
      }
      case 'vxlan': {
        if (s.vxlan?.dir !== 'encap') return [nsNode];
        const dst = `${s.vxlan.outerDst}/`;
        const far = model.nodes.find((n) => n.ifaces.some((i) => i.addrs.some((a) => a.startsWith(dst))));
        const l = far && model.links.find((x) => x.kind === 'vxlan' && ((x.from === nsNode && x.to === far.id) || (x.to === nsNode && x.from === far.id)));
        return l ? [nsNode, l.id] : [nsNode];
      }
      case 'tx':
        return link && link.kind !== 'vxlan' ? [portOf.get(iface!) ?? nsNode, link.id] : [nsNode];
      case 'rx':
        return iface ? [portOf.get(iface) ?? nsNode] : [nsNode];
      case 'nf':
      case 'nat': {
        // a DNAT of a Service's virtual IP: the Service, and the endpoint it chose
        const svc = s.pkt ? svcByIp.get(s.pkt.dst) : undefined;
        const dnat = s.kind === 'nat' ? /^DNAT to (\S+)/.exec(s.detail) : s.nf?.target === 'DNAT' ? [] : null;
        if (!svc || !dnat) return [nsNode];
        const ep = dnat[1] ? model.links.find((l) => l.kind === 'endpoint' && l.from === svc.id && l.label === dnat[1]) : undefined;
        return ep ? [nsNode, svc.id, ep.id, ep.to] : [nsNode, svc.id];
      }
      default:
        return [nsNode];
    }
  });
}
