// Shared by the net-tools family (netstat, route, arp, ifconfig) and ss:
// glibc's getopt_long (with its exact error messages), and the name-service
// lookups these tools make through the files backend of nsswitch
// (/etc/hosts, /etc/networks, /etc/services).
import { table } from '../../sim/own';
import { v4ToInt } from '../../sim/ip';
import { inetAton } from '../../sim/resolver';
import type { CmdResult, Sys } from '../types';
import { ordered } from '../types';
import { etcServices, parseServices } from '../../sim/etc-defaults';
import { gethostbyname2, resolverCtx, reverseLookup, type HErrno } from '../../sim/resolver';

// ---------------------------------------------------------------- getopt_long

export interface LongOpt {
  name: string;
  /** 0 no argument, 1 required, 2 optional (only as --name=value) */
  hasArg: 0 | 1 | 2;
  /** the value getopt returns: a short option letter, or any tag */
  val: string;
}

export type GetoptEvent =
  | { kind: 'opt'; opt: string; arg: string | null; long: string | null }
  | { kind: 'error'; message: string };

export interface GetoptResult {
  /** options in the order seen; an `error` event ends the list (the tools stop at the first '?') */
  events: GetoptEvent[];
  /** the non-option arguments, in order (glibc permutes them after the options) */
  operands: string[];
}

/**
 * glibc getopt_long with argument permutation (POSIXLY_CORRECT unset).
 * `shortopts` as in C ("A:eCFhn": a colon = required argument, two =
 * optional). Stops at "--". Messages are glibc's, prefixed with `prog`.
 * `longOnly` = getopt_long_only (single-dash long options).
 */
export function getoptLong(prog: string, args: string[], shortopts: string, longopts: LongOpt[] = []): GetoptResult {
  const events: GetoptEvent[] = [];
  const operands: string[] = [];
  const argSpec = (c: string): number => {
    const i = shortopts.indexOf(c);
    if (i < 0 || c === ':') return -1;
    if (shortopts[i + 1] === ':') return shortopts[i + 2] === ':' ? 2 : 1;
    return 0;
  };
  let i = 0;
  const err = (message: string): GetoptResult => {
    events.push({ kind: 'error', message });
    return { events, operands: [...operands, ...args.slice(i)] };
  };
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      i = args.length;
      break;
    }
    if (a.startsWith('--')) {
      const body = a.slice(2);
      const eq = body.indexOf('=');
      const name = eq >= 0 ? body.slice(0, eq) : body;
      const exact = longopts.find((o) => o.name === name);
      let opt = exact;
      if (!opt) {
        const cands = longopts.filter((o) => o.name.startsWith(name));
        if (cands.length === 0) return err(`${prog}: unrecognized option '--${name}'\n`);
        const first = cands[0]!;
        const ambiguous = cands.some((c) => c.hasArg !== first.hasArg || c.val !== first.val);
        if (ambiguous) return err(`${prog}: option '--${name}' is ambiguous; possibilities:${cands.map((c) => ` '--${c.name}'`).join('')}\n`);
        opt = first;
      }
      let arg: string | null = null;
      if (eq >= 0) {
        if (opt.hasArg === 0) return err(`${prog}: option '--${opt.name}' doesn't allow an argument\n`);
        arg = body.slice(eq + 1);
      } else if (opt.hasArg === 1) {
        if (i + 1 >= args.length) return err(`${prog}: option '--${opt.name}' requires an argument\n`);
        arg = args[++i]!;
      }
      events.push({ kind: 'opt', opt: opt.val, arg, long: opt.name });
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const spec = argSpec(c);
        if (spec < 0) return err(`${prog}: invalid option -- '${c}'\n`);
        if (spec === 0) {
          events.push({ kind: 'opt', opt: c, arg: null, long: null });
          continue;
        }
        const rest = a.slice(j + 1);
        if (rest) {
          events.push({ kind: 'opt', opt: c, arg: rest, long: null });
        } else if (spec === 2) {
          events.push({ kind: 'opt', opt: c, arg: null, long: null });
        } else {
          if (i + 1 >= args.length) return err(`${prog}: option requires an argument -- '${c}'\n`);
          events.push({ kind: 'opt', opt: c, arg: args[++i]!, long: null });
        }
        break;
      }
      continue;
    }
    operands.push(a);
  }
  return { events, operands };
}

