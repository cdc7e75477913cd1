// Chapter 8: Pod networking.
import { defineBank } from '../types';
import type { World } from '../../../sim/world';
import { kube } from '../../../k8s/cluster';
import { fail, inSubnet, ipv4On, lastRun, linkByName, namedNs, outputLines, pass, rootNs, singleLine, vethPeer } from '../predicates';

/** The cluster's pod range (the controller manager's --cluster-cidr), as the cluster was built. */
function clusterCidr(world: World): string | null {
  return kube(world)?.config.podCIDR ?? null;
}

export default defineBank({
  chapter: 'pod-networking',
  title: 'Pod networking',
  questions: [
    {
      kind: 'multiple',
      id: 'model',
      competencies: ['pod-connectivity'],
      prompt: 'Which of these are requirements of the Kubernetes network model? Select all that apply.',
      options: [
        { id: 'own-ip', text: 'Every pod has its own IP address' },
        { id: 'same-node', text: 'Every pod can reach every other pod on the same node' },
        { id: 'other-nodes', text: 'Every pod can reach pods on other nodes without NAT' },
        { id: 'nat', text: 'Traffic between nodes is NATed to the node\'s address', feedback: 'The model forbids NAT between pods, as the book says: pods talk "without proxies or address translation (NAT)".' },
        { id: 'same-subnet', text: 'All pods of the cluster are in one /24', feedback: 'Ranges are a plugin choice; a /24 would allow only 254 pods.' },
      ],
      answers: ['own-ip', 'same-node', 'other-nodes'],
      explanation: 'Kubernetes requires: each pod gets an IP; pods reach all other pods, on any node, without NAT (the source IP a pod sees is the sender pod\'s real IP); agents on a node reach all pods on that node. The CNI plugin decides how: a bridge and routes, an overlay (VXLAN), BGP...',
    },
    {
      kind: 'single',
      id: 'localhost',
      competencies: ['pod-connectivity'],
      prompt: 'A pod runs two containers: a web server on port 8080 and a sidecar. How does the sidecar reach the web server?',
      options: [
        { id: 'localhost', text: 'On `localhost:8080`: containers of a pod share one network namespace' },
        { id: 'service', text: 'Only through a Service', feedback: 'A Service is for reaching pods from elsewhere; inside a pod, localhost works.' },
        { id: 'pod-ip', text: 'On the web container\'s own IP', feedback: 'Containers of a pod have no IPs of their own: the pod has one.' },
        { id: 'cannot', text: 'It cannot: containers are isolated', feedback: 'Their filesystems and processes are isolated, their network is shared.' },
      ],
      answer: 'localhost',
      explanation: 'All containers of a pod join the same network namespace (held by the pause container): one IP, one set of ports, one `lo`. They talk over localhost, and two containers of a pod cannot both listen on the same port.',
    },
    {
      kind: 'single',
      id: 'pod-range-any-plugin',
      competencies: ['cluster-config'],
      prompt: 'You must find a cluster\'s pod range and do not know which network plugin it runs. Which command answers, whatever the plugin?',
      options: [
        { id: 'podcidr', text: '`kubectl get nodes -o jsonpath=\'{.items[*].spec.podCIDR}\'` (each node\'s slice of the range)' },
        { id: 'ipalloc', text: '`kubectl logs -n kube-system <plugin-pod> | grep ipalloc-range`', feedback: '`ipalloc-range` is an option of Weave Net alone, an archived plugin; Flannel, Calico and Cilium have no such option.' },
        { id: 'service-range', text: '`grep service-cluster-ip-range /etc/kubernetes/manifests/kube-apiserver.yaml`', feedback: 'That is the Service range, which must not overlap the pod range.' },
        { id: 'resolv', text: '`cat /etc/resolv.conf` in a pod', feedback: 'That gives the DNS server and search domains, not address ranges.' },
      ],
      answer: 'podcidr',
      explanation: 'When the controller manager allocates node slices (`--allocate-node-cidrs` with `--cluster-cidr`, as kubeadm sets up with `--pod-network-cidr`), each Node records its slice in `spec.podCIDR`, whatever the plugin. The plugin\'s own configuration (Flannel\'s `net-conf.json`, Calico\'s IP pools) and `grep cluster-cidr` in the controller manager\'s manifest confirm it.',
    },
    {
      kind: 'single',
      id: 'cross-node',
      competencies: ['pod-connectivity'],
      prompt: 'Every pod has an address, pods on node01 reach each other, but no pod on node01 reaches a pod on node02. What do you check first?',
      options: [
        { id: 'routes', text: 'How node01 carries packets to node02\'s pod slice: `ip route` on node01 (a route via node02, or via the overlay device such as `flannel.1`) and the plugin\'s pods on both nodes' },
        { id: 'kube-proxy', text: 'kube-proxy\'s rules', feedback: 'kube-proxy handles Services; pod-to-pod traffic by IP never touches its rules.' },
        { id: 'coredns', text: 'CoreDNS', feedback: 'The pods use IP addresses here: no name is looked up.' },
        { id: 'nat', text: 'A MASQUERADE rule between the nodes', feedback: 'The network model forbids NAT between pods; what is missing is a path, not a translation.' },
      ],
      answer: 'routes',
      explanation: 'Pods on one node share the node\'s bridge, so local traffic works even when nothing links the nodes. Across nodes, each node needs a way to node02\'s pod slice (for example `10.244.1.0/24`): a route via node02\'s address, or the plugin\'s overlay (`flannel.1` for Flannel\'s VXLAN, UDP 8472). Check `ip route` on both nodes, that the plugin\'s DaemonSet pod runs on each, and that the nodes\' own network lets the overlay\'s packets through.',
    },
    {
      kind: 'single',
      id: 'cluster-cidr',
      competencies: ['cluster-config'],
      prompt: 'Besides the CNI plugin\'s own settings, where does a kubeadm cluster record the pod range?',
      options: [
        { id: 'kcm', text: 'In the `--cluster-cidr` flag of kube-controller-manager (/etc/kubernetes/manifests/kube-controller-manager.yaml)' },
        { id: 'apiserver', text: 'In `--service-cluster-ip-range` of kube-apiserver', feedback: 'That is the Service range, which must not overlap the pod range.' },
        { id: 'resolv', text: 'In /etc/resolv.conf', feedback: 'resolv.conf is about DNS.' },
        { id: 'kubelet', text: 'In the kubelet\'s `clusterDNS` setting', feedback: 'That is the DNS Service IP.' },
      ],
      answer: 'kcm',
      explanation: 'kubeadm passes `--pod-network-cidr` to kube-controller-manager as `--cluster-cidr` (and `--allocate-node-cidrs`), which gives each node a slice (`podCIDR`). `grep cluster-cidr /etc/kubernetes/manifests/kube-controller-manager.yaml` finds it.',
    },
    {
      kind: 'number',
      id: 'flannel-node-prefix',
      competencies: ['cluster-config'],
      prompt: 'With flannel\'s default settings, each node gets a slice of 10.244.0.0/16 for its pods. What is the prefix length of that slice?',
      answer: 24,
      wrong: [{ answer: 16, feedback: '/16 is the whole cluster\'s range; each node gets a smaller piece of it.' }],
      explanation: 'Each node gets a /24 (10.244.0.0/24 for the first, 10.244.1.0/24 for the next...), so up to 254 pods per node: `cni0` takes .1 as the pods\' gateway. Routes or a VXLAN overlay (flannel.1, UDP 8472) carry traffic between nodes.',
    },
    {
      kind: 'single',
      id: 'veth-node-end',
      competencies: ['pod-connectivity'],
      prompt: 'A pod\'s `eth0` is one end of a veth pair. With a bridge-based plugin, where is the other end?',
      options: [
        { id: 'bridge', text: 'On the node, attached to the bridge (for example `vethXXXX@if2 ... master cni0`)' },
        { id: 'other-pod', text: 'Inside another pod', feedback: 'That would link only two pods; the bridge links them all.' },
        { id: 'eth0', text: 'It is the node\'s eth0', feedback: 'The node\'s eth0 is its physical (or VM) interface.' },
        { id: 'nowhere', text: 'Nowhere: the other end is deleted once the pod starts', feedback: 'A veth is always a pair; deleting one end deletes both.' },
      ],
      answer: 'bridge',
      explanation: '`ip link` on the node shows one `veth...@ifN` per pod with `master cni0`; `@if2` is the ifindex of its peer, the pod\'s eth0. `ip link show master cni0` lists them all.',
    },
    {
      kind: 'single',
      id: 'nat-correction',
      competencies: ['pod-connectivity'],
      prompt: 'A pod on node 1 (10.244.0.5) opens a connection to a pod on node 2 (10.244.1.7). What source address does the pod on node 2 see?',
      options: [
        { id: 'pod', text: '10.244.0.5, the sending pod\'s own IP' },
        { id: 'node', text: 'Node 1\'s IP address', feedback: 'That would be NAT between pods, which the network model forbids.' },
        { id: 'cni0', text: 'Node 2\'s cni0 address', feedback: 'The bridge forwards frames; it does not rewrite addresses.' },
        { id: 'service', text: 'A ClusterIP', feedback: 'No Service is involved in pod-to-pod traffic.' },
      ],
      answer: 'pod',
      explanation: 'Pod-to-pod traffic is routed (possibly encapsulated in an overlay, which is unwrapped at the far end), never NATed: the receiver sees the sender\'s pod IP. NetworkPolicies rely on this.',
    },
    {
      kind: 'command',
      id: 'find-pod-cidr',
      competencies: ['cluster-config'],
      prompt: 'This is the control-plane node of a live cluster (Flannel). Find the pod IP range the whole cluster was given (not one node\'s slice of it) and print it: the last line of output must contain the range.',
      scenario: 'k8s-cluster',
      solutions: [
        ['grep cluster-cidr /etc/kubernetes/manifests/kube-controller-manager.yaml'],
        ["kubectl get cm -n kube-flannel kube-flannel-cfg -o jsonpath='{.data.net-conf\\.json}' | grep Network"],
        ['cat /run/flannel/subnet.env | grep NETWORK'],
      ],
      wrong: [["kubectl get nodes -o jsonpath='{.items[*].spec.podCIDR}'"], ['grep service-cluster-ip-range /etc/kubernetes/manifests/kube-apiserver.yaml'], ['ip route show default']],
      check: ({ world, runs }) => {
        const range = clusterCidr(world);
        if (!range) return fail(runs, 'The grader found no cluster in this scenario.');
        const lines = outputLines(lastRun(runs));
        const last = lines[lines.length - 1] ?? '';
        if (new RegExp(`(^|[^0-9.])${range.replace(/\./g, '\\.')}($|[^0-9])`).test(last)) return pass();
        if (/podCIDR|10\.244\.\d+\.0\/24/.test(last)) return fail(runs, 'That is a node\'s slice (its podCIDR): the cluster\'s range is the controller manager\'s `--cluster-cidr`, or Flannel\'s `Network`.');
        return fail(runs, 'The cluster\'s pod range is in the controller manager\'s manifest (`--cluster-cidr`), in Flannel\'s `net-conf.json`, or in `/run/flannel/subnet.env` (`FLANNEL_NETWORK`).');
      },
      explanation: 'The controller manager\'s `--cluster-cidr` (in `/etc/kubernetes/manifests/kube-controller-manager.yaml`) is the range it slices into one podCIDR per node. Flannel is configured with the same range (`Network` in its `net-conf.json`, `FLANNEL_NETWORK` in each node\'s `subnet.env`). A node\'s `spec.podCIDR` is only its /24 of it, and the Service range is another range altogether.',
    },
    {
      kind: 'command',
      id: 'count-pod-veths',
      competencies: ['pod-connectivity'],
      prompt: 'On this node (Flannel), each pod\'s veth is attached to the bridge `cni0`, which Flannel\'s CNI plugin has the bridge plugin create. How many interfaces are attached to `cni0`? Print just the number.',
      scenario: 'k8s-cluster',
      solutions: [['ip -o link show master cni0 | wc -l'], ["ip link | grep -c 'master cni0'"], ['bridge link | grep -c "master cni0"']],
      wrong: [['ip link | wc -l'], ['ip -o link show master cni0']],
      check: ({ world, host, runs }) => {
        const ns = rootNs(world, host);
        const br = linkByName(ns, 'cni0');
        if (!br) return fail(runs, 'The grader found no bridge called cni0 on this node.');
        const n = ns!.links.filter((l) => l.master === br.ifindex).length;
        const line = singleLine(runs);
        if (line === String(n)) return pass();
        if (line === null) return fail(runs, 'Print only the number: count the lines with `wc -l` or `grep -c`.');
        return fail(runs, `${line} is not the number of interfaces whose master is cni0: \`ip link show master cni0\` lists exactly those.`);
      },
      explanation: '`ip link show master cni0` lists the bridge\'s ports: the node ends of the pods\' veth pairs (`veth…`, one per pod on this node that is not on the host network). `-o` puts each on one line, so `wc -l` counts them. `bridge link` lists every bridge port with its master. The old labs\' Weave Net (archived) called its bridge `weave`.',
    },
    {
      kind: 'command',
      id: 'manual-pod',
      competencies: ['pod-connectivity'],
      prompt: 'Do by hand what the bridge plugin does: create a namespace `pod-x`, give it an interface `eth0` that is one end of a veth pair whose other end is attached to the pod bridge `cni0`, give `eth0` a free address in the bridge\'s subnet (same prefix length), and bring both ends up.',
      scenario: 'k8s-cluster',
      solutions: [
        [
          'ip netns add pod-x',
          'ip link add veth-x type veth peer name eth0 netns pod-x',
          'ip link set veth-x master cni0',
          'ip link set veth-x up',
          'ip -n pod-x addr add 10.244.0.200/24 dev eth0',
          'ip -n pod-x link set eth0 up',
        ],
        [
          'ip netns add pod-x',
          'ip link add tmp-x type veth peer name vethx',
          'ip link set tmp-x netns pod-x',
          'ip netns exec pod-x ip link set tmp-x name eth0',
          'ip link set vethx master cni0 up',
          'ip netns exec pod-x ip addr add 10.244.0.77/24 dev eth0',
          'ip netns exec pod-x ip link set eth0 up',
        ],
      ],
      wrong: [
        ['ip netns add pod-x', 'ip link add veth-x type veth peer name eth0 netns pod-x', 'ip link set veth-x up', 'ip -n pod-x addr add 10.244.0.200/24 dev eth0', 'ip -n pod-x link set eth0 up'],
        ['ip netns add pod-x', 'ip link add veth-x type veth peer name eth0 netns pod-x', 'ip link set veth-x master cni0 up', 'ip -n pod-x addr add 10.244.0.2/24 dev eth0', 'ip -n pod-x link set eth0 up'],
        ['ip netns add pod-x'],
      ],
      check: ({ world, host, runs }) => {
        const root = rootNs(world, host);
        const br = linkByName(root, 'cni0');
        if (!br || !root) return fail(runs, 'The grader found no bridge called cni0 on this node.');
        const pod = namedNs(world, host, 'pod-x');
        if (!pod) return fail(runs, 'Namespace pod-x does not exist yet.');
        const eth0 = linkByName(pod, 'eth0');
        if (!eth0) return fail(runs, 'pod-x has no interface called eth0 (create the veth end there with `peer name eth0 netns pod-x`, or rename it with `ip link set NAME name eth0`).');
        const peer = vethPeer(world, eth0);
        if (!peer || peer.ns.id !== root.id) return fail(runs, 'eth0 in pod-x must be a veth whose other end is on the node.');
        if (peer.link.master !== br.ifindex) return fail(runs, `The node's end, ${peer.link.name}, is not attached to cni0: \`ip link set ${peer.link.name} master cni0\`.`);
        if (!peer.link.adminUp) return fail(runs, `${peer.link.name} is DOWN.`);
        if (!eth0.adminUp) return fail(runs, 'eth0 inside pod-x is DOWN.');
        const brAddr = ipv4On(root, br)[0];
        if (!brAddr) return fail(runs, 'The cni0 bridge has no IPv4 address in this scenario.');
        const mine = ipv4On(pod, eth0);
        const ok = mine.find((a) => a.prefixlen === brAddr.prefixlen && inSubnet(a.local, brAddr.local, brAddr.prefixlen));
        if (!ok) return fail(runs, `eth0 needs an address in the bridge's subnet ${brAddr.local}/${brAddr.prefixlen}, with the same prefix length.`);
        // the address must be free: not the bridge's own and not another pod's
        const taken = Object.values(world.state.namespaces).some((ns) => ns.id !== pod.id && ns.host === host && ns.addrs.some((a) => a.family === 4 && a.local === ok.local));
        if (taken) return fail(runs, `${ok.local} is already used on this node: pick a free address.`);
        return pass();
      },
      explanation: 'A bridge-based CNI plugin runs exactly these steps for each pod: create the veth pair with one end named eth0 inside the pod\'s namespace, attach the other end to the bridge (`cni0` for the bridge plugin and Flannel), assign an address from the pod subnet (via IPAM), bring both up, and add a default route via the bridge\'s address.',
    },
  ],
});
