// What kube-apiserver does with a custom resource through its CRD's structural schema (crd-schemas.json):
// pruning (fields the schema does not have are dropped; with fieldValidation=Strict they are refused, sorted,
// as apiextensions-apiserver's structural pruning returns them), defaulting (a property's `default` where the
// field is absent, after pruning), and validation with kube-openapi's validator as apiextensions-apiserver
// turns its results into field errors (validation.go kubeOpenAPIResultToFieldErrors):
//   - type:     `spec.x: Invalid value: "string": spec.x in body must be of type integer: "string"`
//   - required: `spec.x: Required value`
//   - enum:     `spec.x: Unsupported value: "FOO": supported values: "A", "B"`
//   - maximum / minimum: `spec.x: Invalid value: 70000: spec.x in body should be less than or equal to 65535`
//   - pattern:  `spec.x: Invalid value: "A": spec.x in body should match '^[a-z]+$'`
//   - maxItems: `spec.x: Too many: 17: must have at most 16 items`; minItems: `... should have at least 1 items`
// Not checked: string lengths (whose wording changed across releases), formats, CEL rules
// (x-kubernetes-validations), list-type uniqueness, the metadata of embedded resources.
import { crdStructural, openApiData, type Json } from './openapi';
import { fieldError, type FieldError } from '../api/errors';
import { RESOURCES } from '../api/registry';

const crdByResource = new Map(RESOURCES.filter((r) => r.crd).map((r) => [r.resource, r]));

/** The structural schema of a CRD kind when the schema data is loaded, else undefined. */
export function crdSchemaOf(resource: string): Json | undefined {
  const r = crdByResource.get(resource);
  const data = openApiData();
  return r && data ? crdStructural(data, r) : undefined;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The fields of `v` the schema does not have (paths as the strict decoder names them), appended to `out`. */
function unknownIn(s: Json | undefined, v: unknown, path: string, out: string[]): void {
  if (!s || s['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (Array.isArray(v)) {
    if (s.items) v.forEach((x, i) => unknownIn(s.items, x, `${path}[${i}]`, out));
    return;
  }
  if (!isObj(v)) return;
  const props: Json | undefined = s.properties;
  const ap = s.additionalProperties;
  for (const k of Object.keys(v)) {
    const here = path ? `${path}.${k}` : k;
    if (props?.[k]) unknownIn(props[k], v[k], here, out);
    else if (isObj(ap)) unknownIn(ap, v[k], here, out);
    else if (ap !== true && (props || s.type === 'object')) out.push(here);
  }
}

/** The unknown fields of a custom resource below its metadata (sorted, as structural pruning returns them). */
export function crdUnknownFields(schema: Json, obj: Record<string, unknown>): string[] {
  const out: string[] = [];
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = obj;
  unknownIn(schema, rest, '', out);
  return out.sort();
}

/** The object without the fields its schema does not have. */
function prune(s: Json | undefined, v: unknown): unknown {
  if (!s || s['x-kubernetes-preserve-unknown-fields'] === true) return v;
  if (Array.isArray(v)) return s.items ? v.map((x) => prune(s.items, x)) : v;
  if (!isObj(v)) return v;
  const props: Json | undefined = s.properties;
  const ap = s.additionalProperties;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (props?.[k]) out[k] = prune(props[k], x);
    else if (isObj(ap)) out[k] = prune(ap, x);
    else if (ap === true || (!props && s.type !== 'object')) out[k] = x;
  }
  return out;
}

/** Structural defaulting: absent properties that have a default get it (copied), then their insides are defaulted. */
function applyDefaultsIn(s: Json | undefined, v: unknown): void {
  if (!s) return;
  if (Array.isArray(v)) {
    if (s.items) for (const x of v) applyDefaultsIn(s.items, x);
    return;
  }
  if (!isObj(v)) return;
  const props: Json = s.properties ?? {};
  for (const [k, p] of Object.entries(props)) {
    if (v[k] === undefined && (p as Json).default !== undefined) v[k] = structuredClone((p as Json).default);
    if (v[k] !== undefined) applyDefaultsIn(p as Json, v[k]);
  }
  if (isObj(s.additionalProperties)) for (const k of Object.keys(v)) if (!(k in props)) applyDefaultsIn(s.additionalProperties, v[k]);
}

/** A custom resource as the apiserver stores it: unknown fields pruned (metadata, apiVersion, kind kept), defaults applied. */
export function pruneAndDefault(schema: Json, obj: Record<string, unknown>): void {
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = obj;
  const pruned = prune(schema, rest) as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (k !== 'apiVersion' && k !== 'kind' && k !== 'metadata' && !(k in pruned)) delete obj[k];
  Object.assign(obj, pruned);
  applyDefaultsIn({ ...schema, properties: Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([k]) => k !== 'metadata')) }, obj);
}

