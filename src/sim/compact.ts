// The saved form of a world (World.snapshot, version 2): the same JSON data without what a fresh kernel would
// hold anyway. A record's field equal to its usual value is left out (a link's zero counters, an address's
// `peer: null`, a rule's `sourceInvert: false`...); a namespace's sysctls are kept as the keys that differ from
// those a namespace with its links starts with (sorted, `null` for a key that is gone); a namespace's policy
// rules equal to the kernel's three default rules are left out; a host file whose text is the one every fresh
// host has (/etc/services, /etc/protocols...) is marked `"=": 1` instead of carrying its text.
//
// expandState(compactState(s)) gives back s field for field (only the order of a record's keys may differ, which
// nothing reads), and compactState(expandState(c)) gives back c exactly, so a restored world saves the same text.
// A field absent from a record whose usual value would be filled in is listed in the record's `"~"`.
// The hosts table (after the above) and the cluster's state (world.state.kube) are saved with their look-alike
// records as differences from earlier ones (sibling-delta.ts: a worker's files beside the control plane's, the
// pods of a DaemonSet); saves made before that (plain tables) read as they are. A host's own namespace saves its
// netfilter tables as the first host namespace's difference (shareNetfilter, below).
// A saved version 1 world (every field, before this format) is read as it is.
import type { Link, Netns, WorldState } from './types';
import { defaultSysctls } from './sysctl-defaults';
import { interfaceSysctls, sysctlDev } from './if-sysctl';
import { addUsualIfSysctls, deviceEntry, deviceKey, deviceKeyCount, newSysctlTable, sysctlStore, type SysctlStore } from './sysctl-table';
import { defaultRules } from './rule';
import { defaultHostFiles } from './files';
import { applyDifference, decodeShared, difference, encodeShared } from './sibling-delta';

/** a field without a usual value: kept whenever the record has it */
const KEEP = Symbol('keep');

interface Codec {
  enc(v: unknown): unknown;
  dec(v: unknown): unknown;
}
/** a record's codec, and the fields it fills in with their usual value when absent (unless listed in `"~"`) */
interface RecCodec extends Codec {
  usual: readonly string[];
}
type Field = readonly [key: string, usual: unknown, codec?: Codec];

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function put(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** deep equality of plain JSON data (key order ignored) */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** a fresh copy of a usual value (records must not share objects) */
function fresh(v: unknown): unknown {
  return typeof v === 'object' && v !== null ? JSON.parse(JSON.stringify(v)) : v;
}

/** A record with usual values: fields in the template's order, then the record's other fields in their order. */
function rec(fields: readonly Field[]): RecCodec {
  const known = new Set(fields.map((f) => f[0]));
  return {
    usual: fields.filter((f) => f[1] !== KEEP).map((f) => f[0]),
    enc(v) {
      if (!isObj(v)) return v;
      const out: Record<string, unknown> = {};
      let absent: string[] | null = null;
      for (const [k, usual, c] of fields) {
        const x = Object.hasOwn(v, k) ? v[k] : undefined;
        if (x === undefined) {
          if (usual !== KEEP) (absent ??= []).push(k);
          continue;
        }
        if (usual !== KEEP && same(x, usual)) continue;
        out[k] = c ? c.enc(x) : x;
      }
      for (const k of Object.keys(v)) if (!known.has(k) && v[k] !== undefined) put(out, k, v[k]);
      if (absent) out['~'] = absent;
      return out;
    },
    dec(c) {
      if (!isObj(c)) return c;
      const gone = Array.isArray(c['~']) ? new Set(c['~']) : null;
      const out: Record<string, unknown> = {};
      for (const [k, usual, codec] of fields) {
        if (Object.hasOwn(c, k)) out[k] = codec ? codec.dec(c[k]) : c[k];
        else if (usual !== KEEP && !gone?.has(k)) out[k] = fresh(usual);
      }
      for (const k of Object.keys(c)) if (!known.has(k) && k !== '~') put(out, k, c[k]);
      return out;
    },
  };
}

const arr = (c: Codec): Codec => ({
  enc: (v) => (Array.isArray(v) ? v.map((x) => c.enc(x)) : v),
  dec: (v) => (Array.isArray(v) ? v.map((x) => c.dec(x)) : v),
});

/** a table keyed by names (namespaces, hosts, netfilter tables, files) */
const map = (c: Codec): Codec => {
  const each = (v: unknown, f: (x: unknown) => unknown) => {
    if (!isObj(v)) return v;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) put(out, k, f(v[k]));
    return out;
  };
  return { enc: (v) => each(v, (x) => c.enc(x)), dec: (v) => each(v, (x) => c.dec(x)) };
};

