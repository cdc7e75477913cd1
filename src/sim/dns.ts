// DNS in the simulated world: the message model (plain data, what travels
// as the payload of a UDP datagram to port 53), authoritative servers as
// processes (Process.role = { kind: 'dns', config }) and the server side's
// answer logic. dnsmasq's command line is the tool's business
// (src/commands/dnsmasq-args.ts): the kernel takes a typed DnsServerConfig.
//
// Packet engine hook: when a UDP datagram reaches a socket bound by a DNS
// server process, call `deliverDnsUdp(world, nsId, pkt, send?)`; it returns
// the reply payload (or null: the server stays silent). `send` lets a
// forwarding server (dnsmasq --server=...) query its upstream.
//
// Names inside messages have no trailing dot ("" is the root) and keep the
// case they were given; comparisons are case-insensitive.
import { table } from './own';
import ipaddr from 'ipaddr.js';
import type { World } from './world';
import type { CoreDnsBlock, DnsRecord, DnsServerConfig, HostId, NsId, Process } from './types';
import { KernelError, STRERROR } from './errors';
import { killProcess, spawnProcess } from './process';
import { bindUdp, isLocalAddress, listenTcp } from './sockets';
import { cluster, endpointsOf } from './k8s';
import { readHostFile } from './files';
import { canonicalIp, isInet4 as isV4, isIPv6 as isV6 } from './ip';

// ------------------------------------------------------------------ types and classes

export const RR_TYPES: Record<string, number> = table({
  A: 1, NS: 2, MD: 3, MF: 4, CNAME: 5, SOA: 6, MB: 7, MG: 8, MR: 9, NULL: 10, WKS: 11, PTR: 12, HINFO: 13, MINFO: 14,
  MX: 15, TXT: 16, RP: 17, AFSDB: 18, X25: 19, ISDN: 20, RT: 21, NSAP: 22, 'NSAP-PTR': 23, SIG: 24, KEY: 25, PX: 26,
  GPOS: 27, AAAA: 28, LOC: 29, NXT: 30, EID: 31, NIMLOC: 32, SRV: 33, ATMA: 34, NAPTR: 35, KX: 36, CERT: 37, A6: 38,
  DNAME: 39, SINK: 40, OPT: 41, APL: 42, DS: 43, SSHFP: 44, IPSECKEY: 45, RRSIG: 46, NSEC: 47, DNSKEY: 48, DHCID: 49,
  NSEC3: 50, NSEC3PARAM: 51, TLSA: 52, SMIMEA: 53, HIP: 55, NINFO: 56, RKEY: 57, TALINK: 58, CDS: 59, CDNSKEY: 60,
  OPENPGPKEY: 61, CSYNC: 62, ZONEMD: 63, SVCB: 64, HTTPS: 65, SPF: 99, UINFO: 100, UID: 101, GID: 102, UNSPEC: 103,
  NID: 104, L32: 105, L64: 106, LP: 107, EUI48: 108, EUI64: 109, TKEY: 249, TSIG: 250, IXFR: 251, AXFR: 252,
  MAILB: 253, MAILA: 254, ANY: 255, URI: 256, CAA: 257, AVC: 258, DOA: 259, AMTRELAY: 260, RESINFO: 261, WALLET: 262,
  TA: 32768, DLV: 32769,
});
const TYPE_BY_CODE: Record<number, string> = Object.fromEntries(Object.entries(RR_TYPES).map(([k, v]) => [v, k]));

/** A type mnemonic (case-insensitive, or TYPEnnn) to its canonical name, or null. */
export function parseType(text: string): string | null {
  const u = text.toUpperCase();
  if (RR_TYPES[u] !== undefined) return u;
  const m = /^TYPE(\d{1,5})$/.exec(u);
  if (m && Number(m[1]) <= 65535) return TYPE_BY_CODE[Number(m[1])] ?? `TYPE${Number(m[1])}`;
  return null;
}

export function typeCode(type: string): number {
  return RR_TYPES[type] ?? Number(/^TYPE(\d+)$/.exec(type)?.[1] ?? 0);
}

export const CLASSES: Record<string, number> = { IN: 1, CH: 3, CHAOS: 3, HS: 4, HESIOD: 4, NONE: 254, ANY: 255 };

export function parseClass(text: string): string | null {
  const u = text.toUpperCase();
  if (u === 'CHAOS') return 'CH';
  if (u === 'HESIOD') return 'HS';
  if (CLASSES[u] !== undefined) return u;
  const m = /^CLASS(\d{1,5})$/.exec(u);
  if (m && Number(m[1]) <= 65535) return `CLASS${Number(m[1])}`;
  return null;
}

export const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE', 'RESERVED11', 'RESERVED12', 'RESERVED13', 'RESERVED14', 'RESERVED15', 'BADVERS'];
export const NOERROR = 0;
export const SERVFAIL = 2;
export const NXDOMAIN = 3;
export const NOTIMP = 4;
export const REFUSED = 5;

