// The contract between the shell session and the command modules.
//
// A command module exports a `NetCommand`. The session registers it with
// just-bash (as a custom command) and, at each call, hands it a `Sys`: the
// simulated machine as seen from where the command runs (host and network
// namespace). `ip netns exec NAME cmd` runs `cmd` with `sys.withNs()`, so
// everything below it - including `bash -c`, pipelines and nested
// `ip netns exec` - sees the other namespace.
import type { World } from '../sim/world';
import type { HostId, NsId } from '../sim/types';

export interface CmdResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /**
   * The same output as `stdout` and `stderr`, in the order it was written
   * (fd 1 or 2, text). Optional: a command that prints to stderr before or
   * between its stdout lines (a warning, then the answer) sets it, through
   * `ordered()`. Where the command's stdout and stderr go to the same place
   * (the terminal, `2>&1`, `&>file`) the shell writes the chunks in this
   * order; elsewhere the two streams stay apart and keep their redirections.
   */
  chunks?: Array<[1 | 2, string]>;
}

export interface CmdIO {
  /** standard input, decoded as UTF-8 */
  stdin: string;
  /** the shell's current directory */
  cwd: string;
  /** the shell's environment */
  env: Record<string, string>;
  /** run a shell command line (in the current namespace context); used by `ip netns exec`, `bash -c` and `watch` */
  exec(commandLine: string): Promise<CmdResult>;
  /** aborted when the learner presses Ctrl-C (ping without -c watches this) */
  signal: AbortSignal | null;
  /** write output as it is produced (ping prints line by line); optional: without it commands return everything at the end */
  progress?: (chunk: string) => void;
  /** the shell's own command of the same name, when this one overrides it (ls wraps just-bash's ls) */
  orig?: (args: string[]) => Promise<CmdResult>;
}

export interface Sys {
  world: World;
  host: HostId;
  /** the network namespace the command runs in */
  ns: NsId;
  /** is stdout a terminal (ss and ip -c change their output); false inside a pipeline */
  tty: boolean;
  /** terminal width (80 in the corpus) */
  columns: number;
  /** run `fn` with the current namespace switched to `ns` (ip netns exec); with `uts`, in a UTS namespace of that host name too (a pod's, kubectl exec) */
  withNs<T>(ns: NsId, fn: () => Promise<T>, uts?: string): Promise<T>;
  /** the host name of the UTS namespace the command runs in, when it is not the host's (a pod's: kubectl exec) */
  uts?: string;
  /** read a file of the host as the current namespace sees it (honours /etc/netns/NAME overrides); null if missing */
  readFile(path: string): string | null;
  /** write a file of the host */
  writeFile(path: string, content: string): void;
  /** run `fn` on another host of the world (ssh HOST command) */
  onHost<T>(host: HostId, fn: () => Promise<T>): Promise<T>;
  /** log the terminal into another host when the current line ends (interactive ssh) */
  login(host: HostId): void;
}

/** What a completer is given: the words of the simple command under the cursor. */
export interface CompletionContext {
  /** words before the one being completed (words[0] is the command) */
  words: string[];
  /** the partial word under the cursor */
  current: string;
  sys: Sys;
}

/** Tab completion of a tool's arguments: candidate words (full words; the shell filters by prefix). */
export type Completer = (ctx: CompletionContext) => string[];

/** The session a setup directive runs in (src/shell/session.ts Session satisfies it). */
export interface SetupSession {
  readonly world: World;
  /** the host the setup line runs on */
  readonly host: HostId;
  /** run a shell line (output discarded by the caller) */
  run(line: string, opts?: { fresh?: boolean; noHistory?: boolean }): Promise<{ output: string; exitCode: number }>;
}

/**
 * A setup line `@NAME ARGS...` (the fidelity corpus's vocabulary, scenario
 * setup): state that exists before the learner starts typing. `args` are the
 * words after NAME, `rest` the raw text. Throws on failure.
 */
export type SetupDirective = (session: SetupSession, args: string[], rest: string) => void | Promise<void>;

/** Dynamic files below a path prefix (/proc/sys, /proc/net), computed from the kernel; the shell's filesystem asks them before the stored files. */
export interface ProcProvider {
  /** Text of the file at `path`, or null if no such file. */
  read(sys: Sys, path: string): string | null;
  /** Write to the file (e.g. `echo 1 > /proc/sys/net/ipv4/ip_forward`). Throws a KernelError on failure. */
  write?(sys: Sys, path: string, content: string): void;
  /** Entries of the directory at `path` (names), or null if it is not a directory of this provider. */
  list(sys: Sys, path: string): string[] | null;
  /** Type and mode of `path`, or null if there is no such file; optional (without it: a file if read() answers, a directory if list() does). */
  stat?(sys: Sys, path: string): { type: 'file' | 'dir'; mode: number } | null;
}

/**
 * One tool, declared once: the shell reads every part from the registry
 * (src/commands/index.ts); nothing registers itself by import.
 */
export interface NetCommand {
  name: string;
  run(args: string[], io: CmdIO, sys: Sys): Promise<CmdResult>;
  /** Tab completion of its arguments */
  complete?: Completer;
  /**
   * Load what `complete` needs (a tool loaded on first use, or a completer that is a chunk of its own): the
   * session awaits it before it asks `complete` (src/shell/completion.ts prepareCompleter).
   */
  prepare?(): Promise<unknown>;
  /** other program names whose arguments `complete` also completes (iptables-legacy, iptables-nft) */
  completes?: string[];
  /** the setup directives (`@NAME ...`) this tool owns, by NAME */
  setupDirectives?: Record<string, SetupDirective>;
  /** the dynamic files it serves, by path prefix (the longest prefix wins) */
  procFiles?: Record<string, ProcProvider>;
}

export const ok = (stdout = ''): CmdResult => ({ stdout, stderr: '', exitCode: 0 });
export const fail = (stderr: string, exitCode = 1, stdout = ''): CmdResult => ({ stdout, stderr, exitCode });

/** A result from output written in order: `ordered([[2, 'warning\n'], [1, 'answer\n']], 0)`. */
export function ordered(chunks: Array<[1 | 2, string]>, exitCode: number): CmdResult {
  const kept = chunks.filter(([, t]) => t !== '');
  let stdout = '';
  let stderr = '';
  for (const [fd, t] of kept) {
    if (fd === 1) stdout += t;
    else stderr += t;
  }
  return { stdout, stderr, exitCode, chunks: kept };
}
