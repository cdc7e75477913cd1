// The course's one grading library: predicates over the simulated state and
// probes of its effects, used by the quizzes' command questions
// (src/labs/quiz) and by the drills (src/labs/drills).
//
// Three kinds of check, in the order a requirement should prefer them:
//   - effects, by probes: `pings`, `httpAnswers`, `resolves`, `tcpConnects`.
//     A probe runs in a fresh shell (no learner functions, aliases,
//     variables, working directory or ssh logins) on a copy of the world, on
//     the host it names (never the host the learner's terminal happens to be
//     logged into): see `Probe` and src/labs/probe.ts. Checks have no other
//     way to run a command, so no check can run in the learner's shell.
//   - state, read from the kernel's effective state: `forwards` (every sysctl
//     that decides forwarding, per interface), `natVerdict`/`masquerades`
//     (the whole nat POSTROUTING traversal, user chains included), addresses,
//     routes (the FIB's choice), files.
//   - constraints, end state against start state over exactly what the task
//     protects: `unchangedNs` ("change nothing on the host"), `unchangedObjects`
//     ("do not delete X" in the cluster).
//
// Drill helpers return `true` or a sentence naming what is wrong ("veth-red
// is not up"), written for the learner in the task's terms. Quiz helpers
// (`fail`, `pass`, output readers) build a command question's result.
//
// `netns` arguments are namespace names as `ip netns` shows them, or null for
// the host's own (root) namespace.
import ipaddr from 'ipaddr.js';
import { own } from '../sim/own';
import type { World } from '../sim/world';
import type { Address, Chain, Host, HostId, Link, Netns, Route, Rule } from '../sim/types';
import { readHostFile } from '../sim/files';
import { ipv4ForwardingOn, sysctlValue as kernelSysctl } from '../sim/proc-sys';
import { runTableHook, type NfPacket } from '../sim/netfilter';
import { addrTypeOf } from '../sim/packet-nf';
import { kube } from '../k8s/cluster';
import { saveRule } from '../commands/iptables/save';
import { nameDb } from '../commands/iptables/names';
import type { Sys } from '../commands/types';

// ================================================================== contexts

/** Met, or the reason it is not, naming what is wrong. */
export type Verdict = true | string;

export interface ProbeResult {
  output: string;
  exitCode: number;
}

/**
 * Where a probe runs: on `host` (default: the drill's or question's own host,
 * whatever host the learner's terminal is logged into), optionally inside
 * the named network namespace `netns` (`ip netns exec NETNS ...`), or inside
 * the network namespace of the pod `pod` on its node (its /etc/netns
 * resolv.conf and hosts apply, as in the pod).
 */
export interface ProbeFrom {
  host?: HostId;
  netns?: string | null;
  pod?: { namespace: string; name: string };
}

/** Run one command line in a fresh shell on a copy of the world (see the header). */
export type Probe = (line: string, from?: ProbeFrom) => Promise<ProbeResult>;

/** What every check sees: copies of the end (and start) state and a probe. Nothing here reaches the learner's shell. */
export interface GradingContext {
  /** a copy of the world as the learner left it (read it: changing it changes nothing) */
  readonly world: World;
  /** a copy of the world at the start of the attempt, for constraints ("change nothing on the host") */
  readonly start: World;
  /** the drill's (or question's) own host: the default for probes and state checks */
  readonly host: HostId;
  probe: Probe;
}

export type Where = string | null;

/** "in namespace red" / "on the host" (or "on host router" when the host matters). */
export function where(netns: Where, host?: HostId): string {
  if (netns) return `in namespace ${netns}`;
  return host ? `on host ${host}` : 'on the host';
}

// ================================================================== namespaces and links

export function hostOf(world: World, host: HostId): Host | null {
  return own(world.state.hosts, host) ?? null;
}

export function nsOf(world: World, host: HostId, netns: Where): Netns | null {
  const h = hostOf(world, host);
  if (!h) return null;
  const id = netns == null ? h.rootNs : own(h.netns, netns);
  return id ? (world.state.namespaces[id] ?? null) : null;
}

/** A host's root namespace, or null when the host does not exist. */
export function rootNs(world: World, host: HostId): Netns | null {
  return nsOf(world, host, null);
}

/** A named network namespace of a host (`ip netns add NAME`), or null. */
export function namedNs(world: World, host: HostId, name: string): Netns | null {
  return nsOf(world, host, name);
}

export function linkOf(ns: Netns | null, dev: string): Link | null {
  return ns?.links.find((l) => l.name === dev) ?? null;
}
export const linkByName = linkOf;

export function linkByIndex(ns: Netns | null, ifindex: number): Link | null {
  return ns?.links.find((l) => l.ifindex === ifindex) ?? null;
}

