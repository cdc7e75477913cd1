// The engine worker (issue 17): one worker script for the terminal, the quiz's command checks and
// the drill graders; rarely used tools load as chunks on first use and still work.
import { test, expect, type Page, type Locator } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { measure, readBundles } from './bundle-sizes';

const term = (page: Page): Locator => page.locator('netlab-terminal').first();

async function screen(page: Page): Promise<string> {
  return term(page).evaluate((el) => (el as unknown as { netlab?: { text(): string } }).netlab?.text() ?? '');
}

async function open(page: Page): Promise<void> {
  await term(page).locator('.nt-screen').click();
  await expect(term(page)).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
  await expect(term(page)).toHaveAttribute('data-state', 'ready');
}

async function run(page: Page, line: string): Promise<void> {
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await expect(term(page)).toHaveAttribute('data-state', 'ready');
}

test('a terminal, a command question and a drill grader start one engine worker script', async ({ page }) => {
  const workerUrls: string[] = [];
  page.on('worker', (w) => workerUrls.push(new URL(w.url()).pathname));
  const scriptFetches: string[] = [];
  page.on('request', (r) => {
    if (/\/engine-worker-[^/]*\.js$/.test(new URL(r.url()).pathname)) scriptFetches.push(new URL(r.url()).pathname);
  });

  // a chapter: its terminal, then a command question checked in the grader
  await page.goto('/routing/');
  await open(page);
  await run(page, 'echo engine-ok');
  expect(await screen(page)).toContain('engine-ok');
  const fwd = page.locator('#quiz-routing-enable-forwarding');
  await fwd.locator('textarea').fill('sysctl -w net.ipv4.ip_forward=1');
  await fwd.locator('.quiz-check').click();
  await expect(fwd.locator('.quiz-feedback')).toContainText('✓ Right.', { timeout: 30_000 });
  // the terminal's engine and the page's grading engine: two workers of one script
  expect(workerUrls).toHaveLength(2);

  // a drill page: its grader builds the lab, its terminal runs it
  await page.goto('/drills/netns-veth-pair/?seed=11');
  await expect(page.locator('netlab-drill')).toHaveAttribute('data-state', 'waiting', { timeout: 60_000 });
  await page.locator('netlab-drill').getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.locator('netlab-drill netlab-terminal')).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });

  expect(workerUrls.length).toBeGreaterThanOrEqual(4);
  expect(new Set(workerUrls).size, `worker scripts: ${[...new Set(workerUrls)].join(', ')}`).toBe(1);
  expect([...new Set(workerUrls)][0]).toMatch(/engine-worker/);
  expect(new Set(scriptFetches).size).toBe(1);
});

test('a rarely used tool (jq) loads its chunk on first use and works', async ({ page }) => {
  const jqFetches: string[] = [];
  page.on('request', (r) => {
    if (/\/jq-[^/]*\.js$/.test(new URL(r.url()).pathname)) jqFetches.push(r.url());
  });
  await page.goto('/about/');
  await open(page);
  await run(page, 'echo ready');
  expect(jqFetches, 'jq is not part of the engine loaded up front').toEqual([]);
  await run(page, `echo '{"a":[1,2],"b":"x"}' | jq -c '{n: (.a | add), b}'`);
  expect(await screen(page)).toContain('{"n":3,"b":"x"}');
  expect(jqFetches.length).toBeGreaterThan(0);
  // the status line's "loading…" is gone once the chunk is there
  await expect(term(page).locator('.nt-status')).not.toContainText('loading');
});

test("the rarer networking tools and ip's completer load on first use and work", async ({ page }) => {
  const bundles = readBundles(fileURLToPath(new URL(`../${process.env.NETLAB_OUTDIR || 'dist'}`, import.meta.url)));
  const chunkOf = (module: string) => {
    const f = Object.entries(bundles).find(([, b]) => b.build === 'worker' && module in b.modules)?.[0];
    expect(f, `${module} is in a worker chunk`).toBeTruthy();
    return f!.slice(f!.lastIndexOf('/') + 1);
  };
  const route = chunkOf('src/commands/net-tools/route.ts');
  const completer = chunkOf('src/commands/completion-ip.ts');
  const fetched: string[] = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname.replace(/^.*\//, '')));
  await page.goto('/about/');
  await open(page);
  await run(page, 'echo ready');
  expect(fetched, 'route and the ip completer are not loaded up front').not.toContain(route);
  expect(fetched).not.toContain(completer);
  await run(page, 'route -n');
  expect(await screen(page)).toContain('Kernel IP routing table');
  expect(fetched).toContain(route);
  // Tab completes `ip li` once ip's completer is loaded
  await page.keyboard.type('ip li');
  await page.keyboard.press('Tab');
  await expect.poll(() => screen(page)).toContain('ip link ');
  await run(page, 'show lo');
  expect(await screen(page)).toMatch(/1: lo: <LOOPBACK/);
  expect(fetched).toContain(completer);
});

test('the Kubernetes layer is a chunk: a Linux page loads it only when kubectl is typed, a cluster page on start', async ({ page }) => {
  const bundles = readBundles(fileURLToPath(new URL(`../${process.env.NETLAB_OUTDIR || 'dist'}`, import.meta.url)));
  const layer = Object.entries(bundles).find(([, b]) => b.build === 'worker' && 'src/k8s/install.ts' in b.modules)?.[0];
  expect(layer, 'the Kubernetes layer has a worker chunk of its own').toBeTruthy();
  const name = layer!.slice(layer!.lastIndexOf('/') + 1);
  const fetched: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('/' + name)) fetched.push(r.url());
  });

  await page.goto('/about/');
  await open(page);
  await run(page, 'ip -br link show lo');
  expect(fetched, 'a Linux terminal does not load the Kubernetes layer').toEqual([]);
  // kubectl without a cluster answers as the real one does, once its chunk is there
  await run(page, 'kubectl get pods');
  await expect.poll(() => screen(page)).toContain('The connection to the server localhost:8080 was refused - did you specify the right host or port?');
  expect(fetched.length).toBeGreaterThan(0);
  await expect(term(page).locator('.nt-status')).not.toContainText('loading');

  // a cluster scenario's terminal loads the layer before its first prompt answers
  fetched.length = 0;
  await page.goto('/coredns/');
  const cluster = page.locator('netlab-terminal[data-scenario="k8s-cluster"]').first();
  await cluster.scrollIntoViewIfNeeded();
  await cluster.locator('.nt-screen').click();
  await expect(cluster).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
  expect(fetched.length).toBeGreaterThan(0);
  await page.keyboard.type('kubectl get nodes -o name');
  await page.keyboard.press('Enter');
  await expect(cluster).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect.poll(() => cluster.evaluate((el) => (el as unknown as { netlab?: { text(): string } }).netlab?.text() ?? '')).toContain('node/node01');
});

