// ip address (ip/ipaddress.c): list/show, flush, add, change, replace, del;
// also the listing behind `ip link show`.
import { intToV4, scopeNum, v4ToInt } from '../../sim/ip';
import { addAddress, addressesOf, delAddress, isDadFailed, isTentative, removeAddress, settleAddresses } from '../../sim/addr';
import { findLink, linkByIndex } from '../../sim/netdev';
import type { Address, Link, Netns } from '../../sim/types';
import { ADDR_USAGE, LINK_USAGE } from './help';
import { emptyLinkFilter, linkKindName, printLinkinfo, printStats64, type LinkFilter } from './linkinfo';
import {
  Args,
  die,
  duparg,
  duparg2,
  getAddr,
  getPrefix,
  invarg,
  ipFamily,
  matches,
  nodev,
  parseUnsigned,
  prefixMatch,
  scopeA2n,
  scopeSelector,
  scopeN2a,
  talk,
  type InetPrefix,
  type IpCtx,
  masterIndex,
  flushReport,
} from './utils';

export interface AddrFilter extends LinkFilter {
  scope: number;
  scopemask: number;
  flags: number;
  flagmask: number;
  label: string | null;
  pfx: InetPrefix | null;
}

const IFA_F = {
  SECONDARY: 0x01,
  NODAD: 0x02,
  OPTIMISTIC: 0x04,
  DADFAILED: 0x08,
  HOMEADDRESS: 0x10,
  DEPRECATED: 0x20,
  TENTATIVE: 0x40,
  PERMANENT: 0x80,
  MANAGETEMPADDR: 0x100,
  NOPREFIXROUTE: 0x200,
  MCAUTOJOIN: 0x400,
  STABLE_PRIVACY: 0x800,
};

const IFA_FLAG_DATA: Array<{ name: string; mask: number; readonly: boolean; v6only: boolean }> = [
  { name: 'secondary', mask: IFA_F.SECONDARY, readonly: true, v6only: false },
  { name: 'temporary', mask: IFA_F.SECONDARY, readonly: true, v6only: false },
  { name: 'nodad', mask: IFA_F.NODAD, readonly: false, v6only: true },
  { name: 'optimistic', mask: IFA_F.OPTIMISTIC, readonly: false, v6only: true },
  { name: 'dadfailed', mask: IFA_F.DADFAILED, readonly: true, v6only: true },
  { name: 'home', mask: IFA_F.HOMEADDRESS, readonly: false, v6only: true },
  { name: 'deprecated', mask: IFA_F.DEPRECATED, readonly: true, v6only: true },
  { name: 'tentative', mask: IFA_F.TENTATIVE, readonly: true, v6only: true },
  { name: 'permanent', mask: IFA_F.PERMANENT, readonly: true, v6only: true },
  { name: 'mngtmpaddr', mask: IFA_F.MANAGETEMPADDR, readonly: false, v6only: true },
  { name: 'noprefixroute', mask: IFA_F.NOPREFIXROUTE, readonly: false, v6only: false },
  { name: 'autojoin', mask: IFA_F.MCAUTOJOIN, readonly: false, v6only: false },
  { name: 'stable-privacy', mask: IFA_F.STABLE_PRIVACY, readonly: true, v6only: true },
];

/** The IFA_F_* flags the kernel reports for an address. */
export function ifaFlags(ctx: IpCtx, a: Address): number {
  let f = 0;
  if (a.secondary) f |= IFA_F.SECONDARY;
  if (a.permanent) f |= IFA_F.PERMANENT;
  if (a.noprefixroute) f |= IFA_F.NOPREFIXROUTE;
  if (a.family === 6 && isTentative(ctx.sys.world, a)) f |= IFA_F.TENTATIVE;
  if (isDadFailed(ctx.sys.world, a)) f |= IFA_F.DADFAILED;
  if (a.nodad) f |= IFA_F.NODAD;
  return f;
}

function usage(ctx: IpCtx): never {
  die(ctx, ADDR_USAGE, 255);
}

export function emptyAddrFilter(): AddrFilter {
  return { ...emptyLinkFilter(), scope: 0, scopemask: 0, flags: 0, flagmask: 0, label: null, pfx: null };
}

