import { describe, expect, it, vi } from 'vitest';
import { BROWSER_LIMITS, createHandler, explainLimits, type InitialLoader } from './worker';
import { Session } from './session';
import { worldAsText } from './snapshot-text';
import type { FromWorker, ToWorker } from './worker-protocol';
import { getScenario } from '../labs/scenarios/index';
import { loadChunk, SLOW_CHUNK_MS } from './chunks';

function harness(loadInitial?: InitialLoader) {
  const got: FromWorker[] = [];
  const handle = createHandler({ postMessage: (m) => got.push(m) }, { define: getScenario, prebuilt: loadInitial }, BROWSER_LIMITS);
  const send = (m: ToWorker) => handle(m);
  const last = <T extends FromWorker['t']>(t: T) => [...got].reverse().find((m) => m.t === t) as Extract<FromWorker, { t: T }>;
  const outputOf = (id: number) =>
    got
      .filter((m): m is Extract<FromWorker, { t: 'output' }> => m.t === 'output' && m.id === id)
      .map((m) => m.chunk)
      .join('');
  return { got, send, last, outputOf };
}

describe('shell worker', () => {
  it('starts a session and answers with its prompt', async () => {
    const h = harness();
    await h.send({ t: 'init', scenario: 'blank', snapshot: null, columns: 80 });
    const ready = h.last('ready');
    expect(ready.prompt).toBe('root@controlplane:~# ');
    expect(ready.history).toEqual([]);
    expect(ready.snapshot.version).toBe(1);
  });

  it("with the page's channel, a run's messages come through it in order (the page's Enter answer), the rest as the worker's", async () => {
    const name = `worker-test-${Math.random()}`;
    const page = new BroadcastChannel(name);
    const viaChannel: FromWorker[] = [];
    page.onmessage = (ev: MessageEvent<FromWorker>) => viaChannel.push(ev.data);
    try {
      const h = harness();
      await h.send({ t: 'init', scenario: 'blank', snapshot: null, columns: 80, channel: name });
      await h.send({ t: 'run', id: 1, line: 'echo one; echo two >&2' });
      await h.send({ t: 'run', id: 2, line: 'for i in 1 2' });
      await h.send({ t: 'complete', id: 3, line: 'ech', cursor: 3 });
      await vi.waitFor(() => expect(viaChannel.map((m) => m.t)).toEqual(['output', 'done', 'more']));
      expect(viaChannel[0]).toEqual({ t: 'output', id: 1, chunk: 'one\ntwo\n' });
      expect(viaChannel[1]).toMatchObject({ t: 'done', id: 1, exitCode: 0 });
      // (and the start's notices, id 0: a chunk the start waits for)
      expect(h.got.filter((m) => m.t !== 'notice' || m.id !== 0).map((m) => m.t)).toEqual(['ready', 'completion']);
    } finally {
      page.close();
    }
  });

  it('a start kept waiting by a slow chunk says so (notice id 0: loading NAME…), then clears it', async () => {
    const got: FromWorker[] = [];
    const slowBuild = { ...getScenario('blank'), build: () => loadChunk('kubernetes', () => new Promise<void>((r) => setTimeout(r, SLOW_CHUNK_MS + 50))) };
    const handle = createHandler({ postMessage: (m) => got.push(m) }, { define: () => slowBuild }, BROWSER_LIMITS);
    await handle({ t: 'init', scenario: 'blank', snapshot: null, columns: 80 });
    await new Promise((r) => setTimeout(r, 0));
    expect(got.filter((m) => m.t === 'notice')).toEqual([{ t: 'notice', id: 0, text: 'loading kubernetes…' }, { t: 'notice', id: 0, text: '' }]);
    expect(got.some((m) => m.t === 'ready')).toBe(true);
  });

  it('answers a map request with the laid-out network and the last command line\'s packet exchange; boxes stay put', async () => {
    const h = harness();
    await h.send({ t: 'init', scenario: 'netns-lab-solved', snapshot: null, columns: 80 });
    await h.send({ t: 'run', id: 1, line: 'ip netns exec red ping -c1 192.168.15.3' });
    await h.send({ t: 'map', id: 2 });
    const v = h.last('map').view!;
    expect(h.last('map').id).toBe(2);
    expect(v.boxes.filter((b) => b.kind === 'netns').map((b) => b.label).sort()).toEqual(['blue', 'green', 'red', 'yellow']);
    expect(v.steps[0]).toMatchObject({ where: 'red', what: 'send' });
    expect(v.steps[v.steps.length - 1]).toMatchObject({ where: 'red', what: 'deliver' });
    const red = v.boxes.find((b) => b.label === 'red')!;
    expect(v.steps[0]!.ids).toEqual([red.id]);
    // a command that sends nothing leaves no exchange; a new namespace leaves every box where it was
    await h.send({ t: 'run', id: 3, line: 'ip netns add purple' });
    await h.send({ t: 'map', id: 4 });
    const w = h.last('map').view!;
    expect(w.steps).toEqual([]);
    for (const b of v.boxes) expect(w.boxes.find((x) => x.id === b.id)).toMatchObject({ x: b.x, y: b.y });
    const purple = w.boxes.find((b) => b.label === 'purple')!;
    for (const b of v.boxes) expect(purple.x >= b.x + b.w || purple.x + purple.w <= b.x || purple.y >= b.y + b.h || purple.y + purple.h <= b.y, b.label).toBe(true);
  });

  it('runs lines in order and carries the shell state between them', async () => {
    const h = harness();
    await h.send({ t: 'init', scenario: 'blank', snapshot: null, columns: 80 });
    await h.send({ t: 'run', id: 1, line: 'echo hello | wc -c' });
    expect(h.outputOf(1)).toBe('6\n');
    expect(h.last('done')).toMatchObject({ id: 1, exitCode: 0 });
    await h.send({ t: 'run', id: 2, line: 'cd /tmp; X=42' });
    await h.send({ t: 'run', id: 3, line: 'echo $X; pwd' });
    expect(h.outputOf(3)).toBe('42\n/tmp\n');
    const done = h.last('done');
    expect(done.prompt).toBe('root@controlplane:/tmp# ');
    expect(done.history).toEqual(['echo hello | wc -c', 'cd /tmp; X=42', 'echo $X; pwd']);
  });

  // the saved text: JSON of the snapshot with the world's text in it as an object (not quoted), read back by the store
  const asSnapshot = (text: string): unknown => worldAsText(JSON.parse(text));
  it('sends each snapshot with its saved text (the world as an object in it), which reads back as the snapshot', async () => {
    const h = harness();
    await h.send({ t: 'init', scenario: 'blank', snapshot: null, columns: 80 });
    expect(asSnapshot(h.last('ready').snapshotText!)).toEqual(h.last('ready').snapshot);
    expect(h.last('ready').snapshotText!.length).toBeLessThan(JSON.stringify(h.last('ready').snapshot).length);
    const lines = ['echo "world":0', 'ip netns add red', 'X=\'"world":0 \\" é 😀\'', 'ip netns add "a\\"b"', 'echo ok', 'hostname "q\\"x"', 'ip netns del red'];
    for (const [i, line] of lines.entries()) {
      await h.send({ t: 'run', id: i + 1, line });
      const done = h.last('done');
      expect(done.id).toBe(i + 1);
      expect(asSnapshot(done.snapshotText!), line).toEqual(done.snapshot);
      expect(JSON.parse(done.snapshotText!).world, line).toEqual(JSON.parse(done.snapshot.world));
    }
  });

  it('answers more for an unfinished command, runs the whole one once', async () => {
    const h = harness();
    await h.send({ t: 'init', scenario: 'blank', snapshot: null, columns: 80 });
    await h.send({ t: 'run', id: 1, line: 'for i in 1 2; do' });
    expect(h.last('more')).toEqual({ t: 'more', id: 1 });
    await h.send({ t: 'run', id: 2, line: 'for i in 1 2; do\necho $i\ndone' });
    expect(h.outputOf(2)).toBe('1\n2\n');
    expect(h.last('done').history).toEqual(['for i in 1 2; do echo $i; done']);
  });

  it('relays a full-screen program: its screen as tty messages, keys as input', async () => {
    const h = harness();
    await h.send({ t: 'init', scenario: 'blank', snapshot: null, columns: 80 });
    const running = h.send({ t: 'run', id: 1, line: 'vi /tmp/w.txt', rows: 24, columns: 80 });
    await new Promise((r) => setTimeout(r, 50));
    await h.send({ t: 'input', id: 1, data: 'ihello\x1b:wq\r' });
    await running;
    expect(h.got.some((m) => m.t === 'tty' && m.data.includes('\x1b[?1049h'))).toBe(true);
    expect(h.last('done')).toMatchObject({ id: 1, exitCode: 0 });
    await h.send({ t: 'run', id: 2, line: 'cat /tmp/w.txt' });
    expect(h.outputOf(2)).toBe('hello\n');
  });

  it('hands a full-screen program to a page that runs it: no screen from here, its writes and its end come back', async () => {
    const h = harness();
    await h.send({ t: 'init', scenario: 'blank', snapshot: null, columns: 80 });
    const running = h.send({ t: 'run', id: 1, line: 'cd /tmp && vi h.txt', rows: 24, columns: 80, programs: true });
    await vi.waitFor(() => expect(h.last('program')).toBeDefined());
    expect(h.last('program')).toMatchObject({ id: 1, program: { kind: 'vim', start: { path: '/tmp/h.txt', cwd: '/tmp', init: { lines: null, path: 'h.txt' } } } });
    expect(h.got.some((m) => m.t === 'tty')).toBe(false);
    await h.send({ t: 'program-save', id: 1, seq: 7, req: { path: '/tmp/h.txt', text: 'hi\n', append: false } });
    await vi.waitFor(() => expect(h.last('program-saved')).toEqual({ t: 'program-saved', id: 1, seq: 7, res: { error: null, existed: false } }));
    // :w >> appends to what is there
    await h.send({ t: 'program-save', id: 1, seq: 8, req: { path: '/tmp/h.txt', text: 'more\n', append: true } });
    await vi.waitFor(() => expect(h.last('program-saved')).toEqual({ t: 'program-saved', id: 1, seq: 8, res: { error: null, existed: true } }));
    // a file the shell may not write: the errno, for the editor's message
    await h.send({ t: 'program-save', id: 1, seq: 9, req: { path: '/proc/version', text: 'x\n', append: false } });
    await vi.waitFor(() => expect(h.last('program-saved')).toMatchObject({ seq: 9, res: { error: expect.stringMatching(/^E/) } }));
    await h.send({ t: 'program-exit', id: 1, code: 0 });
    await running;
    expect(h.last('done')).toMatchObject({ id: 1, exitCode: 0 });
    await h.send({ t: 'run', id: 2, line: 'cat /tmp/h.txt' });
    expect(h.outputOf(2)).toBe('hi\nmore\n');
  });

  it('ends a program the page runs when its command is stopped', async () => {
    const h = harness();
    await h.send({ t: 'init', scenario: 'blank', snapshot: null, columns: 80 });
    const running = h.send({ t: 'run', id: 1, line: 'nano /tmp/n.txt', rows: 24, columns: 80, programs: true });
    await vi.waitFor(() => expect(h.last('program')).toMatchObject({ program: { kind: 'nano', start: { file: '/tmp/n.txt' } } }));
    await h.send({ t: 'interrupt', id: 1 });
    await running;
    expect(h.last('done')).toMatchObject({ id: 1, exitCode: 130 });
  });

  it('restores a snapshot: cwd, variables and history', async () => {
    const a = harness();
    await a.send({ t: 'init', scenario: 'blank', snapshot: null, columns: 80 });
    await a.send({ t: 'run', id: 1, line: 'cd /etc; greet() { echo hi $1; }' });
    const snap = a.last('done').snapshot;
    const b = harness();
    await b.send({ t: 'init', scenario: 'blank', snapshot: snap, columns: 80 });
    expect(b.last('ready').prompt).toBe('root@controlplane:/etc# ');
    await b.send({ t: 'run', id: 7, line: 'greet you' });
    expect(b.outputOf(7)).toBe('hi you\n');
    expect(b.last('done').history).toEqual(['cd /etc; greet() { echo hi $1; }', 'greet you']);
  });

  it('reports a snapshot it cannot restore', async () => {
    const h = harness();
    await h.send({ t: 'init', scenario: 'blank', snapshot: { version: 1, scenario: 'blank', host: 'controlplane', world: '{not json', cwd: '/root', env: {}, functions: {}, history: [] }, columns: 80 });
    expect(h.last('init-error').message).not.toBe('');
  });

  it('completes command names and paths', async () => {
    const h = harness();
    await h.send({ t: 'init', scenario: 'blank', snapshot: null, columns: 80 });
    await h.send({ t: 'complete', id: 1, line: 'ech', cursor: 3 });
    expect(h.last('completion')).toMatchObject({ id: 1, from: 0, candidates: ['echo'] });
    await h.send({ t: 'complete', id: 2, line: 'cat /etc/hostn', cursor: 14 });
    expect(h.last('completion')).toMatchObject({ id: 2, from: 4, candidates: ['/etc/hostname'] });
  });

  it('stops a runaway loop by its limits, with a message a learner can read', async () => {
    const h = harness();
    await h.send({ t: 'init', scenario: 'blank', snapshot: null, columns: 80 });
    await h.send({ t: 'run', id: 1, line: 'while true; do :; done' });
    expect(h.outputOf(1)).toMatch(/^bash: too many commands executed \(>\d+\)\n$/);
    expect(h.last('done').exitCode).not.toBe(0);
    await h.send({ t: 'run', id: 2, line: 'echo still here' });
    expect(h.outputOf(2)).toBe('still here\n');
  });

  it('starts from the prebuilt starting state when there is one for the scenario and host', async () => {
    const built = (await Session.create({ scenario: getScenario('blank') })).snapshot();
    const marked = { ...built, cwd: '/tmp' }; // to see which start was used
    const asked: string[] = [];
    const pre = harness(async (scenario) => (asked.push(scenario), marked));
    await pre.send({ t: 'init', scenario: 'blank', host: 'controlplane', snapshot: null, columns: 80 });
    expect(asked).toEqual(['blank']);
    expect(pre.last('ready').prompt).toBe('root@controlplane:/tmp# ');
    // another host, or no prebuilt state, or a failing fetch: built here
    for (const loader of [async () => ({ ...marked, host: 'other' }), async () => null, async () => Promise.reject(new Error('offline'))]) {
      const h = harness(loader);
      await h.send({ t: 'init', scenario: 'blank', host: 'controlplane', snapshot: null, columns: 80 });
      expect(h.last('ready').prompt).toBe('root@controlplane:~# ');
    }
  });

  it('starts from the prebuilt state the page fetched (the init carries its text) without fetching it again', async () => {
    const built = (await Session.create({ scenario: getScenario('blank') })).snapshot();
    const asked: string[] = [];
    const loader: InitialLoader = async (scenario) => (asked.push(scenario), null);
    const h = harness(loader);
    await h.send({ t: 'init', scenario: 'blank', snapshot: null, columns: 80, prebuilt: JSON.stringify({ ...built, cwd: '/tmp' }) });
    expect(h.last('ready').prompt).toBe('root@controlplane:/tmp# ');
    // the page found none, or the text is not a state: built here, and the worker does not fetch either
    for (const prebuilt of [null, '<html>not found</html>', JSON.stringify({ ...built, scenario: 'netns-lab' })]) {
      const b = harness(loader);
      await b.send({ t: 'init', scenario: 'blank', snapshot: null, columns: 80, prebuilt });
      expect(b.last('ready').prompt).toBe('root@controlplane:~# ');
    }
    expect(asked).toEqual([]);
  });

  it('tells whether a command changed the state Undo restores, whatever the clock did', async () => {
    const h = harness();
    await h.send({ t: 'init', scenario: 'blank', snapshot: null, columns: 80 });
    await h.send({ t: 'run', id: 1, line: 'mkdir /tmp/x' });
    expect(h.last('done').changed).toBe(true);
    await new Promise((r) => setTimeout(r, 5)); // the real clock moves
    await h.send({ t: 'run', id: 2, line: 'ls /tmp; ip -br link' });
    expect(h.last('done').changed).toBe(false);
    await h.send({ t: 'run', id: 3, line: 'cd /tmp' });
    expect(h.last('done').changed).toBe(true);
    await h.send({ t: 'run', id: 4, line: 'false' });
    expect(h.last('done').changed).toBe(false);
  });

  it('explainLimits keeps the message and drops the advice to the embedder', () => {
    expect(explainLimits('bash: f: maximum recursion depth (100) exceeded, increase executionLimits.maxCallDepth\n')).toBe(
      'bash: f: maximum recursion depth (100) exceeded\n',
    );
  });
});

describe('Ctrl-C on a running ping', () => {
  it('ends with the statistics, as iputils prints them, and nothing from the shell', async () => {
    const h = harness();
    await h.send({ t: 'init', scenario: 'blank', snapshot: null, columns: 80 });
    const running = h.send({ t: 'run', id: 1, line: 'ping 127.0.0.1' });
    // two replies (one a second, in real time while a terminal watches)
    while (!/icmp_seq=2 /.test(h.outputOf(1))) await new Promise((r) => setTimeout(r, 20));
    await h.send({ t: 'interrupt', id: 1 });
    await running;
    const out = h.outputOf(1);
    const n = (/icmp_seq=(\d+) [^\n]*\n\n--- 127\.0\.0\.1 ping statistics ---\n/.exec(out) ?? [])[1];
    expect(n).toBeDefined();
    expect(out).toMatch(new RegExp(`\\n\\n--- 127\\.0\\.0\\.1 ping statistics ---\\n${n} packets transmitted, ${n} received, 0% packet loss, time \\d+ms\\nrtt min/avg/max/mdev = [\\d.]+/[\\d.]+/[\\d.]+/[\\d.]+ ms\\n$`));
    expect(out).not.toContain('aborted');
  });
});
