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

export interface CorpusLine {
  setup: boolean;
  line: string;
}

export function parseCommands(text: string): CorpusLine[] {
  const out: CorpusLine[] = [];
  for (const raw of text.replace(/\r\n/g, '\n').split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
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
  scenario?: string;
  seed?: number;
}

/** Replay a commands.sh text; returns the blocks of the recorded commands. */
export async function replay(commandsText: string, opts: ReplayOptions = {}): Promise<TranscriptBlock[]> {
  const session = await Session.create({ scenario: opts.scenario ?? 'corpus', seed: opts.seed ?? 1, columns: 80 });
  const blocks: TranscriptBlock[] = [];
  for (const { setup, line } of parseCommands(commandsText)) {
    if (setup) {
      try {
        await session.setup(line);
      } catch {
        // a setup line the simulator cannot run yet leaves the world as it is
      }
      // the capture harness waits 1.2 s after every setup step
      session.world.advance(1200);
      continue;
    }
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
    // settle time after commands that may change state (the harness waits 1.2 s; read-only ones follow at once)
    session.world.advance(mayChangeState(line) ? 1200 : 50);
  }
  return blocks;
}

const READ_ONLY = /^(\s*(ip netns exec \S+\s+)?)(ip(\s+-\S+)*\s+(\S+\s+)?(show|sh|list|ls|get|help)\b|ip(\s+-\S+)*\s+\S+\s*$|cat|grep|route(\s+-n)?\s*$|netstat|ss|arp\s+-[na]|ifconfig\s*$|iptables(\s+-t\s+\S+)?\s+(-L|-S|-n|-v|--list)|iptables-save|sysctl\s+(-n\s+|-a|-r)|dig|nslookup|host\s|getent|bridge\s+(\S+\s+)?(show|fdb\s+show|link\s+show)|hostname\s*$)/;
function mayChangeState(line: string): boolean {
  return !READ_ONLY.test(line);
}

export function transcriptText(blocks: TranscriptBlock[]): string {
  return blocks.map(formatBlock).join('');
}
