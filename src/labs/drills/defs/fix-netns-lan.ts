import { defineDrill } from '../schema';
import { all, attachedTo, forwarding, hasAddress, linkUp, pingsOrDiagnose, reachesVia } from '../check';
import type { CheckContext } from '../schema';
import { bridgeNet, bridgeNetLines, LAB, narrowPrefix, netFromParams, netParams } from './lib';

const FAULTS = ['ns-link-down', 'br-link-down', 'bridge-prefix', 'missing-route', 'forward-off'] as const;
type Fault = (typeof FAULTS)[number];

export default defineDrill({
  id: 'fix-netns-lan',
  title: 'Troubleshoot: a namespace lost the LAN',
  domain: 'troubleshooting',
  competencies: ['pod-connectivity', 'troubleshoot-network'],
  difficulty: 'medium',
  minutes: 8,
  weight: 7,
  summary: 'A namespace that used to reach the LAN no longer does. Find the fault (link, address, route or forwarding) and repair it.',
  scenario: 'netns-lab',
  params(r) {
    const n = netParams(bridgeNet(r, 3));
    const i = r.int(0, 2);
    const fault: Fault = r.pick(FAULTS);
    return { ...n, target: n.names[i]!, ip: n.ips[i]!, fault, badLen: narrowPrefix(n.gw, n.ips[i]!, r.int(0, 4)) };
  },
  setup: (p) => {
    const n = netFromParams(p);
    const lines = [...bridgeNetLines(n), 'sysctl -w net.ipv4.ip_forward=1', `iptables -t nat -A POSTROUTING -s ${p.prefix}.0/24 -j MASQUERADE`];
    switch (p.fault as Fault) {
      case 'ns-link-down':
        lines.push(`ip -n ${p.target} link set veth-${p.target} down`);
        break;
      case 'br-link-down':
        lines.push(`ip link set veth-${p.target}-br down`);
        break;
      case 'bridge-prefix':
        lines.push(`ip addr add ${p.gw}/${p.badLen} dev ${p.bridge}`, `ip addr del ${p.gw}/24 dev ${p.bridge}`);
        break;
      case 'missing-route':
        lines.push(`ip -n ${p.target} route del default`);
        break;
      case 'forward-off':
        lines.push('sysctl -w net.ipv4.ip_forward=0');
        break;
    }
    return lines;
  },
  task: (p) =>
    `The namespaces \`${p.names.join('`, `')}\` sit on the bridge \`${p.bridge}\` (\`${p.gw}/24\`) and used to reach the LAN host \`${LAB.lanIp}\` ` +
    `through this host (default routes via \`${p.gw}\`, forwarding, MASQUERADE for \`${p.prefix}.0/24\`).\n` +
    `Since a change this morning, \`${p.target}\` (\`${p.ip}\`) no longer reaches \`${LAB.lanIp}\`. Find the fault and repair it, without breaking the other namespaces.`,
  requirements: (p) => {
    const diagnose = (c: CheckContext, toLan: boolean) =>
      all(
        linkUp(c.world, c.host, p.target, `veth-${p.target}`),
        () => linkUp(c.world, c.host, null, `veth-${p.target}-br`),
        () => attachedTo(c.world, c.host, null, `veth-${p.target}-br`, p.bridge),
        () => linkUp(c.world, c.host, null, p.bridge),
        () => hasAddress(c.world, c.host, p.target, `veth-${p.target}`, `${p.ip}/24`),
        () => hasAddress(c.world, c.host, null, p.bridge, `${p.gw}/24`),
        () => (toLan ? reachesVia(c.world, c.host, p.target, LAB.lanIp, p.gw) : true),
        () => (toLan ? forwarding(c.world, c.host, null, 'on the host', [p.bridge, LAB.hostIf]) : true),
      );
    return [
      { id: 'gateway', text: `${p.gw} answers ping from ${p.target}`, check: (c) => pingsOrDiagnose(c, p.target, p.gw, () => diagnose(c, false)) },
      { id: 'lan', text: `${LAB.lanIp} answers ping from ${p.target}`, check: (c) => pingsOrDiagnose(c, p.target, LAB.lanIp, () => diagnose(c, true)) },
      ...p.names
        .filter((n) => n !== p.target)
        .map((n, i) => ({ id: `other-${i + 1}`, text: `${LAB.lanIp} still answers ping from ${n}`, check: (c: CheckContext) => pingsOrDiagnose(c, n, LAB.lanIp, () => true) })),
    ];
  },
  hints: (p) => [
    `Walk the path from \`${p.target}\` outwards: its interface, the bridge port, the bridge, then the host's routing and forwarding.`,
    `Useful views: \`ip -n ${p.target} addr\`, \`ip -n ${p.target} route\`, \`bridge link\`, \`ip addr show ${p.bridge}\`, \`sysctl net.ipv4.ip_forward\`.`,
    `Compare \`${p.target}\` with a namespace that still works, such as \`${p.names.find((n) => n !== p.target)}\`.`,
    'Taking an interface down deletes the routes that use it: after bringing it back up, check the routes again.',
  ],
  solution: (p) => {
    switch (p.fault as Fault) {
      case 'ns-link-down':
        // taking a link down flushes the routes through it: the default route must come back too
        return [`ip -n ${p.target} link set veth-${p.target} up`, `ip -n ${p.target} route add default via ${p.gw}`];
      case 'br-link-down':
        return [`ip link set veth-${p.target}-br up`];
      case 'bridge-prefix':
        return [`ip addr del ${p.gw}/${p.badLen} dev ${p.bridge}`, `ip addr add ${p.gw}/24 dev ${p.bridge}`];
      case 'missing-route':
        return [`ip -n ${p.target} route add default via ${p.gw}`];
      case 'forward-off':
        return ['sysctl -w net.ipv4.ip_forward=1'];
    }
  },
  wrong: (p) => {
    switch (p.fault as Fault) {
      case 'ns-link-down':
        return [
          { name: 'brings up the host end instead', lines: [`ip link set veth-${p.target}-br up`], fails: 'lan', mentions: `veth-${p.target} is not up` },
          { name: 'brings the link up but not the route it lost', lines: [`ip -n ${p.target} link set veth-${p.target} up`], fails: 'lan', mentions: 'no route' },
        ];
      case 'br-link-down':
        return [
          { name: 'brings up the namespace end instead', lines: [`ip -n ${p.target} link set veth-${p.target} up`], fails: 'lan', mentions: `veth-${p.target}-br` },
          { name: 'brings up the bridge instead of its port', lines: [`ip link set ${p.bridge} up`], fails: 'lan', mentions: `veth-${p.target}-br` },
        ];
      case 'bridge-prefix':
        return [
          { name: 'restarts the bridge', lines: [`ip link set ${p.bridge} down`, `ip link set ${p.bridge} up`], fails: 'lan', mentions: `/${p.badLen}` },
          { name: 'deletes the narrow address without adding the /24 back', lines: [`ip addr del ${p.gw}/${p.badLen} dev ${p.bridge}`], fails: 'gateway', mentions: `${p.gw}/24` },
        ];
      case 'missing-route':
        return [
          { name: 'a default route without a gateway', lines: [`ip -n ${p.target} route add default dev veth-${p.target}`], fails: 'lan', mentions: 'gateway' },
          { name: 'the LAN host as gateway (not on a connected network)', lines: [`ip -n ${p.target} route add default via ${LAB.lanIp}`], fails: 'lan', mentions: 'no route' },
        ];
      case 'forward-off':
        return [
          { name: 'enables forwarding in the namespace', lines: [`ip netns exec ${p.target} sysctl -w net.ipv4.ip_forward=1`], fails: 'lan', mentions: 'forwarding' },
          { name: 'enables IPv6 forwarding only', lines: ['sysctl -w net.ipv6.conf.all.forwarding=1'], fails: 'lan', mentions: 'forwarding' },
          { name: 'forwarding on the bridge only (the answers come in by eth0)', lines: [`sysctl -w net.ipv4.conf.${p.bridge}.forwarding=1`], fails: 'lan', mentions: LAB.hostIf },
        ];
    }
  },
  alternatives: (p) => {
    const t = p.target;
    const check = [`ip netns exec ${t} ping -c 1 ${LAB.lanIp}`];
    const look = [`ip -n ${t} -br addr`, `ip -n ${t} route`, 'bridge link', `ip -br addr show ${p.bridge}`, 'sysctl net.ipv4.ip_forward'];
    const stay = ['ssh lan', `ping -c 1 ${LAB.hostIp}`];
    switch (p.fault as Fault) {
      case 'ns-link-down':
        return [
          { name: 'net-tools in the namespace', lines: [`ip netns exec ${t} ifconfig veth-${t} up`, `ip netns exec ${t} route add default gw ${p.gw}`, ...check] },
          { name: 'inspects first, then a route to the LAN only', lines: [...look, `ip -n ${t} link set dev veth-${t} up`, `ip -n ${t} route add ${LAB.lanNet} via ${p.gw}`, ...check] },
          { name: 'ip netns exec, then left logged into the LAN host', lines: [`ip netns exec ${t} ip link set veth-${t} up`, `ip netns exec ${t} ip route add default via ${p.gw}`, ...stay] },
        ];
      case 'br-link-down':
        return [
          { name: 'net-tools', lines: [`ifconfig veth-${t}-br up`, ...check] },
          { name: 'inspects first, abbreviations', lines: [...look, `ip l s dev veth-${t}-br up`, 'bridge link', ...check] },
          { name: 'fixed, then left logged into the LAN host', lines: [`ip link set veth-${t}-br up`, ...stay] },
        ];
      case 'bridge-prefix':
        return [
          { name: 'net-tools netmask', lines: [`ifconfig ${p.bridge} ${p.gw} netmask 255.255.255.0`, ...check] },
          { name: 'inspects first, abbreviations', lines: [...look, `ip a d ${p.gw}/${p.badLen} dev ${p.bridge}`, `ip a a ${p.gw}/24 dev ${p.bridge}`, ...check] },
          { name: 'flush and re-add, then left logged into the LAN host', lines: [`ip addr flush dev ${p.bridge}`, `ip addr add ${p.gw}/24 brd + dev ${p.bridge}`, ...stay] },
        ];
      case 'missing-route':
        return [
          { name: 'net-tools in the namespace', lines: [`ip netns exec ${t} route add default gw ${p.gw}`, ...check] },
          { name: 'inspects first, a /32 host route to the LAN host', lines: [...look, `ip -n ${t} route add ${LAB.lanIp}/32 via ${p.gw}`, ...check] },
          { name: 'route replace, then left logged into the LAN host', lines: [`ip -n ${t} route replace default via ${p.gw} dev veth-${t}`, ...stay] },
        ];
      case 'forward-off':
        return [
          { name: 'a /proc write', lines: ['echo 1 > /proc/sys/net/ipv4/ip_forward', ...check] },
          { name: 'forwarding on the two interfaces the traffic comes in by', lines: [...look, `sysctl -w net.ipv4.conf.${p.bridge}.forwarding=1 net.ipv4.conf.${LAB.hostIf}.forwarding=1`, ...check] },
          { name: 'conf.all, then left logged into the LAN host', lines: ['sysctl -w net.ipv4.conf.all.forwarding=1', ...stay] },
        ];
    }
  },
});
