// What the node side plugs into the cluster: CNI plugins (pod networking)
// and container images (the programs a container runs). The kubelet calls
// them; src/k8s/net (Flannel, kube-proxy, CoreDNS) and src/k8s/runtime
// (the image catalogue) register implementations. Registration is
// module-level and deterministic (no state outside the World).
import type { World } from '../sim/world';
import type { HostId, NsId, Process } from '../sim/types';
import type { SpawnOptions } from '../sim/process';
import type { Api } from './api/store';
import type { Container, Pod } from './api/types';

// ---------------------------------------------------------------- CNI

/** A CNI plugin failed; `message` is what the plugin reports (`plugin type="flannel" failed (add): ...`). */
export class CniError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CniError';
  }
}

export interface CniAddResult {
  /** the pod's network namespace, created by the plugin (a named netns `cni-<uuid>` on the node, as containerd names them) */
  nsId: NsId;
  netnsName: string;
  /** the pod's IPs, first one is status.podIP */
  ips: string[];
}

export interface CniPlugin {
  /** the `type` of the first plugin in the network config list (/etc/cni/net.d) that selects this implementation */
  type: string;
  /**
   * CNI ADD for a pod sandbox on a node: create the pod's network namespace
   * (`cni-<uuid>`, lo up, as containerd does) with eth0 and the host side, an
   * IP, routes; or throw CniError with the text after `failed to setup
   * network for sandbox "<id>": ` (e.g. flannel before its daemon wrote
   * subnet.env), leaving nothing behind.
   */
  add(world: World, api: Api, req: { node: string; host: HostId; pod: Pod; sandboxId: string }): CniAddResult;
  /** CNI DEL: tear the pod's network down (the netns itself is removed by the runtime afterwards). */
  del(world: World, api: Api, req: { node: string; host: HostId; pod: Pod | null; nsId: NsId; sandboxId: string }): void;
}

const cniPlugins = new Map<string, CniPlugin>();

export function registerCniPlugin(p: CniPlugin): void {
  cniPlugins.set(p.type, p);
}

export function cniPlugin(type: string): CniPlugin | undefined {
  return cniPlugins.get(type);
}

// ---------------------------------------------------------------- container images as programs

/** What a program sees when its container starts (and in its hooks). */
export interface ContainerContext {
  world: World;
  api: Api;
  node: string;
  host: HostId;
  /** the container's network namespace: the pod's, or the node's root for hostNetwork pods */
  nsId: NsId;
  /** the pod as stored */
  pod: Pod;
  container: Container;
  /** the containerd id (64 hex) */
  containerId: string;
  /** restart count so far */
  restartCount: number;
  /** the command line the container runs (command + args after image defaults) */
  argv: string[];
  /** append lines to the container's log (`kubectl logs`), stamped with the cluster clock */
  log(text: string, stream?: 'stdout' | 'stderr'): void;
  /** start a process of this container in its namespace; it is killed when the container stops */
  spawn(argv: string[], opts?: SpawnOptions): Process;
  /** a file the container sees through its volume mounts (ConfigMap, Secret, hostPath, projected), or null */
  readFile(path: string): string | null;
}

export type ContainerOutcome =
  /** the main process runs; it may exit by itself after `exitAfterMs` with `exitCode` */
  | { state: 'running'; exitAfterMs?: number; exitCode?: number; reason?: string }
  /** the process exited at once */
  | { state: 'exited'; exitCode: number; reason?: string };

export interface ImageProgram {
  /** start the container's main process (spawn processes, open sockets, write logs) */
  start(ctx: ContainerContext): ContainerOutcome;
  /** ms between SIGTERM and exit; null: it ignores SIGTERM (sleep as PID 1) and is killed at the end of the grace period */
  termination?(ctx: ContainerContext): number | null;
  /** called after the controllers settle, while the container runs, when the store changed (kube-proxy resyncs its rules here) */
  onClusterChange?(ctx: ContainerContext): void;
  /** the container stops (exit, kill, pod deleted): undo what the program set up outside its processes, if anything */
  stop?(ctx: ContainerContext): void;
}

export interface ImageInfo {
  /** normalised repository: "docker.io/library/nginx", "registry.k8s.io/kube-proxy" */
  repository: string;
  /** tag used when none is given */
  defaultTag: string;
  /** the tags the registry has (others fail to pull: not found); absent = any tag */
  tags?: RegExp;
  /** compressed size in bytes (the Pulled event prints it) */
  size: number;
  /** Entrypoint and Cmd of the image config */
  entrypoint: string[];
  cmd: string[];
  program: ImageProgram;
}

const images = new Map<string, ImageInfo>();
const fallbacks = new Set<string>();

/**
 * Register (or replace) an image's program. `fallback`: a stand-in that a
 * later registration of the same repository replaces and that never
 * replaces a real one (whatever the order modules load in).
 */
export function registerImage(info: ImageInfo, opts: { fallback?: boolean } = {}): void {
  if (opts.fallback) {
    if (images.has(info.repository) && !fallbacks.has(info.repository)) return;
    fallbacks.add(info.repository);
  } else fallbacks.delete(info.repository);
  images.set(info.repository, info);
}

/** Normalise an image reference as containerd does: `nginx` → `docker.io/library/nginx:latest`. */
export function normaliseImage(ref: string): { repository: string; tag: string; digest: string | null; full: string } {
  let rest = ref;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag = '';
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const first = rest.split('/')[0]!;
  const hasRegistry = rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  let repository = hasRegistry ? rest : `docker.io/${rest.includes('/') ? rest : `library/${rest}`}`;
  repository = repository.toLowerCase();
  if (!tag && !digest) tag = 'latest';
  return { repository, tag, digest, full: `${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}` };
}

export function imageInfo(ref: string): ImageInfo | undefined {
  const n = normaliseImage(ref);
  const info = images.get(n.repository);
  if (!info) return undefined;
  if (info.tags && n.tag && !info.tags.test(n.tag)) return undefined;
  return info;
}

export function registeredImages(): ImageInfo[] {
  return [...images.values()];
}
