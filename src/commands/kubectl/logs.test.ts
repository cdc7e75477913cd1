import { describe, expect, it } from 'vitest';
import { adminKubeconfig } from './kubeconfig.test-util';
import { World } from '../../sim/world';
import { bootstrapCluster } from '../../k8s/bootstrap';
import { kubectl } from './index';
import type { Sys } from '../types';

function runner(w: World) {
  const sys: Sys = { world: w, host: 'controlplane', ns: w.host('controlplane').rootNs, tty: false, columns: 80, withNs: (_n, fn) => fn(), readFile: adminKubeconfig, writeFile: () => {}, onHost: (_h, fn) => fn(), login: () => {} };
  const io = { stdin: '', cwd: '/root', env: { HOME: '/root' }, exec: async () => ({ stdout: '', stderr: '', exitCode: 0 }), signal: null };
  return (line: string) => kubectl.run(line.split(' ').slice(1), io, sys);
}

describe('kubectl logs -l', () => {
  it("selects the pods by label instead of a name: each pod's last lines (10 unless --tail says otherwise)", async () => {
    const w = World.create({ seed: 51 });
    bootstrapCluster(w);
    const k = runner(w);
    const r = await k('kubectl -n kube-system logs -l k8s-app=kube-proxy --tail=1');
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => /"Caches are synced" controller="node config"$/.test(l))).toBe(true);
    expect((await k('kubectl -n kube-system logs -l k8s-app=kube-proxy')).stdout.trimEnd().split('\n')).toHaveLength(20);
    const none = await k('kubectl logs -l app=nothing');
    expect(none).toMatchObject({ exitCode: 0 });
    // without a name or a selector, still kubectl's usage error
    expect((await k('kubectl logs')).exitCode).toBe(1);
  });
});
