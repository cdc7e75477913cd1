// curl 7.88.1 (Debian 12) for http:// URLs against the simulated servers:
// GET/HEAD/other methods over a TCP connection through the packet engine,
// -s -S -v -i -I -o -w -H -X -d -f -m --connect-timeout -A -L, the
// progress meter when the body does not go to a terminal, and the real
// error messages and exit codes (6 resolve, 7 connect, 22 -f, 28 timeout).
import { table } from '../sim/own';
import { inetAton } from '../sim/resolver';
import { parseHttpdArgs, startHttpServer, type HttpRequest, type HttpResponse } from '../sim/http';
import { httpExchange, resolveIPv4 } from './http-client';
import { netnsByName } from '../sim/netns';
import type { CmdIO, CmdResult, NetCommand, SetupSession, Sys } from './types';
import { ordered } from './types';
import { completeCurl } from './completion-clients';

const VERSION = '7.88.1';

class CurlError extends Error {
  constructor(
    public code: number,
    public msg: string,
  ) {
    super(msg);
  }
}

interface Opts {
  silent: boolean;
  showError: boolean;
  verbose: boolean;
  include: boolean;
  head: boolean;
  output: string | null;
  /** -D/--dump-header FILE: the received headers go to FILE ("-": stdout) */
  dumpHeader: string | null;
  writeOut: string | null;
  headers: string[];
  method: string | null;
  data: string | null;
  fail: boolean;
  maxTime: number | null;
  connectTimeout: number | null;
  userAgent: string;
  location: boolean;
  urls: string[];
}

const TRY_HELP = "curl: try 'curl --help' or 'curl --manual' for more information\n";

/** One option of curl's table (tool_getparam.c aliases[]): long name, short letter, whether it takes a value */
interface OptDef {
  long: string;
  short?: string;
  arg: boolean;
  set(o: Opts, v: string, name: string): void;
}

const num = (v: string, name: string): number => {
  if (!/^\d+(\.\d+)?$/.test(v)) throw new CurlError(2, `curl: option ${name}: expected a proper numerical parameter\n${TRY_HELP}`);
  return Number(v);
};
const flag = (long: string, short: string | undefined, set: (o: Opts) => void): OptDef => ({ long, short, arg: false, set });
const value = (long: string, short: string | undefined, set: (o: Opts, v: string, name: string) => void): OptDef => ({ long, short, arg: true, set });
const ignored = (long: string, short?: string): OptDef => flag(long, short, () => {});

const OPTIONS: OptDef[] = [
  flag('silent', 's', (o) => (o.silent = true)),
  flag('show-error', 'S', (o) => (o.showError = true)),
  flag('verbose', 'v', (o) => (o.verbose = true)),
  flag('include', 'i', (o) => (o.include = true)),
  flag('head', 'I', (o) => (o.head = true)),
  flag('fail', 'f', (o) => (o.fail = true)),
  flag('location', 'L', (o) => (o.location = true)),
  value('output', 'o', (o, v) => (o.output = v)),
  value('dump-header', 'D', (o, v) => (o.dumpHeader = v)),
  value('write-out', 'w', (o, v) => (o.writeOut = v)),
  value('header', 'H', (o, v) => o.headers.push(v)),
  value('request', 'X', (o, v) => (o.method = v)),
  value('data', 'd', (o, v) => (o.data = v)),
  value('data-raw', undefined, (o, v) => (o.data = v)),
  value('data-binary', undefined, (o, v) => (o.data = v)),
  value('max-time', 'm', (o, v, name) => (o.maxTime = num(v, name))),
  value('connect-timeout', undefined, (o, v, name) => (o.connectTimeout = num(v, name))),
  value('user-agent', 'A', (o, v) => (o.userAgent = v)),
  value('url', undefined, (o, v) => o.urls.push(v)),
  ignored('insecure', 'k'),
  ignored('http1.1'),
  ignored('http1.0'),
  ignored('compressed'),
  ignored('no-progress-meter'),
  flag('help', 'h', () => {
    throw new CurlError(0, '');
  }),
  flag('version', 'V', () => {
    throw new CurlError(-1, '');
  }),
];

