// The object store and its typed API, as kube-apiserver behaves for the
// requests kubectl makes: create (defaulting, validation, admission,
// ClusterIP/NodePort allocation), get, list with label and field
// selectors, update (optimistic concurrency on resourceVersion, generation,
// immutable fields), patch (merge, strategic, json), delete (grace periods,
// finalizers, propagation), and events. State is plain JSON in
// `world.state.kube` (ClusterState), serialised with the World.
import { own, setOwn } from '../../sim/own';
import type { World } from '../../sim/world';
import { HTTP_EPOCH_MS } from '../../sim/http';
import type { KObject, ResourceName, ResourceTypes } from './types';
import { RESOURCES, infoForKind, resourceInfo, gvOf, type ResourceInfo } from './registry';
import { StatusError, alreadyExists, badRequest, conflict, forbidden, invalid, notFound, methodNotAllowed, fieldError, type FieldError } from './errors';
import { parseLabelSelector, parseFieldSelector, fieldsMatch, matches, fromLabelSelector, type Selector } from './selectors';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { applyDefaults } from './defaults';
import { validateMeta, validateObject, validateUpdate } from './validation';
import { mergePatch, strategicMergePatch, jsonPatch, type JsonPatchOp } from './patch';
import { decodeObject, goPrint, patchInvalid, sortedJson } from '../openapi/decode';
import { allocateServiceAddresses, releaseServiceAddresses } from './allocators';
import { jsonClone } from './clone';
import { aggregate, COMBINED_PREFIX, observationKey, pruneCorrelator, spamFiltered, type CorrelatorState, type Occurrence } from './event-correlator';

export interface ClusterConfig {
  /** Kubernetes version of every component ("v1.33.4") */
  version: string;
  serviceCIDR: string;
  podCIDR: string;
  /** per-node podCIDR prefix length (24) */
  nodeCIDRMaskSize: number;
  nodePortRange: [number, number];
  clusterDomain: string;
  dnsServiceIP: string;
  /** CRD groups installed (their resources are served): e.g. gateway.networking.k8s.io */
  crdGroups: string[];
  /** the API server runs as a static pod (kubeadm): clients reach it only while that container runs */
  apiserverStaticPod?: boolean;
}

export const DEFAULT_CONFIG: ClusterConfig = {
  version: 'v1.33.4',
  serviceCIDR: '10.96.0.0/12',
  podCIDR: '10.244.0.0/16',
  nodeCIDRMaskSize: 24,
  nodePortRange: [30000, 32767],
  clusterDomain: 'cluster.local',
  dnsServiceIP: '10.96.0.10',
  crdGroups: ['gateway.networking.k8s.io'],
};

/** The cluster's whole state: objects by resource and key, plus what the controllers and the runtime keep. */
export interface ClusterState {
  version: 1;
  config: ClusterConfig;
  /** last resourceVersion issued (etcd revision) */
  rv: number;
  /** the cluster's own PRNG (mulberry32 state): names, uids, allocations */
  rng: number;
  /** simulated ms the controllers have reached (≤ world.now()) */
  now: number;
  /** resource → key ("ns/name", or "name" when cluster-scoped) → object */
  objects: Record<string, Record<string, KObject>>;
  /** allocated ClusterIPs and NodePorts (service key) */
  alloc: { ips: Record<string, string>; nodePorts: Record<string, string> };
  /** runtime state owned by the controllers and the kubelet (src/k8s/controllers, src/k8s/runtime) */
  runtime: Record<string, unknown>;
  /** resource → resourceVersion of its last write (lets a controller skip a pass when nothing it reads changed) */
  touched?: Record<string, number>;
}

export function clusterState(world: World): ClusterState | null {
  return (world.state.kube as ClusterState | undefined) ?? null;
}

/** Create an empty cluster state in the world (no objects). */
export function initClusterState(world: World, config: Partial<ClusterConfig> = {}, startMs = world.now()): ClusterState {
  const st: ClusterState = {
    version: 1,
    config: { ...DEFAULT_CONFIG, ...config },
    rv: 100,
    rng: (world.state.seed * 2654435761) >>> 0 || 0x6d2b79f5,
    now: startMs,
    objects: {},
    alloc: { ips: {}, nodePorts: {} },
    runtime: {},
  };
  world.state.kube = st as unknown as Record<string, unknown>;
  return st;
}

const clone = jsonClone;
const EMPTY: Record<string, KObject> = Object.freeze({}) as Record<string, KObject>;

