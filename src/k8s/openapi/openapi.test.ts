import { describe, expect, it } from 'vitest';
import { RESOURCES } from '../api';
import { groupVersionDocument, loadOpenApi, openApiIndex, schemaNameOf } from './openapi';

const gvsOf = () => {
  const m = new Map<string, typeof RESOURCES>();
  for (const r of RESOURCES.filter((x) => !x.crd)) {
    const gv = r.group ? `${r.group}/${r.version}` : r.version;
    if (!m.has(gv)) m.set(gv, []);
    m.get(gv)!.push(r);
  }
  return m;
};

describe('the OpenAPI v3 documents built from the v1.33 schema data', () => {
  it('indexes each group version with a kind in the data, under a hash that changes with the document', async () => {
    const data = await loadOpenApi();
    const idx = openApiIndex(data, gvsOf(), 'v1.33.4');
    expect(Object.keys(idx.paths)).toEqual(expect.arrayContaining(['api/v1', 'apis/apps/v1', 'apis/networking.k8s.io/v1', 'apis/discovery.k8s.io/v1']));
    expect(idx.paths['api/v1'].serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{16}$/);
    const other = openApiIndex(data, gvsOf(), 'v1.33.5');
    expect(other.paths['api/v1'].serverRelativeURL).not.toBe(idx.paths['api/v1'].serverRelativeURL);
  });

  it('gives each resource paths whose operations carry its kind, PATCH with fieldValidation (kubectl then validates on the server)', async () => {
    const data = await loadOpenApi();
    const { doc } = groupVersionDocument(data, 'apps/v1', gvsOf().get('apps/v1')!, 'v1.33.4');
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', kind: 'Deployment', version: 'v1' });
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
    const dep = doc.components.schemas['io.k8s.api.apps.v1.Deployment'];
    expect(dep['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    // the schemas the kind reaches come along: PodSpec from another package, ObjectMeta from apimachinery
    expect(doc.components.schemas['io.k8s.api.core.v1.PodSpec'].required).toEqual(['containers']);
    expect(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']).toBeDefined();
    expect(dep.properties.spec).toMatchObject({ allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }] });
  });

  it('keeps v1.33 facts: enums with their descriptions, 1.33 fields and not 1.34 ones', async () => {
    const data = await loadOpenApi();
    const { doc } = groupVersionDocument(data, 'v1', gvsOf().get('v1')!, 'v1.33.4');
    const port = doc.components.schemas['io.k8s.api.core.v1.ServicePort'];
    expect(port.properties.protocol.enum).toEqual(['SCTP', 'TCP', 'UDP']);
    expect(port.properties.protocol.description).toContain('Possible enum values:\n - `"SCTP"` is the SCTP protocol.');
    expect(doc.components.schemas['io.k8s.api.core.v1.Lifecycle'].properties.stopSignal).toBeDefined();
    expect(doc.components.schemas['io.k8s.api.core.v1.PodSpec'].properties.hostnameOverride).toBeUndefined();
    expect(schemaNameOf(data, '', 'v1', 'Pod')).toBe('io.k8s.api.core.v1.Pod');
  });
});

describe("the installed CRDs' documents", () => {
  const crdGv = (gv: string) => RESOURCES.filter((r) => r.crd && `${r.group}/${r.version}` === gv);

  it("publish each kind's structural schema as kube-apiserver's CRD builder does: ObjectMeta by reference, TypeMeta, the GVK", async () => {
    const data = await loadOpenApi();
    const { doc } = groupVersionDocument(data, 'gateway.networking.k8s.io/v1', crdGv('gateway.networking.k8s.io/v1'), 'v1.33.4');
    const gw = doc.components.schemas['io.k8s.networking.gateway.v1.Gateway'];
    expect(gw['x-kubernetes-group-version-kind']).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', version: 'v1' }]);
    expect(gw.required).toEqual(['spec']);
    expect(gw.properties.metadata).toEqual({ allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }], description: expect.stringMatching(/^Standard object's metadata\./) });
    expect(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']).toBeDefined();
    expect(gw.properties.apiVersion.description).toMatch(/^APIVersion defines the versioned schema/);
    // the Gateway API v1.4.1 schema itself: a listener's required fields, the protocol's pattern, defaults
    const listener = gw.properties.spec.properties.listeners.items;
    expect(listener.required).toEqual(['name', 'port', 'protocol']);
    expect(listener.properties.port).toMatchObject({ type: 'integer', format: 'int32', maximum: 65535, minimum: 1 });
    expect(listener.properties.allowedRoutes.default).toEqual({ namespaces: { from: 'Same' } });
    const route = doc.components.schemas['io.k8s.networking.gateway.v1.HTTPRoute'];
    expect(route.properties.spec.properties.rules.items.properties.backendRefs.items.properties.kind.default).toBe('Service');
  });

  it("MetalLB's kinds, and the free-form fallback of a CRD kind without a schema in the data", async () => {
    const data = await loadOpenApi();
    const { doc } = groupVersionDocument(data, 'metallb.io/v1beta1', crdGv('metallb.io/v1beta1'), 'v1.33.4');
    const pool = doc.components.schemas['io.metallb.v1beta1.IPAddressPool'];
    expect(pool.properties.spec.required).toEqual(['addresses']);
    expect(pool.properties.spec.properties.autoAssign).toMatchObject({ type: 'boolean', default: true });
    const bare = { ...data, crds: {} };
    const fake = [{ ...crdGv('metallb.io/v1beta1')[0]!, version: 'v9' }];
    const d2 = groupVersionDocument(bare, 'metallb.io/v9', fake, 'v1.33.4').doc;
    expect(d2.components.schemas['io.metallb.v9.IPAddressPool'].properties.spec).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  });
});
