// ip rule (ip/iprule.c): list/show, add, del, flush, help.
import { KernelError } from '../../sim/errors';
import { ruleAdd, ruleDel, ruleFlush, sortedRules, type RuleSpec } from '../../sim/rule';
import { networkOf } from '../../sim/ip';
import type { FibRule } from '../../sim/types';
import { RULE_USAGE } from './help';
import { Args, die, getPrefix, invarg, ipFamily, matches, parseUnsigned, protoA2n, protoN2a, protoNum, rtnlErrorText, tableA2n, tableN2a, type InetPrefix, type IpCtx } from './utils';

/** /etc/protocols names getprotobyname/getprotobynumber know (inet_proto_a2n / inet_proto_n2a) */
const IP_PROTOS: Record<number, string> = { 0: 'ip', 1: 'icmp', 2: 'igmp', 4: 'ipencap', 6: 'tcp', 17: 'udp', 41: 'ipv6', 47: 'gre', 50: 'esp', 51: 'ah', 58: 'ipv6-icmp', 132: 'sctp', 136: 'udplite' };

function ipprotoA2n(arg: string): number | null {
  for (const [k, v] of Object.entries(IP_PROTOS)) if (v === arg) return Number(k);
  return parseUnsigned(arg, 0, 255);
}

/** rtnl_dsfield_n2a: a name from rt_dsfield, else 0x%02x */
const DSFIELDS: Record<number, string> = { 0x00: 'default', 0x20: 'CS1', 0x40: 'CS2', 0x60: 'CS3', 0x80: 'CS4', 0xa0: 'CS5', 0xc0: 'CS6', 0xe0: 'CS7', 0xb8: 'EF', 0x28: 'AF11', 0x30: 'AF12', 0x38: 'AF13', 0x48: 'AF21', 0x50: 'AF22', 0x58: 'AF23', 0x68: 'AF31', 0x70: 'AF32', 0x78: 'AF33', 0x88: 'AF41', 0x90: 'AF42', 0x98: 'AF43' };

function dsfieldA2n(arg: string): number | null {
  for (const [k, v] of Object.entries(DSFIELDS)) if (v === arg) return Number(k);
  return parseUnsigned(arg, 16, 255);
}

/** sscanf("%hu-%hu"): one number or a range; null when not even the first parses */
function portRange(arg: string): [number, number] | null {
  const m = /^\s*[+]?(\d+)(?:-\s*[+]?(\d+))?/.exec(arg);
  if (!m) return null;
  const a = Number(m[1]) & 0xffff;
  return [a, m[2] != null ? Number(m[2]) & 0xffff : a];
}

function usage(ctx: IpCtx): never {
  die(ctx, RULE_USAGE, 255);
}

