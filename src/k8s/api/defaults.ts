// Defaulting as kube-apiserver fills fields on create (the generated
// SetDefaults_* functions of each group), plus the admission plugins of a
// kubeadm cluster that change Pods: ServiceAccount (serviceAccountName, the
// kube-api-access projected volume and its mounts), DefaultTolerationSeconds,
// Priority. Objects are plain JSON and changed in place.
import type { Container, PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1';
import { crdSchemaOf, pruneAndDefault } from '../openapi/crd-validate';

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** imagePullPolicy default: Always for `:latest` or no tag, IfNotPresent otherwise. */
export function defaultPullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  if (colon < 0) return 'Always';
  return last.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: Container): void {
  if (c.image !== undefined && c.imagePullPolicy === undefined) c.imagePullPolicy = defaultPullPolicy(c.image);
  for (const p of c.ports ?? []) if (p.protocol === undefined) p.protocol = 'TCP';
  for (const e of c.env ?? []) if (e.valueFrom?.fieldRef && e.valueFrom.fieldRef.apiVersion === undefined) e.valueFrom.fieldRef.apiVersion = 'v1';
  if (c.resources === undefined) c.resources = {};
  if (c.terminationMessagePath === undefined) c.terminationMessagePath = '/dev/termination-log';
  if (c.terminationMessagePolicy === undefined) c.terminationMessagePolicy = 'File';
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
    if (!probe) continue;
    probe.timeoutSeconds ??= 1;
    probe.periodSeconds ??= 10;
    probe.successThreshold ??= 1;
    probe.failureThreshold ??= 3;
    if (probe.httpGet) probe.httpGet.scheme ??= 'HTTP';
  }
}

/** SetDefaults_PodSpec and the container defaults: what a template and a Pod both get. */
export function defaultPodSpec(spec: PodSpec): void {
  if (spec.dnsPolicy === undefined) spec.dnsPolicy = 'ClusterFirst';
  if (spec.restartPolicy === undefined) spec.restartPolicy = 'Always';
  if (spec.schedulerName === undefined) spec.schedulerName = 'default-scheduler';
  if (spec.securityContext === undefined) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined) spec.terminationGracePeriodSeconds = 30;
  if (spec.hostNetwork && spec.containers) for (const c of spec.containers) for (const p of c.ports ?? []) if (p.hostPort === undefined) p.hostPort = p.containerPort;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) defaultContainer(c);
  for (const v of spec.volumes ?? []) {
    if (v.configMap && v.configMap.defaultMode === undefined) v.configMap.defaultMode = 420;
    if (v.secret && v.secret.defaultMode === undefined) v.secret.defaultMode = 420;
    if (v.hostPath && v.hostPath.type === undefined) v.hostPath.type = '';
    if (v.projected && v.projected.defaultMode === undefined) v.projected.defaultMode = 420;
    if (v.emptyDir === null) v.emptyDir = {};
  }
}

export function defaultPodTemplate(t: PodTemplateSpec | undefined): void {
  if (!t) return;
  t.metadata ??= {};
  if (!('creationTimestamp' in t.metadata)) (t.metadata as any).creationTimestamp = null;
  t.spec ??= { containers: [] };
  defaultPodSpec(t.spec);
}

/** The name of a Pod's service account token volume (kube-api-access-XXXXX). */
export function apiAccessVolume(name: string): any {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
        { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
      ],
    },
  };
}

