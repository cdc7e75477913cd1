// Shared parts of the policy, Ingress, Gateway API and MetalLB drills (the
// k8s-calico scenario: Calico enforces NetworkPolicy, the F5 NGINX Ingress
// Controller listens on node ports 32080/32443, NGINX Gateway Fabric serves
// GatewayClass nginx, MetalLB hands out 192.168.121.200-220, and `client`
// sits outside the cluster on the node network).
//
// Backends are kicbase/echo-server pods: they answer any path with
// `Request served by POD`, so a probe knows which Deployment served it.
// Effect checks run as one batch per graded state: the probe creates its
// client pods (with the labels and namespaces a policy task names), lets a
// minute pass, then runs every command with a marker around it; the batch
// is cached per check context, so the requirements of one grading share it.
import { stringify } from 'yaml';
import type { CheckContext, CheckResult } from '../schema';
import { SETTLE_MS, UNFAKE, selectorText } from './k8s-lib';

export const ECHO = 'kicbase/echo-server:1.0';
export const CLIENT = 'client';
export const INGRESS_HTTP = 32080;
export const NODE_IPS = ['192.168.121.10', '192.168.121.11'] as const;
export const HOST_WORDS = ['shop', 'app', 'portal', 'store', 'api', 'my', 'web', 'admin', 'blog', 'docs'] as const;
export const DOMAINS = ['example.com', 'example.org', 'corp.local', 'lab.test', 'acme.io', 'internal.net'] as const;
export const PATHS = ['/shop', '/cart', '/api', '/app', '/login', '/static', '/v1', '/v2', '/admin', '/search', '/orders', '/media'] as const;

/** A Deployment of echo-server on `port` (its PORT variable) with these pod labels. */
export function echoDeployment(name: string, namespace: string, labels: Record<string, string>, port: number, replicas = 1): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'echo', image: ECHO, env: [{ name: 'PORT', value: String(port) }], ports: [{ containerPort: port, protocol: 'TCP' }] }] },
      },
    },
  };
}

export function clusterIpService(name: string, namespace: string, selector: Record<string, string>, port: number, targetPort: number): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector, ports: [{ port, targetPort, protocol: 'TCP' }] } };
}

export function gateway(name: string, namespace: string, port = 80): any {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, namespace }, spec: { gatewayClassName: 'nginx', listeners: [{ name: 'http', protocol: 'HTTP', port }] } };
}

/** The pod an echo-server answer names (`Request served by POD`), or null. */
export function servedBy(output: string): string | null {
  return /Request served by (\S+)/.exec(output)?.[1] ?? null;
}

// ------------------------------------------------------------ batches

/** A client pod the probe starts (namespace created when missing). */
export interface Client {
  ns: string;
  labels?: Record<string, string>;
}

/** One probe command: in client pod `pod` (an index into `clients`), on host `host` (over ssh from the control plane), or on the control plane. */
export interface Cmd {
  pod?: number;
  host?: string;
  cmd: string;
}

export interface Batch {
  clients: Client[];
  cmds: Cmd[];
}

export interface CmdResult {
  output: string;
  exitCode: number;
}

const cache = new WeakMap<object, Map<string, Promise<CmdResult[]>>>();

function podName(i: number): string {
  return `netlab-probe-${i}`;
}

/** The probe line of a batch (exported for tests). */
export function batchLine(b: Batch): string {
  const setup = b.clients
    .map((cl, i) => {
      const labels = cl.labels && Object.keys(cl.labels).length ? ` --labels=${selectorText(cl.labels)}` : '';
      return `{ kubectl get ns ${cl.ns} || kubectl create ns ${cl.ns}; kubectl run ${podName(i)} -n ${cl.ns} --image=curlimages/curl:8.14.1 --restart=Never${labels} --command -- sleep 3600; } >/dev/null 2>&1; `;
    })
    .join('');
  const cmds = b.cmds
    .map((c, j) => {
      if (c.cmd.includes("'")) throw new Error('batch command with a single quote');
      const run = c.pod !== undefined ? `kubectl exec -n ${b.clients[c.pod]!.ns} ${podName(c.pod)} -- ${c.cmd}` : c.host ? `ssh ${c.host} '${c.cmd}'` : c.cmd;
      return `echo @@${j}; ${run} 2>&1; r=$?; echo; echo @@rc=$r; `;
    })
    .join('');
  return `${UNFAKE}sleep ${SETTLE_MS / 1000}; kubectl get nodes >/dev/null 2>&1; ${setup}${b.clients.length ? 'sleep 15; ' : ''}${cmds}`;
}

