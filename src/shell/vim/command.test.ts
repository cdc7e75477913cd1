import { describe, expect, it, vi } from 'vitest';
import { Session } from '../session';
import type { Tty } from '../tty';

/** run `line` with a terminal that types `keys`, one chunk each time the program reads, as a person types */
async function runWithKeys(s: Session, line: string, keys: string[]) {
  let screen = '';
  const queue = [...keys];
  const tty: Tty = { rows: 24, columns: 80, write: (d) => (screen += d), read: async () => queue.shift() ?? null };
  const r = await s.run(line, { tty, interactive: true });
  return { ...r, screen };
}

describe('vi on the simulated file system', () => {
  it('i, typing, Esc, :wq saves the file, in the alternate screen', async () => {
    const s = await Session.create();
    const r = await runWithKeys(s, 'vi /tmp/pod.yaml', ['i', 'apiVersion: v1\rkind: Pod', '\x1b', ':wq\r']);
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe('');
    expect(r.screen.startsWith('\x1b[?1049h')).toBe(true);
    expect(r.screen).toContain('"/tmp/pod.yaml" [New]');
    expect(r.screen.endsWith('\x1b[?1049l')).toBe(true);
    expect((await s.run('cat /tmp/pod.yaml')).output).toBe('apiVersion: v1\nkind: Pod\n');
  });

  it('editing /etc/hosts changes name resolution as echo > does', async () => {
    const s = await Session.create();
    await runWithKeys(s, 'vim /etc/hosts', ['G', 'o10.9.8.7 db.example\x1b', ':x\r']);
    expect((await s.run('getent hosts db.example')).output).toBe('10.9.8.7        db.example\n');
  });

  it(':q on a changed buffer says E37 and stays; :q! leaves without writing', async () => {
    const s = await Session.create();
    await s.run('echo hello > /tmp/a');
    const r = await runWithKeys(s, 'vi /tmp/a', ['x', ':q\r', ':q!\r']);
    expect(r.screen).toContain('E37: No write since last change (add ! to override)');
    expect((await s.run('cat /tmp/a')).output).toBe('hello\n');
  });

  it('honours ~/.vimrc (set et sw=2 ts=2)', async () => {
    const s = await Session.create();
    await s.run("printf 'set et sw=2 ts=2\\n' > ~/.vimrc; printf 'a:\\nb: 1\\n' > /tmp/y.yaml");
    await runWithKeys(s, 'vi /tmp/y.yaml', ['j>>', ':wq\r']);
    expect((await s.run('cat /tmp/y.yaml')).output).toBe('a:\n  b: 1\n');
  });

  it('says there is no terminal when stdout is not one', async () => {
    const s = await Session.create();
    const r = await s.run('vi /tmp/x | cat');
    expect(r.output).toContain('Vim: Warning: Output is not to a terminal');
  });

  it('a command can launch the editor through the shell (as kubectl edit does with $EDITOR)', async () => {
    const s = await Session.create();
    await s.run("printf 'x\\n' > /tmp/e.txt");
    const r = await runWithKeys(s, 'EDITOR=vi; bash -c "$EDITOR /tmp/e.txt"', ['ccy\x1b:wq\r']);
    expect(r.exitCode).toBe(0);
    expect((await s.run('cat /tmp/e.txt')).output).toBe('y\n');
  });
});

describe('nano on the simulated file system', () => {
  it('edits and saves with Ctrl-O, leaves with Ctrl-X', async () => {
    const s = await Session.create();
    await s.run("printf 'a\\nb\\n' > /tmp/n.txt");
    const r = await runWithKeys(s, 'nano /tmp/n.txt', ['\x1b[B', 'X', '\x0f', '\r', '\x18']);
    expect(r.exitCode).toBe(0);
    expect(r.screen).toContain('[ Wrote 2 lines ]');
    expect((await s.run('cat /tmp/n.txt')).output).toBe('a\nXb\n');
  });
  it('Ctrl-X on a changed buffer asks, Y then Enter saves', async () => {
    const s = await Session.create();
    await runWithKeys(s, 'nano /tmp/new.txt', ['hello', '\x18', 'y', '\r']);
    expect((await s.run('cat /tmp/new.txt')).output).toBe('hello\n');
  });
});

describe('a resized terminal (SIGWINCH)', () => {
  // waited for, not a fixed time: the editor's first screen (its chunk loaded first) can take seconds when loaded
  const until = (f: () => void) => vi.waitFor(f, { timeout: 30_000, interval: 5 });
  for (const [cmd, lastRow] of [
    ['vi', 'the status line'],
    ['nano', 'the help bar'],
  ] as const) {
    it(`${cmd} clears and repaints for the new size, ${lastRow} on the new last row`, async () => {
      const { TtyQueue } = await import('../tty');
      const s = await Session.create();
      await s.run('seq 1 100 > /tmp/n');
      let screen = '';
      const tty = new TtyQueue(24, 80, (d) => (screen += d));
      const done = s.run(`${cmd} /tmp/n`, { tty, interactive: true });
      await until(() => expect(screen).toContain('\x1b[24;1H'));
      screen = '';
      tty.resize(12, 40);
      await until(() => expect(screen).toContain('\x1b[12;1H'));
      expect(screen.startsWith('\x1b[2J')).toBe(true);
      // every row of the new size is drawn, none below it
      expect(screen).toContain('\x1b[12;1H');
      expect(screen).not.toContain('\x1b[13;1H');
      tty.push(cmd === 'vi' ? ':q\r' : '\x18');
      expect((await done).exitCode).toBe(0);
    });
  }
});
