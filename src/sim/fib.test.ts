import { describe, expect, it } from 'vitest';
import { addAddress, addressesOf, delAddress, isTentative } from './addr';
import { errnoOf } from './testing';
import { findLink, linkAdd, linkDel, linkSetUp } from './netdev';
import { routeAdd, routeDel, routeGet, routesOf, fibTableExists } from './fib';
import { ruleAdd, ruleDel } from './rule';
import { netnsAdd } from './netns';
import { World } from './world';

/** Host with lo up and eth0 = 10.0.0.2/24 facing namespace gw (10.0.0.1/24). */
function twoNodes() {
  const w = World.create({ seed: 3 });
  const h = w.addHost('h');
  const root = h.rootNs;
  linkSetUp(w, root, 1, true);
  const gw = netnsAdd(w, 'h', 'gw');
  const eth0 = linkAdd(w, root, { kind: 'veth', name: 'eth0', peerName: 'eth0', peerNs: gw.id });
  addAddress(w, root, eth0.ifindex, { local: '10.0.0.2', prefixlen: 24 });
  linkSetUp(w, root, eth0.ifindex, true);
  const peer = findLink(gw, 'eth0')!;
  addAddress(w, gw.id, peer.ifindex, { local: '10.0.0.1', prefixlen: 24 });
  linkSetUp(w, gw.id, peer.ifindex, true);
  return { w, root, eth0: eth0.ifindex, gw: gw.id };
}

const errno = (fn: () => unknown): string => errnoOf(fn, { extack: true });

const show = (w: World, ns: string, table?: number) =>
  routesOf(w.ns(ns), 4)
    .filter((r) => table == null || r.table === table)
    .map((r) => `${r.type} ${r.dst}/${r.dstLen} t${r.table}${r.gateway ? ` via ${r.gateway}` : ''}${r.prefsrc ? ` src ${r.prefsrc}` : ''}`);

describe('kernel routes of addresses', () => {
  it('creates local, broadcast and connected routes as fib_add_ifaddr', () => {
    const { w, root } = twoNodes();
    expect(show(w, root)).toEqual([
      'unicast 10.0.0.0/24 t254 src 10.0.0.2',
      'local 10.0.0.2/32 t255 src 10.0.0.2',
      'broadcast 10.0.0.255/32 t255 src 10.0.0.2',
      'local 127.0.0.0/8 t255 src 127.0.0.1',
      'local 127.0.0.1/32 t255 src 127.0.0.1',
      'broadcast 127.255.255.255/32 t255 src 127.0.0.1',
    ]);
  });

  it('secondary addresses use the primary as source and vanish with it', () => {
    const { w, root, eth0 } = twoNodes();
    addAddress(w, root, eth0, { local: '10.0.0.3', prefixlen: 24 });
    addAddress(w, root, eth0, { local: '10.9.0.1', prefixlen: 16, broadcast: '10.9.255.255' });
    const list = addressesOf(w.ns(root), eth0, 4);
    expect(list.map((a) => `${a.local}${a.secondary ? ' secondary' : ''}`)).toEqual(['10.0.0.2', '10.9.0.1', '10.0.0.3 secondary']);
    expect(show(w, root, 255)).toContain('local 10.0.0.3/32 t255 src 10.0.0.2');
    delAddress(w, root, eth0, { local: '10.0.0.2', prefixlen: 24 });
    expect(addressesOf(w.ns(root), eth0, 4).map((a) => a.local)).toEqual(['10.9.0.1']);
    expect(show(w, root, 254)).toEqual(['unicast 10.9.0.0/16 t254 src 10.9.0.1']);
  });

  it('reports duplicate and missing addresses with the 6.18 extacks', () => {
    const { w, root, eth0 } = twoNodes();
    expect(errno(() => addAddress(w, root, eth0, { local: '10.0.0.2', prefixlen: 24 }))).toBe('EEXIST:ipv4: Address already assigned.');
    expect(errno(() => delAddress(w, root, eth0, { local: '10.0.0.99', prefixlen: 24 }))).toBe('EADDRNOTAVAIL:ipv4: Address not found.');
  });

  it('drops the routes of a link that goes down but its local routes, keeps the addresses', () => {
    const { w, root, eth0 } = twoNodes();
    routeAdd(w, root, { family: 4, dst: '0.0.0.0', dstLen: 0, gateway: '10.0.0.1' });
    linkSetUp(w, root, eth0, false);
    expect(show(w, root).filter((r) => r.includes('10.0.0'))).toEqual(['local 10.0.0.2/32 t255 src 10.0.0.2']);
    expect(routeGet(w, root, '10.0.0.2').type).toBe('local');
    expect(addressesOf(w.ns(root), eth0, 4).map((a) => a.local)).toEqual(['10.0.0.2']);
    expect(addressesOf(w.ns(root), eth0, 6)).toEqual([]);
    linkSetUp(w, root, eth0, true);
    expect(show(w, root).filter((r) => r.includes('10.0.0'))).toHaveLength(3);
  });

  it('gives an up link with carrier a tentative link-local address that settles with time', () => {
    const { w, root, eth0 } = twoNodes();
    const ll = addressesOf(w.ns(root), eth0, 6)[0]!;
    expect(ll.local.startsWith('fe80::')).toBe(true);
    expect(isTentative(w, ll)).toBe(true);
    w.advance(3000);
    expect(isTentative(w, ll)).toBe(false);
  });
});

