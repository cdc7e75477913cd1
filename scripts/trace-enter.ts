// Where Enter-to-output's time goes, frame by frame (issue 17): `npx tsx scripts/trace-enter.ts [N] [line]`
// against the built site (dist/). Types `line` (default `echo hello`) N times (default 20) into a live
// terminal in headless Chromium with a Chromium trace running, and prints for each Enter, in ms from the key
// event's timestamp: the keydown's dispatch, the page posting the line to the worker, the worker's task, the
// page receiving each message, xterm's parse of the output, the frames (BeginMainFrame, with what they ran)
// until the paint of the frame after the output, and the page's own times (timings / paintTimings).
// A diagnostic, not a test: nothing is asserted.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { startTrace, threadNames, type TraceEvent } from './trace-events';

const root = fileURLToPath(new URL('..', import.meta.url));
const N = Number(process.argv[2] ?? 20);
const LINE = process.argv[3] ?? 'echo hello';
/** PACED=1: Enter pressed once the line's echo is painted, and held 60 ms (a typist), not at machine speed; TOGGLE=1: Enter right after the cursor blink's next toggle */
const PACED = process.env.PACED === '1';

// marks in the page: the key event (with its timestamp), messages to and from the worker
const INIT = `(() => {
  addEventListener('keydown', (ev) => { if (ev.key === 'Enter') performance.mark('t:keydown', { detail: ev.timeStamp }); }, true);
  const W = globalThis.Worker;
  globalThis.Worker = class extends W {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (ev) => performance.mark('t:recv:' + (ev.data && ev.data.t), { detail: ev.timeStamp }));
    }
    postMessage(m, ...r) { performance.mark('t:post:' + (m && m.t)); return super.postMessage(m, ...r); }
  };
  // a run's messages come through a BroadcastChannel (worker-protocol.ts, init's channel)
  const B = globalThis.BroadcastChannel;
  if (B) globalThis.BroadcastChannel = class extends B {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (ev) => performance.mark('t:recv:' + (ev.data && ev.data.t), { detail: ev.timeStamp }));
    }
  };
})()`;

async function main(): Promise<void> {
  const port = 4400 + Math.floor(Math.random() * 500);
  const server: ChildProcess = spawn(process.execPath, [`${root}/node_modules/.bin/astro`, 'preview', '--ignore-lock', '--host', '127.0.0.1', '--port', String(port)], { cwd: root, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(base + '/about/')).ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const ctx = await browser.newContext();
    await ctx.addInitScript(INIT);
    const page = await ctx.newPage();
    await page.goto(base + '/about/', { waitUntil: 'networkidle' });
    await page.locator('netlab-terminal .nt-screen').first().click();
    await page.waitForSelector('netlab-terminal[data-shell="ready"]');
    // warm up
    for (let i = 0; i < 3; i++) {
      await page.keyboard.type(LINE);
      await page.keyboard.press('Enter');
      await page.waitForSelector('netlab-terminal[data-state="ready"]');
    }
    await new Promise((r) => setTimeout(r, 300));
    const cdp = await ctx.newCDPSession(page);
    const trace = await startTrace(
      cdp,
      // LIGHT=1: without stacks and invalidation tracking (they cost several ms a frame under load)
      process.env.LIGHT === '1' ? ['devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'blink.user_timing', 'toplevel', 'v8.execute', 'cc', 'renderer.scheduler', 'input', 'blink'] : [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'disabled-by-default-devtools.timeline.frame',
          'blink.user_timing',
          'toplevel',
          'v8.execute',
          'blink',
          'cc',
          'renderer.scheduler',
          'disabled-by-default-renderer.scheduler',
          'input',
          'benchmark',
          'disabled-by-default-devtools.timeline.stack',
          'disabled-by-default-devtools.timeline.invalidationTracking',
        ],
    );
    const before = await page.evaluate(() => (document.querySelector('netlab-terminal') as unknown as { netlab: { paintTimings: number[] } }).netlab.paintTimings.length);
    for (let i = 0; i < N; i++) {
      await page.keyboard.type(LINE);
      if (process.env.TOGGLE === '1') {
        // Enter right after the cursor blink's next toggle (the toggle leaves a frame pending)
        await page.evaluate(() => new Promise((r) => new MutationObserver((_, o) => (o.disconnect(), r(0))).observe(document.querySelector('.nt-xterm')!, { attributes: true, attributeFilter: ['data-blink-off'] })));
        await page.keyboard.press('Enter');
      } else if (PACED) {
        // a typist's pace: the last key's echo is on the screen before Enter, which is held as a finger holds it
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        await page.keyboard.press('Enter', { delay: Number(process.env.HOLD ?? 60) });
      } else await page.keyboard.press('Enter');
      await page.waitForFunction(
        (k) => (document.querySelector('netlab-terminal') as unknown as { netlab: { paintTimings: number[] } }).netlab.paintTimings.length >= k,
        before + i + 1,
      );
      await page.waitForSelector('netlab-terminal[data-state="ready"]');
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 30));
    }
    const own = await page.evaluate(
      (k) => {
        const n = (document.querySelector('netlab-terminal') as unknown as { netlab: { timings: number[]; paintTimings: number[] } }).netlab;
        return { timings: n.timings.slice(k), painted: n.paintTimings.slice(k) };
      },
      before,
    );
    const events = await trace.stop();
    if (process.env.TRACE_OUT) writeFileSync(process.env.TRACE_OUT, JSON.stringify({ traceEvents: events }));
    report(events, own);
    await ctx.close();
  } finally {
    await browser.close();
    server.kill();
  }
}

