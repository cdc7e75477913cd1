import { describe, expect, it } from 'vitest';
import { buildNicConfig, chooseLocation, routeRequest, upstreamUri, type Location } from './routing';

const ing = (name: string, spec: any, extra: any = {}): any => ({ metadata: { name, namespace: 'default', creationTimestamp: extra.t ?? '2026-11-26T15:00:00Z', annotations: extra.annotations }, spec: { ingressClassName: 'nginx', ...spec } });
const p = (path: string, svc: string, pathType = 'Prefix') => ({ path, pathType, backend: { service: { name: svc, port: { number: 80 } } } });

describe('NIC configuration from Ingresses', () => {
  it('chooses exact, then the longest prefix (NGINX string prefix: /tea matches /teapot), regexes over prefixes', () => {
    const L = (kind: Location['kind'], path: string): Location => ({ kind, path, backend: { namespace: 'd', service: path, port: 80 }, rewrite: null, ingress: 'd/i' });
    const locs = [L('prefix', '/'), L('prefix', '/tea'), L('exact', '/tea'), L('prefix', '/tea/green')];
    expect(chooseLocation(locs, '/tea')!.kind).toBe('exact');
    expect(chooseLocation(locs, '/teapot')!.path).toBe('/tea');
    expect(chooseLocation(locs, '/tea/green/x')!.path).toBe('/tea/green');
    expect(chooseLocation(locs, '/coffee')!.path).toBe('/');
    expect(chooseLocation([L('prefix', '/tea'), L('regex', '/t[a-z]+')], '/tea')!.kind).toBe('regex');
    expect(chooseLocation([L('prefix', '/tea')], '/coffee')).toBeNull();
  });

  it('classes, host conflicts, rejections, defaultBackend and nginx.org/rewrites', () => {
    const cfg = buildNicConfig(
      [
        ing('b', { rules: [{ host: 'cafe.example.com', http: { paths: [p('/x', 'x')] } }] }, { t: '2026-11-26T15:05:00Z' }),
        ing('a', { defaultBackend: { service: { name: 'fallback', port: { number: 80 } } }, rules: [{ host: 'cafe.example.com', http: { paths: [p('/tea/', 'tea-svc'), p('/coffee/', 'coffee-svc')] } }] }, { annotations: { 'nginx.org/rewrites': 'serviceName=tea-svc rewrite=/;serviceName=coffee-svc rewrite=/beans/' } }),
        ing('other', { ingressClassName: 'traefik', rules: [{ host: 'x.example.com', http: { paths: [p('/', 'x')] } }] }),
        ing('nohost', { rules: [{ http: { paths: [p('/', 'x')] } }] }),
      ],
      'nginx',
      true,
    );
    expect(cfg.verdicts).toEqual([
      { key: 'default/a', ok: true, hosts: ['cafe.example.com'] },
      { key: 'default/nohost', ok: false, error: 'spec.rules[0].host: Required value', hosts: [] },
      { key: 'default/b', ok: false, error: 'All hosts are taken by other resources', hosts: [] },
    ]);
    const tea = routeRequest(cfg, 'cafe.example.com:32080', '/tea/abc?x=1');
    expect(tea.location!.backend.service).toBe('tea-svc');
    expect(upstreamUri(tea.location!, '/tea/abc?x=1')).toBe('/abc?x=1');
    expect(upstreamUri(routeRequest(cfg, 'CAFE.example.com', '/coffee/')!.location!, '/coffee/')).toBe('/beans/');
    expect(routeRequest(cfg, 'cafe.example.com', '/milk').location!.backend.service).toBe('fallback');
    expect(routeRequest(cfg, 'x.example.com', '/').server).toBeNull();
  });
});
