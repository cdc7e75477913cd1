// Beyond the book: NetworkPolicy.
import { defineBank } from '../types';
import { fail, pass } from '../predicates';
import { kube } from '../../../k8s/cluster';
import type { World } from '../../../sim/world';

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: unknown[];
}
interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: unknown;
}
interface PolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}
interface Policy {
  metadata: { name: string; namespace?: string };
  spec: {
    podSelector: LabelSelector;
    policyTypes?: string[];
    ingress?: { from?: Peer[]; ports?: PolicyPort[] }[];
    egress?: { to?: Peer[]; ports?: PolicyPort[] }[];
  };
}

function policy(world: World, namespace: string, name: string): Policy | null {
  return (kube(world)?.tryGet('networkpolicies', namespace, name) as Policy | null | undefined) ?? null;
}
function policiesNamed(world: World, name: string): Policy[] {
  return ((kube(world)?.list('networkpolicies', null).items ?? []) as Policy[]).filter((p) => p.metadata.name === name);
}
const isEmptySelector = (s: LabelSelector | undefined) => !!s && Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;
const labelsAre = (s: LabelSelector | undefined, want: Record<string, string>) =>
  !!s && (s.matchExpressions ?? []).length === 0 && JSON.stringify(Object.entries(s.matchLabels ?? {}).sort()) === JSON.stringify(Object.entries(want).sort());
/** policyTypes as the API server defaults them. */
const typesOf = (p: Policy) => p.spec.policyTypes ?? ['Ingress', ...(p.spec.egress ? ['Egress'] : [])];

