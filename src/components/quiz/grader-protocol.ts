// Messages between the quiz page and its grader worker (./grader.worker.ts).
import type { CommandRun } from '../../labs/quiz/types';

export interface GradeRequest {
  id: number;
  chapter: string;
  question: string;
  input: string;
}

export type GradeResponse =
  | { id: number; ok: true; correct: boolean; feedback: string | null; runs: CommandRun[] }
  | { id: number; ok: false; error: string };
