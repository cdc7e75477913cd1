import { defineDrill, type CheckContext } from '../schema';
import { dnats } from '../check';
import { bridgeNet, bridgeNetLines, LAB, netFromParams, netParams } from './lib';

/** Does a TCP connection from the LAN host to the host's port succeed? */
async function lanConnects(c: CheckContext, port: number): Promise<true | string> {
  const r = await c.probe(`nc -z -w 1 ${LAB.hostIp} ${port}`, { host: LAB.lanHost });
  return r.exitCode === 0 ? true : `a connection from ${LAB.lanIp} to ${LAB.hostIp}:${port} does not get through`;
}

export default defineDrill({
  id: 'dnat-port-forward',
  title: 'Publish a namespace service with DNAT',
  domain: 'nat',
  competencies: ['services'],
  difficulty: 'medium',
  minutes: 8,
  weight: 6,
  summary: 'A service listens inside a namespace: forward a port of the host’s LAN address to it with a DNAT rule.',
  scenario: 'netns-lab',
  params(r) {
    const n = netParams(bridgeNet(r, 2));
    const svc = r.pick(['nginx', 'httpd', 'caddy', 'python3', 'node']);
    const svcPort = r.pick([80, 8000, 8080, 3000, 5000, r.int(8001, 8999)]);
    let hostPort = r.pick([r.int(30000, 32767), r.int(8081, 8099), r.int(9000, 9999)]);
    if (hostPort === svcPort) hostPort += 1;
    return { ...n, target: n.names[1]!, ip: n.ips[1]!, svc, svcPort, hostPort };
  },
  setup: (p) => [...bridgeNetLines(netFromParams(p)), 'sysctl -w net.ipv4.ip_forward=1', `@daemon ${p.svc} -n ${p.target} tcp:0.0.0.0:${p.svcPort}`],
  task: (p) =>
    `A ${p.svc} server listens on \`${p.ip}:${p.svcPort}\` inside the namespace \`${p.target}\`, which hangs off the bridge \`${p.bridge}\`. ` +
    `Machines on the LAN cannot reach \`${p.prefix}.0/24\`.\n` +
    `Publish the service on the host's LAN address: TCP connections to \`${LAB.hostIp}:${p.hostPort}\` from the LAN (for example from \`${LAB.lanIp}\`) must reach \`${p.ip}:${p.svcPort}\`. Use a DNAT rule.`,
  requirements: (p) => [
    {
      id: 'dnat',
      text: `the nat table's PREROUTING chain DNATs tcp port ${p.hostPort} to ${p.ip}:${p.svcPort}`,
      check: (c) => dnats(c.world, c.host, null, 'PREROUTING', p.hostPort, `${p.ip}:${p.svcPort}`, { dst: LAB.hostIp, src: LAB.lanIp, inIface: LAB.hostIf }),
    },
    { id: 'reach', text: `${LAB.lanIp} connects to ${LAB.hostIp}:${p.hostPort}`, check: (c) => lanConnects(c, p.hostPort) },
  ],
  hints: (p) => [
    'Destination NAT must happen before the routing decision, so that the packet is forwarded to the namespace: the nat table, PREROUTING chain.',
    `Match TCP packets for port ${p.hostPort} (\`-p tcp --dport ${p.hostPort}\`) and rewrite their destination with \`-j DNAT --to-destination\`.`,
    `\`iptables -t nat -A PREROUTING -p tcp --dport ${p.hostPort} -j DNAT --to-destination ${p.ip}:${p.svcPort}\``,
  ],
  solution: (p) => [`iptables -t nat -A PREROUTING -p tcp --dport ${p.hostPort} -j DNAT --to-destination ${p.ip}:${p.svcPort}`],
  wrong: (p) => [
    {
      name: 'DNAT in OUTPUT (only for the host’s own connections)',
      lines: [`iptables -t nat -A OUTPUT -p tcp --dport ${p.hostPort} -j DNAT --to-destination ${p.ip}:${p.svcPort}`],
      fails: 'dnat',
      mentions: 'PREROUTING',
    },
    {
      name: 'forgets the service port',
      lines: [`iptables -t nat -A PREROUTING -p tcp --dport ${p.hostPort} -j DNAT --to-destination ${p.ip}`],
      fails: 'dnat',
      mentions: `${p.ip}:${p.svcPort}`,
    },
  ],
  alternatives: (p) => [
    {
      name: 'a user chain, as kube-proxy does',
      lines: [
        'iptables -t nat -N PUBLISH',
        'iptables -t nat -A PREROUTING -j PUBLISH',
        `iptables -t nat -A PUBLISH -p tcp --dport ${p.hostPort} -j DNAT --to-destination ${p.ip}:${p.svcPort}`,
        'iptables -t nat -S',
      ],
    },
    {
      name: 'only for the host address, in by eth0, with -m tcp',
      lines: [`iptables -t nat -A PREROUTING -i ${LAB.hostIf} -d ${LAB.hostIp}/32 -p tcp -m tcp --dport ${p.hostPort} -j DNAT --to-destination ${p.ip}:${p.svcPort}`],
    },
    {
      name: 'long options, inserted first, tested from the LAN host and left there',
      lines: [
        `iptables --table nat --insert PREROUTING 1 --protocol tcp --destination-port ${p.hostPort} --jump DNAT --to-destination ${p.ip}:${p.svcPort}`,
        'ssh lan',
        `nc -z -w 1 ${LAB.hostIp} ${p.hostPort}`,
      ],
    },
  ],
});
