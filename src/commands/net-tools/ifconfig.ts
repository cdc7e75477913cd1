// ifconfig (net-tools 2.10): the interface list (ifconfig, -a, -s, IFACE,
// alias labels such as eth0:1) and the classic ioctl settings (address with
// its classful netmask, netmask, broadcast, up/down, mtu, txqueuelen, hw
// ether, name, IPv6 add/del). Also the interface table of `netstat -i`.
import { table } from '../../sim/own';
import { intToV4, v4Mask, v4MaskText, v4ToInt } from '../../sim/ip';
import type { CmdResult, NetCommand, Sys } from '../types';
import { inetResolve, interleave } from './lib';
import { KernelError, STRERROR } from '../../sim/errors';
import { addAddress, addressesOf, delAddress } from '../../sim/addr';
import { IFF, linkIfFlags, linkRename, linkSetFlag, linkSetMac, linkSetMtu, linkSetTxqlen, linkSetUp } from '../../sim/netdev';
import type { Address, Link, Netns } from '../../sim/types';
import { completeIfconfig } from '../completion-nettools';

// ---------------------------------------------------------------- the interface list

/** net-tools nstrcmp(): names compared with their numeric suffix as a number, alias suffixes last. */
export function nstrcmp(ap: string, bp: string): number {
  const cutalias = (s: string): [string, string | null] => {
    const m = /^(.*):(\d+)$/.exec(s);
    return m ? [m[1]!, m[2]!] : [s, null];
  };
  const [a, aalias] = cutalias(ap);
  const [b, balias] = cutalias(bp);
  const rnd = (s: string) => {
    let pos = s.length;
    while (pos > 0 && /[0-9]/.test(s[pos - 1]!)) pos--;
    return pos;
  };
  const ai = rnd(a);
  const bi = rnd(b);
  const complen = Math.min(ai, bi);
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const r = cmp(a.slice(0, complen), b.slice(0, complen));
  if (r !== 0) return r;
  if (ai !== bi) return ai > bi ? 1 : -1;
  const av = Number(a.slice(ai) || '0');
  const bv = Number(b.slice(bi) || '0');
  if (av !== bv) return av < bv ? -1 : 1;
  const r2 = cmp(a, b);
  if (r2 !== 0) return r2;
  const aa = aalias === null ? -1 : Number(aalias);
  const ba = balias === null ? -1 : Number(balias);
  if (aa !== ba) return aa < ba ? -1 : 1;
  return aalias !== null && balias !== null ? cmp(aalias, balias) : 0;
}

interface Iface {
  name: string;
  link: Link;
  /** a line in /proc/net/dev (real devices; alias labels have none) */
  stats: boolean;
}

function baseName(name: string): string {
  const i = name.indexOf(':');
  return i >= 0 ? name.slice(0, i) : name;
}

/** if_readlist(): the devices of /proc/net/dev and the labels SIOCGIFCONF reports, sorted with nstrcmp. */
function interfaces(ns: Netns): Iface[] {
  const out = new Map<string, Iface>();
  for (const l of ns.links) out.set(l.name, { name: l.name, link: l, stats: true });
  for (const a of ns.addrs) {
    if (a.family !== 4 || !a.label || out.has(a.label)) continue;
    const l = ns.links.find((x) => x.ifindex === a.ifindex);
    if (l) out.set(a.label, { name: a.label, link: l, stats: false });
  }
  return [...out.values()].sort((x, y) => nstrcmp(x.name, y.name));
}

/** SIOCGIFADDR: the first IPv4 address carrying this label. */
function labelAddr(ns: Netns, link: Link, label: string): Address | undefined {
  return addressesOf(ns, link.ifindex, 4).find((a) => (a.label ?? link.name) === label);
}

