// Seeded randomness for drill parameters.
//
// An attempt is identified by a seed (a positive 31-bit integer, carried in
// the URL as ?seed=N). A drill draws all its parameters (names, addresses,
// ports, counts) from a Rand built from that seed and the drill's id, so the
// same seed gives the same values for the same drill, different drills of one
// exam get unrelated values, and the values never change during an attempt.

/** FNV-1a over a string: a stable 32-bit hash used to mix the drill id into the seed. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export const MAX_SEED = 0x7fffffff;

/** Is `n` a usable attempt seed (an integer in 1..2^31-1)? */
export function isSeed(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_SEED;
}

/** Parse a seed from URL text; null when absent or malformed. */
export function parseSeed(text: string | null | undefined): number | null {
  if (text == null || !/^\d{1,10}$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return isSeed(n) ? n : null;
}

/** A fresh seed for "try again with new values" (not reproducible on purpose). */
export function freshSeed(avoid?: number): number {
  for (;;) {
    const n = 1 + Math.floor(Math.random() * (MAX_SEED - 1));
    if (n !== avoid) return n;
  }
}

export class Rand {
  private state: number;

  constructor(seed: number, salt = '') {
    // murmur3's finaliser spreads nearby seeds (1, 2, 3...) over the whole state space
    let h = (seed ^ hashString(salt)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    this.state = (h ^ (h >>> 16)) >>> 0 || 0x9e3779b9;
  }

  /** mulberry32: a float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rand.pick on an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** `n` distinct items, in random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    if (n > items.length) throw new Error('Rand.sample: not enough items');
    const pool = items.slice();
    const out: T[] = [];
    for (let i = 0; i < n; i++) {
      const j = Math.floor(this.next() * pool.length);
      out.push(pool.splice(j, 1)[0]!);
    }
    return out;
  }

  shuffle<T>(items: readonly T[]): T[] {
    return this.sample(items, items.length);
  }

  /** `n` distinct integers in [min, max], in random order. */
  distinctInts(min: number, max: number, n: number): number[] {
    const seen = new Set<number>();
    const out: number[] = [];
    while (out.length < n) {
      const v = this.int(min, max);
      if (!seen.has(v)) {
        seen.add(v);
        out.push(v);
      }
    }
    return out;
  }
}
