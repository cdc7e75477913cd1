import { expect, test } from 'vitest';
import { completerFor, prepareCompleter } from '../shell/completion';
import { dnsWorld, makeSys } from './dns-fixture.test-util';
import './dig';

test('completion: sysctl keys one level at a time, dig options, types and servers', async () => {
  // the tools loaded on first use (getent) complete once loaded: the session awaits this before asking
  for (const t of ['sysctl', 'dig', 'host', 'nslookup', 'getent']) await prepareCompleter(t);
  const { world, host } = dnsWorld();
  const sys = makeSys(world, host);
  const c = (words: string[], current: string) => completerFor(words[0]!)!({ words, current, sys }).filter((x) => x.startsWith(current));
  expect(c(['sysctl'], 'net.ipv4.ip_f')).toEqual(['net.ipv4.ip_forward', 'net.ipv4.ip_forward_update_priority', 'net.ipv4.ip_forward_use_pmtu']);
  expect(c(['sysctl'], 'net.ipv4.con')).toEqual(['net.ipv4.conf.']);
  expect(c(['sysctl'], 'net.ipv4.conf.')).toContain('net.ipv4.conf.v-net-0.');
  expect(c(['dig'], '+sh')).toEqual(['+short', '+showsearch']);
  expect(c(['dig', '-t'], 'AA')).toEqual(['AAAA']);
  expect(c(['dig'], '@')).toEqual(['@192.168.15.10']);
  expect(c(['getent'], 'ah')).toEqual(['ahosts', 'ahostsv4', 'ahostsv6']);
  expect(c(['getent', 'hosts'], 'local')).toEqual(['localhost']);
});
