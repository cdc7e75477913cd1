import { defineDrill } from '../schema';
import { APP_NAMES, NS_POOL, cluster, getObj, jsonApply, putObjects } from './k8s-lib';
import { DOMAINS, HOST_WORDS, PATHS, CLIENT, GW, answeredBy, clusterIpService, curl, echoDeployment, gateway, gatewayAddress, httpRoute, multiApplyLines, routeRule, runBatch, servedBy, type Batch } from './k8s-net-lib';
import type { CheckContext } from '../schema';

const NET = 'networking.k8s.io/v1';

export default defineDrill({
  id: 'k8s-ingress-to-route',
  title: 'Migrate an Ingress to an HTTPRoute',
  domain: 'ingress',
  competencies: ['gateway-api', 'ingress'],
  difficulty: 'hard',
  minutes: 8,
  weight: 7,
  summary: 'Rewrite an existing Ingress (one host, two paths) as an HTTPRoute on an existing Gateway, then remove the Ingress.',
  scenario: 'k8s-calico',
  params(r) {
    const [a, b] = r.sample(APP_NAMES, 2) as [string, string];
    const [pathA, pathB] = r.sample(PATHS, 2) as [string, string];
    return { ns: r.pick(NS_POOL), a, b, pathA, pathB, portA: r.pick([80, 8080]), portB: r.pick([80, 8000, 9000]), host: `${r.pick(HOST_WORDS)}.${r.pick(DOMAINS)}`, name: r.pick(['web', 'site', 'frontend', 'public']), gw: r.pick(['gateway', 'shared-gw', 'edge']) };
  },
  prepare: (w, p) =>
    putObjects(w, [
      echoDeployment(p.a, p.ns, { app: p.a }, 8080),
      clusterIpService(p.a, p.ns, { app: p.a }, p.portA, 8080),
      echoDeployment(p.b, p.ns, { app: p.b }, 8080),
      clusterIpService(p.b, p.ns, { app: p.b }, p.portB, 8080),
      gateway(p.gw, p.ns),
      {
        apiVersion: NET,
        kind: 'Ingress',
        metadata: { name: p.name, namespace: p.ns },
        spec: {
          ingressClassName: 'nginx',
          rules: [{ host: p.host, http: { paths: [{ path: p.pathA, pathType: 'Prefix', backend: { service: { name: p.a, port: { number: p.portA } } } }, { path: p.pathB, pathType: 'Prefix', backend: { service: { name: p.b, port: { number: p.portB } } } }] } }],
        },
      },
    ]),
  task: (p) =>
    `Namespace \`${p.ns}\` publishes its application with the Ingress \`${p.name}\`. The team moves to the Gateway API: the Gateway \`${p.gw}\` (class \`nginx\`, HTTP on port 80) already runs in \`${p.ns}\`.\n` +
    `- Create an HTTPRoute \`${p.name}\` in \`${p.ns}\`, attached to \`${p.gw}\`, that routes exactly what the Ingress routes (same host, same paths, same Services and ports).\n` +
    `- Then delete the Ingress \`${p.name}\`.\n` +
    `Test from the host \`client\` with the Gateway's address (\`kubectl get gateway ${p.gw}\`).`,
  requirements: (p) => {
    const batch = (addr: string): Batch => ({
      clients: [],
      cmds: [
        { host: CLIENT, cmd: curl(`http://${addr}${p.pathA}/x`, p.host) },
        { host: CLIENT, cmd: curl(`http://${addr}${p.pathB}`, p.host) },
        { host: CLIENT, cmd: curl(`http://${addr}${p.pathB}/y`, p.host) },
        { host: CLIENT, cmd: curl(`http://${addr}${p.pathA}/x`, `other.${p.host}`) },
      ],
    });
    const results = async (c: CheckContext) => {
      const addr = gatewayAddress(cluster(c) as never, p.ns, p.gw);
      return typeof addr === 'string' ? runBatch(c, batch(addr)) : addr.error;
    };
    return [
      {
        id: 'route',
        text: `HTTPRoute ${p.name} in ${p.ns} is attached to Gateway ${p.gw}`,
        check: (c) => {
          const r = cluster(c).list('httproutes' as never, p.ns).items.find((x: any) => x.metadata?.name === p.name) as any;
          if (!r) return `there is no HTTPRoute ${p.name} in namespace ${p.ns}`;
          const parent = (r.status?.parents ?? []).find((x: any) => x.parentRef?.name === p.gw);
          const accepted = (parent?.conditions ?? []).find((x: any) => x.type === 'Accepted');
          return accepted?.status === 'True' ? true : `HTTPRoute ${p.name} is not accepted by Gateway ${p.gw}${accepted?.reason ? ` (${accepted.reason})` : ''}`;
        },
      },
      {
        id: 'path-a',
        text: `${p.host}${p.pathA}/x reaches ${p.a} through the Gateway`,
        check: async (c) => {
          const r = await results(c);
          return typeof r === 'string' ? r : answeredBy(r[0]!, p.a, `${p.host}${p.pathA}/x on the Gateway`);
        },
      },
      {
        id: 'path-b',
        text: `${p.host}${p.pathB} and ${p.pathB}/y reach ${p.b} through the Gateway`,
        check: async (c) => {
          const r = await results(c);
          if (typeof r === 'string') return r;
          const one = answeredBy(r[1]!, p.b, `${p.host}${p.pathB} on the Gateway`);
          return one === true ? answeredBy(r[2]!, p.b, `${p.host}${p.pathB}/y on the Gateway`) : one;
        },
      },
      {
        id: 'host',
        text: `only the host ${p.host} is routed (as in the Ingress)`,
        check: async (c) => {
          const r = await results(c);
          if (typeof r === 'string') return r;
          return servedBy(r[3]!.output) ? `the host other.${p.host} is routed too: the route has no hostnames` : true;
        },
      },
      {
        id: 'ingress-gone',
        text: `the Ingress ${p.name} is deleted`,
        check: (c) => (getObj(cluster(c), 'ingresses', p.ns, p.name) ? `the Ingress ${p.name} still exists in ${p.ns}` : true),
      },
    ];
  },
  hints: (p) => [
    `\`kubectl -n ${p.ns} get ingress ${p.name} -o yaml\`: each rule's host becomes an entry of \`hostnames\`, each path a rule with a \`matches\` entry.`,
    'A Prefix path becomes `path: {type: PathPrefix, value: ...}`; `backend.service.name`/`port.number` become `backendRefs: [{name, port}]`.',
    'The route attaches with `parentRefs: [{name: GATEWAY}]`; `kubectl describe httproute` says whether it was accepted.',
  ],
  solution: (p) => [
    `kubectl -n ${p.ns} get ingress ${p.name} -o yaml`,
    ...multiApplyLines([httpRoute(p.name, p.ns, p.gw, [p.host], [routeRule(p.pathA, [[p.a, p.portA]]), routeRule(p.pathB, [[p.b, p.portB]])])], '/root/route.yaml'),
    `kubectl -n ${p.ns} delete ingress ${p.name}`,
  ],
  alternatives: (p) => [
    { name: 'JSON on standard input, rules in the other order, delete by TYPE/NAME', lines: [jsonApply(httpRoute(p.name, p.ns, p.gw, [p.host], [routeRule(p.pathB, [[p.b, p.portB]]), routeRule(p.pathA, [[p.a, p.portA]])])), `kubectl delete ingress/${p.name} -n ${p.ns}`] },
    {
      name: 'kind, group and sectionName spelled out; kubectl create -n',
      lines: [
        ...multiApplyLines(
          [{ apiVersion: GW, kind: 'HTTPRoute', metadata: { name: p.name }, spec: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: p.gw, sectionName: 'http' }], hostnames: [p.host], rules: [{ matches: [{ path: { type: 'PathPrefix', value: p.pathA } }], backendRefs: [{ kind: 'Service', name: p.a, port: p.portA }] }, { matches: [{ path: { type: 'PathPrefix', value: p.pathB } }], backendRefs: [{ kind: 'Service', name: p.b, port: p.portB }] }] } }],
          '/root/r.yaml',
        ).slice(0, 1),
        `kubectl create -n ${p.ns} -f /root/r.yaml`,
        `kubectl -n ${p.ns} delete ing ${p.name}`,
      ],
    },
    {
      name: 'Ingress deleted first, one path, the second added with kubectl patch',
      lines: [`kubectl -n ${p.ns} get ingress ${p.name} -o yaml > /root/old-ingress.yaml`, `kubectl delete --namespace=${p.ns} ingresses.networking.k8s.io ${p.name}`, jsonApply(httpRoute(p.name, p.ns, p.gw, [p.host], [routeRule(p.pathA, [[p.a, p.portA]])])), `kubectl -n ${p.ns} patch httproute ${p.name} --type=json -p '[{"op":"add","path":"/spec/rules/-","value":${JSON.stringify(routeRule(p.pathB, [[p.b, p.portB]]))}}]'`],
    },
  ],
  wrong: (p) => [
    { name: 'no hostnames in the route', lines: [jsonApply(httpRoute(p.name, p.ns, p.gw, [], [routeRule(p.pathA, [[p.a, p.portA]]), routeRule(p.pathB, [[p.b, p.portB]])])), `kubectl -n ${p.ns} delete ingress ${p.name}`], fails: 'host', mentions: `other.${p.host}` },
    { name: 'the Ingress left in place', lines: [jsonApply(httpRoute(p.name, p.ns, p.gw, [p.host], [routeRule(p.pathA, [[p.a, p.portA]]), routeRule(p.pathB, [[p.b, p.portB]])]))], fails: 'ingress-gone', mentions: p.name },
    { name: 'Exact matches instead of PathPrefix', lines: [jsonApply(httpRoute(p.name, p.ns, p.gw, [p.host], [routeRule(p.pathA, [[p.a, p.portA]], 'Exact'), routeRule(p.pathB, [[p.b, p.portB]], 'Exact')])), `kubectl -n ${p.ns} delete ingress ${p.name}`], fails: 'path-a', mentions: `${p.pathA}/x` },
  ],
});
