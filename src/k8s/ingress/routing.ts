// How the F5 NGINX Ingress Controller (NIC) turns Ingress objects into
// NGINX configuration, and how NGINX then picks a location for a request.
// Pure functions over the objects (no World): the controller's program
// (nic.ts) calls them for each request it proxies.
//
// NIC's rules, as its configuration generator applies them:
// - it handles the Ingresses of its class (spec.ingressClassName, or the
//   legacy kubernetes.io/ingress.class annotation); Ingresses without a
//   class only when its IngressClass is the cluster default;
// - every rule needs a host (NIC rejects a host-less rule: "spec.rules[0].host:
//   Required value"), and an Ingress needs rules;
// - one server block per host; a host already taken by an older Ingress
//   makes the newer one rejected ("All hosts are taken by other resources");
// - per path a location: pathType Exact → `location = /p`, Prefix and
//   ImplementationSpecific → `location /p` (NGINX's plain prefix match: /tea
//   also matches /teapot, as on the real controller), or a regex location with
//   the nginx.org/path-regex annotation (case_sensitive ~, case_insensitive ~*,
//   exact =);
// - spec.defaultBackend becomes `location /` of the Ingress's hosts when no
//   rule path is "/";
// - nginx.org/rewrites ("serviceName=tea-svc rewrite=/;serviceName=...")
//   replaces the matched location prefix by the rewrite in the URI sent upstream.
// NGINX's own choice among locations: an exact match wins; else the longest
// prefix; regex locations are tried in order after the prefixes and win over
// them when one matches. No location → NGINX's 404.
import type { Ingress, IngressClass } from '../api/types';

export const NIC_CONTROLLER = 'nginx.org/ingress-controller';

export interface Backend {
  /** namespace of the Ingress (and of the Service) */
  namespace: string;
  service: string;
  /** the Service port: a number or a port name */
  port: number | string;
}

export interface Location {
  kind: 'exact' | 'prefix' | 'regex' | 'iregex';
  path: string;
  backend: Backend;
  /** nginx.org/rewrites for this backend's Service */
  rewrite: string | null;
  /** the Ingress that brought it, ns/name */
  ingress: string;
}

export interface Server {
  host: string;
  ingress: string;
  locations: Location[];
}

export interface IngressVerdict {
  key: string;
  ok: boolean;
  /** why NIC rejected it (the text after "was rejected: ") */
  error?: string;
  hosts: string[];
}

export interface NicConfig {
  servers: Map<string, Server>;
  verdicts: IngressVerdict[];
}