/** The namespace and link at the other end of a veth, or null. */
export function vethPeer(world: World, link: Link | null): { ns: Netns; link: Link } | null {
  if (!link?.peer) return null;
  const ns = world.state.namespaces[link.peer.ns];
  const peer = ns ? linkByIndex(ns, link.peer.ifindex) : null;
  return ns && peer ? { ns, link: peer } : null;
}

function nsMissing(netns: Where): string {
  return netns ? `there is no namespace ${netns}` : 'the host is missing';
}

/** The named namespace exists. */
export function nsExists(world: World, host: HostId, netns: string): Verdict {
  return nsOf(world, host, netns) ? true : `there is no namespace ${netns}`;
}

/** The interface exists where expected (and, if given, is of that kind). */
export function linkExists(world: World, host: HostId, netns: Where, dev: string, kind?: Link['kind']): Verdict {
  const ns = nsOf(world, host, netns);
  if (!ns) return nsMissing(netns);
  const l = linkOf(ns, dev);
  if (!l) return `there is no interface ${dev} ${where(netns)}`;
  if (kind && l.kind !== kind) return `${dev} ${where(netns)} is a ${l.kind} link, not a ${kind}`;
  return true;
}

/** The interface is administratively up (`ip link set DEV up`). */
export function linkUp(world: World, host: HostId, netns: Where, dev: string): Verdict {
  const exists = linkExists(world, host, netns, dev);
  if (exists !== true) return exists;
  const l = linkOf(nsOf(world, host, netns), dev)!;
  return l.adminUp ? true : `${dev} is not up`;
}

/** `a` and `b` are the two ends of one veth pair. */
export function vethPair(world: World, host: HostId, a: { netns: Where; dev: string }, b: { netns: Where; dev: string }): Verdict {
  for (const end of [a, b]) {
    const r = linkExists(world, host, end.netns, end.dev, 'veth');
    if (r !== true) return r;
  }
  const la = linkOf(nsOf(world, host, a.netns), a.dev)!;
  const nsb = nsOf(world, host, b.netns)!;
  const lb = linkOf(nsb, b.dev)!;
  if (!la.peer || la.peer.ns !== nsb.id || la.peer.ifindex !== lb.ifindex) {
    return `${a.dev} ${where(a.netns)} and ${b.dev} ${where(b.netns)} are not the two ends of one veth pair`;
  }
  return true;
}

/** `port` is enslaved to the bridge `bridge` (same namespace). */
export function attachedTo(world: World, host: HostId, netns: Where, port: string, bridge: string): Verdict {
  const b = linkExists(world, host, netns, bridge, 'bridge');
  if (b !== true) return b;
  const p = linkExists(world, host, netns, port);
  if (p !== true) return p;
  const ns = nsOf(world, host, netns)!;
  const br = linkOf(ns, bridge)!;
  return linkOf(ns, port)!.master === br.ifindex ? true : `${port} is not attached to ${bridge}`;
}

// ================================================================== addresses

export function parseV4(s: string): ipaddr.IPv4 | null {
  try {
    return ipaddr.IPv4.isValidFourPartDecimal(s) ? ipaddr.IPv4.parse(s) : null;
  } catch {
    return null;
  }
}

/** Does IPv4 address `addr` fall in `net/len`? */
export function inSubnet(addr: string, net: string, len: number): boolean {
  const a = parseV4(addr);
  const n = parseV4(net);
  if (!a || !n) return false;
  return len === 0 || a.match(n, len);
}

/** Parse "10.0.0.0/24" or a bare address (then /32); null if it is not IPv4. */
export function parseCidr(s: string): { addr: string; len: number } | null {
  const [a, l] = s.split('/');
  if (!a || !parseV4(a)) return null;
  const len = l === undefined ? 32 : Number(l);
  if (!Number.isInteger(len) || len < 0 || len > 32) return null;
  return { addr: a, len };
}

