import { describe, expect, it } from 'vitest';
import { Session } from '../shell/session';
import { getScenario } from '../labs/scenarios';

// two nodes wired as flannel's vxlan backend does (see fixture 82)
const SETUP = `ip netns add n1
ip netns add n2
ip netns add p1
ip netns add p2
ip link add eth0 netns n1 type veth peer name eth0 netns n2
ip -n n1 addr add 192.168.56.10/24 dev eth0
ip -n n2 addr add 192.168.56.11/24 dev eth0
ip -n n1 link set eth0 up
ip -n n2 link set eth0 up
ip netns exec n1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec n2 sysctl -qw net.ipv4.ip_forward=1
ip -n n1 link add flannel.1 address 6a:56:0f:ee:1b:32 type vxlan id 1 local 192.168.56.10 dev eth0 dstport 8472 nolearning
ip -n n2 link add flannel.1 address 8e:11:4d:52:9c:07 type vxlan id 1 local 192.168.56.11 dev eth0 dstport 8472 nolearning
ip -n n1 addr add 10.244.0.0/32 dev flannel.1
ip -n n2 addr add 10.244.1.0/32 dev flannel.1
ip -n n1 link set flannel.1 up
ip -n n2 link set flannel.1 up
ip -n n1 route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink
ip -n n2 route add 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink
ip -n n1 neigh add 10.244.1.0 lladdr 8e:11:4d:52:9c:07 dev flannel.1 nud permanent
ip -n n2 neigh add 10.244.0.0 lladdr 6a:56:0f:ee:1b:32 dev flannel.1 nud permanent
bridge -n n1 fdb append 8e:11:4d:52:9c:07 dev flannel.1 dst 192.168.56.11 self permanent
bridge -n n2 fdb append 6a:56:0f:ee:1b:32 dev flannel.1 dst 192.168.56.10 self permanent
ip -n n1 link add cni0 type bridge
ip -n n2 link add cni0 type bridge
ip -n n1 addr add 10.244.0.1/24 dev cni0
ip -n n2 addr add 10.244.1.1/24 dev cni0
ip -n n1 link set cni0 up
ip -n n2 link set cni0 up
ip link add vethaaaa netns n1 mtu 1450 type veth peer name eth0 netns p1 mtu 1450
ip link add vethbbbb netns n2 mtu 1450 type veth peer name eth0 netns p2 mtu 1450
ip -n n1 link set vethaaaa master cni0
ip -n n2 link set vethbbbb master cni0
ip -n n1 link set vethaaaa up
ip -n n2 link set vethbbbb up
ip -n p1 addr add 10.244.0.2/24 dev eth0
ip -n p2 addr add 10.244.1.2/24 dev eth0
ip -n p1 link set eth0 up
ip -n p2 link set eth0 up
ip -n p1 route add default via 10.244.0.1
ip -n p2 route add default via 10.244.1.1`;

async function overlay(): Promise<Session> {
  const s = await Session.create({ scenario: getScenario('corpus'), seed: 5, columns: 80 });
  for (const l of SETUP.split('\n')) {
    const r = await s.run(l, { fresh: true, noHistory: true });
    expect(r.exitCode, `${l}: ${r.output}`).toBe(0);
  }
  return s;
}

const run = (s: Session, l: string) => s.run(l, { fresh: true, noHistory: true });
const counters = async (s: Session, ns: string, dev: string) => {
  const out = (await run(s, `ip -n ${ns} -s link show ${dev}`)).output.split('\n');
  const rx = out[3]!.trim().split(/\s+/).map(Number);
  const tx = out[5]!.trim().split(/\s+/).map(Number);
  return { rxBytes: rx[0]!, rxPackets: rx[1]!, txBytes: tx[0]!, txPackets: tx[1]!, txDropped: tx[3]! };
};

describe('vxlan', () => {
  it('carries pod traffic across the underlay: ttl 62, the underlay counts the outer packets (+50 bytes), the device the inner ones', async () => {
    const s = await overlay();
    // a first ping resolves the underlay neighbour (one ARP exchange on eth0)
    await run(s, 'ip netns exec p1 ping -c 1 10.244.1.2');
    const u0 = await counters(s, 'n1', 'eth0');
    const v0 = await counters(s, 'n1', 'flannel.1');
    const r = await run(s, 'ip netns exec p1 ping -c 1 10.244.1.2');
    expect(r.output).toContain('64 bytes from 10.244.1.2: icmp_seq=1 ttl=62');
    const u1 = await counters(s, 'n1', 'eth0');
    const v1 = await counters(s, 'n1', 'flannel.1');
    expect([v1.txPackets - v0.txPackets, v1.txBytes - v0.txBytes, v1.rxBytes - v0.rxBytes]).toEqual([1, 84, 84]);
    // outer: 84 + 50 (IP, UDP, VXLAN, inner Ethernet) + 14 (the underlay's own Ethernet header)
    expect([u1.txPackets - u0.txPackets, u1.txBytes - u0.txBytes]).toEqual([1, 148]);
    const tr = (await run(s, 'ip netns exec p1 traceroute -n -q 1 -w 1 10.244.1.2')).output;
    expect(tr.split('\n').slice(1, 4).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual(['1 10.244.0.1', '2 10.244.1.0', '3 10.244.1.2']);
  });

  it('drops a frame its FDB has no destination for (tx dropped), and holds the kernel UDP socket while up', async () => {
    const s = await overlay();
    expect((await run(s, 'ip netns exec n1 ss -uan')).output).toMatch(/UNCONN\s+0\s+0\s+0\.0\.0\.0:8472\s+0\.0\.0\.0:\*/);
    expect((await run(s, 'bridge -n n1 fdb del 8e:11:4d:52:9c:07 dev flannel.1 dst 192.168.56.11')).exitCode).toBe(0);
    const before = await counters(s, 'n1', 'flannel.1');
    expect((await run(s, 'ip netns exec p1 ping -c 1 -W 1 10.244.1.2')).output).toContain('100% packet loss');
    const after = await counters(s, 'n1', 'flannel.1');
    expect([after.txPackets - before.txPackets, after.txDropped - before.txDropped]).toEqual([0, 1]);
    expect((await run(s, 'ip -n n1 link set flannel.1 down')).exitCode).toBe(0);
    expect((await run(s, 'ip netns exec n1 ss -uan')).output).not.toContain(':8472');
  });

  it('ip link add: errors as iproute2 6.1 prints them', async () => {
    const s = await Session.create({ scenario: getScenario('corpus'), seed: 1, columns: 80 });
    expect(await run(s, 'ip link add x type vxlan')).toEqual({ output: 'Error: Required attributes not provided to perform the operation.\n', exitCode: 2 });
    expect(await run(s, 'ip link add x type vxlan id 99999999 dstport 8472')).toEqual({ output: 'Error: argument "99999999" is wrong: invalid id\n', exitCode: 255 });
    expect(await run(s, 'ip link add x type vxlan id 1 dstport 8472 dev nosuch')).toEqual({ output: 'Cannot find device "nosuch"\n', exitCode: 255 });
    expect((await run(s, 'ip link add x type vxlan id 1 dstport 8472 bogus')).output).toMatch(/^vxlan: unknown command "bogus"\?\nUsage: \.\.\. vxlan id VNI\n/);
    const r = await run(s, 'ip link add x type vxlan id 1');
    expect(r).toEqual({ output: "vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\nUse 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n", exitCode: 0 });
    expect((await run(s, 'ip -d link show x')).output.split('\n')[2]).toBe(
      '    vxlan id 1 srcport 0 0 dstport 8472 ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 ',
    );
  });
});
