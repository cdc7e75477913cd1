// A static server for the built site, for `npm run bench`'s browser rows: every file of `dist` is read and
// gzipped (level 9) once, when the server starts, and served as it is, as a real host serves a static site
// (precompressed files, or a CDN's cache). `astro preview` compresses each response while it sends it
// (30-150 ms for the engine worker's file on a loaded machine), a cost no host has; the bench's reading page,
// its reference, is served by the same server the same way.
//
//   node scripts/static-serve.mjs DIR PORT [BASE]     prints "ready" on stdout once it listens
import { createServer } from 'node:http';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';

const [dir = 'dist', port = '4321', base = '/'] = process.argv.slice(2);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.svg', '.xml', '.txt', '.pf_meta', '.pf_index', '.pf_fragment']);

/** path under the site -> { type, body, gzip } */
const files = new Map();
function walk(d, rel) {
  for (const name of readdirSync(d)) {
    const full = join(d, name);
    const r = rel + name;
    if (statSync(full).isDirectory()) walk(full, r + '/');
    else {
      const ext = extname(name);
      const body = readFileSync(full);
      files.set(r, { type: TYPES[ext] ?? 'application/octet-stream', body, etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"`, gzip: COMPRESSIBLE.has(ext) && body.length > 256 ? gzipSync(body, { level: 9 }) : null });
    }
  }
}
walk(dir, '/');

const server = createServer((req, res) => {
  let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  if (!path.startsWith(base)) path = '/\0';
  else path = '/' + path.slice(base.length);
  let f = files.get(path);
  if (!f && path.endsWith('/')) f = files.get(path + 'index.html');
  if (!f && !extname(path) && files.has(path + '/index.html')) {
    res.writeHead(301, { location: base + path.slice(1) + '/' });
    res.end();
    return;
  }
  if (!f) {
    f = files.get('/404.html');
    res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(f?.body ?? 'not found');
    return;
  }
  // (as astro preview: no-cache with a validator, so a warm reload asks again and gets 304s)
  if (req.headers['if-none-match'] === f.etag) {
    res.writeHead(304, { etag: f.etag, 'cache-control': 'no-cache' });
    res.end();
    return;
  }
  const gz = f.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gz ? f.gzip : f.body;
  res.writeHead(200, {
    'content-type': f.type,
    'content-length': body.length,
    'cache-control': 'no-cache',
    etag: f.etag,
    vary: 'accept-encoding',
    ...(gz ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
});
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
