// Simulated HTTP servers: processes with role {kind:'http'} holding a TCP
// listener. A 'static' server answers every GET with its body; a 'proxy'
// (NGINX as a reverse proxy) sends each request on to its upstreams in
// turn (round robin, over the packet engine from its own namespace) and
// relays the answer, with a 502 from itself when the upstream cannot be
// reached. Requests and responses are plain data; `wire` holds the bytes
// as they would travel (what nc prints).
import { tcpConnect, type TcpService } from './packet';
import { listenTcp } from './sockets';
import { spawnProcess } from './process';
import type { HostId, HttpServerConfig, NsId, Process } from './types';
import type { World } from './world';

export interface HttpRequest {
  method: string;
  path: string;
  version: string;
  headers: [string, string][];
  body: string;
  /** sent inside TLS (an https:// URL); TLS is not simulated, a server that speaks only TLS answers such a request or not */
  tls?: boolean;
}

export interface HttpResponse {
  version: string;
  status: number;
  reason: string;
  headers: [string, string][];
  body: string;
  /** the response exactly as sent (status line, headers, CRLFs, body) */
  wire: string;
}

export const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Time-out',
};

/** Wall-clock time of simulated time 0, UTC (the same epoch iptables-save dates use). */
export const HTTP_EPOCH_MS = Date.UTC(2026, 10, 26, 15, 0, 0);

/** An RFC 7231 date ("Thu, 26 Nov 2026 15:03:44 GMT") of a simulated time. */
export function httpDate(simMs: number): string {
  return new Date(HTTP_EPOCH_MS + Math.floor(simMs)).toUTCString();
}

export function requestWire(r: HttpRequest): string {
  let s = `${r.method} ${r.path} ${r.version}\r\n`;
  for (const [k, v] of r.headers) s += `${k}: ${v}\r\n`;
  return `${s}\r\n${r.body}`;
}

/** Parse request text (from nc, or anything that sent raw bytes); null if it is not HTTP. */
export function parseRequest(text: string): HttpRequest | null {
  const head = text.split(/\r?\n\r?\n/)[0] ?? '';
  const lines = head.split(/\r?\n/);
  const m = /^([A-Z]+) (\S+) (HTTP\/\d\.\d)$/.exec(lines[0] ?? '');
  if (!m) return null;
  const headers: [string, string][] = [];
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers.push([l.slice(0, i), l.slice(i + 1).trim()]);
  }
  const rest = text.slice(text.indexOf(head) + head.length).replace(/^\r?\n\r?\n/, '');
  return { method: m[1]!, path: m[2]!, version: m[3]!, headers, body: rest };
}

function header(h: [string, string][], name: string): string | null {
  const e = h.find(([k]) => k.toLowerCase() === name.toLowerCase());
  return e ? e[1] : null;
}

function serverHeader(cfg: HttpServerConfig, proc: Process): string {
  if (cfg.serverName) return cfg.serverName;
  return proc.comm === 'python3' ? 'SimpleHTTP/0.6 Python/3.11.2' : proc.comm === 'nginx' ? 'nginx/1.22.1' : proc.comm;
}

export function buildResponse(world: World, version: string, status: number, headers: [string, string][], body: string, head: boolean): HttpResponse {
  const reason = REASONS[status] ?? 'Unknown';
  let wire = `${version} ${status} ${reason}\r\n`;
  for (const [k, v] of headers) wire += `${k}: ${v}\r\n`;
  wire += '\r\n';
  if (!head) wire += body;
  void world;
  return { version, status, reason, headers, body: head ? '' : body, wire };
}

function nginxError(world: World, status: number, server: string, head: boolean): HttpResponse {
  const reason = REASONS[status] ?? 'Error';
  const body = `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>${server}</center>\r\n</body>\r\n</html>\r\n`;
  return buildResponse(
    world,
    'HTTP/1.1',
    status,
    [
      ['Server', server],
      ['Date', httpDate(world.now())],
      ['Content-Type', 'text/html'],
      ['Content-Length', String(body.length)],
      ['Connection', 'keep-alive'],
    ],
    body,
    head,
  );
}

