// arp (net-tools 2.10): the neighbour table as /proc/net/arp shows it
// (arp, arp -n, arp -a, -i IFACE, HOST), and SIOCSARP / SIOCDARP
// (arp -s HOST MAC [temp] [dev IF], arp -d HOST) with the kernel's
// semantics: the device comes from -i or from a link-scope route lookup.
import { table } from '../../sim/own';
import type { CmdResult, NetCommand, Sys } from '../types';
import { getoptLong, hostByAddr, inetResolve, interleave, netByAddr, type LongOpt } from './lib';
import { procNetArpRows, ATF } from '../procnet';
import { KernelError, STRERROR } from '../../sim/errors';
import { neighAdd, neighDel, neighFind } from '../../sim/neighbour';
import { scopeNum } from '../../sim/ip';
import { routeGet } from '../../sim/fib';
import { completeArp } from '../completion-nettools';

const USAGE = `Usage:
  arp [-vn]  [<HW>] [-i <if>] [-a] [<hostname>]             <-Display ARP cache
  arp [-v]          [-i <if>] -d  <host> [pub]               <-Delete ARP entry
  arp [-vnD] [<HW>] [-i <if>] -f  [<filename>]            <-Add entry from file
  arp [-v]   [<HW>] [-i <if>] -s  <host> <hwaddr> [temp]            <-Add entry
  arp [-v]   [<HW>] [-i <if>] -Ds <host> <if> [netmask <nm>] pub          <-''-

        -a                       display (all) hosts in alternative (BSD) style
        -e                       display (all) hosts in default (Linux) style
        -s, --set                set a new ARP entry
        -d, --delete             delete a specified entry
        -v, --verbose            be verbose
        -n, --numeric            don't resolve names
        -i, --device             specify network interface (e.g. eth0)
        -D, --use-device         read <hwaddr> from given device
        -A, -p, --protocol       specify protocol family
        -f, --file               read new entries from file or from /etc/ethers

  <HW>=Use '-H <hw>' to specify hardware address type. Default: ether
  List of possible hardware types (which support ARP):
`;
const HWLIST_ARP = `    ash (Ash) ether (Ethernet) ax25 (AMPR AX.25) 
    netrom (AMPR NET/ROM) rose (AMPR ROSE) arcnet (ARCnet) 
    dlci (Frame Relay DLCI) fddi (Fiber Distributed Data Interface) hippi (HIPPI) 
    irda (IrLAP) x25 (generic X.25) eui64 (Generic EUI-64) 
`;

const VERSION = 'net-tools 2.10\n+I18N +SELINUX\nAF: (inet) +UNIX +INET +INET6 +IPX +AX25 +NETROM +X25 +ATALK +ECONET +ROSE -BLUETOOTH\nHW: (ether) +ETHER +ARC +SLIP +PPP +TUNNEL -TR +AX25 +NETROM +X25 +FR +ROSE +ASH +SIT +FDDI +HIPPI +HDLC/LAPB +EUI64 \n';

const LONGOPTS: LongOpt[] = [
  { name: 'verbose', hasArg: 0, val: 'v' },
  { name: 'version', hasArg: 0, val: 'V' },
  { name: 'all', hasArg: 0, val: 'a' },
  { name: 'delete', hasArg: 0, val: 'd' },
  { name: 'file', hasArg: 0, val: 'f' },
  { name: 'numeric', hasArg: 0, val: 'n' },
  { name: 'set', hasArg: 0, val: 's' },
  { name: 'protocol', hasArg: 1, val: 'A' },
  { name: 'hw-type', hasArg: 1, val: 'H' },
  { name: 'device', hasArg: 1, val: 'i' },
  { name: 'help', hasArg: 0, val: 'h' },
  { name: 'use-device', hasArg: 0, val: 'D' },
  { name: 'symbolic', hasArg: 0, val: 'N' },
];

const HW_TYPES: Record<string, number> = table({ ether: 1, ash: 0x1ff, ax25: 3, netrom: 0, rose: 270, arcnet: 7, dlci: 15, fddi: 774, hippi: 780, irda: 783, x25: 271, eui64: 27 });
const OTHER_HW = ['loop', 'slip', 'cslip', 'slip6', 'cslip6', 'adaptive', 'tunnel', 'ppp', 'hdlc', 'lapb', 'frad', 'sit', 'ec'];

class ArpExit {
  constructor(public res: CmdResult) {}
}

