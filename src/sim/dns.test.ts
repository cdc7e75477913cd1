import { describe, expect, test } from 'vitest';
import { World } from './world';
import { addrOfReverse, answerQuery, corednsConfig, makeQuery, messageSize, reverseName, startDnsServer } from './dns';
// the tool's parser is the harness that builds the configs (tests may import a layer above)
import { parseDnsmasqArgs } from '../commands/dnsmasq-args';
import type { DnsMessage } from './dns';
import type { Process } from './types';

const ARGS = [
  '--no-hosts',
  '--no-resolv',
  '--local=/example.test/',
  '--local-ttl=300',
  '--host-record=web.example.test,192.168.15.20',
  '--host-record=example.test,192.168.15.30',
  '--host-record=mail.example.test,192.168.15.25',
  '--host-record=ipv6.example.test,fd00:15::40',
  '--cname=www.example.test,web.example.test',
  '--mx-host=example.test,mail.example.test,10',
  '--txt-record=example.test,v=spf1 mx -all',
];

function server(args = ARGS): Process {
  const p = parseDnsmasqArgs(args);
  expect(p.error).toBeNull();
  return { pid: 1, comm: 'dnsmasq', argv: ['dnsmasq'], ns: 'ns1', nextFd: 3, role: { kind: 'dns', config: p.config } };
}

function ask(p: Process, name: string, type = 'A'): DnsMessage {
  const w = World.create();
  const r = answerQuery(w, p, makeQuery(1234, name, type, { edns: { udp: 1232, cookie: '0011223344556677' } }));
  expect(r).not.toBeNull();
  return r!;
}

describe('dnsmasq answers (2.90)', () => {
  test('local data is authoritative, with the sizes real replies have', () => {
    const p = server();
    const a = ask(p, 'web.example.test');
    expect(a).toMatchObject({ rcode: 0, aa: true, ra: true, rd: true, qr: true });
    expect(a.answer).toEqual([{ name: 'web.example.test', type: 'A', cls: 'IN', ttl: 300, data: '192.168.15.20' }]);
    expect(a.size).toBe(61);
    const www = ask(p, 'www.example.test');
    expect(www.answer.map((r) => r.type)).toEqual(['CNAME', 'A']);
    expect(www.size).toBe(91);
    expect(ask(p, 'www.example.test', 'CNAME').size).toBe(75);
    expect(ask(p, reverseName('192.168.15.20'), 'PTR').size).toBe(85);
    const mx = ask(p, 'example.test', 'MX');
    expect(mx.additional).toEqual([{ name: 'mail.example.test', type: 'A', cls: 'IN', ttl: 300, data: '192.168.15.25' }]);
    expect(mx.size).toBe(90);
  });

  test('an AAAA query through a CNAME returns the CNAME alone, authoritatively', () => {
    const r = ask(server(), 'www.example.test', 'AAAA');
    expect(r.aa).toBe(true);
    expect(r.answer.map((x) => x.type)).toEqual(['CNAME']);
  });

  test('inside --local: NODATA for existing names, NXDOMAIN otherwise, never aa', () => {
    const p = server();
    expect(ask(p, 'web.example.test', 'AAAA')).toMatchObject({ rcode: 0, aa: false, answer: [], size: 45 });
    expect(ask(p, 'nosuch.example.test')).toMatchObject({ rcode: 3, aa: false, size: 48 });
    // an empty non-terminal (a parent of known names) exists: NODATA, not NXDOMAIN
    const deep = server([...ARGS, '--host-record=a.b.example.test,192.168.15.99']);
    expect(ask(deep, 'b.example.test')).toMatchObject({ rcode: 0, aa: false, answer: [] });
    expect(ask(deep, 'c.example.test')).toMatchObject({ rcode: 3 });
  });

  test('outside the local domains with no upstream: REFUSED with EDE 14', () => {
    const r = ask(server(), 'kubernetes.io');
    expect(r.rcode).toBe(5);
    expect(r.opt?.ede).toEqual([{ code: 14, text: null }]);
    expect(r.size).toBe(48);
    expect(ask(server(), 'db').size).toBe(37);
  });

  test('--address answers a domain and its subdomains; --bogus-priv stops private reverse lookups', () => {
    const p = server(['--no-resolv', '--address=/blocked.lan/10.1.1.1', '--bogus-priv']);
    expect(ask(p, 'x.blocked.lan').answer[0]!.data).toBe('10.1.1.1');
    expect(ask(p, 'x.blocked.lan').aa).toBe(true);
    expect(ask(p, 'x.blocked.lan', 'AAAA')).toMatchObject({ rcode: 0, answer: [] });
    expect(ask(p, reverseName('10.2.3.4'), 'PTR').rcode).toBe(3);
    expect(ask(p, reverseName('8.8.8.8'), 'PTR').rcode).toBe(5);
  });

  test('forwarders are asked for other names', () => {
    const p = server(['--no-resolv', '--server=10.9.9.9']);
    const w = World.create();
    const seen: string[] = [];
    const r = answerQuery(w, p, makeQuery(7, 'kernel.org', 'A'), (srv, q) => {
      seen.push(srv);
      return { ...q, qr: true, ra: true, answer: [{ name: 'kernel.org', type: 'A', cls: 'IN', ttl: 60, data: '1.2.3.4' }] };
    });
    expect(seen).toEqual(['10.9.9.9']);
    expect(r).toMatchObject({ id: 7, aa: false, ra: true, rcode: 0 });
  });

});

