// BIND 9.18 host: "NAME has address X", aliases, MX and IPv6 follow-up
// lookups, reverse lookups, -t TYPE, -v, errors and exit codes.
import type { CmdResult, NetCommand } from './types';
import { NOERROR, NXDOMAIN, parseClass, parseType, stripDot } from '../sim/dns';
import type { DnsRR } from '../sim/dns';
import { BIND_VERSION, OPCODES, bindResConf, chase, digStyle, getReverse, groupRRs, nameFormat, questionText, rcodeText, rdataText, rrText, runLookup, serverAddresses, sockaddrText, PLAIN_QUERY } from './bind-common';
import type { LookupSpec, ReplyEvent, Server } from './bind-common';
import { completeHost } from './dns-completion';

const USAGE =
  'Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n' +
  '            [-R number] [-m flag] [-p port] hostname [server]\n' +
  '       -a is equivalent to -v -t ANY\n' +
  '       -A is like -a but omits RRSIG, NSEC, NSEC3\n' +
  '       -c specifies query class for non-IN data\n' +
  '       -C compares SOA records on authoritative nameservers\n' +
  '       -d is equivalent to -v\n' +
  '       -l lists all hosts in a domain, using AXFR\n' +
  '       -m set memory debugging flag (trace|record|usage)\n' +
  '       -N changes the number of dots allowed before root lookup is done\n' +
  '       -p specifies the port on the server to query\n' +
  '       -r disables recursive processing\n' +
  '       -R specifies number of retries for UDP packets\n' +
  '       -s a SERVFAIL response should stop query\n' +
  '       -t specifies the query type\n' +
  '       -T enables TCP/IP mode\n' +
  '       -U enables UDP mode\n' +
  '       -v enables verbose output\n' +
  '       -V print version number and exit\n' +
  '       -w specifies to wait forever for a reply\n' +
  '       -W specifies how long to wait for a reply\n' +
  '       -4 use IPv4 query transport only\n' +
  '       -6 use IPv6 query transport only\n';

const RTYPES: Record<string, string> = {
  A: 'has address',
  NS: 'name server',
  CNAME: 'is an alias for',
  WKS: 'has well known services',
  PTR: 'domain name pointer',
  HINFO: 'host information',
  MX: 'mail is handled by',
  TXT: 'descriptive text',
  X25: 'x25 address',
  ISDN: 'ISDN address',
  SIG: 'has signature',
  KEY: 'has key',
  AAAA: 'has IPv6 address',
  LOC: 'location',
};

const OPTSTRING = '46aAc:dilnm:p:rst:vVwCDN:R:TUW:';

/** host.c's options: what each lookup asks and how. */
interface HostOpts {
  verbose: boolean;
  qtype: string;
  /** -C: the zone's NS records first (then each one's SOA) */
  nsSearch: boolean;
  qclass: string;
  rdtypeset: boolean;
  defaultLookups: boolean;
  recurse: boolean;
  tcp: boolean;
  tries: number;
  timeout: number | null;
  ndots: number | null;
  port: number;
  servfailStops: boolean;
}

class HostExit {
  constructor(
    public stderr: string,
    public code: number,
  ) {}
}

/** -t TYPE: AXFR and ANY go over TCP, AXFR is verbose */
function setType(o: HostOpts, val: string): void {
  const t = val.toLowerCase().startsWith('ixfr=') ? 'IXFR' : parseType(val);
  if (!t) throw new HostExit(`host: invalid type: ${val}\n\n`, 2);
  o.qtype = t;
  o.rdtypeset = true;
  o.defaultLookups = false;
  if (t === 'ANY' || t === 'AXFR' || t === 'IXFR') o.tcp = true;
  if (t === 'AXFR') o.verbose = true;
}

