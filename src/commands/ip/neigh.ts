// ip neigh (ip/ipneigh.c): show/list, flush, add/change/replace/del, help.
import { KernelError } from '../../sim/errors';
import { findLink, linkByIndex } from '../../sim/netdev';
import { neighAdd, neighDel, neighFlush, neighList } from '../../sim/neighbour';
import type { Neighbour, NeighState } from '../../sim/types';
import { NEIGH_USAGE } from './help';
import { Args, IpExit, llAddrA2n, die, duparg, duparg2, getAddr, getPrefix, invarg, ipFamily, matches, parseUnsigned, prefixMatch, protoA2n, rtnlErrorText, type InetPrefix, type IpCtx, devIndex, masterIndex, flushReport } from './utils';

function usage(ctx: IpCtx): never {
  die(ctx, NEIGH_USAGE, 255);
}

export const NUD: Record<NeighState | 'NONE', number> = {
  NONE: 0x00,
  INCOMPLETE: 0x01,
  REACHABLE: 0x02,
  STALE: 0x04,
  DELAY: 0x08,
  PROBE: 0x10,
  FAILED: 0x20,
  NOARP: 0x40,
  PERMANENT: 0x80,
};

const NUD_ORDER: NeighState[] = ['INCOMPLETE', 'REACHABLE', 'STALE', 'DELAY', 'PROBE', 'FAILED', 'NOARP', 'PERMANENT'];

function nudA2n(arg: string): number | null {
  if (matches(arg, 'permanent')) return NUD.PERMANENT;
  if (matches(arg, 'reachable')) return NUD.REACHABLE;
  if (arg === 'noarp') return NUD.NOARP;
  if (arg === 'none') return NUD.NONE;
  if (arg === 'stale') return NUD.STALE;
  if (arg === 'incomplete') return NUD.INCOMPLETE;
  if (arg === 'delay') return NUD.DELAY;
  if (arg === 'probe') return NUD.PROBE;
  if (matches(arg, 'failed')) return NUD.FAILED;
  const n = parseUnsigned(arg, 0);
  if (n == null || n >= 0x100 || (n & (n - 1))) return null;
  return n;
}

function stateOf(n: number): NeighState {
  for (const s of NUD_ORDER) if (NUD[s] === n) return s;
  return 'PERMANENT';
}

/** Is the lladdr reported (NUD_VALID states)? */
function hasLladdr(n: Neighbour): boolean {
  return n.lladdr != null && n.state !== 'INCOMPLETE' && n.state !== 'FAILED';
}

interface NeighFilter {
  family: 0 | 4 | 6;
  index: number;
  state: number;
  pfx: InetPrefix | null;
  master: number;
}

function printNeigh(ctx: IpCtx, n: Neighbour, f: NeighFilter): void {
  const p = ctx.p;
  const ns = ctx.sys.world.ns(ctx.ns);
  p.openObject(null);
  const color = n.family === 4 ? 'inet' : 'inet6';
  if (ctx.opts.brief) {
    p.string('any', 'dst', '%-39s ', n.dst, color);
    if (!f.index) p.string('any', 'dev', '%-16s ', linkByIndex(ns, n.ifindex)?.name ?? '', 'ifname');
    p.string('any', 'lladdr', '%s', hasLladdr(n) ? n.lladdr : '', 'mac');
    p.string('fp', null, '\n', '');
    p.closeObject();
    return;
  }
  p.string('any', 'dst', '%s ', n.dst, color);
  if (!f.index) {
    p.text('dev ');
    p.string('any', 'dev', '%s ', linkByIndex(ns, n.ifindex)?.name ?? `if${n.ifindex}`, 'ifname');
  }
  if (hasLladdr(n)) {
    p.text('lladdr ');
    p.string('any', 'lladdr', '%s ', n.lladdr!, 'mac');
  }
  if (n.router) p.nullValue('any', 'router', '%s ', 'router');
  if (ctx.opts.stats) {
    const now = ctx.sys.world.now();
    const sec = (t: number) => Math.max(0, Math.floor((now - t) / 1000));
    p.uint('any', 'used', ' used %u', sec(n.used));
    p.uint('any', 'confirmed', '/%u', sec(n.updated));
    p.uint('any', 'updated', '/%u', sec(n.updated));
    p.uint('any', 'probes', 'probes %u ', n.probes);
  }
  p.openArray('json', p.isJson() ? 'state' : '');
  p.string('any', null, '%s ', n.state);
  p.closeArray('json', null);
  p.string('fp', null, '\n', '');
  p.closeObject();
}

