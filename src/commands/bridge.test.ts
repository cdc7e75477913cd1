import { describe, expect, it } from 'vitest';
import { Session } from '../shell/session';
import { getScenario } from '../labs/scenarios/index';

async function lab(): Promise<Session> {
  const s = await Session.create({ scenario: getScenario('corpus'), seed: 5 });
  for (const l of [
    'ip link add br0 type bridge', 'ip link set br0 up',
    'ip link add p1 type veth peer name q1', 'ip link set p1 master br0', 'ip link set p1 up', 'ip link set q1 up',
  ]) await s.setup(l);
  return s;
}

describe('bridge', () => {
  it('link set stores port settings and refuses values the kernel refuses', async () => {
    const s = await lab();
    expect((await s.run('bridge link set dev p1 cost 50 priority 16 hairpin on learning off')).exitCode).toBe(0);
    expect((await s.run('bridge link')).output).toMatch(/p1@q1: .* master br0 state \w+ priority 16 cost 50 \n/);
    const d = (await s.run('bridge -d link show dev p1')).output;
    expect(d).toContain('hairpin on');
    expect(d).toContain('learning off');
    expect(d).toMatch(/mcast_flood on bcast_flood on mcast_router 1 mcast_to_unicast off/);
    // the same port attributes (IFLA_BRPORT_*) as ip -d link reports them
    const ipd = (await s.run('ip -d link show dev p1')).output;
    expect(ipd).toMatch(/bridge_slave state \w+ priority 16 cost 50 hairpin on guard off root_block off fastleave off learning off flood on /);
    expect(await s.run('bridge link set dev p1 cost 70000')).toEqual({ output: 'RTNETLINK answers: Numerical result out of range\n', exitCode: 255 });
    expect(await s.run('bridge link set dev p1 hairpin maybe')).toEqual({ output: 'Error: argument of "hairpin" must be one of "off", "on", not "maybe"\n', exitCode: 234 });
    expect(await s.run('bridge link show dev nosuch')).toEqual({ output: 'Cannot find device "nosuch"\n', exitCode: 255 });
  });

  it('fdb add keeps the entry with its state; duplicates and missing entries exit 255', async () => {
    const s = await lab();
    expect((await s.run('bridge fdb add 02:00:00:00:01:01 dev p1 master static')).exitCode).toBe(0);
    expect((await s.run('bridge fdb add 02:00:00:00:02:02 dev p1 master')).exitCode).toBe(0);
    const show = (await s.run('bridge fdb show dev p1')).output;
    expect(show).toContain('02:00:00:00:01:01 master br0 static');
    expect(show).toContain('02:00:00:00:02:02 master br0 permanent');
    expect(await s.run('bridge fdb add 02:00:00:00:01:01 dev p1 master static')).toEqual({ output: 'RTNETLINK answers: File exists\n', exitCode: 255 });
    expect((await s.run('bridge fdb del 02:00:00:00:02:02 dev p1 master')).exitCode).toBe(0);
    expect(await s.run('bridge fdb del 02:00:00:00:02:02 dev p1 master')).toEqual({ output: 'RTNETLINK answers: No such file or directory\n', exitCode: 255 });
  });
});
