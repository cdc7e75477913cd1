// Calico's iptables dataplane (Felix) for NetworkPolicy, as the filter
// table of a node: the rules are built here from the policies and pods, and
// written through src/sim's netfilter transaction API (sync.ts), so the
// packet engine really drops what a policy does not allow and the counters
// of `iptables -L -n -v` move.
//
// Layout (Felix's, see README.md for what is simplified):
//   FORWARD  -j cali-FORWARD (first rule)   ... -m mark --mark 0x10000/0x10000 -j ACCEPT (last)
//   INPUT    -j cali-INPUT (first rule)     OUTPUT -j cali-OUTPUT (first rule)
//   cali-FORWARD: clear the scratch marks, -i cali+ → cali-from-wl-dispatch,
//                 -o cali+ → cali-to-wl-dispatch
//   cali-from-wl-dispatch / cali-to-wl-dispatch: -i/-o caliXXX -g cali-fw-/cali-tw-caliXXX, else DROP "Unknown interface"
//   cali-tw-<iface> (to the workload = its ingress policy), cali-fw-<iface> (from it = egress):
//     established → ACCEPT, invalid → DROP, clear 0x10000;
//     with policies: clear 0x20000 ("Start of policies"), each policy chain while
//     0x20000 is clear, RETURN on 0x10000 ("Return if policy accepted"), DROP while
//     0x20000 is clear ("Drop if no policies passed packet");
//     without: the namespace's and service account's profile chains (accept)
//   cali-pi-<policy> / cali-po-<policy>: per rule, MARK --set-xmark 0x10000/0x10000 on a match, then RETURN on 0x10000
//   cali-pri-/cali-pro-kns.<ns>, cali-pri-/cali-pro-_<ksa hash>: the profiles (set 0x10000, RETURN)
//   cali-INPUT: -i cali+ -g cali-wl-to-host; cali-wl-to-host: cali-from-wl-dispatch, then ACCEPT
//               (DefaultEndpointToHostAction ACCEPT, the manifest's)
//   cali-OUTPUT: traffic of the node to its own workloads is not policed (RETURN on -o cali+)
// Selectors are matched by Felix through ipsets (cali40s:...); the simulated
// kernel has no ipset, so each member address is a rule of its own (-s/-d
// ADDR/32), and an ipBlock's except is rendered as the CIDRs that remain.
import { sha256 } from '@noble/hashes/sha2.js';
import { newRule, type NfTableName } from '../../sim/netfilter';
import type { Rule, RuleMatch } from '../../sim/types';
import { fromLabelSelector, matches } from '../api/selectors';
import { ipBlockMatches, peerMatches, policyTypes, resolveNamedPort, selects, type PolicyPod, type PolicyWorld } from '../policy/evaluate';

export const ACCEPT_MARK = 0x10000;
export const PASS_MARK = 0x20000;

function b64url(bytes: Uint8Array): string {
  let s = '';
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    s += A[(n >> 18) & 63]! + A[(n >> 12) & 63]! + A[(n >> 6) & 63]! + A[n & 63]!;
  }
  return s;
}

const hash = (s: string) => b64url(sha256(new TextEncoder().encode(s)));

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A rule's `cali:` id: 16 base64url characters, stable for the rule's place and content (two FNV-1a rounds; Felix's are sha224-based). */
function ruleId(s: string): string {
  let h1 = 2166136261;
  let h2 = 0x811c9dc5 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 16777619) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x01000193) >>> 0;
    h2 = (h2 ^ (h2 >>> 13)) >>> 0;
  }
  let out = '';
  for (let i = 0; i < 16; i++) {
    const x = i < 8 ? h1 : h2;
    out += B64[(x >>> ((i % 8) * 4)) & 63 ^ (i * 7) & 63]!;
  }
  return out;
}

/** Felix's length-limited chain names (28 characters): prefix + id, or prefix + "_" + hash when too long. */
const names = new Map<string, string>();
export function chainName(prefix: string, id: string): string {
  if (prefix.length + id.length <= 28) return prefix + id;
  const key = prefix + id;
  let n = names.get(key);
  if (n === undefined) {
    n = `${prefix}_${hash(id).slice(0, 28 - prefix.length - 1)}`;
    if (names.size > 50_000) names.clear();
    names.set(key, n);
  }
  return n;
}

