// IPv6 in the packet engine, end to end through the tools: neighbour
// discovery and its states, forwarding through a router with the hop limit,
// ICMPv6 errors and their codes, duplicate address detection.
import { describe, expect, it } from 'vitest';
import { Session } from '../shell/session';
import { getScenario } from '../labs/scenarios/index';

async function session(lines: string[]): Promise<Session> {
  const s = await Session.create({ scenario: getScenario('corpus'), seed: 3, columns: 80 });
  for (const l of lines) await s.setup(l);
  return s;
}

async function out(s: Session, line: string): Promise<{ output: string; exitCode: number }> {
  return s.run(line, { fresh: true, noHistory: true });
}

// red (fd00:15::2) on bridge v-net-0 (fd00:15::1); the host routes to lan (fd00:1::3) by eth0 (fd00:1::2)
const LAB6 = [
  'ip link set lo up',
  'ip netns add red',
  'ip netns add lan',
  'ip link add v-net-0 type bridge',
  'ip link set v-net-0 up',
  'ip addr add fd00:15::1/64 dev v-net-0 nodad',
  'ip link add veth-red type veth peer name veth-red-br',
  'ip link set veth-red netns red',
  'ip link set veth-red-br master v-net-0',
  'ip link set veth-red-br up',
  'ip -n red link set lo up',
  'ip -n red addr add fd00:15::2/64 dev veth-red nodad',
  'ip -n red link set veth-red up',
  'ip link add eth0 type veth peer name eth0 netns lan',
  'ip addr add fd00:1::2/64 dev eth0 nodad',
  'ip link set eth0 up',
  'ip -n lan link set lo up',
  'ip -n lan addr add fd00:1::3/64 dev eth0 nodad',
  'ip -n lan link set eth0 up',
  'sleep 3',
  'ip -n red -6 route add default via fd00:15::1',
  'ip -n lan -6 route add fd00:15::/64 via fd00:1::2',
];

