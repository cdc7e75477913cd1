import { defineDrill } from '../schema';
import { APP_NAMES, NS_POOL, appPort, cluster, deployment, putObjects, resolveFromPod, service, servicePort, serviceIn } from './k8s-lib';

export default defineDrill({
  id: 'k8s-fix-coredns',
  title: 'Troubleshoot: names do not resolve in the cluster',
  domain: 'troubleshooting',
  competencies: ['coredns', 'troubleshoot-network'],
  difficulty: 'medium',
  minutes: 6,
  weight: 6,
  summary: 'Pods cannot resolve Service names any more. Find out why and repair the cluster DNS.',
  scenario: 'k8s-fault-coredns',
  params(r) {
    const name = r.pick(APP_NAMES.filter((n) => n !== 'web'));
    const port = appPort(r);
    return { name, ns: r.pick(NS_POOL), port, svcPort: servicePort(r, port), from: r.pick(['default', 'clients', 'debug']) };
  },
  prepare: (w, p) =>
    putObjects(w, [deployment({ name: p.name, namespace: p.ns, replicas: 1, labels: { app: p.name }, port: p.port }), service({ name: p.name, namespace: p.ns, selector: { app: p.name }, port: p.svcPort, targetPort: p.port })]),
  task: (p) =>
    `Developers report that their pods cannot resolve any Service name: \`nslookup ${p.name}.${p.ns}\` from a pod times out.\n` +
    `Repair the cluster's DNS so that \`${p.name}.${p.ns}.svc.cluster.local\` and \`kubernetes.default\` resolve from pods again.`,
  requirements: (p) => [
    {
      id: 'resolve',
      text: `${p.name}.${p.ns}.svc.cluster.local resolves from a pod in ${p.from} to the Service's ClusterIP`,
      check: async (c) => {
        const s = serviceIn(cluster(c), p.ns, p.name);
        if (typeof s === 'string') return s;
        const r = await resolveFromPod(c, { namespace: p.from }, `${p.name}.${p.ns}.svc.cluster.local`);
        if (!r || r.addresses.length === 0) return `${p.name}.${p.ns}.svc.cluster.local does not resolve from a pod in ${p.from}`;
        return r.addresses.includes(s.spec.clusterIP) ? true : `${p.name}.${p.ns}.svc.cluster.local resolves to ${r.addresses.join(', ')}, not to the Service's ClusterIP`;
      },
    },
    {
      id: 'kubernetes',
      text: `kubernetes.default resolves from a pod in ${p.from}`,
      check: async (c) => {
        // busybox's nslookup (the probe pod's) does not walk the search list: the full name
        const r = await resolveFromPod(c, { namespace: p.from }, 'kubernetes.default.svc.cluster.local');
        return r && r.addresses.includes('10.96.0.1') ? true : `kubernetes.default does not resolve to 10.96.0.1 from a pod in ${p.from}`;
      },
    },
  ],
  hints: () => [
    'Which Service do pods send DNS queries to (`cat /etc/resolv.conf` in a pod), and does it have endpoints?',
    '`kubectl -n kube-system get deployments,pods -l k8s-app=kube-dns`',
    'A Deployment at 0 replicas runs no pods: `kubectl scale`.',
  ],
  solution: () => ['kubectl -n kube-system get endpoints kube-dns', 'kubectl -n kube-system get deployment coredns', 'kubectl -n kube-system scale deployment coredns --replicas=2', 'sleep 20', 'kubectl -n kube-system get pods -l k8s-app=kube-dns'],
  alternatives: () => [
    { name: 'scale with TYPE/NAME and a space-separated flag', lines: ['kubectl scale deploy/coredns -n kube-system --replicas 2'] },
    { name: 'replicas edited in the manifest and applied', lines: ['kubectl -n kube-system get deployment coredns -o yaml > /root/coredns.yaml', "sed -i 's/^  replicas: 0$/  replicas: 2/' /root/coredns.yaml", 'kubectl apply -f /root/coredns.yaml'] },
    { name: 'kubectl patch of the replicas', lines: ['kubectl -n kube-system patch deployment coredns -p \'{"spec":{"replicas":2}}\''] },
    { name: 'kubectl edit: replicas changed in the editor', lines: ["KUBE_EDITOR=\"sed -i 's/^  replicas: 0$/  replicas: 2/'\" kubectl edit deploy coredns -n kube-system"] },
    { name: 'looks at the DNS Service and pods first, then scales to three', lines: ['kubectl -n kube-system get svc kube-dns', 'kubectl -n kube-system get pods -l k8s-app=kube-dns', 'kubectl -n kube-system scale deployment coredns --replicas=3'] },
  ],
  wrong: () => [
    { name: 'restarts kube-proxy', lines: ['kubectl -n kube-system delete pods -l k8s-app=kube-proxy'], fails: 'resolve' },
    { name: 'points the pods at the node\'s resolver', lines: ["sed -i 's/^nameserver .*/nameserver 192.168.121.1/' /etc/resolv.conf"], fails: 'kubernetes' },
  ],
});
