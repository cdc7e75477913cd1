// vim as a state machine: a buffer, a cursor, modes, and the screen it
// shows. No I/O: keys go in (`key()`), the screen comes out (`screen()`), and
// file writes and quitting are requests the host carries out (`effects`).
//
// What it covers is what an exam user relies on: normal, insert, visual and
// visual-line modes; h j k l w b e W B E 0 ^ $ gg G f t F T ; , H M L with
// counts; i a I A o O s S C D x X r J ~ p P; d c y > < with motions, text
// objects (iw aw) and doubled (dd yy cc >> <<); u, Ctrl-R and `.`; / ? n N *
// #; ex commands :w :q :wq :x :q! :N :s with ranges and :set; messages as vim
// 9 prints them. Its behaviour is checked against recordings of the real vim
// (src/shell/vim/vim.test.ts, fixtures/editor/vim.json).
import { charClass, displayCol, expandTabs, firstNonBlank, vimPattern, vimReplace } from './text';
import { VimModes } from './vim-modes';
import { ALIASES, DEFAULT_OPTIONS, splitVimKeys } from './vim-core';
import type { VimOptions } from './vim-core';
export { DEFAULT_OPTIONS, splitVimKeys } from './vim-core';
export type { Mode, VimEffect, VimInit, VimOptions } from './vim-core';

/** The editor: the command line, searches, ex commands, writes and the screen, over the modes of its base classes. */
export class Vim extends VimModes {
  // --- search ----------------------------------------------------------------

  protected regex(pat: string): RegExp | null {
    const ic = this.opts.ignorecase && !(this.opts.smartcase && /[A-Z]/.test(pat.replace(/\\./g, '')));
    return vimPattern(pat, ic);
  }

