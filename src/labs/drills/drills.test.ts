// Every drill: the reference solution passes, the untouched start fails, and
// each plausible wrong attempt fails the requirement it names (mentioning the
// culprit where the drill says which); an attempt that only fakes the tools
// the checks use (functions and aliases named kubectl, curl, ping, ip...)
// fails too.
//
// The Linux drills run over 20 seeds here. The Kubernetes drills boot a
// cluster per attempt: the unit tests run them over a fixed slice of one
// seed (npm test's time budget); `npm run drills -- --verify` runs every
// drill over the 20 seeds.
import { describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { drills } from './index';
import { contextFor, grade, play, startAttempt, verifyDrill } from './runner';

export const SEEDS = Array.from({ length: 20 }, (_, i) => 1 + i * 7919);
export const K8S_SLICE = [SEEDS[13]!];
const isK8s = (scenario: string) => scenario.startsWith('k8s-');

describe.each(drills.map((d) => [d.id, d] as const))('drill %s', (_id, def) => {
  it.each(isK8s(def.scenario) ? K8S_SLICE : SEEDS)('verifies with seed %i', async (seed) => {
    const problems = await verifyDrill(Session, def, seed);
    expect(problems.map((p) => p.problem)).toEqual([]);
  }, 300_000);
});

/** Tools replaced by shell functions and aliases that claim success. */
export const FAKES = [
  'kubectl() { echo "service/x created"; return 0; }',
  'curl() { echo "<title>Welcome to nginx!</title>"; return 0; }',
  'wget() { return 0; }',
  'ping() { echo "64 bytes from x: icmp_seq=1 ttl=64 time=0.1 ms"; return 0; }',
  'ip() { return 0; }',
  'nslookup() { echo "Name: x"; echo "Address: 10.96.0.10"; return 0; }',
  'alias iptables-save=true',
];

describe('faking the tools', () => {
  it.each(drills.filter((d) => isK8s(d.scenario)).map((d) => [d.id, d] as const))('does not pass %s', async (_id, def) => {
    const a = await startAttempt(Session, def, SEEDS[3]!);
    const end = await play(Session, a.start, FAKES);
    const g = await grade(a.drill, contextFor(Session, end));
    expect(g.pass).toBe(false);
  }, 120_000);
});
