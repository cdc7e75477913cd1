// The service worker (built by Workbox at the end of the build: astro.config.mjs) precaches the whole
// course on the first visit: pages, the terminal's engine, the scenarios and the search index. This
// registers it, says when the course is available offline, and offers a new version when one is waiting
// (the new worker takes over only when the reader reloads for it: no page changes under a running lab).
// The precache is some 16 MB: it starts once the page has loaded and is idle, and never while a terminal
// is loading (its engine and starting state would share the link with the precache: a learner who clicks
// a terminal on a first visit waits for the terminal only).
import { Workbox } from 'workbox-window';

const note = document.querySelector<HTMLElement>('[data-offline-note]');
const update = document.querySelector<HTMLElement>('[data-update-note]');
const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');

/** A terminal started (clicked, focused, pointed at) whose shell has not answered yet. */
function terminalLoading(): boolean {
  for (const t of document.querySelectorAll<HTMLElement>('[data-key][data-state]')) {
    const started = t.dataset.state !== undefined && t.dataset.state !== 'error';
    if (started && t.dataset.shell !== 'ready') return true;
  }
  return false;
}

/** Resolves once the page has loaded, is idle, and no terminal is loading (at most 30 s after the load). */
function quiet(): Promise<void> {
  return new Promise((resolve) => {
    let watch: MutationObserver | null = null;
    const done = () => {
      watch?.disconnect();
      resolve();
    };
    const afterLoad = (f: () => void) => (document.readyState === 'complete' ? f() : addEventListener('load', f, { once: true }));
    const idle = (f: () => void) => ('requestIdleCallback' in window ? requestIdleCallback(f, { timeout: 3000 }) : setTimeout(f, 200));
    const check = () => {
      if (!terminalLoading()) return done();
      // one observer: it waits for the loading terminals' attributes to change, then checks again when idle
      watch ??= new MutationObserver(() => {
        if (!terminalLoading()) idle(check);
      });
      watch.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-state', 'data-shell'] });
    };
    afterLoad(() => {
      setTimeout(done, 30_000);
      idle(check);
    });
  });
}

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  const wb = new Workbox(`${base}sw.js`, { scope: base });
  wb.addEventListener('waiting', () => {
    if (!update) return;
    update.hidden = false;
    update.querySelector('[data-update-now]')?.addEventListener(
      'click',
      () => {
        wb.addEventListener('controlling', () => location.reload());
        wb.messageSkipWaiting();
      },
      { once: true },
    );
  });
  void quiet().then(() =>
    wb.register({ immediate: true }).catch(() => {
      // no service worker (private mode, an old browser): the course works online as before
    }),
  );
  navigator.serviceWorker.ready.then(() => {
    if (!note) return;
    note.textContent = 'Available offline: this course keeps working without a network (pages, terminals, labs and search).';
    note.hidden = false;
    document.documentElement.dataset.offlineReady = '';
  });
}
