// Controllers are level-triggered: each pass reads the store and writes what
// differs from the desired state. `nextWake` tells the loop when a timer of
// the controller falls due (the kubelet's image pulls, back-offs...).
import type { World } from '../../sim/world';
import type { Api } from '../api/store';

export interface ControllerContext {
  world: World;
  /** the internal API (no hooks) */
  api: Api;
}

export interface Controller {
  name: string;
  /** one pass at api.now(): make the world closer to the desired state */
  reconcile(ctx: ControllerContext): void;
  /**
   * The resources whose changes alone can give this controller work ('*creates',
   * '*deletes': any creation / deletion). A pass is skipped when none was written
   * since the start of its last run. Absent: it runs every pass (time matters to it).
   */
  watches?: string[];
  /** earliest simulated ms > now at which this controller has something to do, or null */
  nextWake?(ctx: ControllerContext): number | null;
  /** once the loop is quiet (e.g. notify running programs of changes) */
  afterSettle?(ctx: ControllerContext): void;
}

/** In the order a pass runs them. Filled by ./index.ts. */
export const CONTROLLERS: Controller[] = [];

export function registerController(c: Controller): void {
  if (!CONTROLLERS.some((x) => x.name === c.name)) CONTROLLERS.push(c);
}
