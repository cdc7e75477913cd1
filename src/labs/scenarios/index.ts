// The starting worlds used by the chapters, quizzes, drills and the fidelity
// replay, declared as data: hosts, the switches and cables between them, and
// per host a list of setup lines in the fidelity corpus's vocabulary (plain
// commands, `@daemon`, `@spawn`, `@sleep`, `@hostname`, `@nic IFNAME SEGMENT`),
// applied by src/shell/scenario-builder.ts. Course data: the shell is handed
// the definition (Session.create({ scenario: getScenario(NAME) })), it never
// looks scenarios up itself.

import { BLANK_SCENARIO, CORPUS_SCENARIO, type ScenarioDef } from '../../shell/scenario-builder';
import { k8sCluster, k8sNodeFiles, k8sNodeSetup } from './k8s-node';
import { CLUSTER_SCENARIOS } from './k8s-cluster';
import { CALICO_SCENARIOS } from './k8s-calico';

export type { ScenarioDef, ScenarioHost, ScenarioSegment } from '../../shell/scenario-builder';

export const scenarios: Record<string, ScenarioDef> = {};

export function defineScenario(def: ScenarioDef): ScenarioDef {
  scenarios[def.name] = def;
  return def;
}

/** The capture host of the fidelity corpus (only `lo`, DOWN), as the fidelity replay starts from it. */
defineScenario(CORPUS_SCENARIO);

/** What a session starts with when given no scenario: one host with `lo` up. */
defineScenario(BLANK_SCENARIO);

/** A scenario by name; throws on an unknown name. */
export function getScenario(name: string): ScenarioDef {
  const def = scenarios[name];
  if (!def) throw new Error(`unknown scenario: ${name}`);
  return def;
}

export function scenarioNames(): string[] {
  return Object.keys(scenarios);
}

const HOST_BASE = BLANK_SCENARIO.hosts[0]!.setup;

defineScenario({
  name: 'two-hosts-switch',
  title: 'Two computers on a switch',
  description: 'Hosts A and B, each with an eth0 plugged into the same switch. No addresses yet.',
  segments: [{ id: 'switch', kind: 'switch' }],
  hosts: [
    { id: 'A', setup: [...HOST_BASE, '@nic eth0 switch', 'ip link set eth0 up'] },
    { id: 'B', setup: [...HOST_BASE, '@nic eth0 switch', 'ip link set eth0 up'] },
  ],
  defaultHost: 'A',
});

defineScenario({
  name: 'two-hosts-switch-solved',
  title: 'Two computers on a switch, configured',
  description: 'A (192.165.1.10/24) and B (192.165.1.11/24) on one switch.',
  segments: [{ id: 'switch', kind: 'switch' }],
  hosts: [
    { id: 'A', setup: [...HOST_BASE, '@nic eth0 switch', 'ip addr add 192.165.1.10/24 dev eth0', 'ip link set eth0 up'] },
    { id: 'B', setup: [...HOST_BASE, '@nic eth0 switch', 'ip addr add 192.165.1.11/24 dev eth0', 'ip link set eth0 up'] },
  ],
  defaultHost: 'A',
});

defineScenario({
  name: 'router-two-networks',
  title: 'Two networks joined by a router',
  description:
    'A (192.165.1.10) on switch1, C (192.165.2.10) on switch2, and a Linux router with eth0 192.165.1.1 and eth1 192.165.2.1. ' +
    'No routes beyond the connected ones; forwarding is off on the router. Use ssh router / ssh C to work on the other machines.',
  segments: [
    { id: 'switch1', kind: 'switch' },
    { id: 'switch2', kind: 'switch' },
  ],
  hosts: [
    { id: 'A', setup: [...HOST_BASE, '@nic eth0 switch1', 'ip addr add 192.165.1.10/24 dev eth0', 'ip link set eth0 up'] },
    {
      id: 'router',
      setup: [...HOST_BASE, '@nic eth0 switch1', '@nic eth1 switch2', 'ip addr add 192.165.1.1/24 dev eth0', 'ip addr add 192.165.2.1/24 dev eth1', 'ip link set eth0 up', 'ip link set eth1 up'],
    },
    { id: 'C', setup: [...HOST_BASE, '@nic eth0 switch2', 'ip addr add 192.165.2.10/24 dev eth0', 'ip link set eth0 up'] },
  ],
  defaultHost: 'A',
});

