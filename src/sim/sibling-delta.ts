// The saved form of data the kernel saves whole after every command (the hosts table, and the cluster's state
// world.state.kube, which the kernel carries without reading it): a record of a table that resembles an earlier
// record of the same table is saved as its difference from that record. A cluster's tables are full of such
// records: the pods of a DaemonSet differ in a name, a uid, a node and a few times; a kubelet's record of each
// pod, each retry's event, each node's object, and a worker's files beside the control plane's look alike too.
//
// The form is plain JSON and says what it is, so that reading it back needs nothing but this module:
//   - data with no record saved as a difference is saved as it is; otherwise it is `{"^": null, "=": TABLE}`;
//   - in a TABLE (an object), a value `{"^": KEY, "d": PATCH}` is the earlier value under KEY in the same object
//     (as read back) with PATCH applied; with `"o": ORDER`, its keys come in another order (below); any other
//     value is saved the same way, recursively (arrays element by element);
//   - an object that itself has a key "^" is saved as `{"^": null, "=": {...}}`;
//   - a PATCH is an object whose each key maps to: `[]` (the key is gone), `[V]` (the key's new value, V as it
//     is), an object (a PATCH of the key's object value), `[N, {INDEX: ENTRY}]` (the key's array value becomes N
//     long, each listed element changed by its ENTRY), `[HEAD, MIDDLE, TAIL]` (the key's text keeps its first
//     HEAD and last TAIL characters around MIDDLE), or `[ORDER, PATCH]` (the key's object value with its keys in
//     ORDER: each the index of a key among the base's keys, or a new key's name, whose value is in PATCH).
// A record is saved as a difference only when that saves a quarter of its text; the base is the record before,
// or the earlier one most alike by its key and its top-level texts (the most characters shared at their start).
// decode(encode(x)) is x as JSON.parse(JSON.stringify(x)) gives it, key order included; encode(decode(e)) is e
// (every choice depends only on the data as JSON sees it), so a restored world saves the same text. Data saved
// before this form (no `{"^": null}` mark) reads as it is.

import { apply, applyOrdered, GAIN, has, isObj, type Obj, patchOf, present, put, sharedKeys, sharedPrefix, sizeOf } from './sibling-patch';

/** a record is saved as a difference only when that saves GAIN of its text and at least this many characters (a table of small records, a host's files, stays as it is) */
const MIN_SAVED = 64;

/** v in the saved form: v itself when nothing in it is saved otherwise (JSON text makes the same of both) */
function encodeValue(v: unknown): unknown {
  if (Array.isArray(v)) {
    // (no part of an array is offered as another part's base, nor saved as one's difference: only its elements as each other's)
    const path = at;
    at = null;
    try {
      let out: unknown[] | null = null;
      let earlier: number[] | null = null;
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        let e = x;
        if (isObj(x)) {
          e = (earlier && elementDifference(v, earlier, i, x)) ?? encodeValue(x);
          (earlier ??= []).push(i);
        } else if (Array.isArray(x)) e = encodeValue(x);
        if (e !== x && !out) out = v.slice(0, i);
        out?.push(e);
      }
      return out ?? v;
    } finally {
      at = path;
    }
  }
  if (!isObj(v)) return v;
  const m = encodeTable(v);
  return has(v, '^') && present(v['^']) ? { '^': null, '=': m } : m;
}

/** v (an object) in the saved form, with the path of the table it is in extended by its key k */
function encodeAt(k: string, v: Obj): unknown {
  if (!at) return encodeValue(v);
  at.push(k);
  try {
    return encodeValue(v);
  } finally {
    at.pop();
  }
}

/** an object's values in the saved form: each object value whole, or as its difference from an earlier one (t itself when none is) */
function encodeTable(t: Obj): Obj {
  let out: Obj | null = null;
  const keys = Object.keys(t);
  let earlier: string[] | null = null;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = t[k];
    let e = v;
    if (typeof v === 'object' && v !== null) {
      if (!Array.isArray(v)) {
        const cross = crossable(v as Obj);
        e = (earlier ? asDifference(t, earlier, k, v as Obj) : undefined) ?? (cross ? crossDifference(k, v as Obj) : undefined) ?? encodeAt(k, v as Obj);
        if (cross) offer(k, v as Obj);
        (earlier ??= []).push(k);
      } else e = encodeValue(v);
    }
    if (e !== v && !out) {
      out = {};
      for (let j = 0; j < i; j++) if (present(t[keys[j]!])) put(out, keys[j]!, t[keys[j]!]);
    }
    if (out && present(e)) put(out, k, e);
  }
  return out ?? t;
}