function hostOption(o: HostOpts, c: string, val: string | null): void {
  switch (c) {
    case 'V':
      throw new HostExit(`host ${BIND_VERSION}\n`, 0);
    case 'v':
    case 'd':
      o.verbose = true;
      break;
    case 'r':
      o.recurse = false;
      break;
    case 't':
      setType(o, val!);
      break;
    case 'c': {
      const k = parseClass(val!);
      if (!k) throw new HostExit(`host: invalid class: ${val}\n\n`, 2);
      o.qclass = k;
      o.defaultLookups = false;
      break;
    }
    case 'a':
    case 'A':
      Object.assign(o, { qtype: 'ANY', rdtypeset: true, verbose: true, defaultLookups: false, tcp: true });
      break;
    case 'l':
      Object.assign(o, { tcp: true, qtype: 'AXFR', rdtypeset: true });
      break;
    case 'w':
      o.timeout = 2147483;
      break;
    case 'W':
      o.timeout = Math.max(1, Number.parseInt(val!, 10) || 0);
      break;
    case 'R':
      o.tries = Math.max(2, (Number.parseInt(val!, 10) || 0) + 1);
      break;
    case 'T':
      o.tcp = true;
      break;
    case 'U':
      o.tcp = false;
      break;
    case 'C':
      Object.assign(o, { qtype: 'NS', defaultLookups: false, nsSearch: true });
      break;
    case 'N':
      o.ndots = Number.parseInt(val!, 10) || 0;
      break;
    case 's':
      o.servfailStops = true;
      break;
    case 'p':
      o.port = Number.parseInt(val!, 10) || 0;
      break;
  }
}

/** isc_commandline_parse: options first, stops at the first operand; the operands' index */
function hostOptions(args: string[]): { o: HostOpts; i: number } {
  const o: HostOpts = { verbose: false, qtype: 'A', nsSearch: false, qclass: 'IN', rdtypeset: false, defaultLookups: true, recurse: true, tcp: false, tries: 2, timeout: null, ndots: null, port: 53, servfailStops: false };
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return { o, i: i + 1 };
    if (!a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      const k = OPTSTRING.indexOf(c);
      if (k < 0 || c === ':') throw new HostExit(`host: illegal option -- ${c}\n` + USAGE, 1);
      let val: string | null = null;
      if (OPTSTRING[k + 1] === ':') {
        if (j + 1 < a.length) val = a.slice(j + 1);
        else if (i + 1 < args.length) val = args[++i]!;
        else throw new HostExit(`host: option requires an argument -- ${c}\n` + USAGE, 1);
        j = a.length;
      }
      hostOption(o, c, val);
    }
  }
  return { o, i };
}

/** One run of host: its lookups (the default A, then AAAA and MX), each reply printed as host.c does. */
class HostRun {
  stdout = '';
  seenError = -1;
  private printedServer = false;
  private readonly queue: LookupSpec[] = [];
  private readonly style = digStyle();

  constructor(
    private readonly o: HostOpts,
    private readonly rc: ReturnType<typeof bindResConf>,
    private readonly listedServer: boolean,
  ) {}

  out(s: string): void {
    this.stdout += s;
  }

  spec(textname: string, t: string, search: boolean): LookupSpec {
    const { o, rc } = this;
    return {
      textname,
      qtype: t,
      qclass: o.qclass,
      recurse: o.recurse,
      ...PLAIN_QUERY,
      tcp: o.tcp,
      tries: o.tries,
      timeout: o.timeout ?? rc.timeout,
      useSearch: search,
      ndots: o.ndots ?? rc.ndots,
      search: rc.search,
      port: o.port,
      servfailStops: o.servfailStops,
      checkRa: !this.listedServer,
      showSearch: false,
    };
  }

  run(sys: Parameters<typeof runLookup>[0], first: LookupSpec, servers: Server[]): void {
    this.queue.push(first);
    while (this.queue.length) {
      const l = this.queue.shift()!;
      runLookup(sys, l, servers, {
        out: (s) => this.out(s),
        noServers: () => this.out(';; no servers could be reached\n'),
        trying: (name) => {
          if (this.o.verbose) this.out(`Trying "${name}"\n`);
        },
        reply: (ev: ReplyEvent) => this.reply(l, ev),
      });
    }
  }

