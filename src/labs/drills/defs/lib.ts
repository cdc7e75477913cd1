// Parameter pools and setup builders shared by the drill files.
import type { Rand } from '../rand';

/** Namespace names: short (an interface name `veth-NAME-br` must fit in 15 characters). */
export const NS_NAMES = [
  'red', 'blue', 'green', 'yellow', 'orange', 'purple', 'pink', 'cyan', 'teal', 'lime', 'amber', 'coral',
  'olive', 'navy', 'ruby', 'jade', 'onyx', 'gold', 'plum', 'mint', 'sky', 'rose', 'sand', 'iron',
  'web', 'db', 'api', 'cache', 'app', 'queue', 'auth', 'shop', 'blog', 'mail', 'edge', 'logs',
] as const;

/** Host names for /etc/hosts drills. */
export const SERVICE_NAMES = [
  'db', 'web', 'api', 'cache', 'registry', 'mirror', 'ldap', 'vault', 'grafana', 'gitlab', 'nexus', 'backup',
  'metrics', 'search', 'queue', 'proxy', 'storage', 'build', 'jenkins', 'harbor', 'mail', 'ntp', 'logs', 'auth',
] as const;

export const DOMAIN_NAMES = ['corp.example', 'lab.internal', 'example.org', 'infra.test', 'ops.example', 'dev.lan'] as const;

/** A random 10.X.Y.0/24 network, away from the ranges the scenarios use. */
export function subnet24(r: Rand): string {
  const x = r.pick([r.int(1, 95), r.int(97, 199), r.int(201, 250)]);
  return `10.${x}.${r.int(0, 255)}`;
}

/**
 * The router-two-networks addressing: two distinct random /24s, host A and the router's eth0 on the first,
 * host C and the router's eth1 on the second.
 */
export function twoNetworks(r: Rand) {
  const n1 = subnet24(r);
  let n2 = subnet24(r);
  while (n2 === n1) n2 = subnet24(r);
  const [a, r1] = r.distinctInts(2, 250, 2) as [number, number];
  const [c, r2] = r.distinctInts(2, 250, 2) as [number, number];
  return { net1: `${n1}.0/24`, net2: `${n2}.0/24`, ipA: `${n1}.${a}`, rtr1: `${n1}.${r1}`, rtr2: `${n2}.${r2}`, ipC: `${n2}.${c}` };
}

/** `n` distinct host numbers in 2..250. */
export function hostNumbers(r: Rand, n: number): number[] {
  return r.distinctInts(2, 250, n);
}

export interface NsMember {
  name: string;
  ip: string;
  /** the end inside the namespace */
  dev: string;
  /** the end on the host (bridge port) */
  brdev: string;
}

/** The book's namespace network: a bridge on the host, one veth per namespace, the bridge address as gateway. */
export interface BridgeNet {
  bridge: string;
  /** "10.X.Y" */
  prefix: string;
  gw: string;
  members: NsMember[];
}

export function bridgeNet(r: Rand, count: number, bridge?: string): BridgeNet {
  const prefix = subnet24(r);
  const names = r.sample(NS_NAMES, count);
  const [gwHost, ...hosts] = hostNumbers(r, count + 1) as [number, ...number[]];
  return {
    bridge: bridge ?? r.pick(['v-net-0', 'v-net-1', 'br0', 'br-lab', 'virbr9', 'netbr']),
    prefix,
    gw: `${prefix}.${gwHost}`,
    members: names.map((name, i) => ({ name, ip: `${prefix}.${hosts[i]}`, dev: `veth-${name}`, brdev: `veth-${name}-br` })),
  };
}

/** Lines that create the bridge, with its address, up. */
export function bridgeLines(n: BridgeNet): string[] {
  return [`ip link add ${n.bridge} type bridge`, `ip link set ${n.bridge} up`, `ip addr add ${n.gw}/24 dev ${n.bridge}`];
}

