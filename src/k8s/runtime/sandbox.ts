// The pod sandbox (containerd's RunPodSandbox and the CNI it calls): the
// node's CNI config from /etc/cni/net.d, the plugin's ADD with its failures
// and the pod worker's back-off, hostNetwork pods, and the teardown (CNI DEL,
// the netns removed).
import type { Api } from '../api/store';
import type { World } from '../../sim/world';
import type { HostId } from '../../sim/types';
import { listDir, readHostFile } from '../../sim/files';
import { netnsDel, netnsName } from '../../sim/netns';
import { CniError, cniPlugin } from '../plugins';
import type { NodeRt, PodRt } from './state';
import { event, hexId } from './util';
import { writePodStatus } from './status';

/** The pod worker's back-off after a failed sync (kubelet backOffPeriod), jittered by up to half (workerBackOffPeriodJitterFactor). */
const SANDBOX_RETRY = 10_000;

const cniCache = new WeakMap<object, { count: number; file: string | null; mtime: number; names: string; result: { file: string; type: string; name: string } | null }>();

/** The names in /etc/cni/net.d with their files' mtimes ('' when it cannot be listed): what the runtime's choice depends on. */
function cniDirNames(h: import('../../sim/types').Host): string {
  try {
    return listDir(h, '/etc/cni/net.d')
      .map((n) => `${n}@${h.files[`/etc/cni/net.d/${n}`]?.mtime ?? ''}`)
      .join('/');
  } catch {
    return '';
  }
}

/** The CNI network config the runtime loads from a node's /etc/cni/net.d: the first file by name. */
export function cniConfig(world: World, host: HostId): { file: string; type: string; name: string } | null {
  const h = world.state.hosts[host];
  if (!h) return null;
  // the directory is read again only when the host's files changed in number, the chosen file changed, or
  // (no config) the directory's names changed: a config moved away and back (same number of files) is seen again
  const count = Object.keys(h.files).length;
  const cached = cniCache.get(h.files);
  const sameFile = (c: NonNullable<typeof cached>) => c.file === null || h.files[`/etc/cni/net.d/${c.file}`]?.mtime === c.mtime;
  if (cached && cached.count === count && sameFile(cached) && (cached.file !== null || cniDirNames(h) === cached.names)) return cached.result;
  // files came or went elsewhere on the node (a pod's IPAM lease, its hosts file): the directory's names
  // and the chosen file unchanged mean the same configuration, without reading and parsing it again
  const names = cniDirNames(h);
  if (cached && names === cached.names && sameFile(cached)) {
    cached.count = count;
    return cached.result;
  }
  const result = readCniConfig(h);
  cniCache.set(h.files, { count, file: result?.file ?? null, mtime: result ? (h.files[`/etc/cni/net.d/${result.file}`]?.mtime ?? 0) : 0, names, result });
  return result;
}

function readCniConfig(h: import('../../sim/types').Host): { file: string; type: string; name: string } | null {
  let files: string[];
  try {
    files = listDir(h, '/etc/cni/net.d');
  } catch {
    return null;
  }
  for (const f of files.filter((x) => /\.(conf|conflist|json)$/.test(x)).sort()) {
    const text = readHostFile(h, `/etc/cni/net.d/${f}`);
    if (text === null) continue;
    try {
      const j = JSON.parse(text);
      const type = j.plugins?.[0]?.type ?? j.type;
      if (typeof type === 'string') return { file: f, type, name: j.name ?? '' };
    } catch {
      /* an unparsable config is skipped, as libcni does */
    }
  }
  return null;
}

export const NETWORK_NOT_READY = 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

/** Set up the pod's sandbox if it has none: true when it is ready (its netns and IPs), false when it failed and waits for its retry. */
export function setupSandbox(api: Api, world: World, node: NodeRt, nodeName: string, pod: any, rt: PodRt): boolean {
  const now = api.now();
  if (pod.spec.hostNetwork) {
    rt.nsId = world.host(node.host).rootNs;
    const ip = (api.peek('nodes', null, nodeName) as any)?.status?.addresses?.find((a: any) => a.type === 'InternalIP')?.address;
    rt.ips = ip ? [ip] : [];
    rt.sandboxId = hexId(api);
  } else {
    const cfg = cniConfig(world, node.host);
    if (!cfg) {
      event(api, pod, nodeName, 'Warning', 'NetworkNotReady', `network is not ready: ${NETWORK_NOT_READY}`);
      rt.sandboxFailures = (rt.sandboxFailures ?? 0) + 1;
      rt.sandboxRetryAt = now + Math.min(300_000, 2000 * 2 ** Math.min(7, rt.sandboxFailures - 1));
      writePodStatus(api, pod, rt, node);
      return false;
    }
    rt.sandboxId = hexId(api);
    try {
      const plugin = cniPlugin(cfg.type);
      if (!plugin) throw new CniError(`plugin type="${cfg.type}" name="${cfg.name}" failed (add): failed to find plugin "${cfg.type}" in path [/opt/cni/bin]`);
      const r = plugin.add(world, api, { node: nodeName, host: node.host, pod, sandboxId: rt.sandboxId });
      rt.nsId = r.nsId;
      rt.netnsName = r.netnsName;
      rt.ips = r.ips;
    } catch (e) {
      if (!(e instanceof CniError)) throw e;
      rt.netnsName = '';
      rt.sandboxError = e.message;
      const why = e.message.startsWith('failed to setup network for sandbox') ? e.message : `failed to setup network for sandbox "${rt.sandboxId}": ${e.message}`;
      event(api, pod, nodeName, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: rpc error: code = Unknown desc = ${why}`);
      // the pod worker requeues a failed sync after 10-15 s, every time (completeWork); no doubling
      rt.sandboxFailures = (rt.sandboxFailures ?? 0) + 1;
      rt.sandboxRetryAt = now + SANDBOX_RETRY + Math.floor(api.random() * (SANDBOX_RETRY / 2));
      writePodStatus(api, pod, rt, node);
      return false;
    }
  }
  rt.sandboxRetryAt = null;
  rt.sandboxFailures = 0;
  rt.sandboxError = null;
  rt.sandboxReadyAt = now;
  return true;
}

export function teardownSandbox(api: Api, world: World, node: NodeRt, nodeName: string, pod: any, rt: PodRt): void {
  if (rt.netnsName && rt.nsId) {
    const cfg = cniConfig(world, node.host);
    const plugin = cfg ? cniPlugin(cfg.type) : undefined;
    try {
      plugin?.del(world, api, { node: nodeName, host: node.host, pod, nsId: rt.nsId, sandboxId: rt.sandboxId });
    } catch {
      /* CNI DEL errors are ignored on teardown */
    }
    try {
      if (netnsName(world, rt.nsId) !== null) netnsDel(world, node.host, rt.netnsName);
    } catch {
      /* already gone */
    }
  }
  rt.nsId = null;
}
