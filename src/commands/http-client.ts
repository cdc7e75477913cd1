// The HTTP client side shared by curl and busybox wget: resolve the URL's
// host as getaddrinfo does in the caller's namespace, connect over the
// packet engine, send one request and wait for the response. Each tool
// words the outcome its own way (curl's `(7) Failed to connect`, wget's
// `can't connect to remote host`); this module only says what happened.
import { tcpConnect, type TcpConnectResult } from '../sim/packet';
import { inetAton, resolveHost } from '../sim/resolver';
import { requestWire, type HttpRequest, type HttpResponse } from '../sim/http';
import type { Sys } from './types';

/** The IPv4 address a URL host names (a literal, or getaddrinfo's first IPv4 answer), or null when it does not resolve. */
export function resolveIPv4(sys: Sys, host: string): string | null {
  const lit = inetAton(host);
  if (lit !== null) return lit;
  const r = resolveHost(sys, host, 4);
  if (!r.ok) return null;
  return r.addrs.find((a) => a.family === 4)?.addr ?? null;
}

export type HttpExchange =
  /** connect() failed: refused, unreachable, an errno, or no answer within the connect time limit */
  | { kind: 'connect-failed'; conn: Exclude<TcpConnectResult, { kind: 'connected' }>; startedAt: number }
  /** connected, but no response came (the time limit passed) or the peer reset the connection */
  | { kind: 'no-response'; why: 'timeout' | 'reset'; connectRtt: number; startedAt: number }
  | { kind: 'response'; res: HttpResponse; connectRtt: number; startedAt: number };

export interface ExchangeOptions {
  /** ms connect() may take */
  connectTimeoutMs: number;
  /** ms the response may take, given the time the exchange started (curl's --max-time counts from there) */
  responseTimeoutMs: (startedAt: number) => number;
}

/** One request over a fresh TCP connection from the caller's namespace to ip:port, then close. */
export function httpExchange(sys: Sys, ip: string, port: number, req: HttpRequest, o: ExchangeOptions): HttpExchange {
  const world = sys.world;
  const startedAt = world.now();
  const c = tcpConnect(world, sys.ns, null, ip, port, o.connectTimeoutMs);
  if (c.kind !== 'connected') return { kind: 'connect-failed', conn: c, startedAt };
  const r = c.request(req, requestWire(req).length, o.responseTimeoutMs(startedAt));
  c.close();
  if (r.kind !== 'response') return { kind: 'no-response', why: r.kind, connectRtt: c.rtt, startedAt };
  return { kind: 'response', res: r.data as HttpResponse, connectRtt: c.rtt, startedAt };
}
