// `bridge` (iproute2 6.1): link show/set and fdb show/add/del (bridge/*.c).
import { sysctlDev } from '../sim/if-sysctl';
import { addressesOf } from '../sim/addr';
import { solicitedNodeMac } from '../sim/ip';
import { KernelError, STRERROR } from '../sim/errors';
import { vxlanFdbAdd, vxlanFdbDel, vxlanFdbEntries } from '../sim/vxlan';
import { BR_STATE_NAMES, bridgePorts, fdbEntries, findLink, linkByIndex, linkIfFlags, linkSetBrport, portCost, portState } from '../sim/netdev';
import type { Link, Netns } from '../sim/types';
import { BRIDGE_FDB_USAGE, BRIDGE_LINK_USAGE, BRIDGE_USAGE, BRIDGE_VERSION } from './ip/help';
import { printLinkFlags, printPortModeFlags } from './ip/linkinfo';
import { Args, die, defaultOpts, duparg, IpExit, matches, nsByName, Printer, rtnlErrorText, type IpCtx } from './ip/utils';
import type { CmdIO, CmdResult, NetCommand, Sys } from './types';
import { completeBridge } from './completion-ip';

/** iproute2 nodev(): bridge's subcommands return its -1, so the exit status is 255 (ip's is 1). */
function nodev(ctx: IpCtx, dev: string): never {
  die(ctx, `Cannot find device "${dev}"\n`, 255);
}

/** ll_name_to_index() of a device the command named (0 for none), bridge's nodev() when it does not exist */
function portIndex(ctx: IpCtx, ns: Netns, dev: string | null): number {
  if (!dev) return 0;
  const l = findLink(ns, dev);
  if (!l) nodev(ctx, dev);
  return l.ifindex;
}

function usage(ctx: IpCtx): never {
  die(ctx, BRIDGE_USAGE, 255);
}

/** bridge link: the ports (PF_BRIDGE link dump). The peer's ifindex is resolved in the local namespace. */
function linkShow(ctx: IpCtx, argv: string[]): number {
  const world = ctx.sys.world;
  const ns = world.ns(ctx.ns);
  let dev: string | null = null;
  const a = new Args(argv);
  for (; a.more(); a.adv()) {
    if (a.cur === 'dev') {
      const v = a.next(ctx);
      if (dev) duparg(ctx, 'dev', v);
      dev = v;
    }
  }
  const idx = portIndex(ctx, ns, dev);
  const p = ctx.p;
  p.newJsonObj();
  for (const l of ns.links) {
    if (l.master == null) continue;
    if (idx && l.ifindex !== idx) continue;
    printPort(ctx, ns, l);
  }
  p.deleteJsonObj();
  return 0;
}

function printPort(ctx: IpCtx, ns: Netns, l: Link): void {
  const p = ctx.p;
  const world = ctx.sys.world;
  p.openObject(null);
  p.int('any', 'ifindex', '%d: ', l.ifindex);
  // IFLA_LINK without IFLA_LINK_NETNSID: the peer's index is looked up here
  let name = l.name;
  let mdown = false;
  if (l.kind === 'veth' && l.peer) {
    const local = linkByIndex(ns, l.peer.ifindex);
    if (p.isJson()) p.string('json', 'link', null, local ? local.name : `if${l.peer.ifindex}`);
    else name = `${name}@${local ? local.name : `if${l.peer.ifindex}`}`;
    mdown = !!local && !local.adminUp;
  }
  p.string('any', 'ifname', '%s: ', name, 'ifname');
  printLinkFlags(p, linkIfFlags(world, ns, l), mdown);
  p.int('any', 'mtu', 'mtu %u ', l.mtu);
  const m = linkByIndex(ns, l.master!);
  p.string('any', 'master', 'master %s ', m ? m.name : `if${l.master}`);
  const st = portState(world, ns, l);
  p.string('any', 'state', 'state %s ', BR_STATE_NAMES[st] ?? String(st));
  p.uint('any', 'priority', 'priority %u ', l.brport?.priority ?? 32);
  p.uint('any', 'cost', 'cost %u ', l.brport?.cost ?? portCost(l));
  if (ctx.opts.details) {
    if (!p.isJson()) p.text(`${p.SL}    `);
    const oo = (k: string, v: boolean) => p.onOff('any', k, `${k} %s `, l.brport?.flags?.[k] ?? v);
    printPortModeFlags(oo);
    oo('mcast_flood', true);
    oo('bcast_flood', true);
    p.uint('any', 'mcast_router', 'mcast_router %u ', 1);
    oo('mcast_to_unicast', false);
    oo('neigh_suppress', false);
    oo('vlan_tunnel', false);
    oo('isolated', false);
    oo('locked', false);
  }
  p.string('fp', null, '%s', '\n');
  p.closeObject();
}