describe('routeAdd / routeDel', () => {
  it('validates gateways and prefixes like the kernel', () => {
    const { w, root } = twoNodes();
    expect(errno(() => routeAdd(w, root, { family: 4, dst: '192.168.2.0', dstLen: 24, gateway: '192.168.1.1' }))).toBe('ENETUNREACH:Nexthop has invalid gateway.');
    expect(errno(() => routeAdd(w, root, { family: 4, dst: '10.1.0.1', dstLen: 16, gateway: '10.0.0.1' }))).toBe('EINVAL:Invalid prefix for given prefix length.');
    routeAdd(w, root, { family: 4, dst: '0.0.0.0', dstLen: 0, gateway: '10.0.0.1' });
    expect(errno(() => routeAdd(w, root, { family: 4, dst: '0.0.0.0', dstLen: 0, gateway: '10.0.0.254' }))).toBe('EEXIST');
    routeAdd(w, root, { family: 4, dst: '10.40.0.0', dstLen: 16, gateway: '10.0.0.1', metric: 200 });
    routeAdd(w, root, { family: 4, dst: '10.40.0.0', dstLen: 16, gateway: '10.0.0.1', metric: 100 });
    expect(show(w, root, 254).filter((r) => r.includes('10.40'))).toHaveLength(2);
    expect(errno(() => routeDel(w, root, { family: 4, dst: '172.16.0.0', dstLen: 16 }))).toBe('ESRCH');
    routeDel(w, root, { family: 4, dst: '10.40.0.0', dstLen: 16, metric: 200 });
    expect(routeGet(w, root, '10.40.1.1').route!.metric).toBe(100);
  });

  it('orders a table by destination, longer prefixes first', () => {
    const { w, root } = twoNodes();
    routeAdd(w, root, { family: 4, dst: '10.0.0.0', dstLen: 8, gateway: '10.0.0.1' });
    routeAdd(w, root, { family: 4, dst: '0.0.0.0', dstLen: 0, gateway: '10.0.0.1' });
    expect(show(w, root, 254).map((r) => r.split(' ')[1])).toEqual(['0.0.0.0/0', '10.0.0.0/24', '10.0.0.0/8']);
  });
});

