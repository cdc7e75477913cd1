import { describe, expect, it } from 'vitest';
import { columns } from './ls';
import { Session } from '../shell/session';

describe('ls columns (GNU ls -C layout)', () => {
  it('puts short lists on one line, two spaces apart', () => {
    expect(columns(['all', 'default', 'lo', 'veth0', 'veth1'], 80)).toBe('all  default  lo  veth0  veth1\n');
  });
  it('fills columns top to bottom and sizes each column to its longest name', () => {
    const names = Array.from({ length: 30 }, (_, i) => `name-${String(i).padStart(2, '0')}${i % 7 === 0 ? '-long' : ''}`);
    const out = columns(names, 80).split('\n').filter(Boolean);
    expect(out.length).toBeGreaterThan(1);
    for (const l of out) expect(l.length).toBeLessThanOrEqual(80);
    // column-major: the second line starts with the second name
    expect(out[1]!.startsWith(names[1]!)).toBe(true);
  });
  it('falls back to one per line when a name is wider than the line', () => {
    expect(columns(['x'.repeat(90), 'y'], 80)).toBe(`${'x'.repeat(90)}\ny\n`);
  });
});

describe('ls in the shell', () => {
  it('uses columns on the terminal and one name per line in a pipe', async () => {
    const s = await Session.create();
    await s.run('mkdir /tmp/d && touch /tmp/d/a /tmp/d/b /tmp/d/c');
    expect((await s.run('ls /tmp/d')).output).toBe('a  b  c\n');
    expect((await s.run('ls /tmp/d | cat')).output).toBe('a\nb\nc\n');
    expect((await s.run('ls -1 /tmp/d')).output).toBe('a\nb\nc\n');
  });

  it('words errors as GNU ls does, with exit status 2', async () => {
    const s = await Session.create();
    expect(await s.run('ls /nope')).toEqual({ output: "ls: cannot access '/nope': No such file or directory\n", exitCode: 2 });
  });
});
