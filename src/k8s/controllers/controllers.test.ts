import { beforeAll, describe, expect, it } from 'vitest';
import { World } from '../../sim/world';
import { bootstrapCluster } from '../bootstrap';
import { apiServing, kube, nextClusterEvent } from '../cluster';
import { installTestNetwork } from '../net.test-util';
import { killProcess } from '../../sim/process';
import { readHostFile, writeHostFile } from '../../sim/files';
import type { Api } from '../api/store';
import { containerLogs } from '../runtime/kubelet';

installTestNetwork();

let base = '';
beforeAll(() => {
  const w = World.create({ seed: 11 });
  bootstrapCluster(w, { workers: ['node01', 'node02'] });
  base = w.snapshot();
});

function cluster(): { w: World; api: Api } {
  const w = World.restore(base);
  return { w, api: kube(w)! };
}

const pods = (api: Api, ns = 'default', sel?: string) => api.list('pods', ns, { labelSelector: sel }).items as any[];
const waiting = (p: any) => p.status.containerStatuses?.[0]?.state?.waiting?.reason;
const events = (api: Api, name: string) => (api.list('events', null).items as any[]).filter((e) => e.involvedObject.name === name).map((e) => `${e.type} ${e.reason} ${e.message}`);

function deployment(name: string, image: string, replicas: number, extra: any = {}): any {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels: { app: name } }, spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: image.split(':')[0]!.split('/').pop(), image, ...extra }] } } } };
}

