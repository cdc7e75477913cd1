// The k8s-calico scenario: Calico's network (blocks, routes, cali* veths,
// VXLAN between nodes) and NetworkPolicy enforced by Felix's cali-* chains,
// seen from the learner's shell; and Flannel (k8s-cluster) storing the same
// policies without dropping anything.
import { beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { getScenario } from '../../labs/scenarios/index';
import { kube } from '../cluster';
import { containerLogs } from '../runtime/kubelet';

const YAML_DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: prod
spec:
  podSelector: {}
  policyTypes:
  - Ingress
`;

const YAML_FRONTEND = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-allow-frontend
  namespace: prod
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: frontend
    ports:
    - port: 80
`;

const YAML_EGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: egress-web-only
  namespace: prod
spec:
  podSelector:
    matchLabels:
      app: frontend
  policyTypes:
  - Egress
  egress:
  - to:
    - podSelector:
        matchLabels:
          app: web
`;

const YAML_DNS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: prod
spec:
  podSelector: {}
  policyTypes:
  - Egress
  egress:
  - to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system
      podSelector:
        matchLabels:
          k8s-app: kube-dns
    ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
`;

async function cluster(scenario: string): Promise<{ s: Session; run: (c: string) => Promise<string>; webIP: string }> {
  const s = await Session.create({ scenario: getScenario(scenario) });
  const run = async (c: string) => (await s.run(c)).output;
  const api = kube(s.world)!;
  for (const ns of ['prod', 'dev']) api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await run('sleep 1');
  const pod = (ns: string, name: string, labels: Record<string, string>, image: string, node?: string) =>
    api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { ...(node ? { nodeName: node, tolerations: [{ operator: 'Exists' }] } : {}), containers: [{ name: name, image, ...(image === 'busybox' ? { command: ['sleep', '3600'] } : { ports: [{ containerPort: 80, name: 'http' }] }) }] } });
  pod('prod', 'web', { app: 'web' }, 'nginx', 'node01');
  pod('prod', 'front', { app: 'frontend' }, 'busybox', 'node01');
  pod('prod', 'other', { app: 'other' }, 'busybox', 'node01');
  pod('dev', 'front', { app: 'frontend' }, 'busybox', 'controlplane');
  await run('sleep 10');
  const webIP = (await run('kubectl get pod -n prod web -o jsonpath={.status.podIP}')).trim();
  return { s, run, webIP };
}

const connects = (out: string) => /<title>Welcome to nginx!<\/title>/.test(out);
const timedOut = (out: string) => /^wget: download timed out$/m.test(out);

