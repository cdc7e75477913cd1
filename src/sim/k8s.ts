// A Kubernetes cluster as plain state, enough for a control-plane node's
// view: nodes, pods, services, endpoints and container logs. The network
// side of it (pod namespaces, veths on the CNI bridge, kube-proxy's NAT
// chains) is real kernel state, built by `clusterSetupLines` through the same
// tools a learner uses, so it can be inspected with ip, iptables, netstat.
import type { World } from './world';

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

/** kube-proxy's chain-name hash: base32 of a digest of the service port's identity, 16 characters. */
export function kubeProxyHash(input: string): string {
  // FNV-1a 64-bit (as two 32-bit halves), enough to give stable, realistic-looking names
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c ^ (h1 >>> 7), 0x811c9dc5) >>> 0;
  }
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = h1.toString(2).padStart(32, '0') + h2.toString(2).padStart(32, '0') + ((h1 ^ h2) >>> 0).toString(2).padStart(32, '0');
  let out = '';
  while (out.length < 16) {
    out += alphabet[parseInt(bits.slice(0, 5), 2)];
    bits = bits.slice(5);
  }
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
      const svcChain = `KUBE-SVC-${kubeProxyHash(id + port.protocol)}`;
      const comment = `"${id} cluster IP"`;
      if (eps.length === 0) continue;
      nat(`-N ${svcChain}`);
      nat(`-A KUBE-SERVICES -d ${svc.clusterIP}/32 -p ${proto} -m comment --comment ${comment} -m ${proto} --dport ${port.port} -j ${svcChain}`);
      nat(`-A ${svcChain} ! -s ${c.podCIDR} -d ${svc.clusterIP}/32 -p ${proto} -m comment --comment ${comment} -m ${proto} --dport ${port.port} -j KUBE-MARK-MASQ`);
      if (port.nodePort) {
        const extChain = `KUBE-EXT-${kubeProxyHash(id + port.protocol)}`;
        nat(`-N ${extChain}`);
        nat(`-A KUBE-NODEPORTS -p ${proto} -m comment --comment "${id}" -m ${proto} --dport ${port.nodePort} -j ${extChain}`);
        nat(`-A ${extChain} -m comment --comment "masquerade traffic for ${id} external destinations" -j KUBE-MARK-MASQ`);
        nat(`-A ${extChain} -j ${svcChain}`);
      }
      eps.forEach((ep, i) => {
        const sepChain = `KUBE-SEP-${kubeProxyHash(id + port.protocol + ep.ip)}`;
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
  const s = Math.floor(ms / 1000);
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
