// ip link (ip/iplink.c): add / set / del / show / help.
import { KernelError } from '../../sim/errors';
import {
  findLink,
  linkAdd,
  linkDel,
  linkRename,
  linkSetAlias,
  linkSetFlag,
  linkSetMac,
  linkSetMaster,
  linkSetMtu,
  linkSetNetns,
  linkSetTxqlen,
  linkSetUp,
  validIfName,
} from '../../sim/netdev';
import type { NsId, VxlanInfo } from '../../sim/types';
import { vxlanFdbAdd } from '../../sim/vxlan';
import { ipaddrList } from './address';
import { BRIDGE_EXPLAIN, LINK_USAGE, VETH_USAGE } from './help';
import { Args, IpExit, llAddrA2n, die, duparg, duparg2, incomplete, invarg, matches, missarg, nodev, nsByName, parseInteger, rtnlErrorText, type IpCtx } from './utils';

function usage(ctx: IpCtx): never {
  die(ctx, LINK_USAGE, 255);
}

/** check_ifname(): < 16 bytes, no '/' or whitespace, not empty. */
function checkIfname(name: string): boolean {
  return name.length > 0 && name.length < 16 && !/[/\s]/.test(name);
}

/** ll_addr_a2n; an invalid address ends the command with exit 1 (iplink_parse returns -1). */
function llAddr(ctx: IpCtx, arg: string): string {
  const r = llAddrA2n(ctx, arg);
  if (!r) throw new IpExit(1);
  return r.mac;
}

interface LinkReq {
  up: boolean | null;
  name: string | null;
  dev: string | null;
  mtu: number | null;
  qlen: number | null;
  address: string | null;
  addrLen: number;
  /** target namespace (IFLA_NET_NS_FD/PID) */
  netns: NsId | null;
  /** null: no master attribute; 0: nomaster; else the master's name */
  master: string | null | 0;
  masterIndex: number | null;
  alias: string | null;
  group: string | null;
  /** IFF_* changes (arp, promisc, allmulticast, multicast) */
  flags: Array<['arp' | 'promisc' | 'allmulticast' | 'multicast', boolean]>;
  /** `link DEV` (lower device) */
  lower: string | null;
  type: string | null;
  /** index in argv where parsing stopped (after `type X`) */
  consumed: number;
}

/** The namespace `netns X` designates: a /run/netns name, else a PID. */
function netnsTarget(ctx: IpCtx, v: string): NsId | null {
  const byName = nsByName(ctx.sys, v);
  if (byName) return byName;
  const pid = parseInteger(v, 0);
  if (pid == null) return null;
  const h = ctx.sys.world.state.hosts[ctx.sys.host];
  const proc = h?.processes.find((p) => p.pid === pid);
  if (proc) return proc.ns;
  // PID 1 (init) lives in the host's root namespace: `netns 1` moves a link back there
  if (pid === 1 && h) return h.rootNs;
  // a PID that names no process: the kernel answers ESRCH
  return `pid:${pid}`;
}

/** iplink_parse(). `create`: NLM_F_CREATE (add). */
/** Keywords iplink_parse() checks but the simulated links do not keep (carrier, vrf, mode, state, queues...). */
function linkCheckedOnly(ctx: IpCtx, arg: string, a: Args): boolean {
  if (arg === 'carrier' || arg === 'protodown') {
    const v = a.next(ctx);
    if (v !== 'on' && v !== 'off') die(ctx, `Error: argument of "${arg}" must be "on" or "off", not "${v}"\n`, 1);
  } else if (arg === 'vrf') invarg(ctx, 'Not a valid VRF name\n', a.next(ctx));
  else if (arg === 'mode') {
    const v = a.next(ctx);
    if (v !== 'default' && v !== 'dormant') invarg(ctx, 'Invalid link mode\n', v);
  } else if (arg === 'state') {
    const v = a.next(ctx);
    if (!['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'].includes(v.toUpperCase())) invarg(ctx, 'Invalid operstate\n', v);
  } else if (matches(arg, 'numtxqueues') || matches(arg, 'numrxqueues')) {
    const v = a.next(ctx);
    if (parseInteger(v, 0) == null) invarg(ctx, `Invalid "${matches(arg, 'numtxqueues') ? 'numtxqueues' : 'numrxqueues'}" value\n`, v);
  } else if (matches(arg, 'addrgenmode')) {
    const v = a.next(ctx);
    if (!['eui64', 'none', 'stable_secret', 'random'].includes(v)) invarg(ctx, 'Invalid address generation mode\n', v);
  } else if (arg === 'gso_max_size' || arg === 'gso_max_segs' || arg === 'gro_max_size') {
    const v = a.next(ctx);
    if (parseInteger(v, 0) == null) invarg(ctx, `Invalid "${arg}" value\n`, v);
  } else return false;
  return true;
}

