// kubectl -o yaml: sigs.k8s.io/yaml turns the object's JSON into YAML with its fork of go-yaml v2, so the
// output follows that emitter: keys sorted by its keyList order, block style, sequences not indented under
// their key, plain scalars where YAML 1.1 would read them back as the same string, else single quotes (syntax)
// or double quotes (a string that would resolve to a number, bool, null or timestamp, or holds characters
// only escapes can carry), literal blocks for multi-line strings, and long plain or single-quoted strings
// folded at spaces past column 80.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const BEST_WIDTH = 80;

/** go-yaml v2's keyList.Less over string keys. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isLetter = (c: string) => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]!;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]! < br[i]!;
  }
  return ar.length < br.length;
}

const sortKeys = (keys: string[]) => keys.sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));

const BOOL_NULL = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'on', 'On', 'ON', 'off', 'Off', 'OFF', '~', 'null', 'Null', 'NULL', '', '.nan', '.NaN', '.NAN',
  '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '<<',
]);

/** Would go-yaml v2 resolve this plain text to something other than a string? */
function resolvesToNonString(s: string): boolean {
  if (BOOL_NULL.has(s)) return true;
  if (!/^[-+.0-9]/.test(s)) return false;
  const plain = s.replace(/_/g, '');
  // strconv.ParseInt(plain, 0, 64), also with a 0b prefix
  if (/^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/.test(plain)) return true;
  // strconv.ParseFloat
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(plain)) return true;
  if (/^[-+]?(inf|infinity|nan)$/i.test(plain)) return true;
  // base 60 floats (1:20) and timestamps
  if (/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s)) return true;
  if (/^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::\d{2})?))?)?$/.test(s)) return true;
  return false;
}

function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0)!;
  if (cp === 0x0a) return true;
  if (cp >= 0x20 && cp <= 0x7e) return true;
  if (cp === 0x85) return false;
  if (cp >= 0xa0 && cp <= 0xd7ff) return true;
  if (cp >= 0xe000 && cp <= 0xfffd) return cp !== 0xfeff;
  if (cp >= 0x10000 && cp <= 0x10ffff) return true;
  return false;
}

interface Analysis {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  single: boolean;
  block: boolean;
}

/** yaml_emitter_analyze_scalar */
function analyze(s: string): Analysis {
  const chars = [...s];
  let blockInd = false;
  let flowInd = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let prevSpace = false;
  let prevBreak = false;
  if (s.startsWith('---') || s.startsWith('...')) {
    blockInd = true;
    flowInd = true;
  }
  let precededByWs = true;
  const blankz = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || c === '\n' || c === '\r';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const followedByWs = blankz(chars[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) {
        flowInd = true;
        blockInd = true;
      }
      if (c === '?' || c === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (c === '-' && followedByWs) {
        flowInd = true;
        blockInd = true;
      }
    } else {
      if (',?[]{}'.includes(c)) flowInd = true;
      if (c === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (c === '#' && precededByWs) {
        flowInd = true;
        blockInd = true;
      }
    }
    if (!isPrintable(c)) special = true;
    if (c === '\n') lineBreaks = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (c === '\n') {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevBreak = true;
      prevSpace = false;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWs = blankz(c);
  }
  const a: Analysis = { multiline: lineBreaks, flowPlain: true, blockPlain: true, single: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.flowPlain = false;
    a.blockPlain = false;
  }
  if (trailingSpace) a.block = false;
  if (breakSpace) {
    a.flowPlain = false;
    a.blockPlain = false;
    a.single = false;
  }
  if (spaceBreak || special) {
    a.flowPlain = false;
    a.blockPlain = false;
    a.single = false;
    a.block = false;
  }
  if (lineBreaks) {
    a.flowPlain = false;
    a.blockPlain = false;
  }
  if (flowInd) a.flowPlain = false;
  if (blockInd) a.blockPlain = false;
  return a;
}

type Style = 'plain' | 'single' | 'double' | 'literal';

function styleOf(s: string, key: boolean): Style {
  let style: Style = s.includes('\n') ? 'literal' : resolvesToNonString(s) ? 'double' : 'plain';
  const a = analyze(s);
  if (style === 'plain') {
    if (!a.blockPlain || (s === '' && key)) style = 'single';
  }
  if (style === 'single' && !a.single) style = 'double';
  if (style === 'literal' && (!a.block || key)) style = 'double';
  return style;
}

function doubleQuoted(s: string): string {
  let out = '"';
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    const esc: Record<string, string> = { '\0': '\\0', '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r', '\x1b': '\\e', '"': '\\"', '\\': '\\\\', '\u0085': '\\N', '\u00a0': '\\_', '\u2028': '\\L', '\u2029': '\\P' };
    if (esc[c] !== undefined) out += esc[c];
    else if (!isPrintable(c) || cp === 0xfeff) {
      const h = cp.toString(16).toUpperCase();
      out += cp <= 0xff ? `\\x${h.padStart(2, '0')}` : cp <= 0xffff ? `\\u${h.padStart(4, '0')}` : `\\U${h.padStart(8, '0')}`;
    } else out += c;
  }
  return out + '"';
}

/** Write a plain or single-quoted scalar starting at `column`, folding at spaces beyond column 80. */
function folded(text: string, column: number, indent: number, allowBreaks: boolean, quote: boolean): string {
  let out = quote ? "'" : '';
  let col = column + (quote ? 1 : 0);
  const chars = [...text];
  let spaces = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === ' ') {
      const inner = quote ? i > 0 && i < chars.length - 1 : true;
      if (allowBreaks && !spaces && col > BEST_WIDTH && inner && chars[i + 1] !== ' ') {
        out += '\n' + ' '.repeat(indent);
        col = indent;
      } else {
        out += c;
        col++;
      }
      spaces = true;
    } else {
      if (quote && c === "'") {
        out += "''";
        col += 2;
      } else {
        out += c;
        col++;
      }
      spaces = false;
    }
  }
  return out + (quote ? "'" : '');
}

