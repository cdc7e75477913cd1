// CoreDNS's forward plugin (v1.12: plugin/forward/forward.go, plugin/pkg/proxy) as the simulated
// CoreDNS runs it, the forwarding function a server's transport gives it, and the hook through which a
// DNS server process logs (the errors plugin's lines; src/k8s puts them in the container's log).
import type { World } from './world';
import type { Process } from './types';
import type { DnsMessage } from './dns';

/** How a forwarded query failed: no reply within the timeout, or an ICMP port unreachable; from which local address and port. */
export interface ForwardFailure {
  kind: 'timeout' | 'refused' | 'error';
  local: string;
  sport: number;
  /** for 'error': sendto's errno text (`network is unreachable`) */
  text?: string;
}

/** Send `query` to `server`:53 from the forwarding server's namespace; null when no reply came (`failed` says why). */
export type ForwardFn = (server: string, query: DnsMessage, o?: { timeoutMs?: number; failed?: (f: ForwardFailure) => void }) => DnsMessage | null;

/** A DNS server process's log line (CoreDNS's errors plugin); src/k8s puts it in the container's log. */
export type DnsServerLog = (world: World, server: Process, line: string) => void;
let dnsServerLog: DnsServerLog | null = null;
export function setDnsServerLog(fn: DnsServerLog | null): void {
  dnsServerLog = fn;
}

/** The forward plugin's read timeout for one attempt (pkg/proxy: readTimeout 2 s) and its deadline for a query (forward.go: defaultTimeout 5 s). */
export const FORWARD_READ_TIMEOUT_MS = 2000;
export const FORWARD_DEADLINE_MS = 5000;

const hostPort = (addr: string, port: number) => (addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`);

/** Go's net.OpError text for a failed attempt (`read udp 10.244.0.2:41234->192.168.121.1:53: i/o timeout`). */
function forwardErrorText(f: ForwardFailure, target: string): string {
  if (f.kind === 'error') return `dial udp ${hostPort(target, 53)}: connect: ${f.text ?? 'network is unreachable'}`;
  return `read udp ${hostPort(f.local, f.sport)}->${hostPort(target, 53)}: ${f.kind === 'timeout' ? 'i/o timeout' : 'read: connection refused'}`;
}

/**
 * CoreDNS 1.12's forward plugin (forward.go ServeDNS, pkg/proxy Connect) for one query: the targets in
 * random order (the default policy), each attempt a new UDP socket with a 2 s read timeout, attempts
 * repeated while the 5 s deadline has not passed. Any reply the upstream sends (REFUSED, NXDOMAIN...) is
 * the answer, as it is (flags, sections). Non-fatal ICMP errors (host or network unreachable) do not reach
 * a connected UDP socket: they end as timeouts. A fast failure (port unreachable) is retried at once until
 * the deadline (coredns#7723, capped only in 1.14): the last attempt's error is then the same.
 */
export function corednsForward(world: World, targets: string[], q: DnsMessage, forward: ForwardFn): { reply: DnsMessage } | { error: string } {
  const list = [...targets];
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(world.random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  const deadline = world.now() + FORWARD_DEADLINE_MS;
  let error = 'no healthy proxies';
  for (let i = 0; world.now() < deadline; i++) {
    const target = list[i % list.length]!;
    let fail: ForwardFailure | null = null;
    const before = world.now();
    const up = forward(target, { ...q, question: q.question.map((x) => ({ ...x })) }, { timeoutMs: FORWARD_READ_TIMEOUT_MS, failed: (f) => (fail = f) });
    if (up) return { reply: up };
    const f = fail as ForwardFailure | null;
    error = f ? forwardErrorText(f, target) : `read udp ${hostPort('0.0.0.0', 0)}->${hostPort(target, 53)}: i/o timeout`;
    // a transport that reports nothing, or an attempt that took no time: the same failure until the deadline
    if (!f || f.kind !== 'timeout' || world.now() <= before) {
      if (world.now() < deadline) world.advance(deadline - world.now());
    }
  }
  return { error };
}


/** Write a line to a DNS server process's log, when a log is attached (src/k8s: the coredns container's). */
export function dnsServerLogLine(world: World, server: Process, line: string): void {
  dnsServerLog?.(world, server, line);
}
