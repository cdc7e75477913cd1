// The Kubernetes layer's hooks, installed explicitly: what the cluster's
// programs plug into the kernel (the `app:` TCP services of the images'
// servers, CoreDNS's cluster records, MetalLB's ARP answers, kubelet and
// containerd as systemd units) and into the cluster's own registries (CNI
// plugins, images, the CoreDNS reload controller). No module of src/k8s
// registers anything when it is imported: the engine loads this layer as a
// chunk of its own on first use (src/commands/k8s-lazy.ts) and calls
// `installKubernetes()`; bootstrapCluster, kube() and syncCluster call it too,
// so that code importing src/k8s directly (tests, scripts) needs nothing more.
import { registerCatalogue } from './runtime/images';
import { registerControlPlaneImages } from './runtime/control-plane';
import { registerNetworkSide } from './net-adapters';
import { registerCoreDns } from './net/coredns';
import { registerNginxIngress } from './ingress/nic';
import { registerNginxGatewayFabric } from './gateway/ngf';
import { registerMetalLB } from './metallb/metallb';
import { registerCalico } from './calico/index';
import { registerNodeUnits } from './runtime/node';
import { registerGoServers } from './go-servers';

let installed = false;

/** Register every hook of the Kubernetes layer, in a fixed order (idempotent). */
export function installKubernetes(): void {
  if (installed) return;
  installed = true;
  registerCatalogue();
  registerControlPlaneImages();
  registerNetworkSide();
  registerCoreDns();
  registerNginxIngress();
  registerNginxGatewayFabric();
  registerMetalLB();
  registerCalico();
  registerNodeUnits();
  registerGoServers();
}