function linkSet(ctx: IpCtx, argv: string[]): number {
  const ns = ctx.sys.world.ns(ctx.ns);
  let dev: string | null = null;
  const a = new Args(argv);
  const onoff = ['guard', 'hairpin', 'fastleave', 'root_block', 'learning', 'learning_sync', 'flood', 'mcast_flood', 'bcast_flood', 'mcast_to_unicast', 'neigh_suppress', 'vlan_tunnel', 'isolated', 'locked'];
  const flags: Record<string, boolean> = {};
  let cost: number | null = null;
  let priority: number | null = null;
  for (; a.more(); a.adv()) {
    const arg = a.cur;
    if (arg === 'dev') dev = a.next(ctx);
    else if (onoff.includes(arg)) {
      const v = a.next(ctx);
      // parse_on_off() -> parse_one_of(): the command returns its -EINVAL (exit 234)
      if (v !== 'on' && v !== 'off') die(ctx, `Error: argument of "${arg}" must be one of "off", "on", not "${v}"\n`, 234);
      flags[arg === 'fastleave' ? 'fastleave' : arg] = v === 'on';
    } else if (arg === 'cost' || arg === 'priority') {
      const v = a.next(ctx);
      if (!/^\d+$/.test(v) || Number(v) > 4294967295) die(ctx, `Error: argument "${v}" is wrong: Invalid "${arg}" value\n\n`, 255);
      if (arg === 'cost') cost = Number(v);
      else priority = Number(v);
    } else if (['state', 'mcast_router', 'hwmode', 'backup_port'].includes(arg)) a.next(ctx);
    else if (['self', 'master', 'nobackup_port'].includes(arg)) {
      // flags
    } else usage2(ctx);
  }
  if (!dev) die(ctx, 'Device is a required argument.\n', 255);
  const l = findLink(ns, dev);
  if (!l) nodev(ctx, dev);
  try {
    linkSetBrport(ctx.sys.world, ctx.ns, l.ifindex, { cost, priority, flags });
  } catch (e) {
    if (e instanceof KernelError) die(ctx, rtnlErrorText(e), 255);
    throw e;
  }
  return 0;
}

function usage2(ctx: IpCtx): never {
  die(ctx, BRIDGE_LINK_USAGE, 255);
}

function doLink(ctx: IpCtx, argv: string[]): number {
  if (!argv.length) return linkShow(ctx, []);
  const c = argv[0]!;
  if (matches(c, 'set') || matches(c, 'change')) return linkSet(ctx, argv.slice(1));
  if (matches(c, 'show') || matches(c, 'lst') || matches(c, 'list')) return linkShow(ctx, argv.slice(1));
  if (matches(c, 'help')) usage2(ctx);
  die(ctx, `Command "${c}" is unknown, try "bridge link help".\n`, 255);
}

/** A device's hardware multicast list as the kernel fills it (IPv4/IPv6 groups, bridge snooping). */
function mcList(ctx: IpCtx, ns: Netns, l: Link): string[] {
  if (!l.adminUp || l.kind === 'loopback' || l.kind === 'dummy') return [];
  const out: string[] = [];
  const v6 = ns.sysctl[`net.ipv6.conf.${sysctlDev(l.name)}.disable_ipv6`] !== '1' && ns.sysctl['net.ipv6.conf.all.disable_ipv6'] !== '1';
  if (v6) out.push('33:33:00:00:00:01');
  if (l.kind === 'bridge') out.push('01:00:5e:00:00:6a', '33:33:00:00:00:6a');
  out.push('01:00:5e:00:00:01');
  if (v6) {
    const seen = new Set<string>();
    for (const a of addressesOf(ns, l.ifindex, 6)) {
      if (a.local === '::1') continue;
      const m = solicitedNodeMac(a.local);
      if (!seen.has(m)) {
        seen.add(m);
        out.push(m);
      }
    }
    if (ns.sysctl[`net.ipv6.conf.${sysctlDev(l.name)}.forwarding`] === '1') out.push('33:33:00:00:00:02');
  }
  void ctx;
  return out;
}

