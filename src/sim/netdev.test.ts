import { describe, expect, it } from 'vitest';
import { addAddress } from './addr';
import { errnoOf } from './testing';
import { checkInvariants } from './invariants';
import {
  bridgePorts,
  findLink,
  IFF,
  linkAdd,
  linkDel,
  linkIfFlags,
  linkOperState,
  linkRename,
  linkSetMac,
  linkSetMaster,
  linkSetMtu,
  linkSetNetns,
  linkSetUp,
  portState,
} from './netdev';
import { netnsAdd, netnsDel, netnsList, nsidAlloc, nsidOf, nsidSet } from './netns';
import { sysctlGet } from './proc-sys';
import { World } from './world';

function host() {
  const w = World.create({ seed: 7 });
  const h = w.addHost('h');
  linkSetUp(w, h.rootNs, 1, true);
  return { w, root: h.rootNs };
}

const errno = (fn: () => unknown): string => errnoOf(fn, { extack: true });

describe('veth pairs', () => {
  it('registers the peer first and derives carrier from both ends', () => {
    const { w, root } = host();
    const v0 = linkAdd(w, root, { kind: 'veth', name: 'veth0', peerName: 'veth1' });
    const ns = w.ns(root);
    const v1 = findLink(ns, 'veth1')!;
    expect(v1.ifindex).toBe(2);
    expect(v0.ifindex).toBe(3);
    expect(linkOperState(w, ns, v0)).toBe('DOWN');
    linkSetUp(w, root, v0.ifindex, true);
    expect(linkOperState(w, ns, v0)).toBe('LOWERLAYERDOWN');
    expect(linkIfFlags(w, ns, v0) & IFF.RUNNING).toBe(0);
    linkSetUp(w, root, v1.ifindex, true);
    expect(linkOperState(w, ns, v0)).toBe('UP');
    expect(linkIfFlags(w, ns, v0) & (IFF.UP | IFF.LOWER_UP)).toBe(IFF.UP | IFF.LOWER_UP);
    expect(v0.qdisc).toBe('noqueue');
  });

  it('deleting one end deletes both', () => {
    const { w, root } = host();
    linkAdd(w, root, { kind: 'veth', name: 'a', peerName: 'b' });
    linkDel(w, root, findLink(w.ns(root), 'b')!.ifindex);
    expect(w.ns(root).links.map((l) => l.name)).toEqual(['lo']);
    expect(checkInvariants(w)).toEqual([]);
  });

  it('keeps the ifindex when moved and assigns netns ids as the kernel does', () => {
    const { w, root } = host();
    const red = netnsAdd(w, 'h', 'red');
    const blue = netnsAdd(w, 'h', 'blue');
    linkAdd(w, root, { kind: 'veth', name: 'veth-red', peerName: 'veth-blue' });
    const moved = linkSetNetns(w, root, findLink(w.ns(root), 'veth-red')!.ifindex, red.id);
    expect(moved.ifindex).toBe(3);
    linkSetNetns(w, root, findLink(w.ns(root), 'veth-blue')!.ifindex, blue.id);
    expect(nsidOf(w, root, red.id)).toBe(0);
    expect(nsidOf(w, root, blue.id)).toBe(1);
    expect(nsidOf(w, red.id, root)).toBe(0);
    expect(netnsList(w, 'h')).toEqual(['blue', 'red']);
    expect(checkInvariants(w)).toEqual([]);
  });

  it('refuses a name already used in the target namespace', () => {
    const { w, root } = host();
    const red = netnsAdd(w, 'h', 'red');
    linkAdd(w, red.id, { kind: 'veth', name: 'eth0', peerName: 'x' });
    const e = linkAdd(w, root, { kind: 'veth', name: 'eth0', peerName: 'y' });
    expect(errno(() => linkSetNetns(w, root, e.ifindex, red.id))).toBe('EEXIST');
  });
});