export default defineBank({
  chapter: 'network-policy',
  title: 'NetworkPolicy',
  questions: [
    {
      kind: 'single',
      id: 'isolation',
      competencies: ['network-policy'],
      prompt: 'Namespace `shop` has one NetworkPolicy, which selects the pods labelled `app=web` and allows ingress from `app=frontend`. What may connect to a pod of `shop` labelled `app=db`?',
      options: [
        { id: 'all', text: 'Anything: no policy selects it, so it is not isolated' },
        { id: 'frontend', text: 'Only pods labelled `app=frontend`', feedback: 'The policy selects `app=web` pods only; others are untouched.' },
        { id: 'none', text: 'Nothing: one policy in a namespace isolates all its pods', feedback: 'Isolation is per pod: only pods a policy selects are isolated.' },
        { id: 'ns', text: 'Only pods of namespace `shop`', feedback: 'No policy says so.' },
      ],
      answer: 'all',
      explanation: 'A pod becomes isolated for ingress only when a policy that selects it has `Ingress` in its policyTypes. `app=db` pods are selected by no policy, so everything may reach them. A namespace-wide default deny needs `podSelector: {}`.',
    },
    {
      kind: 'single',
      id: 'and-or',
      competencies: ['network-policy'],
      prompt: 'An ingress rule has `from: [{namespaceSelector: {matchLabels: {team: a}}, podSelector: {matchLabels: {role: client}}}]` (one list item with both selectors). Who is allowed?',
      options: [
        { id: 'and', text: 'Pods labelled `role=client` in namespaces labelled `team=a`' },
        { id: 'or', text: 'Every pod of namespaces `team=a`, and every `role=client` pod of the policy\'s namespace', feedback: 'That is two list items (two `-`): OR. One item with both selectors is AND.' },
        { id: 'ns', text: 'Every pod of namespaces labelled `team=a`', feedback: 'The podSelector in the same item narrows it.' },
        { id: 'local', text: '`role=client` pods of the policy\'s own namespace only', feedback: 'The namespaceSelector in the same item chooses the namespaces.' },
      ],
      answer: 'and',
      explanation: 'Inside one peer, `namespaceSelector` and `podSelector` must both match (AND). Separate peers (separate `-` items) are alternatives (OR). One missing `-` changes the meaning completely: read policies item by item.',
    },
    {
      kind: 'multiple',
      id: 'semantics',
      competencies: ['network-policy'],
      prompt: 'Which statements about NetworkPolicies are true? Select all that apply.',
      options: [
        { id: 'union', text: 'The traffic allowed to a pod is the union of what all policies selecting it allow' },
        { id: 'replies', text: 'Replies to an allowed connection are allowed without a rule for them' },
        { id: 'default', text: '`policyTypes` defaults to Ingress, plus Egress when the policy has egress rules' },
        { id: 'deny', text: 'A policy can deny a specific source that another policy allows', feedback: 'NetworkPolicies only allow; there is no deny rule, and order does not matter.' },
        { id: 'order', text: 'Policies are evaluated in creation order, the first match wins', feedback: 'There is no order: the allowed sets are added up.' },
      ],
      answers: ['union', 'replies', 'default'],
      explanation: 'Policies are additive allow-lists, without order or deny; enforcement is stateful, so replies of an allowed connection pass; and the API server fills in `policyTypes` when it is left out: Ingress always, Egress if there are egress rules.',
    },
    {
      kind: 'single',
      id: 'egress-dns',
      competencies: ['network-policy', 'coredns', 'troubleshoot-network'],
      prompt: 'After a default-deny egress policy plus a rule allowing egress to `app=db` pods on TCP 5432, the app reports "could not resolve host db". What is missing?',
      options: [
        { id: 'dns', text: 'An egress rule allowing DNS to the kube-dns pods (port 53, UDP and TCP)' },
        { id: 'ingress', text: 'An ingress rule on the db pods', feedback: 'The error is name resolution, which happens before any connection to db.' },
        { id: 'svc', text: 'A Service for db', feedback: 'The name fails to resolve because the DNS query itself is dropped.' },
        { id: 'restart', text: 'Restarting the app pods to reload the policy', feedback: 'Policies apply to running pods as soon as the plugin programs them.' },
      ],
      answer: 'dns',
      explanation: 'Egress isolation drops everything not allowed, including the queries to CoreDNS. Add an egress rule to `namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}` + `podSelector: {matchLabels: {k8s-app: kube-dns}}` on port 53 UDP and TCP.',
    },
    {
      kind: 'single',
      id: 'flannel',
      competencies: ['network-policy', 'troubleshoot-network'],
      prompt: 'On a cluster whose only network plugin is Flannel, you apply a default-deny ingress policy. What happens to traffic?',
      options: [
        { id: 'nothing', text: 'Nothing changes: the API stores the policy, but Flannel does not implement NetworkPolicy' },
        { id: 'drop', text: 'All ingress to the namespace\'s pods is dropped', feedback: 'Only a plugin that implements policies (Calico, Cilium...) would drop it.' },
        { id: 'reject', text: 'The API server rejects the policy', feedback: 'The API server validates and stores it whatever the plugin.' },
        { id: 'kubeproxy', text: 'kube-proxy enforces it instead', feedback: 'kube-proxy implements Services, never policies.' },
      ],
      answer: 'nothing',
      explanation: 'NetworkPolicy is enforced by the network plugin. Flannel builds the pod network only; a cluster that needs policies runs Calico or Cilium (or Flannel with Calico for policy, "Canal"). Check the plugin first when a correct policy seems to do nothing.',
    },
    {
      kind: 'text',
      id: 'ns-label',
      competencies: ['network-policy'],
      prompt: 'Which label, set automatically on every namespace, lets a namespaceSelector pick one namespace by its name? Type the label key.',
      normalise: { case: 'sensitive', spaces: 'remove' },
      accept: ['kubernetes.io/metadata.name'],
      wrong: [{ answer: 'name', feedback: 'A `name` label exists only if someone added it; the automatic one has a prefix.' }],
      placeholder: 'label key',
      explanation: 'The API server sets `kubernetes.io/metadata.name: NAME` on every namespace, so `namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}` selects kube-system without labelling it yourself.',
    },
    {
      kind: 'single',
      id: 'ipblock',
      competencies: ['network-policy'],
      prompt: 'What is `ipBlock` in a policy peer meant for?',
      options: [
        { id: 'external', text: 'Addresses outside the cluster (a CIDR, with `except` for holes in it)' },
        { id: 'pods', text: 'Selecting pods by their IPs', feedback: 'Pod IPs change with every restart; select pods by labels.' },
        { id: 'service', text: 'Selecting Services by their ClusterIP', feedback: 'Policies act on pod traffic after kube-proxy\'s DNAT, so ClusterIPs are not what they see.' },
        { id: 'nodes', text: 'Blocking nodes from reaching pods', feedback: 'ipBlock only allows; and node traffic is a special case for most plugins.' },
      ],
      answer: 'external',
      explanation: '`ipBlock: {cidr: 203.0.113.0/24, except: [203.0.113.7/32]}` allows a range of outside addresses. For traffic inside the cluster use pod and namespace selectors: pod IPs are ephemeral, and traffic through Services or from nodes may be NATed.',
    },
    {
      kind: 'number',
      id: 'endport',
      competencies: ['network-policy'],
      prompt: 'A rule\'s `ports` has `{protocol: TCP, port: 32000, endPort: 32010}`. How many TCP ports does it allow?',
      answer: 11,
      wrong: [{ answer: 10, feedback: 'Both ends are included.' }, { answer: 1, feedback: '`endPort` turns `port` into the start of a range.' }],
      explanation: '`endPort` makes the rule a range from `port` to `endPort`, both included: 32000 to 32010 is 11 ports. `endPort` is stable since Kubernetes 1.25 and needs a numeric `port`.',
    },
    {
      kind: 'command',
      id: 'default-deny',
      competencies: ['network-policy'],
      prompt: 'Create a NetworkPolicy `deny-all` in namespace `default` that denies all incoming traffic to every pod of the namespace.',
      scenario: 'k8s-cluster',
      solutions: [
        ['echo \'{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"deny-all"},"spec":{"podSelector":{},"policyTypes":["Ingress"]}}\' | kubectl apply -f -'],
        ["printf 'apiVersion: networking.k8s.io/v1\\nkind: NetworkPolicy\\nmetadata:\\n  name: deny-all\\n  namespace: default\\nspec:\\n  podSelector: {}\\n' > deny.yaml", 'kubectl create -f deny.yaml'],
      ],
      wrong: [
        ['echo \'{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"deny-all"},"spec":{"podSelector":{},"ingress":[{}]}}\' | kubectl apply -f -'],
        ['echo \'{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"deny-all"},"spec":{"podSelector":{},"policyTypes":["Egress"]}}\' | kubectl apply -f -'],
        ['echo \'{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"deny-all","namespace":"kube-system"},"spec":{"podSelector":{}}}\' | kubectl apply -f -'],
      ],
      check: ({ world, runs }) => {
        const p = policy(world, 'default', 'deny-all');
        if (!p) {
          const elsewhere = policiesNamed(world, 'deny-all')[0];
          return fail(runs, elsewhere ? `deny-all is in namespace ${elsewhere.metadata.namespace}, not default.` : 'There is no NetworkPolicy deny-all in namespace default.');
        }
        if (!isEmptySelector(p.spec.podSelector)) return fail(runs, 'Its podSelector must select every pod of the namespace: `podSelector: {}`.');
        if (!typesOf(p).includes('Ingress')) return fail(runs, 'Its policyTypes must include Ingress, or it does not isolate incoming traffic.');
        if ((p.spec.ingress ?? []).length > 0) return fail(runs, 'It has an ingress rule: an empty rule `{}` allows everything. A deny-all has no ingress rules.');
        return pass();
      },
      explanation: '`podSelector: {}` selects every pod of the namespace, `policyTypes: [Ingress]` (the default) isolates them for incoming traffic, and the absence of `ingress` rules allows nothing. An empty rule (`ingress: [{}]`) is the opposite: allow everything.',
    },
    {
      kind: 'command',
      id: 'allow-frontend',
      competencies: ['network-policy'],
      prompt: 'In namespace `default`, create a NetworkPolicy `allow-frontend` that lets only pods labelled `app=frontend` (of the same namespace) connect to the pods labelled `app=web`, on TCP port 80 only.',
      scenario: 'k8s-cluster',
      solutions: [
        ['echo \'{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"allow-frontend"},"spec":{"podSelector":{"matchLabels":{"app":"web"}},"policyTypes":["Ingress"],"ingress":[{"from":[{"podSelector":{"matchLabels":{"app":"frontend"}}}],"ports":[{"protocol":"TCP","port":80}]}]}}\' | kubectl apply -f -'],
        ["printf 'apiVersion: networking.k8s.io/v1\\nkind: NetworkPolicy\\nmetadata:\\n  name: allow-frontend\\nspec:\\n  podSelector:\\n    matchLabels:\\n      app: web\\n  ingress:\\n  - from:\\n    - podSelector:\\n        matchLabels:\\n          app: frontend\\n    ports:\\n    - port: 80\\n' | kubectl apply -f -"],
      ],
      wrong: [
        ['echo \'{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"allow-frontend"},"spec":{"podSelector":{"matchLabels":{"app":"web"}},"ingress":[{"from":[{"podSelector":{"matchLabels":{"app":"frontend"}}}]}]}}\' | kubectl apply -f -'],
        ['echo \'{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"allow-frontend"},"spec":{"podSelector":{"matchLabels":{"app":"frontend"}},"ingress":[{"from":[{"podSelector":{"matchLabels":{"app":"web"}}}],"ports":[{"port":80}]}]}}\' | kubectl apply -f -'],
        ['echo \'{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"allow-frontend"},"spec":{"podSelector":{"matchLabels":{"app":"web"}},"ingress":[{"from":[{"podSelector":{"matchLabels":{"app":"frontend"}},"namespaceSelector":{}}],"ports":[{"port":80}]}]}}\' | kubectl apply -f -'],
      ],
      check: ({ world, runs }) => {
        const p = policy(world, 'default', 'allow-frontend');
        if (!p) return fail(runs, 'There is no NetworkPolicy allow-frontend in namespace default.');
        if (!labelsAre(p.spec.podSelector, { app: 'web' })) return fail(runs, 'The policy protects the pods it selects: its podSelector must be `app=web` (the frontend goes in `from`).');
        if (!typesOf(p).includes('Ingress')) return fail(runs, 'Its policyTypes must include Ingress.');
        const rules = p.spec.ingress ?? [];
        if (rules.length !== 1) return fail(runs, `It needs exactly one ingress rule (it has ${rules.length}).`);
        const from = rules[0]!.from ?? [];
        if (from.length !== 1 || !labelsAre(from[0]!.podSelector, { app: 'frontend' })) return fail(runs, 'The rule\'s `from` must be one peer: `podSelector` `app=frontend`.');
        if (from[0]!.namespaceSelector || from[0]!.ipBlock) return fail(runs, 'With a namespaceSelector in the same peer, frontend pods of other namespaces get in too: use the podSelector alone.');
        const ports = rules[0]!.ports ?? [];
        if (ports.length !== 1 || String(ports[0]!.port) !== '80' || (ports[0]!.protocol ?? 'TCP') !== 'TCP' || ports[0]!.endPort !== undefined) return fail(runs, 'The rule must allow TCP port 80 only: `ports: [{protocol: TCP, port: 80}]`.');
        return pass();
      },
      explanation: 'The protected pods go in `spec.podSelector` (`app=web`), the allowed clients in the rule\'s `from` (`podSelector: app=frontend`, which means pods of the policy\'s own namespace), and the port in the same rule\'s `ports` (TCP is the default protocol). Without `ports` every port would be allowed.',
    },
  ],
});
