// Label selectors (the string syntax of `-l` and the LabelSelector object of
// specs) and field selectors, matched as the apiserver matches them.
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { badRequest } from './errors';

export type Op = '=' | '!=' | 'in' | 'notin' | 'exists' | '!';

export interface Requirement {
  key: string;
  op: Op;
  values: string[];
}

/** A parsed selector: every requirement must hold (AND). An empty list matches everything. */
export type Selector = Requirement[];

/** Parse `a=b,c!=d,e in (x,y),f notin (z),g,!h` (k8s.io/apimachinery/pkg/labels.Parse). Throws BadRequest. */
export function parseLabelSelector(text: string): Selector {
  const out: Selector = [];
  let i = 0;
  const s = text;
  const skip = () => {
    while (i < s.length && s[i] === ' ') i++;
  };
  const word = (): string => {
    skip();
    const start = i;
    while (i < s.length && !' ,=!()'.includes(s[i]!)) i++;
    return s.slice(start, i);
  };
  const fail = (why: string): never => {
    throw badRequest(`unable to parse requirement: ${why}`);
  };
  while (true) {
    skip();
    if (i >= s.length) break;
    if (s[i] === '!') {
      i++;
      const key = word();
      if (!key) fail(`found '${s[i] ?? ''}', expected: identifier`);
      out.push({ key, op: '!', values: [] });
    } else {
      const key = word();
      if (!key) fail(`found '${s[i] ?? ''}', expected: !, identifier, or 'end of string'`);
      skip();
      if (i >= s.length || s[i] === ',') out.push({ key, op: 'exists', values: [] });
      else if (s.startsWith('!=', i)) {
        i += 2;
        out.push({ key, op: '!=', values: [word()] });
      } else if (s.startsWith('==', i)) {
        i += 2;
        out.push({ key, op: '=', values: [word()] });
      } else if (s[i] === '=') {
        i += 1;
        out.push({ key, op: '=', values: [word()] });
      } else {
        const op = word();
        if (op !== 'in' && op !== 'notin') fail(`found '${op}', expected: in, notin, =, ==, !=, gt, lt`);
        skip();
        if (s[i] !== '(') fail(`found '${s[i] ?? ''}', expected: '('`);
        i++;
        const values: string[] = [];
        while (true) {
          const v = word();
          values.push(v);
          skip();
          if (s[i] === ',') {
            i++;
            continue;
          }
          if (s[i] === ')') {
            i++;
            break;
          }
          fail(`found '${s[i] ?? ''}', expected: ',' or ')'`);
        }
        out.push({ key, op: op as Op, values: values.filter((v) => v !== '') });
      }
    }
    skip();
    if (i < s.length) {
      if (s[i] !== ',') fail(`found '${s[i]}', expected: ',' or 'end of string'`);
      i++;
    }
  }
  return out;
}

/** A LabelSelector object as a Selector (matchLabels AND matchExpressions). */
export function fromLabelSelector(sel: LabelSelector | undefined | null): Selector {
  if (!sel) return [];
  const out: Selector = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) out.push({ key: k, op: '=', values: [v] });
  for (const e of sel.matchExpressions ?? []) {
    const op: Op = e.operator === 'In' ? 'in' : e.operator === 'NotIn' ? 'notin' : e.operator === 'Exists' ? 'exists' : '!';
    out.push({ key: e.key, op, values: e.values ?? [] });
  }
  return out;
}

/** A map selector (Service.spec.selector, ReplicationController): equality on every pair. */
export function fromMap(m: Record<string, string> | undefined | null): Selector {
  return Object.entries(m ?? {}).map(([key, v]) => ({ key, op: '=' as const, values: [v] }));
}

