import { describe, expect, it } from 'vitest';
import { examScore, planExam, PRESETS, randomSelection, taskPoints, taskSeed } from './exam';
import { drillById } from './index';
import type { Grade } from './runner';

const g = (...pass: boolean[]): Grade => ({ pass: pass.every(Boolean), results: pass.map((p, i) => ({ id: `r${i}`, text: `r${i}`, pass: p, message: p ? null : 'no' })) });

describe('exam scoring', () => {
  it('gives the full weight for a solved task and nothing for an untouched one', () => {
    expect(taskPoints(7, g(true, true, true))).toBe(7);
    expect(taskPoints(7, g(true, false, false), g(true, false, false))).toBe(0);
  });

  it('gives partial credit only for requirements the start did not meet', () => {
    expect(taskPoints(6, g(true, true, false), g(true, false, false))).toBe(3);
    expect(taskPoints(6, g(true, true, false))).toBe(4);
  });

  it('weights tasks and rounds to 0-100', () => {
    expect(examScore([{ weight: 4, points: 4 }, { weight: 6, points: 0 }])).toBe(40);
    expect(examScore([{ weight: 3, points: 3 }, { weight: 3, points: 1.5 }])).toBe(75);
    expect(examScore([])).toBe(0);
  });
});

describe('exam plans', () => {
  it('presets name real drills', () => {
    for (const p of PRESETS) for (const id of p.drills) expect(drillById(id), id).not.toBeNull();
  });

  it('gives each task its own reproducible seed', () => {
    const a = planExam(['netns-veth-pair', 'hosts-entry'], 10, 77);
    const b = planExam(['netns-veth-pair', 'hosts-entry'], 10, 77);
    expect(a.tasks.map((t) => t.seed)).toEqual(b.tasks.map((t) => t.seed));
    expect(a.tasks[0]!.seed).not.toBe(a.tasks[1]!.seed);
    expect(taskSeed(77, 0, 'x')).not.toBe(taskSeed(78, 0, 'x'));
    expect(() => planExam(['nope'], 10, 1)).toThrow(/unknown drill/);
  });

  it('draws distinct drills spread over domains', () => {
    const s = randomSelection(4, 5);
    expect(new Set(s.ids).size).toBe(4);
    const domains = new Set(s.ids.map((id) => drillById(id)!.domain));
    expect(domains.size).toBeGreaterThanOrEqual(Math.min(4, 3));
    expect(s.minutes).toBe(s.ids.reduce((m, id) => m + drillById(id)!.minutes, 0));
  });
});
