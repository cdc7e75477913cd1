// The systemd journal of a node's services (kubelet, containerd): what
// systemd and the daemons wrote, with the simulated clock, read by
// journalctl. Plain data in the cluster state, bounded per host.
import type { World } from '../../sim/world';
import type { HostId } from '../../sim/types';
import { klogTime } from './images';

export interface JournalEntry {
  /** simulated ms */
  t: number;
  /** the unit it belongs to (without .service) */
  unit: string;
  /** SYSLOG_IDENTIFIER: systemd, kubelet, containerd */
  ident: string;
  pid: number;
  text: string;
}

const MAX_ENTRIES = 400;

function store(world: World): Record<string, JournalEntry[]> | null {
  const kube = world.state.kube as { runtime?: { journal?: Record<string, JournalEntry[]> } } | undefined;
  if (!kube) return null;
  kube.runtime ??= {};
  return (kube.runtime.journal ??= {});
}

/** The journal entries of a host, oldest first. */
export function journalOf(world: World, host: HostId): JournalEntry[] {
  return store(world)?.[host] ?? [];
}

export function journalAppend(world: World, host: HostId, e: JournalEntry): void {
  const s = store(world);
  if (!s) return;
  const list = (s[host] ??= []);
  list.push(e);
  if (list.length > MAX_ENTRIES) list.splice(0, list.length - MAX_ENTRIES);
}

/** A klog line as a daemon writes it to stderr (journald keeps it as the message). */
export function klogLine(t: number, pid: number, where: string, msg: string, level = 'I'): string {
  return `${klogTime(t, level)} ${String(pid).padStart(7)} ${where}] ${msg}`;
}

export interface UnitText {
  name: string;
  description: string;
}

/** What systemd writes when it starts a unit. */
export function journalStarted(world: World, host: HostId, u: UnitText, t: number): void {
  journalAppend(world, host, { t, unit: u.name, ident: 'systemd', pid: 1, text: `Started ${u.name}.service - ${u.description}.` });
}

/** What systemd writes when `systemctl stop` ends a unit whose main process exits on SIGTERM. */
export function stopLines(u: UnitText, t: number): JournalEntry[] {
  return [
    { t, unit: u.name, ident: 'systemd', pid: 1, text: `Stopping ${u.name}.service - ${u.description}...` },
    { t, unit: u.name, ident: 'systemd', pid: 1, text: `${u.name}.service: Deactivated successfully.` },
    { t, unit: u.name, ident: 'systemd', pid: 1, text: `Stopped ${u.name}.service - ${u.description}.` },
  ];
}
