import { describe, expect, it, vi } from 'vitest';
import { Session } from '../shell/session';
import { getScenario } from '../labs/scenarios/index';

describe('ping', () => {
  it('-f: a dot per probe taken back by each reply, no interval, ipg/ewma in the statistics (iputils, recorded in a namespace)', async () => {
    const s = await Session.create({ scenario: getScenario('corpus'), seed: 2 });
    await s.setup('ip link set lo up');
    const r = await s.run('ping -f -c 5 127.0.0.1');
    expect(r.exitCode).toBe(0);
    expect(r.output).toMatch(/^PING 127\.0\.0\.1 \(127\.0\.0\.1\) 56\(84\) bytes of data\.\n(\.\x08 \x08){5}\n--- 127\.0\.0\.1 ping statistics ---\n5 packets transmitted, 5 received, 0% packet loss, time 0ms\nrtt min\/avg\/max\/mdev = [\d./]+ ms, ipg\/ewma 0\.0\d\d\/0\.0\d\d ms\n$/);
    const q = await s.run('ping -f -q -c 3 127.0.0.1');
    expect(q.output).toMatch(/data\.\n\n--- 127\.0\.0\.1 ping statistics ---\n3 packets transmitted, 3 received/);
    // with -i the interval stays; without a reply the dot stays
    const i = await s.run('ping -f -c 2 -i 0.1 127.0.0.1');
    expect(i.output).toMatch(/time 1\d\dms\n.*ipg\/ewma 1\d\d\.\d{3}\/0\.0\d\d ms\n$/);
    const z = await s.run('ping -i 0 -c 3 127.0.0.1');
    expect(z.output).not.toContain('pipe');
    expect(z.output).toContain('time 0ms');
  });

  it('-q -c 70000 on loopback loses nothing (each probe has its own engine budget)', async () => {
    const s = await Session.create({ scenario: getScenario('corpus'), seed: 2, limits: { maxExecutionTimeMs: 60_000 } });
    await s.setup('ip link set lo up');
    const r = await s.run('ping -q -i 0 -c 70000 127.0.0.1 | tail -2');
    expect(r.output).toMatch(/^70000 packets transmitted, 70000 received, 0% packet loss/);
  });

  it('without -c stops after a bounded number of probes when nothing can interrupt it', async () => {
    const s = await Session.create({ scenario: getScenario('corpus'), seed: 2 });
    await s.setup('ip link set lo up');
    const r = await s.run('ping 127.0.0.1');
    expect(r.output).toContain('10 packets transmitted, 10 received, 0% packet loss');
    expect(r.output.match(/^64 bytes from 127\.0\.0\.1: icmp_seq=\d+ ttl=64 time=0\.\d{3} ms$/gm)).toHaveLength(10);
  });

  it('without -c runs until Ctrl-C when a terminal watches, printing as it goes', async () => {
    const s = await Session.create({ scenario: getScenario('corpus'), seed: 2 });
    await s.setup('ip link set lo up');
    const ac = new AbortController();
    const chunks: string[] = [];
    const done = s.run('ping 127.0.0.1', { signal: ac.signal, onOutput: (c) => chunks.push(c) });
    // the second reply printed (one a second, in real time): waited for, not a fixed time, which a loaded
    // machine can spend before the first one
    await vi.waitFor(() => expect(chunks.join('')).toMatch(/icmp_seq=2 /), { timeout: 30_000, interval: 20 });
    const seen = chunks.join('');
    ac.abort();
    const r = await done;
    expect(seen).toMatch(/^PING 127\.0\.0\.1 \(127\.0\.0\.1\) 56\(84\) bytes of data\.\n64 bytes from/);
    const all = chunks.join('') + r.output;
    const sent = Number(/(\d+) packets transmitted/.exec(all)?.[1] ?? '0');
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(sent).toBeLessThan(10);
  });

  it('reports bad arguments like iputils', async () => {
    const s = await Session.create({ scenario: getScenario('corpus'), seed: 2 });
    expect(await s.run('ping')).toEqual({ output: 'ping: usage error: Destination address required\n', exitCode: 1 });
    expect(await s.run('ping -c 0 1.2.3.4')).toEqual({ output: "ping: invalid argument: '0': out of range: 1 <= value <= 9223372036854775807\n", exitCode: 1 });
    expect(await s.run('ping -c x 1.2.3.4')).toEqual({ output: "ping: invalid argument: 'x'\n", exitCode: 1 });
    expect(await s.run('ping -c 1 nosuchhost')).toEqual({ output: 'ping: nosuchhost: Temporary failure in name resolution\n', exitCode: 2 });
  });

  it('resolves with AF_UNSPEC and filters by -4/-6 (the kept IPv4 result has no canonical name)', async () => {
    const s = await Session.create({ scenario: getScenario('corpus'), seed: 2 });
    await s.setup('ip link set lo up');
    const hosts = (await s.run('cat /etc/hosts')).output;
    expect(hosts).toMatch(/^::1\s.*\bip6-localhost\b/m);
    const v4 = await s.run('ping -c 1 -4 localhost');
    expect(v4.exitCode).toBe(0);
    expect(v4.output).toMatch(/^PING  \(127\.0\.0\.1\) 56\(84\) bytes of data\.\n64 bytes from localhost \(127\.0\.0\.1\): icmp_seq=1 /);
    expect(v4.output).toContain('\n---  ping statistics ---\n');
    const v6 = await s.run('ping -c 1 ip6-localhost');
    expect(v6.output).toMatch(/^PING ip6-localhost\(localhost \(::1\)\) 56 data bytes\n64 bytes from localhost \(::1\): icmp_seq=1 /);
    expect(v6.output).toContain('\n--- ip6-localhost ping statistics ---\n');
    expect(await s.run('ping -c 1 -4 ip6-localhost')).toEqual({ output: 'ping: ip6-localhost: Address family for hostname not supported\n', exitCode: 2 });
    expect(await s.run('ping -c 1 -6 127.0.0.1')).toEqual({ output: 'ping: 127.0.0.1: Address family for hostname not supported\n', exitCode: 2 });
    expect(await s.run('ping -4 -6 ::1')).toEqual({ output: 'ping: only one -4 or -6 option may be specified\n', exitCode: 2 });
  });

  it('tries the addresses in getaddrinfo order, the other family skipped', async () => {
    const s = await Session.create({ scenario: getScenario('corpus'), seed: 2 });
    await s.setup("echo '10.77.0.9 twofam' >> /etc/hosts; echo '::1 twofam' >> /etc/hosts");
    await s.setup('ip link set lo up');
    // ::1 is usable and goes first (RFC 3484); the typed name heads an IPv6 ping
    expect((await s.run('ping -c 1 twofam')).output).toMatch(/^PING twofam\(localhost \(::1\)\) 56 data bytes\n/);
    // -4 keeps 10.77.0.9, which has no route and is the last result
    expect(await s.run('ping -c 1 -4 twofam')).toEqual({ output: 'ping: connect: Network is unreachable\n', exitCode: 2 });
  });

  it('cannot set a TTL of 0, and checks -t/-s/-i/-W/-m like iputils 20221126', async () => {
    const s = await Session.create({ scenario: getScenario('corpus'), seed: 2 });
    await s.setup('ip link set lo up');
    expect(await s.run('ping -c 1 -t 0 127.0.0.1')).toEqual({ output: 'ping: cannot set unicast time-to-live: Invalid argument\n', exitCode: 2 });
    expect(await s.run('ping -c 1 -t 256 127.0.0.1')).toEqual({ output: "ping: invalid argument: '256': out of range: 0 <= value <= 255\n", exitCode: 1 });
    expect(await s.run('ping -c 1 -s 99999999999999999999 127.0.0.1')).toEqual({ output: "ping: invalid argument: '99999999999999999999': Numerical result out of range\n", exitCode: 1 });
    expect(await s.run('ping -c 1 -m -1 127.0.0.1')).toEqual({ output: "ping: invalid argument: '-1': out of range: 0 <= value <= 4294967295\n", exitCode: 1 });
    expect(await s.run('ping -c 1 -i inf 127.0.0.1')).toEqual({ output: 'ping: bad timing interval: inf: Numerical result out of range\n', exitCode: 2 });
    expect(await s.run('ping -c 1 -i 3000000 127.0.0.1')).toEqual({ output: 'ping: bad timing interval: 3000000\n', exitCode: 2 });
    expect(await s.run('ping -c 1 -W -1 127.0.0.1')).toEqual({ output: 'ping: bad linger time: -1\n', exitCode: 2 });
    const g = await s.run('ping -c 1 -W 2x 127.0.0.1');
    expect(g.exitCode).toBe(0);
    expect(g.output).toContain('ping: option argument contains garbage: x\nping: this will become fatal error in the future\n');
  });

  it('pretends to send an ICMP message over 64 KiB; an IP packet over 64 KiB is a local error', async () => {
    const s = await Session.create({ scenario: getScenario('corpus'), seed: 2 });
    await s.setup('ip link set lo up');
    const big = await s.run('ping -c 1 -s 70000 127.0.0.1');
    expect(big.exitCode).toBe(1);
    expect(big.output).toMatch(/^PING 127\.0\.0\.1 \(127\.0\.0\.1\) 70000\(70028\) bytes of data\.\n\n--- 127\.0\.0\.1 ping statistics ---\n1 packets transmitted, 0 received, 100% packet loss, time \d+ms\n\n$/);
    const edge = await s.run('ping -c 1 -s 65510 127.0.0.1');
    expect(edge.exitCode).toBe(1);
    expect(edge.output).toContain('ping: local error: message too long, mtu=65536\n');
    expect(edge.output).toContain('1 packets transmitted, 0 received, +1 errors, 100% packet loss');
    const fits = await s.run('ping -c 1 -s 65507 127.0.0.1');
    expect(fits.output).toContain('65515 bytes from 127.0.0.1: icmp_seq=1');
  });

  it('-l sends the preload at once; an interval times preload past INT_MAX is refused after the header', async () => {
    const s = await Session.create({ scenario: getScenario('corpus'), seed: 2 });
    await s.setup('ip link set lo up');
    const r = await s.run('ping -c 3 -l 3 127.0.0.1');
    expect(r.output).toMatch(/3 packets transmitted, 3 received, 0% packet loss, time 0ms\nrtt min\/avg\/max\/mdev = [\d./]+ ms, pipe 3\n$/);
    expect(await s.run('ping -c 1 -l 3 -i 1000000 127.0.0.1')).toEqual({ output: 'PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.\nping: illegal preload and/or interval: 1000000000\n', exitCode: 2 });
    expect(await s.run('ping -c 1 -l 65537 127.0.0.1')).toEqual({ output: "ping: invalid argument: '65537': out of range: 1 <= value <= 65536\n", exitCode: 1 });
  });

  it('discovers the path MTU: frag needed from the router, then a local error for -M do, fragments for want', async () => {
    const s = await Session.create({ scenario: getScenario('corpus'), seed: 3 });
    for (const l of [
      'ip link set lo up', 'ip netns add r', 'ip netns add t',
      'ip link add eth0 type veth peer name eth0 netns r', 'ip link add eth1 netns r type veth peer name eth0 netns t',
      'ip netns exec r sysctl -w net.ipv4.ip_forward=1',
      'ip addr add 10.9.1.2/24 dev eth0', 'ip link set eth0 up',
      'ip -n r addr add 10.9.1.1/24 dev eth0', 'ip -n r addr add 10.9.2.1/24 dev eth1', 'ip -n r link set eth1 mtu 1300',
      'ip -n r link set eth0 up', 'ip -n r link set eth1 up',
      'ip -n t link set eth0 mtu 1300', 'ip -n t addr add 10.9.2.10/24 dev eth0', 'ip -n t link set eth0 up',
      'ip -n t route add default via 10.9.2.1', 'ip route add 10.9.2.0/24 via 10.9.1.1',
    ]) await s.setup(l);
    expect((await s.run('ping -c 1 -M maybe 10.9.2.10')).output).toBe('ping: invalid -M argument: maybe\n');
    const first = await s.run('ping -c 1 -M do -s 1300 10.9.2.10');
    expect(first.output).toContain('From 10.9.1.1 icmp_seq=1 Frag needed and DF set (mtu = 1300)');
    expect(first.exitCode).toBe(1);
    const local = await s.run('ping -c 1 -M do -s 1273 10.9.2.10');
    expect(local.output).toContain('ping: local error: message too long, mtu=1300');
    // 1272 + 28 = 1300 fits; WANT fragments what does not fit
    expect((await s.run('ping -c 1 -M do -s 1272 10.9.2.10')).exitCode).toBe(0);
    expect((await s.run('ping -c 1 -s 1400 10.9.2.10')).exitCode).toBe(0);
  });
});
