// Network sysctls of a namespace, as /proc/sys/net shows them.
//
// Values live in Netns.sysctl (flat dotted keys, the text the kernel prints,
// numbers of a vector separated by tabs). A key that has never been written
// has its kernel default (from the catalogue below; per-interface keys take
// the namespace's current `default` value, as the kernel copies it when the
// device appears). This module owns:
//   - which keys exist (the catalogue + one conf/neigh directory per link),
//   - their modes (read-only, write-only, root-only),
//   - parsing and validation of written values (the kernel's proc_dointvec
//     rules: base-0 integers, whitespace separated vectors, min/max),
//   - the couplings the kernel applies on write (ip_forward is
//     conf.all.forwarding; writing it sets default and every device;
//     conf.all.disable_ipv6 and ipv6 forwarding propagate likewise),
//   - the /proc/sys path <-> key mapping (procSysRead/Write/List).
// Errors are KernelErrors with the errno the kernel's write(2)/open(2) gives.
import type { World } from './world';
import type { Netns, NsId } from './types';
import { KernelError } from './errors';
import { procPathToKey, sysctlDev } from './if-sysctl';
import { addrconfDown, addrconfUp } from './addr';
import { DEPRECATED_NAMES, GLOBAL, INT, IPV4_CONF, IPV6_CONF, MS_JIFFIES, NEIGH, RANGE_OF, USERHZ_JIFFIES, type KeyDef } from './proc-sys-table';

export { DEPRECATED_NAMES };

// ------------------------------------------------------------------ key model

interface Resolved {
  def: KeyDef;
  /** the device this key belongs to (for per-interface keys) */
  dev: string | null;
  /** conf/neigh family of a per-device key: 'ipv4.conf', 'ipv6.conf', 'ipv4.neigh', 'ipv6.neigh' */
  family: string | null;
  leaf: string;
}

function linkNames(ns: Netns): string[] {
  return ns.links.map((l) => sysctlDev(l.name));
}

function hasLink(ns: Netns, name: string): boolean {
  return ns.links.some((l) => sysctlDev(l.name) === name);
}

/** Resolve a dotted key ("net.ipv4.ip_forward") to its definition, or null if no such file. */
function resolve(ns: Netns, key: string): Resolved | null {
  if (!key.startsWith('net.')) return null;
  const rel = key.slice(4);
  const g = GLOBAL[rel];
  if (g) return { def: g, dev: null, family: null, leaf: rel };
  const m = /^(ipv4|ipv6)\.(conf|neigh)\.([^.]+)\.([^.]+)$/.exec(rel);
  if (!m) return null;
  const [, fam, kind, dev, leaf] = m as unknown as [string, string, string, string, string];
  const family = `${fam}.${kind}`;
  if (kind === 'conf') {
    if (dev !== 'all' && dev !== 'default' && !hasLink(ns, dev)) return null;
    const table = fam === 'ipv4' ? IPV4_CONF : IPV6_CONF;
    const def = table[leaf];
    return def ? { def, dev, family, leaf } : null;
  }
  if (dev === 'all' || dev === 'default' || !hasLink(ns, dev)) return null;
  const def = NEIGH[leaf];
  return def ? { def, dev, family, leaf } : null;
}

/** Kernel default of a key when it has never been written. */
function defaultValue(world: World, ns: Netns, key: string, r: Resolved): string {
  if (key === 'net.netfilter.nf_conntrack_count') return String(ns.netfilter.conntrack.length);
  if (r.dev === null || r.dev === 'default') return r.def.v;
  if (r.dev === 'all') {
    if (r.family === 'ipv4.conf' && r.leaf === 'accept_source_route') return '0';
    return r.def.v;
  }
  // neighbour parameters: the table's defaults (no `default` directory in a namespace); nd_tbl's locktime is 0
  if (r.family === 'ipv6.neigh' && r.leaf === 'locktime') return '0';
  if (r.family === 'ipv4.neigh' || r.family === 'ipv6.neigh') return r.def.v;
  // a device: its own live values for a few, else the namespace's current `default`
  const link = ns.links.find((l) => sysctlDev(l.name) === r.dev)!;
  if (r.family === 'ipv6.conf') {
    if (r.leaf === 'mtu') return String(link.mtu);
    if (link.kind === 'loopback') {
      if (r.leaf === 'accept_dad' || r.leaf === 'use_tempaddr') return '-1';
    }
  }
  const dflt = key.replace(`.${r.dev}.`, '.default.');
  return readKey(world, ns, dflt);
}

