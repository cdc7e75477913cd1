// The registry of quiz banks, one typed data file per chapter. Importing this
// module validates every bank with the zod schema: a malformed quiz fails the
// build (Quiz.astro and the Progress page import it) with a message naming the
// file, the question and the problem.
import { QuizBankError, validateBank } from '../schema';
import type { QuizBank } from '../types';
import { bankSources } from './all';

/** Every bank, validated, by file name (the course order is the manifest's: content/chapters.ts). */
export const banks: QuizBank[] = bankSources.map(([file, bank]) => validateBank(bank, `src/labs/quiz/banks/${file}`));

{
  const seen = new Set<string>();
  for (const b of banks) {
    if (seen.has(b.chapter)) throw new QuizBankError(`Two quiz banks claim chapter "${b.chapter}"`);
    seen.add(b.chapter);
  }
}

/** The bank of a chapter; an unknown chapter is a build error. */
export function getBank(chapter: string): QuizBank {
  const b = banks.find((x) => x.chapter === chapter);
  if (!b) throw new QuizBankError(`No quiz bank for chapter "${chapter}". Known chapters: ${banks.map((x) => x.chapter).join(', ')}.`);
  return b;
}
