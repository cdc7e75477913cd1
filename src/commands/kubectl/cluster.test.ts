import { describe, expect, it } from 'vitest';
import { ADMIN_KUBECONFIG, adminKubeconfig } from './kubeconfig.test-util';
import { World } from '../../sim/world';
import { Api, initClusterState } from '../../k8s/api';
import { kubectl } from './index';
import { goJsonSyntaxError } from './write';
import type { Sys } from '../types';

/** A cluster state with what kubeadm leaves in the API (the objects only: no controllers run here). */
function clusterWorld(): World {
  const w = World.create({ seed: 3 });
  w.addHost('controlplane');
  initClusterState(w);
  const api = new Api(w);
  for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] } });
  api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }, spec: { clusterIP: '10.96.0.10', selector: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 }, { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 }] } });
  w.advance(3 * 60_000);
  return w;
}

function runner(w: World) {
  const files = new Map<string, string>();
  const sys: Sys = { world: w, host: 'controlplane', ns: 'ns1', tty: true, columns: 80, withNs: (_n, fn) => fn(), readFile: (p) => files.get(p) ?? adminKubeconfig(p), writeFile: (p, c) => void files.set(p, c), onHost: (_h, fn) => fn(), login: () => {} };
  const io = { stdin: '', cwd: '/root', env: { HOME: '/root' }, exec: async () => ({ stdout: '', stderr: '', exitCode: 0 }), signal: null };
  return async (line: string) => {
    const r = await kubectl.run(line.split(' ').slice(1), io, sys);
    return { ...r, all: (r.chunks ?? [[1, r.stdout], [2, r.stderr]]).map(([, t]) => t).join('') };
  };
}

describe('kubectl over the cluster API', () => {
  it('get svc -A: kubernetes 10.96.0.1 443/TCP and kube-dns 10.96.0.10 53/UDP,53/TCP,9153/TCP', async () => {
    const k = runner(clusterWorld());
    const r = await k('kubectl get svc -A');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      'NAMESPACE     NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE\n' +
        'default       kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP                  3m\n' +
        'kube-system   kube-dns     ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   3m\n',
    );
  });

  it('get names, kinds and errors as kubectl words them', async () => {
    const k = runner(clusterWorld());
    expect((await k('kubectl get svc kubernetes -o name')).stdout).toBe('service/kubernetes\n');
    expect((await k('kubectl get svc nope')).all).toBe('Error from server (NotFound): services "nope" not found\n');
    expect((await k('kubectl get foo')).all).toBe('error: the server doesn\'t have a resource type "foo"\n');
    const none = await k('kubectl get pods');
    expect([none.all, none.exitCode]).toEqual(['No resources found in default namespace.\n', 0]);
    for (const kind of ['ds', 'deploy', 'cm', 'events', 'ingress', 'netpol', 'endpointslices']) {
      expect((await k(`kubectl get ${kind}`)).all).not.toContain("doesn't have a resource type");
    }
    expect((await k('kubectl get ns --no-headers')).stdout.split('\n')[0]).toMatch(/^default +Active +3m$/);
  });

  it('create, then get -o yaml/jsonpath, and the AlreadyExists error', async () => {
    const k = runner(clusterWorld());
    expect((await k('kubectl create deployment web --image=nginx --replicas=3')).stdout).toBe('deployment.apps/web created\n');
    expect((await k('kubectl create deployment web --image=nginx')).all).toBe('error: failed to create deployment: deployments.apps "web" already exists\n');
    expect((await k('kubectl get deploy web -o jsonpath={.spec.replicas}')).stdout).toBe('3');
    const y = (await k('kubectl get deploy web -o yaml')).stdout;
    expect(y).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n/);
    expect((await k('kubectl create cm c --from-literal=a=1 --dry-run=server')).stdout).toBe('configmap/c created (server dry run)\n');
    expect((await k('kubectl get cm c')).all).toBe('Error from server (NotFound): configmaps "c" not found\n');
  });
});