/** fnmatch() for the label filter: *, ? and [...] */
function fnmatch(pattern: string, s: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const j = pattern.indexOf(']', i + 1);
      if (j < 0) re += '\\[';
      else {
        re += '[' + pattern.slice(i + 1, j).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = j;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(re + '$').test(s);
}

function addrPasses(ctx: IpCtx, ns: Netns, a: Address, f: AddrFilter): boolean {
  if (f.ifindex && a.ifindex !== f.ifindex) return false;
  if ((f.scope ^ scopeNum(a.scope)) & f.scopemask) return false;
  if ((f.flags ^ ifaFlags(ctx, a)) & f.flagmask) return false;
  if (f.family && f.family !== 'link' && f.family !== a.family) return false;
  if (f.label) {
    const label = a.label ?? linkByIndex(ns, a.ifindex)?.name ?? '';
    if (!fnmatch(f.label, label)) return false;
  }
  if (f.pfx && !prefixMatch(f.pfx, a.local, a.family)) return false;
  return true;
}

function familyName(f: 4 | 6): string {
  return f === 4 ? 'inet' : 'inet6';
}

/** print_addrinfo */
export function printAddrinfo(ctx: IpCtx, ns: Netns, a: Address, f: AddrFilter): void {
  const p = ctx.p;
  if (!addrPasses(ctx, ns, a, f)) return;
  const flags = ifaFlags(ctx, a);
  const color = a.family === 4 ? 'inet' : 'inet6';
  if (!ctx.opts.brief) {
    if (ctx.opts.oneline) {
      const dev = linkByIndex(ns, a.ifindex)?.name ?? `if${a.ifindex}`;
      if (p.isJson()) {
        p.int('json', 'index', null, a.ifindex);
        p.string('json', 'dev', null, dev);
      } else p.text(`${a.ifindex}: ${dev}`);
    }
    p.string('any', 'family', '    %s ', familyName(a.family));
  }
  p.string('any', 'local', '%s', a.local, color);
  if (a.peer && a.peer !== a.local) {
    p.string('fp', null, ' %s ', 'peer');
    p.string('any', 'address', '%s', a.peer, color);
  }
  p.int('any', 'prefixlen', '/%d ', a.prefixlen);
  if (ctx.opts.brief) return;
  if (a.broadcast) {
    p.string('fp', null, '%s ', 'brd');
    p.string('any', 'broadcast', '%s ', a.broadcast, color);
  }
  p.string('any', 'scope', 'scope %s ', scopeN2a(scopeNum(a.scope), ctx.opts.numeric));
  printIfaFlags(ctx, a, flags);
  if (a.family === 4 && a.label) p.string('any', 'label', '%s', a.label);
  p.nl();
  p.string('fp', null, '       valid_lft ', null);
  if (a.validLft == null) {
    p.uint('json', 'valid_life_time', null, 4294967295);
    p.string('fp', null, '%s', 'forever');
  } else p.uint('any', 'valid_life_time', '%usec', a.validLft);
  p.string('fp', null, ' preferred_lft ', null);
  if (a.preferredLft == null) {
    p.uint('json', 'preferred_life_time', null, 4294967295);
    p.string('fp', null, '%s', 'forever');
  } else p.uint('any', 'preferred_life_time', '%usec', a.preferredLft);
  p.string('fp', null, '%s', '\n');
}

function printIfaFlags(ctx: IpCtx, a: Address, flagsIn: number): void {
  const p = ctx.p;
  let flags = flagsIn;
  for (const d of IFA_FLAG_DATA) {
    if (d.mask === IFA_F.PERMANENT) {
      if (!(flags & d.mask)) p.bool('any', 'dynamic', 'dynamic ', true);
    } else if (flags & d.mask) {
      if (d.mask === IFA_F.SECONDARY && a.family === 6) p.bool('any', 'temporary', 'temporary ', true);
      else {
        p.string('fp', null, '%s ', d.name);
        p.bool('json', d.name, null, true);
      }
    }
    flags &= ~d.mask;
  }
  if (flags) {
    if (p.isJson()) p.string('json', 'ifa_flags', null, flags.toString(16).padStart(2, '0'));
    else p.text(`flags ${flags.toString(16).padStart(2, '0')} `);
  }
}

/** get_filter(): address flag selectors (secondary, primary, dynamic, permanent, tentative, -tentative...) */
function getFlagFilter(f: AddrFilter, argIn: string): boolean {
  let arg = argIn;
  let inv = false;
  if (arg.startsWith('-')) {
    inv = true;
    arg = arg.slice(1);
  }
  if (arg === 'dynamic') {
    inv = !inv;
    arg = 'permanent';
  } else if (arg === 'primary') {
    inv = !inv;
    arg = 'secondary';
  }
  const d = IFA_FLAG_DATA.find((x) => x.name === arg);
  if (!d) return false;
  if (inv) f.flags &= ~d.mask;
  else f.flags |= d.mask;
  f.flagmask |= d.mask;
  return true;
}

/** ipaddr_list_flush_or_save for LIST and FLUSH; doLink = `ip link show`. */
export function ipaddrList(ctx: IpCtx, argv: string[], action: 'list' | 'flush', doLink: boolean): number {
  const world = ctx.sys.world;
  const ns = world.ns(ctx.ns);
  settleAddresses(world, ns);
  const f = emptyAddrFilter();
  f.family = doLink ? 'link' : ctx.opts.family === 'link' ? 'link' : ipFamily(ctx.opts);
  f.showqueue = true;
  if (action === 'flush') {
    if (!argv.length) die(ctx, 'Flush requires arguments.\n', 1);
    if (f.family === 'link') die(ctx, 'Cannot flush link addresses.\n', 1);
  }
  let filterDev: string | null = null;
  const a = new Args(argv);
  for (; a.more(); a.adv()) {
    const arg = a.cur;
    if (arg === 'to') {
      const v = a.next(ctx);
      f.pfx = getPrefix(ctx, v, f.family === 'link' ? 0 : f.family);
      if (!f.family) f.family = f.pfx.family;
    } else if (arg === 'scope') {
      Object.assign(f, scopeSelector(ctx, a.next(ctx)));
    } else if (arg === 'up') {
      f.up = true;
    } else if (getFlagFilter(f, arg)) {
      // flag selector
    } else if (arg === 'label') {
      f.label = a.next(ctx);
    } else if (arg === 'group') {
      const v = a.next(ctx);
      if (v === 'default') f.group = 0;
      else {
        const g = parseUnsigned(v, 0);
        if (g == null) invarg(ctx, 'Invalid "group" value\n', v);
        f.group = g;
      }
    } else if (arg === 'master') {
      f.master = masterIndex(ctx, ns, a.next(ctx));
    } else if (arg === 'vrf') {
      const v = a.next(ctx);
      invarg(ctx, 'Not a valid VRF name\n', v);
    } else if (arg === 'nomaster') {
      f.master = -1;
    } else if (arg === 'type') {
      const v = a.next(ctx);
      if (v.endsWith('_slave') && v.length >= 6) f.slaveKind = v.slice(0, -6);
      else f.kind = v;
    } else {
      let v = arg;
      if (arg === 'dev') v = a.next(ctx);
      else if (matches(arg, 'help')) {
        // `ip link show help` prints ip link's usage
        if (doLink) die(ctx, LINK_USAGE, 255);
        usage(ctx);
      }
      if (filterDev) duparg2(ctx, 'dev', v);
      filterDev = v;
    }
  }
  if (filterDev) {
    const l = findLink(ns, filterDev);
    if (!l) die(ctx, `Device "${filterDev}" does not exist.\n`, 1);
    f.ifindex = l.ifindex;
  }
  if (action === 'flush') return ipaddrFlush(ctx, ns, f);

  const p = ctx.p;
  p.newJsonObj();
  let links: Link[] = ns.links;
  if (f.ifindex) links = links.filter((l) => l.ifindex === f.ifindex);
  // iplink_filter_req: `master DEV` and `type KIND` go to the kernel, which leaves other links out of
  // the dump; the other selectors are checked while printing (an empty JSON object for each link refused)
  // (a kind the kernel has no driver for is not filtered there)
  const kernelKind = f.kind && ['veth', 'bridge', 'dummy', 'vxlan'].includes(f.kind) ? f.kind : null;
  links = links.filter((l) => (f.master <= 0 || l.master === f.master) && (!kernelKind || linkKindName(l) === kernelKind));
  const noLink = f.family !== 'link' && ctx.opts.oneline;
  if (f.family !== 'link') links = links.filter((l) => keepLink(ctx, ns, l, f));
  for (const l of links) {
    p.openObject(null);
    let res = 0;
    if (ctx.opts.brief || !noLink) res = printLinkinfo(ctx, ns, l, f, doLink);
    if (res >= 0 && f.family !== 'link') printSelectedAddrinfo(ctx, ns, l, f);
    if (res > 0 && !doLink && ctx.opts.stats) {
      printStats64(ctx, l);
      p.nl();
    }
    p.closeObject();
  }
  p.deleteJsonObj();
  return 0;
}

/** ipaddr_filter: keep a link when one of its addresses passes, or it has none and no family is asked. */
function keepLink(ctx: IpCtx, ns: Netns, l: Link, f: AddrFilter): boolean {
  const addrs = addressesOf(ns, l.ifindex);
  if (!addrs.length) return f.family === 0;
  for (const a of addrs) {
    if (f.family && f.family !== a.family) continue;
    if ((f.scope ^ scopeNum(a.scope)) & f.scopemask) continue;
    if ((f.flags ^ ifaFlags(ctx, a)) & f.flagmask) continue;
    if (f.label && !fnmatch(f.label, a.label ?? l.name)) continue;
    if (f.pfx && !prefixMatch(f.pfx, a.local, a.family)) continue;
    return true;
  }
  return false;
}

function printSelectedAddrinfo(ctx: IpCtx, ns: Netns, l: Link, f: AddrFilter): void {
  const p = ctx.p;
  p.openArray('json', 'addr_info');
  for (const a of addressesOf(ns, l.ifindex)) {
    if (f.family && f.family !== a.family) continue;
    if (f.up && !l.adminUp) continue;
    if (!addrPasses(ctx, ns, a, f)) continue;
    p.openObject(null);
    printAddrinfo(ctx, ns, a, f);
    p.closeObject();
  }
  p.closeArray('json', null);
  if (ctx.opts.brief) p.string('fp', null, '%s', '\n');
}

function ipaddrFlush(ctx: IpCtx, ns: Netns, f: AddrFilter): number {
  const world = ctx.sys.world;
  let round = 0;
  for (;;) {
    const victims = ns.addrs.filter((a) => addrPasses(ctx, ns, a, f) && (!f.up || linkByIndex(ns, a.ifindex)?.adminUp));
    if (!victims.length) {
      flushReport(ctx, round);
      return 0;
    }
    round++;
    for (const a of victims) {
      if (!ns.addrs.includes(a)) continue;
      const l = linkByIndex(ns, a.ifindex);
      if (l) removeAddress(world, ns, l, a);
    }
    if (ctx.opts.stats) ctx.p.text(`\n*** Round ${round}, deleting ${victims.length} addresses ***\n`);
    if (f.flagmask & IFA_F.SECONDARY && !(f.flags & IFA_F.SECONDARY)) {
      // flushing primaries: one round only
      if (ctx.opts.stats) ctx.p.text(`*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
      return 0;
    }
    if (round >= 10) {
      ctx.p.error(`*** Flush remains incomplete after ${round} rounds. ***\n`);
      return 1;
    }
  }
}

/** ipaddr_modify: add / change / replace / del */
/** What `ip address add|change|replace|del` reads (ipaddr_modify()'s argument loop). */
interface AddrRequest {
  family: 0 | 4 | 6;
  dev: string | null;
  label: string | null;
  lcl: InetPrefix | null;
  lclArg: string;
  peer: InetPrefix | null;
  brd: string | null;
  /** broadcast + (-1) or - (-2) */
  brdMode: 0 | -1 | -2;
  scope: number | null;
  validLft: number | null | undefined;
  preferredLft: number | null | undefined;
  validSet: boolean;
  prefSet: boolean;
  noprefixroute: boolean;
  nodad: boolean;
  anycastSeen: boolean;
}

/** the lifetimes: a second one is a duplicate, `forever` is null */
function addrLifetime(ctx: IpCtx, q: AddrRequest, which: 'valid_lft' | 'preferred_lft', a: Args): void {
  const set = which === 'valid_lft' ? 'validSet' : 'prefSet';
  if (q[set]) duparg(ctx, which, a.peek() ?? '');
  const v = a.next(ctx);
  q[set] = true;
  const lft = lifetime(v);
  if (which === 'valid_lft') q.validLft = lft;
  else q.preferredLft = lft;
  if (lft === undefined) invarg(ctx, `${which} value`, v);
}

/** One keyword of ipaddr_modify(); false when the word is the local address. */
function addrKeyword(ctx: IpCtx, q: AddrRequest, arg: string, a: Args): boolean {
  if (arg === 'peer' || arg === 'remote') {
    const v = a.next(ctx);
    if (q.peer) duparg(ctx, 'peer', v);
    q.peer = getPrefix(ctx, v, q.family);
    if (!q.family) q.family = q.peer.family;
  } else if (matches(arg, 'broadcast') || arg === 'brd') {
    const v = a.next(ctx);
    if (q.brd || q.brdMode) duparg(ctx, 'broadcast', v);
    if (v === '+') q.brdMode = -1;
    else if (v === '-') q.brdMode = -2;
    else {
      const x = getAddr(ctx, v, q.family);
      if (!q.family) q.family = x.family;
      q.brd = x.addr;
    }
  } else if (arg === 'anycast') {
    const v = a.next(ctx);
    if (q.anycastSeen) duparg(ctx, 'anycast', v);
    const x = getAddr(ctx, v, q.family);
    if (!q.family) q.family = x.family;
    q.anycastSeen = true;
  } else if (arg === 'scope') {
    const v = a.next(ctx);
    const sc = scopeA2n(v);
    if (sc == null) invarg(ctx, 'invalid scope value.', v);
    q.scope = sc;
  } else if (arg === 'dev') q.dev = a.next(ctx);
  else if (arg === 'label') q.label = a.next(ctx);
  else if (matches(arg, 'metric') || matches(arg, 'priority') || matches(arg, 'preference')) {
    const v = a.next(ctx);
    if (parseUnsigned(v, 0) == null) invarg(ctx, '"metric" value is invalid\n', v);
  } else if (matches(arg, 'valid_lft')) addrLifetime(ctx, q, 'valid_lft', a);
  else if (matches(arg, 'preferred_lft')) addrLifetime(ctx, q, 'preferred_lft', a);
  else if (IFA_FLAG_DATA.some((d) => d.name === arg)) {
    const d = IFA_FLAG_DATA.find((x) => x.name === arg)!;
    if (d.readonly) ctx.p.error(`Warning: ${d.name} option is not mutable from userspace\n`);
    else if (d.v6only && q.family !== 6) ctx.p.error(`Warning: ${d.name} option can be set only for IPv6 addresses\n`);
    else if (d.mask === IFA_F.NOPREFIXROUTE) q.noprefixroute = true;
    else if (d.mask === IFA_F.NODAD) q.nodad = true;
  } else return false;
  return true;
}

function parseAddrModify(ctx: IpCtx, argv: string[]): AddrRequest {
  const q: AddrRequest = { family: ipFamily(ctx.opts), dev: null, label: null, lcl: null, lclArg: '', peer: null, brd: null, brdMode: 0, scope: null, validLft: undefined, preferredLft: undefined, validSet: false, prefSet: false, noprefixroute: false, nodad: false, anycastSeen: false };
  const a = new Args(argv);
  for (; a.more(); a.adv()) {
    const arg = a.cur;
    if (addrKeyword(ctx, q, arg, a)) continue;
    const v = arg === 'local' ? a.next(ctx) : arg;
    if (matches(v, 'help')) usage(ctx);
    if (q.lcl) duparg2(ctx, 'local', v);
    q.lclArg = v;
    q.lcl = getPrefix(ctx, v, q.family);
    if (!q.family) q.family = q.lcl.family;
  }
  return q;
}

function ipaddrModify(ctx: IpCtx, cmd: 'add' | 'change' | 'replace' | 'del', argv: string[]): number {
  const world = ctx.sys.world;
  const ns = world.ns(ctx.ns);
  const q = parseAddrModify(ctx, argv);
  const { family, dev, label, lcl, lclArg, peer, brdMode, validSet, prefSet, validLft, preferredLft, noprefixroute, nodad } = q;
  let { brd, scope } = q;
  if (dev == null) die(ctx, 'Not enough information: "dev" argument is required.\n', 1);
  let wildcard = false;
  if (!peer && lcl) {
    if (cmd === 'del' && lcl.family === 4 && !lcl.prefixSpecified) {
      ctx.p.error(
        'Warning: Executing wildcard deletion to stay compatible with old scripts.\n' +
          `         Explicitly specify the prefix length (${lclArg}/${lcl.bytelen * 8}) to avoid this warning.\n` +
          '         This special behaviour is likely to disappear in further releases,\n' +
          '         fix your scripts!\n',
      );
      wildcard = true;
    }
  }
  const prefixlen = peer ? peer.bitlen : lcl ? lcl.bitlen : 0;
  if (brdMode < 0 && cmd !== 'del') {
    if (family !== 4) die(ctx, 'Broadcast can be set only for IPv4 addresses\n', 1);
    const base = peer ?? lcl;
    if (base && base.bitlen <= 30) {
      let n = v4ToInt(base.addr);
      const host = base.bitlen >= 32 ? 0 : (0xffffffff >>> base.bitlen) >>> 0;
      n = brdMode === -1 ? (n | host) >>> 0 : (n & ~host) >>> 0;
      brd = intToV4(n);
    }
  }
  if (scope == null && cmd !== 'del') scope = lcl && lcl.family === 4 && lcl.addr.startsWith('127.') ? 254 : 0;
  const link = findLink(ns, dev);
  if (!link) nodev(ctx, dev);
  if (validSet || prefSet) {
    const vl = validLft === undefined ? null : validLft;
    const pl = preferredLft === undefined ? null : preferredLft;
    if (vl === 0) die(ctx, 'valid_lft is zero\n', 1);
    if ((vl ?? Infinity) < (pl ?? Infinity)) die(ctx, 'preferred_lft is greater than valid_lft\n', 1);
  }
  if (!lcl) {
    // no local address: AF_UNSPEC has no handler in the kernel; inet/inet6 want IFA_LOCAL
    die(ctx, family === 0 ? 'RTNETLINK answers: Operation not supported\n' : 'RTNETLINK answers: Invalid argument\n', 2);
  }
  return talk(ctx, () => {
    if (cmd === 'del') {
      delAddress(world, ctx.ns, link.ifindex, { local: lcl.addr, prefixlen: wildcard ? null : prefixlen, label });
      return 0;
    }
    const scopeName = scope === 0 ? 'global' : scope === 253 ? 'link' : scope === 254 ? 'host' : scope === 200 ? 'site' : (scope as number);
    addAddress(
      world,
      ctx.ns,
      link.ifindex,
      {
        local: lcl.addr,
        prefixlen,
        broadcast: brd,
        peer: peer ? peer.addr : null,
        scope: scopeName,
        label,
        noprefixroute,
        nodad,
        validLft: validLft ?? null,
        preferredLft: preferredLft ?? null,
      },
      cmd !== 'add',
    );
    return 0;
  });
}

function lifetime(v: string): number | null | undefined {
  if (v === 'forever') return null;
  const n = parseUnsigned(v, 0);
  return n == null ? undefined : n;
}

export function doIpaddr(ctx: IpCtx, argv: string[]): number {
  if (argv.length < 1) return ipaddrList(ctx, [], 'list', false);
  const c = argv[0]!;
  const rest = argv.slice(1);
  if (matches(c, 'add')) return ipaddrModify(ctx, 'add', rest);
  if (matches(c, 'change') || c === 'chg') return ipaddrModify(ctx, 'change', rest);
  if (matches(c, 'replace')) return ipaddrModify(ctx, 'replace', rest);
  if (matches(c, 'delete')) return ipaddrModify(ctx, 'del', rest);
  if (matches(c, 'list') || matches(c, 'show') || matches(c, 'lst')) return ipaddrList(ctx, rest, 'list', false);
  if (matches(c, 'flush')) return ipaddrList(ctx, rest, 'flush', false);
  if (matches(c, 'help')) usage(ctx);
  die(ctx, `Command "${c}" is unknown, try "ip address help".\n`, 255);
}

export { ipaddrModify };
