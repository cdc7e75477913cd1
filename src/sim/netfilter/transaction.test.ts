import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { World } from '../world';
import { isKernelError } from '../errors';
import type { Rule } from '../types';
import { NfBatchError, listChains, newRule, nfCommit, type NfOp } from './index';
import * as chains from './chains';

const rule = newRule;

function setup() {
  const world = World.create({ seed: 1 });
  const nsId = world.addHost('h').rootNs;
  return { world, nsId, ns: () => world.ns(nsId) };
}

const CHAINS = ['INPUT', 'OUTPUT', 'FORWARD', 'A', 'B', 'C', 'NOPE'];
const TARGETS = ['ACCEPT', 'DROP', 'RETURN', 'MASQUERADE', 'A', 'B', 'C', 'INPUT', null];

const opArb: fc.Arbitrary<NfOp> = fc.oneof(
  fc.record({ op: fc.constant('append' as const), chain: fc.constantFrom(...CHAINS), rule: fc.constantFrom(...TARGETS).map((target) => rule({ target })) }),
  fc.record({ op: fc.constant('insert' as const), chain: fc.constantFrom(...CHAINS), num: fc.integer({ min: 0, max: 4 }), rule: fc.constantFrom(...TARGETS).map((target) => rule({ target })) }),
  fc.record({ op: fc.constant('replace' as const), chain: fc.constantFrom(...CHAINS), num: fc.integer({ min: 0, max: 3 }), rule: fc.constantFrom(...TARGETS).map((target) => rule({ target })) }),
  fc.record({ op: fc.constant('delete' as const), chain: fc.constantFrom(...CHAINS), rule: fc.constantFrom(...TARGETS).map((target) => rule({ target })) }),
  fc.record({ op: fc.constant('deleteNum' as const), chain: fc.constantFrom(...CHAINS), num: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ op: fc.constant('flush' as const), chain: fc.constantFrom(null, ...CHAINS) }),
  fc.record({ op: fc.constant('zero' as const), chain: fc.constantFrom(null, ...CHAINS), num: fc.constantFrom(null, 1, 5) }),
  fc.record({ op: fc.constant('newChain' as const), chain: fc.constantFrom(...CHAINS) }),
  fc.record({ op: fc.constant('deleteChain' as const), chain: fc.constantFrom(null, ...CHAINS) }),
  fc.record({ op: fc.constant('renameChain' as const), chain: fc.constantFrom(...CHAINS), to: fc.constantFrom(...CHAINS) }),
  fc.record({ op: fc.constant('policy' as const), chain: fc.constantFrom(...CHAINS), policy: fc.constantFrom('ACCEPT', 'DROP', 'toString') }),
);

