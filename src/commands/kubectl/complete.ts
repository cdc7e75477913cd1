// Tab completion for kubectl (loaded with it, src/commands/k8s-lazy.ts): verbs, resource types, namespaces,
// pods and containers of the cluster (the live cluster's API, or the archived k8s-node snapshot's objects).
import type { CompletionContext } from '../types';
import { kube } from '../../k8s/cluster';
import { resolveResource, type Api } from '../../k8s/api';
import { cmdNode, findCommand } from './flags';
import { cluster, type K8sCluster } from '../../sim/k8s';

const KUBECTL_VERBS = ['get', 'describe', 'logs', 'cluster-info', 'version'];
const RESOURCE_TYPES = ['pods', 'services', 'nodes', 'endpoints', 'namespaces'];
const KIND: Record<string, string> = {
  po: 'pods', pod: 'pods', pods: 'pods', svc: 'services', service: 'services', services: 'services', no: 'nodes', node: 'nodes', nodes: 'nodes',
  ep: 'endpoints', endpoint: 'endpoints', endpoints: 'endpoints', ns: 'namespaces', namespace: 'namespaces', namespaces: 'namespaces',
};
const KUBECTL_VALUE_FLAGS = ['-n', '--namespace', '-o', '--output', '-l', '--selector', '-c', '--container', '--tail', '--since', '--context', '--kubeconfig'];
const KUBECTL_FLAGS = ['-n', '--namespace', '-A', '--all-namespaces', '-o', '--output', '-l', '--selector', '-c', '--container', '--show-labels', '--no-headers', '-w', '--watch', '-f', '--follow', '-p', '--previous', '--tail', '--since', '-h', '--help'];

function k8sNamespaces(c: K8sCluster): string[] {
  return [...new Set(['default', 'kube-node-lease', 'kube-public', 'kube-system', ...c.pods.map((p) => p.namespace), ...c.services.map((s) => s.namespace)])];
}

function resourceNames(c: K8sCluster, kind: string, namespace: string, all: boolean): string[] {
  const inNs = (n: string) => all || n === namespace;
  switch (kind) {
    case 'pods':
      return c.pods.filter((p) => inNs(p.namespace)).map((p) => p.name);
    case 'services':
    case 'endpoints':
      return c.services.filter((s) => inNs(s.namespace)).map((s) => s.name);
    case 'nodes':
      return c.nodes.map((n) => n.name);
    case 'namespaces':
      return k8sNamespaces(c);
  }
  return [];
}

/** What the words typed so far select: the namespace (-n, --namespace), -A, and the positional words (flag values skipped) */
function kubectlWords(words: string[]): { namespace: string; all: boolean; pos: string[] } {
  let namespace = 'default';
  let all = false;
  const pos: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-n' || w === '--namespace') namespace = words[i + 1] ?? namespace;
    else if (w.startsWith('--namespace=')) namespace = w.slice(12);
    else if (w === '-A' || w === '--all-namespaces') all = true;
    if (KUBECTL_VALUE_FLAGS.includes(w)) i++;
    else if (!w.startsWith('-')) pos.push(w);
  }
  return { namespace, all, pos };
}

/** Tab completion over the cluster API (src/k8s): verbs from kubectl's command tree, kinds, names, namespaces. */
function completeKubectlApi(ctx: CompletionContext, api: Api): string[] {
  const { words, current } = ctx;
  const { namespace, all, pos } = kubectlWords(words);
  const prev = words[words.length - 1]!;
  const names = (resource: string, ns: string | null) => api.scan(resource, ns).map((o) => o.metadata.name ?? '');
  if (prev === '-n' || prev === '--namespace') return names('namespaces', null);
  if (current.startsWith('--namespace=')) return names('namespaces', null).map((n) => '--namespace=' + n);
  if (prev === '-o' || prev === '--output') return ['json', 'jsonpath=', 'name', 'wide', 'yaml', 'custom-columns=', 'go-template='];
  if (KUBECTL_VALUE_FLAGS.includes(prev)) return [];
  if (current.startsWith('-')) return KUBECTL_FLAGS;
  const { path } = findCommand(pos);
  const node = cmdNode(path);
  const rest = pos.slice(path ? path.split(' ').length : 0);
  if (node && node.children.length && !rest.length) {
    const children = node.children.filter((c) => c !== 'help' && c !== 'alpha');
    if (path === '' || !['get', 'describe', 'delete', 'edit', 'label', 'annotate', 'scale', 'expose', 'logs', 'exec', 'rollout status'].includes(path)) return children;
  }
  const verb = path.split(' ')[0] ?? '';
  const kinds = api.resources().filter((r) => r.stored).map((r) => r.resource);
  const ns = all ? null : namespace;
  if (verb === 'logs' || verb === 'exec') return rest.length === 0 ? names('pods', ns) : [];
  if (['get', 'describe', 'delete', 'edit', 'label', 'annotate', 'scale', 'expose', 'rollout'].includes(verb)) {
    if (rest.length === 0) {
      if (current.includes('/')) {
        const info = resolveResource(current.slice(0, current.indexOf('/')));
        return info ? names(info.resource, info.namespaced ? ns : null).map((n) => `${current.slice(0, current.indexOf('/'))}/${n}`) : [];
      }
      return kinds;
    }
    const info = resolveResource(rest[0]!);
    return info ? names(info.resource, info.namespaced ? ns : null) : [];
  }
  return [];
}

export function completeKubectl(ctx: CompletionContext): string[] {
  const api = kube(ctx.sys.world);
  if (api) return completeKubectlApi(ctx, api);
  const { words, current } = ctx;
  const c = cluster(ctx.sys.world);
  const { namespace, all, pos } = kubectlWords(words);
  const prev = words[words.length - 1]!;
  if (current.startsWith('--namespace=')) return c ? k8sNamespaces(c).map((n) => '--namespace=' + n) : [];
  if (prev === '-n' || prev === '--namespace') return c ? k8sNamespaces(c) : [];
  if (prev === '-o' || prev === '--output') return ['wide', 'name', 'yaml', 'json'];
  if (prev === '-c' || prev === '--container') {
    const pod = c?.pods.find((p) => p.name === pos[1] && p.namespace === namespace);
    return pod ? pod.containers.map((x) => x.name) : [];
  }
  if (prev === '-l' || prev === '--selector') return c ? [...new Set(c.pods.flatMap((p) => Object.entries(p.labels).map(([k, v]) => `${k}=${v}`)))] : [];
  if (KUBECTL_VALUE_FLAGS.includes(prev)) return [];
  if (current.startsWith('-')) return KUBECTL_FLAGS;
  const verb = pos[0];
  if (!verb) return KUBECTL_VERBS;
  if (!c) return [];
  if (verb === 'get' || verb === 'describe') {
    if (pos.length === 1) return RESOURCE_TYPES;
    const kind = KIND[pos[1]!.toLowerCase()];
    return kind ? resourceNames(c, kind, namespace, all) : [];
  }
  if (verb === 'logs') {
    if (pos.length === 1) return resourceNames(c, 'pods', namespace, false);
    if (pos.length === 2) {
      const name = pos[1]!.replace(/^pods?\//, '');
      const pod = c.pods.find((p) => p.name === name && p.namespace === namespace);
      return pod ? pod.containers.map((x) => x.name) : [];
    }
  }
  return [];
}
