// A node's host side: the services systemd runs (containerd, kubelet), as
// processes with their sockets, registered as systemd units so that
// `systemctl stop|start|restart kubelet` works. The kubelet controller works
// on a node while a process whose comm is `kubelet` exists there. Each start
// writes the unit's journal lines (journalctl -u kubelet); a stop's lines are
// written at the next start (journalctl shows a current stop itself).
import type { World } from '../../sim/world';
import type { HostId, Process } from '../../sim/types';
import { spawnProcess } from '../../sim/process';
import { listenTcp } from '../../sim/sockets';
import { registerUnit } from '../../sim/systemd';
import { startResolved } from '../net/resolved';
import { readHostFile } from '../../sim/files';
import { journalAppend, journalStarted, klogLine, stopLines } from './journal';
import { KUBELET_ROLE } from '../go-servers';

export const KUBELET_ARGV = ['/usr/bin/kubelet', '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf', '--kubeconfig=/etc/kubernetes/kubelet.conf', '--config=/var/lib/kubelet/config.yaml', '--pod-infra-container-image=registry.k8s.io/pause:3.10'];

const KUBELET_UNIT = { name: 'kubelet', description: 'kubelet: The Kubernetes Node Agent' };
const CONTAINERD_UNIT = { name: 'containerd', description: 'containerd container runtime' };
const KUBELET_VERSION = 'v1.33.4';
const CONTAINERD_VERSION = '1.7.27';

/** The cluster's present (its clock runs behind the world's while a scenario builds its past), else the world's. */
function clusterNow(world: World): number {
  return (world.state.kube as { now?: number } | undefined)?.now ?? world.now();
}

/** A stop of this unit that the journal has not recorded yet (systemctl stop, then start): its lines go in first. */
function recordPreviousStop(world: World, host: HostId, u: { name: string; description: string }): void {
  const s = world.host(host).unitsStopped?.[u.name];
  if (s) for (const e of stopLines(u, s.at)) journalAppend(world, host, e);
}

/** Start the kubelet service's process on a host (10248 healthz on localhost, 10250 API on all addresses). */
export function startKubeletProcess(world: World, host: HostId, nodeIP?: string): Process {
  const h = world.host(host);
  const argv = nodeIP ? [...KUBELET_ARGV.slice(0, 4), `--node-ip=${nodeIP}`, ...KUBELET_ARGV.slice(4)] : KUBELET_ARGV;
  recordPreviousStop(world, host, KUBELET_UNIT);
  const p = spawnProcess(world, host, h.rootNs, argv, { comm: 'kubelet', role: { ...KUBELET_ROLE, data: {} } });
  listenTcp(world, h.rootNs, p.pid, '127.0.0.1', 10248, 4, 4096);
  listenTcp(world, h.rootNs, p.pid, '::', 10250, 46, 4096);
  const t = clusterNow(world);
  journalStarted(world, host, KUBELET_UNIT, t);
  const k = (where: string, msg: string, level = 'I') => journalAppend(world, host, { t, unit: 'kubelet', ident: 'kubelet', pid: p.pid, text: klogLine(t, p.pid, where, msg, level) });
  k('server.go:530', `"Kubelet version" kubeletVersion="${KUBELET_VERSION}"`);
  k('server.go:532', '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""');
  k('server.go:956', '"Client rotation is on, will bootstrap in background"');
  k('kubelet.go:2434', '"Starting kubelet main sync loop"');
  k('server.go:1287', '"Started kubelet"');
  return p;
}

/** Start containerd on a host (its CRI stream server on a random localhost port). */
export function startContainerdProcess(world: World, host: HostId): Process {
  const h = world.host(host);
  recordPreviousStop(world, host, CONTAINERD_UNIT);
  const p = spawnProcess(world, host, h.rootNs, ['/usr/bin/containerd'], { comm: 'containerd', role: { kind: 'daemon' } });
  listenTcp(world, h.rootNs, p.pid, '127.0.0.1', 35000 + Math.floor(world.random() * 10000), 4, 4096);
  const t = clusterNow(world);
  const stamp = new Date(Date.UTC(2026, 10, 26, 15, 0, 0) + t).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
  journalAppend(world, host, { t, unit: 'containerd', ident: 'systemd', pid: 1, text: `Starting ${CONTAINERD_UNIT.name}.service - ${CONTAINERD_UNIT.description}...` });
  const c = (msg: string) => journalAppend(world, host, { t, unit: 'containerd', ident: 'containerd', pid: p.pid, text: `time="${stamp}" level=info ${msg}` });
  c(`msg="starting containerd" version=${CONTAINERD_VERSION}`);
  c('msg="serving..." address=/run/containerd/containerd.sock.ttrpc');
  c('msg="serving..." address=/run/containerd/containerd.sock');
  c(`msg="containerd successfully booted in 0.052311s"`);
  journalStarted(world, host, CONTAINERD_UNIT, t);
  return p;
}

/** the --node-ip kubeadm wrote into /var/lib/kubelet/kubeadm-flags.env (the unit's EnvironmentFile) */
function kubeadmNodeIP(world: World, host: HostId): string | undefined {
  const env = readHostFile(world.host(host), '/var/lib/kubelet/kubeadm-flags.env') ?? '';
  return /--node-ip=(\S+?)["\s]/.exec(env)?.[1];
}

/** kubelet and containerd as systemd units (src/k8s/install.ts). */
export function registerNodeUnits(): void {
  registerUnit({ ...KUBELET_UNIT, fragment: '/usr/lib/systemd/system/kubelet.service', dropIns: { dir: '/usr/lib/systemd/system/kubelet.service.d', files: ['10-kubeadm.conf'] }, docs: ['https://kubernetes.io/docs/'], comm: 'kubelet', start: (w, h) => startKubeletProcess(w, h, kubeadmNodeIP(w, h)) });
  registerUnit({ name: 'systemd-resolved', description: 'Network Name Resolution', fragment: '/usr/lib/systemd/system/systemd-resolved.service', docs: ['man:systemd-resolved.service(8)', 'man:org.freedesktop.resolve1(5)', 'https://www.freedesktop.org/wiki/Software/systemd/writing-network-configuration-managers', 'https://www.freedesktop.org/wiki/Software/systemd/writing-resolver-clients'], comm: 'systemd-resolve', start: (w, h) => startResolved(w, h) });
  registerUnit({ ...CONTAINERD_UNIT, fragment: '/usr/lib/systemd/system/containerd.service', docs: ['https://containerd.io'], comm: 'containerd', start: (w, h) => startContainerdProcess(w, h) });
}
