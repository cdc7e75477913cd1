// GNU nano 7.2 as a state machine: the buffer, the cursor, the title bar, the
// status line and the two help lines, and the prompts nano users meet
// (Write Out, Save modified buffer?, Where Is, Go To Line). No I/O: the host
// performs writes and quitting (`effects`). Checked against recordings of
// the real nano (src/shell/nano/nano.test.ts, fixtures/editor/nano.json).
import { displayCol } from '../vim/text';
import type { Attr } from '../vim/render';

/** nano's tabsize (8) */
const TABSIZE = 8;

export type NanoEffect = { type: 'write'; path: string; text: string; quit: boolean } | { type: 'quit'; code: number };

type Prompt =
  | { kind: 'write'; text: string; quit: boolean }
  | { kind: 'save?' }
  | { kind: 'diffname'; name: string; quit: boolean }
  | { kind: 'search'; text: string }
  | { kind: 'goto'; text: string };

const MAIN_HELP = [
  '^G Help      ^O Write Out ^W Where Is  ^K Cut       ^T Execute   ^C Location',
  '^X Exit      ^R Read File ^\\ Replace   ^U Paste     ^J Justify   ^/ Go To Line',
];
const WRITE_HELP = ['^G Help             M-D DOS Format      M-A Append          M-B Backup File', '^C Cancel           M-M Mac Format      M-P Prepend         ^T Browse'];
const SAVE_HELP = [' Y Yes', ' N No           ^C Cancel'];
const SEARCH_HELP = ['^G Help         M-C Case Sens   M-B Backwards   ^P Older        ^T Go To Line', '^C Cancel       M-R Reg.exp.    ^R Replace      ^N Newer'];
const GOTO_HELP = ['^G Help             ^W Begin of Paragr. ^Y First Line       ^T Go To Text', '^C Cancel           ^O End of Paragraph ^V Last Line'];

interface Snapshot {
  lines: string[];
  row: number;
  col: number;
}

export interface NanoInit {
  lines: string[] | null;
  path: string | null;
  rows: number;
  columns: number;
  message?: string;
}

export class Nano {
  lines: string[];
  row = 0;
  col = 0;
  /** wanted display column for up/down */
  private want = 0;
  top = 0;
  rows: number;
  columns: number;
  path: string | null;
  modified = false;
  status = '';
  prompt: Prompt | null = null as Prompt | null;
  effects: NanoEffect[] = [];
  quitting = false;
  private cut: string[] = [];
  private lastWasCut = false;
  private lastSearch = '';
  private undoStack: { before: Snapshot; after: Snapshot; kind: string }[] = [];
  private redoStack: { before: Snapshot; after: Snapshot; kind: string }[] = [];
  private lastKind = '';
  /** keystrokes since the status message was shown */
  private statusAge = 0;

  constructor(init: NanoInit) {
    this.rows = Math.max(6, init.rows);
    this.columns = Math.max(20, init.columns);
    this.path = init.path;
    // nano's buffer ends with an empty line after the final newline
    this.lines = init.lines === null ? [''] : [...init.lines, ''];
    if (init.message !== undefined) this.setStatus(init.message);
    else if (init.lines === null) this.setStatus(init.path === null ? '' : 'New File');
    else this.setStatus(`Read ${init.lines.length} line${init.lines.length === 1 ? '' : 's'}`);
  }

  private setStatus(s: string): void {
    this.status = s;
    this.statusAge = 0;
  }

  private get line(): string {
    return this.lines[this.row] ?? '';
  }

  private textRows(): number {
    return this.rows - 4;
  }

  /** Feed input; stops after a key that needs the host (write, quit) and returns the rest. */
  input(data: string): string {
    const keys = splitNanoKeys(data);
    for (let i = 0; i < keys.length; i++) {
      if (this.quitting) return '';
      this.key(keys[i]!);
      if (this.effects.length) return keys.slice(i + 1).join('');
    }
    return '';
  }

  key(k: string): void {
    // nano blanks the status bar 20 keystrokes after a message
    if (this.status && ++this.statusAge > 20 && !this.prompt) this.status = '';
    if (this.prompt) this.promptKey(k);
    else {
      this.editKey(k);
      if (this.prompt) this.status = '';
    }
    this.scroll();
  }

