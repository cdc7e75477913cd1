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