// ------------------------------------------------------------ the records' usual values

const ZERO_STATS = { rxPackets: 0, rxBytes: 0, rxErrors: 0, rxDropped: 0, txPackets: 0, txBytes: 0, txErrors: 0, txDropped: 0, multicast: 0 };

const LINK = rec([
  ['ifindex', KEEP], ['name', KEEP], ['kind', KEEP], ['mtu', 1500], ['mac', KEEP], ['broadcast', 'ff:ff:ff:ff:ff:ff'],
  ['adminUp', true], ['qdisc', 'noqueue'], ['qlen', 1000], ['group', 'default'], ['master', null], ['alias', null],
  ['peer', null], ['segment', null], ['bridge', null], ['portState', 0], ['stats', ZERO_STATS], ['upSince', 0],
  ['homeNs', null], ['ipv6', true], ['addrconf', true], ['created', KEEP],
]);

const ADDRESS = rec([
  ['family', KEEP], ['ifindex', KEEP], ['local', KEEP], ['prefixlen', KEEP], ['broadcast', null], ['peer', null],
  ['scope', KEEP], ['label', null], ['tentativeUntil', null], ['permanent', true], ['validLft', null],
  ['preferredLft', null], ['seq', KEEP], ['secondary', false], ['noprefixroute', false],
]);

const ROUTE = rec([
  ['family', 4], ['table', 255], ['type', 'local'], ['dst', KEEP], ['dstLen', KEEP], ['oif', KEEP], ['prefsrc', null],
  ['metric', 0], ['scope', KEEP], ['gateway', null], ['protocol', 'kernel'], ['onlink', false], ['mtu', null], ['seq', KEEP],
]);

const NEIGH = rec([
  ['family', 4], ['ifindex', KEEP], ['dst', KEEP], ['lladdr', KEEP], ['state', KEEP], ['router', false],
  ['updated', 0], ['used', 0], ['probes', 0],
]);

const SOCKET = rec([
  ['id', KEEP], ['seq', KEEP], ['proto', 'tcp'], ['family', KEEP], ['localAddr', KEEP], ['localPort', KEEP],
  ['remoteAddr', KEEP], ['remotePort', 0], ['state', 'LISTEN'], ['pid', KEEP], ['fd', KEEP], ['backlog', 4096],
  ['recvQ', 0], ['sendQ', 0], ['service', null], ['peer', null], ['expires', null], ['reuseAddr', true],
]);

const NF_RULE = rec([
  ['protocol', null], ['protocolInvert', false], ['source', null], ['sourceInvert', false], ['destination', null],
  ['destinationInvert', false], ['inIface', null], ['inIfaceInvert', false], ['outIface', null], ['outIfaceInvert', false],
  ['fragment', null], ['matches', []], ['target', KEEP], ['targetOptions', {}], ['goto', false], ['packets', 0], ['bytes', 0],
]);

const CHAIN = rec([['name', KEEP], ['builtin', false], ['policy', null], ['rules', [], arr(NF_RULE)], ['packets', 0], ['bytes', 0]]);
const NF_TABLE = rec([['name', KEEP], ['chains', KEEP, arr(CHAIN)], ['initialised', true]]);
const NETFILTER = rec([['tables', {}, map(NF_TABLE)], ['tables6', KEEP, map(NF_TABLE)], ['conntrack', []], ['nextConntrackId', 1]]);

