// NGINX Gateway Fabric (NGF 2.x) as a cluster add-on: the Gateway API
// implementation of the course (F5's, the sibling of the NGINX Ingress
// Controller of src/k8s/ingress).
//
// `installNginxGatewayFabric(world, api)` applies what NGF's Helm chart
// installs with release name `ngf`: the nginx-gateway namespace, the control
// plane Deployment and Service `ngf-nginx-gateway-fabric`, and the
// GatewayClass `nginx` (controllerName gateway.nginx.org/nginx-gateway-controller).
// The Gateway API standard-channel resources (GatewayClass, Gateway,
// HTTPRoute, ReferenceGrant) are served by the API (ClusterConfig.crdGroups).
//
// The control plane is a program: while it runs it provisions, per
// Gateway of its class, the data plane as NGF 2.x does (a Deployment and a
// LoadBalancer Service named `<gateway>-<class>` in the Gateway's namespace,
// owned by the Gateway, externalTrafficPolicy Local, one port per listener
// port), and writes the status NGF writes: GatewayClass Accepted and
// SupportedVersion; Gateway Accepted/Programmed, its addresses (the
// Service's load-balancer IPs, or its ClusterIP for other Service types)
// and per listener supportedKinds, attachedRoutes and Accepted, Programmed,
// ResolvedRefs, Conflicted; per HTTPRoute parent Accepted and ResolvedRefs
// with NGF's reasons and messages (graph.ts).
//
// The data plane (image ghcr.io/nginx/nginx-gateway-fabric/nginx) is NGINX
// listening on the listener ports; each request is routed as NGF's
// configuration routes it (route.ts) from the live objects (the real data
// plane keeps the last configuration its control plane pushed: here it
// follows the objects even while the control plane is down), proxied to
// the chosen Service's ready endpoints (round-robin) with NGF's
// X-Forwarded-* headers. NGF's answers: 404 from the default server when
// no route matches, 500 for a rule whose backends are invalid (not found,
// not permitted), 502 for a backend without ready endpoints, redirects
// with NGINX's page and a Location header; `server_tokens off` (NGF's
// default) makes the Server header plain `nginx`. The access log is NGINX's
// combined format on the container's stdout.
import type { World } from '../../sim/world';
import type { NsId, Process } from '../../sim/types';
import { listenTcp } from '../../sim/sockets';
import { registerTcpService, type TcpService } from '../../sim/packet';
import { parseRequest, type HttpRequest, type HttpResponse } from '../../sim/http';
import { registerImage, type ContainerContext, type ImageProgram } from '../plugins';
import type { Api } from '../api/store';
import { rfc3339 } from '../api/store';
import type { Gateway, GatewayClass, HTTPRoute, ReferenceGrant, Service } from '../api/types';
import { internalApi } from '../cluster';
import { accessLine, containerLog, errorPage, header, proxyPass, serviceEndpoints } from '../ingress/nginx';
import { buildGraph, NGF_CONTROLLER, GW_GROUP, type Cond, type Graph } from './graph';
import { routeGatewayRequest } from './route';

export const NGF_VERSION = '2.6.7';
export const NGF_NAMESPACE = 'nginx-gateway';
export const NGF_CLASS = 'nginx';
export const NGF_IMAGE = `ghcr.io/nginx/nginx-gateway-fabric:${NGF_VERSION}`;
export const NGF_NGINX_IMAGE = `ghcr.io/nginx/nginx-gateway-fabric/nginx:${NGF_VERSION}`;
/** server_tokens off */
const SERVER = 'nginx';

// ---------------------------------------------------------------- the add-on

