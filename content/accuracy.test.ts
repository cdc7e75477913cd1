// The accuracy test: what the chapters and quizzes say about the book and
// about facts that change with versions.
//
// - Every quotation of the book (<q data-source="book">, see content/prose.ts)
//   occurs word for word in the book's text, whitespace aside; every
//   "Correction" aside quotes the book before it corrects it.
// - The book's known errata are each corrected in a Correction aside, and the
//   errors that are not the book's are in asides that name their source.
// - No chapter or quiz presents the retired ingress-nginx controller as current.
// - Every sentence about a ClusterIP sitting on an interface or answering ping
//   names the kube-proxy mode it holds for.
// - Weave Net, whose project is archived, is named only with that said.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bankSources } from '../src/labs/quiz/banks/all';
import {
  asides,
  bookPath,
  bookQuotes,
  clusterIpClaimsWithoutMode,
  inBook,
  ingressNginxAsCurrent,
  proseOf,
  readBook,
  sentences,
  stringsOf,
} from './prose';

const dir = fileURLToPath(new URL('.', import.meta.url));
const chapters = readdirSync(dir)
  .filter((f) => f.endsWith('.mdx'))
  .map((f) => ({ slug: f.replace(/\.mdx$/, ''), src: readFileSync(`${dir}${f}`, 'utf8') }));
const book = readBook();

describe('the checks themselves', () => {
  it('find a misquote and accept a quote that differs only in whitespace', () => {
    const text = 'DNS can contain records:\n - A records - map ip addresses to hostnames\n';
    expect(inBook(text, 'A records -  map ip addresses\nto hostnames')).toBe(true);
    expect(inBook(text, 'A records map a name to an IPv6 address')).toBe(false);
    expect(inBook(text, '   ')).toBe(false);
    expect(bookQuotes('x <q data-source="book">A records</q> y\n<q data-source="book">b</q>').map((q) => q.text)).toEqual(['A records', 'b']);
  });

  it('flag ingress-nginx named as current, not when its retirement is said', () => {
    expect(ingressNginxAsCurrent(['A controller such as ingress-nginx applies it.'])).toHaveLength(1);
    expect(ingressNginxAsCurrent(['Ingress-NGINX docs are at kubernetes.github.io.'])).toHaveLength(1);
    expect(ingressNginxAsCurrent(['The community ingress-nginx controller was retired in March 2026.'])).toEqual([]);
  });

  it('flag a ClusterIP reachability claim without a proxy mode', () => {
    const bad = ['No interface on any node holds a ClusterIP address.', 'You can always ping a ClusterIP.', 'A ClusterIP usually does not answer ping.'];
    expect(clusterIpClaimsWithoutMode(bad)).toEqual(bad);
    const good = [
      'In iptables and nftables mode, no interface holds a ClusterIP.',
      'In IPVS mode every ClusterIP sits on `kube-ipvs0` and answers ping.',
      'A ClusterIP Service has one virtual IP; DNS returns that IP.',
      'No pod holds a ClusterIP, in any kube-proxy mode.',
    ];
    expect(clusterIpClaimsWithoutMode(good)).toEqual([]);
  });

  it('split prose into sentences without breaking addresses or inline code', () => {
    expect(sentences('The DNS Service is `10.96.0.10`. It answers on port 53.\n\n- One item. Two.')).toEqual([
      'The DNS Service is `10.96.0.10`.',
      'It answers on port 53.',
      '- One item.',
      'Two.',
    ]);
  });
});

