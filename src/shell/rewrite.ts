// Command-line rewriting, before just-bash runs a line: the transform plugin
// that tells each simple command whether its stdout is the terminal and
// whether its stdout and stderr meet (see below), and the parse-only helpers
// the session uses on a line (the function definitions it holds, whether it
// is a single command). The session lifecycle is session.ts.
import { Bash } from 'just-bash/browser';
import type { TransformPlugin } from 'just-bash';
import { netCommands } from '../commands/index';
import { HELP_CMD, MERGED_VAR, NOTTY_VAR, REDIR_CMD, SEPARATE_MARK } from './markers';

/** Commands told whether their stdout and stderr meet: ours, and tee (the session's wrapper orders its messages). */
const NET_NAMES = new Set([...netCommands.map((c) => c.name), 'tee']);
/** Aliases of the session whose expansion runs one of our commands (`alias k=kubectl`), while a line is rewritten. */
let netAliases: Set<string> = new Set();

// A transform plugin over each line's AST:
// - every simple command whose stdout is not the terminal (all but the last
//   element of a pipeline, redirected stdout, inside $(...)) gets the
//   assignment NETLAB_NOTTY=1, visible in its environment;
// - every simple command writing to the terminal gets a leading `2>&1`, so
//   that its stderr interleaves with stdout in the order printed, as on a real
//   terminal. A leading 2>&1 keeps bash's semantics for the command's own
//   redirections (`2>/dev/null`, `>file`). It is not added where it would
//   change meaning: inside $(...), function bodies, or compound commands that
//   carry redirections of their own.
interface AstNode { type: string; [k: string]: unknown }
/** The text of a word made of literal parts only, else null. */
function literalWord(word: unknown): string | null {
  const w = word as AstNode | null | undefined;
  if (!w || !Array.isArray(w.parts)) return null;
  let out = '';
  for (const p of w.parts as AstNode[]) {
    if (p.type !== 'Literal') return null;
    out += String(p.value);
  }
  return out;
}
/** Do fds 1 and 2 end up in the same place once `redirs` are applied in order (each starting on its own stream)? */
function sameDestination(redirs: AstNode[]): boolean {
  let one = 'stdout';
  let two = 'stderr';
  let k = 0;
  const set = (fd: number, to: string) => {
    if (fd === 1) one = to;
    else if (fd === 2) two = to;
  };
  for (const r of redirs) {
    if (r.fdVariable) continue;
    const op = String(r.operator ?? '');
    const fd = r.fd as number | null | undefined;
    if (op === '>' || op === '>>' || op === '>|' || op === '<>') set(fd ?? (op === '<>' ? 0 : 1), `file${k++}`);
    else if (op === '&>' || op === '&>>') one = two = `file${k++}`;
    else if (op === '>&') {
      const t = literalWord(r.target);
      if (t === null) return false;
      if (t === '1' || t === '2') set(fd ?? 1, t === '1' ? one : two);
      else if (/^\d+-?$/.test(t) || t === '-') set(fd ?? 1, `other${k++}`);
      else if (fd == null) one = two = `file${k++}`;
      else set(fd, `file${k++}`);
    }
  }
  return one === two;
}
/**
 * Redirections to files. just-bash (3.4.2) lets an error of the filesystem
 * escape from a simple command's redirection, both when it opens the file
 * (zi() rethrows) and when it writes the output after the command (fs()), and
 * has no error shape it reports as a failed redirection; the line then stops.
 * So a command with redirections to files runs as
 *   { __netlab_redir open v TARGET... && CMD; __netlab_redir done $? NAME; }
 * `open` checks each target as open(2) would (`bash: PATH: Permission
 * denied`, status 1, CMD not run); while CMD runs, a failed write to a target
 * (the kernel refusing a value, EINVAL) is recorded by SimFs instead of thrown,
 * and `done` reports it as bash does (`bash: echo: write error: Invalid
 * argument`, status 1). Either way the line goes on, as in bash.
 */
