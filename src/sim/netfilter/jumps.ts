// The jump graph of a table, as nf_tables validates it: how deep a chain
// sits below the base chains (NFT_JUMP_STACK_SIZE), which hooks reach a
// user chain, and the rules a jump brings under a hook.
import type { Chain, NfTable, Rule } from '../types';
import { isTargetExtension } from './tables';

/** NFT_JUMP_STACK_SIZE: a chain reached by this many jumps from a base chain is too deep. */
const JUMP_STACK_SIZE = 16;

/** The user chain a rule jumps or goes to, or null. */
export function jumpOf(r: Rule): string | null {
  return r.target !== null && !isTargetExtension(r.target) ? r.target : null;
}

/** A jump being added: `from` will also jump to `to`. */
interface NewJump {
  from: string;
  to: string;
}

/** The most jumps below user chain `name`, counting a jump being added (Infinity when a loop is reachable from it). */
function jumpsBelow(t: NfTable, name: string, extra: NewJump, memo = new Map<string, number>(), onPath = new Set<string>()): number {
  const known = memo.get(name);
  if (known !== undefined) return known;
  if (onPath.has(name)) return Infinity;
  onPath.add(name);
  const own = chainNamed(t, name);
  const targets = (own && !own.builtin ? own.rules : []).map(jumpOf);
  if (name === extra.from) targets.push(extra.to);
  let most = 0;
  for (const to of targets) if (to !== null) most = Math.max(most, 1 + jumpsBelow(t, to, extra, memo, onPath));
  onPath.delete(name);
  memo.set(name, most);
  return most;
}

/** The most jumps from a base chain to `chain` (-Infinity when no base chain reaches it). */
function jumpsAbove(t: NfTable, chain: string): number {
  const base = chainNamed(t, chain);
  if (!base || base.builtin) return 0;
  const callers = callersOf(t);
  // inside a transaction the depths are kept until a jump or a chain changes (a loop met on the way
  // makes the answer depend on where the walk started: then nothing is kept)
  const ix = indexOf(t);
  const kept = ix ? (ix.above ??= new Map()) : null;
  const memo = new Map<string, number>();
  const onPath = new Set<string>();
  let loop = false;
  const above = (name: string): number => {
    const known = kept?.get(name) ?? memo.get(name);
    if (known !== undefined) return known;
    if (onPath.has(name)) {
      loop = true;
      return -Infinity;
    }
    onPath.add(name);
    let most = -Infinity;
    for (const c of callers.get(name) ?? []) most = Math.max(most, c.builtin ? 1 : 1 + above(c.name));
    onPath.delete(name);
    memo.set(name, most);
    return most;
  };
  const out = above(chain);
  if (kept && !loop) for (const [k, v] of memo) kept.set(k, v);
  return out;
}

/**
 * nft_table_validate() after a jump from `chain` to `to` is added: every
 * chain reachable from a base chain must sit fewer than NFT_JUMP_STACK_SIZE
 * jumps deep (a loop is infinitely deep). Chains no base chain reaches are
 * not validated: a loop among them is accepted until a base chain jumps in.
 */
export function jumpTooDeep(t: NfTable, base: boolean, chain: string, to: string): boolean {
  const above = base ? 0 : jumpsAbove(t, chain);
  if (above === -Infinity) return false;
  return above + 1 + jumpsBelow(t, to, { from: chain, to }) >= JUMP_STACK_SIZE;
}

/** The chains that jump or go to each chain (with how many rules each). */
type Callers = Map<string, Map<Chain, number>>;

function buildCallers(t: NfTable): Callers {
  const callers: Callers = new Map();
  for (const c of t.chains)
    for (const r of c.rules) {
      const to = jumpOf(r);
      if (to === null) continue;
      let m = callers.get(to);
      if (!m) callers.set(to, (m = new Map()));
      m.set(c, (m.get(c) ?? 0) + 1);
    }
  return callers;
}

// While a transaction runs (withJumpIndex), each table's jump graph and
// chains by name are built once and kept up to date by the operations
// (chains.ts reports each rule it adds or removes), instead of being
// recomputed from every rule of the table for each rule validated. Outside a
// transaction nothing is kept. Plain caches: never part of the state.
interface JumpIndex {
  /** built on first use (appending a rule that jumps nowhere reads no other rule) */
  callers: Callers | null;
  byName: Map<string, Chain>;
  /** jumpsAbove's depths, dropped when a jump or a chain changes */
  above?: Map<string, number> | null;
}
let batch: WeakMap<NfTable, JumpIndex> | null = null;

