import { describe, expect, it } from 'vitest';
import { adminKubeconfig } from './kubeconfig.test-util';
import { World } from '../../sim/world';
import { Api, initClusterState } from '../../k8s/api';
import { kubectl } from './index';
import { wordWrap } from './explain';
import type { Sys } from '../types';

function runner() {
  const w = World.create({ seed: 3 });
  w.addHost('controlplane');
  initClusterState(w);
  new Api(w).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const sys: Sys = { world: w, host: 'controlplane', ns: 'ns1', tty: true, columns: 80, withNs: (_n, fn) => fn(), readFile: adminKubeconfig, writeFile: () => {}, onHost: (_h, fn) => fn(), login: () => {} };
  const io = { stdin: '', cwd: '/root', env: { HOME: '/root' }, exec: async () => ({ stdout: '', stderr: '', exitCode: 0 }), signal: null };
  return async (line: string) => {
    const r = await kubectl.run(line.split(' ').slice(1), io, sys);
    return { ...r, all: (r.chunks ?? [[1, r.stdout], [2, r.stderr]]).map(([, t]) => t).join('') };
  };
}

describe('go-wordwrap as kubectl explain wraps', () => {
  it('breaks before the word that passes the limit, keeps newlines, never breaks a long word', () => {
    expect(wordWrap('aaa bbb ccc', 7)).toBe('aaa bbb\nccc');
    expect(wordWrap('one\n\ntwo three', 5)).toBe('one\n\ntwo\nthree');
    expect(wordWrap('see https://example.com/a/very/long/path done', 10)).toBe('see\nhttps://example.com/a/very/long/path\ndone');
  });
});

describe('kubectl explain', () => {
  it('a field through an array: FIELD, the descriptions of the field and its type, the fields with -required- and enums', async () => {
    const k = runner();
    const r = await k('kubectl explain pod.spec.containers.ports');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith('KIND:       Pod\nVERSION:    v1\n\nFIELD: ports <[]ContainerPort>\n\n\nDESCRIPTION:\n')).toBe(true);
    expect(r.stdout).toContain('    ContainerPort represents a network port in a single container.\n');
    expect(r.stdout).toContain('  containerPort\t<integer> -required-\n');
    expect(r.stdout).toContain('  protocol\t<string>\n  enum: SCTP, TCP, UDP\n');
  });

  it('--recursive lists nested fields, a group shows GROUP, and the errors are kubectl’s', async () => {
    const k = runner();
    const rec = await k('kubectl explain deployment.spec.strategy --recursive');
    expect(rec.stdout).toBe('GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: strategy <DeploymentStrategy>\n\n\nDESCRIPTION:\n    The deployment strategy to use to replace existing pods with new ones.\n    DeploymentStrategy describes how to replace existing pods with new ones.\n    \nFIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n    maxSurge\t<string>\n    maxUnavailable\t<string>\n  type\t<string>\n  enum: Recreate, RollingUpdate\n\n');
    const nf = await k('kubectl explain pod.spec.foo');
    expect([nf.exitCode, nf.stdout, nf.stderr]).toEqual([1, 'KIND:       Pod\nVERSION:    v1\n\n', 'error: field "foo" does not exist\n']);
    expect((await k('kubectl explain foo')).stderr).toBe('the server doesn\'t have a resource type "foo"\n');
    expect((await k('kubectl explain deploy --api-version=apps/v2')).stderr).toBe('error: couldn\'t find resource for "apps/v2, Resource=deployments"\n');
    expect((await k('kubectl explain pods --api-version=apps/v1')).stderr).toBe('error: GVR (apps/v1, Resource=pods) not found in OpenAPI schema\n');
  });
});
