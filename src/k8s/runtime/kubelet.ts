// The kubelet of each node with its container runtime (containerd): node
// status, static pods from /etc/kubernetes/manifests, and each pod bound to
// the node through its life: sandbox (netns + CNI ADD), image pulls
// (Pulling/Pulled, ErrImagePull → ImagePullBackOff), containers started as
// programs (images.ts), exits and restarts with CrashLoopBackOff back-off,
// graceful termination. Everything happens on the cluster clock: the
// controller's nextWake is the earliest pending step.
import { parse as parseYaml } from 'yaml';
import type { Controller, ControllerContext } from '../controllers/framework';
import type { Api } from '../api/store';
import { rfc3339 } from '../api/store';
import type { World } from '../../sim/world';
import type { HostId, NsId } from '../../sim/types';
import { listDir, readHostFile } from '../../sim/files';
import { netnsDel, netnsName } from '../../sim/netns';
import { killProcess, spawnProcess } from '../../sim/process';
import { CniError, cniPlugin, imageInfo, normaliseImage, type ContainerContext } from '../plugins';
import { clone, fnv32a, setCondition } from '../controllers/util';
import { kubeletRuntime, type ContainerRt, type KubeletRuntime, type NodeRt, type PodRt } from './state';

const MAX_LOG_LINES = 300;
const BACKOFF_START = 10_000;
const BACKOFF_MAX = 300_000;
const SANDBOX_RETRY = 12_000;
const MANIFESTS = '/etc/kubernetes/manifests';

// ---------------------------------------------------------------- helpers

/** 64 hex characters from the cluster's PRNG (container and sandbox ids). */
function hexId(api: Api, n = 64): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(api.random() * 16).toString(16);
  return s;
}

/** A stable sha256-looking digest of an image (its imageID). */
export function imageDigest(repo: string): string {
  let s = '';
  let h = fnv32a(repo);
  while (s.length < 64) {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    h >>>= 0;
    s += h.toString(16).padStart(8, '0');
  }
  return `sha256:${s.slice(0, 64)}`;
}

export function hostAlive(world: World, host: HostId, comm: string): boolean {
  const h = world.state.hosts[host];
  return !!h && h.processes.some((p) => p.comm === comm);
}

const cniCache = new WeakMap<object, { count: number; file: string | null; mtime: number; result: { file: string; type: string; name: string } | null }>();

/** The CNI network config the runtime loads from a node's /etc/cni/net.d: the first file by name. */
export function cniConfig(world: World, host: HostId): { file: string; type: string; name: string } | null {
  const h = world.state.hosts[host];
  if (!h) return null;
  // the directory is read again only when the host's files changed in number or the chosen file changed
  const count = Object.keys(h.files).length;
  const cached = cniCache.get(h.files);
  if (cached && cached.count === count && (cached.file === null || h.files[`/etc/cni/net.d/${cached.file}`]?.mtime === cached.mtime)) return cached.result;
  const result = readCniConfig(h);
  cniCache.set(h.files, { count, file: result?.file ?? null, mtime: result ? (h.files[`/etc/cni/net.d/${result.file}`]?.mtime ?? 0) : 0, result });
  return result;
}

function readCniConfig(h: import('../../sim/types').Host): { file: string; type: string; name: string } | null {
  let files: string[];
  try {
    files = listDir(h, '/etc/cni/net.d');
  } catch {
    return null;
  }
  for (const f of files.filter((x) => /\.(conf|conflist|json)$/.test(x)).sort()) {
    const text = readHostFile(h, `/etc/cni/net.d/${f}`);
    if (text === null) continue;
    try {
      const j = JSON.parse(text);
      const type = j.plugins?.[0]?.type ?? j.type;
      if (typeof type === 'string') return { file: f, type, name: j.name ?? '' };
    } catch {
      /* an unparsable config is skipped, as libcni does */
    }
  }
  return null;
}

export const NETWORK_NOT_READY = 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

function nodeOfHost(rt: KubeletRuntime, node: string): NodeRt | undefined {
  return rt.nodes[node];
}

