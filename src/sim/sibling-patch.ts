// The PATCH of sibling-delta's saved form (./sibling-delta.ts describes it): how one record is made from another
// (patchOf), and a PATCH applied (apply, applyOrdered). Kept apart from the encoding of whole tables, which
// chooses each record's base.

export type Obj = Record<string, unknown>;

/** a value saved as a difference only when that saves at least this share of its text */
export const GAIN = 0.25;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const has = Object.hasOwn;

export function put(o: Obj, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** JSON's view of a value: undefined (and functions) are absent, NaN and Infinity are null */
export const present = (v: unknown): boolean => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';

/** a copy as JSON would give it */
function copy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (present(x) ? copy(x) : null));
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v)) if (present(v[k])) put(out, k, copy(v[k]));
    return out;
  }
  return typeof v === 'number' && !Number.isFinite(v) ? null : v;
}

/** about the length of v's JSON text */
export function sizeOf(v: unknown): number {
  if (typeof v === 'string') return v.length + 2;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v).length : 4;
  if (typeof v === 'boolean') return v ? 4 : 5;
  if (typeof v !== 'object' || v === null) return 4;
  let n = 2;
  if (Array.isArray(v)) for (const x of v) n += sizeOf(x) + 1;
  else for (const k of Object.keys(v)) if (present((v as Obj)[k])) n += sizeOf((v as Obj)[k]) + k.length + 4;
  return n;
}

/** what the PATCH being made leaves out: about the length of the text of the values it keeps */
let kept = 0;

/** JSON's value of an array element */
const elem = (v: unknown): unknown => (present(v) ? v : null);

/** x and y as JSON text sees them: the same primitive (NaN, Infinity and null are all null) */
function samePrimitive(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  const nx = x === null || (typeof x === 'number' && !Number.isFinite(x));
  const ny = y === null || (typeof y === 'number' && !Number.isFinite(y));
  return nx && ny;
}

/** one value's change: undefined when x and y are the same, else the PATCH entry turning x into y */
function change(x: unknown, y: unknown): unknown {
  if (isObj(x) && isObj(y)) {
    const mark = kept;
    const d = diff(x, y);
    if (d === null) {
      kept = mark;
      const r = reordered(x, y);
      return r ?? [copy(y)];
    }
    if (d === SAME) {
      kept += 2;
      return undefined;
    }
    return d;
  }
  if (Array.isArray(x) && Array.isArray(y)) return arrayDiff(x, y);
  if ((typeof x !== 'object' || x === null) && (typeof y !== 'object' || y === null) && samePrimitive(x, y)) {
    kept += sizeOf(x);
    return undefined;
  }
  return valueEntry(x, y);
}

/** whether a new key's value is saved against the value of another key of the base (newEntry) */
let siblingKeys = false;

/**
 * The entry of a key k new in b, whose base is a: `[KEY, PATCH]` (a's value under KEY with PATCH applied) when
 * siblings are looked for (siblingKeys), y is an object, KEY is a's key most like k (the most characters shared at
 * their start, four at least: a node's `cali-tw-cali1a2b...` chain against the first node's `cali-tw-cali3c4d...`),
 * and that saves a quarter of y's text; else `[y]`.
 */
function newEntry(a: Obj, k: string, y: unknown): unknown[] {
  if (!siblingKeys || !isObj(y)) return [copy(y)];
  let best: string | null = null;
  let most = 3;
  for (const c of Object.keys(a)) {
    if (!isObj(a[c])) continue;
    const n = sharedPrefix(c, k);
    if (n > most) {
      most = n;
      best = c;
    }
  }
  if (best === null) return [copy(y)];
  const mark = kept;
  const d = diff(a[best] as Obj, y);
  kept = mark;
  if (d === null) return [copy(y)];
  const whole = sizeOf(y);
  const text = JSON.stringify(d).length + best.length + 6;
  if (text > whole * (1 - GAIN) || text + 32 > whole) return [copy(y)];
  kept += whole - text;
  return [best, d === SAME ? {} : d];
}

/** diff's answer for two objects that are the same */
const SAME: Obj = Object.freeze({}) as Obj;

