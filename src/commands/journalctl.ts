// journalctl (systemd 252) over a node's journal (src/k8s/runtime/journal.ts):
// -u/--unit (repeatable), -n/--lines, --no-pager, -q, -x, -b, -e, -o short
// (the default): `Nov 26 15:00:00 node01 kubelet[4321]: message`, in the
// simulated clock. A unit that is stopped right now ends with systemd's
// Stopping/Deactivated/Stopped lines. -f/--follow is refused (the terminal
// has no stream to follow).
import { HTTP_EPOCH_MS } from '../sim/http';
import { unitDef } from '../sim/systemd';
import { journalOf, stopLines, type JournalEntry } from '../k8s/runtime/journal';
import type { CmdResult, NetCommand, Sys } from './types';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

function shortTime(ms: number): string {
  const d = new Date(HTTP_EPOCH_MS + ms);
  return `${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

function entries(sys: Sys): JournalEntry[] {
  const list = [...journalOf(sys.world, sys.host)];
  // a unit stopped now: systemd's lines of that stop (a later start writes them into the journal itself)
  const stopped = sys.world.host(sys.host).unitsStopped ?? {};
  for (const [name, s] of Object.entries(stopped)) {
    const u = unitDef(name);
    if (u && !list.some((e) => e.unit === name && e.t === s.at && e.text.startsWith('Stopped '))) list.push(...stopLines(u, s.at));
  }
  return list.sort((a, b) => a.t - b.t);
}

function usageError(msg: string): CmdResult {
  return { stdout: '', stderr: msg, exitCode: 1 };
}

async function run(args: string[], sys: Sys): Promise<CmdResult> {
  const units: string[] = [];
  let lines: number | null = null;
  let end = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const val = (name: string): string | null => {
      if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
      return args[++i] ?? null;
    };
    if (a === '-f' || a === '--follow') return usageError('journalctl: --follow is not available in this terminal (nothing streams here); use journalctl -u UNIT -n N to see the latest lines\n');
    if (a === '-u' || a === '--unit' || a.startsWith('--unit=') || (a.startsWith('-u') && a.length > 2)) {
      const v = a.startsWith('-u') && a.length > 2 ? a.slice(2) : val('unit');
      if (v === null) return usageError("journalctl: option requires an argument -- 'u'\n");
      units.push(v.replace(/\.service$/, ''));
      continue;
    }
    if (a === '-n' || a === '--lines' || a.startsWith('--lines=') || (a.startsWith('-n') && a.length > 2)) {
      const v = a.startsWith('-n') && a.length > 2 ? a.slice(2) : val('lines');
      if (v === null || !/^\+?\d+$/.test(v)) return usageError(`Failed to parse lines '${v ?? ''}'.\n`);
      lines = Number(v.replace('+', ''));
      continue;
    }
    if (a === '-e' || a === '--pager-end') {
      end = true;
      continue;
    }
    if (['--no-pager', '-q', '--quiet', '-x', '--catalog', '-b', '--boot', '--no-hostname', '-o', '--output=short'].includes(a)) {
      if (a === '-o') {
        const v = args[++i];
        if (v !== 'short') return usageError(`JSON and other output modes than short are not available here: -o ${v ?? ''}\n`);
      }
      continue;
    }
    return usageError(a.startsWith('--') ? `journalctl: unrecognized option '${a}'\n` : `journalctl: invalid option -- '${a.slice(1, 2)}'\n`);
  }
  const host = sys.world.host(sys.host);
  const hostname = host.hostname.split('.')[0]!;
  let list = entries(sys);
  if (units.length) list = list.filter((e) => units.includes(e.unit));
  if (lines !== null) list = lines === 0 ? [] : list.slice(-lines);
  else if (end) list = list.slice(-1000);
  if (!list.length) return { stdout: '-- No entries --\n', stderr: '', exitCode: 0 };
  const noHost = args.includes('--no-hostname');
  return { stdout: list.map((e) => `${shortTime(e.t)} ${noHost ? '' : hostname + ' '}${e.ident}[${e.pid}]: ${e.text}\n`).join(''), stderr: '', exitCode: 0 };
}

export const journalctl: NetCommand = {
  name: 'journalctl',
  run: (args, _io, sys) => run(args, sys),
};
