// Every scenario builds: each setup line runs without error on the simulator.
import { describe, expect, it } from 'vitest';
import { getScenario, scenarios } from './index';
import { Session } from '../../shell/session';
import { World } from '../../sim/world';

describe('scenarios', () => {
  for (const [name, def] of Object.entries(scenarios)) {
    it(`${name} builds without a failing setup line`, async () => {
      const s = await Session.create({ scenario: def });
      expect(s.setupProblems).toEqual([]);
      // the world is plain data: its saved form (compact.ts) restores to the same state, and saves the same text again
      const saved = s.world.snapshot();
      const back = World.restore(saved);
      expect(back.state).toEqual(JSON.parse(JSON.stringify(s.world.state)));
      expect(back.snapshot()).toBe(saved);
    });
  }

  it('getScenario names the unknown scenario', () => {
    expect(() => getScenario('nope')).toThrow('unknown scenario: nope');
  });
});
