import { describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { getScenario } from '../../labs/scenarios/index';

async function session(setup: string[] = []): Promise<Session> {
  const s = await Session.create({ scenario: getScenario('corpus'), seed: 11, columns: 80 });
  for (const l of ['ip link set lo up', ...setup]) {
    await s.setup(l);
    s.world.advance(1500);
  }
  return s;
}

async function run(s: Session, line: string): Promise<{ out: string; code: number }> {
  const r = await s.run(line, { fresh: true, noHistory: true });
  s.world.advance(1500);
  return { out: r.output, code: r.exitCode };
}

const LAB = [
  'ip netns add red',
  'ip link add v-net-0 type bridge',
  'ip link set v-net-0 up',
  'ip addr add 192.168.15.1/24 dev v-net-0',
  'ip link add veth-red type veth peer name veth-red-br',
  'ip link set veth-red netns red',
  'ip link set veth-red-br master v-net-0',
  'ip link set veth-red-br up',
  'ip -n red addr add 192.168.15.2/24 dev veth-red',
  'ip -n red link set veth-red up',
];

describe('ip: objects, abbreviations and global options', () => {
  it('accepts the prefixes iproute2 accepts and rejects the others', async () => {
    const s = await session();
    for (const l of ['ip a', 'ip addr sh', 'ip address show', 'ip l', 'ip li sh', 'ip r', 'ip ro li', 'ip n', 'ip neighbour', 'ip ru', 'ip netns']) {
      expect((await run(s, l)).code, l).toBe(0);
    }
    expect(await run(s, 'ip adr')).toEqual({ out: 'Object "adr" is unknown, try "ip help".\n', code: 1 });
    expect(await run(s, 'ip link shw')).toEqual({ out: 'Command "shw" is unknown, try "ip link help".\n', code: 255 });
    expect(await run(s, 'ip -z link')).toEqual({ out: 'Option "-z" is unknown, try "ip -help".\n', code: 255 });
    // "ip r" is route, not rule: the first object in iproute2's table wins
    expect((await run(s, 'ip r')).out).not.toMatch(/lookup/);
  });

  it('prints usage texts on stderr with exit 255', async () => {
    const s = await session();
    const r = await run(s, 'ip');
    expect(r.code).toBe(255);
    expect(r.out.startsWith('Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n')).toBe(true);
    const rule = await run(s, 'ip rule help');
    expect([rule.code, rule.out.split('\n')[0]]).toEqual([255, 'Usage: ip rule { add | del } SELECTOR ACTION']);
    expect((await run(s, 'ip -V')).out).toBe('ip utility, iproute2-6.1.0, libbpf 1.1.2\n');
  });

  it('switches namespaces with -n and reports a missing one', async () => {
    const s = await session(LAB);
    expect((await run(s, 'ip -n red -br link')).out).toMatch(/^lo +DOWN/);
    expect(await run(s, 'ip -n nosuch link')).toEqual({ out: 'Cannot open network namespace "nosuch": No such file or directory\n', code: 255 });
  });
});

describe('ip link', () => {
  it('shows a veth pair as the kernel reports it, across namespaces', async () => {
    const s = await session(LAB);
    const host = (await run(s, 'ip link show veth-red-br')).out;
    expect(host.split('\n')[0]).toBe(
      '3: veth-red-br@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master v-net-0 state UP mode DEFAULT group default qlen 1000',
    );
    expect(host).toMatch(/ link-netns red\n$/);
    const inside = (await run(s, 'ip netns exec red ip link show veth-red')).out;
    expect(inside).toMatch(/^4: veth-red@if3: /);
    expect(inside).toMatch(/ link-netnsid 0\n$/);
  });

  it('derives NO-CARRIER, M-DOWN and LOWERLAYERDOWN from the peer', async () => {
    const s = await session(['ip link add va type veth peer name vb', 'ip link set va up']);
    expect((await run(s, 'ip -br link show va')).out).toMatch(/^va@vb +LOWERLAYERDOWN +\S+ <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> \n$/);
    // "a" abbreviates "address": iproute2 reads the next word as a link-layer address
    expect(await run(s, 'ip link add a type veth')).toEqual({ out: '"type" is invalid lladdr.\n', code: 1 });
  });

  it('reports errors with iproute2 texts and exit codes', async () => {
    const s = await session(['ip link add veth-x type veth peer name veth-y']);
    expect(await run(s, 'ip link set eth9 up')).toEqual({ out: 'Cannot find device "eth9"\n', code: 1 });
    expect(await run(s, 'ip link set veth-x upp')).toEqual({ out: 'Error: either "dev" is duplicate, or "upp" is a garbage.\n', code: 255 });
    expect(await run(s, 'ip link add veth-x type veth peer name veth-z')).toEqual({ out: 'RTNETLINK answers: File exists\n', code: 2 });
    expect(await run(s, 'ip link add b0 type bridg')).toEqual({ out: 'Error: Unknown device type.\n', code: 2 });
    expect(await run(s, 'ip link set veth-x mtu 70000')).toEqual({ out: 'Error: mtu greater than device maximum.\n', code: 2 });
    expect(await run(s, 'ip link set veth-x mtu abc')).toEqual({ out: 'Error: argument "abc" is wrong: Invalid "mtu" value\n\n', code: 255 });
    expect(await run(s, 'ip link set veth-x netns nosuch')).toEqual({ out: 'Error: argument "nosuch" is wrong: Invalid "netns" value\n\n', code: 255 });
    expect(await run(s, 'ip link set veth-x address 02:zz:00:00:00:01')).toEqual({ out: '"zz" is invalid lladdr.\n', code: 1 });
    expect(await run(s, 'ip link show nosuch')).toEqual({ out: 'Device "nosuch" does not exist.\n', code: 1 });
    expect(await run(s, 'ip link del lo')).toEqual({ out: 'RTNETLINK answers: Operation not supported\n', code: 2 });
  });

  it('filters by type, master and up', async () => {
    const s = await session(LAB);
    expect((await run(s, 'ip -br link show type bridge')).out).toMatch(/^v-net-0 /);
    expect((await run(s, 'ip -br link show master v-net-0')).out.split('\n')[0]).toMatch(/^veth-red-br@if4 /);
    expect((await run(s, 'ip -o link show up')).out.split('\n').filter(Boolean)).toHaveLength(3);
  });
});

describe('ip address', () => {
  it('keeps the kernel order of primaries and secondaries and computes brd +', async () => {
    const s = await session(['ip link add d0 type dummy', 'ip link set d0 up']);
    await run(s, 'ip addr add 10.50.0.1/24 dev d0');
    await run(s, 'ip addr add 10.50.0.2/24 dev d0');
    await run(s, 'ip addr add 10.60.0.1/16 brd + dev d0');
    const out = (await run(s, 'ip -4 -o addr show d0')).out.split('\n').filter(Boolean);
    expect(out.map((l) => l.split(/\s+/).slice(3, 7).join(' '))).toEqual([
      '10.50.0.1/24 scope global d0\\',
      '10.60.0.1/16 brd 10.60.255.255 scope',
      '10.50.0.2/24 scope global secondary',
    ]);
  });

  it('answers JSON with iproute2 keys', async () => {
    const s = await session(LAB);
    const j = JSON.parse((await run(s, 'ip -j addr show dev v-net-0')).out);
    expect(Object.keys(j[0])).toEqual(['ifindex', 'ifname', 'flags', 'mtu', 'qdisc', 'operstate', 'group', 'txqlen', 'link_type', 'address', 'broadcast', 'addr_info']);
    expect(j[0].addr_info[0]).toEqual({ family: 'inet', local: '192.168.15.1', prefixlen: 24, scope: 'global', label: 'v-net-0', valid_life_time: 4294967295, preferred_life_time: 4294967295 });
    const pretty = (await run(s, 'ip -j -p link show lo')).out;
    expect(pretty.startsWith('[ {\n        "ifindex": 1,\n')).toBe(true);
    expect(JSON.parse(pretty)[0].link_type).toBe('loopback');
  });

  it('reports the 6.18 kernel messages and iproute2 parse errors', async () => {
    const s = await session(['ip link add v type veth peer name p', 'ip addr add 192.168.1.10/24 dev v']);
    expect(await run(s, 'ip addr add 192.168.1.10/24 dev v')).toEqual({ out: 'Error: ipv4: Address already assigned.\n', code: 2 });
    expect(await run(s, 'ip addr del 192.168.1.99/24 dev v')).toEqual({ out: 'Error: ipv4: Address not found.\n', code: 2 });
    expect(await run(s, 'ip addr add 192.168.1.10/33 dev v')).toEqual({ out: 'Error: any valid prefix is expected rather than "192.168.1.10/33".\n', code: 1 });
    expect(await run(s, 'ip addr add 192.168.1.11/24')).toEqual({ out: 'Not enough information: "dev" argument is required.\n', code: 1 });
    expect(await run(s, 'ip addr flush')).toEqual({ out: 'Flush requires arguments.\n', code: 1 });
    expect(await run(s, 'ip -c -br addr show v')).toEqual({ out: '\x1b[36mv@p              \x1b[0m\x1b[31mDOWN           \x1b[0m\x1b[35m192.168.1.10\x1b[0m/24 \n', code: 0 });
  });
});

describe('ip route', () => {
  const GW = [
    'ip netns add gw',
    'ip link add eth0 type veth peer name eth0 netns gw',
    'ip addr add 10.0.0.2/24 dev eth0',
    'ip link set eth0 up',
    'ip -n gw addr add 10.0.0.1/24 dev eth0',
    'ip -n gw link set eth0 up',
  ];

  it('adds, shows with selectors, gets and deletes', async () => {
    const s = await session(GW);
    expect(await run(s, 'ip route add 192.168.2.0/24 via 192.168.1.1')).toEqual({ out: 'Error: Nexthop has invalid gateway.\n', code: 2 });
    expect((await run(s, 'ip route add default via 10.0.0.1')).code).toBe(0);
    expect(await run(s, 'ip route add default via 10.0.0.254')).toEqual({ out: 'RTNETLINK answers: File exists\n', code: 2 });
    await run(s, 'ip route add 10.72.0.0/16 via 10.0.0.1 proto static metric 5');
    expect((await run(s, 'ip route show proto static')).out).toBe('10.72.0.0/16 via 10.0.0.1 dev eth0 metric 5 \n');
    expect((await run(s, 'ip route show dev eth0')).out.split('\n')[0]).toBe('default via 10.0.0.1 ');
    expect((await run(s, 'ip route get 10.72.3.4')).out).toBe('10.72.3.4 via 10.0.0.1 dev eth0 src 10.0.0.2 uid 0 \n    cache \n');
    expect((await run(s, 'ip route get 10.0.0.2')).out).toBe('local 10.0.0.2 dev lo src 10.0.0.2 uid 0 \n    cache <local> \n');
    expect(await run(s, 'ip route del 172.16.0.0/16')).toEqual({ out: 'RTNETLINK answers: No such process\n', code: 2 });
    expect(await run(s, 'ip route show table nosuch')).toEqual({ out: 'Error: argument "nosuch" is wrong: table id value is invalid\n\n', code: 255 });
    expect(await run(s, 'ip route add 10.1.0.0/16 gw 10.0.0.1')).toEqual({ out: 'Error: either "to" is duplicate, or "gw" is a garbage.\n', code: 255 });
    const j = JSON.parse((await run(s, 'ip -j route')).out);
    expect(j[0]).toEqual({ dst: 'default', gateway: '10.0.0.1', dev: 'eth0', flags: [] });
  });

  it('fails a dump of a missing table as the kernel does', async () => {
    const s = await Session.create({ scenario: getScenario('corpus'), seed: 1, columns: 80 });
    expect((await s.run('ip route show table local', { fresh: true })).output).toBe('Error: ipv4: FIB table does not exist.\nDump terminated\n');
  });

  it('lists policy rules with tabs and picks priorities as the kernel', async () => {
    const s = await session(GW);
    await run(s, 'ip route add 10.80.0.0/16 via 10.0.0.1 table 100');
    await run(s, 'ip rule add from 10.0.0.2 table 100');
    expect((await run(s, 'ip rule')).out).toBe(
      '0:\tfrom all lookup local\n32765:\tfrom 10.0.0.2 lookup 100\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n',
    );
    expect((await run(s, 'ip route get 10.80.0.1 from 10.0.0.2')).out).toBe('10.80.0.1 from 10.0.0.2 via 10.0.0.1 dev eth0 table 100 uid 0 \n    cache \n');
  });
});

describe('ip netns', () => {
  it('lists newest first with ids, and runs commands inside, nested', async () => {
    const s = await session(LAB);
    await run(s, 'ip netns add blue');
    expect((await run(s, 'ip netns')).out).toBe('blue\nred (id: 0)\n');
    expect((await run(s, "ip netns exec red bash -c 'ip netns identify; ip netns exec blue ip netns identify'")).out).toBe('red\nblue\n');
    expect(await run(s, 'ip netns exec red')).toEqual({ out: 'No command specified\n', code: 1 });
    expect(await run(s, 'ip netns exec nosuch ip a')).toEqual({ out: 'Cannot open network namespace "nosuch": No such file or directory\n', code: 255 });
    expect(await run(s, 'ip netns add red')).toEqual({ out: 'Cannot create namespace file "/run/netns/red": File exists\n', code: 1 });
    expect(await run(s, 'ip netns del nosuch')).toEqual({ out: 'Cannot remove namespace file "/run/netns/nosuch": No such file or directory\n', code: 1 });
    expect((await run(s, 'ip netns exec red sh -c "exit 3"')).code).toBe(3);
  });

  it('quotes arguments back for the shell', async () => {
    const s = await session(LAB);
    expect((await run(s, "ip netns exec red echo 'a  b' '$HOME'")).out).toBe('a  b $HOME\n');
  });
});

describe('ip neigh', () => {
  it('adds static entries and reports errors', async () => {
    const s = await session(LAB);
    expect(await run(s, 'ip neigh add 192.168.15.60 dev v-net-0')).toEqual({ out: 'Error: No link layer address given.\n', code: 2 });
    await run(s, 'ip neigh add 192.168.15.50 lladdr 02:42:c0:a8:0f:32 dev v-net-0');
    expect((await run(s, 'ip neigh show nud permanent')).out).toBe('192.168.15.50 dev v-net-0 lladdr 02:42:c0:a8:0f:32 PERMANENT \n');
    expect((await run(s, 'ip neigh show dev v-net-0')).out).toBe('192.168.15.50 lladdr 02:42:c0:a8:0f:32 PERMANENT \n');
    expect(await run(s, 'ip neigh del 192.168.15.77 dev v-net-0')).toEqual({ out: 'RTNETLINK answers: No such file or directory\n', code: 2 });
    expect(await run(s, 'ip neigh add 192.168.15.50 lladdr 02:42:c0:a8:0f:32 dev v-net-0')).toEqual({ out: 'RTNETLINK answers: File exists\n', code: 2 });
  });
});

describe('completion', () => {
  it('completes objects, verbs and interface names in the right namespace', async () => {
    const s = await session(LAB);
    const c = async (line: string) => (await s.complete(line, line.length)).candidates;
    expect(await c('ip l')).toContain('link');
    expect(await c('ip link s')).toEqual(expect.arrayContaining(['set', 'show']));
    expect(await c('ip link set dev veth')).toEqual(['veth-red-br']);
    expect(await c('ip -n red link set dev veth')).toEqual(['veth-red']);
    expect(await c('ip netns exec red ip link set dev veth')).toEqual(['veth-red']);
    expect(await c('ip netns exec r')).toEqual(['red']);
  });
});

describe('ip neigh get and address-less valid states', () => {
  it('gets one entry as show prints it, and refuses a valid state without a link layer address', async () => {
    const s = await session(['ip link add br0 type bridge', 'ip link set br0 up']);
    expect(await run(s, 'ip neigh add 10.130.0.52 dev br0 nud noarp')).toEqual({ out: 'Error: No link layer address given.\n', code: 2 });
    expect((await run(s, 'ip neigh add 10.130.0.50 lladdr 02:00:00:00:00:50 dev br0')).code).toBe(0);
    expect(await run(s, 'ip neigh get 10.130.0.50 dev br0')).toEqual({ out: '10.130.0.50 dev br0 lladdr 02:00:00:00:00:50 PERMANENT \n', code: 0 });
    expect(await run(s, 'ip neigh get 10.130.0.51 dev br0')).toEqual({ out: 'Error: Neighbour entry not found.\n', code: 2 });
    expect(await run(s, 'ip neigh get 10.130.0.50')).toEqual({ out: 'Device and address are required arguments.\n', code: 1 });
    expect(await run(s, 'ip neigh get 10.130.0.50 dev nope0')).toEqual({ out: 'Cannot find device "nope0"\n', code: 1 });
    expect((await run(s, 'ip neigh add 10.130.0.53 dev br0 nud incomplete')).code).toBe(0);
  });
});
