// The Web Worker hosting the learner's shell session. just-bash runs
// synchronously between awaits, so a long command would freeze the page if
// it ran there; here it only blocks this worker. Ctrl-C aborts the running
// command through its AbortSignal; when a command does not stop in time, the
// page terminates this worker and starts a new one from the last snapshot
// (src/components/terminal/client.ts).
import { Session } from './session';
import { pending } from './continuation';
import { TtyQueue, type ProgramHost } from './tty';
import type { Save } from './program-start';
import { onSlowChunk } from './chunks';
import { prefetchAll } from '../commands/prefetch';
import type { SessionSnapshot } from './session';
import { snapshotJson } from './snapshot-text';
import type { ScenarioDef } from './scenario-builder';
import type { BrowserLimits, FromWorker, ToWorker } from './worker-protocol';
import { lastExchange, traceStart, traceStop, type TraceStep } from '../sim/trace';
import type { MapLayout } from './map-view';

/**
 * just-bash limits fit for a browser tab: a runaway loop ends by itself
 * quickly with just-bash's own message, long before the learner reaches for
 * Ctrl-C.
 */
export const BROWSER_LIMITS: BrowserLimits = {
  maxExecutionTimeMs: 10_000,
  // `while true; do :; done` stops after ~50 ms
  maxCommandCount: 5_000,
  maxLoopIterations: 10_000,
  maxCallDepth: 100,
  maxOutputSize: 4 * 1024 * 1024,
};

/**
 * just-bash's limit messages end with advice for the embedding program
 * ("increase executionLimits.maxCommandCount"), meaningless to a learner:
 * keep the first part ("bash: too many commands executed (>5000)").
 */
export function explainLimits(output: string): string {
  return output.replace(/, increase executionLimits\.\w+/g, '');
}

/**
 * What Undo restores: everything but the history, the last exit status and
 * the world's clock (on the real clock, simulated time moves before every
 * line: `ip link` must not count as a change). The world's part is its count
 * of snapshots that changed more than the clock (World.changes: the world
 * compares what it encoded again, not megabytes of text); this is the shell's.
 */
export function shellKey(s: SessionSnapshot): string {
  const { '?': _status, ...env } = s.env;
  return JSON.stringify([s.cwd, env, s.functions, s.host, s.logins ?? []]);
}

/** the snapshot and its saved text (snapshotJson: the world as an object), encoded here rather than on the page (store.ts keeps it for every save) */
function saved(session: Session): { snapshot: SessionSnapshot; snapshotText: string; key: string } {
  const snapshot = session.snapshot();
  const snapshotText = snapshotJson(snapshot);
  return { snapshot, snapshotText, key: `${session.world.changes}\n${shellKey(snapshot)}` };
}

interface Port {
  postMessage(msg: FromWorker): void;
}

/** The starting state of a scenario built ahead of time (null: build it here). */
export type InitialLoader = (scenario: string) => Promise<SessionSnapshot | null>;

/**
 * Where a terminal's starting state comes from. The shell knows no scenario:
 * the worker's entry (src/components/engine/engine-worker.ts) hands in the
 * course's definitions and the loader of their prebuilt states.
 */
export interface ScenarioSource {
  /** the definition of a scenario by name (throws on an unknown name) */
  define(name: string): ScenarioDef | Promise<ScenarioDef>;
  /** its starting state built ahead of time, if any */
  prebuilt?: InitialLoader;
}

/**
 * The network map's side of the worker: the last command line's packet exchange (recorded by the same
 * engine runs that printed its output) and the layout kept from one view to the next (map-view, with
 * dagre, is a lazy chunk: loaded on the first map request).
 */
class MapState {
  steps: TraceStep[] = [];
  private layout: MapLayout | null = null;

  /** run a command line, recording its packets (every recorder open gets every step: `netlab trace` inside keeps its own) */
  async record<T>(run: () => Promise<T>): Promise<T> {
    const rec = traceStart();
    try {
      return await run();
    } finally {
      traceStop(rec);
      this.steps = lastExchange(rec.steps);
    }
  }

  async answer(port: Port, session: Session | null, id: number): Promise<void> {
    if (!session) return port.postMessage({ t: 'map', id, view: null });
    const { MapLayout } = await import('./map-view');
    this.layout ??= new MapLayout();
    port.postMessage({ t: 'map', id, view: this.layout.view(session.world, this.steps) });
  }
}