/** Extended DNS error info codes (RFC 8914) and their texts as BIND prints them. */
export const EDE_TEXT: Record<number, string> = {
  0: 'Other', 1: 'Unsupported DNSKEY Algorithm', 2: 'Unsupported DS Digest Type', 3: 'Stale Answer', 4: 'Forged Answer',
  5: 'DNSSEC Indeterminate', 6: 'DNSSEC Bogus', 7: 'Signature Expired', 8: 'Signature Not Yet Valid', 9: 'DNSKEY Missing',
  10: 'RRSIGs Missing', 11: 'No Zone Key Bit Set', 12: 'NSEC Missing', 13: 'Cached Error', 14: 'Not Ready', 15: 'Blocked',
  16: 'Censored', 17: 'Filtered', 18: 'Prohibited', 19: 'Stale NXDOMAIN Answer', 20: 'Not Authoritative', 21: 'Not Supported',
  22: 'No Reachable Authority', 23: 'Network Error', 24: 'Invalid Data',
};

// ------------------------------------------------------------------ messages

export interface DnsQuestion {
  name: string;
  type: string;
  cls: string;
}

export interface DnsRR {
  name: string;
  type: string;
  cls: string;
  ttl: number;
  /** rdata in presentation format, as dig prints it */
  data: string;
}

export interface DnsEde {
  code: number;
  text: string | null;
}

export interface DnsOpt {
  udp: number;
  version: number;
  do: boolean;
  ede: DnsEde[];
  /** client (16 hex) or client+server cookie, when present */
  cookie: string | null;
  nsid: string | null;
}

export interface DnsMessage {
  id: number;
  opcode: number;
  rcode: number;
  qr: boolean;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
  question: DnsQuestion[];
  answer: DnsRR[];
  authority: DnsRR[];
  additional: DnsRR[];
  opt: DnsOpt | null;
  /** bytes of the message on the wire (as the sender encoded it) */
  size?: number;
}

export interface QueryOptions {
  rd?: boolean;
  ad?: boolean;
  cd?: boolean;
  cls?: string;
  /** EDNS: udp buffer size, or null for none */
  edns?: { udp: number; do?: boolean; cookie?: string | null; nsid?: boolean } | null;
}

export function makeQuery(id: number, name: string, type: string, o: QueryOptions = {}): DnsMessage {
  const m: DnsMessage = {
    id,
    opcode: 0,
    rcode: 0,
    qr: false,
    aa: false,
    tc: false,
    rd: o.rd ?? true,
    ra: false,
    ad: o.ad ?? false,
    cd: o.cd ?? false,
    question: [{ name: stripDot(name), type, cls: o.cls ?? 'IN' }],
    answer: [],
    authority: [],
    additional: [],
    opt: o.edns === null || o.edns === undefined ? null : { udp: o.edns.udp, version: 0, do: o.edns.do ?? false, ede: [], cookie: o.edns.cookie ?? null, nsid: o.edns.nsid ? '' : null },
  };
  m.size = messageSize(m, true);
  return m;
}

export { inDomain, lc, messageSize, parseTxtStrings, quoteTxt, sameName, stripDot } from './dns-wire';
import { inDomain, lc, messageSize, stripDot } from './dns-wire';

// ------------------------------------------------------------------ presentation helpers

/** Canonical IPv6 text as inet_ntop / BIND print it. */
export function canonV6(addr: string): string {
  const [bare, zone] = addr.split('%', 2) as [string, string | undefined];
  const c = isV6(bare) ? canonicalIp(bare) : null;
  return c === null ? addr : zone === undefined ? c : `${c}%${zone}`;
}

export { isV4, isV6 };

/** "192.168.15.20" -> "20.15.168.192.in-addr.arpa"; IPv6 -> nibbles under ip6.arpa. */
export function reverseName(addr: string): string {
  if (isV4(addr)) return addr.split('.').reverse().join('.') + '.in-addr.arpa';
  const bytes = ipaddr.IPv6.parse(addr).toByteArray();
  const nibbles: string[] = [];
  for (const b of bytes) nibbles.push((b >> 4).toString(16), (b & 15).toString(16));
  return nibbles.reverse().join('.') + '.ip6.arpa';
}

/** The address a full reverse name stands for, or null. */
export function addrOfReverse(name: string): string | null {
  const n = lc(name);
  let m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa$/.exec(n);
  if (m) {
    const a = [m[4], m[3], m[2], m[1]].join('.');
    return isV4(a) ? a : null;
  }
  m = /^((?:[0-9a-f]\.){32})ip6\.arpa$/.exec(n);
  if (m) {
    const nib = m[1]!.split('.').filter(Boolean).reverse().join('');
    const groups = nib.match(/.{4}/g)!.join(':');
    return canonV6(groups);
  }
  return null;
}

// ------------------------------------------------------------------ answering

export { setDnsServerLog, FORWARD_DEADLINE_MS, FORWARD_READ_TIMEOUT_MS, type DnsServerLog, type ForwardFailure, type ForwardFn } from './dns-forward';
import { corednsForward, dnsServerLogLine, type ForwardFn } from './dns-forward';

