// The objects `kubectl create <kind>` builds on the client, field for field as kubectl's generators fill the
// typed structs (so -o json lists the fields in the structs' order, as the real one does).
import { setOwn } from '../../sim/own';
import type { Flags } from './flags';

export type Obj = Record<string, unknown>;

export class UsageError extends Error {
  constructor(
    message: string,
    /** append "See 'kubectl PATH -h' for help and examples" */
    readonly seeHelp = false,
  ) {
    super(message);
  }
}

/** ObjectMeta in its struct order. */
export function meta(name: string, ns: string | null, extra: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}): Obj {
  const m: Obj = { name };
  if (ns) m.namespace = ns;
  m.creationTimestamp = null;
  if (extra.labels && Object.keys(extra.labels).length) m.labels = extra.labels;
  if (extra.annotations && Object.keys(extra.annotations).length) m.annotations = extra.annotations;
  return m;
}

function oneName(args: string[]): string {
  if (args.length !== 1) throw new UsageError(`exactly one NAME is required, got ${args.length}`, true);
  return args[0]!;
}

/** The container name kubectl derives from an image: its last path part, without tag or digest. */
export function containerName(image: string): string {
  let name = image.split('/').pop()!;
  if (name.includes(':')) name = name.split(':')[0]!;
  if (name.includes('@')) name = name.split('@')[0]!;
  return name.replace(/[_.]/g, '-');
}

export function createDeployment(f: Flags, args: string[], ns: string | null, command: string[]): Obj {
  const images = f.list('image', true);
  if (!images.length) throw new UsageError('required flag(s) "image" not set');
  const name = oneName(args);
  const labels = { app: name };
  const used = new Set<string>();
  const containers = images.map((image) => {
    let cname = containerName(image);
    if (used.has(cname)) cname = `${cname}-${used.size}`;
    used.add(cname);
    return { name: cname, image } as Obj;
  });
  if (command.length) containers[0]!.command = command;
  const port = f.int('port');
  if (port >= 0 && f.has('port')) containers[0]!.ports = [{ containerPort: port }];
  for (const c of containers) c.resources = {};
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: meta(name, ns, { labels }),
    spec: {
      replicas: f.int('replicas'),
      selector: { matchLabels: { ...labels } },
      template: { metadata: { creationTimestamp: null, labels: { ...labels } }, spec: { containers } },
      strategy: {},
    },
    status: {},
  };
}

const PORT_SPEC_ERR = (v: string) => new UsageError(`strconv.ParseUint: parsing "${v}": invalid syntax`);

function parsePorts(specs: string[]): Obj[] {
  return specs.map((spec) => {
    const parts = spec.split(':');
    const port = parts[0]!;
    if (!/^\d+$/.test(port)) throw PORT_SPEC_ERR(port);
    const target = parts.length > 1 ? parts[1]! : port;
    const name = parts.length > 1 ? `${port}-${target}` : port;
    return { name, protocol: 'TCP', port: Number(port), targetPort: /^\d+$/.test(target) ? Number(target) : target };
  });
}

export function createService(kind: 'clusterip' | 'nodeport' | 'loadbalancer' | 'externalname', f: Flags, args: string[], ns: string | null): Obj {
  if (kind === 'externalname' && !f.str('external-name')) throw new UsageError('required flag(s) "external-name" not set');
  const name = oneName(args);
  const tcp = f.list('tcp', true);
  const clusterIP = kind === 'clusterip' ? f.str('clusterip') : '';
  if (!tcp.length && kind !== 'externalname' && clusterIP !== 'None') throw new UsageError('at least one tcp port specifier must be provided');
  const ports = parsePorts(tcp);
  if (kind === 'nodeport' && f.int('node-port')) for (const p of ports) p.nodePort = f.int('node-port');
  const type = { clusterip: 'ClusterIP', nodeport: 'NodePort', loadbalancer: 'LoadBalancer', externalname: 'ExternalName' }[kind];
  const spec: Obj = {};
  if (ports.length) spec.ports = ports;
  spec.selector = { app: name };
  if (clusterIP) spec.clusterIP = clusterIP;
  spec.type = type;
  if (kind === 'externalname') spec.externalName = f.str('external-name');
  return { kind: 'Service', apiVersion: 'v1', metadata: meta(name, ns, { labels: { app: name } }), spec, status: { loadBalancer: {} } };
}

export function createNamespace(args: string[]): Obj {
  const name = oneName(args);
  return { kind: 'Namespace', apiVersion: 'v1', metadata: meta(name, null), spec: {}, status: {} };
}

