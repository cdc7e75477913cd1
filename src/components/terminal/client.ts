// The page's side of the shell worker: starts it, runs lines, asks for
// completions, and keeps the states needed for Ctrl-C, Undo and Reset.
//
// Ctrl-C first asks the worker to abort the command (its AbortSignal). If the
// worker does not answer within `interruptGraceMs` (a command that never
// yields), the worker is terminated and a new one is started from the state
// before the command: the page never waits on a runaway command.
import type { SessionSnapshot } from '../../shell/session';
import type { FromWorker, ToWorker } from '../../shell/worker-protocol';
import type { MapView } from '../../shell/map-view';
import { RESET_LINE } from '../../shell/markers';
import { rememberText } from './encoded';
import type { Program, SaveRequest, SaveResult } from '../../shell/program-start';

export interface WorkerLike {
  postMessage(msg: ToWorker): void;
  terminate(): void;
  onmessage: ((ev: MessageEvent<FromWorker>) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
}

export interface ClientOptions {
  scenario: string;
  /** the scenario's host the shell runs on (default: the scenario's default host) */
  host?: string;
  columns: number;
  createWorker: () => WorkerLike;
  /** how long Ctrl-C waits for the command to stop before terminating the worker */
  interruptGraceMs?: number;
  /** undo steps kept */
  maxUndo?: number;
  /**
   * the scenario's prebuilt starting state as JSON text (null: none), fetched by the page in parallel with the
   * worker's code; without it the worker fetches the state itself once its code has run
   */
  prebuilt?: () => Promise<string | null>;
  /** false: the worker's runs answer as its own messages, not through a BroadcastChannel (ToWorker 'init') */
  runChannel?: boolean;
}

export interface UndoStep {
  /** the command line that moved away from this state */
  line: string;
  snapshot: SessionSnapshot;
}

export interface RunOutcome {
  exitCode: number;
  /** stopped by Ctrl-C */
  interrupted: boolean;
  /** the worker had to be terminated: the command's effects are lost */
  restarted: boolean;
  /** not a whole command yet: nothing ran, the next line continues it (PS2) */
  incomplete?: boolean;
}

interface Pending {
  id: number;
  line: string;
  before: SessionSnapshot;
  onOutput: (chunk: string) => void;
  onTty?: (data: string) => void;
  onProgram?: (program: Program) => void;
  resolve: (r: RunOutcome) => void;
  interrupted: boolean;
  timer: ReturnType<typeof setTimeout> | null;
}

export class ShellClient {
  prompt = '';
  history: string[] = [];
  snapshot: SessionSnapshot | null = null;
  undoStack: UndoStep[] = [];
  /** why the saved state given to start() could not be restored (the shell started fresh instead), or null */
  restoreError: string | null = null;
  /** called after each change of state (command done, undo, reset) */
  onChange: (() => void) | null = null;
  /** more listeners of the same changes (the map panel) */
  readonly changeListeners = new Set<() => void>();

  private emitChange(): void {
    this.onChange?.();
    for (const f of this.changeListeners) f();
  }
  /** a one-line status while a command waits for code loaded on first use ('' clears it) */
  onNotice: ((text: string) => void) | null = null;

  private readonly opts: Required<Omit<ClientOptions, 'host' | 'prebuilt'>> & Pick<ClientOptions, 'host' | 'prebuilt'>;
  private worker: WorkerLike | null = null;
  private ready: Promise<void> = Promise.resolve();
  private readyResolve: (() => void) | null = null;
  private readyReject: ((e: Error) => void) | null = null;
  private nextId = 1;
  private pending: Pending | null = null;
  private completions = new Map<number, (r: { from: number; candidates: string[] }) => void>();
  private maps = new Map<number, (v: MapView | null) => void>();
  /** file writes of a program the page runs, waiting for the worker's answer */
  private saves = new Map<number, (r: SaveResult) => void>();

  constructor(opts: ClientOptions) {
    this.opts = { interruptGraceMs: 120, maxUndo: 50, runChannel: true, ...opts };
  }

  get busy(): boolean {
    return this.pending !== null;
  }

  /** Start from a saved state, or from the scenario's starting state when none (or when it cannot be restored). */
  async start(saved: SessionSnapshot | null, undo: UndoStep[] = []): Promise<void> {
    this.undoStack = undo.slice(-this.opts.maxUndo);
    this.restoreError = null;
    try {
      await this.boot(saved);
    } catch (e) {
      if (!saved) throw e;
      // the shell refused the save (src/shell/snapshot-schema.ts): a fresh start, and the page says why
      this.restoreError = e instanceof Error ? e.message : String(e);
      this.undoStack = [];
      await this.boot(null);
    }
  }

