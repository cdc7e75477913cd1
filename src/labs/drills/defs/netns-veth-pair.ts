import { defineDrill } from '../schema';
import { all, hasAddress, linkUp, nsExists, pings, vethPair } from '../check';
import { hostNumbers, NS_NAMES, subnet24 } from './lib';

export default defineDrill({
  id: 'netns-veth-pair',
  title: 'Two namespaces joined by a veth cable',
  domain: 'namespaces',
  competencies: ['pod-connectivity'],
  difficulty: 'easy',
  minutes: 6,
  weight: 4,
  summary: 'Create two network namespaces, join them with a veth pair, address both ends and bring them up.',
  scenario: 'blank',
  params(r) {
    const [a, b] = r.sample(NS_NAMES, 2) as [string, string];
    const prefix = subnet24(r);
    const [ha, hb] = hostNumbers(r, 2) as [number, number];
    return { a, b, devA: `veth-${a}`, devB: `veth-${b}`, ipA: `${prefix}.${ha}`, ipB: `${prefix}.${hb}` };
  },
  task: (p) =>
    `Create two network namespaces, \`${p.a}\` and \`${p.b}\`, joined by one veth pair:\n` +
    `- \`${p.devA}\` in \`${p.a}\`, with the address \`${p.ipA}/24\`;\n` +
    `- \`${p.devB}\` in \`${p.b}\`, with the address \`${p.ipB}/24\`.\n` +
    `Bring both ends up, so that \`${p.ipB}\` answers ping from \`${p.a}\`.`,
  requirements: (p) => [
    { id: 'ns-a', text: `namespace ${p.a} exists`, check: (c) => nsExists(c.world, c.host, p.a) },
    { id: 'ns-b', text: `namespace ${p.b} exists`, check: (c) => nsExists(c.world, c.host, p.b) },
    {
      id: 'pair',
      text: `${p.devA} in ${p.a} and ${p.devB} in ${p.b} are the two ends of one veth pair`,
      check: (c) => vethPair(c.world, c.host, { netns: p.a, dev: p.devA }, { netns: p.b, dev: p.devB }),
    },
    { id: 'addr-a', text: `${p.devA} has ${p.ipA}/24`, check: (c) => hasAddress(c.world, c.host, p.a, p.devA, `${p.ipA}/24`) },
    { id: 'addr-b', text: `${p.devB} has ${p.ipB}/24`, check: (c) => hasAddress(c.world, c.host, p.b, p.devB, `${p.ipB}/24`) },
    {
      id: 'up',
      text: `${p.devA} and ${p.devB} are up`,
      check: (c) => all(linkUp(c.world, c.host, p.a, p.devA), linkUp(c.world, c.host, p.b, p.devB)),
    },
    { id: 'ping', text: `${p.ipB} answers ping from ${p.a}`, check: (c) => pings(c, p.a, p.ipB) },
  ],
  hints: (p) => [
    `\`ip netns add NAME\` creates a namespace; \`ip link add A type veth peer name B\` creates the cable.`,
    `Move each end with \`ip link set ${p.devA} netns ${p.a}\`, then configure it from inside: \`ip -n ${p.a} addr add ...\`.`,
    `A veth pair carries traffic only when both ends are up: \`ip -n ${p.b} link set ${p.devB} up\`.`,
  ],
  solution: (p) => [
    `ip netns add ${p.a}`,
    `ip netns add ${p.b}`,
    `ip link add ${p.devA} type veth peer name ${p.devB}`,
    `ip link set ${p.devA} netns ${p.a}`,
    `ip link set ${p.devB} netns ${p.b}`,
    `ip -n ${p.a} addr add ${p.ipA}/24 dev ${p.devA}`,
    `ip -n ${p.b} addr add ${p.ipB}/24 dev ${p.devB}`,
    `ip -n ${p.a} link set ${p.devA} up`,
    `ip -n ${p.b} link set ${p.devB} up`,
  ],
  wrong: (p) => [
    {
      name: `forgets to bring ${p.devB} up`,
      lines: [
        `ip netns add ${p.a}`,
        `ip netns add ${p.b}`,
        `ip link add ${p.devA} type veth peer name ${p.devB}`,
        `ip link set ${p.devA} netns ${p.a}`,
        `ip link set ${p.devB} netns ${p.b}`,
        `ip -n ${p.a} addr add ${p.ipA}/24 dev ${p.devA}`,
        `ip -n ${p.b} addr add ${p.ipB}/24 dev ${p.devB}`,
        `ip -n ${p.a} link set ${p.devA} up`,
      ],
      fails: 'up',
      mentions: String(p.devB),
    },
    {
      name: 'leaves both ends on the host',
      lines: [`ip netns add ${p.a}`, `ip netns add ${p.b}`, `ip link add ${p.devA} type veth peer name ${p.devB}`, `ip addr add ${p.ipA}/24 dev ${p.devA}`, `ip link set ${p.devA} up`, `ip link set ${p.devB} up`],
      fails: 'pair',
      mentions: String(p.devA),
    },
    {
      name: 'gives the wrong prefix length',
      lines: [
        `ip netns add ${p.a}`,
        `ip netns add ${p.b}`,
        `ip link add ${p.devA} type veth peer name ${p.devB}`,
        `ip link set ${p.devA} netns ${p.a}`,
        `ip link set ${p.devB} netns ${p.b}`,
        `ip -n ${p.a} addr add ${p.ipA}/24 dev ${p.devA}`,
        `ip -n ${p.b} addr add ${p.ipB}/16 dev ${p.devB}`,
        `ip -n ${p.a} link set ${p.devA} up`,
        `ip -n ${p.b} link set ${p.devB} up`,
      ],
      fails: 'addr-b',
      mentions: '/16',
    },
  ],
  alternatives: (p) => [
    {
      name: 'peers created in their namespaces, configured with ip netns exec',
      lines: [
        `ip netns add ${p.a}`,
        `ip netns add ${p.b}`,
        `ip link add ${p.devA} netns ${p.a} type veth peer name ${p.devB} netns ${p.b}`,
        `ip netns exec ${p.a} ip addr add ${p.ipA}/24 dev ${p.devA}`,
        `ip netns exec ${p.b} ip addr add ${p.ipB}/24 dev ${p.devB}`,
        `ip netns exec ${p.a} ip link set ${p.devA} up`,
        `ip netns exec ${p.b} ip link set ${p.devB} up`,
        `ip netns exec ${p.a} ping -c 1 ${p.ipB}`,
      ],
    },
    {
      name: 'net-tools inside the namespaces, B first',
      lines: [
        `ip netns add ${p.b}`,
        `ip netns add ${p.a}`,
        `ip link add ${p.devB} type veth peer name ${p.devA}`,
        `ip link set ${p.devB} netns ${p.b}`,
        `ip link set ${p.devA} netns ${p.a}`,
        `ip netns exec ${p.b} ifconfig ${p.devB} ${p.ipB}/24 up`,
        `ip netns exec ${p.a} ifconfig ${p.devA} ${p.ipA} netmask 255.255.255.0 up`,
      ],
    },
    {
      name: 'abbreviations, a dotted netmask, inspection before and after',
      lines: [
        'ip netns list',
        `ip netns add ${p.a}`,
        `ip netns add ${p.b}`,
        `ip l add ${p.devA} type veth peer name ${p.devB}`,
        `ip l set ${p.devA} netns ${p.a}`,
        `ip l set dev ${p.devB} netns ${p.b}`,
        `ip -n ${p.a} a add ${p.ipA}/24 dev ${p.devA}`,
        `ip -n ${p.b} a a ${p.ipB}/255.255.255.0 dev ${p.devB}`,
        `ip -n ${p.a} l set ${p.devA} up`,
        `ip -n ${p.b} l set up dev ${p.devB}`,
        `ip -n ${p.a} -br a`,
        `ip netns exec ${p.a} ping -c1 ${p.ipB}`,
      ],
    },
  ],
});
