// Chapter 2: Networking in Kubernetes, the map.
import { defineBank } from '../types';
import { fail, linkByName, namedNs, pass, rootNs } from '../predicates';

export default defineBank({
  chapter: 'map',
  title: 'Networking in Kubernetes: the map',
  questions: [
    {
      kind: 'single',
      id: 'switch-or-router',
      prompt: 'Two hosts have addresses in the same network, `192.165.1.10/24` and `192.165.1.11/24`. What must join them so they can talk?',
      options: [
        { id: 'switch', text: 'A switch (or a cable): they are on one network, so no router is involved' },
        { id: 'router', text: 'A router, because every packet needs a gateway', feedback: 'A gateway is only needed to leave your own network; both addresses are in 192.165.1.0/24.' },
        { id: 'dns', text: 'A DNS server, so that each can find the other', feedback: 'DNS turns names into addresses; these hosts already use addresses.' },
        { id: 'nat', text: 'A NAT rule on each host', feedback: 'NAT rewrites addresses; nothing needs rewriting inside one network.' },
      ],
      answer: 'switch',
      explanation: 'Hosts in the same IP network reach each other directly: each finds the other\'s MAC address with ARP and the switch delivers the frames. A router is needed only to reach a different network.',
    },
    {
      kind: 'multiple',
      id: 'network-model',
      prompt: 'Which of these does the Kubernetes network model require? Select all that apply.',
      options: [
        { id: 'pod-ip', text: 'Every pod gets its own IP address' },
        { id: 'no-nat', text: 'Pods reach pods on other nodes without NAT' },
        { id: 'localhost', text: 'Containers in one pod reach each other on `localhost`' },
        { id: 'container-ip', text: 'Every container gets its own IP address', feedback: 'The IP belongs to the pod: its containers share one network namespace, hence one IP.' },
        { id: 'nat', text: 'Traffic between nodes is masqueraded so that pods stay hidden', feedback: 'The model forbids NAT between pods: a pod sees the real IP of the pod that talks to it.' },
      ],
      answers: ['pod-ip', 'no-nat', 'localhost'],
      explanation: 'The model: every pod has its own IP in its own network namespace; all pods can reach all pods, on the same node or across nodes, without NAT; the containers of a pod share that namespace, so they talk over `localhost`. How this is achieved is left to the CNI plugin.',
    },
    {
      kind: 'text',
      id: 'pod-netns',
      prompt: 'Which Linux kernel feature gives every pod its own interfaces, routes and iptables rules, separate from the node\'s?',
      normalise: { case: 'insensitive', spaces: 'collapse' },
      accept: ['network namespace'],
      acceptPatterns: ['(a )?(linux )?(network|net) ?namespaces?', 'netns'],
      wrong: [
        { answer: 'cgroup', feedback: 'cgroups limit CPU and memory; they do not isolate the network stack.' },
        { answer: 'container', feedback: 'A container is built from several kernel features: which one isolates the network?' },
      ],
      placeholder: 'two words',
      explanation: 'A network namespace is a separate copy of the network stack: its own interfaces (starting with just `lo`), routes, neighbour table, iptables rules and sockets. The container runtime creates one per pod (the "pause" sandbox holds it).',
    },
    {
      kind: 'single',
      id: 'who-wires-pods',
      prompt: 'When a pod starts, what creates its network interface and gives it an IP address?',
      options: [
        { id: 'cni', text: 'A CNI plugin, run by the container runtime' },
        { id: 'kube-proxy', text: 'kube-proxy', feedback: 'kube-proxy programs Service rules; it does not touch pod interfaces.' },
        { id: 'scheduler', text: 'kube-scheduler', feedback: 'The scheduler only picks a node.' },
        { id: 'coredns', text: 'CoreDNS', feedback: 'CoreDNS answers name queries; it gives out no addresses.' },
      ],
      answer: 'cni',
      explanation: 'The container runtime (containerd, CRI-O) creates the pod\'s network namespace and runs the CNI plugin configured in `/etc/cni/net.d`, which creates the interface (often a veth pair), assigns an IP through its IPAM plugin and sets up routes. Since Kubernetes 1.24 it is the runtime, not the kubelet, that runs CNI.',
    },
    {
      kind: 'single',
      id: 'cluster-ip',
      prompt: 'kube-proxy runs in its default iptables mode. Where does a Service\'s ClusterIP, such as `10.96.14.20`, live?',
      options: [
        { id: 'rules', text: 'In iptables mode, on no interface: kube-proxy\'s NAT rules on every node match it' },
        { id: 'pod', text: 'On a dedicated pod that forwards traffic', feedback: 'No pod holds a ClusterIP, in any kube-proxy mode: the address is handled on each node.' },
        { id: 'cni0', text: 'On the `cni0` bridge of one node', feedback: '`cni0` holds the pods\' gateway address; in iptables mode a Service IP sits on no interface at all (in IPVS mode it would sit on `kube-ipvs0`).' },
        { id: 'apiserver', text: 'On the API server, which relays the traffic', feedback: 'Service traffic never passes through the API server.' },
      ],
      answer: 'rules',
      explanation: 'In iptables mode (and in nftables mode) a ClusterIP is virtual: no interface holds it and nothing answers ARP for it. kube-proxy on each node writes rules that DNAT traffic for ClusterIP:port to one of the Service\'s pod IP:port, so it works from any node. In IPVS mode, deprecated since Kubernetes 1.35, kube-proxy also puts every ClusterIP on a dummy interface, `kube-ipvs0`, on every node.',
    },
    {
      kind: 'single',
      id: 'which-layer',
      prompt: 'From a pod, `nslookup web-service` answers with the Service\'s ClusterIP, and `curl http://10.244.1.7:8080/` (a pod that should be behind the Service) answers, but `curl http://web-service/` hangs. Which layer do you check next?',
      options: [
        { id: 'service', text: 'The Service itself: its endpoints (does the selector match the pods, is `targetPort` 8080?) and kube-proxy\'s rules on the node' },
        { id: 'dns', text: 'DNS: CoreDNS must be broken', feedback: 'The name resolved to the ClusterIP: DNS did its part.' },
        { id: 'pod-network', text: 'The pod network: routes or the overlay between nodes', feedback: 'The client reached the pod\'s own IP, so the pod network carries packets between them.' },
        { id: 'app', text: 'The application in the pod', feedback: 'The application answered when asked directly on its pod IP and port.' },
      ],
      answer: 'service',
      explanation: 'Follow the request down the layers: the name resolved (DNS works), and the pod answered on its own IP (the pod network and the app work). What is left is the Service layer between them: `kubectl get endpoints web-service` (empty if the selector matches no ready pod), the Service\'s `port` and `targetPort`, and kube-proxy on the node.',
    },
    {
      kind: 'multiple',
      id: 'no-kube-proxy',
      prompt: 'On a new node, the CNI plugin works but kube-proxy never started, so none of its rules exist. From a pod on that node, which of these still work? Select all that apply.',
      options: [
        { id: 'pod-ping', text: 'Ping a pod on another node by its pod IP' },
        { id: 'pod-curl', text: '`curl` a pod\'s IP and port directly' },
        { id: 'svc', text: '`curl` a Service by its ClusterIP and port', feedback: 'Nothing on this node turns the Service\'s address into a pod\'s: that is kube-proxy\'s job.' },
        { id: 'dns', text: '`nslookup kubernetes.default`', feedback: 'The pod asks the DNS server at the `kube-dns` Service\'s address (10.96.0.10 by default): that is a Service too, so without kube-proxy the question never reaches CoreDNS.' },
      ],
      answers: ['pod-ping', 'pod-curl'],
      explanation: 'Pod-to-pod traffic is the network plugin\'s job (routes, bridge, overlay) and needs no kube-proxy. Everything addressed to a Service needs the rules kube-proxy writes on the node the traffic leaves from, and that includes DNS, because pods reach CoreDNS through the `kube-dns` Service.',
    },
    {
      kind: 'text',
      id: 'service-cidr',
      prompt: 'Which range does kubeadm use for Service ClusterIPs unless told otherwise? Write it in CIDR notation.',
      normalise: { case: 'insensitive', spaces: 'remove' },
      accept: ['10.96.0.0/12'],
      wrong: [
        { answer: '10.244.0.0/16', feedback: 'That is flannel\'s default pod range: Service and pod ranges must not overlap.' },
        { answer: '10.96.0.0/16', feedback: 'Close: kubeadm\'s default is a /12, 10.96.0.0 to 10.111.255.255.' },
      ],
      placeholder: 'a.b.c.d/n',
      explanation: 'kubeadm\'s default `serviceSubnet` is `10.96.0.0/12`; the `kubernetes` Service gets `10.96.0.1` and cluster DNS `10.96.0.10`. Pods get addresses from a different range (flannel\'s default is 10.244.0.0/16), and labs often override both, so read them from the cluster.',
    },
    {
      kind: 'command',
      id: 'ping-b',
      prompt: 'This terminal is host A on a configured switch network. Send exactly three pings to host B (`192.165.1.11`) and get three replies.',
      scenario: 'two-hosts-switch-solved',
      host: 'A',
      solutions: [['ping -c 3 192.165.1.11'], ['ping -c3 -i 0.2 192.165.1.11'], ['ping -W 1 -c 3 192.165.1.11 && echo ok']],
      wrong: [['ping -c 2 192.165.1.11'], ['ping -c 3 192.165.1.12']],
      check: ({ runs, world, start, host }) => {
        // the pings must have been sent for real: what A's eth0 transmitted since the start (a shell function can print anything)
        const sent = (w: typeof world) => linkByName(rootNs(w, host), 'eth0')?.stats.txPackets ?? 0;
        const real = sent(world) - sent(start) >= 3;
        for (const r of runs) {
          if (!r.output.includes('--- 192.165.1.11 ping statistics ---')) continue;
          const m = /(\d+) packets transmitted, (\d+) received/.exec(r.output);
          if (m && m[1] === '3' && m[2] === '3' && real) return pass();
          if (m) return fail(runs, `ping sent ${m[1]} and got ${m[2]} back: use \`-c 3\` to send exactly three.`);
        }
        return fail(runs, 'No ping to `192.165.1.11` finished: use `ping -c 3 192.165.1.11` (without `-c`, ping runs until interrupted).');
      },
      explanation: '`ping -c 3 ADDRESS` sends three ICMP echo requests and prints the statistics: `3 packets transmitted, 3 received, 0% packet loss`. Without `-c`, Linux ping never stops on its own. Both hosts are on 192.165.1.0/24, so A finds B\'s MAC with ARP and sends directly through the switch.',
    },
    {
      kind: 'command',
      id: 'pod-namespace',
      prompt: 'Do by hand the first thing a runtime does for a pod: create a network namespace called `pod1`, and bring its loopback interface up.',
      scenario: 'blank',
      solutions: [
        ['ip netns add pod1', 'ip netns exec pod1 ip link set lo up'],
        ['ip netns add pod1', 'ip -n pod1 link set dev lo up'],
      ],
      wrong: [['ip netns add pod1'], ['ip netns add pod1', 'ip link set lo up']],
      check: ({ world, host, runs }) => {
        const ns = namedNs(world, host, 'pod1');
        if (!ns) return fail(runs, 'There is no namespace `pod1`: create it with `ip netns add pod1`.');
        const lo = linkByName(ns, 'lo');
        if (!lo?.adminUp) return fail(runs, '`pod1` exists, but its `lo` is still DOWN. A command without `ip netns exec pod1` (or `ip -n pod1`) acts on the host, not on the namespace.');
        return pass();
      },
      explanation: 'A new namespace has only `lo`, and it is DOWN. `ip netns add pod1` creates the namespace; `ip netns exec pod1 ip link set lo up` (or the shorter `ip -n pod1 link set lo up`) runs the command inside it. Without `lo` up, even `ping 127.0.0.1` fails inside the namespace.',
    },
  ],
});
