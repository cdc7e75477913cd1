// kubectl's side of the simulated cluster: the API (src/k8s), the namespace of the context, resource names
// as typed (RESTMapper), and the server's errors worded as kubectl prints them.
import type { Ctx } from './index';
import { kube } from '../../k8s/cluster';
import { Api, resolveResource, StatusError, type ResourceInfo, type KObject } from '../../k8s/api';
import { currentContext, loadKubeconfig } from './config';
import { UsageError } from './generators';

export class ServerError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

/**
 * The cluster's API as this kubectl reaches it: through its kubeconfig ($KUBECONFIG, --kubeconfig, else
 * ~/.kube/config). Without one naming a server (node01 of a kubeadm cluster has none: `kubeadm join` writes
 * only the kubelet's) kubectl falls back to http://localhost:8080, where nothing listens: null.
 */
export function apiOf(ctx: Ctx): Api | null {
  const api = kube(ctx.sys.world);
  if (!api) return null;
  const cfg = loadKubeconfig(ctx);
  const c = currentContext(ctx, cfg);
  const cl = c?.cluster ? cfg?.clusters?.find((x) => x.name === c.cluster) : undefined;
  return typeof cl?.cluster?.server === 'string' && cl.cluster.server ? api : null;
}

/** The namespace: -n, else the current context's, else default. */
export function resolveNamespace(ctx: Ctx): void {
  if (ctx.enforceNamespace) return;
  const cfg = loadKubeconfig(ctx);
  const c = currentContext(ctx, cfg);
  if (c?.namespace) ctx.namespace = c.namespace;
}

/** A resource as typed on the command line, or kubectl's error. */
export function resourceFor(api: Api, typed: string): ResourceInfo {
  const info = resolveResource(typed, (i) => api.served(i));
  if (!info) throw new UsageError(`the server doesn't have a resource type "${typed}"`);
  return info;
}

/** How kubectl prints an error the server returned. */
export function serverErrorText(e: StatusError): string {
  const s = e.status as StatusError['status'] & { details?: { kind?: string; name?: string; group?: string; causes?: Array<{ field?: string; message?: string; reason?: string }> } };
  if (s.reason === 'Invalid' && s.details) {
    const causes = s.details.causes ?? [];
    // checkErr prints the details' kind alone, without its group (`The Gateway "gw" is invalid`: fixture 33-crd-validate)
    const kind = s.details.kind;
    // checkErr: "The request is invalid" when the details name no kind and no object (a patch that does not decode)
    const named = !!(s.details.kind || s.details.name);
    if (!named && !causes.length) return `The request is invalid: ${s.message}\n`;
    const head = named ? `The ${kind} "${s.details.name ?? ''}" is invalid: ` : 'The request is invalid: ';
    if (causes.length === 1) return `${head}${causes[0]!.field ? causes[0]!.field + ': ' : ''}${causes[0]!.message ?? ''}\n`;
    if (causes.length > 1) return `${head}\n${causes.map((c) => `* ${c.field ? c.field + ': ' : ''}${c.message ?? ''}`).join('\n')}\n`;
    return `${head.replace(/: $/, '')}: ${s.message}\n`;
  }
  return `Error from server (${s.reason || 'InternalError'}): ${s.message}\n`;
}

/** Run an API call; a StatusError becomes kubectl's message. */
export function call<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof StatusError) throw new ServerError(serverErrorText(e));
    throw e;
  }
}

/** `deployment.apps/web`, `pod/web` */
export function qualifiedName(info: ResourceInfo, name: string): string {
  return `${info.singular}${info.group ? '.' + info.group : ''}/${name}`;
}

/** Deep copy with object keys sorted, as an unstructured object serialises (get -o json). */
export function sortedCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedCopy);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortedCopy(o[k])]));
  }
  return v;
}

/** An object as kubectl prints it: managedFields dropped unless asked for. */
export function forPrint(o: KObject, keepManaged = false): KObject {
  if (keepManaged || !o.metadata?.managedFields) return o;
  const { managedFields: _m, ...meta } = o.metadata;
  return { ...o, metadata: meta };
}
