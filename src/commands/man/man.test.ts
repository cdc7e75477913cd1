import { describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { netCommands } from '../index';
import { findPage } from './index';

describe('man', () => {
  it('has a course page for every simulated tool (a new tool needs one in src/commands/man/pages.ts)', () => {
    const missing = netCommands.map((c) => c.name).filter((n) => !findPage(n));
    expect(missing).toEqual([]);
  });

  it('prints a page in man\'s layout, saying it is the course\'s page', async () => {
    const s = await Session.create();
    const r = await s.run('man ip | cat', { columns: 80 });
    expect(r.exitCode).toBe(0);
    const lines = r.output.split('\n');
    expect(lines[0]).toMatch(/^IP\(8\) +System Manager's Manual +IP\(8\)$/);
    expect(lines[0]!.length).toBe(79);
    for (const h of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'EXAMPLES', 'SEE ALSO', 'NOTES']) expect(lines).toContain(h);
    expect(lines[lines.indexOf('NAME') + 1]).toMatch(/^ {7}ip - /);
    expect(r.output).toMatch(/^ {7}ip -br addr$/m);
    expect(r.output).toContain("netlab course's own page for ip");
    expect(lines.at(-2)).toMatch(/^netlab +course page +IP\(8\)$/);
    for (const l of lines) expect(l.length).toBeLessThan(80);
    // narrower terminal, narrower page (an example command stays on its line, as in man)
    const narrow = await s.run('man ip | cat', { columns: 50 });
    for (const l of narrow.output.split('\n').filter((x) => !/^ {7}ip /.test(x))) expect(l.length, l).toBeLessThan(50);
  });

  it('shows the section headings in bold on the terminal', async () => {
    const s = await Session.create();
    expect((await s.run('man ip')).output).toContain('\n\x1b[1mSYNOPSIS\x1b[0m\n');
  });

  it('says what man-db says otherwise', async () => {
    const s = await Session.create();
    expect(await s.run('man nosuchtool')).toEqual({ output: 'No manual entry for nosuchtool\n', exitCode: 16 });
    expect(await s.run('man 8 nosuchtool')).toEqual({ output: 'No manual entry for nosuchtool in section 8\n', exitCode: 16 });
    expect(await s.run('man')).toEqual({ output: "What manual page do you want?\nFor example, try 'man man'.\n", exitCode: 1 });
    expect((await s.run('man 8 iptables')).exitCode).toBe(0);
    expect((await s.run('man vi')).output).toMatch(/^VIM\(1\)/);
  });
});
