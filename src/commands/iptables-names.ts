// Host name lookups for iptables (getnameinfo for `-L` without -n,
// getaddrinfo for `-s NAME`), and for ping/traceroute/nc/curl: files first
// (/etc/hosts as the namespace sees it), then DNS through the resolver the
// DNS module registers (queries travel as packets, so a lookup can fail,
// time out or be refused exactly as on a real host).
import type { Sys } from './types';

export interface DnsResolverHooks {
  /** PTR lookup of an IPv4 address; null when DNS has no name (or no server answers) */
  reverse(sys: Sys, addr: string): string | null;
  /** A lookup of a name; [] when not found */
  forward(sys: Sys, name: string): string[];
}

let dnsHooks: DnsResolverHooks | null = null;

/** The DNS module registers its resolver here (files-then-dns is applied around it). */
export function registerDnsResolver(h: DnsResolverHooks): void {
  dnsHooks = h;
}

interface HostsEntry {
  addr: string;
  names: string[];
}

function hostsEntries(sys: Sys): HostsEntry[] {
  const text = sys.readFile('/etc/hosts') ?? '';
  const out: HostsEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [addr, ...names] = line.split(/\s+/);
    if (addr && names.length) out.push({ addr, names });
  }
  return out;
}

function canonV4(s: string): string | null {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) return null;
  const p = s.split('.').map(Number);
  if (p.some((x) => x > 255)) return null;
  return p.join('.');
}

/** getnameinfo(addr) without NI_NUMERICHOST: the host name, or null (callers print the number). */
export function lookupAddrName(sys: Sys, addr: string): string | null {
  for (const e of hostsEntries(sys)) if (canonV4(e.addr) === addr) return e.names[0]!;
  return dnsHooks ? dnsHooks.reverse(sys, addr) : null;
}

/** getaddrinfo(name, AF_INET): the IPv4 addresses of a name. */
export function lookupHostAddrs(sys: Sys, name: string): string[] {
  const out: string[] = [];
  for (const e of hostsEntries(sys)) {
    const a = canonV4(e.addr);
    if (a && e.names.includes(name) && !out.includes(a)) out.push(a);
  }
  if (out.length) return out;
  return dnsHooks ? dnsHooks.forward(sys, name) : [];
}
