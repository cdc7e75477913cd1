import { defineDrill } from '../schema';
import { APP_NAMES, NS_POOL, cluster, jsonApply, putObjects } from './k8s-lib';
import { DOMAINS, HOST_WORDS, PATHS, CLIENT, GW, answeredBy, clusterIpService, curl, echoDeployment, gateway, gatewayAddress, httpRoute, multiApplyLines, routeRule, runBatch, servedBy, type Batch } from './k8s-net-lib';
import type { CheckContext } from '../schema';

export default defineDrill({
  id: 'k8s-gateway-route',
  title: 'A Gateway and an HTTPRoute',
  domain: 'ingress',
  competencies: ['gateway-api'],
  difficulty: 'medium',
  minutes: 7,
  weight: 6,
  summary: 'Create a Gateway of the nginx GatewayClass and an HTTPRoute that sends one host and path prefix to a Service.',
  scenario: 'k8s-calico',
  params(r) {
    const app = r.pick(APP_NAMES);
    return { ns: r.pick(NS_POOL), app, port: r.pick([80, 8080, 8000, 9000]), host: `${r.pick(HOST_WORDS)}.${r.pick(DOMAINS)}`, path: r.pick(PATHS), gw: r.pick(['gateway', 'main-gw', 'web-gw', 'edge']), route: r.pick([`${app}-route`, app, 'http-route']) };
  },
  prepare: (w, p) => putObjects(w, [echoDeployment(p.app, p.ns, { app: p.app }, 8080, 2), clusterIpService(p.app, p.ns, { app: p.app }, p.port, 8080)]),
  task: (p) =>
    `The cluster runs NGINX Gateway Fabric (GatewayClass \`nginx\`); MetalLB gives LoadBalancer addresses. In namespace \`${p.ns}\`, the Service \`${p.app}\` serves HTTP on port ${p.port}.\n` +
    `- Create a Gateway \`${p.gw}\` in \`${p.ns}\` of class \`nginx\` with one HTTP listener named \`http\` on port 80.\n` +
    `- Create an HTTPRoute \`${p.route}\` in \`${p.ns}\` attached to it that sends requests for the host \`${p.host}\` whose path starts with \`${p.path}\` to \`${p.app}\`; nothing else.\n` +
    `Test from the host \`client\` with the Gateway's address (\`kubectl get gateway\`): \`curl -H 'Host: ${p.host}' http://ADDRESS${p.path}/x\`.`,
  requirements: (p) => {
    const batch = (addr: string): Batch => ({
      clients: [],
      cmds: [
        { host: CLIENT, cmd: curl(`http://${addr}${p.path}/x`, p.host) },
        { host: CLIENT, cmd: curl(`http://${addr}${p.path}`, p.host) },
        { host: CLIENT, cmd: curl(`http://${addr}/elsewhere`, p.host) },
        { host: CLIENT, cmd: curl(`http://${addr}${p.path}/x`, `other.${p.host}`) },
      ],
    });
    const results = async (c: CheckContext) => {
      const addr = gatewayAddress(cluster(c) as never, p.ns, p.gw);
      return typeof addr === 'string' ? runBatch(c, batch(addr)) : addr.error;
    };
    return [
      {
        id: 'gateway',
        text: `Gateway ${p.gw} in ${p.ns} (class nginx, listener http on port 80) is programmed and has an address`,
        check: (c) => {
          const g = cluster(c).list('gateways' as never, p.ns).items.find((x: any) => x.metadata?.name === p.gw) as any;
          if (!g) return `there is no Gateway ${p.gw} in namespace ${p.ns}`;
          if (g.spec?.gatewayClassName !== 'nginx') return `Gateway ${p.gw} is of class ${g.spec?.gatewayClassName}, not nginx`;
          const l = (g.spec?.listeners ?? []).find((x: any) => x.name === 'http');
          if (!l || l.port !== 80 || l.protocol !== 'HTTP') return `Gateway ${p.gw} has no HTTP listener named http on port 80`;
          const a = gatewayAddress(cluster(c) as never, p.ns, p.gw);
          return typeof a === 'string' ? true : a.error;
        },
      },
      {
        id: 'route',
        text: `${p.host}${p.path} and ${p.path}/x reach ${p.app} through the Gateway`,
        check: async (c) => {
          const r = await results(c);
          if (typeof r === 'string') return r;
          const one = answeredBy(r[0]!, p.app, `${p.host}${p.path}/x`);
          return one === true ? answeredBy(r[1]!, p.app, `${p.host}${p.path}`) : one;
        },
      },
      {
        id: 'only',
        text: `other paths and other hosts do not reach ${p.app}`,
        check: async (c) => {
          const r = await results(c);
          if (typeof r === 'string') return r;
          if (servedBy(r[2]!.output)) return `${p.host}/elsewhere reaches ${p.app} too: the route matches more than ${p.path}`;
          if (servedBy(r[3]!.output)) return `the host other.${p.host} reaches ${p.app} too: the route matches more than ${p.host}`;
          return true;
        },
      },
    ];
  },
  hints: (p) => [
    'A Gateway names its `gatewayClassName` and its `listeners` (name, protocol, port); an HTTPRoute attaches with `parentRefs: [{name: GATEWAY}]`.',
    `In the route: \`hostnames: [${p.host}]\` and a rule with \`matches: [{path: {type: PathPrefix, value: ${p.path}}}]\` and \`backendRefs: [{name: ${p.app}, port: ${p.port}}]\`.`,
    '`kubectl describe httproute` shows whether the route was accepted by its parent and why not.',
  ],
  solution: (p) => [
    'kubectl get gatewayclass',
    ...multiApplyLines([gateway(p.gw, p.ns), httpRoute(p.route, p.ns, p.gw, [p.host], [routeRule(p.path, [[p.app, p.port]])])], '/root/gateway.yaml'),
    `kubectl -n ${p.ns} get gateway ${p.gw}`,
  ],
  alternatives: (p) => [
    { name: 'two JSON manifests on standard input, one apply each', lines: [jsonApply(gateway(p.gw, p.ns)), `kubectl -n ${p.ns} get gateway ${p.gw}`, jsonApply(httpRoute(p.route, p.ns, p.gw, [p.host], [routeRule(p.path, [[p.app, p.port]])]))] },
    {
      name: 'sectionName, kind and group spelled out; kubectl create -n',
      lines: [
        ...multiApplyLines(
          [
            { apiVersion: GW, kind: 'Gateway', metadata: { name: p.gw }, spec: { gatewayClassName: 'nginx', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }] } },
            { apiVersion: GW, kind: 'HTTPRoute', metadata: { name: p.route }, spec: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: p.gw, sectionName: 'http' }], hostnames: [p.host], rules: [{ matches: [{ path: { type: 'PathPrefix', value: p.path } }], backendRefs: [{ group: '', kind: 'Service', name: p.app, port: p.port, weight: 1 }] }] } },
          ],
          '/root/gw.yaml',
        ).slice(0, 1),
        `kubectl create -n ${p.ns} -f /root/gw.yaml`,
      ],
    },
    {
      name: 'a route without a path first, the match added with kubectl patch',
      lines: [
        jsonApply(gateway(p.gw, p.ns)),
        jsonApply(httpRoute(p.route, p.ns, p.gw, [p.host], [routeRule(null, [[p.app, p.port]])])),
        `kubectl -n ${p.ns} patch httproute ${p.route} --type=json -p '[{"op":"add","path":"/spec/rules/0/matches","value":[{"path":{"type":"PathPrefix","value":"${p.path}"}}]}]'`,
      ],
    },
  ],
  wrong: (p) => [
    { name: 'the route names another Gateway', lines: [jsonApply(gateway(p.gw, p.ns)), jsonApply(httpRoute(p.route, p.ns, 'gateway-x', [p.host], [routeRule(p.path, [[p.app, p.port]])]))], fails: 'route', mentions: p.app },
    { name: 'no path match (the whole host)', lines: [jsonApply(gateway(p.gw, p.ns)), jsonApply(httpRoute(p.route, p.ns, p.gw, [p.host], [routeRule(null, [[p.app, p.port]])]))], fails: 'only', mentions: '/elsewhere' },
    { name: 'no hostnames (every host)', lines: [jsonApply(gateway(p.gw, p.ns)), jsonApply(httpRoute(p.route, p.ns, p.gw, [], [routeRule(p.path, [[p.app, p.port]])]))], fails: 'only', mentions: `other.${p.host}` },
    { name: 'the GatewayClass misspelled', lines: [jsonApply({ ...gateway(p.gw, p.ns), spec: { ...gateway(p.gw, p.ns).spec, gatewayClassName: 'nginx-gateway' } }), jsonApply(httpRoute(p.route, p.ns, p.gw, [p.host], [routeRule(p.path, [[p.app, p.port]])]))], fails: 'gateway', mentions: 'nginx-gateway' },
  ],
});
