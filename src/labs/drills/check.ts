// Checker helpers: predicates over the simulated state that drills combine
// into requirements. Each returns `true` or a sentence naming what is wrong
// ("veth-red is not up"), written for the learner. They read the state only.
//
// `netns` arguments are namespace names as `ip netns` shows them, or null for
// the host's own (root) namespace.
import ipaddr from 'ipaddr.js';
import type { World } from '../../sim/world';
import type { Address, Host, HostId, Link, Netns, Route, Rule } from '../../sim/types';
import { readHostFile } from '../../sim/files';
import type { CheckContext, CheckResult } from './schema';

export type Where = string | null;

/** "in namespace red" / "on the host" (or "on host router" when the host matters). */
export function where(netns: Where, host?: HostId): string {
  if (netns) return `in namespace ${netns}`;
  return host ? `on host ${host}` : 'on the host';
}

export function hostOf(world: World, host: HostId): Host | null {
  return world.state.hosts[host] ?? null;
}

export function nsOf(world: World, host: HostId, netns: Where): Netns | null {
  const h = hostOf(world, host);
  if (!h) return null;
  const id = netns == null ? h.rootNs : h.netns[netns];
  return id ? (world.state.namespaces[id] ?? null) : null;
}

export function linkOf(ns: Netns | null, dev: string): Link | null {
  return ns?.links.find((l) => l.name === dev) ?? null;
}

function nsMissing(netns: Where): string {
  return netns ? `there is no namespace ${netns}` : 'the host is missing';
}

/** The named namespace exists. */
export function nsExists(world: World, host: HostId, netns: string): CheckResult {
  return nsOf(world, host, netns) ? true : `there is no namespace ${netns}`;
}

/** The interface exists where expected (and, if given, is of that kind). */
export function linkExists(world: World, host: HostId, netns: Where, dev: string, kind?: Link['kind']): CheckResult {
  const ns = nsOf(world, host, netns);
  if (!ns) return nsMissing(netns);
  const l = linkOf(ns, dev);
  if (!l) return `there is no interface ${dev} ${where(netns)}`;
  if (kind && l.kind !== kind) return `${dev} ${where(netns)} is a ${l.kind} link, not a ${kind}`;
  return true;
}

/** The interface is administratively up (`ip link set DEV up`). */
export function linkUp(world: World, host: HostId, netns: Where, dev: string): CheckResult {
  const exists = linkExists(world, host, netns, dev);
  if (exists !== true) return exists;
  const l = linkOf(nsOf(world, host, netns), dev)!;
  return l.adminUp ? true : `${dev} is not up`;
}