  private scroll(): void {
    const n = this.textRows();
    if (this.row < this.top) this.top = this.row;
    if (this.row >= this.top + n) this.top = this.row - n + 1;
  }

  private snap(): Snapshot {
    return { lines: [...this.lines], row: this.row, col: this.col };
  }

  /** record an edit: consecutive edits of the same kind (typing, deleting) are one undo step */
  private edit(kind: string, fn: () => void): void {
    const before = this.snap();
    fn();
    const after = this.snap();
    const last = this.undoStack[this.undoStack.length - 1];
    if (last && this.lastKind === kind && (kind === 'type' || kind === 'bs' || kind === 'del' || kind === 'cut') && last.after.row === before.row) last.after = after;
    else this.undoStack.push({ before, after, kind });
    this.redoStack = [];
    this.lastKind = kind;
    this.modified = true;
  }

  private editKey(k: string): void {
    const wasCut = this.lastWasCut;
    this.lastWasCut = false;
    const kindBefore = this.lastKind;
    this.lastKind = '';
    if (this.moveKey(k) || this.commandKey(k)) return;
    if (this.textKey(k, kindBefore, wasCut)) return;
    if (k === '\t' || (k.length >= 1 && !k.startsWith('\x1b') && k >= ' ' && k !== '\x7f')) {
      this.lastKind = kindBefore;
      this.edit('type', () => {
        const line = this.line;
        this.lines[this.row] = line.slice(0, this.col) + k + line.slice(this.col);
        this.setCol(this.col + k.length);
      });
    }
  }

  /** the column, and the display column up/down keep (move.c) */
  private setCol(c: number): void {
    this.col = c;
    this.want = displayCol(this.line, this.col, TABSIZE);
  }

  /** to row r, at the column nearest the one kept */
  private toRow(r: number): void {
    this.row = Math.max(0, Math.min(r, this.lines.length - 1));
    let c = 0;
    const line = this.line;
    while (c < line.length && displayCol(line, c + 1, TABSIZE) <= this.want) c++;
    this.col = c;
  }

  /** cursor keys, Home/End, PageUp/PageDown and their ^ keys (move.c); false for other keys */
  private moveKey(k: string): boolean {
    switch (k) {
      case '\x1b[A':
      case '\x1bOA':
      case '\x10':
        if (this.row > 0) this.toRow(this.row - 1);
        return true;
      case '\x1b[B':
      case '\x1bOB':
      case '\x0e':
        if (this.row < this.lines.length - 1) this.toRow(this.row + 1);
        return true;
      case '\x1b[D':
      case '\x1bOD':
      case '\x02':
        if (this.col > 0) this.setCol(this.col - 1);
        else if (this.row > 0) {
          this.row--;
          this.setCol(this.line.length);
        }
        return true;
      case '\x1b[C':
      case '\x1bOC':
      case '\x06':
        if (this.col < this.line.length) this.setCol(this.col + 1);
        else if (this.row < this.lines.length - 1) {
          this.row++;
          this.setCol(0);
        }
        return true;
      case '\x1b[H':
      case '\x1bOH':
      case '\x01':
        this.setCol(0);
        return true;
      case '\x1b[F':
      case '\x1bOF':
      case '\x05':
        this.setCol(this.line.length);
        return true;
      case '\x1b[5~':
      case '\x19':
        this.top = Math.max(0, this.top - (this.textRows() - 2));
        this.toRow(Math.max(0, this.row - (this.textRows() - 2)));
        return true;
      case '\x1b[6~':
      case '\x16':
        this.top = Math.min(this.lines.length - 1, this.top + (this.textRows() - 2));
        this.toRow(Math.min(this.lines.length - 1, this.row + (this.textRows() - 2)));
        return true;
    }
    return false;
  }

