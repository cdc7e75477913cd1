// What dig, host and nslookup share (BIND 9.18's dighost.c and the text
// renderers of libdns): the server list from /etc/resolv.conf, the search
// list, retries and timeouts, the communication errors, and the master-file
// style text of messages (tab columns, OPT pseudosection, sections).
import type { Sys } from './types';
import type { World } from '../sim/world';
import { RCODES, EDE_TEXT, canonV6, isV4, isV6, lc, makeQuery, messageSize, reverseName, sameName, stripDot, NXDOMAIN, SERVFAIL } from '../sim/dns';
import type { DnsMessage, DnsOpt, DnsQuestion, DnsRR } from '../sim/dns';
import { getaddrinfo, parseResolvConf, queryId, resolverCtx, sendQuery } from '../sim/resolver';
import { isLocalAddress } from '../sim/sockets';

export const BIND_VERSION = '9.18.49-1~deb12u3-Debian';

export const DIG_HELP: string = "Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}\n            {global-d-opt} host [@local-server] {local-d-opt}\n            [ host [@local-server] {local-d-opt} [...]]\nWhere:  domain\t  is in the Domain Name System\n        q-class  is one of (in,hs,ch,...) [default: in]\n        q-type   is one of (a,any,mx,ns,soa,hinfo,axfr,txt,...) [default:a]\n                 (Use ixfr=version for type ixfr)\n        q-opt    is one of:\n                 -4                  (use IPv4 query transport only)\n                 -6                  (use IPv6 query transport only)\n                 -b address[#port]   (bind to source address/port)\n                 -c class            (specify query class)\n                 -f filename         (batch mode)\n                 -k keyfile          (specify tsig key file)\n                 -m                  (enable memory usage debugging)\n                 -p port             (specify port number)\n                 -q name             (specify query name)\n                 -r                  (do not read ~/.digrc)\n                 -t type             (specify query type)\n                 -u                  (display times in usec instead of msec)\n                 -x dot-notation     (shortcut for reverse lookups)\n                 -y [hmac:]name:key  (specify named base64 tsig key)\n        d-opt    is of the form +keyword[=value], where keyword is:\n                 +[no]aaflag         (Set AA flag in query (+[no]aaflag))\n                 +[no]aaonly         (Set AA flag in query (+[no]aaflag))\n                 +[no]additional     (Control display of additional section)\n                 +[no]adflag         (Set AD flag in query (default on))\n                 +[no]all            (Set or clear all display flags)\n                 +[no]answer         (Control display of answer section)\n                 +[no]authority      (Control display of authority section)\n                 +[no]badcookie      (Retry BADCOOKIE responses)\n                 +[no]besteffort     (Try to parse even illegal messages)\n                 +bufsize[=###]      (Set EDNS0 Max UDP packet size)\n                 +[no]cdflag         (Set checking disabled flag in query)\n                 +[no]class          (Control display of class in records)\n                 +[no]cmd            (Control display of command line -\n                                      global option)\n                 +[no]coflag         (Set compact denial of existence ok flag)\n                                      in query)\n                 +[no]comments       (Control display of packet header\n                                      and section name comments)\n                 +[no]cookie         (Add a COOKIE option to the request)\n                 +[no]crypto         (Control display of cryptographic\n                                      fields in records)\n                 +[no]defname        (Use search list (+[no]search))\n                 +[no]dns64prefix    (Get the DNS64 prefixes from ipv4only.arpa)\n                 +[no]dnssec         (Request DNSSEC records)\n                 +domain=###         (Set default domainname)\n                 +[no]edns[=###]     (Set EDNS version) [0]\n                 +ednsflags=###      (Set undefined EDNS flag bits)\n                 +[no]ednsnegotiation (Set EDNS version negotiation)\n                 +ednsopt=###[:value] (Send specified EDNS option)\n                 +noednsopt          (Clear list of +ednsopt options)\n                 +[no]expandaaaa     (Expand AAAA records)\n                 +[no]expire         (Request time to expire)\n                 +[no]fail           (Don't try next server on SERVFAIL)\n                 +[no]header-only    (Send query without a question section)\n                 +[no]https[=###]    (DNS-over-HTTPS mode) [/]\n                 +[no]https-get      (Use GET instead of default POST method\n                                      while using HTTPS)\n                 +[no]http-plain[=###] (DNS over plain HTTP mode) [/]\n                 +[no]http-plain-get (Use GET instead of default POST method\n                                      while using plain HTTP)\n                 +[no]identify       (ID responders in short answers)\n                 +[no]idnin          (Parse IDN names [default=on on tty])\n                 +[no]idnout         (Convert IDN response [default=on on tty])\n                 +[no]ignore         (Don't revert to TCP for TC responses.)\n                 +[no]keepalive      (Request EDNS TCP keepalive)\n                 +[no]keepopen       (Keep the TCP socket open between queries)\n                 +[no]multiline      (Print records in an expanded format)\n                 +ndots=###          (Set search NDOTS value)\n                 +[no]nsid           (Request Name Server ID)\n                 +[no]nssearch       (Search all authoritative nameservers)\n                 +[no]onesoa         (AXFR prints only one soa record)\n                 +[no]opcode=###     (Set the opcode of the request)\n                 +padding=###        (Set padding block size [0])\n                 +qid=###            (Specify the query ID to use when sending\n                                      queries)\n                 +[no]qr             (Print question before sending)\n                 +[no]question       (Control display of question section)\n                 +[no]raflag         (Set RA flag in query (+[no]raflag))\n                 +[no]rdflag         (Recursive mode (+[no]recurse))\n                 +[no]recurse        (Recursive mode (+[no]rdflag))\n                 +retry=###          (Set number of UDP retries) [2]\n                 +[no]rrcomments     (Control display of per-record comments)\n                 +[no]search         (Set whether to use searchlist)\n                 +[no]short          (Display nothing except short\n                                      form of answers - global option)\n                 +[no]showbadcookie  (Show BADCOOKIE message)\n                 +[no]showsearch     (Search with intermediate results)\n                 +[no]split=##       (Split hex/base64 fields into chunks)\n                 +[no]stats          (Control display of statistics)\n                 +subnet=addr        (Set edns-client-subnet option)\n                 +[no]tcflag         (Set TC flag in query (+[no]tcflag))\n                 +[no]tcp            (TCP mode (+[no]vc))\n                 +timeout=###        (Set query timeout) [5]\n                 +[no]tls            (DNS-over-TLS mode)\n                 +[no]tls-ca[=file]  (Enable remote server's TLS certificate\n                                      validation)\n                 +[no]tls-hostname=hostname (Explicitly set the expected TLS\n                                      hostname)\n                 +[no]tls-certfile=file (Load client TLS certificate chain from\n                                      file)\n                 +[no]tls-keyfile=file (Load client TLS private key from file)\n                 +[no]trace          (Trace delegation down from root [implies\n                                      +dnssec])\n                 +tries=###          (Set number of UDP attempts) [3]\n                 +[no]ttlid          (Control display of ttls in records)\n                 +[no]ttlunits       (Display TTLs in human-readable units)\n                 +[no]unknownformat  (Print RDATA in RFC 3597 \"unknown\" format)\n                 +[no]vc             (TCP mode (+[no]tcp))\n                 +[no]yaml           (Present the results as YAML)\n                 +[no]zflag          (Set Z flag in query)\n        global d-opts and servers (before host name) affect all queries.\n        local d-opts and servers (after host name) affect only that lookup.\n        -h                           (print help and exit)\n        -v                           (print version and exit)\n";

