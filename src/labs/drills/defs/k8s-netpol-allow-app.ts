import { defineDrill } from '../schema';
import { APP_NAMES, NS_POOL, AGNHOST, applyLines, cluster, getObj, jsonApply, putObjects } from './k8s-lib';
import { answeredBy, blocked, clusterIpService, curl, echoDeployment, ECHO, runBatch, selects, type Batch } from './k8s-net-lib';

/** The protected pods serve HTTP on `port` (echo-server) and metrics on `metrics` (agnhost): two ports, one to allow. */
function target(p: { target: string; ns: string; port: number; metrics: number }): any {
  const labels = { app: p.target };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: p.target, namespace: p.ns, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            { name: 'echo', image: ECHO, env: [{ name: 'PORT', value: String(p.port) }], ports: [{ containerPort: p.port, protocol: 'TCP' }] },
            { name: 'metrics', image: AGNHOST, args: ['netexec', `--http-port=${p.metrics}`, '--udp-port=0'], ports: [{ containerPort: p.metrics, protocol: 'TCP' }] },
          ],
        },
      },
    },
  };
}

export default defineDrill({
  id: 'k8s-netpol-allow-app',
  title: 'NetworkPolicy: only one app, only one port',
  domain: 'policy',
  competencies: ['network-policy'],
  difficulty: 'medium',
  minutes: 7,
  weight: 6,
  summary: 'Write a NetworkPolicy that lets only the pods of one app reach a backend, and only on one of its ports.',
  scenario: 'k8s-calico',
  params(r) {
    const [tgt, client, other, side] = r.sample(APP_NAMES, 4) as [string, string, string, string];
    const [ns, otherNs] = r.sample(NS_POOL, 2) as [string, string];
    const port = r.pick([8080, 8000, 3000, 5000, 9000, r.int(8001, 8999)]);
    let metrics = r.pick([9090, 9100, 9102, 9113]);
    if (metrics === port) metrics = 9191;
    return { target: tgt, client, other, side, ns, otherNs, port, metrics, policy: r.pick([`${tgt}-allow-${client}`, `allow-${client}`, `${tgt}-ingress`, `${tgt}-policy`]) };
  },
  prepare: (w, p) =>
    putObjects(w, [
      target(p),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: p.target, namespace: p.ns }, spec: { selector: { app: p.target }, ports: [{ name: 'http', port: p.port, targetPort: p.port }, { name: 'metrics', port: p.metrics, targetPort: p.metrics }] } },
      echoDeployment(p.client, p.ns, { app: p.client }, 8080),
      echoDeployment(p.side, p.ns, { app: p.side }, 8080),
      clusterIpService(p.side, p.ns, { app: p.side }, 80, 8080),
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: p.otherNs } },
    ]),
  task: (p) =>
    `In namespace \`${p.ns}\`, the pods labelled \`app=${p.target}\` (Service \`${p.target}\`) serve HTTP on port ${p.port} and metrics on port ${p.metrics}. Every pod can reach them today.\n` +
    `Create a NetworkPolicy \`${p.policy}\` in \`${p.ns}\` so that:\n` +
    `- the \`app=${p.target}\` pods accept connections only from pods labelled \`app=${p.client}\` in namespace \`${p.ns}\`, and only on TCP port ${p.port};\n` +
    `- the other pods of \`${p.ns}\` (such as \`app=${p.side}\`) stay reachable as they are.`,
  requirements: (p) => {
    const batch: Batch = {
      clients: [{ ns: p.ns, labels: { app: p.client } }, { ns: p.ns, labels: { app: p.other } }, { ns: p.otherNs, labels: { app: p.client } }],
      cmds: [
        { pod: 0, cmd: curl(`http://${p.target}.${p.ns}:${p.port}/`) },
        { pod: 1, cmd: curl(`http://${p.target}.${p.ns}:${p.port}/`) },
        { pod: 0, cmd: curl(`http://${p.target}.${p.ns}:${p.metrics}/hostname`) },
        { pod: 2, cmd: curl(`http://${p.target}.${p.ns}:${p.port}/`) },
        { pod: 1, cmd: curl(`http://${p.side}.${p.ns}/`) },
      ],
    };
    return [
      {
        id: 'policy',
        text: `NetworkPolicy ${p.policy} in ${p.ns} selects the app=${p.target} pods`,
        check: (c) => {
          const np = getObj(cluster(c), 'networkpolicies', p.ns, p.policy);
          if (!np) return `there is no NetworkPolicy ${p.policy} in namespace ${p.ns}`;
          return selects(np.spec?.podSelector, { app: p.target }) ? true : `NetworkPolicy ${p.policy} does not select the app=${p.target} pods`;
        },
      },
      {
        id: 'allowed',
        text: `a pod labelled app=${p.client} in ${p.ns} reaches ${p.target} on port ${p.port}`,
        check: async (c) => answeredBy((await runBatch(c, batch))[0]!, p.target, `http://${p.target}.${p.ns}:${p.port}/ from an app=${p.client} pod`),
      },
      {
        id: 'other-app',
        text: `a pod with another label in ${p.ns} cannot reach ${p.target}`,
        check: async (c) => blocked((await runBatch(c, batch))[1]!, `${p.target} on port ${p.port} from a pod labelled app=${p.other}`),
      },
      {
        id: 'other-port',
        text: `the app=${p.client} pods cannot reach ${p.target} on port ${p.metrics}`,
        check: async (c) => {
          const r = (await runBatch(c, batch))[2]!;
          return r.exitCode !== 0 ? true : `${p.target} on port ${p.metrics} still answers a pod labelled app=${p.client}`;
        },
      },
      {
        id: 'other-namespace',
        text: `pods labelled app=${p.client} in other namespaces cannot reach ${p.target}`,
        check: async (c) => blocked((await runBatch(c, batch))[3]!, `${p.target} on port ${p.port} from an app=${p.client} pod in namespace ${p.otherNs}`),
      },
      {
        id: 'others-open',
        text: `the ${p.side} pods stay reachable from the other pods of ${p.ns}`,
        check: async (c) => answeredBy((await runBatch(c, batch))[4]!, p.side, `http://${p.side}.${p.ns}/ from an app=${p.other} pod`),
      },
    ];
  },
  hints: (p) => [
    'A NetworkPolicy applies to the pods its `podSelector` selects; once selected for Ingress, a pod accepts only what some rule allows.',
    `One ingress rule with \`from: [podSelector: {matchLabels: {app: ${p.client}}}]\` and \`ports: [{port: ${p.port}}]\`: from and ports in the same rule are ANDed.`,
    'A `podSelector` alone in `from` means pods of the policy\'s own namespace.',
  ],
  solution: (p) => [
    `kubectl -n ${p.ns} get pods --show-labels`,
    ...applyLines(
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: p.policy, namespace: p.ns },
        spec: { podSelector: { matchLabels: { app: p.target } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: p.client } } }], ports: [{ protocol: 'TCP', port: p.port }] }] },
      },
      `/root/${p.policy}.yaml`,
    ),
    `kubectl -n ${p.ns} describe networkpolicy ${p.policy}`,
  ],
  alternatives: (p) => [
    {
      name: 'JSON on standard input, matchExpressions, no policyTypes',
      lines: [jsonApply({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: p.policy, namespace: p.ns }, spec: { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [p.target] }] }, ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [p.client] }] } }], ports: [{ port: p.port }] }] } })],
    },
    {
      name: 'kubectl create -f, with the namespace given on the command line',
      lines: [
        ...applyLines({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: p.policy }, spec: { podSelector: { matchLabels: { app: p.target } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: p.port, protocol: 'TCP' }], from: [{ podSelector: { matchLabels: { app: p.client } } }] }] } }, '/root/np.yaml').slice(0, 1),
        `kubectl create -n ${p.ns} -f /root/np.yaml`,
      ],
    },
    {
      name: 'a manifest file applied, then tested with throw-away pods (kubectl run --rm -i) of the allowed app and another',
      lines: [
        ...applyLines({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: p.policy, namespace: p.ns }, spec: { podSelector: { matchLabels: { app: p.target } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: p.client } } }], ports: [{ port: p.port }] }] } }, `/root/${p.policy}-probe.yaml`),
        `kubectl -n ${p.ns} run probe --image=busybox --labels=app=${p.client} --rm -i --restart=Never -- wget -qO- -T 2 http://${p.target}:${p.port}/`,
        `kubectl -n ${p.ns} run probe --image=busybox --labels=app=${p.other} --rm -i --restart=Never -- wget -qO- -T 2 http://${p.target}:${p.port}/`,
      ],
    },
    {
      name: 'first a policy on all ports, then tightened with kubectl patch',
      lines: [
        jsonApply({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: p.policy, namespace: p.ns }, spec: { podSelector: { matchLabels: { app: p.target } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: p.client } } }] }] } }),
        `kubectl -n ${p.ns} patch networkpolicy ${p.policy} --type=json -p '[{"op":"add","path":"/spec/ingress/0/ports","value":[{"port":${p.port}}]}]'`,
      ],
    },
  ],
  wrong: (p) => [
    {
      name: 'selects every pod of the namespace',
      lines: applyLines({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: p.policy, namespace: p.ns }, spec: { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: p.client } } }], ports: [{ port: p.port }] }] } }, '/root/np.yaml'),
      fails: 'others-open',
      mentions: p.side,
    },
    {
      name: 'allows the app on every port',
      lines: applyLines({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: p.policy, namespace: p.ns }, spec: { podSelector: { matchLabels: { app: p.target } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: p.client } } }] }] } }, '/root/np.yaml'),
      fails: 'other-port',
      mentions: String(p.metrics),
    },
    {
      name: 'a namespaceSelector as a second from entry (OR): every namespace is allowed',
      lines: applyLines({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: p.policy, namespace: p.ns }, spec: { podSelector: { matchLabels: { app: p.target } }, ingress: [{ from: [{ namespaceSelector: {} }, { podSelector: { matchLabels: { app: p.client } } }], ports: [{ port: p.port }] }] } }, '/root/np.yaml'),
      fails: 'other-app',
      mentions: `app=${p.other}`,
    },
  ],
});
