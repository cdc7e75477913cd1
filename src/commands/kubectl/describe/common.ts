// What kubectl describe's describers share: the multi-line label/annotation/taint/toleration blocks, times in
// RFC1123Z, the Events table (the events the server holds about the object, as searchEvents selects them).
import type { Api, KObject } from '../../../k8s/api';
import { parseTime } from '../../../k8s/api';
import { humanDuration, since } from '../../../k8s/http/printers';
import { PrefixWriter } from './tabwriter';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = Record<string, any>;

export interface DescribeContext {
  api: Api;
  now: number;
  showEvents: boolean;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const MAX_ANNOTATION_LEN = 140;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** time.Time.Format(time.RFC1123Z) of an RFC 3339 timestamp (UTC) */
export function rfc1123z(t: string | null | undefined): string {
  const ms = parseTime(t);
  const d = new Date(ms === null ? Date.UTC(1, 0, 1) : Date.parse(String(t)));
  if (ms === null) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

export const orNone = (s: string | undefined | null) => (s ? s : '<none>');

/** printLabelsMultilineWithIndent */
export function labelsBlock(w: PrefixWriter, title: string, labels: Record<string, string> | undefined, initialIndent = '', innerIndent = '\t'): void {
  w.write(0, `${initialIndent}${title}:${innerIndent}`);
  const keys = Object.keys(labels ?? {}).sort();
  if (!keys.length) return w.line('<none>');
  keys.forEach((k, i) => {
    if (i) w.write(0, initialIndent + innerIndent);
    w.write(0, `${k}=${labels![k]}\n`);
  });
}

/** printAnnotationsMultiline (the last-applied-configuration annotation is never shown) */
export function annotationsBlock(w: PrefixWriter, title: string, annotations: Record<string, string> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {}).filter((k) => k !== LAST_APPLIED).sort();
  if (!keys.length) return w.line('<none>');
  keys.forEach((k, i) => {
    if (i) w.write(0, '\t');
    const value = annotations![k]!.replace(/\n$/, '');
    if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${k}:\n`);
      for (const s of value.split('\n')) w.write(0, `\t  ${s.length > MAX_ANNOTATION_LEN - 2 ? s.slice(0, MAX_ANNOTATION_LEN - 2) + '...' : s}\n`);
    } else w.write(0, `${k}: ${value}\n`);
  });
}

/** The four lines most describers open with: Name, Namespace, then the Labels and Annotations blocks */
export function objectHeader(w: PrefixWriter, meta: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }): void {
  w.write(0, `Name:\t${meta.name ?? ''}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  labelsBlock(w, 'Labels', meta.labels);
  annotationsBlock(w, 'Annotations', meta.annotations);
}

export function taintText(t: Any): string {
  let s = t.key ?? '';
  if (t.value) s += `=${t.value}`;
  if (t.effect) s += `:${t.effect}`;
  return s;
}

export function taintsBlock(w: PrefixWriter, title: string, taints: Any[] | undefined): void {
  w.write(0, `${title}:\t`);
  if (!taints?.length) return w.line('<none>');
  const key = (t: Any) => `${t.effect ?? ''},${t.key ?? ''}`;
  [...taints].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).forEach((t, i) => {
    if (i) w.write(0, '\t');
    w.write(0, `${taintText(t)}\n`);
  });
}

export function tolerationsBlock(w: PrefixWriter, title: string, tolerations: Any[] | undefined, initialIndent = ''): void {
  w.write(0, `${initialIndent}${title}:\t`);
  if (!tolerations?.length) return w.line('<none>');
  const sorted = tolerations.map((t, i) => ({ t, i })).sort((a, b) => ((a.t.key ?? '') < (b.t.key ?? '') ? -1 : (a.t.key ?? '') > (b.t.key ?? '') ? 1 : a.i - b.i));
  sorted.forEach(({ t }, i) => {
    if (i) w.write(0, `${initialIndent}\t`);
    let s = t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    w.write(0, s + '\n');
  });
}

/** labels.Selector's String(): requirements sorted by key */
export function selectorString(sel: Any | undefined): string {
  if (!sel) return '';
  const parts: Array<[string, string]> = [];
  for (const k of Object.keys(sel.matchLabels ?? {})) parts.push([k, `${k}=${sel.matchLabels[k]}`]);
  for (const e of sel.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',');
    const text = e.operator === 'Exists' ? e.key : e.operator === 'DoesNotExist' ? `!${e.key}` : `${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${vals})`;
    parts.push([e.key, text]);
  }
  return parts.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((p) => p[1]).join(',');
}

/** labels.FormatLabels: k=v sorted, `<none>` when empty */
export function formatLabels(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${m![k]}`).join(',') : '<none>';
}

export interface EventRef {
  name: string;
  namespace: string;
  kind?: string;
  uid?: string;
}

/** searchEvents: the events whose involvedObject has this name, namespace, kind and uid (as the field selector does). */
export function searchEvents(api: Api, ref: EventRef): KObject[] {
  const out: KObject[] = [];
  for (const e of api.scan('events', ref.namespace || null) as Any[]) {
    const io = e.involvedObject ?? {};
    if ((io.name ?? '') !== ref.name || (io.namespace ?? '') !== ref.namespace) continue;
    if (ref.kind && io.kind !== ref.kind) continue;
    if (ref.uid && io.uid !== ref.uid) continue;
    out.push(e as KObject);
  }
  return out;
}

export function refOf(o: KObject, kind: string): EventRef {
  return { name: o.metadata.name ?? '', namespace: o.metadata.namespace ?? '', kind, uid: o.metadata.uid };
}

/** DescribeEvents: sorted by last timestamp (stable, as Go's insertion sort for short lists) */
export function eventsBlock(w: PrefixWriter, events: KObject[], now: number): void {
  if (!events.length) return w.write(0, 'Events:\t<none>\n');
  const last = (e: Any) => parseTime(e.lastTimestamp) ?? -Infinity;
  const sorted = [...(events as Any[])].sort((a, b) => last(a) - last(b));
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    let first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
    if (!e.eventTime && !e.firstTimestamp) first = '<unknown>';
    let interval = first;
    if (e.series) interval = `${since(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
    const source = e.source?.component || e.reportingComponent || '';
    const message = String(e.message ?? '').trim();
    w.write(1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${message}\n`);
  }
}

export { humanDuration, since };
