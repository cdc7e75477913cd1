// The terminal's line editor: a pure state machine, no DOM and no I/O.
//
// The page feeds it what the terminal emits (xterm's onData: typed keys,
// escape sequences, pasted text) and gets back the new state, the bytes to
// write to the terminal (`out`) and the actions to perform (run a line, ask
// for completions, interrupt the running command). It behaves like bash's
// readline in emacs mode for the keys a learner uses.
//
// While a command runs (or completions are being computed) the editor is
// busy: input is kept as typeahead and replayed when the next prompt is
// shown, so a pasted multi-line block runs its lines one after another, as
// in a real terminal. Ctrl-C while busy interrupts and drops the typeahead
// (the tty flushes its input queue on SIGINT).

export type EditorMode = 'edit' | 'running' | 'completing';

export interface EditorState {
  readonly prompt: string;
  /** display width of the prompt (escape sequences excluded) */
  readonly promptWidth: number;
  /** column where the prompt starts (the last output may not end with a newline) */
  readonly startCol: number;
  readonly columns: number;
  /** the line, as code points */
  readonly chars: readonly string[];
  /** cursor position in `chars` */
  readonly cursor: number;
  readonly history: readonly string[];
  /** index into history of the line shown; history.length when editing the new line */
  readonly histIndex: number;
  /** the new line, kept while walking the history */
  readonly draft: readonly string[];
  /** text last cut by Ctrl-U/K/W (Ctrl-Y yanks it back) */
  readonly killed: string;
  readonly mode: EditorMode;
  /** input received while busy, replayed at the next prompt */
  readonly typeahead: string;
  /** row of the terminal cursor, counted from the prompt's first row */
  readonly cursorRow: number;
  /** consecutive Tab presses that completed nothing (the second lists the candidates) */
  readonly tabs: number;
}

export type EditorAction =
  | { type: 'run'; line: string }
  /** `cursor` is a UTF-16 index into `line` */
  | { type: 'complete'; line: string; cursor: number }
  | { type: 'interrupt' };

export interface Step {
  state: EditorState;
  out: string;
  actions: EditorAction[];
}

export interface EditorOptions {
  prompt: string;
  columns?: number;
  history?: readonly string[];
}

const ESC = '\x1b';
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g;

export function displayWidth(s: string): number {
  return Array.from(s.replace(ANSI, '')).length;
}

/** A fresh editor, in edit mode, whose prompt is already on the screen at column 0. */
export function createEditor(opts: EditorOptions): EditorState {
  const history = [...(opts.history ?? [])];
  return {
    prompt: opts.prompt,
    promptWidth: displayWidth(opts.prompt),
    startCol: 0,
    columns: Math.max(1, opts.columns ?? 80),
    chars: [],
    cursor: 0,
    history,
    histIndex: history.length,
    draft: [],
    killed: '',
    mode: 'edit',
    typeahead: '',
    cursorRow: 0,
    tabs: 0,
  };
}

/** The line being edited. */
export function lineOf(s: EditorState): string {
  return s.chars.join('');
}

/** Split terminal input into keys: escape sequences, control characters, code points. */
export function splitKeys(data: string): string[] {
  const keys: string[] = [];
  let i = 0;
  while (i < data.length) {
    const c = data[i]!;
    if (c === ESC && i + 1 < data.length) {
      const n = data[i + 1]!;
      if (n === '[') {
        let j = i + 2;
        while (j < data.length && /[0-9;?<>=]/.test(data[j]!)) j++;
        while (j < data.length && /[ -/]/.test(data[j]!)) j++;
        keys.push(data.slice(i, Math.min(j + 1, data.length)));
        i = j + 1;
      } else if (n === 'O' && i + 2 < data.length) {
        keys.push(data.slice(i, i + 3));
        i += 3;
      } else {
        const cp = String.fromCodePoint(data.codePointAt(i + 1)!);
        keys.push(ESC + cp);
        i += 1 + cp.length;
      }
      continue;
    }
    const cp = String.fromCodePoint(data.codePointAt(i)!);
    keys.push(cp);
    i += cp.length;
  }
  return keys;
}