/** After the words: name and dev stand for each other; the device must exist unless it is being created. */
function linkReqFinish(ctx: IpCtx, ns: ReturnType<IpCtx['sys']['world']['ns']>, req: LinkReq, create: boolean): void {
  // "ip link add dev X" and "ip link add name X"
  if (req.name == null) req.name = req.dev;
  else if (req.dev == null) req.dev = req.name;
  if (!create) {
    if (!req.dev) die(ctx, 'Not enough information: "dev" argument is required.\n', 255);
    if (req.addrLen && findLink(ns, req.dev) && req.addrLen !== 6) die(ctx, `Invalid address length ${req.addrLen} - must be 6 bytes\n`, 1);
    if (!findLink(ns, req.dev)) nodev(ctx, req.dev);
    if (req.name === req.dev) req.name = null;
  } else if (req.name !== req.dev) {
    die(ctx, 'both "name" and "dev" cannot be used when creating devices.\n', 255);
  } else if (req.lower && !findLink(ns, req.lower)) {
    nodev(ctx, req.lower);
  }
}

function iplinkParse(ctx: IpCtx, argv: string[], create: boolean, nsForLookup: NsId): LinkReq {
  const world = ctx.sys.world;
  const ns = world.ns(nsForLookup);
  const req: LinkReq = { up: null, name: null, dev: null, mtu: null, qlen: null, address: null, addrLen: 0, netns: null, master: null, masterIndex: null, alias: null, group: null, flags: [], lower: null, type: null, consumed: 0 };
  let nameSet = false;
  let devIsName = true;
  const a = new Args(argv);
  for (; a.more(); a.adv()) {
    const arg = a.cur;
    if (arg === 'up') req.up = true;
    else if (arg === 'down') req.up = false;
    else if (arg === 'name') {
      const v = a.next(ctx);
      if (nameSet) duparg(ctx, 'name', v);
      if (!checkIfname(v)) invarg(ctx, '"name" not a valid ifname', v);
      req.name = v;
      nameSet = true;
      if (req.dev == null) req.dev = v;
    } else if (arg === 'index') {
      const v = a.next(ctx);
      const n = parseInt(v, 10);
      if (!(n > 0)) invarg(ctx, 'Invalid "index" value', v);
    } else if (matches(arg, 'link')) {
      req.lower = a.next(ctx);
    } else if (matches(arg, 'address')) {
      const r = llAddrA2n(ctx, a.next(ctx));
      if (!r) throw new IpExit(1);
      req.address = r.mac;
      req.addrLen = r.len;
    } else if (matches(arg, 'broadcast') || arg === 'brd') {
      llAddr(ctx, a.next(ctx));
    } else if (matches(arg, 'txqueuelen') || arg === 'qlen' || matches(arg, 'txqlen')) {
      const v = a.next(ctx);
      if (req.qlen != null) duparg(ctx, 'txqueuelen', v);
      const n = parseInteger(v, 0);
      if (n == null) invarg(ctx, 'Invalid "txqueuelen" value\n', v);
      req.qlen = n;
    } else if (arg === 'mtu') {
      const v = a.next(ctx);
      if (req.mtu != null) duparg(ctx, 'mtu', v);
      const n = parseInteger(v, 0);
      if (n == null) invarg(ctx, 'Invalid "mtu" value\n', v);
      req.mtu = n;
    } else if (arg === 'netns') {
      const v = a.next(ctx);
      if (req.netns != null) duparg(ctx, 'netns', v);
      const t = netnsTarget(ctx, v);
      if (!t) invarg(ctx, 'Invalid "netns" value\n', v);
      req.netns = t;
    } else if (['multicast', 'allmulticast', 'promisc', 'trailers', 'arp'].includes(arg) || matches(arg, 'dynamic')) {
      const v = a.next(ctx);
      const name = ['multicast', 'allmulticast', 'promisc', 'trailers', 'arp'].includes(arg) ? arg : 'dynamic';
      // on_off(): the message, then iplink_parse returns -1 (exit 1)
      if (v !== 'on' && v !== 'off') die(ctx, `Error: argument of "${name}" must be "on" or "off", not "${v}"\n`, 1);
      if (name === 'arp' || name === 'promisc' || name === 'allmulticast' || name === 'multicast') req.flags.push([name, v === 'on']);
    } else if (matches(arg, 'master')) {
      const v = a.next(ctx);
      const m = findLink(ns, v);
      if (!m) invarg(ctx, 'Device does not exist\n', v);
      req.master = v;
      req.masterIndex = m.ifindex;
    } else if (matches(arg, 'nomaster')) {
      req.master = 0;
    } else if (matches(arg, 'type')) {
      req.type = a.next(ctx);
      a.adv();
      break;
    } else if (matches(arg, 'alias')) {
      const v = a.next(ctx);
      if (v.length >= 256) invarg(ctx, 'alias too long\n', v);
      req.alias = v;
    } else if (arg === 'group') {
      const v = a.next(ctx);
      if (req.group != null) duparg(ctx, 'group', v);
      if (v !== 'default' && parseInteger(v, 0) == null) invarg(ctx, 'Invalid "group" value\n', v);
      req.group = v;
    } else if (!linkCheckedOnly(ctx, arg, a)) {
      if (matches(arg, 'help')) usage(ctx);
      let v = arg;
      if (arg === 'dev') v = a.next(ctx);
      if (!devIsName) duparg2(ctx, 'dev', v);
      if (!v || /[/\s]/.test(v)) invarg(ctx, '"dev" not a valid ifname', v);
      req.dev = v;
      devIsName = false;
    }
  }
  req.consumed = a.i;
  linkReqFinish(ctx, ns, req, create);
  return req;
}

