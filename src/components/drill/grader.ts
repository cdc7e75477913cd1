// The page's side of the drill grader: promises over the page's grading
// engine (src/components/engine/graders.ts), shared with the quiz's checks.
import type { SessionSnapshot } from '../../shell/session';
import type { Grade } from '../../labs/drills/runner';
import type { FromGrader, ToGrader } from './grader-protocol';
import type { DrillView, ExamContext } from '../../labs/drills/schema';
import { askDrill, dropDrill } from '../engine/graders';

let next = 1;

export class Grader {
  private open = new Set<number>();

  private async ask(msg: ToGrader): Promise<FromGrader> {
    this.open.add(msg.id);
    try {
      return await askDrill(msg);
    } finally {
      this.open.delete(msg.id);
    }
  }

  /** What the page shows of an attempt: its task, requirements, hints and solution (instantiated in the worker). */
  async view(drill: string, seed: number, exam?: ExamContext): Promise<DrillView> {
    const r = await this.ask({ t: 'view', id: next++, drill, seed, ...(exam ? { exam } : {}) });
    if (r.t === 'viewed') return r.view;
    throw new Error(r.t === 'error' ? r.message : 'unexpected answer from the grader');
  }

  /** The starting state of an attempt (scenario + the drill's setup). */
  async start(drill: string, seed: number, exam?: ExamContext): Promise<SessionSnapshot> {
    const r = await this.ask({ t: 'start', id: next++, drill, seed, ...(exam ? { exam } : {}) });
    if (r.t === 'started') return r.start;
    throw new Error(r.t === 'error' ? r.message : 'unexpected answer from the grader');
  }

  async grade(drill: string, seed: number, snapshot: SessionSnapshot, exam?: ExamContext): Promise<Grade> {
    const r = await this.ask({ t: 'grade', id: next++, drill, seed, snapshot, ...(exam ? { exam } : {}) });
    if (r.t === 'graded') return r.grade;
    throw new Error(r.t === 'error' ? r.message : 'unexpected answer from the grader');
  }

  /** The page is done with this grader: its pending answers are dropped (the engine stays for the page's other graders). */
  dispose(): void {
    for (const id of this.open) dropDrill(id);
    this.open.clear();
  }
}
