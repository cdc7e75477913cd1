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
//
// An unfinished command (an open heredoc, quote, loop, a trailing `|` or
// `\`) comes back from the shell as not complete (showPrompt's `continued`):
// the editor then shows PS2 (`> `) and keeps the lines typed so far; Enter
// sends them all with the new line, Ctrl-C abandons them. Ctrl-R / Ctrl-S
// search the history incrementally, with readline's `(reverse-i-search)`
// prompt. Feeding is linear in the input: a run of printable characters is
// inserted at once, and a line longer than MAX_LINE is refused (the bell;
// what follows up to the next newline is dropped, nothing runs).

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
  /** lines of the unfinished command typed so far (PS2 is shown); empty at PS1 */
  readonly pending: readonly string[];
  /** the lines sent with the last Enter (kept as `pending` when the shell says the command goes on) */
  readonly submitted: readonly string[];
  /** the primary prompt (PS1), shown again when Ctrl-C abandons a continued command */
  readonly primary: string;
  /** an incremental history search in progress (Ctrl-R / Ctrl-S) */
  readonly search: Search | null;
  /** a refused (too long) line: input is dropped until the next newline */
  readonly discarding: boolean;
}

export interface Search {
  readonly query: string;
  readonly reverse: boolean;
  readonly failed: boolean;
  /** the history index of the line shown (history.length: the line being edited) */
  readonly index: number;
  /** the line, cursor, history position and prompt before the search (Ctrl-G restores them) */
  readonly saved: { chars: readonly string[]; cursor: number; histIndex: number; prompt: string };
}

/** The longest line the editor takes (code points); a longer one is refused whole. */
export const MAX_LINE = 256 * 1024;
/** bash's PS2 */
export const PS2 = '> ';

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
    pending: [],
    submitted: [],
    primary: opts.prompt,
    search: null,
    discarding: false,
  };
}

/** The line being edited. */
export function lineOf(s: EditorState): string {
  return s.chars.join('');
}

/** The key starting at `i` in terminal input (an escape sequence, a control character or a code point) and where the next one starts. */
export function nextKey(data: string, i: number): [string, number] {
  const c = data[i]!;
  if (c === ESC && i + 1 < data.length) {
    const n = data[i + 1]!;
    if (n === '[') {
      let j = i + 2;
      while (j < data.length && /[0-9;?<>=]/.test(data[j]!)) j++;
      while (j < data.length && /[ -/]/.test(data[j]!)) j++;
      return [data.slice(i, Math.min(j + 1, data.length)), j + 1];
    }
    if (n === 'O' && i + 2 < data.length) return [data.slice(i, i + 3), i + 3];
    const cp = String.fromCodePoint(data.codePointAt(i + 1)!);
    return [ESC + cp, i + 1 + cp.length];
  }
  const cp = String.fromCodePoint(data.codePointAt(i)!);
  return [cp, i + cp.length];
}

/** Split terminal input into keys: escape sequences, control characters, code points. */
export function splitKeys(data: string): string[] {
  const keys: string[] = [];
  for (let i = 0; i < data.length; ) {
    const [key, next] = nextKey(data, i);
    keys.push(key);
    i = next;
  }
  return keys;
}

/** a UTF-16 unit that is part of plain text (not a control character) */
function plain(code: number): boolean {
  return code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code < 0xa0);
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
  '\x12': 'search-reverse',
  '\x13': 'search-forward',
  '\x07': 'abort',
};

/** Feed terminal input (keys, escape sequences, pasted text). Linear in the length of `data`. */
export function feed(state: EditorState, data: string): Step {
  let s = state;
  let out = '';
  const actions: EditorAction[] = [];
  let i = 0;
  while (i < data.length) {
    if (s.mode !== 'edit') {
      // busy: the rest is typeahead; Ctrl-C while running interrupts and drops what was typed before it
      let rest = data.slice(i);
      if (s.mode === 'running') {
        let k: number;
        while ((k = rest.indexOf('\x03')) >= 0) {
          out += '^C';
          actions.push({ type: 'interrupt' });
          s = { ...s, typeahead: '' };
          rest = rest.slice(k + 1);
        }
      }
      s = { ...s, typeahead: s.typeahead + rest };
      break;
    }
    // a run of printable characters (typed fast or pasted) is inserted at once
    let j = i;
    while (j < data.length && plain(data.charCodeAt(j))) j++;
    if (j > i && !s.search) {
      const r = insertText(s, data.slice(i, j));
      s = r.state;
      out += r.out;
      i = j;
      continue;
    }
    const [key, next] = nextKey(data, i);
    i = next;
    const r = s.discarding ? discardKey(s, key) : s.search ? searchKey(s, key) : editKey(s, key);
    s = r.state;
    out += r.out;
    if (r.action) actions.push(r.action);
    if (r.replay !== undefined) {
      // a key that ended the search is then handled as usual
      const rr = editKey(s, r.replay);
      s = rr.state;
      out += rr.out;
      if (rr.action) actions.push(rr.action);
    }
  }
  return { state: s, out, actions };
}

