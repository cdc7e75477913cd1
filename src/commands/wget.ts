// busybox wget (the applet of the busybox image, 1.37 built with long
// options, -T and HTTPS): one HTTP/1.1 GET per URL over the client that curl
// uses (http-client.ts), `Connecting to HOST (IP:PORT)`, -S's server lines,
// `saving to`/`writing to stdout`, the progress line and `saved`/`written`,
// --spider's `remote file exists`, and its errors (all exit 1): bad address,
// can't connect, download timed out, server returned error, can't open.
// Only where the container's image has the applet (src/k8s/runtime/toolbox.ts):
// the nodes themselves have no wget.
import { table } from '../sim/own';
import { STRERROR } from '../sim/errors';
import { getNode, normPath, parentOf } from '../sim/files';
import type { HttpRequest } from '../sim/http';
import { icmpErrno } from '../sim/packet';
import { kubernetesLoaded } from './k8s-lazy';
import { httpExchange, resolveIPv4 } from './http-client';
import type { CmdIO, CmdResult, NetCommand, Sys } from './types';
import { ordered } from './types';

const BANNER = 'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n';
const USAGE =
  '\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n' +
  '\t[--post-data STR | --post-file FILE] [-Y on/off]\n' +
  '\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...\n' +
  '\nRetrieve files via HTTP or FTP\n\n' +
  '\t--spider\tOnly check URL existence: $? is 0 if exists\n' +
  "\t--header STR\tAdd STR (of form 'header: value') to headers\n" +
  '\t--post-data STR\tSend STR using POST method\n' +
  '\t--post-file FILE\tSend FILE using POST method\n' +
  "\t--no-check-certificate\tDon't validate the server's certificate\n" +
  '\t-c\t\tContinue retrieval of aborted transfer\n' +
  '\t-q\t\tQuiet\n' +
  '\t-P DIR\t\tSave to DIR (default .)\n' +
  '\t-S    \t\tShow server response\n' +
  '\t-T SEC\t\tNetwork read timeout is SEC seconds\n' +
  "\t-O FILE\t\tSave to FILE ('-' for stdout)\n" +
  '\t-o LOGFILE\tLog messages to FILE\n' +
  '\t-U STR\t\tUse STR for User-Agent header\n' +
  '\t-Y on/off\tUse proxy\n';

/** The kernel gives up on a connect() after tcp_syn_retries (6) retransmissions: 127 s. */
const KERNEL_CONNECT_MS = 127_000;

class Die extends Error {
  constructor(
    public text: string,
    public code = 1,
  ) {
    super(text);
  }
}

interface Opts {
  quiet: boolean;
  serverResponse: boolean;
  spider: boolean;
  output: string | null;
  prefix: string | null;
  userAgent: string;
  timeoutSec: number;
  headers: string[];
  postData: string | null;
  urls: string[];
}

const LONG: Record<string, { arg: boolean; key: string }> = table({
  continue: { arg: false, key: 'c' },
  quiet: { arg: false, key: 'q' },
  'server-response': { arg: false, key: 'S' },
  'output-document': { arg: true, key: 'O' },
  'output-file': { arg: true, key: 'o' },
  'directory-prefix': { arg: true, key: 'P' },
  proxy: { arg: true, key: 'Y' },
  'user-agent': { arg: true, key: 'U' },
  timeout: { arg: true, key: 'T' },
  tries: { arg: true, key: 't' },
  header: { arg: true, key: 'header' },
  'post-data': { arg: true, key: 'post-data' },
  'post-file': { arg: true, key: 'post-file' },
  spider: { arg: false, key: 'spider' },
  'no-check-certificate': { arg: false, key: 'ignored' },
  'passive-ftp': { arg: false, key: 'ignored' },
  'no-cache': { arg: false, key: 'ignored' },
  'no-verbose': { arg: false, key: 'ignored' },
  'no-clobber': { arg: false, key: 'ignored' },
  'no-host-directories': { arg: false, key: 'ignored' },
  'no-parent': { arg: false, key: 'ignored' },
});
const SHORT_ARG = new Set(['O', 'o', 'P', 'Y', 'U', 'T', 't']);
const SHORT_FLAG = new Set(['c', 'q', 'S']);

