// The running cluster: the API wired to its controllers. Every request
// first brings the controllers up to the world's clock (timers that fell
// due while time passed: image pulls, container starts, crash back-offs,
// node heartbeats), and every write is followed by running the controllers
// to quiescence at the present instant.
import type { World } from '../sim/world';
import { Api, clusterState } from './api/store';
import { type ControllerContext } from './controllers/framework';
import { CONTROLLERS } from './controllers/index';

const MAX_PASSES = 60;
const MAX_WAKES = 20_000;

/** The internal API the controllers use (no hooks: they never recurse into the loop). */
const internal = new WeakMap<World, Api>();
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
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const before = st.rv;
    for (const ctl of CONTROLLERS) ctl.reconcile(c);
    if (st.rv === before) break;
  }
  for (const ctl of CONTROLLERS) ctl.afterSettle?.(c);
}

/** Bring the cluster up to `target` (default: the world's clock), firing the timers due on the way in order. */
export function syncCluster(world: World, target = world.now()): void {
  const st = clusterState(world);
  if (!st) return;
  const c = ctx(world);
  if (target < st.now) target = st.now;
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
}

/** The cluster's API as clients (kubectl, the HTTP server, node tools) use it. Null when the world has no cluster. */
export function kube(world: World): Api | null {
  if (!clusterState(world)) return null;
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
