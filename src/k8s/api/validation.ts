// Validation with kube-apiserver's field paths and texts (the messages of
// k8s.io/apimachinery/pkg/util/validation and pkg/apis/*/validation).
import { fieldError, type FieldError } from './errors';
import { fromLabelSelector, matches } from './selectors';
import { validateNetworkPolicySpec } from '../policy/validation';
import { crdSchemaErrors, crdSchemaOf } from '../openapi/crd-validate';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export const MSG = {
  dns1123Label: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  dns1123Subdomain: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  dns1035Label: "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  qualifiedName: "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  labelValue: "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  configKey: "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
  portRange: 'must be between 1 and 65535, inclusive',
};

export function isDns1123Label(s: string): string[] {
  const out: string[] = [];
  if (s.length > 63) out.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(s)) out.push(MSG.dns1123Label);
  return out;
}
export function isDns1123Subdomain(s: string): string[] {
  const out: string[] = [];
  if (s.length > 253) out.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(s)) out.push(MSG.dns1123Subdomain);
  return out;
}
export function isDns1035Label(s: string): string[] {
  const out: string[] = [];
  if (s.length > 63) out.push('must be no more than 63 characters');
  if (!DNS1035_LABEL.test(s)) out.push(MSG.dns1035Label);
  return out;
}

