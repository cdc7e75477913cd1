// CKA drills and exam mode in Chromium: solve a drill, let one time out, run
// a two-task exam and read its report, and find the results on the Progress
// page after a reload.
//
// The values of an attempt follow from the seed in the URL, so the test
// computes the reference solution for that seed with the drill code itself.
import { test, expect, type Page, type Locator } from '@playwright/test';
import { axeOf } from './axe';
import { drillById } from '../src/labs/drills/index';
import { instantiate } from '../src/labs/drills/schema';
import { planExam } from '../src/labs/drills/exam';

const drillEl = (page: Page): Locator => page.locator('netlab-drill');

/** the live terminal inside `scope` */
const termIn = (scope: Locator): Locator => scope.locator('netlab-terminal');

async function waitShell(term: Locator): Promise<void> {
  // the shell worker loads just-bash and the simulator: allow for a busy machine
  await expect(term).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
  await expect(term).toHaveAttribute('data-state', 'ready');
}

/** type lines into a live terminal, each followed by Enter, waiting for the prompt each time */
async function typeLines(page: Page, term: Locator, lines: string[]): Promise<void> {
  await term.locator('.nt-screen').click();
  for (const line of lines) {
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
    await expect(term).toHaveAttribute('data-state', 'ready');
  }
}

/** The lab is built before the clock runs: press Start (the clock starts then) and wait for the shell. */
async function startDrill(page: Page): Promise<Locator> {
  const d = drillEl(page);
  await expect(d).toHaveAttribute('data-state', 'waiting', { timeout: 60_000 });
  await d.getByRole('button', { name: 'Start', exact: true }).click();
  const term = termIn(d);
  await waitShell(term);
  return term;
}

