// npm run shell [-- --scenario NAME] [--host HOST] [--seed N]
//
// The course's simulated host in your own terminal: the same Session as the
// in-page terminal, with readline editing, history (Up/Down, the `history`
// builtin) and Tab completion. Ctrl-C cancels the line or interrupts the
// running command; Ctrl-D (or `exit` at the top level) leaves.
//
// With stdin not a terminal, it runs the lines it reads, one after another,
// without prompts (`echo 'ip -br link' | npm run -s shell`).
import * as readline from 'node:readline';
import { Session } from '../src/shell/session';
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
  // not interactive: run what stdin says, line by line
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  let status = 0;
  for await (const line of rl) {
    const ex = exitRequest(line);
    if (ex !== null) process.exit(ex);
    status = await runLine(line);
  }
  process.exit(status);
}

const rl = readline.createInterface({
  input: process.stdin,
  output: process.stdout,
  terminal: true,
  historySize: 1000,
  removeHistoryDuplicates: false,
  completer: (line: string, done: (err: Error | null, result: [string[], string]) => void) => {
    // readline passes the line up to the cursor
    session.complete(line, line.length).then(
      ({ from, candidates }) => {
        const word = line.slice(from);
        const shown = candidates.length === 1 && !candidates[0]!.endsWith('/') ? [candidates[0]! + ' '] : candidates;
        done(null, [shown, word]);
      },
      () => done(null, [[], line]),
    );
  },
});

const queue: string[] = [];
let running: AbortController | null = null;

function prompt(): void {
  rl.setPrompt(session.prompt());
  rl.prompt();
}

async function drain(): Promise<void> {
  if (running) return;
  while (queue.length) {
    const line = queue.shift()!;
    const ex = exitRequest(line);
    if (ex !== null) {
      process.stdout.write('exit\n');
      process.exit(ex);
    }
    // bash's history (ignoreboth): the session records the line; readline shows the same
    running = new AbortController();
    try {
      await runLine(line, running.signal);
    } catch (e) {
      process.stdout.write(`bash: ${e instanceof Error ? e.message : String(e)}\n`);
    } finally {
      running = null;
    }
  }
  prompt();
}

rl.on('line', (line) => {
  queue.push(line);
  void drain();
});

rl.on('SIGINT', () => {
  if (running) {
    // the command stops at its next step; the lines pasted after it are dropped, as a tty flushes its input
    process.stdout.write('^C\n');
    queue.length = 0;
    running.abort();
    return;
  }
  // cancel the line: bash leaves it on the screen with ^C and starts a new one
  process.stdout.write('^C\n');
  rl.write(null, { ctrl: true, name: 'u' });
});

rl.on('close', () => {
  process.stdout.write('exit\n');
  process.exit(Number(session.vars['?'] ?? 0) || 0);
});

process.stdout.on('resize', () => rl.prompt(true));
prompt();
