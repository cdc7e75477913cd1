// The packet engine end to end, driven by the real tools in a session:
// the book's NAT and DNAT lessons, ARP, TTL, forwarding, counters, and
// determinism.
import { describe, expect, it } from 'vitest';
import { Session } from '../shell/session';
import { ctTable } from './conntrack';
import { neighList } from './neighbour';
import { getScenario } from '../labs/scenarios/index';

async function session(lines: string[], seed = 1): Promise<Session> {
  const s = await Session.create({ scenario: getScenario('corpus'), seed, columns: 80 });
  for (const l of lines) await s.setup(l);
  return s;
}

async function out(s: Session, line: string): Promise<{ output: string; exitCode: number }> {
  return s.run(line, { fresh: true, noHistory: true });
}

// the namespace lab of corpus scenario 07: red and blue behind v-net-0, eth0 to "lan"
const NAT_LAB = [
  'ip link set lo up',
  'ip netns add blue',
  'ip netns add lan',
  'ip link add v-net-0 type bridge',
  'ip link set v-net-0 up',
  'ip addr add 192.168.15.1/24 dev v-net-0',
  'ip link add veth-blue type veth peer name veth-blue-br',
  'ip link set veth-blue netns blue',
  'ip link set veth-blue-br master v-net-0',
  'ip link set veth-blue-br up',
  'ip -n blue addr add 192.168.15.3/24 dev veth-blue',
  'ip -n blue link set veth-blue up',
  'ip -n blue link set lo up',
  'ip -n blue route add default via 192.168.15.1',
  'ip link add eth0 type veth peer name eth0 netns lan',
  'ip addr add 192.168.1.2/24 dev eth0',
  'ip link set eth0 up',
  'ip -n lan link set lo up',
  'ip -n lan addr add 192.168.1.3/24 dev eth0',
  'ip -n lan link set eth0 up',
];

describe('NAT lesson', () => {
  it('a namespace reaches the LAN only with forwarding and MASQUERADE, and the counters show it', async () => {
    const s = await session(NAT_LAB);
    let r = await out(s, 'ip netns exec blue ping -c 2 -W 1 192.168.1.3');
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain('2 packets transmitted, 0 received, 100% packet loss');
    await out(s, 'sysctl -w net.ipv4.ip_forward=1');
    r = await out(s, 'ip netns exec blue ping -c 2 -W 1 192.168.1.3');
    // forwarded, but the LAN host has no route back to 192.168.15.0/24
    expect(r.exitCode).toBe(1);
    await out(s, 'iptables -t nat -A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE');
    r = await out(s, 'ip netns exec blue ping -c 2 192.168.1.3');
    expect(r.exitCode).toBe(0);
    expect(r.output).toMatch(/64 bytes from 192\.168\.1\.3: icmp_seq=1 ttl=63 time=\d+\.\d{3} ms/);
    expect(r.output).toContain('2 packets transmitted, 2 received, 0% packet loss');
    // only the first packet of the flow goes through the nat table
    r = await out(s, 'iptables -t nat -L POSTROUTING -n -v');
    expect(r.output).toContain('    1    84 MASQUERADE  0    --  *      *       192.168.15.0/24      0.0.0.0/0');
    // the LAN host only ever saw the host's address
    r = await out(s, 'ip -n lan neigh');
    expect(r.output).toContain('192.168.1.2 dev eth0');
    expect(r.output).not.toContain('192.168.15');
    const host = s.world.host(s.host);
    const entries = ctTable(s.world, s.world.ns(host.rootNs)).filter((e) => e.protocol === 'icmp' && e.orig.src === '192.168.15.3' && e.reply.dst === '192.168.1.2');
    expect(entries).toHaveLength(1);
  });

  it('DNAT forwards a port to the web server in a namespace, and replies are translated back', async () => {
    const s = await session([...NAT_LAB, 'sysctl -w net.ipv4.ip_forward=1', 'daemon nginx -n blue tcp:0.0.0.0:80']);
    let r = await out(s, 'ip netns exec lan nc -zv -w 2 192.168.1.2 8080');
    expect(r).toEqual({ output: 'nc: connect to 192.168.1.2 port 8080 (tcp) failed: Connection refused\n', exitCode: 1 });
    await out(s, 'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 192.168.15.3:80');
    r = await out(s, 'ip netns exec lan nc -zv -w 2 192.168.1.2 8080');
    expect(r).toEqual({ output: 'Connection to 192.168.1.2 8080 port [tcp/http-alt] succeeded!\n', exitCode: 0 });
    r = await out(s, 'iptables -t nat -L PREROUTING -n -v');
    expect(r.output).toContain('    1    60 DNAT       6    --  eth0   *       0.0.0.0/0            0.0.0.0/0            tcp dpt:8080 to:192.168.15.3:80');
    // the server saw the client's real address; the client saw the host's
    const blue = s.world.host(s.host).netns.blue!;
    expect(s.world.ns(blue).sockets.some((x) => x.state === 'LISTEN' && x.localPort === 80)).toBe(true);
  });
});

