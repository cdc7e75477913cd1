// A namespace's sysctl table (Netns.sysctl) as the kernel holds it: the namespace's own keys, and for each device
// only the values that differ from a device's kernel defaults. To every reader it is the same plain record of
// dotted keys as before (`ns.sysctl[key]`, `in`, `delete`, Object.keys, JSON): a Proxy whose traps look a device's
// key up in its device's entry. A bridge host of a thousand ports had 60,000 keys written, one by one, when its
// devices appeared, and as many deleted when they left; a device now costs an entry with its differences (none,
// usually), whatever the size of the namespace.
//
// What a device's keys hold is unchanged: when it appears, the values it starts with are the namespace's current
// `default` ones (forwarding: the current `all` one), as the kernel copies them into a new device; a later write to
// `default` changes no existing device. Only their storage differs: the entry keeps the values that differ from a
// device's kernel defaults (interfaceSysctls without a namespace), `null` for a key deleted.
//
// Tables made otherwise (a version 1 save, World.clone's JSON copy) stay plain records: every function here and
// in compact.ts takes both.
import { interfaceSysctls, sysctlDev, writeIfSysctls } from './if-sysctl';
import type { Link, Netns } from './types';

const PREFIXES = ['net.ipv4.conf.', 'net.ipv6.conf.', 'net.ipv4.neigh.', 'net.ipv6.neigh.'] as const;

interface Template {
  /** key j of a device: PREFIX[j] + dev + '.' + LEAF[j] */
  prefix: string[];
  leaf: string[];
  /** prefix + leaf -> j */
  index: Map<string, number>;
  /** the `default` key device key j copies from (PREFIX[j] + 'default.' + LEAF[j]) */
  defKey: string[];
  /** a device's kernel defaults, j by j (lo has its own) */
  ifDefaults: string[];
  loDefaults: string[];
  /** net.ipv6.conf.DEV.mtu */
  mtu: number;
  fwd4: number;
  fwd6: number;
}
let tpl: Template | null = null;

/** the key list of a device, in the order interfaceSysctls gives it (built on first use: if-sysctl.ts imports nothing from here) */
function template(): Template {
  if (tpl) return tpl;
  const t: Template = { prefix: [], leaf: [], index: new Map(), defKey: [], ifDefaults: [], loDefaults: [], mtu: -1, fwd4: -1, fwd6: -1 };
  const lo = interfaceSysctls('lo');
  for (const [k, v] of Object.entries(interfaceSysctls('eth0'))) {
    const p = PREFIXES.find((x) => k.startsWith(`${x}eth0.`))!;
    const leaf = k.slice(p.length + 5);
    const j = t.prefix.length;
    t.prefix.push(p);
    t.leaf.push(leaf);
    t.index.set(p + leaf, j);
    t.defKey.push(`${p}default.${leaf}`);
    t.ifDefaults.push(v);
    t.loDefaults.push(lo[`${p}lo.${leaf}`]!);
  }
  t.mtu = t.index.get('net.ipv6.conf.mtu')!;
  t.fwd4 = t.index.get('net.ipv4.conf.forwarding')!;
  t.fwd6 = t.index.get('net.ipv6.conf.forwarding')!;
  tpl = t;
  return t;
}

/** `net.ipv4.conf.eth0.rp_filter` -> ['eth0', j] when it names key j of a device's list (the device may not exist) */
function splitKey(key: string): [string, number] | null {
  if (!key.startsWith('net.ipv')) return null;
  const p = key.startsWith('conf.', 9) ? 14 : key.startsWith('neigh.', 9) ? 15 : -1;
  if (p < 0) return null;
  const dot = key.indexOf('.', p);
  if (dot < 0) return null;
  const j = template().index.get(key.slice(0, p) + key.slice(dot + 1));
  return j === undefined ? null : [key.slice(p, dot), j];
}

interface DevEntry {
  lo: boolean;
  /** key j's value where it differs from the device's kernel default; null: the key was deleted */
  vals: Map<number, string | null>;
}

/** What a table holds behind its Proxy. */
export interface SysctlStore {
  /** the namespace's own keys, and any key of no device's entry (written by sysctl -w, or for a device not listed) */
  base: Record<string, string>;
  /** the devices' entries, by their name in keys (dots as slashes) */
  devs: Map<string, DevEntry>;
  /** writes so far (compact.ts keeps a table's saved difference until it is written) */
  count: { writes: number };
  /** devices with keys among the namespace's own (written while they had no entry) */
  loose: Set<string>;
}

const stores = new WeakMap<object, SysctlStore>();

/** The store behind a table made by newSysctlTable (undefined: a plain record). */
export function sysctlStore(table: unknown): SysctlStore | undefined {
  return typeof table === 'object' && table !== null ? stores.get(table) : undefined;
}

const defaultOf = (d: DevEntry, j: number): string => (d.lo ? template().loDefaults[j]! : template().ifDefaults[j]!);

function devValue(s: SysctlStore, key: string): string | undefined {
  const k = splitKey(key);
  if (!k) return undefined;
  const d = s.devs.get(k[0]);
  if (!d) return undefined;
  const v = d.vals.get(k[1]);
  return v === undefined ? defaultOf(d, k[1]) : (v ?? undefined);
}

