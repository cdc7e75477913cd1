// BIND 9.18 dig: command line (global and per-lookup options, @server,
// positional types and classes, -x), the query through the simulated
// network, and the reply in dig's formats (full, +short, +noall +answer...).
import type { CmdResult, NetCommand, Sys } from './types';
import { ordered } from './types';
import { inDomain, messageSize } from '../sim/dns';
import type { DnsMessage } from '../sim/dns';
import {
  OPCODES,
  bindResConf,
  digStyle,
  groupRRs,
  optText,
  questionText,
  rcodeText,
  rdataText,
  rrText,
  runLookup,
  sockaddrText,
  whenText,
} from './bind-common';
import type { ReplyEvent } from './bind-common';
import { DigArgs, Usage, defaultLookup } from './dig-args';
import type { DigState, Lookup } from './dig-args';
import './dns-completion';
import { completeDig } from './dns-completion';


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
  const { st, lookups } = new DigArgs(sys, defaultLookup(rc), out, err, bannerArgs).parse(args);
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

