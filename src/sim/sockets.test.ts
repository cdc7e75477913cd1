import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { World } from './world';
import { errnoOf } from './testing';
import type { Link, NsId } from './types';
import {
  allocEphemeralPort,
  bindUdp,
  canonAddr,
  closeSocket,
  connectLocal,
  findListener,
  inetNtop6,
  isLocalAddress,
  liveSockets,
  listenTcp,
} from './sockets';
import { commOf, daemonFromArgs, killProcess, parseDaemonSpec, spawnDaemon, spawnProcess } from './process';

/** A host whose root namespace has lo up (127.0.0.1/8) and eth0 up with `addr`/24 (state poked directly: the kernel core is not needed here). */
export function hostWith(addr = '192.168.121.10'): { w: World; ns: NsId } {
  const w = World.create({ seed: 7 });
  const h = w.addHost('controlplane');
  const ns = w.ns(h.rootNs);
  ns.links[0]!.adminUp = true;
  const eth: Link = { ...ns.links[0]!, ifindex: 2, name: 'eth0', kind: 'veth', mac: '02:00:00:00:00:01', broadcast: 'ff:ff:ff:ff:ff:ff', mtu: 1500 };
  ns.links.push(eth);
  const base = { broadcast: null, peer: null, label: null, tentativeUntil: null, permanent: true, validLft: null, preferredLft: null, secondary: false, noprefixroute: false };
  ns.addrs.push({ ...base, family: 4, ifindex: 1, local: '127.0.0.1', prefixlen: 8, scope: 'host', seq: 1 });
  ns.addrs.push({ ...base, family: 6, ifindex: 1, local: '::1', prefixlen: 128, scope: 'host', seq: 2 });
  ns.addrs.push({ ...base, family: 4, ifindex: 2, local: addr, prefixlen: 24, scope: 'global', seq: 3 });
  return { w, ns: h.rootNs };
}

const errno = (fn: () => unknown): string => errnoOf(fn);

describe('addresses', () => {
  it('prints IPv6 as glibc inet_ntop', () => {
    expect(canonAddr('0:0:0:0:0:ffff:c0a8:790a')).toBe('::ffff:192.168.121.10');
    expect(canonAddr('0::0')).toBe('::');
    expect(canonAddr('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(canonAddr('fe80:0:0:0:0:0:0:1')).toBe('fe80::1');
    expect(canonAddr('2001:db8:0:1:0:0:0:1')).toBe('2001:db8:0:1::1');
    expect(canonAddr('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonAddr('1:0:2:3:4:5:6:7')).toBe('1:0:2:3:4:5:6:7');
    expect(inetNtop6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1])).toBe('::10.0.0.1');
  });
  it('knows local addresses only on up links', () => {
    const { w, ns } = hostWith();
    const n = w.ns(ns);
    expect(isLocalAddress(n, '127.0.0.53')).toBe(true);
    expect(isLocalAddress(n, '192.168.121.10')).toBe(true);
    expect(isLocalAddress(n, '192.168.121.11')).toBe(false);
    n.links[1]!.adminUp = false;
    expect(isLocalAddress(n, '192.168.121.10')).toBe(false);
  });
});

describe('bind and listen', () => {
  it('rejects overlapping listeners and non-local addresses', () => {
    const { w, ns } = hostWith();
    listenTcp(w, ns, null, '0.0.0.0', 22, 4);
    expect(errno(() => listenTcp(w, ns, null, '127.0.0.1', 22, 4))).toBe('EADDRINUSE');
    expect(errno(() => listenTcp(w, ns, null, '::', 22, 46))).toBe('EADDRINUSE');
    // an IPv6-only socket does not overlap IPv4
    expect(errno(() => listenTcp(w, ns, null, '::', 22, 6))).toBe('ok');
    expect(errno(() => listenTcp(w, ns, null, '10.9.9.9', 80, 4))).toBe('EADDRNOTAVAIL');
    // UDP and TCP ports are separate
    expect(errno(() => bindUdp(w, ns, null, '0.0.0.0', 22))).toBe('ok');
  });
  it('caps the backlog at net.core.somaxconn', () => {
    const { w, ns } = hostWith();
    w.ns(ns).sysctl['net.core.somaxconn'] = '128';
    expect(listenTcp(w, ns, null, '0.0.0.0', 80, 4, 4096).backlog).toBe(128);
  });
  it('prefers an exact IPv4 listener over a dual-stack wildcard', () => {
    const { w, ns } = hostWith();
    const dual = listenTcp(w, ns, null, '::', 8080, 46);
    expect(findListener(w, ns, 'tcp', '127.0.0.1', 8080)?.id).toBe(dual.id);
    expect(findListener(w, ns, 'tcp', '::1', 8080)?.id).toBe(dual.id);
    const v6only = listenTcp(w, ns, null, '::', 9090, 6);
    expect(findListener(w, ns, 'tcp', '127.0.0.1', 9090)).toBeNull();
    expect(findListener(w, ns, 'tcp', '::1', 9090)?.id).toBe(v6only.id);
    const lo = listenTcp(w, ns, null, '127.0.0.1', 7000, 4);
    const any = listenTcp(w, ns, null, '192.168.121.10', 7000, 4);
    expect(findListener(w, ns, 'tcp', '127.0.0.1', 7000)?.id).toBe(lo.id);
    expect(findListener(w, ns, 'tcp', '192.168.121.10', 7000)?.id).toBe(any.id);
    expect(findListener(w, ns, 'tcp', '192.168.121.10', 7001)).toBeNull();
  });
});

describe('ephemeral ports', () => {
  it('come from ip_local_port_range, even first for connect, odd first for bind', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1024, max: 60000 }), fc.integer({ min: 1, max: 50 }), (seed, lo, n) => {
        const w = World.create({ seed });
        const h = w.addHost('h');
        w.ns(h.rootNs).sysctl['net.ipv4.ip_local_port_range'] = `${lo}\t${lo + n}`;
        const even = allocEphemeralPort(w, h.rootNs, 'even', () => true);
        const odd = allocEphemeralPort(w, h.rootNs, 'odd', () => true);
        return even >= lo && even <= lo + n && even % 2 === 0 && odd >= lo && odd <= lo + n && odd % 2 === 1;
      }),
    );
  });
  it('is deterministic for a seed and exhausts with EADDRINUSE', () => {
    const a = hostWith();
    const b = hostWith();
    const pa = bindUdp(a.w, a.ns, null, '0.0.0.0', 0).localPort;
    const pb = bindUdp(b.w, b.ns, null, '0.0.0.0', 0).localPort;
    expect(pa).toBe(pb);
    a.w.ns(a.ns).sysctl['net.ipv4.ip_local_port_range'] = '40000\t40001';
    bindUdp(a.w, a.ns, null, '0.0.0.0', 0);
    bindUdp(a.w, a.ns, null, '0.0.0.0', 0);
    expect(errno(() => bindUdp(a.w, a.ns, null, '0.0.0.0', 0))).toBe('EADDRINUSE');
  });
});

