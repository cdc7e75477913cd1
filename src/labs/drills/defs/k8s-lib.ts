// Shared parts of the Kubernetes drills (the live k8s-cluster* scenarios):
// parameter pools, objects a drill puts in the cluster before the learner
// arrives (through the API, as an admin's kubectl would), and checks that
// read the API state or probe from a pod.
//
// Checks never look at the commands typed. State checks read the cluster of
// a copy of the learner's world, brought a minute forward (the grader looks
// after the cluster had time to act on the last change: pods started, a
// restarted kubelet heartbeating). Effect checks start their own client pod
// in a throwaway copy of the world (`fromPod`) and look at what it gets back
// (HTTP answers naming the serving pod, DNS answers) against values computed
// from the cluster's state, never from output the learner's shell produced.
import { stringify } from 'yaml';
import { World } from '../../../sim/world';
import { writeHostFile, mkdirp } from '../../../sim/files';
import { kube, syncCluster } from '../../../k8s/cluster';
import type { Api } from '../../../k8s/api/store';
import type { CheckContext, CheckResult, ProbeResult, Requirement } from '../schema';
import type { Rand } from '../rand';

export const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.53';
export const CONTROLPLANE = 'controlplane';
export const NODES = { controlplane: '192.168.121.10', node01: '192.168.121.11' } as const;

/** How long after the learner's last command the grader looks (ms of cluster time). */
export const SETTLE_MS = 60_000;

// ------------------------------------------------------------------ pools

export const APP_NAMES = [
  'web', 'api', 'shop', 'cart', 'auth', 'blog', 'search', 'billing', 'orders', 'catalog', 'media', 'notify',
  'report', 'inventory', 'checkout', 'profile', 'ledger', 'quotes', 'tickets', 'wiki', 'gallery', 'metrics',
] as const;

export const NS_POOL = [
  'team-a', 'team-b', 'payments', 'frontend', 'backend', 'staging', 'qa', 'dev', 'ops', 'shop', 'data', 'edge',
  'tenant-1', 'tenant-2', 'apps', 'internal', 'public', 'sales', 'finance', 'research',
] as const;

export const TIERS = ['frontend', 'backend', 'cache', 'worker', 'gateway', 'db'] as const;
export const LABEL_KEYS = ['app', 'tier', 'role', 'component'] as const;

/** A container port an agnhost netexec server listens on. */
export function appPort(r: Rand): number {
  return r.pick([r.int(3000, 3999), r.int(5000, 5999), r.int(8000, 8999), 9090, 9376]);
}

/** A Service port different from `not`. */
export function servicePort(r: Rand, not = 0): number {
  for (;;) {
    const p = r.pick([80, 8080, 8443, 443, 9000, r.int(81, 999), r.int(1000, 2999)]);
    if (p !== not) return p;
  }
}

/** A free node port (away from 30080, which the -app scenario uses). */
export function nodePort(r: Rand): number {
  for (;;) {
    const p = r.int(30100, 32700);
    if (p !== 30080) return p;
  }
}

/** An answer file as the exam names them. */
export function answerFile(r: Rand): string {
  return `/opt/answers/q${r.int(1, 17)}.txt`;
}

// ------------------------------------------------------------ preparing

export interface AppSpec {
  name: string;
  namespace: string;
  replicas: number;
  /** the pods' labels (the Deployment's selector too) */
  labels: Record<string, string>;
  /** agnhost netexec's HTTP port */
  port: number;
  /** name the container port (e.g. "http") */
  portName?: string;
}

function ensureNamespace(api: Api, ns: string): void {
  if (ns === 'default' || ns === 'kube-system') return;
  if (!api.list('namespaces', null).items.some((n: any) => n.metadata?.name === ns)) {
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }
}

/** A Deployment of agnhost netexec (answers /hostname with the pod's name), as `kubectl create deployment` + edits would make it. */
export function deployment(a: AppSpec): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: a.name, namespace: a.namespace, labels: a.labels },
    spec: {
      replicas: a.replicas,
      selector: { matchLabels: a.labels },
      template: {
        metadata: { labels: a.labels },
        spec: {
          containers: [
            {
              name: 'agnhost',
              image: AGNHOST,
              args: ['netexec', `--http-port=${a.port}`],
              ports: [{ containerPort: a.port, protocol: 'TCP', ...(a.portName ? { name: a.portName } : {}) }],
            },
          ],
        },
      },
    },
  };
}

export interface ServiceSpec {
  name: string;
  namespace: string;
  selector: Record<string, string>;
  port: number;
  targetPort: number | string;
  type?: 'ClusterIP' | 'NodePort';
  nodePort?: number;
}

