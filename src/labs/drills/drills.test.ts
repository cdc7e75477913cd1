// Every drill over 20 seeds: the reference solution passes, the untouched
// start fails, and each plausible wrong attempt fails the requirement it
// names (mentioning the culprit where the drill says which).
import { describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { drills } from './index';
import { verifyDrill } from './runner';

export const SEEDS = Array.from({ length: 20 }, (_, i) => 1 + i * 7919);

describe.each(drills.map((d) => [d.id, d] as const))('drill %s', (_id, def) => {
  it.each(SEEDS)('verifies with seed %i', async (seed) => {
    const problems = await verifyDrill(Session, def, seed);
    expect(problems.map((p) => p.problem)).toEqual([]);
  });
});
