// Messages between a drill page and its grader worker (./grader-worker.ts).
// The worker builds attempts' starting states and grades states, so that the
// page never runs the shell on its main thread.
import type { SessionSnapshot } from '../../shell/session';
import type { Grade } from '../../labs/drills/runner';
import type { DrillView, ExamContext } from '../../labs/drills/schema';

export type ToGrader =
  /** what the page shows of drill `drill` for `seed` (its texts: the definitions stay in the worker) */
  | { t: 'view'; id: number; drill: string; seed: number; exam?: ExamContext }
  /** build the starting state of drill `drill` for `seed` */
  | { t: 'start'; id: number; drill: string; seed: number; exam?: ExamContext }
  /** grade a state of that attempt */
  | { t: 'grade'; id: number; drill: string; seed: number; snapshot: SessionSnapshot; exam?: ExamContext };

export type FromGrader =
  | { t: 'viewed'; id: number; view: DrillView }
  | { t: 'started'; id: number; start: SessionSnapshot }
  | { t: 'graded'; id: number; grade: Grade }
  | { t: 'error'; id: number; message: string };
