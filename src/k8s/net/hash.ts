// kube-proxy's chain names: "KUBE-SVC-" (and KUBE-EXT-, KUBE-FW-, KUBE-SEP-)
// followed by the first 16 characters of the standard base32 encoding of the
// SHA-256 of the service port's identity ("ns/name:port" + "tcp"), the
// endpoint's address:port appended for KUBE-SEP (pkg/proxy/iptables
// portProtoHash / servicePortEndpointChainName).
import { sha256 } from '@noble/hashes/sha2.js';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (no padding needed: callers keep a prefix). */
export function base32(bytes: Uint8Array): string {
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

function hash16(text: string): string {
  return base32(sha256(new TextEncoder().encode(text))).slice(0, 16);
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
