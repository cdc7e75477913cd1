// Connection tracking and NAT bindings of a namespace (nf_conntrack +
// nf_nat), over Netns.netfilter.conntrack.
//
// An entry holds the original tuple (as the first packet arrived) and the
// reply tuple (what a reply looks like, after NAT: SNAT rewrites the reply's
// destination, DNAT its source). ICMP echo flows use the echo id as both
// "ports". Entries are created unconfirmed for a connection's first packet
// and enter the table when that packet leaves the namespace's hooks
// (POSTROUTING or INPUT); expired entries are dropped whenever the table is
// read. Everything is plain data and deterministic.
import type { ConntrackEntry, Netns, Rule } from './types';
import type { World } from './world';

export type CtProto = 'tcp' | 'udp' | 'icmp';

export interface CtTuple {
  proto: CtProto;
  src: string;
  dst: string;
  sport: number;
  dport: number;
}

export type CtDir = 'orig' | 'reply';

/** Timeouts (ms) as the kernel's sysctl defaults. */
export const CT_TIMEOUT = {
  icmp: 30_000,
  udp: 30_000,
  udpStream: 120_000,
  tcpSynSent: 120_000,
  tcpSynRecv: 60_000,
  tcpEstablished: 432_000_000,
  tcpFinWait: 120_000,
  tcpCloseWait: 60_000,
  tcpLastAck: 30_000,
  tcpTimeWait: 120_000,
  tcpClose: 10_000,
};

export function invertTuple(t: CtTuple): CtTuple {
  return { proto: t.proto, src: t.dst, dst: t.src, sport: t.dport, dport: t.sport };
}

export function sameTuple(a: CtTuple, b: { src: string; dst: string; sport: number; dport: number }, proto?: CtProto): boolean {
  return (proto === undefined || a.proto === proto) && a.src === b.src && a.dst === b.dst && a.sport === b.sport && a.dport === b.dport;
}

function tupleOfEntry(e: ConntrackEntry, dir: CtDir): CtTuple {
  const t = dir === 'orig' ? e.orig : e.reply;
  return { proto: e.protocol, src: t.src, dst: t.dst, sport: t.sport, dport: t.dport };
}

/** Matches and targets whose kernel module takes a reference on the namespace's conntrack (nf_ct_netns_get). */
const CT_MATCHES = new Set(['conntrack', 'state', 'connmark', 'connbytes', 'connlimit', 'helper']);
const CT_TARGETS = new Set(['CONNMARK', 'CT', 'NOTRACK', 'MASQUERADE', 'SNAT', 'DNAT', 'REDIRECT', 'NETMAP']);

function ruleNeedsCt(r: Rule): boolean {
  return (r.target !== null && CT_TARGETS.has(r.target)) || r.matches.some((m) => CT_MATCHES.has(m.name));
}

/**
 * Is connection tracking on in the namespace? The kernel registers
 * conntrack's hooks in a namespace only while a rule needs them (a NAT
 * target, a conntrack/state match, CONNMARK, CT...): captures show pings
 * leave no entry while the nat table is empty or only filter rules exist,
 * entries once a MASQUERADE/DNAT or `-m conntrack` rule is in, and none
 * again after `iptables -t nat -F`.
 */
export function ctEnabled(ns: Netns, family: 4 | 6 = 4): boolean {
  // per family (nf_ct_netns_get takes the family's hooks): ip6tables rules track IPv6 packets, iptables rules IPv4 ones
  const tables = family === 6 ? ns.netfilter.tables6 : ns.netfilter.tables;
  for (const t of Object.values(tables ?? {})) for (const c of t.chains) if (c.rules.some(ruleNeedsCt)) return true;
  return false;
}

/** Drop entries whose timers ran out; returns the live table. */
export function ctTable(world: World, ns: Netns): ConntrackEntry[] {
  const now = world.now();
  const nf = ns.netfilter;
  if (nf.conntrack.some((e) => e.expires <= now)) nf.conntrack = nf.conntrack.filter((e) => e.expires > now);
  return nf.conntrack;
}

/** conntrack -D: remove the live entries `pred` selects; returns them, in table order. */
export function ctDelete(world: World, ns: Netns, pred: (e: ConntrackEntry) => boolean): ConntrackEntry[] {
  const gone = ctTable(world, ns).filter(pred);
  if (gone.length) ns.netfilter.conntrack = ns.netfilter.conntrack.filter((e) => !gone.includes(e));
  return gone;
}

/** conntrack -U -m: set the bits of `mask` in an entry's connection mark to `value`'s. */
export function ctSetMark(e: ConntrackEntry, value: number, mask: number): void {
  e.mark = ((e.mark & ~mask) | (value & mask)) >>> 0;
}

/**
 * A packet of the connection waits for neighbour resolution until `until`
 * (0: released, sent or dropped); returns the entry. The queued skb holds a
 * reference, which conntrack shows as use=2.
 */
export function ctHold(e: ConntrackEntry | null, until: number): ConntrackEntry | null {
  if (e) {
    if (until) e.heldUntil = until;
    else delete e.heldUntil;
  }
  return e;
}

