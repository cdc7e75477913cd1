// print_linkinfo (ip/ipaddress.c): how `ip link` / `ip addr` print a device,
// in full, brief, one-line and JSON forms, with -d details and -s stats.
import { IFF, bridgePorts, linkByIndex, linkIfFlags, linkOperState, portCost, portState, BR_STATE_NAMES, vethPeer } from '../../sim/netdev';
import { nsidAlloc } from '../../sim/netns';
import type { Link, Netns } from '../../sim/types';
import type { World } from '../../sim/world';
import { cfmt, type Color, type IpCtx, type Printer } from './utils';

export interface LinkFilter {
  ifindex: number;
  up: boolean;
  /** >0: only ports of this master; -1: only links without master */
  master: number;
  kind: string | null;
  slaveKind: string | null;
  /** 0 (any), 4, 6, or 'link' (AF_PACKET: ip link) */
  family: 0 | 4 | 6 | 'link';
  group: number;
  /** print "qlen N" */
  showqueue: boolean;
}

export function emptyLinkFilter(): LinkFilter {
  return { ifindex: 0, up: false, master: 0, kind: null, slaveKind: null, family: 0, group: -1, showqueue: true };
}

/** IFLA_INFO_KIND: what `type X` matches (lo and physical NICs have none). */
export function linkKindName(link: Link): string | null {
  switch (link.kind) {
    case 'veth':
      return 'veth';
    case 'bridge':
      return 'bridge';
    case 'dummy':
      return 'dummy';
    case 'vxlan':
      return 'vxlan';
    default:
      return null;
  }
}

interface IfLink {
  /** IFLA_LINK ifindex (0: none) */
  iflink: number;
  /** IFLA_LINK_NETNSID when the peer lives in another namespace */
  netnsid: number | null;
}

/** IFLA_LINK / IFLA_LINK_NETNSID of a device as the kernel reports them (dumping allocates the peer namespace's id). */
export function ifLinkOf(world: World, ns: Netns, link: Link): IfLink {
  if (link.kind !== 'veth' || !link.peer) return { iflink: 0, netnsid: null };
  const peer = vethPeer(world, link);
  if (!peer) return { iflink: 0, netnsid: null };
  if (peer.ns.id === ns.id) return { iflink: peer.link.ifindex, netnsid: null };
  return { iflink: peer.link.ifindex, netnsid: nsidAlloc(world, ns.id, peer.ns.id) };
}

/** Name of the namespace an nsid designates (iproute2's get_name_from_nsid over /run/netns), or null. */
export function nameFromNsid(ctx: IpCtx, id: number): string | null {
  const h = ctx.sys.world.state.hosts[ctx.sys.host];
  if (!h) return null;
  const ns = ctx.sys.world.ns(ctx.ns);
  for (const [name, nsId] of Object.entries(h.netns)) if (ns.nsids[nsId] === id) return name;
  return null;
}

/** print_name_and_link: "name@peer" / "name@ifN"; returns the M-DOWN flag. */
export function printNameAndLink(ctx: IpCtx, fmt: string, ns: Netns, link: Link, inet6Dump = false): boolean {
  const p = ctx.p;
  const il = ifLinkOf(ctx.sys.world, ns, link);
  // the IPv6 link dump (inet6_fill_ifinfo) carries IFLA_LINK but no IFLA_LINK_NETNSID
  if (inet6Dump) il.netnsid = null;
  let name = link.name;
  let mdown = false;
  if (il.iflink) {
    if (il.netnsid != null) {
      if (p.isJson()) p.int('json', 'link_index', null, il.iflink);
      else name = `${name}@if${il.iflink}`;
    } else {
      const peer = linkByIndex(ns, il.iflink);
      const pname = peer ? peer.name : `if${il.iflink}`;
      if (p.isJson()) p.string('json', 'link', null, pname);
      else name = `${name}@${pname}`;
      // ll_index_to_flags: an index unknown here gives -1 (no M-DOWN)
      mdown = !!peer && !peer.adminUp;
    }
  }
  p.string('any', 'ifname', fmt, name, 'ifname');
  return mdown;
}

