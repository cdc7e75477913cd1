// The `k8s-node` scenario: a kubeadm control-plane node of a one-node
// cluster with the Weave Net CNI, as CKA labs present it. Everything a
// learner inspects is real simulated state: the daemons' sockets (netstat,
// ss), the node NIC and default route, the `weave` bridge with one veth per
// pod, each pod in its own network namespace, kube-proxy's NAT chains, CNI
// configuration and binaries, static pod manifests, and container logs.
import type { K8sCluster, K8sPod, K8sService } from '../../sim/k8s';
import { kubeProxyRules } from '../../sim/kube-proxy-rules';

export interface K8sNodeParams {
  nodeName: string;
  nodeIP: string; // on eth0, /24
  gateway: string;
  podCIDR: string; // weave ipalloc-range
  bridgeIP: string; // the weave bridge's address (first of the range)
  serviceCIDR: string;
  version: string;
}

export const K8S_NODE_DEFAULTS: K8sNodeParams = {
  nodeName: 'controlplane',
  nodeIP: '192.168.121.10',
  gateway: '192.168.121.1',
  podCIDR: '10.244.0.0/16',
  bridgeIP: '10.244.0.1',
  serviceCIDR: '10.96.0.0/12',
  version: 'v1.34.0',
};

const DAY = 86_400_000;

function podIP(p: K8sNodeParams, n: number): string {
  const [a, b] = p.podCIDR.split('/')[0]!.split('.');
  return `${a}.${b}.0.${n}`;
}

function hex(seed: string, len: number): string {
  // FNV-1a over the whole seed, then a xorshift stream: stable, distinct per seed
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
  let out = '';
  while (out.length < len) {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    h >>>= 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, len);
}