/** The entry's reference count as ctnetlink reports it: the table's, plus a packet held in a queue. */
export function ctUse(world: World, e: ConntrackEntry): number {
  return e.heldUntil !== undefined && e.heldUntil > world.now() ? 2 : 1;
}

/** conntrack -F: empty the table. */
export function ctFlush(world: World, ns: Netns): void {
  void world;
  ns.netfilter.conntrack = [];
}

/** Seconds left on an entry's timer, as ctnetlink reports them (whole seconds, rounded down). */
export function ctTimeoutSecs(world: World, e: ConntrackEntry): number {
  return Math.max(0, Math.floor((e.expires - world.now()) / 1000));
}

/**
 * Find the entry a packet with tuple `t` belongs to, and its direction. An ICMP
 * echo only matches original tuples and an echo reply only reply tuples (the
 * type is part of the kernel's tuple: a ping to oneself has both the same
 * addresses and id).
 */
export function ctLookup(world: World, ns: Netns, t: CtTuple, only?: CtDir): { entry: ConntrackEntry; dir: CtDir } | null {
  for (const e of ctTable(world, ns)) {
    if (e.protocol !== t.proto) continue;
    if (only !== 'reply' && sameTuple(t, e.orig)) return { entry: e, dir: 'orig' };
    if (only !== 'orig' && sameTuple(t, e.reply)) return { entry: e, dir: 'reply' };
  }
  return null;
}

/** The entry a packet already translated by the entry's NAT belongs to (the inverse of the other direction's tuple). */
export function ctLookupTranslated(world: World, ns: Netns, t: CtTuple, only?: CtDir): { entry: ConntrackEntry; dir: CtDir } | null {
  for (const e of ctTable(world, ns)) {
    if (e.protocol !== t.proto) continue;
    if (only !== 'reply' && sameTuple(t, invertTuple(tupleOfEntry(e, 'reply')))) return { entry: e, dir: 'orig' };
    if (only !== 'orig' && sameTuple(t, invertTuple(tupleOfEntry(e, 'orig')))) return { entry: e, dir: 'reply' };
  }
  return null;
}

/** A new, unconfirmed entry for a connection's first packet. */
export function ctNew(world: World, ns: Netns, t: CtTuple): ConntrackEntry {
  const inv = invertTuple(t);
  const initial = t.proto === 'tcp' ? 'SYN_SENT' : 'UNREPLIED';
  return {
    id: 0,
    protocol: t.proto,
    orig: { src: t.src, dst: t.dst, sport: t.sport, dport: t.dport },
    reply: { src: inv.src, dst: inv.dst, sport: inv.sport, dport: inv.dport },
    state: initial,
    expires: world.now() + timeoutOf(t.proto, initial),
    mark: 0,
    created: world.now(),
  };
}

/** Put an unconfirmed entry into the table (nf_conntrack_confirm). */
export function ctConfirm(world: World, ns: Netns, e: ConntrackEntry): void {
  if (e.id !== 0) return;
  const nf = ns.netfilter;
  e.id = nf.nextConntrackId++;
  const tables = e.orig.src.includes(':') ? ns.netfilter.tables6 : ns.netfilter.tables;
  if (tables?.['nat']?.chains.some((c) => c.rules.length > 0)) e.natDone = true;
  ctTable(world, ns).push(e);
}