function neighPasses(ctx: IpCtx, n: Neighbour, f: NeighFilter): boolean {
  if (f.family && f.family !== n.family) return false;
  if (f.index && f.index !== n.ifindex) return false;
  const st = NUD[n.state];
  if (!(f.state & st) && (st || !(f.state & 0x100))) return false;
  if (f.master) {
    const l = linkByIndex(ctx.sys.world.ns(ctx.ns), n.ifindex);
    if (f.master === -1 ? l?.master != null : l?.master !== f.master) return false;
  }
  if (f.pfx && !prefixMatch(f.pfx, n.dst, n.family)) return false;
  return true;
}

function showOrFlush(ctx: IpCtx, argv: string[], flush: boolean): number {
  const world = ctx.sys.world;
  const ns = world.ns(ctx.ns);
  const f: NeighFilter = { family: ipFamily(ctx.opts), index: 0, state: 0, pfx: null, master: 0 };
  if (flush) {
    if (!argv.length) die(ctx, 'Flush requires arguments.\n', 1);
    f.state = ~(NUD.PERMANENT | NUD.NOARP);
  } else f.state = 0xff & ~NUD.NOARP;
  let dev: string | null = null;
  let stateGiven = false;
  const a = new Args(argv);
  for (; a.more(); a.adv()) {
    const arg = a.cur;
    if (arg === 'dev') {
      const v = a.next(ctx);
      if (dev) duparg(ctx, 'dev', v);
      dev = v;
    } else if (arg === 'master') {
      f.master = masterIndex(ctx, ns, a.next(ctx));
    } else if (arg === 'vrf') {
      invarg(ctx, 'Not a valid VRF name\n', a.next(ctx));
    } else if (arg === 'nomaster') {
      f.master = -1;
    } else if (arg === 'unused') {
      // every simulated entry is unreferenced
    } else if (arg === 'nud') {
      const v = a.next(ctx);
      if (!stateGiven) {
        stateGiven = true;
        f.state = 0;
      }
      let st = nudA2n(v);
      if (st == null) {
        if (v !== 'all') invarg(ctx, 'nud state is bad', v);
        st = ~0;
        if (flush) st &= ~NUD.NOARP;
      }
      if (st === 0) st = 0x100;
      f.state |= st;
    } else if (arg === 'proxy') {
      // no proxy entries in the simulation
      f.state = 0;
    } else if (matches(arg, 'protocol')) {
      const v = a.next(ctx);
      if (protoA2n(v) == null && v !== 'all') invarg(ctx, 'invalid "protocol"\n', v);
    } else {
      let v = arg;
      if (v === 'to') v = a.next(ctx);
      if (matches(v, 'help')) usage(ctx);
      f.pfx = getPrefix(ctx, v, f.family);
      if (!f.family && !f.pfx.isDefault) f.family = f.pfx.family;
    }
  }
  if (dev) f.index = devIndex(ctx, ns, dev);
  const list = neighList(world, ctx.ns).filter((n) => neighPasses(ctx, n, f));
  if (flush) {
    let round = 0;
    let victims = list;
    while (victims.length) {
      round++;
      const doomed = new Set(victims);
      neighFlush(world, ctx.ns, (n) => doomed.has(n));
      if (ctx.opts.stats) ctx.p.text(`\n*** Round ${round}, deleting ${victims.length} entries ***\n`);
      f.state &= ~NUD.FAILED;
      victims = neighList(world, ctx.ns).filter((n) => neighPasses(ctx, n, f));
    }
    flushReport(ctx, round);
    return 0;
  }
  ctx.p.newJsonObj();
  for (const n of list) printNeigh(ctx, n, f);
  ctx.p.deleteJsonObj();
  return 0;
}

function llAddrParse(ctx: IpCtx, arg: string): string {
  const r = llAddrA2n(ctx, arg);
  if (!r) throw new IpExit(1);
  return r.mac;
}

/** `proxy ADDR` of ip neigh add/del/get (ipneigh.c: a second address is a duplicate argument). */
function proxyAddress(ctx: IpCtx, a: Args, dst: InetPrefix | null, fam: 0 | 4 | 6): InetPrefix {
  const v = a.next(ctx);
  if (matches(v, 'help')) usage(ctx);
  if (dst) duparg(ctx, 'address', v);
  return getAddr(ctx, v, fam);
}

