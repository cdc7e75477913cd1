// The page the reader is on, kept for the home page's "continue where you left off" (./continue.ts reads it).
import { LAST_PAGE_KEY, encodeLastPage } from './last-page-key';

const box = document.querySelector<HTMLElement>('[data-nl-page]');
const id = box?.dataset.nlPage ?? '';
// the home page itself is not a place to come back to
if (box && id && id !== 'index') {
  try {
    localStorage.setItem(LAST_PAGE_KEY, encodeLastPage({ path: location.pathname, title: box.dataset.nlTitle ?? id, at: Date.now() }));
  } catch {
    // no storage: nothing to remember
  }
}
