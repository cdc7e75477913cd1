// The write APIs commands use instead of touching kernel state: rule flush, hostname, bridge port settings.
import { describe, expect, it } from 'vitest';
import { KernelError } from './errors';
import { findLink, linkAdd, linkSetBrport, linkSetMaster } from './netdev';
import { ruleAdd, ruleFlush, sortedRules } from './rule';
import { World } from './world';

function host() {
  const w = World.create({ seed: 3 });
  const h = w.addHost('h');
  return { w, root: h.rootNs };
}

describe('ruleFlush', () => {
  it('removes the selected rules and counts them, leaving the others in place', () => {
    const { w, root } = host();
    ruleAdd(w, root, { family: 4, priority: 100, table: 10 });
    ruleAdd(w, root, { family: 4, priority: 200, table: 20 });
    expect(ruleFlush(w, root, (r) => r.table === 10 || r.table === 20)).toBe(2);
    expect(sortedRules(w.ns(root), 4).map((r) => r.priority)).toEqual([0, 32766, 32767]);
    expect(ruleFlush(w, root, () => false)).toBe(0);
  });
});

describe('setHostname', () => {
  it('sets the UTS name; over 64 bytes is EINVAL and leaves it alone', () => {
    const { w } = host();
    w.setHostname('h', 'web1');
    expect(w.host('h').hostname).toBe('web1');
    expect(() => w.setHostname('h', 'x'.repeat(65))).toThrow(KernelError);
    expect(w.host('h').hostname).toBe('web1');
  });
});

describe('linkSetBrport', () => {
  it('sets cost/priority/flags on a port; ERANGE changes nothing; a non-port is EOPNOTSUPP', () => {
    const { w, root } = host();
    const br = linkAdd(w, root, { kind: 'bridge', name: 'br0' });
    const v = linkAdd(w, root, { kind: 'veth', name: 'v0', peerName: 'v1' });
    expect(() => linkSetBrport(w, root, v.ifindex, { cost: 5, priority: null, flags: {} })).toThrow(expect.objectContaining({ errno: 'EOPNOTSUPP' }));
    linkSetMaster(w, root, v.ifindex, br.ifindex);
    linkSetBrport(w, root, v.ifindex, { cost: 5, priority: 7, flags: { learning: false } });
    expect(findLink(w.ns(root), 'v0')!.brport).toEqual({ cost: 5, priority: 7, flags: { learning: false } });
    expect(() => linkSetBrport(w, root, v.ifindex, { cost: 70000, priority: 1, flags: {} })).toThrow(expect.objectContaining({ errno: 'ERANGE' }));
    expect(findLink(w.ns(root), 'v0')!.brport).toEqual({ cost: 5, priority: 7, flags: { learning: false } });
  });
});