function uuid(seed: string): string {
  const x = hex(seed, 32);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export function k8sCluster(p: K8sNodeParams = K8S_NODE_DEFAULTS): K8sCluster {
  const created = -2 * DAY - 3 * 3_600_000;
  const staticPod = (name: string, image: string, log: string): K8sPod => ({
    name: `${name}-${p.nodeName}`,
    namespace: 'kube-system',
    node: p.nodeName,
    ip: p.nodeIP,
    hostNetwork: true,
    labels: { component: name, tier: 'control-plane' },
    containers: [{ name, image: `registry.k8s.io/${image}`, log }],
    restarts: 0,
    created,
    owner: 'Node',
  });
  const ts = 'I1124 09:12:07.402113';
  const weaveLog =
    `INFO: 2026/11/24 09:12:41.118410 Command line options: map[conn-limit:200 datapath:datapath db-prefix:/weavedb/weave-net docker-api: expect-npc:true http-addr:127.0.0.1:6784 ipalloc-init:consensus=0 ipalloc-range:${p.podCIDR} metrics-addr:0.0.0.0:6782 name:9a:3c:5e:71:0b:d4 nickname:${p.nodeName} no-dns:true no-masq-local:true port:6783]\n` +
    'INFO: 2026/11/24 09:12:41.118452 weave  2.8.1\n' +
    'INFO: 2026/11/24 09:12:41.412003 Bridge type is bridged_fastdp\n' +
    'INFO: 2026/11/24 09:12:41.412022 Communication between peers is unencrypted.\n' +
    `INFO: 2026/11/24 09:12:41.497113 Our name is 9a:3c:5e:71:0b:d4(${p.nodeName})\n` +
    'INFO: 2026/11/24 09:12:41.497161 Launch detected - using supplied peer list: []\n' +
    `INFO: 2026/11/24 09:12:41.520388 Using "no-masq-local" LocalRangeTracker\n` +
    'INFO: 2026/11/24 09:12:41.520401 Checking for pre-existing addresses on weave bridge\n' +
    `INFO: 2026/11/24 09:12:41.605022 [allocator 9a:3c:5e:71:0b:d4] No valid persisted data\n` +
    `INFO: 2026/11/24 09:12:41.624551 [allocator 9a:3c:5e:71:0b:d4] Initialising via deferred consensus\n` +
    'INFO: 2026/11/24 09:12:41.625117 Sniffing traffic on datapath (via ODP)\n' +
    'INFO: 2026/11/24 09:12:41.651202 Listening for HTTP control messages on 127.0.0.1:6784\n' +
    'INFO: 2026/11/24 09:12:41.651490 Listening for metrics requests on 0.0.0.0:6782\n' +
    `INFO: 2026/11/24 09:12:42.310875 [kube-peers] Added myself to peer list &{[{9a:3c:5e:71:0b:d4 ${p.nodeName}}]}\n` +
    'DEBU: 2026/11/24 09:12:42.322140 [kube-peers] Nodes that have disappeared: map[]\n' +
    `INFO: 2026/11/24 09:12:42.402957 adding entry ${p.podCIDR} to weaver-no-masq-local of 0\n` +
    `INFO: 2026/11/24 09:12:42.403001 added entry ${p.podCIDR} to weaver-no-masq-local of 0\n` +
    'INFO: 2026/11/24 09:12:43.003116 Weave started\n';
  const proxyLog =
    `I1124 09:12:30.551023       1 server_linux.go:66] "Using iptables proxy"\n` +
    `I1124 09:12:30.573160       1 server.go:698] "Successfully retrieved node IP(s)" IPs=["${p.nodeIP}"]\n` +
    `I1124 09:12:30.581147       1 conntrack.go:121] "Set sysctl" entry="net/netfilter/nf_conntrack_tcp_timeout_established" value=86400\n` +
    `I1124 09:12:30.601775       1 server_linux.go:132] "Using iptables Proxier"\n` +
    `I1124 09:12:30.602337       1 proxier.go:242] "Setting route_localnet=1 to allow node-ports on localhost; to change this either disable iptables.localhostNodePorts (--iptables-localhost-nodeports) or set nodePortAddresses (--nodeport-addresses) to filter loopback addresses" ipFamily="IPv4"\n` +
    `I1124 09:12:30.605215       1 server.go:483] "Version info" version="${p.version}"\n` +
    `I1124 09:12:30.622812       1 config.go:199] "Starting service config controller"\n` +
    `I1124 09:12:30.622855       1 config.go:105] "Starting endpoint slice config controller"\n` +
    `I1124 09:12:30.723551       1 shared_informer.go:356] "Caches are synced" controller="service config"\n` +
    `I1124 09:12:30.723604       1 shared_informer.go:356] "Caches are synced" controller="endpoint slice config"\n`;
  const pods: K8sPod[] = [
    staticPod('etcd', 'etcd:3.6.4-0', `{"level":"info","ts":"2026-11-24T09:12:05.101Z","caller":"etcdmain/etcd.go:73","msg":"Running: ","args":["etcd","--advertise-client-urls=https://${p.nodeIP}:2379","--listen-client-urls=https://127.0.0.1:2379,https://${p.nodeIP}:2379","--listen-peer-urls=https://${p.nodeIP}:2380","--listen-metrics-urls=http://127.0.0.1:2381"]}\n`),
    staticPod('kube-apiserver', `kube-apiserver:${p.version}`, `${ts}       1 options.go:249] external host was not specified, using ${p.nodeIP}\n${ts}       1 server.go:175] Version: ${p.version}\n`),
    staticPod('kube-controller-manager', `kube-controller-manager:${p.version}`, `${ts}       1 serving.go:386] Generated self-signed cert in-memory\n${ts}       1 controllermanager.go:191] "Starting" version="${p.version}"\n`),
    staticPod('kube-scheduler', `kube-scheduler:${p.version}`, `${ts}       1 serving.go:386] Generated self-signed cert in-memory\n${ts}       1 secure_serving.go:211] Serving securely on 127.0.0.1:10259\n`),
    { name: 'kube-proxy-7xkqm', namespace: 'kube-system', node: p.nodeName, ip: p.nodeIP, hostNetwork: true, labels: { 'k8s-app': 'kube-proxy' }, containers: [{ name: 'kube-proxy', image: `registry.k8s.io/kube-proxy:${p.version}`, log: proxyLog }], restarts: 0, created, owner: 'DaemonSet' },
    { name: 'weave-net-9hd2w', namespace: 'kube-system', node: p.nodeName, ip: p.nodeIP, hostNetwork: true, labels: { name: 'weave-net' }, containers: [{ name: 'weave', image: 'ghcr.io/weaveworks/launcher/weave-kube:2.8.1', log: weaveLog }, { name: 'weave-npc', image: 'ghcr.io/weaveworks/launcher/weave-npc:2.8.1', log: 'INFO: 2026/11/24 09:12:40.211532 Starting Weaveworks NPC 2.8.1; node name "controlplane"\nINFO: 2026/11/24 09:12:40.211597 Serving /metrics on :6781\n' }], restarts: 1, created, owner: 'DaemonSet' },
    { name: 'coredns-66bc5c9577-4kx8n', namespace: 'kube-system', node: p.nodeName, ip: podIP(p, 2), hostNetwork: false, labels: { 'k8s-app': 'kube-dns' }, containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.12.1', log: '.:53\n[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908\nCoreDNS-1.12.1\nlinux/amd64, go1.24.1, 707c7c1\n' }], restarts: 0, created, owner: 'ReplicaSet' },
    { name: 'coredns-66bc5c9577-w9r5t', namespace: 'kube-system', node: p.nodeName, ip: podIP(p, 3), hostNetwork: false, labels: { 'k8s-app': 'kube-dns' }, containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.12.1', log: '.:53\nCoreDNS-1.12.1\nlinux/amd64, go1.24.1, 707c7c1\n' }], restarts: 0, created, owner: 'ReplicaSet' },
    { name: 'web-7d4b9c8f6d-2lqzv', namespace: 'default', node: p.nodeName, ip: podIP(p, 4), hostNetwork: false, labels: { app: 'web' }, containers: [{ name: 'nginx', image: 'nginx:1.27', log: '/docker-entrypoint.sh: Configuration complete; ready for start up\n' }], restarts: 0, created: -40 * 60_000, owner: 'ReplicaSet' },
    { name: 'web-7d4b9c8f6d-m8xkd', namespace: 'default', node: p.nodeName, ip: podIP(p, 5), hostNetwork: false, labels: { app: 'web' }, containers: [{ name: 'nginx', image: 'nginx:1.27', log: '/docker-entrypoint.sh: Configuration complete; ready for start up\n' }], restarts: 0, created: -40 * 60_000, owner: 'ReplicaSet' },
  ];
  const services: K8sService[] = [
    { name: 'kubernetes', namespace: 'default', type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443, protocol: 'TCP' }], selector: {}, created },
    { name: 'kube-dns', namespace: 'kube-system', type: 'ClusterIP', clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, targetPort: 9153, protocol: 'TCP' }], selector: { 'k8s-app': 'kube-dns' }, created },
    { name: 'web', namespace: 'default', type: 'ClusterIP', clusterIP: '10.104.83.201', ports: [{ name: '', port: 80, targetPort: 80, protocol: 'TCP' }], selector: { app: 'web' }, created: -40 * 60_000 },
    { name: 'web-np', namespace: 'default', type: 'NodePort', clusterIP: '10.98.17.44', ports: [{ name: '', port: 8080, targetPort: 80, protocol: 'TCP', nodePort: 30080 }], selector: { app: 'web' }, created: -35 * 60_000 },
  ];
  return {
    nodes: [{ name: p.nodeName, roles: 'control-plane', internalIP: p.nodeIP, version: p.version, osImage: 'Ubuntu 24.04.1 LTS', kernel: '6.8.0-51-generic', runtime: 'containerd://2.1.4', created, podCIDR: p.podCIDR }],
    pods,
    services,
    serviceCIDR: p.serviceCIDR,
    podCIDR: p.podCIDR,
    cni: 'weave',
  };
}

