import { describe, expect, test } from 'vitest';
import { dnsWorld, makeSys, runCmd } from './dns-fixture.test-util';
import { writeHostFile } from '../sim/files';
import { dig } from './dig';

/** The fidelity normaliser's dig masks. */
function mask(s: string): string {
  return s
    .replace(/id: \d+/g, 'id: <ID>')
    .replace(/;; Query time: \d+ msec/g, ';; Query time: <T> msec')
    .replace(/;; WHEN: .*/g, ';; WHEN: <WHEN>');
}

function setup() {
  const { world, host, nsOf } = dnsWorld();
  const sys = makeSys(world, host);
  return { world, host, nsOf, sys, run: (line: string) => runCmd(dig, sys, line) };
}

describe('dig: answers from the dnsmasq server', () => {
  test('full default output, byte for byte (ids and times masked)', async () => {
    const { run } = setup();
    const r = await run('web.example.test');
    expect(r.code).toBe(0);
    expect(mask(r.out)).toBe(
      '\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> web.example.test\n;; global options: +cmd\n;; Got answer:\n' +
        ';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: <ID>\n;; flags: qr aa rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n\n' +
        ';; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;web.example.test.\t\tIN\tA\n\n' +
        ';; ANSWER SECTION:\nweb.example.test.\t300\tIN\tA\t192.168.15.20\n\n' +
        ';; Query time: <T> msec\n;; SERVER: 192.168.15.10#53(192.168.15.10) (UDP)\n;; WHEN: <WHEN>\n;; MSG SIZE  rcvd: 61\n\n',
    );
  });

  test('@server prints the server count; the SERVER line names it as given', async () => {
    const { run } = setup();
    const r = await run('@192.168.15.10 web.example.test');
    expect(r.out).toContain('; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> @192.168.15.10 web.example.test\n; (1 server found)\n;; global options: +cmd\n');
  });

  test('CNAME chains, reverse lookups, MX additional data, TXT, tab columns', async () => {
    const { run } = setup();
    expect((await run('+noall +answer www.example.test')).out).toBe('www.example.test.\t300\tIN\tCNAME\tweb.example.test.\nweb.example.test.\t300\tIN\tA\t192.168.15.20\n');
    expect((await run('+noall +answer flowers.example.test')).out).toBe('flowers.example.test.\t300\tIN\tCNAME\texample.test.\nexample.test.\t\t300\tIN\tA\t192.168.15.30\n');
    expect((await run('+short www.example.test')).out).toBe('web.example.test.\n192.168.15.20\n');
    expect((await run('+short -x 192.168.15.20')).out).toBe('web.example.test.\n');
    const ptr = await run('-x 192.168.15.20');
    expect(ptr.out).toContain(';20.15.168.192.in-addr.arpa.\tIN\tPTR\n');
    expect(ptr.out).toContain('20.15.168.192.in-addr.arpa. 300\tIN\tPTR\tweb.example.test.\n');
    const mx = await run('example.test MX');
    expect(mx.out).toContain(';; flags: qr aa rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 2\n');
    expect(mx.out).toContain(';example.test.\t\t\tIN\tMX\n');
    expect(mx.out).toContain(';; ADDITIONAL SECTION:\nmail.example.test.\t300\tIN\tA\t192.168.15.25\n\n');
    expect(mx.out).toContain(';; MSG SIZE  rcvd: 90\n');
    expect((await run('example.test TXT +short')).out).toBe('"v=spf1 mx -all"\n');
    expect((await run('AAAA ipv6.example.test +short')).out).toBe('fd00:15::40\n');
  });

  test('negative answers: NODATA and NXDOMAIN without aa, REFUSED with EDE 14 outside the local domain', async () => {
    const { run } = setup();
    const nodata = await run('-t AAAA web.example.test');
    expect(nodata.out).toContain('status: NOERROR');
    expect(nodata.out).toContain(';; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1\n');
    expect(nodata.out).not.toContain('ANSWER SECTION');
    const nx = await run('nosuch.example.test');
    expect(nx.out).toContain('status: NXDOMAIN');
    expect(nx.out).toContain(';; MSG SIZE  rcvd: 48\n');
    const refused = await run('db');
    expect(refused.out).toContain('status: REFUSED');
    expect(refused.out).toContain('; EDE: 14 (Not Ready)\n;; QUESTION SECTION:\n;db.\t\t\t\tIN\tA\n');
    expect(refused.code).toBe(0);
  });

  test('no server: connection refused and timeouts, once per try, then the greeting and exit 9', async () => {
    const { run } = setup();
    const refused = await run('@192.168.15.2 +time=1 +tries=1 web.example.test');
    expect(refused).toMatchObject({
      code: 9,
      out: ';; communications error to 192.168.15.2#53: connection refused\n\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> @192.168.15.2 +time=1 +tries=1 web.example.test\n; (1 server found)\n;; global options: +cmd\n;; no servers could be reached\n',
    });
    // an address nobody holds: no answer within +time (ARP would give up only after 3 s, then host unreachable)
    const timeout = await run('@192.168.15.99 +time=1 +tries=2 web.example.test');
    expect(timeout.out.match(/communications error to 192\.168\.15\.99#53: timed out/g)).toHaveLength(2);
    expect(timeout.code).toBe(9);
    // +short keeps the errors but drops the greeting
    const short = await run('@192.168.15.2 +short +tries=1 web.example.test');
    expect(short.out).toBe(';; communications error to 192.168.15.2#53: connection refused\n;; no servers could be reached\n');
  });

  test('several nameservers share the retry budget: three tries on the first, then one on the next', async () => {
    const { world, host, run } = setup();
    writeHostFile(world.host(host), '/etc/resolv.conf', 'nameserver 192.168.15.2\nnameserver 192.168.15.20\n');
    const dead = await run('+short web.example.test');
    expect(dead.out).toBe(';; communications error to 192.168.15.2#53: connection refused\n'.repeat(3) + ';; communications error to 192.168.15.20#53: connection refused\n;; no servers could be reached\n');
    writeHostFile(world.host(host), '/etc/resolv.conf', 'nameserver 192.168.15.2\nnameserver 192.168.15.10\n');
    const second = await run('web.example.test');
    expect(second.out.match(/communications error/g)).toHaveLength(3);
    expect(second.out).toContain(';; SERVER: 192.168.15.10#53(192.168.15.10) (UDP)\n');
  });

  test('a timeout costs simulated time', async () => {
    const { world, run } = setup();
    const t0 = world.now();
    await run('@192.168.15.99 +time=2 +tries=3 web.example.test');
    expect(world.now() - t0).toBeGreaterThanOrEqual(6000);
  });

  test('/etc/resolv.conf decides the server, read at each run; an ip netns sees /etc/netns/NAME/resolv.conf', async () => {
    const { world, host, nsOf, run } = setup();
    writeHostFile(world.host(host), '/etc/resolv.conf', 'nameserver 192.168.15.2\n');
    expect((await run('+tries=1 +short web.example.test')).out).toBe(';; communications error to 192.168.15.2#53: connection refused\n;; no servers could be reached\n');
    const red = makeSys(world, host, nsOf('red'));
    writeHostFile(world.host(host), '/etc/netns/red/resolv.conf', 'nameserver 192.168.15.10\n');
    expect((await runCmd(dig, red, '+short web.example.test')).out).toBe('192.168.15.20\n');
  });

  test('+search uses the search list of resolv.conf; without it the name is absolute', async () => {
    const { world, host, run } = setup();
    writeHostFile(world.host(host), '/etc/resolv.conf', 'search example.test\nnameserver 192.168.15.10\n');
    expect((await run('+short +search web')).out).toBe('192.168.15.20\n');
    expect((await run('+noall +question +answer web')).out).toBe(';web.\t\t\t\tIN\tA\n');
  });

  test('.local names get the mDNS warning', async () => {
    const { run } = setup();
    const r = await run('kubernetes.default.svc.cluster.local');
    expect(r.out).toContain(';; Got answer:\n;; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n;; ->>HEADER<<-');
  });
});

describe('dig: command line', () => {
  test('positional type and class, -t after the name, a bare type asks for the root', async () => {
    const { run } = setup();
    expect((await run('+noall +question web.example.test -t MX')).out).toBe(';web.example.test.\t\tIN\tMX\n');
    expect((await run('+noall +question IN TXT example.test')).out).toBe(';example.test.\t\t\tIN\tTXT\n');
    expect((await run('+noall +question ns')).out).toBe(';.\t\t\t\tIN\tNS\n');
    expect((await run('+noall +question')).out).toBe(';.\t\t\t\tIN\tNS\n');
    const extra = await run('+noall +question A MX web.example.test');
    expect(extra.stderr).toBe(';; Warning, extra type option\n');
  });

  test('bad options: usage on stderr, exit 1; -v prints the version', async () => {
    const { run } = setup();
    const r = await run('+bogus web.example.test');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'Invalid option: +bogus\nUsage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}\n            {global-d-opt} host [@local-server] {local-d-opt}\n            [ host [@local-server] {local-d-opt} [...]]\n\nUse "dig -h" (or "dig -h | more") for complete list of options\n',
    );
    expect(await run('-v')).toMatchObject({ stdout: '', stderr: 'DiG 9.18.49-1~deb12u3-Debian\n', code: 0 });
    // -x reverses the labels blindly (real dig 9.18 asks 1.1.1.300.in-addr.arpa, no error)
    expect((await run('-x 300.1.1.1 +noall +question')).stdout).toBe(';1.1.1.300.in-addr.arpa.\t\tIN\tPTR\n');
    const help = await run('-h');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('+[no]short          (Display nothing except short\n');
  });

  test('abbreviated +options as dig accepts them', async () => {
    const { run } = setup();
    expect((await run('+noal +ans +sh web.example.test')).out).toBe('192.168.15.20\n');
    expect((await run('+tr web.example.test')).code).toBe(1);
    expect((await run('+noall +answer +nottl www.example.test')).out).toBe('www.example.test.\tIN\tCNAME\tweb.example.test.\nweb.example.test.\tIN\tA\t192.168.15.20\n');
  });

  test('two lookups: one greeting, two answers', async () => {
    const { run } = setup();
    const r = await run('web.example.test mail.example.test');
    expect(r.out.match(/<<>> DiG/g)).toHaveLength(1);
    expect(r.out.match(/;; Got answer:/g)).toHaveLength(2);
  });
});