function qualifiedName(s: string): string[] {
  const parts = s.split('/');
  if (parts.length > 2) return [`a qualified name ${MSG.qualifiedName.replace('name part ', '')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  const [prefix, name] = parts.length === 2 ? [parts[0]!, parts[1]!] : [null, parts[0]!];
  const out: string[] = [];
  if (prefix !== null) {
    if (prefix.length === 0) out.push('prefix part must be non-empty');
    else out.push(...isDns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  }
  if (name.length === 0) out.push('name part must be non-empty');
  else if (name.length > 63) out.push('name part must be no more than 63 characters');
  if (name.length && !QUALIFIED_NAME.test(name)) out.push(MSG.qualifiedName);
  return out;
}

export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of qualifiedName(k)) errs.push(fieldError.invalid(path, k, m));
    if (typeof v !== 'string') continue;
    if (v.length > 63) errs.push(fieldError.invalid(`${path}`, v, 'must be no more than 63 characters'));
    if (!LABEL_VALUE.test(v)) errs.push(fieldError.invalid(`${path}`, v, MSG.labelValue));
  }
  return errs;
}

function validateAnnotations(ann: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of Object.keys(ann ?? {})) for (const m of qualifiedName(k)) errs.push(fieldError.invalid(path, k, m));
  return errs;
}

type NameCheck = (s: string) => string[];

const NAME_RULE: Record<string, NameCheck> = {
  services: isDns1035Label,
  namespaces: isDns1123Label,
};

/** ObjectMeta: name format (per kind), labels, annotations. */
export function validateMeta(resource: string, meta: any, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const name: string | undefined = meta?.name;
  if (!name) {
    if (!meta?.generateName) errs.push(fieldError.required('metadata.name', 'name or generateName is required'));
  } else {
    for (const m of (NAME_RULE[resource] ?? isDns1123Subdomain)(name)) errs.push(fieldError.invalid('metadata.name', name, m));
  }
  if (namespaced && meta?.namespace) for (const m of isDns1123Label(meta.namespace)) errs.push(fieldError.invalid('metadata.namespace', meta.namespace, m));
  errs.push(...validateLabels(meta?.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta?.annotations, 'metadata.annotations'));
  return errs;
}

function validatePort(n: unknown, path: string): FieldError[] {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) return [fieldError.invalid(path, n, MSG.portRange)];
  return [];
}

function validateContainers(list: any[] | undefined, path: string, required: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!list || list.length === 0) {
    if (required) errs.push(fieldError.required(path, ''));
    return errs;
  }
  const seen = new Set<string>();
  list.forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (!c.name) errs.push(fieldError.required(`${p}.name`, ''));
    else {
      for (const m of isDns1123Label(c.name)) errs.push(fieldError.invalid(`${p}.name`, c.name, m));
      if (seen.has(c.name)) errs.push(fieldError.duplicate(`${p}.name`, c.name));
      seen.add(c.name);
    }
    if (!c.image || String(c.image).trim() === '') errs.push(fieldError.required(`${p}.image`, ''));
    const portNames = new Set<string>();
    (c.ports ?? []).forEach((port: any, j: number) => {
      errs.push(...validatePort(port.containerPort, `${p}.ports[${j}].containerPort`));
      if (port.hostPort !== undefined && port.hostPort !== 0) errs.push(...validatePort(port.hostPort, `${p}.ports[${j}].hostPort`));
      if (port.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(port.protocol)) errs.push(fieldError.notSupported(`${p}.ports[${j}].protocol`, port.protocol, ['SCTP', 'TCP', 'UDP']));
      if (port.name !== undefined) {
        if (port.name.length > 15 || !IANA_SVC_NAME.test(port.name) || !/[a-z]/.test(port.name)) errs.push(fieldError.invalid(`${p}.ports[${j}].name`, port.name, 'must be no more than 15 characters'));
        else if (portNames.has(port.name)) errs.push(fieldError.duplicate(`${p}.ports[${j}].name`, port.name));
        portNames.add(port.name);
      }
    });
    (c.env ?? []).forEach((e: any, j: number) => {
      if (!e.name) errs.push(fieldError.required(`${p}.env[${j}].name`, ''));
    });
    if (c.imagePullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(c.imagePullPolicy)) errs.push(fieldError.notSupported(`${p}.imagePullPolicy`, c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never']));
  });
  return errs;
}

export function validatePodSpec(spec: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec) return [fieldError.required(`${path}.containers`, '')];
  errs.push(...validateContainers(spec.initContainers, `${path}.initContainers`, false));
  errs.push(...validateContainers(spec.containers, `${path}.containers`, true));
  if (spec.restartPolicy !== undefined && !['Always', 'OnFailure', 'Never'].includes(spec.restartPolicy)) errs.push(fieldError.notSupported(`${path}.restartPolicy`, spec.restartPolicy, ['Always', 'OnFailure', 'Never']));
  if (spec.dnsPolicy !== undefined && !['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'].includes(spec.dnsPolicy)) errs.push(fieldError.notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']));
  if (spec.terminationGracePeriodSeconds !== undefined && spec.terminationGracePeriodSeconds < 0) errs.push(fieldError.invalid(`${path}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds, 'must be greater than or equal to 0'));
  const vnames = new Set<string>();
  (spec.volumes ?? []).forEach((v: any, i: number) => {
    if (!v.name) errs.push(fieldError.required(`${path}.volumes[${i}].name`, ''));
    else {
      for (const m of isDns1123Label(v.name)) errs.push(fieldError.invalid(`${path}.volumes[${i}].name`, v.name, m));
      if (vnames.has(v.name)) errs.push(fieldError.duplicate(`${path}.volumes[${i}].name`, v.name));
      vnames.add(v.name);
    }
  });
  [...(spec.initContainers ?? []), ...(spec.containers ?? [])].forEach((c: any, i: number) => {
    (c.volumeMounts ?? []).forEach((m: any, j: number) => {
      if (m.name && !vnames.has(m.name)) errs.push(fieldError.notFound(`${path}.containers[${i}].volumeMounts[${j}].name`, m.name));
    });
  });
  if (spec.nodeSelector) errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  return errs;
}

function validateReplicas(n: unknown, path: string): FieldError[] {
  if (typeof n === 'number' && n < 0) return [fieldError.invalid(path, n, 'must be greater than or equal to 0')];
  return [];
}