/** Setup lines building the node's network and processes for a cluster. */
export function k8sNodeSetup(c: K8sCluster, p: K8sNodeParams = K8S_NODE_DEFAULTS): string[] {
  const ip = p.nodeIP;
  const prefix = p.podCIDR.split('/')[1];
  const lines: string[] = [
    '@sysctl-set net.ipv4.ping_group_range 0\t2147483647',
    'ip link set lo up',
    `@nic eth0 ${p.nodeName}-uplink`,
    `ip addr add ${ip}/24 dev eth0`,
    'ip link set eth0 up',
    `ip route add default via ${p.gateway}`,
    'sysctl -w net.ipv4.ip_forward=1',
    // the Weave bridge
    'ip link add weave type bridge',
    'ip link set weave mtu 1376',
    `ip addr add ${p.bridgeIP}/${prefix} dev weave`,
    'ip link set weave up',
  ];
  for (const pod of c.pods.filter((x) => !x.hostNetwork)) {
    const ns = `cni-${uuid(pod.name)}`;
    const veth = `vethwepl${hex(pod.name, 7)}`;
    lines.push(
      `ip netns add ${ns}`,
      `ip link add ${veth} type veth peer name eth0 netns ${ns}`,
      `ip link set ${veth} mtu 1376`,
      `ip link set ${veth} master weave`,
      `ip link set ${veth} up`,
      `ip -n ${ns} link set lo up`,
      `ip -n ${ns} link set eth0 mtu 1376`,
      `ip -n ${ns} addr add ${pod.ip}/${prefix} dev eth0`,
      `ip -n ${ns} link set eth0 up`,
      `ip -n ${ns} route add default via ${p.bridgeIP}`,
    );
    if (pod.labels['k8s-app'] === 'kube-dns') lines.push(`@spawn ip netns exec ${ns} coredns -conf /etc/coredns/Corefile`);
    if (pod.labels.app === 'web') lines.push(`@httpd -n ${ns} 0.0.0.0:80 --name nginx --server nginx/1.27.5 --body "Welcome to nginx! (served by pod ${pod.name}, ${pod.ip})"`);
  }
  lines.push(
    '@daemon sshd tcp:0.0.0.0:22 tcp6:[::]:22',
    `@daemon etcd tcp:127.0.0.1:2379 tcp:${ip}:2379 tcp:${ip}:2380 tcp:127.0.0.1:2381`,
    '@daemon containerd tcp:127.0.0.1:39787',
    `@daemon kube-apiserver tcp46:[::]:6443 ${[41782, 41790, 41806, 41818, 41830, 41844, 41858, 41872].map((port) => `conn:127.0.0.1:${port}-127.0.0.1:2379`).join(' ')}`,
    `@daemon kube-controller-manager tcp:127.0.0.1:10257 conn:${ip}:52314-${ip}:6443`,
    `@daemon kube-scheduler tcp:127.0.0.1:10259 conn:${ip}:52326-${ip}:6443`,
    `@daemon kubelet tcp:127.0.0.1:10248 tcp46:[::]:10250 tcp:127.0.0.1:36715 conn:${ip}:52340-${ip}:6443`,
    `@daemon kube-proxy tcp:127.0.0.1:10249 tcp46:[::]:10256 conn:${ip}:52352-${ip}:6443`,
    `@daemon weaver tcp:127.0.0.1:6784 tcp46:[::]:6782 tcp:0.0.0.0:6783 udp:0.0.0.0:6783 udp:0.0.0.0:6784 conn:${ip}:52366-${ip}:6443`,
    `@daemon weave-npc tcp46:[::]:6781 conn:${ip}:52378-${ip}:6443`,
    ...kubeProxyRules(c),
  );
  return lines;
}

