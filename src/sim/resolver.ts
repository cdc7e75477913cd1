// Name resolution as glibc 2.36 does it: nsswitch `hosts: files dns`,
// /etc/hosts, then DNS per /etc/resolv.conf (nameservers, search list,
// options ndots/timeout/attempts/rotate). Files are read through the
// caller's view (Sys.readFile honours /etc/netns/NAME overrides).
//
// Queries are UDP datagrams sent through a DnsTransport. The default one
// delivers directly to the namespace that owns the server address (route
// lookup first, so "no route" fails like sendto); the packet engine installs
// a transport that carries datagrams hop by hop (setDnsTransport).
import type { World } from './world';
import type { NsId } from './types';
import { isKernelError } from './errors';
import type { Errno } from './errors';
import { dnsServerAt, answerQuery, isV4, isV6, canonV6, makeQuery, reverseName, stripDot, sameName, NOERROR, NXDOMAIN, SERVFAIL, NOTIMP, REFUSED } from './dns';
import type { DnsMessage, DnsRR } from './dns';
import { routeGet } from './fib';

// ------------------------------------------------------------------ configuration files

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  ndots: number;
  /** seconds */
  timeout: number;
  attempts: number;
  rotate: boolean;
  edns0: boolean;
  trustAd: boolean;
  useVc: boolean;
  noAaaa: boolean;
}

/** glibc's res_init over /etc/resolv.conf text (null: no file). `hostname` gives the default domain. */
export function parseResolvConf(text: string | null, hostname = ''): ResolvConf {
  const rc: ResolvConf = { nameservers: [], search: [], ndots: 1, timeout: 5, attempts: 2, rotate: false, edns0: false, trustAd: false, useVc: false, noAaaa: false };
  let searchSet = false;
  for (const raw of (text ?? '').split('\n')) {
    const line = raw.replace(/[#;].*$/, '');
    const w = line.trim().split(/\s+/).filter(Boolean);
    if (w.length === 0) continue;
    const [kw, ...rest] = w;
    if (kw === 'nameserver' && rest[0]) {
      const a = rest[0].replace(/%.*$/, '');
      if (rc.nameservers.length < 3 && (isV4(a) || isV6(a))) rc.nameservers.push(isV6(a) ? canonV6(a) : a);
    } else if (kw === 'domain' && rest[0]) {
      rc.search = [stripDot(rest[0])];
      searchSet = true;
    } else if (kw === 'search') {
      rc.search = rest.map(stripDot).filter((x) => x !== '');
      searchSet = true;
    } else if (kw === 'options') {
      for (const o of rest) {
        const [k, v] = o.split(':') as [string, string | undefined];
        const n = v === undefined ? NaN : Number(v);
        if (k === 'ndots' && Number.isInteger(n) && n >= 0) rc.ndots = Math.min(n, 15);
        else if (k === 'timeout' && Number.isInteger(n) && n >= 0) rc.timeout = Math.min(Math.max(n, 1), 30);
        else if (k === 'attempts' && Number.isInteger(n) && n >= 0) rc.attempts = Math.min(Math.max(n, 1), 5);
        else if (k === 'rotate') rc.rotate = true;
        else if (k === 'edns0') rc.edns0 = true;
        else if (k === 'trust-ad') rc.trustAd = true;
        else if (k === 'use-vc') rc.useVc = true;
        else if (k === 'no-aaaa') rc.noAaaa = true;
      }
    }
  }
  if (!searchSet) {
    const dot = hostname.indexOf('.');
    if (dot >= 0 && dot < hostname.length - 1) rc.search = [hostname.slice(dot + 1)];
  }
  if (rc.nameservers.length === 0) rc.nameservers = ['127.0.0.1'];
  return rc;
}

export interface HostsEntry {
  addr: string;
  family: 4 | 6;
  names: string[];
}

/** /etc/hosts lines (comments and malformed lines skipped), in file order. */
export function parseHostsFile(text: string | null): HostsEntry[] {
  const out: HostsEntry[] = [];
  for (const raw of (text ?? '').split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    // nss_files keeps a line with an address and no name (it answers lookups by address with an empty name)
    const [addr, ...names] = line.split(/\s+/);
    if (!addr) continue;
    if (isV4Loose(addr)) out.push({ addr: inetAton(addr)!, family: 4, names });
    else if (isV6(addr)) out.push({ addr: canonV6(addr.replace(/%.*$/, '')), family: 6, names });
  }
  return out;
}

/** inet_aton's forms (1.2.3.4, and the classful 1.2.3 / 1.2 / 1 with octal and hex parts); null if not an address. */
export function inetAton(s: string): string | null {
  if (!/^[0-9a-fA-FxX.]+$/.test(s) || s.endsWith('.') && s.length > 1 && s.split('.').length > 4) return null;
  const parts = s.split('.');
  if (parts.length > 4 || parts.some((p) => p === '')) return null;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0[xX][0-9a-fA-F]*$/.test(p)) n = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]*$/.test(p)) n = parseInt(p, 8);
    else if (/^[1-9][0-9]*$/.test(p)) n = parseInt(p, 10);
    else return null;
    nums.push(n);
  }
  let v: number;
  const last = nums[nums.length - 1]!;
  const max = [0xffffffff, 0xffffff, 0xffff, 0xff][nums.length - 1]!;
  if (last > max || nums.slice(0, -1).some((x) => x > 255)) return null;
  v = last;
  for (let i = 0; i < nums.length - 1; i++) v += nums[i]! * 2 ** (8 * (3 - i));
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

