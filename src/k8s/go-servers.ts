// The cluster's Go servers as a client meets them over TCP: Go's net/http
// answers. The TLS ones (kube-apiserver :6443, the kubelet :10250,
// kube-controller-manager :10257, kube-scheduler :10259) meet a plain-text
// request as net/http's TLS server does (conn.serve): when the first record
// looks like HTTP ("GET /", "HEAD ", "POST ", "PUT /", "OPTIO") it writes
// `HTTP/1.0 400 Bad Request` and "Client sent an HTTP request to an HTTPS
// server." on the raw connection. TLS itself is not simulated: an https://
// request (HttpRequest.tls) gets no answer. The kubelet's healthz server
// (127.0.0.1:10248, plain HTTP) answers /healthz as the healthz package does.
import { registerTcpService, type TcpService } from '../sim/packet';
import { buildResponse, httpDate, parseRequest, requestWire, type HttpRequest } from '../sim/http';
import type { World } from '../sim/world';

/** The role of a Go server speaking only TLS on its ports (kube-apiserver, kube-controller-manager, kube-scheduler). */
export const GO_HTTPS_ROLE = { kind: 'app', app: 'go-https', data: {} } as const;
/** The kubelet's role: TLS on 10250, plain-HTTP healthz on 10248. */
export const KUBELET_ROLE = { kind: 'app', app: 'kubelet', data: {} } as const;

const PLAIN = 'text/plain; charset=utf-8';

/** A response as Go's net/http writes a handler's: its headers sorted, then Date and Content-Length. */
export function goReply(world: World, status: number, type: string, body: string, head: boolean) {
  const res = buildResponse(world, 'HTTP/1.1', status, [['Content-Type', type], ['X-Content-Type-Options', 'nosniff'], ['Date', httpDate(world.now())], ['Content-Length', String(body.length)]], body, head);
  return { data: res, len: res.wire.length };
}

/** The HTTP request a TCP service was given (its text parsed, or the request itself), null if it is none */
export function request(data: unknown): HttpRequest | null {
  const r = typeof data === 'string' ? parseRequest(data) : (data as HttpRequest | null);
  return r && typeof r === 'object' && typeof r.method === 'string' ? r : null;
}

/** net/http's tlsRecordHeaderLooksLikeHTTP, on the first five bytes the client sent. */
function looksLikeHttp(data: unknown, r: HttpRequest | null): boolean {
  const first = typeof data === 'string' ? data.slice(0, 5) : r ? requestWire(r).slice(0, 5) : '';
  return ['GET /', 'HEAD ', 'POST ', 'PUT /', 'OPTIO'].includes(first);
}

const tlsPort: TcpService = (world, _nsId, _proc, _sock, req) => {
  const r = request(req.data);
  if (r?.tls || !looksLikeHttp(req.data, r)) return null; // a handshake we do not simulate, or one that fails: no answer
  const res = buildResponse(world, 'HTTP/1.0', 400, [], 'Client sent an HTTP request to an HTTPS server.\n', false);
  return { data: res, len: res.wire.length };
};

/** The kubelet's healthz server: the checks ping and syncloop (healthz.InstallHandler). */
const kubelet: TcpService = (world, nsId, proc, sock, req) => {
  if (sock.localPort !== 10248) return tlsPort(world, nsId, proc, sock, req);
  const r = request(req.data);
  if (!r) return null;
  const head = r.method === 'HEAD';
  const [path, query = ''] = r.path.split('?');
  const verbose = query.split('&').some((q) => q === 'verbose' || q.startsWith('verbose='));
  if (path === '/healthz' || path === '/healthz/') return goReply(world, 200, PLAIN, verbose ? '[+]ping ok\n[+]syncloop ok\nhealthz check passed\n' : 'ok', head);
  if (path === '/healthz/ping' || path === '/healthz/syncloop') return goReply(world, 200, PLAIN, 'ok', head);
  return goReply(world, 404, PLAIN, '404 page not found\n', head);
};

/** Register the services (idempotent; src/k8s/install.ts). */
export function registerGoServers(): void {
  registerTcpService(`app:${GO_HTTPS_ROLE.app}`, tlsPort);
  registerTcpService(`app:${KUBELET_ROLE.app}`, kubelet);
}
