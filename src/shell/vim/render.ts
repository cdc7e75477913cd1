// Turns the screens a full-screen program computes (rows of text, a cursor,
// a few attributes) into the bytes an xterm-compatible terminal needs, sending
// only the rows that changed since the last frame.

export type Attr = 'tilde' | 'error' | 'mode' | 'number' | 'reverse' | '';

export interface Frame {
  lines: string[];
  cursor: { row: number; col: number };
  attrs?: Attr[];
}

/** Enter the alternate screen (as vim and nano do), clear it. */
export const ENTER = '\x1b[?1049h\x1b[H\x1b[2J';
/** Back to the normal screen, where the shell's text is as it was. */
export const LEAVE = '\x1b[?1049l';

const STYLE: Record<Attr, [string, string]> = {
  tilde: ['\x1b[1;34m', '\x1b[0m'],
  error: ['\x1b[97;41m', '\x1b[0m'],
  mode: ['\x1b[1m', '\x1b[0m'],
  number: ['', ''],
  reverse: ['\x1b[7m', '\x1b[0m'],
  '': ['', ''],
};

export class FrameWriter {
  private last: string[] = [];
  private lastAttrs: Attr[] = [];

  /** The bytes turning the previous frame into `f` (all rows the first time). */
  frame(f: Frame, columns: number): string {
    let out = '\x1b[?25l';
    for (let r = 0; r < f.lines.length; r++) {
      const text = f.lines[r]!.slice(0, columns);
      const attr = f.attrs?.[r] ?? '';
      if (this.last[r] === text && this.lastAttrs[r] === attr) continue;
      out += `\x1b[${r + 1};1H`;
      if (attr === 'number') {
        // the line number column in vim's LineNr colour
        const m = /^(\s*\d+ )/.exec(text);
        out += m ? `\x1b[33m${m[1]}\x1b[0m${text.slice(m[1]!.length)}` : text;
      } else if (attr === 'reverse') {
        out += STYLE.reverse[0] + text.padEnd(columns) + STYLE.reverse[1];
      } else if (text) out += STYLE[attr][0] + text + STYLE[attr][1];
      out += '\x1b[K';
    }
    this.last = f.lines.map((l) => l.slice(0, columns));
    this.lastAttrs = f.lines.map((_, r) => f.attrs?.[r] ?? '');
    out += `\x1b[${f.cursor.row + 1};${f.cursor.col + 1}H\x1b[?25h`;
    return out;
  }

  /**
   * After the terminal was resized (rows/columns read again from the tty): the editor takes the new size
   * (with its own minimums) and the next frame clears and repaints the whole screen. True when the size changed.
   */
  resized(ed: { rows: number; columns: number }, tty: { rows: number; columns: number; write(d: string): void }, min: { rows: number; columns: number }): boolean {
    const rows = Math.max(min.rows, tty.rows);
    const columns = Math.max(min.columns, tty.columns);
    if (rows === ed.rows && columns === ed.columns) return false;
    ed.rows = rows;
    ed.columns = columns;
    this.reset();
    tty.write('\x1b[2J');
    return true;
  }

  /** Forget what is on the screen (after a resize or a redraw request). */
  reset(): void {
    this.last = [];
    this.lastAttrs = [];
  }
}
