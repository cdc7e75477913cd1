// systemd-resolved's stub on the nodes: what a learner on controlplane sees with dig, nslookup, host and
// ping (the stub at 127.0.0.53 answering /etc/hosts and synthesized names itself, other names through the
// lab's KVM host), the daemon in ps, ss and systemctl; pods keep CoreDNS. Then the stub's rules one by one.
import { beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { getScenario } from '../../labs/scenarios/index';
import { makeQuery, type DnsMessage } from '../../sim/dns';
import { answerResolved, PROXY_ADDR, STUB_ADDR } from './resolved';

type S = Awaited<ReturnType<typeof Session.create>>;

describe('systemd-resolved on the k8s-cluster nodes', () => {
  let s: S;
  beforeAll(async () => {
    s = await Session.create({ scenario: getScenario('k8s-cluster'), host: 'controlplane' });
  });
  const run = async (l: string) => (await s.run(l)).output;

  it('dig through the stub: /etc/hosts names aa with TTL 0, EDNS udp 65494, ra', async () => {
    const r = await run('dig node01');
    expect(r).toContain(';; flags: qr aa rd ra ad; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1');
    expect(r).toContain('; EDNS: version: 0, flags:; udp: 65494');
    expect(r).toContain('node01.\t\t\t0\tIN\tA\t192.168.121.11');
    expect(r).toContain(';; SERVER: 127.0.0.53#53(127.0.0.53) (UDP)');
  });

  it('host and ping find the nodes; nslookup of an outside name gets the upstream REFUSED (no EDE from the stub)', async () => {
    expect(await run('host controlplane')).toBe('controlplane has address 127.0.1.1\ncontrolplane has address 192.168.121.10\n');
    expect(await run('ping -c1 node01')).toMatch(/^PING node01 \(192\.168\.121\.11\) 56\(84\) bytes of data\.\n64 bytes from node01 \(192\.168\.121\.11\): icmp_seq=1 ttl=64/);
    expect(await run('nslookup example.com')).toContain("Server:\t\t127.0.0.53\nAddress:\t127.0.0.53#53\n\n** server can't find example.com: REFUSED");
    const d = await run('dig example.com');
    expect(d).toContain('status: REFUSED');
    expect(d).not.toContain('EDE');
  });

  it('the proxy stub at 127.0.0.54 passes the upstream reply on as it is (dnsmasq\'s EDE 14 included)', async () => {
    const d = await run('dig @127.0.0.54 example.com');
    expect(d).toContain('status: REFUSED');
    expect(d).toContain('; EDNS: version: 0, flags:; udp: 65494\n; EDE: 14 (Not Ready)');
  });

  it('synthesizes _gateway, localhost, the stub names; single labels it does not know are REFUSED', async () => {
    expect(await run('dig +short _gateway')).toBe('192.168.121.1\n');
    expect(await run('dig +short localhost AAAA')).toBe('::1\n');
    expect(await run('dig +short -x 127.0.0.53')).toBe('_localdnsstub.\n');
    expect(await run('dig foo | grep status')).toContain('status: REFUSED');
    expect(await run('dig +norec node01 | grep -E "status|flags:"')).toContain('status: REFUSED');
  });

  it('runs as a daemon: ps, ss -lnup (127.0.0.53%lo and 127.0.0.54), systemctl', async () => {
    expect(await run('ps auxww')).toMatch(/ \/usr\/lib\/systemd\/systemd-resolved\n/);
    const ss = (await run('ss -lnup')).split('\n');
    expect(ss.some((l) => /^UNCONN +0 +0 +127\.0\.0\.53%lo:53 +0\.0\.0\.0:\* +users:\(\("systemd-resolve",pid=\d+,fd=\d+\)\)/.test(l))).toBe(true);
    expect(ss.some((l) => /^UNCONN +0 +0 +127\.0\.0\.54:53 +0\.0\.0\.0:\* +users:\(\("systemd-resolve"/.test(l))).toBe(true);
    expect(await run('ss -lnt | grep ":53 "')).toMatch(/127\.0\.0\.53%lo:53 .*\n.*127\.0\.0\.54:53 /);
    const st = await run('systemctl status systemd-resolved');
    expect(st).toMatch(/^● systemd-resolved\.service - Network Name Resolution\n/);
    expect(st).toContain('Active: active (running)');
    await run('systemctl stop systemd-resolved');
    expect(await run('dig +tries=1 +timeout=1 node01')).toContain('connection refused');
    await run('systemctl start systemd-resolved');
    expect(await run('dig +short node01')).toBe('192.168.121.11\n');
  });

  it('pods keep CoreDNS (the kubelet hands them the cluster DNS, CoreDNS forwards to the KVM host, not to the stub)', async () => {
    await run('kubectl run client --image=busybox --restart=Never -- sleep 3600');
    await run('kubectl wait --for=condition=Ready pod/client --timeout=60s');
    const r = await run('kubectl exec client -- nslookup example.com');
    expect(r).toBe("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find example.com: REFUSED\n\n** server can't find example.com: REFUSED\n\ncommand terminated with exit code 1\n");
  });
});

describe("the stub's rules (resolved-dns-stub.c)", () => {
  let s: S;
  beforeAll(async () => {
    s = await Session.create({ scenario: getScenario('k8s-cluster'), host: 'controlplane' });
  });
  const stub = () => s.world.host('controlplane').processes.find((p) => p.comm === 'systemd-resolve')!;
  const ask = (q: DnsMessage, forward: ((srv: string, q: DnsMessage) => DnsMessage | null) | null, dst = STUB_ADDR) => answerResolved(s.world, stub(), q, forward, dst);
  const upstream = (rcode: number, extra: Partial<DnsMessage> = {}) => (_srv: string, q: DnsMessage): DnsMessage => ({ ...q, qr: true, ra: true, aa: true, rcode, opt: q.opt ? { ...q.opt, udp: 1232, ede: [{ code: 14, text: null }] } : null, ...extra });

  it('rd off, AXFR: REFUSED; EDNS version 1: BADVERS; no OPT in the query, none in the reply', () => {
    expect(ask(makeQuery(1, 'example.com', 'A', { rd: false }), null)!.rcode).toBe(5);
    expect(ask(makeQuery(1, 'example.com', 'AXFR', {}), null)!.rcode).toBe(5);
    const q = makeQuery(1, 'example.com', 'A', { edns: { udp: 1232 } });
    q.opt!.version = 1;
    expect(ask(q, null)!.rcode).toBe(16);
    expect(ask(makeQuery(1, 'localhost', 'A', {}), null)!.opt).toBeNull();
  });

  it('an upstream NXDOMAIN is rebuilt: aa and EDE dropped, ra set, udp 65494; other rcodes are passed on with empty sections', () => {
    const nx = ask(makeQuery(7, 'nope.example', 'A', { edns: { udp: 1232 } }), upstream(3, { authority: [{ name: 'example', type: 'SOA', cls: 'IN', ttl: 60, data: 'ns. h. 1 2 3 4 5' }] }))!;
    expect([nx.id, nx.rcode, nx.aa, nx.ra, nx.opt!.udp, nx.opt!.ede.length, nx.authority.length]).toEqual([7, 3, false, true, 65494, 0, 1]);
    const sf = ask(makeQuery(8, 'x.example', 'A', {}), upstream(2, { answer: [{ name: 'x.example', type: 'A', cls: 'IN', ttl: 1, data: '1.2.3.4' }] }))!;
    expect([sf.rcode, sf.answer.length]).toEqual([2, 0]);
  });

  it('an upstream that does not answer: no reply at all (the client times out)', () => {
    expect(ask(makeQuery(9, 'x.example', 'A', {}), () => null)).toBeNull();
  });

  it('127.0.0.54 (bypass): the upstream message with our id and udp size, ad cleared, aa and EDE kept; single labels go upstream', () => {
    const r = ask(makeQuery(5, 'foo', 'A', { edns: { udp: 1232 }, ad: true }), upstream(5, { ad: true }), PROXY_ADDR)!;
    expect([r.id, r.rcode, r.aa, r.ad, r.opt!.udp, r.opt!.ede[0]!.code]).toEqual([5, 5, true, false, 65494, 14]);
  });
});
