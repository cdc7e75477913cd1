// The IPv6 namespace lab: red reaches blue over IPv6 and, once the host routes, the LAN host. The neighbour
// tables are those a real Linux (kernel 6.18) showed for the same network and commands (fixtures 96, 97).
import { describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { getScenario } from './index';

describe('netns-lab-ipv6', () => {
  it('red pings blue and the LAN host over IPv6, and ip -6 neigh shows what real Linux shows', async () => {
    const s = await Session.create({ scenario: getScenario('netns-lab-ipv6'), seed: 1, columns: 80 });
    const run = (line: string) => s.run(line, { fresh: true, noHistory: true });
    const sorted = async (line: string) => (await run(line)).output.split('\n').filter(Boolean).sort();
    expect((await run('ip -n red -6 neigh')).output).toBe('');
    expect((await run('ip netns exec red ping -c 2 fd00:15::3')).exitCode).toBe(0);
    expect(await sorted('ip -n red -6 neigh')).toEqual(['fd00:15::3 dev veth-red lladdr 02:15:00:00:00:03 REACHABLE ']);
    expect(await sorted('ip -n blue -6 neigh')).toEqual(['fd00:15::2 dev veth-blue lladdr 02:15:00:00:00:02 DELAY ']);
    expect((await run('ip netns exec red ping -c 1 -W 1 fd00:1::3')).output).toBe('ping: connect: Network is unreachable\n');
    // the chapter's steps: each piece of the route, with the ping that still fails after it (red resolves the host's
    // address while it does not forward yet: its advertisement has no router flag, and the entry keeps none)
    for (const [l, ping] of [['ip -n red -6 route add default via fd00:15::1', 1], ['sysctl -w net.ipv6.conf.all.forwarding=1', 1], ['ssh lan ip -6 route add fd00:15::/64 via fd00:1::2', 0]] as const) {
      expect((await run(l)).exitCode, l).toBe(0);
      if (ping) expect((await run('ip netns exec red ping -c 1 -W 1 fd00:1::3')).exitCode, l).toBe(1);
    }
    expect((await run('ip netns exec red ping -c 2 fd00:1::3')).output).toContain('2 packets transmitted, 2 received');
    const br = (await run('ip -br link show v-net-0')).output.split(/\s+/)[2];
    const eth0 = (await run('ip -br link show eth0')).output.split(/\s+/)[2];
    expect(await sorted('ip -n red -6 neigh')).toEqual([`fd00:15::1 dev veth-red lladdr ${br} REACHABLE `, 'fd00:15::3 dev veth-red lladdr 02:15:00:00:00:03 REACHABLE ']);
    const ll = (await run('ip -6 -br addr show dev eth0')).output.match(/fe80::\S+(?=\/64)/)![0];
    expect(await sorted('ssh lan ip -6 neigh')).toEqual([`fd00:1::2 dev eth0 lladdr ${eth0} router REACHABLE `, `${ll} dev eth0 lladdr ${eth0} DELAY `]);
  });
});
