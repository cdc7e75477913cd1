// A kubeadm cluster built as kubeadm and an admin build it: `kubeadm init`
// on controlplane (static pods for etcd and the control plane, the
// kubernetes and kube-dns Services, the CoreDNS Deployment, the kube-proxy
// DaemonSet and their ConfigMaps), `kubeadm join` on each worker, then the
// CNI manifest applied (Flannel by default). It happens on the cluster clock
// in the past (the cluster is some minutes old when the learner arrives)
// and the controllers bring everything up to the present.
import { stringify } from 'yaml';
import type { World } from '../sim/world';
import { addNic, linkSetUp, segmentAdd } from '../sim/netdev';
import { addAddress } from '../sim/addr';
import { routeAdd } from '../sim/fib';
import { seedHostFiles, writeHostFile, readHostFile } from '../sim/files';
import { spawnProcess } from '../sim/process';
import { listenTcp } from '../sim/sockets';
import { initClusterState, rfc3339, type ClusterConfig } from './api/store';
import type { Api } from './api/store';
import { internalApi, syncCluster } from './cluster';
import { registerNodeRuntime } from './runtime/kubelet';
import { startContainerdProcess, startKubeletProcess } from './runtime/node';
import { ROOT_CA } from './controllers/lifecycle';
import { applyCalico } from './calico/index';
import { installKubernetes } from './install';
import { labHostUp } from './net/upstream';
import { startResolved } from './net/resolved';

export interface BootstrapOptions {
  /** worker names (default ['node01']) */
  workers?: string[];
  /** node network: the nodes get .10, .11, ... of it; the gateway is .1 */
  nodeSubnet?: string;
  /** 'flannel' applies kube-flannel.yml; 'none' leaves the cluster without a pod network add-on */
  cni?: 'flannel' | 'calico' | 'none';
  /** the flannel CNI config stays on the nodes even without the add-on (a cluster whose add-on was removed) */
  keepCniConfig?: boolean;
  config?: Partial<ClusterConfig>;
  /** age of the cluster when the learner arrives (ms, default 70 min: the set-up's events have expired, as on a lab cluster) */
  ageMs?: number;
  /** the switch the nodes' eth0 plug into */
  segment?: string;
  /**
   * add-ons installed once the workers have joined (cluster time +5.5 min), in order, before `then`:
   * installNginxIngress (src/k8s/ingress/nic.ts), the Gateway API implementation, MetalLB
   */
  addons?: ((world: World, api: Api) => void)[];
  /** the lab's KVM host at the node network's .1 with libvirt's dnsmasq, the nodes' upstream name server (default true; net/upstream.ts) */
  labHost?: boolean;
  /** steps run on the cluster 15 minutes before the present (deployApp, the faults of variants.ts), in order */
  then?: ((world: World) => void)[];
}

export const CONTROLPLANE = 'controlplane';

const yaml = (o: unknown) => stringify(o, { indentSeq: false, lineWidth: 0 });

function nodeIp(subnet: string, i: number): string {
  const [a, b, c] = subnet.split('/')[0]!.split('.');
  return `${a}.${b}.${c}.${10 + i}`;
}

// ---------------------------------------------------------------- node host

const CNI_BINS = ['bandwidth', 'bridge', 'dhcp', 'dummy', 'firewall', 'host-device', 'host-local', 'ipvlan', 'LICENSE', 'loopback', 'macvlan', 'portmap', 'ptp', 'README.md', 'sbr', 'static', 'tap', 'tuning', 'vlan', 'vrf'];

function kubeconfig(server: string, user: string): string {
  const cert = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURCVENDQWUyZ0F3SUJBZ0lJVTBwWFZVSkJUV1V3RFFZSktvWklodmNOQVFFTEJRQXdGVEVUTUJFR0ExVUUKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=';
  return `apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: ${cert}\n    server: ${server}\n  name: kubernetes\ncontexts:\n- context:\n    cluster: kubernetes\n    user: ${user}\n  name: ${user}@kubernetes\ncurrent-context: ${user}@kubernetes\nkind: Config\npreferences: {}\nusers:\n- name: ${user}\n  user:\n    client-certificate-data: ${cert}\n    client-key-data: ${cert}\n`;
}

