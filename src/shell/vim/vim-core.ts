// vim's state and what every mode uses: the buffer, cursor, options, messages,
// undo bookkeeping and scrolling. The base of the Vim class (vim.ts); the
// modes build on it in vim-motion.ts, vim-edit.ts and vim-modes.ts.
import { displayCol } from './text';


export interface VimOptions {
  number: boolean;
  paste: boolean;
  expandtab: boolean;
  tabstop: number;
  shiftwidth: number;
  softtabstop: number;
  autoindent: boolean;
  ignorecase: boolean;
  smartcase: boolean;
  wrapscan: boolean;
  hlsearch: boolean;
  incsearch: boolean;
  list: boolean;
  readonly: boolean;
  /** '' (vim without a vimrc), or any of indent,eol,start */
  backspace: string;
  report: number;
  ruler: boolean;
  showmode: boolean;
}

export const DEFAULT_OPTIONS: VimOptions = {
  number: false,
  paste: false,
  expandtab: false,
  tabstop: 8,
  shiftwidth: 8,
  softtabstop: 0,
  autoindent: false,
  ignorecase: false,
  smartcase: false,
  wrapscan: true,
  hlsearch: false,
  incsearch: false,
  list: false,
  readonly: false,
  backspace: '',
  report: 2,
  ruler: false,
  showmode: true,
};

export const ALIASES: Record<string, keyof VimOptions> = {
  nu: 'number', et: 'expandtab', ts: 'tabstop', sw: 'shiftwidth', sts: 'softtabstop', ai: 'autoindent', ic: 'ignorecase',
  scs: 'smartcase', ws: 'wrapscan', hls: 'hlsearch', is: 'incsearch', ro: 'readonly', bs: 'backspace', ru: 'ruler', smd: 'showmode',
};

export type VimEffect =
  | { type: 'write'; path: string; text: string; quit: boolean; force: boolean; append?: boolean }
  | { type: 'quit'; code: number };

export type Mode = 'normal' | 'insert' | 'replace' | 'visual' | 'vline' | 'cmdline';

export interface Register {
  text: string[];
  linewise: boolean;
}

export interface UndoState {
  lines: string[];
  row: number;
  col: number;
}

export interface Motion {
  row: number;
  col: number;
  linewise: boolean;
  inclusive: boolean;
  /** the motion failed (beeps, the operator is not applied) */
  fail?: boolean;
  /** text object: the start is given too */
  from?: { row: number; col: number };
}

export interface VimInit {
  /** the file's lines (null: a new file) */
  lines: string[] | null;
  path: string | null;
  /** bytes in the file (for the opening message) */
  bytes?: number;
  /** the file did not end with a newline */
  noeol?: boolean;
  rows: number;
  columns: number;
  options?: Partial<VimOptions>;
  /** ex commands to run first (a ~/.vimrc's lines) */
  vimrc?: string[];
  /** the file cannot be written (opened read-only) */
  readonly?: boolean;
  /** a message instead of the file message (a directory, an error) */
  message?: string;
}

export abstract class VimCore {
  lines: string[];
  row = 0;
  col = 0;
  /** the wanted display column for j/k (Infinity after $) */
  want = 0;
  top = 0;
  mode: Mode = 'normal';
  rows: number;
  columns: number;
  opts: VimOptions;
  path: string | null;
  modified = false;
  msg = '';
  msgError = false;
  /** the command line being typed (with its leading : / ?) */
  cmdline = '';
  cmdCursor = 0;
  effects: VimEffect[] = [];
  quitting = false;

