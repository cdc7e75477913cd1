// A fresh network namespace's sysctls (World.newNamespace; the saved form of a world keeps only what differs).
import { interfaceSysctls } from './if-sysctl';

/** Default sysctls of a fresh network namespace (kernel defaults), including the conf.all / conf.default key sets. */
export function defaultSysctls(): Record<string, string> {
  return { ...(DEFAULT_SYSCTLS ??= compiledSysctls()) };
}
let DEFAULT_SYSCTLS: Record<string, string> | null = null;

function compiledSysctls(): Record<string, string> {
  return {
    ...interfaceSysctls('all'),
    ...interfaceSysctls('default'),
    'net.ipv4.ip_forward': '0',
    'net.ipv4.conf.all.forwarding': '0',
    'net.ipv4.conf.default.forwarding': '0',
    'net.ipv4.ping_group_range': '1\t0',
    'net.ipv4.ip_default_ttl': '64',
    'net.ipv6.conf.all.forwarding': '0',
    'net.ipv6.conf.all.disable_ipv6': '0',
    'net.ipv6.conf.default.disable_ipv6': '0',
    'net.bridge.bridge-nf-call-iptables': '1',
    'net.bridge.bridge-nf-call-ip6tables': '1',
    'net.bridge.bridge-nf-call-arptables': '1',
    'net.ipv4.ip_local_port_range': '32768\t60999',
    'net.ipv4.conf.all.rp_filter': '0',
    'net.ipv4.conf.default.rp_filter': '0',
    'net.ipv4.tcp_syncookies': '1',
    'net.core.somaxconn': '4096',
  };
}
