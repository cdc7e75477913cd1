// Host name lookups for the netfilter and packet tools, through the
// resolver (nsswitch files then dns; DNS queries travel as packets, so a
// lookup can time out, be refused, or show up in iptables counters exactly
// as on a real host).
import { getaddrinfo, resolverCtx, reverseLookup } from '../sim/resolver';
// the packet engine installs the resolver's transport (DNS queries as packets)
import '../sim/packet';
import type { Sys } from './types';

/** getnameinfo(addr) for a name: the host name, or null (callers print the number). */
export function lookupAddrName(sys: Sys, addr: string): string | null {
  return reverseLookup(resolverCtx(sys), addr);
}

/** getaddrinfo(name, AF_INET): the IPv4 addresses of a name ([] when it does not resolve). */
export function lookupHostAddrs(sys: Sys, name: string): string[] {
  const r = getaddrinfo(resolverCtx(sys), name, { family: 4 });
  return r.ok ? r.addrs.filter((a) => a.family === 4).map((a) => a.addr) : [];
}
