// The network map beside a terminal (issue 16): the worker's MapView drawn
// as SVG (boxes for hosts, namespaces, pods, bridges, segments and Services;
// lines for veths, bridge ports, cables, VXLAN overlays and endpoints), the
// same graph as a text outline for screen readers, and the last packet
// exchange as a step list the learner walks with the keyboard, each step
// highlighting where it happened. Loaded only when the learner opens the map
// (a lazy chunk of boot.ts). Everything is built with DOM calls and
// textContent: no text from the worker reaches innerHTML.
import { boxLabel, type MapBox, type MapFrame, type MapLine, type MapView } from '../../shell/map-view';

const SVG = 'http://www.w3.org/2000/svg';

interface MapSource {
  map(): Promise<MapView | null>;
  changeListeners: Set<() => void>;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

const KIND_NAMES: Record<string, string> = { host: 'host', netns: 'namespace', pod: 'pod', bridge: 'bridge', segment: 'network', service: 'Service' };
const LINK_NAMES: Record<string, string> = { veth: 'veth pair', 'bridge-local': "the bridge's own interface", segment: 'cable', vxlan: 'VXLAN overlay', endpoint: 'endpoint' };

export class MapPanel {
  readonly root: HTMLElement;
  private readonly status: HTMLElement;
  private readonly drawing: HTMLElement;
  private readonly outline: HTMLElement;
  private readonly stepList: HTMLOListElement;
  private readonly prevBtn: HTMLButtonElement;
  private readonly nextBtn: HTMLButtonElement;
  private readonly routesBtn: HTMLButtonElement;
  private readonly fitBtn: HTMLButtonElement;
  private view: MapView | null = null;
  private current = -1;
  private showRoutes = false;
  private seq = 0;
  private readonly listener = () => void this.refresh();

  constructor(
    private readonly source: MapSource,
    label: string,
  ) {
    this.root = el('section', 'nm');
    this.root.setAttribute('aria-label', `Network map: ${label}`);
    const tools = el('div', 'nm-tools');
    this.routesBtn = el('button', 'nt-btn', 'Show routes');
    this.routesBtn.type = 'button';
    this.routesBtn.setAttribute('aria-pressed', 'false');
    this.routesBtn.addEventListener('click', () => {
      this.showRoutes = !this.showRoutes;
      this.routesBtn.setAttribute('aria-pressed', String(this.showRoutes));
      this.render();
    });
    // the whole drawing scaled into the panel's width (an overview; unscaled, it scrolls)
    this.fitBtn = el('button', 'nt-btn', 'Fit the drawing');
    this.fitBtn.type = 'button';
    this.fitBtn.setAttribute('aria-pressed', 'false');
    this.fitBtn.addEventListener('click', () => {
      const on = this.fitBtn.getAttribute('aria-pressed') !== 'true';
      this.fitBtn.setAttribute('aria-pressed', String(on));
      this.drawing.classList.toggle('nm-fit', on);
    });
    this.status = el('span', 'nm-status');
    this.status.setAttribute('role', 'status');
    tools.append(this.routesBtn, this.fitBtn, this.status);
    this.drawing = el('div', 'nm-drawing');
    // it scrolls: reachable by keyboard (arrow keys scroll it once focused)
    this.drawing.tabIndex = 0;
    this.drawing.setAttribute('role', 'group');
    this.drawing.setAttribute('aria-label', 'Map drawing (scrollable); the text outline below lists the same');
    const stepsBox = el('div', 'nm-steps');
    const h = el('h3', 'nm-h', 'Last packet exchange');
    const nav = el('div', 'nm-nav');
    this.prevBtn = el('button', 'nt-btn', 'Previous step');
    this.nextBtn = el('button', 'nt-btn', 'Next step');
    for (const b of [this.prevBtn, this.nextBtn]) b.type = 'button';
    this.prevBtn.addEventListener('click', () => this.go(this.current - 1));
    this.nextBtn.addEventListener('click', () => this.go(this.current + 1));
    nav.append(this.prevBtn, this.nextBtn);
    this.stepList = el('ol', 'nm-step-list');
    this.stepList.tabIndex = 0;
    this.stepList.setAttribute('aria-label', 'Steps: arrow keys move, Home and End jump');
    this.stepList.addEventListener('keydown', (ev) => {
      const to = ev.key === 'ArrowDown' || ev.key === 'ArrowRight' ? this.current + 1 : ev.key === 'ArrowUp' || ev.key === 'ArrowLeft' ? this.current - 1 : ev.key === 'Home' ? 0 : ev.key === 'End' ? (this.view?.steps.length ?? 0) - 1 : null;
      if (to === null) return;
      ev.preventDefault();
      this.go(to);
    });
    stepsBox.append(h, nav, this.stepList);
    const outlineBox = el('details', 'nm-outline');
    outlineBox.append(el('summary', undefined, 'Text outline of the map'));
    this.outline = el('div');
    outlineBox.append(this.outline);
    this.root.append(tools, this.drawing, stepsBox, outlineBox);
    source.changeListeners.add(this.listener);
  }

