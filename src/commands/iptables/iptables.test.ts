import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Session } from '../../shell/session';
import { getScenario } from '../../labs/scenarios/index';
import { allExtensions } from './extensions/index';

async function host(): Promise<Session> {
  const s = await Session.create({ scenario: getScenario('corpus'), seed: 1, columns: 80 });
  await s.setup('ip link set lo up');
  return s;
}

const run = (s: Session, line: string) => s.run(line, { fresh: true, noHistory: true });

describe('iptables errors', () => {
  it('prints the real messages and exit codes', async () => {
    const s = await host();
    const cases: [string, string, number][] = [
      ['iptables', "iptables v1.8.9 (nf_tables): no command specified\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
      ['iptables -t nat -A PREROUTING --dport 80 --to-destination 192.168.15.3:80 -j DNAT', "iptables v1.8.9 (nf_tables): unknown option \"--dport\"\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
      ['iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT', 'iptables v1.8.9 (nf_tables): DNAT: option "--to-destination" must be specified\n\nTry `iptables -h\' or \'iptables --help\' for more information.\n', 2],
      ['iptables -t nat -A POSTROUTING -j DROP', 'iptables v1.8.9 (nf_tables): \nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n\nTry `iptables -h\' or \'iptables --help\' for more information.\n', 2],
      ['iptables -A INPUT -o eth0 -j ACCEPT', "iptables v1.8.9 (nf_tables): Can't use -o with INPUT\n\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
      ['iptables -A NOPE -j ACCEPT', 'iptables: No chain/target/match by that name.\n', 1],
      ['iptables -I INPUT 3 -j ACCEPT', 'iptables: Index of insertion too big.\n', 1],
      ['iptables -D INPUT -j ACCEPT', 'iptables: Bad rule (does a matching rule exist in that chain?).\n', 1],
      ['iptables -N INPUT', 'iptables: Chain already exists.\n', 1],
      ['iptables -P NOPE DROP', 'iptables: Bad built-in chain name.\n', 1],
      ['iptables -A INPUT -p tcp --dport 99999 -j ACCEPT', "iptables v1.8.9 (nf_tables): invalid port/service `99999' specified\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
      ['iptables -A INPUT -m nosuch -j ACCEPT', "iptables v1.8.9 (nf_tables): Couldn't load match `nosuch':No such file or directory\n\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
      ['iptables -L -s 1.2.3.4', "iptables v1.8.9 (nf_tables): Illegal option `-s' with this command\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
      ['iptables -A INPUT -j ACCEPT extra', "Bad argument `extra'\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
    ];
    for (const [line, output, code] of cases) expect(await run(s, line), line).toEqual({ output, exitCode: code });
    // nothing was changed by the failures
    expect((await run(s, 'iptables-save')).output).toBe('');
  });

  it('-X fails with CHAIN_DEL while the chain is referenced, and a failed command changes nothing', async () => {
    const s = await host();
    await run(s, 'iptables -N WEB');
    await run(s, 'iptables -A INPUT -p tcp --dport 80 -j WEB');
    expect(await run(s, 'iptables -X WEB')).toEqual({ output: 'iptables v1.8.9 (nf_tables):  CHAIN_DEL failed (Device or resource busy): chain WEB\n', exitCode: 4 });
    const before = (await run(s, 'iptables -S')).output;
    await run(s, 'iptables -A INPUT -s 10.0.0.1,300.0.0.1 -j DROP');
    expect((await run(s, 'iptables -S')).output).toBe(before);
  });
});

describe('iptables listings', () => {
  it('lists kube-proxy style rules in -L, -L -n and -S forms', async () => {
    const s = await host();
    for (const l of [
      'iptables -t nat -N KUBE-SERVICES',
      'iptables -t nat -N KUBE-SVC-A',
      'iptables -t nat -N KUBE-SEP-1',
      'iptables -t nat -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      'iptables -t nat -A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-A',
      'iptables -t nat -A KUBE-SVC-A -m comment --comment "default/kubernetes:https -> 192.168.121.10:6443" -m statistic --mode random --probability 0.5 -j KUBE-SEP-1',
      'iptables -t nat -A KUBE-SEP-1 -p tcp -m comment --comment default/kubernetes:https -m tcp -j DNAT --to-destination 192.168.121.10:6443',
    ]) expect((await run(s, l)).exitCode, l).toBe(0);
    expect((await run(s, 'iptables -t nat -S KUBE-SVC-A')).output).toBe(
      '-N KUBE-SVC-A\n-A KUBE-SVC-A -m comment --comment "default/kubernetes:https -> 192.168.121.10:6443" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-1\n',
    );
    expect((await run(s, 'iptables -t nat -L KUBE-SERVICES -n')).output).toBe(
      'Chain KUBE-SERVICES (1 references)\ntarget     prot opt source               destination         \nKUBE-SVC-A  6    --  0.0.0.0/0            10.96.0.1            /* default/kubernetes:https cluster IP */ tcp dpt:443\n',
    );
    expect((await run(s, 'iptables -t nat -L KUBE-SEP-1')).output).toBe(
      'Chain KUBE-SEP-1 (1 references)\ntarget     prot opt source               destination         \nDNAT       tcp  --  anywhere             anywhere             /* default/kubernetes:https */ tcp to:192.168.121.10:6443\n',
    );
    const save = (await run(s, 'iptables-save -t nat')).output;
    expect(save).toMatch(/^# Generated by iptables-save v1\.8\.9 \(nf_tables\) on \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\n\*nat\n:PREROUTING ACCEPT \[0:0\]\n:INPUT ACCEPT \[0:0\]\n:OUTPUT ACCEPT \[0:0\]\n:POSTROUTING ACCEPT \[0:0\]\n:KUBE-SEP-1 - \[0:0\]\n:KUBE-SERVICES - \[0:0\]\n:KUBE-SVC-A - \[0:0\]\n/);
    expect(save).toContain('-A KUBE-SEP-1 -p tcp -m comment --comment "default/kubernetes:https" -m tcp -j DNAT --to-destination 192.168.121.10:6443\n');
    expect(save).toMatch(/COMMIT\n# Completed on .*\n$/);
  });

  it('prints counters in K/M units and exactly with -x', async () => {
    const s = await host();
    await run(s, 'iptables -A INPUT -c 123456 98765432 -j ACCEPT');
    expect((await run(s, 'iptables -L INPUT -v -n')).output.split('\n')[2]).toBe(' 123K   99M ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0           ');
    expect((await run(s, 'iptables -L INPUT -v -n -x')).output.split('\n')[2]).toBe('  123456 98765432 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0           ');
  });
});

// Random rule specifications: whatever `iptables -A` accepts, `iptables -S`
// prints back as a specification that -D removes exactly (and that -A would
// store identically).
const ipArb = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map((p) => p.join('.'));
const cidrArb = fc.tuple(ipArb, fc.integer({ min: 0, max: 32 })).map(([a, l]) => `${a}/${l}`);
const portArb = fc.oneof(fc.integer({ min: 1, max: 65535 }).map(String), fc.tuple(fc.integer({ min: 1, max: 30000 }), fc.integer({ min: 30001, max: 65535 })).map(([a, b]) => `${a}:${b}`));
const specArb = fc
  .record({
    proto: fc.constantFrom('', 'tcp', 'udp', 'icmp'),
    src: fc.option(cidrArb, { nil: undefined }),
    dst: fc.option(cidrArb, { nil: undefined }),
    notSrc: fc.boolean(),
    iface: fc.option(fc.constantFrom('eth0', 'veth+', 'lo'), { nil: undefined }),
    dport: fc.option(portArb, { nil: undefined }),
    comment: fc.option(fc.constantFrom('web', 'kube proxy', 'a/b:c'), { nil: undefined }),
    state: fc.option(fc.constantFrom('NEW', 'ESTABLISHED,RELATED', 'INVALID'), { nil: undefined }),
    target: fc.constantFrom('ACCEPT', 'DROP', 'RETURN', 'REJECT --reject-with tcp-reset', 'LOG --log-prefix "in: "', 'MARK --set-mark 0x10'),
  })
  .map((r) => {
    const parts: string[] = [];
    if (r.proto) parts.push(`-p ${r.proto}`);
    if (r.src) parts.push(`${r.notSrc ? '! ' : ''}-s ${r.src}`);
    if (r.dst) parts.push(`-d ${r.dst}`);
    if (r.iface) parts.push(`-i ${r.iface}`);
    if (r.dport && (r.proto === 'tcp' || r.proto === 'udp')) parts.push(`--dport ${r.dport}`);
    if (r.proto === 'icmp' && r.dport) parts.push('--icmp-type echo-request');
    if (r.comment) parts.push(`-m comment --comment "${r.comment}"`);
    if (r.state) parts.push(`-m conntrack --ctstate ${r.state}`);
    parts.push(`-j ${r.target.includes('tcp-reset') && r.proto !== 'tcp' ? 'REJECT' : r.target}`);
    return parts.join(' ');
  });

describe('iptables round trip (property)', () => {
  it('-S prints what -A stored, and deleting by that specification empties the chain', async () => {
    const s = await host();
    await fc.assert(
      fc.asyncProperty(specArb, async (spec) => {
        const add = await run(s, `iptables -A INPUT ${spec}`);
        expect(add, spec).toEqual({ output: '', exitCode: 0 });
        const dump = (await run(s, 'iptables -S INPUT')).output.split('\n');
        const line = dump[1]!;
        expect(line.startsWith('-A INPUT')).toBe(true);
        // re-adding the printed form stores the same rule
        await run(s, `iptables ${line}`);
        const again = (await run(s, 'iptables -S INPUT')).output.split('\n');
        expect(again[2]).toBe(line);
        expect((await run(s, `iptables ${line.replace(/^-A/, '-D')}`)).exitCode).toBe(0);
        expect((await run(s, `iptables ${line.replace(/^-A/, '-D')}`)).exitCode).toBe(0);
        expect((await run(s, 'iptables -S INPUT')).output).toBe('-P INPUT ACCEPT\n');
      }),
      { numRuns: 40, seed: 5 },
    );
  });
});

describe('targets the kernel refuses', () => {
  it('NAT targets outside their hooks and tcp-reset without -p tcp fail at commit', async () => {
    const s = await host();
    expect(await run(s, 'iptables -A INPUT -j MASQUERADE')).toEqual({ output: 'iptables v1.8.9 (nf_tables):  RULE_APPEND failed (Invalid argument): rule in chain INPUT\n', exitCode: 4 });
    expect(await run(s, 'iptables -t nat -I POSTROUTING -p tcp -j DNAT --to-destination 10.0.0.1')).toEqual({ output: 'iptables v1.8.9 (nf_tables):  RULE_INSERT failed (Invalid argument): rule in chain POSTROUTING\n', exitCode: 4 });
    expect(await run(s, 'iptables -A INPUT -p udp -j REJECT --reject-with tcp-reset')).toEqual({ output: 'iptables v1.8.9 (nf_tables):  RULE_APPEND failed (Invalid argument): rule in chain INPUT\n', exitCode: 4 });
    expect((await run(s, 'iptables -A INPUT -p tcp -j REJECT --reject-with tcp-reset')).exitCode).toBe(0);
    expect((await run(s, 'iptables -S INPUT')).output).toBe('-P INPUT ACCEPT\n-A INPUT -p tcp -j REJECT --reject-with tcp-reset\n');
  });
});

describe('iptables: iprange, limit, mac, NOTRACK, LOG levels, -X of built-ins', () => {
  it('lists the matches and NOTRACK in the -L, -L -n -v, -S and iptables-save forms of iptables 1.8.9 (nft)', async () => {
    const s = await host();
    for (const l of [
      'iptables -A INPUT -m iprange --src-range 10.0.0.1-10.0.0.50 -j DROP',
      'iptables -A INPUT -m iprange ! --dst-range 10.1.0.1-10.1.0.9 -j ACCEPT',
      'iptables -A INPUT -m limit --limit 5/min -j LOG',
      'iptables -A INPUT -m limit --limit 7/second --limit-burst 9 -j ACCEPT',
      'iptables -A INPUT -m mac --mac-source 02:00:00:00:0A:01 -j DROP',
      'iptables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK',
      'iptables -A INPUT -j LOG --log-level 3',
    ]) expect(await run(s, l), l).toEqual({ output: '', exitCode: 0 });
    const L = (await run(s, 'iptables -L INPUT')).output.split('\n').slice(2);
    expect(L.map((l) => l.slice(62))).toEqual([
      'source IP range 10.0.0.1-10.0.0.50',
      'destination IP range ! 10.1.0.1-10.1.0.9',
      'limit: avg 5/min burst 5 LOG level warn',
      'limit: avg 7/sec burst 9',
      'MAC 02:00:00:00:0a:01',
      'LOG level err',
      '',
    ]);
    expect((await run(s, 'iptables -L INPUT -n -v')).output).toContain('0.0.0.0/0            0.0.0.0/0            limit: avg 5/min burst 5 LOG flags 0 level 4\n');
    expect((await run(s, 'iptables -S INPUT')).output).toBe(
      [
        '-P INPUT ACCEPT',
        '-A INPUT -m iprange --src-range 10.0.0.1-10.0.0.50 -j DROP',
        '-A INPUT -m iprange ! --dst-range 10.1.0.1-10.1.0.9 -j ACCEPT',
        '-A INPUT -m limit --limit 5/min -j LOG',
        '-A INPUT -m limit --limit 7/sec --limit-burst 9 -j ACCEPT',
        '-A INPUT -m mac --mac-source 02:00:00:00:0a:01 -j DROP',
        '-A INPUT -j LOG --log-level 3',
        '',
      ].join('\n'),
    );
    expect((await run(s, 'iptables -t raw -L -n')).output).toBe(
      'Chain PREROUTING (policy ACCEPT)\ntarget     prot opt source               destination         \nCT         17   --  0.0.0.0/0            0.0.0.0/0            udp dpt:53 NOTRACK\n\nChain OUTPUT (policy ACCEPT)\ntarget     prot opt source               destination         \n',
    );
    const save = (await run(s, 'iptables-save')).output;
    expect(save.split('\n').filter((l) => l.startsWith('*'))).toEqual(['*raw', '*filter']);
    expect(save).toContain('-A PREROUTING -p udp -m udp --dport 53 -j NOTRACK\n');
    // -D finds the rules by what they say
    expect(await run(s, 'iptables -D INPUT -m limit --limit 7/s --limit-burst 9 -j ACCEPT')).toEqual({ output: '', exitCode: 0 });
  });

  it('refuses what iptables and the kernel refuse', async () => {
    const s = await host();
    const P = (m: string) => `iptables v1.8.9 (nf_tables): ${m}\nTry \`iptables -h' or 'iptables --help' for more information.\n`;
    const cases: [string, string, number][] = [
      ['iptables -A INPUT -m iprange -j DROP', P("iprange match: You must specify `--src-range' or `--dst-range'"), 2],
      ['iptables -A INPUT -m iprange --src-range 10.0.0.1-10.0.0.300 -j DROP', P('iprange: Bad value for "--src-range" option: "10.0.0.300"'), 2],
      ['iptables -A INPUT -m limit --limit 5/fortnight -j ACCEPT', P('bad rate "5/fortnight"\''), 2],
      ['iptables -A INPUT -m limit --limit 20000/s -j ACCEPT', P('Rate too fast "20000/s"'), 2],
      ['iptables -A INPUT -m limit --limit-burst 10001 -j ACCEPT', 'iptables v1.8.9 (nf_tables): limit: bad value for option "--limit-burst", or out of range (0-10000).\n\nTry `iptables -h\' or \'iptables --help\' for more information.\n', 2],
      ['iptables -A INPUT -m mac --mac-source 02:00:00:00:00 -j DROP', P('Invalid MAC address specified.'), 2],
      ['iptables -A INPUT -m mac -j DROP', 'iptables v1.8.9 (nf_tables): mac: option "--mac-source" must be specified\n\nTry `iptables -h\' or \'iptables --help\' for more information.\n', 2],
      ['iptables -A OUTPUT -m mac --mac-source 02:00:00:00:00:01 -j DROP', 'iptables v1.8.9 (nf_tables):  RULE_APPEND failed (Invalid argument): rule in chain OUTPUT\n', 4],
      ['iptables -A INPUT -p udp -j NOTRACK', 'iptables v1.8.9 (nf_tables):  RULE_APPEND failed (Invalid argument): rule in chain INPUT\n', 4],
      ['iptables -A INPUT -j LOG --log-level warn', 'iptables v1.8.9 (nf_tables): log level "warn" unknown\n\nTry `iptables -h\' or \'iptables --help\' for more information.\n', 2],
    ];
    for (const [line, output, code] of cases) expect(await run(s, line), line).toEqual({ output, exitCode: code });
    expect(await run(s, 'iptables -A INPUT -m iprange --src-range 10.0.0.9-10.0.0.1 -j DROP')).toEqual({ output: 'xt_iprange: range 10.0.0.9-10.0.0.1 is reversed and will never match\n', exitCode: 0 });
  });

  it('-X of a built-in chain: the kernel refuses one with rules, iptables one with policy DROP', async () => {
    const s = await host();
    await run(s, 'iptables -A INPUT -j ACCEPT');
    await run(s, 'iptables -P FORWARD DROP');
    await run(s, 'iptables -P OUTPUT ACCEPT');
    expect(await run(s, 'iptables -X INPUT')).toEqual({ output: 'iptables v1.8.9 (nf_tables):  CHAIN_DEL failed (Device or resource busy): chain INPUT\n', exitCode: 4 });
    expect(await run(s, 'iptables -X FORWARD')).toEqual({ output: 'iptables: Directory not empty.\n', exitCode: 1 });
    expect(await run(s, 'iptables -X OUTPUT')).toEqual({ output: '', exitCode: 0 });
    expect(await run(s, 'iptables -t nat -X PREROUTING')).toEqual({ output: 'iptables: No chain/target/match by that name.\n', exitCode: 1 });
  });
});

describe('an option missing its value (issue 19)', () => {
  const missing = (opt: string) => `iptables v1.8.9 (nf_tables): option "${opt}" requires an argument\nTry \`iptables -h' or 'iptables --help' for more information.\n`;

  it('every option of every extension, given last without its value: getopt\'s message, exit 2, nothing changed', async () => {
    const s = await host();
    let checked = 0;
    for (const ext of allExtensions()) {
      const load = ext.kind === 'match' ? `-m ${ext.name}` : `-j ${ext.name}`;
      for (const o of ext.opts.filter((x) => x.hasArg === 1)) {
        const line = `iptables -A INPUT -p tcp ${load} --${o.name}`;
        expect(await run(s, line), line).toEqual({ output: missing(`--${o.name}`), exitCode: 2 });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect((await run(s, 'iptables-save')).output).toBe('');
  });

  it('the protocol match loaded on demand, abbreviations, global options short and long', async () => {
    const s = await host();
    for (const [line, opt] of [
      ['iptables -A INPUT -p tcp --dport', '--dport'],
      ['iptables -A INPUT -p udp --sport', '--sport'],
      ['iptables -A INPUT -p icmp --icmp-type', '--icmp-type'],
      ['iptables -A INPUT -j REJECT --reject', '--reject'],
      ['iptables -A INPUT -p tcp --dp', '--dp'],
      ['iptables -A', '-A'],
      ['iptables -A INPUT -s', '-s'],
      ['iptables -A INPUT -j', '-j'],
      ['iptables -A INPUT --match', '--match'],
      ['iptables --table', '--table'],
      ['iptables -nt', '-nt'],
    ]) expect(await run(s, line!), line).toEqual({ output: missing(opt!), exitCode: 2 });
    // a value given empty is a value: the extension judges it
    expect((await run(s, 'iptables -A INPUT -p tcp --dport=')).output).toContain("invalid port/service `' specified");
    expect((await run(s, 'iptables -A INPUT -p tcp --tcp-flags SYN')).output).toContain('--tcp-flags requires two args.');
  });
});

describe('names that are Object.prototype members (issue 19)', () => {
  it('-m/-j with such names are unknown matches and chains; chains with such names live like any other', async () => {
    const s = await host();
    for (const name of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      expect((await run(s, `iptables -A INPUT -m ${name} -j ACCEPT`)).output, name).toContain(`Couldn't load match \`${name}':No such file or directory`);
      expect(await run(s, `iptables -A INPUT -j ${name}`)).toEqual({ output: `iptables v1.8.9 (nf_tables): Chain '${name}' does not exist\nTry \`iptables -h' or 'iptables --help' for more information.\n`, exitCode: 2 });
      expect((await run(s, `iptables -N ${name}`)).exitCode, name).toBe(0);
    }
    expect((await run(s, 'iptables -N __proto__')).output).toBe('iptables: Chain already exists.\n');
    for (const l of ['iptables -A INPUT -j __proto__', 'iptables -A __proto__ -p tcp --dport 22 -j constructor', 'iptables -E hasOwnProperty valueOf']) expect((await run(s, l)).exitCode, l).toBe(0);
    expect((await run(s, 'iptables -S')).output).toBe(
      '-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-N __proto__\n-N constructor\n-N toString\n-N valueOf\n-A INPUT -j __proto__\n-A __proto__ -p tcp -m tcp --dport 22 -j constructor\n',
    );
    expect((await run(s, 'iptables -t toString -L')).exitCode).toBe(3);
    expect((await run(s, 'iptables -A INPUT -p tcp --dport toString -j ACCEPT')).output).toContain("invalid port/service `toString' specified");
    expect((await run(s, 'iptables -A INPUT -j REJECT --reject-with constructor')).output).toContain('unknown reject type "constructor"');
    expect((await run(s, 'iptables -P INPUT toString')).output).toBe("iptables: Bad policy name. Run `dmesg' for more information.\n");
  });
});

describe('iptables -A is linear in the size of the chain (issue 19)', () => {
  it('appending reads none of the rules already in the chain', async () => {
    const s = await host();
    await run(s, 'for i in $(seq 1 300); do iptables -A INPUT -s 10.0.$((i/256)).$((i%256)) -j DROP; done');
    const input = s.world.ns(s.currentNs()).netfilter.tables.filter!.chains.find((c) => c.name === 'INPUT')!;
    expect(input.rules).toHaveLength(300);
    // every rule already there counts the times anything looks at it
    let reads = 0;
    input.rules = input.rules.map((r) => new Proxy(r, { get: (t, k, rc) => (reads++, Reflect.get(t, k, rc)) }));
    expect(await run(s, 'iptables -A INPUT -s 10.9.9.9 -j ACCEPT')).toEqual({ output: '', exitCode: 0 });
    expect(await run(s, 'iptables -I INPUT 2 -p tcp --dport 22 -j ACCEPT')).toEqual({ output: '', exitCode: 0 });
    // a refused change is rolled back without a copy of the rule set either
    expect((await run(s, 'iptables -A INPUT -j MASQUERADE')).exitCode).toBe(4);
    expect(reads).toBe(0);
    expect(input.rules).toHaveLength(302);
  });
});