/** JSON's type names as kube-openapi reports a mismatch ("string", "integer", "number", "boolean", "array", "object", "null"). */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeOk(want: string, v: unknown): boolean {
  const t = jsonType(v);
  return want === t || (want === 'number' && t === 'integer');
}

const goNumber = (n: number) => String(n);

function validateIn(s: Json, v: unknown, path: string, out: FieldError[]): void {
  if (v === null && s.nullable === true) return;
  if (s['x-kubernetes-int-or-string'] === true) return;
  if (typeof s.type === 'string' && !typeOk(s.type, v)) {
    out.push(fieldError.invalid(path, jsonType(v), `${path} in body must be of type ${s.type}: "${jsonType(v)}"`));
    return;
  }
  if (Array.isArray(s.enum) && !s.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(v))) {
    out.push(fieldError.notSupported(path, v, s.enum.map((e: unknown) => (typeof e === 'string' ? e : JSON.stringify(e)))));
  }
  if (typeof v === 'number') {
    if (typeof s.maximum === 'number' && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) out.push(fieldError.invalid(path, v, `${path} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${goNumber(s.maximum)}`));
    if (typeof s.minimum === 'number' && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) out.push(fieldError.invalid(path, v, `${path} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${goNumber(s.minimum)}`));
  }
  if (typeof v === 'string' && typeof s.pattern === 'string') {
    let re: RegExp | null = null;
    try {
      re = new RegExp(s.pattern, 'u');
    } catch {
      re = null;
    }
    if (re && !re.test(v)) out.push(fieldError.invalid(path, v, `${path} in body should match '${s.pattern}'`));
  }
  if (Array.isArray(v)) {
    if (typeof s.maxItems === 'number' && v.length > s.maxItems) out.push({ type: 'TooMany', field: path, detail: `${v.length}: must have at most ${s.maxItems} items` });
    if (typeof s.minItems === 'number' && v.length < s.minItems) out.push(fieldError.invalid(path, v, `${path} in body should have at least ${s.minItems} items`));
    if (s.items) v.forEach((x, i) => validateIn(s.items, x, `${path}[${i}]`, out));
    return;
  }
  if (!isObj(v)) return;
  for (const r of (s.required ?? []) as string[]) if (v[r] === undefined) out.push(fieldError.required(path ? `${path}.${r}` : r, ''));
  const props: Json = s.properties ?? {};
  for (const k of Object.keys(v).sort()) {
    const here = path ? `${path}.${k}` : k;
    if (props[k]) validateIn(props[k], v[k], here, out);
    else if (isObj(s.additionalProperties)) validateIn(s.additionalProperties, v[k], here, out);
  }
}

/** The field errors of a custom resource against its schema (metadata, apiVersion and kind are the apiserver's own checks). */
export function crdSchemaErrors(schema: Json, obj: Record<string, unknown>): FieldError[] {
  const out: FieldError[] = [];
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = obj;
  const props = Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([k]) => k !== 'metadata' && k !== 'apiVersion' && k !== 'kind'));
  validateIn({ ...schema, properties: props, required: ((schema.required ?? []) as string[]).filter((r) => r !== 'metadata') }, rest, '', out);
  return out;
}
