// Replays a fidelity-corpus scenario (commands.sh) on the simulator and
// produces a transcript in the corpus format:
//
//   $ <command>
//   <stdout and stderr merged>
//   [exit N]
//
// `@` lines are setup: run, output discarded. Every recorded line runs in a
// fresh shell (no variables or cwd carried over) against the same world, in
// an 80-column terminal, exactly as the capture harness does.
import { Session } from './session';
import { CORPUS_SCENARIO, type ScenarioDef } from './scenario-builder';
import { dadDeadline } from '../sim/addr';

export interface CorpusLine {
  setup: boolean;
  line: string;
}

/**
 * A commands.sh whose first line is `@scenario NAME [HOST]` replays on that scenario (and host) instead of
 * the corpus host (the kubectl fixtures use it). Returns {} without it.
 */
export interface ScenarioDirective {
  name?: string;
  host?: string;
}

export function scenarioDirective(text: string): ScenarioDirective {
  const first = text.replace(/\r\n/g, '\n').split('\n').find((l) => l.trim() !== '');
  const m = /^@scenario\s+(\S+)(?:\s+(\S+))?\s*$/.exec(first ?? '');
  if (!m) return {};
  return m[2] ? { name: m[1]!, host: m[2] } : { name: m[1]! };
}

export function parseCommands(text: string): CorpusLine[] {
  const out: CorpusLine[] = [];
  for (const raw of text.replace(/\r\n/g, '\n').split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#') || /^@scenario\s/.test(line)) continue;
    if (line.startsWith('@')) out.push({ setup: true, line: line.slice(1) });
    else out.push({ setup: false, line });
  }
  return out;
}

export interface TranscriptBlock {
  command: string;
  output: string;
  exitCode: number;
}

export function formatBlock(b: TranscriptBlock): string {
  let s = `$ ${b.command}\n`;
  if (b.output !== '') {
    s += b.output;
    if (!b.output.endsWith('\n')) s += '\n[no newline at end]\n';
  }
  return s + `[exit ${b.exitCode}]\n`;
}

/** Split a transcript into blocks (command, raw output text with its final newline, exit code). */
export function parseTranscript(text: string): TranscriptBlock[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const blocks: TranscriptBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!;
    if (!l.startsWith('$ ')) {
      i++;
      continue;
    }
    const command = l.slice(2);
    i++;
    const body: string[] = [];
    while (i < lines.length && !/^\[exit \d+\]$/.test(lines[i]!)) body.push(lines[i++]!);
    const exitCode = i < lines.length ? Number(/\d+/.exec(lines[i]!)![0]) : -1;
    i++;
    let output = body.length ? body.join('\n') + '\n' : '';
    if (body.length && body[body.length - 1] === '[no newline at end]') output = body.slice(0, -1).join('\n');
    blocks.push({ command, output, exitCode });
  }
  return blocks;
}

export interface ReplayOptions {
  /** the world to replay in (default: the corpus's capture host) */
  scenario?: ScenarioDef;
  host?: string;
  seed?: number;
}

/** Replay a commands.sh text; returns the blocks of the recorded commands. */
export async function replay(commandsText: string, opts: ReplayOptions = {}): Promise<TranscriptBlock[]> {
  const session = await Session.create({ scenario: opts.scenario ?? CORPUS_SCENARIO, ...(opts.host ? { host: opts.host } : {}), seed: opts.seed ?? 1, columns: 80 });
  const blocks: TranscriptBlock[] = [];
  // The capture harness's pacing (capture.sh settle()): before each recorded command that follows a setup
  // step or a command that may have changed network state, it waits 1.2 s and then until no IPv6 address
  // is tentative (polling every 0.1 s); a recorded command itself takes some tens of milliseconds.
  let prevMutating = true;
  const settle = () => {
    if (!prevMutating) return;
    session.world.advance(1200);
    const until = dadDeadline(session.world);
    if (until !== null && until > session.world.now()) {
      const wait = until - session.world.now();
      session.world.advance(Math.min(6000, Math.ceil(wait / 100) * 100));
    }
  };
  for (const { setup, line } of parseCommands(commandsText)) {
    if (setup) {
      try {
        await session.setup(line);
      } catch {
        // a setup line the simulator cannot run yet leaves the world as it is
      }
      prevMutating = true;
      continue;
    }
    settle();
    let output: string;
    let exitCode: number;
    try {
      const r = await session.run(line, { fresh: true, noHistory: true });
      output = r.output;
      exitCode = r.exitCode;
    } catch (e) {
      output = `replay: ${e instanceof Error ? e.message : String(e)}\n`;
      exitCode = 255;
    }
    blocks.push({ command: line, output, exitCode });
    session.world.advance(50);
    prevMutating = mutating(line);
  }
  return blocks;
}

/** capture.sh's mutating(): may this recorded line have changed network state? (its exact rule) */
export function mutating(line: string): boolean {
  return /(^|[ ;|&])(add|set|del|delete|flush|replace|change|up|down|master|nomaster|-w|-A|-I|-D|-F|-P|-X|-N|-Z|attach)( |$)|>|\/proc\/sys|ifconfig|route |brctl|sysctl/.test(line.trim());
}

export function transcriptText(blocks: TranscriptBlock[]): string {
  return blocks.map(formatBlock).join('');
}
