// dnsmasq 2.90's command line (GNU getopt_long over its option table) and
// the files it reads at start (/etc/hosts, --addn-hosts, /etc/resolv.conf),
// turned into the typed DnsServerConfig that the kernel's DNS server process
// (src/sim/dns.ts startDnsServer) runs with.
import { table } from '../sim/own';
import { canonV6, isV4, isV6, lc, quoteTxt, readFileInNs, reverseName, stripDot } from '../sim/dns';
import type { DnsRecord, DnsServerConfig, HostId, NsId } from '../sim/types';
import type { World } from '../sim/world';

export interface DnsmasqParse {
  config: DnsServerConfig;
  /** --keep-in-foreground / --no-daemon */
  foreground: boolean;
  /** --bind-interfaces */
  bindInterfaces: boolean;
  /** --interface names */
  interfaces: string[];
  /** read /etc/resolv.conf for upstreams (no --no-resolv) */
  readResolv: boolean;
  /** additional hosts files (--addn-hosts) */
  addnHosts: string[];
  expandHosts: boolean;
  domain: string | null;
  /** --cname entries in order (resolved against local data when answering) */
  error: string | null;
  version: boolean;
  help: boolean;
  testOnly: boolean;
}

type OptArg = 'none' | 'req' | 'opt';
/** dnsmasq 2.90 long options (subset: DNS-related ones parsed, the others accepted and ignored) with their short letters. */
const DNSMASQ_OPTS: Record<string, { arg: OptArg; short?: string }> = table({
  'no-hosts': { arg: 'none', short: 'h' },
  'no-resolv': { arg: 'none', short: 'R' },
  'no-poll': { arg: 'none', short: 'n' },
  'bind-interfaces': { arg: 'none', short: 'z' },
  'bind-dynamic': { arg: 'none' },
  'listen-address': { arg: 'req', short: 'a' },
  interface: { arg: 'req', short: 'i' },
  'except-interface': { arg: 'req', short: 'I' },
  'no-dhcp-interface': { arg: 'req', short: '2' },
  address: { arg: 'req', short: 'A' },
  server: { arg: 'req', short: 'S' },
  local: { arg: 'req' },
  'rev-server': { arg: 'req' },
  'host-record': { arg: 'req' },
  cname: { arg: 'req' },
  'mx-host': { arg: 'req', short: 'm' },
  'mx-target': { arg: 'req', short: 't' },
  'txt-record': { arg: 'req', short: 'Y' },
  'ptr-record': { arg: 'req' },
  'srv-host': { arg: 'req', short: 'W' },
  'naptr-record': { arg: 'req' },
  'caa-record': { arg: 'req' },
  'dns-rr': { arg: 'req' },
  'interface-name': { arg: 'req' },
  'local-ttl': { arg: 'req', short: 'T' },
  'neg-ttl': { arg: 'req' },
  'max-ttl': { arg: 'req' },
  'max-cache-ttl': { arg: 'req' },
  'min-cache-ttl': { arg: 'req' },
  'auth-ttl': { arg: 'req' },
  domain: { arg: 'req', short: 's' },
  'expand-hosts': { arg: 'none', short: 'E' },
  'addn-hosts': { arg: 'req', short: 'H' },
  'hostsdir': { arg: 'req' },
  'domain-needed': { arg: 'none', short: 'D' },
  'bogus-priv': { arg: 'none', short: 'b' },
  'keep-in-foreground': { arg: 'none', short: 'k' },
  'no-daemon': { arg: 'none', short: 'd' },
  'conf-file': { arg: 'opt', short: 'C' },
  'conf-dir': { arg: 'req', short: '7' },
  user: { arg: 'opt', short: 'u' },
  group: { arg: 'opt', short: 'g' },
  port: { arg: 'req', short: 'p' },
  'log-facility': { arg: 'req', short: '8' },
  'log-queries': { arg: 'opt', short: 'q' },
  'log-dhcp': { arg: 'none' },
  'log-async': { arg: 'opt' },
  'pid-file': { arg: 'opt', short: 'x' },
  'cache-size': { arg: 'req', short: 'c' },
  'no-negcache': { arg: 'none', short: 'N' },
  'strict-order': { arg: 'none', short: 'o' },
  'all-servers': { arg: 'none' },
  'resolv-file': { arg: 'opt', short: 'r' },
  'localise-queries': { arg: 'none', short: 'y' },
  'filterwin2k': { arg: 'none', short: 'f' },
  'stop-dns-rebind': { arg: 'none' },
  'edns-packet-max': { arg: 'req', short: 'P' },
  'query-port': { arg: 'req', short: 'Q' },
  'dhcp-range': { arg: 'req', short: 'F' },
  'dhcp-host': { arg: 'req', short: 'G' },
  'dhcp-option': { arg: 'req', short: 'O' },
  'dhcp-leasefile': { arg: 'req', short: 'l' },
  'dhcp-authoritative': { arg: 'none', short: 'K' },
  'enable-ra': { arg: 'none' },
  'no-ping': { arg: 'none' },
  'leasefile-ro': { arg: 'none' },
  'selfmx': { arg: 'none', short: 'e' },
  'localmx': { arg: 'none', short: 'L' },
  'test': { arg: 'none' },
  'version': { arg: 'none', short: 'v' },
  'help': { arg: 'opt', short: 'w' },
  'filter-AAAA': { arg: 'none' },
  'filter-A': { arg: 'none' },
});

