// klog's header as kubectl writes it to stderr: severity, MMDD hh:mm:ss.uuuuuu, the process id, file:line].
import type { Sys } from '../types';

export function klog(sys: Sys, sev: 'I' | 'W' | 'E', where: string, msg: string): string {
  const t = new Date(sys.world.now());
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}.${p(t.getUTCMilliseconds() * 1000, 6)}`;
  const pid = String(4000 + (Math.floor(sys.world.now() / 1000) % 5000)).padStart(7);
  return `${sev}${stamp} ${pid} ${where}] ${msg}\n`;
}
