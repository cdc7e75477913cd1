// vim as a state machine: a buffer, a cursor, modes, and the screen it
// shows. No I/O: keys go in (`key()`), the screen comes out (`screen()`), and
// file writes and quitting are requests the host carries out (`effects`).
//
// What it covers is what an exam user relies on: normal, insert, visual and
// visual-line modes; h j k l w b e W B E 0 ^ $ gg G f t F T ; , H M L with
// counts; i a I A o O s S C D x X r J ~ p P; d c y > < with motions, text
// objects (iw aw) and doubled (dd yy cc >> <<); u, Ctrl-R and `.`; / ? n N *
// #; ex commands :w :q :wq :x :q! :N :s with ranges and :set; messages as vim
// 9 prints them. Its behaviour is checked against recordings of the real vim
// (src/shell/vim/vim.test.ts, fixtures/editor/vim.json).
import { charClass, colForDisplay, displayCol, expandTabs, firstNonBlank, leadingWhite, vimPattern, vimReplace } from './text';

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

const ALIASES: Record<string, keyof VimOptions> = {
  nu: 'number', et: 'expandtab', ts: 'tabstop', sw: 'shiftwidth', sts: 'softtabstop', ai: 'autoindent', ic: 'ignorecase',
  scs: 'smartcase', ws: 'wrapscan', hls: 'hlsearch', is: 'incsearch', ro: 'readonly', bs: 'backspace', ru: 'ruler', smd: 'showmode',
};

export type VimEffect =
  | { type: 'write'; path: string; text: string; quit: boolean; force: boolean; append?: boolean }
  | { type: 'quit'; code: number };

export type Mode = 'normal' | 'insert' | 'replace' | 'visual' | 'vline' | 'cmdline';

interface Register {
  text: string[];
  linewise: boolean;
}

interface UndoState {
  lines: string[];
  row: number;
  col: number;
}

interface Motion {
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

export class Vim {
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

  private pend = '';
  private reg: Register | null = null;
  private undoStack: { before: UndoState; after: UndoState }[] = [];
  private redoStack: { before: UndoState; after: UndoState }[] = [];
  private changeStart: UndoState | null = null;
  private changedSame = false;
  private pendingOp: { op: string; count: number } | null = null;
  private pasteSaved: { autoindent: boolean; expandtab: boolean; softtabstop: number } | null = null;
  private seq = 0;
  private lastSearch: { pat: string; forward: boolean } | null = null;
  private lastFind: { cmd: string; ch: string } | null = null;
  private lastSub: { pat: string; rep: string; flags: string } | null = null;
  private dot: string[] = [];
  private recording: string[] | null = null;
  private replaying = false;
  private insertStart = { row: 0, col: 0 };
  private insertCount = 1;
  private insertRepeat: string[] = [];
  private insertKind = '';
  private visualStart = { row: 0, col: 0 };
  private lastVisual: { start: { row: number; col: number }; end: { row: number; col: number }; mode: Mode } | null = null;
  private warnedReadonly = false;
  private cmdHistory: string[] = [];

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

  private keyNo = 0;
  private msgAt = -1;

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