/** RFC 3339 time (seconds) of a simulated ms, as metav1.Time serialises. */
export function rfc3339(simMs: number): string {
  const sec = Math.floor(simMs / 1000);
  // one instant is formatted again and again (every timestamp a controller pass writes)
  if (sec !== lastRfcSec) {
    lastRfcSec = sec;
    lastRfc = new Date(HTTP_EPOCH_MS + sec * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastRfc;
}
let lastRfcSec = NaN;
let lastRfc = '';
/** RFC 3339 with microseconds (metav1.MicroTime). */
export function rfc3339Micro(simMs: number): string {
  const d = new Date(HTTP_EPOCH_MS + Math.floor(simMs));
  const frac = String(Math.floor(((simMs % 1000) + 1000) % 1000) * 1000).padStart(6, '0');
  return d.toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`);
}
/** Simulated ms of an RFC 3339 time. */
export function parseTime(t: string | null | undefined): number | null {
  if (!t) return null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : ms - HTTP_EPOCH_MS;
}

/** utilrand's alphabet (no vowels, no confusable digits): generated name suffixes and safe-encoded hashes. */
export const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export interface WriteOptions {
  dryRun?: boolean;
  /** the namespace of the request path (kubectl's -n); must agree with metadata.namespace */
  namespace?: string;
  fieldManager?: string;
}

export interface ListOptions {
  labelSelector?: string | LabelSelector | Selector;
  fieldSelector?: string;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  dryRun?: boolean;
  /** delete only if the uid / resourceVersion still match */
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult<T> {
  object: T;
  /** false when the object is still there (graceful pod termination, finalizers, foreground deletion) */
  gone: boolean;
}

export type PatchType = 'merge' | 'strategic' | 'json';

export interface ObjectList<T> {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion: string };
  items: T[];
}

/** What the cluster layer plugs into the API: catch up with the clock before a request, run the controllers after a write. */
export interface ApiHooks {
  beforeRequest?: () => void;
  afterWrite?: () => void;
}

/** Kinds whose objects carry metadata.generation. */
const GENERATION = new Set(['deployments', 'replicasets', 'daemonsets', 'networkpolicies', 'ingresses', 'ingressclasses', 'endpointslices', 'gatewayclasses', 'gateways', 'httproutes', 'referencegrants']);
/** Kinds with a status subresource: a plain update keeps the stored status. */
const STATUS_SUBRESOURCE = new Set(['pods', 'deployments', 'replicasets', 'daemonsets', 'services', 'nodes', 'namespaces', 'ingresses', 'gatewayclasses', 'gateways', 'httproutes', 'networkpolicies']);
/** Events kept at most (the apiserver's 1 h TTL also applies). */
const MAX_EVENTS = 400;

export class Api {
  readonly world: World;
  private readonly hooks: ApiHooks;
  private depth = 0;

  constructor(world: World, hooks: ApiHooks = {}) {
    this.world = world;
    this.hooks = hooks;
  }

  get state(): ClusterState {
    const st = clusterState(this.world);
    if (!st) throw new Error('no Kubernetes cluster in this world');
    return st;
  }

  get config(): ClusterConfig {
    return this.state.config;
  }

  /** The cluster's present (simulated ms). */
  now(): number {
    return this.state.now;
  }

  /** A float in [0, 1) from the cluster's own PRNG (mulberry32). */
  random(): number {
    const st = this.state;
    let t = (st.rng = (st.rng + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** n characters of utilrand.String: the suffix of generated names. */
  randomString(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += ALPHANUMS[Math.floor(this.random() * ALPHANUMS.length)];
    return s;
  }

  /** A random (version 4) UUID. */
  uuid(): string {
    let h = '';
    for (let i = 0; i < 32; i++) h += Math.floor(this.random() * 16).toString(16);
    const v = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${v}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** Is a resource served (CRD groups only when installed)? */
  served(info: ResourceInfo): boolean {
    return !info.crd || this.state.config.crdGroups.includes(info.group);
  }

  /** The served resources, in discovery order. */
  resources(): ResourceInfo[] {
    return RESOURCES.filter((r) => this.served(r));
  }

  // ------------------------------------------------------------ plumbing

  private info(resource: string): ResourceInfo {
    const info = resourceInfo(resource);
    if (!info || !this.served(info)) throw notFoundPage();
    return info;
  }

  private bucket(resource: string): Record<string, KObject> {
    const st = this.state;
    return (st.objects[resource] ??= {});
  }

  /** A resource's objects for reading (no empty bucket is left behind in the state). */
  private readBucket(resource: string): Record<string, KObject> {
    return this.state.objects[resource] ?? EMPTY;
  }

  private key(info: ResourceInfo, ns: string | null | undefined, name: string): string {
    return info.namespaced ? `${ns ?? ''}/${name}` : name;
  }

  private nextRv(resource?: string): string {
    const st = this.state;
    const rv = ++st.rv;
    if (resource) (st.touched ??= {})[resource] = rv;
    return String(rv);
  }

  /** The resourceVersion of the last write to a resource (0: none since the state was made). */
  lastWrite(resource: string): number {
    return this.state.touched?.[resource] ?? 0;
  }

  private request<T>(write: boolean, fn: () => T): T {
    if (this.depth === 0) this.hooks.beforeRequest?.();
    this.depth++;
    let out: T;
    try {
      out = fn();
    } finally {
      this.depth--;
    }
    if (write && this.depth === 0) this.hooks.afterWrite?.();
    return out;
  }

  // ------------------------------------------------------------ reads

  /** The object, or a NotFound StatusError. */
  get<R extends ResourceName>(resource: R, ns: string | null, name: string): ResourceTypes[R];
  get(resource: string, ns: string | null, name: string): KObject;
  get(resource: string, ns: string | null, name: string): KObject {
    return this.request(false, () => {
      const info = this.info(resource);
      const o = own(this.readBucket(resource), this.key(info, ns, name));
      if (!o) throw notFound(info, name);
      return clone(o);
    });
  }

  /** The object or null (no error). */
  tryGet<R extends ResourceName>(resource: R, ns: string | null, name: string): ResourceTypes[R] | null;
  tryGet(resource: string, ns: string | null, name: string): KObject | null;
  tryGet(resource: string, ns: string | null, name: string): KObject | null {
    return this.request(false, () => {
      const info = resourceInfo(resource);
      if (!info) return null;
      const o = own(this.readBucket(resource), this.key(info, ns, name));
      return o ? clone(o) : null;
    });
  }

  /** Objects of a resource in a namespace (null: all namespaces), in etcd key order, filtered by selectors. */
  list<R extends ResourceName>(resource: R, ns?: string | null, opts?: ListOptions): ObjectList<ResourceTypes[R]>;
  list(resource: string, ns?: string | null, opts?: ListOptions): ObjectList<KObject>;
  list(resource: string, ns: string | null = null, opts: ListOptions = {}): ObjectList<KObject> {
    return this.request(false, () => {
      const info = this.info(resource);
      const items = this.scan(resource, ns, opts).map(clone);
      return { apiVersion: gvOf(info), kind: `${info.kind}List`, metadata: { resourceVersion: String(this.state.rv) }, items };
    });
  }

  /** Stored objects without copying (controllers read through this; never mutate the result). */
  scan(resource: string, ns: string | null = null, opts: ListOptions = {}): KObject[] {
    const info = resourceInfo(resource);
    if (!info) return [];
    const sel: Selector | null = opts.labelSelector === undefined ? null : typeof opts.labelSelector === 'string' ? parseLabelSelector(opts.labelSelector) : Array.isArray(opts.labelSelector) ? opts.labelSelector : fromLabelSelector(opts.labelSelector);
    const fields = opts.fieldSelector ? parseFieldSelector(opts.fieldSelector) : [];
    const b = this.readBucket(resource);
    const keys = Object.keys(b).sort(byteOrder);
    const out: KObject[] = [];
    for (const k of keys) {
      const o = b[k]!;
      if (info.namespaced && ns !== null && o.metadata.namespace !== ns) continue;
      if (sel && !matches(sel, o.metadata.labels)) continue;
      if (fields.length && !fieldsMatch(resource, o, fields)) continue;
      out.push(o);
    }
    return out;
  }

  /** A stored object without copying (never mutate the result), or undefined. */
  peek(resource: string, ns: string | null, name: string): KObject | undefined {
    const info = resourceInfo(resource);
    if (!info) return undefined;
    return own(this.readBucket(resource), this.key(info, ns, name));
  }

  // ------------------------------------------------------------ create

  create<T extends KObject | Record<string, any>>(input: T, opts: WriteOptions = {}): T & KObject {
    return this.request(!opts.dryRun, () => this.doCreate(input as any, opts) as T & KObject);
  }

  private doCreate(input: any, opts: WriteOptions): KObject {
    if (!input || typeof input !== 'object') throw badRequest('Object \'Kind\' is missing in \'null\'');
    if (!input.kind) throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(input)}'`);
    const info = infoForKind(input.apiVersion ?? '', input.kind);
    if (!info || !this.served(info)) throw badRequest(`no kind "${input.kind}" is registered for version "${input.apiVersion ?? ''}"`);
    if (!info.stored || !info.verbs.includes('create')) throw methodNotAllowed();
    const obj: KObject = clone(input);
    obj.metadata ??= {};
    const meta = obj.metadata;
    if (info.namespaced) {
      const ns = meta.namespace ?? opts.namespace ?? 'default';
      if (opts.namespace !== undefined && meta.namespace !== undefined && meta.namespace !== opts.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      meta.namespace = ns;
    } else delete meta.namespace;
    if (!meta.name && meta.generateName) meta.name = meta.generateName + this.randomString(5);
    // defaulting, then validation
    applyDefaults(info.resource, obj, this.randomString(5));
    const errs: FieldError[] = [...validateMeta(info.resource, meta, info.namespaced), ...validateObject(info.resource, obj)];
    if (errs.length) throw invalid(info, meta.name ?? '', errs);
    const name = meta.name!;
    // the namespace must exist and not be terminating
    if (info.namespaced) {
      const nsObj = own(this.readBucket('namespaces'), meta.namespace!);
      if (!nsObj) throw notFound(resourceInfo('namespaces')!, meta.namespace!);
      if ((nsObj as any).status?.phase === 'Terminating') throw forbidden(info, name, `unable to create new content in namespace ${meta.namespace} because it is being terminated`);
    }
    const key = this.key(info, meta.namespace, name);
    const b = this.bucket(info.resource);
    // the storage layer refuses a create that carries a resourceVersion (one that parses as a non-zero uint64),
    // a plain error that the apiserver answers as a 500 without a reason; a dry run never reaches it
    const rv = meta.resourceVersion;
    if (!opts.dryRun && typeof rv === 'string' && /^\d{1,20}$/.test(rv) && BigInt(rv) !== 0n && BigInt(rv) < 2n ** 64n) {
      throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'resourceVersion should not be set on objects to be created', reason: '', code: 500 });
    }
    if (own(b, key)) throw alreadyExists(info, name);
    // admission: the service account must exist (ServiceAccount plugin)
    if (info.resource === 'pods' && !(meta.annotations && 'kubernetes.io/config.mirror' in meta.annotations)) {
      const sa = (obj as any).spec.serviceAccountName;
      if (!own(this.readBucket('serviceaccounts'), `${meta.namespace}/${sa}`)) throw forbidden(info, name, `error looking up service account ${meta.namespace}/${sa}: serviceaccount "${sa}" not found`);
    }
    // admission: DefaultIngressClass gives an Ingress without a class the default IngressClass (the newest when several are marked)
    if (info.resource === 'ingresses' && !(obj as any).spec?.ingressClassName && !meta.annotations?.['kubernetes.io/ingress.class']) {
      const defaults = Object.values(this.readBucket('ingressclasses')).filter((c: any) => c.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true');
      defaults.sort((a: any, b: any) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)));
      if (defaults[0]) ((obj as any).spec ??= {}).ingressClassName = defaults[0].metadata!.name;
    }
    if (info.resource === 'services') {
      const errs2 = allocateServiceAddresses(this, obj, null, !!opts.dryRun);
      if (errs2.length) throw invalid(info, name, errs2);
    }
    // system fields
    meta.uid = this.uuid();
    meta.creationTimestamp = rfc3339(this.now());
    if (GENERATION.has(info.resource)) meta.generation = 1;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete (meta as any).managedFields;
    obj.apiVersion = gvOf(info);
    obj.kind = info.kind;
    if (opts.dryRun) {
      meta.resourceVersion = undefined;
      return clone(obj);
    }
    meta.resourceVersion = this.nextRv(info.resource);
    this.nextRv('*creates');
    setOwn(b, key, obj);
    if (info.resource === 'events') this.trimEvents();
    return clone(obj);
  }

  // ------------------------------------------------------------ update

  /** Replace an object (PUT). Conflict when metadata.resourceVersion is set and stale; status is kept (see updateStatus). */
  update<T extends KObject | Record<string, any>>(input: T, opts: WriteOptions = {}): T & KObject {
    return this.request(!opts.dryRun, () => this.doUpdate(input as any, opts, false) as T & KObject);
  }

  /** Replace only the status of an object (PUT .../status). */
  updateStatus<T extends KObject | Record<string, any>>(input: T, opts: WriteOptions = {}): T & KObject {
    return this.request(!opts.dryRun, () => this.doUpdate(input as any, opts, true) as T & KObject);
  }

  private doUpdate(input: any, opts: WriteOptions, statusOnly: boolean): KObject {
    const info = infoForKind(input.apiVersion ?? '', input.kind ?? '');
    if (!info || !this.served(info)) throw badRequest(`no kind "${input.kind}" is registered for version "${input.apiVersion ?? ''}"`);
    const ns = info.namespaced ? (input.metadata?.namespace ?? opts.namespace ?? 'default') : null;
    const name = input.metadata?.name;
    if (!name) throw invalid(info, '', [fieldError.required('metadata.name', 'name or generateName is required')]);
    const key = this.key(info, ns, name);
    const b = this.readBucket(info.resource);
    const old = own(b, key);
    if (!old) throw notFound(info, name);
    const rv = input.metadata?.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== old.metadata.resourceVersion) throw conflict(info, name);
    let obj: KObject;
    if (statusOnly) {
      // the stored object is replaced, never changed in place: the new one may share its unchanged parts
      obj = { ...old, metadata: { ...old.metadata } };
      (obj as any).status = clone(input.status);
    } else {
      obj = clone(input);
      obj.metadata ??= {};
      if (STATUS_SUBRESOURCE.has(info.resource)) {
        if ((old as any).status === undefined) delete (obj as any).status;
        else (obj as any).status = clone((old as any).status);
      }
      // metadata the client cannot change
      const m = obj.metadata;
      m.uid = old.metadata.uid;
      m.creationTimestamp = old.metadata.creationTimestamp;
      m.namespace = old.metadata.namespace;
      if (old.metadata.deletionTimestamp) m.deletionTimestamp = old.metadata.deletionTimestamp;
      else delete m.deletionTimestamp;
      if (old.metadata.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
      if (!info.namespaced) delete m.namespace;
      delete (m as any).managedFields;
      if (info.resource === 'namespaces') m.labels = { ...(m.labels ?? {}), 'kubernetes.io/metadata.name': name };
      applyDefaults(info.resource, obj, this.randomString(5));
      if (info.resource === 'services') {
        const e = allocateServiceAddresses(this, obj, old, !!opts.dryRun);
        if (e.length) throw invalid(info, name, e);
      }
      const errs = [...validateMeta(info.resource, m, info.namespaced), ...validateObject(info.resource, obj), ...validateUpdate(info.resource, old, obj)];
      if (errs.length) throw invalid(info, name, errs);
      if (GENERATION.has(info.resource)) {
        // the registry's PrepareForUpdate: apiequality.Semantic.DeepEqual on the spec, so the order of a
        // map's keys (which a patch or a decode may change) is no change; absent and undefined are the same
        const specOf = (o: any) => {
          const { metadata: _m, status: _s, ...rest } = o;
          return sortedJson(JSON.parse(JSON.stringify(rest)));
        };
        m.generation = (old.metadata.generation ?? 1) + (specOf(old) !== specOf(obj) ? 1 : 0);
      }
    }
    obj.apiVersion = gvOf(info);
    obj.kind = info.kind;
    // nothing changed: no new resourceVersion (the apiserver skips no-op writes)
    const sameAsOld = (() => {
      if (statusOnly && obj.apiVersion === old.apiVersion && obj.kind === old.kind) return JSON.stringify((obj as any).status) === JSON.stringify((old as any).status);
      const a = { ...obj, metadata: { ...obj.metadata, resourceVersion: undefined } };
      const o = { ...old, metadata: { ...old.metadata, resourceVersion: undefined } };
      return JSON.stringify(a) === JSON.stringify(o);
    })();
    if (opts.dryRun) return clone({ ...obj, metadata: { ...obj.metadata, resourceVersion: old.metadata.resourceVersion } });
    if (sameAsOld) return clone(old);
    obj.metadata.resourceVersion = this.nextRv(info.resource);
    // the last finalizer gone from an object being deleted: it goes
    if (obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).length === 0 && info.resource !== 'pods') {
      this.nextRv('*deletes');
      delete b[key];
      if (info.resource === 'services') releaseServiceAddresses(this, obj);
      return clone(obj);
    }
    setOwn(b, key, obj);
    return clone(obj);
  }

  /**
   * PUT .../status for the controllers and the kubelet: the object's status
   * becomes `status`, which the store keeps as given (the caller hands it
   * over and never changes it afterwards). No write, and false, when it
   * equals the stored one or the object is gone. What updateStatus does,
   * without its copies.
   */
  setStatus(resource: string, ns: string | null, name: string, status: unknown): boolean {
    return this.request(true, () => {
      const info = resourceInfo(resource);
      if (!info) return false;
      const b = this.readBucket(resource);
      const key = this.key(info, ns, name);
      const old = b[key];
      if (!old || JSON.stringify(status) === JSON.stringify((old as any).status)) return false;
      const obj: any = { ...old, metadata: { ...old.metadata } };
      obj.status = status;
      obj.metadata.resourceVersion = this.nextRv(info.resource);
      b[key] = obj;
      return true;
    });
  }

  // ------------------------------------------------------------ patch

  patch<R extends ResourceName>(resource: R, ns: string | null, name: string, type: PatchType, patch: unknown, opts?: WriteOptions): ResourceTypes[R];
  patch(resource: string, ns: string | null, name: string, type: PatchType, patch: unknown, opts?: WriteOptions): KObject;
  patch(resource: string, ns: string | null, name: string, type: PatchType, patch: unknown, opts: WriteOptions = {}): KObject {
    return this.request(!opts.dryRun, () => {
      const info = this.info(resource);
      const old = own(this.readBucket(resource), this.key(info, ns, name));
      if (!old) throw notFound(info, name);
      let next: any;
      if (type === 'json') next = jsonPatch(old, patch as JsonPatchOp[]);
      else if (type === 'merge') next = mergePatch(old, patch);
      else {
        if (info.crd) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`, reason: 'UnsupportedMediaType', code: 415 });
        next = strategicMergePatch(old, patch);
      }
      if (!next || typeof next !== 'object') throw badRequest('the server rejected our request due to an error in our request');
      // the patched object is decoded into the kind's Go type before defaulting and validation
      // (a strategic merge patch's result by the unstructured converter, the others' by the JSON decoder)
      const decoded = decodeObject(next, old.apiVersion!, old.kind!, type === 'strategic' ? 'converter' : 'json');
      if (decoded && !decoded.ok) throw patchInvalid(type === 'strategic' ? goPrint(patch) : sortedJson(next), decoded.error);
      if (decoded) next = decoded.value;
      next.metadata ??= {};
      if (next.metadata.resourceVersion === undefined) next.metadata.resourceVersion = old.metadata.resourceVersion;
      next.metadata.name = name;
      if (info.namespaced) next.metadata.namespace = ns ?? old.metadata.namespace;
      next.apiVersion = old.apiVersion;
      next.kind = old.kind;
      const statusChanged = JSON.stringify(next.status) !== JSON.stringify((old as any).status);
      let out = this.doUpdate(next, opts, false);
      if (statusChanged && !STATUS_SUBRESOURCE.has(resource)) return out;
      return out;
    });
  }

  /** Patch only the status (PATCH .../status, merge patch). */
  patchStatus(resource: string, ns: string | null, name: string, patch: unknown, opts: WriteOptions = {}): KObject {
    return this.request(!opts.dryRun, () => {
      const info = this.info(resource);
      const old = own(this.readBucket(resource), this.key(info, ns, name));
      if (!old) throw notFound(info, name);
      const next: any = clone(old);
      next.status = mergePatch((old as any).status ?? {}, patch);
      delete next.metadata.resourceVersion;
      return this.doUpdate(next, opts, true);
    });
  }

  // ------------------------------------------------------------ delete

  delete<R extends ResourceName>(resource: R, ns: string | null, name: string, opts?: DeleteOptions): DeleteResult<ResourceTypes[R]>;
  delete(resource: string, ns: string | null, name: string, opts?: DeleteOptions): DeleteResult<KObject>;
  delete(resource: string, ns: string | null, name: string, opts: DeleteOptions = {}): DeleteResult<KObject> {
    return this.request(!opts.dryRun, () => this.doDelete(resource, ns, name, opts));
  }

  private doDelete(resource: string, ns: string | null, name: string, opts: DeleteOptions): DeleteResult<KObject> {
    const info = this.info(resource);
    const key = this.key(info, ns, name);
    const b = this.readBucket(resource);
    const old = own(b, key);
    if (!old) throw notFound(info, name);
    if (opts.preconditions?.uid && opts.preconditions.uid !== old.metadata.uid) throw conflict(info, name, `Precondition failed: UID in precondition: ${opts.preconditions.uid}, UID in object meta: ${old.metadata.uid}`);
    if (opts.preconditions?.resourceVersion && opts.preconditions.resourceVersion !== old.metadata.resourceVersion) throw conflict(info, name, `Precondition failed: ResourceVersion in precondition: ${opts.preconditions.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`);
    if (opts.dryRun) return { object: clone(old), gone: true };
    const obj: any = clone(old);
    const m = obj.metadata;
    // namespaces: Terminating until the namespace controller has emptied them
    if (resource === 'namespaces') {
      if (['default', 'kube-system', 'kube-public', 'kube-node-lease'].includes(name)) throw forbidden(info, name, 'this namespace may not be deleted');
      if (!m.deletionTimestamp) {
        m.deletionTimestamp = rfc3339(this.now());
        m.deletionGracePeriodSeconds = 0;
        obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
        m.resourceVersion = this.nextRv(resource);
        setOwn(b, key, obj);
      }
      return { object: clone(obj), gone: false };
    }
    const policy = opts.propagationPolicy ?? 'Background';
    if (policy === 'Orphan') this.orphanDependents(m.uid);
    // a pod on a node terminates gracefully: the kubelet stops its containers, then deletes it for good
    let grace = 0;
    if (resource === 'pods') {
      const terminal = obj.status?.phase === 'Succeeded' || obj.status?.phase === 'Failed';
      const mirror = m.annotations && 'kubernetes.io/config.mirror' in m.annotations;
      grace = opts.gracePeriodSeconds ?? obj.spec?.terminationGracePeriodSeconds ?? 30;
      if (!obj.spec?.nodeName || terminal || mirror) grace = 0;
      if (m.deletionTimestamp && m.deletionGracePeriodSeconds !== undefined && grace >= m.deletionGracePeriodSeconds && opts.gracePeriodSeconds !== 0) return { object: clone(old), gone: false };
    }
    const finalizers: string[] = [...(m.finalizers ?? [])];
    if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion') && this.hasDependents(m.uid)) finalizers.push('foregroundDeletion');
    if (finalizers.length) this.nextRv('*deletes');
    if (grace > 0 || finalizers.length > 0) {
      m.deletionTimestamp = m.deletionTimestamp && grace === 0 ? m.deletionTimestamp : rfc3339(this.now() + grace * 1000);
      m.deletionGracePeriodSeconds = grace;
      m.finalizers = finalizers.length ? finalizers : undefined;
      if (!m.finalizers) delete m.finalizers;
      m.resourceVersion = this.nextRv(resource);
      if (GENERATION.has(resource)) m.generation = (m.generation ?? 1) + 1;
      setOwn(b, key, obj);
      return { object: clone(obj), gone: false };
    }
    delete b[key];
    this.nextRv(resource);
    this.nextRv('*deletes');
    if (resource === 'services') releaseServiceAddresses(this, obj);
    return { object: obj, gone: true };
  }

  /** DELETE on a collection: every object the selectors match (each as delete does). Returns the names. */
  deleteCollection(resource: string, ns: string | null, opts: ListOptions & DeleteOptions = {}): string[] {
    return this.request(!opts.dryRun, () => {
      const info = this.info(resource);
      if (!info.verbs.includes('deletecollection')) throw methodNotAllowed();
      const names = this.scan(resource, ns, opts).map((o) => [o.metadata.namespace ?? null, o.metadata.name!] as const);
      for (const [n, name] of names) this.doDelete(resource, n, name, opts);
      return names.map(([, n]) => n);
    });
  }

  private hasDependents(uid: string): boolean {
    for (const r of Object.keys(this.state.objects)) for (const o of Object.values(this.state.objects[r]!)) if (o.metadata.ownerReferences?.some((x) => x.uid === uid)) return true;
    return false;
  }

  private orphanDependents(uid: string): void {
    for (const r of Object.keys(this.state.objects)) {
      const b = this.state.objects[r]!;
      for (const [k, o] of Object.entries(b)) {
        if (!o.metadata.ownerReferences?.some((x) => x.uid === uid)) continue;
        const n = clone(o);
        n.metadata.ownerReferences = o.metadata.ownerReferences.filter((x) => x.uid !== uid);
        if (n.metadata.ownerReferences.length === 0) delete n.metadata.ownerReferences;
        n.metadata.resourceVersion = this.nextRv(r);
        b[k] = n;
      }
    }
  }

  /** Remove an object at once, whatever its grace period or finalizers (the kubelet's final delete, the GC). */
  remove(resource: string, ns: string | null, name: string): KObject | undefined {
    const info = resourceInfo(resource);
    if (!info) return undefined;
    const key = this.key(info, ns, name);
    const b = this.readBucket(resource);
    const o = own(b, key);
    if (!o) return undefined;
    delete b[key];
    this.nextRv(resource);
    this.nextRv('*deletes');
    if (resource === 'services') releaseServiceAddresses(this, o);
    return o;
  }

  // ------------------------------------------------------------ events

  /**
   * Record an event about an object, as client-go's recorder does: through
   * its EventCorrelator (./event-correlator.ts), a new Event
   * (`<name>.<hex nanoseconds>`), the same one again with count+1, the
   * combined one past 10 different messages, or nothing while the source's
   * spam filter holds the object's events back.
   */
  recordEvent(regarding: KObject | { apiVersion: string; kind: string; metadata: { name?: string; namespace?: string; uid?: string; resourceVersion?: string } }, e: { type: 'Normal' | 'Warning'; reason: string; message: string; component: string; host?: string; fieldPath?: string }): void {
    const now = this.now();
    const meta = regarding.metadata;
    const ns = meta.namespace ?? 'default';
    const st = ((this.state.runtime as { events?: CorrelatorState }).events ??= { agg: {}, spam: {}, held: {} });
    pruneCorrelator(st, now);
    const o: Occurrence = { component: e.component, host: e.host ?? '', kind: regarding.kind, namespace: meta.namespace ?? '', name: meta.name ?? '', uid: meta.uid ?? '', apiVersion: regarding.apiVersion, fieldPath: e.fieldPath ?? '', type: e.type, reason: e.reason, message: e.message };
    const combined = aggregate(st, o, now);
    const message = combined ? COMBINED_PREFIX + e.message : e.message;
    const key = observationKey(o, combined);
    const b = this.bucket('events');
    const existing = this.observedEvent(b, o, combined);
    const held = st.held[key];
    const count = (held?.count ?? existing?.count ?? 0) + 1;
    const ts = rfc3339(now);
    const nanos = (BigInt(HTTP_EPOCH_MS + Math.floor(now)) * 1_000_000n + BigInt(this.state.rv % 1_000_000)).toString(16);
    const name = existing?.metadata.name ?? held?.name ?? `${meta.name}.${nanos}`;
    const first = existing?.firstTimestamp ?? held?.first ?? ts;
    if (spamFiltered(st, o, now)) {
      st.held[key] = { name, first, count, t: now };
      return;
    }
    delete st.held[key];
    if (existing) {
      // the recorder's strategic patch: count, lastTimestamp and message
      existing.count = count;
      existing.message = message;
      existing.lastTimestamp = ts;
      existing.metadata.resourceVersion = this.nextRv('events');
      return;
    }
    const involved: any = { apiVersion: regarding.apiVersion, kind: regarding.kind, name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion };
    if (e.fieldPath) involved.fieldPath = e.fieldPath;
    if (!meta.namespace) delete involved.namespace;
    const ev: any = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns, uid: this.uuid(), resourceVersion: this.nextRv('events'), creationTimestamp: ts },
      involvedObject: involved,
      reason: e.reason,
      message,
      source: e.host ? { component: e.component, host: e.host } : { component: e.component },
      firstTimestamp: first,
      lastTimestamp: ts,
      count,
      type: e.type,
      eventTime: null,
      // the combined event is a fresh v1.Event with only source, object, type, reason and message set
      reportingComponent: combined ? '' : e.component,
      reportingInstance: combined ? '' : (e.host ?? ''),
    };
    b[`${ns}/${name}`] = ev;
    this.trimEvents();
  }

  /** The stored event the recorder would patch: the same key (message included), or the object's combined event. */
  private observedEvent(b: Record<string, KObject>, o: Occurrence, combined: boolean): any {
    for (const k in b) {
      const x: any = b[k];
      const io = x.involvedObject;
      if (io?.uid !== o.uid || io.name !== o.name || x.reason !== o.reason || x.type !== o.type) continue;
      if ((x.source?.component ?? '') !== o.component || (x.source?.host ?? '') !== o.host) continue;
      const isCombined = x.reportingComponent === '' && typeof x.message === 'string' && x.message.startsWith(COMBINED_PREFIX);
      if (combined ? isCombined : !isCombined && x.message === o.message && (io.fieldPath ?? '') === o.fieldPath) return x;
    }
    return undefined;
  }

  private trimEvents(): void {
    const b = this.readBucket('events');
    const keys = Object.keys(b);
    if (keys.length <= MAX_EVENTS) return;
    keys.sort((a, c) => Number(b[a]!.metadata.resourceVersion) - Number(b[c]!.metadata.resourceVersion));
    for (const k of keys.slice(0, keys.length - MAX_EVENTS)) delete b[k];
  }
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What the apiserver answers for a path it does not serve (kubectl: "the server could not find the requested resource"). */
function notFoundPage(): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404, details: {} });
}
