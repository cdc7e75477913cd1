// dig's command line (BIND 9.18 dig.c parse_args(): global and per-lookup
// options, @server, positional types and classes, -x, +options), as dig.c
// reads it before any query is sent. dig.ts runs the lookups and prints.
import { table } from '../sim/own';
import type { Sys } from './types';
import { parseClass, parseType } from '../sim/dns';
import { BIND_VERSION, DIG_HELP, DIG_USAGE, bindResConf, getReverse, serverAddresses } from './bind-common';
import type { LookupSpec, Server } from './bind-common';

export interface Lookup extends LookupSpec {
  rdtypeset: boolean;
  rdclassset: boolean;
  sectionQuestion: boolean;
  sectionAnswer: boolean;
  sectionAuthority: boolean;
  sectionAdditional: boolean;
  comments: boolean;
  stats: boolean;
  noTtl: boolean;
  noClass: boolean;
  ttlUnits: boolean;
  multiline: boolean;
  identify: boolean;
  qr: boolean;
  servers: Server[] | null;
}

export class Usage extends Error {
  constructor(
    public text: string,
    public code: number,
    /** printed on stdout before `text` (parse_uint's "invalid ... " line) */
    public pre = '',
  ) {
    super(text);
  }
}

/**
 * dighost.c parse_uint(): a number up to max, else "invalid DESC 'VALUE': REASON" on stdout
 * (isc_parse_uint32: "not a valid number", or "out of range") and the caller's fatal line.
 */
function uintOrFail(v: string | undefined, max: number, desc: string, fatal: string, code = 10): number {
  // fatal() of a +option exits 10 (dig.c); -p's exits 1
  const n = parseUint(v, max);
  if (n !== null) return n;
  const digits = v !== undefined && /^\d+$/.test(v);
  throw new Usage(fatal, code, v === undefined ? '' : `invalid ${desc} '${v}': ${digits ? 'out of range' : 'not a valid number'}\n`);
}

/** A +option name and the shortest spellings dig accepts for it (its switch on the first letters, then FULLCHECK). */
const PLUS: { name: string; min: string; alt?: string }[] = [
  { name: 'aaflag', min: 'aa', alt: 'aaonly' },
  { name: 'additional', min: 'add' },
  { name: 'adflag', min: 'ad' },
  { name: 'all', min: 'al' },
  { name: 'answer', min: 'an' },
  { name: 'authority', min: 'au' },
  { name: 'badcookie', min: 'ba' },
  { name: 'besteffort', min: 'be' },
  { name: 'bufsize', min: 'bu' },
  { name: 'cdflag', min: 'cd' },
  { name: 'class', min: 'cl' },
  { name: 'cmd', min: 'cm' },
  { name: 'coflag', min: 'co' },
  { name: 'comments', min: 'com' },
  { name: 'cookie', min: 'coo' },
  { name: 'crypto', min: 'cr' },
  { name: 'defname', min: 'def' },
  { name: 'dns64prefix', min: 'dns6' },
  { name: 'dnssec', min: 'dnss' },
  { name: 'domain', min: 'do' },
  { name: 'dscp', min: 'ds' },
  { name: 'edns', min: 'e' },
  { name: 'ednsflags', min: 'ednsf' },
  { name: 'ednsnegotiation', min: 'ednsn' },
  { name: 'ednsopt', min: 'ednso' },
  { name: 'expandaaaa', min: 'ex' },
  { name: 'expire', min: 'exp' },
  { name: 'fail', min: 'f' },
  { name: 'header-only', min: 'h' },
  { name: 'identify', min: 'id' },
  { name: 'idnin', min: 'idni' },
  { name: 'idnout', min: 'idno' },
  { name: 'ignore', min: 'ig' },
  { name: 'keepalive', min: 'keepa' },
  { name: 'keepopen', min: 'keepo' },
  { name: 'mapped', min: 'ma' },
  { name: 'multiline', min: 'mu' },
  { name: 'ndots', min: 'nd' },
  { name: 'nsid', min: 'nsi' },
  { name: 'nssearch', min: 'nss' },
  { name: 'onesoa', min: 'on' },
  { name: 'opcode', min: 'op' },
  { name: 'padding', min: 'pa' },
  { name: 'qid', min: 'qi' },
  { name: 'qr', min: 'qr' },
  { name: 'question', min: 'qu' },
  { name: 'raflag', min: 'ra' },
  { name: 'rdflag', min: 'rd' },
  { name: 'recurse', min: 'rec' },
  { name: 'retry', min: 'ret', alt: 'retries' },
  { name: 'rrcomments', min: 'rr' },
  { name: 'search', min: 'se' },
  { name: 'short', min: 'sh' },
  { name: 'showsearch', min: 'shows' },
  { name: 'showbadcookie', min: 'showb' },
  { name: 'split', min: 'sp' },
  { name: 'stats', min: 'st' },
  { name: 'subnet', min: 'su' },
  { name: 'tcflag', min: 'tc' },
  { name: 'tcp', min: 'tcp' },
  { name: 'timeout', min: 'ti' },
  { name: 'topdown', min: 'to' },
  { name: 'trace', min: 'tra' },
  { name: 'tries', min: 'tri' },
  { name: 'ttlid', min: 'tt', alt: 'ttl' },
  { name: 'ttlunits', min: 'ttlu' },
  { name: 'unknownformat', min: 'un' },
  { name: 'vc', min: 'vc' },
  { name: 'yaml', min: 'y' },
  { name: 'zflag', min: 'z' },
];