function parsePrefix(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | null {
  try {
    if (text.includes('/')) return ipaddr.parseCIDR(text);
    const a = ipaddr.parse(text);
    return [a, a.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return null;
  }
}

/** Does prefix `outer` contain prefix `inner` (both "a.b.c.d/n" or bare addresses)? */
export function covers(outer: string, inner: string): boolean {
  const o = parsePrefix(outer);
  const i = parsePrefix(inner);
  if (!o || !i || o[0].kind() !== i[0].kind()) return false;
  return o[1] <= i[1] && i[0].match(o[0] as never, o[1]);
}

/** The network address of a prefix: "10.1.2.7/24" -> "10.1.2.0/24". */
export function networkOf(cidr: string): string {
  const [a, len] = ipaddr.parseCIDR(cidr);
  const net = a.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
  return `${net.toString()}/${len}`;
}

export function sameAddr(a: string, b: string): boolean {
  try {
    return ipaddr.parse(a).toNormalizedString() === ipaddr.parse(b).toNormalizedString();
  } catch {
    return a === b;
  }
}

/** IPv4 addresses configured on a link. */
export function ipv4On(ns: Netns | null, link: Link | null): Address[] {
  if (!ns || !link) return [];
  return ns.addrs.filter((a) => a.family === 4 && a.ifindex === link.ifindex);
}

export function hasIpv4(ns: Netns | null, linkName: string, local: string, prefixlen?: number): boolean {
  return ipv4On(ns, linkOf(ns, linkName)).some((a) => a.local === local && (prefixlen === undefined || a.prefixlen === prefixlen));
}

/** `dev` carries the address `cidr` ("10.1.2.3/24"), with that prefix length. */
export function hasAddress(world: World, host: HostId, netns: Where, dev: string, cidr: string): Verdict {
  const exists = linkExists(world, host, netns, dev);
  if (exists !== true) return exists;
  const ns = nsOf(world, host, netns)!;
  const l = linkOf(ns, dev)!;
  const [want, len] = cidr.split('/') as [string, string];
  const same = ns.addrs.filter((a) => a.ifindex === l.ifindex && sameAddr(a.local, want));
  if (same.length === 0) return `${dev} ${where(netns)} has no address ${cidr}`;
  if (!same.some((a) => a.prefixlen === Number(len))) return `${dev} has ${want}/${same[0]!.prefixlen}, not /${len}`;
  return true;
}

// ================================================================== routes

function mainRoutes(ns: Netns): Route[] {
  return ns.routes.filter((r) => r.family === 4 && r.table === 254 && r.type === 'unicast');
}

export function defaultRoute(ns: Netns): Route | null {
  return mainRoutes(ns).find((r) => r.dstLen === 0) ?? null;
}

/** The gateway of the default route of the main table, or null. */
export function defaultGateway(ns: Netns | null): string | null {
  return (ns && defaultRoute(ns)?.gateway) ?? null;
}

/**
 * The route the main table would choose for an IPv4 destination: longest
 * prefix, then lowest metric. A blackhole/unreachable route wins too (and
 * then routes nowhere), as in the kernel.
 */
export function lookupRoute(ns: Netns | null, dst: string): Route | null {
  if (!ns) return null;
  let best: Route | null = null;
  for (const r of ns.routes) {
    if (r.family !== 4 || r.table !== 254) continue;
    if (!inSubnet(dst, r.dst, r.dstLen)) continue;
    if (!best || r.dstLen > best.dstLen || (r.dstLen === best.dstLen && r.metric < best.metric)) best = r;
  }
  return best;
}

/** Is `dst` reached through gateway `gw` (directly by the chosen route)? */
export function routesVia(ns: Netns | null, dst: string, gw: string): boolean {
  const r = lookupRoute(ns, dst);
  return !!r && r.type === 'unicast' && r.gateway === gw;
}

/** The namespace has a default route via `gw`. */
export function defaultVia(world: World, host: HostId, netns: Where, gw: string): Verdict {
  const ns = nsOf(world, host, netns);
  if (!ns) return nsMissing(netns);
  const d = defaultRoute(ns);
  if (!d) return `there is no default route ${where(netns)}`;
  if (!d.gateway || !sameAddr(d.gateway, gw)) return `the default route ${where(netns)} goes ${d.gateway ? `via ${d.gateway}` : 'nowhere'}, not via ${gw}`;
  return true;
}

/**
 * The route the namespace uses for `dst` (the FIB's choice: longest prefix,
 * then metric) goes via `gw`: a default route, a network route or a /32
 * host route all do.
 */
export function reachesVia(world: World, host: HostId, netns: Where, dst: string, gw: string): Verdict {
  const ns = nsOf(world, host, netns);
  if (!ns) return nsMissing(netns);
  const best = lookupRoute(ns, dst);
  if (!best) return `there is no route to ${dst} ${where(netns)}`;
  if (best.type !== 'unicast') return `the route to ${dst} ${where(netns)} is a ${best.type} route`;
  if (!best.gateway) return `the route to ${dst} ${where(netns)} has no gateway (it should go via ${gw})`;
  if (!sameAddr(best.gateway, gw)) return `the route to ${dst} ${where(netns)} goes via ${best.gateway}, not via ${gw}`;
  return true;
}

// ================================================================== sysctls and forwarding

export function sysctl(ns: Netns | null, key: string): string | null {
  return ns?.sysctl[key] ?? null;
}

export function sysctlValue(world: World, host: HostId, netns: Where, key: string): string | null {
  const ns = nsOf(world, host, netns);
  return ns ? kernelSysctl(world, ns.id, key) : null;
}

/**
 * The namespace forwards IPv4 packets that come in on each of `ifaces` (the
 * kernel decides by the input interface's `net.ipv4.conf.IF.forwarding`,
 * which `net.ipv4.ip_forward` and `conf.all.forwarding` set for every
 * interface). Without `ifaces`, every interface but lo must forward.
 */
export function forwarding(world: World, host: HostId, netns: Where, name = where(netns, host), ifaces?: string[]): Verdict {
  const ns = nsOf(world, host, netns);
  if (!ns) return nsMissing(netns);
  const devs = ifaces ?? ns.links.filter((l) => l.kind !== 'loopback').map((l) => l.name);
  const off = devs.filter((d) => !ipv4ForwardingOn(world, ns.id, d));
  if (off.length === 0 && devs.length > 0) return true;
  if (devs.length === 0) return ipv4ForwardingOn(world, ns.id, 'lo') ? true : `IP forwarding is off ${name} (net.ipv4.ip_forward = 0)`;
  if (off.length === devs.length) return `IP forwarding is off ${name} (net.ipv4.ip_forward = 0)`;
  return `IP forwarding is off ${name} for packets coming in on ${off.join(', ')} (net.ipv4.conf.${off[0]}.forwarding = 0)`;
}

// ================================================================== netfilter

export function chain(ns: Netns | null, table: string, name: string): Chain | null {
  return ns?.netfilter.tables[table]?.chains.find((c) => c.name === name) ?? null;
}

export function chainRules(ns: Netns, table: string, name: string): Rule[] {
  return chain(ns, table, name)?.rules ?? [];
}

/** Every rule of `from` and of the user chains it jumps or goes to, recursively. */
export function reachableRules(ns: Netns | null, table: string, from: string): Rule[] {
  const out: Rule[] = [];
  const seen = new Set<string>();
  const walk = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const c = chain(ns, table, name);
    if (!c) return;
    for (const r of c.rules) {
      out.push(r);
      const next = r.target ? chain(ns, table, r.target) : null;
      if (next && !next.builtin) walk(next.name);
    }
  };
  walk(from);
  return out;
}

/** A match option's value, whatever spelling the rule was stored with (dport, --dport, destination-port). */
export function matchOption(rule: Rule, ...names: string[]): string | null {
  const wanted = names.flatMap((n) => [n, `--${n}`]);
  for (const m of rule.matches) {
    for (const k of wanted) if (m.options[k] !== undefined) return m.options[k]!;
  }
  return null;
}

export function targetOption(rule: Rule, ...names: string[]): string | null {
  for (const n of names) {
    for (const k of [n, `--${n}`]) if (rule.targetOptions[k] !== undefined) return rule.targetOptions[k]!;
  }
  return null;
}

/** The destination port a rule matches (from -m tcp/udp --dport), or null. */
export function rulePort(rule: Rule): string | null {
  return matchOption(rule, 'dport', 'destination-port', 'dports');
}

/** Does a rule's address match (null = any) cover exactly this address or CIDR? */
export function ruleAddrIs(ruleAddr: string | null, want: string): boolean {
  if (!ruleAddr) return false;
  const a = parseCidr(ruleAddr);
  const b = parseCidr(want);
  return !!a && !!b && a.len === b.len && inSubnet(a.addr, b.addr, b.len) && inSubnet(b.addr, a.addr, a.len);
}

/** A rule's DNAT destination ("10.0.0.5:80"), or null when it is not DNAT. */
export function dnatTo(rule: Rule): string | null {
  if (rule.target !== 'DNAT') return null;
  return targetOption(rule, 'to-destination', 'to');
}

/** A packet as the nat/filter hooks see it: defaults for a new ICMP echo. */
function nfPacket(p: Partial<NfPacket> & { src: string; dst: string }): NfPacket {
  return { proto: 1, sport: 0, dport: 0, icmpType: 8, icmpCode: 0, tcpFlags: 0, len: 84, mark: 0, inIface: null, outIface: null, ctstate: 'NEW', ctSnat: false, ctDnat: false, fragment: false, srcMac: null, ...p };
}

/**
 * What the nat table does to a new connection's first packet at `hook`,
 * walking the whole chain traversal as the kernel does (user chains, RETURN,
 * gotos, addrtype): the NAT target that applies, or null. Runs on a copy of
 * the namespace (counters are not touched).
 */
export function natVerdict(world: World, ns: Netns, hook: 'POSTROUTING' | 'PREROUTING' | 'OUTPUT', pkt: Partial<NfPacket> & { src: string; dst: string }): { target: string; options: Record<string, string> } | null {
  const copy = JSON.parse(JSON.stringify(ns)) as Netns; // (plain data: a saved namespace's sysctls are a Proxy, ns-table.ts)
  const v = runTableHook({ world, addrType: addrTypeOf(world, copy) }, copy, 'nat', hook, nfPacket(pkt));
  return v.verdict === 'NAT' ? { target: v.target, options: v.options } : null;
}

/**
 * The namespace rewrites the source of new connections from `subnet` leaving
 * by `outIface` towards `dst` to its own address (MASQUERADE, or SNAT to an
 * address of `outIface`): the effective nat POSTROUTING traversal decides,
 * however the rules are written (user chains, a broader rule, -o or not).
 */
export function masquerades(world: World, host: HostId, netns: Where, subnet: string, opts: { outIface?: string; dst?: string } = {}): Verdict {
  const ns = nsOf(world, host, netns);
  if (!ns) return nsMissing(netns);
  const [net] = subnet.split('/') as [string];
  const n = parseV4(net);
  const src = n ? ipaddr.fromByteArray(n.toByteArray().map((b, i) => (i === 3 ? b + 10 : b))).toString() : net;
  const dst = opts.dst ?? '192.0.2.1';
  // default: the interface the namespace routes `dst` out of, else its first Ethernet NIC
  const routed = lookupRoute(ns, dst)?.oif;
  const outIface = opts.outIface ?? (routed != null ? linkByIndex(ns, routed)?.name : undefined) ?? ns.links.find((l) => l.kind === 'ether')?.name ?? null;
  const v = natVerdict(world, ns, 'POSTROUTING', { src, dst, outIface });
  const out = outIface ? linkOf(ns, outIface) : null;
  if (v?.target === 'MASQUERADE') return true;
  if (v?.target === 'SNAT') {
    const to = (v.options['to-source'] ?? '').split(/[-:]/)[0] ?? '';
    if (out && ipv4On(ns, out).some((a) => sameAddr(a.local, to))) return true;
    return `packets from ${subnet} are rewritten to ${to}, not to ${where(netns)}'s own address${outIface ? ` on ${outIface}` : ''}`;
  }
  const isSnat = (r: Rule) => r.target === 'MASQUERADE' || r.target === 'SNAT';
  if (!reachableRules(ns, 'nat', 'POSTROUTING').some(isSnat)) {
    const stray = (ns.netfilter.tables['nat']?.chains ?? []).find((c) => !c.builtin && c.rules.some(isSnat));
    if (stray) return `the MASQUERADE rule in chain ${stray.name} is never reached from POSTROUTING, so packets from ${subnet} keep their source`;
    return `the nat table has no MASQUERADE rule ${where(netns)}`;
  }
  return `no MASQUERADE rule in the nat table matches the source ${subnet}${outIface ? ` going out of ${outIface}` : ''}`;
}

/** nat/CHAIN sends tcp port `port` to `to` ("10.1.2.3:80"), through the whole traversal. */
export function dnats(world: World, host: HostId, netns: Where, hookChain: 'PREROUTING' | 'OUTPUT', port: number, to: string, opts: { dst?: string; src?: string; inIface?: string } = {}): Verdict {
  const ns = nsOf(world, host, netns);
  if (!ns) return nsMissing(netns);
  const v = natVerdict(world, ns, hookChain, { src: opts.src ?? '192.0.2.77', dst: opts.dst ?? ipv4On(ns, ns.links.find((l) => l.kind !== 'loopback') ?? null)[0]?.local ?? '192.0.2.1', proto: 6, sport: 40000, dport: port, tcpFlags: 2, inIface: hookChain === 'PREROUTING' ? (opts.inIface ?? null) : null });
  if (v?.target === 'DNAT') {
    const got = v.options['to-destination'] ?? '?';
    const [gotAddr, gotPort] = got.split(':');
    const [wantAddr, wantPort] = to.split(':');
    if (gotAddr === wantAddr && (gotPort ?? String(port)) === (wantPort ?? String(port))) return true;
    return `the DNAT rule for port ${port} sends packets to ${got}, not ${to}`;
  }
  const rules = reachableRules(ns, 'nat', hookChain).filter((r) => r.target === 'DNAT');
  if (rules.length === 0) return `the nat table's ${hookChain} chain has no DNAT rule`;
  return `no DNAT rule in ${hookChain} matches tcp destination port ${port}`;
}

// ================================================================== files

export function fileText(world: World, host: HostId, path: string): string | null {
  const h = hostOf(world, host);
  return h ? readHostFile(h, path) : null;
}

export function readFile(world: World, host: HostId, path: string): string | null {
  return fileText(world, host, path);
}

/** Lines of a file, without comments and blanks. */
export function configLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l !== '');
}

