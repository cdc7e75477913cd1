import { describe, expect, it } from 'vitest';
import { World } from '../../sim/world';
import { addNic, findLink, linkSetUp, segmentAdd } from '../../sim/netdev';
import { addAddress } from '../../sim/addr';
import { routeAdd } from '../../sim/fib';
import { readHostFile, writeHostFile } from '../../sim/files';
import { cniAdd, cniDel, flannelNodeUp, flannelVtepMac, writePodFiles, FLANNEL_CONFLIST, type FlannelPeer } from './flannel';
import { Session } from '../../shell/session';

function nodes(names = ['controlplane', 'node01'], opts: { flannel?: boolean } = {}) {
  const w = World.create({ seed: 11 });
  segmentAdd(w, 'lan', 'switch');
  names.forEach((name, i) => {
    const h = w.addHost(name);
    const ns = w.ns(h.rootNs);
    linkSetUp(w, ns.id, findLink(ns, 'lo')!.ifindex, true);
    const eth0 = addNic(w, ns.id, 'eth0', 'lan');
    addAddress(w, ns.id, eth0.ifindex, { local: `192.168.56.${10 + i}`, prefixlen: 24 });
    linkSetUp(w, ns.id, eth0.ifindex, true);
    routeAdd(w, ns.id, { family: 4, dst: '0.0.0.0', dstLen: 0, gateway: '192.168.56.1' });
    // what flannel's two init containers install
    writeHostFile(h, '/etc/cni/net.d/10-flannel.conflist', FLANNEL_CONFLIST);
    writeHostFile(h, '/opt/cni/bin/flannel', '\x7fELF');
  });
  const peers: FlannelPeer[] = names.map((n, i) => ({ host: n, nodeIP: `192.168.56.${10 + i}`, podCIDR: `10.244.${i}.0/24`, vtepMac: flannelVtepMac(w, n) }));
  if (opts.flannel !== false) names.forEach((n, i) => flannelNodeUp(w, n, i, peers));
  return { w, names };
}

const pod = (name: string, containerId: string) => ({ namespace: 'default', name, uid: `uid-${name}`, containerId });

