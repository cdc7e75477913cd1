// zod/mini (the small build the reading pages load), configured as src/sim/zod.ts: no compiled parsers, which
// the pages' Content Security Policy forbids.
import * as z from 'zod/mini';

z.config({ jitless: true });

export { z };
