// The cluster as the network map shows it, read from the API (src/k8s):
// pods by IP, Services with their endpoints' IPs (EndpointSlices), and the
// NetworkPolicies that select each pod.
import type { World } from '../../sim/world';
import type { MapClusterView } from '../../sim/map-model';
import { kubernetesLoaded } from '../k8s-lazy';

// API objects are plain JSON, read field by field (any)
export function clusterView(world: World): MapClusterView | null {
  // stored objects only (scan): reading the map never runs the controllers or moves the cluster's clock
  // a world with a cluster has the Kubernetes layer loaded (src/commands/k8s-lazy.ts)
  const k8s = kubernetesLoaded();
  if (!k8s?.clusterState(world)) return null;
  const { selectorMatches } = k8s;
  const api = k8s.internalApi(world);
  const policies = api.scan('networkpolicies') as any[];
  const pods = (api.scan('pods') as any[])
    .filter((p) => p.status?.podIP && !p.spec?.hostNetwork)
    .map((p) => {
      const ns = p.metadata.namespace as string;
      const labels = p.metadata.labels ?? {};
      const pol = policies.filter((n) => n.metadata.namespace === ns && selectorMatches(n.spec?.podSelector ?? {}, labels)).map((n) => n.metadata.name as string);
      return { name: p.metadata.name as string, namespace: ns, node: (p.spec?.nodeName as string) ?? '', ip: p.status.podIP as string, policies: pol };
    });
  const slices = api.scan('endpointslices') as any[];
  const services = (api.scan('services') as any[]).map((s) => {
    const ns = s.metadata.namespace as string;
    const name = s.metadata.name as string;
    const endpoints: string[] = [];
    for (const sl of slices) {
      if (sl.metadata.namespace !== ns || sl.metadata.labels?.['kubernetes.io/service-name'] !== name) continue;
      for (const e of sl.endpoints ?? []) if (e.conditions?.ready !== false) endpoints.push(...(e.addresses ?? []));
    }
    const ports = (s.spec?.ports ?? []).map((p: any) => `${p.port}/${p.protocol ?? 'TCP'}`).join(',');
    return { name, namespace: ns, type: (s.spec?.type as string) ?? 'ClusterIP', clusterIP: (s.spec?.clusterIP as string) ?? '', ports, endpoints };
  });
  const nodes = (api.scan('nodes') as any[]).map((n) => n.metadata.name as string);
  return { nodes, pods, services };
}