/**
 * The answer file holds the expected value (surrounding blanks and a final
 * newline ignored; `normalise` maps both sides, e.g. to lower case).
 */
export function answerFile(world: World, host: HostId, path: string, expected: string | string[], normalise: (s: string) => string = (s) => s): Verdict {
  const text = fileText(world, host, path);
  if (text == null) return `${path} does not exist`;
  const got = normalise(text.trim());
  if (got === '') return `${path} is empty`;
  const ok = (Array.isArray(expected) ? expected : [expected]).some((e) => normalise(e) === got);
  const shown = got.length > 40 ? `${got.slice(0, 40)}…` : got;
  return ok ? true : `${path} holds "${shown}", which is not the right answer`;
}

/** /etc/hosts entries: address -> names, in file order, comments dropped. */
export function hostsEntries(text: string | null): { addr: string; names: string[] }[] {
  if (!text) return [];
  const out: { addr: string; names: string[] }[] = [];
  for (const line of configLines(text)) {
    const [addr, ...names] = line.split(/\s+/);
    if (addr && names.length) out.push({ addr, names });
  }
  return out;
}

/** The address /etc/hosts gives a name (first match wins, as glibc's files backend), or null. */
export function hostsLookup(text: string | null, name: string): string | null {
  const want = name.toLowerCase();
  for (const e of hostsEntries(text)) if (e.names.some((n) => n.toLowerCase() === want) && parseV4(e.addr)) return e.addr;
  return null;
}