// (the helper's name: REDIR_CMD, markers.ts)
const wordOf = (parts: unknown[]) => ({ type: 'Word', parts });
const literal = (value: string) => wordOf([{ type: 'Literal', value }]);
const simpleCommand = (name: string, args: unknown[], redirections: unknown[]) => ({ type: 'SimpleCommand', name: literal(name), args, assignments: [], redirections });
const pipelineOf = (command: unknown) => ({ type: 'Pipeline', commands: [command], negated: false, timed: false, timePosix: false });
const statementOf = (pipelines: unknown[], operators: string[]) => ({ type: 'Statement', pipelines, operators, background: false });
/** The files a command's redirections open for writing (not /dev/*, not fds), each with whether stderr is discarded by then. */
function fileTargets(redirs: AstNode[]): { target: AstNode; quiet: boolean }[] {
  const out: { target: AstNode; quiet: boolean }[] = [];
  for (const [i, r] of redirs.entries()) {
    const target = r.target as AstNode | undefined;
    if (r.fdVariable || !target || target.type !== 'Word') continue;
    const op = String(r.operator ?? '');
    const t = literalWord(target);
    if (op === '>&') {
      if (t === null || /^\d+-?$/.test(t) || t === '-') continue;
    } else if (!['>', '>>', '>|', '&>', '&>>'].includes(op)) continue;
    if (t !== null && (t.startsWith('/dev/') || t === '')) continue;
    out.push({ target, quiet: stderrDiscarded(redirs.slice(0, i)) });
  }
  return out;
}
/** A redirection target as one argument, expanded as the redirection expands it (tilde, parameters; no splitting). */
function targetArg(w: AstNode): unknown {
  const parts = (w.parts as AstNode[] | undefined) ?? [];
  const t = literalWord(w);
  if (t !== null) return wordOf([{ type: 'SingleQuoted', value: t }]);
  const lead = parts[0]?.type === 'TildeExpansion' ? [parts[0]] : [];
  return wordOf([...lead, { type: 'DoubleQuoted', parts: parts.slice(lead.length) }]);
}
/** Does fd 2 end on /dev/null once `redirs` are applied? */
function stderrDiscarded(redirs: AstNode[]): boolean {
  let one = 'stdout';
  let two = 'stderr';
  for (const r of redirs) {
    const op = String(r.operator ?? '');
    const fd = r.fd as number | null | undefined;
    const t = literalWord(r.target) ?? '?';
    if (op === '>' || op === '>>' || op === '>|') {
      if ((fd ?? 1) === 1) one = t;
      else if (fd === 2) two = t;
    } else if (op === '&>' || op === '&>>') one = two = t;
    else if (op === '>&') {
      const to = t === '1' ? one : t === '2' ? two : t;
      if (fd === 2) two = to;
      else if (fd == null || fd === 1) {
        one = to;
        if (fd == null && !/^\d+-?$/.test(t)) two = t;
      }
    }
  }
  return two === '/dev/null';
}
/** The name of the first simple command with a literal name in `node` (whose write error a compound command's would be). */
function firstCommandName(node: unknown): string | null {
  if (!node || typeof node !== 'object') return null;
  if (Array.isArray(node)) {
    for (const x of node) {
      const found = firstCommandName(x);
      if (found) return found;
    }
    return null;
  }
  const n = node as AstNode;
  if (n.type === 'SimpleCommand') return literalWord(n.name);
  for (const [k, v] of Object.entries(n)) {
    if (k === 'redirections' || typeof v !== 'object') continue;
    const found = firstCommandName(v);
    if (found) return found;
  }
  return null;
}
const COMPOUND = new Set(['If', 'For', 'CStyleFor', 'While', 'Until', 'Case', 'Subshell', 'Group', 'ArithmeticCommand', 'ConditionalCommand']);
/** Run command `n` (already rewritten) through the redirection helper when its redirections write to files. */
function guardRedirections(n: AstNode, merged: boolean): void {
  let name: string | null;
  if (n.type === 'SimpleCommand') {
    name = literalWord(n.name);
    if (!n.name || name === 'exec' || name === REDIR_CMD) return;
  } else if (COMPOUND.has(n.type)) name = firstCommandName(n);
  else return;
  const redirs = (n.redirections as AstNode[] | undefined) ?? [];
  const targets = fileTargets(redirs);
  if (targets.length === 0) return;
  const inner = { ...n };
  const toTerminal = merged ? [{ ...MERGE_STDERR }] : [];
  // open MODE TARGET...: MODE q when `2>/dev/null` applies by then (the failure is silent), else v
  const open = simpleCommand(REDIR_CMD, [literal('open'), ...targets.flatMap((t) => [literal(t.quiet ? 'q' : 'v'), targetArg(t.target)])], toTerminal);
  const quiet = stderrDiscarded(redirs) ? [{ type: 'Redirection', fd: 2, operator: '>', target: literal('/dev/null') }] : [];
  // done's last word is the command's own last word when literal, so that $_ stays what bash makes it
  const args = n.type === 'SimpleCommand' ? ((n.args as AstNode[] | undefined) ?? []) : [];
  const last = args.length ? literalWord(args[args.length - 1]) : null;
  const done = simpleCommand(REDIR_CMD, [literal('done'), wordOf([{ type: 'ParameterExpansion', parameter: '?', operation: null }]), literal(name ?? 'bash'), ...(last !== null ? [wordOf([{ type: 'SingleQuoted', value: last }])] : [])], [...toTerminal, ...quiet]);
  for (const k of Object.keys(n)) delete n[k];
  Object.assign(n, { type: 'Group', body: [statementOf([pipelineOf(open), pipelineOf(inner)], ['&&']), statementOf([pipelineOf(done)], [])], redirections: [] });
}
const assignment = (name: string, value: string) => ({ type: 'Assignment', name, value: { type: 'Word', parts: [{ type: 'Literal', value }] }, append: false, array: null });
const MERGE_STDERR = { type: 'Redirection', fd: 2, operator: '>&', target: { type: 'Word', parts: [{ type: 'Literal', value: '1' }] } };
function rewrite(node: unknown, notty: boolean, merge: boolean): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) rewrite(n, notty, merge);
    return;
  }
  const n = node as AstNode;
  if (n.type === 'Pipeline' && Array.isArray(n.commands)) {
    const cmds = n.commands as AstNode[];
    cmds.forEach((c, i) => rewrite(c, notty || i < cmds.length - 1, merge && i === cmds.length - 1));
    return;
  }
  if (n.type === 'CommandSubstitution' || n.type === 'ProcessSubstitution') {
    rewrite(n.body, true, false);
    return;
  }
  if (n.type === 'FunctionDef') {
    rewrite(n.body, notty, false);
    return;
  }
  if (n.type === 'SimpleCommand') {
    const redirs = (n.redirections as AstNode[] | undefined) ?? [];
    const outRedirected = redirs.some((r) => {
      const op = String(r.operator ?? '');
      const fd = r.fd as number | null | undefined;
      return (op === '>' || op === '>>' || op === '&>' || op === '>|' || op === '&>>') && (fd == null || fd === 1);
    });
    if (notty || outRedirected) {
      const assigns = (n.assignments as unknown[] | undefined) ?? [];
      n.assignments = [...assigns, { type: 'Assignment', name: NOTTY_VAR, value: { type: 'Word', parts: [{ type: 'Literal', value: '1' }] }, append: false, array: null }];
    }
    const toTerminal = !!(merge && !notty && n.name);
    if (toTerminal) n.redirections = [{ ...MERGE_STDERR }, ...redirs];
    const name = literalWord(n.name);
    if (name === 'help' && ((n.args as unknown[] | undefined) ?? []).length === 0) n.name = literal(HELP_CMD);
    if (name !== null && (NET_NAMES.has(name) || netAliases.has(name))) {
      // our commands learn whether their stdout and stderr meet (the order of a result's chunks then matters)
      const merged = sameDestination((n.redirections as AstNode[] | undefined) ?? []);
      n.assignments = [...((n.assignments as unknown[] | undefined) ?? []), assignment(MERGED_VAR, merged ? '1' : '')];
    } else if ((name === 'bash' || name === 'sh') && !sameDestination((n.redirections as AstNode[] | undefined) ?? [])) {
      // `bash -c SCRIPT 2>/dev/null`: the script's own commands keep stderr apart too
      const args = (n.args as AstNode[] | undefined) ?? [];
      const i = args.findIndex((a) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(literalWord(a) ?? ''));
      const script = i >= 0 ? args[i + 1] : undefined;
      if (script && Array.isArray(script.parts)) script.parts = [{ type: 'Literal', value: `: ${SEPARATE_MARK}\n` }, ...(script.parts as unknown[])];
    }
    for (const k of ['name', 'args', 'assignments']) rewrite(n[k], true, false);
    guardRedirections(n, toTerminal);
    return;
  }
  const ownRedirs = Array.isArray(n.redirections) && (n.redirections as unknown[]).length > 0;
  for (const [k, v] of Object.entries(n)) {
    if (k === 'type' || k === 'redirections') continue;
    if (typeof v === 'object') rewrite(v, notty, merge && !ownRedirs);
  }
  if (ownRedirs) guardRedirections(n, merge && !notty);
}

