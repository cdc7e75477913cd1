// kubectl's help, laid out for the terminal as the real one does it: the text (captured unwrapped, help-text.ts)
// goes through kubectl's responsive writer, which word-wraps at 80, 100 or 120 columns when stdout is a terminal
// that wide (narrower terminals and pipes get the text unwrapped); each flag's usage is first wrapped on its own
// at that limit minus 10 and indented with a tab.
import { HELP } from './help-text';

/** mitchellh/go-wordwrap's WrapString: break at whitespace so that lines stay within `lim` runes where possible. */
export function wrapString(s: string, lim: number): string {
  let buf = '';
  let current = 0;
  let word = '';
  let space = '';
  // lengths in runes, as Go counts them
  let wl = 0;
  let sl = 0;
  for (const ch of s) {
    if (ch === '\n') {
      buf += space + word + ch;
      space = '';
      word = '';
      sl = wl = 0;
      current = 0;
    } else if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\v' || ch === '\f' || ch === '\u0085' || (ch !== '\u00a0' && /\s/.test(ch))) {
      if (sl === 0 || wl > 0) {
        current += sl + wl;
        buf += space + word;
        space = '';
        word = '';
        sl = wl = 0;
      }
      space += ch;
      sl++;
    } else {
      word += ch;
      wl++;
      if (current + sl + wl > lim && wl < lim) {
        buf += '\n';
        current = 0;
        space = '';
        sl = 0;
      }
    }
  }
  if (wl === 0) {
    if (current + sl <= lim) buf += space;
  } else buf += space + word;
  return buf;
}

/** The wrap limit kubectl picks for a terminal of `columns` (0: no wrapping). */
export function wrapLimit(tty: boolean, columns: number): number {
  if (!tty) return 0;
  if (columns >= 120) return 120;
  if (columns >= 100) return 100;
  if (columns >= 80) return 80;
  return 0;
}

export function layoutHelp(text: string, limit: number): string {
  if (!limit) return text;
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const next = lines[i + 1];
    if (/^ {4}-.*:$/.test(l) && next !== undefined && next.startsWith('\t')) {
      out.push(l, '\t' + wrapString(next.slice(1), limit - 10).replace(/\n/g, '\n\t'));
      i++;
    } else out.push(l);
  }
  return wrapString(out.join('\n'), limit);
}

/** The help of `kubectl CMD` (e.g. 'create deployment'), or null if we have none. */
const laidOut = new Map<string, string>();

export function helpText(cmd: string, tty: boolean, columns: number): string | null {
  const t = HELP[cmd];
  if (t === undefined) return null;
  const limit = wrapLimit(tty, columns);
  const key = `${limit} ${cmd}`;
  let out = laidOut.get(key);
  if (out === undefined) {
    out = layoutHelp(t, limit);
    laidOut.set(key, out);
  }
  return out;
}
