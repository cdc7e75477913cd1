import { defineDrill } from '../schema';
import { applyFlannel } from '../../../k8s/bootstrap';
import { DEFAULT_CONFIG } from '../../../k8s/api/store';
import { APP_NAMES, NS_POOL, appPort, cluster, deployment, podsOf, putFile, putObjects, running, service, servicePort, yamlDocs, reachRequirement } from './k8s-lib';

/** kube-flannel.yml as the project publishes it (the objects bootstrap.ts applies), as YAML documents. */
export function flannelManifest(): string {
  const docs: unknown[] = [];
  applyFlannel({ create: (o: unknown) => docs.push(o) } as never, DEFAULT_CONFIG);
  return yamlDocs(docs);
}

export default defineDrill({
  id: 'k8s-install-cni',
  title: 'Troubleshoot: pods stuck in ContainerCreating',
  domain: 'troubleshooting',
  competencies: ['cluster-config', 'troubleshoot-cluster', 'pod-connectivity'],
  difficulty: 'hard',
  minutes: 10,
  weight: 8,
  summary: 'New pods never leave ContainerCreating. Find what the nodes lack and install it from the manifest left on the control plane.',
  scenario: 'k8s-fault-no-cni',
  params(r) {
    const name = r.pick(APP_NAMES.filter((n) => n !== 'web'));
    const port = appPort(r);
    return { name, ns: r.pick(NS_POOL), port, svcPort: servicePort(r, port), dir: r.pick(['/root', '/root/manifests', '/opt/addons', '/opt/cluster/cni']), from: r.pick(['default', 'clients']) };
  },
  prepare: (w, p) => {
    putFile(w, 'controlplane', `${p.dir}/kube-flannel.yml`, flannelManifest());
    putObjects(w, [deployment({ name: p.name, namespace: p.ns, replicas: 2, labels: { app: p.name }, port: p.port }), service({ name: p.name, namespace: p.ns, selector: { app: p.name }, port: p.svcPort, targetPort: p.port })]);
  },
  task: (p) =>
    `The pods of the Deployment \`${p.name}\` (namespace \`${p.ns}\`), like every new pod, stay in ContainerCreating.\n` +
    `Find out why and repair the cluster. What the cluster lacks is in \`${p.dir}\` on the control plane. Afterwards the ${p.name} pods must run and \`http://${p.name}.${p.ns}:${p.svcPort}/hostname\` must answer from a pod.`,
  requirements: (p) => [
    {
      id: 'running',
      text: `the pods of ${p.name} in ${p.ns} are running`,
      check: (c) => {
        const pods = podsOf(cluster(c), p.ns, { app: p.name });
        if (pods.length === 0) return `Deployment ${p.name} has no pods`;
        const stuck = pods.filter((x) => !running(x));
        return stuck.length === 0 ? true : `${stuck.length} of ${pods.length} pods of ${p.name} are not running`;
      },
    },
    reachRequirement({ host: p.name, ns: p.ns, port: p.svcPort, from: p.from, app: p.name }),
  ],
  hints: (p) => [
    '`kubectl describe pod` shows the events of a pod: what does the sandbox creation say?',
    'The kubelet asks the CNI plugin named in /etc/cni/net.d for the pod network. Is the plugin (and its daemon) there?',
    `\`ls ${p.dir}\`, then \`kubectl apply -f\` the manifest you find.`,
  ],
  solution: (p) => [`kubectl -n ${p.ns} get events`, `ls ${p.dir}`, `kubectl apply -f ${p.dir}/kube-flannel.yml`, 'sleep 30', `kubectl -n ${p.ns} get pods -o wide`],
  alternatives: (p) => [
    { name: 'kubectl create', lines: [`kubectl create -f ${p.dir}/kube-flannel.yml`] },
    { name: 'the manifest on standard input', lines: [`cat ${p.dir}/kube-flannel.yml | kubectl apply -f -`] },
    { name: 'the whole directory, after a look at the node', lines: ['ssh node01', 'ls /etc/cni/net.d /opt/cni/bin', 'exit', `kubectl apply -f ${p.dir}/`] },
  ],
  wrong: (p) => [
    { name: 'restarts the pods', lines: [`kubectl -n ${p.ns} delete pods -l app=${p.name}`], fails: 'running', mentions: 'not running' },
    { name: 'restarts kube-proxy', lines: ['kubectl -n kube-system delete pods -l k8s-app=kube-proxy'], fails: 'reach' },
  ],
});
