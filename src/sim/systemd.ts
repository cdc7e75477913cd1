// systemd services of a host, as far as the simulation has them: a unit is
// active while its main process (by comm) runs. The layer that owns a
// service registers how to start it (src/k8s registers kubelet and
// containerd); `systemctl` (src/commands) starts, stops and shows units.
import { killProcess } from './process';
import type { HostId, Process } from './types';
import type { World } from './world';

export interface UnitDef {
  /** without .service */
  name: string;
  description: string;
  /** the unit file (Loaded: line) */
  fragment: string;
  /** drop-in directory and files */
  dropIns?: { dir: string; files: string[] };
  docs?: string[];
  /** the main process's comm */
  comm: string;
  /** start the service's main process on a host */
  start(world: World, host: HostId): Process;
}

const units = new Map<string, UnitDef>();

export function registerUnit(u: UnitDef): void {
  units.set(u.name, u);
}

/** A unit by name (`kubelet`, `kubelet.service`), or null. */
export function unitDef(name: string): UnitDef | null {
  return units.get(name.replace(/\.service$/, '')) ?? null;
}

export interface UnitState {
  active: boolean;
  main: Process | null;
  /** simulated ms of the last state change (null: since before the simulation) */
  since: number | null;
}

export function unitState(world: World, host: HostId, u: UnitDef): UnitState {
  const h = world.host(host);
  const main = h.processes.filter((p) => p.comm === u.comm).sort((a, b) => a.pid - b.pid)[0] ?? null;
  if (main) return { active: true, main, since: main.started ?? null };
  return { active: false, main: null, since: h.unitsStopped?.[u.name]?.at ?? null };
}

/** systemctl stop: the main process (and every process of that comm) ends. */
export function unitStop(world: World, host: HostId, u: UnitDef): void {
  const h = world.host(host);
  const procs = h.processes.filter((p) => p.comm === u.comm);
  if (!procs.length) return;
  (h.unitsStopped ??= {})[u.name] = { at: world.now(), pid: procs[0]!.pid };
  for (const p of procs) killProcess(world, host, p.pid);
}

/** systemctl start (no-op when active). */
export function unitStart(world: World, host: HostId, u: UnitDef): void {
  if (unitState(world, host, u).active) return;
  u.start(world, host);
  const h = world.host(host);
  if (h.unitsStopped) delete h.unitsStopped[u.name];
}
