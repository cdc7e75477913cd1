import { defineDrill } from '../schema';
import { APP_NAMES, NS_POOL, applyLines, cluster, dryRunLines, jsonApply, putObjects, serviceIn } from './k8s-lib';
import { CLIENT, answeredBy, curl, echoDeployment, runBatch, type Batch } from './k8s-net-lib';

export default defineDrill({
  id: 'k8s-metallb-lb',
  title: 'A LoadBalancer Service with a given address',
  domain: 'services',
  competencies: ['services'],
  difficulty: 'medium',
  minutes: 6,
  weight: 5,
  summary: 'Expose a Deployment as a LoadBalancer Service that MetalLB gives a requested address, reachable from outside the cluster.',
  scenario: 'k8s-calico',
  params(r) {
    const app = r.pick(APP_NAMES);
    return { app, ns: r.pick(NS_POOL), svc: `${app}-${r.pick(['lb', 'public', 'external'])}`, port: r.pick([80, 8080, 8000, 443, r.int(1000, 9000)]), ip: `192.168.121.${r.int(205, 219)}` };
  },
  prepare: (w, p) => putObjects(w, [echoDeployment(p.app, p.ns, { app: p.app, tier: 'web' }, 8080, 2)]),
  task: (p) =>
    `The Deployment \`${p.app}\` in namespace \`${p.ns}\` serves HTTP on container port 8080. MetalLB hands out LoadBalancer addresses from 192.168.121.200-220.\n` +
    `Expose it as a Service \`${p.svc}\` of type LoadBalancer on port ${p.port}, with the external address **${p.ip}**.\n` +
    `From the host \`client\` (outside the cluster), \`curl http://${p.ip}:${p.port}/\` must reach the Deployment's pods.`,
  requirements: (p) => {
    const batch: Batch = { clients: [], cmds: [{ host: CLIENT, cmd: curl(`http://${p.ip}:${p.port}/`) }] };
    return [
      {
        id: 'service',
        text: `Service ${p.svc} in ${p.ns} is a LoadBalancer with the external address ${p.ip}, port ${p.port}`,
        check: (c) => {
          const s = serviceIn(cluster(c), p.ns, p.svc);
          if (typeof s === 'string') return s;
          if (s.spec?.type !== 'LoadBalancer') return `Service ${p.svc} is of type ${s.spec?.type ?? 'ClusterIP'}, not LoadBalancer`;
          if (!(s.spec.ports ?? []).some((x: any) => x.port === p.port)) return `Service ${p.svc} has no port ${p.port}`;
          const ips = (s.status?.loadBalancer?.ingress ?? []).map((x: any) => x.ip);
          return ips.includes(p.ip) ? true : `Service ${p.svc}'s external address is ${ips.join(', ') || '<pending>'}, not ${p.ip}`;
        },
      },
      { id: 'reach', text: `http://${p.ip}:${p.port}/ reaches ${p.app} from the client host`, check: async (c) => answeredBy((await runBatch(c, batch))[0]!, p.app, `http://${p.ip}:${p.port}/ from the client host`) },
    ];
  },
  hints: (p) => [
    'MetalLB assigns the lowest free address unless the Service asks for one.',
    `Ask with the annotation \`metallb.io/loadBalancerIPs: ${p.ip}\` (or the deprecated \`spec.loadBalancerIP\`), set when the Service is created.`,
  ],
  solution: (p) => [
    `kubectl -n ${p.ns} get deploy ${p.app} --show-labels`,
    ...applyLines({ apiVersion: 'v1', kind: 'Service', metadata: { name: p.svc, namespace: p.ns, annotations: { 'metallb.io/loadBalancerIPs': p.ip } }, spec: { type: 'LoadBalancer', selector: { app: p.app }, ports: [{ port: p.port, targetPort: 8080 }] } }, `/root/${p.svc}.yaml`),
    `kubectl -n ${p.ns} get svc ${p.svc}`,
  ],
  alternatives: (p) => [
    { name: 'spec.loadBalancerIP, JSON on standard input', lines: [jsonApply({ apiVersion: 'v1', kind: 'Service', metadata: { name: p.svc, namespace: p.ns }, spec: { type: 'LoadBalancer', loadBalancerIP: p.ip, selector: { app: p.app, tier: 'web' }, ports: [{ port: p.port, targetPort: 8080, protocol: 'TCP' }] } })] },
    { name: 'expose generated, the address added with sed', lines: dryRunLines(`kubectl -n ${p.ns} expose deployment ${p.app} --name=${p.svc} --type=LoadBalancer --port=${p.port} --target-port=8080`, '/root/lb.yaml', [`s/^spec:$/spec:\\n  loadBalancerIP: ${p.ip}/`]) },
    { name: 'kubectl expose with --load-balancer-ip', lines: [`kubectl expose deploy/${p.app} -n ${p.ns} --name ${p.svc} --type LoadBalancer --port ${p.port} --target-port 8080 --load-balancer-ip ${p.ip}`] },
    { name: 'exposed first (MetalLB picks an address), then the address requested with kubectl annotate', lines: [`kubectl -n ${p.ns} expose deployment ${p.app} --name=${p.svc} --type=LoadBalancer --port=${p.port} --target-port=8080`, `kubectl -n ${p.ns} get svc ${p.svc}`, `kubectl -n ${p.ns} annotate service ${p.svc} metallb.io/loadBalancerIPs=${p.ip}`] },
    { name: 'create service loadbalancer generated, selector and annotation added with sed', lines: dryRunLines(`kubectl -n ${p.ns} create service loadbalancer ${p.svc} --tcp=${p.port}:8080`, '/root/lb2.yaml', [`s/app: ${p.svc}$/app: ${p.app}/`, `s/^  name: ${p.svc}$/  name: ${p.svc}\\n  annotations:\\n    metallb.io\\/loadBalancerIPs: ${p.ip}/`]) },
  ],
  wrong: (p) => [
    { name: 'lets MetalLB pick the address', lines: [`kubectl -n ${p.ns} expose deployment ${p.app} --name=${p.svc} --type=LoadBalancer --port=${p.port} --target-port=8080`], fails: 'service', mentions: p.ip },
    { name: 'a NodePort Service', lines: [`kubectl -n ${p.ns} expose deployment ${p.app} --name=${p.svc} --type=NodePort --port=${p.port} --target-port=8080`], fails: 'service', mentions: 'NodePort' },
    { name: 'the address right, the target port left to default', lines: [jsonApply({ apiVersion: 'v1', kind: 'Service', metadata: { name: p.svc, namespace: p.ns, annotations: { 'metallb.io/loadBalancerIPs': p.ip } }, spec: { type: 'LoadBalancer', selector: { app: p.app }, ports: [{ port: p.port === 8080 ? 80 : p.port }] } })], fails: p.port === 8080 ? 'service' : 'reach', mentions: p.port === 8080 ? String(p.port) : p.ip },
  ],
});
