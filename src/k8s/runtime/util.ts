// Small helpers of the kubelet and its runtime: ids from the cluster PRNG,
// image digests, service liveness, the kubelet's events, a pod's container spec.
import type { Api } from '../api/store';
import type { World } from '../../sim/world';
import type { HostId } from '../../sim/types';
import { fnv32a } from '../controllers/util';

/** 64 hex characters from the cluster's PRNG (container and sandbox ids). */
export function hexId(api: Api, n = 64): string {
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

export function event(api: Api, pod: any, node: string, type: 'Normal' | 'Warning', reason: string, message: string, container?: string, init = false): void {
  const live = api.peek('pods', pod.metadata.namespace, pod.metadata.name) ?? pod;
  api.recordEvent(live, { type, reason, message, component: 'kubelet', host: node, fieldPath: container ? `spec.${init ? 'initContainers' : 'containers'}{${container}}` : undefined });
}

export function specContainer(pod: any, name: string): any {
  return [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])].find((c: any) => c.name === name);
}
