// The fidelity harness: replay every scenario of the real-Linux corpus
// (../shared/fidelity, or $FIDELITY_DIR) and compare command by command after
// the corpus's own normaliser (normalize.mjs).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { formatBlock, parseTranscript, replay, scenarioDirective, type TranscriptBlock } from './replay';
import type { ScenarioDef } from './scenario-builder';

export function corpusDir(): string {
  if (process.env.FIDELITY_DIR) return resolve(process.env.FIDELITY_DIR);
  const here = fileURLToPath(new URL('.', import.meta.url));
  return resolve(here, '../../../shared/fidelity');
}

/** The project's own real-Linux transcripts (variants of the corpus's kinds), beside the repository root. */
export function fixturesDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return resolve(here, '../../fixtures/fidelity');
}

/** The kubectl fixtures: transcripts of the real kubectl 1.33 (client-side, or against `npm run api`). */
export function kubectlFixturesDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return resolve(here, '../../fixtures/kubectl');
}

export function corpusScenarios(dir = corpusDir()): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    // a scenario is replayable once it has both its commands and its captured transcript
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'commands.sh')) && existsSync(join(dir, d.name, 'transcript.txt')))
    .map((d) => d.name)
    .sort();
}

type Normalize = (text: string) => string;
const normalizers = new Map<string, Normalize>();
/** The normaliser of a transcript folder: its own normalize.mjs, else the corpus's. */
export async function loadNormalizer(dir = corpusDir()): Promise<Normalize> {
  const own = join(dir, 'normalize.mjs');
  const file = existsSync(own) ? own : join(corpusDir(), 'normalize.mjs');
  let normalizer = normalizers.get(file);
  if (!normalizer) {
    const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as { normalize: Normalize };
    normalizer = mod.normalize;
    normalizers.set(file, normalizer);
  }
  return normalizer;
}

export interface CommandResult {
  index: number;
  command: string;
  identical: boolean;
  expected: string;
  actual: string;
}

export interface ScenarioResult {
  scenario: string;
  total: number;
  identical: number;
  commands: CommandResult[];
}

/**
 * Replay one scenario folder and compare. A commands.sh that starts with `@scenario NAME [HOST]` replays on
 * that scenario, looked up with `scenarios` (the course's catalogue lives above this layer: callers pass it).
 */
export async function checkScenario(name: string, dir = corpusDir(), scenarios?: (name: string) => ScenarioDef): Promise<ScenarioResult> {
  const normalize = await loadNormalizer(dir);
  const commandsText = readFileSync(join(dir, name, 'commands.sh'), 'utf8');
  const expected = parseTranscript(readFileSync(join(dir, name, 'transcript.txt'), 'utf8'));
  let actual: TranscriptBlock[];
  try {
    const d = scenarioDirective(commandsText);
    if (d.name !== undefined && !scenarios) throw new Error(`${name} needs the scenario ${d.name}: pass the scenario catalogue`);
    actual = await replay(commandsText, { ...(d.name !== undefined ? { scenario: scenarios!(d.name) } : {}), ...(d.host ? { host: d.host } : {}) });
  } catch (e) {
    actual = expected.map((b) => ({ command: b.command, output: `replay failed: ${String(e)}\n`, exitCode: 255 }));
  }
  const commands: CommandResult[] = expected.map((exp, i) => {
    const act = actual[i] ?? { command: exp.command, output: '(not run)\n', exitCode: -1 };
    const e = normalize(formatBlock(exp));
    const a = normalize(formatBlock({ ...act, command: exp.command }));
    return { index: i, command: exp.command, identical: e === a, expected: e, actual: a };
  });
  return { scenario: name, total: commands.length, identical: commands.filter((c) => c.identical).length, commands };
}

/** A compact line diff of two normalised blocks. */
export function diffBlock(expected: string, actual: string): string {
  const e = expected.split('\n');
  const a = actual.split('\n');
  const out: string[] = [];
  const n = Math.max(e.length, a.length);
  for (let i = 0; i < n; i++) {
    if (e[i] === a[i]) out.push(`  ${e[i] ?? ''}`);
    else {
      if (e[i] !== undefined) out.push(`- ${e[i]}`);
      if (a[i] !== undefined) out.push(`+ ${a[i]}`);
    }
  }
  return out.join('\n');
}
