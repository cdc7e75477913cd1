// A saved session's text and its reading back (no imports: the worker, the page's store and encoded.ts use it).

/**
 * A saved session's text: JSON.stringify(snapshot) but with the world's JSON text put in as it is (an object),
 * not quoted as a string (quoting escaped every `"` of the world: ~35 KB of a 310 KB cluster save).
 * Read back with worldAsText; saves of earlier builds hold the world quoted and are read as they are.
 */
export function snapshotJson(snap: { world: string }): string {
  // (the world is read once: the keys in their order, the world's value a placeholder)
  const rec = snap as unknown as Record<string, unknown>;
  const text = JSON.stringify(Object.fromEntries(Object.keys(rec).map((k) => [k, k === 'world' ? 0 : rec[k]])));
  // the first "world":0 of the text is the key (a quote inside a JSON string is escaped)
  const at = text.indexOf('"world":0') + '"world":'.length;
  return text.slice(0, at) + snap.world + text.slice(at + 1);
}

/** a parsed saved snapshot with its world as text again (snapshotJson saves it as an object); anything else as it is */
export function worldAsText(snap: unknown): unknown {
  if (snap === null || typeof snap !== 'object' || Array.isArray(snap)) return snap;
  const w = (snap as { world?: unknown }).world;
  return w !== null && typeof w === 'object' ? { ...snap, world: JSON.stringify(w) } : snap;
}
