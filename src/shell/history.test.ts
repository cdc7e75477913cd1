import { describe, expect, it } from 'vitest';
import { addEntry, expandHistory, historyBuiltin, historyWords, type HistoryList } from './history';
import { Session } from './session';

const list = (...entries: string[]): HistoryList => ({ entries, base: 1 });
const expand = (line: string, h: HistoryList) => {
  const x = expandHistory(line, h);
  return x.ok ? x.line : x.error;
};

describe('history expansion (as bash 5.2 does it, recorded in a pty)', () => {
  const h = list('echo a b', 'ip link show', 'echo x; echo $?');
  it('!! !$ !^ !* !N !-N !prefix !?text?', () => {
    expect(expand('!!', h)).toBe('echo x; echo $?');
    expect(expand('echo !$', h)).toBe('echo $?');
    expect(expand('!1', h)).toBe('echo a b');
    expect(expand('!-2', h)).toBe('ip link show');
    expect(expand('!ip', h)).toBe('ip link show');
    expect(expand('!?link?', h)).toBe('ip link show');
    expect(expand('echo !1:2', h)).toBe('echo b');
    expect(expand('echo !1:*', h)).toBe('echo a b');
    expect(expand('sudo !!', list('ip a'))).toBe('sudo ip a');
  });
  it('leaves ! alone before a blank, =, at the end, inside single quotes and after a backslash', () => {
    for (const line of ['echo ! a', 'echo a!', "echo '!!'", 'echo \\!!', '[ ! -f x ]', 'iptables -A INPUT ! -s 10.0.0.1 -j DROP']) expect(expand(line, h)).toBe(line);
  });
  it('expands inside double quotes', () => {
    expect(expand('echo "!!"', list("echo '!!'"))).toBe(`echo "echo '!!'"`);
  });
  it('reports a missing event as bash does', () => {
    expect(expand('!xyz', h)).toBe('bash: !xyz: event not found\n');
    expect(expand('!99', h)).toBe('bash: !99: event not found\n');
  });
  it('^old^new', () => {
    expect(expand('^nope^x', list('ip link show'))).toBe('bash: :s^nope^x: substitution failed\n');
    expect(expand('^link^addr', list('ip link show'))).toBe('ip addr show');
  });
  it('splits words as the history library does', () => {
    expect(historyWords("echo 'a b' c|wc -l")).toEqual(['echo', "'a b'", 'c', '|', 'wc', '-l']);
  });
});

describe('bounded history', () => {
  it('keeps HISTSIZE entries in memory and numbers them as bash does', () => {
    const h = list();
    for (let i = 1; i <= 600; i++) addEntry(h, `echo ${i}`, 500);
    expect(h.entries.length).toBe(500);
    expect(historyBuiltin(h, ['2']).stdout).toBe('  599  echo 599\n  600  echo 600\n');
    expect(expand('!101', h)).toBe('echo 101');
    expect(expand('!100', h)).toBe('bash: !100: event not found\n');
  });
});

describe('the session', () => {
  it('echoes the expanded line, records it, and runs nothing (status kept) on a missing event', async () => {
    const s = await Session.create();
    await s.run('echo a b', { interactive: true });
    expect((await s.run('!!', { interactive: true })).output).toBe('echo a b\na b\n');
    expect((await s.run('echo !$', { interactive: true })).output).toBe('echo b\nb\n');
    await s.run('false', { interactive: true });
    const r = await s.run('!nope', { interactive: true });
    expect(r).toEqual({ output: 'bash: !nope: event not found\n', exitCode: 1 });
    expect(s.history).toEqual(['echo a b', 'echo a b', 'echo b', 'false']);
  });
  it('records a multi-line command as one entry (cmdhist)', async () => {
    const s = await Session.create();
    const r = await s.run('for i in 1 2; do\necho $i\ndone', { interactive: true });
    expect(r.output).toBe('1\n2\n');
    await s.run('cat > /tmp/a.yaml <<EOF\na: 1\nEOF', { interactive: true });
    expect(s.history).toEqual(['for i in 1 2; do echo $i; done', 'cat > /tmp/a.yaml <<EOF\na: 1\nEOF\n']);
    expect((await s.run('cat /tmp/a.yaml')).output).toBe('a: 1\n');
  });
  it('keeps 500 entries in memory and saves 2,000', async () => {
    const s = await Session.create();
    for (let i = 0; i < 2100; i++) await s.run(`#${i}`);
    expect(s.history.length).toBe(500);
    const snap = s.snapshot();
    expect(snap.history.length).toBe(2000);
    expect(snap.history[1999]).toBe('#2099');
    const t = await Session.restore(snap);
    expect(t.history.length).toBe(500);
    expect(t.history[499]).toBe('#2099');
  });
});
