import { describe, expect, it } from 'vitest';
import { World } from '../../sim/world';
import { Api, initClusterState, StatusError, rfc3339 } from './index';

function fresh(): Api {
  const w = World.create({ seed: 7 });
  initClusterState(w);
  const api = new Api(w);
  for (const ns of ['default', 'kube-system']) api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  api.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'default' } });
  return api;
}

function err(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('object store', () => {
  it('creates with system metadata and defaults a Pod as the apiserver does', () => {
    const api = fresh();
    const p = api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [{ name: 'x', image: 'nginx' }] } }) as any;
    expect(p.metadata.namespace).toBe('default');
    expect(p.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(p.metadata.creationTimestamp).toBe(rfc3339(0));
    expect(p.metadata.generation).toBeUndefined();
    expect(p.spec.restartPolicy).toBe('Always');
    expect(p.spec.dnsPolicy).toBe('ClusterFirst');
    expect(p.spec.serviceAccountName).toBe('default');
    expect(p.spec.containers[0].imagePullPolicy).toBe('Always');
    expect(p.spec.containers[0].terminationMessagePath).toBe('/dev/termination-log');
    expect(p.spec.tolerations.map((t: any) => t.key)).toEqual(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
    const vol = p.spec.volumes[0].name as string;
    expect(vol).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(p.spec.containers[0].volumeMounts).toEqual([{ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: vol, readOnly: true }]);
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    expect(api.get('pods', 'default', 'x').metadata.uid).toBe(p.metadata.uid);
  });

  it('words NotFound, AlreadyExists and Invalid as kube-apiserver', () => {
    const api = fresh();
    expect(err(() => api.get('pods', 'default', 'nope')).message).toBe('pods "nope" not found');
    expect(err(() => api.get('deployments', 'default', 'web')).message).toBe('deployments.apps "web" not found');
    api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
    const dup = err(() => api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }));
    expect([dup.code, dup.reason, dup.message]).toEqual([409, 'AlreadyExists', 'configmaps "c" already exists']);
    const bad = err(() => api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'Web' }, spec: { containers: [{ name: 'c' }] } }));
    expect(bad.code).toBe(422);
    expect(bad.message).toBe(
      `Pod "Web" is invalid: [metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), spec.containers[0].image: Required value]`,
    );
    const sel = err(() => api.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'n', image: 'nginx' }] } } } }));
    expect(sel.message).toBe('Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`');
    expect(err(() => api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'nope' } })).message).toBe('namespaces "nope" not found');
  });

  it('detects a stale resourceVersion (Conflict) and bumps generation only on spec changes', () => {
    const api = fresh();
    const d = api.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'n', image: 'nginx' }] } } } }) as any;
    expect(d.metadata.generation).toBe(1);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    const d2 = api.update({ ...d, metadata: { ...d.metadata, labels: { a: 'b' } } }) as any;
    expect(d2.metadata.generation).toBe(1);
    const d3 = api.update({ ...d2, spec: { ...d2.spec, replicas: 3 } }) as any;
    expect(d3.metadata.generation).toBe(2);
    // the same spec with its maps' keys in another order (as a patch or a decode may leave them) is no change
    const t = d3.spec.template;
    const reordered = { ...d3, spec: { ...d3.spec, template: { spec: t.spec, metadata: Object.fromEntries(Object.entries(t.metadata).reverse()) } } };
    expect(Object.keys(reordered.spec.template.metadata)).not.toEqual(Object.keys(t.metadata));
    expect((api.update(reordered) as any).metadata.generation).toBe(2);
    const c = err(() => api.update(d));
    expect([c.code, c.message]).toEqual([409, 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again']);
  });

  it('lists in key order with label and field selectors', () => {
    const api = fresh();
    for (const [n, app] of [['b', 'web'], ['a', 'web'], ['c', 'db']] as const) api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, labels: { app } } });
    expect(api.list('configmaps', 'default').items.map((x) => x.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(api.list('configmaps', 'default', { labelSelector: 'app=web' }).items.map((x) => x.metadata.name)).toEqual(['a', 'b']);
    expect(api.list('configmaps', 'default', { labelSelector: 'app in (db),app notin (web)' }).items.map((x) => x.metadata.name)).toEqual(['c']);
    expect(api.list('configmaps', null, { fieldSelector: 'metadata.name!=a' }).items.map((x) => x.metadata.name)).toEqual(['b', 'c']);
    expect(err(() => api.list('configmaps', null, { fieldSelector: 'spec.foo=1' })).message).toBe('field label not supported: spec.foo');
  });

  it('allocates ClusterIPs and NodePorts from the configured ranges and reports conflicts', () => {
    const api = fresh();
    const k = api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] } }) as any;
    expect(k.spec.clusterIPs).toEqual(['10.96.0.1']);
    expect(k.spec.ipFamilies).toEqual(['IPv4']);
    expect(k.spec.ipFamilyPolicy).toBe('SingleStack');
    expect(k.spec.internalTrafficPolicy).toBe('Cluster');
    const np = api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80 }] } }) as any;
    expect(np.spec.ports[0]).toMatchObject({ port: 80, protocol: 'TCP', targetPort: 80 });
    expect(np.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(np.spec.ports[0].nodePort).toBeLessThanOrEqual(32767);
    expect(np.spec.externalTrafficPolicy).toBe('Cluster');
    const ip = np.spec.clusterIP as string;
    expect(ip.startsWith('10.')).toBe(true);
    const dupIp = err(() => api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'other' }, spec: { clusterIP: ip, ports: [{ port: 80 }] } }));
    expect(dupIp.message).toBe(`Service "other" is invalid: spec.clusterIPs: Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: provided IP is already allocated`);
    const range = err(() => api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'other' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] } }));
    expect(range.message).toBe('Service "other" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767');
    api.delete('services', 'default', 'web');
    // the address is free again
    expect(api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'again' }, spec: { clusterIP: ip, ports: [{ port: 80 }] } }).spec?.clusterIP).toBe(ip);
  });

  it('applies merge, strategic and json patches', () => {
    const api = fresh();
    api.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'busybox' }] } } } });
    const s = api.patch('deployments', 'default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'b', image: 'busybox:1.36' }] } } } }) as any;
    expect(s.spec.template.spec.containers.map((c: any) => c.image)).toEqual(['nginx', 'busybox:1.36']);
    const m = api.patch('deployments', 'default', 'web', 'merge', { spec: { replicas: 4 } }) as any;
    expect(m.spec.replicas).toBe(4);
    const j = api.patch('deployments', 'default', 'web', 'json', [{ op: 'replace', path: '/spec/replicas', value: 2 }]) as any;
    expect(j.spec.replicas).toBe(2);
    expect(j.metadata.generation).toBe(4);
  });

  it('deletes a scheduled pod gracefully and an unscheduled one at once; namespaces go Terminating', () => {
    const api = fresh();
    api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'x', image: 'nginx' }] } });
    api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' }, spec: { nodeName: 'node01', containers: [{ name: 'x', image: 'nginx' }] } });
    expect(api.delete('pods', 'default', 'a').gone).toBe(true);
    const r = api.delete('pods', 'default', 'b');
    expect(r.gone).toBe(false);
    expect(r.object.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(r.object.metadata.deletionTimestamp).toBe(rfc3339(30_000));
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } });
    expect(api.delete('namespaces', null, 'dev').object.status?.phase).toBe('Terminating');
    expect(err(() => api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'dev' } })).message).toBe('configmaps "c" is forbidden: unable to create new content in namespace dev because it is being terminated');
  });

  it('is deterministic under a seed and survives a snapshot round-trip', () => {
    let port: number | undefined;
    const run = () => {
      const api = fresh();
      port = (api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } }) as unknown as { spec: { ports: { nodePort: number }[] } }).spec.ports[0]!.nodePort;
      return api.world.snapshot();
    };
    const a = run();
    expect(run()).toBe(a);
    const w = World.restore(a);
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(new Api(w).get('services', 'default', 'web').spec?.ports?.[0]?.nodePort).toBe(port);
  });
});

