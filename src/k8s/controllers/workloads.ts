// kube-controller-manager's workload controllers: Deployment → ReplicaSet →
// Pods, and DaemonSet → one Pod per eligible node.
import type { Controller, ControllerContext } from './framework';
import type { Api } from '../api/store';
import { rfc3339 } from '../api/store';
import type { KObject } from '../api/types';
import { fromLabelSelector, matches } from '../api/selectors';
import { clone, controllerRef, intOrPercent, isTerminating, ownerRefTo, podActive, podReady, setCondition, templateHash, writeStatus } from './util';
import { tolerates, nodeMatchesSelector } from './scheduling';

const REVISION = 'deployment.kubernetes.io/revision';

function owned(api: Api, resource: string, owner: KObject): KObject[] {
  return api.scan(resource, owner.metadata.namespace ?? null).filter((o) => controllerRef(o)?.uid === owner.metadata.uid);
}

/** A pod template as the deployment controller compares them (apiequality.Semantic): without the
 * pod-template-hash label, keys in order, a null creationTimestamp (as Go clients send it) the same as none. */
function templateWithoutHash(t: any): any {
  const c = clone(t ?? {});
  if (c.metadata?.labels) delete c.metadata.labels['pod-template-hash'];
  if (c.metadata && c.metadata.creationTimestamp === null) delete c.metadata.creationTimestamp;
  const sorted = (v: any): any => (Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v);
  return sorted(c);
}

// the text of a stored template without its hash, by template object (stored objects are replaced, never changed)
const templateKeys = new WeakMap<object, string>();
function templateKey(t: any): string {
  if (!t || typeof t !== 'object') return JSON.stringify(templateWithoutHash(t));
  let k = templateKeys.get(t);
  if (k === undefined) {
    k = JSON.stringify(templateWithoutHash(t));
    templateKeys.set(t, k);
  }
  return k;
}

function event(api: Api, obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string, component: string): void {
  api.recordEvent(obj, { type, reason, message, component });
}

// ---------------------------------------------------------------- ReplicaSet

/** Which pods go first when a ReplicaSet scales down (controller.ActivePods ranking). */
function deletionRank(p: any): number[] {
  const scheduled = p.spec?.nodeName ? 1 : 0;
  const phase = p.status?.phase === 'Pending' ? 0 : p.status?.phase === 'Unknown' ? 1 : 2;
  const ready = podReady(p) ? 1 : 0;
  const restarts = -(p.status?.containerStatuses ?? []).reduce((a: number, c: any) => a + (c.restartCount ?? 0), 0);
  const created = -Date.parse(p.metadata.creationTimestamp ?? '1970-01-01T00:00:00Z');
  return [scheduled, phase, ready, restarts, created];
}

function rankCompare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

export function newPodFromTemplate(owner: KObject, template: any, extraLabels: Record<string, string> = {}): any {
  const t = clone(template ?? {});
  const meta = t.metadata ?? {};
  delete meta.creationTimestamp;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...meta,
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: { ...(meta.labels ?? {}), ...extraLabels },
      ownerReferences: [ownerRefTo(owner)],
    },
    spec: t.spec,
  };
}