export function installNginxGatewayFabric(_world: World, api: Api): void {
  if (!api.state.config.crdGroups.includes(GW_GROUP)) api.state.config.crdGroups.push(GW_GROUP);
  const ns = NGF_NAMESPACE;
  const labels = { 'app.kubernetes.io/name': 'nginx-gateway-fabric', 'app.kubernetes.io/instance': 'ngf' };
  const c = (o: any) => api.create(o);
  c({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  c({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ngf-nginx-gateway-fabric', namespace: ns, labels } });
  c({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: NGF_CLASS, labels }, spec: { controllerName: NGF_CONTROLLER } });
  c({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'ngf-nginx-gateway-fabric', namespace: ns, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'ngf-nginx-gateway-fabric',
          containers: [
            {
              name: 'nginx-gateway',
              image: NGF_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              args: ['controller', `--gateway-ctlr-name=${NGF_CONTROLLER}`, `--gatewayclass=${NGF_CLASS}`, '--config=ngf-config', '--service=ngf-nginx-gateway-fabric', '--agent-tls-secret=agent-tls', '--metrics-port=9113', '--health-port=8081', '--leader-election-lock-name=ngf-nginx-gateway-fabric-leader-election'],
              env: [
                { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ],
              ports: [{ name: 'agent-grpc', containerPort: 8443 }, { name: 'metrics', containerPort: 9113 }, { name: 'health', containerPort: 8081 }],
              readinessProbe: { httpGet: { path: '/readyz', port: 'health' }, initialDelaySeconds: 3, periodSeconds: 1 },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsUser: 101, runAsGroup: 1001 },
            },
          ],
        },
      },
    },
  });
  c({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ngf-nginx-gateway-fabric', namespace: ns, labels }, spec: { type: 'ClusterIP', selector: labels, ports: [{ name: 'agent-grpc', port: 443, targetPort: 8443, protocol: 'TCP' }] } });
}

// ---------------------------------------------------------------- the graph from the store

export function graphOf(api: Api, cls: string): Graph {
  const services = new Map<string, number[]>();
  for (const s of api.scan('services') as Service[]) services.set(`${s.metadata?.namespace}/${s.metadata?.name}`, (s.spec?.ports ?? []).map((p) => p.port));
  const namespaces = new Map<string, Record<string, string>>();
  for (const n of api.scan('namespaces')) namespaces.set(n.metadata.name!, (n.metadata.labels ?? {}) as Record<string, string>);
  return buildGraph(
    {
      gatewayClasses: api.scan('gatewayclasses') as unknown as GatewayClass[],
      gateways: api.scan('gateways') as unknown as Gateway[],
      routes: api.scan('httproutes') as unknown as HTTPRoute[],
      grants: api.scan('referencegrants') as unknown as ReferenceGrant[],
      services,
      namespaces,
    },
    cls,
  );
}

/** Conditions as stored: lastTransitionTime kept while the status stays, observedGeneration the object's. */
function stamp(conds: Cond[], old: any[] | undefined, generation: number, now: number): any[] {
  return conds.map((c) => {
    const prev = (old ?? []).find((o) => o.type === c.type);
    const t = prev && prev.status === c.status ? prev.lastTransitionTime : rfc3339(now);
    return { lastTransitionTime: t, message: c.message, observedGeneration: generation, reason: c.reason, status: c.status, type: c.type };
  });
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export const dataPlaneName = (gateway: string, cls: string) => `${gateway}-${cls}`;

function provision(api: Api, gw: Gateway, cls: string): void {
  const ns = gw.metadata!.namespace!;
  const gwName = gw.metadata!.name!;
  const name = dataPlaneName(gwName, cls);
  const labels = { 'app.kubernetes.io/instance': 'ngf', 'app.kubernetes.io/managed-by': 'ngf-nginx', 'app.kubernetes.io/name': name, 'gateway.networking.k8s.io/gateway-name': gwName };
  const owner = [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: gwName, uid: gw.metadata!.uid!, controller: true, blockOwnerDeletion: true }];
  const ports = [...new Set((gw.spec?.listeners ?? []).map((l) => l.port))].sort((a, b) => a - b);
  if (!api.peek('deployments', ns, name)) {
    api.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns, labels, ownerReferences: owner },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'nginx',
                image: NGF_NGINX_IMAGE,
                imagePullPolicy: 'IfNotPresent',
                ports: ports.map((p) => ({ containerPort: p, name: `port-${p}`, protocol: 'TCP' })),
                securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsUser: 101, runAsGroup: 1001 },
              },
            ],
          },
        },
      },
    });
  }
  const svc = api.peek('services', ns, name) as Service | undefined;
  const svcPorts = ports.map((p) => ({ name: `port-${p}`, port: p, protocol: 'TCP', targetPort: p }));
  if (!svc) {
    api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels, ownerReferences: owner }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', selector: labels, ports: svcPorts } });
  } else if (!same((svc.spec?.ports ?? []).map((p) => [p.name, p.port]), svcPorts.map((p) => [p.name, p.port]))) {
    const cur = api.get('services', ns, name) as any;
    cur.spec.ports = svcPorts.map((p) => ({ ...p, ...(cur.spec.ports.find((o: any) => o.port === p.port)?.nodePort ? { nodePort: cur.spec.ports.find((o: any) => o.port === p.port).nodePort } : {}) }));
    api.update(cur);
  }
}