const NETNS = rec([
  ['id', KEEP], ['host', KEEP], ['name', KEEP], ['created', KEEP], ['links', KEEP, arr(LINK)], ['nextIfindex', KEEP],
  ['addrs', KEEP, arr(ADDRESS)], ['routes', KEEP, arr(ROUTE)], ['neigh', [], arr(NEIGH)], ['rules', defaultRules()],
  ['fibTables', KEEP], ['sysctl', KEEP], ['netfilter', { tables: {}, conntrack: [], nextConntrackId: 1 }, NETFILTER],
  ['sockets', [], arr(SOCKET)], ['nsids', {}],
]);

const PROCESS = rec([
  ['pid', KEEP], ['comm', KEEP], ['argv', KEEP], ['ns', KEEP], ['nextFd', KEEP], ['heldFds', [0, 1, 2]],
  ['role', { kind: 'daemon' }], ['started', 0],
]);

const FILE = rec([['type', 'dir'], ['content', KEEP], ['target', KEEP], ['mode', 0o755], ['mtime', 0]]);

const HOST = rec([
  ['id', KEEP], ['hostname', KEEP], ['rootNs', KEEP], ['netns', KEEP], ['files', KEEP], ['processes', [], arr(PROCESS)], ['nextPid', KEEP],
]);

// ------------------------------------------------------------ sysctls: the difference from a namespace's start

const BASE = defaultSysctls();
const BASE_KEYS = Object.keys(BASE);
const IF_PREFIXES = ['net.ipv4.conf.', 'net.ipv6.conf.', 'net.ipv4.neigh.', 'net.ipv6.neigh.'];

/** a device's keys as [prefix, suffix, usual value] (the device's name goes between) */
function ifTemplate(ifname: 'lo' | 'eth0'): [string, string, string][] {
  const dev = ifname;
  return Object.entries(interfaceSysctls(ifname)).map(([k, v]) => {
    const p = IF_PREFIXES.find((x) => k.startsWith(x + dev + '.'))!;
    return [p, k.slice(p.length + dev.length + 1), v];
  });
}
const IF_KEYS = ifTemplate('eth0');
const LO_KEYS = ifTemplate('lo');
const IF_USUAL = new Map(IF_KEYS.map(([p, s, v]) => [p + s, v]));
const LO_USUAL = new Map(LO_KEYS.map(([p, s, v]) => [p + s, v]));

/** a device's key names, by device (kept from one snapshot to the next: a big namespace is saved often) */
const keyNames = new Map<string, string[]>();
function linkKeys(dev: string, lo: boolean): string[] {
  const id = (lo ? 'L' : 'I') + dev;
  let keys = keyNames.get(id);
  if (!keys) {
    if (keyNames.size > 20_000) keyNames.clear();
    keys = (lo ? LO_KEYS : IF_KEYS).map(([p, s]) => `${p}${dev}.${s}`);
    keyNames.set(id, keys);
  }
  return keys;
}

/** a device's usual value of its template's j-th key */
const linkUsual = (l: Link, lo: boolean, j: number): string => {
  const [p, s, v] = (lo ? LO_KEYS : IF_KEYS)[j]!;
  return !lo && s === 'mtu' && p === 'net.ipv6.conf.' ? String(l.mtu) : v;
};

/** the namespace's devices by their name in sysctl keys, or null when two names collide (or with all/default) */
function devices(links: Link[]): Map<string, Link> | null {
  const devs = new Map<string, Link>();
  for (const l of links) {
    if (!isObj(l) || typeof l.name !== 'string') continue;
    const dev = sysctlDev(l.name);
    if (devs.has(dev) || Object.hasOwn(BASE, `net.ipv4.conf.${dev}.forwarding`)) return null;
    devs.set(dev, l);
  }
  return devs;
}

/** the sysctls a namespace with these links starts with (the order newNamespace and addIfSysctls give them) */
function baseSysctls(links: unknown): Record<string, string> {
  const out: Record<string, string> = { ...BASE };
  for (const l of Array.isArray(links) ? (links as Link[]) : []) {
    if (!isObj(l) || typeof l.name !== 'string') continue;
    const lo = l.kind === 'loopback';
    const keys = linkKeys(sysctlDev(l.name), lo);
    for (let j = 0; j < keys.length; j++) out[keys[j]!] = linkUsual(l, lo, j);
  }
  return out;
}

