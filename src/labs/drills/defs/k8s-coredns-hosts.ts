import { defineDrill } from '../schema';
import { cluster, fromPod, podsOf, running, NS_POOL } from './k8s-lib';
import { runBatch, type Batch } from './k8s-net-lib';

const HOSTS = ['db', 'ldap', 'registry', 'vault', 'mail', 'git', 'backup', 'nfs', 'proxy', 'metrics'] as const;
const ZONES = ['corp.internal', 'example.lan', 'infra.local', 'office.net', 'legacy.intra'] as const;

/** The default Corefile's `ready` line, then a hosts block (what the reference and its alternatives insert). */
function hostsSed(ip: string, name: string, fall = true, file = '/root/coredns.yaml'): string {
  return `sed -i 's/^        ready$/        ready\\n        hosts {\\n          ${ip} ${name}\\n${fall ? '          fallthrough\\n' : ''}        }/' ${file}`;
}

export default defineDrill({
  id: 'k8s-coredns-hosts',
  title: 'Add a hosts entry to CoreDNS',
  domain: 'k8s-dns',
  competencies: ['coredns'],
  difficulty: 'medium',
  minutes: 7,
  weight: 6,
  summary: 'Make a name outside the cluster resolve for every pod through CoreDNS’s hosts plugin, without breaking cluster names.',
  scenario: 'k8s-cluster',
  params(r) {
    const name = `${r.pick(HOSTS)}.${r.pick(ZONES)}`;
    const ip = `${r.pick(['10.20', '172.16', '192.168', '10.99'])}.${r.int(1, 250)}.${r.int(2, 250)}`;
    return { name, ip, from: r.pick(NS_POOL) };
  },
  task: (p) =>
    `Pods must resolve \`${p.name}\`, a server outside the cluster, to \`${p.ip}\`; no DNS server knows that name.\n` +
    `Add the record to the cluster's DNS: CoreDNS's configuration (ConfigMap \`coredns\` in \`kube-system\`), with the \`hosts\` plugin.\n` +
    `Cluster names such as \`kubernetes.default.svc.cluster.local\` must keep resolving, and CoreDNS must keep running.`,
  requirements: (p) => {
    const batch: Batch = { clients: [{ ns: p.from }], cmds: [{ pod: 0, cmd: `nslookup ${p.name}` }, { pod: 0, cmd: 'nslookup kubernetes.default.svc.cluster.local' }] };
    const answers = (out: string) => [...out.split(/\nName:/).slice(1).join('\n').matchAll(/Address(?: \d+)?:\s*([0-9.]+)/g)].map((m) => m[1]!);
    return [
      {
        id: 'record',
        text: `${p.name} resolves to ${p.ip} from a pod`,
        check: async (c) => {
          const r = (await runBatch(c, batch))[0]!;
          const a = answers(r.output);
          if (r.exitCode !== 0 || !a.length) return `${p.name} does not resolve from a pod in ${p.from}`;
          return a.includes(p.ip) ? true : `${p.name} resolves to ${a.join(', ')}, not ${p.ip}`;
        },
      },
      {
        id: 'cluster-names',
        text: 'kubernetes.default.svc.cluster.local still resolves from a pod',
        check: async (c) => {
          const r = (await runBatch(c, batch))[1]!;
          return r.exitCode === 0 && answers(r.output).includes('10.96.0.1') ? true : `kubernetes.default.svc.cluster.local does not resolve to 10.96.0.1 from a pod in ${p.from}`;
        },
      },
      {
        id: 'coredns',
        text: 'every CoreDNS pod runs',
        check: (c) => {
          const pods = podsOf(cluster(c), 'kube-system', { 'k8s-app': 'kube-dns' });
          if (!pods.length) return 'no CoreDNS pod runs';
          const bad = pods.find((x) => !running(x));
          return bad ? `CoreDNS pod ${bad.metadata.name} is not running` : true;
        },
      },
    ];
  },
  hints: (p) => [
    '`kubectl -n kube-system get configmap coredns -o yaml`: the Corefile is its `Corefile` key; CoreDNS reloads it by itself (the `reload` plugin) within about 30 s.',
    `Inside the \`.:53 { ... }\` block: \`hosts { ${p.ip} ${p.name} ... }\`.`,
    'Without `fallthrough`, the hosts plugin answers NXDOMAIN for every other name of its zones (here: all of them).',
  ],
  solution: (p) => [
    'kubectl -n kube-system get configmap coredns -o yaml > /root/coredns.yaml',
    hostsSed(p.ip, p.name),
    'kubectl apply -f /root/coredns.yaml',
    'sleep 40',
    `kubectl run dnstest --image=busybox:1.36 --restart=Never -- sleep 3600`,
    'sleep 10',
    `kubectl exec dnstest -- nslookup ${p.name}`,
  ],
  alternatives: (p) => [
    {
      name: 'the Corefile extracted with jsonpath, edited, the ConfigMap regenerated with create --dry-run | apply',
      lines: [
        "kubectl -n kube-system get cm coredns -o jsonpath='{.data.Corefile}' > /root/Corefile",
        `sed -i 's/^    ready$/    ready\\n    hosts {\\n        ${p.ip} ${p.name}\\n        fallthrough\\n    }/' /root/Corefile`,
        'kubectl -n kube-system create configmap coredns --from-file=Corefile=/root/Corefile --dry-run=client -o yaml | kubectl apply -f -',
      ],
    },
    // kubectl edit shows the ConfigMap as `get -o yaml` does: the same sed, as the editor
    { name: 'kubectl edit of the ConfigMap', lines: [`KUBE_EDITOR="${hostsSed(p.ip, p.name, true, '').trimEnd()}" kubectl -n kube-system edit configmap coredns`, 'sleep 40'] },
    { name: 'a hosts block right after errors, applied, then a rollout restart', lines: ['kubectl -n kube-system get configmap coredns -o yaml > /root/cm.yaml', `sed -i 's/^        errors$/        errors\\n        hosts {\\n          ${p.ip} ${p.name}\\n          fallthrough\\n        }/' /root/cm.yaml`, 'kubectl apply -f /root/cm.yaml', 'kubectl -n kube-system rollout restart deployment coredns'] },
    {
      name: 'a hosts block placed after the kubernetes plugin, checked with dig-style nslookup from a pod',
      lines: [
        'kubectl -n kube-system get configmap coredns -o yaml > /root/coredns.yaml',
        `sed -i 's/^        prometheus :9153$/        hosts {\\n          ${p.ip} ${p.name}\\n          fallthrough\\n        }\\n        prometheus :9153/' /root/coredns.yaml`,
        'kubectl apply -f /root/coredns.yaml',
      ],
    },
  ],
  wrong: (p) => [
    { name: 'an /etc/hosts line on the control plane', lines: [`echo "${p.ip} ${p.name}" >> /etc/hosts`], fails: 'record', mentions: p.name },
    { name: 'a hosts block without fallthrough', lines: ['kubectl -n kube-system get configmap coredns -o yaml > /root/coredns.yaml', hostsSed(p.ip, p.name, false), 'kubectl apply -f /root/coredns.yaml'], fails: 'cluster-names', mentions: 'kubernetes.default' },
    {
      name: 'a misspelt plugin, then CoreDNS restarted',
      lines: ['kubectl -n kube-system get configmap coredns -o yaml > /root/coredns.yaml', hostsSed(p.ip, p.name).replace('hosts {', 'host {'), 'kubectl apply -f /root/coredns.yaml', 'kubectl -n kube-system rollout restart deployment coredns'],
      fails: 'coredns',
      mentions: 'not running',
    },
  ],
});