function printRule(ctx: IpCtx, r: FibRule): void {
  const p = ctx.p;
  const hl = r.family === 4 ? 32 : 128;
  const color = r.family === 4 ? 'inet' : 'inet6';
  p.openObject(null);
  p.uint('any', 'priority', '%u:\t', r.priority);
  if (r.invert) p.nullValue('any', 'not', 'not ', null);
  if (r.src && r.srcLen) {
    p.string('fp', null, 'from ', null);
    p.string('any', 'src', '%s', r.src, color);
    if (r.srcLen !== hl) p.uint('any', 'srclen', '/%u', r.srcLen);
  } else p.string('any', 'src', 'from %s', 'all');
  if (r.dst && r.dstLen) {
    p.string('fp', null, ' to ', null);
    p.string('any', 'dst', '%s', r.dst, color);
    if (r.dstLen !== hl) p.uint('any', 'dstlen', '/%u', r.dstLen);
  }
  if (r.tos) p.string('any', 'tos', ' tos %s', DSFIELDS[r.tos] ?? `0x${r.tos.toString(16).padStart(2, '0')}`);
  if (r.fwmark != null) {
    p.string('any', 'fwmark', ' fwmark %s', `0x${r.fwmark.toString(16)}`);
    if (r.fwmask != null && r.fwmask !== 0xffffffff) p.string('any', 'fwmask', '/%s', `0x${r.fwmask.toString(16)}`);
  }
  if (r.iif) {
    p.text(' iif ');
    p.string('any', 'iif', '%s', r.iif, 'ifname');
    if (!ctx.sys.world.ns(ctx.ns).links.some((l) => l.name === r.iif)) p.nullValue('any', 'iif_detached', ' [detached]', null);
  }
  if (r.oif) {
    p.text(' oif ');
    p.string('any', 'oif', '%s', r.oif, 'ifname');
    if (!ctx.sys.world.ns(ctx.ns).links.some((l) => l.name === r.oif)) p.nullValue('any', 'oif_detached', ' [detached]', null);
  }
  if (r.uidRange) {
    p.uint('any', 'uid_start', ' uidrange %u', r.uidRange[0]);
    p.uint('any', 'uid_end', '-%u', r.uidRange[1]);
  }
  if (r.ipproto != null) p.string('any', 'ipproto', ' ipproto %s', IP_PROTOS[r.ipproto] ?? `ipproto-${r.ipproto}`);
  for (const [key, range] of [['sport', r.sport], ['dport', r.dport]] as const) {
    if (!range) continue;
    if (range[0] === range[1]) p.uint('any', key, ` ${key} %u`, range[0]);
    else {
      p.uint('any', `${key}_start`, ` ${key} %u`, range[0]);
      p.uint('any', `${key}_end`, '-%u', range[1]);
    }
  }
  if (r.table) {
    p.string('any', 'table', ' lookup %s', tableN2a(r.table, ctx.opts.numeric));
    if (r.suppressPrefixlen != null) p.int('any', 'suppress_prefixlen', ' suppress_prefixlength %d', r.suppressPrefixlen);
  }
  if (r.action === 'nat') p.nullValue('any', 'masquerade', ' masquerade', null);
  else if (r.action === 'goto') {
    p.uint('any', 'goto', ' goto %u', r.gotoTarget ?? 0);
    if (!ctx.sys.world.ns(ctx.ns).rules.some((x) => x.family === r.family && x.priority === r.gotoTarget)) p.nullValue('any', 'unresolved', ' [unresolved]', null);
  } else if (r.action === 'nop') p.nullValue('any', 'nop', ' nop', null);
  else if (r.action !== 'lookup') p.string('any', 'action', ' %s', r.action);
  const proto = protoNum(r.protocol);
  if ((proto && proto !== 2) || ctx.opts.details) p.string('any', 'protocol', ' proto %s', protoN2a(proto, ctx.opts.numeric));
  p.string('fp', null, '\n', '');
  p.closeObject();
}

interface RuleFilter {
  pref: number | null;
  not: boolean;
  table: number | null;
  src: InetPrefix | null;
  dst: InetPrefix | null;
  iif: string | null;
  oif: string | null;
  protocol: number | null;
}

function passes(r: FibRule, f: RuleFilter): boolean {
  if (f.pref != null && r.priority !== f.pref) return false;
  if (f.not && !r.invert) return false;
  if (f.table != null && r.table !== f.table) return false;
  // filter_nlmsg: the rule's prefix must lie inside the filter's (inet_addr_match on the filter's bits)
  if (f.src && (f.src.family !== r.family || f.src.bitlen > r.srcLen || !r.src || networkOf(r.src, f.src.bitlen, r.family) !== networkOf(f.src.addr, f.src.bitlen, r.family))) return false;
  if (f.dst && (f.dst.family !== r.family || f.dst.bitlen > r.dstLen || !r.dst || networkOf(r.dst, f.dst.bitlen, r.family) !== networkOf(f.dst.addr, f.dst.bitlen, r.family))) return false;
  if (f.iif && r.iif !== f.iif) return false;
  if (f.oif && r.oif !== f.oif) return false;
  if (f.protocol != null && protoNum(r.protocol) !== f.protocol) return false;
  return true;
}

