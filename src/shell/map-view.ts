// The network map as the worker sends it to the page: the model of the
// session's World (src/sim/map-model.ts), laid out by dagre, with the last
// packet exchange's steps (their text and the elements each highlights).
// Loaded by the worker on the first map request only (its own chunk, with
// dagre).
//
// Stable layout: a box keeps the place it was given the first time it was
// drawn. dagre lays out the whole graph each time (a compound graph on a
// cluster: each node's boxes inside its frame); only boxes new since the
// last view take dagre's place for them, moved right past the drawing when
// that place is taken. A new box of a cluster's node (a pod) goes at the end
// of its row in that node's frame; what lies right of it moves right by the
// room it takes, in one block. So a new namespace or pod never reshuffles the
// others.
import { Graph, layout } from '@dagrejs/dagre';
import type { World } from '../sim/world';
import { buildMapModel, tracePath, type MapGroup, type MapLink, type MapModel, type MapNode } from '../sim/map-model';
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

/** A cluster's node: its frame around its boxes. */
export interface MapFrame extends MapGroup {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface MapView {
  boxes: MapBox[];
  lines: MapLine[];
  frames: MapFrame[];
  width: number;
  height: number;
  steps: MapStep[];
}

const CHAR = 7;
const LINE = 16;
const GAP = 40;
/** a frame's margin around its boxes, and the band at its top for its name */
const PAD = 10;
const HEAD = 20;

type Rect = { x: number; y: number; w: number; h: number };

/** the label as a box draws it */
export function boxLabel(n: Pick<MapNode, 'kind' | 'label'>): string {
  return `${n.label}${n.kind === 'bridge' ? ' (bridge)' : n.kind === 'pod' ? ' (pod)' : ''}`;
}

function sizeOf(n: MapNode): { w: number; h: number } {
  // the label's line holds the policy shield too
  const texts = [`${boxLabel(n)}${n.policies.length ? '    ' : ''}`, ...n.ifaces.map((i) => `${i.name} ${i.addrs.join(' ')} ${i.state}`), ...n.badges, ...(n.policies.length ? [`policy ${n.policies.join(', ')}`] : [])];
  const w = Math.max(120, Math.min(360, Math.max(...texts.map((t) => t.length)) * CHAR + 20));
  const h = 28 + LINE * (n.kind === 'bridge' ? n.ifaces.length : n.ifaces.length + n.badges.length + (n.policies.length ? 1 : 0));
  return { w, h: Math.max(h, 36) };
}

function overlaps(a: Rect, boxes: Iterable<Rect>, margin = 10): boolean {
  for (const b of boxes) if (a.x < b.x + b.w + margin && b.x < a.x + a.w + margin && a.y < b.y + b.h + margin && b.y < a.y + a.h + margin) return true;
  return false;
}

/** the frame around some boxes */
function frameOf(boxes: Rect[]): Rect {
  const x = Math.min(...boxes.map((b) => b.x)) - PAD;
  const y = Math.min(...boxes.map((b) => b.y)) - PAD - HEAD;
  return { x, y, w: Math.max(...boxes.map((b) => b.x + b.w)) + PAD - x, h: Math.max(...boxes.map((b) => b.y + b.h)) + PAD - y };
}

export class MapLayout {
  /** where each box was first placed (top-left), by id */
  private placed = new Map<string, { x: number; y: number }>();
  private db: NameDb | null = null;

  /** Does a new box sit on another, or (a frame's member) make its frame cover boxes or frames not its own. */
  private clashes(box: Rect, f: MapGroup | undefined, kept: Map<string, Rect>, groups: MapGroup[]): boolean {
    if (overlaps(box, kept.values())) return true;
    const own = new Set(f?.members ?? []);
    const outside = (id: string) => !own.has(id);
    const frame = f ? frameOf([box, ...f.members.filter((m) => kept.has(m)).map((m) => kept.get(m)!)]) : box;
    if (overlaps(frame, [...kept].filter(([id]) => outside(id)).map(([, b]) => b), 0)) return true;
    for (const o of groups) {
      if (o === f) continue;
      const ms = o.members.filter((m) => kept.has(m)).map((m) => kept.get(m)!);
      if (ms.length && overlaps(frame, [frameOf(ms)], 4)) return true;
    }
    return false;
  }

