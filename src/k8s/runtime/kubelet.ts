// The kubelet of each node with its container runtime (containerd): node
// status, static pods from /etc/kubernetes/manifests, and each pod bound to
// the node through its life: sandbox (netns + CNI ADD), image pulls
// (Pulling/Pulled, ErrImagePull → ImagePullBackOff), containers started as
// programs (images.ts), exits and restarts with CrashLoopBackOff back-off,
// graceful termination. Everything happens on the cluster clock: the
// controller's nextWake is the earliest pending step. Split along the
// kubelet's own seams: this file is the pod workers (pulls, starts, exits,
// restarts, termination) and the controller; sandbox.ts the sandbox and CNI,
// status.ts the status manager (pod and node status), static-pods.ts the
// manifests, containers.ts a container's processes, util.ts the helpers.
import type { Controller, ControllerContext } from '../controllers/framework';
import type { Api } from '../api/store';
import type { World } from '../../sim/world';
import type { HostId, NsId } from '../../sim/types';
import { imageInfo, normaliseImage } from '../plugins';
import { kubeletRuntime, type ContainerRt, type KubeletRuntime, type NodeRt, type PodRt } from './state';
import { event, hexId, hostAlive, specContainer } from './util';
import { setupSandbox, teardownSandbox } from './sandbox';
import { nodeStatus, writePodStatus } from './status';
import { ctxFor, killContainer, log, stopContainer } from './containers';
import { staticPodsWake, syncStaticPods } from './static-pods';

export { imageDigest, hostAlive } from './util';
export { cniConfig, NETWORK_NOT_READY } from './sandbox';

const BACKOFF_START = 10_000;
const BACKOFF_MAX = 300_000;

function nodeOfHost(rt: KubeletRuntime, node: string): NodeRt | undefined {
  return rt.nodes[node];
}

// ---------------------------------------------------------------- the containers' steps

function beginPull(api: Api, world: World, node: NodeRt, nodeName: string, pod: any, c: ContainerRt): void {
  const spec = specContainer(pod, c.name);
  const now = api.now();
  const n = normaliseImage(spec.image);
  const present = node.images.includes(n.full);
  const policy = spec.imagePullPolicy ?? 'IfNotPresent';
  c.state = 'waiting';
  c.reason = c.restartCount > 0 || c.last ? c.reason : 'ContainerCreating';
  if (c.reason !== 'CrashLoopBackOff') delete c.message;
  if (present && policy !== 'Always') {
    event(api, pod, nodeName, 'Normal', 'Pulled', `Container image "${spec.image}" already present on machine`, c.name, c.init);
    c.next = 'start';
    c.nextAt = now + 150;
    return;
  }
  if (!present && policy === 'Never') {
    c.reason = 'ErrImageNeverPull';
    c.message = `Container image "${spec.image}" is not present with pull policy of Never`;
    event(api, pod, nodeName, 'Warning', 'ErrImageNeverPull', c.message, c.name, c.init);
    c.next = null;
    c.nextAt = null;
    return;
  }
  event(api, pod, nodeName, 'Normal', 'Pulling', `Pulling image "${spec.image}"`, c.name, c.init);
  const info = imageInfo(spec.image);
  // containerd pulls an image once per node: a second pod asking for it waits for the same pull
  const pulls = (node.pulls ??= {});
  for (const [ref, at] of Object.entries(pulls)) {
    if (at > now) continue;
    delete pulls[ref];
    if (node.pullStarted) delete node.pullStarted[ref];
  }
  const inFlight = pulls[n.full];
  c.next = 'pulled';
  c.nextAt = inFlight ?? now + (info ? 900 + Math.floor(api.random() * 2600) : 700 + Math.floor(api.random() * 800));
  if (!inFlight) {
    pulls[n.full] = c.nextAt;
    (node.pullStarted ??= {})[n.full] = now;
  }
  void world;
}

