// Netfilter evaluation: a hook's chains run for a packet, the matches and
// targets as the kernel's modules evaluate them, counters as they count.
import { prefixContains, v4Mask, v4ToInt, v6ToBig } from '../ip';
import type { Chain, Netns, Rule } from '../types';
import type { World } from '../world';
import { getTable, nfScope, type NfFamily } from './chains';
import { protoNumber, type Hook, type NfTableName } from './tables';

export { protoNumber };
import { traceOn, traceStep, type TraceNf } from '../trace';

/** The policy of a base chain applies to a packet: nft counts it when the chain has counters. */
function policyVerdict(base: Chain, p: NfPacket): NfVerdict {
  if (base.policyCounters) {
    base.packets += 1;
    base.bytes += p.len;
  }
  return base.policy === 'DROP' ? { verdict: 'DROP' } : { verdict: 'ACCEPT' };
}

// ---------------------------------------------------------------- evaluation

/** What the rules see of a packet at a hook. */
export interface NfPacket {
  src: string;
  dst: string;
  /** IP protocol number (1 icmp, 6 tcp, 17 udp) */
  proto: number;
  sport: number;
  dport: number;
  icmpType: number;
  icmpCode: number;
  /** TCP flags bits (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32) */
  tcpFlags: number;
  /** IP total length: what byte counters add */
  len: number;
  mark: number;
  /** interface names, null where the hook has none */
  inIface: string | null;
  outIface: string | null;
  /** conntrack state of the packet: NEW, ESTABLISHED, RELATED, INVALID or UNTRACKED */
  ctstate: string;
  /** the connection has been source / destination NATed */
  ctSnat: boolean;
  ctDnat: boolean;
  fragment: boolean;
  /** the source MAC of the frame the packet came in (-m mac); null for locally generated packets */
  srcMac?: string | null;
  /** set by NOTRACK / CT --notrack in the raw table: conntrack leaves the packet alone (ctstate UNTRACKED) */
  notrack?: boolean;
}

/** Address classification for -m addrtype (RTN_* names). */
export type AddrTypeFn = (addr: string, iface: string | null) => string;

export type NfVerdict =
  | { verdict: 'ACCEPT' }
  | { verdict: 'DROP' }
  | { verdict: 'REJECT'; with: string }
  | { verdict: 'NAT'; target: 'SNAT' | 'DNAT' | 'MASQUERADE' | 'REDIRECT'; options: Record<string, string> };

export interface NfEvalContext {
  world: World;
  /** -m addrtype: the route type of an address in the namespace */
  addrType: AddrTypeFn;
  /** LOG target: a kernel log line was written */
  log?: (prefix: string, level: string, pkt: NfPacket) => void;
  /** per-rule trace for the topology view */
  trace?: (table: NfTableName, chain: string, ruleNum: number | null, target: string, path?: string[]) => void;
}

/** Does `addr` fall in "a.b.c.d/len" (or a bare address, /32; a dotted mask is allowed too)? */
function inCidr(addr: string, cidr: string): boolean {
  if (cidr.includes(':')) {
    // an ip6tables rule's prefix ("fd00:15::/64"): only IPv6 packets reach it
    const [net, len] = cidr.split('/');
    if (!addr.includes(':')) return false;
    // a mask whose ones are not contiguous is kept as an address
    if (len?.includes(':')) return (v6ToBig(addr) & v6ToBig(len)) === v6ToBig(net!);
    return prefixContains(net!, len === undefined ? 128 : Number(len), addr, 6);
  }
  const a = v4Of(addr);
  if (a === null) return false;
  const c = cidrOf(cidr);
  return ((a & c.mask) >>> 0) === c.net;
}

// a packet meets the same addresses and the rules' prefixes again and again: parsed once (pure functions of the text)
const v4s = new Map<string, number | null>();
function v4Of(addr: string): number | null {
  let n = v4s.get(addr);
  if (n === undefined) {
    if (v4s.size > 4096) v4s.clear();
    n = /^\d+\.\d+\.\d+\.\d+$/.test(addr) ? v4ToInt(addr) : null;
    v4s.set(addr, n);
  }
  return n;
}
const cidrs = new Map<string, { net: number; mask: number }>();
function cidrOf(cidr: string): { net: number; mask: number } {
  let c = cidrs.get(cidr);
  if (!c) {
    if (cidrs.size > 4096) cidrs.clear();
    const [net, m] = cidr.split('/');
    let mask = 0xffffffff;
    if (m !== undefined) mask = m.includes('.') ? v4ToInt(m) : v4Mask(Number(m));
    c = { net: (v4ToInt(net!) & mask) >>> 0, mask };
    cidrs.set(cidr, c);
  }
  return c;
}

