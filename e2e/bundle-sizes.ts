// Sizes of the built site's JavaScript, from dist/ and the record of what each file holds
// (dist/netlab-bundles.json, written by scripts/vite-engine.mjs at the end of `astro build`).
// Used by the size budget (e2e/size-budget.spec.ts) and `npm run bench`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';

const bundleSchema = z.object({
  build: z.enum(['client', 'worker']),
  entry: z.union([z.string(), z.boolean(), z.null()]),
  imports: z.array(z.string()),
  dynamicImports: z.array(z.string()),
  modules: z.record(z.string(), z.number()),
});
export type Bundle = z.infer<typeof bundleSchema>;

/** The sizes budgeted (issue 17) */
export const BUDGET = {
  /** JavaScript a reading page loads before its terminal is used, gzip */
  readingPage: 15 * 1024,
  /** what a terminal loads when it is first used (its page-side chunks and the engine worker with its static imports), gzip */
  terminalFirstUse: 350 * 1024,
  /** module bytes any two worker files may have in common (an engine bundled twice) */
  workerOverlap: 50 * 1024,
};

export interface Sizes {
  readingPage: { files: string[]; gzip: number };
  /** what a terminal loads before its shell is ready (the learner waits for it) */
  terminalFirstUse: { files: string[]; gzip: number };
  /**
   * the same and what the engine fetches in the background the moment the shell is ready (src/commands/prefetch.ts:
   * the tools lessons type first, just-bash's regular-expression engine): the whole core
   */
  terminalCore: { files: string[]; gzip: number; prefetched: string[] };
  /** the worker build's entries (one: the engine) */
  workerEntries: string[];
  /** the largest module overlap between two worker files */
  workerOverlap: { a: string; b: string; bytes: number } | null;
  /** a lazily loaded tool's chunk (jq) and its gzip size, if found */
  jqChunk: { file: string; gzip: number } | null;
}

const gz = (b: Buffer | string) => gzipSync(b, { level: 9 }).length;
/** the repository (src/commands/index.ts names the tools fetched after ready; node_modules holds just-bash's chunks) */
const root = fileURLToPath(new URL('..', import.meta.url));

export function readBundles(dist: string): Record<string, Bundle> {
  const path = join(dist, 'netlab-bundles.json');
  if (!existsSync(path)) throw new Error(`${path} is missing: build the site with npm run build`);
  return z.record(z.string(), bundleSchema).parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** files + their static imports, transitively */
function closure(bundles: Record<string, Bundle>, files: string[]): Set<string> {
  const seen = new Set<string>();
  const walk = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const i of bundles[f]?.imports ?? []) walk(i);
  };
  files.forEach(walk);
  return seen;
}

/**
 * A page script's JavaScript on the main thread: the Astro script of `component` (src/components/Drill.astro...)
 * with its static imports, gzip, and the source modules in it.
 */
export function pageScript(dist: string, component: string): { files: string[]; gzip: number; raw: number; modules: string[] } {
  const bundles = readBundles(dist);
  const entry = Object.entries(bundles).find(([, b]) => b.build === 'client' && typeof b.entry === 'string' && b.entry.startsWith(`${component}?astro&type=script`));
  if (!entry) throw new Error(`no script of ${component} in the build`);
  const files = [...closure(bundles, [entry[0]])];
  const bufs = files.map((f) => readFileSync(join(dist, f)));
  return {
    files,
    gzip: bufs.reduce((n, b) => n + gz(b), 0),
    raw: bufs.reduce((n, b) => n + b.length, 0),
    modules: files.flatMap((f) => Object.keys(bundles[f]!.modules)),
  };
}

