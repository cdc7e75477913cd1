// vim's normal and visual modes: keys to commands.
import { displayCol, firstNonBlank } from './text';
import { VimEdit } from './vim-edit';
import type { Motion } from './vim-core';
import { splitVimKeys } from './vim-core';

type Pos = { row: number; col: number };

export abstract class VimModes extends VimEdit {
  // --- normal mode ---------------------------------------------------------

  protected normalKey(k: string): void {
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
  protected normalCommand(keys: string): boolean {
    const m = /^([1-9][0-9]*)?(?:"([a-zA-Z0-9"]))?([1-9][0-9]*)?(.*)$/s.exec(keys)!;
    const count = (m[1] ? Number(m[1]) : 1) * (m[3] ? Number(m[3]) : 1);
    const hasCount = !!(m[1] || m[3]);
    const rest = m[4]!;
    if (rest === '' || rest === '"') return false;
    if (keys.length > 60) return true;
    const c = rest[0]!;
    if ('dcy<>'.includes(c) || rest.startsWith('g~') || rest.startsWith('gu') || rest.startsWith('gU')) return this.operatorCommand(keys, rest, count, hasCount);
    const done = this.changeCommand(keys, rest, count, hasCount) ?? this.screenCommand(rest, count, hasCount);
    if (done !== undefined) return done;
    if (rest.length === 2 && rest[0] === 'r') return this.replaceChars(keys, rest[1]!, count);
    return this.cursorMotion(rest, count, hasCount);
  }

  /** `.` repeats these keys (not while they are being replayed) */
  private recordChange(keys: string): void {
    if (!this.replaying) this.dot = [...keys];
  }

  /** an operator (d c y < > g~ gu gU) and its motion, or doubled for whole lines */
  private operatorCommand(keys: string, rest: string, count: number, hasCount: boolean): boolean {
    const opLen = rest[0] === 'g' ? 2 : 1;
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
      if (op !== 'y') this.recordChange(keys);
      return true;
    }
    const doubled = motionKeys === op || (op.length === 2 && (motionKeys === op[1] || motionKeys === op));
    let motion: Motion | null;
    if (doubled) {
      const last = this.row + count2 - 1;
      motion = { row: Math.min(last, this.lines.length - 1), col: 0, linewise: true, inclusive: true };
      if (last >= this.lines.length && count2 > 1 && this.row === this.lines.length - 1 && op !== 'y') motion = { ...motion, fail: false };
    } else {
      motion = this.motion(motionKeys, count2, m2[1] !== undefined || hasCount, op);
      if (motion === null) return false;
    }
    if (motion.fail) return true;
    if (op !== 'y') this.recordChange(keys);
    this.operate(op, motion, count2);
    return true;
  }

  /** the commands that change the text on their own (x, s, i, p, J, ~, u, `.`, ...); undefined for others */
  private changeCommand(keys: string, rest: string, count: number, hasCount: boolean): boolean | undefined {
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
        this.recordChange(keys);
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
        this.recordChange(keys);
        this.startInsert(rest, count);
        return true;
      case 'R':
        this.recordChange(keys);
        this.startInsert('R', count);
        return true;
      case 'p':
      case 'P':
        this.recordChange(keys);
        this.put(rest === 'P', count);
        return true;
      case 'J':
      case 'gJ':
        if (this.row >= this.lines.length - 1) return true;
        this.recordChange(keys);
        this.join(Math.max(2, count), rest === 'J');
        return true;
      case '~': {
        this.recordChange(keys);
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
    }
    return undefined;
  }

  /** modes, the command line, scrolling and file info; undefined for other keys */
  private screenCommand(rest: string, count: number, hasCount: boolean): boolean | undefined {
    switch (rest) {
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
    return undefined;
  }

  /** r{char}: replace count characters (r<CR> splits the line) */
  private replaceChars(keys: string, ch: string, count: number): boolean {
        if (ch === '\x1b') return true;
    if (this.col + count > this.line.length) return true;
    this.recordChange(keys);
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

  /** a motion on its own moves the cursor */
  private cursorMotion(rest: string, count: number, hasCount: boolean): boolean {
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

  protected scrollTo(how: string): void {
    const text = this.rows - 1;
    if (how === 'zt' || how === 'z\r') this.top = this.row;
    else if (how === 'zb') this.top = Math.max(0, this.row - text + 1);
    else this.top = Math.max(0, this.row - Math.floor((text - 1) / 2));
    if (how === 'z\r') this.setCursor(this.row, firstNonBlank(this.line));
  }


  // --- visual mode -----------------------------------------------------------

  protected leaveVisual(): void {
    this.lastVisual = { start: { ...this.visualStart }, end: { row: this.row, col: this.col }, mode: this.mode };
    this.mode = 'normal';
    this.clampCol(false);
  }

  protected visualRange(): { start: { row: number; col: number }; end: { row: number; col: number } } {
    let start = { ...this.visualStart };
    let end = { row: this.row, col: this.col };
    if (end.row < start.row || (end.row === start.row && end.col < start.col)) [start, end] = [end, start];
    return { start, end };
  }

  protected visualCommand(keys: string): boolean {
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
        // X and D delete whole lines
        if (rest === 'X' || rest === 'D') this.mode = 'vline';
        this.deleteSelection(start, end, range, this.mode === 'vline');
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
        // the selection is replaced by the register's text
        const reg = this.reg;
        if (!reg) {
          this.leaveVisual();
          this.setMsg('E353: Nothing in register "', true);
          return true;
        }
        this.deleteSelection(start, end, range, linewise);
        this.reg = reg;
        this.put(!(linewise && this.row < start.row) && !(this.col < start.col), 1);
        return true;
      }
      case 'r':
        return false;
    }
    if (rest.length === 2 && rest[0] === 'r') {
      this.replaceSelection(start, end, linewise, rest[1]!);
      return true;
    }
    return this.visualMotion(rest, count, !!m[1]);
  }

  /** leave visual mode and delete what was selected (whole lines when `lw`) */
  private deleteSelection(start: Pos, end: Pos, range: Motion, lw: boolean): void {
    this.leaveVisual();
    this.row = start.row;
    this.col = lw ? 0 : start.col;
    if (lw) this.operate('d', { row: end.row, col: 0, linewise: true, inclusive: true }, 1);
    else this.operate('d', range, 1);
  }

  /** r{char} in visual mode: every selected character becomes ch */
  private replaceSelection(start: Pos, end: Pos, linewise: boolean, ch: string): void {
    this.leaveVisual();
    this.beginChange();
    for (let r = start.row; r <= end.row; r++) {
      const l = this.lines[r]!;
      const a = linewise || r > start.row ? 0 : start.col;
      const b = linewise || r < end.row ? l.length : Math.min(l.length, end.col + 1);
      this.lines[r] = l.slice(0, a) + ch.repeat(Math.max(0, b - a)) + l.slice(b);
    }
    this.setCursor(start.row, linewise ? 0 : start.col);
    this.endChange();
  }

  /** a motion extends the selection (a text object selects from its start) */
  private visualMotion(rest: string, count: number, hasCount: boolean): boolean {
    const mo = this.motion(rest, count, hasCount, '');
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

}
