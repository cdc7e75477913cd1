// kubectl describe service, endpoints, endpointslice, ingress, ingressclass, networkpolicy.
import type { KObject } from '../../../k8s/api';
import { PrefixWriter } from './tabwriter';
import { annotationsBlock, eventsBlock, formatLabels, labelsBlock, refOf, searchEvents, type Any, type DescribeContext, objectHeader } from './common';
import { formatLabelSelector } from '../../../k8s/http/printers';

function events(ctx: DescribeContext, w: PrefixWriter, o: KObject, kind: string): void {
  if (ctx.showEvents) eventsBlock(w, searchEvents(ctx.api, refOf(o, kind)), ctx.now);
}

function slicesOf(ctx: DescribeContext, ns: string, service: string): Any[] {
  return (ctx.api.scan('endpointslices', ns) as Any[]).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === service);
}

const hostPort = (addr: string, port: number) => (addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`);

/** formatEndpointSlices: the ready endpoints of the given port names, three at most */
export function formatEndpointSlices(slices: Any[], ports: Set<string> | null): string {
  if (!slices.length) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  const take = (ep: Any, text: () => string) => {
    if (list.length === 3) more = true;
    if (ep.conditions?.ready === false) return;
    if (!more) list.push(text());
    count++;
  };
  for (const s of slices) {
    if (!s.ports?.length) for (const ep of s.endpoints ?? []) take(ep, () => ep.addresses[0]);
    else
      for (const p of s.ports)
        if (!ports || ports.has(p.name ?? '')) for (const ep of s.endpoints ?? []) take(ep, () => hostPort(ep.addresses[0], p.port));
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - 3} more...` : ret;
}

export function describeService(ctx: DescribeContext, o: KObject): string {
  const s = o as Any;
  const spec = s.spec ?? {};
  const w = new PrefixWriter();
  const slices = slicesOf(ctx, s.metadata.namespace, s.metadata.name);
  objectHeader(w, s.metadata);
  w.write(0, `Selector:\t${Object.keys(spec.selector ?? {}).length ? formatLabels(spec.selector) : '<none>'}\n`);
  w.write(0, `Type:\t${spec.type ?? ''}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
  w.write(0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`);
  if (spec.externalIPs?.length) w.write(0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  const lb = s.status?.loadBalancer?.ingress ?? [];
  if (lb.length) w.write(0, `LoadBalancer Ingress:\t${lb.map((i: Any) => (i.ip ? i.ip + (i.ipMode ? ` (${i.ipMode})` : '') : (i.hostname ?? ''))).join(', ')}\n`);
  for (const p of spec.ports ?? []) {
    const name = p.name || '<unset>';
    const proto = p.protocol ?? 'TCP';
    w.write(0, `Port:\t${name}\t${p.port}/${proto}\n`);
    w.write(0, `TargetPort:\t${p.targetPort ?? p.port}/${proto}\n`);
    if (p.appProtocol) w.write(0, `AppProtocol:\t${p.appProtocol}\n`);
    if (p.nodePort) w.write(0, `NodePort:\t${name}\t${p.nodePort}/${proto}\n`);
    w.write(0, `Endpoints:\t${formatEndpointSlices(slices, new Set([p.name ?? '']))}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (spec.loadBalancerSourceRanges?.length) w.write(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
  if (spec.trafficDistribution) w.write(0, `Traffic Distribution:\t${spec.trafficDistribution}\n`);
  events(ctx, w, o, 'Service');
  return w.toString();
}

export function describeEndpoints(ctx: DescribeContext, o: KObject): string {
  const ep = o as Any;
  const w = new PrefixWriter();
  objectHeader(w, ep.metadata);
  w.write(0, 'Subsets:\n');
  for (const s of ep.subsets ?? []) {
    w.write(1, `Addresses:\t${(s.addresses ?? []).map((a: Any) => a.ip).join(',') || '<none>'}\n`);
    w.write(1, `NotReadyAddresses:\t${(s.notReadyAddresses ?? []).map((a: Any) => a.ip).join(',') || '<none>'}\n`);
    if (s.ports?.length) {
      w.write(1, 'Ports:\n');
      w.write(2, 'Name\tPort\tProtocol\n');
      w.write(2, '----\t----\t--------\n');
      for (const p of s.ports) w.write(2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol ?? 'TCP'}\n`);
    }
    w.write(0, '\n');
  }
  events(ctx, w, o, 'Endpoints');
  return w.toString();
}