  destroy(): void {
    this.source.changeListeners.delete(this.listener);
    this.root.remove();
  }

  async refresh(): Promise<void> {
    const n = ++this.seq;
    this.status.textContent = 'Updating the map…';
    const v = await this.source.map();
    if (n !== this.seq) return;
    this.view = v;
    this.current = v && v.steps.length ? 0 : -1;
    this.render();
    this.status.textContent = v ? `${v.boxes.length} boxes, ${v.lines.length} links${v.steps.length ? `, ${v.steps.length} steps in the last packet exchange` : ''}` : 'No map yet.';
    this.root.dataset.ready = String(n);
  }

  private go(i: number): void {
    const v = this.view;
    if (!v || v.steps.length === 0) return;
    this.current = Math.max(0, Math.min(v.steps.length - 1, i));
    this.highlight();
  }

  private render(): void {
    const v = this.view;
    this.drawing.replaceChildren();
    this.outline.replaceChildren();
    this.stepList.replaceChildren();
    if (!v) return;
    this.drawing.append(mapSvg(v));
    this.outline.append(mapOutline(v, this.showRoutes));
    v.steps.forEach((s, i) => {
      const li = el('li', 'nm-step');
      li.dataset.index = String(i);
      li.append(el('span', 'nm-where', s.where), ' ', el('span', 'nm-what', s.what), ' ', el('span', 'nm-text', s.text));
      li.addEventListener('click', () => this.go(i));
      this.stepList.append(li);
    });
    if (v.steps.length === 0) this.stepList.append(el('li', 'nm-none', 'No packet was sent by the last command.'));
    this.highlight();
  }

