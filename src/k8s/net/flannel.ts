// Flannel (vxlan backend) and its CNI plugin, as a kubeadm cluster runs them:
//
// - the kube-flannel pod on each node (`flannelNodeUp`): writes
//   /run/flannel/subnet.env, creates flannel.1 (VNI 1, UDP 8472, nolearning,
//   MTU = underlay - 50, 10.244.N.0/32, its MAC from `flannelVtepMac`), and
//   for every peer node keeps an onlink route, a permanent neighbour and an
//   FDB entry; plus its iptables chains FLANNEL-POSTRTG (nat) and FLANNEL-FWD
//   (filter);
// - the CNI ADD/DEL of 10-flannel.conflist (`cniAdd`, `cniDel`): flannel delegates to the bridge
//   plugin with host-local IPAM: cni0 (10.244.N.1/24), a veth per pod
//   (vethXXXXXXXX on the node, hairpin on; eth0 in the pod), the pod's routes
//   (default and 10.244.0.0/16 via the bridge), the address file under
//   /var/lib/cni/networks/cbr0/.
// Per-pod /etc/resolv.conf and /etc/hosts (what the kubelet mounts) are
// written by `writePodFiles` under /etc/netns/<netns>/, which tools run in
// the pod's namespace read (`ip netns exec` semantics).
import type { World } from '../../sim/world';
import type { HostId, Link, Netns, NsId } from '../../sim/types';
import { addAddress, addressesOf } from '../../sim/addr';
import { findLink, linkAdd, linkDel, linkSetBrport, linkSetMac, linkSetMaster, linkSetMtu, linkSetUp } from '../../sim/netdev';
import { routeAdd, routeDel } from '../../sim/fib';
import { neighAdd, neighDel } from '../../sim/neighbour';
import { vxlanFdbAdd, vxlanFdbDel, vxlanFdbEntries, VXLAN_OVERHEAD } from '../../sim/vxlan';
import { readHostFile, removeHostFile, writeHostFile, listDir } from '../../sim/files';
import { checkRule, findChain, nfCommit, type NfTableName } from '../../sim/netfilter';
import { KernelError } from '../../sim/errors';
import { netnsAdd } from '../../sim/netns';
import { sysctlSet, sysctlValue } from '../../sim/proc-sys';
import { parseRestoreRule } from './kube-proxy';
import { CniError } from '../plugins';

export const FLANNEL_NETWORK = '10.244.0.0/16';
export const FLANNEL_VNI = 1;
export const FLANNEL_PORT = 8472;
export const SUBNET_ENV = '/run/flannel/subnet.env';
export const CONFLIST_PATH = '/etc/cni/net.d/10-flannel.conflist';
export const IPAM_DIR = '/var/lib/cni/networks/cbr0';

/** kube-flannel.yml's cni-conf.json, as the install-cni init container copies it. */
export const FLANNEL_CONFLIST = `{
  "name": "cbr0",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "flannel",
      "delegate": {
        "hairpinMode": true,
        "isDefaultGateway": true
      }
    },
    {
      "type": "portmap",
      "capabilities": {
        "portMappings": true
      }
    }
  ]
}
`;

/** /opt/cni/bin of a kubeadm node (kubernetes-cni) with flannel's plugin added by its init container. */
export const CNI_BINARIES = ['bandwidth', 'bridge', 'dhcp', 'dummy', 'firewall', 'flannel', 'host-device', 'host-local', 'ipvlan', 'loopback', 'macvlan', 'portmap', 'ptp', 'sbr', 'static', 'tap', 'tuning', 'vlan', 'vrf'];

// ---------------------------------------------------------------- small address helpers