interface FdbRow {
  mac: string;
  ifindex: number;
  self: boolean;
  master: number | null;
  state: 'permanent' | 'static' | 'stale' | '';
  /** vxlan: the remote VTEP */
  dst?: string;
}

function fdbRows(ctx: IpCtx, ns: Netns, l: Link): FdbRow[] {
  const world = ctx.sys.world;
  const rows: FdbRow[] = [];
  if (l.master != null) {
    const br = linkByIndex(ns, l.master);
    if (br) {
      for (const e of fdbEntries(world, ns, br)) {
        if (e.port !== l.ifindex) continue;
        rows.push({ mac: e.mac, ifindex: l.ifindex, self: false, master: br.ifindex, state: e.permanent ? 'permanent' : world.now() - e.updated > br.bridge!.ageingTime * 10 ? 'stale' : '' });
      }
      // entries added with `bridge fdb add ... master`
      for (const e of br.bridge?.fdb ?? []) {
        if (e.userState && e.port === l.ifindex) rows.push({ mac: e.mac, ifindex: l.ifindex, self: false, master: br.ifindex, state: e.userState });
      }
    }
  }
  if (l.kind === 'bridge') {
    for (const e of fdbEntries(world, ns, l)) if (e.port === l.ifindex) rows.push({ mac: e.mac, ifindex: l.ifindex, self: false, master: l.ifindex, state: 'permanent' });
  }
  if (l.kind === 'vxlan') {
    // vxlan_fdb_dump: the device's own entries, no multicast list
    for (const e of vxlanFdbEntries(world, l)) rows.push({ mac: e.mac, ifindex: l.ifindex, self: true, master: null, state: e.state === 'permanent' ? 'permanent' : e.state === 'noarp' ? 'static' : e.state === 'stale' ? 'stale' : '', dst: e.dst });
    return rows;
  }
  for (const m of mcList(ctx, ns, l)) rows.push({ mac: m, ifindex: l.ifindex, self: true, master: null, state: 'permanent' });
  return rows;
}

function fdbShow(ctx: IpCtx, argv: string[]): number {
  const ns = ctx.sys.world.ns(ctx.ns);
  let dev: string | null = null;
  let br: string | null = null;
  let dynamicOnly = false;
  let stateFilter: string | null = null;
  const a = new Args(argv);
  for (; a.more(); a.adv()) {
    const arg = a.cur;
    if (arg === 'brport' || arg === 'dev') dev = a.next(ctx);
    else if (arg === 'br') br = a.next(ctx);
    else if (arg === 'vlan') a.next(ctx);
    else if (arg === 'state') {
      const v = a.next(ctx);
      if (matches(v, 'permanent')) stateFilter = 'permanent';
      else if (matches(v, 'static') || matches(v, 'temp')) stateFilter = 'static';
      else if (matches(v, 'dynamic')) stateFilter = '';
      else die(ctx, `Error: argument "${v}" is wrong: invalid state\n`, 255);
    } else if (arg === 'dynamic') dynamicOnly = true;
    else if (matches(arg, 'help')) die(ctx, BRIDGE_FDB_USAGE, 255);
  }
  let master = 0;
  if (br) {
    const b = findLink(ns, br);
    if (!b) die(ctx, `Cannot find bridge device "${br}"\n`, 255);
    master = b.ifindex;
  }
  const idx = portIndex(ctx, ns, dev);
  const p = ctx.p;
  p.newJsonObj();
  for (const l of ns.links) {
    if (master && l.ifindex !== master && l.master !== master) continue;
    if (idx && l.ifindex !== idx) continue;
    for (const r of fdbRows(ctx, ns, l)) {
      if (dynamicOnly && r.state === 'permanent') continue;
      if (stateFilter != null && r.state !== stateFilter) continue;
      p.openObject(null);
      p.string('any', 'mac', '%s ', r.mac, 'mac');
      if (!idx) {
        p.string('fp', null, 'dev ', null);
        p.string('any', 'ifname', '%s ', l.name, 'ifname');
      }
      if (r.dst) p.string('any', 'dst', 'dst %s ', r.dst);
      p.openArray('json', p.isJson() ? 'flags' : '');
      if (r.self) p.string('any', null, '%s ', 'self');
      p.closeArray('json', null);
      if (r.master != null) p.string('any', 'master', 'master %s ', linkByIndex(ns, r.master)?.name ?? '');
      p.string('any', 'state', '%s\n', r.state);
      p.closeObject();
    }
  }
  p.deleteJsonObj();
  return 0;
}

