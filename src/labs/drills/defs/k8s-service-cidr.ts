import { defineDrill } from '../schema';
import type { CheckContext, CheckResult } from '../schema';
import { fileText } from '../check';
import { cluster, getObj, running } from './k8s-lib';

function runsWith(c: CheckContext, component: string, cidr: string): CheckResult {
  const pod = getObj(cluster(c), 'pods', 'kube-system', `${component}-controlplane`);
  if (!pod) return `${component} is not running`;
  const args: string[] = [...(pod.spec?.containers?.[0]?.command ?? []), ...(pod.spec?.containers?.[0]?.args ?? [])];
  const flag = args.find((a) => a.startsWith('--service-cluster-ip-range='));
  if (flag !== `--service-cluster-ip-range=${cidr}`) return `${component} does not run with the Service range ${cidr}`;
  return running(pod) ? true : `${component} is not running`;
}

export default defineDrill({
  id: 'k8s-service-cidr',
  title: 'Change the cluster’s Service network',
  domain: 'cluster',
  competencies: ['cluster-config'],
  difficulty: 'hard',
  minutes: 8,
  weight: 6,
  summary: 'Move the range ClusterIPs are allocated from, in the control plane’s static pod manifests, and bring the control plane back.',
  scenario: 'k8s-cluster',
  params(r) {
    const cidr = r.pick([`10.${r.int(100, 200)}.0.0/16`, `172.${r.int(16, 31)}.0.0/16`, `10.${r.int(100, 200)}.${r.pick([0, 64, 128])}.0/18`]);
    return { cidr };
  },
  task: (p) =>
    `The cluster's Services must get their ClusterIPs from \`${p.cidr}\` from now on.\n` +
    `Change the Service network of the control plane (the API server and the controller manager both take it as a flag) and make sure both run again with the new range.`,
  requirements: (p) => [
    { id: 'apiserver', text: `kube-apiserver runs with the Service range ${p.cidr}`, check: (c) => runsWith(c, 'kube-apiserver', p.cidr) },
    { id: 'controller-manager', text: `kube-controller-manager runs with the Service range ${p.cidr}`, check: (c) => runsWith(c, 'kube-controller-manager', p.cidr) },
    {
      id: 'manifests',
      text: 'the static pod manifests keep every other flag as it was',
      check: (c) => {
        for (const f of ['kube-apiserver', 'kube-controller-manager']) {
          const text = fileText(c.world, 'controlplane', `/etc/kubernetes/manifests/${f}.yaml`) ?? '';
          const flags = text.split('\n').filter((l) => /^\s*- --/.test(l)).length;
          const want = f === 'kube-apiserver' ? 27 : 17;
          if (flags < want) return `/etc/kubernetes/manifests/${f}.yaml has lost flags`;
        }
        return true;
      },
    },
  ],
  hints: () => [
    'The control plane runs as static pods: the kubelet on controlplane restarts a component when its manifest in /etc/kubernetes/manifests changes.',
    '`--service-cluster-ip-range` in kube-apiserver.yaml and kube-controller-manager.yaml.',
    'After the edit the API server is away for a while: wait, then `kubectl -n kube-system get pods`.',
  ],
  solution: (p) => [
    'grep -n service-cluster-ip-range /etc/kubernetes/manifests/*.yaml',
    `sed -i 's#--service-cluster-ip-range=.*#--service-cluster-ip-range=${p.cidr}#' /etc/kubernetes/manifests/kube-apiserver.yaml /etc/kubernetes/manifests/kube-controller-manager.yaml`,
    'sleep 60',
    'kubectl -n kube-system get pods',
  ],
  alternatives: (p) => [
    { name: 'one sed per file, another delimiter', lines: [`sed -i 's|service-cluster-ip-range=10.96.0.0/12|service-cluster-ip-range=${p.cidr}|' /etc/kubernetes/manifests/kube-apiserver.yaml`, `sed -i 's|service-cluster-ip-range=10.96.0.0/12|service-cluster-ip-range=${p.cidr}|' /etc/kubernetes/manifests/kube-controller-manager.yaml`] },
    { name: 'edited in a copy outside the manifests directory, then moved back', lines: ['cp /etc/kubernetes/manifests/kube-apiserver.yaml /etc/kubernetes/manifests/kube-controller-manager.yaml /root/', `sed -i 's#=10.96.0.0/12#=${p.cidr}#' /root/kube-apiserver.yaml /root/kube-controller-manager.yaml`, 'cp /root/kube-apiserver.yaml /root/kube-controller-manager.yaml /etc/kubernetes/manifests/'] },
    { name: 'controller manager first, then the API server, waiting in between', lines: [`sed -i 's#--service-cluster-ip-range=.*#--service-cluster-ip-range=${p.cidr}#' /etc/kubernetes/manifests/kube-controller-manager.yaml`, 'sleep 30', `sed -i 's#--service-cluster-ip-range=.*#--service-cluster-ip-range=${p.cidr}#' /etc/kubernetes/manifests/kube-apiserver.yaml`, 'sleep 60', 'kubectl get nodes'] },
  ],
  wrong: (p) => [
    { name: 'changes only the API server', lines: [`sed -i 's#--service-cluster-ip-range=.*#--service-cluster-ip-range=${p.cidr}#' /etc/kubernetes/manifests/kube-apiserver.yaml`], fails: 'controller-manager', mentions: p.cidr },
    { name: 'changes the pod network instead', lines: [`sed -i 's#--cluster-cidr=.*#--cluster-cidr=${p.cidr}#' /etc/kubernetes/manifests/kube-controller-manager.yaml`], fails: 'apiserver', mentions: p.cidr },
  ],
});