/** /etc/hosts maps `name` to `addr`. */
export function hostsEntry(world: World, host: HostId, name: string, addr: string): Verdict {
  const text = fileText(world, host, '/etc/hosts');
  if (text == null) return '/etc/hosts does not exist';
  const named = hostsEntries(text).filter((e) => e.names.includes(name));
  if (named.length === 0) return `/etc/hosts has no entry for ${name}`;
  // the resolver uses the first matching line
  const first = named[0]!;
  return sameAddr(first.addr, addr) ? true : `/etc/hosts maps ${name} to ${first.addr}, not ${addr}`;
}

/** `nameserver` lines of a resolv.conf, in order. */
export function nameservers(text: string | null): string[] {
  if (!text) return [];
  return text
    .split('\n')
    .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
    .filter((x): x is string => !!x);
}

/** /etc/resolv.conf names `ns` as its first nameserver. */
export function firstNameserver(world: World, host: HostId, ns: string): Verdict {
  const text = fileText(world, host, '/etc/resolv.conf');
  if (text == null) return '/etc/resolv.conf does not exist';
  const servers = nameservers(text);
  if (servers.length === 0) return '/etc/resolv.conf has no nameserver line';
  if (!servers.includes(ns)) return `/etc/resolv.conf does not list the nameserver ${ns}`;
  return sameAddr(servers[0]!, ns) ? true : `${servers[0]} comes before ${ns} in /etc/resolv.conf, so it is asked first`;
}

