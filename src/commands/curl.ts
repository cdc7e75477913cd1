// curl 7.88.1 (Debian 12) for http:// URLs against the simulated servers:
// GET/HEAD/other methods over a TCP connection through the packet engine,
// -s -S -v -i -I -o -w -H -X -d -f -m --connect-timeout -A -L, the
// progress meter when the body does not go to a terminal, and the real
// error messages and exit codes (6 resolve, 7 connect, 22 -f, 28 timeout).
import { inetAton } from '../sim/resolver';
import { parseHttpdArgs, startHttpServer, type HttpRequest } from '../sim/http';
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

const LONG_NOARG: Record<string, keyof Opts> = {
  silent: 'silent',
  'show-error': 'showError',
  verbose: 'verbose',
  include: 'include',
  head: 'head',
  fail: 'fail',
  location: 'location',
};

function parseArgs(args: string[]): Opts {
  const o: Opts = { silent: false, showError: false, verbose: false, include: false, head: false, output: null, dumpHeader: null, writeOut: null, headers: [], method: null, data: null, fail: false, maxTime: null, connectTimeout: null, userAgent: `curl/${VERSION}`, location: false, urls: [] };
  const need = (i: number, name: string): string => {
    if (i >= args.length) throw new CurlError(2, `curl: option ${name}: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
    return args[i]!;
  };
  const num = (v: string, name: string): number => {
    if (!/^\d+(\.\d+)?$/.test(v)) throw new CurlError(2, `curl: option ${name}: expected a proper numerical parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
    return Number(v);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const name = a.slice(2);
      if (LONG_NOARG[name]) {
        (o as unknown as Record<string, boolean>)[LONG_NOARG[name]] = true;
        continue;
      }
      switch (name) {
        case 'output':
          o.output = need(++i, a);
          break;
        case 'dump-header':
          o.dumpHeader = need(++i, a);
          break;
        case 'write-out':
          o.writeOut = need(++i, a);
          break;
        case 'header':
          o.headers.push(need(++i, a));
          break;
        case 'request':
          o.method = need(++i, a);
          break;
        case 'data':
        case 'data-raw':
        case 'data-binary':
          o.data = need(++i, a);
          break;
        case 'max-time':
          o.maxTime = num(need(++i, a), a);
          break;
        case 'connect-timeout':
          o.connectTimeout = num(need(++i, a), a);
          break;
        case 'user-agent':
          o.userAgent = need(++i, a);
          break;
        case 'url':
          o.urls.push(need(++i, a));
          break;
        case 'insecure':
        case 'http1.1':
        case 'http1.0':
        case 'compressed':
        case 'no-progress-meter':
          if (name === 'no-progress-meter') o.silent = o.silent || false;
          break;
        case 'help':
          throw new CurlError(0, '');
        case 'version':
          throw new CurlError(-1, '');
        default:
          throw new CurlError(2, `curl: option ${a}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const rest = (): string => {
          if (j + 1 < a.length) {
            const v = a.slice(j + 1);
            j = a.length;
            return v;
          }
          return need(++i, `-${c}`);
        };
        switch (c) {
          case 's':
            o.silent = true;
            break;
          case 'S':
            o.showError = true;
            break;
          case 'v':
            o.verbose = true;
            break;
          case 'i':
            o.include = true;
            break;
          case 'I':
            o.head = true;
            break;
          case 'f':
            o.fail = true;
            break;
          case 'L':
            o.location = true;
            break;
          case 'k':
            break;
          case 'o':
            o.output = rest();
            break;
          case 'D':
            o.dumpHeader = rest();
            break;
          case 'w':
            o.writeOut = rest();
            break;
          case 'H':
            o.headers.push(rest());
            break;
          case 'X':
            o.method = rest();
            break;
          case 'd':
            o.data = rest();
            break;
          case 'm':
            o.maxTime = num(rest(), '-m');
            break;
          case 'A':
            o.userAgent = rest();
            break;
          case 'V':
            throw new CurlError(-1, '');
          case 'h':
            throw new CurlError(0, '');
          default:
            throw new CurlError(2, `curl: option -${c}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
        }
      }
      continue;
    }
    o.urls.push(a);
  }
  return o;
}