describe('workload controllers to quiescence', () => {
  it('Deployment → ReplicaSet (pod-template-hash) → Pods: ContainerCreating at once, Running after the pull', () => {
    const { w, api } = cluster();
    api.create(deployment('web', 'nginx', 3));
    const rs = api.list('replicasets', 'default').items as any[];
    expect(rs).toHaveLength(1);
    const hash = rs[0].metadata.labels['pod-template-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs[0].metadata.name).toBe(`web-${hash}`);
    expect(rs[0].metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
    let ps = pods(api);
    expect(ps).toHaveLength(3);
    for (const p of ps) {
      expect(p.metadata.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.spec.nodeName).toMatch(/^node0[12]$/);
      expect(waiting(p)).toBe('ContainerCreating');
      expect(p.status.podIP).toMatch(/^10\.244\.[12]\./);
    }
    // workers share the pods (the control plane's taint keeps them off it)
    expect(new Set(ps.map((p) => p.spec.nodeName)).size).toBe(2);
    w.advance(5000);
    ps = pods(api);
    expect(ps.map((p) => p.status.phase)).toEqual(['Running', 'Running', 'Running']);
    const d: any = api.get('deployments', 'default', 'web');
    expect(d.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3, observedGeneration: 1 });
    expect(d.status.conditions.map((c: any) => `${c.type}=${c.status}/${c.reason}`)).toEqual(['Available=True/MinimumReplicasAvailable', 'Progressing=True/NewReplicaSetAvailable']);
    const ev = events(api, ps[0].metadata.name);
    expect(ev[0]).toBe(`Normal Scheduled Successfully assigned default/${ps[0].metadata.name} to ${ps[0].spec.nodeName}`);
    expect(ev.some((e) => e.startsWith('Normal Pulled'))).toBe(true);
    expect(ev).toContain('Normal Created Created container: nginx');
    expect(ev).toContain('Normal Started Started container nginx');
    expect(events(api, 'web')).toEqual([`Normal ScalingReplicaSet Scaled up replica set web-${hash} from 0 to 3`]);
    // the container really listens in the pod's namespace
    const logs = containerLogs(api, ps[0].metadata.uid, 'nginx');
    expect(logs.lines.some((l) => l.text === '/docker-entrypoint.sh: Configuration complete; ready for start up')).toBe(true);
  });

  it('scales down by deleting pods and rolls out a new template revision', () => {
    const { w, api } = cluster();
    api.create(deployment('web', 'nginx:1.27', 3));
    w.advance(6000);
    api.patch('deployments', 'default', 'web', 'merge', { spec: { replicas: 1 } });
    w.advance(1000);
    const live = pods(api).filter((p) => !p.metadata.deletionTimestamp);
    expect(live).toHaveLength(1);
    api.patch('deployments', 'default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } });
    for (let i = 0; i < 20; i++) w.advance(2000);
    const rs = (api.list('replicasets', 'default').items as any[]).map((r) => [r.metadata.annotations['deployment.kubernetes.io/revision'], r.spec.replicas]);
    expect(rs.sort()).toEqual([
      ['1', 0],
      ['2', 1],
    ]);
    const ps = pods(api);
    expect(ps).toHaveLength(1);
    expect(ps[0].spec.containers[0].image).toBe('nginx:1.28');
    expect(ps[0].status.phase).toBe('Running');
    expect((api.get('deployments', 'default', 'web') as any).metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
  });

  it('an unknown image goes ErrImagePull then ImagePullBackOff with the real events', () => {
    const { w, api } = cluster();
    api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad' }, spec: { containers: [{ name: 'bad', image: 'nginx:doesnotexist' }] } });
    w.advance(1600);
    expect(waiting(pods(api)[0])).toBe('ErrImagePull');
    w.advance(3000);
    const p = pods(api)[0];
    expect(waiting(p)).toBe('ImagePullBackOff');
    expect(p.status.phase).toBe('Pending');
    const ev = events(api, 'bad');
    expect(ev).toContain('Normal Pulling Pulling image "nginx:doesnotexist"');
    expect(ev.some((e) => e.startsWith('Warning Failed Failed to pull image "nginx:doesnotexist": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:doesnotexist"'))).toBe(true);
    expect(ev).toContain('Warning Failed Error: ErrImagePull');
    expect(ev).toContain('Normal BackOff Back-off pulling image "nginx:doesnotexist"');
    expect(ev).toContain('Warning Failed Error: ImagePullBackOff');
  });

  it('a container that exits is restarted with CrashLoopBackOff back-off (10 s, 20 s, ...)', () => {
    const { w, api } = cluster();
    api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'crash' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    w.advance(8000);
    let p = pods(api)[0];
    expect(waiting(p)).toBe('CrashLoopBackOff');
    expect(p.status.containerStatuses[0].restartCount).toBe(0);
    w.advance(10_000);
    p = pods(api)[0];
    expect(p.status.containerStatuses[0].restartCount).toBe(1);
    expect(p.status.containerStatuses[0].lastState.terminated.reason).toBe('Completed');
    w.advance(70_000);
    p = pods(api)[0];
    expect(p.status.containerStatuses[0].restartCount).toBe(3);
    expect(p.status.phase).toBe('Running');
    expect(events(api, 'crash').some((e) => e.startsWith('Warning BackOff Back-off restarting failed container c in pod crash_default('))).toBe(true);
  });

  it('deletes a pod gracefully: Terminating until its containers stop (sleep ignores SIGTERM: the whole grace period)', () => {
    const { w, api } = cluster();
    api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client' }, spec: { containers: [{ name: 'client', image: 'busybox', command: ['sleep', '3600'] }] } });
    w.advance(5000);
    expect(pods(api)[0].status.phase).toBe('Running');
    const r = api.delete('pods', 'default', 'client');
    expect(r.gone).toBe(false);
    w.advance(29_000);
    expect(pods(api)).toHaveLength(1);
    const t = nextClusterEvent(w)!;
    w.advance(t - w.now());
    expect(pods(api)).toHaveLength(0);
  });

  it('keeps Endpoints and EndpointSlices of a Service on the ready pods, named targetPorts resolved', () => {
    const { w, api } = cluster();
    api.create(deployment('web', 'nginx', 2, { ports: [{ name: 'http', containerPort: 80 }] }));
    api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 8080, targetPort: 'http' }] } });
    let ep: any = api.get('endpoints', 'default', 'web');
    expect(ep.subsets[0].notReadyAddresses).toHaveLength(2);
    w.advance(5000);
    ep = api.get('endpoints', 'default', 'web');
    expect(ep.subsets[0].addresses.map((a: any) => a.ip).sort()).toEqual(pods(api).map((p) => p.status.podIP).sort());
    expect(ep.subsets[0].ports).toEqual([{ port: 80, protocol: 'TCP' }]);
    const sl: any = api.list('endpointslices', 'default', { labelSelector: 'kubernetes.io/service-name=web' }).items[0];
    expect(sl.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(sl.ports).toEqual([{ name: '', port: 80, protocol: 'TCP' }]);
    expect(sl.endpoints.every((e: any) => e.conditions.ready)).toBe(true);
    // a selector that matches nothing: no addresses
    api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'none' }, spec: { selector: { app: 'nope' }, ports: [{ port: 80 }] } });
    expect((api.get('endpoints', 'default', 'none') as any).subsets).toBeUndefined();
  });

  it('garbage-collects dependents when the owner goes (Deployment → ReplicaSets → Pods)', () => {
    const { w, api } = cluster();
    api.create(deployment('web', 'nginx', 2));
    w.advance(5000);
    api.delete('deployments', 'default', 'web');
    expect(api.list('replicasets', 'default').items).toHaveLength(0);
    expect(pods(api).every((p) => p.metadata.deletionTimestamp)).toBe(true);
    w.advance(3000);
    expect(pods(api)).toHaveLength(0);
    // a Service's EndpointSlice goes with it
    api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } });
    expect(api.list('endpointslices', 'default', { labelSelector: 'kubernetes.io/service-name=s' }).items).toHaveLength(1);
    api.delete('services', 'default', 's');
    expect(api.list('endpointslices', 'default', { labelSelector: 'kubernetes.io/service-name=s' }).items).toHaveLength(0);
    expect(api.tryGet('endpoints', 'default', 's')).toBeNull();
  });

  it('a stopped kubelet makes its node NotReady after the grace period; started again, Ready', () => {
    const { w, api } = cluster();
    const kubelet = w.host('node01').processes.find((p) => p.comm === 'kubelet')!;
    killProcess(w, 'node01', kubelet.pid);
    w.advance(30_000);
    const ready = () => (api.get('nodes', null, 'node01') as any).status.conditions.find((c: any) => c.type === 'Ready');
    expect(ready().status).toBe('True');
    w.advance(30_000);
    expect(ready()).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect((api.get('nodes', null, 'node01') as any).spec.taints.map((t: any) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
  });

  it('restarts a static pod when its manifest changes and stops it when the manifest breaks', () => {
    const { w, api } = cluster();
    const cp = w.host('controlplane');
    const path = '/etc/kubernetes/manifests/kube-scheduler.yaml';
    const uid0 = api.get('pods', 'kube-system', 'kube-scheduler-controlplane').metadata.uid;
    const text = readHostFile(cp, path)!;
    writeHostFile(cp, path, text.replace('--leader-elect=true', '--leader-elect=false'), w.now());
    w.advance(4000);
    const p: any = api.get('pods', 'kube-system', 'kube-scheduler-controlplane');
    expect(p.metadata.uid).not.toBe(uid0);
    expect(p.spec.containers[0].command).toContain('--leader-elect=false');
    expect(p.status.phase).toBe('Running');
    writeHostFile(cp, path, text.replace('--leader-elect=true', '--leader-elect=true\n  bad: [yaml'), w.now());
    w.advance(2000);
    expect(api.tryGet('pods', 'kube-system', 'kube-scheduler-controlplane')).toBeNull();
    expect(cp.processes.some((x) => x.comm === 'kube-scheduler')).toBe(false);
    // an unknown flag: the component crashes with the real message
    writeHostFile(cp, path, text.replace('--leader-elect=true', '--leader-elect=true\n    - --no-such-flag'), w.now());
    w.advance(5000);
    const q: any = api.get('pods', 'kube-system', 'kube-scheduler-controlplane');
    expect(q.status.containerStatuses[0].restartCount).toBeGreaterThanOrEqual(0);
    expect(containerLogs(api, q.metadata.uid, 'kube-scheduler', q.status.containerStatuses[0].restartCount > 0).lines[0]?.text ?? containerLogs(api, q.metadata.uid, 'kube-scheduler').lines[0]?.text).toBe('Error: unknown flag: --no-such-flag');
  });

  it('the API server serves while its static pod runs: a broken manifest refuses clients until fixed', () => {
    const { w } = cluster();
    expect(apiServing(w)).toBe(true);
    const cp = w.host('controlplane');
    const path = '/etc/kubernetes/manifests/kube-apiserver.yaml';
    const text = readHostFile(cp, path)!;
    writeHostFile(cp, path, text.replace('--secure-port=6443', '--secure-port=6443\n    - --this-flag-does-not-exist'), w.now());
    w.advance(3000);
    expect(apiServing(w)).toBe(false);
    writeHostFile(cp, path, text, w.now());
    w.advance(3000);
    expect(apiServing(w)).toBe(true);
  });

  it('is deterministic under a seed', () => {
    const run = () => {
      const { w, api } = cluster();
      api.create(deployment('web', 'nginx', 3));
      w.advance(4000);
      return w.snapshot();
    };
    expect(run()).toBe(run());
  });
});
