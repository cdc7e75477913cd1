// The F5 NGINX Ingress Controller (NIC, nginx/kubernetes-ingress 5.x) as a
// cluster add-on and as a container image that is a program.
//
// Why this controller: the community ingress-nginx was retired in March
// 2026; NIC is maintained by F5/NGINX, is NGINX underneath (the same Server
// header, error pages and access log a learner meets on the nginx pods of
// the course) and its sibling NGINX Gateway Fabric is the Gateway API
// implementation of src/k8s/gateway, so both speak the same dialect.
//
// `installNginxIngress(world, api)` applies what NIC's manifests install:
// the nginx-ingress namespace, its ServiceAccount and ConfigMap, the
// IngressClass `nginx` (marked cluster default), the Deployment and a
// NodePort Service (http 80 → 32080, https 443 → 32443).
//
// The program: NGINX listening on 80 and 443 in the controller's pod; each
// request is routed by the live Ingress objects (routing.ts) to the
// Service's ready endpoints (NIC proxies to the pod IPs itself, round-robin,
// not through the ClusterIP), with NIC's headers; a host no Ingress claims
// or a path no location matches gets NGINX's 404 page; a Service that does
// not exist or has no ready endpoint is NIC's 502 upstream (NIC points such
// upstreams at a local server that returns 502). The access log is NIC's
// default log_format in `kubectl logs`. TLS sections are stored and listed
// by kubectl but not used: the simulated curl speaks plain HTTP, and
// plain HTTP to port 443 gets NGINX's real 400 "The plain HTTP request was
// sent to HTTPS port". The controller writes the Ingress status (the
// addresses of its external Service: LoadBalancer ingress IPs and
// externalIPs, or `external-status-address` from its ConfigMap) and its
// events (AddedOrUpdated, Rejected).
import type { World } from '../../sim/world';
import type { NsId, Process } from '../../sim/types';
import { listenTcp } from '../../sim/sockets';
import { registerTcpService, type TcpService } from '../../sim/packet';
import { parseRequest, type HttpRequest, type HttpResponse } from '../../sim/http';
import { accessLine, containerLog, errorPage, header, proxyPass, serviceEndpoints } from './nginx';
import { registerImage, type ContainerContext, type ImageProgram } from '../plugins';
import type { Api } from '../api/store';
import type { Ingress, IngressClass, Service } from '../api/types';
import { internalApi } from '../cluster';
import { klogTime } from '../runtime/images';
import { buildNicConfig, ingressClassOf, isDefaultClass, routeRequest, upstreamUri, NIC_CONTROLLER, type Backend, type NicConfig } from './routing';

export const NIC_VERSION = '5.2.1';
export const NIC_NGINX = 'nginx/1.29.1';
export const NIC_IMAGE = `nginx/nginx-ingress:${NIC_VERSION}`;
export const NIC_NAMESPACE = 'nginx-ingress';
export const NIC_CLASS = 'nginx';
export const NIC_HTTP_NODEPORT = 32080;
export const NIC_HTTPS_NODEPORT = 32443;

// ---------------------------------------------------------------- the add-on

/** What NIC's manifests create (deployments/ of nginx/kubernetes-ingress), with the class marked default. */
export function installNginxIngress(_world: World, api: Api): void {
  const ns = NIC_NAMESPACE;
  const c = (o: any) => api.create(o);
  c({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  c({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'nginx-ingress', namespace: ns } });
  c({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nginx-config', namespace: ns }, data: {} });
  c({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: NIC_CLASS, annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: NIC_CONTROLLER } });
  c({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'nginx-ingress', namespace: ns },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'nginx-ingress' } },
      template: {
        metadata: { labels: { app: 'nginx-ingress', 'app.kubernetes.io/name': 'nginx-ingress' } },
        spec: {
          serviceAccountName: 'nginx-ingress',
          automountServiceAccountToken: true,
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'nginx-ingress',
              image: NIC_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              ports: [
                { name: 'http', containerPort: 80 },
                { name: 'https', containerPort: 443 },
                { name: 'readiness-port', containerPort: 8081 },
                { name: 'prometheus', containerPort: 9113 },
              ],
              readinessProbe: { httpGet: { path: '/nginx-ready', port: 'readiness-port' }, periodSeconds: 1 },
              resources: { requests: { cpu: '100m', memory: '128Mi' } },
              securityContext: { allowPrivilegeEscalation: false, runAsUser: 101, runAsNonRoot: true, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } },
              env: [
                { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ],
              args: ['-nginx-configmaps=$(POD_NAMESPACE)/nginx-config', `-ingress-class=${NIC_CLASS}`, '-enable-custom-resources=false', '-report-ingress-status', '-external-service=nginx-ingress'],
            },
          ],
        },
      },
    },
  });
  c({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'nginx-ingress', namespace: ns },
    spec: {
      type: 'NodePort',
      selector: { app: 'nginx-ingress' },
      ports: [
        { name: 'http', port: 80, targetPort: 80, protocol: 'TCP', nodePort: NIC_HTTP_NODEPORT },
        { name: 'https', port: 443, targetPort: 443, protocol: 'TCP', nodePort: NIC_HTTPS_NODEPORT },
      ],
    },
  });
}