// A part of a record may be saved as its difference from a part of an earlier record of another table, under the same
// key (a ReplicaSet's pod template and its Deployment's; a DaemonSet's pod spec and its first pod's): `{"^": PATH,
// "d": PATCH}` (with "o" as above), PATH the keys leading to that part from the top of the data as read back. Only
// objects of CROSS_KEYS keys or more and about MIN_CROSS characters or more are offered as such bases or looked up,
// and none inside an array; a base is always a part read back before the part saved against it.
const CROSS_KEYS = 5;
const MIN_CROSS = 400;
/** how many of the latest bases offered under a key are looked at */
const CROSS_LOOK_BACK = 16;

interface Seen {
  /** its place among the bases offered in this encoding */
  seq: number;
  path: string[];
  /** the path's keys joined by NUL */
  key: string;
  text: string;
  v: Obj;
}
/** the data being saved (null: no part is saved as the difference from another's) */
let top: Obj | null = null;
/** the keys leading to the table being encoded from the top (null inside an array, or when top is) */
let at: string[] | null = null;
/** the bases offered so far, in order, and by their last key */
let seen: Seen[] = [];
let seenByKey = new Map<string, Seen[]>();

/** the table path's length below which a value is a whole record or a table, not a part of a record (`objects/pods/NAME`) */
const CROSS_DEPTH = 3;

/** whether v may be offered as a base or saved against one (a record's part of CROSS_KEYS keys and about MIN_CROSS characters or more) */
function crossable(v: Obj): boolean {
  if (!at || at.length < CROSS_DEPTH) return false;
  let n = 0;
  for (const k of Object.keys(v)) if (present(v[k]) && ++n >= CROSS_KEYS) break;
  return n >= CROSS_KEYS && sizeAtLeast(v, MIN_CROSS);
}

/** whether sizeOf(v) >= limit, reading v only as far as it takes to know */
function sizeAtLeast(v: unknown, limit: number): boolean {
  let left = limit;
  const walk = (x: unknown): boolean => {
    if (typeof x !== 'object' || x === null) return (left -= sizeOf(x)) <= 0;
    left -= 2;
    if (Array.isArray(x)) {
      for (const e of x) if (walk(e) || (left -= 1) <= 0) return true;
    } else {
      for (const k of Object.keys(x)) {
        const e = (x as Obj)[k];
        if (!present(e)) continue;
        if ((left -= k.length + 4) <= 0 || walk(e)) return true;
      }
    }
    return left <= 0;
  };
  return walk(v);
}

function remembered(s: Seen): void {
  seen.push(s);
  const k = s.path[s.path.length - 1]!;
  let list = seenByKey.get(k);
  if (!list) seenByKey.set(k, (list = []));
  list.push(s);
}

/** v, the value under key k of the table being encoded, offered as a later part's base */
function offer(k: string, v: Obj): void {
  const path = [...at!, k];
  remembered({ seq: seen.length, path, key: path.join('\u0000'), text: textOf(v), v });
}

/** `{"^": PATH, "d": PATCH}` for v (under key k) against the most alike of the latest bases offered under k, or undefined */
function crossDifference(k: string, v: Obj): unknown {
  for (const u of units) u.add(k);
  const list = seenByKey.get(k);
  if (!list) return undefined;
  const strings: [string, string][] = [];
  for (const f of Object.keys(v)) if (typeof v[f] === 'string') strings.push([f, v[f] as string]);
  let near: Seen | null = null;
  let best = -1;
  for (let i = list.length - 1; i >= 0 && i >= list.length - CROSS_LOOK_BACK; i--) {
    const e = list[i]!.v;
    const [shared, keys] = sharedKeys(e, v);
    if (shared * 2 < keys) continue;
    let score = shared;
    for (const [f, x] of strings) if (typeof e[f] === 'string') score += sharedPrefix(e[f] as string, x);
    if (score > best) {
      best = score;
      near = list[i]!;
    }
  }
  if (!near) return undefined;
  const made = texts ? memoDiff(near.v, v) : makeDiff(near.v, v);
  if (!made.saved) return undefined;
  const text = made.patchText + JSON.stringify(near.path).length + 12;
  return text <= made.whole * (1 - GAIN) && text + MIN_SAVED <= made.whole ? { '^': near.path, ...made.saved } : undefined;
}

