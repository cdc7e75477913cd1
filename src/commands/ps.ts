// procps-ng 4.0.2 `ps`: the process table of the host (every namespace: a
// pid namespace is not modelled), in the forms people type: `ps -ef`
// (UNIX full format), `ps aux` (BSD user format), `ps -e`/`ps ax`/`ps` (the
// short forms). CPU time and memory are not modelled: TIME 00:00:00, %CPU
// and %MEM 0.0, VSZ and RSS from the program's usual size.
import { EPOCH_MS } from './bind-common';
import { listProcesses } from '../sim/process';
import type { Process } from '../sim/types';
import type { CmdResult, NetCommand, Sys } from './types';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** STIME/START: HH:MM when it started within the last 24 hours, else MonDD. */
function stime(p: Process, now: number): string {
  const t = EPOCH_MS + (p.started ?? -2 * 86_400_000);
  const d = new Date(t);
  if (EPOCH_MS + now - t < 86_400_000) return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return `${MONTHS[d.getUTCMonth()]}${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** The command line as /proc/PID/cmdline gives it (argv joined by spaces). */
function cmdline(p: Process): string {
  return p.argv.join(' ');
}

/** Typical sizes (KiB) of the programs the simulation runs: [VSZ, RSS]. */
function sizes(p: Process): [number, number] {
  const known: Record<string, [number, number]> = {
    kubelet: [2_110_228, 98_764],
    containerd: [1_944_556, 52_180],
    'kube-apiserver': [1_536_104, 312_480],
    etcd: [11_214_244, 61_120],
    'kube-controller': [1_293_960, 58_844],
    'kube-scheduler': [1_284_752, 26_316],
    'kube-proxy': [1_285_352, 24_536],
    flanneld: [1_346_812, 22_732],
    coredns: [1_281_964, 24_152],
    sshd: [15_432, 9_088],
    dnsmasq: [12_544, 2_512],
  };
  return known[p.comm] ?? [8_324, 3_216];
}

function pad(s: string, w: number, left = false): string {
  return left ? s.padEnd(w) : s.padStart(w);
}

/** procps sizes the PID columns to the digits of kernel.pid_max (32768 on a 2-CPU machine: 5). */
function pidWidth(sys: Sys): number {
  const max = sys.readFile('/proc/sys/kernel/pid_max');
  return Math.max(3, (max?.trim() || '32768').length);
}

function fullFormat(sys: Sys, ps: Process[], cols: number): string {
  const now = sys.world.now();
  const w = pidWidth(sys);
  let out = `UID      ${pad('PID', w)} ${pad('PPID', w)}  C STIME TTY          TIME CMD\n`;
  for (const p of ps) {
    const line = `${pad('root', 8, true)} ${pad(String(p.pid), w)} ${pad(String(p.ppid ?? 1), w)} ${pad('0', 2)} ${pad(stime(p, now), 5)} ${pad('?', 8, true)} 00:00:00 ${cmdline(p)}`;
    out += (cols > 0 ? line.slice(0, cols) : line) + '\n';
  }
  return out;
}

function userFormat(sys: Sys, ps: Process[], cols: number): string {
  const now = sys.world.now();
  const w = pidWidth(sys);
  let out = `USER     ${pad('PID', w)} %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n`;
  for (const p of ps) {
    const [vsz, rss] = sizes(p);
    const line = `${pad('root', 8, true)} ${pad(String(p.pid), w)}  0.0  0.0 ${pad(String(vsz), 6)} ${pad(String(rss), 5)} ${pad('?', 8, true)} ${pad('Ssl', 4, true)} ${pad(stime(p, now), 5)}   0:00 ${cmdline(p)}`;
    out += (cols > 0 ? line.slice(0, cols) : line) + '\n';
  }
  return out;
}

function shortFormat(sys: Sys, ps: Process[]): string {
  const w = pidWidth(sys);
  let out = `${pad('PID', w)} TTY          TIME CMD\n`;
  for (const p of ps) out += `${pad(String(p.pid), w)} ${pad('?', 8, true)} 00:00:00 ${p.comm}\n`;
  return out;
}

export const ps: NetCommand = {
  name: 'ps',
  async run(args, _io, sys): Promise<CmdResult> {
    if (args.includes('--version') || args.includes('-V') || args.includes('V')) return { stdout: 'ps from procps-ng 4.0.2\n', stderr: '', exitCode: 0 };
    let all = false;
    let full = false;
    let user = false;
    let wide = 0;
    for (const a of args) {
      if (a.startsWith('-')) {
        for (const c of a.slice(1)) {
          if (c === 'e' || c === 'A') all = true;
          else if (c === 'f') full = true;
          else if (c === 'w') wide++;
          else return { stdout: '', stderr: `error: unsupported SysV option\n\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n`, exitCode: 1 };
        }
      } else {
        for (const c of a) {
          if (c === 'a' || c === 'x') all = true;
          else if (c === 'u') user = true;
          else if (c === 'w') wide++;
          else return { stdout: '', stderr: `error: unsupported option (BSD syntax)\n\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n`, exitCode: 1 };
        }
      }
    }
    const list = listProcesses(sys.world, sys.host);
    // on a terminal ps cuts lines at its width (w once: 132, twice: unlimited); in a pipe it does not
    const cols = !sys.tty || wide >= 2 ? 0 : wide === 1 ? Math.max(132, sys.columns) : sys.columns;
    if (user) return { stdout: userFormat(sys, list, cols), stderr: '', exitCode: 0 };
    if (full) return { stdout: fullFormat(sys, all ? list : [], cols), stderr: '', exitCode: 0 };
    return { stdout: shortFormat(sys, all ? list : []), stderr: '', exitCode: 0 };
  },
};