function splitCommas(s: string): string[] {
  return s.split(',').map((x) => x.trim());
}

/** Parser state: the result plus the records that are assembled after the whole line is read. */
interface ParseState {
  r: DnsmasqParse;
  c: DnsServerConfig;
  cnames: { names: string[]; target: string; ttl: number | null }[];
  hostRecords: { names: string[]; addrs: string[]; ttl: number | null }[];
  mx: { name: string; target: string; pref: number }[];
}

/** One option's effect; a string is dnsmasq's complaint (the first one wins). */
type Handler = (st: ParseState, val: string) => string | void;

function listenAddress(st: ParseState, val: string): string | void {
  for (const a of splitCommas(val)) {
    if (!isV4(a) && !isV6(a)) return 'bad address';
    st.c.listen!.push(isV6(a) ? canonV6(a) : a);
  }
}

function addressRule(st: ParseState, val: string): string | void {
  const m = /^\/(.*)\/([^/]*)$/.exec(val);
  if (!m) return 'bad address';
  const addr = m[2] === '' ? null : m[2] === '#' ? '#' : m[2]!;
  if (addr !== null && addr !== '#' && !isV4(addr) && !isV6(addr)) return 'bad address';
  for (const d of m[1]!.split('/')) st.c.addressRules!.push({ domain: lc(d === '#' ? '' : d), addr: addr && isV6(addr) ? canonV6(addr) : addr });
}

function serverRule(st: ParseState, v: string): void {
  const m = /^\/(.*)\/([^/]*)$/.exec(v);
  if (m) {
    const target = m[2]!;
    for (const d of m[1]!.split('/')) {
      if (target === '' || target === '#') {
        // `//` (no domain) is dnsmasq's "unqualified names", `/#/` every name
        if (target === '' && d === '' && m[1] === '') st.c.localUnqualified = true;
        else if (target === '') st.c.localDomains.push(lc(d === '#' ? '' : d));
      } else st.c.forwarders.push(`/${lc(d)}/${target.split('#')[0]}`);
    }
  } else if (v !== '') st.c.forwarders.push(v.split('#')[0]!);
}

function hostRecord(st: ParseState, val: string): string | void {
  const names: string[] = [];
  const addrs: string[] = [];
  let ttl: number | null = null;
  for (const p of splitCommas(val)) {
    if (isV4(p)) addrs.push(p);
    else if (isV6(p)) addrs.push(canonV6(p));
    else if (/^\d+$/.test(p) && names.length > 0) ttl = Number(p);
    else if (p !== '') names.push(stripDot(p));
  }
  if (names.length === 0 || addrs.length === 0) return 'bad hostname';
  st.hostRecords.push({ names, addrs, ttl });
}

function cname(st: ParseState, val: string): string | void {
  const parts = splitCommas(val);
  let ttl: number | null = null;
  if (parts.length >= 3 && /^\d+$/.test(parts[parts.length - 1]!)) ttl = Number(parts.pop());
  if (parts.length < 2) return 'bad CNAME';
  const target = stripDot(parts.pop()!);
  st.cnames.push({ names: parts.map(stripDot), target, ttl });
}

