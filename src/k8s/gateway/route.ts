// A request on a Gateway's port, as NGF's NGINX configuration answers it:
// the server (hostname) chosen like NGINX's server_name (exact, then the
// longest wildcard, then the catch-all), then among the matches of the
// routes attached there the one the Gateway API's precedence picks (an
// Exact path; the longest PathPrefix, element-wise; a method; the most
// header matches; the most query-parameter matches; then the oldest route,
// then ns/name, then rule order), its filters (RequestRedirect, URLRewrite,
// RequestHeaderModifier) and a weighted choice among its backends.
import type { HTTPRouteFilter, HTTPRouteMatch } from '../api/types';
import { effectiveHostnames, hostMatches, type Graph, type GatewayView, type ResolvedBackend, type RouteView } from './graph';

export interface GatewayRequest {
  method: string;
  /** Host header without the port */
  host: string;
  /** path with the query string */
  uri: string;
  headers: [string, string][];
}

export type GatewayDecision =
  | { kind: 'notFound' }
  | { kind: 'redirect'; status: number; location: string; route: string }
  | { kind: 'backend'; backend: ResolvedBackend | null; uri: string; host: string; headers: [string, string][]; route: string };

interface Candidate {
  view: RouteView;
  rule: number;
  match: HTTPRouteMatch;
  order: number;
}

function pathMatches(m: HTTPRouteMatch, path: string): boolean {
  const type = m.path?.type ?? 'PathPrefix';
  const v = m.path?.value ?? '/';
  if (type === 'Exact') return path === v;
  if (type === 'RegularExpression') {
    try {
      return new RegExp(`^(?:${v})`).test(path);
    } catch {
      return false;
    }
  }
  const p = v.replace(/\/+$/, '');
  return p === '' || path === p || path.startsWith(`${p}/`);
}

function valueMatches(type: string | undefined, want: string, got: string | null): boolean {
  if (got === null) return false;
  if (type === 'RegularExpression') {
    try {
      return new RegExp(want).test(got);
    } catch {
      return false;
    }
  }
  return want === got;
}

export function matchApplies(m: HTTPRouteMatch, req: GatewayRequest): boolean {
  const q = req.uri.indexOf('?');
  const path = q < 0 ? req.uri : req.uri.slice(0, q);
  if (!pathMatches(m, path)) return false;
  if (m.method && m.method !== req.method) return false;
  for (const h of m.headers ?? []) {
    const got = req.headers.find(([k]) => k.toLowerCase() === h.name.toLowerCase())?.[1] ?? null;
    if (!valueMatches(h.type, h.value, got)) return false;
  }
  const params = new URLSearchParams(q < 0 ? '' : req.uri.slice(q + 1));
  for (const p of m.queryParams ?? []) if (!valueMatches(p.type, p.value, params.get(p.name))) return false;
  return true;
}

/** Gateway API precedence: negative when a goes first. */
function compare(a: Candidate, b: Candidate): number {
  const exact = (c: Candidate) => ((c.match.path?.type ?? 'PathPrefix') === 'Exact' ? 1 : 0);
  if (exact(a) !== exact(b)) return exact(b) - exact(a);
  const len = (c: Candidate) => ((c.match.path?.type ?? 'PathPrefix') === 'PathPrefix' ? (c.match.path?.value ?? '/').length : 0);
  if (len(a) !== len(b)) return len(b) - len(a);
  const meth = (c: Candidate) => (c.match.method ? 1 : 0);
  if (meth(a) !== meth(b)) return meth(b) - meth(a);
  const hs = (c: Candidate) => c.match.headers?.length ?? 0;
  if (hs(a) !== hs(b)) return hs(b) - hs(a);
  const qs = (c: Candidate) => c.match.queryParams?.length ?? 0;
  if (qs(a) !== qs(b)) return qs(b) - qs(a);
  return a.order - b.order;
}

/** The server names the attached routes give a port, and which route serves which. */
function serversOn(gw: GatewayView, graph: Graph, port: number): Map<string, RouteView[]> {
  const servers = new Map<string, RouteView[]>();
  for (const view of graph.routes) {
    for (const parent of view.parents) {
      if (parent.gatewayKey !== gw.key || !parent.accepted) continue;
      for (const l of gw.listeners) {
        if (l.listener.port !== port || !parent.listeners.includes(l.listener.name)) continue;
        const names = effectiveHostnames(l.listener, view.route) ?? [];
        for (const n of names.length ? names : ['*']) {
          const list = servers.get(n) ?? [];
          if (!list.includes(view)) list.push(view);
          servers.set(n, list);
        }
      }
    }
  }
  return servers;
}

