import { describe, expect, it } from 'vitest';
import { emptyProgress, exportProgress, importProgress, parseProgress } from '../progress';
import { drillRecord, examResults, recordDrillResult, recordExam, type DrillResult, type ExamResult } from './records';

const result = (patch: Partial<DrillResult>): DrillResult => ({
  drill: 'netns-veth-pair',
  seed: 1,
  pass: true,
  timedOut: false,
  timeUsedMs: 200_000,
  timeBudgetMs: 360_000,
  hintsUsed: 0,
  solutionShown: false,
  commands: 9,
  requirements: [{ id: 'ping', text: 'ping', pass: true, message: null }],
  at: 1000,
  ...patch,
});

const exam = (patch: Partial<ExamResult>): ExamResult => ({
  id: 'a+b@1/10',
  title: 'Custom exam',
  seed: 1,
  minutes: 10,
  score: 55,
  passMark: 66,
  passed: false,
  timedOut: false,
  timeUsedMs: 1000,
  tasks: [],
  at: 5,
  updatedAt: 5,
  ...patch,
});

describe('drill records', () => {
  it('counts attempts and passes and keeps the fastest clean pass as best', () => {
    const p = emptyProgress();
    recordDrillResult(p, result({ timeUsedMs: 300_000, at: 1 }));
    recordDrillResult(p, result({ timeUsedMs: 100_000, solutionShown: true, at: 2 }));
    recordDrillResult(p, result({ pass: false, timeUsedMs: 50_000, at: 3 }));
    recordDrillResult(p, result({ timeUsedMs: 250_000, hintsUsed: 2, at: 4 }));
    const r = drillRecord(p, 'netns-veth-pair')!;
    expect(r.attempts).toBe(4);
    expect(r.passes).toBe(3);
    expect(r.best?.timeUsedMs).toBe(250_000);
    expect(r.last?.at).toBe(4);
  });

  it('survives a round trip through the progress store, export and import', () => {
    const p = emptyProgress();
    recordDrillResult(p, result({}));
    recordExam(p, exam({}));
    const parsed = parseProgress(JSON.parse(JSON.stringify(p)));
    expect(parsed.ok).toBe(true);
    const imported = importProgress(emptyProgress(), exportProgress(p));
    expect(imported.ok).toBe(true);
    if (!imported.ok) return;
    expect(drillRecord(imported.progress, 'netns-veth-pair')?.best?.seed).toBe(1);
    expect(examResults(imported.progress).map((e) => e.score)).toEqual([55]);
  });

  it('reads damaged records as missing', () => {
    const p = emptyProgress();
    p.drills['x'] = { best: { nonsense: true }, attempts: 'many' } as never;
    p.exams.push({ id: 'broken' });
    expect(drillRecord(p, 'x')).toEqual({ attempts: 0, passes: 0, best: null, last: null, updatedAt: 0 });
    expect(examResults(p)).toEqual([]);
  });

  it('replaces an exam with the same id and lists newest first', () => {
    const p = emptyProgress();
    recordExam(p, exam({ id: 'one', at: 1, score: 10 }));
    recordExam(p, exam({ id: 'two', at: 2 }));
    recordExam(p, exam({ id: 'one', at: 1, score: 90 }));
    expect(examResults(p).map((e) => [e.id, e.score])).toEqual([['two', 55], ['one', 90]]);
  });
});

describe('importing drill records', () => {
  it('keeps the better best result and the higher counts from either side', () => {
    const here = emptyProgress();
    recordDrillResult(here, result({ timeUsedMs: 90_000, at: 10 }));
    const there = emptyProgress();
    recordDrillResult(there, result({ timeUsedMs: 300_000, at: 20 }));
    recordDrillResult(there, result({ pass: false, at: 30 }));
    const r = importProgress(here, exportProgress(there));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const rec = drillRecord(r.progress, 'netns-veth-pair')!;
    expect(rec.best?.timeUsedMs).toBe(90_000);
    expect(rec.attempts).toBe(2);
    expect(rec.passes).toBe(1);
    expect(rec.last?.at).toBe(30);
  });
});

describe('stored and imported exam reports are validated (issue 19)', () => {
  const xss = {
    version: 2,
    quizzes: {},
    exams: [{ id: 'e', title: 'E', score: 80, at: 0, tasks: [{ title: 'T', weight: '<img src=x onerror=alert(document.domain)>', points: 8, pass: true }] }],
  };

  it('an import whose exam task carries markup in a numeric field is refused with the reason', () => {
    const r = importProgress(emptyProgress(), JSON.stringify(xss));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/some entries are damaged \(exam #1: /);
  });

  it('a stored document with such an exam keeps the rest and shows no exam', () => {
    const r = parseProgress(xss);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.progress.exams).toEqual([]);
      expect(r.dropped).toEqual(['exam #1']);
      expect(examResults(r.progress)).toEqual([]);
    }
  });

  it('a title that is not a string, or points that are not a number, are refused', () => {
    for (const bad of [{ title: 5 }, { tasks: [{ points: 'x' }] }]) {
      const exam = { ...goodExam(), ...bad, tasks: bad.tasks ? [{ ...goodExam().tasks[0], ...bad.tasks[0] }] : goodExam().tasks };
      const r = importProgress(emptyProgress(), JSON.stringify({ version: 2, quizzes: {}, exams: [exam] }));
      expect(r.ok).toBe(false);
    }
    // the well-formed report itself imports and reads back
    const ok = importProgress(emptyProgress(), JSON.stringify({ version: 2, quizzes: {}, exams: [goodExam()] }));
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(examResults(ok.progress).map((e) => e.id)).toEqual(['x1']);
  });

  it('a deeply nested document is refused with a message, never thrown', () => {
    const deep = '['.repeat(10000) + ']'.repeat(10000);
    const text = `{"version":2,"quizzes":{},"exams":[{"id":"e","extra":${deep}}]}`;
    const r = importProgress(emptyProgress(), text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/could not be imported/);
  });
});

function goodExam(): ExamResult {
  return {
    id: 'x1',
    title: 'Mock exam A',
    seed: 1,
    minutes: 120,
    score: 80,
    passMark: 66,
    passed: true,
    timedOut: false,
    timeUsedMs: 1000,
    tasks: [
      { drill: 'netns-veth-pair', title: 'T', seed: 1, weight: 8, points: 8, pass: true, flagged: false, requirements: [], solution: ['ip netns add a'], task: 'Do it.' },
    ],
    at: 1,
    updatedAt: 1,
  };
}