function replyTo(q: DnsMessage, rcode: number): DnsMessage {
  return {
    id: q.id,
    opcode: q.opcode,
    rcode,
    qr: true,
    aa: false,
    tc: false,
    rd: q.rd,
    ra: false,
    ad: false,
    cd: q.cd,
    question: q.question.map((x) => ({ ...x })),
    answer: [],
    authority: [],
    additional: [],
    opt: null,
  };
}

function rr(name: string, rec: DnsRecord, ttlOverride?: number): DnsRR {
  return { name, type: rec.type, cls: 'IN', ttl: ttlOverride ?? rec.ttl, data: rec.data };
}

const PRIVATE_V4 = [/^10\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^127\./, /^169\.254\./];

/** dnsmasq's built-in CHAOS TXT records (cache.c/option.c: version.bind, authors.bind, copyright.bind) */
const CHAOS_TXT: Record<string, string> = {
  'version.bind': '"dnsmasq-2.90"',
  'authors.bind': '"Simon Kelley"',
  'copyright.bind': '"Copyright (c) 2000-2024 Simon Kelley"',
};

/** answer_request(): the answer from local data (CHAOS TXT, the CNAME chain, then the records asked); true if any */
function dnsmasqLocal(cfg: DnsServerConfig, question: DnsQuestion, reply: DnsMessage): boolean {
  const recs = cfg.records;
  const qtype = question.type;
  let name = question.name;
  let ans = false;
  const find = (n: string, t: string) => recs.filter((r) => r.type === t && r.name === lc(n));
  const add = (rrs: DnsRecord[]) => {
    for (const r of rrs) {
      ans = true;
      reply.answer.push(rr(name, r));
    }
  };
  if ((question.cls === 'CH' || question.cls === 'CHAOS') && (qtype === 'TXT' || qtype === 'ANY')) {
    const text = CHAOS_TXT[lc(stripDot(name))];
    if (text) {
      ans = true;
      reply.answer.push({ name: question.name, type: 'TXT', cls: question.cls, ttl: cfg.localTtl ?? 0, data: text });
    }
  }
  if (question.cls !== 'IN') return ans;
  for (let count = 0; count < 255; count++) {
    const cn = find(name, 'CNAME')[0];
    if (!cn) break;
    add([cn]);
    if (qtype === 'CNAME') break;
    name = stripDot(cn.data);
  }
  if (qtype === 'CNAME' && reply.answer.length > 0) return ans;
  if (qtype === 'TXT' || qtype === 'ANY') add(find(name, 'TXT'));
  if (qtype === 'PTR' || qtype === 'ANY') {
    const ptrs = find(name, 'PTR');
    if (ptrs.length) add(ptrs);
    else if (cfg.bogusPriv) {
      const a = addrOfReverse(name);
      if (a && ((isV4(a) && PRIVATE_V4.some((re) => re.test(a))) || (isV6(a) && /^f[cd]|^fe[89ab]/.test(a))) && !cfg.forwarders.some((f) => f.startsWith('/') && inDomain(name, f.split('/')[1]!))) {
        ans = true;
        reply.rcode = NXDOMAIN;
      }
    }
  }
  for (const t of ['A', 'AAAA', 'MX', 'SRV']) if (qtype === t || qtype === 'ANY') add(find(name, t));
  if (ans) {
    // additional section: addresses of MX and SRV targets
    const targets: string[] = [];
    for (const a of reply.answer) {
      if (a.type === 'MX') targets.push(stripDot(a.data.split(/\s+/)[1] ?? ''));
      if (a.type === 'SRV') targets.push(stripDot(a.data.split(/\s+/)[3] ?? ''));
    }
    for (const t of [...new Set(targets.map(lc))]) {
      for (const a of [...find(t, 'A'), ...find(t, 'AAAA')]) reply.additional.push(rr(t, a));
    }
  }
  return ans;
}

