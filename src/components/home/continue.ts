// The home page's "continue where you left off": the last page read
// (../layout/last-page-store.ts) and what the saved progress holds (quizzes,
// drills, exams: src/labs/progress.ts). Both are validated on reading; the
// text is set with textContent, never as HTML.
import { decodeLastPage, LAST_PAGE_KEY } from '../layout/last-page-store';
import { browserStorage, loadProgress } from '../../labs/progress';

function summary(): string {
  const { progress } = loadProgress(browserStorage());
  const parts: string[] = [];
  const chapters = Object.values(progress.quizzes).filter((c) => Object.keys(c.questions).length > 0);
  if (chapters.length) {
    const right = chapters.reduce((n, c) => n + c.score, 0);
    const total = chapters.reduce((n, c) => n + c.total, 0);
    parts.push(`quizzes of ${chapters.length} chapter${chapters.length === 1 ? '' : 's'} answered (${right} of ${total} questions right)`);
  }
  const drills = Object.keys(progress.drills).length;
  if (drills) parts.push(`${drills} drill${drills === 1 ? '' : 's'} tried`);
  if (progress.exams.length) parts.push(`${progress.exams.length} exam${progress.exams.length === 1 ? '' : 's'} taken`);
  return parts.length ? `So far: ${parts.join(', ')}.` : '';
}

const box = document.querySelector<HTMLElement>('[data-continue]');
if (box) {
  let last = null;
  try {
    last = decodeLastPage(localStorage.getItem(LAST_PAGE_KEY));
  } catch {
    last = null;
  }
  const lastEl = box.querySelector<HTMLElement>('[data-continue-last]')!;
  const sumEl = box.querySelector<HTMLElement>('[data-continue-summary]')!;
  if (last) {
    lastEl.textContent = 'You were reading ';
    const a = document.createElement('a');
    a.href = last.path;
    a.textContent = last.title;
    lastEl.append(a, '.');
  } else lastEl.remove();
  let text = '';
  try {
    text = summary();
  } catch {
    text = '';
  }
  const progressLink = document.createElement('a');
  progressLink.href = `${import.meta.env.BASE_URL.replace(/\/?$/, '/')}progress/`;
  progressLink.textContent = 'Your progress';
  if (text) sumEl.append(text + ' ', progressLink, '.');
  else sumEl.remove();
  box.hidden = !last && !text;
}
