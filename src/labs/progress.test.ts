import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BACKUP_KEY,
  PROGRESS_KEY,
  chapterScore,
  emptyProgress,
  exportProgress,
  importProgress,
  loadProgress,
  memoryStorage,
  mergeProgress,
  parseProgress,
  recordQuizAttempt,
  recordReveal,
  saveProgress,
  updateProgress,
  type Progress,
} from './progress';

function attempt(p: Progress, chapter: string, question: string, correct: boolean, now: number, answer: string | string[] = 'x') {
  return recordQuizAttempt(p, { chapter, question, correct, answer, total: 10, now });
}

describe('quiz records', () => {
  it('counts attempts, keeps the latest answer and scores by the latest check', () => {
    const p = emptyProgress();
    attempt(p, 'routing', 'q1', false, 1, 'a');
    attempt(p, 'routing', 'q1', true, 2, 'b');
    attempt(p, 'routing', 'q2', true, 3, ['x', 'y']);
    const q1 = p.quizzes.routing!.questions.q1!;
    expect(q1).toMatchObject({ attempts: 2, correct: true, lastAnswer: 'b', updatedAt: 2 });
    expect(p.quizzes.routing!.score).toBe(2);
    expect(p.quizzes.routing!.total).toBe(10);
    attempt(p, 'routing', 'q2', false, 4, []);
    expect(p.quizzes.routing!.score).toBe(1);
    expect(chapterScore(p, 'routing', ['q1', 'q2', 'q3'])).toEqual({ score: 1, answered: 2, total: 3 });
  });

  it('a reveal is remembered but is not an attempt and not a right answer', () => {
    const p = emptyProgress();
    recordReveal(p, 'dns', 'q1', 8, 5);
    expect(p.quizzes.dns!.questions.q1).toMatchObject({ attempts: 0, correct: false, revealed: true });
    expect(chapterScore(p, 'dns', ['q1']).score).toBe(0);
  });

  it('clips very long answers', () => {
    const p = emptyProgress();
    attempt(p, 'c', 'q', true, 1, 'x'.repeat(10000));
    expect((p.quizzes.c!.questions.q!.lastAnswer as string).length).toBe(4000);
  });
});

describe('storage', () => {
  it('round-trips through storage', () => {
    const s = memoryStorage();
    const p = attempt(emptyProgress(), 'switching', 'q1', true, 10);
    expect(saveProgress(s, p)).toBe(true);
    const r = loadProgress(s);
    expect(r.notice).toBeNull();
    expect(r.progress).toEqual(p);
  });

  it('starts empty with no notice when nothing is stored', () => {
    expect(loadProgress(memoryStorage())).toEqual({ progress: emptyProgress(), notice: null });
  });

  it('sets corrupt JSON aside with a notice instead of crashing', () => {
    const s = memoryStorage();
    s.setItem(PROGRESS_KEY, '{"version": 2, "quizzes": {');
    const r = loadProgress(s);
    expect(r.progress).toEqual(emptyProgress());
    expect(r.notice).toMatch(/could not be read/);
    expect(s.getItem(BACKUP_KEY)).toBe('{"version": 2, "quizzes": {');
    expect(s.getItem(PROGRESS_KEY)).toBeNull();
  });

  it('refuses a document from a newer version without destroying it', () => {
    const s = memoryStorage();
    const text = JSON.stringify({ version: 99, quizzes: {} });
    s.setItem(PROGRESS_KEY, text);
    const r = loadProgress(s);
    expect(r.notice).toMatch(/newer version/);
    expect(s.getItem(BACKUP_KEY)).toBe(text);
  });

  it('drops only the damaged chapter and keeps the rest', () => {
    const s = memoryStorage();
    const good = attempt(emptyProgress(), 'dns', 'q1', true, 3);
    const doc = JSON.parse(JSON.stringify(good));
    doc.quizzes.routing = { questions: { q1: { attempts: 'many' } } };
    s.setItem(PROGRESS_KEY, JSON.stringify(doc));
    const r = loadProgress(s);
    expect(r.progress.quizzes.dns).toEqual(good.quizzes.dns);
    expect(r.progress.quizzes.routing).toBeUndefined();
    expect(r.notice).toMatch(/quiz "routing"/);
  });

  it('survives storage that throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    };
    expect(loadProgress(broken).notice).toMatch(/not available/);
    expect(saveProgress(broken, emptyProgress())).toBe(false);
  });

  it('updateProgress reads what another tab wrote before writing', () => {
    const s = memoryStorage();
    saveProgress(s, attempt(emptyProgress(), 'dns', 'q1', true, 1));
    updateProgress(s, (p) => attempt(p, 'routing', 'q1', true, 2));
    const { progress } = loadProgress(s);
    expect(Object.keys(progress.quizzes).sort()).toEqual(['dns', 'routing']);
  });
});

