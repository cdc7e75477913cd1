// Every chapter's quiz bank, checked question by question: the right answer
// grades right and wrong answers grade wrong. (Command questions run in the
// simulated shell: see commands.test.ts.)
import { describe, expect, it } from 'vitest';
import { banks } from './banks';
import { CHAPTERS } from '../../../content/chapters';
import { gradeAnswer } from './grade';
import { toPublicQuestion } from './public';
import type { Answer, Question } from './types';

/** Wrong answers derived from the question itself (plus the ones it declares). */
function wrongAnswers(q: Question): Answer[] {
  switch (q.kind) {
    case 'single':
      return q.options.filter((o) => o.id !== q.answer).map((o) => o.id);
    case 'multiple': {
      const wrongIds = q.options.filter((o) => !q.answers.includes(o.id)).map((o) => o.id);
      const out: Answer[] = [[]];
      out.push(q.answers.slice(1)); // one right option missing
      for (const w of wrongIds) out.push([...q.answers, w]); // one wrong option too many
      out.push(wrongIds);
      return out;
    }
    case 'text':
      return [...(q.wrong ?? []).map((w) => w.answer), 'certainly not the answer', ''];
    case 'number':
      return [...(q.wrong ?? []).map((w) => String(w.answer)), String(q.answer + (q.tolerance ?? 0) + 1), String(q.answer - (q.tolerance ?? 0) - 1), 'abc', ''];
    case 'command':
      return [];
  }
}

function rightAnswers(q: Question): Answer[] {
  switch (q.kind) {
    case 'single':
      return [q.answer];
    case 'multiple':
      return [q.answers, [...q.answers].reverse()];
    case 'text':
      return q.accept.flatMap((a) => [a, `  ${a.toUpperCase()}  `].filter((x) => q.normalise.case === 'insensitive' || x === a));
    case 'number':
      return [String(q.answer), ` ${q.answer} `, ...(q.unit ? [`${q.answer} ${q.unit}`] : [])];
    case 'command':
      return [];
  }
}

// the course manifest says which chapters have a quiz and which are hands-on (a test may use a higher layer as its harness)
const HANDS_ON = new Set(CHAPTERS.filter((c) => c.handsOn).map((c) => c.slug));

describe('the course manifest and the banks', () => {
  it('have one bank for each chapter with a quiz, and no other', () => {
    expect(banks.map((b) => b.chapter).sort()).toEqual(CHAPTERS.filter((c) => c.quiz).map((c) => c.slug).sort());
  });
});

for (const bank of banks) {
  describe(`quiz "${bank.chapter}"`, () => {
    it('has at least 8 questions, mixing kinds, with at least 2 command questions in a hands-on chapter', () => {
      expect(bank.questions.length).toBeGreaterThanOrEqual(8);
      const kinds = new Set(bank.questions.map((q) => q.kind));
      expect(kinds.size).toBeGreaterThanOrEqual(4);
      if (HANDS_ON.has(bank.chapter)) expect(bank.questions.filter((q) => q.kind === 'command').length).toBeGreaterThanOrEqual(2);
    });

    for (const q of bank.questions.filter((x) => x.kind !== 'command')) {
      it(`${q.id}: the right answer grades right, wrong ones grade wrong`, () => {
        const pq = toPublicQuestion(q);
        for (const a of rightAnswers(q)) expect(gradeAnswer(pq, a).correct, `right answer ${JSON.stringify(a)}`).toBe(true);
        const wrong = wrongAnswers(q);
        expect(wrong.length).toBeGreaterThan(0);
        for (const a of wrong) expect(gradeAnswer(pq, a).correct, `wrong answer ${JSON.stringify(a)}`).toBe(false);
      });
    }

    for (const q of bank.questions) {
      it(`${q.id}: survives the trip to the page as JSON`, () => {
        const pq = toPublicQuestion(q);
        expect(JSON.parse(JSON.stringify(pq))).toEqual(pq);
      });
    }
  });
}
