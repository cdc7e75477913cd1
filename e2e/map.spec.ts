// The network map (issue 16) on the namespaces chapter: after the book's
// script and a ping, the map shows the four namespaces on v-net-0, highlights
// the path red -> veth-red -> v-net-0 -> veth-blue-br -> blue and back, steps
// with the keyboard, shows MASQUERADE for a ping to the LAN and names a DROP
// rule; its text outline lists the same boxes and links; axe finds nothing.
import { test, expect, type Page, type Locator } from '@playwright/test';
import { axeOf } from './axe';
import { NETNS_SCRIPT } from '../src/labs/scenarios/index';
import { term, screen } from './terminal-helpers';

const PAGE = '/namespaces/';
const map = (page: Page): Locator => term(page).locator('.nt-map');

async function paste(page: Page, text: string): Promise<void> {
  await term(page).locator('.xterm-helper-textarea').evaluate((ta, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** run a line and wait for its output */
async function run(page: Page, line: string, until: RegExp): Promise<void> {
  await paste(page, `${line}\n`);
  await expect.poll(async () => screen(page), { timeout: 20_000 }).toMatch(until);
}

// the book's script, then green and yellow the same way: four namespaces on v-net-0
const FOUR = [
  ...NETNS_SCRIPT,
  ...[
    ['green', 4],
    ['yellow', 5],
  ].flatMap(([n, i]) => [
    `ip netns add ${n}`,
    `ip link add veth-${n} type veth peer name veth-${n}-br`,
    `ip link set veth-${n} netns ${n}`,
    `ip link set veth-${n}-br master v-net-0`,
    `ip -n ${n} addr add 192.168.15.${i}/24 dev veth-${n}`,
    `ip -n ${n} link set veth-${n} up`,
    `ip link set veth-${n}-br up`,
  ]),
  'echo script-done',
];

const box = (page: Page, label: string): Locator => map(page).locator('g.nm-box', { has: page.locator(`text.nm-label`, { hasText: new RegExp(`^${label}( \\(bridge\\))?$`) }) });
const link = (page: Page, label: string | RegExp): Locator => map(page).locator('g.nm-link', { has: page.locator('title', { hasText: label }) });

// each test has a fresh browser context: nothing is saved yet
test.beforeEach(async ({ page }) => {
  await page.goto(PAGE);
});

test('the map of the namespace lab: four namespaces on v-net-0, the ping path, stepping, MASQUERADE, a DROP rule, axe', async ({ page }) => {
  await term(page).locator('button[data-action="map"]').click();
  await expect(term(page)).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
  await expect(map(page).locator('.nm')).toHaveAttribute('data-ready', /\d+/);
  await expect(term(page).locator('button[data-action="map"]')).toHaveAttribute('aria-pressed', 'true');
  await paste(page, FOUR.join('\n') + '\n');
  await expect.poll(async () => screen(page), { timeout: 40_000 }).toMatch(/^script-done$/m);
  await run(page, 'ip netns exec red ping -c1 192.168.15.3', /1 packets transmitted, 1 received/);
  await expect(map(page).locator('li.nm-step').first()).toHaveText(/^red send ICMP echo request 192\.168\.15\.2 > 192\.168\.15\.3, route 192\.168\.15\.0\/24 dev veth-red src 192\.168\.15\.2/);

  for (const n of ['red', 'blue', 'green', 'yellow']) {
    await expect(box(page, n)).toHaveCount(1);
    await expect(link(page, `veth pair: veth-${n} — veth-${n}-br`)).toHaveCount(1);
  }
  await expect(box(page, 'v-net-0')).toHaveCount(1);
  // the path, there and back
  for (const b of ['red', 'v-net-0', 'blue']) await expect(box(page, b)).toHaveClass(/nm-path/);
  for (const l of ['veth-red — veth-red-br', 'veth-blue — veth-blue-br']) await expect(link(page, l)).toHaveClass(/nm-path/);
  await expect(box(page, 'green')).not.toHaveClass(/nm-path/);
  const steps = map(page).locator('li.nm-step');
  const texts = await steps.allTextContents();
  const at = (re: RegExp, from = 0) => texts.findIndex((t, i) => i >= from && re.test(t));
  const order = [at(/^red out veth-red ICMP echo request/), at(/bridge v-net-0: FDB \S+ -> port veth-blue-br$/), at(/^blue deliver ICMP echo request/), at(/^blue out veth-blue ICMP echo reply/), at(/bridge v-net-0: .*-> port veth-red-br$/), at(/^red deliver ICMP echo reply/)];
  expect(order.every((i) => i >= 0), texts.join('\n')).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);

  // keyboard stepping: the first step is current; arrows move, the map follows
  await expect(steps.nth(0)).toHaveAttribute('aria-current', 'step');
  await expect(box(page, 'red')).toHaveClass(/nm-hot/);
  await map(page).locator('.nm-step-list').focus();
  await page.keyboard.press('End');
  await expect(steps.last()).toHaveAttribute('aria-current', 'step');
  await expect(box(page, 'red')).toHaveClass(/nm-hot/);
  await expect(box(page, 'blue')).not.toHaveClass(/nm-hot/);
  await page.keyboard.press('ArrowUp');
  await expect(steps.nth(texts.length - 2)).toHaveAttribute('aria-current', 'step');
  await map(page).getByRole('button', { name: 'Previous step' }).click();
  await expect(steps.nth(texts.length - 3)).toHaveAttribute('aria-current', 'step');

  // the text alternative lists the same boxes and links as the drawing
  const outlineBoxes = await map(page).locator('.nm-outline-boxes > li').count();
  const outlineLinks = await map(page).locator('.nm-outline-links > li').count();
  expect(outlineBoxes).toBe(await map(page).locator('g.nm-box').count());
  expect(outlineLinks).toBe(await map(page).locator('g.nm-link').count());
  const drawn = await map(page).locator('g[data-id]').evaluateAll((els) => els.map((e) => (e as SVGElement).dataset.id).sort());
  const listed = await map(page).locator('.nm-outline li[data-id]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id).sort());
  expect(listed).toEqual(drawn);
  await expect(map(page).locator('.nm-outline-links')).toContainText('veth pair veth-red — veth-red-br: red to v-net-0');

  // axe on the open map
  await map(page).locator('details.nm-outline summary').click();
  const axe = await axeOf(page).include('netlab-terminal .nt-map').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  // a ping to the LAN: the MASQUERADE step of POSTROUTING
  await run(page, 'ip netns exec red ping -c1 192.168.1.3', /192\.168\.1\.3 ping statistics[\s\S]*1 received/);
  await expect(map(page).locator('li.nm-step', { hasText: 'nat POSTROUTING: rule 1 MASQUERADE (-A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE)' })).toHaveCount(1);

  // a DROP rule in FORWARD: the step names the rule and its chain
  await run(page, 'iptables -A FORWARD -d 192.168.1.3 -j DROP', /iptables -A FORWARD -d 192\.168\.1\.3 -j DROP\n/);
  await run(page, 'ip netns exec red ping -c1 -W1 192.168.1.3', /1 packets transmitted, 0 received/);
  await expect(map(page).locator('li.nm-step', { hasText: 'filter FORWARD: rule 1 DROP (-A FORWARD -d 192.168.1.3/32 -j DROP)' })).toHaveCount(1);
  await expect(box(page, 'lan')).not.toHaveClass(/nm-path/);
});

test('at phone width (390x844) the map stacks below the terminal and stays usable', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await term(page).locator('button[data-action="map"]').click();
  await expect(term(page)).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
  await expect(map(page).locator('.nm')).toHaveAttribute('data-ready', /\d+/);
  await paste(page, NETNS_SCRIPT.join('\n') + '\necho script-done\n');
  await expect.poll(async () => screen(page), { timeout: 40_000 }).toMatch(/^script-done$/m);
  await run(page, 'ip netns exec red ping -c1 192.168.15.3', /1 packets transmitted, 1 received/);
  await expect(map(page).locator('li.nm-step').first()).toHaveText(/^red send ICMP echo request/);
  // stacked: the map starts below the terminal's screen, both within the viewport's width; the page does not scroll sideways
  const scr = (await term(page).locator('.nt-screen').boundingBox())!;
  const m = (await map(page).boundingBox())!;
  expect(m.y).toBeGreaterThanOrEqual(scr.y + scr.height - 1);
  expect(m.x).toBeGreaterThanOrEqual(0);
  expect(m.x + m.width).toBeLessThanOrEqual(390);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  // usable: the buttons are in view and work by touch-sized clicks, the drawing scrolls inside its box
  const next = map(page).getByRole('button', { name: 'Next step' });
  await next.scrollIntoViewIfNeeded();
  const nb = (await next.boundingBox())!;
  expect(nb.x + nb.width).toBeLessThanOrEqual(390);
  expect(nb.height).toBeGreaterThanOrEqual(24);
  await next.click();
  await expect(map(page).locator('li.nm-step').nth(1)).toHaveAttribute('aria-current', 'step');
  const d = map(page).locator('.nm-drawing');
  expect(await d.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
  const fit = map(page).getByRole('button', { name: 'Fit the drawing' });
  await fit.click();
  await expect(fit).toHaveAttribute('aria-pressed', 'true');
  expect(await d.evaluate((e) => e.scrollWidth <= e.clientWidth + 1)).toBe(true);
  await expect(box(page, 'red')).toHaveClass(/nm-path/);
});

test('a reload with the map open: the map closes cleanly, no errors, and opens again on the restored state', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await term(page).locator('button[data-action="map"]').click();
  await expect(term(page)).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
  await expect(map(page).locator('.nm')).toHaveAttribute('data-ready', /\d+/);
  await run(page, 'ip netns add red; echo added', /^added$/m);
  await expect(box(page, 'red')).toHaveCount(1);
  await page.reload();
  await expect(term(page).locator('button[data-action="map"]')).toHaveAttribute('aria-pressed', 'false');
  await expect(map(page)).toBeHidden();
  await expect(term(page)).not.toHaveAttribute('data-map', /.*/);
  await term(page).locator('button[data-action="map"]').click();
  await expect(term(page)).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
  await expect(map(page).locator('.nm')).toHaveAttribute('data-ready', /\d+/);
  await expect(box(page, 'red')).toHaveCount(1);
  // closing it again leaves the terminal as it was
  await term(page).locator('button[data-action="map"]').click();
  await expect(map(page)).toBeHidden();
  await expect(term(page).locator('button[data-action="map"]')).toHaveAttribute('aria-pressed', 'false');
  expect(errors).toEqual([]);
});

test("the chapter's map diagram comes alive when its terminal starts, and follows each command", async ({ page }) => {
  const fig = page.locator('[data-live-map="netns-lab-solved"]');
  const t = page.locator('netlab-terminal[data-scenario="netns-lab-solved"]');
  // static at first: the build-time drawing, no terminal code asked for
  await expect(fig.locator('figure svg')).toHaveCount(1);
  await expect(fig.locator('.nm-svg')).toHaveCount(0);
  await expect(fig).not.toHaveAttribute('data-live', /.*/);
  const staticBoxes = await fig.locator('g.nl-map-box').count();
  expect(staticBoxes).toBeGreaterThan(5);
  await t.locator('.nt-screen').click();
  await expect(t).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
  await expect(fig).toHaveAttribute('data-live', /\d+/);
  await expect(fig.locator('figure svg.nm-svg g.nm-box')).toHaveCount(staticBoxes);
  await expect(fig.locator('figure svg')).toHaveCount(1);
  // a command in that terminal: a new namespace on the diagram and in its text alternative
  await t.locator('.xterm-helper-textarea').evaluate((ta, text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, 'ip netns add purple\n');
  const purple = fig.locator('g.nm-box', { has: page.locator('text.nm-label', { hasText: /^purple$/ }) });
  await expect(purple).toHaveCount(1);
  await fig.locator('details summary').click();
  await expect(fig.locator('.nm-outline-boxes > li', { hasText: /^namespace purple$/ })).toHaveCount(1);
  const drawn = await fig.locator('g[data-id]').count();
  expect(await fig.locator('details li[data-id]').count()).toBe(drawn);
  const axe = await axeOf(page).include('[data-live-map]').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

// ---------------------------------------------------------------- the cluster (service-networking's k8s-cluster terminal)

/** a box by its whole label as drawn ("web (pod)", "cni0 (bridge)") */
const boxOf = (page: Page, label: string): Locator => map(page).locator('g.nm-box', { has: page.locator('text.nm-label', { hasText: new RegExp(`^${label.replace(/[()]/g, '\\$&')}$`) }) });
const CLUSTER_PAGE = '/service-networking/';
/** a pod pinned to a node (the scheduler keeps pods off the tainted control plane) */
const pod = (name: string, node: string, image: string, cmd = '') =>
  `echo '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"${name}","labels":{"app":"${name}"}},"spec":{"nodeName":"${node}","containers":[{"name":"${name}","image":"${image}"${cmd}}]}}' | kubectl apply -f -`;

async function openMap(page: Page): Promise<void> {
  await term(page).locator('button[data-action="map"]').click();
  await expect(term(page)).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
  await expect(map(page).locator('.nm')).toHaveAttribute('data-ready', /\d+/, { timeout: 30_000 });
}

test.describe('on a cluster', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto(CLUSTER_PAGE);
  });

  test('kubectl exec client -- wget -qO- web: the DNAT through KUBE-SEP and the VXLAN crossing to node01, on the map and in the steps', async ({ page }) => {
    await openMap(page);
    await paste(page, [pod('web', 'node01', 'nginx'), pod('client', 'controlplane', 'busybox', ',"command":["sleep","3600"]'), 'kubectl expose pod web --port=80', 'sleep 30', 'echo cluster-ready'].join('\n') + '\n');
    await expect.poll(async () => screen(page), { timeout: 60_000 }).toMatch(/^cluster-ready$/m);
    await run(page, 'kubectl exec client -- wget -qO- web', /Thank you for using nginx/);
    const steps = map(page).locator('li.nm-step');
    await expect(steps.first()).toHaveText(/^client send TCP /);
    const texts = await steps.allTextContents();
    const at = (re: RegExp) => texts.findIndex((t) => re.test(t));
    const dnat = at(/^controlplane netfilter nat (PREROUTING|OUTPUT) -> KUBE-SERVICES -> KUBE-SVC-\w+ -> KUBE-SEP-\w+: rule \d+ DNAT \(-A KUBE-SEP-\w+ .*--to-destination [\d.]+:80\)$/);
    const encap = at(/^controlplane vxlan encap VNI 1 /);
    const decap = at(/^node01 vxlan decap VNI 1 /);
    const arrive = at(/^web deliver TCP /);
    expect([dnat, encap, decap, arrive].every((i) => i >= 0), texts.join('\n')).toBe(true);
    expect([dnat, encap, decap, arrive]).toEqual([...[dnat, encap, decap, arrive]].sort((a, b) => a - b));
    // on the map: client, its node, the overlay, node01, web and back; the Service and its endpoint lit by the DNAT
    for (const b of ['client (pod)', 'controlplane', 'node01', 'web (pod)']) await expect(boxOf(page, b)).toHaveClass(/nm-path/);
    const vxlan = map(page).locator('g.nm-link.nm-vxlan');
    await expect(vxlan).toHaveCount(1);
    await expect(vxlan).toHaveClass(/nm-path/);
    const svc = map(page).locator('g.nm-box.nm-service', { has: page.locator('text.nm-label', { hasText: /^web$/ }) });
    await expect(svc).toHaveClass(/nm-path/);
    // stepping to the DNAT lights the Service; to the encapsulation, the overlay
    await map(page).locator('.nm-step-list').focus();
    await page.keyboard.press('Home');
    for (let i = 0; i < dnat; i++) await page.keyboard.press('ArrowDown');
    await expect(steps.nth(dnat)).toHaveAttribute('aria-current', 'step');
    await expect(svc).toHaveClass(/nm-hot/);
    for (let i = dnat; i < encap; i++) await page.keyboard.press('ArrowDown');
    await expect(vxlan).toHaveClass(/nm-hot/);
  });

  test('nodes frame their pods, a NetworkPolicy shields the pods it selects, the outline says the same, axe in both themes', async ({ page }) => {
    await openMap(page);
    const policy = `echo '{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"web-in"},"spec":{"podSelector":{"matchLabels":{"app":"web"}},"policyTypes":["Ingress"],"ingress":[{"from":[{"podSelector":{"matchLabels":{"app":"client"}}}]}]}}' | kubectl apply -f -`;
    await paste(page, [pod('web', 'node01', 'nginx'), pod('client', 'controlplane', 'busybox', ',"command":["sleep","3600"]'), 'kubectl expose pod web --port=80', policy, 'sleep 30', 'echo cluster-ready'].join('\n') + '\n');
    await expect.poll(async () => screen(page), { timeout: 60_000 }).toMatch(/^cluster-ready$/m);
    const web = boxOf(page, 'web (pod)');
    const client = boxOf(page, 'client (pod)');
    await expect(web).toHaveCount(1);
    // the shield, named by its title, on web only
    await expect(web.locator('g.nm-shield title')).toHaveText('NetworkPolicy: web-in');
    await expect(client.locator('g.nm-shield')).toHaveCount(0);
    await expect(map(page).locator('g.nm-shield')).toHaveCount(1);
    // one frame per node, each around its own pods and host
    const frames = map(page).locator('g.nm-frame');
    await expect(frames).toHaveCount(2);
    const rect = async (l: Locator) => (await l.boundingBox())!;
    const within = async (b: Locator, f: Locator) => {
      const [x, y] = [await rect(b), await rect(f)];
      return x.x >= y.x && x.y >= y.y && x.x + x.width <= y.x + y.width && x.y + x.height <= y.y + y.height;
    };
    const frame = (n: string) => map(page).locator('g.nm-frame', { has: page.locator('text', { hasText: new RegExp(`^node ${n}$`) }) });
    expect(await within(web, frame('node01'))).toBe(true);
    expect(await within(boxOf(page, 'node01'), frame('node01'))).toBe(true);
    expect(await within(client, frame('controlplane'))).toBe(true);
    expect(await within(web, frame('controlplane'))).toBe(false);
    // the Service as a virtual box, linked to its endpoint
    const svc = map(page).locator('g.nm-box.nm-service', { has: page.locator('text.nm-label', { hasText: /^web$/ }) });
    await expect(svc).toHaveCount(1);
    await expect(svc).toContainText(/ClusterIP 10\.\d+\.\d+\.\d+ 80\/TCP/);
    await expect(link(page, /^endpoint: 10\.244\.1\.\d+$/)).toHaveCount(1);
    // the text outline: the same boxes and links, the shield and the nodes
    const drawn = await map(page).locator('g[data-id]').evaluateAll((els) => els.map((e) => (e as SVGElement).dataset.id).sort());
    const listed = await map(page).locator('.nm-outline li[data-id]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id).sort());
    expect(listed).toEqual(drawn);
    await map(page).locator('details.nm-outline summary').click();
    await expect(map(page).locator('.nm-outline-boxes > li', { hasText: /^pod web/ })).toContainText('shielded by NetworkPolicy web-in');
    await expect(map(page).locator('.nm-outline-nodes > li', { hasText: /^node node01: / })).toContainText(/\bweb\b/);
    await expect(map(page).locator('.nm-outline-nodes > li', { hasText: /^node controlplane: / })).toContainText(/\bclient\b/);
    // routes on demand: the toggle lists each namespace's routes in the outline
    await map(page).getByRole('button', { name: 'Show routes' }).click();
    await expect(map(page).locator('.nm-outline-boxes > li', { hasText: /^pod client/ })).toContainText('route default via 10.244.0.1 dev eth0');
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      const axe = await axeOf(page).include('netlab-terminal .nt-map').analyze();
      expect(axe.violations.map((v) => `${theme} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
  });
});
