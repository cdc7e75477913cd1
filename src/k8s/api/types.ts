// The API's object models. Core, apps, discovery and networking kinds come
// from `kubernetes-types` (generated from the upstream OpenAPI, types only,
// no runtime code); the Gateway API kinds (a CRD group, absent from that
// package) are declared here with the fields the course uses.
import type { ObjectMeta, LabelSelector, Condition, Status, OwnerReference, Time } from 'kubernetes-types/meta/v1';
import type { Pod, PodSpec, PodTemplateSpec, Container, Node, Namespace, Service, ServicePort, Endpoints, ConfigMap, Secret, ServiceAccount, Event } from 'kubernetes-types/core/v1';
import type { Deployment, ReplicaSet, DaemonSet } from 'kubernetes-types/apps/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { NetworkPolicy, Ingress, IngressClass } from 'kubernetes-types/networking/v1';

export type { ObjectMeta, LabelSelector, Condition, Status, OwnerReference, Time };
export type { Pod, PodSpec, PodTemplateSpec, Container, Node, Namespace, Service, ServicePort, Endpoints, ConfigMap, Secret, ServiceAccount, Event };
export type { Deployment, ReplicaSet, DaemonSet, EndpointSlice, NetworkPolicy, Ingress, IngressClass };

/** ObjectMeta as the server writes it (kubernetes-types marks the server-set fields read-only). */
export type StoredMeta = { -readonly [K in keyof ObjectMeta]: ObjectMeta[K] };

/** Any stored object: apiVersion, kind and metadata always present once stored. */
export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: StoredMeta;
  [field: string]: unknown;
}

// ---------------------------------------------------------------- Gateway API (gateway.networking.k8s.io, standard channel)

export interface ParentReference {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  port?: number;
}

export interface BackendRef {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  port?: number;
  weight?: number;
  filters?: HTTPRouteFilter[];
}

export interface HTTPRouteFilter {
  type: 'RequestHeaderModifier' | 'ResponseHeaderModifier' | 'RequestMirror' | 'RequestRedirect' | 'URLRewrite' | 'ExtensionRef' | string;
  requestHeaderModifier?: { set?: { name: string; value: string }[]; add?: { name: string; value: string }[]; remove?: string[] };
  responseHeaderModifier?: { set?: { name: string; value: string }[]; add?: { name: string; value: string }[]; remove?: string[] };
  requestRedirect?: { scheme?: string; hostname?: string; path?: { type: string; replaceFullPath?: string; replacePrefixMatch?: string }; port?: number; statusCode?: number };
  urlRewrite?: { hostname?: string; path?: { type: string; replaceFullPath?: string; replacePrefixMatch?: string } };
  [k: string]: unknown;
}

export interface HTTPRouteMatch {
  path?: { type?: 'Exact' | 'PathPrefix' | 'RegularExpression'; value?: string };
  headers?: { type?: 'Exact' | 'RegularExpression'; name: string; value: string }[];
  queryParams?: { type?: 'Exact' | 'RegularExpression'; name: string; value: string }[];
  method?: string;
}

export interface RouteParentStatus {
  parentRef: ParentReference;
  controllerName: string;
  conditions?: Condition[];
}

export interface GatewayClass {
  apiVersion: 'gateway.networking.k8s.io/v1';
  kind: 'GatewayClass';
  metadata: ObjectMeta;
  spec: { controllerName: string; description?: string; parametersRef?: { group: string; kind: string; name: string; namespace?: string } };
  status?: { conditions?: Condition[] };
}

export interface GatewayListener {
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
  tls?: { mode?: string; certificateRefs?: { group?: string; kind?: string; name: string; namespace?: string }[] };
  allowedRoutes?: { namespaces?: { from?: 'All' | 'Same' | 'Selector'; selector?: LabelSelector }; kinds?: { group?: string; kind: string }[] };
}

export interface Gateway {
  apiVersion: 'gateway.networking.k8s.io/v1';
  kind: 'Gateway';
  metadata: ObjectMeta;
  spec: { gatewayClassName: string; listeners: GatewayListener[]; addresses?: { type?: string; value: string }[] };
  status?: {
    addresses?: { type?: string; value: string }[];
    conditions?: Condition[];
    listeners?: { name: string; supportedKinds: { group?: string; kind: string }[]; attachedRoutes: number; conditions: Condition[] }[];
  };
}

export interface HTTPRoute {
  apiVersion: 'gateway.networking.k8s.io/v1';
  kind: 'HTTPRoute';
  metadata: ObjectMeta;
  spec: {
    parentRefs?: ParentReference[];
    hostnames?: string[];
    rules?: { name?: string; matches?: HTTPRouteMatch[]; filters?: HTTPRouteFilter[]; backendRefs?: BackendRef[]; timeouts?: { request?: string; backendRequest?: string } }[];
  };
  status?: { parents: RouteParentStatus[] };
}

export interface ReferenceGrant {
  apiVersion: 'gateway.networking.k8s.io/v1beta1';
  kind: 'ReferenceGrant';
  metadata: ObjectMeta;
  spec: { from: { group: string; kind: string; namespace: string }[]; to: { group: string; kind: string; name?: string }[] };
}

/** A model as the store returns it: metadata always there, server fields writable. */
export type Stored<T> = Omit<T, 'metadata' | 'apiVersion' | 'kind'> & { apiVersion: string; kind: string; metadata: StoredMeta };

/** The typed object of each stored resource (plural name → model). */
export interface ResourceTypes0 {
  namespaces: Namespace;
  nodes: Node;
  pods: Pod;
  services: Service;
  endpoints: Endpoints;
  configmaps: ConfigMap;
  secrets: Secret;
  serviceaccounts: ServiceAccount;
  events: Event;
  deployments: Deployment;
  replicasets: ReplicaSet;
  daemonsets: DaemonSet;
  endpointslices: EndpointSlice;
  networkpolicies: NetworkPolicy;
  ingresses: Ingress;
  ingressclasses: IngressClass;
  gatewayclasses: GatewayClass;
  gateways: Gateway;
  httproutes: HTTPRoute;
  referencegrants: ReferenceGrant;
}

export type ResourceTypes = { [R in keyof ResourceTypes0]: Stored<ResourceTypes0[R]> };

export type ResourceName = keyof ResourceTypes;