/** the usual value of `key` in a namespace whose devices are `devs` (undefined: not a key such a namespace starts with) */
function usualSysctl(key: string, devs: Map<string, Link>): string | undefined {
  if (Object.hasOwn(BASE, key)) return BASE[key];
  for (const p of IF_PREFIXES) {
    if (!key.startsWith(p)) continue;
    const dot = key.indexOf('.', p.length);
    if (dot < 0) return undefined;
    const link = devs.get(key.slice(p.length, dot));
    if (!link) return undefined;
    const s = key.slice(dot + 1);
    if (link.kind === 'loopback') return LO_USUAL.get(p + s);
    if (s === 'mtu' && p === 'net.ipv6.conf.') return String(link.mtu);
    return IF_USUAL.get(p + s);
  }
  return undefined;
}

const BASE_VALUES = BASE_KEYS.map((k) => BASE[k]!);

// A namespace's sysctls are many (a bridge host of a thousand ports: 60,000 keys) and rarely written: once a
// namespace has been saved, its table is a Proxy that counts writes (trackSysctls), and its difference is kept
// until the table is written or its devices' names, kinds or MTUs (what the usual values depend on) change.
const sysctlWrites = new WeakMap<object, { writes: number }>();
const diffCache = new WeakMap<object, { writes: number; sig: string; diff: unknown }>();
/** compactState (the whole snapshot unit tests compare each incremental one with) computes every difference afresh */
let diffCacheOff = false;

/** Make `ns.sysctl` a table that counts its writes (idempotent; same keys, values and order). A table made by
 * sysctl-table.ts counts its own. */
export function trackSysctls(ns: Netns): void {
  const table: unknown = ns.sysctl;
  if (!isObj(table) || sysctlWrites.has(table) || sysctlStore(table)) return;
  const count = { writes: 0 };
  const tracked = new Proxy(table, {
    set: (t, k, v) => (count.writes++, Reflect.set(t, k, v)),
    deleteProperty: (t, k) => (count.writes++, Reflect.deleteProperty(t, k)),
    defineProperty: (t, k, d) => (count.writes++, Reflect.defineProperty(t, k, d)),
  });
  sysctlWrites.set(tracked, count);
  ns.sysctl = tracked as Record<string, string>;
}

/** what a namespace's usual sysctl values depend on: its devices' names, loopback or not, MTUs */
function linksSig(links: unknown[]): string {
  let sig = '';
  for (const l of links) sig += isObj(l) && typeof l.name === 'string' ? `${l.name}\0${l.kind === 'loopback' ? 1 : 0}${String(l.mtu)}\n` : '-\n';
  return sig;
}

function sysctlDiff(sysctl: unknown, links: unknown): unknown {
  // (compactState, the whole snapshot the incremental ones are checked against, reads a table through its keys)
  const store = diffCacheOff ? undefined : sysctlStore(sysctl);
  const count = isObj(sysctl) && Array.isArray(links) && !diffCacheOff ? sysctlWrites.get(sysctl) ?? store?.count : undefined;
  if (!count) return sysctlDiffOf(sysctl, links);
  const sig = linksSig(links as unknown[]);
  const hit = diffCache.get(sysctl as object);
  if (hit && hit.writes === count.writes && hit.sig === sig) return hit.diff;
  const diff = store ? storeDiff(store, sysctl as Record<string, string>, links as Link[]) : sysctlDiffOf(sysctl, links);
  diffCache.set(sysctl as object, { writes: count.writes, sig, diff });
  return diff;
}

