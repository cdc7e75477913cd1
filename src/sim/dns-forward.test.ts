// CoreDNS 1.12's forward plugin as the simulated CoreDNS runs it, against stand-in upstreams; the cases
// follow CoreDNS's own tests (plugin/forward/proxy_test.go TestProxy, health_test.go TestHealthTimeout and
// TestHealthMaxFails, pkg/proxy Connect's errors) on the simulated clock.
import { afterEach, describe, expect, test } from 'vitest';
import { World } from './world';
import { answerQuery, corednsConfig, makeQuery, REFUSED, setDnsServerLog, type DnsMessage, type ForwardFn } from './dns';
import type { Process } from './types';

function coredns(targets: string[]): { w: World; p: Process } {
  const w = World.create({ seed: 5 });
  const p: Process = { pid: 7, comm: 'coredns', argv: ['/coredns'], ns: 'ns1', nextFd: 3, role: { kind: 'dns', config: corednsConfig(targets) } };
  return { w, p };
}

const answer = (m: DnsMessage, data: string): DnsMessage => ({ ...m, qr: true, ra: true, aa: false, answer: [{ name: m.question[0]!.name, type: 'A', cls: 'IN', ttl: 300, data }] });

/** An upstream that never answers: each attempt waits out its read timeout. */
function silent(w: World, seen: { server: string; timeoutMs: number }[]): ForwardFn {
  let port = 40001;
  return (server, _q, o) => {
    seen.push({ server, timeoutMs: o?.timeoutMs ?? -1 });
    w.advance(o?.timeoutMs ?? 5000);
    o?.failed?.({ kind: 'timeout', local: '10.244.0.2', sport: port++ });
    return null;
  };
}

const logged: string[] = [];
setDnsServerLog((_w, proc, line) => logged.push(`${proc.pid} ${line}`));
afterEach(() => void logged.splice(0));

describe('CoreDNS forward plugin', () => {
  test("an upstream's answer is the reply, with the client's id and question (TestProxy)", () => {
    const { w, p } = coredns(['192.168.121.1']);
    const r = answerQuery(w, p, makeQuery(4321, 'example.org', 'A'), (_s, q) => answer({ ...q, id: 99 }, '127.0.0.1'))!;
    expect(r).toMatchObject({ id: 4321, rcode: 0, aa: false, ra: true, question: [{ name: 'example.org', type: 'A' }] });
    expect(r.answer.map((a) => `${a.name} ${a.data}`)).toEqual(['example.org 127.0.0.1']);
    expect(w.now()).toBe(0);
  });

  test("any rcode the upstream answers is passed on as it is: REFUSED from libvirt's dnsmasq without servers, its AA bit", () => {
    const { w, p } = coredns(['192.168.121.1']);
    const refused = answerQuery(w, p, makeQuery(1, 'example.com', 'A'), (_s, q) => ({ ...q, qr: true, ra: true, rcode: REFUSED }))!;
    expect(refused).toMatchObject({ rcode: REFUSED, ra: true });
    const aa = answerQuery(w, p, makeQuery(2, 'node01', 'A'), (_s, q) => ({ ...answer(q, '192.168.121.11'), aa: true }))!;
    expect(aa.aa).toBe(true);
    expect(logged).toEqual([]);
  });

  test('a query the upstream drops is sent again after the 2 s read timeout and its answer returned (TestHealthTimeout)', () => {
    const { w, p } = coredns(['192.168.121.1']);
    let n = 0;
    const r = answerQuery(w, p, makeQuery(1, 'example.org', 'A'), (_s, q, o) => {
      if (n++ === 0) {
        w.advance(o!.timeoutMs!);
        o!.failed!({ kind: 'timeout', local: '10.244.0.2', sport: 40001 });
        return null;
      }
      return answer(q, '127.0.0.1');
    })!;
    expect(r.rcode).toBe(0);
    expect(n).toBe(2);
    expect(w.now()).toBe(2000);
    expect(logged).toEqual([]);
  });

  test('an upstream that never answers: three 2 s reads before the 5 s deadline, then SERVFAIL without RA and the errors line of the last read (TestHealthMaxFails)', () => {
    const { w, p } = coredns(['10.0.0.99']);
    const seen: { server: string; timeoutMs: number }[] = [];
    const r = answerQuery(w, p, makeQuery(1, 'Example.COM', 'AAAA'), silent(w, seen))!;
    expect(r).toMatchObject({ rcode: 2, ra: false, aa: false, answer: [] });
    expect(seen).toEqual([0, 1, 2].map(() => ({ server: '10.0.0.99', timeoutMs: 2000 })));
    expect(w.now()).toBe(6000);
    expect(logged).toEqual(['7 [ERROR] plugin/errors: 2 example.com. AAAA: read udp 10.244.0.2:40003->10.0.0.99:53: i/o timeout']);
  });

  test('a refused port (ICMP port unreachable) fails at once: CoreDNS 1.12 dials again until its deadline, then logs the refusal', () => {
    const { w, p } = coredns(['192.168.121.12']);
    const r = answerQuery(w, p, makeQuery(1, 'example.org', 'A'), (_s, _q, o) => {
      o!.failed!({ kind: 'refused', local: '10.244.0.3', sport: 45001 });
      return null;
    })!;
    expect(r.rcode).toBe(2);
    expect(w.now()).toBe(5000);
    expect(logged).toEqual(['7 [ERROR] plugin/errors: 2 example.org. A: read udp 10.244.0.3:45001->192.168.121.12:53: read: connection refused']);
  });

  test('with two upstreams, one dead: attempts go to both (random order) and the live one answers', () => {
    const firsts = new Set<string>();
    for (let seed = 1; seed <= 12; seed++) {
      const w = World.create({ seed });
      const p: Process = { pid: 7, comm: 'coredns', argv: ['/coredns'], ns: 'ns1', nextFd: 3, role: { kind: 'dns', config: corednsConfig(['10.0.0.99', '192.168.121.1']) } };
      const asked: string[] = [];
      const r = answerQuery(w, p, makeQuery(1, 'example.org', 'A'), (s, q, o) => {
        asked.push(s);
        if (s === '192.168.121.1') return answer(q, '127.0.0.1');
        w.advance(o!.timeoutMs!);
        o!.failed!({ kind: 'timeout', local: '10.244.0.2', sport: 40001 });
        return null;
      })!;
      expect(r.rcode).toBe(0);
      expect(asked.at(-1)).toBe('192.168.121.1');
      expect(w.now()).toBe(asked.length === 1 ? 0 : 2000);
      firsts.add(asked[0]!);
    }
    expect([...firsts].sort()).toEqual(['10.0.0.99', '192.168.121.1']);
  });
});
