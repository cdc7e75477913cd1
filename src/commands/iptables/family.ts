// The address family a command of the xtables family works on: iptables
// (IPv4) or ip6tables (IPv6). One parser, printer and runner serve both;
// what differs is named here (the program's name, the "anywhere" prefix, a
// host's prefix length) and in the extensions each family can load.
import type { NfFamily } from '../../sim/netfilter';

export interface XtFamily {
  family: NfFamily;
  /** the program's name in its messages */
  prog: 'iptables' | 'ip6tables';
  /** the prefix that matches every address */
  any: string;
  /** a host's prefix length */
  hostLen: 32 | 128;
}

export const IPV4: XtFamily = { family: 4, prog: 'iptables', any: '0.0.0.0/0', hostLen: 32 };
export const IPV6: XtFamily = { family: 6, prog: 'ip6tables', any: '::/0', hostLen: 128 };
