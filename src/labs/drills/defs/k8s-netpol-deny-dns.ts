import { defineDrill } from '../schema';
import { APP_NAMES, NS_POOL, cluster, getObj, jsonApply, putObjects } from './k8s-lib';
import { answeredBy, blocked, clusterIpService, curl, echoDeployment, multiApplyLines, runBatch, type Batch } from './k8s-net-lib';

const NP = 'networking.k8s.io/v1';

export default defineDrill({
  id: 'k8s-netpol-deny-dns',
  title: 'NetworkPolicy: default deny, then allow DNS',
  domain: 'policy',
  competencies: ['network-policy', 'coredns'],
  difficulty: 'medium',
  minutes: 7,
  weight: 6,
  summary: 'Isolate a namespace with a default-deny policy for both directions, then let its pods resolve names again.',
  scenario: 'k8s-calico',
  params(r) {
    const [ns, otherNs] = r.sample(NS_POOL, 2) as [string, string];
    const [app, remote] = r.sample(APP_NAMES, 2) as [string, string];
    return { ns, otherNs, app, remote, deny: r.pick(['default-deny', 'deny-all', 'default-deny-all']), dns: r.pick(['allow-dns', 'dns-egress', 'allow-dns-egress']) };
  },
  prepare: (w, p) =>
    putObjects(w, [echoDeployment(p.app, p.ns, { app: p.app }, 8080), clusterIpService(p.app, p.ns, { app: p.app }, 80, 8080), echoDeployment(p.remote, p.otherNs, { app: p.remote }, 8080), clusterIpService(p.remote, p.otherNs, { app: p.remote }, 80, 8080)]),
  task: (p) =>
    `Namespace \`${p.ns}\` must be isolated.\n` +
    `- Create a NetworkPolicy \`${p.deny}\` in \`${p.ns}\` that denies all incoming and all outgoing traffic of every pod in the namespace.\n` +
    `- Then create a NetworkPolicy \`${p.dns}\` in \`${p.ns}\` that allows the namespace's pods to send DNS queries (UDP and TCP port 53), and nothing else.\n` +
    `Afterwards a pod in \`${p.ns}\` resolves \`kubernetes.default.svc.cluster.local\` but cannot reach \`${p.remote}.${p.otherNs}\`, and nothing outside can reach \`${p.app}.${p.ns}\`.`,
  requirements: (p) => {
    const batch: Batch = {
      clients: [{ ns: p.ns }, { ns: p.otherNs }],
      cmds: [
        { pod: 0, cmd: 'nslookup kubernetes.default.svc.cluster.local' },
        { pod: 0, cmd: curl(`http://${p.remote}.${p.otherNs}/`) },
        { pod: 1, cmd: curl(`http://${p.app}.${p.ns}/`) },
        { pod: 1, cmd: curl(`http://${p.remote}.${p.otherNs}/`) },
      ],
    };
    return [
      {
        id: 'deny',
        text: `NetworkPolicy ${p.deny} in ${p.ns} selects every pod and denies both directions`,
        check: (c) => {
          const np = getObj(cluster(c), 'networkpolicies', p.ns, p.deny);
          if (!np) return `there is no NetworkPolicy ${p.deny} in namespace ${p.ns}`;
          const sel = np.spec?.podSelector ?? {};
          if (Object.keys(sel.matchLabels ?? {}).length || (sel.matchExpressions ?? []).length) return `NetworkPolicy ${p.deny} does not select every pod of ${p.ns}`;
          const types: string[] = np.spec?.policyTypes ?? [];
          for (const t of ['Ingress', 'Egress']) if (!types.includes(t)) return `NetworkPolicy ${p.deny} does not deny ${t} traffic (policyTypes)`;
          if ((np.spec?.ingress ?? []).length || (np.spec?.egress ?? []).length) return `NetworkPolicy ${p.deny} allows some traffic (it has rules)`;
          return true;
        },
      },
      {
        id: 'dns',
        text: `a pod in ${p.ns} resolves kubernetes.default.svc.cluster.local`,
        check: async (c) => {
          const r = (await runBatch(c, batch))[0]!;
          return r.exitCode === 0 && /Address(?: \d+)?:\s*10\.96\.0\.1\b/.test(r.output.split(/\nName:/).slice(1).join('\n')) ? true : `kubernetes.default.svc.cluster.local does not resolve from a pod in ${p.ns}`;
        },
      },
      {
        id: 'egress',
        text: `a pod in ${p.ns} cannot reach ${p.remote}.${p.otherNs}`,
        check: async (c) => blocked((await runBatch(c, batch))[1]!, `http://${p.remote}.${p.otherNs}/ from a pod in ${p.ns}`),
      },
      {
        id: 'ingress',
        text: `a pod in ${p.otherNs} cannot reach ${p.app}.${p.ns}`,
        check: async (c) => blocked((await runBatch(c, batch))[2]!, `http://${p.app}.${p.ns}/ from a pod in ${p.otherNs}`),
      },
      {
        id: 'others',
        text: `namespace ${p.otherNs} is not affected`,
        check: async (c) => answeredBy((await runBatch(c, batch))[3]!, p.remote, `http://${p.remote}.${p.otherNs}/ from a pod in ${p.otherNs}`),
      },
    ];
  },
  hints: (p) => [
    'An empty `podSelector: {}` selects every pod of the policy\'s namespace; `policyTypes` without rules for a type denies that direction.',
    `The DNS policy only needs \`policyTypes: [Egress]\` and one egress rule with the two ports; policies add up, so \`${p.deny}\` stays as it is.`,
    'Without a `to:` the rule allows port 53 to any destination; `to: [namespaceSelector: ..., podSelector: k8s-app=kube-dns]` narrows it to CoreDNS.',
  ],
  solution: (p) =>
    multiApplyLines(
      [
        { apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.deny, namespace: p.ns }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
        { apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.dns, namespace: p.ns }, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] } },
      ],
      '/root/isolate.yaml',
    ),
  alternatives: (p) => [
    {
      name: 'two JSON manifests on standard input, DNS narrowed to CoreDNS pods',
      lines: [
        jsonApply({ apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.deny, namespace: p.ns }, spec: { podSelector: {}, policyTypes: ['Egress', 'Ingress'] } }),
        jsonApply({ apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.dns, namespace: p.ns }, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] } }),
      ],
    },
    {
      name: 'DNS first, then the default deny, with kubectl create -n',
      lines: [
        ...multiApplyLines([{ apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.dns }, spec: { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }], policyTypes: ['Egress'] } }], '/root/dns.yaml').slice(0, 1),
        `kubectl create -n ${p.ns} -f /root/dns.yaml`,
        ...multiApplyLines([{ apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.deny }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } }], '/root/deny.yaml').slice(0, 1),
        `kubectl create -n ${p.ns} -f /root/deny.yaml`,
      ],
    },
    {
      name: 'an ingress-only deny widened with kubectl patch',
      lines: [
        jsonApply({ apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.deny, namespace: p.ns }, spec: { podSelector: {}, policyTypes: ['Ingress'] } }),
        `kubectl -n ${p.ns} patch networkpolicy ${p.deny} --type=merge -p '{"spec":{"policyTypes":["Ingress","Egress"]}}'`,
        jsonApply({ apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.dns, namespace: p.ns }, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] } }),
      ],
    },
  ],
  wrong: (p) => [
    {
      name: 'denies everything and forgets DNS',
      lines: [jsonApply({ apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.deny, namespace: p.ns }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } })],
      fails: 'dns',
      mentions: 'does not resolve',
    },
    {
      name: 'the DNS policy has the ports in a second rule (allows all egress)',
      lines: [
        jsonApply({ apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.deny, namespace: p.ns }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } }),
        jsonApply({ apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.dns, namespace: p.ns }, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }] }, { ports: [{ protocol: 'UDP', port: 53 }] }] } }),
      ],
      fails: 'egress',
      mentions: p.remote,
    },
    {
      name: 'a default deny for Ingress only',
      lines: [
        jsonApply({ apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.deny, namespace: p.ns }, spec: { podSelector: {} } }),
        jsonApply({ apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.dns, namespace: p.ns }, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] } }),
      ],
      fails: 'deny',
      mentions: 'Egress',
    },
  ],
});
