// A terminal's saved state in localStorage: the session (world, cwd,
// variables, functions, history), the undo steps, and the text on the screen.
import type { SessionSnapshot } from '../../shell/session';
import type { UndoStep } from './client';
import { promptKey } from './keys';

export interface Saved {
  v: 1;
  scenario: string;
  snapshot: SessionSnapshot;
  undo: UndoStep[];
  /** the screen's text above the prompt line, restored after a reload */
  screen: string;
}

/** undo steps kept across reloads (each holds a whole world) */
const SAVED_UNDO = 10;

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // disabled (privacy settings): the terminal still works, unsaved
  }
}

/** The saved state of this terminal, if it is for this scenario (and host, when given). */
export function load(key: string, scenario: string, host?: string): Saved | null {
  const raw = storage()?.getItem(key);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Saved;
    if (s.v !== 1 || s.scenario !== scenario || s.snapshot?.version !== 1) return null;
    if (host !== undefined && s.snapshot.host !== host) return null;
    return { ...s, undo: Array.isArray(s.undo) ? s.undo : [], screen: typeof s.screen === 'string' ? s.screen : '' };
  } catch {
    return null;
  }
}

/** Save; when the quota is short, drop the undo steps, then the screen. Returns false if nothing could be saved. */
export function save(key: string, saved: Saved, prompt: string): boolean {
  const st = storage();
  if (!st) return false;
  const attempts: Saved[] = [
    { ...saved, undo: saved.undo.slice(-SAVED_UNDO) },
    { ...saved, undo: [] },
    { ...saved, undo: [], screen: '' },
  ];
  for (const a of attempts) {
    try {
      st.setItem(key, JSON.stringify(a));
      st.setItem(promptKey(key), prompt);
      return true;
    } catch {
      // quota exceeded: try smaller
    }
  }
  return false;
}

export function clear(key: string): void {
  const st = storage();
  st?.removeItem(key);
  st?.removeItem(promptKey(key));
}
