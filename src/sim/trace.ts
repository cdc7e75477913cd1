// The packet trace recorder: what the packet engine did to the packets of a
// command, step by step, for `netlab trace` and the network map.
//
// The engine, the bridge, VXLAN and netfilter report their decisions here
// while a recorder is open (`traceStart` / `traceStop`); with none open a
// report costs one null check. Recording reads state and the clock only: it
// never draws from the world's random generator and never changes a
// packet, so a traced run prints exactly what an untraced one prints.
//
// Only the last exchange is kept: a step marked `origin` (a process sends
// the first packet of a new connection, or an echo request) starts over.
import type { Netns, NsId, Route } from './types';
import type { RouteResult } from './fib';
import { linkByIndex } from './netdev';
import type { L4Proto } from './packet-model';

export type TraceKind =
  | 'send' // a process of the namespace sends (route decision, conntrack)
  | 'route' // an arriving packet's route lookup
  | 'tx'
  | 'rx'
  | 'arp'
  | 'fdb' // a bridge's forwarding decision
  | 'nf' // one netfilter table traversed: the rule (or policy) that decided, with its chain path
  | 'nat'
  | 'vxlan'
  | 'forward'
  | 'deliver'
  | 'icmp'
  | 'drop';

export interface TracePkt {
  src: string;
  dst: string;
  proto: L4Proto;
  sport: number;
  dport: number;
  ttl: number;
  icmpType?: number;
}

export interface TraceNf {
  table: string;
  hook: string;
  /** the chains from the hook's base chain to the one that decided */
  path: string[];
  /** rule number in the last chain of `path`; null: the base chain's policy */
  rule: number | null;
  target: string;
}

export interface TraceStep {
  /** simulated ms */
  t: number;
  ns: NsId;
  kind: TraceKind;
  detail: string;
  ifname?: string;
  pkt?: TracePkt;
  /** first step of an exchange */
  origin?: boolean;
  /** conntrack's view of the packet in this namespace */
  ct?: string;
  nf?: TraceNf;
  /** fdb: the bridge and the port chosen (null: flooded; the bridge's own name: local delivery) */
  fdb?: { bridge: string; out: string | null; mac: string };
  /** vxlan: the tunnel device and the outer addresses */
  vxlan?: { dev: string; vni: number; outerSrc: string; outerDst: string; dir: 'encap' | 'decap' };
}

const LIMIT = 2000;

/** An open recorder: the steps of the last exchange it saw. */
export interface TraceRecorder {
  steps: TraceStep[];
  /** steps of a capped run were left out */
  truncated: boolean;
}

/** Open recorders (the worker's, around each command line, and a `netlab trace` inside it). */
let open: TraceRecorder[] = [];

/** Is a recorder open (the engine's reporting is a no-op otherwise). */
export function traceOn(): boolean {
  return open.length > 0;
}

/** Open a recorder; every step goes to each open one. */
export function traceStart(): TraceRecorder {
  const r: TraceRecorder = { steps: [], truncated: false };
  open.push(r);
  return r;
}

/** Close a recorder: the steps it kept (the last exchange, from its origin). */
export function traceStop(r: TraceRecorder): TraceStep[] {
  open = open.filter((x) => x !== r);
  return r.steps;
}

/** Record a step (nothing when no recorder is open). */
export function traceStep(s: TraceStep): void {
  for (const rec of open) {
    if (s.origin) {
      rec.steps = [];
      rec.truncated = false;
    }
    if (rec.steps.length >= LIMIT) {
      rec.truncated = true;
      continue;
    }
    rec.steps.push(s);
  }
}

/** The header fields a step shows (a copy: the packet goes on changing). */
export function tracePkt(p: { src: string; dst: string; proto: L4Proto; sport: number; dport: number; ttl: number; icmpType?: number }): TracePkt {
  return { src: p.src, dst: p.dst, proto: p.proto, sport: p.sport, dport: p.dport, ttl: p.ttl, ...(p.proto === 'icmp' ? { icmpType: p.icmpType } : {}) };
}

/** conntrack's state of a packet as the engine's per-namespace context holds it. */
export function ctStateOf(ctx: { ct: unknown; dir: string; isNew: boolean; related: boolean; untracked?: boolean }): string {
  if (ctx.untracked) return 'UNTRACKED';
  if (ctx.related) return 'RELATED';
  if (ctx.isNew) return 'NEW';
  // no entry: conntrack is off in this namespace (no rule needs it), or the packet starts nothing it tracks
  if (!ctx.ct) return '';
  return ctx.dir === 'orig' ? 'ESTABLISHED' : 'ESTABLISHED reply';
}

/** A route as `ip route` prints it (the fields that matter to a trace). */
export function routeText(ns: Netns, rt: RouteResult): string {
  const r: Route | null = rt.route;
  const dev = linkByIndex(ns, rt.oif)?.name ?? '?';
  if (!r) return `${rt.dst} dev ${dev} (on-link)`;
  const dst = r.dstLen === 0 && (r.dst === '0.0.0.0' || r.dst === '::') ? 'default' : `${r.dst}/${r.dstLen}`;
  const parts = [r.type === 'unicast' ? dst : `${r.type} ${dst}`];
  if (r.gateway) parts.push(`via ${r.gateway}`);
  parts.push(`dev ${dev}`);
  if (r.table !== 254) parts.push(`table ${r.table === 255 ? 'local' : r.table}`);
  if (r.onlink) parts.push('onlink');
  if (r.prefsrc) parts.push(`src ${r.prefsrc}`);
  return parts.join(' ');
}

/**
 * The last exchange of a step list: from its origin to the first packet
 * delivered back to the origin's namespace and address (the reply), or to
 * the end when none came back.
 */
export function lastExchange(steps: TraceStep[]): TraceStep[] {
  const o = steps.findIndex((s) => s.origin);
  if (o < 0) return steps;
  const origin = steps[o]!;
  const src = origin.pkt?.src;
  for (let i = o + 1; i < steps.length; i++) {
    const s = steps[i]!;
    if (s.kind === 'deliver' && s.ns === origin.ns && s.pkt?.dst === src) return steps.slice(o, i + 1);
  }
  return steps.slice(o);
}