function put(base: Record<string, string>, key: string, value: string): void {
  if (key === '__proto__') Object.defineProperty(base, key, { value, writable: true, enumerable: true, configurable: true });
  else base[key] = value;
}

/** write one key (a device's into its entry) */
function write(s: SysctlStore, key: string, value: string): void {
  s.count.writes++;
  const k = splitKey(key);
  const d = k ? s.devs.get(k[0]) : undefined;
  if (k && d) {
    if (value === defaultOf(d, k[1])) d.vals.delete(k[1]);
    else d.vals.set(k[1], value);
    return;
  }
  if (k) s.loose.add(k[0]);
  put(s.base, key, value);
}

function remove(s: SysctlStore, key: string): void {
  s.count.writes++;
  const k = splitKey(key);
  const d = k ? s.devs.get(k[0]) : undefined;
  if (k && d) d.vals.set(k[1], null);
  else delete s.base[key];
}

/** every key, in order: the namespace's own, then each device's (in the order they appeared) */
function keysOf(s: SysctlStore): string[] {
  const t = template();
  const out = Object.keys(s.base);
  for (const [dev, d] of s.devs) for (let j = 0; j < t.prefix.length; j++) if (d.vals.get(j) !== null) out.push(`${t.prefix[j]}${dev}.${t.leaf[j]}`);
  return out;
}

/** the table as a plain record (JSON.stringify's copy: one object built, not 60,000 keys read through the traps) */
function plainOf(s: SysctlStore): Record<string, string> {
  const t = template();
  const out: Record<string, string> = {};
  for (const k of Object.keys(s.base)) put(out, k, s.base[k]!);
  for (const [dev, d] of s.devs) {
    const defaults = d.lo ? t.loDefaults : t.ifDefaults;
    for (let j = 0; j < t.prefix.length; j++) {
      const v = d.vals.get(j);
      if (v !== null) out[`${t.prefix[j]}${dev}.${t.leaf[j]}`] = v ?? defaults[j]!;
    }
  }
  return out;
}

/** A table holding `base` (the namespace's own keys, defaultSysctls(): none of a device's) and no device yet. */
export function newSysctlTable(base: Record<string, string>): Record<string, string> {
  const s: SysctlStore = { base, devs: new Map(), count: { writes: 0 }, loose: new Set() };
  const toJSON = () => plainOf(s);
  const table = new Proxy(base, {
    get: (t, k, r) => {
      if (typeof k !== 'string') return Reflect.get(t, k, r);
      if (Object.hasOwn(t, k)) return t[k];
      if (k === 'toJSON') return toJSON;
      return devValue(s, k) ?? Reflect.get(t, k, r);
    },
    has: (t, k) => (typeof k === 'string' && devValue(s, k) !== undefined) || Reflect.has(t, k),
    set: (t, k, v, r) => {
      if (typeof k !== 'string') return Reflect.set(t, k, v, r);
      write(s, k, v as string);
      return true;
    },
    defineProperty: (t, k, desc) => {
      if (typeof k !== 'string' || !('value' in desc)) return Reflect.defineProperty(t, k, desc);
      write(s, k, desc.value as string);
      return true;
    },
    deleteProperty: (t, k) => {
      if (typeof k !== 'string') return Reflect.deleteProperty(t, k);
      remove(s, k);
      return true;
    },
    ownKeys: () => keysOf(s),
    getOwnPropertyDescriptor: (t, k) => {
      if (typeof k !== 'string' || Object.hasOwn(t, k)) return Reflect.getOwnPropertyDescriptor(t, k);
      const v = devValue(s, k);
      return v === undefined ? undefined : { value: v, writable: true, enumerable: true, configurable: true };
    },
  });
  stores.set(table, s);
  return table;
}

/** can a device of this name have an entry? (not `all` or `default`, whose keys are the namespace's own) */
const entryName = (dev: string): boolean => dev !== 'all' && dev !== 'default';

/** a device getting an entry: its keys among the namespace's own go (the entry gives their values) */
function moveIn(s: SysctlStore, dev: string): void {
  if (!s.loose.delete(dev)) return;
  const t = template();
  for (let j = 0; j < t.prefix.length; j++) delete s.base[`${t.prefix[j]}${dev}.${t.leaf[j]}`];
}

/**
 * A device's entry from the values it starts with (`vals`: a device's every key as writeIfSysctls gives them):
 * kept are those that differ from its kernel defaults. Keys of that device written before without an entry move in.
 */
function setEntry(s: SysctlStore, dev: string, lo: boolean, vals: Record<string, string>): void {
  const t = template();
  const d: DevEntry = { lo, vals: new Map() };
  const defaults = lo ? t.loDefaults : t.ifDefaults;
  moveIn(s, dev);
  for (let j = 0; j < t.prefix.length; j++) {
    const key = `${t.prefix[j]}${dev}.${t.leaf[j]}`;
    const v = Object.hasOwn(vals, key) ? vals[key] : undefined;
    if (v === undefined) d.vals.set(j, null);
    else if (v !== defaults[j]) d.vals.set(j, v);
  }
  s.devs.delete(dev);
  s.devs.set(dev, d);
  s.count.writes++;
}