function sysctlDiffOf(sysctl: unknown, links: unknown): unknown {
  if (!isObj(sysctl) || !Array.isArray(links)) return sysctl;
  const devs = devices(links as Link[]);
  if (!devs) return { '*': sysctl }; // device names that collide: kept whole
  const diff: [string, string | null][] = [];
  let present = 0;
  const check = (k: string, usual: string) => {
    const v = Object.hasOwn(sysctl, k) ? sysctl[k] : undefined;
    if (v === undefined) diff.push([k, null]);
    else {
      present++;
      if (v !== usual) diff.push([k, v as string]);
    }
  };
  for (let i = 0; i < BASE_KEYS.length; i++) check(BASE_KEYS[i]!, BASE_VALUES[i]!);
  for (const [dev, l] of devs) {
    const lo = l.kind === 'loopback';
    const keys = linkKeys(dev, lo);
    for (let j = 0; j < keys.length; j++) check(keys[j]!, linkUsual(l, lo, j));
  }
  // keys no fresh namespace has (written by sysctl -w), in the namespace's order
  if (present !== Object.keys(sysctl).length) for (const k of Object.keys(sysctl)) if (usualSysctl(k, devs) === undefined) diff.push([k, sysctl[k] as string]);
  diff.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const [k, v] of diff) put(out, k, v);
  return out;
}

/**
 * sysctlDiffOf of a table made by sysctl-table.ts, from what it stores: the namespace's own keys, and the devices'
 * entries (a device's value that differs from its kernel default): the same difference, without reading a bridge
 * host's 60,000 keys one by one.
 */
function storeDiff(s: SysctlStore, table: Record<string, string>, links: Link[]): unknown {
  const devs = devices(links);
  if (!devs) return sysctlDiffOf(table, links);
  const base = s.base;
  const diff: [string, string | null][] = [];
  const check = (k: string, v: string | null | undefined, usual: string) => {
    if (v == null) diff.push([k, null]);
    else if (v !== usual) diff.push([k, v]);
  };
  for (let i = 0; i < BASE_KEYS.length; i++) {
    const k = BASE_KEYS[i]!;
    check(k, Object.hasOwn(base, k) ? base[k] : undefined, BASE_VALUES[i]!);
  }
  const n = deviceKeyCount();
  for (const [dev, l] of devs) {
    const lo = l.kind === 'loopback';
    const e = deviceEntry(s, dev);
    if (!e) {
      // no entry: whatever keys the device has are the namespace's own
      const keys = linkKeys(dev, lo);
      for (let j = 0; j < keys.length; j++) check(keys[j]!, Object.hasOwn(base, keys[j]!) ? base[keys[j]!] : undefined, linkUsual(l, lo, j));
    } else if (e.lo !== lo) {
      for (let j = 0; j < n; j++) {
        const v = e.vals.get(j);
        check(deviceKey(dev, j), v === undefined ? e.defaults[j]! : v, linkUsual(l, lo, j));
      }
    } else {
      // the keys without a value of their own hold the kernel default, the usual value but for the MTU's
      for (const [j, v] of e.vals) check(deviceKey(dev, j), v, linkUsual(l, lo, j));
      if (!e.vals.has(e.mtu)) check(deviceKey(dev, e.mtu), e.defaults[e.mtu]!, linkUsual(l, lo, e.mtu));
    }
  }
  // keys no fresh namespace has: the namespace's own that are nobody's usual, and every key of a device not listed
  for (const k of Object.keys(base)) if (usualSysctl(k, devs) === undefined) diff.push([k, base[k]!]);
  for (const dev of s.devs.keys()) {
    if (devs.has(dev)) continue;
    const e = deviceEntry(s, dev)!;
    for (let j = 0; j < n; j++) {
      const v = e.vals.get(j);
      if (v !== null) diff.push([deviceKey(dev, j), v ?? e.defaults[j]!]);
    }
  }
  diff.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const [k, v] of diff) put(out, k, v);
  return out;
}

