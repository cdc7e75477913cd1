// Corpus replay as a regression test: every command of the real-Linux corpus
// that the simulator reproduced when the baseline was last written
// (fidelity-baseline.json, by `npm run fidelity -- --write-baseline`) must
// still be reproduced exactly. The baseline only grows: a command that
// regresses fails this test and CI.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// the kubectl fixtures name their scenario (`@scenario NAME`): the course's catalogue (a test may reach above its layer)
import { getScenario } from '../labs/scenarios/index';
import { checkScenario, corpusDir, corpusScenarios, diffBlock, fixturesDir, kubectlFixturesDir } from './fidelity';

const baselinePath = fileURLToPath(new URL('../../fidelity-baseline.json', import.meta.url));
const baseline: Record<string, string[]> = existsSync(baselinePath) ? JSON.parse(readFileSync(baselinePath, 'utf8')) : {};
const scenarios = corpusScenarios();
const haveCorpus = scenarios.length > 0;

describe('fidelity corpus replay', () => {
  it('finds the corpus (../shared/fidelity or $FIDELITY_DIR)', () => {
    if (!haveCorpus && !process.env.CI) return; // a clone without the corpus beside it: nothing to compare
    expect(haveCorpus, `no corpus at ${corpusDir()}`).toBe(true);
  });

  for (const name of scenarios) {
    it(`${name}: no regression against the baseline`, async () => {
      const res = await checkScenario(name);
      const must = new Set(baseline[name] ?? []);
      const regressions = res.commands.filter((c) => must.has(`${c.index + 1}: ${c.command}`) && !c.identical);
      const report = regressions.map((c) => `$ ${c.command}\n${diffBlock(c.expected, c.actual)}`).join('\n\n');
      expect(regressions.length, `regressed commands in ${name}:\n${report}`).toBe(0);
    });
  }
});

// The project's own real-Linux transcripts (fixtures/fidelity: variants of the corpus's kinds), baseline keys
// `fixtures/NAME`.
describe('fidelity fixtures replay', () => {
  const fixtures = corpusScenarios(fixturesDir());
  it('finds the project fixtures', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  for (const name of fixtures) {
    it(`${name}: no regression against the baseline`, async () => {
      const res = await checkScenario(name, fixturesDir());
      const must = new Set(baseline[`fixtures/${name}`] ?? []);
      const regressions = res.commands.filter((c) => must.has(`${c.index + 1}: ${c.command}`) && !c.identical);
      const report = regressions.map((c) => `$ ${c.command}\n${diffBlock(c.expected, c.actual)}`).join('\n\n');
      expect(regressions.length, `regressed commands in fixtures/${name}:\n${report}`).toBe(0);
    });
  }
});

// The real kubectl's transcripts (fixtures/kubectl; a commands.sh may start with `@scenario NAME [HOST]`),
// baseline keys `kubectl/NAME`.
describe('fidelity kubectl fixtures replay', () => {
  const fixtures = corpusScenarios(kubectlFixturesDir());
  it('finds the kubectl fixtures', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  for (const name of fixtures) {
    it(`${name}: no regression against the baseline`, async () => {
      const res = await checkScenario(name, kubectlFixturesDir(), getScenario);
      const must = new Set(baseline[`kubectl/${name}`] ?? []);
      const regressions = res.commands.filter((c) => must.has(`${c.index + 1}: ${c.command}`) && !c.identical);
      const report = regressions.map((c) => `$ ${c.command}\n${diffBlock(c.expected, c.actual)}`).join('\n\n');
      expect(regressions.length, `regressed commands in kubectl/${name}:\n${report}`).toBe(0);
    });
  }
});