/** forward.c for a name local data did not answer: --address literals, --local domains, domain-needed, the servers */
function dnsmasqForward(cfg: DnsServerConfig, q: DnsMessage, reply: DnsMessage, forward: ForwardFn | null): DnsMessage | null {
  const question = q.question[0]!;
  const qtype = question.type;
  const exists = (n: string) => cfg.records.some((r) => inDomain(r.name, n));
  const lname = lc(question.name);
  const literal = (cfg.addressRules ?? []).filter((r) => inDomain(lname, r.domain)).sort((a, b) => b.domain.length - a.domain.length);
  const locals = cfg.localDomains.filter((d) => inDomain(lname, d)).sort((a, b) => b.length - a.length);
  const fwds = cfg.forwarders
    .map((f) => (f.startsWith('/') ? { domain: f.split('/')[1]!, server: f.split('/')[2]! } : { domain: null as string | null, server: f }))
    .filter((f) => f.domain === null || inDomain(lname, f.domain));
  const bestLen = (d: string | null) => (d === null ? -1 : d.length);
  const litLen = literal.length ? bestLen(literal[0]!.domain) : -2;
  const localLen = locals.length ? bestLen(locals[0]!) : -2;
  const fwdLen = fwds.reduce((m, f) => Math.max(m, bestLen(f.domain)), -2);
  const best = Math.max(litLen, localLen, fwdLen);
  if (best === litLen && litLen > -2) {
    const addrs = literal.filter((r) => r.domain === literal[0]!.domain).map((r) => r.addr).filter((a): a is string => a !== null);
    if (addrs.length === 0) {
      reply.rcode = exists(question.name) ? NOERROR : NXDOMAIN;
      return withOpt(q, reply, null);
    }
    for (const a of addrs) {
      const typeOk = a === '#' ? qtype === 'A' || qtype === 'AAAA' : (isV4(a) && qtype === 'A') || (isV6(a) && qtype === 'AAAA');
      if (!typeOk) continue;
      const data = a === '#' ? (qtype === 'A' ? '0.0.0.0' : '::') : a;
      reply.answer.push({ name: question.name, type: qtype, cls: 'IN', ttl: cfg.localTtl ?? 0, data });
    }
    reply.aa = reply.answer.length > 0;
    return withOpt(q, reply, null);
  }
  const localOnly = best === localLen && localLen > -2;
  // --domain-needed keeps plain A/AAAA names home; --local=// (libvirt's networks) every plain name
  const plain = !lname.includes('.') && lname !== '';
  const unqualified = plain && (cfg.localUnqualified || (cfg.domainNeeded && (qtype === 'A' || qtype === 'AAAA')));
  if (localOnly || unqualified) {
    reply.rcode = exists(question.name) ? NOERROR : NXDOMAIN;
    return withOpt(q, reply, null);
  }
  const servers = fwds.filter((f) => bestLen(f.domain) === fwdLen).map((f) => f.server);
  if (servers.length === 0) {
    reply.rcode = REFUSED;
    return withOpt(q, reply, 14);
  }
  if (!forward) return null;
  for (const s of servers) {
    const up = forward(s, { ...q, question: q.question.map((x) => ({ ...x })) });
    if (!up) continue;
    const out: DnsMessage = { ...up, id: q.id, aa: false, ra: true, question: q.question.map((x) => ({ ...x })) };
    return withOpt(q, out, null, up.opt?.ede ?? []);
  }
  return null;
}

/** dnsmasq 2.90's answer to a query (answer_request, then the local-domain / no-upstream replies of forward.c). */
function answerDnsmasq(cfg: DnsServerConfig, q: DnsMessage, forward: ForwardFn | null): DnsMessage | null {
  const reply = replyTo(q, NOERROR);
  reply.ra = true;
  if (dnsmasqLocal(cfg, q.question[0]!, reply)) {
    reply.aa = reply.rcode === NOERROR;
    return withOpt(q, reply, null);
  }
  return dnsmasqForward(cfg, q, reply, forward);
}

/** Attach the reply's OPT record when the query had one (dnsmasq: udp 1232). */
function withOpt(q: DnsMessage, reply: DnsMessage, ede: number | null, extra: DnsEde[] = []): DnsMessage {
  if (q.opt) {
    reply.opt = { udp: 1232, version: 0, do: false, ede: [...extra, ...(ede === null ? [] : [{ code: ede, text: null }])], cookie: null, nsid: null };
  } else reply.opt = null;
  reply.size = messageSize(reply, false);
  return reply;
}

/** A BIND/CoreDNS-like authoritative server: zones (localDomains) with SOA/NS, aa, SOA in AUTHORITY for negative answers. */
function answerAuthoritative(cfg: DnsServerConfig, q: DnsMessage, forward: ForwardFn | null): DnsMessage | null {
  const question = q.question[0]!;
  const reply = replyTo(q, NOERROR);
  reply.ra = cfg.flavour !== 'coredns' && cfg.flavour !== 'bind' ? true : cfg.forwarders.length > 0 && cfg.flavour === 'bind';
  const zone = cfg.localDomains.filter((d) => inDomain(question.name, d)).sort((a, b) => b.length - a.length)[0];
  const attach = (r: DnsMessage): DnsMessage => {
    if (q.opt) r.opt = { udp: cfg.flavour === 'coredns' ? 1232 : 1232, version: 0, do: false, ede: r.opt?.ede ?? [], cookie: q.opt.cookie && cfg.flavour === 'bind' ? q.opt.cookie + '0100000066e5a0b1c9e0e6b8' : null, nsid: null };
    else r.opt = null;
    r.size = messageSize(r, true);
    return r;
  };
  if (zone === undefined) {
    if (forward && cfg.forwarders.length) {
      for (const s of cfg.forwarders) {
        const up = forward(s, q);
        if (up) return attach({ ...up, id: q.id, aa: false, ra: true });
      }
      reply.rcode = SERVFAIL;
      return attach(reply);
    }
    reply.rcode = REFUSED;
    return attach(reply);
  }
  reply.aa = true;
  const recs = cfg.records;
  const soa = recs.find((r) => r.type === 'SOA' && r.name === zone);
  let name = question.name;
  for (let i = 0; i < 16; i++) {
    const here = recs.filter((r) => r.name === lc(name));
    const direct = here.filter((r) => r.type === question.type || question.type === 'ANY');
    if (direct.length) {
      for (const r of direct) reply.answer.push(rr(name, r));
      break;
    }
    const cn = here.find((r) => r.type === 'CNAME');
    if (cn) {
      reply.answer.push(rr(name, cn));
      name = stripDot(cn.data);
      if (!inDomain(name, zone)) break;
      continue;
    }
    const nodeExists = recs.some((r) => inDomain(r.name, name));
    if (!nodeExists && reply.answer.length === 0) reply.rcode = NXDOMAIN;
    else if (!nodeExists) reply.rcode = NXDOMAIN;
    if (soa) {
      const min = Number(soa.data.split(/\s+/)[6] ?? soa.ttl);
      reply.authority.push(rr(zone, soa, Math.min(soa.ttl, Number.isFinite(min) ? min : soa.ttl)));
    }
    break;
  }
  return attach(reply);
}

