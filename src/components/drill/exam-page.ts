// Exam mode's script (src/components/DrillExam.astro).
//
// URL: /drills/exam/?tasks=ID,ID,...&minutes=M&seed=S[&title=...]
// The plan (drills, each task's seed, the time limit) follows from the URL,
// so an exam can be shared and repeated. The attempt (start time, flags,
// current task, final report) is kept in localStorage per plan; each task's
// terminal keeps its own state (src/components/drill/terminal.ts).
import type { DrillView, ExamContext } from '../../labs/drills/schema';
import { freshSeed, parseSeed } from '../../labs/drills/rand';
import { clock, escapeHtml, taskHtml } from '../../labs/drills/render';
import { examResultSchema } from '../../labs/drills/record-schema';
import { examScore, PASS_MARK, planExamOf, randomSelectionOf, taskPoints, type ExamDrill, type ExamPlan } from '../../labs/drills/exam-plan';
import { examResults, outcomes, recordExam, type ExamResult, type ExamTaskResult } from '../../labs/drills/records';
import type { Grade } from '../../labs/drills/runner';
import { browserStorage, loadProgress, updateProgress } from '../../labs/progress';
import type { SessionSnapshot } from '../../shell/session';
import { renderRequirements } from './reqs';
import { Grader } from './grader';
import { attemptKey, mountDrillTerminal, savedAttemptSnapshot, type DrillTerminal } from './terminal';

interface ExamAttempt {
  v: 1;
  startedAt: number | null;
  flagged: number[];
  current: number;
  result: ExamResult | null;
}

const EXAM_PREFIX = 'netlab:exam:v1:';

