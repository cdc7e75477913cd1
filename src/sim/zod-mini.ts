// zod/mini (the small build the reading pages load), configured as src/sim/zod.ts: no compiled parsers, which
// the pages' Content Security Policy forbids, and classic zod's English messages (zod/mini loads no locale: its
// messages would all be "Invalid input", and a terminal's "could not be restored" notice says why).
import * as z from 'zod/mini';

z.config(z.locales.en());
z.config({ jitless: true });

export { z };