describe('routing, ARP and ICMP errors', () => {
  const GW = [
    'ip link set lo up',
    'ip netns add gw',
    'ip link add eth0 type veth peer name eth0 netns gw',
    'ip addr add 10.0.0.2/24 dev eth0',
    'ip link set eth0 up',
    'ip -n gw link set lo up',
    'ip -n gw addr add 10.0.0.1/24 dev eth0',
    'ip -n gw link set eth0 up',
    'ip netns exec gw ip link add eth1 type veth peer name eth1-peer',
    'ip -n gw addr add 10.1.0.1/24 dev eth1',
    'ip -n gw link set eth1 up',
    'ip -n gw link set eth1-peer up',
    'ip netns exec gw sysctl -w net.ipv4.ip_forward=1',
    'ip route add default via 10.0.0.1',
  ];

  it('reports unreachable hosts after ARP gives up, from the router that tried', async () => {
    const s = await session(GW);
    const r = await out(s, 'ping -c 2 -W 3 10.1.0.77');
    expect(r.output.split('\n').filter((l) => l.startsWith('From'))).toEqual(['From 10.0.0.1 icmp_seq=1 Destination Host Unreachable', 'From 10.0.0.1 icmp_seq=2 Destination Host Unreachable']);
    expect(r.output).toContain('+2 errors');
    expect(r.output).toContain('pipe 2');
    const gw = s.world.host(s.host).netns.gw!;
    expect(neighList(s.world, gw).find((n) => n.dst === '10.1.0.77')?.state).toBe('FAILED');
  });

  it('a ping that gives up before ARP does prints no error', async () => {
    const s = await session(GW);
    const r = await out(s, 'ping -c 1 -W 1 10.0.0.99');
    expect(r.output).not.toContain('From');
    expect(r.exitCode).toBe(1);
  });

  it('decrements TTL and answers Time to live exceeded, and Net Unreachable without a route', async () => {
    const s = await session(GW);
    let r = await out(s, 'ping -c 1 -W 1 -t 1 10.1.0.77');
    expect(r.output).toContain('From 10.0.0.1 icmp_seq=1 Time to live exceeded');
    r = await out(s, 'ping -c 1 -W 2 10.2.0.1');
    expect(r.output).toContain('From 10.0.0.1 icmp_seq=1 Destination Net Unreachable');
    r = await out(s, 'ip route del default');
    r = await out(s, 'ping -c 1 10.2.0.1');
    expect(r).toEqual({ output: 'ping: connect: Network is unreachable\n', exitCode: 2 });
  });

  it('a FORWARD DROP rule stops forwarded traffic and counts it; REJECT answers', async () => {
    const s = await session([...GW, 'ip netns add far', 'ip -n gw link set eth1-peer netns far', 'ip -n far addr add 10.1.0.2/24 dev eth1-peer', 'ip -n far link set eth1-peer up', 'ip -n far route add default via 10.1.0.1']);
    let r = await out(s, 'ping -c 1 10.1.0.2');
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain('ttl=63');
    await out(s, 'ip netns exec gw iptables -A FORWARD -d 10.1.0.2 -j REJECT');
    r = await out(s, 'ping -c 1 -W 1 10.1.0.2');
    expect(r.output).toContain('From 10.0.0.1 icmp_seq=1 Destination Port Unreachable');
    r = await out(s, 'ip netns exec gw iptables -L FORWARD -n -v -x');
    expect(r.output).toMatch(/^ +1 +84 REJECT/m);
  });
});