describe('nfCommit', () => {
  it('applies a whole change, or (on any error) leaves the state exactly as it was', () => {
    fc.assert(
      fc.property(fc.array(fc.array(opArb, { minLength: 1, maxLength: 4 }), { maxLength: 12 }), (batches) => {
        const { world, nsId, ns } = setup();
        for (const ops of batches) {
          const before = JSON.stringify(ns().netfilter);
          try {
            nfCommit(world, nsId, { table: 'filter', ops });
          } catch (e) {
            expect(isKernelError(e)).toBe(true);
            expect(JSON.stringify(ns().netfilter)).toBe(before);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('rolls back the earlier operations of a batch when a later one fails', () => {
    const { world, nsId, ns } = setup();
    nfCommit(world, nsId, { table: 'filter', ops: [{ op: 'newChain', chain: 'A' }] });
    const before = JSON.stringify(ns().netfilter);
    const change = { table: 'filter' as const, ops: [{ op: 'append', chain: 'A', rule: rule({ target: 'ACCEPT' }) }, { op: 'policy', chain: 'INPUT', policy: 'DROP' }, { op: 'append', chain: 'INPUT', rule: rule({ target: 'MASQUERADE' }) }] satisfies NfOp[] };
    expect(() => nfCommit(world, nsId, change)).toThrow(NfBatchError);
    expect(JSON.stringify(ns().netfilter)).toBe(before);
    expect(listChains(ns(), 'filter').find((c) => c.name === 'INPUT')!.policy).toBe('ACCEPT');
  });

  it('checkentry: a target outside its table or hooks is EINVAL for the rule, reported with its chain', () => {
    const { world, nsId } = setup();
    const refuse = (table: 'filter' | 'nat' | 'raw', chain: string, r: Rule) => {
      try {
        nfCommit(world, nsId, { table, ops: [{ op: 'append', chain, rule: r }] });
        return null;
      } catch (e) {
        return e instanceof NfBatchError ? `${e.errno} ${e.object} ${e.chain}` : String(e);
      }
    };
    expect(refuse('filter', 'INPUT', rule({ target: 'MASQUERADE' }))).toBe('EINVAL rule INPUT');
    expect(refuse('nat', 'PREROUTING', rule({ target: 'MASQUERADE' }))).toBe('EINVAL rule PREROUTING');
    expect(refuse('nat', 'POSTROUTING', rule({ target: 'MASQUERADE' }))).toBeNull();
    expect(refuse('filter', 'OUTPUT', rule({ target: 'ACCEPT', matches: [{ name: 'mac', options: { 'mac-source': '02:00:00:00:00:01' } }] }))).toBe('EINVAL rule OUTPUT');
    expect(refuse('filter', 'INPUT', rule({ target: 'REJECT', targetOptions: { 'reject-with': 'tcp-reset' } }))).toBe('EINVAL rule INPUT');
    expect(refuse('filter', 'INPUT', rule({ protocol: 'tcp', target: 'REJECT', targetOptions: { 'reject-with': 'tcp-reset' } }))).toBeNull();
    expect(refuse('raw', 'PREROUTING', rule({ target: 'NOTRACK' }))).toBeNull();
    // a jump to a base chain: ENOENT while the kernel lacks it, EOPNOTSUPP once it exists
    expect(refuse('filter', 'OUTPUT', rule({ target: 'FORWARD' }))).toBe('ENOENT rule OUTPUT');
    nfCommit(world, nsId, { table: 'filter', ops: [{ op: 'policy', chain: 'FORWARD', policy: 'DROP' }] });
    expect(refuse('filter', 'OUTPUT', rule({ target: 'FORWARD' }))).toBe('EOPNOTSUPP rule OUTPUT');
  });
  it('keeps a jump index during a change that gives the verdicts and the state of validating against the whole table each time', () => {
    // the reference: the same operations through chains.ts with no transaction (no index), rolled back by hand
    const reference = (world: World, nsId: string, ops: NfOp[]): string => {
      const ns = world.ns(nsId);
      const j: chains.Journal = [];
      try {
        for (const o of ops) {
          if (o.op === 'append') chains.appendRule(ns, 'filter', o.chain, o.rule, j);
          else if (o.op === 'insert') chains.insertRule(ns, 'filter', o.chain, o.num, o.rule, j);
          else if (o.op === 'replace') chains.replaceRule(ns, 'filter', o.chain, o.num, o.rule, j);
          else if (o.op === 'delete') chains.deleteRuleSpec(ns, 'filter', o.chain, o.rule, j);
          else if (o.op === 'deleteNum') chains.deleteRuleNum(ns, 'filter', o.chain, o.num, j);
          else if (o.op === 'flush') chains.flushRules(ns, 'filter', o.chain, j);
          else if (o.op === 'newChain') chains.newChain(ns, 'filter', o.chain, j);
          else if (o.op === 'deleteChain') chains.deleteChain(ns, 'filter', o.chain, j);
          else if (o.op === 'renameChain') chains.renameChain(ns, 'filter', o.chain, o.to, j);
        }
        return 'ok';
      } catch (e) {
        for (let i = j.length - 1; i >= 0; i--) j[i]!();
        return e instanceof NfBatchError ? `${e.errno} ${e.chain}` : String(e);
      }
    };
    const NAMES = ['INPUT', 'OUTPUT', 'A', 'B', 'C'];
    // jumps (loops among user chains are refused only once a base chain reaches them) and a rule OUTPUT may not hold (-m mac)
    const mac = { name: 'mac', options: { 'mac-source': '02:00:00:00:00:01' } };
    const jumpRule = fc.oneof(fc.constantFrom('ACCEPT', 'A', 'B', 'C', 'INPUT', null).map((target) => rule({ target })), fc.constant(rule({ target: 'ACCEPT', matches: [mac] })));
    const jumpOps: fc.Arbitrary<NfOp> = fc.oneof(
      fc.record({ op: fc.constant('append' as const), chain: fc.constantFrom(...NAMES), rule: jumpRule }),
      fc.record({ op: fc.constant('insert' as const), chain: fc.constantFrom(...NAMES), num: fc.integer({ min: 1, max: 3 }), rule: jumpRule }),
      fc.record({ op: fc.constant('replace' as const), chain: fc.constantFrom(...NAMES), num: fc.integer({ min: 1, max: 3 }), rule: jumpRule }),
      fc.record({ op: fc.constant('delete' as const), chain: fc.constantFrom(...NAMES), rule: jumpRule }),
      fc.record({ op: fc.constant('deleteNum' as const), chain: fc.constantFrom(...NAMES), num: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ op: fc.constant('flush' as const), chain: fc.constantFrom(null, ...NAMES) }),
      fc.record({ op: fc.constant('newChain' as const), chain: fc.constantFrom(...NAMES) }),
      fc.record({ op: fc.constant('deleteChain' as const), chain: fc.constantFrom(null, ...NAMES) }),
      fc.record({ op: fc.constant('renameChain' as const), chain: fc.constantFrom(...NAMES), to: fc.constantFrom(...NAMES) }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(jumpOps, { minLength: 1, maxLength: 10 }), { maxLength: 10 }), (batches) => {
        const a = setup();
        const b = setup();
        for (const ops of batches) {
          let got = 'ok';
          try {
            nfCommit(a.world, a.nsId, { table: 'filter', ops });
          } catch (e) {
            got = e instanceof NfBatchError ? `${e.errno} ${e.chain}` : String(e);
          }
          expect(got).toBe(reference(b.world, b.nsId, ops));
          expect(JSON.stringify(a.ns().netfilter)).toBe(JSON.stringify(b.ns().netfilter));
        }
      }),
      { numRuns: 400 },
    );
  });
  it('within one change, a jump removed no longer brings a chain under its hook (the index follows deletions and flushes)', () => {
    const { world, nsId } = setup();
    const mac = { name: 'mac', options: { 'mac-source': '02:00:00:00:00:01' } };
    const ok = (ops: NfOp[]) => nfCommit(world, nsId, { table: 'filter', ops });
    ok([{ op: 'newChain', chain: 'A' }, { op: 'newChain', chain: 'B' }]);
    // OUTPUT jumps to A, the jump goes: A may hold -m mac again
    // (A -> B makes the kernel walk the jumps into A, after OUTPUT's)
    expect(() => ok([{ op: 'append', chain: 'OUTPUT', rule: rule({ target: 'A' }) }, { op: 'append', chain: 'A', rule: rule({ target: 'B' }) }, { op: 'deleteNum', chain: 'OUTPUT', num: 1 }, { op: 'append', chain: 'A', rule: rule({ target: 'ACCEPT', matches: [mac] }) }])).not.toThrow();
    ok([{ op: 'flush', chain: 'A' }]);
    // INPUT jumps to A, INPUT is flushed: a loop A -> B -> A is no longer reachable, so it is accepted
    expect(() => ok([{ op: 'append', chain: 'INPUT', rule: rule({ target: 'A' }) }, { op: 'append', chain: 'A', rule: rule({ target: 'B' }) }, { op: 'flush', chain: 'INPUT' }, { op: 'append', chain: 'B', rule: rule({ target: 'A' }) }])).not.toThrow();
    // and once a base chain reaches it, it is refused
    expect(() => ok([{ op: 'append', chain: 'INPUT', rule: rule({ target: 'A' }) }])).toThrow(NfBatchError);
  });
});
