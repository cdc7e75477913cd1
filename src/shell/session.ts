// A shell session on a simulated host: just-bash for the shell language and
// coreutils, our NetCommands for the networking tools, SimFs for files.
//
// just-bash starts every exec() with fresh shell state, so the session
// carries it from line to line: the working directory, variables (aliases
// travel as BASH_ALIAS_* variables), and function definitions (kept as
// source text, extracted from each line's AST). History is the session's.
import { own } from '../sim/own';
import { SESSION_LIMITS } from './limits';
import { sedCommand } from './sed-lazy';
import { loadChunk } from '../sim/chunks';
import { Bash, defineCommand } from 'just-bash/browser';
import { World } from '../sim/world';
import type { HostId, NsId } from '../sim/types';
import type { CmdIO, CmdResult, NetCommand, Sys } from '../commands/types';
import { netCommands } from '../commands/index';
import { readHostFile, writeHostFile, normPath } from '../sim/files';
import { STRERROR, type Errno } from '../sim/errors';
import { SimFs } from './simfs';
import { BLANK_SCENARIO, buildScenario, type ScenarioDef } from './scenario-builder';
import { commonPrefix, prepareCompleter, splitForCompletion } from './completion';
import { runSetupLine } from './setup';
import { kubernetesLoaded, prepareWorld } from '../commands/k8s-lazy';
import { beforeLine } from '../commands/prefetch';
import { HELP_CMD, MERGED_VAR, NOTTY_VAR, REDIR_CMD, SEPARATE_MARK } from './markers';
import { extractFunctions, isSingleCommand, lineRewriter } from './rewrite';
import type { Tty } from './tty';
import { fullScreenCommands } from './fullscreen';
import { helpText } from './help';
import { addEntry, entryFor, expandHistory, HISTFILESIZE, historyBuiltin, histSize, HISTSIZE, type HistoryList } from './history';

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
  /** the terminal, for full-screen programs (vi, vim, nano); none: they say there is no terminal */
  tty?: Tty;
  /** a line typed at the prompt: bash's history expansion (`!!`, `!$`, ...) applies, with its echo (src/shell/history.ts) */
  interactive?: boolean;
  /** the terminal's size now (the page's terminal follows its box): COLUMNS and LINES, `stty size`, the tools' widths */
  columns?: number;
  rows?: number;
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
const VOLATILE = new Set(['?', 'PWD', 'OLDPWD', 'IFS', 'OPTIND', 'SHELLOPTS', 'BASHOPTS', 'OSTYPE', 'MACHTYPE', 'HOSTTYPE', 'HOSTNAME', '_', 'RANDOM', 'LINENO', 'SECONDS', 'BASH_COMMAND', 'PIPESTATUS', 'FUNCNAME', 'COLUMNS', 'LINES', NOTTY_VAR, MERGED_VAR]);

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
/** bash builtins: their write errors read `bash: NAME: write error: ...` (other programs print `NAME: write error: ...`) */
const BASH_BUILTINS = new Set(['echo', 'printf', 'pwd', 'type', 'help', 'declare', 'typeset', 'set', 'alias', 'jobs', 'dirs', 'times', 'umask', 'trap', 'export', 'readonly', 'hash', 'shopt', 'local', 'history', 'command', 'builtin', 'compgen', 'complete', 'ulimit', 'cd', 'read', 'test', '[', 'true', 'false', ':', 'eval', 'source', '.', 'let', 'mapfile', 'readarray', 'pushd', 'popd', 'enable', 'fc', 'kill', 'wait', 'getopts']);

