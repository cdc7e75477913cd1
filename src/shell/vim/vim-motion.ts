// vim's motions and text objects: where a command moves the cursor, or what range an operator takes.
import { charClass, colForDisplay, firstNonBlank } from './text';
import { VimCore } from './vim-core';
import type { Motion } from './vim-core';
import { backEnd, backWord, changeWord, endWord, forwardWord, WordCursor } from './word';

export abstract class VimMotions extends VimCore {
  protected abstract search(pat: string, forward: boolean, from: { row: number; col: number }, quiet: boolean): { row: number; col: number } | null;

  /**
   * The motion `keys` from the cursor (null: more keys needed). `op` is the
   * pending operator ('' for a cursor motion), which changes cw and text objects.
   */
  protected motion(keys: string, count: number, hasCount: boolean, op: string): Motion | null {
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
      case '#':
        return this.searchMotion(keys, count);
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
      case '{':
        return this.paragraphMotion(keys, count, op);
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

  /** n, N, * and #: the last search again (or the word under the cursor), count times */
  private searchMotion(keys: string, count: number): Motion {
    const { row, col } = this;
    const here = (r: number, c: number): Motion => ({ row: r, col: c, linewise: false, inclusive: false });
    const fail = (): Motion => ({ row, col, linewise: false, inclusive: false, fail: true });
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

  /** } and {: to the next (previous) blank line after a paragraph, count times */
  private paragraphMotion(keys: string, count: number, op: string): Motion {
    const L = this.lines;
    const here = (r: number, c: number, o: Partial<Motion> = {}): Motion => ({ row: r, col: c, linewise: false, inclusive: false, ...o });
    let r = this.row;
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

  protected findChar(cmd: string, ch: string, count: number, op: string, repeat: boolean): Motion {
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

  protected matchPair(op: string): Motion {
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

  protected wordUnderCursor(): string {
    const line = this.line;
    let s = this.col;
    while (s < line.length && charClass(line[s]) !== 2) s++;
    if (s >= line.length) return '';
    let e = s;
    while (s > 0 && charClass(line[s - 1]) === 2) s--;
    while (e < line.length && charClass(line[e]) === 2) e++;
    return line.slice(s, e);
  }

  protected wordMotion(keys: string, count: number, op: string): Motion {
    const w = new WordCursor(this.lines, this.row, this.col, keys === 'W' || keys === 'E' || keys === 'B' || keys === 'gE');
    if (keys === 'w' || keys === 'W') return op === 'c' && w.cls(w.ch()) !== 0 ? changeWord(w, count) : forwardWord(w, this.lines, count, op);
    if (keys === 'e' || keys === 'E') return endWord(w, count);
    if (keys === 'b' || keys === 'B') return backWord(w, count);
    return backEnd(w, count);
  }


  protected wordObject(keys: string, count: number): Motion {
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

  protected pairObject(keys: string): Motion | null {
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

}