/** INET_input(0, ...) (INET_resolve: "default", numeric, /etc/networks, /etc/hosts) then herror(). */
function resolve(sys: Sys, host: string): string {
  const r = inetResolve(sys, host, false);
  if ('error' in r) throw new ArpExit({ stdout: '', stderr: r.error, exitCode: 255 });
  return r.addr;
}

/** The name arp shows without -n: INET_rresolve with a /24 mask (a .0 address is looked up as a network); "?" when unknown. */
function displayName(sys: Sys, ip: string): string {
  const last = Number(ip.split('.')[3]);
  const name = last !== 0 ? hostByAddr(sys, ip) : netByAddr(sys, ip);
  return name ?? '?';
}

function show(sys: Sys, o: { n: boolean; a: boolean; e: boolean; v: boolean; device: string; hwType: number | null }, name: string | undefined): CmdResult {
  let host = '';
  if (name !== undefined) host = resolve(sys, name);
  let out = '';
  let title = false;
  let entries = 0;
  let showed = 0;
  for (const r of procNetArpRows(sys.world, sys.ns)) {
    entries++;
    if (o.hwType !== null && r.hwType !== o.hwType) continue;
    if (host && r.ip !== host) continue;
    if (o.device && r.dev !== o.device) continue;
    showed++;
    const hostname = o.n ? '?' : displayName(sys, r.ip);
    const com = (r.flags & ATF.COM) !== 0;
    const hwName = r.hwType === 1 ? 'ether' : r.hwType === 772 ? 'loop' : 'ether';
    if (o.e) {
      if (!title) {
        out += 'Address                  HWtype  HWaddress           Flags Mask            Iface\n';
        title = true;
      }
      let flags = '';
      if (r.flags & ATF.COM) flags += 'C';
      if (r.flags & ATF.PERM) flags += 'M';
      if (r.flags & ATF.PUBL) flags += 'P';
      if (r.flags & ATF.DONTPUB) flags += '!';
      if (r.flags & ATF.USETRAILERS) flags += 'T';
      const mask = r.flags & ATF.NETMASK ? r.mask : '';
      const nm = hostname[0] === '?' ? r.ip : hostname;
      out += nm.slice(0, 23).padEnd(23) + '  ';
      if (!com) out += r.flags & ATF.PUBL ? '*'.padEnd(8) + '<from_interface>'.padEnd(20) : ''.padEnd(8) + '(incomplete)'.padEnd(20);
      else out += hwName.padEnd(8) + r.hw.slice(0, 20).padEnd(20);
      out += flags.slice(0, 6).padEnd(6) + mask.slice(0, 15).padEnd(15) + ' ' + r.dev + '\n';
    } else {
      out += `${hostname} (${r.ip}) at `;
      if (!com) out += r.flags & ATF.PUBL ? '<from_interface> ' : '<incomplete> ';
      else out += `${r.hw} [${hwName}] `;
      if (r.flags & ATF.NETMASK) out += `netmask ${r.mask} `;
      if (r.flags & ATF.PERM) out += 'PERM ';
      if (r.flags & ATF.PUBL) out += 'PUB ';
      if (r.flags & ATF.DONTPUB) out += 'DONTPUB ';
      if (r.flags & ATF.USETRAILERS) out += 'TRAIL ';
      out += `on ${r.dev}\n`;
    }
  }
  if (o.v) out += `Entries: ${entries}\tSkipped: ${entries - showed}\tFound: ${showed}\n`;
  if (!showed) {
    if (host && !o.a) out += `${name} (${host}) -- no entry\n`;
    else if (o.hwType !== null || host || o.device) out += `arp: in ${entries} entries no match found.\n`;
  }
  return { stdout: out, stderr: '', exitCode: 0 };
}

/** The device of an ARP request: the named one (-i / dev), else the one a link-scope route lookup gives. */
function requestDev(sys: Sys, ip: string, device: string, ioctl: string): number {
  const ns = sys.world.ns(sys.ns);
  const fail = (e: KernelError): never => {
    throw new ArpExit({ stdout: '', stderr: `${ioctl}: ${STRERROR[e.errno]}\n`, exitCode: 255 });
  };
  if (device) {
    const l = ns.links.find((x) => x.name === device);
    if (!l) fail(new KernelError('ENODEV'));
    return l!.ifindex;
  }
  try {
    const r = routeGet(sys.world, sys.ns, ip);
    // ip_route_output(..., RT_SCOPE_LINK): only directly connected (or local) destinations
    if (r.route && r.type !== 'local' && scopeNum(r.route.scope) < 253) fail(new KernelError('ENETUNREACH'));
    return r.oif;
  } catch (e) {
    if (e instanceof KernelError) fail(e.errno === 'EHOSTUNREACH' || e.errno === 'EACCES' || e.errno === 'EINVAL' ? e : new KernelError('ENETUNREACH'));
    throw e;
  }
}