/** The Calico CNI plugin's host-side interface name: "cali" + 11 hex of sha1(namespace.pod). */
export function caliIfaceName(namespace: string, pod: string, sha1hex: (s: string) => string): string {
  return `cali${sha1hex(`${namespace}.${pod}`).slice(0, 11)}`;
}

export const policyId = (np: any) => `${np.metadata?.namespace ?? 'default'}/knp.default.${np.metadata?.name}`;

/** A rule line: chain, rule (with its cali:<hash> comment first, as Felix writes them). */
export interface ChainRule {
  chain: string;
  rule: Rule;
}

export interface CalicoChains {
  table: NfTableName;
  /** user chains, in the order Felix creates them */
  chains: string[];
  rules: ChainRule[];
}

type Spec = {
  proto?: string;
  src?: string;
  dst?: string;
  in?: string;
  out?: string;
  matches?: RuleMatch[];
  target: string;
  opts?: Record<string, string>;
  goto?: boolean;
  comment?: string;
};

class Builder {
  chains: string[] = [];
  rules: ChainRule[] = [];
  private names = new Set<string>();
  private seen = new Map<string, number>();
  chain(name: string): void {
    if (this.names.has(name)) return;
    this.names.add(name);
    this.chains.push(name);
  }
  has(name: string): boolean {
    return this.names.has(name);
  }
  /** rules built before (a cache): appended as they are */
  push(rules: ChainRule[]): void {
    for (const r of rules) this.rules.push(r);
  }
  add(chain: string, s: Spec): void {
    // the id stands for the rule's content (and its occurrence among equal rules of the chain), so that an
    // insertion leaves the ids of the rules after it alone and sync.ts rewrites only what changed
    const content = `${chain}|${s.target}|${s.src ?? ''}|${s.dst ?? ''}|${s.in ?? ''}|${s.out ?? ''}|${s.proto ?? ''}|${s.comment ?? ''}|${s.goto ? 'g' : ''}|${s.matches ? JSON.stringify(s.matches) : ''}|${s.opts ? JSON.stringify(s.opts) : ''}`;
    const k = this.seen.get(content) ?? 0;
    this.seen.set(content, k + 1);
    const id = ruleId(`${content}|${k}`);
    const ms: RuleMatch[] = [{ name: 'comment', options: { comment: `cali:${id}` } }];
    if (s.comment) ms.push({ name: 'comment', options: { comment: s.comment } });
    if (s.matches) ms.push(...s.matches);
    this.rules.push({
      chain,
      rule: newRule({
        protocol: s.proto ?? null,
        source: s.src ?? null,
        destination: s.dst ?? null,
        inIface: s.in ?? null,
        outIface: s.out ?? null,
        matches: ms,
        target: s.target,
        targetOptions: s.opts ?? {},
        goto: !!s.goto,
      }),
    });
  }
}

/** Chains built in earlier syncs, by what they depend on (rules are plain data, shared between syncs and worlds). */
const built = new Map<string, ChainRule[]>();
function cached(b: Builder, key: string | null, make: (b: Builder) => void): void {
  const hit = key === null ? undefined : built.get(key);
  if (hit) return b.push(hit);
  const sub = new Builder();
  make(sub);
  if (key !== null) {
    if (built.size > 20_000) built.clear();
    built.set(key, sub.rules);
  }
  b.push(sub.rules);
}

const mark = (m: string): RuleMatch => ({ name: 'mark', options: { mark: m }, invert: {} });
const ct = (st: string): RuleMatch => ({ name: 'conntrack', options: { ctstate: st }, invert: {} });
const setMark = (v: string) => ({ target: 'MARK', opts: { 'set-xmark': v } });
const hex = (n: number) => `0x${n.toString(16)}`;

/** A workload endpoint on this node. */
export interface LocalEndpoint {
  iface: string;
  pod: PolicyPod;
  serviceAccount: string;
}

