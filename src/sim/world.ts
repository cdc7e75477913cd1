// The World: the whole simulated state plus the operations that change it.
// State lives in `this.state` as plain data (see types.ts); every operation
// is a method (or a function in a sibling module taking the World) that
// either succeeds or throws a KernelError.
import type { Host, HostId, Netns, NsId, WorldState } from './types';
import { KernelError } from './errors';
import { sysctlDev } from './if-sysctl';
import { addIfSysctls, newSysctlTable } from './sysctl-table';
import { defaultSysctls } from './sysctl-defaults';
import { compactHosts, compactState, expandState } from './compact';
import { NsTable } from './ns-table';
import { encodeSharedText } from './sibling-delta';

export { defaultSysctls };
import { linkByIndex, makeLoopback } from './netdev';
import { defaultRules } from './rule';
import { addrconfDown, addrconfUp } from './addr';
import { bootKernel } from './boot';

export interface WorldOptions {
  seed?: number;
}

export class World {
  state: WorldState;
  /** the namespaces as saved at the last snapshot, and which were reached since (ns-table.ts) */
  readonly table: NsTable;
  /** how many snapshots so far differed from the one before in more than the clock (Undo's "did it change?") */
  changes = 0;
  /** the last snapshot's text without the clock and the namespaces */
  private lastRest: string | null = null;
  /** tests and the fuzzer: compare every incremental snapshot with a whole one (throws on a difference) */
  static checkSnapshots = false;

  /** `saved`: state.namespaces holds namespaces in their saved form (World.restore), expanded when reached */
  constructor(state: WorldState, saved = false) {
    bootKernel();
    this.table = new NsTable(state.namespaces, saved);
    state.namespaces = this.table.view;
    this.state = state;
  }

  static create(opts: WorldOptions = {}): World {
    const seed = (opts.seed ?? 1) >>> 0;
    return new World({
      version: 1,
      seed,
      clock: 0,
      rng: seed || 0x9e3779b9,
      hosts: {},
      namespaces: {},
      segments: {},
      nextNsSerial: 1,
      nextSocketId: 1,
      serial: 1,
    });
  }

  /**
   * JSON text of the whole state, in its saved form (compact.ts: version 2, without what a fresh kernel holds
   * anyway). Namespaces not reached since the last snapshot keep their saved text (ns-table.ts), so the cost
   * follows what changed; the rest of the state (hosts, segments, the cluster) is encoded whole.
   */
  snapshot(): string {
    const parts: string[] = [];
    let rest = '';
    let nsChanged = false;
    let nsText = '';
    let nsAt = -1;
    for (const k of Object.keys(this.state) as (keyof WorldState)[]) {
      let text: string | undefined;
      if (k === 'namespaces') {
        const ns = this.table.savedText();
        text = nsText = ns.text;
        nsChanged = ns.changed;
        nsAt = parts.length;
      } else {
        text = k === 'hosts' ? encodeSharedText(compactHosts(this.state.hosts)) : k === 'kube' ? encodeSharedText(this.state.kube) : JSON.stringify(k === 'version' ? 2 : this.state[k]);
        if (k !== 'clock' && text !== undefined) rest += `${k}:${text}\n`;
      }
      if (text !== undefined) parts.push(`${JSON.stringify(k)}:${text}`);
    }
    if (nsChanged || rest !== this.lastRest) this.changes++;
    this.lastRest = rest;
    const head = `{${parts.slice(0, nsAt).map((p) => `${p},`).join('')}"namespaces":`;
    const tail = `${parts.slice(nsAt + 1).map((p) => `,${p}`).join('')}}`;
    const out = head + nsText + tail;
    if (World.checkSnapshots) {
      const whole = JSON.stringify(compactState({ ...this.state, namespaces: this.table.plain() }));
      if (whole !== out) throw new Error('world snapshot: the incremental text differs from the whole one (a namespace changed without being reached through world.state.namespaces)');
    }
    return out;
  }

  /** A world from its saved text: version 2 (compact.ts), or version 1 (every field, saves of earlier builds). */
  static restore(json: string): World {
    return World.restoreData(JSON.parse(json));
  }

  /** World.restore of the parsed text (the caller gives up the data: the world is made of it) */
  static restoreData(parsed: unknown): World {
    const data = parsed as { version?: unknown; namespaces?: unknown } | null;
    const saved = !!data && data.version === 2;
    const state = expandState(data, { namespaces: false }) as WorldState;
    if (!state || state.version !== 1 || typeof state.namespaces !== 'object' || state.namespaces === null) throw new Error('unsupported world snapshot');
    return new World(state, saved);
  }

  /** An independent copy (the whole state, not the saved form). */
  clone(): World {
    return new World(JSON.parse(JSON.stringify({ ...this.state, namespaces: this.table.plain() })) as WorldState);
  }