export function measure(dist: string, page = 'about'): Sizes {
  const bundles = readBundles(dist);
  const fileSize = (f: string) => gz(readFileSync(join(dist, f)));
  const html = readFileSync(join(dist, page, 'index.html'), 'utf8');

  // the reading page: its module scripts (and what inline scripts import), Starlight's idle-loaded search UI aside
  const srcs = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!.replace(/^.*?\/(_astro\/)/, '$1'));
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  const inlineImports = inline.flatMap((t) => [...t.matchAll(/(?:from|import)\s*["']([^"']*\/_astro\/[^"']+)["']/g)].map((m) => m[1]!.replace(/^.*?\/(_astro\/)/, '$1')));
  const reading = closure(bundles, [...srcs, ...inlineImports].filter((f) => f in bundles));
  const readingGzip = [...reading].reduce((n, f) => n + fileSize(f), 0) + inline.reduce((n, t) => n + (t.trim() ? gz(t) : 0), 0);

  // the terminal's first use: the Terminal script's lazy chunks (xterm, the client) and the engine worker, with their static imports
  const terminal = Object.entries(bundles).find(([, b]) => typeof b.entry === 'string' && b.entry.startsWith('src/components/Terminal.astro'));
  if (!terminal) throw new Error('no Terminal.astro script in the build');
  const workerEntries = Object.entries(bundles)
    .filter(([, b]) => b.build === 'worker' && b.entry)
    .map(([f]) => f);
  // what a click loads (the shell client and xterm: src/components/terminal/spawn.ts and live.ts), not what a later button loads (the map)
  const onClick = terminal[1].dynamicImports.filter((f) => Object.keys(bundles[f]?.modules ?? {}).some((m) => /^src\/components\/terminal\/(spawn|live)\.ts$/.test(m)));
  const firstUse = closure(bundles, [...onClick, ...workerEntries]);
  for (const f of reading) firstUse.delete(f);
  const firstUseGzip = [...firstUse].reduce((n, f) => n + fileSize(f), 0);

  // fetched right after ready: the chunks of the `core(...)` tools of src/commands/index.ts and just-bash's regex engine
  const registry = readFileSync(join(root, 'src/commands/index.ts'), 'utf8');
  const coreModules = new Set([...registry.matchAll(/core\('[^']+', async \(\) => \(await import\('\.\/([^']+)'\)\)/g)].map((m) => `src/commands/${m[1]!.replace(/\/index$/, '/index')}.ts`));
  const re2 = /^node_modules\/just-bash\/dist\/bundle\/chunks\/chunk-[A-Z0-9]+\.js$/;
  const isRegexEngine = (m: string) => re2.test(m) && readFileSync(join(root, m), 'utf8').includes('static FOLD_CASE=1');
  const prefetched = Object.entries(bundles)
    .filter(([, b]) => b.build === 'worker' && !b.entry && Object.keys(b.modules).some((m) => coreModules.has(m) || isRegexEngine(m)))
    .map(([f]) => f);
  const core = closure(bundles, [...firstUse, ...prefetched]);
  for (const f of reading) core.delete(f);
  const coreGzip = [...core].reduce((n, f) => n + fileSize(f), 0);

  // identical modules in two worker files
  const workerFiles = Object.entries(bundles).filter(([, b]) => b.build === 'worker');
  let overlap: Sizes['workerOverlap'] = null;
  for (let i = 0; i < workerFiles.length; i++) {
    for (let j = i + 1; j < workerFiles.length; j++) {
      const [a, ba] = workerFiles[i]!;
      const [b, bb] = workerFiles[j]!;
      let bytes = 0;
      for (const [m, n] of Object.entries(ba.modules)) if (m in bb.modules) bytes += Math.min(n, bb.modules[m]!);
      if (!overlap || bytes > overlap.bytes) overlap = { a, b, bytes };
    }
  }

  const jq = workerFiles.find(([, b]) => Object.keys(b.modules).some((m) => /just-bash\/dist\/bundle\/chunks\/jq-/.test(m)));
  return {
    readingPage: { files: [...reading], gzip: readingGzip },
    terminalFirstUse: { files: [...firstUse], gzip: firstUseGzip },
    terminalCore: { files: [...core], gzip: coreGzip, prefetched },
    workerEntries,
    workerOverlap: overlap,
    jqChunk: jq ? { file: jq[0], gzip: fileSize(jq[0]) } : null,
  };
}
