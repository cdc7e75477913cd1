// npm run fuzz -- [--lines N] [--seed S] [--scenario NAME]...
//
// Mutates the fidelity corpus's and the fixtures' command lines and generates lines for every tool, runs them on
// every scenario (restored from its start every 25 lines), checks the kernel's invariants after each line and a
// save/restore round trip every 5 lines, then prints
// `fuzz: N lines, U internal errors, S over 100 ms, V invariant violations, R save/restore mismatches`
// and each finding. Exit status 1 when there is an internal error, a violation or a mismatch.
import { netCommands } from '../src/commands/index';
import { scenarioNames } from '../src/labs/scenarios/index';
import { fuzzLines, pools } from '../src/labs/fuzz/lines';
import { seedLines } from '../src/labs/fuzz/seeds';
import { runFuzz, summary } from '../src/labs/fuzz/run';

function args(argv: string[]): { lines: number; seed: number; scenarios: string[] } {
  const o = { lines: 2000, seed: 1, scenarios: [] as string[] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = () => argv[++i] ?? '';
    if (a === '--lines') o.lines = Number(v());
    else if (a === '--seed') o.seed = Number(v());
    else if (a === '--scenario') o.scenarios.push(v());
    else {
      process.stderr.write(`fuzz: unknown option ${a}\nUsage: npm run fuzz -- [--lines N] [--seed S] [--scenario NAME]...\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(o.lines) || o.lines < 1 || !Number.isInteger(o.seed)) {
    process.stderr.write('fuzz: --lines and --seed take integers\n');
    process.exit(2);
  }
  return o;
}

const o = args(process.argv.slice(2));
const p = pools(seedLines(), [...netCommands.map((c) => c.name), 'bash', 'echo', 'cat', 'ls', 'grep', 'sed', 'awk', 'printf', 'cd', 'export']);
const lines = fuzzLines(o.seed, o.lines, p);
const scenarios = o.scenarios.length ? o.scenarios : scenarioNames().filter((n) => !n.endsWith('-solved'));
const t0 = Date.now();
const report = await runFuzz(lines, {
  scenarios,
  onLine: (i, r) => {
    if ((i + 1) % 1000 === 0) process.stderr.write(`  ${i + 1} lines, ${Math.round((Date.now() - t0) / 1000)} s: ${summary(r).slice(6)}\n`);
  },
});
for (const f of report.findings) console.log(`${f.kind}\t[${f.scenario}]\t${f.line}\n\t${f.detail.replace(/\n/g, '\n\t')}`);
console.log(`seed ${o.seed}, ${scenarios.length} scenarios, ${p.tools.length} tools, ${p.seeds.length} real lines, ${Math.round((Date.now() - t0) / 1000)} s`);
console.log(summary(report));
process.exit(report.internalErrors || report.violations || report.mismatches ? 1 : 0);