const FLAG_NAMES: [number, string][] = [
  [IFF.UP, 'UP'],
  [IFF.BROADCAST, 'BROADCAST'],
  [IFF.DEBUG, 'DEBUG'],
  [IFF.LOOPBACK, 'LOOPBACK'],
  [IFF.POINTOPOINT, 'POINTOPOINT'],
  [IFF.NOTRAILERS, 'NOTRAILERS'],
  [IFF.RUNNING, 'RUNNING'],
  [IFF.NOARP, 'NOARP'],
  [IFF.PROMISC, 'PROMISC'],
  [IFF.ALLMULTI, 'ALLMULTI'],
  [IFF.SLAVE, 'SLAVE'],
  [IFF.MASTER, 'MASTER'],
  [IFF.MULTICAST, 'MULTICAST'],
  [IFF.DYNAMIC, 'DYNAMIC'],
];

/** SIOCGIFFLAGS: the 16-bit ifr_flags (LOWER_UP and above are not in it). */
function ifFlags(sys: Sys, ns: Netns, link: Link): number {
  return linkIfFlags(sys.world, ns, link) & 0xffff;
}

function bytesText(n: number): string {
  let short = n * 10;
  let ext = 'B';
  const units: [number, string][] = [
    [1125899906842624, 'PiB'],
    [1099511627776, 'TiB'],
    [1073741824, 'GiB'],
    [1048576, 'MiB'],
    [1024, 'KiB'],
  ];
  for (const [lim, name] of units) {
    if (n > lim) {
      short = Math.floor(short / lim);
      ext = name;
      break;
    }
  }
  return `${n} (${Math.floor(short / 10)}.${short % 10} ${ext})`;
}

const IPV6_SCOPE: Record<string, number> = { global: 0, link: 0x20, host: 0x10, site: 0x40 };

function printLong(sys: Sys, ns: Netns, ife: Iface): string {
  const link = ife.link;
  const flags = ifFlags(sys, ns, link);
  let f = `flags=${flags}<`;
  const names = FLAG_NAMES.filter(([bit]) => flags & bit).map(([, n]) => n);
  f += names.join(',') + '>';
  let out = `${ife.name}: ${f}  mtu ${link.mtu}\n`;
  const a = labelAddr(ns, link, ife.name);
  if (a) {
    out += `        inet ${a.local}  netmask ${v4MaskText(a.prefixlen)}`;
    if (flags & IFF.BROADCAST) out += `  broadcast ${a.broadcast ?? '0.0.0.0'}`;
    if (flags & IFF.POINTOPOINT) out += `  destination ${a.peer ?? a.local}`;
    out += '\n';
  }
  if (ife.stats) {
    const v6 = addressesOf(ns, link.ifindex, 6);
    const scopeOf = (x: Address) => (typeof x.scope === 'number' ? x.scope : (IPV6_SCOPE[x.scope] ?? 0));
    const ordered = [...v6].sort((x, y) => scopeOf(x) - scopeOf(y));
    for (const x of ordered) {
      const sc = scopeOf(x);
      const label = sc === 0 ? 'global' : sc === 0x20 ? 'link' : sc === 0x40 ? 'site' : sc === 0x10 ? 'host' : '';
      out += `        inet6 ${x.local}  prefixlen ${x.prefixlen}  scopeid 0x${sc.toString(16)}${label ? `<${label}>` : ''}\n`;
    }
  }
  if (link.kind === 'loopback') out += `        loop  txqueuelen ${link.qlen}  (Local Loopback)\n`;
  else out += `        ether ${link.mac}  txqueuelen ${link.qlen}  (Ethernet)\n`;
  if (ife.stats) {
    const s = link.stats;
    out += `        RX packets ${s.rxPackets}  bytes ${bytesText(s.rxBytes)}\n`;
    out += `        RX errors ${s.rxErrors}  dropped ${s.rxDropped}  overruns 0  frame 0\n`;
    out += `        TX packets ${s.txPackets}  bytes ${bytesText(s.txBytes)}\n`;
    out += `        TX errors ${s.txErrors}  dropped ${s.txDropped} overruns 0  carrier 0  collisions 0\n`;
  }
  return out + '\n';
}

