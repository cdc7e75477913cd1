import { defineDrill } from '../schema';
import { pings, reachesVia, unchangedNs } from '../../checks';
import { bridgeNet, bridgeNetLines, LAB, netFromParams, netParams } from './lib';

export default defineDrill({
  id: 'netns-gateway-route',
  title: 'A namespace reaches the LAN through a gateway',
  domain: 'routing',
  competencies: ['pod-connectivity'],
  difficulty: 'easy',
  minutes: 5,
  weight: 4,
  summary: 'A namespace on the host’s bridge cannot reach the LAN: give it a route through the bridge address.',
  scenario: 'netns-lab',
  params(r) {
    const n = netParams(bridgeNet(r, 2));
    return { ...n, target: n.names[0]!, other: n.names[1]! };
  },
  setup: (p) => {
    const n = netFromParams(p);
    return [
      ...bridgeNetLines(n, [p.other]),
      'sysctl -w net.ipv4.ip_forward=1',
      `iptables -t nat -A POSTROUTING -s ${p.prefix}.0/24 -j MASQUERADE`,
    ];
  },
  task: (p) =>
    `The namespaces \`${p.names.join('` and `')}\` hang off the bridge \`${p.bridge}\` (\`${p.gw}\`) on this host. ` +
    `The host forwards and masquerades their traffic, and \`${p.other}\` already reaches the LAN.\n` +
    `Make \`${p.target}\` reach the LAN host \`${LAB.lanIp}\` too, by routing through the bridge's address. Change nothing on the host.`,
  requirements: (p) => [
    { id: 'route', text: `${p.target} routes ${LAB.lanIp} via ${p.gw}`, check: (c) => reachesVia(c.world, c.host, p.target, LAB.lanIp, p.gw) },
    { id: 'ping', text: `${LAB.lanIp} answers ping from ${p.target}`, check: (c) => pings(c, p.target, LAB.lanIp) },
    { id: 'host-unchanged', text: 'nothing changed on the host (its links, addresses, routes, iptables rules and sysctls)', check: (c) => unchangedNs(c, null) },
  ],
  hints: (p) => [
    `Compare \`ip -n ${p.target} route\` with \`ip -n ${p.other} route\`.`,
    `A route to a network outside the namespace needs a gateway the namespace can reach directly: the bridge's address, ${p.gw}.`,
    `\`ip -n ${p.target} route add default via ${p.gw}\` (or a route for ${LAB.lanNet} only).`,
  ],
  solution: (p) => [`ip -n ${p.target} route add default via ${p.gw}`],
  wrong: (p) => [
    { name: 'route without a gateway', lines: [`ip -n ${p.target} route add ${LAB.lanNet} dev veth-${p.target}`], fails: 'route', mentions: 'gateway' },
    { name: 'the other namespace as gateway', lines: [`ip -n ${p.target} route add default via ${p.ips[1]}`], fails: 'route', mentions: String(p.ips[1]) },
    {
      name: 'the right route, plus a rule on the host',
      lines: [`ip -n ${p.target} route add default via ${p.gw}`, 'iptables -A FORWARD -j ACCEPT'],
      fails: 'host-unchanged',
      mentions: 'iptables -t filter -A FORWARD -j ACCEPT was added',
    },
    {
      name: 'the right route, plus a route on the host',
      lines: [`ip -n ${p.target} route add default via ${p.gw}`, `ip route add ${p.prefix}.0/24 dev ${p.bridge} metric 50`],
      fails: 'host-unchanged',
      mentions: `route ${p.prefix}.0/24 dev ${p.bridge} metric 50 was added`,
    },
  ],
  alternatives: (p) => [
    { name: 'ip netns exec', lines: [`ip netns exec ${p.target} ip route add default via ${p.gw}`, `ip netns exec ${p.target} ping -c 1 ${LAB.lanIp}`] },
    { name: 'a /32 host route to the LAN host', lines: [`ip -n ${p.target} route`, `ip -n ${p.target} route add ${LAB.lanIp}/32 via ${p.gw}`, `ip -n ${p.target} route get ${LAB.lanIp}`] },
    { name: 'net-tools, the LAN network only', lines: [`ip netns exec ${p.target} route add -net ${LAB.lanNet} gw ${p.gw}`, `ip netns exec ${p.target} route -n`] },
    { name: 'abbreviated, then left logged into the LAN host', lines: [`ip -n ${p.target} r a default via ${p.gw} dev veth-${p.target}`, 'ssh lan', `ping -c 1 ${LAB.hostIp}`] },
  ],
});