// ---------------------------------------------------------------- the controller's view of the store

interface NicData {
  [k: string]: unknown;
  /** the IngressClass it serves */
  cls: string;
  namespace: string;
  externalService: string;
  /** round-robin position per upstream */
  rr: Record<string, number>;
  /** Ingress key → resourceVersion it last configured (or rejected) */
  synced: Record<string, string>;
}

function argValue(argv: string[], name: string): string | undefined {
  for (const a of argv) {
    if (a.startsWith(`-${name}=`)) return a.slice(name.length + 2);
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

export function nicConfigFor(api: Api, cls: string): NicConfig {
  const ic = api.peek('ingressclasses', null, cls) as IngressClass | undefined;
  return buildNicConfig(api.scan('ingresses') as Ingress[], cls, isDefaultClass(ic));
}

function upstreamName(ingressKey: string, host: string, b: Backend): string {
  return `${ingressKey.replace('/', '-')}-${host}-${b.service}-${b.port}`;
}

/** One request to NIC's NGINX: route, proxy, log. */
export function nicServe(world: World, nsId: NsId, proc: Process, req: HttpRequest, client: string, localPort: number): HttpResponse {
  const api = internalApi(world);
  const data = (proc.role as unknown as { data: NicData }).data;
  const head = req.method === 'HEAD';
  const fail = (status: number, detail?: string) => errorPage(world, NIC_NGINX, status, head, detail);
  let res: HttpResponse;
  if (localPort === 443) res = fail(400, 'The plain HTTP request was sent to HTTPS port');
  else {
    const cfg = nicConfigFor(api, data.cls);
    const route = routeRequest(cfg, header(req.headers, 'host') ?? '', req.path);
    if (!route.location) res = fail(404);
    else {
      const b = route.location.backend;
      const eps = serviceEndpoints(api, b) ?? [];
      if (!eps.length) res = fail(502);
      else {
        const name = upstreamName(route.location.ingress, route.server.host, b);
        const i = (data.rr[name] ?? 0) % eps.length;
        data.rr[name] = (i + 1) % eps.length;
        const host = (header(req.headers, 'host') ?? '').replace(/:\d+$/, '');
        const xff = header(req.headers, 'x-forwarded-for');
        const fwd: HttpRequest = {
          method: req.method,
          path: upstreamUri(route.location, req.path),
          version: 'HTTP/1.1',
          headers: [
            ['Host', host],
            ['X-Real-IP', client],
            ['X-Forwarded-For', xff ? `${xff}, ${client}` : client],
            ['X-Forwarded-Host', host],
            ['X-Forwarded-Port', String(localPort)],
            ['X-Forwarded-Proto', 'http'],
            ['Connection', 'close'],
            ...req.headers.filter(([k]) => !['host', 'connection', 'x-forwarded-for', 'x-real-ip'].includes(k.toLowerCase())),
          ],
          body: req.body,
        };
        res = proxyPass(world, nsId, proc, NIC_NGINX, eps[i]!, fwd) ?? fail(502);
      }
    }
  }
  containerLog(api, world.ns(nsId).host, proc.pid, accessLine(world, client, req, res, true));
  return res;
}

const nicService: TcpService = (world, nsId, proc, sock, req) => {
  const r = typeof req.data === 'string' ? parseRequest(req.data) : (req.data as HttpRequest | null);
  if (!r || typeof r !== 'object' || typeof r.method !== 'string') {
    const res = errorPage(world, NIC_NGINX, 400, false);
    return { data: res, len: res.wire.length };
  }
  const res = nicServe(world, nsId, proc, r, req.src, sock.localPort);
  return { data: res, len: res.wire.length };
};

// ---------------------------------------------------------------- status and events

function nicProcess(ctx: ContainerContext): Process | undefined {
  return ctx.world.host(ctx.host).processes.find((p) => p.ns === ctx.nsId && p.role?.kind === 'app' && p.role.app === 'nginx-ingress');
}

/** The addresses NIC reports in Ingress status: external-status-address, else the external Service's LB IPs and externalIPs. */
export function statusAddresses(api: Api, data: NicData): string[] {
  const cm = api.peek('configmaps', data.namespace, 'nginx-config') as { data?: Record<string, string> } | undefined;
  const fixed = cm?.data?.['external-status-address'];
  if (fixed) return [fixed];
  const svc = api.peek('services', data.namespace, data.externalService) as Service | undefined;
  if (!svc) return [];
  const lb = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').filter(Boolean);
  return [...lb, ...(svc.spec?.externalIPs ?? [])];
}

function syncStatus(ctx: ContainerContext): void {
  const proc = nicProcess(ctx);
  if (!proc) return;
  const data = (proc.role as unknown as { data: NicData }).data;
  const api = ctx.api;
  const cfg = nicConfigFor(api, data.cls);
  const addrs = statusAddresses(api, data);
  const want = addrs.map((ip) => ({ ip }));
  for (const v of cfg.verdicts) {
    const [ns, name] = v.key.split('/') as [string, string];
    const ing = api.peek('ingresses', ns, name) as Ingress | undefined;
    if (!ing) continue;
    if (v.ok) {
      const have = ing.status?.loadBalancer?.ingress ?? [];
      if (JSON.stringify(have) !== JSON.stringify(want)) {
        const cur = api.get('ingresses', ns, name) as Ingress;
        cur.status = { loadBalancer: want.length ? { ingress: want } : {} };
        api.updateStatus(cur);
      }
    }
    const rv = `${ing.metadata?.generation ?? ''}/${JSON.stringify(ing.metadata?.annotations ?? {})}`;
    if (data.synced[v.key] === rv) continue;
    data.synced[v.key] = rv;
    const fresh = api.peek('ingresses', ns, name)!;
    if (v.ok) api.recordEvent(fresh, { type: 'Normal', reason: 'AddedOrUpdated', message: `Configuration for ${v.key} was added or updated`, component: 'nginx-ingress-controller' });
    else api.recordEvent(fresh, { type: 'Warning', reason: 'Rejected', message: `${v.key} was rejected: with error: ${v.error}`, component: 'nginx-ingress-controller' });
  }
  for (const k of Object.keys(data.synced)) if (!cfg.verdicts.some((v) => v.key === k)) delete data.synced[k];
}

// ---------------------------------------------------------------- the image

const nicProgram: ImageProgram = {
  start(ctx) {
    const now = ctx.api.now();
    const argv = ctx.argv;
    const cls = argValue(argv, 'ingress-class') ?? 'nginx';
    const ns = ctx.pod.metadata?.namespace ?? NIC_NAMESPACE;
    const ext = argValue(argv, 'external-service') ?? '';
    const cmRef = (argValue(argv, 'nginx-configmaps') ?? '').replace('$(POD_NAMESPACE)', ns);
    const data: NicData = { cls, namespace: ns, externalService: ext, rr: {}, synced: {} };
    const k = (file: string, msg: string) => `${klogTime(now)}       1 ${file}] ${msg}`;
    ctx.log(
      [
        k('main.go:81', `Starting NGINX Ingress Controller Version=${NIC_VERSION} PlusFlag=false`),
        k('main.go:82', `Kubernetes version: ${ctx.api.config.version.replace(/^v/, '')}`),
        k('main.go:233', `Nginx version: ${NIC_NGINX}`),
        ...(cmRef ? [k('main.go:478', `Loaded ConfigMap ${cmRef}`)] : []),
        k('main.go:254', `Ingress class: ${cls}`),
      ].join('\n'),
      'stderr',
    );
    const master = ctx.spawn(['nginx: master process nginx -g daemon off;'], { comm: 'nginx', role: { kind: 'app', app: 'nginx-ingress', data } });
    listenTcp(ctx.world, ctx.nsId, master.pid, '0.0.0.0', 80, 4, 4096);
    listenTcp(ctx.world, ctx.nsId, master.pid, '0.0.0.0', 443, 4, 4096);
    listenTcp(ctx.world, ctx.nsId, master.pid, '0.0.0.0', 8081, 4, 4096);
    ctx.spawn(['nginx: worker process'], { comm: 'nginx', role: { kind: 'daemon' } });
    ctx.spawn(['/nginx-ingress', ...argv.slice(argv[0] === '/nginx-ingress' ? 1 : 0)], { comm: 'nginx-ingress', role: { kind: 'daemon' } });
    syncStatus(ctx);
    return { state: 'running' };
  },
  onClusterChange(ctx) {
    syncStatus(ctx);
  },
  termination: () => 300,
};

/** The controller's image and its NGINX's server (src/k8s/install.ts). */
export function registerNginxIngress(): void {
  registerTcpService('app:nginx-ingress', nicService);
  registerImage({ repository: 'docker.io/nginx/nginx-ingress', defaultTag: NIC_VERSION, size: 96213574, entrypoint: ['/nginx-ingress'], cmd: [], program: nicProgram });
}

export { ingressClassOf };
