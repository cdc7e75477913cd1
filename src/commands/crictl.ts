// crictl 1.33 (cri-tools) on a node, against its containerd: ps [-a] [-q]
// [--name RE] [--pod ID] [--no-trunc], pods [-q] [--name] [--namespace],
// images [-q], inspect ID, inspectp ID, logs [--tail N] ID. Everything comes
// from the kubelet's runtime state of that node (src/k8s/runtime/state.ts);
// the tables are Go tabwriter output (minwidth 20, padding 3) with
// go-units' HumanDuration ages and HumanSizeWithPrecision sizes.
import { table } from '../sim/own';
import { internalApi, syncCluster } from '../k8s/cluster';
import { kubeletRuntime, type ContainerRt, type PodRt } from '../k8s/runtime/state';
import { imageDigest } from '../k8s/runtime/kubelet';
import { normaliseImage, imageInfo } from '../k8s/plugins';
import { rfc3339 } from '../k8s/api/store';
import { readHostFile } from '../sim/files';
import type { CmdResult, NetCommand, Sys } from './types';
import { ordered } from './types';

const SOCK = 'unix:///run/containerd/containerd.sock';
const DEFAULT_ENDPOINTS = '[unix:///run/containerd/containerd.sock unix:///run/crio/crio.sock unix:///var/run/cri-dockerd.sock]';

/** go-units HumanDuration */
export function goHumanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`;
}

/** go-units HumanSizeWithPrecision(size, 3): decimal units, %.3g */
export function goHumanSize(size: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  let v = size;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  let s = Number(v.toPrecision(3)).toString();
  if (/e/.test(s)) s = v.toFixed(0);
  return s + units[i];
}

/** Go's text/tabwriter with crictl's settings (minwidth 20, tabwidth 1, padding 3, spaces): the last cell is not padded. */
export function tabwrite(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.slice(0, -1).forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, Math.max(20, c.length + 3))));
  return rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('') + '\n').join('');
}

class Fatal extends Error {}

interface Flags {
  bools: Set<string>;
  values: Map<string, string>;
  args: string[];
}

const VALUE_FLAGS = new Set(['name', 'pod', 'namespace', 'tail', 'state', 'label', 'image', 'output', 'o', 'id', 'since', 'config', 'runtime-endpoint', 'r', 'image-endpoint', 'i', 'timeout', 't', 'last', 'n']);
const SHORT: Record<string, string> = table({ a: 'all', q: 'quiet', v: 'verbose', o: 'output', r: 'runtime-endpoint', i: 'image-endpoint', t: 'timeout', n: 'last', l: 'latest', p: 'previous', f: 'follow' });

function parse(args: string[]): Flags {
  const f: Flags = { bools: new Set(), values: new Map(), args: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--') || (a.startsWith('-') && a.length === 2)) {
      const raw = a.startsWith('--') ? a.slice(2) : a.slice(1);
      const eq = raw.indexOf('=');
      let name = eq >= 0 ? raw.slice(0, eq) : raw;
      if (!a.startsWith('--')) name = SHORT[name] ?? name;
      if (VALUE_FLAGS.has(name)) {
        const v = eq >= 0 ? raw.slice(eq + 1) : args[++i];
        if (v === undefined) throw new Fatal(`flag needs an argument: ${a}`);
        f.values.set(name, v);
      } else f.bools.add(name);
      continue;
    }
    f.args.push(a);
  }
  return f;
}

interface NodeView {
  node: string;
  pods: PodRt[];
  api: ReturnType<typeof internalApi>;
  now: number;
}

function nodeView(sys: Sys): NodeView | null {
  if (!sys.world.state.kube) return null;
  syncCluster(sys.world);
  const api = internalApi(sys.world);
  const rt = kubeletRuntime(api);
  const node = Object.entries(rt.nodes).find(([, n]) => n.host === sys.host)?.[0];
  if (!node) return null;
  return { node, api, now: api.now(), pods: Object.values(rt.pods).filter((p) => p.node === node && p.sandboxId !== '') };
}

const trunc = (id: string, no: boolean): string => (no ? id : id.slice(0, 13));
const ago = (v: NodeView, t: number | null): string => goHumanDuration(v.now - (t ?? v.now)) + ' ago';

/** The config-blob digest containerd lists an image under (the IMAGE ID column; not the repo digest). */
function imageId(full: string): string {
  return imageDigest(`${full}#config`);
}