// A world is saved after every command, and most of a cluster's tables are as they were: the records near the top
// (a cluster's tables of objects, a host) are encoded once for each JSON text they have (encodeSharedText; a record's
// saved form is a function of its text, its path and the bases offered before it, so the cache changes no output).
const MEMO_DEPTH = 2;
const MEMO_CHARS = 4_000_000;
let memoChars = 0;
interface Memo {
  text: string;
  /** the record's path (joined by NUL) */
  key: string;
  /** the keys its parts were looked up under, each with the bases offered under it before the record (path and text) */
  deps: [string, [string, string][]][];
  /** the bases offered in it */
  within: Seen[];
}
/** the keys looked up under by each record being encoded that is remembered (its saved form depends on their bases) */
const units: Set<string>[] = [];
const textMemo = new Map<string, Memo>();
const diffMemo = new Map<string, Map<string, Made>>();
/** the JSON text of the records met near the top in this encoding (one is asked again as another's base) */
let texts: Map<object, string> | null = null;
function textOf(v: object): string {
  let s = texts?.get(v);
  if (s === undefined) {
    s = JSON.stringify(v);
    texts?.set(v, s);
  }
  return s;
}
function remember(text: string): void {
  memoChars += text.length;
  if (memoChars > MEMO_CHARS) {
    textMemo.clear();
    diffMemo.clear();
    memoChars = text.length;
  }
}

/** the bases offered under key k before the `start`th one (path and text) */
function basesBefore(k: string, start: number): [string, string][] {
  const out: [string, string][] = [];
  for (const s of seenByKey.get(k) ?? []) {
    if (s.seq >= start) break;
    out.push([s.key, s.text]);
  }
  return out;
}

/** the same bases offered before the `start`th one under each key the record looked up under */
function sameBases(deps: [string, [string, string][]][], start: number): boolean {
  for (const [k, was] of deps) {
    const list = seenByKey.get(k) ?? [];
    let i = 0;
    for (; i < list.length && list[i]!.seq < start; i++) {
      if (i >= was.length || list[i]!.key !== was[i]![0] || list[i]!.text !== was[i]![1]) return false;
    }
    if (i !== was.length) return false;
  }
  return true;
}

/** the part of the data being saved at path (undefined when there is none) */
function partAt(root: unknown, path: unknown[]): unknown {
  let cur = root;
  for (const k of path) {
    if (typeof k !== 'string' || typeof cur !== 'object' || cur === null || !has(cur, k)) return undefined;
    cur = (cur as Obj)[k];
  }
  return cur;
}

/** JSON.stringify(encodeValue(v)) for an object v at `depth` (the root table's values: 1), under key k */
function encodedText(k: string, v: Obj, depth: number): string {
  const text = textOf(v);
  at!.push(k);
  try {
    const key = at!.join('\u0000');
    const hit = textMemo.get(text);
    const start = seen.length;
    if (hit !== undefined && hit.key === key && sameBases(hit.deps, start)) {
      for (const s of hit.within) remembered({ ...s, seq: seen.length, v: partAt(top, s.path) as Obj });
      for (const u of units) for (const d of hit.deps) u.add(d[0]);
      return hit.text;
    }
    const looked = new Set<string>();
    units.push(looked);
    let table: string;
    try {
      table = tableText(v, depth);
    } finally {
      units.pop();
    }
    const e = has(v, '^') && present(v['^']) ? `{"^":null,"=":${table}}` : table;
    remember(text);
    const deps: [string, [string, string][]][] = [...looked].map((k) => [k, basesBefore(k, start)]);
    textMemo.set(text, { text: e, key, deps, within: seen.slice(start).map((s) => ({ ...s, v: {} })) });
    return e;
  } finally {
    at!.pop();
  }
}

