// Go's text/tabwriter as kubectl describe configures it (minwidth 0, tabwidth 8, padding 2, padchar ' ',
// no flags), and describe's PrefixWriter (two spaces per level). Cells end at a tab; the text after a line's
// last tab is not a cell and does not widen a column. A column's width is set per block: the run of
// consecutive lines that have a cell in that column.

const PADDING = 2;

function cellWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Lay out tab-separated text as text/tabwriter does. */
export function tabwrite(text: string): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  const out: string[] = [];
  const widths: number[] = [];
  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const line = lines[i]!;
      let s = '';
      for (let j = 0; j < line.length; j++) {
        const c = line[j]!;
        s += c;
        if (j < widths.length) s += ' '.repeat(Math.max(0, widths[j]! - cellWidth(c)));
      }
      out.push(s);
    }
  };
  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t]!.length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let width = 0;
      for (; t < line1; t++) {
        const line = lines[t]!;
        if (column >= line.length - 1) break;
        width = Math.max(width, cellWidth(line[column]!) + PADDING);
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
    }
    writeLines(line0, line1);
  };
  format(0, lines.length);
  return out.join('\n');
}

/** describe's PrefixWriter over a tabwriter: write(level, text) indents by two spaces per level. */
export class PrefixWriter {
  private buf: string[] = [];
  write(level: number, text: string): void {
    this.buf.push('  '.repeat(level) + text);
  }
  /** fmt.Sprintln of the values: joined by spaces, then a newline */
  line(...a: Array<string | number>): void {
    this.buf.push(a.join(' ') + '\n');
  }
  toString(): string {
    return tabwrite(this.buf.join(''));
  }
  /** the text as written, without the tabwriter (kubectl's rollout history prints a pod template so) */
  raw(): string {
    return this.buf.join('');
  }
}
