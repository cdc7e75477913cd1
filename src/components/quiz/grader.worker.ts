// The quiz's grader, run in the engine worker (src/components/engine/engine-worker.ts,
// a chunk loaded on the first check) so that the page stays responsive while
// the learner's commands run: a fresh headless Session of the question's
// scenario per check (src/labs/quiz/command.ts). Loaded on the first check of
// a command question, never with the page.
import { runCommandCheck } from '../../labs/quiz/command';
import { rawBank } from '../../labs/quiz/banks/all';
import type { GradeRequest, GradeResponse } from './grader-protocol';

export async function handle(msg: GradeRequest): Promise<GradeResponse> {
  try {
    const q = rawBank(msg.chapter)?.questions.find((x) => x.id === msg.question);
    if (!q || q.kind !== 'command') return { id: msg.id, ok: false, error: `no command question ${msg.chapter}/${msg.question}` };
    const g = await runCommandCheck(q, msg.input);
    return { id: msg.id, ok: true, correct: g.correct, feedback: g.feedback, runs: g.runs };
  } catch (e) {
    return { id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
