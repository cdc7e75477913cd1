// Continuation lines: is the text typed so far a whole command, or does the
// shell wait for more lines under PS2 (`> `)? And how bash records a
// multi-line command in its history (one entry, cmdhist).
//
// Completeness is decided by just-bash's own parser (the one that will run the
// command): it reports an unfinished construct by failing at end of input
// (a ParseException whose token is EOF, a LexerError "unexpected EOF while
// looking for matching ..."), by an unterminated here-document in the AST, or
// by an empty command where a pipeline or list still expects one (`a |`,
// `a &&`). Three places where that parser accepts what bash does not (or the
// reverse) are handled from the AST: a trailing backslash (kept as a literal
// word part), an arithmetic expansion not closed by `))`, and `[[` left open
// (bash reports a syntax error there and does not wait).
import { Bash } from 'just-bash/browser';

interface AstNode {
  type: string;
  [k: string]: unknown;
}

/** Why the shell waits for more input. */
export type Pending =
  /** a here-document is open (its body lines are kept verbatim) */
  | 'heredoc'
  /** a quote, $(...), `...` or $((...)) is open: the newline is part of the text */
  | 'quote'
  /** a backslash ends the line: the newline is removed */
  | 'backslash'
  /** a compound array assignment `a=(...` is open */
  | 'array'
  /** anything else: a compound command, a pipeline or list waiting for its next command */
  | 'command';

let parser: Bash | null = null;
let captured: AstNode | null = null;

function parse(text: string): { ast: AstNode | null; error: unknown } {
  if (!parser) {
    parser = new Bash({ commands: [] });
    parser.registerTransformPlugin({
      name: 'netlab-capture',
      transform(ctx) {
        captured = ctx.ast as unknown as AstNode;
        return { ast: ctx.ast };
      },
    });
  }
  captured = null;
  try {
    parser.transform(text);
    return { ast: captured, error: null };
  } catch (e) {
    return { ast: captured, error: e };
  }
}

function walk(node: unknown, fn: (n: AstNode) => void): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) walk(x, fn);
    return;
  }
  const n = node as AstNode;
  if (typeof n.type === 'string') fn(n);
  for (const [k, v] of Object.entries(n)) if (k !== 'type' && v && typeof v === 'object') walk(v, fn);
}

function openHeredocs(ast: AstNode | null): number {
  let n = 0;
  walk(ast, (x) => {
    if (x.type === 'HereDoc' && x.terminated === false) n++;
  });
  return n;
}

/** The last simple command of the last statement is empty (no name, words, assignments or redirections). */
function endsWithEmptyCommand(ast: AstNode | null): boolean {
  const statements = (ast?.statements as AstNode[] | undefined) ?? [];
  const last = statements[statements.length - 1];
  const pipelines = (last?.pipelines as AstNode[] | undefined) ?? [];
  const pipe = pipelines[pipelines.length - 1];
  const cmds = (pipe?.commands as AstNode[] | undefined) ?? [];
  const cmd = cmds[cmds.length - 1];
  if (!cmd || cmd.type !== 'SimpleCommand') return false;
  const empty = (k: string) => !Array.isArray(cmd[k]) || (cmd[k] as unknown[]).length === 0;
  return cmd.name == null && empty('args') && empty('assignments') && empty('redirections');
}

/** An arithmetic expansion whose source text is not closed by `))` (just-bash stops at the end of input). */
function openArithmetic(ast: AstNode | null, text: string): boolean {
  let open = false;
  walk(ast, (x) => {
    if (x.type !== 'ArithmeticExpansion' || open) return;
    const expr = x.expression as AstNode | undefined;
    const src = typeof expr?.originalText === 'string' ? expr.originalText : null;
    if (src === null) return;
    const at = text.lastIndexOf('$((' + src);
    if (at >= 0 && text.slice(at + 3 + src.length, at + 5 + src.length) !== '))') open = true;
  });
  return open;
}

/** The last word part of the last simple command is a literal backslash: the line ended with `\`. */
function trailingBackslash(ast: AstNode | null, text: string): boolean {
  if (!/\\$/.test(text)) return false;
  let lastLiteral: string | null = null;
  walk(ast, (x) => {
    if (x.type === 'Literal' && typeof x.value === 'string') lastLiteral = x.value;
    else if (x.type === 'Escaped' || x.type === 'SingleQuoted') lastLiteral = null;
  });
  return lastLiteral !== null && (lastLiteral as string).endsWith('\\');
}

/**
 * Long runs of word characters (a pasted blob, a long base64 line) cannot end
 * or open anything: they are shortened before parsing, each to a token that
 * stays distinct (its start, length and a hash), so that a here-document's
 * delimiter still matches only itself. The parser sees the same structure,
 * in a fraction of the time.
 */
function shorten(text: string): string {
  if (text.length < 4096) return text;
  return text.replace(/[A-Za-z0-9_.\/:,+-]{64,}/g, (run) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < run.length; i++) h = Math.imul(h ^ run.charCodeAt(i), 0x01000193);
    return `${run.slice(0, 8)}_${run.length}_${(h >>> 0).toString(36)}`;
  });
}

