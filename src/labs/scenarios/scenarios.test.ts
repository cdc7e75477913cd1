// Every scenario builds: each setup line runs without error on the simulator.
import { describe, expect, it } from 'vitest';
import { getScenario, scenarios } from './index';
import { Session } from '../../shell/session';

describe('scenarios', () => {
  for (const [name, def] of Object.entries(scenarios)) {
    it(`${name} builds without a failing setup line`, async () => {
      const s = await Session.create({ scenario: def });
      expect(s.setupProblems).toEqual([]);
      // the world is plain data: a snapshot restores to the same state
      expect(JSON.parse(s.world.snapshot())).toEqual(JSON.parse(JSON.stringify(s.world.state)));
    });
  }

  it('getScenario names the unknown scenario', () => {
    expect(() => getScenario('nope')).toThrow('unknown scenario: nope');
  });
});