function parseArgs(args: string[]): Opts {
  const o: Opts = { silent: false, showError: false, verbose: false, include: false, head: false, output: null, dumpHeader: null, writeOut: null, headers: [], method: null, data: null, fail: false, maxTime: null, connectTimeout: null, userAgent: `curl/${VERSION}`, location: false, urls: [] };
  const need = (i: number, name: string): string => {
    if (i >= args.length) throw new CurlError(2, `curl: option ${name}: requires parameter\n${TRY_HELP}`);
    return args[i]!;
  };
  const unknown = (name: string) => new CurlError(2, `curl: option ${name}: is unknown\n${TRY_HELP}`);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const def = OPTIONS.find((d) => d.long === a.slice(2));
      if (!def) throw unknown(a);
      def.set(o, def.arg ? need(++i, a) : '', a);
    } else if (a.startsWith('-') && a.length > 1) {
      // a cluster of short options; one that takes a value takes the rest of the word, or the next word
      for (let j = 1; j < a.length; j++) {
        const name = `-${a[j]}`;
        const def = OPTIONS.find((d) => d.short === a[j]);
        if (!def) throw unknown(name);
        let v = '';
        if (def.arg && j + 1 < a.length) {
          v = a.slice(j + 1);
          j = a.length;
        } else if (def.arg) v = need(++i, name);
        def.set(o, v, name);
      }
    } else o.urls.push(a);
  }
  return o;
}

/** The TCP protocols of Debian's curl 7.88 and their default ports (curl connects before it speaks them). */
const DEFAULT_PORTS: Record<string, number> = table({
  http: 80, https: 443, ftp: 21, ftps: 990, dict: 2628, gopher: 70, gophers: 70, imap: 143, imaps: 993, ldap: 389,
  ldaps: 636, mqtt: 1883, pop3: 110, pop3s: 995, rtsp: 554, scp: 22, sftp: 22, smb: 445, smbs: 445, smtp: 25,
  smtps: 465, telnet: 23,
});

interface Url {
  scheme: string;
  host: string;
  port: number;
  path: string;
}

