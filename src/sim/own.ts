// Tables keyed by names the learner chooses (namespaces, links, chains, pods) are plain JSON objects, so a name
// like `__proto__`, `toString` or `hasOwnProperty` must never reach the object's prototype: read and write them
// through these two helpers (or use a Map / Object.create(null) for tables that are not saved).

/** The value `rec` holds under `key` itself (never one inherited from Object.prototype). */
export function own<T>(rec: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return rec != null && Object.hasOwn(rec, key) ? rec[key] : undefined;
}

/** Store `value` under `key` as an own, enumerable property (`rec.__proto__ = v` would set the prototype instead). */
export function setOwn<T>(rec: Record<string, T>, key: string, value: T): void {
  // only `__proto__` is an accessor of Object.prototype; any other name assigned makes the same own property
  // (defineProperty is much slower on a table of thousands of names: a host's namespaces)
  if (key === '__proto__') Object.defineProperty(rec, key, { value, enumerable: true, writable: true, configurable: true });
  else rec[key] = value;
}

/** A constant lookup table without a prototype: `TABLE[word]` is undefined for `__proto__`, `toString`, ... */
export function table<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}
