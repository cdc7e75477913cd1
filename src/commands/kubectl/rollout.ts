// kubectl rollout status|history|undo|restart|pause|resume for Deployments (and status/restart for
// DaemonSets): status waits on the simulated clock (the cluster's next event, as kubectl waits on a watch),
// printing each new state of the rollout; history and undo read the ReplicaSets' revisions.
import type { Ctx } from './index';
import { ordered, type CmdResult } from '../types';
import { rfc3339, type Api, type KObject, type ResourceInfo } from '../../k8s/api';
import { call, qualifiedName, sortedCopy } from './client';
import { targetsOf } from './get';
import { UsageError } from './generators';
import { dryRunOf } from './create';
import { parseDuration } from './flags';
import { waitFor } from './write';
import { PrefixWriter } from './describe/tabwriter';
import { podTemplateBlock } from './describe/pod';

type Any = Record<string, any>;
const REVISION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';

interface One {
  info: ResourceInfo;
  obj: KObject;
}

function objects(ctx: Ctx, api: Api): One[] {
  const targets = targetsOf(api, ctx.args);
  if (!targets.length) throw new UsageError('required resource not specified');
  const out: One[] = [];
  for (const t of targets) {
    const ns = t.info.namespaced ? ctx.namespace : null;
    if (t.names.length) for (const n of t.names) out.push({ info: t.info, obj: call(() => api.get(t.info.resource, ns, n)) });
    else for (const obj of call(() => api.list(t.info.resource, ns, { labelSelector: ctx.flags.str('selector') || undefined }).items)) out.push({ info: t.info, obj });
  }
  return out;
}

