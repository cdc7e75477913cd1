// A node's host side: the services systemd runs (containerd, kubelet), as
// processes with their sockets. The kubelet controller works on a node
// while a process whose comm is `kubelet` exists there; systemctl stops and
// starts these.
import type { World } from '../../sim/world';
import type { HostId, Process } from '../../sim/types';
import { spawnProcess } from '../../sim/process';
import { listenTcp } from '../../sim/sockets';

export const KUBELET_ARGV = ['/usr/bin/kubelet', '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf', '--kubeconfig=/etc/kubernetes/kubelet.conf', '--config=/var/lib/kubelet/config.yaml', '--pod-infra-container-image=registry.k8s.io/pause:3.10'];

/** Start the kubelet service's process on a host (10248 healthz on localhost, 10250 API on all addresses). */
export function startKubeletProcess(world: World, host: HostId, nodeIP?: string): Process {
  const h = world.host(host);
  const argv = nodeIP ? [...KUBELET_ARGV.slice(0, 4), `--node-ip=${nodeIP}`, ...KUBELET_ARGV.slice(4)] : KUBELET_ARGV;
  const p = spawnProcess(world, host, h.rootNs, argv, { comm: 'kubelet', role: { kind: 'daemon' } });
  listenTcp(world, h.rootNs, p.pid, '127.0.0.1', 10248, 4, 4096);
  listenTcp(world, h.rootNs, p.pid, '::', 10250, 46, 4096);
  return p;
}

/** Start containerd on a host (its CRI stream server on a random localhost port). */
export function startContainerdProcess(world: World, host: HostId): Process {
  const h = world.host(host);
  const p = spawnProcess(world, host, h.rootNs, ['/usr/bin/containerd'], { comm: 'containerd', role: { kind: 'daemon' } });
  listenTcp(world, h.rootNs, p.pid, '127.0.0.1', 35000 + Math.floor(world.random() * 10000), 4, 4096);
  return p;
}