function resolveNs(ctx: IpCtx, t: NsId): NsId {
  if (t.startsWith('pid:')) die(ctx, 'RTNETLINK answers: No such process\n', 2);
  return t;
}

function iplinkAdd(ctx: IpCtx, argv: string[]): number {
  const world = ctx.sys.world;
  const req = iplinkParse(ctx, argv, true, ctx.ns);
  if (!req.type) die(ctx, 'Not enough information: "type" argument is required\n', 1);
  const rest = argv.slice(req.consumed);
  const type = req.type;
  let peerReq: LinkReq | null = null;
  let vxlan: (Partial<VxlanInfo> & { id: number; remote?: string }) | null = null;
  if (type === 'veth') {
    if (rest.length) {
      if (rest[0] !== 'peer') {
        ctx.p.error(VETH_USAGE);
        throw dieQuiet(1);
      }
      peerReq = iplinkParse(ctx, rest.slice(1), true, ctx.ns);
      if (peerReq.type) duparg(ctx, 'type', rest[1 + peerReq.consumed - 1] ?? peerReq.type);
    }
  } else if (type === 'vxlan') {
    vxlan = parseVxlanOpts(ctx, rest, req.netns ? resolveNs(ctx, req.netns) : ctx.ns);
  } else if (type === 'bridge' || type === 'dummy') {
    if (rest.length && type === 'dummy') {
      if (matches(rest[0]!, 'help')) usage(ctx);
      die(ctx, `Garbage instead of arguments "${rest[0]} ...". Try "ip link help".\n`, 1);
    }
    if (rest.length && type === 'bridge') parseBridgeOpts(ctx, rest);
  } else {
    if (rest.length) {
      if (matches(rest[0]!, 'help')) usage(ctx);
      if (!KNOWN_TYPES.has(type)) die(ctx, `Garbage instead of arguments "${rest[0]} ...". Try "ip link help".\n`, 1);
    }
    die(ctx, KNOWN_TYPES.has(type) ? 'Error: Unknown device type.\n' : 'Error: Unknown device type.\n', 2);
  }
  // a name given without "name" escapes iproute2's length check; the kernel's IFLA_IFNAME policy (15 bytes) rejects it
  if ((req.name && req.name.length >= 16) || (peerReq?.name && peerReq.name.length >= 16)) die(ctx, 'Error: Attribute failed policy validation.\n', 2);
  if ((req.addrLen && req.addrLen !== 6) || (peerReq?.addrLen && peerReq.addrLen !== 6)) die(ctx, 'RTNETLINK answers: Invalid argument\n', 2);
  const target = req.netns ? resolveNs(ctx, req.netns) : ctx.ns;
  const peerNs = peerReq?.netns ? resolveNs(ctx, peerReq.netns) : ctx.ns;
  const kind = type as 'veth' | 'bridge' | 'dummy' | 'vxlan';
  try {
    const link = linkAdd(world, target, {
      kind,
      ...(vxlan ? { vxlan } : {}),
      name: req.name,
      mtu: req.mtu ?? undefined,
      mac: req.address ?? undefined,
      txqlen: req.qlen ?? undefined,
      peerName: peerReq?.name ?? null,
      peerNs,
      peerMac: peerReq?.address ?? undefined,
      peerMtu: peerReq?.mtu ?? undefined,
    });
    if (vxlan?.remote) vxlanFdbAdd(world, target, link.ifindex, { mac: '00:00:00:00:00:00', dst: vxlan.remote }, 'append');
    if (req.alias) linkSetAlias(world, target, link.ifindex, req.alias);
    if (req.masterIndex != null && target === ctx.ns) linkSetMaster(world, target, link.ifindex, req.masterIndex);
    if (req.up) linkSetUp(world, target, link.ifindex, true);
    if (peerReq?.up && link.peer) linkSetUp(world, link.peer.ns, link.peer.ifindex, true);
  } catch (e) {
    if (e instanceof KernelError) die(ctx, rtnlErrorText(e), 2);
    throw e;
  }
  return 0;
}

