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
