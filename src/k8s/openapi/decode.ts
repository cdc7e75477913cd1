// Decoding a request's object into the kind's Go types, as kube-apiserver does before defaulting and
// validation, with the errors of the two decoders it uses (facts from k8s.io/apimachinery and the Go standard
// library, read in their sources):
// - the unstructured converter (runtime.DefaultUnstructuredConverter.FromUnstructured), which a strategic
//   merge patch's result goes through: `cannot restore struct from: string`, `cannot restore map from
//   int64`, `cannot restore slice from map`, `unrecognized type: int32`, `cannot convert int64 to string`,
//   `cannot convert float64 to int32`; the fields of a struct are visited in the schema's order;
// - the JSON decoder (sigs.k8s.io/json, Go's encoding/json), which a create or update body and a merge or
//   JSON patch's result go through: `json: cannot unmarshal string into Go struct field
//   DeploymentSpec.spec.replicas of type int32` (the innermost struct's type, the path of JSON names without
//   indices), the first such error in the document's key order, unless a type with its own UnmarshalJSON
//   (IntOrString, Quantity, Time) fails, which stops the decoder with its own message.
// The types come from the served OpenAPI schemas (schemas.json: loadOpenApi() must have resolved, else
// nothing is checked). The schemas say `integer` without the Go width: int64 fields are listed in INT64,
// every other integer is an int32; the []byte maps (Secret.data, ConfigMap.binaryData) are in BYTES.
// A successful decode also gives the object as the Go struct would re-encode it: a null field dropped,
// a null item of a list its type's zero value.
import { openApiData, type CompactSchema, type OpenApiData } from './openapi';
import { StatusError } from '../api/errors';

type T =
  | { k: 'struct'; schema: string; go: string }
  | { k: 'int'; go: 'int32' | 'int64' }
  | { k: 'float' }
  | { k: 'bool' }
  | { k: 'string'; go: string }
  | { k: 'bytes' }
  | { k: 'slice'; item: T }
  | { k: 'map'; val: T }
  | { k: 'intstr' }
  | { k: 'quantity' }
  | { k: 'time' }
  | { k: 'any' };

type FieldType = { t?: string; ref?: string; e?: string[]; i?: FieldType; a?: FieldType; f?: string };

/** Integer fields that are int64 in the Go types (kubernetes-models' schemas, format int64), by `Type.field`. */
const INT64 = new Set(
  'ControllerRevision.revision DaemonSetStatus.observedGeneration DeploymentStatus.observedGeneration ReplicaSetStatus.observedGeneration StatefulSetStatus.observedGeneration CronJobSpec.startingDeadlineSeconds JobSpec.activeDeadlineSeconds ContainerImage.sizeBytes LinuxContainerUser.gid LinuxContainerUser.uid NodeSwapStatus.capacity PodCondition.observedGeneration PodSecurityContext.fsGroup PodSecurityContext.runAsGroup PodSecurityContext.runAsUser PodSpec.activeDeadlineSeconds PodSpec.terminationGracePeriodSeconds PodStatus.observedGeneration Probe.terminationGracePeriodSeconds ReplicationControllerStatus.observedGeneration SecurityContext.runAsGroup SecurityContext.runAsUser ServiceAccountTokenProjection.expirationSeconds SleepAction.seconds Toleration.tolerationSeconds Condition.observedGeneration DeleteOptions.gracePeriodSeconds ListMeta.remainingItemCount ObjectMeta.deletionGracePeriodSeconds ObjectMeta.generation'.split(' '),
);
/** map[string][]byte fields (format byte): their values are base64 strings. */
const BYTES = new Set(['Secret.data', 'ConfigMap.binaryData']);
/** Named string types of common fields (Go prints them in `cannot convert int64 to v1.Protocol`); others say `string`. */
const NAMED: Record<string, string> = {
  'ServicePort.protocol': 'v1.Protocol',
  'ContainerPort.protocol': 'v1.Protocol',
  'ServiceSpec.type': 'v1.ServiceType',
  'ServiceSpec.sessionAffinity': 'v1.ServiceAffinity',
  'ServiceSpec.externalTrafficPolicy': 'v1.ServiceExternalTrafficPolicy',
  'ServiceSpec.internalTrafficPolicy': 'v1.ServiceInternalTrafficPolicy',
  'ServiceSpec.ipFamilyPolicy': 'v1.IPFamilyPolicy',
  'Container.imagePullPolicy': 'v1.PullPolicy',
  'PodSpec.restartPolicy': 'v1.RestartPolicy',
  'PodSpec.dnsPolicy': 'v1.DNSPolicy',
  'DeploymentStrategy.type': 'v1.DeploymentStrategyType',
  'NetworkPolicyPort.protocol': 'v1.Protocol',
  'PodStatus.phase': 'v1.PodPhase',
  'NamespaceStatus.phase': 'v1.NamespacePhase',
  'Secret.type': 'v1.SecretType',
};