/** The status viewers' words (deployment and daemon set); done when the rollout finished. */
export function rolloutStatus(o: Any): { text: string; done: boolean; error?: string } {
  const st = o.status ?? {};
  const name = o.metadata.name;
  if (o.kind === 'DaemonSet') {
    if ((o.spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return { text: '', done: true, error: 'rollout status is only available for RollingUpdate strategy type' };
    if ((o.metadata.generation ?? 0) > (st.observedGeneration ?? 0)) return { text: 'Waiting for daemon set spec update to be observed...\n', done: false };
    if ((st.updatedNumberScheduled ?? 0) < (st.desiredNumberScheduled ?? 0)) return { text: `Waiting for daemon set "${name}" rollout to finish: ${st.updatedNumberScheduled ?? 0} out of ${st.desiredNumberScheduled ?? 0} new pods have been updated...\n`, done: false };
    if ((st.numberAvailable ?? 0) < (st.desiredNumberScheduled ?? 0)) return { text: `Waiting for daemon set "${name}" rollout to finish: ${st.numberAvailable ?? 0} of ${st.desiredNumberScheduled ?? 0} updated pods are available...\n`, done: false };
    return { text: `daemon set "${name}" successfully rolled out\n`, done: true };
  }
  if ((o.metadata.generation ?? 0) > (st.observedGeneration ?? 0)) return { text: 'Waiting for deployment spec update to be observed...\n', done: false };
  const progressing = (st.conditions ?? []).find((c: Any) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return { text: '', done: true, error: `deployment "${name}" exceeded its progress deadline` };
  const want = o.spec.replicas ?? 1;
  const updated = st.updatedReplicas ?? 0;
  if (updated < want) return { text: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...\n`, done: false };
  if ((st.replicas ?? 0) > updated) return { text: `Waiting for deployment "${name}" rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...\n`, done: false };
  if ((st.availableReplicas ?? 0) < updated) return { text: `Waiting for deployment "${name}" rollout to finish: ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`, done: false };
  return { text: `deployment "${name}" successfully rolled out\n`, done: true };
}

function runStatus(ctx: Ctx, api: Api, items: One[]): CmdResult {
  const out: Array<[1 | 2, string]> = [];
  const timeout = parseDuration(ctx.flags.str('timeout')) ?? 0;
  for (const { info, obj } of items) {
    if (!['deployments', 'daemonsets'].includes(info.resource)) return ordered([...out, [2, `error: no status viewer has been implemented for ${info.kind}\n`]], 1);
    const ns = obj.metadata.namespace ?? null;
    let last = '';
    let failed = '';
    const check = () => {
      const s = rolloutStatus(api.get(info.resource, ns, obj.metadata.name!) as Any);
      if (s.error) failed = s.error;
      else if (s.text !== last) out.push([1, (last = s.text)]);
      return s.done;
    };
    if (!ctx.flags.bool('watch')) {
      check();
    } else if (!waitFor(ctx, api, check, timeout > 0 ? timeout : 7 * 24 * 3600_000)) return ordered([...out, [2, 'error: timed out waiting for the condition\n']], 1);
    if (failed) return ordered([...out, [2, `error: ${failed}\n`]], 1);
  }
  return ordered(out, 0);
}

function revisionOf(rs: Any): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? 'NaN');
}

function ownedReplicaSets(api: Api, d: Any): Any[] {
  return (api.scan('replicasets', d.metadata.namespace) as Any[]).filter((rs) => (rs.metadata.ownerReferences ?? []).some((r: Any) => r.controller && r.uid === d.metadata.uid));
}

function templateText(t: Any): string {
  const w = new PrefixWriter();
  podTemplateBlock(w, t);
  return w.raw();
}

function runHistory(ctx: Ctx, api: Api, items: One[]): CmdResult {
  const out: Array<[1 | 2, string]> = [];
  const rev = ctx.flags.int('revision');
  for (const { info, obj } of items) {
    if (info.resource !== 'deployments') return ordered([...out, [2, `error: error retrieving history for "${info.kind}", no visitor method exists for {${info.group} ${info.kind}}\n`]], 1);
    const byRev = new Map<number, Any>();
    for (const rs of ownedReplicaSets(api, obj)) if (!Number.isNaN(revisionOf(rs))) byRev.set(revisionOf(rs), rs);
    let text: string;
    if (!byRev.size) text = 'No rollout history found.';
    else if (rev > 0) {
      const rs = byRev.get(rev);
      if (!rs) return ordered([...out, [2, 'error: unable to find the specified revision\n']], 1);
      text = templateText(rs.spec.template);
    } else {
      const w = new PrefixWriter();
      w.write(0, 'REVISION\tCHANGE-CAUSE\n');
      for (const r of [...byRev.keys()].sort((a, b) => a - b)) w.write(0, `${r}\t${byRev.get(r)!.metadata.annotations?.[CHANGE_CAUSE] || '<none>'}\n`);
      text = w.toString();
    }
    out.push([1, `${qualifiedName(info, obj.metadata.name!)} ${rev > 0 ? `with revision #${rev}` : ''}\n${text}\n`]);
  }
  return ordered(out, 0);
}

const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, 'deployment.kubernetes.io/revision-history', 'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas', 'deprecated.deployment.rollback.to']);

function withoutHash(t: Any): string {
  const c = JSON.parse(JSON.stringify(t ?? {}));
  if (c.metadata?.labels) delete c.metadata.labels['pod-template-hash'];
  return JSON.stringify(sortedCopy(c));
}

function runUndo(ctx: Ctx, api: Api, items: One[]): CmdResult {
  const out: Array<[1 | 2, string]> = [];
  const to = ctx.flags.int('to-revision');
  const dry = dryRunOf(ctx);
  for (const { info, obj } of items) {
    if (info.resource !== 'deployments') return ordered([...out, [2, `error: no rollbacker has been implemented for "${info.group}/${info.kind}"\n`]], 1);
    const d = obj as Any;
    const rss = ownedReplicaSets(api, d).filter((rs) => !Number.isNaN(revisionOf(rs)));
    let target: Any | undefined;
    if (to > 0) {
      target = rss.find((rs) => revisionOf(rs) === to);
      if (!target) return ordered([...out, [2, `error: unable to find specified revision ${to} in history\n`]], 1);
    } else {
      const sorted = [...rss].sort((a, b) => revisionOf(b) - revisionOf(a));
      target = sorted[1];
      if (!target) return ordered([...out, [2, `error: no rollout history found for deployment "${d.metadata.name}"\n`]], 1);
    }
    const name = qualifiedName(info, d.metadata.name);
    if (dry === 'client') {
      out.push([1, `${name} ${templateText(target.spec.template)}\n`]);
      continue;
    }
    if (d.spec.paused) return ordered([...out, [2, "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n"]], 1);
    if (withoutHash(target.spec.template) === withoutHash(d.spec.template)) {
      out.push([1, `${name} skipped rollback (current template already matches revision ${revisionOf(target)})\n`]);
      continue;
    }
    const template = JSON.parse(JSON.stringify(target.spec.template));
    delete template.metadata?.labels?.['pod-template-hash'];
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries((d.metadata.annotations ?? {}) as Record<string, string>)) if (SKIP_ANNOTATIONS.has(k)) annotations[k] = v;
    for (const [k, v] of Object.entries((target.metadata.annotations ?? {}) as Record<string, string>)) if (!SKIP_ANNOTATIONS.has(k)) annotations[k] = v;
    const ops = [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ];
    call(() => api.patch('deployments', d.metadata.namespace, d.metadata.name, 'json', ops, { dryRun: dry === 'server' }));
    out.push([1, `${name} rolled back${dry === 'server' ? ' (server dry run)' : ''}\n`]);
  }
  return ordered(out, 0);
}

function runRestart(ctx: Ctx, api: Api, items: One[]): CmdResult {
  const out: Array<[1 | 2, string]> = [];
  const now = rfc3339(ctx.sys.world.now());
  for (const { info, obj } of items) {
    if (!['deployments', 'daemonsets', 'statefulsets'].includes(info.resource)) return ordered([...out, [2, `error: ${info.resource}${info.group ? '.' + info.group : ''} "${obj.metadata.name}" restarting is not supported\n`]], 1);
    if ((obj as Any).spec?.paused) return ordered([...out, [2, `error: ${info.resource}.${info.group} "${obj.metadata.name}" can't restart paused deployment (run rollout resume first)\n`]], 1);
    const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': now } } } } };
    call(() => api.patch(info.resource, obj.metadata.namespace ?? null, obj.metadata.name!, 'strategic', patch, { fieldManager: 'kubectl-rollout' }));
    out.push([1, `${qualifiedName(info, obj.metadata.name!)} restarted\n`]);
  }
  return ordered(out, 0);
}

function runPause(ctx: Ctx, api: Api, items: One[], pause: boolean): CmdResult {
  const out: Array<[1 | 2, string]> = [];
  const errs: string[] = [];
  for (const { info, obj } of items) {
    if (info.resource !== 'deployments') {
      errs.push(`error: ${pause ? 'pausing' : 'resuming'} is not supported\n`);
      continue;
    }
    if (!!(obj as Any).spec?.paused === pause) {
      errs.push(`error: ${info.resource}.${info.group} "${obj.metadata.name}" is ${pause ? 'already paused' : 'not paused'}\n`);
      continue;
    }
    call(() => api.patch('deployments', obj.metadata.namespace ?? null, obj.metadata.name!, 'strategic', { spec: { paused: pause || null } }, { fieldManager: 'kubectl-rollout' }));
    out.push([1, `${qualifiedName(info, obj.metadata.name!)} ${pause ? 'paused' : 'resumed'}\n`]);
  }
  return ordered([...out, ...errs.map((e) => [2, e] as [2, string])], errs.length ? 1 : 0);
}

export async function runRollout(ctx: Ctx, api: Api): Promise<CmdResult> {
  const sub = ctx.path.split(' ')[1] ?? '';
  const items = objects(ctx, api);
  if (!items.length) return ordered([[2, `No resources found in ${ctx.namespace} namespace.\n`]], 0);
  switch (sub) {
    case 'status':
      return runStatus(ctx, api, items);
    case 'history':
      return runHistory(ctx, api, items);
    case 'undo':
      return runUndo(ctx, api, items);
    case 'restart':
      return runRestart(ctx, api, items);
    case 'pause':
    case 'resume':
      return runPause(ctx, api, items, sub === 'pause');
  }
  throw new UsageError(`unknown command "${sub}"`);
}
