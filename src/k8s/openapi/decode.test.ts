import { beforeAll, describe, expect, it } from 'vitest';
import { loadOpenApi } from './openapi';
import { decodeObject, goPrint, sortedJson, timeError } from './decode';
import { undecodableBody } from './validate';
import { World } from '../../sim/world';
import { Api, initClusterState, StatusError } from '../api';

beforeAll(async () => {
  await loadOpenApi();
});

const dep = (spec: unknown) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' }, spec });
const conv = (o: Record<string, unknown>) => decodeObject(o, String(o.apiVersion), String(o.kind), 'converter');
const json = (o: Record<string, unknown>) => decodeObject(o, String(o.apiVersion), String(o.kind), 'json');
const err = (r: ReturnType<typeof conv>) => (r && !r.ok ? r.error : null);

describe('the unstructured converter (a strategic merge patch result)', () => {
  it('says what it cannot restore a struct, map or slice from', () => {
    expect(err(conv(dep('5}')))).toBe('cannot restore struct from: string');
    expect(err(conv(dep(5)))).toBe('cannot restore struct from: int64');
    expect(err(conv(dep([1])))).toBe('cannot restore struct from: slice');
    expect(err(conv(dep({ selector: { matchLabels: 'x' } })))).toBe('cannot restore map from string');
    expect(err(conv(dep({ template: { spec: { containers: { a: 1 } } } })))).toBe('cannot restore slice from map');
  });

  it('refuses scalars of another kind as Go converts them: int64 into a string, floats with a fraction into an int', () => {
    expect(err(conv(dep({ replicas: 'x' })))).toBe('unrecognized type: int32');
    expect(err(conv(dep({ replicas: 1.5 })))).toBe('cannot convert float64 to int32');
    expect(err(conv(dep({ paused: 'yes' })))).toBe('unrecognized type: bool');
    expect(err(conv({ apiVersion: 'v1', kind: 'Pod', metadata: { labels: { a: 5 } } }))).toBe('cannot convert int64 to string');
    expect(err(conv({ apiVersion: 'v1', kind: 'Pod', metadata: { labels: { a: true } } }))).toBe('unrecognized type: string');
    expect(err(conv({ apiVersion: 'v1', kind: 'Service', spec: { type: 5 } }))).toBe('cannot convert int64 to v1.ServiceType');
    expect(err(conv({ apiVersion: 'v1', kind: 'Pod', spec: { activeDeadlineSeconds: 'x' } }))).toBe('unrecognized type: int64');
    expect(conv(dep({ replicas: 3 }))?.ok).toBe(true);
  });

  it('runs the UnmarshalJSON of IntOrString, Quantity and Time, and decodes []byte from base64', () => {
    expect(err(conv({ apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80, targetPort: true }] } }))).toBe('json: cannot unmarshal bool into Go value of type int32');
    expect(conv({ apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80, targetPort: 'http' }] } })?.ok).toBe(true);
    const res = (memory: unknown) => ({ apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'c', resources: { limits: { memory } } }] } });
    expect(err(conv(res('abc')))).toBe("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    expect(err(conv(res('5Xi')))).toBe("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    expect(err(conv(res('5iK')))).toBe("unable to parse quantity's suffix");
    expect(conv(res('128Mi'))?.ok).toBe(true);
    expect(conv(res(1))?.ok).toBe(true);
    expect(err(conv({ apiVersion: 'v1', kind: 'Secret', data: { a: '!!' } }))).toBe('error decoding from json: illegal base64 data at input byte 0');
    expect(err(conv({ apiVersion: 'v1', kind: 'Secret', data: { a: 5 } }))).toBe('cannot restore slice from int64');
    expect(err(conv({ apiVersion: 'v1', kind: 'Pod', metadata: { creationTimestamp: 5 } }))).toBe('json: cannot unmarshal number into Go value of type string');
  });

  it('drops null fields and gives a null list item its zero value, keeping fields the schema does not know', () => {
    const r = conv(dep({ replicas: null, template: { spec: { containers: [null] } }, foo: 1 }));
    expect(r).toEqual({ ok: true, value: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' }, spec: { template: { spec: { containers: [{}] } }, foo: 1 } } });
  });

  it("keeps the input's key order (the decoders' order is only that of their checks), so a loaded schema changes no object", () => {
    const spec = { template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } }, selector: { matchLabels: { b: '1', a: '2' } }, replicas: 1 };
    for (const r of [conv(dep(spec)), json(dep(spec))]) {
      expect(r?.ok && JSON.stringify(r.value)).toBe(JSON.stringify(dep(spec)));
    }
  });

  it('checks nothing for kinds without a typed schema (CRDs)', () => {
    expect(conv({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', spec: 5 })).toBeNull();
  });
});

describe('the JSON decoder (a body, a merge or JSON patch result)', () => {
  it('names the innermost struct, the path of JSON names (no indices) and the Go type', () => {
    expect(err(json(dep(5)))).toBe('json: cannot unmarshal number into Go struct field Deployment.spec of type v1.DeploymentSpec');
    expect(err(json(dep({ replicas: 'x' })))).toBe('json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
    expect(err(json(dep({ replicas: 1.5 })))).toBe('json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32');
    expect(err(json(dep({ replicas: 2 ** 31 })))).toBe('json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32');
    expect(err(json(dep({ template: { spec: { containers: [{ name: 'c', image: 5 }] } } })))).toBe('json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string');
    expect(err(json(dep({ template: { spec: { containers: 'x' } } })))).toBe('json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container');
    expect(err(json({ apiVersion: 'v1', kind: 'Pod', metadata: { labels: { a: 5 } } }))).toBe('json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string');
  });

  it('keeps the first type error in key order, but a failing UnmarshalJSON stops it with its own message', () => {
    expect(err(json(dep({ replicas: 'x', paused: 'y' })))).toBe('json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool');
    expect(err(json(dep({ replicas: 'x', strategy: { rollingUpdate: { maxSurge: true } } })))).toBe('json: cannot unmarshal bool into Go value of type int32');
  });

  it('is what the create and update handlers answer, as a BadRequest naming the kind', () => {
    const e = undecodableBody(dep({ replicas: 'x' }));
    expect(e?.status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32' });
    expect(undecodableBody(dep({ replicas: 2 }))).toBeNull();
    expect(undecodableBody(null)).toBeNull();
  });
});

describe('printing', () => {
  it("prints the patch map as Go's %+v: sorted keys, bare strings, [a b] lists", () => {
    expect(goPrint({ spec: '5}' })).toBe('map[spec:5}]');
    expect(goPrint({ spec: { replicas: 'x', b: [1, 'two', true, null] }, a: 1.5 })).toBe('map[a:1.5 spec:map[b:[1 two true <nil>] replicas:x]]');
    expect(goPrint({ a: 1234567.5, b: 0.00001 })).toBe('map[a:1.2345675e+06 b:1e-05]');
    expect(sortedJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
  });

  it("gives time.Parse's RFC 3339 errors", () => {
    expect(timeError('2026-11-26T15:00:00Z')).toBeNull();
    expect(timeError('2026-11-26T15:00:00.5+01:00')).toBeNull();
    expect(timeError('x')).toBe('parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"');
    expect(timeError('2026-13-01T00:00:00Z')).toBe('parsing time "2026-13-01T00:00:00Z": month out of range');
    expect(timeError('2026-11-26')).toBe('parsing time "2026-11-26" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"');
  });
});

describe('the apiserver patch path', () => {
  function api() {
    const w = World.create({ seed: 3 });
    initClusterState(w);
    const a = new Api(w);
    a.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    a.create(dep({ replicas: 1, selector: { matchLabels: { app: 'w' } }, template: { metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } }), { namespace: 'default' });
    return a;
  }
  const statusOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof StatusError) return e.status;
      throw e;
    }
    return null;
  };

  it("refuses a strategic merge patch that does not decode with kube-apiserver's Invalid on the patch map", () => {
    const s = statusOf(() => api().patch('deployments', 'default', 'w', 'strategic', { spec: '5}' }));
    expect(s).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: ' "" is invalid: patch: Invalid value: "map[spec:5}]": cannot restore struct from: string',
      reason: 'Invalid',
      details: { causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: "map[spec:5}]": cannot restore struct from: string', field: 'patch' }] },
      code: 422,
    });
  });

  it('refuses merge and JSON patches with the patched object as the value, and leaves the object unchanged', () => {
    const a = api();
    const m = statusOf(() => a.patch('deployments', 'default', 'w', 'merge', { spec: 5 }));
    expect(m?.message).toMatch(/^ "" is invalid: patch: Invalid value: "\{\\"apiVersion\\":\\"apps\/v1\\",\\"kind\\":\\"Deployment\\",.*\\"spec\\":5.*": json: cannot unmarshal number into Go struct field Deployment.spec of type v1.DeploymentSpec$/);
    const j = statusOf(() => a.patch('deployments', 'default', 'w', 'json', [{ op: 'replace', path: '/spec/replicas', value: 'x' }]));
    expect(j?.message).toMatch(/json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32$/);
    expect(a.get('deployments', 'default', 'w').spec?.replicas).toBe(1);
    expect(a.patch('deployments', 'default', 'w', 'strategic', { spec: { replicas: 3 } }).spec?.replicas).toBe(3);
  });
});