  private highlight(): void {
    const v = this.view;
    markPath(this.drawing, v, this.current);
    for (const li of this.stepList.querySelectorAll<HTMLElement>('li.nm-step')) {
      const on = Number(li.dataset.index) === this.current;
      if (on) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
    }
    this.prevBtn.disabled = this.current <= 0;
    this.nextBtn.disabled = !v || this.current < 0 || this.current >= v.steps.length - 1;
    this.stepList.querySelector('[aria-current]')?.scrollIntoView?.({ block: 'nearest' });
  }
}

/** Light the last exchange's path in a drawing, and the current step's elements (-1: none). */
export function markPath(root: Element, v: MapView | null, current: number): void {
  const all = new Set(v?.steps.flatMap((s) => s.ids) ?? []);
  const hot = new Set(v && current >= 0 ? v.steps[current]!.ids : []);
  for (const e of root.querySelectorAll<SVGElement>('[data-id]')) {
    const id = e.dataset.id!;
    e.classList.toggle('nm-path', all.has(id));
    e.classList.toggle('nm-hot', hot.has(id));
  }
}

/** The map as SVG: frames, then links, then boxes; each box and link carries its id (data-id). */
export function mapSvg(v: MapView): SVGSVGElement {
  const s = svg('svg', { viewBox: `0 0 ${v.width} ${v.height}`, width: v.width, height: v.height, role: 'img', class: 'nm-svg' });
  s.setAttribute('aria-label', `Network map with ${v.boxes.length} boxes and ${v.lines.length} links; the text outline below lists them.`);
  for (const f of v.frames) s.append(frameSvg(f));
  for (const l of v.lines) s.append(lineSvg(l));
  for (const b of v.boxes) s.append(boxSvg(b));
  return s;
}

/** a cluster's node: a frame behind its boxes, named at its top */
function frameSvg(f: MapFrame): SVGGElement {
  const g = svg('g', { class: 'nm-frame', transform: `translate(${f.x},${f.y})` });
  g.dataset.frame = f.id;
  g.append(svg('rect', { width: f.w, height: f.h, rx: 8 }));
  const t = svg('text', { x: 8, y: 15, class: 'nm-frame-label' });
  t.textContent = `node ${f.label}`;
  g.append(t);
  return g;
}

function lineSvg(l: MapLine): SVGGElement {
  const g = svg('g', { class: `nm-link nm-${l.kind}${l.down ? ' nm-down' : ''}` });
  g.dataset.id = l.id;
  g.append(svg('line', { x1: l.x1, y1: l.y1, x2: l.x2, y2: l.y2 }));
  const t = svg('title', {});
  t.textContent = `${LINK_NAMES[l.kind] ?? l.kind}: ${l.label}${l.down ? ' (down)' : ''}`;
  g.append(t);
  return g;
}

function boxSvg(b: MapBox): SVGGElement {
  const g = svg('g', { class: `nm-box nm-${b.kind}${b.down ? ' nm-down' : ''}`, transform: `translate(${b.x},${b.y})` });
  g.dataset.id = b.id;
  g.append(svg('rect', { width: b.w, height: b.h, rx: b.kind === 'service' ? 14 : 4 }));
  const title = svg('title', {});
  title.textContent = [`${KIND_NAMES[b.kind] ?? b.kind} ${b.label}`, ...b.routes.map((r) => `route ${r}`)].join('\n');
  g.append(title);
  const label = svg('text', { x: 8, y: 18, class: 'nm-label' });
  label.textContent = boxLabel(b);
  g.append(label);
  if (b.policies.length) {
    // a shield at the top right: the NetworkPolicies that select this pod
    const shield = svg('g', { class: 'nm-shield', transform: `translate(${b.w - 22},4)` });
    shield.append(svg('path', { d: 'M8 0 L16 3 V8 C16 13 12 16.5 8 18 C4 16.5 0 13 0 8 V3 Z' }));
    const st = svg('title', {});
    st.textContent = `NetworkPolicy: ${b.policies.join(', ')}`;
    shield.append(st);
    g.append(shield);
  }
  let y = 34;
  for (const i of b.ifaces) {
    const t = svg('text', { x: 8, y, class: `nm-if${i.state === 'DOWN' ? ' nm-if-down' : ''}` });
    t.textContent = `${i.name}${i.addrs.length ? ` ${i.addrs.join(' ')}` : ''}${i.state === 'DOWN' || i.state === 'NO-CARRIER' || i.state === 'LOWERLAYERDOWN' ? ` ${i.state}` : ''}`;
    g.append(t);
    y += 16;
  }
  if (b.policies.length) {
    const t = svg('text', { x: 8, y, class: 'nm-policy' });
    t.textContent = `policy ${b.policies.join(', ')}`;
    g.append(t);
    y += 16;
  }
  if (b.kind !== 'bridge') {
    for (const badge of b.badges) {
      const t = svg('text', { x: 8, y, class: 'nm-badge' });
      t.textContent = badge;
      g.append(t);
      y += 16;
    }
  }
  return g;
}

/** The text alternative: the same boxes and links as lists (with each namespace's routes when asked). */
export function mapOutline(v: MapView, showRoutes: boolean): HTMLElement {
  const wrap = el('div');
  wrap.append(el('h3', 'nm-h', `Boxes (${v.boxes.length})`));
  const boxes = el('ul', 'nm-outline-boxes');
  for (const b of v.boxes) {
    const li = el('li');
    li.dataset.id = b.id;
    li.append(el('span', undefined, `${KIND_NAMES[b.kind] ?? b.kind} ${b.label}${b.down ? ' (down)' : ''}`));
    const parts: string[] = [...b.ifaces.map((i) => `${i.name}${i.addrs.length ? ` ${i.addrs.join(', ')}` : ''} (${i.state})`), ...b.badges, ...b.policies.map((p) => `shielded by NetworkPolicy ${p}`)];
    if (showRoutes) parts.push(...b.routes.map((r) => `route ${r}`));
    if (parts.length) {
      const ul = el('ul');
      for (const p of parts) ul.append(el('li', undefined, p));
      li.append(ul);
    }
    boxes.append(li);
  }
  wrap.append(boxes, el('h3', 'nm-h', `Links (${v.lines.length})`));
  const links = el('ul', 'nm-outline-links');
  const name = new Map(v.boxes.map((b) => [b.id, b.label]));
  for (const l of v.lines) {
    const li = el('li', undefined, `${LINK_NAMES[l.kind] ?? l.kind} ${l.label}: ${name.get(l.from) ?? l.from} to ${name.get(l.to) ?? l.to}${l.down ? ' (down)' : ''}`);
    li.dataset.id = l.id;
    links.append(li);
  }
  wrap.append(links);
  if (v.frames.length) {
    // a cluster's nodes, as the frames group the boxes
    wrap.append(el('h3', 'nm-h', `Nodes (${v.frames.length})`));
    const nodes = el('ul', 'nm-outline-nodes');
    for (const f of v.frames) nodes.append(el('li', undefined, `node ${f.label}: ${f.members.map((m) => name.get(m) ?? m).join(', ')}`));
    wrap.append(nodes);
  }
  return wrap;
}

/** Open or close the map of a terminal element; the panel goes into its `.nt-map` slot. */
export function toggleMap(host: HTMLElement, source: MapSource, button: HTMLButtonElement | null): MapPanel | null {
  const slot = host.querySelector<HTMLElement>('.nt-map');
  if (!slot) return null;
  const existing = (host as unknown as { netlabMap?: MapPanel }).netlabMap;
  if (existing) {
    existing.destroy();
    delete (host as unknown as { netlabMap?: MapPanel }).netlabMap;
    slot.hidden = true;
    host.removeAttribute('data-map');
    button?.setAttribute('aria-pressed', 'false');
    return null;
  }
  const label = host.querySelector<HTMLElement>('.nt-title')?.textContent ?? 'terminal';
  const panel = new MapPanel(source, label);
  (host as unknown as { netlabMap?: MapPanel }).netlabMap = panel;
  slot.replaceChildren(panel.root);
  slot.hidden = false;
  host.setAttribute('data-map', '');
  button?.setAttribute('aria-pressed', 'true');
  void panel.refresh();
  return panel;
}

/**
 * A chapter's map diagram comes alive (NetworkMapDiagram.astro): once the terminal of its scenario is
 * live, the build-time drawing and its text alternative are replaced by the terminal's map, drawn again
 * after each command, with the last packet exchange's path lit.
 */
export function liveFigure(fig: HTMLElement, source: MapSource): void {
  let seq = 0;
  const draw = async () => {
    const n = ++seq;
    const v = await source.map();
    if (n !== seq || !v) return;
    const drawing = mapSvg(v);
    drawing.setAttribute('aria-label', `The terminal's network, live: ${v.boxes.length} boxes and ${v.lines.length} links, listed in the text alternative.`);
    markPath(drawing, v, -1);
    fig.querySelector('svg')?.replaceWith(drawing);
    const text = fig.querySelector('details');
    if (text) text.replaceChildren(el('summary', undefined, 'Diagram as text'), mapOutline(v, false));
    fig.dataset.live = String(n);
  };
  source.changeListeners.add(() => void draw());
  void draw();
}
