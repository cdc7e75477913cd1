// npm run api -- [--scenario NAME] [--host HOST] [--port 6443] [--kubeconfig PATH] [--clock real|manual]
// Serves the simulated cluster of a scenario with kube-apiserver's REST protocol on 127.0.0.1 (plain HTTP),
// and writes a kubeconfig for it, so that a real kubectl (or k9s, or a client library) works against the
// simulated cluster. The clock: `real` (default) moves the simulated time with the wall clock before each
// request; `manual` moves it only on POST /netlab/advance?ms=N (the kubectl fixtures' capture uses it).
import { createServer, type ServerResponse } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Session } from '../src/shell/session';
import { getScenario } from '../src/labs/scenarios/index';
import { advanceWorld, handleRequest } from '../src/k8s/http/handler';
import { loadOpenApi } from '../src/k8s/openapi/openapi';
import { openWatch, pollWatch, type Watch } from '../src/k8s/http/watch';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : def;
};
const scenario = opt('scenario', 'k8s-cluster');
const port = Number(opt('port', '6443'));
const kubeconfig = resolve(opt('kubeconfig', 'netlab-kubeconfig'));
const clock = opt('clock', 'real');
if (!['real', 'manual'].includes(clock)) {
  console.error('api: --clock must be real or manual');
  process.exit(2);
}
const hostArg = opt('host', '');
await loadOpenApi();
const session = await Session.create({ scenario: getScenario(scenario), ...(hostArg ? { host: hostArg } : {}), seed: Number(opt('seed', '1')) });
const world = session.world;
let last = Date.now();

const streams = new Set<{ watch: Watch; res: ServerResponse }>();
function pollStreams(): void {
  for (const s of streams) for (const line of pollWatch(world, s.watch)) s.res.write(line + '\n');
}
setInterval(() => {
  if (!streams.size) return;
  if (clock === 'real') {
    const now = Date.now();
    advanceWorld(world, Math.min(now - last, 600_000));
    last = now;
  }
  pollStreams();
}, 250).unref();

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = req.url ?? '/';
    if (clock === 'real') {
      const now = Date.now();
      advanceWorld(world, Math.min(now - last, 600_000));
      last = now;
    }
    if (url.startsWith('/netlab/advance')) {
      const ms = Number(new URL(url, 'http://x').searchParams.get('ms') ?? '0');
      advanceWorld(world, ms);
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`${world.now()}\n`);
      pollStreams();
      return;
    }
    // A watch: a stream of JSON lines, one per change of the objects it selects (src/k8s/http/watch.ts), polled
    // after every request and every 250 ms; it ends when the client goes or its timeoutSeconds pass.
    const q = new URL(url, 'http://x').searchParams;
    if (req.method === 'GET' && (q.get('watch') === 'true' || q.get('watch') === '1')) {
      const opened = openWatch(world, { method: 'GET', url, headers: req.headers as Record<string, string | undefined>, body: '' });
      if ('response' in opened) {
        res.writeHead(opened.response.status, opened.response.headers).end(opened.response.body);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      for (const line of opened.lines) res.write(line + '\n');
      const stream = { watch: opened.watch, res };
      streams.add(stream);
      const t = setTimeout(() => res.end(), Math.min(Number(q.get('timeoutSeconds') ?? '1800'), 3600) * 1000);
      const done = () => {
        clearTimeout(t);
        streams.delete(stream);
      };
      // (the request's own 'close' comes once its body is read: the response's marks the client going)
      res.on('close', done);
      return;
    }
    try {
      const r = handleRequest(world, { method: req.method ?? 'GET', url, headers: req.headers as Record<string, string | undefined>, body: new Uint8Array(Buffer.concat(chunks)) });
      res.writeHead(r.status, r.headers).end(r.body);
      pollStreams();
    } catch (e) {
      res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: String(e), reason: 'InternalError', code: 500 }));
    }
  });
});

server.listen(port, '127.0.0.1', () => {
  mkdirSync(dirname(kubeconfig), { recursive: true });
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: http://127.0.0.1:${port}\n  name: kubernetes\ncontexts:\n- context:\n    cluster: kubernetes\n    user: kubernetes-admin\n  name: kubernetes-admin@kubernetes\ncurrent-context: kubernetes-admin@kubernetes\npreferences: {}\nusers:\n- name: kubernetes-admin\n  user: {}\n`,
  );
  console.log(`serving the ${scenario} cluster on http://127.0.0.1:${port} (clock: ${clock})`);
  console.log(`kubeconfig written to ${kubeconfig}: export KUBECONFIG=${kubeconfig}`);
});