function pullFailure(image: string): string {
  const n = normaliseImage(image);
  const host = n.repository.split('/')[0];
  if (host === 'docker.io') return `failed to pull and unpack image "${n.full}": failed to resolve reference "${n.full}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
  return `failed to pull and unpack image "${n.full}": failed to resolve reference "${n.full}": ${n.full}: not found`;
}

function pulled(api: Api, world: World, node: NodeRt, nodeName: string, pod: any, c: ContainerRt, startedPull: number): void {
  const spec = specContainer(pod, c.name);
  const now = api.now();
  const info = imageInfo(spec.image);
  if (!info) {
    const why = pullFailure(spec.image);
    c.reason = 'ErrImagePull';
    c.message = `rpc error: code = NotFound desc = ${why}`;
    event(api, pod, nodeName, 'Warning', 'Failed', `Failed to pull image "${spec.image}": ${c.message}`, c.name, c.init);
    event(api, pod, nodeName, 'Warning', 'Failed', 'Error: ErrImagePull', c.name, c.init);
    c.pullBackoffMs = c.pullBackoffMs ? Math.min(BACKOFF_MAX, c.pullBackoffMs * 2) : BACKOFF_START;
    c.next = 'pull';
    c.nextAt = now + c.pullBackoffMs;
    (c as any).backoffShownAt = now + 1000 + Math.floor(api.random() * 1500);
    return;
  }
  c.pullBackoffMs = 0;
  const n = normaliseImage(spec.image);
  if (!node.images.includes(n.full)) node.images.push(n.full);
  const pullStart = node.pullStarted?.[n.full] ?? startedPull;
  const secs = (ms: number) => (ms / 1000).toFixed(3).replace(/\.?0+$/, '') || '0';
  event(api, pod, nodeName, 'Normal', 'Pulled', `Successfully pulled image "${spec.image}" in ${secs(now - pullStart)}s (${secs(now - startedPull)}s including waiting). Image size: ${info.size} bytes.`, c.name, c.init);
  c.next = 'start';
  c.nextAt = now + 150;
  void world;
}

function startContainer(api: Api, world: World, node: NodeRt, nodeName: string, pod: any, rt: PodRt, c: ContainerRt): void {
  const spec = specContainer(pod, c.name);
  const now = api.now();
  const info = imageInfo(spec.image);
  c.id = hexId(api);
  c.image = spec.image;
  event(api, pod, nodeName, 'Normal', 'Created', `Created container: ${c.name}`, c.name, c.init);
  event(api, pod, nodeName, 'Normal', 'Started', `Started container ${c.name}`, c.name, c.init);
  c.state = 'running';
  c.reason = '';
  delete c.message;
  c.startedAt = now;
  c.finishedAt = null;
  c.exitCode = null;
  c.ready = !c.init;
  c.next = null;
  c.nextAt = null;
  if (!info) {
    exitContainer(api, world, node, nodeName, pod, rt, c, 128, 'StartError');
    return;
  }
  const out = info.program.start(ctxFor(world, api, node, nodeName, pod, rt, c));
  if (out.state === 'exited') exitContainer(api, world, node, nodeName, pod, rt, c, out.exitCode, out.reason);
  else if (out.exitAfterMs !== undefined) {
    c.next = 'exit';
    c.nextAt = now + out.exitAfterMs;
    c.exitCode2 = out.exitCode ?? 1;
    (c as any).exitReason = out.reason;
  }
}

function exitContainer(api: Api, world: World, node: NodeRt, nodeName: string, pod: any, rt: PodRt, c: ContainerRt, code: number, reason?: string): void {
  const now = api.now();
  stopContainer(world, api, node, nodeName, pod, rt, c);
  c.state = 'terminated';
  c.exitCode = code;
  c.reason = reason ?? (code === 0 ? 'Completed' : 'Error');
  c.exitReason = c.reason;
  c.finishedAt = now;
  c.ready = false;
  const rp = pod.spec.restartPolicy ?? 'Always';
  const restart = c.init ? code !== 0 && rp !== 'Never' : rp === 'Always' || (rp === 'OnFailure' && code !== 0);
  if (!restart) {
    c.next = null;
    c.nextAt = null;
    return;
  }
  // back-off: 10 s, doubling to 5 min; reset after 10 min of good running
  const ran = now - (c.startedAt ?? now);
  c.crashBackoffMs = ran > 600_000 || !c.crashBackoffMs ? BACKOFF_START : Math.min(BACKOFF_MAX, c.crashBackoffMs * 2);
  c.next = 'restart';
  c.nextAt = now + c.crashBackoffMs;
  (c as any).loopShownAt = now + 800 + Math.floor(api.random() * 1200);
}

function restartContainer(api: Api, world: World, node: NodeRt, nodeName: string, pod: any, rt: PodRt, c: ContainerRt): void {
  c.last = { exitCode: c.exitCode ?? 0, reason: c.exitReason ?? c.reason, startedAt: c.startedAt ?? api.now(), finishedAt: c.finishedAt ?? api.now(), id: c.id };
  c.restartCount++;
  c.prevLog = c.log;
  c.log = [];
  c.state = 'waiting';
  beginPull(api, world, node, nodeName, pod, c);
}

/** The runtime record of a pod the kubelet meets for the first time: its containers waiting, the first one ContainerCreating. */
function newPodRuntime(rtAll: KubeletRuntime, nodeName: string, pod: any, now: number): PodRt {
  const uid = pod.metadata.uid;
  const all = [...(pod.spec.initContainers ?? []).map((c: any) => ({ c, init: true })), ...(pod.spec.containers ?? []).map((c: any) => ({ c, init: false }))];
  const rt: PodRt = (rtAll.pods[uid] = {
    uid,
    ns: pod.metadata.namespace,
    name: pod.metadata.name,
    node: nodeName,
    sandboxId: '',
    netnsName: '',
    nsId: null,
    ips: [],
    sandboxRetryAt: null,
    sandboxError: null,
    sandboxReadyAt: null,
    containers: all.map(({ c, init }) => ({ name: c.name, init, id: '', image: c.image, state: 'waiting', reason: init ? 'PodInitializing' : 'ContainerCreating', restartCount: 0, startedAt: null, finishedAt: null, exitCode: null, last: null, pids: [], next: null, nextAt: null, pullBackoffMs: 0, crashBackoffMs: 0, log: [], prevLog: [], ready: false })),
    killAt: null,
    startTime: now,
  });
  // the first init container (or every app container) starts as ContainerCreating
  const firstInit = rt.containers.find((c) => c.init);
  if (firstInit) firstInit.reason = 'ContainerCreating';
  else for (const c of rt.containers) c.reason = 'ContainerCreating';
  if (rt.containers.some((c) => c.init)) for (const c of rt.containers.filter((x) => !x.init)) c.reason = 'PodInitializing';
  return rt;
}

/** A pod being deleted: Killing its containers (each program's SIGTERM time, at most the grace period), then gone. */
function terminatePod(api: Api, world: World, rtAll: KubeletRuntime, node: NodeRt, nodeName: string, pod: any, rt: PodRt): void {
  const now = api.now();
  if (rt.killAt === null) {
    const grace = (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000;
    let longest = 0;
    for (const c of rt.containers) {
      if (c.state !== 'running') continue;
      event(api, pod, nodeName, 'Normal', 'Killing', `Stopping container ${c.name}`, c.name, c.init);
      const info = imageInfo(specContainer(pod, c.name)?.image ?? '');
      const t = info?.program.termination?.(ctxFor(world, api, node, nodeName, pod, rt, c));
      const ms = t === null ? grace : (t ?? 100);
      longest = Math.max(longest, Math.min(ms, grace));
    }
    rt.killAt = now + longest;
  }
  if (now >= rt.killAt) finishPod(api, world, rtAll, node, nodeName, pod, rt);
}

/** The due steps of the containers that may run now (the current init container, else the app containers), then the pod's status. */
function stepContainers(api: Api, world: World, node: NodeRt, nodeName: string, pod: any, rt: PodRt): void {
  const now = api.now();
  const uid = pod.metadata.uid;
  const inits = rt.containers.filter((c) => c.init);
  const apps = rt.containers.filter((c) => !c.init);
  const currentInit = inits.find((c) => !(c.state === 'terminated' && c.exitCode === 0));
  const runnable = currentInit ? [currentInit] : apps;
  if (!currentInit) for (const c of apps) if (c.reason === 'PodInitializing' && c.state === 'waiting' && c.next === null && !c.id) c.reason = 'ContainerCreating';
  for (const c of runnable) {
    // start a container that has not begun
    if (c.state === 'waiting' && c.next === null && !c.id && c.reason !== 'ErrImageNeverPull') {
      beginPull(api, world, node, nodeName, pod, c);
      (c as any).pullStarted = now;
    }
    // presentation changes between steps
    if ((c as any).backoffShownAt !== undefined && now >= (c as any).backoffShownAt) {
      delete (c as any).backoffShownAt;
      const spec = specContainer(pod, c.name);
      c.reason = 'ImagePullBackOff';
      c.message = `Back-off pulling image "${spec.image}": ErrImagePull: ${c.message?.replace(/^rpc error: code = NotFound desc = /, 'rpc error: code = NotFound desc = ') ?? ''}`;
      event(api, pod, nodeName, 'Normal', 'BackOff', `Back-off pulling image "${spec.image}"`, c.name, c.init);
      event(api, pod, nodeName, 'Warning', 'Failed', 'Error: ImagePullBackOff', c.name, c.init);
    }
    if ((c as any).loopShownAt !== undefined && now >= (c as any).loopShownAt && c.next === 'restart') {
      delete (c as any).loopShownAt;
      c.state = 'waiting';
      c.reason = 'CrashLoopBackOff';
      c.message = `back-off ${Math.round(c.crashBackoffMs / 1000) >= 60 ? `${Math.floor(c.crashBackoffMs / 60000)}m${(c.crashBackoffMs % 60000) / 1000}s` : `${c.crashBackoffMs / 1000}s`} restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${uid})`;
      event(api, pod, nodeName, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${uid})`, c.name, c.init);
    }
    if (c.nextAt === null || c.nextAt > now) continue;
    const step = c.next;
    c.next = null;
    c.nextAt = null;
    if (step === 'pull') {
      beginPull(api, world, node, nodeName, pod, c);
      (c as any).pullStarted = now;
    } else if (step === 'pulled') pulled(api, world, node, nodeName, pod, c, (c as any).pullStarted ?? now);
    else if (step === 'start') startContainer(api, world, node, nodeName, pod, rt, c);
    else if (step === 'exit') exitContainer(api, world, node, nodeName, pod, rt, c, c.exitCode2 ?? 1, (c as any).exitReason);
    else if (step === 'restart') restartContainer(api, world, node, nodeName, pod, rt, c);
  }
  writePodStatus(api, pod, rt, node);
}

