// Issue 19 in Chromium: the Content Security Policy (no inline script runs, nothing the site ships is blocked)
// and saved terminals that cannot be restored (kept as a backup, said, Reset / Restore backup).
import { test, expect, type Page } from '@playwright/test';
import { term, open, run, screen } from './terminal-helpers';

const PAGE = '/about/';

/** the terminal's storage key, once it has saved */
async function savedKey(page: Page): Promise<string> {
  await expect.poll(() => page.evaluate(() => Object.keys(localStorage).find((k) => k.startsWith('netlab:term:v1:') && !k.includes(':prompt') && !k.includes(':undo:')) ?? '')).not.toBe('');
  return page.evaluate(() => Object.keys(localStorage).find((k) => k.startsWith('netlab:term:v1:') && !k.includes(':prompt') && !k.includes(':undo:'))!);
}

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
  // a fresh browser context: nothing is saved yet
  await page.goto(PAGE);
});

test('a CSP forbids inline script; nothing the site ships is blocked (terminal, search)', async ({ page }) => {
  // the page's own inline scripts (Astro's, Starlight's) ran without a violation
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
  const csp = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
  expect(csp).toMatch(/script-src [^;]*'self'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  // an inline script and an event handler put into the page do not run
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.pwned = 1';
    document.body.appendChild(s);
    const img = document.createElement('img');
    img.setAttribute('onerror', 'window.pwned = 2');
    img.src = 'data:,x';
    document.body.appendChild(img);
  });
  // both were refused (the browser reports each refusal), however long a loaded machine takes to get there
  const refused = () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations.map((v) => v.split(' ')[0]));
  await expect.poll(refused).toEqual(expect.arrayContaining(['script-src-elem', 'script-src-attr']));
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned ?? 0)).toBe(0);
  const injected = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations.splice(0));
  expect(injected.length).toBeGreaterThan(0);
  // the site's own scripts: the terminal, the theme, the search dialog
  await open(page);
  await run(page, 'echo hello | wc -c');
  expect(await screen(page)).toContain('\n6');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: /search/i }).first().click();
  await page.keyboard.type('namespace');
  await expect(page.locator('.pagefind-ui__result').first()).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
});

test('an unreadable saved terminal is kept as a backup and said; Reset starts over', async ({ page }) => {
  await open(page);
  await run(page, 'export COLOR=blue');
  const key = await savedKey(page);
  // a save whose shell variables are not text (env {"PATH":5})
  await page.evaluate((k) => {
    const s = JSON.parse(localStorage.getItem(k)!);
    s.snapshot.env.PATH = 5;
    localStorage.setItem(k, JSON.stringify(s));
  }, key);
  const raw = await page.evaluate((k) => localStorage.getItem(k), key);
  await page.reload();
  await open(page);
  const notice = term(page).locator('.nt-notice');
  await expect(notice).toContainText('Your saved terminal could not be restored; it was kept as a backup');
  expect(await page.evaluate((k) => localStorage.getItem(`${k}:backup`), key)).toBe(raw);
  // the terminal works meanwhile, and its next save does not touch the backup
  await run(page, 'echo $COLOR.');
  expect(await screen(page)).toContain('\n.');
  expect(await page.evaluate((k) => localStorage.getItem(`${k}:backup`), key)).toBe(raw);
  await notice.getByRole('button', { name: 'Reset' }).click();
  await expect(notice).toHaveCount(0);
  expect(await page.evaluate((k) => localStorage.getItem(`${k}:backup`), key)).toBeNull();
});

test('a saved world the shell cannot restore (world.hosts={}) is kept as a backup; Restore backup puts it back', async ({ page }) => {
  await open(page);
  await run(page, 'ip netns add red');
  const key = await savedKey(page);
  await page.evaluate((k) => {
    const s = JSON.parse(localStorage.getItem(k)!);
    s.snapshot.world = { ...s.snapshot.world, hosts: {} }; // (a save holds the world as an object: snapshot-text.ts)
    localStorage.setItem(k, JSON.stringify(s));
  }, key);
  const raw = await page.evaluate((k) => localStorage.getItem(k), key);
  await page.reload();
  await open(page);
  const notice = term(page).locator('.nt-notice');
  await expect(notice).toContainText('it was kept as a backup');
  await expect(notice).toContainText('no host controlplane');
  // a fresh start that works
  await run(page, 'ip netns');
  expect(await page.evaluate((k) => localStorage.getItem(`${k}:backup`), key)).toBe(raw);
  await Promise.all([page.waitForEvent('load'), notice.getByRole('button', { name: 'Restore backup' }).click()]);
  expect(await page.evaluate((k) => localStorage.getItem(k), key)).toBe(raw);
});
