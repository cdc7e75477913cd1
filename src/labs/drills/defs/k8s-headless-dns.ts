import { defineDrill } from '../schema';
import { APP_NAMES, NS_POOL, appPort, cluster, deployment, podsOf, putObjects, resolveFromPod, serviceIn, applyLines, jsonApply, dryRunLines } from './k8s-lib';

export default defineDrill({
  id: 'k8s-headless-dns',
  title: 'A headless Service: one DNS answer per pod',
  domain: 'k8s-dns',
  competencies: ['services', 'coredns'],
  difficulty: 'medium',
  minutes: 5,
  weight: 4,
  summary: 'Create a headless Service so that the cluster DNS answers with the addresses of the pods themselves.',
  scenario: 'k8s-cluster',
  params(r) {
    const name = r.pick(APP_NAMES);
    return { name, ns: r.pick(NS_POOL), svc: `${name}-${r.pick(['headless', 'peers', 'members', 'hl'])}`, port: appPort(r), replicas: r.int(2, 4), from: r.pick(['default', 'clients', 'debug']) };
  },
  prepare: (w, p) => putObjects(w, [deployment({ name: p.name, namespace: p.ns, replicas: p.replicas, labels: { app: p.name }, port: p.port })]),
  task: (p) =>
    `The ${p.replicas} replicas of the Deployment \`${p.name}\` (namespace \`${p.ns}\`, container port ${p.port}) must find each other by DNS.\n` +
    `Create a headless Service \`${p.svc}\` in \`${p.ns}\` for these pods (port ${p.port}), so that looking up \`${p.svc}.${p.ns}.svc.cluster.local\` from any pod answers with the address of every pod of the Deployment, not with a virtual IP.`,
  requirements: (p) => [
    {
      id: 'headless',
      text: `Service ${p.svc} in ${p.ns} is headless (no ClusterIP)`,
      check: (c) => {
        const s = serviceIn(cluster(c), p.ns, p.svc);
        if (typeof s === 'string') return s;
        return s.spec?.clusterIP === 'None' ? true : `Service ${p.svc} has the ClusterIP ${s.spec?.clusterIP}: it is not headless`;
      },
    },
    {
      id: 'dns',
      text: `${p.svc}.${p.ns}.svc.cluster.local resolves from a pod in ${p.from} to the address of every ${p.name} pod`,
      check: async (c) => {
        const want = podsOf(cluster(c), p.ns, { app: p.name }).map((x) => x.status?.podIP).filter(Boolean).sort();
        const r = await resolveFromPod(c, { namespace: p.from }, `${p.svc}.${p.ns}.svc.cluster.local`);
        if (!r || r.addresses.length === 0) return `${p.svc}.${p.ns}.svc.cluster.local does not resolve from a pod in ${p.from}`;
        const got = [...new Set(r.addresses)].sort();
        return JSON.stringify(got) === JSON.stringify(want) ? true : `${p.svc}.${p.ns}.svc.cluster.local resolves to ${got.join(', ')}, not to the ${want.length} pod addresses`;
      },
    },
  ],
  hints: () => ['A Service is headless when its `clusterIP` is `None`.', '`kubectl expose ... --cluster-ip=None`, or `clusterIP: None` in the manifest.'],
  solution: (p) => [`kubectl -n ${p.ns} expose deployment ${p.name} --name=${p.svc} --port=${p.port} --cluster-ip=None`, `kubectl -n ${p.ns} get endpoints ${p.svc}`],
  alternatives: (p) => [
    { name: 'a manifest with clusterIP: None', lines: applyLines({ apiVersion: 'v1', kind: 'Service', metadata: { name: p.svc, namespace: p.ns }, spec: { clusterIP: 'None', selector: { app: p.name }, ports: [{ port: p.port }] } }, '/root/hl.yaml') },
    { name: 'create service clusterip --clusterip=None, selector fixed by sed', lines: dryRunLines(`kubectl -n ${p.ns} create service clusterip ${p.svc} --clusterip=None --tcp=${p.port}:${p.port}`, '/root/hl2.yaml', [`s/app: ${p.svc}$/app: ${p.name}/`]) },
    { name: 'JSON on standard input', lines: [jsonApply({ apiVersion: 'v1', kind: 'Service', metadata: { name: p.svc, namespace: p.ns }, spec: { clusterIP: 'None', selector: { app: p.name }, ports: [{ name: 'http', port: p.port, targetPort: p.port }] } })] },
  ],
  wrong: (p) => [
    { name: 'creates a normal ClusterIP Service', lines: [`kubectl -n ${p.ns} expose deployment ${p.name} --name=${p.svc} --port=${p.port}`], fails: 'dns', mentions: 'not to the' },
    // `create service` selects app=SERVICE-NAME, which matches none of the Deployment's pods
    { name: 'a headless Service whose selector matches no pod', lines: [`kubectl -n ${p.ns} create service clusterip ${p.svc} --clusterip=None --tcp=${p.port}:${p.port}`], fails: 'dns' },
  ],
});
