import { describe, expect, it } from 'vitest';
import { World } from '../../sim/world';
import { portProtoHash, sepChainName } from './hash';
import { kubeProxyRules, kubeProxySyncNs, parseRestoreRule, probability, storedProbability, type EndpointSliceLike, type ServiceLike } from './kube-proxy';

const svc = (ns: string, name: string, spec: ServiceLike['spec'], status?: ServiceLike['status']): ServiceLike => ({ metadata: { namespace: ns, name }, spec, status });
const slice = (ns: string, name: string, ips: (string | [string, boolean])[], ports: EndpointSliceLike['ports']): EndpointSliceLike => ({
  metadata: { namespace: ns, name: `${name}-abcde`, labels: { 'kubernetes.io/service-name': name } },
  addressType: 'IPv4',
  endpoints: ips.map((x) => (typeof x === 'string' ? { addresses: [x] } : { addresses: [x[0]], conditions: { ready: x[1] } })),
  ports,
});
const p80 = [{ name: 'p80', port: 80, protocol: 'TCP' }];

describe('kube-proxy chain names', () => {
  it('hash the service port name and protocol as kube-proxy does (sha256, base32, 16 chars)', () => {
    // real dumps (kubeadm v1.32 + flannel) and upstream's proxier tests
    expect(portProtoHash('default/kubernetes:https', 'tcp')).toBe('NPX46M4PTMTKRN6Y');
    expect(portProtoHash('kube-system/kube-dns:dns', 'udp')).toBe('TCOU7JCQXEZGVUNU');
    expect(portProtoHash('kube-system/kube-dns:dns-tcp', 'tcp')).toBe('ERIFXISQEP7F7OF4');
    expect(portProtoHash('kube-system/kube-dns:metrics', 'TCP')).toBe('JD5MR3NA4I4DYORP');
    expect(portProtoHash('ns1/svc1:p80', 'tcp')).toBe('XPGD46QRK7WJZT7O');
    expect(portProtoHash('default/test-svc', 'tcp')).toBe('QKNQQNIN727HO3XU');
    expect(sepChainName('kube-system/kube-dns:dns', 'udp', '10.244.0.2:53')).toBe('KUBE-SEP-YIL6JZP7A3QYXJU2');
    expect(sepChainName('default/kubernetes:https', 'tcp', '172.31.7.91:6443')).toBe('KUBE-SEP-Z256WNARC5DJQIZM');
    expect(sepChainName('ns4/svc4:p80', 'tcp', '10.180.0.5:80')).toBe('KUBE-SEP-C6EBXVWJJZMIWKLZ');
  });

  it('writes probabilities as %0.10f and iptables keeps them as fractions of 2^31', () => {
    expect([2, 3, 4, 5, 6].map(probability)).toEqual(['0.5000000000', '0.3333333333', '0.2500000000', '0.2000000000', '0.1666666667']);
    expect([2, 3, 4, 5, 6].map((n) => storedProbability(Number(probability(n))))).toEqual(['0.50000000000', '0.33333333349', '0.25000000000', '0.20000000019', '0.16666666651']);
  });
});

