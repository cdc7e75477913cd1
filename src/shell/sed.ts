// sed's a, i and c commands as GNU sed reads them, in front of just-bash's
// sed. just-bash (3.4) keeps the backslash of the one-line forms (`$a\TEXT`
// appends `\TEXT`; GNU sed appends `TEXT`), keeps one of several blanks
// after `a`, and keeps unknown escapes (`\b`) and `\\` as typed. The session
// replaces the `sed` command through just-bash's documented custom-command
// mechanism (a custom command named like a bundled one gets the bundled one
// as `ctx.origCommand`): this module rewrites each a/i/c command of the
// script into the multi-line form `a\` NEWLINE TEXT, with TEXT as GNU sed
// 4.9's read_text() computes it, which just-bash's sed reads faithfully; the
// rest of the script and the other arguments pass through unchanged.
//
// What GNU sed does (compile.c, checked against fixtures/sed/gnu-sed.json):
//   - after the command letter, blanks are skipped;
//   - `\` NEWLINE: the text starts on the next line, blanks kept;
//   - `\` then another character (one-line form): the text starts at that
//     character, blanks kept (`a\  x` appends "  x");
//   - no backslash (GNU extension): the text starts at the first non-blank;
//   - the text runs to an unescaped newline; `\` NEWLINE continues it on the
//     next line; `\n`, `\t`, `\r`, `\a`, `\f`, `\v`, `\dNNN`, `\oNNN`, `\xHH`
//     are escapes; any other `\X` is X; a final lone `\` is dropped.
//   - `a\` (or `i\`, `c\`) at the very end of the script has no text at all:
//     nothing is appended or inserted, and `c` deletes without printing.
//
// Known limit: just-bash has no way to write a literal backslash that is
// followed by n, t or r, or that ends a text followed by more script, in a
// text; such a text is passed as GNU sed would read it, and just-bash reads
// that backslash as an escape.

import { defineCommand } from 'just-bash/browser';

const BLANK = new Set([' ', '\t']);

/** GNU sed's escapes in a/i/c text (`convert_number` and friends); any other `\X` is X. */
function decodeText(raw: string): string {
  let out = '';
  for (let j = 0; j < raw.length; j++) {
    const ch = raw[j]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    if (j + 1 >= raw.length) break; // a lone final backslash is dropped
    const e = raw[++j]!;
    const num = (re: RegExp, max: number, base: number): boolean => {
      let digits = '';
      while (digits.length < max && j + 1 < raw.length && re.test(raw[j + 1]!)) digits += raw[++j];
      if (!digits) return false;
      out += String.fromCharCode(parseInt(digits, base) & 0xff);
      return true;
    };
    switch (e) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'a': out += '\x07'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case 'x': if (!num(/[0-9a-fA-F]/, 2, 16)) out += 'x'; break;
      case 'd': if (!num(/[0-9]/, 3, 10)) out += 'd'; break;
      case 'o': if (!num(/[0-7]/, 3, 8)) out += 'o'; break;
      default: out += e;
    }
  }
  return out;
}

/** A text as just-bash's sed reads it after `a\` NEWLINE: newline, tab and CR as escapes, the rest as is. */
function encodeText(text: string): string {
  return text.replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r');
}

/**
 * Rewrite the a, i and c commands of a sed script (all its -e parts joined
 * by newlines, as GNU sed joins them) so that just-bash's sed gives them
 * GNU sed's meaning. Other commands are copied as they are; the scanner only
 * needs to know where commands start (addresses, regexes, s and y parts,
 * labels, file names and comments are stepped over).
 */
