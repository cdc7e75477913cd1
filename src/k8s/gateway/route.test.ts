import { describe, expect, it } from 'vitest';
import { buildGraph, hostnamesIntersect, type GraphInput } from './graph';
import { pickBackend, routeGatewayRequest } from './route';

const gw = (listeners: any[]): any => ({ metadata: { name: 'gw', namespace: 'default', uid: 'u' }, spec: { gatewayClassName: 'nginx', listeners } });
const rt = (name: string, spec: any, t = '2026-11-26T15:00:00Z', ns = 'default'): any => ({ metadata: { name, namespace: ns, creationTimestamp: t }, spec: { parentRefs: [{ name: 'gw', namespace: 'default' }], ...spec } });
const input = (gateways: any[], routes: any[], extra: Partial<GraphInput> = {}): GraphInput => ({
  gatewayClasses: [{ metadata: { name: 'nginx' }, spec: { controllerName: 'gateway.nginx.org/nginx-gateway-controller' } } as any],
  gateways,
  routes,
  grants: [],
  services: new Map([['default/a', [80]], ['default/b', [80]], ['default/c', [80]]]),
  namespaces: new Map<string, Record<string, string>>([['default', {}], ['team', { env: 'dev' }]]),
  ...extra,
});
const req = (host: string, uri: string, method = 'GET', headers: [string, string][] = []) => ({ host, uri, method, headers });
const svcOf = (d: any) => (d.kind === 'backend' ? d.backend?.service : d.kind);

describe('NGF routing and graph', () => {
  it('hostname intersection with wildcards', () => {
    expect(hostnamesIntersect('*.example.com', 'a.example.com')).toBe(true);
    expect(hostnamesIntersect('*.example.com', 'example.com')).toBe(false);
    expect(hostnamesIntersect('a.example.com', 'b.example.com')).toBe(false);
  });

  it('precedence: Exact over prefix, longer prefix, method, more headers, then the older route', () => {
    const g = buildGraph(
      input(
        [gw([{ name: 'http', port: 80, protocol: 'HTTP' }])],
        [
          rt('r2', { rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'c', port: 80 }] }] }, '2026-11-26T15:01:00Z'),
          rt('r1', {
            rules: [
              { matches: [{ path: { type: 'Exact', value: '/a' } }], backendRefs: [{ name: 'a', port: 80 }] },
              { matches: [{ path: { type: 'PathPrefix', value: '/a' } }], backendRefs: [{ name: 'b', port: 80 }] },
              { matches: [{ path: { type: 'PathPrefix', value: '/' }, method: 'POST' }], backendRefs: [{ name: 'a', port: 80 }] },
              { matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'X', value: '1' }] }], backendRefs: [{ name: 'b', port: 80 }] },
              { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'a', port: 80 }] },
            ],
          }),
        ],
      ),
      'nginx',
    );
    const v = g.gateways.get('default/gw')!;
    const r = (rq: any) => svcOf(routeGatewayRequest(g, v, 80, 'http', rq, () => 0));
    expect(r(req('x', '/a'))).toBe('a');
    expect(r(req('x', '/a/b'))).toBe('b');
    expect(r(req('x', '/ab'))).toBe('a');
    expect(r(req('x', '/z', 'POST'))).toBe('a');
    expect(r(req('x', '/z', 'GET', [['x', '1']]))).toBe('b');
    expect(r(req('x', '/z'))).toBe('a');
    expect(r(req('x', '/z')) === 'c').toBe(false);
    expect(v.listeners[0]!.attachedRoutes).toBe(2);
  });

  it('weights: the draw decides, zero weights never chosen, none → 500', () => {
    const b = (service: string, weight: number) => ({ valid: true, namespace: 'd', service, port: 80, weight });
    expect(pickBackend([b('a', 80), b('b', 20)], 0.79)!.service).toBe('a');
    expect(pickBackend([b('a', 80), b('b', 20)], 0.8)!.service).toBe('b');
    expect(pickBackend([b('a', 0), b('b', 1)], 0)!.service).toBe('b');
    expect(pickBackend([b('a', 0)], 0.5)).toBeNull();
  });

  it('parent acceptance: listener names, allowed namespaces, hostnames', () => {
    const g = buildGraph(
      input(
        [gw([{ name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com' }, { name: 'team', port: 8080, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { env: 'dev' } } } } }])],
        [
          rt('nosection', { parentRefs: [{ name: 'gw', namespace: 'default', sectionName: 'nope' }] }),
          rt('otherns', { parentRefs: [{ name: 'gw', namespace: 'default', sectionName: 'http' }] }, undefined, 'team'),
          rt('selected', { parentRefs: [{ name: 'gw', namespace: 'default', sectionName: 'team' }] }, undefined, 'team'),
          rt('hosts', { parentRefs: [{ name: 'gw', namespace: 'default', sectionName: 'http' }], hostnames: ['example.org'] }),
        ],
      ),
      'nginx',
    );
    const reason = (n: string) => g.routes.find((r) => r.key.endsWith(`/${n}`))!.parents[0]!.conditions[0]!.reason;
    expect(reason('nosection')).toBe('NoMatchingParent');
    expect(reason('otherns')).toBe('NotAllowedByListeners');
    expect(reason('selected')).toBe('Accepted');
    expect(reason('hosts')).toBe('NoMatchingListenerHostname');
  });
});