const notTtyPlugin: TransformPlugin = {
  name: 'netlab-notty',
  transform(ctx) {
    // a nested line (io.exec) whose caller keeps stdout and stderr apart: no 2>&1 at its top level
    const statements = (ctx.ast as unknown as AstNode).statements as AstNode[] | undefined;
    const first = statements?.[0]?.pipelines as AstNode[] | undefined;
    const cmd = first?.length === 1 ? ((first[0]!.commands as AstNode[] | undefined)?.[0] ?? null) : null;
    const separate = !!cmd && cmd.type === 'SimpleCommand' && literalWord(cmd.name) === ':' && (cmd.args as unknown[]).length === 1 && literalWord((cmd.args as unknown[])[0]) === SEPARATE_MARK;
    if (separate) statements!.shift();
    rewrite(ctx.ast, false, !separate);
    return { ast: ctx.ast };
  },
};

// A second Bash used only as a parser: its plugin keeps just the function
// definitions of a line, so `transform(line).script` is their source text.
function functionsOnly(node: unknown, out: AstNode[]): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) functionsOnly(x, out);
    return;
  }
  const n = node as AstNode;
  if (n.type === 'FunctionDef') {
    out.push(n);
    return;
  }
  for (const [k, v] of Object.entries(n)) if (k !== 'type' && typeof v === 'object') functionsOnly(v, out);
}

