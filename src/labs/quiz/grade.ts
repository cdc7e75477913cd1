// Grading of choice, text and number questions: pure functions over the JSON
// view of a question, shared by the browser and the tests. Command questions
// are graded by ./command.ts (they need the simulated shell).
import type { Answer, Grade, MultipleChoiceQuestion, NumberQuestion, SingleChoiceQuestion, TextNormalisation, TextQuestion } from './types';
import type { PublicQuestion } from './public';

/** Apply a question's normalisation rule to a typed answer. */
export function normaliseText(input: string, rule: TextNormalisation): string {
  let s = input.trim();
  if (rule.quotes) {
    const m = /^(['"])(.*)\1$/s.exec(s);
    if (m) s = m[2]!.trim();
  }
  if (rule.trailingDot && s.endsWith('.') && s.length > 1) s = s.slice(0, -1);
  switch (rule.spaces) {
    case 'trim':
      break;
    case 'collapse':
      s = s.replace(/\s+/g, ' ');
      break;
    case 'remove':
      s = s.replace(/\s+/g, '');
      break;
  }
  if (rule.case === 'insensitive') s = s.toLowerCase();
  return s;
}

function answerText(answer: Answer): string {
  return Array.isArray(answer) ? answer.join('\n') : answer;
}

function answerList(answer: Answer): string[] {
  if (Array.isArray(answer)) return answer;
  return answer === '' ? [] : [answer];
}

/** True when the learner has not answered at all (nothing to grade, no attempt counted). */
export function isEmptyAnswer(q: PublicQuestion, answer: Answer | null | undefined): boolean {
  if (answer === null || answer === undefined) return true;
  switch (q.kind) {
    case 'single':
    case 'multiple':
      return answerList(answer).length === 0;
    case 'text':
    case 'number':
    case 'command':
      return answerText(answer).trim() === '';
  }
}

export function gradeSingle(q: SingleChoiceQuestion, answer: Answer): Grade {
  const picked = answerList(answer)[0] ?? '';
  if (picked === q.answer) return { correct: true, feedback: null };
  const opt = q.options.find((o) => o.id === picked);
  return { correct: false, feedback: opt?.feedback ?? null };
}

export function gradeMultiple(q: MultipleChoiceQuestion, answer: Answer): Grade {
  const picked = new Set(answerList(answer));
  const right = new Set(q.answers);
  let found = 0;
  let wrongPicked = 0;
  for (const id of picked) {
    if (!q.options.some((o) => o.id === id)) continue;
    if (right.has(id)) found++;
    else wrongPicked++;
  }
  const of = right.size;
  const correct = found === of && wrongPicked === 0;
  if (correct) return { correct, feedback: null, partial: { found, of, wrongPicked } };
  const parts: string[] = [];
  parts.push(`You picked ${found} of the ${of} right option${of === 1 ? '' : 's'}`);
  if (wrongPicked > 0) parts[0] += `, and ${wrongPicked} wrong one${wrongPicked === 1 ? '' : 's'}`;
  parts[0] += '.';
  for (const o of q.options) {
    if (o.feedback && picked.has(o.id) && !right.has(o.id)) parts.push(o.feedback);
  }
  return { correct, feedback: parts.join(' '), partial: { found, of, wrongPicked } };
}

/** Compile an accepted-answer pattern, anchored on both ends. */
export function compilePattern(source: string): RegExp {
  return new RegExp(`^(?:${source})$`, 'u');
}

export function gradeText(q: TextQuestion, answer: Answer): Grade {
  const given = normaliseText(answerText(answer), q.normalise);
  if (given === '') return { correct: false, feedback: 'No answer given.' };
  const ok =
    q.accept.some((a) => normaliseText(a, q.normalise) === given) ||
    (q.acceptPatterns ?? []).some((p) => compilePattern(p).test(given));
  if (ok) return { correct: true, feedback: null };
  const known = (q.wrong ?? []).find((w) => normaliseText(w.answer, q.normalise) === given);
  return { correct: false, feedback: known?.feedback ?? null };
}

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Parse a typed number, allowing the question's unit after it; null when it is not a number. */
export function parseNumberAnswer(input: string, unit?: string): number | null {
  let s = input.trim();
  if (unit) {
    const u = unit.toLowerCase();
    if (s.toLowerCase().endsWith(u)) s = s.slice(0, s.length - u.length).trim();
  }
  if (!NUMBER_RE.test(s)) return null;
  return Number(s);
}

export function gradeNumber(q: NumberQuestion, answer: Answer): Grade {
  const text = answerText(answer);
  if (text.trim() === '') return { correct: false, feedback: 'No answer given.' };
  const n = parseNumberAnswer(text, q.unit);
  if (n === null) return { correct: false, feedback: 'That is not a number: type digits only' + (q.unit ? ` (the unit ${q.unit} is optional).` : '.') };
  const tol = q.tolerance ?? 0;
  if (Math.abs(n - q.answer) <= tol + 1e-9) return { correct: true, feedback: null };
  const known = (q.wrong ?? []).find((w) => Math.abs(w.answer - n) <= 1e-9);
  return { correct: false, feedback: known?.feedback ?? null };
}

/** Grade a choice, text or number answer. Command questions are graded by runCommandCheck (./command.ts). */
export function gradeAnswer(q: PublicQuestion, answer: Answer): Grade {
  switch (q.kind) {
    case 'single':
      return gradeSingle(q, answer);
    case 'multiple':
      return gradeMultiple(q, answer);
    case 'text':
      return gradeText(q, answer);
    case 'number':
      return gradeNumber(q, answer);
    case 'command':
      throw new Error('command questions are graded by running them (src/labs/quiz/command.ts)');
  }
}

/** The answer to show on Reveal, as plain text (inline code in backticks). */
export function modelAnswer(q: PublicQuestion): string {
  switch (q.kind) {
    case 'single':
      return q.options.find((o) => o.id === q.answer)?.text ?? '';
    case 'multiple':
      return q.options
        .filter((o) => q.answers.includes(o.id))
        .map((o) => o.text)
        .join('; ');
    case 'text':
      return q.accept[0] ?? '';
    case 'number':
      return `${q.answer}${q.unit ? ' ' + q.unit : ''}`;
    case 'command':
      return (q.solutions[0] ?? []).join('\n');
  }
}
