// The chapter quizzes in Chromium: answering (wrong, then right), progress
// kept across a reload, export / clear / import on the Progress page, a
// command question graded in the grader worker, the no-JavaScript fallback,
// and an axe scan of a chapter with its quiz answered.
import { test, expect, type Page } from '@playwright/test';
import { axeOf } from './axe';
import { CHAPTERS } from '../content/chapters';
import { readFileSync } from 'node:fs';

function q(page: Page, chapter: string, id: string) {
  return page.locator(`#quiz-${chapter}-${id}`);
}

async function openQuiz(page: Page, chapter: string) {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('console', (msg) => {
    // the site's favicon is not the quiz's business (and is checked by the chapter tests)
    if (msg.type() === 'error' && !msg.location().url.endsWith('/favicon.svg')) errors.push(`${msg.text()} ${msg.location().url}`);
  });
  await page.goto(`/${chapter}/`);
  const quiz = page.locator(`section.quiz[data-quiz="${chapter}"]`);
  await quiz.scrollIntoViewIfNeeded();
  await expect(quiz).toHaveAttribute('data-ready', '');
  return { quiz, errors };
}

async function check(page: Page, chapter: string, id: string) {
  await q(page, chapter, id).locator('.quiz-check').click();
  return q(page, chapter, id).locator('.quiz-feedback');
}

test('answer a quiz partly wrong, then right; the score and answers survive a reload', async ({ page }) => {
  const { quiz, errors } = await openQuiz(page, 'routing');
  await expect(quiz.locator('.quiz-score')).toHaveText(/Score: 0 of 11/);

  // single choice: wrong, then right; focus moves to the feedback
  const gw = q(page, 'routing', 'gateway');
  await gw.locator('input[value="dst"]').check();
  let fb = await check(page, 'routing', 'gateway');
  await expect(fb).toContainText('✗ Not quite.');
  await expect(fb).toContainText('via names the next hop'); // the chosen option's own feedback
  await expect(fb).toBeFocused();
  await gw.locator('input[value="gw"]').check();
  fb = await check(page, 'routing', 'gateway');
  await expect(fb).toContainText('✓ Right.');
  await expect(fb).toHaveAttribute('data-result', 'right');

  // multiple choice: partial feedback, then right
  const atoc = q(page, 'routing', 'a-to-c');
  await atoc.locator('input[value="route-a"]').check();
  await atoc.locator('input[value="arp"]').check();
  fb = await check(page, 'routing', 'a-to-c');
  await expect(fb).toContainText('You picked 1 of the 3 right options, and 1 wrong one.');
  await atoc.locator('.quiz-retry').click();
  await expect(fb).toBeEmpty();
  for (const v of ['route-a', 'route-c', 'forward']) await atoc.locator(`input[value="${v}"]`).check();
  fb = await check(page, 'routing', 'a-to-c');
  await expect(fb).toContainText('✓ Right.');

  // short answer: normalisation (case, spaces) applies
  const fwd = q(page, 'routing', 'forward-sysctl');
  await fwd.locator('input[type="text"]').fill('ip_forward');
  await expect(await check(page, 'routing', 'forward-sysctl')).toContainText('✗ Not quite.');
  await fwd.locator('input[type="text"]').fill('  NET.IPV4.IP_FORWARD ');
  await expect(await check(page, 'routing', 'forward-sysctl')).toContainText('✓ Right.');

  // reveal: the answer and explanation open
  const flag = q(page, 'routing', 'gateway-flag');
  await expect(flag.locator('details.quiz-answer')).toBeHidden();
  await flag.locator('.quiz-reveal').click();
  await expect(flag.locator('details.quiz-answer')).toHaveAttribute('open', '');
  await expect(flag.locator('details.quiz-answer')).toContainText('Flags: U (route is up)');

  await expect(quiz.locator('.quiz-score')).toHaveText('Score: 3 of 11 right, 8 not tried yet');

  await page.reload();
  await quiz.scrollIntoViewIfNeeded();
  await expect(quiz).toHaveAttribute('data-ready', '');
  await expect(quiz.locator('.quiz-score')).toHaveText('Score: 3 of 11 right, 8 not tried yet');
  await expect(gw.locator('input[value="gw"]')).toBeChecked();
  await expect(gw.locator('.quiz-past')).toHaveText('Your last answer was right (2 attempts).');
  await expect(fwd.locator('input[type="text"]')).toHaveValue('  NET.IPV4.IP_FORWARD ');
  await expect(flag.locator('.quiz-past')).toHaveText('You revealed the answer.');
  expect(errors).toEqual([]);
});

