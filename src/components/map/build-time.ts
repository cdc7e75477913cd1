// Build time only (NetworkMapDiagram.astro's frontmatter): a scenario's
// network map, computed from its starting state by the same model and layout
// the live map uses (src/shell/map-view.ts), so a chapter's diagram can never
// disagree with its terminal.
import { Session } from '../../shell/session';
import { scenarios } from '../../labs/scenarios/index';
import { MapLayout, type MapView } from '../../shell/map-view';

const cache = new Map<string, Promise<MapView>>();

export function scenarioMap(scenario: string): Promise<MapView> {
  const def = scenarios[scenario];
  if (!def) throw new Error(`<NetworkMapDiagram scenario="${scenario}">: no such scenario`);
  let p = cache.get(scenario);
  if (!p) {
    p = Session.create({ scenario: def }).then((s) => new MapLayout().view(s.world, []));
    cache.set(scenario, p);
  }
  return p;
}