/** The TCP protocols of Debian's curl 7.88 and their default ports (curl connects before it speaks them). */
const DEFAULT_PORTS: Record<string, number> = {
  http: 80, https: 443, ftp: 21, ftps: 990, dict: 2628, gopher: 70, gophers: 70, imap: 143, imaps: 993, ldap: 389,
  ldaps: 636, mqtt: 1883, pop3: 110, pop3s: 995, rtsp: 554, scp: 22, sftp: 22, smb: 445, smbs: 445, smtp: 25,
  smtps: 465, telnet: 23,
};

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

async function run(args: string[], io: CmdIO, sys: Sys): Promise<CmdResult> {
  const o = parseArgs(args);
  let stdout = '';
  let stderr = '';
  // the lengths of both streams where the output switches between them, so that the result keeps the order
  // (-v: the request and response headers, the body, then 'Connection #0 ... left intact')
  const cuts: Array<[number, number]> = [];
  const cut = () => cuts.push([stdout.length, stderr.length]);
  const result = (exitCode: number): CmdResult => {
    const chunks: Array<[1 | 2, string]> = [];
    let o0 = 0;
    let e0 = 0;
    for (const [o1, e1] of [...cuts, [stdout.length, stderr.length] as [number, number]]) {
      chunks.push([2, stderr.slice(e0, e1)], [1, stdout.slice(o0, o1)]);
      o0 = o1;
      e0 = e1;
    }
    return ordered(chunks, exitCode);
  };
  const showErr = !o.silent || o.showError;
  // where a failed transfer got to, for -w (curl writes it after the error message, http_code 000)
  const failed = { ip: '', port: '0', http: '000', connects: '0', start: 0 };
  const fail = (code: number, msg: string): CmdResult => {
    // -v: failf() shows the message as an info line too, then the connection is closed
    if (o.verbose && (code === 6 || code === 7 || code === 28 || code === 56)) stderr += `* ${msg}\n* Closing connection 0\n`;
    if (showErr) stderr += `curl: (${code}) ${msg}\n`;
    if (o.writeOut !== null && code !== 3 && code !== 1) {
      cut();
      stdout += writeOutFmt(o.writeOut, {
        http_code: failed.http,
        response_code: failed.http,
        exitcode: String(code),
        errormsg: msg,
        remote_ip: failed.ip,
        remote_port: failed.port,
        size_download: '0',
        size_header: '0',
        num_connects: failed.connects,
        time_total: ((sys.world.now() - failed.start) / 1000).toFixed(6),
        time_connect: '0.000000',
      });
    }
    return result(code);
  };
  if (o.urls.length === 0) return { stdout: '', stderr: "curl: try 'curl --help' or 'curl --manual' for more information\n", exitCode: 2 };
  const world = sys.world;
  let exit = 0;
  for (const raw of o.urls) {
    const url = parseUrl(raw);
    if (!url) return fail(3, 'URL using bad/illegal format or missing URL');
    if (url.scheme !== 'http') {
      if (url.scheme === 'https' || DEFAULT_PORTS[url.scheme] !== undefined) {
        // no TLS on the simulated hosts (the server end does not speak it); other protocols connect first too
      } else return fail(1, `Protocol "${url.scheme}" not supported or disabled in libcurl`);
    }
    const host = url.host.replace(/^\[|\]$/g, '');
    const v6 = url.host.startsWith('[') && host.includes(':');
    let ip = v6 ? host : inetAton(host);
    if (ip === null) {
      ip = resolveIPv4(sys, host);
      if (ip === null) return fail(6, `Could not resolve host: ${host}`);
    }
    const start = world.now();
    failed.start = start;
    if (o.verbose) stderr += `*   Trying ${v6 ? `[${ip}]` : ip}:${url.port}...\n`;
    const connectLimit = Math.min(o.connectTimeout !== null ? o.connectTimeout * 1000 : 300_000, o.maxTime !== null ? o.maxTime * 1000 : Infinity);
    const elapsed = (): number => Math.floor(world.now() - start);
    const method = o.method ?? (o.head ? 'HEAD' : o.data !== null ? 'POST' : 'GET');
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
    const req: HttpRequest = { method, path: url.path, version: 'HTTP/1.1', headers, body: o.data ?? '' };
    const x = httpExchange(sys, ip, url.port, req, {
      connectTimeoutMs: connectLimit,
      responseTimeoutMs: (t0) => (o.maxTime !== null ? Math.max(1, t0 + o.maxTime * 1000 - world.now()) : 300_000),
    });
    if (x.kind === 'connect-failed') {
      const c = x.conn;
      if (c.kind === 'timeout') {
        if (o.connectTimeout !== null || o.maxTime !== null) return fail(28, `${o.maxTime !== null && (o.connectTimeout === null || o.maxTime <= o.connectTimeout) ? 'Connection timed out' : 'Connection timed out'} after ${elapsed() + 1} milliseconds`);
        return fail(28, `Failed to connect to ${host} port ${url.port} after ${elapsed()} ms: Couldn't connect to server`);
      }
      if (o.verbose && c.kind === 'refused') stderr += `* connect to ${ip} port ${url.port} failed: Connection refused\n`;
      return fail(7, `Failed to connect to ${host} port ${url.port} after ${elapsed()} ms: Couldn't connect to server`);
    }
    // curl knows the peer (%{remote_ip}, %{remote_port}) once connected: ':0' before
    failed.connects = '1';
    failed.ip = ip;
    failed.port = String(url.port);
    if (o.verbose) stderr += `* Connected to ${host} (${ip}) port ${url.port} (#0)\n`;
    if (o.verbose) {
      stderr += `> ${method} ${url.path} HTTP/1.1\n`;
      for (const [k, v] of headers) stderr += `> ${k}: ${v}\n`;
      stderr += '> \n';
    }
    if (x.kind === 'no-response') {
      if (x.why === 'timeout') return fail(28, `Operation timed out after ${elapsed() + 1} milliseconds with 0 bytes received`);
      return fail(56, 'Recv failure: Connection reset by peer');
    }
    const res = x.res;
    if (o.verbose) {
      stderr += `< ${res.version} ${res.status} ${res.reason}\n`;
      for (const [k, v] of res.headers) stderr += `< ${k}: ${v}\n`;
      stderr += '< \n';
    }
    failed.http = String(res.status).padStart(3, '0');
    if (o.fail && res.status >= 400) {
      if (o.verbose) stderr += `* The requested URL returned error: ${res.status}\n* Closing connection 0\n`;
      return fail(22, `The requested URL returned error: ${res.status}`);
    }
    let body = '';
    const headerBlock = `${res.version} ${res.status} ${res.reason}\r\n` + res.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
    if (o.dumpHeader === '-') stdout += headerBlock;
    else if (o.dumpHeader !== null) sys.writeFile(o.dumpHeader.startsWith('/') ? o.dumpHeader : `${io.cwd.replace(/\/$/, '')}/${o.dumpHeader}`, headerBlock);
    if (o.include || o.head) body += headerBlock;
    if (!o.head) body += res.body;
    const size = res.body.length;
    cut();
    if (o.output !== null) {
      const path = o.output.startsWith('/') ? o.output : `${io.cwd.replace(/\/$/, '')}/${o.output}`;
      sys.writeFile(path, body);
    } else stdout += body;
    cut();
    if (!o.silent && !o.verbose && (o.output !== null || !sys.tty)) stderr += progressMeter(size, world.now() - start);
    if (o.verbose) stderr += `* Connection #0 to host ${host} left intact\n`;
    cut();
    if (o.writeOut !== null) {
      stdout += writeOutFmt(o.writeOut, {
        http_code: String(res.status).padStart(3, '0'),
        response_code: String(res.status).padStart(3, '0'),
        remote_ip: ip,
        remote_port: String(url.port),
        size_download: String(size),
        size_header: String(res.wire.length - res.body.length),
        time_total: ((world.now() - start) / 1000).toFixed(6),
        time_connect: (x.connectRtt / 1000).toFixed(6),
        url_effective: raw.includes('://') ? raw : `http://${raw}`,
        content_type: res.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '',
        num_connects: '1',
        exitcode: '0',
        errormsg: '',
        method,
        scheme: 'HTTP',
      });
    }
    cut();
    exit = 0;
  }
  return result(exit);
}

export const curl: NetCommand = {
  name: 'curl',
  complete: completeCurl,
  setupDirectives: { httpd: httpdDirective },
  async run(args: string[], io: CmdIO, sys: Sys): Promise<CmdResult> {
    try {
      return await run(args, io, sys);
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