describe('loopback and counters', () => {
  it('counts each loopback packet once in both directions', async () => {
    const s = await session(['ip link set lo up']);
    await out(s, 'ping -c 2 127.0.0.1');
    const lo = s.world.ns(s.world.host(s.host).rootNs).links[0]!;
    expect([lo.stats.rxPackets, lo.stats.rxBytes, lo.stats.txPackets, lo.stats.txBytes]).toEqual([4, 336, 4, 336]);
  });

  it('bridges learn the MACs of their ports when the links come up', async () => {
    const s = await session(NAT_LAB);
    const ns = s.world.ns(s.world.host(s.host).rootNs);
    const br = ns.links.find((l) => l.name === 'v-net-0')!;
    const blueLink = s.world.ns(s.world.host(s.host).netns.blue!).links.find((l) => l.name === 'veth-blue')!;
    expect(br.bridge!.fdb.some((e) => e.mac === blueLink.mac)).toBe(true);
  });
});

describe('determinism', () => {
  it('the same seed gives the same times, the same ids and the same world', async () => {
    const run = async (): Promise<[string, string]> => {
      const s = await session(NAT_LAB, 42);
      await out(s, 'sysctl -w net.ipv4.ip_forward=1');
      await out(s, 'iptables -t nat -A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE');
      const r = await out(s, 'ip netns exec blue ping -c 3 192.168.1.3');
      return [r.output, s.world.snapshot()];
    };
    const [a, b] = await Promise.all([run(), run()]);
    expect(a[0]).toBe(b[0]);
    expect(a[1]).toBe(b[1]);
  });
});

describe('iptables matches on the wire', () => {
  it('-m mac drops what comes from one MAC, -m limit lets a burst through, NOTRACK keeps conntrack out', async () => {
    const s = await session(NAT_LAB);
    const mac = /link\/ether (\S+)/.exec((await out(s, 'ip -n lan link show eth0')).output)![1]!;
    await out(s, `iptables -A INPUT -m mac --mac-source ${mac.toUpperCase()} -j DROP`);
    let r = await out(s, 'ip netns exec lan ping -c 1 -W 1 192.168.1.2');
    expect(r.output).toContain('1 packets transmitted, 0 received, 100% packet loss');
    // blue comes through the bridge with another MAC
    r = await out(s, 'ip netns exec blue ping -c 1 -W 1 192.168.15.1');
    expect(r.output).toContain('1 packets transmitted, 1 received');
    await out(s, 'iptables -F INPUT');
    await out(s, 'iptables -A INPUT -p icmp -m limit --limit 1/min --limit-burst 2 -j ACCEPT');
    await out(s, 'iptables -A INPUT -p icmp -j DROP');
    r = await out(s, 'ip netns exec lan ping -c 4 -i 0.2 -W 1 192.168.1.2');
    expect(r.output).toContain('4 packets transmitted, 2 received, 50% packet loss');
    await out(s, 'iptables -F INPUT');
    // let the connections of the pings above expire
    s.world.advance(120_000);
    const tracked = () => ctTable(s.world, s.world.ns(s.world.host(s.host).rootNs)).filter((e) => e.orig.src === '192.168.1.3').length;
    expect(tracked()).toBe(0);
    await out(s, 'iptables -t raw -A PREROUTING -p icmp -j NOTRACK');
    await out(s, 'iptables -A INPUT -m conntrack --ctstate UNTRACKED -j ACCEPT');
    r = await out(s, 'ip netns exec lan ping -c 1 -W 1 192.168.1.2');
    expect(r.output).toContain('1 packets transmitted, 1 received');
    expect((await out(s, 'iptables -L INPUT -v -n')).output).toMatch(/^\s+1\s+84 ACCEPT .* ctstate UNTRACKED$/m);
    // the echo request made no connection (the reply, sent untracked-free from OUTPUT, makes one of its own)
    expect(tracked()).toBe(0);
  });
});

