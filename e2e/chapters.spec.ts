// Every chapter of the course, in Chromium: it opens without console errors,
// has its terminal(s), accessible diagrams and prev/next navigation, and axe
// finds no accessibility violations with its terminal live, in both themes.
import { test, expect } from '@playwright/test';
import { axeOf } from './axe';
import { readFileSync } from 'node:fs';
import { CHAPTERS, labsOf } from '../content/chapters';

/** the site's base path (NETLAB_BASE: npm run test:e2e:subpath serves the site under /netlab/) */
const BASE = (process.env.NETLAB_BASE || '/').replace(/^\/*/, '/').replace(/\/*$/, '/');
const at = (path: string) => BASE + path.replace(/^\//, '');

for (const [i, ch] of CHAPTERS.entries()) {
  test.describe(`chapter ${ch.order}: /${ch.slug}/`, () => {
    // one page load for both parts: what the page is as it opens (before anything is clicked), then axe with
    // its terminal live in both themes
    test('opens without console errors, with terminals, diagrams and navigation; no axe violations with its terminal live, in both themes', async ({ page }) => {
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.on('pageerror', (err) => errors.push(String(err)));
      await page.emulateMedia({ colorScheme: 'light' });
      const res = await page.goto(at(`/${ch.slug}/`));
      expect(res?.status()).toBe(200);
      await page.waitForLoadState('networkidle');

      await expect(page.locator('main h1')).toHaveCount(1);
      await expect(page.locator('netlab-terminal').first()).toBeVisible();

      // diagrams: an image role named by its title, and a text alternative
      const figures = page.locator('figure.nl-diagram');
      for (const fig of await figures.all()) {
        const svg = fig.locator('svg[role="img"]');
        await expect(svg).toHaveCount(1);
        const name = await svg.evaluate((el) => {
          const ids = (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
          return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
        });
        expect(name.length, 'diagram accessible name').toBeGreaterThan(0);
        await expect(fig.locator('figcaption details')).toHaveCount(1);
      }

      // prev/next in the book's order
      const prev = CHAPTERS[i - 1];
      const next = CHAPTERS[i + 1];
      if (prev) await expect(page.locator('a[rel="prev"]')).toHaveAttribute('href', at(`/${prev.slug}/`));
      if (next) await expect(page.locator('a[rel="next"]')).toHaveAttribute('href', at(`/${next.slug}/`));

      // copyable code blocks
      if (await page.locator('.expressive-code').count()) {
        await expect(page.locator('.expressive-code button.copy, .expressive-code .copy button').first()).toBeAttached();
      }

      expect(errors, 'console errors while the page opened').toEqual([]);

      // axe: every diagram's text alternative open so that it is scanned too
      for (const d of await page.locator('figure.nl-diagram details').all()) await d.evaluate((el) => el.setAttribute('open', ''));
      // the first terminal live, with coloured output on its screen
      const term = page.locator('netlab-terminal:not([data-manual])').first();
      if (await term.count()) {
        await term.locator('.nt-screen').click();
        await expect(term).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
        await expect(term).toHaveAttribute('data-state', 'ready');
        await page.keyboard.type('ip -c -br link');
        await page.keyboard.press('Enter');
        await expect
          .poll(() => term.evaluate((el) => (el as unknown as { netlab: { text(): string } }).netlab.text()))
          .toMatch(/ip -c -br link\n(.*\n)*lo +UNKNOWN/);
        await expect(term).toHaveAttribute('data-state', 'ready');
      }
      const found: string[] = [];
      for (const theme of ['light', 'dark'] as const) {
        // the header's theme switch, as a learner would (the terminal stays live)
        await page.locator('header starlight-theme-select select').selectOption(theme);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        const results = await axeOf(page).analyze();
        found.push(...results.violations.map((v) => `${theme} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`));
      }
      expect(found).toEqual([]);
    });
  });
}

// Each scenario the chapters use starts in the browser (in the terminal's
// worker) and runs the first step of a lab on it: the prompt is the one the
// static box showed, the command runs (no "command not found"), and the
// prompt comes back.
const firstLabs = new Map<string, { slug: string; index: number; host: string; command: string }>();
for (const ch of CHAPTERS) {
  const labs = labsOf(readFileSync(new URL(`../content/${ch.slug}.mdx`, import.meta.url), 'utf8'));
  labs.forEach((lab, index) => {
    const scenario = lab.terminal.attrs.scenario!;
    const command = lab.blocks.find((b) => !b.expectError)?.commands[0];
    if (command && !firstLabs.has(scenario)) firstLabs.set(scenario, { slug: ch.slug, index, host: lab.terminal.attrs.host ?? 'controlplane', command });
  });
}

for (const [scenario, lab] of firstLabs) {
  test(`scenario ${scenario} starts in the page and runs its first lab step (/${lab.slug}/)`, async ({ page }) => {
    // a fresh browser context: nothing saved, the scenario's starting state
    await page.goto(at(`/${lab.slug}/`));
    const term = page.locator('netlab-terminal').nth(lab.index);
    await expect(term).toHaveAttribute('data-scenario', scenario);
    await term.locator('.nt-screen').click();
    // a cluster scenario boots kubeadm's cluster in the worker: allow for a busy machine (a hang guard)
    await expect(term).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
    await expect(term).toHaveAttribute('data-state', 'ready');
    await page.keyboard.type(lab.command);
    await page.keyboard.press('Enter');
    await expect(term).toHaveAttribute('data-state', 'ready');
    const text = await term.evaluate((el) => (el as unknown as { netlab?: { text(): string } }).netlab?.text() ?? '');
    const prompt = `root@${lab.host}:~# `;
    // the screen's text wraps a long line at the terminal's width: find the echoed command
    // as the last run of lines starting with the prompt that join (without the wraps, and
    // without the spaces a wrap may drop at a line's end) into it
    const echo = prompt + lab.command;
    const bare = (s: string) => s.replace(/\s/g, '');
    const lines = text.split('\n');
    let after: string | null = null;
    for (let i = lines.length - 1; i >= 0 && after === null; i--) {
      if (!lines[i]!.startsWith(prompt)) continue;
      let joined = bare(lines[i]!);
      let j = i;
      while (joined.length < bare(echo).length && j + 1 < lines.length) joined += bare(lines[++j]!);
      if (joined === bare(echo)) after = '\n' + lines.slice(j + 1).join('\n');
    }
    expect(after, `the screen shows ${echo}\n${text}`).not.toBeNull();
    expect(after).not.toMatch(/command not found|internal error/);
    expect(after, `the prompt is back after ${lab.command}`).toContain(`\n${prompt}`);
  });
}
