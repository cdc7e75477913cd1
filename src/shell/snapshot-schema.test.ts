import { describe, expect, it } from 'vitest';
import { Session } from './session';
import { snapshotProblem } from './snapshot-schema';

describe('a saved session is checked before it is restored', () => {
  it('a good snapshot passes and restores; damaged ones are refused with the reason', async () => {
    const s = await Session.create();
    await s.run('ip netns add red; cd /etc');
    const snap = s.snapshot();
    expect(snapshotProblem(snap)).toBeNull();
    const back = await Session.restore(snap, { untrusted: true });
    expect((await back.run('pwd; ip netns')).output).toBe('/etc\nred\n');

    const world = JSON.parse(snap.world) as Record<string, unknown>;
    const bad: [string, unknown][] = [
      ['world.hosts={}', { ...snap, world: JSON.stringify({ ...world, hosts: {} }) }],
      ['env {"PATH":5}', { ...snap, env: { PATH: 5 } }],
      ['world not JSON', { ...snap, world: '{"version":1' }],
      ['world version 9', { ...snap, world: JSON.stringify({ ...world, version: 9 }) }],
      ['namespaces without links', { ...snap, world: JSON.stringify({ ...world, namespaces: Object.fromEntries(Object.entries(world.namespaces as Record<string, object>).map(([k, v]) => [k, { ...v, links: null }])) }) }],
      ['a netns name pointing nowhere', { ...snap, world: snap.world.replace(/"red":"[^"]+"/, '"red":"ns-gone"') }],
    ];
    for (const [what, b] of bad) {
      expect(snapshotProblem(b), what).not.toBeNull();
      await expect(Session.restore(b as typeof snap, { untrusted: true }), what).rejects.toThrow(/^cannot restore the saved terminal: /);
    }
  });
});
