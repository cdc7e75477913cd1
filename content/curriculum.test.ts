// The curriculum map's coverage test: computed from the same metadata as the
// page (content/curriculum.ts), every CKA competency of src/labs/curriculum.ts
// is covered by at least one chapter section, one quiz question and one drill.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMPETENCY_IDS } from '../src/labs/curriculum';
import { banks } from '../src/labs/quiz/banks';
import { drills } from '../src/labs/drills/index';
import { CHAPTERS } from './chapters';
import { curriculumMap, type ChapterMeta, type DrillMeta } from './curriculum';
import { ckaOf, frontmatterOf } from './frontmatter';

const dir = fileURLToPath(new URL('.', import.meta.url));
const chapters: ChapterMeta[] = CHAPTERS.map((c) => {
  const src = readFileSync(`${dir}${c.slug}.mdx`, 'utf8');
  return { slug: c.slug, title: String(frontmatterOf(src).title ?? c.slug), cka: ckaOf(src) };
});
const drillMeta: DrillMeta[] = drills.map((d) => ({ id: d.id, title: d.title, competencies: (d as { competencies?: readonly string[] }).competencies }));
const rows = curriculumMap(chapters, banks, drillMeta);

/** Competencies that may still lack a drill: none any more (the list may only shrink); every competency must have a drill. */
const AWAITING_DRILLS: readonly string[] = [];

describe('the curriculum map', () => {
  it('has one row per competency, in the curriculum order', () => {
    expect(rows.map((r) => r.id)).toEqual(COMPETENCY_IDS);
  });

  for (const r of rows) {
    describe(r.id, () => {
      it('is covered by a chapter section, with a lab somewhere', () => {
        expect(r.sections.length, `no chapter's frontmatter names ${r.id}`).toBeGreaterThan(0);
        expect(r.sections.some((s) => s.lab), `no lab section covers ${r.id}`).toBe(true);
      });
      it('is covered by quiz questions', () => {
        expect(r.questions.length, `no quiz question is tagged ${r.id}`).toBeGreaterThan(0);
      });
      it.skipIf(AWAITING_DRILLS.includes(r.id))('is covered by at least one drill', () => {
        expect(r.drills.length, `no drill is tagged ${r.id}`).toBeGreaterThan(0);
      });
    });
  }

  it('lists only what the metadata says (a question tagged elsewhere does not leak in)', () => {
    const coredns = rows.find((r) => r.id === 'coredns')!;
    const tagged = banks.flatMap((b) => b.questions.filter((q) => q.competencies?.includes('coredns')).map((q) => `${b.chapter}/${q.id}`));
    expect(coredns.questions.map((q) => `${q.chapter}/${q.id}`).sort()).toEqual(tagged.sort());
  });
});

describe('every chapter beyond the book', () => {
  for (const ch of CHAPTERS.filter((c) => c.beyondBook)) {
    it(`${ch.slug}: has a quiz of at least 10 questions and names the competencies it covers`, () => {
      const bank = banks.find((b) => b.chapter === ch.slug);
      expect(bank?.questions.length ?? 0).toBeGreaterThanOrEqual(10);
      expect(chapters.find((c) => c.slug === ch.slug)!.cka.length).toBeGreaterThan(0);
    });
  }
});