/** Run `fn` (a transaction's operations) with the tables' jump indexes kept. */
export function withJumpIndex<T>(fn: () => T): T {
  if (batch) return fn();
  batch = new WeakMap();
  try {
    return fn();
  } finally {
    batch = null;
  }
}

function indexOf(t: NfTable): JumpIndex | null {
  if (!batch) return null;
  let ix = batch.get(t);
  if (!ix) {
    ix = { callers: null, byName: new Map(t.chains.map((c) => [c.name, c])) };
    batch.set(t, ix);
  }
  return ix;
}

/** Rules were added to (delta 1) or removed from (-1) a chain of the table. */
export function noteRules(t: NfTable, chain: Chain, rules: readonly Rule[], delta: 1 | -1): void {
  const ix = batch?.get(t);
  const callers = ix?.callers;
  if (!callers) return;
  for (const r of rules) {
    const to = jumpOf(r);
    if (to === null) continue;
    keepDepths(ix, chain, to, delta);
    let m = callers.get(to);
    if (!m) callers.set(to, (m = new Map()));
    const n = (m.get(chain) ?? 0) + delta;
    if (n > 0) m.set(chain, n);
    else m.delete(chain);
  }
}

/** A chain was added to the table. */
export function noteChain(t: NfTable, chain: Chain): void {
  // a new chain has no rules and nothing jumps to it yet: no depth changes
  batch?.get(t)?.byName.set(chain.name, chain);
}

/**
 * The kept depths after a jump `from` → `to` was added or removed: only `to` and the chains below it
 * can change. A chain whose depth is kept has all its callers kept, so an unknown `to` has nothing kept
 * below it. A deeper `to` without jumps of its own is updated in place; anything else drops the depths.
 */
function keepDepths(ix: JumpIndex, from: Chain, to: string, delta: 1 | -1): void {
  const kept = ix.above;
  if (!kept || !kept.has(to)) return;
  if (delta < 0) {
    ix.above = null;
    return;
  }
  const via = from.builtin ? 1 : (kept.get(from.name) ?? NaN) + 1;
  if (Number.isNaN(via)) {
    ix.above = null;
    return;
  }
  if (via <= kept.get(to)!) return;
  const target = ix.byName.get(to);
  if (target && !target.rules.some((r) => jumpOf(r) !== null)) kept.set(to, via);
  else ix.above = null;
}

/** An empty chain nothing jumps to left the table. */
export function forgetChain(t: NfTable, chain: Chain): void {
  const ix = batch?.get(t);
  if (!ix) return;
  ix.above?.delete(chain.name);
  if (ix.byName.get(chain.name) === chain) ix.byName.delete(chain.name);
  ix.callers?.delete(chain.name);
}

/** The table's chains changed in a way not reported (chains deleted or renamed): rebuild on next use. */
export function forgetIndex(t: NfTable): void {
  batch?.delete(t);
}

/** The chain of that name (built-in or user), or undefined. */
export function chainNamed(t: NfTable, name: string): Chain | undefined {
  const ix = indexOf(t);
  return ix ? ix.byName.get(name) : t.chains.find((c) => c.name === name);
}

function callersOf(t: NfTable): { get(name: string): Iterable<Chain> | undefined } {
  const ix = indexOf(t);
  const callers = ix ? (ix.callers ??= buildCallers(t)) : buildCallers(t);
  return { get: (name: string) => callers.get(name)?.keys() };
}

/** The hooks of the base chains from which jumps lead to user chain `chain`. */
export function hooksReaching(t: NfTable, chain: string): string[] {
  const callers = callersOf(t);
  const hooks = new Set<string>();
  const seen = new Set<string>([chain]);
  const todo = [chain];
  while (todo.length) {
    const name = todo.pop()!;
    for (const c of callers.get(name) ?? []) {
      if (c.builtin) hooks.add(c.hook ?? c.name);
      else if (!seen.has(c.name)) {
        seen.add(c.name);
        todo.push(c.name);
      }
    }
  }
  return [...hooks];
}

/** Every rule of the user chains reachable from `name` (itself included), each once. */
export function rulesBelow(t: NfTable, name: string): Rule[] {
  const out: Rule[] = [];
  const seen = new Set<string>([name]);
  const todo = [name];
  while (todo.length) {
    const name = todo.pop()!;
    const found = chainNamed(t, name);
    const c = found && !found.builtin ? found : undefined;
    for (const r of c?.rules ?? []) {
      out.push(r);
      const to = jumpOf(r);
      if (to !== null && !seen.has(to)) {
        seen.add(to);
        todo.push(to);
      }
    }
  }
  return out;
}
