// The apiserver's table printers (pkg/printers/internalversion/printers.go): the columns `kubectl get` shows,
// computed on the server, as a meta.k8s.io/v1 Table. The HTTP server answers `Accept: ...;as=Table` with
// these, and the simulated kubectl prints the same tables, so both clients show the same cells.
import type { KObject } from '../api/types';
import { parseTime } from '../api/store';
import { humanDuration } from '../../sim/k8s';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: Array<string | number>;
  object: KObject;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion: string };
  columnDefinitions: ColumnDefinition[];
  rows: TableRow[];
}

/** k8s.io/apimachinery's duration.HumanDuration: one implementation, shared with the node view's printers. */
export { humanDuration };

/** translateTimestampSince */
export function since(t: string | null | undefined, now: number): string {
  const ms = parseTime(t);
  if (ms === null) return '<unknown>';
  return humanDuration(now - ms);
}

type Col = [name: string, type: string, priority: number, description: string];
type Any = Record<string, any>;

const col = (c: Col): ColumnDefinition => ({ name: c[0], type: c[1], format: c[0] === 'Name' ? 'name' : '', description: c[3], priority: c[2] });
const NAME: Col = ['Name', 'string', 0, 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names'];
const AGE: Col = ['Age', 'string', 0, 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata'];

const labelsText = (m: Record<string, string> | undefined) => {
  const keys = Object.keys(m ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${m![k]}`).join(',') : '<none>';
};

/** metav1.FormatLabelSelector */
export function formatLabelSelector(sel: Any | undefined): string {
  if (!sel) return '<none>';
  const parts: string[] = [];
  for (const k of Object.keys(sel.matchLabels ?? {}).sort()) parts.push(`${k}=${sel.matchLabels[k]}`);
  for (const e of sel.matchExpressions ?? []) {
    const op = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' }[e.operator as string] ?? e.operator;
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${op} (${[...(e.values ?? [])].sort().join(',')})`);
  }
  const s = parts.join(',');
  return s === '' ? '<none>' : s;
}

function podStatus(p: Any): { reason: string; ready: string; restarts: string } {
  const spec = p.spec ?? {};
  const st = p.status ?? {};
  let reason: string = st.reason || st.phase || '';
  const total = (spec.containers ?? []).length;
  let ready = 0;
  let restarts = 0;
  let lastRestart: number | null = null;
  let initializing = false;
  const inits = st.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i];
    restarts += c.restartCount ?? 0;
    const t = c.lastState?.terminated?.finishedAt ? parseTime(c.lastState.terminated.finishedAt) : null;
    if (t !== null && (lastRestart === null || t > lastRestart)) lastRestart = t;
    if (c.state?.terminated && c.state.terminated.exitCode === 0) continue;
    if (c.state?.terminated) reason = c.state.terminated.reason ? `Init:${c.state.terminated.reason}` : c.state.terminated.signal ? `Init:Signal:${c.state.terminated.signal}` : `Init:ExitCode:${c.state.terminated.exitCode}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    initializing = true;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    const cs = st.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i];
      restarts += c.restartCount ?? 0;
      const t = c.lastState?.terminated?.finishedAt ? parseTime(c.lastState.terminated.finishedAt) : null;
      if (t !== null && (lastRestart === null || t > lastRestart)) lastRestart = t;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
      else if (c.state?.terminated) reason = c.state.terminated.signal ? `Signal:${c.state.terminated.signal}` : `ExitCode:${c.state.terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const readyCond = (st.conditions ?? []).find((c: Any) => c.type === 'Ready');
      reason = readyCond?.status === 'True' ? 'Running' : 'NotReady';
    }
  }
  if (p.metadata?.deletionTimestamp) reason = st.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return { reason, ready: `${ready}/${total}`, restarts: String(restarts) + (lastRestart !== null ? '\u0000' + lastRestart : '') };
}