/** `v1.DeploymentSpec` from `io.k8s.api.apps.v1.DeploymentSpec` (Go's package name, then the type). */
function goName(schema: string): string {
  const parts = schema.split('.');
  return `${parts.at(-2)}.${parts.at(-1)}`;
}

function resolve(data: OpenApiData, f: FieldType, owner: string, field: string): T {
  const key = `${owner}.${field}`;
  if (f.ref) {
    const s = data.schemas[f.ref];
    const last = f.ref.split('.').at(-1)!;
    if (last === 'IntOrString') return { k: 'intstr' };
    if (last === 'Quantity') return { k: 'quantity' };
    if (last === 'Time' || last === 'MicroTime') return { k: 'time' };
    if (!s?.p) return { k: 'any' }; // RawExtension, FieldsV1, a CRD's free-form spec
    return { k: 'struct', schema: f.ref, go: goName(f.ref) };
  }
  switch (f.t) {
    case 'integer':
      return { k: 'int', go: INT64.has(key) ? 'int64' : 'int32' };
    case 'number':
      return { k: 'float' };
    case 'boolean':
      return { k: 'bool' };
    case 'string':
      return { k: 'string', go: NAMED[key] ?? 'string' };
    case 'array':
      return f.i ? { k: 'slice', item: resolve(data, f.i, owner, field) } : { k: 'any' };
    case 'object':
      if (!f.a) return { k: 'any' };
      return { k: 'map', val: BYTES.has(key) ? { k: 'bytes' } : resolve(data, f.a, owner, field) };
    default:
      return { k: 'any' };
  }
}

