// NGINX Gateway Fabric on a live cluster: a Gateway gets its data plane,
// HTTPRoutes route curl requests through it (NodePort of the data-plane
// Service, kube-proxy, NGINX in the Gateway's pod, the backend pods), and
// the objects carry NGF's status conditions.
import { describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { getScenario } from '../../labs/scenarios/index';
import { bootstrapCluster } from '../bootstrap';
import { kube } from '../cluster';
import { installNginxGatewayFabric } from './ngf';
import type { ScenarioDef } from '../../shell/scenario-builder';

const base = getScenario('k8s-cluster')!;
const scenario: ScenarioDef = { ...base, name: 'k8s-ngf-test', build: (w) => void bootstrapCluster(w, { segment: 'k8s-node-net', addons: [installNginxGatewayFabric] }) };

function app(api: any, name: string, ns = 'default'): void {
  api.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns }, spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'echo', image: 'kicbase/echo-server:1.0' }] } } } });
  api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } });
}

const route = (name: string, hostnames: string[], rules: any[], ns = 'default') => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace: ns }, spec: { parentRefs: [{ name: 'web', namespace: 'default' }], hostnames, rules } });
const to = (svc: string, extra: any = {}) => ({ name: svc, port: 80, ...extra });
const cond = (o: any, type: string) => o.status.parents[0].conditions.find((c: any) => c.type === type);

