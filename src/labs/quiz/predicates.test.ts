import { describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { defaultGateway, errorHint, hostsLookup, inSubnet, lookupRoute, nameservers, parseCidr, reachableRules, routesVia, rootNs, ruleAddrIs, singleLine } from './predicates';
import { getScenario } from '../scenarios/index';

describe('address helpers', () => {
  it('inSubnet and parseCidr', () => {
    expect(inSubnet('192.165.2.10', '192.165.2.0', 24)).toBe(true);
    expect(inSubnet('192.165.3.10', '192.165.2.0', 24)).toBe(false);
    expect(inSubnet('8.8.8.8', '0.0.0.0', 0)).toBe(true);
    expect(inSubnet('not-an-ip', '0.0.0.0', 0)).toBe(false);
    expect(parseCidr('10.96.0.0/12')).toEqual({ addr: '10.96.0.0', len: 12 });
    expect(parseCidr('10.0.0.1')).toEqual({ addr: '10.0.0.1', len: 32 });
    expect(parseCidr('10.0.0.1/33')).toBeNull();
    expect(ruleAddrIs('10.96.100.100/32', '10.96.100.100')).toBe(true);
    expect(ruleAddrIs('10.96.0.0/12', '10.96.100.100')).toBe(false);
    expect(ruleAddrIs(null, '10.96.100.100')).toBe(false);
  });
});

describe('files', () => {
  it('hostsLookup: first address wins, comments ignored, case-insensitive names', () => {
    const hosts = '127.0.0.1 localhost\n# 10.0.0.9 db\n10.0.0.5 db DB.local\n10.0.0.6 db\n';
    expect(hostsLookup(hosts, 'db')).toBe('10.0.0.5');
    expect(hostsLookup(hosts, 'db.LOCAL')).toBe('10.0.0.5');
    expect(hostsLookup(hosts, 'web')).toBeNull();
    expect(nameservers('search x\nnameserver 1.1.1.1\n nameserver 8.8.8.8\n#nameserver 9.9.9.9\n')).toEqual(['1.1.1.1', '8.8.8.8']);
  });
});

describe('outputs', () => {
  it('singleLine and errorHint', () => {
    expect(singleLine([{ line: 'x', output: '\n42  \n', exitCode: 0 }])).toBe('42');
    expect(singleLine([{ line: 'x', output: '1\n2\n', exitCode: 0 }])).toBeNull();
    expect(errorHint([{ line: 'ipp', output: 'bash: ipp: command not found\n', exitCode: 127 }])).toMatch(/`ipp`: command not found/);
    expect(errorHint([{ line: 'ip link set eth9 up', output: 'Cannot find device "eth9"\n', exitCode: 1 }])).toMatch(/no interface called `eth9`/);
    expect(errorHint([{ line: 'true', output: '', exitCode: 0 }])).toBeNull();
    expect(errorHint([{ line: 'ping 10.0.0.1', output: 'bash: execution exceeded execution deadline (5000ms)\n', exitCode: 124 }])).toMatch(/without `-c COUNT`/);
  });
});

describe('routes and rules over a real world', () => {
  it('lookupRoute picks the longest prefix; routesVia and defaultGateway read it', async () => {
    const s = await Session.create({ scenario: getScenario('router-two-networks'), host: 'A' });
    await s.run('ip route add default via 192.165.1.1');
    const ns = rootNs(s.world, 'A');
    expect(lookupRoute(ns, '192.165.1.11')?.gateway).toBeNull();
    expect(lookupRoute(ns, '192.165.1.11')?.dstLen).toBe(24);
    expect(routesVia(ns, '192.165.2.10', '192.165.1.1')).toBe(true);
    expect(defaultGateway(ns)).toBe('192.165.1.1');
  });

  it('reachableRules follows jumps into user chains', async () => {
    const s = await Session.create({ scenario: getScenario('blank') });
    await s.run('iptables -t nat -N MY');
    await s.run('iptables -t nat -A PREROUTING -p tcp -j MY');
    await s.run('iptables -t nat -A MY -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5:8080');
    const rules = reachableRules(rootNs(s.world, 'controlplane'), 'nat', 'PREROUTING');
    expect(rules.map((r) => r.target)).toEqual(['MY', 'DNAT']);
  });
});
