// NetworkPolicy semantics (networking.k8s.io/v1) as a pure function: given
// the policies, the namespaces' labels and the two ends of a new connection,
// is the connection allowed? This is the reference the Calico dataplane
// (src/k8s/calico) is tested against; it is not used by Flannel, which
// enforces nothing.
//
// What the API defines (and what this evaluates):
// - A policy selects the pods of its namespace matched by spec.podSelector
//   ({} = all of them). It is "for" Ingress and/or Egress by policyTypes
//   (defaulted by the apiserver: Ingress, plus Egress when egress rules exist).
// - A pod selected by no policy of a type is unrestricted for that type.
//   Once selected, a connection in that direction is allowed only if some
//   rule of some selecting policy allows it (policies are additive, there is
//   no deny rule). A connection needs both the source's egress and the
//   destination's ingress.
// - A rule with no `from`/`to` allows every peer; with no `ports` every port
//   and protocol. A peer: podSelector alone = pods of the policy's namespace;
//   namespaceSelector alone = every pod of the matching namespaces; both in
//   one peer = pods matching podSelector in matching namespaces (AND); two
//   peers in the list = either (OR); ipBlock = addresses in cidr but not in
//   any except (matched against the address the packet carries, pod or not).
// - ports: protocol (TCP by default) and port, a number, a range with endPort,
//   or a name resolved on the destination pod's containerPorts of that
//   protocol (a pod without that name never matches). A rule with ports
//   never matches ICMP.
// - Replies of an allowed connection are allowed (conntrack): the verdict is
//   per new connection, the dataplane accepts established flows.
// - hostNetwork pods and nodes are not selected by pod/namespace selectors;
//   they match ipBlocks only. Traffic from a node to the pods it hosts is
//   always allowed (kubelet probes; "pods cannot block access from their
//   resident node").
import { fromLabelSelector, matches, type Selector } from '../api/selectors';
import { prefixContains } from '../../sim/ip';

