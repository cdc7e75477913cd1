import { describe, expect, it } from 'vitest';
import { adminKubeconfig } from './kubeconfig.test-util';
import { World } from '../../sim/world';
import { Api, initClusterState } from '../../k8s/api';
import { kubectl } from './index';
import type { Sys } from '../types';

/** A cluster with a ConfigMap, and an "editor" run through io.exec that applies `edit` to the file's text. */
function setup(edit: (text: string, round: number) => string) {
  const w = World.create({ seed: 9 });
  w.addHost('controlplane');
  initClusterState(w);
  const api = new Api(w);
  api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'default' }, data: { color: 'blue' } });
  const files = new Map<string, string>();
  const seen: string[] = [];
  const sys: Sys = { world: w, host: 'controlplane', ns: 'ns1', tty: true, columns: 80, withNs: (_n, fn) => fn(), readFile: (p) => files.get(p) ?? adminKubeconfig(p), writeFile: (p, c) => void files.set(p, c), onHost: (_h, fn) => fn(), login: () => {} };
  const exec = async (line: string) => {
    const [cmd, file] = line.split(' ');
    if (cmd === 'myeditor') {
      seen.push(files.get(file!)!);
      files.set(file!, edit(files.get(file!)!, seen.length));
    }
    return { stdout: '', stderr: '', exitCode: 0 };
  };
  const io = { stdin: '', cwd: '/root', env: { HOME: '/root', KUBE_EDITOR: 'myeditor' }, exec, signal: null };
  return { api, seen, k: (...args: string[]) => kubectl.run(args, io, sys) };
}

describe('kubectl edit', () => {
  it('opens the object under the header comment and patches what changed', async () => {
    const { api, seen, k } = setup((t) => t.replace('color: blue', 'color: red'));
    const r = await k('edit', 'cm', 'app');
    expect([r.exitCode, r.stdout]).toEqual([0, 'configmap/app edited\n']);
    expect(seen[0]).toMatch(/^# Please edit the object below\. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit\. If an error occurs while saving this file will be\n# reopened with the relevant failures\.\n#\napiVersion: v1\ndata:\n  color: blue\nkind: ConfigMap\n/);
    expect((api.get('configmaps', 'default', 'app') as any).data.color).toBe('red');
  });

  it('an unchanged file cancels, an empty one too (without validation: with it, the file fails validation)', async () => {
    const same = await setup((t) => t).k('edit', 'configmap/app');
    expect([same.exitCode, same.stderr]).toEqual([0, 'Edit cancelled, no changes made.\n']);
    const empty = await setup(() => '').k('edit', 'cm', 'app', '--validate=false');
    expect([empty.exitCode, empty.stderr]).toEqual([0, 'Edit cancelled, saved file was empty.\n']);
    const validated = await setup(() => '').k('edit', 'cm', 'app');
    expect(validated.exitCode).toBe(1);
    expect(validated.stderr).toMatch(/^error: configmaps "app" is invalid\nA copy of your changes has been stored to "\/tmp\/kubectl-edit-\d+\.yaml"\nerror: Edit cancelled, no valid changes were saved\.\n$/);
  });

  it('an invalid object reopens the file with the reasons; a second save without change gives up', async () => {
    const { api, seen, k } = setup((t, round) => (round === 1 ? t.replace('color: blue', 'color: blue\n  "bad key!": x') : t));
    const r = await k('edit', 'cm', 'app');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: configmaps "app" is invalid\nA copy of your changes has been stored to "\/tmp\/kubectl-edit-\d+\.yaml"\nerror: Edit cancelled, no valid changes were saved\.\n$/);
    expect(seen[1]).toMatch(/^# Please edit[^]*#\n# configmaps "app" was not valid:\n# \* data\[bad key!\]: Invalid value: "bad key!": [^\n]+\n#\napiVersion: v1\n/);
    expect((api.get('configmaps', 'default', 'app') as any).data).toEqual({ color: 'blue' });
  });
});
