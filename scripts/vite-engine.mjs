// Vite plugin for the engine worker's build (astro.config.mjs `vite.worker.plugins`):
// just-bash from its ES-module build instead of its single prebuilt browser
// file, so that each of its commands is a chunk the worker loads on first use
// (jq, html-to-markdown, compression... are never downloaded unless typed).
//
// - `just-bash/browser` resolves to `just-bash/dist/bundle/index.js`; `__BROWSER__`
//   is replaced by `true` (just-bash's own build flag: the browser's command list, no
//   Node-only code paths), and the Node built-ins it imports resolve to
//   src/shell/browser-stubs (node.ts; zlib.ts for compression).
// - each lazy command load is reported to the worker (globalThis.__netlabChunk,
//   src/sim/chunks.ts), which shows a one-line "loading…" when it is slow.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const justBashDir = dirname(dirname(dirname(require.resolve('just-bash'))));
export const justBashEsm = join(justBashDir, 'dist/bundle/index.js');
const stubs = join(root, 'src/shell/browser-stubs');
const NODE_ONLY_CHUNK = /^\.\/chunks\/(tar|yq|xan|sqlite3|python3|js-exec)-[A-Z0-9]+\.js$/;
const NODE_BUILTINS = new Set(['module', 'crypto', 'dns', 'url', 'path', 'fs', 'fs/promises', 'worker_threads', 'async_hooks']);

/** `load:async()=>(await import("./chunks/jq-X.js")).jqCommand` → the same, reported as chunk "jq" */
const LOADER = /\{name:"([^"]+)",load:async\(\)=>\(await import\(("\.\/chunks\/[^"]+")\)\)/g;

/**
 * just-bash's regular-expression engine (re2js, 53 KB gzip: the chunk that defines RE2's flags) is imported by its
 * interpreter for globs, `case` and `${x#pattern}`, so it would be part of the worker's start. The import becomes a
 * binding set when the chunk loads, listed in `globalThis.__netlabDeferred` ("bash"): the shell is ready without it,
 * loads it right after (src/commands/prefetch.ts prefetchAll) and every command line waits for it before it runs
 * (beforeLine), so no pattern is ever matched without it. Returns index.js's text, changed.
 * @param {string} code
 */
function deferRegexEngine(code) {
  const imports = [...code.matchAll(/import\{a as ([\w$]+)\}from"(\.\/chunks\/chunk-[A-Z0-9]+\.js)";/g)];
  const re2 = imports.filter(([, , spec]) => readFileSync(join(dirname(justBashEsm), spec), 'utf8').includes('static FOLD_CASE=1'));
  // a just-bash that imports it otherwise would silently keep it in the start: stop the build
  if (re2.length !== 1) throw new Error(`engine build: just-bash's regular-expression engine import not recognised (${re2.length} found): update scripts/vite-engine.mjs`);
  const [stmt, local, spec] = re2[0];
  const stub = `let ${local}=function(){throw new Error("just-bash: its regular-expression engine is not loaded yet")};`;
  const defer = `(globalThis.__netlabDeferred??=[]).push(["bash",()=>import(${JSON.stringify(spec)}).then(m=>{${local}=m.a})]);`;
  return code.replace(stmt, stub + defer);
}

/**
 * just-bash sorts SHELLOPTS' names with `localeCompare` each time it sets the variable, the shell's start included:
 * the first `localeCompare` of a thread builds ICU's collator (12 ms in Node, 26 ms in the worker of a loaded
 * machine's trace), on the way to the first prompt. The names are lowercase ASCII letters and `-`, whose order is
 * the same by code point: compared so. Returns index.js's text, changed.
 * @param {string} code
 */
function shelloptsByCodePoint(code) {
  const re = /("interactive-comments"\];function [\w$]+\([\w$]+\)\{[^;]*?\])\.sort\(\(([\w$]+),([\w$]+)\)=>\2\.name\.localeCompare\(\3\.name\)\)/g;
  let n = 0;
  const out = code.replace(re, (_m, head, a, b) => {
    n++;
    return `${head}.sort((${a},${b})=>${a}.name<${b}.name?-1:${a}.name>${b}.name?1:0)`;
  });
  // a just-bash that builds SHELLOPTS otherwise would silently bring the collator back: stop the build
  if (n !== 1) throw new Error(`engine build: just-bash's SHELLOPTS sort not recognised (${n} found): update scripts/vite-engine.mjs`);
  return out;
}

