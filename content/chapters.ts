// The course's chapters, and a reader for the labs written in them.
// Used by content/chapters.test.ts (the content test) and e2e/chapters.spec.ts.
//
// How a chapter writes a lab ("try this" markup):
//
//   <Terminal scenario="NAME" host="HOSTNAME" />     a terminal on the scenario's
//                                                    default host; `host` is the
//                                                    name its static prompt shows
//   ```bash try                                      commands the learner types
//   ip link                                          into that terminal: every line
//   ```                                              must succeed (exit status 0)
//
//   ```bash try-error                                a step that shows an error on
//   ping -c 1 -W 1 192.168.15.2                      purpose: every line must fail
//   ```                                              (non-zero exit status)
//
// - A try block belongs to the nearest <Terminal> above it in the file, and the
//   blocks of one terminal run in document order in one session, as a learner
//   following the steps would type them (state carries from step to step).
// - One command per line; a line ending in `\` continues on the next; a
//   here-document (`kubectl apply -f - <<EOF` ... `EOF`) is one command; blank
//   lines and `#` comment lines are skipped. `ssh HOST` and `exit` move between
//   the hosts of the terminal's world.
// - Blocks without `try` / `try-error` (plain ```bash) are illustrations and are
//   not run.

/**
 * The course manifest: the one list of chapters, in course order. It feeds the
 * sidebar (astro.config.mjs, through `sidebarItems()`), the order of the quiz
 * banks (the Progress page), which chapters must have hands-on quiz questions
 * (src/labs/quiz/banks.test.ts), the content test and the e2e tests. A chapter's
 * title and description live in its MDX frontmatter (checked by the zod schema
 * of src/content.config.ts); its quiz bank is the file of src/labs/quiz/banks/
 * whose `chapter` is the slug (found by file name, no registry to edit).
 */
export interface ChapterEntry {
  /** file name under content/ without .mdx, and the page's URL path */
  slug: string;
  /** ends with a "Check yourself" section for its quiz (a bank with chapter = slug) */
  quiz: boolean;
  /** its quiz must have at least two command questions (the chapter has labs the quiz builds on) */
  handsOn?: boolean;
  /** not one of the book's sections: the sidebar shows a "Beyond the book" badge */
  beyondBook?: boolean;
}

export interface Chapter extends Required<ChapterEntry> {
  /** 1-based position in the course (sidebar order) */
  order: number;
}

const MANIFEST: ChapterEntry[] = [
  { slug: 'about', quiz: false },
  { slug: 'map', quiz: true, handsOn: true },
  { slug: 'switching', quiz: true, handsOn: true },
  { slug: 'routing', quiz: true, handsOn: true },
  { slug: 'dns', quiz: true, handsOn: true },
  { slug: 'namespaces', quiz: true, handsOn: true },
  { slug: 'cni', quiz: true, handsOn: true },
  { slug: 'pod-networking', quiz: true, handsOn: true },
  { slug: 'service-networking', quiz: true, handsOn: true },
  { slug: 'proxies', quiz: true, handsOn: true },
  { slug: 'coredns', quiz: true, handsOn: true, beyondBook: true },
  { slug: 'network-policy', quiz: true, handsOn: true, beyondBook: true },
  { slug: 'ingress', quiz: true, handsOn: true, beyondBook: true },
  { slug: 'troubleshooting', quiz: true, handsOn: true, beyondBook: true },
  { slug: 'resources', quiz: false },
];

export const CHAPTERS: Chapter[] = MANIFEST.map((c, i) => ({ handsOn: false, beyondBook: false, ...c, order: i + 1 }));

/** The badge the sidebar shows on a chapter that goes beyond the book. */
export const BEYOND_BOOK_BADGE = { text: 'Beyond the book', variant: 'note' } as const;

/** Starlight sidebar items for the chapters, in course order (astro.config.mjs). */
export function sidebarItems(): ({ slug: string } | { slug: string; badge: typeof BEYOND_BOOK_BADGE })[] {
  return CHAPTERS.map((c) => (c.beyondBook ? { slug: c.slug, badge: BEYOND_BOOK_BADGE } : { slug: c.slug }));
}