  /**
   * A new box of a node's frame: at the end of the row of its kind in that frame (the pods' row), and
   * everything right of it that is not in the frame moves right, in one block, by the room it takes.
   */
  private makeRoom(n: MapNode, box: Rect, f: MapGroup, kept: Map<string, Rect>, model: MapModel): boolean {
    const kinds = new Map(model.nodes.map((x) => [x.id, x.kind]));
    const members = f.members.filter((m) => kept.has(m)).map((m) => [m, kept.get(m)!] as const);
    if (!members.length) return false;
    const row = members.filter(([m]) => kinds.get(m) === n.kind).map(([, b]) => b);
    const ref = row.length ? row : [members.map(([, b]) => b).reduce((a, b) => (b.y < a.y ? b : a))];
    box.x = Math.max(...ref.map((b) => b.x + b.w)) + GAP;
    box.y = Math.min(...ref.map((b) => b.y));
    // the first kind of its row (a node's first bridge, say) goes right of the frame's members on that row
    for (let hit = members.find(([, b]) => overlaps(box, [b])); hit; hit = members.find(([, b]) => overlaps(box, [b]))) box.x = hit[1].x + hit[1].w + GAP;
    const cut = box.x - GAP / 2;
    const dx = box.w + GAP;
    const own = new Set(f.members);
    for (const [id, b] of kept) {
      if (own.has(id) || b.x < cut) continue;
      b.x += dx;
      this.placed.set(id, { x: b.x, y: b.y });
    }
    return !this.clashes(box, f, kept, model.groups);
  }

  view(world: World, steps: TraceStep[]): MapView {
    const model = buildMapModel(world, clusterView(world));
    const sizes = new Map(model.nodes.map((n) => [n.id, sizeOf(n)]));
    const fresh = model.nodes.filter((n) => !this.placed.has(n.id));
    if (fresh.length) {
      const g = new Graph({ compound: model.groups.length > 0 });
      g.setGraph({ rankdir: 'TB', nodesep: GAP, ranksep: GAP * 1.5, marginx: 10, marginy: 10 + HEAD });
      g.setDefaultEdgeLabel(() => ({}));
      for (const n of model.nodes) g.setNode(n.id, { width: sizes.get(n.id)!.w, height: sizes.get(n.id)!.h });
      for (const f of model.groups) {
        g.setNode(f.id, { paddingTop: PAD + HEAD });
        for (const m of f.members) g.setParent(m, f.id);
      }
      // namespaces above the bridge they plug into, the bridge above its host, hosts above their segment
      for (const l of model.links) {
        if (l.kind === 'bridge-local') g.setEdge(l.to, l.from);
        else if (l.kind === 'endpoint') g.setEdge(l.from, l.to);
        else if (l.kind !== 'vxlan') g.setEdge(l.from, l.to);
      }
      layout(g);
      const kept = new Map([...this.placed.entries()].filter(([id]) => sizes.has(id)).map(([id, p]) => [id, { ...p, ...sizes.get(id)! }]));
      const groupOf = new Map<string, MapGroup>();
      for (const f of model.groups) for (const m of f.members) groupOf.set(m, f);
      for (const n of fresh) {
        const d = g.node(n.id);
        const size = sizes.get(n.id)!;
        const box = { x: Math.round(d.x - size.w / 2), y: Math.round(d.y - size.h / 2), ...size };
        if (kept.size && this.clashes(box, groupOf.get(n.id), kept, model.groups)) {
          const f = groupOf.get(n.id);
          if (!f || !this.makeRoom(n, box, f, kept, model)) {
            box.x = Math.max(0, ...[...kept.values()].map((b) => b.x + b.w)) + GAP;
            while (overlaps(box, kept.values())) box.y += GAP;
          }
        }
        kept.set(n.id, box);
        this.placed.set(n.id, { x: box.x, y: box.y });
      }
    }
    const boxes: MapBox[] = model.nodes.map((n) => ({ ...n, ...this.placed.get(n.id)!, ...sizes.get(n.id)! }));
    const byId = new Map(boxes.map((b) => [b.id, b]));
    const frames: MapFrame[] = model.groups.map((f) => ({ ...f, ...frameOf(f.members.map((m) => byId.get(m)!)) }));
    const lines: MapLine[] = model.links.map((l) => {
      const a = byId.get(l.from)!;
      const b = byId.get(l.to)!;
      return { ...l, x1: a.x + a.w / 2, y1: a.y + a.h / 2, x2: b.x + b.w / 2, y2: b.y + b.h / 2 };
    });
    const width = Math.max(200, ...boxes.map((b) => b.x + b.w), ...frames.map((f) => f.x + f.w)) + 10;
    const height = Math.max(100, ...boxes.map((b) => b.y + b.h), ...frames.map((f) => f.y + f.h)) + 10;
    this.db ??= defaultNameDb();
    const texts = stepTexts(world, steps, this.db, nsLabelsOf(model));
    const path = tracePath(model, steps);
    return { boxes, lines, frames, width, height, steps: texts.map((t, i) => ({ ...t, ids: path[i] ?? [] })) };
  }
}