const parsed = new WeakMap<object, Selector>();
/** A LabelSelector parsed once (policies are read-only objects of the store). */
function sel(s: any): Selector {
  if (!s || typeof s !== 'object') return fromLabelSelector(s);
  let v = parsed.get(s);
  if (!v) {
    v = fromLabelSelector(s);
    parsed.set(s, v);
  }
  return v;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP' | 'ICMP';

export interface PolicyPod {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  ip: string;
  node: string;
  hostNetwork?: boolean;
  /** the containers' ports (name, number, protocol), for named ports */
  ports?: { name?: string; containerPort: number; protocol?: string }[];
}

/** One end of a connection: a pod, or an address that is not a pod (a node, a host outside the cluster). */
export type PolicyEndpoint = { pod: PolicyPod; ip: string } | { pod: null; ip: string; /** the node this address belongs to, if any */ node?: string };

export interface Flow {
  src: PolicyEndpoint;
  dst: PolicyEndpoint;
  protocol: Protocol;
  /** destination port (TCP/UDP/SCTP) */
  port?: number;
}

export interface PolicyWorld {
  policies: readonly any[];
  /** namespace name → labels (including kubernetes.io/metadata.name) */
  namespaces: Readonly<Record<string, Record<string, string>>>;
}

export type Side = 'unrestricted' | 'allowed' | 'denied';

export interface Verdict {
  allowed: boolean;
  egress: Side;
  ingress: Side;
  /** names (namespace/name) of the policies whose rules allowed each side */
  egressBy: string[];
  ingressBy: string[];
}

export function policyTypes(np: any): string[] {
  const t: string[] | undefined = np.spec?.policyTypes;
  if (t && t.length) return t;
  return np.spec?.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** Is the pod selected by the policy (same namespace, podSelector matches)? */
export function selects(np: any, pod: PolicyPod): boolean {
  if (pod.hostNetwork) return false;
  if ((np.metadata?.namespace ?? 'default') !== pod.namespace) return false;
  return matches(sel(np.spec?.podSelector ?? {}), pod.labels);
}

function v4InCidr(ip: string, cidr: string): boolean {
  const [net, len] = cidr.split('/');
  if (!net || len === undefined || net.includes(':') || ip.includes(':')) return false;
  try {
    return prefixContains(net, Number(len), ip, 4 as any);
  } catch {
    return false;
  }
}

export function ipBlockMatches(block: any, ip: string): boolean {
  if (!block?.cidr || !v4InCidr(ip, block.cidr)) return false;
  return !(block.except ?? []).some((e: string) => v4InCidr(ip, e));
}

/** Does one peer of a rule of `np` match the endpoint? */
export function peerMatches(np: any, peer: any, ep: PolicyEndpoint, w: PolicyWorld): boolean {
  if (peer.ipBlock) return ipBlockMatches(peer.ipBlock, ep.ip);
  const pod = ep.pod;
  if (!pod || pod.hostNetwork) return false;
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  if (peer.namespaceSelector) {
    if (!matches(sel(peer.namespaceSelector), w.namespaces[pod.namespace] ?? { 'kubernetes.io/metadata.name': pod.namespace })) return false;
  } else if (pod.namespace !== (np.metadata?.namespace ?? 'default')) return false;
  return peer.podSelector ? matches(sel(peer.podSelector), pod.labels) : true;
}

/** The number a named port has on the destination pod for a protocol, or null. */
export function resolveNamedPort(pod: PolicyPod | null, name: string, protocol: string): number | null {
  if (!pod) return null;
  for (const p of pod.ports ?? []) if (p.name === name && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  return null;
}

export function portMatches(rulePort: any, flow: Flow): boolean {
  if (flow.protocol === 'ICMP') return false;
  const proto = rulePort.protocol ?? 'TCP';
  if (proto !== flow.protocol) return false;
  if (rulePort.port === undefined || rulePort.port === null) return true;
  if (flow.port === undefined) return false;
  if (typeof rulePort.port === 'string' && !/^\d+$/.test(rulePort.port)) {
    return resolveNamedPort(flow.dst.pod, rulePort.port, proto) === flow.port;
  }
  const lo = Number(rulePort.port);
  const hi = rulePort.endPort ?? lo;
  return flow.port >= lo && flow.port <= hi;
}

function ruleMatches(np: any, rule: any, peerKey: 'from' | 'to', peerEp: PolicyEndpoint, flow: Flow, w: PolicyWorld): boolean {
  const ports: any[] | undefined = rule.ports;
  if (ports && ports.length && !ports.some((p) => portMatches(p, flow))) return false;
  const peers: any[] | undefined = rule[peerKey];
  if (!peers || peers.length === 0) return true;
  return peers.some((p) => peerMatches(np, p, peerEp, w));
}

const key = (np: any) => `${np.metadata?.namespace ?? 'default'}/${np.metadata?.name}`;

function side(w: PolicyWorld, pod: PolicyPod | null, type: 'Ingress' | 'Egress', flow: Flow): { side: Side; by: string[] } {
  if (!pod || pod.hostNetwork) return { side: 'unrestricted', by: [] };
  let selected = false;
  const by: string[] = [];
  for (const np of w.policies) {
    if (!policyTypes(np).includes(type) || !selects(np, pod)) continue;
    selected = true;
    const rules: any[] = (type === 'Ingress' ? np.spec?.ingress : np.spec?.egress) ?? [];
    const peerEp = type === 'Ingress' ? flow.src : flow.dst;
    if (rules.some((r) => ruleMatches(np, r, type === 'Ingress' ? 'from' : 'to', peerEp, flow, w))) by.push(key(np));
  }
  if (!selected) return { side: 'unrestricted', by };
  return { side: by.length ? 'allowed' : 'denied', by };
}

/** The verdict on a new connection from `flow.src` to `flow.dst`. */
export function evaluate(w: PolicyWorld, flow: Flow): Verdict {
  const eg = side(w, flow.src.pod, 'Egress', flow);
  let ing = side(w, flow.dst.pod, 'Ingress', flow);
  // the resident node reaches its pods whatever their ingress policies say
  const fromNode = !flow.src.pod ? flow.src.node : flow.src.pod.hostNetwork ? flow.src.pod.node : undefined;
  if (fromNode !== undefined && flow.dst.pod && fromNode === flow.dst.pod.node) ing = { side: 'unrestricted', by: [] };
  // a pod talking to itself never leaves its namespace
  if (flow.src.pod && flow.dst.pod && !flow.src.pod.hostNetwork && flow.src.pod.namespace === flow.dst.pod.namespace && flow.src.pod.name === flow.dst.pod.name) {
    return { allowed: true, egress: 'unrestricted', ingress: 'unrestricted', egressBy: [], ingressBy: [] };
  }
  return { allowed: eg.side !== 'denied' && ing.side !== 'denied', egress: eg.side, ingress: ing.side, egressBy: eg.by, ingressBy: ing.by };
}

/** Build the evaluator's view of the cluster from stored objects (pods, namespaces, networkpolicies). */
export function policyWorld(namespaces: readonly any[], policies: readonly any[]): PolicyWorld {
  const ns: Record<string, Record<string, string>> = {};
  for (const n of namespaces) ns[n.metadata.name] = { ...(n.metadata.labels ?? {}), 'kubernetes.io/metadata.name': n.metadata.name };
  return { policies, namespaces: ns };
}

export function policyPod(p: any): PolicyPod {
  return {
    namespace: p.metadata.namespace,
    name: p.metadata.name,
    labels: p.metadata.labels ?? {},
    ip: p.status?.podIP ?? '',
    node: p.spec?.nodeName ?? '',
    hostNetwork: !!p.spec?.hostNetwork,
    ports: (p.spec?.containers ?? []).flatMap((c: any) => c.ports ?? []),
  };
}