describe('NGINX Gateway Fabric add-on', () => {
  it('provisions a Gateway, routes HTTPRoutes (an Ingress converted), splits 80/20, applies filters, and reports conditions', async () => {
    const s = await Session.create({ scenario, seed: 5 });
    const run = (l: string) => s.run(l, { fresh: true, noHistory: true });
    const api = kube(s.world)!;
    const gc: any = api.get('gatewayclasses', null, 'nginx');
    expect(gc.status.conditions.map((c: any) => `${c.type}=${c.status}/${c.reason}`)).toEqual(['Accepted=True/Accepted', 'SupportedVersion=True/SupportedVersion']);
    for (const n of ['cart', 'shop-home', 'blog-post', 'blog-home', 'v1', 'v2']) app(api, n);
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    app(api, 'remote', 'other');
    api.create({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'web', namespace: 'default' }, spec: { gatewayClassName: 'nginx', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] } });
    // the Ingress of the NIC test, converted: one HTTPRoute per host
    api.create(route('shop', ['shop.example.com'], [{ matches: [{ path: { type: 'PathPrefix', value: '/cart' } }], backendRefs: [to('cart')] }, { backendRefs: [to('shop-home')] }]));
    api.create(route('blog', ['blog.example.com'], [{ matches: [{ path: { type: 'Exact', value: '/post' } }], backendRefs: [to('blog-post')] }, { backendRefs: [to('blog-home')] }]));
    api.create(route('canary', ['canary.example.com'], [{ backendRefs: [to('v1', { weight: 80 }), to('v2', { weight: 20 })] }]));
    await run('sleep 30');
    const dp: any = api.get('services', 'default', 'web-nginx');
    expect(dp.spec.type).toBe('LoadBalancer');
    expect((await run('kubectl get svc web-nginx')).output).toMatch(/web-nginx +LoadBalancer +10\.\S+ +<pending> +80:3\d{4}\/TCP/);
    const gw: any = api.get('gateways', 'default', 'web');
    expect(gw.status.conditions.map((c: any) => `${c.type}=${c.status}/${c.reason}`)).toEqual(['Accepted=True/Accepted', 'Programmed=True/Programmed']);
    expect(gw.status.listeners[0].attachedRoutes).toBe(3);
    const np = dp.spec.ports[0].nodePort;
    const podOf = (n: string, ns = 'default') => (api.list('pods', ns, { labelSelector: `app=${n}` }).items[0] as any).metadata.name;
    const get = async (host: string, p: string, extra = '') => (await run(`curl -s ${extra} -H 'Host: ${host}' http://192.168.121.11:${np}${p}`)).output;
    expect(await get('shop.example.com', '/cart/items')).toContain(`Request served by ${podOf('cart')}`);
    expect(await get('shop.example.com', '/')).toContain(`Request served by ${podOf('shop-home')}`);
    expect(await get('blog.example.com', '/post')).toContain(`Request served by ${podOf('blog-post')}`);
    expect(await get('blog.example.com', '/post/1')).toContain(`Request served by ${podOf('blog-home')}`);
    // PathPrefix is element-wise: /cartoon is not under /cart
    expect(await get('shop.example.com', '/cartoon')).toContain(`Request served by ${podOf('shop-home')}`);
    // the weighted split, 100 requests: binomial(100, 0.8) has sd 4; 3 sd either side
    let v1 = 0;
    for (let i = 0; i < 100; i++) if ((await get('canary.example.com', '/')).includes(`Request served by ${podOf('v1')}`)) v1++;
    expect(v1).toBeGreaterThanOrEqual(68);
    expect(v1).toBeLessThanOrEqual(92);
    expect(v1).toBeLessThan(100);
    // an unknown host: NGF's default server, 404, Server: nginx (server_tokens off)
    const r404 = (await run(`curl -si -H 'Host: nope.example.com' http://192.168.121.11:${np}/`)).output;
    expect(r404).toMatch(/^HTTP\/1\.1 404 Not Found\r?\nServer: nginx\r?\n/);
    // a wrong backend name: ResolvedRefs False / BackendNotFound, and the rule answers 500
    api.create(route('broken', ['broken.example.com'], [{ backendRefs: [to('no-such-svc')] }]));
    await run('true');
    const broken: any = api.get('httproutes', 'default', 'broken');
    expect(cond(broken, 'Accepted')).toMatchObject({ status: 'True', reason: 'Accepted', message: 'The Route is accepted' });
    expect(cond(broken, 'ResolvedRefs')).toMatchObject({ status: 'False', reason: 'BackendNotFound', message: 'spec.rules[0].backendRefs[0].name: Not found: "no-such-svc"' });
    expect((await run(`curl -si -H 'Host: broken.example.com' http://192.168.121.11:${np}/`)).output).toMatch(/^HTTP\/1\.1 500 Internal Server Error/);
    expect((await run('kubectl get httproute broken -o yaml')).output).toContain('reason: BackendNotFound');
    // a Service in another namespace: RefNotPermitted until a ReferenceGrant allows it
    api.create(route('cross', ['cross.example.com'], [{ backendRefs: [to('remote', { namespace: 'other' })] }]));
    await run('true');
    expect(cond(api.get('httproutes', 'default', 'cross'), 'ResolvedRefs')).toMatchObject({ status: 'False', reason: 'RefNotPermitted', message: 'spec.rules[0].backendRefs[0].namespace: Forbidden: Backend ref to Service other/remote not permitted by any ReferenceGrant' });
    api.create({ apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'from-default', namespace: 'other' }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'default' }], to: [{ group: '', kind: 'Service' }] } });
    await run('true');
    expect(cond(api.get('httproutes', 'default', 'cross'), 'ResolvedRefs')).toMatchObject({ status: 'True', reason: 'ResolvedRefs' });
    expect(await get('cross.example.com', '/')).toContain(`Request served by ${podOf('remote', 'other')}`);
    // filters and matches: redirect, rewrite, header modifier, header and query matches, method
    api.create(
      route('filters', ['f.example.com'], [
        { matches: [{ path: { type: 'PathPrefix', value: '/old' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/new' }, statusCode: 301 } }] },
        { matches: [{ path: { type: 'PathPrefix', value: '/api' } }], filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } } }, { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Env', value: 'canary' }] } }], backendRefs: [to('v2')] },
        { matches: [{ headers: [{ name: 'x-version', value: 'two' }] }, { queryParams: [{ name: 'v', value: '2' }] }], backendRefs: [to('v2')] },
        { matches: [{ method: 'POST' }], backendRefs: [to('blog-post')] },
        { backendRefs: [to('v1')] },
      ]),
    );
    await run('true');
    const redirect = (await run(`curl -si -H 'Host: f.example.com' http://192.168.121.11:${np}/old/page?a=1`)).output;
    expect(redirect).toMatch(/^HTTP\/1\.1 301 Moved Permanently/);
    expect(redirect).toMatch(/Location: http:\/\/f\.example\.com\/new\/page\?a=1\r?\n/);
    const rewritten = await get('f.example.com', '/api/users');
    expect(rewritten).toContain('GET /v2/users HTTP/1.1');
    expect(rewritten).toContain('X-Env: canary');
    expect(await get('f.example.com', '/x', "-H 'x-version: two'")).toContain(`Request served by ${podOf('v2')}`);
    expect(await get('f.example.com', '/x?v=2')).toContain(`Request served by ${podOf('v2')}`);
    expect(await get('f.example.com', '/x', '-X POST')).toContain(`Request served by ${podOf('blog-post')}`);
    expect(await get('f.example.com', '/x')).toContain(`Request served by ${podOf('v1')}`);
  });
});