describe('quotations of the book', () => {
  it(`have the book's text to compare with (${bookPath()} or $BOOK_TEXT)`, () => {
    if (!book && !process.env.CI) return; // a clone without the shared reference beside it: nothing to compare
    expect(book, `no book text at ${bookPath()}`).not.toBeNull();
  });

  for (const ch of chapters) {
    const quotes = bookQuotes(ch.src);
    if (book && quotes.length) {
      it(`${ch.slug}: every <q data-source="book"> is the book's own words`, () => {
        const wrong = quotes.filter((q) => !inBook(book, q.text)).map((q) => `content/${ch.slug}.mdx:${q.line}: "${q.text}"`);
        expect(wrong, 'not in the book (quote it exactly; only whitespace may differ)').toEqual([]);
      });
    }

    const corrections = asides(ch.src).filter((a) => /^Correction\b/.test(a.title));
    if (corrections.length) {
      it(`${ch.slug}: every Correction aside quotes the book before correcting it`, () => {
        const without = corrections.filter((a) => bookQuotes(a.body).length === 0).map((a) => `line ${a.line}: ${a.title}`);
        expect(without).toEqual([]);
      });
    }
  }

  it('the quiz banks quote the book only in its own words', () => {
    if (!book) return;
    const wrong: string[] = [];
    for (const [file, bank] of bankSources) {
      for (const s of stringsOf(bank.questions)) {
        // a quiz quotes the book as: the book says "..."
        for (const m of s.matchAll(/\bbook(?:'s [a-z ]+)? (?:says?|writes?|calls it|puts it)[:,]? "([^"]+)"/gi)) {
          if (!inBook(book, m[1]!)) wrong.push(`${file}: "${m[1]}"`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('the book\'s errata are corrected, and other sources\' errors named', () => {
  const all = chapters.flatMap((ch) => asides(ch.src).map((a) => ({ ...a, slug: ch.slug })));
  // [what, chapter, aside title prefix, patterns the aside's text must match]
  const errata: [string, string, RegExp, RegExp[]][] = [
    ['switch speeds in gigabits, not gigabytes', 'switching', /^Correction/, [/gigabits/, /gigabytes per second/]],
    ['A maps a name to IPv4, AAAA to IPv6, and address to name is PTR', 'dns', /^Correction/, [/A records - map ip addresses to hostnames/, /\*\*A\*\*[^.]*IPv4/, /\*\*AAAA\*\*[^.]*IPv6/, /PTR/]],
    ['the NAT rule subnet does not match the namespaces\' addresses', 'namespaces', /^Correction/, [/192\.165\.15/, /192\.168\.15\.0\/24/, /MASQUERADE/]],
    ['the bridge is created by the CNI plugin, not the CRI', 'cni', /^Correction/, [/created by the CRI/, /bridge.{0,40}plugin/]],
    ['ipalloc-range is Weave Net\'s, and Weave Net is archived', 'pod-networking', /^Correction/, [/ipalloc-range/, /Weave/, /archived/, /cluster-cidr|podCIDR/]],
    ['kube-proxy logs are in kubectl logs', 'service-networking', /^Correction/, [/DNAT rules can be viewed in/, /kubectl -n kube-system logs/, /iptables -t nat/]],
    ['DNAT needs -p tcp: the lecture notes\' rule, not the book\'s', 'namespaces', /^Common error/, [/-p tcp/, /--dport/, /unknown option/, /lecture notes/]],
    ['the runtime runs CNI since 1.24: the labs\' wording, not the book\'s', 'cni', /^Lab erratum/, [/1\.24/, /container runtime/i, /kubelet/]],
  ];
  for (const [what, slug, title, patterns] of errata) {
    it(`${what} (${slug})`, () => {
      const found = all.filter((a) => a.slug === slug && title.test(a.title)).some((a) => patterns.every((p) => p.test(a.body)));
      expect(found).toBe(true);
    });
  }

  it('the book being right gets no Correction: pods talk without NAT', () => {
    const podNet = all.filter((a) => a.slug === 'pod-networking' && /^Correction/.test(a.title));
    expect(podNet.filter((a) => /without proxies or address translation/.test(a.body))).toEqual([]);
  });
});

describe('facts that depend on versions', () => {
  const quizSentences = bankSources.flatMap(([file, bank]) => stringsOf(bank.questions).flatMap((s) => sentences(s).map((t) => `${file}: ${t}`)));

  it('no chapter or quiz names ingress-nginx as current (it was retired in March 2026)', () => {
    const found = [
      ...chapters.flatMap((ch) => ingressNginxAsCurrent(sentences(proseOf(ch.src))).map((s) => `content/${ch.slug}.mdx: ${s}`)),
      ...ingressNginxAsCurrent(quizSentences),
    ];
    expect(found).toEqual([]);
  });

  it('Weave Net is never taught as current: a chapter or question that names it says it is archived', () => {
    const WEAVE = /\bWeave( Net)?\b/; // the project, not the bridge `weave`
    const ARCHIVED = /\barchived\b/i;
    const chaptersFound = chapters.filter((ch) => WEAVE.test(proseOf(ch.src)) && !ARCHIVED.test(proseOf(ch.src))).map((ch) => `content/${ch.slug}.mdx`);
    const questionsFound = bankSources.flatMap(([file, bank]) =>
      bank.questions.filter((q) => WEAVE.test(stringsOf(q).join(' ')) && !ARCHIVED.test(stringsOf(q).join(' '))).map((q) => `${file}: ${q.id}`),
    );
    expect([...chaptersFound, ...questionsFound]).toEqual([]);
  });

  it('every statement about a ClusterIP on an interface or answering ping names the kube-proxy mode', () => {
    const found = [
      ...chapters.flatMap((ch) => clusterIpClaimsWithoutMode(sentences(proseOf(ch.src))).map((s) => `content/${ch.slug}.mdx: ${s}`)),
      ...clusterIpClaimsWithoutMode(quizSentences),
    ];
    expect(found).toEqual([]);
  });
});
