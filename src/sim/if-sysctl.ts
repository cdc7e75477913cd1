// Per-interface sysctls (net.ipv4.conf.IF.*, net.ipv6.conf.IF.*,
// net.ipv{4,6}.neigh.IF.*): the keys a device brings with it, their
// defaults (inherited from `default` as the kernel copies them when the
// device appears), and their removal and renaming with the device.
import type { Netns } from './types';

/**
 * A device's name as a component of a sysctl key: its dots become slashes (`eth0.10` ->
 * `net.ipv4.conf.eth0/10.forwarding`), as procps shows it; /proc/sys/net/ipv4/conf/eth0.10 is the file.
 */
export function sysctlDev(name: string): string {
  return name.includes('.') ? name.replaceAll('.', '/') : name;
}

/** "net.ipv4.conf.eth0/10.forwarding" -> "net/ipv4/conf/eth0.10/forwarding" (below /proc/sys) */
export function keyToProcPath(key: string): string {
  return key.split('.').map((c) => c.replaceAll('/', '.')).join('/');
}

/** path components below /proc/sys -> the dotted key (the inverse of keyToProcPath) */
export function procPathToKey(parts: string[]): string {
  return parts.map((c) => c.replaceAll('.', '/')).join('.');
}

/** Kernel defaults of the per-interface IPv4 conf keys (net.ipv4.conf.IF.*). */
const IPV4_CONF: Record<string, string> = {
  accept_local: '0',
  accept_redirects: '1',
  // ipv4_devconf_dflt has ACCEPT_SOURCE_ROUTE=1, ipv4_devconf (all) does not: set to 0 for `all` below
  accept_source_route: '1',
  arp_accept: '0',
  arp_announce: '0',
  arp_evict_nocarrier: '1',
  arp_filter: '0',
  arp_ignore: '0',
  arp_notify: '0',
  bc_forwarding: '0',
  bootp_relay: '0',
  disable_policy: '0',
  disable_xfrm: '0',
  drop_gratuitous_arp: '0',
  drop_unicast_in_l2_multicast: '0',
  force_igmp_version: '0',
  forwarding: '0',
  igmpv2_unsolicited_report_interval: '10000',
  igmpv3_unsolicited_report_interval: '1000',
  ignore_routes_with_linkdown: '0',
  log_martians: '0',
  mc_forwarding: '0',
  medium_id: '0',
  promote_secondaries: '0',
  proxy_arp: '0',
  proxy_arp_pvlan: '0',
  route_localnet: '0',
  rp_filter: '0',
  secure_redirects: '1',
  send_redirects: '1',
  shared_media: '1',
  src_valid_mark: '0',
  tag: '0',
};

/** Kernel defaults of the per-interface IPv6 conf keys (the common ones). */
const IPV6_CONF: Record<string, string> = {
  accept_dad: '1',
  accept_ra: '1',
  accept_redirects: '1',
  accept_source_route: '0',
  addr_gen_mode: '0',
  autoconf: '1',
  dad_transmits: '1',
  disable_ipv6: '0',
  forwarding: '0',
  hop_limit: '64',
  keep_addr_on_down: '0',
  mtu: '1500',
  router_solicitations: '-1',
  use_tempaddr: '0',
};

/** Kernel defaults of the per-interface neighbour keys (net.ipv4.neigh.IF.*). */
const NEIGH_CONF: Record<string, string> = {
  base_reachable_time_ms: '30000',
  delay_first_probe_time: '5',
  gc_stale_time: '60',
  mcast_solicit: '3',
  retrans_time_ms: '1000',
  ucast_solicit: '3',
};

/**
 * The per-interface sysctls that exist while a link named `ifname` exists
 * (net.ipv4.conf.IF.*, net.ipv6.conf.IF.*, net.ipv4.neigh.IF.*,
 * net.ipv6.neigh.IF.*), with kernel defaults. The same key sets exist for
 * `all` and `default`. Pass the namespace to inherit its `default` values.
 */
