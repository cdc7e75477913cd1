// The real command lines the fuzzer mutates: every commands.sh of the fidelity corpus, the project's fixtures
// and the kubectl fixtures (Node only: the fuzzer runs from npm scripts and tests).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, fixturesDir, kubectlFixturesDir } from '../../shell/fidelity';

export function seedLines(): string[] {
  const out: string[] = [];
  for (const dir of [corpusDir(), fixturesDir(), kubectlFixturesDir()]) {
    if (!existsSync(dir)) continue;
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const f = join(dir, d.name, 'commands.sh');
      if (d.isDirectory() && existsSync(f)) out.push(...readFileSync(f, 'utf8').split('\n'));
    }
  }
  return out;
}
