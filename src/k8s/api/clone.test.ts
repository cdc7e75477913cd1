import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonClone } from './clone';

const viaText = (v: unknown) => JSON.parse(JSON.stringify(v));

/** Same values (Object.is: -0 is not 0), same own keys in the same order, same prototypes, all the way down. */
function same(a: unknown, b: unknown): boolean {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return Object.is(a, b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same((a as any)[k], (b as any)[k]));
}

describe('jsonClone', () => {
  it('gives what a round trip through JSON text gives, for any JSON-like value', () => {
    const value = fc.letrec((tie) => ({
      any: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(null, undefined, NaN, Infinity, -0, true, false),
        fc.double(),
        fc.string(),
        fc.array(tie('any'), { maxLength: 4 }),
        fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', '1', '0')), tie('any'), { maxKeys: 4 }),
      ),
    })).any;
    fc.assert(
      fc.property(value.filter((v) => v !== undefined), (v) => {
        const c = jsonClone(v);
        expect(JSON.stringify(c)).toBe(JSON.stringify(v));
        expect(same(c, viaText(v))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('copies: changing the copy leaves the original alone; Dates become their text', () => {
    const o = { a: { b: [1, { c: 2 }] }, d: new Date(0) };
    const c: any = jsonClone(o);
    c.a.b[1].c = 3;
    expect(o.a.b[1]).toEqual({ c: 2 });
    expect(c.d).toBe('1970-01-01T00:00:00.000Z');
    const p: any = jsonClone(JSON.parse('{"__proto__": {"x": 1}}'));
    expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
    expect(Object.keys(p)).toEqual(['__proto__']);
  });
});
