import { describe, expect, it } from 'vitest';
import { World } from '../sim/world';
import { bootstrapCluster } from './bootstrap';
import { kube } from './cluster';
import { installTestNetwork } from './net.test-util';

installTestNetwork();

describe('kubeadm cluster bootstrap', () => {
  it('brings every system pod to Running with the kubeadm objects', () => {
    const w = World.create({ seed: 3 });
    bootstrapCluster(w);
    const api = kube(w)!;
    const pods = api.list('pods', null).items;
    const summary = pods.map((p: any) => `${p.metadata.namespace}/${p.metadata.name} ${p.spec.nodeName} ${p.status.phase} ${p.status.podIP ?? ''}`);
    console.log(summary.join('\n'));
    expect(pods.every((p: any) => p.status.phase === 'Running')).toBe(true);
    expect(pods.length).toBe(4 + 2 + 2 + 2);
    const svcs = api.list('services', null).items.map((s: any) => `${s.metadata.namespace}/${s.metadata.name} ${s.spec.clusterIP} ${s.spec.ports.map((p: any) => `${p.port}/${p.protocol}`).join(',')}`);
    expect(svcs).toEqual(['default/kubernetes 10.96.0.1 443/TCP', 'kube-system/kube-dns 10.96.0.10 53/UDP,53/TCP,9153/TCP']);
    const nodes = api.list('nodes').items.map((n: any) => `${n.metadata.name} ${n.spec.podCIDR} ${n.status.conditions.find((c: any) => c.type === 'Ready').status}`);
    expect(nodes).toEqual(['controlplane 10.244.0.0/24 True', 'node01 10.244.1.0/24 True']);
  });
});