export function service(s: ServiceSpec): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: s.name, namespace: s.namespace },
    spec: {
      ...(s.type ? { type: s.type } : {}),
      selector: s.selector,
      ports: [{ port: s.port, protocol: 'TCP', targetPort: s.targetPort, ...(s.nodePort ? { nodePort: s.nodePort } : {}) }],
    },
  };
}

/**
 * Put objects in the cluster before the learner arrives (namespaces made as
 * needed), then let `ms` of time pass so that pods are running and the
 * nodes' rules are in place.
 */
export function putObjects(world: World, objects: any[], ms = 30_000): void {
  const api = kube(world);
  if (!api) throw new Error('the drill needs a cluster scenario');
  for (const o of objects) {
    if (o.metadata?.namespace) ensureNamespace(api, o.metadata.namespace);
    api.create(o);
  }
  letTimePass(world, ms);
}

export function letTimePass(world: World, ms: number): void {
  world.advance(ms);
  syncCluster(world);
}

/** Write a file on a host of the world (e.g. a manifest the task hands over). */
export function putFile(world: World, host: string, path: string, text: string): void {
  const h = world.host(host);
  mkdirp(h, path.slice(0, path.lastIndexOf('/')) || '/', world.now());
  writeHostFile(h, path, text, world.now());
}

/** YAML documents as `kubectl apply -f` reads them. */
export function yamlDocs(objects: unknown[]): string {
  return objects.map((o) => stringify(o, { indentSeq: false, lineWidth: 0 })).join('---\n');
}

// ------------------------------------------------------------ state checks

const settled = new WeakMap<World, Api>();

/**
 * The cluster of the checked state, a minute after the learner's last
 * command (on a copy: the checked world is never changed). Null when the API
 * server does not answer (the learner broke the control plane).
 */
export function cluster(c: CheckContext): Api {
  let a = settled.get(c.world);
  if (!a) {
    const w = World.restore(c.world.snapshot());
    letTimePass(w, SETTLE_MS);
    a = kube(w)!;
    settled.set(c.world, a);
  }
  return a;
}

export function getObj(api: Api, resource: string, ns: string | null, name: string): any | null {
  try {
    return api.get(resource as never, ns as never, name) as any;
  } catch {
    return null;
  }
}

export function podsOf(api: Api, ns: string, labels: Record<string, string>): any[] {
  const sel = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return (api.list('pods', ns, { labelSelector: sel }).items as any[]).filter((p) => !p.metadata?.deletionTimestamp);
}

export function running(p: any): boolean {
  return p.status?.phase === 'Running' && (p.status?.containerStatuses ?? []).every((s: any) => s.ready);
}

/** The Service exists in the namespace; returns it or the reason. */
export function serviceIn(api: Api, ns: string, name: string): any | string {
  const s = getObj(api, 'services', ns, name);
  return s ?? `there is no Service ${name} in namespace ${ns}`;
}

/** The Deployment's pod template is still the one the task handed over (labels, ports): a constraint "do not change the Deployment". */
export function deploymentUnchanged(api: Api, a: AppSpec): CheckResult {
  const d = getObj(api, 'deployments', a.namespace, a.name);
  if (!d) return `the Deployment ${a.name} in namespace ${a.namespace} is gone`;
  const labels = d.spec?.template?.metadata?.labels ?? {};
  const want = a.labels;
  const same = Object.keys(want).length === Object.keys(labels).length && Object.entries(want).every(([k, v]) => labels[k] === v);
  if (!same) return `the Deployment ${a.name}'s pod labels were changed (the task asked to leave the Deployment as it is)`;
  const port = d.spec?.template?.spec?.containers?.[0]?.ports?.[0]?.containerPort;
  if (port !== a.port) return `the Deployment ${a.name}'s container port was changed (the task asked to leave the Deployment as it is)`;
  return true;
}

// ------------------------------------------------------------ probes

let probeSerial = 0;

/**
 * Probe lines start with this: whatever the probe session inherits from the
 * learner's shell, a function or alias named like a tool cannot answer for it.
 */
export const UNFAKE = 'unalias -a 2>/dev/null; unset -f kubectl curl wget ping ip nslookup dig iptables iptables-save cat grep sleep ssh seq echo 2>/dev/null; ';

export interface PodProbe {
  /** the client pod's namespace (created when missing) */
  namespace: string;
  /** the client pod's labels (NetworkPolicy drills) */
  labels?: Record<string, string>;
}

/**
 * Run `cmd` in a client pod (curlimages/curl: curl, nslookup) that the probe
 * starts in `namespace` on a throwaway copy of the learner's world, a minute
 * after the learner's last command. The learner's own pods are not used: a
 * deleted or changed client pod cannot make a check pass or fail.
 */
