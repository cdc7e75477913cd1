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
// Address ranges are not this module's: patches/just-bash+3.4.2.patch
// (patch-package, at install) makes just-bash look for a regex end from the
// line after the range's start, as GNU sed does.
//
// Known limit: just-bash has no way to write a literal backslash that is
// followed by n, t or r, or that ends a text followed by more script, in a
// text; such a text is passed as GNU sed would read it, and just-bash reads
// that backslash as an escape.
//
// The command itself (`sedCommand`) is ./sed-lazy.ts: this module is a chunk loaded on the first sed.

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
  return new ScriptScanner(script).rewrite();
}

/** A walk over a sed script along GNU sed's compile.c: addresses, `!`, then one command and what it reads. */
class ScriptScanner {
  private i = 0;
  private out = '';
  private copied = 0;
  private readonly n: number;
  constructor(private readonly s: string) {
    this.n = s.length;
  }

  rewrite(): string {
    const { s, n } = this;
    while (this.i < n) {
      const c = s[this.i]!;
      if (c === '\n' || c === ';' || BLANK.has(c) || c === '{' || c === '}') {
        this.i++;
        continue;
      }
      if (c === '#') {
        this.toEol();
        continue;
      }
      const end = this.addresses();
      this.skipBlanks();
      let negated = false;
      while (s[this.i] === '!') {
        negated = true;
        this.i++;
        this.skipBlanks();
      }
      const cmd = s[this.i];
      if (cmd === undefined) break;
      if (cmd === 'a' || cmd === 'i' || cmd === 'c') this.textCommand(cmd, end, negated);
      else this.skipCommand(cmd);
    }
    return this.out + s.slice(this.copied);
  }

  private toEol(): void {
    while (this.i < this.n && this.s[this.i] !== '\n') this.i++;
  }
  private skipDelimited(delim: string): void {
    while (this.i < this.n && this.s[this.i] !== delim) this.i += this.s[this.i] === '\\' ? 2 : 1;
    this.i++;
  }
  private skipBlanks(): void {
    while (this.i < this.n && BLANK.has(this.s[this.i]!)) this.i++;
  }
  private skipDigits(): void {
    while (this.i < this.n && /[0-9]/.test(this.s[this.i]!)) this.i++;
  }

  /** one address (a line number, first~step, $ or a regex with its flags); false when none is here */
  private address(): boolean {
    const { s } = this;
    const c = s[this.i];
    if (c === undefined) return false;
    if (/[0-9]/.test(c)) {
      this.skipDigits();
      if (s[this.i] === '~') {
        this.i++;
        this.skipDigits();
      }
      return true;
    }
    if (c === '$') {
      this.i++;
      return true;
    }
    if (c === '/' || c === '\\') {
      const delim = c === '/' ? '/' : (s[this.i + 1] ?? '/');
      this.i += c === '/' ? 1 : 2;
      this.skipDelimited(delim);
      while (this.i < this.n && (s[this.i] === 'I' || s[this.i] === 'M')) this.i++;
      return true;
    }
    return false;
  }

  /** the command's addresses; the second address of a range when it can be evaluated on its own (a line number, $ or a regex) */
  private addresses(): string | null {
    if (!this.address()) return null;
    this.skipBlanks();
    if (this.s[this.i] !== ',') return null;
    this.i++;
    this.skipBlanks();
    if (this.s[this.i] === '+' || this.s[this.i] === '~') {
      this.i++;
      this.skipDigits();
      return null;
    }
    const from = this.i;
    return this.address() ? this.s.slice(from, this.i) : null;
  }

  /** a, i or c with its text (read_text()), rewritten into the form just-bash's sed reads as GNU sed does */
  private textCommand(cmd: 'a' | 'i' | 'c', end: string | null, negated: boolean): void {
    const { s, n } = this;
    const at = this.i;
    this.i++;
    this.skipBlanks();
    let raw = '';
    if (s[this.i] === '\\') {
      this.i++;
      if (this.i >= n) {
        // no text at all: nothing is printed (`c` still deletes)
        this.out += s.slice(this.copied, at) + (cmd === 'c' ? 'd' : '{}');
        this.copied = this.i;
        return;
      }
      if (s[this.i] === '\n') this.i++;
      else raw += s[this.i++];
    } else if (this.i >= n || s[this.i] === '\n') {
      // GNU: "expected \ after `a', `c' or `i'": leave it to just-bash's own message
      return;
    }
    while (this.i < n && s[this.i] !== '\n') {
      const ch = s[this.i++]!;
      if (ch === '\\') {
        if (this.i >= n) break;
        raw += ch + s[this.i++];
      } else raw += ch;
    }
    const text = encodeText(decodeText(raw));
    // GNU prints a range's `c` text once, at the end of the range (just-bash prints it for every line):
    // delete the lines before the end, change the last one
    if (cmd === 'c' && end !== null && !negated) this.out += `${s.slice(this.copied, at)}{${end}!d\nc\\\n${text}\n}`;
    else this.out += `${s.slice(this.copied, at)}${cmd}\\\n${text}`;
    this.copied = this.i;
  }

  /** any other command: step over what it reads (s and y parts and flags, labels, file names, q/l numbers) */
  private skipCommand(cmd: string): void {
    const { s, n } = this;
    switch (cmd) {
      case 's':
      case 'y': {
        this.i++;
        const delim = s[this.i++] ?? '/';
        this.skipDelimited(delim);
        this.skipDelimited(delim);
        while (this.i < n && /[gpiImMe0-9]/.test(s[this.i]!)) this.i++;
        this.skipBlanks();
        if (cmd === 's' && s[this.i] === 'w') this.toEol();
        break;
      }
      case ':':
      case 'b':
      case 't':
      case 'T':
      case 'v':
        this.i++;
        while (this.i < n && s[this.i] !== '\n' && s[this.i] !== ';' && (cmd === ':' || s[this.i] !== '}')) this.i++;
        break;
      case 'r':
      case 'R':
      case 'w':
      case 'W':
      case 'e':
        this.toEol();
        break;
      case 'q':
      case 'Q':
      case 'l':
      case 'L':
        this.i++;
        this.skipBlanks();
        this.skipDigits();
        break;
      default:
        this.i++;
    }
  }
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
