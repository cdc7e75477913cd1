// The learner's workspace (issue 18), in Chromium: the keyboard walks out of
// a terminal, "Run in terminal", the docked terminal, search, the home page,
// drill pages on a phone, offline use, and axe with the terminals live in both
// themes. Kept focused: one test per behaviour.
import { test, expect, type Page, type Locator } from '@playwright/test';
import { axeOf } from './axe';
import { CHAPTERS } from '../content/chapters';
import { drills } from '../src/labs/drills/index';

/** the site's base path (NETLAB_BASE at build time; "/" by default): pages are addressed below it */
const BASE = (process.env.NETLAB_BASE || '/').replace(/^\/*/, '/').replace(/\/*$/, '/');
const at = (path: string) => BASE + path.replace(/^\//, '');

async function textOf(term: Locator): Promise<string> {
  return term.evaluate((el) => (el as unknown as { netlab?: { text(): string } }).netlab?.text() ?? '');
}

async function waitShell(term: Locator): Promise<void> {
  // the shell worker loads just-bash and the simulator: allow for a busy machine
  await expect(term).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
  await expect(term).toHaveAttribute('data-state', 'ready');
}

/** what has the focus: a short description */
function focused(page: Page) {
  return page.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    if (!a) return { kind: 'none' };
    if (a.classList.contains('xterm-helper-textarea')) return { kind: 'xterm' };
    if (a.classList.contains('nt-screen')) return { kind: 'screen' };
    if (a.closest('netlab-terminal')) return { kind: 'terminal', cls: a.className };
    if (a.closest('.quiz') && a instanceof HTMLInputElement) return { kind: 'quiz-input', type: a.type };
    if (a.matches('a[rel="next"]')) return { kind: 'next', href: a.getAttribute('href') };
    return { kind: 'other', tag: a.tagName };
  });
}

test('keyboard only: reading, the terminal, out of it, the quiz, the next chapter', async ({ page }) => {
  const [ch, next] = [CHAPTERS.find((c) => c.slug === 'switching')!, CHAPTERS.find((c) => c.slug === 'routing')!];
  // a fresh browser context: nothing saved, no terminal started
  await page.goto(at(`/${ch.slug}/`));
  // Tab through the page to the terminal; focusing its box starts it
  let f = await focused(page);
  for (let i = 0; i < 300 && f.kind !== 'screen' && f.kind !== 'xterm'; i++) {
    await page.keyboard.press('Tab');
    f = await focused(page);
  }
  const term = page.locator('netlab-terminal').first();
  await expect(term).toHaveAttribute('data-live', '', { timeout: 45_000 });
  await waitShell(term);
  expect((await focused(page)).kind).toBe('xterm');
  await page.keyboard.type('ip -br link');
  await page.keyboard.press('Enter');
  await expect(term).toHaveAttribute('data-state', 'ready');
  expect(await textOf(term)).toMatch(/^lo +UNKNOWN/m);
  // Tab inside the terminal completes; Escape then Tab leaves it, forwards
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  f = await focused(page);
  expect(f.kind).not.toBe('xterm');
  // on to the quiz: every further terminal is left the same way
  for (let i = 0; i < 400 && f.kind !== 'quiz-input'; i++) {
    if (f.kind === 'xterm') await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    f = await focused(page);
  }
  expect(f.kind).toBe('quiz-input');
  await page.keyboard.press('Space');
  expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).checked)).toBe(true);
  // and on to the next chapter's link
  for (let i = 0; i < 400 && f.kind !== 'next'; i++) {
    if (f.kind === 'xterm') await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    f = await focused(page);
  }
  expect(f).toEqual({ kind: 'next', href: at(`/${next.slug}/`) });
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`${at(`/${next.slug}/`)}$`));
});