describe('kube-proxy rules (upstream TestOverallIPTablesRules inputs)', () => {
  // ClusterIP, NodePort, external IP with two endpoints, and a service without endpoints
  const services = [
    svc('ns1', 'svc1', { clusterIP: '172.30.0.41', ports: p80 }),
    svc('ns3', 'svc3', { type: 'NodePort', clusterIP: '172.30.0.43', ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3003 }] }),
    svc('ns4', 'svc4', { type: 'NodePort', clusterIP: '172.30.0.44', externalIPs: ['192.168.99.33'], ports: [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80 }] }),
    svc('ns6', 'svc6', { type: 'ClusterIP', clusterIP: '172.30.0.46', ports: [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80 }] }),
  ];
  const slices = [
    slice('ns1', 'svc1', ['10.180.0.1'], p80),
    slice('ns3', 'svc3', ['10.180.0.3'], p80),
    slice('ns4', 'svc4', ['10.180.0.4', '10.180.0.5'], p80),
  ];
  const r = kubeProxyRules(services, slices, { clusterCIDR: '10.0.0.0/8' });

  it('nat: the same chains and rules as upstream expects (no nfacct on this kernel)', () => {
    const expected = [
      '-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK',
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O',
      '-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK',
      '-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK',
      '-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 external IP" -m tcp -p tcp -d 192.168.99.33 --dport 80 -j KUBE-EXT-4SW47YFZTEDKD3PK',
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
      '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
      '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
      '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
      '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
      '-A KUBE-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ',
      '-A KUBE-EXT-X27LE4BHSL4DOUIK -j KUBE-SVC-X27LE4BHSL4DOUIK',
      '-A KUBE-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external destinations" -j KUBE-MARK-MASQ',
      '-A KUBE-EXT-4SW47YFZTEDKD3PK -j KUBE-SVC-4SW47YFZTEDKD3PK',
      '-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -s 10.180.0.5 -j KUBE-MARK-MASQ',
      '-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.5:80',
      '-A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ',
      '-A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80',
      '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ',
      '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80',
      '-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -s 10.180.0.4 -j KUBE-MARK-MASQ',
      '-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:80',
      '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
      '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC',
      '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ',
      '-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
      '-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.180.0.3:80" -j KUBE-SEP-OYPFS5VJICHGATKP',
      '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
      '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ',
    ];
    // rules compared chain by chain, in order within each chain (as iptables-save groups them)
    const byChain = (lines: string[]) => {
      const m = new Map<string, string[]>();
      for (const l of lines) {
        const c = l.split(' ')[1]!;
        m.set(c, [...(m.get(c) ?? []), l]);
      }
      return Object.fromEntries([...m].sort());
    };
    expect(byChain(r.nat.rules)).toEqual(byChain(expected));
    expect([...r.nat.chains].sort()).toEqual(
      ['KUBE-NODEPORTS', 'KUBE-SERVICES', 'KUBE-EXT-4SW47YFZTEDKD3PK', 'KUBE-EXT-X27LE4BHSL4DOUIK', 'KUBE-MARK-MASQ', 'KUBE-POSTROUTING', 'KUBE-SEP-C6EBXVWJJZMIWKLZ', 'KUBE-SEP-OYPFS5VJICHGATKP', 'KUBE-SEP-SXIVWICOYRO3J4NJ', 'KUBE-SEP-UKSFD7AGPMPPLUHC', 'KUBE-SVC-4SW47YFZTEDKD3PK', 'KUBE-SVC-X27LE4BHSL4DOUIK', 'KUBE-SVC-XPGD46QRK7WJZT7O'].sort(),
    );
  });

  it('filter: a service without endpoints is rejected, and the fixed chains', () => {
    expect(r.filter.rules).toEqual([
      '-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT',
      '-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
      '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
      '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
      '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    ]);
  });

  it('a NodePort service without endpoints rejects its node port too; unready endpoints are left out', () => {
    const x = kubeProxyRules(
      [svc('default', 'np', { type: 'NodePort', clusterIP: '10.96.5.5', ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }] })],
      [slice('default', 'np', [['10.244.1.2', false]], [{ name: '', port: 80, protocol: 'TCP' }])],
    );
    expect(x.filter.rules.slice(0, 2)).toEqual([
      '-A KUBE-SERVICES -m comment --comment "default/np has no endpoints" -m tcp -p tcp -d 10.96.5.5 --dport 80 -j REJECT',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/np has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j REJECT',
    ]);
    expect(x.nat.rules.some((l) => l.includes('KUBE-SVC-'))).toBe(false);
  });
});