function v4(a: string): number {
  return a.split('.').reduce((n, x) => n * 256 + Number(x), 0);
}
function v4s(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** 10.244.N.0/24 → { net: '10.244.N.0', len: 24, gw: '10.244.N.1' }. */
export function subnetOf(cidr: string): { net: string; len: number; gw: string; vtep: string } {
  const [net, len] = cidr.split('/') as [string, string];
  return { net, len: Number(len), gw: v4s(v4(net) + 1), vtep: net };
}

export function subnetEnv(network: string, podCIDR: string, mtu: number): string {
  return `FLANNEL_NETWORK=${network}\nFLANNEL_SUBNET=${subnetOf(podCIDR).gw}/${subnetOf(podCIDR).len}\nFLANNEL_MTU=${mtu}\nFLANNEL_IPMASQ=true\n`;
}

export function parseSubnetEnv(text: string): { network: string; subnet: string; mtu: number } | null {
  const kv = Object.fromEntries(text.split('\n').map((l) => l.split('=') as [string, string]).filter((x) => x.length === 2));
  if (!kv.FLANNEL_NETWORK || !kv.FLANNEL_SUBNET) return null;
  return { network: kv.FLANNEL_NETWORK, subnet: kv.FLANNEL_SUBNET, mtu: Number(kv.FLANNEL_MTU ?? '1450') || 1450 };
}

function hex(world: World, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(world.random() * 16).toString(16);
  return s;
}

// ---------------------------------------------------------------- the node side (kube-flannel pod)

function rootNs(world: World, host: HostId): Netns {
  return world.ns(world.host(host).rootNs);
}

export interface FlannelPeer {
  host?: HostId;
  nodeIP: string;
  podCIDR: string;
  vtepMac: string;
}

/** flannel.1's MAC on a node: stable per host (flannel keeps it in the node's backend-data annotation). */
export function flannelVtepMac(world: World, host: HostId): string {
  const dev = findLink(rootNs(world, host), 'flannel.1');
  if (dev) return dev.mac;
  let h = 2166136261;
  for (const c of `flannel.1/${host}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const b = [0, 1, 2, 3, 4].map((i) => ((h >>> (i * 6)) ^ (i * 97)) & 0xff);
  // locally administered, unicast
  return [((b[0]! & 0xfc) | 0x02), ...b.slice(1)].map((x) => x.toString(16).padStart(2, '0')).join(':') + ':' + ((h >>> 3) & 0xff).toString(16).padStart(2, '0');
}

/** The node's address flannel uses (the interface of the default route, else the first global IPv4). */
function defaultAddress(ns: Netns): { ip: string; link: Link } | null {
  const def = ns.routes.find((r) => r.family === 4 && r.table === 254 && r.dstLen === 0 && r.oif != null);
  const links = def ? ns.links.filter((l) => l.ifindex === def.oif) : [];
  for (const l of [...links, ...ns.links]) {
    if (l.kind === 'loopback' || l.name === 'cni0' || l.name === 'flannel.1') continue;
    const a = addressesOf(ns, l.ifindex, 4).find((x) => x.scope === 'global');
    if (a) return { ip: a.local, link: l };
  }
  return null;
}

/**
 * kube-flannel starting on a node (node `nodeIndex` leases 10.244.N.0/24):
 * subnet.env, flannel.1 (its MAC from flannelVtepMac), the masquerade and
 * forward chains, and the peers' routes/neighbours/FDB entries. Idempotent:
 * call again whenever the set of peers changes. Returns its log lines
 * (without the klog header).
 */
export function flannelNodeUp(world: World, host: HostId, nodeIndex: number, peers: FlannelPeer[], network = FLANNEL_NETWORK): string[] {
  const ns = rootNs(world, host);
  const [nw] = network.split('/') as [string, string];
  const podCIDR = `${v4s(v4(nw) + nodeIndex * 256)}/24`;
  const me = defaultAddress(ns);
  const ip = me?.ip ?? '';
  const lower = me?.link;
  const mtu = (lower?.mtu ?? 1500) - VXLAN_OVERHEAD;
  writeHostFile(world.host(host), SUBNET_ENV, subnetEnv(network, podCIDR, mtu), world.now());
  let dev = findLink(ns, 'flannel.1');
  if (!dev) {
    dev = linkAdd(world, ns.id, { kind: 'vxlan', name: 'flannel.1', mac: flannelVtepMac(world, host), vxlan: { id: FLANNEL_VNI, local: ip || null, dev: lower?.ifindex ?? null, dstport: FLANNEL_PORT, learning: false } });
    linkSetMtu(world, ns.id, dev.ifindex, mtu);
    addAddress(world, ns.id, dev.ifindex, { local: subnetOf(podCIDR).vtep, prefixlen: 32 });
    linkSetUp(world, ns.id, dev.ifindex, true);
  }
  flannelIptables(world, ns.id, network, podCIDR);
  syncPeers(world, ns, dev, peers.filter((p) => p.podCIDR !== podCIDR));
  const name = world.host(host).hostname;
  const backend = JSON.stringify({ VNI: FLANNEL_VNI, VtepMAC: dev.mac });
  return [
    `main.go:211] CLI flags config: {etcdEndpoints:http://127.0.0.1:4001,http://127.0.0.1:2379 etcdPrefix:/coreos.com/network etcdKeyfile: etcdCertfile: etcdCAFile: etcdUsername: etcdPassword: version:false kubeSubnetMgr:true kubeApiUrl: kubeAnnotationPrefix:flannel.alpha.coreos.com kubeConfigFile: iface:[] ifaceRegex:[] ipMasq:true ifaceCanReach: subnetFile:/run/flannel/subnet.env publicIP: publicIPv6: subnetLeaseRenewMargin:60 healthzIP:0.0.0.0 healthzPort:0 iptablesResyncSeconds:5 iptablesForwardRules:true netConfPath:/etc/kube-flannel/net-conf.json setNodeNetworkUnavailable:true}`,
    `main.go:230] Created subnet manager: Kubernetes Subnet Manager - ${name}`,
    `main.go:233] Installing signal handlers`,
    `main.go:523] Found network config - Backend type: vxlan`,
    `match.go:264] Using interface with name ${lower?.name ?? 'eth0'} and address ${ip}`,
    `match.go:286] Defaulting external address to interface address (${ip})`,
    `vxlan.go:141] VXLAN config: VNI=1 Port=0 GBP=false Learning=false DirectRouting=false`,
    `kube.go:636] List of node(${name}) annotations: map[string]string{"flannel.alpha.coreos.com/backend-data":${JSON.stringify(backend)}, "flannel.alpha.coreos.com/backend-type":"vxlan", "flannel.alpha.coreos.com/kube-subnet-manager":"true", "flannel.alpha.coreos.com/public-ip":"${ip}"}`,
    `main.go:354] Setting up masking rules`,
    `main.go:418] Wrote subnet file to /run/flannel/subnet.env`,
    `main.go:422] Running backend.`,
    `vxlan_network.go:65] watching for new subnet leases`,
  ];
}

/** kube-flannel stopping: its device, routes and subnet.env stay (as on a real node). */
export function flannelNodeDown(world: World, host: HostId): void {
  void world;
  void host;
}

/** Routes, neighbours and FDB entries toward every peer; stale ones go. */
function syncPeers(world: World, ns: Netns, dev: Link, peers: FlannelPeer[]): void {
  const want = new Map<string, { vtep: string; mac: string; publicIP: string; len: number }>();
  for (const p of peers) {
    const sn = subnetOf(p.podCIDR);
    want.set(sn.net, { vtep: sn.vtep, mac: p.vtepMac.toLowerCase(), publicIP: p.nodeIP, len: sn.len });
  }
  for (const r of ns.routes.filter((r) => r.family === 4 && r.table === 254 && r.oif === dev.ifindex && r.gateway && r.onlink)) {
    if (!want.has(r.dst)) {
      routeDel(world, ns.id, { family: 4, dst: r.dst, dstLen: r.dstLen, oif: dev.ifindex });
      try {
        neighDel(world, ns.id, dev.ifindex, r.gateway!);
      } catch (e) {
        if (!(e instanceof KernelError)) throw e;
      }
    }
  }
  const fdb = vxlanFdbEntries(world, dev);
  const macs = new Set([...want.values()].map((w) => w.mac));
  for (const e of [...fdb]) if (!macs.has(e.mac)) vxlanFdbDel(world, ns.id, dev.ifindex, e.mac, e.dst);
  for (const [net, w] of want) {
    // flannel's order: ARP (neighbour), FDB, then the route
    const nb = ns.neigh.find((x) => x.ifindex === dev.ifindex && x.dst === w.vtep);
    if (!nb || nb.lladdr !== w.mac) neighAdd(world, ns.id, { ifindex: dev.ifindex, dst: w.vtep, lladdr: w.mac, state: 'PERMANENT' }, 'replace');
    if (!vxlanFdbEntries(world, dev).some((e) => e.mac === w.mac && e.dst === w.publicIP)) vxlanFdbAdd(world, ns.id, dev.ifindex, { mac: w.mac, dst: w.publicIP }, 'replace');
    if (!ns.routes.some((r) => r.family === 4 && r.table === 254 && r.dst === net && r.dstLen === w.len)) {
      routeAdd(world, ns.id, { family: 4, dst: net, dstLen: w.len, gateway: w.vtep, oif: dev.ifindex, onlink: true });
    }
  }
}

/** flannel's iptables: FLANNEL-POSTRTG (masquerade pod traffic leaving the network) and FLANNEL-FWD (accept the network). */
export function flannelIptables(world: World, nsId: NsId, network: string, podCIDR: string): void {
  const ns = world.ns(nsId);
  const rules: [NfTableName, string][] = [
    ['nat', '-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG'],
    ['nat', '-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN'],
    ['nat', `-A FLANNEL-POSTRTG -s ${podCIDR} -d ${network} -m comment --comment "flanneld masq" -j RETURN`],
    ['nat', `-A FLANNEL-POSTRTG -s ${network} -d ${podCIDR} -m comment --comment "flanneld masq" -j RETURN`],
    ['nat', `-A FLANNEL-POSTRTG ! -s ${network} -d ${podCIDR} -m comment --comment "flanneld masq" -j RETURN`],
    ['nat', `-A FLANNEL-POSTRTG -s ${network} ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully`],
    ['nat', `-A FLANNEL-POSTRTG ! -s ${network} -d ${network} -m comment --comment "flanneld masq" -j MASQUERADE --random-fully`],
    ['filter', '-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD'],
    ['filter', `-A FLANNEL-FWD -s ${network} -m comment --comment "flanneld forward" -j ACCEPT`],
    ['filter', `-A FLANNEL-FWD -d ${network} -m comment --comment "flanneld forward" -j ACCEPT`],
  ];
  for (const [table, chain] of [['nat', 'FLANNEL-POSTRTG'], ['filter', 'FLANNEL-FWD']] as const) if (!findChain(ns, table, chain)) nfCommit(world, nsId, { table, ops: [{ op: 'newChain', chain }] });
  for (const [table, line] of rules) {
    const { chain, rule } = parseRestoreRule(line);
    if (!checkRule(ns, table, chain, rule)) nfCommit(world, nsId, { table, ops: [{ op: 'append', chain, rule }] });
  }
}

// ---------------------------------------------------------------- the CNI plugin (flannel → bridge + host-local)

function ipamAllocate(world: World, host: HostId, subnet: string, len: number, containerId: string): string {
  const h = world.host(host);
  const base = v4(subnet);
  const size = 2 ** (32 - len);
  const used = new Set(listDir(h, IPAM_DIR).filter((n) => /^\d+\.\d+\.\d+\.\d+$/.test(n)));
  const last = readHostFile(h, `${IPAM_DIR}/last_reserved_ip.0`);
  // host-local: round robin from the address after the last one handed out (first: .2, the gateway .1 is reserved)
  const first = base + 2;
  const end = base + size - 2;
  let start = last ? v4(last) + 1 : first;
  if (start < first || start > end) start = first;
  for (let i = 0; i <= end - first; i++) {
    const cand = first + ((start - first + i) % (end - first + 1));
    const ip = v4s(cand);
    if (used.has(ip)) continue;
    writeHostFile(h, `${IPAM_DIR}/${ip}`, `${containerId}\r\neth0`, world.now());
    writeHostFile(h, `${IPAM_DIR}/last_reserved_ip.0`, ip, world.now());
    writeHostFile(h, `${IPAM_DIR}/lock`, '', world.now());
    return ip;
  }
  throw new CniError(`plugin type="flannel" failed (add): failed to delegate add: failed to allocate for range 0: no IP addresses available in range set: ${v4s(first)}-${v4s(end)}`);
}

/** The bridge plugin's cni0 (isGateway: the gateway address on it; MTU from subnet.env). */
function ensureBridge(world: World, ns: Netns, gw: string, len: number, mtu: number): Link {
  let br = findLink(ns, 'cni0');
  if (!br) {
    br = linkAdd(world, ns.id, { kind: 'bridge', name: 'cni0', mtu });
    linkSetUp(world, ns.id, br.ifindex, true);
  }
  if (!addressesOf(ns, br.ifindex, 4).some((a) => a.local === gw)) {
    addAddress(world, ns.id, br.ifindex, { local: gw, prefixlen: len });
    // ensureAddr: "Set the bridge's MAC to itself. Otherwise, the bridge will take the lowest-numbered mac on the
    // bridge, and will change as ifs churn": the MAC the bridge was created with stays, whatever ports come and go
    linkSetMac(world, ns.id, br.ifindex, br.mac);
  }
  if (!br.adminUp) linkSetUp(world, ns.id, br.ifindex, true);
  return br;
}

export type CniAddResult = { ok: true; ip: string; mac: string; netns: string; nsId: NsId; hostVeth: string } | { ok: false; message: string };

/** containerd's netns name for a sandbox: cni-<uuid v4>. */
function netnsNameFor(world: World): string {
  const x = hex(world, 32).split('');
  x[12] = '4';
  x[16] = '89ab'[parseInt(x[16]!, 16) % 4]!;
  const t = x.join('');
  return `cni-${t.slice(0, 8)}-${t.slice(8, 12)}-${t.slice(12, 16)}-${t.slice(16, 20)}-${t.slice(20, 32)}`;
}

/**
 * CNI ADD of the node's network config (10-flannel.conflist: flannel
 * delegating to bridge + host-local) for a pod sandbox: creates the pod's
 * netns (cni-<uuid>, lo up), cni0 if missing, the veth pair, the address
 * and routes. `{ok:false, message}` carries the plugin's text (what follows
 * `failed to setup network for sandbox "<id>": `) and leaves nothing behind.
 */
export function cniAdd(world: World, host: HostId, pod: { namespace: string; name: string; uid: string; containerId: string }): CniAddResult {
  const h = world.host(host);
  const conflist = listDir(h, '/etc/cni/net.d').filter((f) => /\.(conf|conflist|json)$/.test(f))[0];
  if (!conflist) return { ok: false, message: 'cni plugin not initialized' };
  const text = readHostFile(h, `/etc/cni/net.d/${conflist}`) ?? '';
  const type = /"type"\s*:\s*"([^"]+)"/.exec(text)?.[1] ?? '';
  if (type !== 'flannel') return { ok: false, message: `plugin type="${type}" failed (add): failed to find plugin "${type}" in path [/opt/cni/bin]` };
  if (readHostFile(h, '/opt/cni/bin/flannel') === null) return { ok: false, message: 'plugin type="flannel" failed (add): failed to find plugin "flannel" in path [/opt/cni/bin]' };
  const env = readHostFile(h, SUBNET_ENV);
  if (env === null) return { ok: false, message: 'plugin type="flannel" failed (add): loadFlannelSubnetEnv failed: open /run/flannel/subnet.env: no such file or directory' };
  const conf = parseSubnetEnv(env);
  if (!conf) return { ok: false, message: 'plugin type="flannel" failed (add): loadFlannelSubnetEnv failed: missing FLANNEL_NETWORK, FLANNEL_IPV6_NETWORK, FLANNEL_SUBNET, FLANNEL_IPV6_SUBNET, FLANNEL_MTU, FLANNEL_IPMASQ' };
  const [gw, lenText] = conf.subnet.split('/') as [string, string];
  const len = Number(lenText);
  const net = v4s(v4(gw) - 1);
  let ip: string;
  try {
    ip = ipamAllocate(world, host, net, len, pod.containerId);
  } catch (e) {
    if (e instanceof CniError) return { ok: false, message: e.message };
    throw e;
  }
  const root = rootNs(world, host);
  const br = ensureBridge(world, root, gw, len, conf.mtu);
  if (sysctlValue(world, root.id, 'net.ipv4.ip_forward') !== '1') sysctlSet(world, root.id, 'net.ipv4.ip_forward', '1');
  const netns = netnsNameFor(world);
  const podNs = netnsAdd(world, host, netns);
  linkSetUp(world, podNs.id, findLink(podNs, 'lo')!.ifindex, true);
  let hostVeth = `veth${hex(world, 8)}`;
  while (findLink(root, hostVeth)) hostVeth = `veth${hex(world, 8)}`;
  const veth = linkAdd(world, root.id, { kind: 'veth', name: hostVeth, peerName: 'eth0', peerNs: podNs.id, mtu: conf.mtu });
  linkSetMaster(world, root.id, veth.ifindex, br.ifindex);
  linkSetBrport(world, root.id, veth.ifindex, { cost: null, priority: null, flags: { hairpin: true } });
  linkSetUp(world, root.id, veth.ifindex, true);
  const eth0 = findLink(podNs, 'eth0')!;
  addAddress(world, podNs.id, eth0.ifindex, { local: ip, prefixlen: len });
  linkSetUp(world, podNs.id, eth0.ifindex, true);
  const [nw, nwLen] = conf.network.split('/') as [string, string];
  routeAdd(world, podNs.id, { family: 4, dst: '0.0.0.0', dstLen: 0, gateway: gw });
  routeAdd(world, podNs.id, { family: 4, dst: nw, dstLen: Number(nwLen), gateway: gw });
  return { ok: true, ip, mac: eth0.mac, netns, nsId: podNs.id, hostVeth };
}

