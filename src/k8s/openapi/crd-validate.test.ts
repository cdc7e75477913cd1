// Custom resources through their CRDs' structural schemas (Gateway API v1.4.1, MetalLB v0.15.2): pruning's
// unknown fields, structural defaulting, and the CRD validation's field errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { crdStructural, loadOpenApi, type Json } from './openapi';
import { crdSchemaErrors, crdUnknownFields, pruneAndDefault } from './crd-validate';
import { fieldErrorText } from '../api/errors';
import { unknownFields } from './validate';

let gateway: Json;
let route: Json;
let pool: Json;
beforeAll(async () => {
  const data = await loadOpenApi();
  gateway = crdStructural(data, { group: 'gateway.networking.k8s.io', version: 'v1', kind: 'Gateway' })!;
  route = crdStructural(data, { group: 'gateway.networking.k8s.io', version: 'v1', kind: 'HTTPRoute' })!;
  pool = crdStructural(data, { group: 'metallb.io', version: 'v1beta1', kind: 'IPAddressPool' })!;
});

const gw = (listener: Json) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', colour: 1 }, spec: { gatewayClassName: 'nginx', listeners: [listener] } });

describe('CRD structural schemas', () => {
  it('unknown fields, sorted as pruning returns them; metadata is checked as ObjectMeta', () => {
    const obj = { ...gw({ name: 'http', port: 80, protocol: 'HTTP', zeta: 1, alpha: 2 }), extra: true };
    expect(crdUnknownFields(gateway, obj)).toEqual(['extra', 'spec.listeners[0].alpha', 'spec.listeners[0].zeta']);
    expect(unknownFields(obj)).toEqual(['extra', 'metadata.colour', 'spec.listeners[0].alpha', 'spec.listeners[0].zeta']);
  });

  it('pruning drops them; defaulting fills what the schema defaults, status included (Waiting for controller)', () => {
    const obj: Json = gw({ name: 'http', port: 80, protocol: 'HTTP', zeta: 1 });
    pruneAndDefault(gateway, obj);
    expect(obj.spec.listeners).toEqual([{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }]);
    expect(obj.metadata).toEqual({ name: 'gw', colour: 1 });
    expect(obj.status.conditions.map((c: Json) => `${c.type} ${c.status} ${c.reason} ${c.lastTransitionTime}`)).toEqual(['Accepted Unknown Pending 1970-01-01T00:00:00Z', 'Programmed Unknown Pending 1970-01-01T00:00:00Z']);
    const r: Json = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r' }, spec: { rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] } };
    pruneAndDefault(route, r);
    expect(r.spec.rules[0]).toEqual({ backendRefs: [{ group: '', kind: 'Service', name: 'web', port: 80, weight: 1 }], matches: [{ path: { type: 'PathPrefix', value: '/' } }] });
    const p: Json = { spec: { addresses: ['192.168.121.200-192.168.121.250'] } };
    pruneAndDefault(pool, p);
    expect(p.spec).toEqual({ addresses: ['192.168.121.200-192.168.121.250'], autoAssign: true, avoidBuggyIPs: false });
  });

  it("validation's messages: type, required, bounds, enum, pattern", () => {
    const errs = (s: Json, o: Json) => crdSchemaErrors(s, o).map(fieldErrorText);
    expect(errs(gateway, gw({ port: '80', protocol: 'HTTP' }))).toEqual(['spec.listeners[0].name: Required value', 'spec.listeners[0].port: Invalid value: "string": spec.listeners[0].port in body must be of type integer: "string"']);
    expect(errs(gateway, gw({ name: 'http', port: 0, protocol: 'HTTP' }))).toEqual(['spec.listeners[0].port: Invalid value: 0: spec.listeners[0].port in body should be greater than or equal to 1']);
    expect(errs(gateway, gw({ name: 'Bad_Name', port: 80, protocol: 'HTTP' }))).toEqual(["spec.listeners[0].name: Invalid value: \"Bad_Name\": spec.listeners[0].name in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'"]);
    const r = { spec: { rules: [{ matches: [{ path: { type: 'Glob', value: '/' } }] }] } };
    expect(errs(route, r)).toEqual(['spec.rules[0].matches[0].path.type: Unsupported value: "Glob": supported values: "Exact", "PathPrefix", "RegularExpression"']);
    expect(errs(gateway, { spec: {} })).toEqual(['spec.gatewayClassName: Required value', 'spec.listeners: Required value']);
    expect(errs(gateway, gw({ name: 'http', port: 80, protocol: 'HTTP' }))).toEqual([]);
  });
});
