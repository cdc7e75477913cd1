// API errors as kube-apiserver returns them: a metav1.Status with the
// reason, the code and the message worded as k8s.io/apimachinery's
// errors and field packages word them. kubectl prints `Error from server
// (Reason): message` (or `The X "n" is invalid: ...` for Invalid) from it.
import type { Status } from 'kubernetes-types/meta/v1';
import type { ResourceInfo } from './registry';
import { groupKind, groupResource } from './registry';

export class StatusError extends Error {
  readonly status: Status & { code: number; reason: string; message: string };
  constructor(status: Status & { code: number; reason: string; message: string }) {
    super(status.message);
    this.name = 'StatusError';
    this.status = status;
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string {
    return this.status.reason;
  }
}

function status(code: number, reason: string, message: string, details?: Status['details']): StatusError {
  const s: Status & { code: number; reason: string; message: string } = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) s.details = details;
  // key order as the apiserver serialises a Status
  const ordered = { kind: s.kind, apiVersion: s.apiVersion, metadata: s.metadata, status: s.status, message: s.message, reason: s.reason, ...(details ? { details } : {}), code: s.code };
  return new StatusError(ordered as typeof s);
}

function details(info: ResourceInfo, name: string, kind = info.resource): NonNullable<Status['details']> {
  return info.group ? { name, group: info.group, kind } : { name, kind };
}

/** `pods "x" not found` (404). */
export function notFound(info: ResourceInfo, name: string): StatusError {
  return status(404, 'NotFound', `${groupResource(info)} "${name}" not found`, details(info, name));
}

/** `pods "x" already exists` (409). */
export function alreadyExists(info: ResourceInfo, name: string): StatusError {
  return status(409, 'AlreadyExists', `${groupResource(info)} "${name}" already exists`, details(info, name));
}

/** `Operation cannot be fulfilled on pods "x": <why>` (409). */
export function conflict(info: ResourceInfo, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): StatusError {
  return status(409, 'Conflict', `Operation cannot be fulfilled on ${groupResource(info)} "${name}": ${why}`, details(info, name));
}

/** `pods "x" is forbidden: <why>` (403). */
export function forbidden(info: ResourceInfo, name: string, why: string): StatusError {
  return status(403, 'Forbidden', `${groupResource(info)} "${name}" is forbidden: ${why}`, details(info, name));
}

export function badRequest(message: string): StatusError {
  return status(400, 'BadRequest', message);
}

export function methodNotAllowed(message = 'the server does not allow this method on the requested resource'): StatusError {
  return status(405, 'MethodNotAllowed', message);
}

export function internalError(message: string): StatusError {
  return status(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}

// ---------------------------------------------------------------- field errors (k8s.io/apimachinery/pkg/util/validation/field)

export type FieldErrorType = 'Required' | 'Invalid' | 'NotSupported' | 'Duplicate' | 'Forbidden' | 'TooLong' | 'TooMany' | 'NotFound';

const TYPE_TEXT: Record<FieldErrorType, string> = {
  Required: 'Required value',
  Invalid: 'Invalid value',
  NotSupported: 'Unsupported value',
  Duplicate: 'Duplicate value',
  Forbidden: 'Forbidden',
  TooLong: 'Too long',
  TooMany: 'Too many',
  NotFound: 'Not found',
};

const CAUSE: Record<FieldErrorType, string> = {
  Required: 'FieldValueRequired',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Duplicate: 'FieldValueDuplicate',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
  TooMany: 'FieldValueTooMany',
  NotFound: 'FieldValueNotFound',
};

export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** the bad value; rendered as Go prints it (strings quoted, numbers plain), or `rawValue` verbatim */
  value?: unknown;
  /** the value already rendered (e.g. Go's %#v of a map: `map[string]string{"app":"x"}`) */
  rawValue?: string;
  detail?: string;
}

export const fieldError = {
  required: (field: string, detail = ''): FieldError => ({ type: 'Required', field, detail }),
  invalid: (field: string, value: unknown, detail = ''): FieldError => ({ type: 'Invalid', field, value, detail }),
  notSupported: (field: string, value: unknown, supported: string[]): FieldError => ({ type: 'NotSupported', field, value, detail: supported.length ? `supported values: ${supported.map((s) => `"${s}"`).join(', ')}` : '' }),
  duplicate: (field: string, value: unknown): FieldError => ({ type: 'Duplicate', field, value }),
  forbidden: (field: string, detail: string): FieldError => ({ type: 'Forbidden', field, detail }),
  notFound: (field: string, value: unknown): FieldError => ({ type: 'NotFound', field, value }),
};

/** Go's rendering of a value in a field error (ErrorBody). */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
  if (typeof v === 'object' && Object.values(v as object).every((x) => typeof x === 'string')) {
    const keys = Object.keys(v as object).sort();
    return `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify((v as Record<string, string>)[k])}`).join(', ')}}`;
  }
  return JSON.stringify(v);
}

/** The text after the field: `Required value`, `Invalid value: "x": detail`. */
export function errorBody(e: FieldError): string {
  let s: string;
  if (e.type === 'Required' || e.type === 'Forbidden' || e.type === 'TooMany') s = TYPE_TEXT[e.type];
  else s = `${TYPE_TEXT[e.type]}: ${e.rawValue ?? goValue(e.value)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function fieldErrorText(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/** `Pod "x" is invalid: <one error>` or `... is invalid: [e1, e2]` (422), with the causes. */
export function invalid(info: ResourceInfo, name: string, errs: FieldError[]): StatusError {
  const texts: string[] = [];
  for (const e of errs) {
    const t = fieldErrorText(e);
    if (!texts.includes(t)) texts.push(t);
  }
  const agg = texts.length === 1 ? texts[0]! : `[${texts.join(', ')}]`;
  const causes = errs.map((e) => ({ reason: CAUSE[e.type], message: errorBody(e), field: e.field }));
  const d: NonNullable<Status['details']> = info.group ? { name, group: info.group, kind: info.kind, causes } : { name, kind: info.kind, causes };
  return status(422, 'Invalid', `${groupKind(info)} "${name}" is invalid: ${agg}`, d);
}
