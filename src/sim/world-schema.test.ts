import { describe, expect, it } from 'vitest';
import { Session } from '../shell/session';
import { getScenario } from '../labs/scenarios/index';
import { World } from './world';
import { worldDataProblem, worldProblem } from './world-schema';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** mulberry32: the same damaged saves on every run */
function rng(seed: number): () => number {
  return () => {
    let t = (seed = (seed + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** every object and array below `root` with its path (the namespaces' records are what the saved-form check reads) */
function nodes(root: Json): { node: { [k: string]: Json } | Json[]; path: string }[] {
  const out: { node: { [k: string]: Json } | Json[]; path: string }[] = [];
  const walk = (v: Json, path: string) => {
    if (v === null || typeof v !== 'object') return;
    out.push({ node: v, path });
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}.${i}`));
    else for (const k of Object.keys(v)) walk(v[k]!, `${path}.${k}`);
  };
  walk(root, '');
  return out;
}

// field names the checks care about (and some they do not), for "~" lists and deletions
const FIELDS = ['mtu', 'adminUp', 'stats', 'ifindex', 'name', 'kind', 'mac', 'neigh', 'rules', 'netfilter', 'sockets', 'nsids', 'links', 'addrs', 'routes', 'sysctl', 'fibTables', 'local', 'dadFailed', 'qdisc', 'id', 'host', '*'];
const VALUES: Json[] = [null, 5, -1, 1.5, 'x', '', true, [], {}, [1], { a: 1 }, ['mtu'], { '*': 5 }];

/** one random damage to a saved world: a field deleted, replaced, added, or a record's "~" listing a field */
function damage(data: Json, r: () => number): string {
  const all = nodes(data).filter((n) => n.path.startsWith('.namespaces') || r() < 0.1);
  const { node, path } = all[Math.floor(r() * all.length)]!;
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  if (Array.isArray(node)) {
    if (node.length && r() < 0.5) {
      const i = Math.floor(r() * node.length);
      node[i] = pick(VALUES);
      return `${path}.${i} = ${JSON.stringify(node[i])}`;
    }
    node.push(pick(VALUES));
    return `${path} push`;
  }
  const keys = Object.keys(node);
  const what = r();
  if (what < 0.3) {
    const gone = pick(FIELDS);
    const list = Array.isArray(node['~']) ? node['~'] : [];
    node['~'] = [...list, gone];
    return `${path}.~ += ${gone}`;
  }
  if (what < 0.55 && keys.length) {
    const k = pick(keys);
    delete node[k];
    return `delete ${path}.${k}`;
  }
  const k = keys.length && what < 0.85 ? pick(keys) : pick(FIELDS);
  node[k] = pick(VALUES);
  return `${path}.${k} = ${JSON.stringify(node[k])}`;
}

/** every namespace of the world reached through its table: each one still in its saved form is expanded */
function reachAll(w: World): void {
  for (const id of Object.keys(w.state.namespaces)) void w.state.namespaces[id];
}

describe('a saved world is checked without expanding its namespaces', () => {
  it('gives the verdict the expanded state gets, on good and damaged saves', async () => {
    const r = rng(7);
    let refused = 0;
    let tried = 0;
    for (const scenario of ['netns-lab-solved', 'k8s-cluster']) {
      const s = await Session.create({ scenario: getScenario(scenario), seed: 2 });
      await s.run('sysctl -w net.ipv4.ip_forward=1; ip link add dum.1 type dummy; iptables -A INPUT -p tcp --dport 22 -j ACCEPT');
      const text = s.snapshot().world;
      expect(worldProblem(text)).toBeNull();
      for (let i = 0; i < 200; i++) {
        const data = JSON.parse(text) as Json;
        const what = [damage(data, r), ...(r() < 0.3 ? [damage(data, r)] : [])].join('; ');
        const fast = worldDataProblem(data);
        const slow = worldDataProblem(JSON.parse(JSON.stringify(data)), { expand: true });
        tried++;
        expect(fast === null, `${scenario}: ${what}: saved form says ${fast}, expanded says ${slow}`).toBe(slow === null);
        if (fast !== null) refused++;
        // what passes restores, and its namespaces expand when reached (each one reached; a whole clone of the world
        // on top cost as much again, 400 times)
        else expect(() => reachAll(World.restore(JSON.stringify(data))), `${scenario}: ${what}`).not.toThrow();
      }
    }
    // the damages reach the checked fields often enough for the comparison to mean something
    expect(refused).toBeGreaterThan(tried / 10);
    expect(refused).toBeLessThan(tried);
  });

  it('names what is wrong in a saved namespace', () => {
    const w = World.create();
    w.addHost('h');
    const data = JSON.parse(w.snapshot()) as { namespaces: Record<string, Record<string, unknown>> };
    const ns = data.namespaces['ns1']!;
    (ns.links as Record<string, unknown>[])[0]!['~'] = ['stats'];
    expect(worldDataProblem(data)).toBe('namespaces.ns1.links.0.stats: Invalid input: required, absent');
    delete (ns.links as Record<string, unknown>[])[0]!['~'];
    ns.sysctl = { 'net.ipv4.ip_forward': 1 };
    expect(worldDataProblem(data)).toBe('namespaces.ns1.sysctl.net.ipv4.ip_forward: Invalid input: expected string, received number');
    ns.sysctl = { '*': { a: null } };
    expect(worldDataProblem(data)).toMatch(/^namespaces\.ns1\.sysctl\.\*\.a: /);
    ns.sysctl = {};
    expect(worldDataProblem(data)).toBeNull();
  });
});