export function gnuTextCommands(script: string): string {
  const s = script;
  const n = s.length;
  let i = 0;
  let out = '';
  let copied = 0;
  const toEol = () => {
    while (i < n && s[i] !== '\n') i++;
  };
  const skipDelimited = (delim: string) => {
    while (i < n && s[i] !== delim) i += s[i] === '\\' ? 2 : 1;
    i++;
  };
  const skipBlanks = () => {
    while (i < n && BLANK.has(s[i]!)) i++;
  };
  const address = (): boolean => {
    const c = s[i];
    if (c === undefined) return false;
    if (/[0-9]/.test(c)) {
      while (i < n && /[0-9]/.test(s[i]!)) i++;
      if (s[i] === '~') {
        i++;
        while (i < n && /[0-9]/.test(s[i]!)) i++;
      }
      return true;
    }
    if (c === '$') {
      i++;
      return true;
    }
    if (c === '/' || c === '\\') {
      const delim = c === '/' ? '/' : (s[i + 1] ?? '/');
      i += c === '/' ? 1 : 2;
      skipDelimited(delim);
      while (i < n && (s[i] === 'I' || s[i] === 'M')) i++;
      return true;
    }
    return false;
  };
  while (i < n) {
    const c = s[i]!;
    if (c === '\n' || c === ';' || BLANK.has(c) || c === '{' || c === '}') {
      i++;
      continue;
    }
    if (c === '#') {
      toEol();
      continue;
    }
    // the second address of a range, when it can be evaluated on its own (a line number, $ or a regex)
    let end: string | null = null;
    if (address()) {
      skipBlanks();
      if (s[i] === ',') {
        i++;
        skipBlanks();
        if (s[i] === '+' || s[i] === '~') {
          i++;
          while (i < n && /[0-9]/.test(s[i]!)) i++;
        } else {
          const from = i;
          if (address()) end = s.slice(from, i);
        }
      }
    }
    skipBlanks();
    let negated = false;
    while (s[i] === '!') {
      negated = true;
      i++;
      skipBlanks();
    }
    const cmd = s[i];
    if (cmd === undefined) break;
    switch (cmd) {
      case 'a':
      case 'i':
      case 'c': {
        const at = i;
        i++;
        skipBlanks();
        let raw = '';
        if (s[i] === '\\') {
          i++;
          if (i >= n) {
            // no text at all: nothing is printed (`c` still deletes)
            out += s.slice(copied, at) + (cmd === 'c' ? 'd' : '{}');
            copied = i;
            continue;
          }
          if (s[i] === '\n') i++;
          else raw += s[i++];
        } else if (i >= n || s[i] === '\n') {
          // GNU: "expected \ after `a', `c' or `i'": leave it to just-bash's own message
          continue;
        }
        while (i < n && s[i] !== '\n') {
          const ch = s[i++]!;
          if (ch === '\\') {
            if (i >= n) break;
            raw += ch + s[i++];
          } else raw += ch;
        }
        const text = encodeText(decodeText(raw));
        // GNU prints a range's `c` text once, at the end of the range (just-bash prints it for every line):
        // delete the lines before the end, change the last one
        if (cmd === 'c' && end !== null && !negated) out += `${s.slice(copied, at)}{${end}!d\nc\\\n${text}\n}`;
        else out += `${s.slice(copied, at)}${cmd}\\\n${text}`;
        copied = i;
        break;
      }
      case 's':
      case 'y': {
        i++;
        const delim = s[i++] ?? '/';
        skipDelimited(delim);
        skipDelimited(delim);
        while (i < n && /[gpiImMe0-9]/.test(s[i]!)) i++;
        skipBlanks();
        if (cmd === 's' && s[i] === 'w') toEol();
        break;
      }
      case ':':
      case 'b':
      case 't':
      case 'T':
      case 'v':
        i++;
        while (i < n && s[i] !== '\n' && s[i] !== ';' && (cmd === ':' || s[i] !== '}')) i++;
        break;
      case 'r':
      case 'R':
      case 'w':
      case 'W':
      case 'e':
        toEol();
        break;
      case 'q':
      case 'Q':
      case 'l':
      case 'L':
        i++;
        skipBlanks();
        while (i < n && /[0-9]/.test(s[i]!)) i++;
        break;
      default:
        i++;
    }
  }
  return out + s.slice(copied);
}

