// Property tests of the kernel core: random sequences of operations, valid and
// invalid, never throw anything but KernelError, keep the invariants, are
// deterministic for a seed and survive snapshot/restore.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addAddress, delAddress, flushAddresses } from './addr';
import { isKernelError } from './errors';
import { checkInvariants } from './invariants';
import { addNic, linkAdd, linkDel, linkRename, linkSetMac, linkSetMaster, linkSetMtu, linkSetNetns, linkSetUp, segmentAdd } from './netdev';
import { neighAdd, neighConfirm, neighDel, neighList, neighStartResolve } from './neighbour';
import { netnsAdd, netnsDel } from './netns';
import { routeAdd, routeDel, routeGet } from './fib';
import { ruleAdd, ruleDel } from './rule';
import { World } from './world';

const NAMES = ['a', 'b', 'c', 'eth0', 'br0', 'lo', 'veth0', 'veth1'];
const NETNS = ['red', 'blue', 'green'];
const ADDRS = ['10.0.0.1', '10.0.0.2', '10.0.0.200', '10.1.0.1', '192.168.1.1', '127.0.0.5', 'fd00::1', 'fe80::1', '0.0.0.0'];

type Op = { k: string; a: number; b: number; c: number; s: string };

const opArb: fc.Arbitrary<Op> = fc.record({
  k: fc.constantFrom(
    'netnsAdd', 'netnsDel', 'veth', 'bridge', 'dummy', 'nic', 'del', 'up', 'down', 'master', 'nomaster', 'move', 'rename', 'mtu', 'mac',
    'addr', 'deladdr', 'flush', 'route', 'mproute', 'delroute', 'get', 'neigh', 'delneigh', 'resolve', 'confirm', 'rule', 'delrule', 'tick', 'sysctl',
  ),
  a: fc.nat(20),
  b: fc.nat(20),
  c: fc.integer({ min: -5, max: 70000 }),
  s: fc.constantFrom(...NAMES),
});

function nsIds(w: World): string[] {
  return Object.keys(w.state.namespaces).sort();
}

function pick<T>(list: T[], i: number): T | undefined {
  return list.length ? list[i % list.length] : undefined;
}

