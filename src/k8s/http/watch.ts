// Watches over kube-apiserver's REST protocol (?watch=true): a stream of
// JSON lines {"type":"ADDED"|"MODIFIED"|"DELETED","object":...}, one per
// change of an object the request selects (resource, namespace, label and
// field selectors), as the apiserver's watch cache sends them. Objects are
// the stored ones, or one-row Tables when the client asks for them
// (Accept: application/json;as=Table: kubectl get -w). Without a
// resourceVersion (or with "0") the current objects come first as ADDED
// events; with one, only later changes. No Node imports: scripts/api.ts
// keeps the streams and calls pollWatch after each request and on a timer.
import type { World } from '../../sim/world';
import { kube } from '../cluster';
import type { KObject, ResourceInfo } from '../api';
import { groupVersions, resourcePath, statusError, tableOf, wantsTable, type ApiRequest, type ApiResponse } from './handler';

export interface Watch {
  info: ResourceInfo;
  ns: string | null;
  labelSelector?: string;
  fieldSelector?: string;
  table: boolean;
  query: URLSearchParams;
  /** key → resourceVersion and object of what the client has been told */
  seen: Map<string, { rv: string; obj: KObject }>;
}

const keyOf = (o: KObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

function current(world: World, w: Watch): KObject[] {
  const api = kube(world);
  if (!api) return [];
  const opts = { ...(w.labelSelector ? { labelSelector: w.labelSelector } : {}), ...(w.fieldSelector ? { fieldSelector: w.fieldSelector } : {}) };
  return api.list(w.info.resource, w.info.namespaced ? w.ns : null, opts).items as KObject[];
}

function event(world: World, w: Watch, type: 'ADDED' | 'MODIFIED' | 'DELETED', o: KObject): string {
  if (!w.table) return JSON.stringify({ type, object: o });
  const api = kube(world)!;
  return JSON.stringify({ type, object: tableOf(api, world, w.info, [o], w.query, o.metadata.resourceVersion ?? '') });
}

/** Start a watch: the stream's first lines, or the error response (unknown resource, bad selector). */
export function openWatch(world: World, req: ApiRequest): { watch: Watch; lines: string[] } | { response: ApiResponse } {
  const api = kube(world);
  if (!api) return { response: statusError(503, 'ServiceUnavailable', 'the simulated world has no cluster') };
  const u = new URL(req.url, 'http://apiserver');
  const q = u.searchParams;
  const r = resourcePath(u.pathname.replace(/\/+$/, ''), groupVersions(api));
  if (!r || r.sub !== undefined) return { response: statusError(404, 'NotFound', 'the server could not find the requested resource') };
  // a watch on one object is a watch on the collection with its name as a field selector
  const byName = r.name !== undefined ? `metadata.name=${r.name}` : undefined;
  const fieldSelector = [q.get('fieldSelector') || undefined, byName].filter(Boolean).join(',') || undefined;
  const w: Watch = {
    info: r.info,
    ns: r.ns,
    ...(q.get('labelSelector') ? { labelSelector: q.get('labelSelector')! } : {}),
    ...(fieldSelector ? { fieldSelector } : {}),
    table: wantsTable(req),
    query: q,
    seen: new Map(),
  };
  let items: KObject[];
  try {
    items = current(world, w);
  } catch (e) {
    const status = (e as { status?: { code?: number; reason?: string; message?: string } }).status;
    if (status?.code) return { response: statusError(status.code, status.reason ?? 'BadRequest', status.message ?? String(e)) };
    throw e;
  }
  const rv = q.get('resourceVersion');
  const initial = !rv || rv === '0';
  const lines: string[] = [];
  for (const o of items) {
    w.seen.set(keyOf(o), { rv: o.metadata.resourceVersion ?? '', obj: o });
    if (initial) lines.push(event(world, w, 'ADDED', o));
  }
  return { watch: w, lines };
}

/** The events since the last poll (the world may have moved on), in resourceVersion order. */
export function pollWatch(world: World, w: Watch): string[] {
  const now = current(world, w);
  const out: { rv: number; line: string }[] = [];
  const present = new Set<string>();
  for (const o of now) {
    const k = keyOf(o);
    present.add(k);
    const rv = o.metadata.resourceVersion ?? '';
    const had = w.seen.get(k);
    if (had && had.rv === rv) continue;
    out.push({ rv: Number(rv), line: event(world, w, had ? 'MODIFIED' : 'ADDED', o) });
    w.seen.set(k, { rv, obj: o });
  }
  for (const [k, had] of [...w.seen]) {
    if (present.has(k)) continue;
    w.seen.delete(k);
    out.push({ rv: Number.MAX_SAFE_INTEGER, line: event(world, w, 'DELETED', had.obj) });
  }
  return out.sort((a, b) => a.rv - b.rv).map((e) => e.line);
}
