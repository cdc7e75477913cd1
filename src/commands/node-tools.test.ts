// crictl and journalctl on the nodes of a kubeadm cluster, and a stopped
// kubelet as the node controller sees it (the unit, the grace period, the
// taints, the eviction), all from the same runtime state.
import { describe, expect, it } from 'vitest';
import { Session } from '../shell/session';
import { getScenario } from '../labs/scenarios/index';
import { goHumanDuration, goHumanSize, tabwrite } from './crictl';

describe('crictl formats (cri-tools 1.33)', () => {
  it("go-units' HumanDuration and HumanSizeWithPrecision, Go's tabwriter at minwidth 20 / padding 3", () => {
    expect([0, 1000, 45_000, 60_000, 90_000, 125_000, 59 * 60_000, 3_600_000, 5 * 3_600_000, 3 * 86_400_000].map(goHumanDuration)).toEqual(['Less than a second', '1 second', '45 seconds', 'About a minute', 'About a minute', '2 minutes', '59 minutes', 'About an hour', '5 hours', '3 days']);
    expect([320368, 72195292, 2166802, 999].map(goHumanSize)).toEqual(['320kB', '72.2MB', '2.17MB', '999B']);
    expect(tabwrite([['CONTAINER', 'IMAGE', 'POD'], ['82dbac374b418', '98262743b26f9', 'kube-proxy-nwzv2']])).toBe('CONTAINER           IMAGE               POD\n82dbac374b418       98262743b26f9       kube-proxy-nwzv2\n');
  });
});

