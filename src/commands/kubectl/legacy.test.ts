import { describe, expect, it } from 'vitest';
import { World } from '../../sim/world';
import { humanDuration, endpointsOf } from '../../sim/k8s';
import { kubeProxyRules } from '../../sim/kube-proxy-rules';
import { k8sCluster } from '../../labs/scenarios/k8s-node';
import { kubectl, tabwrite } from './legacy';
import type { Sys } from '../types';

function sysFor(world: World): Sys {
  return {
    world, host: 'controlplane', ns: 'ns1', tty: true, columns: 80,
    withNs: (_n, fn) => fn(), readFile: () => null, writeFile: () => {}, onHost: (_h, fn) => fn(), login: () => {},
  };
}
const io = { stdin: '', cwd: '/root', env: {}, exec: async () => ({ stdout: '', stderr: '', exitCode: 0 }), signal: null };

async function run(world: World, line: string) {
  return kubectl.run(line.split(' ').slice(1), io, sysFor(world));
}

function clusterWorld(): World {
  const w = World.create();
  w.addHost('controlplane');
  w.state.cluster = k8sCluster();
  w.advance(0);
  return w;
}

describe('kubectl HumanDuration', () => {
  it('formats ages as kubectl does', () => {
    expect(humanDuration(5_000)).toBe('5s');
    expect(humanDuration(119_000)).toBe('119s');
    expect(humanDuration(150_000)).toBe('2m30s');
    expect(humanDuration(600_000)).toBe('10m');
    expect(humanDuration(3 * 3_600_000 + 5 * 60_000)).toBe('3h5m');
    expect(humanDuration(30 * 3_600_000)).toBe('30h');
    expect(humanDuration(51 * 3_600_000)).toBe('2d3h');
    expect(humanDuration(20 * 86_400_000)).toBe('20d');
  });
});

describe('kubectl tabwriter', () => {
  it('pads every column but the last to its widest cell plus 3 (at least 6)', () => {
    expect(tabwrite([['NAME', 'AGE'], ['kubernetes', '2d']])).toBe('NAME         AGE\nkubernetes   2d\n');
    expect(tabwrite([['A', 'B', 'C']])).toBe('A     B     C\n');
  });
});

describe('kubectl get and logs over the cluster state', () => {
  it('lists services in the default namespace', async () => {
    const r = await run(clusterWorld(), 'kubectl get svc');
    expect(r.stdout.split('\n')[0]).toBe('NAME         TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)          AGE');
    expect(r.stdout).toContain('web-np       NodePort    10.98.17.44     <none>        8080:30080/TCP   35m\n');
    expect(r.stdout).toContain('kubernetes   ClusterIP   10.96.0.1       <none>        443/TCP          2d3h\n');
  });

  it('shows pod IPs and nodes with -o wide, all namespaces with -A', async () => {
    const r = await run(clusterWorld(), 'kubectl get pods -A -o wide');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAMESPACE +NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES$/);
    expect(lines.find((l) => l.includes('coredns-66bc5c9577-4kx8n'))).toMatch(/10\.244\.0\.2 +controlplane +<none> +<none>$/);
    expect(lines.find((l) => l.includes('weave-net'))).toMatch(/weave-net-9hd2w +2\/2 +Running +1 /);
  });

  it('filters by label and reports missing objects like the API server', async () => {
    const w = clusterWorld();
    expect((await run(w, 'kubectl get pods -l app=web -o name')).stdout).toBe('pod/web-7d4b9c8f6d-2lqzv\npod/web-7d4b9c8f6d-m8xkd\n');
    expect(await run(w, 'kubectl get pod nope')).toEqual({ stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 });
    expect((await run(w, 'kubectl get pods -n empty')).stderr).toBe('No resources found in empty namespace.\n');
    expect((await run(w, 'kubectl get frobs')).stderr).toBe('error: the server doesn\'t have a resource type "frobs"\n');
  });

  it('prints container logs, defaulting to the first container', async () => {
    const w = clusterWorld();
    const r = await run(w, 'kubectl logs -n kube-system weave-net-9hd2w');
    expect(r.stderr).toBe('Defaulted container "weave" out of: weave, weave-npc\n');
    expect(r.stdout).toContain('ipalloc-range:10.244.0.0/16');
    const npc = await run(w, 'kubectl logs -n kube-system weave-net-9hd2w -c weave-npc');
    expect(npc.stdout).toContain('Starting Weaveworks NPC');
  });

  it('without a cluster, fails as kubectl does with no API server', async () => {
    const w = World.create();
    w.addHost('controlplane');
    const r = await run(w, 'kubectl get pods');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('The connection to the server localhost:8080 was refused');
  });
});

describe('kube-proxy rules', () => {
  it('sends each Service port to a KUBE-SVC chain that DNATs to every endpoint', () => {
    const c = k8sCluster();
    const rules = kubeProxyRules(c);
    const web = c.services.find((s) => s.name === 'web')!;
    expect(endpointsOf(c, web).map((p) => p.ip)).toEqual(['10.244.0.4', '10.244.0.5']);
    const jump = rules.find((r) => r.includes(`-d ${web.clusterIP}/32`))!;
    const svcChain = /-j (KUBE-SVC-\w+)/.exec(jump)![1]!;
    const seps = rules.filter((r) => r.includes(`-A ${svcChain} `) && r.includes('KUBE-SEP-'));
    expect(seps).toHaveLength(2);
    expect(seps[0]).toContain('--probability 0.50000000000');
    expect(rules.some((r) => r.includes('DNAT --to-destination 10.244.0.5:80'))).toBe(true);
  });
});