export function matches(sel: Selector, labels: Record<string, string> | undefined | null): boolean {
  const l = labels ?? {};
  return sel.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case '=':
        return has && l[r.key] === r.values[0];
      case '!=':
        return !has || l[r.key] !== r.values[0];
      case 'in':
        return has && r.values.includes(l[r.key]!);
      case 'notin':
        return !has || !r.values.includes(l[r.key]!);
      case 'exists':
        return has;
      case '!':
        return !has;
    }
  });
}

/** A LabelSelector object matches labels; an empty selector matches everything, a null one nothing (metav1.LabelSelectorAsSelector). */
export function selectorMatches(sel: LabelSelector | undefined | null, labels: Record<string, string> | undefined | null): boolean {
  if (!sel) return false;
  return matches(fromLabelSelector(sel), labels);
}

/** Text form of a selector as kubectl and the apiserver print it (`app=web,tier in (a,b)`). */
export function selectorText(sel: Selector): string {
  return sel
    .map((r) => {
      switch (r.op) {
        case '=':
          return `${r.key}=${r.values[0]}`;
        case '!=':
          return `${r.key}!=${r.values[0]}`;
        case 'in':
          return `${r.key} in (${[...r.values].sort().join(',')})`;
        case 'notin':
          return `${r.key} notin (${[...r.values].sort().join(',')})`;
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
      }
    })
    .join(',');
}

// ---------------------------------------------------------------- field selectors

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** Parse `status.phase=Running,spec.nodeName!=node01` (`==` accepted). Throws BadRequest. */
export function parseFieldSelector(text: string): FieldRequirement[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    return { field: m[1]!, op: m[2] === '!=' ? '!=' : '=', value: m[3]! };
  });
}

/** The fields a resource can be selected on, and how to read them (as each kind's registry strategy exposes). */
const FIELDS: Record<string, Record<string, (o: any) => string>> = {
  pods: {
    'spec.nodeName': (o) => o.spec?.nodeName ?? '',
    'spec.restartPolicy': (o) => o.spec?.restartPolicy ?? '',
    'spec.schedulerName': (o) => o.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (o) => o.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': (o) => String(o.spec?.hostNetwork ?? false),
    'status.phase': (o) => o.status?.phase ?? '',
    'status.podIP': (o) => o.status?.podIP ?? '',
    'status.nominatedNodeName': (o) => o.status?.nominatedNodeName ?? '',
  },
  events: {
    'involvedObject.kind': (o) => o.involvedObject?.kind ?? '',
    'involvedObject.namespace': (o) => o.involvedObject?.namespace ?? '',
    'involvedObject.name': (o) => o.involvedObject?.name ?? '',
    'involvedObject.uid': (o) => o.involvedObject?.uid ?? '',
    'involvedObject.apiVersion': (o) => o.involvedObject?.apiVersion ?? '',
    'involvedObject.resourceVersion': (o) => o.involvedObject?.resourceVersion ?? '',
    'involvedObject.fieldPath': (o) => o.involvedObject?.fieldPath ?? '',
    reason: (o) => o.reason ?? '',
    reportingComponent: (o) => o.reportingComponent ?? '',
    source: (o) => o.source?.component ?? '',
    type: (o) => o.type ?? '',
  },
  nodes: { 'spec.unschedulable': (o) => String(o.spec?.unschedulable ?? false) },
  namespaces: { 'status.phase': (o) => o.status?.phase ?? '' },
  secrets: { type: (o) => o.type ?? '' },
  replicasets: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
};

/** Does an object satisfy the field selector? Throws BadRequest for a field the resource does not support. */
export function fieldsMatch(resource: string, obj: any, reqs: FieldRequirement[]): boolean {
  return reqs.every((r) => {
    let v: string;
    if (r.field === 'metadata.name') v = obj.metadata?.name ?? '';
    else if (r.field === 'metadata.namespace') v = obj.metadata?.namespace ?? '';
    else {
      const get = FIELDS[resource]?.[r.field];
      if (!get) throw badRequest(`field label not supported: ${r.field}`);
      v = get(obj);
    }
    return r.op === '=' ? v === r.value : v !== r.value;
  });
}