export function createServiceAccount(args: string[], ns: string | null): Obj {
  return { kind: 'ServiceAccount', apiVersion: 'v1', metadata: meta(oneName(args), ns) };
}

/** Key/value pairs from --from-literal, --from-env-file and --from-file, with kubectl's checks. */
function collectData(f: Flags, kindName: string, name: string, readFile: (p: string) => string | null): Record<string, string> {
  const data: Record<string, string> = {};
  const add = (k: string, v: string) => {
    if (Object.hasOwn(data, k)) throw new UsageError(`cannot add key "${k}", another key by that name already exists in Data for ${kindName} "${name}"`);
    setOwn(data, k, v);
  };
  for (const path of f.list('from-file', true)) {
    const eq = path.indexOf('=');
    const key = eq >= 0 ? path.slice(0, eq) : path.split('/').pop()!;
    const file = eq >= 0 ? path.slice(eq + 1) : path;
    const text = readFile(file);
    if (text === null) throw new UsageError(`error reading ${file}: no such file or directory`);
    add(key, text);
  }
  for (const lit of f.list('from-literal')) {
    const eq = lit.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid literal source ${lit}, expected key=value`);
    add(lit.slice(0, eq), lit.slice(eq + 1));
  }
  for (const file of f.list('from-env-file', true)) {
    const text = readFile(file);
    if (text === null) throw new UsageError(`open ${file}: no such file or directory`);
    for (const line of text.split('\n')) {
      const l = line.replace(/^\s+/, '');
      if (!l || l.startsWith('#')) continue;
      const eq = l.indexOf('=');
      if (eq < 0) add(l, '');
      else add(l.slice(0, eq), l.slice(eq + 1));
    }
  }
  return data;
}

export function createConfigMap(f: Flags, args: string[], ns: string | null, readFile: (p: string) => string | null): Obj {
  const name = oneName(args);
  const data = collectData(f, 'ConfigMap', name, readFile);
  const o: Obj = { kind: 'ConfigMap', apiVersion: 'v1', metadata: meta(name, ns) };
  if (Object.keys(data).length) o.data = data;
  return o;
}

const b64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));

export function createSecretGeneric(f: Flags, args: string[], ns: string | null, readFile: (p: string) => string | null): Obj {
  const name = oneName(args);
  const data = collectData(f, 'Secret', name, readFile);
  const o: Obj = { kind: 'Secret', apiVersion: 'v1', metadata: meta(name, ns) };
  if (Object.keys(data).length) o.data = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)]));
  if (f.str('type')) o.type = f.str('type');
  return o;
}

const RULE = /^([\w*.-]*)(\/[^=]*)=([a-z0-9][a-z0-9-]{0,61}[a-z0-9]?):([\w-]+)(,tls=?([\w-]+)?)?$/;

function backend(svc: string, port: string): Obj {
  return { service: { name: svc, port: /^\d+$/.test(port) ? { number: Number(port) } : { name: port } } };
}

export function createIngress(f: Flags, args: string[], ns: string | null): Obj {
  const name = oneName(args);
  const rules = f.list('rule');
  const defb = f.str('default-backend');
  if (!rules.length && !defb) throw new UsageError('not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)');
  const annotations: Record<string, string> = {};
  for (const a of f.list('annotation')) {
    const eq = a.indexOf('=');
    if (eq > 0) annotations[a.slice(0, eq)] = a.slice(eq + 1);
  }
  const spec: Obj = {};
  if (f.str('class')) spec.ingressClassName = f.str('class');
  if (defb) {
    const [svc, port] = defb.split(':');
    spec.defaultBackend = backend(svc!, port ?? '');
  }
  const tls: Obj[] = [];
  const outRules: Obj[] = [];
  for (const r of rules) {
    const m = RULE.exec(r);
    if (!m) throw new UsageError(`rule ${r} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]`);
    const host = m[1]!;
    let path = m[2]!;
    let pathType = 'Exact';
    if (path.endsWith('*')) {
      path = path.slice(0, -1);
      pathType = 'Prefix';
    }
    const p = { path, pathType, backend: backend(m[3]!, m[4]!) };
    const existing = outRules.find((x) => (x.host ?? '') === host);
    if (existing) ((existing.http as Obj).paths as Obj[]).push(p);
    else outRules.push({ ...(host ? { host } : {}), http: { paths: [p] } });
    if (m[5]) {
      const t: Obj = {};
      if (host) t.hosts = [host];
      if (m[6]) t.secretName = m[6];
      tls.push(t);
    }
  }
  if (tls.length) spec.tls = tls;
  if (outRules.length) spec.rules = outRules;
  return { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', metadata: meta(name, ns, { annotations }), spec, status: { loadBalancer: {} } };
}
