// The Kubernetes layer as the engine loads it: one chunk, on first use (a
// cluster scenario, a restored world that holds a cluster, kubectl typed on a
// Linux page). The engine's core never imports src/k8s statically; it goes
// through src/commands/k8s-lazy.ts, which imports this module and calls
// `installKubernetes()` before anything of the layer runs.
export { installKubernetes } from './install';
export { kube, internalApi, syncCluster } from './cluster';
export { clusterState } from './api/store';
export { selectorMatches } from './api/selectors';
export { toolboxAt } from './runtime/toolbox';
export { bootstrapCluster, type BootstrapOptions } from './bootstrap';
export { breakKubeProxy, deployApp, leaveFlannelManifest, scaleCoreDnsToZero, stopKubelet } from './variants';
export { installNginxIngress } from './ingress/nic';
export { installNginxGatewayFabric } from './gateway/ngf';
export { installMetalLB } from './metallb/metallb';