describe('the health check node port', () => {
  it('is allocated for a LoadBalancer with externalTrafficPolicy Local, released when the policy changes, refused elsewhere', () => {
    const api = fresh();
    const s = api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', selector: { app: 'x' }, ports: [{ port: 80 }] } }) as any;
    const hc: number = s.spec.healthCheckNodePort;
    expect(hc).toBeGreaterThanOrEqual(30000);
    expect(hc).not.toBe(s.spec.ports[0].nodePort);
    expect(api.state.alloc.nodePorts[hc]).toBe('default/lb');
    // kept across an update that does not send it
    const kept = api.patch('services', 'default', 'lb', 'merge', { metadata: { labels: { a: 'b' } } }) as any;
    expect(kept.spec.healthCheckNodePort).toBe(hc);
    // Cluster: the port goes and is free again
    const cluster = api.patch('services', 'default', 'lb', 'merge', { spec: { externalTrafficPolicy: 'Cluster' } }) as any;
    expect(cluster.spec.healthCheckNodePort).toBeUndefined();
    expect(api.state.alloc.nodePorts[hc]).toBeUndefined();
    const e = err(() => api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'np' }, spec: { type: 'NodePort', healthCheckNodePort: 31999, selector: { app: 'x' }, ports: [{ port: 80 }] } }));
    expect(e.status.message).toContain("spec.healthCheckNodePort: Invalid value: 31999: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
  });
});

describe('a create that carries a resourceVersion', () => {
  it('is refused by storage as a 500 without a reason, unless it is no uint64 version or a dry run', () => {
    const w = World.create({ seed: 1 });
    initClusterState(w);
    const api = new Api(w);
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    const cm = (name: string, resourceVersion: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', resourceVersion } });
    let err: unknown;
    try {
      api.create(cm('a', '12345'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).status).toMatchObject({ code: 500, reason: '', message: 'resourceVersion should not be set on objects to be created' });
    expect(api.create(cm('b', '12345'), { dryRun: true }).metadata.name).toBe('b');
    for (const [n, rv] of [['c', '-1'], ['d', '0'], ['e', 'abc']]) expect(api.create(cm(n!, rv!)).metadata.resourceVersion).not.toBe(rv);
  });
});