const FLAG_ORDER: Array<[keyof typeof IFF, number]> = [
  ['LOOPBACK', IFF.LOOPBACK],
  ['BROADCAST', IFF.BROADCAST],
  ['POINTOPOINT', IFF.POINTOPOINT],
  ['MULTICAST', IFF.MULTICAST],
  ['NOARP', IFF.NOARP],
  ['ALLMULTI', IFF.ALLMULTI],
  ['PROMISC', IFF.PROMISC],
  ['MASTER', IFF.MASTER],
  ['SLAVE', IFF.SLAVE],
  ['DEBUG', IFF.DEBUG],
  ['DYNAMIC', IFF.DYNAMIC],
  ['AUTOMEDIA', IFF.AUTOMEDIA],
  ['PORTSEL', IFF.PORTSEL],
  ['NOTRAILERS', IFF.NOTRAILERS],
  ['UP', IFF.UP],
  ['LOWER_UP', IFF.LOWER_UP],
  ['DORMANT', IFF.DORMANT],
  ['ECHO', IFF.ECHO],
];

/**
 * A bridge port's first six flags (IFLA_BRPORT_MODE, _GUARD, _PROTECT, _FAST_LEAVE, _LEARNING, _UNICAST_FLOOD), in
 * the order and with the defaults both `bridge -d link` and `ip -d link` print them; `oo` prints one flag.
 */
export function printPortModeFlags(oo: (key: string, dflt: boolean) => void): void {
  oo('hairpin', false);
  oo('guard', false);
  oo('root_block', false);
  oo('fastleave', false);
  oo('learning', true);
  oo('flood', true);
}

/** print_link_flags: "<NO-CARRIER,BROADCAST,...,M-DOWN> " */
export function printLinkFlags(p: Printer, flagsIn: number, mdown: boolean): void {
  let flags = flagsIn;
  p.openArray('any', p.isJson() ? 'flags' : '<');
  if (flags & IFF.UP && !(flags & IFF.RUNNING)) p.string('any', null, flags ? '%s,' : '%s', 'NO-CARRIER');
  flags &= ~IFF.RUNNING;
  for (const [name, bit] of FLAG_ORDER) {
    if (flags & bit) {
      flags &= ~bit;
      p.string('any', null, flags ? '%s,' : '%s', name);
    }
  }
  if (flags) p.string('any', null, '%s', flags.toString(16));
  if (mdown) p.string('any', null, ',%s', 'M-DOWN');
  p.closeArray('any', '> ');
}

function operColor(state: string): Color {
  return state === 'UP' ? 'up' : state === 'DOWN' ? 'down' : null;
}

export function printOperstate(ctx: IpCtx, state: string): void {
  const p = ctx.p;
  if (ctx.opts.brief) {
    p.string('any', 'operstate', '%-14s ', state, operColor(state));
  } else if (p.isJson()) {
    p.string('json', 'operstate', null, state);
  } else {
    p.text('state ');
    p.string('fp', null, '%s ', state, operColor(state));
  }
}

/** Does a link pass the link-level filters (master, kind, up, group)? */
export function linkPasses(ns: Netns, link: Link, f: LinkFilter): boolean {
  if (f.ifindex && link.ifindex !== f.ifindex) return false;
  if (f.up && !link.adminUp) return false;
  if (f.group !== -1 && f.group !== 0) return false;
  if (f.master > 0 && link.master !== f.master) return false;
  if (f.master === -1 && link.master != null) return false;
  if (f.kind && linkKindName(link) !== f.kind) return false;
  if (f.slaveKind) {
    if (link.master == null) return false;
    const m = linkByIndex(ns, link.master);
    if (!m || linkKindName(m) !== f.slaveKind) return false;
  }
  return true;
}

/** numtxqueues / numrxqueues: veths get one per CPU (2), others 1. */
function numQueues(link: Link): number {
  return link.kind === 'veth' ? 2 : 1;
}

function mtuBounds(link: Link): [number, number] {
  if (link.kind === 'loopback' || link.kind === 'dummy') return [0, 0];
  return [68, 65535];
}

/** iproute2's bridge id text: priority in hex, MAC bytes without leading zeros. */
export function bridgeIdText(prio: number, mac: string): string {
  return `${prio.toString(16).padStart(4, '0')}.${mac.split(':').map((b) => parseInt(b, 16).toString(16)).join(':')}`;
}

/** br_print_timer: "%4i.%.2i" of a timer in seconds. */
function timer(p: Printer, key: string, v: number): void {
  const cs = Math.max(0, Math.round(v * 100));
  p.string('fp', null, '%s ', `${key} ${cfmt('%4d.%02d', Math.floor(cs / 100), cs % 100)}`);
  p.uint('json', key, null, cs);
}

