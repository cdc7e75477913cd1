// Calico's node side: the IPAM blocks (/26 per node from the IP pool, the
// pool being the cluster's pod CIDR as calico-node auto-detects it from
// kubeadm), what calico-node programs on its node for the VXLAN backend
// (vxlan.calico with the block's first address, the blackhole route for its
// own block, a route/neighbour/FDB entry per other node, proto 80 as Felix
// writes them), and the CNI plugin (calico + calico-ipam): cali* host
// veths, pod /32 addresses with the 169.254.1.1 gateway, /32 host routes.
import { sysctlDev } from '../../sim/if-sysctl';
import { sha1 } from '@noble/hashes/legacy.js';
import type { World } from '../../sim/world';
import type { HostId, Link, Netns, NsId } from '../../sim/types';
import { addAddress, addressesOf } from '../../sim/addr';
import { findLink, linkAdd, linkDel, linkSetMtu, linkSetUp } from '../../sim/netdev';
import { routeAdd, routeDel } from '../../sim/fib';
import { neighAdd, neighDel } from '../../sim/neighbour';
import { vxlanFdbAdd, vxlanFdbDel, vxlanFdbEntries, VXLAN_OVERHEAD } from '../../sim/vxlan';
import { readHostFile, writeHostFile } from '../../sim/files';
import { checkRule, findChain, nfCommit } from '../../sim/netfilter';
import { KernelError } from '../../sim/errors';
import { netnsAdd } from '../../sim/netns';
import { sysctlSet, sysctlValue } from '../../sim/proc-sys';
import { CniError } from '../plugins';
import { parseRestoreRule } from '../net/kube-proxy';
import { caliIfaceName } from './chains';

export const CALICO_VNI = 4096;
export const CALICO_VXLAN_PORT = 4789;
export const BLOCK_SIZE = 26;
export const CALICO_PROTO = 80;
export const NODENAME_FILE = '/var/lib/calico/nodename';
export const HOST_VETH_MAC = 'ee:ee:ee:ee:ee:ee';
export const POD_GATEWAY = '169.254.1.1';

const v4 = (s: string) => s.split('.').reduce((x, o) => x * 256 + Number(o), 0);
const v4s = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
const hexOf = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
export const sha1hex = (s: string) => hexOf(sha1(new TextEncoder().encode(s)));

export function calicoIface(namespace: string, pod: string): string {
  return caliIfaceName(namespace, pod, sha1hex);
}

