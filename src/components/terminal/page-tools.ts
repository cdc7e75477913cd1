// What a chapter page adds around its terminals: a "Run in terminal" button
// under every lab code block (Expressive Code marks them data-netlab-run, see
// astro.config.mjs), and docking a terminal at the side of the window.

/** the element's terminal: the last one before it in the page */
export function terminalBefore(node: Node, terminals: readonly HTMLElement[]): HTMLElement | null {
  let found: HTMLElement | null = null;
  for (const t of terminals) if (t.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) found = t;
  return found;
}

/** the text of a rendered code block: its copy button's (lines joined by U+007F), else the text of its lines */
export function blockText(block: HTMLElement): string {
  const code = block.querySelector('[data-code]')?.getAttribute('data-code');
  if (code != null) return code.replace(/\u007f/g, '\n');
  const lines = block.querySelectorAll('.ec-line');
  if (lines.length) return Array.from(lines, (l) => l.textContent ?? '').join('\n');
  return block.querySelector('pre')?.textContent ?? '';
}

interface RunTarget extends HTMLElement {
  runText(text: string): void;
}

export function addRunButtons(doc: Document = document): void {
  const terminals = Array.from(doc.querySelectorAll<HTMLElement>('netlab-terminal:not([data-manual])'));
  if (!terminals.length) return;
  for (const block of doc.querySelectorAll<HTMLElement>('[data-netlab-run]')) {
    const wrapper = block.closest<HTMLElement>('.expressive-code') ?? block;
    if (wrapper.nextElementSibling?.classList.contains('nt-run')) continue;
    const term = terminalBefore(block, terminals) as RunTarget | null;
    if (!term) continue;
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'nt-run';
    button.textContent = 'Run in terminal';
    button.addEventListener('click', () => term.runText(blockText(block)));
    wrapper.after(button);
  }
}

/** Dock or undock `el` (one terminal docked at a time); a note keeps its place in the text. */
export function setDocked(el: HTMLElement, docked: boolean): void {
  const doc = el.ownerDocument;
  if (docked) for (const other of doc.querySelectorAll<HTMLElement>('netlab-terminal[data-docked]')) if (other !== el) setDocked(other, false);
  const button = el.querySelector<HTMLButtonElement>('[data-action="dock"]');
  if (docked === el.hasAttribute('data-docked')) return;
  if (docked) {
    const spot = doc.createElement('p');
    spot.className = 'nt-dock-spot';
    spot.textContent = 'This lab\u2019s terminal is docked at the right of the window.';
    el.before(spot);
    el.setAttribute('data-docked', '');
    doc.documentElement.setAttribute('data-nt-docked', '');
  } else {
    if (el.previousElementSibling?.classList.contains('nt-dock-spot')) el.previousElementSibling.remove();
    el.removeAttribute('data-docked');
    doc.documentElement.removeAttribute('data-nt-docked');
  }
  if (button) {
    button.setAttribute('aria-pressed', String(docked));
    button.textContent = docked ? 'Undock' : 'Dock terminal';
  }
}
