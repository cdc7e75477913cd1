import { defineDrill } from '../schema';
import { all, forwarding, pings, reachesVia } from '../../checks';
import { hostNumbers, NS_NAMES, subnet24 } from './lib';

export default defineDrill({
  id: 'router-forwarding',
  title: 'Turn the host into a router',
  domain: 'routing',
  competencies: ['pod-connectivity'],
  difficulty: 'medium',
  minutes: 7,
  weight: 5,
  summary: 'Two namespaces on two networks meet at the host: enable forwarding and complete the routes so that they talk.',
  scenario: 'blank',
  params(r) {
    const [left, right] = r.sample(NS_NAMES, 2) as [string, string];
    let netL = subnet24(r);
    let netR = subnet24(r);
    while (netR === netL) netR = subnet24(r);
    const [gl, hl] = hostNumbers(r, 2) as [number, number];
    const [gr, hr] = hostNumbers(r, 2) as [number, number];
    const missing = r.pick([left, right]);
    return {
      left, right,
      netL: `${netL}.0/24`, netR: `${netR}.0/24`,
      gwL: `${netL}.${gl}`, ipL: `${netL}.${hl}`,
      gwR: `${netR}.${gr}`, ipR: `${netR}.${hr}`,
      missing,
      linesOnly: r.pick(['default', 'net']),
    };
  },
  setup: (p) => {
    const lines: string[] = [];
    for (const [ns, gw, ip, peerNet] of [[p.left, p.gwL, p.ipL, p.netR], [p.right, p.gwR, p.ipR, p.netL]] as const) {
      lines.push(
        `ip netns add ${ns}`,
        `ip link add to-${ns} type veth peer name eth0 netns ${ns}`,
        `ip addr add ${gw}/24 dev to-${ns}`,
        `ip link set to-${ns} up`,
        `ip -n ${ns} addr add ${ip}/24 dev eth0`,
        `ip -n ${ns} link set eth0 up`,
        `ip -n ${ns} link set lo up`,
      );
      if (ns !== p.missing) lines.push(p.linesOnly === 'default' ? `ip -n ${ns} route add default via ${gw}` : `ip -n ${ns} route add ${peerNet} via ${gw}`);
    }
    return lines;
  },
  task: (p) =>
    `This host joins two networks: the namespace \`${p.left}\` (\`${p.ipL}\`, on \`${p.netL}\`) and the namespace \`${p.right}\` (\`${p.ipR}\`, on \`${p.netR}\`). ` +
    `The host's own addresses on them are \`${p.gwL}\` (\`to-${p.left}\`) and \`${p.gwR}\` (\`to-${p.right}\`).\n` +
    `Make \`${p.left}\` and \`${p.right}\` reach each other through the host: the host must forward IPv4, and each namespace must route the other's network via the host.`,
  requirements: (p) => [
    { id: 'forward', text: `the host forwards IPv4 packets between to-${p.left} and to-${p.right}`, check: (c) => forwarding(c.world, c.host, null, 'on the host', [`to-${p.left}`, `to-${p.right}`]) },
    {
      id: 'routes',
      text: `${p.left} routes ${p.netR} via ${p.gwL} and ${p.right} routes ${p.netL} via ${p.gwR}`,
      check: (c) => {
        // the other network, not only the other namespace's address: the host's address there too
        return all(
          reachesVia(c.world, c.host, p.left, p.ipR, p.gwL),
          () => reachesVia(c.world, c.host, p.left, p.gwR, p.gwL),
          () => reachesVia(c.world, c.host, p.right, p.ipL, p.gwR),
          () => reachesVia(c.world, c.host, p.right, p.gwL, p.gwR),
        );
      },
    },
    { id: 'ping', text: `${p.ipR} answers ping from ${p.left}`, check: (c) => pings(c, p.left, p.ipR) },
  ],
  hints: (p) => [
    `Look at \`sysctl net.ipv4.ip_forward\` on the host, and at \`ip -n ${p.left} route\` and \`ip -n ${p.right} route\`.`,
    'A Linux host drops packets that are not for itself unless net.ipv4.ip_forward is 1.',
    `\`sysctl -w net.ipv4.ip_forward=1\`, then give ${p.missing} a route via the host's address on its network.`,
  ],
  solution: (p) => ['sysctl -w net.ipv4.ip_forward=1', p.missing === p.left ? `ip -n ${p.left} route add ${p.netR} via ${p.gwL}` : `ip -n ${p.right} route add default via ${p.gwR}`],
  wrong: (p) => {
    const route = p.missing === p.left ? `ip -n ${p.left} route add ${p.netR} via ${p.gwL}` : `ip -n ${p.right} route add ${p.netL} via ${p.gwR}`;
    return [
      { name: 'enables forwarding inside a namespace instead of the host', lines: [`ip netns exec ${p.left} sysctl -w net.ipv4.ip_forward=1`, route], fails: 'forward', mentions: 'forwarding' },
      { name: 'enables IPv6 forwarding only', lines: ['sysctl -w net.ipv6.conf.all.forwarding=1', route], fails: 'forward', mentions: 'ip_forward' },
      { name: 'forgets the missing route', lines: ['sysctl -w net.ipv4.ip_forward=1'], fails: 'routes', mentions: String(p.missing) },
      { name: `forwarding on to-${p.left} only`, lines: [`sysctl -w net.ipv4.conf.to-${p.left}.forwarding=1`, route], fails: 'forward', mentions: `to-${p.right}` },
    ];
  },
  alternatives: (p) => {
    const [ns, net, gw] = p.missing === p.left ? [p.left, p.netR, p.gwL] : [p.right, p.netL, p.gwR];
    return [
      { name: 'a /proc write and net-tools', lines: ['echo 1 > /proc/sys/net/ipv4/ip_forward', `ip netns exec ${ns} route add -net ${net} gw ${gw}`, `ip netns exec ${p.left} ping -c 1 ${p.ipR}`] },
      { name: 'per-interface forwarding, route first', lines: [`ip -n ${ns} r a default via ${gw}`, `sysctl -w net.ipv4.conf.to-${p.left}.forwarding=1 net.ipv4.conf.to-${p.right}.forwarding=1`] },
      { name: 'conf.all and ip netns exec, inspected before and after', lines: ['sysctl net.ipv4.ip_forward', `ip -n ${ns} route`, 'sysctl -w net.ipv4.conf.all.forwarding=1', `ip netns exec ${ns} ip route add ${net} via ${gw}`, `ip -n ${ns} route`] },
    ];
  },
});
