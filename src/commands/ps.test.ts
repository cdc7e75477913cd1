import { describe, expect, it } from 'vitest';
import { Session } from '../shell/session';
import { getScenario } from '../labs/scenarios/index';

describe('ps', () => {
  it('lists the process table in -ef and aux forms (procps-ng 4.0.2 columns), grep finds the kubelet line', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-node'), seed: 1, columns: 80 });
    const run = (l: string) => s.run(l, { fresh: true, noHistory: true });
    const ef = (await run('ps -ef | cat')).output.split('\n');
    expect(ef[0]).toBe('UID        PID  PPID  C STIME TTY          TIME CMD');
    expect(ef[1]).toMatch(/^root {6,}\d+ +1  0 \d\d:\d\d \? {8}00:00:00 \S/);
    const n = s.world.host(s.world.state.hosts[Object.keys(s.world.state.hosts)[0]!]!.id).processes.length;
    expect(ef.filter((l) => l.startsWith('root ')).length).toBe(n);
    expect((await run('ps aux | head -1')).output).toBe('USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n');
    expect((await run('ps -ef | grep -c kubelet')).output).toBe('1\n');
    expect(await run('ps -Q')).toMatchObject({ exitCode: 1 });
  });
});