test("the tools lessons type first and the shell's pattern matching are fetched once the shell is ready; a line run at that very moment waits for them and works", async ({ page }) => {
  const dist = fileURLToPath(new URL(`../${process.env.NETLAB_OUTDIR || 'dist'}`, import.meta.url));
  const bundles = readBundles(dist);
  const chunkOf = (test: (module: string) => boolean) => {
    const f = Object.entries(bundles).find(([, b]) => b.build === 'worker' && !b.entry && Object.keys(b.modules).some(test))?.[0];
    expect(f).toBeTruthy();
    return f!.slice(f!.lastIndexOf('/') + 1);
  };
  const tools = chunkOf((m) => m === 'src/commands/ip/index.ts');
  expect(chunkOf((m) => m === 'src/commands/ping.ts'), 'the first tools are one chunk').toBe(tools);
  const fetched: string[] = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname.replace(/^.*\//, '')));
  await page.goto('/about/');
  // the moment the shell says it is ready, before any chunk fetched after it can be there: a tool and a glob
  await page.evaluate(`(() => {
    const el = document.querySelector('netlab-terminal');
    new MutationObserver((_, obs) => {
      if (el.dataset.shell !== 'ready') return;
      obs.disconnect();
      window.__atReady = { fetched: performance.getEntriesByType('resource').map((e) => e.name.replace(/^.*\\//, '')) };
      let out = '';
      window.__firstLine = el.netlab.client.run('ip -br link show lo; case netlab in net*) echo glob-ok;; esac; echo /etc/host*', (c) => (out += c)).then((r) => ({ ...r, out }));
    }).observe(el, { attributes: true, attributeFilter: ['data-shell'] });
  })()`);
  await open(page);
  const first = (await page.evaluate('window.__firstLine')) as { exitCode: number; out: string };
  expect(first.out).toMatch(/^lo\s+UNKNOWN\s+00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP>/m);
  expect(first.out).toContain('glob-ok');
  expect(first.out).toContain('/etc/hostname /etc/hosts');
  expect(first.exitCode).toBe(0);
  // fetched after ready, not before it: the first use is what a learner waits for
  const atReady = ((await page.evaluate('window.__atReady')) as { fetched: string[] }).fetched;
  // the tools' chunk and just-bash's regular-expression engine (e2e/bundle-sizes.ts finds them)
  const later = measure(dist).terminalCore.prefetched.map((f) => f.slice(f.lastIndexOf('/') + 1));
  expect(later).toContain(tools);
  expect(later).toHaveLength(2);
  expect(atReady.filter((f) => later.includes(f)), 'loaded before the shell was ready').toEqual([]);
  expect(fetched).toEqual(expect.arrayContaining(later));
});

test('on a slow link, keys typed while the terminal loads are kept and run once the shell is ready (a tool among them)', async ({ page, context }) => {
  // the engine's script is held until the line has been typed: the keys come while the terminal loads however
  // fast the machine is (typing and loading raced before: on a loaded machine the typing lost, once in CI)
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(/\/engine-worker-[^/]*\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/about/');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 170, downloadThroughput: 9e6 / 8, uploadThroughput: 9e6 / 8 });
  await term(page).locator('.nt-screen').click();
  await page.keyboard.type('ip -br link show lo; echo typed-early');
  await page.keyboard.press('Enter');
  // typed before the shell answered (the engine's code was still on its way)
  expect(await term(page).getAttribute('data-shell')).not.toBe('ready');
  release();
  await expect(term(page)).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
  await expect.poll(() => screen(page), { timeout: 30_000 }).toMatch(/^typed-early$/m);
  expect(await screen(page)).toMatch(/^lo\s+UNKNOWN\s+00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP>/m);
});