function plusName(cmd: string): string | null {
  const c = cmd.toLowerCase();
  // dig switches on the first letters (the longest `min` the option starts with), then FULLCHECKs the whole word
  let best: (typeof PLUS)[number] | null = null;
  for (const p of PLUS) if (c.startsWith(p.min) && (!best || p.min.length > best.min.length)) best = p;
  if (!best) return null;
  return best.name.startsWith(c) || (best.alt !== undefined && best.alt.startsWith(c)) ? best.name : null;
}

function parseUint(v: string | undefined, max: number): number | null {
  if (v === undefined || !/^\d+$/.test(v)) return null;
  const n = Number(v);
  return n <= max ? n : null;
}

export interface DigState {
  shortForm: boolean;
  printcmd: boolean;
  useSearch: boolean;
  showSearch: boolean;
  ndots: number | null;
  timeout: number | null;
  domain: string | null;
  port: number;
  cmdline: string | null;
  /** -b: the source address of the queries */
  bindAddr?: string;
  addresscount: number;
}


/** The lookup every name starts from (dig.c's default_lookup), with resolv.conf's attempts. */
export function defaultLookup(rc: ReturnType<typeof bindResConf>): Lookup {
  return {
    textname: '',
    qtype: 'A',
    qclass: 'IN',
    recurse: true,
    adflag: true,
    cdflag: false,
    aaflag: false,
    edns: 1232,
    dnssec: false,
    cookie: true,
    nsid: false,
    tcp: false,
    tries: rc.attempts,
    timeout: 5,
    useSearch: false,
    ndots: 1,
    search: [],
    port: 53,
    servfailStops: true,
    checkRa: false,
    showSearch: false,
    rdtypeset: false,
    rdclassset: false,
    sectionQuestion: true,
    sectionAnswer: true,
    sectionAuthority: true,
    sectionAdditional: true,
    comments: true,
    stats: true,
    noTtl: false,
    noClass: false,
    ttlUnits: false,
    multiline: false,
    identify: false,
    qr: false,
    servers: null,
  };
}

/** +options that only switch a lookup's field on or off. */
const PLUS_FLAGS: Record<string, (l: Lookup, st: DigState, on: boolean) => void> = table<(l: Lookup, st: DigState, on: boolean) => void>({
  aaflag: (l, _s, on) => void (l.aaflag = on),
  additional: (l, _s, on) => void (l.sectionAdditional = on),
  adflag: (l, _s, on) => void (l.adflag = on),
  all: (l, st, on) => {
    l.sectionQuestion = l.sectionAuthority = l.sectionAnswer = l.sectionAdditional = l.comments = l.stats = on;
    st.printcmd = on;
  },
  answer: (l, _s, on) => void (l.sectionAnswer = on),
  authority: (l, _s, on) => void (l.sectionAuthority = on),
  cdflag: (l, _s, on) => void (l.cdflag = on),
  class: (l, _s, on) => void (l.noClass = !on),
  cmd: (_l, st, on) => void (st.printcmd = on),
  comments: (l, _s, on) => void (l.comments = on),
  cookie: (l, _s, on) => {
    l.cookie = on;
    if (on && l.edns === null) l.edns = 1232;
  },
  defname: (_l, st, on) => void (st.useSearch = on),
  search: (_l, st, on) => void (st.useSearch = on),
  dnssec: (l, _s, on) => {
    l.dnssec = on;
    if (on && l.edns === null) l.edns = 1232;
  },
  identify: (l, _s, on) => void (l.identify = on),
  nsid: (l, _s, on) => {
    l.nsid = on;
    if (on && l.edns === null) l.edns = 1232;
  },
  qr: (l, _s, on) => void (l.qr = on),
  question: (l, _s, on) => void (l.sectionQuestion = on),
  rdflag: (l, _s, on) => void (l.recurse = on),
  recurse: (l, _s, on) => void (l.recurse = on),
  short: (l, st, on) => {
    st.shortForm = on;
    if (!on) return;
    st.printcmd = false;
    l.sectionAdditional = false;
    l.sectionAnswer = true;
    l.sectionAuthority = false;
    l.sectionQuestion = false;
    l.comments = false;
    l.stats = false;
  },
  showsearch: (_l, st, on) => {
    st.showSearch = on;
    if (on) st.useSearch = true;
  },
  stats: (l, _s, on) => void (l.stats = on),
  tcp: (l, _s, on) => void (l.tcp = on),
  vc: (l, _s, on) => void (l.tcp = on),
  ttlid: (l, _s, on) => void (l.noTtl = !on),
  ttlunits: (l, _s, on) => void (l.ttlUnits = on),
  multiline: (l, _s, on) => void (l.multiline = on),
});

