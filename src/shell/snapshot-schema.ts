// The shape of a saved session (SessionSnapshot): what a terminal's save in the browser's storage must be to be
// restored. Checked on the page before the save is used (the world is text there) and again, with the world's own
// shape, when the shell restores it (Session.restore).
import { worldDataProblem } from '../sim/world-schema';
import { sharedKeysOf } from '../sim/sibling-delta';
import { sessionSnapshotShape } from './snapshot-shape';

const sessionSnapshotSchema = sessionSnapshotShape();

/** Why a snapshot cannot be restored (its shape, its world's shape, its host), or null. */
export function snapshotProblem(snap: unknown): string | null {
  return checkSnapshot(snap).problem;
}

/** snapshotProblem, and the world's parsed text when it can be restored (World.restoreData: parsed once) */
export function checkSnapshot(snap: unknown): { problem: string; world?: undefined } | { problem: null; world: unknown } {
  const r = sessionSnapshotSchema.safeParse(snap);
  if (!r.success) {
    const i = r.error.issues[0]!;
    return { problem: `${i.path.join('.') || 'snapshot'}: ${i.message}` };
  }
  let world: unknown;
  try {
    world = JSON.parse(r.data.world);
  } catch (e) {
    return { problem: `world: not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  const w = worldDataProblem(world);
  if (w) return { problem: `world: ${w}` };
  // (the hosts' table as saved: compact.ts, sibling-delta.ts; its keys are the hosts')
  const hosts = new Set(sharedKeysOf((world as { hosts: unknown }).hosts));
  if (!hosts.has(r.data.host)) return { problem: `host ${r.data.host} is not in the world` };
  for (const l of r.data.logins ?? []) if (!hosts.has(l.host)) return { problem: `login host ${l.host} is not in the world` };
  return { problem: null, world };
}