function report(events: TraceEvent[], own: { timings: number[]; painted: number[] }): void {
  const threadName = threadNames(events);
  const marks = events.filter((e) => e.cat.includes('blink.user_timing') && (e.ph === 'R' || e.ph === 'I' || e.ph === 'n' || e.ph === 'b'));
  const keydowns = marks.filter((e) => e.name === 't:keydown').sort((a, b) => a.ts - b.ts);
  if (!keydowns.length) {
    console.log('no keydown marks in the trace');
    return;
  }
  const main = keydowns[0]!;
  const mainKey = `${main.pid}:${main.tid}`;
  const worker = [...threadName.entries()].find(([k, v]) => v.includes('DedicatedWorker') && k.startsWith(`${main.pid}:`))?.[0];
  const compositor = [...threadName.entries()].find(([k, v]) => v === 'Compositor' && k.startsWith(`${main.pid}:`))?.[0];
  const on = (e: TraceEvent, k: string | undefined) => `${e.pid}:${e.tid}` === k;
  const summary: Record<string, number[]> = {};
  const add = (k: string, v: number) => (summary[k] ??= []).push(v);
  for (let i = 0; i < keydowns.length; i++) {
    const kd = keydowns[i]!;
    const end = keydowns[i + 1]?.ts ?? Infinity;
    // the key event's own timestamp (ms, performance.now's clock) vs the mark's: the mark's ts in µs
    const nowAtMark = (kd.args?.data as { startTime?: number } | undefined)?.startTime;
    const evStamp = (kd.args?.data as { detail?: number } | undefined)?.detail;
    const t0 = kd.ts - (typeof nowAtMark === 'number' && typeof evStamp === 'number' ? (nowAtMark - evStamp) * 1000 : 0);
    const rel = (ts: number) => ((ts - t0) / 1000).toFixed(1).padStart(6);
    const lines: [number, string][] = [];
    const inWin = (e: TraceEvent) => e.ts >= t0 - 100 && e.ts < end;
    for (const e of events) {
      if (!inWin(e)) continue;
      if (e.cat.includes('blink.user_timing') && e.name.startsWith('t:') && (e.ph === 'R' || e.ph === 'I' || e.ph === 'n')) lines.push([e.ts, `main   mark ${e.name.slice(2)}`]);
      else if (on(e, mainKey) && e.ph === 'X' && e.dur !== undefined) {
        const d = e.dur / 1000;
        if (e.name === 'EventDispatch') lines.push([e.ts, `main   ${String(e.args?.data?.type)} dispatch ${d.toFixed(2)} ms`]);
        else if (e.name === 'FireAnimationFrame') lines.push([e.ts, `main   rAF callback ${d.toFixed(2)} ms`]);
        else if (e.name === 'TimerFire') lines.push([e.ts, `main   timer ${d.toFixed(2)} ms`]);
        else if (e.name === 'BeginMainFrame' || e.name === 'ThreadProxy::BeginMainFrame' || e.name === 'ProxyMain::BeginMainFrame') lines.push([e.ts, `main   BeginMainFrame ${d.toFixed(2)} ms`]);
        else if (e.name === 'Paint' || e.name === 'PrePaint' || e.name === 'Layout' || e.name === 'UpdateLayoutTree' || e.name === 'Commit') lines.push([e.ts, `main     ${e.name} ${d.toFixed(2)} ms`]);
        else if (e.name === 'ThreadControllerImpl::RunTask' && d > 0.5) lines.push([e.ts, `main   task ${d.toFixed(2)} ms`]);
        else if (e.name === 'FunctionCall' && d > 0.3) lines.push([e.ts, `main   js ${d.toFixed(2)} ms ${String(e.args?.data?.functionName ?? '')}`]);
      } else if (on(e, worker) && e.ph === 'X' && e.dur !== undefined && (e.name === 'FunctionCall' || e.name === 'EventDispatch' || e.name === 'v8.callFunction') && e.dur > 50) {
        lines.push([e.ts, `worker ${e.name} ${(e.dur / 1000).toFixed(2)} ms (ends ${rel(e.ts + e.dur)})`]);
      } else if (on(e, compositor) && (e.name === 'Scheduler::BeginFrame' || e.name === 'ProxyImpl::ScheduledActionDraw' || e.name === 'Graphics.Pipeline' && false)) {
        lines.push([e.ts, `comp   ${e.name}`]);
      } else if (e.name === 'DrawFrame' && e.ph !== 'M') lines.push([e.ts, `       DrawFrame`]);
    }
    lines.sort((a, b) => a[0] - b[0]);
    console.log(`\n# Enter ${i + 1}: own timing ${own.timings[i]?.toFixed(1)} ms to output parsed, ${own.painted[i]?.toFixed(1)} ms to the frame after`);
    let cut = 0;
    for (const [ts, s] of lines) {
      if ((ts - t0) / 1000 > (own.painted[i] ?? 60) + 25) break;
      console.log(`${rel(ts)}  ${s}`);
      cut++;
    }
    const f = (name: string) => lines.find(([, s]) => s.includes(name))?.[0];
    const post = f('mark post:run');
    const out = f('mark recv:output');
    if (post) add('key -> post run', (post - t0) / 1000);
    if (out) add('key -> recv output', (out - t0) / 1000);
    const kdDispatch = lines.find(([, s]) => s.includes('keydown dispatch'))?.[0];
    if (kdDispatch) add('key -> keydown dispatch', (kdDispatch - t0) / 1000);
  }
  classify(events, keydowns, own, { main: mainKey, worker, compositor });
  console.log('\n# medians');
  for (const [k, v] of Object.entries(summary)) {
    const s = [...v].sort((a, b) => a - b);
    console.log(`${k.padEnd(28)} median ${s[Math.floor(s.length / 2)]!.toFixed(1)}  p95 ${s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!.toFixed(1)}  (n=${s.length})`);
  }
  const sp = [...own.painted].sort((a, b) => a - b);
  console.log(`own paintTimings median ${sp[Math.floor(sp.length / 2)]?.toFixed(1)} p95 ${sp[Math.min(sp.length - 1, Math.floor(sp.length * 0.95))]?.toFixed(1)}`);
}

