import { describe, expect, it } from 'vitest';
import { applyDifference, decodeShared, difference, encodeShared, encodeSharedText, sharedKeysOf } from './sibling-delta';

/** the data as its JSON text stands for it (key order kept: toEqual ignores it, the text does not) */
const asJson = (v: unknown): string => JSON.stringify(v);
const roundTrip = (v: unknown) => {
  const saved = JSON.stringify(encodeShared(v));
  const back = decodeShared(JSON.parse(saved));
  return { saved, back };
};

/** a deterministic PRNG (mulberry32) */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    let t = (s = (s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** a table of records that look alike (a template changed here and there), with odd values mixed in */
function table(r: () => number, rows: number): Record<string, unknown> {
  const pick = <T,>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const leaf = (): unknown =>
    pick<() => unknown>([() => Math.floor(r() * 1000), () => `text-${Math.floor(r() * 50)}-${'x'.repeat(Math.floor(r() * 40))}`, () => null, () => r() < 0.5, () => undefined, () => NaN, () => -0, () => ({ '^': 'k0', d: {} }), () => [], () => ({})])();
  const template = (depth: number): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < 3 + Math.floor(r() * 4); i++) {
      const k = pick(['name', 'uid', 'spec', 'status', 'items', '^', '__proto__', '=', 'd', 'o', `f${i}`]);
      const v = depth < 3 && r() < 0.35 ? template(depth + 1) : depth < 3 && r() < 0.2 ? [template(depth + 1), leaf(), template(depth + 1)] : leaf();
      Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return o;
  };
  const mutate = (v: unknown, depth: number): unknown => {
    if (Array.isArray(v)) {
      const out = v.map((x) => (r() < 0.3 ? mutate(x, depth + 1) : structuredClone(x)));
      if (r() < 0.2) out.push(leaf());
      if (r() < 0.2) out.splice(0, 1);
      return out;
    }
    if (typeof v !== 'object' || v === null) return r() < 0.3 ? leaf() : typeof v === 'string' && r() < 0.5 ? `${v.slice(0, 5)}!${v.slice(5)}` : v;
    const keys = Object.keys(v);
    if (r() < 0.1) keys.reverse();
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      if (r() < 0.1) continue;
      const x = (v as Record<string, unknown>)[k];
      Object.defineProperty(out, k, { value: r() < 0.4 ? mutate(x, depth + 1) : structuredClone(x), enumerable: true, writable: true, configurable: true });
    }
    if (r() < 0.2) out[`new${depth}`] = leaf();
    return out;
  };
  const base = template(0);
  const t: Record<string, unknown> = {};
  for (let i = 0; i < rows; i++) t[`row-${Math.floor(r() * 5)}-${i}`] = r() < 0.15 ? template(0) : r() < 0.1 ? leaf() : mutate(base, 0);
  return t;
}