/** Files of a kubeadm node with Weave Net. */
export function k8sNodeFiles(c: K8sCluster, p: K8sNodeParams = K8S_NODE_DEFAULTS): Record<string, string> {
  const files: Record<string, string> = {
    '/etc/cni/net.d/10-weave.conflist':
      '{\n    "cniVersion": "0.3.0",\n    "name": "weave",\n    "plugins": [\n        {\n            "name": "weave",\n            "type": "weave-net",\n            "hairpinMode": true\n        },\n        {\n            "type": "portmap",\n            "capabilities": {"portMappings": true},\n            "snat": true\n        }\n    ]\n}\n',
    '/etc/cni/net.d/.kubernetes-cni-keep': '',
    '/etc/kubernetes/manifests/kube-apiserver.yaml': manifest('kube-apiserver', p, [
      `--advertise-address=${p.nodeIP}`, '--allow-privileged=true', '--authorization-mode=Node,RBAC', '--client-ca-file=/etc/kubernetes/pki/ca.crt',
      '--enable-admission-plugins=NodeRestriction', '--etcd-servers=https://127.0.0.1:2379', '--secure-port=6443',
      `--service-cluster-ip-range=${c.serviceCIDR}`, '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    ]),
    '/etc/kubernetes/manifests/kube-controller-manager.yaml': manifest('kube-controller-manager', p, [
      '--allocate-node-cidrs=true', '--bind-address=127.0.0.1', `--cluster-cidr=${c.podCIDR}`, '--cluster-name=kubernetes',
      '--kubeconfig=/etc/kubernetes/controller-manager.conf', '--leader-elect=true', `--service-cluster-ip-range=${c.serviceCIDR}`, '--use-service-account-credentials=true',
    ]),
    '/etc/kubernetes/manifests/kube-scheduler.yaml': manifest('kube-scheduler', p, ['--authentication-kubeconfig=/etc/kubernetes/scheduler.conf', '--bind-address=127.0.0.1', '--kubeconfig=/etc/kubernetes/scheduler.conf', '--leader-elect=true']),
    '/etc/kubernetes/manifests/etcd.yaml': manifest('etcd', p, [
      `--advertise-client-urls=https://${p.nodeIP}:2379`, '--data-dir=/var/lib/etcd', `--initial-advertise-peer-urls=https://${p.nodeIP}:2380`,
      `--listen-client-urls=https://127.0.0.1:2379,https://${p.nodeIP}:2379`, '--listen-metrics-urls=http://127.0.0.1:2381', `--listen-peer-urls=https://${p.nodeIP}:2380`, `--name=${p.nodeName}`,
    ]),
    '/var/lib/kubelet/config.yaml':
      'apiVersion: kubelet.config.k8s.io/v1beta1\nauthentication:\n  anonymous:\n    enabled: false\ncgroupDriver: systemd\nclusterDNS:\n- 10.96.0.10\nclusterDomain: cluster.local\ncontainerRuntimeEndpoint: unix:///var/run/containerd/containerd.sock\nkind: KubeletConfiguration\nstaticPodPath: /etc/kubernetes/manifests\n',
    '/var/lib/kube-proxy/config.conf': `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nbindAddress: 0.0.0.0\nclusterCIDR: ${c.podCIDR}\nkind: KubeProxyConfiguration\nmode: iptables\n`,
    '/root/.kube/config': `apiVersion: v1\nclusters:\n- cluster:\n    server: https://${p.nodeIP}:6443\n  name: kubernetes\nkind: Config\n`,
  };
  // CoreDNS runs with dnsPolicy: Default: its resolv.conf is the kubelet's
  // resolvConf (systemd-resolved's upstream list), never the 127.0.0.53 stub,
  // which in its own namespace would be CoreDNS itself (its loop plugin stops it)
  for (const pod of c.pods.filter((x) => x.labels['k8s-app'] === 'kube-dns')) files[`/etc/netns/cni-${uuid(pod.name)}/resolv.conf`] = `nameserver ${p.gateway}\n`;
  for (const bin of ['bandwidth', 'bridge', 'dhcp', 'dummy', 'firewall', 'flannel', 'host-device', 'host-local', 'ipvlan', 'loopback', 'macvlan', 'portmap', 'ptp', 'sbr', 'static', 'tap', 'tuning', 'vlan', 'vrf', 'weave-ipam', 'weave-net', 'weave-plugin-2.8.1']) {
    files[`/opt/cni/bin/${bin}`] = `\x7fELF CNI plugin ${bin}\n`;
  }
  return files;
}

function manifest(name: string, p: K8sNodeParams, flags: string[]): string {
  const image = name === 'etcd' ? 'registry.k8s.io/etcd:3.6.4-0' : `registry.k8s.io/${name}:${p.version}`;
  return (
    `apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    component: ${name}\n    tier: control-plane\n  name: ${name}\n  namespace: kube-system\nspec:\n  containers:\n  - command:\n    - ${name}\n` +
    flags.map((f) => `    - ${f}\n`).join('') +
    `    image: ${image}\n    name: ${name}\n  hostNetwork: true\n  priorityClassName: system-node-critical\n`
  );
}
