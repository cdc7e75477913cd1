// The drill catalogue: one file per drill under ./defs, listed here.
// ./validate.ts checks it (the drill pages call it at build time).
import type { DrillDef, DomainId } from './schema';
import { DOMAIN_IDS } from './schema';
import netnsVethPair from './defs/netns-veth-pair';
import netnsBridgeFour from './defs/netns-bridge-four';
import netnsGatewayRoute from './defs/netns-gateway-route';
import routerForwarding from './defs/router-forwarding';
import masqueradeSubnet from './defs/masquerade-subnet';
import dnatPortForward from './defs/dnat-port-forward';
import fixNetnsLan from './defs/fix-netns-lan';
import hostsEntry from './defs/hosts-entry';
import routeTwoNetworks from './defs/route-two-networks';
import fixRouter from './defs/fix-router';
import resolvNameserver from './defs/resolv-nameserver';
import k8sComponentPort from './defs/k8s-component-port';
import k8sEtcdClients from './defs/k8s-etcd-clients';
import k8sDefaultGateway from './defs/k8s-default-gateway';
import k8sNodeMac from './defs/k8s-node-mac';
import k8sPodBridge from './defs/k8s-pod-bridge';
import k8sCniConfig from './defs/k8s-cni-config';
import k8sExposeClusterip from './defs/k8s-expose-clusterip';
import k8sExposeNodeport from './defs/k8s-expose-nodeport';
import k8sFixSvcTargetport from './defs/k8s-fix-svc-targetport';
import k8sFixSvcSelector from './defs/k8s-fix-svc-selector';
import k8sDnsCrossNamespace from './defs/k8s-dns-cross-namespace';
import k8sHeadlessDns from './defs/k8s-headless-dns';
import k8sExternalname from './defs/k8s-externalname';
import k8sNamedTargetport from './defs/k8s-named-targetport';
import k8sNodeportWhichPod from './defs/k8s-nodeport-which-pod';
import k8sSvcIptablesRules from './defs/k8s-svc-iptables-rules';
import k8sClusterNetFacts from './defs/k8s-cluster-net-facts';
import k8sPodCrossNode from './defs/k8s-pod-cross-node';
import k8sFixCoredns from './defs/k8s-fix-coredns';
import k8sFixKubeProxy from './defs/k8s-fix-kube-proxy';
import k8sInstallCni from './defs/k8s-install-cni';
import k8sServiceCidr from './defs/k8s-service-cidr';
import k8sNetpolAllowApp from './defs/k8s-netpol-allow-app';
import k8sNetpolDenyDns from './defs/k8s-netpol-deny-dns';
import k8sNetpolNamespace from './defs/k8s-netpol-namespace';
import k8sIngressPaths from './defs/k8s-ingress-paths';
import k8sIngressHosts from './defs/k8s-ingress-hosts';
import k8sGatewayRoute from './defs/k8s-gateway-route';
import k8sIngressToRoute from './defs/k8s-ingress-to-route';
import k8sRouteSplit from './defs/k8s-route-split';
import k8sCorednsHosts from './defs/k8s-coredns-hosts';
import k8sFixKubelet from './defs/k8s-fix-kubelet';
import k8sMetallbLb from './defs/k8s-metallb-lb';

export const drills: DrillDef[] = [
  netnsVethPair,
  netnsBridgeFour,
  netnsGatewayRoute,
  routerForwarding,
  masqueradeSubnet,
  dnatPortForward,
  fixNetnsLan,
  hostsEntry,
  routeTwoNetworks,
  fixRouter,
  resolvNameserver,
  k8sComponentPort,
  k8sEtcdClients,
  k8sDefaultGateway,
  k8sNodeMac,
  k8sPodBridge,
  k8sCniConfig,
  k8sExposeClusterip,
  k8sExposeNodeport,
  k8sFixSvcTargetport,
  k8sFixSvcSelector,
  k8sDnsCrossNamespace,
  k8sHeadlessDns,
  k8sExternalname,
  k8sNamedTargetport,
  k8sNodeportWhichPod,
  k8sSvcIptablesRules,
  k8sClusterNetFacts,
  k8sPodCrossNode,
  k8sFixCoredns,
  k8sFixKubeProxy,
  k8sInstallCni,
  k8sServiceCidr,
  k8sNetpolAllowApp,
  k8sNetpolDenyDns,
  k8sNetpolNamespace,
  k8sIngressPaths,
  k8sIngressHosts,
  k8sGatewayRoute,
  k8sIngressToRoute,
  k8sRouteSplit,
  k8sCorednsHosts,
  k8sFixKubelet,
  k8sMetallbLb,
];

export function drillById(id: string): DrillDef | null {
  return drills.find((d) => d.id === id) ?? null;
}

/** Drills grouped by domain, in the domains' order. */
export function drillsByDomain(): { domain: DomainId; drills: DrillDef[] }[] {
  return DOMAIN_IDS.map((domain) => ({ domain, drills: drills.filter((d) => d.domain === domain) })).filter((g) => g.drills.length > 0);
}
