// MetalLB (v0.15, layer-2 mode) as a cluster add-on: LoadBalancer Services
// get an address from an IPAddressPool on the node network, and one node
// answers ARP for it, so a host outside the cluster on that network reaches
// the Service (kube-proxy's "loadbalancer IP" rules take it from there).
//
// `metallb({ addresses })` returns the installer (`installMetalLB` uses
// .200-.220 of the node network): the metallb-system namespace, the
// controller Deployment and the speaker DaemonSet (hostNetwork) of MetalLB's
// native manifest, the metallb.io CRDs served, an IPAddressPool
// `default-pool` and an L2Advertisement `default` for it.
//
// The controller is a program: while it runs, each LoadBalancer Service
// without a loadBalancerClass gets the address it asks for
// (`metallb.io/loadBalancerIPs`, or spec.loadBalancerIP) or the lowest free
// one of the auto-assign pools (avoidBuggyIPs skips .0 and .255), in
// status.loadBalancer.ingress, with the pool in the
// `metallb.io/ip-allocated-from-pool` annotation and an `IPAllocated` event;
// an exhausted pool gives `AllocationFailed`; a Service that stops being a
// LoadBalancer loses its address.
//
// The speaker is a program on every node: the node elected for an address
// (among the nodes whose speaker runs, and for externalTrafficPolicy Local
// only those with a ready endpoint of the Service, the first by the SHA-256
// of "node#ip", as MetalLB's layer-2 election orders them) answers ARP
// requests for it on its node-network interface (src/sim/arp-responder.ts:
// the speaker replies from a raw socket, the kernel does not hold the
// address) and records `nodeAssigned` on the Service. A stopped speaker
// answers nothing and another node takes over.
import { sha256 } from '@noble/hashes/sha2.js';
import type { World } from '../../sim/world';
import type { Link, Netns } from '../../sim/types';
import { registerArpResponder, type ArpResponder } from '../../sim/arp-responder';
import { addressesOf } from '../../sim/addr';
import { intToV4, v4ToInt } from '../../sim/ip';
import { listenTcp } from '../../sim/sockets';
import { registerImage, type ContainerContext, type ImageProgram } from '../plugins';
import { clusterState, type Api } from '../api/store';
import type { EndpointSlice, Service } from '../api/types';
import { internalApi } from '../cluster';
import { kubeletRuntime } from '../runtime/state';
import { rfc3339 } from '../api/store';

export const METALLB_VERSION = 'v0.15.2';
export const METALLB_NAMESPACE = 'metallb-system';
export const METALLB_GROUP = 'metallb.io';
const POOL_ANNOTATION = 'metallb.io/ip-allocated-from-pool';

// ---------------------------------------------------------------- the add-on