function kubeletConfig(cfg: ClusterConfig): string {
  return `apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: systemd
clusterDNS:
- ${cfg.dnsServiceIP}
clusterDomain: ${cfg.clusterDomain}
containerRuntimeEndpoint: unix:///var/run/containerd/containerd.sock
cpuManagerReconcilePeriod: 0s
crashLoopBackOff: {}
evictionPressureTransitionPeriod: 0s
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageMaximumGCAge: 0s
imageMinimumGCAge: 0s
kind: KubeletConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
memorySwap: {}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
resolvConf: /run/systemd/resolve/resolv.conf
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
`;
}

function setUpHost(world: World, api: Api, name: string, ip: string, subnet: string, segment: string, cfg: ClusterConfig, allNodes: { name: string; ip: string }[], controlPlaneIp: string): void {
  // a scenario may have created the host already (with its seeded files)
  const existing = world.state.hosts[name];
  const host = existing ?? world.addHost(name, name);
  if (!existing) seedHostFiles(host, world.now());
  const ns = host.rootNs;
  world.setSysctl(ns, 'net.ipv4.ping_group_range', '0\t2147483647');
  const lo = world.ns(ns).links.find((l) => l.name === 'lo')!;
  linkSetUp(world, ns, lo.ifindex, true);
  const eth0 = addNic(world, ns, 'eth0', segment);
  const len = Number(subnet.split('/')[1] ?? '24');
  const [a, b, c] = subnet.split('/')[0]!.split('.');
  addAddress(world, ns, eth0.ifindex, { local: ip, prefixlen: len, broadcast: `${a}.${b}.${c}.255` });
  linkSetUp(world, ns, eth0.ifindex, true);
  routeAdd(world, ns, { family: 4, dst: '0.0.0.0', dstLen: 0, gateway: `${a}.${b}.${c}.1`, protocol: 'boot' } as any);
  world.setSysctl(ns, 'net.ipv4.ip_forward', '1');
  const t = world.now();
  const w = (path: string, text: string, mode = 0o644) => writeHostFile(host, path, text, t, mode);
  const hosts = readHostFile(host, '/etc/hosts') ?? '';
  w('/etc/hosts', hosts + allNodes.map((n) => `${n.ip}\t${n.name}\n`).join(''));
  for (const bin of CNI_BINS) w(`/opt/cni/bin/${bin}`, bin.includes('.') || bin === 'LICENSE' ? `${bin}\n` : `\x7fELF CNI plugin ${bin} v1.6.2\n`, bin.includes('.') || bin === 'LICENSE' ? 0o644 : 0o755);
  w('/etc/cni/net.d/.kubernetes-cni-keep', '');
  // systemd-resolved: the stub in /etc/resolv.conf, the upstream in /run/systemd/resolve/resolv.conf (the kubelet's resolvConf, CoreDNS's forward)
  w('/etc/resolv.conf', 'nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n');
  w('/run/systemd/resolve/resolv.conf', `nameserver ${a}.${b}.${c}.1\nsearch .\n`);
  w('/etc/crictl.yaml', 'runtime-endpoint: unix:///run/containerd/containerd.sock\nimage-endpoint: unix:///run/containerd/containerd.sock\ntimeout: 10\n');
  w('/var/lib/kubelet/config.yaml', kubeletConfig(cfg));
  w('/var/lib/kubelet/kubeadm-flags.env', `KUBELET_KUBEADM_ARGS="--node-ip=${ip} --pod-infra-container-image=registry.k8s.io/pause:3.10"\n`);
  w('/etc/kubernetes/kubelet.conf', kubeconfig(`https://${controlPlaneIp}:6443`, `system:node:${name}`));
  w('/etc/kubernetes/pki/ca.crt', ROOT_CA);
  w('/usr/lib/systemd/system/kubelet.service', '[Unit]\nDescription=kubelet: The Kubernetes Node Agent\nDocumentation=https://kubernetes.io/docs/\nWants=network-online.target\nAfter=network-online.target\n\n[Service]\nExecStart=/usr/bin/kubelet\nRestart=always\nStartLimitInterval=0\nRestartSec=10\n\n[Install]\nWantedBy=multi-user.target\n');
  w('/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf', '# Note: This dropin only works with kubeadm and kubelet v1.11+\n[Service]\nEnvironment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"\nEnvironment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"\n# This is a file that "kubeadm init" and "kubeadm join" generates at runtime, populating the KUBELET_KUBEADM_ARGS variable dynamically\nEnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env\n# This is a file that the user can use for overrides of the kubelet args as a last resort. Preferably, the user should use\n# the .NodeRegistration.KubeletExtraArgs object in the configuration files instead. KUBELET_EXTRA_ARGS should be sourced from this file.\nEnvironmentFile=-/etc/default/kubelet\nExecStart=\nExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS\n');
  const sshd = spawnProcess(world, name, ns, ['sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups'], { comm: 'sshd', role: { kind: 'daemon' } });
  listenTcp(world, ns, sshd.pid, '0.0.0.0', 22, 4, 128);
  listenTcp(world, ns, sshd.pid, '::', 22, 6, 128);
  startResolved(world, name, ns);
  startContainerdProcess(world, name);
  startKubeletProcess(world, name, ip);
  registerNodeRuntime(api, name, name);
}

