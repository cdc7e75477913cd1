// The image catalogue: each image a program with real behaviour. Its
// processes run in the container's namespace and hold their sockets there
// (src/sim process and socket APIs), so ss/netstat in the pod, ps and
// crictl on the node, and curl/wget from anywhere see them. Servers that
// answer HTTP either serve a fixed page (nginx, httpd: the kernel's 'http'
// role) or compute each answer (agnhost netexec, echo-server: an 'app'
// role whose handler is registered here).
import { registerImage, type ContainerContext, type ContainerOutcome, type ImageInfo, type ImageProgram } from '../plugins';
import { listenTcp, bindUdp } from '../../sim/sockets';
import { registerTcpService, type TcpService } from '../../sim/packet';
import { buildResponse, httpDate, parseRequest, type HttpRequest } from '../../sim/http';
import { HTTP_EPOCH_MS } from '../../sim/http';
import type { HttpServerConfig } from '../../sim/types';
import type { World } from '../../sim/world';
import type { KubeletRuntime } from './state';

// ---------------------------------------------------------------- helpers

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const wall = (ms: number) => new Date(HTTP_EPOCH_MS + Math.floor(ms));

/** nginx's error-log time: 2026/11/26 15:00:03 */
function nginxTime(ms: number): string {
  const d = wall(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
/** common log format time: 26/Nov/2026:15:03:44 +0000 */
export function clfTime(ms: number): string {
  const d = wall(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
/** klog header time: I1126 15:00:03.123456 */
export function klogTime(ms: number, level = 'I'): string {
  const d = wall(ms);
  return `${level}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(Math.floor(((ms % 1000) + 1000) % 1000) * 1000 + 123, 6)}`;
}

function listen(ctx: ContainerContext, pid: number, port: number, both = true): void {
  listenTcp(ctx.world, ctx.nsId, pid, '0.0.0.0', port, 4, 511);
  if (both) listenTcp(ctx.world, ctx.nsId, pid, '::', port, 6, 511);
}

function httpRole(body: string, server: string, headers: Record<string, string> = {}, status = 200): { kind: 'http'; config: HttpServerConfig } {
  return { kind: 'http', config: { mode: 'static', body, status, headers, upstreams: [], nextUpstream: 0, serverName: server } };
}

/** argv words after the program name, for programs that parse their flags */
function words(ctx: ContainerContext): string[] {
  return ctx.argv;
}

function sleepSeconds(argv: string[]): number | null {
  const joined = argv.join(' ');
  if (/\b(while true|while :|tail -f \/dev\/null|sleep infinity)\b/.test(joined)) return Infinity;
  const m = /\bsleep\s+(\d+)(s|m|h|d)?\b/.exec(joined);
  if (!m) return null;
  const n = Number(m[1]);
  const mult = m[2] === 'm' ? 60 : m[2] === 'h' ? 3600 : m[2] === 'd' ? 86400 : 1;
  return n * mult;
}

function echoOutput(argv: string[]): string | null {
  const joined = argv.join(' ');
  const m = /\becho\s+(?:"([^"]*)"|'([^']*)'|(\S+))/.exec(joined);
  return m ? (m[1] ?? m[2] ?? m[3] ?? '') : null;
}

// ---------------------------------------------------------------- nginx

export const NGINX_INDEX =
  '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href="http://nginx.org/">nginx.org</a>.<br/>\nCommercial support is available at\n<a href="http://nginx.com/">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n';

function nginxVersion(image: string): string {
  const tag = image.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : 'latest';
  const m = /^1\.(\d+)(?:\.(\d+))?/.exec(tag);
  if (!m) return '1.27.5';
  const minor = Number(m[1]);
  const patch = m[2] ?? ({ 25: '5', 26: '3', 27: '5', 28: '0', 29: '1' } as Record<number, string>)[minor] ?? '0';
  return `1.${minor}.${patch}`;
}

/** What an nginx container's processes answer with (plain JSON in the process role). */
interface NginxData {
  server: string;
  uid: string;
  container: string;
  /** the worker's pid inside the container (the error log's `29#29`) */
  worker: number;
  /** connections served so far (the error log's `*N`) */
  connections: number;
}

/** Append a line to a running container's log (the kubelet's record of its stdout/stderr). */
function containerLog(world: World, uid: string, container: string, text: string, s: 'stdout' | 'stderr'): void {
  const rt = (world.state.kube as { runtime?: { kubelet?: KubeletRuntime } } | undefined)?.runtime?.kubelet;
  const c = rt?.pods[uid]?.containers.find((x) => x.name === container && x.state === 'running');
  if (c) c.log.push({ t: world.now(), s, text });
}

/** nginx's default server (/usr/share/nginx/html): the welcome page at / and /index.html, 404 for any other file, 405 for other methods; each request in the access log (stdout), misses in the error log (stderr). */
const nginxService: TcpService = (world, _nsId, proc, _sock, req) => {
  const r = asRequest(req.data);
  if (!r) return null;
  const d = (proc.role as unknown as { data: NginxData }).data;
  d.connections++;
  const head = r.method === 'HEAD';
  const path = r.path.split('?')[0]!;
  const close = r.headers.some(([k, v]) => k.toLowerCase() === 'connection' && v.toLowerCase() === 'close') || r.version === 'HTTP/1.0';
  const date = httpDate(world.now());
  const host = r.headers.find(([k]) => k.toLowerCase() === 'host')?.[1];
  const ua = r.headers.find(([k]) => k.toLowerCase() === 'user-agent')?.[1] ?? '-';
  let res;
  if ((r.method === 'GET' || head) && (path === '/' || path === '/index.html')) {
    res = buildResponse(world, 'HTTP/1.1', 200, [['Server', d.server], ['Date', date], ['Content-Type', 'text/html'], ['Content-Length', String(NGINX_INDEX.length)], ['Last-Modified', 'Wed, 16 Apr 2025 12:01:11 GMT'], ['Connection', close ? 'close' : 'keep-alive'], ['ETag', '"67ff9c07-267"'], ['Accept-Ranges', 'bytes']], NGINX_INDEX, head);
  } else {
    const status = r.method === 'GET' || head ? 404 : 405;
    const title = status === 404 ? '404 Not Found' : '405 Not Allowed';
    const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>${d.server}</center>\r\n</body>\r\n</html>\r\n`;
    res = buildResponse(world, 'HTTP/1.1', status, [['Server', d.server], ['Date', date], ['Content-Type', 'text/html'], ['Content-Length', String(body.length)], ['Connection', close ? 'close' : 'keep-alive']], body, head);
    if (status === 404) {
      const file = `/usr/share/nginx/html${decodeURIComponent(path)}`;
      containerLog(world, d.uid, d.container, `${nginxTime(world.now())} [error] ${d.worker}#${d.worker}: *${d.connections} open() "${file}" failed (2: No such file or directory), client: ${req.src}, server: localhost, request: "${r.method} ${r.path} ${r.version}"${host ? `, host: "${host}"` : ''}`, 'stderr');
    }
  }
  containerLog(world, d.uid, d.container, `${req.src} - - [${clfTime(world.now())}] "${r.method} ${r.path} ${r.version}" ${res.status} ${head ? 0 : res.body.length} "-" "${ua}" "-"`, 'stdout');
  return { data: res, len: res.wire.length };
};

const nginx: ImageProgram = {
  start(ctx) {
    const ver = nginxVersion(ctx.container.image ?? 'nginx');
    const custom = ctx.container.command !== undefined && !ctx.argv.includes('nginx');
    if (custom) return shellLike(ctx);
    const now = ctx.api.now();
    ctx.log(
      [
        '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
        '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
        '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
        '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
        '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
        '/docker-entrypoint.sh: Configuration complete; ready for start up',
      ].join('\n'),
    );
    const t = nginxTime(now);
    const data: NginxData = { server: `nginx/${ver}`, uid: ctx.pod.metadata?.uid ?? '', container: ctx.container.name, worker: 29, connections: 0 };
    const role = { kind: 'app' as const, app: 'nginx', data: data as unknown as Record<string, unknown> };
    const master = ctx.spawn(['nginx: master process nginx -g daemon off;'], { comm: 'nginx', role });
    listen(ctx, master.pid, 80);
    const w1 = ctx.spawn(['nginx: worker process'], { comm: 'nginx', role });
    const w2 = ctx.spawn(['nginx: worker process'], { comm: 'nginx', role });
    data.worker = w1.pid - master.pid + 28;
    ctx.log(
      [
        `${t} [notice] 1#1: using the "epoll" event method`,
        `${t} [notice] 1#1: nginx/${ver}`,
        `${t} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) `,
        `${t} [notice] 1#1: OS: Linux 6.8.0-51-generic`,
        `${t} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
        `${t} [notice] 1#1: start worker processes`,
        `${t} [notice] 1#1: start worker process ${w1.pid - master.pid + 28}`,
        `${t} [notice] 1#1: start worker process ${w2.pid - master.pid + 28}`,
      ].join('\n'),
      'stderr',
    );
    return { state: 'running' };
  },
  termination: () => 200,
};

// ---------------------------------------------------------------- httpd

const HTTPD_INDEX = '<html><body><h1>It works!</h1></body></html>\n';

function apacheTime(ms: number): string {
  const d = wall(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad((Math.floor(ms) % 1000) * 1000 + 412, 6)} ${d.getUTCFullYear()}`;
}

const httpd: ImageProgram = {
  start(ctx) {
    if (ctx.container.command !== undefined && !ctx.argv.join(' ').includes('httpd')) return shellLike(ctx);
    const ip = ctx.pod.status?.podIP ?? (ctx.api.peek('pods', ctx.pod.metadata?.namespace ?? 'default', ctx.pod.metadata?.name ?? '') as any)?.status?.podIP ?? '127.0.0.1';
    const role = httpRole(HTTPD_INDEX, 'Apache/2.4.65 (Unix)', { 'Content-Type': 'text/html', 'Last-Modified': 'Mon, 11 Jun 2007 18:53:14 GMT', ETag: '"2d-432a5e4a73a80"', 'Accept-Ranges': 'bytes' });
    const main = ctx.spawn(['httpd', '-DFOREGROUND'], { comm: 'httpd', role });
    listen(ctx, main.pid, 80, false);
    ctx.spawn(['httpd', '-DFOREGROUND'], { comm: 'httpd', role });
    ctx.spawn(['httpd', '-DFOREGROUND'], { comm: 'httpd', role });
    const t = apacheTime(ctx.api.now());
    const msg = `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${ip}. Set the 'ServerName' directive globally to suppress this message`;
    ctx.log(`${msg}\n${msg}\n[${t}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.65 (Unix) configured -- resuming normal operations\n[${t}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'`, 'stderr');
    return { state: 'running' };
  },
  termination: () => 1000,
};

// ---------------------------------------------------------------- busybox-like shells

/** A container running a shell command line: sleep keeps it running, echo prints, anything else ends. */
function shellLike(ctx: ContainerContext): ContainerOutcome {
  const argv = words(ctx);
  const out = echoOutput(argv);
  if (out !== null) ctx.log(out);
  const secs = sleepSeconds(argv);
  const prog = argv[0] === 'sh' || argv[0] === '/bin/sh' ? (argv[2] ?? '').split(/\s+/)[0] : (argv[0] ?? 'sh').split('/').pop();
  if (secs !== null) {
    ctx.spawn(argv.length ? argv : ['sh'], { comm: secs === Infinity && !/sleep/.test(argv.join(' ')) ? 'sh' : 'sleep' });
    return secs === Infinity ? { state: 'running' } : { state: 'running', exitAfterMs: secs * 1000, exitCode: 0, reason: 'Completed' };
  }
  if (argv.length === 0 || prog === 'sh' || prog === 'bash') return { state: 'exited', exitCode: 0, reason: 'Completed' };
  if (prog === 'false') return { state: 'exited', exitCode: 1 };
  if (prog === 'exit') return { state: 'exited', exitCode: Number(argv.join(' ').match(/exit (\d+)/)?.[1] ?? 0) };
  return { state: 'running', exitAfterMs: 400, exitCode: 0, reason: 'Completed' };
}

const busybox: ImageProgram = {
  start: shellLike,
  /** sh as PID 1 ignores SIGTERM: the kubelet kills it when the grace period ends */
  termination: (ctx) => (sleepSeconds(ctx.argv) !== null ? null : 100),
};

const curl: ImageProgram = {
  start(ctx) {
    if (ctx.argv[0] === 'curl' && ctx.argv.length <= 2 && (ctx.argv[1] === '--help' || ctx.argv.length === 1)) {
      ctx.log('Usage: curl [options...] <url>\n -d, --data <data>           HTTP POST data\n -f, --fail                  Fail fast with no output on HTTP errors\n -h, --help <subject>        Get help for commands\n -i, --include               Include response headers in output\n -o, --output <file>         Write to file instead of stdout\n -O, --remote-name           Write output to file named as remote file\n -s, --silent                Silent mode\n -T, --upload-file <file>    Transfer local FILE to destination\n -u, --user <user:password>  Server user and password\n -A, --user-agent <name>     Send User-Agent <name> to server\n -v, --verbose               Make the operation more talkative\n -V, --version               Show version number and quit\n\nThis is not the full help; this menu is split into categories.\nUse "--help category" to get an overview of all categories.\nFor all options use the manual or "--help all".');
      return { state: 'exited', exitCode: 0, reason: 'Completed' };
    }
    return shellLike(ctx);
  },
  termination: (ctx) => (sleepSeconds(ctx.argv) !== null ? null : 100),
};

// ---------------------------------------------------------------- agnhost

function httpReply(world: Parameters<Parameters<typeof registerTcpService>[1]>[0], status: number, body: string, head: boolean, extra: [string, string][] = []) {
  const res = buildResponse(world, 'HTTP/1.1', status, [['Date', httpDate(world.now())], ['Content-Length', String(body.length)], ['Content-Type', 'text/plain; charset=utf-8'], ...extra], body, head);
  return { data: res, len: res.wire.length };
}

function asRequest(data: unknown): HttpRequest | null {
  if (typeof data === 'string') return parseRequest(data);
  const r = data as HttpRequest | null;
  return r && typeof r === 'object' && typeof r.method === 'string' ? r : null;
}

const agnhostNetexecService: TcpService = (world, _nsId, proc, _sock, req) => {
  const r = asRequest(req.data);
  if (!r) return null;
  const hostname = String((proc.role as any)?.data?.hostname ?? '');
  const [path, query = ''] = r.path.split('?');
  const params = new URLSearchParams(query);
  const head = r.method === 'HEAD';
  if (path === '/hostname') return httpReply(world, 200, hostname, head);
  if (path === '/clientip') return httpReply(world, 200, `${req.src}:${req.sport}`, head);
  if (path === '/echo') return httpReply(world, 200, params.get('msg') ?? '', head);
  if (path === '/healthz' || path === '/') return httpReply(world, 200, path === '/' ? 'NOW: ' + new Date(HTTP_EPOCH_MS + world.now()).toISOString() : 'ok', head);
  if (path === '/exit') return httpReply(world, 200, '', head);
  return httpReply(world, 404, '404 page not found\n', head, [['X-Content-Type-Options', 'nosniff']]);
};

const agnhostServeHostnameService: TcpService = (world, _nsId, proc, _sock, req) => {
  const r = asRequest(req.data);
  if (!r) return null;
  return httpReply(world, 200, String((proc.role as any)?.data?.hostname ?? ''), r.method === 'HEAD');
};

const echoServerService: TcpService = (world, _nsId, proc, _sock, req) => {
  const r = asRequest(req.data);
  if (!r) return null;
  const hostname = String((proc.role as any)?.data?.hostname ?? '');
  let body = `Request served by ${hostname}\n\n${r.method} ${r.path} ${r.version}\n\n`;
  for (const [k, v] of r.headers) body += `${k}: ${v}\n`;
  return httpReply(world, 200, body, r.method === 'HEAD');
};

function flag(argv: string[], name: string, def: string): string {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `--${name}`) return argv[i + 1] ?? def;
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return def;
}

const agnhost: ImageProgram = {
  start(ctx) {
    const argv = ctx.argv[0]?.endsWith('agnhost') ? ctx.argv.slice(1) : ctx.argv;
    const sub = argv[0];
    const hostname = ctx.pod.metadata?.name ?? '';
    const now = ctx.api.now();
    if (sub === 'netexec') {
      const http = Number(flag(argv, 'http-port', '8080'));
      const udp = Number(flag(argv, 'udp-port', '8081'));
      const p = ctx.spawn(['/agnhost', ...argv], { comm: 'agnhost', role: { kind: 'app', app: 'agnhost-netexec', data: { hostname } } });
      listenTcp(ctx.world, ctx.nsId, p.pid, '::', http, 46, 4096);
      if (udp > 0) bindUdp(ctx.world, ctx.nsId, p.pid, '::', udp, 46);
      ctx.log(`${klogTime(now)}       1 log.go:245] Started HTTP server on port ${http}\n${klogTime(now)}       1 log.go:245] Started UDP server on port  ${udp}`, 'stderr');
      return { state: 'running' };
    }
    if (sub === 'serve-hostname') {
      const port = Number(flag(argv, 'port', '9376'));
      const p = ctx.spawn(['/agnhost', ...argv], { comm: 'agnhost', role: { kind: 'app', app: 'agnhost-serve-hostname', data: { hostname } } });
      listenTcp(ctx.world, ctx.nsId, p.pid, '::', port, 46, 4096);
      ctx.log(`${klogTime(now)}       1 log.go:245] Serving on port ${port}.`, 'stderr');
      return { state: 'running' };
    }
    if (sub === 'pause') {
      ctx.spawn(['/agnhost', 'pause'], { comm: 'agnhost' });
      ctx.log('Paused');
      return { state: 'running' };
    }
    if (sub === undefined) {
      ctx.log('Usage:\n  agnhost [flags]\n  agnhost [command]\n\nAvailable Commands:\n  netexec          Creates HTTP(S), UDP, and (optionally) SCTP servers with various endpoints\n  pause            Pauses the execution\n  serve-hostname   Serves the hostname\n\nUse "agnhost [command] --help" for more information about a command.', 'stderr');
      return { state: 'exited', exitCode: 0, reason: 'Completed' };
    }
    return shellLike(ctx);
  },
  termination: () => 100,
};

// ---------------------------------------------------------------- echo-server, redis

const echoServer: ImageProgram = {
  start(ctx) {
    const port = Number((ctx.container.env ?? []).find((e) => e.name === 'PORT')?.value ?? '8080');
    const p = ctx.spawn(['/echo-server'], { comm: 'echo-server', role: { kind: 'app', app: 'echo-server', data: { hostname: ctx.pod.metadata?.name ?? '' } } });
    listenTcp(ctx.world, ctx.nsId, p.pid, '::', port, 46, 4096);
    ctx.log(`Echo server listening on port ${port}.`);
    return { state: 'running' };
  },
  termination: () => 100,
};

function redisTime(ms: number): string {
  const d = wall(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(Math.floor(ms) % 1000, 3)}`;
}

const redis: ImageProgram = {
  start(ctx) {
    const t = redisTime(ctx.api.now());
    const p = ctx.spawn(['redis-server *:6379'], { comm: 'redis-server', role: { kind: 'daemon' } });
    listen(ctx, p.pid, 6379);
    ctx.log(
      [
        `1:C ${t} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
        `1:C ${t} * Redis version=8.2.1, bits=64, commit=00000000, modified=1, pid=1, just started`,
        `1:C ${t} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf`,
        `1:M ${t} * monotonic clock: POSIX clock_gettime`,
        `1:M ${t} * Running mode=standalone, port=6379.`,
        `1:M ${t} * Server initialized`,
        `1:M ${t} * Ready to accept connections tcp`,
      ].join('\n'),
    );
    return { state: 'running' };
  },
  termination: () => 300,
};

