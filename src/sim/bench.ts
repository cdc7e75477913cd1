// Kernel benchmark for `npm run bench`: 1,000 namespaces on one bridge, each
// with a veth and an address. Figures are milliseconds.
import { addAddress } from './addr';
import { findLink, linkAdd, linkSetMaster, linkSetNetns, linkSetUp } from './netdev';
import { netnsAdd } from './netns';
import { routeGet } from './fib';
import { World } from './world';
import { pingOnce } from './packet';

export function buildBenchWorld(n = 1000): World {
  const w = World.create({ seed: 42 });
  const host = w.addHost('bench');
  const root = host.rootNs;
  linkSetUp(w, root, 1, true);
  const br = linkAdd(w, root, { kind: 'bridge', name: 'br0' });
  linkSetUp(w, root, br.ifindex, true);
  addAddress(w, root, br.ifindex, { local: '10.0.0.1', prefixlen: 16 });
  for (let i = 0; i < n; i++) {
    const ns = netnsAdd(w, 'bench', `ns${i}`);
    const v = linkAdd(w, root, { kind: 'veth', name: `v${i}`, peerName: `p${i}` });
    const peer = findLink(w.ns(root), `p${i}`)!;
    linkSetMaster(w, root, peer.ifindex, br.ifindex);
    linkSetUp(w, root, peer.ifindex, true);
    const moved = linkSetNetns(w, root, v.ifindex, ns.id);
    const addr = `10.0.${(i + 2) >> 8}.${(i + 2) & 255}`;
    addAddress(w, ns.id, moved.ifindex, { local: addr, prefixlen: 16 });
    linkSetUp(w, ns.id, moved.ifindex, true);
  }
  w.advance(5000);
  return w;
}

function time(fn: () => void, reps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t0) / reps;
}

/** processor time so far (ms) where the platform tells it (Node), else NaN */
function cpuMs(): number {
  const p = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process;
  const c = p?.cpuUsage?.();
  return c ? (c.user + c.system) / 1000 : NaN;
}

export function kernelBench(): Record<string, number> {
  const t0 = performance.now();
  const c0 = cpuMs();
  const w = buildBenchWorld(1000);
  const build = performance.now() - t0;
  const buildCpu = cpuMs() - c0;
  const nsId = w.host('bench').netns['ns500']!;
  const rootId = w.host('bench').rootNs;
  const lookupNs = time(() => void routeGet(w, nsId, '10.0.3.200'), 2000);
  const lookupRoot = time(() => void routeGet(w, rootId, '10.0.1.17'), 2000);
  // ping across the bridge (the first one floods ARP to every port; time the steady state)
  const peer = w.host('bench').netns['ns10']!;
  pingOnce(w, peer, '10.0.3.200');
  const ping = time(() => void pingOnce(w, peer, '10.0.3.200'), 200);
  // a snapshot after a command: the ping reached three namespaces, the others keep their saved text (ns-table.ts)
  w.snapshot();
  let snap = '';
  const snapshot = time(() => {
    pingOnce(w, peer, '10.0.3.200');
    snap = w.snapshot();
  }, 5) - ping;
  // a whole snapshot: a copy of the world, every namespace encoded
  const copies = Array.from({ length: 3 }, () => w.clone());
  let i = 0;
  const whole = time(() => void copies[i++]!.snapshot(), 3);
  // restore: namespaces stay in their saved form until reached; then every one reached (expanded)
  const restore = time(() => void World.restore(snap), 5);
  const restoreAll = time(() => void World.restore(snap).clone(), 3);
  return {
    'kernel: build 1000 namespaces on a bridge (ms)': build,
    'kernel: build 1000 namespaces on a bridge, processor time (ms)': buildCpu,
    'kernel: route lookup in a namespace (ms/op)': lookupNs,
    'kernel: route lookup on the bridge host (ms/op)': lookupRoot,
    'kernel: ping across the bridge (ms/op)': ping,
    'kernel: snapshot after a ping (ms)': snapshot,
    'kernel: snapshot, whole (ms)': whole,
    'kernel: restore (ms)': restore,
    'kernel: restore, every namespace expanded and copied (ms)': restoreAll,
    'kernel: saved size (KB)': snap.length / 1024,
  };
}
