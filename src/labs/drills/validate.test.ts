import { describe, expect, it } from 'vitest';
import { drills } from './index';
import { DOMAIN_IDS, defineDrill, instantiate, type DrillDef } from './schema';
import { DrillValidationError, validateCatalogue, validateDrill } from './validate';
import { Rand } from './rand';

const good = drills[0]!;

function variant(patch: Partial<DrillDef>): DrillDef {
  return { ...good, ...patch } as DrillDef;
}

describe('drill catalogue', () => {
  it('is valid, with unique ids', () => {
    expect(() => validateCatalogue(drills)).not.toThrow();
  });

  it('has at least 15 drills covering every domain', () => {
    expect(drills.length).toBeGreaterThanOrEqual(15);
    for (const d of DOMAIN_IDS) expect(drills.some((x) => x.domain === d), d).toBe(true);
  });

  it('draws different values for different seeds (answers are not memorisable)', () => {
    for (const d of drills) {
      const texts = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => instantiate(d, s).solution.join('\n') + instantiate(d, s).task));
      expect(texts.size, d.id).toBeGreaterThanOrEqual(4);
    }
  });

  it('gives the same values for the same seed', () => {
    for (const d of drills) expect(JSON.stringify(instantiate(d, 42).params)).toBe(JSON.stringify(instantiate(d, 42).params));
  });
});

describe('validateDrill', () => {
  it('rejects a bad id, an unknown domain, a zero time budget', () => {
    expect(() => validateDrill(variant({ id: 'Bad Id' }))).toThrow(DrillValidationError);
    expect(() => validateDrill(variant({ domain: 'storage' as never }))).toThrow(/domain/);
    expect(() => validateDrill(variant({ minutes: 0 }))).toThrow(/minutes/);
  });

  it('rejects a wrong attempt naming an unknown requirement', () => {
    const d = variant({ wrong: (p) => [...good.wrong(p).slice(0, 1), { name: 'typo', lines: ['true'], fails: 'no-such-requirement' }] });
    expect(() => validateDrill(d)).toThrow(/unknown requirement no-such-requirement/);
  });

  it('requires at least three alternative solutions and two near misses (issue 21)', () => {
    expect(() => validateDrill(variant({ alternatives: (p) => good.alternatives(p).slice(0, 2) }))).toThrow(/at least three alternative solutions/);
    expect(() => validateDrill(variant({ wrong: (p) => good.wrong(p).slice(0, 1) }))).toThrow(/at least two near misses/);
    expect(() => validateDrill(variant({ alternatives: undefined as never }))).toThrow(DrillValidationError);
  });

  it('rejects duplicate requirement ids and unfilled parameters', () => {
    const req = { id: 'a', text: 'something holds', check: () => true as const };
    expect(() => validateDrill(variant({ requirements: () => [req, req] }))).toThrow(/duplicate requirement id a/);
    expect(() => validateDrill(variant({ task: (p) => `Create the namespace ${(p as Record<string, unknown>)['nope']} now please` }))).toThrow(/unfilled/);
  });

  it('rejects an empty solution or no hints', () => {
    expect(() => validateDrill(variant({ solution: () => [] }))).toThrow(DrillValidationError);
    expect(() => validateDrill(variant({ hints: () => [] }))).toThrow(DrillValidationError);
  });

  it('rejects a duplicate drill id and an unknown scenario', () => {
    expect(() => validateCatalogue([good, good])).toThrow(/duplicate drill id/);
    expect(() => validateCatalogue([good], ['other'])).toThrow(/unknown scenario/);
  });

  it('defineDrill keeps the parameter types', () => {
    const d = defineDrill({ ...good, params: (r: Rand) => ({ n: r.int(1, 3) }) });
    expect(typeof instantiate(d, 1).params['n']).toBe('number');
  });
});
