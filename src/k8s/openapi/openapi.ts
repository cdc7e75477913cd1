// The apiserver's OpenAPI v3 (/openapi/v3 and /openapi/v3/<api|apis/group>/<version>), built from the
// compact v1.33 schema data in schemas.json (scripts/gen-k8s-openapi.ts writes it). The data is loaded
// on first use (`loadOpenApi()`): it is not part of the terminal's first-use payload nor of this layer's
// chunk. Real kubectl reads these documents for `kubectl explain` and to learn that the server validates
// fields (a PATCH operation with the fieldValidation parameter); our kubectl renders explain from the
// same documents (src/commands/kubectl/explain.ts).
import type { ResourceInfo } from '../api';

type Type = { t?: string; ref?: string; e?: string[]; i?: Type; a?: Type; f?: string };
type Field = Type & { d?: string };
export interface CompactSchema { d?: string; t?: string; f?: string; gvk?: [string, string, string]; r?: string[]; p?: Record<string, Field> }
export interface OpenApiData {
  source: string;
  schemas: Record<string, CompactSchema>;
  /** the CRDs' structural schemas by "group/version/Kind" (crd-schemas.json, scripts/gen-crd-openapi.ts) */
  crds?: Record<string, Json>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

let data: OpenApiData | null = null;
let loading: Promise<OpenApiData> | null = null;

/** Loads the schema data (a chunk of its own in the page). */
export function loadOpenApi(): Promise<OpenApiData> {
  if (data) return Promise.resolve(data);
  // two chunks of their own: the built-in kinds' schemas and the CRDs' (Gateway API, MetalLB)
  const json = <T>(m: unknown): T => ((m as { default?: T }).default ?? m) as T;
  loading ??= Promise.all([import('./schemas.json'), import('./crd-schemas.json')]).then(([b, c]) => {
    const crds = json<{ crds: Record<string, Json> }>(c).crds;
    data = { ...json<OpenApiData>(b), crds };
    return data;
  });
  return loading;
}

/** The schema data when loadOpenApi() has resolved, else null. */
export function openApiData(): OpenApiData | null {
  return data;
}

const REF = '#/components/schemas/';

function typeSchema(t: Type, data: OpenApiData, inItems: boolean): Json {
  if (t.ref) {
    const target = data.schemas[t.ref];
    // kube-openapi: structs are referred to through allOf (with their default {}), aliases of primitives directly
    if (target && target.t === 'object') return inItems ? { default: {}, allOf: [{ $ref: REF + t.ref }] } : { allOf: [{ $ref: REF + t.ref }] };
    return { $ref: REF + t.ref };
  }
  const s: Json = {};
  if (t.t) s.type = t.t;
  if (t.f) s.format = t.f;
  if (t.e) s.enum = t.e;
  if (t.i) s.items = typeSchema(t.i, data, true);
  if (t.a) s.additionalProperties = typeSchema(t.a, data, true);
  return s;
}

function fieldSchema(f: Field, data: OpenApiData): Json {
  const s = typeSchema(f, data, false);
  if (f.ref && s.allOf) s.default = {};
  if (f.d) s.description = f.d;
  return s;
}

function componentSchema(c: CompactSchema, data: OpenApiData): Json {
  const s: Json = {};
  if (c.d) s.description = c.d;
  if (c.p) {
    s.properties = {};
    for (const [k, f] of Object.entries(c.p)) s.properties[k] = fieldSchema(f, data);
  }
  if (c.r) s.required = c.r;
  if (c.t) s.type = c.t;
  if (c.f) s.format = c.f;
  if (c.gvk) s['x-kubernetes-group-version-kind'] = [{ group: c.gvk[0], kind: c.gvk[2], version: c.gvk[1] }];
  return s;
}

/** The schema name of a group-version-kind, or undefined when the data has none. */
export function schemaNameOf(data: OpenApiData, group: string, version: string, kind: string): string | undefined {
  for (const [n, s] of Object.entries(data.schemas)) if (s.gvk && s.gvk[0] === group && s.gvk[1] === version && s.gvk[2] === kind) return n;
  return undefined;
}

/** The path of a group version in /openapi/v3: api/v1, apis/apps/v1. */
export function openApiPath(gv: string): string {
  return gv.includes('/') ? `apis/${gv}` : `api/${gv}`;
}

/** The group versions that have a document: those with at least one kind in the data, and the CRDs' groups. */
export function documentedGroupVersions(data: OpenApiData, gvs: Map<string, ResourceInfo[]>): string[] {
  return [...gvs].filter(([, infos]) => infos.some((r) => r.crd || schemaNameOf(data, r.group, r.version, r.kind))).map(([gv]) => gv);
}

/** A CRD's schema name as the apiserver publishes it: the group reversed, the version, the kind. */
export function crdSchemaName(r: ResourceInfo): string {
  return `${r.group.split('.').reverse().join('.')}.${r.version}.${r.kind}`;
}

const API_VERSION_DESC = 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DESC = 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** A CRD kind's structural schema (the CRD's openAPIV3Schema at the served version), or undefined. */
export function crdStructural(data: OpenApiData, r: Pick<ResourceInfo, 'group' | 'version' | 'kind'>): Json | undefined {
  return data.crds?.[`${r.group}/${r.version}/${r.kind}`];
}

