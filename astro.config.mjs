// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { generateSW } from 'workbox-build';
import { sidebarItems } from './content/chapters.ts';
import { writeFileSync } from 'node:fs';
import { BUNDLES_FILE, bundleRecorder, coreToolModules, engineWorkerPlugin, recordedBundles } from './scripts/vite-engine.mjs';

const coreTools = coreToolModules();

// just-bash's browser bundle imports node:zlib (gzip, gunzip, zcat, tar -z).
// The browser has no zlib: these commands print a clear "not available" error.
const zlibStub = fileURLToPath(new URL('./src/shell/browser-stubs/zlib.ts', import.meta.url));

/**
 * The hashes of Starlight's own inline scripts (`<script is:inline>` in its components: the theme provider and
 * picker, the search dialog's shortcut, the sidebar's scroll keeper), which Astro's CSP does not hash itself:
 * their text is copied verbatim into the pages, so the hash of the source is the hash of the page's script.
 */
function starlightInlineScriptHashes() {
  const dir = fileURLToPath(new URL('./node_modules/@astrojs/starlight/dist/components/', import.meta.url));
  const hashes = new Set();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.astro'))) {
    for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/<script is:inline[^>]*>([\s\S]*?)<\/script>/g)) {
      hashes.add(`sha256-${createHash('sha256').update(m[1] ?? '').digest('base64')}`);
    }
  }
  return [...hashes];
}

// Where the site is served (README: "Deploy"): NETLAB_SITE is the origin (https://example.org), NETLAB_BASE
// the sub-path (/netlab/). Both default to the local preview at the root.
const site = process.env.NETLAB_SITE || 'http://127.0.0.1:4321';
const base = (process.env.NETLAB_BASE || '/').replace(/^\/*/, '/').replace(/\/*$/, '/');

/**
 * Expressive Code plugin: a chapter's lab blocks (```bash try / try-error, see content/chapters.ts) carry
 * data-netlab-run, where the page's terminal script adds a "Run in terminal" button.
 */
/** @returns {import('@astrojs/starlight/expressive-code').ExpressiveCodePlugin} */
function netlabRunBlocks() {
  return {
    name: 'netlab-run-blocks',
    hooks: {
      postprocessRenderedBlock: ({ codeBlock, renderData }) => {
        const words = codeBlock.meta.split(/\s+/);
        if (words.includes('try') || words.includes('try-error')) renderData.blockAst.properties.dataNetlabRun = '';
      },
    },
  };
}

/**
 * The service worker: at the end of the build (after Starlight's Pagefind index), Workbox writes sw.js,
 * which precaches every file of the site on the first visit, so the whole course (pages, the terminal's
 * engine and worker, the scenarios, the search index) works offline. A new build's worker waits until the
 * reader accepts the update (src/components/layout/offline.ts).
 * @returns {import('astro').AstroIntegration}
 */
function serviceWorker() {
  return {
    name: 'netlab-service-worker',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const out = fileURLToPath(dir);
        // what each JavaScript file holds, for the size budget (e2e/size-budget.spec.ts) and npm run bench
        writeFileSync(join(out, BUNDLES_FILE), JSON.stringify(recordedBundles()));
        const { count, size, warnings } = await generateSW({
          globDirectory: out,
          globPatterns: ['**/*'],
          globIgnores: ['sw.js', 'sw.js.map', '**/*.map', BUNDLES_FILE],
          swDest: join(out, 'sw.js'),
          modifyURLPrefix: { '': base },
          // Astro's bundles carry a content hash in their names
          dontCacheBustURLsMatching: /\/_astro\//,
          maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
          cleanupOutdatedCaches: true,
          clientsClaim: true,
          skipWaiting: false,
          inlineWorkboxRuntime: true,
          sourcemap: false,
          mode: 'production',
        });
        for (const w of warnings) logger.warn(w);
        logger.info(`service worker: ${count} files precached (${(size / 1048576).toFixed(1)} MB)`);
      },
    },
  };
}

export default defineConfig({
  site,
  base,
  // Content Security Policy (a <meta> on every page, issue 19): scripts only from the site's own files and the
  // hashes Astro computes for the inline ones it renders (Starlight's theme and sidebar scripts included), so an
  // injected <script> or on* attribute never runs; 'wasm-unsafe-eval' for Pagefind's WebAssembly search. Styles
  // keep 'unsafe-inline': Expressive Code and xterm set style attributes (no script can come through a style).
  security: {
    csp: {
      directives: ["object-src 'none'", "base-uri 'self'"],
      scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"], hashes: starlightInlineScriptHashes() },
      styleDirective: { resources: ["'self'", "'unsafe-inline'"] },
    },
  },
  // (the sub-path e2e builds beside the usual dist/: NETLAB_OUTDIR=dist-netlab)
  outDir: process.env.NETLAB_OUTDIR || './dist',
  server: { host: '127.0.0.1', port: 4321 },
  integrations: [
    starlight({
      title: 'netlab',
      description: 'An interactive course on Linux and Kubernetes networking, with a simulated Linux host in the page.',
      // Chapters are MDX files under content/ (see src/content.config.ts); their
      // order and "Beyond the book" badges come from the course manifest, content/chapters.ts.
      sidebar: [
        { label: 'The course', items: [...sidebarItems(), { slug: 'curriculum' }] },
        { label: 'Your progress', slug: 'progress' },
      ],
      // search (Pagefind) over every page: chapters, their quizzes' explanations, the drills
      expressiveCode: { plugins: [netlabRunBlocks()] },
      components: {
        // the footer records the page a reader is on ("continue where you left off") and says the course works offline
        Footer: './src/components/layout/Footer.astro',
      },
      lastUpdated: false,
      // the drills and exam mode (src/pages/drills) join the sidebar after the chapters
      routeMiddleware: './src/components/drill/sidebar.ts',
    }),
    mdx(),
    serviceWorker(),
  ],
  vite: {
    resolve: {
      alias: [{ find: /^(node:)?zlib$/, replacement: zlibStub }],
    },
    // the engine worker (src/components/engine/engine-worker.ts): just-bash's commands as chunks loaded on first use
    worker: {
      format: 'es',
      plugins: () => [engineWorkerPlugin(), bundleRecorder('worker')],
      // what the worker's entry imports statically is one file: fetched in one round trip after the entry's, not in
      // three levels of shared chunks (issue 17: the slow link)
      // The tools fetched right after the shell is ready (src/commands/prefetch.ts) are one chunk too.
      rolldownOptions: {
        output: {
          codeSplitting: {
            groups: [
              { name: 'engine-core', tags: ['$initial'], priority: 2 },
              { name: 'engine-tools', test: (id) => coreTools.has(id), priority: 1 },
            ],
          },
        },
      },
    },
    plugins: [bundleRecorder('client')],
    build: {
      chunkSizeWarningLimit: 4096,
      rolldownOptions: {
        // MDX pages carry Astro's "use astro:head-inject" directive, which the
        // bundler reports (harmlessly) once per page: keep the build log readable
        onLog(level, log, handler) {
          if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
          handler(level, log);
        },
      },
    },
  },
});
