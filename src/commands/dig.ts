// BIND 9.18 dig: command line (global and per-lookup options, @server,
// positional types and classes, -x), the query through the simulated
// network, and the reply in dig's formats (full, +short, +noall +answer...).
import type { CmdResult, NetCommand, Sys } from './types';
import { ordered } from './types';
import { parseClass, parseType, inDomain, messageSize } from '../sim/dns';
import type { DnsMessage } from '../sim/dns';
import {
  BIND_VERSION,
  DIG_HELP,
  DIG_USAGE,
  OPCODES,
  bindResConf,
  digStyle,
  getReverse,
  groupRRs,
  optText,
  questionText,
  rcodeText,
  rdataText,
  rrText,
  runLookup,
  serverAddresses,
  sockaddrText,
  whenText,
} from './bind-common';
import type { LookupSpec, ReplyEvent, Server } from './bind-common';
import './dns-completion';
import { completeDig } from './dns-completion';

interface Lookup extends LookupSpec {
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

class Usage extends Error {
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

interface DigState {
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

export const dig: NetCommand = {
  name: 'dig',
  complete: completeDig,
  async run(args, io, sys): Promise<CmdResult> {
    // stdout and stderr in the order written (';; Warning, ignoring invalid type' comes before the answer)
    const chunks: Array<[1 | 2, string]> = [];
    // -f FILE (batch mode): each line of the file is a lookup of its own, after the command line's options
    const fi = args.findIndex((a) => a === '-f' || (a.startsWith('-f') && a.length > 2));
    if (fi >= 0) {
      const file = args[fi] === '-f' ? args[fi + 1] : args[fi]!.slice(2);
      if (file !== undefined) {
        const rest = [...args.slice(0, fi), ...args.slice(fi + (args[fi] === '-f' ? 2 : 1))];
        const path = file.startsWith('/') ? file : `${io.cwd.replace(/\/$/, '')}/${file}`;
        const text = sys.readFile(path);
        if (text === null) return ordered([[2, `${file}: No such file or directory\n`], [2, "dig: couldn't open specified batch file\n"]], 8);
        let code = 0;
        // global options (+short, +cmd) set on a batch line stay set for the lines after it
        const sticky: string[] = [];
        for (const line of text.split('\n')) {
          const words = line.trim().split(/\s+/).filter(Boolean);
          if (!words.length) continue;
          const before = [...sticky];
          for (const w of words) if (/^\+(no)?(short|cmd)$/i.test(w)) sticky.push(w);
          try {
            const r = await runDig([...rest, ...before, ...words], sys, (s) => chunks.push([1, s]), (s) => chunks.push([2, s]), () => ordered([], 0), words);
            code = Math.max(code, r.exitCode);
          } catch (e) {
            if (!(e instanceof Usage)) throw e;
            if (e.pre) chunks.push([1, e.pre]);
            chunks.push([2, e.text]);
            code = Math.max(code, e.code);
          }
        }
        return ordered(chunks, code);
      }
    }
    try {
      return await runDig(args, sys, (s) => chunks.push([1, s]), (s) => chunks.push([2, s]), () => ordered(chunks, 0));
    } catch (e) {
      if (e instanceof Usage) return ordered([...chunks, ...(e.pre ? [[1, e.pre] as [1, string]] : []), [2, e.text]], e.code);
      throw e;
    }
  },
};

async function runDig(args: string[], sys: Sys, out: (s: string) => void, err: (s: string) => void, acc: () => CmdResult, bannerArgs: string[] = args): Promise<CmdResult> {
  const rc = bindResConf(sys);
  const st: DigState = { shortForm: false, printcmd: true, useSearch: false, showSearch: false, ndots: null, timeout: null, domain: null, port: 53, cmdline: null, addresscount: 0 };
  const dflt: Lookup = {
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
  const lookups: Lookup[] = [];
  let lookup: Lookup = dflt;
  let needClone = true;
  let openTypeClass = true;
  let firstarg = true;
  const usageFail = (msg: string): never => {
    throw new Usage(msg + DIG_USAGE + '\nUse "dig -h" (or "dig -h | more") for complete list of options\n', 1);
  };
  const greeting = () => {
    if (!firstarg) return;
    firstarg = false;
    let c = `\n; <<>> DiG ${BIND_VERSION} <<>>${bannerArgs.map((a) => ' ' + a).join('')}\n`;
    if (st.addresscount) c += `; (${st.addresscount} server${st.addresscount > 1 ? 's' : ''} found)\n`;
    c += `;; global options:${st.shortForm ? ' +short' : ''}${st.printcmd ? ' +cmd' : ''}\n`;
    st.cmdline = c;
  };
  const clone = (): Lookup => ({ ...dflt, servers: dflt.servers ? [...dflt.servers] : null });
  const addLookup = (name: string, l?: Lookup) => {
    const lk = l ?? (needClone ? clone() : lookup);
    needClone = true;
    lk.textname = name;
    lookup = lk;
    greeting();
    lookups.push(lk);
  };

  const plus = (opt: string) => {
    const eq = opt.indexOf('=');
    let cmd = eq < 0 ? opt : opt.slice(0, eq);
    const value = eq < 0 ? undefined : opt.slice(eq + 1);
    let state = true;
    if (cmd.toLowerCase().startsWith('no')) {
      cmd = cmd.slice(2);
      state = false;
    }
    const invalid = (): never => usageFail(`Invalid option: +${opt}\n`);
    const name = plusName(cmd);
    if (!name) return invalid();
    const l = lookup;
    switch (name) {
      case 'aaflag':
        l.aaflag = state;
        break;
      case 'additional':
        l.sectionAdditional = state;
        break;
      case 'adflag':
        l.adflag = state;
        break;
      case 'all':
        l.sectionQuestion = l.sectionAuthority = l.sectionAnswer = l.sectionAdditional = l.comments = l.stats = state;
        st.printcmd = state;
        break;
      case 'answer':
        l.sectionAnswer = state;
        break;
      case 'authority':
        l.sectionAuthority = state;
        break;
      case 'bufsize': {
        if (!state) return invalid();
        if (value === undefined) {
          l.edns = 1232;
          break;
        }
        const n = uintOrFail(value, 65535, 'buffer size', `dig: Couldn't parse buffer size\n`);
        l.edns = n;
        break;
      }
      case 'cdflag':
        l.cdflag = state;
        break;
      case 'class':
        l.noClass = !state;
        break;
      case 'cmd':
        st.printcmd = state;
        break;
      case 'comments':
        l.comments = state;
        break;
      case 'cookie':
        l.cookie = state;
        if (state && l.edns === null) l.edns = 1232;
        break;
      case 'defname':
      case 'search':
        st.useSearch = state;
        break;
      case 'domain':
        if (value === undefined) return usageFail(`Invalid option: +${opt}\n`);
        st.domain = value;
        break;
      case 'dnssec':
        l.dnssec = state;
        if (state && l.edns === null) l.edns = 1232;
        break;
      case 'edns':
        if (!state) {
          l.edns = null;
          break;
        }
        if (value !== undefined) uintOrFail(value, 255, 'edns', `dig: Couldn't parse edns\n`);
        if (l.edns === null) l.edns = 1232;
        break;
      case 'identify':
        l.identify = state;
        break;
      case 'ndots': {
        const n = parseUint(value, 4294967295);
        if (n === null) return usageFail(`Invalid option: +${opt}\n`);
        st.ndots = n;
        break;
      }
      case 'nsid':
        l.nsid = state;
        if (state && l.edns === null) l.edns = 1232;
        break;
      case 'qr':
        l.qr = state;
        break;
      case 'question':
        l.sectionQuestion = state;
        break;
      case 'rdflag':
      case 'recurse':
        l.recurse = state;
        break;
      case 'retry':
      case 'tries': {
        if (!state) return invalid();
        const what = name === 'retry' ? 'retries' : 'tries';
        const n = uintOrFail(value, 2147483647, what, `dig: Couldn't parse ${what}\n`);
        l.tries = name === 'retry' ? n + 1 : Math.max(1, n);
        break;
      }
      case 'short':
        st.shortForm = state;
        if (state) {
          st.printcmd = false;
          l.sectionAdditional = false;
          l.sectionAnswer = true;
          l.sectionAuthority = false;
          l.sectionQuestion = false;
          l.comments = false;
          l.stats = false;
        }
        break;
      case 'showsearch':
        st.showSearch = state;
        if (state) st.useSearch = true;
        break;
      case 'stats':
        l.stats = state;
        break;
      case 'tcp':
      case 'vc':
        l.tcp = state;
        break;
      case 'timeout': {
        if (!state) return invalid();
        const n = uintOrFail(value, 2147483647, 'timeout', `dig: Couldn't parse timeout\n`);
        st.timeout = Math.max(1, n);
        break;
      }
      case 'ttlid':
        l.noTtl = !state;
        break;
      case 'ttlunits':
        l.ttlUnits = state;
        break;
      case 'multiline':
        l.multiline = state;
        break;
      default:
        // accepted and without effect in the simulation (+multiline, +trace, +besteffort...)
        if (['bufsize', 'ndots', 'domain', 'timeout', 'tries', 'retry', 'subnet', 'padding', 'split', 'ednsopt', 'ednsflags', 'opcode', 'qid', 'dscp', 'expire'].includes(name) && value === undefined && state) {
          return usageFail(`Invalid option: +${opt}\n`);
        }
        break;
    }
  };

  const dash = (opt: string, next: string | undefined): boolean => {
    let o = opt;
    while (o.length && '46dhimnruv'.includes(o[0]!)) {
      const c = o[0]!;
      if (c === 'h') {
        out(DIG_HELP);
        throw new Usage('', 0);
      }
      if (c === 'v') {
        err(`DiG ${BIND_VERSION}\n`);
        throw new Usage('', 0);
      }
      if (o.length > 1) o = o.slice(1);
      else return false;
    }
    const c = o[0]!;
    let value: string | undefined;
    let fromNext = false;
    if (o.length > 1) value = o.slice(1);
    else {
      value = next;
      fromNext = true;
    }
    if (value === undefined || !'bcfkpqtyx'.includes(c)) return usageFail(`Invalid option: -${o}\n`);
    switch (c) {
      case 't': {
        openTypeClass = false;
        const t = parseType(value);
        if (t && t !== 'IXFR') {
          if (lookup.rdtypeset) err(';; Warning, extra type option\n');
          lookup.qtype = t;
          lookup.rdtypeset = true;
        } else err(`;; Warning, ignoring invalid type ${value}\n`);
        break;
      }
      case 'c': {
        if (lookup.rdclassset) err(';; Warning, extra class option\n');
        openTypeClass = false;
        const k = parseClass(value);
        if (k) {
          lookup.qclass = k;
          lookup.rdclassset = true;
        } else err(`;; Warning, ignoring invalid class ${value}\n`);
        break;
      }
      case 'p': {
        const n = uintOrFail(value, 65535, 'port number', `dig: Couldn't parse port number\n`, 1);
        st.port = n;
        break;
      }
      case 'q':
        addLookup(value);
        break;
      case 'x': {
        const rev = getReverse(value, false);
        if (rev === null) throw new Usage(`Invalid IP address ${value}\n`, 1);
        const l = needClone ? clone() : lookup;
        if (!l.rdtypeset) l.qtype = 'PTR';
        if (!l.rdclassset) l.qclass = 'IN';
        addLookup(rev, l);
        break;
      }
      case 'b':
        // -b address[#port]: the query sockets are bound to it
        st.bindAddr = (value ?? '').replace(/#\d*$/, '');
        break;
      case 'f':
      case 'k':
      case 'y':
        break;
    }
    return fromNext;
  };

  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('%')) break;
    if (a.startsWith('@')) {
      const r = serverAddresses(sys, a.slice(1));
      if (r.servers.length === 0) throw new Usage(`dig: couldn't get address for '${a.slice(1)}': ${r.error}\n`, 1);
      st.addresscount = r.servers.length;
      lookup.servers = r.servers;
      continue;
    }
    if (a.startsWith('+')) {
      plus(a.slice(1));
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      if (dash(a.slice(1), args[i + 1])) i++;
      continue;
    }
    if (a === '-') {
      usageFail('Invalid option: -\n');
    }
    if (openTypeClass) {
      const t = a.toLowerCase().startsWith('ixfr=') ? 'IXFR' : parseType(a);
      if (t === 'IXFR' && !a.toLowerCase().startsWith('ixfr=')) {
        err(';; Warning, ixfr requires a serial number\n');
        continue;
      }
      if (t) {
        if (lookup.rdtypeset) err(';; Warning, extra type option\n');
        lookup.qtype = t;
        lookup.rdtypeset = true;
        if (t === 'ANY') lookup.tcp = true;
        continue;
      }
      const k = parseClass(a);
      if (k) {
        if (lookup.rdclassset) err(';; Warning, extra class option\n');
        lookup.qclass = k;
        lookup.rdclassset = true;
        continue;
      }
    }
    addLookup(a);
  }
  if (lookups.length === 0) {
    const l = needClone ? clone() : lookup;
    l.qtype = 'NS';
    l.rdtypeset = true;
    addLookup('.', l);
  }

  // -h help
  let exit = 0;
  const search = st.domain !== null ? [st.domain] : rc.search;
  for (const l of lookups) {
    l.useSearch = st.useSearch;
    l.showSearch = st.showSearch;
    l.ndots = st.ndots ?? rc.ndots;
    l.search = search;
    l.timeout = st.timeout ?? rc.timeout;
    l.port = st.port;
    if (st.bindAddr) l.bindAddr = st.bindAddr;
    const servers = l.servers ?? rc.servers;
    const ok = runLookup(sys, l, servers, {
      out,
      reply: (ev) => printReply(sys, st, l, ev, out),
      noServers: (setup) => {
        if (!setup && st.cmdline !== null && !st.shortForm && st.printcmd) out(st.cmdline);
        st.cmdline = null;
        out(';; no servers could be reached\n');
      },
    });
    if (!ok) exit = 9;
  }
  return { ...acc(), exitCode: exit };
}

function isDotLocal(msg: DnsMessage): boolean {
  return msg.question.some((q) => inDomain(q.name, 'local'));
}

function flagsText(m: DnsMessage): string {
  let f = '';
  if (m.qr) f += ' qr';
  if (m.aa) f += ' aa';
  if (m.tc) f += ' tc';
  if (m.rd) f += ' rd';
  if (m.ra) f += ' ra';
  if (m.ad) f += ' ad';
  if (m.cd) f += ' cd';
  return f;
}

function printMessage(st: DigState, l: Lookup, m: DnsMessage, isQuery: boolean, out: (s: string) => void): void {
  const style = digStyle(l.noTtl, l.noClass, { ttlUnits: l.ttlUnits, multiline: l.multiline });
  if (st.cmdline !== null) {
    if (!st.shortForm && st.printcmd) out(st.cmdline);
    st.cmdline = null;
  }
  if (l.comments && !st.shortForm) {
    out(isQuery ? ';; Sending:\n' : ';; Got answer:\n');
    if (isDotLocal(m)) out(';; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n');
    out(`;; ->>HEADER<<- opcode: ${OPCODES[m.opcode]}, status: ${rcodeText(m.rcode)}, id: ${m.id}\n`);
    out(`;; flags:${flagsText(m)}; QUERY: ${m.question.length}, ANSWER: ${m.answer.length}, AUTHORITY: ${m.authority.length}, ADDITIONAL: ${m.additional.length + (m.opt ? 1 : 0)}\n`);
    if (!isQuery && m.rd && !m.ra) out(';; WARNING: recursion requested but not available\n');
    if (!isQuery && l.edns !== null && !m.opt && (m.rcode === 1 || m.rcode === 4)) out(`\n;; WARNING: EDNS query returned status ${rcodeText(m.rcode)} - retry with '${l.dnssec ? '+nodnssec ' : ''}+noedns'\n`);
  }
  let buf = '';
  const comments = l.comments;
  if (comments && !st.shortForm && m.opt) buf += optText(m.opt, true);
  const section = (title: string, rrs: ReturnType<typeof groupRRs>) => {
    if (rrs.length === 0) return;
    if (comments) buf += `;; ${title} SECTION:\n`;
    for (const r of rrs) buf += rrText(r, style) + '\n';
    if (comments) buf += '\n';
  };
  if (l.sectionQuestion && !st.shortForm && m.question.length) {
    if (comments) buf += ';; QUESTION SECTION:\n';
    for (const q of m.question) buf += ';' + questionText(q, style) + '\n';
    if (comments) buf += '\n';
  }
  if (l.sectionAnswer) {
    if (!st.shortForm) section('ANSWER', groupRRs(m.answer));
    else for (const r of groupRRs(m.answer)) buf += rdataText(r) + '\n';
  }
  if (l.sectionAuthority && !st.shortForm) section('AUTHORITY', groupRRs(m.authority));
  if (l.sectionAdditional && !st.shortForm) section('ADDITIONAL', groupRRs(m.additional));
  if (l.comments && !st.shortForm) out('\n');
  out(buf);
}

function printReply(_sys: Sys, st: DigState, l: Lookup, ev: ReplyEvent, out: (s: string) => void): void {
  if (l.qr) {
    printMessage(st, l, ev.query, true, out);
    if (!st.shortForm && l.stats) out(`;; QUERY SIZE: ${ev.query.size ?? messageSize(ev.query)}\n\n`);
  }
  if ((ev.query.question[0]?.type === 'AXFR' || ev.query.question[0]?.type === 'IXFR') && (ev.reply.rcode !== 0 || !ev.reply.answer.some((r) => r.type === 'SOA'))) {
    // a zone transfer the server refuses (dnsmasq has no zone to hand out): the banner, then this line only
    if (st.cmdline !== null) {
      if (!st.shortForm && st.printcmd) out(st.cmdline);
      st.cmdline = null;
    }
    out('; Transfer failed.\n');
    return;
  }
  if (st.shortForm && l.identify) {
    for (const r of groupRRs(ev.reply.answer)) out(`${rdataText(r)} from server ${ev.server.addr} in ${ev.rttMs} ms.\n`);
    return;
  }
  printMessage(st, l, ev.reply, false, out);
  if (st.shortForm) return;
  if (l.stats) {
    out(`;; Query time: ${ev.rttMs} msec\n`);
    out(`;; SERVER: ${sockaddrText(ev.server.addr, l.port)}(${ev.server.userarg}) (${l.tcp ? 'TCP' : 'UDP'})\n`);
    out(`;; WHEN: ${whenText(ev.when)}\n`);
    out(`;; MSG SIZE  rcvd: ${ev.reply.size ?? messageSize(ev.reply)}\n`);
    out('\n');
  }
}

