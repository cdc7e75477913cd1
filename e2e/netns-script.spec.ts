// The book's network-namespace script, pasted at once into a chapter
// terminal: afterwards the namespaces reach each other through the bridge.
import { test, expect, type Page } from '@playwright/test';
import { NETNS_SCRIPT } from '../src/labs/scenarios/index';
import { term, screen, open } from './terminal-helpers';

const PAGE = '/about/';

// the book's whole script, with the omissions it mentions fixed (the same lines the scenarios use)
const SCRIPT = NETNS_SCRIPT;

async function paste(page: Page, text: string): Promise<void> {
  await page.locator('.xterm-helper-textarea').evaluate((ta, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

// each test has a fresh browser context: nothing is saved yet
test.beforeEach(async ({ page }) => {
  await page.goto(PAGE);
});

test('the namespace script pasted at once builds a working bridge network', async ({ page }) => {
  await open(page);
  await paste(page, SCRIPT.join('\n') + '\n');
  // every line ran and the prompt is back after the last one
  await expect.poll(async () => (await screen(page)).includes('# ip link set veth-blue-br up'), { timeout: 20_000 }).toBe(true);
  await expect(term(page)).toHaveAttribute('data-state', 'ready');
  await page.keyboard.type('ip netns exec red ping -c 2 192.168.15.3');
  await page.keyboard.press('Enter');
  await expect.poll(async () => screen(page), { timeout: 20_000 }).toMatch(/2 packets transmitted, 2 received, 0% packet loss/);
  const text = await screen(page);
  expect(text).toMatch(/64 bytes from 192\.168\.15\.3: icmp_seq=1 ttl=64 time=/);
  // no line of the script complained
  expect(text).not.toMatch(/RTNETLINK|Cannot find device|does not exist|command not found/);
});
