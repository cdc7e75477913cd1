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

  it('rollout status waits on the cluster clock and reports each new state; history, undo, restart', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-cluster') });
    await s.run('kubectl create deployment web --image=nginx --replicas=2');
    const t0 = s.world.now();
    const st = await s.run('kubectl rollout status deployment/web');
    expect(st.exitCode).toBe(0);
    expect(st.output).toMatch(/^Waiting for deployment "web" rollout to finish: 0 of 2 updated replicas are available\.\.\.\n(.*\n)*deployment "web" successfully rolled out\n$/);
    expect(s.world.now()).toBeGreaterThan(t0);
    await s.run('kubectl set image deployment/web nginx=nginx:1.27');
    await s.run('kubectl rollout status deployment/web');
    expect((await s.run('kubectl rollout history deployment/web')).output).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
    expect((await s.run('kubectl rollout undo deployment/web')).output).toBe('deployment.apps/web rolled back\n');
    expect((await s.run("kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}'")).output).toBe('nginx');
    expect((await s.run('kubectl rollout undo deployment/web --to-revision=7')).output).toBe('error: unable to find specified revision 7 in history\n');
    expect((await s.run('kubectl rollout restart deployment/web')).output).toBe('deployment.apps/web restarted\n');
    expect((await s.run("kubectl get deploy web -o jsonpath='{.spec.template.metadata.annotations}'")).output).toMatch(/"kubectl\.kubernetes\.io\/restartedAt":"2026-11-26T/);
  });

  it('wait: until a condition holds on the cluster clock, or the timeout with kubectl\'s error', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-cluster') });
    await s.run('kubectl run web --image=nginx');
    const ok = await s.run('kubectl wait --for=condition=Ready pod/web --timeout=60s');
    expect([ok.exitCode, ok.output]).toEqual([0, 'pod/web condition met\n']);
    expect((await s.run("kubectl get pod web -o jsonpath='{.status.phase}'")).output).toBe('Running');
    const t0 = s.world.now();
    const late = await s.run("kubectl wait --for=jsonpath='{.status.phase}'=Succeeded pod/web --timeout=5s");
    expect([late.exitCode, late.output]).toEqual([1, 'error: timed out waiting for the condition on pods/web\n']);
    expect(s.world.now() - t0).toBeGreaterThanOrEqual(5000);
    await s.run('kubectl delete pod web --wait=false');
    expect((await s.run('kubectl wait --for=delete pod/web --timeout=60s')).output).toBe('pod/web condition met\n');
    expect((await s.run('kubectl get pod web')).output).toBe('Error from server (NotFound): pods "web" not found\n');
  });
});
