import { describe, expect, it } from 'vitest';
import { World } from '../../sim/world';
import { findLink, linkAdd, linkSetUp } from '../../sim/netdev';
import { addAddress } from '../../sim/addr';
import { netnsAdd } from '../../sim/netns';
import { writeHostFile } from '../../sim/files';
import { Api, initClusterState } from '../api/store';
import { Session } from '../../shell/session';
import { clusterRecords, parseCorefile, startCoreDnsPod } from './coredns';
import { kubeProxyStart, klog } from './kube-proxy';

const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;

function cluster() {
  const w = World.create({ seed: 3 });
  initClusterState(w);
  const api = new Api(w);
  for (const ns of ['default', 'kube-system']) api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  api.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'default' } });
  api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { clusterIP: '10.96.12.34', clusterIPs: ['10.96.12.34'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80 }] } });
  api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'default' }, spec: { clusterIP: 'None', clusterIPs: ['None'], selector: { app: 'db' }, ports: [{ port: 5432, protocol: 'TCP', targetPort: 5432 }] } });
  api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
  api.create({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'db-abcde', namespace: 'default', labels: { 'kubernetes.io/service-name': 'db' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.244.1.7'], conditions: { ready: true } }], ports: [{ port: 5432, protocol: 'TCP', name: '' }] });
  return { w, api };
}

describe('CoreDNS from the store', () => {
  it('parses the kubeadm Corefile', () => {
    expect(parseCorefile(COREFILE)).toEqual({ zones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'], ttl: 30, forward: ['/etc/resolv.conf'], loop: true });
  });

  it('has records for services (A, SRV of named ports), headless endpoints, ExternalName and namespaces', () => {
    const { api } = cluster();
    const r = clusterRecords(api);
    expect(r).toContainEqual({ name: 'web.default.svc.cluster.local', type: 'A', ttl: 30, data: '10.96.12.34' });
    expect(r).toContainEqual({ name: '_http._tcp.web.default.svc.cluster.local', type: 'SRV', ttl: 30, data: '0 100 80 web.default.svc.cluster.local.' });
    expect(r).toContainEqual({ name: 'db.default.svc.cluster.local', type: 'A', ttl: 30, data: '10.244.1.7' });
    expect(r).toContainEqual({ name: 'ext.default.svc.cluster.local', type: 'CNAME', ttl: 30, data: 'example.com.' });
  });

  it('answers dig and nslookup in a pod namespace: ClusterIP, NXDOMAIN with the SOA, CNAME, pod names; its upstream is the node resolv.conf', async () => {
    const { w, api } = cluster();
    api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    api.patchStatus('pods', 'default', 'p', { podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }] });
    const h = w.addHost('node01');
    const root = w.ns(h.rootNs);
    linkSetUp(w, root.id, findLink(root, 'lo')!.ifindex, true);
    const pod = netnsAdd(w, 'node01', 'cni-dns');
    linkSetUp(w, pod.id, findLink(pod, 'lo')!.ifindex, true);
    const v = linkAdd(w, root.id, { kind: 'veth', name: 'vethdns', peerName: 'eth0', peerNs: pod.id });
    addAddress(w, root.id, v.ifindex, { local: '10.244.0.1', prefixlen: 24 });
    linkSetUp(w, root.id, v.ifindex, true);
    const e = findLink(pod, 'eth0')!;
    addAddress(w, pod.id, e.ifindex, { local: '10.244.0.2', prefixlen: 24 });
    linkSetUp(w, pod.id, e.ifindex, true);
    // dnsPolicy Default: the node's upstream (nothing answers there in this test)
    writeHostFile(h, '/etc/netns/cni-dns/resolv.conf', 'nameserver 192.0.2.53\n');
    const started = startCoreDnsPod(w, 'node01', pod.id, COREFILE);
    expect(started.error).toBeNull();
    expect(started.log).toMatch(/^maxprocs: Leaving GOMAXPROCS=2: CPU quota undefined\n\.:53\n\[INFO\] plugin\/reload: Running configuration SHA512 = [0-9a-f]{128}\nCoreDNS-1\.12\.0\nlinux\/amd64, go1\.23\.3, 51e11f1\n$/);
    const s = await Session.create({ world: w, host: 'node01' });
    const run = async (l: string) => (await s.run(l, { fresh: true, noHistory: true })).output;
    expect(await run('dig +short @10.244.0.2 web.default.svc.cluster.local')).toBe('10.96.12.34\n');
    expect(await run('dig +short @10.244.0.2 10-244-1-5.default.pod.cluster.local')).toBe('10.244.1.5\n');
    expect(await run('dig +short @10.244.0.2 ext.default.svc.cluster.local')).toBe('example.com.\n');
    const nx = await run('dig @10.244.0.2 nope.default.svc.cluster.local');
    expect(nx).toContain('status: NXDOMAIN');
    expect(nx).toMatch(/cluster\.local\.\s+30\s+IN\s+SOA\s+ns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. /);
    expect(await run('dig +short @10.244.0.2 SRV _http._tcp.web.default.svc.cluster.local')).toBe('0 100 80 web.default.svc.cluster.local.\n');
    // a Service created later is answered at once (the store is read per query)
    api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'late', namespace: 'default' }, spec: { clusterIP: '10.96.99.1', clusterIPs: ['10.96.99.1'], ports: [{ port: 1, protocol: 'TCP', targetPort: 1 }] } });
    expect(await run('dig +short @10.244.0.2 late.default.svc.cluster.local')).toBe('10.96.99.1\n');
    // a name outside the cluster goes upstream, which this pod has no route to: the forward plugin's dial
    // fails at once and it dials again until its 5 s deadline (CoreDNS 1.12 has no cap on attempts), so
    // dig's 5 s timeout runs out first; a longer wait gets CoreDNS's own SERVFAIL (SetRcode: no RA)
    expect(await run('dig +tries=1 @10.244.0.2 example.org')).toBe(';; communications error to 10.244.0.2#53: timed out\n\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> +tries=1 @10.244.0.2 example.org\n; (1 server found)\n;; global options: +cmd\n;; no servers could be reached\n');
    const t0 = w.now();
    const late = await run('dig +tries=1 +timeout=7 @10.244.0.2 example.org');
    expect(late).toContain('status: SERVFAIL');
    expect(late).toContain(';; flags: qr rd; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1');
    expect(late).toMatch(/;; Query time: 500\d msec/);
    expect(w.now() - t0).toBeGreaterThanOrEqual(5000);
  });

  it('with its upstream being itself, CoreDNS stops with the loop plugin line', () => {
    const { w } = cluster();
    const h = w.addHost('n');
    const pod = netnsAdd(w, 'n', 'cni-loop');
    linkSetUp(w, pod.id, findLink(pod, 'lo')!.ifindex, true);
    writeHostFile(h, '/etc/netns/cni-loop/resolv.conf', 'nameserver 127.0.0.53\n');
    const r = startCoreDnsPod(w, 'n', pod.id, COREFILE);
    expect(r.process).toBeNull();
    expect(r.log.split('\n').slice(-2)[0]).toMatch(/^\[FATAL\] plugin\/loop: Loop \(127\.0\.0\.1:\d+ -> :53\) detected for zone "\.", see https:\/\/coredns\.io\/plugins\/loop#troubleshooting\. Query: "HINFO \d+\.\d+\."$/);
  });
});

