import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { builtinList, helpText } from './help';
import { Session } from './session';

/** `COLUMNS=N bash -c help` of bash 5.2.15 (fixtures/shell/help-N.txt) */
const real = (n: number) => readFileSync(new URL(`../../fixtures/shell/help-${n}.txt`, import.meta.url), 'utf8');

describe('help', () => {
  it('lays the builtins out as bash 5.2 does, at any width', () => {
    for (const n of [22, 44, 60, 80, 100]) {
      const text = real(n);
      expect(HEADER_OF(text) + builtinList(n)).toBe(text);
    }
  });

  it('ends with the networking tools of the host', () => {
    const t = helpText(80, ['ss', 'ip', 'ping']);
    expect(t.startsWith('GNU bash, version 5.2.15(1)-release')).toBe(true);
    expect(t.endsWith('\nTools on this host (`man NAME` describes each): ip ping ss\n')).toBe(true);
  });

  it('is the shell\'s help builtin, with every tool of the registry, wrapped to the terminal', async () => {
    const s = await Session.create();
    const r = await s.run('help');
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain(' cd [-L|[-P [-e]] [-@]] [dir]');
    expect(r.output).not.toContain('just-bash');
    const tools = r.output.slice(r.output.indexOf('Tools on this host'));
    for (const t of ['ip', 'ss', 'iptables', 'ping', 'dig', 'kubectl', 'man']) expect(tools).toMatch(new RegExp(`[ \\n]${t}[ \\n]`));
    for (const line of r.output.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});

function HEADER_OF(text: string): string {
  const i = text.indexOf('\n\n', text.indexOf('A star'));
  return text.slice(0, i + 2);
}