/** Pod-only defaults and the admission plugins' changes (`suffix` names the kube-api-access volume). */
export function defaultPod(pod: any, suffix: string): void {
  pod.spec ??= {};
  const spec = pod.spec;
  defaultPodSpec(spec);
  if (spec.enableServiceLinks === undefined) spec.enableServiceLinks = true;
  // Priority admission
  if (spec.priority === undefined) spec.priority = spec.priorityClassName === 'system-node-critical' ? 2000001000 : spec.priorityClassName === 'system-cluster-critical' ? 2000000000 : 0;
  if (spec.preemptionPolicy === undefined) spec.preemptionPolicy = 'PreemptLowerPriority';
  // ServiceAccount admission (mirror pods are left alone, as the plugin does)
  const mirror = isObj(pod.metadata?.annotations) && 'kubernetes.io/config.mirror' in pod.metadata.annotations;
  if (!mirror) {
    if (spec.serviceAccountName === undefined) spec.serviceAccountName = spec.serviceAccount ?? 'default';
    spec.serviceAccount = spec.serviceAccountName;
    if (spec.automountServiceAccountToken !== false && !(spec.volumes ?? []).some((v: any) => /^kube-api-access-/.test(v.name))) {
      const vname = `kube-api-access-${suffix}`;
      spec.volumes = [...(spec.volumes ?? []), apiAccessVolume(vname)];
      for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
        c.volumeMounts = [...(c.volumeMounts ?? []), { mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: vname, readOnly: true }];
      }
    }
  }
  // DefaultTolerationSeconds admission
  const tol: any[] = spec.tolerations ?? [];
  const has = (key: string) => tol.some((t) => (t.key === key || (t.operator === 'Exists' && !t.key)) && (!t.effect || t.effect === 'NoExecute'));
  const add: any[] = [];
  if (!has('node.kubernetes.io/not-ready')) add.push({ effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 });
  if (!has('node.kubernetes.io/unreachable')) add.push({ effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 });
  if (add.length) spec.tolerations = [...tol, ...add];
  pod.status ??= {};
  if (pod.status.phase === undefined) pod.status.phase = 'Pending';
  if (pod.status.qosClass === undefined) pod.status.qosClass = qosClass(spec);
}