/** Code loaded on first use that keeps the running command (or the start: id 0) waiting: say so on one line ('loading jq…'), then clear it. */
function noticeSlowChunks(port: Port, runningId: () => number | undefined): void {
  onSlowChunk((name, done) => {
    const id = runningId();
    if (id === undefined) return;
    port.postMessage({ t: 'notice', id, text: `loading ${name}…` });
    const clear = () => port.postMessage({ t: 'notice', id, text: '' });
    done.then(clear, clear);
  });
}

/** the prebuilt start's text as the page fetched it (null: none, or not JSON) */
function parsePrebuilt(text: string | null): SessionSnapshot | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as SessionSnapshot;
  } catch {
    return null;
  }
}

/** An init's session: the save it brings, else the scenario's prebuilt start, else the scenario built here. */
async function startSession(msg: Extract<ToWorker, { t: 'init' }>, source: ScenarioSource, limits: BrowserLimits): Promise<Session> {
  // (a save from the browser's storage is checked before use: untrusted; the prebuilt start is the build's own)
  let snapshot = msg.snapshot;
  const untrusted = !!snapshot;
  if (!snapshot && (msg.prebuilt !== undefined || source.prebuilt)) {
    // the scenario's start, prebuilt at build time (for its default host): fetched by the page, else here
    const pre = msg.prebuilt !== undefined ? parsePrebuilt(msg.prebuilt) : await source.prebuilt!(msg.scenario).catch(() => null);
    if (pre && pre.version === 1 && pre.scenario === msg.scenario && (msg.host === undefined || pre.host === msg.host)) snapshot = pre;
  }
  return snapshot
    ? await Session.restore(snapshot, { columns: msg.columns, limits, clock: 'real', untrusted })
    : await Session.create({ scenario: await source.define(msg.scenario), host: msg.host, columns: msg.columns, limits, clock: 'real' });
}

/**
 * Full-screen programs the page runs itself (run messages with `programs`): the command hands its program
 * to the page and waits for its exit; the page's file writes come back as 'program-save'.
 */
class HostedPrograms {
  private readonly running = new Map<number, { save: Save; exit: (code: number) => void }>();
  constructor(private readonly port: Port) {}

  /** the host of run `id`'s terminal; a stopped run (Ctrl-C, the page gone) ends its program with 130 */
  hostFor(id: number, signal: AbortSignal): ProgramHost {
    return {
      run: (program, save) =>
        new Promise<number>((resolve) => {
          const exit = (code: number) => {
            if (this.running.get(id)?.exit !== exit) return;
            this.running.delete(id);
            resolve(code);
          };
          this.running.set(id, { save, exit });
          signal.addEventListener('abort', () => exit(130), { once: true });
          this.port.postMessage({ t: 'program', id, program });
        }),
    };
  }

  /** a program message: handled (true), else not one */
  receive(msg: ToWorker): boolean {
    if (msg.t === 'program-exit') this.running.get(msg.id)?.exit(msg.code);
    else if (msg.t === 'program-save') {
      const { id, seq } = msg;
      const save = this.running.get(id)?.save;
      const failed = { error: 'EIO', existed: false };
      void (save ? save(msg.req).catch(() => failed) : Promise.resolve(failed)).then((res) => this.port.postMessage({ t: 'program-saved', id, seq, res }));
    } else return false;
    return true;
  }
}

/** Tab's candidates for LINE with the cursor at CURSOR, and where the word they replace starts (none without a session) */
async function completion(session: Session | null, line: string, cursor: number): Promise<{ from: number; candidates: string[] }> {
  if (!session) return { from: cursor, candidates: [] };
  try {
    const { from, candidates } = await session.complete(line, cursor);
    return { from, candidates };
  } catch {
    return { from: cursor, candidates: [] };
  }
}

