// The status manager: each pod's status (phase, conditions, container
// statuses, IPs) and the node's (conditions, the not-ready taint), written
// when something in them changed.
import type { Api } from '../api/store';
import { rfc3339 } from '../api/store';
import type { World } from '../../sim/world';
import { normaliseImage } from '../plugins';
import { clone, setCondition } from '../controllers/util';
import type { ContainerRt, NodeRt, PodRt } from './state';
import { hostAlive, imageDigest } from './util';
import { cniConfig, NETWORK_NOT_READY } from './sandbox';

function containerStatus(api: Api, pod: any, spec: any, c: ContainerRt): any {
  const image = c.id ? normaliseImage(spec.image).full.replace(/^docker\.io\/library\//, 'docker.io/library/') : spec.image;
  const st: any = {};
  if (c.id) st.containerID = `containerd://${c.id}`;
  st.image = c.id ? image : spec.image;
  st.imageID = c.id ? `${normaliseImage(spec.image).repository}@${imageDigest(normaliseImage(spec.image).repository)}` : '';
  st.lastState = c.last ? { terminated: { containerID: `containerd://${c.last.id}`, exitCode: c.last.exitCode, finishedAt: rfc3339(c.last.finishedAt), reason: c.last.reason, startedAt: rfc3339(c.last.startedAt) } } : {};
  st.name = c.name;
  st.ready = c.ready;
  st.restartCount = c.restartCount;
  st.started = c.state === 'running';
  if (c.state === 'running') st.state = { running: { startedAt: rfc3339(c.startedAt ?? api.now()) } };
  else if (c.state === 'terminated') st.state = { terminated: { containerID: `containerd://${c.id}`, exitCode: c.exitCode ?? 0, finishedAt: rfc3339(c.finishedAt ?? api.now()), reason: c.reason, startedAt: rfc3339(c.startedAt ?? api.now()) } };
  else st.state = { waiting: c.message ? { message: c.message, reason: c.reason } : { reason: c.reason } };
  const mounts = (spec.volumeMounts ?? []).map((m: any) => {
    const o: any = { mountPath: m.mountPath, name: m.name };
    if (m.readOnly) o.readOnly = true;
    if (m.readOnly) o.recursiveReadOnly = 'Disabled';
    return o;
  });
  if (mounts.length) st.volumeMounts = mounts;
  return st;
}

export function writePodStatus(api: Api, pod: any, rt: PodRt, node: NodeRt | undefined): void {
  const now = api.now();
  const cur: any = api.peek('pods', pod.metadata.namespace, pod.metadata.name);
  if (!cur) return;
  // what the status is computed from: unchanged since the last write (and the object not written since), nothing to do
  const from = `${rt.nsId}|${rt.ips.join(',')}|${rt.containers.map((c) => `${c.state}/${c.reason}/${c.message ?? ''}/${c.id}/${c.restartCount}/${c.ready}/${c.next}`).join(';')}`;
  if (rt.sig === `${cur.metadata.resourceVersion}|${from}`) return;
  // a shallow copy: the fields rewritten below are new values, the others are the stored ones, never mutated
  const st: any = { ...(cur.status ?? {}) };
  const inits = rt.containers.filter((c) => c.init);
  const apps = rt.containers.filter((c) => !c.init);
  const initsDone = inits.every((c) => c.state === 'terminated' && c.exitCode === 0);
  const ready = initsDone && apps.length > 0 && apps.every((c) => c.ready);
  let conds = st.conditions ?? [];
  const sandboxOk = rt.nsId !== null;
  conds = setCondition(conds, { type: 'PodReadyToStartContainers', status: sandboxOk ? 'True' : 'False' }, now, { lastProbeTime: null });
  const notReadyNames = (list: ContainerRt[]) => `[${list.map((c) => c.name).join(' ')}]`;
  const pendingInits = inits.filter((c) => !(c.state === 'terminated' && c.exitCode === 0));
  conds = setCondition(conds, initsDone ? { type: 'Initialized', status: 'True' } : { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: ${notReadyNames(pendingInits)}` }, now, { lastProbeTime: null });
  const unready = apps.filter((c) => !c.ready);
  const podPhaseTerminal = false;
  conds = setCondition(conds, ready ? { type: 'Ready', status: 'True' } : { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: ${notReadyNames(unready)}` }, now, { lastProbeTime: null });
  conds = setCondition(conds, ready ? { type: 'ContainersReady', status: 'True' } : { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: ${notReadyNames(unready)}` }, now, { lastProbeTime: null });
  void podPhaseTerminal;
  const order = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
  st.conditions = conds
    .map((c: any) => {
      const o: any = { lastProbeTime: null, lastTransitionTime: c.lastTransitionTime, status: c.status, type: c.type };
      if (c.message) o.message = c.message;
      if (c.reason) o.reason = c.reason;
      return o;
    })
    .sort((a: any, b: any) => order.indexOf(a.type) - order.indexOf(b.type));
  const specOf = (c: ContainerRt) => [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])].find((x: any) => x.name === c.name);
  st.containerStatuses = apps.map((c) => containerStatus(api, pod, specOf(c), c));
  if (inits.length) st.initContainerStatuses = inits.map((c) => containerStatus(api, pod, specOf(c), c));
  else delete st.initContainerStatuses;
  const hostIP = (api.peek('nodes', null, rt.node) as any)?.status?.addresses?.find((a: any) => a.type === 'InternalIP')?.address;
  if (hostIP) {
    st.hostIP = hostIP;
    st.hostIPs = [{ ip: hostIP }];
  }
  if (rt.ips.length) {
    st.podIP = rt.ips[0];
    st.podIPs = rt.ips.map((ip) => ({ ip }));
  }
  // phase
  const rp = pod.spec.restartPolicy ?? 'Always';
  const appsTerminated = apps.length > 0 && apps.every((c) => c.state === 'terminated' && c.next === null);
  if (appsTerminated && rp !== 'Always') st.phase = apps.every((c) => c.exitCode === 0) ? 'Succeeded' : 'Failed';
  else if (initsDone && apps.some((c) => c.state === 'running' || c.restartCount > 0 || c.state === 'terminated')) st.phase = 'Running';
  else st.phase = 'Pending';
  st.qosClass = cur.status?.qosClass ?? 'BestEffort';
  st.startTime = rfc3339(rt.startTime);
  const keyOrder = ['conditions', 'containerStatuses', 'hostIP', 'hostIPs', 'initContainerStatuses', 'message', 'nominatedNodeName', 'phase', 'podIP', 'podIPs', 'qosClass', 'reason', 'startTime'];
  const sorted: any = {};
  for (const k of keyOrder) if (st[k] !== undefined) sorted[k] = st[k];
  void node;
  api.setStatus('pods', pod.metadata.namespace, pod.metadata.name, sorted);
  const after: any = api.peek('pods', pod.metadata.namespace, pod.metadata.name);
  rt.sig = `${after?.metadata.resourceVersion}|${from}`;
}

export function nodeStatus(api: Api, world: World, node: NodeRt, nodeName: string): void {
  const cur: any = api.peek('nodes', null, nodeName);
  if (!cur) return;
  const now = api.now();
  const net = cniConfig(world, node.host);
  const runtimeUp = hostAlive(world, node.host, 'containerd');
  const ready = !!net && runtimeUp;
  // the status is posted when something in it changes, and its heartbeat every 5 minutes
  const key = `${cur.metadata.resourceVersion}|${ready}|${runtimeUp}|${Math.floor(now / 300_000)}`;
  if (node.statusKey === key) return;
  const st: any = clone(cur.status ?? {});
  const base = (type: string, reason: string, message: string) => ({ type, status: 'False', reason, message });
  let conds = st.conditions ?? [];
  const hb = { lastHeartbeatTime: rfc3339(Math.floor(now / 300_000) * 300_000) };
  conds = setCondition(conds, base('MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'), now, hb);
  conds = setCondition(conds, base('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'), now, hb);
  conds = setCondition(conds, base('PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'), now, hb);
  const readyMsg = !runtimeUp ? 'container runtime is down' : NETWORK_NOT_READY;
  conds = setCondition(conds, ready ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' } : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: readyMsg }, now, hb);
  st.conditions = conds.map((c: any) => ({ lastHeartbeatTime: c.lastHeartbeatTime, lastTransitionTime: c.lastTransitionTime, message: c.message, reason: c.reason, status: c.status, type: c.type }));
  const prevReady = (cur.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  api.setStatus('nodes', null, nodeName, st);
  // the not-ready taint follows the Ready condition; the unreachable ones go when the kubelet is back
  const taints: any[] = (cur.spec?.taints ?? []).filter((t: any) => t.key !== 'node.kubernetes.io/unreachable');
  const hasNR = taints.some((t) => t.key === 'node.kubernetes.io/not-ready');
  let want = taints;
  if (!ready && !hasNR) want = [...taints, { effect: 'NoSchedule', key: 'node.kubernetes.io/not-ready' }];
  if (ready && hasNR) want = taints.filter((t) => t.key !== 'node.kubernetes.io/not-ready');
  if (JSON.stringify(want) !== JSON.stringify(cur.spec?.taints ?? [])) {
    const n2: any = api.peek('nodes', null, nodeName);
    const spec = { ...n2.spec };
    if (want.length) spec.taints = want;
    else delete spec.taints;
    api.update({ ...n2, metadata: { ...n2.metadata, resourceVersion: undefined }, spec });
  }
  node.statusKey = `${(api.peek('nodes', null, nodeName) as any).metadata.resourceVersion}|${ready}|${runtimeUp}|${Math.floor(now / 300_000)}`;
  if (prevReady && prevReady.status !== (ready ? 'True' : 'False')) api.recordEvent(api.peek('nodes', null, nodeName)!, { type: 'Normal', reason: ready ? 'NodeReady' : 'NodeNotReady', message: `Node ${nodeName} status is now: ${ready ? 'NodeReady' : 'NodeNotReady'}`, component: 'kubelet', host: nodeName });
}
