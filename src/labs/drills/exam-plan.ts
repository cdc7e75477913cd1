// Exam mode's planning and scoring over the drill catalogue's metadata (id, scenario, domain, time budget):
// no drill definition, no check. The exam page (src/components/drill/exam-page.ts) uses it with the catalogue the
// page was built with, so that its script carries no drill definitions (they stay in the engine worker, issue 17);
// ./exam.ts applies it to the catalogue itself.
import { hashString, Rand } from './rand';
import type { DrillDef, ExamContext } from './schema';
import type { Grade } from './runner';

/** What planning an exam needs of a drill. */
export type ExamDrill = Pick<DrillDef, 'id' | 'title' | 'scenario' | 'domain' | 'minutes' | 'weight'>;

/** The pass mark out of 100 (the CKA's). */
export const PASS_MARK = 66;

/** Context names for the tasks of an exam, in order (the CKA names its clusters' contexts like these). */
export const CONTEXT_NAMES = ['k8s', 'hk8s', 'bk8s', 'wk8s', 'ek8s', 'ik8s', 'mk8s', 'nk8s', 'ok8s', 'pk8s', 'qk8s', 'rk8s', 'sk8s', 'tk8s', 'uk8s', 'vk8s', 'xk8s', 'yk8s', 'zk8s', 'ak8s'];

export interface ExamTask<D extends ExamDrill = DrillDef> {
  def: D;
  seed: number;
  /** for a task on a cluster: its context, and all of the exam's (undefined for a Linux task) */
  exam?: ExamContext;
}

export interface ExamPlan<D extends ExamDrill = DrillDef> {
  /** stable id of this attempt (drills, seed, minutes) */
  id: string;
  title: string;
  seed: number;
  minutes: number;
  tasks: ExamTask<D>[];
}

/** The seed of task `i` of an exam with seed `seed`. */
export function taskSeed(seed: number, i: number, drill: string): number {
  return ((hashString(`${seed}:${i}:${drill}`) % 0x7ffffffe) + 1) >>> 0;
}

/** The plan of an exam over drills `ids` of `catalogue` (throws on an unknown drill). */
export function planExamOf<D extends ExamDrill>(catalogue: readonly D[], ids: string[], minutes: number, seed: number, title = 'Custom exam'): ExamPlan<D> {
  const defs = ids.map((id) => {
    const def = catalogue.find((d) => d.id === id);
    if (!def) throw new Error(`unknown drill ${id}`);
    return def;
  });
  const cluster = defs.map((d, i) => (d.scenario.startsWith('k8s-') ? i : -1)).filter((i) => i >= 0);
  const contexts = cluster.map((_, k) => CONTEXT_NAMES[k % CONTEXT_NAMES.length]! + (k >= CONTEXT_NAMES.length ? String(Math.floor(k / CONTEXT_NAMES.length)) : ''));
  const tasks: ExamTask<D>[] = defs.map((def, i) => {
    const k = cluster.indexOf(i);
    return { def, seed: taskSeed(seed, i, def.id), ...(k >= 0 ? { exam: { context: contexts[k]!, contexts } } : {}) };
  });
  return { id: `${ids.join('+')}@${seed}/${minutes}`, title, seed, minutes, tasks };
}

/** `n` drills drawn from `catalogue` (spread over domains first), with the sum of their time budgets as a suggested limit. */
export function randomSelectionOf(catalogue: readonly ExamDrill[], n: number, seed: number): { ids: string[]; minutes: number } {
  const r = new Rand(seed, 'exam-selection');
  const byDomain = new Map<string, ExamDrill[]>();
  for (const d of r.shuffle(catalogue)) byDomain.set(d.domain, [...(byDomain.get(d.domain) ?? []), d]);
  const picked: ExamDrill[] = [];
  while (picked.length < Math.min(n, catalogue.length)) {
    for (const list of byDomain.values()) {
      const d = list.shift();
      if (d && picked.length < n) picked.push(d);
    }
  }
  return { ids: picked.map((d) => d.id), minutes: picked.reduce((s, d) => s + d.minutes, 0) };
}

/**
 * Points for one task: the full weight when every requirement is met, else
 * partial credit (as the CKA gives) for the share of requirements met among
 * those the untouched start did not already meet, so doing nothing earns 0.
 */
export function taskPoints(weight: number, end: Grade, start?: Grade): number {
  if (end.results.length === 0) return 0;
  if (end.pass) return weight;
  const owed = end.results.filter((r) => !start?.results.find((s) => s.id === r.id)?.pass);
  if (owed.length === 0) return 0;
  return (weight * owed.filter((r) => r.pass).length) / owed.length;
}

/** The exam score out of 100, weighted by task. */
export function examScore(tasks: { weight: number; points: number }[]): number {
  const total = tasks.reduce((s, t) => s + t.weight, 0);
  if (total === 0) return 0;
  return Math.round((100 * tasks.reduce((s, t) => s + t.points, 0)) / total);
}
