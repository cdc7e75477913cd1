// npm run drills -- --verify [--seeds N] [--drill ID[,ID...]]
//   runs every drill's verification over N seeds (default 20): the reference
//   passes, the untouched start fails, each near miss (wrong attempt) fails
//   its named requirement, each alternative solution passes (at least 3 and
//   2 near misses per drill), the faking attempt fails, and the reference
//   still passes with the terminal left logged into another host; prints
//   `drills: N verified over S seeds, ...`; exits 1 on any problem.
// npm run drills [-- --list]
//   lists the catalogue.
// npm run drills -- --show ID [--seed N]
//   prints one drill's task, requirements, hints and reference solution.
// npm run drills -- --check ID --seed N --attempt FILE
//   replays FILE's lines on the drill's start, in the learner's shell as
//   typed (functions, aliases, ssh logins and all), grades the end state as
//   the drill page does, and prints `passed` or `not passed`, then each
//   requirement. Exit 0 when passed, 1 when not, 2 on a usage error.
import { readFileSync } from 'node:fs';
import { isComplete } from '../src/shell/continuation';
import { Session, type SessionSnapshot } from '../src/shell/session';
import { drills, drillById } from '../src/labs/drills/index';
import { contextFor, grade, play, startAttempt, verifyDrill, type VerifyFailure } from '../src/labs/drills/runner';
import { instantiate } from '../src/labs/drills/schema';
import { catalogueTable } from '../src/labs/drills/catalogue';
import { getScenario } from '../src/labs/scenarios/index';

function arg(name: string): string | null {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? null) : null;
}

async function verify(): Promise<number> {
  const count = Number(arg('--seeds') ?? 20);
  if (!Number.isInteger(count) || count < 1) {
    console.error('drills: --seeds wants a positive integer');
    return 2;
  }
  // --drill ID[,ID...]: only those drills (a long verify split into pieces run side by side)
  const only = arg('--drill')?.split(',').filter((id) => id !== '') ?? null;
  const unknown = only?.filter((id) => !drillById(id)) ?? [];
  if (unknown.length > 0) {
    console.error(`drills: no drill ${unknown.join(', ')}`);
    return 2;
  }
  const list = only ? drills.filter((d) => only.includes(d.id)) : drills;
  const seeds = Array.from({ length: count }, (_, i) => 1 + i * 7919);
  const failures: VerifyFailure[] = [];
  let verified = 0;
  for (const def of list) {
    const before = failures.length;
    for (const seed of seeds) failures.push(...(await verifyDrill(Session, def, seed, { fakes: true, loggedInElsewhere: true })));
    // issue 21's corpus: at least three alternative solutions and two near misses per drill
    const sample = instantiate(def, seeds[0]!);
    const alts = sample.alternatives.length;
    const misses = sample.wrong.length;
    if (alts < 3) failures.push({ drill: def.id, seed: seeds[0]!, problem: `only ${alts} alternative solutions (at least 3 wanted)` });
    if (misses < 2) failures.push({ drill: def.id, seed: seeds[0]!, problem: `only ${misses} near misses (at least 2 wanted)` });
    const n = failures.length - before;
    // a scenario of one host has no other host to stay logged into
    const elsewhere = getScenario(def.scenario).hosts.length > 1 ? 'ssh left open' : 'one host (no ssh)';
    console.log(`${n === 0 ? 'ok  ' : 'FAIL'} ${def.id.padEnd(28)} ${alts} alternatives, ${misses} near misses, faking attempt, ${elsewhere}${n ? ` (${n} problems)` : ''}`);
    if (n === 0) verified++;
  }
  for (const f of failures) console.log(`  ${f.drill} seed ${f.seed}: ${f.problem.split('\n').join('\n    ')}`);
  console.log(`drills: ${verified} verified over ${count} seeds, with their alternatives, near misses and faking attempt${verified < list.length ? ` (${list.length - verified} failed)` : ''}`);
  return failures.length === 0 ? 0 : 1;
}

function show(id: string): number {
  const def = drillById(id);
  if (!def) {
    console.error(`drills: no drill ${id}`);
    return 2;
  }
  const seed = Number(arg('--seed') ?? 1);
  const d = instantiate(def, seed);
  console.log(`${def.title} (${def.id}, seed ${seed}, ${def.minutes} min, weight ${def.weight})\n`);
  console.log(d.task + '\n');
  console.log('Requirements:\n' + d.requirements.map((r) => `  - ${r.text}`).join('\n'));
  console.log('Hints:\n' + d.hints.map((h, i) => `  ${i + 1}. ${h}`).join('\n'));
  console.log('Solution:\n' + d.solution.map((l) => `  ${l}`).join('\n'));
  return 0;
}

async function check(id: string): Promise<number> {
  const def = drillById(id);
  if (!def) {
    console.error(`drills: no drill ${id}`);
    return 2;
  }
  const seed = Number(arg('--seed') ?? 1);
  const file = arg('--attempt');
  if (!Number.isInteger(seed) || !file) {
    console.error('usage: npm run drills -- --check ID --seed N --attempt FILE');
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    console.error(`drills: ${file}: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  // the lines as typed at the prompt: an unfinished command (open quote, `{`, here-document, trailing `\`) takes the next lines, as bash's continuation prompt does
  const lines: string[] = [];
  let sofar: string | null = null;
  for (const l of text.replace(/\n$/, '').split('\n')) {
    sofar = sofar === null ? l : `${sofar}\n${l}`;
    if (isComplete(sofar)) {
      if (sofar.trim() !== '') lines.push(sofar);
      sofar = null;
    }
  }
  if (sofar !== null) lines.push(sofar);
  const { drill, start } = await startAttempt<SessionSnapshot>(Session, def, seed);
  const end = await play(Session, start, lines);
  const g = await grade(drill, contextFor(Session, end, start));
  console.log(g.pass ? 'passed' : 'not passed');
  for (const r of g.results) console.log(`  ${r.pass ? '[x]' : '[ ]'} ${r.text}${r.pass ? '' : `: ${r.message}`}`);
  return g.pass ? 0 : 1;
}

function list(): number {
  for (const row of catalogueTable(drills)) console.log(row);
  return 0;
}

const code = process.argv.includes('--verify') ? await verify() : arg('--check') ? await check(arg('--check')!) : arg('--show') ? show(arg('--show')!) : list();
process.exitCode = code;
