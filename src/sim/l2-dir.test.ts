import { describe, expect, it } from 'vitest';
import { addAddress, isDadFailed } from './addr';
import { checkInvariants } from './invariants';
import { fdbEntries, findLink, linkAdd, linkSetMaster, linkSetNetns, linkSetUp } from './netdev';
import { netnsAdd } from './netns';
import { World } from './world';
import type { NsId } from './types';

/** a host whose root holds br0 with `n` namespaces on it (veth pN on the bridge, vN in nsN), everything up */
function bridged(n: number) {
  const w = World.create({ seed: 3 });
  const root = w.addHost('h').rootNs;
  linkSetUp(w, root, 1, true);
  const br = linkAdd(w, root, { kind: 'bridge', name: 'br0' });
  linkSetUp(w, root, br.ifindex, true);
  const ns: NsId[] = [];
  for (let i = 0; i < n; i++) ns.push(plug(w, root, br.ifindex, `ns${i}`, `v${i}`, `p${i}`));
  return { w, root, br: br.ifindex, ns };
}

function plug(w: World, root: NsId, br: number, name: string, inside: string, port: string): NsId {
  const id = netnsAdd(w, 'h', name).id;
  const v = linkAdd(w, root, { kind: 'veth', name: inside, peerName: port });
  linkSetMaster(w, root, findLink(w.ns(root), port)!.ifindex, br);
  linkSetUp(w, root, findLink(w.ns(root), port)!.ifindex, true);
  const moved = linkSetNetns(w, root, v.ifindex, id);
  linkSetUp(w, id, moved.ifindex, true);
  return id;
}

const ifOf = (w: World, ns: NsId) => w.ns(ns).links.find((l) => l.kind === 'veth')!.ifindex;
const addrOf = (w: World, ns: NsId, local: string) => w.ns(ns).addrs.find((a) => a.local === local)!;

describe('the layer-2 directory (what the walks over a bridge skip)', () => {
  it('DAD across a bridge still finds the holder of an address, whether added before or after the first walk', () => {
    const { w, ns } = bridged(3);
    // the first walks built the directory; an address added since is listed
    addAddress(w, ns[0]!, ifOf(w, ns[0]!), { local: 'fd00::1', prefixlen: 64 });
    w.advance(3000);
    addAddress(w, ns[2]!, ifOf(w, ns[2]!), { local: 'fd00:0::1', prefixlen: 64 });
    w.advance(3000);
    expect(isDadFailed(w, addrOf(w, ns[2]!, 'fd00::1'))).toBe(true);
    expect(isDadFailed(w, addrOf(w, ns[0]!, 'fd00::1'))).toBe(false);
    // an address nobody else holds passes (the walk is skipped)
    addAddress(w, ns[1]!, ifOf(w, ns[1]!), { local: 'fd00::2', prefixlen: 64 });
    w.advance(3000);
    expect(isDadFailed(w, addrOf(w, ns[1]!, 'fd00::2'))).toBe(false);
    expect(checkInvariants(w)).toEqual([]);
  });

  it('a restored world lists the addresses and bridges of namespaces still in their saved form', () => {
    const { w, ns } = bridged(3);
    addAddress(w, ns[0]!, ifOf(w, ns[0]!), { local: 'fd00::7', prefixlen: 64 });
    w.advance(3000);
    const r = World.restore(w.snapshot());
    // nothing reached yet: the directory is built from the saved forms when the first walk needs it
    addAddress(r, ns[1]!, ifOf(r, ns[1]!), { local: 'fd00::7', prefixlen: 64 });
    r.advance(3000);
    expect(isDadFailed(r, addrOf(r, ns[1]!, 'fd00::7'))).toBe(true);
    expect(checkInvariants(r)).toEqual([]);
  });

  it('a device coming up is learnt by a second bridge behind a port, in a namespace whose bridge came after the first walk', () => {
    const { w, root, br } = bridged(2);
    // a second bridge in another namespace, joined to br0 by a veth pair: its namespace now holds a bridge
    const far = netnsAdd(w, 'h', 'far').id;
    linkSetUp(w, far, 1, true);
    const br2 = linkAdd(w, far, { kind: 'bridge', name: 'br1' });
    linkSetUp(w, far, br2.ifindex, true);
    const up = linkAdd(w, root, { kind: 'veth', name: 'up1', peerName: 'up0' });
    linkSetMaster(w, root, findLink(w.ns(root), 'up0')!.ifindex, br);
    linkSetUp(w, root, findLink(w.ns(root), 'up0')!.ifindex, true);
    const moved = linkSetNetns(w, root, up.ifindex, far);
    linkSetMaster(w, far, moved.ifindex, br2.ifindex);
    linkSetUp(w, far, moved.ifindex, true);
    // a new namespace on br0: its device's announcement crosses br0 and reaches br1, which learns it on up1
    const n = plug(w, root, br, 'late', 'vl', 'pl');
    const mac = findLink(w.ns(n), 'vl')!.mac;
    const learnt = fdbEntries(w, w.ns(far), findLink(w.ns(far), 'br1')!).find((e) => e.mac === mac);
    expect(learnt?.port).toBe(moved.ifindex);
    expect(fdbEntries(w, w.ns(root), findLink(w.ns(root), 'br0')!).find((e) => e.mac === mac)?.port).toBe(findLink(w.ns(root), 'pl')!.ifindex);
    expect(checkInvariants(w)).toEqual([]);
  });
});