function mxHost(st: ParseState, val: string): string | void {
  const parts = splitCommas(val);
  const name = stripDot(parts[0] ?? '');
  let target = '';
  let pref = 1;
  if (parts.length >= 3) {
    target = stripDot(parts[1]!);
    pref = Number(parts[2]);
  } else if (parts.length === 2) {
    if (/^\d+$/.test(parts[1]!)) pref = Number(parts[1]);
    else target = stripDot(parts[1]!);
  }
  if (!name || !Number.isInteger(pref)) return 'bad MX name';
  st.mx.push({ name, target, pref });
}

function txtRecord(st: ParseState, v: string): void {
  const i = v.indexOf(',');
  const name = stripDot(i < 0 ? v : v.slice(0, i));
  const texts = i < 0 ? [] : splitTxtArgs(v.slice(i + 1));
  st.c.records.push({ name, type: 'TXT', ttl: -1, data: texts.map(quoteTxt).join(' ') || '""' });
}

function ptrRecord(st: ParseState, val: string): void {
  const parts = splitCommas(val);
  st.c.records.push({ name: stripDot(parts[0] ?? ''), type: 'PTR', ttl: -1, data: parts[1] ? stripDot(parts[1]) + '.' : '' });
}

function srvHost(st: ParseState, val: string): void {
  const parts = splitCommas(val);
  const name = stripDot(parts[0] ?? '');
  const target = parts[1] ? stripDot(parts[1]) : '';
  const port = Number(parts[2] ?? 0);
  const prio = Number(parts[3] ?? 0);
  const weight = Number(parts[4] ?? 0);
  st.c.records.push({ name, type: 'SRV', ttl: -1, data: `${prio} ${weight} ${port} ${target ? target + '.' : '.'}` });
}

/** What each parsed option does (the options not listed are accepted and ignored). */
const HANDLERS: Record<string, Handler> = {
  'no-hosts': (st) => void (st.c.readHosts = false),
  'no-resolv': (st) => void (st.r.readResolv = false),
  'bind-interfaces': (st) => void (st.r.bindInterfaces = true),
  'bind-dynamic': (st) => void (st.r.bindInterfaces = true),
  'listen-address': listenAddress,
  interface: (st, val) => void st.r.interfaces.push(...splitCommas(val)),
  address: addressRule,
  server: serverRule,
  local: serverRule,
  'host-record': hostRecord,
  cname,
  'mx-host': mxHost,
  'mx-target': (st, val) => {
    for (const m of st.mx) if (!m.target) m.target = stripDot(val);
  },
  'txt-record': txtRecord,
  'ptr-record': ptrRecord,
  'srv-host': srvHost,
  'local-ttl': (st, val) => {
    st.c.localTtl = Number(val);
    if (!Number.isInteger(st.c.localTtl)) return 'bad TTL';
  },
  domain: (st, val) => void (st.r.domain = lc(splitCommas(val)[0] ?? '')),
  'expand-hosts': (st) => void (st.r.expandHosts = true),
  'addn-hosts': (st, val) => void st.r.addnHosts.push(val),
  'domain-needed': (st) => void (st.c.domainNeeded = true),
  'bogus-priv': (st) => void (st.c.bogusPriv = true),
  'keep-in-foreground': (st) => void (st.r.foreground = true),
  'no-daemon': (st) => void (st.r.foreground = true),
  port: (st, val) => {
    st.c.port = Number(val);
    if (!Number.isInteger(st.c.port) || st.c.port < 0 || st.c.port > 65535) return 'bad port';
  },
  version: (st) => void (st.r.version = true),
  help: (st) => void (st.r.help = true),
  test: (st) => void (st.r.testOnly = true),
};

const SHORT_NAMES = new Map<string, string>();
for (const [k, v] of Object.entries(DNSMASQ_OPTS)) if (v.short) SHORT_NAMES.set(v.short, k);

function emptyParse(): DnsmasqParse {
  return {
    config: { localDomains: [], records: [], forwarders: [], readHosts: true, flavour: 'dnsmasq', listen: [], port: 53, localTtl: 0, addressRules: [], domainNeeded: false, bogusPriv: false },
    foreground: false,
    bindInterfaces: false,
    interfaces: [],
    readResolv: true,
    addnHosts: [],
    expandHosts: false,
    domain: null,
    error: null,
    version: false,
    help: false,
    testOnly: false,
  };
}