function store(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function loadExam(key: string): ExamAttempt {
  const fresh: ExamAttempt = { v: 1, startedAt: null, flagged: [], current: 0, result: null };
  try {
    const raw = store()?.getItem(key);
    if (!raw) return fresh;
    const a = JSON.parse(raw) as Partial<ExamAttempt>;
    if (a.v !== 1) return fresh;
    return {
      v: 1,
      startedAt: typeof a.startedAt === 'number' ? a.startedAt : null,
      flagged: Array.isArray(a.flagged) ? a.flagged.filter((x): x is number => typeof x === 'number') : [],
      current: typeof a.current === 'number' ? a.current : 0,
      // a stored result is shown as the report: it must have the report's shape (record-schema.ts)
      result: examResultSchema.safeParse(a.result).success ? (a.result as ExamResult) : null,
    };
  } catch {
    return fresh;
  }
}

function saveExam(key: string, a: ExamAttempt): void {
  try {
    store()?.setItem(key, JSON.stringify(a));
  } catch {
    /* unsaved */
  }
}

/** The URL of an exam over these drills. */
export function examUrl(ids: string[], minutes: number, seed: number, title?: string): string {
  const q = new URLSearchParams({ tasks: ids.join(','), minutes: String(minutes), seed: String(seed) });
  if (title) q.set('title', title);
  return `${location.pathname}?${q}`;
}

interface TaskView {
  /** the task's texts, instantiated in the engine worker (the page holds no drill definition) */
  drill: DrillView;
  exam: ExamContext | undefined;
  term: DrillTerminal | null;
  mounting: Promise<DrillTerminal> | null;
  start: SessionSnapshot | null;
}

class NetlabExam extends HTMLElement {
  private plan!: ExamPlan<ExamDrill>;
  /** the drills an exam can hold (the page's data-catalogue, written at build time from the catalogue) */
  private catalogue: ExamDrill[] = [];
  private attempt!: ExamAttempt;
  private key = '';
  private tasks: TaskView[] = [];
  private grader: Grader | null = null;
  private tick: ReturnType<typeof setInterval> | null = null;
  private ending = false;

  connectedCallback(): void {
    this.catalogue = JSON.parse(this.dataset.catalogue ?? '[]') as ExamDrill[];
    const drills = this.catalogue;
    const params = new URLSearchParams(location.search);
    const ids = (params.get('tasks') ?? '').split(',').filter(Boolean);
    if (ids.length === 0) {
      this.setup();
      return;
    }
    const known = new Set(drills.map((d) => d.id));
    const minutes = Number(params.get('minutes'));
    const seed = parseSeed(params.get('seed'));
    if (!ids.every((id) => known.has(id)) || new Set(ids).size !== ids.length || !(minutes >= 1 && minutes <= 240) || seed === null) {
      this.setup('This exam link is not valid (unknown or repeated drills, or a bad time limit or seed). Choose an exam below.');
      return;
    }
    this.plan = planExamOf(this.catalogue, ids, minutes, seed, params.get('title') ?? 'Custom exam');
    this.key = EXAM_PREFIX + this.plan.id;
    this.attempt = loadExam(this.key);
    if (this.attempt.result) {
      this.report(this.attempt.result);
      return;
    }
    void this.run();
  }

  disconnectedCallback(): void {
    if (this.tick) clearInterval(this.tick);
    this.grader?.dispose();
    for (const t of this.tasks) t.term?.client.dispose();
  }

  private $<T extends HTMLElement = HTMLElement>(sel: string): T {
    return this.querySelector<T>(sel)!;
  }

  // ---------------------------------------------------------------- setup

  private setup(error?: string): void {
    this.$('[data-setup]').hidden = false;
    if (error) this.$('[data-form-error]').textContent = error;
    for (const b of this.querySelectorAll<HTMLButtonElement>('[data-preset]')) {
      b.addEventListener('click', () => {
        location.href = examUrl(b.dataset.drills!.split(','), Number(b.dataset.minutes), freshSeed(), b.textContent?.replace(/^Start /, '').trim());
      });
    }
    const form = this.$<HTMLFormElement>('[data-form]');
    const boxes = () => Array.from(form.querySelectorAll<HTMLInputElement>('input[name="drill"]'));
    const minutesInput = form.querySelector<HTMLInputElement>('input[name="minutes"]')!;
    const suggest = () => {
      const total = boxes()
        .filter((b) => b.checked)
        .reduce((s, b) => s + Number(b.dataset.minutes), 0);
      if (total > 0) minutesInput.value = String(Math.min(240, total));
    };
    for (const b of boxes()) b.addEventListener('change', suggest);
    this.$('[data-action="random"]').addEventListener('click', () => {
      const n = Math.max(1, Math.min(this.catalogue.length, Number(form.querySelector<HTMLInputElement>('input[name="count"]')!.value) || 8));
      const pick = new Set(randomSelectionOf(this.catalogue, n, freshSeed()).ids);
      for (const b of boxes()) b.checked = pick.has(b.value);
      suggest();
    });
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const ids = boxes()
        .filter((b) => b.checked)
        .map((b) => b.value);
      const minutes = Number(minutesInput.value);
      if (ids.length === 0) {
        this.$('[data-form-error]').textContent = 'Choose at least one task (or press "Pick at random").';
        return;
      }
      if (!(minutes >= 1 && minutes <= 240)) {
        this.$('[data-form-error]').textContent = 'The time limit must be between 1 and 240 minutes.';
        return;
      }
      location.href = examUrl(ids, minutes, freshSeed());
    });
    const past = examResults(loadProgress(browserStorage()).progress);
    if (past.length) {
      this.$('[data-past]').outerHTML = `<ul data-past>${past
        .slice(0, 10)
        .map((e) => `<li>${escapeHtml(new Date(e.at).toLocaleString())}: ${escapeHtml(e.title)}, ${e.tasks.length} tasks, <strong>${escapeHtml(String(e.score))}/100</strong> (${e.passed ? 'passed' : 'not passed'})</li>`)
        .join('')}</ul>`;
    }
  }

  // ---------------------------------------------------------------- running

  private async run(): Promise<void> {
    this.$('[data-setup]').hidden = true;
    this.grader = new Grader();
    try {
      // every task's texts, from the engine worker (quick: no lab is built for this)
      const views = await Promise.all(this.plan.tasks.map((t) => this.grader!.view(t.def.id, t.seed, t.exam)));
      this.tasks = this.plan.tasks.map((t, i) => ({ drill: views[i]!, exam: t.exam, term: null, mounting: null, start: null }));
    } catch (e) {
      this.setup(`The exam could not start: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    this.$('[data-run]').hidden = false;
    this.$('[data-exam-title]').textContent = `${this.plan.title}: ${this.tasks.length} task${this.tasks.length === 1 ? '' : 's'}, ${this.plan.minutes} minutes`;
    const nav = this.$('[data-nav]');
    nav.innerHTML = this.tasks
      .map((t, i) => `<li><button type="button" data-goto="${i}">Task ${i + 1}<span class="sr-only">: ${escapeHtml(t.drill.def.title)}</span></button></li>`)
      .join('');
    for (const b of nav.querySelectorAll<HTMLButtonElement>('[data-goto]')) b.addEventListener('click', () => void this.show(Number(b.dataset.goto)));
    this.$('[data-action="prev"]').addEventListener('click', () => void this.show(this.attempt.current - 1));
    this.$('[data-action="next"]').addEventListener('click', () => void this.show(this.attempt.current + 1));
    this.$('[data-action="flag"]').addEventListener('click', () => this.toggleFlag());
    this.$('[data-action="end"]').addEventListener('click', () => {
      const unflag = this.attempt.flagged.length ? ` ${this.attempt.flagged.length} task(s) are flagged for review.` : '';
      if (confirm(`End the exam now and grade every task?${unflag}`)) void this.end(false);
    });
    await this.show(Math.min(Math.max(0, this.attempt.current), this.tasks.length - 1));
    if (this.attempt.startedAt === null) {
      this.attempt.startedAt = Date.now();
      saveExam(this.key, this.attempt);
    }
    this.dataset.state = 'running';
    this.tick = setInterval(() => this.updateClock(), 250);
    this.updateClock();
  }

  private left(): number {
    if (this.attempt.startedAt === null) return this.plan.minutes * 60_000;
    return this.plan.minutes * 60_000 - (Date.now() - this.attempt.startedAt);
  }

  private updateClock(): void {
    const left = this.left();
    this.$('[data-timer]').textContent = clock(left);
    this.$('[data-timer-box]').toggleAttribute('data-low', left < 5 * 60_000);
    if (left <= 0 && this.attempt.startedAt !== null) void this.end(true);
  }

  private async startOf(i: number): Promise<SessionSnapshot> {
    const t = this.tasks[i]!;
    t.start ??= await this.grader!.start(t.drill.def.id, t.drill.seed, t.exam);
    return t.start;
  }

  /** Where task i's terminal state is saved (the same key before and after a reload). */
  private taskKey(i: number): string {
    return attemptKey(location.pathname, `${this.plan.id}#${i}`);
  }

  private mount(i: number): Promise<DrillTerminal> {
    const t = this.tasks[i]!;
    t.mounting ??= (async () => {
      const start = await this.startOf(i);
      const slot = this.$(`[data-slot="${i}"]`);
      const el = slot.querySelector<HTMLElement>('netlab-terminal')!;
      const title = el.querySelector('.nt-title');
      if (title) title.textContent = start.host;
      t.term = await mountDrillTerminal(el, {
        key: this.taskKey(i),
        start,
        label: `Terminal for task ${i + 1} of the exam`,
      });
      return t.term;
    })();
    return t.mounting;
  }

  private async show(i: number): Promise<void> {
    if (i < 0 || i >= this.tasks.length) return;
    this.attempt.current = i;
    saveExam(this.key, this.attempt);
    const t = this.tasks[i]!;
    this.$('[data-task-title]').textContent = `Task ${i + 1} of ${this.tasks.length}: ${t.drill.def.title}`;
    this.$('[data-task-meta]').textContent = `Weight ${t.drill.def.weight} · suggested ${t.drill.def.minutes} min`;
    this.$('[data-task]').innerHTML = taskHtml(t.drill.task);
    for (const b of this.querySelectorAll<HTMLButtonElement>('[data-goto]')) {
      const j = Number(b.dataset.goto);
      if (j === i) b.setAttribute('aria-current', 'step');
      else b.removeAttribute('aria-current');
      b.toggleAttribute('data-flagged', this.attempt.flagged.includes(j));
    }
    const flag = this.$('[data-action="flag"]');
    flag.setAttribute('aria-pressed', String(this.attempt.flagged.includes(i)));
    this.$<HTMLButtonElement>('[data-action="prev"]').disabled = i === 0;
    this.$<HTMLButtonElement>('[data-action="next"]').disabled = i === this.tasks.length - 1;
    for (const s of this.querySelectorAll<HTMLElement>('[data-slot]')) s.hidden = Number(s.dataset.slot) !== i;
    this.$('[data-status]').textContent = t.term ? '' : 'Preparing this task’s lab…';
    try {
      await this.mount(i);
      if (this.attempt.current === i) this.$('[data-status]').textContent = '';
    } catch (e) {
      this.$('[data-status]').textContent = `This task's lab could not start: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private toggleFlag(): void {
    const i = this.attempt.current;
    const f = new Set(this.attempt.flagged);
    if (f.has(i)) f.delete(i);
    else f.add(i);
    this.attempt.flagged = [...f].sort((a, b) => a - b);
    saveExam(this.key, this.attempt);
    this.$('[data-action="flag"]').setAttribute('aria-pressed', String(f.has(i)));
    this.querySelector(`[data-goto="${i}"]`)?.toggleAttribute('data-flagged', f.has(i));
  }

  // ---------------------------------------------------------------- grading

  private async end(timedOut: boolean): Promise<void> {
    if (this.ending || this.attempt.result) return;
    this.ending = true;
    if (this.tick) clearInterval(this.tick);
    this.$('[data-status]').textContent = timedOut ? 'Time is up: grading every task…' : 'Grading every task…';
    for (const b of this.querySelectorAll<HTMLButtonElement>('[data-run] button')) b.disabled = true;
    const used = Math.min(this.plan.minutes * 60_000, Date.now() - (this.attempt.startedAt ?? Date.now()));
    const results: ExamTaskResult[] = [];
    for (const [i, t] of this.tasks.entries()) {
      const fail = (message: string): Grade => ({ pass: false, results: t.drill.requirements.map((r) => ({ id: r.id, text: r.text, pass: false, message })) });
      let end: Grade;
      let start: Grade | undefined;
      try {
        const startSnap = await this.startOf(i);
        // a task whose terminal is not mounted since a reload is graded from its saved state (issue 19 item 2)
        const snap = t.term?.snapshot() ?? savedAttemptSnapshot(this.taskKey(i), startSnap.scenario) ?? startSnap;
        end = await this.grader!.grade(t.drill.def.id, t.drill.seed, snap, t.exam);
        start = await this.grader!.grade(t.drill.def.id, t.drill.seed, startSnap, t.exam);
      } catch (e) {
        end = fail(`not graded: ${e instanceof Error ? e.message : String(e)}`);
      }
      results.push({
        drill: t.drill.def.id,
        title: t.drill.def.title,
        seed: t.drill.seed,
        weight: t.drill.def.weight,
        points: taskPoints(t.drill.def.weight, end, start),
        pass: end.pass,
        flagged: this.attempt.flagged.includes(i),
        requirements: outcomes(end),
        solution: t.drill.solution,
        task: t.drill.task,
      });
    }
    const score = examScore(results);
    const now = Date.now();
    const result: ExamResult = {
      id: `${this.plan.id}@${this.attempt.startedAt ?? now}`,
      title: this.plan.title,
      seed: this.plan.seed,
      minutes: this.plan.minutes,
      score,
      passMark: PASS_MARK,
      passed: score >= PASS_MARK,
      timedOut,
      timeUsedMs: used,
      tasks: results,
      at: now,
      updatedAt: now,
    };
    this.attempt.result = result;
    saveExam(this.key, this.attempt);
    updateProgress(browserStorage(), (p) => recordExam(p, result));
    for (const t of this.tasks) t.term?.client.dispose();
    this.report(result);
  }

  private report(r: ExamResult): void {
    this.$('[data-run]').hidden = true;
    this.$('[data-setup]').hidden = true;
    const box = this.$('[data-report]');
    box.hidden = false;
    this.dataset.state = 'report';
    const score = this.$('[data-score]');
    score.textContent = `Score: ${r.score}/100, ${r.passed ? 'passed' : 'not passed'} (pass mark ${r.passMark})`;
    score.dataset.passed = String(r.passed);
    this.$('[data-report-facts]').textContent = `${r.title}, ${r.tasks.length} task${r.tasks.length === 1 ? '' : 's'}: ${r.timedOut ? 'ended when the time ran out' : `ended after ${clock(r.timeUsedMs)}`} of ${r.minutes} minutes.`;
    const list = this.$('[data-report-tasks]');
    list.innerHTML = r.tasks
      .map(
        (t, i) => `<li data-task-result="${i}" data-pass="${t.pass}">
  <h3>Task ${i + 1}: ${escapeHtml(t.title)}${t.flagged ? ' <span title="flagged for review">⚑</span>' : ''}</h3>
  <p><strong>${escapeHtml(fmt(t.points))} of ${escapeHtml(String(t.weight))} points</strong> · ${t.pass ? 'passed' : 'not passed'}</p>
  <details><summary>The task</summary><div class="drill-task">${taskHtml(t.task)}</div></details>
  <ul class="drill-reqs" data-reqs></ul>
  <details><summary>Reference solution</summary><pre><code>${escapeHtml(t.solution.join('\n'))}</code></pre></details>
</li>`,
      )
      .join('');
    r.tasks.forEach((t, i) => renderRequirements(list.querySelector<HTMLElement>(`[data-task-result="${i}"] [data-reqs]`)!, t.requirements));
    const again = this.$<HTMLAnchorElement>('[data-action="again"]');
    again.href = examUrl(
      r.tasks.map((t) => t.drill),
      r.minutes,
      freshSeed(r.seed),
      r.title === 'Custom exam' ? undefined : r.title,
    );
    box.focus();
  }
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

if (!customElements.get('netlab-exam')) customElements.define('netlab-exam', NetlabExam);
