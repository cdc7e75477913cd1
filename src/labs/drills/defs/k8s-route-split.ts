import { defineDrill } from '../schema';
import { APP_NAMES, NS_POOL, cluster, jsonApply, putObjects } from './k8s-lib';
import { DOMAINS, HOST_WORDS, CLIENT, answeredBy, clusterIpService, curl, echoDeployment, gateway, gatewayAddress, httpRoute, multiApplyLines, routeRule, runBatch, servedBy, type Batch } from './k8s-net-lib';
import type { CheckContext } from '../schema';

/** Requests the split is measured over, and the share of the 20% backend accepted (binomial, n = 50, p = 0.2: outside it by chance about 1%; the draws are seeded, so a seed passes or fails for good). */
export const SPLIT_REQUESTS = 50;
export const MINOR_SHARE: readonly [number, number] = [0.08, 0.35];

export default defineDrill({
  id: 'k8s-route-split',
  title: 'Split traffic 80/20 with HTTPRoute weights',
  domain: 'ingress',
  competencies: ['gateway-api'],
  difficulty: 'medium',
  minutes: 6,
  weight: 5,
  summary: 'Send 80% of a host’s requests to the current version and 20% to the new one (a canary), with backend weights.',
  scenario: 'k8s-calico',
  params(r) {
    const app = r.pick(APP_NAMES);
    const [v1, v2] = r.pick([['v1', 'v2'], ['stable', 'canary'], ['blue', 'green']] as const);
    return { ns: r.pick(NS_POOL), app, stable: `${app}-${v1}`, canary: `${app}-${v2}`, port: r.pick([80, 8080]), host: `${r.pick(HOST_WORDS)}.${r.pick(DOMAINS)}`, gw: r.pick(['gateway', 'edge', 'public-gw']), route: r.pick([`${app}-split`, `${app}-canary`, app]) };
  },
  prepare: (w, p) =>
    putObjects(w, [
      echoDeployment(p.stable, p.ns, { app: p.app, version: p.stable }, 8080, 2),
      clusterIpService(p.stable, p.ns, { app: p.app, version: p.stable }, p.port, 8080),
      echoDeployment(p.canary, p.ns, { app: p.app, version: p.canary }, 8080),
      clusterIpService(p.canary, p.ns, { app: p.app, version: p.canary }, p.port, 8080),
      gateway(p.gw, p.ns),
    ]),
  task: (p) =>
    `In namespace \`${p.ns}\`, the Services \`${p.stable}\` and \`${p.canary}\` (port ${p.port}) serve two versions of ${p.app}. The Gateway \`${p.gw}\` (class \`nginx\`, HTTP on port 80) runs in \`${p.ns}\`.\n` +
    `Create an HTTPRoute \`${p.route}\` in \`${p.ns}\`, attached to \`${p.gw}\`, that sends the requests for the host \`${p.host}\` to \`${p.stable}\` (80%) and \`${p.canary}\` (20%).\n` +
    `Check from the host \`client\`: over ${SPLIT_REQUESTS} requests to the Gateway's address, about one in five reaches \`${p.canary}\`.`,
  requirements: (p) => {
    const batch = (addr: string): Batch => ({ clients: [], cmds: [{ host: CLIENT, cmd: `for i in $(seq ${SPLIT_REQUESTS}); do ${curl(`http://${addr}/`, p.host)}; echo; done` }] });
    const results = async (c: CheckContext) => {
      const addr = gatewayAddress(cluster(c) as never, p.ns, p.gw);
      return typeof addr === 'string' ? runBatch(c, batch(addr)) : addr.error;
    };
    return [
      {
        id: 'weights',
        text: `HTTPRoute ${p.route} gives ${p.stable} and ${p.canary} the weights 80 and 20 (or the same ratio)`,
        check: (c) => {
          const r = cluster(c).list('httproutes' as never, p.ns).items.find((x: any) => x.metadata?.name === p.route) as any;
          if (!r) return `there is no HTTPRoute ${p.route} in namespace ${p.ns}`;
          const refs = (r.spec?.rules ?? []).flatMap((x: any) => x.backendRefs ?? []);
          const w = (name: string) => refs.filter((x: any) => x.name === name).reduce((s: number, x: any) => s + (x.weight ?? 1), 0);
          const [a, b] = [w(p.stable), w(p.canary)];
          if (!b) return `HTTPRoute ${p.route} sends nothing to ${p.canary}`;
          return a === 4 * b ? true : `HTTPRoute ${p.route} weighs ${p.stable} ${a} and ${p.canary} ${b}: not 80/20`;
        },
      },
      {
        id: 'split',
        text: `about 20% of ${SPLIT_REQUESTS} requests for ${p.host} reach ${p.canary}, the rest ${p.stable}`,
        check: async (c) => {
          const r = await results(c);
          if (typeof r === 'string') return r;
          const pods = [...r[0]!.output.matchAll(/Request served by (\S+)/g)].map((m) => m[1]!);
          if (pods.length < SPLIT_REQUESTS * 0.95) return answeredBy({ output: '', exitCode: 1 }, p.stable, `http://${p.host}/ on the Gateway`);
          const canary = pods.filter((x) => x.startsWith(`${p.canary}-`)).length;
          const stable = pods.filter((x) => x.startsWith(`${p.stable}-`)).length;
          if (canary + stable < pods.length) return `some requests for ${p.host} reach neither ${p.stable} nor ${p.canary}`;
          const share = canary / pods.length;
          return share >= MINOR_SHARE[0] && share <= MINOR_SHARE[1] ? true : `${canary} of ${pods.length} requests reached ${p.canary}, not about 20%`;
        },
      },
    ];
  },
  hints: (p) => [
    'One rule can list several `backendRefs`; each takes a share proportional to its `weight` (default 1).',
    `\`backendRefs: [{name: ${p.stable}, port: ${p.port}, weight: 80}, {name: ${p.canary}, port: ${p.port}, weight: 20}]\``,
  ],
  solution: (p) => [
    `kubectl -n ${p.ns} get gateway,svc`,
    ...multiApplyLines([httpRoute(p.route, p.ns, p.gw, [p.host], [routeRule(null, [[p.stable, p.port, 80], [p.canary, p.port, 20]])])], '/root/split.yaml'),
    `kubectl -n ${p.ns} get httproute ${p.route}`,
  ],
  alternatives: (p) => [
    { name: 'weights 4 and 1, JSON on standard input, a PathPrefix / match', lines: [jsonApply(httpRoute(p.route, p.ns, p.gw, [p.host], [routeRule('/', [[p.canary, p.port, 1], [p.stable, p.port, 4]])]))] },
    {
      name: 'first all to the stable version, then the canary added with kubectl patch',
      lines: [
        jsonApply(httpRoute(p.route, p.ns, p.gw, [p.host], [routeRule(null, [[p.stable, p.port, 80]])])),
        `kubectl -n ${p.ns} patch httproute ${p.route} --type=json -p '[{"op":"add","path":"/spec/rules/0/backendRefs/-","value":{"name":"${p.canary}","port":${p.port},"weight":20}}]'`,
      ],
    },
    {
      name: 'kubectl create -n with sectionName, weights 8 and 2',
      lines: [
        ...multiApplyLines([{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: p.route }, spec: { parentRefs: [{ name: p.gw, sectionName: 'http' }], hostnames: [p.host], rules: [{ backendRefs: [{ name: p.stable, port: p.port, weight: 8 }, { name: p.canary, port: p.port, weight: 2 }] }] } }], '/root/r.yaml').slice(0, 1),
        `kubectl create -f /root/r.yaml -n ${p.ns}`,
      ],
    },
  ],
  wrong: (p) => [
    { name: 'no weights (50/50)', lines: [jsonApply(httpRoute(p.route, p.ns, p.gw, [p.host], [routeRule(null, [[p.stable, p.port], [p.canary, p.port]])]))], fails: 'split', mentions: p.canary },
    { name: 'the weights swapped', lines: [jsonApply(httpRoute(p.route, p.ns, p.gw, [p.host], [routeRule(null, [[p.stable, p.port, 20], [p.canary, p.port, 80]])]))], fails: 'weights', mentions: 'not 80/20' },
    { name: 'two rules instead of one weighted rule (the first wins)', lines: [jsonApply(httpRoute(p.route, p.ns, p.gw, [p.host], [routeRule('/', [[p.stable, p.port, 80]]), routeRule('/', [[p.canary, p.port, 20]])]))], fails: 'split', mentions: `0 of ${SPLIT_REQUESTS}` },
  ],
});
