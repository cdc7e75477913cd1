import { defineDrill } from '../schema';
import { answerFile as answerIn, fileText } from '../check';
import type { CheckContext } from '../schema';
import { cluster, getObj } from './k8s-lib';

/** The value of `--FLAG=` in a static pod manifest on the control plane. */
function manifestFlag(c: CheckContext, file: string, flag: string): string | null {
  const text = fileText(c.world, 'controlplane', `/etc/kubernetes/manifests/${file}`) ?? '';
  return new RegExp(`--${flag}=(\\S+)`).exec(text)?.[1] ?? null;
}

const FACTS = {
  'pod-cidr': {
    ask: 'the cluster\'s pod network (the CIDR pods get their addresses from, on all nodes)',
    value: (c: CheckContext) => manifestFlag(c, 'kube-controller-manager.yaml', 'cluster-cidr'),
  },
  'service-cidr': {
    ask: 'the Service network (the CIDR ClusterIPs are allocated from)',
    value: (c: CheckContext) => manifestFlag(c, 'kube-apiserver.yaml', 'service-cluster-ip-range'),
  },
  'proxy-mode': {
    ask: 'the mode kube-proxy runs in (one word)',
    value: (c: CheckContext) => {
      const cm = getObj(cluster(c), 'configmaps', 'kube-system', 'kube-proxy');
      const m = /^\s*mode:\s*"?([a-z]*)"?\s*$/m.exec(String(cm?.data?.['config.conf'] ?? ''));
      return m ? m[1] || 'iptables' : null;
    },
  },
  'node01-cidr': {
    ask: 'the pod CIDR assigned to the node node01',
    value: (c: CheckContext) => getObj(cluster(c), 'nodes', null, 'node01')?.spec?.podCIDR ?? null,
  },
  'dns-ip': {
    ask: 'the address pods send their DNS queries to',
    value: (c: CheckContext) => getObj(cluster(c), 'services', 'kube-system', 'kube-dns')?.spec?.clusterIP ?? null,
  },
} as const;
type Fact = keyof typeof FACTS;

/** The reference solution: each fact read where the cluster keeps it. */
function referenceLines(p: { facts: string[]; files: string[] }): string[] {
  const line: Record<Fact, (file: string) => string> = {
    'pod-cidr': (file) => `grep -o 'cluster-cidr=[^ ]*' /etc/kubernetes/manifests/kube-controller-manager.yaml | cut -d= -f2 > ${file}`,
    'service-cidr': (file) => `grep -o 'service-cluster-ip-range=[^ ]*' /etc/kubernetes/manifests/kube-apiserver.yaml | cut -d= -f2 > ${file}`,
    'proxy-mode': (file) => `kubectl -n kube-system get configmap kube-proxy -o yaml | grep 'mode:' && iptables-save -t nat | grep -c KUBE-SVC && echo iptables > ${file}`,
    'node01-cidr': (file) => `kubectl get node node01 -o jsonpath='{.spec.podCIDR}' > ${file}`,
    'dns-ip': (file) => `kubectl -n kube-system get svc kube-dns -o jsonpath='{.spec.clusterIP}' > ${file}`,
  };
  return [...p.facts.map((f, i) => line[f as Fact](p.files[i]!)), `cat ${p.files.join(' ')}`];
}