/** Run a pod's due steps at the present. */
function stepPod(api: Api, world: World, rtAll: KubeletRuntime, node: NodeRt, nodeName: string, pod: any): void {
  const rt = rtAll.pods[pod.metadata.uid] ?? newPodRuntime(rtAll, nodeName, pod, api.now());
  if (pod.metadata.deletionTimestamp) return terminatePod(api, world, rtAll, node, nodeName, pod, rt);
  if (rt.nsId === null) {
    if (rt.sandboxRetryAt !== null && api.now() < rt.sandboxRetryAt) return;
    if (!setupSandbox(api, world, node, nodeName, pod, rt)) return;
  }
  stepContainers(api, world, node, nodeName, pod, rt);
}

function finishPod(api: Api, world: World, rtAll: KubeletRuntime, node: NodeRt, nodeName: string, pod: any, rt: PodRt): void {
  for (const c of rt.containers) {
    if (c.state === 'running') {
      stopContainer(world, api, node, nodeName, pod, rt, c);
      c.state = 'terminated';
      c.exitCode = 0;
      c.finishedAt = api.now();
    }
  }
  teardownSandbox(api, world, node, nodeName, pod, rt);
  delete rtAll.pods[rt.uid];
  if (pod) api.remove('pods', rt.ns, rt.name);
}
// ---------------------------------------------------------------- the controller

