// What the terminal says after a save that did not go as asked (store.ts save()): never silent.
import type { SaveResult } from './store';

/** The notice for a save's result, or null when there is nothing to say (all saved, nothing given up). */
export function saveNotice(r: SaveResult): string | null {
  const n = r.evicted.length;
  const made = n ? ` To make room, the saved terminal${n > 1 ? 's' : ''} of ${n} other page${n > 1 ? 's were' : ' was'} removed, oldest first.` : '';
  if (r.status === 'quota') return `Your terminal could not be saved: this site's storage in the browser is full. The last save is kept.${made}`;
  if (r.status === 'trimmed') return `Saved without the undo steps or the earlier screen: this site's storage in the browser is nearly full.${made}`;
  if (n) return `Saved.${made}`;
  return null;
}