describe('IPv6 packet engine', () => {
  it('neighbour discovery: REACHABLE on the asking side, DELAY on the answering side, then REACHABLE after the probe', async () => {
    const s = await session(LAB6);
    const r = await out(s, 'ip netns exec red ping -c 1 fd00:15::1');
    expect(r.exitCode).toBe(0);
    expect(r.output).toMatch(/64 bytes from fd00:15::1: icmp_seq=1 ttl=64 time=/);
    expect((await out(s, 'ip -n red -6 neigh')).output).toMatch(/^fd00:15::1 dev veth-red lladdr [0-9a-f:]{17} REACHABLE \n$/);
    expect((await out(s, 'ip -6 neigh show dev v-net-0')).output).toMatch(/^fd00:15::2 lladdr [0-9a-f:]{17} DELAY \n$/);
    await out(s, 'sleep 6');
    expect((await out(s, 'ip -6 neigh show fd00:15::2')).output).toMatch(/REACHABLE/);
  });

  it('a router forwards only with net.ipv6.conf.all.forwarding, decrements the hop limit, answers hop limit 1 with Time exceeded and sets the router flag', async () => {
    const s = await session(LAB6);
    let r = await out(s, 'ip netns exec red ping -c 1 -W 1 fd00:1::3');
    expect(r.output).toContain('1 packets transmitted, 0 received, 100% packet loss');
    await out(s, 'sysctl -w net.ipv6.conf.all.forwarding=1');
    r = await out(s, 'ip netns exec red ping -c 1 fd00:1::3');
    expect(r.output).toMatch(/64 bytes from fd00:1::3: icmp_seq=1 ttl=63 /);
    r = await out(s, 'ip netns exec red ping -c 1 -t 1 fd00:1::3');
    expect(r.output).toContain('From fd00:15::1 icmp_seq=1 Time exceeded: Hop limit');
    expect((await out(s, 'ip -n lan -6 neigh show fd00:1::2')).output).toMatch(/ router REACHABLE/);
    r = await out(s, 'ip netns exec red traceroute -n -q 1 fd00:1::3');
    expect(r.output).toMatch(/^traceroute to fd00:1::3 \(fd00:1::3\), 30 hops max, 80 byte packets\n 1  fd00:15::1  [\d.]+ ms\n 2  fd00:1::3  [\d.]+ ms\n$/);
  });

  it('Destination unreachable codes: no route, administratively prohibited, address unreachable; nc gets their errnos', async () => {
    const s = await session([...LAB6, 'sysctl -w net.ipv6.conf.all.forwarding=1', 'ip -6 route add prohibit fd00:4::/64']);
    expect((await out(s, 'ip netns exec red ping -c 1 -W 1 fd00:2::1')).output).toContain('From fd00:15::1 icmp_seq=1 Destination unreachable: No route');
    expect((await out(s, 'ip netns exec red ping -c 1 -W 1 fd00:4::1')).output).toContain('Destination unreachable: Administratively prohibited');
    expect((await out(s, 'ip netns exec red ping -c 1 -W 4 fd00:1::99')).output).toContain('From fd00:15::1 icmp_seq=1 Destination unreachable: Address unreachable');
    expect((await out(s, 'ip -6 neigh show dev eth0 nud failed')).output).toBe('fd00:1::99 FAILED \n');
    expect((await out(s, 'ip netns exec lan nc -zv fd00:15::2 22')).output).toContain('failed: Connection refused');
    expect((await out(s, 'ip -6 route')).output).toContain('prohibit fd00:4::/64 dev lo metric 1024 pref medium');
  });

  it('duplicate address detection: the second holder gets tentative, then dadfailed, and does not answer for it', async () => {
    const s = await session([
      'ip netns add a',
      'ip netns add b',
      'ip link add va type veth peer name vb',
      'ip link set va netns a',
      'ip link set vb netns b',
      'ip -n a link set va up',
      'ip -n b link set vb up',
      'ip -n a addr add fd00:98::1/64 dev va',
      'sleep 3',
    ]);
    expect((await out(s, 'ip -n b addr add fd00:98::1/64 dev vb; ip -n b -6 addr show dev vb')).output).toContain('inet6 fd00:98::1/64 scope global tentative \n');
    await out(s, 'sleep 3');
    expect((await out(s, 'ip -n b -6 addr show dev vb dadfailed')).output).toContain('inet6 fd00:98::1/64 scope global dadfailed tentative \n');
    expect((await out(s, 'ip -n a -6 addr show dev va')).output).not.toContain('dadfailed');
    expect((await out(s, 'ip -n b addr add fd00:98::2/64 dev vb nodad; ip -n b -6 addr show dev vb')).output).toContain('inet6 fd00:98::2/64 scope global nodad \n');
    expect((await out(s, 'ip netns exec a ping -c 1 fd00:98::2')).exitCode).toBe(0);
  });

  it('NOARP entries the kernel makes by itself: loopback traffic, a multicast group, a broadcast, the IPv6 groups of a link coming up', async () => {
    const s = await session(['ip link set lo up', 'ip netns add n', 'ip link add v94 type veth peer name v94n netns n', 'ip addr add 10.94.0.1/24 dev v94', 'ip link set v94 up', 'ip -n n addr add 10.94.0.2/24 dev v94n', 'ip -n n link set v94n up']);
    expect((await out(s, 'ip -4 neigh show nud all')).output).toBe('');
    await out(s, 'ping -c 1 127.0.0.1');
    expect((await out(s, 'ip -4 neigh show nud noarp')).output).toBe('0.0.0.0 dev lo lladdr 00:00:00:00:00:00 NOARP \n');
    await out(s, 'ping -c 1 -W 1 -I v94 224.0.0.1');
    expect((await out(s, 'ip -4 neigh show dev v94 nud noarp')).output).toBe('224.0.0.1 lladdr 01:00:5e:00:00:01 NOARP \n');
    const v6 = (await out(s, 'ip -6 neigh show dev v94 nud noarp')).output;
    expect(v6).toContain('ff02::16 lladdr 33:33:00:00:00:16 NOARP');
    expect(v6).toContain('ff02::2 lladdr 33:33:00:00:00:02 NOARP');
    expect(v6).toMatch(/ff02::1:ff[0-9a-f]{2}:[0-9a-f]{1,4} lladdr 33:33:ff:[0-9a-f:]{8} NOARP/);
    // the default listing leaves NOARP entries out
    expect((await out(s, 'ip neigh show dev v94')).output).toBe('');
  });
});