function modify(ctx: IpCtx, cmd: 'add' | 'change' | 'replace' | 'del', argv: string[]): number {
  const world = ctx.sys.world;
  const ns = world.ns(ctx.ns);
  let state = NUD.PERMANENT;
  let dev: string | null = null;
  let dst: InetPrefix | null = null;
  let lla: string | null = null;
  let router = false;
  let devOk = false;
  const fam = ipFamily(ctx.opts);
  const a = new Args(argv);
  for (; a.more(); a.adv()) {
    const arg = a.cur;
    if (matches(arg, 'lladdr')) {
      const v = a.next(ctx);
      if (lla != null) duparg(ctx, 'lladdr', v);
      lla = v;
    } else if (arg === 'nud') {
      const v = a.next(ctx);
      const st = nudA2n(v);
      if (st == null) invarg(ctx, 'nud state is bad', v);
      state = st;
    } else if (matches(arg, 'proxy')) {
      dst = proxyAddress(ctx, a, dst, fam);
      devOk = true;
    } else if (arg === 'router') router = true;
    else if (arg === 'use' || arg === 'managed' || matches(arg, 'extern_learn')) {
      // flags without effect here
    } else if (arg === 'dev') {
      dev = a.next(ctx);
      devOk = true;
    } else if (matches(arg, 'protocol')) {
      const v = a.next(ctx);
      if (protoA2n(v) == null) invarg(ctx, '"protocol" value is invalid\n', v);
    } else {
      let v = arg;
      if (v === 'to') v = a.next(ctx);
      if (matches(v, 'help')) v = a.next(ctx);
      if (dst) duparg2(ctx, 'to', v);
      dst = getAddr(ctx, v, fam);
    }
  }
  if (!devOk || !dst || dst.isDefault) die(ctx, 'Device and destination are required arguments.\n', 255);
  let mac: string | null = null;
  if (lla && lla !== 'null') mac = llAddrParse(ctx, lla);
  let ifindex = 0;
  if (dev) ifindex = devIndex(ctx, ns, dev);
  try {
    if (cmd === 'del') neighDel(world, ctx.ns, ifindex, dst.addr);
    else neighAdd(world, ctx.ns, { ifindex, dst: dst.addr, lladdr: mac, state: stateOf(state), router }, cmd === 'add' ? 'add' : cmd === 'change' ? 'change' : 'replace');
  } catch (e) {
    if (e instanceof KernelError) die(ctx, rtnlErrorText(e), 2);
    throw e;
  }
  return 0;
}

/** ipneigh_get: `ip neigh get ADDR dev DEV` (or `proxy ADDR`), printed as `show` prints it */
function neighGet(ctx: IpCtx, argv: string[]): number {
  const world = ctx.sys.world;
  const ns = world.ns(ctx.ns);
  let dev: string | null = null;
  let devOk = false;
  let dst: InetPrefix | null = null;
  let proxy = false;
  const fam = ipFamily(ctx.opts);
  const a = new Args(argv);
  for (; a.more(); a.adv()) {
    const arg = a.cur;
    if (arg === 'dev') {
      dev = a.next(ctx);
      devOk = true;
    } else if (matches(arg, 'proxy')) {
      dst = proxyAddress(ctx, a, dst, fam);
      devOk = true;
      proxy = true;
    } else {
      let v = arg;
      if (v === 'to') v = a.next(ctx);
      if (matches(v, 'help')) usage(ctx);
      if (dst) duparg2(ctx, 'to', v);
      dst = getAddr(ctx, v, fam);
    }
  }
  if (!devOk || !dst) die(ctx, 'Device and address are required arguments.\n', 1);
  let ifindex = 0;
  if (dev) {
    const l = findLink(ns, dev);
    if (!l) die(ctx, `Cannot find device "${dev}"\n`, 1);
    ifindex = l.ifindex;
  }
  // neigh_get: the entry of that device (proxy entries are not modelled)
  const n = proxy ? undefined : neighList(world, ctx.ns).find((x) => x.ifindex === ifindex && x.dst === dst!.addr);
  if (!n) die(ctx, 'Error: Neighbour entry not found.\n', 2);
  ctx.p.newJsonObj();
  printNeigh(ctx, n, { family: 0, index: 0, state: 0xff, pfx: null, master: 0 });
  ctx.p.deleteJsonObj();
  return 0;
}

export function doIpneigh(ctx: IpCtx, argv: string[]): number {
  if (!argv.length) return showOrFlush(ctx, [], false);
  const c = argv[0]!;
  const rest = argv.slice(1);
  if (matches(c, 'add')) return modify(ctx, 'add', rest);
  if (matches(c, 'change') || c === 'chg') return modify(ctx, 'change', rest);
  if (matches(c, 'replace')) return modify(ctx, 'replace', rest);
  if (matches(c, 'delete')) return modify(ctx, 'del', rest);
  if (matches(c, 'show') || matches(c, 'lst') || matches(c, 'list')) return showOrFlush(ctx, rest, false);
  if (matches(c, 'flush')) return showOrFlush(ctx, rest, true);
  if (matches(c, 'get')) return neighGet(ctx, rest);
  if (matches(c, 'help')) usage(ctx);
  die(ctx, `Command "${c}" is unknown, try "ip neigh help".\n`, 255);
}