let parserBash: Bash | null = null;
export function extractFunctions(line: string): Record<string, string> {
  if (!/\(\s*\)|\bfunction\b/.test(line)) return {};
  if (!parserBash) parserBash = new Bash({ commands: [] });
  let defs: AstNode[] = [];
  try {
    const parsed = parserBash.transform(line);
    functionsOnly(parsed.ast, (defs = []));
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  for (const d of defs) {
    const p = new Bash({ commands: [] });
    p.registerTransformPlugin({
      name: 'only-fn',
      transform: () => ({ ast: { type: 'Script', statements: [{ type: 'Statement', pipelines: [{ type: 'Pipeline', commands: [d], negated: false, timed: false, timePosix: false }], operators: [], background: false }] } as never }),
    });
    out[String(d.name)] = p.transform('true').script;
  }
  return out;
}

/**
 * The plugin, for one session: aliases are expanded after the rewrite, so it
 * learns from the session's variables which aliases run our commands.
 */
export function lineRewriter(vars: () => Record<string, string>): TransformPlugin {
  return {
    name: notTtyPlugin.name,
    transform: (ctx) => {
      netAliases = new Set(Object.entries(vars()).filter(([k, v]) => k.startsWith('BASH_ALIAS_') && NET_NAMES.has(v.trim().split(/\s+/)[0] ?? '')).map(([k]) => k.slice(11)));
      try {
        return notTtyPlugin.transform(ctx);
      } finally {
        netAliases = new Set();
      }
    },
  };
}

/** A line with one simple command and no expansions (its output can be streamed as it comes). */
export function isSingleCommand(line: string): boolean {
  return !/[|;&<>`$()]/.test(line.replace(/'[^']*'|"[^"]*"/g, '')) && !line.includes('\n');
}
