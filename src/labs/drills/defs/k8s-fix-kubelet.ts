import { defineDrill } from '../schema';
import { stopKubelet } from '../../../k8s/variants';
import { APP_NAMES, NS_POOL, cluster, getObj, podsOf, putObjects, running } from './k8s-lib';
import { echoDeployment } from './k8s-net-lib';

function pinned(p: { app: string; ns: string; node: string; replicas: number }): any {
  const d = echoDeployment(p.app, p.ns, { app: p.app }, 8080, p.replicas);
  d.spec.template.spec.nodeSelector = { 'kubernetes.io/hostname': p.node };
  return d;
}

export default defineDrill({
  id: 'k8s-fix-kubelet',
  title: 'Troubleshoot: a NotReady node',
  domain: 'troubleshooting',
  competencies: ['troubleshoot-cluster'],
  difficulty: 'medium',
  minutes: 6,
  weight: 6,
  summary: 'Pods bound to one worker stay Pending and the node is NotReady. Find the cause on the node and repair it.',
  scenario: 'k8s-cluster-3node',
  params(r) {
    return { node: r.pick(['node01', 'node02']), app: r.pick(APP_NAMES), ns: r.pick(NS_POOL), replicas: r.int(1, 3) };
  },
  prepare: (w, p) => {
    stopKubelet(w, p.node);
    putObjects(w, [pinned(p)]);
  },
  task: (p) =>
    `The Deployment \`${p.app}\` in namespace \`${p.ns}\` must run on the node \`${p.node}\` (its pods select it with a nodeSelector), but its pods stay Pending.\n` +
    `Find out why and repair the node, so that all ${p.replicas} pod(s) run on \`${p.node}\`. Do not change the Deployment.`,
  requirements: (p) => [
    {
      id: 'node',
      text: `node ${p.node} is Ready`,
      check: (c) => {
        const n = getObj(cluster(c), 'nodes', null, p.node);
        if (!n) return `there is no node ${p.node}`;
        const ready = (n.status?.conditions ?? []).find((x: any) => x.type === 'Ready');
        return ready?.status === 'True' ? true : `node ${p.node} is not Ready`;
      },
    },
    {
      id: 'pods',
      text: `${p.replicas} pod(s) of ${p.app} run on ${p.node}`,
      check: (c) => {
        const pods = podsOf(cluster(c), p.ns, { app: p.app }).filter((x) => x.spec?.nodeName === p.node && running(x));
        return pods.length >= p.replicas ? true : `${pods.length} of ${p.replicas} pod(s) of ${p.app} run on ${p.node}`;
      },
    },
    {
      id: 'deployment',
      text: `the Deployment ${p.app} still selects ${p.node}`,
      check: (c) => {
        const d = getObj(cluster(c), 'deployments', p.ns, p.app);
        if (!d) return `the Deployment ${p.app} is gone`;
        return d.spec?.template?.spec?.nodeSelector?.['kubernetes.io/hostname'] === p.node && d.spec?.replicas === p.replicas ? true : `the Deployment ${p.app} was changed (the task asked to leave it as it is)`;
      },
    },
  ],
  hints: (p) => [
    `\`kubectl get nodes\`, then \`kubectl describe node ${p.node}\`: who stopped posting the node's status?`,
    `The kubelet is a systemd service on the node: \`ssh ${p.node}\`, then \`systemctl status kubelet\` and \`journalctl -u kubelet\`.`,
    '`systemctl start kubelet` (and `systemctl enable kubelet` so that it survives a reboot).',
  ],
  solution: (p) => [`kubectl get nodes`, `kubectl describe node ${p.node}`, `ssh ${p.node} journalctl -u kubelet -n 5 --no-pager`, `ssh ${p.node} systemctl start kubelet`, 'sleep 30', 'kubectl get nodes'],
  alternatives: (p) => [
    { name: 'logged in to the node, restart, then back', lines: [`ssh ${p.node}`, 'journalctl -u kubelet -n 5 --no-pager', 'systemctl restart kubelet', 'exit', `kubectl -n ${p.ns} get pods -o wide`] },
    { name: 'enable --now over ssh', lines: [`ssh ${p.node} 'systemctl enable --now kubelet'`] },
    { name: 'left logged in on the node after starting it', lines: [`ssh ${p.node}`, 'systemctl status kubelet --no-pager', 'systemctl start kubelet.service'] },
  ],
  wrong: (p) => [
    { name: 'uncordons the node', lines: [`kubectl uncordon ${p.node}`], fails: 'node', mentions: p.node },
    { name: 'restarts containerd instead', lines: [`ssh ${p.node} systemctl restart containerd`], fails: 'pods', mentions: p.node },
    { name: 'drops the nodeSelector', lines: [`kubectl -n ${p.ns} patch deployment ${p.app} --type=json -p '[{"op":"remove","path":"/spec/template/spec/nodeSelector"}]'`], fails: 'deployment', mentions: p.app },
  ],
});