test('Escape then Shift+Tab leaves a terminal backwards', async ({ page }) => {
  await page.goto(at('/switching/'));
  const term = page.locator('netlab-terminal').first();
  await term.locator('.nt-screen').click();
  await waitShell(term);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+Tab');
  // the previous focusable thing: the terminal's own Reset button, above the screen
  await expect(term.locator('[data-action="reset"]')).toBeFocused();
  await expect(term.locator('.nt-help')).toContainText('Esc then Tab / Shift+Tab leaves the terminal');
});

test('"Run in terminal" types a lab block into the chapter\'s terminal, starting it, scrolling nothing', async ({ page }) => {
  await page.goto(at('/namespaces/'));
  const run = page.locator('button.nt-run').first();
  await run.scrollIntoViewIfNeeded();
  const y = await page.evaluate(() => scrollY);
  await run.click();
  const term = page.locator('netlab-terminal').first();
  await waitShell(term);
  await expect.poll(async () => textOf(term)).toMatch(/ip netns exec red ip link\n1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN/);
  const text = await textOf(term);
  expect(text).toMatch(/# ip netns\nblue\nred\n/);
  expect(await page.evaluate(() => scrollY)).toBe(y);
  await expect(run).toBeFocused();
});

for (const theme of ['light', 'dark'] as const) {
  test(`a docked terminal stays in view at step 9 of the namespaces lab, beside the steps (${theme} theme)`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(at('/namespaces/'));
    await page.evaluate((t) => localStorage.setItem('starlight-theme', t), theme);
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const term = page.locator('netlab-terminal').first();
    const step9 = page.locator('.sl-steps > li').nth(8);
    const undocked = { step: (await step9.boundingBox())!, term: (await term.boundingBox())! };
    await term.locator('[data-action="dock"]').click();
    await expect(term).toHaveAttribute('data-docked', '');
    await term.locator('.nt-screen').click();
    await waitShell(term);
    // 100 columns or more at 1280 px, and the shell knows
    await page.keyboard.type('stty size');
    await page.keyboard.press('Enter');
    await expect.poll(async () => textOf(term)).toMatch(/stty size\n\d+ \d+\n/);
    await expect(term).toHaveAttribute('data-state', 'ready');
    const cols = Number(/stty size\n\d+ (\d+)/.exec(await textOf(term))?.[1]);
    expect(cols).toBeGreaterThanOrEqual(100);
    await step9.scrollIntoViewIfNeeded();
    const box = (await term.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(800 + 1);
    // the step is beside the terminal, not under it, and in view
    const stepBox = (await step9.boundingBox())!;
    expect(stepBox.x).toBeGreaterThanOrEqual(0);
    expect(stepBox.x + stepBox.width).toBeLessThanOrEqual(box.x + 1);
    expect(stepBox.y + 40).toBeLessThanOrEqual(800);
    await expect(step9).toBeInViewport();
    // the steps' code wraps beside the pane: every command is read whole, none scrolls sideways
    const sideways = () => page.evaluate(() => Array.from(document.querySelectorAll('.expressive-code pre')).filter((p) => p.scrollWidth > p.clientWidth).length);
    expect(await sideways()).toBe(0);
    // the table of contents gives the pane its column (its links are not hidden under the terminal)
    await expect(page.locator('.right-sidebar-container')).toBeHidden();
    // its Run button types into the docked terminal, and the page does not move
    const y = await page.evaluate(() => scrollY);
    await step9.locator('button.nt-run').first().click();
    await expect.poll(async () => textOf(term)).toContain('ip netns exec blue ip route add default via 192.168.15.1');
    await expect(term).toHaveAttribute('data-state', 'ready');
    expect(await page.evaluate(() => scrollY)).toBe(y);
    // undocking gives Starlight its own layout back: the step and the terminal where they were
    await term.locator('[data-action="dock"]').click();
    await expect(term).not.toHaveAttribute('data-docked', '');
    await expect(page.locator('html')).not.toHaveAttribute('data-nt-docked', '');
    await expect(page.locator('.nt-dock-spot')).toHaveCount(0);
    await expect(page.locator('.right-sidebar-container')).toBeVisible();
    const after = { step: (await step9.boundingBox())!, term: (await term.boundingBox())! };
    expect([after.step.x, after.step.width, after.term.x, after.term.width]).toEqual([undocked.step.x, undocked.step.width, undocked.term.x, undocked.term.width]);
  });
}

test('with room for it, the sidebar stays beside a docked terminal (1920 px)', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1000 });
  await page.goto(at('/namespaces/'));
  const term = page.locator('netlab-terminal').first();
  await term.locator('[data-action="dock"]').click();
  await expect(page.locator('#starlight__sidebar')).toBeVisible();
  const side = (await page.locator('#starlight__sidebar').boundingBox())!;
  const text = (await page.locator('.main-pane .sl-container').first().boundingBox())!;
  const pane = (await term.boundingBox())!;
  expect(text.x).toBeGreaterThanOrEqual(side.x + side.width - 1);
  expect(text.x + text.width).toBeLessThanOrEqual(pane.x + 1);
  expect(text.width).toBeGreaterThanOrEqual(500);
});