function sysctlExpand(diff: unknown, links: unknown): unknown {
  if (!isObj(diff)) return diff;
  if (Object.hasOwn(diff, '*')) return diff['*'];
  // a table as sysctl-table.ts makes it: the namespace's keys, an entry for each device (its MTU), then the difference
  const list = Array.isArray(links) ? (links as Link[]) : [];
  const out = list.some((l) => !isObj(l) || typeof l.name !== 'string') ? baseSysctls(links) : newSysctlTable({ ...BASE });
  if (sysctlStore(out)) for (const l of list) addUsualIfSysctls(out, l);
  for (const k of Object.keys(diff)) {
    const v = diff[k];
    if (v === null) delete out[k];
    else put(out, k, v as string);
  }
  return out;
}

// ------------------------------------------------------------ files every fresh host has

function filesEnc(files: unknown, hostname: unknown): unknown {
  if (!isObj(files)) return files;
  const usual = typeof hostname === 'string' ? defaultHostFiles(hostname) : {};
  const out: Record<string, unknown> = {};
  for (const path of Object.keys(files)) {
    const node = files[path];
    const c = FILE.enc(node);
    if (isObj(node) && isObj(c) && Object.hasOwn(usual, path) && node.content === usual[path] && Object.hasOwn(c, 'content')) {
      delete c.content;
      c['='] = 1;
    }
    put(out, path, c);
  }
  return out;
}

function filesDec(files: unknown, hostname: unknown): unknown {
  if (!isObj(files)) return files;
  let usual: Record<string, string> | null = null;
  const out: Record<string, unknown> = {};
  for (const path of Object.keys(files)) {
    let c = files[path];
    if (isObj(c) && c['='] === 1) {
      usual ??= typeof hostname === 'string' ? defaultHostFiles(hostname) : {};
      const { '=': _mark, ...rest } = c;
      c = Object.hasOwn(usual, path) ? { ...rest, content: usual[path] } : rest;
    }
    put(out, path, FILE.dec(c));
  }
  return out;
}

// ------------------------------------------------------------ the world

function nsEnc(ns: unknown): unknown {
  const c = NETNS.enc(ns);
  if (isObj(ns) && isObj(c) && Object.hasOwn(c, 'sysctl')) c.sysctl = sysctlDiff(ns.sysctl, ns.links);
  return c;
}

function nsDec(c: unknown): unknown {
  const ns = NETNS.dec(c);
  if (isObj(ns) && Object.hasOwn(ns, 'sysctl')) ns.sysctl = sysctlExpand(ns.sysctl, ns.links);
  return ns;
}

function hostEnc(h: unknown): unknown {
  const c = HOST.enc(h);
  if (isObj(h) && isObj(c) && Object.hasOwn(c, 'files')) c.files = filesEnc(h.files, h.hostname);
  return c;
}

function hostDec(c: unknown): unknown {
  const h = HOST.dec(c);
  if (isObj(h) && Object.hasOwn(h, 'files')) h.files = filesDec(h.files, h.hostname);
  return h;
}

// ------------------------------------------------------------ a node's netfilter as the first node's difference

// kube-proxy (and Flannel, Calico) write the same chains on every node, each node creating them in its own order:
// a host's own namespace (its name null) other than the table's first saves its netfilter tables as their
// difference from the first one's, chains compared by name (`{"^": BASE_NSID, "d": PATCH, "o"?: ORDER}`,
// sibling-delta.ts), when that saves a quarter of their text. The namespace table (ns-table.ts) saves such a
// namespace again whenever the first one's tables change.

/** the namespace the others' netfilter tables are saved against: the table's first host namespace */
export function baseNsId(table: Record<string, unknown>): string | null {
  for (const id of Object.keys(table)) {
    const ns = table[id];
    if (isObj(ns) && ns.name === null) return id;
  }
  return null;
}

/** a saved netfilter record with each table's chains keyed by name (null: another shape, or two chains of a name) */
function keyedNf(nf: unknown): Record<string, unknown> | null {
  if (!isObj(nf) || Object.hasOwn(nf, '^')) return null;
  const out: Record<string, unknown> = { ...nf };
  for (const fam of ['tables', 'tables6']) {
    if (!Object.hasOwn(nf, fam)) continue;
    const tables = nf[fam];
    if (!isObj(tables)) return null;
    const ts: Record<string, unknown> = {};
    for (const tn of Object.keys(tables)) {
      const t = tables[tn];
      if (!isObj(t) || !Array.isArray(t.chains)) return null;
      const chains: Record<string, unknown> = {};
      for (const c of t.chains) {
        if (!isObj(c) || typeof c.name !== 'string' || Object.hasOwn(chains, c.name)) return null;
        put(chains, c.name, c);
      }
      put(ts, tn, { ...t, chains });
    }
    out[fam] = ts;
  }
  return out;
}