describe('kubectl write verbs', () => {
  it('run, expose, label, annotate, scale, set image, delete', async () => {
    const w = clusterWorld();
    const api = new Api(w);
    api.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'default' } });
    const k = runner(w);
    expect((await k('kubectl run client --image=busybox --restart=Never -- sleep 3600')).stdout).toBe('pod/client created\n');
    expect(api.get('pods', 'default', 'client').spec!.containers[0]!.args).toEqual(['sleep', '3600']);
    expect((await k('kubectl create deployment web --image=nginx --replicas=3 --port=80')).stdout).toBe('deployment.apps/web created\n');
    expect((await k('kubectl expose deployment web --port=80')).stdout).toBe('service/web exposed\n');
    const svc = api.get('services', 'default', 'web');
    expect(svc.spec!.selector).toEqual({ app: 'web' });
    expect(svc.spec!.ports).toEqual([{ protocol: 'TCP', port: 80, targetPort: 80 }]);
    expect((await k('kubectl expose deployment web --name=web-lb --type=LoadBalancer --port=80 --load-balancer-ip=192.168.121.210')).stdout).toBe('service/web-lb exposed\n');
    expect(api.get('services', 'default', 'web-lb').spec!.loadBalancerIP).toBe('192.168.121.210');
    expect((await k('kubectl label pod client tier=front')).stdout).toBe('pod/client labeled\n');
    expect((await k('kubectl label pod client tier=back')).all).toBe("error: 'tier' already has a value (front), and --overwrite is false\n");
    expect((await k('kubectl label pod client tier-')).stdout).toBe('pod/client unlabeled\n');
    expect((await k('kubectl annotate deploy web note=hi')).stdout).toBe('deployment.apps/web annotated\n');
    expect((await k('kubectl scale deployment web --replicas=1')).stdout).toBe('deployment.apps/web scaled\n');
    expect(api.get('deployments', 'default', 'web').spec!.replicas).toBe(1);
    expect((await k('kubectl set image deployment/web nginx=nginx:1.27')).stdout).toBe('deployment.apps/web image updated\n');
    expect((await k('kubectl set image deployment/web foo=x')).all).toBe('error: unable to find container named "foo"\n');
    expect((await k('kubectl delete svc web')).stdout).toBe('service "web" deleted\n');
    expect((await k('kubectl delete svc web')).all).toBe('Error from server (NotFound): services "web" not found\n');
    const ar = (await k('kubectl api-resources')).stdout.split('\n');
    expect(ar[0]).toMatch(/^NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND$/);
    expect(ar.some((l) => /^deployments +deploy +apps\/v1 +true +Deployment$/.test(l))).toBe(true);
  });
});