describe('migration', () => {
  it('migrates a version-1 document to the current version', () => {
    const v1 = {
      version: 1,
      answers: {
        'routing/default-route': { attempts: 3, correct: true, last: 'b', at: 100 },
        'routing/forwarding': { attempts: 1, correct: false, last: null, at: 50 },
        'dns/a-record': { attempts: 1, correct: true, at: 20 },
        'malformed-key': { attempts: 1, correct: true },
      },
    };
    const r = parseProgress(v1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.migratedFrom).toBe(1);
    expect(r.progress.version).toBe(2);
    expect(r.progress.quizzes.routing!.questions['default-route']).toEqual({ attempts: 3, correct: true, lastAnswer: 'b', revealed: false, updatedAt: 100 });
    expect(r.progress.quizzes.routing!.score).toBe(1);
    expect(r.progress.quizzes.dns!.score).toBe(1);
    expect(r.progress.drills).toEqual({});
    expect(r.progress.exams).toEqual([]);
    expect(r.progress.updatedAt).toBe(100);
  });

  it('a damaged version-1 document is reported, not thrown', () => {
    const r = parseProgress({ version: 1, answers: { 'a/b': { attempts: -1, correct: 'yes' } } });
    expect(r.ok).toBe(false);
  });

  it('loads a version-1 document from storage and saves it back as the current version', () => {
    const s = memoryStorage();
    s.setItem(PROGRESS_KEY, JSON.stringify({ version: 1, answers: { 'dns/q1': { attempts: 1, correct: true, at: 1 } } }));
    const r = loadProgress(s);
    expect(r.notice).toBeNull();
    saveProgress(s, r.progress);
    expect(JSON.parse(s.getItem(PROGRESS_KEY)!).version).toBe(2);
  });
});

// ------------------------------------------------------------------ properties

const arbQuestion = fc.record({
  attempts: fc.nat(20),
  correct: fc.boolean(),
  lastAnswer: fc.oneof(fc.constant(null), fc.string({ maxLength: 10 }), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 })),
  revealed: fc.boolean(),
  updatedAt: fc.nat(1000),
});
const arbChapter = fc.dictionary(fc.constantFrom('q1', 'q2', 'q3', 'q4'), arbQuestion).chain((questions) =>
  fc.record({ questions: fc.constant(questions), score: fc.constant(Object.values(questions).filter((q) => q.correct).length), total: fc.nat(12), updatedAt: fc.nat(1000) }),
);
const arbProgress: fc.Arbitrary<Progress> = fc.record({
  version: fc.constant(2 as const),
  quizzes: fc.dictionary(fc.constantFrom('switching', 'routing', 'dns'), arbChapter),
  // drill and exam entries in the drills feature's stored shapes (src/labs/drills/record-schema.ts)
  drills: fc.dictionary(
    fc.constantFrom('d1', 'd2'),
    fc.record({ attempts: fc.nat(9), passes: fc.nat(9), best: fc.constant(null), last: fc.constant(null), updatedAt: fc.nat(1000) }),
  ),
  exams: fc
    .array(
      fc.record({
        id: fc.constantFrom('e1', 'e2', 'e3'),
        title: fc.string({ maxLength: 20 }),
        seed: fc.nat(99),
        minutes: fc.nat(240),
        score: fc.nat(100),
        passMark: fc.constant(66),
        passed: fc.boolean(),
        timedOut: fc.boolean(),
        timeUsedMs: fc.nat(100000),
        tasks: fc.constant([]),
        at: fc.nat(1000),
        updatedAt: fc.nat(1000),
      }),
      { maxLength: 3 },
    )
    .map((xs) => xs.filter((x, i) => xs.findIndex((y) => y.id === x.id) === i)),
  updatedAt: fc.nat(1000),
});

describe('merge, export and import (properties)', () => {
  it('parseProgress never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = parseProgress(v);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });

  it('loadProgress never throws on arbitrary stored text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const s = memoryStorage();
        s.setItem(PROGRESS_KEY, text);
        const r = loadProgress(s);
        expect(r.progress.version).toBe(2);
      }),
    );
  });

  it('export then import into empty progress gives the same progress', () => {
    fc.assert(
      fc.property(arbProgress, (p) => {
        const r = importProgress(emptyProgress(), exportProgress(p, 0));
        expect(r.ok).toBe(true);
        if (r.ok) expect(mergeProgress(r.progress, emptyProgress())).toEqual(mergeProgress(p, emptyProgress()));
      }),
    );
  });

  it('merging a document into itself changes nothing (importing twice is harmless)', () => {
    fc.assert(
      fc.property(arbProgress, (p) => {
        const once = mergeProgress(p, p);
        expect(mergeProgress(once, p)).toEqual(once);
        expect(once.quizzes).toEqual(mergeProgress(p, emptyProgress()).quizzes);
      }),
    );
  });

  it('merge never loses attempts or answered questions', () => {
    fc.assert(
      fc.property(arbProgress, arbProgress, (a, b) => {
        const m = mergeProgress(a, b);
        for (const src of [a, b]) {
          for (const [c, ch] of Object.entries(src.quizzes)) {
            for (const [q, rec] of Object.entries(ch.questions)) {
              expect(m.quizzes[c]!.questions[q]!.attempts).toBeGreaterThanOrEqual(rec.attempts);
            }
          }
        }
        for (const ch of Object.values(m.quizzes)) expect(ch.score).toBe(Object.values(ch.questions).filter((q) => q.correct).length);
      }),
    );
  });

  it('import rejects files that are not progress exports, with a message', () => {
    for (const text of ['not json', '[]', '{"hello": 1}', JSON.stringify({ version: 3, quizzes: {} })]) {
      const r = importProgress(emptyProgress(), text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/could not be imported|not a netlab progress/);
    }
  });

  it('import merges: the newer answer wins, the other chapters stay', () => {
    const here = attempt(attempt(emptyProgress(), 'dns', 'q1', false, 5), 'routing', 'q1', true, 1);
    const there = attempt(emptyProgress(), 'dns', 'q1', true, 9);
    const r = importProgress(here, exportProgress(there));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.progress.quizzes.dns!.questions.q1).toMatchObject({ correct: true, attempts: 1, updatedAt: 9 });
    expect(r.progress.quizzes.routing!.questions.q1!.correct).toBe(true);
    expect(r.summary).toMatch(/1 chapter/);
  });
});