describe('routeGet', () => {
  it('does longest prefix match, source selection and local delivery', () => {
    const { w, root, eth0 } = twoNodes();
    routeAdd(w, root, { family: 4, dst: '0.0.0.0', dstLen: 0, gateway: '10.0.0.1' });
    routeAdd(w, root, { family: 4, dst: '10.70.0.0', dstLen: 16, oif: eth0 });
    const r1 = routeGet(w, root, '10.71.1.1');
    expect([r1.gateway, r1.prefsrc]).toEqual(['10.0.0.1', '10.0.0.2']);
    const r2 = routeGet(w, root, '10.70.1.1');
    expect([r2.gateway, r2.prefsrc]).toEqual([null, '10.0.0.2']);
    const loc = routeGet(w, root, '10.0.0.2');
    expect([loc.type, loc.oif, loc.prefsrc]).toEqual(['local', 1, '10.0.0.2']);
  });

  it('maps reject routes to their errnos', () => {
    const { w, root } = twoNodes();
    routeAdd(w, root, { family: 4, type: 'blackhole', dst: '10.66.0.0', dstLen: 16 });
    routeAdd(w, root, { family: 4, type: 'unreachable', dst: '10.67.0.0', dstLen: 16 });
    routeAdd(w, root, { family: 4, type: 'prohibit', dst: '10.68.0.0', dstLen: 16 });
    expect(errno(() => routeGet(w, root, '10.66.0.1'))).toBe('EINVAL');
    expect(errno(() => routeGet(w, root, '10.67.0.1'))).toBe('EHOSTUNREACH');
    expect(errno(() => routeGet(w, root, '10.68.0.1'))).toBe('EACCES');
    expect(errno(() => routeGet(w, root, '8.8.8.8'))).toBe('ENETUNREACH');
  });

  it('follows policy rules to other tables', () => {
    const { w, root } = twoNodes();
    routeAdd(w, root, { family: 4, table: 100, dst: '10.80.0.0', dstLen: 16, gateway: '10.0.0.1' });
    expect(fibTableExists(w.ns(root), 4, 100)).toBe(true);
    expect(errno(() => routeGet(w, root, '10.80.0.1'))).toBe('ENETUNREACH');
    ruleAdd(w, root, { family: 4, src: '10.0.0.2', srcLen: 32, table: 100 });
    expect(w.ns(root).rules.find((r) => r.table === 100)!.priority).toBe(32765);
    expect(errno(() => routeGet(w, root, '10.80.0.1'))).toBe('ENETUNREACH');
    expect(routeGet(w, root, '10.80.0.1', { src: '10.0.0.2' }).table).toBe(100);
  });

  it('has no local table in a namespace whose lo never came up', () => {
    const w = World.create();
    const h = w.addHost('x');
    expect(fibTableExists(w.ns(h.rootNs), 4, 255)).toBe(false);
    expect(fibTableExists(w.ns(h.rootNs), 6, 255)).toBe(true);
  });
});