function isV4Loose(s: string): boolean {
  return inetAton(s) !== null;
}

// ------------------------------------------------------------------ transport

export type QueryOutcome =
  | { kind: 'reply'; msg: DnsMessage; rttMs: number }
  | { kind: 'timeout' }
  /** ICMP port unreachable: ECONNREFUSED on the socket */
  | { kind: 'refused' }
  /** sendto() or an ICMP error failed the query (ENETUNREACH, EHOSTUNREACH...) */
  | { kind: 'error'; errno: Errno };

export interface SendOptions {
  /** how long to wait for the reply, ms */
  timeoutMs: number;
  tcp: boolean;
}

export interface DnsTransport {
  send(world: World, fromNs: NsId, server: string, port: number, query: DnsMessage, o: SendOptions): QueryOutcome;
}

/** The namespace that owns `addr` as a local address (the sender's own first), or null. */
function ownerOf(world: World, fromNs: NsId, addr: string): NsId | null {
  const has = (nsId: NsId) => {
    const ns = world.ns(nsId);
    if (isV4(addr) && addr.startsWith('127.')) return ns.links.some((l) => l.kind === 'loopback' && l.adminUp);
    if (addr === '::1') return ns.addrs.some((a) => a.local === '::1');
    return ns.addrs.some((a) => a.local === addr && ns.links.some((l) => l.ifindex === a.ifindex && l.adminUp));
  };
  if (has(fromNs)) return fromNs;
  if (isV4(addr) && addr.startsWith('127.')) return null;
  for (const id of Object.keys(world.state.namespaces)) if (id !== fromNs && has(id)) return id;
  return null;
}