  private reply(l: LookupSpec, ev: ReplyEvent): void {
    const { o } = this;
    const msg = ev.reply;
    const forceError = this.seenError === 1 ? 1 : 0;
    this.seenError = 1;
    if (this.listedServer && !this.printedServer) {
      this.out(`Using domain server:\nName: ${ev.server.userarg}\nAddress: ${sockaddrText(ev.server.addr, l.port)}\nAliases: \n\n`);
      this.printedServer = true;
    }
    if (l.qtype === 'AXFR' && (msg.rcode !== NOERROR || !msg.answer.some((r) => r.type === 'SOA'))) {
      // a refused zone transfer (dnsmasq has no zone to hand out)
      this.out('; Transfer failed.\n');
      this.seenError = forceError;
      return;
    }
    // -C with no name servers to ask for the SOA: nothing is printed, exit 1
    if (o.nsSearch && msg.rcode === NOERROR && !msg.answer.some((r) => r.type === 'NS')) return;
    if (msg.rcode !== NOERROR) {
      const name = msg.rcode !== NXDOMAIN ? nameFormat(ev.qname) : stripDot(l.textname);
      this.out(`Host ${name} not found: ${msg.rcode}(${rcodeText(msg.rcode)})\n`);
      // -v: the final answer's size follows (BIND 9.18 prints it twice for NXDOMAIN, once otherwise;
      // the NXDOMAINs of a search walk before it print nothing)
      if (o.verbose) {
        const line = `Received ${msg.size ?? 0} bytes from ${sockaddrText(ev.server.addr, l.port)} in ${ev.rttMs} ms\n`;
        this.out(msg.rcode === NXDOMAIN ? line + line : line);
      }
      return;
    }
    if (o.defaultLookups && l.qtype === 'A') {
      const target = chase(msg, ev.qname);
      this.queue.push(this.spec(target + '.', 'AAAA', false), this.spec(target + '.', 'MX', false));
    }
    if (o.verbose) this.verboseReply(l, ev);
    else {
      for (const r of groupRRs(msg.answer)) this.out(`${nameFormat(r.name)} ${RTYPES[r.type] ?? `has ${r.type} record`} ${rdataText(r)}\n`);
      if (!o.defaultLookups && msg.answer.length === 0) this.out(`${nameFormat(ev.qname)} has no ${l.qtype} record\n`);
    }
    this.seenError = forceError;
  }

  /** -v: the whole message, dig-style */
  private verboseReply(l: LookupSpec, ev: ReplyEvent): void {
    const msg = ev.reply;
    const style = this.style;
    this.out(`;; ->>HEADER<<- opcode: ${OPCODES[msg.opcode]}, status: ${rcodeText(msg.rcode)}, id: ${msg.id}\n`);
    const f = ['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd'].filter((k) => (msg as unknown as Record<string, boolean>)[k]);
    this.out(`;; flags: ${f.join(' ')}; QUERY: ${msg.question.length}, ANSWER: ${msg.answer.length}, AUTHORITY: ${msg.authority.length}, ADDITIONAL: ${msg.additional.length + (msg.opt ? 1 : 0)}\n`);
    this.out('\n;; QUESTION SECTION:\n');
    for (const q of msg.question) this.out(';' + questionText(q, style) + '\n');
    const sec = (title: string, rrs: DnsRR[]) => {
      if (!rrs.length) return;
      this.out(`\n;; ${title} SECTION:\n`);
      for (const r of groupRRs(rrs)) this.out(rrText(r, style) + '\n');
    };
    sec('ANSWER', msg.answer);
    sec('AUTHORITY', msg.authority);
    sec('ADDITIONAL', msg.additional);
    this.out('\n');
    this.out(`Received ${msg.size ?? 0} bytes from ${sockaddrText(ev.server.addr, l.port)} in ${ev.rttMs} ms\n`);
  }
}

export const host: NetCommand = {
  name: 'host',
  complete: completeHost,
  async run(args, _io, sys): Promise<CmdResult> {
    let parsed: { o: HostOpts; i: number };
    try {
      parsed = hostOptions(args);
    } catch (e) {
      if (e instanceof HostExit) return { stdout: '', stderr: e.stderr, exitCode: e.code };
      throw e;
    }
    const { o, i } = parsed;
    if (i >= args.length) return { stdout: '', stderr: USAGE, exitCode: 1 };
    const hostname = args[i]!;
    const rc = bindResConf(sys);
    let servers: Server[] = rc.servers;
    const listedServer = args.length > i + 1;
    if (listedServer) {
      const r = serverAddresses(sys, args[i + 1]!);
      if (r.servers.length === 0) return { stdout: '', stderr: `host: couldn't get address for '${args[i + 1]}': ${r.error}\n`, exitCode: 1 };
      servers = r.servers;
    }
    const rev = getReverse(hostname, true);
    if (rev) {
      o.qtype = o.rdtypeset ? o.qtype : 'PTR';
      o.defaultLookups = false;
    }
    const h = new HostRun(o, rc, listedServer);
    h.run(sys, rev ? h.spec(rev + '.', 'PTR', false) : h.spec(hostname, o.qtype, true), servers);
    return { stdout: h.stdout, stderr: '', exitCode: h.seenError === 0 ? 0 : 1 };
  },
};