function printShort(sys: Sys, ns: Netns, ife: Iface): string {
  const link = ife.link;
  const flags = ifFlags(sys, ns, link);
  let out = `${ife.name.slice(0, 15).padEnd(15)} ${String(link.mtu).padStart(5)} `;
  if (ife.stats) {
    const s = link.stats;
    out += `${String(s.rxPackets).padStart(8)} ${String(s.rxErrors).padStart(6)} ${String(s.rxDropped).padStart(6)} ${'0'.padEnd(6)} `;
    out += `${String(s.txPackets).padStart(8)} ${String(s.txErrors).padStart(6)} ${String(s.txDropped).padStart(6)} ${'0'.padStart(6)} `;
  } else out += '     - no statistics available -'.padEnd(56);
  if (flags === 0) out += '[NO FLAGS]';
  const letters: [number, string][] = [
    [IFF.ALLMULTI, 'A'],
    [IFF.BROADCAST, 'B'],
    [IFF.DEBUG, 'D'],
    [IFF.LOOPBACK, 'L'],
    [IFF.MULTICAST, 'M'],
    [IFF.DYNAMIC, 'd'],
    [IFF.PROMISC, 'P'],
    [IFF.NOTRAILERS, 'N'],
    [IFF.NOARP, 'O'],
    [IFF.POINTOPOINT, 'P'],
    [IFF.SLAVE, 's'],
    [IFF.MASTER, 'm'],
    [IFF.RUNNING, 'R'],
    [IFF.UP, 'U'],
  ];
  for (const [bit, c] of letters) if (flags & bit) out += c;
  return out + '\n';
}

function printAll(sys: Sys, all: boolean, short: boolean): string {
  const ns = sys.world.ns(sys.ns);
  let out = '';
  for (const ife of interfaces(ns)) {
    if (!(ifFlags(sys, ns, ife.link) & IFF.UP) && !all) continue;
    out += short ? printShort(sys, ns, ife) : printLong(sys, ns, ife);
  }
  return out;
}

/** netstat -i / -ie: the kernel interface table. */
export function printInterfaceTable(sys: Sys, exp: number, all: boolean, _verbose: boolean): CmdResult {
  let out = 'Kernel Interface table\n';
  const short = exp < 2;
  if (short) out += 'Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg\n';
  out += printAll(sys, all, short);
  return { stdout: out, stderr: '', exitCode: 0 };
}

// ---------------------------------------------------------------- settings

const USAGE = `Usage:
  ifconfig [-a] [-v] [-s] <interface> [[<AF>] <address>]
  [add <address>[/<prefixlen>]]
  [del <address>[/<prefixlen>]]
  [[-]broadcast [<address>]]  [[-]pointopoint [<address>]]
  [netmask <address>]  [dstaddr <address>]  [tunnel <address>]
  [outfill <NN>] [keepalive <NN>]
  [hw <HW> <address>]  [mtu <NN>]
  [[-]trailers]  [[-]arp]  [[-]allmulti]
  [multicast]  [[-]promisc]
  [mem_start <NN>]  [io_addr <NN>]  [irq <NN>]  [media <type>]
  [txqueuelen <NN>]
  [name <newname>]
  [[-]dynamic]
  [up|down] ...

  <HW>=Hardware Type.
  List of possible hardware types:
`;
const HWLIST = `    loop (Local Loopback) slip (Serial Line IP) cslip (VJ Serial Line IP) 
    slip6 (6-bit Serial Line IP) cslip6 (VJ 6-bit Serial Line IP) adaptive (Adaptive Serial Line IP) 
    ash (Ash) ether (Ethernet) ax25 (AMPR AX.25) 
    netrom (AMPR NET/ROM) rose (AMPR ROSE) tunnel (IPIP Tunnel) 
    ppp (Point-to-Point Protocol) hdlc ((Cisco)-HDLC) lapb (LAPB) 
    arcnet (ARCnet) dlci (Frame Relay DLCI) frad (Frame Relay Access Device) 
    sit (IPv6-in-IPv4) fddi (Fiber Distributed Data Interface) hippi (HIPPI) 
    irda (IrLAP) ec (Econet) x25 (generic X.25) 
    eui64 (Generic EUI-64) 
`;
const USAGE_AF = `  <AF>=Address family. Default: inet
  List of possible address families:
`;
const AFLIST_ALL = `    unix (UNIX Domain) inet (DARPA Internet) inet6 (IPv6) 
    ax25 (AMPR AX.25) netrom (AMPR NET/ROM) rose (AMPR ROSE) 
    ipx (Novell IPX) ddp (Appletalk DDP) ec (Econet) 
    ash (Ash) x25 (CCITT X.25) 
`;

