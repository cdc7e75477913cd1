// The chapters on the live cluster (chapters 7-9 and the chapters beyond the
// book), in Chromium: each chapter's first lab step runs in its own terminal
// in the page, line by line as a learner types it (here-documents included),
// and a final check reads the last command's exit status in the same shell.
import { test, expect } from '@playwright/test';
import { axeOf } from './axe';
import { COMPETENCY_IDS } from '../src/labs/curriculum';
import { readFileSync } from 'node:fs';
import { CHAPTERS, labsOf } from '../content/chapters';

const onCluster = CHAPTERS.map((ch) => ({ ch, labs: labsOf(readFileSync(new URL(`../content/${ch.slug}.mdx`, import.meta.url), 'utf8')) })).filter(
  ({ labs }) => labs[0]?.terminal.attrs.scenario?.startsWith('k8s-') ?? false,
);

for (const { ch, labs } of onCluster) {
  const lab = labs[0]!;
  const step = lab.blocks.find((b) => !b.expectError)!;
  test(`/${ch.slug}/: the first lab step runs on ${lab.terminal.attrs.scenario} in the page, and succeeds`, async ({ page }) => {
    // a fresh browser context: nothing saved, the scenario's starting state
    await page.goto(`/${ch.slug}/`);
    const term = page.locator('netlab-terminal').first();
    await expect(term).toHaveAttribute('data-scenario', lab.terminal.attrs.scenario!);
    await term.locator('.nt-screen').click();
    await expect(term).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
    const prompt = `root@${lab.terminal.attrs.host ?? 'controlplane'}:~# `;
    const text = () => term.evaluate((el) => (el as unknown as { netlab?: { text(): string } }).netlab?.text() ?? '');
    for (const cmd of step.commands) {
      for (const line of cmd.split('\n')) {
        await page.keyboard.type(line);
        await page.keyboard.press('Enter');
      }
      await expect(term).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
      await expect.poll(async () => (await text()).trimEnd().endsWith(prompt.trimEnd()), { timeout: 20_000 }).toBe(true);
    }
    const out = await text();
    expect(out).not.toMatch(/command not found|internal error/);
    // the final check: the step's last command exited 0 in the page's shell
    await page.keyboard.type('echo "exit=$?"');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await text()).includes('\nexit=0'), { timeout: 20_000 }).toBe(true);
  });
}

test('/curriculum/: one section per competency, links into the chapters, no axe violations', async ({ page }) => {
  const res = await page.goto('/curriculum/');
  expect(res?.status()).toBe(200);
  await expect(page.locator('.cmap-row')).toHaveCount(COMPETENCY_IDS.length);
  // every chapter link points at a heading that exists on that chapter's page
  const hrefs = await page.locator('.cmap-row a[href*="/#"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
  const sectionLinks = [...new Set(hrefs.filter((h) => !h.includes('#quiz-')))];
  expect(sectionLinks.length).toBeGreaterThan(0);
  for (const href of sectionLinks.slice(0, 6)) {
    const [path, anchor] = href.split('#');
    expect(anchor, href).not.toBe('');
    await page.goto(path!);
    await expect(page.locator(`[id="${anchor}"]`), href).toHaveCount(1);
  }
  await page.goto('/curriculum/');
  const results = await axeOf(page).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});