describe('@daemon', () => {
  it('parses specs', () => {
    expect(parseDaemonSpec('tcp46:[::]:6443')).toEqual({ kind: 'listen', proto: 'tcp', family: 46, addr: '::', port: 6443 });
    expect(parseDaemonSpec('udp:0.0.0.0:53')).toEqual({ kind: 'listen', proto: 'udp', family: 4, addr: '0.0.0.0', port: 53 });
    expect(parseDaemonSpec('conn:127.0.0.1:41782-127.0.0.1:2379')).toEqual({ kind: 'conn', src: '127.0.0.1', sport: 41782, dst: '127.0.0.1', dport: 2379 });
    expect(errno(() => parseDaemonSpec('sctp:1.2.3.4:5'))).toBe('EINVAL');
    expect(errno(() => parseDaemonSpec('tcp:[::]:5'))).toBe('EINVAL');
  });
  it('cuts comm to 15 characters and keeps argv[0]', () => {
    const { w, ns } = hostWith();
    const p = spawnDaemon(w, 'controlplane', ns, 'kube-controller-manager', ['tcp:127.0.0.1:10257']);
    expect(p.comm).toBe('kube-controller');
    expect(p.argv[0]!.endsWith('/kube-controller-manager')).toBe(true);
    expect(commOf('/usr/sbin/sshd')).toBe('sshd');
  });
  it('gives descriptors in order, the accepted server side to the listener (scenario 12)', () => {
    const { w, ns } = hostWith();
    const etcd = spawnDaemon(w, 'controlplane', ns, 'etcd', ['tcp:127.0.0.1:2379', 'tcp:192.168.121.10:2379', 'tcp:192.168.121.10:2380', 'tcp:127.0.0.1:2381']);
    const conns = [41782, 41790, 41806, 41818, 41830, 41844].map((p) => `conn:127.0.0.1:${p}-127.0.0.1:2379`);
    const api = spawnDaemon(w, 'controlplane', ns, 'kube-apiserver', ['tcp46:[::]:6443', ...conns]);
    const kcm = spawnDaemon(w, 'controlplane', ns, 'kube-controller-manager', ['tcp:127.0.0.1:10257', 'conn:192.168.121.10:52314-192.168.121.10:6443']);
    expect(kcm.pid).toBeGreaterThan(api.pid);
    expect(api.pid).toBeGreaterThan(etcd.pid);
    const socks = liveSockets(w, ns);
    const of = (pid: number) => socks.filter((s) => s.pid === pid);
    expect(of(etcd.pid).map((s) => s.fd)).toEqual([3, 4, 5, 6, 7, 8, 9, 11, 12, 13]);
    expect(of(api.pid).map((s) => s.fd)).toEqual([3, 4, 5, 6, 7, 8, 9, 11]);
    const accepted = of(etcd.pid).filter((s) => s.state === 'ESTABLISHED');
    expect(accepted.map((s) => [s.localAddr, s.localPort, s.remotePort])).toEqual(conns.map((_, i) => ['127.0.0.1', 2379, [41782, 41790, 41806, 41818, 41830, 41844][i]]));
    const fromKcm = of(api.pid).find((s) => s.remotePort === 52314)!;
    expect(fromKcm).toMatchObject({ family: 6, localAddr: '::ffff:192.168.121.10', localPort: 6443, remoteAddr: '::ffff:192.168.121.10', state: 'ESTABLISHED' });
  });
  it('fails atomically: refused connection, busy port, unknown namespace', () => {
    const { w, ns } = hostWith();
    expect(errno(() => spawnDaemon(w, 'controlplane', ns, 'x', ['tcp:0.0.0.0:80', 'conn:127.0.0.1:40000-127.0.0.1:81']))).toBe('ECONNREFUSED');
    expect(w.host('controlplane').processes).toHaveLength(0);
    expect(liveSockets(w, ns)).toHaveLength(0);
    spawnDaemon(w, 'controlplane', ns, 'a', ['tcp:0.0.0.0:80']);
    expect(errno(() => spawnDaemon(w, 'controlplane', ns, 'b', ['tcp:127.0.0.1:80']))).toBe('EADDRINUSE');
    expect(errno(() => daemonFromArgs(w, 'controlplane', ['nginx', '-n', 'blue', 'tcp:0.0.0.0:80']))).toBe('ENOENT');
  });
  it('runs in a named namespace with -n', () => {
    const { w } = hostWith();
    const blue = w.newNamespace('controlplane', 'blue');
    w.host('controlplane').netns['blue'] = blue.id;
    const p = daemonFromArgs(w, 'controlplane', ['nginx', '-n', 'blue', 'tcp:0.0.0.0:80']);
    expect(p.ns).toBe(blue.id);
    expect(liveSockets(w, blue.id)).toHaveLength(1);
  });
});

