// npm run shell [-- --scenario NAME] [--host HOST] [--seed N]
//
// The course's simulated host in your own terminal: the same Session and the
// same line editor (src/shell/editor.ts) as the in-page terminal: editing,
// continuation lines (PS2), history (Up/Down, Ctrl-R, `!!`, the `history`
// builtin) and Tab completion. Ctrl-C cancels the line or interrupts the
// running command; Ctrl-D (or `exit` at the top level) leaves.
//
// With stdin not a terminal, it runs the lines it reads, one after another,
// without prompts (`echo 'ip -br link' | npm run -s shell`).
import * as readline from 'node:readline';
import { Session } from '../src/shell/session';
import { pending } from '../src/shell/continuation';
import { TtyQueue } from '../src/shell/tty';
import { completed, createEditor, displayWidth, feed, resize, showPrompt, type EditorState, type Step } from '../src/shell/editor';
// the in-page terminal's limits and messages: a runaway loop stops quickly, saying why
import { BROWSER_LIMITS, explainLimits } from '../src/shell/worker';
import { getScenario } from '../src/labs/scenarios/index';

interface Args {
  scenario: string;
  host?: string;
  seed?: number;
}

const USAGE = `Usage: npm run shell [-- --scenario NAME] [--host HOST] [--seed N]

  --scenario NAME   start from this scenario (default: blank)
  --host HOST       open the shell on this host of the scenario
  --seed N          seed of the simulation's random numbers (MACs, ports, ...)
`;

function parseArgs(argv: string[]): Args {
  const args: Args = { scenario: 'blank' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) fail(`option ${flag} needs a value`);
      return v;
    };
    if (flag === '--scenario' || flag === '-s') args.scenario = value();
    else if (flag === '--host') args.host = value();
    else if (flag === '--seed') {
      const n = Number(value());
      if (!Number.isInteger(n)) fail(`--seed needs an integer`);
      args.seed = n;
    } else if (flag === '--help' || flag === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else fail(`unknown option: ${a}`);
  }
  return args;
}

function fail(msg: string): never {
  process.stderr.write(`shell: ${msg}\n\n${USAGE}`);
  process.exit(2);
}

const args = parseArgs(process.argv.slice(2));
let session: Session;
try {
  session = await Session.create({ scenario: getScenario(args.scenario), host: args.host, seed: args.seed, columns: process.stdout.columns || 80, limits: BROWSER_LIMITS, clock: 'real' });
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}

/** `exit [N]` at the top level ends the shell (inside an ssh login, the session handles it) */
function exitRequest(line: string): number | null {
  const m = /^\s*(?:exit|logout)(?:\s+(\d+))?\s*$/.exec(line);
  if (!m || session.snapshot().logins?.length) return null;
  return m[1] ? Number(m[1]) & 255 : Number(session.snapshot().env['?'] ?? 0) || 0;
}

async function runLine(line: string, signal?: AbortSignal): Promise<number> {
  let streamed = '';
  const r = await session.run(line, {
    signal,
    onOutput: (chunk) => {
      streamed += chunk;
      process.stdout.write(chunk);
    },
  });
  const rest = streamed && r.output.startsWith(streamed) ? r.output.slice(streamed.length) : r.output;
  process.stdout.write(explainLimits(rest));
  return r.exitCode;
}

if (!process.stdin.isTTY) {
  // not interactive: run what stdin says, a whole command at a time (as bash reads a script)
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  let status = 0;
  let group: string[] = [];
  for await (const line of rl) {
    group.push(line);
    const text = group.join('\n');
    if (pending(text) !== null) continue;
    group = [];
    const ex = exitRequest(text);
    if (ex !== null) process.exit(ex);
    status = await runLine(text);
  }
  if (group.length) status = await runLine(group.join('\n'));
  process.exit(status);
}

// Interactive: the in-page terminal's line editor (src/shell/editor.ts) on the raw terminal, so that
// continuation lines, history expansion and search, and Tab completion behave the same in both.
const out = (s: string) => process.stdout.write(s);
let ed: EditorState = createEditor({ prompt: session.prompt(), columns: process.stdout.columns || 80, history: session.history });
let running: AbortController | null = null;
let lastOutput = '';
/** the terminal of the running line; `raw` once a full-screen program (vi, nano) drew on it */
let tty: TtyQueue | null = null;
let raw = false;

function apply(step: Step): void {
  ed = step.state;
  out(step.out);
  for (const a of step.actions) {
    if (a.type === 'run') void runTyped(a.line);
    else if (a.type === 'complete') {
      session.complete(a.line, a.cursor).then(
        (r) => apply(completed(ed, r)),
        () => apply(completed(ed, { from: a.cursor, candidates: [] })),
      );
    } else if (a.type === 'interrupt') running?.abort();
  }
}

async function runTyped(line: string): Promise<void> {
  if (pending(line) !== null) {
    apply(showPrompt(ed, { continued: true }));
    return;
  }
  const ex = exitRequest(line);
  if (ex !== null) {
    out('exit\n');
    process.exit(ex);
  }
  running = new AbortController();
  lastOutput = '';
  tty = new TtyQueue(process.stdout.rows || 24, process.stdout.columns || 80, (d) => {
    if (!raw) {
      raw = true;
      // keys typed ahead are the program's
      if (ed.typeahead) {
        tty?.push(ed.typeahead);
        ed = { ...ed, typeahead: '' };
      }
    }
    out(d);
  });
  try {
    let streamed = '';
    const r = await session.run(line, {
      interactive: true,
      tty,
      signal: running.signal,
      onOutput: (chunk) => {
        streamed += chunk;
        lastOutput += chunk;
        out(chunk);
      },
    });
    const rest = explainLimits(streamed && r.output.startsWith(streamed) ? r.output.slice(streamed.length) : r.output);
    lastOutput += rest;
    out(rest);
  } catch (e) {
    out(`bash: ${e instanceof Error ? e.message : String(e)}\n`);
    lastOutput = '\n';
  } finally {
    running = null;
    tty.close();
    tty = null;
    raw = false;
  }
  const tail = lastOutput.slice(Math.max(lastOutput.lastIndexOf('\n'), lastOutput.lastIndexOf('\r')) + 1);
  apply(showPrompt(ed, { prompt: session.prompt(), history: session.history, startCol: displayWidth(tail) }));
}

process.stdin.setRawMode(true);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (data: string) => {
  if (raw && tty) {
    tty.push(data);
    return;
  }
  // Ctrl-D on an empty line at PS1 leaves, as bash does
  if (data === '\x04' && ed.mode === 'edit' && ed.chars.length === 0 && ed.pending.length === 0 && !ed.search) {
    out('exit\r\n');
    process.exit(Number(session.vars['?'] ?? 0) || 0);
  }
  apply(feed(ed, data));
});
process.stdout.on('resize', () => {
  ed = resize(ed, process.stdout.columns || 80);
  // vi or nano running: it redraws for the new size
  tty?.resize(process.stdout.rows || 24, process.stdout.columns || 80);
});
apply(showPrompt(ed, { prompt: session.prompt(), history: session.history }));
