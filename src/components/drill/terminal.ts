// A drill's terminal: the site's terminal (src/components/Terminal.astro with
// `manual`, so that it does not start on click by itself), started by the
// drill page from the attempt's starting state. Reset goes back to that
// state (not to the bare scenario), and the page hears about every command
// through `onCommand` (background completion detection).
import type { SessionSnapshot } from '../../shell/session';
import { ShellClient, type ClientOptions, type WorkerLike } from '../terminal/client';
import { load } from '../terminal/store';
import { engineWorker } from '../engine/spawn';
import { storageKey } from '../terminal/keys';
import { RESET_LINE } from '../../shell/markers';

export class DrillClient extends ShellClient {
  constructor(
    opts: ClientOptions,
    private readonly initial: SessionSnapshot,
  ) {
    super(opts);
  }

  /** Back to the attempt's starting state (undoable, like the terminal's own Reset). */
  override async reset(): Promise<void> {
    if (this.busy) this.interrupt();
    const undo = this.snapshot ? [...this.undoStack, { line: RESET_LINE, snapshot: this.snapshot }] : this.undoStack;
    await this.start(this.initial, undo);
    this.onChange?.();
  }
}

export interface DrillTerminal {
  client: DrillClient;
  /** the current state (the starting state until the first command) */
  snapshot(): SessionSnapshot;
}

/** The storage key of an attempt's terminal (state kept across reloads, per attempt). */
export function attemptKey(path: string, attempt: string): string {
  return storageKey(path, attempt);
}

/**
 * The saved state of an attempt's terminal that is not mounted (an exam task
 * whose panel was not opened since a reload), or null when nothing was saved.
 * Graders use it so that work done before a reload counts.
 */
export function savedAttemptSnapshot(key: string, scenario: string): SessionSnapshot | null {
  return load(key, scenario)?.snapshot ?? null;
}

/**
 * Make a `<netlab-terminal data-manual>` element live, starting from the
 * saved state of this attempt if there is one, else from `start`.
 */
export async function mountDrillTerminal(
  el: HTMLElement,
  opts: { key: string; start: SessionSnapshot; label: string; onCommand?: (snap: SessionSnapshot) => void },
): Promise<DrillTerminal> {
  const [live] = await Promise.all([import('../terminal/live')]);
  const scenario = opts.start.scenario;
  const client = new DrillClient(
    {
      scenario,
      columns: 80,
      createWorker: () => engineWorker('netlab-shell') as WorkerLike,
    },
    opts.start,
  );
  const saved = load(opts.key, scenario);
  const started = client.start(saved?.snapshot ?? opts.start, saved?.undo ?? []);
  started.catch(() => {});
  el.dataset.key = opts.key;
  el.dataset.state = 'loading';
  live.mount(el, { key: opts.key, scenario, label: opts.label, client, started });
  client.onChange = () => {
    if (client.snapshot) opts.onCommand?.(client.snapshot);
  };
  await started;
  return { client, snapshot: () => client.snapshot ?? opts.start };
}
