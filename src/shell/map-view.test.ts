// The map's layout (map-view.ts): stable from one command to the next, and on
// a cluster each node's boxes inside its frame, frames apart, no box on another.
import { describe, expect, it } from 'vitest';
import { Session } from './session';
import { getScenario } from '../labs/scenarios/index';
import { MapLayout, type MapView } from './map-view';

type R = { x: number; y: number; w: number; h: number };
const meet = (a: R, b: R) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const inside = (a: R, f: R) => a.x >= f.x && a.y >= f.y && a.x + a.w <= f.x + f.w && a.y + a.h <= f.y + f.h;

function checkDrawing(v: MapView): void {
  for (const [i, a] of v.boxes.entries()) for (const b of v.boxes.slice(i + 1)) expect(meet(a, b), `${a.id} on ${b.id}`).toBe(false);
  for (const [i, f] of v.frames.entries()) {
    for (const g of v.frames.slice(i + 1)) expect(meet(f, g), `${f.id} on ${g.id}`).toBe(false);
    for (const b of v.boxes) expect(f.members.includes(b.id) ? inside(b, f) : meet(b, f), `${b.id} and ${f.id}`).toBe(f.members.includes(b.id));
  }
}

const pod = (name: string, node: string, image: string, cmd = '') =>
  `echo '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"${name}","labels":{"app":"${name}"}},"spec":{"nodeName":"${node}","containers":[{"name":"${name}","image":"${image}"${cmd}}]}}' | kubectl apply -f -`;

describe('the map layout', () => {
  it('the namespace lab: no frames; a new namespace leaves every box where it was', async () => {
    const s = await Session.create({ scenario: getScenario('netns-lab-solved'), seed: 1 });
    const lay = new MapLayout();
    const a = lay.view(s.world, []);
    expect(a.frames).toEqual([]);
    checkDrawing(a);
    await s.run('ip netns add purple');
    const b = lay.view(s.world, []);
    checkDrawing(b);
    for (const x of a.boxes) expect(b.boxes.find((y) => y.id === x.id), x.id).toMatchObject({ x: x.x, y: x.y });
    expect(b.boxes.some((y) => y.label === 'purple')).toBe(true);
  });

  it('a cluster: one frame per node (not the lab KVM host) around its host, bridge and pods; new pods join their node, nothing reshuffles', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-cluster'), host: 'controlplane', seed: 1 });
    const lay = new MapLayout();
    const a = lay.view(s.world, []);
    expect(a.frames.map((f) => f.label).sort()).toEqual(['controlplane', 'node01']);
    checkDrawing(a);
    for (const p of a.boxes.filter((b) => b.kind === 'pod')) {
      const f = a.frames.find((x) => x.members.includes(p.id))!;
      expect(f.label, p.label).toBe(p.group);
    }
    for (const [name, node] of [['web', 'node01'], ['client', 'controlplane'], ['web2', 'node01'], ['web3', 'controlplane']] as const) {
      expect((await s.run(pod(name, node, name === 'client' ? 'busybox' : 'nginx', name === 'client' ? ',"command":["sleep","3600"]' : ''))).exitCode).toBe(0);
    }
    await s.run('kubectl expose pod web --port=80');
    await s.run('sleep 30');
    const b = lay.view(s.world, []);
    checkDrawing(b);
    for (const [name, node] of [['web', 'node01'], ['client', 'controlplane'], ['web2', 'node01'], ['web3', 'controlplane']]) {
      const box = b.boxes.find((x) => x.kind === 'pod' && x.label === name)!;
      expect(b.frames.find((f) => f.members.includes(box.id))!.label, name).toBe(node);
    }
    // the old boxes: same rows, same left-to-right order (a block may have moved right to make room)
    const old = a.boxes.map((x) => [x, b.boxes.find((y) => y.id === x.id)!] as const);
    for (const [x, y] of old) expect(y.y, x.id).toBe(x.y);
    for (const [x1, y1] of old) for (const [x2, y2] of old) if (x1.x < x2.x) expect(y1.x, `${x1.id} left of ${x2.id}`).toBeLessThan(y2.x);
  });
});
