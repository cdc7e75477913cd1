// The page's grading engine: one engine worker (./spawn.ts) shared by every
// grader of the page (quiz command questions, drills, exam tasks), so a page
// never starts a second engine to grade. Requests are answered in order.
import type { GradeRequest, GradeResponse } from '../quiz/grader-protocol';
import type { FromGrader, ToGrader } from '../drill/grader-protocol';
import type { FromEngine } from './protocol';
import { engineWorker, type EngineWorker } from './spawn';

let worker: EngineWorker | null = null;
const quiz = new Map<number, (r: GradeResponse) => void>();
const drill = new Map<number, (r: FromGrader) => void>();

/** Stop the grading engine (a runaway check): every waiting request fails with `error`. */
export function restartGraders(error: string): void {
  worker?.terminate();
  worker = null;
  for (const [id, resolve] of quiz) resolve({ id, ok: false, error });
  for (const [id, resolve] of drill) resolve({ t: 'error', id, message: error });
  quiz.clear();
  drill.clear();
}

function get(): EngineWorker {
  if (worker) return worker;
  const w = engineWorker('netlab-grader');
  w.onmessage = (ev: MessageEvent<FromEngine>) => {
    const m = ev.data;
    if (m.t === 'quiz') {
      const r = quiz.get(m.res.id);
      quiz.delete(m.res.id);
      r?.(m.res);
    } else if (m.t === 'drill') {
      const r = drill.get(m.res.id);
      drill.delete(m.res.id);
      r?.(m.res);
    }
  };
  w.onerror = (ev) => {
    ev.preventDefault();
    if (worker === w) restartGraders(ev.message || 'the grader stopped');
  };
  worker = w;
  return w;
}

export function askQuiz(req: GradeRequest): Promise<GradeResponse> {
  const w = get();
  return new Promise((resolve) => {
    quiz.set(req.id, resolve);
    w.postMessage({ t: 'quiz', req });
  });
}

export function askDrill(req: ToGrader): Promise<FromGrader> {
  const w = get();
  return new Promise((resolve) => {
    drill.set(req.id, resolve);
    w.postMessage({ t: 'drill', req });
  });
}

/** Forget a drill request's answer (its page is gone). */
export function dropDrill(id: number): void {
  drill.delete(id);
}
