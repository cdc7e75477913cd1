// The running cluster: the API wired to its controllers. Every request
// first brings the controllers up to the world's clock (timers that fell
// due while time passed: image pulls, container starts, crash back-offs,
// node heartbeats), and every write is followed by running the controllers
// to quiescence at the present instant.
import type { World } from '../sim/world';
import { Api, clusterState } from './api/store';
import { type ControllerContext } from './controllers/framework';
import { CONTROLLERS } from './controllers/index';
// the node side (CNI plugins, images as programs, the kernel's hooks): a restored world's containers find their programs
import { installKubernetes } from './install';

const MAX_PASSES = 60;
const MAX_WAKES = 20_000;

/** The internal API the controllers use (no hooks: they never recurse into the loop). */
const internal = new WeakMap<World, Api>();
/** per world, per controller: the watched resources' last writes when it last ran (a cache: losing it only costs a pass) */
const lastRun = new WeakMap<World, Map<string, string>>();
const external = new WeakMap<World, Api>();

export function internalApi(world: World): Api {
  let a = internal.get(world);
  if (!a) {
    a = new Api(world);
    internal.set(world, a);
  }
  return a;
}

function ctx(world: World): ControllerContext {
  return { world, api: internalApi(world) };
}

/** Run every controller at the cluster's present until nothing changes. */
export function settle(world: World): void {
  const st = clusterState(world);
  if (!st) return;
  const c = ctx(world);
  let seen = lastRun.get(world);
  if (!seen) lastRun.set(world, (seen = new Map()));
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const before = st.rv;
    for (const ctl of CONTROLLERS) {
      if (ctl.watches) {
        const sig = ctl.watches.map((r) => c.api.lastWrite(r)).join(',');
        if (seen.get(ctl.name) === sig) continue;
        seen.set(ctl.name, sig);
      }
      ctl.reconcile(c);
    }
    if (st.rv === before) break;
  }
  for (const ctl of CONTROLLERS) ctl.afterSettle?.(c);
}

/** A full settle runs at least this often (ms of cluster time) even when nothing was written: kernel-side changes (a stopped containerd, a CNI config written by hand) are noticed. */
const QUIET_SETTLE_MS = 1000;

/** Bring the cluster up to `target` (default: the world's clock), firing the timers due on the way in order. */
export function syncCluster(world: World, target = world.now()): void {
  installKubernetes();
  const st = clusterState(world);
  if (!st) return;
  const c = ctx(world);
  if (target < st.now) target = st.now;
  const rt = st.runtime as { settled?: { rv: number; at: number } };
  // nothing written, no timer due, and settled less than a second ago: nothing can have changed
  if (rt.settled && rt.settled.rv === st.rv && target - rt.settled.at < QUIET_SETTLE_MS) {
    let due = false;
    for (const ctl of CONTROLLERS) {
      const t = ctl.nextWake?.(c) ?? null;
      if (t !== null && t <= target) due = true;
    }
    if (!due) {
      st.now = target;
      return;
    }
  }
  settle(world);
  for (let i = 0; i < MAX_WAKES; i++) {
    let next: number | null = null;
    for (const ctl of CONTROLLERS) {
      const t = ctl.nextWake?.(c) ?? null;
      if (t !== null && (next === null || t < next)) next = t;
    }
    if (next === null || next > target) break;
    st.now = Math.max(st.now, next);
    settle(world);
  }
  st.now = target;
  settle(world);
  rt.settled = { rv: st.rv, at: st.now };
}

/** The cluster's API as clients (kubectl, the HTTP server, node tools) use it. Null when the world has no cluster. */
export function kube(world: World): Api | null {
  if (!clusterState(world)) return null;
  installKubernetes();
  let a = external.get(world);
  if (!a) {
    a = new Api(world, { beforeRequest: () => syncCluster(world), afterWrite: () => settle(world) });
    external.set(world, a);
  }
  return a;
}

/** When the next timer of the cluster falls due (ms), or null: lets a client wait ("kubectl wait", "delete" waiting for a pod to go). */
export function nextClusterEvent(world: World): number | null {
  const st = clusterState(world);
  if (!st) return null;
  const c = ctx(world);
  let next: number | null = null;
  for (const ctl of CONTROLLERS) {
    const t = ctl.nextWake?.(c) ?? null;
    if (t !== null && (next === null || t < next)) next = t;
  }
  return next;
}

/**
 * Is the API server reachable? A cluster whose kube-apiserver runs as a
 * static pod serves only while that container runs (a broken manifest, a
 * crash loop or a restart after an edit make kubectl's connection refused);
 * a cluster built without one (unit tests) always serves.
 */
export function apiServing(world: World): boolean {
  const st = clusterState(world);
  if (!st) return false;
  syncCluster(world);
  const api = internalApi(world);
  const rt = (st.runtime as { kubelet?: { nodes: Record<string, { manifests: Record<string, string> }>; pods: Record<string, { containers: { name: string; state: string }[] }> } }).kubelet;
  if (!rt) return true;
  if (!st.config.apiserverStaticPod) return true;
  const pod = api.scan('pods', 'kube-system', { labelSelector: 'component=kube-apiserver' })[0];
  if (!pod) return false;
  return rt.pods[pod.metadata.uid!]?.containers.some((c) => c.name === 'kube-apiserver' && c.state === 'running') ?? false;
}