function log(c: ContainerRt, t: number, text: string, s: 'stdout' | 'stderr' = 'stdout'): void {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  for (const l of lines) c.log.push({ t, s, text: l });
  if (c.log.length > MAX_LOG_LINES) c.log.splice(0, c.log.length - MAX_LOG_LINES);
}

// ---------------------------------------------------------------- volumes seen by a container

function readVolumeFile(api: Api, world: World, host: HostId, pod: any, container: any, path: string): string | null {
  const mounts: any[] = [...(container.volumeMounts ?? [])].sort((a, b) => b.mountPath.length - a.mountPath.length);
  for (const m of mounts) {
    const mp = m.mountPath.replace(/\/$/, '');
    if (path !== mp && !path.startsWith(mp + '/')) continue;
    const vol = (pod.spec.volumes ?? []).find((v: any) => v.name === m.name);
    if (!vol) return null;
    let rel = path === mp ? '' : path.slice(mp.length + 1);
    if (m.subPath) rel = rel ? `${m.subPath}/${rel}` : m.subPath;
    const ns = pod.metadata.namespace;
    if (vol.configMap) {
      const cm: any = api.peek('configmaps', ns, vol.configMap.name);
      if (!cm) return null;
      const item = (vol.configMap.items ?? []).find((i: any) => i.path === rel);
      const key = item ? item.key : rel;
      return cm.data?.[key] ?? null;
    }
    if (vol.secret) {
      const s: any = api.peek('secrets', ns, vol.secret.secretName);
      const v = s?.data?.[rel];
      return v === undefined ? null : Buffer.from(v, 'base64').toString('utf8');
    }
    if (vol.hostPath) {
      const h = world.state.hosts[host];
      return h ? readHostFile(h, `${vol.hostPath.path.replace(/\/$/, '')}${rel ? '/' + rel : ''}`) : null;
    }
    if (vol.projected) {
      if (rel === 'namespace') return ns;
      if (rel === 'ca.crt') return (api.peek('configmaps', ns, 'kube-root-ca.crt') as any)?.data?.['ca.crt'] ?? null;
      if (rel === 'token') return 'eyJhbGciOiJSUzI1NiIsImtpZCI6InNpbSJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lt';
      return null;
    }
    return null;
  }
  return null;
}

// ---------------------------------------------------------------- pod status

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

function writePodStatus(api: Api, pod: any, rt: PodRt, node: NodeRt | undefined): void {
  const now = api.now();
  const cur: any = api.peek('pods', pod.metadata.namespace, pod.metadata.name);
  if (!cur) return;
  const sig = `${cur.metadata.resourceVersion}|${rt.nsId}|${rt.ips.join(',')}|${rt.containers.map((c) => `${c.state}/${c.reason}/${c.message ?? ''}/${c.id}/${c.restartCount}/${c.ready}/${c.next}`).join(';')}`;
  if (rt.sig === sig) return;
  const st: any = clone(cur.status ?? {});
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
  if (JSON.stringify(sorted) !== JSON.stringify(cur.status)) api.updateStatus({ ...cur, metadata: { ...cur.metadata, resourceVersion: undefined }, status: sorted });
  const after: any = api.peek('pods', pod.metadata.namespace, pod.metadata.name);
  rt.sig = `${after?.metadata.resourceVersion}|${rt.nsId}|${rt.ips.join(',')}|${rt.containers.map((c) => `${c.state}/${c.reason}/${c.message ?? ''}/${c.id}/${c.restartCount}/${c.ready}/${c.next}`).join(';')}`;
}

// ---------------------------------------------------------------- the containers' steps

function event(api: Api, pod: any, node: string, type: 'Normal' | 'Warning', reason: string, message: string, container?: string, init = false): void {
  const live = api.peek('pods', pod.metadata.namespace, pod.metadata.name) ?? pod;
  api.recordEvent(live, { type, reason, message, component: 'kubelet', host: node, fieldPath: container ? `spec.${init ? 'initContainers' : 'containers'}{${container}}` : undefined });
}

function specContainer(pod: any, name: string): any {
  return [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])].find((c: any) => c.name === name);
}

