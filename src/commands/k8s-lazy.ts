// The Kubernetes layer (src/k8s) is not part of the engine's core: it is a
// chunk loaded on first use. This module is the core's only way to it:
// `loadKubernetes()` loads the chunk (a slow load shows "loading…", src/sim/chunks.ts)
// and installs the layer's hooks into the kernel (src/k8s/install.ts);
// `kubernetesLoaded()` is the layer once loaded, null before. A world that holds a
// cluster (state.kube) needs the layer before anything runs on it: the session loads
// it when it builds, restores or runs on such a world (src/shell/session.ts), so
// code that runs on a world with a cluster can use `kubernetesLoaded()` synchronously.
import type * as Layer from '../k8s/entry';
import type { World } from '../sim/world';
import { loadChunk } from '../sim/chunks';
import { lazyCommand } from './lazy-command';

export type KubernetesLayer = typeof Layer;

let layer: KubernetesLayer | null = null;
let pending: Promise<KubernetesLayer> | null = null;

/** The Kubernetes layer, if loaded (always, once a world with a cluster was built, restored or run on). */
export function kubernetesLoaded(): KubernetesLayer | null {
  return layer;
}

/** The layer's chunk, imported and installed (once). */
function importLayer(): Promise<KubernetesLayer> {
  if (layer) return Promise.resolve(layer);
  pending ??= import('../k8s/entry').then(
    (m) => {
      m.installKubernetes();
      layer = m;
      return m;
    },
    (e: unknown) => {
      pending = null; // a failed download may be retried
      throw e;
    },
  );
  return pending;
}

/** Load the Kubernetes layer (once) and install its hooks. `name`: what the learner waits for, in the "loading NAME…" notice. */
export function loadKubernetes(name = 'kubernetes'): Promise<KubernetesLayer> {
  return layer ? Promise.resolve(layer) : loadChunk(name, importLayer);
}

/** Does this world hold a live cluster (and so need the layer before anything runs on it)? */
export function needsKubernetes(world: World): boolean {
  return world.state.kube != null;
}

/** Load the layer if `world` needs it and it is not there yet. */
export async function prepareWorld(world: World): Promise<void> {
  if (!layer && needsKubernetes(world)) await loadKubernetes();
}

/** The tools that come with the layer: each loads it and its own module, as one load ("loading kubectl…" once), when first typed or completed. */
const layerTool = <T>(name: string, load: () => Promise<T>) => loadChunk(name, () => Promise.all([importLayer(), load()])).then(([, m]) => m);
export const kubectl = lazyCommand('kubectl', async () => (await layerTool('kubectl', () => import('./kubectl/index'))).kubectl);
export const crictl = lazyCommand('crictl', async () => (await layerTool('crictl', () => import('./crictl'))).crictl);
export const journalctl = lazyCommand('journalctl', async () => (await layerTool('journalctl', () => import('./journalctl'))).journalctl);

/**
 * The systemd units the layer registers (src/k8s/runtime/node.ts registerNodeUnits): `systemctl` loads the
 * layer before it answers about one of them, so that `systemctl status kubelet` reads the same whether or not
 * a cluster was loaded before (src/commands/k8s-lazy.test.ts checks the list against the registered units).
 */
export const KUBERNETES_UNITS = ['kubelet', 'containerd', 'systemd-resolved'];
