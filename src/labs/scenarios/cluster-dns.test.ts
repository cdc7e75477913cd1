// A learner's path through DNS on the k8s-cluster scenario, in the shell: a busybox pod looks up an outside
// name (CoreDNS forwards it to the lab's KVM host at 192.168.121.1, whose dnsmasq has no upstream without
// internet: REFUSED), a node name (busybox tries only the search list, all cluster domains: NXDOMAIN; the
// absolute name reaches the KVM host's DHCP leases), a cluster name; then points CoreDNS's forward at a dead
// address and sees what a real cluster shows: the client times out and CoreDNS logs the errors plugin's lines.
import { describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { getScenario } from './index';

const HEADER = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n';

describe('k8s-cluster: names from a busybox pod', () => {
  it('outside names, node names, cluster names; a dead upstream in the Corefile', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-cluster') });
    const run = async (c: string) => {
      const r = await s.run(c);
      return { out: r.output, code: r.exitCode };
    };
    expect((await run('kubectl run client --image=busybox --restart=Never -- sleep 3600')).out).toBe('pod/client created\n');
    await run('kubectl wait --for=condition=Ready pod/client --timeout=60s');

    const t0 = s.world.now();
    const outside = await run('kubectl exec client -- nslookup example.com');
    expect(outside.out).toBe(`${HEADER}** server can't find example.com: REFUSED\n\n** server can't find example.com: REFUSED\n\ncommand terminated with exit code 1\n`);
    expect(s.world.now() - t0).toBeLessThan(100);

    const node = await run('kubectl exec client -- nslookup node01');
    const search = ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];
    // all six queries go out at once: the replies print in the order they arrive
    expect(node.out.startsWith(HEADER) && node.out.endsWith('command terminated with exit code 1\n')).toBe(true);
    expect(node.out.slice(HEADER.length).split('\n').filter(Boolean).slice(0, -1).sort()).toEqual([...search, ...search].map((d) => `** server can't find node01.${d}: NXDOMAIN`).sort());
    const abs = await run('kubectl exec client -- nslookup -type=a controlplane.');
    expect(abs.out).toBe(`${HEADER}Name:\tcontrolplane\nAddress: 192.168.121.10\n\n`);
    const rev = await run('kubectl exec client -- nslookup 192.168.121.11');
    expect(rev.out).toBe(`${HEADER}11.121.168.192.in-addr.arpa\tname = node01\n\n`);
    const cluster = await run('kubectl exec client -- nslookup -type=a kubernetes.default.svc.cluster.local');
    expect(cluster.out).toBe(`${HEADER}Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n`);

    // forward to an address where nothing answers (routed out through the KVM host, which has no route)
    await run("kubectl -n kube-system get cm coredns -o yaml | sed 's#forward . /etc/resolv.conf#forward . 10.0.0.99#' | kubectl apply -f -");
    await run('sleep 35');
    const reloaded = (await run('kubectl -n kube-system logs -l k8s-app=kube-dns --tail=1')).out;
    expect(reloaded).toBe('[INFO] Reloading complete\n[INFO] Reloading complete\n');
    const t1 = s.world.now();
    const dead = await run('kubectl exec client -- nslookup example.com');
    expect(dead.out).toBe(';; connection timed out; no servers could be reached\n\ncommand terminated with exit code 1\n');
    // busybox's 5 s (queries at 0 and 2.5 s); CoreDNS gives up on each after three 2 s reads (6 s)
    expect(s.world.now() - t1).toBeGreaterThanOrEqual(5000);
    expect(s.world.now() - t1).toBeLessThan(5100);
    await run('sleep 5');
    const logs = (await run('kubectl -n kube-system logs -l k8s-app=kube-dns | grep ERROR')).out.trim().split('\n');
    expect(logs).toHaveLength(4);
    for (const l of logs) expect(l).toMatch(/^\[ERROR\] plugin\/errors: 2 example\.com\. (A|AAAA): read udp 10\.244\.0\.\d+:\d+->10\.0\.0\.99:53: i\/o timeout$/);
    expect(logs.filter((l) => / A: /.test(l))).toHaveLength(2);
  });
});