/** The records --host-record, --cname and --mx-host stand for, added once the local TTL is known. */
function assembleRecords(st: ParseState): void {
  const c = st.c;
  const ttl = c.localTtl ?? 0;
  for (const h of st.hostRecords) {
    for (const name of h.names) {
      for (const a of h.addrs) c.records.push({ name: lc(name), type: isV4(a) ? 'A' : 'AAAA', ttl: h.ttl ?? ttl, data: a });
    }
    for (const a of h.addrs) c.records.push({ name: reverseName(a), type: 'PTR', ttl: h.ttl ?? ttl, data: lc(h.names[0]!) + '.' });
  }
  for (const cn of st.cnames) for (const n of cn.names) c.records.push({ name: lc(n), type: 'CNAME', ttl: cn.ttl ?? ttl, data: lc(cn.target) + '.' });
  for (const m of st.mx) c.records.push({ name: lc(m.name), type: 'MX', ttl, data: `${m.pref} ${m.target ? lc(m.target) + '.' : lc(m.name) + '.'}` });
  for (const rec of c.records) {
    rec.name = lc(rec.name);
    if (rec.ttl < 0) rec.ttl = ttl;
  }
}

/** Parse dnsmasq's command line (argv without the program name), GNU getopt_long style. */
export function parseDnsmasqArgs(args: string[]): DnsmasqParse {
  const r = emptyParse();
  const st: ParseState = { r, c: r.config, cnames: [], hostRecords: [], mx: [] };
  const fail = (msg: string) => {
    if (!r.error) r.error = msg;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    let name: string | undefined;
    let val: string | null;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      val = eq < 0 ? null : a.slice(eq + 1);
    } else if (a.startsWith('-') && a.length > 1) {
      name = SHORT_NAMES.get(a[1]!);
      val = a.length > 2 ? a.slice(2) : null;
    } else {
      fail('junk found in command line');
      continue;
    }
    const o = name === undefined ? undefined : DNSMASQ_OPTS[name];
    if (!o) {
      fail('bad command line options: try --help');
      continue;
    }
    if (o.arg === 'req' && val === null) {
      if (i + 1 >= args.length) {
        fail('bad command line options: try --help');
        continue;
      }
      val = args[++i]!;
    }
    const complaint = HANDLERS[name!]?.(st, val ?? '');
    if (complaint) fail(complaint);
  }
  assembleRecords(st);
  return r;
}

/** dnsmasq's --txt-record text list: comma separated, each optionally double-quoted (quotes protect commas). */
function splitTxtArgs(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '"') q = !q;
    else if (ch === '\\' && i + 1 < s.length) cur += s[++i];
    else if (ch === ',' && !q) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** /etc/hosts-style text to records (A/AAAA for every name, PTR for the first name of an address's first line). */
export function hostsRecords(text: string, ttl: number, domain: string | null, expand: boolean): DnsRecord[] {
  const out: DnsRecord[] = [];
  const ptrDone = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [addr0, ...names] = line.split(/\s+/);
    let addr = addr0!;
    if (isV6(addr)) addr = canonV6(addr);
    else if (!isV4(addr)) continue;
    const all: string[] = [];
    for (const n of names) {
      all.push(lc(n));
      if (expand && domain && !n.includes('.')) all.push(lc(n) + '.' + domain);
    }
    for (const n of all) out.push({ name: n, type: isV4(addr) ? 'A' : 'AAAA', ttl, data: addr });
    if (all.length && !ptrDone.has(addr)) {
      ptrDone.add(addr);
      out.push({ name: reverseName(addr), type: 'PTR', ttl, data: all[0]! + '.' });
    }
  }
  return out;
}

/** The server's config: the command line's, plus the hosts files and upstreams read at start in the namespace's view of /etc. */
export function configFromDnsmasq(world: World, hostId: HostId, nsId: NsId, parsed: DnsmasqParse): DnsServerConfig {
  const cfg: DnsServerConfig = structuredClone(parsed.config);
  const ttl = cfg.localTtl ?? 0;
  if (cfg.readHosts) cfg.records.push(...hostsRecords(readFileInNs(world, hostId, nsId, '/etc/hosts') ?? '', ttl, parsed.domain, parsed.expandHosts));
  for (const f of parsed.addnHosts) cfg.records.push(...hostsRecords(readFileInNs(world, hostId, nsId, f) ?? '', ttl, parsed.domain, parsed.expandHosts));
  if (parsed.readResolv) {
    const rc = readFileInNs(world, hostId, nsId, '/etc/resolv.conf') ?? '';
    for (const line of rc.split('\n')) {
      const m = /^\s*nameserver\s+(\S+)/.exec(line);
      if (m) cfg.forwarders.push(m[1]!);
    }
  }
  return cfg;
}
