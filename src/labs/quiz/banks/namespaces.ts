// Chapter 6: Network namespaces in Linux.
import { defineBank } from '../types';
import { prefixContains } from '../../../sim/ip';
import type { Netns } from '../../../sim/types';
import { dnatTo, fail, ipv4On, linkByIndex, linkByName, namedNs, pass, pings, reachableRules, rulePort, rootNs, sysctlValue, vethPeer } from '../predicates';

export default defineBank({
  chapter: 'namespaces',
  title: 'Network namespaces in Linux',
  questions: [
    {
      kind: 'single',
      id: 'new-namespace',
      prompt: 'Right after `ip netns add red`, what does `ip netns exec red ip link` show?',
      options: [
        { id: 'lo-down', text: 'Only `lo`, and it is DOWN' },
        { id: 'copy', text: 'A copy of the host\'s interfaces', feedback: 'A namespace starts empty: interfaces must be created in it or moved into it.' },
        { id: 'lo-up', text: 'Only `lo`, UP with 127.0.0.1', feedback: 'The loopback exists but is down until you bring it up.' },
        { id: 'nothing', text: 'Nothing at all', feedback: 'Every network namespace gets its own loopback interface.' },
      ],
      answer: 'lo-down',
      explanation: 'A new network namespace has its own, empty network stack: a loopback interface in state DOWN, no routes, no iptables rules. Bring `lo` up with `ip -n red link set lo up`; add interfaces by creating veth pairs and moving one end in.',
    },
    {
      kind: 'single',
      id: 'veth',
      prompt: 'What is a veth pair?',
      options: [
        { id: 'cable', text: 'Two virtual interfaces joined like a cable: what goes into one comes out of the other' },
        { id: 'bridge', text: 'A virtual switch with two ports', feedback: 'A virtual switch is a bridge; a veth pair is the cable you plug into it.' },
        { id: 'alias', text: 'Two names for one interface', feedback: 'They are two interfaces, often in different namespaces.' },
        { id: 'tunnel', text: 'An encrypted tunnel between two hosts', feedback: 'A veth pair never leaves the host.' },
      ],
      answer: 'cable',
      explanation: '`ip link add veth-red type veth peer name veth-blue` creates both ends at once. Move each end into a namespace (`ip link set veth-red netns red`) and you have a cable between them. Deleting either end deletes the pair.',
    },
    {
      kind: 'text',
      id: 'netns-exec',
      prompt: 'Complete the command so that `ip route` runs inside the namespace `blue`: `____ blue ip route`',
      normalise: { case: 'sensitive', spaces: 'collapse' },
      accept: ['ip netns exec'],
      acceptPatterns: ['(sudo )?ip netns exec'],
      wrong: [
        { answer: 'ip netns', feedback: 'Almost: `ip netns` alone lists namespaces; the subcommand that runs a program inside one is `exec`.' },
        { answer: 'ip -n', feedback: '`ip -n blue route` works, but `ip -n blue ip route` does not: `-n` is an option of ip itself, not a way to run another program.' },
      ],
      placeholder: 'the missing words',
      explanation: '`ip netns exec blue COMMAND` runs any command inside `blue`: `ip`, `ping`, `iptables`, `arp`, even a shell. For ip itself, `ip -n blue route` is a shorter equivalent.',
    },
    {
      kind: 'single',
      id: 'bridge-role',
      prompt: 'Four namespaces must all reach each other. Why use a bridge (`v-net-0`) rather than veth pairs between every two of them?',
      options: [
        { id: 'switch', text: 'The bridge is a virtual switch: each namespace needs one cable to it, instead of one to every other namespace' },
        { id: 'faster', text: 'Veth pairs cannot carry IP traffic', feedback: 'They carry it fine, as the two-namespace lab shows.' },
        { id: 'nat', text: 'The bridge performs NAT between the namespaces', feedback: 'A bridge switches frames; it does no NAT.' },
        { id: 'dns', text: 'The bridge gives the namespaces names', feedback: 'Bridges know nothing of names.' },
      ],
      answer: 'switch',
      explanation: 'A full mesh of n namespaces needs n(n-1)/2 veth pairs; with a bridge it needs n, one per namespace, with the `-br` end attached to the bridge (`ip link set veth-red-br master v-net-0`). Giving the bridge an address (`192.168.15.1/24`) also connects the host to that network.',
    },
    {
      kind: 'number',
      id: 'veth-count',
      prompt: 'Four namespaces are connected to one bridge, each with its own veth pair. How many veth interfaces exist in total?',
      answer: 8,
      wrong: [{ answer: 4, feedback: 'Four pairs: each pair is two interfaces, one in the namespace and one on the bridge.' }],
      explanation: 'One pair per namespace, and a pair is two interfaces: `veth-red` inside red and `veth-red-br` attached to the bridge, and so on: 4 x 2 = 8.',
    },
    {
      kind: 'single',
      id: 'masquerade-subnet',
      prompt: 'The namespaces use `192.168.15.0/24` and the host\'s LAN is `192.168.1.0/24`. Which rule lets the namespaces reach the LAN?',
      options: [
        { id: 'ns-subnet', text: '`iptables -t nat -A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE`' },
        { id: 'lan-subnet', text: '`iptables -t nat -A POSTROUTING -s 192.168.1.0/24 -j MASQUERADE`', feedback: 'The source to rewrite is the namespaces\' network: packets from 192.168.1.0/24 are the LAN\'s own.' },
        { id: 'book', text: '`iptables -t nat -A POSTROUTING -s 192.165.15.0/24 -j MASQUERADE`', feedback: 'That network is not the one the namespaces use: the rule would never match.' },
        { id: 'prerouting', text: '`iptables -t nat -A PREROUTING -s 192.168.15.0/24 -j MASQUERADE`', feedback: 'MASQUERADE rewrites the source on the way out: it belongs in POSTROUTING.' },
      ],
      answer: 'ns-subnet',
      explanation: 'MASQUERADE in POSTROUTING rewrites the source of packets leaving the host to the host\'s own address, so the LAN can reply. `-s` must match the namespaces\' subnet. The book uses one network for the addresses and another for the NAT rule, so its rule never matches.',
    },
    {
      kind: 'single',
      id: 'dnat-needs-proto',
      prompt: 'Why does `iptables -t nat -A PREROUTING --dport 80 --to-destination 192.168.15.3:80 -j DNAT` fail with `unknown option "--dport"`?',
      options: [
        { id: 'proto', text: '`--dport` belongs to the tcp/udp match, which only `-p tcp` (or `-p udp`) loads' },
        { id: 'order', text: '`-j DNAT` must come first', feedback: 'Order of options is free, except that a match\'s options must follow the match.' },
        { id: 'table', text: 'DNAT is only allowed in the filter table', feedback: 'DNAT lives in the nat table, PREROUTING or OUTPUT.' },
        { id: 'port', text: 'Port 80 is reserved', feedback: 'Nothing reserves port 80 from iptables.' },
      ],
      answer: 'proto',
      explanation: 'Ports only exist in TCP and UDP, so `--dport` is an option of the `tcp` or `udp` match module, loaded by `-p tcp` (or `-m tcp`). Write `iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.15.3:80`.',
    },
    {
      kind: 'multiple',
      id: 'reach-lan',
      prompt: 'Namespace red (192.168.15.2) must reach the LAN host 192.168.1.3 through the host (bridge address 192.168.15.1). What is needed? Select all that apply.',
      options: [
        { id: 'route', text: 'A route in red to 192.168.1.0/24 (or a default route) via 192.168.15.1' },
        { id: 'forward', text: '`net.ipv4.ip_forward=1` on the host' },
        { id: 'masq', text: 'A MASQUERADE rule on the host for 192.168.15.0/24' },
        { id: 'dnat', text: 'A DNAT rule on the host', feedback: 'DNAT serves traffic coming in to the namespaces (port forwarding), not going out.' },
        { id: 'lan-route', text: 'A route on the LAN host to 192.168.15.0/24', feedback: 'With MASQUERADE, the LAN host sees the host\'s own address and needs no route to the namespaces.' },
      ],
      answers: ['route', 'forward', 'masq'],
      explanation: 'Red needs a route through the host; the host must forward between v-net-0 and eth0; and, because the LAN has no route back to 192.168.15.0/24, the host rewrites the source with MASQUERADE so that replies come back to it.',
    },
    {
      kind: 'text',
      id: 'nat-table',
      prompt: 'In which iptables table do MASQUERADE and DNAT rules go?',
      normalise: { case: 'insensitive', spaces: 'remove' },
      accept: ['nat'],
      acceptPatterns: ['-tnat', 'thenattable', 'nattable'],
      wrong: [{ answer: 'filter', feedback: 'filter (the default table) decides ACCEPT or DROP; address rewriting happens in nat.' }],
      explanation: 'Address translation lives in the `nat` table, so these commands need `-t nat`: DNAT in PREROUTING (and OUTPUT for local traffic), MASQUERADE and SNAT in POSTROUTING. Without `-t`, iptables works on the `filter` table.',
    },
    {
      kind: 'command',
      id: 'veth-between',
      prompt: 'Create two namespaces, `red` and `blue`, and connect them with a veth pair whose end in red is called `veth-red` and whose end in blue is called `veth-blue`.',
      scenario: 'netns-lab',
      solutions: [
        ['ip netns add red', 'ip netns add blue', 'ip link add veth-red type veth peer name veth-blue', 'ip link set veth-red netns red', 'ip link set veth-blue netns blue'],
        ['ip netns add red', 'ip netns add blue', 'ip link add veth-red netns red type veth peer name veth-blue netns blue'],
      ],
      wrong: [['ip netns add red', 'ip netns add blue', 'ip link add veth-red type veth peer name veth-blue'], ['ip netns add red', 'ip netns add blue']],
      check: ({ world, host, runs }) => {
        const red = namedNs(world, host, 'red');
        const blue = namedNs(world, host, 'blue');
        if (!red || !blue) return fail(runs, `Namespace ${!red ? 'red' : 'blue'} does not exist yet: \`ip netns add ${!red ? 'red' : 'blue'}\`.`);
        const vr = linkByName(red, 'veth-red');
        if (!vr) {
          const onHost = linkByName(rootNs(world, host), 'veth-red');
          return fail(runs, onHost ? '`veth-red` exists but is still in the host\'s namespace: move it with `ip link set veth-red netns red`.' : 'There is no `veth-red` in namespace red.');
        }
        const peer = vethPeer(world, vr);
        if (!peer) return fail(runs, '`veth-red` is not a veth interface.');
        if (peer.ns.id !== blue.id) return fail(runs, `The other end of veth-red (${peer.link.name}) is not in namespace blue: \`ip link set ${peer.link.name} netns blue\`.`);
        if (peer.link.name !== 'veth-blue') return fail(runs, `The other end of veth-red is called ${peer.link.name}, not veth-blue.`);
        return pass();
      },
      explanation: 'Create the namespaces, then the pair (`ip link add veth-red type veth peer name veth-blue`), then move each end into its namespace with `ip link set ... netns ...`. ip can also create each end directly in its namespace: `ip link add veth-red netns red type veth peer name veth-blue netns blue`. The ends still need addresses and `up` to carry traffic.',
    },
    {
      kind: 'command',
      id: 'plug-into-bridge',
      prompt: 'Build the start of the book\'s network: a bridge `v-net-0` with address `192.168.15.1/24`, up; a namespace `red` whose interface `veth-red` has `192.168.15.2/24` and is up; and the other end of red\'s veth pair attached to `v-net-0` and up.',
      scenario: 'netns-lab',
      solutions: [
        [
          'ip link add v-net-0 type bridge',
          'ip link set dev v-net-0 up',
          'ip addr add 192.168.15.1/24 dev v-net-0',
          'ip netns add red',
          'ip link add veth-red type veth peer name veth-red-br',
          'ip link set veth-red netns red',
          'ip link set veth-red-br master v-net-0',
          'ip link set veth-red-br up',
          'ip -n red addr add 192.168.15.2/24 dev veth-red',
          'ip -n red link set veth-red up',
        ],
        [
          'ip netns add red',
          'ip link add name v-net-0 type bridge && ip address add 192.168.15.1/24 dev v-net-0 && ip link set v-net-0 up',
          'ip link add veth-red netns red type veth peer name br-red',
          'ip link set br-red master v-net-0 up',
          'ip netns exec red ip addr add 192.168.15.2/24 dev veth-red',
          'ip netns exec red ip link set veth-red up',
        ],
      ],
      wrong: [
        [
          'ip link add v-net-0 type bridge',
          'ip link set dev v-net-0 up',
          'ip addr add 192.168.15.1/24 dev v-net-0',
          'ip netns add red',
          'ip link add veth-red type veth peer name veth-red-br',
          'ip link set veth-red netns red',
          'ip -n red addr add 192.168.15.2/24 dev veth-red',
          'ip -n red link set veth-red up',
        ],
      ],
      check: ({ world, host, runs }) => {
        const root = rootNs(world, host);
        const br = linkByName(root, 'v-net-0');
        if (!br || br.kind !== 'bridge') return fail(runs, 'There is no bridge `v-net-0` on the host: `ip link add v-net-0 type bridge`.');
        if (!br.adminUp) return fail(runs, 'The bridge v-net-0 is DOWN: `ip link set v-net-0 up`.');
        if (!ipv4On(root, br).some((a) => a.local === '192.168.15.1' && a.prefixlen === 24)) return fail(runs, 'v-net-0 needs the address 192.168.15.1/24.');
        const red = namedNs(world, host, 'red');
        if (!red) return fail(runs, 'Namespace red does not exist yet.');
        const vr = linkByName(red, 'veth-red');
        if (!vr) return fail(runs, 'Namespace red has no interface `veth-red`.');
        if (!ipv4On(red, vr).some((a) => a.local === '192.168.15.2' && a.prefixlen === 24)) return fail(runs, '`veth-red` (inside red) needs 192.168.15.2/24: `ip -n red addr add 192.168.15.2/24 dev veth-red`.');
        if (!vr.adminUp) return fail(runs, '`veth-red` is DOWN inside red: `ip -n red link set veth-red up`.');
        const peer = vethPeer(world, vr);
        if (!peer || peer.ns.id !== root?.id) return fail(runs, 'The other end of veth-red must stay on the host, to be attached to the bridge.');
        if (peer.link.master !== br.ifindex) {
          const m = linkByIndex(root, peer.link.master ?? -1);
          return fail(runs, m ? `${peer.link.name} is attached to ${m.name}, not v-net-0.` : `The host end of the pair, ${peer.link.name}, is not attached to the bridge: \`ip link set ${peer.link.name} master v-net-0\`.`);
        }
        if (!peer.link.adminUp) return fail(runs, `${peer.link.name} is attached but DOWN: \`ip link set ${peer.link.name} up\`.`);
        return pass();
      },
      explanation: 'The bridge is a switch inside the host; its address makes the host a member of 192.168.15.0/24 (and later the namespaces\' gateway). Each namespace gets a veth pair: one end inside with the namespace\'s address, the other attached to the bridge with `master v-net-0`. Every interface must be up: the bridge, both ends of the pair.',
    },
    {
      kind: 'command',
      id: 'port-forward',
      prompt: 'The namespace network is complete, and blue\'s web server (port 80) is already published on the host\'s port 80. Publish it on the host\'s TCP port 8080 too: connections to the host\'s port 8080 must reach port 80 in blue.',
      scenario: 'netns-lab-solved',
      solutions: [
        ['iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 192.168.15.3:80'],
        ['iptables -t nat -I PREROUTING -i eth0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.168.15.3:80'],
      ],
      wrong: [
        ['iptables -t nat -A PREROUTING --dport 8080 --to-destination 192.168.15.3:80 -j DNAT'],
        ['iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 192.168.15.3'],
        ['iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 192.168.15.2:80'],
      ],
      check: ({ world, host, runs }) => {
        const blue = namedNs(world, host, 'blue');
        const blueIps = blue ? blue.addrs.filter((a) => a.family === 4 && !a.local.startsWith('127.')).map((a) => a.local) : [];
        const rules = reachableRules(rootNs(world, host), 'nat', 'PREROUTING');
        const for8080 = rules.filter((r) => r.target === 'DNAT' && rulePort(r) === '8080');
        if (for8080.length === 0) return fail(runs, 'The host\'s nat PREROUTING chain has no DNAT rule for TCP port 8080 yet.');
        const good = for8080.find((r) => {
          const [ip, port] = (dnatTo(r) ?? '').split(':');
          return blueIps.includes(ip ?? '') && port === '80' && (r.protocol === 'tcp' || r.protocol === '6') && !r.protocolInvert;
        });
        if (good) return pass();
        const to = dnatTo(for8080[0]!) ?? '';
        const [ip, port] = to.split(':');
        if (!blueIps.includes(ip ?? '')) return fail(runs, `That DNAT rule sends traffic to ${ip}, which is not the blue namespace (${blueIps.join(', ')}).`);
        if (port !== '80') return fail(runs, `Without a port (or with ${port ?? 'none'}), DNAT keeps the original port 8080, where blue has no server: write \`--to-destination ${ip}:80\`.`);
        return fail(runs, 'The DNAT rule must match TCP (`-p tcp --dport 8080`).');
      },
      explanation: 'Port forwarding is DNAT in the nat table\'s PREROUTING chain, where packets arrive: `iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 192.168.15.3:80`. `-p tcp` must come before `--dport`, and the port after the address changes 8080 into 80 (without it, DNAT keeps 8080). Adding `-i eth0` limits the rule to traffic from the LAN.',
    },
    {
      kind: 'command',
      id: 'ipv6-router',
      prompt:
        'Beyond the book, in the IPv6 namespace lab: make the host an IPv6 router so that blue (`fd00:15::3`) reaches the LAN host `lan` (`fd00:1::3`) over IPv6, without NAT. ' +
        'The terminal is on the host; `ssh lan COMMAND` runs a command on the LAN host.',
      scenario: 'netns-lab-ipv6',
      solutions: [
        ['sysctl -w net.ipv6.conf.all.forwarding=1', 'ip -n blue -6 route add default via fd00:15::1', 'ssh lan ip -6 route add fd00:15::/64 via fd00:1::2'],
        ['echo 1 > /proc/sys/net/ipv6/conf/all/forwarding', 'ip netns exec blue ip route add fd00:1::/64 via fd00:15::1', 'ssh lan ip route add fd00:15::3/128 via fd00:1::2 dev eth0'],
      ],
      wrong: [
        ['sysctl -w net.ipv4.ip_forward=1', 'ip -n blue -6 route add default via fd00:15::1', 'ssh lan ip -6 route add fd00:15::/64 via fd00:1::2'],
        ['sysctl -w net.ipv6.conf.all.forwarding=1', 'ip -n blue -6 route add default via fd00:15::1'],
        ['sysctl -w net.ipv6.conf.all.forwarding=1', 'ssh lan ip -6 route add fd00:15::/64 via fd00:1::2'],
      ],
      check: async (ctx) => {
        const { world, host, runs } = ctx;
        if ((await pings(ctx, 'blue', 'fd00:1::3')) === true) return pass();
        const routes = (ns: Netns | null, dst: string) => (ns?.routes ?? []).some((r) => r.family === 6 && r.type === 'unicast' && (r.dstLen === 0 || prefixContains(r.dst, r.dstLen, dst, 6)));
        if (!routes(namedNs(world, host, 'blue'), 'fd00:1::3')) return fail(runs, 'Blue has no IPv6 route to `fd00:1::3`: give it a default route (or one to `fd00:1::/64`) via the bridge\'s address `fd00:15::1`.');
        if (sysctlValue(world, host, null, 'net.ipv6.conf.all.forwarding') !== '1') return fail(runs, 'The host does not forward IPv6 packets: `net.ipv6.conf.all.forwarding` must be 1 (`net.ipv4.ip_forward` is for IPv4 only).');
        if (!routes(rootNs(world, 'lan'), 'fd00:15::3')) return fail(runs, 'The LAN host gets blue\'s request but cannot answer: it has no route to `fd00:15::/64`. Add one via the host\'s `eth0` address, `fd00:1::2`.');
        return fail(runs, '`fd00:1::3` still does not answer ping from blue.');
      },
      explanation:
        'Three pieces, as for IPv4 without NAT: a route in blue through the bridge\'s address (`ip -n blue -6 route add default via fd00:15::1`), IPv6 forwarding on the host (`sysctl -w net.ipv6.conf.all.forwarding=1`: the IPv4 sysctl does not cover IPv6), ' +
        'and a route back on the LAN host (`ip -6 route add fd00:15::/64 via fd00:1::2`), since nothing rewrites blue\'s source address.',
    },
  ],
});
