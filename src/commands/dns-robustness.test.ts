import { expect, test } from 'vitest';
import fc from 'fast-check';
import { dnsWorld, makeSys, runCmd } from './dns-fixture.test-util';
import type { CmdIO, NetCommand } from './types';
import { dig } from './dig';
import { nslookup } from './nslookup';
import { host } from './host';
import { getent } from './getent';
import { hostname } from './hostname';
import { sysctl } from './sysctl';
import { dnsmasq } from './dnsmasq';

const TOKENS = [
  'web.example.test', 'www.example.test', 'db', '.', 'example.test', '192.168.15.20', 'fd00:15::40', '300.1.1.1', '',
  '@192.168.15.10', '@192.168.15.2', '@nosuch', '@', '+short', '+noall', '+answer', '+tries=1', '+time=1', '+time=', '+tries=x', '+search', '+bogus', '+',
  '-x', '-t', '-c', '-p', '-q', 'MX', 'AAAA', 'ANY', 'TYPE99', 'CH', '-type=mx', '-query=', '-debug', '-', '--', '-v', '-W', '1', '-R', 'x',
  'hosts', 'ahosts', 'networks', 'services', 'nosuchdb', '-a', '-n', '-w', '-p', '-N', '-e', '-r', 'net.ipv4.ip_forward', 'net.ipv4.ip_forward=1', 'net.ipv4.conf.all.rp_filter=2', 'net/ipv4', 'net', '=', '-s', '-f', '-i', '-I',
  '--local=/x/', '--host-record=a,1.2.3.4', '--listen-address=9.9.9.9', '--port=0', '--address=/a/',
];

const TOOLS: NetCommand[] = [dig, nslookup, host, getent, hostname, sysctl, dnsmasq];

test('any command line: the real tool\'s kind of answer, never an exception', async () => {
  const { world, host: h } = dnsWorld();
  const sys = makeSys(world, h);
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...TOOLS), fc.array(fc.constantFrom(...TOKENS), { maxLength: 6 }), async (cmd, args) => {
      const io: CmdIO = { stdin: '', cwd: '/root', env: {}, exec: async () => ({ stdout: '', stderr: '', exitCode: 0 }), signal: null };
      const r = await cmd.run(args, io, sys);
      expect(Number.isInteger(r.exitCode)).toBe(true);
      expect(r.exitCode).toBeGreaterThanOrEqual(0);
      // an exit status, not a signal; procps sysctl really exits 255 (or 254...) when a key is unknown: `sysctl ""`
      expect(r.exitCode).toBeLessThan(256);
      if (r.exitCode >= 128) expect(cmd.name === 'sysctl' && /is an unknown key/.test(r.stderr)).toBe(true);
      expect(typeof r.stdout).toBe('string');
    }),
    { numRuns: 400 },
  );
  // and the world is still sane for a normal lookup afterwards
  expect((await runCmd(dig, makeSys(world, h), '+short @192.168.15.10 web.example.test')).out).toBe('192.168.15.20\n');
});
