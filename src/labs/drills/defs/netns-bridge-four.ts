import { defineDrill, type CheckContext } from '../schema';
import { all, attachedTo, hasAddress, linkExists, linkUp, nsExists, pings, vethPair } from '../check';
import { bridgeLines, bridgeNet, memberLines, netFromParams, netParams } from './lib';

export default defineDrill({
  id: 'netns-bridge-four',
  title: 'Four namespaces on a bridge',
  domain: 'namespaces',
  competencies: ['pod-connectivity'],
  difficulty: 'medium',
  minutes: 12,
  weight: 7,
  summary: 'Build the book’s four-namespace network: a Linux bridge on the host and one veth cable per namespace.',
  scenario: 'blank',
  params(r) {
    return netParams(bridgeNet(r, 4));
  },
  task: (p) => {
    const names = p.names;
    const ips = p.ips;
    return (
      `Build a virtual switch on this host and plug four namespaces into it.\n` +
      `- Create the bridge \`${p.bridge}\`, give it \`${p.gw}/24\` and bring it up.\n` +
      names.map((n, i) => `- Namespace \`${n}\`: its end \`veth-${n}\` has \`${ips[i]}/24\`; the host end \`veth-${n}-br\` is a port of \`${p.bridge}\`.`).join('\n') +
      `\nEvery interface must be up: \`${names[0]}\` must reach \`${names[3]}\` (\`${ips[3]}\`) through the bridge.`
    );
  },
  requirements: (p) => [
    {
      id: 'bridge',
      text: `${p.bridge} is a bridge on the host, up, with ${p.gw}/24`,
      check: (c) => all(linkExists(c.world, c.host, null, p.bridge, 'bridge'), linkUp(c.world, c.host, null, p.bridge), hasAddress(c.world, c.host, null, p.bridge, `${p.gw}/24`)),
    },
    ...p.names.map((n, i) => ({
      id: `member-${i + 1}`,
      text: `${n} is plugged into ${p.bridge} with ${p.ips[i]}/24, both ends up`,
      check: (c: CheckContext) =>
        all(
          nsExists(c.world, c.host, n),
          () => vethPair(c.world, c.host, { netns: n, dev: `veth-${n}` }, { netns: null, dev: `veth-${n}-br` }),
          () => hasAddress(c.world, c.host, n, `veth-${n}`, `${p.ips[i]}/24`),
          () => attachedTo(c.world, c.host, null, `veth-${n}-br`, p.bridge),
          () => linkUp(c.world, c.host, n, `veth-${n}`),
          () => linkUp(c.world, c.host, null, `veth-${n}-br`),
        ),
    })),
    { id: 'ping', text: `${p.ips[3]} answers ping from ${p.names[0]}`, check: (c) => pings(c, p.names[0]!, p.ips[3]!) },
  ],
  hints: (p) => [
    `A bridge is a link type: \`ip link add ${p.bridge} type bridge\`. Each namespace needs its own veth pair.`,
    `Plug the host end of each pair into the switch with \`ip link set veth-NAME-br master ${p.bridge}\`.`,
    `Check with \`bridge link\` that four ports are forwarding, and \`ip -n NAME addr\` that each namespace has its address and is UP.`,
  ],
  solution: (p) => {
    const n = netFromParams(p);
    return [...bridgeLines(n), ...n.members.flatMap((m) => memberLines(n, m).filter((l) => !l.endsWith('link set lo up')))];
  },
  wrong: (p) => {
    const n = netFromParams(p);
    const all = [...bridgeLines(n), ...n.members.flatMap((m) => memberLines(n, m))];
    const third = n.members[2]!;
    return [
      {
        name: `forgets to plug veth-${third.name}-br into the bridge`,
        lines: all.filter((l) => l !== `ip link set ${third.brdev} master ${p.bridge}`),
        fails: 'member-3',
        mentions: third.brdev,
      },
      {
        name: 'leaves the bridge down',
        lines: all.filter((l) => l !== `ip link set ${p.bridge} up`),
        fails: 'bridge',
        mentions: `${p.bridge} is not up`,
      },
      {
        name: `forgets the host end of ${n.members[3]!.name}`,
        lines: all.filter((l) => l !== `ip link set ${n.members[3]!.brdev} up`),
        fails: 'ping',
      },
    ];
  },
  alternatives: (p) => {
    const n = netFromParams(p);
    return [
      {
        name: 'members first, peers created in their namespaces, the bridge last (master and up in one command)',
        lines: [
          ...n.members.flatMap((m) => [
            `ip netns add ${m.name}`,
            `ip link add ${m.brdev} type veth peer name ${m.dev} netns ${m.name}`,
            `ip netns exec ${m.name} ip addr add ${m.ip}/24 dev ${m.dev}`,
            `ip netns exec ${m.name} ip link set ${m.dev} up`,
          ]),
          `ip link add name ${p.bridge} type bridge`,
          `ip addr add ${p.gw}/24 dev ${p.bridge}`,
          `ip link set ${p.bridge} up`,
          ...n.members.map((m) => `ip link set ${m.brdev} master ${p.bridge} up`),
        ],
      },
      {
        name: 'net-tools for the addresses and links',
        lines: [
          `ip link add ${p.bridge} type bridge`,
          `ifconfig ${p.bridge} ${p.gw} netmask 255.255.255.0 up`,
          ...n.members.flatMap((m) => [
            `ip netns add ${m.name}`,
            `ip link add ${m.dev} type veth peer name ${m.brdev}`,
            `ip link set ${m.dev} netns ${m.name}`,
            `ip netns exec ${m.name} ifconfig ${m.dev} ${m.ip}/24 up`,
            `ip link set ${m.brdev} master ${p.bridge}`,
            `ifconfig ${m.brdev} up`,
          ]),
        ],
      },
      {
        name: 'abbreviations, checked with bridge link and ping',
        lines: [
          `ip l a ${p.bridge} type bridge`,
          `ip a a ${p.gw}/24 dev ${p.bridge}`,
          `ip l s ${p.bridge} up`,
          ...n.members.flatMap((m) => [
            `ip netns add ${m.name}`,
            `ip l a ${m.dev} type veth peer name ${m.brdev}`,
            `ip l s ${m.dev} netns ${m.name}`,
            `ip -n ${m.name} a a ${m.ip}/24 dev ${m.dev}`,
            `ip -n ${m.name} l s ${m.dev} up`,
            `ip l s dev ${m.brdev} master ${p.bridge}`,
            `ip l s dev ${m.brdev} up`,
          ]),
          'bridge link',
          `ip netns exec ${p.names[0]} ping -c 1 ${p.ips[3]}`,
        ],
      },
    ];
  },
});
