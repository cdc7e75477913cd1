import { defineDrill } from '../schema';
import { answerFile as answerIn } from '../check';
import { APP_NAMES, NS_POOL, answerFile, appPort, cluster, deployment, podsOf, putObjects, service } from './k8s-lib';

export default defineDrill({
  id: 'k8s-nodeport-which-pod',
  title: 'Which pod answers on this node port?',
  domain: 'services',
  competencies: ['services', 'troubleshoot-network'],
  difficulty: 'medium',
  minutes: 5,
  weight: 4,
  summary: 'Several NodePort Services run in the cluster: follow one node port to the pod that serves it.',
  scenario: 'k8s-cluster',
  params(r) {
    const names = r.sample(APP_NAMES, 4);
    const nss = names.map(() => r.pick(NS_POOL));
    const ports = r.distinctInts(30100, 32700, 4).filter((x) => x !== 30080);
    while (ports.length < 4) ports.push(30081 + ports.length);
    const appPorts = names.map(() => appPort(r));
    // Services named after another app, so the name does not give the answer away
    const svcNames = names.map((_, i) => `${r.pick(['svc', 'np', 'ext', 'public'])}-${i + 1}`);
    return { names, nss, ports: ports.map(String), appPorts: appPorts.map(String), svcNames, pick: r.int(0, 3), file: answerFile(r) };
  },
  setup: () => ['mkdir -p /opt/answers'],
  prepare: (w, p) =>
    putObjects(
      w,
      p.names.flatMap((name, i) => {
        const port = Number(p.appPorts[i]);
        const labels = { app: name };
        return [
          deployment({ name, namespace: p.nss[i]!, replicas: 1, labels, port }),
          service({ name: p.svcNames[i]!, namespace: p.nss[i]!, selector: labels, port: 80, targetPort: port, type: 'NodePort', nodePort: Number(p.ports[i]) }),
        ];
      }),
    ),
  task: (p) =>
    `Several applications are published on node ports in this cluster. A user reports an error from \`http://192.168.121.11:${p.ports[p.pick]}\`.\n` +
    `Find the pod that serves that node port and write its name (only the pod's name) to \`${p.file}\`.`,
  requirements: (p) => [
    {
      id: 'pod',
      text: `${p.file} holds the name of the pod behind node port ${p.ports[p.pick]}`,
      check: (c) => {
        const api = cluster(c);
        const svc = (api.list('services', null).items as any[]).find((s) => (s.spec?.ports ?? []).some((x: any) => x.nodePort === Number(p.ports[p.pick])));
        if (!svc) return `no Service uses node port ${p.ports[p.pick]} any more`;
        const pods = podsOf(api, svc.metadata.namespace, svc.spec.selector ?? {}).map((x) => x.metadata.name);
        if (pods.length === 0) return `no pod serves node port ${p.ports[p.pick]} any more`;
        return answerIn(c.world, c.host, p.file, pods);
      },
    },
  ],
  hints: (p) => [
    '`kubectl get svc -A` shows every Service with its ports: `PORT:NODEPORT/TCP`.',
    'The Service\'s selector (`kubectl describe svc`) or its endpoints lead to the pod; `kubectl get pods -o wide` matches the endpoint\'s IP.',
    `\`kubectl get svc -A | grep ${p.ports[p.pick]}\``,
  ],
  solution: (p) => {
    const i = p.pick;
    return [
      `kubectl get svc -A | grep ${p.ports[i]}`,
      `kubectl -n ${p.nss[i]} get endpoints ${p.svcNames[i]}`,
      `kubectl -n ${p.nss[i]} get pods -l app=${p.names[i]} -o jsonpath='{.items[0].metadata.name}' > ${p.file}`,
      `cat ${p.file}`,
    ];
  },
  alternatives: (p) => [
    { name: 'ask the server itself through the node port', lines: [`curl -s http://192.168.121.11:${p.ports[p.pick]}/hostname > ${p.file}`] },
    { name: 'endpoint IP matched against the pod list', lines: [`IP=$(kubectl -n ${p.nss[p.pick]} get endpoints ${p.svcNames[p.pick]} -o jsonpath='{.subsets[0].addresses[0].ip}')`, `kubectl get pods -A -o wide | awk -v ip=$IP '$7 == ip {print $2}' > ${p.file}`] },
    { name: 'selector read from the Service', lines: [`SEL=$(kubectl -n ${p.nss[p.pick]} get svc ${p.svcNames[p.pick]} -o jsonpath='{.spec.selector.app}')`, `kubectl -n ${p.nss[p.pick]} get pods -l app=$SEL --no-headers | awk '{print $1}' > ${p.file}`] },
  ],
  wrong: (p) => [
    { name: 'writes the Deployment’s name', lines: [`echo ${p.names[p.pick]} > ${p.file}`], fails: 'pod', mentions: 'not the right answer' },
    { name: 'writes the Service’s name', lines: [`echo ${p.svcNames[p.pick]} > ${p.file}`], fails: 'pod', mentions: 'not the right answer' },
  ],
});
