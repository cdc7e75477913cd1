// The page's side of the quiz's command checks: they run in the page's
// grading engine (src/components/engine/graders.ts).
import type { GradeResponse } from './grader-protocol';
import { askQuiz, restartGraders } from '../engine/graders';

/** A check that takes longer than this is stopped (the engine is restarted). */
export const GRADE_TIMEOUT_MS = 20_000;

let next = 1;

/** Run a command question's lines in the grader and return its verdict. */
export function gradeCommand(chapter: string, question: string, input: string): Promise<GradeResponse> {
  const id = next++;
  // a runaway command: restart the engine, fail what was waiting
  const timer = setTimeout(() => restartGraders(`your commands were still running after ${GRADE_TIMEOUT_MS / 1000} seconds, so they were stopped`), GRADE_TIMEOUT_MS);
  return askQuiz({ id, chapter, question, input }).finally(() => clearTimeout(timer));
}