/** Seconds left on a countdown of `period` seconds started at `since` (ms), 0 once it ran out. */
function countdown(ctx: IpCtx, since: number | null, period: number, periodic = false): number {
  if (since == null) return 0;
  let elapsed = (ctx.sys.world.now() - since) / 1000;
  if (periodic) elapsed %= period;
  return Math.max(0, period - elapsed);
}

/** When a port last became able to forward: the later of its own, its veth peer's and its bridge's coming up. */
function carrierSince(ctx: IpCtx, port: Link, br: Link): number | null {
  let t = Math.max(port.upSince ?? 0, br.upSince ?? 0);
  const peer = vethPeer(ctx.sys.world, port);
  if (peer) t = Math.max(t, peer.link.upSince ?? 0);
  return t;
}

function portNo(ns: Netns, port: Link): number {
  if (port.master == null) return 0;
  const ports = bridgePorts(ns, port.master);
  return ports.indexOf(port) + 1;
}

function printDetails(ctx: IpCtx, ns: Netns, link: Link, doLink: boolean): void {
  const p = ctx.p;
  const isPort = link.master != null;
  p.uint('any', 'promiscuity', ' promiscuity %u ', (isPort ? 1 : 0) + (link.userFlags?.promisc ? 1 : 0));
  p.uint('any', 'allmulti', ' allmulti %u ', (isPort ? 1 : 0) + (link.userFlags?.allmulti ? 1 : 0));
  const [minmtu, maxmtu] = mtuBounds(link);
  p.uint('any', 'min_mtu', 'minmtu %u ', minmtu);
  p.uint('any', 'max_mtu', 'maxmtu %u ', maxmtu);
  const kind = linkKindName(link);
  if (kind || isPort) {
    p.openObject('linkinfo');
    if (kind) {
      p.nl();
      p.string('any', 'info_kind', '    %s ', kind);
      if (kind === 'bridge' && link.bridge) {
        p.openObject('info_data');
        const b = link.bridge;
        const id = bridgeIdText(b.priority, link.mac);
        const u = (k: string, v: number) => p.uint('any', k, `${k} %u `, v);
        u('forward_delay', b.forwardDelay);
        u('hello_time', b.helloTime);
        u('max_age', b.maxAge);
        u('ageing_time', b.ageingTime);
        u('stp_state', b.stpState);
        u('priority', b.priority);
        u('vlan_filtering', b.vlanFiltering ? 1 : 0);
        p.string('any', 'bridge_id', 'bridge_id %s ', id);
        p.string('any', 'root_id', 'designated_root %s ', id);
        u('root_port', 0);
        u('root_path_cost', 0);
        u('topology_change', 0);
        u('topology_change_detected', 0);
        timer(p, 'hello_timer', 0);
        timer(p, 'tcn_timer', 0);
        timer(p, 'topology_change_timer', 0);
        timer(p, 'gc_timer', link.adminUp ? countdown(ctx, link.upSince, 300, true) : 0);
        u('group_fwd_mask', 0);
        p.string('any', 'group_addr', 'group_address %s ', '01:80:c2:00:00:00');
        u('mcast_snooping', 1);
        u('no_linklocal_learn', 0);
        u('mcast_vlan_snooping', 0);
        u('mcast_router', 1);
        u('mcast_query_use_ifaddr', 0);
        u('mcast_querier', 0);
        u('mcast_hash_elasticity', 16);
        u('mcast_hash_max', 4096);
        u('mcast_last_member_count', 2);
        u('mcast_startup_query_count', 2);
        u('mcast_last_member_interval', 100);
        u('mcast_membership_interval', 26000);
        u('mcast_querier_interval', 25500);
        u('mcast_query_interval', 12500);
        u('mcast_query_response_interval', 1000);
        u('mcast_startup_query_interval', 3124);
        u('mcast_stats_enabled', 0);
        u('mcast_igmp_version', 2);
        u('mcast_mld_version', 1);
        u('nf_call_iptables', 0);
        u('nf_call_ip6tables', 0);
        u('nf_call_arptables', 0);
        p.closeObject();
      }
      if (kind === 'vxlan' && link.vxlan) printVxlan(p, ns, link.vxlan);
    }
    if (isPort) {
      const br = linkByIndex(ns, link.master!)!;
      p.nl();
      p.string('any', 'info_slave_kind', '    %s_slave ', 'bridge');
      p.openObject('info_slave_data');
      const st = portState(ctx.sys.world, ns, link);
      const no = portNo(ns, link);
      const id = bridgeIdText(br.bridge?.priority ?? 32768, br.mac);
      p.string('any', 'state', 'state %s ', BR_STATE_NAMES[st] ?? String(st));
      p.int('any', 'priority', 'priority %d ', link.brport?.priority ?? 32);
      p.int('any', 'cost', 'cost %d ', link.brport?.cost ?? portCost(link));
      const oo = (k: string, v: boolean) => p.onOff('any', k, `${k} %s `, link.brport?.flags?.[k] ?? v);
      printPortModeFlags(oo);
      p.string('any', 'port_id', 'port_id %s ', `0x${(0x8000 | no).toString(16)}`);
      p.string('any', 'port_no', 'port_no %s ', `0x${no.toString(16)}`);
      p.uint('any', 'designated_port', 'designated_port %u ', 0x8000 | no);
      p.uint('any', 'designated_cost', 'designated_cost %u ', 0);
      p.string('any', 'bridge_id', 'designated_bridge %s ', id);
      p.string('any', 'root_id', 'designated_root %s ', id);
      timer(p, 'hold_timer', 0);
      timer(p, 'message_age_timer', 0);
      timer(p, 'forward_delay_timer', st === 3 ? countdown(ctx, carrierSince(ctx, link, br), (br.bridge?.forwardDelay ?? 1500) / 100) : 0);
      p.uint('any', 'topology_change_ack', 'topology_change_ack %u ', 0);
      p.uint('any', 'config_pending', 'config_pending %u ', 0);
      oo('proxy_arp', false);
      oo('proxy_arp_wifi', false);
      p.uint('any', 'multicast_router', 'mcast_router %u ', 1);
      oo('mcast_fast_leave', false);
      oo('mcast_flood', true);
      oo('bcast_flood', true);
      oo('mcast_to_unicast', false);
      oo('neigh_suppress', false);
      p.string('any', 'group_fwd_mask', 'group_fwd_mask %s ', '0');
      p.string('any', 'group_fwd_mask_str', 'group_fwd_mask_str %s ', '0x0');
      oo('vlan_tunnel', false);
      oo('isolated', false);
      oo('locked', false);
      p.closeObject();
    }
    p.closeObject();
  }
  if (doLink) p.string('any', 'inet6_addr_gen_mode', 'addrgenmode %s ', 'eui64');
  p.uint('any', 'num_tx_queues', 'numtxqueues %u ', numQueues(link));
  p.uint('any', 'num_rx_queues', 'numrxqueues %u ', numQueues(link));
  p.uint('any', 'gso_max_size', 'gso_max_size %u ', 65536);
  p.uint('any', 'gso_max_segs', 'gso_max_segs %u ', 65535);
  p.uint('any', 'tso_max_size', 'tso_max_size %u ', link.kind === 'vxlan' && link.vxlan?.dev == null ? 65536 : 524280);
  p.uint('any', 'tso_max_segs', 'tso_max_segs %u ', 65535);
  p.uint('any', 'gro_max_size', 'gro_max_size %u ', 65536);
}

