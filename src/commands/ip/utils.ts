// Shared machinery of the iproute2 tools (ip, bridge): argument matching as
// iproute2's matches(), address parsing (get_addr/get_prefix), the error
// helpers that exit (invarg, duparg...), the text/JSON/colour printer that
// mirrors lib/json_print.c, and the name tables of lib/rt_names.c.
import { own } from '../../sim/own';
import { KernelError, STRERROR } from '../../sim/errors';
import type { CmdIO, Sys } from '../types';
import type { Netns, NsId } from '../../sim/types';
import { findLink } from '../../sim/netdev';

/** Thrown to end the command with an exit code (iproute2's exit()). */
export class IpExit extends Error {
  constructor(public readonly code: number) {
    super(`exit ${code}`);
  }
}

/** iproute2 matches(prefix, string): true when `prefix` is a prefix of `string` (empty matches everything). */
export function matches(prefix: string, full: string): boolean {
  return full.startsWith(prefix);
}

export interface IpOpts {
  family: 0 | 4 | 6 | 'link' | 'bridge' | 'mpls';
  brief: boolean;
  oneline: boolean;
  json: boolean;
  pretty: boolean;
  color: boolean;
  stats: number;
  details: number;
  all: boolean;
  numeric: boolean;
  resolve: boolean;
  human: boolean;
  timestamp: boolean;
  force: boolean;
  echo: boolean;
}

export function defaultOpts(): IpOpts {
  return {
    family: 0,
    brief: false,
    oneline: false,
    json: false,
    pretty: false,
    color: false,
    stats: 0,
    details: 0,
    all: false,
    numeric: false,
    resolve: false,
    human: false,
    timestamp: false,
    force: false,
    echo: false,
  };
}

export type Color = 'ifname' | 'mac' | 'inet' | 'inet6' | 'up' | 'down' | null;

const COLOR_CODES: Record<Exclude<Color, null>, string> = {
  ifname: '\x1b[36m',
  mac: '\x1b[33m',
  inet: '\x1b[35m',
  inet6: '\x1b[34m',
  up: '\x1b[32m',
  down: '\x1b[31m',
};

type PType = 'any' | 'json' | 'fp';

