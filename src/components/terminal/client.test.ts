import { afterEach, describe, expect, it, vi } from 'vitest';
import { ShellClient, type WorkerLike } from './client';
import { createHandler } from '../../shell/worker';
import { getScenario } from '../../labs/scenarios/index';
import type { FromWorker, ToWorker } from '../../shell/worker-protocol';

/** A worker running the real handler in-process; `stuck` makes `run` never answer (a command that never yields). */
class FakeWorker implements WorkerLike {
  onmessage: ((ev: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  terminated = false;
  received: ToWorker[] = [];
  /** what came as the worker's own messages (not through the page's channel) */
  sent: FromWorker[] = [];
  private handle = createHandler(
    {
      postMessage: (m) => {
        this.sent.push(m);
        if (!this.terminated) queueMicrotask(() => this.onmessage?.({ data: m } as MessageEvent<FromWorker>));
      },
    },
    { define: getScenario },
  );
  constructor(private stuck: (line: string) => boolean = () => false) {}
  postMessage(msg: ToWorker): void {
    this.received.push(msg);
    if (msg.t === 'run' && this.stuck(msg.line)) return;
    void this.handle(msg);
  }
  terminate(): void {
    this.terminated = true;
  }
}

function client(stuck?: (line: string) => boolean) {
  const workers: FakeWorker[] = [];
  const c = new ShellClient({
    scenario: 'blank',
    columns: 80,
    createWorker: () => {
      const w = new FakeWorker(stuck);
      workers.push(w);
      return w;
    },
  });
  const run = async (line: string) => {
    let out = '';
    const r = await c.run(line, (chunk) => (out += chunk));
    return { ...r, out };
  };
  return { c, workers, run };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ShellClient', () => {
  it("names a BroadcastChannel in the init and takes a run's messages from it (Chromium does not hold them behind a key's frame)", async () => {
    const { c, workers, run } = client();
    await c.start(null, []);
    const init = workers[0]!.received[0] as Extract<ToWorker, { t: 'init' }>;
    expect(init.channel).toMatch(/^netlab-run-/);
    const r = await run('echo hi');
    expect(r).toMatchObject({ exitCode: 0, out: 'hi\n' });
    expect(c.prompt).toBe('root@controlplane:~# ');
    expect(workers[0]!.sent.filter((m) => m.t === 'output' || m.t === 'done')).toEqual([]);
    c.dispose();
  });

  it("posts the init with the prebuilt state the page fetched, once it is there; a save or Undo's state needs none", async () => {
    const { Session } = await import('../../shell/session');
    const built = (await Session.create({ scenario: getScenario('blank') })).snapshot();
    let arrive: (text: string | null) => void = () => {};
    const fetched = new Promise<string | null>((r) => (arrive = r));
    const workers: FakeWorker[] = [];
    let asked = 0;
    const c = new ShellClient({
      scenario: 'blank',
      columns: 80,
      createWorker: () => {
        const w = new FakeWorker();
        workers.push(w);
        return w;
      },
      prebuilt: () => (asked++, fetched),
    });
    const started = c.start(null);
    // the worker exists (its code loads) before the state is here; its init waits for the state
    expect(workers).toHaveLength(1);
    await Promise.resolve();
    expect(workers[0]!.received).toEqual([]);
    arrive(JSON.stringify({ ...built, cwd: '/tmp' }));
    await started;
    expect(workers[0]!.received[0]).toMatchObject({ t: 'init', snapshot: null, prebuilt: expect.stringContaining('"cwd":"/tmp"') });
    expect(c.prompt).toBe('root@controlplane:/tmp# ');
    // a command that changes something, then Undo: the init carries the state before it, and no prebuilt text
    let out = '';
    await c.run('cd /etc', (chunk) => (out += chunk));
    expect(await c.undo()).toBe('cd /etc');
    expect(workers[1]!.received[0]).toMatchObject({ t: 'init', snapshot: { cwd: '/tmp' } });
    expect(workers[1]!.received[0]).not.toHaveProperty('prebuilt');
    expect(asked).toBe(1);
  });

  it('runs a full-screen program in the page when asked: its keys never go to the worker, :wq saves through it', async () => {
    const { c, workers, run } = client();
    await c.start(null);
    const { runProgram } = await import('../../shell/programs');
    const { TtyQueue } = await import('../../shell/tty');
    let screen = '';
    const tty = new TtyQueue(24, 80, (d) => (screen += d));
    let ran: Promise<number> | null = null;
    const done = c.run('vi /tmp/p.txt', () => {}, {
      rows: 24,
      columns: 80,
      onTty: () => {
        throw new Error('a screen from the worker');
      },
      onProgram: (p) => {
        ran = runProgram(p, tty, (req) => c.programSave(req)).then((code) => {
          c.programExit(code);
          return code;
        });
      },
    });
    await vi.waitFor(() => expect(ran).not.toBeNull());
    tty.push('ihello\x1b:wq\r');
    expect(await ran).toBe(0);
    expect(await done).toMatchObject({ exitCode: 0, interrupted: false });
    expect(screen.startsWith('\x1b[?1049h')).toBe(true);
    expect(screen.endsWith('\x1b[?1049l')).toBe(true);
    expect(workers[0]!.received.filter((m) => m.t === 'input')).toEqual([]);
    expect((await run('cat /tmp/p.txt')).out).toBe('hello\n');
  });

  it('runs commands and tracks prompt and history', async () => {
    const { c, run } = client();
    await c.start(null);
    expect(c.prompt).toBe('root@controlplane:~# ');
    expect(await run('echo hello | wc -c')).toMatchObject({ out: '6\n', exitCode: 0, interrupted: false });
    await run('cd /tmp');
    expect(c.prompt).toBe('root@controlplane:/tmp# ');
    expect(c.history).toEqual(['echo hello | wc -c', 'cd /tmp']);
  });

  it('Undo goes back over the last command that changed something, keeping the history', async () => {
    const { c, run } = client();
    await c.start(null);
    await run('mkdir /tmp/a');
    await run('cd /tmp/a');
    await run('ls /'); // changes nothing: not an undo step
    expect(c.undoStack.map((s) => s.line)).toEqual(['mkdir /tmp/a', 'cd /tmp/a']);
    expect(await c.undo()).toBe('cd /tmp/a');
    expect(c.prompt).toBe('root@controlplane:~# ');
    expect(c.history).toEqual(['mkdir /tmp/a', 'cd /tmp/a', 'ls /']);
    expect((await run('ls -d /tmp/a')).out).toBe('/tmp/a\n');
    expect(await c.undo()).toBe('mkdir /tmp/a');
    expect((await run('ls -d /tmp/a')).exitCode).not.toBe(0);
    expect(await c.undo()).toBeNull();
  });

  it('Reset returns to the starting state, and can itself be undone', async () => {
    const { c, run } = client();
    await c.start(null);
    await run('cd /etc; export K=v');
    await c.reset();
    expect(c.prompt).toBe('root@controlplane:~# ');
    expect(c.history).toEqual([]);
    expect((await run('echo "[$K]"')).out).toBe('[]\n');
    await c.undo(); // the last step is... the reset (echo changed nothing)
    expect(c.prompt).toBe('root@controlplane:/etc# ');
    expect((await run('echo "[$K]"')).out).toBe('[v]\n');
  });

  it('starts from a saved state, and from scratch when the saved state is unusable', async () => {
    const a = client();
    await a.c.start(null);
    await a.run('cd /var');
    const b = client();
    await b.c.start(a.c.snapshot);
    expect(b.c.prompt).toBe('root@controlplane:/var# ');
    const bad = client();
    await bad.c.start({ ...a.c.snapshot!, world: 'garbage' }, [{ line: 'x', snapshot: a.c.snapshot! }]);
    expect(bad.c.prompt).toBe('root@controlplane:~# ');
    expect(bad.c.canUndo).toBe(false);
  });

  it('Ctrl-C on a command that never yields terminates the worker and restarts from the state before it', async () => {
    vi.useFakeTimers();
    const { c, workers, run } = client((line) => line.startsWith('spin'));
    await c.start(null);
    await run('cd /tmp');
    const pending = run('spin forever');
    await vi.advanceTimersByTimeAsync(0);
    expect(c.busy).toBe(true);
    c.interrupt();
    expect(workers[0]!.received.at(-1)).toMatchObject({ t: 'interrupt' });
    await vi.advanceTimersByTimeAsync(200);
    const r = await pending;
    expect(r).toMatchObject({ interrupted: true, restarted: true, exitCode: 130 });
    expect(workers[0]!.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    vi.useRealTimers();
    // the new worker has the state from before the command, and the command in the history
    expect((await run('pwd')).out).toBe('/tmp\n');
    expect(c.history).toEqual(['cd /tmp', 'spin forever', 'pwd']);
  });

  it('Ctrl-C on a command that stops in time does not restart the worker', async () => {
    const { c, workers, run } = client();
    await c.start(null);
    const pending = run('echo quick');
    c.interrupt();
    const r = await pending;
    expect(r.restarted).toBe(false);
    expect(workers).toHaveLength(1);
  });
});