const KNOWN_TYPES = new Set([
  'amt', 'bareudp', 'bond', 'bond_slave', 'bridge', 'bridge_slave', 'dsa', 'dummy', 'erspan', 'geneve', 'gre', 'gretap', 'gtp', 'ifb', 'ip6erspan', 'ip6gre',
  'ip6gretap', 'ip6tnl', 'ipip', 'ipoib', 'ipvlan', 'ipvtap', 'macsec', 'macvlan', 'macvtap', 'netdevsim', 'nlmon', 'rmnet', 'sit', 'team', 'team_slave', 'vcan',
  'veth', 'vlan', 'vrf', 'vti', 'vxcan', 'vxlan', 'wwan', 'xfrm', 'virt_wifi',
]);

function parseBridgeOpts(ctx: IpCtx, rest: string[]): void {
  const a = new Args(rest);
  const numeric = new Set(['forward_delay', 'hello_time', 'max_age', 'ageing_time', 'stp_state', 'priority', 'vlan_filtering', 'mcast_snooping', 'group_fwd_mask', 'nf_call_iptables', 'nf_call_ip6tables', 'nf_call_arptables']);
  for (; a.more(); a.adv()) {
    const arg = a.cur;
    if (numeric.has(arg)) {
      const v = a.next(ctx);
      if (parseInteger(v, 0) == null) invarg(ctx, `invalid ${arg}`, v);
    } else if (matches(arg, 'help')) {
      die(ctx, BRIDGE_EXPLAIN, 1);
    } else {
      die(ctx, `bridge: unknown command "${arg}"?\n` + BRIDGE_EXPLAIN, 1);
    }
  }
}