describe('closing', () => {
  it('walks FIN_WAIT2/CLOSE_WAIT, then TIME_WAIT, with timers on the clock', () => {
    const { w, ns } = hostWith();
    const srv = spawnDaemon(w, 'controlplane', ns, 'web', ['tcp:0.0.0.0:80']);
    const cli = spawnProcess(w, 'controlplane', ns, ['nc']);
    const { client, server } = connectLocal(w, ns, cli.pid, null, 0, '127.0.0.1', 80);
    expect(client.localPort % 2).toBe(0);
    expect(server.pid).toBe(srv.pid);
    closeSocket(w, ns, client.id);
    expect(client.state).toBe('FIN_WAIT2');
    expect(server.state).toBe('CLOSE_WAIT');
    killProcess(w, 'controlplane', srv.pid);
    expect(client.state).toBe('TIME_WAIT');
    expect(liveSockets(w, ns).map((s) => s.state)).toEqual(['TIME_WAIT']);
    w.advance(60_000);
    expect(liveSockets(w, ns)).toHaveLength(0);
  });
  it('frees descriptors for reuse', () => {
    const { w, ns } = hostWith();
    const p = spawnProcess(w, 'controlplane', ns, ['srv']);
    const a = listenTcp(w, ns, p.pid, '0.0.0.0', 1, 4);
    const b = listenTcp(w, ns, p.pid, '0.0.0.0', 2, 4);
    expect([a.fd, b.fd]).toEqual([3, 4]);
    closeSocket(w, ns, a.id);
    expect(listenTcp(w, ns, p.pid, '0.0.0.0', 3, 4).fd).toBe(3);
  });
});

describe('snapshot', () => {
  it('survives a JSON round trip', () => {
    const { w, ns } = hostWith();
    spawnDaemon(w, 'controlplane', ns, 'coredns', ['udp46:[::]:53', 'tcp46:[::]:53']);
    expect(World.restore(w.snapshot()).state).toEqual(w.state);
  });
});