describe('k8s-calico: the Calico network', () => {
  let c: Awaited<ReturnType<typeof cluster>>;
  beforeAll(async () => {
    c = await cluster('k8s-calico');
  });

  it('calico-node on each node, its CNI config, cali* veths, the blackhole route of the block and VXLAN routes to the other node', async () => {
    const api = kube(c.s.world)!;
    const pods = api.list('pods', 'kube-system').items as any[];
    const calicoNodes = pods.filter((p) => p.metadata.labels?.['k8s-app'] === 'calico-node');
    expect(calicoNodes.map((p) => [p.spec.nodeName, p.status.phase]).sort()).toEqual([
      ['controlplane', 'Running'],
      ['node01', 'Running'],
    ]);
    expect(pods.find((p) => p.metadata.name.startsWith('calico-kube-controllers-'))?.status.phase).toBe('Running');
    // the Ingress controller add-on runs too (its pod has an address from Calico's pool)
    const nic = (api.list('pods', 'nginx-ingress').items as any[])[0];
    expect(nic?.status.phase).toBe('Running');
    expect(nic?.status.podIP).toMatch(/^10\.244\./);
    const others = [...(api.list('pods', 'nginx-gateway').items as any[]), ...(api.list('pods', 'metallb-system').items as any[])];
    expect(others.length).toBeGreaterThan(0);
    expect(others.filter((p) => p.status.phase !== 'Running').map((p) => p.metadata.name)).toEqual([]);
    const log = containerLogs(api, calicoNodes[0].metadata.uid, 'calico-node', false).lines.map((l) => l.text).join('\n');
    expect(log).toMatch(/\[INFO\]\[9\] startup\/startup\.go \d+: Starting node \S+ with version v3\.30\.3/);
    expect(log).toContain('CALICO_NETWORKING_BACKEND is vxlan - no need to run a BGP daemon');
    expect(await c.run('ssh node01 cat /etc/cni/net.d/10-calico.conflist')).toContain('"type": "calico"');
    const routes = await c.run('ssh node01 ip route');
    const block = /^blackhole (10\.244\.\d+\.\d+\/26) proto 80 $/m.exec(routes)?.[1];
    expect(block).toBeDefined();
    expect(routes).toContain(`${c.webIP} dev cali`);
    expect(routes).toMatch(/^10\.244\.\d+\.\d+\/26 via 10\.244\.\d+\.\d+ dev vxlan\.calico proto 80 onlink $/m);
    expect(await c.run('ssh node01 ip -d link show vxlan.calico')).toMatch(/vxlan id 4096 local 192\.168\.121\.11 dev eth0 .*dstport 4789 nolearning/);
    // pods on both nodes reach each other through the tunnel
    const devFront = (await c.run('kubectl get pod -n dev front -o jsonpath={.status.podIP}')).trim();
    expect(await c.run(`kubectl exec -n prod front -- ping -c1 -W1 ${devFront}`)).toContain('1 received');
  });

  it('two copies of one saved cluster each program the chains of a pod started in them (Felix remembers its last sync per world)', async () => {
    const snap = c.s.snapshot();
    for (let i = 0; i < 2; i++) {
      const s = await Session.restore(snap);
      const run = async (l: string) => (await s.run(l, { noHistory: true })).output;
      await run('kubectl run -n prod copy --image=nginx');
      await run('sleep 20');
      const ip = (await run('kubectl get pod -n prod copy -o jsonpath={.status.podIP}')).trim();
      expect(connects(await run(`kubectl exec -n dev front -- wget -qO- -T 2 http://${ip}/`)), `copy ${i + 1}`).toBe(true);
    }
  });

  it('a default-deny policy stops wget from another pod (timeout) and the counters of the DROP rule move', async () => {
    expect(connects(await c.run(`kubectl exec -n dev front -- wget -qO- -T 2 http://${c.webIP}/`))).toBe(true);
    await c.run(`cat <<'EOF' | kubectl apply -f -\n${YAML_DENY}EOF`);
    const out = await c.run(`kubectl exec -n dev front -- wget -qO- -T 2 http://${c.webIP}/`);
    expect(timedOut(out)).toBe(true);
    const chains = await c.run('ssh node01 iptables -L -n -v');
    const drops = [...chains.matchAll(/^\s*(\d+)\s+\d+\s+DROP\s.*\/\* Drop if no policies passed packet \*\/ mark match 0x0\/0x20000$/gm)].map((m) => Number(m[1]));
    expect(drops.length).toBeGreaterThan(0);
    expect(Math.max(...drops)).toBeGreaterThan(0);
    await c.run('kubectl delete networkpolicy -n prod default-deny');
    expect(connects(await c.run(`kubectl exec -n dev front -- wget -qO- -T 2 http://${c.webIP}/`))).toBe(true);
  });

  it('a policy allowing app=frontend on port 80 lets only those pods of its namespace in', async () => {
    await c.run(`cat <<'EOF' | kubectl apply -f -\n${YAML_FRONTEND}EOF`);
    expect(connects(await c.run(`kubectl exec -n prod front -- wget -qO- -T 2 http://${c.webIP}/`))).toBe(true);
    expect(timedOut(await c.run(`kubectl exec -n prod other -- wget -qO- -T 2 http://${c.webIP}/`))).toBe(true);
    // app=frontend in another namespace is not selected by a podSelector alone
    expect(timedOut(await c.run(`kubectl exec -n dev front -- wget -qO- -T 2 http://${c.webIP}/`))).toBe(true);
    await c.run('kubectl delete networkpolicy -n prod web-allow-frontend');
  });

  it('an egress policy without a DNS rule breaks name resolution while IPs still work; the DNS rule mends it', async () => {
    expect(await c.run('kubectl exec -n prod front -- nslookup web.prod.svc.cluster.local')).not.toContain('timed out');
    await c.run(`cat <<'EOF' | kubectl apply -f -\n${YAML_EGRESS}EOF`);
    expect(connects(await c.run(`kubectl exec -n prod front -- wget -qO- -T 2 http://${c.webIP}/`))).toBe(true);
    const dns = await c.run('kubectl exec -n prod front -- nslookup kubernetes.default');
    // busybox's nslookup (the pod's image): its timeout line
    expect(dns).toMatch(/^;; connection timed out; no servers could be reached$/m);
    await c.run(`cat <<'EOF' | kubectl apply -f -\n${YAML_DNS}EOF`);
    // busybox's nslookup does not walk the search list: the full name
    expect(await c.run('kubectl exec -n prod front -- nslookup kubernetes.default.svc.cluster.local')).toMatch(/Address: 10\.96\.0\.1$/m);
  });
});

describe('k8s-cluster (Flannel): policies are stored, nothing is dropped', () => {
  it('the default-deny policy is listed but connections still succeed', async () => {
    const c = await cluster('k8s-cluster');
    await c.run(`cat <<'EOF' | kubectl apply -f -\n${YAML_DENY}EOF`);
    expect(await c.run('kubectl get networkpolicy -n prod')).toMatch(/^default-deny\s+\S*\s+\d+s$/m);
    expect(connects(await c.run(`kubectl exec -n dev front -- wget -qO- -T 2 http://${c.webIP}/`))).toBe(true);
    expect(await c.run('iptables -S')).not.toContain('cali-');
  });
});
