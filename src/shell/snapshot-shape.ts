// The shape of a saved session (SessionSnapshot), in zod/mini: the page checks a terminal's save with it before
// using it (src/components/terminal/store.ts), without the world's own schema (src/sim/world-schema.ts), which the
// shell checks when it restores the save (snapshot-schema.ts, a chunk loaded only then). Kept apart so that a
// terminal's first use carries neither classic zod nor the kernel's defaults on the page.
import { z } from '../sim/zod-mini';

/** the schema, built on first use (zod builds each schema with some work: a terminal's cold start checks no save) */
export function sessionSnapshotShape(): ReturnType<typeof shape> {
  return (built ??= shape());
}
let built: ReturnType<typeof shape> | undefined;

const shape = () => z.object({
  version: z.literal(1),
  scenario: z.string(),
  host: z.string(),
  world: z.string(),
  cwd: z.string().check(z.startsWith('/')),
  env: z.record(z.string(), z.string()),
  functions: z.record(z.string(), z.string()),
  history: z.array(z.string()),
  logins: z.optional(z.array(z.object({ host: z.string(), cwd: z.string() }))),
});
