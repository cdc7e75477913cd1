// Lazy chunk: turns a terminal's static box into a live xterm, wired to the
// line editor (src/shell/editor.ts) and the shell worker (./client.ts).
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import './cursor.css';
import { completed, createEditor, displayWidth, feed, resize, showPrompt, type EditorState, type Step } from '../../shell/editor';
import type { ShellClient } from './client';
import { clear, dropBackup, keepCurrentAside, loadChecked, restoreBackup, save, type SaveResult } from './store';
import { saveNotice } from './save-notice';
import { RESET_LINE } from '../../shell/markers';
import { TERMINAL_THEME } from './theme';
import { TtyQueue } from '../../shell/tty';
import type { Program } from '../../shell/program-start';

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
  /** keys typed on the static box, or a block sent by a "Run in terminal" button */
  input?: string;
  /** take the keyboard focus (not when a "Run in terminal" button started it: the focus and the scroll stay) */
  focus?: boolean;
}

/** what tests and benchmarks read from a live terminal element */
export interface LiveHandle {
  /** the whole buffer as text, lines trimmed at the right */
  text(): string;
  /** Enter-to-output times (ms) of the commands run so far */
  timings: number[];
  /** Enter-to-output-painted times (ms): to the animation frame after the output reached xterm (the frame that shows it) */
  paintTimings: number[];
  /** the same to that frame's start (its requestAnimationFrame time, the display's frame time): without the frame's work before the callback */
  paintFrameTimings: number[];
  /** key-to-screen times (ms) of keys typed into a full-screen program (vi, nano): to its screen parsed by xterm */
  ttyTimings: number[];
  /** the same keys to the animation frame after that (the frame that paints the new screen) */
  ttyPaintTimings: number[];
  client: ShellClient;
  /** type `text` at the prompt, as a paste (a "Run in terminal" button) */
  type(text: string): void;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g;

/** The elements of a terminal's box. */
interface Parts {
  screen: HTMLElement;
  sr: HTMLElement | null;
  status: HTMLElement | null;
  undoBtn: HTMLButtonElement | null;
  resetBtn: HTMLButtonElement | null;
  staticPrompt: string;
}

function partsOf(el: HTMLElement): Parts {
  return {
    screen: el.querySelector<HTMLElement>('.nt-screen')!,
    sr: el.querySelector<HTMLElement>('.nt-sr'),
    status: el.querySelector<HTMLElement>('.nt-status'),
    undoBtn: el.querySelector<HTMLButtonElement>('[data-action="undo"]'),
    resetBtn: el.querySelector<HTMLButtonElement>('[data-action="reset"]'),
    staticPrompt: el.querySelector('.nt-prompt')?.textContent ?? 'root@controlplane:~# ',
  };
}

const FONT_FAMILY = "'DejaVu Sans Mono', ui-monospace, Menlo, Consolas, monospace";
/** the width FitAddon leaves to xterm's scroll bar (its default, with a scrollback and no overview ruler) */
const SCROLLBAR_PX = 14;

/**
 * The size the fit will give a terminal in `box`, computed before xterm opens: a cell measured as xterm measures it
 * (its TextMetrics strategy: the font's "W" on a canvas) and the box divided as FitAddon divides it. Opened at that
 * size, the fit that follows resizes nothing, where a resize built and drew every row again (issue 17: 11-33 ms of
 * a cold click's main thread in profiles at load 9-14). undefined when it cannot tell (then 80x24, and the fit).
 */
function fittedSize(box: HTMLElement): { cols: number; rows: number } | undefined {
  try {
    const ctx = new OffscreenCanvas(1, 1).getContext('2d');
    if (!ctx) return undefined;
    ctx.font = `${FONT_PX}px ${FONT_FAMILY}`;
    const m = ctx.measureText('W');
    const dpr = window.devicePixelRatio || 1;
    // xterm's DOM renderer: device pixels per cell, then CSS pixels per cell for n cells (its rounding)
    const deviceW = m.width * dpr;
    const deviceH = Math.floor(Math.ceil((m.fontBoundingBoxAscent + m.fontBoundingBoxDescent) * dpr));
    const style = getComputedStyle(box);
    const width = Math.max(0, parseInt(style.width)) - SCROLLBAR_PX;
    const height = parseInt(style.height);
    if (!(deviceW > 0 && deviceH > 0 && width > 0 && height > 0)) return undefined;
    const cells = (avail: number, device: number) => {
      let n = Math.max(1, Math.floor((avail * dpr) / device));
      for (let i = 0; i < 3; i++) {
        const next = Math.floor(avail / (Math.round((device * n) / dpr) / n));
        if (next === n) break;
        n = next;
      }
      return n;
    };
    return { cols: Math.max(2, cells(width, deviceW)), rows: Math.max(1, cells(height, deviceH)) };
  } catch {
    return undefined;
  }
}

/** An xterm in the screen box; `fitTo80` fits it again (throws when the box is not laid out). */
function openXterm(screen: HTMLElement): { term: Terminal; fitTo80: () => void; box: HTMLElement } {
  const box = document.createElement('div');
  box.className = 'nt-xterm';
  box.style.setProperty('--nt-cursor', TERMINAL_THEME.cursor);
  screen.appendChild(box);
  const term = new Terminal({
    ...fittedSize(box),
    fontFamily: FONT_FAMILY,
    // the size of the site's code blocks, whatever the width: the shell's COLUMNS follow the box instead
    fontSize: FONT_PX,
    lineHeight: 1,
    cursorBlink: true,
    convertEol: true,
    scrollback: 2000,
    allowProposedApi: false,
    theme: { ...TERMINAL_THEME },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(box);
  // The box decides the columns; each command runs with them (COLUMNS, stty size), so ss, netstat and ip -br
  // lay their output out for the width there is.
  const fitTo80 = () => {
    fit.fit();
  };
  try {
    fitTo80();
  } catch {
    // not laid out (hidden): keep 80x24
  }
  return { term, fitTo80, box };
}

/**
 * The cursor's blink (./cursor.css says why it is not xterm's animation): shown for 500 ms, hidden for 500 ms,
 * while the terminal has the focus; shown again from the start whenever something is written (as xterm's
 * animation restarts when the cursor's cell is drawn again).
 */
class Blinker {
  static readonly HALF_MS = 500;
  private timer: ReturnType<typeof setInterval> | undefined;
  private focused = false;
  constructor(private readonly box: HTMLElement, term: Terminal) {
    term.textarea?.addEventListener('focus', () => {
      this.focused = true;
      this.restart();
    });
    term.textarea?.addEventListener('blur', () => {
      this.focused = false;
      clearInterval(this.timer);
      this.timer = undefined;
      this.box.removeAttribute('data-blink-off');
    });
  }

  restart(): void {
    if (!this.focused) return;
    clearInterval(this.timer);
    if (this.box.hasAttribute('data-blink-off')) this.box.removeAttribute('data-blink-off');
    this.timer = setInterval(() => {
      // (a terminal taken out of the page while focused gets no blur)
      if (this.box.isConnected) this.box.toggleAttribute('data-blink-off');
      else clearInterval(this.timer);
    }, Blinker.HALF_MS);
  }
}

/** the terminal's font size: the site's code blocks' (Starlight: 0.875rem) */
const FONT_PX = 14;

/**
 * Writes to the xterm. The echo of Enter is held until the command's first output (at most HOLD_MS), and
 * written with it: xterm parses the first write after a key at once (later ones wait for a timer, often
 * behind a rendering frame), so the output reaches the screen a frame earlier.
 */
class Writer {
  static readonly HOLD_MS = 25;
  private held = '';
  private heldTimer: ReturnType<typeof setTimeout> | undefined;
  /** xterm's helper textarea is emptied with the next write (see `enterKey`) */
  private clearTextarea = false;
  constructor(
    private readonly term: Terminal,
    /** something is written (the cursor's blink starts again) */
    private readonly onWrite: () => void,
  ) {}

  write(s: string, done?: () => void): void {
    if (this.held) {
      s = this.held + s;
      this.held = '';
      clearTimeout(this.heldTimer);
    }
    if (s) {
      if (this.clearTextarea) {
        this.clearTextarea = false;
        const ta = this.term.textarea;
        if (ta && ta.value) ta.value = '';
      }
      this.onWrite();
    }
    if (s || done) this.term.write(s, done);
  }

  /**
   * Enter, typed at the prompt: what xterm's own keydown handler does with it (the data event, marked as the
   * learner's input so that the output's write is parsed at once), except that xterm empties its helper
   * textarea at once (it keeps the spaces typed since the last Enter) and this waits for the next write.
   * Why: Chromium holds the page's tasks, the worker's answer among them, until the next frame when the
   * handling of a key leaves a frame to draw (its scheduler's deferral after discrete input), and changing the
   * textarea's value is such a change; the write that shows the output draws a frame anyway.
   */
  enterKey(): void {
    this.clearTextarea = true;
    this.term.input('\r', true);
  }

  hold(s: string): void {
    this.held += s;
    clearTimeout(this.heldTimer);
    this.heldTimer = setTimeout(() => this.write(''), Writer.HOLD_MS);
  }
}

/**
 * Saving serialises whole worlds: done when the page is idle (at most once per burst of commands), or at
 * once when the page goes away.
 */
class Saver {
  private queued = false;
  constructor(
    private readonly term: Terminal,
    private readonly client: ShellClient,
    private readonly opts: MountOptions,
    private readonly report: (r: SaveResult) => void,
  ) {
    addEventListener('pagehide', () => this.queued && this.now());
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && this.queued && this.now());
  }

  private now(): void {
    this.queued = false;
    const { client, opts } = this;
    if (!client.snapshot) return;
    this.report(save(opts.key, { v: 1, scenario: opts.scenario, snapshot: client.snapshot, undo: client.undoStack, screen: screenAbovePrompt(this.term) }, client.prompt));
  }

  persist(): void {
    if (this.queued) return;
    this.queued = true;
    const idle = (globalThis as { requestIdleCallback?: (fn: () => void, o?: { timeout: number }) => void }).requestIdleCallback;
    const later = (fn: () => void) => (idle ? idle(fn, { timeout: 1000 }) : setTimeout(fn, 50));
    // once xterm has processed what was written
    this.term.write('', () => later(() => this.queued && this.now()));
  }
}

/** A live terminal: the line editor's state, the commands in flight, Undo and Reset. */
class Live {
  ed: EditorState;
  /** a generation per state: Undo/Reset make the answers of older commands moot */
  private gen = 0;
  private enterAt = 0;
  /** a full-screen program (vi, nano) owns the terminal: keys go to it raw */
  raw = false;
  private rawKeyAt = 0;
  /** the terminal of the full-screen program the page runs itself (null: none, or it runs in the worker) */
  private hosted: TtyQueue | null = null;
  /** how much of the running command's output was written when Ctrl-C echoed ^C (-1: not interrupted) */
  private interruptedAt = -1;
  private runningOutput = '';
  private readonly out: Writer;
  private readonly saver: Saver;
  private readonly client: ShellClient;

  constructor(
    private readonly el: HTMLElement,
    private readonly parts: Parts,
    private readonly term: Terminal,
    private readonly handle: LiveHandle,
    opts: MountOptions,
    history: string[],
    blinker: Blinker,
  ) {
    this.client = opts.client;
    this.ed = createEditor({ prompt: parts.staticPrompt, columns: term.cols, history });
    this.out = new Writer(term, () => blinker.restart());
    this.saver = new Saver(term, this.client, opts, (r) => this.saveReport(r));
    // "loading jq…" while a command waits for a tool's code (only when it takes over 150 ms)
    this.client.onNotice = (text) => this.setStatus(text);
  }

  setStatus(s: string): void {
    if (this.parts.status) this.parts.status.textContent = s;
  }

  /** a save that did not go as asked is said, never silent */
  private saveReport(r: SaveResult): void {
    const text = saveNotice(r);
    if (text) this.notice(text);
  }

  /** A notice above the terminal (text only), with buttons; a new notice replaces the last. */
  notice(text: string, buttons: { label: string; run: () => void }[] = []): void {
    this.el.querySelector('.nt-notice')?.remove();
    const box = document.createElement('div');
    box.className = 'nt-notice';
    box.setAttribute('role', 'alert');
    const p = document.createElement('p');
    p.textContent = text;
    box.appendChild(p);
    for (const b of buttons) {
      const btn = document.createElement('button');
      btn.type = 'button';
      btn.className = 'nt-btn';
      btn.textContent = b.label;
      btn.addEventListener('click', () => {
        box.remove();
        b.run();
      });
      box.appendChild(btn);
    }
    this.parts.screen.before(box);
  }

  /** The saved terminal could not be restored and was kept under its backup key: say so, offer both ways out. */
  backupNotice(key: string, reason: string): void {
    this.notice(`Your saved terminal could not be restored; it was kept as a backup. (${reason})`, [
      {
        label: 'Reset',
        run: () => {
          dropBackup(key);
          void this.reset(key);
        },
      },
      {
        label: 'Restore backup',
        run: () => {
          if (restoreBackup(key)) location.reload();
        },
      },
    ]);
  }

  updateButtons(): void {
    if (this.parts.undoBtn) this.parts.undoBtn.disabled = !this.client.canUndo;
  }

  apply(step: Step): void {
    this.ed = step.state;
    if (step.actions.some((a) => a.type === 'run')) this.out.hold(step.out);
    else this.out.write(step.out);
    for (const a of step.actions) {
      if (a.type === 'run') this.runLine(a.line);
      else if (a.type === 'complete') {
        const g = this.gen;
        this.client.complete(a.line, a.cursor).then(
          (r) => g === this.gen && this.apply(completed(this.ed, r)),
          () => g === this.gen && this.apply(completed(this.ed, { from: a.cursor, candidates: [] })),
        );
      } else if (a.type === 'interrupt') {
        this.interruptedAt = this.runningOutput.length;
        this.client.interrupt();
      }
    }
  }

  resizeTty(rows: number, columns: number): void {
    if (this.hosted) this.hosted.resize(rows, columns);
    else this.client.resize(rows, columns);
  }

  /** the timestamp of the key event being handled (Enter, see `enterKey`), 0 when none */
  private keyStamp = 0;

  /** Enter typed at the prompt (see Writer.enterKey); `stamp` is the key event's time (Enter-to-output's start) */
  enterKey(stamp: number): void {
    this.keyStamp = stamp;
    try {
      this.out.enterKey();
    } finally {
      this.keyStamp = 0;
    }
  }

  /** keys from xterm */
  input(data: string): void {
    if (this.raw) {
      this.rawKeyAt = performance.now();
      if (this.hosted) this.hosted.push(data);
      else this.client.input(data);
      return;
    }
    if (this.ed.mode === 'edit' && data.includes('\r')) this.enterAt = this.keyStamp || performance.now();
    this.apply(feed(this.ed, data));
  }

  /** the screen of a full-screen program, written with its key-to-screen time */
  private ttyWrite(data: string): void {
    const k0 = this.rawKeyAt;
    this.rawKeyAt = 0;
    const timed = () => {
      this.handle.ttyTimings.push(performance.now() - k0);
      requestAnimationFrame(() => this.handle.ttyPaintTimings.push(performance.now() - k0));
    };
    this.out.write(data, k0 ? timed : undefined);
  }

  /** the terminal is the program's: raw keys, and what was typed ahead (a paste) is its input, as in a real terminal */
  private takeRaw(push: (keys: string) => void): void {
    this.raw = true;
    this.el.dataset.tty = 'raw';
    if (this.ed.typeahead) {
      push(this.ed.typeahead);
      this.ed = { ...this.ed, typeahead: '' };
    }
  }

  /**
   * Runs the full-screen program of run generation `g` here, next to the keyboard (../../shell/programs.ts,
   * a chunk loaded on the first use): a key is answered in this thread, without a round trip to the worker
   * (whose answer the browser would hold until after its next frame). Files are saved through the worker.
   */
  private async host(program: Program, g: number): Promise<void> {
    let runProgram: typeof import('../../shell/programs').runProgram;
    try {
      ({ runProgram } = await import('../../shell/programs'));
    } catch (e) {
      // (offline before the chunk was cached): the command ends with an error, the shell stays usable
      this.setStatus(`The editor could not load (${e instanceof Error ? e.message : String(e)}).`);
      if (g === this.gen) this.client.programExit(1);
      return;
    }
    if (g !== this.gen) return;
    const tty = new TtyQueue(this.term.rows, this.term.cols, (data) => this.hosted === tty && this.ttyWrite(data));
    this.hosted = tty;
    this.takeRaw((keys) => tty.push(keys));
    const code = await runProgram(program, tty, (req) => this.client.programSave(req)).catch(() => 1);
    if (this.hosted !== tty) return;
    this.hosted = null;
    // the keys typed from now on are the shell's (typed ahead of its prompt)
    this.raw = false;
    delete this.el.dataset.tty;
    this.client.programExit(code);
  }

  private runLine(line: string): void {
    const { el, term, client, handle } = this;
    const g = this.gen;
    const t0 = this.enterAt || performance.now();
    this.enterAt = 0;
    let output = '';
    let first = true;
    this.runningOutput = '';
    this.interruptedAt = -1;
    el.dataset.state = 'running';
    const onOutput = (chunk: string) => {
      if (g !== this.gen) return;
      output += chunk;
      this.runningOutput = output;
      if (first) {
        first = false;
        this.out.write(chunk, () => painted(handle, t0));
      } else this.out.write(chunk);
    };
    // a full-screen program (vi, nano) takes the terminal: keys go to it raw, its screen is not output.
    // The page runs it (onProgram); a worker that runs it itself sends its screen (onTty).
    const onTty = (data: string) => {
      if (g !== this.gen) return;
      if (!this.raw) this.takeRaw((keys) => client.input(keys));
      this.ttyWrite(data);
    };
    const onProgram = (program: Program) => g === this.gen && void this.host(program, g);
    client.run(line, onOutput, { rows: term.rows, columns: term.cols, onTty, onProgram }).then(
      (outcome) => {
        // a program still running here when its command ends (Undo, Reset, the worker restarted) ends with it
        if (this.hosted) {
          this.hosted.close();
          this.hosted = null;
        }
        if (this.raw) {
          this.raw = false;
          delete el.dataset.tty;
          // stopped from outside (Undo, Reset): leave the program's alternate screen
          if (g !== this.gen || outcome.restarted) this.out.write('\x1b[?1049l');
        }
        if (g !== this.gen) return;
        if (outcome.incomplete) {
          // an unfinished command: PS2, the lines so far kept by the editor
          this.apply(showPrompt(this.ed, { continued: true, history: client.history }));
          el.dataset.state = this.ed.mode === 'edit' ? 'ready' : this.ed.mode;
          return;
        }
        if (first)
          this.out.write('', () => painted(handle, t0));
        // ^C was echoed where the cursor stood: a new line, unless the program ended its last words with one
        // (ping's statistics start with a blank line and end with a newline)
        const after = this.interruptedAt >= 0 ? output.slice(this.interruptedAt) : '';
        const ownNewline = outcome.interrupted && !outcome.restarted && after.endsWith('\n');
        const startCol = outcome.interrupted ? 0 : columnAfter(output, term.cols);
        if (outcome.interrupted && !ownNewline) this.out.write('\r\n');
        if (outcome.restarted) this.setStatus('Interrupted: the shell was restarted from the state before the command.');
        else this.setStatus('');
        this.announce(output);
        this.apply(showPrompt(this.ed, { prompt: client.prompt, history: client.history, startCol }));
        el.dataset.state = this.ed.mode === 'edit' ? 'ready' : this.ed.mode;
        this.updateButtons();
        this.saver.persist();
      },
      (e: unknown) => {
        if (g !== this.gen) return;
        this.out.write(`netlab: the shell stopped: ${e instanceof Error ? e.message : String(e)}\r\n`);
        this.apply(showPrompt(this.ed, { prompt: client.prompt || this.ed.prompt, startCol: 0 }));
        el.dataset.state = 'ready';
      },
    );
  }

  /** each command's output, for screen readers */
  private announce(output: string): void {
    const { sr } = this.parts;
    if (!sr) return;
    const text = output.replace(ANSI, '').trim();
    sr.textContent = text ? text.slice(-2000) : '';
  }

  private freshPrompt(prompt: string, history: string[]): void {
    this.ed = { ...this.ed, typeahead: '', mode: 'edit', chars: [], cursor: 0 };
    this.apply(showPrompt(this.ed, { prompt, history, startCol: 0 }));
    this.el.dataset.state = 'ready';
  }

  /** after Undo or Reset: the new prompt, buttons, saved state, focus */
  private settled(): void {
    this.freshPrompt(this.client.prompt, this.client.history);
    this.updateButtons();
    this.saver.persist();
    this.term.textarea?.focus({ preventScroll: true });
  }

  async undo(): Promise<void> {
    this.gen++;
    const line = await this.client.undo().catch(() => null);
    if (line === null) {
      this.setStatus('Nothing to undo.');
      this.updateButtons();
      return;
    }
    this.out.write('\r\n');
    this.setStatus(line === RESET_LINE ? 'Undid the reset.' : `Undid: ${line}`);
    this.settled();
  }

  async reset(key: string): Promise<void> {
    this.gen++;
    await this.client.reset().catch(() => {});
    this.term.reset();
    clear(key);
    this.setStatus('Reset to the starting state.');
    this.settled();
  }

  /** the shell is up: the saved prompt may be stale (a different cwd): redraw it */
  started(key: string): void {
    const { client } = this;
    if (client.restoreError) {
      keepCurrentAside(key);
      this.backupNotice(key, client.restoreError);
    }
    this.updateButtons();
    this.el.dataset.shell = 'ready';
    performance.mark('netlab:shell-ready');
    if (client.prompt && client.prompt !== this.ed.prompt && this.ed.mode === 'edit' && this.ed.chars.length === 0) {
      this.out.write('\r\x1b[K');
      this.apply(showPrompt(this.ed, { prompt: client.prompt, history: client.history, startCol: 0 }));
    }
  }
}

/** a command's output is in xterm (`t0`: its Enter): Enter-to-output, and to the frame that shows it */
function painted(handle: LiveHandle, t0: number): void {
  handle.timings.push(performance.now() - t0);
  requestAnimationFrame((frame) => {
    handle.paintTimings.push(performance.now() - t0);
    handle.paintFrameTimings.push(frame - t0);
  });
}

/** The static box becomes the live terminal's: its own focus and labels go to xterm. */
function markLive(el: HTMLElement, screen: HTMLElement, term: Terminal, label: string): void {
  screen.removeAttribute('tabindex');
  screen.removeAttribute('role');
  screen.removeAttribute('aria-label');
  el.setAttribute('data-live', '');
  term.textarea?.setAttribute('aria-label', `${label}. Tab completes; press Escape, then Tab or Shift+Tab, to leave the terminal.`);
}

/** Keys, buttons and resizing. */
function wire(el: HTMLElement, live: Live, parts: Parts, term: Terminal, fitTo80: () => void, key: string): void {
  const { undoBtn, resetBtn } = parts;
  term.onData((data) => live.input(data));
  // Tab is completion inside the terminal; Escape, then Tab or Shift+Tab, moves the focus to the next or the
  // previous thing of the page (WCAG 2.1.2: no keyboard trap). The browser does the move: the key is not xterm's.
  let leaving = false;
  term.attachCustomKeyEventHandler((ev) => {
    if (ev.type !== 'keydown') return !(leaving && ev.key === 'Tab');
    const plain = !ev.altKey && !ev.ctrlKey && !ev.metaKey;
    if (leaving && ev.key === 'Tab' && plain) {
      leaving = false;
      return false;
    }
    if (ev.key === 'Shift') return true;
    // Enter at the line editor's prompt (not while vi or nano runs, not while an input method composes)
    if (!live.raw && ev.key === 'Enter' && !ev.altKey && !ev.ctrlKey && !ev.metaKey && !ev.isComposing && ev.keyCode !== 229) {
      leaving = false;
      delete el.dataset.leaving;
      ev.preventDefault();
      ev.stopPropagation();
      live.enterKey(ev.timeStamp);
      return false;
    }
    // (not while vi or nano runs: Escape is theirs)
    if (!live.raw && ev.key === 'Escape' && plain && !ev.shiftKey) {
      leaving = true;
      el.dataset.leaving = '';
      return false;
    }
    leaving = false;
    delete el.dataset.leaving;
    return true;
  });
  term.textarea?.addEventListener('blur', () => {
    leaving = false;
    delete el.dataset.leaving;
  });
  undoBtn?.addEventListener('click', () => void live.undo());
  resetBtn?.addEventListener('click', () => void live.reset(key));
  const ro = new ResizeObserver(() => {
    try {
      fitTo80();
    } catch {
      return;
    }
    if (term.cols !== live.ed.columns) live.ed = resize(live.ed, term.cols);
    // vi or nano running: it redraws for the new size (SIGWINCH)
    if (live.raw) live.resizeTty(term.rows, term.cols);
  });
  ro.observe(parts.screen);
}

export function mount(el: HTMLElement, opts: MountOptions): LiveHandle {
  const parts = partsOf(el);
  const { term, fitTo80, box } = openXterm(parts.screen);
  const blinker = new Blinker(box, term);
  markLive(el, parts.screen, term, opts.label);

  const loaded = loadChecked(opts.key, opts.scenario, opts.host);
  const saved = loaded.status === 'ok' ? loaded.saved : null;
  const handle: LiveHandle = {
    text: () => bufferText(term, true),
    timings: [],
    paintTimings: [],
    paintFrameTimings: [],
    ttyTimings: [],
    ttyPaintTimings: [],
    client: opts.client,
    type: (text: string) => live.input(text),
  };
  const live = new Live(el, parts, term, handle, opts, saved?.snapshot.history ?? [], blinker);
  (el as unknown as { netlab: LiveHandle }).netlab = handle;
  performance.mark('netlab:prompt-start');
  // The learner's click or key started the terminal: the earlier screen and the prompt are written as the answer
  // to it, which xterm parses at once (a write is otherwise parsed in a later task, after the next frame, which
  // then draws an empty terminal in place of the static box)
  term.input('', true);
  term.write((saved?.screen ?? '') + live.ed.prompt, () => {
    performance.mark('netlab:prompt');
    el.dataset.state = 'ready';
  });
  // (preventScroll: a terminal started by a "Run in terminal" button, or docked, must not move the page)
  if (opts.focus !== false) term.textarea?.focus({ preventScroll: true });
  wire(el, live, parts, term, fitTo80, opts.key);

  opts.started.then(
    () => {
      live.started(opts.key);
      if (opts.action === 'undo') void live.undo();
      else if (opts.action === 'reset') void live.reset(opts.key);
    },
    (e: unknown) => live.setStatus(`The shell could not start: ${e instanceof Error ? e.message : String(e)}`),
  );

  if (loaded.status === 'corrupt') live.backupNotice(opts.key, loaded.reason);
  if (opts.input) live.apply(feed(live.ed, opts.input));
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
