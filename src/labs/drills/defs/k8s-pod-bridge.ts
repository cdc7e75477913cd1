import { defineDrill, type CheckContext } from '../schema';
import { answerFile, nsOf } from '../check';
import { ANSWERS_DIR_SETUP } from './lib';
import { AGNHOST, APP_NAMES, NS_POOL, cluster, getObj, putObjects } from './k8s-lib';

/** The pod's IP, from the cluster's state. */
function podIp(c: CheckContext, ns: string, name: string): string | null {
  return getObj(cluster(c), 'pods', ns, name)?.status?.podIP ?? null;
}

/** The host side of the veth whose other end carries `ip` in some namespace of the host, and the bridge it is a port of. */
export function podPlumbing(c: CheckContext, ip: string): { veth: string; bridge: string | null } | null {
  const host = c.world.state.hosts[c.host];
  const root = nsOf(c.world, c.host, null);
  if (!host || !root) return null;
  for (const id of Object.values(host.netns)) {
    const ns = c.world.state.namespaces[id];
    const a = ns?.addrs.find((x) => x.local === ip);
    if (!ns || !a) continue;
    const link = ns.links.find((l) => l.ifindex === a.ifindex);
    if (!link?.peer || link.peer.ns !== root.id) return null;
    const veth = root.links.find((l) => l.ifindex === link.peer!.ifindex);
    if (!veth) return null;
    const bridge = veth.master == null ? null : (root.links.find((l) => l.ifindex === veth.master)?.name ?? null);
    return { veth: veth.name, bridge };
  }
  return null;
}

export default defineDrill({
  id: 'k8s-pod-bridge',
  title: 'Follow a pod’s cable to the bridge',
  domain: 'cluster',
  competencies: ['pod-connectivity'],
  difficulty: 'medium',
  minutes: 6,
  weight: 4,
  summary: 'Find the bridge the CNI plugin created on the node, and the host-side veth of one pod plugged into it.',
  scenario: 'k8s-cluster',
  params(r) {
    const [f1, f2] = r.sample(Array.from({ length: 17 }, (_, i) => i + 1), 2) as [number, number];
    return { pod: `${r.pick(APP_NAMES)}-${r.int(0, 9)}`, podNs: r.pick(NS_POOL), bridgeFile: `/opt/answers/q${f1}.txt`, vethFile: `/opt/answers/q${f2}.txt` };
  },
  setup: () => [ANSWERS_DIR_SETUP],
  prepare: (w, p) =>
    putObjects(w, [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.pod, namespace: p.podNs }, spec: { nodeName: 'controlplane', containers: [{ name: 'app', image: AGNHOST, args: ['netexec', '--http-port=8080'] }] } }]),
  task: (p) =>
    `The pods of this node (controlplane) are plugged into a Linux bridge created by the CNI plugin.\n` +
    `- Write the name of that bridge to \`${p.bridgeFile}\`.\n` +
    `- The pod \`${p.pod}\` (namespace \`${p.podNs}\`) reaches the bridge through a veth pair. Write the name of the pair's end on the node (the host side) to \`${p.vethFile}\`.`,
  requirements: (p) => [
    {
      id: 'bridge',
      text: `${p.bridgeFile} holds the name of the pods' bridge`,
      check: (c) => {
        const ip = podIp(c, p.podNs, p.pod);
        const plumbing = ip ? podPlumbing(c, ip) : null;
        if (!plumbing?.bridge) return `the pod ${p.pod} is no longer plugged into a bridge`;
        return answerFile(c.world, c.host, p.bridgeFile, plumbing.bridge);
      },
    },
    {
      id: 'veth',
      text: `${p.vethFile} holds the host side of ${p.pod}'s veth pair`,
      check: (c) => {
        const ip = podIp(c, p.podNs, p.pod);
        const plumbing = ip ? podPlumbing(c, ip) : null;
        if (!plumbing) return `the pod ${p.pod} has no veth pair to the node any more`;
        return answerFile(c.world, c.host, p.vethFile, plumbing.veth);
      },
    },
  ],
  hints: (p) => [
    '`ip link show type bridge` lists the bridges; `bridge link` lists their ports.',
    `\`kubectl get pod ${p.pod} -n ${p.podNs} -o wide\` gives the pod's IP. Each pod has its own network namespace (\`ip netns list\`): find the one with that IP.`,
    'Inside the pod\'s namespace, `eth0@ifN` names the peer\'s interface index N on the node: `ip -o link | grep "^N:"`.',
  ],
  solution: (p) => reference(p),
  wrong: (p) => [
    { name: 'writes the pod’s own interface name', lines: [`echo cni0 > ${p.bridgeFile}`, `echo eth0 > ${p.vethFile}`], fails: 'veth', mentions: 'not the right answer' },
    { name: 'writes the overlay device', lines: [`echo flannel.1 > ${p.bridgeFile}`], fails: 'bridge', mentions: 'not the right answer' },
  ],
  alternatives: (p) => {
    const ref = reference(p);
    const bridgeLine = ref.find((l) => l.endsWith(`> ${p.bridgeFile}`))!;
    return [
      { name: 'the bridge first, without the inspection lines', lines: [bridgeLine, ...ref.filter((l) => l !== bridgeLine && !l.startsWith('kubectl get') && !l.startsWith('ip link show') && !l.startsWith('cat '))] },
      { name: 'the same steps, then left logged into node01', lines: [...ref, 'ssh node01'] },
      { name: 'the bridge through bridge link', lines: [...ref.filter((l) => l !== bridgeLine), `bridge link | awk '{for (i = 1; i < NF; i++) if ($i == "master") print $(i+1)}' | sort -u > ${p.bridgeFile}`] },
    ];
  },
});

/** The reference solution: find the pod's namespace by its address, its veth peer on the node, and the bridge. */
function reference(p: { pod: string; podNs: string; bridgeFile: string; vethFile: string }): string[] {
  return [
    'ip link show type bridge',
    `kubectl get pod ${p.pod} -n ${p.podNs} -o wide`,
    `IP=$(kubectl get pod ${p.pod} -n ${p.podNs} -o jsonpath='{.status.podIP}')`,
    `NS=$(for n in $(ip netns list | awk '{print $1}'); do ip -n $n -br addr | grep -q "$IP/" && echo $n; done; true)`,
    'IDX=$(ip -n $NS -o link show eth0 | sed \'s/.*eth0@if\\([0-9]*\\):.*/\\1/\')',
    'ip -o link | awk -F\': \' -v i=$IDX \'$1 == i { split($2, a, "@"); print a[1] }\' > ' + p.vethFile,
    `ip -o link show type bridge | awk -F': ' '{print $2}' > ${p.bridgeFile}`,
    `cat ${p.bridgeFile} ${p.vethFile}`,
  ];
}