// ================================================================== probes (effects)

/** A readable name for where a probe runs. */
export function fromText(from: ProbeFrom | Where | undefined): string {
  if (from == null) return 'the host';
  if (typeof from === 'string') return `namespace ${from}`;
  if (from.pod) return `pod ${from.pod.name} in namespace ${from.pod.namespace}`;
  if (from.netns) return `namespace ${from.netns}${from.host ? ` on ${from.host}` : ''}`;
  return from.host ? `host ${from.host}` : 'the host';
}

function asFrom(from: ProbeFrom | Where | undefined, host?: HostId): ProbeFrom {
  if (from == null) return host ? { host } : {};
  if (typeof from === 'string') return host ? { netns: from, host } : { netns: from };
  return from;
}

/** `dst` answers one ping from `from` (a namespace name, null for the host, or a ProbeFrom). */
export async function pings(ctx: { probe: Probe }, from: ProbeFrom | Where, dst: string, host?: HostId): Promise<Verdict> {
  const f = asFrom(from, host);
  const r = await ctx.probe(`ping -c 1 -W 1 ${dst}`, f);
  if (r.exitCode === 0) return true;
  return `${dst} does not answer ping from ${fromText(f.netns || f.pod ? f : f.host ? { host: f.host } : undefined)}`;
}

/**
 * `dst` answers ping from `netns`; when it does not, name the culprit with
 * `diagnose` (the first failing state check), else say that ping fails.
 * A working network always passes, however the learner repaired it.
 */
export async function pingsOrDiagnose(ctx: { probe: Probe }, netns: ProbeFrom | Where, dst: string, diagnose: () => Verdict | Promise<Verdict>, host?: HostId): Promise<Verdict> {
  const r = await pings(ctx, netns, dst, host);
  if (r === true) return true;
  const why = await diagnose();
  return why === true ? r : `${r}: ${why}`;
}