  protected pend = '';
  protected reg: Register | null = null;
  protected undoStack: { before: UndoState; after: UndoState }[] = [];
  protected redoStack: { before: UndoState; after: UndoState }[] = [];
  protected changeStart: UndoState | null = null;
  protected changedSame = false;
  protected pendingOp: { op: string; count: number } | null = null;
  protected pasteSaved: { autoindent: boolean; expandtab: boolean; softtabstop: number } | null = null;
  protected seq = 0;
  protected lastSearch: { pat: string; forward: boolean } | null = null;
  protected lastFind: { cmd: string; ch: string } | null = null;
  protected lastSub: { pat: string; rep: string; flags: string } | null = null;
  protected dot: string[] = [];
  protected recording: string[] | null = null;
  protected replaying = false;
  protected insertStart = { row: 0, col: 0 };
  protected insertCount = 1;
  protected insertRepeat: string[] = [];
  protected insertKind = '';
  protected visualStart = { row: 0, col: 0 };
  protected lastVisual: { start: { row: number; col: number }; end: { row: number; col: number }; mode: Mode } | null = null;
  protected warnedReadonly = false;
  protected cmdHistory: string[] = [];

  constructor(init: VimInit) {
    this.rows = Math.max(2, init.rows);
    this.columns = Math.max(10, init.columns);
    this.opts = { ...DEFAULT_OPTIONS, ...init.options };
    this.path = init.path;
    this.lines = init.lines && init.lines.length ? [...init.lines] : [''];
    for (const line of init.vimrc ?? []) {
      const t = line.trim().replace(/^:+/, '');
      if (t && !t.startsWith('"')) this.ex(t, true);
    }
    if (init.readonly) this.opts.readonly = true;
    this.msgError = false;
    if (init.message !== undefined) this.msg = init.message;
    else if (init.path !== null) {
      const name = `"${init.path}"`;
      if (init.lines === null) this.msg = `${name} [New]`;
      else this.msg = `${name}${init.readonly ? ' [readonly]' : ''}${init.noeol ? ' [noeol]' : ''} ${init.lines.length}L, ${init.bytes ?? 0}B`;
    }
    this.row = 0;
    this.col = 0;
  }

  // --- keys --------------------------------------------------------------

  /**
   * Feed terminal input (any number of keys). Stops after a key that asks the
   * host for something (a write, quitting): returns the input not used yet,
   * to be fed again once the host has answered (`written()`).
   */
  input(data: string): string {
    const keys = splitVimKeys(data);
    for (let i = 0; i < keys.length; i++) {
      if (this.quitting) return '';
      this.key(keys[i]!);
      if (this.effects.length) return keys.slice(i + 1).join('');
    }
    return '';
  }

  protected keyNo = 0;
  protected msgAt = -1;

  key(k: string): void {
    this.keyNo++;
    const before = this.lines.length;
    this.keyInner(k);
    // lines deleted or inserted with lines below them move the last screen line too (vim deletes and
    // inserts terminal lines over the whole screen): an older message goes
    const after = this.lines.length;
    if (after !== before && this.msgAt !== this.keyNo && !this.msgError) {
      const moved = after < before ? this.row < after - 1 : this.row > this.top && this.row + (after - before) < after;
      if (moved) this.msg = '';
    }
  }

  protected keyInner(k: string): void {
    if (this.recording && !this.replaying) this.recording.push(k);
    switch (this.mode) {
      case 'insert':
      case 'replace':
        this.insertKey(k);
        break;
      case 'cmdline':
        this.cmdlineKey(k);
        break;
      default:
        this.normalKey(k);
    }
    this.scroll();
  }

  // --- helpers -------------------------------------------------------------

  protected get line(): string {
    return this.lines[this.row] ?? '';
  }

  protected setMsg(m: string, error = false): void {
    this.msg = m;
    this.msgError = error;
    this.msgAt = this.keyNo;
  }

  protected beep(): void {
    this.pend = '';
  }

  protected clampCol(insert = this.mode === 'insert' || this.mode === 'replace'): void {
    const len = this.line.length;
    const max = insert || this.mode === 'visual' || this.mode === 'vline' ? len : Math.max(0, len - 1);
    if (this.col > max) this.col = max;
    if (this.col < 0) this.col = 0;
  }

  protected setCursor(row: number, col: number, keepWant = false): void {
    this.row = Math.max(0, Math.min(row, this.lines.length - 1));
    this.col = col;
    this.clampCol();
    if (!keepWant) this.want = displayCol(this.line, this.col, this.opts.tabstop);
  }