function gatewayAddresses(api: Api, gw: Gateway, cls: string): { type: string; value: string }[] {
  const svc = api.peek('services', gw.metadata!.namespace!, dataPlaneName(gw.metadata!.name!, cls)) as Service | undefined;
  if (!svc) return [];
  if (svc.spec?.type === 'LoadBalancer') return (svc.status?.loadBalancer?.ingress ?? []).filter((i) => i.ip).map((i) => ({ type: 'IPAddress', value: i.ip! }));
  return svc.spec?.clusterIP ? [{ type: 'IPAddress', value: svc.spec.clusterIP }] : [];
}

/** One pass of NGF's control plane: provisioning and status. */
export function ngfSync(api: Api, cls: string): void {
  const now = api.now();
  const graph = graphOf(api, cls);
  for (const gc of graph.classes) {
    const conds = stamp([{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'The GatewayClass is accepted' }, { type: 'SupportedVersion', status: 'True', reason: 'SupportedVersion', message: 'The Gateway API CRD versions are supported' }], gc.status?.conditions, gc.metadata?.generation ?? 1, now);
    if (!same(gc.status?.conditions, conds)) {
      const cur = api.get('gatewayclasses', null, gc.metadata!.name!) as any;
      cur.status = { ...(cur.status ?? {}), conditions: conds };
      api.updateStatus(cur);
    }
  }
  for (const gv of graph.gateways.values()) {
    const gw = gv.gateway;
    if (gv.conditions[0]!.status === 'True') provision(api, gw, cls);
    const gen = gw.metadata?.generation ?? 1;
    const status: any = {
      addresses: gatewayAddresses(api, gw, cls),
      conditions: stamp(gv.conditions, gw.status?.conditions, gen, now),
      listeners: gv.listeners.map((l) => ({
        attachedRoutes: l.attachedRoutes,
        conditions: stamp(l.conditions, (gw.status?.listeners ?? []).find((o) => o.name === l.listener.name)?.conditions, gen, now),
        name: l.listener.name,
        supportedKinds: [{ group: GW_GROUP, kind: 'HTTPRoute' }, { group: GW_GROUP, kind: 'GRPCRoute' }],
      })),
    };
    if (!status.addresses.length) delete status.addresses;
    if (!same(gw.status, status)) {
      const cur = api.get('gateways', gw.metadata!.namespace!, gw.metadata!.name!) as any;
      cur.status = status;
      api.updateStatus(cur);
    }
  }
  for (const rv of graph.routes) {
    const r = rv.route;
    const gen = r.metadata?.generation ?? 1;
    const others = (r.status?.parents ?? []).filter((p) => p.controllerName !== NGF_CONTROLLER);
    const mine = rv.parents.map((p) => ({
      conditions: stamp(p.conditions, (r.status?.parents ?? []).find((o) => o.controllerName === NGF_CONTROLLER && same(o.parentRef, p.parentRef))?.conditions, gen, now),
      controllerName: NGF_CONTROLLER,
      parentRef: p.parentRef,
    }));
    const parents = [...others, ...mine];
    if (!mine.length && !(r.status?.parents ?? []).some((p) => p.controllerName === NGF_CONTROLLER)) continue;
    if (!same(r.status?.parents ?? [], parents)) {
      const cur = api.get('httproutes', r.metadata!.namespace!, r.metadata!.name!) as any;
      cur.status = { parents };
      api.updateStatus(cur);
    }
  }
}

