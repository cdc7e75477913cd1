import { describe, expect, it } from 'vitest';
import { QuizBankError, validateBank } from './schema';

const explanation = 'An explanation long enough to teach something.';
const good = {
  chapter: 'routing',
  title: 'Routing',
  questions: [
    { kind: 'single', id: 'q1', prompt: 'Which?', explanation, options: [{ id: 'a', text: 'A' }, { id: 'b', text: 'B' }], answer: 'a' },
    { kind: 'text', id: 'q2', prompt: 'Name?', explanation, normalise: { case: 'insensitive', spaces: 'trim' }, accept: ['eth0'] },
    {
      kind: 'command',
      id: 'q3',
      prompt: 'Do it',
      explanation,
      scenario: 'blank',
      solutions: [['ip netns add x'], ['ip netns add x', 'ip netns list']],
      wrong: [],
      check: () => ({ ok: true }),
    },
  ],
};

function clone() {
  return { ...good, questions: good.questions.map((q) => ({ ...q })) } as Record<string, unknown> & { questions: Record<string, unknown>[] };
}

function problems(bank: unknown): string {
  try {
    validateBank(bank, 'test.ts');
  } catch (e) {
    expect(e).toBeInstanceOf(QuizBankError);
    return (e as Error).message;
  }
  return '';
}

describe('validateBank', () => {
  it('accepts a well-formed bank', () => {
    expect(validateBank(good)).toBe(good);
  });

  it('names the chapter, the question and the problem for an answer that is not an option', () => {
    const b = clone();
    b.questions[0]!.answer = 'e';
    const msg = problems(b);
    expect(msg).toContain('Malformed quiz in test.ts (chapter "routing")');
    expect(msg).toContain('questions[0] (id "q1").answer: answer "e" is not one of the options (a, b)');
  });

  it('rejects a missing or too short explanation', () => {
    const b = clone();
    delete b.questions[1]!.explanation;
    expect(problems(b)).toContain('questions[1] (id "q2").explanation');
    const c = clone();
    c.questions[1]!.explanation = 'short';
    expect(problems(c)).toContain('real explanation');
  });

  it('rejects duplicate question ids', () => {
    const b = clone();
    b.questions[1]!.id = 'q1';
    expect(problems(b)).toContain('duplicate question id "q1"');
  });

  it('rejects a command question with fewer than two solutions, or identical ones', () => {
    const b = clone();
    b.questions[2]!.solutions = [['ip netns add x']];
    expect(problems(b)).toContain('at least two different correct command sequences');
    const c = clone();
    c.questions[2]!.solutions = [['ip netns add x'], [' ip netns add x ']];
    expect(problems(c)).toContain('solutions must differ');
  });

  it('rejects a command question without a predicate', () => {
    const b = clone();
    delete b.questions[2]!.check;
    expect(problems(b)).toContain('check');
  });

  it('rejects an invalid regular expression and an answer listed both right and wrong', () => {
    const b = clone();
    b.questions[1]!.acceptPatterns = ['eth(0'];
    expect(problems(b)).toContain('not a valid regular expression');
    const c = clone();
    c.questions[1]!.wrong = [{ answer: 'ETH0', feedback: 'no' }];
    expect(problems(c)).toContain('listed as both right and wrong');
  });

  it('rejects unknown fields and unknown kinds (typos do not pass silently)', () => {
    const b = clone();
    b.questions[0]!.answr = 'a';
    expect(problems(b)).toContain('answr');
    const c = clone();
    c.questions[0]!.kind = 'truefalse';
    expect(problems(c)).not.toBe('');
  });

  it('a multiple-choice question where every option is right is rejected', () => {
    const b = clone();
    b.questions[0] = { kind: 'multiple', id: 'm', prompt: 'p', explanation, options: [{ id: 'a', text: 'a' }, { id: 'b', text: 'b' }, { id: 'c', text: 'c' }], answers: ['a', 'b', 'c'] };
    expect(problems(b)).toContain('a wrong answer must be possible');
  });
});