interface CRow {
  pod: PodRt;
  c: ContainerRt;
  id: string;
  state: 'Running' | 'Exited' | 'Created';
  attempt: number;
  created: number;
}

function containerRows(v: NodeView): CRow[] {
  const rows: CRow[] = [];
  for (const p of v.pods) {
    for (const c of p.containers) {
      if (c.id) rows.push({ pod: p, c, id: c.id, state: c.state === 'running' ? 'Running' : c.state === 'terminated' || c.finishedAt !== null ? 'Exited' : 'Created', attempt: c.restartCount, created: c.startedAt ?? p.startTime });
      if (c.last && c.last.id && c.last.id !== c.id) rows.push({ pod: p, c, id: c.last.id, state: 'Exited', attempt: Math.max(0, c.restartCount - 1), created: c.last.startedAt });
    }
  }
  return rows.sort((a, b) => b.created - a.created);
}

function ps(v: NodeView, f: Flags): string {
  const all = f.bools.has('all');
  const noTrunc = f.bools.has('no-trunc');
  const name = f.values.get('name');
  const pod = f.values.get('pod');
  const state = f.values.get('state')?.toLowerCase();
  let rows = containerRows(v).filter((r) => (state ? r.state.toLowerCase() === state : all || r.state === 'Running'));
  if (name) rows = rows.filter((r) => new RegExp(name).test(r.c.name));
  if (pod) rows = rows.filter((r) => r.pod.sandboxId.startsWith(pod));
  if (f.bools.has('latest')) rows = rows.slice(0, 1);
  if (f.bools.has('quiet')) return rows.map((r) => r.id + '\n').join('');
  const table = [['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD', 'NAMESPACE']];
  for (const r of rows) {
    const img = imageId(normaliseImage(r.c.image).full).slice('sha256:'.length);
    table.push([trunc(r.id, noTrunc), noTrunc ? `sha256:${img}` : img.slice(0, 13), ago(v, r.created), r.state, r.c.name, String(r.attempt), trunc(r.pod.sandboxId, noTrunc), r.pod.name, r.pod.ns]);
  }
  return tabwrite(table);
}

function pods(v: NodeView, f: Flags): string {
  const noTrunc = f.bools.has('no-trunc');
  let list = [...v.pods].sort((a, b) => (b.sandboxReadyAt ?? b.startTime) - (a.sandboxReadyAt ?? a.startTime));
  const name = f.values.get('name');
  const ns = f.values.get('namespace');
  if (name) list = list.filter((p) => new RegExp(name).test(p.name));
  if (ns) list = list.filter((p) => new RegExp(ns).test(p.ns));
  const ready = (p: PodRt) => p.killAt === null && p.containers.some((c) => c.state === 'running' || c.state === 'waiting');
  if (f.values.get('state')) list = list.filter((p) => (ready(p) ? 'ready' : 'notready') === f.values.get('state')!.toLowerCase());
  if (f.bools.has('quiet')) return list.map((p) => p.sandboxId + '\n').join('');
  const table = [['POD ID', 'CREATED', 'STATE', 'NAME', 'NAMESPACE', 'ATTEMPT', 'RUNTIME']];
  for (const p of list) table.push([trunc(p.sandboxId, noTrunc), ago(v, p.sandboxReadyAt ?? p.startTime), ready(p) ? 'Ready' : 'NotReady', p.name, p.ns, '0', '(default)']);
  return tabwrite(table);
}

