// kubectl's output printers: -o yaml|json|name|jsonpath=|jsonpath-as-json=|go-template=|custom-columns=, and the
// tabwriter every table goes through.
import { collect, evalRelaxed, execute, JsonPathError, parseTemplate, textOf } from './jsonpath';
import { toJson, toYaml } from './yaml';
import { UsageError, type Obj } from './generators';

/** Go's text/tabwriter as kubectl configures it (minwidth 6, padding 3, cells padded with spaces). */
export function tabwrite(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return rows
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(Math.max(6, widths[i]! + 3) - [...c].length))).join('') + '\n')
    .join('');
}

export const CREATE_FORMATS = 'go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml';
export const GET_FORMATS = 'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml';

export interface OutputSpec {
  kind: 'yaml' | 'json' | 'name' | 'jsonpath' | 'jsonpath-as-json' | 'go-template' | 'custom-columns' | 'wide' | 'default';
  /** custom-columns: --no-headers */
  noHeaders?: boolean;
  template: string;
}

/** Parse -o (and --template) against the printers a command allows. */
export function outputSpec(o: string, templateFlag: string, allowed: string): OutputSpec {
  if (o === '') return { kind: 'default', template: '' };
  const eq = o.indexOf('=');
  const name = eq >= 0 ? o.slice(0, eq) : o;
  const tpl = eq >= 0 ? o.slice(eq + 1) : templateFlag;
  const list = allowed.split(',');
  const bad = () => new UsageError(`unable to match a printer suitable for the output format "${o}", allowed formats are: ${allowed}`);
  if (!list.includes(name)) throw bad();
  if ((name === 'yaml' || name === 'json' || name === 'name' || name === 'wide') && eq >= 0) throw bad();
  switch (name) {
    case 'yaml':
    case 'json':
    case 'name':
    case 'wide':
      return { kind: name, template: '' };
    case 'jsonpath':
    case 'jsonpath-as-json':
      if (!tpl) throw new UsageError('template format specified but no template given');
      return { kind: name, template: tpl };
    case 'go-template':
    case 'template':
      if (!tpl) throw new UsageError('template format specified but no template given');
      return { kind: 'go-template', template: tpl };
    case 'custom-columns':
      if (!tpl) throw new UsageError('custom-columns format specified but no custom columns given');
      return { kind: 'custom-columns', template: tpl };
  }
  throw bad();
}

/** `deployment.apps/web` */
export function resourceName(obj: Obj): string {
  const kind = String(obj.kind ?? '').toLowerCase();
  const api = String(obj.apiVersion ?? '');
  const group = api.includes('/') ? api.split('/')[0]! : '';
  const name = String((obj.metadata as Obj | undefined)?.name ?? '');
  return `${kind}${group ? '.' + group : ''}/${name}`;
}

/** Print one object (or a List) in a structured format. */
export function printStructured(obj: Obj, spec: OutputSpec): string {
  switch (spec.kind) {
    case 'yaml':
      return toYaml(obj);
    case 'json':
      return toJson(obj);
    case 'name':
      if (obj.kind === 'List') return ((obj.items as Obj[]) ?? []).map((o) => resourceName(o) + '\n').join('');
      return resourceName(obj) + '\n';
    case 'jsonpath-as-json': {
      // every result of every expression, as one JSON array (4-space indent)
      const data = JSON.parse(JSON.stringify(obj));
      const results: unknown[] = [];
      collect(parseTemplate(spec.template), data, results);
      return JSON.stringify(results, null, 4) + '\n';
    }
    case 'jsonpath': {
      const data = JSON.parse(JSON.stringify(obj));
      try {
        // --allow-missing-template-keys (default true): a missing key prints nothing
        return execute(parseTemplate(spec.template), data, true);
      } catch (e) {
        if (e instanceof JsonPathError) throw new UsageError(`error executing jsonpath ${JSON.stringify(spec.template)}: Error executing template: ${e.message}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t${spec.template}\n\tobject given to jsonpath engine was:\n\t\t${textOf(data)}\n\n`);
        throw e;
      }
    }
    case 'go-template':
      return goTemplate(spec.template, JSON.parse(JSON.stringify(obj)));
    case 'custom-columns': {
      const items = obj.kind === 'List' ? ((obj.items as Obj[]) ?? []) : [obj];
      const cols = spec.template.split(',').map((c) => {
        const i = c.indexOf(':');
        if (i < 0) throw new UsageError(`unexpected custom-columns spec: ${c}, expected <header>:<json-path-expr>`);
        return { header: c.slice(0, i), path: c.slice(i + 1) };
      });
      const rows = spec.noHeaders ? [] : [cols.map((c) => c.header)];
      for (const it of items) rows.push(cols.map((c) => {
        const vals = evalRelaxed(c.path, JSON.parse(JSON.stringify(it))).filter((v) => v !== undefined);
        return vals.length ? vals.map(textOf).join(',') : '<none>';
      }));
      return tabwrite(rows);
    }
    default:
      return toYaml(obj);
  }
}