describe('kubectl on a kubeadm cluster (src/k8s bootstrap)', () => {
  async function fresh() {
    const { bootstrapCluster } = await import('../../k8s/bootstrap');
    const w = World.create({ seed: 1 });
    w.advance(2 * 3600_000);
    bootstrapCluster(w);
    return w;
  }
  it('a fresh cluster: get svc -A, nodes, system pods', async () => {
    const w = await fresh();
    const k = runner(w);
    const svc = (await k('kubectl get svc -A')).stdout.split('\n');
    expect(svc[1]).toMatch(/^default +kubernetes +ClusterIP +10\.96\.0\.1 +<none> +443\/TCP +\d+m$/);
    expect(svc[2]).toMatch(/^kube-system +kube-dns +ClusterIP +10\.96\.0\.10 +<none> +53\/UDP,53\/TCP,9153\/TCP +\d+m$/);
    const nodes = (await k('kubectl get nodes')).stdout;
    // Ready once a CNI plugin is registered (the network side); the columns are what this test pins
    expect(nodes).toMatch(/^NAME +STATUS +ROLES +AGE +VERSION\ncontrolplane +(Not)?Ready +control-plane +70m +v1\.33\.\d+\nnode01 +(Not)?Ready +<none> +\d+m +v1\.33\.\d+\n$/);
    const pods = (await k('kubectl get pods -n kube-system')).stdout;
    expect(pods).toMatch(/\nkube-apiserver-controlplane +1\/1 +Running +0 +\d+m\n/);
  });

  it('run, exec (our tools inside the pod), logs, apply, delete', async () => {
    const w = await fresh();
    const files = new Map<string, string>();
    const execd: string[] = [];
    const sys: Sys = { world: w, host: 'controlplane', ns: w.state.hosts['controlplane']!.rootNs, tty: true, columns: 80, withNs: (_n, fn) => fn(), readFile: (p) => files.get(p) ?? adminKubeconfig(p), writeFile: (p, c) => void files.set(p, c), onHost: (_h, fn) => fn(), login: () => {} };
    const io = { stdin: '', cwd: '/root', env: { HOME: '/root' }, exec: async (line: string) => (execd.push(line), { stdout: 'ran\n', stderr: '', exitCode: 0 }), signal: null };
    const k = async (line: string, stdin = '') => {
      const r = await kubectl.run(line.split(' ').slice(1), { ...io, stdin }, sys);
      return { ...r, all: (r.chunks ?? [[1, r.stdout], [2, r.stderr]]).map(([, t]) => t).join('') };
    };
    expect((await k('kubectl run client --image=busybox --restart=Never -- sleep 3600')).stdout).toBe('pod/client created\n');
    w.advance(30_000);
    const e = await k('kubectl exec client -- ip -br a');
    expect([e.stdout, e.exitCode]).toEqual(['ran\n', 0]);
    expect(execd).toEqual(['ip -br a']);
    // the API server's image is distroless: no ip in it
    const none = await k('kubectl exec -n kube-system kube-apiserver-controlplane -- ip -br a');
    expect([none.stderr, none.exitCode]).toEqual([`error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${'0'.repeat(64)}": OCI runtime exec failed: exec failed: unable to start container process: exec: "ip": executable file not found in $PATH: unknown\n`, 1]);
    expect(execd).toEqual(['ip -br a']);
    const notRunning = await k('kubectl exec nope -- ls');
    expect(notRunning.all).toBe('Error from server (NotFound): pods "nope" not found\n');
    expect((await k('kubectl logs nope')).all).toBe('Error from server (NotFound): pods "nope" not found\n');
    const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  color: blue\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n';
    expect((await k('kubectl apply -f -', manifest)).stdout).toBe('configmap/app created\nservice/web created\n');
    expect((await k('kubectl apply -f -', manifest)).stdout).toBe('configmap/app unchanged\nservice/web unchanged\n');
    expect((await k('kubectl apply -f -', manifest.replace('blue', 'red'))).stdout).toBe('configmap/app configured\nservice/web unchanged\n');
    expect((await k('kubectl get cm app -o jsonpath={.data.color}')).stdout).toBe('red');
    expect((await k('kubectl delete pod client')).stdout).toBe('pod "client" deleted\n');
    expect((await k('kubectl get pod client')).all).toBe('Error from server (NotFound): pods "client" not found\n');
  });
});

describe('kubectl Tab completion over the API', () => {
  it('completes verbs, kinds and names', async () => {
    const { completeKubectl } = await import('./complete');
    const w = clusterWorld();
    const sys = { world: w, host: 'controlplane', ns: 'ns1', tty: true, columns: 80 } as unknown as Sys;
    const c = (line: string) => {
      const words = line.split(' ');
      const current = words.pop()!;
      return completeKubectl({ words, current, sys } as never);
    };
    expect(c('kubectl ')).toContain('get');
    expect(c('kubectl ')).toContain('rollout');
    expect(c('kubectl get ')).toContain('services');
    expect(c('kubectl get svc ')).toEqual(['kubernetes']);
    expect(c('kubectl get svc -n kube-system ')).toEqual(['kube-dns']);
    expect(c('kubectl create ')).toContain('deployment');
    expect(c('kubectl -n ')).toContain('kube-system');
  });
});

