// `npm run bench -- policy`: NetworkPolicy on the Calico cluster at scale.
// 100 pods over the two nodes, 50 policies; then `kubectl apply -f` of one
// more policy (the whole shell line: parse, validate, store, Felix's resync
// of both nodes) and a pod-to-pod ping across the nodes through the cali-*
// chains. Targets (issue 13): apply ≤ 20 ms, ping ≤ 1 ms. Medians.
import { Session } from '../src/shell/session';
import { getScenario } from '../src/labs/scenarios/index';
import { kube, syncCluster } from '../src/k8s/cluster';
import { podSandbox } from '../src/k8s/runtime/kubelet';
import { pingOnce } from '../src/sim/packet';
import { writeHostFile } from '../src/sim/files';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

const APPS = 10;

function policy(i: number): any {
  const app = `app${i % APPS}`;
  const peer = `app${(i + 1) % APPS}`;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `np-${i}`, namespace: 'default' },
    spec: {
      podSelector: { matchLabels: { app } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: peer } } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ port: 80 }, { port: 8000 + i, endPort: 8100 + i }] }, { from: [{ podSelector: { matchLabels: { app: `app${(i + APPS - 1) % APPS}` } } }] }],
      egress: [{ to: [{ podSelector: { matchLabels: { app: peer } } }] }, { to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }],
    },
  };
}

export async function policyBench(): Promise<Record<string, number | string>> {
  const s = await Session.create({ scenario: getScenario('k8s-calico') });
  const w = s.world;
  const api = kube(w)!;
  for (let i = 0; i < 100; i++) {
    api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${i}`, labels: { app: `app${i % APPS}`, tier: i % 2 ? 'web' : 'db' } }, spec: { nodeName: i % 2 ? 'node01' : 'controlplane', tolerations: [{ operator: 'Exists' }], containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } });
  }
  w.advance(20_000);
  syncCluster(w, w.now());
  for (let i = 0; i < 50; i++) api.create(policy(i));
  syncCluster(w, w.now());
  const running = (api.list('pods', 'default').items as any[]).filter((p) => p.status?.phase === 'Running').length;
  const rules = (host: string) => w.ns(w.host(host).rootNs).netfilter.tables.filter!.chains.filter((c) => c.name.startsWith('cali-')).reduce((n, c) => n + c.rules.length, 0);
  // kubectl apply of one more policy (a new one each time)
  const host = w.host('controlplane');
  const applies: number[] = [];
  for (let k = 0; k < 12; k++) {
    const np = policy(50 + k);
    np.metadata.name = `extra-${k}`;
    writeHostFile(host, `/root/extra-${k}.yaml`, JSON.stringify(np), w.now());
    const t = performance.now();
    const r = await s.run(`kubectl apply -f /root/extra-${k}.yaml`, { noHistory: true });
    applies.push(performance.now() - t);
    if (!r.output.includes('created')) throw new Error(r.output);
    api.delete('networkpolicies', 'default', `extra-${k}`);
  }
  // pod-to-pod ping across the nodes, allowed by np-0's egress (app0 → app1) and np-1's second ingress rule (from app0, any protocol)
  const src = podSandbox(api, (api.get('pods', 'default', 'pod-0') as any).metadata.uid)!;
  const dstIP = (api.get('pods', 'default', 'pod-1') as any).status.podIP;
  const pings: number[] = [];
  let lost = 0;
  for (let k = 0; k < 50; k++) {
    const t = performance.now();
    const r = pingOnce(w, src.nsId, dstIP, 1000);
    pings.push(performance.now() - t);
    if (r.rtt === null) lost++;
  }
  return {
    'pods Running / policies': `${running}/100, 50 policies`,
    'cali-* filter rules on controlplane / node01': `${rules('controlplane')} / ${rules('node01')}`,
    'kubectl apply -f one more policy, median (target ≤ 20 ms)': median(applies.slice(2)),
    'pod-to-pod ping across nodes, median (target ≤ 1 ms)': median(pings.slice(5)),
    'pings answered': `${50 - lost}/50`,
  };
}