describe('kube-proxy sync into a node namespace', () => {
  const kubernetes = svc('default', 'kubernetes', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] });
  const web = (n: number) => {
    const ips = ['10.244.1.2', '10.244.1.3', '10.244.2.2'].slice(0, n);
    return slice('default', 'web', ips, [{ name: '', port: 80, protocol: 'TCP' }]);
  };
  const webSvc = svc('default', 'web', { clusterIP: '10.101.7.7', ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] });
  const apiSlice = slice('default', 'kubernetes', ['172.31.7.91'], [{ name: 'https', port: 6443, protocol: 'TCP' }]);

  function node() {
    const w = World.create({ seed: 1 });
    w.addHost('node01');
    return { w, ns: w.ns(w.host('node01').rootNs) };
  }

  it('writes three KUBE-SEP jumps with 1/3 and 1/2, and rewrites them on scale to 1 (stale chains go)', () => {
    const { w, ns } = node();
    kubeProxySyncNs(w, ns.id, [kubernetes, webSvc], [apiSlice, web(3)], { clusterCIDR: '10.244.0.0/16' });
    const svcChain = `KUBE-SVC-${portProtoHash('default/web', 'tcp')}`;
    const chain = () => ns.netfilter.tables.nat!.chains.find((c) => c.name === svcChain)!;
    const jumps = () => chain().rules.filter((r) => r.target?.startsWith('KUBE-SEP-'));
    expect(jumps().map((r) => r.matches.find((m) => m.name === 'statistic')?.options.probability ?? null)).toEqual(['0.33333333349', '0.50000000000', null]);
    const seps = () => ns.netfilter.tables.nat!.chains.filter((c) => c.name.startsWith('KUBE-SEP-')).length;
    expect(seps()).toBe(4);
    kubeProxySyncNs(w, ns.id, [kubernetes, webSvc], [apiSlice, web(1)], { clusterCIDR: '10.244.0.0/16' });
    expect(jumps().map((r) => r.matches.find((m) => m.name === 'statistic')?.options.probability ?? null)).toEqual([null]);
    expect(seps()).toBe(2);
    // a second sync changes nothing: the jumps in the built-in chains are not duplicated
    const before = JSON.stringify(ns.netfilter);
    kubeProxySyncNs(w, ns.id, [kubernetes, webSvc], [apiSlice, web(1)], { clusterCIDR: '10.244.0.0/16' });
    expect(JSON.stringify(ns.netfilter)).toBe(before);
    expect(ns.netfilter.tables.nat!.chains.find((c) => c.name === 'PREROUTING')!.rules).toHaveLength(1);
  });

  it('keeps the built-in chains jumps in kube-proxy order (prepended) with KUBE-FIREWALL last', () => {
    const { w, ns } = node();
    kubeProxySyncNs(w, ns.id, [kubernetes], [apiSlice], { clusterCIDR: '10.244.0.0/16' });
    const targets = (table: string, chain: string) => ns.netfilter.tables[table]!.chains.find((c) => c.name === chain)!.rules.map((r) => r.target);
    expect(targets('filter', 'INPUT')).toEqual(['KUBE-PROXY-FIREWALL', 'KUBE-NODEPORTS', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FIREWALL']);
    expect(targets('filter', 'FORWARD')).toEqual(['KUBE-PROXY-FIREWALL', 'KUBE-FORWARD', 'KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES']);
    expect(targets('filter', 'OUTPUT')).toEqual(['KUBE-PROXY-FIREWALL', 'KUBE-SERVICES', 'KUBE-FIREWALL']);
    expect(targets('nat', 'PREROUTING')).toEqual(['KUBE-SERVICES']);
    expect(targets('nat', 'POSTROUTING')).toEqual(['KUBE-POSTROUTING']);
  });

  it('parses kube-proxy rules into the kernel shape iptables stores', () => {
    const { rule } = parseRestoreRule('-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000');
    expect(rule.targetOptions).toEqual({ 'set-xmark': '0x4000/0x4000' });
    expect(parseRestoreRule('-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000').rule.targetOptions).toEqual({ 'set-xmark': '0x4000/0x0' });
    const sep = parseRestoreRule('-A KUBE-SEP-X -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80').rule;
    expect([sep.protocol, sep.matches.map((m) => m.name), sep.target, sep.targetOptions]).toEqual(['tcp', ['comment', 'tcp'], 'DNAT', { 'to-destination': '10.180.0.1:80' }]);
    const masq = parseRestoreRule('-A KUBE-SVC-X -m comment --comment "a b" -m tcp -p tcp -d 10.96.0.1 --dport 443 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ').rule;
    expect([masq.source, masq.sourceInvert, masq.destination, masq.matches[1]!.options]).toEqual(['10.244.0.0/16', true, '10.96.0.1/32', { dport: '443' }]);
  });
});