class IfExit {
  constructor(public res: CmdResult) {}
}

/** usage(): on a terminal stdout and stderr interleave (the lists go to stderr); piped, they are separate streams. */
function usage(sys: Sys, rc: number, pre = ''): never {
  const parts: [1 | 2, string][] = [
    [rc ? 2 : 1, USAGE],
    [2, HWLIST],
    [rc ? 2 : 1, USAGE_AF],
    [2, AFLIST_ALL],
  ];
  throw new IfExit(interleave(sys, [[2, pre], ...parts], rc));
}

/** inet_abc_len(): the classful prefix length of an address, -1 for class D/E. */
function abcLen(addr: string): number {
  const p = addr.split('.').map(Number);
  if (addr === '0.0.0.0' || addr === '255.255.255.255') return 0;
  const a = p[0]!;
  if (a < 128) return 8;
  if (a < 192) return 16;
  if (a < 224) return 24;
  return -1;
}

/** local | ~mask for any length (a /31 or /32 too: callers compare it with the stored broadcast). */
function bcastOf(local: string, len: number): string {
  return intToV4((v4ToInt(local) | ~v4Mask(len)) >>> 0);
}

/** INET_input(0, ...): numeric, else /etc/networks then /etc/hosts (herror() text on failure). */
function resolveV4(sys: Sys, host: string): string | { error: string } {
  const r = inetResolve(sys, host, false);
  return 'error' in r ? r : r.addr;
}

function kerr(prefix: string, e: unknown): string {
  if (e instanceof KernelError) return `${prefix}: ${STRERROR[e.errno]}\n`;
  throw e;
}

function runIfconfig(argsIn: string[], sys: Sys): CmdResult {
  let args = argsIn;
  let all = false;
  let short = false;
  let verbose = false;
  while (args.length && args[0]!.startsWith('-')) {
    const a = args[0]!;
    if (a === '-a') all = true;
    else if (a === '-s') short = true;
    else if (a === '-v') verbose = true;
    else if (a === '-V' || a === '-version' || a === '--version') return { stdout: 'net-tools 2.10\n', stderr: '', exitCode: 0 };
    else if (a === '-?' || a === '-h' || a === '-help' || a === '--help') {
      try {
        usage(sys, 0);
      } catch (e) {
        if (e instanceof IfExit) return e.res;
        throw e;
      }
    } else return { stdout: '', stderr: `ifconfig: option \`${a}' not recognised.\nifconfig: \`--help' gives usage information.\n`, exitCode: 1 };
    args = args.slice(1);
  }
  const header = short ? 'Iface      MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg\n' : '';
  const ns = sys.world.ns(sys.ns);
  if (args.length === 0) return { stdout: header + printAll(sys, all, short), stderr: '', exitCode: 0 };
  const ifname = args[0]!.slice(0, 15);
  const base = ns.links.find((l) => l.name === baseName(ifname));
  if (args.length === 1) {
    if (!base) return { stdout: header, stderr: `${ifname}: error fetching interface information: Device not found\n`, exitCode: 1 };
    const ife: Iface = { name: ifname, link: base, stats: ifname === base.name };
    return { stdout: header + (short ? printShort(sys, ns, ife) : printLong(sys, ns, ife)), stderr: '', exitCode: 0 };
  }
  try {
    return setIfconfig(sys, ns, ifname, base, args.slice(1), verbose);
  } catch (e) {
    if (e instanceof IfExit) return e.res;
    throw e;
  }
}

