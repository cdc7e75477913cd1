import { describe, expect, it } from 'vitest';
import { Session, shellQuote } from './session';

describe('Session: shell state carried from line to line', () => {
  it('pipes through just-bash coreutils', async () => {
    const s = await Session.create();
    expect(await s.run('echo hello | wc -c')).toEqual({ output: '6\n', exitCode: 0 });
  });

  it('keeps variables, cwd, aliases and functions between lines', async () => {
    const s = await Session.create();
    await s.run('X=5; export Y=6; cd /etc');
    await s.run('alias ll="ls -1"');
    await s.run('greet() { echo "hi $1"; }');
    const r = await s.run('echo $X $Y; pwd; greet there; ll /run');
    expect(r.output).toBe('5 6\n/etc\nhi there\nnetns\n');
    expect(s.prompt()).toBe('root@controlplane:/etc# ');
  });

  it('a fresh run neither sees nor changes the carried state', async () => {
    const s = await Session.create();
    await s.run('X=1; cd /tmp');
    const r = await s.run('echo "[$X]"; pwd; Z=2; cd /etc', { fresh: true });
    expect(r.output).toBe('[]\n/root\n');
    expect((await s.run('echo $X $Z; pwd')).output).toBe('1\n/tmp\n');
  });

  it('merges stderr with stdout and reports the exit status', async () => {
    const s = await Session.create();
    const r = await s.run('cat /nonexistent; echo after');
    expect(r.output).toBe('cat: /nonexistent: No such file or directory\nafter\n');
    const r2 = await s.run('false');
    expect(r2.exitCode).toBe(1);
    expect((await s.run('echo $?')).output).toBe('1\n');
  });

  it('records history and implements the history builtin', async () => {
    const s = await Session.create();
    await s.run('echo one');
    await s.run('echo two');
    expect((await s.run('history 2')).output).toBe('    2  echo two\n    3  history 2\n');
    await s.run('history -c');
    expect(s.history).toEqual([]);
  });

  it('stops a runaway loop with a clear message and stays usable', async () => {
    const s = await Session.create();
    const r = await s.run('while true; do :; done');
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toMatch(/too many|limit|exceeded/i);
    expect((await s.run('echo still here')).output).toBe('still here\n');
  });

  it('sleep advances the simulated clock instead of waiting', async () => {
    const s = await Session.create();
    const t0 = s.world.now();
    await s.run('sleep 30');
    expect(s.world.now() - t0).toBe(30_000);
  });

  it('serves /proc/sys from the namespace sysctls, readable and writable', async () => {
    const s = await Session.create();
    expect((await s.run('cat /proc/sys/net/ipv4/ip_forward')).output).toBe('0\n');
    await s.run('echo 1 > /proc/sys/net/ipv4/ip_forward');
    expect(s.world.ns(s.world.host(s.host).rootNs).sysctl['net.ipv4.ip_forward']).toBe('1');
  });

  it('files written by the learner live in the world state (snapshot carries them)', async () => {
    const s = await Session.create();
    await s.run('mkdir -p /opt/answers && echo 10259 > /opt/answers/q1.txt');
    const snap = s.snapshot();
    const r = await Session.restore(snap);
    expect((await r.run('cat /opt/answers/q1.txt')).output).toBe('10259\n');
    expect(JSON.parse(snap.world).hosts.controlplane.files['/opt/answers/q1.txt'].content).toBe('10259\n');
  });

  it('snapshot and restore give back cwd, variables, functions and history', async () => {
    const s = await Session.create();
    await s.run('cd /etc; V=abc; f() { echo f$1; }');
    const r = await Session.restore(JSON.parse(JSON.stringify(s.snapshot())));
    expect((await r.run('echo $V; pwd; f 1')).output).toBe('abc\n/etc\nf1\n');
    expect(r.history).toEqual(['cd /etc; V=abc; f() { echo f$1; }', 'echo $V; pwd; f 1']);
  });

  it('completes command names and paths', async () => {
    const s = await Session.create();
    const c = await s.complete('ech', 3);
    expect(c.candidates).toContain('echo');
    expect(c.from).toBe(0);
    const p = await s.complete('cat /etc/host', 13);
    expect(p.candidates).toEqual(['/etc/hostname', '/etc/hosts']);
    expect(p.common).toBe('/etc/host');
    const d = await s.complete('ls /et', 6);
    expect(d.candidates).toEqual(['/etc/']);
  });
});

describe('shellQuote', () => {
  it('round-trips words through the shell', async () => {
    const s = await Session.create();
    for (const w of ['plain', 'with space', "it's", '$HOME', 'a"b', '']) {
      expect((await s.run(`printf '%s' ${shellQuote(w)}`)).output).toBe(w);
    }
  });
});

describe('ssh between the hosts of a world', () => {
  it('logs into another host, runs commands there, and exit returns', async () => {
    const twoHosts = { name: 'test-two-hosts', title: 't', description: 't', hosts: [{ id: 'A', setup: [] }, { id: 'router', setup: ['echo router-file > /root/where'] }], defaultHost: 'A' };
    const s = await Session.create({ scenario: twoHosts });
    expect(s.prompt()).toBe('root@A:~# ');
    expect((await s.run('ssh router cat /root/where')).output).toBe('router-file\n');
    expect(s.prompt()).toBe('root@A:~# ');
    await s.run('cd /etc');
    await s.run('ssh root@router');
    expect(s.prompt()).toBe('root@router:~# ');
    expect((await s.run('cat where /etc/hostname')).output).toBe('router-file\nrouter\n');
    const snap = s.snapshot();
    const back = await s.run('exit');
    expect(back.output).toBe('logout\nConnection to router closed.\n');
    expect(s.prompt()).toBe('root@A:/etc# ');
    const restored = await Session.restore(snap);
    expect(restored.prompt()).toBe('root@router:~# ');
    expect((await s.run('ssh nowhere')).output).toBe('ssh: Could not resolve hostname nowhere: Name or service not known\n');
  });
});

describe('the simulated clock in an interactive session', () => {
  it("with clock 'real', catches up with wall-clock time between lines", async () => {
    const { vi } = await import('vitest');
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-11-26T10:00:00Z'));
      const s = await Session.create({ clock: 'real' });
      const t0 = s.world.now();
      vi.setSystemTime(new Date('2026-11-26T10:00:05Z'));
      await s.run('true');
      expect(s.world.now() - t0).toBe(5000);
      vi.setSystemTime(new Date('2026-11-26T12:00:05Z'));
      await s.run('true');
      expect(s.world.now() - t0).toBe(5000 + 600_000); // capped at 10 minutes
      const m = await Session.create();
      const m0 = m.world.now();
      vi.setSystemTime(new Date('2026-11-26T13:00:00Z'));
      await m.run('true');
      expect(m.world.now()).toBe(m0); // manual clock: only commands move time
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('state survives a line cut short', () => {
  it('keeps cwd and variables after a runaway loop hits a limit', async () => {
    const s = await Session.create({ limits: { maxCommandCount: 2000 } });
    await s.run('cd /tmp; Y=2');
    const r = await s.run('while true; do :; done');
    expect(r.exitCode).not.toBe(0);
    expect((await s.run('pwd; echo $Y')).output).toBe('/tmp\n2\n');
  });

  it('history works inside compound lines and pipelines', async () => {
    const s = await Session.create();
    await s.run('echo a');
    expect((await s.run('cd /etc; history | tail -1')).output).toBe('    2  cd /etc; history | tail -1\n');
  });
});
