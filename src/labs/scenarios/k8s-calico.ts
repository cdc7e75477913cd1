// The Calico cluster scenario (issue 13): the kubeadm cluster of k8s-cluster
// with Calico (calico-vxlan.yaml, v3.30) as the CNI instead of Flannel, so
// that NetworkPolicies are enforced: calico-node on every node programs
// vxlan.calico, the per-node /26 blocks and Felix's cali-* iptables chains.
// Add-ons of the `ingress` engineer through the bootstrap's `addons` option:
// the F5 NGINX Ingress Controller (IngressClass nginx, the default; NodePort
// 32080/32443), NGINX Gateway Fabric (GatewayClass nginx) and MetalLB
// (IPAddressPool default-pool 192.168.121.200-220, L2Advertisement default).
import type { World } from '../../sim/world';
import type { BootstrapOptions } from '../../k8s/bootstrap';
import type { ScenarioDef } from '../../shell/scenario-builder';
import { loadKubernetes } from '../../commands/k8s-lazy';

export const CALICO_SCENARIOS: ScenarioDef[] = [];

const SEGMENT = 'k8s-node-net';

function calicoScenario(name: string, title: string, description: string, opts: BootstrapOptions = {}): void {
  const workers = opts.workers ?? ['node01'];
  CALICO_SCENARIOS.push({
    name,
    title,
    description,
    segments: [{ id: SEGMENT, kind: 'switch' }],
    // `client`: a host outside the cluster on the node network (reaches MetalLB's addresses)
    hosts: [...['controlplane', ...workers].map((id) => ({ id, setup: [] as string[] })), { id: 'client', setup: ['ip link set lo up', '@nic eth0 k8s-node-net', 'ip addr add 192.168.121.50/24 dev eth0', 'ip link set eth0 up'] }],
    defaultHost: 'controlplane',
    // the Kubernetes layer is a chunk of its own, loaded when a cluster scenario is built
    build: async (world: World) => {
      const k8s = await loadKubernetes();
      k8s.bootstrapCluster(world, { segment: SEGMENT, cni: 'calico', addons: [k8s.installNginxIngress, k8s.installNginxGatewayFabric, k8s.installMetalLB], ...opts });
    },
  });
}

calicoScenario(
  'k8s-calico',
  'A kubeadm cluster with Calico',
  'A kubeadm cluster (v1.33): controlplane 192.168.121.10 and node01 192.168.121.11 on one switch, Calico v3.30 as the CNI (VXLAN, IP pool 10.244.0.0/16 in /26 blocks per node), kube-proxy in iptables mode, CoreDNS behind kube-dns 10.96.0.10. NetworkPolicies are enforced by calico-node. The F5 NGINX Ingress Controller runs in nginx-ingress (IngressClass nginx, the default) behind the NodePort Service nginx-ingress (HTTP 32080, HTTPS 32443); NGINX Gateway Fabric serves the GatewayClass nginx; MetalLB assigns LoadBalancer addresses from 192.168.121.200-220 (IPAddressPool default-pool). A host outside the cluster, client (192.168.121.50), is on the node network.',
);
