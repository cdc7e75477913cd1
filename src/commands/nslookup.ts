// BIND 9.18 nslookup (non-interactive "nslookup [-opt...] host [server]",
// and commands read from a non-terminal stdin).
import type { CmdResult, NetCommand, Sys } from './types';
import { NOERROR, parseClass, parseType, stripDot } from '../sim/dns';
import type { DnsMessage, DnsRR } from '../sim/dns';
import { BIND_VERSION, bindResConf, chase, getReverse, groupRRs, nameFormat, rcodeText, rdataText, runLookup, serverAddresses, sockaddrText, PLAIN_QUERY } from './bind-common';
import type { LookupSpec, ReplyEvent, Server } from './bind-common';
import { completeNslookup } from './dns-completion';
import { kubernetesLoaded } from './k8s-lazy';
import { busyboxNslookup } from './busybox-nslookup';

const RTYPE_TEXT: Record<string, string> = {
  A: 'internet address = ',
  NS: 'nameserver = ',
  MD: 'md = ',
  MF: 'mf = ',
  CNAME: 'canonical name = ',
  SOA: 'soa = ',
  MB: 'mb = ',
  MG: 'mg = ',
  MR: 'mr = ',
  NULL: 'rtype_10 = ',
  WKS: 'protocol = ',
  PTR: 'name = ',
  HINFO: 'hinfo = ',
  MINFO: 'minfo = ',
  MX: 'mail exchanger = ',
  TXT: 'text = ',
  RP: 'rp = ',
  AFSDB: 'afsdb = ',
  X25: 'x25 address = ',
  ISDN: 'isdn address = ',
  RT: 'rt = ',
  NSAP: 'nsap = ',
  'NSAP-PTR': 'nsap_ptr = ',
  SIG: 'signature = ',
  KEY: 'key = ',
  PX: 'px = ',
  GPOS: 'gpos = ',
  AAAA: 'has AAAA address ',
  LOC: 'loc = ',
  NXT: 'next = ',
  EID: 'rtype_31 = ',
  NIMLOC: 'rtype_32 = ',
  SRV: 'service = ',
  ATMA: 'rtype_34 = ',
  NAPTR: 'naptr = ',
  KX: 'kx = ',
  CERT: 'cert = ',
  A6: 'v6 address = ',
  DNAME: 'dname = ',
  SINK: 'rtype_40 = ',
  OPT: 'optional = ',
};

const USAGE =
  'Usage:\n' +
  "   nslookup [-opt ...]             # interactive mode using default server\n" +
  "   nslookup [-opt ...] - server    # interactive mode using 'server'\n" +
  "   nslookup [-opt ...] host        # just look up 'host' using default server\n" +
  "   nslookup [-opt ...] host server # just look up 'host' using 'server'\n";

function rdataLine(rr: DnsRR): string {
  return (RTYPE_TEXT[rr.type] ?? `rdata_${rr.type} = `) + rdataText(rr) + '\n';
}

function printSoa(rr: DnsRR): string {
  const p = rr.data.split(/\s+/);
  return (
    `\torigin = ${nameFormat(p[0] ?? '')}\n\tmail addr = ${nameFormat(p[1] ?? '')}\n` +
    `\tserial = ${p[2]}\n\trefresh = ${p[3]}\n\tretry = ${p[4]}\n\texpire = ${p[5]}\n\tminimum = ${p[6]}\n`
  );
}

function printSection(rrs: DnsRR[], section: 'answer' | 'other'): string {
  let out = '';
  for (const rr of groupRRs(rrs)) {
    if ((rr.type === 'A' || rr.type === 'AAAA') && section === 'answer') {
      out += `Name:\t${nameFormat(rr.name)}\nAddress: ${rdataText(rr)}\n`;
    } else if (rr.type === 'SOA') {
      out += `${nameFormat(rr.name)}\n${printSoa(rr)}`;
    } else {
      out += `${nameFormat(rr.name)}\t${rdataLine(rr)}`;
    }
  }
  return out;
}

/** nslookup.c detailsection(): one section of `set debug` output. */
function detailSection(msg: DnsMessage, section: 'question' | 'answer' | 'authority' | 'additional'): string {
  const titles = { question: 'QUESTIONS:', answer: 'ANSWERS:', authority: 'AUTHORITY RECORDS:', additional: 'ADDITIONAL RECORDS:' };
  let out = `    ${titles[section]}\n`;
  if (section === 'question') {
    for (const q of msg.question) out += `\t${nameFormat(q.name)}, type = ${q.type}, class = ${q.cls}\n`;
    return out;
  }
  for (const rr of groupRRs(msg[section])) {
    out += `    ->  ${nameFormat(rr.name)}\n`;
    out += rr.type === 'SOA' ? printSoa(rr) : `\t${rdataLine(rr)}`;
    out += `\tttl = ${rr.ttl}\n`;
  }
  return out;
}

