// The shell's command history, as bash keeps it for an interactive shell:
// bounded (HISTSIZE, 500 by default, in memory; HISTFILESIZE, here 2,000,
// in the saved state), history expansion (`!!`, `!$`, `!N`, `!-N`,
// `!prefix`, `!?text?`, `^old^new`) with bash's echo of the expanded line and
// its "event not found", and the `history` builtin (`history`, `history N`,
// `history -c`).
import { historyEntry } from './continuation';

/** bash's default HISTSIZE: entries kept in memory */
export const HISTSIZE = 500;
/** entries kept in the saved state (the history file) */
export const HISTFILESIZE = 2000;

export interface HistoryList {
  /** the entries in memory, oldest first (at most HISTSIZE) */
  entries: string[];
  /** the number shown for entries[0] by `history` */
  base: number;
}

/** The entry bash records for a command typed as `text` (its lines joined by "\n"). */
export function entryFor(text: string): string {
  return text.includes('\n') ? historyEntry(text.split('\n')) : text;
}

/** Add an entry, dropping the oldest beyond `size` (as bash does when HISTSIZE is reached). */
export function addEntry(h: HistoryList, entry: string, size = HISTSIZE): void {
  h.entries.push(entry);
  const over = h.entries.length - Math.max(0, size);
  if (over > 0) {
    h.entries.splice(0, over);
    h.base += over;
  }
}

/** HISTSIZE as set in the shell (a number), else the default. */
export function histSize(vars: Record<string, string>): number {
  const v = vars.HISTSIZE;
  if (v === undefined || !/^\d+$/.test(v)) return HISTSIZE;
  return Math.min(Number(v), 100_000);
}

export type Expansion =
  | { ok: true; line: string; changed: boolean; printOnly: boolean }
  | { ok: false; error: string };

/** Split a history entry into words as bash's history library does: blanks separate, quotes keep, operators are words. */
export function historyWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    const op = /^(;;|&&|\|\||[;&|<>()])/.exec(line.slice(i));
    if (op && !/^[<>]/.test(op[1]!)) {
      words.push(op[1]!);
      i += op[1]!.length;
      continue;
    }
    let j = i;
    while (j < line.length && !/\s/.test(line[j]!) && !/[;&|()]/.test(line[j]!)) {
      const c = line[j]!;
      if (c === '\\') j += 2;
      else if (c === "'" || c === '"') {
        const end = line.indexOf(c, j + 1);
        j = end < 0 ? line.length : end + 1;
      } else j++;
    }
    if (j === i) j++;
    words.push(line.slice(i, j));
    i = j;
  }
  return words;
}

function wordRange(words: string[], spec: string): string | null {
  const last = words.length - 1;
  const num = (s: string) => (s === '^' ? 1 : s === '$' ? last : Number(s));
  if (spec === '*') return words.slice(1).join(' ');
  let m = /^(\d+|\^|\$)$/.exec(spec);
  if (m) {
    const n = num(m[1]!);
    return n >= 0 && n <= last ? words[n]! : null;
  }
  m = /^(\d+|\^|\$)?-(\d+|\^|\$)?$/.exec(spec);
  if (m) {
    const a = m[1] === undefined ? 0 : num(m[1]);
    const b = m[2] === undefined ? last - 1 : num(m[2]);
    if (a > b + 1 || b > last || a > last) return null;
    return words.slice(a, b + 1).join(' ');
  }
  m = /^(\d+|\^|\$)\*$/.exec(spec);
  if (m) {
    const a = num(m[1]!);
    return a <= last + 1 ? words.slice(a).join(' ') : null;
  }
  return null;
}

/**
 * bash's history expansion of a line about to be run, against the entries so
 * far (the line itself not yet added). `!` is literal before a blank, `=`,
 * `(`, at the end of the line, inside single quotes and after a backslash.
 */
