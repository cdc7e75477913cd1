// kube-scheduler: binds each pending pod to a node that fits (nodeName,
// nodeSelector, node affinity by metadata.name / labels, taints and
// tolerations, cordoned nodes), spreading pods over the fitting nodes; and
// the FailedScheduling text when none fits.
import type { Controller, ControllerContext } from './framework';
import type { Api } from '../api/store';
import { fromLabelSelector, matches } from '../api/selectors';
import { isTerminating, setCondition } from './util';

export function tolerates(tolerations: any[], taint: any): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/** nodeSelector and required node affinity (matchExpressions on labels, matchFields on metadata.name). */
export function nodeMatchesSelector(node: any, spec: any): boolean {
  const labels = node.metadata.labels ?? {};
  if (spec?.nodeSelector && !matches(fromLabelSelector({ matchLabels: spec.nodeSelector }), labels)) return false;
  const terms: any[] | undefined = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return true;
  return terms.some((t) => {
    const exprOk = (t.matchExpressions ?? []).every((e: any) => {
      const has = e.key in labels;
      const v = labels[e.key];
      switch (e.operator) {
        case 'In':
          return has && (e.values ?? []).includes(v);
        case 'NotIn':
          return !has || !(e.values ?? []).includes(v);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
        case 'Gt':
          return has && Number(v) > Number(e.values?.[0]);
        case 'Lt':
          return has && Number(v) < Number(e.values?.[0]);
        default:
          return false;
      }
    });
    const fieldOk = (t.matchFields ?? []).every((f: any) => (f.operator === 'In' ? (f.values ?? []).includes(node.metadata.name) : !(f.values ?? []).includes(node.metadata.name)));
    return exprOk && fieldOk;
  });
}

/** Why a node does not fit a pod (the scheduler's plugin reason text), or null. */
function misfit(api: Api, node: any, pod: any): string | null {
  if (pod.spec.nodeName && pod.spec.nodeName !== node.metadata.name) return "node(s) didn't match the requested node name";
  if (!nodeMatchesSelector(node, pod.spec)) return "node(s) didn't match Pod's node affinity/selector";
  const tol = pod.spec.tolerations ?? [];
  if (node.spec?.unschedulable && !tolerates(tol, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) return 'node(s) were unschedulable';
  for (const t of node.spec?.taints ?? []) {
    if (t.effect !== 'NoSchedule' && t.effect !== 'NoExecute') continue;
    if (!tolerates(tol, t)) return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;
  }
  // host ports
  const wanted = (pod.spec.containers ?? []).flatMap((c: any) => (c.ports ?? []).filter((p: any) => p.hostPort).map((p: any) => `${p.protocol ?? 'TCP'}/${p.hostPort}`));
  if (wanted.length) {
    const used = new Set(
      api
        .scan('pods')
        .filter((p: any) => p.spec?.nodeName === node.metadata.name && !isTerminating(p) && p.metadata.uid !== pod.metadata.uid)
        .flatMap((p: any) => (p.spec.containers ?? []).flatMap((c: any) => (c.ports ?? []).filter((x: any) => x.hostPort).map((x: any) => `${x.protocol ?? 'TCP'}/${x.hostPort}`))),
    );
    if (wanted.some((w: string) => used.has(w))) return "node(s) didn't have free ports for the requested pod ports";
  }
  return null;
}

const scheduler: Controller = {
  name: 'scheduler',
  watches: ['pods', 'nodes'],
  reconcile({ api }: ControllerContext) {
    const pending = api.scan('pods').filter((p: any) => !p.spec?.nodeName && !isTerminating(p) && (p.spec?.schedulerName ?? 'default-scheduler') === 'default-scheduler') as any[];
    if (pending.length === 0) return;
    const nodes = api.scan('nodes') as any[];
    for (const pod of pending) {
      const reasons = new Map<string, number>();
      const fit: any[] = [];
      for (const n of nodes) {
        const why = misfit(api, n, pod);
        if (why) reasons.set(why, (reasons.get(why) ?? 0) + 1);
        else fit.push(n);
      }
      const ns = pod.metadata.namespace;
      if (fit.length === 0) {
        const detail = [...reasons.entries()].map(([r, n]) => `${n} ${r}`).sort();
        const msg = `0/${nodes.length} nodes are available${detail.length ? ': ' + detail.join(', ') : ''}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
        const cur = pod.status?.conditions?.find((c: any) => c.type === 'PodScheduled');
        if (cur?.message === msg) continue;
        api.updateStatus({ ...pod, metadata: { ...pod.metadata, resourceVersion: undefined }, status: { ...pod.status, conditions: setCondition(pod.status?.conditions, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg }, api.now(), { lastProbeTime: null }) } });
        api.recordEvent(pod, { type: 'Warning', reason: 'FailedScheduling', message: msg, component: 'default-scheduler' });
        continue;
      }
      // spread: the fitting nodes with the fewest pods, ties drawn at random
      const load = (n: any) => api.scan('pods').filter((p: any) => p.spec?.nodeName === n.metadata.name && !isTerminating(p)).length;
      const loads = fit.map((n) => ({ n, l: load(n) }));
      const min = Math.min(...loads.map((x) => x.l));
      const best = loads.filter((x) => x.l === min).map((x) => x.n);
      const node = best[Math.floor(api.random() * best.length)];
      bind(api, pod, node.metadata.name);
    }
  },
};

function bind(api: Api, pod: any, nodeName: string): void {
  const ns = pod.metadata.namespace;
  const stored: any = api.peek('pods', ns, pod.metadata.name);
  // a Binding: the apiserver sets spec.nodeName (not an ordinary update: pod specs are immutable)
  stored.spec = { ...stored.spec, nodeName };
  stored.metadata.resourceVersion = String(++api.state.rv);
  const conds = setCondition(stored.status?.conditions, { type: 'PodScheduled', status: 'True' }, api.now(), { lastProbeTime: null });
  api.updateStatus({ ...stored, metadata: { ...stored.metadata, resourceVersion: undefined }, status: { ...stored.status, conditions: conds.map((c: any) => (c.type === 'PodScheduled' ? { lastProbeTime: null, lastTransitionTime: c.lastTransitionTime, status: 'True', type: 'PodScheduled' } : c)) } });
  api.recordEvent(api.peek('pods', ns, pod.metadata.name)!, { type: 'Normal', reason: 'Scheduled', message: `Successfully assigned ${ns}/${pod.metadata.name} to ${nodeName}`, component: 'default-scheduler' });
}

export const SCHEDULER = scheduler;