// ---------------------------------------------------------------- the control plane image

function argValue(argv: string[], name: string): string | undefined {
  for (const a of argv) if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  return undefined;
}

const controlPlane: ImageProgram = {
  start(ctx) {
    const cls = argValue(ctx.argv, 'gatewayclass') ?? NGF_CLASS;
    ctx.log(
      [
        `{"level":"info","ts":"${rfc3339(ctx.api.now())}","msg":"Starting NGINX Gateway Fabric in static mode","version":"${NGF_VERSION}","commit":"","date":"","dirty":"false"}`,
        `{"level":"info","ts":"${rfc3339(ctx.api.now())}","logger":"eventLoop","msg":"Starting the event loop"}`,
      ].join('\n'),
      'stderr',
    );
    const p = ctx.spawn(['/usr/bin/gateway', ...ctx.argv], { comm: 'gateway', role: { kind: 'daemon' } });
    listenTcp(ctx.world, ctx.nsId, p.pid, '::', 8443, 46, 4096);
    listenTcp(ctx.world, ctx.nsId, p.pid, '::', 8081, 46, 4096);
    listenTcp(ctx.world, ctx.nsId, p.pid, '::', 9113, 46, 4096);
    ngfSync(ctx.api, cls);
    return { state: 'running' };
  },
  onClusterChange(ctx) {
    ngfSync(ctx.api, argValue(ctx.argv, 'gatewayclass') ?? NGF_CLASS);
  },
  termination: () => 300,
};

// ---------------------------------------------------------------- the data plane image

interface DataPlane {
  [k: string]: unknown;
  gateway: string;
  cls: string;
  rr: Record<string, number>;
}

function dataPlaneOf(ctx: ContainerContext): { gateway: string; cls: string } | null {
  const gw = ctx.pod.metadata?.labels?.['gateway.networking.k8s.io/gateway-name'];
  if (!gw) return null;
  const ns = ctx.pod.metadata?.namespace ?? 'default';
  const g = ctx.api.peek('gateways', ns, gw) as Gateway | undefined;
  return { gateway: `${ns}/${gw}`, cls: g?.spec?.gatewayClassName ?? NGF_CLASS };
}

function listenPorts(ctx: ContainerContext, pid: number, gatewayKey: string): void {
  const [ns, name] = gatewayKey.split('/') as [string, string];
  const g = ctx.api.peek('gateways', ns, name) as Gateway | undefined;
  const have = new Set(ctx.world.ns(ctx.nsId).sockets.filter((s) => s.pid === pid && s.proto === 'tcp').map((s) => s.localPort));
  for (const l of g?.spec?.listeners ?? []) if (!have.has(l.port)) (listenTcp(ctx.world, ctx.nsId, pid, '0.0.0.0', l.port, 4, 511), have.add(l.port));
}

function dataPlaneProcess(ctx: ContainerContext): Process | undefined {
  return ctx.world.host(ctx.host).processes.find((p) => p.ns === ctx.nsId && p.role?.kind === 'app' && p.role.app === 'ngf-nginx');
}

const dataPlane: ImageProgram = {
  start(ctx) {
    const dp = dataPlaneOf(ctx);
    const data: DataPlane = { gateway: dp?.gateway ?? '', cls: dp?.cls ?? NGF_CLASS, rr: {} };
    const master = ctx.spawn(['nginx: master process /usr/sbin/nginx -g daemon off;'], { comm: 'nginx', role: { kind: 'app', app: 'ngf-nginx', data } });
    ctx.spawn(['nginx: worker process'], { comm: 'nginx', role: { kind: 'daemon' } });
    ctx.spawn(['/agent', 'run'], { comm: 'nginx-agent', role: { kind: 'daemon' } });
    if (dp) listenPorts(ctx, master.pid, dp.gateway);
    return { state: 'running' };
  },
  onClusterChange(ctx) {
    const p = dataPlaneProcess(ctx);
    const dp = dataPlaneOf(ctx);
    if (p && dp) listenPorts(ctx, p.pid, dp.gateway);
  },
  termination: () => 300,
};

