// The CKA competencies the course maps (content/curriculum.mdx): the Services &
// Networking domain of the curriculum in force since 2025-02-18 (v1.32 to
// v1.35 PDFs, cncf/curriculum; `text` quotes the curriculum where it has the
// item), and the networking side of Troubleshooting and of Cluster
// Architecture. Chapters name the competencies their sections cover in their
// frontmatter (`cka:`), quiz questions in their `competencies` field, drills in
// theirs; the curriculum map is computed from those, so it cannot drift, and
// content/curriculum.test.ts fails when a competency lacks a chapter section,
// a quiz question or a drill. The ids are the ones the drills use.
export const COMPETENCIES = {
  'pod-connectivity': { domain: 'Services & Networking (20%)', text: 'Understand connectivity between Pods' },
  'network-policy': { domain: 'Services & Networking (20%)', text: 'Define and enforce Network Policies' },
  services: { domain: 'Services & Networking (20%)', text: 'Use ClusterIP, NodePort, LoadBalancer service types and endpoints' },
  'gateway-api': { domain: 'Services & Networking (20%)', text: 'Use the Gateway API to manage Ingress traffic' },
  ingress: { domain: 'Services & Networking (20%)', text: 'Know how to use Ingress controllers and Ingress resources' },
  coredns: { domain: 'Services & Networking (20%)', text: 'Understand and use CoreDNS' },
  'troubleshoot-network': { domain: 'Troubleshooting (30%)', text: 'Troubleshoot services and networking' },
  'troubleshoot-cluster': { domain: 'Troubleshooting (30%)', text: 'Troubleshoot cluster components and nodes (the networking ones: kube-proxy, CoreDNS, the CNI, a node\'s kubelet)' },
  'cluster-config': {
    domain: 'Cluster Architecture, Installation & Configuration (25%)',
    text: 'Cluster networking configuration: the CNI plugin, pod and Service CIDRs, kube-proxy (from "Understand extension interfaces (CNI, CSI, CRI, etc.)")',
  },
} as const;

export type CompetencyId = keyof typeof COMPETENCIES;
export const COMPETENCY_IDS = Object.keys(COMPETENCIES) as [CompetencyId, ...CompetencyId[]];

export function isCompetency(id: string): id is CompetencyId {
  return Object.hasOwn(COMPETENCIES, id);
}