/** The argv a container runs: command/args over the image's entrypoint/cmd. */
function containerArgv(spec: any, info: { entrypoint: string[]; cmd: string[] } | undefined): string[] {
  const entry = spec.command ?? info?.entrypoint ?? [];
  const args = spec.args ?? (spec.command ? [] : (info?.cmd ?? []));
  return [...entry, ...args];
}

function ctxFor(world: World, api: Api, node: NodeRt, nodeName: string, pod: any, rt: PodRt, c: ContainerRt): ContainerContext {
  const spec = specContainer(pod, c.name);
  const info = imageInfo(spec.image);
  return {
    world,
    api,
    node: nodeName,
    host: node.host,
    nsId: rt.nsId!,
    pod,
    container: spec,
    containerId: c.id,
    restartCount: c.restartCount,
    argv: containerArgv(spec, info),
    log: (text: string, s: 'stdout' | 'stderr' = 'stdout') => log(c, api.now(), text, s),
    spawn: (argv, opts) => {
      const p = spawnProcess(world, node.host, rt.nsId!, argv, opts);
      c.pids.push(p.pid);
      return p;
    },
    readFile: (path: string) => readVolumeFile(api, world, node.host, pod, spec, path),
  };
}

/** The program's stop hook, then its processes killed. */
function stopContainer(world: World, api: Api, node: NodeRt, nodeName: string, pod: any, rt: PodRt, c: ContainerRt): void {
  if (pod && rt.nsId !== null && c.state === 'running') {
    const info = imageInfo(specContainer(pod, c.name)?.image ?? '');
    try {
      info?.program.stop?.(ctxFor(world, api, node, nodeName, pod, rt, c));
    } catch {
      /* a program's clean-up never stops the kubelet */
    }
  }
  killContainer(world, node, c);
}

function killContainer(world: World, node: NodeRt, c: ContainerRt): void {
  for (const pid of c.pids) {
    try {
      killProcess(world, node.host, pid);
    } catch {
      /* already gone */
    }
  }
  c.pids = [];
}

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

