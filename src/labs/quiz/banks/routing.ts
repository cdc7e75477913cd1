// Chapter 4: Prerequisites, routing.
import { defineBank } from '../types';
import { fail, lookupRoute, pass, rootNs, sysctl } from '../predicates';

export default defineBank({
  chapter: 'routing',
  title: 'Prerequisites: routing',
  questions: [
    {
      kind: 'single',
      id: 'gateway',
      prompt: 'In `ip route add 192.165.2.0/24 via 192.165.1.1`, what is `192.165.1.1`?',
      options: [
        { id: 'gw', text: 'The gateway: the router\'s address on A\'s own network, to which A hands packets for 192.165.2.0/24' },
        { id: 'dst', text: 'The address of the destination host', feedback: 'The destination is the network 192.165.2.0/24; `via` names the next hop.' },
        { id: 'src', text: 'The source address A will use', feedback: 'The source would be given with `src`.' },
        { id: 'dns', text: 'The DNS server for that network', feedback: 'Routes know nothing of DNS.' },
      ],
      answer: 'gw',
      explanation: '`via` names the next hop. A sends packets for 192.165.2.0/24 in frames addressed to the router\'s MAC (found with ARP for 192.165.1.1), and the router passes them on. So the gateway must be reachable directly: on one of A\'s connected networks.',
    },
    {
      kind: 'text',
      id: 'default-destination',
      prompt: 'In the output of `route -n`, what is written in the Destination column of the default route?',
      normalise: { case: 'insensitive', spaces: 'remove' },
      accept: ['0.0.0.0'],
      acceptPatterns: ['0\\.0\\.0\\.0/0'],
      wrong: [{ answer: 'default', feedback: '`ip route` and `route` without `-n` print "default"; `route -n` prints numbers.' }],
      explanation: 'The default route matches every destination: network 0.0.0.0 with netmask 0.0.0.0 (0.0.0.0/0). `route -n` prints it as `0.0.0.0  192.165.1.1  0.0.0.0  UG`; `ip route` prints `default via 192.165.1.1 dev eth0`.',
    },
    {
      kind: 'single',
      id: 'longest-prefix',
      prompt: 'A host has `default via 10.0.0.1` and `10.1.0.0/16 via 10.0.0.2`. Which gateway does a packet to `10.1.2.3` take?',
      options: [
        { id: 'specific', text: '`10.0.0.2`: the most specific matching route wins' },
        { id: 'default', text: '`10.0.0.1`: the default route always wins', feedback: 'The default route is the least specific (/0): it is used only when nothing else matches.' },
        { id: 'first', text: 'Whichever route was added first', feedback: 'Order of insertion does not matter; prefix length does.' },
        { id: 'both', text: 'Both, alternately', feedback: 'That would need a multipath route.' },
      ],
      answer: 'specific',
      explanation: 'The kernel picks the matching route with the longest prefix: /16 beats /0. Only between routes of equal length do metrics decide. `ip route get 10.1.2.3` shows the route chosen.',
    },
    {
      kind: 'text',
      id: 'forward-sysctl',
      prompt: 'Which sysctl must be 1 for a Linux host to forward IPv4 packets between its interfaces? (Give its name.)',
      normalise: { case: 'insensitive', spaces: 'remove' },
      accept: ['net.ipv4.ip_forward'],
      acceptPatterns: ['(/proc/sys/)?net/ipv4/ip_forward', 'net\\.ipv4\\.conf\\.all\\.forwarding'],
      placeholder: 'net.…',
      explanation: '`net.ipv4.ip_forward` (the file `/proc/sys/net/ipv4/ip_forward`) is 0 by default: a Linux host drops packets that are not addressed to it. Set it with `sysctl -w net.ipv4.ip_forward=1` or `echo 1 > /proc/sys/net/ipv4/ip_forward`; make it permanent in `/etc/sysctl.conf` or `/etc/sysctl.d/`, applied by `sysctl --system`.',
    },
    {
      kind: 'multiple',
      id: 'a-to-c',
      prompt: 'A (192.165.1.10/24) and C (192.165.2.10/24) sit on two networks joined by a Linux router (192.165.1.1 and 192.165.2.1). What must be done for A to ping C? Select all that apply.',
      options: [
        { id: 'route-a', text: 'On A: a route to 192.165.2.0/24 via 192.165.1.1 (or a default route)' },
        { id: 'route-c', text: 'On C: a route back to 192.165.1.0/24 via 192.165.2.1 (or a default route)' },
        { id: 'forward', text: 'On the router: `net.ipv4.ip_forward=1`' },
        { id: 'route-router', text: 'On the router: routes to both networks', feedback: 'The router has an address in both networks, so it already has connected routes to them.' },
        { id: 'arp', text: 'On A: a static ARP entry for C', feedback: 'C is not on A\'s network: A never ARPs for C, only for the gateway.' },
      ],
      answers: ['route-a', 'route-c', 'forward'],
      explanation: 'Both directions need a route: the echo request travels A to router to C, and the reply C to router to A, so C needs a way back. The router already knows both networks (connected routes), but drops transit packets until `ip_forward` is 1.',
    },
    {
      kind: 'single',
      id: 'invalid-gateway',
      prompt: 'On A, `ip route add 192.165.2.0/24 via 192.165.2.1` fails with `Error: Nexthop has invalid gateway.` Why?',
      options: [
        { id: 'not-connected', text: '192.165.2.1 is not on any network A is connected to, so A cannot reach the gateway itself' },
        { id: 'exists', text: 'The route already exists', feedback: 'That error reads `RTNETLINK answers: File exists`.' },
        { id: 'down', text: 'The router is switched off', feedback: 'The kernel does not contact the gateway when you add a route; it checks only that it is on a connected network.' },
        { id: 'syntax', text: 'The syntax is wrong: it should be `gw`', feedback: '`gw` is the `route` command\'s keyword; `ip route` uses `via`.' },
      ],
      answer: 'not-connected',
      explanation: 'A next hop must be directly reachable: the kernel needs a connected route to it. A only has 192.165.1.0/24, so the gateway must be the router\'s address on that side, 192.165.1.1.',
    },
    {
      kind: 'single',
      id: 'forward-security',
      prompt: 'A host has one interface on the internet and one on a private network. Why think twice before setting `ip_forward=1` on it?',
      options: [
        { id: 'exposes', text: 'It will route packets between the two, so the private network may become reachable from outside' },
        { id: 'slow', text: 'Forwarding makes every connection slower', feedback: 'Forwarding costs little; the concern is what it allows.' },
        { id: 'dns', text: 'It disables the DNS resolver', feedback: 'Forwarding has nothing to do with name resolution.' },
        { id: 'nothing', text: 'No reason: it only affects the host\'s own traffic', feedback: 'It affects only traffic that is not the host\'s own.' },
      ],
      answer: 'exposes',
      explanation: 'With forwarding on, the host routes any packet it receives for another network. Without firewall rules (a FORWARD policy of DROP and explicit ACCEPTs), a machine on the public side that routes to it can reach the private network.',
    },
    {
      kind: 'text',
      id: 'gateway-flag',
      prompt: 'In `route -n` output, which flag letter marks a route that goes through a gateway?',
      normalise: { case: 'sensitive', spaces: 'remove', quotes: true },
      accept: ['G'],
      wrong: [{ answer: 'U', feedback: 'U means the route is up; G means it uses a gateway.' }, { answer: 'H', feedback: 'H marks a host route (a /32).' }],
      explanation: 'Flags: U (route is up), G (uses a gateway), H (target is a host). A default route via a router shows `UG`; a connected route only `U`.',
    },
    {
      kind: 'command',
      id: 'route-to-c',
      prompt: 'This terminal is host A. Give A a route to the network `192.165.2.0/24` through the router.',
      scenario: 'router-two-networks',
      host: 'A',
      solutions: [
        ['ip route add 192.165.2.0/24 via 192.165.1.1'],
        ['route add -net 192.165.2.0 netmask 255.255.255.0 gw 192.165.1.1'],
        ['ip route add default via 192.165.1.1'],
      ],
      wrong: [['ip route add 192.165.2.0/24 via 192.165.2.1'], ['ip route add 192.165.2.0/24 dev eth0'], ['ip route']],
      check: ({ world, host, runs }) => {
        const ns = rootNs(world, host);
        const r = lookupRoute(ns, '192.165.2.10');
        if (!r) return fail(runs, 'A still has no route to 192.165.2.0/24. The next hop is the router\'s address on A\'s side.');
        if (r.type !== 'unicast') return fail(runs, `The route A would use is a ${r.type} route: packets would be dropped.`);
        if (r.gateway !== '192.165.1.1')
          return fail(runs, r.gateway ? `A's route uses ${r.gateway} as gateway: it must be the router, 192.165.1.1.` : 'That route sends packets straight out of eth0, as if C were on A\'s network: A would ARP for C and get no answer. Add `via 192.165.1.1`.');
        return pass();
      },
      explanation: '`ip route add 192.165.2.0/24 via 192.165.1.1` (or, with net-tools, `route add -net 192.165.2.0 netmask 255.255.255.0 gw 192.165.1.1`) tells A to hand packets for that network to the router. A default route via 192.165.1.1 also covers it. The gateway must be on a network A is connected to.',
    },
    {
      kind: 'command',
      id: 'enable-forwarding',
      prompt: 'This terminal is the router. It has connected routes to both networks but drops packets passing through. Make it forward IPv4 packets.',
      scenario: 'router-two-networks',
      host: 'router',
      solutions: [['sysctl -w net.ipv4.ip_forward=1'], ['echo 1 > /proc/sys/net/ipv4/ip_forward'], ['sysctl net.ipv4.ip_forward=1']],
      wrong: [['sysctl net.ipv4.ip_forward'], ['echo "net.ipv4.ip_forward=1" >> /etc/sysctl.conf']],
      check: ({ world, host, runs }) => {
        const v = sysctl(rootNs(world, host), 'net.ipv4.ip_forward');
        if (v === '1') return pass();
        const wroteConf = runs.some((r) => /sysctl\.conf|sysctl\.d/.test(r.line));
        if (wroteConf) return fail(runs, 'A line in /etc/sysctl.conf takes effect at boot or after `sysctl --system` (or `sysctl -p`); the running kernel still has ip_forward = 0.');
        return fail(runs, `net.ipv4.ip_forward is still ${v ?? 'unset'}: set it to 1.`);
      },
      explanation: '`sysctl -w net.ipv4.ip_forward=1` (or writing 1 to `/proc/sys/net/ipv4/ip_forward`) turns forwarding on at once, until the next reboot. To keep it, add `net.ipv4.ip_forward=1` to `/etc/sysctl.conf` or a file in `/etc/sysctl.d/` and apply it with `sysctl --system`.',
    },
    {
      kind: 'command',
      id: 'route-back',
      prompt: 'This terminal is host C (`192.165.2.10/24`). Give C a default route through the router, so that replies can go back to A\'s network.',
      scenario: 'router-two-networks',
      host: 'C',
      solutions: [['ip route add default via 192.165.2.1'], ['route add default gw 192.165.2.1'], ['ip route add 0.0.0.0/0 via 192.165.2.1 dev eth0']],
      wrong: [['ip route add default via 192.165.1.1'], ['ip route add 192.165.1.0/24 via 192.165.2.1']],
      check: ({ world, host, runs }) => {
        const ns = rootNs(world, host);
        const def = ns?.routes.find((r) => r.family === 4 && r.table === 254 && r.dstLen === 0);
        if (!def) {
          const r = lookupRoute(ns, '192.165.1.10');
          if (r?.gateway === '192.165.2.1') return fail(runs, 'C can now reach 192.165.1.0/24, but the question asks for a default route (0.0.0.0/0).');
          return fail(runs, 'C has no default route yet: `ip route add default via GATEWAY`, where the gateway is the router\'s address on C\'s network.');
        }
        if (def.gateway !== '192.165.2.1') return fail(runs, `C's default route goes via ${def.gateway ?? 'no gateway'}; it must be the router's address on C's network, 192.165.2.1.`);
        return pass();
      },
      explanation: 'A default route (`default`, i.e. 0.0.0.0/0) catches every destination C has no better route for, including A\'s network. Its gateway is the router\'s address on C\'s side: `ip route add default via 192.165.2.1`, or `route add default gw 192.165.2.1`.',
    },
  ],
});