/** iplink_vxlan.c vxlan_print_opt, for the attributes the model has. */
function printVxlan(p: Printer, ns: Netns, v: NonNullable<Link['vxlan']>): void {
  p.openObject('info_data');
  p.uint('any', 'id', 'id %u ', v.id);
  const def = v.fdb.find((e) => e.mac === '00:00:00:00:00:00');
  if (def) p.string('any', 'remote', 'remote %s ', def.dst);
  if (v.local) p.string('any', 'local', 'local %s ', v.local);
  const dev = v.dev != null ? linkByIndex(ns, v.dev) : undefined;
  if (dev) p.string('any', 'link', 'dev %s ', dev.name);
  p.openObject('port_range');
  p.uint('any', 'low', 'srcport %u ', 0);
  p.uint('any', 'high', '%u ', 0);
  p.closeObject();
  p.uint('any', 'port', 'dstport %u ', v.dstport);
  p.bool('json', 'learning', null, v.learning);
  if (!v.learning) p.string('fp', null, '%s', 'nolearning ');
  if (v.ttl === null) p.string('fp', null, '%s', 'ttl auto ');
  else p.uint('any', 'ttl', 'ttl %u ', v.ttl);
  p.uint('any', 'ageing', 'ageing %u ', v.ageing);
  // the checksum flags: "no" before the name when off
  for (const [key, name, on] of [['udp_csum', 'udpcsum', true], ['udp_zero_csum6_tx', 'udp6zerocsumtx', false], ['udp_zero_csum6_rx', 'udp6zerocsumrx', false]] as const) {
    p.bool('json', key, null, on);
    p.string('fp', null, '%s', `${on ? '' : 'no'}${name} `);
  }
  p.closeObject();
}

