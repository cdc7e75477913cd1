// Helpers for command-question predicates: read the simulated world as plain
// state (src/sim/types.ts) and the learner's outputs. They never change the
// world. A predicate checks only what its question asks.
import ipaddr from 'ipaddr.js';
import type { World } from '../../sim/world';
import type { Address, Chain, HostId, Link, Netns, Route, Rule } from '../../sim/types';
import type { CommandRun } from './types';

// ------------------------------------------------------------------ namespaces and links

/** A host's root namespace, or null when the host does not exist. */
export function rootNs(world: World, host: HostId): Netns | null {
  const h = world.state.hosts[host];
  return h ? (world.state.namespaces[h.rootNs] ?? null) : null;
}

/** A named network namespace of a host (`ip netns add NAME`), or null. */
export function namedNs(world: World, host: HostId, name: string): Netns | null {
  const id = world.state.hosts[host]?.netns[name];
  return id ? (world.state.namespaces[id] ?? null) : null;
}

export function linkByName(ns: Netns | null, name: string): Link | null {
  return ns?.links.find((l) => l.name === name) ?? null;
}

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

/** IPv4 addresses configured on a link. */
export function ipv4On(ns: Netns | null, link: Link | null): Address[] {
  if (!ns || !link) return [];
  return ns.addrs.filter((a) => a.family === 4 && a.ifindex === link.ifindex);
}

export function hasIpv4(ns: Netns | null, linkName: string, local: string, prefixlen?: number): boolean {
  return ipv4On(ns, linkByName(ns, linkName)).some((a) => a.local === local && (prefixlen === undefined || a.prefixlen === prefixlen));
}

export function sysctl(ns: Netns | null, key: string): string | null {
  return ns?.sysctl[key] ?? null;
}

// ------------------------------------------------------------------ addresses and routes

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

/**
 * The route the main table would choose for an IPv4 destination: longest
 * prefix, then lowest metric. Only unicast-like types; a blackhole/unreachable
 * route wins too (and then routes nowhere), as in the kernel.
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

/** The gateway of the default route of the main table, or null. */
export function defaultGateway(ns: Netns | null): string | null {
  const r = ns?.routes.find((x) => x.family === 4 && x.table === 254 && x.dstLen === 0 && x.type === 'unicast' && x.gateway);
  return r?.gateway ?? null;
}

// ------------------------------------------------------------------ files

export function readFile(world: World, host: HostId, path: string): string | null {
  const n = world.state.hosts[host]?.files[path];
  return n && n.type === 'file' ? (n.content ?? '') : null;
}

/** /etc/hosts entries: address -> names, in file order, comments dropped. */
export function hostsEntries(text: string | null): { addr: string; names: string[] }[] {
  if (!text) return [];
  const out: { addr: string; names: string[] }[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
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

/** `nameserver` lines of a resolv.conf, in order. */
export function nameservers(text: string | null): string[] {
  if (!text) return [];
  return text
    .split('\n')
    .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
    .filter((x): x is string => !!x);
}

// ------------------------------------------------------------------ netfilter

export function chain(ns: Netns | null, table: string, name: string): Chain | null {
  return ns?.netfilter.tables[table]?.chains.find((c) => c.name === name) ?? null;
}

/** Every rule reachable from a built-in chain, following jumps and gotos into user chains. */
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
      if (r.target && chain(ns, table, r.target)) walk(r.target);
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

// ------------------------------------------------------------------ outputs

/** Non-empty output lines of a run, trailing spaces removed. */
export function outputLines(run: CommandRun | undefined): string[] {
  if (!run) return [];
  return run.output
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l !== '');
}

/** The last line the learner ran, or undefined. */
export function lastRun(runs: CommandRun[]): CommandRun | undefined {
  return runs[runs.length - 1];
}

/** Everything the learner's lines printed, concatenated. */
export function allOutput(runs: CommandRun[]): string {
  return runs.map((r) => r.output).join('');
}

/** The last run's output when it is exactly one non-empty line, trimmed; else null. */
export function singleLine(runs: CommandRun[]): string | null {
  const lines = outputLines(lastRun(runs));
  return lines.length === 1 ? lines[0]!.trim() : null;
}

// ------------------------------------------------------------------ hints from the tools' own errors

/**
 * Known error texts of the real tools and what they mean for the learner. The
 * first one found in the outputs gives the hint: the kernel's own error is the
 * best clue (e.g. a gateway that is not on a connected network).
 */
const ERROR_HINTS: { re: RegExp; hint: (m: RegExpExecArray) => string }[] = [
  { re: /execution exceeded execution deadline|too many (commands|loop iterations)/, hint: () => 'One of your commands did not finish and was stopped: commands that never end on their own (like `ping` without `-c COUNT`) cannot be graded.' },
  { re: /Nexthop has invalid gateway|SIOCADDRT: Network is unreachable|RTNETLINK answers: Network is unreachable/, hint: () => "Your route's gateway is not on a connected network: the gateway must be an address inside a subnet of one of this host's interfaces." },
  { re: /unknown option "--dport"|unknown option "--sport"/, hint: () => 'iptables only knows `--dport` after a protocol: put `-p tcp` (or `-p udp`) before it.' },
  { re: /Cannot find device "([^"]+)"|Device "([^"]+)" does not exist/, hint: (m) => `There is no interface called \`${m[1] ?? m[2]}\` here: list the interfaces with \`ip link\`.` },
  { re: /Cannot open network namespace "([^"]+)"/, hint: (m) => `There is no network namespace called \`${m[1]}\`: create it with \`ip netns add ${m[1]}\`, or check \`ip netns list\`.` },
  { re: /RTNETLINK answers: File exists/, hint: () => 'The kernel already has that (same address or same route): look at it with `ip addr` or `ip route`, and delete or replace it if it is wrong.' },
  { re: /any valid prefix is expected|Invalid prefix|inet address is expected|host not found/, hint: () => 'One of the addresses is not valid: write it as four numbers from 0 to 255, with /PREFIX where a network is meant.' },
  { re: /Couldn't load target `([^']+)'/, hint: (m) => `iptables has no target called \`${m[1]}\`: check its spelling (targets are upper case, e.g. DNAT, MASQUERADE).` },
  { re: /Chain '([^']+)' does not exist|Couldn't load match|can't initialize iptables table/, hint: () => 'iptables did not understand that: check the table (`-t nat`), the chain name (upper case) and the options.' },
  { re: /(?:^|\n)(?:bash: )?(?:line \d+: )?([^\s:]+): command not found/, hint: (m) => `\`${m[1]}\`: command not found. Check the spelling of the command.` },
  { re: /Object "([^"]+)" is unknown, try "ip help"/, hint: (m) => `\`ip ${m[1]}\` is not an ip object: the objects are link, addr, route, neigh, netns...` },
];

/** A hint drawn from an error one of the learner's lines printed, or null. */
export function errorHint(runs: CommandRun[]): string | null {
  for (const r of runs) {
    for (const h of ERROR_HINTS) {
      const m = h.re.exec(r.output);
      if (m) return h.hint(m);
    }
  }
  return null;
}

/** Fail with the tools' own error when there is one, else with the question's hint. */
export function fail(runs: CommandRun[], hint: string): { ok: false; hint: string } {
  const fromError = errorHint(runs);
  return { ok: false, hint: fromError ?? hint };
}

export const pass = (message?: string): { ok: true; message?: string } => (message ? { ok: true, message } : { ok: true });
