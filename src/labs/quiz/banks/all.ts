/// <reference types="vite/client" />
// Every chapter's bank, unvalidated: for code that must stay light (the
// browser's grader worker). Everything else uses ./index.ts, which validates.
//
// A bank is any module of this folder with a default export (one per
// chapter, named after it): a new chapter's bank is picked up without being
// listed anywhere. Their order in the course is the course manifest's
// (content/chapters.ts); here they are sorted by file name.
import type { QuizBank } from '../types';

const modules = import.meta.glob<{ default: QuizBank }>(['./*.ts', '!./all.ts', '!./index.ts', '!./*.test.ts'], { eager: true });

/** [file name, bank] for each chapter's bank. */
export const bankSources: [file: string, bank: QuizBank][] = Object.entries(modules)
  .map(([path, mod]): [string, QuizBank] => [path.replace(/^\.\//, ''), mod.default])
  .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

export function rawBank(chapter: string): QuizBank | undefined {
  return bankSources.find(([, b]) => b.chapter === chapter)?.[1];
}
