// busybox's nslookup applet (1.35-1.37, the "big" resolver from OpenWrt):
// what `kubectl exec client -- nslookup web` prints in a busybox pod. Not
// BIND's: `Address:\t10.96.0.10:53`, A and AAAA queries for each search
// domain when the name has no dot (none for the bare name), each reply
// printed as it comes (`** server can't find NAME: NXDOMAIN`, or the
// answers, `Non-authoritative answer:` when the reply is not authoritative),
// each followed by an empty line; exit 1 when a query failed.
import { makeQuery, messageSize, RCODES, SERVFAIL, type DnsMessage } from '../sim/dns';
import { getDnsTransport, parseResolvConf, queryId } from '../sim/resolver';
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

/** One reply busybox accepted (or the last SERVFAIL it kept), and when it arrived. */
interface Arrival {
  i: number;
  msg: DnsMessage;
  at: number;
}

/**
 * busybox's send_queries() on the simulated clock: every query goes out at once on one connected
 * socket, the unanswered ones again every timeout/retry ms (5 s / 2: at 0 and 2.5 s), until the
 * timeout. A SERVFAIL is sent again at once while the round's budget (2 per query) lasts; a port
 * unreachable fails a read ("nslookup: read: Connection refused", once a round). Returns the accepted
 * replies in arrival order, whether any reply came, and the read errors.
 */
function sendQueries(sys: Sys, server: string, port: number, queries: Array<() => DnsMessage>, timeoutMs: number, retry: number): { arrivals: Arrival[]; replied: boolean; errors: string } {
  const world = sys.world;
  const transport = getDnsTransport();
  const t0 = world.now();
  const end = t0 + timeoutMs;
  const interval = Math.max(1, Math.floor(timeoutMs / Math.max(1, retry)));
  const first = new Map<number, Arrival>();
  let replied = false;
  let errors = '';
  for (let tSend = t0; tSend < end; tSend += interval) {
    let budget = 2 * queries.length;
    let refused = false;
    for (let i = 0; i < queries.length; i++) {
      if ((first.get(i)?.at ?? Infinity) <= tSend) continue;
      for (let at = tSend; ; ) {
        if (world.now() < at) world.advance(at - world.now());
        const q = queries[i]!();
        const r = transport.send(world, sys.ns, server, port, { ...q, question: q.question.map((x) => ({ ...x })) }, { timeoutMs: end - at, tcp: false });
        if (r.kind === 'refused') refused = true;
        if (r.kind !== 'reply' || at + r.rttMs >= end) break;
        const arr = at + r.rttMs;
        replied = true;
        if (r.msg.rcode === SERVFAIL && budget > 0) {
          budget--;
          at = arr;
          continue;
        }
        if (arr < (first.get(i)?.at ?? Infinity)) first.set(i, { i, msg: r.msg, at: arr });
        break;
      }
    }
    if (refused) errors += 'nslookup: read: Connection refused\n';
    const done = queries.every((_q, i) => first.has(i));
    if (done) break;
  }
  const arrivals = [...first.values()].sort((a, b) => a.at - b.at || a.i - b.i);
  const allDone = arrivals.length === queries.length;
  const stop = allDone ? Math.max(t0, ...arrivals.map((a) => a.at)) : end;
  if (world.now() < stop) world.advance(stop - world.now());
  return { arrivals, replied, errors };
}

/** Run busybox nslookup in the caller's namespace (its /etc/resolv.conf as the pod sees it). */
export function busyboxNslookup(args: string[], sys: Sys): CmdResult {
  const types: string[] = [];
  let port = 53;
  let timeout = 5;
  let retry = 2;
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('-'); i++) {
    const [opt, val = ''] = args[i]!.slice(1).split(/=(.*)/s);
    if (opt === 'type' || opt === 'querytype' || opt === 'q' || opt === 'query') {
      const t = val.toUpperCase();
      if (!TYPES.includes(t)) return { stdout: '', stderr: `nslookup: invalid query type "${val}"\n`, exitCode: 1 };
      types.push(t);
    } else if (opt === 'port') port = Number(val) || 53;
    else if (opt === 'timeout' || opt === 't') timeout = Number(val) || 5;
    else if (opt === 'retry') retry = Number(val) || 2;
    else if (opt === 'debug') continue;
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
  // each query made (its id drawn) when it is first sent, and the same one sent again
  const msgs = queries.map((q) => {
    let m: DnsMessage | null = null;
    return () => {
      if (!m) {
        m = makeQuery(queryId(sys.world), q.name, q.type, { rd: true });
        m.size = messageSize(m, true);
      }
      return m;
    };
  });
  const { arrivals, replied, errors } = sendQueries(sys, server, port, msgs, timeout * 1000, retry);
  if (!replied) return { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: errors, exitCode: 1 };
  let out = `Server:\t\t${server}\nAddress:\t${server.includes(':') ? `[${server}]` : server}:${port}\n\n`;
  let failed = false;
  for (const a of arrivals) {
    if (a.msg.rcode !== 0) failed = true;
    out += replyText(a.msg, queries[a.i]!.name) + '\n';
  }
  // queries left without a reply
  const missing = queries.filter((_q, k) => !arrivals.some((a) => a.i === k));
  for (const q of missing) out += `*** Can't find ${q.name}: No answer\n`;
  if (missing.length) out += '\n';
  // (busybox prints them, but only an error rcode sets its exit code)
  return { stdout: out, stderr: errors, exitCode: failed ? 1 : 0 };
}