const DNSMASQ =
  'dnsmasq --keep-in-foreground --conf-file=/dev/null --no-hosts --no-resolv --bind-interfaces --listen-address=192.168.15.10 ' +
  '--user=nobody --group=nogroup --log-facility=- --local=/example.test/ --local=/example.com/ --local-ttl=300 ' +
  '--host-record=web.example.test,192.168.15.20 --host-record=example.test,192.168.15.30 --host-record=mail.example.test,192.168.15.25 ' +
  '--host-record=ipv6.example.test,fd00:15::40 --cname=www.example.test,web.example.test ' +
  '--host-record=www.example.com,192.168.15.40 --host-record=www.example.com,fd00:15::41 --cname=flowers.example.com,www.example.com ' +
  '--host-record=db.example.com,192.168.15.50 --mx-host=example.test,mail.example.test,10 --txt-record=example.test,"v=spf1 mx -all"';

defineScenario({
  name: 'dns-server',
  title: 'A host with a DNS server',
  description:
    'controlplane with a DNS server (dnsmasq) at 192.168.15.10 in namespace dns, behind bridge v-net-0 (192.168.15.1). ' +
    'It serves example.test and example.com (web, www, flowers, mail, ipv6). /etc/resolv.conf points at it.',
  hosts: [
    {
      id: 'controlplane',
      setup: [
        ...HOST_BASE,
        'ip link add v-net-0 type bridge',
        'ip link set v-net-0 up',
        'ip addr add 192.168.15.1/24 dev v-net-0',
        'ip netns add dns',
        'ip link add veth-dns type veth peer name veth-dns-br',
        'ip link set veth-dns netns dns',
        'ip link set veth-dns-br master v-net-0',
        'ip link set veth-dns-br up',
        'ip -n dns link set lo up',
        'ip -n dns addr add 192.168.15.10/24 dev veth-dns',
        'ip -n dns link set veth-dns up',
        `@spawn ip netns exec dns ${DNSMASQ}`,
        "printf 'nameserver 192.168.15.10\\n' > /etc/resolv.conf",
      ],
    },
  ],
  defaultHost: 'controlplane',
});

/** The LAN host next to the namespace lab's host: 192.168.1.3, with a web server. */
const LAN_HOST = { id: 'lan', setup: [...HOST_BASE, '@nic eth0 lan-cable', 'ip addr add 192.168.1.3/24 dev eth0', 'ip link set eth0 up', '@daemon sshd tcp:0.0.0.0:22'] };
const LAB_HOST_BASE = [...HOST_BASE, '@nic eth0 lan-cable', 'ip addr add 192.168.1.2/24 dev eth0', 'ip link set eth0 up'];

/**
 * The book's namespace script as a learner runs it on `netns-lab`, with the
 * omissions it mentions fixed (loopback up, an address on the bridge so the
 * host can reach the namespaces, forwarding on). Addresses follow the bridge
 * lab: v-net-0 192.168.15.1, red .2, blue .3.
 */
export const NETNS_SCRIPT: string[] = [
  'ip netns add red',
  'ip netns add blue',
  'ip link add v-net-0 type bridge',
  'ip link set dev v-net-0 up',
  'ip link add veth-red type veth peer name veth-red-br',
  'ip link add veth-blue type veth peer name veth-blue-br',
  'ip link set veth-red netns red',
  'ip link set veth-red-br master v-net-0',
  'ip link set veth-blue netns blue',
  'ip link set veth-blue-br master v-net-0',
  'ip -n red addr add 192.168.15.2/24 dev veth-red',
  'ip -n blue addr add 192.168.15.3/24 dev veth-blue',
  'ip -n red link set veth-red up',
  'ip -n blue link set veth-blue up',
  'ip link set veth-red-br up',
  'ip link set veth-blue-br up',
  'ip -n red link set lo up',
  'ip -n blue link set lo up',
  'ip addr add 192.168.15.1/24 dev v-net-0',
  'ip netns exec red ip route add default via 192.168.15.1',
  'ip netns exec blue ip route add default via 192.168.15.1',
  'sysctl -w net.ipv4.ip_forward=1',
  'iptables -t nat -A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE',
];