// ---------------------------------------------------------------- go-template (the subset the course uses)

type TNode = { t: 'text'; s: string } | { t: 'action'; e: string } | { t: 'range' | 'if' | 'with'; e: string; body: TNode[]; els: TNode[] };

function parseGo(tpl: string): TNode[] {
  const root: TNode[] = [];
  const stack: Array<{ list: TNode[]; node?: TNode & { body: TNode[]; els: TNode[] }; inElse?: boolean }> = [{ list: root }];
  const re = /\{\{-?\s*(.*?)\s*-?\}\}/gs;
  let last = 0;
  for (const m of tpl.matchAll(re)) {
    const top = stack[stack.length - 1]!;
    if (m.index! > last) top.list.push({ t: 'text', s: tpl.slice(last, m.index) });
    last = m.index! + m[0].length;
    const a = m[1]!;
    const kw = /^(range|if|with)\s+(.*)$/.exec(a);
    if (kw) {
      const node = { t: kw[1] as 'range', e: kw[2]!, body: [] as TNode[], els: [] as TNode[] };
      top.list.push(node);
      stack.push({ list: node.body, node });
    } else if (a === 'else') {
      top.list = top.node!.els;
    } else if (a === 'end') stack.pop();
    else top.list.push({ t: 'action', e: a });
  }
  if (last < tpl.length) stack[stack.length - 1]!.list.push({ t: 'text', s: tpl.slice(last) });
  return root;
}

function goValue(expr: string, dot: unknown, root: unknown): unknown {
  const e = expr.trim();
  if (/^".*"$/s.test(e)) return JSON.parse(e);
  if (/^-?\d+$/.test(e)) return Number(e);
  const parts = e.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
  if (parts.length > 1) {
    const [fn, ...rest] = parts;
    const vals = rest.map((p) => goValue(p, dot, root));
    if (fn === 'index') return vals.slice(1).reduce((v: unknown, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[String(k)] : undefined), vals[0]);
    if (fn === 'len') return Array.isArray(vals[0]) ? vals[0].length : vals[0] && typeof vals[0] === 'object' ? Object.keys(vals[0]).length : String(vals[0] ?? '').length;
    if (fn === 'printf') return String(vals[0]).replace(/%[sdv]/g, () => goText(vals.splice(1, 1)[0]));
    if (fn === 'eq') return goText(vals[0]) === goText(vals[1]);
    if (fn === 'ne') return goText(vals[0]) !== goText(vals[1]);
  }
  let v: unknown = e.startsWith('$') ? root : dot;
  const path = e.replace(/^\$/, '');
  if (path === '.' || path === '') return v;
  for (const f of path.split('.').filter(Boolean)) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[f] : undefined;
  return v;
}

function goText(v: unknown): string {
  if (v === undefined || v === null) return '<no value>';
  if (Array.isArray(v)) return '[' + v.map(goText).join(' ') + ']';
  if (typeof v === 'object') return 'map[' + Object.keys(v).sort().map((k) => `${k}:${goText((v as Record<string, unknown>)[k])}`).join(' ') + ']';
  return String(v);
}

const truthy = (v: unknown) => !(v === undefined || v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && !v.length) || (typeof v === 'object' && v && !Object.keys(v).length));

function runGo(nodes: TNode[], dot: unknown, root: unknown): string {
  let out = '';
  for (const n of nodes) {
    if (n.t === 'text') out += n.s;
    else if (n.t === 'action') out += goText(goValue(n.e, dot, root));
    else {
      const v = goValue(n.e, dot, root);
      if (n.t === 'range') {
        const items = Array.isArray(v) ? v : v && typeof v === 'object' ? Object.keys(v).sort().map((k) => (v as Record<string, unknown>)[k]) : [];
        if (items.length) for (const it of items) out += runGo(n.body, it, root);
        else out += runGo(n.els, dot, root);
      } else if (n.t === 'if') out += truthy(v) ? runGo(n.body, dot, root) : runGo(n.els, dot, root);
      else out += truthy(v) ? runGo(n.body, v, root) : runGo(n.els, dot, root);
    }
  }
  return out;
}

export function goTemplate(tpl: string, data: unknown): string {
  return runGo(parseGo(tpl), data, data);
}