function parseMac(ctx: IpCtx, s: string): string {
  const parts = s.split(':');
  if (parts.length !== 6 || parts.some((x) => !/^[0-9a-fA-F]{1,2}$/.test(x))) die(ctx, `Invalid mac address ${s}\n`, 255);
  return parts.map((x) => x.toLowerCase().padStart(2, '0')).join(':');
}

function fdbModify(ctx: IpCtx, cmd: 'add' | 'append' | 'replace' | 'del', argv: string[]): number {
  const world = ctx.sys.world;
  const ns = world.ns(ctx.ns);
  let mac: string | null = null;
  let dev: string | null = null;
  let master = false;
  let permanent = false;
  // ndm_state: NUD_NOARP (static) with `static`/`temp`, NUD_REACHABLE with `dynamic`, else NUD_PERMANENT
  let state: 'permanent' | 'static' | 'dynamic' = 'permanent';
  let dst: string | null = null;
  const a = new Args(argv);
  for (; a.more(); a.adv()) {
    const arg = a.cur;
    if (arg === 'dev') dev = a.next(ctx);
    else if (arg === 'master') master = true;
    else if (arg === 'self') master = master || false;
    else if (arg === 'local' || arg === 'permanent') {
      permanent = true;
      state = 'permanent';
    } else if (arg === 'static' || arg === 'temp') state = 'static';
    else if (arg === 'dynamic') state = 'dynamic';
    else if (arg === 'use' || arg === 'router' || arg === 'extern_learn' || arg === 'sticky') {
      // state / flags
    } else if (arg === 'dst') dst = a.next(ctx);
    else if (['port', 'vni', 'via', 'src_vni', 'vlan', 'nhid'].includes(arg)) a.next(ctx);
    else if (matches(arg, 'help')) die(ctx, BRIDGE_FDB_USAGE, 255);
    else {
      if (mac) die(ctx, `Error: either "dev" is duplicate, or "${arg}" is a garbage.\n`, 255);
      mac = arg;
    }
  }
  if (!dev || !mac) die(ctx, 'Device and address are required arguments.\n', 255);
  const m = parseMac(ctx, mac);
  const l = findLink(ns, dev);
  if (!l) nodev(ctx, dev);
  if (l.kind === 'vxlan' && !master) {
    // vxlan_fdb_add / vxlan_fdb_delete (the device's own FDB)
    try {
      if (cmd === 'del') vxlanFdbDel(world, ctx.ns, l.ifindex, m, dst);
      else {
        if (!dst) die(ctx, 'RTNETLINK answers: Invalid argument\n', 255);
        vxlanFdbAdd(world, ctx.ns, l.ifindex, { mac: m, dst, state: state === 'static' ? 'noarp' : state === 'dynamic' ? 'reachable' : 'permanent' }, cmd);
      }
    } catch (e) {
      if (e instanceof KernelError) die(ctx, `RTNETLINK answers: ${STRERROR[e.errno]}\n`, 255);
      throw e;
    }
    return 0;
  }
  // fdb_modify() returns -1 on any netlink error: exit 255
  if (!master || l.master == null) die(ctx, 'RTNETLINK answers: Operation not supported\n', 255);
  const br = linkByIndex(ns, l.master)!;
  const fdb = br.bridge!.fdb;
  const i = fdb.findIndex((e) => e.mac === m);
  if (cmd === 'del') {
    if (i < 0) die(ctx, 'RTNETLINK answers: No such file or directory\n', 255);
    fdb.splice(i, 1);
    return 0;
  }
  if (i >= 0 && cmd === 'add') die(ctx, 'RTNETLINK answers: File exists\n', 255);
  if (i >= 0) fdb.splice(i, 1);
  if (state === 'dynamic') fdb.push({ mac: m, port: l.ifindex, permanent: false, updated: world.now() });
  else fdb.push({ mac: m, port: l.ifindex, permanent: true, updated: world.now(), userState: state });
  void permanent;
  void bridgePorts;
  return 0;
}

