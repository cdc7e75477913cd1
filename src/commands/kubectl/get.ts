// kubectl get: the server's tables (src/k8s/http/printers.ts) laid out as kubectl's table printer does
// (NAMESPACE column with -A, kind/name prefixes when several kinds are listed, LABELS, -L columns,
// --no-headers), or the objects in a structured format.
import type { Ctx } from './index';
import { ordered, type CmdResult } from '../types';
import type { Api, KObject, ResourceInfo } from '../../k8s/api';
import { RESOURCES } from '../../k8s/api';
import { toTable } from '../../k8s/http/printers';
import { call, forPrint, qualifiedName, resourceFor, ServerError, sortedCopy } from './client';
import { GET_FORMATS, outputSpec, printStructured, tabwrite } from './printers';
import { UsageError } from './generators';

export interface Target {
  info: ResourceInfo;
  names: string[];
}

const CATEGORY_ALL = ['pods', 'replicationcontrollers', 'services', 'daemonsets', 'deployments', 'replicasets', 'statefulsets', 'horizontalpodautoscalers', 'cronjobs', 'jobs'];

/** Resource arguments as kubectl's builder reads them: `TYPE[,TYPE] [NAME...]` or `TYPE/NAME...`. */
export function targetsOf(api: Api, args: string[]): Target[] {
  if (!args.length) return [];
  if (args.some((a) => a.includes('/'))) {
    if (!args.every((a) => a.includes('/'))) throw new UsageError("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'");
    const out: Target[] = [];
    for (const a of args) {
      const i = a.indexOf('/');
      const info = resourceFor(api, a.slice(0, i));
      const name = a.slice(i + 1);
      if (!name) throw new UsageError(`arguments in resource/name form must have a single resource and name`);
      const last = out[out.length - 1];
      if (last && last.info === info) last.names.push(name);
      else out.push({ info, names: [name] });
    }
    return out;
  }
  const [types, ...names] = args;
  const infos: ResourceInfo[] = [];
  for (const t of types!.split(',').filter(Boolean)) {
    if (t === 'all') {
      for (const r of CATEGORY_ALL) {
        const info = RESOURCES.find((x) => x.resource === r);
        if (info && !infos.includes(info)) infos.push(info);
      }
    } else infos.push(resourceFor(api, t));
  }
  if (names.length && infos.length > 1) throw new UsageError("you must specify only one resource");
  return infos.map((info) => ({ info, names }));
}

function fetch(api: Api, ctx: Ctx, t: Target, all: boolean, errors: string[]): KObject[] {
  const ns = t.info.namespaced ? (all ? null : ctx.namespace) : null;
  if (t.names.length) {
    const out: KObject[] = [];
    for (const n of t.names) {
      try {
        out.push(call(() => api.get(t.info.resource, ns, n)));
      } catch (e) {
        if (e instanceof ServerError) {
          if (!ctx.flags.bool('ignore-not-found') || !e.message.includes('(NotFound)')) errors.push(e.message);
        } else throw e;
      }
    }
    return out;
  }
  if (!t.info.stored) return [];
  return call(() => api.scan(t.info.resource, ns, { labelSelector: ctx.flags.str('selector') || undefined, fieldSelector: ctx.flags.str('field-selector') || undefined }));
}

export async function runGet(ctx: Ctx, api: Api): Promise<CmdResult> {
  const f = ctx.flags;
  const all = f.bool('all-namespaces');
  const spec = outputSpec(f.str('output'), f.str('template'), GET_FORMATS);
  spec.noHeaders = f.bool('no-headers');
  if (f.bool('watch') || f.bool('watch-only')) throw new UsageError('watch is not supported in this simulated cluster (the command would wait for changes forever)');
  const targets = targetsOf(api, ctx.args);
  const errors: string[] = [];
  const results = targets.map((t) => ({ t, items: fetch(api, ctx, t, all, errors) }));
  const out: Array<[1 | 2, string]> = [];
  const anyItems = results.some((r) => r.items.length);
  const single = targets.length === 1 && targets[0]!.names.length === 1;

  if (spec.kind !== 'default' && spec.kind !== 'wide') {
    const objs = results.flatMap((r) => r.items.map((o) => sortedCopy(forPrint(o, f.bool('show-managed-fields'))) as KObject));
    if (spec.kind === 'name') out.push([1, results.flatMap((r) => r.items.map((o) => qualifiedName(r.t.info, o.metadata.name!) + '\n')).join('')]);
    else if (objs.length === 1 && single) out.push([1, printStructured(objs[0]!, spec)]);
    else if (objs.length || !errors.length) out.push([1, printStructured({ apiVersion: 'v1', items: objs, kind: 'List', metadata: { resourceVersion: '' } }, spec)]);
  } else {
    const now = Math.max(api.now(), ctx.sys.world.now());
    const multi = targets.length > 1 || ctx.args[0] === 'all' || ctx.args.some((a) => a.includes('/'));
    let first = true;
    for (const r of results) {
      if (!r.items.length) continue;
      const table = toTable(r.t.info.resource, r.items, now);
      const cols = table.columnDefinitions.map((c, i) => ({ c, i })).filter(({ c }) => c.priority === 0 || spec.kind === 'wide');
      const header = cols.map(({ c }) => c.name.toUpperCase());
      const labelCols = f.list('label-columns', true);
      if (all && r.t.info.namespaced) header.unshift('NAMESPACE');
      header.push(...labelCols.map((l) => l.split('/').pop()!.toUpperCase()));
      if (f.bool('show-labels')) header.push('LABELS');
      const rows = table.rows.map((row) => {
        const cells = cols.map(({ i }) => String(row.cells[i] ?? ''));
        if (multi && cells.length) cells[0] = qualifiedName(r.t.info, cells[0]!);
        if (all && r.t.info.namespaced) cells.unshift(row.object.metadata.namespace ?? '');
        const labels = (row.object.metadata.labels ?? {}) as Record<string, string>;
        cells.push(...labelCols.map((l) => labels[l] ?? ''));
        if (f.bool('show-labels')) cells.push(Object.keys(labels).length ? Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',') : '<none>');
        return cells;
      });
      if (!first) out.push([1, '\n']);
      first = false;
      out.push([1, tabwrite(f.bool('no-headers') ? rows : [header, ...rows])]);
    }
    if (!anyItems && !errors.length && !targets.some((t) => t.names.length)) {
      const namespaced = targets.some((t) => t.info.namespaced);
      out.push([2, all || !namespaced ? 'No resources found\n' : `No resources found in ${ctx.namespace} namespace.\n`]);
    }
  }
  for (const e of errors) out.push([2, e]);
  return ordered(out, errors.length ? 1 : 0);
}
