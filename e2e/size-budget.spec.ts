// The size budget (issue 17), over the built site (npm run test:e2e builds it first): a reading page's
// JavaScript, what a terminal loads when first used, and one engine in the worker files. Sizes are gzip -9.
// `npm run bench` prints the same numbers (e2e/bundle-sizes.ts).
import { test, expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { BUDGET, measure, pageScript, readBundles } from './bundle-sizes';

const dist = fileURLToPath(new URL(`../${process.env.NETLAB_OUTDIR || 'dist'}`, import.meta.url));

/**
 * The terminal's first-use payload: what loads before its shell is ready (xterm and the terminal's code; the
 * engine worker with just-bash's interpreter, the kernel and the shell). The networking tools and just-bash's
 * regular-expression engine are fetched right after ready (src/commands/prefetch.ts); the Kubernetes layer, the
 * rarer tools, sed's GNU wrapper and the editors' commands on first use. The target is BUDGET.terminalFirstUse
 * (350 KB, met: 326.4 KB at 14:40 UTC on 2026-12-07; 331.9 KB at 15:07 with the kernel's new indexes and CoreDNS's
 * upstream; 329.5 KB at 15:16 once sed's wrapper and the editors' commands left the start). This ratchet holds what
 * was reached with a little room for the kernel, so that nothing heavy joins the start unnoticed. Lower it as the
 * start shrinks; raise it only for code the shell needs before its first prompt, saying so in the commit.
 */
const TERMINAL_RATCHET = 335 * 1024;

/** the same with what is fetched right after ready (the whole core: 497.1 KB at 15:16 UTC on 2026-12-07), a ratchet */
const CORE_RATCHET = 510 * 1024;

/** a drill page's script (Drill.astro's, DrillExam.astro's) with its static imports, gzip: a ratchet over what was measured */
const DRILL_PAGE_SCRIPT = 25 * 1024;

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

test('a reading page loads at most 15 KB of JavaScript (gzip) before its terminal is used', () => {
  const s = measure(dist);
  expect(s.readingPage.gzip, `reading page JS ${kb(s.readingPage.gzip)}: ${s.readingPage.files.join(', ')}`).toBeLessThanOrEqual(BUDGET.readingPage);
});

test("a terminal's first use loads no more than its budget", () => {
  const s = measure(dist);
  const msg = `terminal first-use payload ${kb(s.terminalFirstUse.gzip)} (target ${kb(BUDGET.terminalFirstUse)}): ${s.terminalFirstUse.files.join(', ')}`;
  expect(s.terminalFirstUse.gzip, msg).toBeLessThanOrEqual(Math.min(BUDGET.terminalFirstUse, TERMINAL_RATCHET));
  // and with what the engine fetches in the background once the shell is ready
  expect(s.terminalCore.gzip, `whole core ${kb(s.terminalCore.gzip)}: ${s.terminalCore.files.join(', ')}`).toBeLessThanOrEqual(CORE_RATCHET);
  // the rarely used tools are not in it
  expect(s.jqChunk, 'jq is a chunk of its own').not.toBeNull();
  expect(s.terminalFirstUse.files).not.toContain(s.jqChunk!.file);
});

test("the Kubernetes layer, kubectl and the YAML parser are not part of a terminal's first use", () => {
  const s = measure(dist);
  const bundles = readBundles(dist);
  const inCore = s.terminalCore.files.flatMap((f) => Object.keys(bundles[f]!.modules)).filter((m) => /^src\/k8s\/|^src\/commands\/kubectl\/|^node_modules\/yaml\//.test(m));
  expect(inCore, 'modules loaded up front that belong to the lazily loaded Kubernetes layer').toEqual([]);
});

test("a terminal's first use leaves out what its first command does not need: the save checks, the scenario definitions, rarer tools", () => {
  const s = measure(dist);
  const bundles = readBundles(dist);
  const firstUse = new Set(s.terminalFirstUse.files.flatMap((f) => Object.keys(bundles[f]!.modules)));
  // each is loaded when needed: the checks when there is a save to restore, the definitions when a scenario has no
  // prebuilt start, a tool when typed or completed (src/commands/index.ts), ip's completer on the first Tab
  const lazy = [
    'node_modules/zod/v4/classic/schemas.js',
    'src/sim/world-schema.ts',
    'src/shell/snapshot-schema.ts',
    'src/labs/scenarios/index.ts',
    'src/sim/kube-proxy-rules.ts',
    'src/commands/man/pages.ts',
    'src/commands/net-tools/route.ts',
    'src/commands/net-tools/ifconfig.ts',
    'src/commands/net-tools/netstat.ts',
    'src/commands/net-tools/arp.ts',
    'src/commands/dnsmasq.ts',
    'src/commands/conntrack.ts',
    'src/commands/traceroute.ts',
    'src/commands/getent.ts',
    'src/commands/wget.ts',
    'src/commands/nc.ts',
    'src/commands/bridge.ts',
    'src/commands/netlab/index.ts',
    'src/sim/map-model.ts',
    'src/commands/completion-ip.ts',
    // sed's GNU wrapper (src/shell/sed-lazy.ts) and the editors' commands (src/shell/fullscreen.ts): on the first sed, vi or nano
    'src/shell/sed.ts',
    'src/shell/vim/command.ts',
    'src/shell/nano/command.ts',
  ];
  expect(lazy.filter((m) => firstUse.has(m)), 'modules loaded up front that are meant to load on first use').toEqual([]);
  // the tools lessons type first: fetched right after ready, not before it
  const core = new Set(s.terminalCore.files.flatMap((f) => Object.keys(bundles[f]!.modules)));
  const afterReady = ['src/commands/ip/index.ts', 'src/commands/ping.ts', 'src/commands/ss.ts', 'src/commands/iptables/run.ts', 'src/commands/curl.ts', 'src/commands/dig.ts', 'src/commands/sysctl.ts'];
  expect(afterReady.filter((m) => firstUse.has(m)), 'tools loaded before the shell is ready').toEqual([]);
  expect(afterReady.filter((m) => !core.has(m)), 'tools not fetched right after ready').toEqual([]);
  // and they are in the build, in the worker's chunks (not dropped)
  const inWorker = new Set(Object.values(bundles).filter((b) => b.build === 'worker').flatMap((b) => Object.keys(b.modules)));
  expect(lazy.filter((m) => !inWorker.has(m)), 'modules missing from the engine').toEqual([]);
});

test("a drill page's script and the exam's carry neither the Kubernetes layer nor the drill definitions: grading is the engine worker's", () => {
  for (const component of ['src/components/Drill.astro', 'src/components/DrillExam.astro']) {
    const p = pageScript(dist, component);
    const heavy = p.modules.filter((m) => /^src\/k8s\/|^src\/commands\/|^src\/shell\/session|^src\/labs\/(drills\/(defs\/|runner|index\.ts)|checks\.ts|scenarios\/)|^node_modules\/(yaml|just-bash|zod\/v4\/classic)\//.test(m));
    expect(heavy, `${component}: modules on the main thread that belong in the engine worker`).toEqual([]);
    // measured 2026-12-07: the drill page's script was 877 KB raw / 274 KB gzip with them, 61 KB raw / 21.3 KB gzip without
    expect(p.gzip, `${component}: ${kb(p.gzip)} gzip, ${kb(p.raw)} raw: ${p.files.join(', ')}`).toBeLessThanOrEqual(DRILL_PAGE_SCRIPT);
  }
});

test("the editors (vim, nano) are not part of a terminal's first use: they load when one starts", () => {
  const s = measure(dist);
  const bundles = readBundles(dist);
  const editor = /^src\/shell\/(vim\/(vim|vim-[a-z]+|text|word|render)\.ts|nano\/nano\.ts|programs\.ts)$/;
  const inCore = s.terminalFirstUse.files.flatMap((f) => Object.keys(bundles[f]!.modules)).filter((m) => editor.test(m));
  expect(inCore, 'editor modules loaded up front (they belong to the chunk src/shell/programs.ts heads)').toEqual([]);
  // the chunks exist: the page's (it runs the editor next to the keyboard) and the worker's (npm run shell's path)
  for (const build of ['client', 'worker'] as const) {
    const chunk = Object.values(bundles).find((b) => b.build === build && Object.keys(b.modules).some((m) => m === 'src/shell/vim/vim.ts'));
    expect(chunk, `a ${build} chunk with the editors`).toBeDefined();
  }
});

test('one engine: a single worker entry, no two worker files sharing more than 50 KB of modules', () => {
  const s = measure(dist);
  expect(s.workerEntries, 'worker entries (every worker must be the engine, src/components/engine/spawn.ts)').toHaveLength(1);
  expect(s.workerEntries[0]).toMatch(/engine-worker/);
  const o = s.workerOverlap;
  expect(o?.bytes ?? 0, o ? `${o.a} and ${o.b} share ${kb(o.bytes)} of modules` : '').toBeLessThanOrEqual(BUDGET.workerOverlap);
});
