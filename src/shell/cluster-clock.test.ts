// The cluster lives on the session's clock: its controllers and kubelets
// catch up before each line and after a `sleep`, so kernel-side effects of
// the cluster (pod namespaces, container sockets) are current for ip, ss...
import { describe, expect, it } from 'vitest';
import { Session } from './session';
import { getScenario } from '../labs/scenarios/index';
import { kube } from '../k8s/cluster';
import { installTestNetwork } from '../k8s/net.test-util';

installTestNetwork();

describe('the cluster on the session clock', () => {
  it('a pod created through the API runs after a sleep in the shell, and its namespace and socket are there', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-cluster') });
    const api = kube(s.world)!;
    api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { nodeName: 'controlplane', tolerations: [{ operator: 'Exists' }], containers: [{ name: 'nginx', image: 'nginx:1.27' }] } });
    const p0: any = api.get('pods', 'default', 'web');
    expect(p0.status.containerStatuses[0].state.waiting.reason).toBe('ContainerCreating');
    const before = await s.run('ip netns list');
    expect(before.output).toMatch(/^cni-[0-9a-f-]{36}/m);
    await s.run('sleep 5');
    const p1: any = api.get('pods', 'default', 'web');
    expect(p1.status.phase).toBe('Running');
    const ns = (await s.run('ip netns list')).output.split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
    let listening = '';
    for (const n of ns) listening += (await s.run(`ip netns exec ${n} ss -tlnH`)).output;
    expect(listening).toMatch(/0\.0\.0\.0:80\b/);
  });
});