/**
 * One line per Enter, to sort the slow ones: where the key fell in the frame (ms since the last compositor
 * BeginFrame), the worker's task (start, end, its CPU time), the output received, in xterm (own timing), the first
 * main frame after it and the page's paint callback; `held` = a main frame ran after the worker's task ended and
 * before the output was received (held for that frame, or slow in transit: the channel goes through the browser
 * process); `off-CPU` = the most wall time a main-thread or
 * worker task in that span spent without running (wall - thread time: the machine's other jobs); GC = collections
 * over 0.3 ms on those threads.
 */
function classify(events: TraceEvent[], keydowns: TraceEvent[], own: { timings: number[]; painted: number[] }, t: { main: string; worker?: string; compositor?: string }): void {
  const key = (e: TraceEvent) => `${e.pid}:${e.tid}`;
  const sorted = events.filter((e) => e.ts).sort((a, b) => a.ts - b.ts);
  const ticks = sorted.filter((e) => key(e) === t.compositor && e.name === 'Scheduler::BeginFrame').map((e) => e.ts);
  const frames = sorted.filter((e) => key(e) === t.main && e.ph === 'X' && e.name === 'ProxyMain::BeginMainFrame');
  const marks = (n: string) => sorted.filter((e) => e.name === n && e.cat.includes('blink.user_timing'));
  const posts = marks('t:post:run');
  const outs = marks('t:recv:output');
  const f = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '     -' : x.toFixed(1).padStart(6));
  console.log('\n# per Enter (ms from the key)\n   #  phase wStart   wEnd  wCPU   recv  xterm  frame painted held off-CPU GC');
  keydowns.forEach((kd, i) => {
    const data = kd.args?.data as { startTime?: number; detail?: number } | undefined;
    const t0 = kd.ts - (typeof data?.startTime === 'number' && typeof data?.detail === 'number' ? (data.startTime - Number(data.detail)) * 1000 : 0);
    const end = keydowns[i + 1]?.ts ?? Infinity;
    const r = (ts: number | undefined) => (ts === undefined ? undefined : (ts - t0) / 1000);
    const post = posts.find((e) => e.ts > t0 - 2000 && e.ts < end);
    const out = outs.find((e) => e.ts > t0 && e.ts < end);
    const w = sorted.find((e) => key(e) === t.worker && e.ph === 'X' && e.name === 'HandlePostMessage' && post !== undefined && e.ts > post.ts && e.ts < end);
    const wEnd = w ? w.ts + (w.dur ?? 0) : undefined;
    const last = ticks.filter((x) => x <= t0).pop();
    const painted = own.painted[i] ?? 60;
    const until = t0 + painted * 1000;
    const frame = frames.find((e) => out !== undefined && e.ts > out.ts);
    const held = out !== undefined && wEnd !== undefined && frames.some((e) => e.ts > t0 && e.ts > wEnd && e.ts < out.ts);
    const span = sorted.filter((e) => (key(e) === t.main || key(e) === t.worker) && e.ph === 'X' && e.ts >= t0 && e.ts < until);
    const offCpu = Math.max(0, ...span.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && (e as { tdur?: number }).tdur !== undefined).map((e) => ((e.dur ?? 0) - ((e as { tdur?: number }).tdur ?? 0)) / 1000));
    const gc = span.filter((e) => /^(MinorGC|MajorGC|V8\.GC_SCAVENGER|V8\.GC_MARK_COMPACTOR)$/.test(e.name) && (e.dur ?? 0) > 300).map((e) => `${key(e) === t.main ? 'page' : 'worker'} ${((e.dur ?? 0) / 1000).toFixed(1)}`);
    console.log(`${String(i + 1).padStart(4)} ${f(last === undefined ? undefined : (t0 - last) / 1000)} ${f(r(w?.ts))} ${f(r(wEnd))} ${f(w && (w as { tdur?: number }).tdur !== undefined ? ((w as { tdur?: number }).tdur ?? 0) / 1000 : undefined).slice(1)} ${f(r(out?.ts))} ${f(own.timings[i])} ${f(r(frame?.ts))} ${f(own.painted[i])} ${held ? ' yes' : '  no'} ${f(offCpu)}  ${[...new Set(gc)].join(', ')}`);
  });
}

await main();