/** Lines that plug one namespace into the bridge, address it and bring both ends up. */
export function memberLines(n: BridgeNet, m: NsMember, opts: { defaultRoute?: boolean } = {}): string[] {
  const lines = [
    `ip netns add ${m.name}`,
    `ip link add ${m.dev} type veth peer name ${m.brdev}`,
    `ip link set ${m.dev} netns ${m.name}`,
    `ip link set ${m.brdev} master ${n.bridge}`,
    `ip -n ${m.name} addr add ${m.ip}/24 dev ${m.dev}`,
    `ip -n ${m.name} link set ${m.dev} up`,
    `ip -n ${m.name} link set lo up`,
    `ip link set ${m.brdev} up`,
  ];
  if (opts.defaultRoute) lines.push(`ip -n ${m.name} route add default via ${n.gw}`);
  return lines;
}

/** The whole network; `routes` lists the members that get a default route via the bridge. */
export function bridgeNetLines(n: BridgeNet, routes: string[] = n.members.map((m) => m.name)): string[] {
  return [...bridgeLines(n), ...n.members.flatMap((m) => memberLines(n, m, { defaultRoute: routes.includes(m.name) }))];
}

/** Answer files, as in the exam: /opt/answers/qN.txt (the directory exists at the start). */
export function answerPath(r: Rand): string {
  return `/opt/answers/q${r.int(1, 17)}.txt`;
}

export const ANSWERS_DIR_SETUP = 'mkdir -p /opt/answers';

/**
 * Three other ways to write a drill's answer files (`[file, value]` pairs),
 * after the inspection lines `look`: printf, tee after looking, and a
 * here-string typed on the node before an ssh login to another host of the
 * scenario (`other`) that is left open.
 */
export function answerAlternatives(answers: [string, string][], look: string[], other = 'node01'): { name: string; lines: string[] }[] {
  return [
    { name: 'printf, no inspection', lines: answers.map(([f, v]) => `printf '%s\\n' '${v}' > ${f}`) },
    { name: 'inspection, then tee', lines: [...look, ...answers.map(([f, v]) => `echo '${v}' | tee ${f}`)] },
    { name: `a here-string, then left logged into ${other}`, lines: [...answers.map(([f, v]) => `cat > ${f} <<< '${v}'`), `ssh ${other}`] },
  ];
}

/** The netns-lab scenario: the host's eth0 and the LAN host behind it. */
export const LAB = { hostIf: 'eth0', hostIp: '192.168.1.2', lanIp: '192.168.1.3', lanNet: '192.168.1.0/24', lanHost: 'lan' } as const;

/** Rebuild a BridgeNet from flat drill parameters. */
export function netFromParams(p: { bridge: string; prefix: string; gw: string; names: string[]; ips: string[] }): BridgeNet {
  return {
    bridge: p.bridge,
    prefix: p.prefix,
    gw: p.gw,
    members: p.names.map((name, i) => ({ name, ip: p.ips[i]!, dev: `veth-${name}`, brdev: `veth-${name}-br` })),
  };
}

/** Flat drill parameters for a BridgeNet. */
export function netParams(n: BridgeNet): { bridge: string; prefix: string; gw: string; names: string[]; ips: string[] } {
  return { bridge: n.bridge, prefix: n.prefix, gw: n.gw, names: n.members.map((m) => m.name), ips: n.members.map((m) => m.ip) };
}

/** The k8s-node scenario's facts the cluster drills rely on (src/labs/scenarios/k8s-node.ts K8S_NODE_DEFAULTS). */
export const NODE = { ip: '192.168.121.10', net: '192.168.121', nic: 'eth0' } as const;

/** A prefix length (26..30) whose block around `ip` leaves out `other`. */
export function narrowPrefix(ip: string, other: string, pick: number): number {
  const last = (a: string) => Number(a.split('.')[3]);
  const options = [26, 27, 28, 29, 30].filter((len) => {
    const size = 2 ** (32 - len);
    return Math.floor(last(ip) / size) !== Math.floor(last(other) / size);
  });
  return options[pick % options.length] ?? 32;
}