function doFdb(ctx: IpCtx, argv: string[]): number {
  if (!argv.length) return fdbShow(ctx, []);
  const c = argv[0]!;
  const rest = argv.slice(1);
  if (matches(c, 'add')) return fdbModify(ctx, 'add', rest);
  if (matches(c, 'append')) return fdbModify(ctx, 'append', rest);
  if (matches(c, 'replace')) return fdbModify(ctx, 'replace', rest);
  if (matches(c, 'delete')) return fdbModify(ctx, 'del', rest);
  if (matches(c, 'show') || matches(c, 'lst') || matches(c, 'list')) return fdbShow(ctx, rest);
  if (matches(c, 'help')) die(ctx, BRIDGE_FDB_USAGE, 255);
  die(ctx, `Command "${c}" is unknown, try "bridge fdb help".\n`, 255);
}

export async function runBridge(argv: string[], io: CmdIO, sys: Sys): Promise<CmdResult> {
  const opts = defaultOpts();
  let ctx: IpCtx = { sys, io, ns: sys.ns, opts, p: new Printer({ json: false, pretty: false, color: false, oneline: false }) };
  let code = 0;
  try {
    const args = argv.slice();
    let color = false;
    while (args.length) {
      let opt = args[0]!;
      if (opt === '--') {
        args.shift();
        break;
      }
      if (opt[0] !== '-') break;
      if (opt[1] === '-') opt = opt.slice(1);
      if (matches(opt, '-help')) usage(ctx);
      else if (matches(opt, '-Version')) {
        ctx.p.text(BRIDGE_VERSION);
        throw new IpExit(0);
      } else if (matches(opt, '-stats') || matches(opt, '-statistics')) opts.stats++;
      else if (matches(opt, '-details')) opts.details++;
      else if (matches(opt, '-oneline')) opts.oneline = true;
      else if (matches(opt, '-timestamp')) opts.timestamp = true;
      else if (matches(opt, '-family')) {
        args.shift();
        if (!args.length) usage(ctx);
        if (args[0] === 'inet') opts.family = 4;
        else if (args[0] === 'inet6') opts.family = 6;
        else if (args[0] === 'help') usage(ctx);
        else die(ctx, `Error: argument "${args[0]}" is wrong: invalid protocol family\n`, 255);
      } else if (opt === '-4') opts.family = 4;
      else if (opt === '-6') opts.family = 6;
      else if (matches(opt, '-netns')) {
        args.shift();
        if (!args.length) die(ctx, 'Command line is not complete. Try option "help"\n', 255);
        const t = nsByName(sys, args[0]!);
        if (!t) die(ctx, `Cannot open network namespace "${args[0]}": No such file or directory\n`, 255);
        ctx.ns = t;
      } else if (matches(opt.split('=')[0]!, '-color')) {
        const v = opt.includes('=') ? opt.slice(opt.indexOf('=') + 1) : 'always';
        color = v === 'always' || (v === 'auto' && sys.tty);
      } else if (matches(opt, '-compressvlans')) {
        // vlan display option
      } else if (matches(opt, '-force')) opts.force = true;
      else if (matches(opt, '-json')) opts.json = true;
      else if (matches(opt, '-pretty')) opts.pretty = true;
      else if (matches(opt, '-batch')) {
        args.shift();
        if (!args.length) usage(ctx);
        die(ctx, `Cannot open file "${args[0]}" for reading: No such file or directory\n`, 1);
      } else die(ctx, `Option "${opt}" is unknown, try "bridge help".\n`, 255);
      args.shift();
    }
    const prev = ctx.p;
    ctx = { ...ctx, p: new Printer({ json: opts.json, pretty: opts.pretty, color: color && !opts.json, oneline: opts.oneline }) };
    ctx.p.out = prev.out;
    ctx.p.err = prev.err;
    if (!args.length) usage(ctx);
    const obj = args[0]!;
    const rest = args.slice(1);
    if (matches(obj, 'link')) code = doLink(ctx, rest);
    else if (matches(obj, 'fdb')) code = doFdb(ctx, rest);
    else if (matches(obj, 'mdb') || matches(obj, 'vlan') || matches(obj, 'vni') || matches(obj, 'monitor')) code = 0;
    else if (matches(obj, 'help')) usage(ctx);
    else die(ctx, `Object "${obj}" is unknown, try "bridge help".\n`, 255);
  } catch (e) {
    if (e instanceof IpExit) code = e.code;
    else throw e;
  }
  return { stdout: ctx.p.out, stderr: ctx.p.err, exitCode: code & 255 };
}

export const bridge: NetCommand = { name: 'bridge', complete: completeBridge, run: runBridge };
