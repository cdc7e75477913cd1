import { describe, expect, it } from 'vitest';
import { addAddress, addressesOf, delAddress, isTentative } from './addr';
import { KernelError } from './errors';
import { findLink, linkAdd, linkSetUp } from './link';
import { routeAdd, routeDel, routeGet, routesOf, fibTableExists } from './route';
import { ruleAdd } from './rule';
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

function errno(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof KernelError) return e.errno + (e.extack ? `:${e.extack}` : '');
    throw e;
  }
  return 'ok';
}

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