/** Straight delivery: route check in the sender, then the server namespace's socket table. */
export const directTransport: DnsTransport = {
  send(world, fromNs, server, port, query, o) {
    try {
      routeGet(world, fromNs, server);
    } catch (e) {
      if (isKernelError(e)) return { kind: 'error', errno: e.errno === 'EINVAL' ? 'EINVAL' : e.errno };
      throw e;
    }
    const target = ownerOf(world, fromNs, server);
    if (!target) return { kind: 'timeout' };
    const proc = dnsServerAt(world, target, o.tcp ? 'tcp' : 'udp', server, port);
    if (!proc) {
      const bound = world.ns(target).sockets.some((s) => s.proto === (o.tcp ? 'tcp' : 'udp') && s.localPort === port && (o.tcp ? s.state === 'LISTEN' : true));
      return bound ? { kind: 'timeout' } : { kind: 'refused' };
    }
    const cfg = proc.role && proc.role.kind === 'dns' ? proc.role.config : null;
    if (cfg?.listen?.length && !cfg.listen.includes(server) && !(server.startsWith('127.') && cfg.listen.some((a) => a.startsWith('127.')))) return { kind: 'timeout' };
    const reply = answerQuery(world, proc, query, (up, q) => {
      const r = directTransport.send(world, target, up, 53, q, o);
      return r.kind === 'reply' ? r.msg : null;
    }, server);
    if (!reply) return { kind: 'timeout' };
    return { kind: 'reply', msg: reply, rttMs: target === fromNs ? 0 : 1 };
  },
};

let transport: DnsTransport = directTransport;

/** The packet engine installs its own transport (datagrams through links, bridges, routing and netfilter). */
export function setDnsTransport(t: DnsTransport): void {
  transport = t;
}

export function getDnsTransport(): DnsTransport {
  return transport;
}

/** Send one query, advancing the simulated clock by the time it takes (the RTT, or the whole timeout). */
export function sendQuery(world: World, fromNs: NsId, server: string, port: number, query: DnsMessage, o: SendOptions): QueryOutcome {
  const r = transport.send(world, fromNs, server, port, query, o);
  if (r.kind === 'timeout') world.advance(o.timeoutMs);
  else if (r.kind === 'reply') world.advance(r.rttMs);
  return r;
}

/** A query id from the world's seeded RNG. */
export function queryId(world: World): number {
  return Math.floor(world.random() * 65536);
}

// ------------------------------------------------------------------ glibc stub resolver

export type HErrno = 'HOST_NOT_FOUND' | 'TRY_AGAIN' | 'NO_RECOVERY' | 'NO_DATA';

export interface ResolverCtx {
  world: World;
  ns: NsId;
  /** file reader (the command's view) */
  readFile(path: string): string | null;
  /** the host's hostname (default search domain) */
  hostname: string;
}

interface ResQueryResult {
  ok: boolean;
  herrno: HErrno | null;
  msg: DnsMessage | null;
  /** after a failed res_send: the rcode of the last response received (SERVFAIL/REFUSED...), null if none */
  lastRcode?: number | null;
  /** after a failed res_send: the last server refused the connection (ECONNREFUSED) */
  connRefused?: boolean;
}

/** res_send: every nameserver, `attempts` rounds; SERVFAIL/NOTIMP/REFUSED and errors move on to the next server. */
function resSend(ctx: ResolverCtx, rc: ResolvConf, name: string, type: string): ResQueryResult {
  let gotSomewhere = false;
  let lastRcode: number | null = null;
  let connRefused = false;
  const servers = rc.nameservers;
  for (let attempt = 0; attempt < rc.attempts; attempt++) {
    for (let i = 0; i < servers.length; i++) {
      const server = servers[i]!;
      const q = makeQuery(queryId(ctx.world), name, type, { rd: true, edns: rc.edns0 ? { udp: 1200 } : null, ad: rc.trustAd });
      const timeoutMs = Math.max(1, Math.floor((rc.timeout * 1000 * 2 ** attempt) / (attempt > 0 ? servers.length : 1)));
      const r = sendQuery(ctx.world, ctx.ns, server, 53, q, { timeoutMs, tcp: rc.useVc });
      connRefused = r.kind === 'refused';
      if (r.kind === 'timeout') {
        gotSomewhere = true;
        continue;
      }
      if (r.kind !== 'reply') continue;
      const rcode = r.msg.rcode;
      if (rcode === SERVFAIL || rcode === NOTIMP || rcode === REFUSED) {
        gotSomewhere = true;
        lastRcode = rcode;
        continue;
      }
      return { ok: true, herrno: null, msg: r.msg };
    }
  }
  void gotSomewhere;
  return { ok: false, herrno: 'TRY_AGAIN', msg: null, lastRcode, connRefused };
}