function ifaceMatches(pattern: string, name: string | null): boolean {
  if (name === null) return false;
  if (pattern.endsWith('+')) return name.startsWith(pattern.slice(0, -1));
  return name === pattern;
}

function portIn(port: number, spec: string): boolean {
  const [a, b] = spec.split(':');
  const lo = Number(a);
  const hi = b === undefined ? lo : Number(b);
  return port >= lo && port <= hi;
}


const TCP_FLAG_BITS: ReadonlyMap<string, number> = new Map(Object.entries({ FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ALL: 63, NONE: 0 }));

export function tcpFlagMask(list: string): number {
  let m = 0;
  for (const f of list.split(',')) m |= TCP_FLAG_BITS.get(f.toUpperCase()) ?? 0;
  return m;
}

function matchOne(ctx: NfEvalContext, name: string, o: Record<string, string>, inv: Record<string, boolean>, p: NfPacket): boolean {
  const x = (key: string, v: boolean): boolean => (inv[key] ? !v : v);
  switch (name) {
    case 'tcp':
    case 'udp': {
      const want = name === 'tcp' ? 6 : 17;
      if (p.proto !== want || p.fragment) return false;
      if (o.sport !== undefined && !x('sport', portIn(p.sport, o.sport))) return false;
      if (o.dport !== undefined && !x('dport', portIn(p.dport, o.dport))) return false;
      if (name === 'tcp' && o['tcp-flags'] !== undefined) {
        const [mask, comp] = o['tcp-flags'].split(' ');
        if (!x('tcp-flags', (p.tcpFlags & tcpFlagMask(mask!)) === tcpFlagMask(comp!))) return false;
      }
      return true;
    }
    case 'icmp': {
      if (p.proto !== 1 || p.fragment) return false;
      const type = Number(o.type ?? '255');
      if (type === 255) return x('type', true);
      const [cl, ch] = (o.code ?? '0:255').split(':').map(Number);
      const hit = p.icmpType === type && p.icmpCode >= cl! && p.icmpCode <= (ch ?? cl!);
      return x('type', hit);
    }
    case 'icmp6': {
      // ip6t_icmp6: type 255 is not "any" here (ip6tables has no such name)
      if (p.proto !== 58 || p.fragment) return false;
      const type = Number(o.type ?? '0');
      const [cl, ch] = (o.code ?? '0:255').split(':').map(Number);
      return x('type', p.icmpType === type && p.icmpCode >= cl! && p.icmpCode <= (ch ?? cl!));
    }
    case 'comment':
      return true;
    case 'conntrack':
    case 'state': {
      const states = (o.ctstate ?? o.state ?? '').split(',');
      const hit = states.some((s) => s === p.ctstate || (s === 'SNAT' && p.ctSnat) || (s === 'DNAT' && p.ctDnat));
      return x(o.ctstate !== undefined ? 'ctstate' : 'state', hit);
    }
    case 'multiport': {
      const key = o.dports !== undefined ? 'dports' : o.sports !== undefined ? 'sports' : 'ports';
      if (p.proto !== 6 && p.proto !== 17 && p.proto !== 132) return false;
      const specs = (o[key] ?? '').split(',');
      const test = (port: number): boolean => specs.some((s) => portIn(port, s));
      const hit = key === 'dports' ? test(p.dport) : key === 'sports' ? test(p.sport) : test(p.sport) || test(p.dport);
      return x(key, hit);
    }
    case 'addrtype': {
      if (o['src-type'] !== undefined) {
        const t = ctx.addrType(p.src, o['limit-iface-in'] !== undefined ? p.inIface : o['limit-iface-out'] !== undefined ? p.outIface : null);
        if (!x('src-type', o['src-type'].split(',').includes(t))) return false;
      }
      if (o['dst-type'] !== undefined) {
        const t = ctx.addrType(p.dst, o['limit-iface-in'] !== undefined ? p.inIface : o['limit-iface-out'] !== undefined ? p.outIface : null);
        if (!x('dst-type', o['dst-type'].split(',').includes(t))) return false;
      }
      return true;
    }
    case 'statistic': {
      if (o.mode === 'nth') {
        // xt_statistic: libxt_statistic stores every-1 and starts the counter
        // at (every-1) - packet; each packet moves it on (wrapping after
        // every-1) and the match hits when it wraps to 0, so with --packet 0
        // the first packet matches (then every n-th after it)
        const every = Number(o.every ?? '1');
        const count = Number(o._count ?? String(every - 1 - Number(o.packet ?? '0')));
        const next = count >= every - 1 ? 0 : count + 1;
        o._count = String(next);
        return x('mode', next === 0);
      }
      const prob = Number(o.probability ?? '1');
      const r = ctx.world.random();
      return x('mode', r < prob);
    }
    case 'iprange': {
      const inRange = (addr: string, range: string): boolean => {
        const [lo, hi] = range.split('-');
        const a = v4ToInt(addr);
        return a >= v4ToInt(lo!) && a <= v4ToInt(hi ?? lo!);
      };
      if (o['src-range'] !== undefined && !x('src-range', inRange(p.src, o['src-range']))) return false;
      if (o['dst-range'] !== undefined && !x('dst-range', inRange(p.dst, o['dst-range']))) return false;
      return true;
    }
    case 'limit': {
      // nft_limit (packets): a bucket of `burst` packets' worth of time,
      // refilled with the time that passes; each packet costs unit/rate
      const now = BigInt(Math.round(ctx.world.now() * 1e6));
      const cost = (BigInt(Number(o.unit ?? '3600')) * 1_000_000_000n) / BigInt(Math.max(1, Number(o.rate ?? '3')));
      const max = cost * BigInt(Number(o.burst ?? '5'));
      let tokens = o._tokens !== undefined ? BigInt(o._tokens) + (now - BigInt(o._last ?? String(now))) : max;
      if (tokens > max) tokens = max;
      o._last = String(now);
      if (tokens >= cost) {
        o._tokens = String(tokens - cost);
        return true;
      }
      o._tokens = String(tokens);
      return false;
    }
    case 'mac':
      return x('mac-source', p.srcMac != null && p.srcMac.toLowerCase() === o['mac-source']);
    case 'mark': {
      const [v, m] = (o.mark ?? '0').split('/');
      const val = Number(v) >>> 0;
      const mask = m === undefined ? 0xffffffff : Number(m) >>> 0;
      return x('mark', ((p.mark & mask) >>> 0) === val);
    }
    default:
      return false;
  }
}

