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
import type { ConntrackEntry, Netns } from './types';
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

/** Drop entries whose timers ran out; returns the live table. */
export function ctTable(world: World, ns: Netns): ConntrackEntry[] {
  const now = world.now();
  const nf = ns.netfilter;
  if (nf.conntrack.some((e) => e.expires <= now)) nf.conntrack = nf.conntrack.filter((e) => e.expires > now);
  return nf.conntrack;
}

/** Find the entry a packet with tuple `t` belongs to, and its direction. */
export function ctLookup(world: World, ns: Netns, t: CtTuple): { entry: ConntrackEntry; dir: CtDir } | null {
  for (const e of ctTable(world, ns)) {
    if (e.protocol !== t.proto) continue;
    if (sameTuple(t, e.orig)) return { entry: e, dir: 'orig' };
    if (sameTuple(t, e.reply)) return { entry: e, dir: 'reply' };
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
  };
}

/** Put an unconfirmed entry into the table (nf_conntrack_confirm). */
export function ctConfirm(world: World, ns: Netns, e: ConntrackEntry): void {
  if (e.id !== 0) return;
  const nf = ns.netfilter;
  e.id = nf.nextConntrackId++;
  ctTable(world, ns).push(e);
  void world;
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

/** Move an entry's protocol state on for a packet seen in direction `dir`. */
export function ctSeen(world: World, e: ConntrackEntry, dir: CtDir, tcpFlags: number): void {
  let s = e.state;
  if (e.protocol === 'tcp') {
    if (tcpFlags & TCP_RST) s = 'CLOSE';
    else if (tcpFlags & TCP_SYN && tcpFlags & TCP_ACK && dir === 'reply') s = s === 'SYN_SENT' ? 'SYN_RECV' : s;
    else if (tcpFlags & TCP_FIN) s = s === 'ESTABLISHED' ? 'FIN_WAIT' : s === 'FIN_WAIT' || s === 'CLOSE_WAIT' ? 'LAST_ACK' : s;
    else if (tcpFlags & TCP_ACK) {
      if (s === 'SYN_RECV' && dir === 'orig') s = 'ESTABLISHED';
      else if (s === 'LAST_ACK') s = 'TIME_WAIT';
      else if (s === 'FIN_WAIT') s = 'CLOSE_WAIT';
    }
  } else if (dir === 'reply') {
    s = s === 'UNREPLIED' ? 'REPLIED' : s === 'REPLIED' && e.protocol === 'udp' ? 'ASSURED' : s;
  } else if (s === 'REPLIED' && e.protocol === 'udp') s = 'ASSURED';
  e.state = s;
  e.expires = world.now() + timeoutOf(e.protocol, s);
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
