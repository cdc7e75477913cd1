// Chapter 3: Prerequisites, switching.
import { defineBank } from '../types';
import { fail, ipv4On, linkByName, pass, rootNs } from '../predicates';

export default defineBank({
  chapter: 'switching',
  title: 'Prerequisites: switching',
  questions: [
    {
      kind: 'single',
      id: 'switch-forwards-by',
      prompt: 'What does a switch look at to decide which port a frame goes out of?',
      options: [
        { id: 'dst-mac', text: 'The destination MAC address in the Ethernet header' },
        { id: 'dst-ip', text: 'The destination IP address', feedback: 'That is what a router looks at. A switch never reads the IP header.' },
        { id: 'src-mac', text: 'The source MAC address', feedback: 'The source MAC is what the switch learns from (which MAC is behind which port); it forwards by the destination.' },
        { id: 'port', text: 'The TCP or UDP port number', feedback: 'Ports belong to transport protocols, two layers above the switch.' },
      ],
      answer: 'dst-mac',
      explanation: 'A switch learns which MAC address sits behind each port from the source addresses of the frames it receives, and forwards each frame by its destination MAC. Frames to an unknown MAC, and broadcasts such as ARP requests, go out of every port.',
    },
    {
      kind: 'multiple',
      id: 'private-ranges',
      prompt: 'Which of these ranges are private address space (RFC 1918)? Select all that apply.',
      options: [
        { id: 'ten', text: '`10.0.0.0/8`' },
        { id: 'one-seven-two', text: '`172.16.0.0/12`' },
        { id: 'one-nine-two-168', text: '`192.168.0.0/16`' },
        { id: 'one-nine-two-165', text: '`192.165.0.0/16`', feedback: '192.165.x.x is ordinary public address space: the book uses it as an example network, which is fine on paper but not on a real network.' },
        { id: 'one-seven-two-32', text: '`172.32.0.0/16`', feedback: '172.16.0.0/12 ends at 172.31.255.255: 172.32 is public.' },
      ],
      answers: ['ten', 'one-seven-two', 'one-nine-two-168'],
      explanation: 'RFC 1918 reserves exactly three ranges: 10.0.0.0/8, 172.16.0.0/12 (172.16.0.0 to 172.31.255.255) and 192.168.0.0/16. The book\'s example network 192.165.1.0/24 is public space: fine in a simulation, wrong on a real network.',
    },
    {
      kind: 'text',
      id: 'arp',
      prompt: 'Host A wants to send a packet to `192.165.1.11` on its own network, but only knows B\'s IP address. Which protocol does it use to learn B\'s MAC address?',
      normalise: { case: 'insensitive', spaces: 'collapse' },
      accept: ['ARP'],
      acceptPatterns: ['address resolution protocol( \\(arp\\))?'],
      wrong: [
        { answer: 'DNS', feedback: 'DNS maps names to IP addresses. A already has the IP address; it needs the MAC.' },
        { answer: 'DHCP', feedback: 'DHCP hands out addresses; it does not find a neighbour\'s MAC.' },
      ],
      explanation: 'ARP (Address Resolution Protocol) broadcasts "who has 192.165.1.11?" on the local network; B answers with its MAC. The answer is cached in the neighbour table (`ip neigh`, or `arp -n`). IPv6 does the same job with Neighbour Discovery.',
    },
    {
      kind: 'number',
      id: 'hosts-in-24',
      prompt: 'How many addresses of a `/24` network can be given to hosts?',
      answer: 254,
      wrong: [{ answer: 256, feedback: 'A /24 has 256 addresses, but the first (network) and the last (broadcast) cannot be given to hosts.' }],
      explanation: 'A /24 leaves 8 bits for hosts: 2^8 = 256 addresses, minus the network address (.0) and the broadcast address (.255), which leaves 254 (.1 to .254).',
    },
    {
      kind: 'text',
      id: 'connected-route',
      prompt: 'After `ip addr add 192.165.1.10/24 dev eth0` and `ip link set eth0 up`, the kernel adds a connected route. For which network? (CIDR notation)',
      normalise: { case: 'insensitive', spaces: 'remove' },
      accept: ['192.165.1.0/24'],
      wrong: [{ answer: '192.165.1.10/24', feedback: 'That is the address with its prefix; the route is for the network, with the host bits set to zero.' }],
      placeholder: 'a.b.c.d/n',
      explanation: 'The prefix length says the first 24 bits name the network, so the kernel adds `192.165.1.0/24 dev eth0 proto kernel scope link src 192.165.1.10`: every address in that network is reached directly on eth0, with ARP.',
    },
    {
      kind: 'single',
      id: 'not-persistent',
      prompt: 'You configured `eth0` with `ip addr add` and `ip link set up`. What happens at the next reboot?',
      options: [
        { id: 'lost', text: 'The address is gone: `ip` changes only the running kernel' },
        { id: 'kept', text: 'The address is kept: `ip` writes it to `/etc/network/interfaces`', feedback: '`ip` never writes configuration files.' },
        { id: 'dhcp', text: 'The address is renewed by DHCP', feedback: 'Nothing records that you ever set it.' },
        { id: 'down', text: 'The address is kept but the interface stays down', feedback: 'Neither the address nor the link state survives.' },
      ],
      answer: 'lost',
      explanation: '`ip` talks to the kernel over netlink; nothing is written to disk. To make a setting permanent, put it in the distribution\'s network configuration (netplan on Ubuntu, `/etc/network/interfaces` on Debian, NetworkManager...).',
    },
    {
      kind: 'single',
      id: 'gigabits',
      prompt: 'A switch port is sold as "10 GbE". How fast is it?',
      options: [
        { id: 'gbit', text: '10 gigabits per second' },
        { id: 'gbyte', text: '10 gigabytes per second', feedback: 'The book writes "gigabytes per second", but network speeds are counted in bits.' },
        { id: 'ge', text: '10 gigabit packets per second', feedback: 'Speeds count bits, not packets.' },
      ],
      answer: 'gbit',
      explanation: 'Link speeds are in bits per second: 10 GbE moves 10 gigabits, about 1.25 gigabytes, per second. `ethtool eth0` reports `Speed: 10000Mb/s`, megabits.',
    },
    {
      kind: 'single',
      id: 'neigh-failed',
      prompt: 'On host A, `ip neigh` shows `192.165.1.11 dev eth0 FAILED`. What does it tell you?',
      options: [
        { id: 'no-arp-reply', text: 'A asked who has 192.165.1.11 with ARP, and nobody answered' },
        { id: 'no-route', text: 'A has no route to 192.165.1.11', feedback: 'Without a route there would be no ARP attempt, hence no neighbour entry at all.' },
        { id: 'firewall', text: 'B\'s firewall dropped the ping', feedback: 'Then ARP would still have succeeded and the entry would hold B\'s MAC.' },
        { id: 'dns', text: 'The name 192.165.1.11 could not be resolved', feedback: 'An address needs no resolving.' },
      ],
      answer: 'no-arp-reply',
      explanation: 'A neighbour entry becomes FAILED when ARP requests go unanswered: the host is off, on another network, not configured with that address, or its link is down. A working neighbour shows its MAC (`lladdr ...`) and REACHABLE or STALE.',
    },
    {
      kind: 'command',
      id: 'configure-a',
      prompt: 'This terminal is host A, whose `eth0` has no address yet. Give `eth0` the address `192.165.1.10` in a `/24` network, and make sure the interface is up.',
      scenario: 'two-hosts-switch',
      host: 'A',
      solutions: [
        ['ip addr add 192.165.1.10/24 dev eth0', 'ip link set eth0 up'],
        ['ifconfig eth0 192.165.1.10 netmask 255.255.255.0 up'],
        ['ip link set dev eth0 up && ip address add 192.165.1.10/24 brd + dev eth0'],
      ],
      wrong: [['ip addr add 192.165.1.10 dev eth0', 'ip link set eth0 up'], ['ip addr add 192.165.1.10/16 dev eth0'], ['ip addr add 192.165.1.10/24 dev eth1', 'ip link set eth1 up'], ['ip link set eth0 down', 'ip addr add 192.165.1.10/24 dev eth0']],
      check: ({ world, host, runs }) => {
        const ns = rootNs(world, host);
        const eth0 = linkByName(ns, 'eth0');
        const addrs = ipv4On(ns, eth0);
        const mine = addrs.find((a) => a.local === '192.165.1.10');
        if (!mine) return fail(runs, '`eth0` has no address 192.165.1.10 yet: `ip addr add 192.165.1.10/24 dev eth0`.');
        if (mine.prefixlen !== 24)
          return fail(
            runs,
            `\`eth0\` has 192.165.1.10/${mine.prefixlen}` +
              (mine.prefixlen === 32 ? ': without a prefix length ip assumes /32, a network of one address.' : ', but the network is a /24.') +
              ` Delete it (\`ip addr del 192.165.1.10/${mine.prefixlen} dev eth0\`) and add it with /24.`,
          );
        if (!eth0?.adminUp) return fail(runs, 'The address is right, but `eth0` is still DOWN: `ip link set eth0 up`.');
        return pass();
      },
      explanation: '`ip addr add 192.165.1.10/24 dev eth0` sets the address and, with it, the network (the /24); `ip link set eth0 up` switches the interface on, which also installs the connected route to 192.165.1.0/24. net-tools does both in one line: `ifconfig eth0 192.165.1.10 netmask 255.255.255.0 up`. Forgetting `/24` gives a /32 and no connected network.',
    },
    {
      kind: 'command',
      id: 'learn-mac',
      prompt: 'On host A of the configured network, make A\'s kernel learn host B\'s MAC address: A\'s neighbour table must end up mapping `192.165.1.11` to B\'s MAC.',
      scenario: 'two-hosts-switch-solved',
      host: 'A',
      solutions: [['ping -c 1 192.165.1.11'], ['ping -c 2 -i 0.2 192.165.1.11', 'ip neigh show 192.165.1.11']],
      wrong: [['ip neigh'], ['ping -c 1 192.165.1.12']],
      check: ({ world, host, runs }) => {
        const ns = rootNs(world, host);
        const eth0 = linkByName(ns, 'eth0');
        const bNs = rootNs(world, 'B');
        const bMac = linkByName(bNs, 'eth0')?.mac;
        const entry = ns?.neigh.find((n) => n.family === 4 && n.dst === '192.165.1.11' && n.ifindex === eth0?.ifindex);
        if (!entry || !entry.lladdr) return fail(runs, 'A\'s neighbour table has no MAC for 192.165.1.11 yet. The kernel runs ARP when it has a packet to send there: send it one.');
        if (entry.state === 'FAILED' || entry.state === 'INCOMPLETE') return fail(runs, `The entry for 192.165.1.11 is ${entry.state}: ARP got no answer.`);
        if (bMac && entry.lladdr !== bMac) return fail(runs, 'The entry for 192.165.1.11 holds a MAC that is not B\'s: did you add it by hand?');
        return pass();
      },
      explanation: 'The kernel resolves a neighbour only when it has something to send: `ping -c 1 192.165.1.11` makes A broadcast an ARP request, B answers with its MAC, and `ip neigh` then shows `192.165.1.11 dev eth0 lladdr <B\'s MAC> REACHABLE`. Listing the table alone changes nothing.',
    },
  ],
});
