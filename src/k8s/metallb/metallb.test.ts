// LoadBalancer Services without and with MetalLB, reached from a host on the
// node network outside the cluster (client, 192.168.121.50).
import { describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { getScenario } from '../../labs/scenarios/index';
import { bootstrapCluster } from '../bootstrap';
import { kube } from '../cluster';
import { installMetalLB } from './metallb';
import { findLink } from '../../sim/netdev';
import type { ScenarioDef } from '../../shell/scenario-builder';

const base = getScenario('k8s-cluster')!;
const client = { id: 'client', setup: ['ip link set lo up', '@nic eth0 k8s-node-net', 'ip addr add 192.168.121.50/24 dev eth0', 'ip link set eth0 up'] };
const withClient = (name: string, addons: any[]): ScenarioDef => ({ ...base, name, hosts: [...base.hosts, client], build: (w) => void bootstrapCluster(w, { segment: 'k8s-node-net', addons }) });

function lbApp(api: any): void {
  api.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'echo', image: 'kicbase/echo-server:1.0' }] } } } });
  api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
}

describe('LoadBalancer Services', () => {
  it('without a load-balancer implementation EXTERNAL-IP stays <pending> and nothing answers', async () => {
    const s = await Session.create({ scenario: withClient('k8s-lb-none', []), seed: 7 });
    const run = (l: string, host?: string) => s.run(host ? `ssh ${host} ${l}` : l, { fresh: true, noHistory: true });
    lbApp(kube(s.world)!);
    await run('sleep 20');
    expect((await run('kubectl get svc web')).output).toMatch(/^NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE\nweb +LoadBalancer +10\.\S+ +<pending> +80:3\d{4}\/TCP +20s\n$/);
    const c = await Session.create({ world: s.world, host: 'client', scenario: withClient('k8s-lb-none', []) });
    const r = await c.run('curl -s -m 3 http://192.168.121.200/', { fresh: true, noHistory: true });
    expect(r.exitCode).toBe(28);
  });

  it('MetalLB assigns an address from its pool and a host outside the cluster reaches the Service through ARP on the node network', async () => {
    const def = withClient('k8s-lb-metallb', [installMetalLB]);
    const s = await Session.create({ scenario: def, seed: 7 });
    const run = (l: string) => s.run(l, { fresh: true, noHistory: true });
    const api = kube(s.world)!;
    const mlb = (api.list('pods', 'metallb-system').items as any[]).map((p) => `${p.metadata.name.replace(/-[a-z0-9]{5}$|-[a-z0-9]+-[a-z0-9]{5}$/, '')} ${p.status.phase}`).sort();
    expect(mlb).toEqual(['controller Running', 'speaker Running', 'speaker Running']);
    expect((await run('kubectl get ipaddresspools -n metallb-system')).output).toMatch(/^NAME +AUTO ASSIGN +AVOID BUGGY IPS +ADDRESSES +AGE\ndefault-pool +true +false +\["192\.168\.121\.200-192\.168\.121\.220"\] /);
    lbApp(api);
    await run('sleep 20');
    const svc: any = api.get('services', 'default', 'web');
    expect(svc.status.loadBalancer.ingress).toEqual([{ ip: '192.168.121.200', ipMode: 'VIP' }]);
    expect(svc.metadata.annotations['metallb.io/ip-allocated-from-pool']).toBe('default-pool');
    expect((await run('kubectl get svc web')).output).toMatch(/\nweb +LoadBalancer +10\.\S+ +192\.168\.121\.200 +80:3\d{4}\/TCP /);
    const events = (api.list('events', 'default').items as any[]).filter((e) => e.involvedObject?.name === 'web' && e.involvedObject?.kind === 'Service').map((e) => `${e.reason}: ${e.message}`);
    expect(events).toContain('IPAllocated: Assigned IP ["192.168.121.200"]');
    const announced = events.find((e) => e.startsWith('nodeAssigned: '));
    expect(announced).toMatch(/^nodeAssigned: announcing from node "(controlplane|node01)" with protocol "layer2"$/);
    const node = /"(\w+)"/.exec(announced!)![1]!;
    // from outside the cluster
    const c = await Session.create({ world: s.world, host: 'client', scenario: def });
    const crun = (l: string) => c.run(l, { fresh: true, noHistory: true });
    const pods = (api.list('pods', 'default', { labelSelector: 'app=web' }).items as any[]).map((p) => p.metadata.name);
    const body = (await crun('curl -s http://192.168.121.200/')).output;
    expect(pods.some((p) => body.includes(`Request served by ${p}`))).toBe(true);
    // the announcing node's MAC answered the ARP request
    const mac = findLink(s.world.ns(s.world.host(node).rootNs), 'eth0')!.mac;
    expect((await crun('ip neigh show 192.168.121.200')).output).toMatch(new RegExp(`^192\\.168\\.121\\.200 dev eth0 lladdr ${mac} REACHABLE *\n$`));
    // a second Service gets the next address; one asking for an address outside the pools fails
    api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web2', namespace: 'default' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 8080 }] } });
    api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web3', namespace: 'default', annotations: { 'metallb.io/loadBalancerIPs': '10.1.2.3' } }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 8080 }] } });
    await run('true');
    expect((api.get('services', 'default', 'web2') as any).status.loadBalancer.ingress[0].ip).toBe('192.168.121.201');
    expect((api.list('events', 'default').items as any[]).some((e) => e.involvedObject?.name === 'web3' && e.reason === 'AllocationFailed' && e.message === 'Failed to allocate IP for "default/web3": ["10.1.2.3"] is not allowed in config')).toBe(true);
    // asking for another address later moves the Service to it (the old one is freed)
    const web2 = api.get('services', 'default', 'web2') as any;
    web2.metadata.annotations = { ...web2.metadata.annotations, 'metallb.io/loadBalancerIPs': '192.168.121.210' };
    api.update(web2);
    await run('true');
    expect((api.get('services', 'default', 'web2') as any).status.loadBalancer.ingress).toEqual([{ ip: '192.168.121.210', ipMode: 'VIP' }]);
    api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web4', namespace: 'default' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 8081 }] } });
    await run('true');
    expect((api.get('services', 'default', 'web4') as any).status.loadBalancer.ingress[0].ip).toBe('192.168.121.201');
  });
});
