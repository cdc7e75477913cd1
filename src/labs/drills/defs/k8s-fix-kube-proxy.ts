import { defineDrill } from '../schema';
import { APP_NAMES, NS_POOL, appPort, deployment, putObjects, service, servicePort, reachRequirement } from './k8s-lib';

export default defineDrill({
  id: 'k8s-fix-kube-proxy',
  title: 'Troubleshoot: Services stopped working on every node',
  domain: 'troubleshooting',
  competencies: ['services', 'troubleshoot-cluster', 'troubleshoot-network'],
  difficulty: 'hard',
  minutes: 10,
  weight: 8,
  summary: 'Pods answer on their own addresses but no Service does. Find the broken cluster component and repair it.',
  scenario: 'k8s-fault-kube-proxy',
  params(r) {
    const name = r.pick(APP_NAMES.filter((n) => n !== 'web'));
    const port = appPort(r);
    return { name, ns: r.pick(NS_POOL), port, svcPort: servicePort(r, port), from: r.pick(['default', 'clients', 'debug']) };
  },
  prepare: (w, p) =>
    putObjects(w, [deployment({ name: p.name, namespace: p.ns, replicas: 2, labels: { app: p.name }, port: p.port }), service({ name: p.name, namespace: p.ns, selector: { app: p.name }, port: p.svcPort, targetPort: p.port })]),
  task: (p) =>
    `The pods of the Deployment \`${p.name}\` (namespace \`${p.ns}\`) answer on their own IP addresses, but nothing answers on the Service \`${p.name}\`'s ClusterIP (port ${p.svcPort}), and the same holds for every other Service.\n` +
    `Find the cause and repair the cluster so that \`http://${p.name}.${p.ns}:${p.svcPort}/hostname\` answers from a pod again. Repair the cause, not the symptom.`,
  requirements: (p) => [
    reachRequirement({ host: p.name, ns: p.ns, port: p.svcPort, from: p.from, app: p.name }),
  ],
  hints: () => [
    'Which component turns a ClusterIP into a pod address on each node? Look at its pods in kube-system.',
    '`kubectl -n kube-system get pods`, then `kubectl -n kube-system logs POD` (add `-p` for the previous run).',
    'The error names a file: compare the path in the DaemonSet\'s command with the ConfigMap mounted into the pod.',
  ],
  solution: () => [
    'kubectl -n kube-system get pods -l k8s-app=kube-proxy',
    'kubectl -n kube-system get ds kube-proxy -o yaml | grep -n -e config -e mountPath',
    'kubectl -n kube-system get ds kube-proxy -o yaml > /root/kube-proxy-ds.yaml',
    "sed -i 's#/var/lib/kube-proxy/configuration.conf#/var/lib/kube-proxy/config.conf#' /root/kube-proxy-ds.yaml",
    'kubectl apply -f /root/kube-proxy-ds.yaml',
    'sleep 30',
    'kubectl -n kube-system get pods -l k8s-app=kube-proxy',
  ],
  alternatives: () => [
    { name: 'another sed expression, then the pods deleted to restart at once', lines: ['kubectl -n kube-system get daemonset kube-proxy -o yaml > /tmp/ds.yaml', "sed -i -e 's/configuration\\.conf/config.conf/' /tmp/ds.yaml", 'kubectl apply -f /tmp/ds.yaml', 'kubectl -n kube-system delete pod -l k8s-app=kube-proxy'] },
    { name: 'the ConfigMap given the file name the DaemonSet expects', lines: ['kubectl -n kube-system get cm kube-proxy -o yaml > /root/cm.yaml', "sed -i 's/^  config.conf: |/  configuration.conf: |/' /root/cm.yaml", 'kubectl -n kube-system delete cm kube-proxy', 'kubectl apply -f /root/cm.yaml', 'kubectl -n kube-system delete pods -l k8s-app=kube-proxy'] },
    { name: 'manifest piped through sed into apply', lines: ["kubectl -n kube-system get ds kube-proxy -o yaml | sed 's#--config=/var/lib/kube-proxy/configuration.conf#--config=/var/lib/kube-proxy/config.conf#' | kubectl apply -f -"] },
  ],
  wrong: () => [
    { name: 'deletes the crashing pods', lines: ['kubectl -n kube-system delete pods -l k8s-app=kube-proxy'], fails: 'reach' },
    { name: 'restarts CoreDNS', lines: ['kubectl -n kube-system delete pods -l k8s-app=kube-dns'], fails: 'reach' },
  ],
});