/** The message handler, separate from the worker global so that it can be unit-tested. */
export function createHandler(port: Port, source: ScenarioSource, limits: BrowserLimits = BROWSER_LIMITS): (msg: ToWorker) => Promise<void> {
  let session: Session | null = null;
  let running: { id: number; abort: AbortController; tty: TtyQueue } | null = null;
  let lastKey = ''; // the Undo-relevant state after the last message, computed after answering (off the Enter-to-output path)
  // Messages are handled one at a time, in order (an init waits for the run before it).
  let queue: Promise<void> = Promise.resolve();
  const map = new MapState();
  let starting = false;
  // the messages of a run: through the page's BroadcastChannel when it gave one (see ToWorker 'init'), else `port`
  let channel: Port | null = null;
  const runs: Port = { postMessage: (m) => (channel ?? port).postMessage(m) };
  const programs = new HostedPrograms(runs);
  noticeSlowChunks({ postMessage: (m) => (m.t === 'notice' && m.id !== 0 ? runs : port).postMessage(m) }, () => running?.id ?? (starting ? 0 : undefined));

  const handle = async (msg: ToWorker): Promise<void> => {
    switch (msg.t) {
      case 'init': {
        if (msg.channel && typeof BroadcastChannel === 'function') channel = new BroadcastChannel(msg.channel) as Port;
        starting = true;
        try {
          session = await startSession(msg, source, limits);
        } catch (e) {
          session = null;
          port.postMessage({ t: 'init-error', message: e instanceof Error ? e.message : String(e) });
          return;
        } finally {
          starting = false;
        }
        const { snapshot, snapshotText, key } = saved(session);
        port.postMessage({ t: 'ready', prompt: session.prompt(), history: [...session.history], snapshot, snapshotText });
        lastKey = key;
        // the tools lessons type first and the shell's deferred code: fetched now, while the learner types
        prefetchAll();
        return;
      }
      case 'run': {
        if (!session) return;
        if (pending(msg.line) !== null) {
          runs.postMessage({ t: 'more', id: msg.id });
          return;
        }
        const abort = new AbortController();
        const tty = new TtyQueue(msg.rows ?? 24, msg.columns ?? session.columns, (data) => runs.postMessage({ t: 'tty', id: msg.id, data }));
        abort.signal.addEventListener('abort', () => tty.close());
        if (msg.programs) tty.host = programs.hostFor(msg.id, abort.signal);
        running = { id: msg.id, abort, tty };
        let streamed = '';
        let exitCode: number;
        let output: string;
        try {
          const r = await map.record(() => session!.run(msg.line, {
            interactive: true,
            columns: msg.columns,
            rows: msg.rows,
            tty,
            signal: abort.signal,
            onOutput: (chunk) => {
              streamed += chunk;
              runs.postMessage({ t: 'output', id: msg.id, chunk });
            },
          }));
          exitCode = r.exitCode;
          // the result may or may not repeat what was streamed: send only the rest
          output = streamed && r.output.startsWith(streamed) ? r.output.slice(streamed.length) : r.output;
          output = explainLimits(output);
        } catch (e) {
          exitCode = 1;
          output = `bash: ${e instanceof Error ? e.message : String(e)}\n`;
        } finally {
          tty.close();
          running = null;
        }
        if (abort.signal.aborted) exitCode = 130;
        if (output) runs.postMessage({ t: 'output', id: msg.id, chunk: output });
        const { snapshot, snapshotText, key } = saved(session);
        runs.postMessage({
          t: 'done',
          id: msg.id,
          exitCode,
          prompt: session.prompt(),
          history: [...session.history],
          snapshot,
          snapshotText,
          changed: key !== lastKey,
        });
        lastKey = key;
        return;
      }
      case 'complete':
        port.postMessage({ t: 'completion', id: msg.id, ...(await completion(session, msg.line, msg.cursor)) });
        return;
      case 'map': return map.answer(port, session, msg.id);
      default: return;
    }
  };

  return (msg: ToWorker) => {
    // Ctrl-C must not wait behind the command it interrupts
    if (msg.t === 'interrupt') {
      if (running && running.id === msg.id) running.abort.abort();
      return Promise.resolve();
    }
    // a program the page runs: its writes and its end are not behind the command waiting for them
    if (programs.receive(msg)) return Promise.resolve();
    // keys (and the terminal's size) for a full-screen program: not behind the command that reads them
    if (msg.t === 'input' || msg.t === 'resize') {
      if (running?.id === msg.id) msg.t === 'input' ? running.tty.push(msg.data) : running.tty.resize(msg.rows, msg.columns);
      return Promise.resolve();
    }
    queue = queue.then(() => handle(msg));
    return queue;
  };
}