const KEY: Record<string, string> = {
  '\r': 'enter',
  '\n': 'enter',
  '\x7f': 'backspace',
  '\b': 'backspace',
  '\x1b[3~': 'delete',
  '\x04': 'eof',
  '\x1b[D': 'left',
  '\x1bOD': 'left',
  '\x02': 'left',
  '\x1b[C': 'right',
  '\x1bOC': 'right',
  '\x06': 'right',
  '\x1b[A': 'up',
  '\x1bOA': 'up',
  '\x10': 'up',
  '\x1b[B': 'down',
  '\x1bOB': 'down',
  '\x0e': 'down',
  '\x1b[H': 'home',
  '\x1bOH': 'home',
  '\x1b[1~': 'home',
  '\x1b[7~': 'home',
  '\x01': 'home',
  '\x1b[F': 'end',
  '\x1bOF': 'end',
  '\x1b[4~': 'end',
  '\x1b[8~': 'end',
  '\x05': 'end',
  '\x15': 'kill-line-back',
  '\x0b': 'kill-line',
  '\x17': 'kill-word-back-unix',
  '\x1b\x7f': 'kill-word-back',
  '\x1b\b': 'kill-word-back',
  '\x1bd': 'kill-word',
  '\x19': 'yank',
  '\x1bb': 'word-left',
  '\x1b[1;5D': 'word-left',
  '\x1b[1;3D': 'word-left',
  '\x1bf': 'word-right',
  '\x1b[1;5C': 'word-right',
  '\x1b[1;3C': 'word-right',
  '\x03': 'interrupt',
  '\x0c': 'clear',
  '\t': 'complete',
};

/** Feed terminal input (keys, escape sequences, pasted text). */
export function feed(state: EditorState, data: string): Step {
  let s = state;
  let out = '';
  const actions: EditorAction[] = [];
  const keys = splitKeys(data);
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    if (s.mode !== 'edit') {
      if (s.mode === 'running' && key === '\x03') {
        out += '^C';
        actions.push({ type: 'interrupt' });
        s = { ...s, typeahead: '' };
      } else {
        s = { ...s, typeahead: s.typeahead + key };
      }
      continue;
    }
    const r = editKey(s, key);
    s = r.state;
    out += r.out;
    if (r.action) actions.push(r.action);
    if (s.mode !== 'edit') {
      s = { ...s, typeahead: s.typeahead + keys.slice(k + 1).join('') };
      break;
    }
  }
  return { state: s, out, actions };
}

/**
 * The command finished (or the terminal just started): show the prompt and
 * replay the typeahead. `startCol` is the column the cursor is in (non-zero
 * when the output did not end with a newline).
 */
export function showPrompt(
  state: EditorState,
  opts: { prompt?: string; history?: readonly string[]; startCol?: number } = {},
): Step {
  const prompt = opts.prompt ?? state.prompt;
  const history = opts.history ? [...opts.history] : state.history;
  const startCol = (opts.startCol ?? 0) % state.columns;
  let s: EditorState = {
    ...state,
    prompt,
    promptWidth: displayWidth(prompt),
    startCol,
    history,
    histIndex: history.length,
    draft: [],
    chars: [],
    cursor: 0,
    mode: 'edit',
    typeahead: '',
    tabs: 0,
  };
  s = { ...s, cursorRow: rowOf(s, s.promptWidth) };
  let out = prompt;
  const end = s.startCol + s.promptWidth;
  if (end > 0 && end % s.columns === 0) out += '\r\n';
  if (state.typeahead) {
    const r = feed(s, state.typeahead);
    return { state: r.state, out: out + r.out, actions: r.actions };
  }
  return { state: s, out, actions: [] };
}