export function parseBatch(output: string, n: number): CmdResult[] {
  const out: CmdResult[] = Array.from({ length: n }, () => ({ output: '', exitCode: -1 }));
  for (const m of output.matchAll(/^@@(\d+)\n([\s\S]*?)^@@rc=(\d+)$/gm)) {
    const j = Number(m[1]);
    if (j < n) out[j] = { output: m[2]!, exitCode: Number(m[3]) };
  }
  return out;
}

/** Run the batch once per check context (all requirements of one grading share it). */
export function runBatch(c: CheckContext, b: Batch): Promise<CmdResult[]> {
  let m = cache.get(c);
  if (!m) cache.set(c, (m = new Map()));
  const key = JSON.stringify(b);
  let r = m.get(key);
  if (!r) {
    r = c.probe(batchLine(b), { host: 'controlplane' }).then((res) => parseBatch(res.output, b.cmds.length));
    m.set(key, r);
  }
  return r;
}

/** `curl` options for a probe: quiet, a 3 s limit, an optional Host header. */
export function curl(url: string, host?: string): string {
  return `curl -s -m 3${host ? ` -H "Host: ${host}"` : ''} ${url}`;
}

/** The command's answer came from a pod of Deployment `deploy`; otherwise says what happened, in the task's terms. */
export function answeredBy(r: CmdResult, deploy: string, what: string): CheckResult {
  const pod = servedBy(r.output);
  if (r.exitCode !== 0 || pod === null) {
    const status = /404 Not Found|404 page/.test(r.output) ? ' (404 Not Found)' : /502 Bad Gateway/.test(r.output) ? ' (502 Bad Gateway)' : /500 Internal/.test(r.output) ? ' (500 Internal Server Error)' : '';
    return `${what} gets no answer from ${deploy}${status}`;
  }
  return pod.startsWith(`${deploy}-`) ? true : `${what} is answered by ${pod}, not by a pod of ${deploy}`;
}

/** The command got no answer (a policy dropped or refused it). */
export function blocked(r: CmdResult, what: string): CheckResult {
  return r.exitCode !== 0 && servedBy(r.output) === null ? true : `${what} still gets an answer`;
}

// ------------------------------------------------------------ selectors

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Whether a LabelSelector selects these labels (an empty selector selects everything). */
export function selects(sel: LabelSelector | undefined | null, labels: Record<string, string>): boolean {
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const val = labels[e.key];
    if (e.operator === 'In' && !(has && (e.values ?? []).includes(val!))) return false;
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(val!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** Reference lines that write several objects as one multi-document YAML file and apply it. */
export function multiApplyLines(objects: unknown[], file: string): string[] {
  const text = objects.map((o) => stringify(o, { indentSeq: false, lineWidth: 0 }).trimEnd()).join('\n---\n');
  if (text.includes("'")) throw new Error('multiApplyLines: a manifest with a single quote');
  return [`printf '%s\\n' ${text.split('\n').map((l) => `'${l}'`).join(' ')} > ${file}`, `kubectl apply -f ${file}`];
}

// ------------------------------------------------------------ Gateway API

export const GW = 'gateway.networking.k8s.io/v1';

/** The address a Gateway got (status.addresses), read from the settled state, or the reason there is none. */
export function gatewayAddress(api: { get(r: never, ns: never, n: string): unknown }, ns: string, name: string): string | { error: string } {
  let g: any = null;
  try {
    g = api.get('gateways' as never, ns as never, name);
  } catch {
    return { error: `there is no Gateway ${name} in namespace ${ns}` };
  }
  const programmed = (g.status?.conditions ?? []).find((x: any) => x.type === 'Programmed');
  if (programmed?.status !== 'True') return { error: `Gateway ${name} is not programmed${programmed?.reason ? ` (${programmed.reason})` : ''}` };
  const addr = g.status?.addresses?.[0]?.value;
  return addr ? String(addr) : { error: `Gateway ${name} has no address` };
}

/** An HTTPRoute rule: a PathPrefix match (or none) to weighted Service backends. */
export function routeRule(path: string | null, backends: [string, number, number?][], type = 'PathPrefix'): any {
  return {
    ...(path ? { matches: [{ path: { type, value: path } }] } : {}),
    backendRefs: backends.map(([name, port, weight]) => ({ name, port, ...(weight !== undefined ? { weight } : {}) })),
  };
}

export function httpRoute(name: string, namespace: string, gw: string, hostnames: string[], rules: any[]): any {
  return { apiVersion: GW, kind: 'HTTPRoute', metadata: { name, namespace }, spec: { parentRefs: [{ name: gw }], ...(hostnames.length ? { hostnames } : {}), rules } };
}