// ---------------------------------------------------------------- objects kubeadm writes

function staticPodManifest(name: string, image: string, command: string[], mounts: { name: string; path: string; type: string; readOnly?: boolean }[], probePort: number, probeHost: string, probePath: string, scheme: string, cpu: string, annotations?: Record<string, string>): string {
  const probe = (failure: number, initial = 10) => ({ failureThreshold: failure, httpGet: { host: probeHost, path: probePath, port: probePort, scheme }, initialDelaySeconds: initial, periodSeconds: 10, timeoutSeconds: 15 });
  const pod: any = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...(annotations ? { annotations } : {}), labels: { component: name, tier: 'control-plane' }, name, namespace: 'kube-system' },
    spec: {
      containers: [
        {
          command,
          image,
          imagePullPolicy: 'IfNotPresent',
          livenessProbe: probe(8),
          name,
          ...(name === 'kube-apiserver' ? { readinessProbe: { failureThreshold: 3, httpGet: { host: probeHost, path: '/readyz', port: probePort, scheme }, periodSeconds: 1, timeoutSeconds: 15 } } : {}),
          resources: { requests: name === 'etcd' ? { cpu, memory: '100Mi' } : { cpu } },
          startupProbe: probe(24),
          volumeMounts: mounts.map((m) => ({ mountPath: m.path, name: m.name, ...(m.readOnly ? { readOnly: true } : {}) })),
        },
      ],
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      volumes: mounts.map((m) => ({ hostPath: { path: m.path, type: m.type }, name: m.name })),
    },
    status: {},
  };
  if (name === 'etcd') pod.spec.containers[0].livenessProbe.httpGet.path = '/livez';
  if (name === 'etcd') pod.spec.containers[0].startupProbe.httpGet.path = '/readyz';
  return yaml(pod);
}