/** Apply the completions asked for by a `complete` action, then replay the typeahead. */
export function completed(state: EditorState, result: { from: number; candidates: readonly string[] }): Step {
  if (state.mode !== 'completing') return { state, out: '', actions: [] };
  const typeahead = state.typeahead;
  let s: EditorState = { ...state, mode: 'edit', typeahead: '' };
  let out = '';
  const line = lineOf(s);
  const cur = s.chars.slice(0, s.cursor).join('').length;
  const from = Math.max(0, Math.min(result.from, cur));
  const word = line.slice(from, cur);
  const cands = [...new Set(result.candidates)];
  const replace = (text: string): EditorState => {
    const before = Array.from(line.slice(0, from));
    const ins = Array.from(text);
    const chars = [...before, ...ins, ...s.chars.slice(s.cursor)];
    return { ...s, chars, cursor: before.length + ins.length, tabs: 0 };
  };
  if (cands.length === 0) {
    out += '\x07';
    s = { ...s, tabs: 0 };
  } else if (cands.length === 1) {
    const c = cands[0]!;
    const after = s.chars[s.cursor];
    const suffix = c.endsWith('/') || after === ' ' ? '' : ' ';
    const r = render(s, replace(c + suffix));
    out += r.out;
    s = r.state;
  } else {
    const prefix = commonPrefix(cands);
    if (prefix.length > word.length && prefix.startsWith(word)) {
      const r = render(s, replace(prefix));
      out += r.out;
      s = r.state;
    } else if (s.tabs >= 1) {
      // second Tab: list the candidates under the line, then draw the line again
      out += toEnd(s) + '\r\n' + listColumns(cands, s.columns);
      const ns: EditorState = { ...s, startCol: 0, cursorRow: 0, tabs: 0 };
      out += fullDraw(ns);
      s = { ...ns, cursorRow: rowOf(ns, ns.promptWidth + ns.cursor) };
    } else {
      out += '\x07';
      s = { ...s, tabs: s.tabs + 1 };
    }
  }
  if (typeahead) {
    const r = feed(s, typeahead);
    return { state: r.state, out: out + r.out, actions: r.actions };
  }
  return { state: s, out, actions: [] };
}

/** The terminal changed width (xterm reflows the wrapped line). */
export function resize(state: EditorState, columns: number): EditorState {
  const s = { ...state, columns: Math.max(1, columns) };
  return { ...s, startCol: s.startCol % s.columns, cursorRow: rowOf(s, s.promptWidth + s.cursor) };
}

// --- editing -------------------------------------------------------------

interface KeyResult {
  state: EditorState;
  out: string;
  action?: EditorAction;
}

