// The terminal's saves: unreadable ones kept aside, quota failures keep the last good save, other terminals'
// saves given up oldest first (a Storage with a quota stands for the browser's localStorage).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backupKey, clear, hasBackup, load, loadChecked, restoreBackup, save, SAVED_AT_KEY, savedText, undoKey, type Saved } from './store';
import { STORE_PREFIX } from './keys';
import { worldAsText } from '../../shell/snapshot-text';
import { saveNotice } from './save-notice';
import { Session } from '../../shell/session';
import { getScenario } from '../../labs/scenarios/index';

class QuotaStorage {
  private m = new Map<string, string>();
  constructor(public quota: number) {}
  get length() {
    return this.m.size;
  }
  key(i: number) {
    return [...this.m.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    const used = [...this.m].reduce((n, [a, b]) => n + (a === k ? 0 : a.length + b.length), 0);
    if (used + k.length + v.length > this.quota) throw new DOMException('full', 'QuotaExceededError');
    this.m.set(k, v);
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
  clear() {
    this.m.clear();
  }
}

const snapshot = (world = '{"version":1}') => ({ version: 1 as const, scenario: 'blank', host: 'controlplane', world, cwd: '/root', env: { PATH: '/bin' }, functions: {}, history: ['ip a'] });
const saved = (extra: Partial<Saved> = {}): Saved => ({ v: 1, scenario: 'blank', snapshot: snapshot(), undo: [], screen: 'root@controlplane:~# ip a\r\n', ...extra });
const KEY = `${STORE_PREFIX}/chapter/#t1`;
let store: QuotaStorage;

beforeEach(() => {
  store = new QuotaStorage(100_000);
  (globalThis as { localStorage?: unknown }).localStorage = store;
});
afterEach(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

describe('terminal saves', () => {
  it('round-trips a save; another scenario or host is not used and not touched', () => {
    expect(save(KEY, saved(), 'root@controlplane:~# ').status).toBe('ok');
    expect(load(KEY, 'blank')?.snapshot.history).toEqual(['ip a']);
    expect(loadChecked(KEY, 'other').status).toBe('other');
    expect(loadChecked(KEY, 'blank', 'node1').status).toBe('other');
    expect(hasBackup(KEY)).toBe(false);
  });

  it("stores a snapshot's world as an object (not quoted text) and reads it back as the world's text; a save that quotes it (earlier builds) reads the same", () => {
    const world = '{"version":1,"hosts":{"a":{"x":"q\\"y"}},"n":[1,2.5,null]}';
    const step = { line: 'ip a', snapshot: snapshot(world) };
    expect(save(KEY, saved({ snapshot: snapshot(world), undo: [step] }), 'root@controlplane:~# ').status).toBe('ok');
    const text = store.getItem(KEY)!;
    expect(text).toContain(`"world":${world}`);
    const stepKey = [...Array(store.length).keys()].map((i) => store.key(i)!).find((k) => k.startsWith(`${KEY}:undo:`))!;
    expect(store.getItem(stepKey)).toContain(`"world":${world}`);
    const back = load(KEY, 'blank')!;
    expect(back.snapshot.world).toBe(world);
    expect(back.undo.map((u) => u.snapshot.world)).toEqual([world]);
    // an earlier build's save: the world quoted, its step inline
    store.setItem(KEY, JSON.stringify(saved({ snapshot: snapshot(world), undo: [step] })));
    const old = load(KEY, 'blank')!;
    expect(old.snapshot).toEqual(snapshot(world));
    expect(old.undo.map((u) => u.snapshot.world)).toEqual([world]);
    // the new form with an inline step (savedText) reads back too
    store.setItem(KEY, savedText(saved({ snapshot: snapshot(world), undo: [{ line: 'x', snapshot: snapshot(world) }] })));
    expect(load(KEY, 'blank')!.undo.map((u) => u.snapshot.world)).toEqual([world]);
  });

  it.each([
    ['not JSON', '{"v":1,'],
    ['env {"PATH":5}', JSON.stringify({ ...saved(), snapshot: { ...snapshot(), env: { PATH: 5 } } })],
    ['history not a list', JSON.stringify({ ...saved(), snapshot: { ...snapshot(), history: 'x' } })],
    ['an undo step without a snapshot', JSON.stringify({ ...saved(), undo: [{ line: 'ip a' }] })],
    ['a relative cwd', JSON.stringify({ ...saved(), snapshot: { ...snapshot(), cwd: 'root' } })],
  ])('an unreadable save (%s) is kept under the backup key, never dropped', (_what, raw) => {
    store.setItem(KEY, raw);
    const r = loadChecked(KEY, 'blank');
    expect(r.status).toBe('corrupt');
    expect(store.getItem(backupKey(KEY))).toBe(raw);
    // a later save overwrites the terminal's key, the backup stays; a second bad load does not replace the first backup
    save(KEY, saved(), '# ');
    expect(store.getItem(backupKey(KEY))).toBe(raw);
    store.setItem(KEY, 'garbage');
    loadChecked(KEY, 'blank');
    expect(store.getItem(backupKey(KEY))).toBe(raw);
    // Restore backup puts it back as the save
    expect(restoreBackup(KEY)).toBe(true);
    expect(store.getItem(KEY)).toBe(raw);
    expect(hasBackup(KEY)).toBe(false);
  });

  it('a save the quota refuses leaves the last good save in place and says so', () => {
    store.quota = 2_000;
    expect(save(KEY, saved(), '# ').status).toBe('ok');
    const before = store.getItem(KEY);
    const r = save(KEY, saved({ snapshot: snapshot(JSON.stringify({ version: 1, pad: 'x'.repeat(5_000) })) }), '# ');
    expect(r).toEqual({ status: 'quota', evicted: [] });
    expect(store.getItem(KEY)).toBe(before);
    expect(load(KEY, 'blank')).not.toBeNull();
  });

  it('drops the undo steps, then the screen, before anything else', () => {
    const step = { line: 'ip a', snapshot: snapshot(JSON.stringify({ version: 1, pad: 'u'.repeat(3_000) })) };
    store.quota = 2_500;
    const r = save(KEY, saved({ undo: [step], screen: 's'.repeat(400) }), '# ');
    expect(r.status).toBe('trimmed');
    expect(load(KEY, 'blank')!.undo).toEqual([]);
    expect(load(KEY, 'blank')!.screen).toBe('s'.repeat(400));
  });

  it("gives up other terminals' saves, oldest first, when nothing else makes room", () => {
    store.quota = 6_000;
    const others = ['a', 'b', 'c'].map((x) => `${STORE_PREFIX}/page-${x}/#t1`);
    for (const k of others) {
      expect(save(k, saved({ snapshot: snapshot(JSON.stringify({ version: 1, pad: 'o'.repeat(1_200) })) }), '# ').status).toBe('ok');
    }
    // b is the oldest, then a, then c
    const at = JSON.parse(store.getItem(SAVED_AT_KEY)!) as Record<string, number>;
    at[others[1]!] = 1;
    at[others[0]!] = 2;
    store.setItem(SAVED_AT_KEY, JSON.stringify(at));
    const r = save(KEY, saved({ snapshot: snapshot(JSON.stringify({ version: 1, pad: 'n'.repeat(3_500) })) }), '# ');
    expect(r.status).toBe('ok');
    expect(r.evicted).toEqual([others[1], others[0]]);
    expect(store.getItem(others[2]!)).not.toBeNull();
    expect(load(KEY, 'blank')).not.toBeNull();
  });

  it('without storage (disabled by privacy settings) says it is unavailable', () => {
    delete (globalThis as { localStorage?: unknown }).localStorage;
    expect(save(KEY, saved(), '# ').status).toBe('unavailable');
    expect(loadChecked(KEY, 'blank').status).toBe('none');
  });

  it('a save names its undo steps; each is stored once, under its own key, and encoded once', () => {
    let reads = 0;
    const counted = (world: string) => {
      const s = snapshot(world);
      return Object.defineProperty({ ...s }, 'world', { enumerable: true, get: () => (reads++, world) }) as ReturnType<typeof snapshot>;
    };
    const steps = [1, 2, 3].map((i) => ({ line: `ip link add d${i} type dummy`, snapshot: counted(`{"version":2,"n":${i}}`) }));
    const s = saved({ snapshot: counted('{"version":2,"n":4}'), undo: steps });
    const plain = JSON.parse(JSON.stringify(s)) as Saved;
    reads = 0;
    expect(save(KEY, s, '# ').status).toBe('ok');
    expect(reads).toBe(4); // the current state and the three steps, once each
    // the inline form (earlier builds' saves, here with the worlds as objects) reads back as it was
    const read = (text: string) => {
      const o = JSON.parse(text) as Saved;
      return { ...o, snapshot: worldAsText(o.snapshot), undo: o.undo.map((u) => ({ ...u, snapshot: worldAsText(u.snapshot) })) };
    };
    expect(read(savedText(s))).toEqual(plain);
    expect(read(savedText(s, 2))).toEqual({ ...plain, undo: plain.undo.slice(-2) });
    expect(read(savedText(s, 0, false))).toEqual({ ...plain, undo: [], screen: '' });
    const mine = store.getItem(KEY)!;
    store.setItem(KEY, savedText(s));
    expect(load(KEY, 'blank')).toEqual(plain);
    store.setItem(KEY, mine);
    expect(load(KEY, 'blank')).toEqual(plain);
    const text = JSON.parse(store.getItem(KEY)!) as { undo: { line: string; at: string }[] };
    expect(text.undo.map((u) => u.line)).toEqual(steps.map((u) => u.line));
    for (const [i, u] of text.undo.entries()) expect(worldAsText(JSON.parse(store.getItem(undoKey(KEY, u.at))!))).toEqual(plain.undo[i]!.snapshot);

    // the next command: its state and one new step (the state before it, already encoded) are all that is written
    reads = 0;
    const written: string[] = [];
    const setItem = store.setItem.bind(store);
    store.setItem = (k: string, v: string) => (written.push(k), setItem(k, v));
    const next = saved({ snapshot: counted('{"version":2,"n":5}'), undo: [...steps, { line: 'x', snapshot: s.snapshot }] });
    expect(save(KEY, next, '# ').status).toBe('ok');
    expect(reads).toBe(1); // only the new current state was encoded
    expect(written.filter((k) => k.includes(':undo:'))).toHaveLength(1);
    expect(load(KEY, 'blank')?.undo).toEqual(JSON.parse(JSON.stringify(next.undo)));

    // beyond ten steps the oldest keys go; Reset (clear) removes every one
    let cur = next;
    for (let i = 6; i < 20; i++) cur = saved({ snapshot: snapshot(`{"version":2,"n":${i}}`), undo: [...cur.undo, { line: `l${i}`, snapshot: cur.snapshot }] });
    save(KEY, cur, '# ');
    const stepKeys = () => [...Array(store.length).keys()].map((i) => store.key(i)!).filter((k) => k.includes(':undo:'));
    expect(stepKeys()).toHaveLength(10);
    expect(load(KEY, 'blank')?.undo.map((u) => u.line)).toEqual(cur.undo.slice(-10).map((u) => u.line));
    clear(KEY);
    expect(stepKeys()).toEqual([]);
  });

  it('a step that is gone or unreadable ends the undo list there; a save naming a bad step id is kept aside', () => {
    const steps = [1, 2, 3].map((i) => ({ line: `l${i}`, snapshot: snapshot(`{"version":2,"n":${i}}`) }));
    expect(save(KEY, saved({ undo: steps }), '# ').status).toBe('ok');
    const ids = (JSON.parse(store.getItem(KEY)!) as { undo: { at: string }[] }).undo.map((u) => u.at);
    store.setItem(undoKey(KEY, ids[1]!), '{"version":1,"env":{"PATH":5}}');
    expect(load(KEY, 'blank')?.undo.map((u) => u.line)).toEqual(['l3']);
    store.removeItem(undoKey(KEY, ids[2]!));
    expect(load(KEY, 'blank')?.undo).toEqual([]);
    const raw = store.getItem(KEY)!.replace(`"at":"${ids[0]}"`, '"at":"../x"');
    store.setItem(KEY, raw);
    expect(loadChecked(KEY, 'blank').status).toBe('corrupt');
    expect(store.getItem(backupKey(KEY))).toBe(raw);
  });

  it("another terminal's steps are not a save to give up, and go with it", () => {
    store.quota = 9_000;
    const other = `${STORE_PREFIX}/page-a/#t1`;
    const pad = (c: string, n: number) => snapshot(JSON.stringify({ version: 1, pad: c.repeat(n) }));
    expect(save(other, saved({ snapshot: pad('o', 1_000), undo: [{ line: 'a', snapshot: pad('p', 1_000) }] }), '# ').status).toBe('ok');
    const r = save(KEY, saved({ snapshot: pad('n', 7_000) }), '# ');
    expect(r).toEqual({ status: 'ok', evicted: [other] });
    expect([...Array(store.length).keys()].map((i) => store.key(i)!).filter((k) => k.startsWith(other))).toEqual([]);
  });

  it('a learner with many saved cluster terminals near the quota: the oldest are given up, one by one, and the terminal says so', async () => {
    // the browser's quota for a site's storage (Chromium: 5 Mi UTF-16 code units, keys included)
    store.quota = 5 * 1024 * 1024;
    let now = 1_000;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => now++);
    try {
      const cluster = await Session.create({ scenario: getScenario('k8s-cluster-3node') });
      await cluster.run('kubectl create deployment web --image=nginx --replicas=3');
      const terminal = (page: number) => `${STORE_PREFIX}/chapter-${page}/#t1`;
      const clusterSave = saved({ scenario: 'k8s-cluster-3node', snapshot: cluster.snapshot(), screen: 'root@controlplane:~# ' });
      // pages' cluster terminals saved one after another until the storage is nearly full: all saved, nothing said
      let page = 0;
      for (;;) {
        const r = save(terminal(page), clusterSave, '# ');
        if (r.evicted.length > 0 || r.status !== 'ok') {
          // the first save that did not fit gave up the oldest terminal's save, and only it
          expect(r).toEqual({ status: 'ok', evicted: [terminal(0)] });
          expect(saveNotice(r)).toBe('Saved. To make room, the saved terminal of 1 other page was removed, oldest first.');
          break;
        }
        expect(saveNotice(r)).toBeNull();
        page++;
        expect(page).toBeLessThan(100);
      }
      // each cluster save is within issue 12's 250 KB, so a learner keeps about twenty of them
      expect(page).toBeGreaterThanOrEqual(20);
      expect(load(terminal(0), 'k8s-cluster-3node')).toBeNull();
      expect(load(terminal(page), 'k8s-cluster-3node')!.snapshot.world).toBe(clusterSave.snapshot.world);
      // the next one gives up the next oldest
      const next = save(terminal(page + 1), clusterSave, '# ');
      expect(next.evicted).toEqual([terminal(1)]);
      // a terminal whose save is bigger than the whole quota: nothing is given up for nothing, the last save stays
      const before = store.getItem(terminal(2));
      const huge = save(terminal(2), saved({ snapshot: snapshot(JSON.stringify({ version: 1, pad: 'x'.repeat(store.quota) })) }), '# ');
      expect(huge.status).toBe('quota');
      expect(huge.evicted).toEqual([]);
      // (before, it gave up every other terminal's save and then failed all the same)
      for (const p of [2, 3, page, page + 1]) expect(load(terminal(p), 'k8s-cluster-3node'), `page ${p}`).not.toBeNull();
      expect(saveNotice(huge)).toMatch(/^Your terminal could not be saved: this site's storage in the browser is full\. The last save is kept\./);
      expect(store.getItem(terminal(2))).toBe(before);
    } finally {
      clock.mockRestore();
    }
  });

  it("a cluster save made by main before the world was stored as an object still loads and restores; saved again (the world as an object) it restores to the same state, and is shorter", async () => {
    store = new QuotaStorage(5_000_000);
    (globalThis as { localStorage?: unknown }).localStorage = store;
    // a k8s-cluster snapshot saved by main e91ca5a (its world quoted as a string), in a save as that build wrote it
    const oldSnapshot = gunzipSync(readFileSync(new URL('../../../fixtures/saves/k8s-cluster-before-sibling-delta.json.gz', import.meta.url))).toString('utf8');
    expect(typeof JSON.parse(oldSnapshot).world).toBe('string');
    store.setItem(KEY, `{"v":1,"scenario":"k8s-cluster","snapshot":${oldSnapshot},"undo":[],"screen":""}`);
    const old = load(KEY, 'k8s-cluster')!;
    expect(old.snapshot).toEqual(JSON.parse(oldSnapshot));
    const back = await Session.restore(old.snapshot, { untrusted: true });
    const now = back.snapshot();
    expect(save(KEY, { v: 1, scenario: 'k8s-cluster', snapshot: now, undo: [{ line: 'ip a', snapshot: old.snapshot }], screen: '' }, '# ').status).toBe('ok');
    expect(store.getItem(KEY)!).toContain('"world":{"version":2,');
    const again = load(KEY, 'k8s-cluster')!;
    expect(again.snapshot).toEqual(now);
    expect(again.undo[0]!.snapshot).toEqual(old.snapshot);
    const twice = await Session.restore(again.snapshot, { untrusted: true });
    expect(twice.world.state).toEqual(JSON.parse(JSON.stringify(back.world.state)));
    for (const r of ['kubectl get pods -A -o wide', 'iptables-save', 'crictl ps -a']) expect((await twice.run(r)).output, r).toBe((await back.run(r)).output);
    // a fresh k8s-calico terminal: the stored text is ~11% shorter than with the world quoted
    const calico = (await Session.create({ scenario: getScenario('k8s-calico') })).snapshot();
    expect(save(KEY, { v: 1, scenario: 'k8s-calico', snapshot: calico, undo: [], screen: '' }, '# ').status).toBe('ok');
    expect(store.getItem(KEY)!.length).toBeLessThan(JSON.stringify(calico).length * 0.92);
    expect(load(KEY, 'k8s-calico')!.snapshot).toEqual(calico);
  });
});
