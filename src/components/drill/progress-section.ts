// Fills the Progress page's drills and exams section (src/components/DrillProgress.astro).
import { browserStorage, loadProgress, type Progress } from '../../labs/progress';
import { drillRecord, examResults } from '../../labs/drills/records';
import { clock, escapeHtml } from '../../labs/drills/render';

export function render(progress: Progress): void {
  let tried = 0;
  let passed = 0;
  for (const row of document.querySelectorAll<HTMLElement>('[data-dp-drill]')) {
    const rec = drillRecord(progress, row.dataset.dpDrill!);
    const set = (sel: string, text: string) => {
      const c = row.querySelector(sel);
      if (c) c.textContent = text;
    };
    set('.dp-attempts', String(rec?.attempts ?? 0));
    set('.dp-passes', String(rec?.passes ?? 0));
    set('.dp-best', rec?.best ? `${clock(rec.best.timeUsedMs)}, ${rec.best.hintsUsed} hint${rec.best.hintsUsed === 1 ? '' : 's'}` : rec?.attempts ? 'not passed yet' : 'not tried');
    if (rec?.attempts) tried++;
    if (rec?.passes) passed++;
  }
  const total = document.querySelectorAll('[data-dp-drill]').length;
  const summary = document.querySelector('.dp-summary');
  if (summary) summary.textContent = `You have tried ${tried} of ${total} drills and passed ${passed}.`;
  const exams = examResults(progress);
  const box = document.querySelector('[data-dp-exams]');
  if (box && exams.length) {
    box.innerHTML = `<ol class="dp-exam-list">${exams
      .map(
        (e) => `<li data-dp-exam="${escapeHtml(e.id)}"><strong>${escapeHtml(String(e.score))}/100</strong> (${e.passed ? 'passed' : 'not passed'}): ${escapeHtml(e.title)}, ${e.tasks.length} task${e.tasks.length === 1 ? '' : 's'}, ${escapeHtml(new Date(e.at).toLocaleString())}
<details><summary>Tasks</summary><ul>${e.tasks.map((t) => `<li>${escapeHtml(t.title)}: ${escapeHtml(Number.isInteger(t.points) ? String(t.points) : t.points.toFixed(1))} of ${escapeHtml(String(t.weight))} points${t.pass ? '' : ' (not passed)'}</li>`).join('')}</ul></details></li>`,
      )
      .join('')}</ol>`;
  } else if (box) {
    box.innerHTML = `<p>No exam taken yet. <a href="${import.meta.env.BASE_URL.replace(/\/?$/, '/')}drills/exam/">Take one</a>.</p>`;
  }
}

render(loadProgress(browserStorage()).progress);
// the quiz part re-renders after an import or a reset, and tells the page
document.addEventListener('netlab:progress-rendered', (ev) => render((ev as CustomEvent<Progress>).detail));