const VXLAN_USAGE = `Usage: ... vxlan id VNI
\t\t[ { group | remote } IP_ADDRESS ]
\t\t[ local ADDR ]
\t\t[ ttl TTL ]
\t\t[ tos TOS ]
\t\t[ df DF ]
\t\t[ flowlabel LABEL ]
\t\t[ dev PHYS_DEV ]
\t\t[ dstport PORT ]
\t\t[ srcport MIN MAX ]
\t\t[ [no]learning ]
\t\t[ [no]proxy ]
\t\t[ [no]rsc ]
\t\t[ [no]l2miss ]
\t\t[ [no]l3miss ]
\t\t[ ageing SECONDS ]
\t\t[ maxaddress NUMBER ]
\t\t[ [no]udpcsum ]
\t\t[ [no]udp6zerocsumtx ]
\t\t[ [no]udp6zerocsumrx ]
\t\t[ [no]remcsumtx ] [ [no]remcsumrx ]
\t\t[ [no]external ] [ gbp ] [ gpe ]
\t\t[ [no]vnifilter ]

Where:\tVNI\t:= 0-16777215
\tADDR\t:= { IP_ADDRESS | any }
\tTOS\t:= { NUMBER | inherit }
\tTTL\t:= { 1..255 | auto | inherit }
\tDF\t:= { unset | set | inherit }
\tLABEL := 0-1048575
`;