const key = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace ?? 'default'}/${o.metadata?.name ?? ''}`;

/** The class an Ingress asks for, '' when none. */
export function ingressClassOf(ing: Ingress): string {
  return ing.spec?.ingressClassName ?? ing.metadata?.annotations?.['kubernetes.io/ingress.class'] ?? '';
}

/** Is `cls` (this controller's IngressClass) the cluster's default? */
export function isDefaultClass(cls: IngressClass | undefined): boolean {
  return cls?.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true';
}

function parseRewrites(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (text ?? '').split(';')) {
    const m = /^\s*serviceName=(\S+)\s+rewrite=(\S*)\s*$/.exec(part);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

function backendOf(ns: string, b: { service?: { name: string; port?: { number?: number; name?: string } } } | undefined): Backend | null {
  if (!b?.service) return null;
  return { namespace: ns, service: b.service.name, port: b.service.port?.number ?? b.service.port?.name ?? 80 };
}

/** Validate as NIC does before it configures an Ingress; '' when fine. */
export function nicValidate(ing: Ingress): string {
  const rules = ing.spec?.rules ?? [];
  if (!rules.length) return 'spec.rules: Required value';
  const errs: string[] = [];
  rules.forEach((r, i) => {
    if (!r.host) errs.push(`spec.rules[${i}].host: Required value`);
  });
  const regex = ing.metadata?.annotations?.['nginx.org/path-regex'];
  if (regex !== undefined && !['case_sensitive', 'case_insensitive', 'exact'].includes(regex)) errs.push(`annotations.nginx.org/path-regex: Invalid value: "${regex}": must be one of: 'case_sensitive', 'case_insensitive', 'exact'`);
  if (errs.length === 1) return errs[0]!;
  return errs.length ? `[${errs.join(', ')}]` : '';
}

/**
 * The configuration NIC builds from the Ingresses (those of class `className`),
 * oldest first as its informer resolves host conflicts.
 */
export function buildNicConfig(ingresses: Ingress[], className: string, classIsDefault: boolean): NicConfig {
  const servers = new Map<string, Server>();
  const verdicts: IngressVerdict[] = [];
  const mine = ingresses
    .filter((i) => {
      const c = ingressClassOf(i);
      return c === className || (c === '' && classIsDefault);
    })
    .filter((i) => !i.metadata?.deletionTimestamp)
    .sort((a, b) => String(a.metadata?.creationTimestamp ?? '').localeCompare(String(b.metadata?.creationTimestamp ?? '')) || key(a).localeCompare(key(b)));
  for (const ing of mine) {
    const k = key(ing);
    const ns = ing.metadata?.namespace ?? 'default';
    const err = nicValidate(ing);
    if (err) {
      verdicts.push({ key: k, ok: false, error: err, hosts: [] });
      continue;
    }
    const hosts = [...new Set((ing.spec?.rules ?? []).map((r) => r.host!))];
    const free = hosts.filter((h) => !servers.has(h));
    if (!free.length) {
      verdicts.push({ key: k, ok: false, error: 'All hosts are taken by other resources', hosts: [] });
      continue;
    }
    const rewrites = parseRewrites(ing.metadata?.annotations?.['nginx.org/rewrites']);
    const regex = ing.metadata?.annotations?.['nginx.org/path-regex'];
    const def = backendOf(ns, ing.spec?.defaultBackend as any);
    for (const host of free) {
      const locs: Location[] = [];
      for (const rule of (ing.spec?.rules ?? []).filter((r) => r.host === host)) {
        for (const p of rule.http?.paths ?? []) {
          const b = backendOf(ns, p.backend as any);
          if (!b) continue;
          const path = p.path || '/';
          const kind: Location['kind'] = p.pathType === 'Exact' ? 'exact' : regex === 'case_sensitive' ? 'regex' : regex === 'case_insensitive' ? 'iregex' : regex === 'exact' ? 'exact' : 'prefix';
          if (locs.some((l) => l.kind === kind && l.path === path)) continue;
          locs.push({ kind, path, backend: b, rewrite: rewrites.get(b.service) ?? null, ingress: k });
        }
      }
      if (def && !locs.some((l) => l.path === '/' && l.kind === 'prefix')) locs.push({ kind: 'prefix', path: '/', backend: def, rewrite: rewrites.get(def.service) ?? null, ingress: k });
      servers.set(host, { host, ingress: k, locations: locs });
    }
    verdicts.push({ key: k, ok: true, hosts: free });
  }
  return { servers, verdicts };
}

/** NGINX's location choice for a URI path (no query string). */
export function chooseLocation(locs: Location[], path: string): Location | null {
  const exact = locs.find((l) => l.kind === 'exact' && l.path === path);
  if (exact) return exact;
  let best: Location | null = null;
  for (const l of locs) if (l.kind === 'prefix' && path.startsWith(l.path) && (!best || l.path.length > best.path.length)) best = l;
  for (const l of locs) {
    if (l.kind !== 'regex' && l.kind !== 'iregex') continue;
    try {
      if (new RegExp(l.path.startsWith('^') ? l.path : `^${l.path}`, l.kind === 'iregex' ? 'i' : '').test(path)) return l;
    } catch {
      /* NGINX would have refused the configuration; the location never matches */
    }
  }
  return best;
}

/** The URI sent upstream: the location's prefix replaced by the rewrite (proxy_pass with a URI). */
export function upstreamUri(loc: Location, uri: string): string {
  if (loc.rewrite === null || loc.kind === 'regex' || loc.kind === 'iregex') return uri;
  const q = uri.indexOf('?');
  const path = q < 0 ? uri : uri.slice(0, q);
  const rest = path.startsWith(loc.path) ? path.slice(loc.path.length) : path;
  return `${loc.rewrite}${rest}${q < 0 ? '' : uri.slice(q)}`;
}

/** The server and location a request goes to (Host header without its port). */
export function routeRequest(cfg: NicConfig, hostHeader: string, uri: string): { server: Server; location: Location } | { server: Server | null; location: null } {
  const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
  const server = cfg.servers.get(host) ?? null;
  if (!server) return { server: null, location: null };
  const path = uri.split('?')[0]!;
  const location = chooseLocation(server.locations, path);
  return location ? { server, location } : { server, location: null };
}
