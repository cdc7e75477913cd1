// The quiz in the page: answering, checking, retrying, revealing, the
// chapter's score, and the learner's saved progress. Loaded lazily by
// ./boot.ts; command questions load the grader worker on their first check.
import { gradeAnswer, isEmptyAnswer } from '../../labs/quiz/grade';
import type { PublicBank, PublicQuestion } from '../../labs/quiz/public';
import type { Answer } from '../../labs/quiz/types';
import { PROGRESS_KEY, browserStorage, chapterScore, loadProgress, recordQuizAttempt, recordReveal, updateProgress, type Progress, type StorageLike } from '../../labs/progress';
import { escapeHtml, rich } from './rich';

/** Fired on window after the quiz saved progress (the Progress page listens). */
export const PROGRESS_EVENT = 'netlab:progress';

function shuffle<T>(xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

interface QuestionView {
  q: PublicQuestion;
  li: HTMLElement;
  form: HTMLFormElement;
  options: HTMLElement | null;
  input: HTMLInputElement | HTMLTextAreaElement | null;
  check: HTMLButtonElement;
  retry: HTMLButtonElement;
  reveal: HTMLButtonElement;
  feedback: HTMLElement;
  past: HTMLElement;
  details: HTMLDetailsElement;
  output: HTMLPreElement | null;
  busy: boolean;
}

class QuizRuntime {
  private bank: PublicBank;
  private views: QuestionView[] = [];
  private storage: StorageLike;
  private progress: Progress;
  private score: HTMLElement;

  constructor(private section: HTMLElement) {
    this.bank = JSON.parse(section.querySelector('script.quiz-data')!.textContent!) as PublicBank;
    this.storage = browserStorage();
    const { progress, notice } = loadProgress(this.storage);
    this.progress = progress;
    this.score = section.querySelector<HTMLElement>('.quiz-score')!;
    if (notice) {
      const n = section.querySelector<HTMLElement>('.quiz-notice')!;
      n.textContent = notice;
      n.hidden = false;
    }
    for (const li of section.querySelectorAll<HTMLElement>('li.quiz-q')) {
      const q = this.bank.questions.find((x) => x.id === li.dataset.qid);
      if (q) this.views.push(this.setup(q, li));
    }
    section.dataset.ready = '';
    this.renderScore();
    window.addEventListener('storage', (ev) => {
      if (ev.key !== PROGRESS_KEY && ev.key !== null) return;
      this.progress = loadProgress(this.storage).progress;
      this.renderScore();
    });
  }

  private get ids(): string[] {
    return this.bank.questions.map((q) => q.id);
  }

  private record(qid: string) {
    return this.progress.quizzes[this.bank.chapter]?.questions[qid];
  }

  private setup(q: PublicQuestion, li: HTMLElement): QuestionView {
    const v: QuestionView = {
      q,
      li,
      form: li.querySelector('form')!,
      options: li.querySelector('.quiz-options'),
      input: li.querySelector('input[type="text"], textarea'),
      check: li.querySelector('.quiz-check')!,
      retry: li.querySelector('.quiz-retry')!,
      reveal: li.querySelector('.quiz-reveal')!,
      feedback: li.querySelector('.quiz-feedback')!,
      past: li.querySelector('.quiz-past')!,
      details: li.querySelector('details.quiz-answer')!,
      output: li.querySelector('.quiz-term-output'),
      busy: false,
    };
    li.querySelector<HTMLElement>('.quiz-actions')!.hidden = false;
    this.shuffleOptions(v);
    const rec = this.record(q.id);
    if (rec) {
      if (rec.lastAnswer !== null) this.setAnswer(v, rec.lastAnswer);
      this.renderPast(v);
      if (rec.revealed) v.details.dataset.revealed = '';
    }
    v.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.onCheck(v);
    });
    v.retry.addEventListener('click', () => this.onRetry(v));
    v.reveal.addEventListener('click', () => this.onReveal(v));
    if (v.input instanceof HTMLTextAreaElement) {
      // Ctrl+Enter (or Cmd+Enter) runs, as in many consoles; Enter alone adds a line
      v.input.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
          ev.preventDefault();
          v.form.requestSubmit(v.check);
        }
      });
    }
    return v;
  }

  private shuffleOptions(v: QuestionView): void {
    if (!v.options) return;
    const items = Array.from(v.options.children) as HTMLElement[];
    for (const el of shuffle(items)) v.options.appendChild(el);
  }

  private getAnswer(v: QuestionView): Answer {
    const q = v.q;
    if (q.kind === 'single') return v.options?.querySelector<HTMLInputElement>('input:checked')?.value ?? '';
    if (q.kind === 'multiple') {
      const picked = Array.from(v.options?.querySelectorAll<HTMLInputElement>('input:checked') ?? []).map((i) => i.value);
      // keep the authored order, so the stored answer does not depend on the shuffle
      return q.options.map((o) => o.id).filter((id) => picked.includes(id));
    }
    return v.input?.value ?? '';
  }

  private setAnswer(v: QuestionView, answer: Answer): void {
    if (v.options) {
      const picked = new Set(Array.isArray(answer) ? answer : [answer]);
      for (const i of v.options.querySelectorAll<HTMLInputElement>('input')) i.checked = picked.has(i.value);
    } else if (v.input) {
      v.input.value = Array.isArray(answer) ? answer.join('\n') : answer;
    }
  }

  private save(fn: (p: Progress) => void): void {
    this.progress = updateProgress(this.storage, fn);
    this.renderScore();
    window.dispatchEvent(new CustomEvent(PROGRESS_EVENT, { detail: { chapter: this.bank.chapter } }));
  }

  private renderScore(): void {
    const { score, answered, total } = chapterScore(this.progress, this.bank.chapter, this.ids);
    this.score.hidden = false;
    this.score.textContent =
      answered === 0 ? `Score: 0 of ${total} (not started)` : `Score: ${score} of ${total} right` + (answered < total ? `, ${total - answered} not tried yet` : '');
    this.section.dataset.score = String(score);
  }

  private renderPast(v: QuestionView): void {
    const rec = this.record(v.q.id);
    if (!rec || (rec.attempts === 0 && !rec.revealed)) {
      v.past.textContent = '';
      return;
    }
    const parts: string[] = [];
    if (rec.attempts > 0) parts.push(`Your last answer was ${rec.correct ? 'right' : 'not right'} (${rec.attempts} attempt${rec.attempts === 1 ? '' : 's'})`);
    if (rec.revealed) parts.push('you revealed the answer');
    const s = parts.join('; ');
    v.past.textContent = s.charAt(0).toUpperCase() + s.slice(1) + '.';
  }

  private showFeedback(v: QuestionView, result: 'right' | 'wrong' | 'info', html: string, focus = true): void {
    v.feedback.dataset.result = result;
    v.feedback.innerHTML = html;
    if (focus) v.feedback.focus();
  }

  private verdictHtml(correct: boolean): string {
    return correct ? '<span class="quiz-verdict">✓ Right.</span>' : '<span class="quiz-verdict">✗ Not quite.</span>';
  }

  private async onCheck(v: QuestionView): Promise<void> {
    if (v.busy) return;
    const answer = this.getAnswer(v);
    if (isEmptyAnswer(v.q, answer)) {
      const what = v.q.kind === 'single' || v.q.kind === 'multiple' ? 'Choose an answer first.' : v.q.kind === 'command' ? 'Type at least one command first.' : 'Type an answer first.';
      this.showFeedback(v, 'info', escapeHtml(what));
      return;
    }
    let correct: boolean;
    let feedback: string | null;
    if (v.q.kind === 'command') {
      v.busy = true;
      v.check.disabled = true;
      v.li.setAttribute('aria-busy', 'true');
      this.showFeedback(v, 'info', 'Running your commands in a fresh copy of the lab…', false);
      try {
        const { gradeCommand } = await import('./command-client');
        const r = await gradeCommand(this.bank.chapter, v.q.id, String(answer));
        if (!r.ok) {
          this.showFeedback(v, 'info', escapeHtml(`The check did not complete: ${r.error}. Try again.`));
          return;
        }
        this.renderOutput(v, r.runs);
        correct = r.correct;
        feedback = r.feedback;
      } catch (e) {
        this.showFeedback(v, 'info', escapeHtml(`The grader could not be loaded (${e instanceof Error ? e.message : String(e)}). Check your connection and try again.`));
        return;
      } finally {
        v.busy = false;
        v.check.disabled = false;
        v.li.removeAttribute('aria-busy');
      }
    } else {
      const g = gradeAnswer(v.q, answer);
      correct = g.correct;
      feedback = g.feedback;
    }
    const total = this.bank.questions.length;
    this.save((p) => recordQuizAttempt(p, { chapter: this.bank.chapter, question: v.q.id, correct, answer, total, now: Date.now() }));
    let html = `<p>${this.verdictHtml(correct)}${feedback ? ' ' + rich(feedback) : ''}</p>`;
    if (correct) html += `<p>${rich(v.q.explanation)}</p>`;
    else html += '<p>Change your answer and check again, press Try again to start over, or reveal the answer.</p>';
    this.showFeedback(v, correct ? 'right' : 'wrong', html);
    v.retry.hidden = false;
    this.renderPast(v);
  }

  private renderOutput(v: QuestionView, runs: { line: string; output: string; exitCode: number }[]): void {
    if (!v.output) return;
    const prompt = v.li.querySelector('.quiz-term-prompt')?.textContent?.trim() ?? '#';
    v.output.textContent = runs.map((r) => `${prompt} ${r.line}\n${r.output}`).join('');
    v.output.hidden = false;
  }

  private onRetry(v: QuestionView): void {
    if (v.options) for (const i of v.options.querySelectorAll<HTMLInputElement>('input')) i.checked = false;
    if (v.input) v.input.value = '';
    if (v.output) {
      v.output.textContent = '';
      v.output.hidden = true;
    }
    this.shuffleOptions(v);
    v.feedback.textContent = '';
    delete v.feedback.dataset.result;
    v.retry.hidden = true;
    const first = v.options?.querySelector<HTMLInputElement>('input') ?? v.input;
    first?.focus();
  }

  private onReveal(v: QuestionView): void {
    v.details.dataset.revealed = '';
    v.details.open = true;
    this.save((p) => recordReveal(p, this.bank.chapter, v.q.id, this.bank.questions.length, Date.now()));
    this.renderPast(v);
    v.details.querySelector('summary')?.focus();
  }
}

export function mount(section: HTMLElement): void {
  if (section.dataset.ready !== undefined) return;
  new QuizRuntime(section);
}
