// What the e2e specs share about a page's first terminal: the element, its screen text, opening it
// (a click, then the shell ready) and running a line (typed, Enter, until the shell is ready again).
import { expect, type Locator, type Page } from '@playwright/test';

export const term = (page: Page): Locator => page.locator('netlab-terminal').first();

/** the live terminal's text (xterm's buffer; cells never written are not spaces) */
export async function screen(page: Page): Promise<string> {
  return term(page).evaluate((el) => (el as unknown as { netlab?: { text(): string } }).netlab?.text() ?? '');
}

export async function open(page: Page): Promise<void> {
  await term(page).locator('.nt-screen').click();
  // the shell worker loads just-bash and the simulator: allow for a busy machine (a hang guard, as in
  // workspace.spec and drills.spec; the test's own timeout is the config's)
  await expect(term(page)).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
  await expect(term(page)).toHaveAttribute('data-state', 'ready');
}

export async function run(page: Page, line: string): Promise<void> {
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await expect(term(page)).toHaveAttribute('data-state', 'ready');
}
