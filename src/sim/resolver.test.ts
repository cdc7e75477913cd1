import { describe, expect, test } from 'vitest';
import { dnsWorld, makeSys } from '../commands/dns-fixture.test-util';
import { readHostFile, writeHostFile } from './files';
import { getaddrinfo, gethostbyname2, getnameinfo, inetAton, parseHostsFile, parseResolvConf, resolverCtx, reverseLookup } from './resolver';

describe('configuration files', () => {
  test('resolv.conf as glibc reads it', () => {
    const rc = parseResolvConf('# c\nnameserver 10.0.0.1\nnameserver 10.0.0.2\nnameserver 10.0.0.3\nnameserver 10.0.0.4\ndomain a.lan\nsearch b.lan c.lan\noptions ndots:5 timeout:2 attempts:3 rotate edns0\n');
    expect(rc).toMatchObject({ nameservers: ['10.0.0.1', '10.0.0.2', '10.0.0.3'], search: ['b.lan', 'c.lan'], ndots: 5, timeout: 2, attempts: 3, rotate: true, edns0: true });
    expect(parseResolvConf('', 'node1.corp.lan')).toMatchObject({ nameservers: ['127.0.0.1'], search: ['corp.lan'], ndots: 1, timeout: 5, attempts: 2 });
    expect(parseResolvConf('search x.lan\ndomain y.lan\n').search).toEqual(['y.lan']);
  });

  test('/etc/hosts lines and inet_aton forms', () => {
    expect(parseHostsFile('127.0.0.1\tlocalhost\n\n# x\n::1 localhost ip6-localhost\nbogus line\n10.1 short\n')).toEqual([
      { addr: '127.0.0.1', family: 4, names: ['localhost'] },
      { addr: '::1', family: 6, names: ['localhost', 'ip6-localhost'] },
      { addr: '10.0.0.1', family: 4, names: ['short'] },
    ]);
    expect(inetAton('300.1.1.1')).toBeNull();
    expect(inetAton('0x7f.1')).toBe('127.0.0.1');
    expect(inetAton('010.0.0.1')).toBe('8.0.0.1');
  });
});