export default defineDrill({
  id: 'k8s-cluster-net-facts',
  title: 'The cluster’s networks and kube-proxy’s mode',
  domain: 'cluster',
  competencies: ['cluster-config'],
  difficulty: 'medium',
  minutes: 6,
  weight: 4,
  summary: 'Find the pod CIDR, the Service CIDR, kube-proxy’s mode and other network facts of the cluster, and write them to files.',
  scenario: 'k8s-cluster',
  params(r) {
    const facts = r.sample(Object.keys(FACTS) as Fact[], 3);
    const files = r.sample(Array.from({ length: 17 }, (_, i) => i + 1), 3).map((n) => `/opt/answers/q${n}.txt`);
    return { facts, files };
  },
  setup: () => ['mkdir -p /opt/answers'],
  task: (p) =>
    'Find these facts about the cluster and write each to its file (the value alone, e.g. `10.0.0.0/8` or `ipvs`):\n' +
    p.facts.map((f, i) => `- ${FACTS[f as Fact].ask}: \`${p.files[i]}\``).join('\n'),
  requirements: (p) =>
    p.facts.map((f, i) => ({
      id: f,
      text: `${p.files[i]} holds ${FACTS[f as Fact].ask}`,
      check: (c: CheckContext) => {
        const v = FACTS[f as Fact].value(c);
        if (!v) return `${FACTS[f as Fact].ask} can no longer be read from the cluster`;
        return answerIn(c.world, c.host, p.files[i]!, v);
      },
    })),
  hints: () => [
    'The static pod manifests in /etc/kubernetes/manifests hold the control plane\'s flags: `--cluster-cidr` (controller manager), `--service-cluster-ip-range` (API server).',
    'kube-proxy reads its configuration from the ConfigMap kube-proxy in kube-system (`mode:`; empty means the default, iptables on Linux). Its logs say it too.',
    '`kubectl get node NAME -o jsonpath=\'{.spec.podCIDR}\'`; the DNS server is the Service kube-dns in kube-system.',
  ],
  solution: (p) => referenceLines(p),
  wrong: (p) => {
    const guesses: Record<Fact, string> = { 'pod-cidr': '10.96.0.0/12', 'service-cidr': '10.244.0.0/16', 'proxy-mode': 'ipvs', 'node01-cidr': '10.244.0.0/24', 'dns-ip': '192.168.121.10' };
    return [
      { name: 'mixes up the networks', lines: [`echo ${guesses[p.facts[0] as Fact]} > ${p.files[0]}`], fails: p.facts[0]!, mentions: 'not the right answer' },
      { name: 'a plausible guess for the second fact', lines: [`echo ${guesses[p.facts[1] as Fact]} > ${p.files[1]}`], fails: p.facts[1]!, mentions: 'not the right answer' },
    ];
  },
  alternatives: (p) => {
    const files = p.files as string[];
    const facts = p.facts as Fact[];
    const awk: Record<Fact, (file: string) => string> = {
      'pod-cidr': (file) => `awk -F= '/--cluster-cidr/ {print $2}' /etc/kubernetes/manifests/kube-controller-manager.yaml > ${file}`,
      'service-cidr': (file) => `awk -F= '/--service-cluster-ip-range/ {print $2}' /etc/kubernetes/manifests/kube-apiserver.yaml > ${file}`,
      'proxy-mode': (file) => `printf 'iptables\\n' > ${file}`,
      'node01-cidr': (file) => `kubectl describe node node01 | awk '/^PodCIDR:/ {print $2}' > ${file}`,
      'dns-ip': (file) => `kubectl get svc -n kube-system kube-dns --no-headers | awk '{print $3}' > ${file}`,
    };
    const tee: Record<Fact, (file: string) => string> = {
      'pod-cidr': (file) => `grep -- --cluster-cidr /etc/kubernetes/manifests/kube-controller-manager.yaml | sed 's/.*=//' | tee ${file}`,
      'service-cidr': (file) => `grep -- --service-cluster-ip-range /etc/kubernetes/manifests/kube-apiserver.yaml | sed 's/.*=//' | tee ${file}`,
      'proxy-mode': (file) => `echo iptables | tee ${file}`,
      'node01-cidr': (file) => `kubectl get nodes node01 -o custom-columns=CIDR:.spec.podCIDR --no-headers | tee ${file}`,
      'dns-ip': (file) => `kubectl -n kube-system get service kube-dns -o custom-columns=IP:.spec.clusterIP --no-headers | tee ${file}`,
    };
    const ref = referenceLines(p);
    return [
      { name: 'awk on the manifests and kubectl describe', lines: facts.map((f, i) => awk[f](files[i]!)) },
      { name: 'custom columns and tee, last fact first', lines: facts.map((f, i) => tee[f](files[i]!)).reverse() },
      { name: 'the reference steps, then left logged into node01', lines: [...ref, 'ssh node01'] },
    ];
  },
});