test('search finds MASQUERADE and CoreDNS, from any page, drills included', async ({ page }) => {
  for (const [path, word, expected] of [
    ['/drills/', 'MASQUERADE', /namespaces/],
    ['/about/', 'CoreDNS', /./],
  ] as const) {
    await page.goto(at(path));
    await page.locator('site-search button[data-open-modal]').click();
    await page.locator('site-search dialog input').fill(word);
    const results = page.locator('site-search .pagefind-ui__result-link');
    await expect(results.first()).toBeVisible();
    const hrefs = await results.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.some((h) => expected.test(h))).toBe(true);
  }
});

test('the home page says who the course is for and links every chapter, the drills and exam mode', async ({ page }) => {
  await page.goto(at('/'));
  await expect(page.locator('main')).toContainText('CKA');
  const hrefs = await page.locator('.nl-map a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const ch of CHAPTERS) expect(hrefs).toContain(at(`/${ch.slug}/`));
  expect(hrefs).toContain(at('/drills/'));
  expect(hrefs).toContain(at('/drills/exam/'));
  // continue where you left off: the last page read
  await expect(page.locator('[data-continue]')).toBeHidden();
  await page.goto(at('/routing/'));
  await page.goto(at('/'));
  await expect(page.locator('[data-continue] a').first()).toHaveAttribute('href', at('/routing/'));
});

test('on a phone a drill page has the menu and the theme switch, and its timer stays in view', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(at(`/drills/${drills[0]!.id}/`));
  const menu = page.locator('button.sl-menu-button');
  await expect(menu).toBeVisible();
  await menu.click();
  await expect(page.locator('#starlight__sidebar')).toBeVisible();
  await expect(page.locator('#starlight__sidebar starlight-theme-select select')).toBeVisible();
  await menu.click();
  const timer = page.locator('netlab-drill [data-timer]');
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const box = (await timer.boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(844);
  await expect(timer).toBeVisible();
});

test.describe('offline', () => {
  test.use({ serviceWorkers: 'allow' });
  test('after one visit, another chapter loads and its terminal runs', async ({ page, context }) => {
  await page.goto(at('/switching/'));
  await expect(page.locator('html')).toHaveAttribute('data-offline-ready', '', { timeout: 60_000 });
  await expect(page.locator('[data-offline-note]')).toContainText('Available offline');
  // the worker has precached everything once it is active
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    if (reg.active?.state !== 'activated') await new Promise((r) => reg.active?.addEventListener('statechange', r));
  });
  await context.setOffline(true);
  await page.goto(at('/routing/'));
  const term = page.locator('netlab-terminal').first();
  await term.locator('.nt-screen').click();
  await waitShell(term);
  await page.keyboard.type('ip -br a');
  await page.keyboard.press('Enter');
  await expect(term).toHaveAttribute('data-state', 'ready');
  expect(await textOf(term)).toMatch(/^lo +UNKNOWN +127\.0\.0\.1\/8 ::1\/128/m);
  await context.setOffline(false);
  });

  test('the precache (the whole course) waits while a terminal loads, and starts once its shell is ready', async ({ page, context }) => {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 170, downloadThroughput: 9e6 / 8, uploadThroughput: 9e6 / 8 });
    // the page's load event is held (an image it waits for) until the terminal has been clicked: a learner
    // who clicks a terminal while the page is still loading
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/__hold-load.png', async (route) => {
      await held;
      await route.fulfill({ status: 204, body: '' });
    });
    await page.addInitScript(() => document.addEventListener('DOMContentLoaded', () => document.body.append(Object.assign(new Image(), { src: '/__hold-load.png', alt: '' }))));
    await page.goto(at('/about/'), { waitUntil: 'domcontentloaded' });
    const term = page.locator('netlab-terminal').first();
    await term.locator('.nt-screen').click();
    await expect(term).toHaveAttribute('data-state', /loading|ready/);
    expect(await page.evaluate(() => document.readyState)).not.toBe('complete');
    release();
    // sampled in the page until the shell answers: no service worker may be registered before that
    const seen = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const tick = async () => {
            const t = document.querySelector<HTMLElement>('netlab-terminal');
            const reg = await navigator.serviceWorker.getRegistration();
            if (t?.dataset.shell === 'ready') return resolve('ready first');
            if (reg) return resolve('registered while the terminal loaded');
            setTimeout(tick, 20);
          };
          void tick();
        }),
    );
    expect(seen).toBe('ready first');
    await expect.poll(() => page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())), { timeout: 30_000 }).toBe(true);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  });
});

