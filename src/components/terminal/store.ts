// A terminal's saved state in localStorage: the session (world, cwd,
// variables, functions, history), the undo steps, and the text on the screen.
//
// Nothing is lost silently: a save that cannot be read (damaged, edited, from an older build) is copied to
// `KEY:backup` before anything overwrites it, and the terminal says so (Reset / Restore backup); a save the
// quota refuses leaves the last good one in place, after the oldest saves of other terminals were given up
// (oldest first, counted in the result so the terminal can say so).
//
// Each undo step is stored once, under its own key (`KEY:undo:ID`, the step's session as JSON), written by the
// first save that carries it; the save names its steps (`{"line", "at": ID}`) and a save drops the step keys it no
// longer names. A save after a command so writes the new state and at most one new step, not eleven worlds.
// Saves of earlier builds, with their steps inline (`{"line", "snapshot"}`), are read as they are.
import { z } from '../../sim/zod-mini';
import type { SessionSnapshot } from '../../shell/session';
import { sessionSnapshotShape } from '../../shell/snapshot-shape';
import { worldAsText } from '../../shell/snapshot-text';
import type { UndoStep } from './client';
import { promptKey, STORE_PREFIX } from './keys';
import { encodedText as encode } from './encoded';

export interface Saved {
  v: 1;
  scenario: string;
  snapshot: SessionSnapshot;
  undo: UndoStep[];
  /** the screen's text above the prompt line, restored after a reload */
  screen: string;
}

/** an undo step's key: stored once, under its own key */
const STEP_ID = /^[0-9a-z]{1,24}$/;

/**
 * What a save in storage must be (the world inside is checked by the shell when it restores it). Built on first
 * use: zod's schemas cost some milliseconds to build, on the way to a terminal's first prompt (issue 17), and a
 * first visit has no save to check.
 */
const savedShape = () => {
  const stepSchema = z.object({ line: z.string(), snapshot: sessionSnapshotShape() });
  const stepRefSchema = z.object({ line: z.string(), at: z.string().check(z.regex(STEP_ID)) });
  return z.object({
    v: z.literal(1),
    scenario: z.string(),
    snapshot: sessionSnapshotShape(),
    undo: z._default(z.array(z.union([stepSchema, stepRefSchema])), []),
    screen: z._default(z.string(), ''),
  });
};
let savedBuilt: ReturnType<typeof savedShape> | undefined;
const savedSchema = (): ReturnType<typeof savedShape> => (savedBuilt ??= savedShape());

/** a parsed save with each snapshot's world as text (snapshotJson saves it as an object; earlier builds quoted it) */
function worldsAsText(save: unknown): unknown {
  if (save === null || typeof save !== 'object') return save;
  const s = save as { snapshot?: unknown; undo?: unknown };
  const undo = Array.isArray(s.undo) ? s.undo.map((u: unknown) => (u !== null && typeof u === 'object' && 'snapshot' in u ? { ...u, snapshot: worldAsText((u as { snapshot: unknown }).snapshot) } : u)) : s.undo;
  return { ...s, snapshot: worldAsText(s.snapshot), undo };
}

export const undoKey = (key: string, id: string): string => `${key}:undo:${id}`;
const isUndoKey = (k: string): boolean => /:undo:[0-9a-z]+$/.test(k);

/** the id each undo step was stored under (a step is the same object in every later save) */
const stepIds = new WeakMap<UndoStep, string>();
let nextStep = 0;
const newStepId = (): string => `${Date.now().toString(36)}${(nextStep++ % 1296).toString(36).padStart(2, '0')}`;

/**
 * The steps a save names, read from their keys and checked; a step that is gone or unreadable ends the list
 * there (Undo steps back through the newest steps that can all be restored).
 */
function readSteps(st: Storage, key: string, undo: z.infer<ReturnType<typeof savedShape>>['undo']): UndoStep[] {
  const out: UndoStep[] = [];
  for (const u of undo) {
    if ('snapshot' in u) {
      out.push(u as UndoStep);
      continue;
    }
    let step: UndoStep | null = null;
    try {
      const r = sessionSnapshotShape().safeParse(worldAsText(JSON.parse(st.getItem(undoKey(key, u.at)) ?? 'null')));
      if (r.success) step = { line: u.line, snapshot: r.data as SessionSnapshot };
    } catch {
      step = null;
    }
    if (!step) {
      out.length = 0;
      continue;
    }
    stepIds.set(step, u.at);
    out.push(step);
  }
  return out;
}

/** undo steps kept across reloads (each holds a whole world) */
const SAVED_UNDO = 10;

/** when each terminal last saved (`{key: ms}`): the oldest go first when the quota is short */
export const SAVED_AT_KEY = 'netlab:saved-at';

export const backupKey = (key: string): string => `${key}:backup`;

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // disabled (privacy settings): the terminal still works, unsaved
  }
}