function images(v: NodeView, f: Flags, sys: Sys): string {
  const nr = kubeletRuntime(v.api).nodes[v.node]!;
  const refs = [...nr.images, 'registry.k8s.io/pause:3.10'].filter((r, i, a) => a.indexOf(r) === i).sort();
  if (f.bools.has('quiet')) return refs.map((r) => imageId(r) + '\n').join('');
  const table = [['IMAGE', 'TAG', 'IMAGE ID', 'SIZE']];
  for (const r of refs) {
    const n = normaliseImage(r);
    const size = imageInfo(n.repository)?.size ?? 0;
    table.push([n.repository, n.tag || '<none>', f.bools.has('no-trunc') ? imageId(r) : imageId(r).slice(7, 20), goHumanSize(size)]);
  }
  void sys;
  return tabwrite(table);
}

function findContainer(v: NodeView, id: string): CRow {
  const matches = containerRows(v).filter((r) => r.id.startsWith(id));
  if (matches.length !== 1) throw new Fatal(`no such container`);
  return matches[0]!;
}

function inspect(v: NodeView, id: string): string {
  const r = findContainer(v, id);
  const n = normaliseImage(r.c.image);
  const running = r.state === 'Running';
  const status = {
    id: r.id,
    metadata: { attempt: r.attempt, name: r.c.name },
    state: running ? 'CONTAINER_RUNNING' : 'CONTAINER_EXITED',
    createdAt: rfc3339(r.created),
    startedAt: rfc3339(r.created),
    finishedAt: running ? '0001-01-01T00:00:00Z' : rfc3339((r.id === r.c.id ? r.c.finishedAt : r.c.last?.finishedAt) ?? r.created),
    exitCode: running ? 0 : ((r.id === r.c.id ? r.c.exitCode : r.c.last?.exitCode) ?? 0),
    image: { annotations: {}, image: n.full, runtimeHandler: '', userSpecifiedImage: r.c.image },
    imageRef: `${n.repository}@${imageDigest(n.repository)}`,
    reason: running ? '' : ((r.id === r.c.id ? r.c.exitReason : r.c.last?.reason) ?? 'Completed'),
    message: '',
    labels: { 'io.kubernetes.container.name': r.c.name, 'io.kubernetes.pod.name': r.pod.name, 'io.kubernetes.pod.namespace': r.pod.ns, 'io.kubernetes.pod.uid': r.pod.uid },
    logPath: `/var/log/pods/${r.pod.ns}_${r.pod.name}_${r.pod.uid}/${r.c.name}/${r.attempt}.log`,
    imageId: '',
    user: { linux: { gid: '0', supplementalGroups: ['0'], uid: '0' } },
  };
  const info = { sandboxID: r.pod.sandboxId, pid: running ? (r.c.pids[0] ?? 0) : 0 };
  return JSON.stringify({ status, info }, null, 2) + '\n';
}

function inspectp(v: NodeView, id: string): string {
  const p = v.pods.filter((x) => x.sandboxId.startsWith(id));
  if (p.length !== 1) throw new Fatal('no such pod sandbox');
  const pod = p[0]!;
  const status = {
    id: pod.sandboxId,
    metadata: { attempt: 0, name: pod.name, namespace: pod.ns, uid: pod.uid },
    state: pod.killAt === null ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY',
    createdAt: rfc3339(pod.sandboxReadyAt ?? pod.startTime),
    network: { additionalIps: [], ip: pod.ips[0] ?? '' },
    linux: { namespaces: { options: { ipc: 'POD', network: pod.nsId === null ? 'NODE' : 'POD', pid: 'CONTAINER', targetId: '', usernsOptions: null } } },
    labels: { 'io.kubernetes.pod.name': pod.name, 'io.kubernetes.pod.namespace': pod.ns, 'io.kubernetes.pod.uid': pod.uid },
    runtimeHandler: '',
  };
  const info = { pid: 0, processStatus: 'running', netNamespaceClosed: false, image: 'registry.k8s.io/pause:3.10', runtimeHandler: '', runtimeType: 'io.containerd.runc.v2', netns: pod.netnsName ? `/var/run/netns/${pod.netnsName}` : '' };
  return JSON.stringify({ status, info }, null, 2) + '\n';
}