const usage = (first = ''): Die => new Die(first + BANNER + USAGE);

function parseArgs(args: string[], sys: Sys, cwd: string): Opts {
  const o: Opts = { quiet: false, serverResponse: false, spider: false, output: null, prefix: null, userAgent: 'Wget', timeoutSec: 900, headers: [], postData: null, urls: [] };
  const set = (key: string, v: string | null): void => {
    switch (key) {
      case 'q':
        o.quiet = true;
        break;
      case 'S':
        o.serverResponse = true;
        break;
      case 'O':
        o.output = v;
        break;
      case 'P':
        o.prefix = v;
        break;
      case 'U':
        o.userAgent = v ?? '';
        break;
      case 'T': {
        // getopt32's "+" conversion: a positive number or busybox's "invalid number"
        if (!/^\d+$/.test(v ?? '')) throw new Die(`wget: invalid number '${v}'\n`);
        o.timeoutSec = Number(v);
        break;
      }
      case 'header':
        o.headers.push(v ?? '');
        break;
      case 'post-data':
        o.postData = v;
        break;
      case 'post-file': {
        const path = v!.startsWith('/') ? v! : `${cwd}/${v}`;
        const text = v === '-' ? '' : sys.readFile(normPath(path));
        if (text === null) throw new Die(`wget: can't open '${v}': No such file or directory\n`);
        o.postData = text;
        break;
      }
      default:
        break; // -c, -o, -Y, -t, -n and the ignored long options change nothing here
    }
  };
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq >= 0 ? eq : undefined);
      if (name === 'help') throw new Die(BANNER + USAGE, 0);
      const matches = Object.keys(LONG).filter((k) => k.startsWith(name));
      const exact = LONG[name] ? name : matches.length === 1 ? matches[0]! : null;
      if (!exact) {
        if (matches.length > 1) throw usage(`wget: option '${a.slice(0, eq >= 0 ? eq : undefined)}' is ambiguous; possibilities:${matches.map((m) => ` '--${m}'`).join('')}\n`);
        throw usage(`wget: unrecognized option '${a}'\n`);
      }
      const spec = LONG[exact]!;
      if (!spec.arg) {
        if (eq >= 0) throw usage(`wget: option '--${exact}' doesn't allow an argument\n`);
        if (spec.key === 'spider') o.spider = true;
        else set(spec.key, null);
        continue;
      }
      let v: string;
      if (eq >= 0) v = a.slice(eq + 1);
      else if (i + 1 < args.length) v = args[++i]!;
      else throw usage(`wget: option '--${exact}' requires an argument\n`);
      set(spec.key, v);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (c === 'n') break; // -n[ARG]: -nv, -nc, -nH, -np are accepted and ignored
        if (SHORT_FLAG.has(c)) {
          set(c, null);
          continue;
        }
        if (SHORT_ARG.has(c)) {
          let v: string;
          if (j + 1 < a.length) v = a.slice(j + 1);
          else if (i + 1 < args.length) v = args[++i]!;
          else throw usage(`wget: option requires an argument -- '${c}'\n`);
          set(c, v);
          break;
        }
        throw usage(`wget: invalid option -- '${c}'\n`);
      }
      continue;
    }
    o.urls.push(a);
  }
  o.urls.push(...args.slice(i));
  if (!o.urls.length) throw usage();
  return o;
}

interface Target {
  scheme: 'http' | 'https' | 'ftp';
  /** host as written, with its :port if one was given (what `Connecting to` names) */
  hostPort: string;
  host: string;
  port: number;
  /** the path after the first '/', '?' or '#' (without it) */
  path: string;
}

