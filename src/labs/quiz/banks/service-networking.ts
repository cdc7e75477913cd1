// Chapter 9: Service networking.
import { defineBank } from '../types';
import { dnatTo, fail, lastRun, outputLines, pass, reachableRules, ruleAddrIs, rulePort, rootNs, singleLine } from '../predicates';

export default defineBank({
  chapter: 'service-networking',
  title: 'Service networking',
  questions: [
    {
      kind: 'single',
      id: 'selector',
      competencies: ['services'],
      prompt: 'How does a Service know which pods to send traffic to?',
      options: [
        { id: 'labels', text: 'Its label selector: the pods whose labels match, and that are ready, become its endpoints' },
        { id: 'names', text: 'It lists the pods by name', feedback: 'Pods come and go with new names; a Service selects by labels.' },
        { id: 'node', text: 'It sends to every pod on the same node', feedback: 'A Service spans the cluster and selects pods by labels.' },
        { id: 'dns', text: 'Through DNS round robin over the pods\' names', feedback: 'A ClusterIP Service has one virtual IP; DNS returns that IP.' },
      ],
      answer: 'labels',
      explanation: 'A Service\'s `selector` (for example `app: web`) matches pod labels; the endpoints controller records the ready pods\' IP:port in EndpointSlices. kube-proxy on every node turns those into NAT rules.',
    },
    {
      kind: 'single',
      id: 'kube-proxy-role',
      competencies: ['services'],
      prompt: 'What does kube-proxy do, in its default mode on Linux?',
      options: [
        { id: 'iptables', text: 'It writes iptables NAT rules that DNAT a Service\'s IP:port to one of its pods\' IP:port' },
        { id: 'proxy', text: 'It receives every Service connection and copies the bytes to a pod', feedback: 'That was the old userspace mode. Today the kernel does the forwarding, following kube-proxy\'s rules.' },
        { id: 'cni', text: 'It gives pods their IP addresses', feedback: 'That is the CNI plugin\'s job.' },
        { id: 'dns', text: 'It answers DNS queries for Service names', feedback: 'That is CoreDNS.' },
      ],
      answer: 'iptables',
      explanation: 'kube-proxy watches Services and EndpointSlices and programs the node\'s kernel: in iptables mode (the default on Linux), chains KUBE-SERVICES, KUBE-SVC-* and KUBE-SEP-* in the nat table. Packets to a ClusterIP are DNATed to a pod before routing; kube-proxy itself never touches them.',
    },
    {
      kind: 'text',
      id: 'service-range-flag',
      competencies: ['cluster-config'],
      prompt: 'Which kube-apiserver flag sets the range ClusterIPs come from?',
      normalise: { case: 'sensitive', spaces: 'remove' },
      accept: ['--service-cluster-ip-range'],
      acceptPatterns: ['service-cluster-ip-range(=.*)?', '--service-cluster-ip-range=.*'],
      wrong: [{ answer: '--cluster-cidr', feedback: 'That is kube-controller-manager\'s pod range.' }],
      placeholder: '--…',
      explanation: '`--service-cluster-ip-range` (in /etc/kubernetes/manifests/kube-apiserver.yaml on a kubeadm cluster, default 10.96.0.0/12) is where ClusterIPs come from. It must not overlap the pod range or the node network.',
    },
    {
      kind: 'single',
      id: 'chain-order',
      competencies: ['services'],
      prompt: 'In kube-proxy\'s iptables rules, in which order does a packet to a ClusterIP meet the chains?',
      options: [
        { id: 'svc-sep', text: 'KUBE-SERVICES, then KUBE-SVC-<hash> (one per Service port), then KUBE-SEP-<hash> (one per endpoint), which DNATs' },
        { id: 'sep-svc', text: 'KUBE-SEP, then KUBE-SVC, then KUBE-SERVICES', feedback: 'The other way round: from the general chain to the endpoint.' },
        { id: 'postrouting', text: 'POSTROUTING, then KUBE-SERVICES', feedback: 'DNAT must happen before routing: PREROUTING (and OUTPUT for local traffic) jump to KUBE-SERVICES.' },
        { id: 'filter', text: 'The filter table\'s INPUT chain', feedback: 'Service DNAT lives in the nat table.' },
      ],
      answer: 'svc-sep',
      explanation: 'PREROUTING and OUTPUT jump to KUBE-SERVICES, which has one rule per Service port matching ClusterIP and port and jumping to that Service\'s KUBE-SVC chain. That chain picks an endpoint at random (statistic match) and jumps to its KUBE-SEP chain, which DNATs to the pod IP:port.',
    },
    {
      kind: 'single',
      id: 'kube-proxy-logs',
      competencies: ['troubleshoot-cluster', 'cluster-config'],
      prompt: 'On a kubeadm cluster, how do you read kube-proxy\'s messages?',
      options: [
        { id: 'kubectl', text: '`kubectl logs -n kube-system kube-proxy-xxxxx`' },
        { id: 'file', text: '`cat /var/log/kube-proxy.log`', feedback: 'kube-proxy runs as a pod (a DaemonSet); it writes no such file. The book describes an older setup.' },
        { id: 'journal', text: '`journalctl -u kube-proxy`', feedback: 'There is no kube-proxy systemd unit on a kubeadm node: it is a pod.' },
        { id: 'dmesg', text: '`dmesg | grep proxy`', feedback: 'dmesg shows kernel messages only.' },
      ],
      answer: 'kubectl',
      explanation: 'kubeadm deploys kube-proxy as a DaemonSet in kube-system, one pod per node; its logs go to the container runtime, so `kubectl logs -n kube-system kube-proxy-xxxxx` shows them (look for "Using iptables Proxier"). Its rules are visible with `iptables -t nat -L` on the node.',
    },
    {
      kind: 'single',
      id: 'nodeport-range',
      competencies: ['services'],
      prompt: 'On a cluster with default settings, you apply a NodePort Service with `nodePort: 8080`. What happens?',
      options: [
        { id: 'rejected', text: 'The API server rejects the Service: 8080 is outside the NodePort range, 30000-32767' },
        { id: 'opened', text: 'Every node forwards its port 8080 to the Service', feedback: 'NodePorts must come from the range the API server was given; 8080 is not in it.' },
        { id: 'random', text: 'The Service is created with a random port from the range instead', feedback: 'A port is chosen for you only when you leave `nodePort` out; a value you set is validated, and refused if out of range.' },
        { id: 'ignored', text: 'The Service is created, but kube-proxy ignores the port', feedback: 'Validation happens before anything is stored: the API server refuses the object.' },
      ],
      answer: 'rejected',
      explanation: 'NodePorts come from kube-apiserver\'s `--service-node-port-range`, 30000-32767 by default, and a `nodePort` outside it fails validation ("provided port is not in the valid range"). Leave `nodePort` out and the API server picks a free port from the range; `kubectl get svc` shows it as `80:3XXXX/TCP`.',
    },
    {
      kind: 'single',
      id: 'scale-endpoints',
      competencies: ['services'],
      prompt: 'A Deployment behind a ClusterIP Service is scaled from 2 to 3 replicas, and the new pod becomes Ready. What changes in the node\'s nat table (kube-proxy in iptables mode)?',
      options: [
        { id: 'new-sep', text: 'A new KUBE-SEP chain appears for the new pod, and the Service\'s KUBE-SVC chain is rewritten to pick among three endpoints' },
        { id: 'nothing', text: 'Nothing: the KUBE-SVC chain sends to the Deployment, which picks a pod', feedback: 'The kernel knows nothing of Deployments: the rules name each endpoint\'s IP and port.' },
        { id: 'new-ip', text: 'The Service gets a new ClusterIP, and KUBE-SERVICES a new rule', feedback: 'The ClusterIP is the stable part: it never changes while the Service exists.' },
        { id: 'rebalance', text: 'Existing connections are moved so that each pod carries a third', feedback: 'conntrack keeps each existing connection on the pod it was sent to; only new connections are spread over three.' },
      ],
      answer: 'new-sep',
      explanation: 'The endpoints follow the selector: once the new pod is Ready, the control plane adds it to the Service\'s EndpointSlice, and kube-proxy on every node adds a KUBE-SEP chain (DNAT to the new pod IP:port) and rewrites the KUBE-SVC chain so that new connections are spread over the three endpoints. `iptables -t nat -S | grep KUBE-SEP` before and after shows the difference.',
    },
    {
      kind: 'multiple',
      id: 'ports',
      competencies: ['services'],
      prompt: 'A NodePort Service has `port: 80`, `targetPort: 8080` and `nodePort: 30080`; its ClusterIP is `10.96.14.20`, one of its pods is `10.244.1.7` and a node is `192.168.121.10`. Which of these connections reach the application? Select all that apply.',
      options: [
        { id: 'cluster-port', text: '`10.96.14.20:80`' },
        { id: 'node-nodeport', text: '`192.168.121.10:30080`' },
        { id: 'pod-target', text: '`10.244.1.7:8080`' },
        { id: 'cluster-target', text: '`10.96.14.20:8080`', feedback: '`targetPort` is the pods\' port: on the ClusterIP, the Service listens on `port`, 80.' },
        { id: 'node-port', text: '`192.168.121.10:80`', feedback: 'On a node\'s address only the `nodePort` is forwarded, 30080.' },
        { id: 'pod-port', text: '`10.244.1.7:80`', feedback: 'The pod\'s container listens on the `targetPort`, 8080; 80 is only the Service\'s port.' },
      ],
      answers: ['cluster-port', 'node-nodeport', 'pod-target'],
      explanation: 'Three ports, three places: `port` is where the Service answers on its ClusterIP (80); `nodePort` is opened on every node\'s addresses (30080, from 30000-32767); `targetPort` is the container\'s port, where the DNAT sends both (8080). A wrong `targetPort` is a classic fault: the Service has endpoints, but connections are refused.',
    },
    {
      kind: 'single',
      id: 'no-endpoints',
      competencies: ['services', 'troubleshoot-network'],
      prompt: 'The Service `web` has `selector: {app: web}`. Its pods are Ready and labelled `app=web-frontend`. What does `kubectl get endpoints web` show, and what do you fix?',
      options: [
        { id: 'selector', text: 'No endpoints (`<none>`): the selector matches no pod, so fix the Service\'s selector (or the pods\' labels) to match' },
        { id: 'kube-proxy', text: 'The pods\' IPs, but kube-proxy has not caught up: restart it', feedback: 'Endpoints come from the selector, not from kube-proxy; kube-proxy only reads them.' },
        { id: 'dns', text: 'No endpoints, because CoreDNS cannot resolve the pods\' names', feedback: 'Endpoints are computed by the control plane from labels; DNS plays no part.' },
        { id: 'readiness', text: 'No endpoints until the pods pass their readiness probes', feedback: 'The pods are Ready already; the labels are the problem.' },
      ],
      answer: 'selector',
      explanation: 'A Service\'s endpoints are the Ready pods whose labels match its selector, exactly: `app: web` does not match `app=web-frontend`. With no endpoints, connections to the Service fail although every pod is healthy. Compare `kubectl describe svc web` (`Selector:`, `Endpoints:`) with `kubectl get pods --show-labels`, then fix whichever side is wrong.',
    },
    {
      kind: 'text',
      id: 'dnat-target',
      competencies: ['services'],
      prompt: 'Which iptables target rewrites the destination address of a Service packet to a pod\'s IP?',
      normalise: { case: 'insensitive', spaces: 'remove' },
      accept: ['DNAT'],
      acceptPatterns: ['-jdnat', 'destinationnat'],
      wrong: [{ answer: 'MASQUERADE', feedback: 'MASQUERADE rewrites the source, on the way out.' }, { answer: 'SNAT', feedback: 'SNAT rewrites the source.' }],
      explanation: 'DNAT (destination NAT) in the nat table rewrites the destination; conntrack remembers it so replies are rewritten back, and the client only ever sees the ClusterIP. kube-proxy\'s KUBE-SEP chains end with `-j DNAT --to-destination POD_IP:PORT`.',
    },
    {
      kind: 'multiple',
      id: 'ranges',
      competencies: ['cluster-config', 'services'],
      prompt: 'Which statements about Service addresses are true? Select all that apply.',
      options: [
        { id: 'distinct', text: 'The Service range and the pod range must not overlap' },
        { id: 'virtual', text: 'With kube-proxy in iptables or nftables mode, no interface on any node holds a ClusterIP address' },
        { id: 'dns10', text: 'kubeadm gives the cluster DNS Service the tenth address of the Service range (10.96.0.10 by default)' },
        { id: 'ping', text: 'Whatever kube-proxy\'s mode, a ping to a ClusterIP gets an answer', feedback: 'Only in IPVS mode, where every ClusterIP sits on the `kube-ipvs0` interface of each node. In iptables and nftables mode the rules match only the Service\'s protocol and ports, so ICMP to a ClusterIP gets no answer.' },
        { id: 'same', text: 'Pods and Services share one range so that pods can reach Services', feedback: 'They are separate ranges; routing between them is not needed since DNAT happens on the node.' },
      ],
      answers: ['distinct', 'virtual', 'dns10'],
      explanation: 'ClusterIPs come from `--service-cluster-ip-range`, separate from the pod range: the `kubernetes` Service gets the first address (10.96.0.1) and kube-dns the tenth (10.96.0.10). In iptables mode (the default) and nftables mode (GA since Kubernetes 1.33) they are virtual addresses handled by NAT rules, on no interface. In IPVS mode (deprecated since 1.35) kube-proxy puts every ClusterIP on `kube-ipvs0`, so it answers ping there. Since ping proves nothing in most modes, test a Service by connecting to its port (`curl`, `nc -zv`).',
    },
    {
      kind: 'command',
      id: 'count-services',
      competencies: ['services'],
      prompt: 'kube-proxy creates one KUBE-SVC-<hash> chain per Service port. How many such chains does this node\'s nat table have? Print just the number.',
      scenario: 'k8s-cluster-app',
      solutions: [["iptables -t nat -S | grep -c '^-N KUBE-SVC-'"], ["iptables -t nat -L -n | grep -c '^Chain KUBE-SVC-'"]],
      wrong: [['iptables -t nat -S | grep -c KUBE-SVC-'], ['iptables -L -n | grep -c KUBE-SVC']],
      check: ({ world, host, runs }) => {
        const chains = rootNs(world, host)?.netfilter.tables.nat?.chains ?? [];
        const n = chains.filter((c) => c.name.startsWith('KUBE-SVC-')).length;
        if (n === 0) return fail(runs, 'The grader found no KUBE-SVC chains in this scenario.');
        const line = singleLine(runs);
        if (line === String(n)) return pass();
        if (line === null) return fail(runs, 'Print only the number.');
        return fail(runs, `${line} is not the number of KUBE-SVC chains: count the chain definitions (\`-N KUBE-SVC-...\` lines in \`iptables -t nat -S\`), not every line that mentions them. And they are in the nat table.`);
      },
      explanation: '`iptables -t nat -S` prints each user chain once as `-N NAME` before the rules; counting lines that start with `-N KUBE-SVC-` counts the chains. Counting every line that mentions KUBE-SVC would also count the jumps to them. Without `-t nat`, iptables shows the filter table.',
    },
    {
      kind: 'command',
      id: 'endpoints',
      competencies: ['services'],
      prompt: 'List the pod endpoints kube-proxy sends Service traffic to: print the destination (IP:port) of every DNAT rule in the nat table, one per line, nothing else.',
      scenario: 'k8s-cluster-app',
      solutions: [
        ["iptables -t nat -S | grep -o 'to-destination [0-9.:]*' | awk '{print $2}'"],
        ["iptables -t nat -S | grep DNAT | sed 's/.*--to-destination //' | awk '{print $1}'"],
      ],
      wrong: [['iptables -t nat -S | grep DNAT'], ['kubectl get svc']],
      check: ({ world, host, runs }) => {
        const ns = rootNs(world, host);
        const expected = new Set<string>();
        for (const c of ns?.netfilter.tables.nat?.chains ?? []) for (const r of c.rules) {
          const to = dnatTo(r);
          if (to) expected.add(to);
        }
        if (expected.size === 0) return fail(runs, 'The grader found no DNAT rules in this scenario.');
        const got = new Set(outputLines(lastRun(runs)).map((l) => l.trim()));
        const missing = [...expected].filter((e) => !got.has(e));
        const extra = [...got].filter((g) => !expected.has(g));
        if (missing.length === 0 && extra.length === 0) return pass();
        if (missing.length === 0) return fail(runs, `Print only the IP:port destinations; these lines are not: ${extra.slice(0, 3).map((x) => `\`${x}\``).join(', ')}.`);
        return fail(runs, `${missing.length} of the ${expected.size} DNAT destinations are missing, for example ${missing[0]}.`);
      },
      explanation: 'Each KUBE-SEP chain ends with `-j DNAT --to-destination POD_IP:PORT`: that is where Service traffic really goes. `iptables -t nat -S` prints rules in command form, which is easy to filter; `grep -o` keeps only the matching text.',
    },
    {
      kind: 'command',
      id: 'dnat-by-hand',
      competencies: ['services'],
      prompt: 'Do kube-proxy\'s job by hand for a new Service: make TCP traffic from pods (PREROUTING) or from the node itself (OUTPUT) to `10.96.100.100` port `80` go to the pod `10.244.0.50` port `8080`.',
      scenario: 'k8s-cluster-app',
      solutions: [
        ['iptables -t nat -A PREROUTING -d 10.96.100.100/32 -p tcp --dport 80 -j DNAT --to-destination 10.244.0.50:8080'],
        ['iptables -t nat -I OUTPUT -p tcp -d 10.96.100.100 --dport 80 -j DNAT --to-destination 10.244.0.50:8080'],
        [
          'iptables -t nat -N MY-SVC',
          'iptables -t nat -A MY-SVC -p tcp -j DNAT --to-destination 10.244.0.50:8080',
          'iptables -t nat -I KUBE-SERVICES -d 10.96.100.100/32 -p tcp --dport 80 -j MY-SVC',
        ],
      ],
      wrong: [['iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.244.0.50:8080'], ['iptables -A INPUT -d 10.96.100.100 -p tcp --dport 80 -j ACCEPT']],
      check: ({ world, host, runs }) => {
        const ns = rootNs(world, host);
        // walk each path from PREROUTING/OUTPUT, carrying what the jumps on the way already matched
        type Ctx = { dst: boolean; tcp: boolean; port: boolean };
        let found: 'ok' | 'too-wide' | null = null;
        const walk = (chainName: string, ctx: Ctx, depth: number) => {
          if (depth > 8 || found === 'ok') return;
          const c = ns?.netfilter.tables.nat?.chains.find((x) => x.name === chainName);
          for (const r of c?.rules ?? []) {
            const here: Ctx = {
              dst: ctx.dst || (!r.destinationInvert && ruleAddrIs(r.destination, '10.96.100.100/32')),
              tcp: ctx.tcp || ((r.protocol === 'tcp' || r.protocol === '6') && !r.protocolInvert),
              port: ctx.port || rulePort(r) === '80',
            };
            if (r.destination && !ruleAddrIs(r.destination, '10.96.100.100/32')) continue; // a rule for another address
            if (r.target === 'DNAT' && dnatTo(r) === '10.244.0.50:8080') {
              if (here.dst && here.tcp && here.port) found = 'ok';
              else found ??= 'too-wide';
            } else if (r.target && ns?.netfilter.tables.nat?.chains.some((x) => x.name === r.target)) walk(r.target, here, depth + 1);
          }
        };
        for (const start of ['PREROUTING', 'OUTPUT']) walk(start, { dst: false, tcp: false, port: false }, 0);
        if (found === 'ok') return pass();
        if (found === 'too-wide') return fail(runs, 'Your DNAT rule does not match only 10.96.100.100, TCP, port 80: without `-d 10.96.100.100` it would capture all port-80 traffic.');
        const anyDnat = reachableRules(ns, 'nat', 'PREROUTING').concat(reachableRules(ns, 'nat', 'OUTPUT')).some((r) => r.target === 'DNAT' && dnatTo(r)?.startsWith('10.244.0.50'));
        if (anyDnat) return fail(runs, 'The rule must DNAT to 10.244.0.50 port 8080: `--to-destination 10.244.0.50:8080`.');
        return fail(runs, 'There is no DNAT rule for 10.96.100.100:80 in the nat table\'s PREROUTING or OUTPUT path yet.');
      },
      explanation: 'A Service is a DNAT rule in the nat table: `iptables -t nat -A PREROUTING -d 10.96.100.100/32 -p tcp --dport 80 -j DNAT --to-destination 10.244.0.50:8080` covers traffic arriving from pods; OUTPUT covers connections made on the node. kube-proxy does the same with one chain per Service (KUBE-SVC) and per endpoint (KUBE-SEP).',
    },
  ],
});
