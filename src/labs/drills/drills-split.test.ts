// The three parts of the drills' verification (drills.test-util.ts) hold every drill exactly once.
import { describe, expect, it } from 'vitest';
import { drills } from './index';
import { drillsOf } from './drills.test-util';

describe('the drills test parts', () => {
  it('hold every drill once', () => {
    const ids = (['linux', 'k8s-a', 'k8s-b'] as const).flatMap((p) => drillsOf(p).map((d) => d.id));
    expect(ids.sort()).toEqual(drills.map((d) => d.id).sort());
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of ['linux', 'k8s-a', 'k8s-b'] as const) expect(drillsOf(p).length, p).toBeGreaterThan(5);
  });
});