describe('bridges', () => {
  it('a bridge\'s ports and their MACs as devices join, leave, move, change MAC or are deleted (the port index)', async () => {
    const { fdbLookup } = await import('./fdb');
    const { w, root } = host();
    const br = linkAdd(w, root, { kind: 'bridge', name: 'br0' });
    const names = () => bridgePorts(w.ns(root), br.ifindex).map((l) => l.name);
    const dev = (n: string) => findLink(w.ns(root), n)!;
    for (const n of ['a', 'b', 'c']) linkAdd(w, root, { kind: 'veth', name: n, peerName: `${n}p` });
    expect(names()).toEqual([]);
    for (const n of ['c', 'a', 'bp']) linkSetMaster(w, root, dev(n).ifindex, br.ifindex);
    expect(names()).toEqual(['a', 'bp', 'c'].sort((x, y) => dev(x).ifindex - dev(y).ifindex));
    expect(fdbLookup(w, w.ns(root), dev('br0'), dev('a').mac)).toBe(br.ifindex); // a port's own MAC: local
    linkSetMac(w, root, dev('a').ifindex, '02:00:00:00:aa:01');
    expect(fdbLookup(w, w.ns(root), dev('br0'), '02:00:00:00:aa:01')).toBe(br.ifindex);
    linkSetMaster(w, root, dev('c').ifindex, null);
    expect(names()).not.toContain('c');
    expect(fdbLookup(w, w.ns(root), dev('br0'), dev('c').mac)).toBeNull();
    const red = netnsAdd(w, 'h', 'red');
    linkSetNetns(w, root, dev('a').ifindex, red.id);
    expect(names()).toEqual(['bp']);
    linkAdd(w, root, { kind: 'dummy', name: 'd' });
    linkSetMaster(w, root, dev('d').ifindex, br.ifindex);
    linkDel(w, root, dev('b').ifindex);
    expect(names()).toEqual(['d']);
    expect(checkInvariants(w)).toEqual([]);
  });

  it('empty bridge up is UNKNOWN; a bridge whose ports are down has no carrier; MAC and MTU follow the ports', () => {
    const { w, root } = host();
    const ns = w.ns(root);
    const br = linkAdd(w, root, { kind: 'bridge', name: 'br0' });
    const ownMac = br.mac;
    linkSetUp(w, root, br.ifindex, true);
    expect(linkOperState(w, ns, br)).toBe('UNKNOWN');
    const v = linkAdd(w, root, { kind: 'veth', name: 'p0', peerName: 'q0' });
    linkSetMtu(w, root, v.ifindex, 9000);
    linkSetMaster(w, root, v.ifindex, br.ifindex);
    expect(bridgePorts(ns, br.ifindex).map((l) => l.name)).toEqual(['p0']);
    expect(br.mac).toBe(v.mac);
    expect(br.mtu).toBe(9000);
    expect(linkOperState(w, ns, br)).toBe('DOWN');
    expect(portState(w, ns, v)).toBe(0);
    linkSetUp(w, root, v.ifindex, true);
    linkSetUp(w, root, findLink(ns, 'q0')!.ifindex, true);
    expect(linkOperState(w, ns, br)).toBe('UP');
    expect(portState(w, ns, v)).toBe(3);
    linkSetMaster(w, root, v.ifindex, null);
    expect(br.mac).toBe('00:00:00:00:00:00');
    expect(br.mtu).toBe(1500);
    expect(linkOperState(w, ns, br)).toBe('DOWN');
    expect(ownMac).not.toBe(br.mac);
  });

  it('takes the lowest port MAC', () => {
    const { w, root } = host();
    const br = linkAdd(w, root, { kind: 'bridge', name: 'br0' });
    const a = linkAdd(w, root, { kind: 'veth', name: 'a', peerName: 'a1', mac: '0a:00:00:00:00:02' });
    const b = linkAdd(w, root, { kind: 'veth', name: 'b', peerName: 'b1', mac: '0a:00:00:00:00:01' });
    linkSetMaster(w, root, a.ifindex, br.ifindex);
    expect(br.mac).toBe('0a:00:00:00:00:02');
    linkSetMaster(w, root, b.ifindex, br.ifindex);
    expect(br.mac).toBe('0a:00:00:00:00:01');
  });

  it('rejects enslaving a bridge or lo, and non-bridge masters', () => {
    const { w, root } = host();
    const br = linkAdd(w, root, { kind: 'bridge', name: 'br0' });
    const br2 = linkAdd(w, root, { kind: 'bridge', name: 'br1' });
    const v = linkAdd(w, root, { kind: 'veth', name: 'a', peerName: 'b' });
    expect(errno(() => linkSetMaster(w, root, br2.ifindex, br.ifindex))).toMatch(/^ELOOP/);
    expect(errno(() => linkSetMaster(w, root, 1, br.ifindex))).toMatch(/^EINVAL/);
    expect(errno(() => linkSetMaster(w, root, br.ifindex, v.ifindex))).toBe('EOPNOTSUPP');
  });
});

