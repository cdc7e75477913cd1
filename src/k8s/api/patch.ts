// The three patch types kubectl sends: JSON merge patch (RFC 7386), JSON
// patch (RFC 6902) and the strategic merge patch of built-in kinds (lists
// merged by their patchMergeKey, `$patch` directives). Written here rather
// than taken from a library: each is a few dozen lines over plain JSON, and
// the strategic one needs the Kubernetes merge keys anyway.
import { badRequest } from './errors';
import { table } from '../../sim/own';
import { jsonClone } from './clone';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => (v === undefined ? v : jsonClone(v));
/** a working copy without a prototype (a key `__proto__` or `constructor` is a key like any other) */
const bare = (v: unknown): Record<string, any> => Object.assign(Object.create(null), isObj(v) ? v : {});
/** back to a plain object: spreading defines own properties, `__proto__` included */
const plain = (o: Record<string, any>): Record<string, any> => ({ ...o });

/** RFC 7386: null deletes, objects merge recursively, anything else replaces. */
export function mergePatch(target: any, patch: any): any {
  if (!isObj(patch)) return clone(patch);
  const out = bare(target);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return plain(out);
}

// ---------------------------------------------------------------- strategic merge patch

/** patchMergeKey of the list-valued fields of built-in kinds, by field name. */
const MERGE_KEYS: Record<string, string> = table({
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  secrets: 'name',
  addresses: 'type',
});
/** lists of primitives merged as sets */
const SET_LISTS = new Set(['finalizers']);

function mergeKeyFor(field: string, items: any[]): string | null {
  if (field === 'ports') {
    // container ports merge on containerPort, service ports on port
    return items.some((x) => isObj(x) && 'containerPort' in x) ? 'containerPort' : 'port';
  }
  return MERGE_KEYS[field] ?? null;
}

export function strategicMergePatch(target: any, patch: any): any {
  if (!isObj(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return stripDirectives(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const out = bare(target);
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const f = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[f]) && Array.isArray(v)) out[f] = out[f].filter((x: any) => !v.includes(x));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    if (Array.isArray(v)) {
      const cur = Array.isArray(out[k]) ? out[k] : [];
      if (SET_LISTS.has(k)) {
        out[k] = [...cur, ...v.filter((x) => !cur.includes(x))];
        continue;
      }
      const key = mergeKeyFor(k, [...cur, ...v]);
      if (key === null || !v.every(isObj)) {
        out[k] = stripDirectives(v);
        continue;
      }
      if (v.some((x) => x.$patch === 'replace')) {
        out[k] = v.filter((x) => x.$patch !== 'replace').map(stripDirectives);
        continue;
      }
      const merged = [...cur];
      for (const item of v) {
        const idx = merged.findIndex((x) => isObj(x) && x[key] === item[key]);
        if (item.$patch === 'delete') {
          if (idx >= 0) merged.splice(idx, 1);
        } else if (idx >= 0) merged[idx] = strategicMergePatch(merged[idx], item);
        else merged.push(stripDirectives(item));
      }
      const order = patch[`$setElementOrder/${k}`];
      if (Array.isArray(order)) {
        const keyed = order.map((o: any) => (isObj(o) ? o[key] : o));
        merged.sort((a, b) => {
          const ia = keyed.indexOf(a?.[key]);
          const ib = keyed.indexOf(b?.[key]);
          return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib);
        });
      }
      out[k] = merged;
      continue;
    }
    if (isObj(v)) {
      const r = strategicMergePatch(out[k], v);
      if (r === undefined) delete out[k];
      else out[k] = r;
      continue;
    }
    out[k] = v;
  }
  return plain(out);
}

function stripDirectives(v: any): any {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObj(v)) return v;
  const out = bare(null);
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = stripDirectives(x);
  return plain(out);
}

// ---------------------------------------------------------------- JSON patch (RFC 6902)

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: Json;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`the server rejected our request due to an error in our request`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: any, parts: string[], op: string, path: string): { parent: any; key: string } {
  let cur = doc;
  for (const p of parts.slice(0, -1)) {
    const next = Array.isArray(cur) ? cur[Number(p)] : isObj(cur) ? cur[p] : undefined;
    if (next === undefined) throw badRequest(`jsonpatch ${op} operation does not apply: doc is missing path: "${path}": missing value`);
    cur = next;
  }
  return { parent: cur, key: parts[parts.length - 1]! };
}

export function jsonPatch(doc: any, ops: JsonPatchOp[]): any {
  let out = clone(doc);
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  for (const o of ops) {
    const parts = pointer(o.path);
    const get = (ps: string[]) => ps.reduce((c: any, p) => (c === undefined ? undefined : Array.isArray(c) ? c[p === '-' ? c.length : Number(p)] : isObj(c) ? c[p] : undefined), out);
    const put = (ps: string[], value: any, replace: boolean) => {
      if (ps.length === 0) {
        out = clone(value);
        return;
      }
      const { parent, key } = parentOf(out, ps, o.op, o.path);
      if (Array.isArray(parent)) {
        const i = key === '-' ? parent.length : Number(key);
        if (!Number.isInteger(i) || i < 0 || i > parent.length || (replace && i >= parent.length)) throw badRequest(`jsonpatch ${o.op} operation does not apply: doc is missing path: "${o.path}": missing value`);
        if (replace) parent[i] = clone(value);
        else parent.splice(i, 0, clone(value));
      } else if (isObj(parent)) {
        if (replace && !(key in parent)) throw badRequest(`jsonpatch replace operation does not apply: doc is missing key: ${o.path}: missing value`);
        parent[key] = clone(value);
      } else throw badRequest(`jsonpatch ${o.op} operation does not apply: doc is missing path: "${o.path}": missing value`);
    };
    const remove = (ps: string[], path: string) => {
      const { parent, key } = parentOf(out, ps, 'remove', path);
      if (Array.isArray(parent)) {
        const i = Number(key);
        if (!(i >= 0 && i < parent.length)) throw badRequest(`jsonpatch remove operation does not apply: doc is missing path: "${path}": missing value`);
        parent.splice(i, 1);
      } else if (isObj(parent) && key in parent) delete parent[key];
      else throw badRequest(`jsonpatch remove operation does not apply: doc is missing path: "${path}": missing value`);
    };
    switch (o.op) {
      case 'add':
        put(parts, o.value, false);
        break;
      case 'replace':
        put(parts, o.value, true);
        break;
      case 'remove':
        remove(parts, o.path);
        break;
      case 'copy':
      case 'move': {
        const from = pointer(o.from ?? '');
        const v = get(from);
        if (v === undefined) throw badRequest(`jsonpatch ${o.op} operation does not apply: doc is missing from path: "${o.from}": missing value`);
        if (o.op === 'move') remove(from, o.from ?? '');
        put(parts, v, false);
        break;
      }
      case 'test':
        if (JSON.stringify(get(parts)) !== JSON.stringify(o.value)) throw badRequest(`testing value ${o.path} failed: test failed`);
        break;
      default:
        throw badRequest(`Unexpected kind: ${(o as any).op}`);
    }
  }
  return out;
}
