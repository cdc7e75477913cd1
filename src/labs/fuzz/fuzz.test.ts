// A fixed-seed slice of `npm run fuzz`: no internal error, no invariant violation, no save/restore mismatch.
// (Lines over 100 ms are counted, not failed: speed is `npm run bench`'s, and this machine's load is not the
// page's.) The full run and its numbers are in README.
import { describe, expect, it } from 'vitest';
import { netCommands } from '../../commands/index';
import { fuzzLines, mutate, pools, prng } from './lines';
import { seedLines } from './seeds';
import { runFuzz, summary } from './run';

const p = pools(seedLines(), netCommands.map((c) => c.name));

describe('fuzz', () => {
  it('lines come from the real lines and every tool, the same for a seed', () => {
    const a = fuzzLines(7, 400, p);
    expect(a).toEqual(fuzzLines(7, 400, p));
    expect(a).not.toEqual(fuzzLines(8, 400, p));
    const tools = new Set(a.map((l) => l.split(' ')[0]));
    for (const c of netCommands) expect(tools, c.name).toContain(c.name);
    expect(mutate(prng(1), 'ip -4 addr add 10.0.0.1/24 dev eth0', p)).not.toBe('ip -4 addr add 10.0.0.1/24 dev eth0');
  });

  it('the checks see an internal error and a broken kernel', async () => {
    const r = await runFuzz(['boom', 'break', 'ip -br link'], {
      scenarios: ['blank'],
      run: async (s, line) => {
        if (line === 'boom') return { output: 'boom: internal error: x is undefined\n' };
        if (line === 'break') s.world.ns(s.world.host(s.homeHost).rootNs).links = [];
        return s.run(line);
      },
    });
    expect([r.internalErrors, r.violations]).toEqual([1, 1]);
    // a line over 100 ms on a loaded machine is counted, not a fault (as in the slice below)
    expect(r.findings.filter((f) => f.kind !== 'over 100 ms').map((f) => f.line)).toEqual(['boom', 'break']);
  });

  it('a fixed-seed slice over every kind of scenario: no internal error, violation or save/restore mismatch', async () => {
    const lines = fuzzLines(19, 600, p);
    const r = await runFuzz(lines, { scenarios: ['blank', 'netns-lab', 'router-two-networks', 'dns-server', 'proxy-lab', 'k8s-node'] });
    const bad = r.findings.filter((f) => f.kind !== 'over 100 ms');
    expect(bad, summary(r)).toEqual([]);
    expect(r.lines).toBe(600);
  });
});