/** keyedNf's inverse */
function unkeyedNf(k: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...k };
  for (const fam of ['tables', 'tables6']) {
    const tables = k[fam];
    if (!isObj(tables)) continue;
    const ts: Record<string, unknown> = {};
    for (const tn of Object.keys(tables)) {
      const t = tables[tn];
      put(ts, tn, isObj(t) && isObj(t.chains) ? { ...t, chains: Object.values(t.chains) } : t);
    }
    out[fam] = ts;
  }
  return out;
}

/** A saved namespace with its netfilter as the base namespace's difference when it is a host's own and that pays. */
/** keyedNf of a first namespace's saved tables, by their object (a saved form is never changed once made): the same base serves every namespace of every save until its tables change */
const keyedBases = new WeakMap<object, Record<string, unknown> | null>();

export function shareNetfilter(c: unknown, baseId: string | null, baseNf: unknown): unknown {
  if (!isObj(c) || baseId === null || c.name !== null || c.id === baseId || !Object.hasOwn(c, 'netfilter')) return c;
  let a = typeof baseNf === 'object' && baseNf !== null ? keyedBases.get(baseNf) : undefined;
  if (a === undefined) {
    a = keyedNf(baseNf);
    if (typeof baseNf === 'object' && baseNf !== null) keyedBases.set(baseNf, a);
  }
  const b = a && keyedNf(c.netfilter);
  const d = a && b && difference(a, b);
  return d ? { ...c, netfilter: { '^': baseId, ...d } } : c;
}

/** A saved namespace whose netfilter is another's difference, with its netfilter read back (others as they are). */
export function resolveNetfilter(table: Record<string, unknown>, c: unknown): unknown {
  if (!isObj(c) || !isObj(c.netfilter) || typeof c.netfilter['^'] !== 'string') return c;
  const base = Object.hasOwn(table, c.netfilter['^']) ? table[c.netfilter['^']] : undefined;
  const keyed = applyDifference(keyedNf(isObj(base) ? base.netfilter : undefined) ?? {}, c.netfilter);
  return { ...c, netfilter: unkeyedNf(keyed) };
}

/** a saved namespace table with every netfilter saved as a difference read back */
function resolveTable(table: unknown): unknown {
  if (!isObj(table)) return table;
  let out: Record<string, unknown> | null = null;
  for (const id of Object.keys(table)) {
    const c = resolveNetfilter(table, table[id]);
    if (c === table[id]) continue;
    out ??= { ...table };
    put(out, id, c);
  }
  return out ?? table;
}

/** a saved namespace table with the host namespaces' netfilter shared, each big namespace's look-alike parts too */
function shareTable(table: unknown): unknown {
  if (!isObj(table)) return table;
  const baseId = baseNsId(table);
  const baseNf = baseId !== null && isObj(table[baseId]) ? (table[baseId] as Record<string, unknown>).netfilter : undefined;
  const out: Record<string, unknown> = {};
  for (const id of Object.keys(table)) put(out, id, sharedNs(shareNetfilter(table[id], baseId, baseNf)));
  return out;
}

// ------------------------------------------------------------ a big namespace's look-alike parts