/** CIDR arithmetic for ipBlock except: the prefixes of `cidr` that are outside every except. */
export function subtractCidrs(cidr: string, except: string[]): string[] {
  const parse = (c: string): [number, number] => {
    const [a, l] = c.split('/');
    const n = a!.split('.').reduce((x, o) => x * 256 + Number(o), 0);
    return [n, Number(l)];
  };
  const fmt = ([n, l]: [number, number]) => `${[24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')}/${l}`;
  let parts: [number, number][] = [parse(cidr)];
  for (const e of except) {
    const [en, el] = parse(e);
    const next: [number, number][] = [];
    for (const [pn, pl] of parts) {
      const size = 2 ** (32 - pl);
      const esize = 2 ** (32 - el);
      if (en + esize <= pn || en >= pn + size) next.push([pn, pl]); // disjoint
      else if (el <= pl) continue; // except covers it
      else {
        // split until the except is carved out
        let cur: [number, number] = [pn, pl];
        while (cur[1] < el) {
          const half = 2 ** (32 - cur[1] - 1);
          const lo: [number, number] = [cur[0], cur[1] + 1];
          const hi: [number, number] = [cur[0] + half, cur[1] + 1];
          if (en >= hi[0]) {
            next.push(lo);
            cur = hi;
          } else {
            next.push(hi);
            cur = lo;
          }
        }
      }
    }
    parts = next;
  }
  return parts.map(fmt);
}

/** Addresses (CIDRs) a rule's peers stand for; null = any. */
function peerCidrs(np: any, peers: any[] | undefined, pods: PolicyPod[], w: PolicyWorld): string[] | null {
  if (!peers || peers.length === 0) return null;
  const out = new Set<string>();
  for (const p of peers) {
    if (p.ipBlock) {
      if (!p.ipBlock.cidr?.includes('.')) continue;
      for (const c of subtractCidrs(p.ipBlock.cidr, (p.ipBlock.except ?? []).filter((e: string) => e.includes('.')))) out.add(c);
      continue;
    }
    for (const pod of pods) if (peerMatches(np, p, { pod, ip: pod.ip }, w)) out.add(`${pod.ip}/32`);
  }
  return [...out];
}

/** Port specs of a rule: null = any protocol and port. Named ports resolve per destination pod. */
type PortSpec = { proto: string; dports?: string; dst?: string };
function portSpecs(rule: any, dstPods: PolicyPod[]): PortSpec[] | null {
  const ports: any[] | undefined = rule.ports;
  if (!ports || ports.length === 0) return null;
  const out: PortSpec[] = [];
  for (const p of ports) {
    const proto = (p.protocol ?? 'TCP').toLowerCase();
    if (p.port === undefined || p.port === null) out.push({ proto });
    else if (typeof p.port === 'string' && !/^\d+$/.test(p.port)) {
      for (const d of dstPods) {
        const n = resolveNamedPort(d, p.port, (p.protocol ?? 'TCP') as string);
        if (n !== null) out.push({ proto, dports: String(n), dst: `${d.ip}/32` });
      }
    } else out.push({ proto, dports: p.endPort !== undefined && p.endPort !== null ? `${p.port}:${p.endPort}` : String(p.port) });
  }
  return out;
}

function policyChain(b: Builder, name: string, np: any, dir: 'Ingress' | 'Egress', pods: PolicyPod[], w: PolicyWorld): void {
  b.chain(name);
  const rules: any[] = (dir === 'Ingress' ? np.spec?.ingress : np.spec?.egress) ?? [];
  const selected = pods.filter((p) => selects(np, p));
  for (const r of rules) {
    const peers = peerCidrs(np, dir === 'Ingress' ? r.from : r.to, pods, w);
    if (peers && peers.length === 0) continue; // selects nobody (yet)
    // named ports are the destination's: for ingress the selected pods, for egress the peers
    const to: any[] = r.to ?? [];
    const dstPods = dir === 'Ingress' ? selected : to.length ? pods.filter((p) => to.some((peer) => peerMatches(np, peer, { pod: p, ip: p.ip }, w))) : pods;
    const ports = portSpecs(r, dstPods);
    if (ports && ports.length === 0) continue;
    const addr = peers ?? [null];
    let wrote = false;
    for (const a of addr) {
      for (const ps of ports ?? [null]) {
        const spec: Spec = { ...setMark(`${hex(ACCEPT_MARK)}/${hex(ACCEPT_MARK)}`) };
        if (dir === 'Ingress' && a) spec.src = a;
        if (dir === 'Egress' && a) spec.dst = a;
        if (ps) {
          spec.proto = ps.proto;
          if (ps.dst) {
            if (dir === 'Egress' && spec.dst && !ipBlockMatches({ cidr: spec.dst }, ps.dst.split('/')[0]!)) continue;
            spec.dst = ps.dst;
          }
          if (ps.dports) spec.matches = [{ name: 'multiport', options: { dports: ps.dports } }];
        }
        b.add(name, spec);
        wrote = true;
      }
    }
    if (wrote) b.add(name, { matches: [mark(`${hex(ACCEPT_MARK)}/${hex(ACCEPT_MARK)}`)], target: 'RETURN' });
  }
}

