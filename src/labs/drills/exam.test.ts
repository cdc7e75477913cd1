import { describe, expect, it } from 'vitest';
import { examScore, PASS_MARK, planExam, PRESETS, randomSelection, taskPoints, taskSeed } from './exam';
import { planExamOf, randomSelectionOf } from './exam-plan';
import { Session } from '../../shell/session';
import { contextFor, grade, play, startAttempt } from './runner';
import { instantiate } from './schema';
import { drillById, drills } from './index';
import type { Grade } from './runner';
import { World } from '../../sim/world';

/** A candidate's time per typed line (reading the output, typing the next), on top of the simulated clock the line advances. */
const TYPING_MS = 20_000;
const clockOf = (snap: { world: string }) => World.restore(snap.world).now();

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

  it("the exam page's plans, from the catalogue's metadata alone, are the catalogue's own", () => {
    // what DrillExam.astro writes into the page (data-catalogue): no definitions, no checks
    const meta = JSON.parse(JSON.stringify(drills.map(({ id, title, scenario, domain, minutes, weight }) => ({ id, title, scenario, domain, minutes, weight })))) as typeof drills;
    for (const p of PRESETS) {
      const own = planExam(p.drills, p.minutes, 9, p.title);
      const page = planExamOf(meta, p.drills, p.minutes, 9, p.title);
      expect(page.id).toBe(own.id);
      expect(page.tasks.map((t) => [t.def.id, t.seed, t.exam])).toEqual(own.tasks.map((t) => [t.def.id, t.seed, t.exam]));
    }
    for (const seed of [1, 5, 99]) expect(randomSelectionOf(meta, 6, seed)).toEqual(randomSelection(6, seed));
    expect(() => planExamOf(meta, ['nope'], 10, 1)).toThrow(/unknown drill/);
  });

  it('draws distinct drills spread over domains', () => {
    const s = randomSelection(4, 5);
    expect(new Set(s.ids).size).toBe(4);
    const domains = new Set(s.ids.map((id) => drillById(id)!.domain));
    expect(domains.size).toBeGreaterThanOrEqual(Math.min(4, 3));
    expect(s.minutes).toBe(s.ids.reduce((m, id) => m + drillById(id)!.minutes, 0));
  });
});

describe('mock exams', () => {
  it('have the CKA shape: 15-17 weighted tasks in two hours, cluster tasks on their own contexts, Kubernetes in both', () => {
    for (const p of PRESETS) {
      expect(p.drills.length).toBeGreaterThanOrEqual(15);
      expect(p.drills.length).toBeLessThanOrEqual(17);
      expect(p.minutes).toBe(120);
      const plan = planExam(p.drills, p.minutes, 3, p.title);
      expect(plan.tasks.reduce((s, t) => s + t.def.minutes, 0)).toBeLessThanOrEqual(120);
      const cluster = plan.tasks.filter((t) => t.def.scenario.startsWith('k8s-'));
      expect(cluster.length).toBeGreaterThanOrEqual(8);
      expect(new Set(cluster.map((t) => t.exam?.context)).size).toBe(cluster.length);
      for (const t of cluster) {
        const inst = instantiate(t.def, t.seed, t.exam);
        expect(inst.task).toContain(`kubectl config use-context ${t.exam!.context}`);
      }
    }
  });

  it.each(PRESETS.map((p) => [p.id, p] as const))('%s is passed by its reference solutions within its two hours of simulated work, and failed by an empty attempt', async (_id, p) => {
    const plan = planExam(p.drills, p.minutes, 11, p.title);
    const solved: { weight: number; points: number }[] = [];
    const empty: { weight: number; points: number }[] = [];
    let worked = 0;
    for (const t of plan.tasks) {
      const a = await startAttempt(Session, t.def, t.seed, t.exam);
      const start = await grade(a.drill, contextFor(Session, a.start, a.start));
      if (t.exam) {
        // the kubeconfig holds every context of the exam
        const s = await Session.restore(a.start);
        const r = await s.run('kubectl config get-contexts -o name');
        expect(r.output.split('\n')).toEqual(expect.arrayContaining(t.exam.contexts));
      }
      const endSnap = await play(Session, a.start, a.drill.solution);
      const end = await grade(a.drill, contextFor(Session, endSnap, a.start));
      expect(end.results.filter((r) => !r.pass).map((r) => `${t.def.id}: ${r.message}`)).toEqual([]);
      // the simulated time the reference takes: the clock its commands advance (waits, sleeps, pings) plus typing
      const work = clockOf(endSnap) - clockOf(a.start) + TYPING_MS * a.drill.solution.length;
      expect(work, `${t.def.id}: ${Math.round(work / 1000)} s of simulated work`).toBeLessThanOrEqual(t.def.minutes * 60_000);
      worked += work;
      solved.push({ weight: t.def.weight, points: taskPoints(t.def.weight, end, start) });
      empty.push({ weight: t.def.weight, points: taskPoints(t.def.weight, start, start) });
    }
    expect(examScore(solved)).toBe(100);
    // passed within the exam's two hours of simulated work
    expect(worked).toBeLessThanOrEqual(p.minutes * 60_000);
    expect(examScore(empty)).toBeLessThan(PASS_MARK);
    expect(examScore(empty)).toBe(0);
  }, 900_000);
});
