import { defineDrill } from '../schema';
import { APP_NAMES, NS_POOL, applyLines, cluster, getObj, jsonApply, putObjects } from './k8s-lib';
import { answeredBy, blocked, clusterIpService, curl, echoDeployment, runBatch, selects, type Batch } from './k8s-net-lib';

const NP = 'networking.k8s.io/v1';

export default defineDrill({
  id: 'k8s-netpol-namespace',
  title: 'NetworkPolicy: allow one namespace by its label',
  domain: 'policy',
  competencies: ['network-policy'],
  difficulty: 'medium',
  minutes: 6,
  weight: 5,
  summary: 'Allow traffic to a backend only from the namespaces that carry a label, with a namespaceSelector.',
  scenario: 'k8s-calico',
  params(r) {
    const [ns, allowed, denied] = r.sample(NS_POOL, 3) as [string, string, string];
    const app = r.pick(APP_NAMES);
    const [key, value] = r.pick([['team', r.pick(['frontend', 'blue', 'red', 'payments'])], ['purpose', r.pick(['monitoring', 'clients', 'prod'])], ['access', r.pick(['granted', app])]] as const);
    return { ns, allowed, denied, app, key, value, port: r.pick([80, 8080, 8000, 9000]), policy: r.pick([`allow-${key}-${value}`, `${app}-from-${value}`, `${app}-ingress`]) };
  },
  prepare: (w, p) =>
    putObjects(w, [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: p.allowed, labels: { [p.key]: p.value } } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: p.denied } },
      echoDeployment(p.app, p.ns, { app: p.app }, 8080, 2),
      clusterIpService(p.app, p.ns, { app: p.app }, p.port, 8080),
    ]),
  task: (p) =>
    `The Service \`${p.app}\` in namespace \`${p.ns}\` (port ${p.port}) is reachable from everywhere. Namespace \`${p.allowed}\` carries the label \`${p.key}=${p.value}\`.\n` +
    `Create a NetworkPolicy \`${p.policy}\` in \`${p.ns}\` so that the \`app=${p.app}\` pods accept connections only from pods in namespaces labelled \`${p.key}=${p.value}\` (any pod there, any port).\n` +
    `Pods of other namespaces, and of \`${p.ns}\` itself, must no longer reach them.`,
  requirements: (p) => {
    const batch: Batch = {
      clients: [{ ns: p.allowed }, { ns: p.denied }, { ns: p.ns }],
      cmds: [0, 1, 2].map((i) => ({ pod: i, cmd: curl(`http://${p.app}.${p.ns}:${p.port}/`) })),
    };
    return [
      {
        id: 'policy',
        text: `NetworkPolicy ${p.policy} in ${p.ns} selects the app=${p.app} pods`,
        check: (c) => {
          const np = getObj(cluster(c), 'networkpolicies', p.ns, p.policy);
          if (!np) return `there is no NetworkPolicy ${p.policy} in namespace ${p.ns}`;
          return selects(np.spec?.podSelector, { app: p.app }) ? true : `NetworkPolicy ${p.policy} does not select the app=${p.app} pods`;
        },
      },
      { id: 'allowed', text: `a pod in ${p.allowed} reaches ${p.app}`, check: async (c) => answeredBy((await runBatch(c, batch))[0]!, p.app, `http://${p.app}.${p.ns}:${p.port}/ from a pod in ${p.allowed}`) },
      { id: 'denied', text: `a pod in ${p.denied} cannot reach ${p.app}`, check: async (c) => blocked((await runBatch(c, batch))[1]!, `http://${p.app}.${p.ns}:${p.port}/ from a pod in ${p.denied}`) },
      { id: 'same-namespace', text: `a pod in ${p.ns} cannot reach ${p.app}`, check: async (c) => blocked((await runBatch(c, batch))[2]!, `http://${p.app}.${p.ns}:${p.port}/ from a pod in ${p.ns}`) },
    ];
  },
  hints: (p) => [
    '`kubectl get ns --show-labels`: which namespaces carry the label?',
    `In the ingress rule, \`from: [namespaceSelector: {matchLabels: {${p.key}: ${p.value}}}]\`: a namespaceSelector alone admits every pod of the matching namespaces.`,
    'A namespaceSelector and a podSelector in the same `from` entry are ANDed; in two entries they are ORed.',
  ],
  solution: (p) => [
    'kubectl get ns --show-labels',
    ...applyLines({ apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.policy, namespace: p.ns }, spec: { podSelector: { matchLabels: { app: p.app } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { [p.key]: p.value } } }] }] } }, `/root/${p.policy}.yaml`),
  ],
  alternatives: (p) => [
    {
      name: 'JSON on standard input with matchExpressions',
      lines: [jsonApply({ apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.policy, namespace: p.ns }, spec: { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [p.app] }] }, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: p.key, operator: 'In', values: [p.value] }] } }] }] } })],
    },
    {
      name: 'namespaceSelector ANDed with an any-pod podSelector, created with -n',
      lines: [
        ...applyLines({ apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.policy }, spec: { podSelector: { matchLabels: { app: p.app } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { [p.key]: p.value } }, podSelector: {} }] }] } }, '/root/np.yaml').slice(0, 1),
        `kubectl -n ${p.ns} create -f /root/np.yaml`,
      ],
    },
    {
      name: 'a deny-all for the app first, then the namespace added with kubectl patch',
      lines: [
        jsonApply({ apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.policy, namespace: p.ns }, spec: { podSelector: { matchLabels: { app: p.app } }, policyTypes: ['Ingress'] } }),
        `kubectl -n ${p.ns} patch netpol ${p.policy} --type=merge -p '{"spec":{"ingress":[{"from":[{"namespaceSelector":{"matchLabels":{"${p.key}":"${p.value}"}}}]}]}}'`,
      ],
    },
  ],
  wrong: (p) => [
    {
      name: 'a podSelector instead of a namespaceSelector',
      lines: applyLines({ apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.policy, namespace: p.ns }, spec: { podSelector: { matchLabels: { app: p.app } }, ingress: [{ from: [{ podSelector: { matchLabels: { [p.key]: p.value } } }] }] } }, '/root/np.yaml'),
      fails: 'allowed',
      mentions: p.allowed,
    },
    {
      name: 'an empty namespaceSelector (every namespace)',
      lines: applyLines({ apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.policy, namespace: p.ns }, spec: { podSelector: { matchLabels: { app: p.app } }, ingress: [{ from: [{ namespaceSelector: {} }] }] } }, '/root/np.yaml'),
      fails: 'denied',
      mentions: p.denied,
    },
    {
      name: 'the namespace and its own namespace ORed',
      lines: applyLines({ apiVersion: NP, kind: 'NetworkPolicy', metadata: { name: p.policy, namespace: p.ns }, spec: { podSelector: { matchLabels: { app: p.app } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { [p.key]: p.value } } }, { podSelector: {} }] }] } }, '/root/np.yaml'),
      fails: 'same-namespace',
      mentions: p.ns,
    },
  ],
});
