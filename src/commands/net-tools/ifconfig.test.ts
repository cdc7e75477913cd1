import { describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { getScenario } from '../../labs/scenarios/index';

// Expected texts and exit codes come from net-tools 2.10 on Linux 6.18 (captured with the corpus's
// capture.sh): after a failed step ifconfig goes on; set_flag/clr_flag failures OR -1 into the
// status (exit 255), other ioctls assign 1, set_netmask ORs 1.
async function session(): Promise<Session> {
  const s = await Session.create({ scenario: getScenario('corpus'), seed: 5, columns: 80 });
  for (const l of ['ip link set lo up', 'ip link add eth0 type veth peer name peer0', 'ip addr add 10.1.0.5/24 dev eth0', 'ip link set eth0 up']) {
    await s.setup(l);
  }
  return s;
}

async function run(s: Session, line: string): Promise<[string, number]> {
  const r = await s.run(line, { fresh: true, noHistory: true });
  return [r.output, r.exitCode];
}

const F = 'eth9: ERROR while getting interface flags: No such device\n';
const T = 'eth9: ERROR while testing interface flags: No such device\n';

describe('ifconfig on a missing interface', () => {
  it('reports each step and exits as net-tools does', async () => {
    const s = await session();
    const cases: Array<[string, string, number]> = [
      ['ifconfig eth9 up', F, 255],
      ['ifconfig eth9 -promisc', F + T, 255],
      ['ifconfig eth9 mtu 1400', 'SIOCSIFMTU: No such device\n', 1],
      ['ifconfig eth9 up mtu 1400', F + 'SIOCSIFMTU: No such device\n', 1],
      ['ifconfig eth9 mtu 1400 up', 'SIOCSIFMTU: No such device\n' + F, 255],
      ['ifconfig eth9 10.9.0.1', 'SIOCSIFADDR: No such device\n' + F, 255],
      ['ifconfig eth9 10.9.0.1/24', 'SIOCSIFADDR: No such device\n' + F + 'SIOCSIFNETMASK: No such device\n', 255],
      ['ifconfig eth9 broadcast 10.9.0.255', 'SIOCSIFBRDADDR: No such device\n' + F, 255],
      ['ifconfig eth9 netmask 255.255.0.0', 'SIOCSIFNETMASK: No such device\n', 1],
      ['ifconfig eth9 hw ether 02:00:00:00:00:09', 'SIOCSIFHWADDR: No such device\n', 1],
      ['ifconfig eth9 add 2001:db8::1/64', 'SIOGIFINDEX: No such device\n', 1],
      ['ifconfig eth9 add 10.9.0.7', 'eth9: error fetching interface information: Device not found\n'.repeat(2), 0],
      ['ifconfig eth9 pointopoint 10.9.0.2', 'SIOCSIFDSTADDR: No such device\n' + F, 255],
      ['ifconfig eth9 dstaddr 10.9.0.2', 'SIOCSIFDSTADDR: No such device\n', 1],
      ['ifconfig eth9 -dynamic', F + T, 255],
      ['ifconfig eth9 irq 5', 'irq: SIOCGIFMAP: No such device\n', 1],
      ['ifconfig -v eth9 up', F + 'WARNING: at least one error occured. (-1)\n', 255],
      ['ifconfig -v eth9 mtu 1400', 'SIOCSIFMTU: No such device\nWARNING: at least one error occured. (1)\n', 1],
      ['ifconfig eth9:1 down', 'eth9:1: ERROR while getting interface flags: No such device\n', 255],
      ['ifconfig eth9', 'eth9: error fetching interface information: Device not found\n', 1],
    ];
    for (const [line, out, code] of cases) expect(await run(s, line), line).toEqual([out, code]);
  });

  it('warns that IFF_BROADCAST cannot be cleared; the changeable flags clear silently', async () => {
    const s = await session();
    expect(await run(s, 'ifconfig eth0 -broadcast')).toEqual(['Warning: Interface eth0 still in BROADCAST mode.\n', 0]);
    for (const l of ['ifconfig eth0 -pointopoint', 'ifconfig eth0 -multicast', 'ifconfig eth0 multicast', 'ifconfig eth0 -allmulti']) {
      expect(await run(s, l), l).toEqual(['', 0]);
    }
    expect(await run(s, 'ifconfig lo -broadcast')).toEqual(['', 0]);
  });
});
