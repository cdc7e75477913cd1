// The service worker (built by Workbox at the end of the build: astro.config.mjs) precaches the whole
// course on the first visit: pages, the terminal's engine, the scenarios and the search index. This
// registers it, says when the course is available offline, and offers a new version when one is waiting
// (the new worker takes over only when the reader reloads for it: no page changes under a running lab).
import { Workbox } from 'workbox-window';

const note = document.querySelector<HTMLElement>('[data-offline-note]');
const update = document.querySelector<HTMLElement>('[data-update-note]');
const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');

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
  wb.register().catch(() => {
    // no service worker (private mode, an old browser): the course works online as before
  });
  navigator.serviceWorker.ready.then(() => {
    if (!note) return;
    note.textContent = 'Available offline: this course keeps working without a network (pages, terminals, labs and search).';
    note.hidden = false;
    document.documentElement.dataset.offlineReady = '';
  });
}