defineScenario({
  name: 'netns-lab',
  title: 'The namespace lab: a host on a LAN',
  description: 'controlplane (eth0 192.168.1.2/24) on a cable to a LAN host lan (192.168.1.3). No namespaces yet: build them.',
  segments: [{ id: 'lan-cable', kind: 'cable' }],
  hosts: [{ id: 'controlplane', setup: LAB_HOST_BASE }, LAN_HOST],
  defaultHost: 'controlplane',
});

/**
 * The four namespaces on v-net-0 with their IPv4 default routes. With `v6`, the IPv6 lab's additions (beyond
 * the book): fd00:15::1/64 on the bridge, fd00:15::2 to ::5 in red to yellow, and fixed veth MACs
 * (02:15:00:00:00:02 to :05), so that the link-local addresses are known (fe80::15:ff:fe00:2 ...), as in fixture 96.
 */
function bridge4(v6 = false): string[] {
  const out = ['ip link add v-net-0 type bridge', 'ip link set v-net-0 up', 'ip addr add 192.168.15.1/24 dev v-net-0', ...(v6 ? ['ip addr add fd00:15::1/64 dev v-net-0'] : [])];
  ['red', 'blue', 'green', 'yellow'].forEach((n, i) => {
    out.push(
      `ip netns add ${n}`,
      `ip link add veth-${n}${v6 ? ` address 02:15:00:00:00:0${i + 2}` : ''} type veth peer name veth-${n}-br`,
      `ip link set veth-${n} netns ${n}`,
      `ip link set veth-${n}-br master v-net-0`,
      `ip link set veth-${n}-br up`,
      `ip -n ${n} link set lo up`,
      `ip -n ${n} addr add 192.168.15.${i + 2}/24 dev veth-${n}`,
      ...(v6 ? [`ip -n ${n} addr add fd00:15::${i + 2}/64 dev veth-${n}`] : []),
      `ip -n ${n} link set veth-${n} up`,
      `ip -n ${n} route add default via 192.168.15.1`,
    );
  });
  return out;
}
const BRIDGE4 = bridge4();

defineScenario({
  name: 'netns-lab-solved',
  title: 'The namespace lab, finished',
  description:
    'The book\'s network, built: namespaces red, blue, green and yellow (192.168.15.2-5) on bridge v-net-0 (192.168.15.1), default routes via the bridge, ' +
    'forwarding on, MASQUERADE for 192.168.15.0/24, a web server on blue:80 published on the host\'s port 80 by DNAT; the LAN host lan (192.168.1.3) beyond eth0.',
  segments: [{ id: 'lan-cable', kind: 'cable' }],
  hosts: [
    {
      id: 'controlplane',
      setup: [
        ...LAB_HOST_BASE,
        ...BRIDGE4,
        'sysctl -w net.ipv4.ip_forward=1',
        'iptables -t nat -A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE',
        'iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.15.3:80',
        '@httpd -n blue 0.0.0.0:80 --body "hello from blue"',
      ],
    },
    LAN_HOST,
  ],
  defaultHost: 'controlplane',
});

/**
 * The namespace lab with IPv6 beside IPv4 (beyond the book): fd00:15::/64 on v-net-0, fd00:1::/64 on the LAN
 * cable (the host's eth0 fd00:1::2, the LAN host fd00:1::3). Not done yet, for the learner: IPv6 forwarding on
 * the host, the namespaces' IPv6 default routes, the LAN host's route back.
 */
