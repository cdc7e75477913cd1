// kubectl describe node: conditions, addresses, capacity, the node's lease, its non-terminated pods with their
// requests and limits against the allocatable resources.
import type { KObject } from '../../../k8s/api';
import { nodeLease } from '../../../k8s/http/lease';
import { PrefixWriter } from './tabwriter';
import { annotationsBlock, eventsBlock, labelsBlock, rfc1123z, searchEvents, since, taintsBlock, type Any, type DescribeContext } from './common';
import { addQuantity, parseQuantity, quantityString, quantityValue, type Quantity } from './quantity';

type ResourceSums = Record<string, Quantity>;

/** resourcehelper.PodRequests / PodLimits: the containers' sum, at least each init container's, plus overhead */
function podResources(pod: Any, which: 'requests' | 'limits'): ResourceSums {
  const sum: ResourceSums = {};
  for (const c of pod.spec?.containers ?? []) for (const [k, v] of Object.entries(c.resources?.[which] ?? {})) sum[k] = addQuantity(sum[k], parseQuantity(v));
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [k, v] of Object.entries(c.resources?.[which] ?? {})) {
      const q = parseQuantity(v);
      if (!sum[k] || q.milli > sum[k]!.milli) sum[k] = q;
    }
  }
  for (const [k, v] of Object.entries(pod.spec?.overhead ?? {})) sum[k] = addQuantity(sum[k], parseQuantity(v));
  return sum;
}

const pct = (part: Quantity | undefined, whole: number, milli: boolean) => (whole ? Math.trunc(((milli ? (part?.milli ?? 0) : quantityValue(part)) / whole) * 100) : 0);

function podsBlock(ctx: DescribeContext, w: PrefixWriter, node: Any): void {
  const pods = (ctx.api.scan('pods', null) as Any[]).filter((p) => p.spec?.nodeName === node.metadata.name && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const alloc: Any = Object.keys(node.status?.allocatable ?? {}).length ? node.status.allocatable : (node.status?.capacity ?? {});
  const cpu = parseQuantity(alloc.cpu ?? '0').milli;
  const mem = quantityValue(parseQuantity(alloc.memory ?? '0'));
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const reqs: ResourceSums = {};
  const lims: ResourceSums = {};
  for (const p of pods) {
    const r = podResources(p, 'requests');
    const l = podResources(p, 'limits');
    for (const [k, v] of Object.entries(r)) reqs[k] = addQuantity(reqs[k], v);
    for (const [k, v] of Object.entries(l)) lims[k] = addQuantity(lims[k], v);
    const cell = (q: Quantity | undefined, whole: number, milli: boolean) => `${quantityString(q)} (${pct(q, whole, milli)}%)`;
    w.write(1, `${p.metadata.namespace}\t${p.metadata.name}\t\t${cell(r.cpu, cpu, true)}\t${cell(l.cpu, cpu, true)}\t${cell(r.memory, mem, false)}\t${cell(l.memory, mem, false)}\t${since(p.metadata.creationTimestamp, ctx.now)}\n`);
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  const row = (name: string, whole: number, milli: boolean) => w.write(1, `${name}\t${quantityString(reqs[name])} (${pct(reqs[name], whole, milli)}%)\t${quantityString(lims[name])} (${pct(lims[name], whole, milli)}%)\n`);
  row('cpu', cpu, true);
  row('memory', mem, false);
  row('ephemeral-storage', quantityValue(parseQuantity(alloc['ephemeral-storage'] ?? '0')), false);
  const names = Object.keys(alloc).sort();
  for (const h of names.filter((n) => n.startsWith('hugepages-'))) row(h, quantityValue(parseQuantity(alloc[h])), false);
  for (const x of names.filter((n) => !n.startsWith('hugepages-') && !['cpu', 'memory', 'ephemeral-storage', 'pods'].includes(n))) w.write(1, `${x}\t${quantityString(reqs[x])}\t${quantityString(lims[x])}\n`);
}

function roles(labels: Record<string, string> | undefined): string[] {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) out.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) out.add(v);
  }
  return [...out].sort();
}

export function describeNode(ctx: DescribeContext, o: KObject): string {
  const n = o as Any;
  const st = n.status ?? {};
  const w = new PrefixWriter();
  w.write(0, `Name:\t${n.metadata.name}\n`);
  w.write(0, `Roles:\t${roles(n.metadata.labels).join(',') || '<none>'}\n`);
  labelsBlock(w, 'Labels', n.metadata.labels);
  annotationsBlock(w, 'Annotations', n.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(n.metadata.creationTimestamp)}\n`);
  taintsBlock(w, 'Taints', n.spec?.taints);
  w.write(0, `Unschedulable:\t${n.spec?.unschedulable === true}\n`);
  const lease = nodeLease(ctx.api, n.metadata.name) as Any | null;
  if (!lease) w.write(0, 'Lease:\tFailed to get lease: the server could not find the requested resource\n');
  else {
    w.write(0, 'Lease:\n');
    w.write(1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${lease.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : '<unset>'}\n`);
    w.write(1, `RenewTime:\t${lease.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : '<unset>'}\n`);
  }
  if (st.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of st.conditions) w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
  }
  w.write(0, 'Addresses:\n');
  for (const a of st.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  for (const [title, list] of [['Capacity', st.capacity], ['Allocatable', st.allocatable]] as const) {
    if (!Object.keys(list ?? {}).length) continue;
    w.write(0, `${title}:\n`);
    for (const k of Object.keys(list).sort()) w.write(0, `  ${k}:\t${quantityString(parseQuantity(list[k]))}\n`);
  }
  const info = st.nodeInfo ?? {};
  w.write(0, 'System Info:\n');
  const rows: Array<[string, string]> = [['Machine ID', 'machineID'], ['System UUID', 'systemUUID'], ['Boot ID', 'bootID'], ['Kernel Version', 'kernelVersion'], ['OS Image', 'osImage'], ['Operating System', 'operatingSystem'], ['Architecture', 'architecture'], ['Container Runtime Version', 'containerRuntimeVersion'], ['Kubelet Version', 'kubeletVersion'], ['Kube-Proxy Version', 'kubeProxyVersion']];
  for (const [t, k] of rows) w.write(0, `  ${t}:\t${info[k] ?? ''}\n`);
  if (n.spec?.podCIDR) w.write(0, `PodCIDR:\t${n.spec.podCIDR}\n`);
  if (n.spec?.podCIDRs?.length) w.write(0, `PodCIDRs:\t${n.spec.podCIDRs.join(',')}\n`);
  if (n.spec?.providerID) w.write(0, `ProviderID:\t${n.spec.providerID}\n`);
  podsBlock(ctx, w, n);
  if (ctx.showEvents) {
    const byUid = searchEvents(ctx.api, { name: n.metadata.name, namespace: '', kind: 'Node', uid: n.metadata.uid });
    const byName = searchEvents(ctx.api, { name: n.metadata.name, namespace: '', kind: 'Node', uid: n.metadata.name });
    eventsBlock(w, [...byUid, ...byName], ctx.now);
  }
  return w.toString();
}
