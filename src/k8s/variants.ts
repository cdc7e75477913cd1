// What the course's cluster scenarios add to a fresh kubeadm cluster: an
// application (a Deployment behind a ClusterIP and a NodePort Service) and
// the faults of the troubleshooting variants, each made the way it happens
// on a real cluster (an edited object, a stopped service), in the cluster's
// past so that its symptoms are there when the learner arrives.
import { unitDef, unitStop } from '../sim/systemd';
import type { World } from '../sim/world';
import { killProcess } from '../sim/process';
import type { Api } from './api/store';
import { internalApi, syncCluster } from './cluster';
import { stringify } from 'yaml';
import { writeHostFile } from '../sim/files';
import { DEFAULT_CONFIG } from './api/store';
import { applyFlannel } from './bootstrap';

export interface AppOptions {
  name?: string;
  image?: string;
  replicas?: number;
  namespace?: string;
  /** the ClusterIP Service's port (targetPort 80) */
  port?: number;
  /** a NodePort Service `<name>-np` on this node port, if set */
  nodePort?: number;
  /** the Services' selector (default: the pods' labels) */
  selector?: Record<string, string>;
  /** the Services' targetPort (default 80, nginx's) */
  targetPort?: number | string;
}

/** `kubectl create deployment web --image=nginx:1.27 --replicas=3`, `kubectl expose` (+ a NodePort Service), then time for the pods to come up. */
export function deployApp(world: World, o: AppOptions = {}): void {
  const api = internalApi(world);
  const name = o.name ?? 'web';
  const ns = o.namespace ?? 'default';
  const labels = { app: name };
  api.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels },
    spec: { replicas: o.replicas ?? 3, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'nginx', image: o.image ?? 'nginx:1.27', ports: [{ containerPort: 80 }] }] } } },
  });
  const selector = o.selector ?? labels;
  const targetPort = o.targetPort ?? 80;
  api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels }, spec: { selector, ports: [{ port: o.port ?? 80, protocol: 'TCP', targetPort }] } });
  if (o.nodePort) api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: `${name}-np`, namespace: ns, labels }, spec: { type: 'NodePort', selector, ports: [{ port: o.port ?? 80, protocol: 'TCP', targetPort, nodePort: o.nodePort }] } });
  advance(world, 20_000);
}

/** Let cluster time pass (in the cluster's past: the world's clock does not move). */
function advance(world: World, ms: number): void {
  const api = internalApi(world);
  syncCluster(world, Math.min(world.now(), api.now() + ms));
}

/** CoreDNS scaled to 0 (`kubectl -n kube-system scale deployment coredns --replicas=0`). */
export function scaleCoreDnsToZero(world: World): void {
  internalApi(world).patch('deployments', 'kube-system', 'coredns', 'merge', { spec: { replicas: 0 } });
  advance(world, 40_000);
}

/** kube-proxy's DaemonSet pointed at a config file that does not exist: it crashes on every node (CrashLoopBackOff). */
export function breakKubeProxy(world: World): void {
  const api = internalApi(world);
  const ds: any = api.get('daemonsets', 'kube-system', 'kube-proxy');
  const c = ds.spec.template.spec.containers[0];
  c.command = c.command.map((a: string) => (a.startsWith('--config=') ? '--config=/var/lib/kube-proxy/configuration.conf' : a));
  api.update(ds);
  advance(world, 120_000);
}

/** The kubelet on a node stopped (`systemctl stop kubelet`) some minutes ago: the node is NotReady. */
export function stopKubelet(world: World, node: string): void {
  const api = internalApi(world);
  const h = world.host(node);
  // `systemctl stop kubelet` (the unit records when, for systemctl status and journalctl)
  const unit = unitDef('kubelet');
  if (unit) unitStop(world, node, unit);
  const stopped = h.unitsStopped?.kubelet;
  if (stopped) stopped.at = api.now();
  for (const p of h.processes.filter((x) => x.comm === 'kubelet')) killProcess(world, node, p.pid);
  advance(world, 120_000);
}

/** kube-flannel.yml as `kubectl apply -f` takes it: the objects bootstrapCluster applies for Flannel, as YAML documents. */
export function flannelManifest(): string {
  const docs: unknown[] = [];
  applyFlannel({ create: (o: unknown) => docs.push(o) } as never, DEFAULT_CONFIG);
  return docs.map((o) => stringify(o, { indentSeq: false, lineWidth: 0 })).join('---\n');
}

/** The Flannel manifest left on a node, as an exam environment provides the add-on to install (`/root/kube-flannel.yml`). */
export function leaveFlannelManifest(world: World, host = 'controlplane', path = '/root/kube-flannel.yml'): void {
  writeHostFile(world.host(host), path, flannelManifest(), world.now(), 0o644);
}

export type { Api };
