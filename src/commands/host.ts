// BIND 9.18 host: "NAME has address X", aliases, MX and IPv6 follow-up
// lookups, reverse lookups, -t TYPE, -v, errors and exit codes.
import type { CmdResult, NetCommand } from './types';
import { NOERROR, NXDOMAIN, parseClass, parseType, stripDot } from '../sim/dns';
import type { DnsRR } from '../sim/dns';
import { BIND_VERSION, OPCODES, bindResConf, chase, digStyle, getReverse, groupRRs, nameFormat, questionText, rcodeText, rdataText, rrText, runLookup, serverAddresses, sockaddrText } from './bind-common';
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

export const host: NetCommand = {
  name: 'host',
  complete: completeHost,
  async run(args, _io, sys): Promise<CmdResult> {
    let stdout = '';
    const out = (s: string) => (stdout += s);
    const fail = (stderr: string, code: number): CmdResult => ({ stdout, stderr, exitCode: code });
    // isc_commandline_parse: options first, stops at the first operand
    let i = 0;
    let verbose = false;
    let qtype = 'A';
    // -C: the zone's NS records first (then each one's SOA)
    let nsSearch = false;
    let qclass = 'IN';
    let rdtypeset = false;
    let defaultLookups = true;
    let recurse = true;
    let tcp = false;
    let tries = 2;
    let timeout: number | null = null;
    let ndots: number | null = null;
    let port = 53;
    let servfailStops = false;
    for (; i < args.length; i++) {
      const a = args[i]!;
      if (a === '--') {
        i++;
        break;
      }
      if (!a.startsWith('-') || a === '-') break;
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const k = OPTSTRING.indexOf(c);
        if (k < 0 || c === ':') return fail(`host: illegal option -- ${c}\n` + USAGE, 1);
        let val: string | null = null;
        if (OPTSTRING[k + 1] === ':') {
          if (j + 1 < a.length) val = a.slice(j + 1);
          else if (i + 1 < args.length) val = args[++i]!;
          else return fail(`host: option requires an argument -- ${c}\n` + USAGE, 1);
          j = a.length;
        }
        switch (c) {
          case 'V':
            return fail(`host ${BIND_VERSION}\n`, 0);
          case 'v':
          case 'd':
            verbose = true;
            break;
          case 'r':
            recurse = false;
            break;
          case 't': {
            const t = val!.toLowerCase().startsWith('ixfr=') ? 'IXFR' : parseType(val!);
            if (!t) return fail(`host: invalid type: ${val}\n\n`, 2);
            qtype = t;
            rdtypeset = true;
            defaultLookups = false;
            if (t === 'ANY' || t === 'AXFR' || t === 'IXFR') tcp = true;
            if (t === 'AXFR') verbose = true;
            break;
          }
          case 'c': {
            const k2 = parseClass(val!);
            if (!k2) return fail(`host: invalid class: ${val}\n\n`, 2);
            qclass = k2;
            defaultLookups = false;
            break;
          }
          case 'a':
          case 'A':
            qtype = 'ANY';
            rdtypeset = true;
            verbose = true;
            defaultLookups = false;
            tcp = true;
            break;
          case 'l':
            tcp = true;
            qtype = 'AXFR';
            rdtypeset = true;
            break;
          case 'w':
            timeout = 2147483;
            break;
          case 'W':
            timeout = Math.max(1, Number.parseInt(val!, 10) || 0);
            break;
          case 'R':
            tries = Math.max(2, (Number.parseInt(val!, 10) || 0) + 1);
            break;
          case 'T':
            tcp = true;
            break;
          case 'U':
            tcp = false;
            break;
          case 'C':
            qtype = 'NS';
            defaultLookups = false;
            nsSearch = true;
            break;
          case 'N':
            ndots = Number.parseInt(val!, 10) || 0;
            break;
          case 's':
            servfailStops = true;
            break;
          case 'p':
            port = Number.parseInt(val!, 10) || 0;
            break;
          default:
            break;
        }
      }
    }
    if (i >= args.length) return fail(USAGE, 1);
    const hostname = args[i]!;
    const rc = bindResConf(sys);
    let servers: Server[] = rc.servers;
    let listedServer = false;
    if (args.length > i + 1) {
      const r = serverAddresses(sys, args[i + 1]!);
      if (r.servers.length === 0) return fail(`host: couldn't get address for '${args[i + 1]}': ${r.error}\n`, 1);
      servers = r.servers;
      listedServer = true;
    }
    const rev = getReverse(hostname, true);
    if (rev) {
      qtype = rdtypeset ? qtype : 'PTR';
      defaultLookups = false;
    }
    const spec = (textname: string, t: string, search: boolean): LookupSpec => ({
      textname,
      qtype: t,
      qclass,
      recurse,
      adflag: false,
      cdflag: false,
      aaflag: false,
      edns: null,
      dnssec: false,
      cookie: false,
      nsid: false,
      tcp,
      tries,
      timeout: timeout ?? rc.timeout,
      useSearch: search,
      ndots: ndots ?? rc.ndots,
      search: rc.search,
      port,
      servfailStops,
      checkRa: !listedServer,
      showSearch: false,
    });
    let seenError = -1;
    let printedServer = false;
    const queue: LookupSpec[] = [rev ? spec(rev + '.', 'PTR', false) : spec(hostname, qtype, true)];
    const style = digStyle();
    while (queue.length) {
      const l = queue.shift()!;
      runLookup(sys, l, servers, {
        out,
        noServers: () => out(';; no servers could be reached\n'),
        trying: (name) => {
          if (verbose) out(`Trying "${name}"\n`);
        },

        reply: (ev: ReplyEvent) => {
          const msg = ev.reply;
          const forceError = seenError === 1 ? 1 : 0;
          seenError = 1;
          if (listedServer && !printedServer) {
            out(`Using domain server:\nName: ${ev.server.userarg}\nAddress: ${sockaddrText(ev.server.addr, l.port)}\nAliases: \n\n`);
            printedServer = true;
          }
          if (l.qtype === 'AXFR' && (msg.rcode !== NOERROR || !msg.answer.some((r) => r.type === 'SOA'))) {
            // a refused zone transfer (dnsmasq has no zone to hand out)
            out('; Transfer failed.\n');
            seenError = forceError;
            return;
          }
          if (nsSearch && msg.rcode === NOERROR && !msg.answer.some((r) => r.type === 'NS')) {
            // no name servers to ask for the SOA: nothing is printed, exit 1
            return;
          }
          if (msg.rcode !== NOERROR) {
            const name = msg.rcode !== NXDOMAIN ? nameFormat(ev.qname) : stripDot(l.textname);
            out(`Host ${name} not found: ${msg.rcode}(${rcodeText(msg.rcode)})\n`);
            // -v: the final answer's size follows (BIND 9.18 prints it twice for NXDOMAIN, once otherwise;
            // the NXDOMAINs of a search walk before it print nothing)
            if (verbose) {
              const line = `Received ${msg.size ?? 0} bytes from ${sockaddrText(ev.server.addr, l.port)} in ${ev.rttMs} ms\n`;
              out(msg.rcode === NXDOMAIN ? line + line : line);
            }
            return;
          }
          if (defaultLookups && l.qtype === 'A') {
            const target = chase(msg, ev.qname);
            queue.push(spec(target + '.', 'AAAA', false), spec(target + '.', 'MX', false));
          }
          if (verbose) {
            out(`;; ->>HEADER<<- opcode: ${OPCODES[msg.opcode]}, status: ${rcodeText(msg.rcode)}, id: ${msg.id}\n`);
            const f = ['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd'].filter((k) => (msg as unknown as Record<string, boolean>)[k]);
            out(`;; flags: ${f.join(' ')}; QUERY: ${msg.question.length}, ANSWER: ${msg.answer.length}, AUTHORITY: ${msg.authority.length}, ADDITIONAL: ${msg.additional.length + (msg.opt ? 1 : 0)}\n`);
            out('\n;; QUESTION SECTION:\n');
            for (const q of msg.question) out(';' + questionText(q, style) + '\n');
            const sec = (title: string, rrs: DnsRR[]) => {
              if (!rrs.length) return;
              out(`\n;; ${title} SECTION:\n`);
              for (const r of groupRRs(rrs)) out(rrText(r, style) + '\n');
            };
            sec('ANSWER', msg.answer);
            sec('AUTHORITY', msg.authority);
            sec('ADDITIONAL', msg.additional);
            out('\n');
            out(`Received ${msg.size ?? 0} bytes from ${sockaddrText(ev.server.addr, l.port)} in ${ev.rttMs} ms\n`);
          } else {
            for (const r of groupRRs(msg.answer)) {
              out(`${nameFormat(r.name)} ${RTYPES[r.type] ?? `has ${r.type} record`} ${rdataText(r)}\n`);
            }
            if (!defaultLookups && msg.answer.length === 0) out(`${nameFormat(ev.qname)} has no ${l.qtype} record\n`);
          }
          seenError = forceError;
        },
      });
    }
    return { stdout, stderr: '', exitCode: seenError === 0 ? 0 : 1 };
  },
};