function logs(v: NodeView, f: Flags): Array<[1 | 2, string]> {
  const id = f.args[0];
  if (!id) throw new Fatal('ID cannot be empty');
  const r = findContainer(v, id);
  const lines = r.id === r.c.id ? r.c.log : r.c.prevLog;
  const tail = f.values.has('tail') ? Number(f.values.get('tail')) : -1;
  const shown = tail >= 0 ? lines.slice(Math.max(0, lines.length - tail)) : lines;
  return shown.map((l) => [l.s === 'stderr' ? 2 : 1, l.text + '\n'] as [1 | 2, string]);
}

async function run(args: string[], sys: Sys): Promise<CmdResult> {
  const out: Array<[1 | 2, string]> = [];
  const sub = args.find((a) => !a.startsWith('-'));
  const rest = sub ? args.slice(args.indexOf(sub) + 1) : [];
  try {
    if (!sub) return ordered([[1, 'NAME:\n   crictl - client for CRI\n\nUSAGE:\n   crictl [global options] command [command options]\n']], 0);
    if (!['ps', 'pods', 'images', 'image', 'img', 'inspect', 'inspectp', 'logs'].includes(sub)) throw new Fatal(`no help topic for '${sub}'`);
    if (readHostFile(sys.world.host(sys.host), '/etc/crictl.yaml') === null) {
      out.push([2, `WARN[0000] runtime connect using default endpoints: ${DEFAULT_ENDPOINTS}. As the default settings are now deprecated, you should set the endpoint instead. \n`]);
      if (sub !== 'logs' && sub !== 'inspectp') out.push([2, `WARN[0000] image connect using default endpoints: ${DEFAULT_ENDPOINTS}. As the default settings are now deprecated, you should set the endpoint instead. \n`]);
    }
    const alive = sys.world.host(sys.host).processes.some((p) => p.comm === 'containerd');
    const v = alive ? nodeView(sys) : null;
    if (!v) throw new Fatal(`validate service connection: validate CRI v1 runtime API for endpoint "${SOCK}": rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: no such file or directory"`);
    const f = parse(rest);
    switch (sub) {
      case 'ps':
        out.push([1, ps(v, f)]);
        break;
      case 'pods':
        out.push([1, pods(v, f)]);
        break;
      case 'images':
      case 'image':
      case 'img':
        out.push([1, images(v, f, sys)]);
        break;
      case 'inspect':
        if (!f.args.length) throw new Fatal('ID cannot be empty');
        out.push([1, inspect(v, f.args[0]!)]);
        break;
      case 'inspectp':
        if (!f.args.length) throw new Fatal('ID cannot be empty');
        out.push([1, inspectp(v, f.args[0]!)]);
        break;
      case 'logs':
        if (f.bools.has('follow')) throw new Fatal('--follow is not supported in this terminal: run `crictl logs` without -f');
        out.push(...logs(v, f));
        break;
    }
    return ordered(out, 0);
  } catch (e) {
    if (!(e instanceof Fatal)) throw e;
    const what: Record<string, string> = { ps: 'listing containers', pods: 'listing pod sandboxes', images: 'listing images', inspect: 'getting the status of the container', inspectp: 'getting the pod sandbox status', logs: 'getting the container logs' };
    const msg = e.message.startsWith('validate') || e.message.startsWith('no help') || e.message.startsWith('flag') || e.message.startsWith('--follow') || e.message.startsWith('ID') ? e.message : `${what[sub ?? ''] ?? sub}: ${e.message}`;
    out.push([2, `FATA[0000] ${msg} \n`]);
    return ordered(out, 1);
  }
}

export const crictl: NetCommand = {
  name: 'crictl',
  async run(args, _io, sys) {
    if (!sys.world.state.kube || !Object.values(kubeletRuntime(internalApi(sys.world)).nodes).some((n) => n.host === sys.host)) {
      return { stdout: '', stderr: 'bash: crictl: command not found\n', exitCode: 127 };
    }
    return run(args, sys);
  },
};