interface State {
  deftype: string;
  defclass: string;
  defaultLookups: boolean;
  recurse: boolean;
  useSearch: boolean;
  port: number;
  timeout: number | null;
  tries: number | null;
  ndots: number | null;
  domain: string | null;
  tcp: boolean;
  servers: Server[] | null;
  checkRa: boolean;
  printError: number;
  queryError: number;
  aNoAnswer: boolean;
  /** set debug: every reply in detail (short_form off) */
  debug: boolean;
}

function setOption(st: State, opt: string, out: (s: string) => void): void {
  const l = opt.length;
  const lo = opt.toLowerCase();
  const check = (a: string, n: number) => l >= n && l <= a.length && a.startsWith(lo);
  const val = (prefix: string) => (lo.startsWith(prefix) ? opt.slice(prefix.length) : null);
  const setType = (t: string) => {
    const pt = parseType(t);
    if (pt) {
      st.deftype = pt;
      st.defaultLookups = false;
    } else out(`unknown query type: ${t}\n`);
  };
  let v: string | null;
  if (check('all', 3)) return;
  if ((v = val('class=')) !== null || (v = val('cl=')) !== null) {
    if (parseClass(v)) st.defclass = parseClass(v)!;
    else out(`unknown query class: ${v}\n`);
    return;
  }
  for (const p of ['type=', 'ty=', 'querytype=', 'query=', 'qu=', 'q=']) {
    if ((v = val(p)) !== null) return setType(v);
  }
  if ((v = val('domain=')) !== null || (v = val('do=')) !== null) {
    st.domain = v;
    st.useSearch = true;
    return;
  }
  if ((v = val('port=')) !== null || (v = val('po=')) !== null) {
    if (/^\d+$/.test(v) && Number(v) <= 65535) st.port = Number(v);
    return;
  }
  if ((v = val('timeout=')) !== null || (v = val('t=')) !== null) {
    if (/^\d+$/.test(v)) st.timeout = Number(v);
    return;
  }
  if (check('recurse', 3)) st.recurse = true;
  else if (check('norecurse', 5)) st.recurse = false;
  else if ((v = val('retry=')) !== null || (v = val('ret=')) !== null) {
    if (/^\d+$/.test(v)) st.tries = Number(v);
  } else if (check('defname', 3)) st.useSearch = true;
  else if (check('nodefname', 5)) st.useSearch = false;
  else if (check('vc', 2)) st.tcp = true;
  else if (check('novc', 4)) st.tcp = false;
  else if (check('debug', 3)) st.debug = true;
  else if (check('nodebug', 5)) st.debug = false;
  else if (check('d2', 2) || check('nod2', 4) || check('sil', 3) || check('fail', 3) || check('nofail', 5)) return;
  else if (check('search', 3)) st.useSearch = true;
  else if (check('nosearch', 5)) st.useSearch = false;
  else if ((v = val('ndots=')) !== null) {
    if (/^\d+$/.test(v) && Number(v) <= 128) st.ndots = Number(v);
  } else out(`*** Invalid option: ${opt}\n`);
}