function editKey(s: EditorState, key: string): KeyResult {
  const name = KEY[key] ?? (isPrintable(key) ? 'insert' : 'ignore');
  const tabs = name === 'complete' ? s.tabs : 0;
  const st = tabs === s.tabs ? s : { ...s, tabs };
  const set = (patch: Partial<EditorState>): KeyResult => render(st, { ...st, ...patch });
  const { chars, cursor } = st;
  switch (name) {
    case 'insert':
      return set({ chars: [...chars.slice(0, cursor), key, ...chars.slice(cursor)], cursor: cursor + 1 });
    case 'backspace':
      if (cursor === 0) return { state: st, out: '' };
      return set({ chars: [...chars.slice(0, cursor - 1), ...chars.slice(cursor)], cursor: cursor - 1 });
    case 'delete':
    case 'eof':
      if (cursor >= chars.length) return { state: st, out: '' };
      return set({ chars: [...chars.slice(0, cursor), ...chars.slice(cursor + 1)] });
    case 'left':
      return cursor > 0 ? set({ cursor: cursor - 1 }) : { state: st, out: '' };
    case 'right':
      return cursor < chars.length ? set({ cursor: cursor + 1 }) : { state: st, out: '' };
    case 'home':
      return set({ cursor: 0 });
    case 'end':
      return set({ cursor: chars.length });
    case 'word-left':
      return set({ cursor: wordStart(chars, cursor, isWordChar) });
    case 'word-right':
      return set({ cursor: wordEnd(chars, cursor) });
    case 'kill-line-back':
      return set({ chars: chars.slice(cursor), cursor: 0, killed: chars.slice(0, cursor).join('') || st.killed });
    case 'kill-line':
      return set({ chars: chars.slice(0, cursor), killed: chars.slice(cursor).join('') || st.killed });
    case 'kill-word-back-unix':
    case 'kill-word-back': {
      const from = wordStart(chars, cursor, name === 'kill-word-back' ? isWordChar : (c) => !/\s/.test(c));
      if (from === cursor) return { state: st, out: '' };
      return set({
        chars: [...chars.slice(0, from), ...chars.slice(cursor)],
        cursor: from,
        killed: chars.slice(from, cursor).join(''),
      });
    }
    case 'kill-word': {
      const to = wordEnd(chars, cursor);
      if (to === cursor) return { state: st, out: '' };
      return set({ chars: [...chars.slice(0, cursor), ...chars.slice(to)], killed: chars.slice(cursor, to).join('') });
    }
    case 'yank': {
      const ins = Array.from(st.killed);
      if (!ins.length) return { state: st, out: '' };
      return set({ chars: [...chars.slice(0, cursor), ...ins, ...chars.slice(cursor)], cursor: cursor + ins.length });
    }
    case 'up': {
      if (st.histIndex === 0) return { state: st, out: '' };
      const draft = st.histIndex === st.history.length ? chars : st.draft;
      const line = Array.from(st.history[st.histIndex - 1]!);
      return set({ histIndex: st.histIndex - 1, draft, chars: line, cursor: line.length });
    }
    case 'down': {
      if (st.histIndex >= st.history.length) return { state: st, out: '' };
      const i = st.histIndex + 1;
      const line = i === st.history.length ? [...st.draft] : Array.from(st.history[i]!);
      return set({ histIndex: i, chars: line, cursor: line.length });
    }
    case 'interrupt': {
      const ns: EditorState = { ...st, chars: [], cursor: 0, histIndex: st.history.length, draft: [], startCol: 0, cursorRow: 0 };
      return { state: ns, out: toEnd(st) + '^C\r\n' + st.prompt + wrapFix(ns, ns.promptWidth) };
    }
    case 'clear': {
      const ns: EditorState = { ...st, startCol: 0, cursorRow: 0 };
      const out = '\x1b[H\x1b[2J' + fullDraw(ns);
      return { state: { ...ns, cursorRow: rowOf(ns, ns.promptWidth + ns.cursor) }, out };
    }
    case 'complete': {
      const line = lineOf(st);
      return {
        state: { ...st, mode: 'completing' },
        out: '',
        action: { type: 'complete', line, cursor: chars.slice(0, cursor).join('').length },
      };
    }
    case 'enter': {
      const line = lineOf(st);
      const keep = line.trim() !== '' && !line.startsWith(' ') && st.history[st.history.length - 1] !== line;
      const history = keep ? [...st.history, line] : st.history;
      const ns: EditorState = {
        ...st,
        chars: [],
        cursor: 0,
        history,
        histIndex: history.length,
        draft: [],
        mode: 'running',
        startCol: 0,
        cursorRow: 0,
      };
      return { state: ns, out: toEnd(st) + '\r\n', action: { type: 'run', line } };
    }
    default:
      return { state: st, out: '' };
  }
}

function isPrintable(key: string): boolean {
  if (key.length === 0 || key.startsWith(ESC)) return false;
  const cp = key.codePointAt(0)!;
  return cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0);
}

function isWordChar(c: string): boolean {
  return /[\p{L}\p{N}_]/u.test(c);
}

function wordStart(chars: readonly string[], cursor: number, inWord: (c: string) => boolean): number {
  let i = cursor;
  while (i > 0 && !inWord(chars[i - 1]!)) i--;
  while (i > 0 && inWord(chars[i - 1]!)) i--;
  return i;
}

function wordEnd(chars: readonly string[], cursor: number): number {
  let i = cursor;
  while (i < chars.length && !isWordChar(chars[i]!)) i++;
  while (i < chars.length && isWordChar(chars[i]!)) i++;
  return i;
}

