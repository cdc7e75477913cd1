// Namespace, garbage-collector, node IPAM and node lifecycle controllers.
import type { Controller, ControllerContext } from './framework';
import type { Api } from '../api/store';
import { parseTime, rfc3339 } from '../api/store';
import { RESOURCES } from '../api/registry';
import type { KObject } from '../api/types';
import { intToV4, v4ToInt } from '../../sim/ip';
import { isTerminating, setCondition } from './util';
import { kubeletRuntime } from '../runtime/state';
import { pruneCorrelator, type CorrelatorState } from '../api/event-correlator';

/** kube-root-ca.crt's data (the cluster CA, a fixed PEM-shaped text). */
export const ROOT_CA = '-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIU0pXVUJBTWUwDQYJKoZIhvcNAQELBQAwFTETMBEGA1UE\nAxMKa3ViZXJuZXRlczAeFw0yNjExMjYxNDM1MDBaFw0zNjExMjQxNDQwMDBaMBUx\nEzARBgNVBAMTCmt1YmVybmV0ZXMwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEK\n-----END CERTIFICATE-----\n';

/** Events live an hour (the apiserver's --event-ttl). */
const EVENT_TTL_MS = 3_600_000;

const namespaces: Controller = {
  name: 'namespace',
  reconcile({ api }: ControllerContext) {
    const now = api.now();
    const rt = api.state.runtime as { eventsSweptAt?: number };
    if (rt.eventsSweptAt === undefined || now - rt.eventsSweptAt >= 60_000) {
      rt.eventsSweptAt = now;
      for (const e of api.scan('events') as any[]) {
        const t = parseTime(e.lastTimestamp) ?? parseTime(e.metadata.creationTimestamp);
        if (t !== null && now - t > EVENT_TTL_MS) api.remove('events', e.metadata.namespace, e.metadata.name);
      }
      // the recorders' caches: what acts as fresh anyway goes
      const rtEvents = api.state.runtime as { events?: CorrelatorState };
      if (rtEvents.events && pruneCorrelator(rtEvents.events, now)) delete rtEvents.events;
    }
    for (const ns of api.scan('namespaces')) {
      const name = ns.metadata.name!;
      if (!isTerminating(ns)) {
        if (!api.peek('serviceaccounts', name, 'default')) api.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } });
        if (!api.peek('configmaps', name, 'kube-root-ca.crt')) api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: name, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } }, data: { 'ca.crt': ROOT_CA } });
        continue;
      }
      // Terminating: delete everything in it, then the namespace goes
      let left = 0;
      for (const info of RESOURCES) {
        if (!info.namespaced || !info.stored) continue;
        for (const o of api.scan(info.resource, name)) {
          left++;
          if (!isTerminating(o)) api.delete(info.resource, name, o.metadata.name!);
          else if (info.resource !== 'pods' && (o.metadata.finalizers ?? []).length === 0) api.remove(info.resource, name, o.metadata.name!);
        }
      }
      if (left === 0) api.remove('namespaces', null, name);
    }
  },
};

/** Delete objects whose owners are gone; finish foreground deletions. */
const garbageCollector: Controller = {
  name: 'garbagecollector',
  watches: ['*creates', '*deletes'],
  reconcile({ api }: ControllerContext) {
    const uids = new Map<string, KObject>();
    const all: [string, KObject][] = [];
    for (const info of RESOURCES) {
      if (!info.stored) continue;
      for (const o of api.scan(info.resource)) {
        uids.set(o.metadata.uid!, o);
        all.push([info.resource, o]);
      }
    }
    for (const [res, o] of all) {
      const refs = o.metadata.ownerReferences ?? [];
      if (refs.length === 0 || isTerminating(o)) continue;
      const alive = refs.filter((r) => {
        const owner = uids.get(r.uid);
        return owner && !(isTerminating(owner) && !(owner.metadata.finalizers ?? []).includes('orphan') && (owner.metadata.finalizers ?? []).includes('foregroundDeletion'));
      });
      if (alive.length === 0) api.delete(res, o.metadata.namespace ?? null, o.metadata.name!, { propagationPolicy: 'Background' });
    }
    // foreground: the owner goes once no dependent is left
    for (const [res, o] of all) {
      if (!isTerminating(o) || !(o.metadata.finalizers ?? []).includes('foregroundDeletion')) continue;
      const deps = all.some(([, x]) => x !== o && api.peek(resFor(x), x.metadata.namespace ?? null, x.metadata.name!) && (x.metadata.ownerReferences ?? []).some((r) => r.uid === o.metadata.uid));
      if (!deps) {
        const cur = api.peek(res, o.metadata.namespace ?? null, o.metadata.name!);
        if (cur) api.update({ ...cur, metadata: { ...cur.metadata, resourceVersion: undefined, finalizers: (cur.metadata.finalizers ?? []).filter((f) => f !== 'foregroundDeletion') } });
      }
    }
  },
};

function resFor(o: KObject): string {
  return RESOURCES.find((r) => r.kind === o.kind && (r.group ? `${r.group}/${r.version}` : r.version) === o.apiVersion)?.resource ?? '';
}