/** Words that set or clear one interface flag through SIOCSIFFLAGS. */
const FLAG_WORDS: Record<string, ['arp' | 'promisc' | 'allmulticast' | 'multicast', boolean]> = table({
  arp: ['arp', true],
  '-arp': ['arp', false],
  promisc: ['promisc', true],
  '-promisc': ['promisc', false],
  allmulti: ['allmulticast', true],
  '-allmulti': ['allmulticast', false],
  multicast: ['multicast', true],
  '-multicast': ['multicast', false],
});
/** Flag words accepted without effect here (IFF_BROADCAST and the others SIOCSIFFLAGS cannot change). */
const NOOP_FLAG_WORDS = ['trailers', '-trailers', 'dynamic', '-dynamic', '-broadcast', '-pointopoint', '-pointtopoint'];
/** Words that must be followed by a value (ifconfig.c's `if (*++spp == NULL) usage()`). */
const VALUE_WORDS = ['mtu', 'txqueuelen', 'name', 'keepalive', 'outfill', 'mem_start', 'io_addr', 'irq', 'media', 'port', 'netmask', 'dstaddr', 'hw', 'add', 'del', 'tunnel'];
/** Hardware-map ioctls the simulated devices do not support. */
const MAP_WORDS = ['keepalive', 'outfill', 'mem_start', 'io_addr', 'irq', 'media', 'port'];

/**
 * ifconfig.c's main loop over the words after the interface name, one ioctl per word.
 * net-tools goes on after a failed step: set_flag/clr_flag failures OR -1 into goterr, the
 * other ioctls assign 1 (so the exit status is 255 or 1 depending on the last kind), test_flag
 * (after clearing some flags) reports its own failure.
 */
class IfSetter {
  stderr = '';
  goterr = 0;
  neednetmask: number | null = null;
  private readonly isAlias: boolean;

  constructor(
    private readonly sys: Sys,
    private readonly ns: Netns,
    private readonly ifname: string,
    private readonly base: Link | undefined,
  ) {
    this.isAlias = ifname.includes(':');
  }

  private get world() {
    return this.sys.world;
  }

  private flagFail(test = false): void {
    const NODEV = STRERROR.ENODEV;
    this.stderr += `${this.ifname}: ERROR while getting interface flags: ${NODEV}\n`;
    if (test) this.stderr += `${this.ifname}: ERROR while testing interface flags: ${NODEV}\n`;
    this.goterr |= -1;
  }

  /** an ioctl other than the flags' on a missing device: `NAME: No such device`, goterr = 1; true when missing */
  private ioFail(name: string): boolean {
    if (this.base) return false;
    this.stderr += `${name}: ${STRERROR.ENODEV}\n`;
    // set_netmask's failure is ORed in like the flags'
    if (name === 'SIOCSIFNETMASK') this.goterr |= 1;
    else this.goterr = 1;
    return true;
  }

  /** one setting ioctl: on a missing device its own failure (ioFail); a kernel error prints `IOCTL: strerror`, goterr = 1 */
  private runIoctl(name: string, fn: (l: Link) => void): void {
    if (this.ioFail(name)) return;
    try {
      fn(this.base!);
    } catch (e) {
      this.stderr += kerr(name, e);
      this.goterr = 1;
    }
  }

  private setUp(up: boolean): void {
    if (!this.base) return this.flagFail();
    const l = this.base;
    if (this.isAlias && !up) {
      const a = labelAddr(this.ns, l, this.ifname);
      if (!a) {
        this.stderr += 'SIOCSIFFLAGS: Cannot assign requested address\n';
        this.goterr = 1;
        return;
      }
      delAddress(this.world, this.sys.ns, l.ifindex, { local: a.local, prefixlen: a.prefixlen, label: this.ifname });
      return;
    }
    if (l.adminUp !== up) linkSetUp(this.world, this.sys.ns, l.ifindex, up);
  }

  /** set_flag/clr_flag(IFF_UP): a kernel error is reported and ORed in */
  private upDown(up: boolean): void {
    try {
      this.setUp(up);
    } catch (e) {
      if (e instanceof IfExit) throw e;
      this.stderr += kerr('SIOCSIFFLAGS', e);
      this.goterr |= -1;
    }
  }

  private ifa(ioctl: string): Address | null {
    const a = labelAddr(this.ns, this.base!, this.ifname);
    if (!a) {
      this.stderr += `${ioctl}: Cannot assign requested address\n`;
      this.goterr = 1;
      return null;
    }
    return a;
  }