/**
 * The modules of the tools src/commands/index.ts declares with `core(...)` (fetched right after the shell is
 * ready): the worker build puts them, with what they import, into one chunk (fewer requests, better compression
 * than one chunk each).
 * @returns {Set<string>}
 */
export function coreToolModules() {
  const registry = readFileSync(join(root, 'src/commands/index.ts'), 'utf8');
  const mods = [...registry.matchAll(/core\('[^']+', async \(\) => \(await import\('\.\/([^']+)'\)\)/g)].map((m) => join(root, 'src/commands', `${m[1]}.ts`));
  if (mods.length < 10) throw new Error(`engine build: the core tools of src/commands/index.ts not recognised (${mods.length} found): update scripts/vite-engine.mjs`);
  return new Set(mods);
}

/** @returns {import('vite').Plugin} */
export function engineWorkerPlugin() {
  return {
    name: 'netlab-engine-just-bash',
    enforce: 'pre',
    resolveId(id, importer) {
      if (id === 'just-bash/browser') return justBashEsm;
      // the commands just-bash's browser build leaves out: never loaded, never shipped
      if (importer === justBashEsm && NODE_ONLY_CHUNK.test(id)) return join(stubs, 'node-only-command.ts');
      const bare = id.replace(/^node:/, '');
      if (importer && importer.startsWith(justBashDir) && (id.startsWith('node:') || NODE_BUILTINS.has(bare))) {
        if (bare === 'zlib') return join(stubs, 'zlib.ts');
        if (NODE_BUILTINS.has(bare)) return join(stubs, 'node.ts');
      }
      return null;
    },
    transform(code, id) {
      if (!id.startsWith(justBashDir)) return null;
      // just-bash's own build flag (a worker build does not apply `define`): the browser's paths
      code = code.replace(/\b__BROWSER__\b/g, 'true');
      if (id !== justBashEsm) return { code, map: null };
      let n = 0;
      const out = code.replace(LOADER, (_m, name, spec) => {
        n++;
        return `{name:"${name}",load:async()=>(await (globalThis.__netlabChunk?globalThis.__netlabChunk(${JSON.stringify(name)},()=>import(${spec})):import(${spec})))`;
      });
      // a just-bash whose loaders no longer read as above would silently lose the notice: stop the build
      if (n < 50) throw new Error(`engine build: just-bash's command loaders not recognised (${n} found): update scripts/vite-engine.mjs`);
      return { code: shelloptsByCodePoint(deferRegexEngine(out)), map: null };
    },
  };
}

/**
 * What each built JavaScript file holds (the client build's and the engine worker's): its static and
 * dynamic imports and its source modules with their rendered sizes. Written at the end of the build as
 * `dist/netlab-bundles.json` (not precached, not linked) for the size budget (e2e/size-budget.spec.ts)
 * and `npm run bench`.
 */
const bundles = new Map();

/** @param {'client' | 'worker'} build @returns {import('vite').Plugin} */
export function bundleRecorder(build) {
  return {
    name: `netlab-bundle-recorder-${build}`,
    enforce: 'post',
    generateBundle(_opts, bundle) {
      if (build === 'client' && this.environment && this.environment.name !== 'client') return;
      for (const c of Object.values(bundle)) {
        if (c.type !== 'chunk') continue;
        const rel = (id) => (id.startsWith(root) ? id.slice(root.length) : id.replace(/^.*\/node_modules\//, 'node_modules/'));
        bundles.set(c.fileName, {
          build,
          entry: c.isEntry ? (c.facadeModuleId ? rel(c.facadeModuleId) : true) : null,
          imports: c.imports,
          dynamicImports: c.dynamicImports,
          modules: Object.fromEntries(Object.entries(c.modules).map(([id, m]) => [rel(id), m.renderedLength])),
        });
      }
    },
  };
}

export const BUNDLES_FILE = 'netlab-bundles.json';

/** The recorded bundles, as written to dist/netlab-bundles.json. */
export function recordedBundles() {
  return Object.fromEntries(bundles);
}