  private keyInner(k: string): void {
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

  private get line(): string {
    return this.lines[this.row] ?? '';
  }

  private setMsg(m: string, error = false): void {
    this.msg = m;
    this.msgError = error;
    this.msgAt = this.keyNo;
  }

  private beep(): void {
    this.pend = '';
  }

  private clampCol(insert = this.mode === 'insert' || this.mode === 'replace'): void {
    const len = this.line.length;
    const max = insert || this.mode === 'visual' || this.mode === 'vline' ? len : Math.max(0, len - 1);
    if (this.col > max) this.col = max;
    if (this.col < 0) this.col = 0;
  }

  private setCursor(row: number, col: number, keepWant = false): void {
    this.row = Math.max(0, Math.min(row, this.lines.length - 1));
    this.col = col;
    this.clampCol();
    if (!keepWant) this.want = displayCol(this.line, this.col, this.opts.tabstop);
  }

  private state(): UndoState {
    return { lines: [...this.lines], row: this.row, col: this.col };
  }

  private beginChange(): void {
    if (!this.changeStart) this.changeStart = this.state();
  }

  private endChange(): void {
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

  private scroll(): void {
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

  private textWidth(): number {
    return this.columns - this.numberWidth();
  }

  private numberWidth(): number {
    return this.opts.number ? Math.max(3, String(this.lines.length).length) + 1 : 0;
  }

  private cellWidth(line: string): number {
    return displayCol(line, line.length, this.opts.tabstop);
  }

  // --- normal mode ---------------------------------------------------------

  private normalKey(k: string): void {
    if (this.mode === 'normal' || this.mode === 'visual' || this.mode === 'vline') {
      if (k === '\x1b') {
        if (this.pend) this.pend = '';
        else if (this.mode !== 'normal') this.leaveVisual();
        return;
      }
      if (k === '\x03') {
        this.pend = '';
        if (this.mode !== 'normal') this.leaveVisual();
        else this.setMsg('Type  :qa!  and press <Enter> to abandon all changes and exit Vim');
        return;
      }
      const arrows: Record<string, string> = { '\x1b[A': 'k', '\x1b[B': 'j', '\x1b[C': 'l', '\x1b[D': 'h', '\x1bOA': 'k', '\x1bOB': 'j', '\x1bOC': 'l', '\x1bOD': 'h', '\x1b[H': '0', '\x1b[F': '$', '\x7f': 'h', '\x08': 'h', '\x1b[3~': 'x', '\r': '+', '\n': 'j' };
      if (arrows[k]) k = arrows[k]!;
      if (k.startsWith('\x1b')) return;
      this.pend += k;
      const done = this.mode === 'normal' ? this.normalCommand(this.pend) : this.visualCommand(this.pend);
      if (done) this.pend = '';
    }
  }

  /** Try to run `keys` as one normal-mode command; false while more keys are needed. */
  private normalCommand(keys: string): boolean {
    const m = /^([1-9][0-9]*)?(?:"([a-zA-Z0-9"]))?([1-9][0-9]*)?(.*)$/s.exec(keys)!;
    const count = (m[1] ? Number(m[1]) : 1) * (m[3] ? Number(m[3]) : 1);
    const hasCount = !!(m[1] || m[3]);
    const rest = m[4]!;
    if (rest === '' || rest === '"') return false;
    if (keys.length > 60) return true;
    const c = rest[0]!;
    const recordChange = () => {
      if (!this.replaying) this.dot = [...keys];
    };
    // operators
    if ('dcy<>'.includes(c) || rest.startsWith('g~') || rest.startsWith('gu') || rest.startsWith('gU')) {
      const opLen = c === 'g' ? 2 : 1;
      const op = rest.slice(0, opLen);
      const after = rest.slice(opLen);
      if (after === '') return false;
      const m2 = /^([1-9][0-9]*)?(.*)$/s.exec(after)!;
      const count2 = (m2[1] ? Number(m2[1]) : 1) * count;
      const motionKeys = m2[2]!;
      if (motionKeys === '') return false;
      if (motionKeys === '/' || motionKeys === '?') {
        this.pendingOp = { op, count: count2 };
        this.mode = 'cmdline';
        this.cmdline = motionKeys;
        this.cmdCursor = 1;
        if (op !== 'y' && !this.replaying) this.dot = [...keys];
        return true;
      }
      const doubled = motionKeys === op || (op.length === 2 && (motionKeys === op[1] || motionKeys === op));
      let motion: Motion | null;
      if (doubled) {
        const last = this.row + count2 - 1;
        if (last >= this.lines.length && (op !== 'y' || count2 > this.lines.length - this.row)) {
          if (op === 'd' || op === 'c' || op === 'y') {
            if (this.row + count2 - 1 >= this.lines.length && this.lines.length - this.row < count2 && count2 > 1 && false) return true;
          }
        }
        motion = { row: Math.min(last, this.lines.length - 1), col: 0, linewise: true, inclusive: true };
        if (last >= this.lines.length && count2 > 1 && this.row === this.lines.length - 1 && op !== 'y') motion = { ...motion, fail: false };
      } else {
        motion = this.motion(motionKeys, count2, m2[1] !== undefined || hasCount, op);
        if (motion === null) return false;
      }
      if (motion.fail) return true;
      if (op !== 'y') recordChange();
      this.operate(op, motion, count2);
      return true;
    }
    // simple changes
    switch (rest) {
      case 'x':
      case 'X':
      case 's':
      case 'D':
      case 'C':
      case 'S': {
        const map: Record<string, string> = { x: 'dl', X: 'dh', s: 'cl', D: 'd$', C: 'c$', S: 'cc' };
        if ((rest === 'x' || rest === 's') && this.line.length === 0 && rest === 'x') return true;
        if (rest === 'X' && this.col === 0) return true;
        recordChange();
        const saved = this.replaying;
        this.replaying = true;
        this.normalCommand((hasCount ? String(count) : '') + map[rest]!);
        this.replaying = saved;
        return true;
      }
      case 'i':
      case 'a':
      case 'I':
      case 'A':
      case 'o':
      case 'O':
        recordChange();
        this.startInsert(rest, count);
        return true;
      case 'R':
        recordChange();
        this.startInsert('R', count);
        return true;
      case 'p':
      case 'P':
        recordChange();
        this.put(rest === 'P', count);
        return true;
      case 'J':
      case 'gJ':
        if (this.row >= this.lines.length - 1) return true;
        recordChange();
        this.join(Math.max(2, count), rest === 'J');
        return true;
      case '~': {
        recordChange();
        this.beginChange();
        const line = this.line;
        if (!line.length) {
          this.changeStart = null;
          return true;
        }
        const end = Math.min(line.length, this.col + count);
        let s = '';
        for (const ch of line.slice(this.col, end)) s += ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase();
        this.lines[this.row] = line.slice(0, this.col) + s + line.slice(end);
        this.col = end;
        this.clampCol();
        this.want = displayCol(this.line, this.col, this.opts.tabstop);
        this.endChange();
        return true;
      }
      case 'u':
        for (let i = 0; i < count; i++) this.undo();
        return true;
      case '\x12':
        for (let i = 0; i < count; i++) this.redo();
        return true;
      case '.':
        this.repeat(hasCount ? count : null);
        return true;
      case 'v':
      case 'V':
        this.mode = rest === 'v' ? 'visual' : 'vline';
        this.visualStart = { row: this.row, col: this.col };
        this.setMsg('');
        return true;
      case ':':
        this.mode = 'cmdline';
        this.cmdline = hasCount ? (count === 1 ? ':.' : `:.,.+${count - 1}`) : ':';
        this.cmdCursor = this.cmdline.length;
        return true;
      case '/':
      case '?':
        this.mode = 'cmdline';
        this.cmdline = rest;
        this.cmdCursor = 1;
        return true;
      case 'ZZ':
        this.ex('x', false);
        return true;
      case 'ZQ':
        this.ex('q!', false);
        return true;
      case 'Z':
      case 'g':
      case 'z':
      case '[':
      case ']':
        return false;
      case '\x07': {
        const name = this.path === null ? '[No Name]' : `"${this.path}"`;
        const n = this.lines.length;
        this.setMsg(`${name}${this.modified ? ' [Modified]' : ''} ${n} line${n === 1 ? '' : 's'} --${Math.floor(((this.row + 1) * 100) / n)}%--`);
        return true;
      }
      case 'r':
        return false;
      case 'zz':
      case 'zt':
      case 'zb':
      case 'z\r':
        this.scrollTo(rest);
        return true;
      case '\x05':
        this.top = Math.min(this.top + count, this.lines.length - 1);
        if (this.row < this.top) this.setCursor(this.top, this.col, true);
        return true;
      case '\x19':
        this.top = Math.max(0, this.top - count);
        if (this.row > this.top + this.rows - 2) this.setCursor(this.top + this.rows - 2, this.col, true);
        return true;
    }
    if (rest.length === 2 && rest[0] === 'r') {
      const ch = rest[1]!;
      if (ch === '\x1b') return true;
      if (this.col + count > this.line.length) return true;
      recordChange();
      this.beginChange();
      const line = this.line;
      if (ch === '\r') {
        this.lines.splice(this.row, 1, line.slice(0, this.col), line.slice(this.col + count));
        this.setCursor(this.row + 1, 0);
      } else {
        this.lines[this.row] = line.slice(0, this.col) + ch.repeat(count) + line.slice(this.col + count);
        this.col += count - 1;
        this.want = displayCol(this.line, this.col, this.opts.tabstop);
      }
      this.endChange();
      return true;
    }
    // a motion on its own
    const mo = this.motion(rest, count, hasCount, '');
    if (mo === null) return false;
    if (mo.fail) return true;
    const keepWant = /^([jk+\-_]|\x0e|\x10|\x1b\[[AB])$/.test(rest) || rest === 'gj' || rest === 'gk';
    if (rest === '$') {
      this.setCursor(mo.row, mo.col);
      this.want = Infinity;
    } else if (keepWant) {
      this.row = mo.row;
      this.col = mo.col;
      this.clampCol();
    } else this.setCursor(mo.row, mo.col);
    return true;
  }

  private scrollTo(how: string): void {
    const text = this.rows - 1;
    if (how === 'zt' || how === 'z\r') this.top = this.row;
    else if (how === 'zb') this.top = Math.max(0, this.row - text + 1);
    else this.top = Math.max(0, this.row - Math.floor((text - 1) / 2));
    if (how === 'z\r') this.setCursor(this.row, firstNonBlank(this.line));
  }

  /**
   * The motion `keys` from the cursor (null: more keys needed). `op` is the
   * pending operator ('' for a cursor motion), which changes cw and text objects.
   */
  private motion(keys: string, count: number, hasCount: boolean, op: string): Motion | null {
    const L = this.lines;
    const row = this.row;
    const col = this.col;
    const here = (r: number, c: number, o: Partial<Motion> = {}): Motion => ({ row: r, col: c, linewise: false, inclusive: false, ...o });
    const fail = (): Motion => ({ row, col, linewise: false, inclusive: false, fail: true });
    const ts = this.opts.tabstop;
    const vertical = (r: number): Motion => {
      const target = Math.max(0, Math.min(r, L.length - 1));
      const want = this.want === Infinity ? Infinity : this.want;
      const line = L[target]!;
      let c = want === Infinity ? Math.max(0, line.length - 1) : colForDisplay(line, want, ts);
      if (want !== Infinity && op === '' && this.mode === 'normal') c = Math.min(c, Math.max(0, line.length - 1));
      return here(target, c, { linewise: true });
    };
    switch (keys) {
      case 'h':
      case '\x08':
        if (col === 0) return op ? fail() : fail();
        return here(row, Math.max(0, col - count));
      case 'l':
      case ' ': {
        const len = L[row]!.length;
        const max = op || this.mode !== 'normal' ? len : Math.max(0, len - 1);
        if (col >= max) return op && len > 0 ? here(row, len) : fail();
        return here(row, Math.min(max, col + count));
      }
      case 'j':
      case '\x0e':
      case '+':
      case '\r':
        if (row + count > L.length - 1 && (keys === 'j' || keys === '\x0e' || !op)) {
          if (row >= L.length - 1) return fail();
          if (keys === 'j' || keys === '\x0e') return op ? fail() : vertical(L.length - 1);
        }
        if (keys === '+' || keys === '\r') {
          const t = Math.min(row + count, L.length - 1);
          return here(t, firstNonBlank(L[t]!), { linewise: true });
        }
        return vertical(row + count);
      case 'k':
      case '\x10':
      case '-':
        if (row === 0) return fail();
        if (row - count < 0 && op) return fail();
        if (keys === '-') {
          const t = Math.max(0, row - count);
          return here(t, firstNonBlank(L[t]!), { linewise: true });
        }
        return vertical(row - count);
      case '_': {
        const t = Math.min(row + count - 1, L.length - 1);
        return here(t, firstNonBlank(L[t]!), { linewise: true });
      }
      case '0':
        return here(row, 0);
      case '^':
        return here(row, firstNonBlank(L[row]!) === L[row]!.length - 1 && /^\s*$/.test(L[row]!) ? Math.max(0, L[row]!.length - 1) : firstNonBlank(L[row]!));
      case '$': {
        const t = Math.min(row + count - 1, L.length - 1);
        return here(t, op ? Math.max(0, L[t]!.length - 1) : Math.max(0, L[t]!.length - 1), { inclusive: true, ...(op && L[t]!.length === 0 ? { inclusive: false } : {}) });
      }
      case '|':
        return here(row, Math.min(colForDisplay(L[row]!, count - 1, ts), Math.max(0, L[row]!.length - 1)));
      case 'G':
      case 'gg': {
        const t = hasCount ? Math.min(count, L.length) - 1 : keys === 'G' ? L.length - 1 : 0;
        return here(t, firstNonBlank(L[t]!), { linewise: true });
      }
      case 'H':
      case 'L':
      case 'M': {
        const text = this.rows - 1;
        const bottom = Math.min(L.length - 1, this.top + text - 1);
        const t = keys === 'H' ? Math.min(this.top + count - 1, bottom) : keys === 'L' ? Math.max(this.top, bottom - count + 1) : this.top + Math.floor((bottom - this.top) / 2);
        return here(t, firstNonBlank(L[t]!), { linewise: true });
      }
      case 'w':
      case 'W':
      case 'e':
      case 'E':
      case 'b':
      case 'B':
      case 'ge':
      case 'gE':
        return this.wordMotion(keys, count, op);
      case 'n':
      case 'N':
      case '*':
      case '#': {
        if (keys === '*' || keys === '#') {
          const word = this.wordUnderCursor();
          if (!word) {
            this.setMsg('E348: No string under cursor', true);
            return fail();
          }
          this.lastSearch = { pat: /^\w/.test(word) ? `\\<${word}\\>` : word, forward: keys === '*' };
        }
        if (!this.lastSearch) {
          this.setMsg('E35: No previous regular expression', true);
          return fail();
        }
        const forward = keys === 'N' || keys === '#' ? !this.lastSearch.forward : this.lastSearch.forward;
        let pos: { row: number; col: number } | null = { row, col };
        for (let i = 0; i < count && pos; i++) pos = this.search(this.lastSearch.pat, keys === '*' || keys === '#' ? keys === '*' : forward, pos, true);
        if (!pos) return fail();
        if (!this.msgError && !/^search hit/.test(this.msg)) this.setMsg(`${forward === (keys === 'N' || keys === '#' ? !this.lastSearch.forward : this.lastSearch.forward) && this.lastSearch.forward ? '/' : '?'}${this.lastSearch.pat}`);
        if (keys === 'N' && !/^search hit/.test(this.msg)) this.setMsg(`${this.lastSearch.forward ? '?' : '/'}${this.lastSearch.pat}`);
        if (keys === 'n' && !/^search hit/.test(this.msg)) this.setMsg(`${this.lastSearch.forward ? '/' : '?'}${this.lastSearch.pat}`);
        return here(pos.row, pos.col);
      }
      case ';':
      case ',': {
        if (!this.lastFind) return fail();
        let cmd = this.lastFind.cmd;
        if (keys === ',') cmd = cmd === 'f' ? 'F' : cmd === 'F' ? 'f' : cmd === 't' ? 'T' : 't';
        return this.findChar(cmd, this.lastFind.ch, count, op, true);
      }
      case '%':
        return this.matchPair(op);
      case '}':
      case '{': {
        let r = row;
        for (let i = 0; i < count; i++) {
          if (keys === '}') {
            while (r < L.length - 1 && L[r] === '') r++;
            while (r < L.length - 1 && L[r] !== '') r++;
          } else {
            while (r > 0 && L[r] === '') r--;
            while (r > 0 && L[r] !== '') r--;
          }
        }
        const c = keys === '}' && r === L.length - 1 && L[r] !== '' ? Math.max(0, L[r]!.length - (op ? 0 : 1)) : 0;
        return here(r, c, { inclusive: keys === '}' && r === L.length - 1 && L[r] !== '' && !op });
      }
    }
    if (/^[fFtT]$/.test(keys)) return null;
    if (/^[fFtT].$/s.test(keys)) {
      if (keys[1] === '\x1b') return fail();
      this.lastFind = { cmd: keys[0]!, ch: keys[1]! };
      return this.findChar(keys[0]!, keys[1]!, count, op, false);
    }
    if (keys === 'g' || ((keys === 'i' || keys === 'a') && (op || this.mode !== 'normal'))) return null;
    if (/^[ia][wW]$/.test(keys) && (op || this.mode !== 'normal')) return this.wordObject(keys, count);
    if (/^[ia][\]\[(){}bB<>"'`]$/.test(keys) && (op || this.mode !== 'normal')) return this.pairObject(keys) ?? fail();
    return fail();
  }

  private findChar(cmd: string, ch: string, count: number, op: string, repeat: boolean): Motion {
    const line = this.line;
    let c = this.col;
    const fail: Motion = { row: this.row, col: this.col, linewise: false, inclusive: false, fail: true };
    for (let i = 0; i < count; i++) {
      if (cmd === 'f' || cmd === 't') {
        const from = cmd === 't' && repeat && i === 0 && line[c + 1] === ch ? c + 2 : c + 1;
        const k = line.indexOf(ch, from);
        if (k < 0) return fail;
        c = k;
      } else {
        const from = cmd === 'T' && repeat && i === 0 && line[c - 1] === ch ? c - 2 : c - 1;
        if (from < 0) return fail;
        const k = line.lastIndexOf(ch, from);
        if (k < 0) return fail;
        c = k;
      }
    }
    if (cmd === 't') c--;
    if (cmd === 'T') c++;
    return { row: this.row, col: c, linewise: false, inclusive: cmd === 'f' || cmd === 't' };
  }

  private matchPair(op: string): Motion {
    const line = this.line;
    const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}', ')': '(', ']': '[', '}': '{' };
    let c = this.col;
    while (c < line.length && !pairs[line[c]!]) c++;
    const fail: Motion = { row: this.row, col: this.col, linewise: false, inclusive: false, fail: true };
    if (c >= line.length) return fail;
    const open = line[c]!;
    const close = pairs[open]!;
    const forward = '([{'.includes(open);
    let depth = 0;
    let r = this.row;
    let k = c;
    for (;;) {
      const l = this.lines[r]!;
      const ch = l[k];
      if (ch === open) depth++;
      else if (ch === close && --depth === 0) return { row: r, col: k, linewise: false, inclusive: true };
      if (forward) {
        k++;
        while (k >= (this.lines[r]?.length ?? 0)) {
          r++;
          k = 0;
          if (r >= this.lines.length) return fail;
          if (this.lines[r]!.length) break;
        }
      } else {
        k--;
        while (k < 0) {
          r--;
          if (r < 0) return fail;
          k = this.lines[r]!.length - 1;
        }
      }
    }
    void op;
  }

  private wordUnderCursor(): string {
    const line = this.line;
    let s = this.col;
    while (s < line.length && charClass(line[s]) !== 2) s++;
    if (s >= line.length) return '';
    let e = s;
    while (s > 0 && charClass(line[s - 1]) === 2) s--;
    while (e < line.length && charClass(line[e]) === 2) e++;
    return line.slice(s, e);
  }

  private wordMotion(keys: string, count: number, op: string): Motion {
    const big = keys === 'W' || keys === 'E' || keys === 'B' || keys === 'gE';
    const cls = (c: string | undefined) => {
      const k = charClass(c);
      return big && k ? 1 : k;
    };
    const L = this.lines;
    let r = this.row;
    let c = this.col;
    const atEnd = () => r === L.length - 1 && c >= Math.max(0, L[r]!.length - 1);
    const next = (): boolean => {
      // one position forward; an empty line counts as a position; false at the end of the buffer
      if (c < L[r]!.length - 1) {
        c++;
        return true;
      }
      if (r >= L.length - 1) return false;
      r++;
      c = 0;
      return true;
    };
    const prev = (): boolean => {
      if (c > 0) {
        c--;
        return true;
      }
      if (r === 0) return false;
      r--;
      c = Math.max(0, L[r]!.length - 1);
      return true;
    };
    const ch = () => L[r]![c];
    const startCol = this.col;
    const startRow = this.row;
    if (keys === 'w' || keys === 'W') {
      // cw / cW on a non-blank: like ce
      if (op === 'c' && cls(ch()) !== 0) {
        for (let i = 0; i < count; i++) {
          const k = cls(ch());
          if (i > 0 || (c < L[r]!.length - 1 && cls(L[r]![c + 1]) !== k) || c >= L[r]!.length - 1) {
            if (i > 0 || c >= L[r]!.length - 1 || cls(L[r]![c + 1]) !== k) {
              if (i === 0) continue;
            }
          }
          if (i === 0 && c < L[r]!.length - 1 && cls(L[r]![c + 1]) === k) {
            while (c < L[r]!.length - 1 && cls(L[r]![c + 1]) === k) c++;
            continue;
          }
          // move to the end of the next word
          if (!next()) break;
          while (cls(ch()) === 0 && (L[r]!.length > 0 || true)) {
            if (L[r]!.length === 0 && r !== startRow) break;
            if (!next()) break;
          }
          const k2 = cls(ch());
          while (c < L[r]!.length - 1 && cls(L[r]![c + 1]) === k2) c++;
        }
        return { row: r, col: c, linewise: false, inclusive: true };
      }
      let lastLineLimited = false;
      for (let i = 0; i < count; i++) {
        const k = cls(ch());
        const r0 = r;
        // skip the rest of the current word
        if (k !== 0) while (r === r0 && cls(L[r]![c + 1]) === k && c < L[r]!.length - 1) c++;
        if (!next()) {
          // at the end of the buffer: the motion goes to the last char (and includes it for an operator)
          c = L[r]!.length;
          lastLineLimited = true;
          break;
        }
        if (r !== r0 && op && i === count - 1) {
          // an operator stops at the end of the line (dw on the last word)
          return { row: r0, col: L[r0]!.length, linewise: false, inclusive: false };
        }
        // skip blanks (an empty line is a word)
        while (cls(ch()) === 0 && L[r]!.length > 0) {
          const rr = r;
          if (!next()) {
            c = L[r]!.length;
            lastLineLimited = true;
            break;
          }
          if (r !== rr && op && i === count - 1) return { row: rr, col: L[rr]!.length, linewise: false, inclusive: false };
        }
        if (lastLineLimited) break;
      }
      if (lastLineLimited) {
        if (!op) {
          if (r === startRow && startCol >= Math.max(0, L[r]!.length - 1)) return { row: r, col: startCol, linewise: false, inclusive: false, fail: true };
          return { row: r, col: Math.max(0, L[r]!.length - 1), linewise: false, inclusive: false };
        }
        return { row: r, col: L[r]!.length, linewise: false, inclusive: false };
      }
      return { row: r, col: c, linewise: false, inclusive: false };
    }
    if (keys === 'e' || keys === 'E') {
      for (let i = 0; i < count; i++) {
        if (!next()) {
          if (i === 0 && atEnd()) return { row: r, col: c, linewise: false, inclusive: true, fail: !op || true };
          break;
        }
        while (cls(ch()) === 0) if (!next()) break;
        const k = cls(ch());
        while (c < L[r]!.length - 1 && cls(L[r]![c + 1]) === k) c++;
      }
      return { row: r, col: c, linewise: false, inclusive: true };
    }
    if (keys === 'b' || keys === 'B') {
      for (let i = 0; i < count; i++) {
        if (!prev()) {
          if (i === 0) return { row: r, col: c, linewise: false, inclusive: false, fail: true };
          break;
        }
        while (cls(ch()) === 0 && L[r]!.length > 0) if (!prev()) break;
        const k = cls(ch());
        while (c > 0 && cls(L[r]![c - 1]) === k) c--;
      }
      return { row: r, col: c, linewise: false, inclusive: false };
    }
    // ge gE
    for (let i = 0; i < count; i++) {
      const k = cls(ch());
      while (cls(ch()) === k && L[r]!.length > 0) if (!prev()) break;
      while (cls(ch()) === 0 && L[r]!.length > 0) if (!prev()) break;
    }
    return { row: r, col: c, linewise: false, inclusive: true };
  }

  private wordObject(keys: string, count: number): Motion {
    const line = this.line;
    const big = keys[1] === 'W';
    const cls = (c: string | undefined) => {
      const k = charClass(c);
      return big && k ? 1 : k;
    };
    let s = this.col;
    let e = this.col;
    for (let i = 0; i < count; i++) {
      const k = cls(line[e]);
      if (i > 0) {
        e++;
        if (e >= line.length) break;
      }
      const kk = i > 0 ? cls(line[e]) : k;
      if (i === 0) while (s > 0 && cls(line[s - 1]) === kk) s--;
      while (e < line.length - 1 && cls(line[e + 1]) === kk) e++;
      if (keys[0] === 'a' && kk !== 0) {
        // aw: the word and the blanks after it (or before it at the end of the line)
        if (e < line.length - 1 && cls(line[e + 1]) === 0) {
          e++;
          while (e < line.length - 1 && cls(line[e + 1]) === 0) e++;
        } else if (i === 0) while (s > 0 && cls(line[s - 1]) === 0) s--;
      } else if (keys[0] === 'a' && kk === 0) {
        e++;
        const k2 = cls(line[e]);
        while (e < line.length - 1 && cls(line[e + 1]) === k2) e++;
      }
    }
    return { row: this.row, col: Math.min(e, line.length - 1), linewise: false, inclusive: true, from: { row: this.row, col: s } };
  }

  private pairObject(keys: string): Motion | null {
    const inner = keys[0] === 'i';
    let ch = keys[1]!;
    const map: Record<string, [string, string]> = { '(': ['(', ')'], ')': ['(', ')'], b: ['(', ')'], '{': ['{', '}'], '}': ['{', '}'], B: ['{', '}'], '[': ['[', ']'], ']': ['[', ']'], '<': ['<', '>'], '>': ['<', '>'] };
    const line = this.line;
    if (ch === '"' || ch === "'" || ch === '`') {
      const before = line.lastIndexOf(ch, this.col);
      let s: number;
      let e: number;
      if (before >= 0 && line[this.col] !== ch) {
        s = before;
        e = line.indexOf(ch, this.col);
      } else if (line[this.col] === ch) {
        const n = [...line.slice(0, this.col)].filter((x) => x === ch).length;
        if (n % 2 === 0) {
          s = this.col;
          e = line.indexOf(ch, this.col + 1);
        } else {
          s = line.lastIndexOf(ch, this.col - 1);
          e = this.col;
        }
      } else {
        s = line.indexOf(ch, this.col);
        e = s >= 0 ? line.indexOf(ch, s + 1) : -1;
      }
      if (s < 0 || e < 0) return null;
      if (inner) return e - s <= 1 ? null : { row: this.row, col: e - 1, linewise: false, inclusive: true, from: { row: this.row, col: s + 1 } };
      return { row: this.row, col: e, linewise: false, inclusive: true, from: { row: this.row, col: s } };
    }
    const pair = map[ch];
    if (!pair) return null;
    ch = pair[0];
    // search backwards for the unmatched open, forward for its close (across lines)
    let depth = 0;
    let r = this.row;
    let c = this.col;
    let open: { row: number; col: number } | null = null;
    if (this.lines[r]![c] === pair[0]) open = { row: r, col: c };
    while (!open) {
      c--;
      while (c < 0) {
        r--;
        if (r < 0) return null;
        c = this.lines[r]!.length - 1;
      }
      const x = this.lines[r]![c];
      if (x === pair[1]) depth++;
      else if (x === pair[0]) {
        if (depth === 0) open = { row: r, col: c };
        else depth--;
      }
    }
    r = open.row;
    c = open.col;
    depth = 0;
    for (;;) {
      const x = this.lines[r]![c];
      if (x === pair[0]) depth++;
      else if (x === pair[1] && --depth === 0) break;
      c++;
      while (c >= this.lines[r]!.length) {
        r++;
        c = 0;
        if (r >= this.lines.length) return null;
        if (this.lines[r]!.length) break;
      }
    }
    if (!inner) return { row: r, col: c, linewise: false, inclusive: true, from: open };
    let from = { row: open.row, col: open.col + 1 };
    let to = { row: r, col: c - 1 };
    if (from.col >= this.lines[from.row]!.length && from.row < to.row) from = { row: from.row + 1, col: 0 };
    if (to.col < 0 && to.row > from.row) {
      to = { row: to.row - 1, col: this.lines[to.row - 1]!.length };
      return { row: to.row, col: to.col, linewise: false, inclusive: false, from };
    }
    if (to.row === from.row && to.col < from.col) return null;
    return { row: to.row, col: to.col, linewise: false, inclusive: true, from };
  }

  // --- operators -------------------------------------------------------------

  private operate(op: string, mo: Motion, count: number): void {
    let start = mo.from ?? { row: this.row, col: this.col };
    let end = { row: mo.row, col: mo.col };
    if (end.row < start.row || (end.row === start.row && end.col < start.col)) [start, end] = [end, start];
    let linewise = mo.linewise && !mo.from && (mo.row !== this.row || /* j k G gg etc. */ true);
    // characterwise motions: h l w b e f t $ 0 ^ n N; linewise: j k G gg + - _ dd H L M
    if (!mo.linewise) linewise = false;
    let inclusive = mo.inclusive;
    // a characterwise end past the last character (v$) takes the line break with it
    if (!linewise && inclusive && mo.from && end.col >= this.lines[end.row]!.length && end.row < this.lines.length - 1 && this.lines[end.row]!.length > 0) {
      end = { row: end.row + 1, col: 0 };
      inclusive = false;
    }
    // an exclusive motion ending in column 0 of a later line: the end moves to the end of the line before
    if (!linewise && !inclusive && end.row > start.row && end.col === 0 && !mo.from) {
      end = { row: end.row - 1, col: this.lines[end.row - 1]!.length };
      if (start.col <= firstNonBlank(this.lines[start.row]!) && /^\s*$/.test(this.lines[start.row]!.slice(0, start.col)) && op !== 'y') linewise = true;
      inclusive = false;
    }
    if (op === '>' || op === '<') {
      this.shift(op, start.row, end.row, 1);
      return;
    }
    if (op === 'g~' || op === 'gu' || op === 'gU') {
      this.beginChange();
      const f = (s: string) => (op === 'gu' ? s.toLowerCase() : op === 'gU' ? s.toUpperCase() : [...s].map((ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())).join(''));
      for (let r = start.row; r <= end.row; r++) {
        const l = this.lines[r]!;
        const a = linewise || r > start.row ? 0 : start.col;
        const b = linewise || r < end.row ? l.length : end.col + (inclusive ? 1 : 0);
        this.lines[r] = l.slice(0, a) + f(l.slice(a, b)) + l.slice(b);
      }
      this.setCursor(start.row, linewise ? this.col : start.col);
      this.endChange();
      return;
    }
    if (linewise) {
      const text = this.lines.slice(start.row, end.row + 1);
      this.reg = { text, linewise: true };
      const n = text.length;
      if (op === 'y') {
        if (n > this.opts.report) this.setMsg(`${n} lines yanked`);
        this.setCursor(start.row, mo.from ? start.col : this.row === start.row ? this.col : this.col, true);
        if (start.row !== this.row) this.setCursor(start.row, this.col, true);
        return;
      }
      this.beginChange();
      if (op === 'd') {
        this.lines.splice(start.row, n);
        if (this.lines.length === 0) this.lines.push('');
        const r = Math.min(start.row, this.lines.length - 1);
        this.setCursor(r, firstNonBlank(this.lines[r]!));
        if (n > this.opts.report) this.setMsg(`${n} fewer lines`);
        if (this.lines.length === 1 && this.lines[0] === '' && n > this.opts.report) this.setMsg('--No lines in buffer--');
      } else {
        // c: the lines go, one empty line (keeping the indent with autoindent) is left to type in
        const indent = this.opts.autoindent ? leadingWhite(text[0]!) : '';
        this.lines.splice(start.row, n, indent);
        this.row = start.row;
        this.col = indent.length;
        this.enterInsert('c', 1);
        return;
      }
      this.endChange();
      return;
    }
    // characterwise
    const endCol = inclusive ? end.col + 1 : end.col;
    const text: string[] = [];
    if (start.row === end.row) text.push(this.lines[start.row]!.slice(start.col, endCol));
    else {
      text.push(this.lines[start.row]!.slice(start.col));
      for (let r = start.row + 1; r < end.row; r++) text.push(this.lines[r]!);
      text.push(this.lines[end.row]!.slice(0, endCol));
    }
    if (text.length === 1 && text[0] === '' && op !== 'c') {
      return;
    }
    this.reg = { text, linewise: false };
    if (op === 'y') {
      if (text.length > this.opts.report) this.setMsg(`${text.length} lines yanked`);
      this.setCursor(start.row, start.col);
      return;
    }
    this.beginChange();
    const first = this.lines[start.row]!.slice(0, start.col);
    const last = this.lines[end.row]!.slice(endCol);
    this.lines.splice(start.row, end.row - start.row + 1, first + last);
    if (op === 'd') {
      if (text.length > this.opts.report + 1) this.setMsg(`${text.length - 1} fewer lines`);
      this.setCursor(start.row, start.col);
      this.endChange();
      return;
    }
    this.row = start.row;
    this.col = start.col;
    this.enterInsert('c', 1);
    void count;
  }

  private shift(dir: string, from: number, to: number, times: number): void {
    this.beginChange();
    this.changedSame = true;
    const sw = this.opts.shiftwidth || this.opts.tabstop;
    for (let r = from; r <= to; r++) {
      const l = this.lines[r]!;
      if (l === '' && dir === '>') continue;
      const ws = leadingWhite(l);
      const width = displayCol(ws, ws.length, this.opts.tabstop);
      const target = dir === '>' ? width + sw * times : Math.max(0, width - sw * times);
      this.lines[r] = this.indentText(target) + l.slice(ws.length);
    }
    const n = to - from + 1;
    this.setCursor(from, firstNonBlank(this.lines[from]!));
    if (n > this.opts.report) this.setMsg(`${n} lines ${dir}ed ${times} time${times === 1 ? '' : 's'}`);
    else if (this.msg && /lines [<>]ed/.test(this.msg)) this.setMsg('');
    this.endChange();
  }

  private indentText(width: number): string {
    if (this.opts.expandtab) return ' '.repeat(width);
    const ts = this.opts.tabstop;
    return '\t'.repeat(Math.floor(width / ts)) + ' '.repeat(width % ts);
  }

  private put(before: boolean, count: number): void {
    const reg = this.reg;
    if (!reg) {
      this.setMsg('E353: Nothing in register "', true);
      return;
    }
    if (reg.text.length === 1 && reg.text[0] === '' && !reg.linewise) return;
    this.beginChange();
    if (reg.linewise) {
      const block: string[] = [];
      for (let i = 0; i < count; i++) block.push(...reg.text);
      const at = before ? this.row : this.row + 1;
      this.lines.splice(at, 0, ...block);
      this.setCursor(at, firstNonBlank(this.lines[at]!));
      if (block.length > this.opts.report) this.setMsg(`${block.length} more lines`);
    } else {
      const line = this.line;
      const at = before || line.length === 0 ? this.col : this.col + 1;
      let text = reg.text.join('\n');
      text = text.repeat(count);
      const parts = text.split('\n');
      const head = line.slice(0, at);
      const tail = line.slice(at);
      if (parts.length === 1) {
        this.lines[this.row] = head + parts[0] + tail;
        this.setCursor(this.row, at + parts[0]!.length - 1);
      } else {
        const newLines = [head + parts[0], ...parts.slice(1, -1), parts[parts.length - 1] + tail];
        this.lines.splice(this.row, 1, ...newLines);
        this.setCursor(this.row, at);
        if (newLines.length - 1 > this.opts.report) this.setMsg(`${newLines.length - 1} more lines`);
      }
    }
    this.endChange();
  }

  private join(n: number, spaces: boolean): void {
    this.beginChange();
    const last = Math.min(this.lines.length - 1, this.row + n - 1);
    let line = this.lines[this.row]!;
    let col = 0;
    for (let r = this.row + 1; r <= last; r++) {
      let next = this.lines[r]!;
      if (spaces) {
        next = next.replace(/^[ \t]+/, '');
        line = line.replace(/[ \t]+$/, (m) => m);
        const sep = next === '' || next.startsWith(')') ? '' : /[ \t]$/.test(line) ? '' : line === '' ? '' : ' ';
        col = line.length + (sep ? 0 : 0);
        if (line.endsWith(' ') || line.endsWith('\t')) col = line.length - 1;
        line = line + sep + next;
        col = line.length - next.length - (sep ? 1 : 0);
        if (sep === '' && next !== '') col = line.length - next.length;
        if (sep === '' && next === '') col = Math.max(0, line.length - 1);
      } else {
        col = line.length;
        line += next;
      }
    }
    this.lines.splice(this.row, last - this.row + 1, line);
    this.setCursor(this.row, col);
    const joined = last - this.row + 1;
    if (joined > this.opts.report + 1 && false) this.setMsg(`${joined} lines joined`);
    this.endChange();
  }

  private undo(): void {
    const u = this.undoStack.pop();
    if (!u) {
      this.setMsg('Already at oldest change');
      return;
    }
    this.redoStack.push(u);
    const delta = lineCount(u.before.lines) - lineCount(u.after.lines);
    this.lines = [...u.before.lines];
    const r = firstDiff(u.after.lines, u.before.lines);
    // lines taken away by the undo: the cursor goes to the line above them
    this.row = Math.min(delta < 0 ? Math.max(0, r - 1) : r, this.lines.length - 1);
    this.col = u.before.row === this.row ? u.before.col : firstNonBlank(this.line);
    if (delta < 0 || delta > 0) this.col = u.before.row === this.row ? u.before.col : firstNonBlank(this.line);
    this.clampCol();
    this.want = displayCol(this.line, this.col, this.opts.tabstop);
    this.seq--;
    this.modified = this.seq !== 0 || this.undoStack.length !== 0 ? true : false;
    if (this.undoStack.length === 0) this.modified = false;
    this.setMsg(`${changeText(delta, u.before.lines, u.after.lines)}; before #${this.seq + 1}  0 seconds ago`);
  }

  private redo(): void {
    const u = this.redoStack.pop();
    if (!u) {
      this.setMsg('Already at newest change');
      return;
    }
    this.undoStack.push(u);
    const delta = lineCount(u.after.lines) - lineCount(u.before.lines);
    this.lines = [...u.after.lines];
    const r = firstDiff(u.before.lines, u.after.lines);
    this.row = Math.min(r, this.lines.length - 1);
    this.col = u.before.row === this.row ? u.before.col : firstNonBlank(this.line);
    this.clampCol();
    this.want = displayCol(this.line, this.col, this.opts.tabstop);
    this.seq++;
    this.modified = true;
    this.setMsg(`${changeText(delta, u.before.lines, u.after.lines)}; after #${this.seq}  0 seconds ago`);
  }

  private repeat(count: number | null): void {
    if (!this.dot.length) return;
    let keys = this.dot;
    if (count !== null) {
      const s = keys.join('');
      const m = /^([1-9][0-9]*)?(.*)$/s.exec(s)!;
      keys = splitVimKeys(String(count) + m[2]!);
    }
    this.replaying = true;
    const saved = this.dot;
    const pend = this.pend;
    this.pend = '';
    for (const k of keys) this.keyInner(k);
    this.pend = pend;
    if (this.mode === 'insert' || this.mode === 'replace') this.keyInner('\x1b');
    this.replaying = false;
    this.dot = count !== null ? keys : saved;
  }

  // --- insert mode ---------------------------------------------------------

  private startInsert(kind: string, count: number): void {
    const line = this.line;
    this.beginChange();
    switch (kind) {
      case 'a':
        if (line.length) this.col++;
        break;
      case 'A':
        this.col = line.length;
        break;
      case 'I':
        this.col = /^[ \t]*/.exec(line)![0].length;
        break;
      case 'o':
      case 'O': {
        const indent = this.opts.autoindent ? leadingWhite(line) : '';
        const at = kind === 'o' ? this.row + 1 : this.row;
        this.lines.splice(at, 0, indent);
        this.row = at;
        this.col = indent.length;
        break;
      }
    }
    this.enterInsert(kind, count);
  }

  private enterInsert(kind: string, count: number): void {
    this.beginChange();
    this.mode = kind === 'R' ? 'replace' : 'insert';
    this.insertStart = { row: this.row, col: this.col };
    this.insertCount = count;
    this.insertRepeat = [];
    this.insertKind = kind;
    if (!this.replaying && !this.recording) this.recording = [...this.dot];
    if (this.opts.showmode) this.setMsg('');
  }

  private insertText(s: string): void {
    this.changedSame = true;
    const line = this.line;
    if (this.mode === 'replace') {
      this.lines[this.row] = line.slice(0, this.col) + s + line.slice(this.col + s.length);
    } else this.lines[this.row] = line.slice(0, this.col) + s + line.slice(this.col);
    this.col += s.length;
  }

  private insertKey(k: string): void {
    if (k === '\x1b[200~' || k === '\x1b[201~') return;
    this.insertRepeat.push(k);
    const line = this.line;
    if (k === '\x1b' || k === '\x03') {
      this.insertRepeat.pop();
      // a count repeats what was typed (3ihi<Esc>)
      if (this.insertCount > 1 && k === '\x1b') {
        const typed = [...this.insertRepeat];
        this.insertCount--;
        const n = this.insertCount;
        this.insertCount = 1;
        for (let i = 0; i < n; i++) {
          if (this.insertKind === 'o' || this.insertKind === 'O') {
            const at = this.insertKind === 'o' ? this.row + 1 : this.row;
            this.lines.splice(at, 0, '');
            this.row = at;
            this.col = 0;
          }
          for (const t of typed) this.insertKey(t);
        }
      }
      this.mode = 'normal';
      // autoindent: a line left with only its indent loses it
      if (this.opts.autoindent && this.autoIndented && /^[ \t]+$/.test(this.line)) {
        this.lines[this.row] = '';
        this.col = 0;
      }
      this.autoIndented = false;
      if (this.col > 0) this.col--;
      this.clampCol(false);
      this.want = displayCol(this.line, this.col, this.opts.tabstop);
      this.endChange();
      if (this.recording && !this.replaying) {
        this.dot = this.recording;
        this.recording = null;
      }
      if (this.opts.showmode && !this.msgError) this.setMsg('');
      return;
    }
    switch (k) {
      case '\r':
      case '\n': {
        let indent = '';
        if (this.opts.autoindent) indent = leadingWhite(line);
        const before = line.slice(0, this.col);
        const after = line.slice(this.col);
        const keptBefore = this.opts.autoindent && this.autoIndented && /^[ \t]+$/.test(before) ? '' : before;
        if (this.mode === 'replace') {
          this.lines.splice(this.row, 1, keptBefore, indent + after);
        } else {
          this.lines.splice(this.row, 1, keptBefore, indent + after.replace(this.opts.autoindent ? /^[ \t]+/ : /^$/, ''));
        }
        this.row++;
        this.col = indent.length;
        this.autoIndented = indent.length > 0;
        return;
      }
      case '\x7f':
      case '\x08': {
        const bs = this.opts.backspace;
        const canStart = bs === '2' || bs === '3' || bs.includes('start');
        const canEol = bs === '2' || bs === '3' || bs.includes('eol');
        if (this.col === 0) {
          if (this.row === 0) return;
          if (!canEol && !(this.row > this.insertStart.row)) return;
          if (!canEol) return;
          if (!canStart && this.row <= this.insertStart.row) return;
          const prev = this.lines[this.row - 1]!;
          this.lines.splice(this.row - 1, 2, prev + line);
          this.row--;
          this.col = prev.length;
          if (this.row < this.insertStart.row || (this.row === this.insertStart.row && this.col < this.insertStart.col)) this.insertStart = { row: this.row, col: this.col };
          return;
        }
        const startCol = this.row === this.insertStart.row ? this.insertStart.col : 0;
        if (!canStart && this.col <= startCol && !(this.autoIndented && /^[ \t]+$/.test(line.slice(0, this.col)))) return;
        let from = this.col - 1;
        // softtabstop / expandtab indent: back to the previous stop over spaces
        const sts = this.opts.softtabstop < 0 ? this.opts.shiftwidth : this.opts.softtabstop;
        if (sts > 0 && line[from] === ' ') {
          const vcol = displayCol(line, this.col, this.opts.tabstop);
          const target = Math.floor((vcol - 1) / sts) * sts;
          while (from > 0 && line[from - 1] === ' ' && displayCol(line, from, this.opts.tabstop) > target) from--;
        }
        this.lines[this.row] = line.slice(0, from) + line.slice(this.col);
        this.col = from;
        if (this.col < this.insertStart.col && this.row === this.insertStart.row) this.insertStart = { row: this.row, col: this.col };
        return;
      }
      case '\x17': {
        // Ctrl-W: the word before the cursor
        const startCol = this.row === this.insertStart.row ? this.insertStart.col : 0;
        const canStart = this.opts.backspace.includes('start') || this.opts.backspace === '2' || this.opts.backspace === '3';
        let c = this.col;
        const limit = canStart ? 0 : startCol;
        if (c <= limit) return;
        while (c > limit && charClass(line[c - 1]) === 0) c--;
        const k2 = charClass(line[c - 1]);
        while (c > limit && charClass(line[c - 1]) === k2 && k2 !== 0) c--;
        this.lines[this.row] = line.slice(0, c) + line.slice(this.col);
        this.col = c;
        return;
      }
      case '\x15': {
        const startCol = this.row === this.insertStart.row ? this.insertStart.col : 0;
        const canStart = this.opts.backspace.includes('start') || this.opts.backspace === '2' || this.opts.backspace === '3';
        const c = canStart ? (this.col > startCol ? startCol : 0) : startCol;
        if (c >= this.col) return;
        this.lines[this.row] = line.slice(0, c) + line.slice(this.col);
        this.col = c;
        return;
      }
      case '\t': {
        const sts = this.opts.softtabstop < 0 ? this.opts.shiftwidth : this.opts.softtabstop;
        if (!this.opts.expandtab && sts === 0) {
          this.insertText('\t');
          return;
        }
        const vcol = displayCol(line, this.col, this.opts.tabstop);
        const stop = sts || this.opts.tabstop;
        const n = stop - (vcol % stop);
        if (this.opts.expandtab) this.insertText(' '.repeat(n));
        else this.insertText('\t');
        this.autoIndented = false;
        return;
      }
      case '\x1b[A':
      case '\x1b[B':
      case '\x1b[C':
      case '\x1b[D':
      case '\x1bOA':
      case '\x1bOB':
      case '\x1bOC':
      case '\x1bOD':
      case '\x1b[H':
      case '\x1b[F': {
        const last = k[k.length - 1]!;
        if (last === 'D' && this.col > 0) this.col--;
        else if (last === 'C' && this.col < line.length) this.col++;
        else if (last === 'A' && this.row > 0) this.row--;
        else if (last === 'B' && this.row < this.lines.length - 1) this.row++;
        else if (last === 'H') this.col = 0;
        else if (last === 'F') this.col = this.line.length;
        this.clampCol(true);
        // a cursor key starts a new undo step and a new insert
        this.endChange();
        this.beginChange();
        this.insertStart = { row: this.row, col: this.col };
        this.insertRepeat = [];
        this.autoIndented = false;
        return;
      }
      case '\x1b[3~':
        if (this.col < line.length) this.lines[this.row] = line.slice(0, this.col) + line.slice(this.col + 1);
        else if (this.row < this.lines.length - 1 && (this.opts.backspace.includes('eol') || this.opts.backspace === '2')) this.lines.splice(this.row, 2, line + this.lines[this.row + 1]);
        return;
    }
    if (k.startsWith('\x1b') || (k.length === 1 && k < ' ')) return;
    this.insertText(k);
    this.autoIndented = false;
  }

  private autoIndented = false;

  // --- visual mode -----------------------------------------------------------

  private leaveVisual(): void {
    this.lastVisual = { start: { ...this.visualStart }, end: { row: this.row, col: this.col }, mode: this.mode };
    this.mode = 'normal';
    this.clampCol(false);
  }

  private visualRange(): { start: { row: number; col: number }; end: { row: number; col: number } } {
    let start = { ...this.visualStart };
    let end = { row: this.row, col: this.col };
    if (end.row < start.row || (end.row === start.row && end.col < start.col)) [start, end] = [end, start];
    return { start, end };
  }

  private visualCommand(keys: string): boolean {
    const m = /^([1-9][0-9]*)?(.*)$/s.exec(keys)!;
    const count = m[1] ? Number(m[1]) : 1;
    const rest = m[2]!;
    if (rest === '') return false;
    const linewise = this.mode === 'vline';
    const { start, end } = this.visualRange();
    const toEol = this.want === Infinity && end.row === this.row && end.col === this.col;
    const range: Motion = { row: end.row, col: linewise ? 0 : toEol ? this.lines[end.row]!.length : Math.min(end.col, Math.max(0, this.lines[end.row]!.length - 1)), linewise, inclusive: true, from: linewise ? undefined : start };
    const apply = (op: string) => {
      this.leaveVisual();
      if (linewise) {
        this.row = start.row;
        this.col = 0;
        this.operate(op, { row: end.row, col: 0, linewise: true, inclusive: true }, 1);
      } else {
        this.operate(op, range, 1);
      }
    };
    switch (rest) {
      case 'v':
      case 'V':
        if ((rest === 'v') === (this.mode === 'visual')) this.leaveVisual();
        else this.mode = rest === 'v' ? 'visual' : 'vline';
        return true;
      case 'o': {
        const s = this.visualStart;
        this.visualStart = { row: this.row, col: this.col };
        this.row = s.row;
        this.col = s.col;
        return true;
      }
      case 'd':
      case 'x':
      case 'X':
      case 'D':
        if (!this.replaying) this.dot = [];
        if (rest === 'X' || rest === 'D') this.mode = 'vline';
        {
          const lw = this.mode === 'vline';
          this.leaveVisual();
          this.row = start.row;
          this.col = lw ? 0 : start.col;
          if (lw) this.operate('d', { row: end.row, col: 0, linewise: true, inclusive: true }, 1);
          else this.operate('d', range, 1);
        }
        return true;
      case 'y':
        apply('y');
        if (!linewise) this.setCursor(start.row, start.col);
        else this.setCursor(start.row, this.col);
        return true;
      case 'c':
      case 's':
        apply('c');
        return true;
      case '>':
      case '<':
        this.leaveVisual();
        this.shift(rest, start.row, end.row, count);
        // `.` shifts as many lines again
        if (!this.replaying) this.dot = splitVimKeys(`${end.row - start.row + 1}${rest.repeat(2)}`);
        return true;
      case '~':
      case 'u':
      case 'U':
        this.leaveVisual();
        this.row = start.row;
        this.col = linewise ? 0 : start.col;
        this.operate(rest === '~' ? 'g~' : rest === 'u' ? 'gu' : 'gU', linewise ? { row: end.row, col: 0, linewise: true, inclusive: true } : range, 1);
        return true;
      case 'J':
        this.leaveVisual();
        this.row = start.row;
        this.join(Math.max(2, end.row - start.row + 1), true);
        return true;
      case ':':
        this.leaveVisual();
        this.mode = 'cmdline';
        this.cmdline = ":'<,'>";
        this.cmdCursor = this.cmdline.length;
        return true;
      case 'p':
      case 'P': {
        const reg = this.reg;
        if (!reg) {
          this.leaveVisual();
          this.setMsg('E353: Nothing in register "', true);
          return true;
        }
        this.leaveVisual();
        this.row = start.row;
        this.col = linewise ? 0 : start.col;
        if (linewise) this.operate('d', { row: end.row, col: 0, linewise: true, inclusive: true }, 1);
        else this.operate('d', range, 1);
        this.reg = reg;
        this.put(!(linewise && this.row < start.row) && !(this.col < start.col) ? true : false, 1);
        return true;
      }
      case 'r':
        return false;
    }
    if (rest.length === 2 && rest[0] === 'r') {
      this.leaveVisual();
      this.beginChange();
      for (let r = start.row; r <= end.row; r++) {
        const l = this.lines[r]!;
        const a = linewise || r > start.row ? 0 : start.col;
        const b = linewise || r < end.row ? l.length : Math.min(l.length, end.col + 1);
        this.lines[r] = l.slice(0, a) + rest[1]!.repeat(Math.max(0, b - a)) + l.slice(b);
      }
      this.setCursor(start.row, linewise ? 0 : start.col);
      this.endChange();
      return true;
    }
    const mo = this.motion(rest, count, !!m[1], '');
    if (mo === null) return false;
    if (mo.fail) return true;
    if (mo.from) {
      if (this.row === this.visualStart.row && this.col === this.visualStart.col) this.visualStart = { ...mo.from };
      this.row = mo.row;
      this.col = mo.col;
      return true;
    }
    this.row = mo.row;
    this.col = mo.col;
    if (rest === '$') this.want = Infinity;
    else if (!/^[jk]$/.test(rest)) this.want = displayCol(this.line, this.col, this.opts.tabstop);
    this.clampCol(false);
    return true;
  }

  // --- search ----------------------------------------------------------------

  private regex(pat: string): RegExp | null {
    const ic = this.opts.ignorecase && !(this.opts.smartcase && /[A-Z]/.test(pat.replace(/\\./g, '')));
    return vimPattern(pat, ic);
  }

  /** next match of `pat` from `from` (exclusive), wrapping as 'wrapscan' says; sets vim's messages */
  private search(pat: string, forward: boolean, from: { row: number; col: number }, quiet: boolean): { row: number; col: number } | null {
    const re = this.regex(pat);
    if (!re) {
      this.setMsg(`E486: Pattern not found: ${pat}`, true);
      return null;
    }
    const n = this.lines.length;
    const matchesIn = (r: number): number[] => {
      const out: number[] = [];
      const line = this.lines[r]!;
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(line))) {
        out.push(m.index);
        if (m[0] === '') re.lastIndex++;
        if (re.lastIndex > line.length) break;
      }
      return out;
    };
    this.setMsg('');
    for (let i = 0; i <= n; i++) {
      const r0 = forward ? from.row + i : from.row - i;
      const wrapped = forward ? r0 >= n : r0 < 0;
      if (wrapped && !this.opts.wrapscan) {
        this.setMsg(`E${forward ? '385' : '384'}: Search hit ${forward ? 'BOTTOM' : 'TOP'} without match for: ${pat}`, true);
        return null;
      }
      const r = ((r0 % n) + n) % n;
      const cols = matchesIn(r);
      let hit: number | undefined;
      if (forward) hit = cols.find((c) => i > 0 || c > from.col);
      else hit = [...cols].reverse().find((c) => i > 0 || c < from.col);
      if (i === n && forward) hit = cols.find((c) => c <= from.col);
      if (i === n && !forward) hit = [...cols].reverse().find((c) => c >= from.col);
      if (hit !== undefined) {
        if (wrapped || i === n) this.setMsg(forward ? 'search hit BOTTOM, continuing at TOP' : 'search hit TOP, continuing at BOTTOM', true);
        return { row: r, col: hit };
      }
    }
    this.setMsg(`E486: Pattern not found: ${pat}`, true);
    void quiet;
    return null;
  }

  // --- command line -----------------------------------------------------------

  private cmdlineKey(k: string): void {
    const kind = this.cmdline[0]!;
    if (k === '\x1b' || k === '\x03') {
      this.mode = 'normal';
      this.cmdline = '';
      this.pend = '';
      this.pendingOp = null;
      this.setMsg('');
      return;
    }
    if (k === '\r' || k === '\n') {
      const text = this.cmdline.slice(1);
      this.mode = 'normal';
      this.cmdline = '';
      if (kind === ':') {
        if (text.trim()) this.cmdHistory.push(text);
        // the command stays on the last line unless it says something
        this.setMsg(':' + text);
        this.msgAt = -1;
        this.ex(text, false);
      } else this.searchCommand(kind, text);
      return;
    }
    if (k === '\x7f' || k === '\x08') {
      if (this.cmdline.length <= 1) {
        this.mode = 'normal';
        this.cmdline = '';
        this.setMsg('');
        return;
      }
      this.cmdline = this.cmdline.slice(0, this.cmdCursor - 1) + this.cmdline.slice(this.cmdCursor);
      this.cmdCursor--;
      return;
    }
    if (k === '\x15') {
      this.cmdline = kind + this.cmdline.slice(this.cmdCursor);
      this.cmdCursor = 1;
      return;
    }
    if (k === '\x17') {
      let c = this.cmdCursor;
      while (c > 1 && this.cmdline[c - 1] === ' ') c--;
      const cls = charClass(this.cmdline[c - 1]);
      while (c > 1 && charClass(this.cmdline[c - 1]) === cls && cls !== 0) c--;
      this.cmdline = this.cmdline.slice(0, c) + this.cmdline.slice(this.cmdCursor);
      this.cmdCursor = c;
      return;
    }
    if (k === '\x1b[D') {
      if (this.cmdCursor > 1) this.cmdCursor--;
      return;
    }
    if (k === '\x1b[C') {
      if (this.cmdCursor < this.cmdline.length) this.cmdCursor++;
      return;
    }
    if (k === '\x1b[A' && kind === ':' && this.cmdHistory.length) {
      this.cmdline = ':' + this.cmdHistory[this.cmdHistory.length - 1];
      this.cmdCursor = this.cmdline.length;
      return;
    }
    if (k.startsWith('\x1b') || (k.length === 1 && k < ' ' && k !== '\t')) return;
    this.cmdline = this.cmdline.slice(0, this.cmdCursor) + k + this.cmdline.slice(this.cmdCursor);
    this.cmdCursor += k.length;
  }

  private searchCommand(kind: string, text: string): void {
    const forward = kind === '/';
    let pat = text;
    // the closing / (or ?) ends the pattern; an offset after it is not supported
    const sep = kind;
    let k = -1;
    for (let i = 0; i < pat.length; i++) {
      if (pat[i] === '\\') i++;
      else if (pat[i] === sep) {
        k = i;
        break;
      }
    }
    if (k >= 0) pat = pat.slice(0, k);
    if (pat === '') {
      if (!this.lastSearch) {
        this.setMsg('E35: No previous regular expression', true);
        return;
      }
      pat = this.lastSearch.pat;
    }
    this.lastSearch = { pat, forward };
    const pos = this.search(pat, forward, { row: this.row, col: this.col }, false);
    const op = this.pendingOp;
    this.pendingOp = null;
    if (!pos) return;
    if (!this.msgError) this.setMsg(`${kind}${pat}`);
    if (op) {
      this.operate(op.op, { row: pos.row, col: pos.col, linewise: false, inclusive: false }, op.count);
      return;
    }
    this.setCursor(pos.row, pos.col);
  }

  /** An ex command (`vimrc`: from ~/.vimrc, where errors are not shown the same way). */
  ex(cmd: string, vimrc: boolean): void {
    let text = cmd.replace(/^[\s:]+/, '');
    // range
    const parsed = this.parseRange(text);
    if ('error' in parsed) {
      this.setMsg(parsed.error, true);
      return;
    }
    const { range } = parsed;
    text = parsed.rest;
    const m = /^([a-zA-Z]+|[&~<>!=#@]|)(!?)\s*(.*)$/s.exec(text)!;
    const name = m[1]!;
    const bang = m[2] === '!';
    const arg = m[3]!.trim();
    if (name === '' && range) {
      // :N goes to line N
      const r = Math.max(0, Math.min(range[1], this.lines.length - 1));
      this.setCursor(r, firstNonBlank(this.lines[r]!));
      return;
    }
    if (name === '' && !range) return;
    const is = (full: string, min: number) => name.length >= min && full.startsWith(name);
    if (is('set', 2) || name === 'se') {
      this.set(arg);
      return;
    }
    if (is('write', 1) || is('wq', 2) || is('xit', 1) || is('exit', 3) || name === 'x' || is('update', 2)) {
      const quit = name.startsWith('wq') || name === 'x' || is('xit', 1) || is('exit', 3);
      const update = is('update', 2);
      if (arg.startsWith('>>')) {
        this.write(arg.slice(2).trim() || this.path, bang, quit, range, true);
        return;
      }
      if ((name === 'x' || is('xit', 1) || is('exit', 3) || update) && !this.modified && !arg) {
        if (quit) this.quit(0);
        return;
      }
      this.write(arg || null, bang, quit, range, false);
      return;
    }
    if (is('quit', 1) || is('qall', 2) || is('quitall', 5)) {
      if (this.modified && !bang) {
        this.setMsg('E37: No write since last change (add ! to override)', true);
        return;
      }
      this.quit(0);
      return;
    }
    if (is('cquit', 2)) {
      this.quit(1);
      return;
    }
    if (is('substitute', 1) || name === '&' || name === '~') {
      this.substitute(name === 's' || is('substitute', 1) ? text.slice(name.length + (bang ? 1 : 0)) : '', range ?? [this.row, this.row], name === '&' || name === '~');
      return;
    }
    if (is('delete', 1)) {
      const [a, b] = range ?? [this.row, this.row];
      this.row = a;
      this.col = 0;
      this.operate('d', { row: b, col: 0, linewise: true, inclusive: true }, 1);
      return;
    }
    if (is('yank', 1)) {
      const [a, b] = range ?? [this.row, this.row];
      this.reg = { text: this.lines.slice(a, b + 1), linewise: true };
      if (b - a + 1 > this.opts.report) this.setMsg(`${b - a + 1} lines yanked`);
      return;
    }
    if (name === '>' || name === '<') {
      const [a, b] = range ?? [this.row, this.row];
      this.shift(name, a, b, 1 + (/^[<>]+/.exec(arg)?.[0].length ?? 0));
      return;
    }
    if (is('global', 1) || is('vglobal', 1)) {
      if (!arg || /^[\/]{1,2}$/.test(arg)) this.setMsg('E148: Regular expression missing from :global', true);
      else this.setMsg(`E492: Not an editor command: ${cmd.replace(/^[\s:]+/, '')}`, true);
      return;
    }
    if (is('nohlsearch', 3) || is('syntax', 2) || is('filetype', 5) || is('redraw', 4) || is('colorscheme', 4) || is('highlight', 2) || is('map', 3) || is('nnoremap', 2) || is('inoremap', 3) || is('autocmd', 2) || is('let', 3)) return;
    if (is('undo', 1)) {
      this.undo();
      return;
    }
    if (is('redo', 3)) {
      this.redo();
      return;
    }
    if (is('normal', 4)) {
      for (const k of splitVimKeys(arg)) this.key(k);
      if (this.mode === 'insert' || this.mode === 'replace') this.key('\x1b');
      return;
    }
    if (is('edit', 1) && bang && !arg) {
      if (this.undoStack.length) {
        this.lines = [...this.undoStack[0]!.before.lines];
        this.undoStack = [];
        this.redoStack = [];
        this.seq = 0;
        this.modified = false;
        this.setCursor(Math.min(this.row, this.lines.length - 1), this.col);
      }
      return;
    }
    if (vimrc) return;
    this.setMsg(`E492: Not an editor command: ${cmd.replace(/^[\s:]+/, '')}`, true);
  }

  private parseRange(text: string): { range: [number, number] | null; rest: string } | { error: string } {
    let t = text;
    const addr = (): number | null | 'err' => {
      let base: number | null = null;
      let m: RegExpExecArray | null;
      if ((m = /^\d+/.exec(t))) {
        base = Number(m[0]) - 1;
        t = t.slice(m[0].length);
      } else if (t[0] === '.') {
        base = this.row;
        t = t.slice(1);
      } else if (t[0] === '$') {
        base = this.lines.length - 1;
        t = t.slice(1);
      } else if ((m = /^'([<>])/.exec(t))) {
        const v = this.lastVisual;
        if (!v) return 'err';
        const a = v.start.row < v.end.row ? v.start.row : v.end.row;
        const b = v.start.row < v.end.row ? v.end.row : v.start.row;
        base = m[1] === '<' ? a : b;
        t = t.slice(2);
      }
      while ((m = /^([+-])(\d*)/.exec(t)) && (m[0].length > 0)) {
        const n = m[2] === '' ? 1 : Number(m[2]);
        base = (base ?? this.row) + (m[1] === '+' ? n : -n);
        t = t.slice(m[0].length);
      }
      return base;
    };
    if (t[0] === '%') {
      t = t.slice(1);
      return { range: [0, this.lines.length - 1], rest: t.trimStart() };
    }
    let a = addr();
    if (a === 'err') return { error: 'E20: Mark not set' };
    if (a === null) return { range: null, rest: t };
    let b: number | null | 'err' = a;
    if (t[0] === ',' || t[0] === ';') {
      t = t.slice(1);
      b = addr();
      if (b === 'err') return { error: 'E20: Mark not set' };
      if (b === null) b = this.row;
    }
    if (a < 0 || b < 0 || a >= this.lines.length + 0 && a > this.lines.length - 1 && b > this.lines.length - 1) {
      if (t.trim() === '' && a >= 0) return { range: [Math.min(a, this.lines.length - 1), Math.min(b, this.lines.length - 1)], rest: t };
      return { error: 'E16: Invalid range' };
    }
    if (b < a) [b, a] = [a, b];
    return { range: [a, Math.min(b, this.lines.length - 1)], rest: t.trimStart() };
  }

  private set(arg: string): void {
    if (arg === '') return;
    const shown: string[] = [];
    for (const item of arg.split(/\s+/)) {
      const m = /^(no|inv)?([a-z]+)(\?|!|&)?(?:([+^-]?=)(.*))?$/.exec(item);
      if (!m) {
        this.setMsg(`E518: Unknown option: ${item}`, true);
        return;
      }
      const key = (ALIASES[m[2]!] ?? m[2]) as keyof VimOptions;
      if (!(key in DEFAULT_OPTIONS)) {
        if (['syntax', 'filetype', 'ft', 'syn', 'mouse', 'encoding', 'enc', 'background', 'bg', 'showcmd', 'sc', 'scrolloff', 'so', 'nocompatible', 'compatible', 'cp', 'cursorline', 'cul', 'smartindent', 'si', 'cindent', 'cin', 'relativenumber', 'rnu', 'wildmenu', 'wmnu', 'laststatus', 'ls', 'undolevels', 'ul', 'history', 'hi', 'hidden', 'hid', 'wrap', 'linebreak', 'lbr', 'textwidth', 'tw', 'fileformat', 'ff', 'smarttab', 'sta', 'title', 'visualbell', 'vb', 'errorbells', 'eb', 'belloff', 'bo', 'modeline', 'ml', 'clipboard', 'cb', 'colorcolumn', 'cc'].includes(m[2]!)) continue;
        this.setMsg(`E518: Unknown option: ${item}`, true);
        return;
      }
      const cur = this.opts[key];
      if (m[3] === '?' || (typeof cur !== 'boolean' && !m[4] && !m[1] && m[3] !== '&')) {
        shown.push(typeof cur === 'boolean' ? `${cur ? '  ' : 'no'}${key}` : `  ${key}=${cur}`);
        continue;
      }
      if (m[3] === '&') {
        (this.opts as unknown as Record<string, unknown>)[key] = DEFAULT_OPTIONS[key];
        continue;
      }
      if (typeof cur === 'boolean') {
        if (m[4]) {
          this.setMsg(`E474: Invalid argument: ${item}`, true);
          return;
        }
        const v = m[1] === 'inv' || m[3] === '!' ? !cur : m[1] !== 'no';
        if (key === 'paste' && v !== cur) {
          // 'paste' turns off what would change pasted text, and gives it back when reset
          if (v) {
            this.pasteSaved = { autoindent: this.opts.autoindent, expandtab: this.opts.expandtab, softtabstop: this.opts.softtabstop };
            this.opts.autoindent = false;
            this.opts.expandtab = false;
            this.opts.softtabstop = 0;
          } else if (this.pasteSaved) {
            Object.assign(this.opts, this.pasteSaved);
            this.pasteSaved = null;
          }
        }
        (this.opts as unknown as Record<string, boolean>)[key] = v;
        continue;
      }
      if (m[1]) {
        this.setMsg(`E474: Invalid argument: ${item}`, true);
        return;
      }
      if (typeof cur === 'number') {
        if (!/^-?\d+$/.test(m[5] ?? '')) {
          this.setMsg(`E521: Number required after =: ${item}`, true);
          return;
        }
        let v = Number(m[5]);
        if (m[4] === '+=') v = cur + v;
        else if (m[4] === '-=') v = cur - v;
        else if (m[4] === '^=') v = cur * v;
        if ((key === 'tabstop' && v <= 0) || (key === 'shiftwidth' && v < 0)) {
          this.setMsg(`E487: Argument must be positive: ${item}`, true);
          return;
        }
        (this.opts as unknown as Record<string, number>)[key] = v;
      } else (this.opts as unknown as Record<string, string>)[key] = m[5] ?? '';
    }
    if (shown.length) this.setMsg(shown.join(' '));
  }

  private substitute(spec: string, range: [number, number], repeatLast: boolean): void {
    let pat: string;
    let rep: string;
    let flags: string;
    if (repeatLast || spec === '' || /^[&cegiInp#lr\s\d]*$/.test(spec)) {
      if (!this.lastSub) {
        this.setMsg('E35: No previous regular expression', true);
        return;
      }
      pat = this.lastSub.pat;
      rep = this.lastSub.rep;
      flags = spec.startsWith('&') ? this.lastSub.flags + spec.slice(1) : spec.trim();
    } else {
      const sep = spec[0]!;
      const parts: string[] = [];
      let cur = '';
      for (let i = 1; i < spec.length; i++) {
        const c = spec[i]!;
        if (c === '\\' && i + 1 < spec.length) {
          cur += spec[i + 1] === sep ? sep : c + spec[i + 1];
          i++;
        } else if (c === sep && parts.length < 2) {
          parts.push(cur);
          cur = '';
        } else cur += c;
      }
      parts.push(cur);
      pat = parts[0] ?? '';
      rep = parts[1] ?? '';
      flags = (parts[2] ?? '').trim();
      if (pat === '') {
        if (!this.lastSearch) {
          this.setMsg('E35: No previous regular expression', true);
          return;
        }
        pat = this.lastSearch.pat;
      }
      if (rep === '~' && this.lastSub) rep = this.lastSub.rep;
      this.lastSub = { pat, rep, flags };
      this.lastSearch = { pat, forward: true };
    }
    const global = flags.includes('g');
    const ic = flags.includes('i') || (this.opts.ignorecase && !flags.includes('I') && !(this.opts.smartcase && /[A-Z]/.test(pat)));
    const re = vimPattern(pat, ic);
    if (!re) {
      this.setMsg(`E486: Pattern not found: ${pat}`, true);
      return;
    }
    let subs = 0;
    let linesChanged = 0;
    let lastRow = -1;
    this.beginChange();
    const out: string[] = [];
    const newLinesAt: number[] = [];
    for (let r = 0; r < this.lines.length; r++) {
      if (r < range[0] || r > range[1]) {
        out.push(this.lines[r]!);
        continue;
      }
      const line = this.lines[r]!;
      re.lastIndex = 0;
      let res = '';
      let pos = 0;
      let n = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(line))) {
        res += line.slice(pos, m.index) + vimReplace(rep, m);
        pos = m.index + m[0].length;
        n++;
        if (m[0] === '') {
          if (m.index < line.length) res += line[m.index];
          pos = m.index + 1;
          re.lastIndex = m.index + 1;
        }
        if (!global) break;
        if (re.lastIndex > line.length) break;
      }
      if (n) {
        res += line.slice(pos);
        subs += n;
        linesChanged++;
        const split = res.split('\0');
        lastRow = out.length + split.length - 1;
        out.push(...split);
        newLinesAt.push(r);
      } else out.push(line);
    }
    if (!subs) {
      this.changeStart = null;
      this.setMsg(`E486: Pattern not found: ${pat}`, true);
      return;
    }
    this.lines = out;
    this.setCursor(lastRow, firstNonBlank(this.lines[lastRow]!));
    if (subs > this.opts.report) this.setMsg(`${subs} substitution${subs === 1 ? '' : 's'} on ${linesChanged} line${linesChanged === 1 ? '' : 's'}`);
    this.endChange();
  }

  private write(file: string | null, force: boolean, quit: boolean, range: [number, number] | null, append: boolean): void {
    const path = file ?? this.path;
    if (path === null) {
      this.setMsg('E32: No file name', true);
      return;
    }
    if (this.opts.readonly && !force && path === this.path) {
      this.setMsg("E45: 'readonly' option is set (add ! to override)", true);
      return;
    }
    const lines = range ? this.lines.slice(range[0], range[1] + 1) : this.lines;
    const text = lines.length === 1 && lines[0] === '' && this.lines.length === 1 && !this.modified && false ? '' : lines.join('\n') + '\n';
    if (this.path === null) this.path = path;
    this.effects.push({ type: 'write', path, text, quit, force, append });
  }

  /** The host wrote the file (or failed): vim's message, and :wq's quit. */
  written(result: { ok: true; path: string; isNew: boolean; lines: number; bytes: number; quit: boolean; whole: boolean } | { ok: false; message: string }): void {
    if (!result.ok) {
      this.setMsg(result.message, true);
      return;
    }
    if (result.whole && result.path === this.path) {
      this.modified = false;
      this.opts.readonly = false;
    }
    this.setMsg(`"${result.path}" ${result.isNew ? '[New] ' : ''}${result.lines}L, ${result.bytes}B written`);
    if (result.quit) this.quit(0);
  }

  private quit(code: number): void {
    this.quitting = true;
    this.effects.push({ type: 'quit', code });
  }

  // --- screen -----------------------------------------------------------------

  /** The screen: `rows` lines of text (trailing blanks trimmed) and the cursor's cell. */
  screen(): { lines: string[]; cursor: { row: number; col: number }; attrs: ('tilde' | 'error' | 'mode' | 'number' | '')[] } {
    const text = this.rows - 1;
    const width = this.columns;
    const nw = this.numberWidth();
    const tw = width - nw;
    const ts = this.opts.tabstop;
    const out: string[] = [];
    const attrs: ('tilde' | 'error' | 'mode' | 'number' | '')[] = [];
    let cursor = { row: 0, col: 0 };
    let r = this.top;
    while (out.length < text && r < this.lines.length) {
      const raw = this.lines[r]!;
      const shown = this.opts.list ? raw.replace(/\t/g, '^I') + '$' : expandTabs(raw, ts);
      const chunks = Math.max(1, Math.ceil(shown.length / tw));
      if (out.length + chunks > text && out.length > 0) {
        // a line that does not fit: vim shows @ lines
        while (out.length < text) {
          out.push('@');
          attrs.push('tilde');
        }
        break;
      }
      if (r === this.row) {
        let vcol: number;
        if (this.opts.list) vcol = raw.slice(0, this.col).replace(/\t/g, '^I').length;
        else {
          vcol = displayCol(raw, this.col, ts);
          // on a tab in normal mode the cursor sits on its last cell
          if (raw[this.col] === '\t' && this.mode !== 'insert' && this.mode !== 'replace') vcol += ts - (vcol % ts) - 1;
        }
        const chunk = Math.min(Math.floor(vcol / tw), chunks - 1);
        cursor = { row: out.length + chunk, col: nw + vcol - chunk * tw };
        if (cursor.col >= width) cursor = { row: cursor.row, col: width - 1 };
      }
      for (let c = 0; c < chunks && out.length < text; c++) {
        const num = nw ? (c === 0 ? String(r + 1).padStart(nw - 1) + ' ' : ' '.repeat(nw)) : '';
        out.push((num + shown.slice(c * tw, (c + 1) * tw)).replace(/\s+$/, ''));
        attrs.push(nw ? 'number' : '');
      }
      r++;
    }
    while (out.length < text) {
      out.push('~');
      attrs.push('tilde');
    }
    // the last line: the command line, or the mode, or a message
    let last = '';
    let lastAttr: 'error' | 'mode' | '' = '';
    if (this.mode === 'cmdline') {
      last = this.cmdline;
      cursor = { row: text, col: Math.min(width - 1, displayCol(this.cmdline, this.cmdCursor, 8)) };
    } else if (this.showModeText()) {
      last = this.showModeText();
      lastAttr = 'mode';
      if (this.msg && this.msgError) {
        last = this.msg;
        lastAttr = 'error';
      }
    } else {
      last = this.msg;
      lastAttr = this.msgError ? 'error' : '';
    }
    if (last.length > width) last = last.slice(0, width - 1);
    out.push(last.replace(/\s+$/, ''));
    attrs.push(lastAttr);
    return { lines: out, cursor, attrs };
  }

  private showModeText(): string {
    if (!this.opts.showmode) return '';
    const paste = this.opts.paste ? ' (paste)' : '';
    if (this.mode === 'insert') return `-- INSERT${paste} --`;
    if (this.mode === 'replace') return `-- REPLACE${paste} --`;
    if (this.mode === 'visual') return '-- VISUAL --';
    if (this.mode === 'vline') return '-- VISUAL LINE --';
    return '';
  }
}

/** lines of a buffer as vim counts them (an empty buffer has none) */
function lineCount(lines: string[]): number {
  return lines.length === 1 && lines[0] === '' ? 0 : lines.length;
}

function firstDiff(a: string[], b: string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

function changeText(delta: number, a: string[], b: string[]): string {
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