function timeoutOf(proto: CtProto, state: string): number {
  if (proto === 'icmp') return CT_TIMEOUT.icmp;
  if (proto === 'udp') return state === 'ASSURED' ? CT_TIMEOUT.udpStream : CT_TIMEOUT.udp;
  switch (state) {
    case 'SYN_SENT':
      return CT_TIMEOUT.tcpSynSent;
    case 'SYN_RECV':
      return CT_TIMEOUT.tcpSynRecv;
    case 'ESTABLISHED':
      return CT_TIMEOUT.tcpEstablished;
    case 'FIN_WAIT':
      return CT_TIMEOUT.tcpFinWait;
    case 'CLOSE_WAIT':
      return CT_TIMEOUT.tcpCloseWait;
    case 'LAST_ACK':
      return CT_TIMEOUT.tcpLastAck;
    case 'TIME_WAIT':
      return CT_TIMEOUT.tcpTimeWait;
    default:
      return CT_TIMEOUT.tcpClose;
  }
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

/** UDP: traffic this long after the first packet, replies seen, makes a stream (ASSURED, 120 s). */
export const UDP_STREAM_MS = 2000;

/** Move an entry's protocol state on for a packet seen in direction `dir` (and refresh its timeout). */
export function ctSeen(world: World, e: ConntrackEntry, dir: CtDir, tcpFlags: number): void {
  let s = e.state;
  if (e.protocol === 'tcp') {
    // a RST as the only reply: no connection was ever made, the entry goes at once (tcp_packet)
    if (tcpFlags & TCP_RST && dir === 'reply' && s === 'SYN_SENT') {
      e.state = 'CLOSE';
      e.expires = world.now();
      return;
    }
    // a retransmitted SYN leaves the timer alone (captures: 117 s left 2.5 s after a SYN retried at 1 s)
    if (s === 'SYN_SENT' && dir === 'orig' && tcpFlags & TCP_SYN && !(tcpFlags & TCP_ACK)) return;
    if (tcpFlags & TCP_RST) s = 'CLOSE';
    else if (tcpFlags & TCP_SYN && tcpFlags & TCP_ACK && dir === 'reply') s = s === 'SYN_SENT' ? 'SYN_RECV' : s;
    else if (tcpFlags & TCP_FIN) s = s === 'ESTABLISHED' ? 'FIN_WAIT' : s === 'FIN_WAIT' || s === 'CLOSE_WAIT' ? 'LAST_ACK' : s;
    else if (tcpFlags & TCP_ACK) {
      if (s === 'SYN_RECV' && dir === 'orig') s = 'ESTABLISHED';
      else if (s === 'LAST_ACK') s = 'TIME_WAIT';
      else if (s === 'FIN_WAIT') s = 'CLOSE_WAIT';
    }
    if (s === 'ESTABLISHED') e.assured = true;
    e.state = s;
    e.expires = world.now() + timeoutOf(e.protocol, s);
    return;
  }
  if (e.protocol === 'udp') {
    // nf_conntrack_udp_packet: a reply marks the flow seen both ways (30 s); any packet
    // once replies were seen and 2 s have passed since the first makes it a stream
    if (dir === 'reply' && s === 'UNREPLIED') s = 'REPLIED';
    if (s === 'REPLIED' && world.now() > (e.created ?? 0) + UDP_STREAM_MS) s = 'ASSURED';
  } else if (dir === 'reply' && s === 'UNREPLIED') s = 'REPLIED';
  e.state = s;
  e.expires = world.now() + timeoutOf(e.protocol, s);
}

/** [ASSURED] as conntrack prints it. */
export function ctAssured(e: ConntrackEntry): boolean {
  return e.protocol === 'tcp' ? e.assured === true : e.state === 'ASSURED';
}

/** Has the connection seen traffic in the reply direction? */
export function ctSeenReply(e: ConntrackEntry): boolean {
  return e.protocol === 'tcp' ? e.state !== 'SYN_SENT' : e.state !== 'UNREPLIED';
}

/** Source / destination NAT in place for the connection. */
export function ctNatStatus(e: ConntrackEntry): { snat: boolean; dnat: boolean } {
  return {
    dnat: e.reply.src !== e.orig.dst || e.reply.sport !== e.orig.dport,
    snat: e.reply.dst !== e.orig.src || e.reply.dport !== e.orig.sport,
  };
}

function replyTupleTaken(world: World, ns: Netns, self: ConntrackEntry, proto: CtProto, r: { src: string; dst: string; sport: number; dport: number }): boolean {
  return ctTable(world, ns).some((e) => e !== self && e.protocol === proto && sameTuple({ proto, ...r }, e.reply));
}

/**
 * Bind source NAT: replies will come back to `addr`:port. The port stays
 * when free, else the first free one of the range (or a random one with
 * random-fully), as nf_nat's unique-tuple search does.
 */
export function ctBindSnat(world: World, ns: Netns, e: ConntrackEntry, addr: string, range: [number, number] | null, random: boolean): void {
  const origPort = e.orig.sport;
  // an ICMP echo flow's "port" is its id, the same both ways
  const mk = (p: number) => ({ ...e.reply, dst: addr, dport: p, ...(e.protocol === 'icmp' ? { sport: p } : {}) });
  const fits = (p: number): boolean => !range || (p >= range[0] && p <= range[1]);
  if (fits(origPort) && !random && !replyTupleTaken(world, ns, e, e.protocol, mk(origPort))) {
    e.reply = mk(origPort);
    return;
  }
  const [lo, hi] = range ?? (e.protocol === 'icmp' ? [0, 65535] : origPort < 1024 ? [1, 1023] : [1024, 65535]);
  const span = hi - lo + 1;
  const start = random ? lo + Math.floor(world.random() * span) : fits(origPort) ? origPort : lo;
  for (let i = 0; i < span; i++) {
    const p = lo + ((start - lo + i) % span);
    if (!replyTupleTaken(world, ns, e, e.protocol, mk(p))) {
      e.reply = mk(p);
      return;
    }
  }
  e.reply = mk(origPort);
}

/** Bind destination NAT: the connection really goes to `addr`:port (port null = unchanged). */
export function ctBindDnat(e: ConntrackEntry, addr: string, port: number | null): void {
  e.reply = { ...e.reply, src: addr, sport: port ?? e.reply.sport };
}

/** What a packet travelling in `dir` must look like once fully translated. */
export function ctTarget(e: ConntrackEntry, dir: CtDir): CtTuple {
  return invertTuple(tupleOfEntry(e, dir === 'orig' ? 'reply' : 'orig'));
}
