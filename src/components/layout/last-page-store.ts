// The last page read, in localStorage: written by every page (./last-page.ts), read by the home page
// (./continue.ts). What is read back is validated (zod): anything else counts as nothing saved.
import { z } from '../../sim/zod-mini';

export { LAST_PAGE_KEY, encodeLastPage } from './last-page-key';
export type { LastPage } from './last-page-key';
import type { LastPage } from './last-page-key';

const schema = z.object({
  path: z.string().check(z.regex(/^\/(?!\/)[A-Za-z0-9._~\/-]*$/), z.maxLength(300)),
  title: z.string().check(z.minLength(1), z.maxLength(200)),
  at: z.number().check(z.nonnegative()),
});

/** the saved page, or null when nothing valid is saved */
export function decodeLastPage(text: string | null): LastPage | null {
  if (!text) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const r = schema.safeParse(raw);
  return r.success ? r.data : null;
}
