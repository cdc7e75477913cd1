// The zod schema of a question bank. Banks are validated when the site builds
// (Quiz.astro and the Progress page call validateBank through ./banks/index.ts)
// and in the unit tests: a malformed bank fails the build with a message that
// names the chapter, the question and the problem.
import { z } from '../../sim/zod';
import { compilePattern, normaliseText } from './grade';
import type { QuizBank } from './types';
import { COMPETENCY_IDS } from '../curriculum';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case letters, digits and dashes');
const text = z.string().trim().min(1, 'must not be empty');

const option = z.strictObject({ id, text, feedback: text.optional() });

const base = {
  id,
  prompt: text,
  explanation: text.min(20, 'every question needs a real explanation (20 characters at least)'),
  competencies: z.array(z.enum(COMPETENCY_IDS)).min(1).optional(),
};

function uniqueOptions(options: { id: string }[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  options.forEach((o, i) => {
    if (seen.has(o.id)) ctx.addIssue({ code: 'custom', path: ['options', i, 'id'], message: `duplicate option id "${o.id}"` });
    seen.add(o.id);
  });
}

const single = z
  .strictObject({ ...base, kind: z.literal('single'), options: z.array(option).min(2, 'needs at least 2 options'), answer: id })
  .superRefine((q, ctx) => {
    uniqueOptions(q.options, ctx);
    if (!q.options.some((o) => o.id === q.answer))
      ctx.addIssue({ code: 'custom', path: ['answer'], message: `answer "${q.answer}" is not one of the options (${q.options.map((o) => o.id).join(', ')})` });
  });

const multiple = z
  .strictObject({
    ...base,
    kind: z.literal('multiple'),
    options: z.array(option).min(3, 'a multiple-choice question needs at least 3 options'),
    answers: z.array(id).min(1, 'needs at least one right option'),
  })
  .superRefine((q, ctx) => {
    uniqueOptions(q.options, ctx);
    q.answers.forEach((a, i) => {
      if (!q.options.some((o) => o.id === a))
        ctx.addIssue({ code: 'custom', path: ['answers', i], message: `answer "${a}" is not one of the options (${q.options.map((o) => o.id).join(', ')})` });
    });
    if (new Set(q.answers).size !== q.answers.length) ctx.addIssue({ code: 'custom', path: ['answers'], message: 'duplicate answers' });
    if (q.answers.length === q.options.length)
      ctx.addIssue({ code: 'custom', path: ['answers'], message: 'every option is right: a wrong answer must be possible' });
  });

const normalisation = z.strictObject({
  case: z.enum(['sensitive', 'insensitive']),
  spaces: z.enum(['trim', 'collapse', 'remove']),
  trailingDot: z.boolean().optional(),
  quotes: z.boolean().optional(),
});

const textQ = z
  .strictObject({
    ...base,
    kind: z.literal('text'),
    normalise: normalisation,
    accept: z.array(text).min(1, 'needs at least one accepted answer'),
    acceptPatterns: z.array(text).optional(),
    wrong: z.array(z.strictObject({ answer: text, feedback: text })).optional(),
    placeholder: z.string().optional(),
  })
  .superRefine((q, ctx) => {
    (q.acceptPatterns ?? []).forEach((p, i) => {
      try {
        compilePattern(p);
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['acceptPatterns', i], message: `not a valid regular expression: ${(e as Error).message}` });
      }
    });
    const accepted = new Set(q.accept.map((a) => normaliseText(a, q.normalise)));
    (q.wrong ?? []).forEach((w, i) => {
      if (accepted.has(normaliseText(w.answer, q.normalise)))
        ctx.addIssue({ code: 'custom', path: ['wrong', i, 'answer'], message: `"${w.answer}" is listed as both right and wrong` });
    });
  });

const numberQ = z
  .strictObject({
    ...base,
    kind: z.literal('number'),
    answer: z.number().finite(),
    tolerance: z.number().nonnegative().optional(),
    unit: z.string().min(1).optional(),
    wrong: z.array(z.strictObject({ answer: z.number().finite(), feedback: text })).optional(),
  })
  .superRefine((q, ctx) => {
    (q.wrong ?? []).forEach((w, i) => {
      if (Math.abs(w.answer - q.answer) <= (q.tolerance ?? 0))
        ctx.addIssue({ code: 'custom', path: ['wrong', i, 'answer'], message: `${w.answer} is listed as wrong but is within the accepted range` });
    });
  });

const lines = z.array(z.string());

const command = z
  .strictObject({
    ...base,
    kind: z.literal('command'),
    scenario: z.string().min(1),
    host: z.string().min(1).optional(),
    solutions: z.array(lines.min(1, 'a solution has at least one line')).min(2, 'needs at least two different correct command sequences'),
    wrong: z.array(lines),
    check: z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', 'check must be a predicate function'),
    placeholder: z.string().optional(),
  })
  .superRefine((q, ctx) => {
    const keys = q.solutions.map((s) => s.map((l) => l.trim()).join('\n'));
    if (new Set(keys).size !== keys.length) ctx.addIssue({ code: 'custom', path: ['solutions'], message: 'solutions must differ from each other' });
  });

export const questionSchema = z.discriminatedUnion('kind', [single, multiple, textQ, numberQ, command]);

export const bankSchema = z
  .strictObject({
    chapter: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'chapter is the page slug'),
    title: text,
    questions: z.array(questionSchema).min(1),
  })
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.questions.forEach((q, i) => {
      if (seen.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `duplicate question id "${q.id}"` });
      seen.add(q.id);
    });
  });

export class QuizBankError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuizBankError';
  }
}

function describePath(bank: unknown, path: PropertyKey[]): string {
  let out = '';
  let node: unknown = bank;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
    node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key as string] : undefined;
    if (path[0] === 'questions' && typeof key === 'number' && node && typeof node === 'object' && 'id' in node)
      out += ` (id "${String((node as { id: unknown }).id)}")`;
  }
  return out || '(bank)';
}

/** Validate a bank; throws a QuizBankError naming each problem (chapter, question, field). */
export function validateBank(bank: unknown, source = 'quiz bank'): QuizBank {
  const r = bankSchema.safeParse(bank);
  if (r.success) return bank as QuizBank;
  const chapter = bank && typeof bank === 'object' && 'chapter' in bank ? String((bank as { chapter: unknown }).chapter) : '?';
  const problems = r.error.issues.map((i) => `  - ${describePath(bank, i.path)}: ${i.message}`);
  throw new QuizBankError(`Malformed quiz in ${source} (chapter "${chapter}"):\n${problems.join('\n')}`);
}