  /** Enter, Backspace, Delete, ^K cut and ^U paste (text.c, cut.c); false for other keys */
  private textKey(k: string, kindBefore: string, wasCut: boolean): boolean {
    switch (k) {
      case '\r':
      case '\n':
        this.edit('enter', () => {
          const line = this.line;
          this.lines.splice(this.row, 1, line.slice(0, this.col), line.slice(this.col));
          this.row++;
          this.setCol(0);
        });
        return true;
      case '\x7f':
      case '\x08':
        if (this.col === 0 && this.row === 0) return true;
        this.lastKind = kindBefore;
        this.edit('bs', () => {
          if (this.col > 0) {
            const line = this.line;
            this.lines[this.row] = line.slice(0, this.col - 1) + line.slice(this.col);
            this.setCol(this.col - 1);
          } else {
            const prev = this.lines[this.row - 1]!;
            this.lines.splice(this.row - 1, 2, prev + this.line);
            this.row--;
            this.setCol(prev.length);
          }
        });
        return true;
      case '\x1b[3~':
      case '\x04':
        if (this.col >= this.line.length && this.row >= this.lines.length - 1) return true;
        this.lastKind = kindBefore;
        this.edit('del', () => {
          const line = this.line;
          if (this.col < line.length) this.lines[this.row] = line.slice(0, this.col) + line.slice(this.col + 1);
          else this.lines.splice(this.row, 2, line + this.lines[this.row + 1]);
        });
        return true;
      case '\x0b': {
        // ^K: cut the line (consecutive cuts gather in the cutbuffer)
        if (this.row === this.lines.length - 1 && this.line === '') {
          this.lastWasCut = wasCut;
          return true;
        }
        this.lastKind = kindBefore;
        this.status = '';
        this.edit('cut', () => {
          if (!wasCut) this.cut = [];
          this.cut.push(this.line);
          this.lines.splice(this.row, 1);
          if (this.lines.length === 0) this.lines.push('');
          this.setCol(0);
        });
        this.lastWasCut = true;
        return true;
      }
      case '\x15':
        if (!this.cut.length) {
          this.setStatus('Cutbuffer is empty');
          return true;
        }
        this.edit('paste', () => {
          const line = this.line;
          const parts = [line.slice(0, this.col) + this.cut[0]!, ...this.cut.slice(1)];
          // the cut lines end with their newlines: the text after the cursor follows on a line of its own
          this.lines.splice(this.row, 1, ...parts, line.slice(this.col));
          this.row += parts.length;
          this.setCol(0);
        });
        return true;
    }
    return false;
  }

  /** the keys that open a prompt, undo/redo and ^C's cursor report; false for other keys */
  private commandKey(k: string): boolean {
    switch (k) {
      case '\x0f':
        this.prompt = { kind: 'write', text: this.path ?? '', quit: false };
        return true;
      case '\x18':
        if (!this.modified) {
          this.quit(0);
          return true;
        }
        this.prompt = { kind: 'save?' };
        return true;
      case '\x17':
        this.prompt = { kind: 'search', text: '' };
        return true;
      case '\x1f':
      case '\x1b[1;5P':
        this.prompt = { kind: 'goto', text: '' };
        return true;
      case '\x1bu':
      case '\x1bU':
        this.undo();
        return true;
      case '\x1be':
      case '\x1bE':
        this.redo();
        return true;
      case '\x03': {
        const total = this.lines.length;
        const chars = this.lines.reduce((n, l) => n + l.length + 1, 0) - 1;
        let at = 0;
        for (let r = 0; r < this.row; r++) at += this.lines[r]!.length + 1;
        at += this.col;
        const pct = (a: number, b: number) => Math.floor((100 * a) / Math.max(1, b));
        this.setStatus(`line ${this.row + 1}/${total} (${pct(this.row + 1, total)}%), col ${this.col + 1}/${this.line.length + 1} (${pct(this.col + 1, this.line.length + 1)}%), char ${at}/${chars} (${pct(at, chars)}%)`);
        return true;
      }
    }
    return false;
  }


  private undo(): void {
    const u = this.undoStack.pop();
    if (!u) {
      this.setStatus('Nothing to undo');
      return;
    }
    this.redoStack.push(u);
    this.lines = [...u.before.lines];
    this.row = u.before.row;
    this.col = u.before.col;
    this.want = displayCol(this.line, this.col, 8);
    this.modified = this.undoStack.length > 0;
    const names: Record<string, string> = { type: 'addition', bs: 'deletion', del: 'deletion', enter: 'line break', cut: 'cut', paste: 'paste' };
    this.setStatus(`Undid ${names[u.kind] ?? 'action'}`);
    this.lastKind = '';
  }