// ---------------------------------------------------------------- the catalogue

/** tags an official image has: latest, named variants, versions (1, 1.27, 1.27.5, 1.27-alpine) */
const OFFICIAL_TAGS = /^(latest|stable|mainline|alpine|slim|bookworm|perl|musl|glibc|uclibc|\d+(\.\d+){0,2}(-(alpine|perl|slim|bookworm|bullseye|musl|glibc|uclibc)[0-9.]*)?)$/;

const CATALOGUE: ImageInfo[] = [
  { repository: 'docker.io/library/nginx', defaultTag: 'latest', tags: OFFICIAL_TAGS, size: 72195292, entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'], program: nginx },
  { repository: 'docker.io/library/httpd', defaultTag: 'latest', tags: OFFICIAL_TAGS, size: 45216417, entrypoint: [], cmd: ['httpd-foreground'], program: httpd },
  { repository: 'docker.io/library/busybox', defaultTag: 'latest', tags: OFFICIAL_TAGS, size: 2166802, entrypoint: [], cmd: ['sh'], program: busybox },
  { repository: 'docker.io/library/alpine', defaultTag: 'latest', tags: OFFICIAL_TAGS, size: 3653068, entrypoint: [], cmd: ['/bin/sh'], program: busybox },
  { repository: 'docker.io/curlimages/curl', defaultTag: 'latest', size: 10145613, entrypoint: ['/entrypoint.sh'], cmd: ['curl', '--help'], program: curl },
  { repository: 'registry.k8s.io/e2e-test-images/agnhost', defaultTag: '2.53', size: 51521234, entrypoint: ['/agnhost'], cmd: ['pause'], program: agnhost },
  { repository: 'docker.io/library/redis', defaultTag: 'latest', tags: OFFICIAL_TAGS, size: 52413782, entrypoint: ['docker-entrypoint.sh'], cmd: ['redis-server'], program: redis },
  { repository: 'docker.io/kicbase/echo-server', defaultTag: '1.0', size: 2423051, entrypoint: ['/echo-server'], cmd: [], program: echoServer },
  { repository: 'registry.k8s.io/pause', defaultTag: '3.10', size: 320368, entrypoint: ['/pause'], cmd: [], program: { start: (ctx) => (ctx.spawn(['/pause'], { comm: 'pause' }), { state: 'running' }), termination: () => 10 } },
];

let done = false;
/** The images' servers (the kernel's `app:` TCP services) and the catalogue in the registry (idempotent; src/k8s/install.ts). */
export function registerCatalogue(): void {
  if (done) return;
  done = true;
  registerTcpService('app:nginx', nginxService);
  registerTcpService('app:agnhost-netexec', agnhostNetexecService);
  registerTcpService('app:agnhost-serve-hostname', agnhostServeHostnameService);
  registerTcpService('app:echo-server', echoServerService);
  for (const i of CATALOGUE) registerImage(i, { fallback: true });
}

export { shellLike, flag };
