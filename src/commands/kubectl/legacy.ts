// kubectl, read-only, over the world's cluster state (src/sim/k8s.ts):
// get (pods, services, nodes, endpoints, namespaces) with -n/-A/-o wide/-l/
// --show-labels/-o name, and logs. Output follows kubectl's tabwriter
// layout: columns padded to the widest cell plus 3 spaces (at least 6).
import type { CmdResult, NetCommand } from '../types';
import { fail, ok, ordered } from '../types';
import { cluster, endpointsOf, humanDuration, type K8sCluster, type K8sPod, type K8sService } from '../../sim/k8s';

/** Go's text/tabwriter as kubectl configures it (minwidth 6, padding 3). */
export function tabwrite(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(Math.max(6, widths[i]! + 3)))).join(''))
    .map((l) => l + '\n')
    .join('');
}

const RESOURCES: Record<string, string> = {
  po: 'pods', pod: 'pods', pods: 'pods',
  svc: 'services', service: 'services', services: 'services',
  no: 'nodes', node: 'nodes', nodes: 'nodes',
  ep: 'endpoints', endpoint: 'endpoints', endpoints: 'endpoints',
  ns: 'namespaces', namespace: 'namespaces', namespaces: 'namespaces',
};

interface GetOpts {
  namespace: string;
  all: boolean;
  wide: boolean;
  name: boolean;
  showLabels: boolean;
  selector: Record<string, string> | null;
  noHeaders: boolean;
}

function matchesSelector(labels: Record<string, string>, sel: Record<string, string> | null): boolean {
  return !sel || Object.entries(sel).every(([k, v]) => labels[k] === v);
}