export function interfaceSysctls(ifname: string, ns?: Netns): Record<string, string> {
  if (!ns && ifname !== 'lo') {
    const hit = staticSysctls.get(ifname);
    if (hit) return { ...hit };
  }
  const out: Record<string, string> = {};
  writeIfSysctls(out, ifname, ns);
  if (!ns && ifname !== 'lo') {
    if (staticSysctls.size > 4096) staticSysctls.clear();
    staticSysctls.set(ifname, { ...out });
  }
  return out;
}

// The key lists as [prefix, suffix, the `default` key it inherits from, kernel default], in the order
// interfaceSysctls lists them: a device's keys are prefix + device + suffix (built once, not per device).
type KeyTpl = readonly [string, string, string | null, string];
const CONF_TPL: readonly KeyTpl[] = [
  ...Object.entries(IPV4_CONF).map(([k, v]): KeyTpl => ['net.ipv4.conf.', `.${k}`, `net.ipv4.conf.default.${k}`, v]),
  ...Object.entries(IPV6_CONF).map(([k, v]): KeyTpl => ['net.ipv6.conf.', `.${k}`, `net.ipv6.conf.default.${k}`, v]),
];
const NEIGH_TPL: readonly KeyTpl[] = Object.entries(NEIGH_CONF).flatMap(([k, v]): KeyTpl[] => [
  ['net.ipv4.neigh.', `.${k}`, null, v],
  ['net.ipv6.neigh.', `.${k}`, null, v],
]);

/** a device's CONF_TPL and NEIGH_TPL key names, by device (kept: a host of a thousand devices writes them often) */
const tplKeys = new Map<string, { conf: string[]; neigh: string[] }>();
function keysOf(dev: string): { conf: string[]; neigh: string[] } {
  let k = tplKeys.get(dev);
  if (!k) {
    if (tplKeys.size > 20_000) tplKeys.clear();
    k = { conf: CONF_TPL.map(([pre, suf]) => pre + dev + suf), neigh: NEIGH_TPL.map(([pre, suf]) => pre + dev + suf) };
    tplKeys.set(dev, k);
  }
  return k;
}

/** interfaceSysctls written straight into `out` (a namespace's plain table, when a device appears: sysctl-table.ts). */
export function writeIfSysctls(out: Record<string, string>, ifname: string, ns?: Netns): void {
  const dev = sysctlDev(ifname);
  const special = ifname === 'all' || ifname === 'default';
  const table = ns?.sysctl;
  const keys = keysOf(dev);
  for (let i = 0; i < CONF_TPL.length; i++) {
    const [, , dk, v] = CONF_TPL[i]!;
    out[keys.conf[i]!] = special || !table ? v : (table[dk!] ?? v);
  }
  if (ifname !== 'all') for (let i = 0; i < NEIGH_TPL.length; i++) out[keys.neigh[i]!] = NEIGH_TPL[i]![3];
  if (ifname === 'all') {
    // the compiled defaults of `all` differ from `default` (devinet.c ipv4_devconf, addrconf.c ipv6_devconf)
    out['net.ipv4.conf.all.accept_source_route'] = '0';
    out['net.ipv6.conf.all.accept_dad'] = '0';
  }
  if (special) out[`net.ipv6.conf.${dev}.mtu`] = '1280';
  if (ifname === 'lo') {
    out[`net.ipv6.conf.lo.mtu`] = '65536';
    // loopback: no IPsec policy/xfrm lookups (inetdev_init), no DAD nor temporary addresses (addrconf)
    out['net.ipv4.conf.lo.disable_policy'] = '1';
    out['net.ipv4.conf.lo.disable_xfrm'] = '1';
    out['net.ipv6.conf.lo.accept_dad'] = '-1';
    out['net.ipv6.conf.lo.use_tempaddr'] = '-1';
  }
  // forwarding follows the namespace's current global setting
  if (table && !special) {
    out[`net.ipv4.conf.${dev}.forwarding`] = table['net.ipv4.conf.all.forwarding'] ?? '0';
    out[`net.ipv6.conf.${dev}.forwarding`] = table['net.ipv6.conf.all.forwarding'] ?? '0';
  }
}

/** interfaceSysctls(name) without a namespace, by name (the key lists never change). */
const staticSysctls = new Map<string, Record<string, string>>();
