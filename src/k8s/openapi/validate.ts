// Field validation (kube-apiserver's fieldValidation=Strict|Warn): the fields of a request body that the
// kind's schema does not have, in the order the strict JSON decoder meets them (kubectl sends its objects
// as JSON with the keys of each object sorted), with the decoder's paths (`spec.containers[0].imagee`).
// Needs the schema data loaded (loadOpenApi()); without it nothing is reported.
import { crdStructural, openApiData, schemaNameOf, type CompactSchema, type OpenApiData } from './openapi';
import { crdUnknownFields } from './crd-validate';
import { StatusError } from '../api';
import { bodyUndecodable, decodeObject } from './decode';

type Type = { t?: string; ref?: string; i?: Type; a?: Type };

function walkType(data: OpenApiData, t: Type, v: unknown, path: string, out: string[]): void {
  if (v === null || typeof v !== 'object') return;
  if (t.ref) {
    const s = data.schemas[t.ref];
    if (s) walkSchema(data, s, v, path, out);
    return;
  }
  if (t.i && Array.isArray(v)) v.forEach((x, i) => walkType(data, t.i!, x, `${path}[${i}]`, out));
  else if (t.a && !Array.isArray(v)) for (const k of Object.keys(v).sort()) walkType(data, t.a, (v as Record<string, unknown>)[k], `${path}.${k}`, out);
}

function walkSchema(data: OpenApiData, s: CompactSchema, v: unknown, path: string, out: string[]): void {
  if (!s.p || v === null || typeof v !== 'object' || Array.isArray(v)) return; // free-form (RawExtension, FieldsV1) or a primitive
  for (const k of Object.keys(v).sort()) {
    const here = path ? `${path}.${k}` : k;
    const f = s.p[k];
    if (!f) out.push(here);
    else walkType(data, f, (v as Record<string, unknown>)[k], here, out);
  }
}

/** The unknown fields of an object of a kind the data has (null when the data is not loaded or has no such kind). */
export function unknownFields(obj: { apiVersion?: unknown; kind?: unknown }): string[] | null {
  const data = openApiData();
  if (!data || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return null;
  const [g, v] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/', 2) as [string, string] : ['', obj.apiVersion];
  const name = schemaNameOf(data, g, v, obj.kind);
  if (!name) {
    // a custom resource: its CRD's structural schema (pruning's paths, sorted), its metadata as ObjectMeta
    const crd = crdStructural(data, { group: g, version: v, kind: obj.kind });
    if (!crd) return null;
    const out = crdUnknownFields(crd, obj as Record<string, unknown>);
    const meta = data.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'];
    if (meta) walkSchema(data, meta, (obj as { metadata?: unknown }).metadata, 'metadata', out);
    return out.sort();
  }
  const out: string[] = [];
  walkSchema(data, data.schemas[name]!, obj, '', out);
  return out;
}

/** fieldValidation=Strict: the apiserver's BadRequest for unknown fields, or null. */
export function strictDecodingError(obj: { apiVersion?: unknown; kind?: unknown }): StatusError | null {
  const bad = unknownFields(obj);
  if (!bad?.length) return null;
  const kind = String(obj.kind);
  const message = `${kind} in version "${String(obj.apiVersion).split('/').at(-1)}" cannot be handled as a ${kind}: strict decoding error: ${bad.map((f) => `unknown field "${f}"`).join(', ')}`;
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });
}

function pruneType(data: OpenApiData, t: Type, v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (t.ref) {
    const s = data.schemas[t.ref];
    return s ? pruneSchema(data, s, v) : v;
  }
  if (t.i && Array.isArray(v)) return v.map((x) => pruneType(data, t.i!, x));
  if (t.a && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, pruneType(data, t.a!, x)]));
  return v;
}

function pruneSchema(data: OpenApiData, s: CompactSchema, v: unknown): unknown {
  if (!s.p || v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (s.p[k]) out[k] = pruneType(data, s.p[k], x);
  return out;
}

/** An object decoded into its Go type: the fields its kind does not have dropped (as is, when the data is not loaded). */
export function pruneUnknownFields<T extends { apiVersion?: unknown; kind?: unknown }>(obj: T): T {
  const data = openApiData();
  if (!data || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return obj;
  const [g, v] = obj.apiVersion.includes('/') ? (obj.apiVersion.split('/', 2) as [string, string]) : ['', obj.apiVersion];
  const name = schemaNameOf(data, g, v, obj.kind);
  return name ? (pruneSchema(data, data.schemas[name]!, obj) as T) : obj;
}

/** The create/update handlers' BadRequest for a body whose fields do not decode into the kind's types, or null. */
export function undecodableBody(obj: { apiVersion?: unknown; kind?: unknown } | null): StatusError | null {
  if (!obj || typeof obj !== 'object' || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return null;
  const r = decodeObject(obj as Record<string, unknown>, obj.apiVersion, obj.kind, 'json');
  return r && !r.ok ? bodyUndecodable(obj.apiVersion, obj.kind, r.error) : null;
}
