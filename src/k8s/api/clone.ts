// A deep copy of JSON data with JSON's semantics (what JSON.parse(JSON.stringify(v))
// gives: undefined and function members left out, undefined in arrays and
// non-finite numbers become null and -0 becomes 0, toJSON honoured, own keys in order, a
// `__proto__` key kept as a key), several times faster than the round trip
// through text: the store copies every object it hands out or takes in.
export function jsonClone<T>(v: T): T {
  return copy(v) as T;
}

function copy(v: unknown): unknown {
  if (v === null) return null;
  switch (typeof v) {
    case 'object':
      break;
    case 'number':
      // JSON writes -0 as 0
      return Number.isFinite(v) ? (v === 0 ? 0 : v) : null;
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    default:
      return v;
  }
  const o = v as Record<string, unknown>;
  if (typeof o.toJSON === 'function') return copy(o.toJSON());
  if (Array.isArray(o)) {
    const out = new Array<unknown>(o.length);
    for (let i = 0; i < o.length; i++) {
      const x = o[i];
      out[i] = x === undefined || typeof x === 'function' || typeof x === 'symbol' ? null : copy(x);
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    if (k === '__proto__') Object.defineProperty(out, k, { value: copy(x), enumerable: true, writable: true, configurable: true });
    else out[k] = copy(x);
  }
  return out;
}
