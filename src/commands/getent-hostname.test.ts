import { describe, expect, test } from 'vitest';
import { dnsWorld, makeSys, runCmd } from './dns-fixture.test-util';
import { readHostFile, writeHostFile } from '../sim/files';
import { getent } from './getent';
import { hostname } from './hostname';

function setup() {
  const { world, host: h, nsOf } = dnsWorld();
  const sys = makeSys(world, h);
  return { world, h, nsOf, sys, getent: (l: string) => runCmd(getent, sys, l), hostname: (l: string) => runCmd(hostname, sys, l) };
}

describe('getent', () => {
  test('hosts: files first (an IPv6 entry wins for getent hosts), then DNS with the canonical name and aliases', async () => {
    const { getent } = setup();
    expect(await getent('hosts web.example.test')).toMatchObject({ out: '192.168.15.20   web.example.test\n', code: 0 });
    expect((await getent('hosts www.example.test')).out).toBe('192.168.15.20   web.example.test www.example.test\n');
    expect((await getent('hosts localhost')).out).toBe('::1             localhost ip6-localhost ip6-loopback\n');
    expect((await getent('hosts controlplane')).out).toBe('127.0.1.1       controlplane\n');
    expect((await getent('hosts 192.168.15.20')).out).toBe('192.168.15.20   web.example.test\n');
  });

  test('a name nobody knows: exit 2, nothing printed; adding it to /etc/hosts takes effect at once', async () => {
    const { world, h, getent } = setup();
    expect(await getent('hosts db')).toMatchObject({ out: '', code: 2 });
    const hosts = world.host(h);
    writeHostFile(hosts, '/etc/hosts', readHostFile(hosts, '/etc/hosts') + '192.168.15.2 db\n');
    expect(await getent('hosts db')).toMatchObject({ out: '192.168.15.2    db\n', code: 0 });
    expect((await getent('hosts web.example.test nosuch.example.test')).code).toBe(2);
  });

  test('hosts without a key lists /etc/hosts; ahosts shows STREAM/DGRAM/RAW per address', async () => {
    const { getent } = setup();
    // gethostent() over nss_files is AF_INET: "::1" reads as 127.0.0.1, other IPv6 lines are skipped (real, fixture 68);
    // ahosts without a key enumerates the same way
    const all = '127.0.0.1       localhost\n127.0.1.1       controlplane\n127.0.0.1       localhost ip6-localhost ip6-loopback\n';
    expect((await getent('hosts')).out).toBe(all);
    expect(await getent('ahosts')).toMatchObject({ out: all, code: 0 });
    expect((await getent('ahosts web.example.test')).out).toBe('192.168.15.20   STREAM web.example.test\n192.168.15.20   DGRAM  \n192.168.15.20   RAW    \n');
    // nss_files keeps every matching line and reads "::1 localhost" as 127.0.0.1 in an IPv4 lookup (real glibc 2.36)
    const loop = '127.0.0.1       STREAM localhost\n127.0.0.1       DGRAM  \n127.0.0.1       RAW    \n';
    expect((await getent('ahostsv4 localhost')).out).toBe(loop + '127.0.0.1       STREAM \n127.0.0.1       DGRAM  \n127.0.0.1       RAW    \n');
    expect((await getent('ahostsv4 ip6-localhost')).out).toBe(loop);
  });

  test('ahosts uses AI_ADDRCONFIG: a family without a non-loopback address gives nothing (exit 2)', async () => {
    const { world, h, getent } = setup();
    const ns = world.ns(world.host(h).rootNs);
    // IPv4 (192.168.15.1) but no IPv6 besides ::1: ahostsv6 finds nothing, ahosts narrows to IPv4
    ns.addrs = ns.addrs.filter((a) => a.family !== 6 || a.local === '::1');
    expect(await getent('ahostsv6 localhost')).toMatchObject({ out: '', code: 2 });
    expect((await getent('ahosts localhost')).out).not.toContain('::1');
    expect((await getent('ahostsv4 localhost')).code).toBe(0);
    // only loopback addresses: no family counts, ahostsv4 finds nothing, ahosts is not narrowed
    ns.addrs = ns.addrs.filter((a) => a.family !== 4 || a.local === '127.0.0.1');
    expect(await getent('ahostsv4 localhost')).toMatchObject({ out: '', code: 2 });
    expect((await getent('ahosts localhost')).out).toContain('::1             STREAM localhost');
  });

  test('other databases and errors', async () => {
    const { getent } = setup();
    expect((await getent('networks loopback')).out).toBe('loopback              127.0.0.0\n');
    expect((await getent('services 53/udp')).out).toBe('domain                53/udp\n');
    expect((await getent('protocols icmp')).out).toBe('icmp                  1 ICMP\n');
    expect(await getent('')).toMatchObject({ stdout: "Try `getent --help' or `getent --usage' for more information.\n", stderr: 'getent: wrong number of arguments\n', code: 1 });
    expect(await getent('nosuchdb x')).toMatchObject({ stderr: 'Unknown database: nosuchdb\n', code: 1 });
  });
});

describe('hostname', () => {
  test('prints and sets the UTS name (not /etc/hostname)', async () => {
    const { world, h, hostname } = setup();
    expect((await hostname('')).out).toBe('controlplane\n');
    expect(await hostname('node01')).toMatchObject({ out: '', code: 0 });
    expect(world.host(h).hostname).toBe('node01');
    expect(readHostFile(world.host(h), '/etc/hostname')).toBe('controlplane\n');
    expect((await hostname('-s')).out).toBe('node01\n');
    expect(await hostname('bad_name!')).toMatchObject({ stderr: 'hostname: the specified hostname is invalid\n', code: 1 });
  });

  test('-f/-i through the resolver, -I from the interfaces', async () => {
    const { world, h, hostname } = setup();
    expect((await hostname('-f')).out).toBe('controlplane\n');
    // no domain: -d prints nothing at all
    expect(await hostname('-d')).toMatchObject({ out: '', code: 0 });
    expect((await hostname('-i')).out).toBe('127.0.1.1 \n');
    expect((await hostname('-I')).out).toBe('192.168.15.1 \n');
    world.host(h).hostname = 'ghost';
    const r = await hostname('-f');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^hostname: (Temporary failure in name resolution|Name or service not known)\n$/);
  });
});
