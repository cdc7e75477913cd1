// Probes run in a fresh shell on a copy of the graded state, on the host they
// name: the learner's functions, aliases, variables, working directory and
// open ssh logins are not there, and the graded state does not change.
import { describe, expect, it } from 'vitest';
import { Session } from '../shell/session';
import { getScenario } from './scenarios/index';
import { freshProbe, PROBE_TIME_MS } from './probe';

describe('freshProbe', () => {
  it('sees none of the learner\'s shell and follows no open ssh login', async () => {
    const s = await Session.create({ scenario: getScenario('netns-lab'), seed: 1 });
    for (const line of ['ip netns add red', 'ping() { return 0; }', 'alias ip=true', 'export FOO=learner', 'cd /tmp', 'ssh lan']) await s.run(line);
    // the learner's own shell is fooled, and is on the LAN host now
    expect((await s.run('ping -c 1 -W 1 203.0.113.9')).exitCode).toBe(0);
    expect((await s.run('hostname')).output.trim()).toBe('lan');
    const snap = s.snapshot();
    const probe = freshProbe(Session, snap, snap.host);
    const ping = await probe('ping -c 1 -W 1 203.0.113.9');
    expect(ping.exitCode).not.toBe(0);
    expect((await probe('type ip')).output).toMatch(/^ip is \//);
    expect((await probe('echo "[$FOO]"; pwd')).output).toBe('[]\n/root\n');
    expect((await probe('hostname')).output.trim()).not.toBe('lan');
    expect((await probe('ip netns list')).output).toContain('red');
    expect((await probe('hostname', { host: 'lan' })).output.trim()).toBe('lan');
    expect((await probe('ip link show lo', { netns: 'red' })).output).toContain('lo:');
  });

  it('never changes the graded state', async () => {
    const s = await Session.create({ scenario: getScenario('netns-lab'), seed: 1 });
    const snap = s.snapshot();
    const probe = freshProbe(Session, snap, snap.host);
    await probe('ip netns add blue');
    expect((await probe('ip netns list')).output).not.toContain('blue');
    expect(s.snapshot().world).toBe(snap.world);
  });

  it('gives a probe line far more wall-clock time than a learner\'s line, so that a loaded machine fails no check', async () => {
    const s = await Session.create({ scenario: getScenario('netns-lab'), seed: 1 });
    const snap = s.snapshot();
    const seen: unknown[] = [];
    const factory = { create: Session.create.bind(Session), restore: (sn: typeof snap, opts?: { limits?: { maxExecutionTimeMs?: number } }) => (seen.push(opts), Session.restore(sn, opts)) };
    expect((await freshProbe(factory, snap, snap.host)('true')).exitCode).toBe(0);
    expect(seen).toEqual([{ limits: { maxExecutionTimeMs: PROBE_TIME_MS } }]);
    expect(PROBE_TIME_MS).toBeGreaterThanOrEqual(60_000);
  });
});