/** iplink_vxlan.c vxlan_parse_opt, for the options the model keeps (others are refused as unknown). */
function parseVxlanOpts(ctx: IpCtx, rest: string[], nsId: NsId): Partial<VxlanInfo> & { id: number; remote?: string } {
  const a = new Args(rest);
  const o: Partial<VxlanInfo> & { id: number; remote?: string } = { id: -1 };
  let portSet = false;
  const v4 = (s: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(s) && s.split('.').every((x) => Number(x) <= 255);
  for (; a.more(); a.adv()) {
    const arg = a.cur;
    if (arg === 'id' || arg === 'vni') {
      const v = a.next(ctx);
      const n = parseInteger(v, 0);
      if (n == null || n < 0 || n > 16777215) invarg(ctx, 'invalid id', v);
      o.id = n;
    } else if (arg === 'remote' || arg === 'local') {
      const v = a.next(ctx);
      if (!v4(v)) invarg(ctx, `invalid ${arg} address`, v);
      if (arg === 'remote') o.remote = v;
      else o.local = v;
    } else if (arg === 'dev') {
      const v = a.next(ctx);
      const l = findLink(ctx.sys.world.ns(nsId), v);
      if (!l) die(ctx, `Cannot find device "${v}"\n`, 255);
      o.dev = l.ifindex;
    } else if (arg === 'dstport' || arg === 'port') {
      const v = a.next(ctx);
      const n = parseInteger(v, 0);
      if (n == null || n > 65535) invarg(ctx, 'dstport', v);
      o.dstport = n;
      portSet = true;
    } else if (arg === 'ttl' || arg === 'hoplimit') {
      const v = a.next(ctx);
      if (v === 'auto' || v === 'inherit') o.ttl = null;
      else {
        const n = parseInteger(v, 0);
        if (n == null || n > 255) invarg(ctx, 'invalid TTL', v);
        o.ttl = n;
      }
    } else if (arg === 'ageing') {
      const v = a.next(ctx);
      const n = parseInteger(v, 0);
      if (n == null) invarg(ctx, 'ageing', v);
      o.ageing = n;
    } else if (arg === 'learning' || arg === 'nolearning') {
      o.learning = arg === 'learning';
    } else if (arg === 'udpcsum' || arg === 'noudp6zerocsumtx' || arg === 'noudp6zerocsumrx') {
      // the defaults
    } else if (matches(arg, 'help')) {
      die(ctx, VXLAN_USAGE, 1);
    } else {
      die(ctx, `vxlan: unknown command "${arg}"?\n` + VXLAN_USAGE, 1);
    }
  }
  if (o.id < 0) die(ctx, 'Error: Required attributes not provided to perform the operation.\n', 2);
  if (!portSet) {
    ctx.p.error("vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\nUse 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n");
    o.dstport = 8472;
  } else if (o.dstport === 0) o.dstport = 8472;
  return o;
}

class QuietExit extends Error {
  constructor(public code: number) {
    super('quiet');
  }
}
function dieQuiet(code: number): QuietExit {
  return new QuietExit(code);
}

function iplinkSet(ctx: IpCtx, argv: string[]): number {
  const world = ctx.sys.world;
  const req = iplinkParse(ctx, argv, false, ctx.ns);
  if (req.type) {
    const rest = argv.slice(req.consumed);
    if (rest.length && req.type !== 'bridge' && req.type !== 'bridge_slave') {
      if (matches(rest[0]!, 'help')) usage(ctx);
    }
  }
  const ns = world.ns(ctx.ns);
  const link = findLink(ns, req.dev!)!;
  let nsId = ctx.ns;
  let idx = link.ifindex;
  try {
    if (req.netns) {
      const t = resolveNs(ctx, req.netns);
      const moved = linkSetNetns(world, nsId, idx, t);
      nsId = t;
      idx = moved.ifindex;
    }
    if (req.name) linkRename(world, nsId, idx, req.name);
    if (req.address) linkSetMac(world, nsId, idx, req.address);
    if (req.mtu != null) linkSetMtu(world, nsId, idx, req.mtu);
    if (req.master === 0) linkSetMaster(world, nsId, idx, null);
    else if (req.masterIndex != null) linkSetMaster(world, nsId, idx, req.masterIndex);
    if (req.qlen != null) linkSetTxqlen(world, nsId, idx, req.qlen);
    if (req.alias != null) linkSetAlias(world, nsId, idx, req.alias);
    for (const [flag, on] of req.flags) linkSetFlag(world, nsId, idx, flag, on);
    if (req.up != null) linkSetUp(world, nsId, idx, req.up);
  } catch (e) {
    if (e instanceof KernelError) die(ctx, rtnlErrorText(e), 2);
    throw e;
  }
  return 0;
}

function iplinkDel(ctx: IpCtx, argv: string[]): number {
  const world = ctx.sys.world;
  const req = iplinkParse(ctx, argv, false, ctx.ns);
  const link = findLink(world.ns(ctx.ns), req.dev!)!;
  try {
    linkDel(world, ctx.ns, link.ifindex);
  } catch (e) {
    if (e instanceof KernelError) die(ctx, rtnlErrorText(e), 2);
    throw e;
  }
  return 0;
}

export function doIplink(ctx: IpCtx, argv: string[]): number {
  try {
    if (argv.length < 1) return ipaddrList(ctx, [], 'list', true);
    const c = argv[0]!;
    const rest = argv.slice(1);
    if (matches(c, 'add')) return iplinkAdd(ctx, rest);
    if (matches(c, 'set') || matches(c, 'change')) return iplinkSet(ctx, rest);
    if (matches(c, 'replace')) {
      const ns = ctx.sys.world.ns(ctx.ns);
      const req = iplinkParse(ctx, rest, true, ctx.ns);
      if (req.dev && findLink(ns, req.dev)) return iplinkSet(ctx, rest);
      return iplinkAdd(ctx, rest);
    }
    if (matches(c, 'delete')) return iplinkDel(ctx, rest);
    if (matches(c, 'show') || matches(c, 'lst') || matches(c, 'list')) return ipaddrList(ctx, rest, 'list', true);
    if (matches(c, 'help')) {
      if (rest.length && rest[0] === 'veth') {
        ctx.p.text(VETH_USAGE);
        return 0;
      }
      if (rest.length && rest[0] === 'bridge') {
        ctx.p.text(BRIDGE_EXPLAIN);
        return 0;
      }
      usage(ctx);
    }
    die(ctx, `Command "${c}" is unknown, try "ip link help".\n`, 255);
  } catch (e) {
    if (e instanceof QuietExit) die(ctx, '', e.code);
    throw e;
  }
}

void incomplete;
void missarg;
void validIfName;