describe('namespaces', () => {
  it('deleting a namespace destroys its veths with their peers', () => {
    const { w, root } = host();
    const red = netnsAdd(w, 'h', 'red');
    linkAdd(w, root, { kind: 'veth', name: 'v', peerName: 'p', peerNs: red.id });
    netnsDel(w, 'h', 'red');
    expect(w.ns(root).links.map((l) => l.name)).toEqual(['lo']);
    expect(nsidOf(w, root, red.id)).toBeNull();
    expect(checkInvariants(w)).toEqual([]);
  });

  it('netns ids: the lowest free one, again after a namespace is deleted; ids set by hand are skipped', () => {
    const { w, root } = host();
    const ns = ['a', 'b', 'c', 'd'].map((n) => netnsAdd(w, 'h', n).id);
    expect(ns.map((id) => nsidAlloc(w, root, id))).toEqual([0, 1, 2, 3]);
    netnsDel(w, 'h', 'b');
    const e = netnsAdd(w, 'h', 'e').id;
    expect(nsidAlloc(w, root, e)).toBe(1);
    const f = netnsAdd(w, 'h', 'f').id;
    const g = netnsAdd(w, 'h', 'g').id;
    expect(nsidSet(w, root, f, 4)).toBe(4);
    expect(errno(() => nsidSet(w, root, g, 2))).toBe('EEXIST');
    expect(nsidAlloc(w, root, g)).toBe(5);
    // a restored world (new namespace objects) goes on from its saved ids
    const r = World.restore(w.snapshot());
    const h = netnsAdd(r, 'h', 'h').id;
    netnsDel(r, 'h', 'a');
    expect(nsidAlloc(r, root, h)).toBe(0);
    expect(checkInvariants(r)).toEqual([]);
  });

  it('returns physical NICs to the root namespace', async () => {
    const { w, root } = host();
    const { addNic, segmentAdd } = await import('./netdev');
    segmentAdd(w, 'sw', 'switch');
    const nic = addNic(w, root, 'eth0', 'sw');
    const red = netnsAdd(w, 'h', 'red');
    linkSetNetns(w, root, nic.ifindex, red.id);
    expect(findLink(w.ns(root), 'eth0')).toBeUndefined();
    netnsDel(w, 'h', 'red');
    expect(findLink(w.ns(root), 'eth0')).toBeDefined();
    expect(checkInvariants(w)).toEqual([]);
  });

  it('rejects duplicates and unknown names', () => {
    const { w } = host();
    netnsAdd(w, 'h', 'red');
    expect(errno(() => netnsAdd(w, 'h', 'red'))).toBe('EEXIST');
    expect(errno(() => netnsDel(w, 'h', 'blue'))).toBe('ENOENT');
  });
});

describe('rename, mtu, sysctls', () => {
  it('renames the per-interface sysctls and IPv4 labels', () => {
    const { w, root } = host();
    const v = linkAdd(w, root, { kind: 'veth', name: 'veth0', peerName: 'veth1' });
    addAddress(w, root, v.ifindex, { local: '10.0.0.1', prefixlen: 24 });
    w.ns(root).sysctl['net.ipv4.conf.veth0.rp_filter'] = '2';
    linkRename(w, root, v.ifindex, 'lab0');
    const s = w.ns(root).sysctl;
    expect(s['net.ipv4.conf.veth0.forwarding']).toBeUndefined();
    expect(s['net.ipv4.conf.lab0.rp_filter']).toBe('2');
    expect(w.ns(root).addrs.find((a) => a.local === '10.0.0.1')!.label).toBe('lab0');
    expect(errno(() => linkRename(w, root, v.ifindex, 'veth1'))).toBe('EEXIST');
    expect(errno(() => linkRename(w, root, v.ifindex, 'a/b'))).toBe('EINVAL');
  });

  it('checks MTU bounds with the kernel messages', () => {
    const { w, root } = host();
    const v = linkAdd(w, root, { kind: 'veth', name: 'v', peerName: 'p' });
    expect(errno(() => linkSetMtu(w, root, v.ifindex, 70000))).toBe('EINVAL:mtu greater than device maximum.');
    expect(errno(() => linkSetMtu(w, root, v.ifindex, 60))).toBe('EINVAL:mtu less than device minimum.');
  });

  it('ip_forward and conf.all.forwarding mirror each other and reach every interface', () => {
    const { w, root } = host();
    linkAdd(w, root, { kind: 'veth', name: 'v', peerName: 'p' });
    w.setSysctl(root, 'net.ipv4.conf.all.forwarding', '1');
    const s = w.ns(root).sysctl;
    expect(s['net.ipv4.ip_forward']).toBe('1');
    expect(s['net.ipv4.conf.v.forwarding']).toBe('1');
    expect(s['net.ipv4.conf.lo.forwarding']).toBe('1');
  });
});