/** CNI DEL: the pod's veth pair and its address (the runtime removes the netns). */
export function cniDel(world: World, host: HostId, containerId: string): void {
  const h = world.host(host);
  for (const n of listDir(h, IPAM_DIR)) {
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(n)) continue;
    const c = readHostFile(h, `${IPAM_DIR}/${n}`) ?? '';
    if (c.split('\r\n')[0] !== containerId) continue;
    removeHostFile(h, `${IPAM_DIR}/${n}`);
    // the pod's eth0 holds that address: deleting it deletes the host side too
    for (const nsId of Object.values(h.netns)) {
      const ns = world.ns(nsId);
      const eth0 = findLink(ns, 'eth0');
      if (eth0 && addressesOf(ns, eth0.ifindex, 4).some((a) => a.local === n)) linkDel(world, ns.id, eth0.ifindex);
    }
  }
}

// ---------------------------------------------------------------- the pod's /etc files

const HOSTS_HEADER = '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';

/** The node's resolv.conf as the kubelet reads it (its resolvConf: systemd-resolved's upstream list when present). */
export function nodeResolvConf(world: World, host: HostId): string {
  const h = world.host(host);
  return readHostFile(h, '/run/systemd/resolve/resolv.conf') ?? readHostFile(h, '/etc/resolv.conf') ?? '';
}