function nodeNetwork(api: Api): string {
  const cp = api.scan('nodes')[0] as any;
  const ip: string = (cp?.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address ?? '192.168.121.10';
  return ip.split('.').slice(0, 3).join('.');
}

/** The installer, with the default pool's addresses (ranges `a-b` or CIDRs). */
export function metallb(opts: { addresses?: string[] } = {}): (world: World, api: Api) => void {
  return (_world, api) => {
    if (!api.state.config.crdGroups.includes(METALLB_GROUP)) api.state.config.crdGroups.push(METALLB_GROUP);
    const ns = METALLB_NAMESPACE;
    const c = (o: any) => api.create(o);
    c({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'pod-security.kubernetes.io/audit': 'privileged', 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/warn': 'privileged' } } });
    for (const sa of ['controller', 'speaker']) c({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: ns, labels: { app: 'metallb' } } });
    c({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'metallb-excludel2', namespace: ns }, data: { 'excludel2.yaml': 'announcedInterfacesToExclude: ["^docker.*", "^cbr.*", "^dummy.*", "^virbr.*", "^lxcbr.*", "^veth.*", "^lo$", "^cali.*", "^tunl.*", "^flannel.*", "^kube-ipvs.*", "^cni.*", "^vxlan.calico.*", "^vxlan-v6.calico.*", "^nodelocaldns.*"]\n' } });
    const env = [{ name: 'METALLB_ML_BIND_PORT', value: '7946' }];
    c({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'controller', namespace: ns, labels: { app: 'metallb', component: 'controller' } },
      spec: {
        revisionHistoryLimit: 3,
        selector: { matchLabels: { app: 'metallb', component: 'controller' } },
        template: {
          metadata: { labels: { app: 'metallb', component: 'controller' }, annotations: { 'prometheus.io/port': '7472', 'prometheus.io/scrape': 'true' } },
          spec: {
            serviceAccountName: 'controller',
            terminationGracePeriodSeconds: 0,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            securityContext: { fsGroup: 65534, runAsNonRoot: true, runAsUser: 65534 },
            containers: [
              {
                name: 'controller',
                image: `quay.io/metallb/controller:${METALLB_VERSION}`,
                args: ['--port=7472', '--log-level=info', '--tls-min-version=VersionTLS12'],
                env: [{ name: 'METALLB_ML_SECRET_NAME', value: 'memberlist' }, { name: 'METALLB_DEPLOYMENT', value: 'controller' }],
                ports: [{ containerPort: 7472, name: 'monitoring' }, { containerPort: 9443, name: 'webhook-server', protocol: 'TCP' }],
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['all'] }, readOnlyRootFilesystem: true },
              },
            ],
          },
        },
      },
    });
    c({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'speaker', namespace: ns, labels: { app: 'metallb', component: 'speaker' } },
      spec: {
        selector: { matchLabels: { app: 'metallb', component: 'speaker' } },
        template: {
          metadata: { labels: { app: 'metallb', component: 'speaker' }, annotations: { 'prometheus.io/port': '7472', 'prometheus.io/scrape': 'true' } },
          spec: {
            serviceAccountName: 'speaker',
            hostNetwork: true,
            terminationGracePeriodSeconds: 2,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/master', operator: 'Exists' }, { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }],
            containers: [
              {
                name: 'speaker',
                image: `quay.io/metallb/speaker:${METALLB_VERSION}`,
                args: ['--port=7472', '--log-level=info'],
                env: [{ name: 'METALLB_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }, { name: 'METALLB_HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } }, ...env],
                ports: [{ containerPort: 7472, name: 'monitoring' }, { containerPort: 7946, name: 'memberlist-tcp' }, { containerPort: 7946, name: 'memberlist-udp', protocol: 'UDP' }],
                securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_RAW'], drop: ['ALL'] }, readOnlyRootFilesystem: true },
              },
            ],
          },
        },
      },
    });
    const net = nodeNetwork(api);
    c({ apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'default-pool', namespace: ns }, spec: { addresses: opts.addresses ?? [`${net}.200-${net}.220`] } });
    c({ apiVersion: 'metallb.io/v1beta1', kind: 'L2Advertisement', metadata: { name: 'default', namespace: ns }, spec: { ipAddressPools: ['default-pool'] } });
  };
}

export const installMetalLB = metallb();

// ---------------------------------------------------------------- the controller: allocation

interface Pool {
  name: string;
  autoAssign: boolean;
  avoidBuggy: boolean;
  ranges: [number, number][];
}