describe('lookups over the simulated network', () => {
  function setup() {
    const { world, host, nsOf } = dnsWorld();
    const sys = makeSys(world, host);
    return { world, host, nsOf, sys, ctx: resolverCtx(sys) };
  }

  test('files before DNS; the canonical name follows CNAMEs', () => {
    const { ctx } = setup();
    // both "127.0.0.1 localhost" and "::1 localhost" (read as 127.0.0.1) answer an IPv4 lookup
    expect(getaddrinfo(ctx, 'localhost', { family: 4 })).toMatchObject({ ok: true, canonname: 'localhost', addrs: [{ family: 4, addr: '127.0.0.1' }, { family: 4, addr: '127.0.0.1' }] });
    expect(getaddrinfo(ctx, 'www.example.test')).toMatchObject({ ok: true, canonname: 'web.example.test', addrs: [{ family: 4, addr: '192.168.15.20' }] });
    expect(getaddrinfo(ctx, 'ipv6.example.test')).toMatchObject({ ok: true, addrs: [{ family: 6, addr: 'fd00:15::40' }] });
    expect(gethostbyname2(ctx, 'www.example.test', 4)).toMatchObject({ ok: true, ent: { name: 'web.example.test', aliases: ['www.example.test'] } });
  });

  test('errors as getaddrinfo reports them', () => {
    const { world, host, ctx } = setup();
    expect(getaddrinfo(ctx, 'nosuch.example.test')).toMatchObject({ ok: false, error: 'EAI_NONAME', message: 'Name or service not known' });
    // REFUSED by every server: try again later
    expect(getaddrinfo(ctx, 'db')).toMatchObject({ ok: false, error: 'EAI_AGAIN', message: 'Temporary failure in name resolution' });
    // numeric-looking but invalid: a name, looked up in DNS
    expect(getaddrinfo(ctx, '300.1.1.1')).toMatchObject({ ok: false, error: 'EAI_AGAIN' });
    // ... but only by gethostbyname4_r (AF_UNSPEC): with a family, nss_dns refuses an all-digits-and-dots name
    // without asking (real: `iptables -s 300.1.1.1` sends no packet), while a final dot makes it a name again
    expect(getaddrinfo(ctx, '300.1.1.1', { family: 4 })).toMatchObject({ ok: false, error: 'EAI_NONAME' });
    expect(gethostbyname2(ctx, '300.1.1.1', 4)).toMatchObject({ ok: false, herrno: 'HOST_NOT_FOUND' });
    expect(getaddrinfo(ctx, '300.1.1.1.', { family: 4 })).toMatchObject({ ok: false, error: 'EAI_AGAIN' });
    writeHostFile(world.host(host), '/etc/resolv.conf', 'nameserver 127.0.0.53\n');
    expect(getaddrinfo(ctx, 'web.example.test')).toMatchObject({ ok: false, error: 'EAI_AGAIN' });
    expect(getaddrinfo(ctx, '192.168.15.20')).toMatchObject({ ok: true, addrs: [{ family: 4, addr: '192.168.15.20' }] });
  });

  test('the search list and ndots', () => {
    const { world, host, ctx } = setup();
    writeHostFile(world.host(host), '/etc/resolv.conf', 'search example.test nosuch.test\nnameserver 192.168.15.10\n');
    expect(getaddrinfo(ctx, 'web')).toMatchObject({ ok: true, canonname: 'web.example.test' });
    // a REFUSED answer ends the walk of the search list (only SERVFAIL walks on), as glibc's res_search does:
    // web.nosuch.test is refused, so web.example.test is never asked
    writeHostFile(world.host(host), '/etc/resolv.conf', 'search nosuch.test example.test\nnameserver 192.168.15.10\n');
    expect(getaddrinfo(ctx, 'web')).toMatchObject({ ok: false, error: 'EAI_AGAIN' });
    writeHostFile(world.host(host), '/etc/resolv.conf', 'search example.test\nnameserver 192.168.15.10\noptions ndots:0\n');
    // ndots:0: "web" is tried as it is first (REFUSED), then with the search domain
    expect(getaddrinfo(ctx, 'web')).toMatchObject({ ok: true });
  });

  test('editing /etc/hosts takes effect at once', () => {
    const { world, host, ctx } = setup();
    const h = world.host(host);
    writeHostFile(h, '/etc/hosts', readHostFile(h, '/etc/hosts') + '192.168.15.2 db\n');
    expect(getaddrinfo(ctx, 'db')).toMatchObject({ ok: true, canonname: 'db', addrs: [{ family: 4, addr: '192.168.15.2' }] });
    expect(reverseLookup(ctx, '192.168.15.2')).toBe('db');
    expect(reverseLookup(ctx, '192.168.15.20')).toBe('web.example.test');
    expect(reverseLookup(ctx, '192.168.15.77')).toBeNull();
  });

  test('getnameinfo: TRY_AGAIN is an error (no numeric fallback), no name falls back to the number', () => {
    const { world, host, ctx } = setup();
    const h = world.host(host);
    expect(getnameinfo(ctx, '192.168.15.20')).toEqual({ ok: true, name: 'web.example.test' });
    // dnsmasq REFUSES reverse names outside its local domains: the lookup cannot complete
    expect(getnameinfo(ctx, '192.168.15.77')).toEqual({ ok: false, error: 'EAI_AGAIN' });
    writeHostFile(h, '/etc/resolv.conf', 'nameserver 127.0.0.53\n');
    expect(getnameinfo(ctx, '192.168.15.20')).toEqual({ ok: false, error: 'EAI_AGAIN' });
    // files only: no name is EAI_NONAME, which becomes the numeric address unless NI_NAMEREQD
    writeHostFile(h, '/etc/nsswitch.conf', 'hosts: files\n');
    expect(getnameinfo(ctx, '192.168.15.77')).toEqual({ ok: true, name: '192.168.15.77' });
    expect(getnameinfo(ctx, '192.168.15.77', { nameReqd: true })).toEqual({ ok: false, error: 'EAI_NONAME' });
    writeHostFile(h, '/etc/hosts', readHostFile(h, '/etc/hosts') + '192.168.15.77 ghost\n');
    expect(getnameinfo(ctx, '192.168.15.77', { nameReqd: true })).toEqual({ ok: true, name: 'ghost' });
  });

  test('a namespace without a route to the server fails fast', () => {
    const { world, host } = setup();
    const n = world.newNamespace(host, 'isolated');
    world.host(host).netns.isolated = n.id;
    const ctx = resolverCtx(makeSys(world, host, n.id));
    const t0 = world.now();
    expect(getaddrinfo(ctx, 'web.example.test')).toMatchObject({ ok: false, error: 'EAI_AGAIN' });
    expect(world.now() - t0).toBeLessThan(1000);
  });
});