describe('names and sizes', () => {
  test('reverse names both ways', () => {
    expect(reverseName('192.168.15.20')).toBe('20.15.168.192.in-addr.arpa');
    expect(addrOfReverse('20.15.168.192.in-addr.arpa.')).toBe('192.168.15.20');
    const r6 = reverseName('fd00:15::40');
    expect(r6.endsWith('.0.0.d.f.ip6.arpa')).toBe(true);
    expect(addrOfReverse(r6)).toBe('fd00:15::40');
  });

  test('a query with EDNS and a cookie', () => {
    expect(messageSize(makeQuery(1, 'web.example.test', 'A', { edns: { udp: 1232 } }))).toBe(45);
    expect(messageSize(makeQuery(1, 'web.example.test', 'A', { edns: { udp: 1232, cookie: '0011223344556677' } }))).toBe(57);
  });

  test('a server binds UDP and TCP 53 on its listen address, or fails like dnsmasq', () => {
    const w = World.create();
    const h = w.addHost('h');
    const cfg = parseDnsmasqArgs(['--listen-address=10.0.0.53']).config;
    const r = startDnsServer(w, 'h', h.rootNs, ['dnsmasq'], cfg);
    expect(r.process).toBeNull();
    expect(r.error).toBe('failed to create listening socket for 10.0.0.53: Cannot assign requested address');
    expect(r.exitCode).toBe(2);
    const ok = startDnsServer(w, 'h', h.rootNs, ['dnsmasq'], parseDnsmasqArgs([]).config);
    expect(ok.error).toBeNull();
    const socks = w.ns(h.rootNs).sockets.filter((s) => s.pid === ok.process!.pid);
    expect(socks.map((s) => `${s.proto} ${s.localAddr}:${s.localPort} ${s.state}`)).toEqual(['udp 0.0.0.0:53 UNCONN', 'tcp 0.0.0.0:53 LISTEN', 'udp :::53 UNCONN', 'tcp :::53 LISTEN']);
    const again = startDnsServer(w, 'h', h.rootNs, ['dnsmasq'], parseDnsmasqArgs([]).config);
    expect(again.error).toBe('failed to create listening socket for port 53: Address already in use');
  });
});