/** +options that take a value but have no effect in the simulation: without one they are invalid. */
const VALUED_NOOP = ['subnet', 'padding', 'split', 'ednsopt', 'ednsflags', 'opcode', 'qid', 'dscp', 'expire'];

/** dig.c parse_args() over one command line: the lookups to run, and the global state. */
export class DigArgs {
  readonly st: DigState = { shortForm: false, printcmd: true, useSearch: false, showSearch: false, ndots: null, timeout: null, domain: null, port: 53, cmdline: null, addresscount: 0 };
  readonly lookups: Lookup[] = [];
  private lookup: Lookup;
  private needClone = true;
  private openTypeClass = true;
  private firstarg = true;

  constructor(
    private readonly sys: Sys,
    private readonly dflt: Lookup,
    private readonly out: (s: string) => void,
    private readonly err: (s: string) => void,
    private readonly bannerArgs: string[],
  ) {
    this.lookup = dflt;
  }

  private usageFail(msg: string): never {
    throw new Usage(msg + DIG_USAGE + '\nUse "dig -h" (or "dig -h | more") for complete list of options\n', 1);
  }

  private greeting(): void {
    if (!this.firstarg) return;
    this.firstarg = false;
    const st = this.st;
    let c = `\n; <<>> DiG ${BIND_VERSION} <<>>${this.bannerArgs.map((a) => ' ' + a).join('')}\n`;
    if (st.addresscount) c += `; (${st.addresscount} server${st.addresscount > 1 ? 's' : ''} found)\n`;
    c += `;; global options:${st.shortForm ? ' +short' : ''}${st.printcmd ? ' +cmd' : ''}\n`;
    st.cmdline = c;
  }

  private clone(): Lookup {
    return { ...this.dflt, servers: this.dflt.servers ? [...this.dflt.servers] : null };
  }

  private addLookup(name: string, l?: Lookup): void {
    const lk = l ?? (this.needClone ? this.clone() : this.lookup);
    this.needClone = true;
    lk.textname = name;
    this.lookup = lk;
    this.greeting();
    this.lookups.push(lk);
  }

  /** One +option (dig.c plus_option()). */
  private plus(opt: string): void {
    const eq = opt.indexOf('=');
    let cmd = eq < 0 ? opt : opt.slice(0, eq);
    const value = eq < 0 ? undefined : opt.slice(eq + 1);
    let state = true;
    if (cmd.toLowerCase().startsWith('no')) {
      cmd = cmd.slice(2);
      state = false;
    }
    const name = plusName(cmd);
    if (!name) return this.usageFail(`Invalid option: +${opt}\n`);
    const flag = PLUS_FLAGS[name];
    if (flag) return flag(this.lookup, this.st, state);
    this.plusValued(name, value, state, opt);
  }

  /** The +options with a value (+bufsize, +ndots, +domain, +tries...) and the accepted ones without effect. */
  private plusValued(name: string, value: string | undefined, state: boolean, opt: string): void {
    const l = this.lookup;
    const st = this.st;
    const invalid = (): never => this.usageFail(`Invalid option: +${opt}\n`);
    switch (name) {
      case 'bufsize':
        if (!state) return invalid();
        l.edns = value === undefined ? 1232 : uintOrFail(value, 65535, 'buffer size', `dig: Couldn't parse buffer size\n`);
        return;
      case 'domain':
        if (value === undefined) return invalid();
        st.domain = value;
        return;
      case 'edns':
        if (!state) {
          l.edns = null;
          return;
        }
        if (value !== undefined) uintOrFail(value, 255, 'edns', `dig: Couldn't parse edns\n`);
        if (l.edns === null) l.edns = 1232;
        return;
      case 'ndots': {
        const n = parseUint(value, 4294967295);
        if (n === null) return invalid();
        st.ndots = n;
        return;
      }
      case 'retry':
      case 'tries': {
        if (!state) return invalid();
        const what = name === 'retry' ? 'retries' : 'tries';
        const n = uintOrFail(value, 2147483647, what, `dig: Couldn't parse ${what}\n`);
        l.tries = name === 'retry' ? n + 1 : Math.max(1, n);
        return;
      }
      case 'timeout': {
        if (!state) return invalid();
        const n = uintOrFail(value, 2147483647, 'timeout', `dig: Couldn't parse timeout\n`);
        st.timeout = Math.max(1, n);
        return;
      }
      default:
        // accepted and without effect in the simulation (+trace, +besteffort...)
        if (VALUED_NOOP.includes(name) && value === undefined && state) invalid();
    }
  }

