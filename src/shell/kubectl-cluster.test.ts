// kubectl against a booted cluster in a shell session: the verbs whose output depends on the controllers and
// kubelets running (logs, rollout, wait).
import { describe, expect, it } from 'vitest';
import { Session } from './session';
import { getScenario } from '../labs/scenarios/index';
import { installTestNetwork } from '../k8s/net.test-util';

installTestNetwork();

describe('kubectl on a running cluster', () => {
  it('logs: all of a container log by default, --since keeps the recent lines, --tail the last ones', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-cluster') });
    const count = async (line: string) => (await s.run(line)).output.split('\n').filter(Boolean).length;
    const all = await count('kubectl logs -n kube-system etcd-controlplane');
    expect(all).toBeGreaterThan(2);
    expect(await count('kubectl logs -n kube-system etcd-controlplane --tail=2')).toBe(2);
    expect(await count('kubectl logs -n kube-system etcd-controlplane --since=0s')).toBe(all);
    expect(await count('kubectl logs -n kube-system etcd-controlplane --since=1s')).toBe(0);
  });
});