function insertText(s: EditorState, text: string): KeyResult {
  if (s.discarding) return { state: s, out: '' };
  // code points (Array.from) only when the text has surrogate pairs: split is much faster on long pastes
  const astral = /[\uD800-\uDFFF]/.test(text);
  const ins = s.chars.length + text.length > MAX_LINE && !astral ? null : astral ? Array.from(text) : text.split('');
  if (!ins || s.chars.length + ins.length > MAX_LINE) {
    // refused: the line goes, and what follows up to the next newline
    const ns: EditorState = { ...s, chars: [], cursor: 0, discarding: true, tabs: 0 };
    const r = render(s, ns);
    return { state: r.state, out: r.out + '\x07' };
  }
  const st = s.tabs ? { ...s, tabs: 0 } : s;
  const chars = st.cursor === st.chars.length ? st.chars.concat(ins) : st.chars.slice(0, st.cursor).concat(ins, st.chars.slice(st.cursor));
  return render(st, { ...st, chars, cursor: st.cursor + ins.length });
}

/** A refused line: keys are dropped up to Enter, which shows a new prompt (nothing runs); Ctrl-C also ends it. */
function discardKey(s: EditorState, key: string): KeyResult {
  const name = KEY[key];
  if (name !== 'enter' && name !== 'interrupt') return { state: s, out: '' };
  const ns: EditorState = { ...s, discarding: false, chars: [], cursor: 0, startCol: 0, cursorRow: 0, histIndex: s.history.length, draft: [] };
  return { state: ns, out: (name === 'interrupt' ? '^C' : '') + '\r\n' + s.prompt + wrapFix(ns, ns.promptWidth) };
}

// --- incremental search (Ctrl-R / Ctrl-S) ----------------------------------

function searchPrompt(q: { query: string; reverse: boolean; failed: boolean }): string {
  return `(${q.failed ? 'failed ' : ''}${q.reverse ? 'reverse-' : ''}i-search)\`${q.query}': `;
}

/** the line at history index `i` (history.length: the line being edited before the search) */
function searchLine(s: EditorState, i: number): string {
  return i >= s.history.length ? s.search!.saved.chars.join('') : s.history[i]!;
}

/** redraw the whole prompt and line (the prompt changes during a search) */
function redrawAll(prev: EditorState, next: EditorState): KeyResult {
  const out = moveTo(prev, prev.cursorRow, 0) + '\x1b[J' + fullDraw(next);
  return { state: { ...next, cursorRow: rowOf(next, next.promptWidth + next.cursor) }, out };
}

/** show search `q` from history index `from` (inclusive), moving by `step` */
function searchShow(s: EditorState, q: Search, from: number, reverse: boolean): KeyResult {
  let found = -1;
  let at = -1;
  if (q.query !== '') {
    for (let i = from; i >= 0 && i <= s.history.length; i += reverse ? -1 : 1) {
      const line = searchLine({ ...s, search: q }, i);
      const k = reverse ? line.lastIndexOf(q.query) : line.indexOf(q.query);
      if (k >= 0) {
        found = i;
        at = k;
        break;
      }
    }
  }
  let search: Search;
  let chars = s.chars;
  let cursor = s.cursor;
  if (q.query === '') search = { ...q, reverse, failed: false };
  else if (found < 0) search = { ...q, reverse, failed: true };
  else {
    search = { ...q, reverse, failed: false, index: found };
    const line = searchLine({ ...s, search: q }, found);
    chars = Array.from(line);
    cursor = Array.from(line.slice(0, at)).length;
  }
  const prompt = searchPrompt(search);
  return redrawAll(s, { ...s, search, prompt, promptWidth: displayWidth(prompt), chars, cursor });
}

