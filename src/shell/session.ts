// A shell session on a simulated host: just-bash for the shell language and
// coreutils, our NetCommands for the networking tools, SimFs for files.
//
// just-bash starts every exec() with fresh shell state, so the session
// carries it from line to line: the working directory, variables (aliases
// travel as BASH_ALIAS_* variables), and function definitions (kept as
// source text, extracted from each line's AST). History is the session's.
import { Bash, defineCommand } from 'just-bash/browser';
import type { TransformPlugin } from 'just-bash';
import { World } from '../sim/world';
import type { HostId, NsId } from '../sim/types';
import type { CmdIO, CmdResult, NetCommand, Sys } from '../commands/types';
import { netCommands } from '../commands/index';
import { readHostFile, writeHostFile, normPath } from '../sim/files';
import { STRERROR, type Errno } from '../sim/errors';
import { SimFs } from './simfs';
import { BLANK_SCENARIO, buildScenario, type ScenarioDef } from './scenario-builder';
import { commonPrefix, completerFor, splitForCompletion } from './completion';
import { runSetupLine } from './setup';
import { syncCluster } from '../k8s/cluster';
import { MERGED_VAR, NOTTY_VAR, REDIR_CMD, SEPARATE_MARK } from './markers';

type ExecutionLimits = NonNullable<NonNullable<ConstructorParameters<typeof Bash>[0]>['executionLimits']>;

export interface SessionOptions {
  /** the scenario to build (from src/labs/scenarios; default: one fresh host); with `world`, only its name is kept */
  scenario?: ScenarioDef;
  host?: string;
  seed?: number;
  columns?: number;
  limits?: ExecutionLimits;
  /** an existing world to attach to (the session then does not build a scenario) */
  world?: World;
  /**
   * 'manual' (default): simulated time moves only when a command makes it
   * (sleep, ping, timeouts): deterministic, for replays, graders and tests.
   * 'real': before each line the simulated clock also catches up with the
   * wall-clock time since the previous line (at most 10 minutes), so an
   * interactive learner sees DAD finish and neighbour entries age as on a
   * real host.
   */
  clock?: 'manual' | 'real';
}

export interface RunResult {
  /** stdout and stderr merged in the order printed, "\n" line ends */
  output: string;
  exitCode: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** receives output as it is produced by long-running commands (ping without -c) */
  onOutput?: (chunk: string) => void;
  /** run in a fresh shell: no variables, functions or cwd carried in or out (the fidelity replay does this) */
  fresh?: boolean;
  /** do not record in history */
  noHistory?: boolean;
}

export interface SessionSnapshot {
  version: 1;
  scenario: string;
  host: string;
  world: string;
  cwd: string;
  env: Record<string, string>;
  functions: Record<string, string>;
  history: string[];
  /** hosts logged into with ssh, innermost last */
  logins?: { host: string; cwd: string }[];
}

/** Shell variables that just-bash maintains itself and that must not be carried over. */
const VOLATILE = new Set(['?', 'PWD', 'OLDPWD', 'IFS', 'OPTIND', 'SHELLOPTS', 'BASHOPTS', 'OSTYPE', 'MACHTYPE', 'HOSTTYPE', 'HOSTNAME', '_', 'RANDOM', 'LINENO', 'SECONDS', 'BASH_COMMAND', 'PIPESTATUS', 'FUNCNAME', NOTTY_VAR, MERGED_VAR]);

const BASE_ENV: Record<string, string> = {
  HOME: '/root',
  USER: 'root',
  LOGNAME: 'root',
  SHELL: '/bin/bash',
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C.UTF-8',
  TERM: 'xterm',
};

export { shellQuote } from '../commands/shell-quote';

