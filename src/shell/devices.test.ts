// /dev/null and /dev/zero are character devices (src/sim/devices.ts), served by the shell's filesystem on every
// host: writes vanish, /dev/null reads as empty, and no file takes their place (a save and a restore keep nothing).
import { describe, expect, it } from 'vitest';
import { Session } from './session';
import { getScenario } from '../labs/scenarios/index';

describe('/dev/null and /dev/zero', () => {
  it('discard every kind of write: >, >>, 2>, &>, tee, cp; /dev/null then reads as empty', async () => {
    const s = await Session.create();
    const lines = ['echo hi > /dev/null', 'echo x >> /dev/null', 'ls /nonexistent 2> /dev/null', 'echo q &> /dev/null', 'echo y | tee /dev/null', 'echo z > f; cp f /dev/null', 'echo w > /dev/zero'];
    for (const l of lines) await s.run(l);
    expect(await s.run('cat /dev/null | wc -c')).toEqual({ output: '0\n', exitCode: 0 });
    expect((await s.run('echo y | tee /dev/null')).output).toBe('y\n');
    expect((await s.run('head -c 3 /dev/zero | od -An -c')).output.trim()).toBe('\\0  \\0  \\0');
  });

  it('are character devices: ls -l, test -c, test -f, and listed in /dev', async () => {
    const s = await Session.create();
    await s.run('echo hi > /dev/null');
    expect((await s.run('ls -l /dev/null')).output).toMatch(/^crw-rw-rw- 1 root root 1, 3 .* \/dev\/null\n$/);
    expect((await s.run('ls -l /dev')).output).toMatch(/^total 2\ncrw-rw-rw- 1 root root 1, 3 .* null\ncrw-rw-rw- 1 root root 1, 5 .* zero\n$/);
    expect((await s.run('test -c /dev/null && echo c; test -f /dev/null || echo notfile; test -e /dev/zero && echo e')).output).toBe('c\nnotfile\ne\n');
  });

  it('stay devices after a save and a restore, on every host of a scenario', async () => {
    const s = await Session.create({ scenario: getScenario('two-hosts-switch-solved') });
    await s.run('echo hi > /dev/null');
    const r = await Session.restore(JSON.parse(JSON.stringify(s.snapshot())));
    expect((await r.run('cat /dev/null; ls -l /dev/null')).output).toMatch(/^crw-rw-rw- 1 root root 1, 3 /);
    const snap = r.snapshot() as unknown as { world: unknown };
    expect(JSON.stringify(snap.world)).not.toContain('/dev/null');
    const other = await Session.create({ scenario: getScenario('two-hosts-switch-solved'), host: 'B' });
    expect((await other.run('echo x > /dev/null; cat /dev/null; ls -l /dev/null')).output).toMatch(/^crw-rw-rw- 1 root root 1, 3 /);
  });
});
