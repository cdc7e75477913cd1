import { describe, expect, it } from 'vitest';
import { adminKubeconfig } from './kubeconfig.test-util';
import { World } from '../../sim/world';
import { Api, initClusterState } from '../../k8s/api';
import { kubectl } from './index';
import type { Sys } from '../types';

function setup() {
  const w = World.create({ seed: 7 });
  w.addHost('controlplane');
  initClusterState(w);
  const api = new Api(w);
  api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'default', labels: { tier: 'web' } }, data: { color: 'blue' } });
  const sys: Sys = { world: w, host: 'controlplane', ns: 'ns1', tty: true, columns: 80, withNs: (_n, fn) => fn(), readFile: adminKubeconfig, writeFile: () => {}, onHost: (_h, fn) => fn(), login: () => {} };
  const io = { stdin: '', cwd: '/root', env: { HOME: '/root' }, exec: async () => ({ stdout: '', stderr: '', exitCode: 0 }), signal: null };
  return { api, k: (...args: string[]) => kubectl.run(args, io, sys) };
}

describe('kubectl patch', () => {
  it('merge, strategic and JSON patches change the object; the same patch again changes nothing', async () => {
    const { api, k } = setup();
    expect((await k('patch', 'cm', 'app', '-p', '{"data":{"color":"red"}}')).stdout).toBe('configmap/app patched\n');
    expect((api.get('configmaps', 'default', 'app') as any).data.color).toBe('red');
    expect((await k('patch', 'cm', 'app', '-p', '{"data":{"color":"red"}}')).stdout).toBe('configmap/app patched (no change)\n');
    expect((await k('patch', 'cm/app', '--type=merge', '-p', 'data: {size: "10"}')).stdout).toBe('configmap/app patched\n');
    expect((await k('patch', 'cm', 'app', '--type=json', '-p', '[{"op":"remove","path":"/metadata/labels/tier"}]')).exitCode).toBe(0);
    const cm = api.get('configmaps', 'default', 'app') as any;
    expect(cm.data).toEqual({ color: 'red', size: '10' });
    expect(cm.metadata.labels ?? {}).toEqual({});
  });

  it('dry runs leave the object alone; errors are kubectl and the server words', async () => {
    const { api, k } = setup();
    expect((await k('patch', 'cm', 'app', '-p', '{"data":{"color":"red"}}', '--dry-run=client')).stdout).toBe('configmap/app patched\n');
    expect((await k('patch', 'cm', 'app', '-p', '{"data":{"color":"red"}}', '--dry-run=server', '-o', 'jsonpath={.data.color}')).stdout).toBe('red');
    expect((api.get('configmaps', 'default', 'app') as any).data.color).toBe('blue');
    const none = await k('patch', 'cm', 'nope', '-p', '{}');
    expect([none.exitCode, none.stderr]).toEqual([1, 'Error from server (NotFound): configmaps "nope" not found\n']);
    const bad = await k('patch', 'cm', 'app', '--type=bogus', '-p', '{}');
    expect([bad.exitCode, bad.stderr]).toEqual([1, 'error: --type must be one of [json merge strategic], not "bogus"\n']);
    const missing = await k('patch', 'cm', 'app');
    expect(missing.stderr).toBe('error: must specify --patch or --patch-file containing the contents of the patch\n');
  });
});