function commonPrefix(words: readonly string[]): string {
  let p = words[0] ?? '';
  for (const w of words) {
    while (!w.startsWith(p)) p = p.slice(0, -1);
  }
  return p;
}

/** bash's listing of completions: columns, sorted down then across. */
export function listColumns(words: readonly string[], columns: number): string {
  const sorted = [...words].sort();
  const width = Math.max(...sorted.map((w) => displayWidth(w))) + 2;
  // readline: as many columns as fit, always leaving the last cell free
  let perRow = Math.floor(columns / width);
  if (perRow !== 1 && perRow * width === columns) perRow--;
  perRow = Math.max(1, perRow);
  const rows = Math.ceil(sorted.length / perRow);
  let out = '';
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < perRow; c++) {
      const w = sorted[c * rows + r];
      if (w === undefined) break;
      const last = sorted[(c + 1) * rows + r] === undefined;
      line += last ? w : w + ' '.repeat(width - displayWidth(w));
    }
    out += line + '\r\n';
  }
  return out;
}

// --- drawing -------------------------------------------------------------

/** row (from the prompt's first row) of the cell at `offset` cells after the prompt's start */
function rowOf(s: EditorState, offset: number): number {
  return Math.floor((s.startCol + offset) / s.columns);
}

/** after writing up to `offset`, a cursor left in the pending-wrap state at the right margin moves to the next row */
function wrapFix(s: EditorState, offset: number): string {
  const end = s.startCol + offset;
  return end > 0 && end % s.columns === 0 ? '\r\n' : '';
}

/** move the terminal cursor from its row/column to the cell `offset` cells after the prompt's start */
function moveTo(s: EditorState, fromRow: number, offset: number): string {
  const pos = s.startCol + offset;
  const row = Math.floor(pos / s.columns);
  const col = pos % s.columns;
  let out = '';
  if (fromRow > row) out += `\x1b[${fromRow - row}A`;
  else if (row > fromRow) out += `\x1b[${row - fromRow}B`;
  out += '\r';
  if (col > 0) out += `\x1b[${col}C`;
  return out;
}

/** draw prompt and line from the prompt's start, leaving the cursor at the end of the line */
function fullDraw(s: EditorState): string {
  const end = s.promptWidth + s.chars.length;
  return s.prompt + s.chars.join('') + wrapFix(s, end) + moveTo(s, rowOf(s, end), s.promptWidth + s.cursor);
}

function toEnd(s: EditorState): string {
  if (s.cursor === s.chars.length) return '';
  return moveTo(s, s.cursorRow, s.promptWidth + s.chars.length);
}

/** the bytes that turn the screen showing `prev` into the screen showing `next` */
function render(prev: EditorState, next: EditorState): KeyResult {
  let out: string;
  const sameLine = prev.chars.length === next.chars.length && prev.chars.every((c, i) => c === next.chars[i]);
  const target = next.promptWidth + next.cursor;
  if (sameLine) {
    if (prev.cursor === next.cursor) return { state: { ...next, cursorRow: prev.cursorRow }, out: '' };
    out = moveTo(next, prev.cursorRow, target);
  } else if (
    prev.cursor === prev.chars.length &&
    next.cursor === next.chars.length &&
    next.chars.length > prev.chars.length &&
    prev.chars.every((c, i) => c === next.chars[i])
  ) {
    // typing at the end of the line: just write what was added
    out = next.chars.slice(prev.chars.length).join('') + wrapFix(next, target);
  } else {
    // redraw the line from the first cell after the prompt
    const start = next.promptWidth;
    out = moveTo(next, prev.cursorRow, start) + '\x1b[J' + next.chars.join('');
    const end = start + next.chars.length;
    if (next.chars.length > 0) out += wrapFix(next, end);
    out += moveTo(next, rowOf(next, end), target);
  }
  return { state: { ...next, cursorRow: rowOf(next, target) }, out };
}