function parseUrl(url: string): Target {
  let rest = url;
  let scheme: Target['scheme'] = 'http';
  const sep = url.indexOf('://');
  if (sep >= 0) {
    const s = url.slice(0, sep);
    if (s === 'http' || s === 'https' || s === 'ftp') scheme = s;
    else throw new Die(`wget: not an http or ftp url: ${url}\n`);
    rest = url.slice(sep + 3);
  }
  let cut = rest.length;
  for (const ch of ['/', '?', '#']) {
    const k = rest.indexOf(ch);
    if (k >= 0 && k < cut) cut = k;
  }
  let hostPort = rest.slice(0, cut);
  const path = cut < rest.length ? rest.slice(cut + 1) : '';
  const at = hostPort.lastIndexOf('@');
  if (at >= 0) hostPort = hostPort.slice(at + 1);
  const defPort = scheme === 'https' ? 443 : scheme === 'ftp' ? 21 : 80;
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  const host = (m?.[1] ?? hostPort).replace(/^\[|\]$/g, '');
  const port = m?.[2] ? Number(m[2]) : defPort;
  return { scheme, hostPort, host, port, path };
}

/** busybox's smart_ulltoa5: five columns, scaled with k, M, G beyond 99999 */
function size5(n: number): string {
  const units = ' kMGTPEZY';
  let v = n;
  let u = 0;
  while (v > 99999) {
    v = Math.floor(v / 1024);
    u++;
  }
  return u === 0 ? String(v).padStart(5) : (String(v).padStart(4) + units[u]!).slice(-5);
}

/** The final progress line of a transfer (busybox's bb_progress_update at 100 %). */
function progressLine(name: string, size: number, sys: Sys): string {
  const tty = sys.tty;
  const bar = (tty ? sys.columns : 80) - 48;
  const label = name.slice(0, 20).padEnd(20);
  const stars = bar > 2 ? `|${'*'.repeat(Math.min(bar, 999))}| ` : '';
  return `${tty ? '\r' : ''}${label} 100% ${stars}${size5(size)}  0:00:00 ETA\n`;
}

