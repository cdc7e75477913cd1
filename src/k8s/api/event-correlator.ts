// client-go's EventCorrelator (tools/record/events_cache.go, v1.33), which
// every component's event recorder (kubelet, controller-manager, scheduler)
// runs before it writes a core/v1 Event:
// - aggregation: per source + object + type + reason, past 10 different
//   messages with no 10-minute pause between them, each new one becomes
//   "(combined from similar events): MESSAGE" on one combined event;
// - dedup: the same event again (same key, message included) patches the
//   first one: count+1, lastTimestamp, message;
// - spam filter: a token bucket per source + object + type, 25 events, then
//   one every 5 minutes; a filtered event is not written, but the recorder
//   has counted it, so the next one written carries the count.
// The recorder's caches are the component's memory; here they live in the
// cluster's runtime state, keyed by 32-bit hashes of client-go's keys, and
// entries that would act as fresh ones are dropped.

/** What the recorder keeps between events. */
export interface CorrelatorState {
  /** aggregateKey → the messages seen (hashes) and when the last one was */
  agg: Record<string, { k: number[]; t: number }>;
  /** spamKey → tokens left and when they were counted */
  spam: Record<string, { n: number; t: number }>;
  /** event key → an observation the spam filter kept off the server: its name, first time and count */
  held: Record<string, { name: string; first: string; count: number; t: number }>;
}

export const AGGREGATE_MAX_EVENTS = 10;
export const AGGREGATE_INTERVAL_MS = 600_000;
export const SPAM_BURST = 25;
export const SPAM_QPS = 1 / 300;
export const COMBINED_PREFIX = '(combined from similar events): ';
/** a held count outlives the event it would have patched by at most the event TTL */
const HELD_MS = 3_600_000;

/** FNV-1a, 32 bits, as a base-36 key. */
export function keyHash(parts: readonly (string | undefined)[]): string {
  let h = 0x811c9dc5;
  for (const p of parts) {
    const s = p ?? '';
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x1f; // client-go joins with "", a separator here only keeps ("ab","c") apart from ("a","bc")
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

export interface Occurrence {
  component: string;
  host: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  apiVersion: string;
  fieldPath: string;
  type: string;
  reason: string;
  message: string;
}

/**
 * EventAggregate: record the message under its aggregate key; true when the
 * event is to be written as the combined one.
 */
export function aggregate(st: CorrelatorState, o: Occurrence, now: number): boolean {
  // EventAggregatorByReasonFunc; ReportingController/Instance are the source's component and host
  const key = keyHash([o.component, o.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion, o.type, o.reason, o.component, o.host]);
  let rec = st.agg[key];
  if (!rec || now - rec.t > AGGREGATE_INTERVAL_MS) rec = { k: [], t: now };
  const m = Number.parseInt(keyHash([o.message]), 36);
  if (!rec.k.includes(m)) rec.k.push(m);
  rec.t = now;
  st.agg[key] = rec;
  if (rec.k.length < AGGREGATE_MAX_EVENTS) return false;
  rec.k.shift(); // PopAny: the set stays below the threshold, so each new message is combined again
  return true;
}

/** The logger's cache key: getEventKey, or the aggregate key for the combined event. */
export function observationKey(o: Occurrence, combined: boolean): string {
  return combined
    ? 'a' + keyHash([o.component, o.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion, o.type, o.reason])
    : 'e' + keyHash([o.component, o.host, o.kind, o.namespace, o.name, o.fieldPath, o.uid, o.apiVersion, o.type, o.reason, o.message]);
}

/** EventSourceObjectSpamFilter: true when the token bucket is empty (the event is not written). */
export function spamFiltered(st: CorrelatorState, o: Occurrence, now: number): boolean {
  const key = keyHash([o.component, o.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion, o.type]);
  const b = st.spam[key];
  let n = b ? Math.min(SPAM_BURST, b.n + ((now - b.t) / 1000) * SPAM_QPS) : SPAM_BURST;
  const ok = n >= 1;
  if (ok) n -= 1;
  st.spam[key] = { n, t: now };
  return !ok;
}

/** Drop what acts as fresh anyway: aggregate records past the interval, full buckets, old held counts; true when nothing is left. */
export function pruneCorrelator(st: CorrelatorState, now: number): boolean {
  for (const k in st.agg) if (now - st.agg[k]!.t > AGGREGATE_INTERVAL_MS) delete st.agg[k];
  for (const k in st.spam) {
    const b = st.spam[k]!;
    if (b.n + ((now - b.t) / 1000) * SPAM_QPS >= SPAM_BURST) delete st.spam[k];
  }
  for (const k in st.held) if (now - st.held[k]!.t > HELD_MS) delete st.held[k];
  for (const m of [st.agg, st.spam, st.held]) for (const _ in m) return false;
  return true;
}