/** Go's name of a type, as reflect.Type.String() prints it. */
function typeString(t: T): string {
  switch (t.k) {
    case 'struct':
      return t.go;
    case 'int':
    case 'string':
      return t.go;
    case 'float':
      return 'float64';
    case 'bool':
      return 'bool';
    case 'bytes':
      return '[]uint8';
    case 'slice':
      return `[]${typeString(t.item)}`;
    case 'map':
      return `map[string]${typeString(t.val)}`;
    case 'intstr':
      return 'intstr.IntOrString';
    case 'quantity':
      return 'resource.Quantity';
    case 'time':
      return 'v1.Time';
    default:
      return 'interface {}';
  }
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** An integral number as decoded into interface{} with PreserveInts is an int64; any other a float64. */
const isInt64 = (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 63;

/** What an unstructured value is, as reflect.Kind prints it. */
function kindOf(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return isInt64(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return 'slice';
  return 'map';
}

/** The JSON decoder's word for a value: string, number, bool, object, array. */
function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  return Array.isArray(v) ? 'array' : 'object';
}

/** Go's JSON text of a number (encoding/json: exponent form below 1e-6 and from 1e21, two-digit exponents). */
function jsonNumber(n: number): string {
  const a = Math.abs(n);
  if (a !== 0 && (a < 1e-6 || a >= 1e21)) return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(n);
}

function base64Error(s: string): string | null {
  const clean = s.replace(/[\r\n]/g, '');
  const m = /^[A-Za-z0-9+/]*={0,2}$/.exec(clean);
  if (m && clean.length % 4 === 0) return null;
  let i = 0;
  while (i < clean.length && /[A-Za-z0-9+/]/.test(clean[i]!)) i++;
  if (i === clean.length || clean[i] === '=') i = clean.length % 4 === 0 ? i : Math.max(0, clean.length - (clean.length % 4 || 4));
  return `illegal base64 data at input byte ${i}`;
}

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const SUFFIXES = new Set(['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E']);

/** resource.ParseQuantity's error for a value's JSON text, or null. */
function quantityError(v: unknown): string | null {
  const s = (typeof v === 'string' ? v : typeof v === 'number' ? jsonNumber(v) : JSON.stringify(v)).trim();
  const m = QUANTITY.exec(s);
  if (!s || !m) return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  if (!SUFFIXES.has(m[2]!) && !/^[eE][-+]?[0-9]+$/.test(m[2]!)) return "unable to parse quantity's suffix";
  if ((m[1]!.match(/\./g) ?? []).length > 1 || !/[0-9]/.test(m[1]!)) return 'unable to parse numeric part of quantity';
  return null;
}

const RFC3339 = '2006-01-02T15:04:05Z07:00';
/** time.Parse(time.RFC3339, s)'s error, or null (Go's element-by-element messages). */
export function timeError(s: string): string | null {
  const fail = (rest: string, elem: string) => `parsing time ${JSON.stringify(s)} as ${JSON.stringify(RFC3339)}: cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(elem)}`;
  const steps: Array<[string, number, number, number, string]> = [
    ['2006', 4, 0, 9999, ''],
    ['01', 2, 1, 12, 'month'],
    ['02', 2, 1, 31, 'day'],
    ['15', 2, 0, 23, 'hour'],
    ['04', 2, 0, 59, 'minute'],
    ['05', 2, 0, 59, 'second'],
  ];
  const seps = ['-', '-', 'T', ':', ':'];
  let rest = s;
  for (let i = 0; i < steps.length; i++) {
    const [elem, width, lo, hi, what] = steps[i]!;
    const digits = rest.slice(0, width);
    if (!new RegExp(`^[0-9]{${width}}$`).test(digits)) return fail(rest, elem);
    const n = Number(digits);
    if (what && (n < lo || n > hi)) return `parsing time ${JSON.stringify(s)}: ${what} out of range`;
    rest = rest.slice(width);
    if (i < seps.length) {
      if (!rest.startsWith(seps[i]!)) return fail(rest, seps[i]!);
      rest = rest.slice(1);
    }
  }
  rest = rest.replace(/^[.,][0-9]+/, '');
  if (rest === 'Z' || /^[+-][0-9]{2}:[0-9]{2}$/.test(rest)) return null;
  if (rest === '') return fail('', 'Z07:00');
  if (!/^[Z+-]/.test(rest)) return fail(rest, 'Z07:00');
  return `parsing time ${JSON.stringify(s)}: extra text: ${JSON.stringify(rest)}`;
}

/** The error of a type with its own UnmarshalJSON (IntOrString, Quantity, Time), given the value's JSON. */
function customError(t: T, v: unknown): string | null {
  if (t.k === 'intstr') {
    if (typeof v === 'string') return null;
    if (typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31) return null;
    return `json: cannot unmarshal ${typeof v === 'number' ? `number ${jsonNumber(v)}` : jsonKind(v)} into Go value of type int32`;
  }
  if (t.k === 'quantity') return quantityError(v);
  if (t.k === 'time') return typeof v === 'string' ? timeError(v) : `json: cannot unmarshal ${jsonKind(v)} into Go value of type string`;
  return null;
}

function zeroOf(t: T): unknown {
  switch (t.k) {
    case 'struct':
      return {};
    case 'int':
    case 'float':
      return 0;
    case 'bool':
      return false;
    case 'string':
      return '';
    default:
      return null;
  }
}

interface Ctx {
  data: OpenApiData;
  json: boolean;
  /** the JSON decoder's first saved type error */
  saved: string | null;
  /** the innermost struct and the path of JSON names (the JSON decoder's error context) */
  struct: string;
  path: string[];
}

class Stop extends Error {}

function typeMismatch(ctx: Ctx, v: unknown, t: T, literal?: string): void {
  if (ctx.saved !== null) return;
  const what = literal !== undefined ? `number ${literal}` : jsonKind(v);
  const where = ctx.struct || ctx.path.length ? `Go struct field ${ctx.struct}.${ctx.path.join('.')}` : 'Go value';
  ctx.saved = `json: cannot unmarshal ${what} into ${where} of type ${typeString(t)}`;
}

/** A value decoded into type t: the value as re-encoded; a converter error throws Stop(message). */
function decode(ctx: Ctx, v: unknown, t: T): unknown {
  if (v === null || v === undefined) return v;
  const conv = !ctx.json;
  switch (t.k) {
    case 'any':
      return v;
    case 'intstr':
    case 'quantity':
    case 'time': {
      const e = customError(t, v);
      if (e) throw new Stop(e);
      return v;
    }
    case 'int':
    case 'float':
      if (typeof v === 'number') {
        if (t.k === 'float' || Number.isInteger(v)) {
          const bits = t.k === 'int' && t.go === 'int32' ? 2 ** 31 : 2 ** 63;
          if (t.k === 'float' || (v >= -bits && v < bits) || conv) return v;
        }
        if (conv) throw new Stop(`cannot convert float64 to ${typeString(t)}`);
        typeMismatch(ctx, v, t, jsonNumber(v));
        return undefined;
      }
      if (conv) throw new Stop(`unrecognized type: ${typeString(t)}`);
      typeMismatch(ctx, v, t);
      return undefined;
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (conv) throw new Stop('unrecognized type: bool');
      typeMismatch(ctx, v, t);
      return undefined;
    case 'string':
      if (typeof v === 'string') return v;
      if (conv) throw new Stop(kindOf(v) === 'int64' ? `cannot convert int64 to ${t.go}` : 'unrecognized type: string');
      typeMismatch(ctx, v, t);
      return undefined;
    case 'bytes':
      if (typeof v === 'string') {
        const e = base64Error(v);
        if (e) {
          if (conv) throw new Stop(`error decoding from json: ${e}`);
          ctx.saved ??= e;
        }
        return v;
      }
      if (conv) throw new Stop(`cannot restore slice from ${kindOf(v)}`);
      typeMismatch(ctx, v, t);
      return undefined;
    case 'slice':
      if (!Array.isArray(v)) {
        if (conv) throw new Stop(`cannot restore slice from ${kindOf(v)}`);
        typeMismatch(ctx, v, t);
        return undefined;
      }
      return v.map((x) => (x === null ? zeroOf(t.item) : decode(ctx, x, t.item) ?? zeroOf(t.item)));
    case 'map': {
      if (!isMap(v)) {
        if (conv) throw new Stop(`cannot restore map from ${kindOf(v)}`);
        typeMismatch(ctx, v, t);
        return undefined;
      }
      const got = new Map<string, unknown>();
      for (const k of ctx.json ? Object.keys(v).sort() : Object.keys(v)) {
        const x = v[k];
        got.set(k, x === null ? zeroOf(t.val) : decode(ctx, x, t.val) ?? zeroOf(t.val));
      }
      return inOrder(v, got);
    }
    case 'struct':
      if (!isMap(v)) {
        if (conv) throw new Stop(`cannot restore struct from: ${kindOf(v)}`);
        typeMismatch(ctx, v, t);
        return undefined;
      }
      return decodeStruct(ctx, v, t.schema);
  }
}

function decodeStruct(ctx: Ctx, v: Record<string, unknown>, schema: string): Record<string, unknown> {
  const s: CompactSchema = ctx.data.schemas[schema]!;
  const owner = schema.split('.').at(-1)!;
  const props = s.p ?? {};
  const got = new Map<string, unknown>();
  // the converter walks the struct's fields; the JSON decoder the document's keys (sorted, as re-encoded)
  const keys = ctx.json ? Object.keys(v).sort() : Object.keys(props).filter((k) => Object.hasOwn(v, k));
  for (const k of keys) {
    const x = v[k];
    const f = Object.hasOwn(props, k) ? props[k] : undefined;
    if (!f || x === null || x === undefined) continue; // unknown fields stay as they are (field validation reports them)
    const [struct, depth] = [ctx.struct, ctx.path.length];
    ctx.struct = owner;
    ctx.path.push(k);
    got.set(k, decode(ctx, x, resolve(ctx.data, f, owner, k)));
    ctx.struct = struct;
    ctx.path.length = depth;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const known = Object.hasOwn(props, k);
    if (known && (v[k] === null || v[k] === undefined || got.get(k) === undefined)) continue; // null: the zero value, not encoded
    Object.defineProperty(out, k, { value: known ? got.get(k) : v[k], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The decoded values of a map in the input's key order (the decoders' order is only that of their checks). */
function inOrder(v: Record<string, unknown>, got: Map<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: got.get(k), enumerable: true, writable: true, configurable: true });
  return out;
}

const schemaCache = new Map<string, string | null>();
/** The schema of an apiVersion and kind (null when the data is not loaded, has no such kind, or only a free-form one). */
function schemaFor(data: OpenApiData, apiVersion: string, kind: string): string | null {
  const key = `${apiVersion}/${kind}`;
  if (!schemaCache.has(key)) {
    const [g, ver] = apiVersion.includes('/') ? (apiVersion.split('/', 2) as [string, string]) : ['', apiVersion];
    const hit = Object.entries(data.schemas).find(([, s]) => s.gvk && s.gvk[0] === g && s.gvk[1] === ver && s.gvk[2] === kind);
    schemaCache.set(key, hit && hit[1].p ? hit[0] : null);
  }
  return schemaCache.get(key)!;
}

export type DecodeResult = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

/**
 * Decodes an object of `apiVersion`/`kind` into its Go type: with the unstructured converter (`converter`,
 * a strategic merge patch's result) or the JSON decoder (a body, a merge or JSON patch's result).
 * null when the schema data is not loaded or the kind has no typed schema (CRDs).
 */
export function decodeObject(obj: Record<string, unknown>, apiVersion: string, kind: string, decoder: 'converter' | 'json'): DecodeResult | null {
  const data = openApiData();
  const schema = data && schemaFor(data, apiVersion, kind);
  if (!data || !schema) return null;
  const ctx: Ctx = { data, json: decoder === 'json', saved: null, struct: '', path: [] };
  if (!isMap(obj)) return { ok: false, error: `json: cannot unmarshal ${jsonKind(obj)} into Go value of type ${goName(schema)}` };
  try {
    const value = decodeStruct(ctx, obj, schema);
    return ctx.saved !== null ? { ok: false, error: ctx.saved } : { ok: true, value };
  } catch (e) {
    if (e instanceof Stop) return { ok: false, error: e.message };
    throw e;
  }
}

/** Go's `%+v` of a decoded JSON value (map[k:v ...] with sorted keys, [a b], strings bare, numbers as %v). */
export function goPrint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return isInt64(v) ? String(v) : goFloat(v);
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  const o = v as Record<string, unknown>;
  return `map[${Object.keys(o)
    .sort()
    .map((k) => `${k}:${goPrint(o[k])}`)
    .join(' ')}]`;
}

/** %v of a float64 (strconv %g, shortest): exponent form when the exponent is below -4 or from 6. */
function goFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  const exp = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 6) return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(n);
}

/** The JSON text of a value with the keys of every object sorted (as Go marshals a map). */
export function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (isMap(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${sortedJson(v[k])}`).join(',')}}`;
  return v === undefined ? 'null' : typeof v === 'number' ? jsonNumber(v) : JSON.stringify(v);
}

/** kube-apiserver's Invalid for a patch whose result does not decode: `"" is invalid: patch: Invalid value: "<v>": <err>`. */
export function patchInvalid(value: string, error: string): StatusError {
  const body = `Invalid value: ${JSON.stringify(value)}: ${error}`;
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: ` "" is invalid: patch: ${body}`,
    reason: 'Invalid',
    details: { causes: [{ reason: 'FieldValueInvalid', message: body, field: 'patch' }] },
    code: 422,
  });
}

/** The create/update handlers' BadRequest for a body that does not decode. */
export function bodyUndecodable(apiVersion: string, kind: string, error: string): StatusError {
  const message = `${kind} in version ${JSON.stringify(apiVersion.split('/').at(-1))} cannot be handled as a ${kind}: ${error}`;
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });
}