// A saved namespace (after the above) of NS_SHARED_MIN to NS_SHARED_MAX characters is saved in sibling-delta.ts's
// form: a node's Calico chains for each pod (cali-tw-*, cali-fw-*) and kube-proxy's KUBE-SEP-* chains differ from each
// other in a few names and comments, its routes and sockets from the one before. Smaller ones (a pod's, a lab's
// thousand namespaces) are saved as they are, and so are bigger ones (a bridge of a thousand ports, twenty thousand
// rules: encoding them after each command would cost more than it saves); a saved namespace in that form is read back
// first (decodeNsTable).
const NS_SHARED_MIN = 4096;
const NS_SHARED_MAX = 65536;
/** the last texts made (a big namespace is saved again after most commands, often unchanged) */
const nsTexts = new Map<string, string>();
let nsTextChars = 0;

/** a saved namespace in sibling-delta.ts's form when it is big (savedNsText's data) */
function sharedNs(c: unknown): unknown {
  const text = JSON.stringify(c);
  return text === undefined || text.length < NS_SHARED_MIN || text.length > NS_SHARED_MAX ? c : encodeShared(c);
}

/** A saved namespace's text (in sibling-delta.ts's form when it is big). */
export function savedNsText(c: unknown): string {
  const text = JSON.stringify(c);
  if (text === undefined || text.length < NS_SHARED_MIN || text.length > NS_SHARED_MAX) return text;
  let out = nsTexts.get(text);
  if (out === undefined) {
    out = JSON.stringify(encodeShared(c));
    nsTextChars += text.length + out.length;
    if (nsTextChars > 2_000_000) {
      nsTexts.clear();
      nsTextChars = text.length + out.length;
    }
    nsTexts.set(text, out);
  }
  return out;
}

/** a saved namespace table with each namespace saved in sibling-delta.ts's form read back (the table itself when none is) */
function decodeNsTable(table: unknown): unknown {
  if (!isObj(table)) return table;
  let out: Record<string, unknown> | null = null;
  for (const id of Object.keys(table)) {
    const c = table[id];
    const d = decodeShared(c);
    if (d === c) continue;
    out ??= { ...table };
    put(out, id, d);
  }
  return out ?? table;
}

const NS_TABLE = map({ enc: nsEnc, dec: nsDec });
const HOST_TABLE = map({ enc: hostEnc, dec: hostDec });

/**
 * The fields a saved namespace / link may leave out (they are filled in with their usual value unless the record's
 * `"~"` lists them): for the schema (world-schema.ts), which checks a saved namespace without expanding it.
 */
export const SAVED_USUAL = { netns: NETNS.usual, link: LINK.usual } as const;

/** One namespace in its saved form, and back (the namespace table keeps each namespace's saved text apart). */
export const compactNetns = (ns: Netns): unknown => nsEnc(ns);
export const expandNetns = (c: unknown): unknown => nsDec(c);

/** The hosts table in its saved form (the part of a world saved whole after every change). */
export const compactHosts = (hosts: unknown): unknown => HOST_TABLE.enc(hosts);

/** The saved form (version 2) of a world's state. */
export function compactState(state: WorldState): Record<string, unknown> {
  diffCacheOff = true;
  try {
    const out: Record<string, unknown> = { ...state, version: 2, hosts: encodeShared(HOST_TABLE.enc(state.hosts)), namespaces: shareTable(NS_TABLE.enc(state.namespaces)) };
    if (Object.hasOwn(state, 'kube')) out.kube = encodeShared(state.kube);
    return out;
  } finally {
    diffCacheOff = false;
  }
}

/**
 * The state a saved form stands for. Version 1 (every field) is returned as it is. Data of another shape is
 * passed through unchanged where it does not fit, for the schema (world-schema.ts) to name what is wrong.
 * `namespaces: false` leaves the namespaces in their saved form (the namespace table expands each when reached).
 */
export function expandState(data: unknown, opts: { namespaces?: boolean } = {}): unknown {
  if (!isObj(data) || data.version !== 2) return data;
  const namespaces = decodeNsTable(data.namespaces);
  const out: Record<string, unknown> = { ...data, version: 1, hosts: HOST_TABLE.dec(decodeShared(data.hosts)), namespaces: opts.namespaces === false ? namespaces : NS_TABLE.dec(resolveTable(namespaces)) };
  if (Object.hasOwn(data, 'kube')) out.kube = decodeShared(data.kube);
  return out;
}