export function describeEndpointSlice(ctx: DescribeContext, o: KObject): string {
  const s = o as Any;
  const w = new PrefixWriter();
  objectHeader(w, s.metadata);
  w.write(0, `AddressType:\t${s.addressType ?? ''}\n`);
  if (!s.ports?.length) w.write(0, 'Ports: <unset>\n');
  else {
    w.write(0, 'Ports:\n');
    w.write(1, 'Name\tPort\tProtocol\n');
    w.write(1, '----\t----\t--------\n');
    for (const p of s.ports) w.write(1, `${p.name || '<unset>'}\t${p.port ?? '<unset>'}\t${p.protocol ?? ''}\n`);
  }
  if (!s.endpoints?.length) w.write(0, 'Endpoints: <none>\n');
  else {
    w.write(0, 'Endpoints:\n');
    for (const ep of s.endpoints) {
      w.write(1, `- Addresses:\t${(ep.addresses ?? []).join(', ') || '<none>'}\n`);
      w.write(2, 'Conditions:\n');
      w.write(3, `Ready:\t${ep.conditions?.ready === undefined ? '<unset>' : String(ep.conditions.ready)}\n`);
      w.write(2, `Hostname:\t${ep.hostname ?? '<unset>'}\n`);
      if (ep.targetRef) w.write(2, `TargetRef:\t${ep.targetRef.kind ?? ''}/${ep.targetRef.name ?? ''}\n`);
      w.write(2, `NodeName:\t${ep.nodeName ?? '<unset>'}\n`);
      w.write(2, `Zone:\t${ep.zone ?? '<unset>'}\n`);
    }
  }
  events(ctx, w, o, 'EndpointSlice');
  return w.toString();
}

function backendText(ctx: DescribeContext, ns: string, b: Any): string {
  if (b.service) {
    const port = b.service.port?.number ? String(b.service.port.number) : (b.service.port?.name ?? '');
    const sb = `${b.service.name}:${port}`;
    const svc = ctx.api.tryGet('services', ns, b.service.name) as Any | null;
    if (!svc) return `${sb} (<error: services "${b.service.name}" not found>)`;
    let spName = '';
    for (const sp of svc.spec?.ports ?? []) {
      if (b.service.port?.number && b.service.port.number === sp.port) spName = sp.name ?? '';
      else if (b.service.port?.name && b.service.port.name === sp.name) spName = sp.name ?? '';
    }
    return `${sb} (${formatEndpointSlices(slicesOf(ctx, ns, b.service.name), new Set([spName]))})`;
  }
  if (b.resource) return `APIGroup: ${b.resource.apiGroup ?? '<none>'}, Kind: ${b.resource.kind}, Name: ${b.resource.name}`;
  return '';
}

export function describeIngress(ctx: DescribeContext, o: KObject): string {
  const ing = o as Any;
  const spec = ing.spec ?? {};
  const ns = ing.metadata.namespace;
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ing.metadata.name}\n`);
  labelsBlock(w, 'Labels', ing.metadata.labels);
  w.write(0, `Namespace:\t${ns}\n`);
  const addrs = [...new Set<string>((ing.status?.loadBalancer?.ingress ?? []).map((i: Any) => i.ip || i.hostname || '').filter(Boolean))].sort();
  w.write(0, `Address:\t${addrs.join(',')}\n`);
  w.write(0, `Ingress Class:\t${spec.ingressClassName ?? '<none>'}\n`);
  const def = spec.defaultBackend ? backendText(ctx, ns, spec.defaultBackend) : '<default>';
  w.write(0, `Default backend:\t${def}\n`);
  if (spec.tls?.length) {
    w.write(0, 'TLS:\n');
    for (const t of spec.tls) w.write(1, t.secretName ? `${t.secretName} terminates ${(t.hosts ?? []).join(',')}\n` : `SNI routes ${(t.hosts ?? []).join(',')}\n`);
  }
  w.write(0, 'Rules:\n  Host\tPath\tBackends\n');
  w.write(1, '----\t----\t--------\n');
  let count = 0;
  for (const r of spec.rules ?? []) {
    if (!r.http) continue;
    count++;
    w.write(1, `${r.host || '*'}\t\n`);
    for (const p of r.http.paths ?? []) w.write(2, `\t${p.path ?? ''} \t${backendText(ctx, ns, p.backend ?? {})}\n`);
  }
  if (!count) w.write(1, `*\t*\t${def}\n`);
  annotationsBlock(w, 'Annotations', ing.metadata.annotations);
  events(ctx, w, o, 'Ingress');
  return w.toString();
}

export function describeIngressClass(ctx: DescribeContext, o: KObject): string {
  const ic = o as Any;
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ic.metadata.name}\n`);
  labelsBlock(w, 'Labels', ic.metadata.labels);
  annotationsBlock(w, 'Annotations', ic.metadata.annotations);
  w.write(0, `Controller:\t${ic.spec?.controller ?? ''}\n`);
  const p = ic.spec?.parameters;
  if (p) {
    w.write(0, 'Parameters:\n');
    if (p.apiGroup !== undefined) w.write(1, `APIGroup:\t${p.apiGroup}\n`);
    w.write(1, `Kind:\t${p.kind ?? ''}\n`);
    w.write(1, `Name:\t${p.name ?? ''}\n`);
  }
  events(ctx, w, o, 'IngressClass');
  return w.toString();
}

