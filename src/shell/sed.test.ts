// The shell's sed against GNU sed 4.9: the a, i and c commands in their
// one-line (`a\TEXT`, `a TEXT`) and multi-line forms, with addresses, $, !,
// -e, -n and -i, replayed from fixtures/sed/gnu-sed.json (recorded on a
// Linux machine by fixtures/sed/capture.mjs). just-bash's sed kept the
// backslash of `a\TEXT`; ./sed.ts rewrites the text commands so that it
// reads text as GNU sed's read_text() does. Address ranges are replayed from
// fixtures/sed/gnu-sed-ranges.json: just-bash looked for a regex end on the
// range's first line (`/a/,/b/` closed at once on a line matching both);
// patches/just-bash+3.4.2.patch (applied by patch-package at install) makes
// it look from the next line, as GNU sed does (0,/re/ excepted). The patch
// covers both of just-bash's builds: `just-bash/browser` (Node: the tests and
// npm run shell) and the ES-module build whose chunks the page's engine
// bundles (scripts/vite-engine.mjs); the ranges are replayed on each.
import { describe, expect, it } from 'vitest';
import { Bash as EsmBash } from 'just-bash';
import { readFileSync } from 'node:fs';
import { Session, shellQuote } from './session';
import { gnuSedArgs, gnuTextCommands } from './sed';

interface SedCase {
  args: string[];
  input: string;
  stdout: string;
  stderr: string;
  exitCode: number;
  file?: string;
}

const load = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/sed/${name}`, import.meta.url), 'utf8')) as { tool: string; cases: SedCase[] };
const recorded = load('gnu-sed.json');
const ranges = load('gnu-sed-ranges.json');

/** Replay one recorded case in a fresh shell: stdout, exit code, and the file after -i. */
async function replay(c: SedCase): Promise<void> {
  const s = await Session.create({});
  await s.run(`printf %s ${shellQuote(c.input)} > /root/in.txt`);
  const out = await s.run(`sed ${c.args.map(shellQuote).join(' ')} in.txt 2>/root/err.txt`);
  expect(out.output).toBe(c.stdout);
  expect(out.exitCode).toBe(c.exitCode);
  if (c.file !== undefined) expect((await s.run('cat /root/in.txt')).output).toBe(c.file);
}

/**
 * Forms the shell still gets wrong, with why and what it prints instead:
 * a `c` over a range whose end is relative (`+N`, `~N`) cannot be rewritten
 * statically, and just-bash's sed prints the text for every line of a range.
 */
const KNOWN: Record<string, { why: string; stdout: string }> = {
  '1,+1c\\plus one': { why: "just-bash prints a range's c text for every line; a +N end cannot be rewritten", stdout: 'plus one\nplus one\n' },
};

describe(`sed text commands match ${recorded.tool}`, () => {
  it.each(recorded.cases.filter((c) => !KNOWN[c.args.join(' ')]).map((c) => [c.args.join(' ').replace(/\n/g, '\\n'), c] as const))('sed %s', async (_name, c) => replay(c));
});

describe(`sed address ranges match ${ranges.tool}`, () => {
  it.each(ranges.cases.map((c) => [c.args.join(' ').replace(/\n/g, '\\n'), c] as const))('sed %s', async (_name, c) => replay(c));
});

describe(`sed address ranges match ${ranges.tool} in the page's build of just-bash (its ES modules)`, () => {
  it.each(ranges.cases.map((c) => [c.args.join(' ').replace(/\n/g, '\\n'), c] as const))('sed %s', async (_name, c) => {
    const bash = new EsmBash({ files: { '/root/in.txt': c.input }, cwd: '/root' });
    const r = await bash.exec(`sed ${gnuSedArgs(c.args).map(shellQuote).join(' ')} in.txt`);
    expect(r.stdout).toBe(c.stdout);
    expect(r.exitCode).toBe(c.exitCode);
    if (c.file !== undefined) expect(await bash.readFile('/root/in.txt')).toBe(c.file);
  });
});

describe('sed forms known to differ from GNU sed', () => {
  it.each(Object.entries(KNOWN))('sed %s', async (script, k) => {
    const c = recorded.cases.find((x) => x.args.join(' ') === script)!;
    const s = await Session.create({});
    await s.run(`printf %s ${shellQuote(c.input)} > /root/in.txt`);
    const out = await s.run(`sed ${c.args.map(shellQuote).join(' ')} in.txt`);
    expect(out.output, k.why).toBe(k.stdout);
    expect(out.output).not.toBe(c.stdout);
  });
});

describe('gnuSedArgs: where the script is', () => {
  it('rewrites the operand script, every -e part joined as one, and leaves -f, -i, files and other options alone', () => {
    expect(gnuSedArgs(['-i', '$a\\10.0.0.5 db', '/etc/hosts'])).toEqual(['-i', '$a\\\n10.0.0.5 db', '/etc/hosts']);
    expect(gnuSedArgs(['-n', '-e', '1p', '-e', '1a\\x', 'f'])).toEqual(['-n', '-e', '1p\n1a\\\nx', 'f']);
    expect(gnuSedArgs(['-ne', '1a\\x', 'f'])).toEqual(['-n', '-e', '1a\\\nx', 'f']);
    expect(gnuSedArgs(['-f', 'script.sed', '1a\\x'])).toEqual(['-f', 'script.sed', '1a\\x']);
    expect(gnuSedArgs(['-i.bak', 's/a/b/', 'f'])).toEqual(['-i.bak', 's/a/b/', 'f']);
    expect(gnuSedArgs(['--', '1i\\x', '-f'])).toEqual(['1i\\\nx', '-f']);
  });

  it('finds commands after addresses, regexes, s and y parts, labels and comments', () => {
    expect(gnuTextCommands('s/a\\b/x/;/a\\/b/a\\t')).toBe('s/a\\b/x/;/a\\/b/a\\\nt');
    expect(gnuTextCommands(':a\nb a\n$i\\x')).toBe(':a\nb a\n$i\\\nx');
    expect(gnuTextCommands('# 1a\\x\n2c\\y')).toBe('# 1a\\x\n2c\\\ny');
  });
});
