// The execution deadline and the full-screen editors: the time an editor waits for the learner is not counted
// (just-bash's holdDeadline, patches/just-bash+3.4.2.patch), everything else still is.
//
// The deadline counts Date.now() (just-bash's ExecutionScope; a timer re-checks it when the time is up). Date is
// mocked here and moved by the time each command stands for, so a verdict follows from those times alone: the time
// a loaded machine spends between two steps (seconds, at load 20) counts for nothing. Timers stay real, and each
// command that stands for a time also waits past the deadline's timer in real time, so that the timer looks at the
// mocked clock while the command runs: without the hold it would end the command.
import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import * as browserBuild from 'just-bash/browser';
// the ES-module build, which the page's engine bundles (scripts/vite-engine.mjs): patched alike
import * as esmBuild from 'just-bash';
import { Session } from './session';
import { TtyQueue } from './tty';
import { getScenario } from '../labs/scenarios/index';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** `ms` of the deadline's clock go by */
const pass = (ms: number) => vi.setSystemTime(Date.now() + ms);
type Held = { executionScope?: { holdDeadline?: () => () => void } };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe.each([
  ['just-bash/browser (Node: tests, npm run shell)', browserBuild],
  ['just-bash (the engine in the page)', esmBuild],
] as const)("just-bash's execution deadline with a hold (our patch), %s", (_name, { Bash, defineCommand }) => {
  const LIMIT = 100;
  const bash = () =>
    new Bash({
      executionLimits: { maxExecutionTimeMs: LIMIT },
      customCommands: [
        // a command that takes wall time without waiting for anyone
        defineCommand('slow', async (args) => {
          const ms = Number(args[0] ?? 2 * LIMIT);
          pass(ms);
          await wait(ms);
          return { stdout: 'slow done\n', stderr: '', exitCode: 0 };
        }),
        // a command waiting for the learner, as an editor does
        defineCommand('held', async (_args, ctx) => {
          const release = (ctx as Held).executionScope!.holdDeadline!();
          pass(2 * LIMIT);
          await wait(LIMIT + 100);
          release();
          return { stdout: 'held done\n', stderr: '', exitCode: 0 };
        }),
        // a command around one that holds (kubectl edit around its editor)
        defineCommand('around', async (_args, ctx) => {
          const r = await ctx.exec!('held', { cwd: ctx.cwd });
          return { stdout: `around: ${r.stdout}`, stderr: r.stderr, exitCode: r.exitCode };
        }),
      ],
    });

  it('still ends a command that runs past it', async () => {
    const r = await bash().exec('slow');
    expect(r.exitCode).toBe(124);
    expect(r.stderr).toContain('slow exceeded its execution deadline');
  });

  it('does not count the time a command holds it, nor end the commands around it', async () => {
    expect((await bash().exec('held')).stdout).toBe('held done\n');
    expect((await bash().exec('around')).stdout).toBe('around: held done\n');
    // after the hold, the time before it and after it still count: a short command fits, a long one does not
    expect((await bash().exec(`held; slow ${LIMIT / 4}`)).stdout).toBe('held done\nslow done\n');
    const r = await bash().exec(`held; slow ${2 * LIMIT}`);
    expect(r.exitCode).toBe(124);
    expect(r.stderr).toContain('slow exceeded its execution deadline');
  });
});

describe('an editor open longer than the execution deadline', () => {
  it('vi waits for the keys however long it takes, then writes the file', async () => {
    const s = await Session.create({ scenario: getScenario('blank'), limits: { maxExecutionTimeMs: 300 } });
    let screen = '';
    const tty = new TtyQueue(24, 80, (d) => (screen += d));
    const run = s.run('vi /tmp/slow.txt && echo saved', { interactive: true, tty });
    // vi is on its screen, waiting for keys: 0.8 s go by, and the deadline's timer (0.3 s) looks at the clock
    await vi.waitFor(() => expect(screen).toContain('"/tmp/slow.txt" [New]'), { timeout: 30_000, interval: 10 });
    pass(800);
    await wait(400);
    tty.push('ityped after 0.8 s\x1b:wq\r');
    const r = await run;
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe('saved\n');
    expect((await s.run('cat /tmp/slow.txt')).output).toBe('typed after 0.8 s\n');
  });
});
