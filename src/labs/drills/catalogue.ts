// The catalogue as `npm run drills -- --list` prints it: one row per drill
// with its starting scenario in a column, and a count of the drills that
// start on a Kubernetes scenario (a `k8s-*` one).
import type { DrillDef } from './schema';

export const isClusterScenario = (scenario: string): boolean => scenario.startsWith('k8s-');

/** The catalogue's table: a header, a row per drill, and the totals line. */
export function catalogueTable(list: readonly DrillDef[]): string[] {
  const w = Math.max(2, ...list.map((d) => d.id.length)) + 1;
  const sw = Math.max(8, ...list.map((d) => d.scenario.length)) + 1;
  const rows = [`${'ID'.padEnd(w)} ${'SCENARIO'.padEnd(sw)} ${'DOMAIN'.padEnd(16)} ${'LEVEL'.padEnd(7)} TIME    TITLE`];
  for (const d of list) rows.push(`${d.id.padEnd(w)} ${d.scenario.padEnd(sw)} ${d.domain.padEnd(16)} ${d.difficulty.padEnd(7)} ${String(d.minutes).padStart(2)} min  ${d.title}`);
  const k8s = list.filter((d) => isClusterScenario(d.scenario)).length;
  rows.push(`${list.length} drills (${k8s} on a k8s-* scenario)`);
  return rows;
}