  /** next match of `pat` from `from` (exclusive), wrapping as 'wrapscan' says; sets vim's messages */
  protected search(pat: string, forward: boolean, from: { row: number; col: number }, quiet: boolean): { row: number; col: number } | null {
    const re = this.regex(pat);
    if (!re) {
      this.setMsg(`E486: Pattern not found: ${pat}`, true);
      return null;
    }
    const n = this.lines.length;
    const matchesIn = (r: number): number[] => {
      const out: number[] = [];
      const line = this.lines[r]!;
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(line))) {
        out.push(m.index);
        if (m[0] === '') re.lastIndex++;
        if (re.lastIndex > line.length) break;
      }
      return out;
    };
    this.setMsg('');
    for (let i = 0; i <= n; i++) {
      const r0 = forward ? from.row + i : from.row - i;
      const wrapped = forward ? r0 >= n : r0 < 0;
      if (wrapped && !this.opts.wrapscan) {
        this.setMsg(`E${forward ? '385' : '384'}: Search hit ${forward ? 'BOTTOM' : 'TOP'} without match for: ${pat}`, true);
        return null;
      }
      const r = ((r0 % n) + n) % n;
      const cols = matchesIn(r);
      let hit: number | undefined;
      if (forward) hit = cols.find((c) => i > 0 || c > from.col);
      else hit = [...cols].reverse().find((c) => i > 0 || c < from.col);
      if (i === n && forward) hit = cols.find((c) => c <= from.col);
      if (i === n && !forward) hit = [...cols].reverse().find((c) => c >= from.col);
      if (hit !== undefined) {
        if (wrapped || i === n) this.setMsg(forward ? 'search hit BOTTOM, continuing at TOP' : 'search hit TOP, continuing at BOTTOM', true);
        return { row: r, col: hit };
      }
    }
    this.setMsg(`E486: Pattern not found: ${pat}`, true);
    void quiet;
    return null;
  }

  // --- command line -----------------------------------------------------------

  protected cmdlineKey(k: string): void {
    const kind = this.cmdline[0]!;
    if (k === '\x1b' || k === '\x03') {
      this.mode = 'normal';
      this.cmdline = '';
      this.pend = '';
      this.pendingOp = null;
      this.setMsg('');
      return;
    }
    if (k === '\r' || k === '\n') {
      const text = this.cmdline.slice(1);
      this.mode = 'normal';
      this.cmdline = '';
      if (kind === ':') {
        if (text.trim()) this.cmdHistory.push(text);
        // the command stays on the last line unless it says something
        this.setMsg(':' + text);
        this.msgAt = -1;
        this.ex(text, false);
      } else this.searchCommand(kind, text);
      return;
    }
    if (k === '\x7f' || k === '\x08') {
      if (this.cmdline.length <= 1) {
        this.mode = 'normal';
        this.cmdline = '';
        this.setMsg('');
        return;
      }
      this.cmdline = this.cmdline.slice(0, this.cmdCursor - 1) + this.cmdline.slice(this.cmdCursor);
      this.cmdCursor--;
      return;
    }
    if (k === '\x15') {
      this.cmdline = kind + this.cmdline.slice(this.cmdCursor);
      this.cmdCursor = 1;
      return;
    }
    if (k === '\x17') {
      let c = this.cmdCursor;
      while (c > 1 && this.cmdline[c - 1] === ' ') c--;
      const cls = charClass(this.cmdline[c - 1]);
      while (c > 1 && charClass(this.cmdline[c - 1]) === cls && cls !== 0) c--;
      this.cmdline = this.cmdline.slice(0, c) + this.cmdline.slice(this.cmdCursor);
      this.cmdCursor = c;
      return;
    }
    if (k === '\x1b[D') {
      if (this.cmdCursor > 1) this.cmdCursor--;
      return;
    }
    if (k === '\x1b[C') {
      if (this.cmdCursor < this.cmdline.length) this.cmdCursor++;
      return;
    }
    if (k === '\x1b[A' && kind === ':' && this.cmdHistory.length) {
      this.cmdline = ':' + this.cmdHistory[this.cmdHistory.length - 1];
      this.cmdCursor = this.cmdline.length;
      return;
    }
    if (k.startsWith('\x1b') || (k.length === 1 && k < ' ' && k !== '\t')) return;
    this.cmdline = this.cmdline.slice(0, this.cmdCursor) + k + this.cmdline.slice(this.cmdCursor);
    this.cmdCursor += k.length;
  }

  protected searchCommand(kind: string, text: string): void {
    const forward = kind === '/';
    let pat = text;
    // the closing / (or ?) ends the pattern; an offset after it is not supported
    const sep = kind;
    let k = -1;
    for (let i = 0; i < pat.length; i++) {
      if (pat[i] === '\\') i++;
      else if (pat[i] === sep) {
        k = i;
        break;
      }
    }
    if (k >= 0) pat = pat.slice(0, k);
    if (pat === '') {
      if (!this.lastSearch) {
        this.setMsg('E35: No previous regular expression', true);
        return;
      }
      pat = this.lastSearch.pat;
    }
    this.lastSearch = { pat, forward };
    const pos = this.search(pat, forward, { row: this.row, col: this.col }, false);
    const op = this.pendingOp;
    this.pendingOp = null;
    if (!pos) return;
    if (!this.msgError) this.setMsg(`${kind}${pat}`);
    if (op) {
      this.operate(op.op, { row: pos.row, col: pos.col, linewise: false, inclusive: false }, op.count);
      return;
    }
    this.setCursor(pos.row, pos.col);
  }

  /** An ex command (`vimrc`: from ~/.vimrc, where errors are not shown the same way). */
  ex(cmd: string, vimrc: boolean): void {
    let text = cmd.replace(/^[\s:]+/, '');
    // range
    const parsed = this.parseRange(text);
    if ('error' in parsed) {
      this.setMsg(parsed.error, true);
      return;
    }
    const { range } = parsed;
    text = parsed.rest;
    const m = /^([a-zA-Z]+|[&~<>!=#@]|)(!?)\s*(.*)$/s.exec(text)!;
    const name = m[1]!;
    const bang = m[2] === '!';
    const arg = m[3]!.trim();
    if (name === '' && range) {
      // :N goes to line N
      const r = Math.max(0, Math.min(range[1], this.lines.length - 1));
      this.setCursor(r, firstNonBlank(this.lines[r]!));
      return;
    }
    if (name === '' && !range) return;
    const is = (full: string, min: number) => name.length >= min && full.startsWith(name);
    if (is('set', 2) || name === 'se') {
      this.set(arg);
      return;
    }
    if (is('write', 1) || is('wq', 2) || is('xit', 1) || is('exit', 3) || name === 'x' || is('update', 2)) {
      const quit = name.startsWith('wq') || name === 'x' || is('xit', 1) || is('exit', 3);
      const update = is('update', 2);
      if (arg.startsWith('>>')) {
        this.write(arg.slice(2).trim() || this.path, bang, quit, range, true);
        return;
      }
      if ((name === 'x' || is('xit', 1) || is('exit', 3) || update) && !this.modified && !arg) {
        if (quit) this.quit(0);
        return;
      }
      this.write(arg || null, bang, quit, range, false);
      return;
    }
    if (is('quit', 1) || is('qall', 2) || is('quitall', 5)) {
      if (this.modified && !bang) {
        this.setMsg('E37: No write since last change (add ! to override)', true);
        return;
      }
      this.quit(0);
      return;
    }
    if (is('cquit', 2)) {
      this.quit(1);
      return;
    }
    if (is('substitute', 1) || name === '&' || name === '~') {
      this.substitute(name === 's' || is('substitute', 1) ? text.slice(name.length + (bang ? 1 : 0)) : '', range ?? [this.row, this.row], name === '&' || name === '~');
      return;
    }
    if (is('delete', 1)) {
      const [a, b] = range ?? [this.row, this.row];
      this.row = a;
      this.col = 0;
      this.operate('d', { row: b, col: 0, linewise: true, inclusive: true }, 1);
      return;
    }
    if (is('yank', 1)) {
      const [a, b] = range ?? [this.row, this.row];
      this.reg = { text: this.lines.slice(a, b + 1), linewise: true };
      if (b - a + 1 > this.opts.report) this.setMsg(`${b - a + 1} lines yanked`);
      return;
    }
    if (name === '>' || name === '<') {
      const [a, b] = range ?? [this.row, this.row];
      this.shift(name, a, b, 1 + (/^[<>]+/.exec(arg)?.[0].length ?? 0));
      return;
    }
    if (is('global', 1) || is('vglobal', 1)) {
      if (!arg || /^[\/]{1,2}$/.test(arg)) this.setMsg('E148: Regular expression missing from :global', true);
      else this.setMsg(`E492: Not an editor command: ${cmd.replace(/^[\s:]+/, '')}`, true);
      return;
    }
    if (is('nohlsearch', 3) || is('syntax', 2) || is('filetype', 5) || is('redraw', 4) || is('colorscheme', 4) || is('highlight', 2) || is('map', 3) || is('nnoremap', 2) || is('inoremap', 3) || is('autocmd', 2) || is('let', 3)) return;
    if (is('undo', 1)) {
      this.undo();
      return;
    }
    if (is('redo', 3)) {
      this.redo();
      return;
    }
    if (is('normal', 4)) {
      for (const k of splitVimKeys(arg)) this.key(k);
      if (this.mode === 'insert' || this.mode === 'replace') this.key('\x1b');
      return;
    }
    if (is('edit', 1) && bang && !arg) {
      if (this.undoStack.length) {
        this.lines = [...this.undoStack[0]!.before.lines];
        this.undoStack = [];
        this.redoStack = [];
        this.seq = 0;
        this.modified = false;
        this.setCursor(Math.min(this.row, this.lines.length - 1), this.col);
      }
      return;
    }
    if (vimrc) return;
    this.setMsg(`E492: Not an editor command: ${cmd.replace(/^[\s:]+/, '')}`, true);
  }

  protected parseRange(text: string): { range: [number, number] | null; rest: string } | { error: string } {
    let t = text;
    const addr = (): number | null | 'err' => {
      let base: number | null = null;
      let m: RegExpExecArray | null;
      if ((m = /^\d+/.exec(t))) {
        base = Number(m[0]) - 1;
        t = t.slice(m[0].length);
      } else if (t[0] === '.') {
        base = this.row;
        t = t.slice(1);
      } else if (t[0] === '$') {
        base = this.lines.length - 1;
        t = t.slice(1);
      } else if ((m = /^'([<>])/.exec(t))) {
        const v = this.lastVisual;
        if (!v) return 'err';
        const a = v.start.row < v.end.row ? v.start.row : v.end.row;
        const b = v.start.row < v.end.row ? v.end.row : v.start.row;
        base = m[1] === '<' ? a : b;
        t = t.slice(2);
      }
      while ((m = /^([+-])(\d*)/.exec(t)) && (m[0].length > 0)) {
        const n = m[2] === '' ? 1 : Number(m[2]);
        base = (base ?? this.row) + (m[1] === '+' ? n : -n);
        t = t.slice(m[0].length);
      }
      return base;
    };
    if (t[0] === '%') {
      t = t.slice(1);
      return { range: [0, this.lines.length - 1], rest: t.trimStart() };
    }
    let a = addr();
    if (a === 'err') return { error: 'E20: Mark not set' };
    if (a === null) return { range: null, rest: t };
    let b: number | null | 'err' = a;
    if (t[0] === ',' || t[0] === ';') {
      t = t.slice(1);
      b = addr();
      if (b === 'err') return { error: 'E20: Mark not set' };
      if (b === null) b = this.row;
    }
    if (a < 0 || b < 0 || a >= this.lines.length + 0 && a > this.lines.length - 1 && b > this.lines.length - 1) {
      if (t.trim() === '' && a >= 0) return { range: [Math.min(a, this.lines.length - 1), Math.min(b, this.lines.length - 1)], rest: t };
      return { error: 'E16: Invalid range' };
    }
    if (b < a) [b, a] = [a, b];
    return { range: [a, Math.min(b, this.lines.length - 1)], rest: t.trimStart() };
  }

  protected set(arg: string): void {
    if (arg === '') return;
    const shown: string[] = [];
    for (const item of arg.split(/\s+/)) {
      const m = /^(no|inv)?([a-z]+)(\?|!|&)?(?:([+^-]?=)(.*))?$/.exec(item);
      if (!m) {
        this.setMsg(`E518: Unknown option: ${item}`, true);
        return;
      }
      const key = (ALIASES[m[2]!] ?? m[2]) as keyof VimOptions;
      if (!(key in DEFAULT_OPTIONS)) {
        if (['syntax', 'filetype', 'ft', 'syn', 'mouse', 'encoding', 'enc', 'background', 'bg', 'showcmd', 'sc', 'scrolloff', 'so', 'nocompatible', 'compatible', 'cp', 'cursorline', 'cul', 'smartindent', 'si', 'cindent', 'cin', 'relativenumber', 'rnu', 'wildmenu', 'wmnu', 'laststatus', 'ls', 'undolevels', 'ul', 'history', 'hi', 'hidden', 'hid', 'wrap', 'linebreak', 'lbr', 'textwidth', 'tw', 'fileformat', 'ff', 'smarttab', 'sta', 'title', 'visualbell', 'vb', 'errorbells', 'eb', 'belloff', 'bo', 'modeline', 'ml', 'clipboard', 'cb', 'colorcolumn', 'cc'].includes(m[2]!)) continue;
        this.setMsg(`E518: Unknown option: ${item}`, true);
        return;
      }
      const cur = this.opts[key];
      if (m[3] === '?' || (typeof cur !== 'boolean' && !m[4] && !m[1] && m[3] !== '&')) {
        shown.push(typeof cur === 'boolean' ? `${cur ? '  ' : 'no'}${key}` : `  ${key}=${cur}`);
        continue;
      }
      if (m[3] === '&') {
        (this.opts as unknown as Record<string, unknown>)[key] = DEFAULT_OPTIONS[key];
        continue;
      }
      if (typeof cur === 'boolean') {
        if (m[4]) {
          this.setMsg(`E474: Invalid argument: ${item}`, true);
          return;
        }
        const v = m[1] === 'inv' || m[3] === '!' ? !cur : m[1] !== 'no';
        if (key === 'paste' && v !== cur) {
          // 'paste' turns off what would change pasted text, and gives it back when reset
          if (v) {
            this.pasteSaved = { autoindent: this.opts.autoindent, expandtab: this.opts.expandtab, softtabstop: this.opts.softtabstop };
            this.opts.autoindent = false;
            this.opts.expandtab = false;
            this.opts.softtabstop = 0;
          } else if (this.pasteSaved) {
            Object.assign(this.opts, this.pasteSaved);
            this.pasteSaved = null;
          }
        }
        (this.opts as unknown as Record<string, boolean>)[key] = v;
        continue;
      }
      if (m[1]) {
        this.setMsg(`E474: Invalid argument: ${item}`, true);
        return;
      }
      if (typeof cur === 'number') {
        if (!/^-?\d+$/.test(m[5] ?? '')) {
          this.setMsg(`E521: Number required after =: ${item}`, true);
          return;
        }
        let v = Number(m[5]);
        if (m[4] === '+=') v = cur + v;
        else if (m[4] === '-=') v = cur - v;
        else if (m[4] === '^=') v = cur * v;
        if ((key === 'tabstop' && v <= 0) || (key === 'shiftwidth' && v < 0)) {
          this.setMsg(`E487: Argument must be positive: ${item}`, true);
          return;
        }
        (this.opts as unknown as Record<string, number>)[key] = v;
      } else (this.opts as unknown as Record<string, string>)[key] = m[5] ?? '';
    }
    if (shown.length) this.setMsg(shown.join(' '));
  }

  protected substitute(spec: string, range: [number, number], repeatLast: boolean): void {
    let pat: string;
    let rep: string;
    let flags: string;
    if (repeatLast || spec === '' || /^[&cegiInp#lr\s\d]*$/.test(spec)) {
      if (!this.lastSub) {
        this.setMsg('E35: No previous regular expression', true);
        return;
      }
      pat = this.lastSub.pat;
      rep = this.lastSub.rep;
      flags = spec.startsWith('&') ? this.lastSub.flags + spec.slice(1) : spec.trim();
    } else {
      const sep = spec[0]!;
      const parts: string[] = [];
      let cur = '';
      for (let i = 1; i < spec.length; i++) {
        const c = spec[i]!;
        if (c === '\\' && i + 1 < spec.length) {
          cur += spec[i + 1] === sep ? sep : c + spec[i + 1];
          i++;
        } else if (c === sep && parts.length < 2) {
          parts.push(cur);
          cur = '';
        } else cur += c;
      }
      parts.push(cur);
      pat = parts[0] ?? '';
      rep = parts[1] ?? '';
      flags = (parts[2] ?? '').trim();
      if (pat === '') {
        if (!this.lastSearch) {
          this.setMsg('E35: No previous regular expression', true);
          return;
        }
        pat = this.lastSearch.pat;
      }
      if (rep === '~' && this.lastSub) rep = this.lastSub.rep;
      this.lastSub = { pat, rep, flags };
      this.lastSearch = { pat, forward: true };
    }
    const global = flags.includes('g');
    const ic = flags.includes('i') || (this.opts.ignorecase && !flags.includes('I') && !(this.opts.smartcase && /[A-Z]/.test(pat)));
    const re = vimPattern(pat, ic);
    if (!re) {
      this.setMsg(`E486: Pattern not found: ${pat}`, true);
      return;
    }
    let subs = 0;
    let linesChanged = 0;
    let lastRow = -1;
    this.beginChange();
    const out: string[] = [];
    const newLinesAt: number[] = [];
    for (let r = 0; r < this.lines.length; r++) {
      if (r < range[0] || r > range[1]) {
        out.push(this.lines[r]!);
        continue;
      }
      const line = this.lines[r]!;
      re.lastIndex = 0;
      let res = '';
      let pos = 0;
      let n = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(line))) {
        res += line.slice(pos, m.index) + vimReplace(rep, m);
        pos = m.index + m[0].length;
        n++;
        if (m[0] === '') {
          if (m.index < line.length) res += line[m.index];
          pos = m.index + 1;
          re.lastIndex = m.index + 1;
        }
        if (!global) break;
        if (re.lastIndex > line.length) break;
      }
      if (n) {
        res += line.slice(pos);
        subs += n;
        linesChanged++;
        const split = res.split('\0');
        lastRow = out.length + split.length - 1;
        out.push(...split);
        newLinesAt.push(r);
      } else out.push(line);
    }
    if (!subs) {
      this.changeStart = null;
      this.setMsg(`E486: Pattern not found: ${pat}`, true);
      return;
    }
    this.lines = out;
    this.setCursor(lastRow, firstNonBlank(this.lines[lastRow]!));
    if (subs > this.opts.report) this.setMsg(`${subs} substitution${subs === 1 ? '' : 's'} on ${linesChanged} line${linesChanged === 1 ? '' : 's'}`);
    this.endChange();
  }

  protected write(file: string | null, force: boolean, quit: boolean, range: [number, number] | null, append: boolean): void {
    const path = file ?? this.path;
    if (path === null) {
      this.setMsg('E32: No file name', true);
      return;
    }
    if (this.opts.readonly && !force && path === this.path) {
      this.setMsg("E45: 'readonly' option is set (add ! to override)", true);
      return;
    }
    const lines = range ? this.lines.slice(range[0], range[1] + 1) : this.lines;
    const text = lines.length === 1 && lines[0] === '' && this.lines.length === 1 && !this.modified && false ? '' : lines.join('\n') + '\n';
    if (this.path === null) this.path = path;
    this.effects.push({ type: 'write', path, text, quit, force, append });
  }

  /** The host wrote the file (or failed): vim's message, and :wq's quit. */
  written(result: { ok: true; path: string; isNew: boolean; lines: number; bytes: number; quit: boolean; whole: boolean } | { ok: false; message: string }): void {
    if (!result.ok) {
      this.setMsg(result.message, true);
      return;
    }
    if (result.whole && result.path === this.path) {
      this.modified = false;
      this.opts.readonly = false;
    }
    this.setMsg(`"${result.path}" ${result.isNew ? '[New] ' : ''}${result.lines}L, ${result.bytes}B written`);
    if (result.quit) this.quit(0);
  }

  protected quit(code: number): void {
    this.quitting = true;
    this.effects.push({ type: 'quit', code });
  }

  // --- screen -----------------------------------------------------------------

  /** The screen: `rows` lines of text (trailing blanks trimmed) and the cursor's cell. */
  screen(): { lines: string[]; cursor: { row: number; col: number }; attrs: ('tilde' | 'error' | 'mode' | 'number' | '')[] } {
    const text = this.rows - 1;
    const width = this.columns;
    const nw = this.numberWidth();
    const tw = width - nw;
    const ts = this.opts.tabstop;
    const out: string[] = [];
    const attrs: ('tilde' | 'error' | 'mode' | 'number' | '')[] = [];
    let cursor = { row: 0, col: 0 };
    let r = this.top;
    while (out.length < text && r < this.lines.length) {
      const raw = this.lines[r]!;
      const shown = this.opts.list ? raw.replace(/\t/g, '^I') + '$' : expandTabs(raw, ts);
      const chunks = Math.max(1, Math.ceil(shown.length / tw));
      if (out.length + chunks > text && out.length > 0) {
        // a line that does not fit: vim shows @ lines
        while (out.length < text) {
          out.push('@');
          attrs.push('tilde');
        }
        break;
      }
      if (r === this.row) {
        let vcol: number;
        if (this.opts.list) vcol = raw.slice(0, this.col).replace(/\t/g, '^I').length;
        else {
          vcol = displayCol(raw, this.col, ts);
          // on a tab in normal mode the cursor sits on its last cell
          if (raw[this.col] === '\t' && this.mode !== 'insert' && this.mode !== 'replace') vcol += ts - (vcol % ts) - 1;
        }
        const chunk = Math.min(Math.floor(vcol / tw), chunks - 1);
        cursor = { row: out.length + chunk, col: nw + vcol - chunk * tw };
        if (cursor.col >= width) cursor = { row: cursor.row, col: width - 1 };
      }
      for (let c = 0; c < chunks && out.length < text; c++) {
        const num = nw ? (c === 0 ? String(r + 1).padStart(nw - 1) + ' ' : ' '.repeat(nw)) : '';
        out.push((num + shown.slice(c * tw, (c + 1) * tw)).replace(/\s+$/, ''));
        attrs.push(nw ? 'number' : '');
      }
      r++;
    }
    while (out.length < text) {
      out.push('~');
      attrs.push('tilde');
    }
    // the last line: the command line, or the mode, or a message
    let last = '';
    let lastAttr: 'error' | 'mode' | '' = '';
    if (this.mode === 'cmdline') {
      last = this.cmdline;
      cursor = { row: text, col: Math.min(width - 1, displayCol(this.cmdline, this.cmdCursor, 8)) };
    } else if (this.showModeText()) {
      last = this.showModeText();
      lastAttr = 'mode';
      if (this.msg && this.msgError) {
        last = this.msg;
        lastAttr = 'error';
      }
    } else {
      last = this.msg;
      lastAttr = this.msgError ? 'error' : '';
    }
    if (last.length > width) last = last.slice(0, width - 1);
    out.push(last.replace(/\s+$/, ''));
    attrs.push(lastAttr);
    return { lines: out, cursor, attrs };
  }

  protected showModeText(): string {
    if (!this.opts.showmode) return '';
    const paste = this.opts.paste ? ' (paste)' : '';
    if (this.mode === 'insert') return `-- INSERT${paste} --`;
    if (this.mode === 'replace') return `-- REPLACE${paste} --`;
    if (this.mode === 'visual') return '-- VISUAL --';
    if (this.mode === 'vline') return '-- VISUAL LINE --';
    return '';
  }
}