describe('kube-proxy traffic policies (proxier.go syncProxyRules)', () => {
  // a LoadBalancer with externalTrafficPolicy Local: one endpoint on this node, one elsewhere
  const lb = svc('ns5', 'svc5', { type: 'LoadBalancer', clusterIP: '172.30.0.45', externalTrafficPolicy: 'Local', healthCheckNodePort: 30000, ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3002 }] }, { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } });
  const onNodes = (nodes: [string, string][]): EndpointSliceLike => ({ ...slice('ns5', 'svc5', [], p80), endpoints: nodes.map(([ip, nodeName]) => ({ addresses: [ip], nodeName })) });
  const h = portProtoHash('ns5/svc5:p80', 'tcp');
  const sep = (ip: string) => sepChainName('ns5/svc5:p80', 'tcp', `${ip}:80`);
  const lines = (rules: string[], chain: string) => rules.filter((l) => l.startsWith(`-A ${chain} `));

  it('external traffic goes to KUBE-SVL (local endpoints); pods and the node itself short-circuit to KUBE-SVC; the health check node port is accepted', () => {
    const r = kubeProxyRules([lb], [onNodes([['10.180.0.3', 'test-node'], ['10.180.0.4', 'other-node']])], { clusterCIDR: '10.0.0.0/8', nodeName: 'test-node' });
    expect(lines(r.nat.rules, `KUBE-EXT-${h}`)).toEqual([
      `-A KUBE-EXT-${h} -m comment --comment "pod traffic for ns5/svc5:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-${h}`,
      `-A KUBE-EXT-${h} -m comment --comment "masquerade LOCAL traffic for ns5/svc5:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
      `-A KUBE-EXT-${h} -m comment --comment "route LOCAL traffic for ns5/svc5:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-${h}`,
      `-A KUBE-EXT-${h} -j KUBE-SVL-${h}`,
    ]);
    expect(lines(r.nat.rules, `KUBE-SVL-${h}`)).toEqual([`-A KUBE-SVL-${h} -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j ${sep('10.180.0.3')}`]);
    // the cluster chain keeps both endpoints (internal traffic is Cluster)
    expect(lines(r.nat.rules, `KUBE-SVC-${h}`)).toHaveLength(3);
    expect(r.nat.chains).toEqual(expect.arrayContaining([`KUBE-EXT-${h}`, `KUBE-SVC-${h}`, `KUBE-SVL-${h}`, sep('10.180.0.3'), sep('10.180.0.4')]));
    expect(lines(r.nat.rules, 'KUBE-SERVICES')).toContain(`-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-${h}`);
    expect(r.filter.rules).toContain('-A KUBE-NODEPORTS -m comment --comment "ns5/svc5:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT');
    expect(r.filter.rules.filter((l) => l.includes('has no'))).toEqual([]);
  });

  it('a node without local endpoints drops external traffic in the filter table and has no KUBE-SVL chain', () => {
    const r = kubeProxyRules([lb], [onNodes([['10.180.0.4', 'other-node']])], { clusterCIDR: '10.0.0.0/8', nodeName: 'test-node' });
    expect(lines(r.nat.rules, `KUBE-EXT-${h}`)).toHaveLength(3);
    expect(r.nat.chains).not.toContain(`KUBE-SVL-${h}`);
    expect(lines(r.filter.rules, 'KUBE-EXTERNAL-SERVICES')).toEqual([
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns5/svc5:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns5/svc5:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3002 -j DROP',
    ]);
    // the cluster IP still reaches the remote endpoint
    expect(lines(r.nat.rules, 'KUBE-SERVICES')[0]).toContain(`-j KUBE-SVC-${h}`);
  });

  it('internalTrafficPolicy Local: the cluster IP goes to KUBE-SVL, and is dropped on a node without local endpoints', () => {
    const local = svc('ns7', 'svc7', { clusterIP: '172.30.0.47', internalTrafficPolicy: 'Local', ports: p80 });
    const h7 = portProtoHash('ns7/svc7:p80', 'tcp');
    const s7 = (nodes: [string, string][]): EndpointSliceLike => ({ ...slice('ns7', 'svc7', [], p80), endpoints: nodes.map(([ip, nodeName]) => ({ addresses: [ip], nodeName })) });
    const here = kubeProxyRules([local], [s7([['10.180.0.7', 'test-node'], ['10.180.0.8', 'other-node']])], { nodeName: 'test-node' });
    expect(lines(here.nat.rules, 'KUBE-SERVICES')[0]).toContain(`-j KUBE-SVL-${h7}`);
    expect(here.nat.chains).not.toContain(`KUBE-SVC-${h7}`);
    const there = kubeProxyRules([local], [s7([['10.180.0.8', 'other-node']])], { nodeName: 'test-node' });
    expect(there.filter.rules).toContain('-A KUBE-SERVICES -m comment --comment "ns7/svc7:p80 has no local endpoints" -m tcp -p tcp -d 172.30.0.47 --dport 80 -j DROP');
  });
});
