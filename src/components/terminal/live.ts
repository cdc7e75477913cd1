// Lazy chunk: turns a terminal's static box into a live xterm, wired to the
// line editor (src/shell/editor.ts) and the shell worker (./client.ts).
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { completed, createEditor, displayWidth, feed, resize, showPrompt, type EditorState, type Step } from '../../shell/editor';
import type { ShellClient } from './client';
import { clear, load, save } from './store';
import { RESET_LINE } from '../../shell/markers';

export interface MountOptions {
  key: string;
  scenario: string;
  /** the scenario's host (saved states of another host are not restored) */
  host?: string;
  label: string;
  client: ShellClient;
  started: Promise<void>;
  /** a button pressed before the terminal was live */
  action?: 'undo' | 'reset';
  /** keys typed on the static box */
  input?: string;
}

/** what tests and benchmarks read from a live terminal element */
export interface LiveHandle {
  /** the whole buffer as text, lines trimmed at the right */
  text(): string;
  /** Enter-to-output times (ms) of the commands run so far */
  timings: number[];
  client: ShellClient;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g;

export function mount(el: HTMLElement, opts: MountOptions): LiveHandle {
  const screen = el.querySelector<HTMLElement>('.nt-screen')!;
  const sr = el.querySelector<HTMLElement>('.nt-sr');
  const status = el.querySelector<HTMLElement>('.nt-status');
  const undoBtn = el.querySelector<HTMLButtonElement>('[data-action="undo"]');
  const resetBtn = el.querySelector<HTMLButtonElement>('[data-action="reset"]');
  const staticPrompt = el.querySelector('.nt-prompt')?.textContent ?? 'root@controlplane:~# ';
  const { client } = opts;

  const term = new Terminal({
    fontFamily: "'DejaVu Sans Mono', ui-monospace, Menlo, Consolas, monospace",
    fontSize: 14,
    lineHeight: 1,
    cursorBlink: true,
    convertEol: true,
    scrollback: 2000,
    allowProposedApi: false,
    theme: { background: '#1e1f29', foreground: '#e6e6e6', cursor: '#e6e6e6' },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  const box = document.createElement('div');
  box.className = 'nt-xterm';
  screen.appendChild(box);
  term.open(box);
  // The tools lay their output out for an 80-column terminal (ss, netstat, ip -br): fit the box, and if it holds
  // fewer than 80 columns, step the font down (to 11 px at the smallest) so a line of 80 fits without wrapping.
  const fitTo80 = () => {
    term.options.fontSize = 14;
    fit.fit();
    for (let size = 13; size >= 11 && term.cols < 80; size--) {
      term.options.fontSize = size;
      fit.fit();
    }
  };
  try {
    fitTo80();
  } catch {
    // not laid out (hidden): keep 80x24
  }
  screen.removeAttribute('tabindex');
  screen.removeAttribute('role');
  screen.removeAttribute('aria-label');
  el.setAttribute('data-live', '');
  const label = `${opts.label}. Press Escape to leave the terminal.`;
  term.textarea?.setAttribute('aria-label', label);

  const saved = load(opts.key, opts.scenario, opts.host);
  if (saved?.screen) term.write(saved.screen);
  let ed: EditorState = createEditor({ prompt: staticPrompt, columns: term.cols, history: saved?.snapshot.history ?? [] });
  const handle: LiveHandle = { text: () => bufferText(term, true), timings: [], client };
  (el as unknown as { netlab: LiveHandle }).netlab = handle;
  performance.mark('netlab:prompt-start');
  term.write(ed.prompt, () => {
    performance.mark('netlab:prompt');
    el.dataset.state = 'ready';
  });
  term.focus();

  // a generation per state: Undo/Reset make the answers of older commands moot
  let gen = 0;
  let enterAt = 0;

  // The echo of Enter is held until the command's first output (at most HOLD_MS), and written
  // with it: xterm parses the first write after a key at once (later ones wait for a timer,
  // often behind a rendering frame), so the output reaches the screen a frame earlier.
  const HOLD_MS = 25;
  let held = '';
  let heldTimer: ReturnType<typeof setTimeout> | undefined;
  const write = (s: string, done?: () => void) => {
    if (held) {
      s = held + s;
      held = '';
      clearTimeout(heldTimer);
    }
    if (s || done) term.write(s, done);
  };
  const hold = (s: string) => {
    held += s;
    clearTimeout(heldTimer);
    heldTimer = setTimeout(() => write(''), HOLD_MS);
  };
  const setStatus = (s: string) => {
    if (status) status.textContent = s;
  };
  const updateButtons = () => {
    if (undoBtn) undoBtn.disabled = !client.canUndo;
  };
  // Saving serialises whole worlds: done when the page is idle (at most once per burst of
  // commands), or at once when the page goes away
  let saveQueued = false;
  const saveNow = () => {
    saveQueued = false;
    if (!client.snapshot) return;
    save(
      opts.key,
      { v: 1, scenario: opts.scenario, snapshot: client.snapshot, undo: client.undoStack, screen: screenAbovePrompt(term) },
      client.prompt,
    );
  };
  const persist = () => {
    if (saveQueued) return;
    saveQueued = true;
    const idle = (globalThis as { requestIdleCallback?: (fn: () => void, o?: { timeout: number }) => void }).requestIdleCallback;
    const later = (fn: () => void) => (idle ? idle(fn, { timeout: 1000 }) : setTimeout(fn, 50));
    // once xterm has processed what was written
    term.write('', () => later(() => saveQueued && saveNow()));
  };
  addEventListener('pagehide', () => saveQueued && saveNow());
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && saveQueued && saveNow());

  const apply = (step: Step) => {
    ed = step.state;
    if (step.actions.some((a) => a.type === 'run')) hold(step.out);
    else write(step.out);
    for (const a of step.actions) {
      if (a.type === 'run') runLine(a.line);
      else if (a.type === 'complete') {
        const g = gen;
        client.complete(a.line, a.cursor).then(
          (r) => g === gen && apply(completed(ed, r)),
          () => g === gen && apply(completed(ed, { from: a.cursor, candidates: [] })),
        );
      } else if (a.type === 'interrupt') client.interrupt();
    }
  };

  const runLine = (line: string) => {
    const g = gen;
    const t0 = enterAt || performance.now();
    enterAt = 0;
    let output = '';
    let first = true;
    el.dataset.state = 'running';
    const onOutput = (chunk: string) => {
      if (g !== gen) return;
      output += chunk;
      if (first) {
        first = false;
        write(chunk, () => handle.timings.push(performance.now() - t0));
      } else write(chunk);
    };
    client.run(line, onOutput).then(
      (outcome) => {
        if (g !== gen) return;
        if (first) write('', () => handle.timings.push(performance.now() - t0));
        let startCol = outcome.interrupted ? 0 : columnAfter(output, term.cols);
        if (outcome.interrupted) write('\r\n');
        if (outcome.restarted) setStatus('Interrupted: the shell was restarted from the state before the command.');
        else setStatus('');
        announce(output);
        apply(showPrompt(ed, { prompt: client.prompt, history: client.history, startCol }));
        el.dataset.state = ed.mode === 'edit' ? 'ready' : ed.mode;
        updateButtons();
        persist();
      },
      (e: unknown) => {
        if (g !== gen) return;
        write(`netlab: the shell stopped: ${e instanceof Error ? e.message : String(e)}\r\n`);
        apply(showPrompt(ed, { prompt: client.prompt || ed.prompt, startCol: 0 }));
        el.dataset.state = 'ready';
      },
    );
  };

  const announce = (output: string) => {
    if (!sr) return;
    const text = output.replace(ANSI, '').trim();
    sr.textContent = text ? text.slice(-2000) : '';
  };

  term.onData((data) => {
    if (ed.mode === 'edit' && data.includes('\r')) enterAt = performance.now();
    apply(feed(ed, data));
  });

  // Escape leaves the terminal (Tab is completion inside it)
  term.attachCustomKeyEventHandler((ev) => {
    if (ev.key === 'Escape' && ev.type === 'keydown' && !ev.altKey && !ev.ctrlKey && !ev.metaKey) {
      (undoBtn && !undoBtn.disabled ? undoBtn : resetBtn)?.focus();
      return false;
    }
    return true;
  });

  const freshPrompt = (prompt: string, history: string[]) => {
    ed = { ...ed, typeahead: '', mode: 'edit', chars: [], cursor: 0 };
    apply(showPrompt(ed, { prompt, history, startCol: 0 }));
    el.dataset.state = 'ready';
  };

  const doUndo = async () => {
    gen++;
    const line = await client.undo().catch(() => null);
    if (line === null) {
      setStatus('Nothing to undo.');
      updateButtons();
      return;
    }
    write('\r\n');
    setStatus(line === RESET_LINE ? 'Undid the reset.' : `Undid: ${line}`);
    freshPrompt(client.prompt, client.history);
    updateButtons();
    persist();
    term.focus();
  };

  const doReset = async () => {
    gen++;
    await client.reset().catch(() => {});
    term.reset();
    clear(opts.key);
    setStatus('Reset to the starting state.');
    freshPrompt(client.prompt, client.history);
    updateButtons();
    persist();
    term.focus();
  };

  undoBtn?.addEventListener('click', () => void doUndo());
  resetBtn?.addEventListener('click', () => void doReset());

  const ro = new ResizeObserver(() => {
    try {
      fitTo80();
    } catch {
      return;
    }
    if (term.cols !== ed.columns) ed = resize(ed, term.cols);
  });
  ro.observe(screen);

  opts.started.then(
    () => {
      updateButtons();
      el.dataset.shell = 'ready';
      performance.mark('netlab:shell-ready');
      // the saved prompt may be stale (a different cwd): redraw it
      if (client.prompt && client.prompt !== ed.prompt && ed.mode === 'edit' && ed.chars.length === 0) {
        write('\r\x1b[K');
        apply(showPrompt(ed, { prompt: client.prompt, history: client.history, startCol: 0 }));
      }
      if (opts.action === 'undo') void doUndo();
      else if (opts.action === 'reset') void doReset();
    },
    (e: unknown) => {
      setStatus(`The shell could not start: ${e instanceof Error ? e.message : String(e)}`);
    },
  );

  if (opts.input) apply(feed(ed, opts.input));
  return handle;
}

/** the column the cursor is in after writing `output` from column 0 */
function columnAfter(output: string, cols: number): number {
  const nl = Math.max(output.lastIndexOf('\n'), output.lastIndexOf('\r'));
  const tail = output.slice(nl + 1);
  if (!tail) return 0;
  return displayWidth(tail) % cols;
}

function bufferText(term: Terminal, all: boolean): string {
  const buf = term.buffer.active;
  const end = all ? buf.length : buf.baseY + buf.cursorY;
  const lines: string[] = [];
  for (let i = 0; i < end; i++) {
    const line = buf.getLine(i);
    if (!line) continue;
    const text = line.translateToString(true);
    if (line.isWrapped && lines.length) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  while (all && lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}

/** the screen's text above the prompt line (saved for the next visit), at most 400 lines */
function screenAbovePrompt(term: Terminal): string {
  const text = bufferText(term, false);
  if (!text) return '';
  const lines = text.split('\n').slice(-400);
  return lines.join('\r\n') + '\r\n';
}