export interface TerminalTag {
  kind: 'terminal';
  /** 1-based line of the tag in the file */
  line: number;
  attrs: Record<string, string>;
}

export interface CodeBlock {
  kind: 'block';
  line: number;
  lang: string;
  /** the meta words after the language (`try`, `try-error`, `title="..."`) */
  meta: string[];
  /** the block's text, indentation removed */
  text: string;
}

export type LabEvent = TerminalTag | CodeBlock;

export interface TryBlock {
  line: number;
  expectError: boolean;
  commands: string[];
}

export interface Lab {
  terminal: TerminalTag;
  blocks: TryBlock[];
}

function parseAttrs(s: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of s.matchAll(/([A-Za-z_][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|\{\s*['"]([^'"]*)['"]\s*\})/g)) {
    attrs[m[1]!] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  return attrs;
}

function splitMeta(meta: string): string[] {
  return [...meta.matchAll(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g)].map((m) => m[0]);
}

/** The terminals and fenced code blocks of an MDX file, in document order. */
export function scanMdx(source: string): LabEvent[] {
  const lines = source.split('\n');
  const events: LabEvent[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)\s*(.*)$/.exec(line);
    if (open) {
      const indent = open[1]!.length;
      const fence = open[2]!;
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length; j++) {
        const l = lines[j]!;
        if (l.trim().startsWith(fence) && l.trim().replace(/[`~]/g, '') === '') break;
        body.push(l.slice(Math.min(indent, l.length - l.trimStart().length)));
      }
      events.push({ kind: 'block', line: i + 1, lang: open[3] ?? '', meta: splitMeta(open[4] ?? ''), text: body.join('\n') });
      i = j;
      continue;
    }
    for (const m of line.matchAll(/<Terminal\b([^>]*?)\/?>/g)) {
      events.push({ kind: 'terminal', line: i + 1, attrs: parseAttrs(m[1] ?? '') });
    }
  }
  return events;
}

/**
 * Shell commands of a block: one per line, `\` continuations joined, blanks and
 * comments dropped; a here-document (`<<EOF`, `<<'EOF'`, `<<-EOF`) stays one
 * command with its lines, up to its terminator.
 */
export function commandsOf(text: string): string[] {
  const out: string[] = [];
  let acc = '';
  let heredoc: { word: string; lines: string[] } | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (heredoc) {
      heredoc.lines.push(line);
      if (line.trim() === heredoc.word) {
        out.push(heredoc.lines.join('\n'));
        heredoc = null;
      }
      continue;
    }
    if (acc === '' && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      acc += line.slice(0, -1) + ' ';
      continue;
    }
    const cmd = (acc + line).trim();
    acc = '';
    const here = /<<-?\s*(['"]?)([A-Za-z_]\w*)\1/.exec(cmd);
    if (here) heredoc = { word: here[2]!, lines: [cmd] };
    else out.push(cmd);
  }
  if (heredoc) out.push(heredoc.lines.join('\n'));
  if (acc.trim()) out.push(acc.trim());
  return out;
}

export function isTryBlock(b: CodeBlock): boolean {
  return b.meta.includes('try') || b.meta.includes('try-error');
}

/** The labs of a chapter: each terminal with the try blocks that follow it. Throws on a try block before any terminal. */
export function labsOf(source: string): Lab[] {
  const labs: Lab[] = [];
  for (const ev of scanMdx(source)) {
    if (ev.kind === 'terminal') {
      labs.push({ terminal: ev, blocks: [] });
      continue;
    }
    if (!isTryBlock(ev)) continue;
    const lab = labs[labs.length - 1];
    if (!lab) throw new Error(`line ${ev.line}: a try block before any <Terminal>`);
    lab.blocks.push({ line: ev.line, expectError: ev.meta.includes('try-error'), commands: commandsOf(ev.text) });
  }
  return labs;
}