// The pages that are not chapters (chapters.spec.ts scans every chapter, its terminal live, in both themes):
// the home page, the curriculum, progress, the drills' catalogue, a drill with its terminal live, the exam's
// setup, and a chapter with its terminal docked and live.
for (const theme of ['light', 'dark'] as const) {
  test(`axe: no violations with the terminals live, ${theme} theme`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.emulateMedia({ colorScheme: theme });
    await page.setViewportSize({ width: 1280, height: 800 });
    const scan = async (what: string) => {
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      const r = await axeOf(page).analyze();
      return r.violations.map((v) => `${what} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    };
    /** a command typed into a live terminal, its output on the screen and the prompt back */
    const run = async (term: Locator, line: string, expected: RegExp) => {
      await page.keyboard.type(line);
      await page.keyboard.press('Enter');
      await expect.poll(async () => textOf(term)).toMatch(expected);
      await expect(term).toHaveAttribute('data-state', 'ready');
    };
    const found: string[] = [];
    await page.goto(at('/'));
    await page.evaluate((t) => localStorage.setItem('starlight-theme', t), theme);
    await page.reload();
    found.push(...(await scan('home')));
    for (const path of ['/curriculum/', '/progress/', '/drills/', '/drills/exam/']) {
      await page.goto(at(path));
      found.push(...(await scan(path)));
    }
    await page.goto(at('/namespaces/'));
    const term = page.locator('netlab-terminal').first();
    await term.locator('[data-action="dock"]').click();
    await term.locator('.nt-screen').click();
    await waitShell(term);
    await run(term, 'ip -c -br a', /ip -c -br a\n(.*\n)*lo +UNKNOWN/);
    found.push(...(await scan('namespaces (docked, live)')));
    // a drill's terminal starts when its Start button is pressed (the clock starts then)
    await page.goto(at(`/drills/${drills[0]!.id}/`));
    const drill = page.locator('netlab-drill');
    await expect(drill).toHaveAttribute('data-state', 'waiting', { timeout: 60_000 });
    found.push(...(await scan('drill (waiting)')));
    await drill.getByRole('button', { name: 'Start', exact: true }).click();
    const dterm = drill.locator('netlab-terminal');
    await waitShell(dterm);
    await dterm.locator('.nt-screen').click();
    await run(dterm, 'ip -c -br link', /ip -c -br link\n(.*\n)*lo +UNKNOWN/);
    found.push(...(await scan('drill (live)')));
    expect(found).toEqual([]);
  });
}