describe('kube-proxy container', () => {
  it('a missing --config file: the real "command failed" line; a good one: the iptables proxier', () => {
    const bad = kubeProxyStart(null, { now: 1500, nodeIP: '192.168.56.11', configPath: '/var/lib/kube-proxy/configuration.conf' });
    expect(bad).toEqual({ ok: false, mode: '', clusterCIDR: null, log: 'E1126 15:00:01.500000       1 run.go:72] "command failed" err="failed complete: open /var/lib/kube-proxy/configuration.conf: no such file or directory"\n' });
    const good = kubeProxyStart('apiVersion: kubeproxy.config.k8s.io/v1alpha1\nclusterCIDR: 10.244.0.0/16\nkind: KubeProxyConfiguration\nmode: ""\n', { now: 0, nodeIP: '192.168.56.11' });
    expect([good.ok, good.mode, good.clusterCIDR]).toEqual([true, 'iptables', '10.244.0.0/16']);
    expect(good.log).toContain(' server_linux.go:169] "Using iptables Proxier"\n');
    expect(klog('I', 61_250, 'x.go:1', 'm')).toBe('I1126 15:01:01.250000       1 x.go:1] m');
    expect(kubeProxyStart('mode: bogus\n', { now: 0, nodeIP: '1.2.3.4' }).ok).toBe(false);
  });
});
