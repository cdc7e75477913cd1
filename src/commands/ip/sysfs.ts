// /sys/class/net: one directory per device of the namespace, with the attribute files the kernel's
// net-sysfs.c shows (address, mtu, operstate, carrier, ifindex, statistics/..., ...), computed from the link.
import type { ProcProvider, Sys } from '../types';
import { KernelError } from '../../sim/errors';
import { linkCarrier, linkIfFlags, linkOperState, resolveRef } from '../../sim/netdev';
import type { Link } from '../../sim/types';

const ROOT = '/sys/class/net';

/** ARPHRD_* of a device (if_arp.h): loopback 772, everything else here is Ethernet */
const arphrd = (l: Link) => (l.kind === 'loopback' ? 772 : 1);

const STATS: Record<string, (l: Link) => number> = Object.assign(Object.create(null) as Record<string, (l: Link) => number>, {
  rx_bytes: (l: Link) => l.stats.rxBytes,
  rx_packets: (l: Link) => l.stats.rxPackets,
  rx_errors: (l: Link) => l.stats.rxErrors,
  rx_dropped: (l: Link) => l.stats.rxDropped,
  tx_bytes: (l: Link) => l.stats.txBytes,
  tx_packets: (l: Link) => l.stats.txPackets,
  tx_errors: (l: Link) => l.stats.txErrors,
  tx_dropped: (l: Link) => l.stats.txDropped,
  multicast: (l: Link) => l.stats.multicast,
  collisions: () => 0,
});

type Attr = (sys: Sys, l: Link) => string;
const ATTRS: Record<string, Attr> = Object.assign(Object.create(null) as Record<string, Attr>, {
  addr_assign_type: (_s: Sys, l: Link) => (l.kind === 'ether' || l.kind === 'loopback' ? '0' : '1'),
  addr_len: () => '6',
  address: (_s: Sys, l: Link) => l.mac,
  broadcast: (_s: Sys, l: Link) => l.broadcast,
  carrier: (s: Sys, l: Link) => {
    // netdev_show: the attribute is readable only while the device is up
    if (!l.adminUp) throw new KernelError('EINVAL');
    return linkCarrier(s.world, s.world.ns(s.ns), l) ? '1' : '0';
  },
  dev_id: () => '0x0',
  // dev->flags: without the operational bits dev_get_flags() adds (IFF_RUNNING, IFF_LOWER_UP, IFF_DORMANT)
  flags: (s: Sys, l: Link) => '0x' + (linkIfFlags(s.world, s.world.ns(s.ns), l) & ~(0x40 | 0x10000 | 0x20000)).toString(16),
  ifalias: () => '',
  ifindex: (_s: Sys, l: Link) => String(l.ifindex),
  iflink: (s: Sys, l: Link) => String((l.peer && resolveRef(s.world, l.peer)?.link.ifindex) ?? l.ifindex),
  mtu: (_s: Sys, l: Link) => String(l.mtu),
  operstate: (s: Sys, l: Link) => linkOperState(s.world, s.world.ns(s.ns), l).toLowerCase(),
  tx_queue_len: (_s: Sys, l: Link) => String(l.qlen),
  type: (_s: Sys, l: Link) => String(arphrd(l)),
});

function split(path: string): { link: string; rest: string[] } | null {
  if (path !== ROOT && !path.startsWith(ROOT + '/')) return null;
  const parts = path.slice(ROOT.length).split('/').filter(Boolean);
  return { link: parts[0] ?? '', rest: parts.slice(1) };
}

const linkOf = (sys: Sys, name: string) => sys.world.ns(sys.ns).links.find((l) => l.name === name);

export const sysClassNet: ProcProvider = {
  read(sys, path) {
    const p = split(path);
    if (!p || !p.link) return null;
    const l = linkOf(sys, p.link);
    if (!l) return null;
    if (p.rest.length === 1 && ATTRS[p.rest[0]!]) return ATTRS[p.rest[0]!]!(sys, l) + '\n';
    if (p.rest.length === 2 && p.rest[0] === 'statistics' && STATS[p.rest[1]!]) return String(STATS[p.rest[1]!]!(l)) + '\n';
    return null;
  },
  list(sys, path) {
    const p = split(path);
    if (!p) return null;
    if (!p.link) return sys.world.ns(sys.ns).links.map((l) => l.name);
    if (!linkOf(sys, p.link)) return null;
    if (p.rest.length === 0) return [...Object.keys(ATTRS), 'statistics'].sort();
    if (p.rest.length === 1 && p.rest[0] === 'statistics') return Object.keys(STATS).sort();
    return null;
  },
  stat(sys, path) {
    const p = split(path);
    if (!p) return null;
    if (!p.link) return { type: 'dir', mode: 0o755 };
    const l = linkOf(sys, p.link);
    if (!l) return null;
    if (p.rest.length === 0 || (p.rest.length === 1 && p.rest[0] === 'statistics')) return { type: 'dir', mode: 0o755 };
    if (p.rest.length === 1 && ATTRS[p.rest[0]!]) return { type: 'file', mode: 0o444 };
    if (p.rest.length === 2 && p.rest[0] === 'statistics' && STATS[p.rest[1]!]) return { type: 'file', mode: 0o444 };
    return null;
  },
};
