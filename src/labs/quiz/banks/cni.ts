// Chapter 7: Container Network Interfaces.
import { defineBank } from '../types';
import { defaultGateway, fail, lastRun, outputLines, pass, rootNs, singleLine } from '../predicates';
import type { World } from '../../../sim/world';

/** Established TCP connections on etcd's client port 2379 held by etcd itself. */
function etcdClientConnections(world: World, host: string): number {
  const ns = rootNs(world, host);
  const h = world.state.hosts[host];
  if (!ns || !h) return 0;
  const etcdPids = new Set(h.processes.filter((p) => p.comm === 'etcd').map((p) => p.pid));
  return ns.sockets.filter((s) => s.proto === 'tcp' && s.state === 'ESTABLISHED' && s.localPort === 2379 && s.pid !== null && etcdPids.has(s.pid)).length;
}

export default defineBank({
  chapter: 'cni',
  title: 'Container Network Interfaces',
  questions: [
    {
      kind: 'single',
      id: 'what-is-cni',
      competencies: ['cluster-config'],
      prompt: 'What is CNI?',
      options: [
        { id: 'spec', text: 'A CNCF specification of how a runtime calls network plugins, plus a set of reference plugins' },
        { id: 'product', text: 'A network product sold with Kubernetes', feedback: 'CNI is a specification; Calico, Flannel, Cilium and others implement it.' },
        { id: 'daemon', text: 'A daemon that runs on every node and routes pod traffic', feedback: 'CNI plugins are programs run once per operation; some solutions add their own daemons, but that is not CNI.' },
        { id: 'kube-proxy', text: 'The part of kube-proxy that handles pods', feedback: 'kube-proxy handles Services, and is not CNI.' },
      ],
      answer: 'spec',
      explanation: 'The Container Network Interface is a CNCF project: a specification (JSON configuration, operations, results) and libraries, plus reference plugins such as `bridge`, `host-local`, `loopback` and `portmap`. Spec 1.0.0 defines the operations ADD, DEL, CHECK and VERSION; spec 1.1.0 (April 2024) adds STATUS and GC. Any runtime that follows it can use any plugin that follows it.',
    },
    {
      kind: 'single',
      id: 'cni-gc',
      competencies: ['cluster-config'],
      prompt: 'A node crashed while pods were being deleted: their sandboxes are gone, but the plugin never received a `DEL`, so their IP addresses stay reserved in its IPAM. Which CNI operation, added in spec 1.1.0, lets the runtime have such leftovers cleaned up?',
      options: [
        { id: 'gc', text: '`GC`: the runtime lists the attachments still in use, and the plugin frees everything else' },
        { id: 'status', text: '`STATUS`', feedback: '`STATUS` (also new in 1.1.0) asks whether the plugin is ready to set up containers; it cleans nothing.' },
        { id: 'check', text: '`CHECK`', feedback: '`CHECK` verifies one existing container\'s network; it knows nothing of containers that are gone.' },
        { id: 'del', text: '`DEL` again, with no container', feedback: '`DEL` is for one known container; the runtime no longer knows these.' },
      ],
      answer: 'gc',
      explanation: 'CNI spec 1.0.0 has ADD, DEL, CHECK and VERSION. Spec 1.1.0 (libcni v1.2.0, April 2024) adds `GC`, which passes the list of valid attachments so that a plugin can release stale resources such as IPAM reservations, and `STATUS`, which lets a runtime ask whether the plugin is ready to accept ADD, instead of guessing from the presence of a configuration file.',
    },
    {
      kind: 'single',
      id: 'who-calls-cni',
      competencies: ['cluster-config'],
      prompt: 'In a Kubernetes 1.24+ cluster, which component invokes the CNI plugin when a pod is created?',
      options: [
        { id: 'runtime', text: 'The container runtime (containerd, CRI-O)' },
        { id: 'kubelet', text: 'The kubelet', feedback: 'That was true before 1.24 with dockershim; the kubelet flags `--network-plugin` and `--cni-bin-dir` are gone.' },
        { id: 'apiserver', text: 'kube-apiserver', feedback: 'The API server never runs anything on nodes.' },
        { id: 'kube-proxy', text: 'kube-proxy', feedback: 'kube-proxy programs Services only.' },
      ],
      answer: 'runtime',
      explanation: 'The kubelet asks the runtime over CRI to create a pod sandbox; the runtime creates the network namespace and runs the CNI plugin with the ADD command. Lab solutions that say "the kubelet runs the CNI binary" date from before Kubernetes 1.24.',
    },
    {
      kind: 'text',
      id: 'cni-bin',
      competencies: ['cluster-config'],
      prompt: 'In which directory are the CNI plugin binaries installed by default?',
      normalise: { case: 'sensitive', spaces: 'remove', trailingDot: false },
      accept: ['/opt/cni/bin'],
      acceptPatterns: ['/opt/cni/bin/'],
      wrong: [{ answer: '/etc/cni/net.d', feedback: 'That is where the configuration lives; the binaries are elsewhere.' }],
      placeholder: '/…',
      explanation: 'Binaries go in `/opt/cni/bin` (bridge, host-local, loopback, portmap, flannel...); configuration in `/etc/cni/net.d`. `ls /opt/cni/bin` answers the classic lab question "which plugin is not available?".',
    },
    {
      kind: 'text',
      id: 'cni-conf',
      competencies: ['cluster-config'],
      prompt: 'In which directory does the runtime look for the CNI network configuration?',
      normalise: { case: 'sensitive', spaces: 'remove' },
      accept: ['/etc/cni/net.d'],
      acceptPatterns: ['/etc/cni/net\\.d/'],
      wrong: [{ answer: '/opt/cni/bin', feedback: 'That holds the plugin programs; the configuration is elsewhere.' }],
      placeholder: '/…',
      explanation: '`/etc/cni/net.d` holds `.conf` or `.conflist` files (for example `10-flannel.conflist`). If there are several, the runtime uses the first in lexicographic order.',
    },
    {
      kind: 'single',
      id: 'first-config',
      competencies: ['cluster-config'],
      prompt: '`/etc/cni/net.d` contains `10-flannel.conflist` and `20-bridge.conf`. Which one configures new pods?',
      options: [
        { id: 'first', text: '`10-flannel.conflist`: the first file in lexicographic order wins' },
        { id: 'last', text: '`20-bridge.conf`: the last one overrides', feedback: 'Files are not merged or overridden: only the first is used.' },
        { id: 'both', text: 'Both: each pod gets two interfaces', feedback: 'One network per pod by default; several interfaces need a meta-plugin such as Multus.' },
        { id: 'newest', text: 'The most recently modified one', feedback: 'Modification time does not matter.' },
      ],
      answer: 'first',
      explanation: 'The runtime sorts the configuration files by name and takes the first valid one, which is why their names start with numbers. A leftover config from an old plugin can silently win.',
    },
    {
      kind: 'multiple',
      id: 'bridge-plugin',
      competencies: ['cluster-config', 'pod-connectivity'],
      prompt: 'What does the CNI `bridge` plugin do for a new pod? Select all that apply.',
      options: [
        { id: 'bridge', text: 'Creates the bridge on the node if it does not exist (for example `cni0`)' },
        { id: 'veth', text: 'Creates a veth pair, one end in the pod\'s namespace and one attached to the bridge' },
        { id: 'ipam', text: 'Calls its IPAM plugin (for example `host-local`) to get the pod an IP address' },
        { id: 'services', text: 'Writes the Service DNAT rules', feedback: 'That is kube-proxy\'s job.' },
        { id: 'dns', text: 'Registers the pod in CoreDNS', feedback: 'CoreDNS learns about pods and Services from the API server.' },
      ],
      answers: ['bridge', 'veth', 'ipam'],
      explanation: 'The bridge plugin does, in code, what the namespaces chapter did with `ip` commands: bridge, veth pair, address (from the IPAM plugin named in its config), routes, and with `isGateway` the bridge gets the gateway address. On DEL it removes the pod\'s veth and releases the address.',
    },
    {
      kind: 'number',
      id: 'scheduler-port',
      prompt: 'On which port does kube-scheduler listen?',
      answer: 10259,
      wrong: [
        { answer: 10257, feedback: '10257 is kube-controller-manager.' },
        { answer: 10251, feedback: '10251 was the old insecure port, removed years ago.' },
        { answer: 6443, feedback: '6443 is kube-apiserver.' },
      ],
      explanation: 'kube-scheduler serves HTTPS on 10259, bound to 127.0.0.1 in kubeadm clusters; kube-controller-manager uses 10257. `netstat -nplt | grep scheduler` shows `127.0.0.1:10259 ... LISTEN .../kube-scheduler`.',
    },
    {
      kind: 'multiple',
      id: 'listening-port-command',
      prompt: 'On a control-plane node, which of these commands show the port kube-scheduler listens on? Select all that apply.',
      options: [
        { id: 'netstat', text: '`netstat -nplt | grep scheduler`' },
        { id: 'ss', text: '`ss -ltnp | grep kube-scheduler`' },
        { id: 'no-p', text: '`netstat -nlt | grep scheduler`', feedback: 'Without `-p`, netstat prints no program names, so `grep scheduler` finds nothing.' },
        { id: 'svc', text: '`kubectl -n kube-system get svc`', feedback: 'kube-scheduler runs as a static pod on the host network, with no Service in front of it.' },
      ],
      answers: ['netstat', 'ss'],
      explanation: 'A listening socket and its program are what you need: `-l` (listening), `-t` (TCP), `-n` (numeric ports), `-p` (the program, which `grep` then finds). Both show `127.0.0.1:10259` for kube-scheduler in a kubeadm cluster; kube-controller-manager is on 10257, the API server on 6443.',
    },
    {
      kind: 'single',
      id: 'etcd-ports',
      prompt: 'etcd listens on 2379, 2380 and 2381. Which one do its clients, such as kube-apiserver, connect to?',
      options: [
        { id: '2379', text: '2379' },
        { id: '2380', text: '2380', feedback: '2380 is for peer traffic between etcd members.' },
        { id: '2381', text: '2381', feedback: '2381 serves metrics and health, on localhost.' },
      ],
      answer: '2379',
      explanation: '2379 is the client port (kube-apiserver holds many connections to it), 2380 the peer port (cluster members replicate over it), 2381 metrics. Counting lines of `netstat -anp | grep etcd | grep 2379` is the lab\'s way to see which port has the most clients.',
    },
    {
      kind: 'single',
      id: 'etcd-peer-line',
      prompt: 'On a cluster with a single control-plane node, `netstat -npa | grep etcd | grep 2380 | wc -l` prints `1`. What is that one line?',
      options: [
        { id: 'listen', text: 'etcd\'s listening socket on its peer port: with no other etcd member, nobody connects to it' },
        { id: 'client', text: 'kube-apiserver\'s one connection to etcd', feedback: 'The API server is an etcd client: it connects to 2379, not to the peer port.' },
        { id: 'header', text: 'netstat\'s column header, so etcd has no socket on 2380', feedback: 'The header contains neither "etcd" nor "2380": `grep` removed it.' },
        { id: 'down', text: 'A sign that etcd is down', feedback: 'A stopped etcd has no sockets at all, and the count would be 0.' },
      ],
      answer: 'listen',
      explanation: '`-a` lists listening and connected sockets alike, so the count includes LISTEN lines. Port 2380 is for peers, the other members of an etcd cluster; with one member, only the listening socket is there. Port 2379, where the API server connects as a client, shows many lines: etcd\'s listeners plus etcd\'s end of every client connection (the API server\'s ends name kube-apiserver, and `grep etcd` drops them). To count only connections, filter on the state (`ESTABLISHED`).',
    },
    {
      kind: 'command',
      id: 'default-gateway',
      prompt: 'This is a control-plane node. Print the IP address of its default gateway, and nothing else.',
      scenario: 'k8s-cluster',
      solutions: [["ip route show default | awk '{print $3}'"], ["route -n | awk '$1 == \"0.0.0.0\" {print $2}'"], ["ip route | grep '^default' | cut -d' ' -f3"]],
      wrong: [['ip route'], ["ip -4 addr show eth0 | awk '/inet /{print $2}'"]],
      check: ({ world, host, runs }) => {
        const gw = defaultGateway(rootNs(world, host));
        if (!gw) return fail(runs, 'The grader found no default route on this node.');
        const line = singleLine(runs);
        if (line === gw) return pass();
        if (line === null) return fail(runs, 'The last command should print exactly one line: the gateway\'s address.');
        if (line.includes(gw)) return fail(runs, 'The address is in there, but print only the address itself (awk `{print $3}` takes the third word).');
        return fail(runs, `The last command printed \`${line}\`, which is not the default gateway.`);
      },
      explanation: '`ip route show default` prints `default via GATEWAY dev eth0 ...`; the gateway is the third word, so `awk \'{print $3}\'` extracts it. With net-tools, `route -n` shows it in the Gateway column of the `0.0.0.0` line.',
    },
    {
      kind: 'command',
      id: 'etcd-clients',
      prompt: 'How many established TCP connections does etcd hold on its client port 2379? Print just the number.',
      scenario: 'k8s-node',
      solutions: [
        ["netstat -tnp | awk '$4 ~ /:2379$/ && $6 == \"ESTABLISHED\" && $7 ~ /etcd/' | wc -l"],
        ["netstat -anp | grep ESTABLISHED | grep etcd | awk '{print $4}' | grep -c ':2379$'"],
      ],
      wrong: [['netstat -anp | grep etcd | grep 2379'], ['echo 0']],
      check: ({ world, host, runs }) => {
        const n = etcdClientConnections(world, host);
        if (n === 0) return fail(runs, 'The grader found no etcd client connections in this scenario.');
        const line = singleLine(runs);
        if (line === String(n)) return pass();
        if (line === null) {
          const lines = outputLines(lastRun(runs));
          return fail(runs, lines.length > 1 ? 'That printed the connections themselves: count them (`wc -l`, or `grep -c`).' : 'The last command printed nothing.');
        }
        return fail(runs, `${line} is not the count of etcd's ESTABLISHED connections whose local port is 2379: check that you count only those (not the LISTEN lines, nor kube-apiserver's side of each connection).`);
      },
      explanation: 'Each connection appears twice on a single node: once from etcd\'s side (local port 2379, program etcd) and once from kube-apiserver\'s side (remote port 2379). Filtering on the local address column ending in `:2379`, the state and the program leaves etcd\'s side only; `wc -l` counts it.',
    },
  ],
});