describe('records saved as their difference from an earlier one (sibling-delta.ts)', () => {
  it('reads back what JSON would give, key order included, and saves the read-back data the same (random tables)', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const r = rng(seed);
      const data = { a: table(r, 2 + Math.floor(r() * 20)), nested: { rows: table(r, 5), more: [table(r, 3)] } };
      const { saved, back } = roundTrip(data);
      expect(asJson(back), `seed ${seed}`).toBe(asJson(data));
      expect(JSON.stringify(encodeShared(back)), `seed ${seed}`).toBe(saved);
      // the text the world saves: the same, computed afresh and from what it remembers of the last saves
      expect(encodeSharedText(data), `seed ${seed}`).toBe(saved);
      expect(encodeSharedText(back), `seed ${seed}`).toBe(saved);
    }
  });

  it('saves a row of a table as the changes from an earlier row, and is much shorter for look-alike rows', () => {
    const pod = (name: string, node: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' }, uid: `uid-of-${name}` },
      spec: { containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.33.4', command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf'] }], nodeName: node, tolerations: [{ operator: 'Exists' }, { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists' }] },
      status: { phase: 'Running', hostIP: node === 'controlplane' ? '192.168.121.10' : '192.168.121.11', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-11-26T13:50:42Z' }] },
    });
    const pods = { 'kube-system/kube-proxy-aaaaa': pod('kube-proxy-aaaaa', 'controlplane'), 'kube-system/kube-proxy-bbbbb': pod('kube-proxy-bbbbb', 'node01') };
    const saved = encodeShared({ objects: { pods } }) as { '^': null; '=': { objects: { pods: Record<string, Record<string, unknown>> } } };
    expect(saved['^']).toBeNull();
    const second = saved['='].objects.pods['kube-system/kube-proxy-bbbbb']!;
    expect(second['^']).toBe('kube-system/kube-proxy-aaaaa');
    expect(second.d).toEqual({
      metadata: { name: ['kube-proxy-bbbbb'], uid: ['uid-of-kube-proxy-bbbbb'] },
      spec: { nodeName: ['node01'] },
      status: { hostIP: ['192.168.121.11'] },
    });
    expect(JSON.stringify(second).length).toBeLessThan(JSON.stringify(pods['kube-system/kube-proxy-bbbbb']).length / 3);
    expect(asJson(decodeShared(JSON.parse(JSON.stringify(saved))))).toBe(asJson({ objects: { pods } }));
  });

  it('keeps long texts that differ in the middle as their head and tail, and keys in another order as an order list', () => {
    const line = (t: string) => ({ t: 1, text: `{"level":"info","ts":"${t}","caller":"etcdmain/etcd.go:73","msg":"Running: ","args":["etcd","--advertise-client-urls=https://192.168.121.10:2379"]}` });
    const files = (order: string[]) => Object.fromEntries(order.map((p) => [p, { type: 'file', content: `content of ${p}`.repeat(4), mode: 420 }]));
    const data = {
      a: { log: [line('2026-11-26T13:50:03.104Z')], files: files(['/a', '/b', '/c', '/d', '/e']) },
      b: { log: [line('2026-11-26T13:52:31.001Z')], files: files(['/b', '/a', '/c', '/e', '/d', '/f']) },
    };
    const saved = encodeShared(data) as { '=': { b: { d: { log: unknown[]; files: unknown[] } } } };
    const d = saved['='].b.d;
    // the log line: [1 element, {0: {text: [HEAD, MIDDLE, TAIL]}}]
    expect(d.log).toEqual([1, { 0: { text: [expect.any(Number), expect.any(String), expect.any(Number)] } }]);
    // the files: [ORDER (indexes into a's keys, new keys by name), PATCH]
    expect(d.files).toEqual([[1, 0, 2, 4, 3, '/f'], { '/f': [{ type: 'file', content: 'content of /f'.repeat(4), mode: 420 }] }]);
    expect(asJson(decodeShared(JSON.parse(JSON.stringify(saved))))).toBe(asJson(data));
  });

  it('leaves data without look-alike records as it is, and reads data saved before this form as it is', () => {
    const plain = { config: { version: 'v1.33.4' }, rv: 100, objects: { nodes: { a: { x: 1 } } } };
    expect(encodeShared(plain)).toBe(plain);
    expect(decodeShared(plain)).toBe(plain);
    // a record with a key "^" is marked so that it cannot be taken for a difference
    const odd = { t: { '^': 'x', d: { y: 1 } }, u: { '^': 'x', d: { y: 2 } } };
    expect(asJson(roundTrip(odd).back)).toBe(asJson(odd));
    expect(sharedKeysOf(encodeShared({ controlplane: { files: { a: 'x'.repeat(200) } }, node01: { files: { a: 'x'.repeat(200), b: 1 } } }))).toEqual(['controlplane', 'node01']);
    expect(sharedKeysOf({ h1: {}, h2: {} })).toEqual(['h1', 'h2']);
  });

  it('reads a damaged saved form without throwing (a missing base, a patch of the wrong shape)', () => {
    const bad = { '^': null, '=': { a: { '^': 'nope', d: { x: [1] } }, b: { '^': 'a', d: 5 }, c: { '^': 'a', d: { x: [2, 'zz'], y: [3, 4, 5], z: [[9], 1] } }, e: { '^': 'a', o: [7, 'q'], d: null } } };
    expect(() => decodeShared(bad)).not.toThrow();
    expect(decodeShared(bad)).toMatchObject({ a: { x: 1 }, b: { x: 1 } });
  });

  it('saves an array element as its difference from an earlier one (a container log line against the line before)', () => {
    const log = ['Early log level set to info', 'Using NODENAME environment for node name controlplane', 'Determined node name: controlplane'].map((m) => ({ t: -4105201, s: 'stdout', text: `2026-11-26 13:51:34.799 [INFO][9] startup/startup.go 432: ${m}` }));
    const data = { pods: { a: { containers: [{ name: 'calico-node', log }] } } };
    const saved = encodeShared(data) as { '=': { pods: { a: { containers: { log: unknown[] }[] } } } };
    const lines = saved['='].pods.a.containers[0]!.log;
    expect(lines[0]).toEqual(log[0]);
    expect(lines[1]).toEqual({ '^': 0, d: { text: [58, expect.any(String), 0] } });
    expect(JSON.stringify(lines).length).toBeLessThan(JSON.stringify(log).length * 0.8);
    expect(asJson(decodeShared(JSON.parse(JSON.stringify(saved))))).toBe(asJson(data));
    // an element whose base index is out of range reads against nothing, without throwing
    expect(decodeShared({ '^': null, '=': { a: [{ x: 1 }, { '^': 5, d: { y: [2] } }, { '^': -1, d: {} }] } })).toEqual({ a: [{ x: 1 }, { y: 2 }, {}] });
  });

  /** a Deployment-like record: its pod template's spec is the part a ReplicaSet (in a later table) repeats */
  const podSpec = (app: string, extra: Record<string, unknown> = {}) => ({
    containers: [{ name: app, image: `registry.example/${app}:v1.2.3`, args: ['--config=/etc/app/config.yaml', '--v=2', `--name=${app}`], ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }] }],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    serviceAccountName: app,
    terminationGracePeriodSeconds: 30,
    volumes: [{ name: 'config', configMap: { name: `${app}-config`, defaultMode: 420 } }],
    ...extra,
  });
  const deployment = (app: string) => ({ metadata: { name: app, uid: `uid-${app}` }, spec: { replicas: 1, template: { metadata: { labels: { app } }, spec: podSpec(app) } } });
  const replicaSet = (app: string, hash: string) => ({ metadata: { name: `${app}-${hash}`, uid: `uid-${app}-${hash}` }, spec: { replicas: 1, template: { metadata: { labels: { app, 'pod-template-hash': hash } }, spec: podSpec(app, { priority: 0 }) } } });

  it("saves a record's part as its difference from a part of an earlier table's record, by its path", () => {
    const data = { objects: { deployments: { 'ns/web': deployment('web'), 'ns/api': deployment('api') }, replicasets: { 'ns/web-5d4f': replicaSet('web', '5d4f') } } };
    const saved = encodeShared(data) as { '=': { objects: { replicasets: Record<string, { spec: { template: { spec: Record<string, unknown> } } }> } } };
    const spec = saved['='].objects.replicasets['ns/web-5d4f']!.spec.template.spec;
    expect(spec).toEqual({ '^': ['objects', 'deployments', 'ns/web', 'spec', 'template', 'spec'], d: { priority: [0] } });
    const text = JSON.stringify(saved);
    expect(asJson(decodeShared(JSON.parse(text)))).toBe(asJson(data));
    expect(encodeSharedText(data)).toBe(text);
    // a path that leads nowhere (a damaged save) reads against nothing
    expect(decodeShared({ '^': null, '=': { a: { '^': ['nope', 'x'], d: { y: [1] } }, b: { '^': [1, 2], d: {} } } })).toEqual({ a: { y: 1 }, b: {} });
  });

  it('gives the same text remembered from the last saves as afresh while earlier tables change under it (random)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = rng(seed);
      const apps = ['web', 'api', 'db', 'cache'].slice(0, 1 + Math.floor(r() * 4));
      const data: { objects: Record<string, Record<string, unknown>> } = { objects: { deployments: {}, events: {}, replicasets: {} } };
      for (const a of apps) data.objects.deployments![`ns/${a}`] = deployment(a);
      for (let step = 0; step < 8; step++) {
        // a change somewhere: a base changes, one is added or removed, a later record changes, an unrelated table changes
        const a = apps[Math.floor(r() * apps.length)]!;
        const pick = Math.floor(r() * 5);
        const deps = data.objects.deployments!;
        if (pick === 0 && deps[`ns/${a}`]) (deps[`ns/${a}`] as ReturnType<typeof deployment>).spec.template.spec.restartPolicy = `Never-${step}`;
        else if (pick === 1) delete deps[`ns/${a}`];
        else if (pick === 2) deps[`ns/${a}`] = deployment(a);
        else if (pick === 3) data.objects.replicasets![`ns/${a}-${step}`] = replicaSet(a, `h${step}`);
        else data.objects.events![`e${step}`] = { reason: 'Scaled', count: step };
        const text = encodeSharedText(data)!;
        expect(text, `seed ${seed} step ${step}`).toBe(JSON.stringify(encodeShared(data)));
        const back = decodeShared(JSON.parse(text));
        expect(asJson(back), `seed ${seed} step ${step}`).toBe(asJson(data));
        expect(JSON.stringify(encodeShared(back)), `seed ${seed} step ${step}`).toBe(text);
      }
    }
  });

  it("saves a record apart from its base with a new key's value against a like-named key's of the base (a node's own Calico chain against the first node's)", () => {
    const chain = (iface: string, hashes: string[]) => ({
      name: `cali-tw-${iface}`,
      rules: hashes.map((h, i) => ({ matches: [{ name: 'comment', options: { comment: `cali:${h}` } }, { name: 'conntrack', options: { ctstate: i ? 'INVALID' : 'RELATED,ESTABLISHED' }, invert: {} }], target: i ? 'DROP' : 'ACCEPT' })),
    });
    const forward = { name: 'FORWARD', rules: ['cali:wUHhoiAYhphO9Mso', 'cali:S93hcgKJrXEqnTfs', 'cali:mp77cMpurHhyjLrM'].map((comment) => ({ matches: [{ name: 'comment', options: { comment } }], target: 'cali-FORWARD' })) };
    const base = { filter: { chains: { INPUT: { name: 'INPUT', rules: [] }, FORWARD: forward, 'cali-tw-cali1111aaaa': chain('cali1111aaaa', ['zocIhgK_OIdM4Zei', 'i5pHd_n9-XEVhcip', '74l3S_f2D0Oxfz0k']) } } };
    const node = { filter: { chains: { INPUT: { name: 'INPUT', rules: [] }, FORWARD: forward, 'cali-tw-cali2222bbbb': chain('cali2222bbbb', ['ZqkfQbtxDsHtKCXu', 'Ab7eUPEzqagPE2Yu', 'ZmwuzFQyDobEEyUi']) } } };
    const d = difference(base, node)!;
    const entry = (d.d as { filter: { chains: Record<string, unknown[]> } }).filter.chains['cali-tw-cali2222bbbb']!;
    expect(entry[0]).toBe('cali-tw-cali1111aaaa');
    expect(JSON.stringify(entry).length).toBeLessThan(JSON.stringify(node.filter.chains['cali-tw-cali2222bbbb']).length * 0.75);
    expect(asJson(applyDifference(base, JSON.parse(JSON.stringify(d))))).toBe(asJson(node));
    // an entry naming a key the base does not have reads against nothing
    expect(applyDifference({ a: { x: 1 } }, { d: { b: ['nope', { y: [2] }] } })).toEqual({ a: { x: 1 }, b: { y: 2 } });
  });

  it('reads back what JSON would give from a record saved apart from its base (random records)', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const r = rng(seed);
      const a = table(r, 2 + Math.floor(r() * 12));
      const b = table(r, 2 + Math.floor(r() * 12));
      for (const k of Object.keys(a)) if (r() < 0.5) Object.defineProperty(b, `${k}x`, { value: structuredClone(a[k]), enumerable: true, writable: true, configurable: true });
      const d = difference(a, b);
      if (d) expect(asJson(applyDifference(JSON.parse(asJson(a)), JSON.parse(JSON.stringify(d)))), `seed ${seed}`).toBe(asJson(b));
    }
  });
});
