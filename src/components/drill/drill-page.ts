// A drill page's script (src/components/Drill.astro): the attempt's values
// from the URL seed (instantiated in the engine worker, which holds the drill
// definitions and their checks: the page only renders their texts, issue 17),
// the lab's starting state from the grader worker, the
// terminal, the countdown, Check, background completion detection after each
// command, hints, the solution, and the result record.
import type { DrillView } from '../../labs/drills/schema';
import { freshSeed, parseSeed } from '../../labs/drills/rand';
import { clock, escapeHtml, inlineHtml, taskHtml } from '../../labs/drills/render';
import { outcomes, recordDrillResult, type DrillResult, type RequirementOutcome } from '../../labs/drills/records';
import type { Grade } from '../../labs/drills/runner';
import { browserStorage, updateProgress } from '../../labs/progress';
import type { SessionSnapshot } from '../../shell/session';
import { attemptStoreKey, hintsTaken, limitFromUrl, loadAttempt, remaining, saveAttempt, type AttemptState } from './attempt';
import { Grader } from './grader';
import { renderRequirements } from './reqs';
import { attemptKey, mountDrillTerminal, type DrillTerminal } from './terminal';

/** What e2e tests and curious learners can read from the element. */
export interface DrillHandle {
  drill: DrillView;
  attempt: AttemptState;
  /** grade the current state now (no record) */
  grade(): Promise<Grade>;
}

class NetlabDrill extends HTMLElement {
  private drill!: DrillView;
  private attempt!: AttemptState;
  private storeKey = '';
  private grader: Grader | null = null;
  private term: DrillTerminal | null = null;
  private tick: ReturnType<typeof setInterval> | null = null;
  /** background grading: one at a time, the latest state wins */
  private grading = false;
  private regrade = false;
  /** the last Check's grade, shown without reasons on a troubleshooting drill until Explain */
  private lastCheck: Grade | null = null;

  /** A troubleshooting drill: its checker's reasons may name the fault, so Check keeps them back. */
  private get troubleshooting(): boolean {
    return this.drill.def.domain === 'troubleshooting';
  }

  connectedCallback(): void {
    const id = this.dataset.drill ?? '';
    const minutes = Number(this.dataset.minutes);
    if (!id || !(minutes > 0)) return;
    const params = new URLSearchParams(location.search);
    let seed = parseSeed(params.get('seed'));
    if (seed === null) {
      seed = freshSeed();
      params.set('seed', String(seed));
      history.replaceState(history.state, '', `${location.pathname}?${params}${location.hash}`);
    }
    const budgetMs = limitFromUrl(params) ?? minutes * 60_000;
    this.storeKey = attemptStoreKey(id, seed, budgetMs);
    this.attempt = loadAttempt(this.storeKey, budgetMs);
    this.grader = new Grader();
    void this.boot(id, seed);
  }

  disconnectedCallback(): void {
    if (this.tick) clearInterval(this.tick);
    this.grader?.dispose();
    this.term?.client.dispose();
  }

  private $<T extends HTMLElement = HTMLElement>(sel: string): T {
    return this.querySelector<T>(sel)!;
  }

  private status(text: string): void {
    this.$('[data-status]').textContent = text;
  }

  private render(): void {
    const d = this.drill;
    this.$('[data-task]').innerHTML = taskHtml(d.task);
    const link = this.$<HTMLAnchorElement>('[data-seed-link]');
    link.textContent = String(d.seed);
    link.href = `${location.pathname}?seed=${d.seed}`;
    const again = this.$<HTMLAnchorElement>('[data-action="again"]');
    again.href = `${location.pathname}?seed=${freshSeed(d.seed)}`;
    again.addEventListener('click', () => {
      // a new seed at the moment of the click (the link's own is a fallback)
      again.href = `${location.pathname}?seed=${freshSeed(d.seed)}`;
    });
    this.$('[data-action="check"]').addEventListener('click', () => void this.check());
    this.$('[data-action="hint"]').addEventListener('click', () => this.hint());
    this.$('[data-action="solution"]').addEventListener('click', () => this.solution());
    this.$('[data-action="start"]').addEventListener('click', () => void this.start());
    this.$('[data-action="explain"]').addEventListener('click', () => this.explain());
    this.renderHints();
    if (this.attempt.solutionShown) this.renderSolution();
    this.updateClock();
    if (this.attempt.result) this.showResult(this.attempt.result);
  }

  private startState: SessionSnapshot | null = null;

