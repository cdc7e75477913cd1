// The node side (src/k8s/net: Flannel, kube-proxy, CoreDNS) plugged into the
// kubelet's interfaces: Flannel's CNI plugin, and the kube-proxy, CoreDNS and
// flanneld images as programs. Imported once by src/k8s/index.ts.
import { registerCniPlugin, registerImage, CniError, type CniPlugin, type ContainerContext, type ImageProgram } from './plugins';
import { cniAdd, cniDel, writePodFilesOf, flannelNodeUp, flannelNodeDown, flannelVtepMac } from './net/flannel';
import { kubeProxyStart, kubeProxySync } from './net/kube-proxy';
import { loadCorefile, parseCorefileFull, startCoreDnsPod } from './net/coredns';
import { flannelInit } from './runtime/control-plane';
import { klogTime } from './runtime/images';
import { closeSocket, listenTcp } from '../sim/sockets';
import { registerTcpService, type TcpService } from '../sim/packet';
import { buildResponse, httpDate, HTTP_EPOCH_MS } from '../sim/http';
import type { World } from '../sim/world';
import { goReply, request } from './go-servers';
import { isTerminating, podReady } from './controllers/util';

function flag(argv: string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `--${name}` || a === `-${name}`) return argv[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

function nodeIP(ctx: ContainerContext): string {
  return ((ctx.api.peek('nodes', null, ctx.node) as any)?.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address ?? '';
}

// ---------------------------------------------------------------- Flannel's CNI plugin

const flannelCni: CniPlugin = {
  type: 'flannel',
  add(world, api, req) {
    const p: any = req.pod;
    const r = cniAdd(world, req.host, { namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid, containerId: req.sandboxId });
    if (!r.ok) throw new CniError(r.message);
    writePodFilesOf(world, req.host, r.netns, p, r.ip, api.config);
    return { nsId: r.nsId, netnsName: r.netns, ips: [r.ip] };
  },
  del(world, _api, req) {
    cniDel(world, req.host, req.sandboxId);
  },
};

// ---------------------------------------------------------------- kube-proxy

// per World (copies of a world share container ids but not their kernels): a cache, rebuilt from the config when missing
const proxyModesOf = new WeakMap<World, Map<string, { mode: string; clusterCIDR: string | null }>>();
function proxyModes(world: World): Map<string, { mode: string; clusterCIDR: string | null }> {
  let m = proxyModesOf.get(world);
  if (!m) proxyModesOf.set(world, (m = new Map()));
  return m;
}

// what each kube-proxy last synced from, per World: its Services and EndpointSlices did not change, and its
// sync period (30 s) has not passed, so there is nothing to write (kube-proxy syncs on a change or its period)
const syncedOf = new WeakMap<World, Map<string, string>>();
const SYNC_PERIOD_MS = 30_000;

function proxySync(ctx: ContainerContext, mode: string, clusterCIDR: string | null): void {
  let synced = syncedOf.get(ctx.world);
  if (!synced) syncedOf.set(ctx.world, (synced = new Map()));
  const key = `${mode}|${clusterCIDR}|${ctx.api.lastWrite('services')}|${ctx.api.lastWrite('endpointslices')}|${Math.floor(ctx.api.now() / SYNC_PERIOD_MS)}`;
  if (synced.get(ctx.containerId) === key) return;
  synced.set(ctx.containerId, key);
  // an empty slice's endpoints are null, as the apiserver serves them
  const slices = (ctx.api.scan('endpointslices') as any[]).map((s) => (s.endpoints ? s : { ...s, endpoints: [] }));
  const services = ctx.api.scan('services') as any[];
  kubeProxySync(ctx.world, ctx.host, { services, slices, nodeIP: nodeIP(ctx), nodeName: ctx.node, clusterCIDR, mode });
  healthCheckPorts(ctx, services, slices);
}

/**
 * The service health server: a listener on each LoadBalancer's health check
 * node port (externalTrafficPolicy Local), answering with the number of the
 * service's ready endpoints on this node (what a cloud load balancer probes).
 */
function healthCheckPorts(ctx: ContainerContext, services: any[], slices: any[]): void {
  const proc = ctx.world.host(ctx.host).processes.find((p) => p.ns === ctx.nsId && p.role?.kind === 'app' && p.role.app === 'kube-proxy');
  if (!proc || proc.role?.kind !== 'app') return;
  const want: Record<string, { namespace: string; name: string; local: number }> = {};
  for (const svc of services) {
    const hc = svc.spec?.healthCheckNodePort;
    if (!hc || svc.spec.type !== 'LoadBalancer' || svc.spec.externalTrafficPolicy !== 'Local') continue;
    const { namespace, name } = svc.metadata;
    const local = new Set<string>();
    for (const sl of slices) {
      if (sl.metadata?.namespace !== namespace || sl.metadata?.labels?.['kubernetes.io/service-name'] !== name) continue;
      for (const e of sl.endpoints) if (e.nodeName === ctx.node && e.conditions?.ready !== false && e.addresses?.[0]) local.add(e.addresses[0]);
    }
    want[String(hc)] = { namespace, name, local: local.size };
  }
  const data = proc.role.data as ProxyData;
  const had = data.health ?? {};
  if (JSON.stringify(had) === JSON.stringify(want)) return;
  const ns = ctx.world.ns(ctx.nsId);
  for (const port of Object.keys(had)) {
    if (want[port]) continue;
    for (const sk of ns.sockets.filter((x) => x.pid === proc.pid && x.state === 'LISTEN' && x.localPort === Number(port))) closeSocket(ctx.world, ctx.nsId, sk.id);
  }
  for (const port of Object.keys(want)) {
    if (had[port] || ns.sockets.some((x) => x.pid === proc.pid && x.state === 'LISTEN' && x.localPort === Number(port))) continue;
    try {
      listenTcp(ctx.world, ctx.nsId, proc.pid, '::', Number(port), 46, 4096);
    } catch {
      /* the port is taken on this node: kube-proxy logs it and carries on */
    }
  }
  if (Object.keys(want).length) data.health = want;
  else delete data.health;
}

interface ProxyData {
  mode?: string;
  startedAt?: number;
  /** health check node port → the service and its endpoints on this node */
  health?: Record<string, { namespace: string; name: string; local: number }>;
}

// kube-proxy's two HTTP servers: the metrics server (127.0.0.1:10249: /proxyMode,
// /healthz, /metrics...) and the proxier's health server ([::]:10256: /healthz,
// /livez), answered as Go's net/http writes them (goReply).
/** Go's time.Time String() of a simulated instant, with the monotonic reading since the process started. */
export function goTimeString(ms: number, startedMs: number): string {
  const d = new Date(HTTP_EPOCH_MS + Math.floor(ms));
  const frac = String(Math.floor(((ms % 1000) + 1000) % 1000) * 1_000_000).padStart(9, '0').replace(/0+$/, '');
  const mono = Math.max(0, Math.floor(ms - startedMs));
  const sec = Math.floor(mono / 1000);
  const nano = String((mono % 1000) * 1_000_000).padStart(9, '0');
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)}${frac ? '.' + frac : ''} +0000 UTC m=+${sec}.${nano}`;
}

const kubeProxyService: TcpService = (world, _nsId, proc, sock, req) => {
  const r = request(req.data);
  if (!r) return null;
  const data = (proc.role as { data?: ProxyData }).data ?? {};
  const path = r.path.split('?')[0];
  const head = r.method === 'HEAD';
  const plain = 'text/plain; charset=utf-8';
  if (sock.localPort === 10256 && (path === '/healthz' || path === '/livez')) {
    const now = goTimeString(world.now(), data.startedAt ?? 0);
    return goReply(world, 200, 'application/json', `{"lastUpdated": ${JSON.stringify(now)},"currentTime": ${JSON.stringify(now)}, "nodeEligible": true}`, head);
  }
  const hc = data.health?.[String(sock.localPort)];
  if (hc) {
    // the service health server (pkg/proxy/healthcheck/service_health.go): 200 while this node has local endpoints
    const body = `{\n\t"service": {\n\t\t"namespace": ${JSON.stringify(hc.namespace)},\n\t\t"name": ${JSON.stringify(hc.name)}\n\t},\n\t"localEndpoints": ${hc.local},\n\t"serviceProxyHealthy": true\n}`;
    const res = buildResponse(world, 'HTTP/1.1', hc.local ? 200 : 503, [['Content-Type', 'application/json'], ['X-Content-Type-Options', 'nosniff'], ['X-Load-Balancing-Endpoint-Weight', String(hc.local)], ['Date', httpDate(world.now())], ['Content-Length', String(body.length)]], body, head);
    return { data: res, len: res.wire.length };
  }
  if (sock.localPort !== 10256) {
    if (path === '/proxyMode') return goReply(world, 200, plain, data.mode ?? 'iptables', head);
    if (path === '/healthz') return goReply(world, 200, plain, 'ok', head);
  }
  return goReply(world, 404, plain, '404 page not found\n', head);
};

const kubeProxy: ImageProgram = {
  start(ctx) {
    const path = flag(ctx.argv, 'config') ?? '/var/lib/kube-proxy/config.conf';
    const r = kubeProxyStart(ctx.readFile(path), { now: ctx.api.now(), nodeIP: nodeIP(ctx), configPath: path, version: ctx.api.config.version });
    ctx.log(r.log, 'stderr');
    if (!r.ok) return { state: 'exited', exitCode: 1 };
    const argv = ctx.argv.map((a) => a.replace('$(NODE_NAME)', ctx.node));
    const p = ctx.spawn(argv, { comm: 'kube-proxy', role: { kind: 'app', app: 'kube-proxy', data: { mode: r.mode, startedAt: ctx.api.now() } } });
    listenTcp(ctx.world, ctx.nsId, p.pid, '127.0.0.1', 10249, 4, 4096);
    listenTcp(ctx.world, ctx.nsId, p.pid, '::', 10256, 46, 4096);
    proxyModes(ctx.world).set(ctx.containerId, { mode: r.mode, clusterCIDR: r.clusterCIDR });
    proxySync(ctx, r.mode, r.clusterCIDR);
    return { state: 'running' };
  },
  onClusterChange(ctx) {
    let m = proxyModes(ctx.world).get(ctx.containerId);
    if (!m) {
      const path = flag(ctx.argv, 'config') ?? '/var/lib/kube-proxy/config.conf';
      const r = kubeProxyStart(ctx.readFile(path), { now: ctx.api.now(), nodeIP: nodeIP(ctx), configPath: path });
      m = { mode: r.mode, clusterCIDR: r.clusterCIDR };
      proxyModes(ctx.world).set(ctx.containerId, m);
    }
    proxySync(ctx, m.mode, m.clusterCIDR);
  },
  termination: () => 200,
};

// ---------------------------------------------------------------- flanneld

/** Nodes whose flanneld runs (they published their VTEP), as FlannelPeers; and this node's index in the network. */
function flannelPeers(ctx: ContainerContext): { index: number; peers: { host: string; nodeIP: string; podCIDR: string; vtepMac: string }[]; network: string } {
  const cfg = ctx.readFile('/etc/kube-flannel/net-conf.json');
  let network = ctx.api.config.podCIDR;
  try {
    network = JSON.parse(cfg ?? '{}').Network ?? network;
  } catch {
    /* the default */
  }
  const running = new Set((ctx.api.scan('pods', ctx.pod.metadata?.namespace ?? 'kube-flannel', { labelSelector: 'app=flannel' }) as any[]).filter((p) => !isTerminating(p) && podReady(p)).map((p) => p.spec.nodeName));
  running.add(ctx.node);
  const peers = [];
  let index = -1;
  for (const n of ctx.api.scan('nodes') as any[]) {
    const cidr: string | undefined = n.spec?.podCIDR;
    if (!cidr) continue;
    const ip = (n.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address ?? '';
    if (n.metadata.name === ctx.node) {
      index = Number(cidr.split('.')[2]);
      continue;
    }
    if (!running.has(n.metadata.name) || !ctx.world.state.hosts[n.metadata.name]) continue;
    peers.push({ host: n.metadata.name, nodeIP: ip, podCIDR: cidr, vtepMac: flannelVtepMac(ctx.world, n.metadata.name) });
  }
  return { index, peers, network };
}

// the peers each flanneld last programmed, per World (a copy of a world has the same container ids, not the same kernel)
const peerKeysOf = new WeakMap<World, Map<string, string>>();
function peerKeys(world: World): Map<string, string> {
  let m = peerKeysOf.get(world);
  if (!m) peerKeysOf.set(world, (m = new Map()));
  return m;
}

const flanneld: ImageProgram = {
  start(ctx) {
    if (ctx.argv[0] === 'cp') return flannelInit.start(ctx);
    const now = ctx.api.now();
    const { index, peers, network } = flannelPeers(ctx);
    if (index < 0) {
      ctx.log(`${klogTime(now, 'E')}       1 main.go:359] Error registering network: failed to acquire lease: node "${ctx.node}" pod cidr not assigned`, 'stderr');
      return { state: 'exited', exitCode: 1 };
    }
    const lines = flannelNodeUp(ctx.world, ctx.host, index, peers, network);
    ctx.log(lines.map((l) => `${klogTime(now)}       1 ${l}`).join('\n'), 'stderr');
    ctx.spawn(['/opt/bin/flanneld', '--ip-masq', '--kube-subnet-mgr'], { comm: 'flanneld', role: { kind: 'daemon' } });
    peerKeys(ctx.world).set(ctx.containerId, JSON.stringify(peers));
    // what flanneld publishes on its Node
    const ip = nodeIP(ctx);
    ctx.api.patch('nodes', null, ctx.node, 'merge', {
      metadata: {
        annotations: {
          'flannel.alpha.coreos.com/backend-data': JSON.stringify({ VNI: 1, VtepMAC: flannelVtepMac(ctx.world, ctx.host) }),
          'flannel.alpha.coreos.com/backend-type': 'vxlan',
          'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
          'flannel.alpha.coreos.com/public-ip': ip,
        },
      },
    });
    return { state: 'running' };
  },
  onClusterChange(ctx) {
    if (ctx.argv[0] === 'cp') return;
    const { index, peers, network } = flannelPeers(ctx);
    const key = JSON.stringify(peers);
    if (index < 0 || peerKeys(ctx.world).get(ctx.containerId) === key) return;
    peerKeys(ctx.world).set(ctx.containerId, key);
    flannelNodeUp(ctx.world, ctx.host, index, peers, network);
  },
  stop(ctx) {
    if (ctx.argv[0] !== 'cp') flannelNodeDown(ctx.world, ctx.host);
  },
  termination: () => 300,
};

// ---------------------------------------------------------------- CoreDNS

const coredns: ImageProgram = {
  start(ctx) {
    const path = flag(ctx.argv, 'conf') ?? '/etc/coredns/Corefile';
    const text = ctx.readFile(path);
    if (text === null) {
      ctx.log(`Error: open ${path}: no such file or directory`, 'stderr');
      return { state: 'exited', exitCode: 1 };
    }
    // CoreDNS refuses a Corefile it cannot parse: the error is all it prints
    const parsed = parseCorefileFull(text, path);
    if (parsed.error) {
      ctx.log(parsed.error, 'stderr');
      return { state: 'exited', exitCode: 1 };
    }
    const r = startCoreDnsPod(ctx.world, ctx.host, ctx.nsId, text, { spawn: (argv: string[], opts: any) => ctx.spawn(argv, opts), version: '1.12.0', cpus: 2 } as any);
    ctx.log(r.log);
    if (r.error) return { state: 'exited', exitCode: 1 };
    if (r.process) loadCorefile(ctx.world, ctx.host, ctx.nsId, r.process, text, parsed);
    return { state: 'running' };
  },
  termination: () => 5000,
};

let done = false;
/** Flannel's CNI plugin, kube-proxy's HTTP servers and the network add-ons' images (idempotent; src/k8s/install.ts). */
export function registerNetworkSide(): void {
  if (done) return;
  done = true;
  registerCniPlugin(flannelCni);
  registerTcpService('app:kube-proxy', kubeProxyService);
  registerImage({ repository: 'registry.k8s.io/kube-proxy', defaultTag: 'v1.33.4', size: 30931498, entrypoint: [], cmd: [], program: kubeProxy });
  registerImage({ repository: 'registry.k8s.io/coredns/coredns', defaultTag: 'v1.12.0', size: 20939036, entrypoint: ['/coredns'], cmd: [], program: coredns });
  registerImage({ repository: 'ghcr.io/flannel-io/flannel', defaultTag: 'v0.27.3', size: 34371810, entrypoint: [], cmd: [], program: flanneld });
}
