// kubectl describe namespace, configmap, secret, serviceaccount, and the generic describer kubectl uses for
// kinds it has no describer for (the Gateway API's custom resources).
import type { KObject } from '../../../k8s/api';
import { PrefixWriter } from './tabwriter';
import { annotationsBlock, eventsBlock, labelsBlock, refOf, rfc1123z, searchEvents, type Any, type DescribeContext, objectHeader } from './common';
import { parseQuantity, quantityString } from './quantity';

function base64Bytes(v: unknown): Uint8Array {
  try {
    return Uint8Array.from(atob(String(v ?? '')), (c) => c.charCodeAt(0));
  } catch {
    return new Uint8Array();
  }
}

export function describeNamespace(ctx: DescribeContext, o: KObject): string {
  const ns = o as Any;
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ns.metadata.name}\n`);
  labelsBlock(w, 'Labels', ns.metadata.labels);
  annotationsBlock(w, 'Annotations', ns.metadata.annotations);
  w.write(0, `Status:\t${ns.status?.phase ?? ''}\n`);
  if (ns.status?.conditions?.length) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t------------------\t------\t-------\n');
    for (const c of ns.status.conditions) w.write(1, `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
  }
  const quotas = ctx.api.scan('resourcequotas', ns.metadata.name) as Any[];
  w.write(0, '\n');
  if (!quotas.length) w.write(0, 'No resource quota.\n');
  else {
    w.write(0, 'Resource Quotas\n');
    for (const q of [...quotas].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) {
      w.write(1, `Name:\t${q.metadata.name}\n`);
      w.write(1, 'Resource\tUsed\tHard\n');
      w.write(1, '--------\t---\t---\n');
      for (const r of Object.keys(q.status?.hard ?? {}).sort()) w.write(1, `${r}\t${quantityString(parseQuantity(q.status?.used?.[r] ?? '0'))}\t${quantityString(parseQuantity(q.status.hard[r]))}\n`);
    }
  }
  const limits = ctx.api.scan('limitranges', ns.metadata.name) as Any[];
  w.write(0, '\n');
  w.write(0, limits.length ? 'Resource Limits\n' : 'No LimitRange resource.\n');
  return w.toString();
}

export function describeConfigMap(ctx: DescribeContext, o: KObject): string {
  const cm = o as Any;
  const w = new PrefixWriter();
  objectHeader(w, cm.metadata);
  w.write(0, '\nData\n====\n');
  for (const k of Object.keys(cm.data ?? {}).sort()) {
    w.write(0, `${k}:\n----\n`);
    w.write(0, `${cm.data[k]}\n`);
    w.write(0, '\n');
  }
  w.write(0, '\nBinaryData\n====\n');
  for (const k of Object.keys(cm.binaryData ?? {}).sort()) w.write(0, `${k}: ${base64Bytes(cm.binaryData[k]).length} bytes\n`);
  w.write(0, '\n');
  if (ctx.showEvents) eventsBlock(w, searchEvents(ctx.api, refOf(o, 'ConfigMap')), ctx.now);
  return w.toString();
}

export function describeSecret(_ctx: DescribeContext, o: KObject): string {
  const s = o as Any;
  const w = new PrefixWriter();
  objectHeader(w, s.metadata);
  w.write(0, `\nType:\t${s.type ?? ''}\n`);
  w.write(0, '\nData\n====\n');
  for (const k of Object.keys(s.data ?? {}).sort()) {
    const bytes = base64Bytes(s.data[k]);
    if (k === 'token' && s.type === 'kubernetes.io/service-account-token') w.write(0, `${k}:\t${new TextDecoder().decode(bytes)}\n`);
    else w.write(0, `${k}:\t${bytes.length} bytes\n`);
  }
  return w.toString();
}

export function describeServiceAccount(ctx: DescribeContext, o: KObject): string {
  const sa = o as Any;
  const w = new PrefixWriter();
  const ns = sa.metadata.namespace;
  objectHeader(w, sa.metadata);
  const secrets = ctx.api.scan('secrets', ns) as Any[];
  const tokens = secrets.filter((s) => s.type === 'kubernetes.io/service-account-token' && s.metadata.annotations?.['kubernetes.io/service-account.name'] === sa.metadata.name).map((s) => s.metadata.name);
  const mountable = (sa.secrets ?? []).map((r: Any) => (secrets.some((s) => s.metadata.name === r.name) ? r.name : `${r.name} (not found)`));
  const rows: Array<[string, string[]]> = [
    ['Image pull secrets:', (sa.imagePullSecrets ?? []).map((r: Any) => r.name)],
    ['Mountable secrets: ', mountable],
    ['Tokens:            ', tokens],
  ];
  for (const [header, names] of rows) {
    if (!names.length) w.write(0, `${header}\t<none>\n`);
    else names.forEach((n, i) => w.write(0, `${i ? ' '.repeat(19) : header}\t${n}\n`));
  }
  if (ctx.showEvents) eventsBlock(w, searchEvents(ctx.api, refOf(o, 'ServiceAccount')), ctx.now);
  return w.toString();
}

/** smartLabelFor: a field name as words (camelCase split, acronyms kept, lower-case words capitalised) */
export function smartLabel(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  const parts = field.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[^A-Za-z]+/g) ?? [field];
  return parts
    .map((p) => (['API', 'URL', 'UID', 'GUID'].includes(p.toUpperCase()) ? p.toUpperCase() : p === p.toLowerCase() ? p[0]!.toUpperCase() + p.slice(1) : p))
    .join(' ');
}

function unstructured(w: PrefixWriter, level: number, content: Any, prefix: string, skip: string[]): void {
  for (const field of Object.keys(content).sort()) {
    const v = content[field];
    const path = `${prefix}.${field}`;
    if (skip.includes(path)) continue;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      w.write(level, `${smartLabel(field)}:\n`);
      unstructured(w, level + 1, v, path, skip);
    } else if (Array.isArray(v)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const c of v) {
        if (c && typeof c === 'object' && !Array.isArray(c)) unstructured(w, level + 1, c, path, skip);
        else w.write(level + 1, `${goValue(c)}\n`);
      }
    } else w.write(level, `${smartLabel(field)}:\t${goValue(v)}\n`);
  }
}

/** fmt's %v of a JSON value */
function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  return String(v);
}

export function describeGeneric(ctx: DescribeContext, o: KObject): string {
  const w = new PrefixWriter();
  objectHeader(w, o.metadata as Any);
  unstructured(w, 0, o as Any, '', ['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);
  if (ctx.showEvents) eventsBlock(w, searchEvents(ctx.api, refOf(o, o.kind ?? '')), ctx.now);
  return w.toString();
}