/**
 * What the kubelet bind-mounts into a pod's containers: /etc/hosts (its
 * managed file) and /etc/resolv.conf from the pod's dnsPolicy
 * (ClusterFirst: the cluster's search list, nameserver and ndots:5, plus the
 * node's search domains; Default: the node's file), and /etc/hostname.
 */
export interface PodFilesSpec {
  namespace: string;
  podName: string;
  podIP: string;
  hostname?: string;
  subdomain?: string;
  dnsPolicy?: string;
  hostNetwork?: boolean;
  hostAliases?: { ip?: string; hostnames?: string[] }[];
  dnsConfig?: { nameservers?: string[]; searches?: string[]; options?: { name?: string; value?: string }[] };
  clusterDNS?: string;
  clusterDomain?: string;
}

/**
 * What every CNI's ADD is followed by: the kubelet's per-pod files for a
 * pod object (its hostname, subdomain, DNS policy and config, host aliases)
 * and the cluster's DNS settings.
 */
export function writePodFilesOf(world: World, host: HostId, netnsName: string, pod: any, podIP: string, cluster: { dnsServiceIP: string; clusterDomain: string }): void {
  writePodFiles(world, host, netnsName, {
    namespace: pod.metadata.namespace,
    podName: pod.metadata.name,
    podIP,
    hostname: pod.spec.hostname,
    subdomain: pod.spec.subdomain,
    dnsPolicy: pod.spec.dnsPolicy,
    hostAliases: pod.spec.hostAliases,
    dnsConfig: pod.spec.dnsConfig,
    clusterDNS: cluster.dnsServiceIP,
    clusterDomain: cluster.clusterDomain,
  });
}