export type LoadResult =
  | { status: 'none' }
  | { status: 'ok'; saved: Saved }
  /** a save for another scenario or host (kept, not used) */
  | { status: 'other' }
  /** present but unreadable: copied to backupKey(key) */
  | { status: 'corrupt'; reason: string };

/** The saved state of this terminal, checked; an unreadable one is kept aside under backupKey(key). */
export function loadChecked(key: string, scenario: string, host?: string): LoadResult {
  const st = storage();
  let raw: string | null = null;
  try {
    raw = st?.getItem(key) ?? null;
  } catch {
    return { status: 'none' };
  }
  if (raw === null) return { status: 'none' };
  let reason: string;
  try {
    const r = savedSchema().safeParse(worldsAsText(JSON.parse(raw)));
    if (r.success) {
      if (r.data.scenario !== scenario || (host !== undefined && r.data.snapshot.host !== host)) return { status: 'other' };
      return { status: 'ok', saved: { ...r.data, snapshot: r.data.snapshot as SessionSnapshot, undo: readSteps(st!, key, r.data.undo) } };
    }
    const i = r.error.issues[0]!;
    reason = `${i.path.join('.') || 'save'}: ${i.message}`;
  } catch (e) {
    reason = e instanceof Error ? e.message : String(e);
  }
  keepAside(key, raw);
  return { status: 'corrupt', reason };
}

/** The saved state of this terminal if it can be used (see loadChecked for the rest). */
export function load(key: string, scenario: string, host?: string): Saved | null {
  const r = loadChecked(key, scenario, host);
  return r.status === 'ok' ? r.saved : null;
}

/** Copy a save to its backup key (the first backup is never replaced by a later one). */
function keepAside(key: string, raw: string): void {
  const st = storage();
  if (!st) return;
  try {
    if (st.getItem(backupKey(key)) === null) st.setItem(backupKey(key), raw);
  } catch {
    // no room even for the backup: the original stays where it is until something is saved
  }
}

/** The shell could not restore the save the page gave it: keep it aside (as loadChecked does for a bad shape). */
export function keepCurrentAside(key: string): void {
  const raw = storage()?.getItem(key);
  if (raw != null) keepAside(key, raw);
}

export function hasBackup(key: string): boolean {
  try {
    return storage()?.getItem(backupKey(key)) != null;
  } catch {
    return false;
  }
}

/** Put the backup back as the terminal's save (the page reloads to use it); true when there was one. */
export function restoreBackup(key: string): boolean {
  const st = storage();
  const raw = st?.getItem(backupKey(key));
  if (!st || raw == null) return false;
  try {
    st.setItem(key, raw);
  } catch {
    return false;
  }
  st.removeItem(backupKey(key));
  return true;
}

export function dropBackup(key: string): void {
  storage()?.removeItem(backupKey(key));
}

export interface SaveResult {
  /** ok: all saved; trimmed: saved without the undo steps or the screen; quota: nothing written (the last good save stays); unavailable: no storage */
  status: 'ok' | 'trimmed' | 'quota' | 'unavailable';
  /** other terminals' saves given up, oldest first, to make room */
  evicted: string[];
}

function savedAt(st: Storage): Record<string, number> {
  try {
    const r = z.record(z.string(), z.number()).safeParse(JSON.parse(st.getItem(SAVED_AT_KEY) ?? '{}'));
    if (r.success) return r.data;
  } catch {
    // unreadable: rebuilt below
  }
  return {};
}

/** Other terminals' saves, oldest first (those never stamped first of all). */
function evictionOrder(st: Storage, key: string): string[] {
  const at = savedAt(st);
  const keys: string[] = [];
  for (let i = 0; i < st.length; i++) {
    const k = st.key(i);
    if (k && k.startsWith(STORE_PREFIX) && k !== key && !k.endsWith(':prompt') && !k.endsWith(':backup') && !isUndoKey(k)) keys.push(k);
  }
  return keys.sort((a, b) => (at[a] ?? 0) - (at[b] ?? 0) || (a < b ? -1 : 1));
}

function stamp(st: Storage, key: string, evicted: string[]): void {
  const at = savedAt(st);
  for (const k of evicted) delete at[k];
  at[key] = Date.now();
  try {
    st.setItem(SAVED_AT_KEY, JSON.stringify(at));
  } catch {
    // the index is only an ordering hint
  }
}

/**
 * The text of a save (JSON of `Saved`), with at most `undo` undo steps inline and the screen or not (the form of
 * earlier builds' saves; store.test.ts reads it back).
 */
export function savedText(saved: Saved, undo = SAVED_UNDO, screen = true): string {
  const steps = undo > 0 ? saved.undo.slice(-undo) : [];
  const undoText = steps.map((u) => `{"line":${JSON.stringify(u.line)},"snapshot":${encode(u.snapshot)}}`).join(',');
  return `{"v":1,"scenario":${JSON.stringify(saved.scenario)},"snapshot":${encode(saved.snapshot)},"undo":[${undoText}],"screen":${JSON.stringify(screen ? saved.screen : '')}}`;
}

