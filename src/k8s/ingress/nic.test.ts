// The NGINX Ingress Controller add-on on a live cluster, driven as a learner
// drives it: objects through the API, requests with curl from the
// control plane to a node's NodePort 32080 (kube-proxy DNATs them to the
// controller's pod, which proxies to the backend pods).
import { describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { getScenario } from '../../labs/scenarios/index';
import { bootstrapCluster } from '../bootstrap';
import { kube } from '../cluster';
import { containerLogs } from '../runtime/kubelet';
import { installNginxIngress, NIC_NGINX } from './nic';
import type { ScenarioDef } from '../../shell/scenario-builder';

const base = getScenario('k8s-cluster')!;
const scenario: ScenarioDef = { ...base, name: 'k8s-nic-test', build: (w) => void bootstrapCluster(w, { segment: 'k8s-node-net', addons: [installNginxIngress] }) };

function app(api: any, name: string): void {
  api.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' }, spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'echo', image: 'kicbase/echo-server:1.0' }] } } } });
  api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } });
}

const path = (p: string, svc: string, pathType = 'Prefix') => ({ path: p, pathType, backend: { service: { name: svc, port: { number: 80 } } } });

describe('F5 NGINX Ingress Controller add-on', () => {
  it('routes two hosts × two paths to four Services, answers 404/502 as NIC does, logs, and reports status', async () => {
    const s = await Session.create({ scenario, seed: 3 });
    const run = (l: string) => s.run(l, { fresh: true, noHistory: true });
    const api = kube(s.world)!;
    const ctl = api.list('pods', 'nginx-ingress').items as any[];
    expect(ctl.map((p) => p.status.phase)).toEqual(['Running']);
    const svc: any = api.get('services', 'nginx-ingress', 'nginx-ingress');
    expect(svc.spec.ports.map((p: any) => `${p.port}:${p.nodePort}`)).toEqual(['80:32080', '443:32443']);
    for (const n of ['cart', 'shop-home', 'blog-post', 'blog-home']) app(api, n);
    api.create({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'sites', namespace: 'default' },
      spec: {
        rules: [
          { host: 'shop.example.com', http: { paths: [path('/cart', 'cart'), path('/', 'shop-home')] } },
          { host: 'blog.example.com', http: { paths: [path('/post', 'blog-post', 'Exact'), path('/', 'blog-home')] } },
        ],
        tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
      },
    });
    await run('sleep 20');
    const ing: any = api.get('ingresses', 'default', 'sites');
    // the DefaultIngressClass admission gave it the default class
    expect(ing.spec.ingressClassName).toBe('nginx');
    const podOf = (n: string) => (api.list('pods', 'default', { labelSelector: `app=${n}` }).items[0] as any).metadata.name;
    const get = async (host: string, p: string) => (await run(`curl -s -H 'Host: ${host}' http://192.168.121.11:32080${p}`)).output;
    expect(await get('shop.example.com', '/cart/items')).toContain(`Request served by ${podOf('cart')}`);
    expect(await get('shop.example.com', '/')).toContain(`Request served by ${podOf('shop-home')}`);
    expect(await get('blog.example.com', '/post')).toContain(`Request served by ${podOf('blog-post')}`);
    // Exact: /post/1 is not /post, it falls to /
    expect(await get('blog.example.com', '/post/1')).toContain(`Request served by ${podOf('blog-home')}`);
    // the Host header reached the backend, with NIC's forwarding headers
    const echoed = await get('shop.example.com', '/cart');
    expect(echoed).toMatch(/Host: shop\.example\.com\n/);
    expect(echoed).toMatch(/X-Forwarded-Host: shop\.example\.com\n/);
    // a host no Ingress claims: NGINX's 404 from the default server, with NIC's Server header
    const r404 = (await run(`curl -si -H 'Host: nope.example.com' http://192.168.121.10:32080/`)).output;
    expect(r404).toMatch(/^HTTP\/1\.1 404 Not Found\r?\n/);
    expect(r404).toContain(`Server: ${NIC_NGINX}`);
    expect(r404).toContain(`<center><h1>404 Not Found</h1></center>\r\n<hr><center>${NIC_NGINX}</center>`);
    // a backend Service that does not exist: NIC's 502 upstream
    api.create({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'ghost', namespace: 'default' }, spec: { rules: [{ host: 'ghost.example.com', http: { paths: [path('/', 'no-such-svc')] } }] } });
    const r502 = (await run(`curl -si -H 'Host: ghost.example.com' http://192.168.121.11:32080/`)).output;
    expect(r502).toMatch(/^HTTP\/1\.1 502 Bad Gateway\r?\n/);
    expect(r502).toContain('<center><h1>502 Bad Gateway</h1></center>');
    // plain HTTP to the HTTPS port
    expect((await run(`curl -s -H 'Host: shop.example.com' http://192.168.121.11:32443/`)).output).toContain('<center>The plain HTTP request was sent to HTTPS port</center>');
    // the access log, in kubectl logs
    const pod = ctl[0];
    const log = containerLogs(api, pod.metadata.uid, 'nginx-ingress').lines.map((l) => l.text);
    expect(log.some((l) => /^\S+ - - \[\d\d\/Nov\/2026:\d\d:\d\d:\d\d \+0000\] "GET \/cart\/items HTTP\/1\.1" 200 \d+ "-" "curl\/[\d.]+" "-"$/.test(l))).toBe(true);
    expect(log.some((l) => / "GET \/ HTTP\/1\.1" 404 \d+ /.test(l))).toBe(true);
    expect((await run('kubectl get ingress sites')).output).toMatch(/^NAME +CLASS +HOSTS +ADDRESS +PORTS +AGE\nsites +nginx +shop\.example\.com,blog\.example\.com +80, 443 /);
    // events on the Ingress; a host-less rule is rejected as NIC rejects it
    api.create({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'nohost', namespace: 'default' }, spec: { rules: [{ http: { paths: [path('/', 'cart')] } }] } });
    await run('true');
    const events = (api.list('events', 'default').items as any[]).map((e) => `${e.type} ${e.reason} ${e.involvedObject?.name ?? e.regarding?.name}: ${e.message ?? e.note}`);
    expect(events).toContain('Normal AddedOrUpdated sites: Configuration for default/sites was added or updated');
    expect(events).toContain('Warning Rejected nohost: default/nohost was rejected: with error: spec.rules[0].host: Required value');
    // status: the external Service's addresses (none for a NodePort Service), then an externalIP
    expect(api.get('ingresses', 'default', 'sites').status).toEqual({ loadBalancer: {} });
    api.patch('services', 'nginx-ingress', 'nginx-ingress', 'merge', { spec: { externalIPs: ['192.168.121.100'] } });
    await run('true');
    expect((api.get('ingresses', 'default', 'sites') as any).status.loadBalancer.ingress).toEqual([{ ip: '192.168.121.100' }]);
  });
});