const replicaSets: Controller = {
  name: 'replicaset',
  watches: ['replicasets', 'pods'],
  reconcile({ api }: ControllerContext) {
    for (const rs0 of api.scan('replicasets')) {
      const rs: any = rs0;
      if (isTerminating(rs)) continue;
      const sel = fromLabelSelector(rs.spec.selector);
      const ns = rs.metadata.namespace;
      // adopt orphans that match, release owned pods that no longer match
      for (const p of api.scan('pods', ns)) {
        const ref = controllerRef(p);
        if (!ref && !isTerminating(p) && matches(sel, p.metadata.labels)) {
          api.patch('pods', ns, p.metadata.name!, 'merge', { metadata: { ownerReferences: [...(p.metadata.ownerReferences ?? []), ownerRefTo(rs)] } });
        } else if (ref?.uid === rs.metadata.uid && !matches(sel, p.metadata.labels)) {
          api.patch('pods', ns, p.metadata.name!, 'merge', { metadata: { ownerReferences: (p.metadata.ownerReferences ?? []).filter((x) => x.uid !== rs.metadata.uid) } });
        }
      }
      const pods = owned(api, 'pods', rs);
      const active = pods.filter(podActive);
      const want = rs.spec.replicas ?? 1;
      if (active.length < want) {
        for (let i = active.length; i < want; i++) {
          const p = api.create(newPodFromTemplate(rs, rs.spec.template));
          event(api, rs, 'Normal', 'SuccessfulCreate', `Created pod: ${p.metadata.name}`, 'replicaset-controller');
        }
      } else if (active.length > want) {
        const victims = [...active].sort((a, b) => rankCompare(deletionRank(a), deletionRank(b))).slice(0, active.length - want);
        for (const v of victims) {
          api.delete('pods', ns, v.metadata.name!);
          event(api, rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${v.metadata.name}`, 'replicaset-controller');
        }
      }
      const now = owned(api, 'pods', rs).filter(podActive);
      const ready = now.filter(podReady).length;
      const status: any = { replicas: now.length };
      const labeled = now.filter((p) => matches(fromLabelSelector({ matchLabels: rs.spec.template?.metadata?.labels ?? {} }), p.metadata.labels)).length;
      if (labeled) status.fullyLabeledReplicas = labeled;
      if (ready) status.readyReplicas = ready;
      if (ready) status.availableReplicas = ready;
      status.observedGeneration = rs.metadata.generation;
      writeStatus(api, api.peek('replicasets', ns, rs.metadata.name)!, status);
    }
  },
};

// ---------------------------------------------------------------- Deployment

function revisionOf(rs: KObject): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? 0);
}

const deployments: Controller = {
  name: 'deployment',
  watches: ['deployments', 'replicasets', 'pods'],
  reconcile({ api }: ControllerContext) {
    for (const d0 of api.scan('deployments')) {
      const d: any = d0;
      if (isTerminating(d)) continue;
      const ns = d.metadata.namespace;
      const replicas: number = d.spec.replicas ?? 1;
      const rsList = owned(api, 'replicasets', d).filter((r) => !isTerminating(r)) as any[];
      const want = templateKey(d.spec.template);
      let newRs = rsList.find((r) => templateKey(r.spec.template) === want) ?? null;
      const olds = rsList.filter((r) => r !== newRs);
      const maxRev = rsList.reduce((m, r) => Math.max(m, revisionOf(r)), 0);
      const surge = d.spec.strategy?.type === 'Recreate' ? 0 : intOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge ?? '25%', replicas, true);
      let unavail = d.spec.strategy?.type === 'Recreate' ? replicas : intOrPercent(d.spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%', replicas, false);
      if (surge === 0 && unavail === 0) unavail = 1;
      const annotations = (rev: number) => ({ 'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/max-replicas': String(replicas + surge), [REVISION]: String(rev) });
      if (d.spec.paused) continue;
      let created = false;
      if (!newRs) {
        const hash = templateHash(d.spec.template, d.status?.collisionCount);
        const tmpl = clone(d.spec.template);
        tmpl.metadata = { ...(tmpl.metadata ?? {}), labels: { ...(tmpl.metadata?.labels ?? {}), 'pod-template-hash': hash } };
        const oldActive = olds.reduce((n, r) => n + (r.spec.replicas ?? 0), 0);
        const initial = d.spec.strategy?.type === 'Recreate' ? (oldActive > 0 ? 0 : replicas) : Math.max(0, Math.min(replicas, replicas + surge - oldActive));
        const existing = api.peek('replicasets', ns, `${d.metadata.name}-${hash}`);
        if (existing) continue; // a collision: leave it (collisionCount handling is not simulated)
        newRs = api.create({
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: { name: `${d.metadata.name}-${hash}`, namespace: ns, labels: { ...(d.spec.template?.metadata?.labels ?? {}), 'pod-template-hash': hash }, annotations: annotations(maxRev + 1), ownerReferences: [ownerRefTo(d)] },
          spec: { replicas: initial, selector: { ...clone(d.spec.selector), matchLabels: { ...(d.spec.selector.matchLabels ?? {}), 'pod-template-hash': hash } }, template: tmpl, minReadySeconds: d.spec.minReadySeconds },
        }) as any;
        if (initial > 0) event(api, d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${newRs.metadata.name} from 0 to ${initial}`, 'deployment-controller');
        created = true;
      } else if (revisionOf(newRs) < maxRev) {
        // rolled back to an older template: it becomes the newest revision
        newRs = api.patch('replicasets', ns, newRs.metadata.name, 'merge', { metadata: { annotations: annotations(maxRev + 1) } }) as any;
      }
      const nrs: any = newRs!;
      const scaleRs = (rs: any, to: number) => {
        const from = rs.spec.replicas ?? 0;
        if (from === to) return;
        api.patch('replicasets', ns, rs.metadata.name, 'merge', { spec: { replicas: to }, metadata: { annotations: { 'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/max-replicas': String(replicas + surge) } } });
        event(api, d, 'Normal', 'ScalingReplicaSet', `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`, 'deployment-controller');
      };
      const activeOlds = olds.filter((r) => (r.spec.replicas ?? 0) > 0);
      if (d.spec.strategy?.type === 'Recreate') {
        for (const r of activeOlds) scaleRs(r, 0);
        const oldPods = olds.flatMap((r) => owned(api, 'pods', r));
        if (oldPods.length === 0) scaleRs(api.peek('replicasets', ns, nrs.metadata.name), replicas);
      } else if (activeOlds.length === 0) {
        scaleRs(api.peek('replicasets', ns, nrs.metadata.name), replicas);
      } else {
        // rolling update: surge the new one, then take down old ones while enough are available
        const cur = api.peek('replicasets', ns, nrs.metadata.name) as any;
        const total = rsList.reduce((n, r) => n + ((api.peek('replicasets', ns, r.metadata.name) as any)?.spec.replicas ?? 0), 0);
        const up = Math.min(replicas, (cur.spec.replicas ?? 0) + Math.max(0, replicas + surge - total));
        if (up > (cur.spec.replicas ?? 0)) scaleRs(cur, up);
        const allPods = rsList.flatMap((r) => owned(api, 'pods', r)).filter(podActive);
        const available = allPods.filter(podReady).length;
        let canRemove = available - (replicas - unavail);
        // old pods that are not ready can go without hurting availability
        for (const r of activeOlds) {
          const live = api.peek('replicasets', ns, r.metadata.name) as any;
          const pods = owned(api, 'pods', live).filter(podActive);
          const unhealthy = pods.filter((p) => !podReady(p)).length;
          const n = Math.min(live.spec.replicas ?? 0, Math.max(0, canRemove) + unhealthy);
          if (n > 0) {
            scaleRs(live, (live.spec.replicas ?? 0) - n);
            canRemove -= Math.max(0, n - unhealthy);
          }
        }
      }
      // old ReplicaSets beyond the history limit go
      const limit = d.spec.revisionHistoryLimit ?? 10;
      const dead = olds.filter((r) => (api.peek('replicasets', ns, r.metadata.name) as any)?.spec.replicas === 0 && (api.peek('replicasets', ns, r.metadata.name) as any)?.status?.replicas === 0).sort((a, b) => revisionOf(a) - revisionOf(b));
      for (const r of dead.slice(0, Math.max(0, dead.length - limit))) api.delete('replicasets', ns, r.metadata.name);
      // status
      const live = owned(api, 'replicasets', d) as any[];
      const nlive = live.find((r) => r.metadata.name === nrs.metadata.name);
      const sum = (f: (r: any) => number) => live.reduce((n, r) => n + f(r), 0);
      const st: any = {
        observedGeneration: d.metadata.generation,
        replicas: sum((r) => r.status?.replicas ?? 0),
        updatedReplicas: nlive?.status?.replicas ?? 0,
        readyReplicas: sum((r) => r.status?.readyReplicas ?? 0),
        availableReplicas: sum((r) => r.status?.availableReplicas ?? 0),
      };
      const unavailable = Math.max(0, replicas - st.availableReplicas);
      if (unavailable) st.unavailableReplicas = unavailable;
      for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas']) if (!st[k]) delete st[k];
      const now = api.now();
      const cur: any = api.peek('deployments', ns, d.metadata.name);
      let conds = cur.status?.conditions ?? [];
      const minAvail = replicas - unavail;
      const availOk = (st.availableReplicas ?? 0) >= minAvail;
      conds = setCondition(conds, availOk ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' } : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }, now, { lastUpdateTime: rfc3339(now) });
      const complete = (st.updatedReplicas ?? 0) === replicas && (st.replicas ?? 0) === replicas && (st.availableReplicas ?? 0) === replicas;
      const prog = conds.find((c: any) => c.type === 'Progressing');
      const progReason = complete ? 'NewReplicaSetAvailable' : created ? 'NewReplicaSetCreated' : prog?.reason === 'NewReplicaSetCreated' && (st.updatedReplicas ?? 0) === 0 ? 'NewReplicaSetCreated' : 'ReplicaSetUpdated';
      const progMsg = progReason === 'NewReplicaSetAvailable' ? `ReplicaSet "${nrs.metadata.name}" has successfully progressed.` : progReason === 'NewReplicaSetCreated' ? `Created new replica set "${nrs.metadata.name}"` : `ReplicaSet "${nrs.metadata.name}" is progressing.`;
      if (!prog || prog.reason !== progReason || prog.message !== progMsg) {
        conds = setCondition(conds, { type: 'Progressing', status: 'True', reason: progReason, message: progMsg }, now, { lastUpdateTime: rfc3339(now) });
      }
      // keep each condition's lastUpdateTime when nothing about it changed
      conds = conds.map((c: any) => {
        const o = (cur.status?.conditions ?? []).find((x: any) => x.type === c.type);
        return o && o.status === c.status && o.reason === c.reason && o.message === c.message ? o : c;
      });
      st.conditions = [...conds].sort((a: any, b: any) => (a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0));
      if (cur.status?.collisionCount !== undefined) st.collisionCount = cur.status.collisionCount;
      writeStatus(api, cur, st);
      // the deployment's revision annotation follows the new ReplicaSet's
      const rev = String(revisionOf(api.peek('replicasets', ns, nrs.metadata.name)!));
      if (cur.metadata.annotations?.[REVISION] !== rev) api.patch('deployments', ns, d.metadata.name, 'merge', { metadata: { annotations: { [REVISION]: rev } } });
    }
  },
};

// ---------------------------------------------------------------- DaemonSet

// by stored template object (stored objects are replaced, never changed; copies of a world do not share them)
const hashCache = new WeakMap<object, string>();
/** templateHash of a DaemonSet's template, computed once per stored template. */
function cachedHash(ds: any): string {
  const t = ds.spec.template;
  let h = t && typeof t === 'object' ? hashCache.get(t) : undefined;
  if (h === undefined) {
    h = templateHash(t);
    if (t && typeof t === 'object') hashCache.set(t, h);
  }
  return h;
}

/** The tolerations the DaemonSet controller adds to its pods. */
export function daemonTolerations(hostNetwork: boolean): any[] {
  const t = [
    { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
    { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists' },
    { effect: 'NoSchedule', key: 'node.kubernetes.io/disk-pressure', operator: 'Exists' },
    { effect: 'NoSchedule', key: 'node.kubernetes.io/memory-pressure', operator: 'Exists' },
    { effect: 'NoSchedule', key: 'node.kubernetes.io/pid-pressure', operator: 'Exists' },
    { effect: 'NoSchedule', key: 'node.kubernetes.io/unschedulable', operator: 'Exists' },
  ];
  if (hostNetwork) t.push({ effect: 'NoSchedule', key: 'node.kubernetes.io/network-unavailable', operator: 'Exists' });
  return t;
}

const daemonSets: Controller = {
  name: 'daemonset',
  watches: ['daemonsets', 'pods', 'nodes'],
  reconcile({ api }: ControllerContext) {
    for (const ds0 of api.scan('daemonsets')) {
      const ds: any = ds0;
      if (isTerminating(ds)) continue;
      const ns = ds.metadata.namespace;
      const gen = String(ds.metadata.generation ?? 1);
      const hash = cachedHash(ds);
      const nodes = api.scan('nodes') as any[];
      const pods = owned(api, 'pods', ds) as any[];
      const tol = [...(ds.spec.template?.spec?.tolerations ?? []), ...daemonTolerations(!!ds.spec.template?.spec?.hostNetwork)];
      const eligible = nodes.filter((n) => nodeMatchesSelector(n, ds.spec.template?.spec) && (n.spec?.taints ?? []).filter((t: any) => t.effect === 'NoSchedule' || t.effect === 'NoExecute').every((t: any) => tolerates(tol, t)));
      let unavailable = 0;
      const maxUnavailable = intOrPercent(ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, eligible.length, true) || 1;
      for (const n of eligible) {
        const mine = pods.filter((p) => targetNode(p) === n.metadata.name && podActive(p));
        if (mine.length === 0) {
          if (pods.some((p) => targetNode(p) === n.metadata.name && isTerminating(p))) continue;
          const pod = newPodFromTemplate(ds, ds.spec.template, { 'controller-revision-hash': hash, 'pod-template-generation': gen });
          pod.spec.affinity = { ...(pod.spec.affinity ?? {}), nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [n.metadata.name] }] }] } } };
          const have = pod.spec.tolerations ?? [];
          pod.spec.tolerations = [...have, ...daemonTolerations(!!pod.spec.hostNetwork).filter((t) => !have.some((h: any) => h.key === t.key && h.effect === t.effect))];
          const p = api.create(pod);
          event(api, ds, 'Normal', 'SuccessfulCreate', `Created pod: ${p.metadata.name}`, 'daemonset-controller');
          unavailable++;
        } else {
          for (const extra of mine.slice(1)) api.delete('pods', ns, extra.metadata.name);
          if (!podReady(mine[0])) unavailable++;
        }
      }
      // rolling update: replace pods of an older template, maxUnavailable at a time
      if (ds.spec.updateStrategy?.type !== 'OnDelete') {
        for (const p of pods) {
          if (!podActive(p) || p.metadata.labels?.['controller-revision-hash'] === hash) continue;
          if (unavailable >= maxUnavailable && podReady(p)) break;
          api.delete('pods', ns, p.metadata.name);
          event(api, ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, 'daemonset-controller');
          if (podReady(p)) unavailable++;
        }
      }
      // pods on nodes no longer eligible
      for (const p of pods) {
        const tn = targetNode(p);
        if (podActive(p) && tn && !eligible.some((n) => n.metadata.name === tn)) api.delete('pods', ns, p.metadata.name);
      }
      const live = owned(api, 'pods', ds).filter(podActive) as any[];
      const onEligible = live.filter((p) => eligible.some((n) => n.metadata.name === targetNode(p)));
      const ready = onEligible.filter(podReady);
      const st: any = {
        currentNumberScheduled: onEligible.filter((p) => p.spec.nodeName).length,
        desiredNumberScheduled: eligible.length,
        numberAvailable: ready.length,
        numberMisscheduled: live.length - onEligible.length,
        numberReady: ready.length,
        observedGeneration: ds.metadata.generation,
        updatedNumberScheduled: onEligible.filter((p) => p.metadata.labels?.['controller-revision-hash'] === hash).length,
      };
      if (eligible.length - ready.length > 0) st.numberUnavailable = eligible.length - ready.length;
      if (!st.numberAvailable) delete st.numberAvailable;
      if (!st.updatedNumberScheduled) delete st.updatedNumberScheduled;
      writeStatus(api, api.peek('daemonsets', ns, ds.metadata.name)!, st);
      if (ds.metadata.annotations?.['deprecated.daemonset.template.generation'] !== gen) api.patch('daemonsets', ns, ds.metadata.name, 'merge', { metadata: { annotations: { 'deprecated.daemonset.template.generation': gen } } });
    }
  },
};

/** The node a pod is bound to, or the one its DaemonSet affinity names. */
function targetNode(p: any): string | undefined {
  if (p.spec?.nodeName) return p.spec.nodeName;
  const terms = p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) for (const f of t.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In') return f.values?.[0];
  return undefined;
}

export const WORKLOAD_CONTROLLERS = [deployments, replicaSets, daemonSets];
