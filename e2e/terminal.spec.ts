// The in-page terminal, on a real chapter page, in Chromium.
import { test, expect, type Page } from '@playwright/test';
import { axeOf } from './axe';
import { gzipSync } from 'node:zlib';
import { term, screen, open, run } from './terminal-helpers';

const PAGE = '/about/';
const PROMPT = 'root@controlplane:~# ';

/** click the static box and wait for the live prompt and the shell */
/** type a line, press Enter, wait until the prompt is back */
/** the lines after the last `$ line` echo: what the command printed */
async function outputOf(page: Page, line: string): Promise<string[]> {
  const lines = (await screen(page)).split('\n');
  const i = lines.map((l) => l.trimEnd().endsWith('# ' + line)).lastIndexOf(true);
  expect(i, `no prompt line ending with "${line}"`).toBeGreaterThanOrEqual(0);
  const out: string[] = [];
  for (const l of lines.slice(i + 1)) {
    if (/^root@[^:]+:[^#]*# /.test(l) || /^root@[^:]+:[^#]*#$/.test(l)) break;
    out.push(l);
  }
  return out;
}

// each test has a fresh browser context: nothing is saved yet
test.beforeEach(async ({ page }) => {
  await page.goto(PAGE);
});

test('the static box shows the prompt and loads no shell code before it is used', async ({ page }) => {
  // from a blank page: what the page loaded by beforeEach still fetches (the search UI on idle) is not counted,
  // and cannot be navigated away from while its body is read
  await page.goto('about:blank');
  const scripts: { url: string; body: Buffer }[] = [];
  page.on('response', async (r) => {
    if (r.request().resourceType() !== 'script' || r.status() >= 300) return;
    scripts.push({ url: r.url(), body: await r.body() });
  });
  await page.goto(PAGE);
  await page.waitForLoadState('networkidle');
  await expect(term(page).locator('.nt-static')).toHaveText(PROMPT + ' ');
  expect(scripts.some((s) => /live|spawn|worker/.test(s.url))).toBe(false);
  const inline = await page.locator('script:not([src])').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
  // Starlight's search loads Pagefind's UI when the page is idle (requestIdleCallback after load): it is
  // counted on its own budget, not in the reading page's
  const isSearchUi = (url: string) => /\/(ui-core|pagefind)[^/]*\.js$|\/pagefind\//.test(url);
  const gz = (b: Buffer) => gzipSync(b).length;
  const total = [...scripts.filter((s) => !isSearchUi(s.url)).map((s) => s.body), ...inline.map((t) => Buffer.from(t))].reduce((n, b) => n + gz(b), 0);
  expect(total, 'JS on a reading page, gzip bytes').toBeLessThanOrEqual(15 * 1024);
  const search = scripts.filter((s) => isSearchUi(s.url)).reduce((n, s) => n + gz(s.body), 0);
  expect(search, 'the search UI loaded on idle, gzip bytes').toBeLessThanOrEqual(30 * 1024);
});

test('becoming live does not shift the layout', async ({ page }) => {
  // page coordinates of the terminal and of what follows it
  const boxes = () =>
    term(page).evaluate((el) => {
      let next = el.nextElementSibling;
      while (next && (next.tagName === 'SCRIPT' || next.tagName === 'STYLE')) next = next.nextElementSibling;
      return [el, next ?? document.querySelector('footer')!].map((e) => {
        const r = e!.getBoundingClientRect();
        return { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height };
      });
    });
  const before = await boxes();
  await open(page);
  expect(await boxes()).toEqual(before);
});

test('click, type `echo hello | wc -c`, see 6', async ({ page }) => {
  await open(page);
  await run(page, 'echo hello | wc -c');
  expect(await outputOf(page, 'echo hello | wc -c')).toEqual(['6']);
});

test('history and state survive a reload', async ({ page }) => {
  await open(page);
  await run(page, 'mkdir /tmp/kept && cd /tmp/kept');
  await run(page, 'export COLOR=blue');
  await page.reload();
  // before it starts, the static box shows the saved prompt
  await expect(term(page).locator('.nt-static')).toHaveText('root@controlplane:/tmp/kept# ');
  await open(page);
  // the screen is back
  expect(await screen(page)).toContain('# export COLOR=blue');
  // the history is back: Up recalls the last command
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => screen(page)).toMatch(/root@controlplane:\/tmp\/kept# export COLOR=blue$/);
  await page.keyboard.press('Control+U');
  await run(page, 'pwd; echo $COLOR');
  expect(await outputOf(page, 'pwd; echo $COLOR')).toEqual(['/tmp/kept', 'blue']);
  await run(page, 'history');
  expect(await outputOf(page, 'history')).toEqual([
    '    1  mkdir /tmp/kept && cd /tmp/kept',
    '    2  export COLOR=blue',
    '    3  pwd; echo $COLOR',
    '    4  history',
  ]);
});

test('Reset returns to the starting state', async ({ page }) => {
  await open(page);
  await run(page, 'cd /etc');
  await run(page, 'touch /root/made-here');
  await term(page).getByRole('button', { name: 'Reset' }).click();
  await expect(term(page).locator('.nt-status')).toHaveText('Reset to the starting state.');
  await expect.poll(() => screen(page)).toBe(PROMPT);
  await page.locator('.xterm-helper-textarea').focus();
  await run(page, 'pwd; ls /root');
  expect(await outputOf(page, 'pwd; ls /root')).toEqual(['/root']);
  await run(page, 'history');
  expect(await outputOf(page, 'history')).toEqual(['    1  pwd; ls /root', '    2  history']);
});

test('Undo last command', async ({ page }) => {
  await open(page);
  const undo = term(page).getByRole('button', { name: 'Undo last command' });
  await expect(undo).toBeDisabled();
  await run(page, 'mkdir /tmp/one');
  await run(page, 'mkdir /tmp/two');
  await undo.click();
  await expect(term(page).locator('.nt-status')).toHaveText('Undid: mkdir /tmp/two');
  await run(page, 'ls /tmp');
  expect(await outputOf(page, 'ls /tmp')).toEqual(['one']);
});

test('a reload in the middle of a flow keeps the kernel state, the saved form it was written in, and the undo steps', async ({ page }) => {
  await open(page);
  await run(page, 'ip netns add red');
  await run(page, 'ip link add v-red type veth peer name v-red-br');
  await run(page, 'sysctl -w net.ipv4.conf.v-red-br.rp_filter=2');
  await run(page, 'ip link set v-red netns red');
  // at once: the save is made when the page goes away, not only when it is idle
  await page.reload();
  await open(page);
  await run(page, 'ip -n red -br link show v-red');
  expect((await outputOf(page, 'ip -n red -br link show v-red'))[0]).toMatch(/^v-red@if\d+\s+DOWN/);
  await run(page, 'sysctl -n net.ipv4.conf.v-red-br.rp_filter');
  expect(await outputOf(page, 'sysctl -n net.ipv4.conf.v-red-br.rp_filter')).toEqual(['2']);
  // the flow goes on where it was
  await run(page, 'ip -n red addr add 10.0.0.1/24 dev v-red');
  await run(page, 'ip -n red -br addr show v-red');
  expect((await outputOf(page, 'ip -n red -br addr show v-red'))[0]).toMatch(/^v-red@if\d+\s+DOWN\s+10\.0\.0\.1\/24/);
  // undo steps saved before the reload still step back, one command at a time
  const undo = term(page).getByRole('button', { name: 'Undo last command' });
  await undo.click();
  await expect(term(page).locator('.nt-status')).toHaveText('Undid: ip -n red addr add 10.0.0.1/24 dev v-red');
  await undo.click();
  await expect(term(page).locator('.nt-status')).toHaveText('Undid: ip link set v-red netns red');
  await page.locator('.xterm-helper-textarea').focus();
  await run(page, 'ip -br link show v-red');
  expect((await outputOf(page, 'ip -br link show v-red'))[0]).toMatch(/^v-red@v-red-br\s+DOWN/);
  await run(page, 'ip -n red -br link');
  expect((await outputOf(page, 'ip -n red -br link')).map((l) => l.split(/\s+/)[0])).toEqual(['lo']);
  // what was stored is the compact form (src/sim/compact.ts), as an object in the save, checked by its schema on the way back
  const world = await page.evaluate(() => {
    const k = Object.keys(localStorage).find((x) => x.startsWith('netlab:term:v1:') && !x.endsWith(':prompt') && !x.endsWith(':backup') && !x.includes(':undo:'));
    return k ? (JSON.parse(localStorage.getItem(k)!).snapshot.world as { version: number }) : null; // an object in the save (snapshot-text.ts)
  });
  expect(world?.version).toBe(2);
});

test('Tab completes a command name', async ({ page }) => {
  await open(page);
  await page.keyboard.type('ech');
  await page.keyboard.press('Tab');
  await expect.poll(() => screen(page)).toMatch(/# echo $/);
  await run(page, 'completed');
  expect(await outputOf(page, 'echo completed')).toEqual(['completed']);
});

test('a pasted block runs its lines one after another', async ({ page }) => {
  await open(page);
  await page.locator('.xterm-helper-textarea').evaluate((ta) => {
    const data = new DataTransfer();
    data.setData('text/plain', 'echo first\necho second\n');
    ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await expect.poll(async () => (await screen(page)).split('\n')).toEqual([
    PROMPT + 'echo first',
    'first',
    PROMPT + 'echo second',
    'second',
    PROMPT,
  ]);
});

test('a runaway loop ends, the page stays responsive and the terminal usable', async ({ page }) => {
  await open(page);
  // the page is not frozen while the loop runs: the page's own tasks (a timer's, over and over) still run while the
  // line is running. Counted, not timed: on a loaded machine a round trip to the page can take seconds either way,
  // but a loop on the page's thread would let none of them run before it ended.
  await page.evaluate(() => {
    const w = window as unknown as { during: number; stop: boolean };
    const el = document.querySelector<HTMLElement>('netlab-terminal')!;
    w.during = 0;
    w.stop = false;
    const tick = () => {
      if (el.dataset.state === 'running') w.during++;
      if (!w.stop) setTimeout(tick, 0);
    };
    tick();
  });
  await page.keyboard.type('while true; do :; done');
  await page.keyboard.press('Enter');
  await expect(term(page)).toHaveAttribute('data-state', 'ready');
  const during = await page.evaluate(() => {
    const w = window as unknown as { during: number; stop: boolean };
    w.stop = true;
    return w.during;
  });
  expect(during, "the page's timer tasks that ran while the loop did").toBeGreaterThan(0);
  expect((await outputOf(page, 'while true; do :; done')).join('\n')).toMatch(/too many commands executed/);
  // and Ctrl-C on another one leaves a usable terminal
  await page.keyboard.type('while true; do :; done');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+C');
  await expect(term(page)).toHaveAttribute('data-state', 'ready');
  await run(page, 'echo alive');
  expect(await outputOf(page, 'echo alive')).toEqual(['alive']);
});

test('Ctrl-C cancels the line being typed, Ctrl-L clears the screen', async ({ page }) => {
  await open(page);
  await page.keyboard.type('echo never');
  await page.keyboard.press('Control+C');
  await expect.poll(() => screen(page)).toBe(`${PROMPT}echo never^C\n${PROMPT}`);
  await page.keyboard.type('echo kept');
  await page.keyboard.press('Control+L');
  await expect.poll(() => screen(page)).toBe(`${PROMPT}echo kept`);
});

test('keyboard only: Tab reaches the terminal, Enter starts it, Escape leaves it', async ({ page }) => {
  await term(page).locator('.nt-screen').focus();
  await expect(term(page)).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
  await run(page, 'echo typed');
  expect(await outputOf(page, 'echo typed')).toEqual(['typed']);
  // Escape, then Tab, leaves the terminal for the next element of the page (issue 18: Tab alone is completion)
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(term(page).locator('textarea')).not.toBeFocused();
  expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe('TEXTAREA');
});

test('gzip says it is not available instead of crashing', async ({ page }) => {
  await open(page);
  await run(page, 'echo x > /tmp/f; gzip /tmp/f; echo rc=$?');
  const out = await outputOf(page, 'echo x > /tmp/f; gzip /tmp/f; echo rc=$?');
  expect(out.join('\n')).toMatch(/not available/);
  expect(out.at(-1)).toBe('rc=1');
});

test('no accessibility violations in the terminal, before and after it starts', async ({ page }) => {
  const scan = () => axeOf(page).include('netlab-terminal').analyze();
  expect((await scan()).violations).toEqual([]);
  await open(page);
  await run(page, 'echo hi');
  expect((await scan()).violations).toEqual([]);
  // the output is mirrored to a live region for screen readers
  await expect(term(page).locator('[aria-live]')).toHaveText('hi');
  await expect(page.locator('.xterm-helper-textarea')).toHaveAttribute('aria-label', /Terminal/);
});

// Issue 17 (Enter-to-output within the next frame): Chromium holds the page's tasks, the worker's answer among
// them, until the next frame is drawn when the handling of a key leaves a frame to draw. So Enter at the prompt
// changes nothing that is drawn before the output comes (xterm's helper textarea, holding the spaces typed, is
// emptied with the output), and the cursor blinks without an animation that Chromium ticks at every frame.
test('Enter at the prompt leaves nothing to draw until the output; the cursor blinks without a running animation', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { rafCalls: number };
    w.rafCalls = 0;
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => {
      w.rafCalls++;
      return raf(cb);
    };
  });
  await page.goto(PAGE);
  await open(page);
  await page.keyboard.type('echo a b');
  await page.evaluate(() => {
    const w = window as unknown as { rafCalls: number; enter: { before?: string; after?: string; raf?: number } };
    const ta = document.querySelector<HTMLTextAreaElement>('.xterm-helper-textarea')!;
    w.enter = {};
    let raf = 0;
    // the window's capture listener runs before xterm's; the textarea's (a capture listener added after xterm's) after it
    window.addEventListener('keydown', (ev: KeyboardEvent) => ev.key === 'Enter' && ((w.enter.before = ta.value), (raf = w.rafCalls)), { capture: true, once: true });
    ta.addEventListener('keydown', (ev) => (ev as KeyboardEvent).key === 'Enter' && ((w.enter.after = ta.value), (w.enter.raf = w.rafCalls - raf)), { capture: true, once: true });
  });
  await page.keyboard.press('Enter');
  await expect(term(page)).toHaveAttribute('data-state', 'ready');
  expect(await outputOf(page, 'echo a b')).toEqual(['a b']);
  // what the textarea held (the spaces typed) is still there once xterm has handled Enter, and no frame was asked for
  const enter = await page.evaluate(() => (window as unknown as { enter: object }).enter);
  expect(enter).toEqual({ before: '  ', after: '  ', raf: 0 });
  await expect(page.locator('.xterm-helper-textarea')).toHaveValue('');

  // no CSS animation runs in the terminal (xterm's blink is replaced), yet the cursor blinks while focused
  const animations = () => page.evaluate(() => document.getAnimations().filter((a) => ((a.effect as KeyframeEffect | null)?.target as Element | null)?.closest('netlab-terminal')).length);
  expect(await animations()).toBe(0);
  const cursorBg = () => page.locator('.xterm-rows .xterm-cursor').evaluate((c) => getComputedStyle(c).backgroundColor);
  // (polled every 50 ms: at playwright's default intervals the polls settle at one a second, in step with the
  // 1 s blink, and can keep landing in the same phase)
  const often = { intervals: [50] };
  await expect.poll(cursorBg, often).toBe('rgb(230, 230, 234)');
  await expect.poll(cursorBg, often).not.toBe('rgb(230, 230, 234)');
  await expect.poll(cursorBg, often).toBe('rgb(230, 230, 234)');
  // not while the terminal has no focus
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(term(page).locator('.nt-xterm')).not.toHaveAttribute('data-blink-off');
  expect(await animations()).toBe(0);
});

test('the live terminal\'s first frame shows the prompt (and the earlier screen after a reload)', async ({ page }) => {
  // the rows xterm has drawn in the first animation frame after the box became live
  const firstFrame = () =>
    page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const el = document.querySelector('netlab-terminal')!;
          const mo = new MutationObserver(() => {
            if (!el.hasAttribute('data-live')) return;
            mo.disconnect();
            requestAnimationFrame(() => resolve(el.querySelector('.xterm-rows')?.textContent?.replace(/\u00a0/g, ' ') ?? ''));
          });
          mo.observe(el, { attributes: true });
        }),
    );
  const first = firstFrame();
  await term(page).locator('.nt-screen').click();
  expect((await first).trim()).toBe(PROMPT.trim());
  await expect(term(page)).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
  await run(page, 'echo before-reload');
  await page.reload();
  const again = firstFrame();
  await term(page).locator('.nt-screen').click();
  expect(await again).toContain('before-reload');
});
