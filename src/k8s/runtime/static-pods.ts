// Static pods: the kubelet reads /etc/kubernetes/manifests about every
// second, creates a mirror pod per manifest, restarts the pod when its file
// changes and stops it when the file goes or breaks.
import { parse as parseYaml } from 'yaml';
import type { Api } from '../api/store';
import { rfc3339 } from '../api/store';
import type { World } from '../../sim/world';
import { listDir, readHostFile } from '../../sim/files';
import { fnv32a } from '../controllers/util';
import type { KubeletRuntime, NodeRt } from './state';
import { hostAlive } from './util';
import { stopContainer } from './containers';
import { teardownSandbox } from './sandbox';

const MANIFESTS = '/etc/kubernetes/manifests';

// the kubelet hashes its manifests on every pass: the same texts, again and again
const hashes = new Map<string, string>();
function manifestHash(text: string): string {
  let h = hashes.get(text);
  if (h === undefined) {
    if (hashes.size > 256) hashes.clear();
    h = computeManifestHash(text);
    hashes.set(text, h);
  }
  return h;
}

function computeManifestHash(text: string): string {
  let s = '';
  let h = fnv32a(text);
  while (s.length < 32) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h ^= h >>> 12;
    s += (h >>> 0).toString(16).padStart(8, '0');
  }
  return s.slice(0, 32);
}

export function syncStaticPods(api: Api, world: World, rtAll: KubeletRuntime, node: NodeRt, nodeName: string): void {
  const h = world.state.hosts[node.host];
  if (!h) return;
  const now = api.now();
  if (node.manifestsCheckedAt !== undefined && now - node.manifestsCheckedAt < 1000) return;
  node.manifestsCheckedAt = now;
  node.manifestsFileCount = Object.keys(h.files).length;
  let files: string[] = [];
  try {
    files = listDir(h, MANIFESTS).filter((f) => !f.startsWith('.') && /\.(ya?ml|json)$/.test(f));
  } catch {
    files = [];
  }
  const seen = new Set<string>();
  const nodeObj = api.peek('nodes', null, nodeName);
  for (const f of files) {
    const path = `${MANIFESTS}/${f}`;
    seen.add(path);
    const text = readHostFile(h, path) ?? '';
    const hash = manifestHash(text);
    const prev = node.manifests[path];
    if (prev === hash) continue;
    // changed (or new): stop the old pod, start from the new manifest
    stopStatic(api, world, rtAll, node, nodeName, path);
    let doc: any;
    try {
      doc = parseYaml(text);
    } catch {
      doc = null;
    }
    node.manifests[path] = hash;
    if (!doc || doc.kind !== 'Pod' || !doc.metadata?.name || !Array.isArray(doc.spec?.containers)) {
      node.manifests[path] = `broken:${hash}`;
      continue;
    }
    const ann = { ...(doc.metadata.annotations ?? {}), 'kubernetes.io/config.hash': hash, 'kubernetes.io/config.mirror': hash, 'kubernetes.io/config.seen': new Date(Date.parse(rfc3339(api.now()))).toISOString().replace('Z', '000000Z').replace('.000000000Z', '.000000000Z'), 'kubernetes.io/config.source': 'file' };
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { ...doc.metadata, name: `${doc.metadata.name}-${nodeName}`, namespace: doc.metadata.namespace ?? 'default', annotations: ann, ownerReferences: nodeObj ? [{ apiVersion: 'v1', controller: true, kind: 'Node', name: nodeName, uid: nodeObj.metadata.uid }] : undefined },
      spec: { ...doc.spec, nodeName, tolerations: doc.spec.tolerations ?? [{ effect: 'NoExecute', operator: 'Exists' }] },
    };
    try {
      const existing = api.peek('pods', pod.metadata.namespace, pod.metadata.name);
      if (existing) api.remove('pods', pod.metadata.namespace, pod.metadata.name);
      api.create(pod);
    } catch {
      node.manifests[path] = `broken:${hash}`;
    }
  }
  for (const path of Object.keys(node.manifests)) {
    if (seen.has(path)) continue;
    stopStatic(api, world, rtAll, node, nodeName, path);
    delete node.manifests[path];
  }
}

function stopStatic(api: Api, world: World, rtAll: KubeletRuntime, node: NodeRt, nodeName: string, path: string): void {
  const hash = node.manifests[path];
  if (!hash) return;
  const pod = api.scan('pods').find((p) => p.spec && (p as any).spec.nodeName === nodeName && p.metadata.annotations?.['kubernetes.io/config.hash'] === hash);
  if (!pod) return;
  const rt = rtAll.pods[pod.metadata.uid!];
  if (rt) {
    for (const c of rt.containers) if (c.state === 'running') stopContainer(world, api, node, nodeName, pod, rt, c);
    teardownSandbox(api, world, node, nodeName, pod, rt);
    delete rtAll.pods[rt.uid];
  }
  api.remove('pods', pod.metadata.namespace!, pod.metadata.name!);
}

/** When the kubelet looks at the manifests again: a second after its last look, if a manifest was written, edited or removed since. */
export function staticPodsWake(world: World, rtAll: KubeletRuntime, take: (t: number) => void): void {
  // a static pod manifest written (or removed) since the kubelet last looked: it looks again a second after its last look
  for (const node of Object.values(rtAll.nodes)) {
    const h = world.state.hosts[node.host];
    if (!h || node.manifestsCheckedAt === undefined || !hostAlive(world, node.host, 'kubelet')) continue;
    const count = Object.keys(h.files).length;
    const edited = (p: string) => {
      const f = h.files[p];
      if (!f) return true;
      if ((f.mtime ?? 0) < node.manifestsCheckedAt!) return false;
      const hh = manifestHash(f.content ?? '');
      return node.manifests[p] !== hh && node.manifests[p] !== `broken:${hh}`;
    };
    let changed = Object.keys(node.manifests).some(edited);
    // a file appeared somewhere on the host: is it a new manifest?
    if (!changed && node.manifestsFileCount !== count) {
      try {
        changed = listDir(h, MANIFESTS).some((f) => !f.startsWith('.') && /\.(ya?ml|json)$/.test(f) && !(`${MANIFESTS}/${f}` in node.manifests));
      } catch {
        changed = false;
      }
      if (!changed) node.manifestsFileCount = count;
    }
    if (changed) take(node.manifestsCheckedAt + 1000);
  }
}
