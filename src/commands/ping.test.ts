import { describe, expect, it } from 'vitest';
import { Session } from '../shell/session';

describe('ping', () => {
  it('without -c stops after a bounded number of probes when nothing can interrupt it', async () => {
    const s = await Session.create({ scenario: 'corpus', seed: 2 });
    await s.setup('ip link set lo up');
    const r = await s.run('ping 127.0.0.1');
    expect(r.output).toContain('10 packets transmitted, 10 received, 0% packet loss');
    expect(r.output.match(/^64 bytes from 127\.0\.0\.1: icmp_seq=\d+ ttl=64 time=0\.\d{3} ms$/gm)).toHaveLength(10);
  });

  it('without -c runs until Ctrl-C when a terminal watches, printing as it goes', async () => {
    const s = await Session.create({ scenario: 'corpus', seed: 2 });
    await s.setup('ip link set lo up');
    const ac = new AbortController();
    const chunks: string[] = [];
    const done = s.run('ping 127.0.0.1', { signal: ac.signal, onOutput: (c) => chunks.push(c) });
    await new Promise((r) => setTimeout(r, 1500));
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
    const s = await Session.create({ scenario: 'corpus', seed: 2 });
    expect(await s.run('ping')).toEqual({ output: 'ping: usage error: Destination address required\n', exitCode: 1 });
    expect(await s.run('ping -c 0 1.2.3.4')).toEqual({ output: "ping: invalid argument: '0': out of range: 1 <= value <= 9223372036854775807\n", exitCode: 1 });
    expect(await s.run('ping -c x 1.2.3.4')).toEqual({ output: "ping: invalid argument: 'x'\n", exitCode: 1 });
    expect(await s.run('ping -c 1 nosuchhost')).toEqual({ output: 'ping: nosuchhost: Temporary failure in name resolution\n', exitCode: 2 });
  });
});
