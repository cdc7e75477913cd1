// systemd 252's systemctl for the services the simulation runs (kubelet,
// containerd): status, start, stop, restart, is-active, daemon-reload.
// Resource accounting (Tasks, Memory, CPU) and the journal excerpt of
// `status` are not modelled and not printed.
import { EPOCH_MS } from './bind-common';
import { unitDef, unitStart, unitState, unitStop, type UnitDef } from '../sim/systemd';
import type { CmdResult, NetCommand, Sys } from './types';
import { KUBERNETES_UNITS, loadKubernetes } from './k8s-lazy';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "Thu 2026-11-26 15:00:00 UTC" */
function stamp(ms: number): string {
  const d = new Date(EPOCH_MS + ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC`;
}

/** format_timestamp_relative: the two largest units ("3s ago", "5min 2s ago", "2h 3min ago", "1 day 2h ago"). */
function ago(ms: number): string {
  let s = Math.max(0, Math.floor(ms / 1000));
  const parts: [number, string][] = [
    [Math.floor(s / 86400), ' day'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'min'],
    [s % 60, 's'],
  ];
  s = 0;
  const out: string[] = [];
  for (const [n, u] of parts) {
    if (n === 0 && out.length === 0) continue;
    if (out.length === 2) break;
    if (n !== 0) out.push(u === ' day' ? `${n} day${n === 1 ? '' : 's'}` : `${n}${u}`);
    else if (out.length) break;
  }
  return `${out.length ? out.join(' ') : '0s'} ago`;
}

function status(sys: Sys, u: UnitDef): CmdResult {
  const st = unitState(sys.world, sys.host, u);
  const now = sys.world.now();
  const since = st.since ?? -2 * 86_400_000;
  let out = `${st.active ? '●' : '○'} ${u.name}.service - ${u.description}\n`;
  out += `     Loaded: loaded (${u.fragment}; enabled; preset: enabled)\n`;
  if (u.dropIns) {
    out += `    Drop-In: ${u.dropIns.dir}\n`;
    u.dropIns.files.forEach((f, i) => (out += `             ${i === u.dropIns!.files.length - 1 ? '└─' : '├─'}${f}\n`));
  }
  out += st.active ? `     Active: active (running) since ${stamp(since)}; ${ago(now - since)}\n` : `     Active: inactive (dead)${st.since !== null ? ` since ${stamp(since)}; ${ago(now - since)}` : ''}\n`;
  if (u.docs?.length) out += `       Docs: ${u.docs.join('\n             ')}\n`;
  if (st.active && st.main) {
    out += `   Main PID: ${st.main.pid} (${st.main.comm})\n`;
    const line = `             └─${st.main.pid} ${st.main.argv.join(' ')}`;
    out += `     CGroup: /system.slice/${u.name}.service\n${sys.tty ? line.slice(0, sys.columns) : line}\n`;
  }
  return { stdout: out, stderr: '', exitCode: st.active ? 0 : 3 };
}

export const systemctl: NetCommand = {
  name: 'systemctl',
  async run(args, _io, sys): Promise<CmdResult> {
    const words = args.filter((a) => !a.startsWith('-'));
    const verb = words[0] ?? 'list-units';
    const names = words.slice(1);
    if (verb === 'daemon-reload') return { stdout: '', stderr: '', exitCode: 0 };
    if (!['status', 'start', 'stop', 'restart', 'is-active', 'enable', 'is-enabled'].includes(verb)) return { stdout: '', stderr: `Unknown command verb '${verb}'.\n`, exitCode: 1 };
    if (!names.length && verb !== 'status') return { stdout: '', stderr: `Too few arguments.\n`, exitCode: 1 };
    // kubelet and containerd are the Kubernetes layer's units: it is loaded (once) before they are looked up
    if (names.some((n) => KUBERNETES_UNITS.includes(n.replace(/\.service$/, '')) && !unitDef(n))) await loadKubernetes('systemctl');
    let out = '';
    let err = '';
    let code = 0;
    for (const n of names) {
      const unit = n.endsWith('.service') ? n : `${n}.service`;
      const u = unitDef(n);
      if (verb === 'status') {
        if (!u) {
          err += `Unit ${unit} could not be found.\n`;
          code = 4;
          continue;
        }
        const r = status(sys, u);
        out += (out ? '\n' : '') + r.stdout;
        if (r.exitCode) code = r.exitCode;
        continue;
      }
      if (verb === 'is-active') {
        const active = !!u && unitState(sys.world, sys.host, u).active;
        out += active ? 'active\n' : 'inactive\n';
        if (!active) code = 3;
        continue;
      }
      // every modelled unit is enabled (status says so): enable changes nothing and prints nothing; --now starts it
      if (verb === 'is-enabled') {
        if (u) out += 'enabled\n';
        else {
          err += `Failed to get unit file state for ${unit}: No such file or directory\n`;
          code = 1;
        }
        continue;
      }
      if (verb === 'enable') {
        if (!u) {
          err += `Failed to enable unit: Unit file ${unit} does not exist.\n`;
          code = 1;
        } else if (args.includes('--now') && !unitState(sys.world, sys.host, u).active) unitStart(sys.world, sys.host, u);
        continue;
      }
      if (!u) {
        err += `Failed to ${verb} ${unit}: Unit ${unit} ${verb === 'stop' ? 'not loaded' : 'not found'}.\n`;
        code = 5;
        continue;
      }
      if (verb === 'stop' || verb === 'restart') unitStop(sys.world, sys.host, u);
      if (verb === 'start' || verb === 'restart') unitStart(sys.world, sys.host, u);
    }
    return { stdout: out, stderr: err, exitCode: code };
  },
};