/** metav1.Time's String(): Go's time.Time.String() in UTC */
function goTimeString(t: string | undefined): string {
  const d = new Date(t ?? 0);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 UTC`;
}

function peersBlock(w: PrefixWriter, rules: Any[] | undefined, dir: 'From' | 'To', ind: string): void {
  const field = dir === 'From' ? 'from' : 'to';
  if (!rules?.length) return w.write(0, `${ind}<none> (Selected pods are isolated for ${dir === 'From' ? 'ingress' : 'egress'} connectivity)\n`);
  rules.forEach((r, i) => {
    if (!r.ports?.length) w.write(0, `${ind}To Port: <any> (traffic allowed to all ports)\n`);
    for (const p of r.ports ?? []) {
      const port = p.port === undefined ? '<nil>' : String(p.port);
      w.write(0, p.endPort === undefined ? `${ind}To Port: ${port}/${p.protocol ?? 'TCP'}\n` : `${ind}To Port Range: ${port}-${p.endPort}/${p.protocol ?? 'TCP'}\n`);
    }
    const peers: Any[] = r[field] ?? [];
    if (!peers.length) w.write(0, dir === 'From' ? `${ind}From: <any> (traffic not restricted by source)\n` : `${ind}To: <any> (traffic not restricted by destination)\n`);
    for (const peer of peers) {
      w.write(0, `${ind}${dir}:\n`);
      if (peer.podSelector && peer.namespaceSelector) {
        w.write(1, `${ind}NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
        w.write(1, `${ind}PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
      } else if (peer.podSelector) w.write(1, `${ind}PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
      else if (peer.namespaceSelector) w.write(1, `${ind}NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
      else if (peer.ipBlock) {
        w.write(1, `${ind}IPBlock:\n`);
        w.write(2, `${ind}CIDR: ${peer.ipBlock.cidr}\n`);
        w.write(2, `${ind}Except: ${(peer.ipBlock.except ?? []).join(', ')}\n`);
      }
    }
    if (i !== rules.length - 1) w.write(0, `${ind}----------\n`);
  });
}

export function describeNetworkPolicy(_ctx: DescribeContext, o: KObject): string {
  const np = o as Any;
  const spec = np.spec ?? {};
  const w = new PrefixWriter();
  w.write(0, `Name:\t${np.metadata.name}\n`);
  w.write(0, `Namespace:\t${np.metadata.namespace}\n`);
  w.write(0, `Created on:\t${goTimeString(np.metadata.creationTimestamp)}\n`);
  labelsBlock(w, 'Labels', np.metadata.labels);
  annotationsBlock(w, 'Annotations', np.metadata.annotations);
  w.write(0, 'Spec:\n');
  w.write(1, 'PodSelector: ');
  const sel = spec.podSelector ?? {};
  if (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length) w.write(2, '<none> (Allowing the specific traffic to all pods in this namespace)\n');
  else w.write(2, `${formatLabelSelector(sel)}\n`);
  const types: string[] = spec.policyTypes ?? [];
  if (types.includes('Ingress')) {
    w.write(1, 'Allowing ingress traffic:\n');
    peersBlock(w, spec.ingress, 'From', '    ');
  } else w.write(1, 'Not affecting ingress traffic\n');
  if (types.includes('Egress')) {
    w.write(1, 'Allowing egress traffic:\n');
    peersBlock(w, spec.egress, 'To', '    ');
  } else w.write(1, 'Not affecting egress traffic\n');
  w.write(1, `Policy Types: ${spec.policyTypes ? types.join(', ') || '<none>' : '<none>'}\n`);
  return w.toString();
}
