import { describe, expect, it } from 'vitest';
import { adminKubeconfig } from '../kubeconfig.test-util';
import { World } from '../../../sim/world';
import { Api, initClusterState } from '../../../k8s/api';
import { kubectl } from '../index';
import { kube } from '../../../k8s/cluster';
import type { Sys } from '../../types';

function world(): { w: World; api: Api } {
  const w = World.create({ seed: 5 });
  w.addHost('controlplane');
  initClusterState(w);
  const api = new Api(w);
  for (const ns of ['default', 'kube-system']) {
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    api.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } });
  }
  api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { clusterIP: '10.96.0.20', selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] } });
  const eps = ['10.244.1.2', '10.244.1.3', '10.244.2.2', '10.244.2.3'].map((ip, i) => ({ addresses: [ip], conditions: { ready: i !== 1 } }));
  api.create({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abcde', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', ports: [{ name: '', port: 8080, protocol: 'TCP' }], endpoints: eps });
  for (const n of ['web-1', 'web-2']) api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: n, namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } });
  return { w, api };
}

function runner(w: World) {
  const sys: Sys = { world: w, host: 'controlplane', ns: 'ns1', tty: true, columns: 80, withNs: (_n, fn) => fn(), readFile: adminKubeconfig, writeFile: () => {}, onHost: (_h, fn) => fn(), login: () => {} };
  const io = { stdin: '', cwd: '/root', env: { HOME: '/root' }, exec: async () => ({ stdout: '', stderr: '', exitCode: 0 }), signal: null };
  return (line: string) => kubectl.run(line.split(' ').slice(1), io, sys);
}

describe('kubectl describe', () => {
  it('service: its ready endpoints from the EndpointSlices, three at most, the rest counted', async () => {
    const { w } = world();
    const r = await runner(w)('kubectl describe svc web');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('\nPort:                     <unset>  80/TCP\nTargetPort:               8080/TCP\nEndpoints:                10.244.1.2:8080,10.244.2.2:8080,10.244.2.3:8080\n');
    const { w: w2, api } = world();
    const s = api.get('endpointslices', 'default', 'web-abcde') as any;
    s.endpoints.push({ addresses: ['10.244.3.9'], conditions: { ready: true } });
    api.update(s);
    expect((await runner(w2)('kubectl describe svc web')).stdout).toContain('Endpoints:                10.244.1.2:8080,10.244.2.2:8080,10.244.2.3:8080 + 1 more...\n');
  });

  it('a name that matches nothing exactly describes the objects it prefixes, else the server error', async () => {
    const { w } = world();
    const k = runner(w);
    const r = await k('kubectl describe pod web');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.match(/^Name: +web-\d$/gm)).toEqual(['Name:             web-1', 'Name:             web-2']);
    const nope = await k('kubectl describe pod nope');
    expect(nope.exitCode).toBe(1);
    expect(nope.stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    const empty = await k('kubectl describe pods -n kube-system');
    expect(empty.exitCode).toBe(0);
    expect(empty.stderr).toBe('No resources found in kube-system namespace.\n');
  });

  it('events: the ones about this object, oldest first, repeats counted', async () => {
    const { w, api } = world();
    api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'default' }, data: { color: 'blue' } });
    const cm = api.get('configmaps', 'default', 'app');
    const rec = (type: 'Normal' | 'Warning', reason: string, message: string) => {
      const a = kube(w)!;
      a.list('namespaces', null); // a request brings the cluster's clock to the world's
      a.recordEvent(cm, { type, reason, message, component: 'netlab-test' });
    };
    rec('Normal', 'Loaded', 'read by the app');
    w.advance(5000);
    for (let i = 0; i < 2; i++) {
      rec('Warning', 'Stale', 'color is out of date');
      w.advance(10_000);
    }
    const r = await runner(w)('kubectl describe cm app');
    expect(r.stdout).toBe(
      'Name:         app\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nData\n====\ncolor:\n----\nblue\n\n\nBinaryData\n====\n\n' +
        'Events:\n  Type     Reason  Age                From         Message\n  ----     ------  ----               ----         -------\n' +
        '  Normal   Loaded  25s                netlab-test  read by the app\n  Warning  Stale   10s (x2 over 20s)  netlab-test  color is out of date\n',
    );
    expect((await runner(w)('kubectl describe cm kube-root-ca.crt')).stdout).toMatch(/Events: +<none>\n$/);
  });
});
