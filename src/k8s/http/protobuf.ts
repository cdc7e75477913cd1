// Request bodies in Kubernetes' protobuf encoding. kubectl's typed clients (`kubectl create deployment`,
// `create service`, `create configmap`, ...) send `application/vnd.kubernetes.protobuf`: the magic
// "k8s\0", then a runtime.Unknown (typeMeta, raw) whose raw bytes are the object in the field numbers of
// k8s.io/api's generated.proto. This decodes the fields those generators set (and the common ones around
// them) into the object's JSON; unknown fields are skipped. Zero values of non-pointer fields are dropped,
// as Go's JSON encoding would omit them (omitempty), so the server defaults them as it does for JSON.

type Kind = 'string' | 'int' | 'bool' | 'bytes' | 'time' | 'intstr' | 'map' | 'mapbytes' | 'quantity';
/** [json name, type (a Kind or a message name), repeated, keep zero (pointer field)] */
type Field = [name: string, type: Kind | string, repeated?: boolean, keepZero?: boolean];
type Schema = Record<number, Field>;

const META: Schema = { 1: ['name', 'string'], 2: ['generateName', 'string'], 3: ['namespace', 'string'], 5: ['uid', 'string'], 6: ['resourceVersion', 'string'], 11: ['labels', 'map'], 12: ['annotations', 'map'], 14: ['finalizers', 'string', true] };

const MESSAGES: Record<string, Schema> = {
  ObjectMeta: META,
  LabelSelector: { 1: ['matchLabels', 'map'], 2: ['matchExpressions', 'LabelSelectorRequirement', true] },
  LabelSelectorRequirement: { 1: ['key', 'string'], 2: ['operator', 'string'], 3: ['values', 'string', true] },
  Deployment: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'DeploymentSpec'] },
  DeploymentSpec: { 1: ['replicas', 'int', false, true], 2: ['selector', 'LabelSelector'], 3: ['template', 'PodTemplateSpec'], 4: ['strategy', 'DeploymentStrategy'], 5: ['minReadySeconds', 'int'], 6: ['revisionHistoryLimit', 'int', false, true], 7: ['paused', 'bool'], 9: ['progressDeadlineSeconds', 'int', false, true] },
  DeploymentStrategy: { 1: ['type', 'string'], 2: ['rollingUpdate', 'RollingUpdateDeployment'] },
  RollingUpdateDeployment: { 1: ['maxUnavailable', 'intstr'], 2: ['maxSurge', 'intstr'] },
  PodTemplateSpec: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'PodSpec'] },
  PodSpec: { 2: ['containers', 'Container', true], 3: ['restartPolicy', 'string'], 4: ['terminationGracePeriodSeconds', 'int', false, true], 6: ['dnsPolicy', 'string'], 7: ['nodeSelector', 'map'], 8: ['serviceAccountName', 'string'], 10: ['nodeName', 'string'], 11: ['hostNetwork', 'bool'], 20: ['initContainers', 'Container', true] },
  Container: { 1: ['name', 'string'], 2: ['image', 'string'], 3: ['command', 'string', true], 4: ['args', 'string', true], 5: ['workingDir', 'string'], 6: ['ports', 'ContainerPort', true], 7: ['env', 'EnvVar', true], 8: ['resources', 'ResourceRequirements'], 14: ['imagePullPolicy', 'string'] },
  ResourceRequirements: { 1: ['limits', 'quantity'], 2: ['requests', 'quantity'] },
  ContainerPort: { 1: ['name', 'string'], 2: ['hostPort', 'int'], 3: ['containerPort', 'int'], 4: ['protocol', 'string'], 5: ['hostIP', 'string'] },
  EnvVar: { 1: ['name', 'string'], 2: ['value', 'string'] },
  Service: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'ServiceSpec'] },
  ServiceSpec: { 1: ['ports', 'ServicePort', true], 2: ['selector', 'map'], 3: ['clusterIP', 'string'], 4: ['type', 'string'], 5: ['externalIPs', 'string', true], 7: ['sessionAffinity', 'string'], 10: ['externalName', 'string'], 18: ['clusterIPs', 'string', true] },
  ServicePort: { 1: ['name', 'string'], 2: ['protocol', 'string'], 3: ['port', 'int'], 4: ['targetPort', 'intstr'], 5: ['nodePort', 'int'] },
  Namespace: { 1: ['metadata', 'ObjectMeta'] },
  ConfigMap: { 1: ['metadata', 'ObjectMeta'], 2: ['data', 'map'], 3: ['binaryData', 'mapbytes'], 4: ['immutable', 'bool', false, true] },
  Secret: { 1: ['metadata', 'ObjectMeta'], 2: ['data', 'mapbytes'], 3: ['type', 'string'], 4: ['stringData', 'map'], 5: ['immutable', 'bool', false, true] },
  ServiceAccount: { 1: ['metadata', 'ObjectMeta'], 4: ['automountServiceAccountToken', 'bool', false, true] },
  Ingress: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'IngressSpec'] },
  IngressSpec: { 1: ['defaultBackend', 'IngressBackend'], 2: ['tls', 'IngressTLS', true], 3: ['rules', 'IngressRule', true], 4: ['ingressClassName', 'string', false, true] },
  IngressBackend: { 4: ['service', 'IngressServiceBackend'] },
  IngressServiceBackend: { 1: ['name', 'string'], 2: ['port', 'ServiceBackendPort'] },
  ServiceBackendPort: { 1: ['name', 'string'], 2: ['number', 'int'] },
  IngressTLS: { 1: ['hosts', 'string', true], 2: ['secretName', 'string'] },
  IngressRule: { 1: ['host', 'string'], 2: ['@inline', 'IngressRuleValue'] },
  IngressRuleValue: { 1: ['http', 'HTTPIngressRuleValue'] },
  HTTPIngressRuleValue: { 1: ['paths', 'HTTPIngressPath', true] },
  HTTPIngressPath: { 1: ['path', 'string'], 2: ['backend', 'IngressBackend'], 3: ['pathType', 'string', false, true] },
};