/** print_stats64 without -s -s extras. */
export function printStats64(ctx: IpCtx, link: Link): void {
  const p = ctx.p;
  const s = link.stats;
  if (p.isJson()) {
    p.openObject('stats64');
    p.openObject('rx');
    p.uint('json', 'bytes', null, s.rxBytes);
    p.uint('json', 'packets', null, s.rxPackets);
    p.uint('json', 'errors', null, s.rxErrors);
    p.uint('json', 'dropped', null, s.rxDropped);
    p.uint('json', 'over_errors', null, 0);
    p.uint('json', 'multicast', null, s.multicast);
    if (ctx.opts.stats > 1) for (const k of ['length_errors', 'crc_errors', 'frame_errors', 'fifo_errors', 'missed_errors']) p.uint('json', k, null, 0);
    p.closeObject();
    p.openObject('tx');
    p.uint('json', 'bytes', null, s.txBytes);
    p.uint('json', 'packets', null, s.txPackets);
    p.uint('json', 'errors', null, s.txErrors);
    p.uint('json', 'dropped', null, s.txDropped);
    p.uint('json', 'carrier_errors', null, 0);
    p.uint('json', 'collisions', null, 0);
    if (ctx.opts.stats > 1) for (const k of ['aborted_errors', 'fifo_errors', 'window_errors', 'heartbeat_errors', 'carrier_changes']) p.uint('json', k, null, 0);
    p.closeObject();
    p.closeObject();
    return;
  }
  const two = ctx.opts.stats > 1;
  const cols = ['*X errors:'.length, 'packets'.length, 'errors'.length, 'dropped'.length, 'heartbt'.length, 'overrun'.length, 'compressed'.length, 'otherhost'.length];
  const size = (vals: number[]) => {
    vals.forEach((v, i) => {
      const len = String(v).length;
      if (len > cols[i]!) cols[i] = len;
    });
  };
  size([s.rxBytes, s.rxPackets, s.rxErrors, s.rxDropped, 0, s.multicast, 0, 0]);
  if (two) size([0, 0, 0, 0, 0, 0, 0, 0]);
  size([s.txBytes, s.txPackets, s.txErrors, s.txDropped, 0, 0, 0, 0]);
  if (two) size([0, 0, 0, 0, 0, 0, 0, 0]);
  const num = (w: number, v: number) => cfmt('%*u ', w, v);
  const SL = p.SL;
  p.text(cfmt('    RX: %*s %*s %*s %*s %*s %*s %*s%s', cols[0]! - 4, 'bytes', cols[1]!, 'packets', cols[2]!, 'errors', cols[3]!, 'dropped', cols[4]!, 'missed', cols[5]!, 'mcast', cols[6]!, '', SL));
  p.text('    ' + num(cols[0]!, s.rxBytes) + num(cols[1]!, s.rxPackets) + num(cols[2]!, s.rxErrors) + num(cols[3]!, s.rxDropped) + num(cols[4]!, 0) + num(cols[5]!, s.multicast));
  if (two) {
    p.text(SL);
    p.text(cfmt('    RX errors:%*s %*s %*s %*s %*s %*s%*s%*s%s', cols[0]! - 10, '', cols[1]!, 'length', cols[2]!, 'crc', cols[3]!, 'frame', cols[4]!, 'fifo', cols[5]!, 'overrun', 0, '', 0, '', SL));
    p.text(cfmt('%*s', cols[0]! + 5, '') + num(cols[1]!, 0) + num(cols[2]!, 0) + num(cols[3]!, 0) + num(cols[4]!, 0) + num(cols[5]!, 0));
  }
  p.text(SL);
  p.text(cfmt('    TX: %*s %*s %*s %*s %*s %*s %*s%s', cols[0]! - 4, 'bytes', cols[1]!, 'packets', cols[2]!, 'errors', cols[3]!, 'dropped', cols[4]!, 'carrier', cols[5]!, 'collsns', cols[6]!, '', SL));
  p.text('    ' + num(cols[0]!, s.txBytes) + num(cols[1]!, s.txPackets) + num(cols[2]!, s.txErrors) + num(cols[3]!, s.txDropped) + num(cols[4]!, 0) + num(cols[5]!, 0));
  if (two) {
    p.text(SL);
    p.text(cfmt('    TX errors:%*s %*s %*s %*s %*s %*s%s', cols[0]! - 10, '', cols[1]!, 'aborted', cols[2]!, 'fifo', cols[3]!, 'window', cols[4]!, 'heartbt', cols[5]!, 'transns', SL));
    // IFLA_CARRIER_CHANGES: lo never changes carrier; a link counts its carrier flips (not tracked: 0)
    p.text(cfmt('%*s', cols[0]! + 5, '') + num(cols[1]!, 0) + num(cols[2]!, 0) + num(cols[3]!, 0) + num(cols[4]!, 0) + num(cols[5]!, 0));
  }
}

