// kubectl describe pod, and the parts of it the workload describers share (containers, volumes, the pod
// template).
import type { KObject } from '../../../k8s/api';
import { qosClass } from '../../../k8s/api';
import { PrefixWriter } from './tabwriter';
import { annotationsBlock, eventsBlock, labelsBlock, rfc1123z, searchEvents, since, tolerationsBlock, type Any, type DescribeContext } from './common';
import { parseQuantity, quantityString } from './quantity';

const RESOURCE_ORDER = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function resourcesBlock(w: PrefixWriter, r: Any | undefined, level: number): void {
  if (!r) return;
  for (const [title, list] of [['Limits', r.limits], ['Requests', r.requests]] as const) {
    const names = Object.keys(list ?? {}).sort(RESOURCE_ORDER);
    if (names.length) w.write(level, `${title}:\n`);
    for (const n of names) w.write(level + 1, `${n}:\t${quantityString(parseQuantity(list[n]))}\n`);
  }
}

function portsText(ports: Any[] | undefined, host: boolean): string {
  return (ports ?? []).map((p) => `${host ? (p.hostPort ?? 0) : p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
}

function intOrString(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

/** DescribeProbe (kubectl 1.33 wording) */
export function probeText(p: Any): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s #success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const g = p.httpGet;
    const port = intOrString(g.port);
    const host = g.host ?? '';
    const hostPort = port ? (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`) : host;
    return `http-get ${String(g.scheme ?? '').toLowerCase()}://${hostPort}${g.path ?? ''} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${intOrString(p.tcpSocket.port)} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

/** fieldpath.ExtractFieldPathAsString for the paths the downward API offers */
function fieldValue(pod: KObject | null, path: string): string {
  if (!pod) return '';
  const p = pod as Any;
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return p.metadata?.[m[1]!]?.[m[2]!] ?? '';
  // kubectl 1.33 resolves only the metadata fields (fieldpath.ExtractFieldPathAsString)
  const simple: Record<string, () => unknown> = {
    'metadata.name': () => p.metadata?.name,
    'metadata.namespace': () => p.metadata?.namespace,
    'metadata.uid': () => p.metadata?.uid,
  };
  return String(simple[path]?.() ?? '');
}

function envBlock(w: PrefixWriter, c: Any, pod: KObject | null): void {
  if (c.envFrom?.length) {
    w.write(2, 'Environment Variables from:\n');
    for (const e of c.envFrom) {
      const ref = e.configMapRef ?? e.secretRef ?? {};
      const from = e.configMapRef ? 'ConfigMap' : e.secretRef ? 'Secret' : '';
      const opt = ref.optional === true;
      w.write(3, e.prefix ? `${ref.name ?? ''}\t${from} with prefix '${e.prefix}'\tOptional: ${opt}\n` : `${ref.name ?? ''}\t${from}\tOptional: ${opt}\n`);
    }
  }
  w.write(2, `Environment:${c.env?.length ? '' : '\t<none>'}\n`);
  for (const e of c.env ?? []) {
    if (!e.valueFrom) {
      String(e.value ?? '').split('\n').forEach((s, i) => w.write(3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
      continue;
    }
    const v = e.valueFrom;
    if (v.fieldRef) w.write(3, `${e.name}:\t${fieldValue(pod, v.fieldRef.fieldPath)} (${v.fieldRef.apiVersion ?? 'v1'}:${v.fieldRef.fieldPath})\n`);
    else if (v.resourceFieldRef) w.write(3, `${e.name}:\t${v.resourceFieldRef.resource.startsWith('limits.') ? 'node allocatable' : '0'} (${v.resourceFieldRef.resource})\n`);
    else if (v.secretKeyRef) w.write(3, `${e.name}:\t<set to the key '${v.secretKeyRef.key}' in secret '${v.secretKeyRef.name ?? ''}'>\tOptional: ${v.secretKeyRef.optional === true}\n`);
    else if (v.configMapKeyRef) w.write(3, `${e.name}:\t<set to the key '${v.configMapKeyRef.key}' of config map '${v.configMapKeyRef.name ?? ''}'>\tOptional: ${v.configMapKeyRef.optional === true}\n`);
  }
}

function stateBlock(w: PrefixWriter, title: string, s: Any | undefined): void {
  if (s?.running) {
    w.write(2, `${title}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(s.running.startedAt)}\n`);
  } else if (s?.terminated) {
    const t = s.terminated;
    w.write(2, `${title}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if ((t.signal ?? 0) > 0) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(2, `${title}:\tWaiting\n`);
    if (s?.waiting?.reason) w.write(3, `Reason:\t${s.waiting.reason}\n`);
  }
}

