// Tab completion for the client tools: ping, traceroute, nc, curl (options
// and destinations: /etc/hosts names and the world's addresses), kubectl
// (verbs, resource types, namespaces, pods and containers of the cluster)
// and ssh (the world's hosts).
import type { CompletionContext } from './types';
import { kube } from '../k8s/cluster';
import { resolveResource, type Api } from '../k8s/api';
import { cmdNode, findCommand } from './kubectl/flags';
import { cluster, type K8sCluster } from '../sim/k8s';
import { compCtx, destinations, ifNames, localAddrs, worldHostNames, hostsFileNames } from './completion-util';
import { findHost } from './ssh';

/** The positional words of a command line, given the options that take a value. */
function positionals(words: string[], takesValue: (w: string) => boolean): string[] {
  const out: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('-') && w.length > 1) {
      if (takesValue(w)) i++;
    } else out.push(w);
  }
  return out;
}

/** getopt short options: does `word` (a cluster like -nc) end with a letter that takes a value? */
function shortTakesValue(word: string, withArg: string): boolean {
  if (!/^-[^-]/.test(word)) return false;
  for (let i = 1; i < word.length; i++) if (withArg.includes(word[i]!)) return i === word.length - 1;
  return false;
}

// ---------------------------------------------------------------- ping

const PING_OPTIONS = ['-a', '-A', '-b', '-B', '-c', '-C', '-d', '-D', '-e', '-f', '-F', '-h', '-i', '-I', '-l', '-L', '-m', '-M', '-n', '-N', '-O', '-p', '-q', '-Q', '-R', '-s', '-S', '-t', '-T', '-U', '-v', '-V', '-w', '-W', '-4', '-6'];
const PING_ARG = 'ceFiIlmMNpQsStTwW';

export function completePing(ctx: CompletionContext): string[] {
  const { words, current } = ctx;
  const prev = words[words.length - 1]!;
  if (shortTakesValue(prev, PING_ARG)) {
    const o = prev[prev.length - 1];
    if (o === 'I') return [...ifNames(compCtx(ctx)), ...localAddrs(compCtx(ctx), 4)];
    if (o === 'M') return ['do', 'dont', 'want', 'probe'];
    if (o === 'T') return ['tsonly', 'tsandaddr', 'tsprespec'];
    return [];
  }
  if (current.startsWith('-')) return PING_OPTIONS;
  return destinations(ctx.sys);
}

// ---------------------------------------------------------------- traceroute

const TRACEROUTE_OPTIONS = [
  '-4', '-6', '-d', '-F', '-f', '-g', '-I', '-T', '-i', '-m', '-N', '-n', '-p', '-t', '-l', '-w', '-q', '-r', '-s', '-z', '-e', '-A', '-M', '-O', '-U', '-UL', '-D', '-P', '-V',
  '--debug', '--dont-fragment', '--first=', '--gateway=', '--icmp', '--tcp', '--interface=', '--max-hops=', '--sim-queries=', '--port=', '--tos=', '--flowlabel=',
  '--wait=', '--queries=', '--source=', '--sendwait=', '--extensions', '--as-path-lookups', '--module=', '--options=', '--sport=', '--fwmark=', '--udp', '--dccp',
  '--protocol=', '--mtu', '--back', '--version', '--help',
];
const TRACEROUTE_ARG = 'fgimNptlwqszMOP';

export function completeTraceroute(ctx: CompletionContext): string[] {
  const { words, current } = ctx;
  const prev = words[words.length - 1]!;
  if (current.startsWith('--interface=')) return ifNames(compCtx(ctx)).map((n) => '--interface=' + n);
  if (shortTakesValue(prev, TRACEROUTE_ARG)) {
    const o = prev[prev.length - 1];
    if (o === 'i') return ifNames(compCtx(ctx));
    if (o === 's') return localAddrs(compCtx(ctx), 4);
    if (o === 'M') return ['default', 'icmp', 'tcp', 'tcpconn', 'udp', 'udplite', 'dccp', 'raw'];
    return [];
  }
  if (current.startsWith('-')) return TRACEROUTE_OPTIONS;
  if (positionals(words, (w) => shortTakesValue(w, TRACEROUTE_ARG)).length > 0) return [];
  return destinations(ctx.sys);
}

// ---------------------------------------------------------------- nc

