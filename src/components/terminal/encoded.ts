// Each saved session's JSON text, kept beside the snapshot object it encodes: the worker sends it with the
// snapshot (encoded there, off the page's main thread), and a save (store.ts) puts it in place instead of
// encoding the world again; an undo step is the same object in every later save, so it is never encoded twice.
import type { SessionSnapshot } from '../../shell/session';
import { snapshotJson } from '../../shell/snapshot-text';

const texts = new WeakMap<SessionSnapshot, string>();

/** the worker's encoding of `snap` (must be snapshotJson(snap)) */
export function rememberText(snap: SessionSnapshot, text: string): void {
  texts.set(snap, text);
}

/** snapshotJson(snap): the saved text, the world as an object in it; encoded once */
export function encodedText(snap: SessionSnapshot): string {
  let text = texts.get(snap);
  if (text === undefined) {
    text = snapshotJson(snap);
    texts.set(snap, text);
  }
  return text;
}