/**
 * A device appeared in the namespace (created, or moved in): its keys, with the values the kernel copies from the
 * namespace's current `default` (forwarding: `all`), and net.ipv6.conf.DEV.mtu its MTU.
 */
export function addIfSysctls(ns: Netns, link: Link): void {
  const dev = sysctlDev(link.name);
  const s = sysctlStore(ns.sysctl);
  // (a loopback device not named lo, or another device named lo, takes the keys as writeIfSysctls gives them)
  if (!s || !entryName(dev) || (link.kind === 'loopback') !== (dev === 'lo')) {
    writeIfSysctls(ns.sysctl, link.name, ns);
    if (link.kind === 'loopback') ns.sysctl['net.ipv6.conf.lo.mtu'] = '65536';
    else ns.sysctl[`net.ipv6.conf.${dev}.mtu`] = String(link.mtu);
    return;
  }
  enter(s, dev, link, true);
}

/**
 * A device's entry: what writeIfSysctls and addIfSysctls would write (`copy`: the namespace's `default` values, lo
 * keeping its own for the keys it sets, forwarding from `all`; else the kernel defaults), and the MTU; kept are the
 * values that differ from the kernel defaults. The device's keys the namespace held without an entry move in.
 */
function enter(s: SysctlStore, dev: string, link: Link, copy: boolean): void {
  const t = template();
  const lo = link.kind === 'loopback';
  const defaults = lo ? t.loDefaults : t.ifDefaults;
  const d: DevEntry = { lo, vals: new Map() };
  const base = s.base;
  moveIn(s, dev);
  for (let j = 0; j < t.prefix.length; j++) {
    let v: string;
    if (j === t.mtu) v = lo ? '65536' : String(link.mtu);
    else if (!copy || t.prefix[j]!.endsWith('neigh.') || (lo && defaults[j] !== t.ifDefaults[j])) v = defaults[j]!;
    else if (j === t.fwd4) v = base['net.ipv4.conf.all.forwarding'] ?? '0';
    else if (j === t.fwd6) v = base['net.ipv6.conf.all.forwarding'] ?? '0';
    else v = base[t.defKey[j]!] ?? t.ifDefaults[j]!;
    if (v !== defaults[j]) d.vals.set(j, v);
  }
  s.devs.delete(dev);
  s.devs.set(dev, d);
  s.count.writes++;
}

/** For compact.ts (a saved namespace expanded): a device's entry with its usual values (kernel defaults, its MTU). */
export function addUsualIfSysctls(table: Record<string, string>, link: Link): void {
  const dev = sysctlDev(link.name);
  const s = sysctlStore(table);
  if (s && entryName(dev)) enter(s, dev, link, false);
  else {
    const usual = interfaceSysctls(link.name);
    if (link.kind !== 'loopback') usual[`net.ipv6.conf.${dev}.mtu`] = String(link.mtu);
    Object.assign(table, usual);
  }
}

/** A device left the namespace (deleted, or moved out): its keys go. */
export function removeIfSysctls(ns: Netns, name: string): void {
  const dev = sysctlDev(name);
  const s = sysctlStore(ns.sysctl);
  const t = template();
  if (s && s.devs.delete(dev)) {
    s.count.writes++;
    return;
  }
  for (let j = 0; j < t.prefix.length; j++) delete ns.sysctl[`${t.prefix[j]}${dev}.${t.leaf[j]}`];
}

/** `ip link set X name Y`: Y's keys hold X's values; a key X no longer had starts as a new device's would. */
export function renameIfSysctls(ns: Netns, from: string, to: string): void {
  const fresh = interfaceSysctls(to, ns);
  for (const k of Object.keys(interfaceSysctls(from))) {
    const v = ns.sysctl[k];
    delete ns.sysctl[k];
    if (v === undefined) continue;
    const nk = k.replace(`.${sysctlDev(from)}.`, `.${sysctlDev(to)}.`);
    if (nk in fresh) fresh[nk] = v;
  }
  const s = sysctlStore(ns.sysctl);
  const n = sysctlDev(to);
  if (s && entryName(n) && to !== 'lo') {
    s.devs.delete(sysctlDev(from));
    setEntry(s, n, false, fresh);
  } else Object.assign(ns.sysctl, fresh);
}

/** For compact.ts: device `dev`'s key j, and the device's entry (undefined: none) */
export function deviceKey(dev: string, j: number): string {
  const t = template();
  return `${t.prefix[j]}${dev}.${t.leaf[j]}`;
}
export function deviceEntry(s: SysctlStore, dev: string): { lo: boolean; vals: ReadonlyMap<number, string | null>; defaults: readonly string[]; mtu: number } | undefined {
  const d = s.devs.get(dev);
  return d && { lo: d.lo, vals: d.vals, defaults: d.lo ? template().loDefaults : template().ifDefaults, mtu: template().mtu };
}
export const deviceKeyCount = (): number => template().prefix.length;
