// Editing in the terminal (issue 14): continuation lines typed and pasted, history search,
// vi/vim and nano full-screen; and a long paste keeps the page responsive (issue 19).
import { test, expect, type Page } from '@playwright/test';
import { term, screen, open, run } from './terminal-helpers';

const PAGE = '/about/';
async function paste(page: Page, text: string): Promise<void> {
  await page.locator('.xterm-helper-textarea').evaluate((ta, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** what `line` prints, run in the shell from the page */
async function outputOf(page: Page, line: string): Promise<string> {
  const before = (await screen(page)).split('\n').length;
  await run(page, line);
  const lines = (await screen(page)).split('\n').slice(before - 1);
  const i = lines.findIndex((l) => l.endsWith('# ' + line));
  return lines
    .slice(i + 1)
    .filter((l) => !/^root@[^:]+:[^#]*#/.test(l))
    .join('\n');
}

/** start a full-screen editor and wait until it owns the terminal */
async function startEditor(page: Page, line: string): Promise<void> {
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await expect(term(page)).toHaveAttribute('data-tty', 'raw');
}

async function editorDone(page: Page): Promise<void> {
  await expect(term(page)).not.toHaveAttribute('data-tty', 'raw');
  await expect(term(page)).toHaveAttribute('data-state', 'ready');
}

test.beforeEach(async ({ page }) => {
  await page.goto(PAGE);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
});

test('a heredoc typed line by line shows PS2 and writes its lines', async ({ page }) => {
  await open(page);
  for (const line of ['cat > /tmp/a.yaml <<EOF', 'one: 1', 'two: 2', 'three: 3', 'EOF']) await run(page, line);
  const text = await screen(page);
  expect(text).toContain('# cat > /tmp/a.yaml <<EOF\n> one: 1\n> two: 2\n> three: 3\n> EOF');
  expect(await outputOf(page, 'cat /tmp/a.yaml')).toBe('one: 1\ntwo: 2\nthree: 3');
});

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
  labels:
    app: web
    tier: frontend
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
        resources:
          limits:
            cpu: 500m
            memory: 128Mi
          requests:
            cpu: 250m
            memory: 64Mi`;

test('a 30-line manifest pasted inside a heredoc piped to a command reaches it whole', async ({ page }) => {
  await open(page);
  expect(DEPLOYMENT.split('\n').length).toBe(30);
  await paste(page, `cat <<'EOF' | wc -l\n${DEPLOYMENT}\nEOF\necho pasted-done\n`);
  await expect.poll(() => screen(page), { timeout: 15_000 }).toMatch(/\npasted-done\n/);
  const text = await screen(page);
  expect(text).toMatch(/> EOF\n30\n/);
});

test('a multi-line for loop pasted runs once, as one command in the history', async ({ page }) => {
  await open(page);
  await paste(page, 'for i in 1 2 3; do\n  echo "n=$i"\ndone\n');
  await expect.poll(() => screen(page)).toMatch(/> done\nn=1\nn=2\nn=3\n/);
  await expect(term(page)).toHaveAttribute('data-state', 'ready');
  // as bash 5.2 records it (cmdhist): one entry, the continuation line's indent kept
  expect(await outputOf(page, 'history 2')).toMatch(/for i in 1 2 3; do {3}echo "n=\$i"; done\n\s+\d+  history 2/);
});

test('vi: i, typing, Esc, :wq saves the file', async ({ page }) => {
  await open(page);
  await startEditor(page, 'vi /tmp/pod.yaml');
  await page.keyboard.press('i');
  await page.keyboard.type('apiVersion: v1');
  await page.keyboard.press('Enter');
  await page.keyboard.type('kind: Pod');
  await page.keyboard.press('Escape');
  await page.keyboard.type(':wq');
  await page.keyboard.press('Enter');
  await editorDone(page);
  expect(await outputOf(page, 'cat /tmp/pod.yaml')).toBe('apiVersion: v1\nkind: Pod');
});

test('vim: dd, p, u, /x and :%s/a/b/g edit as vim does', async ({ page }) => {
  await open(page);
  await run(page, "printf 'alpha\\nbeta\\ngamma x\\ndelta\\n' > /tmp/v.txt");
  await startEditor(page, 'vim /tmp/v.txt');
  // dd p: alpha and beta swap; u takes the put back; p again
  await page.keyboard.type('ddpup');
  await expect.poll(() => screen(page)).toMatch(/^beta\nalpha\ngamma x\ndelta\n~/);
  // /x then x deletes the x; :%s/a/b/g
  await page.keyboard.type('/x');
  await page.keyboard.press('Enter');
  await page.keyboard.type('x:%s/a/b/g');
  await page.keyboard.press('Enter');
  await expect.poll(() => screen(page)).toContain('6 substitutions on 4 lines');
  await page.keyboard.type(':wq');
  await page.keyboard.press('Enter');
  await editorDone(page);
  expect((await outputOf(page, 'cat /tmp/v.txt')).replace(/ +$/gm, '')).toBe('betb\nblphb\ngbmmb\ndeltb');
});

test('nano edits and saves with Ctrl-O and leaves with Ctrl-X', async ({ page }) => {
  await open(page);
  await startEditor(page, 'nano /tmp/n.txt');
  await expect.poll(() => screen(page)).toContain('GNU nano 7.2');
  await page.keyboard.type('hello nano');
  await page.keyboard.press('Control+o');
  await expect.poll(() => screen(page)).toContain('File Name to Write: /tmp/n.txt');
  await page.keyboard.press('Enter');
  await expect.poll(() => screen(page)).toContain('[ Wrote 1 line ]');
  await page.keyboard.press('Control+x');
  await editorDone(page);
  expect(await outputOf(page, 'cat /tmp/n.txt')).toBe('hello nano');
});

test('Ctrl-R finds an earlier command', async ({ page }) => {
  await open(page);
  await run(page, 'echo findme-123');
  await run(page, 'echo other');
  await page.keyboard.press('Control+r');
  await page.keyboard.type('findme');
  await expect.poll(() => screen(page)).toContain("(reverse-i-search)`findme': echo findme-123");
  await page.keyboard.press('Enter');
  await expect(term(page)).toHaveAttribute('data-state', 'ready');
  expect((await screen(page)).split('\n').filter((l) => l === 'findme-123').length).toBe(2);
});

test('a 200 KB paste leaves the page responsive and ends within a second', async ({ page }) => {
  await open(page);
  // in the page: paste, then count animation frames until both pasted lines have run
  const r = await page.evaluate(
    (text) =>
      new Promise<{ ms: number; frames: number }>((resolve) => {
        const el = document.querySelector('netlab-terminal') as unknown as HTMLElement & { netlab: { timings: number[] } };
        const before = el.netlab.timings.length;
        const ta = el.querySelector('.xterm-helper-textarea')!;
        const data = new DataTransfer();
        data.setData('text/plain', text);
        const t0 = performance.now();
        let frames = 0;
        const tick = () => {
          frames++;
          if (el.netlab.timings.length >= before + 2 && el.dataset.state === 'ready') resolve({ ms: performance.now() - t0, frames });
          else if (performance.now() - t0 > 10_000) resolve({ ms: Infinity, frames });
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
        ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }),
    ': ' + 'x'.repeat(200_000) + '\necho paste-end\n',
  );
  expect(r.ms).toBeLessThan(1000);
  // frames kept coming while it ran: the page did not freeze
  expect(r.frames).toBeGreaterThan(2);
  await expect.poll(() => screen(page)).toMatch(/\npaste-end\n/);
});