function parseMac(s: string): string | null {
  const parts = s.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) return null;
  return parts.map((p) => p.toLowerCase().padStart(2, '0')).join(':');
}

function setEntry(sys: Sys, args: string[], device: string, useDevice: boolean): CmdResult {
  if (args.length === 0) return { stdout: '', stderr: 'arp: need host name\n', exitCode: 255 };
  const ip = resolve(sys, args[0]!);
  if (args.length < 2) return { stdout: '', stderr: 'arp: need hardware address\n', exitCode: 255 };
  const ns = sys.world.ns(sys.ns);
  let mac: string | null;
  if (useDevice) {
    const l = ns.links.find((x) => x.name === args[1]);
    if (!l) return { stdout: '', stderr: `arp: cant get HW-Address for \`${args[1]}': No such device.\n`, exitCode: 255 };
    mac = l.mac;
  } else {
    mac = parseMac(args[1]!);
    if (mac === null) return { stdout: '', stderr: 'arp: invalid hardware address\n', exitCode: 255 };
  }
  let perm = true;
  let pub = false;
  const dev = entryOptions(sys, args.slice(2), device, (w) => {
    if (w === 'temp') perm = false;
    else if (w === 'pub') pub = true;
    else if (w === 'priv') pub = false;
    else return w === 'trail' || w === 'dontpub' || w === 'auto'; // flags the kernel ignores for ordinary entries
    return true;
  });
  if (pub) return { stdout: '', stderr: 'SIOCSARP: Operation not supported\n', exitCode: 255 };
  const ifindex = requestDev(sys, ip, dev, 'SIOCSARP');
  const link = ns.links.find((l) => l.ifindex === ifindex)!;
  if (link.kind === 'loopback') return { stdout: '', stderr: 'SIOCSARP: Invalid argument\n', exitCode: 255 };
  try {
    neighAdd(sys.world, sys.ns, { ifindex, dst: ip, lladdr: mac, state: perm ? 'PERMANENT' : 'STALE' }, 'replace');
  } catch (e) {
    if (e instanceof KernelError) return { stdout: '', stderr: `SIOCSARP: ${STRERROR[e.errno]}\n`, exitCode: 255 };
    throw e;
  }
  return { stdout: '', stderr: '', exitCode: 0 };
}

/**
 * The flag words after an entry's address (arp.c's arp_set/arp_del loops): `dev IF` and `netmask MASK` take a
 * value, any other word goes to `flag`, which returns false for a word it does not know (usage, exit 3).
 * Returns the device named last, or `device` (-i).
 */
function entryOptions(sys: Sys, words: string[], device: string, flag: (w: string) => boolean): string {
  let dev = device;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'dev' || w === 'netmask') {
      if (words[i + 1] === undefined) throw new ArpExit(usageResult(sys, 3));
      if (w === 'dev') dev = words[i + 1]!;
      i++;
    } else if (!flag(w)) throw new ArpExit(usageResult(sys, 3));
  }
  return dev;
}

function delEntry(sys: Sys, args: string[], device: string): CmdResult {
  if (args.length === 0) return { stdout: '', stderr: 'arp: need host name\n', exitCode: 255 };
  const host = args[0]!;
  const ip = resolve(sys, host);
  let flags = 0;
  const dev = entryOptions(sys, args.slice(1), device, (w) => {
    if (w === 'pub') flags |= 1;
    else if (w === 'priv') flags |= 2;
    else return w === 'temp' || w === 'trail' || w === 'dontpub' || w === 'auto'; // no effect on deletion
    return true;
  });
  if (flags === 0) flags = 3;
  const none: CmdResult = { stdout: `No ARP entry for ${host}\n`, stderr: '', exitCode: 255 };
  if (flags & 2) {
    const ifindex = requestDev(sys, ip, dev, 'SIOCDARP(dontpub)');
    const ns = sys.world.ns(sys.ns);
    if (neighFind(ns, ifindex, ip)) {
      neighDel(sys.world, sys.ns, ifindex, ip);
      return { stdout: '', stderr: '', exitCode: 0 };
    }
    if (!(flags & 1)) return none;
  }
  // proxy (published) entries: the simulated kernel keeps none
  return none;
}

function usageResult(sys: Sys, rc: number, pre = ''): CmdResult {
  return interleave(sys, [[2, pre], [rc ? 2 : 1, USAGE], [2, HWLIST_ARP]], rc);
}

