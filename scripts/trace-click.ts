// Where a cold click's time goes (issue 17): `npx tsx scripts/trace-click.ts [N] [MIN_MS]` against the built site
// (dist/, or DISTS=dirA,dirB interleaved; served precompressed as `npm run bench` serves it: scripts/static-serve.mjs). N cold samples (default 4),
// each a new browser context: the reading page is loaded, a Chromium trace started, the terminal clicked, the trace
// stopped once the shell is ready. For each sample, in ms from the click (the page's `netlab:activate` mark): the
// chunks' fetches, and on the page's main thread and the engine worker's thread the script compilation and
// evaluation, the tasks, frames and garbage collections of MIN_MS (default 2) and more, nested, until the shell
// is ready; then a summary (what ran on each thread, by kind, before the prompt and before ready).
// A diagnostic, not a test: nothing is asserted. TRACE_OUT=dir writes each trace (chrome://tracing, Perfetto).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { startTrace, threadNames, type TraceEvent } from './trace-events';

const root = fileURLToPath(new URL('..', import.meta.url));
const N = Number(process.argv[2] ?? 4);
const MIN_MS = Number(process.argv[3] ?? 2);
const PAGE = '/about/';

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'blink.user_timing',
  'toplevel',
  'v8',
  'v8.execute',
  'disabled-by-default-v8.compile',
  'disabled-by-default-v8.gc',
  'loading',
  'blink',
];

/** the events shown in the timeline (others only count in their parents) */
const SHOWN = /^(RunTask|ThreadControllerImpl::RunTask|EvaluateScript|v8\.compile|v8\.compileModule|v8\.evaluateModule|v8\.produceModuleCache|v8\.produceCache|v8\.run|v8\.callFunction|FunctionCall|EventDispatch|TimerFire|FireAnimationFrame|RunMicrotasks|Layout|UpdateLayoutTree|Paint|PrePaint|Commit|BeginMainFrame|ProxyMain::BeginMainFrame|MajorGC|MinorGC|V8\.GC_.*|ParseHTML|v8\.parseOnBackground|V8\.CompileCode|v8\.compileLazy|V8\.ParseFunction|HandlePostMessage|WorkerGlobalScope::EvaluateClassicScript|ScriptModule.*|ModuleScript.*|v8\.newInstance|XHRReadyStateChange|ResourceReceivedData|v8\.deserializeCode|V8\.DeserializeCode.*|WorkerThread.*|DedicatedWorker.*)$/;