/** The nameservers, search domains and options of a resolv.conf as the kubelet reads its resolvConf (dns.go parseResolvConf) */
function parseResolvConf(text: string): { servers: string[]; searches: string[]; options: string[] } {
  const servers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/).filter(Boolean);
    if (!f.length || f[0]!.startsWith('#')) continue;
    if (f[0] === 'nameserver' && f[1]) servers.push(f[1]);
    // the last search line counts; "." (systemd-resolved's "no domain") is dropped, a trailing dot trimmed
    if (f[0] === 'search') searches = f.slice(1).filter((d) => d !== '.').map((d) => d.replace(/\.$/, ''));
    if (f[0] === 'options') options = mergeOptions(options, f.slice(1));
  }
  return { servers, searches, options };
}

/** options with more appended, a later option of the same name replacing the earlier one (the kubelet's appendOptions/mergeDNSOptions) */
function mergeOptions(options: string[], more: string[]): string[] {
  const out = [...options];
  for (const o of more) {
    const name = o.split(':')[0];
    const i = out.findIndex((x) => x.split(':')[0] === name);
    if (i >= 0) out[i] = o;
    else out.push(o);
  }
  return out;
}

/**
 * A pod's /etc/resolv.conf: the kubelet's DNS config for its dnsPolicy (GetPodDNS: Default and a host-network
 * ClusterFirst pod take the node's resolvConf as parsed; ClusterFirst the cluster's nameserver, its search list
 * before the node's domains, ndots:5; None nothing), the pod's dnsConfig appended without duplicates, written as
 * containerd writes a sandbox's resolv.conf (parseDNSOptions: search, nameserver lines, options; nothing empty)
 */