function controlPlaneManifests(ip: string, cfg: ClusterConfig): Record<string, string> {
  const v = cfg.version;
  const certs = [
    { name: 'ca-certs', path: '/etc/ssl/certs', type: 'DirectoryOrCreate', readOnly: true },
    { name: 'etc-ca-certificates', path: '/etc/ca-certificates', type: 'DirectoryOrCreate', readOnly: true },
  ];
  const local = [
    { name: 'usr-local-share-ca-certificates', path: '/usr/local/share/ca-certificates', type: 'DirectoryOrCreate', readOnly: true },
    { name: 'usr-share-ca-certificates', path: '/usr/share/ca-certificates', type: 'DirectoryOrCreate', readOnly: true },
  ];
  return {
    'etcd.yaml': staticPodManifest(
      'etcd',
      'registry.k8s.io/etcd:3.5.21-0',
      ['etcd', `--advertise-client-urls=https://${ip}:2379`, '--cert-file=/etc/kubernetes/pki/etcd/server.crt', '--client-cert-auth=true', '--data-dir=/var/lib/etcd', '--experimental-initial-corrupt-check=true', '--experimental-watch-progress-notify-interval=5s', `--initial-advertise-peer-urls=https://${ip}:2380`, `--initial-cluster=controlplane=https://${ip}:2380`, '--key-file=/etc/kubernetes/pki/etcd/server.key', `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`, '--listen-metrics-urls=http://127.0.0.1:2381', `--listen-peer-urls=https://${ip}:2380`, '--name=controlplane', '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt', '--peer-client-cert-auth=true', '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key', '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt', '--snapshot-count=10000', '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt'],
      [
        { name: 'etcd-data', path: '/var/lib/etcd', type: 'DirectoryOrCreate' },
        { name: 'etcd-certs', path: '/etc/kubernetes/pki/etcd', type: 'DirectoryOrCreate' },
      ],
      2381,
      '127.0.0.1',
      '/livez',
      'HTTP',
      '100m',
      { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${ip}:2379` },
    ),
    'kube-apiserver.yaml': staticPodManifest(
      'kube-apiserver',
      `registry.k8s.io/kube-apiserver:${v}`,
      ['kube-apiserver', `--advertise-address=${ip}`, '--allow-privileged=true', '--authorization-mode=Node,RBAC', '--client-ca-file=/etc/kubernetes/pki/ca.crt', '--enable-admission-plugins=NodeRestriction', '--enable-bootstrap-token-auth=true', '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt', '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt', '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key', '--etcd-servers=https://127.0.0.1:2379', '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt', '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key', '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname', '--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt', '--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key', '--requestheader-allowed-names=front-proxy-client', '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt', '--requestheader-extra-headers-prefix=X-Remote-Extra-', '--requestheader-group-headers=X-Remote-Group', '--requestheader-username-headers=X-Remote-User', '--secure-port=6443', '--service-account-issuer=https://kubernetes.default.svc.cluster.local', '--service-account-key-file=/etc/kubernetes/pki/sa.pub', '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key', `--service-cluster-ip-range=${cfg.serviceCIDR}`, '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key'],
      [...certs, { name: 'k8s-certs', path: '/etc/kubernetes/pki', type: 'DirectoryOrCreate', readOnly: true }, ...local],
      6443,
      ip,
      '/livez',
      'HTTPS',
      '250m',
      { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${ip}:6443` },
    ),
    'kube-controller-manager.yaml': staticPodManifest(
      'kube-controller-manager',
      `registry.k8s.io/kube-controller-manager:${v}`,
      ['kube-controller-manager', '--allocate-node-cidrs=true', '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf', '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf', '--bind-address=127.0.0.1', '--client-ca-file=/etc/kubernetes/pki/ca.crt', `--cluster-cidr=${cfg.podCIDR}`, '--cluster-name=kubernetes', '--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt', '--cluster-signing-key-file=/etc/kubernetes/pki/ca.key', '--controllers=*,bootstrapsigner,tokencleaner', '--kubeconfig=/etc/kubernetes/controller-manager.conf', '--leader-elect=true', '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt', '--root-ca-file=/etc/kubernetes/pki/ca.crt', '--service-account-private-key-file=/etc/kubernetes/pki/sa.key', `--service-cluster-ip-range=${cfg.serviceCIDR}`, '--use-service-account-credentials=true'],
      [...certs, { name: 'flexvolume-dir', path: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', type: 'DirectoryOrCreate' }, { name: 'k8s-certs', path: '/etc/kubernetes/pki', type: 'DirectoryOrCreate', readOnly: true }, { name: 'kubeconfig', path: '/etc/kubernetes/controller-manager.conf', type: 'FileOrCreate', readOnly: true }, ...local],
      10257,
      '127.0.0.1',
      '/healthz',
      'HTTPS',
      '200m',
    ),
    'kube-scheduler.yaml': staticPodManifest(
      'kube-scheduler',
      `registry.k8s.io/kube-scheduler:${v}`,
      ['kube-scheduler', '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf', '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf', '--bind-address=127.0.0.1', '--kubeconfig=/etc/kubernetes/scheduler.conf', '--leader-elect=true'],
      [{ name: 'kubeconfig', path: '/etc/kubernetes/scheduler.conf', type: 'FileOrCreate', readOnly: true }],
      10259,
      '127.0.0.1',
      '/livez',
      'HTTPS',
      '100m',
    ),
  };
}

export const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
`;

export function kubeProxyConfig(cfg: ClusterConfig, mode = ''): string {
  return `apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
bindAddressHardFail: false
clientConnection:
  acceptContentTypes: ""
  burst: 0
  contentType: ""
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
  qps: 0
clusterCIDR: ${cfg.podCIDR}
configSyncPeriod: 0s
conntrack:
  maxPerCore: null
  min: null
  tcpBeLiberal: false
  tcpCloseWaitTimeout: null
  tcpEstablishedTimeout: null
  udpStreamTimeout: 0s
  udpTimeout: 0s
detectLocal:
  bridgeInterface: ""
  interfaceNamePrefix: ""
detectLocalMode: ""
enableProfiling: false
healthzBindAddress: ""
hostnameOverride: ""
iptables:
  localhostNodePorts: null
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
ipvs:
  excludeCIDRs: null
  minSyncPeriod: 0s
  scheduler: ""
  strictARP: false
  syncPeriod: 0s
  tcpFinTimeout: 0s
  tcpTimeout: 0s
  udpTimeout: 0s
kind: KubeProxyConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
metricsBindAddress: ""
mode: "${mode}"
nftables:
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
nodePortAddresses: null
oomScoreAdj: null
portRange: ""
showHiddenMetricsForVersion: ""
winkernel:
  enableDSR: false
  forwardHealthCheckVip: false
  networkName: ""
  rootHnsEndpointName: ""
  sourceVip: ""
`;
}

function kubeadmConfig(cfg: ClusterConfig, ip: string): string {
  return `apiServer: {}
apiVersion: kubeadm.k8s.io/v1beta4
caCertificateValidityPeriod: 87600h0m0s
certificateValidityPeriod: 8760h0m0s
certificatesDir: /etc/kubernetes/pki
clusterName: kubernetes
controlPlaneEndpoint: ${ip}:6443
controllerManager: {}
dns: {}
encryptionAlgorithm: RSA-2048
etcd:
  local:
    dataDir: /var/lib/etcd
imageRepository: registry.k8s.io
kind: ClusterConfiguration
kubernetesVersion: ${cfg.version}
networking:
  dnsDomain: ${cfg.clusterDomain}
  podSubnet: ${cfg.podCIDR}
  serviceSubnet: ${cfg.serviceCIDR}
proxy: {}
scheduler: {}
`;
}

const FLANNEL_CNI_CONF = '{\n  "name": "cbr0",\n  "cniVersion": "0.3.1",\n  "plugins": [\n    {\n      "type": "flannel",\n      "delegate": {\n        "hairpinMode": true,\n        "isDefaultGateway": true\n      }\n    },\n    {\n      "type": "portmap",\n      "capabilities": {\n        "portMappings": true\n      }\n    }\n  ]\n}\n';

function applyKubeadmAddons(api: Api, cfg: ClusterConfig, ip: string): void {
  const c = (o: any) => api.create(o);
  c({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubeadm-config', namespace: 'kube-system' }, data: { ClusterConfiguration: kubeadmConfig(cfg, ip) } });
  c({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubelet-config', namespace: 'kube-system' }, data: { kubelet: kubeletConfig(cfg) } });
  c({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-info', namespace: 'kube-public' }, data: { kubeconfig: `apiVersion: v1\nclusters:\n- cluster:\n    server: https://${ip}:6443\n  name: ""\ncontexts: null\ncurrent-context: ""\nkind: Config\npreferences: {}\nusers: null\n` } });
  // CoreDNS
  c({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: 'kube-system' } });
  c({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: COREFILE } });
  c({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' }, annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' } },
    spec: { clusterIP: cfg.dnsServiceIP, selector: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 }, { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 }] },
  });
  c({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 }, type: 'RollingUpdate' },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ podAffinityTerm: { labelSelector: { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }] }, topologyKey: 'kubernetes.io/hostname' }, weight: 100 }] } },
          containers: [
            {
              args: ['-conf', '/etc/coredns/Corefile'],
              image: 'registry.k8s.io/coredns/coredns:v1.12.0',
              imagePullPolicy: 'IfNotPresent',
              livenessProbe: { failureThreshold: 5, httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 60, successThreshold: 1, timeoutSeconds: 5 },
              name: 'coredns',
              ports: [{ containerPort: 53, name: 'dns', protocol: 'UDP' }, { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' }, { containerPort: 9153, name: 'metrics', protocol: 'TCP' }, { containerPort: 8080, name: 'liveness-probe', protocol: 'TCP' }, { containerPort: 8181, name: 'readiness-probe', protocol: 'TCP' }],
              readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } },
              resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true },
              volumeMounts: [{ mountPath: '/etc/coredns', name: 'config-volume', readOnly: true }],
            },
          ],
          dnsPolicy: 'Default',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }],
          volumes: [{ configMap: { items: [{ key: 'Corefile', path: 'Corefile' }], name: 'coredns' }, name: 'config-volume' }],
        },
      },
    },
  });
  // kube-proxy
  c({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kube-proxy', namespace: 'kube-system' } });
  c({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { app: 'kube-proxy' } }, data: { 'config.conf': kubeProxyConfig(cfg), 'kubeconfig.conf': `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt\n    server: https://${ip}:6443\n  name: default\ncontexts:\n- context:\n    cluster: default\n    namespace: default\n    user: default\n  name: default\ncurrent-context: default\nusers:\n- name: default\n  user:\n    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token\n` } });
  c({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' } },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-proxy' } },
        spec: {
          containers: [
            {
              command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
              image: `registry.k8s.io/kube-proxy:${cfg.version}`,
              imagePullPolicy: 'IfNotPresent',
              name: 'kube-proxy',
              securityContext: { privileged: true },
              volumeMounts: [{ mountPath: '/var/lib/kube-proxy', name: 'kube-proxy' }, { mountPath: '/run/xtables.lock', name: 'xtables-lock' }, { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true }],
            },
          ],
          hostNetwork: true,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          priorityClassName: 'system-node-critical',
          serviceAccountName: 'kube-proxy',
          tolerations: [{ operator: 'Exists' }],
          volumes: [{ configMap: { name: 'kube-proxy' }, name: 'kube-proxy' }, { hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' }, name: 'xtables-lock' }, { hostPath: { path: '/lib/modules', type: '' }, name: 'lib-modules' }],
        },
      },
    },
  });
}

