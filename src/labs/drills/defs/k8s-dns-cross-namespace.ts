import { defineDrill } from '../schema';
import { answerFile as answerIn } from '../check';
import { APP_NAMES, NS_POOL, answerFile, cluster, fromPod, getObj, putObjects, resolveFromPod, running, serviceIn, servicePort, applyLines, dryRunLines } from './k8s-lib';

export default defineDrill({
  id: 'k8s-dns-cross-namespace',
  title: 'Reach a Service by name from another namespace',
  domain: 'k8s-dns',
  competencies: ['services', 'coredns', 'pod-connectivity'],
  difficulty: 'medium',
  minutes: 7,
  weight: 6,
  summary: 'Create a pod and a Service for it, reach it by its DNS name from a pod in another namespace, and write down the fully qualified name.',
  scenario: 'k8s-cluster',
  params(r) {
    const [ns, from] = r.sample(NS_POOL, 2) as [string, string];
    const app = r.pick(APP_NAMES);
    return { ns, from, pod: `${app}-${r.pick(['pod', 'server', '0', 'main'])}`, app, svc: `${app}-${r.pick(['svc', 'http', 'service'])}`, svcPort: servicePort(r, 80), file: answerFile(r) };
  },
  prepare: (w, p) => putObjects(w, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: p.ns } }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: p.from } }], 5_000),
  setup: () => ['mkdir -p /opt/answers'],
  task: (p) =>
    `- In namespace \`${p.ns}\`, create a pod \`${p.pod}\` running the image \`nginx:1.27\` (it serves HTTP on port 80), labelled \`app=${p.app}\`.\n` +
    `- In the same namespace, create a Service \`${p.svc}\` that sends port ${p.svcPort} to that pod's port 80.\n` +
    `- Pods in namespace \`${p.from}\` must reach the web server through the Service's DNS name.\n` +
    `- Write the Service's fully qualified domain name (the name that works from any namespace, with the cluster domain) to \`${p.file}\`.`,
  requirements: (p) => [
    {
      id: 'pod',
      text: `pod ${p.pod} runs nginx:1.27 in ${p.ns} with the label app=${p.app}`,
      check: (c) => {
        const pod = getObj(cluster(c), 'pods', p.ns, p.pod);
        if (!pod) return `there is no pod ${p.pod} in namespace ${p.ns}`;
        if (!String(pod.spec?.containers?.[0]?.image ?? '').startsWith('nginx:1.27')) return `pod ${p.pod} does not run nginx:1.27`;
        if (pod.metadata?.labels?.app !== p.app) return `pod ${p.pod} is not labelled app=${p.app}`;
        return running(pod) ? true : `pod ${p.pod} is not running`;
      },
    },
    {
      id: 'dns',
      text: `${p.svc}.${p.ns}.svc.cluster.local resolves, from a pod in ${p.from}, to the Service's ClusterIP`,
      check: async (c) => {
        const s = serviceIn(cluster(c), p.ns, p.svc);
        if (typeof s === 'string') return s;
        const r = await resolveFromPod(c, { namespace: p.from }, `${p.svc}.${p.ns}.svc.cluster.local`);
        if (!r || r.addresses.length === 0) return `${p.svc}.${p.ns}.svc.cluster.local does not resolve from a pod in ${p.from}`;
        return r.addresses.includes(s.spec?.clusterIP) ? true : `${p.svc}.${p.ns}.svc.cluster.local resolves to ${r.addresses.join(', ')}, not to the Service's ClusterIP`;
      },
    },
    {
      id: 'http',
      text: `http://${p.svc}.${p.ns}:${p.svcPort}/ answers with nginx's welcome page from a pod in ${p.from}`,
      check: async (c) => {
        const r = await fromPod(c, { namespace: p.from }, `curl -s -m 3 http://${p.svc}.${p.ns}:${p.svcPort}/`);
        return r.exitCode === 0 && r.output.includes('Welcome to nginx!') ? true : `http://${p.svc}.${p.ns}:${p.svcPort}/ does not answer with nginx's page from a pod in ${p.from}`;
      },
    },
    {
      id: 'fqdn',
      text: `${p.file} holds the Service's fully qualified domain name`,
      check: (c) => answerIn(c.world, c.host, p.file, [`${p.svc}.${p.ns}.svc.cluster.local`, `${p.svc}.${p.ns}.svc.cluster.local.`]),
    },
  ],
  hints: (p) => [
    '`kubectl run NAME --image=IMAGE --labels=KEY=VALUE -n NS` creates a pod; `kubectl expose pod NAME` a Service for it.',
    'A Service gets the name `SERVICE.NAMESPACE.svc.CLUSTER-DOMAIN`; the cluster domain is in the kubelet\'s configuration and in a pod\'s /etc/resolv.conf (search line).',
    `\`kubectl -n ${p.ns} expose pod ${p.pod} --name=${p.svc} --port=${p.svcPort} --target-port=80\``,
  ],
  solution: (p) => [
    `kubectl -n ${p.ns} run ${p.pod} --image=nginx:1.27 --labels=app=${p.app} --port=80`,
    `kubectl -n ${p.ns} expose pod ${p.pod} --name=${p.svc} --port=${p.svcPort} --target-port=80`,
    `kubectl -n ${p.from} run test --image=curlimages/curl --restart=Never --command -- sleep 3600`,
    'sleep 10',
    `kubectl -n ${p.from} exec test -- curl -s http://${p.svc}.${p.ns}:${p.svcPort}/`,
    `echo ${p.svc}.${p.ns}.svc.cluster.local > ${p.file}`,
  ],
  alternatives: (p) => [
    {
      name: 'both objects from manifests, Service first',
      lines: [
        ...applyLines({ apiVersion: 'v1', kind: 'Service', metadata: { name: p.svc, namespace: p.ns }, spec: { selector: { app: p.app }, ports: [{ port: p.svcPort, targetPort: 80 }] } }, '/root/svc.yaml'),
        ...applyLines({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.pod, namespace: p.ns, labels: { app: p.app } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } }, '/root/pod.yaml'),
        `printf '%s\\n' ${p.svc}.${p.ns}.svc.cluster.local. > ${p.file}`,
      ],
    },
    {
      name: 'run, then create service clusterip with the selector fixed by sed',
      lines: [`kubectl run ${p.pod} --namespace ${p.ns} --image nginx:1.27 -l app=${p.app}`, ...dryRunLines(`kubectl -n ${p.ns} create service clusterip ${p.svc} --tcp=${p.svcPort}:80`, '/root/s.yaml', [`s/app: ${p.svc}$/app: ${p.app}/`]), `echo "${p.svc}.${p.ns}.svc.cluster.local" > ${p.file}`],
    },
    {
      name: 'checked with nslookup from a pod before writing the answer',
      lines: [`kubectl -n ${p.ns} run ${p.pod} --image=nginx:1.27 --labels=app=${p.app}`, `kubectl -n ${p.ns} expose pod/${p.pod} --port ${p.svcPort} --target-port 80 --name ${p.svc}`, `kubectl -n ${p.from} run dns --image=busybox --restart=Never -- sleep 600`, 'sleep 10', `kubectl -n ${p.from} exec dns -- nslookup ${p.svc}.${p.ns}.svc.cluster.local | grep Name | awk '{print $2}' > ${p.file}`],
    },
  ],
  wrong: (p) => [
    {
      name: 'exposes the Service on port 80 and writes the short name',
      lines: [`kubectl -n ${p.ns} run ${p.pod} --image=nginx:1.27 --labels=app=${p.app}`, `kubectl -n ${p.ns} expose pod ${p.pod} --name=${p.svc} --port=80`, `echo ${p.svc}.${p.ns} > ${p.file}`],
      fails: 'fqdn',
      mentions: 'not the right answer',
    },
    {
      name: 'puts the Service in the client namespace',
      lines: [`kubectl -n ${p.ns} run ${p.pod} --image=nginx:1.27 --labels=app=${p.app}`, `kubectl -n ${p.from} create service clusterip ${p.svc} --tcp=${p.svcPort}:80`],
      fails: 'dns',
      mentions: `no Service ${p.svc}`,
    },
  ],
});