  private replaceAddr(old: Address | null, local: string, prefixlen: number, broadcast: string | null): void {
    const l = this.base!;
    if (old) delAddress(this.world, this.sys.ns, l.ifindex, { local: old.local, prefixlen: old.prefixlen, label: old.label ?? l.name });
    if (local === '0.0.0.0') return;
    addAddress(this.world, this.sys.ns, l.ifindex, { local, prefixlen, broadcast, label: this.isAlias ? this.ifname : null, scope: local.startsWith('127.') ? 'host' : 'global' });
  }

  /** SIOCSIFNETMASK on the label's address: a new prefix length, the broadcast following it when it was the default one */
  private setMask(a: Address, len: number): void {
    if (len === a.prefixlen) return;
    const flags = ifFlags(this.sys, this.ns, this.base!);
    let bc = a.broadcast;
    if (flags & IFF.BROADCAST && len < 31 && (a.broadcast ?? '0.0.0.0') === bcastOf(a.local, a.prefixlen)) bc = bcastOf(a.local, len);
    try {
      this.replaceAddr(a, a.local, len, bc);
    } catch (e) {
      this.stderr += kerr('SIOCSIFNETMASK', e);
      this.goterr |= 1;
    }
  }

  /** One setting; returns how many words it used. */
  word(spp: string[]): number {
    const w = spp[0]!;
    const next = spp[1];
    if (FLAG_WORDS[w]) return this.flagWord(w);
    if (NOOP_FLAG_WORDS.includes(w)) {
      if (!this.base) this.flagFail(['-dynamic', '-broadcast', '-pointopoint', '-pointtopoint'].includes(w));
      else if (w === '-broadcast' && ifFlags(this.sys, this.ns, this.base) & IFF.BROADCAST) {
        // IFF_BROADCAST is not a flag SIOCSIFFLAGS changes: test_flag still sees it
        this.stderr += `Warning: Interface ${this.ifname} still in BROADCAST mode.\n`;
      }
      return 1;
    }
    if (w === 'up' || w === 'down') {
      this.upDown(w === 'up');
      return 1;
    }
    if (VALUE_WORDS.includes(w) && next === undefined) usage(this.sys, 3, this.stderr);
    const nsId = this.sys.ns;
    switch (w) {
      case 'mtu':
        this.runIoctl('SIOCSIFMTU', (l) => linkSetMtu(this.world, nsId, l.ifindex, parseInt(next!, 10) || 0));
        return 2;
      case 'txqueuelen':
        this.runIoctl('SIOCSIFTXQLEN', (l) => linkSetTxqlen(this.world, nsId, l.ifindex, Number.parseInt(next!, /^0x/i.test(next!) ? 16 : /^0/.test(next!) ? 8 : 10) || 0));
        return 2;
      case 'name':
        this.runIoctl('SIOCSIFNAME', (l) => linkRename(this.world, nsId, l.ifindex, next!.slice(0, 15)));
        return 2;
      case 'broadcast':
        return this.broadcast(next);
      case 'netmask':
        return this.netmask(next!);
      case 'dstaddr':
      case 'pointopoint':
      case 'pointtopoint':
        return this.dstaddr(w, next);
      case 'hw':
        return this.hwaddr(next, spp[2]);
      case 'add':
      case 'del':
        return this.addDel(w, next!);
    }
    if (MAP_WORDS.includes(w)) {
      const ioctl = w === 'keepalive' ? 'SIOCSKEEPALIVE' : w === 'outfill' ? 'SIOCSOUTFILL' : null;
      if (!this.ioFail(ioctl ?? `${w}: SIOCGIFMAP`)) {
        this.stderr += `${ioctl ?? `${w}: SIOCSIFMAP`}: Operation not supported\n`;
        this.goterr = 1;
      }
      return 2;
    }
    return this.address(w);
  }