export { MERGED_VAR, NOTTY_VAR, REDIR_CMD } from './markers';
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
/** bash builtins: their write errors read `bash: NAME: write error: ...` (other programs print `NAME: write error: ...`) */
const BASH_BUILTINS = new Set(['echo', 'printf', 'pwd', 'type', 'help', 'declare', 'typeset', 'set', 'alias', 'jobs', 'dirs', 'times', 'umask', 'trap', 'export', 'readonly', 'hash', 'shopt', 'local', 'history', 'command', 'builtin', 'compgen', 'complete', 'ulimit', 'cd', 'read', 'test', '[', 'true', 'false', ':', 'eval', 'source', '.', 'let', 'mapfile', 'readarray', 'pushd', 'popd', 'enable', 'fc', 'kill', 'wait', 'getopts']);
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
function extractFunctions(line: string): Record<string, string> {
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

export class Session {
  world: World;
  readonly scenario: string;
  /** the host the terminal is attached to */
  readonly homeHost: HostId;
  /** hosts logged into with `ssh HOST` (innermost last), with the directory to return to on exit */
  private logins: { host: HostId; cwd: string }[] = [];
  readonly columns: number;
  cwd = '/root';
  vars: Record<string, string> = {};
  functions: Record<string, string> = {};
  history: string[] = [];
  private nsStack: NsId[] = [];
  /** set by `ssh HOST` without a command: the login takes effect when the line ends */
  private pendingLogin: HostId | null = null;
  private bash: Bash;
  private fs!: SimFs;
  private onOutput: ((chunk: string) => void) | null = null;
  private signal: AbortSignal | null = null;
  /** true while a line that is a single simple command runs, so its output may stream */
  private streamable = false;

  private readonly realClock: boolean;
  private lastLineAt = 0;

  private constructor(world: World, scenario: string, host: HostId, opts: SessionOptions) {
    this.realClock = opts.clock === 'real';
    this.lastLineAt = Date.now();
    this.world = world;
    this.scenario = scenario;
    this.homeHost = host;
    this.columns = opts.columns ?? 80;
    const fs = (this.fs = new SimFs(
      () => this.sys({}),
      (name) => this.registered().has(name),
      () => [...this.registered()].filter((c) => c !== REDIR_CMD),
    ));
    this.bash = new Bash({
      fs,
      cwd: '/root',
      env: { ...BASE_ENV },
      customCommands: [...netCommands.map((c) => this.wrap(c)), defineCommand('history', async (args) => this.historyBuiltin(args)), defineCommand(REDIR_CMD, async (args, ctx) => this.redirectHelper(args, ctx.cwd)), defineCommand('tee', async (args, ctx) => this.tee(args, ctx))],
      sleep: async (ms: number) => {
        this.world.advance(ms);
        // the cluster's controllers and kubelets catch up with the time that passed
        syncCluster(this.world);
      },
      executionLimits: { maxCommandCount: 20000, maxLoopIterations: 20000, maxExecutionTimeMs: 5000, ...opts.limits },
      processInfo: { pid: 4242, ppid: 4241, uid: 0, gid: 0 },
    });
    this.bash.registerTransformPlugin({
      name: notTtyPlugin.name,
      transform: (ctx) => {
        // aliases are expanded after the rewrite: it learns from the session which ones run our commands
        netAliases = new Set(Object.entries(this.vars).filter(([k, v]) => k.startsWith('BASH_ALIAS_') && NET_NAMES.has(v.trim().split(/\s+/)[0] ?? '')).map(([k]) => k.slice(11)));
        try {
          return notTtyPlugin.transform(ctx);
        } finally {
          netAliases = new Set();
        }
      },
    });
  }

  static async create(opts: SessionOptions = {}): Promise<Session> {
    const def = opts.scenario ?? BLANK_SCENARIO;
    const scenario = def.name;
    if (opts.world) {
      const host = opts.host ?? Object.keys(opts.world.state.hosts)[0]!;
      return new Session(opts.world, scenario, host, opts);
    }
    const world = World.create({ seed: opts.seed ?? 1 });
    const built = await buildScenario(world, def, (w, host) => new Session(w, scenario, host, opts));
    const host = opts.host ?? built.defaultHost;
    if (!world.state.hosts[host]) throw new Error(`scenario ${scenario} has no host ${host}`);
    const session = new Session(world, scenario, host, opts);
    session.setupProblems = built.problems;
    return session;
  }

  static async restore(snap: SessionSnapshot, opts: Omit<SessionOptions, 'world' | 'scenario' | 'host' | 'seed'> = {}): Promise<Session> {
    const world = World.restore(snap.world);
    const s = new Session(world, snap.scenario, snap.host, opts);
    s.cwd = snap.cwd;
    s.vars = { ...snap.env };
    s.functions = { ...snap.functions };
    s.history = [...snap.history];
    s.logins = (snap.logins ?? []).filter((l) => world.state.hosts[l.host]);
    return s;
  }

  snapshot(): SessionSnapshot {
    return {
      version: 1,
      scenario: this.scenario,
      host: this.homeHost,
      world: this.world.snapshot(),
      cwd: this.cwd,
      env: { ...this.vars },
      functions: { ...this.functions },
      history: [...this.history],
      logins: this.logins.map((l) => ({ ...l })),
    };
  }

  /** The host commands currently run on (the terminal's, or the one `ssh` logged into). */
  get host(): HostId {
    return this.logins.length ? this.logins[this.logins.length - 1]!.host : this.homeHost;
  }

  /** Log into another host of the world (interactive `ssh HOST`); `exit` returns. */
  login(host: HostId): void {
    this.logins.push({ host, cwd: this.cwd });
    this.cwd = '/root';
  }

  /** Leave the innermost login; returns the host left, or null at the terminal's own host. */
  logout(): HostId | null {
    const l = this.logins.pop();
    if (!l) return null;
    this.cwd = l.cwd;
    return l.host;
  }

  /** The namespace commands currently run in. */
  currentNs(): NsId {
    return this.nsStack.length ? this.nsStack[this.nsStack.length - 1]! : this.world.host(this.host).rootNs;
  }

  /** The machine as seen by a command. */
  sys(env: Record<string, string> | Map<string, string>): Sys {
    const get = (k: string) => (env instanceof Map ? env.get(k) : env[k]);
    const host = this.host;
    return {
      world: this.world,
      host,
      ns: this.currentNs(),
      tty: get(NOTTY_VAR) !== '1',
      columns: Number(get('COLUMNS')) || this.columns,
      withNs: async <T,>(ns: NsId, fn: () => Promise<T>): Promise<T> => {
        this.nsStack.push(ns);
        try {
          return await fn();
        } finally {
          this.nsStack.pop();
        }
      },
      readFile: (path: string) => {
        const h = this.world.host(host);
        const p = normPath(path);
        const ns = this.world.state.namespaces[this.currentNs()];
        if (ns?.name && p.startsWith('/etc/')) {
          const rel = p.slice(5);
          const alt = readHostFile(h, `/etc/netns/${ns.name}/${rel}`);
          if (alt !== null) return alt;
        }
        return readHostFile(h, p);
      },
      writeFile: (path: string, content: string) => writeHostFile(this.world.host(host), path, content, this.world.now()),
      onHost: async <T,>(other: HostId, fn: () => Promise<T>): Promise<T> => {
        const savedNs = this.nsStack;
        this.logins.push({ host: other, cwd: this.cwd });
        this.nsStack = [];
        try {
          return await fn();
        } finally {
          this.logins.pop();
          this.nsStack = savedNs;
        }
      },
      login: (other: HostId) => {
        this.pendingLogin = other;
      },
    };
  }

  prompt(): string {
    const hostname = this.world.host(this.host).hostname.split('.')[0];
    const home = '/root';
    const dir = this.cwd === home ? '~' : this.cwd.startsWith(home + '/') ? '~' + this.cwd.slice(home.length) : this.cwd;
    return `root@${hostname}:${dir}# `;
  }

  private wrap(cmd: NetCommand) {
    return defineCommand(cmd.name, async (args, ctx) => {
      const envObj: Record<string, string> = {};
      ctx.env.forEach((v, k) => (envObj[k] = v));
      const sys = this.sys(ctx.env);
      const merged = ctx.env.get(MERGED_VAR) === '1';
      const io: CmdIO = {
        stdin: typeof ctx.stdin === 'string' ? ctx.stdin : new TextDecoder().decode(ctx.stdin as unknown as Uint8Array),
        cwd: ctx.cwd,
        env: envObj,
        signal: this.signal,
        exec: async (line: string) => {
          if (!ctx.exec) return { stdout: '', stderr: `${cmd.name}: cannot run commands here\n`, exitCode: 126 };
          const r = await ctx.exec(merged ? line : `: ${SEPARATE_MARK}\n${line}`, { cwd: ctx.cwd, env: sys.tty ? {} : { [NOTTY_VAR]: '1' } });
          return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
        },
      };
      if (this.onOutput && this.streamable && sys.tty) io.progress = this.onOutput;
      const orig = (ctx as { origCommand?: (a: string[]) => Promise<{ stdout: string; stderr: string; exitCode: number }> }).origCommand;
      if (orig) io.orig = async (a) => {
        const r = await orig(a);
        return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
      };
      let res: CmdResult;
      try {
        res = await cmd.run(args, io, sys);
      } catch (e) {
        // A command must never crash the shell; report like a crashed program would.
        const msg = e instanceof Error ? e.message : String(e);
        res = { stdout: '', stderr: `${cmd.name}: internal error: ${msg}\n`, exitCode: 134 };
      }
      // stdout and stderr go to the same place: write the output in the order the command wrote it
      if (res.chunks) res = merged ? { stdout: res.chunks.map(([, t]) => t).join(''), stderr: '', exitCode: res.exitCode } : { stdout: res.stdout, stderr: res.stderr, exitCode: res.exitCode };
      return res;
    });
  }

  /** Run one line as typed at the prompt. */
  async run(line: string, opts: RunOptions = {}): Promise<RunResult> {
    if (this.realClock) {
      const now = Date.now();
      this.world.advance(Math.min(Math.max(0, now - this.lastLineAt), 600_000));
      this.lastLineAt = now;
    }
    // a cluster lives on the same clock: its timers up to now fire before the line runs
    syncCluster(this.world);
    if (!opts.noHistory && !opts.fresh && line.trim() !== '') this.history.push(line);
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return { output: '', exitCode: Number(this.vars['?'] ?? 0) || 0 };
    if (!opts.fresh && this.logins.length && /^(exit|logout)(\s+\d+)?$/.test(trimmed)) {
      const left = this.logout()!;
      return { output: `logout\nConnection to ${this.world.host(left).hostname} closed.\n`, exitCode: 0 };
    }

    const defs = opts.fresh ? {} : extractFunctions(line);
    const prelude = opts.fresh ? '' : Object.values(this.functions).join('\n');
    const lastStatus = opts.fresh ? 0 : Number(this.vars['?'] ?? 0) || 0;
    // $? of the previous line: just-bash starts each exec with 0
    const script = `${prelude ? prelude + '\n' : ''}shopt -s expand_aliases\n${lastStatus ? `(exit ${lastStatus})\n` : ''}${line}`;
    this.onOutput = opts.onOutput ?? null;
    this.signal = opts.signal ?? null;
    this.streamable = isSingleCommand(line);
    const env: Record<string, string> = opts.fresh ? { ...BASE_ENV } : { ...BASE_ENV, ...this.vars };
    let result;
    this.fs.redirects.length = 0;
    try {
      result = await this.bash.exec(script, { cwd: opts.fresh ? '/root' : this.cwd, env, signal: opts.signal, rawScript: true });
    } catch (e) {
      // just-bash lets filesystem errors of redirections escape; simple commands go through the redirection helper
      // (REDIR_CMD), so only a compound command's redirection (`{ ...; } > FILE`) can get here: report it as bash would
      const err = e as { code?: string; message?: string; syscall?: string; path?: string };
      const text = err.code ? (STRERROR[err.code as Errno] ?? err.code) : (err.message ?? String(e));
      const stderr = err.code && err.syscall === 'open' && err.path ? `bash: ${err.path}: ${text}\n` : `bash: write error: ${text}\n`;
      result = { stdout: '', stderr, exitCode: 1, env: { ...env, PWD: this.cwd } };
    } finally {
      this.onOutput = null;
      this.signal = null;
      this.streamable = false;
      this.nsStack = [];
    }
    // `set -x` traces the session's own words (markers, the redirection helper): bash would not show them
    const hidden = (t: string) => (t.includes('NETLAB_') || t.includes(REDIR_CMD) ? t.replace(/^\++ (?:NETLAB_[A-Z]+=[^\n]*|__netlab_redir [^\n]*)\n/gm, '') : t);
    const output = hidden(result.stdout) + hidden(result.stderr);
    // A line stopped by a limit or by Ctrl-C comes back without its shell state: keep what the shell had before it.
    const cutShort = opts.signal?.aborted || /increase executionLimits\.|maximum execution time|execution time limit|aborted/i.test(result.stderr);
    if (!opts.fresh && cutShort) this.vars['?'] = String(result.exitCode);
    if (!opts.fresh && !cutShort) {
      const vars: Record<string, string> = {};
      for (const [k, v] of Object.entries(result.env)) {
        if (VOLATILE.has(k)) continue;
        if (BASE_ENV[k] === v) continue;
        vars[k] = v;
      }
      this.vars = vars;
      this.vars['?'] = String(result.exitCode);
      const pwd = result.env.PWD;
      if (pwd && (await this.bash.fs.exists(pwd))) this.cwd = pwd;
      Object.assign(this.functions, defs);
    }
    if (this.pendingLogin) {
      if (!opts.fresh) this.login(this.pendingLogin);
      this.pendingLogin = null;
    }
    return { output, exitCode: result.exitCode };
  }

  /** `__netlab_redir open TARGET...` / `__netlab_redir done STATUS NAME` (see REDIR_CMD). */
  private redirectHelper(args: string[], cwd: string): { stdout: string; stderr: string; exitCode: number } {
    const strerror = (code: string) => STRERROR[code as Errno] ?? code;
    if (args[0] === 'open') {
      const frame = { paths: new Set<string>(), error: null as string | null };
      this.fs.redirects.push(frame);
      for (let i = 1; i + 1 < args.length; i += 2) {
        const quiet = args[i] === 'q';
        const target = args[i + 1]!;
        if (target === '') continue;
        const path = this.fs.resolvePath(cwd, target);
        if (path.startsWith('/dev/')) continue;
        const code = this.fs.openError(path);
        if (code) return { stdout: '', stderr: quiet ? '' : `bash: ${target}: ${strerror(code)}\n`, exitCode: 1 };
        frame.paths.add(path);
      }
      return { stdout: '', stderr: '', exitCode: 0 };
    }
    const frame = this.fs.redirects.pop();
    const status = Number(args[1]) || 0;
    const name = args[2] ?? 'bash';
    if (!frame?.error) return { stdout: '', stderr: '', exitCode: status };
    return { stdout: '', stderr: `${BASH_BUILTINS.has(name) ? 'bash: ' : ''}${name}: write error: ${strerror(frame.error)}\n`, exitCode: 1 };
  }

  /**
   * tee: just-bash's, whose every failure reads "No such file or directory";
   * GNU tee names the error (`tee: /proc/sys/net/ipv4/ip_forward: Invalid
   * argument`, `...: Permission denied`), taken here from what SimFs refused.
   */
  private async tee(args: string[], ctx: { cwd: string; env: Map<string, string> }): Promise<{ stdout: string; stderr: string; exitCode: number }> {
    const orig = (ctx as { origCommand?: (a: string[]) => Promise<{ stdout: string; stderr: string; exitCode: number }> }).origCommand;
    if (!orig) return { stdout: '', stderr: 'tee: not available\n', exitCode: 1 };
    this.fs.writeErrors.clear();
    const r = await orig(args);
    // a file that does not open is reported before the copy starts; a refused write after the data reached stdout
    let atOpen = '';
    let atWrite = '';
    for (const line of r.stderr.split(/(?<=\n)/)) {
      const m = /^tee: (.+): No such file or directory\n?$/.exec(line);
      const path = m ? this.fs.resolvePath(ctx.cwd, m[1]!) : null;
      const code = path ? this.fs.writeErrors.get(path) : undefined;
      if (!m || !path || !code) atOpen += line;
      else if (this.fs.openError(path)) atOpen += `tee: ${m[1]}: ${STRERROR[code as Errno] ?? code}\n`;
      else atWrite += `tee: ${m[1]}: ${STRERROR[code as Errno] ?? code}\n`;
    }
    if (ctx.env.get(MERGED_VAR) === '1') return { stdout: atOpen + r.stdout + atWrite, stderr: '', exitCode: r.exitCode };
    return { stdout: r.stdout, stderr: atOpen + atWrite, exitCode: r.exitCode };
  }

  /** bash's `history [N]` and `history -c`, over the session's history (the current line included, as in bash). */
  private historyBuiltin(args: string[]): { stdout: string; stderr: string; exitCode: number } {
    const arg = args[0];
    if (arg === '-c') {
      this.history = [];
      return { stdout: '', stderr: '', exitCode: 0 };
    }
    let items = this.history.map((h, i) => ({ h, i }));
    if (arg !== undefined) {
      const n = Number(arg);
      if (!/^\d+$/.test(arg) || !Number.isInteger(n)) return { stdout: '', stderr: `bash: history: ${arg}: numeric argument required\n`, exitCode: 1 };
      items = items.slice(Math.max(0, items.length - n));
    }
    return { stdout: items.map(({ h, i }) => `${String(i + 1).padStart(5)}  ${h}\n`).join(''), stderr: '', exitCode: 0 };
  }

  private registeredCache: Set<string> | null = null;
  /** Commands registered with just-bash (bundled and ours). just-bash keeps them in a private map. */
  private registered(): Set<string> {
    if (!this.registeredCache) {
      const map = (this.bash as unknown as { commands?: Map<string, unknown> }).commands;
      this.registeredCache = new Set(map ? [...map.keys()] : netCommands.map((c) => c.name));
    }
    return this.registeredCache;
  }

  /** Command names the shell knows: ours, just-bash's, and the session's functions and aliases. */
  commandNames(): string[] {
    const names = new Set<string>(this.registered());
    names.delete(REDIR_CMD);
    for (const n of SHELL_BUILTINS) names.add(n);
    for (const n of Object.keys(this.functions)) names.add(n);
    for (const k of Object.keys(this.vars)) if (k.startsWith('BASH_ALIAS_')) names.add(k.slice(11));
    return [...names].sort();
  }

  /** Tab completion: `line.slice(from, cursor)` is replaced by one of `candidates` (or their common prefix). */
  async complete(line: string, cursor: number): Promise<{ from: number; candidates: string[]; common: string }> {
    const before = line.slice(0, cursor);
    const { words, current, from } = splitForCompletion(before);
    let cands: string[] = [];
    let effective = words;
    // `sudo X`, `ip netns exec NS X`, `watch X`: complete X as a command
    while (effective[0] === 'sudo' || effective[0] === 'watch') effective = effective.slice(1);
    let execNs: string | null = null;
    if (effective[0] === 'ip' && effective[1] === 'netns' && effective[2] === 'exec' && effective.length >= 4) {
      execNs = effective[3]!;
      effective = effective.slice(4);
    }
    const sys = this.sys({});
    if (effective.length === 0 && !current.includes('/')) {
      cands = this.commandNames().filter((n) => n.startsWith(current));
    } else {
      const completer = effective.length ? completerFor(effective[0]!) : undefined;
      if (completer) {
        let ns = sys.ns;
        if (execNs !== null) {
          const id = this.world.host(this.host).netns[execNs];
          if (id) ns = id;
        }
        cands = completer({ words: effective, current, sys: { ...sys, ns } }).filter((c) => c.startsWith(current));
      }
      if (cands.length === 0) cands = await this.completePath(current);
    }
    cands = [...new Set(cands)].sort();
    return { from, candidates: cands, common: commonPrefix(cands) };
  }

  private async completePath(current: string): Promise<string[]> {
    const slash = current.lastIndexOf('/');
    const dirPart = slash >= 0 ? current.slice(0, slash + 1) : '';
    const base = slash >= 0 ? current.slice(slash + 1) : current;
    const dir = normPath(dirPart.startsWith('/') ? dirPart || '/' : `${this.cwd}/${dirPart}`);
    try {
      const entries = await this.bash.fs.readdir(dir);
      const out: string[] = [];
      for (const e of entries) {
        if (!e.startsWith(base)) continue;
        if (e.startsWith('.') && !base.startsWith('.')) continue;
        const st = await this.bash.fs.stat(`${dir === '/' ? '' : dir}/${e}`).catch(() => null);
        out.push(dirPart + e + (st?.isDirectory ? '/' : ''));
      }
      return out;
    } catch {
      return [];
    }
  }

  /** Run a corpus-style setup line (`@...` without the @): directives or a plain command, output discarded. */
  async setup(line: string): Promise<{ output: string; exitCode: number } | void> {
    return runSetupLine(this, line);
  }

  /** Problems met while building the scenario (failing setup lines): none in a correct scenario. */
  setupProblems: string[] = [];
}

function isSingleCommand(line: string): boolean {
  return !/[|;&<>`$()]/.test(line.replace(/'[^']*'|"[^"]*"/g, '')) && !line.includes('\n');
}

/** Shell builtins (not registered as commands in just-bash), for completion. */
const SHELL_BUILTINS = ['alias', 'cd', 'exit', 'export', 'history', 'read', 'source', 'test', 'type', 'unalias', 'unset', 'shopt', 'set', 'local', 'declare'];
