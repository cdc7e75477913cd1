// The Progress page in the browser: fills the quiz table from the saved
// progress, and exports, imports (validated, merged) and resets it.
import {
  BACKUP_KEY,
  PROGRESS_KEY,
  browserStorage,
  chapterScore,
  emptyProgress,
  exportProgress,
  importProgress,
  loadProgress,
  saveProgress,
  type Progress,
} from '../../labs/progress';

const storage = browserStorage();

function render(progress: Progress): void {
  let right = 0;
  let total = 0;
  let started = 0;
  for (const row of document.querySelectorAll<HTMLTableRowElement>('.quiz-progress tr[data-chapter]')) {
    const ids = (row.dataset.ids ?? '').split(' ').filter(Boolean);
    const s = chapterScore(progress, row.dataset.chapter!, ids);
    row.querySelector('.qp-right')!.textContent = String(s.score);
    row.querySelector('.qp-tried')!.textContent = String(s.answered);
    const status = s.answered === 0 ? 'Not started' : s.score === s.total ? 'All right' : s.answered === s.total ? 'All tried' : 'In progress';
    row.querySelector('.qp-status')!.textContent = status;
    row.dataset.score = String(s.score);
    right += s.score;
    total += s.total;
    if (s.answered > 0) started++;
  }
  const summary = document.querySelector('.quiz-progress .qp-summary');
  if (summary) summary.textContent = started === 0 ? `No quiz answered yet: ${total} questions are waiting.` : `${right} of ${total} questions right, in ${started} chapter${started === 1 ? '' : 's'} started.`;
  document.dispatchEvent(new CustomEvent('netlab:progress-rendered', { detail: progress }));
}

function status(text: string): void {
  const el = document.querySelector('.progress-io .progress-status');
  if (el) el.textContent = text;
}

function init(): void {
  const { progress, notice } = loadProgress(storage);
  render(progress);
  if (notice) status(notice);

  document.querySelector('.progress-export')?.addEventListener('click', () => {
    const text = exportProgress(loadProgress(storage).progress);
    const blob = new Blob([text], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `netlab-progress-${new Date().toISOString().slice(0, 10)}.json`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    status('Progress exported: keep the downloaded file, and import it on another device.');
  });

  const input = document.querySelector<HTMLInputElement>('.progress-import');
  input?.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (!file) return;
    let text: string;
    try {
      text = await file.text();
    } catch {
      status('That file could not be read.');
      return;
    }
    const r = importProgress(loadProgress(storage).progress, text);
    input.value = '';
    if (!r.ok) {
      status(r.error);
      return;
    }
    if (!saveProgress(storage, r.progress)) {
      status('The browser refused to store the imported progress (storage full or disabled).');
      return;
    }
    render(r.progress);
    status(r.summary);
  });

  document.querySelector('.progress-reset')?.addEventListener('click', () => {
    if (!window.confirm('Erase all your quiz and drill progress in this browser? Export it first if you want to keep it.')) return;
    saveProgress(storage, emptyProgress(Date.now()));
    try {
      storage.removeItem(BACKUP_KEY);
    } catch {
      /* nothing to remove */
    }
    render(loadProgress(storage).progress);
    status('All progress was erased.');
  });

  window.addEventListener('storage', (ev) => {
    if (ev.key === PROGRESS_KEY || ev.key === null) render(loadProgress(storage).progress);
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init, { once: true });
else init();
