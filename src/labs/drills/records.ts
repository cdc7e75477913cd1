// What the progress store keeps of drills and exams (src/labs/progress.ts
// holds them as opaque records in its `drills` and `exams` sections; this
// module gives them their shape and reads them defensively).
import type { Progress } from '../progress';
import type { Grade } from './runner';
import { drillResultSchema, examResultSchema } from './record-schema';

export interface RequirementOutcome {
  id: string;
  text: string;
  pass: boolean;
  message: string | null;
}

/** One finished drill attempt. */
export interface DrillResult {
  drill: string;
  seed: number;
  pass: boolean;
  /** ended by the clock */
  timedOut: boolean;
  timeUsedMs: number;
  timeBudgetMs: number;
  hintsUsed: number;
  solutionShown: boolean;
  commands: number;
  requirements: RequirementOutcome[];
  at: number;
}

export interface DrillRecordShape {
  attempts: number;
  passes: number;
  /** the fastest pass without the reference solution (fewer hints break ties) */
  best: DrillResult | null;
  last: DrillResult | null;
  updatedAt: number;
}

export function outcomes(g: Grade): RequirementOutcome[] {
  return g.results.map((r) => ({ id: r.id, text: r.text, pass: r.pass, message: r.message }));
}

function isResult(x: unknown): x is DrillResult {
  return drillResultSchema.safeParse(x).success;
}

/** A drill's record, read defensively (null when there is none or it is unreadable). */
export function drillRecord(p: Progress, id: string): DrillRecordShape | null {
  const r = p.drills[id] as Partial<DrillRecordShape> | undefined;
  if (!r || typeof r !== 'object') return null;
  return {
    attempts: typeof r.attempts === 'number' ? r.attempts : 0,
    passes: typeof r.passes === 'number' ? r.passes : 0,
    best: isResult(r.best) ? r.best : null,
    last: isResult(r.last) ? r.last : null,
    updatedAt: typeof r.updatedAt === 'number' ? r.updatedAt : 0,
  };
}

/** Is `a` a better result than `b`? Only clean passes count; faster wins, then fewer hints. */
export function better(a: DrillResult, b: DrillResult | null): boolean {
  if (!a.pass || a.solutionShown) return false;
  if (!b) return true;
  if (a.timeUsedMs !== b.timeUsedMs) return a.timeUsedMs < b.timeUsedMs;
  return a.hintsUsed < b.hintsUsed;
}

export function recordDrillResult(p: Progress, r: DrillResult): Progress {
  const prev = drillRecord(p, r.drill);
  const rec: DrillRecordShape = {
    attempts: (prev?.attempts ?? 0) + 1,
    passes: (prev?.passes ?? 0) + (r.pass ? 1 : 0),
    best: better(r, prev?.best ?? null) ? r : (prev?.best ?? null),
    last: r,
    updatedAt: r.at,
  };
  p.drills[r.drill] = rec as unknown as Progress['drills'][string];
  p.updatedAt = Math.max(p.updatedAt, r.at);
  return p;
}

// ------------------------------------------------------------------ exams

export interface ExamTaskResult {
  drill: string;
  title: string;
  seed: number;
  weight: number;
  /** points earned out of `weight` */
  points: number;
  pass: boolean;
  flagged: boolean;
  requirements: RequirementOutcome[];
  solution: string[];
  task: string;
}

export interface ExamResult {
  id: string;
  title: string;
  seed: number;
  minutes: number;
  /** 0-100, weighted by task */
  score: number;
  passMark: number;
  passed: boolean;
  timedOut: boolean;
  timeUsedMs: number;
  tasks: ExamTaskResult[];
  at: number;
  updatedAt: number;
}

function isExam(x: unknown): x is ExamResult {
  return examResultSchema.safeParse(x).success;
}

/** Past exams, newest first (unreadable entries skipped). */
export function examResults(p: Progress): ExamResult[] {
  return (p.exams as unknown[]).filter(isExam).sort((a, b) => b.at - a.at);
}

export function recordExam(p: Progress, e: ExamResult): Progress {
  const i = p.exams.findIndex((x) => x.id === e.id);
  if (i >= 0) p.exams[i] = e as unknown as Progress['exams'][number];
  else p.exams.push(e as unknown as Progress['exams'][number]);
  p.updatedAt = Math.max(p.updatedAt, e.updatedAt);
  return p;
}

/**
 * Merge two records of one drill (progress import): attempts and passes
 * never go down, the better best result and the newer last result win.
 */
export function mergeDrillRecords<T extends { updatedAt?: number }>(a: T, b: T): T {
  const p = { drills: { x: a, y: b } } as unknown as Progress;
  const x = drillRecord(p, 'x');
  const y = drillRecord(p, 'y');
  if (!x || !y) return (b.updatedAt ?? 0) > (a.updatedAt ?? 0) ? b : a;
  const best = x.best && y.best ? (better(y.best, x.best) ? y.best : x.best) : (x.best ?? y.best);
  const last = (y.last?.at ?? 0) > (x.last?.at ?? 0) ? y.last : x.last;
  const merged: DrillRecordShape = {
    attempts: Math.max(x.attempts, y.attempts),
    passes: Math.max(x.passes, y.passes),
    best,
    last,
    updatedAt: Math.max(x.updatedAt, y.updatedAt),
  };
  return merged as unknown as T;
}
