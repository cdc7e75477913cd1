// npm run bench -- map: the network map's update time after a command (issue 16): what the worker does on a
// 'map' request (model of the World, dagre layout of new boxes, the last exchange's step list and path).
// Targets: ≤ 50 ms on the namespace lab, ≤ 150 ms on a 3-node cluster with 30 pods.
import { Session } from '../src/shell/session';
import { getScenario } from '../src/labs/scenarios/index';
import { MapLayout } from '../src/shell/map-view';
import { lastExchange, traceStart, traceStop } from '../src/sim/trace';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function measure(title: string, s: Session, line: string, target: number): Promise<void> {
  const rec = traceStart();
  await s.run(line);
  traceStop(rec);
  const steps = lastExchange(rec.steps);
  // the first view lays out every box (dagre); later views keep the boxes where they were
  const first: number[] = [];
  const update: number[] = [];
  let v = null;
  for (let i = 0; i < 15; i++) {
    const layout = new MapLayout();
    let t = performance.now();
    layout.view(s.world, steps);
    first.push(performance.now() - t);
    t = performance.now();
    v = layout.view(s.world, steps);
    update.push(performance.now() - t);
  }
  console.log(`${title.padEnd(46)} ${String(v!.boxes.length).padStart(4)} boxes  first view ${median(first).toFixed(1)} ms  update ${median(update).toFixed(1)} ms  (target ≤ ${target} ms)`);
}

export async function mapSection(): Promise<void> {
  console.log('\n## map: network map update after a command (model + layout + steps; median of 15)');
  const lab = await Session.create({ scenario: getScenario('netns-lab-solved') });
  await measure('namespace lab, after a ping red -> blue', lab, 'ip netns exec red ping -c1 192.168.15.3', 50);
  const c = await Session.create({ scenario: getScenario('k8s-cluster-3node'), host: 'controlplane' });
  await c.run('kubectl create deployment web --image=nginx --replicas=30');
  await c.run('kubectl expose deployment web --port=80');
  await c.run('kubectl run client --image=busybox --restart=Never -- sleep 3600');
  await c.run('sleep 40');
  const pods = (await c.run('kubectl get pods -A --no-headers | wc -l')).output.trim();
  await measure(`3-node cluster, ${pods} pods, after wget to a Service`, c, 'kubectl exec client -- wget -qO- web', 150);
}
