// Shared pieces of the networking tools' Tab completion: names read from the
// simulated machine (interfaces of a namespace, named namespaces, addresses,
// neighbours, /etc/hosts, the world's hosts) and a small keyword-grammar
// engine for iproute2-style argument lists (`KEYWORD VALUE` pairs, flags and
// one positional word such as a device or a prefix).
import { own } from '../sim/own';
import type { NsId } from '../sim/types';
import { parseHostsFile } from '../sim/resolver';
import type { CompletionContext, Sys } from './types';

/** What a completer needs: the machine and the namespace the command acts on. */
export interface CompCtx {
  sys: Sys;
  ns: NsId;
}

export function compCtx(ctx: CompletionContext): CompCtx {
  return { sys: ctx.sys, ns: ctx.sys.ns };
}

/** Interface names of the namespace (kernel order). */
export function ifNames(c: CompCtx): string[] {
  return (c.sys.world.state.namespaces[c.ns]?.links ?? []).map((l) => l.name);
}

/** Names of the bridges of the namespace. */
export function bridgeNames(c: CompCtx): string[] {
  return (c.sys.world.state.namespaces[c.ns]?.links ?? []).filter((l) => l.kind === 'bridge').map((l) => l.name);
}

/** Named network namespaces of the host (`ip netns list`). */
export function netnsNames(c: CompCtx): string[] {
  return Object.keys(c.sys.world.state.hosts[c.sys.host]?.netns ?? {});
}

/** The namespace a name (`ip -n NAME`) stands for on the current host, or null. */
export function netnsByName(sys: Sys, name: string): NsId | null {
  return own(own(sys.world.state.hosts, sys.host)?.netns, name) ?? null;
}

/** Addresses configured in the namespace (no prefix length), optionally one family. */
export function localAddrs(c: CompCtx, family?: 4 | 6): string[] {
  return (c.sys.world.state.namespaces[c.ns]?.addrs ?? []).filter((a) => !family || a.family === family).map((a) => a.local);
}

/** Addresses with their prefix length (`ip addr del` arguments). */
export function localPrefixes(c: CompCtx): string[] {
  return (c.sys.world.state.namespaces[c.ns]?.addrs ?? []).map((a) => `${a.local}/${a.prefixlen}`);
}

/** Destinations in the neighbour table of the namespace. */
export function neighAddrs(c: CompCtx, family?: 4 | 6): string[] {
  return [...new Set((c.sys.world.state.namespaces[c.ns]?.neigh ?? []).filter((n) => !family || n.family === family).map((n) => n.dst))];
}

/** Names from the /etc/hosts the command sees. */
export function hostsFileNames(sys: Sys): string[] {
  return [...new Set(parseHostsFile(sys.readFile('/etc/hosts')).flatMap((e) => e.names))];
}

/** IPv4 addresses configured anywhere in the world (loopback excluded). */
export function worldAddrs(sys: Sys): string[] {
  const out = new Set<string>();
  for (const ns of Object.values(sys.world.state.namespaces)) {
    for (const a of ns.addrs) if (a.family === 4 && a.scope !== 'host' && !a.local.startsWith('127.')) out.add(a.local);
  }
  return [...out];
}

/** Destinations for ping, traceroute, nc, curl: /etc/hosts names and the world's addresses. */
export function destinations(sys: Sys): string[] {
  return [...hostsFileNames(sys), ...worldAddrs(sys)];
}

/** The world's machines by host name (ssh). */
export function worldHostNames(sys: Sys): string[] {
  return [...new Set(Object.values(sys.world.state.hosts).map((h) => h.hostname))];
}

export const NETMASKS = ['255.0.0.0', '255.255.0.0', '255.255.255.0', '255.255.255.255'];
export const ON_OFF = ['on', 'off'];

// ---------------------------------------------------------------- keyword grammar

export type Gen = (c: CompCtx) => string[];

export interface Spec {
  /** keywords followed by a value: the value's candidates (null: free text, nothing to offer) */
  args?: Record<string, Gen | null>;
  /** keywords standing alone */
  flags?: string[];
  /** accepted spellings that are not offered (txqlen -> txqueuelen) */
  alias?: Record<string, string>;
  /** candidates for the one positional word (a device, a prefix, an address) */
  pos?: Gen;
  /** keywords that give the positional word instead (dev DEVICE) */
  posKeys?: string[];
  /** until the positional word is given, offer it (and posKeys) only */
  posFirst?: boolean;
  /** keywords that exclude each other (up / down) */
  exclusive?: string[][];
}

const has = (o: object | undefined, k: string): boolean => !!o && Object.prototype.hasOwnProperty.call(o, k);

/** Candidates for the word after `args` (the words already typed after the verb). */
export function completeSpec(spec: Spec, args: string[], c: CompCtx): string[] {
  const canon = (w: string): string => (has(spec.alias, w) ? spec.alias![w]! : w);
  const used = new Set<string>();
  let posFilled = false;
  for (let j = 0; j < args.length; j++) {
    const k = canon(args[j]!);
    if (has(spec.args, k)) {
      used.add(k);
      if (spec.posKeys?.includes(k)) posFilled = true;
      if (j + 1 === args.length) {
        const gen = spec.args![k];
        return gen ? gen(c) : [];
      }
      j++;
    } else if (spec.flags?.includes(k)) used.add(k);
    else posFilled = true;
  }
  const excluded = (k: string): boolean => used.has(k) || !!spec.exclusive?.some((g) => g.includes(k) && g.some((o) => used.has(o))) || (posFilled && !!spec.posKeys?.includes(k));
  const keywords = [...Object.keys(spec.args ?? {}), ...(spec.flags ?? [])].filter((k) => !excluded(k));
  if (!posFilled && spec.pos) return [...spec.pos(c), ...(spec.posFirst ? (spec.posKeys ?? []) : keywords)];
  if (!posFilled && spec.posFirst) return spec.posKeys ?? [];
  return keywords;
}

/** iproute2's matches(): the first name of `order` that `word` abbreviates, or null. */
export function firstMatch(word: string, order: string[]): string | null {
  if (word === '') return null;
  return order.find((n) => n.startsWith(word)) ?? null;
}
