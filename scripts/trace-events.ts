// What the two trace scripts (trace-click.ts, trace-enter.ts) share: a Chromium trace recorded over CDP, and
// its threads' names.
import type { CDPSession } from '@playwright/test';

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { data?: Record<string, unknown>; name?: string; detail?: unknown; [k: string]: unknown };
}

/** Start a trace of these categories; `stop()` ends it and gives every event recorded. */
export async function startTrace(cdp: CDPSession, categories: string[]): Promise<{ events: TraceEvent[]; stop(): Promise<TraceEvent[]> }> {
  const events: TraceEvent[] = [];
  const emitter = cdp as unknown as { on(e: string, f: (d: { value: TraceEvent[] }) => void): void; once(e: string, f: () => void): void };
  emitter.on('Tracing.dataCollected', (d) => events.push(...d.value));
  const done = new Promise<void>((r) => emitter.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: categories } });
  return {
    events,
    async stop() {
      await cdp.send('Tracing.end');
      await done;
      return events;
    },
  };
}

/** Each thread's name by `pid:tid` (the trace's thread_name metadata) */
export function threadNames(events: TraceEvent[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, String(e.args?.name));
  return names;
}
