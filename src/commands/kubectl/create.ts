// kubectl create <kind> (and -f): build the object as kubectl's generators do, then print it (--dry-run=client)
// or send it to the API server.
import type { Ctx } from './index';
import { ordered, type CmdResult } from '../types';
import {
  createConfigMap, createDeployment, createIngress, createNamespace, createSecretGeneric, createService, createServiceAccount,
  UsageError, type Obj,
} from './generators';
import { CREATE_FORMATS, outputSpec, printStructured, resourceName } from './printers';
import { klog } from './klog';
import { noServer } from './server';
import { apiOf, call, resolveNamespace, serverErrorText, ServerError, sortedCopy } from './client';
import { strictDecodingError, undecodableBody, unknownFields } from '../../k8s/openapi/validate';
import { StatusError } from '../../k8s/api';

/** --save-config: the object's own JSON (struct order, compact) in the last-applied annotation, as apply keeps it. */
export function saveConfig(obj: Obj): void {
  const meta = obj.metadata as Obj;
  const text = JSON.stringify(obj) + '\n';
  const ann = { ...((meta.annotations as Record<string, string>) ?? {}), 'kubectl.kubernetes.io/last-applied-configuration': text };
  const out: Obj = {};
  for (const [k, v] of Object.entries(meta)) {
    out[k] = v;
    if (k === 'labels' || (k === 'creationTimestamp' && !meta.labels)) out.annotations = ann;
  }
  if (!out.annotations) out.annotations = ann;
  obj.metadata = out;
}

export type DryRun = 'none' | 'client' | 'server';

/** --dry-run as kubectl reads it (the bare flag is deprecated and means client). */
/** How each `create` subcommand words a server error (namespace prints the server's error as it is). */
const CREATE_ERROR_PREFIX: Record<string, string> = {
  'create deployment': 'failed to create deployment: ',
  'create configmap': 'failed to create configmap: ',
  'create serviceaccount': 'failed to create serviceaccount: ',
  'create secret generic': 'failed to create secret ',
  'create secret tls': 'failed to create secret ',
  'create secret docker-registry': 'failed to create secret ',
  'create service clusterip': 'failed to create ClusterIP service: ',
  'create service nodeport': 'failed to create NodePort service: ',
  'create service loadbalancer': 'failed to create LoadBalancer service: ',
  'create service externalname': 'failed to create ExternalName service: ',
  'create ingress': 'failed to create ingress: ',
};

