// kubectl describe deployment, replicaset, daemonset.
import type { KObject } from '../../../k8s/api';
import { PrefixWriter } from './tabwriter';
import { annotationsBlock, eventsBlock, formatLabels, labelsBlock, refOf, rfc1123z, searchEvents, selectorString, type Any, type DescribeContext } from './common';
import { controllerOf, podTemplateBlock } from './pod';
import { selectorMatches } from '../../../k8s/api';

/** getPodStatusForController: the phases of the pods the controller owns */
function podPhases(ctx: DescribeContext, o: KObject): string {
  const sel = (o as Any).spec?.selector;
  const n = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 } as Record<string, number>;
  for (const p of ctx.api.scan('pods', o.metadata.namespace ?? null) as Any[]) {
    if (!selectorMatches(sel, p.metadata.labels)) continue;
    const ref = (p.metadata.ownerReferences ?? []).find((r: Any) => r.controller);
    if (!ref || ref.uid !== o.metadata.uid) continue;
    if (p.status?.phase in n) n[p.status.phase]!++;
  }
  return `${n.Running} Running / ${n.Pending} Waiting / ${n.Succeeded} Succeeded / ${n.Failed} Failed`;
}

function events(ctx: DescribeContext, w: PrefixWriter, o: KObject, kind: string): void {
  if (ctx.showEvents) eventsBlock(w, searchEvents(ctx.api, refOf(o, kind)), ctx.now);
}

function conditionsBlock(w: PrefixWriter, conditions: Any[] | undefined): void {
  if (!conditions?.length) return;
  w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(1, '----\t------\t------\n');
  for (const c of conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
}

/** JSON with sorted keys, empty maps and lists dropped (apiequality.Semantic treats nil and empty alike) */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? v.map(canonical) : undefined;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const c = canonical((v as Record<string, unknown>)[k]);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}

function templateKey(t: Any | undefined): string {
  const copy = JSON.parse(JSON.stringify(t ?? {}));
  if (copy.metadata?.labels) delete copy.metadata.labels['pod-template-hash'];
  return JSON.stringify(canonical(copy) ?? {});
}

function rsList(list: Any[]): string {
  return list.length ? list.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`).join(', ') : '<none>';
}

export function describeDeployment(ctx: DescribeContext, o: KObject): string {
  const d = o as Any;
  const w = new PrefixWriter();
  const st = d.status ?? {};
  w.write(0, `Name:\t${d.metadata.name}\n`);
  w.write(0, `Namespace:\t${d.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`);
  labelsBlock(w, 'Labels', d.metadata.labels);
  annotationsBlock(w, 'Annotations', d.metadata.annotations);
  w.write(0, `Selector:\t${selectorString(d.spec.selector)}\n`);
  w.write(0, `Replicas:\t${d.spec.replicas ?? 0} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`);
  w.write(0, `StrategyType:\t${d.spec.strategy?.type ?? ''}\n`);
  w.write(0, `MinReadySeconds:\t${d.spec.minReadySeconds ?? 0}\n`);
  const ru = d.spec.strategy?.rollingUpdate;
  if (ru) w.write(0, `RollingUpdateStrategy:\t${ru.maxUnavailable ?? 0} max unavailable, ${ru.maxSurge ?? 0} max surge\n`);
  podTemplateBlock(w, d.spec.template);
  conditionsBlock(w, st.conditions);
  const owned = (ctx.api.scan('replicasets', d.metadata.namespace) as Any[])
    .filter((rs) => selectorMatches(d.spec.selector, rs.metadata.labels) && (rs.metadata.ownerReferences ?? []).some((r: Any) => r.controller && r.uid === d.metadata.uid))
    .sort((a, b) => (a.metadata.creationTimestamp === b.metadata.creationTimestamp ? (a.metadata.name < b.metadata.name ? -1 : 1) : a.metadata.creationTimestamp < b.metadata.creationTimestamp ? -1 : 1));
  const key = templateKey(d.spec.template);
  const newRs = owned.find((rs) => templateKey(rs.spec?.template) === key);
  const old = owned.filter((rs) => rs !== newRs);
  if (owned.length) {
    w.write(0, `OldReplicaSets:\t${rsList(old)}\n`);
    w.write(0, `NewReplicaSet:\t${rsList(newRs ? [newRs] : [])}\n`);
  }
  events(ctx, w, o, 'Deployment');
  return w.toString();
}

export function describeReplicaSet(ctx: DescribeContext, o: KObject): string {
  const rs = o as Any;
  const w = new PrefixWriter();
  w.write(0, `Name:\t${rs.metadata.name}\n`);
  w.write(0, `Namespace:\t${rs.metadata.namespace}\n`);
  w.write(0, `Selector:\t${selectorText(rs.spec.selector)}\n`);
  labelsBlock(w, 'Labels', rs.metadata.labels);
  annotationsBlock(w, 'Annotations', rs.metadata.annotations);
  const ctl = controllerOf(o);
  if (ctl) w.write(0, `Controlled By:\t${ctl}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec.replicas ?? 0} desired\n`);
  w.write(0, `Pods Status:\t${podPhases(ctx, o)}\n`);
  podTemplateBlock(w, rs.spec.template);
  conditionsBlock(w, rs.status?.conditions);
  events(ctx, w, o, 'ReplicaSet');
  return w.toString();
}

/** metav1.FormatLabelSelector (match labels, then expressions) */
function selectorText(sel: Any | undefined): string {
  if (!sel) return '<none>';
  const parts: string[] = Object.keys(sel.matchLabels ?? {}).sort().map((k) => `${k}=${sel.matchLabels[k]}`);
  for (const e of sel.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',');
    parts.push(e.operator === 'Exists' ? e.key : e.operator === 'DoesNotExist' ? `!${e.key}` : `${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${vals})`);
  }
  return parts.join(',') || '<none>';
}

export function describeDaemonSet(ctx: DescribeContext, o: KObject): string {
  const ds = o as Any;
  const st = ds.status ?? {};
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ds.metadata.name}\n`);
  w.write(0, `Namespace:\t${ds.metadata.namespace}\n`);
  w.write(0, `Selector:\t${selectorString(ds.spec.selector)}\n`);
  const ns = ds.spec.template?.spec?.nodeSelector;
  w.write(0, `Node-Selector:\t${Object.keys(ns ?? {}).length ? formatLabels(ns) : '<none>'}\n`);
  labelsBlock(w, 'Labels', ds.metadata.labels);
  annotationsBlock(w, 'Annotations', ds.metadata.annotations);
  w.write(0, `Desired Number of Nodes Scheduled: ${st.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${st.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${st.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${st.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${st.numberMisscheduled ?? 0}\n`);
  w.write(0, `Pods Status:\t${podPhases(ctx, o)}\n`);
  podTemplateBlock(w, ds.spec.template);
  events(ctx, w, o, 'DaemonSet');
  return w.toString();
}