  /**
   * Run one line; output chunks go to `onOutput` as they come. A full-screen
   * program's screen goes to `tty.onTty`; keys for it are sent with `input()`.
   * With `tty.onProgram`, the page runs full-screen programs itself: the
   * program comes to `onProgram`, which saves files with `programSave()` and
   * ends with `programExit()`.
   */
  async run(
    line: string,
    onOutput: (chunk: string) => void,
    tty?: { rows: number; columns: number; onTty: (data: string) => void; onProgram?: (program: Program) => void },
  ): Promise<RunOutcome> {
    await this.ready;
    const before = this.snapshot!;
    const id = this.nextId++;
    return new Promise<RunOutcome>((resolve) => {
      this.pending = { id, line, before, onOutput, onTty: tty?.onTty, onProgram: tty?.onProgram, resolve, interrupted: false, timer: null };
      this.post({ t: 'run', id, line, ...(tty ? { rows: tty.rows, columns: tty.columns, programs: !!tty.onProgram } : {}) });
    });
  }

  /** A file write of the program the page runs for the running command (an error when it no longer runs). */
  programSave(req: SaveRequest): Promise<SaveResult> {
    const p = this.pending;
    if (!p) return Promise.resolve({ error: 'EIO', existed: false });
    const seq = this.nextId++;
    return new Promise((resolve) => {
      this.saves.set(seq, resolve);
      this.post({ t: 'program-save', id: p.id, seq, req });
    });
  }

  /** The program the page ran for the running command ended. */
  programExit(code: number): void {
    const p = this.pending;
    if (p) this.post({ t: 'program-exit', id: p.id, code });
  }

  /** the running command ended (or its worker went away): its program's writes in flight fail */
  private dropSaves(): void {
    for (const r of this.saves.values()) r({ error: 'EIO', existed: false });
    this.saves.clear();
  }

  /** The terminal's new size, while a full-screen program runs. */
  resize(rows: number, columns: number): void {
    const p = this.pending;
    if (p) this.post({ t: 'resize', id: p.id, rows, columns });
  }

  /** Keys typed while a full-screen program runs (the terminal is raw). */
  input(data: string): void {
    const p = this.pending;
    if (p) this.post({ t: 'input', id: p.id, data });
  }