describe('CoreDNS (kubernetes plugin)', () => {
  function world(): { w: World; p: Process } {
    const w = World.create();
    const pod = (name: string, ns: string, ip: string, labels: Record<string, string>) => ({ name, namespace: ns, node: 'n', ip, hostNetwork: false, labels, containers: [], restarts: 0, created: 0, owner: 'ReplicaSet' });
    w.state.cluster = {
      nodes: [],
      pods: [pod('coredns-a', 'kube-system', '10.244.0.2', { 'k8s-app': 'kube-dns' }), pod('web-a', 'default', '10.244.0.4', { app: 'web' })],
      services: [
        { name: 'kube-dns', namespace: 'kube-system', type: 'ClusterIP', clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }], selector: { 'k8s-app': 'kube-dns' }, created: 0 },
        { name: 'web', namespace: 'default', type: 'ClusterIP', clusterIP: '10.104.1.2', ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }], selector: { app: 'web' }, created: 0 },
      ],
      serviceCIDR: '10.96.0.0/12',
      podCIDR: '10.244.0.0/16',
      cni: 'bridge',
    } as unknown as NonNullable<typeof w.state.cluster>;
    const p: Process = { pid: 1, comm: 'coredns', argv: ['/coredns'], ns: 'ns1', nextFd: 3, role: { kind: 'dns', config: corednsConfig(['10.0.0.53']) } };
    return { w, p };
  }
  const q = (w: World, p: Process, name: string, type = 'A', fwd: Parameters<typeof answerQuery>[3] = null) => answerQuery(w, p, makeQuery(1, name, type, { edns: { udp: 1232 } }), fwd)!;

  test('services, pods, SRV and PTR from the cluster state, authoritative without RA, TTL 30', () => {
    const { w, p } = world();
    const a = q(w, p, 'web.default.svc.cluster.local');
    expect(a).toMatchObject({ aa: true, ra: false, rcode: 0 });
    expect(a.answer).toEqual([{ name: 'web.default.svc.cluster.local', type: 'A', cls: 'IN', ttl: 30, data: '10.104.1.2' }]);
    expect(q(w, p, '10-244-0-4.default.pod.cluster.local').answer[0]!.data).toBe('10.244.0.4');
    expect(q(w, p, '_http._tcp.web.default.svc.cluster.local', 'SRV').answer[0]!.data).toBe('0 100 80 web.default.svc.cluster.local.');
    expect(q(w, p, reverseName('10.96.0.10'), 'PTR').answer[0]!.data).toBe('kube-dns.kube-system.svc.cluster.local.');
  });

  test('negative answers carry the cluster.local SOA; a namespace exists as an empty name', () => {
    const { w, p } = world();
    const nx = q(w, p, 'nosuch.default.svc.cluster.local');
    expect(nx.rcode).toBe(3);
    expect(nx.authority[0]).toMatchObject({ name: 'cluster.local', type: 'SOA' });
    expect(q(w, p, 'default.svc.cluster.local')).toMatchObject({ rcode: 0, answer: [] });
  });

  test('other names go to the upstream of /etc/resolv.conf; SERVFAIL when it does not answer', () => {
    const { w, p } = world();
    expect(q(w, p, 'kubernetes.io').rcode).toBe(2);
    const up = q(w, p, 'kubernetes.io', 'A', (_s, m) => ({ ...m, qr: true, ra: true, answer: [{ name: 'kubernetes.io', type: 'A', cls: 'IN', ttl: 300, data: '1.2.3.4' }] }));
    expect(up).toMatchObject({ rcode: 0, aa: false, ra: true });
  });
});

describe('forwarding loops', () => {
  test('CoreDNS whose upstream is itself stops with the loop plugin message; another upstream is fine', async () => {
    const { startCoreDns } = await import('./dns');
    const { netnsAdd } = await import('./netns');
    const { linkSetUp, getLink } = await import('./netdev');
    const { writeHostFile } = await import('./files');
    const w = World.create({ seed: 3 });
    w.addHost('n1');
    const ns = netnsAdd(w, 'n1', 'pod').id;
    linkSetUp(w, ns, getLink(w, ns, 'lo').ifindex, true);
    writeHostFile(w.host('n1'), '/etc/resolv.conf', 'nameserver 127.0.0.53\n');
    const r = startCoreDns(w, 'n1', ns, ['/coredns', '-conf', '/etc/coredns/Corefile']);
    expect(r.process).toBeNull();
    expect(r.error).toMatch(/^\[FATAL\] plugin\/loop: Loop \(127\.0\.0\.1:\d+ -> :53\) detected for zone "\.", see https:\/\/coredns\.io\/plugins\/loop#troubleshooting\. Query: "HINFO \d{19}\.\d{19}\."$/);
    expect(w.host('n1').processes).toHaveLength(0);
    expect(w.ns(ns).sockets).toHaveLength(0);
    writeHostFile(w.host('n1'), '/etc/netns/pod/resolv.conf', 'nameserver 192.0.2.53\n');
    expect(startCoreDns(w, 'n1', ns, ['/coredns']).process).not.toBeNull();
  });

  test('a dnsmasq forwarding to itself drops the query after dns-forward-max nested forwards: the client times out', async () => {
    const { udpExchange, DNS_FORWARD_MAX } = await import('./packet');
    const { linkSetUp, getLink } = await import('./netdev');
    const w = World.create({ seed: 3 });
    w.addHost('h');
    const root = w.host('h').rootNs;
    linkSetUp(w, root, getLink(w, root, 'lo').ifindex, true);
    const cfg = parseDnsmasqArgs([]).config;
    cfg.forwarders.push('127.0.0.53');
    expect(startDnsServer(w, 'h', root, ['dnsmasq'], cfg).error).toBeNull();
    const q = makeQuery(7, 'example.com', 'A', {});
    const r = udpExchange(w, root, { dst: '127.0.0.53', dport: 53, data: q, len: messageSize(q), timeoutMs: 5000 });
    expect(r.kind).toBe('timeout');
    expect(DNS_FORWARD_MAX).toBe(150);
    // no forwarding socket is left behind: only dnsmasq's own two (0.0.0.0 and ::)
    expect(w.ns(root).sockets.filter((s) => s.proto === 'udp').map((s) => s.localAddr)).toEqual(['0.0.0.0', '::']);
  });
});