/** nodeipam: each node gets the next free /24 (nodeCIDRMaskSize) of the cluster CIDR, in the order nodes register. */
const nodeIpam: Controller = {
  name: 'nodeipam',
  watches: ['nodes'],
  reconcile({ api }: ControllerContext) {
    const { podCIDR, nodeCIDRMaskSize } = api.config;
    const [base, len] = podCIDR.split('/');
    const step = 2 ** (32 - nodeCIDRMaskSize);
    const count = 2 ** (nodeCIDRMaskSize - Number(len));
    const used = new Set(api.scan('nodes').map((n: any) => n.spec?.podCIDR).filter(Boolean));
    for (const n of api.scan('nodes') as any[]) {
      if (n.spec?.podCIDR) continue;
      for (let i = 0; i < count; i++) {
        const cidr = `${intToV4(((v4ToInt(base!) >>> 0) + i * step) >>> 0)}/${nodeCIDRMaskSize}`;
        if (used.has(cidr)) continue;
        used.add(cidr);
        api.update({ ...n, metadata: { ...n.metadata, resourceVersion: undefined }, spec: { ...n.spec, podCIDR: cidr, podCIDRs: [cidr] } });
        api.recordEvent(n, { type: 'Normal', reason: 'RegisteredNode', message: `Node ${n.metadata.name} event: Registered Node ${n.metadata.name} in Controller`, component: 'node-controller' });
        break;
      }
    }
  },
};

/** node-monitor-grace-period (v1.33 default) */
export const NODE_GRACE_MS = 50_000;
/** the default tolerationSeconds of not-ready / unreachable NoExecute taints */
const EVICT_MS = 300_000;

/** Nodes whose kubelet stopped posting status go Unknown and get the unreachable taints; their pods are evicted after 300 s. */
const nodeLifecycle: Controller = {
  name: 'nodelifecycle',
  reconcile({ api }: ControllerContext) {
    const now = api.now();
    const rt = kubeletRuntime(api);
    for (const n of api.scan('nodes') as any[]) {
      const name = n.metadata.name;
      const nr = rt.nodes[name];
      if (!nr) continue;
      const silent = nr.lastHeartbeat !== null && now - nr.lastHeartbeat >= NODE_GRACE_MS;
      const ready = n.status?.conditions?.find((c: any) => c.type === 'Ready');
      if (silent && ready && ready.status !== 'Unknown') {
        const conds = (n.status.conditions as any[]).map((c: any) => ({ ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: rfc3339(now) }));
        api.updateStatus({ ...n, metadata: { ...n.metadata, resourceVersion: undefined }, status: { ...n.status, conditions: conds } });
        const taints = [...(n.spec?.taints ?? []).filter((t: any) => !t.key.startsWith('node.kubernetes.io/not-ready') && t.key !== 'node.kubernetes.io/unreachable'), { effect: 'NoSchedule', key: 'node.kubernetes.io/unreachable', timeAdded: rfc3339(now) }, { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', timeAdded: rfc3339(now) }];
        const cur: any = api.peek('nodes', null, name);
        api.update({ ...cur, metadata: { ...cur.metadata, resourceVersion: undefined }, spec: { ...cur.spec, taints } });
        api.recordEvent(cur, { type: 'Normal', reason: 'NodeNotReady', message: `Node ${name} status is now: NodeNotReady`, component: 'node-controller' });
        for (const p of api.scan('pods') as any[]) {
          if (p.spec?.nodeName !== name) continue;
          const conds2 = setCondition(p.status?.conditions, { type: 'Ready', status: 'False' }, now, { lastProbeTime: null });
          api.updateStatus({ ...p, metadata: { ...p.metadata, resourceVersion: undefined }, status: { ...p.status, conditions: conds2 } });
          api.recordEvent(p, { type: 'Warning', reason: 'NodeNotReady', message: 'Node is not ready', component: 'node-controller' });
        }
      }
      // NoExecute eviction after the pods' tolerationSeconds
      const unreach = (n.spec?.taints ?? []).find((t: any) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute');
      if (unreach) {
        const since = parseTime(unreach.timeAdded) ?? now;
        for (const p of api.scan('pods') as any[]) {
          if (p.spec?.nodeName !== name || isTerminating(p)) continue;
          const tol = (p.spec.tolerations ?? []).find((t: any) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute');
          if (tol && tol.tolerationSeconds === undefined) continue;
          const secs = tol?.tolerationSeconds ?? 0;
          if (now - since >= secs * 1000) {
            api.delete('pods', p.metadata.namespace, p.metadata.name);
            api.recordEvent(p, { type: 'Normal', reason: 'TaintManagerEviction', message: `Marking for deletion Pod ${p.metadata.namespace}/${p.metadata.name}`, component: 'taint-eviction-controller' });
          }
        }
      }
    }
  },
  nextWake({ api, world }: ControllerContext) {
    const now = api.now();
    const rt = kubeletRuntime(api);
    let next: number | null = null;
    const take = (t: number) => {
      if (t > now && (next === null || t < next)) next = t;
    };
    for (const n of api.scan('nodes') as any[]) {
      const nr = rt.nodes[n.metadata.name];
      const ready = n.status?.conditions?.find((c: any) => c.type === 'Ready');
      // a live kubelet refreshes its heartbeat on every pass: only a stopped one has a deadline
      if (nr && nr.lastHeartbeat !== null && ready && ready.status !== 'Unknown' && !world.state.hosts[nr.host]?.processes.some((p) => p.comm === 'kubelet')) take(nr.lastHeartbeat + NODE_GRACE_MS);
      const unreach = (n.spec?.taints ?? []).find((t: any) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute');
      if (unreach && api.scan('pods').some((p: any) => p.spec?.nodeName === n.metadata.name && !isTerminating(p))) take((parseTime(unreach.timeAdded) ?? now) + EVICT_MS);
    }
    return next;
  },
};

export const LIFECYCLE_CONTROLLERS = [namespaces, nodeIpam, garbageCollector, nodeLifecycle];
export type { Api };