/** res_query: one name, one type: an answer, or why not. */
function resQuery(ctx: ResolverCtx, rc: ResolvConf, name: string, type: string): ResQueryResult {
  const r = resSend(ctx, rc, name, type);
  if (!r.ok || !r.msg) return r;
  if (r.msg.rcode === NXDOMAIN) return { ok: false, herrno: 'HOST_NOT_FOUND', msg: r.msg };
  if (r.msg.rcode !== NOERROR) return { ok: false, herrno: 'NO_RECOVERY', msg: r.msg };
  if (r.msg.answer.length === 0) return { ok: false, herrno: 'NO_DATA', msg: r.msg };
  return r;
}

/**
 * res_search (glibc 2.36 __res_context_search): a name with at least ndots
 * dots (or a trailing dot) is tried as it is first; then the search list,
 * which a NO_DATA/NXDOMAIN answer walks on, a SERVFAIL walks on too, but any
 * other failure (REFUSED, timeouts, NO_RECOVERY) ends; a refused connection
 * gives up at once; then, if not tried yet, the name as it is.
 */
export function resSearch(ctx: ResolverCtx, name: string, type: string, rcIn?: ResolvConf): ResQueryResult & { qname: string } {
  const rc = rcIn ?? parseResolvConf(ctx.readFile('/etc/resolv.conf'), ctx.hostname);
  const trailingDot = name.endsWith('.');
  const bare = stripDot(name);
  const dots = bare.split('.').length - 1;
  let savedHerrno: HErrno | null = null;
  let triedAsIs = false;
  let last: ResQueryResult & { qname: string } = { ok: false, herrno: 'HOST_NOT_FOUND', msg: null, qname: bare };
  if (dots >= rc.ndots || trailingDot) {
    const r = resQuery(ctx, rc, bare, type);
    if (r.ok || trailingDot) return { ...r, qname: bare };
    savedHerrno = r.herrno;
    triedAsIs = true;
    last = { ...r, qname: bare };
  }
  let gotNodata = false;
  let gotServfail = false;
  let rootOnList = false;
  for (const d of rc.search) {
    if (d === '' || d === '.') {
      rootOnList = true;
      continue;
    }
    const qname = `${bare}.${d}`;
    const r = resQuery(ctx, rc, qname, type);
    if (r.ok) return { ...r, qname };
    last = { ...r, qname };
    if (r.connRefused) return { ...last, ok: false, herrno: 'TRY_AGAIN' };
    if (r.herrno === 'NO_DATA') gotNodata = true;
    else if (r.herrno === 'HOST_NOT_FOUND') continue;
    else if (r.herrno === 'TRY_AGAIN' && r.lastRcode === SERVFAIL) gotServfail = true;
    else break;
  }
  if (!triedAsIs && !rootOnList) {
    const r = resQuery(ctx, rc, bare, type);
    if (r.ok) return { ...r, qname: bare };
    last = { ...r, qname: bare };
  }
  const herrno: HErrno = savedHerrno ?? (gotNodata ? 'NO_DATA' : gotServfail ? 'TRY_AGAIN' : last.herrno ?? 'HOST_NOT_FOUND');
  return { ...last, ok: false, herrno };
}

export interface HostEnt {
  /** canonical name */
  name: string;
  aliases: string[];
  family: 4 | 6;
  addrs: string[];
}