export async function fromPod(c: CheckContext, p: PodProbe, cmd: string): Promise<ProbeResult> {
  const name = `netlab-probe-${(++probeSerial % 9000) + 1000}`;
  const labels = p.labels && Object.keys(p.labels).length ? ` --labels=${Object.entries(p.labels).map(([k, v]) => `${k}=${v}`).join(',')}` : '';
  const line =
    UNFAKE +
    `sleep ${SETTLE_MS / 1000}; ` +
    `{ kubectl get ns ${p.namespace} || kubectl create ns ${p.namespace}; kubectl run ${name} -n ${p.namespace} --image=curlimages/curl:8.14.1 --restart=Never${labels} --command -- sleep 3600; } >/dev/null 2>&1; ` +
    `sleep 15; kubectl exec -n ${p.namespace} ${name} -- ${cmd}`;
  return c.probe(line, { host: CONTROLPLANE });
}

/** `curl` from a pod: the pod name an agnhost server answers /hostname with, or null (no answer). */
export async function hostnameFromPod(c: CheckContext, p: PodProbe, url: string): Promise<string | null> {
  const r = await fromPod(c, p, `curl -s -m 3 ${url.replace(/\/$/, '')}/hostname`);
  const out = r.output.trim();
  return r.exitCode === 0 && /^[a-z0-9][a-z0-9.-]*$/.test(out) ? out : null;
}

/**
 * `url` answers from a pod in `from` with the name of one of `pods`. The
 * failure names what the task named: the URL and where it was tried from.
 */
export async function reachesPods(c: CheckContext, from: PodProbe, url: string, pods: () => string[]): Promise<CheckResult> {
  const got = await hostnameFromPod(c, from, url);
  if (got === null) return `${url} does not answer from a pod in namespace ${from.namespace}`;
  const names = pods();
  return names.includes(got) ? true : `${url} answers from a pod in namespace ${from.namespace}, but from ${got}, not from one of the expected pods`;
}

/**
 * The usual Service requirement: `http://HOST.NS:PORT/hostname` answers from a pod in namespace `from` with
 * the name of a pod labelled `app=APP` in `ns`.
 */
export function reachRequirement(p: { host: string; ns: string; port: number; from: string; app: string }): Requirement {
  const url = `http://${p.host}.${p.ns}:${p.port}`;
  return {
    id: 'reach',
    text: `${url}/hostname answers from a pod in namespace ${p.from} with the name of a ${p.app} pod`,
    check: (c) => reachesPods(c, { namespace: p.from }, url, () => podsOf(cluster(c), p.ns, { app: p.app }).map((x) => x.metadata.name)),
  };
}

/** The address `name` resolves to from a pod (nslookup's answer), or null. */
export async function resolveFromPod(c: CheckContext, from: PodProbe, name: string): Promise<{ addresses: string[]; output: string } | null> {
  const r = await fromPod(c, from, `nslookup ${name}`);
  if (r.exitCode !== 0) return null;
  const after = r.output.split(/\nName:/).slice(1).join('\n');
  const addresses = [...after.matchAll(/Address(?: \d+)?:\s*([0-9.]+)/g)].map((m) => m[1]!);
  return { addresses, output: r.output };
}

/** A fresh shell's output on a node (inspection commands: iptables-save, ip route). */
export async function onNode(c: CheckContext, host: string, line: string): Promise<ProbeResult> {
  return c.probe(UNFAKE + line, { host });
}

// ------------------------------------------------------------ solutions

/** Reference-solution lines that write `obj` as a YAML manifest to `file` (one printf, no heredoc) and apply it. */
export function applyLines(obj: unknown, file: string): string[] {
  const text = stringify(obj, { indentSeq: false, lineWidth: 0 }).trimEnd();
  if (text.includes("'")) throw new Error('applyLines: a manifest with a single quote');
  return [`printf '%s\\n' ${text.split('\n').map((l) => `'${l}'`).join(' ')} > ${file}`, `kubectl apply -f ${file}`];
}

/** "app=web,tier=backend" */
export function selectorText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** A one-line manifest piped to `kubectl apply -f -` (JSON is YAML). */
export function jsonApply(obj: unknown): string {
  const text = JSON.stringify(obj);
  if (text.includes("'")) throw new Error('jsonApply: a manifest with a single quote');
  return `echo '${text}' | kubectl apply -f -`;
}

/** Generate with --dry-run=client -o yaml, then apply the file. */
export function dryRunLines(cmd: string, file: string, edits: string[] = []): string[] {
  return [`${cmd} --dry-run=client -o yaml > ${file}`, ...edits.map((e) => `sed -i '${e}' ${file}`), `kubectl apply -f ${file}`];
}
