import { defineDrill } from '../schema';
import { all } from '../check';
import { APP_NAMES, NS_POOL, TIERS, appPort, cluster, deployment, deploymentUnchanged, putObjects, service, servicePort, applyLines, jsonApply, dryRunLines, reachRequirement } from './k8s-lib';

export default defineDrill({
  id: 'k8s-fix-svc-selector',
  title: 'Troubleshoot: a Service that reaches no pod',
  domain: 'troubleshooting',
  competencies: ['services', 'troubleshoot-network'],
  difficulty: 'medium',
  minutes: 6,
  weight: 5,
  summary: 'Clients of a Service get no answer although the Deployment behind it runs. Fix the Service, not the Deployment.',
  scenario: 'k8s-cluster',
  params(r) {
    const name = r.pick(APP_NAMES);
    const tier = r.pick(TIERS);
    const port = appPort(r);
    const fault = r.pick(['app', 'tier', 'key'] as const);
    const wrongSel =
      fault === 'app' ? { app: `${name}${r.pick(['-v2', 'app', '-svc', 's'])}`, tier } : fault === 'tier' ? { app: name, tier: r.pick(TIERS.filter((t) => t !== tier)) } : { name, tier };
    return { name, tier, ns: r.pick(NS_POOL), svc: r.pick([name, `${name}-svc`]), port, svcPort: servicePort(r, port), wrongKeys: Object.keys(wrongSel), wrongVals: Object.values(wrongSel), from: r.pick(['default', 'clients', 'monitoring']) };
  },
  prepare: (w, p) => {
    const labels = { app: p.name, tier: p.tier };
    const sel = Object.fromEntries(p.wrongKeys.map((k, i) => [k, p.wrongVals[i]!]));
    putObjects(w, [deployment({ name: p.name, namespace: p.ns, replicas: 2, labels, port: p.port }), service({ name: p.svc, namespace: p.ns, selector: sel, port: p.svcPort, targetPort: p.port })]);
  },
  task: (p) =>
    `The Service \`${p.svc}\` in namespace \`${p.ns}\` should send its traffic (port ${p.svcPort}) to the pods of the Deployment \`${p.name}\`, but clients get no answer.\n` +
    `Fix it so that \`http://${p.svc}.${p.ns}:${p.svcPort}/hostname\` answers from any pod with the name of a \`${p.name}\` pod. Do not change the Deployment.`,
  requirements: (p) => [
    reachRequirement({ host: p.svc, ns: p.ns, port: p.svcPort, from: p.from, app: p.name }),
    {
      id: 'deployment',
      text: `the Deployment ${p.name} is left as it was`,
      check: (c) => all(deploymentUnchanged(cluster(c), { name: p.name, namespace: p.ns, replicas: 2, labels: { app: p.name, tier: p.tier }, port: p.port })),
    },
  ],
  hints: (p) => [
    `Does the Service have endpoints? \`kubectl -n ${p.ns} get endpoints ${p.svc}\``,
    `Compare the Service's selector (\`kubectl -n ${p.ns} describe svc ${p.svc}\`) with the pods' labels (\`kubectl -n ${p.ns} get pods --show-labels\`).`,
    'Change the selector (`kubectl edit`), or delete the Service and expose the Deployment again with the same name and ports.',
  ],
  solution: (p) => [
    `kubectl -n ${p.ns} get endpoints ${p.svc}`,
    `kubectl -n ${p.ns} get pods --show-labels`,
    `kubectl -n ${p.ns} get svc ${p.svc} -o wide`,
    `kubectl -n ${p.ns} delete svc ${p.svc}`,
    `kubectl -n ${p.ns} expose deployment ${p.name} --name=${p.svc} --port=${p.svcPort} --target-port=${p.port}`,
    `kubectl -n ${p.ns} get endpoints ${p.svc}`,
  ],
  alternatives: (p) => [
    { name: 'delete and apply a manifest with the right selector', lines: [`kubectl -n ${p.ns} delete svc ${p.svc}`, ...applyLines({ apiVersion: 'v1', kind: 'Service', metadata: { name: p.svc, namespace: p.ns }, spec: { selector: { app: p.name, tier: p.tier }, ports: [{ port: p.svcPort, targetPort: p.port }] } }, '/root/svc.yaml')] },
    { name: 'delete, then create service clusterip with the selector fixed by sed', lines: [`kubectl delete -n ${p.ns} service ${p.svc}`, ...dryRunLines(`kubectl -n ${p.ns} create service clusterip ${p.svc} --tcp=${p.svcPort}:${p.port}`, '/root/c.yaml', [`s/app: ${p.svc}$/app: ${p.name}/`])] },
    { name: 'JSON with only the app label as selector', lines: [`kubectl -n ${p.ns} delete svc ${p.svc}`, jsonApply({ apiVersion: 'v1', kind: 'Service', metadata: { name: p.svc, namespace: p.ns }, spec: { selector: { app: p.name }, ports: [{ port: p.svcPort, targetPort: p.port }] } })] },
    {
      // the hint's `kubectl edit`, with an editor that rewrites the selector block as a learner would in vi
      name: 'kubectl edit: the selector block rewritten in the editor',
      lines: [
        `KUBE_EDITOR="sed -i -e '/^  selector:$/,/^  [a-z]/{/^    /d}' -e 's/^  selector:$/  selector:\\n    app: ${p.name}\\n    tier: ${p.tier}/'" kubectl -n ${p.ns} edit svc ${p.svc}`,
        `kubectl -n ${p.ns} get endpoints ${p.svc}`,
      ],
    },
    {
      name: 'kubectl patch: a JSON patch replacing the whole selector',
      lines: [`kubectl patch service ${p.svc} -n ${p.ns} --type=json -p '[{"op":"replace","path":"/spec/selector","value":{"app":"${p.name}","tier":"${p.tier}"}}]'`],
    },
  ],
  wrong: (p) => [
    { name: 'restarts the pods', lines: [`kubectl -n ${p.ns} delete pods -l app=${p.name}`], fails: 'reach', mentions: `${p.svc}.${p.ns}:${p.svcPort}` },
    {
      name: 're-creates the Service without the target port',
      lines: [`kubectl -n ${p.ns} delete svc ${p.svc}`, `kubectl -n ${p.ns} expose deployment ${p.name} --name=${p.svc} --port=${p.svcPort}`],
      fails: 'reach',
    },
  ],
});