function lookupOne(sys: Sys, st: State, name: string, out: (s: string) => void): void {
  const rc = bindResConf(sys);
  const servers = st.servers ?? rc.servers;
  st.aNoAnswer = false;
  const rev = getReverse(name, true);
  const base = (textname: string, qtype: string): LookupSpec => ({
    textname,
    qtype,
    qclass: st.defclass,
    recurse: st.recurse,
    ...PLAIN_QUERY,
    tcp: st.tcp || qtype === 'ANY',
    tries: st.tries ?? rc.attempts,
    timeout: st.timeout ?? rc.timeout,
    useSearch: st.useSearch,
    ndots: st.ndots ?? rc.ndots,
    search: st.domain !== null ? [st.domain] : rc.search,
    port: st.port,
    servfailStops: true,
    checkRa: st.checkRa,
    showSearch: false,
  });
  const queue: LookupSpec[] = [rev ? base(rev, 'PTR') : base(name, st.deftype)];
  while (queue.length) {
    const spec = queue.shift()!;
    const ok = runLookup(sys, spec, servers, {
      out,
      noServers: () => out(';; no servers could be reached\n'),
      reply: (ev: ReplyEvent) => {
        const msg = ev.reply;
        st.queryError = 0;
        const isA = spec.qtype === 'A';
        if (!st.defaultLookups || isA) {
          out(`Server:\t\t${ev.server.userarg}\nAddress:\t${sockaddrText(ev.server.addr, spec.port)}\n\n`);
        }
        if (st.debug) {
          out('------------\n');
          for (const sec of ['question', 'answer', 'authority', 'additional'] as const) out(detailSection(msg, sec));
          out('------------\n');
        }
        if (msg.rcode !== NOERROR) {
          out(`** server can't find ${nameFormat(ev.qname)}: ${rcodeText(msg.rcode)}\n`);
          st.printError |= 1;
          return;
        }
        if (st.defaultLookups && isA) queue.push({ ...base(chase(msg, ev.qname), 'AAAA'), useSearch: false, textname: chase(msg, ev.qname) + '.' });
        if (!msg.aa && (!st.defaultLookups || isA)) out('Non-authoritative answer:\n');
        if (msg.answer.length) out(printSection(msg.answer, 'answer'));
        else if (st.defaultLookups && isA) st.aNoAnswer = true;
        else if (!st.defaultLookups || (spec.qtype === 'AAAA' && st.aNoAnswer)) out(`*** Can't find ${stripDot(spec.textname)}: No answer\n`);
        if (!msg.aa && spec.qtype !== 'A' && spec.qtype !== 'AAAA') {
          out('\nAuthoritative answers can be found from:\n');
          out(printSection(msg.authority, 'other'));
          out(printSection(msg.additional, 'other'));
        }
      },
    });
    if (!ok) break;
  }
}

export const nslookup: NetCommand = {
  name: 'nslookup',
  complete: completeNslookup,
  async run(args, io, sys): Promise<CmdResult> {
    // in a container whose image is busybox-based, nslookup is busybox's applet (its own output)
    // a pod's namespace exists only in a world with a cluster, which has the layer loaded (k8s-lazy.ts)
    const box = kubernetesLoaded()?.toolboxAt(sys.world, sys.host, sys.ns) ?? null;
    if (box && box.has('nslookup') && box.flavour === 'busybox' && !box.has('dig')) return busyboxNslookup(args, sys);
    let stdout = '';
    let stderr = '';
    const out = (s: string) => (stdout += s);
    const st: State = {
      deftype: 'A',
      defclass: 'IN',
      defaultLookups: true,
      recurse: true,
      useSearch: true,
      port: 53,
      timeout: null,
      tries: null,
      ndots: null,
      domain: null,
      tcp: false,
      servers: null,
      checkRa: true,
      printError: 0,
      queryError: 1,
      aNoAnswer: false,
      debug: false,
    };
    let host: string | null = null;
    let haveLookup = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a.startsWith('-')) {
        if (a.toLowerCase().startsWith('-ver')) return { stdout, stderr: `nslookup ${BIND_VERSION}\n`, exitCode: 0 };
        if (a.length > 1) setOption(st, a.slice(1), out);
        else haveLookup = true;
        continue;
      }
      if (!haveLookup) {
        haveLookup = true;
        host = a;
      } else {
        if (args[i + 1] !== undefined) return { stdout, stderr: stderr + USAGE, exitCode: 1 };
        const r = serverAddresses(sys, a);
        if (r.servers.length === 0) return { stdout, stderr: `nslookup: couldn't get address for '${a}': ${r.error}\n`, exitCode: 1 };
        st.servers = r.servers;
        st.checkRa = false;
      }
    }
    if (host !== null) {
      lookupOne(sys, st, host, out);
    } else {
      // commands from stdin (not a terminal: no prompt)
      for (const raw of io.stdin.split('\n')) {
        const line = raw.trim();
        if (!line) continue;
        const w = line.split(/\s+/);
        if (w[0] === 'exit') break;
        if (w[0] === 'server' || w[0] === 'lserver') {
          if (w[1]) {
            const r = serverAddresses(sys, w[1]);
            if (r.servers.length) {
              st.servers = r.servers;
              st.checkRa = false;
              out(`Default server: ${w[1]}\nAddress: ${sockaddrText(r.servers[0]!.addr, st.port)}\n`);
            }
          }
          continue;
        }
        if (w[0] === 'set') {
          if (w[1]) setOption(st, w[1], out);
          continue;
        }
        lookupOne(sys, st, w[0]!, out);
      }
    }
    out('\n');
    return { stdout, stderr, exitCode: st.queryError | st.printError };
  },
};
