import { defineDrill } from '../schema';
import { APP_NAMES, NODES, NS_POOL, appPort, applyLines, cluster, deployment, onNode, podsOf, putObjects, serviceIn, servicePort, nodePort, jsonApply, dryRunLines } from './k8s-lib';

export default defineDrill({
  id: 'k8s-expose-nodeport',
  title: 'Expose a Deployment on a node port',
  domain: 'services',
  competencies: ['services'],
  difficulty: 'medium',
  minutes: 6,
  weight: 5,
  summary: 'Create a NodePort Service on a given node port, reachable on every node’s address from outside the cluster.',
  scenario: 'k8s-cluster',
  params(r) {
    const name = r.pick(APP_NAMES);
    const port = appPort(r);
    return { name, ns: r.pick(NS_POOL), svc: `${name}-${r.pick(['np', 'nodeport', 'ext', 'public'])}`, port, svcPort: servicePort(r, port), nodePort: nodePort(r), replicas: r.int(2, 3), node: r.pick(['controlplane', 'node01']) as 'controlplane' | 'node01' };
  },
  prepare: (w, p) => putObjects(w, [deployment({ name: p.name, namespace: p.ns, replicas: p.replicas, labels: { app: p.name, tier: 'web' }, port: p.port })]),
  task: (p) =>
    `The Deployment \`${p.name}\` in namespace \`${p.ns}\` serves HTTP on container port ${p.port}.\n` +
    `Make it reachable from outside the cluster: create a Service \`${p.svc}\` of type NodePort in \`${p.ns}\` with port ${p.svcPort} and node port **${p.nodePort}**.\n` +
    `\`curl http://${NODES[p.node]}:${p.nodePort}/hostname\` (the node ${p.node}) must then answer with the name of one of the Deployment's pods.`,
  requirements: (p) => [
    {
      id: 'service',
      text: `Service ${p.svc} in ${p.ns} is a NodePort Service on node port ${p.nodePort}, port ${p.svcPort}`,
      check: (c) => {
        const s = serviceIn(cluster(c), p.ns, p.svc);
        if (typeof s === 'string') return s;
        if (s.spec?.type !== 'NodePort') return `Service ${p.svc} is of type ${s.spec?.type ?? 'ClusterIP'}, not NodePort`;
        const port = (s.spec.ports ?? []).find((x: any) => x.nodePort === p.nodePort);
        if (!port) return `Service ${p.svc} does not use node port ${p.nodePort}`;
        return port.port === p.svcPort ? true : `Service ${p.svc}'s port is ${port.port}, not ${p.svcPort}`;
      },
    },
    {
      id: 'reach',
      text: `http://${NODES[p.node]}:${p.nodePort}/hostname answers with the name of a ${p.name} pod`,
      check: async (c) => {
        const r = await onNode(c, 'controlplane', `sleep 60; curl -s -m 3 http://${NODES[p.node]}:${p.nodePort}/hostname`);
        const pods = podsOf(cluster(c), p.ns, { app: p.name }).map((x) => x.metadata.name);
        if (r.exitCode !== 0) return `http://${NODES[p.node]}:${p.nodePort} does not answer`;
        return pods.includes(r.output.trim()) ? true : `http://${NODES[p.node]}:${p.nodePort} is answered by something other than the ${p.name} pods`;
      },
    },
  ],
  hints: (p) => [
    '`kubectl expose` has no flag for the node port: generate the manifest with `--dry-run=client -o yaml`, add it, and apply.',
    `Under \`ports:\`, the entry needs \`port: ${p.svcPort}\`, \`targetPort: ${p.port}\` and \`nodePort: ${p.nodePort}\`.`,
  ],
  solution: (p) => [
    `kubectl -n ${p.ns} get deployment ${p.name} --show-labels`,
    ...applyLines(
      { apiVersion: 'v1', kind: 'Service', metadata: { name: p.svc, namespace: p.ns }, spec: { type: 'NodePort', selector: { app: p.name, tier: 'web' }, ports: [{ port: p.svcPort, targetPort: p.port, nodePort: p.nodePort }] } },
      `/root/${p.svc}.yaml`,
    ),
    `curl -s http://${NODES[p.node]}:${p.nodePort}/hostname`,
  ],
  alternatives: (p) => [
    { name: 'JSON on standard input', lines: [jsonApply({ apiVersion: 'v1', kind: 'Service', metadata: { name: p.svc, namespace: p.ns }, spec: { type: 'NodePort', selector: { app: p.name }, ports: [{ port: p.svcPort, targetPort: p.port, nodePort: p.nodePort }] } })] },
    { name: 'kubectl create service nodeport, selector fixed with sed', lines: dryRunLines(`kubectl -n ${p.ns} create service nodeport ${p.svc} --tcp=${p.svcPort}:${p.port} --node-port=${p.nodePort}`, '/root/np.yaml', [`s/app: ${p.svc}$/app: ${p.name}/`]) },
    { name: 'expose generated, node port added with sed', lines: dryRunLines(`kubectl -n ${p.ns} expose deployment ${p.name} --name=${p.svc} --port=${p.svcPort} --target-port=${p.port} --type=NodePort`, '/root/np2.yaml', [`s/targetPort: ${p.port}$/targetPort: ${p.port}\\n    nodePort: ${p.nodePort}/`]) },
  ],
  wrong: (p) => [
    { name: 'lets Kubernetes pick the node port', lines: [`kubectl -n ${p.ns} expose deployment ${p.name} --name=${p.svc} --port=${p.svcPort} --target-port=${p.port} --type=NodePort`], fails: 'service', mentions: `${p.nodePort}` },
    {
      name: 'sends the traffic to the Service port',
      lines: applyLines({ apiVersion: 'v1', kind: 'Service', metadata: { name: p.svc, namespace: p.ns }, spec: { type: 'NodePort', selector: { app: p.name }, ports: [{ port: p.svcPort, nodePort: p.nodePort }] } }, '/root/np.yaml'),
      fails: 'reach',
      mentions: `${p.nodePort}`,
    },
  ],
});
