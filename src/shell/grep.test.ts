// The shell's grep against GNU grep 3.8 with several -e patterns (a line matches if any pattern does),
// replayed from fixtures/grep/gnu-grep.json (recorded by fixtures/grep/capture.mjs). just-bash's grep kept
// only the last -e; patches/just-bash+3.4.2.patch joins them with newlines, as its own pattern list reads
// them (in both of just-bash's builds: `just-bash/browser` for Node, and the ES modules the page bundles).
import { describe, expect, it } from 'vitest';
import { Bash as EsmBash } from 'just-bash';
import { readFileSync } from 'node:fs';
import { Session, shellQuote } from './session';

const recorded = JSON.parse(readFileSync(new URL('../../fixtures/grep/gnu-grep.json', import.meta.url), 'utf8')) as {
  tool: string;
  input: string;
  cases: { args: string[]; stdout: string; exitCode: number }[];
};
const named = recorded.cases.map((c) => [c.args.join(' '), c] as const);

describe(`grep -e ... -e ... matches ${recorded.tool}`, () => {
  it.each(named)('grep %s', async (_name, c) => {
    const s = await Session.create({});
    await s.run(`printf %s ${shellQuote(recorded.input)} > /root/in.txt`);
    const r = await s.run(`grep ${c.args.map(shellQuote).join(' ')} in.txt`);
    expect(r.output).toBe(c.stdout);
    expect(r.exitCode).toBe(c.exitCode);
  });
});

describe(`grep -e ... -e ... matches ${recorded.tool} in the page's build of just-bash (its ES modules)`, () => {
  it.each(named)('grep %s', async (_name, c) => {
    const bash = new EsmBash({ files: { '/root/in.txt': recorded.input }, cwd: '/root' });
    const r = await bash.exec(`grep ${c.args.map(shellQuote).join(' ')} in.txt`);
    expect(r.stdout).toBe(c.stdout);
    expect(r.exitCode).toBe(c.exitCode);
  });
});