defineScenario({
  name: 'netns-lab-ipv6',
  title: 'The namespace lab with IPv6',
  description:
    'The finished namespace lab (red, blue, green and yellow on v-net-0, IPv4 default routes, forwarding and MASQUERADE) with IPv6 addresses beside: ' +
    'fd00:15::1/64 on v-net-0, fd00:15::2 to ::5 in the namespaces, fd00:1::2/64 on the host\'s eth0 and fd00:1::3/64 on the LAN host lan. ' +
    'IPv6 forwarding is off, the namespaces have no IPv6 default route, and lan has no route to fd00:15::/64.',
  segments: [{ id: 'lan-cable', kind: 'cable' }],
  hosts: [
    {
      id: 'controlplane',
      setup: [...LAB_HOST_BASE, 'ip addr add fd00:1::2/64 dev eth0', ...bridge4(true), 'sysctl -w net.ipv4.ip_forward=1', 'iptables -t nat -A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE', '@sleep 3'],
    },
    { ...LAN_HOST, setup: [...LAN_HOST.setup, 'ip addr add fd00:1::3/64 dev eth0', '@daemon web tcp6:[::]:80', '@sleep 3'] },
  ],
  defaultHost: 'controlplane',
});

const K8S = k8sCluster();
defineScenario({
  name: 'k8s-node',
  title: 'A Kubernetes control-plane node',
  description:
    'controlplane, a kubeadm node (192.168.121.10 on eth0, default gateway 192.168.121.1) running etcd, the API server, scheduler, controller manager, ' +
    'kubelet, kube-proxy (iptables mode) and Weave Net (bridge weave, pod range 10.244.0.0/16), with CoreDNS and two web pods behind Services.',
  segments: [{ id: 'controlplane-uplink', kind: 'cable' }],
  cluster: () => structuredClone(K8S),
  hosts: [
    { id: 'controlplane', files: k8sNodeFiles(K8S), setup: k8sNodeSetup(K8S) },
    { id: 'gateway', setup: [...HOST_BASE, '@nic eth0 controlplane-uplink', 'ip addr add 192.168.121.1/24 dev eth0', 'ip link set eth0 up'] },
  ],
  defaultHost: 'controlplane',
});

defineScenario({
  name: 'proxy-lab',
  title: 'A reverse proxy in front of two web servers',
  description:
    'client (10.0.0.2), an NGINX reverse proxy (proxy, 10.0.0.10:80) and two backends web1 (10.0.0.11:8080) and web2 (10.0.0.12:8080) on one switch. ' +
    'The proxy spreads requests over the backends, round robin.',
  segments: [{ id: 'switch', kind: 'switch' }],
  hosts: [
    { id: 'client', setup: [...HOST_BASE, '@nic eth0 switch', 'ip addr add 10.0.0.2/24 dev eth0', 'ip link set eth0 up', "printf '10.0.0.10\\tproxy www.example.test\\n' >> /etc/hosts"] },
    { id: 'proxy', setup: [...HOST_BASE, '@nic eth0 switch', 'ip addr add 10.0.0.10/24 dev eth0', 'ip link set eth0 up', '@httpd 0.0.0.0:80 --name nginx --proxy 10.0.0.11:8080,10.0.0.12:8080'] },
    { id: 'web1', setup: [...HOST_BASE, '@nic eth0 switch', 'ip addr add 10.0.0.11/24 dev eth0', 'ip link set eth0 up', '@httpd 0.0.0.0:8080 --name python3 --body "Hello from web1"'] },
    { id: 'web2', setup: [...HOST_BASE, '@nic eth0 switch', 'ip addr add 10.0.0.12/24 dev eth0', 'ip link set eth0 up', '@httpd 0.0.0.0:8080 --name python3 --body "Hello from web2"'] },
  ],
  defaultHost: 'client',
});

// The live Kubernetes cluster and its variants (k8s-cluster.ts).
for (const def of CLUSTER_SCENARIOS) defineScenario(def);
for (const def of CALICO_SCENARIOS) defineScenario(def);