function literal(s: string, indent: number): string {
  let chomp = '';
  if (!s.endsWith('\n')) chomp = '-';
  else if (s === '\n' || s.endsWith('\n\n')) chomp = '+';
  const hint = s.startsWith(' ') || s.startsWith('\n') ? '2' : '';
  const body = (s.endsWith('\n') ? s.slice(0, -1) : s).split('\n');
  return `|${hint}${chomp}\n` + body.map((l) => (l === '' ? '' : ' '.repeat(indent) + l)).join('\n');
}

/** A scalar at `column`; continuation lines (folds, literal bodies) at `indent`. */
function scalar(v: Json, column: number, indent: number, key = false): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloat(v);
  const s = String(v);
  switch (styleOf(s, key)) {
    case 'plain':
      return folded(s, column, indent, !key, false);
    case 'single':
      return folded(s, column, indent, !key, true);
    case 'double':
      return doubleQuoted(s);
    case 'literal':
      return literal(s, indent);
  }
}

/** strconv.FormatFloat(f, 'g', -1, 64) */
function goFloat(f: number): string {
  if (!Number.isFinite(f)) return Number.isNaN(f) ? '.nan' : f > 0 ? '.inf' : '-.inf';
  const exp = Math.floor(Math.log10(Math.abs(f)));
  if (exp < -4 || exp >= 21) {
    const [m, e] = f.toExponential().split('e');
    const n = Number(e);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return String(f);
}

const isEmptyColl = (v: Json) => (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && v !== null && Object.keys(v).length === 0);

function emitMap(obj: { [k: string]: Json }, indent: number, firstInline: boolean): string {
  const keys = sortKeys(Object.keys(obj));
  let out = '';
  keys.forEach((k, i) => {
    const pad = i === 0 && firstInline ? '' : ' '.repeat(indent);
    const ks = scalar(k, indent, indent, true);
    const v = obj[k]!;
    out += pad + ks + ':';
    out += emitValue(v, indent, indent + [...ks].length + 2);
  });
  return out;
}

/** The text after `key:` (a mapping value) for a key at `indent`; `column` is where an inline value would start. */
function emitValue(v: Json, indent: number, column: number): string {
  if (Array.isArray(v)) return v.length === 0 ? ' []\n' : '\n' + emitSeq(v, indent);
  if (typeof v === 'object' && v !== null) return Object.keys(v).length === 0 ? ' {}\n' : '\n' + emitMap(v, indent + 2, false);
  return ' ' + scalar(v, column, indent + 2) + '\n';
}

function emitSeq(arr: Json[], indent: number): string {
  let out = '';
  for (const item of arr) {
    out += ' '.repeat(indent) + '-';
    if (isEmptyColl(item)) out += Array.isArray(item) ? ' []\n' : ' {}\n';
    else if (Array.isArray(item)) out += ' ' + emitSeq(item, indent + 2).slice(indent + 2);
    else if (typeof item === 'object' && item !== null) out += ' ' + emitMap(item, indent + 2, true);
    else out += ' ' + scalar(item, indent + 2, indent + 2) + '\n';
  }
  return out;
}

/** The YAML document kubectl prints for a JSON value (no leading `---`). */
export function toYaml(v: unknown): string {
  const j = JSON.parse(JSON.stringify(v ?? null)) as Json;
  if (Array.isArray(j)) return j.length ? emitSeq(j, 0) : '[]\n';
  if (typeof j === 'object' && j !== null) return Object.keys(j).length ? emitMap(j, 0, false) : '{}\n';
  return scalar(j, 0, 0) + '\n';
}

/** kubectl -o json: Go's json.MarshalIndent with 4 spaces, HTML characters escaped, then a newline. */
export function toJson(v: unknown): string {
  const s = JSON.stringify(v, null, 4) ?? 'null';
  return s.replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) + '\n';
}