export const DIG_USAGE =
  'Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}\n' +
  '            {global-d-opt} host [@local-server] {local-d-opt}\n' +
  '            [ host [@local-server] {local-d-opt} [...]]\n';

// ------------------------------------------------------------------ text rendering

/** A name as BIND prints it: absolute, with its trailing dot ("." for the root). */
export function nameText(name: string): string {
  const n = stripDot(name);
  return n === '' ? '.' : n + '.';
}

/** dns_name_format(): without the trailing dot (the root is "."). */
export function nameFormat(name: string): string {
  const n = stripDot(name);
  return n === '' ? '.' : n;
}

export interface Style {
  ttlCol: number;
  classCol: number;
  typeCol: number;
  rdataCol: number;
  noTtl: boolean;
  noClass: boolean;
  /** +ttlunits: TTLs as dns_ttl_totext() ("2m", "1h30m") */
  ttlUnits?: boolean;
}

/** dig's default style (+ttlid +class): columns 24, 32, 40, 48 with 8-wide tabs; +multiline: only the TTL column. */
export function digStyle(noTtl = false, noClass = false, o: { ttlUnits?: boolean; multiline?: boolean } = {}): Style {
  const extra = { ...(o.ttlUnits ? { ttlUnits: true } : {}) };
  if (o.multiline) return { ttlCol: 24, classCol: 0, typeCol: 0, rdataCol: 0, noTtl, noClass, ...extra };
  if (noTtl && noClass) return { ttlCol: 24, classCol: 24, typeCol: 24, rdataCol: 32, noTtl, noClass, ...extra };
  if (noTtl || noClass) return { ttlCol: 24, classCol: 24, typeCol: 32, rdataCol: 40, noTtl, noClass, ...extra };
  return { ttlCol: 24, classCol: 32, typeCol: 40, rdataCol: 48, noTtl, noClass, ...extra };
}