// ---------------------------------------------------------------- name services (files backend)

export function readEtc(sys: Sys, path: string): string {
  return sys.readFile(path) ?? '';
}

/** Lines of a hosts-style file without comments, split in words. */
function tableLines(text: string): string[][] {
  const out: string[][] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line) out.push(line.split(/\s+/));
  }
  return out;
}

const reverseCache = new WeakMap<Sys, Map<string, string | null>>();

/**
 * gethostbyaddr() as glibc does it (nsswitch `hosts: files dns`): /etc/hosts,
 * then a PTR query through the resolver, cached for the command's run as
 * net-tools does. Null when nothing names the address.
 */
export function hostByAddr(sys: Sys, addr: string): string | null {
  let cache = reverseCache.get(sys);
  if (!cache) reverseCache.set(sys, (cache = new Map()));
  if (cache.has(addr)) return cache.get(addr)!;
  const name = reverseLookup(resolverCtx(sys), addr);
  cache.set(addr, name);
  return name;
}

/** herror() texts (glibc hstrerror). */
export const HERROR: Record<HErrno, string> = {
  HOST_NOT_FOUND: 'Unknown host',
  TRY_AGAIN: 'Host name lookup failure',
  NO_RECOVERY: 'Unknown server error',
  NO_DATA: 'No address associated with name',
};

/**
 * gethostbyname() (IPv4): /etc/hosts then DNS. A string of digits and dots
 * that is not an address is refused at once (HOST_NOT_FOUND), as glibc does.
 */
export function lookupHost(sys: Sys, name: string): { addr: string } | { herrno: HErrno } {
  if (/^[0-9.]+$/.test(name)) {
    const n = inetAton(name);
    return n === null ? { herrno: 'HOST_NOT_FOUND' } : { addr: n };
  }
  const r = gethostbyname2(resolverCtx(sys), name, 4);
  return r.ok ? { addr: r.ent.addrs[0]! } : { herrno: r.herrno };
}

/** gethostbyname() through /etc/hosts and DNS: the first address, or null. */
export function hostByName(sys: Sys, name: string): string | null {
  const r = lookupHost(sys, name);
  return 'addr' in r ? r.addr : null;
}

/** inet_network(): "10" -> 10.0.0.0, "10.1" -> 10.0.0.1 style left-shift of a network number; as a dotted quad. */
function inetNetwork(s: string): string | null {
  if (!/^\d+(\.\d+){0,3}$/.test(s)) return null;
  const parts = s.split('.').map(Number);
  if (parts.some((p) => p > 255)) return null;
  while (parts.length < 4) parts.unshift(0);
  return parts.join('.');
}

/** getnetbyaddr() through /etc/networks: name of the network whose number is `addr` (dotted quad, trailing zero octets dropped as glibc compares). */
export function netByAddr(sys: Sys, addr: string): string | null {
  const want = v4ToInt(addr);
  for (const w of tableLines(readEtc(sys, '/etc/networks'))) {
    if (w.length < 2) continue;
    const n = inetNetwork(w[1]!);
    if (n !== null && v4ToInt(n) === want) return w[0]!;
  }
  return null;
}

/** getnetbyname() through /etc/networks: the network number as a dotted quad. */
export function netByName(sys: Sys, name: string): string | null {
  for (const w of tableLines(readEtc(sys, '/etc/networks'))) {
    if (w.length >= 2 && (w[0] === name || w.slice(2).includes(name))) return inetNetwork(w[1]!);
  }
  return null;
}

/**
 * INET_resolve(): "default", a numeric address, else names: with
 * `hostfirst` /etc/hosts then /etc/networks, otherwise networks then hosts.
 * Returns [address, isNet] or an herror() message.
 */
export function inetResolve(sys: Sys, name: string, hostfirst: boolean): { addr: string; isNet: boolean } | { error: string } {
  if (name === 'default') return { addr: '0.0.0.0', isNet: true };
  const n = inetAton(name);
  if (n !== null) return { addr: n, isNet: false };
  if (hostfirst) {
    const h = lookupHost(sys, name);
    if ('addr' in h) return { addr: h.addr, isNet: false };
  }
  const net = netByName(sys, name);
  if (net) return { addr: net, isNet: true };
  // getnetbyname's failure leaves h_errno at HOST_NOT_FOUND
  if (hostfirst) return { error: `${name}: ${HERROR.HOST_NOT_FOUND}\n` };
  const h = lookupHost(sys, name);
  if ('addr' in h) return { addr: h.addr, isNet: false };
  return { error: `${name}: ${HERROR[h.herrno]}\n` };
}

