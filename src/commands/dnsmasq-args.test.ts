import { describe, expect, test } from 'vitest';
import { hostsRecords, parseDnsmasqArgs } from './dnsmasq-args';

describe('dnsmasq command line', () => {
  test('host records give A/AAAA and a PTR for the first name; cname and mx use --local-ttl', () => {
    const c = parseDnsmasqArgs(['--local-ttl=60', '--host-record=a.lan,b.lan,10.0.0.1,fd00::1', '--cname=c.lan,a.lan', '--cname=d.lan,a.lan,5', '--mx-host=lan']).config;
    expect(c.records).toContainEqual({ name: 'b.lan', type: 'A', ttl: 60, data: '10.0.0.1' });
    expect(c.records).toContainEqual({ name: 'a.lan', type: 'AAAA', ttl: 60, data: 'fd00::1' });
    expect(c.records).toContainEqual({ name: '1.0.0.10.in-addr.arpa', type: 'PTR', ttl: 60, data: 'a.lan.' });
    expect(c.records.filter((r) => r.type === 'PTR')).toHaveLength(2);
    expect(c.records).toContainEqual({ name: 'c.lan', type: 'CNAME', ttl: 60, data: 'a.lan.' });
    expect(c.records).toContainEqual({ name: 'd.lan', type: 'CNAME', ttl: 5, data: 'a.lan.' });
    expect(c.records).toContainEqual({ name: 'lan', type: 'MX', ttl: 60, data: '1 lan.' });
  });

  test('options with separate values, short options, and errors', () => {
    const p = parseDnsmasqArgs(['-R', '-h', '-a', '10.0.0.53', '--address=/ads.lan/0.0.0.0', '--server=/corp/10.9.9.9', '--server', '8.8.8.8', '-z']);
    expect(p.error).toBeNull();
    expect(p.readResolv).toBe(false);
    expect(p.config.readHosts).toBe(false);
    expect(p.config.listen).toEqual(['10.0.0.53']);
    expect(p.config.addressRules).toEqual([{ domain: 'ads.lan', addr: '0.0.0.0' }]);
    expect(p.config.forwarders).toEqual(['/corp/10.9.9.9', '8.8.8.8']);
    expect(parseDnsmasqArgs(['--bogus-option']).error).toBe('bad command line options: try --help');
    expect(parseDnsmasqArgs(['--listen-address=300.1.1.1']).error).toBe('bad address');
  });

  test('TXT strings keep their quotes and commas inside quotes', () => {
    expect(parseDnsmasqArgs(['--txt-record=t.lan,"a,b",c']).config.records[0]!.data).toBe('"a,b" "c"');
  });

  test('/etc/hosts becomes local data: every name resolves, the first one is the PTR', () => {
    const recs = hostsRecords('127.0.0.1 localhost\n10.0.0.5 web web.lan # comment\n', 0, 'lan', true);
    expect(recs.filter((r) => r.type === 'A' && r.data === '10.0.0.5').map((r) => r.name)).toEqual(['web', 'web.lan', 'web.lan']);
    expect(recs.find((r) => r.type === 'PTR' && r.name === '5.0.0.10.in-addr.arpa')!.data).toBe('web.');
  });
});