/**
 * What a save writes: its text, naming its last `undo` steps, and the steps not stored yet (key, text). The
 * page's work after a command is this: the current state's text (encoded in the worker) and at most one new
 * step, whose text was the current state's before (encoded.ts).
 */
export function saveTexts(key: string, saved: Saved, undo = SAVED_UNDO, screen = true): { text: string; steps: [string, string][]; named: UndoStep[]; ids: string[] } {
  const steps = undo > 0 ? saved.undo.slice(-undo) : [];
  const fresh: [string, string][] = [];
  const ids = steps.map((u) => {
    let id = stepIds.get(u);
    if (id === undefined) {
      id = newStepId();
      fresh.push([undoKey(key, id), encode(u.snapshot)]);
    }
    return id;
  });
  const refs = steps.map((u, i) => `{"line":${JSON.stringify(u.line)},"at":"${ids[i]}"}`).join(',');
  const text = `{"v":1,"scenario":${JSON.stringify(saved.scenario)},"snapshot":${encode(saved.snapshot)},"undo":[${refs}],"screen":${JSON.stringify(screen ? saved.screen : '')}}`;
  return { text, steps: fresh, named: steps, ids };
}

/** this terminal's stored undo steps */
function stepKeys(st: Storage, key: string): string[] {
  const out: string[] = [];
  const prefix = undoKey(key, '');
  for (let i = 0; i < st.length; i++) {
    const k = st.key(i);
    if (k && k.startsWith(prefix) && isUndoKey(k)) out.push(k);
  }
  return out;
}

/** remove a terminal's save with its stored undo steps (all of them, or those `keep` does not name) */
function dropSteps(st: Storage, key: string, keep: string[] = []): void {
  const kept = new Set(keep.map((id) => undoKey(key, id)));
  for (const k of stepKeys(st, key)) if (!kept.has(k)) st.removeItem(k);
}

/**
 * Save. When the quota is short: drop the undo steps, then the screen; if even that does not fit, give up
 * other terminals' saves, oldest first, until it does. A refused write changes nothing, so the last good save
 * stays when the result is 'quota', and so do the other terminals' saves (put back when giving up all of them
 * would not make room either).
 */
export function save(key: string, saved: Saved, prompt: string): SaveResult {
  const st = storage();
  if (!st) return { status: 'unavailable', evicted: [] };
  // the whole save, then without the undo steps, then without the screen: each text made only if needed
  const attempts = [() => saveTexts(key, saved), () => saveTexts(key, saved, 0), () => saveTexts(key, saved, 0, false)];
  const tryWrite = (w: ReturnType<typeof saveTexts>): boolean => {
    try {
      for (const [k, text] of w.steps) st.setItem(k, text);
      st.setItem(key, w.text);
    } catch {
      for (const [k] of w.steps) st.removeItem(k);
      return false;
    }
    // the steps are stored: later saves name them without writing them again
    w.named.forEach((u, i) => stepIds.set(u, w.ids[i]!));
    try {
      dropSteps(st, key, w.ids);
    } catch {
      // steps no longer named stay until the next save
    }
    try {
      st.setItem(promptKey(key), prompt);
    } catch {
      // the prompt is a nicety for the static box
    }
    return true;
  };
  const first = (): number => attempts.findIndex((make) => tryWrite(make()));
  // 'trimmed' only when the text written lacks something the whole save had
  const status = (i: number): 'ok' | 'trimmed' => (i === 0 || (saved.undo.length === 0 && (i === 1 || saved.screen === '')) ? 'ok' : 'trimmed');
  let i = first();
  if (i >= 0) {
    stamp(st, key, []);
    return { status: status(i), evicted: [] };
  }
  const evicted: string[] = [];
  // what was given up, to put back if even giving up every other save makes no room
  const removed: [string, string][] = [];
  const take = (k: string): void => {
    const v = st.getItem(k);
    if (v === null) return;
    removed.push([k, v]);
    st.removeItem(k);
  };
  for (const other of evictionOrder(st, key)) {
    take(other);
    take(promptKey(other));
    for (const k of stepKeys(st, other)) take(k);
    evicted.push(other);
    i = first();
    if (i >= 0) {
      stamp(st, key, evicted);
      return { status: status(i), evicted };
    }
  }
  // a save bigger than the whole storage: the others' saves are put back (they fitted, and a refused write
  // changed nothing), so that nothing is lost for nothing
  for (const [k, v] of removed) {
    try {
      st.setItem(k, v);
    } catch {
      // (cannot happen: the same texts were there before)
    }
  }
  return { status: 'quota', evicted: [] };
}

export function clear(key: string): void {
  const st = storage();
  st?.removeItem(key);
  st?.removeItem(promptKey(key));
  if (st) dropSteps(st, key);
}