describe('multipath routes', () => {
  /** twoNodes plus eth1 = 10.0.1.2/24 facing namespace gw2 (10.0.1.1/24). */
  function twoUplinks() {
    const t = twoNodes();
    const { w, root } = t;
    const gw2 = netnsAdd(w, 'h', 'gw2');
    const eth1 = linkAdd(w, root, { kind: 'veth', name: 'eth1', peerName: 'eth0', peerNs: gw2.id });
    addAddress(w, root, eth1.ifindex, { local: '10.0.1.2', prefixlen: 24 });
    linkSetUp(w, root, eth1.ifindex, true);
    const peer = findLink(gw2, 'eth0')!;
    addAddress(w, gw2.id, peer.ifindex, { local: '10.0.1.1', prefixlen: 24 });
    linkSetUp(w, gw2.id, peer.ifindex, true);
    return { ...t, eth1: eth1.ifindex };
  }
  const mp = (ns: ReturnType<World['ns']>, dst: string) => ns.routes.find((r) => r.dst === dst && r.table === 254);

  it('stores the hops (devices resolved from the gateways), mirrors the first hop, and keeps one hop as an ordinary route', () => {
    const { w, root, eth0, eth1 } = twoUplinks();
    routeAdd(w, root, { family: 4, dst: '10.32.0.0', dstLen: 16, nexthops: [{ gateway: '10.0.1.1', weight: 3 }, { gateway: '10.0.0.1' }] });
    const r = mp(w.ns(root), '10.32.0.0')!;
    expect(r.nexthops).toEqual([
      { gateway: '10.0.1.1', oif: eth1, weight: 3, onlink: false },
      { gateway: '10.0.0.1', oif: eth0, weight: 1, onlink: false },
    ]);
    expect([r.gateway, r.oif, r.scope]).toEqual(['10.0.1.1', eth1, 'global']);
    routeAdd(w, root, { family: 4, dst: '10.34.0.0', dstLen: 16, nexthops: [{ gateway: '10.0.0.1', weight: 7 }] });
    const one = mp(w.ns(root), '10.34.0.0')!;
    expect([one.nexthops, one.gateway, one.oif]).toEqual([undefined, '10.0.0.1', eth0]);
    // the same prefix again: validation passes, the exclusive create does not
    expect(errno(() => routeAdd(w, root, { family: 4, dst: '10.32.0.0', dstLen: 16, nexthops: [{ gateway: '10.0.0.1' }, { gateway: '10.0.1.1' }] }))).toBe('EEXIST');
  });

  it('validates every hop as fib_check_nh, and RTA_GATEWAY/RTA_OIF against the first hop', () => {
    const { w, root, eth0, eth1 } = twoUplinks();
    const add = (spec: Partial<Parameters<typeof routeAdd>[2]>) => errno(() => routeAdd(w, root, { family: 4, dst: '10.32.0.0', dstLen: 16, ...spec }));
    expect(add({ nexthops: [{ gateway: '10.0.0.1' }, { gateway: '10.99.0.1' }] })).toBe('ENETUNREACH:Nexthop has invalid gateway.');
    expect(add({ nexthops: [{ gateway: '10.0.0.1', oif: eth1 }, { gateway: '10.0.1.1' }] })).toBe('ENETUNREACH:Nexthop has invalid gateway.');
    expect(add({ nexthops: [{ gateway: '10.0.0.1', onlink: true }, { gateway: '10.0.1.1' }] })).toBe('ENODEV:Nexthop device required for onlink.');
    expect(add({ gateway: '10.0.0.1', nexthops: [{ gateway: '10.0.1.1' }, { gateway: '10.0.0.1' }] })).toBe('EINVAL:Nexthop gateway does not match RTA_GATEWAY or RTA_VIA.');
    expect(add({ oif: eth0, nexthops: [{ gateway: '10.0.1.1' }] })).toBe('EINVAL:Nexthop device index does not match RTA_OIF.');
    expect(add({ type: 'blackhole', nexthops: [{ gateway: '10.0.1.1' }, { gateway: '10.0.0.1' }] })).toBe(
      'EINVAL:Gateway, device and multipath can not be specified for this route type.',
    );
    // the host's own address is a valid gateway (the lookup finds a local route)
    expect(add({ nexthops: [{ gateway: '10.0.0.1' }, { gateway: '10.0.1.2' }] })).toBe('ok');
    expect(w.ns(root).routes.filter((r) => r.dst === '10.32.0.0')).toHaveLength(1);
  });

  it('a flow always takes the same live hop; weights share the flows; an output device picks its hop', () => {
    const { w, root, eth0, eth1 } = twoUplinks();
    routeAdd(w, root, { family: 4, dst: '10.32.0.0', dstLen: 16, nexthops: [{ gateway: '10.0.0.1', weight: 1 }, { gateway: '10.0.1.1', weight: 3 }] });
    const seen = { [eth0]: 0, [eth1]: 0 } as Record<number, number>;
    for (let i = 0; i < 400; i++) {
      const dst = `10.32.${i >> 8}.${i & 255}`;
      const a = routeGet(w, root, dst);
      const b = routeGet(w, root, dst);
      expect([b.oif, b.gateway]).toEqual([a.oif, a.gateway]);
      expect(a.gateway).toBe(a.oif === eth0 ? '10.0.0.1' : '10.0.1.1');
      expect(a.prefsrc).toBe(a.oif === eth0 ? '10.0.0.2' : '10.0.1.2');
      seen[a.oif]!++;
    }
    expect(seen[eth0]).toBeGreaterThan(50);
    expect(seen[eth1]).toBeGreaterThan(2 * seen[eth0]!);
    expect(routeGet(w, root, '10.32.9.9', { oif: eth0 }).gateway).toBe('10.0.0.1');
    expect(routeGet(w, root, '10.32.9.9', { oif: eth1 }).gateway).toBe('10.0.1.1');
    // a hop whose device is down is dead: every flow takes the other one
    linkSetUp(w, root, eth1, false);
    for (let i = 0; i < 50; i++) expect(routeGet(w, root, `10.32.1.${i}`).oif).toBe(eth0);
  });

  it('link down keeps an IPv4 multipath route while a hop is alive; unregistering a hop device removes it', () => {
    const { w, root, eth0, eth1 } = twoUplinks();
    routeAdd(w, root, { family: 4, dst: '10.32.0.0', dstLen: 16, nexthops: [{ gateway: '10.0.0.1' }, { gateway: '10.0.1.1' }] });
    routeAdd(w, root, { family: 4, dst: '10.34.0.0', dstLen: 16, gateway: '10.0.1.1' });
    linkSetUp(w, root, eth1, false);
    expect(mp(w.ns(root), '10.32.0.0')?.nexthops).toHaveLength(2);
    expect(mp(w.ns(root), '10.34.0.0')).toBeUndefined();
    linkSetUp(w, root, eth0, false);
    expect(mp(w.ns(root), '10.32.0.0')).toBeUndefined();
    linkSetUp(w, root, eth0, true);
    linkSetUp(w, root, eth1, true);
    routeAdd(w, root, { family: 4, dst: '10.32.0.0', dstLen: 16, nexthops: [{ gateway: '10.0.0.1' }, { gateway: '10.0.1.1' }] });
    linkDel(w, root, eth1);
    expect(mp(w.ns(root), '10.32.0.0')).toBeUndefined();
  });

  it('delete selectors compare the first hop only (fib_nh_match)', () => {
    const { w, root, eth0 } = twoUplinks();
    routeAdd(w, root, { family: 4, dst: '10.32.0.0', dstLen: 16, nexthops: [{ gateway: '10.0.1.1' }, { gateway: '10.0.0.1' }] });
    expect(errno(() => routeDel(w, root, { family: 4, dst: '10.32.0.0', dstLen: 16, gateway: '10.0.0.1' }))).toBe('ESRCH');
    expect(errno(() => routeDel(w, root, { family: 4, dst: '10.32.0.0', dstLen: 16, oif: eth0 }))).toBe('ESRCH');
    expect(errno(() => routeDel(w, root, { family: 4, dst: '10.32.0.0', dstLen: 16, nexthops: [{ gateway: '10.0.0.1' }, { gateway: '10.0.1.1' }] }))).toBe('ESRCH');
    expect(errno(() => routeDel(w, root, { family: 4, dst: '10.32.0.0', dstLen: 16, nexthops: [{ gateway: '10.0.1.1' }, { gateway: '10.0.0.1' }] }))).toBe('ok');
  });
  it('IPv6 gateway routes with the same prefix and metric merge into siblings on append/prepend; device routes do not', () => {
    const { w, root, eth0, eth1 } = twoUplinks();
    addAddress(w, root, eth0, { local: '2001:db8:1::2', prefixlen: 64, nodad: true });
    addAddress(w, root, eth1, { local: '2001:db8:2::2', prefixlen: 64, nodad: true });
    const v6 = (dst: string, gateway: string | null, oif: number | null, mode: 'add' | 'append' | 'prepend' | 'replace') =>
      errno(() => routeAdd(w, root, { family: 6, dst, dstLen: 64, gateway, oif }, mode));
    expect(v6('2001:db8:99::', '2001:db8:1::1', null, 'add')).toBe('ok');
    expect(v6('2001:db8:99::', '2001:db8:2::1', null, 'add')).toBe('EEXIST');
    expect(v6('2001:db8:99::', '2001:db8:2::1', null, 'prepend')).toBe('ok');
    const r = () => w.ns(root).routes.filter((x) => x.family === 6 && x.dst === '2001:db8:99::');
    expect(r()).toHaveLength(1);
    expect(r()[0]!.nexthops!.map((h) => [h.gateway, h.oif])).toEqual([['2001:db8:1::1', eth0], ['2001:db8:2::1', eth1]]);
    expect(v6('2001:db8:99::', '2001:db8:2::1', null, 'append')).toBe('EEXIST');
    expect(v6('2001:db8:99::', '2001:db8:2::1', null, 'replace')).toBe('ok');
    expect([r()[0]!.nexthops, r()[0]!.gateway]).toEqual([undefined, '2001:db8:2::1']);
    expect(v6('2001:db8:97::', null, eth0, 'append')).toBe('ok');
    expect(v6('2001:db8:97::', null, eth1, 'append')).toBe('ok');
    expect(w.ns(root).routes.filter((x) => x.family === 6 && x.dst === '2001:db8:97::').map((x) => x.nexthops)).toEqual([undefined, undefined]);
  });

  it('IPv6 keeps hops as siblings: gateways required, a gateway deletes one hop, link down drops its hops', () => {
    const { w, root, eth0, eth1 } = twoUplinks();
    addAddress(w, root, eth0, { local: '2001:db8:1::2', prefixlen: 64, nodad: true });
    addAddress(w, root, eth1, { local: '2001:db8:2::2', prefixlen: 64, nodad: true });
    const add = (dst: string, nexthops: Array<{ gateway?: string; oif?: number; weight?: number }>) =>
      errno(() => routeAdd(w, root, { family: 6, dst, dstLen: 64, nexthops }));
    expect(add('2001:db8:98::', [{ gateway: '2001:db8:1::1' }, { oif: eth1 }])).toBe('EINVAL:Device only routes can not be added for IPv6 using the multipath API.');
    // a hop's own failure comes back as a bare errno
    expect(add('2001:db8:97::', [{ gateway: '2001:db8:7::1' }, { gateway: '2001:db8:2::1' }])).toBe('EHOSTUNREACH');
    expect(add('2001:db8:99::', [{ gateway: '2001:db8:1::1' }, { gateway: '2001:db8:2::1', weight: 3 }])).toBe('ok');
    const find = () => w.ns(root).routes.find((r) => r.family === 6 && r.dst === '2001:db8:99::');
    expect(find()!.nexthops!.map((h) => [h.oif, h.weight])).toEqual([[eth0, 1], [eth1, 3]]);
    expect(errno(() => routeDel(w, root, { family: 6, dst: '2001:db8:99::', dstLen: 64, gateway: '2001:db8:2::1' }))).toBe('ok');
    expect([find()!.nexthops, find()!.gateway, find()!.oif]).toEqual([undefined, '2001:db8:1::1', eth0]);
    expect(add('2001:db8:96::', [{ gateway: '2001:db8:1::1' }, { gateway: '2001:db8:2::1' }])).toBe('ok');
    linkSetUp(w, root, eth0, false);
    const r = w.ns(root).routes.find((x) => x.family === 6 && x.dst === '2001:db8:96::')!;
    expect([r.nexthops, r.gateway, r.oif]).toEqual([undefined, '2001:db8:2::1', eth1]);
    expect(find()).toBeUndefined();
  });
});