test('options are shuffled per attempt, and Try again clears the answer', async ({ page }) => {
  await openQuiz(page, 'switching');
  const qq = q(page, 'switching', 'private-ranges');
  const order = async () => (await qq.locator('.quiz-option input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).join(',');
  const seen = new Set<string>();
  seen.add(await order());
  for (let i = 0; i < 8 && seen.size < 2; i++) {
    await qq.locator('input[value="ten"]').check();
    await qq.locator('.quiz-check').click();
    await qq.locator('.quiz-retry').click();
    await expect(qq.locator('input[value="ten"]')).not.toBeChecked();
    seen.add(await order());
  }
  expect(seen.size).toBeGreaterThan(1);
});

test('keyboard only: arrows pick an option, Enter checks, focus lands on the feedback', async ({ page }) => {
  await openQuiz(page, 'cni');
  const qq = q(page, 'cni', 'who-calls-cni');
  const radios = qq.locator('input[type="radio"]');
  await radios.first().focus();
  const values: string[] = [];
  for (let i = 0; i < 4; i++) {
    values.push(await page.evaluate(() => (document.activeElement as HTMLInputElement).value));
    await page.keyboard.press('ArrowDown');
  }
  expect(new Set(values).size).toBe(4); // the arrows walk every option of the group
  // walk to the right option with the arrows, then Tab to Check and press Enter
  for (let i = 0; i < 4 && (await page.evaluate(() => (document.activeElement as HTMLInputElement).value)) !== 'runtime'; i++) await page.keyboard.press('ArrowDown');
  await expect(qq.locator('input[value="runtime"]')).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(qq.locator('.quiz-check')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(qq.locator('.quiz-feedback')).toBeFocused();
  await expect(qq.locator('.quiz-feedback')).toContainText('✓ Right.');
  // a text answer is checked with Enter in the field
  const port = q(page, 'cni', 'scheduler-port').locator('input[type="text"]');
  await port.focus();
  await page.keyboard.type('10259');
  await page.keyboard.press('Enter');
  await expect(q(page, 'cni', 'scheduler-port').locator('.quiz-feedback')).toContainText('✓ Right.');
});

test('export, clear storage, import: the progress comes back', async ({ page }) => {
  await openQuiz(page, 'dns');
  await q(page, 'dns', 'a-record').locator('input[value="ipv4"]').check();
  await expect(await check(page, 'dns', 'a-record')).toContainText('✓ Right.');
  await q(page, 'dns', 'dns-port').locator('input[type="text"]').fill('53');
  await expect(await check(page, 'dns', 'dns-port')).toContainText('✓ Right.');

  await page.goto('/progress/');
  const row = page.locator('.quiz-progress tr[data-chapter="dns"]');
  await expect(row.locator('.qp-right')).toHaveText('2');
  await expect(row.locator('.qp-status')).toHaveText('In progress');

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.progress-export').click()]);
  expect(download.suggestedFilename()).toMatch(/^netlab-progress-\d{4}-\d\d-\d\d\.json$/);
  const file = await download.path();
  const exported = JSON.parse(readFileSync(file, 'utf8'));
  expect(exported.version).toBe(2);
  expect(exported.quizzes.dns.questions['a-record']).toMatchObject({ attempts: 1, correct: true, lastAnswer: 'ipv4' });

  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(row.locator('.qp-right')).toHaveText('0');
  await expect(page.locator('.qp-summary')).toContainText('No quiz answered yet');

  // a file that is not an export is refused with a message
  await page.locator('.progress-import').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
  await expect(page.locator('.progress-status')).toContainText('could not be imported');

  await page.locator('.progress-import').setInputFiles(file);
  await expect(page.locator('.progress-status')).toHaveText('Imported progress for 1 chapter.');
  await expect(row.locator('.qp-right')).toHaveText('2');

  const { quiz } = await openQuiz(page, 'dns');
  await expect(quiz.locator('.quiz-score')).toHaveText(/^Score: 2 of \d+ right/);
  await expect(q(page, 'dns', 'a-record').locator('input[value="ipv4"]')).toBeChecked();
});

test('corrupt saved progress is set aside with a notice, not a crash', async ({ page }) => {
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('netlab:progress', '{"version": 2, "quizzes": {');
      sessionStorage.setItem('seeded', '1');
    }
  });
  const { quiz, errors } = await openQuiz(page, 'map');
  await expect(quiz.locator('.quiz-notice')).toBeVisible();
  await expect(quiz.locator('.quiz-notice')).toContainText('could not be read');
  await expect(quiz.locator('.quiz-score')).toHaveText(/Score: 0 of/);
  expect(errors).toEqual([]);
});