/** dns_ttl_totext(ttl, verbose=false): weeks, days, hours, minutes, seconds, each if not zero ("0s" for 0). */
export function ttlUnitsText(ttl: number): string {
  const parts: [number, string][] = [
    [Math.floor(ttl / 604800), 'w'],
    [Math.floor((ttl % 604800) / 86400), 'd'],
    [Math.floor((ttl % 86400) / 3600), 'h'],
    [Math.floor((ttl % 3600) / 60), 'm'],
  ];
  let out = parts.filter(([n]) => n).map(([n, u]) => `${n}${u}`).join('');
  const secs = ttl % 60;
  if (secs || !out) out += `${secs}s`;
  return out;
}

/** masterdump.c indent(): tabs to the column, at least one character of separation. */
function indent(cur: number, to: number): { text: string; col: number } {
  const tab = 8;
  if (to < cur + 1) to = cur + 1;
  let ntabs = Math.floor(to / tab) - Math.floor(cur / tab);
  if (ntabs < 0) ntabs = 0;
  let text = '';
  let from = cur;
  if (ntabs > 0) {
    text += '\t'.repeat(ntabs);
    from = Math.floor(to / tab) * tab;
  }
  text += ' '.repeat(Math.max(0, to - from));
  return { text, col: to };
}

/** One resource record line (without newline). */
export function rrText(rr: DnsRR, st: Style): string {
  let out = nameText(rr.name);
  let col = out.length;
  if (!st.noTtl) {
    const i = indent(col, st.ttlCol);
    const ttl = st.ttlUnits ? ttlUnitsText(rr.ttl) : String(rr.ttl);
    out += i.text + ttl;
    col = i.col + ttl.length;
  }
  if (!st.noClass) {
    const i = indent(col, st.classCol);
    out += i.text + rr.cls;
    col = i.col + rr.cls.length;
  }
  const i = indent(col, st.typeCol);
  out += i.text + rr.type;
  col = i.col + rr.type.length;
  const j = indent(col, st.rdataCol);
  return out + j.text + rdataText(rr);
}

/** A question line without the leading ";" (the caller adds it). */
export function questionText(q: DnsQuestion, st: Style): string {
  let out = nameText(q.name);
  let col = out.length;
  if (!st.noClass) {
    const i = indent(col, st.classCol);
    out += i.text + q.cls;
    col = i.col + q.cls.length;
  }
  const i = indent(col, st.typeCol);
  return out + i.text + q.type;
}

export function rdataText(rr: DnsRR): string {
  if (rr.type === 'AAAA') return canonV6(rr.data);
  return rr.data;
}

/** Records of a section grouped as libdns keeps them: by owner name, then by type, in order of first appearance. */
export function groupRRs(rrs: DnsRR[]): DnsRR[] {
  const out: DnsRR[] = [];
  const names: string[] = [];
  for (const r of rrs) if (!names.includes(lc(r.name))) names.push(lc(r.name));
  for (const n of names) {
    const here = rrs.filter((r) => lc(r.name) === n);
    const types: string[] = [];
    for (const r of here) if (!types.includes(r.type)) types.push(r.type);
    for (const t of types) out.push(...here.filter((r) => r.type === t));
  }
  return out;
}

