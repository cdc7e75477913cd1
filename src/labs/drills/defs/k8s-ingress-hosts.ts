import { defineDrill } from '../schema';
import { APP_NAMES, NS_POOL, applyLines, cluster, getObj, jsonApply, putObjects } from './k8s-lib';
import { DOMAINS, HOST_WORDS, INGRESS_HTTP, NODE_IPS, CLIENT, answeredBy, clusterIpService, curl, echoDeployment, runBatch, type Batch } from './k8s-net-lib';

const NET = 'networking.k8s.io/v1';

function hostRule(host: string, svc: string, port: number): any {
  return { host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: svc, port: { number: port } } } }] } };
}

export default defineDrill({
  id: 'k8s-ingress-hosts',
  title: 'A host-based Ingress',
  domain: 'ingress',
  competencies: ['ingress'],
  difficulty: 'easy',
  minutes: 5,
  weight: 4,
  summary: 'Route two host names to two Services with one Ingress (name-based virtual hosting).',
  scenario: 'k8s-calico',
  params(r) {
    const [a, b] = r.sample(APP_NAMES, 2) as [string, string];
    const domain = r.pick(DOMAINS);
    const [wa, wb] = r.sample(HOST_WORDS, 2) as [string, string];
    return { ns: r.pick(NS_POOL), a, b, hostA: `${wa}.${domain}`, hostB: `${wb}.${domain}`, port: r.pick([80, 8080, 8000]), ingress: r.pick(['vhosts', 'sites', 'front', 'hosts']), node: r.int(0, 1) };
  },
  prepare: (w, p) => putObjects(w, [echoDeployment(p.a, p.ns, { app: p.a }, 8080), clusterIpService(p.a, p.ns, { app: p.a }, p.port, 8080), echoDeployment(p.b, p.ns, { app: p.b }, 8080), clusterIpService(p.b, p.ns, { app: p.b }, p.port, 8080)]),
  task: (p) =>
    `In namespace \`${p.ns}\`, the Services \`${p.a}\` and \`${p.b}\` serve HTTP on port ${p.port}. The NGINX Ingress Controller (IngressClass \`nginx\`) listens on node port ${INGRESS_HTTP} of every node.\n` +
    `Create one Ingress \`${p.ingress}\` in \`${p.ns}\` so that requests for the host \`${p.hostA}\` go to \`${p.a}\` and requests for \`${p.hostB}\` go to \`${p.b}\`, whatever the path.\n` +
    `Test from the host \`client\`: \`curl -H 'Host: ${p.hostB}' http://${NODE_IPS[p.node]}:${INGRESS_HTTP}/\`.`,
  requirements: (p) => {
    const base = `http://${NODE_IPS[p.node]}:${INGRESS_HTTP}`;
    const batch: Batch = {
      clients: [],
      cmds: [
        { host: CLIENT, cmd: curl(`${base}/`, p.hostA) },
        { host: CLIENT, cmd: curl(`${base}/any/path`, p.hostA) },
        { host: CLIENT, cmd: curl(`${base}/`, p.hostB) },
        { host: CLIENT, cmd: curl(`${base}/other`, p.hostB) },
      ],
    };
    const both = (i: number, deploy: string, host: string, path: string) => async (c: Parameters<typeof runBatch>[0]) => {
      const r = await runBatch(c, batch);
      const one = answeredBy(r[i]!, deploy, `http://${host}/`);
      return one === true ? answeredBy(r[i + 1]!, deploy, `http://${host}${path}`) : one;
    };
    return [
      {
        id: 'ingress',
        text: `Ingress ${p.ingress} in ${p.ns} has rules for ${p.hostA} and ${p.hostB}`,
        check: (c) => {
          const ing = getObj(cluster(c), 'ingresses', p.ns, p.ingress);
          if (!ing) return `there is no Ingress ${p.ingress} in namespace ${p.ns}`;
          const hosts = (ing.spec?.rules ?? []).map((x: any) => x.host);
          for (const h of [p.hostA, p.hostB]) if (!hosts.includes(h)) return `Ingress ${p.ingress} has no rule for the host ${h}`;
          return true;
        },
      },
      { id: 'host-a', text: `requests for ${p.hostA} reach ${p.a}`, check: both(0, p.a, p.hostA, '/any/path') },
      { id: 'host-b', text: `requests for ${p.hostB} reach ${p.b}`, check: both(2, p.b, p.hostB, '/other') },
    ];
  },
  hints: (p) => [
    'One Ingress can hold several rules, each with its own `host`.',
    `\`kubectl create ingress ${p.ingress} --rule="${p.hostA}/*=${p.a}:${p.port}" --rule=...\``,
  ],
  solution: (p) => [`kubectl -n ${p.ns} create ingress ${p.ingress} --class=nginx --rule="${p.hostA}/*=${p.a}:${p.port}" --rule="${p.hostB}/*=${p.b}:${p.port}"`, `kubectl -n ${p.ns} get ingress ${p.ingress}`],
  alternatives: (p) => [
    { name: 'a YAML manifest applied', lines: applyLines({ apiVersion: NET, kind: 'Ingress', metadata: { name: p.ingress, namespace: p.ns }, spec: { ingressClassName: 'nginx', rules: [hostRule(p.hostA, p.a, p.port), hostRule(p.hostB, p.b, p.port)] } }, '/root/ing.yaml') },
    { name: 'JSON on standard input, hosts in the other order', lines: [jsonApply({ apiVersion: NET, kind: 'Ingress', metadata: { name: p.ingress, namespace: p.ns }, spec: { rules: [hostRule(p.hostB, p.b, p.port), hostRule(p.hostA, p.a, p.port)] } })] },
    {
      name: 'one host created, the other added with kubectl patch',
      lines: [
        `kubectl create ingress ${p.ingress} --namespace ${p.ns} --rule=${p.hostA}/*=${p.a}:${p.port}`,
        `kubectl -n ${p.ns} patch ing ${p.ingress} --type=json -p '[{"op":"add","path":"/spec/rules/-","value":${JSON.stringify(hostRule(p.hostB, p.b, p.port))}}]'`,
      ],
    },
  ],
  wrong: (p) => [
    { name: 'both hosts to the first Service', lines: [`kubectl -n ${p.ns} create ingress ${p.ingress} --rule="${p.hostA}/*=${p.a}:${p.port}" --rule="${p.hostB}/*=${p.a}:${p.port}"`], fails: 'host-b', mentions: p.b },
    { name: 'an Exact path /', lines: [`kubectl -n ${p.ns} create ingress ${p.ingress} --rule="${p.hostA}/=${p.a}:${p.port}" --rule="${p.hostB}/=${p.b}:${p.port}"`], fails: 'host-a', mentions: '/any/path' },
  ],
});