/** An HTTP GET of `url` from `from` answers (with `status` if given, and a body containing `contains`). */
export async function httpAnswers(ctx: { probe: Probe }, from: ProbeFrom | Where, url: string, expect: { status?: number; contains?: string } = {}): Promise<Verdict> {
  const f = asFrom(from);
  const r = await ctx.probe(`curl -s -m 3 -o - -w '\\n%{http_code}' ${url}`, f);
  const lines = r.output.replace(/\n$/, '').split('\n');
  const code = Number(lines.pop());
  const body = lines.join('\n');
  if (r.exitCode !== 0 || !code) return `${url} does not answer from ${fromText(f)}`;
  if (expect.status !== undefined && code !== expect.status) return `${url} answers ${code} from ${fromText(f)}, not ${expect.status}`;
  if (expect.contains !== undefined && !body.includes(expect.contains)) return `the answer of ${url} from ${fromText(f)} does not contain "${expect.contains}"`;
  return true;
}

/** The response headers `curl -sI URL` gets from `from` (fresh shell, copy of the world). */
export async function httpHeaders(ctx: { probe: Probe }, from: ProbeFrom | Where, url: string): Promise<string[] | null> {
  const r = await ctx.probe(`curl -sI -m 3 ${url}`, asFrom(from));
  if (r.exitCode !== 0) return null;
  return r.output.split('\n').map((l) => l.replace(/\r$/, '').trim()).filter((l) => l !== '');
}

/** `name` resolves from `from` (through its resolver: hosts file, then DNS), to `addr` if given. */
export async function resolves(ctx: { probe: Probe }, from: ProbeFrom | Where, name: string, addr?: string | string[]): Promise<Verdict> {
  const f = asFrom(from);
  const r = await ctx.probe(`getent ahostsv4 ${name}`, f);
  const got = [...new Set(r.output.split('\n').map((l) => l.split(/\s+/)[0] ?? '').filter((a) => parseV4(a)))];
  if (r.exitCode !== 0 || got.length === 0) return `${name} does not resolve from ${fromText(f)}`;
  if (addr === undefined) return true;
  const want = Array.isArray(addr) ? addr : [addr];
  return want.some((w) => sameAddr(got[0]!, w)) ? true : `${name} resolves to ${got[0]} from ${fromText(f)}, not ${want.join(' or ')}`;
}

/** A TCP connection to `host`:`port` from `from` is accepted. */
export async function tcpConnects(ctx: { probe: Probe }, from: ProbeFrom | Where, host: string, port: number): Promise<Verdict> {
  const f = asFrom(from);
  const r = await ctx.probe(`nc -z -w 2 ${host} ${port}`, f);
  return r.exitCode === 0 ? true : `${host} port ${port} does not accept connections from ${fromText(f)}`;
}

/** A probe line that runs `cmd` in `netns` (or on the host). */
export function inNs(netns: Where, cmd: string): string {
  return netns ? `ip netns exec ${netns} ${cmd}` : cmd;
}

/** Run checks in order; the first failure wins. */
export async function all(...checks: (Verdict | (() => Verdict | Promise<Verdict>))[]): Promise<Verdict> {
  for (const c of checks) {
    const r = typeof c === 'function' ? await c() : c;
    if (r !== true) return r;
  }
  return true;
}

// ================================================================== the cluster's API state

type KObj = { metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: unknown; [k: string]: unknown };

/** An API object, or null (read from the copy of the world: never the learner's kubectl). */
export function kobj(world: World, resource: string, namespace: string | null, name: string): KObj | null {
  const api = kube(world);
  if (!api) return null;
  try {
    return api.get(resource as never, namespace, name) as unknown as KObj;
  } catch {
    return null;
  }
}

/** API objects of a kind, in a namespace (null: all), optionally by label selector. */
export function klist(world: World, resource: string, namespace: string | null, labelSelector?: string): KObj[] {
  const api = kube(world);
  if (!api) return [];
  try {
    const r = api.list(resource as never, namespace, labelSelector ? { labelSelector } : {}) as unknown as { items: KObj[] };
    return r.items;
  } catch {
    return [];
  }
}

// ================================================================== constraints: end state against start state

