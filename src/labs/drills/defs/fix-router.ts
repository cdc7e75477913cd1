import { defineDrill, type CheckContext } from '../schema';
import { all, forwarding, hasAddress, linkUp, pingsOrDiagnose } from '../check';
import { narrowPrefix, twoNetworks } from './lib';

const FAULTS = ['forward-off', 'eth0-down', 'eth1-down', 'eth0-prefix', 'eth1-prefix'] as const;
type Fault = (typeof FAULTS)[number];

const iface = (f: string) => (f.startsWith('eth0') ? 'eth0' : f.startsWith('eth1') ? 'eth1' : null);

export default defineDrill({
  id: 'fix-router',
  title: 'Troubleshoot: the router between two networks',
  domain: 'troubleshooting',
  competencies: ['pod-connectivity', 'troubleshoot-network'],
  difficulty: 'hard',
  minutes: 10,
  weight: 8,
  summary: 'Hosts on two networks no longer talk through the router you are logged in to. Two things are wrong: find and fix them.',
  scenario: 'router-two-networks',
  host: 'router',
  params(r) {
    const net = twoNetworks(r);
    const first = r.pick(FAULTS);
    const second = r.pick(FAULTS.filter((f) => f !== first && (iface(f) === null || iface(f) !== iface(first))));
    return {
      ...net,
      faults: [first, second],
      len0: narrowPrefix(net.rtr1, net.ipA, r.int(0, 4)),
      len1: narrowPrefix(net.rtr2, net.ipC, r.int(0, 4)),
    };
  },
  setup: (p) => {
    const lines: ({ host: string; line: string } | string)[] = [
      { host: 'A', line: 'ip addr flush dev eth0' },
      { host: 'A', line: `ip addr add ${p.ipA}/24 dev eth0` },
      { host: 'A', line: `ip route add default via ${p.rtr1}` },
      { host: 'C', line: 'ip addr flush dev eth0' },
      { host: 'C', line: `ip addr add ${p.ipC}/24 dev eth0` },
      { host: 'C', line: `ip route add default via ${p.rtr2}` },
      'ip addr flush dev eth0',
      'ip addr flush dev eth1',
      `ip addr add ${p.rtr1}/${p.faults.includes('eth0-prefix') ? p.len0 : 24} dev eth0`,
      `ip addr add ${p.rtr2}/${p.faults.includes('eth1-prefix') ? p.len1 : 24} dev eth1`,
    ];
    if (!p.faults.includes('forward-off')) lines.push('sysctl -w net.ipv4.ip_forward=1');
    if (p.faults.includes('eth0-down')) lines.push('ip link set eth0 down');
    if (p.faults.includes('eth1-down')) lines.push('ip link set eth1 down');
    return lines;
  },
  task: (p) =>
    `You are logged in to the router. Host A (\`${p.ipA}\`, network \`${p.net1}\`) and host C (\`${p.ipC}\`, network \`${p.net2}\`) use it as their default gateway: ` +
    `\`${p.rtr1}\` on eth0 and \`${p.rtr2}\` on eth1, both /24.\n` +
    `A and C cannot reach each other. Two things are wrong on this router: find and fix them, so that A and C answer each other's pings. (\`ssh A\` and \`ssh C\` work if you want to test from there.)`,
  requirements: (p) => {
    const diagnose = (c: CheckContext) =>
      all(
        linkUp(c.world, 'router', null, 'eth0'),
        () => linkUp(c.world, 'router', null, 'eth1'),
        () => hasAddress(c.world, 'router', null, 'eth0', `${p.rtr1}/24`),
        () => hasAddress(c.world, 'router', null, 'eth1', `${p.rtr2}/24`),
        () => forwarding(c.world, 'router', null, 'on the router', ['eth0', 'eth1']),
      );
    return [
      { id: 'a-to-c', text: `${p.ipC} answers ping from A`, check: (c) => pingsOrDiagnose(c, null, p.ipC, () => diagnose(c), 'A') },
      { id: 'c-to-a', text: `${p.ipA} answers ping from C`, check: (c) => pingsOrDiagnose(c, null, p.ipA, () => diagnose(c), 'C') },
    ];
  },
  hints: () => [
    'Check the router layer by layer: are both interfaces up, do they have the right addresses and prefixes, does the kernel forward?',
    '`ip -br link`, `ip -br addr`, `sysctl net.ipv4.ip_forward`.',
    'A /24 written with the wrong prefix length leaves the hosts outside the router\'s connected network: delete the address and add it again with /24.',
  ],
  solution: (p) => fixes(p.faults as Fault[], p),
  wrong: (p) => {
    const [first, second] = p.faults as [Fault, Fault];
    const culprit: Record<Fault, string> = {
      'forward-off': 'forwarding',
      'eth0-down': 'eth0 is not up',
      'eth1-down': 'eth1 is not up',
      'eth0-prefix': `/${p.len0}`,
      'eth1-prefix': `/${p.len1}`,
    };
    return [
      { name: `fixes only ${first}`, lines: fixes([first], p), fails: 'a-to-c', mentions: culprit[second] },
      { name: `fixes only ${second}`, lines: fixes([second], p), fails: 'c-to-a', mentions: culprit[first] },
    ];
  },
  alternatives: (p) => {
    const faults = p.faults as Fault[];
    const netTools = faults.flatMap((f): string[] => {
      switch (f) {
        case 'forward-off':
          return ['echo 1 > /proc/sys/net/ipv4/ip_forward'];
        case 'eth0-down':
          return ['ifconfig eth0 up'];
        case 'eth1-down':
          return ['ifconfig eth1 up'];
        case 'eth0-prefix':
          return [`ifconfig eth0 ${p.rtr1} netmask 255.255.255.0`];
        case 'eth1-prefix':
          return [`ifconfig eth1 ${p.rtr2} netmask 255.255.255.0`];
      }
    });
    const short = [...faults].reverse().flatMap((f): string[] => {
      switch (f) {
        case 'forward-off':
          return ['sysctl -w net.ipv4.conf.eth0.forwarding=1 net.ipv4.conf.eth1.forwarding=1'];
        case 'eth0-down':
          return ['ip l s dev eth0 up'];
        case 'eth1-down':
          return ['ip l s dev eth1 up'];
        case 'eth0-prefix':
          return ['ip a flush dev eth0', `ip a a ${p.rtr1}/24 dev eth0`];
        case 'eth1-prefix':
          return ['ip a flush dev eth1', `ip a a ${p.rtr2}/24 dev eth1`];
      }
    });
    return [
      { name: 'net-tools and a /proc write', lines: ['ip -br link', 'ip -br addr', 'sysctl net.ipv4.ip_forward', ...netTools, `ping -c 1 ${p.ipA}`] },
      { name: 'per-interface forwarding and abbreviations, in the other order', lines: [...short, 'ip -br a'] },
      { name: 'tested from A through the router, then left logged into C', lines: ['ssh A', `ping -c 1 -W 1 ${p.ipC}`, 'exit', ...fixes(faults, p), 'ssh C', `ping -c 1 ${p.ipA}`] },
    ];
  },
});

function fixes(faults: Fault[], p: { rtr1: string; rtr2: string; len0: number; len1: number }): string[] {
  return faults.flatMap((f) => {
    switch (f) {
      case 'forward-off':
        return ['sysctl -w net.ipv4.ip_forward=1'];
      case 'eth0-down':
        return ['ip link set eth0 up'];
      case 'eth1-down':
        return ['ip link set eth1 up'];
      case 'eth0-prefix':
        return [`ip addr del ${p.rtr1}/${p.len0} dev eth0`, `ip addr add ${p.rtr1}/24 dev eth0`];
      case 'eth1-prefix':
        return [`ip addr del ${p.rtr2}/${p.len1} dev eth1`, `ip addr add ${p.rtr2}/24 dev eth1`];
    }
  });
}