  private redo(): void {
    const u = this.redoStack.pop();
    if (!u) {
      this.setStatus('Nothing to redo');
      return;
    }
    this.undoStack.push(u);
    this.lines = [...u.after.lines];
    this.row = u.after.row;
    this.col = u.after.col;
    this.modified = true;
    const names: Record<string, string> = { type: 'addition', bs: 'deletion', del: 'deletion', enter: 'line break', cut: 'cut', paste: 'paste' };
    this.setStatus(`Redid ${names[u.kind] ?? 'action'}`);
    this.lastKind = '';
  }

  private quit(code: number): void {
    this.quitting = true;
    this.effects.push({ type: 'quit', code });
  }

  private promptKey(k: string): void {
    const p = this.prompt!;
    if (k === '\x03') {
      this.prompt = null;
      this.setStatus('Cancelled');
      return;
    }
    if (p.kind === 'diffname') {
      if (k === 'y' || k === 'Y') {
        this.prompt = null;
        this.writeOut(p.name, p.quit);
      } else if (k === 'n' || k === 'N') {
        // back to the name, to change it
        this.prompt = { kind: 'write', text: p.name, quit: p.quit };
      }
      return;
    }
    if (p.kind === 'save?') {
      if (k === 'y' || k === 'Y') this.prompt = { kind: 'write', text: this.path ?? '', quit: true };
      else if (k === 'n' || k === 'N') {
        this.prompt = null;
        this.quit(0);
      }
      return;
    }
    if (k === '\r' || k === '\n') {
      this.prompt = null;
      this.submit(p);
      return;
    }
    if (k === '\x7f' || k === '\x08') {
      p.text = p.text.slice(0, -1);
      return;
    }
    if (k === '\x15') {
      p.text = '';
      return;
    }
    if (k.startsWith('\x1b') || (k.length === 1 && k < ' ')) return;
    p.text += k;
  }

  private submit(p: Prompt): void {
    if (p.kind === 'write') {
      if (p.text === '') {
        this.setStatus('Cancelled');
        return;
      }
      // another name than the buffer's: nano asks first
      if (this.path !== null && p.text !== this.path) {
        this.prompt = { kind: 'diffname', name: p.text, quit: p.quit };
        return;
      }
      this.writeOut(p.text, p.quit);
      return;
    }
    if (p.kind === 'search') {
      const q = p.text || this.lastSearch;
      if (!q) {
        this.setStatus('Cancelled');
        return;
      }
      this.lastSearch = q;
      const n = this.lines.length;
      for (let i = 0; i <= n; i++) {
        const r = (this.row + i) % n;
        const line = this.lines[r]!;
        const from = i === 0 ? this.col + 1 : 0;
        const c = i === n ? line.indexOf(q) : line.indexOf(q, from);
        if (c >= 0 && (i < n || c <= this.col)) {
          if (i === n && c === this.col) this.setStatus('This is the only occurrence');
          else if (this.row + i >= n) this.setStatus('Search Wrapped');
          this.row = r;
          this.col = c;
          this.want = displayCol(this.line, this.col, 8);
          return;
        }
      }
      this.setStatus(`"${q}" not found`);
      return;
    }
    if (p.kind === 'goto') {
      const m = /^\s*(-?\d+)?\s*(?:[,\s]\s*(-?\d+))?\s*$/.exec(p.text);
      if (!m || p.text.trim() === '') {
        this.setStatus(p.text.trim() === '' ? 'Cancelled' : 'Invalid line or column number');
        return;
      }
      let r = m[1] ? Number(m[1]) : this.row + 1;
      if (r < 0) r = this.lines.length + r + 1;
      this.row = Math.max(0, Math.min(r - 1, this.lines.length - 1));
      const c = m[2] ? Number(m[2]) : 1;
      this.col = Math.max(0, Math.min(c - 1, this.line.length));
      this.want = displayCol(this.line, this.col, 8);
      // nano puts the line it went to in the middle of the screen when it was not shown
      return;
    }
  }