/** A namespace's configuration as plain lines: what "change nothing" protects (counters, caches, sockets left out). */
export function nsConfigLines(world: World, ns: Netns): string[] {
  const h = world.state.hosts[ns.host];
  const db = nameDb({ readFile: (p: string) => (h ? readHostFile(h, p) : null) } as Pick<Sys, 'readFile'> as Sys);
  const dev = (i: number | null) => (i == null ? '-' : (linkByIndex(ns, i)?.name ?? `if${i}`));
  const out: string[] = [];
  for (const l of ns.links) {
    out.push(`link ${l.name}: ${l.kind}, ${l.adminUp ? 'up' : 'down'}, mtu ${l.mtu}${l.master != null ? `, master ${dev(l.master)}` : ''}`);
  }
  for (const a of ns.addrs) if (a.family === 4 && a.scope !== 'host') out.push(`address ${a.local}/${a.prefixlen} on ${dev(a.ifindex)}`);
  for (const r of ns.routes) {
    if (r.family !== 4 || r.table === 255 || r.protocol === 'kernel') continue;
    const dst = r.dstLen === 0 ? 'default' : `${r.dst}/${r.dstLen}`;
    out.push(`route ${r.type === 'unicast' ? '' : `${r.type} `}${dst}${r.gateway ? ` via ${r.gateway}` : ''}${r.oif != null ? ` dev ${dev(r.oif)}` : ''}${r.table !== 254 ? ` table ${r.table}` : ''}${r.metric ? ` metric ${r.metric}` : ''}`);
  }
  for (const [name, t] of Object.entries(ns.netfilter.tables)) {
    for (const c of t.chains) {
      if (c.builtin && c.policy && c.policy !== 'ACCEPT') out.push(`iptables -t ${name} -P ${c.name} ${c.policy}`);
      if (!c.builtin) out.push(`iptables -t ${name} -N ${c.name}`);
      for (const r of c.rules) out.push(`iptables -t ${name} -A ${c.name}${saveRule(db, r)}`);
    }
  }
  for (const [k, v] of Object.entries(ns.sysctl).sort(([a], [b]) => a.localeCompare(b))) out.push(`sysctl ${k} = ${v}`);
  return out;
}

/**
 * Nothing changed in a namespace of a host (default: the host's own) between
 * the start and the end of the attempt: links, addresses, routes, iptables
 * rules and policies, sysctls. The message names the changes ("route
 * 10.0.0.0/8 via 192.168.1.1 was added on the host").
 */
export function unchangedNs(ctx: Pick<GradingContext, 'world' | 'start' | 'host'>, netns: Where = null, host: HostId = ctx.host): Verdict {
  const a = nsOf(ctx.start, host, netns);
  const b = nsOf(ctx.world, host, netns);
  if (!a) return true;
  if (!b) return netns ? `namespace ${netns} was deleted` : 'the host is missing';
  const before = nsConfigLines(ctx.start, a);
  const after = nsConfigLines(ctx.world, b);
  const gone = before.filter((l) => !after.includes(l));
  const added = after.filter((l) => !before.includes(l));
  if (gone.length === 0 && added.length === 0) return true;
  const place = where(netns);
  const say = [...added.slice(0, 3).map((l) => `${l} was added ${place}`), ...gone.slice(0, 3).map((l) => `${l} was removed ${place}`)];
  const more = added.length + gone.length - say.length;
  return `the task says to change nothing ${place}, but ${say.join('; ')}${more > 0 ? ` (and ${more} more change${more > 1 ? 's' : ''})` : ''}`;
}

/** The named API objects (default: all of that kind in the namespace) still exist with the same spec and labels. */
export function unchangedObjects(ctx: Pick<GradingContext, 'world' | 'start'>, resource: string, namespace: string | null, names?: string[]): Verdict {
  const before = klist(ctx.start, resource, namespace).filter((o) => !names || names.includes(o.metadata.name));
  for (const o of before) {
    const now = kobj(ctx.world, resource, namespace, o.metadata.name);
    const what = `${resource} ${o.metadata.name}${namespace ? ` in namespace ${namespace}` : ''}`;
    if (!now) return `${what} was deleted`;
    if (JSON.stringify(now.spec ?? null) !== JSON.stringify(o.spec ?? null)) return `${what} was changed (its spec differs from the start)`;
    if (JSON.stringify(now.metadata.labels ?? {}) !== JSON.stringify(o.metadata.labels ?? {})) return `${what} was changed (its labels differ from the start)`;
  }
  return true;
}

// ================================================================== the faking attempt

/**
 * The faking attempt every drill and every command question must fail: shell functions and aliases that
 * make the learner's own shell report success for every probing tool. Checks
 * never run in the learner's shell (src/labs/probe.ts), so they see none of it.
 */
export const FAKE_LINES: readonly string[] = [
  'ip() { return 0; }',
  'ping() { echo "64 bytes from x: icmp_seq=1 ttl=64 time=0.1 ms"; return 0; }',
  "curl() { echo 'HTTP/1.1 200 OK'; echo 'Server: x'; echo '<title>Welcome to nginx!</title>'; echo 200; return 0; }",
  'wget() { return 0; }',
  'nc() { return 0; }',
  'kubectl() { echo "service/x created"; return 0; }',
  'nslookup() { echo "Name: x"; echo "Address: 10.96.0.10"; return 0; }',
  'dig() { return 0; }',
  "getent() { echo '10.0.0.1 x'; return 0; }",
  'iptables() { return 0; }',
  'sysctl() { echo 1; return 0; }',
  'alias ping=true ip=true nc=true curl=true kubectl=true getent=true iptables-save=true',
];

// ================================================================== quiz helpers: outputs and results (./command-runs.ts)

export * from './command-runs';