test('the catalogue lists the drills by domain and links each one', async ({ page }) => {
  await page.goto('/drills/');
  await expect(page.getByRole('heading', { name: 'Network namespaces' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Cluster architecture: find and answer' })).toBeVisible();
  expect(await page.locator('[data-drill-row]').count()).toBeGreaterThanOrEqual(15);
  await expect(page.locator('[data-drill-row="netns-veth-pair"] [data-best]')).toHaveText('Not tried');
});

test('solving a drill ends it as passed, with its record', async ({ page }) => {
  const seed = 11;
  const drill = instantiate(drillById('netns-veth-pair')!, seed);
  await page.goto(`/drills/netns-veth-pair/?seed=${seed}`);
  // the task shows this seed's values
  await expect(drillEl(page).locator('[data-task]')).toContainText(String(drill.params['ipA']));
  const term = await startDrill(page);
  await waitShell(term);
  await expect(drillEl(page)).toHaveAttribute('data-state', 'ready');

  // Check on the untouched lab names what is missing
  await drillEl(page).getByRole('button', { name: 'Check' }).click();
  await expect(drillEl(page).locator('[data-reqs] li[data-pass="false"]').first()).toBeVisible();
  await expect(drillEl(page).locator('[data-reqs]')).toContainText(`there is no namespace ${drill.params['a']}`);

  // a hint, then the reference solution typed in: the drill notices by itself
  await drillEl(page).getByRole('button', { name: /Show a hint/ }).click();
  await expect(drillEl(page).locator('[data-hints] li')).toHaveCount(1);
  await typeLines(page, term, drill.solution);
  await expect(drillEl(page)).toHaveAttribute('data-result', 'pass');
  await expect(drillEl(page).locator('[data-result-title]')).toHaveText('Passed');
  await expect(drillEl(page).locator('[data-reqs] li[data-pass="true"]')).toHaveCount(drill.requirements.length);
  await expect(drillEl(page).locator('[data-fact="hints"]')).toHaveText(`1 of ${drill.hints.length}`);
  await expect(drillEl(page).locator('[data-fact="commands"]')).toHaveText(String(drill.solution.length));

  // the catalogue shows the best result
  await page.goto('/drills/');
  await expect(page.locator('[data-drill-row="netns-veth-pair"] [data-best]')).toContainText('Passed in');
});

test('a short drill times out and is recorded as not passed', async ({ page }) => {
  await page.goto('/drills/netns-gateway-route/?seed=3&limit=2');
  await startDrill(page);
  await expect(drillEl(page)).toHaveAttribute('data-result', 'fail');
  await expect(drillEl(page).locator('[data-result-title]')).toHaveText('Time is up: not passed');
  await expect(drillEl(page).locator('[data-timer]')).toHaveText('0:00');
  await expect(drillEl(page).locator('[data-reqs] li[data-pass="false"]').first()).toBeVisible();
  // a reload shows the same ended attempt
  await page.reload();
  await expect(drillEl(page)).toHaveAttribute('data-result', 'fail');
});

test('the clock starts on the Start button, not when the page loads (issue 15)', async ({ page }) => {
  await page.goto('/drills/netns-veth-pair/?seed=5');
  const d = drillEl(page);
  await expect(d).toHaveAttribute('data-state', 'waiting', { timeout: 60_000 });
  const budget = `${drillById('netns-veth-pair')!.minutes}:00`;
  await expect(d.locator('[data-timer]')).toHaveText(budget);
  await expect(d.getByRole('button', { name: 'Check' })).toBeDisabled();
  await page.waitForTimeout(1500);
  await expect(d.locator('[data-timer]')).toHaveText(budget);
  await d.getByRole('button', { name: 'Start', exact: true }).click();
  await waitShell(termIn(d));
  await expect(d.getByRole('button', { name: 'Check' })).toBeEnabled();
  await expect(d.locator('[data-timer]')).not.toHaveText(budget);
  // a reload goes on with the running clock, without asking again
  await page.reload();
  await expect(d).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(d.getByRole('button', { name: 'Start', exact: true })).toBeHidden();
});

test('Check on a troubleshooting drill says which requirement fails, not the fault; the reasons count as a hint (issue 15)', async ({ page }) => {
  const seed = 12;
  const drill = instantiate(drillById('fix-router')!, seed);
  await page.goto(`/drills/fix-router/?seed=${seed}`);
  const term = await startDrill(page);
  const d = drillEl(page);
  await d.getByRole('button', { name: 'Check' }).click();
  const reqs = d.locator('[data-reqs]');
  await expect(reqs.locator('li[data-pass="false"]')).toHaveCount(drill.requirements.length);
  for (const r of drill.requirements) await expect(reqs).toContainText(r.text);
  // the checker's reasons name the fault (forwarding, a link down, a prefix): none is shown
  for (const word of ['forwarding', 'is not up', 'ip_forward', '/2']) await expect(reqs).not.toContainText(word);
  await expect(d.locator('[data-fact="hints"]')).toHaveText(`0 of ${drill.hints.length + 1}`);
  await d.getByRole('button', { name: /Explain what is not met/ }).click();
  await expect(reqs).toContainText('does not answer ping');
  await expect(d.locator('[data-fact="hints"]')).toHaveText(`1 of ${drill.hints.length + 1}`);
  await expect(d.getByRole('button', { name: /Explain what is not met/ })).toBeHidden();
  void term;
});

test('the Result block counts commands and hints while the attempt runs (issue 15)', async ({ page }) => {
  const drill = instantiate(drillById('netns-veth-pair')!, 6);
  await page.goto('/drills/netns-veth-pair/?seed=6');
  const term = await startDrill(page);
  const d = drillEl(page);
  await expect(d.locator('[data-result]')).toBeVisible();
  await expect(d.locator('[data-fact="commands"]')).toHaveText('0');
  await typeLines(page, term, ['ip netns list', 'ip -br link']);
  await expect(d.locator('[data-fact="commands"]')).toHaveText('2');
  await d.getByRole('button', { name: /Show a hint/ }).click();
  await expect(d.locator('[data-fact="hints"]')).toHaveText(`1 of ${drill.hints.length}`);
  await typeLines(page, term, ['ip netns add scratch']);
  await expect(d.locator('[data-fact="commands"]')).toHaveText('3');
});

test('Reset goes back to the attempt’s starting state, with its setup', async ({ page }) => {
  const seed = 21;
  const drill = instantiate(drillById('fix-netns-lan')!, seed);
  const names = drill.params['names'] as string[];
  await page.goto(`/drills/fix-netns-lan/?seed=${seed}`);
  const term = await startDrill(page);
  const text = () => term.evaluate((el) => (el as unknown as { netlab: { text(): string } }).netlab.text());
  await typeLines(page, term, [`ip netns delete ${names[0]}`, 'ip netns list | wc -l']);
  await term.getByRole('button', { name: 'Reset' }).click();
  await expect(term.locator('.nt-status')).toHaveText('Reset to the starting state.');
  await expect(term).toHaveAttribute('data-state', 'ready');
  await typeLines(page, term, ['ip netns list']);
  // the drill's namespaces are back: the setup is part of the starting state
  for (const n of names) await expect.poll(text).toContain(n);
});

test('a two-task exam: navigate, flag, end, and read the report', async ({ page }) => {
  const ids = ['netns-gateway-route', 'k8s-default-gateway'];
  const plan = planExam(ids, 10, 4);
  const first = instantiate(plan.tasks[0]!.def, plan.tasks[0]!.seed);
  await page.goto(`/drills/exam/?tasks=${ids.join(',')}&minutes=10&seed=4`);
  const exam = page.locator('netlab-exam');
  await expect(exam).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  await expect(exam.locator('[data-task]')).toContainText(String(first.params['target']));
  const slot0 = exam.locator('[data-slot="0"]');
  await waitShell(termIn(slot0));
  await typeLines(page, termIn(slot0), first.solution);

  // task 2: flag it for review, leave it untouched
  await exam.getByRole('button', { name: /^Task 2/ }).click();
  await expect(exam.locator('[data-task-title]')).toContainText('Task 2 of 2');
  await exam.getByRole('button', { name: 'Flag for review' }).click();
  await expect(exam.getByRole('button', { name: 'Flag for review' })).toHaveAttribute('aria-pressed', 'true');
  await waitShell(termIn(exam.locator('[data-slot="1"]')));

  // back to task 1: its terminal kept its state
  await exam.getByRole('button', { name: /^Task 1/ }).click();
  await expect(slot0).toBeVisible();
  // the screen's text wraps long lines at the terminal's width: compare without the wraps
  expect((await termIn(slot0).evaluate((el) => (el as unknown as { netlab: { text(): string } }).netlab.text())).replace(/\n/g, '')).toContain(first.solution[0]!);

  page.once('dialog', (d) => void d.accept());
  await exam.getByRole('button', { name: 'End the exam' }).click();
  await expect(exam).toHaveAttribute('data-state', 'report', { timeout: 60_000 });
  const w1 = plan.tasks[0]!.def.weight;
  const w2 = plan.tasks[1]!.def.weight;
  const score = Math.round((100 * w1) / (w1 + w2));
  await expect(exam.locator('[data-score]')).toContainText(`Score: ${score}/100`);
  const t1 = exam.locator('[data-task-result="0"]');
  const t2 = exam.locator('[data-task-result="1"]');
  await expect(t1).toContainText(`${w1} of ${w1} points`);
  await expect(t2).toContainText(`0 of ${w2} points`);
  await expect(t2.locator('h3')).toContainText('⚑');
  await expect(t2.locator('[data-reqs] li[data-pass="false"]')).toHaveCount(1);
  await t2.getByText('Reference solution').click();
  await expect(t2.locator('pre')).toContainText('ip route show default');
});

test('a reload mid-exam keeps the work and the grade of task 1 (issue 19)', async ({ page }) => {
  const ids = ['netns-gateway-route', 'k8s-default-gateway'];
  const plan = planExam(ids, 10, 5);
  const first = instantiate(plan.tasks[0]!.def, plan.tasks[0]!.seed);
  await page.goto(`/drills/exam/?tasks=${ids.join(',')}&minutes=10&seed=5`);
  const exam = page.locator('netlab-exam');
  await expect(exam).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  const slot0 = exam.locator('[data-slot="0"]');
  await waitShell(termIn(slot0));
  await typeLines(page, termIn(slot0), first.solution);
  await exam.getByRole('button', { name: /^Task 2/ }).click();
  await waitShell(termIn(exam.locator('[data-slot="1"]')));

  // reload on task 2: task 1's terminal is not mounted again before the end
  await page.reload();
  await expect(exam).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  await expect(exam.locator('[data-task-title]')).toContainText('Task 2 of 2');
  page.once('dialog', (d) => void d.accept());
  await exam.getByRole('button', { name: 'End the exam' }).click();
  await expect(exam).toHaveAttribute('data-state', 'report', { timeout: 60_000 });
  const w1 = plan.tasks[0]!.def.weight;
  await expect(exam.locator('[data-task-result="0"]')).toContainText(`${w1} of ${w1} points`);
});

test('an imported progress file with markup in an exam field is refused and runs nothing (issue 19)', async ({ page }) => {
  await page.goto('/progress/');
  let alerted = false;
  page.on('dialog', (d) => {
    alerted = true;
    void d.dismiss();
  });
  const xss = JSON.stringify({
    version: 2,
    quizzes: {},
    exams: [{ id: 'e', title: 'E', score: 80, at: 0, tasks: [{ title: 'T', weight: '<img src=x onerror=alert(document.domain)>', points: 8, pass: true }] }],
  });
  const input = page.locator('input[type="file"]').first();
  await input.setInputFiles({ name: 'progress.json', mimeType: 'application/json', buffer: Buffer.from(xss) });
  await expect(page.getByText(/could not be imported/)).toBeVisible();
  await page.reload();
  await page.waitForLoadState('load');
  expect(alerted).toBe(false);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
});

test('drill and exam results are on the Progress page after a reload', async ({ page }) => {
  // a drill that times out, and an exam ended at once
  await page.goto('/drills/hosts-entry/?seed=8&limit=1');
  await startDrill(page);
  await expect(drillEl(page)).toHaveAttribute('data-result', 'fail');
  await page.goto('/drills/exam/?tasks=k8s-node-mac&minutes=5&seed=9');
  const exam = page.locator('netlab-exam');
  await expect(exam).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  page.once('dialog', (d) => void d.accept());
  await exam.getByRole('button', { name: 'End the exam' }).click();
  await expect(exam).toHaveAttribute('data-state', 'report', { timeout: 60_000 });

  await page.goto('/progress/');
  await page.reload();
  const row = page.locator('[data-dp-drill="hosts-entry"]');
  await expect(row.locator('.dp-attempts')).toHaveText('1');
  await expect(row.locator('.dp-passes')).toHaveText('0');
  await expect(row.locator('.dp-best')).toHaveText('not passed yet');
  await expect(page.locator('[data-dp-exams] li[data-dp-exam]')).toHaveCount(1);
  await expect(page.locator('[data-dp-exams]')).toContainText('0/100');
});

test('the catalogue, a drill with its result, and the exam setup have no accessibility violations', async ({ page }) => {
  const scan = async () => {
    const r = await axeOf(page).analyze();
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  };
  await page.goto('/drills/');
  expect(await scan()).toEqual([]);
  await page.goto('/drills/netns-veth-pair/?seed=5');
  await expect(drillEl(page)).toHaveAttribute('data-state', 'waiting', { timeout: 60_000 });
  expect(await scan()).toEqual([]);
  await startDrill(page);
  await drillEl(page).getByRole('button', { name: 'Check' }).click();
  await expect(drillEl(page).locator('[data-reqs] li').first()).toBeVisible();
  await drillEl(page).getByRole('button', { name: /Show a hint/ }).click();
  expect(await scan()).toEqual([]);
  await page.goto('/drills/exam/');
  expect(await scan()).toEqual([]);
});