function startSearch(s: EditorState, reverse: boolean): KeyResult {
  const q: Search = { query: '', reverse, failed: false, index: s.histIndex, saved: { chars: s.chars, cursor: s.cursor, histIndex: s.histIndex, prompt: s.prompt } };
  return searchShow({ ...s, search: q }, q, s.histIndex, reverse);
}

/** leave the search keeping the line found (or, `restore`, the line from before it) */
function endSearch(s: EditorState, restore: boolean): KeyResult {
  const q = s.search!;
  const prompt = q.saved.prompt;
  const base = { ...s, search: null, prompt, promptWidth: displayWidth(prompt) };
  const next: EditorState = restore
    ? { ...base, chars: q.saved.chars, cursor: q.saved.cursor, histIndex: q.saved.histIndex }
    : { ...base, histIndex: q.index, draft: q.index >= s.history.length ? s.draft : q.saved.chars };
  return redrawAll(s, next);
}

function searchKey(s: EditorState, key: string): KeyResult & { replay?: string } {
  const q = s.search!;
  const name = KEY[key] ?? (isPrintable(key) ? 'insert' : 'ignore');
  switch (name) {
    case 'insert':
      return searchShow(s, { ...q, query: q.query + key }, q.index, q.reverse);
    case 'backspace': {
      if (q.query === '') return { state: s, out: '\x07' };
      // readline searches again from the line shown, with the shorter text
      return searchShow(s, { ...q, query: Array.from(q.query).slice(0, -1).join('') }, q.index, q.reverse);
    }
    case 'search-reverse':
    case 'search-forward': {
      const reverse = name === 'search-reverse';
      if (q.failed && reverse === q.reverse) return { state: s, out: '\x07' };
      const from = q.query === '' ? q.index : q.index + (reverse ? -1 : 1);
      if (from < 0 || from > s.history.length) return { state: { ...s, search: { ...q, reverse } }, out: '\x07' };
      return searchShow(s, q, from, reverse);
    }
    case 'abort':
      return endSearch(s, true);
    case 'interrupt': {
      const r = endSearch(s, true);
      return { ...r, replay: key };
    }
    case 'enter': {
      const r = endSearch(s, false);
      return { ...r, replay: key };
    }
    case 'ignore':
      return key === ESC ? endSearch(s, false) : { state: s, out: '' };
    default: {
      // any other editing key ends the search on the line found, then does its work
      const r = endSearch(s, false);
      return { ...r, replay: key };
    }
  }
}

/**
 * The command finished (or the terminal just started): show the prompt and
 * replay the typeahead. `startCol` is the column the cursor is in (non-zero
 * when the output did not end with a newline).
 */
export function showPrompt(
  state: EditorState,
  opts: { prompt?: string; history?: readonly string[]; startCol?: number; continued?: boolean } = {},
): Step {
  // a command that goes on: PS2, the lines so far kept
  const prompt = opts.continued ? PS2 : (opts.prompt ?? state.primary);
  const primary = opts.continued ? state.primary : prompt;
  const pendingLines = opts.continued ? state.submitted : [];
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
    primary,
    pending: pendingLines,
    submitted: [],
    search: null,
    discarding: false,
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
  /** a key that ended a search, to be handled again as an editing key */
  replay?: string;
}

function editKey(s: EditorState, key: string): KeyResult {
  const name = KEY[key] ?? (isPrintable(key) ? 'insert' : 'ignore');
  if (name === 'insert') return insertText(s, key);
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
      // the line goes, and the lines of an unfinished command with it (back to PS1)
      const prompt = st.primary;
      const ns: EditorState = { ...st, chars: [], cursor: 0, histIndex: st.history.length, draft: [], startCol: 0, cursorRow: 0, pending: [], prompt, promptWidth: displayWidth(prompt) };
      return { state: ns, out: toEnd(st) + '^C\r\n' + prompt + wrapFix(ns, ns.promptWidth) };
    }
    case 'search-reverse':
    case 'search-forward':
      return startSearch(st, name === 'search-reverse');
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
      const typed = lineOf(st);
      const submitted = [...st.pending, typed];
      const line = submitted.join('\n');
      const keep = st.pending.length === 0 && line.trim() !== '' && !line.startsWith(' ') && st.history[st.history.length - 1] !== line;
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
        submitted,
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
