// Readers for the prose of the chapters and quiz banks, used by the accuracy
// test (content/accuracy.test.ts): the book's quotations, the asides, and the
// sentences that make claims the test checks.
//
// How a chapter quotes the book:
//
//   The book says <q data-source="book">A records - map ip addresses to hostnames</q>.
//
// - The words between the tags are the book's own, exactly (inline code in
//   backticks included, as the book's text has it); only runs of whitespace may
//   differ. The browser shows the quotation marks.
// - Every "Correction" aside quotes the book at least once, then says what is
//   right and why. An error that is not the book's (a lab's, a lecture's notes,
//   a common mistake) goes in an aside with another title that names its source.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the book's text lives: $BOOK_TEXT, or the shared reference beside the repository. */
export function bookPath(): string {
  if (process.env.BOOK_TEXT) return resolve(process.env.BOOK_TEXT);
  const here = fileURLToPath(new URL('.', import.meta.url));
  return resolve(here, '../../shared/reference/seed/000_2e4723813cde443b.txt');
}

export function readBook(): string | null {
  const p = bookPath();
  return existsSync(p) ? readFileSync(p, 'utf8') : null;
}

/** Runs of whitespace become one space; ends trimmed. The only normalisation a quotation gets. */
export function normaliseSpace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export interface BookQuote {
  /** 1-based line of the opening tag */
  line: number;
  text: string;
}

const QUOTE = /<q\s+data-source="book"\s*>([\s\S]*?)<\/q>/g;

/** The book quotations of an MDX text (or of an aside's body). */
export function bookQuotes(source: string, lineOffset = 0): BookQuote[] {
  return [...source.matchAll(QUOTE)].map((m) => ({
    line: lineOffset + source.slice(0, m.index).split('\n').length,
    text: m[1]!,
  }));
}

/** True if `quote` occurs in the book, whitespace aside. */
export function inBook(book: string, quote: string): boolean {
  const q = normaliseSpace(quote);
  return q.length > 0 && normaliseSpace(book).includes(q);
}

export interface AsideBlock {
  line: number;
  type: string;
  title: string;
  body: string;
}

/** Every <Aside ...>...</Aside> of an MDX text. */
export function asides(source: string): AsideBlock[] {
  return [...source.matchAll(/<Aside\b([^>]*)>([\s\S]*?)<\/Aside>/g)].map((m) => ({
    line: source.slice(0, m.index).split('\n').length,
    type: /type="([^"]*)"/.exec(m[1]!)?.[1] ?? 'note',
    title: /title="([^"]*)"/.exec(m[1]!)?.[1] ?? '',
    body: m[2]!,
  }));
}

/** The prose of an MDX chapter: frontmatter values and text, without import lines and fenced code blocks. */
export function proseOf(source: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of source.split('\n')) {
    const f = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (f && line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') fence = null;
      continue;
    }
    if (f) {
      fence = f;
      continue;
    }
    if (/^import\s/.test(line)) continue;
    out.push(line);
  }
  return out.join('\n');
}

/**
 * Sentences of a text: paragraphs and list items are split apart, then each at
 * a full stop, question or exclamation mark followed by a space and a capital,
 * a backtick or an opening bracket (so `10.96.0.10` or "e.g. x" stay whole).
 */
export function sentences(text: string): string[] {
  const blocks = text.split(/\n\s*\n|\n\s*(?=[-*]\s|\d+\.\s|<)/);
  const out: string[] = [];
  for (const b of blocks) {
    for (const s of b.split(/(?<=[.!?])\s+(?=[A-Z`*(<"'])/)) {
      const t = normaliseSpace(s);
      if (t) out.push(t);
    }
  }
  return out;
}

/** Every string inside a value (a quiz bank): prompts, options, feedback, explanations, solutions. */
export function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsOf(v, out);
  return out;
}

// --- the claims the accuracy test checks -------------------------------------

const INGRESS_NGINX = /\bingress[- ]?nginx\b/i;
const RETIRED = /\bretire(d|ment)?\b/i;

/**
 * Sentences that name the community ingress-nginx controller without saying it
 * is retired (March 2026): a chapter or quiz must not present it as current.
 */
export function ingressNginxAsCurrent(ss: string[]): string[] {
  return ss.filter((s) => INGRESS_NGINX.test(s) && !RETIRED.test(s));
}

const CLUSTER_IP = /\bcluster[ -]?IPs?\b|\bService(?:'s)? IPs?\b/i;
// what depends on kube-proxy's mode: whether an interface holds the address, and what answers ping or ARP for it
const REACHABILITY = /\b(ping|pings|pinged|pinging|ICMP|interfaces?|holds?|held|ARP|kube-ipvs0)\b/i;
// a mode by name, or a claim made explicitly for every mode ("in any kube-proxy mode")
const PROXY_MODE = /\b(iptables|nftables|IPVS|kube-ipvs0)\b|\b(any|every|all|whatever)\b[^.;:]{0,30}\bmodes?\b/i;

/**
 * Sentences about whether a ClusterIP sits on an interface or answers ping or
 * ARP that do not name the kube-proxy mode they hold for: in iptables and
 * nftables mode no interface holds a ClusterIP; in IPVS mode every ClusterIP is
 * on `kube-ipvs0` and answers ping there.
 */
export function clusterIpClaimsWithoutMode(ss: string[]): string[] {
  return ss.filter((s) => CLUSTER_IP.test(s) && REACHABILITY.test(s) && !PROXY_MODE.test(s));
}