function ruleList(ctx: IpCtx, argv: string[], action: 'list' | 'flush'): number {
  const ns = ctx.sys.world.ns(ctx.ns);
  const fam = ipFamily(ctx.opts) || 4;
  const f: RuleFilter = { pref: null, not: false, table: null, src: null, dst: null, iif: null, oif: null, protocol: null };
  const a = new Args(argv);
  for (; a.more(); a.adv()) {
    const arg = a.cur;
    if (matches(arg, 'preference') || matches(arg, 'order') || matches(arg, 'priority')) {
      const v = a.next(ctx);
      const n = parseUnsigned(v, 0);
      if (n == null) invarg(ctx, 'preference value is invalid\n', v);
      f.pref = n;
    } else if (arg === 'not') f.not = true;
    else if (arg === 'from') {
      const v = a.next(ctx);
      if (v !== 'all') f.src = getPrefix(ctx, v, fam);
    } else if (arg === 'to') {
      const v = a.next(ctx);
      if (v !== 'all') f.dst = getPrefix(ctx, v, fam);
    } else if (matches(arg, 'table') || arg === 'lookup') {
      const v = a.next(ctx);
      const t = tableA2n(v);
      if (t == null) invarg(ctx, 'table id value is invalid\n', v);
      f.table = t;
    } else if (arg === 'dev' || arg === 'iif') f.iif = a.next(ctx);
    else if (arg === 'oif') f.oif = a.next(ctx);
    else if (matches(arg, 'protocol')) {
      const v = a.next(ctx);
      const pn = protoA2n(v);
      if (pn == null) invarg(ctx, '"protocol" value is invalid\n', v);
      f.protocol = pn;
    } else if (matches(arg, 'help')) usage(ctx);
    else invarg(ctx, 'Unknown argument\n', arg);
  }
  const rules = sortedRules(ns, fam).filter((r) => passes(r, f));
  if (action === 'flush') {
    const doomed = new Set(rules);
    ruleFlush(ctx.sys.world, ctx.ns, (r) => r.priority !== 0 && doomed.has(r));
    return 0;
  }
  ctx.p.newJsonObj();
  for (const r of rules) printRule(ctx, r);
  ctx.p.deleteJsonObj();
  return 0;
}