/** printf for the handful of conversions iproute2 uses in print_* formats. */
export function cfmt(fmt: string, ...args: Array<string | number>): string {
  let i = 0;
  return fmt.replace(/%([-#0 +]*)(\*|\d+)?(?:\.(\d+))?(l{0,2}|h{0,2})([sduxXcf%])/g, (_m, flags: string, width: string | undefined, prec: string | undefined, _len, conv: string) => {
    if (conv === '%') return '%';
    let w = width === '*' ? Number(args[i++]) : width ? Number(width) : 0;
    const v = args[i++];
    let s: string;
    switch (conv) {
      case 's':
        s = String(v ?? '');
        if (prec != null) s = s.slice(0, Number(prec));
        break;
      case 'd':
      case 'u':
        s = String(Math.trunc(Number(v)));
        break;
      case 'x':
        s = (Number(v) >>> 0).toString(16);
        if (flags.includes('#') && Number(v) !== 0) s = '0x' + s;
        break;
      case 'X':
        s = (Number(v) >>> 0).toString(16).toUpperCase();
        break;
      case 'f':
        s = Number(v).toFixed(prec != null ? Number(prec) : 6);
        break;
      default:
        s = String(v);
    }
    let left = flags.includes('-');
    if (w < 0) {
      left = true;
      w = -w;
    }
    if (s.length < w) {
      if (left) s = s.padEnd(w);
      else if (flags.includes('0') && conv !== 's') s = s.padStart(w, '0');
      else s = s.padStart(w);
    }
    return s;
  });
}

/**
 * The output side of an iproute2 tool: text (with optional colours and the
 * one-line separator) or JSON through a writer that reproduces
 * lib/json_writer.c byte for byte (compact and pretty).
 */
export class Printer {
  out = '';
  err = '';
  private jsonOn = false;
  private pretty = false;
  private depth = 0;
  private sep = '';
  color = false;
  /** line separator: "\n", or "\\" with -oneline */
  SL = '\n';

  constructor(opts: { json: boolean; pretty: boolean; color: boolean; oneline: boolean }) {
    this.pretty = opts.pretty;
    this.color = opts.color && !opts.json;
    this.SL = opts.oneline ? '\\' : '\n';
    this.wantJson = opts.json;
  }

  private wantJson: boolean;

  isJson(): boolean {
    return this.jsonOn;
  }

  // ---- json_writer.c
  private indent(): void {
    for (let i = 0; i < this.depth; i++) this.out += '    ';
  }
  private eol(): void {
    if (!this.pretty) return;
    this.out += '\n';
    this.indent();
  }
  private eor(): void {
    if (this.sep !== '') this.out += this.sep;
    this.sep = ',';
  }
  private puts(s: string): void {
    this.out += '"' + s.replace(/[\t\n\r\f\b\\"]/g, (c) => ({ '\t': '\\t', '\n': '\\n', '\r': '\\r', '\f': '\\f', '\b': '\\b', '\\': '\\\\', '"': '\\"' })[c]!) + '"';
  }
  private begin(c: string): void {
    this.eor();
    this.out += c;
    this.depth++;
    this.sep = '';
  }
  private end(c: string): void {
    this.depth--;
    if (this.sep !== '') this.eol();
    this.out += c;
    this.sep = ',';
  }
  private name(n: string): void {
    this.eor();
    this.eol();
    this.sep = '';
    this.puts(n);
    this.out += ':';
    if (this.pretty) this.out += ' ';
  }
  private raw(v: string): void {
    this.eor();
    this.out += v;
  }
  private startArray(): void {
    this.begin('[');
    if (this.pretty) this.out += ' ';
  }
  private endArray(): void {
    if (this.pretty && this.sep) this.out += ' ';
    this.sep = '';
    this.end(']');
  }

  // ---- json_print.c
  /** new_json_obj(json): starts the top-level array in JSON mode */
  newJsonObj(array = true): void {
    if (!this.wantJson) return;
    this.jsonOn = true;
    this.depth = 0;
    this.sep = '';
    if (array) this.startArray();
  }
  deleteJsonObj(array = true): void {
    if (!this.jsonOn) return;
    if (array) this.endArray();
    this.out += '\n';
    this.jsonOn = false;
  }
  openObject(key: string | null = null): void {
    if (!this.jsonOn) return;
    if (key) this.name(key);
    this.begin('{');
  }
  closeObject(): void {
    if (!this.jsonOn) return;
    this.end('}');
  }
  openArray(type: PType, key: string | null): void {
    if (this.jsonOn && type !== 'fp') {
      if (key) this.name(key);
      this.startArray();
    } else if (!this.jsonOn && type !== 'json') this.out += key ?? '';
  }
  closeArray(type: PType, str: string | null): void {
    if (this.jsonOn && type !== 'fp') this.endArray();
    else if (!this.jsonOn && type !== 'json') this.out += str ?? '';
  }
  private fp(color: Color, text: string): void {
    if (this.color && color) this.out += COLOR_CODES[color] + text + '\x1b[0m';
    else this.out += text;
  }
  string(type: PType, key: string | null, fmt: string | null, value: string | null, color: Color = null): void {
    if (this.jsonOn) {
      if (type === 'fp') return;
      if (key && value == null) this.name(key);
      else if (!key && value != null) {
        this.eor();
        this.puts(value);
      } else if (key) {
        this.name(key);
        this.eor();
        this.puts(value ?? '');
      }
      return;
    }
    if (type === 'json' || fmt == null) return;
    this.fp(color, cfmt(fmt, value ?? ''));
  }
  uint(type: PType, key: string | null, fmt: string | null, value: number, color: Color = null): void {
    this.num(type, key, fmt, value, color);
  }
  int(type: PType, key: string | null, fmt: string | null, value: number, color: Color = null): void {
    this.num(type, key, fmt, value, color);
  }
  private num(type: PType, key: string | null, fmt: string | null, value: number, color: Color): void {
    if (this.jsonOn) {
      if (type === 'fp') return;
      if (key) this.name(key);
      this.raw(String(value));
      return;
    }
    if (type === 'json' || fmt == null) return;
    this.fp(color, cfmt(fmt, value));
  }
  bool(type: PType, key: string | null, fmt: string | null, value: boolean): void {
    if (this.jsonOn) {
      if (type === 'fp') return;
      if (key) this.name(key);
      this.raw(value ? 'true' : 'false');
      return;
    }
    if (type === 'json' || fmt == null) return;
    this.out += cfmt(fmt, value ? 'true' : 'false');
  }
  onOff(type: PType, key: string | null, fmt: string, value: boolean): void {
    if (this.jsonOn) {
      if (type === 'fp') return;
      if (key) this.name(key);
      this.raw(value ? 'true' : 'false');
      return;
    }
    if (type === 'json') return;
    this.out += cfmt(fmt, value ? 'on' : 'off');
  }
  nullValue(type: PType, key: string | null, fmt: string | null, value: string | null): void {
    if (this.jsonOn) {
      if (type === 'fp') return;
      if (key) this.name(key);
      this.raw('null');
      return;
    }
    if (type === 'json' || fmt == null) return;
    this.out += cfmt(fmt, value ?? '');
  }
  /** print_nl(): the line separator in text mode */
  nl(): void {
    if (!this.jsonOn) this.out += this.SL;
  }
  /** raw text (fprintf to stdout) */
  text(s: string): void {
    if (!this.jsonOn) this.out += s;
  }
  /** text even in JSON mode (rare) */
  rawOut(s: string): void {
    this.out += s;
  }
  /** the length of stdout at each stderr write, so that the result keeps the order (chunks()) */
  errAt: Array<[number, string]> = [];
  error(s: string): void {
    this.err += s;
    this.errAt.push([this.out.length, s]);
  }
  /** stdout and stderr in the order written (a warning before the answer) */
  chunks(): Array<[1 | 2, string]> {
    if (this.errAt.map(([, s]) => s).join('') !== this.err) return [[1, this.out], [2, this.err]];
    const chunks: Array<[1 | 2, string]> = [];
    let at = 0;
    for (const [pos, s] of this.errAt) {
      const p = Math.min(Math.max(pos, at), this.out.length);
      if (p > at) chunks.push([1, this.out.slice(at, p)]);
      chunks.push([2, s]);
      at = p;
    }
    if (at < this.out.length) chunks.push([1, this.out.slice(at)]);
    return chunks;
  }
}

/** Context of one `ip` invocation. */
export interface IpCtx {
  sys: Sys;
  io: CmdIO;
  /** namespace the command talks to (-n NAME switches it) */
  ns: NsId;
  opts: IpOpts;
  p: Printer;
}

/** Write to stderr and exit with `code`. */
export function die(ctx: IpCtx, msg: string, code: number): never {
  ctx.p.error(msg);
  throw new IpExit(code);
}

export function incomplete(ctx: IpCtx): never {
  die(ctx, 'Command line is not complete. Try option "help"\n', 255);
}

export function invarg(ctx: IpCtx, msg: string, arg: string): never {
  die(ctx, `Error: argument "${arg}" is wrong: ${msg}\n`, 255);
}

export function duparg(ctx: IpCtx, key: string, arg: string): never {
  die(ctx, `Error: duplicate "${key}": "${arg}" is the second value.\n`, 255);
}

export function duparg2(ctx: IpCtx, key: string, arg: string): never {
  die(ctx, `Error: either "${key}" is duplicate, or "${arg}" is a garbage.\n`, 255);
}

export function missarg(ctx: IpCtx, key: string): never {
  die(ctx, `Error: argument "${key}" is required\n`, 255);
}

/** "Cannot find device" (returns -1 in iproute2: exit 1). */
export function nodev(ctx: IpCtx, dev: string): never {
  die(ctx, `Cannot find device "${dev}"\n`, 1);
}

/** ll_name_to_index() of a device the command named (0 for none); "Cannot find device" when it does not exist */
export function devIndex(ctx: IpCtx, ns: Netns, dev: string | null | undefined): number {
  if (!dev) return 0;
  const l = findLink(ns, dev);
  if (!l) nodev(ctx, dev);
  return l.ifindex;
}

/** a listing's `master DEV` selector: its ifindex, "Device does not exist" when there is none */
export function masterIndex(ctx: IpCtx, ns: Netns, dev: string): number {
  const l = findLink(ns, dev);
  if (!l) invarg(ctx, 'Device does not exist\n', dev);
  return l.ifindex;
}

/** the end of a flush loop with -s: nothing was there, or how many rounds it took */
export function flushReport(ctx: IpCtx, round: number): void {
  if (!ctx.opts.stats) return;
  if (round === 0) ctx.p.text('Nothing to flush.\n');
  else ctx.p.text(`*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
}

/** How iproute2 reports a netlink error: the extack as "Error: ..." or "RTNETLINK answers: strerror". */
export function rtnlErrorText(e: KernelError): string {
  if (e.extack) return `Error: ${e.extack}${e.extack.endsWith('.') ? '' : '.'}\n`;
  return `RTNETLINK answers: ${STRERROR[e.errno]}\n`;
}

/** Run a kernel operation; a KernelError becomes iproute2's message and exit 2. */
export function talk<T>(ctx: IpCtx, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof KernelError) die(ctx, rtnlErrorText(e), 2);
    throw e;
  }
}

/** Argument cursor with iproute2's NEXT_ARG semantics. */
export class Args {
  i = 0;
  constructor(public readonly a: string[]) {}
  get cur(): string {
    return this.a[this.i]!;
  }
  get left(): number {
    return this.a.length - this.i;
  }
  more(): boolean {
    return this.i < this.a.length;
  }
  /** NEXT_ARG(): advance, "Command line is not complete" when nothing follows */
  next(ctx: IpCtx): string {
    this.i++;
    if (this.i >= this.a.length) incomplete(ctx);
    return this.a[this.i]!;
  }
  /** NEXT_ARG_OK() */
  hasNext(): boolean {
    return this.i + 1 < this.a.length;
  }
  adv(): void {
    this.i++;
  }
  peek(off = 1): string | undefined {
    return this.a[this.i + off];
  }
}

// ------------------------------------------------------------------ numbers (strtoul semantics)

/** C strtoul(arg, &end, base) over the whole string; null when the string is not entirely a number. */
export function parseUnsigned(arg: string, base = 0, max = 0xffffffff): number | null {
  if (!arg) return null;
  let s = arg.trim() === arg ? arg : arg.replace(/^\s+/, '');
  let neg = false;
  if (s.startsWith('+')) s = s.slice(1);
  else if (s.startsWith('-')) {
    neg = true;
    s = s.slice(1);
  }
  let b = base;
  if ((b === 0 || b === 16) && /^0[xX][0-9a-fA-F]/.test(s)) {
    s = s.slice(2);
    b = 16;
  } else if (b === 0 && /^0/.test(s) && s.length > 1) b = 8;
  else if (b === 0) b = 10;
  const re = b === 16 ? /^[0-9a-fA-F]+$/ : b === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!re.test(s)) return null;
  let v = parseInt(s, b);
  if (neg) v = -v >>> 0;
  if (!Number.isFinite(v) || v > max || v < 0) return null;
  return v;
}

/** strtol-style signed integer; null when invalid. */
export function parseInteger(arg: string, base = 0): number | null {
  if (!arg) return null;
  const neg = arg.startsWith('-');
  const v = parseUnsigned(neg ? arg.slice(1) : arg.replace(/^\+/, ''), base, 0x7fffffff + (neg ? 1 : 0));
  if (v == null) return null;
  return neg ? -v : v;
}

// ------------------------------------------------------------------ addresses (lib/utils.c)

export interface InetPrefix {
  family: 4 | 6;
  /** canonical address text */
  addr: string;
  /** -1: no prefix given (host); -2: "default"/"any"/"all" */
  bitlen: number;
  /** "/N" was given (or "default") */
  prefixSpecified: boolean;
  /** "default"/"all"/"any" */
  isDefault: boolean;
  bytelen: number;
}

import { canonicalIp, intToV4, prefixContains, v4ToInt } from '../../sim/ip';

/** iproute2's get_addr_ipv4: 1-4 dot-separated strtoul(base 0) parts, the rest zero. */
export function parseIPv4Loose(cp: string): string | null {
  const parts: number[] = [];
  let rest = cp;
  for (let i = 0; i < 4; i++) {
    const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(rest);
    if (!m) return null;
    const n = parseUnsigned(m[1]!, 0, Number.MAX_SAFE_INTEGER);
    if (n == null || n > 255) return null;
    parts.push(n);
    rest = rest.slice(m[1]!.length);
    if (rest === '') break;
    if (i === 3 || rest[0] !== '.') return null;
    rest = rest.slice(1);
    if (rest === '') return null;
  }
  while (parts.length < 4) parts.push(0);
  return intToV4(((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0);
}

function parseIPv6(s: string): string | null {
  // inet_pton: no zone ids, no brackets
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return null;
  const c = canonicalIp(s);
  return c && c.includes(':') ? c : c === null ? null : null;
}

/** __get_addr_1: null when invalid for the family (0 = any). */
export function getAddr1(name: string, family: 0 | 4 | 6): InetPrefix | null {
  if (name === 'default') {
    const f = family === 6 ? 6 : 4;
    return { family: f, addr: f === 6 ? '::' : '0.0.0.0', bitlen: -2, prefixSpecified: true, isDefault: true, bytelen: f === 6 ? 16 : 4 };
  }
  if (name === 'all' || name === 'any') {
    const f = family === 6 ? 6 : 4;
    return { family: f, addr: f === 6 ? '::' : '0.0.0.0', bitlen: -2, prefixSpecified: false, isDefault: true, bytelen: 0 };
  }
  if (name.includes(':')) {
    if (family !== 0 && family !== 6) return null;
    const a = parseIPv6(name);
    if (!a) return null;
    return { family: 6, addr: a, bitlen: -1, prefixSpecified: false, isDefault: false, bytelen: 16 };
  }
  if (family !== 0 && family !== 4) return null;
  const a = parseIPv4Loose(name);
  if (!a) return null;
  return { family: 4, addr: a, bitlen: -1, prefixSpecified: false, isDefault: false, bytelen: 4 };
}

/** get_netmask: a number (strtoul base 0) or a dotted netmask. */
function getNetmask(s: string): number | null {
  const n = parseUnsigned(s, 0);
  if (n != null) return n;
  const a = getAddr1(s, 4);
  if (a && a.family === 4 && !a.isDefault) {
    const mask = v4ToInt(a.addr);
    const host = ~mask >>> 0;
    if ((host & (host + 1)) !== 0) return null;
    let bits = 0;
    for (let m = mask; m; m = (m << 1) >>> 0) bits++;
    return bits;
  }
  return null;
}

/** get_prefix_1: null when invalid. */
export function getPrefix1(arg: string, family: 0 | 4 | 6): InetPrefix | null {
  const slash = arg.indexOf('/');
  const a = getAddr1(slash >= 0 ? arg.slice(0, slash) : arg, family);
  if (!a) return null;
  const maxlen = a.family === 6 ? 128 : 32;
  if (slash >= 0) {
    if (a.bitlen === -2) return null;
    const plen = getNetmask(arg.slice(slash + 1));
    if (plen == null || plen > maxlen) return null;
    return { ...a, bitlen: plen, prefixSpecified: true };
  }
  return { ...a, bitlen: a.bitlen === -2 ? 0 : maxlen };
}

export function familyVerbose(f: 0 | 4 | 6): string {
  return f === 0 ? 'any valid' : f === 4 ? 'inet' : 'inet6';
}

/** get_prefix(): exits 1 with "Error: ... prefix is expected rather than ..." */
export function getPrefix(ctx: IpCtx, arg: string, family: 0 | 4 | 6): InetPrefix {
  const p = getPrefix1(arg, family);
  if (!p) die(ctx, `Error: ${familyVerbose(family)} prefix is expected rather than "${arg}".\n`, 1);
  return p;
}

/** get_addr(): exits 1 with "Error: ... address is expected rather than ..." */
export function getAddr(ctx: IpCtx, arg: string, family: 0 | 4 | 6): InetPrefix {
  const p = getAddr1(arg, family);
  if (!p) die(ctx, `Error: ${familyVerbose(family)} address is expected rather than "${arg}".\n`, 1);
  return p;
}

export function ipFamily(opts: IpOpts): 0 | 4 | 6 {
  return opts.family === 4 || opts.family === 6 ? opts.family : 0;
}

/** Does prefix `p` (from a filter) match address `addr`? (inet_addr_match with p.bitlen bits) */
export function prefixMatch(p: InetPrefix | null, addr: string, family: 4 | 6): boolean {
  if (!p) return true;
  if (p.family !== family) return false;
  const bits = p.bitlen < 0 ? 0 : p.bitlen;
  if (bits === 0) return true;
  return prefixContains(p.addr, bits, addr, family);
}

// ------------------------------------------------------------------ name tables (lib/rt_names.c + Debian /etc/iproute2)

export const RT_SCOPES: Record<number, string> = { 0: 'global', 255: 'nowhere', 254: 'host', 253: 'link', 200: 'site' };

export function scopeN2a(n: number, numeric = false): string {
  if (numeric) return String(n);
  return RT_SCOPES[n] ?? String(n);
}

export function scopeA2n(arg: string): number | null {
  for (const [k, v] of Object.entries(RT_SCOPES)) if (v === arg) return Number(k);
  return parseUnsigned(arg, 0, 255);
}

/** A `scope` selector of a listing (ip address show, ip route show): a scope name or number, or `all` (mask 0) */
export function scopeSelector(ctx: IpCtx, v: string): { scope: number; scopemask: number } {
  const s = scopeA2n(v);
  if (s != null) return { scope: s, scopemask: -1 };
  if (v !== 'all') invarg(ctx, 'invalid "scope"\n', v);
  return { scope: 255, scopemask: 0 };
}

export const RT_PROTOS: Record<number, string> = {
  0: 'unspec',
  1: 'redirect',
  2: 'kernel',
  3: 'boot',
  4: 'static',
  8: 'gated',
  9: 'ra',
  10: 'mrt',
  11: 'zebra',
  12: 'bird',
  13: 'dnrouted',
  14: 'xorp',
  15: 'ntk',
  16: 'dhcp',
  18: 'keepalived',
  42: 'babel',
  99: 'openr',
  186: 'bgp',
  187: 'isis',
  188: 'ospf',
  189: 'rip',
  192: 'eigrp',
};

export function protoA2n(arg: string): number | null {
  for (const [k, v] of Object.entries(RT_PROTOS)) if (v === arg) return Number(k);
  return parseUnsigned(arg, 0, 255);
}

export function protoN2a(n: number, numeric = false): string {
  if (numeric) return String(n);
  return RT_PROTOS[n] ?? String(n);
}

/** Kernel protocol value (a name from the sim, or a number) as a number. */
export function protoNum(p: string | number): number {
  if (typeof p === 'number') return p;
  const n = protoA2n(p);
  return n ?? 0;
}

export const RT_TABLES: Record<number, string> = { 255: 'local', 254: 'main', 253: 'default', 0: 'unspec' };

export function tableN2a(n: number, numeric = false): string {
  if (numeric) return String(n);
  return RT_TABLES[n] ?? String(n);
}

export function tableA2n(arg: string): number | null {
  for (const [k, v] of Object.entries(RT_TABLES)) if (v === arg) return Number(k);
  return parseUnsigned(arg, 0, 0xffffffff);
}

export const RTN_TYPES = ['unspec', 'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat', 'xresolve'];

/** Resolve -n NAME for the whole command: the namespace id, or null. */
export function nsByName(sys: Sys, name: string): NsId | null {
  const h = own(sys.world.state.hosts, sys.host);
  return own(h?.netns, name) ?? null;
}

/**
 * ll_addr_a2n (lib/ll_addr.c): colon-separated hex bytes (sscanf "%x" per
 * part), or a dotted IPv4 address. Returns the canonical text and length,
 * or null after writing `"PART" is invalid lladdr.` to stderr.
 */
export function llAddrA2n(ctx: IpCtx, arg: string): { mac: string; len: number } | null {
  if (arg.includes('.')) {
    const a = getAddr1(arg, 4);
    if (!a) {
      ctx.p.error(`"${arg}" is invalid lladdr.\n`);
      return null;
    }
    return { mac: a.addr.split('.').map((x) => Number(x).toString(16).padStart(2, '0')).join(':'), len: 4 };
  }
  const bytes: number[] = [];
  let rest: string | null = arg;
  while (rest != null && bytes.length < 32) {
    const i = rest.indexOf(':');
    const part = i >= 0 ? rest.slice(0, i) : rest;
    rest = i >= 0 ? rest.slice(i + 1) : null;
    const m = /^\s*(?:0[xX])?([0-9a-fA-F]+)/.exec(part);
    if (!m) {
      ctx.p.error(`"${part}" is invalid lladdr.\n`);
      return null;
    }
    const v = parseInt(m[1]!, 16);
    if (v > 255) {
      ctx.p.error(`"${part}" is invalid lladdr.\n`);
      return null;
    }
    bytes.push(v);
  }
  return { mac: bytes.map((b) => b.toString(16).padStart(2, '0')).join(':'), len: bytes.length };
}