test('a command question runs in the grader: a wrong command gets a hint, a right one passes', async ({ page }) => {
  await openQuiz(page, 'routing');
  const fwd = q(page, 'routing', 'enable-forwarding');
  const box = fwd.locator('textarea');
  await box.fill('sysctl net.ipv4.ip_forward');
  let fb = await check(page, 'routing', 'enable-forwarding');
  await expect(fb).toContainText('✗ Not quite.', { timeout: 20_000 });
  await expect(fb).toContainText('still 0');
  await expect(fwd.locator('.quiz-term-output')).toContainText('net.ipv4.ip_forward = 0');

  await box.fill('echo checking\nsysctl -w net.ipv4.ip_forward=1');
  fb = await check(page, 'routing', 'enable-forwarding');
  await expect(fb).toContainText('✓ Right.', { timeout: 20_000 });
  await expect(fwd.locator('.quiz-term-output')).toContainText('root@router:~# sysctl -w net.ipv4.ip_forward=1\nnet.ipv4.ip_forward = 1');
  await expect(page.locator('section.quiz .quiz-score')).toHaveText(/Score: 1 of 11 right/);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('questions are readable and answers are in <details>', async ({ page }) => {
    await page.goto('/routing/');
    const quiz = page.locator('section.quiz[data-quiz="routing"]');
    await expect(quiz.locator('li.quiz-q')).toHaveCount(11);
    await expect(quiz.locator('.quiz-actions').first()).toBeHidden();
    const details = q(page, 'routing', 'gateway').locator('details.quiz-answer');
    await expect(details).toBeVisible();
    await details.locator('summary').click();
    await expect(details).toContainText('The gateway');
    await expect(quiz.locator('.quiz-nojs')).toBeVisible();
  });
});

test('axe finds no violations on a chapter with its quiz answered', async ({ page }) => {
  await openQuiz(page, 'routing');
  await q(page, 'routing', 'gateway').locator('input[value="dst"]').check();
  await check(page, 'routing', 'gateway');
  await q(page, 'routing', 'a-to-c').locator('input[value="forward"]').check();
  await check(page, 'routing', 'a-to-c');
  await q(page, 'routing', 'forward-sysctl').locator('input[type="text"]').fill('net.ipv4.ip_forward');
  await check(page, 'routing', 'forward-sysctl');
  await q(page, 'routing', 'longest-prefix').locator('.quiz-reveal').click();
  await expect(q(page, 'routing', 'gateway').locator('.quiz-feedback')).toContainText('Not quite');
  await expect(q(page, 'routing', 'forward-sysctl').locator('.quiz-feedback')).toContainText('Right');
  const results = await axeOf(page).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

test('axe finds no violations in other chapters\' quizzes, answered and revealed', async ({ page }) => {
  // every quiz is the same component; these add number questions and the longest option texts
  for (const chapter of ['switching', 'dns', 'service-networking']) {
    await openQuiz(page, chapter);
    const first = page.locator(`section.quiz[data-quiz="${chapter}"] li.quiz-q`).first();
    await first.locator('.quiz-check').click();
    await first.locator('.quiz-reveal').click();
    const results = await axeOf(page).include(`section.quiz[data-quiz="${chapter}"]`).analyze();
    expect(results.violations.map((v) => `${chapter} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
});

test('the Progress page passes axe too', async ({ page }) => {
  await page.goto('/progress/');
  // one row per chapter with a quiz, as the course manifest lists them
  await expect(page.locator('.quiz-progress tr[data-chapter]')).toHaveCount(CHAPTERS.filter((c) => c.quiz).length);
  const results = await axeOf(page).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});