function validateSelectorAndTemplate(spec: any, base = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec?.selector) errs.push(fieldError.required(`${base}.selector`, ''));
  else if (Object.keys(spec.selector.matchLabels ?? {}).length === 0 && (spec.selector.matchExpressions ?? []).length === 0) {
    errs.push(fieldError.invalid(`${base}.selector`, null, 'empty selector is invalid for deployment'));
  }
  const labels = spec?.template?.metadata?.labels;
  if (spec?.selector && !matches(fromLabelSelector(spec.selector), labels)) {
    errs.push({ type: 'Invalid', field: `${base}.template.metadata.labels`, value: labels ?? {}, detail: '`selector` does not match template `labels`' });
  }
  errs.push(...validateLabels(labels, `${base}.template.metadata.labels`));
  errs.push(...validatePodSpec(spec?.template?.spec, `${base}.template.spec`));
  const rp = spec?.template?.spec?.restartPolicy;
  if (rp !== undefined && rp !== 'Always') errs.push(fieldError.notSupported(`${base}.template.spec.restartPolicy`, rp, ['Always']));
  return errs;
}

function validateService(svc: any): FieldError[] {
  const errs: FieldError[] = [];
  const s = svc.spec ?? {};
  const types = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
  if (!types.includes(s.type)) errs.push(fieldError.notSupported('spec.type', s.type, types));
  const ports: any[] = s.ports ?? [];
  if (s.type === 'ExternalName') {
    if (!s.externalName) errs.push(fieldError.required('spec.externalName', ''));
  } else if (ports.length === 0 && s.clusterIP !== 'None') errs.push(fieldError.required('spec.ports', ''));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const path = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) errs.push(fieldError.required(`${path}.name`, ''));
    if (p.name) {
      for (const m of isDns1123Label(p.name)) errs.push(fieldError.invalid(`${path}.name`, p.name, m));
      if (names.has(p.name)) errs.push(fieldError.duplicate(`${path}.name`, p.name));
      names.add(p.name);
    }
    errs.push(...validatePort(p.port, `${path}.port`));
    if (!['TCP', 'UDP', 'SCTP'].includes(p.protocol)) errs.push(fieldError.notSupported(`${path}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
    if (typeof p.targetPort === 'number') errs.push(...validatePort(p.targetPort, `${path}.targetPort`));
    if (p.nodePort !== undefined && s.type !== 'NodePort' && s.type !== 'LoadBalancer') errs.push(fieldError.forbidden(`${path}.nodePort`, 'may not be used when `type` is \'ClusterIP\''));
  });
  for (let i = 0; i < ports.length; i++)
    for (let j = 0; j < i; j++)
      if (ports[i].port === ports[j].port && ports[i].protocol === ports[j].protocol) {
        errs.push({ type: 'Duplicate', field: `spec.ports[${i}]`, rawValue: `core.ServicePort{Name:"${ports[i].name ?? ''}", Protocol:"${ports[i].protocol}", AppProtocol:(*string)(nil), Port:${ports[i].port}, TargetPort:intstr.IntOrString{Type:${typeof ports[i].targetPort === 'string' ? 1 : 0}, IntVal:${typeof ports[i].targetPort === 'number' ? ports[i].targetPort : 0}, StrVal:"${typeof ports[i].targetPort === 'string' ? ports[i].targetPort : ''}"}, NodePort:${ports[i].nodePort ?? 0}}` });
      }
  if (s.selector) errs.push(...validateLabels(s.selector, 'spec.selector'));
  if (!['None', 'ClientIP'].includes(s.sessionAffinity)) errs.push(fieldError.notSupported('spec.sessionAffinity', s.sessionAffinity, ['ClientIP', 'None']));
  return errs;
}

function validateConfigKeys(data: Record<string, unknown> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of Object.keys(data ?? {})) {
    if (!CONFIG_KEY.test(k)) errs.push(fieldError.invalid(`${path}[${k}]`, k, MSG.configKey));
    else if (k.length > 253) errs.push(fieldError.invalid(`${path}[${k}]`, k, 'must be no more than 253 characters'));
  }
  return errs;
}

/** Spec validation per resource (metadata is validated by validateMeta). */
export function validateObject(resource: string, obj: any): FieldError[] {
  // a custom resource, once the CRD schemas are loaded: its structural schema's validation
  const crd = crdSchemaOf(resource);
  if (crd) return crdSchemaErrors(crd, obj);
  switch (resource) {
    case 'pods':
      return validatePodSpec(obj.spec, 'spec');
    case 'deployments':
      return [...validateReplicas(obj.spec?.replicas, 'spec.replicas'), ...validateSelectorAndTemplate(obj.spec)];
    case 'replicasets':
      return [...validateReplicas(obj.spec?.replicas, 'spec.replicas'), ...validateSelectorAndTemplate(obj.spec)];
    case 'daemonsets':
      return validateSelectorAndTemplate(obj.spec);
    case 'services':
      return validateService(obj);
    case 'configmaps':
      return [...validateConfigKeys(obj.data, 'data'), ...validateConfigKeys(obj.binaryData, 'binaryData')];
    case 'secrets':
      return [...validateConfigKeys(obj.data, 'data'), ...validateConfigKeys(obj.stringData, 'stringData')];
    case 'networkpolicies':
      return [...validateLabels(obj.spec?.podSelector?.matchLabels, 'spec.podSelector.matchLabels'), ...validateNetworkPolicySpec(obj.spec)];
    case 'ingresses': {
      const errs: FieldError[] = [];
      const rules: any[] = obj.spec?.rules ?? [];
      if (!obj.spec?.defaultBackend && rules.length === 0) errs.push(fieldError.invalid('spec', obj.spec ?? {}, 'either `defaultBackend` or `rules` must be specified'));
      rules.forEach((r, i) =>
        (r.http?.paths ?? []).forEach((p: any, j: number) => {
          const path = `spec.rules[${i}].http.paths[${j}]`;
          if (!p.pathType) errs.push(fieldError.required(`${path}.pathType`, 'pathType must be specified'));
          else if (!['Exact', 'Prefix', 'ImplementationSpecific'].includes(p.pathType)) errs.push(fieldError.notSupported(`${path}.pathType`, p.pathType, ['Exact', 'ImplementationSpecific', 'Prefix']));
          if ((p.pathType === 'Exact' || p.pathType === 'Prefix') && !String(p.path ?? '').startsWith('/')) errs.push(fieldError.invalid(`${path}.path`, p.path ?? '', 'must be an absolute path'));
        }),
      );
      return errs;
    }
    default:
      return [];
  }
}

/** Fields that may not change on update (beyond the metadata rules). */
export function validateUpdate(resource: string, old: any, obj: any): FieldError[] {
  const errs: FieldError[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  switch (resource) {
    case 'deployments':
    case 'replicasets':
    case 'daemonsets':
      if (!same(old.spec?.selector, obj.spec?.selector)) errs.push({ type: 'Invalid', field: 'spec.selector', rawValue: goLabelSelector(obj.spec?.selector), detail: 'field is immutable' });
      break;
    case 'services':
      if (old.spec?.clusterIP && old.spec.clusterIP !== 'None' && obj.spec?.clusterIP !== undefined && obj.spec.clusterIP !== '' && obj.spec.clusterIP !== old.spec.clusterIP && obj.spec.type !== 'ExternalName') {
        errs.push(fieldError.invalid('spec.clusterIPs[0]', obj.spec.clusterIP, 'may not change once set'));
      }
      break;
    case 'pods': {
      const strip = (s: any) => {
        const c = JSON.parse(JSON.stringify(s ?? {}));
        for (const k of ['containers', 'initContainers']) for (const x of c[k] ?? []) delete x.image;
        delete c.activeDeadlineSeconds;
        delete c.tolerations;
        delete c.terminationGracePeriodSeconds;
        return c;
      };
      if (!same(strip(old.spec), strip(obj.spec))) {
        errs.push(
          fieldError.forbidden(
            'spec',
            'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
          ),
        );
      }
      break;
    }
  }
  return errs;
}

function goLabelSelector(sel: any): string {
  const ml = sel?.matchLabels ? `map[string]string{${Object.keys(sel.matchLabels).sort().map((k) => `"${k}":"${sel.matchLabels[k]}"`).join(', ')}}` : 'map[string]string(nil)';
  return `v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`;
}