describe('per-interface sysctl defaults (fresh namespace on kernel 6.18, as sysctl -a reads them)', () => {
  it('all and default differ where the kernel compiles them differently; devices copy default; lo has its own', () => {
    const { w, root } = host();
    linkAdd(w, root, { kind: 'veth', name: 'vx-a', peerName: 'vx-b' });
    linkAdd(w, root, { kind: 'bridge', name: 'br0' });
    const get = (k: string) => sysctlGet(w, root, k);
    expect(get('net.ipv4.conf.all.accept_source_route')).toBe('0');
    expect(get('net.ipv4.conf.default.accept_source_route')).toBe('1');
    for (const dev of ['lo', 'vx-a', 'vx-b', 'br0']) expect(get(`net.ipv4.conf.${dev}.accept_source_route`)).toBe('1');
    expect(get('net.ipv4.conf.lo.disable_policy')).toBe('1');
    expect(get('net.ipv4.conf.lo.disable_xfrm')).toBe('1');
    expect(get('net.ipv4.conf.vx-a.disable_policy')).toBe('0');
    expect(get('net.ipv4.conf.br0.disable_xfrm')).toBe('0');
    expect(get('net.ipv6.conf.all.accept_dad')).toBe('0');
    expect(get('net.ipv6.conf.default.accept_dad')).toBe('1');
    expect(get('net.ipv6.conf.vx-a.accept_dad')).toBe('1');
    expect(get('net.ipv6.conf.lo.accept_dad')).toBe('-1');
    expect(get('net.ipv6.conf.lo.use_tempaddr')).toBe('-1');
    expect(get('net.ipv6.conf.br0.use_tempaddr')).toBe('0');
    expect(get('net.ipv6.conf.all.mtu')).toBe('1280');
    expect(get('net.ipv6.conf.default.mtu')).toBe('1280');
    expect(get('net.ipv6.conf.lo.mtu')).toBe('65536');
    expect(get('net.ipv6.conf.vx-a.mtu')).toBe('1500');
  });

  it('a new device copies the namespace\'s current default, not the compiled one', () => {
    const { w, root } = host();
    w.setSysctl(root, 'net.ipv4.conf.default.accept_source_route', '0');
    linkAdd(w, root, { kind: 'dummy', name: 'd0' });
    expect(sysctlGet(w, root, 'net.ipv4.conf.d0.accept_source_route')).toBe('0');
    expect(sysctlGet(w, root, 'net.ipv4.conf.lo.accept_source_route')).toBe('1');
  });
});

describe('veth operstate without carrier (linkwatch, fixture 88)', () => {
  it('is computed when the carrier goes off and kept while the peer moves away', () => {
    const { w, root } = host();
    const far = netnsAdd(w, 'h', 'far').id;
    linkAdd(w, root, { kind: 'veth', name: 'a1', peerName: 'a2' });
    const a1 = findLink(w.ns(root), 'a1')!;
    const a2 = findLink(w.ns(root), 'a2')!;
    linkSetUp(w, root, a1.ifindex, true);
    expect(linkOperState(w, w.ns(root), a1)).toBe('LOWERLAYERDOWN');
    linkSetUp(w, root, a2.ifindex, true);
    expect(linkOperState(w, w.ns(root), a1)).toBe('UP');
    // the peer goes down here: it is found in this namespace, and not up
    linkSetUp(w, root, a2.ifindex, false);
    expect(linkOperState(w, w.ns(root), a1)).toBe('LOWERLAYERDOWN');
    // moving the (already down) peer is no carrier change: nothing is recomputed
    linkSetNetns(w, root, a2.ifindex, far);
    expect(linkOperState(w, w.ns(root), a1)).toBe('LOWERLAYERDOWN');
    linkSetUp(w, far, a2.ifindex, true);
    expect(linkOperState(w, w.ns(root), a1)).toBe('UP');
    // now the carrier goes off with the peer's index missing here: DOWN
    linkSetUp(w, far, a2.ifindex, false);
    expect(linkOperState(w, w.ns(root), a1)).toBe('DOWN');
  });
});