/** Short options of GNU sed that take a value (attached or as the next word). */
const SHORT_WITH_VALUE = new Set(['e', 'f', 'l']);
const LONG_WITH_VALUE = new Set(['--expression', '--file', '--line-length']);

/** Is the script given by -e/--expression or -f/--file (then no operand is the script)? */
function scriptOptionGiven(opts: readonly string[]): boolean {
  for (let i = 0; i < opts.length; i++) {
    const a = opts[i]!;
    if (/^--(expression|file)(=|$)/.test(a)) return true;
    if (a.startsWith('--')) {
      if (LONG_WITH_VALUE.has(a)) i++;
      continue;
    }
    if (!a.startsWith('-') || a.length < 2) continue;
    for (let k = 1; k < a.length; k++) {
      const o = a[k]!;
      if (o === 'e' || o === 'f') return true;
      if (o === 'i') break;
      if (o === 'l') {
        if (k === a.length - 1) i++;
        break;
      }
    }
  }
  return false;
}

/**
 * A sed command line with its script's a, i and c commands rewritten (see
 * `gnuTextCommands`): the -e/--expression parts are joined with newlines, as
 * GNU sed does, and passed as one -e where the first one was; without -e or
 * -f, the first operand is the script. Everything else is kept in order.
 */
export function gnuSedArgs(args: readonly string[]): string[] {
  const end = args.indexOf('--');
  const opts = end < 0 ? args : args.slice(0, end);
  const hasScriptOption = scriptOptionGiven(opts);
  const out: string[] = [];
  const scripts: string[] = [];
  let scriptAt = -1;
  let operandScriptTaken = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      for (const rest of args.slice(i + 1)) {
        if (!hasScriptOption && !operandScriptTaken) {
          operandScriptTaken = true;
          out.push(gnuTextCommands(rest));
        } else out.push(rest);
      }
      break;
    }
    if (a === '--expression' || a.startsWith('--expression=')) {
      const v = a === '--expression' ? args[++i] : a.slice('--expression='.length);
      if (v === undefined) {
        out.push(a);
        continue;
      }
      if (scriptAt < 0) scriptAt = out.length;
      scripts.push(v);
      continue;
    }
    if (a.startsWith('--')) {
      out.push(a);
      if (LONG_WITH_VALUE.has(a) && i + 1 < args.length) out.push(args[++i]!);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // a cluster of short options: `-ne SCRIPT`, `-escript`, `-i.bak`, `-f FILE`
      let k = 1;
      for (; k < a.length; k++) {
        const o = a[k]!;
        if (o === 'i' || SHORT_WITH_VALUE.has(o)) break;
      }
      const o = a[k];
      if (o === 'e') {
        const attached = a.slice(k + 1);
        const v = attached !== '' ? attached : args[++i];
        if (k > 1) out.push(a.slice(0, k));
        if (v === undefined) {
          out.push('-e');
          continue;
        }
        if (scriptAt < 0) scriptAt = out.length;
        scripts.push(v);
        continue;
      }
      out.push(a);
      if ((o === 'f' || o === 'l') && a.slice(k + 1) === '' && i + 1 < args.length) out.push(args[++i]!);
      continue;
    }
    if (!hasScriptOption && !operandScriptTaken) {
      operandScriptTaken = true;
      out.push(gnuTextCommands(a));
      continue;
    }
    out.push(a);
  }
  if (scriptAt >= 0) out.splice(scriptAt, 0, '-e', gnuTextCommands(scripts.join('\n')));
  return out;
}

/** just-bash's sed, given the script as GNU sed reads its a, i and c commands. */
export const sedCommand = defineCommand('sed', async (args, ctx) => {
  const orig = (ctx as { origCommand?: (a: string[]) => Promise<{ stdout: string; stderr: string; exitCode: number }> }).origCommand;
  if (!orig) return { stdout: '', stderr: 'sed: not available\n', exitCode: 127 };
  const r = await orig(gnuSedArgs(args));
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
});
