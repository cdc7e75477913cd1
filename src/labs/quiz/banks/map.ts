// Chapter 2: Networking in Kubernetes, the map.
import { defineBank } from '../types';
import { fail, linkByName, namedNs, pass } from '../predicates';

export default defineBank({
  chapter: 'map',
  title: 'Networking in Kubernetes: the map',
  order: 2,
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
      prompt: 'Where does a Service\'s ClusterIP, such as `10.96.14.20`, live?',
      options: [
        { id: 'rules', text: 'Nowhere as an interface: kube-proxy turns it into NAT rules on every node' },
        { id: 'pod', text: 'On a dedicated pod that forwards traffic', feedback: 'No pod holds a ClusterIP.' },
        { id: 'cni0', text: 'On the `cni0` bridge of one node', feedback: '`cni0` holds the pod gateway address, not Service IPs.' },
        { id: 'apiserver', text: 'On the API server, which relays the traffic', feedback: 'Service traffic never passes through the API server.' },
      ],
      answer: 'rules',
      explanation: 'A ClusterIP is virtual: no interface answers ARP for it. kube-proxy on each node writes iptables (or nftables/IPVS) rules that DNAT traffic for ClusterIP:port to one of the Service\'s pod IP:port, so it works from any node.',
    },
    {
      kind: 'single',
      id: 'course-order',
      prompt: 'This course builds up from the bottom. Which order does it follow?',
      options: [
        { id: 'bottom-up', text: 'Switching, routing, DNS, network namespaces, CNI, pod networking, Service networking, proxies' },
        { id: 'top-down', text: 'Services, pods, CNI, namespaces, DNS, routing, switching', feedback: 'That is the same list read from the top.' },
        { id: 'dns-first', text: 'DNS, switching, Services, routing, namespaces, pods', feedback: 'DNS needs working routing underneath it.' },
        { id: 'cni-first', text: 'CNI, network namespaces, switching, routing', feedback: 'CNI plugins are built out of namespaces, veths, bridges and routes: those come first.' },
      ],
      answer: 'bottom-up',
      explanation: 'Each layer uses the one below: pods are network namespaces wired with veths, bridges and routes, by CNI plugins; Services are NAT rules on top of pod networking; DNS names Services. Learning them in that order means nothing is magic.',
    },
    {
      kind: 'number',
      id: 'cka-weight',
      prompt: 'How many percent of the CKA exam does the "Services & Networking" domain weigh?',
      answer: 20,
      unit: '%',
      wrong: [{ answer: 30, feedback: '30% is Troubleshooting, which also contains networking tasks.' }],
      explanation: 'The current CKA curriculum weighs Services & Networking at 20%. Networking also runs through Troubleshooting (30%: "troubleshoot services and networking") and Cluster Architecture (25%: "understand extension interfaces (CNI, CSI, CRI)").',
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
      check: ({ runs }) => {
        for (const r of runs) {
          if (!r.output.includes('--- 192.165.1.11 ping statistics ---')) continue;
          const m = /(\d+) packets transmitted, (\d+) received/.exec(r.output);
          if (m && m[1] === '3' && m[2] === '3') return pass();
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
