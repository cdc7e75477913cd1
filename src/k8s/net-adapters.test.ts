// The cluster with the real node side (Flannel, kube-proxy, CoreDNS from
// src/k8s/net) plugged in through net-adapters.ts: no test stand-ins here.
import { describe, expect, it } from 'vitest';
import { World } from '../sim/world';
import { bootstrapCluster } from './bootstrap';
import { kube } from './cluster';
import { deployApp } from './variants';
import { findLink } from '../sim/netdev';

describe('the cluster with Flannel, kube-proxy and CoreDNS', () => {
  it('boots with every system pod Running, the overlay up and kube-proxy rules on every node', () => {
    const w = World.create({ seed: 21 });
    bootstrapCluster(w, { then: [(x) => deployApp(x, { nodePort: 30080 })] });
    const api = kube(w)!;
    const pods = api.list('pods', null).items as any[];
    const notRunning = pods.filter((p) => p.status.phase !== 'Running').map((p) => `${p.metadata.name} ${p.status.phase} ${JSON.stringify(p.status.containerStatuses?.[0]?.state)}`);
    expect(notRunning).toEqual([]);
    for (const node of ['controlplane', 'node01']) {
      const root = w.ns(w.host(node).rootNs);
      expect(findLink(root, 'flannel.1')).toBeTruthy();
      const nat = root.netfilter.tables.nat!;
      expect(nat.chains.some((c) => c.name === 'KUBE-SVC-NPX46M4PTMTKRN6Y')).toBe(true);
    }
    expect(findLink(w.ns(w.host('node01').rootNs), 'cni0')).toBeTruthy();
    const web = pods.filter((p) => p.metadata.labels?.app === 'web');
    expect(web.every((p) => /^10\.244\.1\./.test(p.status.podIP))).toBe(true);
  });
});
