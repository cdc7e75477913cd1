// Address arithmetic shared by the kernel modules (and usable by commands):
// canonical text, numeric forms, prefixes. IPv4 is a uint32 number, IPv6 a
// bigint. Text is canonical as glibc's inet_ntop prints it.
import ipaddr from 'ipaddr.js';
import type { AddrFamily } from './types';

export function isIPv4(s: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(s) && s.split('.').every((p) => Number(p) <= 255);
}

export function isIPv6(s: string): boolean {
  return s.includes(':') && ipaddr.IPv6.isValid(s);
}

/** inet_pton(AF_INET): four decimal parts 0..255, no leading zeros (isIPv4 also takes 010.1.1.1). */
const INET4_PART = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const INET4 = new RegExp(`^${INET4_PART}(?:\\.${INET4_PART}){3}$`);
export function isInet4(s: string): boolean {
  return INET4.test(s);
}

export function familyOf(s: string): AddrFamily | null {
  if (isIPv4(s)) return 4;
  if (isIPv6(s)) return 6;
  return null;
}

export function v4ToInt(s: string): number {
  // the common case, four dotted decimal parts, without building an array (the packet path calls this per rule and route)
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + (c - 48);
      digits++;
    } else if (c === 46 && digits > 0 && dots < 3) {
      n = n * 256 + (part & 255) + (part > 255 ? NaN : 0);
      part = 0;
      digits = 0;
      dots++;
    } else return v4ToIntSlow(s);
  }
  if (dots !== 3 || digits === 0 || part > 255 || Number.isNaN(n)) return v4ToIntSlow(s);
  return (n * 256 + part) >>> 0;
}

function v4ToIntSlow(s: string): number {
  const p = s.split('.');
  return ((Number(p[0]) << 24) | (Number(p[1]) << 16) | (Number(p[2]) << 8) | Number(p[3])) >>> 0;
}

export function intToV4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function v4Mask(len: number): number {
  return len <= 0 ? 0 : len >= 32 ? 0xffffffff : (0xffffffff << (32 - len)) >>> 0;
}

/** The dotted netmask of a prefix length (24 -> 255.255.255.0). */
export function v4MaskText(len: number): string {
  return intToV4(v4Mask(len));
}

const v6Cache = new Map<string, bigint>();

export function v6ToBig(s: string): bigint {
  const hit = v6Cache.get(s);
  if (hit !== undefined) return hit;
  const bytes = ipaddr.IPv6.parse(s).toByteArray();
  let b = 0n;
  for (const x of bytes) b = (b << 8n) | BigInt(x);
  if (v6Cache.size > 8192) v6Cache.clear();
  v6Cache.set(s, b);
  return b;
}

const ALL128 = (1n << 128n) - 1n;

const V6_MASKS: bigint[] = [];
for (let len = 0; len <= 128; len++) V6_MASKS.push(len === 0 ? 0n : (ALL128 << BigInt(128 - len)) & ALL128);

export function v6Mask(len: number): bigint {
  if (len <= 0) return 0n;
  if (len >= 128) return ALL128;
  return V6_MASKS[len]!;
}

/** glibc inet_ntop(AF_INET6) text of a 128-bit number. */
export function bigToV6(b: bigint): string {
  const words: number[] = [];
  for (let i = 7; i >= 0; i--) words.push(Number((b >> BigInt(i * 16)) & 0xffffn));
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else curLen++;
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase !== -1 && (bestBase === -1 || curLen > bestLen)) {
    bestBase = curBase;
    bestLen = curLen;
  }
  if (bestBase !== -1 && bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += `${words[6]! >> 8}.${words[6]! & 255}.${words[7]! >> 8}.${words[7]! & 255}`;
      break;
    }
    out += words[i]!.toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ':';
  return out;
}

/** glibc inet_ntop(AF_INET6) text of 16 bytes. */
export function inetNtop6(bytes: ArrayLike<number>): string {
  let b = 0n;
  for (let i = 0; i < 16; i++) b = (b << 8n) | BigInt(bytes[i] ?? 0);
  return bigToV6(b);
}

/** Canonical text of an address, or null when it is not one. */
export function canonicalIp(s: string): string | null {
  const hit = canonCache.get(s);
  if (hit !== undefined) return hit;
  const out = isIPv4(s) ? intToV4(v4ToInt(s)) : isIPv6(s) ? bigToV6(v6ToBig(s)) : null;
  remember(s, out);
  return out;
}