describe('broadcast pings', () => {
  const LAN = [
    'ip link set lo up',
    'ip netns add a',
    'ip link add br0 type bridge',
    'ip link set br0 up',
    'ip addr add 10.9.0.1/24 dev br0',
    'ip link add va type veth peer name va-br',
    'ip link set va netns a',
    'ip link set va-br master br0',
    'ip link set va-br up',
    'ip -n a addr add 10.9.0.2/24 dev va',
    'ip -n a link set va up',
  ];

  it('hosts ignore them by default; with icmp_echo_ignore_broadcasts=0 this host and its neighbours answer, counted as duplicates', async () => {
    const s = await session(LAN);
    expect(await out(s, 'ping -c 1 10.9.0.255')).toEqual({ output: 'ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n', exitCode: 2 });
    let r = await out(s, 'ping -c 2 -b 10.9.0.255');
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/^WARNING: pinging broadcast address\nPING 10\.9\.0\.255 \(10\.9\.0\.255\) 56\(84\) bytes of data\.\n\n/);
    expect(r.output).toContain('2 packets transmitted, 0 received, 100% packet loss');
    await out(s, 'sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0');
    await out(s, 'ip netns exec a sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0');
    r = await out(s, 'ping -c 2 -b 10.9.0.255');
    expect(r.exitCode).toBe(0);
    const replies = r.output.split('\n').filter((l) => l.includes('bytes from'));
    // the looped-back copy answers first, then the neighbour; no "(DUP!)" mark under -b
    expect(replies.slice(0, 2).map((l) => l.replace(/ time=.*/, ''))).toEqual(['64 bytes from 10.9.0.1: icmp_seq=1 ttl=64', '64 bytes from 10.9.0.2: icmp_seq=1 ttl=64']);
    expect(r.output).toMatch(/2 packets transmitted, 2 received, \+\d duplicates, 0% packet loss/);
    // and from the neighbour's side too
    expect((await out(s, 'ip netns exec a ping -c 1 -b 10.9.0.255')).output).toMatch(/64 bytes from 10\.9\.0\.(1|2): icmp_seq=1/);
  });
});

describe('icmpErrno (icmp_err_convert)', () => {
  it('maps prohibited codes as the kernel does', async () => {
    const { icmpErrno, ICMP_DEST_UNREACH } = await import('./packet');
    expect(icmpErrno(ICMP_DEST_UNREACH, 0)).toBe('ENETUNREACH');
    expect(icmpErrno(ICMP_DEST_UNREACH, 1)).toBe('EHOSTUNREACH');
    expect(icmpErrno(ICMP_DEST_UNREACH, 3)).toBe('ECONNREFUSED');
    expect(icmpErrno(ICMP_DEST_UNREACH, 9)).toBe('ENETUNREACH'); // net prohibited
    expect(icmpErrno(ICMP_DEST_UNREACH, 10)).toBe('EHOSTUNREACH'); // host prohibited: 'No route to host'
    expect(icmpErrno(ICMP_DEST_UNREACH, 13)).toBe('EHOSTUNREACH'); // administratively filtered
  });
});