/** `a` and `b` are the two ends of one veth pair. */
export function vethPair(world: World, host: HostId, a: { netns: Where; dev: string }, b: { netns: Where; dev: string }): CheckResult {
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

function addrsOn(ns: Netns, l: Link): Address[] {
  return ns.addrs.filter((a) => a.ifindex === l.ifindex);
}

/** `dev` carries the address `cidr` ("10.1.2.3/24"), with that prefix length. */
export function hasAddress(world: World, host: HostId, netns: Where, dev: string, cidr: string): CheckResult {
  const exists = linkExists(world, host, netns, dev);
  if (exists !== true) return exists;
  const ns = nsOf(world, host, netns)!;
  const l = linkOf(ns, dev)!;
  const [want, len] = cidr.split('/') as [string, string];
  const same = addrsOn(ns, l).filter((a) => sameAddr(a.local, want));
  if (same.length === 0) return `${dev} ${where(netns)} has no address ${cidr}`;
  if (!same.some((a) => a.prefixlen === Number(len))) return `${dev} has ${want}/${same[0]!.prefixlen}, not /${len}`;
  return true;
}

function sameAddr(a: string, b: string): boolean {
  try {
    return ipaddr.parse(a).toNormalizedString() === ipaddr.parse(b).toNormalizedString();
  } catch {
    return a === b;
  }
}

/** `port` is enslaved to the bridge `bridge` (same namespace). */
export function attachedTo(world: World, host: HostId, netns: Where, port: string, bridge: string): CheckResult {
  const b = linkExists(world, host, netns, bridge, 'bridge');
  if (b !== true) return b;
  const p = linkExists(world, host, netns, port);
  if (p !== true) return p;
  const ns = nsOf(world, host, netns)!;
  const br = linkOf(ns, bridge)!;
  return linkOf(ns, port)!.master === br.ifindex ? true : `${port} is not attached to ${bridge}`;
}

function mainRoutes(ns: Netns): Route[] {
  return ns.routes.filter((r) => r.family === 4 && r.table === 254 && r.type === 'unicast');
}

export function defaultRoute(ns: Netns): Route | null {
  return mainRoutes(ns).find((r) => r.dstLen === 0) ?? null;
}

/** The namespace has a default route via `gw`. */
export function defaultVia(world: World, host: HostId, netns: Where, gw: string): CheckResult {
  const ns = nsOf(world, host, netns);
  if (!ns) return nsMissing(netns);
  const d = defaultRoute(ns);
  if (!d) return `there is no default route ${where(netns)}`;
  if (!d.gateway || !sameAddr(d.gateway, gw)) return `the default route ${where(netns)} goes ${d.gateway ? `via ${d.gateway}` : 'nowhere'}, not via ${gw}`;
  return true;
}

/**
 * The route the namespace uses for `dst` (longest prefix match in the main
 * table) goes via `gw`: a default route or a more specific one both do.
 */
export function reachesVia(world: World, host: HostId, netns: Where, dst: string, gw: string): CheckResult {
  const ns = nsOf(world, host, netns);
  if (!ns) return nsMissing(netns);
  const best = mainRoutes(ns)
    .filter((r) => covers(`${r.dst}/${r.dstLen}`, dst))
    .sort((a, b) => b.dstLen - a.dstLen || a.metric - b.metric)[0];
  if (!best) return `there is no route to ${dst} ${where(netns)}`;
  if (!best.gateway) return `the route to ${dst} ${where(netns)} has no gateway (it should go via ${gw})`;
  if (!sameAddr(best.gateway, gw)) return `the route to ${dst} ${where(netns)} goes via ${best.gateway}, not via ${gw}`;
  return true;
}

export function sysctlValue(world: World, host: HostId, netns: Where, key: string): string | null {
  return nsOf(world, host, netns)?.sysctl[key] ?? null;
}

/** IPv4 forwarding is on (`net.ipv4.ip_forward = 1`). */
export function forwarding(world: World, host: HostId, netns: Where, name = where(netns, host)): CheckResult {
  const ns = nsOf(world, host, netns);
  if (!ns) return nsMissing(netns);
  const on = ns.sysctl['net.ipv4.ip_forward'] === '1' || ns.sysctl['net.ipv4.conf.all.forwarding'] === '1';
  return on ? true : `IP forwarding is off ${name} (net.ipv4.ip_forward = 0)`;
}

export function chainRules(ns: Netns, table: string, chain: string): Rule[] {
  return ns.netfilter.tables[table]?.chains.find((c) => c.name === chain)?.rules ?? [];
}

/** The rules of `chain` and of the user chains it jumps or goes to, recursively. */
export function reachableRules(ns: Netns, table: string, chain: string): Rule[] {
  const chains = ns.netfilter.tables[table]?.chains ?? [];
  const seen = new Set<string>();
  const out: Rule[] = [];
  const walk = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const r of chains.find((c) => c.name === name)?.rules ?? []) {
      out.push(r);
      if (r.target && chains.some((c) => c.name === r.target && !c.builtin)) walk(r.target);
    }
  };
  walk(chain);
  return out;
}

function ruleSourceCovers(rule: Rule, subnet: string): boolean {
  if (rule.sourceInvert) return false;
  return rule.source != null && covers(rule.source, subnet);
}

/** The nat table's POSTROUTING chain has a MASQUERADE rule for packets from `subnet`. */
export function masquerades(world: World, host: HostId, netns: Where, subnet: string): CheckResult {
  const ns = nsOf(world, host, netns);
  if (!ns) return nsMissing(netns);
  const rules = chainRules(ns, 'nat', 'POSTROUTING').filter((r) => r.target === 'MASQUERADE');
  if (rules.length === 0) return `the nat table has no MASQUERADE rule ${where(netns)}`;
  if (!rules.some((r) => ruleSourceCovers(r, subnet))) return `no MASQUERADE rule in the nat table matches the source ${subnet}`;
  return true;
}

function ruleDport(rule: Rule): string | null {
  for (const m of rule.matches) {
    const v = m.options['dport'] ?? m.options['destination-port'] ?? m.options['dports'];
    if (v != null && !m.invert?.['dport']) return v;
  }
  return null;
}

