import { defineDrill } from '../schema';
import { APP_NAMES, NS_POOL, appPort, cluster, deployment, putObjects, serviceIn, servicePort, jsonApply, dryRunLines, applyLines, reachRequirement } from './k8s-lib';

export default defineDrill({
  id: 'k8s-expose-clusterip',
  title: 'Expose a Deployment inside the cluster',
  domain: 'services',
  competencies: ['services'],
  difficulty: 'easy',
  minutes: 4,
  weight: 4,
  summary: 'Create a ClusterIP Service for a Deployment whose container listens on an unusual port.',
  scenario: 'k8s-cluster',
  params(r) {
    const name = r.pick(APP_NAMES);
    const port = appPort(r);
    return { name, ns: r.pick(NS_POOL), svc: r.pick([name, `${name}-svc`, `${name}-internal`]), port, svcPort: servicePort(r, port), replicas: r.int(2, 3), from: r.pick(['default', 'probe', 'clients']) };
  },
  prepare: (w, p) => putObjects(w, [deployment({ name: p.name, namespace: p.ns, replicas: p.replicas, labels: { app: p.name }, port: p.port })]),
  task: (p) =>
    `In namespace \`${p.ns}\`, the Deployment \`${p.name}\` runs an HTTP server on container port ${p.port}.\n` +
    `Expose it inside the cluster: create a Service \`${p.svc}\` of type ClusterIP in namespace \`${p.ns}\` that listens on port ${p.svcPort} and sends the traffic to the Deployment's pods.\n` +
    `A pod in any namespace must then get an answer from \`http://${p.svc}.${p.ns}:${p.svcPort}/hostname\` (the server answers with the name of the pod that served the request).`,
  requirements: (p) => [
    {
      id: 'service',
      text: `Service ${p.svc} in ${p.ns} is of type ClusterIP and listens on port ${p.svcPort}`,
      check: (c) => {
        const s = serviceIn(cluster(c), p.ns, p.svc);
        if (typeof s === 'string') return s;
        const type = s.spec?.type ?? 'ClusterIP';
        if (type !== 'ClusterIP') return `Service ${p.svc} is of type ${type}, not ClusterIP`;
        return (s.spec?.ports ?? []).some((x: any) => x.port === p.svcPort) ? true : `Service ${p.svc} does not listen on port ${p.svcPort}`;
      },
    },
    reachRequirement({ host: p.svc, ns: p.ns, port: p.svcPort, from: p.from, app: p.name }),
  ],
  hints: (p) => [
    '`kubectl expose` creates a Service for a Deployment, with its selector taken from the Deployment.',
    'A Service has two ports: `port` (where clients connect) and `targetPort` (where the container listens).',
    `\`kubectl -n ${p.ns} expose deployment ${p.name} --name=${p.svc} --port=${p.svcPort} --target-port=${p.port}\``,
  ],
  solution: (p) => [
    `kubectl -n ${p.ns} get deployment ${p.name} -o wide`,
    `kubectl -n ${p.ns} expose deployment ${p.name} --name=${p.svc} --port=${p.svcPort} --target-port=${p.port}`,
    `kubectl -n ${p.ns} get endpoints ${p.svc}`,
  ],
  alternatives: (p) => [
    { name: 'expose with the TYPE/NAME form and the flags in another order', lines: [`kubectl expose deploy/${p.name} --target-port=${p.port} -n ${p.ns} --port=${p.svcPort} --name=${p.svc} --type=ClusterIP`] },
    { name: 'a manifest written by hand', lines: applyLines({ apiVersion: 'v1', kind: 'Service', metadata: { name: p.svc, namespace: p.ns }, spec: { selector: { app: p.name }, ports: [{ port: p.svcPort, targetPort: p.port, protocol: 'TCP' }] } }, '/root/svc.yaml') },
    { name: 'generated with --dry-run, then applied', lines: dryRunLines(`kubectl -n ${p.ns} expose deployment ${p.name} --name=${p.svc} --port=${p.svcPort} --target-port=${p.port}`, '/tmp/svc.yaml') },
    { name: 'JSON on standard input, checked from a pod afterwards', lines: [jsonApply({ apiVersion: 'v1', kind: 'Service', metadata: { name: p.svc, namespace: p.ns }, spec: { type: 'ClusterIP', selector: { app: p.name }, ports: [{ port: p.svcPort, targetPort: p.port }] } }), `kubectl -n ${p.ns} run check --image=curlimages/curl --restart=Never --command -- sleep 600`, 'sleep 10', `kubectl -n ${p.ns} exec check -- curl -s http://${p.svc}:${p.svcPort}/hostname`] },
  ],
  wrong: (p) => [
    { name: 'forgets the target port', lines: [`kubectl -n ${p.ns} expose deployment ${p.name} --name=${p.svc} --port=${p.svcPort}`], fails: 'reach', mentions: `${p.svc}.${p.ns}` },
    { name: 'makes a NodePort Service', lines: [`kubectl -n ${p.ns} expose deployment ${p.name} --name=${p.svc} --port=${p.svcPort} --target-port=${p.port} --type=NodePort`], fails: 'service', mentions: 'NodePort' },
  ],
});
