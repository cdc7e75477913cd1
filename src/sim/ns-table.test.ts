import { describe, expect, it } from 'vitest';
import { World } from './world';
import { buildBenchWorld } from './bench';
import { pingOnce } from './packet';
import { linkSetUp } from './netdev';
import { decodeShared } from './sibling-delta';

describe('the namespace table (incremental snapshots)', () => {
  it('a snapshot encodes again only the namespaces reached since the last one; a restored world stays in its saved form until reached', () => {
    const w = World.restore(buildBenchWorld(60).snapshot());
    const bench = w.state.hosts.bench!;
    const a = w.host('bench').netns['ns10']!;
    const first = w.snapshot();
    expect(w.table.encoded).toBe(0); // nothing reached: the saved text as it came
    pingOnce(w, a, '10.0.0.40'); // the first one floods its ARP request to every port: every namespace hears it
    w.snapshot();
    const before = w.table.encoded;
    pingOnce(w, a, '10.0.0.40');
    const second = w.snapshot();
    // then: the pinging namespace, the bridge host's root and the one answering, not the 57 others
    expect(w.table.encoded - before).toBeGreaterThan(0);
    expect(w.table.encoded - before).toBeLessThan(6);
    expect(second).not.toBe(first);
    expect(World.restore(second).snapshot()).toBe(second);
    expect(w.snapshot()).toBe(second);
    expect(bench.rootNs).toBeTruthy();
  });

  it('the whole-snapshot check catches a namespace changed without being reached through the table', () => {
    const w = World.create();
    const h = w.addHost('h');
    const kept = w.ns(h.rootNs); // kept across a snapshot: against the table's contract
    w.snapshot();
    kept.sysctl['net.ipv4.ip_forward'] = '1';
    expect(() => w.snapshot()).toThrow(/incremental text differs/);
    World.checkSnapshots = false;
    try {
      expect(JSON.parse(w.snapshot()).namespaces[h.rootNs].sysctl).toEqual({}); // what the check is for
    } finally {
      World.checkSnapshots = true;
    }
    linkSetUp(w, h.rootNs, 1, true);
    expect(JSON.parse(w.snapshot()).namespaces[h.rootNs].sysctl).toEqual({ 'net.ipv4.ip_forward': '1' });
  });

  it('a saved namespace\'s sysctl difference is kept until its table is written or its devices change', () => {
    const w = World.restore(buildBenchWorld(4).snapshot());
    const root = w.host('bench').rootNs;
    const kept = w.ns(root).sysctl; // the table (it counts its writes: sysctl-table.ts)
    w.snapshot();
    const diffOf = () => (decodeShared(JSON.parse(w.snapshot()).namespaces[root]) as { sysctl: Record<string, string | null> }).sysctl;
    expect(diffOf()).toEqual({});
    w.setSysctl(root, 'net.ipv4.ip_forward', '1');
    expect(diffOf()['net.ipv4.ip_forward']).toBe('1');
    delete w.ns(root).sysctl['net.ipv4.conf.br0.forwarding'];
    expect(diffOf()['net.ipv4.conf.br0.forwarding']).toBeNull();
    // an MTU change moves the usual value of net.ipv6.conf.IF.mtu: the kept difference is not reused
    const br = w.ns(root).links.find((l) => l.name === 'br0')!;
    br.mtu = 1400;
    expect(diffOf()['net.ipv6.conf.br0.mtu']).toBe('1500');
    // written through the table kept from before, the namespace reached again: the write is counted, not missed
    kept['net.ipv4.tcp_syncookies'] = '0';
    void w.ns(root);
    expect(diffOf()['net.ipv4.tcp_syncookies']).toBe('0');
    // a device's key (kept in the device's entry), and a key of a device the namespace does not have (v1 is ns1's)
    void w.ns(root);
    kept['net.ipv4.conf.p1.rp_filter'] = '2';
    kept['net.ipv4.conf.v1.rp_filter'] = '2';
    expect(diffOf()['net.ipv4.conf.p1.rp_filter']).toBe('2');
    expect(diffOf()['net.ipv4.conf.v1.rp_filter']).toBe('2');
    expect(w.ns(root).sysctl['net.ipv4.conf.p1.rp_filter']).toBe('2');
  });

  it('namespaces added and deleted, a copy, and JSON of the live state', () => {
    const w = World.restore(buildBenchWorld(5).snapshot());
    const ns = w.newNamespace('bench', 'extra');
    delete w.state.namespaces[w.host('bench').netns['ns1']!];
    const text = w.snapshot();
    expect(JSON.parse(text).namespaces).toHaveProperty(ns.id);
    expect(World.restore(text).state).toEqual(JSON.parse(JSON.stringify(w.state)));
    expect(w.clone().snapshot()).toBe(text);
  });

  it('World.changes counts the snapshots that differ in more than the clock', () => {
    const w = World.restore(buildBenchWorld(8).snapshot());
    w.snapshot();
    const n = w.changes;
    w.advance(1000);
    const root = w.host('bench').rootNs;
    void w.ns(root).links.length; // reached, not changed
    w.snapshot();
    expect(w.changes).toBe(n);
    linkSetUp(w, w.host('bench').netns['ns3']!, 1, true);
    w.snapshot();
    expect(w.changes).toBe(n + 1);
    w.state.hosts.bench!.hostname = 'renamed';
    w.snapshot();
    expect(w.changes).toBe(n + 2);
    w.snapshot();
    expect(w.changes).toBe(n + 2);
  });
});
