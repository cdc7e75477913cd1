// kubectl wait --for=condition=NAME[=VALUE] | --for=delete | --for=create | --for=jsonpath='{...}'[=VALUE]:
// the named or selected objects are checked, and the simulated clock moves to the cluster's next event (as
// kubectl waits on a watch) until each meets the condition ("condition met") or --timeout (30s) passes.
import type { Ctx } from './index';
import { ordered, type CmdResult } from '../types';
import type { Api, KObject } from '../../k8s/api';
import { call, qualifiedName } from './client';
import { targetsOf, type Target } from './get';
import { UsageError } from './generators';
import { parseDuration } from './flags';
import { waitFor } from './write';
import { collect, parseTemplate, textOf } from './jsonpath';

type Any = Record<string, any>;

type Cond = { t: 'delete' } | { t: 'create' } | { t: 'condition'; name: string; value: string } | { t: 'jsonpath'; expr: string; value: string | null };

function parseFor(f: string): Cond {
  const lower = f.toLowerCase();
  if (lower === 'delete') return { t: 'delete' };
  if (lower === 'create') return { t: 'create' };
  if (lower.startsWith('condition=')) {
    const rest = f.slice('condition='.length);
    const eq = rest.indexOf('=');
    return eq < 0 ? { t: 'condition', name: rest, value: 'true' } : { t: 'condition', name: rest.slice(0, eq), value: rest.slice(eq + 1) };
  }
  if (lower.startsWith('jsonpath=')) {
    const rest = f.slice('jsonpath='.length);
    const close = rest.lastIndexOf('}');
    if (!rest.startsWith('{') || close < 0) throw new UsageError(`unrecognized condition: "${f}"`);
    const expr = rest.slice(0, close + 1);
    const tail = rest.slice(close + 1);
    if (tail && !tail.startsWith('=')) throw new UsageError(`unrecognized condition: "${f}"`);
    return { t: 'jsonpath', expr, value: tail ? tail.slice(1) : null };
  }
  throw new UsageError(`unrecognized condition: "${f}"`);
}

function met(c: Cond, o: Any | null): boolean {
  if (c.t === 'delete') return o === null;
  if (c.t === 'create') return o !== null;
  if (!o) return false;
  if (c.t === 'condition') {
    const cond = (o.status?.conditions ?? []).find((x: Any) => String(x.type).toLowerCase() === c.name.toLowerCase());
    if (!cond) return false;
    if (cond.observedGeneration !== undefined && o.metadata.generation !== undefined && cond.observedGeneration < o.metadata.generation) return false;
    return String(cond.status).toLowerCase() === c.value.toLowerCase();
  }
  const values: unknown[] = [];
  collect(parseTemplate(c.expr), o, values);
  if (c.value === null) return values.length > 0;
  return values.length === 1 && textOf(values[0] as never) === c.value;
}

export async function runWait(ctx: Ctx, api: Api): Promise<CmdResult> {
  const f = ctx.flags;
  const cond = parseFor(f.str('for'));
  const timeoutMs = parseDuration(f.str('timeout')) ?? 30_000;
  const targets: Target[] = targetsOf(api, ctx.args);
  const all = f.bool('all-namespaces');
  const items: Array<{ t: Target; ns: string | null; name: string }> = [];
  for (const t of targets) {
    const ns = t.info.namespaced ? (all ? null : ctx.namespace) : null;
    if (t.names.length) {
      for (const n of t.names) {
        if (cond.t !== 'create' && cond.t !== 'delete') call(() => api.get(t.info.resource, ns, n));
        items.push({ t, ns, name: n });
      }
    } else if (f.str('selector') || f.bool('all') || f.str('field-selector')) {
      for (const o of call(() => api.list(t.info.resource, ns, { labelSelector: f.str('selector') || undefined, fieldSelector: f.str('field-selector') || undefined }).items) as KObject[]) items.push({ t, ns: o.metadata.namespace ?? null, name: o.metadata.name! });
    } else throw new UsageError('resource(s) were provided, but no name was specified');
  }
  if (!items.length) return ordered([[2, 'error: no matching resources found\n']], 1);
  const out: Array<[1 | 2, string]> = [];
  const end = ctx.sys.world.now() + (timeoutMs < 0 ? 7 * 24 * 3600_000 : timeoutMs);
  for (const it of items) {
    const check = () => met(cond, api.tryGet(it.t.info.resource, it.ns, it.name) as Any | null);
    const left = Math.max(0, end - ctx.sys.world.now());
    const exists = api.tryGet(it.t.info.resource, it.ns, it.name) !== null;
    // --for=delete of an object already gone: nothing to wait for, and nothing printed
    if (cond.t === 'delete' && !exists && it.t.names.length) continue;
    if (!check() && !waitFor(ctx, api, check, left)) {
      if (left > 0 && ctx.sys.world.now() < end) ctx.sys.world.advance(end - ctx.sys.world.now());
      const res = it.t.info.group ? `${it.t.info.resource}.${it.t.info.group}` : it.t.info.resource;
      return ordered([...out, [2, `error: timed out waiting for the condition on ${res}/${it.name}\n`]], 1);
    }
    out.push([1, `${qualifiedName(it.t.info, it.name)} condition met\n`]);
  }
  return ordered(out, 0);
}