/**
 * The PATCH from a to b (objects): SAME when they are the same, null when b's key order cannot come out of a's
 * (b's keys that a has must come first, in a's order).
 */
function diff(a: Obj, b: Obj): Obj | null {
  const ka = Object.keys(a);
  const p: Obj = {};
  let changed = false;
  // b's keys that a has must come first, in a's order: a's keys are walked along with b's
  let j = 0;
  let added = false;
  let gone: string[] | null = null;
  for (const k of Object.keys(b)) {
    const y = b[k];
    if (!present(y)) continue;
    if (!has(a, k) || !present(a[k])) {
      added = true;
      changed = true;
      put(p, k, newEntry(a, k, y));
      continue;
    }
    if (added) return null;
    // a's keys before k that b has no more
    while (j < ka.length && ka[j] !== k) {
      const g = ka[j++]!;
      if (present(a[g])) {
        if (has(b, g) && present(b[g])) return null; // b has it later: another order
        (gone ??= []).push(g);
      }
    }
    j++;
    const e = change(a[k], y);
    if (e === undefined) kept += k.length + 4;
    else {
      changed = true;
      put(p, k, e);
    }
  }
  for (; j < ka.length; j++) {
    const g = ka[j]!;
    if (present(a[g]) && !(has(b, g) && present(b[g]))) (gone ??= []).push(g);
  }
  if (gone) {
    changed = true;
    for (const g of gone) put(p, g, []);
  }
  return changed ? p : SAME;
}

/**
 * The entry `[ORDER, PATCH]` turning object a into object b whose keys come in another order: ORDER lists b's keys,
 * each as the index of the key among a's keys, or the key itself when a does not have it; PATCH has the changed
 * values and the new keys'. Null when the list would take more than what it keeps.
 */
function reordered(a: Obj, b: Obj): unknown[] | null {
  const mark = kept;
  const index = new Map<string, number>();
  let n = 0;
  for (const k of Object.keys(a)) if (present(a[k])) index.set(k, n++);
  const order: (number | string)[] = [];
  const p: Obj = {};
  for (const k of Object.keys(b)) {
    const y = b[k];
    if (!present(y)) continue;
    const i = index.get(k);
    if (i === undefined) {
      order.push(k);
      put(p, k, newEntry(a, k, y));
      continue;
    }
    order.push(i);
    const e = change(a[k], y);
    if (e === undefined) kept += k.length + 4;
    else put(p, k, e);
  }
  if (kept - mark <= order.length * 4 + 8) {
    kept = mark;
    return null;
  }
  return [order, p];
}

/** a key's entry turning array x into array y (undefined: the same): `[y]`, or `[y.length, {index: entry}]` when that is shorter */
function arrayDiff(x: unknown[], y: unknown[]): unknown {
  const changes: Obj = {};
  let n = 0;
  const before = kept;
  for (let i = 0; i < y.length; i++) {
    const b = elem(y[i]);
    if (i >= x.length) {
      changes[i] = [copy(b)];
      n++;
      continue;
    }
    const e = change(elem(x[i]), b);
    if (e === undefined) kept += 1;
    else {
      changes[i] = e;
      n++;
    }
  }
  if (n === 0 && x.length === y.length) {
    kept += 2;
    return undefined;
  }
  // the array itself, unless the elements kept outweigh the indexes of the changed ones
  if (n > 0 && kept - before <= 5 * n + 6) {
    kept = before;
    return [copy(y)];
  }
  return [y.length, changes];
}

/** the entry turning x into y, neither two objects nor two arrays: `[y]`, or for two long strings alike `[HEAD, MIDDLE, TAIL]` (y is x's first HEAD and last TAIL characters around MIDDLE) */
function valueEntry(x: unknown, y: unknown): unknown[] {
  if (typeof x !== 'string' || typeof y !== 'string' || y.length < 24) return [copy(y)];
  const head = sharedPrefix(x, y);
  const n = Math.min(x.length, y.length) - head;
  let tail = 0;
  while (tail < n && x.charCodeAt(x.length - 1 - tail) === y.charCodeAt(y.length - 1 - tail)) tail++;
  // worth it only when the shared text is longer than the entry's numbers
  if (head + tail < 16) return [y];
  kept += head + tail;
  return [head, y.slice(head, y.length - tail), tail];
}

