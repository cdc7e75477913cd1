// npm run fidelity [-- SCENARIO...] [--json] [--write-baseline]
// Replays every scenario of the real-Linux corpus and prints one line per
// scenario, then `fidelity: N/M commands identical`; then the same for the
// project's own fixtures (fixtures/fidelity), ending with
// `fidelity (project fixtures): N/M commands identical`. With scenario names
// (or prefixes, e.g. `21`), prints the diff of each differing command.
import { getScenario } from '../src/labs/scenarios/index';
import { checkScenario, corpusDir, corpusScenarios, diffBlock, fixturesDir, kubectlFixturesDir, type ScenarioResult } from '../src/shell/fidelity';

const args = process.argv.slice(2);
const json = args.includes('--json');
const writeBaseline = args.includes('--write-baseline');
const wanted = args.filter((a) => !a.startsWith('--'));
const pick = (all: string[]) => (wanted.length ? all.filter((s) => wanted.some((w) => s === w || s.startsWith(w))) : all);

interface Block {
  label: string; // '' for the shared corpus
  key: string; // prefix of the baseline keys ('' or 'fixtures/')
  dir: string;
  names: string[];
  results: ScenarioResult[];
}
const all = corpusScenarios();
if (all.length === 0) {
  console.error(`fidelity: no corpus found at ${corpusDir()} (set FIDELITY_DIR)`);
  process.exit(2);
}
const blocks: Block[] = [
  { label: '', key: '', dir: corpusDir(), names: pick(all), results: [] },
  { label: ' (project fixtures)', key: 'fixtures/', dir: fixturesDir(), names: pick(corpusScenarios(fixturesDir())), results: [] },
  { label: ' (kubectl)', key: 'kubectl/', dir: kubectlFixturesDir(), names: pick(corpusScenarios(kubectlFixturesDir())), results: [] },
];
if (wanted.length && blocks.every((b) => b.names.length === 0)) {
  console.error(`fidelity: no scenario matches ${wanted.join(' ')}`);
  process.exit(2);
}
for (const b of blocks) for (const name of b.names) b.results.push(await checkScenario(name, b.dir, getScenario));
const sum = (rs: ScenarioResult[], f: (r: ScenarioResult) => number) => rs.reduce((n, r) => n + f(r), 0);

if (writeBaseline) {
  // The baseline of the regression test (src/shell/fidelity.test.ts): commands reproduced exactly, per scenario
  // (fixture scenarios under `fixtures/NAME`).
  const { writeFileSync } = await import('node:fs');
  const path = new URL('../fidelity-baseline.json', import.meta.url);
  const base: Record<string, string[]> = {};
  for (const b of blocks) for (const r of b.results) base[b.key + r.scenario] = r.commands.filter((c) => c.identical).map((c) => `${c.index + 1}: ${c.command}`);
  writeFileSync(path, JSON.stringify(base, null, 1) + '\n');
}
const summary = (rs: ScenarioResult[]) => ({
  identical: sum(rs, (r) => r.identical),
  total: sum(rs, (r) => r.total),
  scenarios: rs.map((r) => ({ scenario: r.scenario, identical: r.identical, total: r.total, differing: r.commands.filter((c) => !c.identical).map((c) => c.command) })),
});
if (json) {
  console.log(JSON.stringify({ ...summary(blocks[0]!.results), fixtures: summary(blocks[1]!.results), kubectl: summary(blocks[2]!.results) }, null, 2));
} else {
  let printed = false;
  for (const b of blocks) {
    if (wanted.length && b.names.length === 0) continue;
    if (printed) console.log('');
    printed = true;
    for (const r of b.results) {
      console.log(`${r.scenario.padEnd(34)} ${String(r.identical).padStart(3)}/${String(r.total).padEnd(3)}${r.identical === r.total ? '' : `  (${r.total - r.identical} differ)`}`);
      if (wanted.length) {
        for (const c of r.commands) if (!c.identical) console.log(`\n--- #${c.index + 1}: $ ${c.command}\n${diffBlock(c.expected, c.actual)}`);
        console.log('');
      }
    }
    console.log(`fidelity${b.label}: ${sum(b.results, (r) => r.identical)}/${sum(b.results, (r) => r.total)} commands identical`);
  }
}
