import { defineDrill } from '../schema';
import { NS_POOL, cluster, fromPod, putObjects, serviceIn, applyLines, jsonApply, dryRunLines } from './k8s-lib';

const TARGETS = ['db.corp.example', 'mail.example.org', 'api.partner.example', 'legacy.infra.test', 'billing.ops.example', 's3.storage.example'];

export default defineDrill({
  id: 'k8s-externalname',
  title: 'Give an outside host a name inside the cluster',
  domain: 'k8s-dns',
  competencies: ['services', 'coredns'],
  difficulty: 'easy',
  minutes: 4,
  weight: 3,
  summary: 'Create an ExternalName Service so that pods reach an external host under a cluster-local name.',
  scenario: 'k8s-cluster',
  params(r) {
    const target = r.pick(TARGETS);
    return { ns: r.pick(NS_POOL), svc: r.pick(['database', 'mailer', 'partner-api', 'legacy', 'billing', 'storage', 'upstream']), target };
  },
  prepare: (w, p) => putObjects(w, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: p.ns } }], 5_000),
  task: (p) =>
    `Applications in namespace \`${p.ns}\` should reach the external host \`${p.target}\` under the name \`${p.svc}\`, so that the address can later be changed in one place.\n` +
    `Create a Service \`${p.svc}\` in \`${p.ns}\` so that the cluster DNS answers a lookup of \`${p.svc}\` from a pod of that namespace with an alias (CNAME) to \`${p.target}\`.`,
  requirements: (p) => [
    {
      id: 'service',
      text: `Service ${p.svc} in ${p.ns} is an ExternalName Service for ${p.target}`,
      check: (c) => {
        const s = serviceIn(cluster(c), p.ns, p.svc);
        if (typeof s === 'string') return s;
        if (s.spec?.type !== 'ExternalName') return `Service ${p.svc} is of type ${s.spec?.type ?? 'ClusterIP'}, not ExternalName`;
        return s.spec.externalName === p.target ? true : `Service ${p.svc} points to ${s.spec.externalName}, not ${p.target}`;
      },
    },
    {
      id: 'dns',
      text: `looking up ${p.svc} from a pod in ${p.ns} answers with the canonical name ${p.target}`,
      check: async (c) => {
        // the probe pod's nslookup is busybox's, which does not walk the search list: the full name
        const r = await fromPod(c, { namespace: p.ns }, `nslookup ${p.svc}.${p.ns}.svc.cluster.local`);
        // BIND's nslookup prints the target with its final dot, busybox's without
        return r.output.split('\n').some((l) => l.endsWith(`canonical name = ${p.target}`) || l.endsWith(`canonical name = ${p.target}.`)) ? true : `looking up ${p.svc} from a pod in ${p.ns} gives no alias to ${p.target}`;
      },
    },
  ],
  hints: () => ['A Service of type ExternalName has no selector and no ClusterIP: the DNS answers its name with a CNAME.', '`kubectl create service externalname NAME --external-name HOST`'],
  solution: (p) => [`kubectl -n ${p.ns} create service externalname ${p.svc} --external-name ${p.target}`, `kubectl -n ${p.ns} get svc ${p.svc}`],
  alternatives: (p) => [
    { name: 'a manifest', lines: applyLines({ apiVersion: 'v1', kind: 'Service', metadata: { name: p.svc, namespace: p.ns }, spec: { type: 'ExternalName', externalName: p.target } }, '/root/ext.yaml') },
    { name: 'JSON on standard input', lines: [jsonApply({ kind: 'Service', apiVersion: 'v1', metadata: { namespace: p.ns, name: p.svc }, spec: { externalName: p.target, type: 'ExternalName' } })] },
    { name: 'generated with --dry-run, then applied', lines: dryRunLines(`kubectl create service externalname ${p.svc} -n ${p.ns} --external-name=${p.target}`, '/tmp/ext.yaml') },
  ],
  wrong: (p) => [
    { name: 'creates it in the default namespace', lines: [`kubectl create service externalname ${p.svc} --external-name ${p.target}`], fails: 'dns', mentions: p.target },
    { name: 'misspells the target', lines: [`kubectl -n ${p.ns} create service externalname ${p.svc} --external-name ${p.target.replace('.', '-')}`], fails: 'service', mentions: p.target },
  ],
});