function ruleModify(ctx: IpCtx, cmd: 'add' | 'del', argv: string[]): number {
  const world = ctx.sys.world;
  if (!argv.length) die(ctx, `"ip rule ${cmd}" requires arguments.\n`, 1);
  let family: 0 | 4 | 6 = ipFamily(ctx.opts);
  const spec: Partial<RuleSpec> = {};
  let tableOk = false;
  let action: FibRule['action'] | undefined = cmd === 'add' ? 'lookup' : undefined;
  const a = new Args(argv);
  for (; a.more(); a.adv()) {
    const arg = a.cur;
    if (arg === 'not') spec.invert = true;
    else if (arg === 'from') {
      const x = getPrefix(ctx, a.next(ctx), family);
      if (!family) family = x.family;
      spec.src = x.isDefault ? null : x.addr;
      spec.srcLen = x.isDefault ? 0 : x.bitlen;
    } else if (arg === 'to') {
      const x = getPrefix(ctx, a.next(ctx), family);
      if (!family) family = x.family;
      spec.dst = x.isDefault ? null : x.addr;
      spec.dstLen = x.isDefault ? 0 : x.bitlen;
    } else if (matches(arg, 'preference') || matches(arg, 'order') || matches(arg, 'priority')) {
      const v = a.next(ctx);
      const n = parseUnsigned(v, 0);
      if (n == null) invarg(ctx, 'preference value is invalid\n', v);
      spec.priority = n;
    } else if (arg === 'tos' || matches(arg, 'dsfield')) {
      const v = a.next(ctx);
      const n = dsfieldA2n(v);
      if (n == null) invarg(ctx, 'TOS value is invalid\n', v);
      spec.tos = n;
    } else if (arg === 'fwmark') {
      const v = a.next(ctx);
      const [m, mask] = v.split('/');
      const n = parseUnsigned(m ?? '', 0);
      if (n == null) invarg(ctx, 'fwmark value is invalid\n', m ?? '');
      spec.fwmark = n;
      if (mask != null) {
        const k = parseUnsigned(mask, 0);
        if (k == null) invarg(ctx, 'fwmask value is invalid\n', mask);
        spec.fwmask = k;
      }
    } else if (matches(arg, 'realms')) {
      a.next(ctx);
    } else if (matches(arg, 'protocol')) {
      const v = a.next(ctx);
      const pn = protoA2n(v);
      if (pn == null) invarg(ctx, '"protocol" value is invalid\n', v);
      spec.protocol = pn;
    } else if (matches(arg, 'table') || arg === 'lookup') {
      const v = a.next(ctx);
      const t = tableA2n(v);
      if (t == null) invarg(ctx, 'invalid table ID\n', v);
      spec.table = t;
      tableOk = true;
    } else if (matches(arg, 'suppress_prefixlength') || arg === 'sup_pl') {
      const v = a.next(ctx);
      const n = /^[+-]?\d+$/.test(v) || /^0x[0-9a-f]+$/i.test(v) ? Number(v) : NaN;
      if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) invarg(ctx, 'suppress_prefixlength value is invalid\n', v);
      spec.suppressPrefixlen = n;
    } else if (matches(arg, 'suppress_ifgroup') || arg === 'sup_group') {
      a.next(ctx);
    } else if (arg === 'dev' || arg === 'iif') {
      const v = a.next(ctx);
      if (!v || v.length >= 16 || /[/\s]/.test(v)) invarg(ctx, '"iif"/"dev" not a valid ifname', v);
      spec.iif = v;
    } else if (arg === 'oif') {
      const v = a.next(ctx);
      if (!v || v.length >= 16 || /[/\s]/.test(v)) invarg(ctx, '"oif" not a valid ifname', v);
      spec.oif = v;
    } else if (arg === 'uidrange') {
      const v = a.next(ctx);
      const m = /^\s*[+]?(\d+)-\s*[+]?(\d+)/.exec(v);
      if (!m) invarg(ctx, 'invalid UID range\n', v);
      spec.uidRange = [Number(m[1]) >>> 0, Number(m[2]) >>> 0];
    } else if (arg === 'ipproto') {
      const v = a.next(ctx);
      const n = ipprotoA2n(v);
      if (n == null) invarg(ctx, 'Invalid "ipproto" value\n', v);
      spec.ipproto = n;
    } else if (arg === 'sport' || arg === 'dport') {
      const v = a.next(ctx);
      const r = portRange(v);
      if (!r) invarg(ctx, arg === 'sport' ? 'invalid port range\n' : 'invalid dport range\n', v);
      spec[arg] = r;
    } else if (arg === 'nat' || matches(arg, 'map-to')) {
      a.next(ctx);
      ctx.p.error('Warning: route NAT is deprecated\n');
      action = 'nat';
    } else {
      let v = arg;
      if (v === 'type') v = a.next(ctx);
      if (matches(v, 'help')) usage(ctx);
      if (matches(v, 'goto')) {
        const t = a.next(ctx);
        const n = parseUnsigned(t, 0);
        if (n == null) invarg(ctx, 'invalid target\n', t);
        spec.gotoTarget = n;
        action = 'goto';
      } else if (matches(v, 'nop')) action = 'nop';
      else if (v === 'blackhole' || v === 'unreachable' || v === 'prohibit') action = v;
      else if (['unicast', 'local', 'broadcast', 'anycast', 'multicast', 'throw', 'nat', 'unspec', 'xresolve'].includes(v)) action = 'lookup';
      else invarg(ctx, 'Failed to parse rule type', v);
      tableOk = true;
    }
  }
  if (!family) family = 4;
  if (!tableOk && cmd === 'add') spec.table = 254;
  try {
    if (cmd === 'add') ruleAdd(world, ctx.ns, { ...spec, family, action, protocol: spec.protocol ?? 0 });
    else ruleDel(world, ctx.ns, { ...spec, family, action });
  } catch (e) {
    if (e instanceof KernelError) die(ctx, rtnlErrorText(e), 2);
    throw e;
  }
  return 0;
}

export function doIprule(ctx: IpCtx, argv: string[]): number {
  if (argv.length < 1) return ruleList(ctx, [], 'list');
  const c = argv[0]!;
  const rest = argv.slice(1);
  if (matches(c, 'list') || matches(c, 'lst') || matches(c, 'show')) return ruleList(ctx, rest, 'list');
  if (matches(c, 'add')) return ruleModify(ctx, 'add', rest);
  if (matches(c, 'delete')) return ruleModify(ctx, 'del', rest);
  if (matches(c, 'flush')) return ruleList(ctx, rest, 'flush');
  if (matches(c, 'help')) usage(ctx);
  die(ctx, `Command "${c}" is unknown, try "ip rule help".\n`, 255);
}
