// The one protocol of the engine worker (./engine-worker.ts): every page-side
// user of the engine (the terminals, the quiz's command checks, the drill
// graders) speaks it to the same worker script. The shell's messages are
// src/shell/worker-protocol.ts's, unchanged; the graders' are wrapped, with
// their own correlation ids.
import type { FromWorker, ToWorker } from '../../shell/worker-protocol';
import type { GradeRequest, GradeResponse } from '../quiz/grader-protocol';
import type { FromGrader, ToGrader } from '../drill/grader-protocol';

export type ToEngine =
  /** a terminal's shell session (one session per worker) */
  | ToWorker
  /** run a quiz command question's lines in a fresh copy of its scenario */
  | { t: 'quiz'; req: GradeRequest }
  /** build a drill attempt's start, or grade a state of it */
  | { t: 'drill'; req: ToGrader };

export type FromEngine = FromWorker | { t: 'quiz'; res: GradeResponse } | { t: 'drill'; res: FromGrader };
