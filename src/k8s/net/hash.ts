// kube-proxy's chain names: "KUBE-SVC-" (and KUBE-EXT-, KUBE-FW-, KUBE-SEP-)
// followed by the first 16 characters of the standard base32 encoding of the
// SHA-256 of the service port's identity ("ns/name:port" + "tcp"), the
// endpoint's address:port appended for KUBE-SEP (pkg/proxy/iptables
// portProtoHash / servicePortEndpointChainName).
import { kubeProxyHash } from '../../sim/kube-proxy-rules';

// every sync names the same chains again: a hash is a pure function of its input
const hashes = new Map<string, string>();
function hash16(input: string): string {
  let h = hashes.get(input);
  if (h === undefined) {
    if (hashes.size > 20_000) hashes.clear();
    h = kubeProxyHash(input);
    hashes.set(input, h);
  }
  return h;
}

/** "ns/name:port" (or "ns/name" for an unnamed port) as kube-proxy names a service port. */
export function servicePortName(namespace: string, name: string, port: string): string {
  return port ? `${namespace}/${name}:${port}` : `${namespace}/${name}`;
}

/** The hash of a service port (KUBE-SVC-, KUBE-EXT-, KUBE-FW- share it). */
export function portProtoHash(svcPortName: string, protocol: string): string {
  return hash16(svcPortName + protocol.toLowerCase());
}

/** KUBE-SEP-<hash> of one endpoint ("ip:port") of a service port. */
export function sepChainName(svcPortName: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${hash16(svcPortName + protocol.toLowerCase() + endpoint)}`;
}
