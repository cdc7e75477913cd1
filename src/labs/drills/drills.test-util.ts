// Every drill: the reference solution passes, the untouched start fails, and
// each plausible wrong attempt fails the requirement it names (mentioning the
// culprit where the drill says which), every alternative solution passes; an
// attempt that only fakes the tools the checks use (runner.ts FAKE_LINES:
// functions and aliases named kubectl, curl, ping, ip...) fails, and the
// reference passes with the terminal left logged into another host.
//
// The Linux drills run over 20 seeds here. The Kubernetes drills boot a
// cluster per attempt: the unit tests run them over a fixed slice of one
// seed (npm test's time budget); `npm run drills -- --verify` runs every
// drill over the 20 seeds.
//
// The drills are shared out over three test files (drills-linux, drills-k8s-a, drills-k8s-b.test.ts), so that
// the two test workers run them side by side: in one file they took 169 s on one worker while the other was idle.
// drills-split.test.ts checks that the three parts hold every drill once.
import { describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { drills } from './index';
import { verifyDrill } from './runner';
import type { DrillDef } from './schema';

export const SEEDS = Array.from({ length: 20 }, (_, i) => 1 + i * 7919);
export const K8S_SLICE = [SEEDS[13]!];
const isK8s = (scenario: string) => scenario.startsWith('k8s-');

export type Part = 'linux' | 'k8s-a' | 'k8s-b';

/** The drills of one part: the Linux ones; the Kubernetes ones alternately (their costs vary along the list). */
export function drillsOf(part: Part): DrillDef[] {
  if (part === 'linux') return drills.filter((d) => !isK8s(d.scenario));
  const k8s = drills.filter((d) => isK8s(d.scenario));
  return k8s.filter((_, i) => i % 2 === (part === 'k8s-a' ? 0 : 1));
}

export function verifyDrills(part: Part): void {
  describe.each(drillsOf(part).map((d) => [d.id, d] as const))('drill %s', (_id, def) => {
    const seeds = isK8s(def.scenario) ? K8S_SLICE : SEEDS;
    it.each(seeds)('verifies with seed %i', async (seed) => {
      // on the first seed also: the faking attempt (functions and aliases for ip, ping, curl, kubectl, ...)
      // fails, and the reference passes with the terminal left logged into another host
      const opts = seed === seeds[0] ? { fakes: true, loggedInElsewhere: true } : {};
      const problems = await verifyDrill(Session, def, seed, opts);
      expect(problems.map((p) => p.problem)).toEqual([]);
    });
  });
}
