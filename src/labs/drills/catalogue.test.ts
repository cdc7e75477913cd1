import { describe, expect, it } from 'vitest';
import { catalogueTable, isClusterScenario } from './catalogue';
import { drills } from './index';

describe('npm run drills -- --list', () => {
  const rows = catalogueTable(drills);
  const header = rows[0]!;

  it("shows each drill's starting scenario in its own column", () => {
    const col = header.indexOf('SCENARIO');
    expect(col).toBeGreaterThan(0);
    expect(rows).toHaveLength(drills.length + 2);
    drills.forEach((d, i) => {
      const row = rows[i + 1]!;
      expect(row.startsWith(d.id + ' ')).toBe(true);
      expect(row.slice(col).split(/\s+/)[0]).toBe(d.scenario);
    });
  });

  it('counts the drills that start on a k8s-* scenario (issue 15: at least 25 of at least 42)', () => {
    const k8s = drills.filter((d) => isClusterScenario(d.scenario));
    expect(rows.at(-1)).toBe(`${drills.length} drills (${k8s.length} on a k8s-* scenario)`);
    expect(drills.length).toBeGreaterThanOrEqual(42);
    expect(k8s.length).toBeGreaterThanOrEqual(25);
  });
});
