// The tables iptables-nft knows, their built-in chains (hooks), and the
// target names that are extensions rather than chains.

export type NfTableName = 'raw' | 'mangle' | 'filter' | 'security' | 'nat';
export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

/** Hook numbers (NF_INET_*): the order iptables lists built-in chains in. */
export const HOOKS: Hook[] = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

/** Built-in chains of each table, in hook order. */
export const TABLE_CHAINS: Record<NfTableName, Hook[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

/** The order iptables-nft keeps its tables in (iptables-save prints existing tables in this order). */
export const TABLE_ORDER: NfTableName[] = ['mangle', 'security', 'raw', 'filter', 'nat'];

/** Targets that are extensions or verdicts rather than chains. */
export const TARGETS = ['ACCEPT', 'DROP', 'RETURN', 'QUEUE', 'REJECT', 'LOG', 'MASQUERADE', 'SNAT', 'DNAT', 'REDIRECT', 'MARK', 'NOTRACK', 'CT'] as const;
const TARGET_SET = new Set<string>(TARGETS);

export function isTargetExtension(name: string): boolean {
  return TARGET_SET.has(name);
}

export function isBuiltinTable(name: string): name is NfTableName {
  return Object.prototype.hasOwnProperty.call(TABLE_CHAINS, name);
}

export function isBuiltinChain(table: NfTableName, chain: string): chain is Hook {
  return (TABLE_CHAINS[table] as string[]).includes(chain);
}

const PROTO_NUM: ReadonlyMap<string, number> = new Map(Object.entries({ all: 0, tcp: 6, udp: 17, icmp: 1, sctp: 132, udplite: 136, 'ipv6-icmp': 58, icmpv6: 58, esp: 50, ah: 51, 'mobility-header': 135, 'ipv6-mh': 135, mh: 135, gre: 47, ipip: 4 }));

/** The protocol number a rule's protocol text stands for (0: any, -1: unknown). */
export function protoNumber(p: string | null): number {
  if (p === null) return 0;
  if (/^\d+$/.test(p)) return Number(p);
  return PROTO_NUM.get(p) ?? -1;
}