function apply(w: World, op: Op): void {
  const host = 'h';
  const ids = nsIds(w);
  const ns = pick(ids, op.a)!;
  const other = pick(ids, op.b)!;
  const links = w.ns(ns).links;
  const link = pick(links, op.b);
  const idx = link ? link.ifindex : op.b;
  const addr = pick(ADDRS, op.a + op.b)!;
  switch (op.k) {
    case 'netnsAdd':
      netnsAdd(w, host, pick(NETNS, op.a)!);
      return;
    case 'netnsDel': {
      const named = Object.keys(w.host(host).netns);
      netnsDel(w, host, op.c % 4 === 0 ? pick(NETNS, op.b)! : pick(named, op.b) ?? 'none');
      return;
    }
    case 'veth':
      linkAdd(w, ns, { kind: 'veth', name: op.s, peerName: pick(NAMES, op.b) ?? null, peerNs: other });
      return;
    case 'bridge':
      linkAdd(w, ns, { kind: 'bridge', name: op.s });
      return;
    case 'dummy':
      linkAdd(w, ns, { kind: 'dummy', name: op.c % 3 === 0 ? null : op.s });
      return;
    case 'nic':
      if (!w.state.segments.sw) segmentAdd(w, 'sw', 'switch');
      addNic(w, ns, op.s, 'sw');
      return;
    case 'del':
      linkDel(w, ns, op.c % 4 === 0 ? idx : pick(links.slice(1), op.a)?.ifindex ?? idx);
      return;
    case 'up':
    case 'down':
      linkSetUp(w, ns, idx, op.k === 'up');
      return;
    case 'master': {
      const bridges = links.filter((l) => l.kind === 'bridge');
      linkSetMaster(w, ns, idx, op.c % 4 === 0 ? pick(links, op.a)?.ifindex ?? op.a : pick(bridges, op.a)?.ifindex ?? op.a);
      return;
    }
    case 'nomaster':
      linkSetMaster(w, ns, idx, null);
      return;
    case 'move':
      linkSetNetns(w, ns, idx, other);
      return;
    case 'rename':
      linkRename(w, ns, idx, op.s);
      return;
    case 'mtu':
      linkSetMtu(w, ns, idx, op.c);
      return;
    case 'mac':
      linkSetMac(w, ns, idx, op.c % 2 ? '02:00:00:00:00:0' + (op.a % 10) : '01:00:5e:00:00:01');
      return;
    case 'addr':
      addAddress(w, ns, idx, { local: addr, prefixlen: addr.includes(':') ? 64 : [8, 16, 24, 32, 33][op.a % 5]! }, op.c % 2 === 0);
      return;
    case 'deladdr': {
      const a = op.c % 4 === 0 ? undefined : pick(w.ns(ns).addrs, op.a);
      if (a) delAddress(w, ns, a.ifindex, { local: a.local, prefixlen: op.c % 3 === 0 ? null : a.prefixlen });
      else delAddress(w, ns, idx, { local: addr, prefixlen: op.c % 3 === 0 ? null : addr.includes(':') ? 64 : 24 });
      return;
    }
    case 'flush':
      flushAddresses(w, ns, idx);
      return;
    case 'route':
      routeAdd(
        w,
        ns,
        {
          family: 4,
          dst: ['10.9.0.0', '0.0.0.0', '10.9.1.1', '172.16.0.0'][op.a % 4]!,
          dstLen: [16, 0, 32, 12][op.b % 4]!,
          gateway: op.c % 2 ? pick(ADDRS.filter((x) => !x.includes(':')), op.a) : null,
          oif: op.c % 3 === 0 ? idx : null,
          type: (['unicast', 'blackhole', 'unreachable', 'prohibit', 'local'] as const)[op.a % 5],
          metric: Math.abs(op.c) % 5, // (not -5 % 5: a -0 metric does not survive JSON, and netlink has no -0)
          table: op.b % 3 === 0 ? 100 : undefined,
        },
        (['add', 'replace', 'change', 'append'] as const)[op.a % 4],
      );
      return;
    case 'mproute': {
      // multipath: two or three hops through gateways (possibly unreachable) and devices of the namespace
      const v4 = ADDRS.filter((x) => !x.includes(':'));
      const hops = [0, 1, 2].slice(0, 2 + (op.c % 2)).map((i) => ({
        gateway: (op.c + i) % 4 === 3 ? null : pick(v4, op.a + i),
        oif: (op.b + i) % 3 === 0 ? pick(links, op.b + i)?.ifindex ?? null : null,
        weight: 1 + ((op.c + i) % 3),
      }));
      routeAdd(w, ns, { family: 4, dst: ['10.9.0.0', '172.16.0.0'][op.a % 2]!, dstLen: [16, 12][op.a % 2]!, nexthops: hops }, (['add', 'replace', 'append', 'prepend'] as const)[op.b % 4]);
      return;
    }
    case 'delroute': {
      const r = op.c % 4 === 0 ? undefined : pick(w.ns(ns).routes, op.a);
      if (r) routeDel(w, ns, { family: r.family, table: r.table, dst: r.dst, dstLen: r.dstLen, type: op.c % 2 ? r.type : null });
      else routeDel(w, ns, { family: 4, dst: ['10.9.0.0', '0.0.0.0', '10.0.0.0'][op.a % 3]!, dstLen: [16, 0, 24][op.b % 3]! });
      return;
    }
    case 'get':
      routeGet(w, ns, addr.includes(':') ? '10.0.0.9' : addr, { src: op.c % 2 ? '10.0.0.1' : null, oif: op.c % 3 === 0 ? idx : null });
      return;
    case 'neigh':
      neighAdd(w, ns, { ifindex: idx, dst: addr, lladdr: op.c % 2 ? '02:00:00:00:00:01' : null, state: (['PERMANENT', 'REACHABLE', 'STALE', 'NOARP'] as const)[op.a % 4] }, (['add', 'replace', 'change'] as const)[op.b % 3]);
      return;
    case 'delneigh': {
      const n = pick(w.ns(ns).neigh, op.a);
      if (n && op.c % 4) neighDel(w, ns, n.ifindex, n.dst);
      else neighDel(w, ns, idx, addr);
      return;
    }
    case 'resolve':
      neighStartResolve(w, ns, idx, addr);
      return;
    case 'confirm':
      neighConfirm(w, ns, idx, addr, '02:00:00:00:00:02');
      return;
    case 'rule':
      ruleAdd(w, ns, { family: 4, src: op.c % 2 ? '10.0.0.1' : null, srcLen: op.c % 2 ? 32 : 0, table: 100 + (op.a % 2), priority: op.c % 3 === 0 ? op.a : undefined });
      return;
    case 'delrule':
      ruleDel(w, ns, { family: 4, table: 100 + (op.a % 2) });
      return;
    case 'tick':
      w.advance(Math.abs(op.c) % 40000);
      neighList(w, ns);
      return;
    case 'sysctl':
      w.setSysctl(ns, op.a % 2 ? 'net.ipv6.conf.all.disable_ipv6' : 'net.ipv4.ip_forward', String(op.b % 2));
      return;
  }
}

function run(ops: Op[], seed: number): World {
  const w = World.create({ seed });
  const h = w.addHost('h');
  linkSetUp(w, h.rootNs, 1, true);
  for (const op of ops) {
    try {
      apply(w, op);
    } catch (e) {
      if (!isKernelError(e)) throw new Error(`${op.k} threw ${String(e)}`);
    }
    const errs = checkInvariants(w);
    if (errs.length) throw new Error(`after ${JSON.stringify(op)}: ${errs.join('; ')}`);
  }
  return w;
}

describe('kernel under random operation sequences', () => {
  it('throws only KernelError and keeps the invariants', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), fc.nat(1000), (ops, seed) => {
        run(ops, seed);
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic for a seed and round-trips through snapshot/restore', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.nat(1000), (ops, seed) => {
        const a = run(ops, seed);
        const b = run(ops, seed);
        expect(a.snapshot()).toBe(b.snapshot());
        const c = World.restore(a.snapshot());
        expect(c.state).toEqual(a.state);
        expect(c.snapshot()).toBe(a.snapshot());
      }),
      { numRuns: 60 },
    );
  });
});
