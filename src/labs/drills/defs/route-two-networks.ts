import { defineDrill } from '../schema';
import { pings, reachesVia } from '../check';
import { twoNetworks } from './lib';

/**
 * router-two-networks, re-addressed per attempt: A -- switch1 -- router -- switch2 -- C.
 * The router forwards and C routes back; A lacks its route.
 */
export default defineDrill({
  id: 'route-two-networks',
  title: 'Route to the network behind a router',
  domain: 'routing',
  competencies: ['pod-connectivity'],
  difficulty: 'easy',
  minutes: 5,
  weight: 4,
  summary: 'Host A cannot reach a host on the other side of a router: add the route through the router.',
  scenario: 'router-two-networks',
  host: 'A',
  params(r) {
    return {
      ...twoNetworks(r),
      cRoute: r.pick(['default', 'net']),
    };
  },
  setup: (p) => [
    'ip addr flush dev eth0',
    `ip addr add ${p.ipA}/24 dev eth0`,
    { host: 'router', line: 'ip addr flush dev eth0' },
    { host: 'router', line: 'ip addr flush dev eth1' },
    { host: 'router', line: `ip addr add ${p.rtr1}/24 dev eth0` },
    { host: 'router', line: `ip addr add ${p.rtr2}/24 dev eth1` },
    { host: 'router', line: 'sysctl -w net.ipv4.ip_forward=1' },
    { host: 'C', line: 'ip addr flush dev eth0' },
    { host: 'C', line: `ip addr add ${p.ipC}/24 dev eth0` },
    { host: 'C', line: p.cRoute === 'default' ? `ip route add default via ${p.rtr2}` : `ip route add ${p.net1} via ${p.rtr2}` },
  ],
  task: (p) =>
    `You are on host A (\`${p.ipA}\`). Host C (\`${p.ipC}\`) sits on the network \`${p.net2}\`, behind a router whose address on A's network is \`${p.rtr1}\`. ` +
    `The router forwards and C already knows the way back.\n` +
    `Add a route on A so that it reaches \`${p.net2}\` through the router, and check that C answers ping.`,
  requirements: (p) => [
    {
      id: 'route',
      text: `A routes ${p.net2} via ${p.rtr1}`,
      // the whole network, not only C: its other addresses (the router's own there) take the same way
      check: (c) => {
        const r = reachesVia(c.world, 'A', null, p.ipC, p.rtr1);
        if (r !== true) return r;
        const other = reachesVia(c.world, 'A', null, p.rtr2, p.rtr1);
        return other === true ? true : `A reaches ${p.ipC} but not the rest of ${p.net2}: ${other}`;
      },
    },
    { id: 'ping', text: `${p.ipC} answers ping from A`, check: (c) => pings(c, null, p.ipC, 'A') },
  ],
  hints: (p) => [
    'A only knows its own network. Look at `ip route`.',
    `The gateway of a route must be on a network A is directly connected to: the router's ${p.rtr1}, not its address on the far side.`,
    `\`ip route add ${p.net2} via ${p.rtr1}\``,
  ],
  solution: (p) => [`ip route add ${p.net2} via ${p.rtr1}`, `ping -c 1 ${p.ipC}`],
  wrong: (p) => [
    { name: 'uses the router’s far address as gateway', lines: [`ip route add ${p.net2} via ${p.rtr2}`], fails: 'route', mentions: 'no route' },
    { name: 'routes the network straight out of eth0', lines: [`ip route add ${p.net2} dev eth0`], fails: 'route', mentions: 'gateway' },
    { name: 'a host route to C only', lines: [`ip route add ${p.ipC}/32 via ${p.rtr1}`], fails: 'route', mentions: `rest of ${p.net2}` },
  ],
  alternatives: (p) => [
    { name: 'a default route via the router', lines: ['ip route', `ip route add default via ${p.rtr1}`, `ping -c 1 ${p.ipC}`] },
    { name: 'net-tools', lines: [`route add -net ${p.net2.replace('/24', '')} netmask 255.255.255.0 gw ${p.rtr1}`, 'route -n'] },
    { name: 'typed on A through the router, and left there', lines: ['ssh router', 'ssh A', `ip r a ${p.net2} via ${p.rtr1} dev eth0`, `ping -c 1 ${p.ipC}`] },
  ],
});