/**
 * print_linkinfo. Returns -1 when the link is filtered out, 1 when printed
 * (0 in brief mode).
 */
export function printLinkinfo(ctx: IpCtx, ns: Netns, link: Link, f: LinkFilter, doLink: boolean): number {
  const p = ctx.p;
  const world = ctx.sys.world;
  if (f.ifindex && link.ifindex !== f.ifindex) return -1;
  if (f.up && !link.adminUp) return -1;
  // with a label filter only the matching addresses are printed, without their links
  if ((f as { label?: string | null }).label) return 0;
  if (!linkPasses(ns, link, f)) return -1;
  const flags = linkIfFlags(world, ns, link);
  const oper = linkOperState(world, ns, link);
  // `ip -6 addr` dumps links through the IPv6 family handler: no qdisc, master, group or link-netnsid
  const inet6Dump = f.family === 6 && !f.ifindex;
  if (ctx.opts.brief) {
    const mdown = printNameAndLink(ctx, '%-16s ', ns, link, inet6Dump);
    printOperstate(ctx, oper);
    if (f.family === 'link') {
      p.string('any', 'address', '%s ', link.mac, 'mac');
      printLinkFlags(p, flags, mdown);
      p.string('fp', null, '%s', '\n');
    }
    return 0;
  }
  p.int('any', 'ifindex', '%d: ', link.ifindex);
  const mdown = printNameAndLink(ctx, '%s: ', ns, link, inet6Dump);
  printLinkFlags(p, flags, mdown);
  p.int('any', 'mtu', 'mtu %u ', link.mtu);
  if (!inet6Dump) p.string('any', 'qdisc', 'qdisc %s ', link.qdisc);
  if (link.master != null && !inet6Dump) {
    const m = linkByIndex(ns, link.master);
    p.string('any', 'master', 'master %s ', m ? m.name : `if${link.master}`);
  }
  printOperstate(ctx, oper);
  if (doLink) p.string('any', 'linkmode', 'mode %s ', 'DEFAULT');
  if (!inet6Dump) p.string('any', 'group', 'group %s ', link.group);
  if (f.showqueue && link.qlen) p.int('any', 'txqlen', 'qlen %d', link.qlen);
  if (!f.family || f.family === 'link' || ctx.opts.details) {
    p.nl();
    p.string('any', 'link_type', '    link/%s ', link.kind === 'loopback' ? 'loopback' : 'ether');
    p.string('any', 'address', '%s', link.mac, 'mac');
    p.string('fp', null, ' brd ', null);
    p.string('any', 'broadcast', '%s', link.broadcast, 'mac');
  }
  const il = ifLinkOf(world, ns, link);
  if (il.netnsid != null && !inet6Dump) {
    if (p.isJson()) p.int('json', 'link_netnsid', null, il.netnsid);
    else {
      const name = nameFromNsid(ctx, il.netnsid);
      if (name) p.string('fp', null, ' link-netns %s', name);
      else p.int('fp', null, ' link-netnsid %d', il.netnsid);
    }
  }
  if (ctx.opts.details) printDetails(ctx, ns, link, doLink);
  if ((doLink || ctx.opts.details) && link.alias) {
    p.string('fp', null, '%s    ', p.SL);
    p.string('any', 'ifalias', 'alias %s', link.alias);
  }
  if (doLink && ctx.opts.stats) {
    p.nl();
    printStats64(ctx, link);
  }
  p.string('fp', null, '%s', '\n');
  return 1;
}
