// The fuzzer's lines: real command lines (the fidelity corpus's and the project's fixtures', given by the caller)
// mutated token by token, and lines generated for every tool from the options and operands the real lines use,
// with values that have broken tools before (prototype names, huge and negative numbers, empty words, long words).

/** mulberry32: a small seeded PRNG, so that a run is repeated exactly by its seed */
export function prng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let x = Math.imul(t ^ (t >>> 15), t | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** words that have broken tools (issue 19's probe and later) */
export const EDGE_WORDS = [
  "''", '-', '--', '0', '-1', '65536', '4294967296', '99999999999999999999', '1e309', 'NaN', '0x', '0x1g', '::', '::1', 'fe80::1%lo',
  '256.1.1.1', '10.0.0.1/33', '10.0.0.0/8', '1.2.3', '127.0.0.1', '0.0.0.0/0', 'default', 'all', 'any', 'lo', 'eth0', 'eth0.10', 'a.b',
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'x'.repeat(300), 'é', '%s%n', '=', 'a=', '=b', ',', '/', '*',
  'kube-system', 'default/x', 'pod/x', 'svc', 'deploy', '-o', 'yaml', 'json', "'{.items[*]}'", '--help', '-h', '-V',
];

/** lines that wait on real time or never end: left out */
const SKIP = /\b(sleep|watch|timeout|yes|vi|vim|nano|top|tail\s+-f|read|wait)\b|@/;

/** The first word of a line (its tool), after `ip netns exec NS` and the like are left as they are. */
const toolOf = (line: string) => line.trim().split(/\s+/)[0] ?? '';

/** Words of a simple line (no quoting rules: a mutated line may well be broken, that is the point). */
const words = (line: string) => line.trim().split(/\s+/).filter(Boolean);

export interface Pools {
  /** real lines, one command each */
  seeds: string[];
  /** per tool, the words its real lines use (options and operands) */
  byTool: Map<string, string[]>;
  /** every tool to generate lines for */
  tools: string[];
}

export function pools(seedLines: string[], tools: string[]): Pools {
  const seeds = [...new Set(seedLines.map((l) => l.trim()).filter((l) => l && !l.startsWith('#') && !SKIP.test(l)))];
  const byTool = new Map<string, string[]>();
  for (const l of seeds) {
    const [t, ...rest] = words(l);
    if (!t) continue;
    const pool = byTool.get(t) ?? [];
    for (const w of rest) if (w.length < 80 && !/[|;&<>`$]/.test(w)) pool.push(w);
    byTool.set(t, pool);
  }
  for (const [t, pool] of byTool) byTool.set(t, [...new Set(pool)]);
  return { seeds, byTool, tools: [...new Set([...tools, ...byTool.keys()].filter((t) => /^[a-z][\w-]*$/.test(t) && !SKIP.test(t)))].sort() };
}

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

/** One mutation of a real line: drop, repeat, swap, replace or cut its words, or add one. */
export function mutate(rnd: () => number, line: string, p: Pools): string {
  const w = words(line);
  const pool = p.byTool.get(toolOf(line)) ?? [];
  const any = () => (rnd() < 0.5 && pool.length ? pick(rnd, pool) : pick(rnd, EDGE_WORDS));
  const n = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < n; k++) {
    const i = 1 + Math.floor(rnd() * Math.max(1, w.length - 1));
    const r = rnd();
    if (r < 0.2 && w.length > 1) w.splice(i, 1);
    else if (r < 0.35 && w[i]) w.splice(i, 0, w[i]!);
    else if (r < 0.5 && w.length > 2) {
      const j = 1 + Math.floor(rnd() * (w.length - 1));
      [w[i], w[j]] = [w[j]!, w[i]!];
    } else if (r < 0.8) w[Math.min(i, w.length)] = any();
    else if (r < 0.9) w.length = Math.max(1, i);
    else w.push(any());
  }
  return w.filter((x) => x !== undefined).join(' ');
}

/** A line for `tool` from its real words and edge values. */
export function generate(rnd: () => number, tool: string, p: Pools): string {
  const pool = p.byTool.get(tool) ?? [];
  const n = Math.floor(rnd() * 5);
  const w = [tool];
  for (let k = 0; k < n; k++) w.push(rnd() < 0.7 && pool.length ? pick(rnd, pool) : pick(rnd, EDGE_WORDS));
  return w.join(' ');
}

/** `count` lines: about half mutated real lines, half generated, every tool in turn. */
export function fuzzLines(seed: number, count: number, p: Pools): string[] {
  const rnd = prng(seed);
  const out: string[] = [];
  let t = Math.floor(rnd() * Math.max(1, p.tools.length));
  for (let i = 0; i < count; i++) {
    if (p.seeds.length && rnd() < 0.5) out.push(rnd() < 0.1 ? pick(rnd, p.seeds) : mutate(rnd, pick(rnd, p.seeds), p));
    else out.push(generate(rnd, p.tools[t++ % p.tools.length]!, p));
  }
  return out;
}