/** The QoS class of a pod (Guaranteed, Burstable, BestEffort). */
export function qosClass(spec: PodSpec): string {
  const cs = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const any = cs.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!any) return 'BestEffort';
  const guaranteed = cs.every((c) => {
    const l = c.resources?.limits ?? {};
    const r = c.resources?.requests ?? {};
    return ['cpu', 'memory'].every((k) => l[k] !== undefined && (r[k] === undefined || String(r[k]) === String(l[k])));
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function defaultDeployment(d: any): void {
  d.spec ??= {};
  const s = d.spec;
  if (s.replicas === undefined) s.replicas = 1;
  if (s.strategy === undefined) s.strategy = {};
  if (s.strategy.type === undefined) s.strategy.type = 'RollingUpdate';
  if (s.strategy.type === 'RollingUpdate') {
    s.strategy.rollingUpdate ??= {};
    s.strategy.rollingUpdate.maxSurge ??= '25%';
    s.strategy.rollingUpdate.maxUnavailable ??= '25%';
  }
  if (s.revisionHistoryLimit === undefined) s.revisionHistoryLimit = 10;
  if (s.progressDeadlineSeconds === undefined) s.progressDeadlineSeconds = 600;
  defaultPodTemplate(s.template);
}

export function defaultReplicaSet(rs: any): void {
  rs.spec ??= {};
  if (rs.spec.replicas === undefined) rs.spec.replicas = 1;
  defaultPodTemplate(rs.spec.template);
}

export function defaultDaemonSet(ds: any): void {
  ds.spec ??= {};
  const s = ds.spec;
  if (s.updateStrategy === undefined) s.updateStrategy = {};
  if (s.updateStrategy.type === undefined) s.updateStrategy.type = 'RollingUpdate';
  if (s.updateStrategy.type === 'RollingUpdate') {
    s.updateStrategy.rollingUpdate ??= {};
    s.updateStrategy.rollingUpdate.maxSurge ??= 0;
    s.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
  }
  if (s.revisionHistoryLimit === undefined) s.revisionHistoryLimit = 10;
  defaultPodTemplate(s.template);
}

/** Service defaults that do not need the allocators (those run in the store). */
export function defaultService(svc: any): void {
  svc.spec ??= {};
  const s = svc.spec;
  if (s.type === undefined) s.type = 'ClusterIP';
  if (s.sessionAffinity === undefined) s.sessionAffinity = 'None';
  if (s.sessionAffinity === 'ClientIP') {
    s.sessionAffinityConfig ??= {};
    s.sessionAffinityConfig.clientIP ??= {};
    s.sessionAffinityConfig.clientIP.timeoutSeconds ??= 10800;
  }
  for (const p of s.ports ?? []) {
    if (p.protocol === undefined) p.protocol = 'TCP';
    if (p.targetPort === undefined && s.type !== 'ExternalName') p.targetPort = p.port;
  }
  if (s.type !== 'ExternalName') {
    if (s.internalTrafficPolicy === undefined) s.internalTrafficPolicy = 'Cluster';
    if ((s.type === 'NodePort' || s.type === 'LoadBalancer') && s.externalTrafficPolicy === undefined) s.externalTrafficPolicy = 'Cluster';
    if (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts === undefined) s.allocateLoadBalancerNodePorts = true;
  }
  svc.status ??= { loadBalancer: {} };
}

export function defaultNetworkPolicy(np: any): void {
  np.spec ??= {};
  const s = np.spec;
  if (s.podSelector === undefined) s.podSelector = {};
  if (s.policyTypes === undefined || s.policyTypes.length === 0) s.policyTypes = s.egress && s.egress.length ? ['Ingress', 'Egress'] : ['Ingress'];
  for (const rule of [...(s.ingress ?? []), ...(s.egress ?? [])]) for (const p of rule.ports ?? []) if (p.protocol === undefined) p.protocol = 'TCP';
}

/** Apply the defaults of a resource's kind (in place). `suffix`: random 5 characters for generated names inside the object. */
export function applyDefaults(resource: string, obj: any, suffix: string): void {
  // a custom resource, once the CRD schemas are loaded: pruned and defaulted by its structural schema
  const crd = crdSchemaOf(resource);
  if (crd) pruneAndDefault(crd, obj);
  switch (resource) {
    case 'pods':
      defaultPod(obj, suffix);
      break;
    case 'deployments':
      defaultDeployment(obj);
      break;
    case 'replicasets':
      defaultReplicaSet(obj);
      break;
    case 'daemonsets':
      defaultDaemonSet(obj);
      break;
    case 'services':
      defaultService(obj);
      break;
    case 'networkpolicies':
      defaultNetworkPolicy(obj);
      break;
    case 'secrets':
      if (obj.type === undefined) obj.type = 'Opaque';
      break;
    case 'namespaces':
      // the namespace strategy's PrepareForCreate: the kubernetes finalizer is always there, the phase Active
      obj.spec ??= {};
      obj.spec.finalizers = [...new Set([...(obj.spec.finalizers ?? []), 'kubernetes'])];
      obj.status = { ...(obj.status ?? {}), phase: obj.status?.phase ?? 'Active' };
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
      break;
    case 'ingresses':
      obj.status ??= { loadBalancer: {} };
      break;
    case 'ipaddresspools':
      // the CRD's schema defaults
      obj.spec ??= {};
      obj.spec.autoAssign ??= true;
      obj.spec.avoidBuggyIPs ??= false;
      break;
    case 'gateways':
      for (const l of obj.spec?.listeners ?? []) {
        l.allowedRoutes ??= { namespaces: { from: 'Same' } };
      }
      break;
    case 'httproutes':
      for (const pr of obj.spec?.parentRefs ?? []) {
        pr.group ??= 'gateway.networking.k8s.io';
        pr.kind ??= 'Gateway';
      }
      for (const rule of obj.spec?.rules ?? []) {
        if (!rule.matches || rule.matches.length === 0) rule.matches = [{ path: { type: 'PathPrefix', value: '/' } }];
        for (const m of rule.matches) if (m.path) m.path.type ??= 'PathPrefix';
        for (const b of rule.backendRefs ?? []) {
          b.group ??= '';
          b.kind ??= 'Service';
          b.weight ??= 1;
        }
      }
      if (obj.spec && !obj.spec.rules) obj.spec.rules = [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }];
      break;
  }
}
