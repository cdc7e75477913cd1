// `npm run shell` in a real terminal (a pty from util-linux's `script`): vi runs in the shell's own process on
// that terminal (no page to host it), in its alternate screen, and its :wq writes the simulated file.
import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ENTER, LEAVE } from '../src/shell/vim/render';

const root = fileURLToPath(new URL('..', import.meta.url));
const hasScript = spawnSync('script', ['--version']).status === 0;

/** runs scripts/shell.ts on a pty, typing each step once the output so far matches its `after` */
function session(steps: { after: RegExp; keys: string }[], timeoutMs: number): Promise<string> {
  const cmd = `stty cols 80 rows 24; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(`${root}node_modules/tsx/dist/cli.mjs`)} scripts/shell.ts`;
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: root, env: { ...process.env, TERM: 'xterm-256color' } });
  let out = '';
  let next = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`timed out at step ${next}; output:\n${JSON.stringify(out.slice(-2000))}`));
    }, timeoutMs);
    const advance = () => {
      while (next < steps.length && steps[next]!.after.test(out)) child.stdin.write(steps[next++]!.keys);
    };
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      advance();
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

describe.skipIf(!hasScript)('npm run shell on a real terminal', () => {
  it('vi takes the terminal (alternate screen), :wq writes the file, the prompt comes back', async () => {
    const esc = (s: string) => new RegExp(s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'));
    const out = await session(
      [
        { after: /root@[^#]*# $/, keys: 'vi /tmp/shell-test.txt\r' },
        { after: esc(ENTER), keys: 'ihello from the pty\x1b' },
        { after: /hello from the pty/, keys: ':wq\r' },
        { after: esc(LEAVE), keys: 'cat /tmp/shell-test.txt\r' },
        { after: /\r\nhello from the pty\r\n/, keys: 'exit\r' },
      ],
      // a hang guard: each step waits for its output, and starting tsx on the whole source tree took 7 s at load 6
      150_000,
    );
    expect(out).toContain(ENTER);
    // vim's own screen, drawn by the shell's process: the new file's message, then the typed text
    expect(out.slice(out.indexOf(ENTER))).toMatch(/"\/tmp\/shell-test\.txt" \[New\][^]*hello from the pty/);
    // the file, as cat printed it after the editor left its screen
    const after = out.slice(out.indexOf(LEAVE));
    expect(after).toMatch(/cat \/tmp\/shell-test\.txt\r*\nhello from the pty\r*\n/);
  });
});
