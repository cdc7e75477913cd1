// kube-proxy's side of the plain-state cluster (src/sim/k8s.ts): its chain-name hash and the iptables commands it
// would issue. Apart from k8s.ts so that the kernel's core, which reads the cluster's state (DNS, the map), does not
// carry sha256: only the Kubernetes layer and the cluster scenarios (chunks loaded on first use) need them.
import { sha256 } from '@noble/hashes/sha2.js';
import { endpointsOf, type K8sCluster } from './k8s';

/** kube-proxy's chain-name hash (portProtoHash): the first 16 characters of base32(sha256(identity)). */
export function kubeProxyHash(input: string): string {
  return base32(sha256(new TextEncoder().encode(input))).slice(0, 16);
}

/** RFC 4648 base32 (no padding). */
export function base32(bytes: Uint8Array): string {
  const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += B32[(acc << (5 - bits)) & 31];
  return out;
}

/** The iptables commands kube-proxy (iptables mode) would issue for the cluster's Services, in order. */
export function kubeProxyRules(c: K8sCluster): string[] {
  const out: string[] = [];
  const nat = (rule: string) => out.push(`iptables -t nat ${rule}`);
  for (const ch of ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ']) nat(`-N ${ch}`);
  nat('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  nat('-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  nat('-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING');
  nat('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000');
  nat('-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN');
  nat('-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0');
  nat('-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully');
  for (const svc of c.services) {
    const eps = endpointsOf(c, svc);
    for (const port of svc.ports) {
      const id = `${svc.namespace}/${svc.name}${port.name ? ':' + port.name : ''}`;
      const proto = port.protocol.toLowerCase();
      const svcChain = `KUBE-SVC-${kubeProxyHash(id + proto)}`;
      const comment = `"${id} cluster IP"`;
      if (eps.length === 0) continue;
      nat(`-N ${svcChain}`);
      nat(`-A KUBE-SERVICES -d ${svc.clusterIP}/32 -p ${proto} -m comment --comment ${comment} -m ${proto} --dport ${port.port} -j ${svcChain}`);
      nat(`-A ${svcChain} ! -s ${c.podCIDR} -d ${svc.clusterIP}/32 -p ${proto} -m comment --comment ${comment} -m ${proto} --dport ${port.port} -j KUBE-MARK-MASQ`);
      if (port.nodePort) {
        const extChain = `KUBE-EXT-${kubeProxyHash(id + proto)}`;
        nat(`-N ${extChain}`);
        nat(`-A KUBE-NODEPORTS -p ${proto} -m comment --comment "${id}" -m ${proto} --dport ${port.nodePort} -j ${extChain}`);
        nat(`-A ${extChain} -m comment --comment "masquerade traffic for ${id} external destinations" -j KUBE-MARK-MASQ`);
        nat(`-A ${extChain} -j ${svcChain}`);
      }
      eps.forEach((ep, i) => {
        const sepChain = `KUBE-SEP-${kubeProxyHash(id + proto + `${ep.ip}:${port.targetPort}`)}`;
        nat(`-N ${sepChain}`);
        const left = eps.length - i;
        const stat = left > 1 ? ` -m statistic --mode random --probability ${(1 / left).toFixed(11)}` : '';
        nat(`-A ${svcChain} -m comment --comment "${id} -> ${ep.ip}:${port.targetPort}"${stat} -j ${sepChain}`);
        nat(`-A ${sepChain} -s ${ep.ip}/32 -m comment --comment "${id}" -j KUBE-MARK-MASQ`);
        nat(`-A ${sepChain} -p ${proto} -m comment --comment "${id}" -m ${proto} -j DNAT --to-destination ${ep.ip}:${port.targetPort}`);
      });
    }
  }
  nat('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS');
  return out;
}
