// A container as processes: what its program sees (argv, logs, the files its
// volumes mount), and how it is stopped (the program's stop hook, then its
// processes killed).
import type { Api } from '../api/store';
import type { World } from '../../sim/world';
import type { HostId } from '../../sim/types';
import { readHostFile } from '../../sim/files';
import { killProcess, spawnProcess } from '../../sim/process';
import { imageInfo, type ContainerContext } from '../plugins';
import type { ContainerRt, NodeRt, PodRt } from './state';
import { specContainer } from './util';

const MAX_LOG_LINES = 300;

export function log(c: ContainerRt, t: number, text: string, s: 'stdout' | 'stderr' = 'stdout'): void {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  for (const l of lines) c.log.push({ t, s, text: l });
  if (c.log.length > MAX_LOG_LINES) c.log.splice(0, c.log.length - MAX_LOG_LINES);
}

// ---------------------------------------------------------------- volumes seen by a container

function readVolumeFile(api: Api, world: World, host: HostId, pod: any, container: any, path: string): string | null {
  const mounts: any[] = [...(container.volumeMounts ?? [])].sort((a, b) => b.mountPath.length - a.mountPath.length);
  for (const m of mounts) {
    const mp = m.mountPath.replace(/\/$/, '');
    if (path !== mp && !path.startsWith(mp + '/')) continue;
    const vol = (pod.spec.volumes ?? []).find((v: any) => v.name === m.name);
    if (!vol) return null;
    let rel = path === mp ? '' : path.slice(mp.length + 1);
    if (m.subPath) rel = rel ? `${m.subPath}/${rel}` : m.subPath;
    const ns = pod.metadata.namespace;
    if (vol.configMap) {
      const cm: any = api.peek('configmaps', ns, vol.configMap.name);
      if (!cm) return null;
      const item = (vol.configMap.items ?? []).find((i: any) => i.path === rel);
      const key = item ? item.key : rel;
      return cm.data?.[key] ?? null;
    }
    if (vol.secret) {
      const s: any = api.peek('secrets', ns, vol.secret.secretName);
      const v = s?.data?.[rel];
      return v === undefined ? null : Buffer.from(v, 'base64').toString('utf8');
    }
    if (vol.hostPath) {
      const h = world.state.hosts[host];
      return h ? readHostFile(h, `${vol.hostPath.path.replace(/\/$/, '')}${rel ? '/' + rel : ''}`) : null;
    }
    if (vol.projected) {
      if (rel === 'namespace') return ns;
      if (rel === 'ca.crt') return (api.peek('configmaps', ns, 'kube-root-ca.crt') as any)?.data?.['ca.crt'] ?? null;
      if (rel === 'token') return 'eyJhbGciOiJSUzI1NiIsImtpZCI6InNpbSJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lt';
      return null;
    }
    return null;
  }
  return null;
}

/** The argv a container runs: command/args over the image's entrypoint/cmd. */
function containerArgv(spec: any, info: { entrypoint: string[]; cmd: string[] } | undefined): string[] {
  const entry = spec.command ?? info?.entrypoint ?? [];
  const args = spec.args ?? (spec.command ? [] : (info?.cmd ?? []));
  return [...entry, ...args];
}

export function ctxFor(world: World, api: Api, node: NodeRt, nodeName: string, pod: any, rt: PodRt, c: ContainerRt): ContainerContext {
  const spec = specContainer(pod, c.name);
  const info = imageInfo(spec.image);
  return {
    world,
    api,
    node: nodeName,
    host: node.host,
    nsId: rt.nsId!,
    pod,
    container: spec,
    containerId: c.id,
    restartCount: c.restartCount,
    argv: containerArgv(spec, info),
    log: (text: string, s: 'stdout' | 'stderr' = 'stdout') => log(c, api.now(), text, s),
    spawn: (argv, opts) => {
      const p = spawnProcess(world, node.host, rt.nsId!, argv, opts);
      c.pids.push(p.pid);
      return p;
    },
    readFile: (path: string) => readVolumeFile(api, world, node.host, pod, spec, path),
  };
}

/** The program's stop hook, then its processes killed. */
export function stopContainer(world: World, api: Api, node: NodeRt, nodeName: string, pod: any, rt: PodRt, c: ContainerRt): void {
  if (pod && rt.nsId !== null && c.state === 'running') {
    const info = imageInfo(specContainer(pod, c.name)?.image ?? '');
    try {
      info?.program.stop?.(ctxFor(world, api, node, nodeName, pod, rt, c));
    } catch {
      /* a program's clean-up never stops the kubelet */
    }
  }
  killContainer(world, node, c);
}

export function killContainer(world: World, node: NodeRt, c: ContainerRt): void {
  for (const pid of c.pids) {
    try {
      killProcess(world, node.host, pid);
    } catch {
      /* already gone */
    }
  }
  c.pids = [];
}