/**
 * A CRD kind's schema as kube-apiserver publishes it in OpenAPI v3 (apiextensions-apiserver's
 * controller/openapi/builder, buildKubeNative): the structural schema, with `metadata` replaced by a
 * reference to ObjectMeta, `apiVersion` and `kind` described as TypeMeta's, and the group-version-kind.
 * Without a schema in the data (or a CRD without one), spec and status are free-form objects.
 */
function crdSchema(r: ResourceInfo, data: OpenApiData): Json {
  const structural = crdStructural(data, r);
  const free = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const base: Json = structural ? { ...structural } : { type: 'object', properties: { spec: free, status: free } };
  base.properties = {
    ...(base.properties ?? {}),
    apiVersion: { type: 'string', description: API_VERSION_DESC },
    kind: { type: 'string', description: KIND_DESC },
    metadata: { allOf: [{ $ref: REF + META }], description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata" },
  };
  base['x-kubernetes-group-version-kind'] = [{ group: r.group, kind: r.kind, version: r.version }];
  return base;
}

function hashOf(text: string): string {
  // FNV-1a 64 over the text, as the cache-busting hash in serverRelativeURL (kube-apiserver uses SHA-512)
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) h = BigInt.asUintN(64, (h ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n);
  return h.toString(16).toUpperCase().padStart(16, '0');
}

const docCache = new Map<string, { doc: Json; text: string; hash: string }>();

const queryParam = (name: string, description: string): Json => ({ name, in: 'query', description, schema: { type: 'string', uniqueItems: true } });
const DRY_RUN = queryParam('dryRun', 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed');
const FIELD_MANAGER = queryParam('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.');
const FIELD_VALIDATION = queryParam('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.');

/** The OpenAPI v3 document of a group version (paths of its resources, the schemas they reach). */
export function groupVersionDocument(data: OpenApiData, gv: string, infos: ResourceInfo[], serverVersion: string): { doc: Json; text: string; hash: string } {
  const key = `${gv} ${serverVersion} ${infos.map((r) => r.resource).join(',')}`;
  const hit = docCache.get(key);
  if (hit) return hit;
  const prefix = gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`;
  const paths: Json = {};
  const keep = new Set<string>();
  const visit = (n: string) => {
    if (keep.has(n) || !data.schemas[n]) return;
    keep.add(n);
    const walk = (t: Type) => {
      if (t.ref) visit(t.ref);
      if (t.i) walk(t.i);
      if (t.a) walk(t.a);
    };
    for (const f of Object.values(data.schemas[n]!.p ?? {})) walk(f);
  };
  const crds: Json = {};
  for (const r of infos) {
    let name = schemaNameOf(data, r.group, r.version, r.kind);
    if (!name && r.crd) {
      name = crdSchemaName(r);
      crds[name] = crdSchema(r, data);
      visit(META);
    }
    if (!name) continue;
    visit(name);
    const gvk = { group: r.group, kind: r.kind, version: r.version };
    const body = { content: { '*/*': { schema: { $ref: REF + name } } }, required: true };
    const ok = { 200: { description: 'OK', content: { 'application/json': { schema: { $ref: REF + name } } } } };
    const op = (action: string, id: string, extra: Json = {}): Json => ({ tags: [gv.replace(/[./]/g, '_')], operationId: id, responses: ok, 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk, ...extra });
    const coll = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.resource}` : `${prefix}/${r.resource}`;
    const K = r.kind;
    paths[coll] = {
      get: op('list', `list${K}`),
      post: op('post', `create${K}`, { parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], requestBody: body }),
      delete: op('deletecollection', `deleteCollection${K}`),
    };
    paths[`${coll}/{name}`] = {
      get: op('get', `read${K}`),
      put: op('put', `replace${K}`, { parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], requestBody: body }),
      delete: op('delete', `delete${K}`),
      patch: op('patch', `patch${K}`, { parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, { name: 'force', in: 'query', description: 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.', schema: { type: 'boolean', uniqueItems: true } }] }),
    };
  }
  const schemas: Json = {};
  for (const n of [...keep, ...Object.keys(crds)].sort()) schemas[n] = crds[n] ?? componentSchema(data.schemas[n]!, data);
  const doc = { openapi: '3.0.0', info: { title: 'Kubernetes', version: serverVersion }, paths, components: { schemas } };
  const text = JSON.stringify(doc);
  const out = { doc, text, hash: hashOf(text) };
  docCache.set(key, out);
  return out;
}

/** /openapi/v3: the group versions and the URL of each one's document. */
export function openApiIndex(data: OpenApiData, gvs: Map<string, ResourceInfo[]>, serverVersion: string): Json {
  const paths: Json = {};
  for (const gv of documentedGroupVersions(data, gvs)) {
    const { hash } = groupVersionDocument(data, gv, gvs.get(gv)!, serverVersion);
    paths[openApiPath(gv)] = { serverRelativeURL: `/openapi/v3/${openApiPath(gv)}?hash=${hash}` };
  }
  return { paths };
}
