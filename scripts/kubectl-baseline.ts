// npm run kubectl-baseline: record the kubectl fixtures' identical commands in fidelity-baseline.json
// (keys kubectl/NAME) without replaying the other corpora (npm run fidelity -- --write-baseline does all).
import { readFileSync, writeFileSync } from 'node:fs';
import { checkScenario, corpusScenarios, kubectlFixturesDir } from '../src/shell/fidelity';
import { getScenario } from '../src/labs/scenarios/index';

const path = new URL('../fidelity-baseline.json', import.meta.url);
const base = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string[]>;
let identical = 0;
let total = 0;
for (const name of corpusScenarios(kubectlFixturesDir())) {
  const r = await checkScenario(name, kubectlFixturesDir(), getScenario);
  const keep = r.commands.filter((c) => c.identical).map((c) => `${c.index + 1}: ${c.command}`);
  const before = new Set(base[`kubectl/${name}`] ?? []);
  const lost = [...before].filter((k) => !keep.includes(k));
  if (lost.length) {
    console.error(`kubectl/${name}: would lose ${lost.join('; ')}`);
    process.exit(1);
  }
  base[`kubectl/${name}`] = keep;
  identical += r.identical;
  total += r.total;
  console.log(`${name.padEnd(34)} ${String(r.identical).padStart(3)}/${r.total}`);
}
writeFileSync(path, JSON.stringify(base, null, 1) + '\n');
console.log(`fidelity (kubectl): ${identical}/${total} commands identical`);
