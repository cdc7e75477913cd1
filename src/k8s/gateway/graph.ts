// NGINX Gateway Fabric's view of the Gateway API objects (its "graph"):
// which Gateways and listeners it accepts, which HTTPRoutes attach to them
// and why not, which backend references resolve, with the conditions and
// messages NGF writes (from its state/conditions and graph packages).
// Pure over the objects; ngf.ts writes the results into the objects'
// status and serves requests from them (route.ts).
import type { BackendRef, Gateway, GatewayClass, GatewayListener, HTTPRoute, ParentReference, ReferenceGrant } from '../api/types';

export const NGF_CONTROLLER = 'gateway.nginx.org/nginx-gateway-controller';
export const GW_GROUP = 'gateway.networking.k8s.io';

export interface Cond {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export interface ResolvedBackend {
  valid: boolean;
  namespace: string;
  service: string;
  port: number;
  weight: number;
}

export interface RouteParent {
  /** the spec's parentRef with its defaults, as status echoes it */
  parentRef: ParentReference;
  gatewayKey: string;
  accepted: boolean;
  /** names of the listeners it attached to */
  listeners: string[];
  conditions: Cond[];
}

export interface RouteView {
  key: string;
  route: HTTPRoute;
  parents: RouteParent[];
  /** per rule, its backends (invalid ones answer 500) */
  backends: ResolvedBackend[][];
}

export interface ListenerView {
  listener: GatewayListener;
  attachedRoutes: number;
  conditions: Cond[];
}

export interface GatewayView {
  key: string;
  gateway: Gateway;
  listeners: ListenerView[];
  conditions: Cond[];
}

export interface Graph {
  /** the GatewayClasses whose controllerName is NGF's */
  classes: GatewayClass[];
  gateways: Map<string, GatewayView>;
  routes: RouteView[];
}

export interface GraphInput {
  gatewayClasses: GatewayClass[];
  gateways: Gateway[];
  routes: HTTPRoute[];
  grants: ReferenceGrant[];
  /** Service key ns/name → its port numbers */
  services: Map<string, number[]>;
  /** namespace name → labels */
  namespaces: Map<string, Record<string, string>>;
}

const keyOf = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace ?? 'default'}/${o.metadata?.name ?? ''}`;
const cond = (type: string, ok: boolean, reason: string, message: string): Cond => ({ type, status: ok ? 'True' : 'False', reason, message });

export const ROUTE_ACCEPTED = cond('Accepted', true, 'Accepted', 'The Route is accepted');
export const ROUTE_RESOLVED = cond('ResolvedRefs', true, 'ResolvedRefs', 'All references are resolved');

/** Do a listener hostname and a route hostname have names in common? (`*.example.com` covers one or more labels) */
export function hostnamesIntersect(a: string, b: string): boolean {
  if (a === b) return true;
  const wa = a.startsWith('*.');
  const wb = b.startsWith('*.');
  if (wa && !wb) return b.endsWith(a.slice(1));
  if (wb && !wa) return a.endsWith(b.slice(1));
  if (wa && wb) return a.endsWith(b.slice(1)) || b.endsWith(a.slice(1));
  return false;
}

/** Does a request host match a hostname pattern? */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return pattern === host;
}

function selectorMatches(sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined, labels: Record<string, string>): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    const inV = (e.values ?? []).includes(labels[e.key] ?? '');
    if (e.operator === 'In' && !(has && inV)) return false;
    if (e.operator === 'NotIn' && has && inV) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function allowsNamespace(gw: Gateway, l: GatewayListener, routeNs: string, nsLabels: Map<string, Record<string, string>>): boolean {
  const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNs === (gw.metadata?.namespace ?? 'default');
  return selectorMatches(l.allowedRoutes?.namespaces?.selector as any, nsLabels.get(routeNs) ?? {});
}

function allowsHTTPRoute(l: GatewayListener): boolean {
  const kinds = l.allowedRoutes?.kinds;
  if (kinds?.length) return kinds.some((k) => k.kind === 'HTTPRoute' && (k.group ?? GW_GROUP) === GW_GROUP);
  return l.protocol === 'HTTP' || l.protocol === 'HTTPS';
}

/** The hostnames a route serves on a listener (their intersection); [] = every host. null: none in common. */
export function effectiveHostnames(l: GatewayListener, route: HTTPRoute): string[] | null {
  const rh = route.spec?.hostnames ?? [];
  if (!l.hostname) return rh;
  if (!rh.length) return [l.hostname];
  const out: string[] = [];
  for (const h of rh) {
    if (!hostnamesIntersect(l.hostname, h)) continue;
    // the more specific of the two
    out.push(h.startsWith('*.') && !l.hostname.startsWith('*.') ? l.hostname : h.startsWith('*.') && l.hostname.length > h.length ? l.hostname : h);
  }
  return out.length ? [...new Set(out)] : null;
}

function grantAllows(grants: ReferenceGrant[], fromNs: string, toNs: string, svc: string): boolean {
  return grants.some(
    (g) =>
      (g.metadata?.namespace ?? 'default') === toNs &&
      (g.spec?.from ?? []).some((f) => f.group === GW_GROUP && f.kind === 'HTTPRoute' && f.namespace === fromNs) &&
      (g.spec?.to ?? []).some((t) => (t.group ?? '') === '' && t.kind === 'Service' && (!t.name || t.name === svc)),
  );
}

/** A backendRef checked as NGF checks it: the condition of its first problem, or null. */
function checkBackend(ref: BackendRef, path: string, routeNs: string, input: GraphInput): { backend: ResolvedBackend; problem: Cond | null } {
  const ns = ref.namespace ?? routeNs;
  const backend: ResolvedBackend = { valid: false, namespace: ns, service: ref.name, port: ref.port ?? 0, weight: ref.weight ?? 1 };
  const group = ref.group ?? '';
  if (group !== '' && group !== 'core') return { backend, problem: cond('ResolvedRefs', false, 'InvalidKind', `${path}.group: Unsupported value: "${group}": supported values: "core", ""`) };
  if ((ref.kind ?? 'Service') !== 'Service') return { backend, problem: cond('ResolvedRefs', false, 'InvalidKind', `${path}.kind: Unsupported value: "${ref.kind}": supported values: "Service"`) };
  if (ns !== routeNs && !grantAllows(input.grants, routeNs, ns, ref.name)) return { backend, problem: cond('ResolvedRefs', false, 'RefNotPermitted', `${path}.namespace: Forbidden: Backend ref to Service ${ns}/${ref.name} not permitted by any ReferenceGrant`) };
  if (ref.port === undefined) return { backend, problem: cond('ResolvedRefs', false, 'UnsupportedValue', `${path}.port: Required value: port cannot be nil`) };
  const ports = input.services.get(`${ns}/${ref.name}`);
  if (!ports) return { backend, problem: cond('ResolvedRefs', false, 'BackendNotFound', `${path}.name: Not found: "${ref.name}"`) };
  if (!ports.includes(ref.port)) return { backend, problem: cond('ResolvedRefs', false, 'BackendNotFound', `No matching port for Service ${ref.name} and port ${ref.port}`) };
  return { backend: { ...backend, valid: true }, problem: null };
}

/** The graph NGF builds from the objects (its GatewayClass: controllerName NGF's, named `className`). */
export function buildGraph(input: GraphInput, className: string): Graph {
  const classes = input.gatewayClasses.filter((c) => c.spec?.controllerName === NGF_CONTROLLER && c.metadata?.name === className);
  const gateways = new Map<string, GatewayView>();
  if (!classes.length) return { classes, gateways, routes: [] };
  for (const gw of input.gateways) {
    if (gw.spec?.gatewayClassName !== className || gw.metadata?.deletionTimestamp) continue;
    const listeners: ListenerView[] = (gw.spec?.listeners ?? []).map((l) => {
      const ok = l.protocol === 'HTTP' || l.protocol === 'HTTPS';
      const conditions = ok
        ? [cond('Accepted', true, 'Accepted', 'The Listener is accepted'), cond('Programmed', true, 'Programmed', 'The Listener is programmed'), cond('ResolvedRefs', true, 'ResolvedRefs', 'All references are resolved'), cond('Conflicted', false, 'NoConflicts', 'No conflicts')]
        : [
            cond('Accepted', false, 'UnsupportedProtocol', `protocol: Unsupported value: "${l.protocol}": supported values: "HTTP", "HTTPS", "TLS"`),
            cond('Programmed', false, 'Invalid', `protocol: Unsupported value: "${l.protocol}": supported values: "HTTP", "HTTPS", "TLS"`),
            cond('ResolvedRefs', true, 'ResolvedRefs', 'All references are resolved'),
            cond('Conflicted', false, 'NoConflicts', 'No conflicts'),
          ];
      return { listener: l, attachedRoutes: 0, conditions };
    });
    const anyValid = listeners.some((l) => l.conditions[0]!.status === 'True');
    const conditions = anyValid
      ? [cond('Accepted', true, 'Accepted', 'The Gateway is accepted'), cond('Programmed', true, 'Programmed', 'The Gateway is programmed')]
      : [cond('Accepted', false, 'ListenersNotValid', 'The Gateway has no valid listeners'), cond('Programmed', false, 'Invalid', 'The Gateway has no valid listeners')];
    gateways.set(keyOf(gw), { key: keyOf(gw), gateway: gw, listeners, conditions });
  }
  const routes: RouteView[] = [];
  const sorted = [...input.routes].filter((r) => !r.metadata?.deletionTimestamp).sort((a, b) => String(a.metadata?.creationTimestamp ?? '').localeCompare(String(b.metadata?.creationTimestamp ?? '')) || keyOf(a).localeCompare(keyOf(b)));
  for (const route of sorted) {
    const routeNs = route.metadata?.namespace ?? 'default';
    const parents: RouteParent[] = [];
    // backend references, checked once per route (the first problem is the route's ResolvedRefs)
    let problem: Cond | null = null;
    const backends = (route.spec?.rules ?? []).map((rule, i) =>
      (rule.backendRefs ?? []).map((ref, j) => {
        const r = checkBackend(ref, `spec.rules[${i}].backendRefs[${j}]`, routeNs, input);
        problem ??= r.problem;
        return r.backend;
      }),
    );
    for (const pr of route.spec?.parentRefs ?? []) {
      if ((pr.kind ?? 'Gateway') !== 'Gateway' || (pr.group ?? GW_GROUP) !== GW_GROUP) continue;
      const gk = `${pr.namespace ?? routeNs}/${pr.name}`;
      const gv = gateways.get(gk);
      if (!gv) continue;
      const parentRef: ParentReference = { group: pr.group ?? GW_GROUP, kind: pr.kind ?? 'Gateway', name: pr.name, ...(pr.namespace ? { namespace: pr.namespace } : {}), ...(pr.sectionName ? { sectionName: pr.sectionName } : {}), ...(pr.port ? { port: pr.port } : {}) };
      const named = gv.listeners.filter((l) => (!pr.sectionName || l.listener.name === pr.sectionName) && (!pr.port || l.listener.port === pr.port));
      let accepted: Cond;
      const attached: string[] = [];
      if (!named.length) accepted = cond('Accepted', false, 'NoMatchingParent', 'The Listener is not found for this parent ref');
      else {
        const allowed = named.filter((l) => allowsNamespace(gv.gateway, l.listener, routeNs, input.namespaces) && allowsHTTPRoute(l.listener));
        if (!allowed.length) accepted = cond('Accepted', false, 'NotAllowedByListeners', 'The Route is not allowed by any listener');
        else {
          const hosted = allowed.filter((l) => effectiveHostnames(l.listener, route) !== null && l.conditions[0]!.status === 'True');
          if (!hosted.length) accepted = cond('Accepted', false, 'NoMatchingListenerHostname', 'The Listener hostname does not match the Route hostnames');
          else {
            accepted = ROUTE_ACCEPTED;
            for (const l of hosted) {
              l.attachedRoutes++;
              attached.push(l.listener.name);
            }
          }
        }
      }
      parents.push({ parentRef, gatewayKey: gk, accepted: accepted.status === 'True', listeners: attached, conditions: [accepted, problem ?? ROUTE_RESOLVED] });
    }
    routes.push({ key: keyOf(route), route, parents, backends });
  }
  return { classes, gateways, routes };
}
