// Beyond the book: Troubleshooting Kubernetes networking.
import { defineBank } from '../types';
import { fail, pass } from '../predicates';
import { kube } from '../../../k8s/cluster';
import type { World } from '../../../sim/world';

/** Ready endpoint addresses of a Service, from its EndpointSlices. */
function readyEndpoints(world: World, ns: string, svc: string): string[] {
  const slices = (kube(world)?.list('endpointslices', ns, { labelSelector: `kubernetes.io/service-name=${svc}` }).items ?? []) as {
    endpoints?: { addresses?: string[]; conditions?: { ready?: boolean } }[];
    ports?: { port?: number }[];
  }[];
  return slices.flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).flatMap((e) => (e.addresses ?? []).map((a) => `${a}:${s.ports?.[0]?.port ?? ''}`)));
}

export default defineBank({
  chapter: 'troubleshooting',
  title: 'Troubleshooting Kubernetes networking',
  questions: [
    {
      kind: 'single',
      id: 'no-endpoints',
      competencies: ['troubleshoot-network', 'services'],
      prompt: '`kubectl get endpoints web` shows `<none>`, and the pods of the `web` Deployment are Running and Ready. What is the most likely cause?',
      options: [
        { id: 'selector', text: 'The Service\'s selector does not match the pods\' labels' },
        { id: 'targetport', text: 'A wrong targetPort', feedback: 'A wrong targetPort still gives endpoints, with the wrong port.' },
        { id: 'kubeproxy', text: 'kube-proxy is down', feedback: 'Endpoints are computed by the control plane, whatever kube-proxy does.' },
        { id: 'dns', text: 'CoreDNS is down', feedback: 'DNS does not decide endpoints.' },
      ],
      answer: 'selector',
      explanation: 'Endpoints are the ready pods the selector matches. Ready pods and no endpoints means the selector matches none of them: compare `kubectl get svc web -o jsonpath=\'{.spec.selector}\'` with `kubectl get pods --show-labels`.',
    },
    {
      kind: 'single',
      id: 'refused',
      competencies: ['troubleshoot-network', 'services'],
      prompt: 'A Service has endpoints `10.244.1.5:8080,10.244.1.6:8080`; connecting to its ClusterIP on port 80 is refused. `curl 10.244.1.5:80` works. What is wrong?',
      options: [
        { id: 'tp', text: 'The Service\'s targetPort is 8080 while the container listens on 80' },
        { id: 'port', text: 'The Service\'s port should be 8080', feedback: 'Clients use port 80 and the ClusterIP answers; the backend side is wrong.' },
        { id: 'policy', text: 'A NetworkPolicy drops the traffic', feedback: 'A policy drop times out; "refused" is an answer from the pod.' },
        { id: 'selector', text: 'The selector', feedback: 'The endpoints are the right pods: the selector works.' },
      ],
      answer: 'tp',
      explanation: 'The endpoints carry the targetPort, and kube-proxy DNATs to it: the pods receive connections on 8080, where nothing listens, and answer with a reset. Set `targetPort: 80` (or the container port\'s name).',
    },
    {
      kind: 'multiple',
      id: 'layers',
      competencies: ['troubleshoot-network'],
      prompt: 'From a client pod, `curl http://web` fails. Which tests each isolate one layer? Select all that apply.',
      options: [
        { id: 'podip', text: '`curl POD_IP:CONTAINER_PORT`: the pod and the pod network, without the Service' },
        { id: 'cip', text: '`curl CLUSTER_IP:PORT`: the Service and kube-proxy, without DNS' },
        { id: 'ns', text: '`nslookup web`: DNS alone' },
        { id: 'ping', text: '`ping CLUSTER_IP`: the Service', feedback: 'In iptables and nftables mode a ClusterIP does not answer ping even when the Service works.' },
      ],
      answers: ['podip', 'cip', 'ns'],
      explanation: 'Test the layers from the bottom: the pod directly, then the ClusterIP, then the name. The first that fails names the layer. Ping proves nothing about a Service except in IPVS mode.',
    },
    {
      kind: 'single',
      id: 'container-creating',
      competencies: ['troubleshoot-network', 'troubleshoot-cluster', 'pod-connectivity', 'cluster-config'],
      prompt: 'New pods stay in `ContainerCreating`; events say `FailedCreatePodSandBox ... plugin type="flannel" failed (add): failed to find plugin "flannel" in path [/opt/cni/bin]`. What is wrong?',
      options: [
        { id: 'cni', text: 'The network plugin is not installed on the node: its CNI configuration is there, its binary (and DaemonSet) are not' },
        { id: 'image', text: 'The image cannot be pulled', feedback: 'That gives ErrImagePull / ImagePullBackOff.' },
        { id: 'kubeproxy', text: 'kube-proxy is down', feedback: 'kube-proxy is not involved in creating a pod\'s network.' },
        { id: 'scheduler', text: 'The scheduler has not placed the pods', feedback: 'Unscheduled pods are Pending, not ContainerCreating.' },
      ],
      answer: 'cni',
      explanation: 'The runtime found a configuration naming `flannel` in /etc/cni/net.d and no such program in /opt/cni/bin. The plugin\'s DaemonSet installs both and writes subnet.env; apply its manifest.',
    },
    {
      kind: 'text',
      id: 'dns-label',
      competencies: ['troubleshoot-network', 'coredns'],
      prompt: 'With which label selector do you list the CoreDNS pods in kube-system (as `KEY=VALUE`)?',
      normalise: { case: 'sensitive', spaces: 'remove' },
      accept: ['k8s-app=kube-dns'],
      wrong: [{ answer: 'app=coredns', feedback: 'kubeadm keeps the old label of kube-dns on CoreDNS\'s pods.' }, { answer: 'k8s-app=coredns', feedback: 'The label value is still kube-dns.' }],
      placeholder: 'key=value',
      explanation: 'kubeadm labels CoreDNS\'s pods `k8s-app=kube-dns`, the label the `kube-dns` Service selects: `kubectl -n kube-system get pods -l k8s-app=kube-dns`.',
    },
    {
      kind: 'single',
      id: 'timeout-vs-refused',
      competencies: ['troubleshoot-network', 'network-policy'],
      prompt: 'On a Calico cluster, connections from one pod to another time out (no answer at all), while other clients reach the same pod. Which layer do you check first?',
      options: [
        { id: 'policy', text: 'NetworkPolicies selecting the target (or the client, for egress)' },
        { id: 'targetport', text: 'The Service\'s targetPort', feedback: 'A wrong port is refused, quickly, for every client.' },
        { id: 'dns', text: 'DNS', feedback: 'A DNS failure is "could not resolve", before any connection.' },
        { id: 'image', text: 'The container image', feedback: 'Other clients get answers: the pod works.' },
      ],
      answer: 'policy',
      explanation: 'Policies drop packets silently, so a client that is not allowed waits for its timeout, while allowed clients get answers. `kubectl get networkpolicy -n NS` and compare each selector with the two pods\' labels and namespaces.',
    },
    {
      kind: 'number',
      id: 'kube-proxy-pods',
      competencies: ['troubleshoot-cluster'],
      prompt: 'A kubeadm cluster has 1 control-plane node and 3 workers, all Ready. How many kube-proxy pods should run?',
      answer: 4,
      wrong: [{ answer: 3, feedback: 'kube-proxy\'s DaemonSet tolerates the control plane\'s taint: it runs there too.' }, { answer: 1, feedback: 'It is a DaemonSet: one per node.' }],
      explanation: 'kube-proxy is a DaemonSet with one pod per node, control plane included: each node needs its own rules, since each node handles the traffic of its own pods and its node ports.',
    },
    {
      kind: 'single',
      id: 'kube-proxy-crash',
      competencies: ['troubleshoot-cluster', 'services'],
      prompt: 'kube-proxy crash-loops on every node since an hour ago. Which symptom do you expect?',
      options: [
        { id: 'new', text: 'Services that existed before keep working; Services created or changed since then get no (or stale) rules' },
        { id: 'all', text: 'Every Service stops at once', feedback: 'The rules stay in the nodes\' kernels when kube-proxy stops; nothing removes them.' },
        { id: 'pods', text: 'Pods cannot reach each other by IP', feedback: 'Pod-to-pod traffic is the CNI\'s, not kube-proxy\'s.' },
        { id: 'dns', text: 'Only DNS breaks', feedback: 'DNS works through its Service as long as its rules are there.' },
      ],
      answer: 'new',
      explanation: 'kube-proxy programs rules and leaves them: when it stops, the kernel keeps forwarding with the last rules. Changes (new Services, new endpoints after pods restart) no longer reach the nodes, which makes this fault look random. Read its pods\' logs and its DaemonSet\'s command and ConfigMap.',
    },
    {
      kind: 'command',
      id: 'fix-selector',
      competencies: ['troubleshoot-network', 'services'],
      prompt: 'The Service `web` (namespace default, port 80) reaches no pod, although the `web` Deployment\'s pods run. Fix it so that it has the Deployment\'s pods as endpoints on port 80.',
      scenario: 'k8s-fault-selector',
      solutions: [
        ['echo \'{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[{"port":80,"targetPort":80}]}}\' | kubectl apply -f -'],
        ['kubectl delete svc web', 'kubectl expose deployment web --port=80'],
      ],
      wrong: [['kubectl delete svc web'], ['kubectl get svc web -o yaml'], ['echo \'{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[{"port":80,"targetPort":8080}]}}\' | kubectl apply -f -']],
      check: ({ world, runs }) => {
        const svc = kube(world)?.tryGet('services', 'default', 'web');
        if (!svc) return fail(runs, 'The Service web no longer exists: create it again, in front of the Deployment.');
        const eps = readyEndpoints(world, 'default', 'web');
        if (eps.length === 0) return fail(runs, 'web still has no endpoints: its selector must match the labels of the Deployment\'s pods (`kubectl get pods --show-labels`).');
        if (!eps.every((e) => e.endsWith(':80'))) return fail(runs, `web's endpoints are ${eps.join(', ')}: the pods listen on port 80 (targetPort).`);
        return pass();
      },
      explanation: 'The selector was `app=webapp`, the pods are `app=web`. Apply the Service with the right selector, or recreate it with `kubectl expose deployment web --port=80`, which copies the Deployment\'s selector. Check with `kubectl get endpoints web`.',
    },
    {
      kind: 'command',
      id: 'fix-coredns',
      competencies: ['troubleshoot-network', 'coredns'],
      prompt: 'Names do not resolve in this cluster. Find why and make CoreDNS serve again (leave the kube-dns Service as it is).',
      scenario: 'k8s-fault-coredns',
      solutions: [['kubectl -n kube-system scale deployment coredns --replicas=2', 'sleep 20'], ['kubectl scale deploy/coredns -n kube-system --replicas=1', 'sleep 30']],
      wrong: [['kubectl scale deployment coredns --replicas=2'], ['kubectl -n kube-system delete pod -l k8s-app=kube-dns'], ['kubectl -n kube-system get pods']],
      check: ({ world, runs }) => {
        const eps = readyEndpoints(world, 'kube-system', 'kube-dns');
        if (eps.length > 0) return pass();
        const dep = kube(world)?.tryGet('deployments', 'kube-system', 'coredns') as { spec?: { replicas?: number } } | null | undefined;
        if ((dep?.spec?.replicas ?? 0) === 0) return fail(runs, 'kube-dns still has no endpoints: the coredns Deployment in kube-system wants 0 replicas.');
        return fail(runs, 'The coredns Deployment wants pods again, but none is ready yet: give them time (`sleep 20`) and look again.');
      },
      explanation: 'The `coredns` Deployment in kube-system was scaled to 0, so `kube-dns` had no endpoints. `kubectl -n kube-system scale deployment coredns --replicas=2` brings the pods back; once they are ready, kube-dns has endpoints and pods resolve names again.',
    },
  ],
});
