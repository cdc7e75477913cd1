import { describe, expect, it } from 'vitest';
import { Session } from '../shell/session';
import { getScenario } from '../labs/scenarios/index';

const SUMMARY = (n: number, verb = 'shown'): string => `conntrack v1.4.7 (conntrack-tools): ${n} flow entries have been ${verb}.\n`;

/** Two namespaces on a veth pair; b holds TCP 80 and a silent UDP 53 (fixture 86's lab). */
async function pair(): Promise<Session> {
  const s = await Session.create({ scenario: getScenario('corpus'), seed: 3 });
  for (const l of [
    'ip link set lo up',
    'ip netns add a',
    'ip netns add b',
    'ip link add va type veth peer name vb',
    'ip link set va netns a',
    'ip link set vb netns b',
    'ip -n a link set lo up',
    'ip -n b link set lo up',
    'ip -n a addr add 10.86.0.1/24 dev va',
    'ip -n b addr add 10.86.0.2/24 dev vb',
    'ip -n a link set va up',
    'ip -n b link set vb up',
    'daemon srv -n b tcp:0.0.0.0:80 udp:0.0.0.0:53',
  ]) await s.setup(l);
  return s;
}

describe('conntrack', () => {
  it('sees nothing until a rule needs connection tracking, then the real entries', async () => {
    const s = await pair();
    expect((await s.run('ip netns exec a ping -c 1 10.86.0.2 >/dev/null; ip netns exec a conntrack -L')).output).toBe(SUMMARY(0));
    await s.run('ip netns exec a iptables -A OUTPUT -m conntrack --ctstate INVALID -j DROP');
    const tcp = await s.run('ip netns exec a nc -z -w 1 -p 41000 10.86.0.2 80; ip netns exec a conntrack -L -p tcp');
    expect(tcp.output).toBe(
      'tcp      6 59 CLOSE_WAIT src=10.86.0.1 dst=10.86.0.2 sport=41000 dport=80 src=10.86.0.2 dst=10.86.0.1 sport=80 dport=41000 [ASSURED] mark=0 use=1\n' + SUMMARY(1),
    );
    // a connection refused by a RST leaves no entry
    expect((await s.run('ip netns exec a nc -z -w 1 -p 41001 10.86.0.2 81; ip netns exec a conntrack -L -p tcp --sport 41001')).output).toBe(SUMMARY(0));
    const udp = await s.run('echo hi | ip netns exec a nc -u -w 1 -p 41002 10.86.0.2 53; ip netns exec a conntrack -L -p udp');
    expect(udp.output).toMatch(/^udp      17 2\d src=10\.86\.0\.1 dst=10\.86\.0\.2 sport=41002 dport=53 \[UNREPLIED\] src=10\.86\.0\.2 dst=10\.86\.0\.1 sport=53 dport=41002 mark=0 use=1\n/);
    // the other namespace tracks nothing
    expect((await s.run('ip netns exec b conntrack -C')).output).toBe('0\n');
  });

  it('counts timers down on the simulated clock and drops expired entries', async () => {
    const s = await pair();
    await s.run('ip netns exec a iptables -A OUTPUT -m state --state INVALID -j DROP');
    await s.run('ip netns exec a ping -c 1 10.86.0.2 >/dev/null');
    const first = (await s.run('ip netns exec a conntrack -L -p icmp 2>/dev/null')).output;
    expect(first).toMatch(/^icmp     1 29 src=10\.86\.0\.1 dst=10\.86\.0\.2 type=8 code=0 id=(\d+) src=10\.86\.0\.2 dst=10\.86\.0\.1 type=0 code=0 id=\1 mark=0 use=1\n$/);
    s.world.advance(10_000);
    expect((await s.run('ip netns exec a conntrack -L -p icmp 2>/dev/null')).output).toMatch(/^icmp     1 19 /);
    s.world.advance(20_000);
    expect((await s.run('ip netns exec a conntrack -C')).output).toBe('0\n');
  });

  it('deletes and flushes through the kernel, with the real summaries and exit codes', async () => {
    const s = await pair();
    await s.run('ip netns exec a iptables -A OUTPUT -m conntrack --ctstate INVALID -j DROP');
    await s.run('ip netns exec a nc -z -w 1 -p 41000 10.86.0.2 80');
    const del = await s.run('ip netns exec a conntrack -D -p tcp --dport 80; echo rc=$?');
    expect(del.output).toMatch(/^tcp      6 \d+ CLOSE_WAIT src=10\.86\.0\.1 .*\nconntrack v1\.4\.7 \(conntrack-tools\): 1 flow entries have been deleted\.\nrc=0\n$/);
    expect((await s.run('ip netns exec a conntrack -D -p tcp --dport 80; echo rc=$?')).output).toBe(SUMMARY(0, 'deleted') + 'rc=1\n');
    await s.run('ip netns exec a ping -c 1 10.86.0.2 >/dev/null');
    expect((await s.run('ip netns exec a conntrack -F')).output).toBe('conntrack v1.4.7 (conntrack-tools): connection tracking table has been emptied.\n');
    expect((await s.run('ip netns exec a conntrack -C')).output).toBe('0\n');
  });

  it('answers bad options as conntrack-tools 1.4.7 does, and refuses event mode with a clear message', async () => {
    const s = await Session.create();
    const hint = "Try `conntrack -h' or 'conntrack --help' for more information.\n";
    expect(await s.run('conntrack -L --state ESTABLISHED')).toEqual({ output: "conntrack v1.4.7 (conntrack-tools): unknown option `--state'\n" + hint, exitCode: 2 });
    expect(await s.run('conntrack -L -D')).toEqual({ output: 'conntrack v1.4.7 (conntrack-tools): Invalid commands combination\n' + hint, exitCode: 2 });
    expect(await s.run('conntrack -L -p foo')).toEqual({ output: "conntrack v1.4.7 (conntrack-tools): `foo' unsupported protocol\n" + hint, exitCode: 2 });
    expect(await s.run('conntrack -L bogus')).toEqual({ output: "conntrack v1.4.7 (conntrack-tools): unknown type `bogus'\n" + hint, exitCode: 2 });
    expect(await s.run('conntrack -L expect')).toEqual({ output: 'conntrack v1.4.7 (conntrack-tools): 0 expectations have been shown.\n', exitCode: 0 });
    const ev = await s.run('conntrack -E');
    expect(ev.exitCode).toBe(1);
    expect(ev.output).toContain('event mode (-E)');
  });
});