/** nat/CHAIN has a DNAT rule for tcp dport `port` to `to` ("10.1.2.3:80"). */
export function dnats(world: World, host: HostId, netns: Where, chain: string, port: number, to: string): CheckResult {
  const ns = nsOf(world, host, netns);
  if (!ns) return nsMissing(netns);
  const rules = reachableRules(ns, 'nat', chain).filter((r) => r.target === 'DNAT');
  if (rules.length === 0) return `the nat table's ${chain} chain has no DNAT rule`;
  const forPort = rules.filter((r) => (r.protocol === 'tcp' || r.protocol === '6') && !r.protocolInvert && ruleDport(r)?.split(',').includes(String(port)));
  if (forPort.length === 0) return `no DNAT rule in ${chain} matches tcp destination port ${port}`;
  if (!forPort.some((r) => r.targetOptions['to-destination'] === to)) {
    const got = forPort[0]!.targetOptions['to-destination'] ?? '?';
    return `the DNAT rule for port ${port} sends packets to ${got}, not ${to}`;
  }
  return true;
}

export function fileText(world: World, host: HostId, path: string): string | null {
  const h = hostOf(world, host);
  return h ? readHostFile(h, path) : null;
}

/**
 * The answer file holds the expected value (surrounding blanks and a final
 * newline ignored; `normalise` maps both sides, e.g. to lower case).
 */
export function answerFile(world: World, host: HostId, path: string, expected: string | string[], normalise: (s: string) => string = (s) => s): CheckResult {
  const text = fileText(world, host, path);
  if (text == null) return `${path} does not exist`;
  const got = normalise(text.trim());
  if (got === '') return `${path} is empty`;
  const ok = (Array.isArray(expected) ? expected : [expected]).some((e) => normalise(e) === got);
  const shown = got.length > 40 ? `${got.slice(0, 40)}…` : got;
  return ok ? true : `${path} holds "${shown}", which is not the right answer`;
}

/** Lines of a file, without comments and blanks. */
export function configLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l !== '');
}

/** /etc/hosts maps `name` to `addr`. */
export function hostsEntry(world: World, host: HostId, name: string, addr: string): CheckResult {
  const text = fileText(world, host, '/etc/hosts');
  if (text == null) return '/etc/hosts does not exist';
  const lines = configLines(text).map((l) => l.split(/\s+/));
  const named = lines.filter((f) => f.slice(1).includes(name));
  if (named.length === 0) return `/etc/hosts has no entry for ${name}`;
  // the resolver uses the first matching line
  const first = named[0]!;
  return sameAddr(first[0]!, addr) ? true : `/etc/hosts maps ${name} to ${first[0]}, not ${addr}`;
}

/** /etc/resolv.conf names `ns` as its first nameserver. */
export function firstNameserver(world: World, host: HostId, ns: string): CheckResult {
  const text = fileText(world, host, '/etc/resolv.conf');
  if (text == null) return '/etc/resolv.conf does not exist';
  const servers = configLines(text)
    .map((l) => l.split(/\s+/))
    .filter((f) => f[0] === 'nameserver')
    .map((f) => f[1] ?? '');
  if (servers.length === 0) return '/etc/resolv.conf has no nameserver line';
  if (!servers.includes(ns)) return `/etc/resolv.conf does not list the nameserver ${ns}`;
  return sameAddr(servers[0]!, ns) ? true : `${servers[0]} comes before ${ns} in /etc/resolv.conf, so it is asked first`;
}

/** A probe line that runs `cmd` in `netns` (or on the host). */
export function inNs(netns: Where, cmd: string): string {
  return netns ? `ip netns exec ${netns} ${cmd}` : cmd;
}

/** `dst` answers one ping from `netns` (on `host`, default the learner's). */
export async function pings(ctx: CheckContext, netns: Where, dst: string, host?: HostId): Promise<CheckResult> {
  const r = await ctx.probe(inNs(netns, `ping -c 1 -W 1 ${dst}`), host ? { host } : undefined);
  if (r.exitCode === 0) return true;
  const from = netns ? `namespace ${netns}` : host ? `host ${host}` : 'the host';
  return `${dst} does not answer ping from ${from}`;
}

/**
 * `dst` answers ping from `netns`; when it does not, name the culprit with
 * `diagnose` (the first failing state check), else say that ping fails.
 * A working network always passes, however the learner repaired it.
 */
export async function pingsOrDiagnose(
  ctx: CheckContext,
  netns: Where,
  dst: string,
  diagnose: () => CheckResult | Promise<CheckResult>,
  host?: HostId,
): Promise<CheckResult> {
  const r = await pings(ctx, netns, dst, host);
  if (r === true) return true;
  const why = await diagnose();
  return why === true ? r : `${r}: ${why}`;
}

/** Run checks in order; the first failure wins. */
export async function all(...checks: (CheckResult | (() => CheckResult | Promise<CheckResult>))[]): Promise<CheckResult> {
  for (const c of checks) {
    const r = typeof c === 'function' ? await c() : c;
    if (r !== true) return r;
  }
  return true;
}
