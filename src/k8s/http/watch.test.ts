import { describe, expect, it } from 'vitest';
import { World } from '../../sim/world';
import { bootstrapCluster } from '../bootstrap';
import { kube } from '../cluster';
import { openWatch, pollWatch } from './watch';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

describe('watches over the REST protocol', () => {
  it('streams ADDED, MODIFIED and DELETED events of the selected objects after the resourceVersion of a list', () => {
    const w = World.create({ seed: 41 });
    bootstrapCluster(w);
    const api = kube(w)!;
    const rv = api.list('pods', 'default').metadata.resourceVersion;
    const opened = openWatch(w, { method: 'GET', url: `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${rv}`, headers: {}, body: '' });
    if ('response' in opened) throw new Error(opened.response.body);
    expect(opened.lines).toEqual([]);
    api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } });
    const added = pollWatch(w, opened.watch).map((l) => JSON.parse(l));
    expect(added[0]).toMatchObject({ type: 'ADDED', object: { kind: 'Pod', metadata: { name: 'web' } } });
    w.advance(20_000);
    const changes = pollWatch(w, opened.watch).map((l) => JSON.parse(l));
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((e) => e.type === 'MODIFIED')).toBe(true);
    expect(changes.at(-1).object.status.phase).toBe('Running');
    // nothing changed: nothing sent
    expect(pollWatch(w, opened.watch)).toEqual([]);
    api.delete('pods', 'default', 'web', { gracePeriodSeconds: 0 });
    const gone = pollWatch(w, opened.watch).map((l) => JSON.parse(l));
    expect(gone.at(-1)).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'web' } } });
  });

  it('without a resourceVersion the current objects come first; kubectl get -w gets one-row Tables; a watch on one name sees only it', () => {
    const w = World.create({ seed: 42 });
    bootstrapCluster(w);
    const opened = openWatch(w, { method: 'GET', url: '/api/v1/namespaces/kube-system/pods?watch=true&labelSelector=k8s-app%3Dkube-dns', headers: { accept: TABLE }, body: '' });
    if ('response' in opened) throw new Error(opened.response.body);
    const first = opened.lines.map((l) => JSON.parse(l));
    expect(first).toHaveLength(2);
    expect(first[0]).toMatchObject({ type: 'ADDED', object: { kind: 'Table' } });
    expect(first[0].object.rows).toHaveLength(1);
    expect(first[0].object.rows[0].cells[0]).toMatch(/^coredns-/);
    expect(first[0].object.columnDefinitions.map((c: any) => c.name).slice(0, 3)).toEqual(['Name', 'Ready', 'Status']);
    const one = openWatch(w, { method: 'GET', url: '/api/v1/namespaces/kube-system/pods/etcd-controlplane?watch=true', headers: {}, body: '' });
    if ('response' in one) throw new Error(one.response.body);
    expect(one.lines.map((l) => JSON.parse(l).object.metadata.name)).toEqual(['etcd-controlplane']);
    const bad = openWatch(w, { method: 'GET', url: '/api/v1/nopes?watch=true', headers: {}, body: '' });
    expect('response' in bad && bad.response.status).toBe(404);
  });
});
