import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findLink, linkAdd, linkDel, linkRename, linkSetMtu, linkSetNetns, linkSetUp } from './netdev';
import { netnsAdd } from './netns';
import { sysctlGet, sysctlKeys, sysctlSet } from './proc-sys';
import { sysctlStore } from './sysctl-table';
import { checkInvariants } from './invariants';
import { World } from './world';
import type { NsId } from './types';

// A save made by the build before sysctl-table.ts (2026-12-07, main at eb0501c: fixtures/saves): devices created
// before and after writes to `default`, a renamed one, one with a dot in its name, a key deleted, a device moved
// to another namespace with its MTU changed.
const OLD = readFileSync(new URL('../../fixtures/saves/sysctl-before-table.json', import.meta.url), 'utf8');

/** what reading a key gives (a value, or the error: some keys are write-only) */
const read = (w: World, ns: NsId, k: string): string => {
  try {
    return sysctlGet(w, ns, k);
  } catch (e) {
    return String(e);
  }
};

/** a namespace's table as plain data (what every reader sees: keys and values) */
const plain = (w: World, ns: NsId) => JSON.parse(JSON.stringify(w.ns(ns).sysctl)) as Record<string, string>;

describe('a namespace\'s sysctl table (sysctl-table.ts)', () => {
  it('restores a save made before it, reads the same values and saves the same text', () => {
    const w = World.restore(OLD);
    expect(w.snapshot()).toBe(OLD);
    const root = w.host('h').rootNs;
    const blue = w.host('h').netns['blue']!;
    expect(sysctlStore(w.ns(root).sysctl)).toBeDefined();
    // b1 was made while default.rp_filter was 2, d.5 after it became 1; forwarding followed ip_forward
    expect(sysctlGet(w, root, 'net.ipv4.conf.b1.rp_filter')).toBe('2');
    expect(sysctlGet(w, root, 'net.ipv4.conf.d/5.rp_filter')).toBe('1');
    expect(sysctlGet(w, root, 'net.ipv4.conf.d/5.arp_ignore')).toBe('1');
    expect(sysctlGet(w, root, 'net.ipv6.conf.b1.accept_dad')).toBe('0');
    expect(sysctlGet(w, root, 'net.ipv4.conf.b1.forwarding')).toBe('1');
    expect(sysctlGet(w, blue, 'net.ipv6.conf.a0.mtu')).toBe('1400');
    expect(sysctlGet(w, blue, 'net.ipv4.conf.a0.rp_filter')).toBe('0');
    expect(w.ns(blue).sysctl['net.ipv4.neigh.a0.gc_stale_time']).toBe('60');
    // every key sysctl -a lists has a value, and the table lists each device's keys once
    const keys = Object.keys(w.ns(root).sysctl);
    expect(new Set(keys).size).toBe(keys.length);
    const devKeys = sysctlKeys(w, root).filter((k) => /\.(b1|d\/5|lo)\./.test(k));
    expect(devKeys.length).toBeGreaterThan(150);
    expect(devKeys.filter((k) => read(w, root, k) === '')).toEqual([]);
    // the same table, made again the slow way (the JSON copy of the world holds plain records)
    expect(plain(w.clone(), root)).toEqual(plain(w, root));
    expect(checkInvariants(w)).toEqual([]);
  });

  it('a device starts with the namespace\'s current default values; later writes to default change no existing device', () => {
    const w = World.restore(OLD);
    const root = w.host('h').rootNs;
    sysctlSet(w, root, 'net.ipv4.conf.default.rp_filter', '2');
    sysctlSet(w, root, 'net.ipv6.conf.default.hop_limit', '9');
    linkAdd(w, root, { kind: 'dummy', name: 'x0' });
    sysctlSet(w, root, 'net.ipv4.conf.default.rp_filter', '0');
    expect(sysctlGet(w, root, 'net.ipv4.conf.x0.rp_filter')).toBe('2');
    expect(sysctlGet(w, root, 'net.ipv6.conf.x0.hop_limit')).toBe('9');
    expect(sysctlGet(w, root, 'net.ipv4.conf.d/5.rp_filter')).toBe('1');
    expect(sysctlGet(w, root, 'net.ipv4.conf.x0.forwarding')).toBe('1'); // from all (ip_forward=1)
    // renamed: the values go with it; deleted: its keys go
    linkRename(w, root, findLink(w.ns(root), 'x0')!.ifindex, 'y0');
    expect(sysctlGet(w, root, 'net.ipv4.conf.y0.rp_filter')).toBe('2');
    expect(w.ns(root).sysctl['net.ipv4.conf.x0.rp_filter']).toBeUndefined();
    linkDel(w, root, findLink(w.ns(root), 'y0')!.ifindex);
    expect(Object.keys(w.ns(root).sysctl).some((k) => k.includes('.y0.'))).toBe(false);
    expect(checkInvariants(w)).toEqual([]);
    expect(World.restore(w.snapshot()).snapshot()).toBe(w.snapshot());
  });

  it('holds what a plain record holds through the same operations (a JSON copy of the world keeps plain records)', () => {
    const w = World.create({ seed: 9 });
    const root = w.addHost('h').rootNs;
    const c = w.clone(); // plain records from here on
    const run = (x: World) => {
      linkSetUp(x, root, 1, true);
      sysctlSet(x, root, 'net.ipv4.conf.default.arp_ignore', '1');
      const v = linkAdd(x, root, { kind: 'veth', name: 'v0', peerName: 'v1' });
      sysctlSet(x, root, 'net.ipv6.conf.all.forwarding', '1');
      linkAdd(x, root, { kind: 'bridge', name: 'br.0' });
      sysctlSet(x, root, 'net.ipv4.conf.v1.rp_filter', '2');
      sysctlSet(x, root, 'net.ipv4.conf.v1.rp_filter', '0');
      sysctlSet(x, root, 'net.ipv6.conf.v0.disable_ipv6', '1');
      linkSetMtu(x, root, v.ifindex, 1300);
      delete x.ns(root).sysctl['net.ipv4.neigh.v1.ucast_solicit'];
      linkRename(x, root, findLink(x.ns(root), 'v1')!.ifindex, 'w1');
      x.ns(root).sysctl['net.ipv4.conf.nodev.x'] = '7';
      const blue = netnsAdd(x, 'h', 'blue').id;
      linkSetNetns(x, root, v.ifindex, blue);
      linkSetNetns(x, blue, v.ifindex, root);
      x.setSysctl(root, 'net.ipv4.ip_forward', '1');
    };
    run(w);
    run(c);
    expect(sysctlStore(c.ns(root).sysctl)).toBeUndefined();
    expect(plain(w, root)).toEqual(plain(c, root));
    expect(Object.keys(w.ns(root).sysctl).sort()).toEqual(Object.keys(c.ns(root).sysctl).sort());
    expect(w.snapshot()).toBe(c.snapshot());
    for (const k of sysctlKeys(w, root)) expect(read(w, root, k), k).toBe(read(c, root, k));
  });
});
