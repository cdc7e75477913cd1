// vim's word motions (textobject.c: fwd_word, end_word, bck_word, bckend_word) over the buffer's lines.
// A word is a run of one character class (letters/digits/_ or other non-blanks); a WORD (W, E, B, gE)
// is any run of non-blanks. An empty line counts as a word.
import { charClass } from './text';
import type { Motion } from './vim-core';

export class WordCursor {
  constructor(
    private readonly L: string[],
    public r: number,
    public c: number,
    private readonly big: boolean,
  ) {}

  cls(ch: string | undefined): number {
    const k = charClass(ch);
    return this.big && k ? 1 : k;
  }
  ch(): string | undefined {
    return this.L[this.r]![this.c];
  }
  charAt(col: number): string | undefined {
    return this.L[this.r]![col];
  }
  /** the class of the character after the cursor on its line */
  nextCls(): number {
    return this.cls(this.L[this.r]![this.c + 1]);
  }
  lineLen(): number {
    return this.L[this.r]!.length;
  }
  atEnd(): boolean {
    return this.r === this.L.length - 1 && this.c >= Math.max(0, this.lineLen() - 1);
  }
  /** one position forward; an empty line counts as a position; false at the end of the buffer */
  next(): boolean {
    if (this.c < this.lineLen() - 1) {
      this.c++;
      return true;
    }
    if (this.r >= this.L.length - 1) return false;
    this.r++;
    this.c = 0;
    return true;
  }
  prev(): boolean {
    if (this.c > 0) {
      this.c--;
      return true;
    }
    if (this.r === 0) return false;
    this.r--;
    this.c = Math.max(0, this.lineLen() - 1);
    return true;
  }
  /** to the last character of the word the cursor is in */
  toWordEnd(): void {
    const k = this.cls(this.ch());
    while (this.c < this.lineLen() - 1 && this.nextCls() === k) this.c++;
  }
  at(o: Partial<Motion> = {}): Motion {
    return { row: this.r, col: this.c, linewise: false, inclusive: false, ...o };
  }
}

/** w / W (fwd_word): count words forward; an operator stops at the end of the line */
export function forwardWord(w: WordCursor, lines: string[], count: number, op: string): Motion {
  const startRow = w.r;
  const startCol = w.c;
  let limited = false;
  for (let i = 0; i < count && !limited; i++) {
    const k = w.cls(w.ch());
    const r0 = w.r;
    // skip the rest of the current word
    if (k !== 0) while (w.nextCls() === k && w.c < w.lineLen() - 1) w.c++;
    if (!w.next()) {
      limited = true;
      break;
    }
    // an operator stops at the end of the line (dw on the last word)
    if (w.r !== r0 && op && i === count - 1) return { row: r0, col: lines[r0]!.length, linewise: false, inclusive: false };
    // skip blanks (an empty line is a word)
    while (w.cls(w.ch()) === 0 && w.lineLen() > 0) {
      const rr = w.r;
      if (!w.next()) {
        limited = true;
        break;
      }
      if (w.r !== rr && op && i === count - 1) return { row: rr, col: lines[rr]!.length, linewise: false, inclusive: false };
    }
  }
  if (!limited) return w.at();
  // at the end of the buffer: the motion goes to the last char (and includes it for an operator)
  const len = w.lineLen();
  if (op) return { row: w.r, col: len, linewise: false, inclusive: false };
  if (w.r === startRow && startCol >= Math.max(0, len - 1)) return { row: w.r, col: startCol, linewise: false, inclusive: false, fail: true };
  return { row: w.r, col: Math.max(0, len - 1), linewise: false, inclusive: false };
}

/** cw / cW on a non-blank: like ce, but the first count ends the word the cursor is in */
export function changeWord(w: WordCursor, count: number): Motion {
  const startRow = w.r;
  w.toWordEnd();
  for (let i = 1; i < count; i++) {
    // to the end of the next word
    if (!w.next()) break;
    while (w.cls(w.ch()) === 0) {
      if (w.lineLen() === 0 && w.r !== startRow) break;
      if (!w.next()) break;
    }
    w.toWordEnd();
  }
  return w.at({ inclusive: true });
}

/** e / E (end_word) */
export function endWord(w: WordCursor, count: number): Motion {
  for (let i = 0; i < count; i++) {
    if (!w.next()) {
      if (i === 0 && w.atEnd()) return w.at({ inclusive: true, fail: true });
      break;
    }
    while (w.cls(w.ch()) === 0) if (!w.next()) break;
    w.toWordEnd();
  }
  return w.at({ inclusive: true });
}

/** b / B (bck_word) */
export function backWord(w: WordCursor, count: number): Motion {
  for (let i = 0; i < count; i++) {
    if (!w.prev()) {
      if (i === 0) return w.at({ fail: true });
      break;
    }
    while (w.cls(w.ch()) === 0 && w.lineLen() > 0) if (!w.prev()) break;
    const k = w.cls(w.ch());
    while (w.c > 0 && w.cls(w.charAt(w.c - 1)) === k) w.c--;
  }
  return w.at();
}

/** ge / gE (bckend_word) */
export function backEnd(w: WordCursor, count: number): Motion {
  for (let i = 0; i < count; i++) {
    const k = w.cls(w.ch());
    while (w.cls(w.ch()) === k && w.lineLen() > 0) if (!w.prev()) break;
    while (w.cls(w.ch()) === 0 && w.lineLen() > 0) if (!w.prev()) break;
  }
  return w.at({ inclusive: true });
}