function podResolvConf(node: string, p: PodFilesSpec, cluster: { dnsIP: string; domain: string }): string {
  const policy = p.dnsPolicy ?? 'ClusterFirst';
  let c = { servers: [] as string[], searches: [] as string[], options: [] as string[] };
  if (policy !== 'None') c = parseResolvConf(node);
  if (policy === 'ClusterFirst' && !p.hostNetwork) {
    c = { servers: [cluster.dnsIP], searches: [`${p.namespace}.svc.${cluster.domain}`, `svc.${cluster.domain}`, cluster.domain, ...c.searches], options: ['ndots:5'] };
  }
  const dc = p.dnsConfig;
  if (dc) {
    const uniq = (a: string[]) => a.filter((x, i) => a.indexOf(x) === i);
    c.servers = uniq([...c.servers, ...(dc.nameservers ?? [])]);
    c.searches = uniq([...c.searches, ...(dc.searches ?? [])]);
    c.options = mergeOptions(c.options, (dc.options ?? []).map((o) => (o.value !== undefined ? `${o.name}:${o.value}` : (o.name ?? ''))));
  }
  let text = '';
  if (c.searches.length) text += `search ${c.searches.join(' ')}\n`;
  for (const s of c.servers) text += `nameserver ${s}\n`;
  if (c.options.length) text += `options ${c.options.join(' ')}\n`;
  return text;
}