export function dryRunOf(ctx: Ctx): DryRun {
  const v = ctx.flags.str('dry-run');
  switch (v) {
    case 'client':
    case 'server':
    case 'none':
      return v;
    case 'unchanged':
    case 'true':
    case 'false':
      ctx.out.push([2, klog(ctx.sys, 'W', 'helpers.go:703', '--dry-run is deprecated and can be replaced with --dry-run=client.')]);
      return v === 'false' ? 'none' : 'client';
  }
  throw new UsageError(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
}

/** The fieldValidation kubectl asks of the server (--validate: strict, the default, or warn), or null. */
export function fieldValidation(ctx: Ctx): 'Strict' | 'Warn' | null {
  const v = ctx.flags.str('validate');
  return v === 'warn' ? 'Warn' : v === 'ignore' || v === 'false' ? null : 'Strict';
}

/** Validates a body as the server does for `mode` (the schema data must be loaded): throws the Strict error, or returns the warnings' lines. */
export function validateFields(ctx: Ctx, mode: 'Strict' | 'Warn' | null, body: unknown): Array<[2, string]> {
  // the body is decoded into the kind's Go type first: a wrongly typed field fails whatever the validation
  call(() => {
    const e = undecodableBody(body as Obj);
    if (e) throw e;
  });
  if (!mode) return [];
  if (mode === 'Strict') {
    call(() => {
      const e = strictDecodingError(body as Obj);
      if (e) throw e;
    });
    return [];
  }
  const warn = ctx.sys.tty ? '\x1b[33;1mWarning:\x1b[0m' : 'Warning:';
  return (unknownFields(body as Obj) ?? []).map((f) => [2, `${warn} unknown field "${f}"\n`]);
}

export function checkValidate(ctx: Ctx): void {
  const v = ctx.flags.str('validate');
  if (!['strict', 'true', 'warn', 'ignore', 'false', ''].includes(v)) throw new UsageError(`invalid - validate option "${v}"; must be one of: strict (or true), warn, ignore (or false)`);
}

const readFileFor = (ctx: Ctx) => (p: string) => {
  if (p === '/dev/null') return '';
  const abs = p.startsWith('/') ? p : `${ctx.io.cwd.replace(/\/$/, '')}/${p}`;
  return ctx.sys.readFile(abs);
};

function build(ctx: Ctx): Obj | null {
  const ns = ctx.enforceNamespace ? ctx.namespace : null;
  const f = ctx.flags;
  const args = ctx.args;
  const dash = ctx.flags.parsed.dash;
  switch (ctx.path) {
    case 'create deployment': {
      const names = dash >= 0 ? args.slice(0, dash) : args;
      const command = dash >= 0 ? args.slice(dash) : [];
      return createDeployment(f, names, ns, command);
    }
    case 'create service clusterip':
      return createService('clusterip', f, args, ns);
    case 'create service nodeport':
      return createService('nodeport', f, args, ns);
    case 'create service loadbalancer':
      return createService('loadbalancer', f, args, ns);
    case 'create service externalname':
      return createService('externalname', f, args, ns);
    case 'create namespace':
      return createNamespace(args);
    case 'create configmap':
      return createConfigMap(f, args, ns, readFileFor(ctx));
    case 'create secret generic':
      return createSecretGeneric(f, args, ns, readFileFor(ctx));
    case 'create serviceaccount':
      return createServiceAccount(args, ns);
    case 'create ingress':
      return createIngress(f, args, ns);
  }
  return null;
}

export async function runCreate(ctx: Ctx): Promise<CmdResult> {
  if (ctx.path === 'create') {
    if (!ctx.flags.list('filename').length && !ctx.flags.str('kustomize')) {
      if (ctx.args.length) throw new UsageError(`Unexpected args: [${ctx.args.join(' ')}]`, true);
      throw new UsageError('must specify one of -f and -k', true);
    }
    const api = apiOf(ctx);
    if (!api) return noServer(ctx);
    resolveNamespace(ctx);
    const { runApplyOrCreate } = await import('./apply');
    return runApplyOrCreate(ctx, api, 'create');
  }
  const required: Record<string, string> = { 'create deployment': 'image', 'create service externalname': 'external-name' };
  const req = required[ctx.path];
  if (req && !ctx.flags.has(req)) throw new UsageError(`required flag(s) "${req}" not set`);
  const obj = build(ctx);
  if (!obj) return noServer(ctx);
  const dry = dryRunOf(ctx);
  const spec = outputSpec(ctx.flags.str('output'), ctx.flags.str('template'), CREATE_FORMATS);
  checkValidate(ctx);
  if (dry === 'client' && ctx.flags.bool('save-config')) saveConfig(obj);
  if (dry === 'client') {
    if (spec.kind === 'default') ctx.out.push([1, `${resourceName(obj)} created (dry run)\n`]);
    else ctx.out.push([1, printStructured(obj, spec)]);
    return ordered(ctx.out, 0);
  }
  const api = apiOf(ctx);
  if (!api) return noServer(ctx);
  resolveNamespace(ctx);
  if (ctx.flags.bool('save-config')) saveConfig(obj);
  let created: Obj;
  try {
    created = api.create(obj, { namespace: ctx.namespace, dryRun: dry === 'server', fieldManager: ctx.flags.str('field-manager') || 'kubectl-create' }) as Obj;
  } catch (e) {
    // most create subcommands wrap the server's error in their own words
    const wrap = e instanceof StatusError ? CREATE_ERROR_PREFIX[ctx.path] : undefined;
    if (wrap !== undefined) throw new ServerError(`error: ${wrap}${(e as StatusError).status.message}\n`);
    throw e instanceof StatusError ? new ServerError(serverErrorText(e)) : e;
  }
  if (spec.kind === 'default') ctx.out.push([1, `${resourceName(created)} created${dry === 'server' ? ' (server dry run)' : ''}\n`]);
  else ctx.out.push([1, printStructured(sortedCopy(created) as Obj, spec)]);
  return ordered(ctx.out, 0);
}
