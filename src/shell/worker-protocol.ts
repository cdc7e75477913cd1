// Messages between the page (src/components/terminal/client.ts) and the Web
// Worker hosting the shell session (src/shell/worker.ts).
import type { SessionSnapshot } from './session';
import type { MapView } from './map-view';
import type { Program, SaveRequest, SaveResult } from './program-start';

export interface BrowserLimits {
  maxExecutionTimeMs?: number;
  maxCommandCount?: number;
  maxLoopIterations?: number;
  maxCallDepth?: number;
  maxOutputSize?: number;
}

export type ToWorker =
  /**
   * start a session: from a snapshot if given, else the scenario's starting state. `prebuilt`: that starting
   * state's JSON text as the page fetched it (in parallel with this worker's code: one round trip less on a slow
   * link), null when the page found none (build the scenario here); absent: the worker fetches it itself.
   * `channel`: a BroadcastChannel's name; the messages of a run (output, tty, program, notice, more, done) come
   * through it, in order, instead of as the worker's messages: Chromium holds a worker's messages to the page, but
   * not a BroadcastChannel's, until the frame left pending by a key press has been drawn (its scheduler's deferral
   * of tasks after discrete input), so the answer to Enter does not wait for the frame of the last key's echo
   * (README, Performance: Enter-to-output)
   */
  | { t: 'init'; scenario: string; host?: string; snapshot: SessionSnapshot | null; columns: number; prebuilt?: string | null; channel?: string }
  /**
   * `rows`/`columns`: the terminal's size, for full-screen programs (vi, nano). `programs`: the page runs
   * them itself ('program'), next to the keyboard; else they run here, their screen sent as 'tty'
   */
  | { t: 'run'; id: number; line: string; rows?: number; columns?: number; programs?: boolean }
  /** a program the page runs for run `id` asks for a file write (`seq` pairs it with its 'program-saved') */
  | { t: 'program-save'; id: number; seq: number; req: SaveRequest }
  /** the program the page ran for run `id` ended with this status */
  | { t: 'program-exit'; id: number; code: number }
  /** keys typed while a full-screen program of run `id` owns the terminal */
  | { t: 'input'; id: number; data: string }
  /** the terminal's new size while a full-screen program of run `id` owns it */
  | { t: 'resize'; id: number; rows: number; columns: number }
  | { t: 'complete'; id: number; line: string; cursor: number }
  /** Ctrl-C: abort the running command */
  | { t: 'interrupt'; id: number }
  /** the network map of the current state and the last command's packet exchange (sent while the Map panel is open) */
  | { t: 'map'; id: number };

export type FromWorker =
  /** `snapshotText`: JSON.stringify(snapshot), made in the worker so that the page's saves need not encode it */
  | { t: 'ready'; prompt: string; history: string[]; snapshot: SessionSnapshot; snapshotText?: string }
  | { t: 'init-error'; message: string }
  | { t: 'output'; id: number; chunk: string }
  /** bytes a full-screen program writes to the terminal (not part of the command's output); the terminal is raw until 'done' */
  | { t: 'tty'; id: number; data: string }
  /** run `id` starts a full-screen program: the page runs it (keys, screen) and answers 'program-exit' */
  | { t: 'program'; id: number; program: Program }
  | { t: 'program-saved'; id: number; seq: number; res: SaveResult }
  /** `changed`: the command changed the state Undo restores (world, cwd, variables, functions), not just the history */
  | { t: 'done'; id: number; exitCode: number; prompt: string; history: string[]; snapshot: SessionSnapshot; snapshotText?: string; changed: boolean }
  | { t: 'completion'; id: number; from: number; candidates: string[] }
  /** the line is not a whole command yet (an open heredoc, quote, loop...): nothing ran, the terminal shows PS2 */
  | { t: 'more'; id: number }
  /** the answer to 'map' (null: no session yet) */
  | { t: 'map'; id: number; view: MapView | null }
  /** a one-line status while run `id` waits for code loaded on first use ("loading jq…"); '' clears it. Not output. Id 0: the start (init) waits for it ("loading kubernetes…": a cluster scenario) */
  | { t: 'notice'; id: number; text: string };