/** JSON.stringify(encodeTable(t)) for the object t at `depth` */
function tableText(t: Obj, depth: number): string {
  const parts: string[] = [];
  const earlier: string[] = [];
  for (const k of Object.keys(t)) {
    const v = t[k];
    if (!present(v)) continue;
    let text: string;
    if (isObj(v)) {
      const cross = crossable(v);
      const d = (earlier.length ? asDifference(t, earlier, k, v, depth + 1) : undefined) ?? (cross ? crossDifference(k, v) : undefined);
      text = d !== undefined ? JSON.stringify(d) : depth + 1 <= MEMO_DEPTH ? encodedText(k, v, depth + 1) : JSON.stringify(encodeAt(k, v));
      if (cross) offer(k, v);
      earlier.push(k);
    } else text = JSON.stringify(Array.isArray(v) ? encodeValue(v) : v);
    parts.push(`${JSON.stringify(k)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

/** start (or end, with null) one encoding of the data v */
function begin(v: Obj | null): void {
  top = v;
  at = v ? [] : null;
  seen = [];
  seenByKey = new Map();
}

/** JSON.stringify(encodeShared(v)), remembering the saved form of the records near the top from one save to the next */
export function encodeSharedText(v: unknown): string | undefined {
  if (!isObj(v)) return JSON.stringify(v);
  texts = new Map();
  begin(v);
  try {
    const plain = textOf(v);
    const t = tableText(v, 0);
    return t === plain && !(has(v, '^') && present(v['^'])) ? plain : `{"^":null,"=":${t}}`;
  } finally {
    texts = null;
    begin(null);
  }
}

interface Made {
  saved: { d: Obj; o?: unknown[] } | null;
  patchText: number;
  whole: number;
}

/** v's patch against base: the patch (or none), its text's length, and about the length of v's own text (`siblings`: patchOf's) */
function makeDiff(base: Obj, v: Obj, siblings = false): Made {
  const { patch, r, kept } = patchOf(base, v, siblings);
  if (!patch && !r) return { saved: null, patchText: 0, whole: 0 };
  const patchText = JSON.stringify(patch ?? r).length;
  // the value's own text is about what the patch keeps out plus what it holds
  return { saved: patch ? { d: patch } : { d: r![1] as Obj, o: r![0] as unknown[] }, patchText, whole: kept + patchText };
}

/** makeDiff, remembered by the two records' texts (a patch is plain data, never changed once made) */
function memoDiff(base: Obj, v: Obj): Made {
  const vText = textOf(v);
  const bText = textOf(base);
  let byBase = diffMemo.get(vText);
  const hit = byBase?.get(bText);
  if (hit) return hit;
  const made = makeDiff(base, v);
  remember(vText);
  if (!byBase) diffMemo.set(vText, (byBase = new Map()));
  byBase.set(bText, made);
  return made;
}

/** how many of the earlier values a value's base is looked for among (the last ones) */
const LOOK_BACK = 64;

/**
 * `{"^": base, "d": patch}` for v against the best of two earlier values (the one before, and the one most alike
 * by its key and its own top-level texts: the most characters shared at their start), or undefined
 */
function asDifference(t: Obj, earlier: string[], k: string, v: Obj, depth = MEMO_DEPTH + 1): unknown {
  const prev = earlier[earlier.length - 1]!;
  const strings: [string, string][] = [];
  for (const f of Object.keys(v)) if (typeof v[f] === 'string') strings.push([f, v[f] as string]);
  let near = prev;
  let best = -1;
  for (let i = earlier.length - 1; i >= 0 && i >= earlier.length - LOOK_BACK; i--) {
    const e = t[earlier[i]!] as Obj;
    let score = sharedPrefix(earlier[i]!, k);
    for (const [f, x] of strings) if (typeof e[f] === 'string') score += sharedPrefix(e[f] as string, x);
    if (score > best) {
      best = score;
      near = earlier[i]!;
    }
  }
  let choice: { text: number; saved: unknown } | null = null;
  for (const b of near === prev ? [prev] : [near, prev]) {
    const base = t[b] as Obj;
    // a record of another kind (another table's row): not worth a difference
    const [shared, keys] = sharedKeys(base, v);
    if (shared * 2 < keys) continue;
    const made = depth <= MEMO_DEPTH && texts ? memoDiff(base, v) : makeDiff(base, v);
    if (!made.saved) continue;
    const saved = { '^': b, ...made.saved };
    const { patchText, whole } = made;
    // a small record stays whole
    const text = patchText + b.length + 12;
    if (text <= whole * (1 - GAIN) && text + MIN_SAVED <= whole && (!choice || text < choice.text)) choice = { text, saved };
    // a good one: the other is not looked at
    if (choice && choice.text * 5 <= whole) break;
  }
  return choice?.saved;
}

/** an array's element saved as a difference only when that saves at least this many characters */
const MIN_SAVED_ELEMENT = 16;

/**
 * `{"^": INDEX, "d": PATCH}` for the object element v = a[i] against the best of two earlier object elements (the one
 * before, and the one most alike by its top-level texts), or undefined
 */
function elementDifference(a: unknown[], earlier: number[], i: number, v: Obj): unknown {
  const prev = earlier[earlier.length - 1]!;
  let near = prev;
  let best = -1;
  for (let j = earlier.length - 1; j >= 0 && j >= earlier.length - LOOK_BACK; j--) {
    const e = a[earlier[j]!] as Obj;
    let score = 0;
    for (const f of Object.keys(v)) if (typeof v[f] === 'string' && typeof e[f] === 'string') score += sharedPrefix(e[f] as string, v[f] as string);
    if (score > best) {
      best = score;
      near = earlier[j]!;
    }
  }
  let choice: { text: number; saved: unknown } | null = null;
  for (const b of near === prev ? [prev] : [near, prev]) {
    const base = a[b] as Obj;
    const [shared, keys] = sharedKeys(base, v);
    if (shared * 2 < keys) continue;
    const made = makeDiff(base, v);
    if (!made.saved) continue;
    const text = made.patchText + String(b).length + 12;
    if (text <= made.whole * (1 - GAIN) && text + MIN_SAVED_ELEMENT <= made.whole && (!choice || text < choice.text)) choice = { text, saved: { '^': b, ...made.saved } };
  }
  return choice?.saved;
}

/**
 * One record's difference from another, for a record saved apart from its base (a node's netfilter tables saved
 * as the first node's, compact.ts): `{"d": PATCH}` or `{"d": PATCH, "o": ORDER}` when it saves a quarter of v's
 * text, else null. applyDifference(base, difference(base, v)) is v as JSON gives it.
 */
export function difference(base: Obj, v: Obj): { d: Obj; o?: unknown[] } | null {
  const made = makeDiff(base, v, true);
  return made.saved && made.patchText + 12 <= made.whole * (1 - GAIN) ? made.saved : null;
}

/** base with a difference(base, v) applied: v (a fresh value, sharing nothing with base) */
export function applyDifference(base: unknown, saved: { d?: unknown; o?: unknown }): Obj {
  return Array.isArray(saved.o) ? applyOrdered(base, saved.o, saved.d) : (apply(base, saved.d) as Obj);
}

/**
 * The saved form of `v`: v itself when none of its records is saved as a difference, else marked as the saved
 * form (`{"^": null, "=": ...}`), so that data saved plain (by this, or by a build before it) reads as it is.
 */
export function encodeShared(v: unknown): unknown {
  if (!isObj(v)) return v;
  begin(v);
  try {
    const t = encodeTable(v);
    return t === v && !(has(v, '^') && present(v['^'])) ? v : { '^': null, '=': t };
  } finally {
    begin(null);
  }
}

/** The keys of the object a saved form stands for (in order), without reading it back: the saved form's own keys. */
export function sharedKeysOf(v: unknown): string[] {
  if (!isObj(v)) return [];
  return Object.keys(v['^'] === null && has(v, '^') && isObj(v['=']) ? v['='] : v);
}

/** The data a saved form stands for; data not in the saved form (a save made before it) as it is. */
export function decodeShared(v: unknown): unknown {
  if (!isObj(v) || v['^'] !== null || !has(v, '^')) return v;
  const out: Obj = {};
  const outer = decoded;
  decoded = out;
  try {
    decodeTable(isObj(v['=']) ? v['='] : {}, out);
  } finally {
    decoded = outer;
  }
  return out;
}

/** the data being read back (a part saved against another part finds it there by its path) */
let decoded: Obj | null = null;

/** an object's saved form read back into out (each value put in place before it is read, for the paths of later parts) */
function decodeTable(t: Obj, out: Obj): void {
  for (const k of Object.keys(t)) {
    const v = t[k];
    if (isObj(v) && typeof v['^'] === 'string') {
      const base = has(out, v['^']) ? out[v['^']] : {};
      put(out, k, applyDifference(base, v));
    } else if (isObj(v) && Array.isArray(v['^'])) {
      const base = partAt(decoded, v['^']);
      put(out, k, applyDifference(base, v));
    } else if (isObj(v)) {
      const o: Obj = {};
      put(out, k, o);
      decodeTable(has(v, '^') && v['^'] === null ? (isObj(v['=']) ? v['='] : {}) : v, o);
    } else if (Array.isArray(v)) {
      const a: unknown[] = [];
      put(out, k, a);
      decodeArray(v, a);
    } else put(out, k, v);
  }
}

/** an array's saved form read back into out */
function decodeArray(v: unknown[], out: unknown[]): void {
  for (const x of v) {
    if (isObj(x) && typeof x['^'] === 'number') {
      const b = x['^'];
      const base = Number.isInteger(b) && b >= 0 && b < out.length ? out[b] : {};
      out.push(applyDifference(base, x));
    } else if (isObj(x)) {
      const o: Obj = {};
      out.push(o);
      decodeTable(has(x, '^') && x['^'] === null ? (isObj(x['=']) ? x['='] : {}) : x, o);
    } else if (Array.isArray(x)) {
      const a: unknown[] = [];
      out.push(a);
      decodeArray(x, a);
    } else out.push(x);
  }
}