  /** One -option (dig.c dash_option()); true when it consumed the next argument. */
  private dash(opt: string, next: string | undefined): boolean {
    let o = opt;
    while (o.length && '46dhimnruv'.includes(o[0]!)) {
      const c = o[0]!;
      if (c === 'h') {
        this.out(DIG_HELP);
        throw new Usage('', 0);
      }
      if (c === 'v') {
        this.err(`DiG ${BIND_VERSION}\n`);
        throw new Usage('', 0);
      }
      if (o.length > 1) o = o.slice(1);
      else return false;
    }
    const c = o[0]!;
    const fromNext = o.length <= 1;
    const value = fromNext ? next : o.slice(1);
    if (value === undefined || !'bcfkpqtyx'.includes(c)) return this.usageFail(`Invalid option: -${o}\n`);
    this.dashValue(c, value);
    return fromNext;
  }

  private dashValue(c: string, value: string): void {
    const lookup = this.lookup;
    switch (c) {
      case 't': {
        this.openTypeClass = false;
        const t = parseType(value);
        if (t && t !== 'IXFR') {
          if (lookup.rdtypeset) this.err(';; Warning, extra type option\n');
          lookup.qtype = t;
          lookup.rdtypeset = true;
        } else this.err(`;; Warning, ignoring invalid type ${value}\n`);
        return;
      }
      case 'c': {
        if (lookup.rdclassset) this.err(';; Warning, extra class option\n');
        this.openTypeClass = false;
        const k = parseClass(value);
        if (k) {
          lookup.qclass = k;
          lookup.rdclassset = true;
        } else this.err(`;; Warning, ignoring invalid class ${value}\n`);
        return;
      }
      case 'p':
        this.st.port = uintOrFail(value, 65535, 'port number', `dig: Couldn't parse port number\n`, 1);
        return;
      case 'q':
        this.addLookup(value);
        return;
      case 'x': {
        const rev = getReverse(value, false);
        if (rev === null) throw new Usage(`Invalid IP address ${value}\n`, 1);
        const l = this.needClone ? this.clone() : lookup;
        if (!l.rdtypeset) l.qtype = 'PTR';
        if (!l.rdclassset) l.qclass = 'IN';
        this.addLookup(rev, l);
        return;
      }
      case 'b':
        // -b address[#port]: the query sockets are bound to it
        this.st.bindAddr = value.replace(/#\d*$/, '');
        return;
      default:
        // -f (handled before), -k, -y: accepted
        return;
    }
  }

  /** A word that is not an option: a type or class while they may still come, else a name to look up. */
  private positional(a: string): void {
    const lookup = this.lookup;
    if (this.openTypeClass) {
      const ixfr = a.toLowerCase().startsWith('ixfr=');
      const t = ixfr ? 'IXFR' : parseType(a);
      if (t === 'IXFR' && !ixfr) {
        this.err(';; Warning, ixfr requires a serial number\n');
        return;
      }
      if (t) {
        if (lookup.rdtypeset) this.err(';; Warning, extra type option\n');
        lookup.qtype = t;
        lookup.rdtypeset = true;
        if (t === 'ANY') lookup.tcp = true;
        return;
      }
      const k = parseClass(a);
      if (k) {
        if (lookup.rdclassset) this.err(';; Warning, extra class option\n');
        lookup.qclass = k;
        lookup.rdclassset = true;
        return;
      }
    }
    this.addLookup(a);
  }

  parse(args: string[]): this {
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a.startsWith('%')) break;
      if (a.startsWith('@')) {
        const r = serverAddresses(this.sys, a.slice(1));
        if (r.servers.length === 0) throw new Usage(`dig: couldn't get address for '${a.slice(1)}': ${r.error}\n`, 1);
        this.st.addresscount = r.servers.length;
        this.lookup.servers = r.servers;
      } else if (a.startsWith('+')) this.plus(a.slice(1));
      else if (a.startsWith('-') && a.length > 1) {
        if (this.dash(a.slice(1), args[i + 1])) i++;
      } else if (a === '-') this.usageFail('Invalid option: -\n');
      else this.positional(a);
    }
    if (this.lookups.length === 0) {
      const l = this.needClone ? this.clone() : this.lookup;
      l.qtype = 'NS';
      l.rdtypeset = true;
      this.addLookup('.', l);
    }
    return this;
  }
}
