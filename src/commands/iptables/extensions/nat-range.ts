// The NAT range (nf_nat_range) the NAT targets share: [ip[-ip]][:port[-port]]
// for SNAT and DNAT, port[-port] for MASQUERADE and REDIRECT, stored
// canonical; and the target definition built around one.
import { isIPv4 } from '../../../sim/ip';
import type { Rule } from '../../../sim/types';
import { canonV4 } from '../addr';
import type { ExtDef, ExtOpt } from '../extension';
import { ruleProtoNum, type NameDb } from '../names';
import { PARAMETER_PROBLEM, strtoui, xtError } from '../xtables';

/** NAT target ranges: "[ip[-ip]][:port[-port]]", stored canonical. */
function parseNatPorts(db: NameDb, arg: string, portok: boolean): string {
  if (!portok) xtError(PARAMETER_PROBLEM, 'Need TCP, UDP, SCTP or DCCP with port specification');
  const m = /^([^-:/]*)(.*)$/.exec(arg)!;
  let port = strtoui(m[1]!, 0, 65535);
  let rest = m[2]!;
  if (port === null) {
    const p = db.port(arg, null);
    if (p === null) xtError(PARAMETER_PROBLEM, `Port \`${arg}' not valid`);
    port = p;
    rest = '';
  }
  if (rest === '') return String(port);
  if (rest.startsWith(':')) xtError(PARAMETER_PROBLEM, 'Invalid port:port syntax - use dash');
  if (!rest.startsWith('-')) xtError(PARAMETER_PROBLEM, `Garbage after port value: \`${rest}'`);
  const m2 = /^(\d+)(.*)$/.exec(rest.slice(1));
  const max = m2 ? strtoui(m2[1]!, 0, 65535) : null;
  if (!m2 || max === null) xtError(PARAMETER_PROBLEM, `Port \`${rest.slice(1)}' not valid`);
  if (max < port) xtError(PARAMETER_PROBLEM, `Port range \`${rest.slice(1)}' funky`);
  if (m2[2]) xtError(PARAMETER_PROBLEM, `Garbage after port range: \`${m2[2]}'`);
  return port === max ? String(port) : `${port}-${max}`;
}


function parseNatTo(db: NameDb, arg: string, portok: boolean): string {
  if (arg.includes('[')) xtError(PARAMETER_PROBLEM, 'Invalid address format');
  let colon = arg.indexOf(':');
  if (colon >= 0 && arg.indexOf(':', colon + 1) >= 0) colon = -1;
  let ports = '';
  let ipPart = arg;
  if (colon >= 0) {
    ports = parseNatPorts(db, arg.slice(colon + 1), portok);
    if (colon === 0) return `:${ports}`;
    ipPart = arg.slice(0, colon);
  }
  const dash = ipPart.indexOf('-');
  const a = dash >= 0 ? ipPart.slice(0, dash) : ipPart;
  if (!isIPv4(a)) xtError(PARAMETER_PROBLEM, `Bad IP address "${a}"`);
  let ips = canonV4(a);
  if (dash >= 0) {
    const b = ipPart.slice(dash + 1);
    if (!isIPv4(b)) xtError(PARAMETER_PROBLEM, `Bad IP address "${b}"`);
    if (canonV4(b) !== ips) ips += `-${canonV4(b)}`;
  }
  return ports ? `${ips}:${ports}` : ips;
}

function natPortOk(rule: Rule): boolean {
  return [6, 17, 132, 33, 1].includes(ruleProtoNum(rule));
}

/** What distinguishes one NAT target from another: its range option, the flags it takes, its help, how -L shows the range. */
export interface NatTargetSpec {
  name: 'SNAT' | 'DNAT' | 'MASQUERADE' | 'REDIRECT';
  /** --to-source / --to-destination (address and ports, mandatory) or --to-ports (ports only) */
  toKey: 'to-source' | 'to-destination' | 'to-ports';
  flags: ('random' | 'random-fully' | 'persistent')[];
  help: string;
  /** the -L text of a range */
  listRange(range: string): string;
}

/** A NAT target's extension. */
export function natTarget(spec: NatTargetSpec): ExtDef {
  const { name, toKey } = spec;
  const withAddr = toKey !== 'to-ports';
  const opts: ExtOpt[] = [{ name: toKey, hasArg: 1, key: toKey, mand: withAddr }, ...spec.flags.map((f): ExtOpt => ({ name: f, hasArg: 0, key: f }))];
  return {
    name,
    kind: 'target',
    opts,
    help: spec.help,
    parse(env, x, opt, arg) {
      if (opt.key === toKey) {
        x.options[toKey] = withAddr ? parseNatTo(env.db, arg, natPortOk(env.rule)) : parseNatPorts(env.db, arg, natPortOk(env.rule));
      } else x.options[opt.key] = '';
    },
    print(_env, x) {
      const o = x.options;
      let s = '';
      const range = o[toKey];
      if (range !== undefined) s += spec.listRange(range);
      if (o.random !== undefined) s += ' random';
      if (o['random-fully'] !== undefined) s += ' random-fully';
      if (o.persistent !== undefined) s += ' persistent';
      return s;
    },
    save(x) {
      const o = x.options;
      let s = '';
      if (o[toKey] !== undefined) s += ` --${toKey} ${o[toKey]}`;
      if (o.random !== undefined) s += ' --random';
      if (o['random-fully'] !== undefined) s += ' --random-fully';
      if (o.persistent !== undefined) s += ' --persistent';
      return s;
    },
  };
}
