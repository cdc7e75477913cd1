// The execution deadline and the full-screen editors: the time an editor waits for the learner is not counted
// (just-bash's holdDeadline, patches/just-bash+3.4.2.patch), everything else still is.
import { describe, it, expect } from 'vitest';
import * as browserBuild from 'just-bash/browser';
// the ES-module build, which the page's engine bundles (scripts/vite-engine.mjs): patched alike
import * as esmBuild from 'just-bash';
import { Session } from './session';
import { TtyQueue } from './tty';
import { getScenario } from '../labs/scenarios/index';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Held = { executionScope?: { holdDeadline?: () => () => void } };

describe.each([
  ['just-bash/browser (Node: tests, npm run shell)', browserBuild],
  ['just-bash (the engine in the page)', esmBuild],
] as const)("just-bash's execution deadline with a hold (our patch), %s", (_name, { Bash, defineCommand }) => {
  const LIMIT = 400;
  const bash = () =>
    new Bash({
      executionLimits: { maxExecutionTimeMs: LIMIT },
      customCommands: [
        // a command that takes wall time without waiting for anyone
        defineCommand('slow', async (args) => {
          await wait(Number(args[0] ?? 2 * LIMIT));
          return { stdout: 'slow done\n', stderr: '', exitCode: 0 };
        }),
        // a command waiting for the learner, as an editor does
        defineCommand('held', async (_args, ctx) => {
          const release = (ctx as Held).executionScope!.holdDeadline!();
          await wait(2 * LIMIT);
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
    const tty = new TtyQueue(24, 80, () => {});
    const run = s.run('vi /tmp/slow.txt && echo saved', { interactive: true, tty });
    await wait(800);
    tty.push('ityped after 0.8 s\x1b:wq\r');
    const r = await run;
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe('saved\n');
    expect((await s.run('cat /tmp/slow.txt')).output).toBe('typed after 0.8 s\n');
  });
});
