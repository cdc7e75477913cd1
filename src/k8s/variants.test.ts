import { describe, expect, it } from 'vitest';
import { World } from '../sim/world';
import { bootstrapCluster, applyFlannel } from './bootstrap';
import { kube } from './cluster';
import { deployApp, scaleCoreDnsToZero, stopKubelet } from './variants';
import { startKubeletProcess } from './runtime/node';
import { installTestNetwork } from './net.test-util';

installTestNetwork();

const podsOf = (w: World, ns: string, sel: string) => kube(w)!.list('pods', ns, { labelSelector: sel }).items as any[];

describe('cluster scenario variants, each fixable', () => {
  it('the app variant: web Deployment Running behind a ClusterIP and a NodePort Service', () => {
    const w = World.create({ seed: 5 });
    bootstrapCluster(w, { then: [(x) => deployApp(x, { nodePort: 30080 })] });
    const api = kube(w)!;
    const pods = podsOf(w, 'default', 'app=web');
    expect(pods.map((p) => p.status.phase)).toEqual(['Running', 'Running', 'Running']);
    const svc: any = api.get('services', 'default', 'web-np');
    expect(svc.spec.ports[0].nodePort).toBe(30080);
    expect((api.get('endpoints', 'default', 'web') as any).subsets[0].addresses).toHaveLength(3);
  });

  it('no pod network add-on: pods stuck ContainerCreating with the sandbox error; applying Flannel fixes it', () => {
    const w = World.create({ seed: 5 });
    bootstrapCluster(w, { cni: 'none', keepCniConfig: true, then: [(x) => deployApp(x)] });
    const api = kube(w)!;
    const web = podsOf(w, 'default', 'app=web');
    expect(web.every((p) => p.status.containerStatuses[0].state.waiting.reason === 'ContainerCreating')).toBe(true);
    const ev = (api.list('events', 'default').items as any[]).filter((e) => e.reason === 'FailedCreatePodSandBox');
    expect(ev.length).toBeGreaterThan(0);
    expect(ev[0].message).toMatch(/^Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="flannel" failed \(add\): loadFlannelSubnetEnv failed: open \/run\/flannel\/subnet.env: no such file or directory$/);
    // the kubelet keeps trying, each attempt with a new sandbox id
    const first = web[0].metadata.name;
    const mine = ev.filter((e) => e.involvedObject.name === first).sort((a, b) => Date.parse(a.firstTimestamp) - Date.parse(b.firstTimestamp));
    expect(mine.length).toBeGreaterThan(2);
    // the pod worker requeues a failed sync after 10-15 s (backOffPeriod, jittered by half), without doubling
    const gaps = mine.slice(1, 9).map((e, i) => (Date.parse(e.firstTimestamp) - Date.parse(mine[i].firstTimestamp)) / 1000);
    expect(gaps.every((g) => g >= 10 && g <= 15)).toBe(true);
    // client-go's correlator: nine events with their own sandbox ids, then one combined event counting the rest
    expect(mine.slice(0, 9).every((e) => e.count === 1 && !e.message.startsWith('('))).toBe(true);
    if (mine.length > 9) {
      expect(mine).toHaveLength(10);
      expect(mine[9].message).toMatch(/^\(combined from similar events\): Failed to create pod sandbox: /);
    }
    applyFlannel(api, api.config);
    w.advance(80_000);
    expect(podsOf(w, 'default', 'app=web').map((p) => p.status.phase)).toEqual(['Running', 'Running', 'Running']);
  });

  it('CoreDNS scaled to 0: kube-dns has no endpoints until it is scaled back', () => {
    const w = World.create({ seed: 5 });
    bootstrapCluster(w, { then: [scaleCoreDnsToZero] });
    const api = kube(w)!;
    expect(podsOf(w, 'kube-system', 'k8s-app=kube-dns')).toHaveLength(0);
    expect((api.get('endpoints', 'kube-system', 'kube-dns') as any).subsets).toBeUndefined();
    api.patch('deployments', 'kube-system', 'coredns', 'merge', { spec: { replicas: 2 } });
    w.advance(10_000);
    expect((api.get('endpoints', 'kube-system', 'kube-dns') as any).subsets[0].addresses).toHaveLength(2);
  });

  it('a Service whose selector matches nothing, and a wrong targetPort, are fixed by editing the Service', () => {
    const w = World.create({ seed: 5 });
    bootstrapCluster(w, { then: [(x) => deployApp(x, { selector: { app: 'webapp' } }), (x) => deployApp(x, { name: 'api', targetPort: 8080 })] });
    const api = kube(w)!;
    expect((api.get('endpoints', 'default', 'web') as any).subsets).toBeUndefined();
    api.patch('services', 'default', 'web', 'merge', { spec: { selector: { app: 'web' } } });
    expect((api.get('endpoints', 'default', 'web') as any).subsets[0].addresses).toHaveLength(3);
    expect((api.get('endpoints', 'default', 'api') as any).subsets[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    api.patch('services', 'default', 'api', 'json', [{ op: 'replace', path: '/spec/ports/0/targetPort', value: 80 }]);
    expect((api.get('endpoints', 'default', 'api') as any).subsets[0].ports).toEqual([{ port: 80, protocol: 'TCP' }]);
  });

  it('kubelet stopped on node01: NotReady when the learner arrives, Ready once it runs again', () => {
    const w = World.create({ seed: 5 });
    bootstrapCluster(w, { then: [(x) => stopKubelet(x, 'node01')] });
    const api = kube(w)!;
    const ready = () => (api.get('nodes', null, 'node01') as any).status.conditions.find((c: any) => c.type === 'Ready').status;
    expect(ready()).toBe('Unknown');
    startKubeletProcess(w, 'node01');
    w.advance(2000);
    expect(ready()).toBe('True');
    expect((api.get('nodes', null, 'node01') as any).spec.taints).toBeUndefined();
  });
});
