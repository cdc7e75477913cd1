import { describe, expect, it } from 'vitest';
import { World } from '../../sim/world';
import { Api, initClusterState } from '../api';
import { handleRequest } from './handler';
import { decodeProtobufObject } from './protobuf';
import { loadOpenApi } from '../openapi/openapi';

function world(): World {
  const w = World.create({ seed: 5 });
  initClusterState(w);
  const api = new Api(w);
  for (const ns of ['default', 'kube-system']) api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] } });
  return w;
}
const get = (w: World, url: string, accept = 'application/json') => handleRequest(w, { method: 'GET', url, headers: { accept }, body: '' });

describe('the API over HTTP', () => {
  it('serves /openapi/v3 and each group version’s document at the URL the index gives', async () => {
    const w = world();
    await loadOpenApi();
    const idx = JSON.parse(get(w, '/openapi/v3').body);
    const url = idx.paths['apis/networking.k8s.io/v1'].serverRelativeURL as string;
    const doc = JSON.parse(get(w, url).body);
    expect(doc.components.schemas['io.k8s.api.networking.v1.NetworkPolicy']['x-kubernetes-group-version-kind']).toEqual([{ group: 'networking.k8s.io', kind: 'NetworkPolicy', version: 'v1' }]);
    expect(get(w, '/openapi/v3/apis/apps/v9').status).toBe(404);
    expect(get(w, '/openapi/v2').status).toBe(404);
  });

  it('serves discovery and /version', () => {
    const w = world();
    expect(JSON.parse(get(w, '/api').body).versions).toEqual(['v1']);
    const apps = JSON.parse(get(w, '/apis/apps/v1').body);
    expect(apps.resources.map((r: { name: string }) => r.name)).toContain('deployments/scale');
    expect(JSON.parse(get(w, '/apis').body).groups.map((g: { name: string }) => g.name)).toContain('networking.k8s.io');
    expect(JSON.parse(get(w, '/version').body).gitVersion).toMatch(/^v1\.33\./);
  });

  it('lists as a Table with the printers’ columns, and words errors as a Status', () => {
    const w = world();
    const t = JSON.parse(get(w, '/api/v1/namespaces/default/services', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json').body);
    expect(t.kind).toBe('Table');
    expect(t.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']);
    expect(t.rows[0].cells.slice(0, 5)).toEqual(['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP']);
    expect(t.rows[0].object.kind).toBe('PartialObjectMetadata');
    const nf = get(w, '/api/v1/namespaces/default/pods/nope');
    expect(nf.status).toBe(404);
    expect(JSON.parse(nf.body)).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'pods "nope" not found', code: 404 });
  });

  it('creates from JSON, patches (merge) and scales', () => {
    const w = world();
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
    expect(handleRequest(w, { method: 'POST', url: '/api/v1/namespaces/default/configmaps', headers: { 'content-type': 'application/json' }, body }).status).toBe(201);
    const p = handleRequest(w, { method: 'PATCH', url: '/api/v1/namespaces/default/configmaps/c', headers: { 'content-type': 'application/merge-patch+json' }, body: '{"data":{"b":"2"}}' });
    expect(JSON.parse(p.body).data).toEqual({ a: '1', b: '2' });
    const dry = handleRequest(w, { method: 'DELETE', url: '/api/v1/namespaces/default/configmaps/c?dryRun=All', headers: {}, body: '' });
    expect(dry.status).toBe(200);
    expect(get(w, '/api/v1/namespaces/default/configmaps/c').status).toBe(200);
  });

  it('refuses a body or a patch whose fields do not decode into the kind, with the Status kube-apiserver sends', async () => {
    const w = world();
    await loadOpenApi();
    const post = (body: unknown) => handleRequest(w, { method: 'POST', url: '/api/v1/namespaces/default/configmaps', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const bad = post({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 1 } });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string', reason: 'BadRequest', code: 400 });
    expect(post({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } }).status).toBe(201);
    const patch = handleRequest(w, { method: 'PATCH', url: '/api/v1/namespaces/default/configmaps/c', headers: { 'content-type': 'application/strategic-merge-patch+json' }, body: '{"data":"x"}' });
    expect(patch.status).toBe(422);
    expect(JSON.parse(patch.body)).toMatchObject({ reason: 'Invalid', message: ' "" is invalid: patch: Invalid value: "map[data:x]": cannot restore map from string', details: { causes: [{ reason: 'FieldValueInvalid', field: 'patch' }] } });
  });

  it('decodes the protobuf body kubectl create deployment sends', () => {
    // captured from kubectl 1.33: create deployment web --image=nginx --replicas=3 (the fields it sets)
    const enc = (f: number, v: Uint8Array | string | number): number[] => {
      if (typeof v === 'number') return [f * 8, v];
      const b = typeof v === 'string' ? new TextEncoder().encode(v) : v;
      return [f * 8 + 2, b.length, ...b];
    };
    const msg = (...parts: number[][]) => new Uint8Array(parts.flat());
    const labels = msg(enc(1, 'app'), enc(2, 'web'));
    const meta = msg(enc(1, 'web'), enc(11, labels));
    const container = msg(enc(1, 'nginx'), enc(2, 'nginx'), enc(8, new Uint8Array()));
    const spec = msg(enc(1, 3), enc(2, msg(enc(1, labels))), enc(3, msg(enc(1, msg(enc(11, labels))), enc(2, msg(enc(2, container))))));
    const raw = msg(enc(1, meta), enc(2, spec));
    const unknown = msg(enc(1, msg(enc(1, 'apps/v1'), enc(2, 'Deployment'))), enc(2, raw));
    const body = new Uint8Array([0x6b, 0x38, 0x73, 0, ...unknown]);
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }] } } },
    });
  });
});