export function optText(opt: DnsOpt, comments: boolean): string {
  let out = comments ? ';; OPT PSEUDOSECTION:\n' : '';
  out += `; EDNS: version: ${opt.version}, flags:${opt.do ? ' do' : ''}; udp: ${opt.udp}\n`;
  if (opt.nsid !== null && opt.nsid !== '') {
    const bytes = [...new TextEncoder().encode(opt.nsid)];
    out += `; NSID: ${bytes.map((b) => b.toString(16).padStart(2, '0') + ' ').join('')}("${bytes.map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('')}")\n`;
  }
  if (opt.cookie) out += `; COOKIE: ${opt.cookie}${opt.cookie.length >= 32 ? ' (good)' : ' (echoed)'}\n`;
  for (const e of opt.ede) {
    out += `; EDE: ${e.code}${EDE_TEXT[e.code] !== undefined ? ` (${EDE_TEXT[e.code]})` : ''}`;
    if (e.text) out += `: (${e.text})`;
    out += '\n';
  }
  return out;
}

export function rcodeText(rcode: number): string {
  return RCODES[rcode] ?? `RESERVED${rcode}`;
}

export const OPCODES = ['QUERY', 'IQUERY', 'STATUS', 'RESERVED3', 'NOTIFY', 'UPDATE', 'RESERVED6', 'RESERVED7', 'RESERVED8', 'RESERVED9', 'RESERVED10', 'RESERVED11', 'RESERVED12', 'RESERVED13', 'RESERVED14', 'RESERVED15'];

/** "192.168.15.10#53" / "fd00::1#53" as isc_sockaddr_format prints. */
export function sockaddrText(addr: string, port: number): string {
  return `${isV6(addr) ? canonV6(addr) : addr}#${port}`;
}

/** get_reverse(): the reverse name of an address; non-strict mode also reverses partial dotted quads (dig -x 10.1). */
export function getReverse(value: string, strict: boolean): string | null {
  if (isV6(value)) return reverseName(value);
  if (isV4(value)) return reverseName(value);
  if (strict) return null;
  // get_reverse() without strict: "assume IPv4" and reverse the labels blindly
  // (RFC 2317 names...): dig -x 300.1.1.1 asks 1.1.1.300.in-addr.arpa, -x abc abc.in-addr.arpa
  const name = value.replace(/\.$/, '').split('.').reverse().join('.') + '.in-addr.arpa';
  return name.length > 253 ? null : name;
}

// ------------------------------------------------------------------ the dighost engine

export interface Server {
  addr: string;
  /** how the user named it (the SERVER line prints it in parentheses) */
  userarg: string;
}

export interface LookupSpec {
  /** the name as given (relative unless it ends with a dot) */
  textname: string;
  /** dig -b: the address the query socket is bound to */
  bindAddr?: string;
  qtype: string;
  qclass: string;
  recurse: boolean;
  adflag: boolean;
  cdflag: boolean;
  aaflag: boolean;
  /** EDNS version 0 with this UDP size, or null (+noedns) */
  edns: number | null;
  dnssec: boolean;
  cookie: boolean;
  nsid: boolean;
  tcp: boolean;
  /** total attempts per server (+tries) */
  tries: number;
  /** seconds */
  timeout: number;
  useSearch: boolean;
  ndots: number;
  search: string[];
  port: number;
  /** host/nslookup: a SERVFAIL moves on to the next server */
  servfailStops: boolean;
  /** host/nslookup without an explicit server: a reply without RA moves on to the next server */
  checkRa: boolean;
  /** print every NXDOMAIN of the search walk (+showsearch) */
  showSearch: boolean;
}

/** What host and nslookup always send (no header flags, no EDNS): dighost's defaults that only dig's options change */
export const PLAIN_QUERY = { adflag: false, cdflag: false, aaflag: false, edns: null, dnssec: false, cookie: false, nsid: false } as const satisfies Partial<LookupSpec>;

export interface ReplyEvent {
  query: DnsMessage;
  reply: DnsMessage;
  server: Server;
  rttMs: number;
  /** absolute name queried (no trailing dot) */
  qname: string;
  /** wall time of the reply (ms since the epoch) */
  when: number;
}

