import { describe, expect, test } from 'vitest';
import { dnsWorld, makeSys, runCmd } from './dns-fixture.test-util';
import { writeHostFile } from '../sim/files';
import { nslookup } from './nslookup';
import { host } from './host';

function setup() {
  const { world, host: h, nsOf } = dnsWorld();
  const sys = makeSys(world, h);
  return { world, h, nsOf, sys, ns: (l: string) => runCmd(nslookup, sys, l), host: (l: string) => runCmd(host, sys, l) };
}

const SERVER = 'Server:\t\t192.168.15.10\nAddress:\t192.168.15.10#53\n\n';

describe('nslookup', () => {
  test('A lookups, aliases, authoritative answers need no "Non-authoritative" line', async () => {
    const { ns } = setup();
    expect(await ns('web.example.test')).toMatchObject({ out: SERVER + 'Name:\tweb.example.test\nAddress: 192.168.15.20\n\n', code: 0 });
    expect((await ns('www.example.test')).out).toBe(SERVER + 'www.example.test\tcanonical name = web.example.test.\nName:\tweb.example.test\nAddress: 192.168.15.20\n\n');
    expect((await ns('web.example.test 192.168.15.10')).out).toBe(SERVER + 'Name:\tweb.example.test\nAddress: 192.168.15.20\n\n');
  });

  test('the follow-up AAAA lookup prints IPv6 addresses after a non-authoritative empty A answer', async () => {
    const { ns } = setup();
    expect((await ns('ipv6.example.test')).out).toBe(SERVER + 'Non-authoritative answer:\nName:\tipv6.example.test\nAddress: fd00:15::40\n\n');
  });

  test('errors: NXDOMAIN and REFUSED exit 1', async () => {
    const { ns } = setup();
    expect(await ns('nosuch.example.test')).toMatchObject({ out: SERVER + "** server can't find nosuch.example.test: NXDOMAIN\n\n", code: 1 });
    expect(await ns('db')).toMatchObject({ out: SERVER + "** server can't find db: REFUSED\n\n", code: 1 });
  });

  test('reverse lookups print no server header', async () => {
    const { ns } = setup();
    expect(await ns('192.168.15.20')).toMatchObject({ out: '20.15.168.192.in-addr.arpa\tname = web.example.test.\n\n', code: 0 });
  });

  test('-type=MX, and "No answer" for a type the name lacks', async () => {
    const { ns } = setup();
    expect((await ns('-type=mx example.test')).out).toBe(SERVER + 'example.test\tmail exchanger = 10 mail.example.test.\n\n');
    // a non-authoritative reply for another type than A/AAAA always gets the (here empty) authority block
    expect((await ns('-query=TXT web.example.test')).out).toBe(SERVER + "Non-authoritative answer:\n*** Can't find web.example.test: No answer\n\nAuthoritative answers can be found from:\n\n");
    expect((await ns('-type=bogus web.example.test')).out.startsWith('unknown query type: bogus\n')).toBe(true);
  });

  test('no server listening: connection refused three times, exit 1', async () => {
    const { world, h, ns } = setup();
    writeHostFile(world.host(h), '/etc/resolv.conf', 'nameserver 127.0.0.53\noptions edns0 trust-ad\n');
    const r = await ns('web.example.test');
    expect(r.out).toBe(';; communications error to 127.0.0.53#53: connection refused\n'.repeat(3) + ';; no servers could be reached\n\n');
    expect(r.code).toBe(1);
  });

  test('version and usage', async () => {
    const { ns } = setup();
    expect(await ns('-version')).toMatchObject({ stderr: 'nslookup 9.18.49-1~deb12u3-Debian\n', code: 0 });
    expect((await ns('a b c')).code).toBe(1);
  });
});

describe('host', () => {
  test('addresses, aliases, mail exchangers, reverse', async () => {
    const { host } = setup();
    expect(await host('web.example.test')).toMatchObject({ out: 'web.example.test has address 192.168.15.20\n', code: 0 });
    expect((await host('www.example.test')).out).toBe('www.example.test is an alias for web.example.test.\nweb.example.test has address 192.168.15.20\n');
    expect((await host('example.test')).out).toBe('example.test has address 192.168.15.30\nexample.test mail is handled by 10 mail.example.test.\n');
    expect((await host('ipv6.example.test')).out).toBe('ipv6.example.test has IPv6 address fd00:15::40\n');
    expect((await host('-t MX example.test')).out).toBe('example.test mail is handled by 10 mail.example.test.\n');
    expect((await host('-t AAAA web.example.test')).out).toBe('web.example.test has no AAAA record\n');
    expect((await host('192.168.15.20')).out).toBe('20.15.168.192.in-addr.arpa domain name pointer web.example.test.\n');
  });

  test('not found: NXDOMAIN names the name as typed, exit 1', async () => {
    const { host } = setup();
    expect(await host('nosuch.example.test')).toMatchObject({ out: 'Host nosuch.example.test not found: 3(NXDOMAIN)\n', code: 1 });
    expect(await host('db')).toMatchObject({ out: 'Host db not found: 5(REFUSED)\n', code: 1 });
  });

  test('an explicit server gets the "Using domain server" header', async () => {
    const { host } = setup();
    expect((await host('web.example.test 192.168.15.10')).out).toBe('Using domain server:\nName: 192.168.15.10\nAddress: 192.168.15.10#53\nAliases: \n\nweb.example.test has address 192.168.15.20\n');
  });

  test('options: usage, bad type, unreachable server (two tries)', async () => {
    const { host } = setup();
    const u = await host('');
    expect(u.code).toBe(1);
    expect(u.stderr.startsWith('Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n')).toBe(true);
    expect(await host('-t BOGUS web.example.test')).toMatchObject({ stderr: 'host: invalid type: BOGUS\n\n', code: 2 });
    const r = await host('-W 1 web.example.test 192.168.15.2');
    expect(r.out).toBe(';; communications error to 192.168.15.2#53: connection refused\n'.repeat(2) + ';; no servers could be reached\n');
    expect(r.code).toBe(1);
    expect(await host('-V')).toMatchObject({ stderr: 'host 9.18.49-1~deb12u3-Debian\n', code: 0 });
  });
});

describe('host -v', () => {
  test('verbose: Trying, the header, sections in dig columns, Received', async () => {
    const { host } = setup();
    const r = await host('-v -t A web.example.test');
    expect(r.out.replace(/id: \d+/, 'id: <ID>').replace(/in \d+ ms/, 'in <T> ms')).toBe(
      'Trying "web.example.test"\n;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: <ID>\n;; flags: qr aa rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 0\n\n' +
        ';; QUESTION SECTION:\n;web.example.test.\t\tIN\tA\n\n;; ANSWER SECTION:\nweb.example.test.\t300\tIN\tA\t192.168.15.20\n\n' +
        'Received 50 bytes from 192.168.15.10#53 in <T> ms\n',
    );
  });
});
