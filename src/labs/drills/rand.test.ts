import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSeed, Rand } from './rand';

describe('Rand', () => {
  it('is deterministic per seed and salt', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0x7fffffff }), fc.string(), (seed, salt) => {
        const a = new Rand(seed, salt);
        const b = new Rand(seed, salt);
        for (let i = 0; i < 5; i++) expect(a.next()).toBe(b.next());
      }),
    );
  });

  it('keeps int() within bounds and sample() distinct', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0x7fffffff }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 100 }), (seed, min, span) => {
        const r = new Rand(seed);
        const v = r.int(min, min + span);
        expect(v).toBeGreaterThanOrEqual(min);
        expect(v).toBeLessThanOrEqual(min + span);
        const s = r.sample([1, 2, 3, 4, 5, 6], 4);
        expect(new Set(s).size).toBe(4);
      }),
    );
  });

  it('spreads neighbouring seeds: the first pick varies', () => {
    const firsts = new Set(Array.from({ length: 40 }, (_, i) => new Rand(i + 1, 'x').int(0, 9)));
    expect(firsts.size).toBeGreaterThanOrEqual(7);
  });

  it('differs between salts for the same seed', () => {
    expect(new Rand(5, 'a').next()).not.toBe(new Rand(5, 'b').next());
  });
});

describe('parseSeed', () => {
  it('accepts positive 31-bit integers only', () => {
    expect(parseSeed('42')).toBe(42);
    expect(parseSeed(' 7 ')).toBe(7);
    for (const bad of [null, '', '0', '-3', '1.5', 'abc', '99999999999', '2147483648']) expect(parseSeed(bad), String(bad)).toBeNull();
  });
});