export function expandHistory(line: string, h: HistoryList): Expansion {
  if (!line.includes('!') && !line.startsWith('^')) return { ok: true, line, changed: false, printOnly: false };
  const entries = h.entries;
  let out = '';
  let changed = false;
  let printOnly = false;
  let i = 0;
  const fail = (ev: string): Expansion => ({ ok: false, error: `bash: ${ev}: event not found\n` });
  // ^old^new^: the previous command with its first `old` replaced
  if (line.startsWith('^')) {
    const m = /^\^([^^]*)\^([^^]*)\^?(.*)$/.exec(line);
    const prev = entries[entries.length - 1];
    if (m && prev !== undefined) {
      if (!prev.includes(m[1]!)) return { ok: false, error: `bash: :s${line.split('^').slice(0, 3).join('^')}: substitution failed\n` };
      return { ok: true, line: prev.replace(m[1]!, m[2]!) + m[3]!, changed: true, printOnly: false };
    }
  }
  let inSingle = false;
  let inDouble = false;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '\\' && !inSingle && line[i + 1] === '!') {
      out += '\\!';
      i += 2;
      continue;
    }
    if (c === "'" && !inDouble) inSingle = !inSingle;
    if (c === '"' && !inSingle) inDouble = !inDouble;
    if (c !== '!' || inSingle) {
      out += c;
      i++;
      continue;
    }
    const next = line[i + 1];
    if (next === undefined || /[\s=(]/.test(next) || (inDouble && next === '"')) {
      out += c;
      i++;
      continue;
    }
    // the event
    let event: string | undefined;
    let j = i + 1;
    let evText: string;
    let wordSpec: string | null = null;
    if (next === '!') {
      event = entries[entries.length - 1];
      j = i + 2;
    } else if (next === '$' || next === '^' || next === '*') {
      event = entries[entries.length - 1];
      wordSpec = next;
      j = i + 2;
    } else if (/[-\d]/.test(next)) {
      const m = /^(-?)(\d+)/.exec(line.slice(i + 1));
      if (!m) {
        out += c;
        i++;
        continue;
      }
      const n = Number(m[2]);
      const idx = m[1] ? entries.length - n : n - h.base;
      event = n > 0 && idx >= 0 ? entries[idx] : undefined;
      j = i + 1 + m[0].length;
    } else if (next === '?') {
      const end = line.indexOf('?', i + 2);
      const text = line.slice(i + 2, end < 0 ? line.length : end);
      for (let k = entries.length - 1; k >= 0; k--) if (entries[k]!.includes(text)) {
        event = entries[k];
        break;
      }
      j = end < 0 ? line.length : end + 1;
    } else {
      const m = /^[^\s:;&|()<>"'`]+/.exec(line.slice(i + 1));
      const prefix = m ? m[0] : '';
      for (let k = entries.length - 1; k >= 0; k--) if (entries[k]!.startsWith(prefix)) {
        event = entries[k];
        break;
      }
      j = i + 1 + prefix.length;
    }
    evText = line.slice(i, j);
    // word designator and modifiers
    if (wordSpec === null && line[j] === ':' && /[\d^$*-]/.test(line[j + 1] ?? '')) {
      const m = /^:(\d+-\d+|\d+-|-\d+|\d+\*|\d+|[$^*-])/.exec(line.slice(j));
      if (m) {
        wordSpec = m[1]!;
        j += m[0].length;
      }
    }
    const modifiers: string[] = [];
    while (line[j] === ':' && /[htrep]/.test(line[j + 1] ?? '')) {
      modifiers.push(line[j + 1]!);
      j += 2;
    }
    if (event === undefined) return fail(evText);
    let text = event;
    if (wordSpec !== null) {
      const w = wordRange(historyWords(event), wordSpec);
      if (w === null) return { ok: false, error: `bash: ${line.slice(i, j)}: bad word specifier\n` };
      text = w;
    }
    for (const mod of modifiers) {
      if (mod === 'h') text = text.includes('/') ? text.slice(0, text.lastIndexOf('/')) || '/' : text;
      else if (mod === 't') text = text.slice(text.lastIndexOf('/') + 1);
      else if (mod === 'r') text = text.replace(/\.[^./]*$/, '');
      else if (mod === 'e') text = /\.[^./]*$/.exec(text)?.[0].slice(1) ?? '';
      else if (mod === 'p') printOnly = true;
    }
    out += text;
    changed = true;
    i = j;
  }
  return { ok: true, line: out, changed, printOnly };
}

/** bash's `history [N]` and `history -c` over `h` (the current line already in it, as in bash). */
export function historyBuiltin(h: HistoryList, args: string[]): { stdout: string; stderr: string; exitCode: number } {
  const arg = args[0];
  if (arg === '-c') {
    h.entries.length = 0;
    h.base = 1;
    return { stdout: '', stderr: '', exitCode: 0 };
  }
  let from = 0;
  if (arg !== undefined) {
    if (!/^\d+$/.test(arg)) {
      if (/^-/.test(arg)) return { stdout: '', stderr: `bash: history: ${arg}: invalid option\nhistory: usage: history [-c] [-d offset] [n] or history -anrw [filename] or history -ps arg [arg...]\n`, exitCode: 2 };
      return { stdout: '', stderr: `bash: history: ${arg}: numeric argument required\n`, exitCode: 1 };
    }
    from = Math.max(0, h.entries.length - Number(arg));
  }
  let stdout = '';
  for (let i = from; i < h.entries.length; i++) stdout += `${String(i + h.base).padStart(5)}  ${h.entries[i]}\n`;
  return { stdout, stderr: '', exitCode: 0 };
}
