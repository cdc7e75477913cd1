// An index of a namespace's routes (fib.ts): their keys (kernelRoute's duplicate check) and how many go through
// each device (flushLinkRoutes). A namespace with a thousand bridge ports holds thousands of routes, each port
// that comes up adds two and each device that leaves flushes its own. Derived, never saved: valid while
// ns.routes is the same array with the same length as when it was built or kernelRoute added to it; in-place
// replacements of a route call routesEdited(ns).
import type { Netns, Route } from './types';

export type KernelRouteKey = Pick<Route, 'family' | 'table' | 'type' | 'dst' | 'dstLen' | 'oif' | 'metric'>;
export const kernelKey = (r: KernelRouteKey): string => `${r.family} ${r.table} ${r.type} ${r.dst}/${r.dstLen} ${r.oif} ${r.metric}`;

export interface RouteIndex {
  routes: Route[];
  len: number;
  keys: Set<string>;
  /** routes per output device (a multipath route counts for each of its hops) */
  oifs: Map<number, number>;
}
const routeIndexes = new WeakMap<Netns, RouteIndex>();

export function routesEdited(ns: Netns): void {
  routeIndexes.delete(ns);
}

export function countOifs(oifs: Map<number, number>, r: Route): void {
  for (const oif of r.nexthops ? r.nexthops.map((h) => h.oif) : [r.oif]) if (oif != null) oifs.set(oif, (oifs.get(oif) ?? 0) + 1);
}

export function routeIndex(ns: Netns): RouteIndex {
  let idx = routeIndexes.get(ns);
  if (!idx || idx.routes !== ns.routes || idx.len !== ns.routes.length) {
    idx = { routes: ns.routes, len: ns.routes.length, keys: new Set(), oifs: new Map() };
    for (const r of ns.routes) {
      idx.keys.add(kernelKey(r));
      countOifs(idx.oifs, r);
    }
    routeIndexes.set(ns, idx);
  }
  return idx;
}

/** Is a route with this key there? (the index answers; a yes is checked against the table itself) */
export function hasRoute(ns: Netns, key: string): boolean {
  return routeIndex(ns).keys.has(key) && ns.routes.some((x) => kernelKey(x) === key);
}

/** Append a route, keeping the index current. */
export function indexedPush(ns: Netns, key: string, route: Route): void {
  const idx = routeIndex(ns);
  ns.routes.push(route);
  idx.keys.add(key);
  countOifs(idx.oifs, route);
  idx.len = ns.routes.length;
}

/** Put `route` in place of the route at `i` (its key may change: the index is dropped). */
export function replaceRoute(ns: Netns, i: number, route: Route): void {
  ns.routes[i] = route;
  routesEdited(ns);
}
