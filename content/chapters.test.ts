// The content test: every chapter has a terminal on a real scenario, and every
// "try this" command shown in a chapter does what the chapter says it does in
// that scenario: it runs without error, unless the step shows an error on
// purpose.
//
// The "try this" markup is documented at the top of content/chapters.ts:
// fenced blocks ```bash try (every line must exit 0) and ```bash try-error
// (every line must exit non-zero), run in order in one session of the nearest
// <Terminal scenario="..."> above them.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getScenario, scenarios } from '../src/labs/scenarios/index';
import { Session } from '../src/shell/session';
import { CHAPTERS, commandsOf, labsOf, scanMdx, sidebarItems } from './chapters';
import { ckaOf } from './frontmatter';

const dir = fileURLToPath(new URL('.', import.meta.url));
const read = (slug: string) => readFileSync(`${dir}${slug}.mdx`, 'utf8');

const frontmatter = (src: string) => /^---\n([\s\S]*?)\n---/.exec(src)?.[1] ?? '';

describe('the course manifest (content/chapters.ts)', () => {
  it('names one MDX file per chapter, and every chapter page is in it', () => {
    for (const ch of CHAPTERS) expect(existsSync(`${dir}${ch.slug}.mdx`), `content/${ch.slug}.mdx`).toBe(true);
    const pages = readdirSync(dir).filter((f) => f.endsWith('.mdx')).map((f) => f.replace(/\.mdx$/, ''));
    const notChapters = ['index', 'progress', 'curriculum'];
    expect(pages.filter((p) => !notChapters.includes(p)).sort()).toEqual(CHAPTERS.map((c) => c.slug).sort());
  });

  it('is the only source of the order: no chapter sets sidebar.order in its frontmatter', () => {
    for (const ch of CHAPTERS) expect(frontmatter(read(ch.slug)), ch.slug).not.toMatch(/^sidebar:/m);
  });

  it('feeds the sidebar, with a "Beyond the book" badge exactly on the chapters so marked', () => {
    const items = sidebarItems();
    expect(items.map((i) => i.slug)).toEqual(CHAPTERS.map((c) => c.slug));
    for (const [i, ch] of CHAPTERS.entries()) expect('badge' in items[i]!, ch.slug).toBe(ch.beyondBook);
  });

  it("validates each chapter's own frontmatter field (cka) against the competencies and the chapter's headings", () => {
    for (const ch of CHAPTERS) {
      const src = read(ch.slug);
      const entries = ckaOf(src);
      const headings = [...src.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.trim());
      for (const e of entries) expect(headings, `${ch.slug}: cka section "${e.section}"`).toContain(e.section);
    }
  });
});

describe('chapters', () => {

  for (const ch of CHAPTERS) {
    describe(ch.slug, () => {
      const src = read(ch.slug);

      it('has at least one terminal, each on a real scenario', () => {
        const terminals = scanMdx(src).filter((e) => e.kind === 'terminal');
        expect(terminals.length).toBeGreaterThan(0);
        for (const t of terminals) {
          expect(t.attrs.scenario, `line ${t.line}: scenario=`).toBeDefined();
          expect(Object.keys(scenarios), `line ${t.line}`).toContain(t.attrs.scenario);
        }
      });

      it('gives every aside a distinct title (each is a landmark named by its title)', () => {
        const titles = [...src.matchAll(/<Aside\b[^>]*title="([^"]*)"/g)].map((m) => m[1]);
        expect(new Set(titles).size, titles.join(' | ')).toBe(titles.length);
      });

      it('has at least one lab step to try', () => {
        const labs = labsOf(src);
        expect(labs.some((l) => l.blocks.length > 0)).toBe(true);
        for (const lab of labs) for (const b of lab.blocks) expect(b.commands.length, `block at line ${b.line}`).toBeGreaterThan(0);
      });

      if (ch.quiz) {
        it('ends with a "Check yourself" section for its quiz', () => {
          const m = /^## Check yourself\s*$([\s\S]*)/m.exec(src);
          expect(m, 'a "## Check yourself" heading').not.toBeNull();
          expect(m![1]).toMatch(/\{\/\* quiz \*\/\}|<Quiz\b/);
          expect(m![1]).not.toMatch(/^## /m);
        });
      }

      labsOf(src).forEach((lab, i) => {
        const { scenario, host } = lab.terminal.attrs;
        it(`lab ${i + 1} (line ${lab.terminal.line}, scenario ${scenario}): every step does what the chapter says`, async () => {
          const s = await Session.create({ scenario: getScenario(scenario!) });
          // the static box shows the prompt before the terminal starts: it must be the session's
          expect(s.prompt(), `host="${host ?? 'controlplane'}" on the <Terminal> at line ${lab.terminal.line}`).toBe(
            `root@${host ?? 'controlplane'}:~# `,
          );
          for (const block of lab.blocks) {
            for (const cmd of block.commands) {
              const r = await s.run(cmd);
              const where = `content/${ch.slug}.mdx:${block.line} \`${cmd}\` (exit ${r.exitCode})\n${r.output}`;
              if (block.expectError) expect(r.exitCode, `should fail: ${where}`).not.toBe(0);
              else expect(r.exitCode, `should succeed: ${where}`).toBe(0);
            }
          }
        });
      });
    });
  }
});

// The book's errata and the accuracy checks: content/accuracy.test.ts.

describe('exam tips', () => {
  it('chapters 2 to 11 each have an "Exam tip" aside', () => {
    for (const ch of CHAPTERS.filter((c) => c.order >= 2)) {
      expect(read(ch.slug), ch.slug).toMatch(/<Aside[^>]*title="Exam tip"/);
    }
  });
});

describe('commandsOf', () => {
  it('keeps a here-document with its command, and splits the rest by line', () => {
    const text = "kubectl get pods\nkubectl apply -f - <<'EOF'\napiVersion: v1\n# not a comment here\nkind: Namespace\nEOF\nip -br a \\\n  show\n";
    expect(commandsOf(text)).toEqual([
      'kubectl get pods',
      "kubectl apply -f - <<'EOF'\napiVersion: v1\n# not a comment here\nkind: Namespace\nEOF",
      'ip -br a    show',
    ]);
  });
});
