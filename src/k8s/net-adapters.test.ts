// The cluster with the real node side (Flannel, kube-proxy, CoreDNS from
// src/k8s/net) plugged in through net-adapters.ts: no test stand-ins here.
import { describe, expect, it } from 'vitest';
import { World } from '../sim/world';
import { bootstrapCluster } from './bootstrap';
import { kube } from './cluster';
import { deployApp } from './variants';
import { findLink } from '../sim/netdev';
import { tcpConnect } from '../sim/packet';
import { requestWire, type HttpResponse } from '../sim/http';

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

describe("kube-proxy's HTTP servers", () => {
  it('answers /proxyMode and /healthz on 127.0.0.1:10249 and the proxier health on 10256, as Go net/http writes them', () => {
    const w = World.create({ seed: 22 });
    bootstrapCluster(w);
    const nsId = w.host('node01').rootNs;
    const get = (port: number, path: string): HttpResponse => {
      const c = tcpConnect(w, nsId, null, '127.0.0.1', port, 1000);
      if (c.kind !== 'connected') throw new Error(c.kind);
      const req = { method: 'GET', path, version: 'HTTP/1.1', headers: [['Host', `localhost:${port}`]] as [string, string][], body: '' };
      const r = c.request(req, requestWire(req).length, 1000);
      c.close();
      if (r.kind !== 'response') throw new Error(r.kind);
      return r.data as HttpResponse;
    };
    const mode = get(10249, '/proxyMode');
    expect(mode.status).toBe(200);
    expect(mode.body).toBe('iptables');
    expect(mode.headers.map(([k]) => k)).toEqual(['Content-Type', 'X-Content-Type-Options', 'Date', 'Content-Length']);
    expect(get(10249, '/healthz').body).toBe('ok');
    expect(get(10249, '/nope')).toMatchObject({ status: 404, body: '404 page not found\n' });
    const health = get(10256, '/healthz');
    expect(health.headers[0]).toEqual(['Content-Type', 'application/json']);
    expect(health.body).toMatch(/^\{"lastUpdated": "2026-11-26 \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC m=\+\d+\.\d{9}","currentTime": "[^"]+", "nodeEligible": true\}$/);
  });

  it('nothing answers on 10249 while kube-proxy crashes on a bad mode', () => {
    const w = World.create({ seed: 23 });
    bootstrapCluster(w);
    const api = kube(w)!;
    const cm = api.get('configmaps', 'kube-system', 'kube-proxy') as any;
    cm.data['config.conf'] = cm.data['config.conf'].replace(/^mode: .*$/m, 'mode: "bogus"');
    api.update(cm);
    for (const p of api.list('pods', 'kube-system', { labelSelector: 'k8s-app=kube-proxy' }).items) api.delete('pods', 'kube-system', p.metadata!.name!);
    w.advance(60_000);
    api.list('pods', null);
    expect(tcpConnect(w, w.host('node01').rootNs, null, '127.0.0.1', 10249, 1000).kind).toBe('refused');
  });
});

describe('externalTrafficPolicy Local on the simulated network', () => {
  it('a NodePort answers only on the node with a ready endpoint, the health check node port says how many, and the node itself still reaches it', () => {
    const w = World.create({ seed: 24 });
    bootstrapCluster(w);
    const api = kube(w)!;
    api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } }, spec: { nodeName: 'node01', containers: [{ name: 'nginx', image: 'nginx:1.27' }] } });
    const created = api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 31080 }] } }) as any;
    const hc: number = created.spec.healthCheckNodePort;
    expect(hc).toBeGreaterThanOrEqual(30000);
    w.advance(20_000);
    api.list('pods', null);
    const cp = w.host('controlplane').rootNs;
    const n1 = w.host('node01').rootNs;
    // from node01 to controlplane's NodePort: controlplane has no local endpoint, the packet is dropped (timeout)
    expect(tcpConnect(w, n1, null, '192.168.121.10', 31080, 2000).kind).toBe('timeout');
    // from controlplane to node01's NodePort: answered
    expect(tcpConnect(w, cp, null, '192.168.121.11', 31080, 2000).kind).toBe('connected');
    // the node itself reaches its own NodePort (route LOCAL traffic to the cluster chain)
    expect(tcpConnect(w, cp, null, '192.168.121.10', 31080, 2000).kind).toBe('connected');
    const probe = (nsId: string, ip: string): HttpResponse => {
      const c = tcpConnect(w, nsId, null, ip, hc, 1000);
      if (c.kind !== 'connected') throw new Error(c.kind);
      const req = { method: 'GET', path: '/', version: 'HTTP/1.1', headers: [['Host', `${ip}:${hc}`]] as [string, string][], body: '' };
      const r = c.request(req, requestWire(req).length, 1000);
      if (r.kind !== 'response') throw new Error(r.kind);
      return r.data as HttpResponse;
    };
    expect(probe(cp, '192.168.121.11')).toMatchObject({ status: 200, body: '{\n\t"service": {\n\t\t"namespace": "default",\n\t\t"name": "web"\n\t},\n\t"localEndpoints": 1,\n\t"serviceProxyHealthy": true\n}' });
    expect(probe(n1, '192.168.121.10').status).toBe(503);
  });
});