/** What the shell still waits for after `text` (the lines typed so far, joined by "\n"), or null when it is a whole command. */
export function pending(text: string): Pending | null {
  text = shorten(text);
  const { ast, error } = parse(text);
  if (error) {
    const e = error as { name?: string; message?: string; token?: { type?: string; heredocTerminated?: boolean } };
    const msg = String(e.message ?? '');
    if (e.name === 'LexerError' && /unexpected EOF while looking for matching/.test(msg)) return 'quote';
    if (e.name === 'ParseException') {
      if (/unexpected EOF while looking for matching [`'][)`}]/.test(msg)) return /matching .\}/.test(msg) ? 'command' : 'quote';
      // a here-document's body not closed yet inside a compound command
      if (e.token?.type === 'HEREDOC_CONTENT' && e.token.heredocTerminated === false) return 'heredoc';
      if (e.token?.type === 'EOF') {
        if (/DBRACK_END|bad substitution/.test(msg)) return null;
        if (/RPAREN/.test(msg) && /=\($|=\([^)]*$/.test(text.split('\n').pop() ?? '') && !/\)/.test(text.slice(text.lastIndexOf('=(')))) return 'array';
        return 'command';
      }
      return null;
    }
    if (openHeredocs(ast) > 0) return 'heredoc';
    return null;
  }
  if (openHeredocs(ast) > 0) return 'heredoc';
  if (trailingBackslash(ast, text)) return 'backslash';
  if (openArithmetic(ast, text)) return 'quote';
  if (endsWithEmptyCommand(ast) && /(\|\||&&|\||\|&)\s*$/.test(text)) return 'command';
  return null;
}

/** Is `text` a whole command (bash would run it now)? */
export function isComplete(text: string): boolean {
  return pending(text) === null;
}

/** The delimiters of the here-documents a line opens, in order. */
function heredocDelimiters(line: string): { word: string; tabs: boolean }[] {
  const out: { word: string; tabs: boolean }[] = [];
  const unquoted = line.replace(/'[^']*'(?!\w)|"[^"]*"(?!\w)/g, (m) => (/^['"]\w+['"]$/.test(m) ? m : '""'));
  for (const m of unquoted.matchAll(/(?<!<)<<(?!<)(-?)\s*(['"]?)([^\s'";|&<>()]+)\2/g)) out.push({ word: m[3]!, tabs: m[1] === '-' });
  return out;
}

/** Tokens after which bash joins the next line with a space instead of "; " (parse.y's no_semi_successors). */
const NO_SEMI_WORDS = new Set(['case', 'do', 'else', 'if', 'then', 'until', 'while', 'in', '{', '(', ')']);

function lastToken(line: string): string {
  const t = line.replace(/\s+$/, '');
  const op = /(;;&|;;|;&|\|\||&&|\|&|[;&|(){}])$/.exec(t);
  if (op) {
    // `{` and `}` are words: only alone
    if ((op[1] === '{' || op[1] === '}') && /\S[{}]$/.test(t)) return t.split(/\s+/).pop() ?? '';
    return op[1]!;
  }
  return t.split(/\s+/).pop() ?? '';
}

/**
 * The history entry bash (with cmdhist, its default) records for a command
 * typed as `lines`: one entry, its lines joined with "; " or " " (after
 * `do`, `then`, `|`, `&&`, ...), kept on their own lines inside quotes and
 * here-documents, a backslash-newline removed, blank lines dropped.
 */
export function historyEntry(lines: readonly string[]): string {
  let entry = lines[0] ?? '';
  let sofar = entry;
  // here-document delimiters still to be met (the parser's error inside a compound command does not say)
  const delims: { word: string; tabs: boolean }[] = heredocDelimiters(entry);
  let why: Pending | null = delims.length ? 'heredoc' : pending(sofar);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const next = sofar + '\n' + line;
    let whyNext: Pending | null;
    if (why === 'heredoc' && delims.length) {
      const d = delims[0]!;
      if ((d.tabs ? line.replace(/^\t+/, '') : line) === d.word) delims.shift();
      whyNext = delims.length ? 'heredoc' : pending(next);
      if (whyNext === 'heredoc' && !delims.length) whyNext = 'command';
    } else {
      whyNext = pending(next);
      if (whyNext === 'heredoc' || (whyNext !== null && heredocDelimiters(line).length)) {
        delims.push(...heredocDelimiters(line));
        if (delims.length) whyNext = 'heredoc';
      }
    }
    if (why === 'backslash') entry = entry.slice(0, -1) + line;
    else if (why === 'heredoc' || why === 'quote') entry += '\n' + line;
    // the line that opens a here-document starts on a line of its own
    else if (whyNext === 'heredoc') entry += '\n' + line;
    else if (line.trim() === '') {
      // a blank line adds nothing
    } else if (why === 'array' || entry.endsWith('\n')) entry += ' ' + line;
    else {
      const tok = lastToken(entry);
      const noSemi = NO_SEMI_WORDS.has(tok) || /^(;;&|;;|;&|\|\||&&|\|&|[;&|])$/.test(tok);
      entry += (noSemi ? ' ' : '; ') + line;
    }
    // a here-document closed by this line: bash keeps the newline after its delimiter
    if (why === 'heredoc' && whyNext !== 'heredoc') entry += '\n';
    sofar = next;
    why = whyNext;
  }
  return entry;
}
