import { describe, expect, it } from 'vitest';
import { Session } from '../shell/session';
import { getScenario } from '../labs/scenarios/index';

describe('traceroute', () => {
  it('refuses a packet length that is not a number as traceroute 2.1.2 does, and leaves the counters alone', async () => {
    const s = await Session.create({ scenario: getScenario('corpus'), seed: 2 });
    await s.setup('ip link set lo up');
    const before = await s.run('ip -s link show lo');
    const r = await s.run('traceroute -n 127.0.0.1 abc; echo "rc=$?"');
    // recorded from traceroute 2.1.2 (Debian 12)
    expect(r.output).toBe("Cannot handle \"packetlen\" cmdline arg `abc' on position 2 (argc 3)\nrc=2\n");
    expect((await s.run('ip -s link show lo')).output).toBe(before.output);
  });

  it('traces to loopback in one hop', async () => {
    const s = await Session.create({ scenario: getScenario('corpus'), seed: 2 });
    await s.setup('ip link set lo up');
    const r = await s.run('traceroute -n 127.0.0.1');
    expect(r.output).toMatch(/^traceroute to 127\.0\.0\.1 \(127\.0\.0\.1\), 30 hops max, 60 byte packets\n 1  127\.0\.0\.1  \d+\.\d{3} ms  \d+\.\d{3} ms  \d+\.\d{3} ms\n$/);
  });
});