async function main(): Promise<void> {
  // DISTS=dirA,dirB: builds compared, their samples interleaved (the summary per build)
  const dists = (process.env.DISTS ?? `${root}/dist`).split(',');
  const servers: ChildProcess[] = [];
  const bases: string[] = [];
  for (const dist of dists) {
    const port = 4400 + Math.floor(Math.random() * 500);
    servers.push(spawn(process.execPath, [`${root}/scripts/static-serve.mjs`, dist, String(port)], { cwd: root, stdio: 'ignore' }));
    const base = `http://127.0.0.1:${port}`;
    bases.push(base);
    for (let i = 0; i < 300; i++) {
      try {
        if ((await fetch(base + PAGE)).ok) break;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const summaries: Record<string, number>[][] = dists.map(() => []);
  try {
    for (let i = 0; i < N; i++) {
      for (let j0 = 0; j0 < dists.length; j0++) {
        const j = (j0 + i) % dists.length;
        const ctx = await browser.newContext({ serviceWorkers: 'block' });
        const page = await ctx.newPage();
        await page.goto(bases[j] + PAGE, { waitUntil: 'networkidle' });
        const cdp = await ctx.newCDPSession(page);
        const trace = await startTrace(cdp, process.env.CATS ? process.env.CATS.split(',') : CATEGORIES);
        await page.locator('netlab-terminal .nt-screen').first().click();
        await page.waitForSelector('netlab-terminal[data-shell="ready"]');
        // the frame that shows the prompt has been drawn by now; two more frames for the trace's tail
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const own = (await page.evaluate(`(() => {
          const t = (n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
          const a = t('netlab:activate');
          return { prompt: t('netlab:prompt') - a, shell: t('netlab:shell-ready') - a };
        })()`)) as { prompt: number; shell: number };
        const events = await trace.stop();
        if (process.env.TRACE_OUT) writeFileSync(`${process.env.TRACE_OUT}/click-${i}${dists.length > 1 ? `-${j}` : ''}.json`, JSON.stringify({ traceEvents: events }));
        console.log(`\n# sample ${i + 1}${dists.length > 1 ? ` of ${dists[j]}` : ''}: the page's own marks: prompt ${own.prompt.toFixed(1)} ms, shell ready ${own.shell.toFixed(1)} ms`);
        summaries[j]!.push(report(events, process.env.QUIET !== '1'));
        await ctx.close();
      }
    }
  } finally {
    await browser.close();
    for (const s of servers) s.kill();
  }
  for (const [j, dist] of dists.entries()) {
    console.log(`\n# summary over the samples${dists.length > 1 ? ` of ${dist}` : ''} (ms): median / max`);
    const keys = [...new Set(summaries[j]!.flatMap((s) => Object.keys(s)))].sort();
    for (const k of keys) {
      const v = summaries[j]!.map((s) => s[k] ?? 0).sort((a, b) => a - b);
      console.log(`${k.padEnd(58)} ${v[Math.floor(v.length / 2)]!.toFixed(1).padStart(7)} / ${v[v.length - 1]!.toFixed(1).padStart(7)}`);
    }
  }
}

function report(events: TraceEvent[], print = true): Record<string, number> {
  const threadName = threadNames(events);
  const mark = (name: string) => events.find((e) => e.cat.includes('blink.user_timing') && e.name === name);
  const activate = mark('netlab:activate');
  const prompt = mark('netlab:prompt');
  const ready = mark('netlab:shell-ready');
  if (!activate || !prompt || !ready) {
    console.log('  (marks missing from the trace)');
    return {};
  }
  const t0 = activate.ts;
  const mainKey = `${activate.pid}:${activate.tid}`;
  const workers = [...threadName.entries()].filter(([k, v]) => /Worker/.test(v) && k.startsWith(`${activate.pid}:`)).map(([k]) => k);
  const label = (k: string) => (k === mainKey ? 'main  ' : workers.includes(k) ? 'worker' : 'other ');
  const rel = (ts: number) => ((ts - t0) / 1000).toFixed(1).padStart(7);
  const end = ready.ts + 40_000;
  const lines: [number, string][] = [];
  // nesting per thread
  const stacks = new Map<string, number[]>();
  const xs = events.filter((e) => e.ph === 'X' && e.dur !== undefined && e.ts >= t0 - 30_000 && e.ts < end).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const sum: Record<string, number> = {};
  const add = (k: string, v: number) => (sum[k] = (sum[k] ?? 0) + v);
  for (const e of xs) {
    const k = `${e.pid}:${e.tid}`;
    if (k !== mainKey && !workers.includes(k)) continue;
    const st = stacks.get(k) ?? [];
    while (st.length && st[st.length - 1]! <= e.ts) st.pop();
    const depth = st.length;
    st.push(e.ts + e.dur!);
    stacks.set(k, st);
    const d = e.dur! / 1000;
    const data = e.args?.data ?? {};
    const url = String(data.url ?? data.fileName ?? (e.args as { fileName?: string } | undefined)?.fileName ?? '').split('/').pop()?.slice(0, 28) ?? '';
    const fn = String(data.functionName ?? '');
    const what = `${e.name}${url ? ' ' + url : ''}${fn ? ' ' + fn : ''}`;
    // the summary: leaf kinds of work, by thread, before the prompt (main) and before ready (both)
    if (/compile|parse|Compile|Parse|deserialize|Deserialize/.test(e.name) && depth <= 6) {
      if (e.ts + e.dur! <= ready.ts) add(`${label(k).trim()}: ${e.name} ${url} (before ready)`, d);
    }
    if (/^(v8\.evaluateModule|EvaluateScript)$/.test(e.name) && e.ts + e.dur! <= ready.ts) add(`${label(k).trim()}: ${e.name} ${url} (before ready)`, d);
    if (/GC/.test(e.name) && depth <= 6 && e.ts <= ready.ts) add(`${label(k).trim()}: GC (before ready)`, d);
    if (k === mainKey && (e.name === 'Layout' || e.name === 'UpdateLayoutTree') && e.ts >= t0 && e.ts <= prompt.ts) add(`main: ${e.name}, click to prompt`, d);
    if (k === mainKey && e.name === 'V8.CompileCode' && e.ts >= t0 && e.ts <= prompt.ts) add(`main: V8.CompileCode (lazy compiles), click to prompt`, d);
    if (depth === 0 && e.ts <= ready.ts && e.ts >= t0) add(`${label(k).trim()}: top-level tasks, click to ready`, d);
    if (depth === 0 && k === mainKey && e.ts <= prompt.ts && e.ts >= t0) add(`main: top-level tasks, click to prompt`, d);
    if (d >= MIN_MS && depth <= 4 && SHOWN.test(e.name)) lines.push([e.ts, `${label(k)} ${'  '.repeat(depth)}${what} ${d.toFixed(1)} ms (to ${((e.ts + e.dur! - t0) / 1000).toFixed(1)})`]);
  }
  for (const e of events) {
    if (e.ts < t0 - 30_000 || e.ts > end) continue;
    if (e.name === 'ResourceSendRequest') lines.push([e.ts, `net     request ${String(e.args?.data?.url ?? '').split('/').pop()}`]);
    else if (e.name === 'ResourceFinish') lines.push([e.ts, `net     finished ${String((e.args?.data as { requestId?: string })?.requestId ?? '')} ${String(e.args?.data?.encodedDataLength ?? '')} B`]);
    else if (e.cat.includes('blink.user_timing') && e.name.startsWith('netlab:') && e.ph !== 'e') lines.push([e.ts, `mark    ${e.name}`]);
  }
  lines.sort((a, b) => a[0] - b[0]);
  if (print) for (const [ts, s] of lines) console.log(`${rel(ts)}  ${s}`);
  // the frame that shows the prompt: the first main-thread Commit after the prompt mark
  const commit = xs.find((e) => `${e.pid}:${e.tid}` === mainKey && e.name === 'Commit' && e.ts > prompt.ts);
  sum['marks: prompt'] = (prompt.ts - t0) / 1000;
  sum['marks: shell ready'] = (ready.ts - t0) / 1000;
  if (commit) sum['marks: the commit of the frame after the prompt'] = (commit.ts + commit.dur! - t0) / 1000;
  return sum;
}

await main();