const NC_OPTIONS = ['-4', '-6', '-b', '-C', '-D', '-d', '-F', '-h', '-I', '-i', '-k', '-l', '-M', '-m', '-N', '-n', '-O', '-P', '-p', '-q', '-r', '-S', '-s', '-T', '-t', '-U', '-u', '-V', '-v', '-W', '-w', '-X', '-x', '-Z', '-z'];
const NC_ARG = 'IiMmOPpqsTVWwXx';

export function completeNc(ctx: CompletionContext): string[] {
  const { words, current } = ctx;
  const prev = words[words.length - 1]!;
  if (shortTakesValue(prev, NC_ARG)) {
    const o = prev[prev.length - 1];
    if (o === 's') return localAddrs(compCtx(ctx));
    if (o === 'X') return ['4', '5', 'connect'];
    if (o === 'T') return ['critical', 'inetcontrol', 'lowcost', 'lowdelay', 'netcontrol', 'throughput', 'reliability'];
    return [];
  }
  if (current.startsWith('-')) return NC_OPTIONS;
  if (positionals(words, (w) => shortTakesValue(w, NC_ARG)).length > 0) return [];
  return destinations(ctx.sys);
}

// ---------------------------------------------------------------- curl

const CURL_OPTIONS = [
  '-s', '--silent', '-S', '--show-error', '-v', '--verbose', '-i', '--include', '-I', '--head', '-o', '--output', '-O', '--remote-name', '-w', '--write-out',
  '-H', '--header', '-X', '--request', '-d', '--data', '--data-raw', '--data-binary', '--data-urlencode', '-f', '--fail', '-m', '--max-time', '--connect-timeout',
  '-A', '--user-agent', '-L', '--location', '-k', '--insecure', '-u', '--user', '-x', '--proxy', '--noproxy', '--resolve', '-4', '--ipv4', '-6', '--ipv6',
  '--http1.0', '--http1.1', '-e', '--referer', '-b', '--cookie', '-c', '--cookie-jar', '-D', '--dump-header', '-T', '--upload-file', '--retry', '--interface',
  '--compressed', '-#', '--progress-bar', '-h', '--help', '-V', '--version',
];
const CURL_ARG = ['-o', '--output', '-w', '--write-out', '-H', '--header', '-X', '--request', '-d', '--data', '--data-raw', '--data-binary', '--data-urlencode', '-m', '--max-time', '--connect-timeout', '-A', '--user-agent', '-u', '--user', '-x', '--proxy', '--noproxy', '--resolve', '-e', '--referer', '-b', '--cookie', '-c', '--cookie-jar', '-D', '--dump-header', '-T', '--upload-file', '--retry', '--interface'];

export function completeCurl(ctx: CompletionContext): string[] {
  const { words, current } = ctx;
  const prev = words[words.length - 1]!;
  if (prev === '-X' || prev === '--request') return ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
  if (prev === '--interface') return ifNames(compCtx(ctx));
  if (CURL_ARG.includes(prev)) return [];
  if (current.startsWith('-')) return CURL_OPTIONS;
  const hosts = destinations(ctx.sys);
  return current === '' ? hosts : [...hosts, ...hosts.map((h) => `http://${h}/`)];
}

// ---------------------------------------------------------------- kubectl


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

// ---------------------------------------------------------------- ssh

const SSH_OPTIONS = ['-4', '-6', '-A', '-a', '-C', '-f', '-G', '-g', '-K', '-k', '-M', '-N', '-n', '-q', '-s', '-T', '-t', '-V', '-v', '-X', '-x', '-Y', '-y', '-B', '-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-P', '-p', '-R', '-S', '-W', '-w'];
const SSH_ARG = 'BbcDEeFIiJLlmOoPpRSWw';

export function completeSsh(ctx: CompletionContext): string[] {
  const { words, current } = ctx;
  const prev = words[words.length - 1]!;
  // the world's machines, and /etc/hosts names that lead to one of them
  const hosts = () => [...new Set([...worldHostNames(ctx.sys), ...hostsFileNames(ctx.sys).filter((n) => n !== 'localhost' && !n.startsWith('ip6-') && findHost(ctx.sys, n) !== null)])];
  if (shortTakesValue(prev, SSH_ARG)) {
    const o = prev[prev.length - 1];
    if (o === 'J') return hosts();
    if (o === 'l') return ['root'];
    return [];
  }
  if (current.startsWith('-')) return SSH_OPTIONS;
  if (positionals(words, (w) => shortTakesValue(w, SSH_ARG)).length > 0) return [];
  const at = current.lastIndexOf('@');
  const user = at >= 0 ? current.slice(0, at + 1) : '';
  return hosts().map((h) => user + h);
}
