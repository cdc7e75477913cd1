// The kernel's derived indexes (issue 17, 1,000 namespaces): routes by key and by device (fib.ts), FDB entries by
// MAC (netdev.ts), links by ifindex (a binary search). Each must answer as a scan of the state would, whatever
// changed the state in between.
import { describe, expect, it } from 'vitest';
import { addAddress, delAddress } from './addr';
import { fdbLearn, fdbLookup, findLink, linkAdd, linkByIndex, linkDel, linkSetMaster, linkSetNetns, linkSetUp } from './netdev';
import { routeAdd, routeDel, routesOf } from './fib';
import { netnsAdd } from './netns';
import { checkInvariants } from './invariants';
import { World } from './world';

function host() {
  const w = World.create({ seed: 7 });
  const root = w.addHost('h').rootNs;
  linkSetUp(w, root, 1, true);
  return { w, root };
}
const dump = (w: World, ns: string) => routesOf(w.ns(ns)).map((r) => `${r.family} ${r.type} ${r.dst}/${r.dstLen} t${r.table} dev ${r.oif} m${r.metric}${r.nexthops ? ` hops ${r.nexthops.map((h) => h.oif).join(',')}` : ''}`);

describe('kernel indexes', () => {
  it('a device leaving a namespace takes its routes, also its hop of a multipath route appended in place', () => {
    const { w, root } = host();
    const a = linkAdd(w, root, { kind: 'dummy', name: 'a' });
    const b = linkAdd(w, root, { kind: 'dummy', name: 'b' });
    for (const l of [a, b]) linkSetUp(w, root, l.ifindex, true);
    addAddress(w, root, a.ifindex, { local: 'fd00::1', prefixlen: 64 });
    addAddress(w, root, b.ifindex, { local: 'fd01::1', prefixlen: 64 });
    w.advance(3000);
    routeAdd(w, root, { family: 6, dst: '2001:db8::', dstLen: 32, gateway: 'fd00::2', oif: a.ifindex });
    // appended in place as a second hop (rt6 siblings): the route now also goes through b
    routeAdd(w, root, { family: 6, dst: '2001:db8::', dstLen: 32, gateway: 'fd01::2', oif: b.ifindex }, 'append');
    expect(dump(w, root).filter((r) => r.includes('2001:db8::'))).toEqual([`6 unicast 2001:db8::/32 t254 dev ${a.ifindex} m1024 hops ${a.ifindex},${b.ifindex}`]);
    const ns = netnsAdd(w, 'h', 'x');
    linkSetNetns(w, root, b.ifindex, ns.id);
    // nothing through b is left; the route keeps its hop through a, as an ordinary route
    expect(dump(w, root).filter((r) => r.includes(`dev ${b.ifindex} `) || r.includes(`,${b.ifindex}`))).toEqual([]);
    expect(dump(w, root).filter((r) => r.includes('2001:db8::'))).toEqual([`6 unicast 2001:db8::/32 t254 dev ${a.ifindex} m1024`]);
    expect(checkInvariants(w)).toEqual([]);
  });

  it('a kernel route comes back after a replace changed the route with its key in place', () => {
    const { w, root } = host();
    const a = linkAdd(w, root, { kind: 'dummy', name: 'a' });
    const b = linkAdd(w, root, { kind: 'dummy', name: 'b' });
    for (const l of [a, b]) linkSetUp(w, root, l.ifindex, true);
    addAddress(w, root, a.ifindex, { local: '10.1.0.1', prefixlen: 24 });
    const before = dump(w, root);
    // the connected route replaced by one through b (same table, prefix and metric), then deleted
    routeAdd(w, root, { family: 4, dst: '10.1.0.0', dstLen: 24, oif: b.ifindex }, 'replace');
    routeDel(w, root, { family: 4, dst: '10.1.0.0', dstLen: 24 });
    // the address again: its connected route is not taken for already there
    delAddress(w, root, a.ifindex, { local: '10.1.0.1', prefixlen: 24 });
    addAddress(w, root, a.ifindex, { local: '10.1.0.1', prefixlen: 24 });
    expect(dump(w, root).filter((r) => r.startsWith('4 unicast 10.1.0.0/24'))).toEqual(before.filter((r) => r.startsWith('4 unicast 10.1.0.0/24')));
  });

  it('links are found by ifindex among thousands, and the bridge FDB by MAC after flushes and moves', () => {
    const { w, root } = host();
    const br = linkAdd(w, root, { kind: 'bridge', name: 'br0' });
    linkSetUp(w, root, br.ifindex, true);
    const ports: number[] = [];
    for (let i = 0; i < 300; i++) {
      const v = linkAdd(w, root, { kind: 'veth', name: `v${i}`, peerName: `p${i}` });
      const p = findLink(w.ns(root), `p${i}`)!;
      linkSetMaster(w, root, p.ifindex, br.ifindex);
      ports.push(p.ifindex);
      if (i % 3 === 0) linkDel(w, root, v.ifindex);
    }
    const r = w.ns(root);
    for (const l of r.links) expect(linkByIndex(r, l.ifindex)).toBe(l);
    expect(linkByIndex(r, 100_000)).toBeUndefined();
    const live = ports.filter((p) => linkByIndex(r, p));
    const bridge = linkByIndex(r, br.ifindex)!;
    fdbLearn(w, r, bridge, live[5]!, '02:00:00:00:00:05');
    fdbLearn(w, r, bridge, live[6]!, '02:00:00:00:00:06');
    expect(fdbLookup(w, r, bridge, '02:00:00:00:00:05')).toBe(live[5]);
    fdbLearn(w, r, bridge, live[7]!, '02:00:00:00:00:05');
    expect(fdbLookup(w, r, bridge, '02:00:00:00:00:05')).toBe(live[7]);
    // the port goes: its entries go with it, the other stays
    linkDel(w, root, linkByIndex(r, live[6]!)!.peer!.ifindex);
    expect(fdbLookup(w, r, bridge, '02:00:00:00:00:06')).toBeNull();
    expect(fdbLookup(w, r, bridge, '02:00:00:00:00:05')).toBe(live[7]);
    // a port's own MAC is the bridge's (local)
    expect(fdbLookup(w, r, bridge, linkByIndex(r, live[8]!)!.mac)).toBe(bridge.ifindex);
    w.advance(301_000);
    expect(fdbLookup(w, r, bridge, '02:00:00:00:00:05')).toBeNull();
    expect(checkInvariants(w)).toEqual([]);
  });
});
