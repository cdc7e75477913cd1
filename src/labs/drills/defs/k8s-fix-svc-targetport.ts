import { defineDrill } from '../schema';
import { all } from '../check';
import { APP_NAMES, NS_POOL, appPort, cluster, deployment, deploymentUnchanged, putObjects, service, servicePort, applyLines, jsonApply, reachRequirement } from './k8s-lib';

export default defineDrill({
  id: 'k8s-fix-svc-targetport',
  title: 'Troubleshoot: a Service with endpoints that refuses connections',
  domain: 'troubleshooting',
  competencies: ['services', 'troubleshoot-network'],
  difficulty: 'medium',
  minutes: 6,
  weight: 5,
  summary: 'A Service has endpoints, yet connections through it fail. Fix the Service, not the Deployment.',
  scenario: 'k8s-cluster',
  params(r) {
    const name = r.pick(APP_NAMES);
    const port = appPort(r);
    const svcPort = servicePort(r, port);
    const named = r.pick([true, false]);
    const wrongTarget = named ? r.pick(['http', 'web', 'api']) : r.pick([svcPort, 80, 8080, port + 1].filter((x) => x !== port));
    return { name, ns: r.pick(NS_POOL), svc: r.pick([name, `${name}-svc`]), port, svcPort, wrongTarget: String(wrongTarget), from: r.pick(['default', 'clients', 'monitoring']) };
  },
  prepare: (w, p) => {
    const target = /^\d+$/.test(p.wrongTarget) ? Number(p.wrongTarget) : p.wrongTarget;
    putObjects(w, [deployment({ name: p.name, namespace: p.ns, replicas: 2, labels: { app: p.name }, port: p.port }), service({ name: p.svc, namespace: p.ns, selector: { app: p.name }, port: p.svcPort, targetPort: target })]);
  },
  task: (p) =>
    `The Service \`${p.svc}\` in namespace \`${p.ns}\` has endpoints, but connections to it on port ${p.svcPort} fail.\n` +
    `Fix it so that \`http://${p.svc}.${p.ns}:${p.svcPort}/hostname\` answers from any pod with the name of a \`${p.name}\` pod. Do not change the Deployment \`${p.name}\`.`,
  requirements: (p) => [
    reachRequirement({ host: p.svc, ns: p.ns, port: p.svcPort, from: p.from, app: p.name }),
    {
      id: 'deployment',
      text: `the Deployment ${p.name} is left as it was`,
      check: (c) => all(deploymentUnchanged(cluster(c), { name: p.name, namespace: p.ns, replicas: 2, labels: { app: p.name }, port: p.port })),
    },
  ],
  hints: (p) => [
    `Which address and port do the endpoints list? \`kubectl -n ${p.ns} get endpoints ${p.svc}\``,
    `On which port does the container listen? \`kubectl -n ${p.ns} get deployment ${p.name} -o yaml\` (containerPort, and the server's arguments).`,
    'The Service must send to the port the container listens on: its `targetPort`.',
  ],
  solution: (p) => [
    `kubectl -n ${p.ns} get endpoints ${p.svc}`,
    `kubectl -n ${p.ns} get svc ${p.svc} -o yaml > /root/${p.svc}.yaml`,
    `sed -i 's/targetPort: ${p.wrongTarget}$/targetPort: ${p.port}/' /root/${p.svc}.yaml`,
    `kubectl apply -f /root/${p.svc}.yaml`,
    `kubectl -n ${p.ns} get endpoints ${p.svc}`,
  ],
  alternatives: (p) => [
    { name: 'delete and expose again', lines: [`kubectl -n ${p.ns} delete svc ${p.svc}`, `kubectl -n ${p.ns} expose deployment ${p.name} --name=${p.svc} --port=${p.svcPort} --target-port=${p.port}`] },
    { name: 'delete and apply a manifest written by hand', lines: [`kubectl -n ${p.ns} delete service/${p.svc}`, ...applyLines({ apiVersion: 'v1', kind: 'Service', metadata: { name: p.svc, namespace: p.ns }, spec: { selector: { app: p.name }, ports: [{ port: p.svcPort, targetPort: p.port }] } }, '/root/fixed.yaml')] },
    { name: 'kubectl edit: the targetPort changed in the editor', lines: [`KUBE_EDITOR="sed -i 's/targetPort: ${p.wrongTarget}$/targetPort: ${p.port}/'" kubectl edit -n ${p.ns} service/${p.svc}`] },
    // a strategic merge patch: Service ports merge by their `port`, so only that entry's targetPort changes
    { name: 'kubectl patch: the port entry merged by its port number', lines: [`kubectl -n ${p.ns} patch svc ${p.svc} -p '{"spec":{"ports":[{"port":${p.svcPort},"targetPort":${p.port}}]}}'`, `kubectl -n ${p.ns} get ep ${p.svc}`] },
    { name: 'inspect the endpoints, then replace by JSON', lines: [`kubectl -n ${p.ns} get ep ${p.svc} -o wide`, `kubectl -n ${p.ns} get deploy ${p.name} -o yaml | grep -A3 ports`, `kubectl delete svc ${p.svc} -n ${p.ns}`, jsonApply({ apiVersion: 'v1', kind: 'Service', metadata: { name: p.svc, namespace: p.ns }, spec: { selector: { app: p.name }, ports: [{ port: p.svcPort, targetPort: p.port }] } })] },
  ],
  wrong: (p) => [
    { name: 'scales the Deployment', lines: [`kubectl -n ${p.ns} scale deployment ${p.name} --replicas=3`], fails: 'reach', mentions: `${p.svc}.${p.ns}:${p.svcPort}` },
    {
      name: 'changes the Service port instead',
      lines: [`kubectl -n ${p.ns} get svc ${p.svc} -o yaml > /root/s.yaml`, `sed -i 's/port: ${p.svcPort}$/port: ${p.port}/' /root/s.yaml`, 'kubectl apply -f /root/s.yaml'],
      fails: 'reach',
    },
  ],
});
