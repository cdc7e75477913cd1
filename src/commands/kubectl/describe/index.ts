// kubectl describe: the objects named by the arguments (TYPE [NAME_PREFIX...], TYPE/NAME, -l, -A, -f), each
// printed by its kind's describer (or the generic one, for the Gateway API's custom resources), with the
// events the server holds about it when a single object is described.
import type { Ctx } from '../index';
import { ordered, type CmdResult } from '../../types';
import { infoForKind, StatusError, type Api, type KObject, type ResourceInfo } from '../../../k8s/api';
import { call, serverErrorText, ServerError } from '../client';
import { targetsOf } from '../get';
import { readSources } from '../apply';
import { UsageError } from '../generators';
import type { DescribeContext } from './common';
import { describePod } from './pod';
import { describeDaemonSet, describeDeployment, describeReplicaSet } from './apps';
import { describeEndpoints, describeEndpointSlice, describeIngress, describeIngressClass, describeNetworkPolicy, describeService } from './net';
import { describeNode } from './node';
import { describeConfigMap, describeGeneric, describeNamespace, describeSecret, describeServiceAccount } from './misc';

type Describer = (ctx: DescribeContext, o: KObject) => string;

const DESCRIBERS: Record<string, Describer> = {
  pods: describePod,
  deployments: describeDeployment,
  replicasets: describeReplicaSet,
  daemonsets: describeDaemonSet,
  services: describeService,
  endpoints: describeEndpoints,
  endpointslices: describeEndpointSlice,
  ingresses: describeIngress,
  ingressclasses: describeIngressClass,
  networkpolicies: describeNetworkPolicy,
  nodes: describeNode,
  namespaces: describeNamespace,
  configmaps: describeConfigMap,
  secrets: describeSecret,
  serviceaccounts: describeServiceAccount,
};

/** The describer kubectl picks for a resource (the generic one for kinds it has none for). */
export function describeObject(ctx: DescribeContext, info: ResourceInfo, o: KObject): string {
  const d = DESCRIBERS[info.group === '' || ['apps', 'networking.k8s.io', 'discovery.k8s.io'].includes(info.group) ? info.resource : ''] ?? describeGeneric;
  return d(ctx, { ...o, kind: o.kind ?? info.kind, apiVersion: o.apiVersion ?? (info.group ? `${info.group}/${info.version}` : info.version) });
}

interface Found {
  info: ResourceInfo;
  obj: KObject;
}

async function fromFiles(ctx: Ctx, api: Api, errors: string[]): Promise<Found[]> {
  const out: Found[] = [];
  for (const src of await readSources(ctx, ctx.flags.list('filename'), ctx.flags.bool('recursive'))) {
    for (const o of src.objects) {
      const info = infoForKind(String(o.apiVersion ?? ''), String(o.kind ?? ''));
      if (!info) throw new UsageError(`resource mapping not found for name: "${o.metadata?.name ?? ''}" namespace: "${o.metadata?.namespace ?? ''}" from "${src.name}": no matches for kind "${o.kind}" in version "${o.apiVersion}"\nensure CRDs are installed first`);
      const ns = info.namespaced ? (o.metadata?.namespace ?? ctx.namespace) : null;
      try {
        out.push({ info, obj: call(() => api.get(info.resource, ns, String(o.metadata?.name ?? ''))) });
      } catch (e) {
        if (e instanceof ServerError) errors.push(e.message);
        else throw e;
      }
    }
  }
  return out;
}

export async function runDescribe(ctx: Ctx, api: Api): Promise<CmdResult> {
  const f = ctx.flags;
  const all = f.bool('all-namespaces');
  const selector = f.str('selector');
  const errors: string[] = [];
  let notFound = false;
  let found: Found[] = [];
  if (f.list('filename').length) found = await fromFiles(ctx, api, errors);
  const targets = targetsOf(api, ctx.args);
  for (const t of targets) {
    const ns = t.info.namespaced ? (all ? null : ctx.namespace) : null;
    if (!t.names.length) {
      for (const obj of call(() => api.scan(t.info.resource, ns, { labelSelector: selector || undefined }))) found.push({ info: t.info, obj });
      continue;
    }
    for (const n of t.names) {
      try {
        found.push({ info: t.info, obj: api.get(t.info.resource, ns ?? (t.info.namespaced ? ctx.namespace : null), n) });
      } catch (e) {
        if (!(e instanceof StatusError)) throw e;
        if (e.status.reason === 'NotFound') notFound = true;
        errors.push(serverErrorText(e));
      }
    }
  }
  const dctx: DescribeContext = { api, now: Math.max(api.now(), ctx.sys.world.now()), showEvents: f.bool('show-events') };
  const out: Array<[1 | 2, string]> = [];
  // a single name not found: describe the objects whose names start with it
  if (notFound && errors.length === 1 && ctx.args.length === 2 && !ctx.args[0]!.includes('/') && targets.length === 1) {
    const t = targets[0]!;
    const matches = api.scan(t.info.resource, t.info.namespaced ? ctx.namespace : null).filter((o) => o.metadata.name!.startsWith(ctx.args[1]!));
    if (!matches.length) return ordered([[2, errors[0]!]], 1);
    for (const obj of matches) out.push([1, describeObject(dctx, t.info, obj) + '\n']);
    return ordered(out, 0);
  }
  found.forEach(({ info, obj }, i) => out.push([1, (i ? '\n\n' : '') + describeObject(dctx, info, obj)]));
  if (!found.length && !errors.length) out.push([2, all ? 'No resources found\n' : `No resources found in ${ctx.namespace} namespace.\n`]);
  for (const e of errors) out.push([2, e]);
  return ordered(out, errors.length ? 1 : 0);
}
