// The last page read: its storage key and how every page writes it. Kept apart from the reading side
// (./last-page-store.ts, which validates with zod) so that a reading page loads no schema library.
export const LAST_PAGE_KEY = 'netlab:last-page';

export interface LastPage {
  /** the page's path (with the site's base) */
  path: string;
  title: string;
  /** ms since the epoch */
  at: number;
}

export function encodeLastPage(p: LastPage): string {
  return JSON.stringify(p);
}
