// ss's column renderer (misc/ss.c out/field_next/render): tokens into a buffer, widths
// from the widest token, free screen space spread over the columns.
export type Align = 'left' | 'right';

export const enum Col {
  NETID,
  STATE,
  RECVQ,
  SENDQ,
  ADDR,
  SERV,
  RADDR,
  RSERV,
  PROC,
  EXT,
}
export const COL_MAX = 10;

export interface Column {
  align: Align;
  header: string;
  ldelim: string;
  disabled: boolean;
  width: number;
  maxLen: number;
}

export function newColumns(): Column[] {
  const c = (align: Align, header: string, ldelim: string): Column => ({ align, header, ldelim, disabled: false, width: 0, maxLen: 0 });
  return [
    c('left', 'Netid', ''),
    c('left', 'State', ' '),
    c('left', 'Recv-Q', ' '),
    c('left', 'Send-Q', ' '),
    c('right', 'Local Address:', ' '),
    c('left', 'Port', ''),
    c('right', 'Peer Address:', ' '),
    c('left', 'Port', ''),
    c('left', 'Process', ''),
    c('left', '', ''),
  ];
}

/** ss's output buffer: tokens in order, one per enabled column of each line. */
export class Buffer {
  tokens: string[] = [];
  cur = '';
  field = 0;
  constructor(public cols: Column[]) {}

  out(s: string): void {
    if (this.cols[this.field]!.disabled) return;
    this.cur += s;
  }

  private flush(): void {
    const f = this.cols[this.field]!;
    if (f.disabled) return;
    if (this.cur.length > f.maxLen) f.maxLen = this.cur.length;
    this.tokens.push(this.cur);
    this.cur = '';
  }

  next(): void {
    this.flush();
    this.field = this.field === COL_MAX - 1 ? 0 : this.field + 1;
  }

  set(id: number): void {
    while (this.field !== id) this.next();
  }

  header(): void {
    while (this.field !== COL_MAX - 1) {
      if (!this.cols[this.field]!.disabled) this.out(this.cols[this.field]!.header);
      this.next();
    }
  }

  /** All tokens: the flushed ones and the one being written, even empty (printed, but never measured). */
  all(): string[] {
    return this.cur.length || this.tokens.length ? [...this.tokens, this.cur] : [];
  }
}

/** render_calc_width(): `screen` null = not a terminal (compact). */
export function calcWidths(cols: Column[], screen: number | null): void {
  const sw = screen ?? Number.MAX_SAFE_INTEGER;
  let first = true;
  for (const c of cols) {
    if (c.disabled) continue;
    c.width = !first && c.maxLen ? c.maxLen + c.ldelim.length : c.maxLen;
    c.width = Math.min(c.width, sw);
    if (c.width) first = false;
  }
  if (screen === null) return;
  let len = 0;
  let linecols = 0;
  let eol = -1;
  for (let ci = 0; ci < COL_MAX; ci++) {
    const c = cols[ci]!;
    if (!c.width) continue;
    linecols++;
    len += c.width;
    let last = true;
    for (let t = ci + 1; t < COL_MAX; t++) {
      if (cols[t]!.width) {
        last = false;
        break;
      }
    }
    if (!last && len < sw) continue;
    if (len !== sw) {
      if (len > sw) {
        len -= c.width;
        ci--;
        linecols--;
      }
      const pad = sw - len;
      const spacing = linecols ? Math.floor(pad / linecols) : 0;
      let rem = linecols ? pad % linecols : 0;
      for (let t = ci; t > eol; t--) {
        const tc = cols[t]!;
        if (!tc.width) continue;
        tc.width += spacing;
        if (rem) {
          tc.width++;
          rem--;
        }
      }
    }
    eol = ci;
    len = 0;
    linecols = 0;
  }
}

export function render(buf: Buffer, screen: number | null): string {
  const cols = buf.cols;
  const tokens = buf.all();
  if (tokens.length === 0) return '';
  calcWidths(cols, screen);
  let out = '';
  let f = 0;
  while (f < COL_MAX && !cols[f]!.width) f++;
  let lineStarted = false;
  for (const tok of tokens) {
    const col = cols[f]!;
    let printed = 0;
    if (lineStarted) {
      out += col.ldelim;
      printed = col.ldelim.length;
    }
    lineStarted = true;
    if (col.width && col.align === 'right') {
      const s = col.width - tok.length - printed;
      if (s > 0) {
        out += ' '.repeat(s);
        printed += s;
      }
    }
    out += tok;
    printed += tok.length;
    if (col.width && col.align === 'left') {
      const s = col.width - printed;
      if (s > 0) out += ' '.repeat(s);
    }
    do {
      if (f === COL_MAX - 1) {
        out += '\n';
        f = 0;
        lineStarted = false;
      } else f++;
    } while (cols[f]!.disabled);
  }
  if (lineStarted) out += '\n';
  return out;
}