async function download(url: string, o: Opts, io: CmdIO, sys: Sys, out: Array<[1 | 2, string]>): Promise<void> {
  const err = (t: string): void => void out.push([2, t]);
  const t = parseUrl(url);
  const ip = resolveIPv4(sys, t.host);
  if (ip === null) throw new Die(`wget: bad address '${t.host}'\n`);
  if (!o.quiet) err(`Connecting to ${t.hostPort} (${ip}:${t.port})\n`);
  const headers: [string, string][] = [];
  const user = o.headers.map((h) => h.split(':')[0]!.trim().toLowerCase());
  if (!user.includes('host')) headers.push(['Host', t.hostPort]);
  if (!user.includes('user-agent')) headers.push(['User-Agent', o.userAgent]);
  headers.push(['Connection', 'close']);
  for (const h of o.headers) {
    const k = h.indexOf(':');
    headers.push(k > 0 ? [h.slice(0, k), h.slice(k + 1).trim()] : [h, '']);
  }
  if (o.postData !== null) headers.push(['Content-Type', 'application/x-www-form-urlencoded'], ['Content-Length', String(o.postData.length)]);
  const req: HttpRequest = { method: o.postData !== null ? 'POST' : 'GET', path: '/' + t.path, version: 'HTTP/1.1', headers, body: o.postData ?? '', ...(t.scheme === 'https' ? { tls: true } : {}) };
  const limit = o.timeoutSec > 0 ? o.timeoutSec * 1000 : Infinity;
  const x = httpExchange(sys, ip, t.port, req, { connectTimeoutMs: Math.min(limit, KERNEL_CONNECT_MS), responseTimeoutMs: () => (Number.isFinite(limit) ? limit : 3_600_000) });
  if (x.kind === 'connect-failed') {
    const c = x.conn;
    if (c.kind === 'timeout') {
      if (limit <= KERNEL_CONNECT_MS) throw new Die('wget: download timed out\n');
      throw new Die(`wget: can't connect to remote host (${ip}): ${STRERROR.ETIMEDOUT}\n`);
    }
    const errno = c.kind === 'refused' ? 'ECONNREFUSED' : c.kind === 'unreachable' ? icmpErrno(c.type, c.code, c.from.includes(':')) : c.errno;
    throw new Die(`wget: can't connect to remote host (${ip}): ${STRERROR[errno]}\n`);
  }
  if (x.kind === 'no-response') {
    if (x.why === 'timeout') throw new Die('wget: download timed out\n');
    throw new Die('wget: error getting response: Connection reset by peer\n');
  }
  const res = x.res;
  const statusLine = `${res.version} ${res.status} ${res.reason}`;
  if (o.serverResponse) err(`  ${statusLine}\n` + res.headers.map(([k, v]) => `  ${k}: ${v}\n`).join('') + '  \n');
  if (!(res.status >= 200 && res.status <= 204) && !(res.status >= 300 && res.status <= 303)) throw new Die(`wget: server returned error: ${statusLine}\n`);
  if (o.spider) {
    if (!o.quiet) err('remote file exists\n');
    return;
  }
  const toStdout = o.output === '-';
  let name = o.output;
  if (name === null) {
    const last = t.path.slice(t.path.lastIndexOf('/') + 1);
    name = last === '' ? 'index.html' : last;
    if (o.prefix !== null) name = `${o.prefix.replace(/\/$/, '')}/${name}`;
  }
  const body = res.body;
  if (toStdout) {
    if (!o.quiet) err('writing to stdout\n');
    out.push([1, body]);
    if (!o.quiet) err(progressLine('-', body.length, sys) + 'written to stdout\n');
    return;
  }
  const abs = normPath(name.startsWith('/') ? name : `${io.cwd}/${name}`);
  const host = sys.world.host(sys.host);
  const dir = getNode(host, parentOf(abs));
  const existing = getNode(host, abs);
  if (abs !== '/dev/null') {
    if (!dir || dir.type !== 'dir') throw new Die(`wget: can't open '${name}': ${STRERROR[dir ? 'ENOTDIR' : 'ENOENT']}\n`);
    if (existing?.type === 'dir') throw new Die(`wget: can't open '${name}': ${STRERROR.EISDIR}\n`);
    // without -O the file is created O_EXCL: an existing one stops the download
    if (existing && o.output === null) throw new Die(`wget: can't open '${name}': ${STRERROR.EEXIST}\n`);
  }
  if (!o.quiet) err(`saving to '${name}'\n`);
  if (abs !== '/dev/null') sys.writeFile(abs, body);
  if (!o.quiet) err(progressLine(abs.slice(abs.lastIndexOf('/') + 1), body.length, sys) + `'${name}' saved\n`);
}

async function run(args: string[], io: CmdIO, sys: Sys): Promise<CmdResult> {
  const out: Array<[1 | 2, string]> = [];
  try {
    const o = parseArgs(args, sys, io.cwd);
    for (const url of o.urls) await download(url, o, io, sys, out);
    return ordered(out, 0);
  } catch (e) {
    if (!(e instanceof Die)) throw e;
    out.push([2, e.text]);
    return ordered(out, e.code);
  }
}

export const wget: NetCommand = {
  name: 'wget',
  async run(args, io, sys) {
    // the applet exists only where the image has it (a busybox container); the nodes have no wget
    // a pod's namespace exists only in a world with a cluster, which has the layer loaded (k8s-lazy.ts)
    const box = kubernetesLoaded()?.toolboxAt(sys.world, sys.host, sys.ns) ?? null;
    if (!box || !box.has('wget')) return { stdout: '', stderr: `bash: wget: command not found\n`, exitCode: 127 };
    return run(args, io, sys);
  },
};

export { run as runBusyboxWget };
