// localStorage keys of a terminal's saved state: one per page and terminal.
export const STORE_PREFIX = 'netlab:term:v1:';

/** `id` tells apart the terminals of one page (their `id` prop, else their order in the page) */
export function storageKey(pathname: string, id: string): string {
  return `${STORE_PREFIX}${pathname}#${id}`;
}

/** the prompt shown by the static box before the terminal starts (kept apart: small, read at page load) */
export function promptKey(key: string): string {
  return `${key}:prompt`;
}