/** canonicalIp's answers (a text made canonical by this module is entered as its own: linkLocalFromMac) */
const canonCache = new Map<string, string | null>();
function remember(s: string, canon: string | null): void {
  if (canonCache.size > 8192) canonCache.clear();
  canonCache.set(s, canon);
}

/** rt_scope_t of a scope name as the kernel stores it (global 0, site 200, link 253, host 254, nowhere 255); numbers pass through. */
export function scopeNum(s: string | number): number {
  if (typeof s === 'number') return s;
  switch (s) {
    case 'global':
      return 0;
    case 'site':
      return 200;
    case 'link':
      return 253;
    case 'host':
      return 254;
    case 'nowhere':
      return 255;
  }
  return 0;
}

/** The network address of addr/len, canonical. */
export function networkOf(addr: string, len: number, family: AddrFamily): string {
  if (family === 4) return intToV4((v4ToInt(addr) & v4Mask(len)) >>> 0);
  return bigToV6(v6ToBig(addr) & v6Mask(len));
}

/** Does net/len contain addr? (same family assumed) */
export function prefixContains(net: string, len: number, addr: string, family: AddrFamily): boolean {
  if (family === 4) {
    const m = v4Mask(len);
    return ((v4ToInt(net) & m) >>> 0) === ((v4ToInt(addr) & m) >>> 0);
  }
  const m = v6Mask(len);
  return (v6ToBig(net) & m) === (v6ToBig(addr) & m);
}

/** IPv4 directed broadcast of addr/len (what `brd +` computes). */
export function broadcastOf(addr: string, len: number): string {
  if (len >= 31) return addr;
  return intToV4((v4ToInt(addr) | ~v4Mask(len)) >>> 0);
}

/** Compare two addresses of the same family numerically. */
export function compareIp(a: string, b: string, family: AddrFamily): number {
  if (family === 4) return v4ToInt(a) - v4ToInt(b);
  const x = v6ToBig(a);
  const y = v6ToBig(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** EUI-64 link-local address of a MAC (fe80::/64). */
export function linkLocalFromMac(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  const bytes = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, b[0]! ^ 0x02, b[1]!, b[2]!, 0xff, 0xfe, b[3]!, b[4]!, b[5]!];
  let v = 0n;
  for (const x of bytes) v = (v << 8n) | BigInt(x);
  const text = bigToV6(v);
  // (the address is parsed and made canonical next: addAddress, its solicited-node group)
  if (v6Cache.size > 8192) v6Cache.clear();
  v6Cache.set(text, v);
  remember(text, text);
  return text;
}

/** ff02::1:ffXX:XXXX, the solicited-node multicast group of an IPv6 address (canonical text). */
export function solicitedNodeGroup(addr: string): string {
  return bigToV6((0xff02n << 112n) | (0x1ff000000n) | (v6ToBig(addr) & 0xffffffn));
}

/** IPv6 solicited-node multicast MAC (33:33:ff:xx:xx:xx) of an address. */
export function solicitedNodeMac(addr: string): string {
  const v = v6ToBig(addr);
  const b = [Number((v >> 16n) & 0xffn), Number((v >> 8n) & 0xffn), Number(v & 0xffn)];
  return `33:33:ff:${b.map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
}

/** The Ethernet address of a multicast group: 01:00:5e + the low 23 bits (IPv4), 33:33 + the low 32 bits (IPv6). */
export function multicastMac(addr: string): string {
  if (addr.includes(':')) {
    const v = v6ToBig(addr);
    const b = [24n, 16n, 8n, 0n].map((sh) => Number((v >> sh) & 0xffn));
    return `33:33:${b.map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
  }
  const v = v4ToInt(addr);
  const b = [(v >>> 16) & 0x7f, (v >>> 8) & 0xff, v & 0xff];
  return `01:00:5e:${b.map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
}

export function isMulticastMac(mac: string): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

export function isZeroMac(mac: string): boolean {
  return mac === '00:00:00:00:00:00';
}

/** Is the IPv4/IPv6 address a multicast one? */
export function isMulticastIp(addr: string, family: AddrFamily): boolean {
  if (family === 4) return v4ToInt(addr) >>> 28 === 0xe;
  return addr.toLowerCase().startsWith('ff');
}
