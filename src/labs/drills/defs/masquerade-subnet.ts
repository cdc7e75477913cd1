import { defineDrill } from '../schema';
import { masquerades, pings } from '../check';
import { bridgeNet, bridgeNetLines, LAB, netFromParams, netParams } from './lib';

export default defineDrill({
  id: 'masquerade-subnet',
  title: 'Masquerade a namespace subnet',
  domain: 'nat',
  competencies: ['pod-connectivity'],
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
    `Make the host rewrite the source of packets from \`${p.prefix}.0/24\` that leave by \`${LAB.hostIf}\` to its own address (MASQUERADE in the nat table), ` +
    `so that \`${p.names[0]}\` reaches \`${LAB.lanIp}\`. A rule that also covers other traffic leaving by \`${LAB.hostIf}\` is fine; ` +
    `how you organise the rules (one rule, a chain of your own) is up to you.`,
  requirements: (p) => [
    {
      id: 'masquerade',
      text: `packets from ${p.prefix}.0/24 leaving by ${LAB.hostIf} are masqueraded`,
      check: (c) => masquerades(c.world, c.host, null, `${p.prefix}.0/24`, { outIface: LAB.hostIf, dst: LAB.lanIp }),
    },
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
    { name: 'masquerades what leaves by the bridge', lines: [`iptables -t nat -A POSTROUTING -o ${p.bridge} -j MASQUERADE`], fails: 'masquerade', mentions: LAB.hostIf },
    { name: 'a user chain that is never jumped to', lines: ['iptables -t nat -N NS-MASQ', 'iptables -t nat -A NS-MASQ -j MASQUERADE'], fails: 'masquerade', mentions: `${p.prefix}.0/24` },
  ],
  alternatives: (p) => [
    {
      name: 'a user chain, as kube-proxy does',
      lines: ['iptables -t nat -N NS-MASQ', `iptables -t nat -A POSTROUTING -s ${p.prefix}.0/24 -j NS-MASQ`, 'iptables -t nat -A NS-MASQ -j MASQUERADE', `ip netns exec ${p.names[0]} ping -c 1 ${LAB.lanIp}`],
    },
    { name: 'everything leaving by eth0, without -s', lines: [`iptables -t nat -A POSTROUTING -o ${LAB.hostIf} -j MASQUERADE`, 'iptables -t nat -S POSTROUTING'] },
    {
      name: 'SNAT to the host address, long options, not back into the subnet',
      lines: [`iptables --table nat --insert POSTROUTING 1 --source ${p.prefix}.0/24 ! --destination ${p.prefix}.0/24 --jump SNAT --to-source ${LAB.hostIp}`, 'iptables -t nat -L -n -v'],
    },
    { name: 'typed from the LAN host after ssh, back with exit', lines: ['ssh lan', `ping -c 1 ${LAB.hostIp}`, 'exit', `iptables -t nat -A POSTROUTING -s ${p.prefix}.0/24 -o ${LAB.hostIf} -j MASQUERADE`, 'ssh lan'] },
  ],
});