function fnv(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/**
 * The /26 block each node holds, from the pool: a node's block is drawn by
 * a hash of its name among the free ones (Calico picks a random free block;
 * this keeps it stable without a datastore), nodes in registration order.
 */
export function calicoBlocks(pool: string, nodes: string[]): Map<string, string> {
  const [net, lenText] = pool.split('/');
  const base = v4(net!);
  const count = 2 ** (BLOCK_SIZE - Number(lenText));
  const used = new Set<number>();
  const out = new Map<string, string>();
  for (const n of nodes) {
    let i = fnv(`calico-block/${n}`) % count;
    while (used.has(i)) i = (i + 1) % count;
    used.add(i);
    out.set(n, `${v4s(base + i * 64)}/${BLOCK_SIZE}`);
  }
  return out;
}

/** The node's VXLAN tunnel address: the block's first address (IPAM ordinal 0, handed out first). */
export const tunnelAddress = (block: string) => block.split('/')[0]!;

/** vxlan.calico's MAC, stable per node (Felix records it on the node: projectcalico.org/VXLANTunnelMACAddr). */
export function calicoVtepMac(host: string): string {
  const h = fnv(`vxlan.calico/${host}`);
  const h2 = fnv(`mac/${host}`);
  const b = [0x66, (h >>> 24) & 0xff, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff, h2 & 0xff];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

export interface CalicoPeer {
  host: string;
  nodeIP: string;
  block: string;
  vtepMac: string;
}

function root(world: World, host: HostId): Netns {
  return world.ns(world.host(host).rootNs);
}

function mainAddress(ns: Netns): { ip: string; len: number; link: Link } | null {
  const def = ns.routes.find((r) => r.family === 4 && r.table === 254 && r.dstLen === 0 && r.oif != null);
  const links = def ? ns.links.filter((l) => l.ifindex === def.oif) : [];
  for (const l of [...links, ...ns.links]) {
    if (l.kind === 'loopback' || l.name.startsWith('cali') || l.name === 'vxlan.calico') continue;
    const a = addressesOf(ns, l.ifindex, 4).find((x) => x.scope === 'global');
    if (a) return { ip: a.local, len: a.prefixlen, link: l };
  }
  return null;
}

export function nodeAddress(world: World, host: HostId): { ip: string; len: number; iface: string } | null {
  const a = mainAddress(root(world, host));
  return a ? { ip: a.ip, len: a.len, iface: a.link.name } : null;
}

/**
 * calico-node coming up on a node (VXLAN backend): /var/lib/calico/nodename,
 * vxlan.calico, the blackhole route of its block, the NAT-outgoing rule, and
 * the peers' routes. Idempotent: call again when the peers change.
 */
export function calicoNodeUp(world: World, host: HostId, nodeName: string, block: string, pool: string, peers: CalicoPeer[]): void {
  const ns = root(world, host);
  const h = world.host(host);
  writeHostFile(h, NODENAME_FILE, nodeName, world.now());
  writeHostFile(h, '/var/lib/calico/mtu', '1450', world.now());
  const me = mainAddress(ns);
  const mtu = (me?.link.mtu ?? 1500) - VXLAN_OVERHEAD;
  let dev = findLink(ns, 'vxlan.calico');
  if (!dev) {
    dev = linkAdd(world, ns.id, { kind: 'vxlan', name: 'vxlan.calico', mac: calicoVtepMac(host), vxlan: { id: CALICO_VNI, local: me?.ip ?? null, dev: me?.link.ifindex ?? null, dstport: CALICO_VXLAN_PORT, learning: false } });
    linkSetMtu(world, ns.id, dev.ifindex, mtu);
    addAddress(world, ns.id, dev.ifindex, { local: tunnelAddress(block), prefixlen: 32 });
    linkSetUp(world, ns.id, dev.ifindex, true);
  }
  const [bnet, blen] = block.split('/');
  if (!ns.routes.some((r) => r.family === 4 && r.table === 254 && r.type === 'blackhole' && r.dst === bnet && r.dstLen === Number(blen))) {
    routeAdd(world, ns.id, { family: 4, type: 'blackhole', dst: bnet!, dstLen: Number(blen), protocol: CALICO_PROTO } as any);
  }
  if (sysctlValue(world, ns.id, 'net.ipv4.ip_forward') !== '1') sysctlSet(world, ns.id, 'net.ipv4.ip_forward', '1');
  natOutgoing(world, ns.id, pool);
  syncPeers(world, ns, dev, peers.filter((p) => p.block !== block));
}

/** The IP pool's natOutgoing: pod traffic leaving the pool is masqueraded (cali-nat-outgoing). */
function natOutgoing(world: World, nsId: NsId, pool: string): void {
  const ns = world.ns(nsId);
  for (const c of ['cali-POSTROUTING', 'cali-nat-outgoing']) if (!findChain(ns, 'nat', c)) nfCommit(world, nsId, { table: 'nat', ops: [{ op: 'newChain', chain: c }] });
  const lines = [
    ['POSTROUTING', '-A POSTROUTING -m comment --comment "cali:O3lYWMrLQYEMJtB5" -j cali-POSTROUTING', true],
    ['cali-POSTROUTING', '-A cali-POSTROUTING -m comment --comment "cali:Z-c7XtVd2Bq7s_hA" -j cali-nat-outgoing', false],
    ['cali-nat-outgoing', `-A cali-nat-outgoing -s ${pool} ! -d ${pool} -m comment --comment "cali:flqWnvo8yq4ULQLa" -j MASQUERADE --random-fully`, false],
  ] as const;
  for (const [, line, first] of lines) {
    const { chain, rule } = parseRestoreRule(line);
    if (!checkRule(ns, 'nat', chain, rule)) nfCommit(world, nsId, { table: 'nat', ops: [first ? { op: 'insert', chain, num: 1, rule } : { op: 'append', chain, rule }] });
  }
}

function syncPeers(world: World, ns: Netns, dev: Link, peers: CalicoPeer[]): void {
  const want = new Map(peers.map((p) => [p.block.split('/')[0]!, p]));
  for (const r of ns.routes.filter((r) => r.family === 4 && r.table === 254 && r.oif === dev.ifindex && r.gateway && r.onlink)) {
    if (want.has(r.dst)) continue;
    routeDel(world, ns.id, { family: 4, dst: r.dst, dstLen: r.dstLen, oif: dev.ifindex });
    try {
      neighDel(world, ns.id, dev.ifindex, r.gateway!);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
    }
  }
  const macs = new Set(peers.map((p) => p.vtepMac));
  for (const e of [...vxlanFdbEntries(world, dev)]) if (!macs.has(e.mac)) vxlanFdbDel(world, ns.id, dev.ifindex, e.mac, e.dst);
  for (const [net, p] of want) {
    const gw = tunnelAddress(p.block);
    const nb = ns.neigh.find((x) => x.ifindex === dev.ifindex && x.dst === gw);
    if (!nb || nb.lladdr !== p.vtepMac) neighAdd(world, ns.id, { ifindex: dev.ifindex, dst: gw, lladdr: p.vtepMac, state: 'PERMANENT' }, 'replace');
    if (!vxlanFdbEntries(world, dev).some((e) => e.mac === p.vtepMac && e.dst === p.nodeIP)) vxlanFdbAdd(world, ns.id, dev.ifindex, { mac: p.vtepMac, dst: p.nodeIP }, 'replace');
    if (!ns.routes.some((r) => r.family === 4 && r.table === 254 && r.dst === net && r.dstLen === BLOCK_SIZE && r.type !== 'blackhole')) {
      routeAdd(world, ns.id, { family: 4, dst: net, dstLen: BLOCK_SIZE, gateway: gw, oif: dev.ifindex, onlink: true, protocol: CALICO_PROTO } as any);
    }
  }
}

// ---------------------------------------------------------------- the CNI plugin

function randomHex(world: World, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(world.random() * 16).toString(16);
  return s;
}

function netnsName(world: World): string {
  const x = randomHex(world, 32).split('');
  x[12] = '4';
  x[16] = '89ab'[parseInt(x[16]!, 16) % 4]!;
  const t = x.join('');
  return `cni-${t.slice(0, 8)}-${t.slice(8, 12)}-${t.slice(12, 16)}-${t.slice(16, 20)}-${t.slice(20, 32)}`;
}

/** calico-ipam: the first free address of the node's block after the tunnel address (used = the /32 routes to cali* devices). */
function allocate(ns: Netns, block: string): string | null {
  const [net] = block.split('/');
  const base = v4(net!);
  const used = new Set(ns.routes.filter((r) => r.family === 4 && r.dstLen === 32).map((r) => r.dst));
  for (let i = 1; i < 64; i++) {
    const ip = v4s(base + i);
    if (!used.has(ip)) return ip;
  }
  return null;
}

export interface CalicoCniResult {
  nsId: NsId;
  netns: string;
  ip: string;
  hostVeth: string;
}

/** CNI ADD through 10-calico.conflist (calico + calico-ipam) for a pod on a node whose block is `block`. */
export function calicoCniAdd(world: World, host: HostId, pod: { namespace: string; name: string }, block: string | null): CalicoCniResult {
  const h = world.host(host);
  if (readHostFile(h, '/opt/cni/bin/calico') === null) throw new CniError('plugin type="calico" failed (add): failed to find plugin "calico" in path [/opt/cni/bin]');
  if (readHostFile(h, NODENAME_FILE) === null || !block) throw new CniError('plugin type="calico" failed (add): stat /var/lib/calico/nodename: no such file or directory: check that the calico/node container is running and has mounted /var/lib/calico/');
  const r = root(world, host);
  const ip = allocate(r, block);
  if (!ip) throw new CniError(`plugin type="calico" failed (add): failed to request IPv4 addresses: no IPs available in block ${block}`);
  const iface = calicoIface(pod.namespace, pod.name);
  const stale = findLink(r, iface);
  if (stale) linkDel(world, r.id, stale.ifindex);
  const mtu = Number(readHostFile(h, '/var/lib/calico/mtu') ?? '1450') || 1450;
  const name = netnsName(world);
  const podNs = netnsAdd(world, host, name);
  linkSetUp(world, podNs.id, findLink(podNs, 'lo')!.ifindex, true);
  const veth = linkAdd(world, r.id, { kind: 'veth', name: iface, peerName: 'eth0', peerNs: podNs.id, mtu, mac: HOST_VETH_MAC });
  for (const [k, v] of [['proxy_arp', '1'], ['forwarding', '1']]) {
    try {
      sysctlSet(world, r.id, `net.ipv4.conf.${sysctlDev(iface)}.${k}`, v!);
    } catch {
      /* not modelled */
    }
  }
  linkSetUp(world, r.id, veth.ifindex, true);
  const eth0 = findLink(podNs, 'eth0')!;
  addAddress(world, podNs.id, eth0.ifindex, { local: ip, prefixlen: 32 });
  linkSetUp(world, podNs.id, eth0.ifindex, true);
  routeAdd(world, podNs.id, { family: 4, dst: POD_GATEWAY, dstLen: 32, oif: eth0.ifindex, scope: 'link' } as any);
  routeAdd(world, podNs.id, { family: 4, dst: '0.0.0.0', dstLen: 0, gateway: POD_GATEWAY, oif: eth0.ifindex });
  // the host side answers ARP for 169.254.1.1 by proxy_arp; the simulated kernel has no proxy ARP, so the entry is static
  neighAdd(world, podNs.id, { ifindex: eth0.ifindex, dst: POD_GATEWAY, lladdr: HOST_VETH_MAC, state: 'PERMANENT' }, 'replace');
  routeAdd(world, r.id, { family: 4, dst: ip, dstLen: 32, oif: veth.ifindex, scope: 'link' } as any);
  return { nsId: podNs.id, netns: name, ip, hostVeth: iface };
}

/** CNI DEL: the veth pair goes (its /32 route with it). */
export function calicoCniDel(world: World, nsId: NsId): void {
  let ns: Netns;
  try {
    ns = world.ns(nsId);
  } catch {
    return;
  }
  const eth0 = findLink(ns, 'eth0');
  if (eth0) linkDel(world, nsId, eth0.ifindex);
}

/** The manifest's cni_network_config (calico-config ConfigMap): install-cni fills its placeholders per node. */
export const CNI_TEMPLATE = `{
  "name": "k8s-pod-network",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "calico",
      "log_level": "info",
      "log_file_path": "/var/log/calico/cni/cni.log",
      "datastore_type": "kubernetes",
      "nodename": "__KUBERNETES_NODE_NAME__",
      "mtu": __CNI_MTU__,
      "ipam": {
          "type": "calico-ipam"
      },
      "policy": {
          "type": "k8s"
      },
      "kubernetes": {
          "kubeconfig": "__KUBECONFIG_FILEPATH__"
      }
    },
    {
      "type": "portmap",
      "snat": true,
      "capabilities": {"portMappings": true}
    },
    {
      "type": "bandwidth",
      "capabilities": {"bandwidth": true}
    }
  ]
}`;

/** install-cni's /etc/cni/net.d/10-calico.conflist on a node (veth_mtu "0": the MTU is detected). */
export const CALICO_CONFLIST = (node: string) =>
  CNI_TEMPLATE.replace('__KUBERNETES_NODE_NAME__', node).replace('__CNI_MTU__', '0').replace('__KUBECONFIG_FILEPATH__', '/etc/cni/net.d/calico-kubeconfig');

