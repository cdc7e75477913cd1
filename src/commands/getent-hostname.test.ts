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
    expect((await getent('hosts')).out).toBe('127.0.0.1       localhost\n127.0.1.1       controlplane\n::1             localhost ip6-localhost ip6-loopback\nff02::1         ip6-allnodes\nff02::2         ip6-allrouters\n');
    expect((await getent('ahosts web.example.test')).out).toBe('192.168.15.20   STREAM web.example.test\n192.168.15.20   DGRAM  \n192.168.15.20   RAW    \n');
    expect((await getent('ahostsv4 localhost')).out).toBe('127.0.0.1       STREAM localhost\n127.0.0.1       DGRAM  \n127.0.0.1       RAW    \n');
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
    expect((await hostname('-i')).out).toBe('127.0.1.1 \n');
    expect((await hostname('-I')).out).toBe('192.168.15.1 \n');
    world.host(h).hostname = 'ghost';
    const r = await hostname('-f');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^hostname: (Temporary failure in name resolution|Name or service not known)\n$/);
  });
});