function labelText(labels: Record<string, string>): string {
  const e = Object.entries(labels);
  return e.length ? e.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

function portsText(s: K8sService): string {
  return s.ports.map((p) => `${p.port}${p.nodePort ? ':' + p.nodePort : ''}/${p.protocol}`).join(',') || '<none>';
}

function namespacesOf(c: K8sCluster): string[] {
  const set = new Set<string>(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  for (const p of c.pods) set.add(p.namespace);
  for (const s of c.services) set.add(s.namespace);
  return [...set].sort();
}

function get(c: K8sCluster, now: number, kind: string, names: string[], o: GetOpts): CmdResult {
  const age = (t: number) => humanDuration(now - t);
  const inNs = (ns: string) => o.all || ns === o.namespace;
  const notFound = (what: string, n: string) => fail(`Error from server (NotFound): ${what} "${n}" not found\n`, 1);
  const empty = () => fail(o.all ? 'No resources found\n' : `No resources found in ${o.namespace} namespace.\n`, 0);
  const nsCol = o.all ? ['NAMESPACE'] : [];
  const withNs = (ns: string) => (o.all ? [ns] : []);
  const finish = (header: string[], rows: string[][], names_: string[]) => {
    if (o.name) return ok(names_.map((n) => n + '\n').join(''));
    return ok(tabwrite(o.noHeaders ? rows : [header, ...rows]));
  };

  if (kind === 'pods') {
    let pods = c.pods.filter((p) => inNs(p.namespace) && matchesSelector(p.labels, o.selector));
    if (names.length) {
      const missing = names.find((n) => !pods.some((p) => p.name === n));
      if (missing) return notFound('pods', missing);
      pods = pods.filter((p) => names.includes(p.name));
    }
    if (pods.length === 0) return empty();
    pods.sort((a, b) => (o.all ? a.namespace.localeCompare(b.namespace) : 0) || a.name.localeCompare(b.name));
    const header = [...nsCol, 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'];
    if (o.wide) header.push('IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES');
    if (o.showLabels) header.push('LABELS');
    const rows = pods.map((p: K8sPod) => {
      const r = [...withNs(p.namespace), p.name, `${p.containers.length}/${p.containers.length}`, 'Running', String(p.restarts), age(p.created)];
      if (o.wide) r.push(p.ip, p.node, '<none>', '<none>');
      if (o.showLabels) r.push(labelText(p.labels));
      return r;
    });
    return finish(header, rows, pods.map((p) => `pod/${p.name}`));
  }
  if (kind === 'services') {
    let svcs = c.services.filter((s) => inNs(s.namespace));
    if (names.length) {
      const missing = names.find((n) => !svcs.some((s) => s.name === n));
      if (missing) return notFound('services', missing);
      svcs = svcs.filter((s) => names.includes(s.name));
    }
    if (svcs.length === 0) return empty();
    svcs.sort((a, b) => (o.all ? a.namespace.localeCompare(b.namespace) : 0) || a.name.localeCompare(b.name));
    const header = [...nsCol, 'NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'];
    if (o.wide) header.push('SELECTOR');
    const rows = svcs.map((s) => {
      const r = [...withNs(s.namespace), s.name, s.type, s.clusterIP, s.type === 'LoadBalancer' ? '<pending>' : '<none>', portsText(s), age(s.created)];
      if (o.wide) r.push(labelText(s.selector));
      return r;
    });
    return finish(header, rows, svcs.map((s) => `service/${s.name}`));
  }
  if (kind === 'endpoints') {
    let svcs = c.services.filter((s) => inNs(s.namespace));
    if (names.length) {
      const missing = names.find((n) => !svcs.some((s) => s.name === n));
      if (missing) return notFound('endpoints', missing);
      svcs = svcs.filter((s) => names.includes(s.name));
    }
    if (svcs.length === 0) return empty();
    const header = [...nsCol, 'NAME', 'ENDPOINTS', 'AGE'];
    const rows = svcs.map((s) => {
      const eps = s.name === 'kubernetes' && s.namespace === 'default' ? c.nodes.filter((n) => n.roles.includes('control-plane')).map((n) => `${n.internalIP}:6443`) : endpointsOf(c, s).flatMap((p) => s.ports.map((pt) => `${p.ip}:${pt.targetPort}`));
      const shown = eps.length > 3 ? `${eps.slice(0, 3).join(',')} + ${eps.length - 3} more...` : eps.join(',') || '<none>';
      return [...withNs(s.namespace), s.name, shown, age(s.created)];
    });
    return finish(header, rows, svcs.map((s) => `endpoints/${s.name}`));
  }
  if (kind === 'nodes') {
    let nodes = [...c.nodes];
    if (names.length) {
      const missing = names.find((n) => !nodes.some((x) => x.name === n));
      if (missing) return notFound('nodes', missing);
      nodes = nodes.filter((x) => names.includes(x.name));
    }
    const header = ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'];
    if (o.wide) header.push('INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME');
    const rows = nodes.map((n) => {
      const r = [n.name, 'Ready', n.roles || '<none>', age(n.created), n.version];
      if (o.wide) r.push(n.internalIP, '<none>', n.osImage, n.kernel, n.runtime);
      return r;
    });
    return finish(header, rows, nodes.map((n) => `node/${n.name}`));
  }
  // namespaces
  const all = namespacesOf(c);
  const created = Math.min(...c.nodes.map((n) => n.created), 0);
  const rows = all.filter((n) => !names.length || names.includes(n)).map((n) => [n, 'Active', age(created)]);
  if (names.length && rows.length === 0) return notFound('namespaces', names[0]!);
  return finish(['NAME', 'STATUS', 'AGE'], rows, rows.map((r) => `namespace/${r[0]}`));
}

function parseSelector(s: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const part of s.split(',')) {
    const m = /^([^=!]+)==?(.*)$/.exec(part.trim());
    if (!m) return null;
    out[m[1]!] = m[2]!;
  }
  return out;
}

export const kubectl: NetCommand = {
  name: 'kubectl',
  async run(args, _io, sys) {
    const c = cluster(sys.world);
    if (!c) {
      return fail('E1126 10:00:00.000000    4242 memcache.go:265] couldn\'t get current server API group list: Get "http://localhost:8080/api?timeout=32s": dial tcp 127.0.0.1:8080: connect: connection refused\nThe connection to the server localhost:8080 was refused - did you specify the right host or port?\n', 1);
    }
    const o: GetOpts = { namespace: 'default', all: false, wide: false, name: false, showLabels: false, selector: null, noHeaders: false };
    let container: string | null = null;
    const words: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const val = (flag: string): string | null => {
        if (a === flag) return args[++i] ?? null;
        if (a.startsWith(flag + '=')) return a.slice(flag.length + 1);
        return null;
      };
      let v: string | null;
      if (a === '-A' || a === '--all-namespaces') o.all = true;
      else if ((v = val('-n')) !== null || (v = val('--namespace')) !== null) o.namespace = v;
      else if ((v = val('-o')) !== null || (v = val('--output')) !== null) {
        if (v === 'wide') o.wide = true;
        else if (v === 'name') o.name = true;
        else return fail(`error: unable to match a printer suitable for the output format "${v}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n`, 1);
      } else if ((v = val('-l')) !== null || (v = val('--selector')) !== null) {
        o.selector = parseSelector(v);
        if (!o.selector) return fail(`error: unable to parse requirement: found '${v}', expected: identifier\n`, 1);
      } else if ((v = val('-c')) !== null || (v = val('--container')) !== null) container = v;
      else if (a === '--show-labels') o.showLabels = true;
      else if (a === '--no-headers') o.noHeaders = true;
      else if (a.startsWith('-') && a !== '-') return fail(`error: unknown shorthand flag: '${a.replace(/^-+/, '').charAt(0)}' in ${a}\nSee 'kubectl --help' for usage.\n`, 1);
      else words.push(a);
    }
    const verb = words[0];
    if (!verb) return ok('kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\nBasic Commands (Beginner):\n  create          Create a resource from a file or from stdin\n  expose          Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service\n  run             Run a particular image on the cluster\n  set             Set specific features on objects\n\nBasic Commands (Intermediate):\n  explain         Get documentation for a resource\n  get             Display one or many resources\n  edit            Edit a resource on the server\n  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector\n\nTroubleshooting and Debugging Commands:\n  describe        Show details of a specific resource or group of resources\n  logs            Print the logs for a container in a pod\n\nUsage:\n  kubectl [flags] [options]\n');
    const now = sys.world.now();
    if (verb === 'get') {
      const spec = words[1];
      if (!spec) return fail('You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples\n', 1);
      let [kindWord, ...names] = [spec, ...words.slice(2)];
      if (kindWord.includes('/')) {
        names = [kindWord.slice(kindWord.indexOf('/') + 1), ...names];
        kindWord = kindWord.slice(0, kindWord.indexOf('/'));
      }
      const kind = RESOURCES[kindWord.toLowerCase()];
      if (!kind) return fail(`error: the server doesn't have a resource type "${kindWord}"\n`, 1);
      return get(c, now, kind, names, o);
    }
    if (verb === 'logs') {
      const name = words[1];
      if (!name) return fail("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n", 1);
      const podName = name.startsWith('pod/') ? name.slice(4) : name;
      const pod = c.pods.find((p) => p.name === podName && p.namespace === o.namespace);
      if (!pod) return fail(`Error from server (NotFound): pods "${podName}" not found\n`, 1);
      const cname = container ?? words[2] ?? null;
      let ctr = cname ? pod.containers.find((x) => x.name === cname) : pod.containers[0];
      if (!ctr) return fail(`error: container ${cname} is not valid for pod ${pod.name}\n`, 1);
      const note = !cname && pod.containers.length > 1 ? `Defaulted container "${ctr.name}" out of: ${pod.containers.map((x) => x.name).join(', ')}\n` : '';
      // kubectl says which container it chose before the logs
      return ordered([[2, note], [1, ctr.log]], 0);
    }
    if (verb === 'version' || verb === 'cluster-info' || verb === 'describe' || verb === 'config') {
      if (verb === 'cluster-info') {
        const cp = c.nodes.find((n) => n.roles.includes('control-plane'));
        return ok(`\x1b[0;32mKubernetes control plane\x1b[0m is running at \x1b[0;33mhttps://${cp?.internalIP ?? '127.0.0.1'}:6443\x1b[0m\n\x1b[0;32mCoreDNS\x1b[0m is running at \x1b[0;33mhttps://${cp?.internalIP ?? '127.0.0.1'}:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\x1b[0m\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`);
      }
      if (verb === 'version') {
        const v = c.nodes[0]?.version ?? 'v1.34.0';
        return ok(`Client Version: ${v}\nKustomize Version: v5.7.1\nServer Version: ${v}\n`);
      }
      return fail(`error: kubectl ${verb} is not available in this simulated cluster (read-only: get, logs, cluster-info, version)\n`, 1);
    }
    return fail(`error: unknown command "${verb}" for "kubectl"\n\nDid you mean this?\n\tget\n\tlogs\n`, 1);
  },
};
