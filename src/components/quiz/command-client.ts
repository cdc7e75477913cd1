// The page's side of the quiz grader worker.
import type { GradeRequest, GradeResponse } from './grader-protocol';

/** A check that takes longer than this is stopped (the worker is restarted). */
export const GRADE_TIMEOUT_MS = 20_000;

let worker: Worker | null = null;
let next = 1;
const waiting = new Map<number, { resolve: (r: GradeResponse) => void; timer: ReturnType<typeof setTimeout> }>();

function failAll(error: string): void {
  for (const [id, w] of waiting) {
    clearTimeout(w.timer);
    w.resolve({ id, ok: false, error });
  }
  waiting.clear();
}

function getWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./grader.worker.ts', import.meta.url), { type: 'module', name: 'netlab-quiz-grader' });
  w.onmessage = (ev: MessageEvent<GradeResponse>) => {
    const entry = waiting.get(ev.data.id);
    if (!entry) return;
    clearTimeout(entry.timer);
    waiting.delete(ev.data.id);
    entry.resolve(ev.data);
  };
  w.onerror = (ev) => {
    ev.preventDefault();
    w.terminate();
    if (worker === w) worker = null;
    failAll(ev.message || 'the grader stopped');
  };
  worker = w;
  return w;
}

/** Run a command question's lines in the grader and return its verdict. */
export function gradeCommand(chapter: string, question: string, input: string): Promise<GradeResponse> {
  const w = getWorker();
  const id = next++;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      // a runaway command: restart the worker, fail what was waiting
      w.terminate();
      if (worker === w) worker = null;
      failAll(`your commands were still running after ${GRADE_TIMEOUT_MS / 1000} seconds, so they were stopped`);
    }, GRADE_TIMEOUT_MS);
    waiting.set(id, { resolve, timer });
    const msg: GradeRequest = { id, chapter, question, input };
    w.postMessage(msg);
  });
}