  private writeOut(path: string, quit: boolean): void {
    const lines = this.lines[this.lines.length - 1] === '' ? this.lines.slice(0, -1) : this.lines;
    const text = lines.length ? lines.join('\n') + '\n' : '';
    this.effects.push({ type: 'write', path, text, quit });
  }

  /** The host wrote the file, or failed. */
  written(r: { ok: true; path: string; lines: number; quit: boolean } | { ok: false; message: string }): void {
    if (!r.ok) {
      this.setStatus(r.message);
      return;
    }
    this.path = r.path;
    this.modified = false;
    this.setStatus(`Wrote ${r.lines} line${r.lines === 1 ? '' : 's'}`);
    if (r.quit) this.quit(0);
  }

  // --- screen ----------------------------------------------------------------

  screen(): { lines: string[]; cursor: { row: number; col: number }; attrs: Attr[] } {
    const cols = this.columns;
    const out: string[] = [];
    const attrs: Attr[] = [];
    // title bar: version, the file name centred, Modified
    const brand = '  GNU nano 7.2';
    const name = this.path ?? 'New Buffer';
    const state = this.modified ? 'Modified' : '';
    const verlen = brand.length + 1;
    let title = brand.padEnd(Math.max(verlen, Math.floor((cols - name.length) / 2) + 2));
    title += name;
    if (state) title = title.padEnd(cols - state.length - 2) + state;
    out.push(title);
    attrs.push('reverse');
    const n = this.textRows();
    for (let i = 0; i < n; i++) {
      const line = this.lines[this.top + i];
      out.push(line === undefined ? '' : expand(line).slice(0, cols));
      attrs.push('');
    }
    let cursor = { row: 1 + this.row - this.top, col: Math.min(cols - 1, displayCol(this.line, this.col, 8)) };
    const p = this.prompt;
    let help = MAIN_HELP;
    if (p) {
      let text = '';
      if (p.kind === 'write') {
        text = `File Name to Write: ${p.text}`;
        help = WRITE_HELP;
      } else if (p.kind === 'save?') {
        text = 'Save modified buffer? ';
        help = SAVE_HELP;
      } else if (p.kind === 'diffname') {
        text = 'Save file under DIFFERENT NAME? ';
        help = SAVE_HELP;
      } else if (p.kind === 'search') {
        text = `Search${this.lastSearch ? ` [${this.lastSearch}]` : ''}: ${p.text}`;
        help = SEARCH_HELP;
      } else {
        text = `Enter line number, column number: ${p.text}`;
        help = GOTO_HELP;
      }
      out.push(text);
      attrs.push('reverse');
      cursor = { row: this.rows - 3, col: Math.min(cols - 1, text.length) };
    } else if (this.status) {
      const s = `[ ${this.status} ]`;
      out.push(' '.repeat(Math.max(0, Math.floor((cols - s.length) / 2))) + s);
      attrs.push('');
    } else {
      out.push('');
      attrs.push('');
    }
    out.push(help[0]!, help[1]!);
    attrs.push('', '');
    return { lines: out.map((l) => l.replace(/\s+$/, '')), cursor, attrs };
  }
}

function expand(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const c of line) out += c === '\t' ? ' '.repeat(8 - (out.length % 8)) : c;
  return out;
}

/** nano's keys: Esc + a letter is Alt-letter (M-U undo); CSI/SS3 sequences are one key. */
export function splitNanoKeys(data: string): string[] {
  const keys: string[] = [];
  let i = 0;
  while (i < data.length) {
    if (data[i] === '\x1b') {
      const m = /^\x1b\[[0-9;?]*[~A-Za-z]|^\x1bO[A-Za-z]|^\x1b[^[O]/.exec(data.slice(i, i + 12));
      const k = m ? m[0] : '\x1b';
      keys.push(k);
      i += k.length;
      continue;
    }
    const cp = String.fromCodePoint(data.codePointAt(i)!);
    keys.push(cp);
    i += cp.length;
  }
  return keys;
}
