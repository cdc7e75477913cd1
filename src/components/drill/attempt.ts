// The state of one drill attempt in the page: when it started, the hints and
// solution revealed, and its result once it ended. Kept in localStorage per
// drill and seed, so that a reload continues the same attempt (same clock).
import type { DrillResult } from '../../labs/drills/records';

export interface AttemptState {
  v: 1;
  /** ms since the epoch when the lab was ready (the clock's start) */
  startedAt: number | null;
  /** time budget in ms */
  budgetMs: number;
  hints: number;
  /** the reasons of a troubleshooting drill's failed requirements were revealed (counts as a hint: they name the fault) */
  explained: boolean;
  solutionShown: boolean;
  result: DrillResult | null;
}

export const ATTEMPT_PREFIX = 'netlab:drill:v1:';

export function attemptStoreKey(drill: string, seed: number, budgetMs: number): string {
  return `${ATTEMPT_PREFIX}${drill}:${seed}:${budgetMs}`;
}

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function loadAttempt(key: string, budgetMs: number): AttemptState {
  const fresh: AttemptState = { v: 1, startedAt: null, budgetMs, hints: 0, explained: false, solutionShown: false, result: null };
  try {
    const raw = storage()?.getItem(key);
    if (!raw) return fresh;
    const a = JSON.parse(raw) as Partial<AttemptState>;
    if (a.v !== 1) return fresh;
    return {
      v: 1,
      startedAt: typeof a.startedAt === 'number' ? a.startedAt : null,
      budgetMs,
      hints: typeof a.hints === 'number' ? a.hints : 0,
      explained: a.explained === true,
      solutionShown: a.solutionShown === true,
      result: a.result && typeof a.result === 'object' ? a.result : null,
    };
  } catch {
    return fresh;
  }
}

export function saveAttempt(key: string, a: AttemptState): void {
  try {
    storage()?.setItem(key, JSON.stringify(a));
  } catch {
    // storage full or disabled: the attempt still runs, unsaved
  }
}

/** ms left on the clock (negative when over). */
export function remaining(a: AttemptState, now: number): number {
  if (a.startedAt === null) return a.budgetMs;
  return a.budgetMs - (now - a.startedAt);
}

/** A time budget override from the URL (?limit=SECONDS), for practice under a tighter clock. */
export function limitFromUrl(params: URLSearchParams): number | null {
  const t = params.get('limit');
  if (!t || !/^\d{1,5}$/.test(t)) return null;
  const s = Number(t);
  return s >= 1 ? s * 1000 : null;
}

/** Hints taken: the hints shown, plus one when a troubleshooting drill's fault-naming reasons were revealed. */
export function hintsTaken(a: AttemptState): number {
  return a.hints + (a.explained ? 1 : 0);
}