const kubelet: Controller = {
  name: 'kubelet',
  reconcile({ api, world }: ControllerContext) {
    const rtAll = kubeletRuntime(api);
    const now = api.now();
    for (const [nodeName, node] of Object.entries(rtAll.nodes)) {
      if (!hostAlive(world, node.host, 'kubelet')) continue;
      node.lastHeartbeat = now;
      nodeStatus(api, world, node, nodeName);
      syncStaticPods(api, world, rtAll, node, nodeName);
      for (const pod of api.scan('pods') as any[]) {
        if (pod.spec?.nodeName !== nodeName) continue;
        if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
          if (pod.metadata.deletionTimestamp) {
            const rt = rtAll.pods[pod.metadata.uid];
            if (rt) finishPod(api, world, rtAll, node, nodeName, pod, rt);
            else api.remove('pods', pod.metadata.namespace, pod.metadata.name);
          }
          continue;
        }
        stepPod(api, world, rtAll, node, nodeName, pod);
      }
      // pods removed from the API (force delete, node change): stop their containers
      for (const rt of Object.values(rtAll.pods)) {
        if (rt.node !== nodeName) continue;
        const p = api.peek('pods', rt.ns, rt.name);
        if (p && p.metadata.uid === rt.uid) continue;
        for (const c of rt.containers) if (c.state === 'running') killContainer(world, node, c);
        teardownSandbox(api, world, node, nodeName, null, rt);
        delete rtAll.pods[rt.uid];
      }
    }
  },
  nextWake({ api, world }: ControllerContext) {
    const rtAll = kubeletRuntime(api);
    const now = api.now();
    let next: number | null = null;
    const take = (t: number | null | undefined) => {
      if (t !== null && t !== undefined && t > now && (next === null || t < next)) next = t;
    };
    for (const rt of Object.values(rtAll.pods)) {
      const node = rtAll.nodes[rt.node];
      if (!node || !hostAlive(world, node.host, 'kubelet')) continue;
      take(rt.sandboxRetryAt);
      take(rt.killAt);
      for (const c of rt.containers) {
        take(c.nextAt);
        take((c as any).backoffShownAt);
        take((c as any).loopShownAt);
      }
    }
    staticPodsWake(world, rtAll, take);
    return next;
  },
  afterSettle({ api, world }: ControllerContext) {
    const rtAll = kubeletRuntime(api);
    if (rtAll.notifiedRv === api.state.rv) return;
    rtAll.notifiedRv = api.state.rv;
    for (const rt of Object.values(rtAll.pods)) {
      const node = rtAll.nodes[rt.node];
      if (!node || rt.nsId === null) continue;
      const pod = api.peek('pods', rt.ns, rt.name);
      if (!pod) continue;
      for (const c of rt.containers) {
        if (c.state !== 'running') continue;
        const info = imageInfo(specContainer(pod, c.name)?.image ?? '');
        info?.program.onClusterChange?.(ctxFor(world, api, node, rt.node, pod, rt, c));
      }
    }
  },
};

