// The name databases iptables consults: /etc/services and /etc/protocols
// (getservbyname & co.), the protocol names it knows by itself, and host
// names through the resolver (nsswitch files then dns; DNS queries travel as
// packets, so a lookup can time out, be refused, or show up in iptables
// counters exactly as on a real host).
import { etcProtocols, etcServices, parseServices } from '../../sim/etc-defaults';
import { getaddrinfo, resolverCtx, reverseLookup } from '../../sim/resolver';
// the packet engine installs the resolver's transport (DNS queries as packets)
import '../../sim/packet';
import type { Rule } from '../../sim/types';
import type { Sys } from '../types';

export interface NameDb {
  /** getservbyport(port, proto) */
  service(port: number, proto: string): string | null;
  /** getservbyname(name, proto) */
  port(name: string, proto: string | null): number | null;
  /** getprotobynumber */
  protoName(n: number): string | null;
  /** getprotobyname */
  protoNumber(name: string): number | null;
}

/** The last database built, and the texts it was built from: each command reads the files, parsing them again only when they changed. */
let memo: { services: string; protocols: string; db: NameDb } | null = null;

export function nameDb(sys: Sys): NameDb {
  const servicesText = sys.readFile('/etc/services') ?? etcServices;
  const protoText = sys.readFile('/etc/protocols') ?? etcProtocols;
  if (memo && memo.services === servicesText && memo.protocols === protoText) return memo.db;
  const db = buildNameDb(servicesText, protoText);
  memo = { services: servicesText, protocols: protoText, db };
  return db;
}

function buildNameDb(servicesText: string, protoText: string): NameDb {
  const services = parseServices(servicesText);
  const protos: { name: string; num: number; aliases: string[] }[] = [];
  for (const raw of protoText.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [name, num, ...aliases] = line.split(/\s+/);
    if (name && num && /^\d+$/.test(num)) protos.push({ name, num: Number(num), aliases });
  }
  return {
    service: (port, proto) => services.find((s) => s.port === port && s.proto === proto)?.name ?? null,
    port: (name, proto) => {
      const e = services.find((s) => (proto === null || s.proto === proto) && (s.name === name || s.aliases.includes(name)));
      return e ? e.port : null;
    },
    protoName: (n) => protos.find((p) => p.num === n)?.name ?? null,
    protoNumber: (name) => protos.find((p) => p.name === name || p.aliases.includes(name))?.num ?? null,
  };
}

/** xtables_chain_protos: names iptables knows without /etc/protocols. */
export const CHAIN_PROTOS: [string, number][] = [
  ['tcp', 6],
  ['sctp', 132],
  ['udp', 17],
  ['udplite', 136],
  ['icmp', 1],
  ['ipv6-icmp', 58],
  ['icmpv6', 58],
  ['esp', 50],
  ['ah', 51],
  ['mobility-header', 135],
  ['ipv6-mh', 135],
  ['mh', 135],
  ['all', 0],
];

export function chainProtoName(n: number): string | null {
  return CHAIN_PROTOS.find(([, v]) => v === n)?.[0] ?? null;
}

/** proto_to_name(proto, nolookup) */
export function protoToName(db: NameDb, n: number, nolookup: boolean): string | null {
  const c = chainProtoName(n);
  if (c) return c;
  if (n && !nolookup) return db.protoName(n);
  return null;
}

/** The protocol number a rule stores (null = any). */
export function ruleProtoNum(r: Pick<Rule, 'protocol'>): number {
  if (r.protocol === null) return 0;
  if (/^\d+$/.test(r.protocol)) return Number(r.protocol);
  return CHAIN_PROTOS.find(([n]) => n === r.protocol)?.[1] ?? 0;
}

/** getnameinfo(addr) for a name: the host name, or null (callers print the number). */
export function lookupAddrName(sys: Sys, addr: string): string | null {
  return reverseLookup(resolverCtx(sys), addr);
}

/** getaddrinfo(name, AF_INET or AF_INET6): the addresses of a name in the family ([] when it does not resolve). */
export function lookupHostAddrs(sys: Sys, name: string, family: 4 | 6 = 4): string[] {
  const r = getaddrinfo(resolverCtx(sys), name, { family });
  return r.ok ? r.addrs.filter((a) => a.family === family).map((a) => a.addr) : [];
}

/** The database of a fresh host's /etc/services and /etc/protocols (for text made away from a shell: the map's step list). */
export function defaultNameDb(): NameDb {
  return buildNameDb(etcServices, etcProtocols);
}
