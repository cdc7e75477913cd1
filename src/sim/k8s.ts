// A Kubernetes cluster as plain state, enough for a control-plane node's
// view: nodes, pods, services, endpoints and container logs. The network
// side of it (pod namespaces, veths on the CNI bridge, kube-proxy's NAT
// chains) is real kernel state, built by `clusterSetupLines` through the same
// tools a learner uses, so it can be inspected with ip, iptables, netstat.
import type { World } from './world';
import { sha256 } from '@noble/hashes/sha2.js';

export interface K8sNode {
  name: string;
  roles: string;
  internalIP: string;
  version: string;
  osImage: string;
  kernel: string;
  runtime: string;
  /** sim ms of creation (negative: before the simulation started) */
  created: number;
  podCIDR: string;
}

export interface K8sContainer {
  name: string;
  image: string;
  log: string;
}

export interface K8sPod {
  name: string;
  namespace: string;
  node: string;
  ip: string;
  hostNetwork: boolean;
  labels: Record<string, string>;
  containers: K8sContainer[];
  restarts: number;
  created: number;
  /** owner kind for `kubectl get` grouping: DaemonSet, ReplicaSet, static */
  owner: string;
}

export interface K8sServicePort {
  name: string;
  port: number;
  targetPort: number;
  protocol: 'TCP' | 'UDP';
  nodePort?: number;
}

export interface K8sService {
  name: string;
  namespace: string;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  clusterIP: string;
  ports: K8sServicePort[];
  selector: Record<string, string>;
  created: number;
}

export interface K8sCluster {
  nodes: K8sNode[];
  pods: K8sPod[];
  services: K8sService[];
  serviceCIDR: string;
  podCIDR: string;
  cni: 'bridge' | 'weave' | 'flannel';
}

export function cluster(world: World): K8sCluster | null {
  return world.state.cluster ?? null;
}

/** Pods a Service selects (its endpoints), in pod order. */
export function endpointsOf(c: K8sCluster, svc: K8sService): K8sPod[] {
  const sel = Object.entries(svc.selector);
  if (sel.length === 0) return [];
  return c.pods.filter((p) => p.namespace === svc.namespace && sel.every(([k, v]) => p.labels[k] === v));
}

/** kube-proxy's chain-name hash (portProtoHash): the first 16 characters of base32(sha256(identity)). */
export function kubeProxyHash(input: string): string {
  return base32(sha256(new TextEncoder().encode(input))).slice(0, 16);
}

/** RFC 4648 base32 (no padding). */
export function base32(bytes: Uint8Array): string {
  const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += B32[(acc << (5 - bits)) & 31];
  return out;
}

/** The iptables commands kube-proxy (iptables mode) would issue for the cluster's Services, in order. */
export function kubeProxyRules(c: K8sCluster): string[] {
  const out: string[] = [];
  const nat = (rule: string) => out.push(`iptables -t nat ${rule}`);
  for (const ch of ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ']) nat(`-N ${ch}`);
  nat('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  nat('-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  nat('-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING');
  nat('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000');
  nat('-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN');
  nat('-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0');
  nat('-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully');
  for (const svc of c.services) {
    const eps = endpointsOf(c, svc);
    for (const port of svc.ports) {
      const id = `${svc.namespace}/${svc.name}${port.name ? ':' + port.name : ''}`;
      const proto = port.protocol.toLowerCase();
      const svcChain = `KUBE-SVC-${kubeProxyHash(id + proto)}`;
      const comment = `"${id} cluster IP"`;
      if (eps.length === 0) continue;
      nat(`-N ${svcChain}`);
      nat(`-A KUBE-SERVICES -d ${svc.clusterIP}/32 -p ${proto} -m comment --comment ${comment} -m ${proto} --dport ${port.port} -j ${svcChain}`);
      nat(`-A ${svcChain} ! -s ${c.podCIDR} -d ${svc.clusterIP}/32 -p ${proto} -m comment --comment ${comment} -m ${proto} --dport ${port.port} -j KUBE-MARK-MASQ`);
      if (port.nodePort) {
        const extChain = `KUBE-EXT-${kubeProxyHash(id + proto)}`;
        nat(`-N ${extChain}`);
        nat(`-A KUBE-NODEPORTS -p ${proto} -m comment --comment "${id}" -m ${proto} --dport ${port.nodePort} -j ${extChain}`);
        nat(`-A ${extChain} -m comment --comment "masquerade traffic for ${id} external destinations" -j KUBE-MARK-MASQ`);
        nat(`-A ${extChain} -j ${svcChain}`);
      }
      eps.forEach((ep, i) => {
        const sepChain = `KUBE-SEP-${kubeProxyHash(id + proto + `${ep.ip}:${port.targetPort}`)}`;
        nat(`-N ${sepChain}`);
        const left = eps.length - i;
        const stat = left > 1 ? ` -m statistic --mode random --probability ${(1 / left).toFixed(11)}` : '';
        nat(`-A ${svcChain} -m comment --comment "${id} -> ${ep.ip}:${port.targetPort}"${stat} -j ${sepChain}`);
        nat(`-A ${sepChain} -s ${ep.ip}/32 -m comment --comment "${id}" -j KUBE-MARK-MASQ`);
        nat(`-A ${sepChain} -p ${proto} -m comment --comment "${id}" -m ${proto} -j DNAT --to-destination ${ep.ip}:${port.targetPort}`);
      });
    }
  }
  nat('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS');
  return out;
}

/** kubectl's HumanDuration (k8s.io/apimachinery/pkg/util/duration). */
export function humanDuration(ms: number): string {
  const s = Math.trunc(ms / 1000); // Go's int(d.Seconds()) truncates toward zero
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 60 * 2) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 60 * 3) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 24 * 8) return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  if (h < 24 * 365 * 8) {
    const y = Math.floor(h / 24 / 365);
    const d = Math.floor(h / 24) - y * 365;
    return d === 0 ? `${y}y` : `${y}y${d}d`;
  }
  return `${Math.floor(h / 24 / 365)}y`;
}