function runArp(args: string[], sys: Sys): CmdResult {
  const g = getoptLong('arp', args, 'A:H:adfp:nsei:t:vh?DNV', LONGOPTS);
  let what = 0;
  const o = { n: false, a: false, e: false, v: false, device: '', hwType: null as number | null };
  let useDevice = false;
  let stderr = '';
  for (const ev of g.events) {
    if (ev.kind === 'error') return usageResult(sys, 3, ev.message);
    switch (ev.opt) {
      case 'a':
        what = 1;
        o.a = true;
        break;
      case 'f':
        what = 2;
        break;
      case 'd':
        what = 3;
        break;
      case 's':
        what = 4;
        break;
      case 'e':
        o.e = true;
        break;
      case 'n':
        o.n = true;
        break;
      case 'D':
        useDevice = true;
        break;
      case 'N':
        stderr += 'arp: -N not yet supported.\n';
        break;
      case 'v':
        o.v = true;
        break;
      case 'A':
      case 'p':
        if (ev.arg !== 'inet') {
          const known = ['unix', 'inet6', 'ax25', 'netrom', 'rose', 'ipx', 'ddp', 'ec', 'ash', 'x25'];
          if (!known.includes(ev.arg ?? '')) return { stdout: '', stderr: stderr + `arp: ${ev.arg}: unknown address family.\n`, exitCode: 255 };
          return { stdout: '', stderr: stderr + `arp: ${ev.arg}: kernel only supports 'inet'.\n`, exitCode: 255 };
        }
        break;
      case 'H':
      case 't': {
        const t = ev.arg ?? '';
        if (HW_TYPES[t] === undefined) {
          if (OTHER_HW.includes(t)) {
            o.hwType = -1;
            return { stdout: '', stderr: stderr + `arp: ${t}: hardware type without ARP support.\n`, exitCode: 255 };
          }
          return { stdout: '', stderr: stderr + `arp: ${t}: unknown hardware type.\n`, exitCode: 255 };
        }
        o.hwType = HW_TYPES[t]!;
        break;
      }
      case 'i':
        o.device = (ev.arg ?? '').slice(0, 15);
        break;
      case 'V':
        return { stdout: VERSION, stderr, exitCode: 0 };
      case 'h':
        return usageResult(sys, 0);
      default:
        return usageResult(sys, 3);
    }
  }
  try {
    let r: CmdResult;
    switch (what) {
      case 0:
        r = show(sys, { ...o, e: true }, g.operands[0]);
        break;
      case 1:
        r = show(sys, o, g.operands[0]);
        break;
      case 2: {
        const file = g.operands[0] ?? '/etc/ethers';
        r = sys.readFile(file) === null ? { stdout: '', stderr: `arp: cannot open etherfile ${file} !\n`, exitCode: 255 } : fileEntries(sys, file, o.device, useDevice);
        break;
      }
      case 3:
        r = delEntry(sys, g.operands, o.device);
        break;
      default:
        r = setEntry(sys, g.operands, o.device, useDevice);
    }
    return { ...r, stderr: stderr + r.stderr };
  } catch (e) {
    if (e instanceof ArpExit) return { ...e.res, stderr: stderr + e.res.stderr };
    throw e;
  }
}

/** arp -f: one `host hwaddr [flags]` (or /etc/ethers' `hwaddr host`) per line. */
function fileEntries(sys: Sys, file: string, device: string, useDevice: boolean): CmdResult {
  let stderr = '';
  const lines = (sys.readFile(file) ?? '').split('\n');
  lines.forEach((raw, i) => {
    if (raw.startsWith('#') || raw === '') return;
    const args = raw.trim().split(/\s+/);
    if (args.length < 2) {
      stderr += `arp: format error on line ${i + 1} of etherfile ${file} !\n`;
      return;
    }
    if (args[0]!.includes(':')) [args[0], args[1]] = [args[1]!, args[0]!];
    let r: CmdResult;
    try {
      r = setEntry(sys, args, device, useDevice);
    } catch (e) {
      if (!(e instanceof ArpExit)) throw e;
      r = e.res;
    }
    stderr += r.stderr;
    if (r.exitCode) stderr += `arp: cannot set entry on line ${i + 1} of etherfile ${file} !\n`;
  });
  return { stdout: '', stderr, exitCode: 0 };
}

export const arp: NetCommand = {
  name: 'arp',
  complete: completeArp,
  async run(args, _io, sys) {
    return runArp(args, sys);
  },
};