export const KUBELET = kubelet;

/** Register a node's kubelet with the runtime (bootstrap / kubeadm join). */
export function registerNodeRuntime(api: Api, nodeName: string, host: HostId): NodeRt {
  const rtAll = kubeletRuntime(api);
  const nr: NodeRt = (rtAll.nodes[nodeName] ??= { host, lastHeartbeat: null, images: [], manifests: {}, bootId: api.uuid(), machineId: hexId(api, 32) });
  return nr;
}

/** Container logs (what `kubectl logs` prints): the current instance's, or the previous one's. */
export function containerLogs(api: Api, uid: string, container: string, previous = false): { lines: { t: number; text: string }[]; found: boolean } {
  const rt = kubeletRuntime(api).pods[uid];
  const c = rt?.containers.find((x) => x.name === container);
  if (!c) return { lines: [], found: false };
  return { lines: (previous ? c.prevLog : c.log).map((l) => ({ t: l.t, text: l.text })), found: previous ? c.last !== null : c.id !== '' };
}

/**
 * An attached client (`kubectl run -i`) ran the container's command line: its output joins the
 * container's log, and the exit the program planned takes the command's status (the image
 * program only knows that a short command ends; the tools decide how).
 */
export function attachedRun(api: Api, uid: string, container: string, output: string, exitCode: number): void {
  const c = kubeletRuntime(api).pods[uid]?.containers.find((x) => x.name === container);
  if (!c || c.state !== 'running') return;
  // what the image program logged for this command line gives way to what the command printed
  c.log = c.log.filter((l) => l.t < (c.startedAt ?? 0));
  if (output) log(c, api.now(), output);
  if (c.next === 'exit') {
    c.exitCode2 = exitCode;
    c.exitReason = exitCode === 0 ? 'Completed' : 'Error';
  }
}

/** Where a pod's containers run: the node's host and the pod's network namespace (for kubectl exec, crictl). */
export function podSandbox(api: Api, uid: string): { host: HostId; nsId: NsId; node: string; sandboxId: string; netnsName: string } | null {
  const rt = kubeletRuntime(api).pods[uid];
  const node = rt ? kubeletRuntime(api).nodes[rt.node] : undefined;
  if (!rt || !node || rt.nsId === null) return null;
  return { host: node.host, nsId: rt.nsId, node: rt.node, sandboxId: rt.sandboxId, netnsName: rt.netnsName };
}

export { nodeOfHost };
