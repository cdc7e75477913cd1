import { describe, expect, it } from 'vitest';
import { World } from '../../sim/world';
import { addNic, findLink, linkSetUp, segmentAdd } from '../../sim/link';
import { addAddress } from '../../sim/addr';
import { readHostFile } from '../../sim/files';
import { Api, initClusterState } from '../api/store';
import { CniError } from '../plugins';
import { flannelCni, flannelSyncPeers, flannelUp } from './flannel';
import { Session } from '../../shell/session';
import type { Pod } from '../api/types';

function cluster(nodes = ['controlplane', 'node01']) {
  const w = World.create({ seed: 11 });
  initClusterState(w);
  const api = new Api(w);
  segmentAdd(w, 'lan', 'switch');
  nodes.forEach((name, i) => {
    const h = w.addHost(name);
    const ns = w.ns(h.rootNs);
    linkSetUp(w, ns.id, findLink(ns, 'lo')!.ifindex, true);
    const eth0 = addNic(w, ns.id, 'eth0', 'lan');
    addAddress(w, ns.id, eth0.ifindex, { local: `192.168.56.${10 + i}`, prefixlen: 24 });
    linkSetUp(w, ns.id, eth0.ifindex, true);
    api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { podCIDR: `10.244.${i}.0/24`, podCIDRs: [`10.244.${i}.0/24`] } });
    api.patchStatus('nodes', null, name, { addresses: [{ type: 'InternalIP', address: `192.168.56.${10 + i}` }, { type: 'Hostname', address: name }] });
  });
  return { w, api, nodes };
}

const pod = (name: string, node: string, ns = 'default'): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, uid: `uid-${name}` }, spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }], dnsPolicy: 'ClusterFirst' } });

describe('flannel', () => {
  it('CNI ADD before flannel runs on the node fails with the real message', () => {
    const { w, api } = cluster();
    expect(() => flannelCni.add(w, api, { node: 'node01', host: 'node01', pod: pod('a', 'node01'), sandboxId: 'aaaa', netnsName: 'cni-1' })).toThrow(
      new CniError('plugin type="flannel" failed (add): loadFlannelSubnetEnv failed: open /run/flannel/subnet.env: no such file or directory'),
    );
  });

  it('wires flannel.1, subnet.env, cni0 and pods; pods reach each other across the overlay (ttl 62, traceroute via flannel.1)', async () => {
    const { w, api, nodes } = cluster();
    for (const n of nodes) flannelUp(w, api, n, n);
    for (const n of nodes) flannelSyncPeers(w, api, n, n);
    expect(readHostFile(w.host('node01'), '/run/flannel/subnet.env')).toBe('FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n');
    const a = flannelCni.add(w, api, { node: 'controlplane', host: 'controlplane', pod: pod('a', 'controlplane'), sandboxId: 'sandbox-a', netnsName: 'cni-aaaa' });
    const b = flannelCni.add(w, api, { node: 'node01', host: 'node01', pod: pod('b', 'node01'), sandboxId: 'sandbox-b', netnsName: 'cni-bbbb' });
    expect([a.ips, b.ips]).toEqual([['10.244.0.2'], ['10.244.1.2']]);
    expect(readHostFile(w.host('node01'), '/var/lib/cni/networks/cbr0/10.244.1.2')).toBe('sandbox-b\r\neth0');
    const s = await Session.create({ world: w, host: 'controlplane' });
    const run = async (l: string) => (await s.run(l, { fresh: true, noHistory: true })).output;
    expect(await run('ip route')).toBe('10.244.0.0/24 dev cni0 proto kernel scope link src 10.244.0.1 \n10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink \n192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.10 \n');
    expect(await run('ip netns exec cni-aaaa ip route')).toBe('default via 10.244.0.1 dev eth0 \n10.244.0.0/24 dev eth0 proto kernel scope link src 10.244.0.2 \n10.244.0.0/16 via 10.244.0.1 dev eth0 \n');
    expect(await run('ip -br addr show flannel.1')).toMatch(/^flannel\.1\s+UNKNOWN\s+10\.244\.0\.0\/32 /);
    expect((await run('ip -d link show flannel.1')).split('\n')[2]).toMatch(/^ {4}vxlan id 1 local 192\.168\.56\.10 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 udpcsum /);
    const mac1 = findLink(w.ns(w.host('node01').rootNs), 'flannel.1')!.mac;
    expect(await run('bridge fdb show dev flannel.1')).toBe(`${mac1} dst 192.168.56.11 self permanent\n`);
    expect(await run('ip neigh show dev flannel.1')).toBe(`10.244.1.0 lladdr ${mac1} PERMANENT \n`);
    expect(await run('ip netns exec cni-aaaa ping -c 1 10.244.1.2')).toContain('64 bytes from 10.244.1.2: icmp_seq=1 ttl=62');
    const tr = await run('ip netns exec cni-aaaa traceroute -n -q 1 -w 1 10.244.1.2');
    expect(tr.split('\n').slice(1, 4).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual(['1 10.244.0.1', '2 10.244.1.0', '3 10.244.1.2']);
    // the pod's files as the kubelet writes them
    expect(await run('ip netns exec cni-aaaa cat /etc/resolv.conf')).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    expect(await run('ip netns exec cni-aaaa cat /etc/hosts')).toBe('# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n10.244.0.2\ta\n');
  });

  it('host-local hands addresses out round robin and CNI DEL releases them', () => {
    const { w, api, nodes } = cluster(['node01']);
    flannelUp(w, api, nodes[0]!, nodes[0]!);
    const add = (n: string) => flannelCni.add(w, api, { node: 'node01', host: 'node01', pod: pod(n, 'node01'), sandboxId: `sb-${n}`, netnsName: `cni-${n}` });
    expect(add('a').ips[0]).toBe('10.244.0.2');
    const b = add('b');
    expect(b.ips[0]).toBe('10.244.0.3');
    const pb = pod('b', 'node01');
    pb.status = { podIP: '10.244.0.3' };
    flannelCni.del(w, api, { node: 'node01', host: 'node01', pod: pb, nsId: b.nsId });
    expect(readHostFile(w.host('node01'), '/var/lib/cni/networks/cbr0/10.244.0.3')).toBeNull();
    // the next one continues after the last reserved address
    expect(add('c').ips[0]).toBe('10.244.0.4');
  });
});
