// The k8s-fault-no-cni scenario is fixable from the terminal, as an exam task is: the Flannel manifest
// is on the control plane, and applying it brings the pods up and the Service answers.
import { describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { getScenario } from './index';

describe('k8s-fault-no-cni', () => {
  it('the pods wait for a network; applying /root/kube-flannel.yml from the terminal brings them up and the Service answers', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-fault-no-cni') });
    const run = async (c: string) => (await s.run(c)).output;
    expect(await run('ls /root')).toContain('kube-flannel.yml');
    expect(await run('kubectl get pods -l app=web --no-headers')).toMatch(/ContainerCreating/);
    const applied = await run('kubectl apply -f /root/kube-flannel.yml');
    expect(applied).toContain('daemonset.apps/kube-flannel-ds created');
    // the kubelet retries a failed sandbox after its back-off (up to about a minute)
    await run('sleep 90');
    const pods = (await run('kubectl get pods -A --no-headers')).trim().split('\n');
    expect(pods.filter((l) => !/\s1\/1\s+Running\s/.test(l))).toEqual([]);
    const r = await s.run('curl -s -o /dev/null -w "%{http_code}" http://$(kubectl get svc web -o jsonpath={.spec.clusterIP})/');
    expect(r.output).toBe('200');
  });
});
