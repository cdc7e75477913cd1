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
