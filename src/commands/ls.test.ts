import { describe, expect, it } from 'vitest';
import { columns, indent } from './ls';
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
  it('pads with a tab wherever the gap crosses a tab stop (tabsize 8), as GNU ls does', () => {
    // captured on real Linux (fixtures/fidelity/31-sysctl-more)
    expect(columns(['bridge', 'core', 'ipv4', 'ipv6', 'mptcp', 'netfilter', 'unix'], 80)).toBe('bridge\tcore  ipv4  ipv6  mptcp  netfilter  unix\n');
    expect(columns(['br-x', 'lo', 'vx-b', 'vx-renamed'], 80)).toBe('br-x  lo  vx-b\tvx-renamed\n');
    expect(indent(3, 5)).toBe('  ');
    expect(indent(6, 8)).toBe('\t');
    expect(indent(5, 17)).toBe('\t\t ');
    expect(indent(8, 10)).toBe('  ');
  });
  it('every line, tabs expanded, keeps each column at its start', () => {
    const names = Array.from({ length: 40 }, (_, i) => 'n'.repeat(1 + ((i * 7) % 13)));
    const lines = columns(names, 80).split('\n').filter(Boolean);
    const expand = (l: string) => l.replace(/([^\t]*)\t/g, (_, pre: string) => pre + ' '.repeat(8 - (pre.length % 8)));
    const rows = lines.length;
    for (const [r, l] of lines.entries()) {
      const x = expand(l);
      expect(x.length).toBeLessThanOrEqual(80);
      // each name of the row starts where the same column starts on the first row
      const starts = [...x.matchAll(/n+/g)].map((m) => m.index);
      const first = [...expand(lines[0]!).matchAll(/n+/g)].map((m) => m.index);
      expect(starts).toEqual(first.slice(0, starts.length));
      expect(x.trim().split(/\s+/)).toEqual(names.filter((_, i) => i % rows === r));
    }
  });
  it('a line must stay shorter than the width (calculate_columns: line_len < line_length)', () => {
    const a = 'a'.repeat(38);
    expect(columns([a, 'b'.repeat(39)], 80)).toBe(`${a}\t${'b'.repeat(39)}\n`);
    expect(columns([a, 'b'.repeat(40)], 80)).toBe(`${a}\n${'b'.repeat(40)}\n`);
  });
  it('-x lays names across the rows', () => {
    const names = ['alpha', 'b', 'charlie', 'd', 'echo'];
    // two columns; the first as wide as 'charlie' + 2: from 5 to 9 is a tab (to 8) and a space
    expect(columns(names, 20, true)).toBe('alpha\t b\ncharlie  d\necho\n');
    // down the columns three per line would take 7 + 9 + 4 = 20 columns: not < 20, so two
    expect(columns(names, 20)).toBe('alpha\t d\nb\t echo\ncharlie\n');
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

  it('the last of -1, -C, -x, -l decides the format, on a terminal or not', async () => {
    const s = await Session.create();
    await s.run('mkdir /tmp/d && touch /tmp/d/a /tmp/d/b /tmp/d/c');
    expect((await s.run('ls -C /tmp/d | cat')).output).toBe('a  b  c\n');
    expect((await s.run('ls -x /tmp/d')).output).toBe('a  b  c\n');
    expect((await s.run('ls -C1 /tmp/d')).output).toBe('a\nb\nc\n');
    expect((await s.run('ls -lC /tmp/d')).output).toBe('a  b  c\n');
    expect((await s.run('ls -Cl /tmp/d')).output).toMatch(/^total \d+\n-.* a\n/);
  });

  it('several operands: errors first, then the files together, then each directory, sorted by name', async () => {
    const s = await Session.create();
    await s.run('mkdir -p /tmp/e /tmp/d && touch /tmp/d/x /tmp/d/y');
    expect(await s.run('ls /tmp/e /tmp/d /etc/hosts /nope /etc/hostname')).toEqual({
      output: "ls: cannot access '/nope': No such file or directory\n/etc/hostname  /etc/hosts\n\n/tmp/d:\nx  y\n\n/tmp/e:\n",
      exitCode: 2,
    });
    expect((await s.run('ls /tmp/e /tmp/d /etc/hosts 2>/dev/null | cat')).output).toBe('/etc/hosts\n\n/tmp/d:\nx\ny\n\n/tmp/e:\n');
    expect((await s.run('ls -d /tmp/e /etc')).output).toBe('/etc  /tmp/e\n');
    // a long listing: the file lines together, then each directory
    expect((await s.run('ls -l /etc/hosts /tmp/d')).output).toMatch(/^-\S+ .* \/etc\/hosts\n\n\/tmp\/d:\ntotal \d+\n-\S+ .* x\n-\S+ .* y\n$/);
  });

  it('words errors as GNU ls does, with exit status 2', async () => {
    const s = await Session.create();
    expect(await s.run('ls /nope')).toEqual({ output: "ls: cannot access '/nope': No such file or directory\n", exitCode: 2 });
  });
});