describe('kubectl without a kubeconfig on a cluster node (node01 after kubeadm join)', () => {
  it('tries localhost:8080 as the real one does, until a kubeconfig names the server', async () => {
    const w = clusterWorld();
    const files = new Map<string, string>();
    const sys: Sys = { world: w, host: 'controlplane', ns: 'ns1', tty: true, columns: 80, withNs: (_n, fn) => fn(), readFile: (p) => files.get(p) ?? null, writeFile: (p, c) => void files.set(p, c), onHost: (_h, fn) => fn(), login: () => {} };
    const io = { stdin: '', cwd: '/root', env: { HOME: '/root' } as Record<string, string>, exec: async () => ({ stdout: '', stderr: '', exitCode: 0 }), signal: null };
    const r = await kubectl.run(['get', 'nodes'], io, sys);
    expect(r.exitCode).toBe(1);
    const all = (r.chunks ?? [[1, r.stdout], [2, r.stderr]]).map(([, t]) => t).join('');
    expect(all).toContain('dial tcp 127.0.0.1:8080: connect: connection refused');
    expect(all.endsWith('The connection to the server localhost:8080 was refused - did you specify the right host or port?\n')).toBe(true);
    files.set('/etc/kubernetes/admin.conf', ADMIN_KUBECONFIG);
    const ok = await kubectl.run(['get', 'svc', '--kubeconfig', '/etc/kubernetes/admin.conf'], io, sys);
    expect(ok.exitCode).toBe(0);
    io.env.KUBECONFIG = '/etc/kubernetes/admin.conf';
    expect((await kubectl.run(['get', 'svc'], io, sys)).stdout).toContain('kubernetes   ClusterIP');
  });
});

describe('kubectl run --overrides', () => {
  it('merges the patch into the generated Pod, drops what a Pod does not have, and words JSON errors as Go does', async () => {
    const k = runner(clusterWorld());
    const r = await k(`kubectl run web --image=nginx --overrides={"spec":{"nodeName":"node01","foo":1,"containers":[{"name":"x","image":"busybox"}]}} --dry-run=client -o json`);
    expect(r.exitCode).toBe(0);
    const pod = JSON.parse(r.stdout);
    expect(pod.spec.nodeName).toBe('node01');
    expect(pod.spec.foo).toBeUndefined();
    expect(pod.spec.containers).toEqual([{ name: 'x', image: 'busybox', resources: {} }]);
    expect((await k('kubectl run web --image=nginx --overrides={} --override-type=foo')).stderr).toBe('error: invalid override type: foo\n');
    expect((await k('kubectl run web --image=nginx --overrides={bad --dry-run=client')).stderr).toBe('error: Invalid JSON Patch\n');
    expect(goJsonSyntaxError('{bad')).toBe("invalid character 'b' looking for beginning of object key string");
    expect(goJsonSyntaxError('{"a" 1}')).toBe("invalid character '1' after object key");
    expect(goJsonSyntaxError('{"a":1 x}')).toBe("invalid character 'x' after object key:value pair");
    expect(goJsonSyntaxError('[1')).toBe('unexpected end of JSON input');
  });
});

describe('kubectl set selector', () => {
  it('replaces a Service’s selector with an equality-based one; other kinds and set-based selectors are refused', async () => {
    const w = clusterWorld();
    const k = runner(w);
    const r = await k('kubectl set selector svc kube-dns k8s-app=dns,tier=x -n kube-system');
    expect([r.exitCode, r.stdout]).toEqual([0, 'service/kube-dns selector updated\n']);
    expect((await k("kubectl get svc kube-dns -n kube-system -o jsonpath={.spec.selector}")).stdout).toBe('{"k8s-app":"dns","tier":"x"}');
    expect((await k('kubectl set selector svc kube-dns app -n kube-system')).stderr).toBe('error: match expression [{app Exists []}] not supported on this object\n');
    expect((await k('kubectl set selector svc kubernetes app=web=x')).stderr).toBe('error: couldn\'t parse the selector string "app=web=x": found \'=\', expected: \',\' or \'end of string\'\n');
    expect((await k('kubectl set selector')).stderr).toBe('error: one selector is required\n');
  });
});