  private flagWord(w: string): number {
    if (!this.base) {
      this.flagFail(w === '-promisc' || w === '-multicast' || w === '-allmulti');
      return 1;
    }
    const [flag, on] = FLAG_WORDS[w]!;
    try {
      linkSetFlag(this.world, this.sys.ns, this.base.ifindex, flag, on);
    } catch (e) {
      this.stderr += kerr('SIOCSIFFLAGS', e);
      this.goterr |= -1;
    }
    return 1;
  }

  /** the address words resolve their value first; a failure is reported and the pair skipped */
  private resolve(host: string): string | null {
    const r = resolveV4(this.sys, host);
    if (typeof r === 'string') return r;
    this.stderr += r.error;
    this.goterr = 1;
    return null;
  }

  private broadcast(next: string | undefined): number {
    if (next !== undefined) {
      const r = this.resolve(next);
      if (r === null) return 2;
      const a = this.ioFail('SIOCSIFBRDADDR') ? null : this.ifa('SIOCSIFBRDADDR');
      if (a) addAddress(this.world, this.sys.ns, this.base!.ifindex, { local: a.local, prefixlen: a.prefixlen, broadcast: r }, true);
    }
    // then set_flag(IFF_BROADCAST)
    if (!this.base) this.flagFail();
    return next !== undefined ? 2 : 1;
  }

  private netmask(next: string): number {
    const r = this.resolve(next);
    if (r === null || this.ioFail('SIOCSIFNETMASK')) return 2;
    const a = this.ifa('SIOCSIFNETMASK');
    if (!a) return 2;
    const m = v4ToInt(r);
    const inv = ~m >>> 0;
    if ((inv & (inv + 1)) >>> 0 !== 0) {
      this.stderr += 'SIOCSIFNETMASK: Invalid argument\n';
      this.goterr |= 1;
      return 2;
    }
    let len = 0;
    while (len < 32 && m & (0x80000000 >>> len)) len++;
    this.setMask(a, len);
    return 2;
  }

  private dstaddr(w: string, next: string | undefined): number {
    if (w !== 'dstaddr' && next === undefined) return 1;
    if (this.resolve(next!) === null) return 2;
    if (!this.ioFail('SIOCSIFDSTADDR') && this.ifa('SIOCSIFDSTADDR')) {
      this.stderr += 'SIOCSIFDSTADDR: Operation not supported\n';
      this.goterr = 1;
    }
    // pointopoint ADDR: then set_flag(IFF_POINTOPOINT)
    if (w !== 'dstaddr' && !this.base) this.flagFail();
    return 2;
  }

  private hwaddr(kind: string | undefined, mac: string | undefined): number {
    if (kind !== 'ether' || mac === undefined) return usage(this.sys, 3, this.stderr);
    if (!/^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/.test(mac)) {
      this.stderr += `${mac}: invalid ether address.\n`;
      this.goterr = 1;
      return 3;
    }
    this.runIoctl('SIOCSIFHWADDR', (l) => linkSetMac(this.world, this.sys.ns, l.ifindex, mac.split(':').map((x) => x.padStart(2, '0')).join(':')));
    return 3;
  }

  private addDel(w: 'add' | 'del', text: string): number {
    if (!this.base) {
      if (text.includes(':')) {
        // IPv6: SIOGIFINDEX fails
        this.stderr += `SIOGIFINDEX: ${STRERROR.ENODEV}\n`;
        this.goterr = 1;
      } else {
        // IPv4: get_nmbc_parent and then set_ifstate's walk each fail to fetch the interface (and say so);
        // the failed SIOCSIFADDR of the new alias that follows is not reported
        this.stderr += `${this.ifname}: error fetching interface information: Device not found\n`.repeat(2);
      }
      return 2;
    }
    const l = this.base;
    if (!text.includes(':')) {
      this.stderr += w === 'add' ? `Interface ${this.ifname} not initialized\n` : 'SIOCDIFADDR: Cannot assign requested address\n';
      this.goterr = 1;
      return 2;
    }
    const [addr, plen] = text.split('/');
    const len = plen === undefined ? 128 : Number.parseInt(plen, 10) || 0;
    if (len < 0 || len > 128) usage(this.sys, 3, this.stderr);
    try {
      if (w === 'add') addAddress(this.world, this.sys.ns, l.ifindex, { local: addr!, prefixlen: len });
      else delAddress(this.world, this.sys.ns, l.ifindex, { local: addr!, prefixlen: len });
    } catch (e) {
      this.stderr += e instanceof KernelError && e.errno === 'EINVAL' && !/^[0-9a-fA-F:.]+$/.test(addr!) ? `${addr}: Unknown host\n` : kerr(w === 'add' ? 'SIOCSIFADDR' : 'SIOCDIFADDR', e);
      this.goterr = 1;
    }
    return 2;
  }