/** Run a pod's due steps at the present. */
function stepPod(api: Api, world: World, rtAll: KubeletRuntime, node: NodeRt, nodeName: string, pod: any): void {
  const now = api.now();
  const uid = pod.metadata.uid;
  let rt = rtAll.pods[uid];
  if (!rt) {
    const all = [...(pod.spec.initContainers ?? []).map((c: any) => ({ c, init: true })), ...(pod.spec.containers ?? []).map((c: any) => ({ c, init: false }))];
    rt = rtAll.pods[uid] = {
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
    };
    // the first init container (or every app container) starts as ContainerCreating
    const firstInit = rt.containers.find((c) => c.init);
    if (firstInit) firstInit.reason = 'ContainerCreating';
    else for (const c of rt.containers) c.reason = 'ContainerCreating';
    if (rt.containers.some((c) => c.init)) for (const c of rt.containers.filter((x) => !x.init)) c.reason = 'PodInitializing';
  }
  // ---- termination
  if (pod.metadata.deletionTimestamp) {
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
    return;
  }
  // ---- sandbox
  if (rt.nsId === null) {
    if (rt.sandboxRetryAt !== null && now < rt.sandboxRetryAt) return;
    if (pod.spec.hostNetwork) {
      rt.nsId = world.host(node.host).rootNs;
      const ip = (api.peek('nodes', null, nodeName) as any)?.status?.addresses?.find((a: any) => a.type === 'InternalIP')?.address;
      rt.ips = ip ? [ip] : [];
      rt.sandboxId = hexId(api);
    } else {
      const cfg = cniConfig(world, node.host);
      if (!cfg) {
        event(api, pod, nodeName, 'Warning', 'NetworkNotReady', `network is not ready: ${NETWORK_NOT_READY}`);
        rt.sandboxFailures = (rt.sandboxFailures ?? 0) + 1;
        rt.sandboxRetryAt = now + Math.min(300_000, 2000 * 2 ** Math.min(7, rt.sandboxFailures - 1));
        writePodStatus(api, pod, rt, node);
        return;
      }
      rt.sandboxId = hexId(api);
      try {
        const plugin = cniPlugin(cfg.type);
        if (!plugin) throw new CniError(`plugin type="${cfg.type}" name="${cfg.name}" failed (add): failed to find plugin "${cfg.type}" in path [/opt/cni/bin]`);
        const r = plugin.add(world, api, { node: nodeName, host: node.host, pod, sandboxId: rt.sandboxId });
        rt.nsId = r.nsId;
        rt.netnsName = r.netnsName;
        rt.ips = r.ips;
      } catch (e) {
        if (!(e instanceof CniError)) throw e;
        rt.netnsName = '';
        rt.sandboxError = e.message;
        const why = e.message.startsWith('failed to setup network for sandbox') ? e.message : `failed to setup network for sandbox "${rt.sandboxId}": ${e.message}`;
        event(api, pod, nodeName, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: rpc error: code = Unknown desc = ${why}`);
        // the pod worker's back-off: about 12 s, doubling to a minute
        rt.sandboxFailures = (rt.sandboxFailures ?? 0) + 1;
        rt.sandboxRetryAt = now + Math.min(60_000, SANDBOX_RETRY * 2 ** Math.min(5, rt.sandboxFailures - 1)) + Math.floor(api.random() * 4000);
        writePodStatus(api, pod, rt, node);
        return;
      }
    }
    rt.sandboxRetryAt = null;
    rt.sandboxFailures = 0;
    rt.sandboxError = null;
    rt.sandboxReadyAt = now;
  }
  // ---- containers
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

function teardownSandbox(api: Api, world: World, node: NodeRt, nodeName: string, pod: any, rt: PodRt): void {
  if (rt.netnsName && rt.nsId) {
    const cfg = cniConfig(world, node.host);
    const plugin = cfg ? cniPlugin(cfg.type) : undefined;
    try {
      plugin?.del(world, api, { node: nodeName, host: node.host, pod, nsId: rt.nsId, sandboxId: rt.sandboxId });
    } catch {
      /* CNI DEL errors are ignored on teardown */
    }
    try {
      if (netnsName(world, rt.nsId) !== null) netnsDel(world, node.host, rt.netnsName);
    } catch {
      /* already gone */
    }
  }
  rt.nsId = null;
}

// ---------------------------------------------------------------- static pods

function manifestHash(text: string): string {
  let s = '';
  let h = fnv32a(text);
  while (s.length < 32) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h ^= h >>> 12;
    s += (h >>> 0).toString(16).padStart(8, '0');
  }
  return s.slice(0, 32);
}

function syncStaticPods(api: Api, world: World, rtAll: KubeletRuntime, node: NodeRt, nodeName: string): void {
  const h = world.state.hosts[node.host];
  if (!h) return;
  const now = api.now();
  if (node.manifestsCheckedAt !== undefined && now - node.manifestsCheckedAt < 1000) return;
  node.manifestsCheckedAt = now;
  node.manifestsFileCount = Object.keys(h.files).length;
  let files: string[] = [];
  try {
    files = listDir(h, MANIFESTS).filter((f) => !f.startsWith('.') && /\.(ya?ml|json)$/.test(f));
  } catch {
    files = [];
  }
  const seen = new Set<string>();
  const nodeObj = api.peek('nodes', null, nodeName);
  for (const f of files) {
    const path = `${MANIFESTS}/${f}`;
    seen.add(path);
    const text = readHostFile(h, path) ?? '';
    const hash = manifestHash(text);
    const prev = node.manifests[path];
    if (prev === hash) continue;
    // changed (or new): stop the old pod, start from the new manifest
    stopStatic(api, world, rtAll, node, nodeName, path);
    let doc: any;
    try {
      doc = parseYaml(text);
    } catch {
      doc = null;
    }
    node.manifests[path] = hash;
    if (!doc || doc.kind !== 'Pod' || !doc.metadata?.name || !Array.isArray(doc.spec?.containers)) {
      node.manifests[path] = `broken:${hash}`;
      continue;
    }
    const ann = { ...(doc.metadata.annotations ?? {}), 'kubernetes.io/config.hash': hash, 'kubernetes.io/config.mirror': hash, 'kubernetes.io/config.seen': new Date(Date.parse(rfc3339(api.now()))).toISOString().replace('Z', '000000Z').replace('.000000000Z', '.000000000Z'), 'kubernetes.io/config.source': 'file' };
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { ...doc.metadata, name: `${doc.metadata.name}-${nodeName}`, namespace: doc.metadata.namespace ?? 'default', annotations: ann, ownerReferences: nodeObj ? [{ apiVersion: 'v1', controller: true, kind: 'Node', name: nodeName, uid: nodeObj.metadata.uid }] : undefined },
      spec: { ...doc.spec, nodeName, tolerations: doc.spec.tolerations ?? [{ effect: 'NoExecute', operator: 'Exists' }] },
    };
    try {
      const existing = api.peek('pods', pod.metadata.namespace, pod.metadata.name);
      if (existing) api.remove('pods', pod.metadata.namespace, pod.metadata.name);
      api.create(pod);
    } catch {
      node.manifests[path] = `broken:${hash}`;
    }
  }
  for (const path of Object.keys(node.manifests)) {
    if (seen.has(path)) continue;
    stopStatic(api, world, rtAll, node, nodeName, path);
    delete node.manifests[path];
  }
}

function stopStatic(api: Api, world: World, rtAll: KubeletRuntime, node: NodeRt, nodeName: string, path: string): void {
  const hash = node.manifests[path];
  if (!hash) return;
  const pod = api.scan('pods').find((p) => p.spec && (p as any).spec.nodeName === nodeName && p.metadata.annotations?.['kubernetes.io/config.hash'] === hash);
  if (!pod) return;
  const rt = rtAll.pods[pod.metadata.uid!];
  if (rt) {
    for (const c of rt.containers) if (c.state === 'running') stopContainer(world, api, node, nodeName, pod, rt, c);
    teardownSandbox(api, world, node, nodeName, pod, rt);
    delete rtAll.pods[rt.uid];
  }
  api.remove('pods', pod.metadata.namespace!, pod.metadata.name!);
}

// ---------------------------------------------------------------- node status

function nodeStatus(api: Api, world: World, node: NodeRt, nodeName: string): void {
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
  if (JSON.stringify(st) !== JSON.stringify(cur.status)) api.updateStatus({ ...cur, metadata: { ...cur.metadata, resourceVersion: undefined }, status: st });
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
    // a static pod manifest written (or removed) since the kubelet last looked: it looks again a second after its last look
    for (const node of Object.values(rtAll.nodes)) {
      const h = world.state.hosts[node.host];
      if (!h || node.manifestsCheckedAt === undefined || !hostAlive(world, node.host, 'kubelet')) continue;
      const count = Object.keys(h.files).length;
      const edited = (p: string) => {
        const f = h.files[p];
        if (!f) return true;
        if ((f.mtime ?? 0) < node.manifestsCheckedAt!) return false;
        const hh = manifestHash(f.content ?? '');
        return node.manifests[p] !== hh && node.manifests[p] !== `broken:${hh}`;
      };
      let changed = Object.keys(node.manifests).some(edited);
      // a file appeared somewhere on the host: is it a new manifest?
      if (!changed && node.manifestsFileCount !== count) {
        try {
          changed = listDir(h, MANIFESTS).some((f) => !f.startsWith('.') && /\.(ya?ml|json)$/.test(f) && !(`${MANIFESTS}/${f}` in node.manifests));
        } catch {
          changed = false;
        }
        if (!changed) node.manifestsFileCount = count;
      }
      if (changed) take(node.manifestsCheckedAt + 1000);
    }
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

/** Where a pod's containers run: the node's host and the pod's network namespace (for kubectl exec, crictl). */
export function podSandbox(api: Api, uid: string): { host: HostId; nsId: NsId; node: string; sandboxId: string; netnsName: string } | null {
  const rt = kubeletRuntime(api).pods[uid];
  const node = rt ? kubeletRuntime(api).nodes[rt.node] : undefined;
  if (!rt || !node || rt.nsId === null) return null;
  return { host: node.host, nsId: rt.nsId, node: rt.node, sandboxId: rt.sandboxId, netnsName: rt.netnsName };
}

export { nodeOfHost };