function ruleMatches(ctx: NfEvalContext, r: Rule, p: NfPacket): boolean {
  if (r.protocol !== null) {
    const n = protoNumber(r.protocol);
    if (n !== 0) {
      const hit = p.proto === n;
      if (r.protocolInvert ? hit : !hit) return false;
    }
  }
  if (r.source !== null) {
    const hit = inCidr(p.src, r.source);
    if (r.sourceInvert ? hit : !hit) return false;
  }
  if (r.destination !== null) {
    const hit = inCidr(p.dst, r.destination);
    if (r.destinationInvert ? hit : !hit) return false;
  }
  if (r.inIface !== null) {
    const hit = ifaceMatches(r.inIface, p.inIface);
    if (r.inIfaceInvert ? hit : !hit) return false;
  }
  if (r.outIface !== null) {
    const hit = ifaceMatches(r.outIface, p.outIface);
    if (r.outIfaceInvert ? hit : !hit) return false;
  }
  if (r.fragment !== null) {
    const hit = p.fragment;
    if (r.fragment ? !hit : hit) return false;
  }
  for (const m of r.matches) if (!matchOne(ctx, m.name, m.options, m.invert ?? {}, p)) return false;
  return true;
}

/** Apply a MARK target's "0xV/0xM" (xset: mark = (mark & ~M) ^ V). */
function applyMark(p: NfPacket, xmark: string): void {
  const [v, m] = xmark.split('/');
  const val = Number(v) >>> 0;
  const mask = m === undefined ? 0xffffffff : Number(m) >>> 0;
  p.mark = (((p.mark & ~mask) >>> 0) ^ val) >>> 0;
}

const MAX_DEPTH = 64;

/**
 * Run one table's chain of a hook for a packet: rules in order, jumps and
 * gotos into user chains, RETURN, and the built-in chain's policy. Counts
 * packets and bytes on every rule that matched (a jump counts where it
 * jumps from). Non-terminating targets (LOG, MARK) apply and go on. A
 * table that does not exist lets everything through (no hook registered).
 */