// ------------------------------------------------------------------ CoreDNS (kubernetes plugin)

/** The Corefile kubeadm installs: cluster.local from the cluster state, reverse zones, forward . /etc/resolv.conf. */
export function corednsConfig(forwarders: string[] = []): DnsServerConfig {
  return { localDomains: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'], records: [], forwarders, readHosts: false, flavour: 'coredns', listen: [], port: 53, localTtl: 30 };
}

/**
 * The records of the cluster a CoreDNS answers from, when the world has a
 * live cluster (src/k8s/net/coredns.ts registers it; null: fall back to the
 * static `world.state.cluster`). Records named `<ns>.svc.<domain>` of type
 * TXT with empty data mark names that exist without data.
 */
export type ClusterDnsRecords = (world: World, cfg: DnsServerConfig) => DnsRecord[] | null;
let clusterDnsRecords: ClusterDnsRecords | null = null;
export function setClusterDnsRecords(fn: ClusterDnsRecords | null): void {
  clusterDnsRecords = fn;
}

function k8sRecords(world: World, cfg: DnsServerConfig): DnsRecord[] {
  const live = clusterDnsRecords?.(world, cfg);
  if (live) return live;
  const c = cluster(world);
  const ttl = cfg.localTtl ?? 30;
  const out: DnsRecord[] = [];
  if (!c) return out;
  const namespaces = new Set<string>(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
  for (const p of c.pods) namespaces.add(p.namespace);
  for (const svc of c.services) {
    namespaces.add(svc.namespace);
    const fq = `${svc.name}.${svc.namespace}.svc.cluster.local`;
    const headless = svc.clusterIP === 'None';
    const eps = endpointsOf(c, svc);
    if (headless) {
      for (const p of eps) {
        out.push({ name: fq, type: 'A', ttl, data: p.ip });
        out.push({ name: `${p.ip.replace(/\./g, '-')}.${fq}`, type: 'A', ttl, data: p.ip });
      }
    } else {
      out.push({ name: fq, type: 'A', ttl, data: svc.clusterIP });
      out.push({ name: reverseName(svc.clusterIP), type: 'PTR', ttl, data: fq + '.' });
    }
    for (const port of svc.ports) {
      if (!port.name) continue;
      const weight = headless ? Math.floor(100 / Math.max(1, eps.length)) : 100;
      const targets = headless ? eps.map((p) => `${p.ip.replace(/\./g, '-')}.${fq}`) : [fq];
      for (const t of targets) out.push({ name: `_${port.name}._${port.protocol.toLowerCase()}.${fq}`, type: 'SRV', ttl, data: `0 ${weight} ${port.port} ${t}.` });
    }
    for (const p of eps) out.push({ name: reverseName(p.ip), type: 'PTR', ttl, data: `${p.ip.replace(/\./g, '-')}.${fq}.` });
  }
  for (const p of c.pods) {
    if (p.hostNetwork) continue;
    out.push({ name: `${p.ip.replace(/\./g, '-')}.${p.namespace}.pod.cluster.local`, type: 'A', ttl, data: p.ip });
  }
  for (const ns of namespaces) out.push({ name: `${ns}.svc.cluster.local`, type: 'TXT', ttl: -1, data: '' });
  out.push({ name: 'dns-version.cluster.local', type: 'TXT', ttl, data: '"1.1.0"' });
  return out;
}

/** The answer when forwarding failed: the server's own SERVFAIL (SetRcode: no RA), and the errors plugin's line. */
function forwardFailed(world: World, server: Process | null, q: DnsMessage, error: string, logErrors: boolean): DnsMessage {
  const question = q.question[0]!;
  if (logErrors && server) dnsServerLogLine(world, server, `[ERROR] plugin/errors: ${SERVFAIL} ${lc(stripDot(question.name))}. ${question.type}: ${error}`);
  return replyTo(q, SERVFAIL);
}

/** CoreDNS 1.12 with the kubernetes plugin: aa on cluster answers, SOA in AUTHORITY for negative ones, no RA. */
/** An upstream's reply as CoreDNS's forward writes it: the upstream's message with the client's id and question. */
function forwarded(q: DnsMessage, up: DnsMessage, attach: (r: DnsMessage) => DnsMessage): DnsMessage {
  return attach({ ...up, id: q.id, qr: true, aa: up.aa === true, question: q.question.map((x) => ({ ...x })) });
}

function answerCoreDns(world: World, server: Process | null, cfg: DnsServerConfig, q: DnsMessage, forward: ForwardFn | null): DnsMessage | null {
  const question = q.question[0]!;
  const name = lc(question.name);
  const reply = replyTo(q, NOERROR);
  const attach = (r: DnsMessage): DnsMessage => {
    r.opt = q.opt ? { udp: q.opt.udp, version: 0, do: false, ede: [], cookie: null, nsid: null } : null;
    r.size = messageSize(r, true);
    return r;
  };
  const recs = k8sRecords(world, cfg);
  const inZone = inDomain(name, 'cluster.local');
  const revHit = (inDomain(name, 'in-addr.arpa') || inDomain(name, 'ip6.arpa')) && recs.some((r) => r.type === 'PTR' && r.name === name);
  if (!inZone && !revHit) {
    if (forward && cfg.forwarders.length) {
      const r = corednsForward(world, cfg.forwarders, q, forward);
      if ('reply' in r) return forwarded(q, r.reply, attach);
      return attach(forwardFailed(world, server, q, r.error, true));
    }
    reply.rcode = SERVFAIL;
    return attach(reply);
  }
  reply.aa = true;
  const soa: DnsRR = { name: inZone ? 'cluster.local' : name.endsWith('ip6.arpa') ? 'ip6.arpa' : 'in-addr.arpa', type: 'SOA', cls: 'IN', ttl: cfg.localTtl ?? 30, data: `ns.dns.${inZone ? 'cluster.local' : 'cluster.local'}. hostmaster.cluster.local. 1764163200 7200 1800 86400 30` };
  const here = recs.filter((r) => r.name === name && r.data !== '');
  const match = here.filter((r) => r.type === question.type || question.type === 'ANY');
  if (match.length) {
    for (const r of match) reply.answer.push({ name: question.name, type: r.type, cls: 'IN', ttl: r.ttl, data: r.data });
    return attach(reply);
  }
  // an ExternalName service: its CNAME (the client's resolver follows it)
  const cname = here.find((r) => r.type === 'CNAME');
  if (cname) {
    reply.answer.push({ name: question.name, type: 'CNAME', cls: 'IN', ttl: cname.ttl, data: cname.data });
    return attach(reply);
  }
  const exists = name === 'cluster.local' || recs.some((r) => inDomain(r.name, name));
  if (question.type === 'SOA' && name === 'cluster.local') {
    reply.answer.push({ ...soa, name: question.name });
    return attach(reply);
  }
  if (!exists) reply.rcode = NXDOMAIN;
  reply.authority.push(soa);
  return attach(reply);
}

/** A name rewritten by the first matching `rewrite name` rules of a block (null: no rule matched). */
export function rewriteName(rules: CoreDnsBlock['rewrites'], name: string): string | null {
  let out = name;
  let hit = false;
  for (const r of rules) {
    const from = lc(stripDot(r.from));
    const to = lc(stripDot(r.to));
    let next: string | null = null;
    if (r.type === 'exact') next = out === from ? to : null;
    else if (r.type === 'suffix') next = out.endsWith(from) ? out.slice(0, out.length - from.length) + to : null;
    else if (r.type === 'prefix') next = out.startsWith(from) ? to + out.slice(from.length) : null;
    else if (r.type === 'substring') next = out.includes(from) ? out.replace(from, to) : null;
    else {
      try {
        const m = new RegExp(r.from).exec(out + '.');
        next = m ? stripDot(r.to.replace(/\{(\d+)\}/g, (_, i) => m[Number(i)] ?? '')).toLowerCase() : null;
      } catch {
        next = null;
      }
    }
    if (next === null) continue;
    out = next;
    hit = true;
    if (r.stop) break;
  }
  return hit ? out : null;
}

/** CoreDNS with a parsed Corefile: the server block of the longest zone, then rewrite, hosts, kubernetes, forward. */
function answerCorefile(world: World, server: Process, cfg: DnsServerConfig, blocks: CoreDnsBlock[], q: DnsMessage, forward: ForwardFn | null): DnsMessage {
  const question = q.question[0]!;
  const orig = lc(question.name);
  let block: CoreDnsBlock | null = null;
  let best = -1;
  for (const b of blocks) for (const z of b.zones) if ((z === '' || inDomain(orig, z)) && z.length > best) (block = b), (best = z.length);
  const attach = (r: DnsMessage): DnsMessage => {
    r.opt = q.opt ? { udp: q.opt.udp, version: 0, do: false, ede: [], cookie: null, nsid: null } : null;
    r.size = messageSize(r, true);
    return r;
  };
  if (!block) {
    const r = replyTo(q, REFUSED);
    return attach(r);
  }
  const rewritten = rewriteName(block.rewrites, orig);
  const name = rewritten ?? orig;
  const q2: DnsMessage = { ...q, question: [{ ...question, name }] };
  const restore = (r: DnsMessage): DnsMessage => {
    if (rewritten === null) return r;
    r.question = q.question.map((x) => ({ ...x }));
    for (const rr of r.answer) if (lc(rr.name) === name) rr.name = question.name;
    r.size = messageSize(r, true);
    return r;
  };
  if (block.hosts) {
    const hits = block.hosts.entries.filter((e) => e.names.some((n) => lc(stripDot(n)) === name));
    if (hits.length) {
      const reply = replyTo(q2, NOERROR);
      reply.aa = true;
      for (const e of hits) {
        const t = e.ip.includes(':') ? 'AAAA' : 'A';
        if (question.type === t || question.type === 'ANY') reply.answer.push({ name: question.name, type: t, cls: 'IN', ttl: block.hosts.ttl, data: e.ip });
      }
      return restore(attach(reply));
    }
    if (!block.hosts.fallthrough) {
      const reply = replyTo(q2, NXDOMAIN);
      reply.aa = true;
      return restore(attach(reply));
    }
  }
  const fwd = block.forward && (block.forward.from === '' || inDomain(name, block.forward.from)) ? block.forward.to : [];
  const sub: DnsServerConfig = { ...cfg, corefile: undefined, localDomains: block.kubernetes ?? [], forwarders: fwd, localTtl: block.kubernetesTtl };
  if (!block.kubernetes || !block.kubernetes.some((z) => inDomain(name, z))) {
    // not the kubernetes plugin's: forward, else no plugin answers (SERVFAIL)
    if (forward && fwd.length) {
      const r = corednsForward(world, fwd, q2, forward);
      if ('reply' in r) return restore(forwarded(q2, r.reply, attach));
      return restore(attach(forwardFailed(world, server, q2, r.error, block.errors === true)));
    }
    return restore(attach(replyTo(q2, SERVFAIL)));
  }
  return restore(answerCoreDns(world, block.errors === true ? server : null, sub, q2, forward)!);
}

/**
 * A DNS server flavour another layer models (src/k8s: systemd-resolved's stub): its answer to `query`,
 * which arrived at local address `dst` (null: no reply, the client times out).
 */
export type DnsFlavourAnswer = (world: World, server: Process, query: DnsMessage, forward: ForwardFn | null, dst: string | null) => DnsMessage | null;
const flavourAnswers = new Map<string, DnsFlavourAnswer>();
export function registerDnsFlavour(flavour: string, answer: DnsFlavourAnswer): void {
  flavourAnswers.set(flavour, answer);
}

/** The reply of DNS server process `server` to `query` (null: it does not answer); `dst`: the address the query was sent to. */
export function answerQuery(_world: World, server: Process, query: DnsMessage, forward: ForwardFn | null = null, dst: string | null = null): DnsMessage | null {
  if (!server.role || server.role.kind !== 'dns') return null;
  const cfg = server.role.config;
  if (query.qr) return null;
  const own = flavourAnswers.get(cfg.flavour);
  if (own) return own(_world, server, query, forward, dst);
  if (query.opcode !== 0 || query.question.length !== 1) {
    const r = replyTo(query, query.opcode !== 0 ? NOTIMP : 1);
    r.ra = true;
    return withOpt(query, r, null);
  }
  if (cfg.flavour === 'coredns') return cfg.corefile ? answerCorefile(_world, server, cfg, cfg.corefile, query, forward) : answerCoreDns(_world, server, cfg, query, forward);
  return cfg.flavour === 'dnsmasq' ? answerDnsmasq(cfg, query, forward) : answerAuthoritative(cfg, query, forward);
}

// ------------------------------------------------------------------ servers as processes

/** The DNS server process owning the socket that receives traffic to addr:port/proto in a namespace, if any. */
export function dnsServerAt(world: World, nsId: NsId, proto: 'udp' | 'tcp', addr: string, port: number): Process | null {
  const ns = world.ns(nsId);
  const host = world.host(ns.host);
  const cand = ns.sockets.filter(
    (s) => s.proto === proto && s.localPort === port && (proto === 'udp' || s.state === 'LISTEN') && (s.localAddr === addr || s.localAddr === '0.0.0.0' || s.localAddr === '::' || s.localAddr === '::ffff:' + addr),
  );
  cand.sort((a, b) => (a.localAddr === addr ? -1 : 0) - (b.localAddr === addr ? -1 : 0));
  for (const s of cand) {
    const p = host.processes.find((x) => x.pid === s.pid);
    if (p?.role?.kind === 'dns') return p;
  }
  return null;
}

export interface UdpDatagram {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  payload: unknown;
}

function isDnsMessage(x: unknown): x is DnsMessage {
  return !!x && typeof x === 'object' && Array.isArray((x as DnsMessage).question) && typeof (x as DnsMessage).id === 'number';
}

/**
 * Packet engine hook: a UDP datagram arrived at `pkt.dst:pkt.dport` in
 * namespace `nsId`. If a DNS server process holds that socket, returns its
 * reply payload; null when there is no DNS server there or it stays silent.
 */
export function deliverDnsUdp(world: World, nsId: NsId, pkt: UdpDatagram, send: ForwardFn | null = null): DnsMessage | null {
  const p = dnsServerAt(world, nsId, 'udp', pkt.dst, pkt.dport);
  if (!p || !isDnsMessage(pkt.payload)) return null;
  return answerQuery(world, p, pkt.payload, send, pkt.dst);
}

/** Read a file as a process in namespace `nsId` sees it (`ip netns exec NAME` bind-mounts /etc/netns/NAME/*). */
export function readFileInNs(world: World, hostId: HostId, nsId: NsId, path: string): string | null {
  const host = world.host(hostId);
  const ns = world.state.namespaces[nsId];
  if (ns?.name && path.startsWith('/etc/')) {
    const alt = readHostFile(host, `/etc/netns/${ns.name}/${path.slice(5)}`);
    if (alt !== null) return alt;
  }
  return readHostFile(host, path);
}

export interface StartResult {
  process: Process | null;
  /** dnsmasq's error text (without the "dnsmasq: " prefix) and exit code, when it fails to start */
  error: string | null;
  exitCode: number;
}

/**
 * Start a DNS server process (`argv` as typed) in namespace `nsId` with
 * `config`: it binds UDP and TCP port `config.port` on each listen address
 * (or the wildcard addresses). Fails like dnsmasq when a socket cannot be made.
 */
export function startDnsServer(world: World, hostId: HostId, nsId: NsId, argv: string[], config: DnsServerConfig): StartResult {
  const p = spawnProcess(world, hostId, nsId, argv.length ? argv : ['dnsmasq'], { role: { kind: 'dns', config } });
  const port = config.port ?? 53;
  if (port === 0) return { process: p, error: null, exitCode: 0 };
  const addrs = config.listen && config.listen.length ? config.listen : ['0.0.0.0', '::'];
  for (const addr of addrs) {
    const v6 = addr.includes(':');
    try {
      bindUdp(world, nsId, p.pid, addr, port, v6 ? 6 : 4);
      listenTcp(world, nsId, p.pid, addr, port, v6 ? 6 : 4, 32);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      killProcess(world, hostId, p.pid);
      const what = addr === '0.0.0.0' || addr === '::' ? `port ${port}` : addr;
      return { process: null, error: `failed to create listening socket for ${what}: ${STRERROR[e.errno]}`, exitCode: 2 };
    }
  }
  return { process: p, error: null, exitCode: 0 };
}

/** `coredns -conf /etc/coredns/Corefile` in a pod: dual-stack listeners on :53 (UDP, TCP), health 8080, ready 8181, metrics 9153. */
export function startCoreDns(world: World, hostId: HostId, nsId: NsId, argv: string[], o: { forward?: string[]; spawn?: (argv: string[], opts: { role: Process['role'] }) => Process } = {}): StartResult {
  const rc = readFileInNs(world, hostId, nsId, '/etc/resolv.conf') ?? '';
  const fromResolv = [...rc.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]!);
  // `forward . /etc/resolv.conf` (the default) or explicit addresses
  const fwd = (o.forward ?? ['/etc/resolv.conf']).flatMap((t) => (t === '/etc/resolv.conf' ? fromResolv : [t.replace(/^dns:\/\//, '').replace(/:53$/, '')]));
  const args = argv.length ? argv : ['/coredns'];
  const role: Process['role'] = { kind: 'dns', config: corednsConfig(fwd) };
  const p = o.spawn ? o.spawn(args, { role }) : spawnProcess(world, hostId, nsId, args, { role });
  try {
    bindUdp(world, nsId, p.pid, '::', 53, 46);
    listenTcp(world, nsId, p.pid, '::', 53, 46, 4096);
    for (const port of [8080, 8181, 9153]) listenTcp(world, nsId, p.pid, '::', port, 46, 4096);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    killProcess(world, hostId, p.pid);
    return { process: null, error: `listen tcp :53: bind: ${STRERROR[e.errno].toLowerCase()}`, exitCode: 1 };
  }
  // the loop plugin: at start CoreDNS sends itself a random HINFO query; when
  // its forward target is itself, the query comes back and it stops
  const self = fwd.find((a) => isLocalAddress(world.ns(nsId), a) && dnsServerAt(world, nsId, 'udp', a, 53) === p);
  if (self !== undefined) {
    killProcess(world, hostId, p.pid);
    const n = (k: number) => String(Math.floor(world.random() * 9e18) + 1e18).slice(0, k);
    return {
      process: null,
      error: `[FATAL] plugin/loop: Loop (127.0.0.1:${40000 + Math.floor(world.random() * 20000)} -> :53) detected for zone ".", see https://coredns.io/plugins/loop#troubleshooting. Query: "HINFO ${n(19)}.${n(19)}."`,
      exitCode: 1,
    };
  }
  return { process: p, error: null, exitCode: 0 };
}