  /** The network map of the current state, with the last command's packet exchange (computed in the worker). */
  async map(): Promise<MapView | null> {
    await this.ready;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.maps.set(id, resolve);
      this.post({ t: 'map', id });
    });
  }

  async complete(line: string, cursor: number): Promise<{ from: number; candidates: string[] }> {
    await this.ready;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.completions.set(id, resolve);
      this.post({ t: 'complete', id, line, cursor });
    });
  }

  /** Ctrl-C */
  interrupt(): void {
    const p = this.pending;
    if (!p || p.interrupted) return;
    p.interrupted = true;
    this.post({ t: 'interrupt', id: p.id });
    p.timer = setTimeout(() => {
      if (this.pending === p) this.killRunning();
    }, this.opts.interruptGraceMs);
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  /** Back to the state before the last command; returns that command line, or null when there is nothing to undo. */
  async undo(): Promise<string | null> {
    const step = this.undoStack.pop();
    if (!step) return null;
    if (this.pending) this.killRunning();
    // the state goes back; the history stays (as in a real shell, commands typed remain typed)
    const history = this.snapshot?.history ?? step.snapshot.history;
    await this.boot({ ...step.snapshot, history });
    this.emitChange();
    return step.line;
  }

  /** Back to the scenario's starting state (undoable). */
  async reset(): Promise<void> {
    if (this.pending) this.killRunning();
    if (this.snapshot) this.pushUndo({ line: RESET_LINE, snapshot: this.snapshot });
    await this.boot(null);
    this.emitChange();
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.channel?.close();
    this.channel = null;
  }

  // --- internals ---------------------------------------------------------

  private pushUndo(step: UndoStep): void {
    this.undoStack.push(step);
    if (this.undoStack.length > this.opts.maxUndo) this.undoStack.splice(0, this.undoStack.length - this.opts.maxUndo);
  }

  /** the BroadcastChannel the current worker sends its runs' messages through (ToWorker 'init'), if any */
  private channel: BroadcastChannel | null = null;

  private post(msg: ToWorker): void {
    this.worker?.postMessage(msg);
  }

  /** (re)start the worker with this state (null: the scenario's start) */
  private boot(snapshot: SessionSnapshot | null): Promise<void> {
    this.worker?.terminate();
    this.readyReject?.(new Error('restarted'));
    const w = this.opts.createWorker();
    this.worker = w;
    w.onmessage = (ev) => this.receive(w, ev.data);
    // a run's messages come through a channel of this worker's own (a terminated worker's are dropped with it)
    this.channel?.close();
    this.channel = null;
    let channel: string | undefined;
    if (typeof BroadcastChannel === 'function' && this.opts.runChannel !== false) {
      channel = `netlab-run-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
      const bc = new BroadcastChannel(channel);
      bc.onmessage = (ev: MessageEvent<FromWorker>) => this.receive(w, ev.data);
      this.channel = bc;
    }
    w.onerror = (ev) => {
      ev.preventDefault?.();
      if (this.worker !== w) return;
      if (this.readyReject) this.readyReject(new Error(ev.message || 'the shell failed to start'));
      else if (this.pending) this.killRunning();
    };
    this.ready = new Promise<void>((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    // nobody may be awaiting it yet: do not report it as unhandled
    this.ready.catch(() => {});
    const init = { t: 'init', scenario: this.opts.scenario, host: this.opts.host, snapshot, columns: this.opts.columns, channel } as const;
    if (snapshot || !this.opts.prebuilt) w.postMessage(init);
    else {
      // the worker loads its code meanwhile; it has nothing to do before its init
      void this.opts.prebuilt().then(
        (prebuilt) => this.worker === w && w.postMessage({ ...init, prebuilt }),
        () => this.worker === w && w.postMessage({ ...init, prebuilt: null }),
      );
    }
    return this.ready;
  }

  /** the command did not stop: drop the worker, start a new one from the state before the command */
  private killRunning(): void {
    const p = this.pending;
    if (!p) return;
    if (p.timer) clearTimeout(p.timer);
    this.pending = null;
    this.dropSaves();
    // the command was typed: it stays in the history, but its effects are lost
    const before = p.line.trim() ? { ...p.before, history: [...p.before.history, p.line] } : p.before;
    this.snapshot = before;
    void this.boot(before).catch(() => {});
    p.resolve({ exitCode: 130, interrupted: true, restarted: true });
  }

  private receive(w: WorkerLike, msg: FromWorker): void {
    if (w !== this.worker) return;
    switch (msg.t) {
      case 'ready':
        if (msg.snapshotText !== undefined) rememberText(msg.snapshot, msg.snapshotText);
        this.prompt = msg.prompt;
        this.history = msg.history;
        this.snapshot = msg.snapshot;
        this.readyReject = null;
        this.readyResolve?.();
        this.readyResolve = null;
        return;
      case 'init-error':
        this.readyResolve = null;
        this.readyReject?.(new Error(msg.message));
        this.readyReject = null;
        return;
      case 'output':
        if (this.pending?.id === msg.id) this.pending.onOutput(msg.chunk);
        return;
      case 'tty':
        if (this.pending?.id === msg.id) this.pending.onTty?.(msg.data);
        return;
      case 'program':
        if (this.pending?.id === msg.id) this.pending.onProgram?.(msg.program);
        return;
      case 'program-saved':
        this.saves.get(msg.seq)?.(msg.res);
        this.saves.delete(msg.seq);
        return;
      case 'done': {
        const p = this.pending;
        if (!p || p.id !== msg.id) return;
        if (p.timer) clearTimeout(p.timer);
        this.pending = null;
        if (msg.snapshotText !== undefined) rememberText(msg.snapshot, msg.snapshotText);
        this.dropSaves();
        this.prompt = msg.prompt;
        this.history = msg.history;
        this.snapshot = msg.snapshot;
        // Undo steps back over commands that changed something (not over `ip link show`)
        if (msg.changed) this.pushUndo({ line: p.line, snapshot: p.before });
        p.resolve({ exitCode: msg.exitCode, interrupted: p.interrupted, restarted: false });
        this.emitChange();
        return;
      }
      case 'more': {
        const p = this.pending;
        if (!p || p.id !== msg.id) return;
        if (p.timer) clearTimeout(p.timer);
        this.pending = null;
        p.resolve({ exitCode: 0, interrupted: p.interrupted, restarted: false, incomplete: true });
        return;
      }
      case 'map': {
        const r = this.maps.get(msg.id);
        this.maps.delete(msg.id);
        r?.(msg.view);
        return;
      }
      case 'notice':
        // id 0: the start waits for a chunk (a cluster scenario's Kubernetes layer); its '' may come after 'ready'
        if (this.pending?.id === msg.id || (msg.id === 0 && (this.readyResolve !== null || msg.text === ''))) this.onNotice?.(msg.text);
        return;
      case 'completion': {
        const r = this.completions.get(msg.id);
        this.completions.delete(msg.id);
        r?.({ from: msg.from, candidates: msg.candidates });
        return;
      }
    }
  }
}
