// The resource registry: what discovery serves (kubectl api-resources, the
// HTTP server's /api and /apis) and how a name typed on a command line
// (kind, plural, singular, short name, `kind.group`) maps to a resource.
// Entries with `stored: false` are listed by discovery (as a kubeadm
// cluster's apiserver lists them) but this API keeps no objects for them.

export interface ResourceInfo {
  /** plural, lower case: the REST path segment ("pods") */
  resource: string;
  singular: string;
  shortNames: string[];
  kind: string;
  /** "" for the core group */
  group: string;
  version: string;
  namespaced: boolean;
  verbs: string[];
  categories: string[];
  /** objects of it can be created and kept */
  stored: boolean;
  /** served only when the cluster has this CRD group installed (ClusterConfig.crdGroups) */
  crd?: boolean;
}

const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const NO_COLL = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

function r(resource: string, singular: string, kind: string, gv: string, namespaced: boolean, shortNames: string[] = [], o: Partial<ResourceInfo> = {}): ResourceInfo {
  const [group, version] = gv.includes('/') ? (gv.split('/') as [string, string]) : ['', gv];
  return { resource, singular, shortNames, kind, group, version, namespaced, verbs: ALL, categories: [], stored: true, ...o };
}

/** In discovery order (core group first, then the groups as kube-apiserver orders them). */
export const RESOURCES: ResourceInfo[] = [
  r('bindings', 'binding', 'Binding', 'v1', true, [], { verbs: ['create'], stored: false }),
  r('componentstatuses', 'componentstatus', 'ComponentStatus', 'v1', false, ['cs'], { verbs: ['get', 'list'], stored: false }),
  r('configmaps', 'configmap', 'ConfigMap', 'v1', true, ['cm']),
  r('endpoints', 'endpoints', 'Endpoints', 'v1', true, ['ep']),
  r('events', 'event', 'Event', 'v1', true, ['ev']),
  r('limitranges', 'limitrange', 'LimitRange', 'v1', true, ['limits'], { stored: false }),
  r('namespaces', 'namespace', 'Namespace', 'v1', false, ['ns'], { verbs: NO_COLL }),
  r('nodes', 'node', 'Node', 'v1', false, ['no']),
  r('persistentvolumeclaims', 'persistentvolumeclaim', 'PersistentVolumeClaim', 'v1', true, ['pvc'], { stored: false }),
  r('persistentvolumes', 'persistentvolume', 'PersistentVolume', 'v1', false, ['pv'], { stored: false }),
  r('pods', 'pod', 'Pod', 'v1', true, ['po'], { categories: ['all'] }),
  r('podtemplates', 'podtemplate', 'PodTemplate', 'v1', true, [], { stored: false }),
  r('replicationcontrollers', 'replicationcontroller', 'ReplicationController', 'v1', true, ['rc'], { categories: ['all'], stored: false }),
  r('resourcequotas', 'resourcequota', 'ResourceQuota', 'v1', true, ['quota'], { stored: false }),
  r('secrets', 'secret', 'Secret', 'v1', true),
  r('serviceaccounts', 'serviceaccount', 'ServiceAccount', 'v1', true, ['sa']),
  r('services', 'service', 'Service', 'v1', true, ['svc'], { categories: ['all'] }),
  r('controllerrevisions', 'controllerrevision', 'ControllerRevision', 'apps/v1', true, [], { stored: false }),
  r('daemonsets', 'daemonset', 'DaemonSet', 'apps/v1', true, ['ds'], { categories: ['all'] }),
  r('deployments', 'deployment', 'Deployment', 'apps/v1', true, ['deploy'], { categories: ['all'] }),
  r('replicasets', 'replicaset', 'ReplicaSet', 'apps/v1', true, ['rs'], { categories: ['all'] }),
  r('statefulsets', 'statefulset', 'StatefulSet', 'apps/v1', true, ['sts'], { categories: ['all'], stored: false }),
  r('cronjobs', 'cronjob', 'CronJob', 'batch/v1', true, ['cj'], { categories: ['all'], stored: false }),
  r('jobs', 'job', 'Job', 'batch/v1', true, [], { categories: ['all'], stored: false }),
  r('endpointslices', 'endpointslice', 'EndpointSlice', 'discovery.k8s.io/v1', true),
  r('ingressclasses', 'ingressclass', 'IngressClass', 'networking.k8s.io/v1', false),
  r('ingresses', 'ingress', 'Ingress', 'networking.k8s.io/v1', true, ['ing']),
  r('networkpolicies', 'networkpolicy', 'NetworkPolicy', 'networking.k8s.io/v1', true, ['netpol']),
  r('gatewayclasses', 'gatewayclass', 'GatewayClass', 'gateway.networking.k8s.io/v1', false, ['gc'], { crd: true }),
  r('gateways', 'gateway', 'Gateway', 'gateway.networking.k8s.io/v1', true, ['gtw'], { crd: true }),
  r('httproutes', 'httproute', 'HTTPRoute', 'gateway.networking.k8s.io/v1', true, [], { crd: true }),
  r('referencegrants', 'referencegrant', 'ReferenceGrant', 'gateway.networking.k8s.io/v1beta1', true, ['refgrant'], { crd: true }),
  // MetalLB's CRDs (served once its manifest installed them: src/k8s/metallb)
  r('ipaddresspools', 'ipaddresspool', 'IPAddressPool', 'metallb.io/v1beta1', true, [], { crd: true }),
  r('l2advertisements', 'l2advertisement', 'L2Advertisement', 'metallb.io/v1beta1', true, [], { crd: true }),
];

const byResource = new Map(RESOURCES.map((x) => [x.resource, x]));

/** The entry of a plural resource name ("pods"), or undefined. */
export function resourceInfo(resource: string): ResourceInfo | undefined {
  return byResource.get(resource);
}

/** The entry for an object's apiVersion + kind, or undefined. */
export function infoForKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  return RESOURCES.find((x) => x.kind === kind && gvOf(x) === apiVersion);
}

/** "v1" or "apps/v1". */
export function gvOf(info: ResourceInfo): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

/** How the apiserver names a resource in messages: `pods`, `deployments.apps`. */
export function groupResource(info: ResourceInfo): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}

/** How the apiserver names a kind in Invalid messages: `Pod`, `Deployment.apps`. */
export function groupKind(info: ResourceInfo): string {
  return info.group ? `${info.kind}.${info.group}` : info.kind;
}

/**
 * Resolve what a user typed (`po`, `pod`, `pods`, `Pod`, `deploy`,
 * `deployments.apps`, `deployment.v1.apps`) to a resource, as kubectl's
 * RESTMapper does; `served` filters out the CRD groups not installed.
 */
export function resolveResource(typed: string, served: (info: ResourceInfo) => boolean = () => true): ResourceInfo | undefined {
  const t = typed.toLowerCase();
  const dot = t.indexOf('.');
  const name = dot < 0 ? t : t.slice(0, dot);
  const rest = dot < 0 ? null : t.slice(dot + 1);
  const candidates = RESOURCES.filter(served).filter((x) => x.resource === name || x.singular === name || x.kind.toLowerCase() === name || x.shortNames.includes(name));
  if (rest === null) return candidates[0];
  return candidates.find((x) => x.group === rest || `${x.version}.${x.group}` === rest || (x.group === '' && rest === x.version));
}
