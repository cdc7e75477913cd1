import { defineDrill } from '../schema';
import { APP_NAMES, NS_POOL, appPort, applyLines, cluster, deployment, podsOf, putObjects, reachesPods, serviceIn, servicePort } from './k8s-lib';

export default defineDrill({
  id: 'k8s-named-targetport',
  title: 'A Service that follows the container port by name',
  domain: 'services',
  competencies: ['services'],
  difficulty: 'medium',
  minutes: 6,
  weight: 4,
  summary: 'Create a Service whose targetPort names the container port, so that it keeps working when the port number changes.',
  scenario: 'k8s-cluster',
  params(r) {
    const name = r.pick(APP_NAMES);
    const port = appPort(r);
    return { name, ns: r.pick(NS_POOL), portName: r.pick(['http', 'web', 'http-api', 'serve', 'app-http']), port, svc: r.pick([name, `${name}-svc`]), svcPort: servicePort(r, port), from: r.pick(['default', 'clients']) };
  },
  prepare: (w, p) => putObjects(w, [deployment({ name: p.name, namespace: p.ns, replicas: 2, labels: { app: p.name }, port: p.port, portName: p.portName })]),
  task: (p) =>
    `The Deployment \`${p.name}\` in namespace \`${p.ns}\` names its container port. Its developers will change the port number soon.\n` +
    `Create a ClusterIP Service \`${p.svc}\` in \`${p.ns}\` on port ${p.svcPort} whose \`targetPort\` refers to the container port **by its name**, and check that \`http://${p.svc}.${p.ns}:${p.svcPort}/hostname\` answers from a pod.`,
  requirements: (p) => [
    {
      id: 'named',
      text: `Service ${p.svc}'s port ${p.svcPort} targets the container port by its name`,
      check: (c) => {
        const s = serviceIn(cluster(c), p.ns, p.svc);
        if (typeof s === 'string') return s;
        const port = (s.spec?.ports ?? []).find((x: any) => x.port === p.svcPort);
        if (!port) return `Service ${p.svc} does not listen on port ${p.svcPort}`;
        if (typeof port.targetPort === 'number') return `Service ${p.svc}'s targetPort is the number ${port.targetPort}, not the container port's name`;
        return port.targetPort === p.portName ? true : `Service ${p.svc}'s targetPort "${port.targetPort}" is not the name of the container port`;
      },
    },
    {
      id: 'reach',
      text: `http://${p.svc}.${p.ns}:${p.svcPort}/hostname answers from a pod in ${p.from} with the name of a ${p.name} pod`,
      check: (c) => reachesPods(c, { namespace: p.from }, `http://${p.svc}.${p.ns}:${p.svcPort}`, () => podsOf(cluster(c), p.ns, { app: p.name }).map((x) => x.metadata.name)),
    },
  ],
  hints: (p) => [`\`kubectl -n ${p.ns} get deployment ${p.name} -o yaml\`: look at \`ports:\` of the container.`, '`targetPort` accepts a number or the name of a container port.'],
  solution: (p) => [
    `kubectl -n ${p.ns} get deployment ${p.name} -o jsonpath='{.spec.template.spec.containers[0].ports[0].name}'`,
    ...applyLines({ apiVersion: 'v1', kind: 'Service', metadata: { name: p.svc, namespace: p.ns }, spec: { selector: { app: p.name }, ports: [{ port: p.svcPort, targetPort: p.portName }] } }, `/root/${p.svc}.yaml`),
  ],
  wrong: (p) => [
    { name: 'uses the port number', lines: [`kubectl -n ${p.ns} expose deployment ${p.name} --name=${p.svc} --port=${p.svcPort} --target-port=${p.port}`], fails: 'named', mentions: 'number' },
    { name: 'names a port the container does not have', lines: [`kubectl -n ${p.ns} expose deployment ${p.name} --name=${p.svc} --port=${p.svcPort} --target-port=web-port`], fails: 'reach' },
  ],
});
