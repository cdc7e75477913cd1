// Exam mode: a set of drills under one clock, scored out of 100 by weight. The planning and scoring are
// ./exam-plan.ts (over the catalogue's metadata); here they apply to the catalogue, with the presets.
import { drills } from './index';
import type { DrillDef } from './schema';
import { planExamOf, randomSelectionOf, type ExamPlan } from './exam-plan';

export { CONTEXT_NAMES, examScore, PASS_MARK, taskPoints, taskSeed, type ExamDrill, type ExamPlan, type ExamTask } from './exam-plan';

export interface ExamPreset {
  id: string;
  title: string;
  description: string;
  drills: string[];
  minutes: number;
}

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

/** The plan of an exam over these drills of the catalogue. */
export function planExam(ids: string[], minutes: number, seed: number, title = 'Custom exam'): ExamPlan<DrillDef> {
  return planExamOf(drills, ids, minutes, seed, title);
}

/** `n` drills drawn from the catalogue (spread over domains first), with the sum of their time budgets as a suggested limit. */
export function randomSelection(n: number, seed: number): { ids: string[]; minutes: number } {
  return randomSelectionOf(drills, n, seed);
}