/** kube-flannel.yml (v0.27.x), as `kubectl apply -f` creates it. */
export function applyFlannel(api: Api, cfg: ClusterConfig): void {
  const c = (o: any) => api.create(o);
  c({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-flannel', labels: { 'k8s-app': 'flannel', 'pod-security.kubernetes.io/enforce': 'privileged' } } });
  c({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'flannel', namespace: 'kube-flannel', labels: { 'k8s-app': 'flannel' } } });
  c({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-flannel-cfg', namespace: 'kube-flannel', labels: { app: 'flannel', 'k8s-app': 'flannel', tier: 'node' } }, data: { 'cni-conf.json': FLANNEL_CNI_CONF, 'net-conf.json': `{\n  "Network": "${cfg.podCIDR}",\n  "EnableNFTables": false,\n  "Backend": {\n    "Type": "vxlan"\n  }\n}\n` } });
  const img = 'ghcr.io/flannel-io/flannel:v0.27.3';
  c({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-flannel-ds', namespace: 'kube-flannel', labels: { app: 'flannel', 'k8s-app': 'flannel', tier: 'node' } },
    spec: {
      selector: { matchLabels: { app: 'flannel' } },
      template: {
        metadata: { labels: { app: 'flannel', tier: 'node' } },
        spec: {
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }] } } },
          containers: [
            {
              args: ['--ip-masq', '--kube-subnet-mgr'],
              command: ['/opt/bin/flanneld'],
              env: [
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                { name: 'EVENT_QUEUE_DEPTH', value: '5000' },
                { name: 'CONT_WHEN_CACHE_NOT_READY', value: 'false' },
              ],
              image: img,
              name: 'kube-flannel',
              resources: { requests: { cpu: '100m', memory: '50Mi' } },
              securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] }, privileged: false },
              volumeMounts: [{ mountPath: '/run/flannel', name: 'run' }, { mountPath: '/etc/kube-flannel/', name: 'flannel-cfg' }, { mountPath: '/run/xtables.lock', name: 'xtables-lock' }],
            },
          ],
          hostNetwork: true,
          initContainers: [
            { args: ['-f', '/flannel', '/opt/cni/bin/flannel'], command: ['cp'], image: 'ghcr.io/flannel-io/flannel-cni-plugin:v1.7.1-flannel1', name: 'install-cni-plugin', volumeMounts: [{ mountPath: '/opt/cni/bin', name: 'cni-plugin' }] },
            { args: ['-f', '/etc/kube-flannel/cni-conf.json', '/etc/cni/net.d/10-flannel.conflist'], command: ['cp'], image: img, name: 'install-cni', volumeMounts: [{ mountPath: '/etc/cni/net.d', name: 'cni' }, { mountPath: '/etc/kube-flannel/', name: 'flannel-cfg' }] },
          ],
          priorityClassName: 'system-node-critical',
          serviceAccountName: 'flannel',
          tolerations: [{ effect: 'NoSchedule', operator: 'Exists' }],
          volumes: [
            { hostPath: { path: '/run/flannel' }, name: 'run' },
            { hostPath: { path: '/opt/cni/bin' }, name: 'cni-plugin' },
            { hostPath: { path: '/etc/cni/net.d' }, name: 'cni' },
            { configMap: { name: 'kube-flannel-cfg' }, name: 'flannel-cfg' },
            { hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' }, name: 'xtables-lock' },
          ],
        },
      },
    },
  });
}