describe('node tools on the cluster', () => {
  it('crictl ps/pods/images/inspect/logs on node01 show the pods the kubelet runs there', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-cluster'), host: 'controlplane' });
    await s.run('kubectl create deployment web --image=nginx --replicas=2');
    await s.run('sleep 120');
    const pods = (await s.run('kubectl get pods -o wide --no-headers')).output.trim().split('\n').map((l) => l.split(/\s+/));
    const onNode01 = pods.filter((p) => p[6] === 'node01').map((p) => p[0]!);
    const ps = (await s.run('ssh node01 crictl ps')).output.split('\n');
    expect(ps[0]).toMatch(/^CONTAINER {11}IMAGE {15}CREATED {3,}STATE {15}NAME {2,}ATTEMPT {13}POD ID {14}POD {2,}NAMESPACE$/);
    for (const name of onNode01) expect(ps.some((l) => new RegExp(`^[0-9a-f]{13} +[0-9a-f]{13} +(?:About a minute|\\d+ minutes) ago +Running +nginx +0 +[0-9a-f]{13} +${name} +default$`).test(l))).toBe(true);
    expect(ps.some((l) => / kube-proxy +0 +[0-9a-f]{13} +kube-proxy-\w+ +kube-system$/.test(l))).toBe(true);
    // the control plane's static pods run on controlplane, not node01
    expect(ps.some((l) => l.includes('kube-apiserver'))).toBe(false);
    expect((await s.run('crictl ps --name kube-apiserver -q')).output).toMatch(/^[0-9a-f]{64}\n$/);
    const podsOut = (await s.run('ssh node01 crictl pods --namespace default')).output.split('\n');
    expect(podsOut[0]).toMatch(/^POD ID {14}CREATED {3,}STATE {15}NAME {2,}NAMESPACE {3,}ATTEMPT {13}RUNTIME$/);
    expect(podsOut.filter((l) => / Ready +web-/.test(l) && l.endsWith('(default)'))).toHaveLength(onNode01.length);
    const images = (await s.run('ssh node01 crictl images')).output;
    expect(images).toMatch(/^IMAGE {2,}TAG {2,}IMAGE ID {2,}SIZE\n/);
    expect(images).toMatch(/^docker\.io\/library\/nginx +latest +[0-9a-f]{13} +72\.2MB$/m);
    expect(images).toMatch(/^registry\.k8s\.io\/pause +3\.10 +[0-9a-f]{13} +320kB$/m);
    const id = ps.find((l) => / nginx /.test(l))!.split(/\s+/)[0]!;
    const inspect = JSON.parse((await s.run(`ssh node01 crictl inspect ${id}`)).output);
    expect(inspect.status.state).toBe('CONTAINER_RUNNING');
    expect(inspect.status.metadata).toEqual({ attempt: 0, name: 'nginx' });
    expect(inspect.status.labels['io.kubernetes.pod.namespace']).toBe('default');
    expect(inspect.info.pid).toBeGreaterThan(0);
    const logs = await s.run(`ssh node01 crictl logs --tail 1 ${id}`);
    expect(logs.output).toMatch(/start worker process \d+\n$/);
    expect(await s.run('ssh node01 crictl inspect 0000')).toEqual({ output: 'FATA[0000] getting the status of the container: no such container \n', exitCode: 1 });
  });

  it('systemctl stop kubelet: journalctl shows it, the node goes NotReady after the 50 s grace period with the unreachable taints, pods are evicted after 300 s, start brings it back', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-cluster'), host: 'controlplane' });
    await s.run('kubectl create deployment web --image=nginx --replicas=2');
    await s.run('sleep 30');
    const j0 = (await s.run('ssh node01 journalctl -u kubelet --no-pager')).output.split('\n');
    expect(j0[0]).toMatch(/^Nov 26 \d\d:\d\d:\d\d node01 systemd\[1\]: Started kubelet\.service - kubelet: The Kubernetes Node Agent\.$/);
    expect(j0[1]).toMatch(/^Nov 26 \d\d:\d\d:\d\d node01 kubelet\[(\d+)\]: I1126 \d\d:\d\d:\d\d\.\d{6} +\1 server\.go:\d+\] "Kubelet version" kubeletVersion="v1\.33\.4"$/);
    expect((await s.run('ssh node01 systemctl stop kubelet')).exitCode).toBe(0);
    const j1 = (await s.run('ssh node01 journalctl -u kubelet -n 3')).output;
    expect(j1).toMatch(/^Nov 26 [\d:]+ node01 systemd\[1\]: Stopping kubelet\.service - kubelet: The Kubernetes Node Agent\.\.\.\nNov 26 [\d:]+ node01 systemd\[1\]: kubelet\.service: Deactivated successfully\.\nNov 26 [\d:]+ node01 systemd\[1\]: Stopped kubelet\.service - kubelet: The Kubernetes Node Agent\.\n$/);
    const status = async () => (await s.run('kubectl get node node01 --no-headers')).output.split(/\s+/)[1];
    await s.run('sleep 30');
    expect(await status()).toBe('Ready');
    await s.run('sleep 30');
    expect(await status()).toBe('NotReady');
    const cond = JSON.parse((await s.run(`kubectl get node node01 -o jsonpath='{.status.conditions[?(@.type=="Ready")]}'`)).output);
    expect(cond).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect((await s.run("kubectl get node node01 -o jsonpath='{.spec.taints[*].key}'")).output).toBe('node.kubernetes.io/unreachable node.kubernetes.io/unreachable');
    const before = (await s.run('kubectl get pods -l app=web -o wide --no-headers')).output;
    await s.run('sleep 310');
    const after = (await s.run('kubectl get pods -l app=web -o wide --no-headers')).output;
    if (before.includes('node01')) expect(after.split('\n').filter((l) => l.includes('node01') && / Running /.test(l))).toHaveLength(0);
    expect((await s.run('ssh node01 systemctl start kubelet')).exitCode).toBe(0);
    await s.run('sleep 15');
    expect(await status()).toBe('Ready');
    expect((await s.run('ssh node01 journalctl -u kubelet -f')).exitCode).toBe(1);
    expect((await s.run('ssh node01 journalctl -u nosuch')).output).toBe('-- No entries --\n');
  });
});

describe('the k8s-fault-kubelet scenario', () => {
  it('node01 is NotReady with the kubelet stopped (systemctl and journalctl say so); systemctl start kubelet fixes it', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-fault-kubelet'), host: 'controlplane' });
    expect((await s.run('kubectl get node node01 --no-headers')).output).toMatch(/^node01 +NotReady +<none> /);
    expect((await s.run('ssh node01 systemctl is-active kubelet')).output).toBe('inactive\n');
    expect((await s.run('ssh node01 journalctl -u kubelet --no-pager -n 1')).output).toMatch(/ node01 systemd\[1\]: Stopped kubelet\.service - kubelet: The Kubernetes Node Agent\.\n$/);
    expect((await s.run('ssh node01 systemctl start kubelet')).exitCode).toBe(0);
    await s.run('sleep 10');
    expect((await s.run('kubectl get node node01 --no-headers')).output).toMatch(/^node01 +Ready +<none> /);
    const j = (await s.run('ssh node01 journalctl -u kubelet -n 7')).output;
    expect(j).toMatch(/systemd\[1\]: Stopped kubelet\.service - kubelet: The Kubernetes Node Agent\.\n.* systemd\[1\]: Started kubelet\.service - kubelet: The Kubernetes Node Agent\.\n/);
  });
});
