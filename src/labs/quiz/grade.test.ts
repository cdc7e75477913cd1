import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gradeAnswer, gradeMultiple, gradeNumber, gradeText, isEmptyAnswer, modelAnswer, normaliseText, parseNumberAnswer } from './grade';
import type { MultipleChoiceQuestion, NumberQuestion, SingleChoiceQuestion, TextQuestion } from './types';

const single: SingleChoiceQuestion = {
  kind: 'single',
  id: 's',
  prompt: 'p',
  explanation: 'because of the reasons given here',
  options: [
    { id: 'a', text: 'A' },
    { id: 'b', text: 'B', feedback: 'B is a trap.' },
  ],
  answer: 'a',
};

const multiple: MultipleChoiceQuestion = {
  kind: 'multiple',
  id: 'm',
  prompt: 'p',
  explanation: 'because of the reasons given here',
  options: [
    { id: 'a', text: '10.0.0.0/8' },
    { id: 'b', text: '172.16.0.0/12' },
    { id: 'c', text: '192.165.0.0/16', feedback: '192.165 is public.' },
    { id: 'd', text: '192.168.0.0/16' },
  ],
  answers: ['a', 'b', 'd'],
};

const text: TextQuestion = {
  kind: 'text',
  id: 't',
  prompt: 'p',
  explanation: 'because of the reasons given here',
  normalise: { case: 'insensitive', spaces: 'collapse', trailingDot: true, quotes: true },
  accept: ['www.example.com'],
  acceptPatterns: ['web-?server\\.example\\.com'],
  wrong: [{ answer: 'example.com', feedback: 'That is the zone, not the host.' }],
};

const num: NumberQuestion = { kind: 'number', id: 'n', prompt: 'p', explanation: 'because of the reasons given here', answer: 10259, unit: 'ms' };

describe('single choice', () => {
  it('grades the right option right and others wrong with their feedback', () => {
    expect(gradeAnswer(single, 'a').correct).toBe(true);
    expect(gradeAnswer(single, 'b')).toEqual({ correct: false, feedback: 'B is a trap.' });
    expect(gradeAnswer(single, 'zzz').correct).toBe(false);
  });
});

describe('multiple choice', () => {
  it('needs exactly the right set', () => {
    expect(gradeMultiple(multiple, ['d', 'b', 'a']).correct).toBe(true);
    expect(gradeMultiple(multiple, ['a', 'b', 'c', 'd']).correct).toBe(false);
    expect(gradeMultiple(multiple, ['a']).correct).toBe(false);
  });

  it('gives partial feedback: how many right options were found, how many wrong picked, and the wrong options\' notes', () => {
    const g = gradeMultiple(multiple, ['a', 'c']);
    expect(g.partial).toEqual({ found: 1, of: 3, wrongPicked: 1 });
    expect(g.feedback).toBe('You picked 1 of the 3 right options, and 1 wrong one. 192.165 is public.');
    expect(gradeMultiple(multiple, ['a', 'b']).feedback).toBe('You picked 2 of the 3 right options.');
  });

  it('correct iff the picked set equals the answer set (property)', () => {
    fc.assert(
      fc.property(fc.subarray(['a', 'b', 'c', 'd']), (picked) => {
        const g = gradeMultiple(multiple, picked);
        const same = picked.length === 3 && ['a', 'b', 'd'].every((x) => picked.includes(x));
        expect(g.correct).toBe(same);
        expect(g.partial!.found + g.partial!.wrongPicked).toBe(picked.length);
      }),
    );
  });
});

describe('text', () => {
  it('applies the normalisation rule', () => {
    expect(normaliseText('  "WWW.Example.com."  ', text.normalise)).toBe('www.example.com');
    expect(normaliseText('a   b\tc', { case: 'sensitive', spaces: 'collapse' })).toBe('a b c');
    expect(normaliseText(' a b ', { case: 'sensitive', spaces: 'remove' })).toBe('ab');
    expect(normaliseText(' A b ', { case: 'sensitive', spaces: 'trim' })).toBe('A b');
  });

  it('accepts the listed answers and patterns, and explains known wrong answers', () => {
    expect(gradeText(text, 'WWW.EXAMPLE.COM.').correct).toBe(true);
    expect(gradeText(text, 'webserver.example.com').correct).toBe(true);
    expect(gradeText(text, 'web-server.example.com').correct).toBe(true);
    expect(gradeText(text, 'web.example.com').correct).toBe(false);
    expect(gradeText(text, 'example.com')).toEqual({ correct: false, feedback: 'That is the zone, not the host.' });
    expect(gradeText(text, '   ').feedback).toBe('No answer given.');
  });

  it('patterns are anchored: a right answer inside a longer one is wrong', () => {
    expect(gradeText(text, 'xwebserver.example.com').correct).toBe(false);
    expect(gradeText(text, 'webserver.example.com.evil').correct).toBe(false);
  });

  it('case-sensitive questions are case-sensitive', () => {
    const q: TextQuestion = { ...text, normalise: { case: 'sensitive', spaces: 'trim' }, accept: ['MASQUERADE'], acceptPatterns: [], wrong: [] };
    expect(gradeText(q, 'MASQUERADE').correct).toBe(true);
    expect(gradeText(q, 'masquerade').correct).toBe(false);
  });
});

describe('number', () => {
  it('parses numbers with an optional unit', () => {
    expect(parseNumberAnswer(' 10259 ')).toBe(10259);
    expect(parseNumberAnswer('10259ms', 'ms')).toBe(10259);
    expect(parseNumberAnswer('10259 MS', 'ms')).toBe(10259);
    expect(parseNumberAnswer('10,259')).toBeNull();
    expect(parseNumberAnswer('0x10')).toBeNull();
    expect(parseNumberAnswer('')).toBeNull();
  });

  it('grades with the tolerance', () => {
    expect(gradeNumber(num, '10259').correct).toBe(true);
    expect(gradeNumber(num, '10257').correct).toBe(false);
    expect(gradeNumber(num, 'port').feedback).toMatch(/not a number/);
    expect(gradeNumber({ ...num, tolerance: 2 }, '10257').correct).toBe(true);
  });
});

describe('helpers', () => {
  it('knows an empty answer', () => {
    expect(isEmptyAnswer(single, [])).toBe(true);
    expect(isEmptyAnswer(text, '  ')).toBe(true);
    expect(isEmptyAnswer(text, 'x')).toBe(false);
    expect(isEmptyAnswer(multiple, null)).toBe(true);
  });

  it('shows the model answer', () => {
    expect(modelAnswer(multiple)).toBe('10.0.0.0/8; 172.16.0.0/12; 192.168.0.0/16');
    expect(modelAnswer(num)).toBe('10259 ms');
    expect(modelAnswer(text)).toBe('www.example.com');
  });
});