  protected state(): UndoState {
    return { lines: [...this.lines], row: this.row, col: this.col };
  }

  protected beginChange(): void {
    if (!this.changeStart) this.changeStart = this.state();
  }

  protected endChange(): void {
    const before = this.changeStart;
    this.changeStart = null;
    if (!before) return;
    const same = before.lines.length === this.lines.length && before.lines.every((l, i) => l === this.lines[i]);
    if (same) {
      // a change that gave back the same text (cw with the same word) still counts as one
      if (this.changedSame) this.modified = true;
      this.changedSame = false;
      return;
    }
    this.changedSame = false;
    this.undoStack.push({ before, after: this.state() });
    if (this.undoStack.length > 1000) this.undoStack.shift();
    this.redoStack = [];
    this.seq++;
    this.modified = true;
    if (this.opts.readonly && !this.warnedReadonly) {
      this.warnedReadonly = true;
      this.setMsg('W10: Warning: Changing a readonly file', true);
    }
  }

  protected scroll(): void {
    const text = this.rows - 1;
    if (this.row < this.top) {
      this.top = this.top - this.row > text / 2 ? Math.max(0, this.row - Math.floor((text - 1) / 2)) : this.row;
    }
    // rows the lines from top to the cursor line take (wrapped lines take more)
    const height = (r: number) => Math.max(1, Math.ceil(this.cellWidth(this.lines[r] ?? '') / this.textWidth()));
    let used = 0;
    for (let r = this.top; r <= this.row; r++) used += height(r);
    if (used > text) {
      // far below: center the cursor line; just below: scroll until it fits
      let far = 0;
      for (let r = this.top; r <= this.row && far <= text * 1.5; r++) far += height(r);
      if (far > text * 1.5) {
        let top = this.row;
        let h = height(top);
        while (top > 0 && h + height(top - 1) <= Math.floor((text + 1) / 2)) h += height(--top);
        this.top = top;
      } else {
        while (used > text && this.top < this.row) used -= height(this.top++);
      }
    }
  }

  protected textWidth(): number {
    return this.columns - this.numberWidth();
  }

  protected numberWidth(): number {
    return this.opts.number ? Math.max(3, String(this.lines.length).length) + 1 : 0;
  }

  protected cellWidth(line: string): number {
    return displayCol(line, line.length, this.opts.tabstop);
  }

  protected abstract normalKey(k: string): void;
  protected abstract insertKey(k: string): void;
  protected abstract cmdlineKey(k: string): void;
  abstract ex(cmd: string, vimrc: boolean): void;
}

/** lines of a buffer as vim counts them (an empty buffer has none) */
export function lineCount(lines: string[]): number {
  return lines.length === 1 && lines[0] === '' ? 0 : lines.length;
}

export function firstDiff(a: string[], b: string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

export function changeText(delta: number, a: string[], b: string[]): string {
  if (delta === 0) {
    let n = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
    return n <= 1 ? '1 change' : `${n} changes`;
  }
  if (delta === 1) return '1 more line';
  if (delta === -1) return '1 line less';
  return delta > 0 ? `${delta} more lines` : `${-delta} fewer lines`;
}

/** Split terminal input into vim's keys: a lone Esc is a key (no Alt combinations), CSI/SS3 sequences are one key. */
export function splitVimKeys(data: string): string[] {
  const keys: string[] = [];
  let i = 0;
  while (i < data.length) {
    const c = data[i]!;
    if (c === '\x1b') {
      const m = /^\x1b\[[0-9;?]*[~A-Za-z]|^\x1bO[A-Za-z]/.exec(data.slice(i, i + 12));
      if (m) {
        keys.push(m[0]);
        i += m[0].length;
        continue;
      }
      keys.push(c);
      i++;
      continue;
    }
    const cp = String.fromCodePoint(data.codePointAt(i)!);
    keys.push(cp);
    i += cp.length;
  }
  return keys;
}
