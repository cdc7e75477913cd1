// The terminal as a full-screen program sees it while it runs: raw keys in,
// bytes out. The in-page terminal (through the worker), `npm run shell` and
// tests each provide one to Session.run (RunOptions.tty); a line run without
// one (a replay, a grader, a pipe) has no terminal, as under `ssh -T`.
import type { Program, Save } from './program-start';

/**
 * A terminal that runs full-screen programs itself, next to its keyboard (the in-page terminal): the
 * program's loop (./programs.ts) runs there, and asks the shell only to write files (`save`). Resolves
 * with the program's exit status.
 */
export interface ProgramHost {
  run(program: Program, save: Save): Promise<number>;
}

export interface Tty {
  rows: number;
  columns: number;
  /** bytes to the terminal (escape sequences included) */
  write(data: string): void;
  /** the next keys typed (or pasted), '' after a resize (rows/columns changed); null when the line was interrupted or the terminal went away */
  read(): Promise<string | null>;
  /** runs full-screen programs where the keys are (absent: they run here, on this Tty) */
  host?: ProgramHost;
}

/** A Tty fed from a queue: `push()` input, `close()` to end; what is written goes to `onWrite`. */
export class TtyQueue implements Tty {
  private queue: string[] = [];
  private waiter: ((s: string | null) => void) | null = null;
  private closed = false;
  host?: ProgramHost;
  constructor(
    public rows: number,
    public columns: number,
    private readonly onWrite: (data: string) => void,
  ) {}
  write(data: string): void {
    this.onWrite(data);
  }
  push(data: string): void {
    if (this.closed) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w(data);
    } else this.queue.push(data);
  }
  close(): void {
    this.closed = true;
    this.waiter?.(null);
    this.waiter = null;
  }
  /** The terminal's new size (SIGWINCH): the program waiting for keys wakes up with none and redraws. */
  resize(rows: number, columns: number): void {
    if (this.closed || (rows === this.rows && columns === this.columns)) return;
    this.rows = rows;
    this.columns = columns;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w('');
    }
  }
  read(): Promise<string | null> {
    if (this.queue.length) return Promise.resolve(this.queue.splice(0).join(''));
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => (this.waiter = resolve));
  }
}