function readKey(world: World, ns: Netns, key: string): string {
  const stored = ns.sysctl[key];
  if (stored !== undefined) return stored;
  const r = resolve(ns, key);
  return r ? defaultValue(world, ns, key, r) : '';
}

// ------------------------------------------------------------------ public API

export interface SysctlStat {
  type: 'file' | 'dir';
  mode: number;
}

/** Is `key` (dotted) a file, a directory, or nothing? Directories: "net", "net.ipv4", "net.ipv4.conf.eth0"... */
export function sysctlStat(world: World, nsId: NsId, key: string): SysctlStat | null {
  const ns = world.ns(nsId);
  if (key === '' ) return { type: 'dir', mode: 0o555 };
  const r = resolve(ns, key);
  if (r) return { type: 'file', mode: r.def.mode ?? 0o644 };
  return sysctlChildren(world, nsId, key) ? { type: 'dir', mode: 0o555 } : null;
}

/** Names directly below the directory `key` (dotted; '' is /proc/sys), or null if it is not a directory. */
export function sysctlChildren(world: World, nsId: NsId, key: string): string[] | null {
  const ns = world.ns(nsId);
  if (resolve(ns, key)) return null;
  const pre = key === '' ? '' : key + '.';
  const names = new Set<string>();
  for (const k of allKeys(world, ns)) {
    if (k.startsWith(pre)) names.add(k.slice(pre.length).split('.')[0]!);
  }
  return names.size > 0 ? sortNames([...names]) : null;
}

