import { defineDrill } from '../schema';
import { masquerades, pings } from '../check';
import { bridgeNet, bridgeNetLines, LAB, netFromParams, netParams } from './lib';

export default defineDrill({
  id: 'masquerade-subnet',
  title: 'Masquerade a namespace subnet',
  domain: 'nat',
  difficulty: 'medium',
  minutes: 6,
  weight: 5,
  summary: 'The namespaces’ packets reach the LAN but no answer comes back: add source NAT for their subnet.',
  scenario: 'netns-lab',
  params(r) {
    return netParams(bridgeNet(r, 2));
  },
  setup: (p) => [...bridgeNetLines(netFromParams(p)), 'sysctl -w net.ipv4.ip_forward=1'],
  task: (p) =>
    `The namespaces \`${p.names.join('` and `')}\` sit on the bridge \`${p.bridge}\` (\`${p.prefix}.0/24\`) with default routes via \`${p.gw}\`, and the host forwards. ` +
    `Their pings to the LAN host \`${LAB.lanIp}\` get no answer: the LAN has no route back to \`${p.prefix}.0/24\`.\n` +
    `Add a rule so that the host rewrites the source of packets from \`${p.prefix}.0/24\` to its own address (MASQUERADE), ` +
    `so that \`${p.names[0]}\` reaches \`${LAB.lanIp}\`.`,
  requirements: (p) => [
    { id: 'masquerade', text: `the nat table masquerades ${p.prefix}.0/24`, check: (c) => masquerades(c.world, c.host, null, `${p.prefix}.0/24`) },
    { id: 'ping', text: `${LAB.lanIp} answers ping from ${p.names[0]}`, check: (c) => pings(c, p.names[0]!, LAB.lanIp) },
  ],
  hints: (p) => [
    'Source NAT happens in the nat table, in the POSTROUTING chain, after the routing decision.',
    `Match the subnet with \`-s ${p.prefix}.0/24\`; the target is \`-j MASQUERADE\`.`,
    `\`iptables -t nat -A POSTROUTING -s ${p.prefix}.0/24 -j MASQUERADE\``,
  ],
  solution: (p) => [`iptables -t nat -A POSTROUTING -s ${p.prefix}.0/24 -j MASQUERADE`],
  wrong: (p) => [
    { name: 'rule in the filter table', lines: [`iptables -A FORWARD -s ${p.prefix}.0/24 -j ACCEPT`], fails: 'masquerade', mentions: 'no MASQUERADE rule' },
    { name: 'masquerades the LAN instead', lines: [`iptables -t nat -A POSTROUTING -s ${LAB.lanNet} -j MASQUERADE`], fails: 'masquerade', mentions: `${p.prefix}.0/24` },
  ],
});
