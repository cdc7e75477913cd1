// Port numbers and ranges as libxt_tcp / libxt_udp / libxt_multiport parse
// them (xtables_parse_port: a number or a service name) and print them.
import type { PrintEnv } from '../extension';
import type { NameDb } from '../names';
import { PARAMETER_PROBLEM, strtoui, xtError } from '../xtables';

export function parsePort(db: NameDb, s: string, proto: string): number {
  const n = strtoui(s, 0, 65535);
  if (n !== null) return n;
  const p = db.port(s, proto);
  if (p !== null) return p;
  xtError(PARAMETER_PROBLEM, `invalid port/service \`${s}' specified`);
}

export function parsePortRange(db: NameDb, s: string, proto: string): string {
  const i = s.indexOf(':');
  if (i < 0) return String(parsePort(db, s, proto));
  const a = s.slice(0, i);
  const b = s.slice(i + 1);
  const lo = a ? parsePort(db, a, proto) : 0;
  const hi = b ? parsePort(db, b, proto) : 65535;
  if (lo > hi) xtError(PARAMETER_PROBLEM, 'invalid portrange (min > max)');
  return lo === hi ? String(lo) : `${lo}:${hi}`;
}

export function portName(env: PrintEnv, port: number, proto: string | null): string {
  if (env.numeric || !proto) return String(port);
  return env.db.service(port, proto) ?? String(port);
}

export function printPorts(env: PrintEnv, label: string, spec: string | undefined, invert: boolean, proto: string): string {
  if (spec === undefined) return '';
  const inv = invert ? '!' : '';
  const [a, b] = spec.split(':');
  if (b === undefined) return ` ${label}:${inv}${portName(env, Number(a), proto)}`;
  return ` ${label}s:${inv}${portName(env, Number(a), proto)}:${portName(env, Number(b), proto)}`;
}