/** a with PATCH p applied (a fresh value: shares nothing with a) */
export function apply(a: unknown, p: unknown): unknown {
  if (!isObj(p)) return copy(a);
  const base: Obj = isObj(a) ? a : {};
  const out: Obj = {};
  for (const k of Object.keys(base)) {
    if (!present(base[k])) continue;
    if (!has(p, k)) put(out, k, copy(base[k]));
    else {
      const v = entry(base[k], p[k]);
      if (v !== undefined) put(out, k, v);
    }
  }
  for (const k of Object.keys(p)) {
    if (has(base, k) && present(base[k])) continue;
    const v = entry(undefined, p[k], base);
    if (v !== undefined) put(out, k, v);
  }
  return out;
}

/** a's keys in ORDER (indexes among a's keys, or new keys) with PATCH p applied */
export function applyOrdered(a: unknown, order: unknown[], p: unknown): Obj {
  const base: Obj = isObj(a) ? a : {};
  const patch: Obj = isObj(p) ? p : {};
  const keys = Object.keys(base).filter((k) => present(base[k]));
  const out: Obj = {};
  for (const o of order) {
    if (typeof o === 'number') {
      const k = keys[o];
      if (k === undefined) continue;
      const v = has(patch, k) ? entry(base[k], patch[k]) : copy(base[k]);
      if (v !== undefined) put(out, k, v);
    } else if (typeof o === 'string') {
      const v = entry(undefined, patch[o], base);
      if (v !== undefined) put(out, o, v);
    }
  }
  return out;
}

/** one PATCH entry applied to the value it changes (undefined: the key is gone); `parent`: the object it is a key of, in the base */
function entry(x: unknown, e: unknown, parent?: Obj): unknown {
  if (isObj(e)) return apply(x, e);
  if (!Array.isArray(e) || e.length === 0) return undefined;
  if (e.length === 1) return copy(e[0]);
  if (e.length === 2 && typeof e[0] === 'string') return apply(parent && has(parent, e[0]) ? parent[e[0]] : undefined, e[1]);
  if (e.length === 2 && Array.isArray(e[0])) return applyOrdered(x, e[0], e[1]);
  if (e.length === 3) {
    const [head, middle, tail] = e;
    const s = typeof x === 'string' ? x : '';
    const h = typeof head === 'number' && head >= 0 ? head : 0;
    const t = typeof tail === 'number' && tail >= 0 ? tail : 0;
    return s.slice(0, h) + (typeof middle === 'string' ? middle : '') + (t > 0 ? s.slice(Math.max(h, s.length - t)) : '');
  }
  const [n, changes] = e;
  const xs = Array.isArray(x) ? x : [];
  const len = typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : xs.length;
  const out: unknown[] = [];
  for (let i = 0; i < len; i++) {
    const c = isObj(changes) && has(changes, String(i)) ? changes[String(i)] : undefined;
    const v = c === undefined ? (i < xs.length ? copy(xs[i]) : null) : entry(i < xs.length ? xs[i] : undefined, c);
    out.push(v === undefined ? null : v);
  }
  return out;
}

/** the length of the text two keys share at their start */
export function sharedPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** how many of b's keys a has too, and how many b has (as JSON has them) */
export function sharedKeys(a: Obj, b: Obj): [number, number] {
  let n = 0;
  let all = 0;
  for (const k of Object.keys(b)) {
    if (!present(b[k])) continue;
    all++;
    if (has(a, k) && present(a[k])) n++;
  }
  return [n, all];
}

/**
 * v's PATCH against base (null: none makes it; then `r`, the ORDER and PATCH when only the keys' order differs,
 * or null when they are the same), and about the length of the text of the values the PATCH leaves out. With
 * `siblings`, a key new in v is saved against the base's value under its most like-named key (newEntry).
 */
export function patchOf(base: Obj, v: Obj, siblings = false): { patch: Obj | null; r: unknown[] | null; kept: number } {
  kept = 0;
  siblingKeys = siblings;
  try {
    const patch = diff(base, v);
    const r = patch ? null : reordered(base, v);
    return { patch, r, kept };
  } finally {
    siblingKeys = false;
  }
}

