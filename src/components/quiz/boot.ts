// The only quiz code a reading page loads up front: it waits until a quiz
// comes near the viewport (or the learner interacts with it, or the URL points
// into it) and then loads the quiz runtime as a lazy chunk.
const started = new WeakSet<Element>();

function start(section: HTMLElement): void {
  if (started.has(section)) return;
  started.add(section);
  import('./runtime').then(
    (m) => m.mount(section),
    () => {
      started.delete(section); // a failed chunk load (offline): try again on the next interaction
    },
  );
}

function init(): void {
  const sections = Array.from(document.querySelectorAll<HTMLElement>('section.quiz[data-quiz]'));
  if (sections.length === 0) return;
  const io =
    'IntersectionObserver' in window
      ? new IntersectionObserver(
          (entries) => {
            for (const e of entries) {
              if (!e.isIntersecting) continue;
              io?.unobserve(e.target);
              start(e.target as HTMLElement);
            }
          },
          { rootMargin: '600px 0px' },
        )
      : null;
  for (const s of sections) {
    if (io) io.observe(s);
    else start(s);
    s.addEventListener('focusin', () => start(s), { once: true });
    s.addEventListener('pointerdown', () => start(s), { once: true });
    if (location.hash && s.querySelector(CSS.escape ? `#${CSS.escape(location.hash.slice(1))}` : 'x')) start(s);
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init, { once: true });
else init();