export class Session {
  world: World;
  readonly scenario: string;
  /** the host the terminal is attached to */
  readonly homeHost: HostId;
  /** hosts logged into with `ssh HOST` (innermost last), with the directory to return to on exit */
  private logins: { host: HostId; cwd: string }[] = [];
  /** the terminal's width and height (RunOptions.columns/rows update them, as bash's checkwinsize does) */
  columns: number;
  rows = 24;
  cwd = '/root';
  vars: Record<string, string> = {};
  functions: Record<string, string> = {};
  /** the history in memory (HISTSIZE) and the history file kept in the snapshot (HISTFILESIZE): src/shell/history.ts */
  private hist: HistoryList = { entries: [], base: 1 };
  private histFile: string[] = [];
  get history(): string[] {
    return this.hist.entries;
  }
  set history(entries: string[]) {
    this.hist = { entries: entries.slice(-HISTSIZE), base: 1 };
    this.histFile = entries.slice(-HISTFILESIZE);
  }
  private nsStack: NsId[] = [];
  /** the UTS namespace's host name while a command runs in a pod (kubectl exec), else undefined: the host's */
  private uts: string | undefined;
  /** set by `ssh HOST` without a command: the login takes effect when the line ends */
  private pendingLogin: HostId | null = null;
  private bash: Bash;
  private fs!: SimFs;
  private onOutput: ((chunk: string) => void) | null = null;
  /** the terminal of the line running (RunOptions.tty) */
  private tty: Tty | null = null;
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
      () => [...this.registered()].filter((c) => c !== REDIR_CMD && c !== HELP_CMD),
    ));
    this.bash = new Bash({
      fs,
      cwd: '/root',
      env: { ...BASE_ENV },
      customCommands: [...netCommands.map((c) => this.wrap(c)), defineCommand('history', async (args) => {
        const r = historyBuiltin(this.hist, args);
        if (args[0] === '-c') this.histFile = [];
        return r;
      }), defineCommand(HELP_CMD, async (_args, ctx) => this.help(ctx)), defineCommand(REDIR_CMD, async (args, ctx) => this.redirectHelper(args, ctx.cwd)), defineCommand('tee', async (args, ctx) => this.tee(args, ctx)), sedCommand, ...fullScreenCommands(() => this.tty, this.fs)],
      sleep: async (ms: number) => {
        this.world.advance(ms);
        // the cluster's controllers and kubelets catch up with the time that passed
        kubernetesLoaded()?.syncCluster(this.world);
      },
      executionLimits: { ...SESSION_LIMITS, ...opts.limits },
      processInfo: { pid: 4242, ppid: 4241, uid: 0, gid: 0 },
    });
    this.bash.registerTransformPlugin(lineRewriter(() => this.vars));
  }

  static async create(opts: SessionOptions = {}): Promise<Session> {
    const def = opts.scenario ?? BLANK_SCENARIO;
    const scenario = def.name;
    if (opts.world) {
      const host = opts.host ?? Object.keys(opts.world.state.hosts)[0]!;
      await prepareWorld(opts.world);
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

  /**
   * A session from its snapshot. `untrusted`: the snapshot comes from storage (a terminal's save): its shape,
   * its world's and its host are checked first (src/shell/snapshot-schema.ts), and a bad one throws
   * "cannot restore the saved terminal: WHY" instead of leaving a shell that never works.
   */
  static async restore(snap: SessionSnapshot, opts: Omit<SessionOptions, 'world' | 'scenario' | 'host' | 'seed'> & { untrusted?: boolean } = {}): Promise<Session> {
    let world: World;
    if (opts.untrusted) {
      // the checks (zod and the world's schema) are a chunk of their own: only a saved terminal needs them
      const { checkSnapshot } = await loadChunk('checks', () => import('./snapshot-schema'));
      const checked = checkSnapshot(snap);
      if (checked.problem !== null) throw new Error(`cannot restore the saved terminal: ${checked.problem}`);
      world = World.restoreData(checked.world);
    } else world = World.restore(snap.world);
    // a world that holds a cluster: the Kubernetes layer (its kernel hooks) before anything runs on it
    await prepareWorld(world);
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
      history: [...this.histFile],
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
      ...(this.uts !== undefined ? { uts: this.uts } : {}),
      withNs: async <T,>(ns: NsId, fn: () => Promise<T>, uts?: string): Promise<T> => {
        this.nsStack.push(ns);
        const savedUts = this.uts;
        if (uts !== undefined) this.uts = uts;
        try {
          return await fn();
        } finally {
          this.nsStack.pop();
          this.uts = savedUts;
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
        const savedUts = this.uts;
        this.logins.push({ host: other, cwd: this.cwd });
        this.nsStack = [];
        this.uts = undefined;
        try {
          return await fn();
        } finally {
          this.logins.pop();
          this.nsStack = savedNs;
          this.uts = savedUts;
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
          // the nested line reads what this command was given (`echo hi | ip netns exec a nc ...`)
          const stdin = io.stdin !== '' ? { stdin: io.stdin } : {};
          const r = await ctx.exec(merged ? line : `: ${SEPARATE_MARK}\n${line}`, { cwd: ctx.cwd, env: sys.tty ? {} : { [NOTTY_VAR]: '1' }, ...stdin });
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
    // (a world given a cluster since the session started, by a setup step, gets the layer now)
    await prepareWorld(this.world);
    kubernetesLoaded()?.syncCluster(this.world);
    // an interactive line: history expansion, echoed as bash echoes it; a failed one runs nothing and keeps $?
    let echo = '';
    if (opts.interactive && !opts.fresh) {
      const x = expandHistory(line, this.hist);
      if (!x.ok) return { output: x.error, exitCode: Number(this.vars['?'] ?? 0) || 0 };
      if (x.changed) {
        line = x.line;
        echo = line + '\n';
        opts.onOutput?.(echo);
        if (x.printOnly) {
          this.addHistory(line);
          return { output: echo, exitCode: Number(this.vars['?'] ?? 0) || 0 };
        }
      }
    }
    if (!opts.noHistory && !opts.fresh && line.trim() !== '') this.addHistory(entryFor(line));
    if (echo) {
      const r = await this.runLine(line, opts);
      return { output: echo + r.output, exitCode: r.exitCode };
    }
    return this.runLine(line, opts);
  }

  private addHistory(entry: string): void {
    addEntry(this.hist, entry, histSize(this.vars));
    this.histFile.push(entry);
    if (this.histFile.length > HISTFILESIZE) this.histFile.splice(0, this.histFile.length - HISTFILESIZE);
  }

  private async runLine(line: string, opts: RunOptions): Promise<RunResult> {
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
    this.tty = opts.tty ?? null;
    this.streamable = isSingleCommand(line);
    if (opts.columns && opts.columns > 0) this.columns = opts.columns;
    if (opts.rows && opts.rows > 0) this.rows = opts.rows;
    // the terminal's size, as bash (checkwinsize) sets it after every command
    const env: Record<string, string> = opts.fresh ? { ...BASE_ENV } : { ...BASE_ENV, ...this.vars, COLUMNS: String(this.columns), LINES: String(this.rows) };
    let result;
    this.fs.redirects.length = 0;
    // code the shell loads just after its start that a line may need (src/commands/prefetch.ts): here before it runs
    const core = beforeLine();
    if (core) await core;
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
      this.tty = null;
      this.streamable = false;
      this.nsStack = [];
      this.uts = undefined;
    }
    // `set -x` traces the session's own words (markers, the redirection helper): bash would not show them
    const hidden = (t: string) => (t.includes('NETLAB_') || t.includes(REDIR_CMD) ? t.replace(/^\++ (?:NETLAB_[A-Z]+=[^\n]*|__netlab_redir [^\n]*)\n/gm, '') : t);
    // Ctrl-C: the program's own last words (ping's statistics) and nothing from the shell (the terminal echoed ^C)
    const stderr = opts.signal?.aborted ? result.stderr.replace(/^bash: execution aborted\n?/m, '') : result.stderr;
    const output = hidden(result.stdout) + hidden(stderr);
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

  /** bash's `help` (without arguments: `help NAME` stays just-bash's builtin): the builtins, and the tools of this host */
  private async help(ctx: { env: Map<string, string> }): Promise<{ stdout: string; stderr: string; exitCode: number }> {
    const columns = Number(ctx.env.get('COLUMNS')) || this.columns;
    const tools = [...netCommands.map((c) => c.name), ...fullScreenCommands(() => null, this.fs).map((c) => c.name)];
    return { stdout: helpText(columns, tools), stderr: '', exitCode: 0 };
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
    names.delete(HELP_CMD);
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
      // a tool loaded on first use (kubectl) completes once its code is there
      const completer = effective.length ? await prepareCompleter(effective[0]!) : undefined;
      if (completer) {
        let ns = sys.ns;
        if (execNs !== null) {
          const id = own(this.world.host(this.host).netns, execNs);
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


/** Shell builtins (not registered as commands in just-bash), for completion. */
const SHELL_BUILTINS = ['alias', 'cd', 'exit', 'export', 'history', 'read', 'source', 'test', 'type', 'unalias', 'unset', 'shopt', 'set', 'local', 'declare'];