/** What the server process answers to one request. */
export function serveHttp(world: World, nsId: NsId, proc: Process, req: HttpRequest): HttpResponse {
  const cfg = proc.role && proc.role.kind === 'http' ? proc.role.config : null;
  const head = req.method === 'HEAD';
  if (!cfg) return nginxError(world, 500, proc.comm, head);
  const server = serverHeader(cfg, proc);
  if (cfg.mode === 'proxy') {
    if (!cfg.upstreams.length) return nginxError(world, 502, server, head);
    const up = cfg.upstreams[cfg.nextUpstream % cfg.upstreams.length]!;
    cfg.nextUpstream = (cfg.nextUpstream + 1) % cfg.upstreams.length;
    const [host, portText] = up.split(':');
    const fwd: HttpRequest = {
      method: req.method,
      path: req.path,
      version: 'HTTP/1.0',
      headers: [
        ['Host', up],
        ['Connection', 'close'],
        ...req.headers.filter(([k]) => !['host', 'connection'].includes(k.toLowerCase())),
      ],
      body: req.body,
    };
    const c = tcpConnect(world, nsId, proc.pid, host!, Number(portText ?? '80'), 60_000);
    if (c.kind !== 'connected') return nginxError(world, c.kind === 'timeout' ? 504 : 502, server, head);
    const r = c.request(fwd, requestWire(fwd).length, 60_000);
    c.close();
    if (r.kind !== 'response') return nginxError(world, 502, server, head);
    const up_ = r.data as HttpResponse;
    const body = up_.body;
    const type = header(up_.headers, 'Content-Type') ?? 'text/html';
    return buildResponse(
      world,
      'HTTP/1.1',
      up_.status,
      [
        ['Server', server],
        ['Date', httpDate(world.now())],
        ['Content-Type', type],
        ['Content-Length', header(up_.headers, 'Content-Length') ?? String(body.length)],
        ['Connection', 'keep-alive'],
      ],
      body,
      head,
    );
  }
  const status = cfg.status || 200;
  const body = cfg.body;
  const date = httpDate(world.now());
  if (proc.comm === 'python3') {
    return buildResponse(
      world,
      'HTTP/1.0',
      status,
      [
        ['Server', server],
        ['Date', date],
        ['Content-type', cfg.headers['Content-Type'] ?? 'text/html'],
        ['Content-Length', String(body.length)],
        ...Object.entries(cfg.headers).filter(([k]) => k !== 'Content-Type'),
      ],
      body,
      head,
    );
  }
  return buildResponse(
    world,
    'HTTP/1.1',
    status,
    [
      ['Server', server],
      ['Date', date],
      ['Content-Type', cfg.headers['Content-Type'] ?? 'text/html'],
      ['Content-Length', String(body.length)],
      ['Connection', 'keep-alive'],
      ...Object.entries(cfg.headers).filter(([k]) => k !== 'Content-Type'),
    ],
    body,
    head,
  );
}

/** The TCP service of `http` server processes (wired in boot.ts): one request, one response. */
export const httpService: TcpService = (world, nsId, proc, _sock, req) => {
  const r = typeof req.data === 'string' ? parseRequest(req.data) : (req.data as HttpRequest | null);
  if (!r || typeof r !== 'object' || typeof r.method !== 'string') {
    const res = buildResponse(world, 'HTTP/1.1', 400, [['Server', 'nginx/1.22.1'], ['Content-Length', '0'], ['Connection', 'close']], '', false);
    return { data: res, len: res.wire.length };
  }
  const res = serveHttp(world, nsId, proc, r);
  return { data: res, len: res.wire.length };
};

export interface HttpdOptions {
  addr: string;
  port: number;
  name: string;
  body?: string;
  upstreams?: string[];
  status?: number;
  serverName?: string;
}

/** Start an HTTP server process (what `@httpd` does): a listener owned by a process with role http. */
export function startHttpServer(world: World, hostId: HostId, nsId: NsId, o: HttpdOptions): Process {
  const body = o.body === undefined ? '' : o.body.endsWith('\n') ? o.body : `${o.body}\n`;
  const config: HttpServerConfig = {
    mode: o.upstreams && o.upstreams.length ? 'proxy' : 'static',
    body,
    status: o.status ?? 200,
    headers: {},
    upstreams: o.upstreams ?? [],
    nextUpstream: 0,
    serverName: o.serverName ?? '',
  };
  const argv = o.name === 'nginx' ? ['nginx: master process /usr/sbin/nginx -g daemon on; master_process on;'] : o.name === 'python3' ? ['python3', '-m', 'http.server', String(o.port)] : [o.name];
  const proc = spawnProcess(world, hostId, nsId, argv, { comm: o.name, role: { kind: 'http', config } });
  listenTcp(world, nsId, proc.pid, o.addr, o.port, o.addr.includes(':') ? 46 : 4, 511);
  return proc;
}

/** `@httpd [-n NETNS] ADDR:PORT [--name NAME] [--body TEXT | --proxy UP1,UP2] [--status N] [--server HEADER]` */
export function parseHttpdArgs(args: string[]): { netns: string | null; o: HttpdOptions } {
  let netns: string | null = null;
  let listen: string | null = null;
  const o: HttpdOptions = { addr: '0.0.0.0', port: 80, name: 'nginx' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-n') netns = args[++i] ?? null;
    else if (a === '--name') o.name = args[++i] ?? o.name;
    else if (a === '--body') o.body = args[++i] ?? '';
    else if (a === '--proxy') o.upstreams = (args[++i] ?? '').split(',').filter(Boolean);
    else if (a === '--status') o.status = Number(args[++i] ?? '200');
    else if (a === '--server') o.serverName = args[++i] ?? '';
    else listen = a;
  }
  if (listen) {
    const m = /^(.*):(\d+)$/.exec(listen);
    if (m) {
      o.addr = m[1]!.replace(/^\[|\]$/g, '') || '0.0.0.0';
      o.port = Number(m[2]);
    }
  }
  return { netns, o };
}
