// vim's changes: operators over a motion, put, join, shift, undo/redo, `.` and insert mode.
import { charClass, displayCol, firstNonBlank, leadingWhite } from './text';
import { VimMotions } from './vim-motion';
import type { Motion } from './vim-core';
import { changeText, firstDiff, lineCount, splitVimKeys } from './vim-core';

export abstract class VimEdit extends VimMotions {
  // --- operators -------------------------------------------------------------

  protected operate(op: string, mo: Motion, count: number): void {
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

  protected shift(dir: string, from: number, to: number, times: number): void {
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

  protected indentText(width: number): string {
    if (this.opts.expandtab) return ' '.repeat(width);
    const ts = this.opts.tabstop;
    return '\t'.repeat(Math.floor(width / ts)) + ' '.repeat(width % ts);
  }

  protected put(before: boolean, count: number): void {
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

  protected join(n: number, spaces: boolean): void {
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

  protected undo(): void {
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

  protected redo(): void {
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

  protected repeat(count: number | null): void {
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

  protected startInsert(kind: string, count: number): void {
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

  protected enterInsert(kind: string, count: number): void {
    this.beginChange();
    this.mode = kind === 'R' ? 'replace' : 'insert';
    this.insertStart = { row: this.row, col: this.col };
    this.insertCount = count;
    this.insertRepeat = [];
    this.insertKind = kind;
    if (!this.replaying && !this.recording) this.recording = [...this.dot];
    if (this.opts.showmode) this.setMsg('');
  }

  protected insertText(s: string): void {
    this.changedSame = true;
    const line = this.line;
    if (this.mode === 'replace') {
      this.lines[this.row] = line.slice(0, this.col) + s + line.slice(this.col + s.length);
    } else this.lines[this.row] = line.slice(0, this.col) + s + line.slice(this.col);
    this.col += s.length;
  }

  protected insertKey(k: string): void {
    if (k === '\x1b[200~' || k === '\x1b[201~') return;
    this.insertRepeat.push(k);
    const line = this.line;
    if (k === '\x1b' || k === '\x03') return this.leaveInsert(k);
    switch (k) {
      case '\r':
      case '\n':
        return this.insEol(line);
      case '\x7f':
      case '\x08':
        return this.insBackspace(line);
      case '\x17':
        return this.insDeleteWord(line);
      case '\x15':
        return this.insDeleteLine(line);
      case '\t':
        return this.insTab(line);
      case '\x1b[A':
      case '\x1b[B':
      case '\x1b[C':
      case '\x1b[D':
      case '\x1bOA':
      case '\x1bOB':
      case '\x1bOC':
      case '\x1bOD':
      case '\x1b[H':
      case '\x1b[F':
        return this.insCursorKey(k, line);
      case '\x1b[3~':
        if (this.col < line.length) this.lines[this.row] = line.slice(0, this.col) + line.slice(this.col + 1);
        else if (this.row < this.lines.length - 1 && (this.opts.backspace.includes('eol') || this.opts.backspace === '2')) this.lines.splice(this.row, 2, line + this.lines[this.row + 1]);
        return;
    }
    if (k.startsWith('\x1b') || (k.length === 1 && k < ' ')) return;
    this.insertText(k);
    this.autoIndented = false;
  }

  /** Esc (or Ctrl-C) ends insert mode (edit.c ins_esc): a count repeats the text, the cursor steps back */
  private leaveInsert(k: string): void {
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
  }

  /** Enter splits the line (with autoindent, the new line takes the indent) */
  private insEol(line: string): void {
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
  }

  /** Backspace, as 'backspace' allows (over the start of insert, over line ends); softtabstop stops */
  private insBackspace(line: string): void {
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
  }

  /** Ctrl-W: the word before the cursor */
  private insDeleteWord(line: string): void {
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
  }

  /** Ctrl-U: back to where the insert started (or the line's start) */
  private insDeleteLine(line: string): void {
    const startCol = this.row === this.insertStart.row ? this.insertStart.col : 0;
    const canStart = this.opts.backspace.includes('start') || this.opts.backspace === '2' || this.opts.backspace === '3';
    const c = canStart ? (this.col > startCol ? startCol : 0) : startCol;
    if (c >= this.col) return;
    this.lines[this.row] = line.slice(0, c) + line.slice(this.col);
    this.col = c;
  }

  /** Tab: a tab, or spaces to the next stop with expandtab/softtabstop */
  private insTab(line: string): void {
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
  }

  /** a cursor key moves, and starts a new undo step and a new insert */
  private insCursorKey(k: string, line: string): void {
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
  }


  protected autoIndented = false;

}
