// End-to-end tests in Chromium against the built site (npm run test:e2e
// builds it first), served by `astro preview` on 127.0.0.1.
//
// The browser is the system's Chromium (Debian: `apt-get install -y
// chromium`), not a Playwright download. Point CHROMIUM_PATH at another
// Chromium or Chrome binary to use that one instead.
import { statfsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 4329);
const baseURL = `http://127.0.0.1:${port}`;
// a site built for a sub-path (NETLAB_BASE=/netlab/, into NETLAB_OUTDIR): npm run test:e2e:subpath
const base = (process.env.NETLAB_BASE || '/').replace(/^\/*/, '/').replace(/\/*$/, '/');
// a container's /dev/shm is often 64 MB, too little for Chromium's shared memory with two workers' pages: its
// renderers then crash for want of memory, not for anything the site does. Chromium uses /tmp instead there.
const smallShm = (() => {
  try {
    const s = statfsSync('/dev/shm');
    return s.blocks * s.bsize < 512 * 1024 * 1024;
  } catch {
    return false;
  }
})();

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: process.env.E2E_OUTPUT ?? 'test-results',
  // Hang guards, not speed tests (speed is npm run bench's). A shell on a cluster scenario can take tens of seconds
  // to start when the load average is 20-30 on this 2-core machine, and at load 17-19 tests of the map and the
  // drills took up to 40 s: one generous limit for every test (no test lowers it), and every wait for a state
  // (toHaveAttribute, toHaveText, expect.poll...) gets 20 s unless it says more (a shell's start: 60 s).
  timeout: 180_000,
  expect: { timeout: 20_000 },
  // every test has its own browser context (no state carries from one test to the next), so the two workers
  // share out tests, not files: chapters.spec.ts alone is about half of the suite's time
  fullyParallel: true,
  // sized for a 2-core machine (the browser, the site server and the shell workers share it)
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    // the site's service worker precaches the whole course (16 MB) on a first visit: every test's fresh
    // context would do it again, beside the test. Only the offline test lets it run (e2e/workspace.spec.ts).
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        ...(smallShm ? ['--disable-dev-shm-usage'] : []),
      ],
    },
  },
  webServer: {
    command: `node scripts/node-guard.mjs && astro preview --ignore-lock --host 127.0.0.1 --port ${port}`,
    url: `${baseURL}${base}about/`,
    reuseExistingServer: false,
    // astro preview's start (node, astro's modules): seconds quiet, much more under load
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
