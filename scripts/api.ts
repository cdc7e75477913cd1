// npm run api -- [--scenario NAME] [--host HOST] [--port 6443] [--kubeconfig PATH] [--clock real|manual]
// Serves the simulated cluster of a scenario with kube-apiserver's REST protocol on 127.0.0.1 (plain HTTP),
// and writes a kubeconfig for it, so that a real kubectl (or k9s, or a client library) works against the
// simulated cluster. The clock: `real` (default) moves the simulated time with the wall clock before each
// request; `manual` moves it only on POST /netlab/advance?ms=N (the kubectl fixtures' capture uses it).
import { createServer } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Session } from '../src/shell/session';
import { getScenario } from '../src/labs/scenarios/index';
import { advanceWorld, handleRequest } from '../src/k8s/http/handler';

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
const session = await Session.create({ scenario: getScenario(scenario), ...(hostArg ? { host: hostArg } : {}), seed: Number(opt('seed', '1')) });
const world = session.world;
let last = Date.now();

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
      return;
    }
    // A watch: the stream stays open without events until the client goes or its timeoutSeconds pass (kubectl's
    // informers, in wait and rollout status, watch after their first list; their condition is then decided by
    // that list). Events of later changes are not sent: a client waiting on a change waits until its timeout.
    const q = new URL(url, 'http://x').searchParams;
    if (req.method === 'GET' && (q.get('watch') === 'true' || q.get('watch') === '1')) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      const t = setTimeout(() => res.end(), Math.min(Number(q.get('timeoutSeconds') ?? '300'), 3600) * 1000);
      req.on('close', () => clearTimeout(t));
      res.on('close', () => clearTimeout(t));
      return;
    }
    try {
      const r = handleRequest(world, { method: req.method ?? 'GET', url, headers: req.headers as Record<string, string | undefined>, body: new Uint8Array(Buffer.concat(chunks)) });
      res.writeHead(r.status, r.headers).end(r.body);
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
