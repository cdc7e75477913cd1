// Text helpers shared by the full-screen editors: display widths with tabs,
// vim's character classes, and vim patterns turned into JavaScript RegExps.

/** Display cells of `line` up to byte/char index `col` (tabs to the next multiple of `ts`). */
export function displayCol(line: string, col: number, ts: number): number {
  let w = 0;
  for (let i = 0; i < col && i < line.length; i++) w += line[i] === '\t' ? ts - (w % ts) : 1;
  return w;
}

/** The line as shown: tabs expanded to spaces. */
export function expandTabs(line: string, ts: number): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const c of line) {
    if (c === '\t') out += ' '.repeat(ts - (out.length % ts));
    else out += c;
  }
  return out;
}

/** The char index whose cells include display column `vcol` (or the last char). */
export function colForDisplay(line: string, vcol: number, ts: number): number {
  let w = 0;
  for (let i = 0; i < line.length; i++) {
    const cw = line[i] === '\t' ? ts - (w % ts) : 1;
    if (w + cw > vcol) return i;
    w += cw;
  }
  return Math.max(0, line.length);
}

/** vim's classes for word motions: 0 blank, 1 punctuation, 2 keyword character */
export function charClass(c: string | undefined): number {
  if (c === undefined || c === ' ' || c === '\t' || c === '') return 0;
  if (/[A-Za-z0-9_\u00c0-\uffff]/.test(c)) return 2;
  return 1;
}

export function firstNonBlank(line: string): number {
  const m = /^[ \t]*/.exec(line)!;
  return m[0].length < line.length ? m[0].length : Math.max(0, line.length - 1);
}

export function leadingWhite(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** A vim pattern ('magic', the default) as a JavaScript RegExp source; null when it cannot be read. */
export function vimPattern(pat: string, ignorecase = false): RegExp | null {
  let src = '';
  let flags = ignorecase ? 'i' : '';
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i]!;
    if (c === '\\') {
      const n = pat[++i];
      if (n === undefined) {
        src += '\\\\';
        break;
      }
      if (n === '(' || n === ')' || n === '|' || n === '+' || n === '{') src += n;
      else if (n === '}') src += '}';
      else if (n === '=' || n === '?') src += '?';
      else if (n === '<' || n === '>') src += '\\b';
      else if ('sSdDwWaAlLuUxX'.includes(n)) src += n === 'a' ? '[A-Za-z]' : n === 'A' ? '[^A-Za-z]' : n === 'l' ? '[a-z]' : n === 'L' ? '[^a-z]' : n === 'u' ? '[A-Z]' : n === 'U' ? '[^A-Z]' : n === 'x' ? '[0-9A-Fa-f]' : n === 'X' ? '[^0-9A-Fa-f]' : '\\' + n;
      else if (n === 't') src += '\\t';
      else if (n === 'n') src += '\\n';
      else if (n === 'c') flags = flags.includes('i') ? flags : flags + 'i';
      else if (n === 'C') flags = flags.replace('i', '');
      else if (n === '.' || n === '*' || n === '[' || n === ']' || n === '/' || n === '\\' || n === '^' || n === '$' || n === '~') src += '\\' + n;
      else src += n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      continue;
    }
    if (c === '[') {
      const end = pat.indexOf(']', i + 2);
      if (end < 0) {
        src += '\\[';
        continue;
      }
      src += pat.slice(i, end + 1);
      i = end;
      continue;
    }
    if (c === '~') {
      src += '~';
      continue;
    }
    if ('+?(){}|/'.includes(c)) src += '\\' + c;
    else if (c === '^' && i !== 0) src += '\\^';
    else if (c === '$' && i !== pat.length - 1) src += '\\$';
    else src += c;
  }
  try {
    return new RegExp(src, flags + 'g');
  } catch {
    return null;
  }
}

/** vim's replacement string (`&`, `\1`..`\9`, `\n`, `\r`, `\&`) as the text replacing one match. */
export function vimReplace(rep: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i]!;
    if (c === '\\') {
      const n = rep[++i];
      if (n === undefined) break;
      if (/[0-9]/.test(n)) out += n === '0' ? m[0] : (m[Number(n)] ?? '');
      else if (n === 'n') out += '\0';
      else if (n === 'r') out += '\r';
      else if (n === 't') out += '\t';
      else out += n;
    } else if (c === '&') out += m[0];
    else out += c;
  }
  return out;
}
