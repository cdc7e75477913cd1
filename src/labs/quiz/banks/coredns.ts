// Beyond the book: CoreDNS and service discovery.
import { defineBank } from '../types';
import { fail, lastRun, outputLines, pass, singleLine } from '../predicates';
import { kube } from '../../../k8s/cluster';
import type { World } from '../../../sim/world';

/** The kube-dns Service's ClusterIP, as the cluster holds it. */
function dnsServiceIp(world: World): string | null {
  const svc = kube(world)?.tryGet('services', 'kube-system', 'kube-dns') as { spec?: { clusterIP?: string } } | null | undefined;
  return svc?.spec?.clusterIP ?? null;
}

export default defineBank({
  chapter: 'coredns',
  title: 'CoreDNS and service discovery',
  questions: [
    {
      kind: 'text',
      id: 'fqdn',
      competencies: ['coredns'],
      prompt: 'A Service `api` lives in namespace `shop`; the cluster domain is `cluster.local`. What is its fully qualified name (without a trailing dot)?',
      normalise: { case: 'insensitive', spaces: 'remove', trailingDot: true },
      accept: ['api.shop.svc.cluster.local'],
      wrong: [
        { answer: 'api.shop.cluster.local', feedback: 'Services live under `svc`: SERVICE.NAMESPACE.svc.DOMAIN.' },
        { answer: 'shop.api.svc.cluster.local', feedback: 'The Service comes first, then its namespace.' },
        { answer: 'api.svc.shop.cluster.local', feedback: 'The order is SERVICE.NAMESPACE.svc.DOMAIN.' },
      ],
      placeholder: 'name',
      explanation: 'A Service\'s A record is `SERVICE.NAMESPACE.svc.CLUSTER-DOMAIN`: `api.shop.svc.cluster.local`. Pods use shorter forms only thanks to their search list.',
    },
    {
      kind: 'single',
      id: 'other-namespace',
      competencies: ['coredns', 'troubleshoot-network'],
      prompt: 'A pod in namespace `web` runs `nslookup api` and gets no answer, although the Service `api` exists in namespace `shop`. Why?',
      options: [
        { id: 'search', text: 'Its search list starts with `web.svc.cluster.local`: `api` is looked up as `api.web.svc.cluster.local`, which does not exist' },
        { id: 'policy', text: 'A NetworkPolicy blocks DNS between namespaces', feedback: 'Nothing says a policy exists; and the name would fail the same way without one.' },
        { id: 'cross', text: 'Services cannot be reached from another namespace', feedback: 'They can, by a name that includes the namespace.' },
        { id: 'ndots', text: '`ndots:5` makes short names go straight to the upstream servers', feedback: 'It is the reverse: names with fewer than 5 dots are tried with the search domains first.' },
      ],
      answer: 'search',
      explanation: 'The search list of a pod of namespace `web` is `web.svc.cluster.local svc.cluster.local cluster.local`. A short name only ever finds Services of the pod\'s own namespace; use `api.shop` (completed to `api.shop.svc.cluster.local`) or the full name.',
    },
    {
      kind: 'number',
      id: 'ndots-tries',
      competencies: ['coredns'],
      prompt: 'A pod of namespace `default` (search list `default.svc.cluster.local svc.cluster.local cluster.local`, `ndots:5`) looks up `www.example.com`, which exists on the Internet. How many names are queried before the one that answers (not counting the answering one)?',
      answer: 3,
      wrong: [{ answer: 0, feedback: '`www.example.com` has only two dots, fewer than 5: the search domains are tried first.' }],
      explanation: 'With fewer dots than `ndots`, the resolver appends each search domain in turn: `www.example.com.default.svc.cluster.local`, `www.example.com.svc.cluster.local`, `www.example.com.cluster.local` (three NXDOMAIN answers), then tries the name as it is. Writing `www.example.com.` (absolute) skips them.',
    },
    {
      kind: 'single',
      id: 'headless',
      competencies: ['coredns', 'services'],
      prompt: 'What does the name of a headless Service (`clusterIP: None`) with three ready pods resolve to?',
      options: [
        { id: 'pods', text: 'Three A records, the pods\' own IPs' },
        { id: 'none', text: 'Nothing: without a ClusterIP there is no record', feedback: 'Headless Services exist precisely to publish the pods\' addresses in DNS.' },
        { id: 'node', text: 'The IPs of the nodes the pods run on', feedback: 'Pods have their own IPs, and DNS returns those.' },
        { id: 'cname', text: 'A CNAME to the first pod', feedback: 'That is what an ExternalName Service does, to an outside name.' },
      ],
      answer: 'pods',
      explanation: 'A headless Service has no virtual IP and no kube-proxy rules: CoreDNS answers its name with one A record per ready endpoint, and the client picks one. StatefulSets use it for stable per-pod names (`POD.SERVICE.NS.svc.cluster.local`).',
    },
    {
      kind: 'multiple',
      id: 'srv',
      competencies: ['coredns'],
      prompt: 'A Service `web` in `default` has `ports: [{name: http, port: 80}]`. Which of these names does CoreDNS answer? Select all that apply.',
      options: [
        { id: 'a', text: '`web.default.svc.cluster.local` (A)' },
        { id: 'srv', text: '`_http._tcp.web.default.svc.cluster.local` (SRV)' },
        { id: 'srv80', text: '`_80._tcp.web.default.svc.cluster.local` (SRV)', feedback: 'SRV records are named after the port\'s name, not its number; an unnamed port has none.' },
        { id: 'nosvc', text: '`web.default.cluster.local` (A)', feedback: 'Services are under `svc`.' },
      ],
      answers: ['a', 'srv'],
      explanation: 'Every Service gets an A record (its ClusterIP). Each **named** port also gets an SRV record `_NAME._PROTOCOL.SERVICE.NAMESPACE.svc.DOMAIN` giving the port number and the Service\'s name.',
    },
    {
      kind: 'single',
      id: 'externalname',
      competencies: ['coredns', 'services'],
      prompt: 'What does an ExternalName Service `search` with `externalName: www.example.com` create?',
      options: [
        { id: 'cname', text: 'A CNAME record from `search.NAMESPACE.svc.cluster.local` to `www.example.com`, and no ClusterIP or proxy rules' },
        { id: 'proxy', text: 'A ClusterIP that kube-proxy forwards to www.example.com', feedback: 'ExternalName Services have no ClusterIP and kube-proxy ignores them.' },
        { id: 'endpoints', text: 'Endpoints holding www.example.com\'s addresses', feedback: 'It has no selector and no endpoints: it is only DNS.' },
        { id: 'ingress', text: 'An Ingress rule for www.example.com', feedback: 'Ingress is unrelated.' },
      ],
      answer: 'cname',
      explanation: 'An ExternalName Service is a DNS alias: CoreDNS answers its name with a CNAME to `externalName`, and the client resolves that name itself. It gives an outside service an in-cluster name that can later be replaced by a real Service.',
    },
    {
      kind: 'single',
      id: 'corefile-plugin',
      competencies: ['coredns'],
      prompt: 'In kubeadm\'s Corefile, which plugin sends names outside the cluster domain to the node\'s name servers?',
      options: [
        { id: 'forward', text: '`forward . /etc/resolv.conf`' },
        { id: 'kubernetes', text: '`kubernetes cluster.local in-addr.arpa ip6.arpa`', feedback: 'That one answers the cluster\'s own names.' },
        { id: 'cache', text: '`cache 30`', feedback: '`cache` keeps answers; it does not ask anyone.' },
        { id: 'loop', text: '`loop`', feedback: '`loop` detects forwarding loops and stops CoreDNS.' },
      ],
      answer: 'forward',
      explanation: '`forward . /etc/resolv.conf` forwards every name no earlier plugin answered to the servers listed in the CoreDNS pod\'s resolv.conf, which for CoreDNS (dnsPolicy Default) is the node\'s. A stub domain is a server block with its own `forward`: `example.com:53 { forward . 10.0.0.53 }`.',
    },
    {
      kind: 'single',
      id: 'corefile-reload',
      competencies: ['coredns'],
      prompt: 'You added a `hosts` block to the `coredns` ConfigMap. What makes CoreDNS use it?',
      options: [
        { id: 'reload', text: 'The `reload` plugin notices the changed Corefile (checked every 30 s by default) and reloads it; `kubectl -n kube-system rollout restart deployment coredns` does it at once' },
        { id: 'nothing', text: 'Nothing: ConfigMaps are read only when a pod starts, and CoreDNS never restarts by itself', feedback: 'Mounted ConfigMaps are updated in the pod after a delay, and kubeadm\'s Corefile has `reload`.' },
        { id: 'kubelet', text: 'Restarting the kubelet', feedback: 'The kubelet does not read the Corefile.' },
        { id: 'apply', text: 'The API server pushes it to CoreDNS', feedback: 'CoreDNS reads its Corefile from the mounted file.' },
      ],
      answer: 'reload',
      explanation: 'The ConfigMap is mounted as a volume; the kubelet updates the file after a short delay, and the `reload` plugin re-reads it when its checksum changes. A syntax error makes the reload fail (the old configuration keeps running); a restart with a broken Corefile crash-loops the pods.',
    },
    {
      kind: 'multiple',
      id: 'debug-order',
      competencies: ['coredns', 'troubleshoot-network'],
      prompt: '`nslookup kubernetes.default` from a pod says `no servers could be reached`. Which checks are relevant? Select all that apply.',
      options: [
        { id: 'resolv', text: 'The pod\'s `/etc/resolv.conf` names the kube-dns ClusterIP' },
        { id: 'pods', text: 'The CoreDNS pods run and are ready (`kubectl -n kube-system get pods -l k8s-app=kube-dns`)' },
        { id: 'ep', text: '`kube-dns` has endpoints (`kubectl -n kube-system get endpoints kube-dns`)' },
        { id: 'ingress', text: 'The IngressClass of the cluster', feedback: 'Ingress is HTTP routing, unrelated to DNS.' },
      ],
      answers: ['resolv', 'pods', 'ep'],
      explanation: 'No answer at all means the server is unreachable: check where the pod sends its queries, whether the DNS pods run, and whether the Service has endpoints (CoreDNS scaled to 0 leaves the Service without any). An `NXDOMAIN` answer would instead point at the name.',
    },
    {
      kind: 'command',
      id: 'dns-service-ip',
      competencies: ['coredns'],
      prompt: 'Print the ClusterIP of the cluster\'s DNS Service, and nothing else.',
      scenario: 'k8s-cluster',
      solutions: [
        ["kubectl -n kube-system get svc kube-dns -o jsonpath='{.spec.clusterIP}'"],
        ["kubectl get svc -A | awk '$2 == \"kube-dns\" {print $4}'"],
        ["kubectl -n kube-system get svc kube-dns | awk 'NR == 2 {print $3}'"],
      ],
      wrong: [['kubectl get svc kube-dns'], ['echo 10.96.0.1'], ['grep nameserver /etc/resolv.conf']],
      check: ({ world, runs }) => {
        const ip = dnsServiceIp(world);
        if (!ip) return fail(runs, 'The grader found no kube-dns Service in this scenario.');
        const line = singleLine(runs);
        if (line === ip) return pass();
        if (line === '10.96.0.1') return fail(runs, '10.96.0.1 is the `kubernetes` Service (the API server). The DNS Service is `kube-dns`, in `kube-system`.');
        if (line === null) {
          const lines = outputLines(lastRun(runs));
          return fail(runs, lines.length > 1 ? 'Print only the address: `-o jsonpath=\'{.spec.clusterIP}\'` does that.' : 'The DNS Service is `kube-dns` in namespace `kube-system`: `kubectl -n kube-system get svc kube-dns`.');
        }
        return fail(runs, `\`${line}\` is not kube-dns's ClusterIP. The node's own resolver is not the cluster's DNS Service.`);
      },
      explanation: 'The DNS Service keeps kube-dns\'s old name for compatibility: `kubectl -n kube-system get svc kube-dns`. Its ClusterIP (the tenth of the Service range with kubeadm, 10.96.0.10) is what the kubelet writes as `nameserver` in every pod\'s resolv.conf (`clusterDNS` in its configuration).',
    },
    {
      kind: 'command',
      id: 'pod-nameserver',
      competencies: ['coredns'],
      prompt: 'A `web` Deployment runs. Print the `nameserver` line of the resolver configuration inside one of its pods (the line only).',
      scenario: 'k8s-cluster-app',
      solutions: [
        ['kubectl exec deploy/web -- grep nameserver /etc/resolv.conf'],
        ["kubectl exec $(kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.name}') -- cat /etc/resolv.conf | grep nameserver"],
      ],
      wrong: [['grep nameserver /etc/resolv.conf'], ['kubectl exec deploy/web -- cat /etc/resolv.conf']],
      check: ({ world, runs }) => {
        const ip = dnsServiceIp(world);
        if (!ip) return fail(runs, 'The grader found no kube-dns Service in this scenario.');
        const lines = outputLines(lastRun(runs)).filter((l) => !/^Found \d+ pods, using /.test(l));
        if (lines.length === 1 && lines[0]!.trim() === `nameserver ${ip}`) return pass();
        if (lines.some((l) => /nameserver 127\.0\.0\.53/.test(l))) return fail(runs, 'That is the node\'s resolver. Run the command inside a pod: `kubectl exec POD -- ...`.');
        if (lines.length > 1) return fail(runs, 'Print only the nameserver line (`grep nameserver`).');
        return fail(runs, 'Read `/etc/resolv.conf` inside a pod of the Deployment with `kubectl exec`.');
      },
      explanation: 'With `dnsPolicy: ClusterFirst` (the default) the kubelet writes the pod\'s resolv.conf: `nameserver` is the kube-dns ClusterIP, `search` the namespace\'s domains, `options ndots:5`. The node\'s own resolv.conf (systemd-resolved\'s 127.0.0.53) is a different file.',
    },
  ],
});