function sortNames(names: string[]): string[] {
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function allKeys(_world: World, ns: Netns): string[] {
  const keys: string[] = Object.keys(GLOBAL).map((k) => 'net.' + k);
  const devs = ['all', 'default', ...linkNames(ns)];
  for (const fam of ['ipv4', 'ipv6']) {
    const conf = fam === 'ipv4' ? IPV4_CONF : IPV6_CONF;
    for (const dev of devs) for (const leaf of Object.keys(conf)) keys.push(`net.${fam}.conf.${dev}.${leaf}`);
    for (const dev of linkNames(ns)) for (const leaf of Object.keys(NEIGH)) keys.push(`net.${fam}.neigh.${dev}.${leaf}`);
  }
  return keys;
}

/** Every key of the namespace, in the order `sysctl -a` walks /proc/sys (each directory level sorted by name). */
export function sysctlKeys(world: World, nsId: NsId, under = ''): string[] {
  const ns = world.ns(nsId);
  const pre = under === '' ? '' : under + '.';
  const keys = allKeys(world, ns).filter((k) => k.startsWith(pre));
  const split = new Map(keys.map((k) => [k, k.split('.')]));
  return keys.sort((a, b) => {
    const pa = split.get(a)!;
    const pb = split.get(b)!;
    const n = Math.min(pa.length, pb.length);
    for (let i = 0; i < n; i++) {
      if (pa[i] !== pb[i]) return pa[i]! < pb[i]! ? -1 : 1;
    }
    return pa.length - pb.length;
  });
}

/** a key's definition, EISDIR for a directory of keys, ENOENT for no such key */
function existingKey(world: World, nsId: NsId, ns: Netns, key: string): NonNullable<ReturnType<typeof resolve>> {
  const r = resolve(ns, key);
  if (r) return r;
  if (sysctlChildren(world, nsId, key)) throw new KernelError('EISDIR');
  throw new KernelError('ENOENT');
}

/** The value of a key as the kernel prints it, without the trailing newline. Throws ENOENT, EACCES (write-only), EIO. */
export function sysctlGet(world: World, nsId: NsId, key: string): string {
  const ns = world.ns(nsId);
  const r = existingKey(world, nsId, ns, key);
  const mode = r.def.mode ?? 0o644;
  if ((mode & 0o400) === 0) throw new KernelError('EACCES');
  const v = readKey(world, ns, key);
  if (r.def.readErr && v === '') throw new KernelError(r.def.readErr);
  return v;
}

/** Parse text written to an integer sysctl the way the kernel's proc_dointvec does. Returns null if invalid. */
export function parseIntVector(text: string, n: number): bigint[] | null {
  const out: bigint[] = [];
  let i = 0;
  const s = text;
  const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
  while (out.length < n) {
    while (i < s.length && isSpace(s[i])) i++;
    if (i >= s.length) break;
    let neg = false;
    if (s[i] === '-') {
      neg = true;
      i++;
    }
    const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(s.slice(i));
    if (!m) return null;
    i += m[0].length;
    if (i < s.length && !isSpace(s[i])) return null;
    let v = BigInt(m[0].startsWith('0x') || m[0].startsWith('0X') ? m[0] : m[0].length > 1 && m[0][0] === '0' ? '0o' + m[0].slice(1) : m[0]);
    if (neg) v = -v;
    out.push(v);
  }
  return out.length === 0 ? null : out;
}

function jiffiesRoundTrip(r: Resolved, value: string): string {
  const name = r.dev === null ? r.leaf : `${r.family!.split('.')[1]}.${r.leaf}`;
  if (r.family === 'ipv4.conf' && name.startsWith('conf.mld')) return value;
  if (MS_JIFFIES.has(name)) {
    const v = BigInt(value);
    return String(v <= 0n ? v : ((v + 3n) / 4n) * 4n);
  }
  if (USERHZ_JIFFIES.has(name)) {
    const v = BigInt(value);
    const neg = v < 0n;
    const j = ((neg ? -v : v) * 5n) / 2n;
    return `${neg ? '-' : ''}${(j * 2n) / 5n}`;
  }
  return value;
}

/** The value to store, or a KernelError. A vector written with fewer numbers keeps the current tail (proc_dointvec). */
function validate(r: Resolved, text: string, current = ''): string {
  const kind = r.def.kind ?? INT;
  if (kind.t === 'fixed') return text.trim();
  if (kind.t === 'str') {
    const v = text.replace(/\n$/, '');
    if (kind.choices && !kind.choices.includes(v.trim())) throw new KernelError('ENOENT');
    // a congestion control outside tcp_allowed_congestion_control, outside the initial namespace
    if (kind.restricted?.includes(v.trim())) throw new KernelError('EPERM');
    return kind.choices ? v.trim() : v;
  }
  const n = kind.n ?? 1;
  const vals = parseIntVector(text, n);
  if (!vals) throw new KernelError('EINVAL');
  const measured = n === 1 ? RANGE_OF.get(r.dev === null ? r.leaf : `${r.family}.*.${r.leaf}`) : undefined;
  const min = measured ? measured[0] : BigInt(kind.min ?? -2147483648);
  const max = measured ? measured[1] : BigInt(kind.max ?? 2147483647);
  for (const v of vals) if (v < min || v > max) throw new KernelError('EINVAL');
  const cur = current.split('\t');
  return Array.from({ length: n }, (_, i) => (i < vals.length ? String(vals[i]) : cur[i] ?? '0')).join('\t');
}

/** Hooks run after a key's value changed (the kernel core applies disable_ipv6 effects on links through this). */
export type SysctlHook = (world: World, nsId: NsId, key: string, value: string, old: string) => void;
const hooks: SysctlHook[] = [];
export function onSysctlChange(fn: SysctlHook): void {
  if (!hooks.includes(fn)) hooks.push(fn);
}

function setRaw(world: World, ns: Netns, key: string, value: string): void {
  const old = readKey(world, ns, key);
  ns.sysctl[key] = value;
  if (old !== value) for (const h of hooks) h(world, ns.id, key, value, old);
}

/**
 * Write `text` to a key (as `echo text > /proc/sys/...` or `sysctl -w key=text`).
 * Throws ENOENT (no such key), EPERM (read-only), EINVAL (bad value).
 */
export function sysctlSet(world: World, nsId: NsId, key: string, text: string): void {
  const ns = world.ns(nsId);
  const r = existingKey(world, nsId, ns, key);
  const mode = r.def.mode ?? 0o644;
  if ((mode & 0o200) === 0) throw new KernelError('EPERM');
  if (key === 'net.ipv4.route.flush' || key === 'net.ipv6.route.flush') {
    if (!parseIntVector(text, 1)) throw new KernelError('EINVAL');
    return;
  }
  let value = validate(r, text, readKey(world, ns, key));
  if (key === 'net.ipv4.ip_local_port_range') {
    // ipv4_local_port_range: the upper end not below the lower, the lower not privileged
    const [lo, hi] = value.split('\t').map(Number) as [number, number];
    const prot = Number(readKey(world, ns, 'net.ipv4.ip_unprivileged_port_start'));
    if (hi < lo || lo < prot) throw new KernelError('EINVAL');
  }
  if (key === 'net.ipv4.ping_group_range') {
    const [lo, hi] = value.split('\t').map(Number) as [number, number];
    if (lo > hi) value = '1\t0';
  }
  if (key.startsWith('net.bridge.') && value !== '0') value = '1';
  value = jiffiesRoundTrip(r, value);
  // the lwtunnel netfilter hooks cannot be turned off once on
  if (key === 'net.netfilter.nf_hooks_lwtunnel' && value === '0' && readKey(world, ns, key) !== '0') throw new KernelError('EBUSY');
  if (r.family === 'ipv6.conf' && r.dev && r.dev !== 'all' && r.dev !== 'default' && r.leaf === 'mtu') {
    const link = ns.links.find((l) => sysctlDev(l.name) === r.dev)!;
    if (Number(value) > link.mtu) throw new KernelError('EINVAL');
  }
  applyWrite(world, ns, key, r, value);
}

function applyWrite(world: World, ns: Netns, key: string, r: Resolved, value: string): void {
  const old = readKey(world, ns, key);
  // net.ipv4.ip_forward and net.ipv4.conf.all.forwarding are one variable
  if (key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') {
    setRaw(world, ns, 'net.ipv4.ip_forward', value);
    setRaw(world, ns, 'net.ipv4.conf.all.forwarding', value);
    if (old !== value) {
      setRaw(world, ns, 'net.ipv4.conf.all.accept_redirects', Number(value) ? '0' : '1');
      setRaw(world, ns, 'net.ipv4.conf.default.forwarding', value);
      for (const dev of linkNames(ns)) setRaw(world, ns, `net.ipv4.conf.${dev}.forwarding`, value);
    }
    return;
  }
  if (r.family === 'ipv6.conf' && r.leaf === 'disable_ipv6' && r.dev !== 'default') {
    // addrconf_disable_ipv6: "all" sets default and every device; a device
    // whose value flips loses (or regains) its IPv6 addresses and routes
    const before = new Map(ns.links.map((l) => [l.name, Number(readKey(world, ns, `net.ipv6.conf.${sysctlDev(l.name)}.disable_ipv6`)) !== 0]));
    setRaw(world, ns, key, value);
    if (r.dev === 'all') {
      setRaw(world, ns, 'net.ipv6.conf.default.disable_ipv6', value);
      for (const dev of linkNames(ns)) setRaw(world, ns, `net.ipv6.conf.${dev}.disable_ipv6`, value);
    }
    for (const link of ns.links) {
      const now = Number(readKey(world, ns, `net.ipv6.conf.${sysctlDev(link.name)}.disable_ipv6`)) !== 0;
      if (now === before.get(link.name)) continue;
      if (now) addrconfDown(world, ns, link);
      else addrconfUp(world, ns, link);
    }
    return;
  }
  if (r.family === 'ipv6.conf' && r.dev === 'all' && r.leaf === 'forwarding') {
    setRaw(world, ns, key, value);
    if (old !== value) {
      setRaw(world, ns, 'net.ipv6.conf.default.forwarding', value);
      for (const dev of linkNames(ns)) setRaw(world, ns, `net.ipv6.conf.${dev}.forwarding`, value);
    }
    return;
  }
  setRaw(world, ns, key, value);
}

/**
 * Record the values a device's keys start with (a copy of the namespace's
 * current `default` values, as the kernel makes when the device appears).
 * The kernel core calls this when a link is created or moved into a namespace.
 */
export function sysctlLinkAdded(world: World, nsId: NsId, ifname: string): void {
  const ns = world.ns(nsId);
  const dev = sysctlDev(ifname);
  for (const fam of ['ipv4', 'ipv6'] as const) {
    const conf = fam === 'ipv4' ? IPV4_CONF : IPV6_CONF;
    for (const leaf of Object.keys(conf)) {
      const key = `net.${fam}.conf.${dev}.${leaf}`;
      if (ns.sysctl[key] !== undefined) continue;
      if (fam === 'ipv6' && leaf === 'mtu') continue;
      const v = readKey(world, ns, `net.${fam}.conf.default.${leaf}`);
      const lo = ns.links.find((l) => l.name === ifname)?.kind === 'loopback';
      if (lo && fam === 'ipv6' && (leaf === 'accept_dad' || leaf === 'use_tempaddr')) continue;
      if (leaf === 'stable_secret' || leaf === 'mc_forwarding') continue;
      ns.sysctl[key] = v;
    }
  }
}

/** Forget a device's keys (the kernel core calls this when a link is deleted or leaves the namespace). */
export function sysctlLinkRemoved(world: World, nsId: NsId, name: string): void {
  const ns = world.ns(nsId);
  const ifname = sysctlDev(name);
  for (const k of Object.keys(ns.sysctl)) {
    if (k.startsWith(`net.ipv4.conf.${ifname}.`) || k.startsWith(`net.ipv6.conf.${ifname}.`) || k.startsWith(`net.ipv4.neigh.${ifname}.`) || k.startsWith(`net.ipv6.neigh.${ifname}.`)) {
      delete ns.sysctl[k];
    }
  }
}

/** Move a device's stored keys to its new name (`ip link set X name Y`). */
export function sysctlLinkRenamed(world: World, nsId: NsId, from: string, to: string): void {
  const ns = world.ns(nsId);
  for (const k of Object.keys(ns.sysctl)) {
    for (const fam of ['ipv4.conf', 'ipv6.conf', 'ipv4.neigh', 'ipv6.neigh']) {
      const pre = `net.${fam}.${sysctlDev(from)}.`;
      if (k.startsWith(pre)) {
        ns.sysctl[`net.${fam}.${sysctlDev(to)}.` + k.slice(pre.length)] = ns.sysctl[k]!;
        delete ns.sysctl[k];
      }
    }
  }
}

/** Is IPv4 forwarding on for packets arriving on `ifname` (net.ipv4.conf.IF.forwarding)? */
export function ipv4ForwardingOn(world: World, nsId: NsId, ifname: string): boolean {
  const ns = world.ns(nsId);
  const v = hasLink(ns, sysctlDev(ifname)) ? readKey(world, ns, `net.ipv4.conf.${sysctlDev(ifname)}.forwarding`) : readKey(world, ns, 'net.ipv4.ip_forward');
  return Number(v) !== 0;
}

/** The current value of a key, or null when it does not exist (no errors: for kernel code that just needs the value). */
export function sysctlValue(world: World, nsId: NsId, key: string): string | null {
  const ns = world.ns(nsId);
  return resolve(ns, key) ? readKey(world, ns, key) : null;
}

// ------------------------------------------------------------------ /proc/sys

/** "/proc/sys/net/ipv4/ip_forward" -> "net.ipv4.ip_forward" ('' for /proc/sys itself); null if not under /proc/sys. */
export function procSysKey(path: string): string | null {
  const p = path.replace(/\/+$/, '');
  if (p === '/proc/sys') return '';
  if (!p.startsWith('/proc/sys/')) return null;
  const parts = p.slice('/proc/sys/'.length).split('/').filter((x) => x !== '');
  // a device's dots are slashes in the dotted key (procps' '.' <-> '/' swap)
  return procPathToKey(parts);
}

/** Text of /proc/sys/... (value + "\n"), or null if there is no such file. Throws EACCES/EIO/EISDIR like read(2). */
export function procSysRead(world: World, nsId: NsId, path: string): string | null {
  const key = procSysKey(path);
  if (key === null || key === '') return null;
  const st = sysctlStat(world, nsId, key);
  if (!st) return null;
  if (st.type === 'dir') throw new KernelError('EISDIR');
  return sysctlGet(world, nsId, key) + '\n';
}

/** Write to /proc/sys/... Throws ENOENT, EACCES (read-only file), EINVAL. */
export function procSysWrite(world: World, nsId: NsId, path: string, content: string): void {
  const key = procSysKey(path);
  if (key === null || key === '') throw new KernelError('EISDIR');
  const st = sysctlStat(world, nsId, key);
  if (!st) throw new KernelError('ENOENT');
  if (st.type === 'dir') throw new KernelError('EISDIR');
  if ((st.mode & 0o200) === 0) throw new KernelError('EACCES');
  // open(O_TRUNC) writes nothing; a write(2) of no bytes changes nothing
  if (content === '') return;
  sysctlSet(world, nsId, key, content);
}

/** Entries of the /proc/sys directory `path`, or null when it is not a directory. */
export function procSysList(world: World, nsId: NsId, path: string): string[] | null {
  const key = procSysKey(path);
  if (key === null) return null;
  if (key === '') return ['net'];
  return sysctlChildren(world, nsId, key)?.map((c) => c.replaceAll('/', '.')) ?? null;
}

/** stat() of a /proc/sys path. */
export function procSysStat(world: World, nsId: NsId, path: string): SysctlStat | null {
  const key = procSysKey(path);
  if (key === null) return null;
  return sysctlStat(world, nsId, key);
}
