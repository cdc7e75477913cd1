// The stored shapes of drill results and exam reports, as zod schemas: the
// one definition that both the progress store (src/labs/progress.ts, on load
// and on import) and the drills feature (records.ts) read them through.
// Anything read from localStorage or an imported file passes here before a
// page shows it, so a field is what its type says (a number is a finite
// number, a title is a bounded string) and unknown fields are dropped.
import { z } from '../../sim/zod-mini';

const text = (max: number) => z.string().check(z.maxLength(max));
const num = z.number().check(z.refine(Number.isFinite, 'must be a finite number'));
const nonneg = z.number().check(z.refine(Number.isFinite, 'must be a finite number'), z.nonnegative());
const int = z.number().check(z.int(), z.nonnegative());

export const requirementOutcomeSchema = z.object({
  id: text(200),
  text: text(2000),
  pass: z.boolean(),
  message: z.nullable(text(4000)),
});

export const drillResultSchema = z.object({
  drill: text(200),
  seed: num,
  pass: z.boolean(),
  timedOut: z.boolean(),
  timeUsedMs: nonneg,
  timeBudgetMs: nonneg,
  hintsUsed: int,
  solutionShown: z.boolean(),
  commands: int,
  requirements: z.array(requirementOutcomeSchema).check(z.maxLength(200)),
  at: nonneg,
});

export const drillRecordSchema = z.object({
  attempts: int,
  passes: int,
  best: z.nullable(drillResultSchema),
  last: z.nullable(drillResultSchema),
  updatedAt: nonneg,
});

export const examTaskResultSchema = z.object({
  drill: text(200),
  title: text(500),
  seed: num,
  weight: nonneg,
  points: nonneg,
  pass: z.boolean(),
  flagged: z.boolean(),
  requirements: z.array(requirementOutcomeSchema).check(z.maxLength(200)),
  solution: z.array(text(4000)).check(z.maxLength(500)),
  task: text(20000),
});

export const examResultSchema = z.object({
  id: text(200),
  title: text(500),
  seed: num,
  minutes: nonneg,
  score: nonneg,
  passMark: nonneg,
  passed: z.boolean(),
  timedOut: z.boolean(),
  timeUsedMs: nonneg,
  tasks: z.array(examTaskResultSchema).check(z.maxLength(100)),
  at: nonneg,
  updatedAt: nonneg,
});

/** A short reason for the first problem of a failed parse: `tasks.0.weight: expected number`. */
export function firstIssue(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  const i = error.issues[0];
  if (!i) return 'unreadable';
  const path = i.path.map(String).join('.');
  return path ? `${path}: ${i.message}` : i.message;
}
