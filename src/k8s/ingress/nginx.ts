// NGINX as the data plane of the cluster's proxies (the NGINX Ingress
// Controller, NGINX Gateway Fabric): its built-in error pages, proxy_pass to
// one upstream server from the proxy's pod, the upstream servers of a
// Service port (the ready endpoints of its EndpointSlices: both F5
// controllers proxy to pod IPs, not to the ClusterIP), and the access log
// written to the container's stdout (`kubectl logs`).
import type { World } from '../../sim/world';
import type { NsId, Process } from '../../sim/types';
import { tcpConnect } from '../../sim/packet';
import { buildResponse, httpDate, requestWire, REASONS, type HttpRequest, type HttpResponse } from '../../sim/http';
import type { Api } from '../api/store';
import type { EndpointSlice, Service } from '../api/types';
import { kubeletRuntime } from '../runtime/state';
import { clfTime } from '../runtime/images';

export interface ServicePortRef {
  namespace: string;
  service: string;
  /** the Service port: a number or a port name */
  port: number | string;
}

/** The ready endpoints (ip:port) of a Service port; null when the Service does not exist. */
export function serviceEndpoints(api: Api, b: ServicePortRef): string[] | null {
  const svc = api.peek('services', b.namespace, b.service) as Service | undefined;
  if (!svc) return null;
  const port = (svc.spec?.ports ?? []).find((p) => (typeof b.port === 'number' ? p.port === b.port : p.name === b.port));
  if (!port) return [];
  const out: string[] = [];
  for (const s of api.scan('endpointslices', b.namespace, { labelSelector: `kubernetes.io/service-name=${b.service}` }) as unknown as EndpointSlice[]) {
    const sp = (s.ports ?? []).find((p) => (p.name ?? '') === (port.name ?? ''));
    const num = sp?.port ?? (typeof port.targetPort === 'number' ? port.targetPort : port.port);
    for (const e of s.endpoints ?? []) if (e.conditions?.ready !== false) for (const a of e.addresses.slice(0, 1)) out.push(`${a}:${num}`);
  }
  return out;
}

/** NGINX's built-in page for an error status (`detail`: the 400 variants' second line). */
export function errorPage(world: World, server: string, status: number, head: boolean, detail?: string, extra: [string, string][] = []): HttpResponse {
  const reason = REASONS[status] ?? 'Error';
  const title = detail ? `${status} ${detail}` : `${status} ${reason}`;
  const line = detail ? `<center>${detail}</center>\r\n` : '';
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n${line}<hr><center>${server}</center>\r\n</body>\r\n</html>\r\n`;
  return buildResponse(
    world,
    'HTTP/1.1',
    status,
    [['Server', server], ['Date', httpDate(world.now())], ['Content-Type', 'text/html'], ['Content-Length', String(body.length)], ['Connection', status === 400 ? 'close' : 'keep-alive'], ...extra],
    body,
    head,
  );
}

const HOP = new Set(['server', 'date', 'content-type', 'content-length', 'connection', 'keep-alive', 'transfer-encoding']);

export function header(h: [string, string][], name: string): string | null {
  const n = name.toLowerCase();
  const e = h.find(([k]) => k.toLowerCase() === n);
  return e ? e[1] : null;
}

/**
 * proxy_pass of `req` (already rewritten: path, headers) to one upstream
 * server `ip:port` from the proxy's process; the upstream's answer as NGINX
 * relays it (its Server, Date and hop-by-hop headers replaced). Null when
 * the upstream could not be reached.
 */
export function proxyPass(world: World, nsId: NsId, proc: Process, server: string, addr: string, req: HttpRequest): HttpResponse | null {
  const i = addr.lastIndexOf(':');
  const c = tcpConnect(world, nsId, proc.pid, addr.slice(0, i), Number(addr.slice(i + 1)), 60_000);
  if (c.kind !== 'connected') return null;
  const r = c.request(req, requestWire(req).length, 60_000);
  c.close();
  if (r.kind !== 'response') return null;
  const up = r.data as HttpResponse;
  const headers: [string, string][] = [
    ['Server', server],
    ['Date', httpDate(world.now())],
    ['Content-Type', header(up.headers, 'content-type') ?? 'text/html'],
    ['Content-Length', header(up.headers, 'content-length') ?? String(up.body.length)],
    ['Connection', 'keep-alive'],
    ...up.headers.filter(([k]) => !HOP.has(k.toLowerCase())),
  ];
  return buildResponse(world, 'HTTP/1.1', up.status, headers, up.body, req.method === 'HEAD');
}

/** The access log line: NGINX's `combined` format, NIC's `main` adds "$http_x_forwarded_for". */
export function accessLine(world: World, client: string, req: HttpRequest, res: HttpResponse, withXff: boolean): string {
  const ua = header(req.headers, 'user-agent') ?? '-';
  const ref = header(req.headers, 'referer') ?? '-';
  const bytes = req.method === 'HEAD' ? 0 : res.body.length;
  const base = `${client} - - [${clfTime(world.now())}] "${req.method} ${req.path} ${req.version}" ${res.status} ${bytes} "${ref}" "${ua}"`;
  return withXff ? `${base} "${header(req.headers, 'x-forwarded-for') ?? '-'}"` : base;
}

/** Append a line to the log of the container that runs `pid` on `host` (its stdout, `kubectl logs`). */
export function containerLog(api: Api, host: string, pid: number, text: string): void {
  const rt = kubeletRuntime(api);
  for (const p of Object.values(rt.pods)) {
    if ((rt.nodes[p.node]?.host ?? '') !== host) continue;
    for (const c of p.containers) {
      if (c.state === 'running' && c.pids.includes(pid)) {
        c.log.push({ t: api.now(), s: 'stdout', text });
        if (c.log.length > 5000) c.log.splice(0, c.log.length - 5000);
        return;
      }
    }
  }
}
