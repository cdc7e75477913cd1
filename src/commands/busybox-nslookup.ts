// busybox's nslookup applet (1.35-1.37, the "big" resolver from OpenWrt):
// what `kubectl exec client -- nslookup web` prints in a busybox pod. Not
// BIND's: `Address:\t10.96.0.10:53`, A and AAAA queries for each search
// domain when the name has no dot (none for the bare name), each reply
// printed as it comes (`** server can't find NAME: NXDOMAIN`, or the
// answers, `Non-authoritative answer:` when the reply is not authoritative),
// each followed by an empty line; exit 1 when a query failed.
import { makeQuery, messageSize, NXDOMAIN, RCODES, type DnsMessage } from '../sim/dns';
import { parseResolvConf, queryId, sendQuery } from '../sim/resolver';
import type { CmdResult, Sys } from './types';

const TYPES = ['SOA', 'NS', 'A', 'AAAA', 'CNAME', 'MX', 'TXT', 'PTR', 'ANY'];

const USAGE =
  'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n';

function ptrName(addr: string): string | null {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(addr);
  if (!m || m.slice(1).some((x) => Number(x) > 255)) return null;
  return `${m[4]}.${m[3]}.${m[2]}.${m[1]}.in-addr.arpa`;
}

function replyText(msg: DnsMessage, name: string): string {
  if (msg.rcode !== 0) return `** server can't find ${name}: ${RCODES[msg.rcode] ?? String(msg.rcode)}\n`;
  let s = msg.aa ? '' : 'Non-authoritative answer:\n';
  for (const rr of msg.answer) {
    const owner = rr.name.replace(/\.$/, '');
    const data = String((rr as { data?: unknown }).data ?? '').replace(/\.$/, '');
    if (rr.type === 'A' || rr.type === 'AAAA') s += `Name:\t${owner}\nAddress: ${data}\n`;
    else if (rr.type === 'CNAME') s += `${owner}\tcanonical name = ${data}\n`;
    else if (rr.type === 'PTR') s += `${owner}\tname = ${data}\n`;
    else if (rr.type === 'NS') s += `${owner}\tnameserver = ${data}\n`;
  }
  return s;
}

/** Run busybox nslookup in the caller's namespace (its /etc/resolv.conf as the pod sees it). */
export function busyboxNslookup(args: string[], sys: Sys): CmdResult {
  const types: string[] = [];
  let port = 53;
  let timeout = 5;
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('-'); i++) {
    const [opt, val = ''] = args[i]!.slice(1).split(/=(.*)/s);
    if (opt === 'type' || opt === 'querytype' || opt === 'q' || opt === 'query') {
      const t = val.toUpperCase();
      if (!TYPES.includes(t)) return { stdout: '', stderr: `nslookup: invalid query type "${val}"\n`, exitCode: 1 };
      types.push(t);
    } else if (opt === 'port') port = Number(val) || 53;
    else if (opt === 'timeout' || opt === 't') timeout = Number(val) || 5;
    else if (opt === 'retry' || opt === 'debug') continue;
    else return { stdout: '', stderr: USAGE, exitCode: 1 };
  }
  const host = args[i];
  if (!host || args.length > i + 2) return { stdout: '', stderr: USAGE, exitCode: 1 };
  const conf = parseResolvConf(sys.readFile('/etc/resolv.conf') ?? '');
  const server = args[i + 1] ?? conf.nameservers[0] ?? '127.0.0.1';
  // no type: a PTR query for an address, else A and AAAA; a name without a dot goes through the search list
  const queries: Array<{ type: string; name: string }> = [];
  const ptr = ptrName(host);
  const names = host.includes('.') || !conf.search.length ? [host] : conf.search.map((d) => `${host}.${d.replace(/\.$/, '')}`);
  if (!types.length && ptr) queries.push({ type: 'PTR', name: ptr });
  else for (const t of types.length ? types : ['A', 'AAAA']) for (const n of names) queries.push({ type: t, name: n });
  let out = '';
  let failed = false;
  let first = true;
  for (const q of queries) {
    const m = makeQuery(queryId(sys.world), q.name, q.type, { rd: true });
    m.size = messageSize(m, true);
    const r = sendQuery(sys.world, sys.ns, server, port, m, { timeoutMs: timeout * 1000, tcp: false });
    if (r.kind !== 'reply') continue;
    if (first) {
      out += `Server:\t\t${server}\nAddress:\t${server.includes(':') ? `[${server}]` : server}:${port}\n\n`;
      first = false;
    }
    if (r.msg.rcode !== 0) failed = true;
    out += replyText(r.msg, q.name) + '\n';
  }
  if (first) return { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '', exitCode: 1 };
  void NXDOMAIN;
  return { stdout: out, stderr: '', exitCode: failed ? 1 : 0 };
}