/**
 * A pod's host name: its spec.hostname, else its name, cut to 63 characters without a trailing '-' or '.' (the
 * kubelet's GeneratePodHostNameAndDomain and truncatePodHostnameIfNeeded): its UTS namespace's, /etc/hostname's
 */
export function podHostname(hostname: string | undefined, name: string): string {
  const h = hostname || name;
  return h.length > 63 ? h.slice(0, 63).replace(/[-.]+$/, '') : h;
}

export function writePodFiles(world: World, host: HostId, netnsName: string, p: PodFilesSpec): void {
  const h = world.host(host);
  const ns = p.namespace;
  const hostname = podHostname(p.hostname, p.podName);
  const sub = p.subdomain;
  const podIP = p.podIP;
  const cluster = { dnsIP: p.clusterDNS ?? '10.96.0.10', domain: p.clusterDomain ?? 'cluster.local' };
  let hosts = HOSTS_HEADER + (sub ? `${podIP}\t${hostname}.${sub}.${ns}.svc.${cluster.domain}\t${hostname}\n` : `${podIP}\t${hostname}\n`);
  const aliases = p.hostAliases ?? [];
  if (aliases.length) {
    hosts += '\n# Entries added by HostAliases.\n';
    for (const a of aliases) hosts += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  }
  const resolv = podResolvConf(nodeResolvConf(world, host), p, cluster);
  writeHostFile(h, `/etc/netns/${netnsName}/hosts`, hosts, world.now());
  writeHostFile(h, `/etc/netns/${netnsName}/resolv.conf`, resolv, world.now());
  writeHostFile(h, `/etc/netns/${netnsName}/hostname`, `${hostname}\n`, world.now());
}
