// Addresses on the iptables command line: -s/-d lists with masks and names
// (xtables_ipparse_multiple), the short dotted forms libxtables completes,
// and the canonical text rules store. Integer arithmetic from src/sim/ip.
import { bigToV6, intToV4, isIPv6, v4Mask, v4ToInt, v6Mask, v6ToBig } from '../../sim/ip';
import type { Sys } from '../types';
import { lookupHostAddrs } from './names';
import { PARAMETER_PROBLEM, strtoui, xtError } from './xtables';

/** Canonical "a.b.c.d/len" of an address/mask text, masked (what -s/-d store). */
export function normaliseCidr(s: string): string {
  const [a, m] = s.split('/');
  let len = 32;
  if (m !== undefined) len = Number(m);
  const ip = canonV4(a!);
  const masked = intToV4((v4ToInt(ip) & v4Mask(len)) >>> 0);
  return `${masked}/${len}`;
}

/** __numeric_to_ipaddr: dotted, with autocompletion of short network addresses ("10" -> 10.0.0.0, "10.1" -> 10.1.0.0). */
export function numericToIp(s: string, isMask: boolean): string | null {
  const parts = s.split('.');
  if (parts.length > 4) return null;
  if (parts.length < 4 && isMask) return null;
  const bytes: number[] = [];
  for (const p of parts) {
    const v = strtoui(p, 0, 255);
    if (v === null) return null;
    bytes.push(v);
  }
  while (bytes.length < 4) bytes.push(0);
  return bytes.join('.');
}

export function parseIpMask(m: string | undefined): number {
  if (m === undefined) return 32;
  const dotted = numericToIp(m, true);
  if (dotted !== null) {
    const v = v4ToInt(dotted);
    for (let len = 32; len >= 0; len--) if (v4Mask(len) === v) return len;
    return -v - 1; // non-contiguous mask, kept as a negative marker
  }
  const bits = strtoui(m, 0, 32);
  if (bits === null) xtError(PARAMETER_PROBLEM, `invalid mask \`${m}' specified`);
  return bits;
}

/** parse_ip6mask: a prefix length 0..128, or an IPv6 mask (its text kept when its ones are not contiguous). */
function parseIp6Mask(m: string | undefined): { mask: bigint; text: string } {
  const len = (n: number) => ({ mask: v6Mask(n), text: String(n) });
  if (m === undefined) return len(128);
  if (isIPv6(m)) {
    const v = v6ToBig(m);
    for (let n = 128; n >= 0; n--) if (v6Mask(n) === v) return len(n);
    return { mask: v, text: bigToV6(v) };
  }
  const bits = strtoui(m, 0, 128);
  if (bits === null) xtError(PARAMETER_PROBLEM, `invalid mask \`${m}' specified`);
  return len(bits);
}

/** xtables_ip6parse_multiple: the same for ip6tables (names resolved to their IPv6 addresses). */
function parseAddresses6(sys: Sys, spec: string): string[] {
  const out: string[] = [];
  for (const raw of spec.split(',')) {
    const item = raw.replace(/^\s+/, '');
    const slash = item.lastIndexOf('/');
    const m = parseIp6Mask(slash >= 0 ? item.slice(slash + 1) : undefined);
    const name = m.mask === 0n ? '::' : slash >= 0 ? item.slice(0, slash) : item;
    const addrs = isIPv6(name) ? [name] : lookupHostAddrs(sys, name, 6);
    if (!addrs.length) xtError(PARAMETER_PROBLEM, `host/network \`${name}' not found`);
    for (const a of addrs) out.push(`${bigToV6(v6ToBig(a) & m.mask)}/${m.text}`);
  }
  return out;
}

/** xtables_ipparse_multiple: "host[/mask][,host[/mask]...]" -> canonical CIDRs (ip6tables: IPv6 ones). */
export function parseAddresses(sys: Sys, spec: string, family: 4 | 6 = 4): string[] {
  if (family === 6) return parseAddresses6(sys, spec);
  const out: string[] = [];
  for (const raw of spec.split(',')) {
    const item = raw.replace(/^\s+/, '');
    const slash = item.lastIndexOf('/');
    const host = slash >= 0 ? item.slice(0, slash) : item;
    const len = parseIpMask(slash >= 0 ? item.slice(slash + 1) : undefined);
    const maskLen = len < 0 ? 32 : len;
    const name = maskLen === 0 && len >= 0 ? '0.0.0.0' : host;
    let addrs: string[];
    const num = numericToIp(name, false);
    if (num !== null) addrs = [num];
    else {
      const net = networkByName(sys, name);
      if (net !== null) addrs = [net];
      else {
        const h = lookupHostAddrs(sys, name);
        if (!h.length) xtError(PARAMETER_PROBLEM, `host/network \`${name}' not found`);
        addrs = h;
      }
    }
    for (const a of addrs) out.push(`${intToV4((v4ToInt(a) & v4Mask(maskLen)) >>> 0)}/${maskLen}`);
  }
  return out;
}

export function networkByName(sys: Sys, name: string): string | null {
  const text = sys.readFile('/etc/networks') ?? '';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [n, addr, ...aliases] = line.split(/\s+/);
    if ((n === name || aliases.includes(name)) && addr) return numericToIp(addr, false);
  }
  return null;
}



export function canonV4(s: string): string {
  return s
    .split('.')
    .map((p) => String(Number(p)))
    .join('.');
}