export interface LookupHooks {
  /** text the engine prints to stdout (warnings, comments) */
  out(text: string): void;
  /** a reply to show */
  reply(ev: ReplyEvent): void;
  /** a name of the search walk is about to be queried (host -v prints `Trying "NAME"`) */
  trying?(name: string): void;
  /** every reply received, the search walk's NXDOMAINs included (host -v's "Received N bytes" lines) */
  received?(ev: ReplyEvent): void;
  /** no server answered; `afterSetupFailure`: the last try failed at socket setup (dig then does not repeat its greeting) */
  noServers(afterSetupFailure: boolean): void;
}

/** Wall clock of the simulated world: the capture date plus the simulated time. */
export const EPOCH_MS = Date.UTC(2026, 10, 26, 15, 0, 0);

export function wallClock(world: World): number {
  return EPOCH_MS + world.now();
}

/** strftime "%a %b %d %H:%M:%S %Z %Y" in UTC. */
export function whenText(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

export interface ResConf {
  servers: Server[];
  search: string[];
  ndots: number;
  timeout: number;
  attempts: number;
}

/** irs_resconf as dighost reads /etc/resolv.conf (no nameserver: ::1 and 127.0.0.1). */
export function bindResConf(sys: Sys): ResConf {
  const text = sys.readFile('/etc/resolv.conf');
  const rc = parseResolvConf(text, '');
  const explicit = (text ?? '').split('\n').some((l) => /^\s*nameserver\s+\S/.test(l) && rc.nameservers.length > 0);
  const servers = explicit ? rc.nameservers.map((a) => ({ addr: a, userarg: a })) : [{ addr: '::1', userarg: '::1' }, { addr: '127.0.0.1', userarg: '127.0.0.1' }];
  const attempts = /options[^\n]*attempts:/.test(text ?? '') ? rc.attempts : 3;
  const timeout = /options[^\n]*timeout:/.test(text ?? '') ? rc.timeout : 5;
  return { servers, search: rc.search.slice(), ndots: rc.ndots, timeout, attempts };
}

/** getaddresses(): a server given by address or by name (resolved by the system resolver). */
export function serverAddresses(sys: Sys, arg: string): { servers: Server[]; error: string | null } {
  const bare = arg.replace(/^\[(.*)\]$/, '$1');
  if (isV4(bare) || isV6(bare)) return { servers: [{ addr: isV6(bare) ? canonV6(bare) : bare, userarg: arg }], error: null };
  const r = getaddrinfo(resolverCtx(sys), arg);
  if (!r.ok) return { servers: [], error: r.error === 'EAI_AGAIN' ? 'failure' : 'not found' };
  return { servers: r.addrs.map((a) => ({ addr: a.addr, userarg: arg })), error: null };
}

function errText(kind: string, errno?: string): string {
  if (kind === 'timeout') return 'timed out';
  if (kind === 'refused') return 'connection refused';
  switch (errno) {
    case 'ENETUNREACH':
      return 'network unreachable';
    case 'EHOSTUNREACH':
      return 'host unreachable';
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return 'failure';
  }
}

/**
 * Run one lookup as dighost does: the search walk (NXDOMAIN moves to the
 * next origin), each server in turn with `tries` attempts, communication
 * errors printed as they happen. Returns false when no server answered.
 */
export function runLookup(sys: Sys, spec: LookupSpec, servers: Server[], hooks: LookupHooks): boolean {
  const world = sys.world;
  // the candidate names, in dighost's order
  const text = spec.textname;
  const absolute = text.endsWith('.') && text !== '.' ? true : text === '.';
  const dots = (text.match(/\./g) ?? []).length;
  const names: string[] = [];
  if (absolute || !spec.useSearch) names.push(stripDot(text));
  else {
    const asIsFirst = dots >= spec.ndots;
    const labels = stripDot(text).split('.').length;
    if (asIsFirst) {
      names.push(stripDot(text));
      if (labels <= spec.ndots) for (const s of spec.search) names.push(`${stripDot(text)}.${stripDot(s)}`);
    } else {
      for (const s of spec.search) names.push(`${stripDot(text)}.${stripDot(s)}`);
      names.push(stripDot(text));
    }
  }
  // the lookup's retry budget is shared by its servers (dighost: l->retries), and survives the search walk
  let retries = Math.max(1, spec.tries);
  for (let ni = 0; ni < names.length; ni++) {
    const qname = names[ni]!;
    const last = ni === names.length - 1;
    let reply: ReplyEvent | null = null;
    let si = 0;
    // after a failed try: the same server while the lookup's retries last (from the first server again when
    // `restart`), then the next server; false when none is left
    const tryAgain = (moreServers: boolean, restart = false): boolean => {
      if (retries > 1) {
        retries--;
        if (restart) si = 0;
        return true;
      }
      if (moreServers) si++;
      return moreServers;
    };
    hooks.trying?.(qname === '' ? '.' : qname);
    for (;;) {
      const server = servers[si]!;
      const q = makeQuery(queryId(world), qname, spec.qtype, {
        rd: spec.recurse,
        ad: spec.adflag,
        cd: spec.cdflag,
        cls: spec.qclass,
        edns: spec.edns === null ? null : { udp: spec.edns, do: spec.dnssec, cookie: spec.cookie ? cookieHex(world) : null, nsid: spec.nsid },
      });
      q.aa = spec.aaflag;
      q.size = messageSize(q, true);
      const moreServers = si + 1 < servers.length;
      if (spec.bindAddr && !isLocalAddress(world.ns(sys.ns), spec.bindAddr)) {
        // bind() fails (EADDRNOTAVAIL) while setting up the query: each try ends the lookup's server list
        hooks.out(`;; UDP setup with ${sockaddrText(server.addr, spec.port)}(${server.userarg}) for ${spec.textname} failed: address not available.\n`);
        if (!moreServers) hooks.out(';; no servers could be reached\n');
        if (tryAgain(moreServers)) continue;
        return false;
      }
      const r = sendQuery(world, sys.ns, server.addr, spec.port, q, { timeoutMs: spec.timeout * 1000, tcp: spec.tcp });
      if (r.kind === 'reply') {
        // host/nslookup move on after a SERVFAIL, or a reply without recursion when they asked for it
        if (moreServers && ((r.msg.rcode === SERVFAIL && !spec.servfailStops) || (spec.checkRa && !r.msg.ra && spec.recurse))) {
          si++;
          continue;
        }
        reply = { query: q, reply: r.msg, server, rttMs: Math.floor(r.rttMs), qname, when: wallClock(world) };
        hooks.received?.(reply);
        break;
      }
      // connect() of the UDP socket fails at once without a route (the lookup restarts from the first server);
      // other errors come back on the socket (the same server is tried again)
      const setupFailure = r.kind === 'error' && r.errno === 'ENETUNREACH';
      if (spec.tcp && r.kind !== 'timeout') {
        // dighost.c tcp_connected(): a failed connect ends that query with its own lines (no banner), each try
        // ending in "no servers could be reached" when no other server is left
        hooks.out(`;; Connection to ${sockaddrText(server.addr, spec.port)}(${server.userarg}) for ${spec.textname} failed: ${errText(r.kind, r.kind === 'error' ? r.errno : undefined)}.\n`);
        if (!moreServers) hooks.out(';; no servers could be reached\n');
        if (tryAgain(moreServers)) continue;
        return false;
      }
      if (setupFailure) {
        hooks.out(`;; UDP setup with ${sockaddrText(server.addr, spec.port)}(${server.userarg}) for ${spec.textname} failed: ${errText('error', r.errno)}.\n`);
      } else {
        hooks.out(`;; communications error to ${sockaddrText(server.addr, spec.port)}: ${errText(r.kind, r.kind === 'error' ? r.errno : undefined)}\n`);
      }
      if (tryAgain(moreServers, setupFailure)) continue;
      hooks.noServers(setupFailure);
      return false;
    }
    if (reply.reply.rcode === NXDOMAIN && !last) {
      if (spec.showSearch) hooks.reply(reply);
      continue;
    }
    hooks.reply(reply);
    return true;
  }
  return true;
}

function cookieHex(world: World): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += Math.floor(world.random() * 256).toString(16).padStart(2, '0');
  return s;
}

/** The name an answer's CNAME chain leads to from `name` (the name itself without a CNAME). */
export function chase(msg: DnsMessage, name: string): string {
  let cur = name;
  for (let i = 0; i < msg.answer.length; i++) {
    const cn = msg.answer.find((r) => r.type === 'CNAME' && sameName(r.name, cur));
    if (!cn) break;
    cur = stripDot(cn.data);
  }
  return cur;
}