/** The message of each kind kubectl's typed clients create. */
const TOP: Record<string, string> = { Deployment: 'Deployment', Service: 'Service', Namespace: 'Namespace', ConfigMap: 'ConfigMap', Secret: 'Secret', ServiceAccount: 'ServiceAccount', Ingress: 'Ingress' };

class Reader {
  i = 0;
  constructor(readonly b: Uint8Array) {}
  varint(): number {
    let r = 0;
    let s = 1;
    for (;;) {
      if (this.i >= this.b.length) throw new Error('protobuf: truncated varint');
      const x = this.b[this.i++]!;
      r += (x & 0x7f) * s;
      if (x < 0x80) return r;
      s *= 128;
    }
  }
  bytes(): Uint8Array {
    const n = this.varint();
    if (this.i + n > this.b.length) throw new Error('protobuf: truncated field');
    const out = this.b.subarray(this.i, this.i + n);
    this.i += n;
    return out;
  }
  /** each field: number, wire type, and its value (varint number or bytes) */
  *fields(): Generator<[number, number, number | Uint8Array]> {
    while (this.i < this.b.length) {
      const key = this.varint();
      const f = Math.floor(key / 8);
      const wt = key & 7;
      if (wt === 0) yield [f, wt, this.varint()];
      else if (wt === 2) yield [f, wt, this.bytes()];
      else if (wt === 1) {
        this.i += 8;
      } else if (wt === 5) {
        this.i += 4;
      } else throw new Error(`protobuf: wire type ${wt}`);
    }
  }
}

const utf8 = new TextDecoder();
const text = (v: number | Uint8Array) => (typeof v === 'number' ? String(v) : utf8.decode(v));
const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
/** int32/int64 varints of negative numbers come as 64-bit two's complement */
const signed = (n: number) => (n >= 2 ** 63 ? n - 2 ** 64 : n);

function decodeMessage(b: Uint8Array, schemaName: string): Record<string, unknown> {
  const schema = MESSAGES[schemaName] ?? {};
  const out: Record<string, unknown> = {};
  for (const [f, , v] of new Reader(b).fields()) {
    const field = schema[f];
    if (!field) continue;
    const [name, type, repeated, keepZero] = field;
    let value: unknown;
    switch (type) {
      case 'string':
        value = text(v);
        if (value === '' && !keepZero && !repeated) continue;
        break;
      case 'int':
        value = typeof v === 'number' ? signed(v) : 0;
        if (value === 0 && !keepZero) continue;
        break;
      case 'bool':
        value = v === 1;
        if (value === false && !keepZero) continue;
        break;
      case 'intstr': {
        const m: Record<number, number | Uint8Array> = {};
        for (const [ff, , vv] of new Reader(v as Uint8Array).fields()) m[ff] = vv;
        value = m[1] === 1 ? text(m[3] ?? new Uint8Array()) : signed(Number(m[2] ?? 0));
        break;
      }
      case 'map':
      case 'mapbytes':
      case 'quantity': {
        let k = '';
        let val: unknown = '';
        for (const [ff, , vv] of new Reader(v as Uint8Array).fields()) {
          if (ff === 1) k = text(vv);
          else if (ff === 2) {
            if (type === 'mapbytes') val = b64(vv as Uint8Array);
            else if (type === 'quantity') val = text([...new Reader(vv as Uint8Array).fields()].find(([x]) => x === 1)?.[2] ?? new Uint8Array());
            else val = text(vv);
          }
        }
        const m = (out[name] as Record<string, unknown> | undefined) ?? {};
        m[k] = val;
        out[name] = m;
        continue;
      }
      default:
        value = decodeMessage(v as Uint8Array, type);
        if (name === '@inline') {
          Object.assign(out, value);
          continue;
        }
        if (!repeated && !keepZero && Object.keys(value as object).length === 0 && name !== 'resources') continue;
    }
    if (repeated) ((out[name] ??= []) as unknown[]).push(value);
    else out[name] = value;
  }
  return out;
}

export const PROTOBUF_MAGIC = [0x6b, 0x38, 0x73, 0x00];

export function isProtobuf(b: Uint8Array): boolean {
  return b.length >= 4 && PROTOBUF_MAGIC.every((x, i) => b[i] === x);
}

/** The JSON object of a protobuf request body (magic + runtime.Unknown). Throws on a kind it cannot read. */
export function decodeProtobufObject(body: Uint8Array): Record<string, unknown> {
  const r = new Reader(body.subarray(4));
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array | null = null;
  for (const [f, , v] of r.fields()) {
    if (f === 1) {
      for (const [ff, , vv] of new Reader(v as Uint8Array).fields()) {
        if (ff === 1) apiVersion = text(vv);
        else if (ff === 2) kind = text(vv);
      }
    } else if (f === 2) raw = v as Uint8Array;
  }
  const top = TOP[kind];
  if (!top || !raw) throw new Error(`protobuf: cannot decode a ${kind || 'message without a kind'}`);
  return { apiVersion, kind, ...decodeMessage(raw, top) };
}