function servicePorts(s: Any): string {
  const ports = s.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p: Any) => `${p.port}${p.nodePort ? ':' + p.nodePort : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function externalIP(s: Any): string {
  const spec = s.spec ?? {};
  const ext: string[] = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
    case undefined:
      return ext.length ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = (s.status?.loadBalancer?.ingress ?? []).map((i: Any) => i.ip || i.hostname).filter(Boolean);
      const all = [...lb, ...ext];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '<none>';
  }
  return '<unknown>';
}

function endpointsText(e: Any): string {
  const list: string[] = [];
  for (const ss of e.subsets ?? []) {
    const ports = ss.ports?.length ? ss.ports : [null];
    for (const a of ss.addresses ?? []) for (const p of ports) list.push(p ? `${a.ip}:${p.port}` : a.ip);
  }
  if (!list.length) return '<none>';
  return list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
}

function sliceEndpoints(s: Any): string {
  const list: string[] = [];
  for (const e of s.endpoints ?? []) for (const a of e.addresses ?? []) list.push(a);
  if (!list.length) return '<unset>';
  return list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
}

function slicePorts(s: Any): string {
  const ports = s.ports ?? [];
  if (!ports.length) return '<unset>';
  return ports.map((p: Any) => String(p.port)).join(',');
}

function nodeStatus(n: Any): string {
  const ready = (n.status?.conditions ?? []).find((c: Any) => c.type === 'Ready');
  let s = !ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
  if (n.spec?.unschedulable) s += ',SchedulingDisabled';
  return s;
}

function nodeRoles(n: Any): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries((n.metadata?.labels ?? {}) as Record<string, string>)) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role') roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

function nodeAddr(n: Any, type: string): string {
  return (n.status?.addresses ?? []).find((a: Any) => a.type === type)?.address ?? '<none>';
}

function containersAndImages(spec: Any): [string, string] {
  const cs = spec?.template?.spec?.containers ?? [];
  return [cs.map((c: Any) => c.name).join(','), cs.map((c: Any) => c.image).join(',')];
}

function ingressHosts(i: Any): string {
  const hosts = (i.spec?.rules ?? []).map((r: Any) => r.host).filter(Boolean);
  if (!hosts.length) return '*';
  return hosts.length > 4 ? `${hosts.slice(0, 4).join(',')} + ${hosts.length - 4} more...` : hosts.join(',');
}

interface Printer {
  columns: Col[];
  cells(o: Any, now: number): Array<string | number>;
}

const W = 1; // priority of the -o wide columns

const PRINTERS: Record<string, Printer> = {
  pods: {
    columns: [NAME, ['Ready', 'string', 0, 'The aggregate readiness state of this pod for accepting traffic.'], ['Status', 'string', 0, 'The aggregate status of the containers in this pod.'], ['Restarts', 'string', 0, 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'], AGE, ['IP', 'string', W, 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'], ['Node', 'string', W, "NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements."], ['Nominated Node', 'string', W, 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.'], ['Readiness Gates', 'string', W, 'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates']],
    cells(p, now) {
      const s = podStatus(p);
      const [n, last] = s.restarts.split('\u0000');
      const restarts = last !== undefined ? `${n} (${humanDuration(now - Number(last))} ago)` : n!;
      const gates = p.spec?.readinessGates ?? [];
      const gateText = gates.length ? `${gates.filter((g: Any) => (p.status?.conditions ?? []).some((c: Any) => c.type === g.conditionType && c.status === 'True')).length}/${gates.length}` : '<none>';
      return [p.metadata.name, s.ready, s.reason, restarts, since(p.metadata.creationTimestamp, now), p.status?.podIP || '<none>', p.spec?.nodeName || '<none>', p.status?.nominatedNodeName || '<none>', gateText];
    },
  },
  services: {
    columns: [NAME, ['Type', 'string', 0, 'The type of the service.'], ['Cluster-IP', 'string', 0, 'The IP address of the service.'], ['External-IP', 'string', 0, 'The external IP address of the service.'], ['Port(s)', 'string', 0, 'The ports of the service.'], AGE, ['Selector', 'string', W, 'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/']],
    cells: (s, now) => [s.metadata.name, s.spec?.type ?? 'ClusterIP', s.spec?.clusterIP || '<none>', externalIP(s), servicePorts(s), since(s.metadata.creationTimestamp, now), labelsText(s.spec?.selector)],
  },
  deployments: {
    columns: [NAME, ['Ready', 'string', 0, 'Number of the pod with ready state'], ['Up-to-date', 'string', 0, 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'], ['Available', 'string', 0, 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'], AGE, ['Containers', 'string', W, 'Names of each container in the template.'], ['Images', 'string', W, 'Images referenced by each container in the template.'], ['Selector', 'string', W, 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.']],
    cells(d, now) {
      const [c, i] = containersAndImages(d.spec);
      return [d.metadata.name, `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, d.status?.updatedReplicas ?? 0, d.status?.availableReplicas ?? 0, since(d.metadata.creationTimestamp, now), c, i, formatLabelSelector(d.spec?.selector)];
    },
  },
  replicasets: {
    columns: [NAME, ['Desired', 'integer', 0, 'Replicas is the number of desired pods.'], ['Current', 'integer', 0, 'Replicas is the most recently observed number of replicas.'], ['Ready', 'integer', 0, 'The number of ready replicas for this replica set.'], AGE, ['Containers', 'string', W, 'Names of each container in the template.'], ['Images', 'string', W, 'Images referenced by each container in the template.'], ['Selector', 'string', W, 'Selector is a label query over pods that should match the replica count.']],
    cells(r, now) {
      const [c, i] = containersAndImages(r.spec);
      return [r.metadata.name, r.spec?.replicas ?? 0, r.status?.replicas ?? 0, r.status?.readyReplicas ?? 0, since(r.metadata.creationTimestamp, now), c, i, formatLabelSelector(r.spec?.selector)];
    },
  },
  daemonsets: {
    columns: [NAME, ['Desired', 'integer', 0, 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).'], ['Current', 'integer', 0, 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'], ['Ready', 'integer', 0, 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.'], ['Up-to-date', 'integer', 0, 'The total number of nodes that are running updated daemon pod'], ['Available', 'integer', 0, 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'], ['Node Selector', 'string', 0, 'NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node\'s labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/'], AGE, ['Containers', 'string', W, 'Names of each container in the template.'], ['Images', 'string', W, 'Images referenced by each container in the template.'], ['Selector', 'string', W, 'A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template\'s labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors']],
    cells(d, now) {
      const [c, i] = containersAndImages(d.spec);
      const st = d.status ?? {};
      return [d.metadata.name, st.desiredNumberScheduled ?? 0, st.currentNumberScheduled ?? 0, st.numberReady ?? 0, st.updatedNumberScheduled ?? 0, st.numberAvailable ?? 0, labelsText(d.spec?.template?.spec?.nodeSelector), since(d.metadata.creationTimestamp, now), c, i, formatLabelSelector(d.spec?.selector)];
    },
  },
  nodes: {
    columns: [NAME, ['Status', 'string', 0, 'The status of the node'], ['Roles', 'string', 0, 'The roles of the node'], AGE, ['Version', 'string', 0, 'Kubelet Version reported by the node.'], ['Internal-IP', 'string', W, 'List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node\'s address in its own status or consumers of the downward API (status.hostIP).'], ['External-IP', 'string', W, 'List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node\'s address in its own status or consumers of the downward API (status.hostIP).'], ['OS-Image', 'string', W, 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'], ['Kernel-Version', 'string', W, "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."], ['Container-Runtime', 'string', W, 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).']],
    cells: (n, now) => [n.metadata.name, nodeStatus(n), nodeRoles(n), since(n.metadata.creationTimestamp, now), n.status?.nodeInfo?.kubeletVersion ?? '', nodeAddr(n, 'InternalIP'), nodeAddr(n, 'ExternalIP'), n.status?.nodeInfo?.osImage || '<unknown>', n.status?.nodeInfo?.kernelVersion || '<unknown>', n.status?.nodeInfo?.containerRuntimeVersion || '<unknown>'],
  },
  namespaces: {
    columns: [NAME, ['Status', 'string', 0, 'The status of the namespace'], AGE],
    cells: (n, now) => [n.metadata.name, n.status?.phase ?? 'Active', since(n.metadata.creationTimestamp, now)],
  },
  endpoints: {
    columns: [NAME, ['Endpoints', 'string', 0, 'Endpoints of the resource'], AGE],
    cells: (e, now) => [e.metadata.name, endpointsText(e), since(e.metadata.creationTimestamp, now)],
  },
  endpointslices: {
    columns: [NAME, ['AddressType', 'string', 0, 'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name. (Deprecated) The EndpointSlice controller only generates, and kube-proxy only processes, slices of addressType "IPv4" and "IPv6". No semantics are defined for the "FQDN" type.'], ['Ports', 'string', 0, 'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. Each slice may include a maximum of 100 ports. Services always have at least 1 port, so EndpointSlices generated by the EndpointSlice controller will likewise always have at least 1 port. EndpointSlices used for other purposes may have an empty ports list.'], ['Endpoints', 'string', 0, 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.'], AGE],
    cells: (s, now) => [s.metadata.name, s.addressType ?? '', slicePorts(s), sliceEndpoints(s), since(s.metadata.creationTimestamp, now)],
  },
  configmaps: {
    columns: [NAME, ['Data', 'string', 0, 'Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.'], AGE],
    cells: (c, now) => [c.metadata.name, Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length, since(c.metadata.creationTimestamp, now)],
  },
  secrets: {
    columns: [NAME, ['Type', 'string', 0, 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types'], ['Data', 'string', 0, 'Data contains the secret data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4'], AGE],
    cells: (s, now) => [s.metadata.name, s.type ?? 'Opaque', Object.keys(s.data ?? {}).length, since(s.metadata.creationTimestamp, now)],
  },
  serviceaccounts: {
    columns: [NAME, ['Secrets', 'string', 0, 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true". The "kubernetes.io/enforce-mountable-secrets" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret'], AGE],
    cells: (s, now) => [s.metadata.name, (s.secrets ?? []).length, since(s.metadata.creationTimestamp, now)],
  },
  events: {
    columns: [['Last Seen', 'string', 0, 'Time when last this event was seen'], ['Type', 'string', 0, 'Type of this event (Normal, Warning), new types could be added in the future.'], ['Reason', 'string', 0, 'This should be a short, machine understandable string that gives the reason for this event being generated.'], ['Object', 'string', 0, 'The object that this event is about.'], ['Subobject', 'string', W, 'An optional field that describes the subobject.'], ['Source', 'string', W, 'The component reporting this event. Should be a short machine understandable string.'], ['Message', 'string', 0, 'A human-readable description of the status of this operation.'], ['First Seen', 'string', W, 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'], ['Count', 'string', W, 'The number of times this event has occurred.'], ['Name', 'string', W, 'Name must be unique within a namespace.']],
    cells(e, now) {
      const last = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp;
      const first = e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp;
      const count = e.series?.count ?? e.count ?? 1;
      // the count is its own column (-o wide); LAST SEEN is only the age (printEvent)
      const io = e.involvedObject ?? e.regarding ?? {};
      // formatEventSource: the source's component and host, else the reporting controller and instance
      const component = e.source?.component || e.reportingController || e.reportingComponent || '';
      const instance = e.source?.host || e.reportingInstance || '';
      const src = instance ? `${component}, ${instance}` : component;
      return [since(last, now), e.type ?? '', e.reason ?? '', `${String(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`, io.fieldPath ?? '', src, (e.message ?? e.note ?? '').trim(), since(first, now), count, e.metadata.name];
    },
  },
  ingresses: {
    columns: [NAME, ['Class', 'string', 0, 'The name of the IngressClass resource that should be used for ingress.'], ['Hosts', 'string', 0, 'Hosts that incoming requests are matched against before the ingress rule'], ['Address', 'string', 0, 'Address is a list containing ingress points for the load-balancer'], ['Ports', 'string', 0, 'Ports of TLS configurations that open'], AGE],
    cells: (i, now) => [i.metadata.name, i.spec?.ingressClassName ?? '<none>', ingressHosts(i), (i.status?.loadBalancer?.ingress ?? []).map((x: Any) => x.ip || x.hostname).join(','), i.spec?.tls?.length ? '80, 443' : '80', since(i.metadata.creationTimestamp, now)],
  },
  ingressclasses: {
    columns: [NAME, ['Controller', 'string', 0, 'Controller that is responsible for handling this class'], ['Parameters', 'string', 0, 'A reference to a resource with additional parameters'], AGE],
    cells: (c, now) => [c.metadata.name, c.spec?.controller ?? '', c.spec?.parameters ? `${c.spec.parameters.kind}/${c.spec.parameters.name}` : '<none>', since(c.metadata.creationTimestamp, now)],
  },
  networkpolicies: {
    columns: [NAME, ['Pod-Selector', 'string', 0, 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.'], AGE],
    cells: (n, now) => [n.metadata.name, formatLabelSelector(n.spec?.podSelector).replace('<none>', ''), since(n.metadata.creationTimestamp, now)],
  },
  gatewayclasses: {
    columns: [NAME, ['Controller', 'string', 0, ''], ['Accepted', 'string', 0, ''], AGE],
    cells: (g, now) => [g.metadata.name, g.spec?.controllerName ?? '', (g.status?.conditions ?? []).find((c: Any) => c.type === 'Accepted')?.status ?? 'Unknown', since(g.metadata.creationTimestamp, now)],
  },
  gateways: {
    columns: [NAME, ['Class', 'string', 0, ''], ['Address', 'string', 0, ''], ['Programmed', 'string', 0, ''], AGE],
    cells: (g, now) => [g.metadata.name, g.spec?.gatewayClassName ?? '', g.status?.addresses?.[0]?.value ?? '', (g.status?.conditions ?? []).find((c: Any) => c.type === 'Programmed')?.status ?? 'Unknown', since(g.metadata.creationTimestamp, now)],
  },
  ipaddresspools: {
    columns: [NAME, ['Auto Assign', 'boolean', 0, ''], ['Avoid Buggy IPs', 'boolean', 0, ''], ['Addresses', 'string', 0, ''], AGE],
    cells: (p, now) => [p.metadata.name, String(p.spec?.autoAssign ?? ''), String(p.spec?.avoidBuggyIPs ?? ''), p.spec?.addresses ? JSON.stringify(p.spec.addresses) : '', since(p.metadata.creationTimestamp, now)],
  },
  l2advertisements: {
    columns: [NAME, ['IPAddressPools', 'string', 0, ''], ['IPAddressPool Selectors', 'string', 0, ''], ['Interfaces', 'string', 0, ''], ['Node Selectors', 'string', 10, ''], AGE],
    cells: (l, now) => [l.metadata.name, l.spec?.ipAddressPools ? JSON.stringify(l.spec.ipAddressPools) : '', l.spec?.ipAddressPoolSelectors ? JSON.stringify(l.spec.ipAddressPoolSelectors) : '', l.spec?.interfaces ? JSON.stringify(l.spec.interfaces) : '', l.spec?.nodeSelectors ? JSON.stringify(l.spec.nodeSelectors) : '', since(l.metadata.creationTimestamp, now)],
  },
  httproutes: {
    columns: [NAME, ['Hostnames', 'string', 0, ''], AGE],
    cells: (h, now) => [h.metadata.name, h.spec?.hostnames?.length ? JSON.stringify(h.spec.hostnames) : '', since(h.metadata.creationTimestamp, now)],
  },
};

const DEFAULT: Printer = { columns: [NAME, AGE], cells: (o, now) => [o.metadata.name, since(o.metadata.creationTimestamp, now)] };

/** The Table of a list of objects of one resource, as the apiserver returns it (rows in list order). */
export function toTable(resource: string, items: KObject[], now: number, resourceVersion = ''): Table {
  const p = PRINTERS[resource] ?? DEFAULT;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: p.columns.map(col),
    rows: items.map((o) => ({ cells: p.cells(o as Any, now), object: o })),
  };
}
