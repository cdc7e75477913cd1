// systemd-resolved (systemd 255, Ubuntu 24.04) on a node: the DNS stub listener on 127.0.0.53 (bound to
// lo) and the DNS proxy stub on 127.0.0.54, answering from what resolved synthesizes itself (localhost,
// the local hostname, _gateway, _localdnsstub, _localdnsproxy, /etc/hosts) and otherwise from the
// upstream server of /run/systemd/resolve/resolv.conf. Facts read in systemd's sources
// (src/resolve/resolved-dns-stub.c, resolved-dns-query.c, resolved-dns-synthesize.c):
// - every stub reply has ra set, rd copied, an OPT record only when the query had one, advertising
//   65494 (the loopback MTU less Ethernet, IP and UDP headers); the stub adds no EDE option (v255);
// - rd off, AXFR/IXFR: REFUSED; an EDNS version other than 0: BADVERS;
// - /etc/hosts is looked up first, then the synthesized names; their answers are aa (synthetic) with
//   TTL 0, and ad when the query had ad or do (they count as authenticated);
// - an upstream NOERROR/NXDOMAIN reply is rebuilt (aa off, ad off); any other upstream rcode is passed
//   on with empty sections; an upstream that does not answer: the stub sends nothing (the client times
//   out, "propagate a timeout as a no packet"); a single-label name that is neither in /etc/hosts nor
//   synthesized has no scope (unicast DNS does not take single labels, LLMNR is off): REFUSED;
// - on 127.0.0.54 (and for a query with DO) the upstream's reply is passed on as it is ("bypass"):
//   id and the advertised size patched, ad cleared; single labels go upstream too.
import type { World } from '../../sim/world';
import type { HostId, NsId, Process } from '../../sim/types';
import { registerDnsFlavour, makeQuery, lc, addrOfReverse, stripDot, type DnsMessage, type DnsRR } from '../../sim/dns';
import type { ForwardFn } from '../../sim/dns-forward';
import { messageSize } from '../../sim/dns-wire';
import { parseHostsFile } from '../../sim/resolver';
import { readHostFile } from '../../sim/files';
import { spawnProcess } from '../../sim/process';
import { bindUdp, listenTcp } from '../../sim/sockets';

export const RESOLVED_FLAVOUR = 'systemd-resolved';
/** ADVERTISE_DATAGRAM_SIZE_MAX: 65536 - 14 - 20 - 8 */
export const STUB_UDP_SIZE = 65494;
export const STUB_ADDR = '127.0.0.53';
export const PROXY_ADDR = '127.0.0.54';
/** The time resolved waits for its upstream before it gives up on one attempt (no reply is sent then). */
const UPSTREAM_TIMEOUT_MS = 5000;

/** Start systemd-resolved on a host: the two stub listeners (UDP and TCP), upstreams from /run/systemd/resolve/resolv.conf. */
export function startResolved(world: World, hostId: HostId, nsId?: NsId): Process {
  const host = world.host(hostId);
  const ns = nsId ?? host.rootNs;
  const rc = readHostFile(host, '/run/systemd/resolve/resolv.conf') ?? '';
  const upstreams = [...rc.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]!);
  const p = spawnProcess(world, hostId, ns, ['/usr/lib/systemd/systemd-resolved'], {
    comm: 'systemd-resolve',
    role: { kind: 'dns', config: { localDomains: [], records: [], forwarders: upstreams, readHosts: true, flavour: RESOLVED_FLAVOUR, listen: [STUB_ADDR, PROXY_ADDR], port: 53, localTtl: 0 } },
  });
  // the main stub is bound to lo (SO_BINDTODEVICE), the proxy stub is not
  for (const addr of [STUB_ADDR, PROXY_ADDR]) {
    const u = bindUdp(world, ns, p.pid, addr, 53, 4);
    const t = listenTcp(world, ns, p.pid, addr, 53, 4, 4096);
    if (addr === STUB_ADDR) u.boundDev = t.boundDev = 'lo';
  }
  return p;
}

function reply(q: DnsMessage, rcode: number): DnsMessage {
  return { id: q.id, opcode: 0, rcode, qr: true, aa: false, tc: false, rd: q.rd, ra: true, ad: false, cd: q.cd, question: q.question.map((x) => ({ ...x })), answer: [], authority: [], additional: [], opt: null };
}

function finish(q: DnsMessage, r: DnsMessage): DnsMessage {
  r.opt = q.opt ? { udp: STUB_UDP_SIZE, version: 0, do: false, ede: [], cookie: null, nsid: null } : null;
  // without EDNS the rcode is clamped to 4 bits
  if (!q.opt && r.rcode > 15) r.rcode = 2;
  r.size = messageSize(r, true);
  return r;
}

/** The host's addresses resolved synthesizes for its hostname: global scope, IPv4 first, by interface index. */
function localAddresses(world: World, server: Process): string[] {
  const ns = world.ns(server.ns);
  const lo = new Set(ns.links.filter((l) => l.name === 'lo').map((l) => l.ifindex));
  return ns.addrs
    .filter((a) => a.scope === 'global' && !lo.has(a.ifindex))
    .sort((a, b) => a.family - b.family || a.ifindex - b.ifindex || a.seq - b.seq)
    .map((a) => a.local);
}

function gateways(world: World, server: Process): string[] {
  const ns = world.ns(server.ns);
  return ns.routes.filter((r) => r.table === 254 && r.dstLen === 0 && r.gateway).map((r) => r.gateway!);
}