function nsswitchHosts(ctx: ResolverCtx): string[] {
  const text = ctx.readFile('/etc/nsswitch.conf');
  if (text === null) return ['files', 'dns'];
  for (const line of text.split('\n')) {
    const m = /^\s*hosts\s*:\s*(.*)$/.exec(line.replace(/#.*/, ''));
    if (m) return m[1]!.split(/\s+/).filter((x) => x && !x.startsWith('['));
  }
  return ['files', 'dns'];
}

/** The files backend: entries of /etc/hosts for `name` in `family` (0: both), glibc merging multiple lines. */
export function filesLookup(ctx: ResolverCtx, name: string, family: 0 | 4 | 6): HostEnt | null {
  const entries = parseHostsFile(ctx.readFile('/etc/hosts'));
  let canon: string | null = null;
  let fam: 4 | 6 | null = null;
  const aliases: string[] = [];
  const addrs: string[] = [];
  for (const e of entries) {
    if (family !== 0 && e.family !== family) continue;
    if (!e.names.some((n) => sameName(n, stripDot(name)))) continue;
    if (canon === null) {
      canon = e.names[0]!;
      fam = e.family;
      aliases.push(...e.names.slice(1));
      addrs.push(e.addr);
      if (family !== 0) continue;
      continue;
    }
    // host.conf "multi on" (Debian): every matching line, duplicates kept
    if (family === 0 || e.family === fam) addrs.push(e.addr);
  }
  if (canon === null || fam === null) return null;
  return { name: canon, aliases, family: fam, addrs };
}

/** Addresses of `name` from one DNS answer, following the CNAME chain; the canonical name and the aliases (owner names of the CNAMEs). */
function hostentFromAnswer(answer: DnsRR[], qname: string, type: 'A' | 'AAAA'): { canon: string; aliases: string[]; addrs: string[] } {
  let cur = qname;
  const aliases: string[] = [];
  for (let i = 0; i < 16; i++) {
    const cn = answer.find((r) => r.type === 'CNAME' && sameName(r.name, cur));
    if (!cn) break;
    aliases.push(stripDot(cn.name));
    cur = stripDot(cn.data);
  }
  const addrs = answer.filter((r) => r.type === type && sameName(r.name, cur)).map((r) => (type === 'AAAA' ? canonV6(r.data) : r.data));
  const canonRR = answer.find((r) => r.type === type && sameName(r.name, cur));
  return { canon: canonRR ? stripDot(canonRR.name) : cur, aliases, addrs };
}

export type LookupResult = { ok: true; ent: HostEnt } | { ok: false; herrno: HErrno };

/**
 * nss_dns gethostbyname3_r (gethostbyname2, getaddrinfo with AF_INET or
 * AF_INET6) leaves alone a name that starts with a digit and has only digits
 * and dots, without a final dot (`300.1.1.1`): not found, no query sent.
 * gethostbyname4_r (getaddrinfo AF_UNSPEC) sends the queries.
 */
function allNumericName(name: string): boolean {
  return /^[0-9][0-9.]*$/.test(name) && !name.endsWith('.');
}

/** gethostbyname2(name, family): nsswitch order (files, dns). */
export function gethostbyname2(ctx: ResolverCtx, name: string, family: 4 | 6): LookupResult {
  const numeric = family === 4 ? inetAton(name) : isV6(name) ? canonV6(name) : null;
  if (numeric) return { ok: true, ent: { name, aliases: [], family, addrs: [numeric] } };
  let last: HErrno = 'HOST_NOT_FOUND';
  for (const src of nsswitchHosts(ctx)) {
    if (src === 'files') {
      const e = filesLookup(ctx, name, family);
      if (e) return { ok: true, ent: e };
    } else if (src === 'dns') {
      if (allNumericName(name)) continue;
      const type = family === 4 ? 'A' : 'AAAA';
      const r = resSearch(ctx, name, type);
      if (r.ok && r.msg) {
        const h = hostentFromAnswer(r.msg.answer, r.qname, type);
        if (h.addrs.length) return { ok: true, ent: { name: h.canon, aliases: h.aliases, family, addrs: h.addrs } };
        last = 'NO_DATA';
      } else last = r.herrno ?? 'HOST_NOT_FOUND';
    }
  }
  return { ok: false, herrno: last };
}

export interface AddrInfo {
  family: 4 | 6;
  addr: string;
}

export type GaiError = 'EAI_NONAME' | 'EAI_AGAIN' | 'EAI_NODATA' | 'EAI_FAIL' | 'EAI_FAMILY' | 'EAI_SERVICE' | 'EAI_ADDRFAMILY';

export const GAI_STRERROR: Record<GaiError, string> = {
  EAI_NONAME: 'Name or service not known',
  EAI_AGAIN: 'Temporary failure in name resolution',
  EAI_NODATA: 'No address associated with hostname',
  EAI_FAIL: 'Non-recoverable failure in name resolution',
  EAI_FAMILY: 'ai_family not supported',
  EAI_SERVICE: 'Servname not supported for ai_socktype',
  EAI_ADDRFAMILY: 'Address family for hostname not supported',
};

export type GaiResult = { ok: true; canonname: string; addrs: AddrInfo[] } | { ok: false; error: GaiError; message: string };

function herrnoToGai(h: HErrno): GaiError {
  return h === 'TRY_AGAIN' ? 'EAI_AGAIN' : h === 'NO_DATA' ? 'EAI_NODATA' : h === 'NO_RECOVERY' ? 'EAI_FAIL' : 'EAI_NONAME';
}

/**
 * getaddrinfo(name) as glibc does it: numeric addresses directly; otherwise
 * nsswitch (files: every matching /etc/hosts line; dns: A and AAAA) and the
 * RFC 3484 sort for AF_UNSPEC. `canonname` is the canonical name (after
 * CNAMEs, or the first name of the hosts line).
 */
export function getaddrinfo(ctx: ResolverCtx, name: string, o: { family?: 0 | 4 | 6; numericOnly?: boolean; addrconfig?: boolean } = {}): GaiResult {
  let family = o.family ?? 0;
  const fail = (e: GaiError): GaiResult => ({ ok: false, error: e, message: GAI_STRERROR[e] });
  if (o.addrconfig) {
    // AI_ADDRCONFIG (__check_pf): a family counts when the namespace has an
    // address of it other than the loopback one (127.0.0.1, ::1; any link
    // state, link-local included)
    const addrs = ctx.world.ns(ctx.ns).addrs;
    const seen4 = addrs.some((a) => a.family === 4 && a.local !== '127.0.0.1');
    const seen6 = addrs.some((a) => a.family === 6 && canonV6(a.local) !== '::1');
    if (family === 0 && seen4 !== seen6) family = seen4 ? 4 : 6;
    else if ((family === 4 && !seen4) || (family === 6 && !seen6)) return fail('EAI_NONAME');
  }
  const v4 = inetAton(name);
  if (v4 !== null && family !== 6) return { ok: true, canonname: name, addrs: [{ family: 4, addr: v4 }] };
  if (isV6(name)) {
    if (family === 4) return fail('EAI_ADDRFAMILY');
    return { ok: true, canonname: name, addrs: [{ family: 6, addr: canonV6(name) }] };
  }
  if (o.numericOnly || name === '') return fail('EAI_NONAME');
  let last: HErrno = 'HOST_NOT_FOUND';
  for (const src of nsswitchHosts(ctx)) {
    if (src === 'files') {
      // nss_files: every matching line, duplicates kept; an IPv4 lookup takes
      // "::1" lines as 127.0.0.1 (and v4-mapped ones as their IPv4 address)
      const entries = parseHostsFile(ctx.readFile('/etc/hosts'))
        .filter((e) => e.names.some((n) => sameName(n, name)))
        .map((e) => (family === 4 && e.family === 6 ? { ...e, family: 4 as const, addr: v6AsV4(e.addr) ?? '' } : e))
        .filter((e) => e.addr !== '' && (family === 0 || e.family === family));
      if (entries.length) {
        const addrs: AddrInfo[] = entries.map((e) => ({ family: e.family, addr: e.addr }));
        return { ok: true, canonname: entries[0]!.names[0]!, addrs: family === 0 ? rfc3484Sort(ctx, addrs) : addrs };
      }
    } else if (src === 'dns') {
      // AF_INET/AF_INET6 go through gethostbyname3_r, which has the check; AF_UNSPEC (gethostbyname4_r) asks
      if ((o.family ?? 0) !== 0 && allNumericName(name)) continue;
      const types: ('A' | 'AAAA')[] = family === 4 ? ['A'] : family === 6 ? ['AAAA'] : ['A', 'AAAA'];
      const addrs: AddrInfo[] = [];
      let canon: string | null = null;
      const codes: HErrno[] = [];
      for (const t of types) {
        const r = resSearch(ctx, name, t);
        if (r.ok && r.msg) {
          const h = hostentFromAnswer(r.msg.answer, r.qname, t);
          if (h.addrs.length) {
            canon ??= h.canon;
            for (const a of h.addrs) addrs.push({ family: t === 'A' ? 4 : 6, addr: a });
          } else codes.push('NO_DATA');
        } else codes.push(r.herrno ?? 'HOST_NOT_FOUND');
        if (!r.ok && r.herrno === 'TRY_AGAIN' && types.length > 1 && t === 'A') {
          // both queries go out together: a dead server fails them both
          codes.push('TRY_AGAIN');
          break;
        }
      }
      if (addrs.length) return { ok: true, canonname: canon ?? name, addrs: family === 0 ? rfc3484Sort(ctx, addrs) : addrs };
      last = codes.includes('TRY_AGAIN') ? 'TRY_AGAIN' : codes.includes('NO_DATA') ? 'NO_DATA' : codes.includes('NO_RECOVERY') ? 'NO_RECOVERY' : 'HOST_NOT_FOUND';
    }
  }
  return fail(herrnoToGai(last));
}

/** The IPv4 address an IPv6 hosts-file line stands for in an IPv4 lookup: ::1 is 127.0.0.1, ::ffff:a.b.c.d is a.b.c.d. */
function v6AsV4(addr: string): string | null {
  const c = canonV6(addr);
  if (c === '::1') return '127.0.0.1';
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
  return m ? m[1]! : null;
}

/**
 * glibc 2.36 default_precedence (RFC 3484, no /etc/gai.conf entries): ::1 50, 2002::/16 30, ::/96 20,
 * ::ffff:0:0/96 (every IPv4 address) 10, everything else 40 (ULA and Teredo included).
 */
function precedence(a: AddrInfo): number {
  if (a.family === 4) return 10;
  const c = canonV6(a.addr);
  if (c === '::1') return 50;
  if (/^2002:/i.test(c)) return 30;
  if (/^::ffff:/i.test(c)) return 10;
  if (/^::(\d+\.\d+\.\d+\.\d+|[0-9a-f]{0,4}(:[0-9a-f]{0,4})?)$/i.test(c) && c !== '::') return 20;
  return 40;
}

/** glibc 2.36 default_labels: ::1 0, 2002::/16 2, ::/96 3, IPv4 4, fec0::/10 5, fc00::/7 6, 2001::/32 7, else 1. */
function label(family: 4 | 6, addr: string): number {
  if (family === 4) return 4;
  const c = canonV6(addr);
  if (c === '::1') return 0;
  if (/^::ffff:/i.test(c)) return 4;
  if (/^2002:/i.test(c)) return 2;
  if (/^fe[c-f]/i.test(c)) return 5;
  if (/^f[cd]/i.test(c)) return 6;
  if (/^2001:0*:/i.test(c) || /^2001::/i.test(c)) return 7;
  if (/^::(\d+\.\d+\.\d+\.\d+|[0-9a-f]{0,4}(:[0-9a-f]{0,4})?)$/i.test(c) && c !== '::') return 3;
  return 1;
}

/**
 * RFC 3484 destination ordering as glibc's rfc3484_sort: usable first (rule 1: a route and a source address),
 * then a source whose label matches the destination's (rule 5), then precedence (rule 6), then the order
 * found (stable).
 */
function rfc3484Sort(ctx: ResolverCtx, addrs: AddrInfo[]): AddrInfo[] {
  const source = (a: AddrInfo): string | null => {
    try {
      return routeGet(ctx.world, ctx.ns, a.addr).prefsrc ?? '';
    } catch {
      return null;
    }
  };
  return addrs
    .map((a, i) => {
      const src = source(a);
      const u = src !== null;
      const m = u && src !== '' ? label(a.family, src) === label(a.family, a.addr) : false;
      return { a, i, u, m, p: precedence(a) };
    })
    .sort((x, y) => (x.u !== y.u ? (x.u ? -1 : 1) : x.m !== y.m ? (x.m ? -1 : 1) : x.p !== y.p ? y.p - x.p : x.i - y.i))
    .map((x) => x.a);
}

/** gethostbyaddr / getnameinfo(NI_NAMEREQD): files, then a DNS PTR query. Null when nothing names the address. */
export function reverseLookup(ctx: ResolverCtx, addr: string): string | null {
  const a = isV6(addr) ? canonV6(addr) : addr;
  for (const src of nsswitchHosts(ctx)) {
    if (src === 'files') {
      const e = parseHostsFile(ctx.readFile('/etc/hosts')).find((x) => x.addr === a);
      if (e) return e.names[0] ?? '';
    } else if (src === 'dns') {
      const rc = parseResolvConf(ctx.readFile('/etc/resolv.conf'), ctx.hostname);
      const r = resQuery(ctx, rc, reverseName(a), 'PTR');
      if (r.ok && r.msg) {
        const ptr = r.msg.answer.find((x) => x.type === 'PTR');
        if (ptr) return stripDot(ptr.data);
      }
    }
  }
  return null;
}

/**
 * getnameinfo(3) of glibc for the host part of an address: files, then a DNS
 * PTR query. A name, or an error: EAI_AGAIN when the lookup could not be
 * completed (no server answered, or every one answered SERVFAIL/REFUSED:
 * h_errno TRY_AGAIN), EAI_NONAME when the address has no name. Without
 * NI_NAMEREQD, EAI_NONAME becomes the numeric address (the fallback), but
 * EAI_AGAIN does not: iputils ping then prints the bare address where a
 * numeric fallback would give "10.0.0.1 (10.0.0.1)".
 */
export function getnameinfo(ctx: ResolverCtx, addr: string, o: { nameReqd?: boolean } = {}): { ok: true; name: string } | { ok: false; error: 'EAI_AGAIN' | 'EAI_NONAME' } {
  const a = isV6(addr) ? canonV6(addr) : addr;
  let again = false;
  for (const src of nsswitchHosts(ctx)) {
    if (src === 'files') {
      const e = parseHostsFile(ctx.readFile('/etc/hosts')).find((x) => x.addr === a);
      if (e && e.names.length) return { ok: true, name: e.names[0]! };
    } else if (src === 'dns') {
      const rc = parseResolvConf(ctx.readFile('/etc/resolv.conf'), ctx.hostname);
      const r = resQuery(ctx, rc, reverseName(a), 'PTR');
      const ptr = r.ok && r.msg ? r.msg.answer.find((x) => x.type === 'PTR') : undefined;
      if (ptr) return { ok: true, name: stripDot(ptr.data) };
      again = r.herrno === 'TRY_AGAIN';
    }
  }
  if (again) return { ok: false, error: 'EAI_AGAIN' };
  return o.nameReqd ? { ok: false, error: 'EAI_NONAME' } : { ok: true, name: a };
}

/** A resolver context for a command (its namespace and file view). */
export function resolverCtx(sys: { world: World; ns: NsId; host: string; readFile(path: string): string | null }): ResolverCtx {
  return { world: sys.world, ns: sys.ns, readFile: (p) => sys.readFile(p), hostname: sys.world.host(sys.host).hostname };
}

/** Convenience for other tools (ping, traceroute, nc, curl): resolve a host name or address to one IPv4 (or IPv6) address. */
export function resolveHost(sys: { world: World; ns: NsId; host: string; readFile(path: string): string | null }, name: string, family: 0 | 4 | 6 = 0): GaiResult {
  return getaddrinfo(resolverCtx(sys), name, { family });
}

