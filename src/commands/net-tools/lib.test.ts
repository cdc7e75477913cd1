import { describe, expect, it } from 'vitest';
import { getoptLong, inetAton, type LongOpt } from './lib';
import { nstrcmp } from './ifconfig';

const NETSTAT_LONG: LongOpt[] = [
  { name: 'tcpip', hasArg: 0, val: 'af:tcpip' },
  { name: 'protocol', hasArg: 1, val: 'A' },
  { name: 'tcp', hasArg: 0, val: 't' },
  { name: 'numeric', hasArg: 0, val: 'n' },
  { name: 'numeric-hosts', hasArg: 0, val: '!' },
];

describe('getoptLong (glibc semantics and messages)', () => {
  it('takes clusters, attached and detached arguments, and permutes operands', () => {
    const r = getoptLong('ss', ['-tln', 'state', '-Ainet', 'established', '-A', 'udp'], 'tlnA:');
    expect(r.events).toEqual([
      { kind: 'opt', opt: 't', arg: null, long: null },
      { kind: 'opt', opt: 'l', arg: null, long: null },
      { kind: 'opt', opt: 'n', arg: null, long: null },
      { kind: 'opt', opt: 'A', arg: 'inet', long: null },
      { kind: 'opt', opt: 'A', arg: 'udp', long: null },
    ]);
    expect(r.operands).toEqual(['state', 'established']);
  });
  it('stops at -- and keeps what follows as operands', () => {
    expect(getoptLong('x', ['-n', '--', '-t'], 'nt').operands).toEqual(['-t']);
  });
  it('accepts unique and exact long prefixes, rejects ambiguous ones as glibc words it', () => {
    expect(getoptLong('netstat', ['--numeric'], 'n', NETSTAT_LONG).events[0]).toMatchObject({ opt: 'n' });
    expect(getoptLong('netstat', ['--prot=inet'], 'A:', NETSTAT_LONG).events[0]).toMatchObject({ opt: 'A', arg: 'inet' });
    expect(getoptLong('netstat', ['--tc'], '', NETSTAT_LONG).events[0]).toEqual({ kind: 'error', message: "netstat: option '--tc' is ambiguous; possibilities: '--tcpip' '--tcp'\n" });
    expect(getoptLong('netstat', ['--numeric-h'], '', NETSTAT_LONG).events[0]).toMatchObject({ opt: '!' });
  });
  it('reports the other errors with glibc texts', () => {
    const msg = (args: string[], short = 'nA:') => {
      const e = getoptLong('netstat', args, short, NETSTAT_LONG).events.at(-1)!;
      return e.kind === 'error' ? e.message : null;
    };
    expect(msg(['-z'])).toBe("netstat: invalid option -- 'z'\n");
    expect(msg(['-A'])).toBe("netstat: option requires an argument -- 'A'\n");
    expect(msg(['--protocol'])).toBe("netstat: option '--protocol' requires an argument\n");
    expect(msg(['--foo'])).toBe("netstat: unrecognized option '--foo'\n");
    expect(msg(['--tcp=1'])).toBe("netstat: option '--tcp' doesn't allow an argument\n");
    // options before the error are kept, in order
    expect(getoptLong('netstat', ['-n', '-z'], 'n').events.map((e) => e.kind)).toEqual(['opt', 'error']);
  });
});

describe('inetAton (glibc inet_aton)', () => {
  it('accepts the short, octal and hex forms', () => {
    expect(inetAton('10')).toBe('0.0.0.10');
    expect(inetAton('10.1')).toBe('10.0.0.1');
    expect(inetAton('10.1.2')).toBe('10.1.0.2');
    expect(inetAton('0x0a.1.2.3')).toBe('10.1.2.3');
    expect(inetAton('010.0.0.1')).toBe('8.0.0.1');
    expect(inetAton('192.168.1.255')).toBe('192.168.1.255');
  });
  it('rejects out-of-range parts and junk', () => {
    for (const bad of ['256.1.1.1', '1.2.3.4.5', '10.0.0.300', '1..2', 'foo', '', '09.1.1.1', '1.2.3.']) expect(inetAton(bad), bad).toBeNull();
  });
});

describe('nstrcmp (net-tools interface order)', () => {
  it('orders numeric suffixes as numbers and aliases after their device', () => {
    const names = ['veth-b', 'eth10', 'eth2', 'lo', 'eth0:1', 'eth0', 'br0', 'dummyish2', 'dummyish', 'eth0p', 'eth0:10', 'eth0:2', 'veth-a'];
    // "eth0p" has no numeric suffix: its stem "eth0p" is longer than "eth", so it sorts after every ethN
    expect([...names].sort(nstrcmp)).toEqual(['br0', 'dummyish', 'dummyish2', 'eth0', 'eth0:1', 'eth0:2', 'eth0:10', 'eth2', 'eth10', 'eth0p', 'lo', 'veth-a', 'veth-b']);
  });
});
