import { defineDrill } from '../schema';
import { APP_NAMES, NS_POOL, applyLines, cluster, getObj, jsonApply, putObjects } from './k8s-lib';
import { DOMAINS, HOST_WORDS, INGRESS_HTTP, NODE_IPS, PATHS, CLIENT, answeredBy, clusterIpService, curl, echoDeployment, runBatch, type Batch } from './k8s-net-lib';

const NET = 'networking.k8s.io/v1';

function rule(p: { host: string; pathA: string; pathB: string; a: string; b: string; portA: number; portB: number }, pathType = 'Prefix'): any {
  return {
    host: p.host,
    http: {
      paths: [
        { path: p.pathA, pathType, backend: { service: { name: p.a, port: { number: p.portA } } } },
        { path: p.pathB, pathType, backend: { service: { name: p.b, port: { number: p.portB } } } },
      ],
    },
  };
}

export default defineDrill({
  id: 'k8s-ingress-paths',
  title: 'An Ingress with two paths',
  domain: 'ingress',
  competencies: ['ingress'],
  difficulty: 'medium',
  minutes: 6,
  weight: 5,
  summary: 'Route two URL paths of one host name to two Services through the cluster’s NGINX Ingress Controller.',
  scenario: 'k8s-calico',
  params(r) {
    const [a, b] = r.sample(APP_NAMES, 2) as [string, string];
    const [pathA, pathB] = r.sample(PATHS, 2) as [string, string];
    return { ns: r.pick(NS_POOL), a, b, pathA, pathB, portA: r.pick([80, 8080, 8000]), portB: r.pick([80, 8081, 9000, 3000]), host: `${r.pick(HOST_WORDS)}.${r.pick(DOMAINS)}`, ingress: r.pick(['main', 'web', 'routes', 'public']), node: r.int(0, 1) };
  },
  prepare: (w, p) => putObjects(w, [echoDeployment(p.a, p.ns, { app: p.a }, 8080), clusterIpService(p.a, p.ns, { app: p.a }, p.portA, 8080), echoDeployment(p.b, p.ns, { app: p.b }, 5678), clusterIpService(p.b, p.ns, { app: p.b }, p.portB, 5678)]),
  task: (p) =>
    `In namespace \`${p.ns}\`, the Services \`${p.a}\` (port ${p.portA}) and \`${p.b}\` (port ${p.portB}) serve HTTP. The cluster runs the NGINX Ingress Controller (IngressClass \`nginx\`), reachable on node port ${INGRESS_HTTP} of every node.\n` +
    `Create an Ingress \`${p.ingress}\` in \`${p.ns}\` for the host \`${p.host}\`:\n` +
    `- requests under \`${p.pathA}\` (such as \`${p.pathA}/x\`) go to \`${p.a}\`;\n` +
    `- requests under \`${p.pathB}\` go to \`${p.b}\`.\n` +
    `Test from the host \`client\`: \`curl -H 'Host: ${p.host}' http://${NODE_IPS[p.node]}:${INGRESS_HTTP}${p.pathA}/x\`.`,
  requirements: (p) => {
    const base = `http://${NODE_IPS[p.node]}:${INGRESS_HTTP}`;
    const batch: Batch = { clients: [], cmds: [`${p.pathA}/x`, p.pathB, `${p.pathB}/y/z`, p.pathA].map((path) => ({ host: CLIENT, cmd: curl(base + path, p.host) })) };
    return [
      {
        id: 'ingress',
        text: `Ingress ${p.ingress} in ${p.ns} uses the nginx class`,
        check: (c) => {
          const ing = getObj(cluster(c), 'ingresses', p.ns, p.ingress);
          if (!ing) return `there is no Ingress ${p.ingress} in namespace ${p.ns}`;
          return (ing.spec?.ingressClassName ?? 'nginx') === 'nginx' ? true : `Ingress ${p.ingress} uses the class ${ing.spec.ingressClassName}, not nginx`;
        },
      },
      {
        id: 'path-a',
        text: `${p.host}${p.pathA}/x reaches ${p.a}`,
        check: async (c) => {
          const r = await runBatch(c, batch);
          const one = answeredBy(r[0]!, p.a, `${p.host}${p.pathA}/x`);
          return one === true ? answeredBy(r[3]!, p.a, `${p.host}${p.pathA}`) : one;
        },
      },
      {
        id: 'path-b',
        text: `${p.host}${p.pathB} and ${p.pathB}/y/z reach ${p.b}`,
        check: async (c) => {
          const r = await runBatch(c, batch);
          const one = answeredBy(r[1]!, p.b, `${p.host}${p.pathB}`);
          return one === true ? answeredBy(r[2]!, p.b, `${p.host}${p.pathB}/y/z`) : one;
        },
      },
    ];
  },
  hints: (p) => [
    '`kubectl create ingress NAME --rule="HOST/PATH*=SERVICE:PORT"`: the `*` makes the path a Prefix.',
    `Each path needs \`pathType: Prefix\` so that \`${p.pathA}/x\` matches \`${p.pathA}\`; Exact would match only \`${p.pathA}\` itself.`,
    'The NGINX Ingress Controller rejects rules without a host (see the Ingress\'s events).',
  ],
  solution: (p) => [
    `kubectl -n ${p.ns} get svc`,
    `kubectl -n ${p.ns} create ingress ${p.ingress} --class=nginx --rule="${p.host}${p.pathA}*=${p.a}:${p.portA}" --rule="${p.host}${p.pathB}*=${p.b}:${p.portB}"`,
    `kubectl -n ${p.ns} describe ingress ${p.ingress}`,
  ],
  alternatives: (p) => [
    { name: 'a YAML manifest applied', lines: applyLines({ apiVersion: NET, kind: 'Ingress', metadata: { name: p.ingress, namespace: p.ns }, spec: { ingressClassName: 'nginx', rules: [rule(p)] } }, '/root/ing.yaml') },
    { name: 'JSON on standard input, the default class', lines: [jsonApply({ apiVersion: NET, kind: 'Ingress', metadata: { name: p.ingress, namespace: p.ns }, spec: { rules: [rule({ ...p, pathA: p.pathB, pathB: p.pathA, a: p.b, b: p.a, portA: p.portB, portB: p.portA })] } })] },
    {
      name: 'created with one path, the second added with kubectl patch',
      lines: [
        `kubectl create ingress ${p.ingress} -n ${p.ns} --rule=${p.host}${p.pathA}*=${p.a}:${p.portA}`,
        `kubectl -n ${p.ns} patch ingress ${p.ingress} --type=json -p '[{"op":"add","path":"/spec/rules/0/http/paths/-","value":{"path":"${p.pathB}","pathType":"Prefix","backend":{"service":{"name":"${p.b}","port":{"number":${p.portB}}}}}}]'`,
      ],
    },
  ],
  wrong: (p) => [
    { name: 'Exact paths', lines: [`kubectl -n ${p.ns} create ingress ${p.ingress} --class=nginx --rule="${p.host}${p.pathA}=${p.a}:${p.portA}" --rule="${p.host}${p.pathB}=${p.b}:${p.portB}"`], fails: 'path-a', mentions: `${p.pathA}/x` },
    { name: 'the backends swapped', lines: [`kubectl -n ${p.ns} create ingress ${p.ingress} --rule="${p.host}${p.pathA}*=${p.b}:${p.portB}" --rule="${p.host}${p.pathB}*=${p.a}:${p.portA}"`], fails: 'path-b', mentions: p.b },
    { name: 'no host in the rules', lines: [`kubectl -n ${p.ns} create ingress ${p.ingress} --rule="${p.pathA}*=${p.a}:${p.portA}" --rule="${p.pathB}*=${p.b}:${p.portB}"`], fails: 'path-a', mentions: p.a },
  ],
});
