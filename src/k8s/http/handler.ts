// The simulated cluster over kube-apiserver's REST protocol, as a pure request → response function (no
// Node imports: scripts/api.ts binds it to a socket). What kubectl uses: legacy discovery (/api, /apis,
// group versions with subresources), /version, CRUD and lists with label and field selectors, Table
// responses (Accept: application/json;as=Table) from the apiserver's printers, the three patch types,
// the scale and status subresources, pods/log, dry runs, and metav1.Status errors.
import type { World } from '../../sim/world';
import { kube } from '../cluster';
import { nodeLease } from './lease';
import { badRequest, gvOf, RESOURCES, StatusError, type Api, type KObject, type ResourceInfo } from '../api';
import { toTable } from './printers';
import { decodeProtobufObject, isProtobuf } from './protobuf';
import { strictDecodingError, undecodableBody, unknownFields } from '../openapi/validate';
import { documentedGroupVersions, groupVersionDocument, openApiData, openApiIndex } from '../openapi/openapi';

export interface ApiRequest {
  method: string;
  /** path and query, e.g. /api/v1/namespaces/default/pods?labelSelector=app%3Dweb */
  url: string;
  headers: Record<string, string | undefined>;
  /** the request body: JSON text, or bytes (JSON, or kubectl's protobuf for typed clients) */
  body: string | Uint8Array;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

type Any = Record<string, any>;

const json = (status: number, v: unknown): ApiResponse => ({ status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(v) });

export function statusError(code: number, reason: string, message: string): ApiResponse {
  return json(code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

const SUBRESOURCES: Record<string, Array<[string, string, string[]]>> = {
  pods: [['pods/attach', 'PodAttachOptions', ['create', 'get']], ['pods/binding', 'Binding', ['create']], ['pods/eviction', 'Eviction', ['create']], ['pods/exec', 'PodExecOptions', ['create', 'get']], ['pods/log', 'Pod', ['get']], ['pods/portforward', 'PodPortForwardOptions', ['create', 'get']], ['pods/proxy', 'PodProxyOptions', ['create', 'delete', 'get', 'patch', 'update']], ['pods/status', 'Pod', ['get', 'patch', 'update']]],
  deployments: [['deployments/scale', 'Scale', ['get', 'patch', 'update']], ['deployments/status', 'Deployment', ['get', 'patch', 'update']]],
  replicasets: [['replicasets/scale', 'Scale', ['get', 'patch', 'update']], ['replicasets/status', 'ReplicaSet', ['get', 'patch', 'update']]],
  daemonsets: [['daemonsets/status', 'DaemonSet', ['get', 'patch', 'update']]],
  services: [['services/proxy', 'ServiceProxyOptions', ['create', 'delete', 'get', 'patch', 'update']], ['services/status', 'Service', ['get', 'patch', 'update']]],
  nodes: [['nodes/proxy', 'NodeProxyOptions', ['create', 'delete', 'get', 'patch', 'update']], ['nodes/status', 'Node', ['get', 'patch', 'update']]],
  namespaces: [['namespaces/finalize', 'Namespace', ['update']], ['namespaces/status', 'Namespace', ['get', 'patch', 'update']]],
};

export function groupVersions(api: Api): Map<string, ResourceInfo[]> {
  const m = new Map<string, ResourceInfo[]>();
  for (const r of api.resources()) {
    const gv = gvOf(r);
    if (!m.has(gv)) m.set(gv, []);
    m.get(gv)!.push(r);
  }
  return m;
}

function resourceList(gv: string, infos: ResourceInfo[]): Any {
  const resources: Any[] = [];
  for (const r of infos) {
    const e: Any = { name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
    if (r.shortNames.length) e.shortNames = r.shortNames;
    if (r.categories.length) e.categories = r.categories;
    resources.push(e);
    for (const [name, kind, verbs] of SUBRESOURCES[r.resource] ?? []) {
      const s: Any = { name, singularName: '', namespaced: r.namespaced, kind, verbs };
      if (kind === 'Scale') {
        s.group = 'autoscaling';
        s.version = 'v1';
      }
      resources.push(s);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources };
}

export function wantsTable(req: ApiRequest): boolean {
  return /;as=Table/.test(req.headers.accept ?? req.headers.Accept ?? '');
}

function partial(o: KObject): Any {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

export function tableOf(api: Api, world: World, info: ResourceInfo, items: KObject[], q: URLSearchParams, rv: string): Any {
  const t = toTable(info.resource, items, Math.max(api.now(), world.now()), rv);
  const include = q.get('includeObject') ?? 'Metadata';
  return {
    ...t,
    rows: t.rows.map((r) => ({ cells: r.cells, object: include === 'Object' ? r.object : include === 'None' ? undefined : partial(r.object) })),
  };
}

function scaleOf(o: Any): Any {
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
    spec: { replicas: o.spec?.replicas ?? 0 },
    status: { replicas: o.status?.replicas ?? 0, selector: Object.entries(o.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',') },
  };
}

function patchType(ct: string | undefined): 'merge' | 'strategic' | 'json' | null {
  if (!ct) return null;
  if (ct.startsWith('application/merge-patch+json')) return 'merge';
  if (ct.startsWith('application/strategic-merge-patch+json')) return 'strategic';
  if (ct.startsWith('application/json-patch+json')) return 'json';
  return null;
}

function parseBody(raw: string | Uint8Array): unknown {
  if (typeof raw !== 'string' && isProtobuf(raw)) {
    try {
      return decodeProtobufObject(raw);
    } catch (e) {
      throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: (e as Error).message, reason: 'UnsupportedMediaType', code: 415 });
    }
  }
  const body = typeof raw === 'string' ? raw : new TextDecoder().decode(raw);
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body);
  } catch (e) {
    throw badRequest(`the object provided is unrecognized (must be of type Unknown): couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

/** Logs of a pod's container, from the kubelet's runtime when the cluster has one (k8s-core's src/k8s/runtime). */
export type LogSource = (api: Api, pod: KObject, container: string | null, previous: boolean) => string | null;
let logSource: LogSource | null = null;
export function setLogSource(fn: LogSource): void {
  logSource = fn;
}

type Kube = NonNullable<ReturnType<typeof kube>>;

/** Discovery and the other paths that are not resources: /version, /api, /apis, group versions, node leases. */
function discovery(api: Kube, req: ApiRequest, path: string, gvs: ReturnType<typeof groupVersions>): ApiResponse | null {
  if (path === '/version') {
    const v = api.config.version;
    const [maj, min] = v.replace(/^v/, '').split('.');
    return json(200, { major: maj, minor: min, emulationMajor: maj, emulationMinor: min, minCompatibilityMajor: maj, minCompatibilityMinor: String(Number(min) - 1), gitVersion: v, gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean', buildDate: '2025-07-15T00:00:00Z', goVersion: 'go1.24.4', compiler: 'gc', platform: 'linux/amd64' });
  }
  if (path === '/api') return json(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: req.headers.host ?? '127.0.0.1:6443' }] });
  if (path === '/apis') {
    const groups = new Map<string, string[]>();
    for (const gv of gvs.keys()) {
      if (!gv.includes('/')) continue;
      const [g, v] = gv.split('/') as [string, string];
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g)!.push(v);
    }
    return json(200, {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...groups].map(([name, versions]) => ({ name, versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })), preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] } })),
    });
  }
  if (path === '/api/v1') return json(200, resourceList('v1', gvs.get('v1') ?? []));
  const gm = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
  if (gm && gvs.has(`${gm[1]}/${gm[2]}`)) return json(200, resourceList(`${gm[1]}/${gm[2]}`, gvs.get(`${gm[1]}/${gm[2]}`)!));
  if (path === '/openapi/v3' || path.startsWith('/openapi/v3/')) return openApi(api, path, gvs);
  if (path.startsWith('/openapi')) return statusError(404, 'NotFound', 'the server could not find the requested resource');
  const lease = /^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/kube-node-lease\/leases\/([^/]+)$/.exec(path);
  if (lease && req.method.toUpperCase() === 'GET') {
    const l = nodeLease(api, decodeURIComponent(lease[1]!));
    return l ? json(200, l) : statusError(404, 'NotFound', `leases.coordination.k8s.io "${decodeURIComponent(lease[1]!)}" not found`);
  }

  return null;
}

/** /openapi/v3 and each group version's document (the schema data must have been loaded: loadOpenApi()). */
function openApi(api: Kube, path: string, gvs: ReturnType<typeof groupVersions>): ApiResponse {
  const data = openApiData();
  if (!data) return statusError(503, 'ServiceUnavailable', 'the OpenAPI schemas are not loaded (loadOpenApi())');
  if (path === '/openapi/v3') return json(200, openApiIndex(data, gvs, api.config.version));
  const rest = path.slice('/openapi/v3/'.length);
  const gv = rest.startsWith('api/') ? rest.slice(4) : rest.startsWith('apis/') ? rest.slice(5) : '';
  if (!gv || !gvs.has(gv) || !documentedGroupVersions(data, gvs).includes(gv)) return statusError(404, 'NotFound', 'the server could not find the requested resource');
  const { text } = groupVersionDocument(data, gv, gvs.get(gv)!, api.config.version);
  return { status: 200, headers: { 'Content-Type': 'application/json' }, body: text };
}

/** A resource path taken apart: the group version, the namespace, the resource, a name and a subresource. */
export interface ResourcePath {
  info: ResourceInfo;
  ns: string | null;
  name: string | undefined;
  sub: string | undefined;
}

export function resourcePath(path: string, gvs: ReturnType<typeof groupVersions>): ResourcePath | null {
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.*)$/.exec(path);
  if (!m) return null;
  const gv = m[1] ? 'v1' : `${m[2]}/${m[3]}`;
  const seg = m[4]!.split('/').map(decodeURIComponent);
  let ns: string | null = null;
  let rest = seg;
  const nsResource = (name: string | undefined) => name !== undefined && RESOURCES.some((r) => r.resource === name && r.namespaced && gvOf(r) === gv);
  if (seg[0] === 'namespaces' && seg.length >= 3 && nsResource(seg[2])) {
    ns = seg[1]!;
    rest = seg.slice(2);
  }
  const [resName, name, sub] = rest;
  const info = (gvs.get(gv) ?? []).find((r) => r.resource === resName);
  return info ? { info, ns, name, sub } : null;
}

type WriteOpts = { dryRun: boolean; namespace?: string; fieldManager?: string };

/** A create or update with the request's fieldValidation (Strict: unknown fields refused; Warn: one warning each). */
function validated(q: URLSearchParams, body: Any, status: number, write: (body: Any) => unknown): ApiResponse {
  const mode = q.get('fieldValidation');
  const undecodable = undecodableBody(body);
  if (undecodable) throw undecodable;
  if (mode === 'Strict') {
    const err = strictDecodingError(body);
    if (err) throw err;
  }
  const res = json(status, write(body));
  const unknown = mode === 'Warn' ? unknownFields(body) : null;
  if (unknown?.length) res.headers.Warning = unknown.map((f) => `299 - ${JSON.stringify(`unknown field "${f}"`)}`).join(', ');
  return res;
}

/** GET (list or Table), POST and DELETE on a collection */
function collection(api: Kube, world: World, req: ApiRequest, q: URLSearchParams, r: ResourcePath, wopts: WriteOpts): ApiResponse {
  const { info, ns } = r;
  const method = req.method.toUpperCase();
  const selectors = { labelSelector: q.get('labelSelector') || undefined, fieldSelector: q.get('fieldSelector') || undefined };
  if (method === 'GET') {
    const list = api.list(info.resource, info.namespaced ? ns : null, selectors);
    if (wantsTable(req)) return json(200, tableOf(api, world, info, list.items, q, list.metadata.resourceVersion));
    return json(200, { ...list, metadata: { resourceVersion: list.metadata.resourceVersion } });
  }
  if (method === 'POST') return validated(q, parseBody(req.body) as Any, 201, (body) => api.create(body, wopts));
  if (method === 'DELETE') {
    const opts = parseBody(req.body) as Any;
    const names = api.deleteCollection(info.resource, ns, { ...selectors, dryRun: wopts.dryRun, ...(opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {}) });
    return json(200, { apiVersion: gvOf(info), kind: `${info.kind}List`, metadata: {}, items: names.map((n) => ({ metadata: { name: n } })) });
  }
  return statusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

/** scale, status and log subresources; null when the path names none of them */
function subresource(api: Kube, req: ApiRequest, q: URLSearchParams, r: ResourcePath, name: string, wopts: WriteOpts): ApiResponse | null {
  const { info, ns, sub } = r;
  const method = req.method.toUpperCase();
  if (sub === 'scale' && (info.resource === 'deployments' || info.resource === 'replicasets')) {
    if (method === 'GET') return json(200, scaleOf(api.get(info.resource, ns, name)));
    if (method === 'PATCH' || method === 'PUT') {
      const body = parseBody(req.body) as Any;
      const replicas = method === 'PUT' ? body.spec?.replicas : patchType(req.headers['content-type']) === 'json' ? undefined : body.spec?.replicas;
      return json(200, scaleOf(api.patch(info.resource, ns, name, 'merge', { spec: { replicas } }, wopts)));
    }
  }
  if (sub === 'status') {
    if (method === 'GET') return json(200, api.get(info.resource, ns, name));
    if (method === 'PUT') return json(200, api.updateStatus(parseBody(req.body) as Any, wopts));
    if (method === 'PATCH') return json(200, api.patchStatus(info.resource, ns, name, parseBody(req.body), wopts));
  }
  if (sub === 'log' && info.resource === 'pods' && method === 'GET') {
    const pod = api.get('pods', ns, name);
    const text = logSource?.(api, pod, q.get('container'), q.get('previous') === 'true') ?? '';
    const tail = q.get('tailLines');
    return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: tail === null ? text : tailLines(text, Number(tail)) };
  }
  return null;
}

/** GET, PUT, PATCH and DELETE on one object */
function item(api: Kube, world: World, req: ApiRequest, q: URLSearchParams, r: ResourcePath, name: string, wopts: WriteOpts): ApiResponse {
  const { info } = r;
  const ns = info.namespaced ? r.ns : null;
  switch (req.method.toUpperCase()) {
    case 'GET': {
      const o = api.get(info.resource, ns, name);
      if (wantsTable(req)) return json(200, tableOf(api, world, info, [o], q, o.metadata.resourceVersion ?? ''));
      return json(200, o);
    }
    case 'PUT':
      return validated(q, parseBody(req.body) as Any, 200, (body) => api.update(body, wopts));
    case 'PATCH': {
      const t = patchType(req.headers['content-type']);
      if (!t) return statusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`);
      return json(200, api.patch(info.resource, ns, name, t, parseBody(req.body), wopts));
    }
    case 'DELETE': {
      const opts = parseBody(req.body) as Any;
      const res = api.delete(info.resource, ns, name, {
        dryRun: wopts.dryRun || (opts.dryRun ?? []).includes('All'),
        ...(opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {}),
        ...(opts.propagationPolicy ? { propagationPolicy: opts.propagationPolicy } : {}),
        ...(opts.preconditions ? { preconditions: opts.preconditions } : {}),
      });
      return json(200, res.object);
    }
  }
  return statusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

export function handleRequest(world: World, req: ApiRequest): ApiResponse {
  const api = kube(world);
  const u = new URL(req.url, 'http://apiserver');
  const path = u.pathname.replace(/\/+$/, '') || '/';
  const q = u.searchParams;
  if (!api) return statusError(503, 'ServiceUnavailable', 'the simulated world has no cluster');
  const notFound = () => statusError(404, 'NotFound', 'the server could not find the requested resource');
  try {
    const gvs = groupVersions(api);
    const d = discovery(api, req, path, gvs);
    if (d) return d;
    const r = resourcePath(path, gvs);
    if (!r) return notFound();
    const wopts: WriteOpts = { dryRun: q.getAll('dryRun').includes('All'), ...(r.ns !== null ? { namespace: r.ns } : {}), ...(q.get('fieldManager') ? { fieldManager: q.get('fieldManager')! } : {}) };
    if (q.get('watch') === 'true' || q.get('watch') === '1') return statusError(405, 'MethodNotAllowed', 'a watch is served by openWatch (watch.ts) on a stream');
    if (r.name === undefined) return collection(api, world, req, q, r, wopts);
    const s = subresource(api, req, q, r, r.name, wopts);
    if (s) return s;
    if (r.sub !== undefined) return notFound();
    return item(api, world, req, q, r, r.name, wopts);
  } catch (e) {
    if (e instanceof StatusError) return json(e.code, e.status);
    throw e;
  }
}

/** The last n lines of a log (each line keeps its newline). */
export function tailLines(text: string, n: number): string {
  if (n < 0) return text;
  if (n === 0) return '';
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return lines.slice(-n).join('');
}

/** The clock of the served world moves only when asked (captures) or with the wall clock (learners). */
export function advanceWorld(world: World, ms: number): void {
  if (ms > 0) world.advance(ms);
  kube(world)?.list('namespaces', null);
}
