// The network map as the worker sends it to the page: the model of the
// session's World (src/sim/map-model.ts), laid out by dagre, with the last
// packet exchange's steps (their text and the elements each highlights).
// Loaded by the worker on the first map request only (its own chunk, with
// dagre).
//
// Stable layout: a box keeps the place it was given the first time it was
// drawn. dagre lays out the whole graph each time; only boxes new since the
// last view take dagre's place for them, moved right past the drawing when
// that place is taken. So a new namespace never reshuffles the others.
import { Graph, layout } from '@dagrejs/dagre';
import type { World } from '../sim/world';
import { buildMapModel, tracePath, type MapLink, type MapNode } from '../sim/map-model';
import type { TraceStep } from '../sim/trace';
import { clusterView } from '../commands/netlab/cluster-view';
import { nsLabelsOf, stepTexts } from '../commands/netlab/steps';
import { defaultNameDb, type NameDb } from '../commands/iptables/names';

export interface MapBox extends MapNode {
  /** top-left corner and size, px */
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface MapLine extends MapLink {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface MapStep {
  where: string;
  what: string;
  text: string;
  /** the boxes and lines this step highlights */
  ids: string[];
}

export interface MapView {
  boxes: MapBox[];
  lines: MapLine[];
  width: number;
  height: number;
  steps: MapStep[];
}

const CHAR = 7;
const LINE = 16;
const GAP = 40;

function sizeOf(n: MapNode): { w: number; h: number } {
  const texts = [n.label, ...n.ifaces.map((i) => `${i.name} ${i.addrs.join(' ')} ${i.state}`), ...n.badges];
  const w = Math.max(120, Math.min(360, Math.max(...texts.map((t) => t.length)) * CHAR + 20));
  const h = 28 + LINE * (n.kind === 'bridge' ? n.ifaces.length : n.ifaces.length + n.badges.length);
  return { w, h: Math.max(h, 36) };
}

function overlaps(a: { x: number; y: number; w: number; h: number }, boxes: Iterable<{ x: number; y: number; w: number; h: number }>): boolean {
  for (const b of boxes) if (a.x < b.x + b.w + 10 && b.x < a.x + a.w + 10 && a.y < b.y + b.h + 10 && b.y < a.y + a.h + 10) return true;
  return false;
}

export class MapLayout {
  /** where each box was first placed (top-left), by id */
  private placed = new Map<string, { x: number; y: number }>();
  private db: NameDb | null = null;

  view(world: World, steps: TraceStep[]): MapView {
    const model = buildMapModel(world, clusterView(world));
    const sizes = new Map(model.nodes.map((n) => [n.id, sizeOf(n)]));
    const fresh = model.nodes.filter((n) => !this.placed.has(n.id));
    if (fresh.length) {
      const g = new Graph();
      g.setGraph({ rankdir: 'TB', nodesep: GAP, ranksep: GAP * 1.5, marginx: 10, marginy: 10 });
      g.setDefaultEdgeLabel(() => ({}));
      for (const n of model.nodes) g.setNode(n.id, { width: sizes.get(n.id)!.w, height: sizes.get(n.id)!.h });
      // namespaces above the bridge they plug into, the bridge above its host, hosts above their segment
      for (const l of model.links) {
        if (l.kind === 'bridge-local') g.setEdge(l.to, l.from);
        else if (l.kind === 'endpoint') g.setEdge(l.from, l.to);
        else if (l.kind !== 'vxlan') g.setEdge(l.from, l.to);
      }
      layout(g);
      const kept = [...this.placed.entries()].filter(([id]) => sizes.has(id)).map(([id, p]) => ({ ...p, ...sizes.get(id)! }));
      let right = Math.max(0, ...kept.map((b) => b.x + b.w));
      for (const n of fresh) {
        const d = g.node(n.id);
        const s = sizes.get(n.id)!;
        const box = { x: Math.round(d.x - s.w / 2), y: Math.round(d.y - s.h / 2), ...s };
        if (kept.length && overlaps(box, kept)) {
          box.x = right + GAP;
          while (overlaps(box, kept)) box.y += GAP;
        }
        right = Math.max(right, box.x + box.w);
        kept.push(box);
        this.placed.set(n.id, { x: box.x, y: box.y });
      }
    }
    const boxes: MapBox[] = model.nodes.map((n) => ({ ...n, ...this.placed.get(n.id)!, ...sizes.get(n.id)! }));
    const byId = new Map(boxes.map((b) => [b.id, b]));
    const lines: MapLine[] = model.links.map((l) => {
      const a = byId.get(l.from)!;
      const b = byId.get(l.to)!;
      return { ...l, x1: a.x + a.w / 2, y1: a.y + a.h / 2, x2: b.x + b.w / 2, y2: b.y + b.h / 2 };
    });
    const width = Math.max(200, ...boxes.map((b) => b.x + b.w)) + 10;
    const height = Math.max(100, ...boxes.map((b) => b.y + b.h)) + 10;
    this.db ??= defaultNameDb();
    const texts = stepTexts(world, steps, this.db, nsLabelsOf(model));
    const path = tracePath(model, steps);
    return { boxes, lines, width, height, steps: texts.map((t, i) => ({ ...t, ids: path[i] ?? [] })) };
  }
}