function chooseServer(servers: Map<string, RouteView[]>, host: string): RouteView[] | null {
  if (servers.has(host)) return servers.get(host)!;
  let best: string | null = null;
  for (const n of servers.keys()) if (n.startsWith('*.') && hostMatches(n, host) && (!best || n.length > best.length)) best = n;
  if (best) return servers.get(best)!;
  return servers.get('*') ?? null;
}

function replacePath(mod: { type: string; replaceFullPath?: string; replacePrefixMatch?: string }, match: HTTPRouteMatch, path: string): string {
  if (mod.type === 'ReplaceFullPath') return mod.replaceFullPath ?? '/';
  const prefix = (match.path?.value ?? '/').replace(/\/+$/, '');
  const rest = path.slice(prefix.length);
  const repl = (mod.replacePrefixMatch ?? '/').replace(/\/+$/, '');
  const out = `${repl}${rest}`;
  return out.startsWith('/') ? out : `/${out}`;
}

function applyHeaders(h: [string, string][], mod: NonNullable<HTTPRouteFilter['requestHeaderModifier']>): [string, string][] {
  let out = h.filter(([k]) => !(mod.remove ?? []).some((r) => r.toLowerCase() === k.toLowerCase()));
  for (const s of mod.set ?? []) out = [...out.filter(([k]) => k.toLowerCase() !== s.name.toLowerCase()), [s.name, s.value]];
  for (const a of mod.add ?? []) {
    const i = out.findIndex(([k]) => k.toLowerCase() === a.name.toLowerCase());
    if (i >= 0) out[i] = [out[i]![0], `${out[i]![1]},${a.value}`];
    else out.push([a.name, a.value]);
  }
  return out;
}

/** Weighted choice: `r` in [0, 1). null when no backend can be chosen (all weights 0 / none): a 500. */
export function pickBackend(backends: ResolvedBackend[], r: number): ResolvedBackend | null {
  const total = backends.reduce((s, b) => s + Math.max(0, b.weight), 0);
  if (total <= 0) return null;
  let x = r * total;
  for (const b of backends) {
    if (b.weight <= 0) continue;
    if (x < b.weight) return b;
    x -= b.weight;
  }
  return backends.filter((b) => b.weight > 0).at(-1) ?? null;
}

/** What the Gateway's NGINX does with a request on `port`. `random` draws the weighted split. */
export function routeGatewayRequest(graph: Graph, gw: GatewayView, port: number, listenerScheme: 'http' | 'https', req: GatewayRequest, random: () => number): GatewayDecision {
  const routes = chooseServer(serversOn(gw, graph, port), req.host.toLowerCase());
  if (!routes) return { kind: 'notFound' };
  const cands: Candidate[] = [];
  routes.forEach((view, order) => {
    (view.route.spec?.rules ?? []).forEach((rule, i) => {
      for (const m of rule.matches ?? [{ path: { type: 'PathPrefix', value: '/' } }]) if (matchApplies(m, req)) cands.push({ view, rule: i, match: m, order: order * 1000 + i });
    });
  });
  if (!cands.length) return { kind: 'notFound' };
  cands.sort(compare);
  const c = cands[0]!;
  const rule = c.view.route.spec!.rules![c.rule]!;
  const q = req.uri.indexOf('?');
  const path = q < 0 ? req.uri : req.uri.slice(0, q);
  const query = q < 0 ? '' : req.uri.slice(q);
  let headers = req.headers;
  let host = req.host;
  let newPath = path;
  for (const f of rule.filters ?? []) {
    if (f.type === 'RequestRedirect' && f.requestRedirect) {
      const rr = f.requestRedirect;
      const scheme = rr.scheme ?? listenerScheme;
      const hostname = rr.hostname ?? req.host;
      const wellKnown = scheme === 'https' ? 443 : 80;
      const p = rr.port ?? (rr.scheme ? wellKnown : port);
      const portPart = p === wellKnown ? '' : `:${p}`;
      const target = rr.path ? replacePath(rr.path, c.match, path) : path;
      return { kind: 'redirect', status: rr.statusCode ?? 302, location: `${scheme}://${hostname}${portPart}${target}${query}`, route: c.view.key };
    }
    if (f.type === 'URLRewrite' && f.urlRewrite) {
      if (f.urlRewrite.hostname) host = f.urlRewrite.hostname;
      if (f.urlRewrite.path) newPath = replacePath(f.urlRewrite.path, c.match, path);
    }
    if (f.type === 'RequestHeaderModifier' && f.requestHeaderModifier) headers = applyHeaders(headers, f.requestHeaderModifier);
  }
  const backends = c.view.backends[c.rule] ?? [];
  const chosen = backends.length ? pickBackend(backends, random()) : null;
  return { kind: 'backend', backend: chosen, uri: `${newPath}${query}`, host, headers, route: c.view.key };
}
