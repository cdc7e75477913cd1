// The Kubernetes cluster scenarios (issue 12): a kubeadm cluster of
// controlplane and node01 (node02 in the three-node variant) on one switch,
// v1.33, Flannel, CoreDNS, kube-proxy in iptables mode; the app variant; and
// the troubleshooting variants, each a real fault the learner can fix from
// the terminal. The cluster is built by src/k8s/bootstrap.ts in the scenario's
// build step; hosts are listed here so the terminal knows them.
import type { World } from '../../sim/world';
import type { BootstrapOptions } from '../../k8s/bootstrap';
import { loadKubernetes, type KubernetesLayer } from '../../commands/k8s-lazy';
import type { ScenarioDef } from '../../shell/scenario-builder';

/** The cluster scenarios, in the order index.ts registers them. */
export const CLUSTER_SCENARIOS: ScenarioDef[] = [];

const SEGMENT = 'k8s-node-net';

/** What a variant does once the cluster is up, with the Kubernetes layer (loaded by then). */
type Then = (k8s: KubernetesLayer, world: World) => void;

function clusterScenario(name: string, title: string, description: string, opts: BootstrapOptions = {}, then: Then[] = []): void {
  const workers = opts.workers ?? ['node01'];
  CLUSTER_SCENARIOS.push({
    name,
    title,
    description,
    segments: [{ id: SEGMENT, kind: 'switch' }],
    hosts: ['controlplane', ...workers].map((id) => ({ id, setup: [] })),
    defaultHost: 'controlplane',
    // the Kubernetes layer is a chunk of its own, loaded when a cluster scenario is built
    build: async (world: World) => {
      const k8s = await loadKubernetes();
      k8s.bootstrapCluster(world, { segment: SEGMENT, ...opts, then: [...(opts.then ?? []), ...then.map((f) => (w: World) => f(k8s, w))] });
    },
  });
}

const BASE = 'A kubeadm cluster (v1.33): controlplane 192.168.121.10 and node01 192.168.121.11 on one switch, Flannel (pod network 10.244.0.0/16, VXLAN), kube-proxy in iptables mode, CoreDNS behind kube-dns 10.96.0.10.';

clusterScenario('k8s-cluster', 'A fresh kubeadm cluster', `${BASE} Only the system pods run: an exam task starts here.`);
clusterScenario('k8s-cluster-app', 'A cluster with an application', `${BASE} A web Deployment (nginx, 3 replicas) runs behind the ClusterIP Service web (port 80) and the NodePort Service web-np (node port 30080).`, {}, [(k, w) => k.deployApp(w, { nodePort: 30080 })]);
clusterScenario('k8s-cluster-3node', 'A three-node cluster', `${BASE} A second worker, node02 (192.168.121.12), has joined.`, { workers: ['node01', 'node02'] });
clusterScenario('k8s-fault-no-cni', 'Troubleshooting: pods stuck in ContainerCreating', `${BASE.replace('Flannel (pod network 10.244.0.0/16, VXLAN), ', '')} The Flannel add-on was never deployed (its CNI configuration is on the nodes): the web pods cannot get a network. Its manifest is on the control plane: /root/kube-flannel.yml.`, {
  cni: 'none',
  keepCniConfig: true,
}, [(k, w) => k.deployApp(w), (k, w) => k.leaveFlannelManifest(w)]);
clusterScenario('k8s-fault-kube-proxy', 'Troubleshooting: kube-proxy is crashing', `${BASE} The web Deployment and Service are deployed, but kube-proxy was reconfigured and crashes on every node.`, {}, [(k, w) => k.deployApp(w), (k, w) => k.breakKubeProxy(w)]);
clusterScenario('k8s-fault-coredns', 'Troubleshooting: names do not resolve', `${BASE} The web Deployment and Service are deployed; someone scaled CoreDNS down.`, {}, [(k, w) => k.deployApp(w), (k, w) => k.scaleCoreDnsToZero(w)]);
clusterScenario('k8s-fault-selector', 'Troubleshooting: a Service without endpoints', `${BASE} The web Deployment runs, but its Service web reaches no pod.`, {}, [(k, w) => k.deployApp(w, { selector: { app: 'webapp' } })]);
clusterScenario('k8s-fault-targetport', 'Troubleshooting: a Service that refuses connections', `${BASE} The web Deployment runs and its Service web has endpoints, yet connections to it fail.`, {}, [(k, w) => k.deployApp(w, { targetPort: 8080 })]);
clusterScenario('k8s-fault-kubelet', 'Troubleshooting: a NotReady node', `${BASE} The web Deployment is deployed; the kubelet on node01 stopped some minutes ago.`, {}, [(k, w) => k.deployApp(w), (k, w) => k.stopKubelet(w, 'node01')]);