function parseUrl(u: string): Url | null {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?(\[[^\]]+\]|[^/:?#]*)(?::(\d*))?([/?#].*)?$/.exec(u);
  if (!m || !m[2]) return null;
  const scheme = (m[1] ?? 'http').toLowerCase();
  const port = m[3] ? Number(m[3]) : (DEFAULT_PORTS[scheme] ?? 80);
  if (port > 65535) return null;
  let path = m[4] ?? '/';
  if (path.startsWith('?') || path.startsWith('#')) path = '/' + path;
  path = path.replace(/#.*$/, '');
  return { scheme, host: m[2], port, path };
}

function writeOutFmt(fmt: string, vars: Record<string, string>): string {
  return fmt
    .replace(/%\{([a-z_]+)\}/g, (all, k: string) => vars[k] ?? '')
    .replace(/\\n/g, '\n')
    .replace(/\\t/g, '\t')
    .replace(/\\r/g, '\r');
}

function human(n: number): string {
  if (n < 100000) return String(n);
  if (n < 10_000_000) return `${Math.round(n / 1024)}k`;
  return `${Math.round(n / 1048576)}M`;
}

function progressMeter(total: number, ms: number): string {
  const speed = ms > 0 ? Math.round((total * 1000) / ms) : total;
  const pad = (s: string, n: number): string => s.padStart(n, ' ');
  return (
    '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n' +
    '                                 Dload  Upload   Total   Spent    Left  Speed\n' +
    `\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\r` +
    `${pad('100', 3)} ${pad(human(total), 5)}  ${pad('100', 3)} ${pad(human(total), 5)}    0     0 ${pad(human(speed), 6)}      0 --:--:-- --:--:-- --:--:-- ${pad(human(speed), 6)}\n`
  );
}

/** The two output streams of a run, cut where curl switches between them so that the result keeps the order
 * (-v: the request and response headers, the body, then 'Connection #0 ... left intact') */
class Streams {
  stdout = '';
  stderr = '';
  private cuts: Array<[number, number]> = [];
  cut(): void {
    this.cuts.push([this.stdout.length, this.stderr.length]);
  }
  result(exitCode: number): CmdResult {
    const chunks: Array<[1 | 2, string]> = [];
    let o0 = 0;
    let e0 = 0;
    for (const [o1, e1] of [...this.cuts, [this.stdout.length, this.stderr.length] as [number, number]]) {
      chunks.push([2, this.stderr.slice(e0, e1)], [1, this.stdout.slice(o0, o1)]);
      o0 = o1;
      e0 = e1;
    }
    return ordered(chunks, exitCode);
  }
}

/** Where one URL's transfer goes: the peer, as curl resolved it */
interface Target {
  raw: string;
  url: Url;
  host: string;
  ip: string;
  v6: boolean;
}

/** One curl invocation (tool_operate.c): each URL in turn; the first failure ends the run with its exit code. */
class CurlRun extends Streams {
  // where a failed transfer got to, for -w (curl writes it after the error message, http_code 000)
  private failed = { ip: '', port: '0', http: '000', connects: '0', start: 0 };
  constructor(
    private o: Opts,
    private io: CmdIO,
    private sys: Sys,
  ) {
    super();
  }

  all(): CmdResult {
    if (this.o.urls.length === 0) return { stdout: '', stderr: TRY_HELP, exitCode: 2 };
    for (const raw of this.o.urls) {
      const t = this.target(raw);
      if ('exitCode' in t) return t;
      const failure = this.transfer(t);
      if (failure) return failure;
    }
    return this.result(0);
  }

  private fail(code: number, msg: string): CmdResult {
    const o = this.o;
    // -v: failf() shows the message as an info line too, then the connection is closed
    if (o.verbose && (code === 6 || code === 7 || code === 28 || code === 56)) this.stderr += `* ${msg}\n* Closing connection 0\n`;
    if (!o.silent || o.showError) this.stderr += `curl: (${code}) ${msg}\n`;
    if (o.writeOut !== null && code !== 3 && code !== 1) {
      const f = this.failed;
      this.cut();
      this.stdout += writeOutFmt(o.writeOut, {
        http_code: f.http,
        response_code: f.http,
        exitcode: String(code),
        errormsg: msg,
        remote_ip: f.ip,
        remote_port: f.port,
        size_download: '0',
        size_header: '0',
        num_connects: f.connects,
        time_total: ((this.sys.world.now() - f.start) / 1000).toFixed(6),
        time_connect: '0.000000',
      });
    }
    return this.result(code);
  }

  /** the URL parsed, its scheme checked and its host resolved */
  private target(raw: string): Target | CmdResult {
    const url = parseUrl(raw);
    if (!url) return this.fail(3, 'URL using bad/illegal format or missing URL');
    // no TLS on the simulated hosts (the server end does not speak it); curl's other protocols connect first too
    if (url.scheme !== 'http' && url.scheme !== 'https' && DEFAULT_PORTS[url.scheme] === undefined) return this.fail(1, `Protocol "${url.scheme}" not supported or disabled in libcurl`);
    const host = url.host.replace(/^\[|\]$/g, '');
    const v6 = url.host.startsWith('[') && host.includes(':');
    const ip = v6 ? host : (inetAton(host) ?? resolveIPv4(this.sys, host));
    if (ip === null) return this.fail(6, `Could not resolve host: ${host}`);
    return { raw, url, host, ip, v6 };
  }

  /** one URL's exchange; null when it succeeded */
  private transfer(t: Target): CmdResult | null {
    const { o, sys } = this;
    const { url, host, ip } = t;
    const world = sys.world;
    const start = world.now();
    this.failed.start = start;
    if (o.verbose) this.stderr += `*   Trying ${t.v6 ? `[${ip}]` : ip}:${url.port}...\n`;
    const connectLimit = Math.min(o.connectTimeout !== null ? o.connectTimeout * 1000 : 300_000, o.maxTime !== null ? o.maxTime * 1000 : Infinity);
    const elapsed = (): number => Math.floor(world.now() - start);
    const method = o.method ?? (o.head ? 'HEAD' : o.data !== null ? 'POST' : 'GET');
    const headers = requestHeaders(o, url, host);
    const req: HttpRequest = { method, path: url.path, version: 'HTTP/1.1', headers, body: o.data ?? '', ...(url.scheme === 'https' ? { tls: true } : {}) };
    const x = httpExchange(sys, ip, url.port, req, {
      connectTimeoutMs: connectLimit,
      responseTimeoutMs: (t0) => (o.maxTime !== null ? Math.max(1, t0 + o.maxTime * 1000 - world.now()) : 300_000),
    });
    if (x.kind === 'connect-failed') {
      const c = x.conn;
      if (c.kind === 'timeout') {
        if (o.connectTimeout !== null || o.maxTime !== null) return this.fail(28, `Connection timed out after ${elapsed() + 1} milliseconds`);
        return this.fail(28, `Failed to connect to ${host} port ${url.port} after ${elapsed()} ms: Couldn't connect to server`);
      }
      if (o.verbose && c.kind === 'refused') this.stderr += `* connect to ${ip} port ${url.port} failed: Connection refused\n`;
      return this.fail(7, `Failed to connect to ${host} port ${url.port} after ${elapsed()} ms: Couldn't connect to server`);
    }
    // curl knows the peer (%{remote_ip}, %{remote_port}) once connected: ':0' before
    Object.assign(this.failed, { connects: '1', ip, port: String(url.port) });
    if (o.verbose) {
      this.stderr += `* Connected to ${host} (${ip}) port ${url.port} (#0)\n`;
      this.stderr += `> ${method} ${url.path} HTTP/1.1\n`;
      for (const [k, v] of headers) this.stderr += `> ${k}: ${v}\n`;
      this.stderr += '> \n';
    }
    if (x.kind === 'no-response') {
      if (x.why === 'timeout') return this.fail(28, `Operation timed out after ${elapsed() + 1} milliseconds with 0 bytes received`);
      return this.fail(56, 'Recv failure: Connection reset by peer');
    }
    const res = x.res;
    if (o.verbose) {
      // an HTTP/1.0 answer ends with the connection (captured: a server writing Go's plain-text 400)
      if (res.version === 'HTTP/1.0') this.stderr += '* HTTP 1.0, assume close after body\n';
      this.stderr += `< ${res.version} ${res.status} ${res.reason}\n`;
      for (const [k, v] of res.headers) this.stderr += `< ${k}: ${v}\n`;
      this.stderr += '< \n';
    }
    this.failed.http = String(res.status).padStart(3, '0');
    if (o.fail && res.status >= 400) {
      if (o.verbose) this.stderr += `* The requested URL returned error: ${res.status}\n* Closing connection 0\n`;
      return this.fail(22, `The requested URL returned error: ${res.status}`);
    }
    this.deliver(t, res, start);
    if (o.writeOut !== null) {
      this.stdout += writeOutFmt(o.writeOut, {
        http_code: String(res.status).padStart(3, '0'),
        response_code: String(res.status).padStart(3, '0'),
        remote_ip: ip,
        remote_port: String(url.port),
        size_download: String(res.body.length),
        size_header: String(res.wire.length - res.body.length),
        time_total: ((world.now() - start) / 1000).toFixed(6),
        time_connect: (x.connectRtt / 1000).toFixed(6),
        url_effective: t.raw.includes('://') ? t.raw : `http://${t.raw}`,
        content_type: res.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '',
        num_connects: '1',
        exitcode: '0',
        errormsg: '',
        method,
        scheme: 'HTTP',
      });
    }
    this.cut();
    return null;
  }

  /** the response written where the options send it: -D headers, -i/-I, the body to -o or stdout, the meter */
  private deliver(t: Target, res: HttpResponse, start: number): void {
    const { o, io, sys } = this;
    const abs = (f: string) => (f.startsWith('/') ? f : `${io.cwd.replace(/\/$/, '')}/${f}`);
    let body = '';
    const headerBlock = `${res.version} ${res.status} ${res.reason}\r\n` + res.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
    if (o.dumpHeader === '-') this.stdout += headerBlock;
    else if (o.dumpHeader !== null) sys.writeFile(abs(o.dumpHeader), headerBlock);
    if (o.include || o.head) body += headerBlock;
    if (!o.head) body += res.body;
    this.cut();
    if (o.output !== null) sys.writeFile(abs(o.output), body);
    else this.stdout += body;
    this.cut();
    if (!o.silent && !o.verbose && (o.output !== null || !sys.tty)) this.stderr += progressMeter(res.body.length, sys.world.now() - start);
    if (o.verbose) this.stderr += res.version === 'HTTP/1.0' ? '* Closing connection 0\n' : `* Connection #0 to host ${t.host} left intact\n`;
    this.cut();
  }
}

/** The request's headers (lib/http.c): Host, User-Agent, Accept, then -H (replacing one of those, or `Name:` removing it) */
function requestHeaders(o: Opts, url: Url, host: string): [string, string][] {
  const headers: [string, string][] = [
    ['Host', url.port === 80 ? host : `${host}:${url.port}`],
    ['User-Agent', o.userAgent],
    ['Accept', '*/*'],
  ];
  for (const h of o.headers) {
    const i = h.indexOf(':');
    if (i <= 0) continue;
    const k = h.slice(0, i).trim();
    const v = h.slice(i + 1).trim();
    const at = headers.findIndex(([x]) => x.toLowerCase() === k.toLowerCase());
    if (at >= 0) {
      if (v === '') headers.splice(at, 1);
      else headers[at] = [k, v];
    } else if (v !== '') headers.push([k, v]);
  }
  if (o.data !== null) {
    headers.push(['Content-Length', String(o.data.length)]);
    headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
  }
  return headers;
}

export const curl: NetCommand = {
  name: 'curl',
  complete: completeCurl,
  setupDirectives: { httpd: httpdDirective },
  async run(args: string[], io: CmdIO, sys: Sys): Promise<CmdResult> {
    try {
      return new CurlRun(parseArgs(args), io, sys).all();
    } catch (e) {
      if (e instanceof CurlError) {
        if (e.code === -1) return { stdout: `curl ${VERSION} (x86_64-pc-linux-gnu) libcurl/${VERSION} OpenSSL/3.0.11 zlib/1.2.13 brotli/1.0.9 zstd/1.5.4 libidn2/2.3.3 libpsl/0.21.2 (+libidn2/2.3.3) libssh2/1.10.0 nghttp2/1.52.0 librtmp/2.3 OpenLDAP/2.5.13\nRelease-Date: 2023-02-20, security patched: 7.88.1-10+deb12u14\nProtocols: dict file ftp ftps gopher gophers http https imap imaps ldap ldaps mqtt pop3 pop3s rtmp rtsp scp sftp smb smbs smtp smtps telnet tftp\nFeatures: alt-svc AsynchDNS brotli GSS-API HSTS HTTP2 HTTPS-proxy IDN IPv6 Kerberos Largefile libz NTLM NTLM_WB PSL SPNEGO SSL threadsafe TLS-SRP UnixSockets zstd\n`, stderr: '', exitCode: 0 };
        if (e.code === 0) return { stdout: 'Usage: curl [options...] <url>\n -d, --data <data>          HTTP POST data\n -f, --fail                 Fail fast with no output on HTTP errors\n -h, --help <category>      Get help for commands\n -i, --include              Include protocol response headers in the output\n -o, --output <file>        Write to file instead of stdout\n -O, --remote-name          Write output to a file named as the remote file\n -s, --silent               Silent mode\n -T, --upload-file <file>   Transfer local FILE to destination\n -u, --user <user:password> Server user and password\n -A, --user-agent <name>    Send User-Agent <name> to server\n -v, --verbose              Make the operation more talkative\n -V, --version              Show version number and quit\n\nThis is not the full help, this menu is stripped into categories.\nUse "--help category" to get an overview of all categories.\nFor all options use the manual or "--help all".\n', stderr: '', exitCode: 0 };
        return { stdout: '', stderr: e.msg, exitCode: e.code };
      }
      throw e;
    }
  },
};

/** `@httpd [-n NETNS] ADDR:PORT [--name NAME] [--body TEXT | --proxy UP1,UP2]`: an HTTP server process in a scenario. */
function httpdDirective(s: SetupSession, args: string[]): void {
  const { netns, o } = parseHttpdArgs(args);
  const world = s.world;
  const ns = netns ? netnsByName(world, s.host, netns) : world.host(s.host).rootNs;
  if (!ns) throw new Error(`@httpd: no network namespace ${netns}`);
  startHttpServer(world, s.host, ns, o);
}
