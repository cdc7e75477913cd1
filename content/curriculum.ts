// The curriculum map, computed from the content's own metadata: the chapters'
// `cka` frontmatter (content/frontmatter.ts), the quiz questions'
// `competencies` and the drills' `competencies`. The page
// (content/curriculum.mdx, src/components/CurriculumMap.astro) renders what
// curriculumMap() returns, and content/curriculum.test.ts checks the coverage
// on the same data, so the map cannot drift from the course.
import { COMPETENCIES, COMPETENCY_IDS, type CompetencyId } from '../src/labs/curriculum';
import type { QuizBank } from '../src/labs/quiz/types';
import { CHAPTERS } from './chapters';
import type { CkaEntry } from './frontmatter';

export interface ChapterMeta {
  slug: string;
  title: string;
  cka: CkaEntry[];
}

export interface DrillMeta {
  id: string;
  title: string;
  competencies?: readonly string[];
}

export interface CompetencyRow {
  id: CompetencyId;
  domain: string;
  text: string;
  sections: { slug: string; chapter: string; section: string; lab: boolean }[];
  questions: { chapter: string; id: string; prompt: string }[];
  drills: { id: string; title: string }[];
}

/** One row per competency, in the curriculum's order; chapters in course order, questions in bank order. */
export function curriculumMap(chapters: ChapterMeta[], banks: QuizBank[], drills: DrillMeta[]): CompetencyRow[] {
  const order = new Map(CHAPTERS.map((c) => [c.slug, c.order]));
  const byCourse = <T extends { slug?: string; chapter?: string }>(xs: T[]) =>
    [...xs].sort((a, b) => (order.get(a.slug ?? a.chapter ?? '') ?? 999) - (order.get(b.slug ?? b.chapter ?? '') ?? 999));
  return COMPETENCY_IDS.map((id) => ({
    id,
    domain: COMPETENCIES[id].domain,
    text: COMPETENCIES[id].text,
    sections: byCourse(
      chapters.flatMap((c) => c.cka.filter((e) => e.competency === id).map((e) => ({ slug: c.slug, chapter: c.title, section: e.section, lab: e.lab ?? false }))),
    ),
    questions: byCourse(
      banks.flatMap((b) => b.questions.filter((q) => (q.competencies ?? []).includes(id)).map((q) => ({ chapter: b.chapter, id: q.id, prompt: q.prompt }))),
    ),
    drills: drills.filter((d) => (d.competencies ?? []).includes(id)).map((d) => ({ id: d.id, title: d.title })),
  }));
}