function poolsOf(api: Api): Pool[] {
  return (api.scan('ipaddresspools', METALLB_NAMESPACE) as any[])
    .map((p) => ({
      name: p.metadata.name as string,
      autoAssign: p.spec?.autoAssign !== false,
      avoidBuggy: p.spec?.avoidBuggyIPs === true,
      ranges: ((p.spec?.addresses ?? []) as string[]).flatMap((a): [number, number][] => {
        if (a.includes('-')) {
          const [x, y] = a.split('-').map((s) => v4ToInt(s.trim()) >>> 0);
          return x !== undefined && y !== undefined ? [[x, y]] : [];
        }
        if (a.includes('/') && !a.includes(':')) {
          const [ip, len] = a.split('/');
          const base = (v4ToInt(ip!) >>> 0) & (Number(len) === 0 ? 0 : (~0 << (32 - Number(len))) >>> 0);
          return [[base >>> 0, (base + 2 ** (32 - Number(len)) - 1) >>> 0]];
        }
        return [];
      }),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function poolOf(pools: Pool[], ip: string): Pool | undefined {
  const n = v4ToInt(ip) >>> 0;
  return pools.find((p) => p.ranges.some(([a, b]) => n >= a && n <= b));
}

const isLB = (s: Service) => s.spec?.type === 'LoadBalancer' && !s.spec?.loadBalancerClass;
const svcKey = (s: Service) => `${s.metadata?.namespace}/${s.metadata?.name}`;

/** One pass of MetalLB's controller. */
export function metallbAllocate(api: Api): void {
  const pools = poolsOf(api);
  const services = api.scan('services') as Service[];
  const used = new Map<string, string>();
  for (const s of services) if (isLB(s)) for (const i of s.status?.loadBalancer?.ingress ?? []) if (i.ip) used.set(i.ip, svcKey(s));
  for (const s of services) {
    const ns = s.metadata!.namespace!;
    const name = s.metadata!.name!;
    const have = (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).filter(Boolean) as string[];
    if (!isLB(s)) {
      if (have.length && s.metadata?.annotations?.[POOL_ANNOTATION]) {
        const cur = api.get('services', ns, name) as any;
        cur.status = { loadBalancer: {} };
        api.updateStatus(cur);
        const c2 = api.get('services', ns, name) as any;
        delete c2.metadata.annotations[POOL_ANNOTATION];
        api.update(c2);
      }
      continue;
    }
    const wanted = (s.metadata?.annotations?.['metallb.io/loadBalancerIPs'] ?? s.spec?.loadBalancerIP ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    // kept while still in a pool and, when the Service asks for an address, the one it asks for
    // (MetalLB's controller clears an assignment when "user requested a different IP than the one currently assigned")
    if (have.length && have.every((ip) => poolOf(pools, ip)) && (!wanted.length || have[0] === wanted[0])) continue;
    if (have.length) for (const ip of have) if (used.get(ip) === svcKey(s)) used.delete(ip);
    let ip: string | null = null;
    let pool: Pool | undefined;
    let failure = '';
    if (wanted.length) {
      const w = wanted[0]!;
      pool = poolOf(pools, w);
      if (!pool) failure = `Failed to allocate IP for "${ns}/${name}": ["${w}"] is not allowed in config`;
      else if (used.has(w) && used.get(w) !== `${ns}/${name}`) failure = `Failed to allocate IP for "${ns}/${name}": can't change sharing key for "${ns}/${name}", address also in use by ${used.get(w)}`;
      else ip = w;
    } else {
      outer: for (const p of pools.filter((x) => x.autoAssign)) {
        for (const [a, b] of p.ranges) {
          for (let n = a; n <= b; n++) {
            const cand = intToV4(n);
            if (p.avoidBuggy && (cand.endsWith('.0') || cand.endsWith('.255'))) continue;
            if (!used.has(cand)) {
              ip = cand;
              pool = p;
              break outer;
            }
          }
        }
      }
      if (!ip) failure = `Failed to allocate IP for "${ns}/${name}": no available IPs`;
    }
    if (!ip || !pool) {
      const fresh = api.peek('services', ns, name)!;
      const already = (api.scan('events', ns) as any[]).some((e) => e.reason === 'AllocationFailed' && e.involvedObject?.uid === fresh.metadata.uid);
      if (!already) api.recordEvent(fresh, { type: 'Warning', reason: 'AllocationFailed', message: failure, component: 'metallb-controller' });
      continue;
    }
    used.set(ip, `${ns}/${name}`);
    const cur = api.get('services', ns, name) as any;
    cur.metadata.annotations = { ...(cur.metadata.annotations ?? {}), [POOL_ANNOTATION]: pool.name };
    api.update(cur);
    const st = api.get('services', ns, name) as any;
    st.status = { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } };
    api.updateStatus(st);
    api.recordEvent(api.peek('services', ns, name)!, { type: 'Normal', reason: 'IPAllocated', message: `Assigned IP ["${ip}"]`, component: 'metallb-controller' });
  }
}

// ---------------------------------------------------------------- the speaker: layer-2 election and ARP

function runningSpeakerNodes(api: Api): string[] {
  const rt = kubeletRuntime(api);
  const out: string[] = [];
  for (const p of api.scan('pods', METALLB_NAMESPACE, { labelSelector: 'component=speaker' }) as any[]) {
    const c = rt.pods[p.metadata.uid]?.containers.find((x) => x.name === 'speaker');
    if (c?.state === 'running' && p.spec?.nodeName) out.push(p.spec.nodeName);
  }
  return out.sort();
}

function advertised(api: Api, poolName: string): boolean {
  return (api.scan('l2advertisements', METALLB_NAMESPACE) as any[]).some((l) => !l.spec?.ipAddressPools?.length && !l.spec?.ipAddressPoolSelectors?.length ? true : (l.spec?.ipAddressPools ?? []).includes(poolName));
}

function localEndpointNodes(api: Api, s: Service): Set<string> {
  const out = new Set<string>();
  for (const sl of api.scan('endpointslices', s.metadata!.namespace!, { labelSelector: `kubernetes.io/service-name=${s.metadata!.name}` }) as unknown as EndpointSlice[])
    for (const e of sl.endpoints ?? []) if (e.conditions?.ready !== false && e.nodeName) out.add(e.nodeName);
  return out;
}

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

/** The node that announces `ip` of Service `s`, or null. */
export function announcingNode(api: Api, s: Service, ip: string): string | null {
  let nodes = runningSpeakerNodes(api);
  if (s.spec?.externalTrafficPolicy === 'Local') {
    const local = localEndpointNodes(api, s);
    nodes = nodes.filter((n) => local.has(n));
  }
  if (!nodes.length) return null;
  const ranked = nodes.map((n) => ({ n, h: hex(sha256(new TextEncoder().encode(`${n}#${ip}`))) })).sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
  return ranked[0]!.n;
}

/** The LoadBalancer Service holding `ip` through MetalLB, if its pool is advertised in layer 2. */
function serviceFor(api: Api, ip: string): Service | null {
  for (const s of api.scan('services') as Service[]) {
    if (!isLB(s) || !(s.status?.loadBalancer?.ingress ?? []).some((i) => i.ip === ip)) continue;
    const pool = s.metadata?.annotations?.[POOL_ANNOTATION];
    if (pool && advertised(api, pool)) return s;
  }
  return null;
}

function nodeOfHost(api: Api, host: string): string | null {
  const rt = kubeletRuntime(api);
  for (const [name, n] of Object.entries(rt.nodes)) if (n.host === host) return name;
  return null;
}

const speakerArp: ArpResponder = (world: World, ns: Netns, link: Link, ip: string) => {
  if (!clusterState(world) || link.kind !== 'ether') return false;
  if (world.state.hosts[ns.host]?.rootNs !== ns.id) return false;
  const api = internalApi(world);
  if (!api.state.config.crdGroups.includes(METALLB_GROUP)) return false;
  const node = nodeOfHost(api, ns.host);
  if (!node) return false;
  // the speaker answers on the interface that holds the node's address (excludel2 leaves out the CNI's devices)
  const nodeObj = api.peek('nodes', null, node) as any;
  const nodeIP = (nodeObj?.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address;
  if (!addressesOf(ns, link.ifindex, 4).some((a) => a.local === nodeIP)) return false;
  const s = serviceFor(api, ip);
  return !!s && announcingNode(api, s, ip) === node;
};

// ---------------------------------------------------------------- the images

function klogJson(now: number, caller: string, msg: string, extra: Record<string, string> = {}): string {
  return JSON.stringify({ caller, level: 'info', msg, ts: rfc3339(now).replace('Z', '.000Z'), ...extra });
}

const controller: ImageProgram = {
  start(ctx) {
    const now = ctx.api.now();
    ctx.log([klogJson(now, 'main.go:143', 'MetalLB controller starting version 0.15.2 (commit , branch main)', { version: '0.15.2' }), klogJson(now, 'main.go:224', 'Starting controller')].join('\n'));
    const p = ctx.spawn(['/controller', ...ctx.argv.slice(ctx.argv[0] === '/controller' ? 1 : 0)], { comm: 'controller', role: { kind: 'daemon' } });
    listenTcp(ctx.world, ctx.nsId, p.pid, '::', 7472, 46, 4096);
    listenTcp(ctx.world, ctx.nsId, p.pid, '::', 9443, 46, 4096);
    metallbAllocate(ctx.api);
    return { state: 'running' };
  },
  onClusterChange(ctx) {
    metallbAllocate(ctx.api);
  },
  termination: () => 100,
};

function announceEvents(ctx: ContainerContext): void {
  const proc = ctx.world.host(ctx.host).processes.find((p) => p.ns === ctx.nsId && p.comm === 'speaker' && p.role?.kind === 'app');
  if (!proc || proc.role?.kind !== 'app') return;
  const seen = proc.role.data as Record<string, string>;
  for (const s of ctx.api.scan('services') as Service[]) {
    if (!isLB(s)) continue;
    for (const i of s.status?.loadBalancer?.ingress ?? []) {
      if (!i.ip) continue;
      const pool = s.metadata?.annotations?.[POOL_ANNOTATION];
      if (!pool || !advertised(ctx.api, pool)) continue;
      const k = `${s.metadata?.uid}/${i.ip}`;
      const mine = announcingNode(ctx.api, s, i.ip) === ctx.node;
      if (mine && seen[k] !== 'on') {
        seen[k] = 'on';
        ctx.api.recordEvent(ctx.api.peek('services', s.metadata!.namespace!, s.metadata!.name!)!, { type: 'Normal', reason: 'nodeAssigned', message: `announcing from node "${ctx.node}" with protocol "layer2"`, component: 'metallb-speaker' });
      } else if (!mine && seen[k] === 'on') delete seen[k];
    }
  }
}

const speaker: ImageProgram = {
  start(ctx) {
    const now = ctx.api.now();
    ctx.log([klogJson(now, 'main.go:107', 'MetalLB speaker starting version 0.15.2 (commit , branch main)', { version: '0.15.2' }), klogJson(now, 'announcer.go:126', 'created ARP responder for interface', { interface: 'eth0' })].join('\n'));
    const p = ctx.spawn(['/speaker', ...ctx.argv.slice(ctx.argv[0] === '/speaker' ? 1 : 0)], { comm: 'speaker', role: { kind: 'app', app: 'metallb-speaker', data: {} } });
    listenTcp(ctx.world, ctx.nsId, p.pid, '::', 7472, 46, 4096);
    listenTcp(ctx.world, ctx.nsId, p.pid, '::', 7946, 46, 4096);
    announceEvents(ctx);
    return { state: 'running' };
  },
  onClusterChange(ctx) {
    announceEvents(ctx);
  },
  termination: () => 2000,
};

/** MetalLB's images and its speaker's ARP answers (src/k8s/install.ts). */
export function registerMetalLB(): void {
  registerArpResponder(speakerArp);
  registerImage({ repository: 'quay.io/metallb/controller', defaultTag: METALLB_VERSION, size: 28456712, entrypoint: ['/controller'], cmd: [], program: controller });
  registerImage({ repository: 'quay.io/metallb/speaker', defaultTag: METALLB_VERSION, size: 52876541, entrypoint: ['/speaker'], cmd: [], program: speaker });
}