  /**
   * Build the lab in the grader worker. The clock does not run yet: it starts
   * when the learner presses Start (a returning learner's attempt that had
   * started goes on at once, on its own clock).
   */
  private async boot(id: string, seed: number): Promise<void> {
    try {
      // the attempt's texts first (instantiating is quick), then the lab (building it is not)
      this.drill = await this.grader!.view(id, seed);
      this.render();
      (this as unknown as { netlabDrill: DrillHandle }).netlabDrill = {
        drill: this.drill,
        attempt: this.attempt,
        grade: () => this.gradeNow(),
      };
      this.startState = await this.grader!.start(id, seed);
    } catch (e) {
      this.status(`The lab could not start: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (this.attempt.startedAt === null && !this.attempt.result) {
      const b = this.$<HTMLButtonElement>('[data-action="start"]');
      b.hidden = false;
      b.disabled = false;
      this.status('The lab is ready. Read the task, then press Start: the clock starts then.');
      this.dataset.state = 'waiting';
      return;
    }
    await this.start();
  }

  private async start(): Promise<void> {
    if (this.term || !this.startState) return;
    const startBtn = this.$<HTMLButtonElement>('[data-action="start"]');
    startBtn.disabled = true;
    try {
      const el = this.$('netlab-terminal');
      this.term = await mountDrillTerminal(el, {
        key: attemptKey(location.pathname, `drill-${this.drill.seed}-${this.attempt.budgetMs}`),
        start: this.startState,
        label: `Terminal for the drill ${this.drill.def.title}`,
        onCommand: (snap) => void this.background(snap),
      });
    } catch (e) {
      this.status(`The lab could not start: ${e instanceof Error ? e.message : String(e)}`);
      startBtn.disabled = false;
      return;
    }
    startBtn.hidden = true;
    if (this.attempt.startedAt === null) {
      this.attempt.startedAt = Date.now();
      saveAttempt(this.storeKey, this.attempt);
    }
    for (const b of this.querySelectorAll<HTMLButtonElement>('button[data-action]:not([data-action="start"]):not([data-action="explain"])')) b.disabled = false;
    if (!this.attempt.result) this.liveFacts();
    this.updateHintButton();
    this.status(this.attempt.result ? 'This attempt has ended; the terminal stays open for practice.' : 'The lab is ready: the clock is running.');
    this.dataset.state = 'ready';
    if (!this.attempt.result) {
      this.tick = setInterval(() => this.updateClock(), 250);
      if (remaining(this.attempt, Date.now()) <= 0) void this.timeout();
    }
  }

  private updateClock(): void {
    const left = this.attempt.result ? this.attempt.budgetMs - this.attempt.result.timeUsedMs : remaining(this.attempt, Date.now());
    this.$('[data-timer]').textContent = clock(left);
    this.$('[data-timer-box]').toggleAttribute('data-low', left < 60_000);
    if (!this.attempt.result && this.attempt.startedAt !== null && left <= 0) void this.timeout();
  }

  private snapshot(): SessionSnapshot | null {
    return this.term?.snapshot() ?? null;
  }

  private async gradeNow(): Promise<Grade> {
    const snap = this.snapshot();
    if (!snap || !this.grader) throw new Error('the lab is not ready');
    return this.grader.grade(this.drill.def.id, this.drill.seed, snap);
  }

  /** The Result block while the attempt runs: time used so far is on the clock; commands and hints are counted live. */
  private liveFacts(): void {
    if (this.attempt.result) return;
    const box = this.$('[data-result]');
    box.hidden = false;
    this.$('[data-result-title]').textContent = 'So far';
    this.$('[data-fact="hints"]').textContent = this.hintsText(hintsTaken(this.attempt), this.attempt.solutionShown);
    this.$('[data-fact="commands"]').textContent = String(this.snapshot()?.history.length ?? 0);
  }

  private hintsText(n: number, solution: boolean): string {
    const of = this.drill.hints.length + (this.troubleshooting ? 1 : 0);
    return `${n} of ${of}${solution ? ', solution shown' : ''}`;
  }

  /** After each command: grade quietly; a solved drill ends by itself. */
  private async background(_snap: SessionSnapshot): Promise<void> {
    this.liveFacts();
    if (this.attempt.result) return;
    if (this.grading) {
      this.regrade = true;
      return;
    }
    this.grading = true;
    try {
      do {
        this.regrade = false;
        const g = await this.gradeNow().catch(() => null);
        if (this.attempt.result || !g) break;
        const met = g.results.filter((r) => r.pass).length;
        if (g.pass) {
          this.finish(g, false);
          break;
        }
        this.$('[data-status]').dataset.progress = `${met}/${g.results.length}`;
      } while (this.regrade);
    } finally {
      this.grading = false;
    }
  }

  private async check(): Promise<void> {
    const btn = this.$<HTMLButtonElement>('[data-action="check"]');
    btn.disabled = true;
    this.status('Checking…');
    try {
      const g = await this.gradeNow();
      if (g.pass && !this.attempt.result) {
        this.finish(g, false);
        return;
      }
      this.lastCheck = g;
      this.showRequirements(g);
      const met = g.results.filter((r) => r.pass).length;
      this.status(g.pass ? 'Every requirement is met.' : `${met} of ${g.results.length} requirements met. Keep going.`);
      const explain = this.$<HTMLButtonElement>('[data-action="explain"]');
      explain.hidden = !(this.troubleshooting && !g.pass && !this.attempt.explained && !this.attempt.result);
      explain.disabled = explain.hidden;
    } catch (e) {
      this.status(`The check failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      btn.disabled = false;
    }
  }

  private async timeout(): Promise<void> {
    if (this.attempt.result || this.dataset.ending) return;
    this.dataset.ending = '1';
    if (this.tick) clearInterval(this.tick);
    let g: Grade;
    try {
      g = await this.gradeNow();
    } catch {
      g = { pass: false, results: this.drill.requirements.map((r) => ({ id: r.id, text: r.text, pass: false, message: 'not checked: the lab was not ready' })) };
    }
    this.finish(g, true);
  }

  private finish(g: Grade, timedOut: boolean): void {
    if (this.attempt.result) return;
    if (this.tick) clearInterval(this.tick);
    const now = Date.now();
    const used = Math.min(this.attempt.budgetMs, now - (this.attempt.startedAt ?? now));
    const result: DrillResult = {
      drill: this.drill.def.id,
      seed: this.drill.seed,
      pass: g.pass,
      timedOut,
      timeUsedMs: used,
      timeBudgetMs: this.attempt.budgetMs,
      hintsUsed: hintsTaken(this.attempt),
      solutionShown: this.attempt.solutionShown,
      commands: this.snapshot()?.history.length ?? 0,
      requirements: outcomes(g),
      at: now,
    };
    this.attempt.result = result;
    saveAttempt(this.storeKey, this.attempt);
    updateProgress(browserStorage(), (p) => recordDrillResult(p, result));
    this.showResult(result);
    this.updateClock();
    this.status(
      result.pass
        ? `Solved in ${clock(result.timeUsedMs)}: every requirement is met.`
        : timedOut
          ? 'Time is up. The result below shows which requirements were met.'
          : 'The attempt has ended.',
    );
  }

  private showRequirements(g: Grade): void {
    const box = this.$('[data-result]');
    box.hidden = false;
    this.liveFacts();
    renderRequirements(this.$('[data-reqs]'), outcomes(g), !this.troubleshooting || this.attempt.explained);
  }

  /** Reveal the reasons of the failed requirements of a troubleshooting drill: they may name the fault, so it counts as a hint. */
  private explain(): void {
    if (this.attempt.explained || !this.lastCheck) return;
    this.attempt.explained = true;
    saveAttempt(this.storeKey, this.attempt);
    this.$('[data-action="explain"]').hidden = true;
    this.showRequirements(this.lastCheck);
  }

  private showResult(r: DrillResult): void {
    const box = this.$('[data-result]');
    box.hidden = false;
    box.dataset.pass = String(r.pass);
    this.dataset.result = r.pass ? 'pass' : 'fail';
    this.$('[data-result-title]').textContent = r.pass ? 'Passed' : r.timedOut ? 'Time is up: not passed' : 'Not passed';
    this.$('[data-fact="time"]').textContent = clock(r.timeUsedMs);
    this.$('[data-fact="hints"]').textContent = this.hintsText(r.hintsUsed, r.solutionShown);
    this.$('[data-fact="commands"]').textContent = String(r.commands);
    renderRequirements(this.$('[data-reqs]'), r.requirements);
  }

  private hint(): void {
    if (this.attempt.hints >= this.drill.hints.length) return;
    this.attempt.hints++;
    saveAttempt(this.storeKey, this.attempt);
    this.renderHints();
    this.updateHintButton();
    this.liveFacts();
    const last = this.querySelector<HTMLElement>('[data-hints] li:last-child');
    last?.focus();
  }

  private renderHints(): void {
    const n = this.attempt.hints;
    this.$('[data-hints-box]').hidden = n === 0;
    this.$('[data-hints]').innerHTML = this.drill.hints
      .slice(0, n)
      .map((h) => `<li tabindex="-1">${inlineHtml(h)}</li>`)
      .join('');
  }

  private updateHintButton(): void {
    const b = this.$<HTMLButtonElement>('[data-action="hint"]');
    const left = this.drill.hints.length - this.attempt.hints;
    b.textContent = left > 0 ? `Show a hint (${this.attempt.hints + 1} of ${this.drill.hints.length})` : 'No more hints';
    b.disabled = left <= 0 || !this.term;
  }

  private solution(): void {
    if (!this.attempt.solutionShown) {
      this.attempt.solutionShown = true;
      saveAttempt(this.storeKey, this.attempt);
    }
    this.renderSolution();
    this.liveFacts();
    this.$('[data-solution-box]').querySelector('pre')?.focus();
  }

  private renderSolution(): void {
    this.$('[data-solution-box]').hidden = false;
    this.$('[data-solution]').textContent = this.drill.solution.join('\n');
    this.$('[data-solution-box] pre').setAttribute('tabindex', '-1');
  }
}

if (!customElements.get('netlab-drill')) customElements.define('netlab-drill', NetlabDrill);