  // ------------------------------------------------------------ randomness

  /** Deterministic PRNG (mulberry32) over the world's state: a float in [0, 1). */
  random(): number {
    let t = (this.state.rng = (this.state.rng + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A random locally administered unicast MAC, as the kernel's eth_random_addr(). */
  randomMac(): string {
    const b: number[] = [];
    for (let i = 0; i < 6; i++) b.push(Math.floor(this.random() * 256));
    b[0] = (b[0]! & 0xfe) | 0x02;
    return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
  }

  nextSerial(): number {
    return this.state.serial++;
  }

  // ------------------------------------------------------------ clock

  now(): number {
    return this.state.clock;
  }

  /** Advance simulated time; timers (DAD, neighbour states, conntrack) are evaluated lazily against the clock. */
  advance(ms: number): void {
    if (ms > 0) this.state.clock += ms;
  }

  // ------------------------------------------------------------ hosts and namespaces

  host(id: HostId): Host {
    const h = this.state.hosts[id];
    if (!h) throw new KernelError('ENOENT');
    return h;
  }

  ns(id: NsId): Netns {
    const n = this.state.namespaces[id];
    if (!n) throw new KernelError('ENOENT');
    return n;
  }

  /** Create a host with a root namespace holding only `lo` (DOWN), as a fresh kernel has. */
  addHost(id: HostId, hostname = id): Host {
    if (this.state.hosts[id]) throw new KernelError('EEXIST');
    const host: Host = { id, hostname, rootNs: '', netns: {}, files: {}, processes: [], nextPid: 100 };
    this.state.hosts[id] = host;
    host.rootNs = this.newNamespace(id, null).id;
    return host;
  }

  /** sethostname(2) for the host's UTS name: EINVAL beyond HOST_NAME_MAX (64 bytes). */
  setHostname(id: HostId, name: string): void {
    const h = this.host(id);
    if (new TextEncoder().encode(name).length > 64) throw new KernelError('EINVAL');
    h.hostname = name;
  }

  /** A new namespace with its loopback (ifindex 1, DOWN, qdisc noop). */
  newNamespace(host: HostId, name: string | null): Netns {
    const id = `ns${this.state.nextNsSerial++}`;
    const ns: Netns = {
      id,
      host,
      name,
      created: this.nextSerial(),
      links: [],
      nextIfindex: 1,
      addrs: [],
      routes: [],
      neigh: [],
      rules: defaultRules(),
      fibTables: [],
      sysctl: newSysctlTable(defaultSysctls()),
      netfilter: { tables: {}, conntrack: [], nextConntrackId: 1 },
      sockets: [],
      nsids: {},
    };
    this.state.namespaces[id] = ns;
    const lo = makeLoopback(this, ns.nextIfindex++);
    addIfSysctls(ns, lo);
    ns.links.push(lo);
    return ns;
  }

  // ------------------------------------------------------------ sysctls with kernel side effects

  /**
   * Write a sysctl of a namespace and apply what the kernel does on that
   * write: ip_forward and conf.all.forwarding mirror each other and set every
   * interface's forwarding; disable_ipv6 (all or per interface) removes or
   * restores IPv6 on the links. The caller validates the key and value.
   */
  setSysctl(nsId: NsId, key: string, value: string): void {
    const ns = this.ns(nsId);
    ns.sysctl[key] = value;
    if (key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') {
      const v = value.trim() === '0' ? '0' : '1';
      ns.sysctl['net.ipv4.ip_forward'] = v;
      ns.sysctl['net.ipv4.conf.all.forwarding'] = v;
      ns.sysctl['net.ipv4.conf.default.forwarding'] = v;
      for (const l of ns.links) ns.sysctl[`net.ipv4.conf.${sysctlDev(l.name)}.forwarding`] = v;
      return;
    }
    if (key === 'net.ipv6.conf.all.forwarding') {
      for (const l of ns.links) ns.sysctl[`net.ipv6.conf.${sysctlDev(l.name)}.forwarding`] = value;
      ns.sysctl['net.ipv6.conf.default.forwarding'] = value;
      return;
    }
    const m = /^net\.ipv6\.conf\.([^.]+)\.disable_ipv6$/.exec(key);
    if (m) {
      const targets = m[1] === 'all' ? ns.links : m[1] === 'default' ? [] : ns.links.filter((l) => sysctlDev(l.name) === m[1]);
      if (m[1] === 'all') for (const l of ns.links) ns.sysctl[`net.ipv6.conf.${sysctlDev(l.name)}.disable_ipv6`] = value;
      for (const l of targets) {
        const link = linkByIndex(ns, l.ifindex)!;
        if (value.trim() !== '0') addrconfDown(this, ns, link);
        else addrconfUp(this, ns, link);
      }
    }
  }
}
