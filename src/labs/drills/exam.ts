// Exam mode: a set of drills under one clock, scored out of 100 by weight.
import { drills, drillById } from './index';
import { hashString, Rand } from './rand';
import type { DrillDef, ExamContext } from './schema';
import type { Grade } from './runner';

export interface ExamPreset {
  id: string;
  title: string;
  description: string;
  drills: string[];
  minutes: number;
}

export const PASS_MARK = 66;

/**
 * The mock exams, in the CKA's shape: 16 tasks in two hours, each weighted,
 * each cluster task on its own kubectl context. The mix follows the exam's
 * domains as far as they concern networking (Troubleshooting 30%, Services
 * & Networking 20%, Cluster Architecture 25%) plus the Linux networking the
 * course teaches: about a third troubleshooting, a third Services, DNS and
 * connectivity, the rest cluster configuration and Linux tasks.
 */
export const PRESETS: ExamPreset[] = [
  {
    id: 'mock-a',
    title: 'Mock exam A',
    description: '16 tasks in 2 hours: 11 on the Kubernetes cluster (Services, DNS, NetworkPolicy, Ingress and the Gateway API, troubleshooting, cluster networking), each on its own context, and 5 Linux networking tasks.',
    drills: [
      'k8s-expose-clusterip',
      'netns-veth-pair',
      'k8s-fix-svc-selector',
      'k8s-dns-cross-namespace',
      'k8s-cluster-net-facts',
      'masquerade-subnet',
      'k8s-fix-coredns',
      'k8s-nodeport-which-pod',
      'hosts-entry',
      'k8s-headless-dns',
      'k8s-install-cni',
      'netns-gateway-route',
      'k8s-netpol-allow-app',
      'k8s-ingress-paths',
      'dnat-port-forward',
      'k8s-gateway-route',
    ],
    minutes: 120,
  },
  {
    id: 'mock-b',
    title: 'Mock exam B',
    description: '16 tasks in 2 hours, weighted towards troubleshooting: 12 on the Kubernetes cluster (including NetworkPolicy, Gateway API traffic splitting and an Ingress migration), each on its own context, and 4 Linux networking tasks.',
    drills: [
      'k8s-fix-kube-proxy',
      'k8s-expose-nodeport',
      'fix-router',
      'k8s-fix-svc-targetport',
      'k8s-externalname',
      'k8s-service-cidr',
      'resolv-nameserver',
      'k8s-named-targetport',
      'k8s-fix-kubelet',
      'route-two-networks',
      'k8s-cni-config',
      'k8s-ingress-to-route',
      'router-forwarding',
      'k8s-route-split',
      'k8s-netpol-deny-dns',
      'k8s-fix-coredns',
    ],
    minutes: 120,
  },
];

/** Context names for the tasks of an exam, in order (the CKA names its clusters' contexts like these). */
export const CONTEXT_NAMES = ['k8s', 'hk8s', 'bk8s', 'wk8s', 'ek8s', 'ik8s', 'mk8s', 'nk8s', 'ok8s', 'pk8s', 'qk8s', 'rk8s', 'sk8s', 'tk8s', 'uk8s', 'vk8s', 'xk8s', 'yk8s', 'zk8s', 'ak8s'];

export interface ExamTask {
  def: DrillDef;
  seed: number;
  /** for a task on a cluster: its context, and all of the exam's (undefined for a Linux task) */
  exam?: ExamContext;
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
  const defs = ids.map((id) => {
    const def = drillById(id);
    if (!def) throw new Error(`unknown drill ${id}`);
    return def;
  });
  const cluster = defs.map((d, i) => (d.scenario.startsWith('k8s-') ? i : -1)).filter((i) => i >= 0);
  const contexts = cluster.map((_, k) => CONTEXT_NAMES[k % CONTEXT_NAMES.length]! + (k >= CONTEXT_NAMES.length ? String(Math.floor(k / CONTEXT_NAMES.length)) : ''));
  const tasks: ExamTask[] = defs.map((def, i) => {
    const k = cluster.indexOf(i);
    return { def, seed: taskSeed(seed, i, def.id), ...(k >= 0 ? { exam: { context: contexts[k]!, contexts } } : {}) };
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