export function runTableHook(ctx: NfEvalContext, ns: Netns, table: NfTableName, hook: Hook, p: NfPacket, family: NfFamily = 4): NfVerdict {
  if (!traceOn()) return evalTableHook(ctx, ns, table, hook, p, family);
  // the packet trace: the rule (or policy) that decided, with the chains that led to it
  let last: TraceNf | null = null;
  const v = evalTableHook({ ...ctx, trace: (tb, chain, rule, target, path) => {
    ctx.trace?.(tb, chain, rule, target, path);
    last = { table: tb, hook, path: path ?? [chain], rule, target };
  } }, ns, table, hook, p, family);
  const got = last as TraceNf | null;
  // an empty base chain whose ACCEPT policy let the packet by says nothing
  const empty = !getTable(nfScope(ns, family), table)?.chains.some((c) => c.builtin && (c.hook ?? c.name) === hook && c.rules.length > 0);
  if (got && !(empty && got.rule === null && got.target === 'ACCEPT')) {
    const proto = p.proto === 6 ? 'tcp' : p.proto === 17 ? 'udp' : 'icmp';
    const where = got.rule === null ? 'policy' : `rule ${got.rule}`;
    traceStep({ t: ctx.world.now(), ns: ns.id, kind: 'nf', detail: `${table} ${got.path.join(' -> ')} ${where} ${got.target}`, nf: got, pkt: { src: p.src, dst: p.dst, proto, sport: p.sport, dport: p.dport, ttl: 0 } });
  }
  return v;
}

function evalTableHook(ctx: NfEvalContext, ns: Netns, table: NfTableName, hook: Hook, p: NfPacket, family: NfFamily): NfVerdict {
  const t = getTable(nfScope(ns, family), table);
  if (!t) return { verdict: 'ACCEPT' };
  const base = t.chains.find((c) => c.builtin && (c.hook ?? c.name) === hook);
  if (!base) return { verdict: 'ACCEPT' };
  // a call stack of [chain, next rule index]
  const stack: { chain: Chain; i: number }[] = [{ chain: base, i: 0 }];
  while (stack.length) {
    const frame = stack[stack.length - 1]!;
    if (frame.i >= frame.chain.rules.length) {
      stack.pop();
      if (stack.length === 0) {
        ctx.trace?.(table, base.name, null, base.policy ?? 'ACCEPT', [base.name]);
        return policyVerdict(base, p);
      }
      continue;
    }
    const idx = frame.i++;
    const r = frame.chain.rules[idx]!;
    if (!ruleMatches(ctx, r, p)) continue;
    r.packets += 1;
    r.bytes += p.len;
    const tg = r.target;
    if (tg !== null) ctx.trace?.(table, frame.chain.name, idx + 1, tg, stack.map((f) => f.chain.name));
    switch (tg) {
      case null:
        continue;
      case 'ACCEPT':
        return { verdict: 'ACCEPT' };
      case 'DROP':
        return { verdict: 'DROP' };
      case 'QUEUE':
        return { verdict: 'DROP' };
      case 'REJECT':
        return { verdict: 'REJECT', with: r.targetOptions['reject-with'] ?? 'icmp-port-unreachable' };
      case 'RETURN':
        stack.pop();
        if (stack.length === 0) {
          ctx.trace?.(table, base.name, null, base.policy ?? 'ACCEPT', [base.name]);
          return policyVerdict(base, p);
        }
        continue;
      case 'LOG':
        ctx.log?.(r.targetOptions['log-prefix'] ?? '', r.targetOptions['log-level'] ?? '4', p);
        continue;
      case 'MARK':
        applyMark(p, r.targetOptions['set-xmark'] ?? '0x0/0x0');
        continue;
      case 'NOTRACK':
      case 'CT':
        // the raw table's conntrack template: NOTRACK (and CT --notrack) untracks the packet
        if (tg === 'NOTRACK' || r.targetOptions.notrack !== undefined) {
          p.notrack = true;
          p.ctstate = 'UNTRACKED';
        }
        continue;
      case 'SNAT':
      case 'DNAT':
      case 'MASQUERADE':
      case 'REDIRECT':
        return { verdict: 'NAT', target: tg, options: { ...r.targetOptions } };
      default: {
        const target = t.chains.find((c) => c.name === tg && !c.builtin);
        if (!target) continue;
        if (stack.length >= MAX_DEPTH) return { verdict: 'DROP' };
        // -g replaces the current frame: the chain's end returns to our caller
        // (to the policy when we were the base chain)
        if (r.goto) stack.pop();
        stack.push({ chain: target, i: 0 });
      }
    }
  }
  return { verdict: 'ACCEPT' };
}
