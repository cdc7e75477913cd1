// Exam mode: a set of drills under one clock, scored out of 100 by weight.
import { drills, drillById } from './index';
import { hashString, Rand } from './rand';
import type { DrillDef } from './schema';
import type { Grade } from './runner';

export interface ExamPreset {
  id: string;
  title: string;
  description: string;
  drills: string[];
  minutes: number;
}

export const PASS_MARK = 66;

export const PRESETS: ExamPreset[] = [
  {
    id: 'mock-a',
    title: 'Mock exam A',
    description: 'Eight tasks across namespaces, routing, NAT, DNS and a node’s facts, in 60 minutes.',
    drills: ['netns-veth-pair', 'netns-gateway-route', 'masquerade-subnet', 'hosts-entry', 'fix-netns-lan', 'router-forwarding', 'dnat-port-forward', 'netns-bridge-four'],
    minutes: 60,
  },
  {
    id: 'mock-b',
    title: 'Mock exam B',
    description: 'Eight tasks weighted towards troubleshooting and a control-plane node’s facts, in 45 minutes.',
    drills: ['k8s-component-port', 'fix-router', 'k8s-etcd-clients', 'resolv-nameserver', 'k8s-pod-bridge', 'route-two-networks', 'k8s-cni-config', 'k8s-node-mac'],
    minutes: 45,
  },
];

export interface ExamTask {
  def: DrillDef;
  seed: number;
}

export interface ExamPlan {
  /** stable id of this attempt (drills, seed, minutes) */
  id: string;
  title: string;
  seed: number;
  minutes: number;
  tasks: ExamTask[];
}

/** The seed of task `i` of an exam with seed `seed`. */
export function taskSeed(seed: number, i: number, drill: string): number {
  return ((hashString(`${seed}:${i}:${drill}`) % 0x7ffffffe) + 1) >>> 0;
}

export function planExam(ids: string[], minutes: number, seed: number, title = 'Custom exam'): ExamPlan {
  const tasks = ids.map((id, i) => {
    const def = drillById(id);
    if (!def) throw new Error(`unknown drill ${id}`);
    return { def, seed: taskSeed(seed, i, id) };
  });
  return { id: `${ids.join('+')}@${seed}/${minutes}`, title, seed, minutes, tasks };
}

/** `n` drills drawn from the catalogue (spread over domains first), with the sum of their time budgets as a suggested limit. */
export function randomSelection(n: number, seed: number): { ids: string[]; minutes: number } {
  const r = new Rand(seed, 'exam-selection');
  const byDomain = new Map<string, DrillDef[]>();
  for (const d of r.shuffle(drills)) byDomain.set(d.domain, [...(byDomain.get(d.domain) ?? []), d]);
  const picked: DrillDef[] = [];
  while (picked.length < Math.min(n, drills.length)) {
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
