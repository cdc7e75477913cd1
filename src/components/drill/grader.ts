// The page's side of the grader worker: promises over its messages.
import type { SessionSnapshot } from '../../shell/session';
import type { Grade } from '../../labs/drills/runner';
import type { FromGrader, ToGrader } from './grader-protocol';
import type { ExamContext } from '../../labs/drills/schema';

type Waiter = { resolve: (m: FromGrader) => void };

export class Grader {
  private worker: Worker;
  private next = 1;
  private waiting = new Map<number, Waiter>();

  constructor() {
    this.worker = new Worker(new URL('./grader-worker.ts', import.meta.url), { type: 'module', name: 'netlab-grader' });
    this.worker.onmessage = (ev: MessageEvent<FromGrader>) => {
      const w = this.waiting.get(ev.data.id);
      this.waiting.delete(ev.data.id);
      w?.resolve(ev.data);
    };
    this.worker.onerror = (ev) => {
      ev.preventDefault();
      for (const [id, w] of this.waiting) w.resolve({ t: 'error', id, message: ev.message || 'the grader stopped' });
      this.waiting.clear();
    };
  }

  private ask(msg: ToGrader): Promise<FromGrader> {
    return new Promise((resolve) => {
      this.waiting.set(msg.id, { resolve });
      this.worker.postMessage(msg);
    });
  }

  /** The starting state of an attempt (scenario + the drill's setup). */
  async start(drill: string, seed: number, exam?: ExamContext): Promise<SessionSnapshot> {
    const r = await this.ask({ t: 'start', id: this.next++, drill, seed, ...(exam ? { exam } : {}) });
    if (r.t === 'started') return r.start;
    throw new Error(r.t === 'error' ? r.message : 'unexpected answer from the grader');
  }

  async grade(drill: string, seed: number, snapshot: SessionSnapshot, exam?: ExamContext): Promise<Grade> {
    const r = await this.ask({ t: 'grade', id: this.next++, drill, seed, snapshot, ...(exam ? { exam } : {}) });
    if (r.t === 'graded') return r.grade;
    throw new Error(r.t === 'error' ? r.message : 'unexpected answer from the grader');
  }

  dispose(): void {
    this.worker.terminate();
  }
}