/** The services database (/etc/services, the Debian default when the file is missing from a simulated host). */
export function servicesText(sys: Sys): string {
  return sys.readFile('/etc/services') ?? etcServices;
}

/**
 * net-tools get_sname(): the name of `port`/`proto` from /etc/services, the
 * last matching entry winning (net-tools prepends each entry to its list).
 */
export function netToolsServiceName(sys: Sys, port: number, proto: string): string | null {
  let found: string | null = null;
  for (const e of parseServices(servicesText(sys))) if (e.port === port && e.proto === proto) found = e.name;
  return found;
}

/** getservbyport() (ss): the first matching entry. */
export function serviceName(sys: Sys, port: number, proto: string): string | null {
  for (const e of parseServices(servicesText(sys))) if (e.port === port && e.proto === proto) return e.name;
  return null;
}

// ---------------------------------------------------------------- shared texts and flags

export const NETTOOLS_FEATURES =
  'AF: (inet) +UNIX +INET +INET6 +IPX +AX25 +NETROM +X25 +ATALK +ECONET +ROSE -BLUETOOTH\n' +
  'HW:  +ETHER +ARC +SLIP +PPP +TUNNEL -TR +AX25 +NETROM +X25 +FR +ROSE +ASH +SIT +FDDI +HIPPI +HDLC/LAPB +EUI64 \n';

/** print_aflist(1): the address families that support routing (net-tools writes it to stderr). */
export const AFLIST_ROUTE =
  '    inet (DARPA Internet) inet6 (IPv6) ax25 (AMPR AX.25) \n' +
  '    netrom (AMPR NET/ROM) rose (AMPR ROSE) ipx (Novell IPX) \n' +
  '    ddp (Appletalk DDP) x25 (CCITT X.25) \n';


export const FLAG_EXT = 3;
export const FLAG_NUM_HOST = 4;
export const FLAG_NUM_PORT = 8;
export const FLAG_NUM_USER = 16;
export const FLAG_NUM = FLAG_NUM_HOST | FLAG_NUM_PORT | FLAG_NUM_USER;
export const FLAG_SYM = 32;
export const FLAG_CACHE = 64;
export const FLAG_FIB = 128;
export const FLAG_VERBOSE = 256;


/** glibc inet_aton() (the resolver's): re-exported for the net-tools commands. */
export { inetAton };


/**
 * Output whose stdout and stderr parts alternate: written in order where the
 * two streams meet (a terminal, 2>&1), kept apart elsewhere (2>/dev/null, a
 * pipe), as the shell does with any result's chunks (types.ts `ordered`).
 */
export function interleave(_sys: Sys, parts: [1 | 2, string][], exitCode: number): CmdResult {
  return ordered(parts, exitCode);
}


/** lib/af.c's aftrans table: an address-family alias → the family's name. */
const AFTRANS: Record<string, string> = table({
  ax25: 'ax25', ip: 'inet', ip6: 'inet6', ipx: 'ipx', rose: 'rose', appletalk: 'ddp', netrom: 'netrom', inet: 'inet', inet6: 'inet6', ddp: 'ddp', unix: 'unix', tcpip: 'inet', econet: 'ec', x25: 'x25', ash: 'ash', bluetooth: 'bluetooth',
});

/** The `--ax25`, `--inet`... long options of netstat and route, in the C table's order (AFTRANS_OPTS come first). */
export const AFTRANS_LONGOPTS: LongOpt[] = ['ax25', 'x25', 'ip', 'ipx', 'appletalk', 'netrom', 'inet', 'inet6', 'ddp', 'rose', 'unix', 'bluetooth', 'tcpip'].map(
  (name): LongOpt => ({ name, hasArg: 0, val: `af:${name}` }),
);

/** aftrans_opt(): each comma-separated family's name to `each`; the message for the first unknown one, else null. */
export function aftransOpt(arg: string, each: (name: string) => void): string | null {
  for (const a of arg.split(',')) {
    const name = AFTRANS[a];
    if (name === undefined) return `Unknown address family \`${a}'.\n`;
    each(name);
  }
  return null;
}
