// npm run fidelity [-- SCENARIO...] [--json]
// Replays every scenario of the real-Linux corpus and prints one line per
// scenario, then `fidelity: N/M commands identical`. With scenario names,
// prints the diff of each differing command.
import { checkScenario, corpusDir, corpusScenarios, diffBlock, type ScenarioResult } from '../src/shell/fidelity';

const args = process.argv.slice(2);
const json = args.includes('--json');
const writeBaseline = args.includes('--write-baseline');
const wanted = args.filter((a) => !a.startsWith('--'));
const all = corpusScenarios();
if (all.length === 0) {
  console.error(`fidelity: no corpus found at ${corpusDir()} (set FIDELITY_DIR)`);
  process.exit(2);
}
const names = wanted.length ? all.filter((s) => wanted.some((w) => s === w || s.startsWith(w))) : all;
if (wanted.length && names.length === 0) {
  console.error(`fidelity: no scenario matches ${wanted.join(' ')}`);
  process.exit(2);
}
const results: ScenarioResult[] = [];
for (const name of names) results.push(await checkScenario(name));
const total = results.reduce((n, r) => n + r.total, 0);
const same = results.reduce((n, r) => n + r.identical, 0);
if (writeBaseline) {
  // The baseline of the regression test (src/shell/fidelity.test.ts): commands reproduced exactly, per scenario.
  const { writeFileSync } = await import('node:fs');
  const path = new URL('../fidelity-baseline.json', import.meta.url);
  const base: Record<string, string[]> = {};
  for (const r of results) base[r.scenario] = r.commands.filter((c) => c.identical).map((c) => `${c.index + 1}: ${c.command}`);
  writeFileSync(path, JSON.stringify(base, null, 1) + '\n');
}
if (json) {
  console.log(JSON.stringify({ identical: same, total, scenarios: results.map((r) => ({ scenario: r.scenario, identical: r.identical, total: r.total, differing: r.commands.filter((c) => !c.identical).map((c) => c.command) })) }, null, 2));
} else {
  for (const r of results) {
    console.log(`${r.scenario.padEnd(34)} ${String(r.identical).padStart(3)}/${String(r.total).padEnd(3)}${r.identical === r.total ? '' : `  (${r.total - r.identical} differ)`}`);
    if (wanted.length) {
      for (const c of r.commands) if (!c.identical) console.log(`\n--- #${c.index + 1}: $ ${c.command}\n${diffBlock(c.expected, c.actual)}`);
      if (wanted.length) console.log('');
    }
  }
  console.log(`fidelity: ${same}/${total} commands identical`);
}