/** One request to a Gateway's NGINX. */
export function ngfServe(world: World, nsId: NsId, proc: Process, req: HttpRequest, client: string, localPort: number): HttpResponse {
  const api = internalApi(world);
  const data = (proc.role as unknown as { data: DataPlane }).data;
  const head = req.method === 'HEAD';
  const fail = (status: number, detail?: string, extra: [string, string][] = []) => errorPage(world, SERVER, status, head, detail, extra);
  const graph = graphOf(api, data.cls);
  const gv = graph.gateways.get(data.gateway);
  const listeners = gv?.listeners.filter((l) => l.listener.port === localPort) ?? [];
  const hostHeader = header(req.headers, 'host') ?? '';
  let res: HttpResponse;
  if (!gv || !listeners.length) res = fail(404);
  else if (listeners.every((l) => l.listener.protocol === 'HTTPS')) res = fail(400, 'The plain HTTP request was sent to HTTPS port');
  else {
    const d = routeGatewayRequest(graph, gv, localPort, 'http', { method: req.method, host: hostHeader.replace(/:\d+$/, ''), uri: req.path, headers: req.headers }, () => api.random());
    if (d.kind === 'notFound') res = fail(404);
    else if (d.kind === 'redirect') res = fail(d.status, undefined, [['Location', d.location]]);
    else if (!d.backend || !d.backend.valid) res = fail(500);
    else {
      const b = d.backend;
      const eps = serviceEndpoints(api, { namespace: b.namespace, service: b.service, port: b.port }) ?? [];
      if (!eps.length) res = fail(502);
      else {
        const name = `${b.namespace}_${b.service}_${b.port}`;
        const i = (data.rr[name] ?? 0) % eps.length;
        data.rr[name] = (i + 1) % eps.length;
        const xff = header(req.headers, 'x-forwarded-for');
        const fwd: HttpRequest = {
          method: req.method,
          path: d.uri,
          version: 'HTTP/1.1',
          headers: [
            ['Host', d.host],
            ['X-Forwarded-For', xff ? `${xff}, ${client}` : client],
            ['X-Real-IP', client],
            ['X-Forwarded-Proto', 'http'],
            ['X-Forwarded-Host', hostHeader.replace(/:\d+$/, '')],
            ['X-Forwarded-Port', String(localPort)],
            ['Connection', 'close'],
            ...d.headers.filter(([k]) => !['host', 'connection', 'x-forwarded-for', 'x-real-ip', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port'].includes(k.toLowerCase())),
          ],
          body: req.body,
        };
        res = proxyPass(world, nsId, proc, SERVER, eps[i]!, fwd) ?? fail(502);
      }
    }
  }
  containerLog(api, world.ns(nsId).host, proc.pid, accessLine(world, client, req, res, false));
  return res;
}

const ngfService: TcpService = (world, nsId, proc, sock, req) => {
  const r = typeof req.data === 'string' ? parseRequest(req.data) : (req.data as HttpRequest | null);
  if (!r || typeof r !== 'object' || typeof r.method !== 'string') {
    const res = errorPage(world, SERVER, 400, false);
    return { data: res, len: res.wire.length };
  }
  const res = ngfServe(world, nsId, proc, r, req.src, sock.localPort);
  return { data: res, len: res.wire.length };
};

/** NGINX Gateway Fabric's images and its data plane's server (src/k8s/install.ts). */
export function registerNginxGatewayFabric(): void {
  registerTcpService('app:ngf-nginx', ngfService);
  registerImage({ repository: 'ghcr.io/nginx/nginx-gateway-fabric', defaultTag: NGF_VERSION, size: 29876543, entrypoint: ['/usr/bin/gateway'], cmd: [], program: controlPlane });
  registerImage({ repository: 'ghcr.io/nginx/nginx-gateway-fabric/nginx', defaultTag: NGF_VERSION, size: 38765432, entrypoint: ['/agent'], cmd: ['run'], program: dataPlane });
}