/** /etc/hosts, then resolved-dns-synthesize.c: records for the question, or null when resolved does not own the name. */
export function synthesize(world: World, server: Process, name: string, type: string): { rrs: DnsRR[]; nxdomain: boolean } | null {
  const host = world.host(world.ns(server.ns).host);
  const n = lc(stripDot(name));
  const out: DnsRR[] = [];
  const add = (t: string, data: string) => {
    if (type === t || type === 'ANY') out.push({ name, type: t, cls: 'IN', ttl: 0, data });
  };
  const addrRR = (a: string) => add(a.includes(':') ? 'AAAA' : 'A', a);
  const isLocalhost = n === 'localhost' || n.endsWith('.localhost') || n === 'localhost.localdomain' || n.endsWith('.localhost.localdomain');
  // /etc/hosts (resolved skips the localhost names there: it synthesizes them)
  if (!isLocalhost) {
    const hosts = parseHostsFile(readHostFile(host, '/etc/hosts'));
    const byName = hosts.filter((e) => e.names.some((x) => lc(x) === n));
    if (byName.length) {
      for (const e of byName) addrRR(e.addr);
      return { rrs: out, nxdomain: false };
    }
    const rev = addrOfReverse(n);
    if (rev) {
      const hit = hosts.filter((e) => e.addr === rev && e.names.length);
      if (hit.length) {
        for (const e of hit) for (const x of e.names) add('PTR', `${x}.`);
        return { rrs: out, nxdomain: false };
      }
    }
  }
  if (isLocalhost) {
    add('A', '127.0.0.1');
    add('AAAA', '::1');
    return { rrs: out, nxdomain: false };
  }
  if (n === lc(host.hostname) || n === '_outbound') {
    const addrs = localAddresses(world, server);
    for (const a of n === '_outbound' ? addrs.slice(0, 1) : addrs) addrRR(a);
    return { rrs: out, nxdomain: false };
  }
  if (n === '_gateway') {
    const gw = gateways(world, server);
    if (!gw.length) return { rrs: [], nxdomain: true };
    for (const a of gw) addrRR(a);
    return { rrs: out, nxdomain: false };
  }
  if (n === '_localdnsstub' || n === '_localdnsproxy') {
    add('A', n === '_localdnsstub' ? STUB_ADDR : PROXY_ADDR);
    return { rrs: out, nxdomain: false };
  }
  const rev = addrOfReverse(n);
  if (rev) {
    const ptr = rev === '127.0.0.1' || rev === '::1' ? 'localhost' : rev === STUB_ADDR ? '_localdnsstub' : rev === PROXY_ADDR ? '_localdnsproxy' : localAddresses(world, server).includes(rev) ? lc(host.hostname) : gateways(world, server).includes(rev) ? '_gateway' : null;
    if (ptr) {
      add('PTR', `${ptr}.`);
      return { rrs: out, nxdomain: false };
    }
  }
  return null;
}

/** The stub's answer (resolved-dns-stub.c dns_stub_process_query / dns_stub_query_complete). */
export function answerResolved(world: World, server: Process, q: DnsMessage, forward: ForwardFn | null, dst: string | null): DnsMessage | null {
  const cfg = server.role?.kind === 'dns' ? server.role.config : null;
  if (!cfg) return null;
  // dns_packet_validate_query: one question, opcode QUERY, else the packet is ignored
  if (q.opcode !== 0 || q.question.length !== 1) return null;
  if (q.opt && q.opt.version !== 0) return finish(q, reply(q, 16));
  const question = q.question[0]!;
  if (question.type === 'AXFR' || question.type === 'IXFR' || !q.rd) return finish(q, reply(q, 5));
  const proxy = dst === PROXY_ADDR;
  const bypass = proxy || q.opt?.do === true;
  if (question.cls === 'IN' || question.cls === 'ANY') {
    const s = synthesize(world, server, question.name, question.type);
    if (s) {
      const r = reply(q, s.nxdomain ? 3 : 0);
      r.aa = true;
      r.answer = s.rrs;
      r.ad = q.ad || q.opt?.do === true;
      return finish(q, r);
    }
  }
  const plain = !stripDot(question.name).includes('.') && stripDot(question.name) !== '';
  if (plain && !bypass) return finish(q, reply(q, 5));
  if (!forward || cfg.forwarders.length === 0) return finish(q, reply(q, 5));
  const up = makeQuery(Math.floor(world.random() * 65536), question.name, question.type, { cls: question.cls, rd: true, cd: q.cd, edns: { udp: 1232, do: q.opt?.do ?? false } });
  let got: DnsMessage | null = null;
  for (const s of cfg.forwarders) {
    got = forward(s, up, { timeoutMs: UPSTREAM_TIMEOUT_MS });
    if (got) break;
  }
  if (!got) return null;
  if (bypass) {
    const r: DnsMessage = { ...got, id: q.id, ad: false, question: q.question.map((x) => ({ ...x })), opt: got.opt && q.opt ? { ...got.opt, udp: STUB_UDP_SIZE } : null };
    r.size = messageSize(r, true);
    return r;
  }
  if (got.rcode !== 0 && got.rcode !== 3) return finish(q, reply(q, got.rcode));
  const r = reply(q, got.rcode);
  r.answer = got.answer.map((x) => ({ ...x, name: lc(x.name) === lc(question.name) ? question.name : x.name }));
  r.authority = got.authority.map((x) => ({ ...x }));
  r.additional = got.additional.map((x) => ({ ...x }));
  return finish(q, r);
}

registerDnsFlavour(RESOLVED_FLAVOUR, answerResolved);