  /** an address (with an optional /prefix): SIOCSIFADDR with its classful netmask, then the interface up */
  private address(w: string): number {
    let host = w;
    const slash = host.indexOf('/');
    if (slash >= 0) {
      const p = host.slice(slash + 1);
      if (!/^\d+$/.test(p) && !/^0x[0-9a-f]+$/i.test(p)) usage(this.sys, 3, this.stderr);
      this.neednetmask = /^0x/i.test(p) ? parseInt(p.slice(2), 16) : /^0/.test(p) ? parseInt(p, 8) || 0 : parseInt(p, 10);
      host = host.slice(0, slash);
    }
    const r = resolveV4(this.sys, host);
    if (typeof r !== 'string') throw new IfExit({ stdout: '', stderr: this.stderr + r.error + "ifconfig: `--help' gives usage information.\n", exitCode: 1 });
    const len = abcLen(r);
    const bringUp = !(this.isAlias && (this.ifname.endsWith('-') || r === '0.0.0.0'));
    if (!this.base) {
      // SIOCSIFADDR fails, then the set_flag that brings the interface up
      this.stderr += `SIOCSIFADDR: ${STRERROR.ENODEV}\n`;
      this.goterr = 1;
      if (bringUp) this.flagFail();
      return 1;
    }
    const l = this.base;
    if (len < 0) {
      this.stderr += 'SIOCSIFADDR: Invalid argument\n';
      this.goterr = 1;
    } else {
      const old = labelAddr(this.ns, l, this.ifname) ?? null;
      if (!old || old.local !== r) {
        const flags = ifFlags(this.sys, this.ns, l);
        const bc = flags & IFF.BROADCAST && len < 31 && r !== '0.0.0.0' ? bcastOf(r, len) : null;
        try {
          this.replaceAddr(old, r, len, bc);
        } catch (e) {
          this.stderr += kerr('SIOCSIFADDR', e);
          this.goterr = 1;
        }
      }
    }
    if (bringUp) this.upDown(true);
    return 1;
  }

  /** an address's /prefix is applied after every other word (set_netmask at the end of main) */
  finishNetmask(): void {
    if (this.neednetmask === null) return;
    if (!this.base) {
      this.stderr += `SIOCSIFNETMASK: ${STRERROR.ENODEV}\n`;
      this.goterr |= 1;
      return;
    }
    const a = this.ifa('SIOCSIFNETMASK');
    if (a) this.setMask(a, this.neednetmask % 32); // ~(0xffffffff >> n): the shift count wraps at 32
  }
}

function setIfconfig(sys: Sys, ns: Netns, ifname: string, base: Link | undefined, argsIn: string[], verbose: boolean): CmdResult {
  const AFS = ['unix', 'inet', 'inet6', 'ax25', 'netrom', 'rose', 'ipx', 'ddp', 'ec', 'ash', 'x25'];
  let spp = AFS.includes(argsIn[0]!) ? argsIn.slice(1) : argsIn;
  const s = new IfSetter(sys, ns, ifname, base);
  while (spp.length) spp = spp.slice(s.word(spp));
  s.finishNetmask();
  if (verbose && s.goterr) s.stderr += `WARNING: at least one error occured. (${s.goterr})\n`;
  return { stdout: '', stderr: s.stderr, exitCode: s.goterr & 255 };
}

export const ifconfig: NetCommand = {
  name: 'ifconfig',
  complete: completeIfconfig,
  async run(args, _io, sys) {
    return runIfconfig(args, sys);
  },
};
