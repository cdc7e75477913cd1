// ip6tables, ip6tables-save and ip6tables-restore: the same code as iptables
// over the IPv6 rule set. Expected texts are real ip6tables 1.8.9 (nf_tables)
// output, captured on kernel 6.18.
import { describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { getScenario } from '../../labs/scenarios/index';

async function host(): Promise<Session> {
  const s = await Session.create({ scenario: getScenario('corpus'), seed: 1, columns: 80 });
  await s.setup('ip link set lo up');
  return s;
}

const run = (s: Session, line: string) => s.run(line, { fresh: true, noHistory: true });
const hint = "Try `ip6tables -h' or 'ip6tables --help' for more information.\n";

describe('ip6tables', () => {
  it('parses IPv6 addresses, the icmp6 match and the IPv6 NAT ranges as ip6tables does', async () => {
    const s = await host();
    for (const l of [
      'ip6tables -A INPUT -p icmpv6 --icmpv6-type echo-request -j ACCEPT',
      'ip6tables -A INPUT -p icmpv6 --icmpv6-type 1/3 -j ACCEPT',
      'ip6tables -A INPUT -p icmpv6 ! --icmpv6-type 135 -s fd00::1 -d fd00::/8 -j REJECT',
      'ip6tables -A INPUT -p icmpv6 --icmpv6-type dest -j ACCEPT',
      'ip6tables -A INPUT -s fd00::1/ffff:ffff::',
      'ip6tables -A INPUT -s fd00::1/64,fd00:2::1/80',
    ])
      expect(await run(s, l), l).toEqual({ output: '', exitCode: 0 });
    expect((await run(s, 'ip6tables -S INPUT')).output).toBe(
      '-P INPUT ACCEPT\n' +
        '-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j ACCEPT\n' +
        '-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 1/3 -j ACCEPT\n' +
        '-A INPUT -s fd00::1/128 -d fd00::/8 -p ipv6-icmp -m icmp6 ! --icmpv6-type 135 -j REJECT --reject-with icmp6-port-unreachable\n' +
        '-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 1 -j ACCEPT\n' +
        '-A INPUT -s fd00::/32\n' +
        '-A INPUT -s fd00::/64\n' +
        '-A INPUT -s fd00:2::/80\n',
    );
    expect((await run(s, 'ip6tables -L INPUT')).output.split('\n').slice(2, 6)).toEqual([
      'ACCEPT     ipv6-icmp --  anywhere             anywhere             ipv6-icmp echo-request',
      'ACCEPT     ipv6-icmp --  anywhere             anywhere             ipv6-icmp address-unreachable',
      'REJECT     ipv6-icmp --  fd00::1              fd00::/8             ipv6-icmp !neighbour-solicitation reject-with icmp6-port-unreachable',
      'ACCEPT     ipv6-icmp --  anywhere             anywhere             ipv6-icmp destination-unreachable',
    ]);
    expect((await run(s, 'ip6tables -L INPUT -n')).output.split('\n').slice(2, 6)).toEqual([
      'ACCEPT     58   --  ::/0                 ::/0                 ipv6-icmptype 128',
      'ACCEPT     58   --  ::/0                 ::/0                 ipv6-icmptype 1 code 3',
      'REJECT     58   --  fd00::1              fd00::/8             ipv6-icmp !type 135 reject-with icmp6-port-unreachable',
      'ACCEPT     58   --  ::/0                 ::/0                 ipv6-icmptype 1',
    ]);
    for (const to of ['[fd00::3]:80', 'fd00::1:80', '[fd00::3]', '[fd00::1-fd00::5]:80', ':80', '[fd00::3]x', '12:80'])
      expect(await run(s, `ip6tables -t nat -A PREROUTING -p tcp -j DNAT --to-destination ${to}`), to).toEqual({ output: '', exitCode: 0 });
    expect((await run(s, 'ip6tables -t nat -S PREROUTING')).output.split('\n').slice(1, 8).map((l) => l.replace('-A PREROUTING -p tcp -j DNAT --to-destination ', ''))).toEqual(['[fd00::3]:80', 'fd00::1:80', 'fd00::3', '[fd00::1-fd00::5]:80', ':80', 'fd00::3', ':80']);
    // iptables keeps its own rules
    expect((await run(s, 'iptables -S INPUT')).output).toBe('-P INPUT ACCEPT\n');
  });

  it('prints the real messages and exit codes', async () => {
    const s = await host();
    const cases: [string, string, number][] = [
      ['ip6tables -A INPUT -p icmpv6 --icmpv6-type ne -j ACCEPT', "ip6tables v1.8.9 (nf_tables): Ambiguous ICMPv6 type `ne': `neighbour-solicitation' or `neighbor-solicitation'?\n" + hint, 2],
      ['ip6tables -A INPUT -p icmpv6 --icmpv6-type 300 -j ACCEPT', "ip6tables v1.8.9 (nf_tables): Unknown ICMPv6 type `300'\n" + hint, 2],
      ['ip6tables -A INPUT -p icmpv6 --icmpv6-type 1:3 -j ACCEPT', 'ip6tables v1.8.9 (nf_tables): ICMPv6 type range not supported\n' + hint, 2],
      ['ip6tables -A INPUT -p icmpv6 --icmpv6-type 1/x', "ip6tables v1.8.9 (nf_tables): Unknown ICMPv6 code `1/x'\n" + hint, 2],
      ['ip6tables -A INPUT -s fd00::1/x', "ip6tables v1.8.9 (nf_tables): invalid mask `x' specified\n" + hint, 2],
      ['ip6tables -A INPUT -s 1.2.3.4 -d ::1', "ip6tables v1.8.9 (nf_tables): host/network `1.2.3.4' not found\n" + hint, 2],
      ['ip6tables -A INPUT -j REJECT --reject-with echo-reply', 'ip6tables v1.8.9 (nf_tables): unknown reject type "echo-reply"\n' + hint, 2],
      ['ip6tables -A INPUT -f', "ip6tables v1.8.9 (nf_tables): `-f' is not supported in IPv6, use -m frag instead\n" + hint, 2],
      ['ip6tables -A INPUT -4', hint, 2],
      ['ip6tables -t nat -A PREROUTING -p tcp -j DNAT --to-destination [fd00::3', 'ip6tables v1.8.9 (nf_tables): Invalid address format\n' + hint, 2],
      ['ip6tables -t nat -A PREROUTING -p tcp -j DNAT --to-destination [fd00::3]:', "ip6tables v1.8.9 (nf_tables): Port `' not valid\n" + hint, 2],
      ['ip6tables -t nat -A PREROUTING -p tcp -j DNAT --to-destination fd00::3/64', 'ip6tables v1.8.9 (nf_tables): Bad IP address "fd00::3/64"\n' + hint, 2],
      ['ip6tables -t nat -A PREROUTING -p tcp -j DNAT --to-destination [1.2.3.4]:80', 'ip6tables v1.8.9 (nf_tables): Bad IP address "1.2.3.4"\n' + hint, 2],
      ['ip6tables -t nat -A PREROUTING -p tcp -j DNAT --to-destination [fd00::3]:80:90', 'ip6tables v1.8.9 (nf_tables): Invalid port:port syntax - use dash\n' + hint, 2],
      ['ip6tables -t nat -A PREROUTING -j DNAT --to-destination [fd00::3]:80', 'ip6tables v1.8.9 (nf_tables): Need TCP, UDP, SCTP or DCCP with port specification\n' + hint, 2],
      ['ip6tables -C INPUT -j ACCEPT', 'ip6tables: Bad rule (does a matching rule exist in that chain?).\n', 1],
      ['ip6tables-save -x', "ip6tables-save: invalid option -- 'x'\nLook at manual page `ip6tables-save.8' for more information.\n", 1],
    ];
    for (const [line, output, code] of cases) expect(await run(s, line), line).toEqual({ output, exitCode: code });
    expect((await run(s, 'ip6tables-save')).output).toBe('');
  });
});

describe('ip6tables-restore and iptables-restore', () => {
  it('restores, flushes and reports errors by line as the real tool', async () => {
    const s = await host();
    await run(s, 'ip6tables -P FORWARD DROP; ip6tables -N FOO; ip6tables -A FOO -j ACCEPT; ip6tables -A INPUT -j FOO; ip6tables -t nat -A OUTPUT -j ACCEPT');
    expect(await run(s, "printf '*filter\\nCOMMIT\\n' | ip6tables-restore")).toEqual({ output: '', exitCode: 0 });
    // the table is gone (made again by what uses it); nat is untouched
    expect((await run(s, 'ip6tables-save | grep "^[*-]"')).output).toBe('*nat\n-A OUTPUT -j ACCEPT\n');
    await run(s, "printf '*filter\\n:BAR - [0:0]\\n-A INPUT -j BAR\\n-A BAR -p tcp --dport 1 -j DROP\\nCOMMIT\\n' | ip6tables-restore");
    expect((await run(s, 'ip6tables -S')).output).toBe('-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-N BAR\n-A INPUT -j BAR\n-A BAR -p tcp -m tcp --dport 1 -j DROP\n');
    const cases: [string, string, number][] = [
      ["printf '*filter\\n-A INPUT -j NOPE\\nCOMMIT\\n' | ip6tables-restore", "ip6tables-restore v1.8.9 (nf_tables): Chain 'NOPE' does not exist\nError occurred at line: 3\nTry `ip6tables-restore -h' or 'ip6tables-restore --help' for more information.\n", 2],
      ["printf '*filter\\n-A INPUT -j ACCEPT\\n' | ip6tables-restore", 'ip6tables-restore: COMMIT expected at line 3\n', 1],
      ["printf -- '-A INPUT -j ACCEPT\\nCOMMIT\\n' | ip6tables-restore", 'ip6tables-restore: line 1 failed\n', 1],
      ["printf '*bogus\\nCOMMIT\\n' | ip6tables-restore", "ip6tables-restore v1.8.9 (nf_tables): ip6tables-restore: line 1 table name 'bogus' invalid\nError occurred at line: 1\nTry `ip6tables-restore -h' or 'ip6tables-restore --help' for more information.\n", 2],
      ["printf '*filter\\n:INPUT BOGUS [0:0]\\nCOMMIT\\n' | ip6tables-restore", 'ip6tables-restore: line 2 failed: Bad policy name.\n', 1],
      ["printf '*filter\\n-A NOCHAIN -j ACCEPT\\nCOMMIT\\n' | ip6tables-restore", 'ip6tables-restore: line 2 failed: No chain/target/match by that name.\n', 1],
      ["printf '*filter\\n-A INPUT -j REJECT --reject-with tcp-reset\\nCOMMIT\\n' | ip6tables-restore", 'ip6tables-restore v1.8.9 (nf_tables): \nline 2: RULE_APPEND failed (Invalid argument): rule in chain INPUT\n', 4],
      ["printf '*filter\\n-D INPUT 5\\nCOMMIT\\n' | ip6tables-restore -n", 'ip6tables-restore: line 2 failed: Index of deletion too big.\n', 1],
      ["printf '*filter\\n*nat\\nCOMMIT\\n' | ip6tables-restore", "Bad argument `*nat'\nError occurred at line: 2\nTry `ip6tables-restore -h' or 'ip6tables-restore --help' for more information.\n", 2],
      ['ip6tables-restore --bogus', "ip6tables-restore: unrecognized option '--bogus'\nTry `ip6tables-restore -h' for more information.\n", 1],
      ['ip6tables-restore /nonexist', "Can't open /nonexist: No such file or directory\n", 1],
    ];
    for (const [line, output, code] of cases) expect(await run(s, line), line).toEqual({ output, exitCode: code });
    // failures changed nothing
    expect((await run(s, 'ip6tables -S INPUT')).output).toBe('-P INPUT ACCEPT\n-A INPUT -j BAR\n');
    // -v, comments, a line for the other family, two commits
    expect(await run(s, "printf '# c\\n*filter\\n-4 -A INPUT -j ACCEPT\\n-A INPUT -j ACCEPT\\nCOMMIT\\n*filter\\n-A INPUT -j DROP\\nCOMMIT\\n' | ip6tables-restore -v")).toEqual({
      output: "# c\nFlushing chain `INPUT'\nFlushing chain `FORWARD'\nFlushing chain `OUTPUT'\nFlushing chain `BAR'\nDeleting chain `BAR'\nACCEPT  all opt -- in * out *  ::/0  -> ::/0  \nFlushing chain `INPUT'\nFlushing chain `FORWARD'\nFlushing chain `OUTPUT'\nDROP  all opt -- in * out *  ::/0  -> ::/0  \n",
      exitCode: 0,
    });
    expect((await run(s, 'ip6tables -S INPUT')).output).toBe('-P INPUT ACCEPT\n-A INPUT -j DROP\n');
    // iptables-restore is the same reader over the IPv4 rule set
    expect(await run(s, "printf '*filter\\n:INPUT ACCEPT [3:4]\\n-A INPUT -s 127.0.0.1 -j ACCEPT\\nCOMMIT\\n' | iptables-restore -c")).toEqual({ output: '', exitCode: 0 });
    expect((await run(s, 'iptables -L INPUT -v -n')).output.split('\n')[0]).toBe('Chain INPUT (policy ACCEPT 3 packets, 4 bytes)');
    expect((await run(s, 'iptables -S INPUT')).output).toBe('-P INPUT ACCEPT\n-A INPUT -s 127.0.0.1/32 -j ACCEPT\n');
  });
});

describe('ip6tables rules on IPv6 packets', () => {
  /** c (fd00:100::2) behind the host's veth vh (fd00:100::1), as fixture 100. */
  async function pair(): Promise<Session> {
    const s = await host();
    for (const l of [
      'ip netns add c',
      'ip link add vh type veth peer name vc',
      'ip link set vc netns c',
      'ip addr add fd00:100::1/64 dev vh nodad',
      'ip link set vh up',
      'ip -n c link set lo up',
      'ip -n c addr add fd00:100::2/64 dev vc nodad',
      'ip -n c link set vc up',
    ])
      await s.setup(l);
    return s;
  }

  it('REJECT answers with the ICMPv6 type asked for, and a SYN refused at once is retried before connect() hears of it', async () => {
    const s = await pair();
    await run(s, 'ip6tables -A INPUT -p icmpv6 --icmpv6-type echo-request -j REJECT --reject-with icmp6-addr-unreachable');
    expect((await run(s, 'ip netns exec c ping -c 1 fd00:100::1')).output).toContain('From fd00:100::1 icmp_seq=1 Destination unreachable: Address unreachable');
    await run(s, 'ip6tables -A INPUT -p tcp --dport 81 -j REJECT');
    expect((await run(s, 'ip netns exec c nc -zv fd00:100::1 81')).output).toBe('nc: connect to fd00:100::1 port 81 (tcp) failed: Connection refused\n');
    // two SYNs of 80 bytes: the first one's error came back while connect() held the socket
    expect((await run(s, 'ip6tables -L INPUT -v -n')).output.split('\n')[3]).toMatch(/^ {4}2 {3}160 REJECT/);
    // the host's own ping meets an OUTPUT REJECT: the error, not a sendmsg failure
    await run(s, 'ip6tables -A OUTPUT -d fd00:100::2 -j REJECT --reject-with icmp6-adm-prohibited');
    expect((await run(s, 'ping -c 1 fd00:100::2')).output).toContain('From fd00:100::1 icmp_seq=1 Destination unreachable: Administratively prohibited\n');
    // iptables rules never see IPv6 packets
    await run(s, 'ip6tables -F; iptables -P INPUT DROP');
    expect((await run(s, 'ip netns exec c ping -c 1 fd00:100::1')).exitCode).toBe(0);
  });

  it('a DROP policy with conntrack lets replies in, and conntrack lists the IPv6 flow', async () => {
    const s = await pair();
    await run(s, 'ip6tables -P OUTPUT DROP; ip6tables -A OUTPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT');
    expect((await run(s, 'ip netns exec c ping -c 1 fd00:100::1')).exitCode).toBe(0);
    expect((await run(s, 'ping -c 1 -W 1 fd00:100::2')).exitCode).toBe(1);
    expect((await run(s, 'conntrack -L -p icmpv6 -o extended 2>/dev/null')).output).toMatch(/^ipv6 {5}10 icmpv6 {3}58 \d+ src=fd00:100::2 dst=fd00:100::1 type=128 code=0 id=\d+ src=fd00:100::1 dst=fd00:100::2 type=129 code=0 id=\d+ mark=0 use=1\n/);
  });
});