describe('policy rules in lookups', () => {
  it('goto jumps to an existing priority, suppress_prefixlength ignores short prefixes, flow selectors need the flow', () => {
    const { w, root } = twoNodes();
    routeAdd(w, root, { family: 4, dst: '0.0.0.0', dstLen: 0, gateway: '10.0.0.1', table: 100 });
    routeAdd(w, root, { family: 4, dst: '10.50.0.0', dstLen: 16, gateway: '10.0.0.1', table: 100 });
    ruleAdd(w, root, { family: 4, priority: 200, table: 100, suppressPrefixlen: 0 });
    expect(errno(() => routeGet(w, root, '8.8.8.8'))).toBe('ENETUNREACH');
    expect(routeGet(w, root, '10.50.1.1').table).toBe(100);
    ruleAdd(w, root, { family: 4, priority: 150, table: 100, ipproto: 6, dport: [443, 443] });
    expect(routeGet(w, root, '8.8.4.4', { ipproto: 6, dport: 443 }).table).toBe(100);
    expect(errno(() => routeGet(w, root, '8.8.4.4', { ipproto: 17, dport: 443 }))).toBe('ENETUNREACH');
    // goto past both rules: main has no route to 10.50/16
    ruleAdd(w, root, { family: 4, priority: 110, action: 'goto', gotoTarget: 32766 });
    expect(errno(() => routeGet(w, root, '10.50.1.1'))).toBe('ENETUNREACH');
    // a target no rule has does nothing
    ruleDel(w, root, { family: 4, action: 'goto' });
    ruleAdd(w, root, { family: 4, priority: 110, action: 'goto', gotoTarget: 300 });
    expect(routeGet(w, root, '10.50.1.1').table).toBe(100);
    expect(errno(() => ruleAdd(w, root, { family: 4, priority: 120, action: 'goto', gotoTarget: 50 }))).toBe('EINVAL:Backward goto not supported');
    ruleAdd(w, root, { family: 4, priority: 90, action: 'unreachable', dst: '198.51.100.0', dstLen: 24 });
    expect(errno(() => routeGet(w, root, '198.51.100.1'))).toBe('ENETUNREACH');
  });

  it('table 0 takes the first unused IPv4 table; TOS outside the TOS bits and IPv6 table 0 are refused; deletes compare selectors', () => {
    const { w, root } = twoNodes();
    expect(ruleAdd(w, root, { family: 4, table: 0 }).table).toBe(1);
    expect(ruleAdd(w, root, { family: 4, table: 0, priority: 90 }).table).toBe(2);
    expect(fibTableExists(w.ns(root), 4, 2)).toBe(true);
    expect(errno(() => ruleAdd(w, root, { family: 6, table: 0 }))).toBe('EINVAL:Invalid table');
    expect(errno(() => ruleAdd(w, root, { family: 4, tos: 0x28, table: 5 }))).toBe('EINVAL:Invalid tos');
    ruleAdd(w, root, { family: 4, priority: 50, table: 5, sport: [5000, 5000] });
    expect(errno(() => ruleDel(w, root, { family: 4, ipproto: 6 }))).toBe('ENOENT');
    expect(ruleDel(w, root, { family: 4, sport: [5000, 5000] }).priority).toBe(50);
    expect(w.ns(root).rules.some((r) => r.family === 4 && r.priority === 0)).toBe(true);
  });
});

describe('route types and scopes (fib_create_info)', () => {
  it('refuses a scope wider than the type allows, and scope nowhere for types with a nexthop', () => {
    const { w, root, eth0 } = twoNodes();
    const add = (spec: Partial<Parameters<typeof routeAdd>[2]>) => errno(() => routeAdd(w, root, { family: 4, dst: '10.80.0.1', dstLen: 32, ...spec }));
    expect(add({ type: 'local', oif: eth0, scope: 'link' })).toBe('EINVAL:Invalid scope.');
    expect(add({ type: 'broadcast', oif: eth0, scope: 'global' })).toBe('EINVAL:Invalid scope.');
    expect(add({ type: 'unicast', oif: eth0, scope: 'nowhere' })).toBe('EINVAL:Invalid scope.');
    expect(add({ type: 'anycast', oif: eth0, scope: 'host', table: 255 })).toBe('ok');
    expect(add({ type: 'blackhole', dst: '10.76.0.0', dstLen: 16, scope: 'link' })).toBe('ok');
    expect(add({ type: 'unicast', dst: '10.78.0.0', dstLen: 16, oif: eth0, scope: 'host' })).toBe('ok');
  });
});