function profileChains(b: Builder, dir: 'i' | 'o', ns: string, sa: string): string[] {
  const kns = chainName(`cali-pr${dir}-`, `kns.${ns}`);
  const ksa = chainName(`cali-pr${dir}-`, `ksa.${ns}.${sa}`);
  for (const c of [kns, ksa]) {
    if (b.has(c)) continue;
    b.chain(c);
    if (c === kns) {
      b.add(c, setMark(`${hex(ACCEPT_MARK)}/${hex(ACCEPT_MARK)}`));
      b.add(c, { matches: [mark(`${hex(ACCEPT_MARK)}/${hex(ACCEPT_MARK)}`)], target: 'RETURN' });
    }
  }
  return [kns, ksa];
}

/**
 * The filter table Felix programs on a node: `local` are the node's workload
 * endpoints (pods with a cali* interface here), `pods` every pod with an IP
 * in the cluster (selector members), `w` the policies and namespaces.
 */
export function calicoFilterChains(local: LocalEndpoint[], pods: PolicyPod[], w: PolicyWorld, podsKey: string | null = null): CalicoChains {
  const b = new Builder();
  for (const c of ['cali-FORWARD', 'cali-INPUT', 'cali-OUTPUT', 'cali-from-wl-dispatch', 'cali-to-wl-dispatch', 'cali-wl-to-host', 'cali-from-host-endpoint', 'cali-to-host-endpoint']) b.chain(c);
  const m = (v: number) => `${hex(v)}/${hex(v)}`;
  b.add('cali-FORWARD', { ...setMark('0x0/0xe0000') });
  b.add('cali-FORWARD', { in: 'cali+', target: 'cali-from-wl-dispatch' });
  b.add('cali-FORWARD', { out: 'cali+', target: 'cali-to-wl-dispatch' });
  b.add('cali-FORWARD', { target: 'cali-to-host-endpoint' });
  b.add('cali-INPUT', { in: 'cali+', target: 'cali-wl-to-host', goto: true });
  b.add('cali-INPUT', { matches: [mark(m(ACCEPT_MARK))], target: 'ACCEPT' });
  b.add('cali-INPUT', { ...setMark('0x0/0xf0000') });
  b.add('cali-INPUT', { target: 'cali-from-host-endpoint' });
  b.add('cali-INPUT', { matches: [mark(m(ACCEPT_MARK))], target: 'ACCEPT', comment: 'Host endpoint policy accepted packet.' });
  b.add('cali-OUTPUT', { matches: [mark(m(ACCEPT_MARK))], target: 'ACCEPT' });
  b.add('cali-OUTPUT', { out: 'cali+', target: 'RETURN' });
  b.add('cali-OUTPUT', { ...setMark('0x0/0xf0000') });
  b.add('cali-OUTPUT', { target: 'cali-to-host-endpoint' });
  b.add('cali-OUTPUT', { matches: [mark(m(ACCEPT_MARK))], target: 'ACCEPT', comment: 'Host endpoint policy accepted packet.' });
  b.add('cali-wl-to-host', { target: 'cali-from-wl-dispatch' });
  b.add('cali-wl-to-host', { target: 'ACCEPT', comment: 'Configured DefaultEndpointToHostAction' });
  const sorted = [...local].sort((a, c) => (a.iface < c.iface ? -1 : 1));
  for (const e of sorted) b.add('cali-from-wl-dispatch', { in: e.iface, target: chainName('cali-fw-', e.iface), goto: true });
  b.add('cali-from-wl-dispatch', { target: 'DROP', comment: 'Unknown interface' });
  for (const e of sorted) b.add('cali-to-wl-dispatch', { out: e.iface, target: chainName('cali-tw-', e.iface), goto: true });
  b.add('cali-to-wl-dispatch', { target: 'DROP', comment: 'Unknown interface' });
  const policyChains = new Set<string>();
  const sortedPolicies = [...w.policies].sort((a, c) => (policyId(a) < policyId(c) ? -1 : 1));
  for (const e of sorted) {
    for (const [dir, type, prefix] of [['tw', 'Ingress', 'cali-pi-'], ['fw', 'Egress', 'cali-po-']] as const) {
      const c = chainName(`cali-${dir}-`, e.iface);
      const applying = sortedPolicies.filter((np) => policyTypes(np).includes(type) && selects(np, e.pod));
      const pcs = applying.map((np) => chainName(prefix, policyId(np)));
      applying.forEach((np, i) => {
        const pc = pcs[i]!;
        if (policyChains.has(pc)) return;
        policyChains.add(pc);
        b.chain(pc);
        cached(b, podsKey === null ? null : `${pc}|${type}|${np.metadata?.namespace}|${JSON.stringify(np.spec)}|${podsKey}`, (sub) => policyChain(sub, pc, np, type, pods, w));
      });
      const [kns, ksa] = profileChains(b, dir === 'tw' ? 'i' : 'o', e.pod.namespace, e.serviceAccount);
      b.chain(c);
      cached(b, `${c}|${pcs.join(',')}|${kns}|${ksa}`, (sub) => {
        sub.add(c, { matches: [ct('RELATED,ESTABLISHED')], target: 'ACCEPT' });
        sub.add(c, { matches: [ct('INVALID')], target: 'DROP' });
        sub.add(c, { ...setMark(`0x0/${hex(ACCEPT_MARK)}`) });
        if (dir === 'fw') sub.add(c, { proto: 'udp', matches: [{ name: 'udp', options: { dport: '4789' }, invert: {} }], target: 'DROP', comment: 'Drop VXLAN encapped packets originating in workloads' });
        if (pcs.length) {
          sub.add(c, { ...setMark(`0x0/${hex(PASS_MARK)}`), comment: 'Start of policies' });
          for (const pc of pcs) {
            sub.add(c, { matches: [mark(`0x0/${hex(PASS_MARK)}`)], target: pc });
            sub.add(c, { matches: [mark(m(ACCEPT_MARK))], target: 'RETURN', comment: 'Return if policy accepted' });
          }
          sub.add(c, { matches: [mark(`0x0/${hex(PASS_MARK)}`)], target: 'DROP', comment: 'Drop if no policies passed packet' });
        }
        sub.add(c, { target: kns! });
        sub.add(c, { matches: [mark(m(ACCEPT_MARK))], target: 'RETURN', comment: 'Return if profile accepted' });
        sub.add(c, { target: ksa! });
        sub.add(c, { matches: [mark(m(ACCEPT_MARK))], target: 'RETURN', comment: 'Return if profile accepted' });
        sub.add(c, { target: 'DROP', comment: 'Drop if no profiles matched' });
      });
    }
  }
  return { table: 'filter', chains: b.chains, rules: b.rules };
}

/** The rules Felix keeps in the built-in chains (hashes fixed per rule, as Felix's are). */
export function calicoHooks(): { chain: string; rule: Rule; position: 'first' | 'last' }[] {
  const b = new Builder();
  b.add('FORWARD', { target: 'cali-FORWARD' });
  b.add('INPUT', { target: 'cali-INPUT' });
  b.add('OUTPUT', { target: 'cali-OUTPUT' });
  b.add('FORWARD-tail', { matches: [mark(`${hex(ACCEPT_MARK)}/${hex(ACCEPT_MARK)}`)], target: 'ACCEPT', comment: 'Policy explicitly accepted packet.' });
  b.add('FORWARD-tail', { ...setMark(`${hex(ACCEPT_MARK)}/${hex(ACCEPT_MARK)}`) });
  return b.rules.map((r) => (r.chain === 'FORWARD-tail' ? { chain: 'FORWARD', rule: r.rule, position: 'last' as const } : { chain: r.chain, rule: r.rule, position: 'first' as const }));
}

export { matches, fromLabelSelector, ipBlockMatches };