function registerNode(api: Api, name: string, ip: string, cfg: ClusterConfig, controlPlane: boolean): void {
  const labels: Record<string, string> = { 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' };
  if (controlPlane) Object.assign(labels, { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' });
  const rt: any = (api.state.runtime as any).kubelet.nodes[name];
  api.create({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels, annotations: { 'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock', 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
    spec: controlPlane ? { taints: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }] } : {},
    status: {
      addresses: [{ address: ip, type: 'InternalIP' }, { address: name, type: 'Hostname' }],
      allocatable: { cpu: '2', 'ephemeral-storage': '47266578354', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '3912388Ki', pods: '110' },
      capacity: { cpu: '2', 'ephemeral-storage': '51287520Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '4014788Ki', pods: '110' },
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: { architecture: 'amd64', bootID: rt.bootId, containerRuntimeVersion: 'containerd://1.7.27', kernelVersion: '6.8.0-51-generic', kubeProxyVersion: '', kubeletVersion: cfg.version, machineID: rt.machineId, operatingSystem: 'linux', osImage: 'Ubuntu 24.04.2 LTS', systemUUID: rt.machineId.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5') },
    },
  });
}

/**
 * Build the cluster in the world: hosts (controlplane and the workers) on a
 * switch, kubeadm's files and processes, the API objects, the add-ons; the
 * controllers then run up to the world's present.
 */
export function bootstrapCluster(world: World, opts: BootstrapOptions = {}): Api {
  installKubernetes();
  const workers = opts.workers ?? ['node01'];
  const subnet = opts.nodeSubnet ?? '192.168.121.0/24';
  const segment = opts.segment ?? 'k8s-node-net';
  const age = opts.ageMs ?? 70 * 60_000;
  const start = world.now() - age;
  const st = initClusterState(world, { apiserverStaticPod: true, ...(opts.config ?? {}) }, start);
  const cfg = st.config;
  const api = internalApi(world);
  if (!world.state.segments[segment]) segmentAdd(world, segment, 'switch');
  const names = [CONTROLPLANE, ...workers];
  const nodes = names.map((name, i) => ({ name, ip: nodeIp(subnet, i) }));
  const cpIp = nodes[0]!.ip;
  for (const n of nodes) setUpHost(world, api, n.name, n.ip, subnet, segment, cfg, nodes, cpIp);
  // kubeadm init on controlplane
  const cp = world.host(CONTROLPLANE);
  const t = world.now();
  const w = (path: string, text: string, mode = 0o600) => writeHostFile(cp, path, text, t, mode);
  for (const [f, text] of Object.entries(controlPlaneManifests(cpIp, cfg))) w(`/etc/kubernetes/manifests/${f}`, text);
  w('/etc/kubernetes/admin.conf', kubeconfig(`https://${cpIp}:6443`, 'kubernetes-admin'));
  w('/etc/kubernetes/super-admin.conf', kubeconfig(`https://${cpIp}:6443`, 'kubernetes-super-admin'));
  w('/etc/kubernetes/controller-manager.conf', kubeconfig(`https://${cpIp}:6443`, 'system:kube-controller-manager'));
  w('/etc/kubernetes/scheduler.conf', kubeconfig(`https://${cpIp}:6443`, 'system:kube-scheduler'));
  w('/root/.kube/config', kubeconfig(`https://${cpIp}:6443`, 'kubernetes-admin'));
  for (const f of ['ca.key', 'apiserver.crt', 'apiserver.key', 'apiserver-kubelet-client.crt', 'apiserver-kubelet-client.key', 'front-proxy-ca.crt', 'front-proxy-client.crt', 'sa.key', 'sa.pub', 'etcd/ca.crt', 'etcd/server.crt', 'etcd/peer.crt']) w(`/etc/kubernetes/pki/${f}`, f.endsWith('.key') ? '-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----\n' : ROOT_CA);
  for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } }, spec: { clusterIP: firstServiceIp(cfg.serviceCIDR), ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] } });
  api.create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, subsets: [{ addresses: [{ ip: cpIp }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }] });
  api.create({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } }, addressType: 'IPv4', endpoints: [{ addresses: [cpIp], conditions: { ready: true } }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] });
  registerNode(api, CONTROLPLANE, cpIp, cfg, true);
  syncCluster(world, start + 40_000);
  applyKubeadmAddons(api, cfg, cpIp);
  syncCluster(world, start + 90_000);
  // the pod network add-on, then kubeadm join on the workers
  if (opts.cni === 'calico') applyCalico(api, cfg);
  else if (opts.cni !== 'none') applyFlannel(api, cfg);
  else if (opts.keepCniConfig) for (const n of names) writeHostFile(world.host(n), '/etc/cni/net.d/10-flannel.conflist', FLANNEL_CNI_CONF, world.now(), 0o644);
  syncCluster(world, start + 150_000);
  workers.forEach((name, i) => {
    registerNode(api, name, nodes[i + 1]!.ip, cfg, false);
    syncCluster(world, start + 240_000 + i * 45_000);
  });
  // the add-ons an admin applied after the join
  if (opts.addons?.length) {
    syncCluster(world, Math.min(world.now(), start + 330_000));
    for (const f of opts.addons) f(world, api);
    syncCluster(world, Math.min(world.now(), start + 420_000));
  }
  // what the scenario does to the cluster, some minutes before the learner arrives
  if (opts.then?.length) {
    syncCluster(world, Math.max(api.now(), world.now() - 15 * 60_000));
    for (const f of opts.then) f(world);
  }
  // the lab's KVM host at the node network's .1 (last: the kernel's random draws before it stay as they were)
  if (opts.labHost !== false) labHostUp(world, { segment, subnet, nodes });
  syncCluster(world, world.now());
  void rfc3339;
  return api;
}

function firstServiceIp(cidr: string): string {
  const [a, b, c, d] = cidr.split('/')[0]!.split('.').map(Number);
  return `${a}.${b}.${c}.${d! + 1}`;
}