/** describeContainers */
export function containersBlock(w: PrefixWriter, label: string, containers: Any[] | undefined, statuses: Any[] | null, pod: KObject | null, space: string): void {
  const byName = new Map<string, Any>((statuses ?? []).map((s) => [s.name, s]));
  w.write(0, `${space}${label}:${containers?.length ? '' : ' <none>'}\n`);
  for (const c of containers ?? []) {
    const st = byName.get(c.name);
    w.write(1, `${space ? ' ' : ''}${c.name}:\n`);
    if (st) w.write(2, `Container ID:\t${st.containerID ?? ''}\n`);
    w.write(2, `Image:\t${c.image ?? ''}\n`);
    if (st) w.write(2, `Image ID:\t${st.imageID ?? ''}\n`);
    const ports = portsText(c.ports, false);
    w.write(2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${ports || '<none>'}\n`);
    const hostPorts = portsText(c.ports, true);
    w.write(2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`);
    const seccomp = c.securityContext?.seccompProfile;
    if (seccomp) {
      w.write(2, `SeccompProfile:\t${seccomp.type}\n`);
      if (seccomp.type === 'Localhost') w.write(3, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
    }
    for (const [title, list] of [['Command', c.command], ['Args', c.args]] as const) {
      if (!list?.length) continue;
      w.write(2, `${title}:\n`);
      for (const a of list) for (const s of String(a).split('\n')) w.write(3, `${s}\n`);
    }
    if (st) {
      stateBlock(w, 'State', st.state);
      if (st.lastState?.terminated) stateBlock(w, 'Last State', st.lastState);
      w.write(2, `Ready:\t${st.ready ? 'True' : 'False'}\n`);
      w.write(2, `Restart Count:\t${st.restartCount ?? 0}\n`);
    }
    resourcesBlock(w, c.resources, 2);
    if (c.livenessProbe) w.write(2, `Liveness:\t${probeText(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(2, `Readiness:\t${probeText(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(2, `Startup:\t${probeText(c.startupProbe)}\n`);
    envBlock(w, c, pod);
    const mounts = [...(c.volumeMounts ?? [])].sort((a: Any, b: Any) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
    w.write(2, `Mounts:${mounts.length ? '' : '\t<none>'}\n`);
    for (const m of mounts) w.write(3, `${m.mountPath} from ${m.name} (${[m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [JSON.stringify(m.subPath).replace(/^/, 'path=')] : [])].join(',')})\n`);
  }
}

function volumeBlock(w: PrefixWriter, v: Any): void {
  const two = (head: string, rows: Array<[string, unknown]>) => w.write(2, `Type:\t${head}\n` + rows.map(([k, x]) => `    ${k}:\t${x}\n`).join(''));
  if (v.hostPath) two('HostPath (bare host directory volume)', [['Path', v.hostPath.path], ['HostPathType', v.hostPath.type ?? '<none>']]);
  else if (v.emptyDir) {
    const size = v.emptyDir.sizeLimit && parseQuantity(v.emptyDir.sizeLimit).milli > 0 ? quantityString(parseQuantity(v.emptyDir.sizeLimit)) : '<unset>';
    two("EmptyDir (a temporary directory that shares a pod's lifetime)", [['Medium', v.emptyDir.medium ?? ''], ['SizeLimit', size]]);
  } else if (v.secret) two('Secret (a volume populated by a Secret)', [['SecretName', v.secret.secretName ?? ''], ['Optional', v.secret.optional === true]]);
  else if (v.configMap) two('ConfigMap (a volume populated by a ConfigMap)', [['Name', v.configMap.name ?? ''], ['Optional', v.configMap.optional === true]]);
  else if (v.persistentVolumeClaim) two('PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)', [['ClaimName', v.persistentVolumeClaim.claimName], ['ReadOnly', v.persistentVolumeClaim.readOnly === true]]);
  else if (v.downwardAPI) {
    w.write(2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
    for (const m of v.downwardAPI.items ?? []) {
      if (m.fieldRef) w.write(3, `${m.fieldRef.fieldPath} -> ${m.path}\n`);
      if (m.resourceFieldRef) w.write(3, `${m.resourceFieldRef.resource} -> ${m.path}\n`);
    }
  } else if (v.projected) {
    w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
    for (const s of v.projected.sources ?? []) {
      if (s.secret) w.write(2, `SecretName:\t${s.secret.name ?? ''}\n    Optional:\t${s.secret.optional === true}\n`);
      else if (s.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
      else if (s.configMap) w.write(2, `ConfigMapName:\t${s.configMap.name ?? ''}\n    Optional:\t${s.configMap.optional === true}\n`);
      else if (s.serviceAccountToken) w.write(2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 3607}\n`);
    }
  } else w.write(1, '<unknown>\n');
}

export function volumesBlock(w: PrefixWriter, volumes: Any[] | undefined, space: string): void {
  if (!volumes?.length) return w.write(0, `${space}Volumes:\t<none>\n`);
  w.write(0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(1, `${space ? ' ' : ''}${v.name}:\n`);
    volumeBlock(w, v);
  }
}

/** DescribePodTemplate */
export function podTemplateBlock(w: PrefixWriter, t: Any | undefined): void {
  w.write(0, 'Pod Template:\n');
  if (!t) return w.write(1, '<unset>');
  const meta = t.metadata ?? {};
  const spec = t.spec ?? {};
  labelsBlock(w, '  Labels', meta.labels);
  if (Object.keys(meta.annotations ?? {}).length) annotationsBlock(w, '  Annotations', meta.annotations);
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec.initContainers?.length) containersBlock(w, 'Init Containers', spec.initContainers, null, null, '  ');
  containersBlock(w, 'Containers', spec.containers, null, null, '  ');
  volumesBlock(w, spec.volumes, '  ');
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  labelsBlock(w, '  Node-Selectors', spec.nodeSelector);
  tolerationsBlock(w, 'Tolerations', spec.tolerations, '  ');
}

export function controllerOf(o: KObject): string {
  const ref = (o.metadata.ownerReferences ?? []).find((r) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

export function describePod(ctx: DescribeContext, pod: KObject): string {
  const p = pod as Any;
  const spec = p.spec ?? {};
  const status = p.status ?? {};
  const w = new PrefixWriter();
  w.write(0, `Name:\t${p.metadata.name}\n`);
  w.write(0, `Namespace:\t${p.metadata.namespace}\n`);
  if (spec.priority !== undefined && spec.priority !== null) w.write(0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n');
  if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  labelsBlock(w, 'Labels', p.metadata.labels);
  annotationsBlock(w, 'Annotations', p.metadata.annotations);
  if (p.metadata.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    w.write(0, `Status:\tTerminating (lasts ${since(p.metadata.deletionTimestamp, ctx.now)})\n`);
    w.write(0, `Termination Grace Period:\t${p.metadata.deletionGracePeriodSeconds ?? 0}s\n`);
  } else w.write(0, `Status:\t${status.phase ?? ''}\n`);
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(0, `Message:\t${status.message}\n`);
  const seccomp = spec.securityContext?.seccompProfile;
  if (seccomp) {
    w.write(0, `SeccompProfile:\t${seccomp.type}\n`);
    if (seccomp.type === 'Localhost') w.write(0, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
  }
  w.write(0, `IP:\t${status.podIP ?? ''}\n`);
  if (!status.podIPs?.length) w.write(0, 'IPs:\t<none>\n');
  else {
    w.write(0, 'IPs:\n');
    for (const ip of status.podIPs) w.write(1, `IP:\t${ip.ip}\n`);
  }
  const ctl = controllerOf(pod);
  if (ctl) w.write(0, `Controlled By:\t${ctl}\n`);
  if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  if (spec.resources) {
    w.write(0, 'Resources:\n');
    resourcesBlock(w, spec.resources, 1);
  }
  if (spec.initContainers?.length) containersBlock(w, 'Init Containers', spec.initContainers, status.initContainerStatuses ?? [], pod, '');
  containersBlock(w, 'Containers', spec.containers, status.containerStatuses ?? [], pod, '');
  if (spec.readinessGates?.length) {
    w.write(0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of spec.readinessGates) w.write(1, `${g.conditionType} \t${(status.conditions ?? []).find((c: Any) => c.type === g.conditionType)?.status ?? '<none>'} \n`);
  }
  if (status.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of status.conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  volumesBlock(w, spec.volumes, '');
  w.write(0, `QoS Class:\t${status.qosClass ?? qosClass(spec)}\n`);
  labelsBlock(w, 'Node-Selectors', spec.nodeSelector);
  tolerationsBlock(w, 'Tolerations', spec.tolerations);
  if (ctx.showEvents) {
    const mirror = p.metadata.annotations?.['kubernetes.io/config.mirror'];
    eventsBlock(w, searchEvents(ctx.api, { name: p.metadata.name, namespace: p.metadata.namespace, uid: mirror ?? p.metadata.uid }), ctx.now);
  }
  return w.toString();
}