describe('flannel', () => {
  it('CNI ADD before flannel runs on the node fails with the real message and leaves nothing', () => {
    const { w } = nodes(['node01'], { flannel: false });
    expect(cniAdd(w, 'node01', pod('a', 'aaaa'))).toEqual({ ok: false, message: 'plugin type="flannel" failed (add): loadFlannelSubnetEnv failed: open /run/flannel/subnet.env: no such file or directory' });
    expect(Object.keys(w.host('node01').netns)).toEqual([]);
  });

  it('wires flannel.1, subnet.env, cni0 and pods; pods reach each other across the overlay (ttl 62, traceroute via flannel.1)', async () => {
    const { w } = nodes();
    expect(readHostFile(w.host('node01'), '/run/flannel/subnet.env')).toBe('FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n');
    const a = cniAdd(w, 'controlplane', pod('a', 'sandbox-a'));
    const b = cniAdd(w, 'node01', pod('b', 'sandbox-b'));
    if (!a.ok || !b.ok) throw new Error('add failed');
    expect([a.ip, b.ip]).toEqual(['10.244.0.2', '10.244.1.2']);
    expect(a.netns).toMatch(/^cni-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.hostVeth).toMatch(/^veth[0-9a-f]{8}$/);
    expect(readHostFile(w.host('node01'), '/var/lib/cni/networks/cbr0/10.244.1.2')).toBe('sandbox-b\r\neth0');
    writePodFiles(w, 'controlplane', a.netns, { namespace: 'default', podName: 'a', podIP: a.ip });
    const s = await Session.create({ world: w, host: 'controlplane' });
    const run = async (l: string) => (await s.run(l, { fresh: true, noHistory: true })).output;
    expect(await run('ip route')).toBe('default via 192.168.56.1 dev eth0 \n10.244.0.0/24 dev cni0 proto kernel scope link src 10.244.0.1 \n10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink \n192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.10 \n');
    expect(await run(`ip netns exec ${a.netns} ip route`)).toBe('default via 10.244.0.1 dev eth0 \n10.244.0.0/24 dev eth0 proto kernel scope link src 10.244.0.2 \n10.244.0.0/16 via 10.244.0.1 dev eth0 \n');
    expect(await run('ip -br addr show flannel.1')).toMatch(/^flannel\.1\s+UNKNOWN\s+10\.244\.0\.0\/32 /);
    expect((await run('ip -d link show flannel.1')).split('\n')[2]).toMatch(/^ {4}vxlan id 1 local 192\.168\.56\.10 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 udpcsum /);
    const mac1 = flannelVtepMac(w, 'node01');
    expect(findLink(w.ns(w.host('node01').rootNs), 'flannel.1')!.mac).toBe(mac1);
    expect(await run('bridge fdb show dev flannel.1')).toBe(`${mac1} dst 192.168.56.11 self permanent\n`);
    expect(await run('ip neigh show dev flannel.1')).toBe(`10.244.1.0 lladdr ${mac1} PERMANENT \n`);
    expect(await run(`ip netns exec ${a.netns} ping -c 1 10.244.1.2`)).toContain('64 bytes from 10.244.1.2: icmp_seq=1 ttl=62');
    const tr = await run(`ip netns exec ${a.netns} traceroute -n -q 1 -w 1 10.244.1.2`);
    expect(tr.split('\n').slice(1, 4).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual(['1 10.244.0.1', '2 10.244.1.0', '3 10.244.1.2']);
    // the pod's files as the kubelet writes them
    expect(await run(`ip netns exec ${a.netns} cat /etc/resolv.conf`)).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    expect(await run(`ip netns exec ${a.netns} cat /etc/hosts`)).toBe('# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n10.244.0.2\ta\n');
    // flannel's chains, as a real v0.27 node has them
    expect(await run('iptables -t nat -S FLANNEL-POSTRTG')).toBe('-N FLANNEL-POSTRTG\n-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN\n-A FLANNEL-POSTRTG -s 10.244.0.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN\n-A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.0.0/24 -m comment --comment "flanneld masq" -j RETURN\n-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/24 -m comment --comment "flanneld masq" -j RETURN\n-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully\n-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully\n');
  });

  it("cni0 keeps the MAC it was created with as pods come and go (the bridge plugin's ensureAddr sets it)", () => {
    const { w } = nodes(['node01']);
    const root = () => w.ns(w.host('node01').rootNs);
    const a = cniAdd(w, 'node01', pod('a', 'sb-a'));
    const b = cniAdd(w, 'node01', pod('b', 'sb-b'));
    if (!a.ok || !b.ok) throw new Error('add failed');
    const mac = findLink(root(), 'cni0')!.mac;
    // not a port's: a bridge whose MAC nobody set takes the lowest port MAC
    const ports = [a.hostVeth, b.hostVeth].map((n) => findLink(root(), n)!.mac);
    expect(ports).not.toContain(mac);
    cniDel(w, 'node01', 'sb-a');
    expect(findLink(root(), 'cni0')!.mac).toBe(mac);
    cniDel(w, 'node01', 'sb-b');
    // no port left: still its own MAC, not 00:00:00:00:00:00
    expect(findLink(root(), 'cni0')!.mac).toBe(mac);
    const c = cniAdd(w, 'node01', pod('c', 'sb-c'));
    if (!c.ok) throw new Error('add failed');
    expect(findLink(root(), 'cni0')!.mac).toBe(mac);
  });

  it('host-local hands addresses out round robin and CNI DEL releases them', () => {
    const { w } = nodes(['node01']);
    const ip = (r: ReturnType<typeof cniAdd>) => (r.ok ? r.ip : r.message);
    expect(ip(cniAdd(w, 'node01', pod('a', 'sb-a')))).toBe('10.244.0.2');
    const b = cniAdd(w, 'node01', pod('b', 'sb-b'));
    expect(ip(b)).toBe('10.244.0.3');
    cniDel(w, 'node01', 'sb-b');
    expect(readHostFile(w.host('node01'), '/var/lib/cni/networks/cbr0/10.244.0.3')).toBeNull();
    expect(b.ok && findLink(w.ns(w.host('node01').rootNs), b.hostVeth)).toBeFalsy();
    // the next one continues after the last reserved address
    expect(ip(cniAdd(w, 'node01', pod('c', 'sb-c')))).toBe('10.244.0.4');
  });

  it('hostNetwork and dnsPolicy Default pods get the node resolv.conf as the kubelet parses it; search domains of the node are appended', () => {
    const { w } = nodes(['node01']);
    writeHostFile(w.host('node01'), '/run/systemd/resolve/resolv.conf', '# managed by systemd-resolved\nnameserver 192.168.56.1\nsearch lab.internal\n');
    writePodFiles(w, 'node01', 'cni-x', { namespace: 'kube-system', podName: 'coredns-1', podIP: '10.244.0.9', dnsPolicy: 'Default' });
    // written as containerd writes a sandbox's file: search, nameservers, options, no comments
    expect(readHostFile(w.host('node01'), '/etc/netns/cni-x/resolv.conf')).toBe('search lab.internal\nnameserver 192.168.56.1\n');
    writePodFiles(w, 'node01', 'cni-y', { namespace: 'web', podName: 'w', podIP: '10.244.0.10', subdomain: 'sub', hostname: 'w0' });
    expect(readHostFile(w.host('node01'), '/etc/netns/cni-y/resolv.conf')).toBe('search web.svc.cluster.local svc.cluster.local cluster.local lab.internal\nnameserver 10.96.0.10\noptions ndots:5\n');
    expect(readHostFile(w.host('node01'), '/etc/netns/cni-y/hosts')!.split('\n').slice(-2)[0]).toBe('10.244.0.10\tw0.sub.web.svc.cluster.local\tw0');
  });

  it("drops systemd-resolved's `search .` and trims a domain's trailing dot (kubelet parseResolvConf), and appends a pod's dnsConfig under any policy", () => {
    const { w } = nodes(['node01']);
    writeHostFile(w.host('node01'), '/run/systemd/resolve/resolv.conf', 'nameserver 192.168.122.1\nsearch .\n');
    writePodFiles(w, 'node01', 'cni-a', { namespace: 'default', podName: 'a', podIP: '10.244.0.11' });
    expect(readHostFile(w.host('node01'), '/etc/netns/cni-a/resolv.conf')).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    writePodFiles(w, 'node01', 'cni-b', { namespace: 'kube-system', podName: 'b', podIP: '10.244.0.12', dnsPolicy: 'Default' });
    expect(readHostFile(w.host('node01'), '/etc/netns/cni-b/resolv.conf')).toBe('nameserver 192.168.122.1\n');
    writeHostFile(w.host('node01'), '/run/systemd/resolve/resolv.conf', 'nameserver 192.168.122.1\nsearch lab.example.\n');
    const dnsConfig = { nameservers: ['1.2.3.4'], searches: ['ns1.svc.cluster.local', 'my.dns.search.suffix'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] };
    writePodFiles(w, 'node01', 'cni-c', { namespace: 'ns1', podName: 'c', podIP: '10.244.0.13', dnsConfig });
    expect(readHostFile(w.host('node01'), '/etc/netns/cni-c/resolv.conf')).toBe('search ns1.svc.cluster.local svc.cluster.local cluster.local lab.example my.dns.search.suffix\nnameserver 10.96.0.10\nnameserver 1.2.3.4\noptions ndots:2 edns0\n');
    writePodFiles(w, 'node01', 'cni-d', { namespace: 'ns1', podName: 'd', podIP: '10.244.0.14', dnsPolicy: 'None', dnsConfig });
    expect(readHostFile(w.host('node01'), '/etc/netns/cni-d/resolv.conf')).toBe('search ns1.svc.cluster.local my.dns.search.suffix\nnameserver 1.2.3.4\noptions ndots:2 edns0\n');
  });

  it("writes the kubelet's host name: spec.hostname, else the pod's name cut to 63 characters without a trailing '-' or '.'", () => {
    const { w } = nodes(['node01']);
    const long = 'a'.repeat(62) + '-b' + 'c'.repeat(10);
    writePodFiles(w, 'node01', 'cni-l', { namespace: 'default', podName: long, podIP: '10.244.0.15' });
    expect(readHostFile(w.host('node01'), '/etc/netns/cni-l/hostname')).toBe('a'.repeat(62) + '\n');
    writePodFiles(w, 'node01', 'cni-e', { namespace: 'default', podName: 'web-0', podIP: '10.244.0.16', hostname: '' });
    expect(readHostFile(w.host('node01'), '/etc/netns/cni-e/hostname')).toBe('web-0\n');
  });
});
